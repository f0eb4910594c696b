"""Store visitors and their capture: who walked in from outside the pool, and who was captured.

Seed 003: "对于进店的客户,大家却没有欲望去拿到客户的电话或微信,这个就有问题" — for customers
who walk into the store, people have no wish to get their phone number or WeChat, and that is a
problem. :func:`visitor_status` judges every store visitor of a window at their first visit in
it: already in the pool, captured (a CONNECT at or after that visit, by the window's end), or
missed (lapsed: they had left the pool; or never connected). The funnel
(:func:`~custpool.pool_funnel`) counts the walk-ins and their capture rate from it, and
:func:`~custpool.visitor_capture` reports it visitor by visitor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np

from custpool._engine import KIND_CODE, NO_TIME, run_starts
from custpool._model import InteractionKind

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from custpool._engine import EventTable, KindRows, Window

__all__ = ["CAPTURED", "IN_POOL", "LAPSED", "NEVER", "STATUS", "VisitorStatus", "visitor_status"]

IN_POOL, CAPTURED, LAPSED, NEVER = range(4)
STATUS: Final = ("in_pool", "captured", "lapsed", "never_connected")
"""The names of the four cases, by code."""

_CONNECT: Final = KIND_CODE[InteractionKind.CONNECT]
_CHURN: Final = KIND_CODE[InteractionKind.CHURN]


@dataclass(frozen=True, slots=True)
class VisitorStatus:
    """Every store visitor of a window, judged at their first visit in it.

    Attributes
    ----------
    customer
        The visitors' customer indexes, increasing.
    status
        Each visitor's case: :data:`IN_POOL`, :data:`CAPTURED`, :data:`LAPSED` or :data:`NEVER`.
    first_visit
        Each visitor's first visit in the window (microseconds since the epoch).
    visits
        STORE_VISIT rows in the window, of every customer.
    """

    customer: NDArray[np.int32]
    status: NDArray[np.int8]
    first_visit: NDArray[np.int64]
    visits: int

    def counts(self) -> NDArray[np.intp]:
        """Return the visitors in each case, by code (four counts)."""
        return np.bincount(self.status, minlength=4)

    def mask(self, n_customers: int, *codes: int) -> NDArray[np.bool_]:
        """Return, per customer of the table, whether they are a visitor in one of ``codes``."""
        out = np.zeros(n_customers, dtype=np.bool_)
        out[self.customer[np.isin(self.status, codes)]] = True
        return out


def _latest_before(
    table: EventTable, code: int, group_start: NDArray[np.intp], rows: NDArray[np.intp]
) -> NDArray[np.int64]:
    """Each of ``rows``' latest time of kind ``code`` strictly before its own time, same customer.

    ``group_start[r]`` is the first row of ``r``'s run of equal customer and time, so the rows
    before it are the customer's earlier instants (or another customer's).
    """
    is_kind = table.kind == code
    last = np.where(is_kind, np.arange(is_kind.shape[0]), -1)
    np.maximum.accumulate(last, out=last)
    before = group_start[rows] - 1
    found = np.where(before >= 0, last[np.maximum(before, 0)], -1)
    same = (found >= 0) & (table.customer[np.maximum(found, 0)] == table.customer[rows])
    return np.where(same, table.time[np.maximum(found, 0)], NO_TIME)


def visitor_status(table: EventTable, window: Window, kinds: KindRows) -> VisitorStatus:
    """Judge every customer with a STORE_VISIT in ``window`` at their first visit ``v`` in it.

    Connected just before ``v`` (the rule of :func:`~custpool.user_scale` at the instant before
    ``v``: a CONNECT before ``v`` and no CHURN at or after it, before ``v``) is in the pool;
    otherwise a CONNECT in ``[v, end]`` makes them captured (a CONNECT at the visit's own instant
    is a capture), else lapsed (a CONNECT before ``v``) or never connected. ``kinds`` is the
    table's :class:`~custpool._engine.primitives.KindRows`.

    Examples
    --------
    ``a`` was in the pool, ``b`` connected at the counter, ``c`` gave nothing:

    >>> from datetime import UTC, datetime
    >>> import numpy as np
    >>> from custpool import EventTable, Window
    >>> from custpool._engine import KindRows
    >>> t0 = int(np.datetime64("2026-03-01T10:00", "us").astype(np.int64))
    >>> table = EventTable.from_arrays(  # kinds: 0 connect, 7 store visit
    ...     customer=[0, 0, 1, 1, 2], time=[t0 - 1, t0, t0, t0, t0],
    ...     kind=[0, 7, 7, 0, 7], direction=[0, 0, 0, 0, 0], source=[0, -1, -1, 0, -1])
    >>> window = Window(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 2, tzinfo=UTC))
    >>> found = visitor_status(table, window, KindRows(table))
    >>> [STATUS[s] for s in found.status.tolist()], found.visits
    (['in_pool', 'captured', 'never_connected'], 3)
    """
    visits = kinds[InteractionKind.STORE_VISIT].within(window.start_us, window.end_us)
    firsts = run_starts(visits.customer)
    rows = visits.index[firsts]
    customer = visits.customer[firsts]
    first_visit = visits.time[firsts]
    n_rows = table.customer.shape[0]
    # the first row of each run of equal (customer, time): "before the visit's instant" ends there
    new_run = np.ones(n_rows, dtype=np.bool_)
    if n_rows:
        new_run[1:] = (table.customer[1:] != table.customer[:-1]) | (
            table.time[1:] != table.time[:-1]
        )
    group_start = np.where(new_run, np.arange(n_rows), 0)
    np.maximum.accumulate(group_start, out=group_start)
    # connected just before the visit: a CONNECT before it, and no CHURN since (ties: churn wins)
    connect_before = _latest_before(table, _CONNECT, group_start, rows)
    churn_before = _latest_before(table, _CHURN, group_start, rows)
    in_pool = churn_before < connect_before
    # captured: a CONNECT at or after the visit, up to the window's end
    latest_connect = kinds[InteractionKind.CONNECT].latest(window.end_us, table.n_customers)
    captured = ~in_pool & (latest_connect[customer] >= first_visit)
    lapsed = ~in_pool & ~captured & (connect_before != NO_TIME)
    status = np.full(customer.shape[0], NEVER, dtype=np.int8)
    status[lapsed] = LAPSED
    status[captured] = CAPTURED
    status[in_pool] = IN_POOL
    return VisitorStatus(customer, status, first_visit, int(visits.index.shape[0]))
