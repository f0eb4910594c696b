"""Revenue by state and channel attribution of a :class:`DaskPool`: integer sums, added up.

Both are sums over customers — of rows' amounts (exact minor units) and of customers per state
or per source channel — and a customer's rows are all in one partition. Each partition returns
its sums for the customers it owns; the client adds them and builds the result with the
single-machine constructors, so every mean, rate and Money is computed once from the sums.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np

from custpool import ChannelAttribution, ChannelRow, State, StateRevenue
from custpool import channel_attribution as table_attribution
from custpool import revenue_by_state as table_revenue
from custpool import tier_snapshots as table_snapshots
from custpool._analytics import minor_or_none, to_money
from custpool._engine import SOURCES, as_window, rate, readonly
from custpool._errors import wrong_argument
from custpool.dask._kpis import one_currency
from custpool.dask._partition import EMPTY, DaskPool, Part

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime

    from numpy.typing import NDArray

    from custpool import Money, Policy, TierSnapshots, Window

__all__ = ["RevenueSums", "add_revenue", "channel_attribution", "revenue_by_state", "revenue_sums"]

_N_STATES = len(State)


def _check_pool(pool: object) -> None:
    if not isinstance(pool, DaskPool):
        raise wrong_argument("pool", pool, "must be a custpool.dask.DaskPool")


RevenueSums: TypeAlias = tuple["NDArray[np.int64]", "NDArray[np.int64]", str | None]
"""A partition's revenue totals and owned customer-periods per state, and its currency."""


def revenue_sums(part: Part, snapshots: TierSnapshots) -> RevenueSums:
    """Return the partition's revenue totals and owned customer-periods per state.

    ``snapshots`` are the tier snapshots of the partition's table (every customer of it).
    """
    revenue = table_revenue(part.events, snapshots)  # customers not owned here have no rows
    owned = snapshots.states[:-1, part.own].astype(np.int64)
    periods = np.stack([np.bincount(row, minlength=_N_STATES) for row in owned])
    return np.asarray(revenue.totals), periods.astype(np.int64), part.events.currency


def _revenue_sums(part: Part, policy: Policy, period_ends: tuple[datetime, ...]) -> RevenueSums:
    return revenue_sums(part, table_snapshots(part.events, policy, period_ends))


def add_revenue(ends: tuple[datetime, ...], results: Iterable[RevenueSums]) -> StateRevenue:
    """Return the :class:`~custpool.StateRevenue` of the partitions' sums, added up."""
    totals = np.zeros((len(ends) - 1, _N_STATES), dtype=np.int64)
    periods = np.zeros((len(ends) - 1, _N_STATES), dtype=np.int64)
    currencies: set[str | None] = set()
    for part_totals, part_periods, currency in results:
        totals += part_totals
        periods += part_periods
        currencies.add(currency)
    return StateRevenue(ends, one_currency(currencies), readonly(totals), readonly(periods))


def revenue_by_state(
    pool: DaskPool, policy: Policy, period_ends: Sequence[datetime]
) -> StateRevenue:
    """Return :func:`custpool.revenue_by_state` of the pool with its tier snapshots.

    ``totals[k, s]`` (net revenue of period ``k`` of the customers in state ``s`` at its start,
    minor units) and ``customer_periods[k, s]`` are sums over customers: each partition adds up
    its own customers', the client adds the partitions', and :class:`~custpool.StateRevenue`
    derives the means from the sums, as on one machine (``revenue_by_state(table,
    tier_snapshots(table, policy, period_ends))``).

    Raises
    ------
    custpool.WrongTypeError
        If ``pool`` is not a :class:`DaskPool` or ``policy`` not a Policy.
    custpool.ValidationError
        If the period ends are not valid (checked before anything is computed), or the
        partitions hold amounts in several currencies.
    """
    _check_pool(pool)
    ends = table_snapshots(EMPTY.events, policy, period_ends).period_ends  # checks them
    return add_revenue(ends, pool.compute(_revenue_sums, policy, ends))


_ROW_COUNTS = ("customers", "new_customers", "connections", "converted", "purchases")
_ROW_MONEY = ("revenue", "refunded")
_TOTAL_COUNTS = ("unattributed_customers", "unattributed_converted", "unattributed_purchases")
_TOTAL_MONEY = ("unattributed_revenue", "revenue", "unattributed_refunded")


def _attribution_sums(part: Part, window: Window) -> tuple[dict[str, int], str | None]:
    """Return the partition's attribution counts and minor units, by name."""
    result = table_attribution(part.events, window)
    sums: dict[str, int] = {}
    for row in result.rows:
        for name in _ROW_COUNTS:
            sums[f"{row.source.value}.{name}"] = getattr(row, name)
        for name in _ROW_MONEY:
            sums[f"{row.source.value}.{name}"] = minor_or_none(getattr(row, name)) or 0
    for name in _TOTAL_COUNTS:
        sums[name] = getattr(result, name)
    for name in _TOTAL_MONEY:
        sums[name] = minor_or_none(getattr(result, name)) or 0
    # customers named by this partition's referrals but owned elsewhere: no rows, no source
    sums["unattributed_customers"] -= int(np.count_nonzero(~part.own))
    return sums, part.events.currency


def channel_attribution(
    pool: DaskPool, start: datetime | Window, end: datetime | None = None
) -> ChannelAttribution:
    """Return :func:`custpool.channel_attribution` of the pool: per source channel, summed.

    A customer is attributed to the source of their first CONNECT, found in their own
    partition; every figure of a channel (customers, new customers, connections, converted,
    purchases, revenue and refunds in minor units) and of the unattributed is a sum over
    customers or rows. The client adds the partitions' and builds every rate and Money once.

    Raises
    ------
    custpool.WrongTypeError
        If ``pool`` is not a :class:`DaskPool`.
    custpool.ValidationError
        If the window is invalid, the partitions hold amounts in several currencies, or a sum
        is more than :class:`~custpool.Money` holds.
    """
    _check_pool(pool)
    window = as_window(start, end)
    results = pool.compute(_attribution_sums, window)
    total: dict[str, int] = {}
    for sums, _ in results:
        for name, value in sums.items():
            total[name] = total.get(name, 0) + value
    currency = one_currency({currency for _, currency in results})

    def money(name: str) -> Money | None:
        return None if currency is None else to_money(total[name], currency, name)

    rows = tuple(
        ChannelRow(
            source=source,
            customers=total[f"{source.value}.customers"],
            new_customers=total[f"{source.value}.new_customers"],
            connections=total[f"{source.value}.connections"],
            converted=total[f"{source.value}.converted"],
            conversion_rate=rate(
                total[f"{source.value}.converted"], total[f"{source.value}.customers"]
            ),
            purchases=total[f"{source.value}.purchases"],
            revenue=money(f"{source.value}.revenue"),
            refunded=money(f"{source.value}.refunded"),
        )
        for source in SOURCES
    )
    extra: dict[str, Any] = {name: total[name] for name in _TOTAL_COUNTS}
    extra |= {name: money(name) for name in _TOTAL_MONEY}
    return ChannelAttribution(window=window, currency=currency, rows=rows, **extra)
