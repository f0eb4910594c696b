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
from typing import TYPE_CHECKING, Final

from custpool import PoolKpis, UserScale, ValidationError
from custpool import pool_kpis as table_kpis
from custpool._analytics import (
    activity_of,
    conversion_of,
    funnel_of,
    minor_or_none,
    nps_of,
    order_value_of,
    repurchase_of,
)
from custpool._engine import as_window
from custpool._errors import wrong_argument
from custpool.dask._partition import DaskPool, Part

if TYPE_CHECKING:
    from datetime import datetime

    from custpool import Window

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


def _counts(part: Part, window: Window) -> tuple[dict[str, int], str | None]:
    """Return a partition's KPI counts (money in minor units) and its currency."""
    kpis = table_kpis(part.events, window)
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
    return counts, part.events.currency


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


def pool_kpis(pool: DaskPool, start: datetime | Window, end: datetime | None = None) -> PoolKpis:
    """Return :func:`custpool.pool_kpis` of the whole pool, equal to one machine's exactly.

    Each partition computes its KPIs over its own customers and returns their counts: customers
    connected, active, converted, buying and buying again, NPS respondents by their latest
    answer in the window (a customer's answers are all in one partition), store visitors and
    deals; purchase and refund rows and their amounts in minor units. The client adds them up
    (integers: no rounding) and builds every rate and average once, with the single-machine
    constructors.

    Parameters
    ----------
    pool
        The events, split by customer.
    start, end
        The window's bounds, or a :class:`~custpool.Window` and no ``end``.

    Returns
    -------
    PoolKpis

    Raises
    ------
    custpool.WrongTypeError
        If ``pool`` is not a :class:`DaskPool`.
    custpool.ValidationError
        If the window is invalid, the partitions hold amounts in several currencies, or a
        money figure is more than :class:`~custpool.Money` holds.

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
    >>> kpis == custpool.pool_kpis(table, jan15, feb1)
    True
    >>> print(kpis.order_value)
    86.50 CNY (2 purchases, 173.00 CNY); refunds 1, 45.00 CNY; net 64.00 CNY per purchase
    """
    if not isinstance(pool, DaskPool):
        raise wrong_argument("pool", pool, "must be a custpool.dask.DaskPool")
    window = as_window(start, end)
    results = pool.compute(_counts, window)
    total: Counter[str] = Counter()
    for counts, _ in results:
        total.update(counts)
    return build_kpis(window, total, one_currency({currency for _, currency in results}))
