"""Fission of a :class:`DaskPool`: per-customer facts in the partitions, the referral forest global.

Most of :func:`~custpool.fission` is per customer (advocates, referrals made, connected at the
window's start, new, new by referral) or a sum of rows (connections): each partition computes
it for the customers it owns. Two things cross partitions: who was *named* by a referral (the
referrer's row lives in the referrer's partition) and the **referral forest** — a customer's
referrer and generation follow REFERRAL rows of other customers, down chains that wander over
every partition. These take a global step on the client: the partitions send their owned
customer ids, their per-customer facts and their REFERRAL rows up to the window's end (a small
share of the events), and the client builds one index of every customer (sorted ids, as a table
has) and one table of the REFERRAL rows, and runs :func:`~custpool.referral_tree` on it — the
same rule, the same forest as one machine. So the client holds every customer id, a few bytes per
customer and the referral rows, never the events.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np

from custpool import EventTable, FissionReport, InteractionKind, referral_tree
from custpool import fission as table_fission
from custpool._analytics import fission_of
from custpool._engine import KIND_CODE, Ids, as_window
from custpool._errors import wrong_argument
from custpool.dask._partition import EMPTY, DaskPool, Part

if TYPE_CHECKING:
    from datetime import datetime

    from numpy.typing import NDArray

    from custpool import Policy, ReferralTree, Window

__all__ = ["fission"]

_REFERRAL: Final = KIND_CODE[InteractionKind.REFERRAL]
_FACTS: Final = ("referrals", "connected_at_start", "new", "new_by_referral", "advocate")


@dataclass(frozen=True, slots=True)
class _PartFission:
    """What one partition sends to the global step (ids as object arrays of str)."""

    ids: NDArray[np.object_]
    facts: dict[str, NDArray[np.int64] | NDArray[np.bool_]]
    named: NDArray[np.object_]
    connections: int
    referral_connections: int
    referrer: NDArray[np.object_]
    referred: NDArray[np.object_]
    time: NDArray[np.int64]
    channel: NDArray[np.int8]


def _part_fission(part: Part, policy: Policy, window: Window) -> _PartFission:
    """In a worker: the partition's fission facts of its own customers, and its referrals."""
    table, own = part.events, part.own
    report = table_fission(table, policy, window)
    ids = np.asarray(tuple(table.customer_ids), dtype=object)
    advocate = np.zeros(table.n_customers, dtype=np.bool_)
    advocate[report.advocate] = True
    facts = {
        "referrals": report.customer_referrals,
        "connected_at_start": report.customer_connected_at_start,
        "new": report.customer_new,
        "new_by_referral": report.customer_new_by_referral,
        "advocate": advocate,
    }
    rows = np.flatnonzero((table.kind == _REFERRAL) & (table.time <= window.end_us))
    return _PartFission(
        ids=ids[own],
        facts={name: np.asarray(values)[own] for name, values in facts.items()},
        named=ids[report.customer_referred],
        connections=report.connections,
        referral_connections=report.referral_connections,
        referrer=ids[table.customer[rows]],
        referred=ids[table.referred[rows]],
        time=np.asarray(table.time[rows]),
        channel=np.asarray(table.channel[rows]),
    )


def fission(
    pool: DaskPool, policy: Policy, start: datetime | Window, end: datetime | None = None
) -> FissionReport:
    """Return :func:`custpool.fission` of the pool: the same report as one machine, exactly.

    The per-customer facts (advocates under ``policy`` at ``end``, REFERRAL rows made in the
    window, connected at ``start``, new, new by referral) and the CONNECT counts come from the
    partitions; who was named by a referral in the window, and the referral forest (each
    customer's referrer and generation at ``end``), are resolved in a global step on the client
    over every partition's REFERRAL rows, with :func:`custpool.referral_tree`'s rule. The
    client holds every customer id (Python strings, about 60 bytes each), the report's
    per-customer arrays (20 bytes a customer, as one machine's) and the REFERRAL rows; never
    the events.

    Parameters
    ----------
    pool
        The events, split by customer.
    policy
        The tier policy that decides who is an advocate.
    start, end
        The window's bounds, or a :class:`~custpool.Window` and no ``end``.

    Returns
    -------
    FissionReport

    Raises
    ------
    custpool.WrongTypeError
        If ``pool`` is not a :class:`DaskPool` or ``policy`` not a Policy.
    custpool.ValidationError
        If the window is invalid (checked before anything is computed).

    Examples
    --------
    >>> from datetime import timedelta
    >>> import dask
    >>> import dask.dataframe as dd
    >>> import custpool
    >>> from custpool import EXAMPLE_START, EventTable, Policy, example_pool
    >>> from custpool.dask import fission, from_dask, table_frame
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> pool = from_dask(dd.from_pandas(table_frame(table), npartitions=1), npartitions=3)
    >>> start, end = EXAMPLE_START + timedelta(days=5), EXAMPLE_START.replace(day=31)
    >>> with dask.config.set(scheduler="synchronous"):
    ...     report = fission(pool, Policy(), start, end)
    >>> report.k_factor, report.max_depth, report.generation_counts
    (0.5, 1, (4, 2))
    >>> report.tree.referrer.tolist() == custpool.fission(
    ...     table, Policy(), start, end
    ... ).tree.referrer.tolist()
    True
    """
    if not isinstance(pool, DaskPool):
        raise wrong_argument("pool", pool, "must be a custpool.dask.DaskPool")
    window = as_window(start, end)
    table_fission(EMPTY.events, policy, window)  # checks the policy before any work
    parts: list[_PartFission] = pool.compute(_part_fission, policy, window)
    # one index of every customer, in sorted id order, as a table has
    ids = np.concatenate([p.ids for p in parts])
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    customer_ids = Ids(tuple(sorted_ids.tolist()))
    n = len(customer_ids)
    facts = {name: np.concatenate([p.facts[name] for p in parts])[order] for name in _FACTS}

    def index(values: NDArray[np.object_]) -> NDArray[np.int32]:
        found: NDArray[np.int32] = np.searchsorted(sorted_ids, values).astype(np.int32)
        return found

    named = np.zeros(n, dtype=np.bool_)
    named[index(np.concatenate([p.named for p in parts]))] = True
    # the referral forest, from every partition's REFERRAL rows up to the window's end
    referrals = EventTable.from_arrays(
        index(np.concatenate([p.referrer for p in parts])),
        np.concatenate([p.time for p in parts]),
        np.full(sum(len(p.time) for p in parts), _REFERRAL, dtype=np.int8),
        channel=np.concatenate([p.channel for p in parts]),
        referred=index(np.concatenate([p.referred for p in parts])),
        customer_ids=customer_ids,
        copy=False,
    )
    tree = referral_tree(referrals, window.end)
    return _report(
        window, customer_ids=customer_ids, facts=facts, named=named, tree=tree, parts=parts
    )


def _report(  # noqa: PLR0913 - the global step's pieces, each named
    window: Window,
    *,
    customer_ids: Ids,
    facts: dict[str, NDArray[np.int64] | NDArray[np.bool_]],
    named: NDArray[np.bool_],
    tree: ReferralTree,
    parts: list[_PartFission],
) -> FissionReport:
    """Build the report from the global per-customer arrays, as :func:`custpool.fission` does."""
    return fission_of(
        window,
        customer_ids=customer_ids,
        per_customer=np.asarray(facts["referrals"], dtype=np.int64),
        is_advocate=np.asarray(facts["advocate"], dtype=np.bool_),
        named=named,
        at_start=np.asarray(facts["connected_at_start"], dtype=np.bool_),
        new=np.asarray(facts["new"], dtype=np.bool_),
        new_referred=np.asarray(facts["new_by_referral"], dtype=np.bool_),
        connections=sum(p.connections for p in parts),
        referral_connections=sum(p.referral_connections for p in parts),
        tree=tree,
    )
