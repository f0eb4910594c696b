"""Strategies for one customer's history: :func:`histories`, and the history drawing it shares.

A history is a consistent, time-ordered list of one customer's interactions: refunds refund
earlier purchases, referrals point at other customers. :func:`draw_history` draws one inside a
composite; the pools and the tier states draw their histories with it too.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Final

from hypothesis import strategies as st

from custpool._model import CURRENCY_MINOR_UNITS, Interaction, InteractionKind, Money
from custpool.strategies._blocks import (
    DEFAULT_MAX_TIME,
    DEFAULT_MIN_TIME,
    avoiding,
    aware,
    generated_ids,
    numbered,
    offsets,
    purchase_units,
)
from custpool.strategies._checks import (
    as_items,
    check_currencies,
    check_id,
    check_kinds,
    check_prefix,
    check_size_range,
    check_window,
    fail,
)
from custpool.strategies._interactions import draw_details, unit_range

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

__all__ = [
    "MICROSECOND",
    "SECOND",
    "Referral",
    "booleans",
    "check_linked_kinds",
    "draw_history",
    "histories",
]


@cache
def _currency_from(codes: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.sampled_from(codes)


# A history's referral targets: a strategy of ids, or a fixed tuple of ids to pick from.
Referral = st.SearchStrategy[str] | tuple[str, ...] | None

_DAY: Final = timedelta(days=1)
SECOND: Final = timedelta(seconds=1)
MICROSECOND: Final = timedelta(microseconds=1)


@cache
def _event_seeds(
    kinds: int, window: tuple[datetime, datetime], sizes: tuple[int, int]
) -> st.SearchStrategy[list[tuple[int, int, int]]]:
    """Draw a history's events as (kind index, day, second of the day) triples.

    Each event is one list element of three choices, small enough for the shrinker to delete
    whole events; kind indices shrink toward the simplest kinds, times toward ``min_time``.
    Everything else about an event is drawn afterwards, in time order.
    """
    low, high = window
    span = high - low
    element = st.tuples(
        st.integers(0, kinds - 1),
        st.integers(0, span // _DAY),
        st.integers(0, min(86_399, span // SECOND)),
    )
    return st.lists(element, min_size=sizes[0], max_size=sizes[1])


@cache
def _micros(window: tuple[datetime, datetime]) -> st.SearchStrategy[int]:
    return st.integers(0, min(999_999, (window[1] - window[0]) // MICROSECOND))


@cache
def booleans() -> st.SearchStrategy[bool]:
    return st.booleans()


def _draw_order(
    draw: st.DrawFn,
    kind: InteractionKind,
    new_order: str,
    left: dict[str, int],
    prices: st.SearchStrategy[int],
) -> tuple[str, int]:
    """Draw a purchase of ``new_order``, or a refund of an open order; update ``left``.

    A free order (0) goes into ``left`` too, but is never open: nothing is left to refund.
    """
    if kind is InteractionKind.PURCHASE:
        left[new_order] = units = draw(prices)
        return new_order, units
    open_orders = [order for order, units in left.items() if units > 0]
    order = open_orders[draw(unit_range(0, len(open_orders) - 1))]
    partial = draw(booleans())
    # Hypothesis caches st.integers itself; unit_range's unbounded cache is for fixed ranges.
    units = draw(st.integers(1, left[order])) if partial else left[order]
    left[order] -= units
    return order, units


def draw_history(  # noqa: PLR0913 - the history's settings, passed by keyword
    draw: st.DrawFn,
    *,
    customer_id: str,
    referral: Referral,
    kinds: tuple[InteractionKind, ...],
    window: tuple[datetime, datetime],
    sizes: tuple[int, int],
    currencies: tuple[str, ...],
    id_of: Callable[[int], str],
) -> list[Interaction]:
    """Draw one customer's consistent, time-ordered interactions.

    ``id_of(n)`` names the n-th interaction; ids must ascend with ``n`` so that sorting by
    ``(at, id)`` keeps list order. Purchases use order id ``"o-" + id``; about one in eight is
    a free order (amount 0), which is never open. A refund refunds an open order (one with
    money left) of this history, all or part of what is left; a refund drawn while no order is
    open becomes a purchase instead (a mapping, never a rejection).
    Callers make sure ``purchase`` is among ``kinds`` whenever ``refund`` is.
    """
    if referral == ():
        referral = None
    usable = tuple(k for k in kinds if referral is not None or k is not InteractionKind.REFERRAL)
    if not usable:
        return []  # only referrals were asked for, and there is nobody to refer
    currency = draw(_currency_from(currencies))
    scale = -CURRENCY_MINOR_UNITS[currency]
    prices = purchase_units(currency)
    low, high = window
    seeds = draw(_event_seeds(len(usable), window, sizes))
    timed = [
        (min(low + day * _DAY + second * SECOND + draw(_micros(window)) * MICROSECOND, high), k)
        for k, day, second in seeds
    ]
    timed.sort(key=lambda event: event[0])
    left: dict[str, int] = {}  # order id -> minor units not yet refunded, in purchase order
    history: list[Interaction] = []
    for n, (instant, index) in enumerate(timed):
        interaction_id, kind = id_of(n), usable[index]
        if kind is InteractionKind.REFUND and not any(left.values()):
            kind = InteractionKind.PURCHASE
        at = aware(instant, draw(offsets()))
        details = draw_details(draw, kind)
        if kind in {InteractionKind.PURCHASE, InteractionKind.REFUND}:
            order_id, units = _draw_order(draw, kind, f"o-{interaction_id}", left, prices)
            details["order_id"] = order_id
            details["amount"] = Money(amount=Decimal(units).scaleb(scale), currency=currency)
        elif kind is InteractionKind.REFERRAL and isinstance(referral, tuple):
            details["referred_id"] = referral[draw(unit_range(0, len(referral) - 1))]
        elif kind is InteractionKind.REFERRAL and isinstance(referral, st.SearchStrategy):
            details["referred_id"] = draw(referral)
        history.append(
            Interaction(id=interaction_id, customer_id=customer_id, at=at, kind=kind, **details)
        )
    return history


def check_linked_kinds(kinds: object, chosen: tuple[InteractionKind, ...]) -> None:
    if InteractionKind.REFUND in chosen and InteractionKind.PURCHASE not in chosen:
        rule = "includes refund but not purchase; refunds need an earlier purchase to refund"
        raise fail("kinds", kinds, rule)


def histories(  # noqa: PLR0913 - keyword-only options, each documented
    *,
    customer_id: str | None = None,
    min_size: int = 0,
    max_size: int = 30,
    kinds: Iterable[InteractionKind | str] | InteractionKind | str | None = None,
    min_time: datetime = DEFAULT_MIN_TIME,
    max_time: datetime = DEFAULT_MAX_TIME,
    other_customer_ids: Sequence[str] | st.SearchStrategy[str] | None = None,
    currencies: Iterable[str] | str = ("CNY",),
    id_prefix: str = "i-",
) -> st.SearchStrategy[list[Interaction]]:
    """Generate one customer's history: a consistent, time-ordered list of interactions.

    Guarantees, for every draw:

    - every interaction is valid and belongs to the one customer;
    - ``at`` never decreases along the list;
    - ids are unique and ascend with the list (``id_prefix`` + zero-padded position), so
      sorting by ``(at, id)`` gives back the list order;
    - purchases have order id ``"o-" + id``; refunds refund an *earlier* purchase of this
      customer, in its currency, and the refunds of an order never exceed its amount;
    - purchase amounts are 0 or more: about one purchase in eight is a free order (0, a gift
      or a 0元 trial), and a free order is never refunded; refund amounts are above 0;
    - one currency throughout;
    - referrals point at other customer ids, never the customer's own.

    Anything else the domain allows may happen: events before the ``connect``, a ``churn``
    followed by more activity, several connects. Draws shrink toward short histories of plain
    messages.

    Parameters
    ----------
    customer_id
        The customer; default a generated id such as ``'c-0'``.
    min_size, max_size
        Bounds of the list's length.
    kinds
        Kinds to draw from (default all); refunds need ``purchase`` among the kinds.
    min_time, max_time
        Aware bounds of ``at`` (inclusive).
    other_customer_ids
        Whom referrals may point at: a strategy, or a sequence of ids (a single id may be given
        on its own); the customer's own id is never used. Default: generated ids.
    currencies
        Currencies to choose the history's one currency from.
    id_prefix
        Prefix of the interaction ids.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[list[Interaction]]

    Raises
    ------
    InvalidStrategyArgument
        For negative or reversed sizes, naive or reversed times, unknown or empty kinds or
        currencies, ``refund`` without ``purchase``, ``referral`` asked for with no other
        customer to refer, or an id or prefix that makes invalid ids.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(histories(customer_id="c-1", max_size=8, other_customer_ids=["c-2", "c-3"]))
    ... def check(history):
    ...     assert all(i.customer_id == "c-1" for i in history)
    ...     assert [i.at for i in history] == sorted(i.at for i in history)
    ...     assert all(i.referred_id in {None, "c-2", "c-3"} for i in history)
    >>> check()
    """
    own = None if customer_id is None else check_id("customer_id", customer_id)
    low_size, high_size = check_size_range("min_size", min_size, "max_size", max_size)
    kind_list = check_kinds(kinds)
    check_linked_kinds(kinds, kind_list)
    window = check_window(min_time, max_time)
    codes = check_currencies(currencies)
    width = len(str(max(high_size - 1, 0)))
    check_prefix(id_prefix, width)

    others: list[str] | None = None
    other_strategy: st.SearchStrategy[str] | None = None
    if isinstance(other_customer_ids, st.SearchStrategy):
        other_strategy = other_customer_ids
    elif other_customer_ids is not None:
        items = as_items("other_customer_ids", other_customer_ids)
        others = [check_id("other_customer_ids", i) for i in items if i != own]
        if not others:
            if kinds is not None and InteractionKind.REFERRAL in kind_list:
                rule = f"leaves nobody but {own!r} to refer, and referral is among the kinds"
                raise fail("other_customer_ids", other_customer_ids, rule)
            kind_list = tuple(k for k in kind_list if k is not InteractionKind.REFERRAL)
    own_strategy = (
        st.just(own) if own is not None else generated_ids("c-").map(avoiding(others or ()))
    )
    targets = None if others is None else tuple(dict.fromkeys(others))

    @st.composite
    def build(draw: st.DrawFn) -> list[Interaction]:
        who = draw(own_strategy)
        referral: Referral
        if other_strategy is not None:
            referral = other_strategy.filter(lambda other: other != who)
        elif targets is not None:
            referral = targets  # never holds ``who``: see own_strategy
        else:
            referral = generated_ids("c-").map(avoiding([who]))
        return draw_history(
            draw,
            customer_id=who,
            referral=referral,
            kinds=kind_list,
            window=window,
            sizes=(low_size, high_size),
            currencies=codes,
            id_of=numbered(id_prefix, 0, width),
        )

    return build()
