"""Properties that always assert: count how often a property's guarded assertion really ran.

A property whose assertion sits behind a condition (``if was is not None: assert ...``) passes
on every example where the condition is false, so it can look green while testing almost
nothing. :func:`asserts_often` wraps a Hypothesis test; inside it, the test calls
:func:`asserted` where its assertion runs. When the run ends without failure, the decorator
fails the test if the assertion ran on fewer than ``minimum`` (half, by default) of the valid
examples. Every call also records a Hypothesis ``event()``, so ``pytest
--hypothesis-show-statistics`` shows the share.

Usage (the decorator goes *above* ``@given``)::

    @asserts_often()
    @settings(max_examples=40)
    @given(...)
    def test_something(...):
        if condition:
            asserted()
            assert ...
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hypothesis import event
from hypothesis.errors import UnsatisfiedAssumption

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["AssertionCount", "asserted", "asserts_often"]


@dataclass
class AssertionCount:
    """How many valid examples ran, and on how many the assertion ran."""

    name: str
    examples: int = 0
    asserted: int = 0
    _marked: bool = False


_current: list[AssertionCount] = []


def asserted(label: str = "asserted") -> None:
    """Record that the guarded assertion of the running property runs on this example."""
    if not _current:
        msg = "asserted() called outside a test decorated with @asserts_often()"
        raise RuntimeError(msg)
    count = _current[-1]
    if not count._marked:  # once per example, however many times it is called
        count._marked = True
        count.asserted += 1
    event(label)


def asserts_often(minimum: float = 0.5) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Fail a Hypothesis test whose assertion ran on fewer than ``minimum`` of its examples.

    Examples rejected by ``assume`` or a filter are not examples (Hypothesis does not count
    them either); an example that raises counts as run.
    """

    def decorate(test: Callable[..., Any]) -> Callable[..., Any]:
        hypothesis_handle = getattr(test, "hypothesis", None)
        if hypothesis_handle is None:
            msg = f"{test.__name__}: put @asserts_often() above @given"
            raise TypeError(msg)
        count = AssertionCount(test.__name__)
        inner = hypothesis_handle.inner_test

        @functools.wraps(inner)
        def counted(*args: Any, **kwargs: Any) -> Any:
            count._marked = False
            _current.append(count)
            try:
                result = inner(*args, **kwargs)
            except UnsatisfiedAssumption:
                raise
            except BaseException:
                count.examples += 1
                raise
            finally:
                _current.pop()
            count.examples += 1
            if not count._marked:
                event("assertion skipped")
            return result

        hypothesis_handle.inner_test = counted

        @functools.wraps(test)
        def run(*args: Any, **kwargs: Any) -> None:
            count.examples = count.asserted = 0
            test(*args, **kwargs)
            if count.examples and count.asserted < minimum * count.examples:
                msg = (
                    f"{count.name}: the assertion ran on {count.asserted} of "
                    f"{count.examples} examples, fewer than {minimum:.0%}; target the "
                    "strategies (or assume) so that it runs on most examples"
                )
                raise AssertionError(msg)

        run.assertion_count = count  # type: ignore[attr-defined]
        return run

    return decorate
