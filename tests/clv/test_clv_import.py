"""custpool.clv needs the clv extra (scipy); `import custpool` never imports scipy."""

import subprocess
import sys

import custpool.clv


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )


def test_import_custpool_does_not_import_scipy():
    done = _run("import sys, custpool, custpool.plot; print('scipy' in sys.modules)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_without_scipy_the_error_names_the_extra():
    code = (
        "import sys; sys.modules['scipy'] = None\n"
        "import custpool\n"
        "try:\n"
        "    import custpool.clv\n"
        "except custpool.MissingDependencyError as e:\n"
        "    print(e.package, e.extra)\n"
    )
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["scipy", "clv"]


def test_public_names_report_the_package():
    assert custpool.clv.fit_bgnbd.__module__ == "custpool.clv"
    assert custpool.clv.BgNbd.__module__ == "custpool.clv"
