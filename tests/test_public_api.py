"""The public API is exactly what docs/api.md documents, and importing it stays light."""

import re
import subprocess
import sys
from pathlib import Path

import custpool

API_DOC = Path(__file__).parent.parent / "docs" / "api.md"


def documented_names() -> list[str]:
    return re.findall(r"^- `([A-Za-z_][A-Za-z0-9_]*)`", API_DOC.read_text("utf-8"), re.MULTILINE)


def test_all_is_exactly_the_documented_api():
    documented = documented_names()
    assert len(documented) == len(set(documented)), "a name is documented twice"
    assert sorted(custpool.__all__) == sorted(documented)


def test_every_public_name_exists_and_has_a_docstring():
    for name in custpool.__all__:
        obj = getattr(custpool, name)
        if isinstance(obj, type):
            assert obj.__doc__, f"{name} has no docstring"


def test_import_does_not_pull_in_hypothesis_or_test_tools():
    # The optional packages stay out of `import custpool`: the testing extra (hypothesis), the
    # test tools, the command line (custpool.cli and its extra: click, rich), and every other
    # extra (frames, plot, clv, wecom, dask, notebook) with its public package.
    optional = (
        *("hypothesis", "pytest", "custpool.cli", "click", "rich"),
        *("narwhals", "pyarrow", "pandas", "polars", "matplotlib", "custpool.plot"),
        *("scipy", "custpool.clv", "cryptography", "defusedxml", "starlette", "custpool.wecom"),
        *("dask", "distributed", "custpool.dask", "tqdm"),
    )
    code = (
        "import sys, custpool; "
        f"bad = sorted(m for m in {optional!r} if m in sys.modules); "
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


def test_version_matches_package_metadata():
    from importlib.metadata import version  # noqa: PLC0415

    assert custpool.__version__ == version("custpool")


def test_every_public_model_exports_a_json_schema():
    import json  # noqa: PLC0415

    from pydantic import BaseModel  # noqa: PLC0415

    models = [
        getattr(custpool, n)
        for n in custpool.__all__
        if isinstance(getattr(custpool, n), type) and issubclass(getattr(custpool, n), BaseModel)
    ]
    assert {m.__name__ for m in models} >= {"Customer", "Interaction", "Pool", "Policy", "Tag"}
    for model in models:
        if model.__pydantic_generic_metadata__["parameters"]:
            continue  # generic LoadResult[T]: schema per concrete type
        schema = model.model_json_schema()
        if "$ref" in schema:  # recursive models (joining rules) point into their $defs
            schema = schema["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
        assert schema["type"] == "object", model.__name__
        assert schema["additionalProperties"] is False, model.__name__
        json.dumps(schema)
