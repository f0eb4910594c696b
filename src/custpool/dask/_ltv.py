"""Lifetime value by tier of a :class:`DaskPool`: revenue and flows summed, one chain solved.

:func:`custpool.tier_ltv` rests on two sums over customers — the revenue by state
(:func:`~custpool.revenue_by_state`) and the flows between states (:func:`~custpool.tier_flows`)
— and one small linear system of seven states. Each partition takes its tier snapshots once and
returns both sums for the customers it owns; the client adds them up, builds the
:class:`~custpool.StateRevenue` and :class:`~custpool.TierFlows` as one machine does, and solves
the chain once with the same function (``chain_value``): the same floats, bit for bit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from custpool import TierLTV
from custpool import tier_ltv as table_ltv
from custpool import tier_snapshots as table_snapshots
from custpool._analytics import chain_value
from custpool._errors import wrong_argument
from custpool.dask._partition import EMPTY, DaskPool, Part
from custpool.dask._tiers import FlowSums, add_flows, flow_sums
from custpool.dask._value import RevenueSums, add_revenue, revenue_sums

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from custpool import Policy

__all__ = ["tier_ltv"]


def _ltv_sums(
    part: Part, policy: Policy, period_ends: tuple[datetime, ...]
) -> tuple[RevenueSums, FlowSums]:
    """Return the partition's revenue sums and flow counts, from one set of snapshots."""
    snapshots = table_snapshots(part.events, policy, period_ends)
    return revenue_sums(part, snapshots), flow_sums(part, snapshots)


def tier_ltv(
    pool: DaskPool,
    policy: Policy,
    period_ends: Sequence[datetime],
    *,
    discount_rate: float,
    horizon: int | None = None,
) -> TierLTV:
    """Return :func:`custpool.tier_ltv` of the pool, with its tier snapshots at ``period_ends``.

    Equal to ``tier_ltv(table, tier_snapshots(table, policy, period_ends), discount_rate=…,
    horizon=…)`` on one machine: each partition classifies its customers at every period end
    once and returns its revenue totals (minor units) and customer-periods per state and its
    flow matrices; the client adds them up, builds :class:`~custpool.StateRevenue` (the mean
    revenue per customer-period) and :class:`~custpool.TierFlows` (the transition matrix) from
    the sums, and solves ``v = r + δ P v`` once — the same floats as one machine.

    Parameters
    ----------
    pool
        The events, split by customer.
    policy
        The tier policy.
    period_ends
        At least two aware datetimes, strictly increasing.
    discount_rate, horizon
        As :func:`custpool.tier_ltv` takes them.

    Returns
    -------
    TierLTV

    Raises
    ------
    custpool.WrongTypeError
        If ``pool`` is not a :class:`DaskPool`, or an argument has the wrong type.
    custpool.ValidationError
        If the period ends, the rate or the horizon are not valid (checked before anything is
        computed), or the partitions hold amounts in several currencies.

    Examples
    --------
    >>> from datetime import timedelta
    >>> import dask
    >>> import dask.dataframe as dd
    >>> import custpool
    >>> from custpool import EXAMPLE_START, EventTable, Policy, example_pool
    >>> from custpool.dask import from_dask, table_frame, tier_ltv
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> pool = from_dask(dd.from_pandas(table_frame(table), npartitions=2), npartitions=3,
    ...                  amounts="minor")
    >>> ends = [EXAMPLE_START + timedelta(weeks=w) for w in range(5)]
    >>> with dask.config.set(scheduler="synchronous"):
    ...     ltv = tier_ltv(pool, Policy(), ends, discount_rate=0.01, horizon=3)
    >>> one = custpool.tier_ltv(table, custpool.tier_snapshots(table, Policy(), ends),
    ...                         discount_rate=0.01, horizon=3)
    >>> ltv.value.tobytes() == one.value.tobytes()  # bit for bit, NaN where unknown
    True
    >>> ltv.money("converted") == one.money("converted")
    True
    """
    if not isinstance(pool, DaskPool):
        raise wrong_argument("pool", pool, "must be a custpool.dask.DaskPool")
    # one machine's checks, on a table of one customer without events, before any work
    empty = EMPTY.events
    snapshots = table_snapshots(empty, policy, period_ends)
    checked = table_ltv(empty, snapshots, discount_rate=discount_rate, horizon=horizon)
    ends = snapshots.period_ends
    results = pool.compute(_ltv_sums, policy, ends)
    revenue = add_revenue(ends, (sums for sums, _ in results))
    flows = add_flows(ends, (counts for _, counts in results))
    rate, h = checked.discount_rate, checked.horizon
    return TierLTV(
        period_ends=ends,
        currency=revenue.currency,
        discount_rate=rate,
        horizon=h,
        revenue=revenue,
        flows=flows,
        value=chain_value(flows.transition_matrix, revenue.mean, rate, h),
    )
