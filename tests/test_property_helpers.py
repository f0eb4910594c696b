"""The helper that makes a guarded property fail when its assertion rarely runs."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from property_helpers import asserted, asserts_often


@asserts_often()
@settings(max_examples=50, database=None, derandomize=True)
@given(st.integers(0, 99))
def test_a_property_asserting_on_every_example_passes(n: int) -> None:
    asserted()
    assert 0 <= n <= 99


def test_a_property_asserting_rarely_fails() -> None:
    @asserts_often()
    @settings(max_examples=50, database=None, derandomize=True)
    @given(st.integers(0, 99))
    def rarely(n: int) -> None:
        if n == 7:  # the assertion runs on a handful of examples at most
            asserted()
            assert n == 7

    with pytest.raises(AssertionError, match=r"rarely: the assertion ran on \d+ of 50 examples"):
        rarely()
    count = rarely.assertion_count  # type: ignore[attr-defined]
    assert count.examples == 50
    assert count.asserted < 25


def test_rejected_examples_are_not_counted() -> None:
    @asserts_often()
    @settings(max_examples=30, database=None, derandomize=True)
    @given(st.integers(0, 99))
    def filtered(n: int) -> None:
        assume(n % 2 == 0)  # half the draws are rejected: they are not examples
        asserted()
        assert n % 2 == 0

    filtered()
    count = filtered.assertion_count  # type: ignore[attr-defined]
    assert count.examples == count.asserted == 30


def test_the_decorator_must_sit_above_given() -> None:
    def plain() -> None:
        pass

    with pytest.raises(TypeError, match="above @given"):
        asserts_often()(plain)


def test_asserted_outside_a_decorated_test_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="outside a test"):
        asserted()
