"""The pool KPIs of a :class:`DaskPool`: counts per partition, added up, built once.

Every pool KPI is a ratio of counts of customers or rows, or an exact sum of minor units, and
each count is a sum over customers (``custpool._analytics.kpis_by`` rests on the same fact):
a partition computes :func:`~custpool.pool_kpis` of its own table, sends back its integer
counts, and the client adds them up and builds the result with the same constructors as one
machine (``activity_of``, ``nps_of`` …). So the rates, the NPS and the money — an integer sum
of minor units, divided half to even once — are those of one machine, exactly.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Final, overload

import numpy as np

from custpool import PoolKpis, UserScale, ValidationError
from custpool import pool_kpis as table_kpis
from custpool._analytics import (
    KpiScan,
    KpisOfPart,
    activity_of,
    conversion_of,
    funnel_of,
    minor_or_none,
    nps_of,
    order_value_of,
    part_counts,
    repurchase_of,
    stack_kpis,
)
from custpool._engine import BY, Breakdown, By, Parts, as_window
from custpool._errors import bad_argument, wrong_argument
from custpool.dask._partition import DaskPool, Part

if TYPE_CHECKING:
    from datetime import datetime

    from numpy.typing import NDArray

    from custpool import Window

_PartSums = dict["str | None", "tuple[int, dict[str, int]]"]
"""A partition's sums per part: owner id (None: unassigned) → (customers, each fact's sum)."""

__all__ = ["build_kpis", "one_currency", "pool_kpis"]

_SCALE: Final = (
    "connected",
    "connected_at_start",
    "connects",
    "connecting_customers",
    "new_customers",
    "churns",
    "churning_customers",
)


def _counts(part: Part, window: Window) -> tuple[dict[str, int], str | None, None]:
    """Return a partition's KPI counts (money in minor units) and its currency."""
    return _kpi_counts(table_kpis(part.events, window)), part.events.currency, None


def _kpi_counts(kpis: PoolKpis) -> dict[str, int]:
    """Return the integer counts one :class:`~custpool.PoolKpis` is built from."""
    scale, value, funnel = kpis.scale, kpis.order_value, kpis.funnel
    counts = {f"scale.{name}": getattr(scale, name) for name in _SCALE}
    counts |= {
        "active": kpis.activity.active,
        "converted": kpis.conversion.converted,
        "purchases": value.purchases,
        "bought": minor_or_none(value.purchase_amount) or 0,
        "refunds": value.refunds,
        "refunded": minor_or_none(value.refund_amount) or 0,
        "buyers": kpis.repurchase.buyers,
        "repeat": kpis.repurchase.repeat_buyers,
        "respondents": kpis.net_promoter.respondents,
        "promoters": kpis.net_promoter.promoters,
        "detractors": kpis.net_promoter.detractors,
        "visitors": funnel.visitors,
        "deals": funnel.deals,
        "visits": funnel.visits,
        "walk_ins": funnel.walk_ins,
        "captured": funnel.captured,
    }
    return counts


def one_currency(currencies: set[str | None]) -> str | None:
    """Return the one currency of the partitions' amounts (None when there are none)."""
    named = sorted(c for c in currencies if c is not None)
    if len(named) > 1:
        rule = "a table holds one currency: the partitions hold amounts in several"
        raise ValidationError("currency", ", ".join(named), rule)
    return named[0] if named else None


def build_kpis(window: Window, counts: Counter[str], currency: str | None) -> PoolKpis:
    """Build :class:`~custpool.PoolKpis` from the summed counts, as one machine builds them."""
    c = counts
    connected = c["scale.connected"]
    return PoolKpis(
        window=window,
        scale=UserScale(window, *(c[f"scale.{name}"] for name in _SCALE)),
        activity=activity_of(window, connected, c["active"]),
        conversion=conversion_of(window, connected, c["converted"]),
        order_value=order_value_of(
            window,
            currency,
            purchases=c["purchases"],
            bought=c["bought"],
            refunds=c["refunds"],
            refunded=c["refunded"],
        ),
        repurchase=repurchase_of(window, c["buyers"], c["repeat"]),
        net_promoter=nps_of(window, c["respondents"], c["promoters"], c["detractors"]),
        funnel=funnel_of(
            window,
            connected,
            visitors=c["visitors"],
            deals=c["deals"],
            visits=c["visits"],
            walk_ins=c["walk_ins"],
            captured=c["captured"],
        ),
    )


def _part_sums(part: Part, scan: KpiScan, by: By) -> _PartSums:
    """Return the partition's owned customers' KPI facts summed per operator (or group)."""
    if part.table is None:
        return {}
    ids, sizes, counts = part_counts(scan, by, keep=part.own)
    named: list[str | None] = [None, *ids]
    return {
        named[k]: (int(sizes[k]), {name: int(values[k]) for name, values in counts.items()})
        for k in np.flatnonzero(sizes).tolist()
    }


def _breakdown(
    window: Window, by: By, whole: PoolKpis, currency: str | None, sums: list[_PartSums]
) -> Breakdown[PoolKpis]:
    """Add up the partitions' sums per part and build the breakdown as one machine does."""
    total: dict[str | None, Counter[str]] = {}
    for partition in sums:
        for key, (customers, facts) in partition.items():
            counter = total.setdefault(key, Counter())
            counter["customers"] += customers
            counter.update(facts)
    keys: list[str | None] = [None, *sorted(k for k in total if k is not None)]
    names = next(iter(total.values()), Counter()).keys() - {"customers"}
    counts: dict[str, NDArray[np.int64]] = {
        name: np.array([total.get(key, Counter())[name] for key in keys], dtype=np.int64)
        for name in names
    }
    build = KpisOfPart(window, currency, counts)
    index = {str(key): k for k, key in enumerate(keys) if key is not None}
    unassigned = build(0) if None in total else None
    return Breakdown(window, by, whole, Parts(index, build), unassigned, stack_kpis)


@overload
def pool_kpis(
    pool: DaskPool, start: datetime | Window, end: datetime | None = None, *, by: None = None
) -> PoolKpis: ...


@overload
def pool_kpis(
    pool: DaskPool, start: datetime | Window, end: datetime | None = None, *, by: By
) -> Breakdown[PoolKpis]: ...


def pool_kpis(
    pool: DaskPool,
    start: datetime | Window,
    end: datetime | None = None,
    *,
    by: By | None = None,
) -> PoolKpis | Breakdown[PoolKpis]:
    """Return :func:`custpool.pool_kpis` of the whole pool, equal to one machine's exactly.

    Each partition computes its KPIs over its own customers and returns their counts: customers
    connected, active, converted, buying and buying again, NPS respondents by their latest
    answer in the window (a customer's answers are all in one partition), store visitors and
    deals; purchase and refund rows and their amounts in minor units. The client adds them up
    (integers: no rounding) and builds every rate and average once, with the single-machine
    constructors.

    With ``by``, each partition also sums the same facts per operator (or group) owning its
    customers — the owner of a customer's latest CONNECT at or before the window's end, found
    in the partition holding all their rows — and sends one set of sums per owner; the client
    adds them up per owner id and builds each part when first looked up, as one machine does.

    Parameters
    ----------
    pool
        The events, split by customer.
    start, end
        The window's bounds, or a :class:`~custpool.Window` and no ``end``.
    by
        ``"operator"`` or ``"group"``: also the KPIs of each part of the customers
        (:class:`~custpool.Breakdown`, as :func:`custpool.pool_kpis` returns it).

    Returns
    -------
    PoolKpis or Breakdown
        A :class:`~custpool.Breakdown` of :class:`~custpool.PoolKpis` when ``by`` is given.

    Raises
    ------
    custpool.WrongTypeError
        If ``pool`` is not a :class:`DaskPool`.
    custpool.ValidationError
        If the window is invalid, ``by`` is not ``"operator"`` or ``"group"``, the partitions
        hold amounts in several currencies, or a money figure is more than
        :class:`~custpool.Money` holds.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> import dask
    >>> import dask.dataframe as dd
    >>> import custpool
    >>> from custpool import EventTable, example_pool
    >>> from custpool.dask import from_dask, pool_kpis, table_frame
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> events = dd.from_pandas(table_frame(table), npartitions=2)
    >>> pool = from_dask(events, npartitions=3, amounts="minor")
    >>> jan15, feb1 = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    >>> with dask.config.set(scheduler="synchronous"):
    ...     kpis = pool_kpis(pool, jan15, feb1)
    ...     by = pool_kpis(pool, jan15, feb1, by="operator")
    >>> kpis == custpool.pool_kpis(table, jan15, feb1)
    True
    >>> print(kpis.order_value)
    86.50 CNY (2 purchases, 173.00 CNY); refunds 1, 45.00 CNY; net 64.00 CNY per purchase
    >>> one = custpool.pool_kpis(table, jan15, feb1, by="operator")
    >>> dict(by.parts) == dict(one.parts), by.unassigned == one.unassigned
    (True, True)
    """
    if not isinstance(pool, DaskPool):
        raise wrong_argument("pool", pool, "must be a custpool.dask.DaskPool")
    window = as_window(start, end)
    if by is not None and by not in BY:
        raise bad_argument("by", by, "must be 'operator' or 'group'")
    results = pool.compute(*((_counts, window) if by is None else (_counts_by, window, by)))
    total: Counter[str] = Counter()
    for counts, _, _ in results:
        total.update(counts)
    currency = one_currency({currency for _, currency, _ in results})
    whole = build_kpis(window, total, currency)
    if by is None:
        return whole
    return _breakdown(window, by, whole, currency, [sums for _, _, sums in results])


def _counts_by(part: Part, window: Window, by: By) -> tuple[dict[str, int], str | None, _PartSums]:
    """:func:`_counts` of the partition, and its sums per part (one scan of its table)."""
    scan = KpiScan(part.events, window)
    return _kpi_counts(scan.pool_kpis()), part.events.currency, _part_sums(part, scan, by)
