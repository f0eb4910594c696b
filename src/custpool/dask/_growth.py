"""Pool growth of a :class:`DaskPool`: each period's counts summed, the indicators built once.

:func:`custpool.pool_growth` reviews three indicators period by period: the user scale (counts
of customers and rows), the repurchase rate (buyers and repeat buyers) and the average order
value (purchase and refund rows, and their amounts). Every one is a count over customers or
rows, or an exact sum of minor units, so each partition returns its counts per period, the
client adds them up and builds every period with the single-machine constructors
(``UserScale``, ``repurchase_of``, ``order_value_of``), then compares neighbouring periods as
``pool_growth`` does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from custpool import GrowthPeriod, PoolGrowth, UserScale
from custpool import pool_growth as table_growth
from custpool._analytics import growth_of, minor_or_none, order_value_of, repurchase_of
from custpool._errors import wrong_argument
from custpool.dask._kpis import one_currency
from custpool.dask._partition import EMPTY, DaskPool, Part

if TYPE_CHECKING:
    from datetime import datetime

    from custpool import Window

__all__ = ["pool_growth"]


_SCALE: Final = (
    "connected",
    "connected_at_start",
    "connects",
    "connecting_customers",
    "new_customers",
    "churns",
    "churning_customers",
)


def _period_counts(
    part: Part, windows: tuple[Window, ...]
) -> tuple[list[dict[str, int]], str | None]:
    """Return the partition's counts of every period (money in minor units), and its currency."""
    found = []
    for period in table_growth(part.events, windows).periods:
        value = period.order_value
        counts = {name: getattr(period.scale, name) for name in _SCALE}
        counts |= {
            "buyers": period.repurchase.buyers,
            "repeat": period.repurchase.repeat_buyers,
            "purchases": value.purchases,
            "bought": minor_or_none(value.purchase_amount) or 0,
            "refunds": value.refunds,
            "refunded": minor_or_none(value.refund_amount) or 0,
        }
        found.append(counts)
    return found, part.events.currency


def _period(window: Window, c: Counter[str], currency: str | None) -> GrowthPeriod:
    return GrowthPeriod(
        window,
        UserScale(window, *(c[name] for name in _SCALE)),
        repurchase_of(window, c["buyers"], c["repeat"]),
        order_value_of(
            window,
            currency,
            purchases=c["purchases"],
            bought=c["bought"],
            refunds=c["refunds"],
            refunded=c["refunded"],
        ),
    )


def pool_growth(pool: DaskPool, periods: Iterable[datetime] | Iterable[Window]) -> PoolGrowth:
    """Return :func:`custpool.pool_growth` of the pool: each period's counts summed.

    Each partition reviews its own customers over the same periods and returns, per period,
    the user scale's counts, the buyers and repeat buyers, and the purchase and refund rows
    with their amounts in minor units. The client adds them up, builds each period's
    indicators once with the single-machine constructors (so the rates and the half-even
    average order value are those of one machine), and each step's changes from them.

    Parameters
    ----------
    pool
        The events, split by customer.
    periods
        As :func:`custpool.pool_growth` takes them: at least three period ends (aware
        datetimes, increasing) or at least two :class:`~custpool.Window` objects.

    Returns
    -------
    PoolGrowth

    Raises
    ------
    custpool.WrongTypeError
        If ``pool`` is not a :class:`DaskPool` or ``periods`` is not a sequence.
    custpool.ValidationError
        If the periods are not valid (checked before anything is computed), the partitions
        hold amounts in several currencies, or a sum is more than :class:`~custpool.Money`
        holds.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> import dask
    >>> import dask.dataframe as dd
    >>> import custpool
    >>> from custpool import EventTable, example_pool
    >>> from custpool.dask import from_dask, pool_growth, table_frame
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> pool = from_dask(dd.from_pandas(table_frame(table), npartitions=2), npartitions=3,
    ...                  amounts="minor")
    >>> ends = [datetime(y, m, 1, tzinfo=UTC) for y, m in ((2025, 12), (2026, 1), (2026, 2))]
    >>> with dask.config.set(scheduler="synchronous"):
    ...     growth = pool_growth(pool, ends)
    >>> growth == custpool.pool_growth(table, ends)
    True
    >>> [p.user_scale for p in growth.periods], str(growth.periods[1].average_order_value)
    ([0, 5], '70.33 CNY')
    """
    if not isinstance(pool, DaskPool):
        raise wrong_argument("pool", pool, "must be a custpool.dask.DaskPool")
    given: object = periods
    if isinstance(given, Iterable) and not isinstance(given, str | bytes):
        given = list(given)  # read once: it may be an iterator
    checked = table_growth(EMPTY.events, given)  # type: ignore[arg-type] # one machine checks it
    windows = tuple(period.window for period in checked.periods)
    results = pool.compute(_period_counts, windows)
    currency = one_currency({currency for _, currency in results})
    totals = [Counter[str]() for _ in windows]
    for counts, _ in results:
        for total, part_counts in zip(totals, counts, strict=True):
            total.update(part_counts)
    return growth_of(_period(w, c, currency) for w, c in zip(windows, totals, strict=True))
