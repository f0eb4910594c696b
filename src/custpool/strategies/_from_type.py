"""Registration of the strategies with ``st.from_type``: :func:`register_type_strategies`.

This part imports no Hypothesis and no other part when it is imported, and
:mod:`custpool.strategies` imports it before any other part: see the comment below. The
strategies it registers are built by :mod:`custpool.strategies._type_strategies`, imported only
when a test first asks for one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from custpool._model import (
    AllOf,
    AnyOf,
    Cadence,
    Contacts,
    Customer,
    Interaction,
    Money,
    NoneOf,
    Pool,
    PoolActivity,
    PoolCharter,
    SizeRange,
    Tag,
)
from custpool._tiers import Criterion, Paradigm, Policy, TierState

if TYPE_CHECKING:
    from collections.abc import Callable

    from hypothesis.strategies import SearchStrategy

__all__ = ["register_type_strategies", "registered"]

# Bound in the package before Hypothesis is imported, on purpose: if custpool.strategies is
# imported first, importing Hypothesis (in the parts imported after this one) runs custpool's entry
# point, which imports register_type_strategies from the (half-loaded) package and calls it at
# once. So this module imports neither Hypothesis nor the other parts; the function imports
# Hypothesis itself, and the strategies it registers are looked up only when a test asks for them.
registered: list[bool] = []
"""Holds ``True`` once :func:`register_type_strategies` has registered the strategies."""

_REGISTERED_TYPES: Final[tuple[type[Any], ...]] = (
    Tag,
    Money,
    Contacts,
    Customer,
    Interaction,
    PoolActivity,
    Cadence,
    SizeRange,
    PoolCharter,
    AllOf,
    AnyOf,
    NoneOf,
    Pool,
    Paradigm,
    Policy,
    TierState,
    Criterion,
)
"""The types registered, in registration order."""


def _deferred(model: type[Any]) -> Callable[[type[Any]], SearchStrategy[Any]]:
    """Return a function giving ``model``'s strategy, imported and built only when called."""

    def strategy(_: type[Any]) -> SearchStrategy[Any]:
        from custpool.strategies._type_strategies import strategy_for  # noqa: PLC0415 - see above

        return strategy_for(model)

    return strategy


def register_type_strategies() -> None:
    """Register these strategies with ``st.from_type`` for every public custpool model.

    custpool's ``hypothesis`` entry point calls this when Hypothesis is imported, so you rarely
    need to. Registered: ``Customer``, ``Contacts``, ``Tag``, ``Money`` (every currency, amounts
    of either sign), ``Interaction``, ``PoolActivity``, ``PoolCharter``, ``Cadence``,
    ``SizeRange``, ``AllOf``, ``AnyOf``, ``NoneOf`` (a rule of that shape at the top), ``Pool``,
    ``Paradigm``, ``Policy``, ``TierState`` and ``Criterion`` (one criterion of a drawn
    :func:`tier_states` result), each with its strategy's defaults. Strategies are registered as
    functions, so nothing is built until a test asks for one. Idempotent: calls after the first
    do nothing, so a registration of your own made afterwards stays in place.

    Examples
    --------
    >>> from hypothesis import given, settings, strategies as st
    >>> from custpool import Customer
    >>> register_type_strategies()  # already done by the entry point; harmless
    >>> @settings(max_examples=10)
    ... @given(st.from_type(Customer))
    ... def check(c):
    ...     assert isinstance(c, Customer)
    >>> check()
    """
    if registered:
        return
    from hypothesis import strategies as hst  # noqa: PLC0415 - see the comment above

    for model in _REGISTERED_TYPES:
        hst.register_type_strategy(model, _deferred(model))
    registered.append(True)
