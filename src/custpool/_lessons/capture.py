"""Store-visitor capture: of everyone who walked in, whose phone or WeChat did we get (seed 003).

Seed 003: "对于进店的客户,大家却没有欲望去拿到客户的电话或微信,这个就有问题" — for customers
who walk into the store, people have no wish to get their phone number or WeChat, and that is a
problem. The funnel (:func:`~custpool.pool_funnel`) counts the visits of the pool; a walk-in
who never connected is counted nowhere. :func:`visitor_capture` counts them: an
:class:`~custpool.EventTable` holds a STORE_VISIT of a customer with no CONNECT (a visitor
known by a receipt, a membership card or a visit log), and every such visitor is a capture
chance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from custpool._analytics import (
    CAPTURED,
    IN_POOL,
    LAPSED,
    NEVER,
    STATUS,
    frame,
    visitor_status,
)
from custpool._display import Cell, Count, Displayed, Pct, Phrase, Report, Section, Span, Text
from custpool._engine import (
    EventTable,
    Ids,
    KindRows,
    Window,
    as_window,
    rate,
    readonly,
)
from custpool._errors import wrong_argument

if TYPE_CHECKING:
    from datetime import datetime, tzinfo

    from numpy.typing import NDArray

__all__ = ["VisitorCapture", "capture_of", "visitor_capture"]


@dataclass(frozen=True, slots=True, eq=False)
class VisitorCapture(Displayed):
    """The store visitors of a window, and how many of those outside the pool were captured.

    Each visitor is judged at their **first** visit in the window:

    - ``in_pool``: connected just before it (strictly before its instant) — nothing to capture;
    - ``captured``: not in the pool then, with a CONNECT at or after that visit, by the window's
      end (the store got their phone or WeChat, at the visit or later);
    - ``lapsed``: not captured, but connected once before (they had left the pool);
    - ``never_connected``: not captured, and no CONNECT at all up to the window's end.

    ``missed = lapsed + never_connected``; ``capture_rate = captured / (captured + missed)``,
    None when every visitor was already in the pool (or there was none).

    Attributes
    ----------
    window
        The window ``(start, end]``.
    visitors
        Customers with a STORE_VISIT in the window.
    visits
        STORE_VISIT rows in the window.
    in_pool, captured, lapsed, never_connected
        The visitors in each case; they sum to ``visitors``.
    customer
        The visitors' customer indexes, in increasing order.
    status
        Each visitor's case: 0 in_pool, 1 captured, 2 lapsed, 3 never_connected.
    first_visit
        Each visitor's first visit in the window (microseconds since the epoch).
    customer_ids
        The table's customer ids, to name the visitors.
    """

    window: Window
    visitors: int
    visits: int
    in_pool: int
    captured: int
    lapsed: int
    never_connected: int
    customer: NDArray[np.int32]
    status: NDArray[np.int8]
    first_visit: NDArray[np.int64]
    customer_ids: Ids

    @property
    def missed(self) -> int:
        """Visitors outside the pool who were not captured: ``lapsed + never_connected``."""
        return self.lapsed + self.never_connected

    @property
    def capture_rate(self) -> float | None:
        """``captured / (captured + missed)``; None when no visitor was outside the pool."""
        return rate(self.captured, self.captured + self.missed)

    def missed_ids(self) -> tuple[str, ...]:
        """Return the ids of the visitors not captured, in customer order: whom to follow up."""
        picked = self.customer[self.status >= LAPSED]
        return tuple(str(i) for i in self.customer_ids.column(picked))

    def __repr__(self) -> str:
        """Return a short summary."""
        return (
            f"VisitorCapture({self.visitors} visitors, {self.captured} captured, "
            f"{self.missed} missed)"
        )

    def _report(self) -> Report:
        """Return the visitors by case and the capture rate."""
        rows: tuple[tuple[Cell, ...], ...] = (
            (Text("visitors", "到店访客"), Count(self.visitors)),
            (Text("visits", "到店次数"), Count(self.visits)),
            (Text("already in the pool", "已在池中"), Count(self.in_pool)),
            (Text("outside the pool", "池外访客"), Count(self.captured + self.missed)),
            (Text("captured", "已留资"), Count(self.captured)),
            (Text("missed, never connected", "未留资：从未入池"), Count(self.never_connected)),
            (Text("missed, had left", "未留资：曾离池"), Count(self.lapsed)),
            (Text("capture rate", "留资率"), Pct(self.capture_rate)),
        )
        title = Phrase(Text("store visitors", "到店访客"), Span(self.window.start, self.window.end))
        return Report(title, (Section(rows),))

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return one row per visitor.

        Columns: ``customer_id``; ``first_visit`` (time in ``tz``); ``status`` (``in_pool``,
        ``captured``, ``lapsed`` or ``never_connected``).

        Examples
        --------
        >>> from datetime import UTC, datetime
        >>> from custpool import EventTable, example_pool, visitor_capture
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> jan1, feb1 = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
        >>> visitor_capture(table, jan1, feb1).to_frame("pyarrow").to_pylist()[0]["status"]
        'in_pool'
        """
        columns = {
            "customer_id": np.array(self.customer_ids.column(self.customer), dtype=np.str_),
            "first_visit": self.first_visit,
            "status": np.array(STATUS, dtype=object)[self.status],
        }
        return frame(columns, backend, tz, ("first_visit",), {"status": "str"})


def visitor_capture(
    table: EventTable, start: datetime | Window, end: datetime | None = None
) -> VisitorCapture:
    """Count the store visitors of a window and how many of those outside the pool were captured.

    For every customer with a STORE_VISIT in ``(start, end]``, at their first such visit ``v``:
    connected just before ``v`` (the rule of :func:`~custpool.user_scale` at the instant before
    ``v``: a CONNECT before ``v`` and no CHURN at or after it, before ``v``) is ``in_pool``;
    otherwise a CONNECT in ``[v, end]`` makes them ``captured`` (a CONNECT at the visit's own
    instant is a capture), else ``lapsed`` (a CONNECT before ``v``) or ``never_connected``.

    A visitor needs an id in the table (any id: a receipt, a card, a visit log); a walk-in
    recorded only as a head count cannot be represented.

    Parameters
    ----------
    table
        The events.
    start, end
        The window's bounds, or a :class:`~custpool.Window` and no ``end``.

    Returns
    -------
    VisitorCapture

    Raises
    ------
    custpool.WrongTypeError
        If ``table`` is not an EventTable.
    custpool.ValidationError
        If the window is invalid.

    Examples
    --------
    Three walk-ins on 1 March: ``a`` was in the pool already, ``b`` was added on WeChat at the
    counter, ``c`` left without giving anything. One captured of two outside the pool: 50%.

    >>> from datetime import UTC, datetime
    >>> import numpy as np
    >>> from custpool import EventTable
    >>> day = 86_400_000_000
    >>> t0 = int(np.datetime64("2026-03-01T10:00", "us").astype(np.int64))
    >>> table = EventTable.from_arrays(  # kinds: 0 connect, 7 store visit
    ...     customer=[0, 0, 1, 1, 2], time=[t0 - 30 * day, t0, t0, t0, t0],
    ...     kind=[0, 7, 7, 0, 7], direction=[0, 0, 0, 0, 0], source=[0, -1, -1, 0, -1],
    ...     customer_ids=["a", "b", "c"])
    >>> capture = visitor_capture(table, datetime(2026, 3, 1, tzinfo=UTC),
    ...                           datetime(2026, 3, 2, tzinfo=UTC))
    >>> print(capture)
    store visitors (2026-03-01 00:00+00:00, 2026-03-02 00:00+00:00]
      visitors: 3
      visits: 3
      already in the pool: 1
      outside the pool: 2
      captured: 1
      missed, never connected: 1
      missed, had left: 0
      capture rate: 50.0%
    >>> capture.missed_ids()
    ('c',)
    """
    if not isinstance(table, EventTable):
        raise wrong_argument("table", table, "must be a custpool.EventTable")
    return capture_of(table, as_window(start, end), KindRows(table))


def capture_of(table: EventTable, window: Window, kinds: KindRows) -> VisitorCapture:
    """Return :func:`visitor_capture` of a checked table and window, sharing ``kinds``."""
    found = visitor_status(table, window, kinds)
    counts = found.counts()
    return VisitorCapture(
        window=window,
        visitors=int(found.customer.shape[0]),
        visits=found.visits,
        in_pool=int(counts[IN_POOL]),
        captured=int(counts[CAPTURED]),
        lapsed=int(counts[LAPSED]),
        never_connected=int(counts[NEVER]),
        customer=readonly(found.customer.copy()),
        status=readonly(found.status.copy()),
        first_visit=readonly(found.first_visit.copy()),
        customer_ids=table.customer_ids,
    )
