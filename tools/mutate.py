"""Mutation testing for one room of custpool at a time, with mutmut (docs/testing.md).

Usage::

    nice -n 15 python tools/mutate.py tiers|engine|analytics|health [--max-minutes N]
    nice -n 15 python tools/mutate.py health --sample 400 --seed 7 --workdir DIR --jobs 1

The working tree is copied (``src/``, ``tests/``, ``docs/``, ``pyproject.toml``) into a temporary
directory and mutmut runs there, so no mutated file is ever written under the repository's
``src/`` and nothing is left behind (``--workdir DIR`` keeps the copy, for ``mutmut show``).
Run again with the same ``--workdir``, it takes the current tree, re-tests the mutants that
survived, then goes on with those never checked (after ``--max-minutes`` ran out);
``--retest-timeouts`` re-tests the mutants that timed out too (needed once for a workdir whose
runs predate the fork server, see ``_setup_cfg``: most of their timeouts were polars waiting
for ever, not mutants detected).

Only the room's modules are mutated and only the room's tests run (``tests/<room>/``, and for
the engine, analytics and health the display tests of their results; for health also its
naive reference, ``tests/oracles/test_oracle_health.py``, and the charter's readiness fields,
``tests/model/test_charter_readiness.py``): mutmut then runs, for each mutant, just the tests
that call the mutated function.

Hypothesis runs with the ``ci`` profile (tests/conftest.py): derandomised and without the
example database, so a kill never depends on the seed or on an earlier run.

The script prints ``name=value`` lines: ``mutants``, ``killed``, ``survived``, ``timeout``,
``no_tests``, ``other``, ``not_checked``, ``score`` (percent of the checked mutants killed or
timed out), ``seconds``, ``complete`` and one ``survivor=`` line per surviving mutant.
Exit status 0 whatever the score (this is a measure, not a gate).

``--sample N --seed S`` checks a uniform random sample of N of the room's mutants instead of
all of them (a room too big to finish on shared cores). The mutants are first generated
without running any test (mutmut's own generation step), listed, and N of them drawn with
``random.Random(S).sample`` from the sorted names: every mutant is equally likely, whatever
its cost, unlike a run cut short by ``--max-minutes``, which checks the cheapest first. The
sample is kept in ``DIR/sample.json``, so a run resumed on the same ``--workdir`` checks the
same mutants (a different ``--sample`` or ``--seed`` there is refused). Its mutants are tested
in the sample's random order, 50 at a time, so a sample cut short by ``--max-minutes`` is still
a uniform sample of the room (smaller). The counts are then the sample's, and the lines add
``sample``, ``seed``, ``sample_dropped`` (names gone since the sample was drawn, after a change
of the room's code), ``sample_prefix`` (the longest run of checked mutants from the start of
the drawing order), ``prefix_score`` (the score over that prefix) and ``score_ci_low`` and
``score_ci_high``: the 95% Wilson interval of the room's score given that prefix. The prefix is
what is uniform: a resumed run re-tests the survivors first, and mutmut forgets the verdicts of
changed functions (or all of them when its settings change), so the checked mutants beyond the
prefix lean towards the survivors; ``score`` counts them all.
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import json
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The results' text, HTML and tables are tested in tests/display: without those tests, every
# display method of the engine's and the analytics' results had no test.
_DISPLAY = (
    "tests/display/test_display_results.py",
    "tests/display/test_display_tables.py",
    "tests/display/test_display_render.py",
    "tests/display/test_display_options.py",
)

# Each room: the source files mutmut mutates and the tests that may kill them.
ROOMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "tiers": ("src/custpool/_tiers/*", ("tests/tiers",)),
    "engine": ("src/custpool/_engine/*", ("tests/engine", *_DISPLAY)),
    # coded_ltv is tested through the relationship levels it computes (seed 004).
    "analytics": (
        "src/custpool/_analytics/*",
        ("tests/analytics", *_DISPLAY, "tests/lessons/test_relationships.py"),
    ),
    # The reports' text is tested in tests/display, the measures against a naive reference in
    # tests/oracles, the charter's readiness fields in tests/model.
    "health": (
        "src/custpool/_health/*",
        (
            "tests/health",
            *_DISPLAY,
            "tests/oracles/test_oracle_health.py",
            "tests/model/test_charter_readiness.py",
        ),
    ),
}

# mutmut's result words (``mutmut results --all true``) grouped into the printed counts.
_GROUPS = {
    "killed": "killed",
    "caught by type check": "killed",
    "survived": "survived",
    "timeout": "timeout",
    "no tests": "no_tests",
    "not checked": "not_checked",
    "check was interrupted by user": "not_checked",
}

_SAMPLE_FILE = "sample.json"  # in the workdir: the drawn names, with the size and the seed
_CHUNK = 50  # sampled mutants given to one ``mutmut run``: a run cut short stays uniform
_Z95 = 1.959963984540054  # the standard normal's 97.5% quantile

_SHIM = "--as-mutmut"  # internal: run mutmut's own command line with the fix below

_COPIED = ("src", "tests", "docs", "pyproject.toml")  # some tests read docs/ pages
_IGNORED = shutil.ignore_patterns(
    "__pycache__", "*.pyc", ".hypothesis", ".pytest_cache", ".mypy_cache", ".ruff_cache"
)


def _setup_cfg(room: str, extra_tests: list[str]) -> str:
    """Write the ``[mutmut]`` section for the copy (never the repository's pyproject).

    ``process_isolation = forkserver``: mutmut's default forks each mutant's run from the process
    that ran the clean tests, where polars' thread pool is already running; a forked child has
    no pool threads, and its first polars call waits for them for ever. That mutant was then
    stopped at the time limit and counted "timeout" (detected), whether its tests would fail or
    not. The fork server only collects the tests before forking: each child starts its own pool.
    """
    pattern, tests = ROOMS[room]
    selection = "\n    ".join([*tests, *extra_tests])
    return f"""[mutmut]
source_paths = src
only_mutate = {pattern}
pytest_add_cli_args_test_selection =
    {selection}
pytest_add_cli_args =
    -p
    no:cacheprovider
also_copy = docs
use_git_change_detection = false
process_isolation = forkserver
"""


def _copy_tree(work: Path, room: str, extra_tests: list[str]) -> None:
    for name in _COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=_IGNORED)
        else:
            shutil.copy2(source, work / name)
    (work / "setup.cfg").write_text(_setup_cfg(room, extra_tests), encoding="utf-8")


def _mutmut(work: Path, *args: str, timeout: float | None = None) -> tuple[str, bool]:
    """Run ``mutmut ARGS`` in ``work``; return its output and whether it finished in time."""
    env = {**os.environ, "HYPOTHESIS_PROFILE": "ci", "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, str(Path(__file__).resolve()), _SHIM, *args]
    with subprocess.Popen(  # noqa: S603 - our own interpreter, literal arguments
        command,
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    ) as process:
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            # Stop mutmut and its workers; every verdict reached so far is already saved
            # (a mutant cut off mid-test is counted as not checked).
            for stop in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, stop)
                try:
                    output, _ = process.communicate(timeout=20)
                    break
                except subprocess.TimeoutExpired:
                    continue
            return output, False
    if process.returncode != 0:
        sys.stderr.write(output[-4000:])
        message = f"mutmut {args[0]} failed with exit status {process.returncode}"
        raise SystemExit(message)
    return output, True


def _results(work: Path) -> dict[str, str]:
    output, _ = _mutmut(work, "results", "--all", "true")
    found = re.findall(r"^\s+(\S+): (.+)$", output, flags=re.MULTILINE)
    return {name: status.strip() for name, status in found}


def _score(statuses: list[str]) -> tuple[Counter[str], float]:
    """Count the statuses by group; the score is the percent of checked mutants detected."""
    counts = Counter(_GROUPS.get(status, "other") for status in statuses)
    checked = len(statuses) - counts["not_checked"]
    detected = counts["killed"] + counts["timeout"]
    return counts, 100.0 * detected / checked if checked else 0.0


def wilson(detected: int, checked: int, z: float = _Z95) -> tuple[float, float]:
    """Wilson score interval of a proportion, in percent.

    With ``p = detected / checked`` and ``n = checked``, the interval is
    ``(p + z²/2n ± z·sqrt(p(1 − p)/n + z²/4n²)) / (1 + z²/n)``. Unlike ``p ± z·sqrt(p(1 − p)/n)``
    it stays inside [0, 100] and is not empty when every mutant was killed.

    Examples
    --------
    >>> low, high = wilson(90, 100)
    >>> round(low, 1), round(high, 1)
    (82.6, 94.5)
    >>> wilson(0, 0)
    (0.0, 100.0)
    """
    if checked == 0:
        return 0.0, 100.0
    p = detected / checked
    z2n = z * z / checked
    centre = p + z2n / 2
    half = z * math.sqrt(p * (1 - p) / checked + z2n / (4 * checked))
    return 100.0 * (centre - half) / (1 + z2n), 100.0 * (centre + half) / (1 + z2n)


def _report(
    results: dict[str, str], seconds: float, sample: dict[str, object] | None = None
) -> list[str]:
    """Write the ``name=value`` lines; with a sample, ``results`` holds only the sampled mutants."""
    counts, score = _score(list(results.values()))
    if sample is None:
        lines = [f"mutants={len(results)}"]
    else:
        # The longest run of checked mutants from the start of the drawing order: a uniform
        # sample, whatever order the runs took (survivors re-tested first, verdicts reset).
        statuses = list(results.values())
        prefix = next((k for k, s in enumerate(statuses) if s == "not checked"), len(statuses))
        first, prefix_score = _score(statuses[:prefix])
        low, high = wilson(first["killed"] + first["timeout"], prefix)
        lines = [
            f"mutants={sample['mutants']}",
            f"sample={len(results)}",
            f"seed={sample['seed']}",
            f"sample_dropped={sample['dropped']}",
            f"sample_prefix={prefix}",
            f"prefix_score={prefix_score:.1f}",
            f"score_ci_low={low:.1f}",
            f"score_ci_high={high:.1f}",
        ]
    lines += [
        f"{key}={counts[key]}"
        for key in ("killed", "survived", "timeout", "no_tests", "other", "not_checked")
    ]
    lines += [
        f"score={score:.1f}",
        f"seconds={seconds:.0f}",
        f"complete={str(counts['not_checked'] == 0).lower()}",
    ]
    by_module: dict[str, list[str]] = {}
    for name, status in results.items():
        by_module.setdefault(re.split(r"\.x[_ǁ]", name)[0], []).append(status)
    for module, statuses in sorted(by_module.items()):
        part, part_score = _score(statuses)
        checked = len(statuses) - part["not_checked"]
        lines.append(f"module={module} checked={checked}/{len(statuses)} score={part_score:.1f}")
    lines += [
        f"survivor={name} ({status})"
        for name, status in sorted(results.items())
        if _GROUPS.get(status, "other") in {"survived", "no_tests", "other"}
    ]
    return lines


def _again(results: dict[str, str], names: list[str], timeouts: bool) -> list[list[str]]:
    """Of ``names``, those survived (and timed out), then those without tests, in that order."""
    first = {"survived", "other", "timeout"} if timeouts else {"survived", "other"}
    return [
        [name for name in names if _GROUPS.get(results[name], "other") in groups]
        for groups in (first, {"no_tests"})
    ]


def _refresh(work: Path, room: str, extra_tests: list[str], timeouts: bool) -> list[list[str]]:
    """Bring a kept copy up to date with the tree; return the mutants to re-test first.

    mutmut re-mutates the changed files and forgets the verdicts of the changed functions;
    what was not killed is re-tested (a kill cannot be undone by adding tests): first the
    survivors, whose new tests are to be confirmed, then those that had no test (tests added to
    the selection may reach them); what was never checked comes after. With ``timeouts``, the
    mutants that timed out are re-tested with the survivors (verdicts of runs before the fork
    server, see ``_setup_cfg``).
    """
    results = _results(work)
    again = _again(results, sorted(results), timeouts)
    for name in _COPIED:
        target = work / name
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    _copy_tree(work, room, extra_tests)
    # mutmut copies the modules it does not mutate only once: refresh them by hand.
    for source in (work / "src").rglob("*.py"):
        relative = source.relative_to(work)
        if not fnmatch.fnmatch(str(relative), ROOMS[room][0]):
            (work / "mutants" / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, work / "mutants" / relative)
    return again


def _draw(work: Path, names: list[str], size: int, seed: int) -> tuple[list[str], int]:
    """Return the sample kept in ``work`` (drawn now if there is none) and how many are gone.

    ``random.Random(seed).sample`` over the sorted names: uniform, without replacement, and the
    same names for the same room's code, size and seed. The names are kept in drawing order.
    """
    kept = work / _SAMPLE_FILE
    if kept.exists():
        drawn = json.loads(kept.read_text("utf-8"))
        if (drawn["size"], drawn["seed"]) != (size, seed):
            message = (
                f"{kept} holds a sample of {drawn['size']} with seed {drawn['seed']}, "
                f"not --sample {size} --seed {seed}: use another --workdir"
            )
            raise SystemExit(message)
        sample: list[str] = drawn["names"]
    else:
        sample = random.Random(seed).sample(sorted(names), min(size, len(names)))  # noqa: S311
        record = {"size": size, "seed": seed, "mutants": len(names), "names": sample}
        kept.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    present = set(names)
    return [name for name in sample if name in present], sum(name not in present for name in sample)


def _sample_info(work: Path, results: dict[str, str]) -> tuple[dict[str, str], dict[str, object]]:
    """Return the sampled mutants' results and the sample's figures, from ``sample.json``."""
    drawn = json.loads((work / _SAMPLE_FILE).read_text("utf-8"))
    kept = {name: results[name] for name in drawn["names"] if name in results}
    info: dict[str, object] = {
        "mutants": len(results),
        "seed": drawn["seed"],
        "dropped": len(drawn["names"]) - len(kept),
    }
    return kept, info


def _sample_runs(work: Path, args: argparse.Namespace, resumed: bool) -> list[list[str]]:
    """Generate the mutants, draw the sample and return its ``mutmut run`` batches in order."""
    _mutmut(work, "generate")
    results = _results(work)
    sample, dropped = _draw(work, list(results), args.sample, args.seed)
    again = _again(results, sample, args.retest_timeouts) if resumed else [[], []]
    fresh = [name for name in sample if results[name] == "not checked"]
    if dropped:
        sys.stderr.write(f"{dropped} sampled mutants are gone (the room's code changed)\n")
    sys.stderr.write(
        f"sample of {len(sample)}: re-testing {len(again[0])} survivors (or timeouts), "
        f"then {len(again[1])} untested, then {len(fresh)} not checked\n"
    )
    return [
        names[start : start + _CHUNK]
        for names in (*again, fresh)
        for start in range(0, len(names), _CHUNK)
    ]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("room", choices=sorted(ROOMS))
    parser.add_argument("--max-minutes", type=float, default=None, help="stop after N minutes")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the copy here")
    parser.add_argument("--tests", action="append", default=[], help="more test paths (repeatable)")
    parser.add_argument(
        "--report-only", action="store_true", help="print the figures of a kept --workdir"
    )
    parser.add_argument(
        "--sample", type=int, default=None, help="check a uniform random sample of N mutants"
    )
    parser.add_argument("--seed", type=int, default=0, help="the sample's seed (default 0)")
    parser.add_argument(
        "--retest-timeouts",
        action="store_true",
        help="on a kept --workdir, re-test the mutants that timed out, with the survivors",
    )
    return parser


def _figures(work: Path, seconds: float) -> list[str]:
    """Report a kept copy: over its sample if it has one, else over all its mutants."""
    results, info = _results(work), None
    if (work / _SAMPLE_FILE).exists():
        results, info = _sample_info(work, results)
    return _report(results, seconds, info)


def _runs(work: Path, args: argparse.Namespace) -> list[list[str]]:
    """Prepare the copy in ``work``; return the mutant names of each ``mutmut run`` in order.

    An empty list of names stands for every mutant not yet checked.
    """
    resumed = args.workdir is not None and (work / "mutants").exists()
    if resumed:
        again = _refresh(work, args.room, args.tests, args.retest_timeouts)
    else:
        again = [[], []]
        work.mkdir(parents=True, exist_ok=True)
        _copy_tree(work, args.room, args.tests)
    if args.sample is not None:
        return _sample_runs(work, args, resumed)
    if resumed:
        survived, untested = (len(names) for names in again)
        sys.stderr.write(
            f"reusing {work}: re-testing {survived} survivors, then {untested} untested\n"
        )
    return [*(names for names in again if names), []]


def main(argv: list[str] | None = None) -> int:
    """Mutate one room, run its tests against each mutant and print the figures."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.sample is not None and args.sample < 1:
        parser.error("--sample must be at least 1")
    if args.report_only:
        if args.workdir is None:
            parser.error("--report-only needs --workdir")
        lines = _figures(args.workdir.resolve(), 0.0)
        sys.stdout.write("\n".join(line for line in lines if "seconds" not in line) + "\n")
        return 0

    # The machine is shared: never run at a niceness below 15.
    os.nice(max(0, 15 - os.nice(0)))

    start = time.monotonic()
    keep = args.workdir is not None
    work = args.workdir.resolve() if keep else Path(tempfile.mkdtemp(prefix="custpool-mutate-"))
    try:
        deadline = None if args.max_minutes is None else start + args.max_minutes * 60
        for names in _runs(work, args):
            left = None if deadline is None else max(deadline - time.monotonic(), 1.0)
            if not _mutmut(work, "run", "--max-children", str(args.jobs), *names, timeout=left)[1]:
                break
        lines = _figures(work, time.monotonic() - start)
        if keep:
            lines.append(f"workdir={work}")
        sys.stdout.write("\n".join(lines) + "\n")
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _as_mutmut(args: list[str]) -> None:
    """Run mutmut's command line, recording each tested function under its defining module.

    custpool gives public classes their public address (``custpool._public.claim`` sets
    ``__module__ = "custpool"`` on a class and its methods), and mutmut names the methods it
    sees being called from ``__module__``: ``custpool.xǁTrackǁadd`` instead of
    ``custpool._tiers.machine.xǁTrackǁadd``. Without this fix mutmut finds no test for any
    method of a public class and reports its mutants as "no tests".
    """
    if args == ["generate"]:
        _generate()
        return
    from mutmut.__main__ import cli  # noqa: PLC0415 - only in this mode
    from mutmut.mutation import trampoline  # noqa: PLC0415
    from mutmut.stats import record_trampoline_hit as record  # noqa: PLC0415

    known: dict[str, str] = {}
    mutants = Path("mutants").resolve()  # mutmut runs the tests from inside it

    def defining_name(name: str) -> str:
        if not known:
            for meta in mutants.glob("src/**/*.py.meta"):
                keys = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
                for key in keys:
                    full = key.rpartition("__mutmut_")[0]
                    known.setdefault(full.rpartition(".")[2], full)
        return known.get(name.rpartition(".")[2], name) if "ǁ" in name else name

    def record_defining(name: str, caller: str | None = None) -> None:
        record(defining_name(name), caller=caller)

    vars(trampoline)["record_trampoline_hit"] = record_defining  # the name the trampoline calls
    cli(args)


def _generate() -> None:
    """Write the mutants and their ``.meta`` files as ``mutmut run`` does first, test nothing.

    Each mutant is then listed by ``mutmut results --all true`` as "not checked" (or with the
    verdict kept from an earlier run, for the functions that did not change).
    """
    from mutmut.__main__ import create_mutants  # noqa: PLC0415 - only in this mode
    from mutmut.mutation.trampoline import set_mutant_under_test  # noqa: PLC0415
    from mutmut.utils.file_utils import copy_also_copy_files, copy_src_dir  # noqa: PLC0415

    set_mutant_under_test("mutant_generation")
    Path("mutants").mkdir(exist_ok=True)
    copy_src_dir()
    copy_also_copy_files()
    create_mutants(1)


if __name__ == "__main__":
    if sys.argv[1:2] == [_SHIM]:
        _as_mutmut(sys.argv[2:])
        raise SystemExit(0)
    raise SystemExit(main())
