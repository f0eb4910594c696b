"""Tiers of a :class:`DaskPool`: per-customer frames, counts by state and flows between states.

A customer's state depends on their own history only, which is whole in one partition, so
every customer's row equals one machine's. Per-customer results are the partitions' frames
concatenated (a Dask DataFrame, never gathered in one process); counts and flow matrices are
sums of the partitions' counts and matrices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np

from custpool import State, TierFlows, TierSnapshots
from custpool import classify_table as classify_events
from custpool import tier_flows as table_flows
from custpool import tier_snapshots as table_snapshots
from custpool._engine import readonly
from custpool._errors import wrong_argument
from custpool.dask._partition import EMPTY, DaskPool, Part

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime, tzinfo

    import dask.dataframe as dd
    from numpy.typing import NDArray

    from custpool import Policy

__all__ = ["FlowSums", "add_flows", "classify_table", "flow_sums", "tier_counts", "tier_flows"]

_N_STATES = len(State)


def _check_pool(pool: object) -> None:
    if not isinstance(pool, DaskPool):
        raise wrong_argument("pool", pool, "must be a custpool.dask.DaskPool")


def _tier_frame(part: Part, policy: Policy, as_of: datetime, tz: str | tzinfo | None) -> Any:  # noqa: ANN401
    """Return the partition's owned customers' rows of ``TierTable.to_frame`` (pandas)."""
    frame = classify_events(part.events, policy, as_of).to_frame("pandas", tz=tz)
    return frame[part.own].reset_index(drop=True)


def classify_table(
    pool: DaskPool, policy: Policy, as_of: datetime, *, tz: str | tzinfo | None = None
) -> dd.DataFrame:
    """Classify every customer of the pool at ``as_of``: one row per customer, as a Dask frame.

    Each partition classifies its table with :func:`custpool.classify_table` and keeps the
    rows of the customers it owns, so the frame holds each customer once, with exactly the
    columns and values of ``classify_table(table, policy, as_of).to_frame("pandas", tz=tz)``
    on one machine (rows ordered by customer within a partition, partitions by their hash:
    sort by ``customer_id`` for one machine's order). Nothing is computed until asked for: a
    billion customers can go straight to Parquet with ``.to_parquet(path)``.

    Parameters
    ----------
    pool
        The events, split by customer.
    policy
        The tier policy.
    as_of
        The instant to classify at; must be timezone-aware.
    tz
        The zone ``as_of`` and ``since`` are shown in (default UTC).

    Returns
    -------
    dask.dataframe.DataFrame

    Raises
    ------
    custpool.WrongTypeError
        If ``pool`` is not a :class:`DaskPool`.
    custpool.ValidationError
        If ``as_of`` is naive (checked before anything is computed).

    Examples
    --------
    >>> import dask
    >>> import dask.dataframe as dd
    >>> import custpool
    >>> from custpool import EXAMPLE_START, EventTable, Policy, example_pool
    >>> from custpool.dask import classify_table, from_dask, table_frame
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> events = dd.from_pandas(table_frame(table), npartitions=1)
    >>> pool = from_dask(events, npartitions=3, amounts="minor")
    >>> as_of = EXAMPLE_START.replace(day=25)
    >>> with dask.config.set(scheduler="synchronous"):
    ...     frame = classify_table(pool, Policy(), as_of).compute()
    >>> frame = frame.sort_values("customer_id", ignore_index=True)
    >>> frame["state"].tolist()
    ['advocate', 'converted', 'engaged', 'churned', 'connected', 'connected']
    >>> frame.equals(custpool.classify_table(table, Policy(), as_of).to_frame())
    True
    """
    _check_pool(pool)
    meta = _tier_frame(EMPTY, policy, as_of, tz)  # checks the arguments before any work
    return pool.frame(_tier_frame, meta, policy, as_of, tz)


def _state_counts(part: Part, policy: Policy, as_of: datetime) -> NDArray[np.int64]:
    state = classify_events(part.events, policy, as_of).state[part.own]
    return np.bincount(state, minlength=_N_STATES).astype(np.int64)


def tier_counts(pool: DaskPool, policy: Policy, as_of: datetime) -> dict[State, int]:
    """Return the customers in each state at ``as_of``: ``TierTable.counts()`` of the pool.

    Each partition counts the states of the customers it owns (``bincount``); the client adds
    the seven counts up.

    Raises
    ------
    custpool.WrongTypeError
        If ``pool`` is not a :class:`DaskPool`.
    custpool.ValidationError
        If ``as_of`` is naive.
    """
    _check_pool(pool)
    _state_counts(EMPTY, policy, as_of)  # checks the arguments before any work
    total = sum(pool.compute(_state_counts, policy, as_of), np.zeros(_N_STATES, dtype=np.int64))
    return {state: int(total[state.code]) for state in State}


FlowSums: TypeAlias = tuple["NDArray[np.int64]", "NDArray[np.int64]"]
"""A partition's flow matrices and snapshot counts per state, of its owned customers."""


def flow_sums(part: Part, snapshots: TierSnapshots) -> FlowSums:
    """Return the flows and snapshot counts of the partition's owned customers.

    ``snapshots`` are the tier snapshots of the partition's table (every customer of it).
    """
    own = TierSnapshots(snapshots.period_ends, snapshots.states[:, part.own])
    flows = table_flows(own)
    return np.asarray(flows.counts), np.asarray(flows.snapshot_counts)


def _flow_counts(part: Part, policy: Policy, period_ends: tuple[datetime, ...]) -> FlowSums:
    return flow_sums(part, table_snapshots(part.events, policy, period_ends))


def add_flows(ends: tuple[datetime, ...], results: Iterable[FlowSums]) -> TierFlows:
    """Return the :class:`~custpool.TierFlows` of the partitions' counts, added up."""
    counts = np.zeros((len(ends) - 1, _N_STATES, _N_STATES), dtype=np.int64)
    snapshot_counts = np.zeros((len(ends), _N_STATES), dtype=np.int64)
    for flows, snapshots in results:
        counts += flows
        snapshot_counts += snapshots
    return TierFlows(ends, readonly(counts), readonly(snapshot_counts))


def tier_flows(pool: DaskPool, policy: Policy, period_ends: Sequence[datetime]) -> TierFlows:
    """Count the moves between the seven states from each period end to the next, over the pool.

    ``counts[k][i, j]`` counts customers, each in one partition: the partitions' matrices (and
    their snapshot counts per state) add up to one machine's, and :class:`~custpool.TierFlows`
    derives the pooled matrix, the probabilities and the chain from the sums, as on one
    machine.

    Raises
    ------
    custpool.WrongTypeError
        If ``pool`` is not a :class:`DaskPool`.
    custpool.ValidationError
        If the period ends are not valid (checked before anything is computed).
    """
    _check_pool(pool)
    ends = table_snapshots(EMPTY.events, policy, period_ends).period_ends  # checks them
    return add_flows(ends, pool.compute(_flow_counts, policy, ends))
