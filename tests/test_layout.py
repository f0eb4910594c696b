"""The package's layout rules: rooms, their interfaces, no reaching into private names.

docs/design.md draws the rooms and the allowed import directions; ``lint-imports`` (the
``[tool.importlinter]`` contract in pyproject.toml) enforces the directions. These tests keep
the rest: every module says what it exports, no module imports another's private names, other
rooms go through a room's ``__init__``, no folder grows past 15 modules, every room says what
it holds and may import, and public names show their public address.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import pickle
import re
import sys
import types
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import BaseModel

import custpool
import custpool.cli
import custpool.clv
import custpool.dask
import custpool.plot
import custpool.strategies
import custpool.synth
import custpool.wecom

SRC = Path(custpool.__file__).parent
ROOMS = ("_model", "_tiers", "_engine", "_analytics", "_health", "_io", "_lessons")
PUBLIC_PACKAGES = {"custpool": custpool, "custpool.synth": custpool.synth}
PUBLIC_PACKAGES["custpool.strategies"] = custpool.strategies
PUBLIC_PACKAGES["custpool.cli"] = custpool.cli
PUBLIC_PACKAGES["custpool.plot"] = custpool.plot
PUBLIC_PACKAGES["custpool.wecom"] = custpool.wecom
PUBLIC_PACKAGES["custpool.clv"] = custpool.clv
PUBLIC_PACKAGES["custpool.dask"] = custpool.dask


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(module_name(p) for p in SRC.rglob("*.py"))


def room_of(module: str) -> str:
    """The room (subpackage) a module lives in, or the module itself at the top."""
    parts = module.split(".")
    return ".".join(parts[:2])


def custpool_imports(module: str) -> list[tuple[str, str, int]]:
    """Every ``from custpool... import name`` in a module: (source, name, line)."""
    path = Path(importlib.import_module(module).__file__ or "")
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("custpool"):
            found += [(node.module or "", alias.name, node.lineno) for alias in node.names]
    return found


@pytest.mark.parametrize("module", MODULES)
def test_every_module_declares_its_exports(module):
    assert isinstance(importlib.import_module(module).__dict__.get("__all__"), list), module


@pytest.mark.parametrize("module", MODULES)
def test_no_module_imports_a_private_name_or_an_unexported_one(module):
    for source, name, line in custpool_imports(module):
        value = getattr(importlib.import_module(source), name)
        where = f"{module}:{line} imports {name} from {source}"
        if isinstance(value, types.ModuleType):
            # A package's own parts may import each other; nobody else reaches into them.
            assert room_of(value.__name__) == room_of(module), where
            continue
        assert not name.startswith("_"), f"{where}: a private name"
        assert name in importlib.import_module(source).__all__, f"{where}: not in its __all__"


@pytest.mark.parametrize("module", MODULES)
def test_other_rooms_go_through_a_rooms_interface(module):
    for source, name, line in custpool_imports(module):
        target = room_of(source)
        if target.split(".")[-1] in ROOMS and target != room_of(module):
            assert source == target, f"{module}:{line} imports {name} from {source}, not {target}"


def test_no_folder_holds_more_than_15_modules():
    for folder in [SRC, *(p for p in SRC.rglob("*") if p.is_dir() and p.name != "__pycache__")]:
        modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
        assert len(modules) <= 15, (folder, len(modules))


@pytest.mark.parametrize(
    "room", [*ROOMS, "synth", "strategies", "cli", "plot", "clv", "wecom", "dask"]
)
def test_every_room_says_what_it_holds_and_may_import(room):
    doc = importlib.import_module(f"custpool.{room}").__doc__ or ""
    assert len(doc.splitlines()) > 3, room
    assert "may import" in doc.lower(), room


def test_the_hypothesis_plugin_and_main_are_the_only_other_top_level_modules():
    top = {p.stem for p in SRC.glob("*.py")}
    base = {"_errors", "_base", "_fields", "_time", "_format", "_public", "_frames"}
    # __main__ is `python -m custpool`: it only hands over to custpool.cli (the top room).
    assert top == {"__init__", "_hypothesis_plugin", "__main__"} | base


# -- public identity ---------------------------------------------------------------------------


def public_objects():
    for public, package in PUBLIC_PACKAGES.items():
        for name in package.__all__:
            value = getattr(package, name)
            if inspect.isclass(value) or inspect.isfunction(value):
                yield public, name, value


@pytest.mark.parametrize(("public", "name", "value"), list(public_objects()))
def test_public_names_report_their_public_module(public, name, value):
    assert value.__module__ == public, name
    assert getattr(sys.modules[public], value.__qualname__.split(".")[0]) is value


def test_methods_move_with_their_class():
    assert custpool.EventTable.from_arrays.__module__ == "custpool"
    assert custpool.Money.from_minor_units.__module__ == "custpool"


def test_errors_show_their_public_name():
    with pytest.raises(custpool.ValidationError) as caught:
        custpool.classify([], custpool.Policy(), "2026-01-01")  # type: ignore[arg-type]
    assert "custpool.ValidationError" in caught.exconly()


@pytest.mark.parametrize(
    "value",
    [
        custpool.example_pool(),
        custpool.Policy(engage_window=timedelta(days=7), engage_weights={"message": 2}),
        custpool.HealthPolicy(targets={"operate.participation": 0.4}),
        custpool.State.ENGAGED,
        custpool.Tag.parse("interest:咖啡"),
    ],
    ids=lambda v: type(v).__name__,
)
def test_public_values_pickle_through_public_paths(value):
    data = pickle.dumps(value)
    assert b"custpool._" not in data  # no private module path is stored
    copy = pickle.loads(data)  # noqa: S301 - our own bytes
    assert copy == value
    assert [type(v) for v in vars(copy).values()] == [type(v) for v in vars(value).values()]


def models():
    for _, name, value in public_objects():
        if issubclass(value, BaseModel) if inspect.isclass(value) else False:
            yield name, value


def plain_refs(schema: dict[str, object]) -> object:
    """The schema with ``$defs`` keys back to bare class names.

    A forced rebuild of one of the recursive joining-rule models meets a class under both its
    defining and its public module (the other rule models keep the schema they were built
    with), so pydantic spells those ``$defs`` keys out in full (``custpool__AllOf``). The
    definitions themselves are the same; this maps the keys back and merges the duplicates.
    """
    text = re.sub(r"custpool(?:_+[a-z]+)*__([A-Z]\w*)", r"\1", json.dumps(schema, sort_keys=True))
    return json.loads(text)


@pytest.mark.parametrize(("name", "model"), list(models()))
def test_models_rebuild_with_the_same_schema(name, model):
    before = model.model_json_schema()
    assert "custpool._" not in str(before), name
    model.model_rebuild(force=True)
    after = model.model_json_schema()
    assert plain_refs(after) == before, name


def test_no_two_test_modules_share_a_name():
    """pytest imports test modules by basename (rootdir mode): two of one name break collection.

    That holds for ``conftest.py`` too: tests import ``T0`` and ``at`` from the one in ``tests/``,
    and a second would take its place in ``sys.modules``; a folder's fixtures go in its
    ``*_helpers.py``, imported by its tests (as ``tests/plot`` does).
    """
    tests = Path(__file__).parent
    names = [path.name for path in tests.rglob("*.py")]
    assert sorted({n for n in names if names.count(n) > 1}) == []
