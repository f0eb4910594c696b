"""Every property asserts on (nearly) every example: the rule of docs/testing.md, enforced.

A Hypothesis test whose assertions all sit behind an ``if`` (or after an ``if …: return``)
passes, silently, on every example where the condition is false. This module reads every test
file and fails on a property that

- leaves early with ``if …: return`` before asserting anything (use ``assume(…)``:
  Hypothesis then draws another example instead of counting a test that tested nothing), or
- asserts only under an ``if`` whose ``else`` does not assert too, unless it is decorated with
  :func:`property_helpers.asserts_often`, which fails the run when the guarded assertion ran on
  fewer than half the examples.

A call to a checking helper (``same(…)``, ``assert_…(…)``, ``check_…(…)``, ``with
pytest.raises(…)``) outside any ``if`` counts as an assertion.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
_CHECKING = ("assert", "same", "_same", "check", "_check", "_assert", "revalidate", "expect")


def _is_property(function: ast.FunctionDef) -> bool:
    return any("given" in ast.unparse(d) for d in function.decorator_list)


def _counted(function: ast.FunctionDef) -> bool:
    return any("asserts_often" in ast.unparse(d) for d in function.decorator_list)


def _checks(statement: ast.stmt) -> bool:
    """Whether ``statement`` asserts on every pass through it (no ``if`` on the way)."""
    if isinstance(statement, ast.Assert):
        return True
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        name = ast.unparse(statement.value.func).rsplit(".", 1)[-1]
        return name.startswith(_CHECKING)
    if isinstance(statement, ast.With):
        raises = any("raises" in ast.unparse(item.context_expr) for item in statement.items)
        return raises or _always_checks(statement.body)
    if isinstance(statement, ast.If):
        return _always_checks(statement.body) and _always_checks(statement.orelse)
    if isinstance(statement, (ast.For, ast.While, ast.Try)):
        return _always_checks(statement.body)
    return False


def _always_checks(body: list[ast.stmt]) -> bool:
    return any(_checks(statement) for statement in body)


def _returns_early(function: ast.FunctionDef) -> list[int]:
    """Lines of ``if …: return`` reached before any assertion ran on that path."""
    found = []
    for position, statement in enumerate(function.body):
        if not isinstance(statement, ast.If) or _always_checks(function.body[:position]):
            continue
        if _always_checks(statement.body):
            continue  # it asserts, then leaves
        found += [node.lineno for node in ast.walk(statement) if isinstance(node, ast.Return)]
    return found


def _properties() -> list[tuple[str, ast.FunctionDef]]:
    return [
        (f"{path.relative_to(TESTS)}::{node.name}", node)
        for path in sorted(TESTS.rglob("test_*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and _is_property(node)
    ]


PROPERTIES = _properties()


def test_the_suite_has_properties_to_check():
    assert len(PROPERTIES) > 150  # 168 `@given` lines on 2026-12-06


@pytest.mark.parametrize(("name", "function"), PROPERTIES, ids=[n for n, _ in PROPERTIES])
def test_no_property_returns_early(name, function):
    assert _returns_early(function) == [], f"{name}: use assume(…) instead of if …: return"


@pytest.mark.parametrize(("name", "function"), PROPERTIES, ids=[n for n, _ in PROPERTIES])
def test_a_property_asserts_always_or_counts_how_often(name, function):
    assert _counted(function) or _always_checks(function.body), (
        f"{name}: every assertion sits behind an if; decorate it with @asserts_often() "
        "(tests/property_helpers.py) or draw what the assertion needs"
    )


def _function(*lines: str) -> ast.FunctionDef:
    function = ast.parse("\n".join(["def t(x):", *("    " + line for line in lines)])).body[0]
    assert isinstance(function, ast.FunctionDef)
    return function


def test_the_rule_reads_guarded_and_unguarded_bodies():
    assert not _always_checks(_function("if x:", "    assert x").body)
    assert _always_checks(_function("if x:", "    assert x", "else:", "    assert 1").body)
    assert _always_checks(_function("same(x, x)").body)
    assert _always_checks(_function("with pytest.raises(E):", "    f(x)").body)
    # line 1 is the def: the return is on line 3
    assert _returns_early(_function("if not x:", "    return", "assert x")) == [3]
    assert _returns_early(_function("assert x", "if x:", "    return")) == []
