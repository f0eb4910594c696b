"""Strategies for single interactions: :func:`interactions`, and the per-kind details they draw.

Every per-kind rule of :data:`~custpool.KIND_RULES` holds for every draw. The detail drawing
(direction, channel, per-kind fields) is shared with the histories, which set the fields that
point at other things (orders, amounts, referred customers) themselves.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, Final

from hypothesis import strategies as st

from custpool._model import (
    KIND_FIELDS,
    KIND_RULES,
    Channel,
    ChurnReason,
    ComplaintReason,
    Direction,
    Interaction,
    InteractionKind,
    SourceChannel,
)
from custpool.strategies._blocks import (
    DEFAULT_MAX_TIME,
    DEFAULT_MIN_TIME,
    avoiding,
    aware_times,
    generated_ids,
    money_in,
    positive_units,
    purchase_money,
)
from custpool.strategies._checks import check_currencies, check_kinds, check_window, id_source

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime

__all__ = ["channels", "draw_details", "interactions", "unit_range"]

_LINKED_FIELDS: Final = frozenset({"order_id", "amount", "referred_id"})
"""Per-kind fields that point at other things; the caller of :func:`draw_details` sets them."""


@cache
def _field_strategy(name: str, *, optional: bool = False) -> st.SearchStrategy[Any]:
    strategies: dict[str, st.SearchStrategy[Any]] = {
        "source": st.sampled_from(SourceChannel),
        "churn_reason": st.sampled_from(ChurnReason),
        "event_id": generated_ids("ev-"),
        "content_id": generated_ids("ct-"),
        "score": st.integers(0, 10),
        "complaint_reason": st.sampled_from(ComplaintReason),
    }
    return st.none() | strategies[name] if optional else strategies[name]


@cache
def _directions(kind: InteractionKind) -> st.SearchStrategy[Direction]:
    return st.sampled_from(KIND_RULES[kind].directions)


@cache
def channels() -> st.SearchStrategy[Channel]:
    return st.sampled_from(Channel)


@cache
def _kinds_from(kinds: tuple[InteractionKind, ...]) -> st.SearchStrategy[InteractionKind]:
    return st.sampled_from(kinds)


@cache
def unit_range(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


def draw_details(draw: st.DrawFn, kind: InteractionKind) -> dict[str, Any]:
    """Draw direction, channel and the per-kind fields that point at nothing else.

    ``order_id``, ``amount`` and ``referred_id`` are left to the caller, who knows what they
    may point at.
    """
    rule = KIND_RULES[kind]
    details: dict[str, Any] = {
        "direction": draw(_directions(kind)),
        "channel": rule.channel if rule.channel is not None else draw(channels()),
    }
    for name in KIND_FIELDS:
        if name in _LINKED_FIELDS:
            continue
        if name in rule.required:
            details[name] = draw(_field_strategy(name))
        elif name in rule.optional:
            details[name] = draw(_field_strategy(name, optional=True))
    # who served the row and where: a few staff and groups, so rows share them
    details["operator_id"] = draw(st.none() | st.sampled_from(_OPERATORS))
    details["group_id"] = draw(st.none() | st.sampled_from(_GROUPS))
    return details


_OPERATORS: Final = ("op-1", "op-2", "op-3")
_GROUPS: Final = ("g-1", "g-2")


def interactions(
    *,
    customer_ids: Sequence[str] | st.SearchStrategy[str] | None = None,
    kinds: Iterable[InteractionKind | str] | InteractionKind | str | None = None,
    min_time: datetime = DEFAULT_MIN_TIME,
    max_time: datetime = DEFAULT_MAX_TIME,
    currencies: Iterable[str] | str = ("CNY",),
) -> st.SearchStrategy[Interaction]:
    """Generate single valid :class:`~custpool.Interaction` objects of every kind.

    Every per-kind rule of :data:`~custpool.KIND_RULES` holds: required fields set, optional
    ones sometimes, others empty; an allowed direction; the fixed channel where there is one;
    purchase amounts of 0 or more (about one purchase in eight is a free order of 0), refund
    amounts above 0; a ``referred_id`` other than the customer's; scores 0-10. Timestamps are
    aware, in UTC, +08:00 or -05:00 (the model stores them in UTC). Each draw stands alone:
    refunds name an arbitrary order; use :func:`histories` or :func:`pools` for consistent sets.
    Draws shrink toward a plain inbound ``message``.

    Parameters
    ----------
    customer_ids
        Customer ids: a strategy, or a sequence to sample from (a single id may be given on its
        own). Default: generated ids such as ``'c-0'``.
    kinds
        Kinds to draw from (:class:`~custpool.InteractionKind` members or values); default all.
    min_time, max_time
        Aware bounds of ``at`` (inclusive).
    currencies
        Currencies of purchase and refund amounts (amounts up to 100 000).

    Returns
    -------
    hypothesis.strategies.SearchStrategy[Interaction]

    Raises
    ------
    InvalidStrategyArgument
        For an invalid id, an empty or unknown kind or currency, or naive or reversed times.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(interactions(kinds=["purchase", "refund"], currencies="JPY"))
    ... def check(i):
    ...     assert i.amount is not None and i.amount.currency == "JPY"
    ...     assert i.amount.amount > 0 or (i.kind == "purchase" and i.amount.amount == 0)
    ...     assert i.order_id is not None
    >>> check()
    """
    id_strategy = id_source("customer_ids", customer_ids, "c-")
    kind_list = check_kinds(kinds)
    low, high = check_window(min_time, max_time)
    codes = check_currencies(currencies)
    times = aware_times(low, high)

    kind_strategy = _kinds_from(kind_list)
    currency_strategy = st.sampled_from(codes)

    @st.composite
    def build(draw: st.DrawFn) -> Interaction:
        kind = draw(kind_strategy)
        customer_id = draw(id_strategy)
        linked: dict[str, Any] = {}
        if kind in {InteractionKind.PURCHASE, InteractionKind.REFUND}:
            code = draw(currency_strategy)
            linked["order_id"] = draw(generated_ids("o-"))
            if kind is InteractionKind.PURCHASE:
                linked["amount"] = draw(purchase_money(code))
            else:
                linked["amount"] = draw(money_in(code, *positive_units(code)))
        elif kind is InteractionKind.REFERRAL:
            linked["referred_id"] = draw(generated_ids("c-").map(avoiding([customer_id])))
        return Interaction(
            id=draw(generated_ids("i-")),
            customer_id=customer_id,
            at=draw(times),
            kind=kind,
            **draw_details(draw, kind),
            **linked,
        )

    return build()
