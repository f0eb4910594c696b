"""The table primitives every columnar computation shares, each defined once.

An :class:`~custpool.EventTable`'s rows are sorted by customer, then time, so most per-customer
questions are answered by *runs* of equal customers: the last row of a run is the customer's
latest row, the first is their earliest. The analytics, the tier table and the health facts all
ask the same few questions — which rows fall in a window ``(start, end]``, each customer's latest
time of some kind, who is connected at an instant — and read the answers from here.

Times are int64 microseconds since the epoch (:mod:`custpool._time`); :data:`NO_TIME` stands
for "no such row" and sorts before every real time.

Examples
--------
>>> import numpy as np
>>> customers = np.array([0, 0, 1, 3, 3, 3], dtype=np.int32)
>>> run_starts(customers).tolist()
[True, False, True, True, False, False]
>>> run_ends(customers).tolist()
[False, True, True, False, False, True]
>>> count_runs(customers)
3
>>> in_window(np.array([1, 2, 3, 4]), 1, 3).tolist()  # (1, 3]: the start is out, the end in
[False, True, True, False]
>>> latest_per_customer(customers, np.array([5, 7, 2, 1, 4, 9]), 4).tolist() == [
...     7, 2, NO_TIME, 9]
True
>>> rate(1, 4), rate(0, 0)
(0.25, None)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Final

import numpy as np

from custpool._engine.codes import KIND_CODE
from custpool._model import InteractionKind
from custpool._time import NO_TIME

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from custpool._engine.events import EventTable

__all__ = [
    "NO_TIME",
    "KindRows",
    "RowSet",
    "connected",
    "count_runs",
    "first_connect",
    "in_window",
    "latest_per_customer",
    "rate",
    "run_ends",
    "run_starts",
]


_CONNECT: Final = KIND_CODE[InteractionKind.CONNECT]


def rate(part: int, whole: int) -> float | None:
    """Return ``part / whole`` (correctly rounded), or None when ``whole`` is 0.

    A rate of an empty population is not measured, never 0.
    """
    return part / whole if whole else None


def run_starts(values: NDArray[np.integer]) -> NDArray[np.bool_]:
    """Mask of the first element of each run of equal values (e.g. rows sorted by customer)."""
    first = np.ones(values.shape[0], dtype=np.bool_)
    np.not_equal(values[1:], values[:-1], out=first[1:])
    return first


def run_ends(values: NDArray[np.integer]) -> NDArray[np.bool_]:
    """Mask of the last element of each run of equal values (e.g. rows sorted by customer)."""
    last = np.ones(values.shape[0], dtype=np.bool_)
    np.not_equal(values[1:], values[:-1], out=last[:-1])
    return last


def count_runs(values: NDArray[np.integer]) -> int:
    """Count the runs of equal values: the distinct values of an array sorted by value."""
    if values.shape[0] == 0:
        return 0
    return 1 + int(np.count_nonzero(values[1:] != values[:-1]))


def in_window(time: NDArray[np.int64], start: int, end: int) -> NDArray[np.bool_]:
    """Mask of the times in the half-open window ``(start, end]``: after start, up to end."""
    mask: NDArray[np.bool_] = time > start
    mask &= time <= end
    return mask


def latest_per_customer(
    customer: NDArray[np.int32], time: NDArray[np.int64], n: int
) -> NDArray[np.int64]:
    """Each of ``n`` customers' latest time among the given rows (:data:`NO_TIME` if none).

    The rows are sorted by customer, then time (any subset of a table's rows, in table order),
    so a customer's latest row is the last of their run.
    """
    last = run_ends(customer)
    out = np.full(n, NO_TIME, dtype=np.int64)
    out[customer[last]] = time[last]
    return out


def connected(last_connect: NDArray[np.int64], last_churn: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Who is connected, from each customer's latest CONNECT and CHURN up to an instant.

    Connected: a CONNECT at or before the instant and no CHURN at or after the latest such
    CONNECT — a churn at the same instant as the connect wins, as in
    :func:`~custpool.classify`. A customer with no CONNECT (:data:`NO_TIME`) is never connected,
    since every churn time is at or after :data:`NO_TIME`.
    """
    result: NDArray[np.bool_] = last_churn < last_connect
    return result


def first_connect(table: EventTable) -> tuple[NDArray[np.int64], NDArray[np.int8]]:
    """Return each customer's first CONNECT time (:data:`NO_TIME` if none) and its source (-1)."""
    rows = np.flatnonzero(table.kind == _CONNECT)
    customers = table.customer[rows]
    first = run_starts(customers)
    picked = rows[first]
    time = np.full(table.n_customers, NO_TIME, dtype=np.int64)
    source = np.full(table.n_customers, -1, dtype=np.int8)
    time[customers[first]] = table.time[picked]
    source[customers[first]] = table.source[picked]
    return time, source


@dataclass(frozen=True, slots=True)
class RowSet:
    """Some rows of a table, in table order: their positions, customers and times."""

    index: NDArray[np.intp]
    customer: NDArray[np.int32]
    time: NDArray[np.int64]

    def take(self, mask: NDArray[np.bool_]) -> RowSet:
        """Return the rows where ``mask`` holds.

        Through positions: indexing three arrays with one ``flatnonzero`` is several times
        faster than indexing each with the boolean mask.
        """
        keep = np.flatnonzero(mask)
        return RowSet(self.index[keep], self.customer[keep], self.time[keep])

    def within(self, start: int, end: int) -> RowSet:
        """Return the rows in the half-open window ``(start, end]``."""
        return self.take(in_window(self.time, start, end))

    def latest(self, at: int, n: int) -> NDArray[np.int64]:
        """Each of ``n`` customers' latest time at or before ``at`` (:data:`NO_TIME` if none)."""
        upto = self.take(self.time <= at)
        return latest_per_customer(upto.customer, upto.time, n)


class KindRows:
    """The rows of each interaction kind of one table, found on first use and kept.

    Shared by every window computed on the table: the growth report and the health trend reuse
    one instance period after period, and consecutive periods share their bounds, so "who is
    connected at t" is computed once per instant.

    Examples
    --------
    >>> from datetime import timedelta
    >>> from custpool import EXAMPLE_START, EventTable, InteractionKind, example_pool
    >>> from custpool._time import to_micros
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> rows = KindRows(table)
    >>> len(rows[InteractionKind.CONNECT].index)  # one CONNECT per customer
    6
    >>> rows.connected_at(to_micros(EXAMPLE_START)).tolist()  # only c-001 has joined
    [True, False, False, False, False, False]
    >>> rows.connected_at(to_micros(EXAMPLE_START + timedelta(days=21))).tolist()  # c-004 left
    [True, True, True, False, True, True]
    """

    def __init__(self, table: EventTable) -> None:
        self.table = table
        self._rows: dict[InteractionKind, RowSet] = {}
        self._connected: dict[int, NDArray[np.bool_]] = {}

    def __getitem__(self, kind: InteractionKind) -> RowSet:
        """Return the rows of ``kind``."""
        rows = self._rows.get(kind)
        if rows is None:
            index = np.flatnonzero(self.table.kind == KIND_CODE[kind])
            rows = RowSet(index, self.table.customer[index], self.table.time[index])
            self._rows[kind] = rows
        return rows

    def connected_at(self, at: int) -> NDArray[np.bool_]:
        """Mask of the customers connected at ``at`` (microseconds); see :func:`connected`."""
        mask = self._connected.get(at)
        if mask is None:
            n = self.table.n_customers
            last_connect = self[InteractionKind.CONNECT].latest(at, n)
            last_churn = self[InteractionKind.CHURN].latest(at, n)
            mask = connected(last_connect, last_churn)
            self._connected[at] = mask
        return mask

    @cached_property
    def first_connects(self) -> NDArray[np.int64]:
        """The time of each connected-ever customer's first CONNECT (in customer order)."""
        connects = self[InteractionKind.CONNECT]
        return connects.time[run_starts(connects.customer)]
