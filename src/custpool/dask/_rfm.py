"""The RFM summary of a :class:`DaskPool`: the partitions' per-customer rows, concatenated.

A customer's RFM row is made of their own purchases only, all in one partition, so each
partition's :func:`~custpool.rfm_summary` rows are one machine's rows for its customers.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from custpool import rfm_summary as table_rfm
from custpool._errors import wrong_argument
from custpool.dask._partition import EMPTY, DaskPool, Part

if TYPE_CHECKING:
    from collections.abc import Mapping

    import dask.dataframe as dd

__all__ = ["rfm_summary"]

_DAY: Final = timedelta(days=1)
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


def _rfm_frame(part: Part, observation_end: datetime, options: Mapping[str, Any]) -> Any:  # noqa: ANN401
    """Return the partition's owned customers' rows of ``RfmSummary.to_frame`` (pandas)."""
    summary = table_rfm(part.events, observation_end, **options)
    frame = summary.to_frame("pandas")
    return frame[part.own[summary.customer]].reset_index(drop=True)


def rfm_summary(  # noqa: PLR0913 - lifetimes' options, as custpool.rfm_summary takes them
    pool: DaskPool,
    observation_end: datetime,
    *,
    period: timedelta = _DAY,
    freq_multiplier: float = 1,
    include_first_transaction: bool = False,
    origin: datetime = _EPOCH,
) -> dd.DataFrame:
    """Summarise each buying customer's purchases, as :func:`custpool.rfm_summary` does.

    Returns the rows of ``rfm_summary(table, …).to_frame("pandas")`` — ``customer_id``,
    ``frequency``, ``recency``, ``T``, ``monetary_value``, ``monetary_total_minor`` and
    ``currency`` — as a Dask DataFrame: each partition summarises its own customers (a
    customer's purchases are all in one partition), and the frames are concatenated, never
    gathered in one process. Sort by ``customer_id`` for one machine's row order.

    Parameters
    ----------
    pool
        The events, split by customer.
    observation_end, period, freq_multiplier, include_first_transaction, origin
        As :func:`custpool.rfm_summary` takes them.

    Returns
    -------
    dask.dataframe.DataFrame

    Raises
    ------
    custpool.WrongTypeError
        If ``pool`` is not a :class:`DaskPool`.
    custpool.ValidationError
        If an option is invalid (checked before anything is computed).

    Examples
    --------
    >>> import dask
    >>> import dask.dataframe as dd
    >>> import custpool
    >>> from custpool import EXAMPLE_START, EventTable, example_pool
    >>> from custpool.dask import from_dask, rfm_summary, table_frame
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> events = dd.from_pandas(table_frame(table), npartitions=1)
    >>> pool = from_dask(events, npartitions=2, amounts="minor")
    >>> with dask.config.set(scheduler="synchronous"):
    ...     rows = rfm_summary(pool, EXAMPLE_START.replace(day=25)).compute()
    >>> rows = rows.sort_values("customer_id", ignore_index=True)
    >>> rows[["customer_id", "frequency", "monetary_total_minor"]]
      customer_id  frequency  monetary_total_minor
    0       c-001        1.0                 12800
    1       c-002        0.0                     0
    2       c-004        0.0                     0
    >>> rows.equals(custpool.rfm_summary(table, EXAMPLE_START.replace(day=25)).to_frame())
    True
    """
    if not isinstance(pool, DaskPool):
        raise wrong_argument("pool", pool, "must be a custpool.dask.DaskPool")
    options = {
        "period": period,
        "freq_multiplier": freq_multiplier,
        "include_first_transaction": include_first_transaction,
        "origin": origin,
    }
    meta = _rfm_frame(EMPTY, observation_end, options)  # checks the options before any work
    return pool.frame(_rfm_frame, meta, observation_end, options)
