"""Channel attribution: what each source channel (多渠道引流) brought in, and what it sold.

A customer is attributed to the ``source`` of their **first** CONNECT — the channel that first
brought them into the pool — as long as it is at or before the window's end. Reconnections keep
the first channel. :func:`channel_attribution` reports, per :class:`~custpool.SourceChannel`,
how many customers each channel brought, how many of them connected in the window, how many
bought in it, and their revenue, all in one vectorised pass over the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from custpool._analytics.frames import frame, minor_or_none
from custpool._analytics.sums import exact_sum, to_money
from custpool._display import Amount, Count, Displayed, Pct, Phrase, Report, Section, Span, Text
from custpool._engine import (
    KIND_CODE,
    NO_TIME,
    SOURCES,
    EventTable,
    Window,
    as_window,
    first_connect,
    in_window,
    rate,
)
from custpool._errors import ValidationError, wrong_argument
from custpool._model import InteractionKind, Money, SourceChannel

if TYPE_CHECKING:
    from datetime import datetime, tzinfo

    from numpy.typing import NDArray

    from custpool._display import Cell
    from custpool._frames import ColumnType


__all__ = ["ChannelAttribution", "ChannelRow", "channel_attribution"]

_CONNECT: Final = KIND_CODE[InteractionKind.CONNECT]
_PURCHASE: Final = KIND_CODE[InteractionKind.PURCHASE]
_REFUND: Final = KIND_CODE[InteractionKind.REFUND]
_DTYPES: Final[dict[str, ColumnType]] = {
    "source": "str",
    "source_zh": "str",
    "conversion_rate": "float",
    "revenue_minor": "int",
    "refunded_minor": "int",
    "currency": "str",
}
"""The columns given as lists that may hold only nulls (no purchase: no money, no currency)."""
_SOURCE_RULE: Final = "must be a source channel: " + ", ".join(s.value for s in SOURCES)


@dataclass(frozen=True, slots=True)
class ChannelRow:
    """One source channel's line of a :class:`ChannelAttribution`.

    Examples
    --------
    >>> from datetime import timedelta
    >>> from custpool import EXAMPLE_START, EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> report = channel_attribution(table, EXAMPLE_START, EXAMPLE_START + timedelta(days=30))
    >>> store = report.row("store")
    >>> store.customers, store.converted, store.conversion_rate, str(store.revenue)  # 38 + 128
    (1, 1, 1.0, '166.00 CNY')
    """

    source: SourceChannel
    """The channel."""
    customers: int
    """Customers attributed to it: their first CONNECT, at or before the end, came from it."""
    new_customers: int
    """Of those, the customers whose first CONNECT is in the window."""
    connections: int
    """CONNECT rows in the window with this source (reconnections included)."""
    converted: int
    """Attributed customers with at least one PURCHASE in the window (a free order counts)."""
    conversion_rate: float | None
    """``converted / customers``; None when no customer is attributed."""
    purchases: int
    """PURCHASE rows in the window of the attributed customers."""
    revenue: Money | None
    """Sum of those purchases (refunds not subtracted; free orders add 0); None without a
    currency."""
    refunded: Money | None
    """Sum of the attributed customers' REFUND rows in the window; None without a currency."""


@dataclass(frozen=True, slots=True, repr=False)
class ChannelAttribution(Displayed):
    """Customers, conversions and revenue of each source channel in a window.

    ``rows`` holds one :class:`ChannelRow` per :class:`~custpool.SourceChannel`, in the enum's
    order, zeros included. Purchases of customers with no CONNECT at or before the end are
    counted apart (``unattributed_*``), so channel revenues plus the unattributed revenue make
    the window's revenue.

    Examples
    --------
    >>> from datetime import timedelta
    >>> from custpool import EXAMPLE_START, EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> report = channel_attribution(table, EXAMPLE_START, EXAMPLE_START + timedelta(days=30))
    >>> [(r.source.value, r.customers, r.converted) for r in report.rows if r.customers]
    [('store', 1, 1), ('ecommerce', 1, 0), ('live_stream', 1, 0), ('mini_program', 1, 0),
     ('referral', 2, 1)]
    >>> str(report.revenue), report.unattributed_converted  # 38 + 128 (c-001) + 45 (c-002)
    ('211.00 CNY', 0)
    """

    window: Window
    """The window ``(start, end]``."""
    currency: str | None
    """The table's currency."""
    rows: tuple[ChannelRow, ...]
    """One row per source channel, in :class:`~custpool.SourceChannel` order."""
    unattributed_customers: int
    """Customers with no CONNECT at or before the end (prospects)."""
    unattributed_converted: int
    """Of those, customers with a PURCHASE in the window."""
    unattributed_revenue: Money | None
    """Their purchases in the window; None when the table has no currency."""
    revenue: Money | None
    """Every purchase in the window, attributed or not; None when the table has no currency."""
    unattributed_purchases: int = 0
    """PURCHASE rows in the window of the unattributed customers."""
    unattributed_refunded: Money | None = None
    """Their REFUND rows in the window; None when the table has no currency."""

    def __repr__(self) -> str:
        """Return a one-line summary, never the rows."""
        used = sum(1 for row in self.rows if row.customers)
        revenue = "n/a" if self.revenue is None else str(self.revenue)
        return (
            f"ChannelAttribution({used} channels with customers, revenue {revenue}, {self.window})"
        )

    def _report(self) -> Report:
        """Return one row per channel that has customers, connections or purchases."""
        title = Phrase(
            Text("channel attribution", "渠道归因"), Span(self.window.start, self.window.end)
        )
        used = [row for row in self.rows if row.customers or row.connections or row.purchases]
        rows: list[tuple[Cell, ...]] = [
            (
                Text(row.source.value, row.source.label_zh),
                Count(row.customers),
                Count(row.new_customers),
                Count(row.connections),
                Count(row.converted),
                Pct(row.conversion_rate),
                Count(row.purchases),
                Amount(row.revenue),
                Amount(row.refunded),
            )
            for row in used
        ]
        rows.append(
            (
                Text("(unattributed)", "（未归因）"),
                Count(self.unattributed_customers),
                Text(""),
                Text(""),
                Count(self.unattributed_converted),
                Text(""),
                Count(self.unattributed_purchases),
                Amount(self.unattributed_revenue),
                Amount(self.unattributed_refunded),
            )
        )
        head = (
            Text("channel", "渠道"),
            Text("customers", "客户"),
            Text("new", "新客户"),
            Text("connections", "连接"),
            Text("converted", "已转化"),
            Text("conversion", "转化率"),
            Text("purchases", "购买"),
            Text("revenue", "收入"),
            Text("refunded", "退款"),
        )
        hidden = len(self.rows) - len(used)
        figures = (
            (Text("revenue", "总收入"), Amount(self.revenue)),
            (Text("channels not shown (all zero)", "未列出的渠道（全为零）"), Count(hidden)),
        )
        return Report(title, (Section(figures), Section(tuple(rows), columns=head)))

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return one row per source channel, then one for the unattributed customers.

        Channels come in :class:`~custpool.SourceChannel` order, zeros included; the last row,
        with ``source`` null, holds the unattributed customers, so each count and money column
        sums to the window's figure.

        Columns: ``window_start``, ``window_end`` (the window, times in ``tz``); ``source``
        (the channel's value; null on the unattributed row) and ``source_zh`` (its Chinese
        label); ``customers``, ``new_customers``, ``connections``, ``converted``, ``purchases``
        (ints, as on :class:`~custpool.ChannelRow`; the unattributed have no CONNECT, so their
        ``new_customers`` and ``connections`` are 0); ``conversion_rate`` (float,
        ``converted / customers``; null when ``customers`` is 0); ``revenue_minor`` and
        ``refunded_minor`` (exact minor units of ``currency``; null when the table has no
        currency); ``currency``.

        Parameters
        ----------
        backend
            ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (with the ``custpool[frames]`` extra).
        tz
            The zone the window is shown in: an IANA name such as ``"Asia/Shanghai"``, or
            ``datetime.UTC`` (the default). It changes how the times read, never the instants.

        Returns
        -------
        pandas.DataFrame, polars.DataFrame or pyarrow.Table

        Raises
        ------
        custpool.ValidationError
            If ``backend`` or ``tz`` is not one of those allowed.
        custpool.MissingDependencyError
            If narwhals or the backend is not installed.

        Examples
        --------
        >>> from datetime import timedelta
        >>> from custpool import EXAMPLE_START, EventTable, channel_attribution, example_pool
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> report = channel_attribution(table, EXAMPLE_START, EXAMPLE_START + timedelta(days=30))
        >>> frame = report.to_frame("polars")
        >>> frame.height, frame["revenue_minor"].sum()  # 19 channels + unattributed; 211.00
        (20, 21100)
        >>> frame.filter(frame["source"] == "store").select(
        ...     "source_zh", "customers", "converted", "conversion_rate", "revenue_minor").rows()
        [('门店', 1, 1, 1.0, 16600)]
        """
        rows = self.rows
        currency = self.currency
        sources: list[str | None] = [r.source.value for r in rows]
        sources_zh: list[str | None] = [r.source.label_zh for r in rows]
        unattributed = self.unattributed_customers
        columns = {
            "window_start": [self.window.start_us] * (len(rows) + 1),
            "window_end": [self.window.end_us] * (len(rows) + 1),
            "source": [*sources, None],
            "source_zh": [*sources_zh, None],
            "customers": [*(r.customers for r in rows), unattributed],
            "new_customers": [*(r.new_customers for r in rows), 0],
            "connections": [*(r.connections for r in rows), 0],
            "converted": [*(r.converted for r in rows), self.unattributed_converted],
            "conversion_rate": [
                *(r.conversion_rate for r in rows),
                rate(self.unattributed_converted, unattributed),
            ],
            "purchases": [*(r.purchases for r in rows), self.unattributed_purchases],
            "revenue_minor": [
                *(minor_or_none(r.revenue) for r in rows),
                minor_or_none(self.unattributed_revenue),
            ],
            "refunded_minor": [
                *(minor_or_none(r.refunded) for r in rows),
                minor_or_none(self.unattributed_refunded),
            ],
            "currency": [currency] * (len(rows) + 1),
        }
        return frame(columns, backend, tz, ("window_start", "window_end"), _DTYPES)

    def row(self, source: SourceChannel | str) -> ChannelRow:
        """Return the row of one source channel (a member or its value, e.g. ``"store"``).

        Raises
        ------
        custpool.ValidationError
            If ``source`` is not a source channel (a :class:`~custpool.WrongTypeError` if it
            is not even a str); both are also a ValueError, as before.
        """
        if not isinstance(source, str):  # a SourceChannel is a str
            raise wrong_argument("source", source, _SOURCE_RULE)
        try:
            return self.rows[SOURCES.index(SourceChannel(source))]
        except ValueError:
            raise ValidationError("source", source, _SOURCE_RULE) from None


def channel_attribution(
    table: EventTable, start: datetime | Window, end: datetime | None = None
) -> ChannelAttribution:
    """Report, per source channel, customers brought, conversions and revenue in a window.

    Each customer is attributed to the ``source`` of their first CONNECT, if it is at or before
    ``end`` (later connections, reconnections after a churn included, do not move them). For the
    window ``(start, end]`` and each channel:

    - ``customers``: customers attributed to the channel;
    - ``new_customers``: those whose first CONNECT is in the window;
    - ``connections``: CONNECT rows in the window whose source is the channel;
    - ``converted``: attributed customers with a PURCHASE in the window, whether it came before
      or after their connection (convert-first businesses sell before connecting);
    - ``conversion_rate = converted / customers`` (None when ``customers`` is 0);
    - ``purchases``, ``revenue``: their PURCHASE rows in the window and the sum of the amounts;
      ``refunded``: the sum of their REFUND rows in the window (not subtracted from revenue).

    Parameters
    ----------
    table
        The events.
    start, end
        The window ``(start, end]`` (aware datetimes), or a :class:`~custpool.Window` as
        ``start`` alone.

    Returns
    -------
    ChannelAttribution

    Sums are exact (no wrap-around, however large the amounts).

    Raises
    ------
    custpool.WrongTypeError
        If ``table`` is not an EventTable.
    custpool.ValidationError
        If the window is invalid (naive times, ``end`` not after ``start``), or a sum is more
        than :class:`~custpool.Money` holds (the error names it, e.g. ``store.revenue``).

    Examples
    --------
    >>> from datetime import timedelta
    >>> from custpool import EXAMPLE_START, EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> week2 = channel_attribution(
    ...     table, EXAMPLE_START + timedelta(days=7), EXAMPLE_START + timedelta(days=14)
    ... )
    >>> referral = week2.row("referral")  # c-002 connected on day 10 (by referral)
    >>> referral.customers, referral.new_customers, referral.converted, referral.conversion_rate
    (1, 1, 0, 0.0)
    >>> str(week2.row("store").revenue)  # c-001's 128.00 on day 12
    '128.00 CNY'
    """
    if not isinstance(table, EventTable):
        raise wrong_argument("table", table, "must be a custpool.EventTable")
    window = as_window(start, end)
    n_sources = len(SOURCES)
    connect_time, source = first_connect(table)
    attributed = (connect_time != NO_TIME) & (connect_time <= window.end_us)
    channel = np.where(attributed, source, -1).astype(np.intp)
    new = attributed & (connect_time > window.start_us)
    customers = np.bincount(channel[attributed], minlength=n_sources)
    new_customers = np.bincount(channel[new], minlength=n_sources)

    inside = in_window(table.time, window.start_us, window.end_us)
    connect_rows = inside & (table.kind == _CONNECT)
    connections = np.bincount(table.source[connect_rows], minlength=n_sources)

    purchase_rows = np.flatnonzero(inside & (table.kind == _PURCHASE))
    refund_rows = np.flatnonzero(inside & (table.kind == _REFUND))
    buyer = table.customer[purchase_rows]
    bought = np.zeros(table.n_customers, dtype=np.bool_)
    bought[buyer] = True
    converted = np.bincount(channel[bought & attributed], minlength=n_sources)
    purchase_channel = channel[buyer]
    refund_channel = channel[table.customer[refund_rows]]
    purchase_amount = table.amount[purchase_rows]
    refund_amount = table.amount[refund_rows]
    purchases = np.bincount(purchase_channel[purchase_channel >= 0], minlength=n_sources)

    def money(amounts: NDArray[np.int64], what: str) -> Money | None:
        # Exact integer sums (no wrap-around), one masked sum per channel (19 channels).
        if table.currency is None:
            return None
        return to_money(exact_sum(amounts), table.currency, what)

    rows = tuple(
        ChannelRow(
            source=SOURCES[k],
            customers=int(customers[k]),
            new_customers=int(new_customers[k]),
            connections=int(connections[k]),
            converted=int(converted[k]),
            conversion_rate=rate(int(converted[k]), int(customers[k])),
            purchases=int(purchases[k]),
            revenue=money(purchase_amount[purchase_channel == k], f"{SOURCES[k].value}.revenue"),
            refunded=money(refund_amount[refund_channel == k], f"{SOURCES[k].value}.refunded"),
        )
        for k in range(n_sources)
    )
    prospects = ~attributed
    return ChannelAttribution(
        window=window,
        currency=table.currency,
        rows=rows,
        unattributed_customers=int(np.count_nonzero(prospects)),
        unattributed_converted=int(np.count_nonzero(bought & prospects)),
        unattributed_revenue=money(purchase_amount[purchase_channel < 0], "unattributed_revenue"),
        revenue=money(purchase_amount, "revenue"),
        unattributed_purchases=int(np.count_nonzero(purchase_channel < 0)),
        unattributed_refunded=money(refund_amount[refund_channel < 0], "unattributed_refunded"),
    )
