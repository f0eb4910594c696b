"""The strategy ``st.from_type`` gives for each registered type: :func:`strategy_for`.

Each registered type gets its strategy's defaults, except ``Money`` (every currency, amounts of
either sign), the rules (a rule of the registered shape at the top) and ``Criterion`` (one
criterion of a drawn tier state). :mod:`custpool.strategies._from_type` imports this part only
when a test first asks for one of these strategies.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from hypothesis import strategies as st

from custpool._model import (
    CURRENCY_MINOR_UNITS,
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
from custpool._tiers import Criterion, Paradigm, Policy, Stage, TierState
from custpool.strategies._activities import activities
from custpool.strategies._charters import (
    Rule,
    cadences,
    charters,
    make_rule,
    rule_strategy,
    size_ranges,
)
from custpool.strategies._customers import contacts, customers
from custpool.strategies._interactions import interactions
from custpool.strategies._pools import pools
from custpool.strategies._tags import money, tags
from custpool.strategies._tiers import paradigms, policies, tier_states

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["strategy_for"]

_EVERY_CURRENCY: Final = tuple(CURRENCY_MINOR_UNITS)
_MONEY_LIMIT: Final = Decimal("999999999999999.999")


def _any_money() -> st.SearchStrategy[Money]:
    return money(currencies=_EVERY_CURRENCY, min_amount=-_MONEY_LIMIT, max_amount=_MONEY_LIMIT)


def _rule_of(op: type[Rule]) -> st.SearchStrategy[Rule]:
    inner = rule_strategy(1, 3, tags())
    items = st.lists(tags() | inner, min_size=1, max_size=3)
    return st.builds(make_rule, st.just(op), items)


def _pick_criterion(state: TierState, index: int) -> Criterion:
    return state.criteria[index % len(state.criteria)]


def _criteria() -> st.SearchStrategy[Criterion]:
    """One criterion of a :func:`tier_states` draw (for ``st.from_type(Criterion)``)."""
    return st.builds(_pick_criterion, tier_states(), st.integers(0, len(Stage) - 1))


_STRATEGIES: Final[dict[type[Any], Callable[[], st.SearchStrategy[Any]]]] = {
    Tag: tags,
    Money: _any_money,
    Contacts: contacts,
    Customer: customers,
    Interaction: interactions,
    PoolActivity: activities,
    Cadence: cadences,
    SizeRange: size_ranges,
    PoolCharter: charters,
    AllOf: lambda: _rule_of(AllOf),
    AnyOf: lambda: _rule_of(AnyOf),
    NoneOf: lambda: _rule_of(NoneOf),
    Pool: pools,
    Paradigm: paradigms,
    Policy: policies,
    TierState: tier_states,
    Criterion: _criteria,
}


def strategy_for(model: type[Any]) -> st.SearchStrategy[Any]:
    """Return a fresh strategy for ``model``, one of the types ``_from_type`` registers."""
    return _STRATEGIES[model]()
