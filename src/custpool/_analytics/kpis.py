"""The six pool KPIs and the store-visit funnel, over a reporting window, at table scale.

Seed 003 gives each relationship tier its key metrics — user scale (规模用户), activity rate
(活跃度), conversion rate (转化率), average order value (客单价), repurchase rate (复购率) and NPS
(净推荐值) — and seed 000 the funnel pool → store visits (上门量) → deals (成交量). Each is a pure
function of an :class:`~custpool.EventTable` and a half-open window ``(start, end]``; states are
counted at ``end``. Everything is computed with masks, ``bincount`` and run boundaries over the
table's sorted columns: no Python loop over customers or events. :func:`pool_kpis` computes them
all at once and shares the work.

Two populations are used, on purpose (see ``docs/kpis.md``):

- **the pool at end** — customers *connected* at ``end`` (a CONNECT at or before ``end`` and no
  CHURN at or after the latest one; a churn at the same instant as the connect wins). User scale,
  activity, conversion and the funnel are shares of the pool.
- **every customer of the table** — order value, refunds, repurchase and NPS count every purchase,
  refund and answer in the window, whoever made it: money taken and opinions given are facts of
  the period even when the customer has left by its end (leaving churned detractors out would
  flatter the NPS).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Final, overload

import numpy as np

from custpool._analytics.capture import CAPTURED, VisitorStatus, visitor_status
from custpool._analytics.frames import KpiRows
from custpool._analytics.sums import exact_sum, to_money
from custpool._display import (
    Amount,
    Count,
    Displayed,
    Number,
    Pct,
    Phrase,
    Report,
    Section,
    Span,
    Text,
)
from custpool._engine import (
    EventTable,
    KindRows,
    RowSet,
    Window,
    as_window,
    count_runs,
    in_window,
    rate,
    run_ends,
)
from custpool._errors import wrong_argument
from custpool._format import percent
from custpool._model import InteractionKind, Money

if TYPE_CHECKING:
    from datetime import datetime, tzinfo

    from numpy.typing import NDArray

    from custpool._display import Cell
    from custpool._engine import Breakdown, By

__all__ = [
    "DETRACTOR",
    "PROMOTER",
    "KpiScan",
    "activity_of",
    "conversion_of",
    "funnel_of",
    "kpi_rows",
    "nps_of",
    "order_value_of",
    "repurchase_of",
    "ActivityRate",
    "ConversionRate",
    "NetPromoterScore",
    "OrderValue",
    "PoolFunnel",
    "PoolKpis",
    "RepurchaseRate",
    "UserScale",
    "activity_rate",
    "average_order_value",
    "conversion_rate",
    "net_promoter_score",
    "pool_funnel",
    "pool_kpis",
    "repurchase_rate",
    "user_scale",
]

# -- helpers --------------------------------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


_SCALE: Final = Text("user scale", "规模用户")
_ACTIVITY: Final = Text("activity rate", "活跃度")
_CONVERSION: Final = Text("conversion rate", "转化率")
_ORDER_VALUE: Final = Text("average order value", "客单价")
_REPURCHASE: Final = Text("repurchase rate", "复购率")
_NPS: Final = Text("NPS", "净推荐值")
_FUNNEL: Final = Text("funnel", "客户池 → 上门 → 成交")
_PURCHASES: Final = Text("purchases", "购买次数")
_RESPONDENTS: Final = Text("respondents", "受访者")


def _span(window: Window) -> Span:
    return Span(window.start, window.end)


def _signed(count: int) -> Count:
    return Count(count, signed=True)


def _brackets(*cells: Cell) -> Phrase:
    """Return ``(cells…)``: the cells written together in round brackets."""
    return Phrase(Text("("), *cells, Text(")"), sep="")


def _of(part: int, whole: int) -> Phrase:
    """Return ``(part of whole)``."""
    return _brackets(Count(part), Text(" of ", " / "), Count(whole))


def _kpi_report(label: Text, window: Window, *rows: tuple[Cell, Cell]) -> Report:
    """Return the report of one KPI: its name and window, then one line per figure."""
    return Report(Phrase(label, _span(window)), (Section(rows),))


def _divide_half_even(numerator: int, denominator: int) -> int:
    """Return ``numerator / denominator`` rounded to an integer, ties to even (denominator > 0)."""
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2):
        quotient += 1
    return quotient


class KpiScan:
    """One table over one window: the masks and per-customer counts the KPIs share, once each.

    The entry point for computing several KPIs of one window, or the same KPIs over many
    windows (pass one :class:`~custpool._engine.primitives.KindRows` to every scan of a table):
    each method returns exactly what the public function of the same name returns.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, Window, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> window = Window(datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC))
    >>> scan = KpiScan(table, window)
    >>> scan.user_scale() == user_scale(table, window), scan.pool
    (True, 5)
    """

    def __init__(self, table: EventTable, window: Window, kinds: KindRows | None = None) -> None:
        self.table = table
        self.window = window
        self.start = window.start_us
        self.end = window.end_us
        self.n = table.n_customers
        self.kinds = KindRows(table) if kinds is None else kinds

    def rows(self, kind: InteractionKind) -> RowSet:
        """Return the rows of ``kind`` in the window."""
        return self.kinds[kind].within(self.start, self.end)

    def per_customer(self, rows: RowSet) -> NDArray[np.intp]:
        """How many of ``rows`` each customer has."""
        return np.bincount(rows.customer, minlength=self.n)

    @cached_property
    def connected(self) -> NDArray[np.bool_]:
        """Customers connected at the end of the window: the pool."""
        return self.kinds.connected_at(self.end)

    @cached_property
    def pool(self) -> int:
        return int(np.count_nonzero(self.connected))

    @cached_property
    def active(self) -> NDArray[np.bool_]:
        """Customers who took part in the window (:meth:`EventTable.takes_part` rows)."""
        mask = in_window(self.table.time, self.start, self.end)
        mask &= self.table.takes_part()
        active = np.zeros(self.n, dtype=np.bool_)
        active[self.table.customer[np.flatnonzero(mask)]] = True
        return active

    @cached_property
    def visitors(self) -> VisitorStatus:
        """The window's store visitors, each judged at their first visit: in the pool or not."""
        return visitor_status(self.table, self.window, self.kinds)

    @cached_property
    def purchases(self) -> RowSet:
        return self.rows(InteractionKind.PURCHASE)

    @cached_property
    def purchase_counts(self) -> NDArray[np.intp]:
        return self.per_customer(self.purchases)

    @cached_property
    def bought(self) -> NDArray[np.bool_]:
        """Customers with a PURCHASE in the window."""
        bought: NDArray[np.bool_] = self.purchase_counts > 0
        return bought

    def user_scale(self) -> UserScale:
        """Return :func:`user_scale` of this window."""
        return _user_scale(self)

    def activity_rate(self) -> ActivityRate:
        """Return :func:`activity_rate` of this window."""
        return _activity(self)

    def conversion_rate(self) -> ConversionRate:
        """Return :func:`conversion_rate` of this window."""
        return _conversion(self)

    def average_order_value(self) -> OrderValue:
        """Return :func:`average_order_value` of this window."""
        return _order_value(self)

    def repurchase_rate(self) -> RepurchaseRate:
        """Return :func:`repurchase_rate` of this window."""
        return _repurchase(self)

    def net_promoter_score(self) -> NetPromoterScore:
        """Return :func:`net_promoter_score` of this window."""
        return _nps(self)

    def pool_funnel(self) -> PoolFunnel:
        """Return :func:`pool_funnel` of this window."""
        return _funnel(self)

    def pool_kpis(self) -> PoolKpis:
        """Return :func:`pool_kpis` of this window."""
        return _pool_kpis(self)


def _by(scan: KpiScan, by: By) -> Breakdown[PoolKpis]:
    # the breakdown builds on this module's results: imported when first asked for
    from custpool._analytics.kpis_by import pool_kpis_by  # noqa: PLC0415

    return pool_kpis_by(scan, by)


def _kpi_scan(table: EventTable, start: datetime | Window, end: datetime | None) -> KpiScan:
    if not isinstance(table, EventTable):
        raise wrong_argument("table", table, "must be a custpool.EventTable")
    return KpiScan(table, as_window(start, end))


# -- user scale -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, repr=False)
class UserScale(Displayed):
    """User scale (规模用户), the key metric of the 浅 connected tier, and how it moved.

    Attributes
    ----------
    window
        The window ``(start, end]``.
    connected
        Customers connected at ``end``: the user scale.
    connected_at_start
        Customers connected at ``start``.
    connects
        CONNECT rows in the window.
    connecting_customers
        Distinct customers with a CONNECT in the window (new or coming back).
    new_customers
        Customers whose first CONNECT ever is in the window.
    churns
        CHURN rows in the window.
    churning_customers
        Distinct customers with a CHURN in the window.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> jan15, feb1 = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    >>> scale = user_scale(table, jan15, feb1)
    >>> scale.connected, scale.connected_at_start, scale.net_change
    (5, 4, 1)
    >>> print(scale)
    5 connected (4 at start, net +1; 2 connects, 2 new; 1 churn)
    """

    window: Window
    connected: int
    connected_at_start: int
    connects: int
    connecting_customers: int
    new_customers: int
    churns: int
    churning_customers: int

    def __repr__(self) -> str:
        """Return a one-line summary."""
        return f"UserScale({self.connected} connected, net {self.net_change:+d}, {self.window})"

    def _report(self) -> Report:
        return _kpi_report(
            _SCALE,
            self.window,
            (Text("connected", "已连接"), Count(self.connected)),
            (Text("connected at start", "期初已连接"), Count(self.connected_at_start)),
            (Text("net change", "净变化"), _signed(self.net_change)),
            (Text("connects", "连接次数"), Count(self.connects)),
            (Text("connecting customers", "连接客户"), Count(self.connecting_customers)),
            (Text("new customers", "新客户"), Count(self.new_customers)),
            (Text("churns", "流失次数"), Count(self.churns)),
            (Text("churning customers", "流失客户"), Count(self.churning_customers)),
        )

    @property
    def net_change(self) -> int:
        """``connected - connected_at_start``."""
        return self.connected - self.connected_at_start

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return the user scale and its movement as tidy rows, one per figure.

        Columns (every KPI frame has them, so frames of several KPIs or windows concatenate):
        ``window_start``, ``window_end`` (the window ``(start, end]``, times in ``tz``); ``kpi``
        (``user_scale``, ``connected_at_start``, ``net_change``, ``connects``,
        ``connecting_customers``, ``new_customers``, ``churns``, ``churning_customers``: all
        counts); ``kpi_zh`` (the Chinese name, where custpool's reports give one); ``value`` (float:
        a count, a share or a score; null for money, and for a share of nobody); ``value_minor`` and
        ``currency`` (money figures, exact minor units); ``numerator`` and ``denominator`` (the
        integers a share, a score or an average comes from; null for a plain count).

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
        >>> from datetime import UTC, datetime
        >>> from custpool import EventTable, example_pool, user_scale
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> jan15, feb1 = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
        >>> frame = user_scale(table, jan15, feb1).to_frame("pyarrow", tz="Asia/Shanghai")
        >>> frame.column_names  # doctest: +NORMALIZE_WHITESPACE
        ['window_start', 'window_end', 'kpi', 'kpi_zh', 'value', 'value_minor', 'currency',
         'numerator', 'denominator']
        >>> frame.column("kpi").to_pylist()[:3], frame.column("value").to_pylist()[:3]
        (['user_scale', 'connected_at_start', 'net_change'], [5.0, 4.0, 1.0])
        >>> str(frame.column("window_end")[0])  # Feb 1, 00:00 UTC is 08:00 in Shanghai
        '2026-02-01 08:00:00+08:00'
        """
        return kpi_rows(self).to_frame(backend, tz)

    def __str__(self) -> str:
        """Return the scale and its movement in one line."""
        return (
            f"{self.connected} connected ({self.connected_at_start} at start, "
            f"net {self.net_change:+d}; {_plural(self.connects, 'connect')}, "
            f"{self.new_customers} new; {_plural(self.churns, 'churn')})"
        )


def _user_scale(scan: KpiScan) -> UserScale:
    kinds = scan.kinds
    connects = scan.rows(InteractionKind.CONNECT)
    churns = scan.rows(InteractionKind.CHURN)
    first = kinds.first_connects
    new = int(np.count_nonzero((first > scan.start) & (first <= scan.end)))
    return UserScale(
        window=scan.window,
        connected=scan.pool,
        connected_at_start=int(np.count_nonzero(kinds.connected_at(scan.start))),
        connects=connects.index.shape[0],
        connecting_customers=count_runs(connects.customer),
        new_customers=new,
        churns=churns.index.shape[0],
        churning_customers=count_runs(churns.customer),
    )


@overload
def user_scale(
    table: EventTable, start: datetime | Window, end: datetime | None = None, *, by: None = None
) -> UserScale: ...


@overload
def user_scale(
    table: EventTable, start: datetime | Window, end: datetime | None = None, *, by: By
) -> Breakdown[UserScale]: ...


def user_scale(
    table: EventTable,
    start: datetime | Window,
    end: datetime | None = None,
    *,
    by: By | None = None,
) -> UserScale | Breakdown[UserScale]:
    """Count the pool at ``end`` (user scale, 规模用户) and its connects and churns in the window.

    Formulas, for the window ``(start, end]``:

    - ``connected`` = #customers connected at ``end``, where connected at ``t`` means a CONNECT
      at or before ``t`` and no CHURN at or after the latest such CONNECT (a churn at the same
      instant as the connect wins) — the rule of :func:`~custpool.classify`; a DORMANT customer
      is connected;
    - ``connected_at_start`` = the same at ``start``; ``net_change`` = the difference;
    - ``connects`` = #CONNECT rows with ``start < t <= end``; ``connecting_customers`` = #distinct
      customers among them; ``new_customers`` = #customers whose first CONNECT ever is in the
      window;
    - ``churns`` = #CHURN rows in the window; ``churning_customers`` = #distinct customers among
      them.

    Parameters
    ----------
    table
        The events.
    start, end
        The window's bounds (aware datetimes, ``end > start``), or a :class:`~custpool.Window`
        as ``start`` and no ``end``.

    Returns
    -------
    UserScale

    Raises
    ------
    custpool.ValidationError
        If the window is invalid (naive datetimes, ``end <= start``, or ``end`` given with a
        ``Window``); :class:`~custpool.WrongTypeError` if ``table`` is not an ``EventTable``.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, Window, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> jan1, feb1 = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    >>> january = Window(jan1, feb1)
    >>> scale = user_scale(table, january)
    >>> scale.connected, scale.connects, scale.new_customers, scale.churning_customers
    (5, 6, 6, 1)
    """
    scan = _kpi_scan(table, start, end)
    return _user_scale(scan) if by is None else _by(scan, by).map(attrgetter("scale"))


# -- activity and conversion ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, repr=False)
class ActivityRate(Displayed):
    """Activity rate (活跃度), the key metric of the 粘 engaged tier.

    Attributes
    ----------
    window
        The window ``(start, end]``.
    connected
        Customers connected at ``end`` (the denominator).
    active
        Of them, customers with at least one customer-initiated interaction in the window.
    rate
        ``active / connected``; None when nobody is connected.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> jan15, feb1 = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    >>> print(activity_rate(table, jan15, feb1))
    60.0% (3 of 5 connected)
    """

    window: Window
    connected: int
    active: int
    rate: float | None

    def __repr__(self) -> str:
        """Return a one-line summary."""
        shown = f"{percent(self.rate)}, {self.active} of {self.connected}"
        return f"ActivityRate({shown}, {self.window})"

    def _report(self) -> Report:
        return _kpi_report(
            _ACTIVITY,
            self.window,
            (_ACTIVITY, Pct(self.rate)),
            (Text("active", "活跃客户"), Count(self.active)),
            (Text("connected", "已连接"), Count(self.connected)),
        )

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return the activity rate as tidy rows, one per figure.

        Columns (every KPI frame has them, so frames of several KPIs or windows concatenate):
        ``window_start``, ``window_end`` (the window ``(start, end]``, times in ``tz``); ``kpi``
        (``activity_rate``: ``active / connected``); ``kpi_zh`` (the Chinese name, where custpool's
        reports give one); ``value`` (float: a count, a share or a score; null for money, and for a
        share of nobody); ``value_minor`` and ``currency`` (money figures, exact minor units);
        ``numerator`` and ``denominator`` (the integers a share, a score or an average comes from;
        null for a plain count).

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
        >>> from datetime import UTC, datetime
        >>> from custpool import EventTable, example_pool, activity_rate
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> jan15, feb1 = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
        >>> frame = activity_rate(table, jan15, feb1).to_frame("pyarrow", tz="Asia/Shanghai")
        >>> frame.to_pylist()[0]["kpi_zh"], frame.column("value")[0].as_py()
        ('活跃度', 0.6)
        >>> frame.column("numerator").to_pylist(), frame.column("denominator").to_pylist()
        ([3], [5])
        """
        return kpi_rows(self).to_frame(backend, tz)

    def __str__(self) -> str:
        """Return the rate with its numerator and denominator."""
        return f"{percent(self.rate)} ({self.active} of {self.connected} connected)"


def _activity(scan: KpiScan) -> ActivityRate:
    return activity_of(scan.window, scan.pool, int(np.count_nonzero(scan.active & scan.connected)))


def activity_of(window: Window, connected: int, active: int) -> ActivityRate:
    """Return the activity rate of ``active`` of ``connected`` customers (one home for the rate)."""
    return ActivityRate(window, connected, active, rate(active, connected))


@overload
def activity_rate(
    table: EventTable, start: datetime | Window, end: datetime | None = None, *, by: None = None
) -> ActivityRate: ...


@overload
def activity_rate(
    table: EventTable, start: datetime | Window, end: datetime | None = None, *, by: By
) -> Breakdown[ActivityRate]: ...


def activity_rate(
    table: EventTable,
    start: datetime | Window,
    end: datetime | None = None,
    *,
    by: By | None = None,
) -> ActivityRate | Breakdown[ActivityRate]:
    """Return the share of the pool at ``end`` that interacted on their own in the window.

    ``rate = active / connected``, where ``connected`` = #customers connected at ``end`` (as in
    :func:`user_scale`) and ``active`` = #of them with at least one customer-initiated row
    (direction inbound or peer) other than a CONNECT or CHURN — joining or leaving is not taking
    part, as engagement counts in :func:`~custpool.classify` — with ``start < t <= end``. None
    when ``connected`` is 0.

    Parameters
    ----------
    table
        The events.
    start, end
        The window's bounds, or a :class:`~custpool.Window` and no ``end``.

    Returns
    -------
    ActivityRate

    Raises
    ------
    custpool.ValidationError
        If the window is invalid.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> jan15, feb1 = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    >>> a = activity_rate(table, jan15, feb1)
    >>> a.active, a.connected, a.rate  # c-003 and c-005 were silent after Jan 15
    (3, 5, 0.6)
    """
    scan = _kpi_scan(table, start, end)
    return _activity(scan) if by is None else _by(scan, by).map(attrgetter("activity"))


@dataclass(frozen=True, slots=True, repr=False)
class ConversionRate(Displayed):
    """Conversion rate (转化率), a key metric of the 深 converted tier.

    Attributes
    ----------
    window
        The window ``(start, end]``.
    connected
        Customers connected at ``end`` (the denominator).
    converted
        Of them, customers with at least one PURCHASE in the window.
    rate
        ``converted / connected``; None when nobody is connected.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> jan15, feb1 = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    >>> print(conversion_rate(table, jan15, feb1))
    40.0% (2 of 5 connected)
    """

    window: Window
    connected: int
    converted: int
    rate: float | None

    def __repr__(self) -> str:
        """Return a one-line summary."""
        rate = percent(self.rate)
        return f"ConversionRate({rate}, {self.converted} of {self.connected}, {self.window})"

    def _report(self) -> Report:
        return _kpi_report(
            _CONVERSION,
            self.window,
            (_CONVERSION, Pct(self.rate)),
            (Text("converted", "已转化"), Count(self.converted)),
            (Text("connected", "已连接"), Count(self.connected)),
        )

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return the conversion rate as tidy rows, one per figure.

        Columns (every KPI frame has them, so frames of several KPIs or windows concatenate):
        ``window_start``, ``window_end`` (the window ``(start, end]``, times in ``tz``); ``kpi``
        (``conversion_rate``: ``converted / connected``); ``kpi_zh`` (the Chinese name, where
        custpool's reports give one); ``value`` (float: a count, a share or a score; null for money,
        and for a share of nobody); ``value_minor`` and ``currency`` (money figures, exact minor
        units); ``numerator`` and ``denominator`` (the integers a share, a score or an average comes
        from; null for a plain count).

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
        >>> from datetime import UTC, datetime
        >>> from custpool import EventTable, example_pool, conversion_rate
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> jan15, feb1 = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
        >>> frame = conversion_rate(table, jan15, feb1).to_frame("pyarrow", tz="Asia/Shanghai")
        >>> frame.column("kpi").to_pylist(), frame.column("value").to_pylist()
        (['conversion_rate'], [0.4])
        >>> frame.column("numerator").to_pylist(), frame.column("denominator").to_pylist()
        ([2], [5])
        """
        return kpi_rows(self).to_frame(backend, tz)

    def __str__(self) -> str:
        """Return the rate with its numerator and denominator."""
        return f"{percent(self.rate)} ({self.converted} of {self.connected} connected)"


def _conversion(scan: KpiScan) -> ConversionRate:
    converted = int(np.count_nonzero(scan.bought & scan.connected))
    return conversion_of(scan.window, scan.pool, converted)


def conversion_of(window: Window, connected: int, converted: int) -> ConversionRate:
    """Return the conversion rate of ``converted`` of ``connected`` customers."""
    return ConversionRate(window, connected, converted, rate(converted, connected))


@overload
def conversion_rate(
    table: EventTable, start: datetime | Window, end: datetime | None = None, *, by: None = None
) -> ConversionRate: ...


@overload
def conversion_rate(
    table: EventTable, start: datetime | Window, end: datetime | None = None, *, by: By
) -> Breakdown[ConversionRate]: ...


def conversion_rate(
    table: EventTable,
    start: datetime | Window,
    end: datetime | None = None,
    *,
    by: By | None = None,
) -> ConversionRate | Breakdown[ConversionRate]:
    """Return the share of the pool at ``end`` that bought in the window.

    ``rate = converted / connected``, where ``connected`` = #customers connected at ``end`` and
    ``converted`` = #of them with at least one PURCHASE with ``start < t <= end`` (refunds do not
    undo it; a free order converts like any other purchase). None when ``connected`` is 0.

    Parameters
    ----------
    table
        The events.
    start, end
        The window's bounds, or a :class:`~custpool.Window` and no ``end``.

    Returns
    -------
    ConversionRate

    Raises
    ------
    custpool.ValidationError
        If the window is invalid.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> jan15, feb1 = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    >>> c = conversion_rate(table, jan15, feb1)
    >>> c.converted, c.connected, c.rate  # c-001 and c-002 bought
    (2, 5, 0.4)
    """
    scan = _kpi_scan(table, start, end)
    return _conversion(scan) if by is None else _by(scan, by).map(attrgetter("conversion"))


# -- order value and repurchase -------------------------------------------------------------------


@dataclass(frozen=True, slots=True, repr=False)
class OrderValue(Displayed):
    """Average order value (客单价) with the refunds beside it, a key metric of the 深 tier.

    Money is exact: totals are sums of the table's integer minor units; an average is the total
    divided by the number of purchases, rounded half to even to the currency's minor unit (the
    exact average is ``purchase_amount.amount / purchases``). Money fields are None when the
    table has no currency (it holds no amounts); averages are None with no purchases.

    Attributes
    ----------
    window
        The window ``(start, end]``.
    purchases
        PURCHASE rows in the window (every customer's).
    purchase_amount
        Their total amount.
    average
        ``purchase_amount / purchases``: the average order value.
    refunds
        REFUND rows in the window.
    refund_amount
        Their total amount (the refunded orders may be older than the window).
    net_amount
        ``purchase_amount - refund_amount`` (may be negative).
    net_average
        ``net_amount / purchases``: the average order value net of refunds.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> jan15, feb1 = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    >>> print(average_order_value(table, jan15, feb1))
    86.50 CNY (2 purchases, 173.00 CNY); refunds 1, 45.00 CNY; net 64.00 CNY per purchase
    """

    window: Window
    purchases: int
    purchase_amount: Money | None
    average: Money | None
    refunds: int
    refund_amount: Money | None
    net_amount: Money | None
    net_average: Money | None

    def __repr__(self) -> str:
        """Return a one-line summary."""
        average = "n/a" if self.average is None else str(self.average)
        return f"OrderValue({average}, {_plural(self.purchases, 'purchase')}, {self.window})"

    def _report(self) -> Report:
        return _kpi_report(
            _ORDER_VALUE,
            self.window,
            (_ORDER_VALUE, Amount(self.average)),
            (_PURCHASES, Count(self.purchases)),
            (Text("purchase amount", "购买金额"), Amount(self.purchase_amount)),
            (Text("refunds", "退款次数"), Count(self.refunds)),
            (Text("refund amount", "退款金额"), Amount(self.refund_amount)),
            (Text("net amount", "净额"), Amount(self.net_amount)),
            (Text("net average order value", "净客单价"), Amount(self.net_average)),
        )

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return the order value, refunds and net figures as tidy rows, one per figure.

        Columns (every KPI frame has them, so frames of several KPIs or windows concatenate):
        ``window_start``, ``window_end`` (the window ``(start, end]``, times in ``tz``); ``kpi``
        (``purchases``, ``purchase_amount``, ``average_order_value`` (numerator: the amount;
        denominator: the purchases), ``refunds``, ``refund_amount``, ``net_amount``,
        ``net_average_order_value``); ``kpi_zh`` (the Chinese name, where custpool's reports give
        one); ``value`` (float: a count, a share or a score; null for money, and for a share of
        nobody); ``value_minor`` and ``currency`` (money figures, exact minor units); ``numerator``
        and ``denominator`` (the integers a share, a score or an average comes from; null for a
        plain count).

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
        >>> from datetime import UTC, datetime
        >>> from custpool import EventTable, example_pool, average_order_value
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> jan15, feb1 = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
        >>> frame = average_order_value(table, jan15, feb1).to_frame("pyarrow", tz="Asia/Shanghai")
        >>> frame.column("kpi").to_pylist()[:3], frame.column("value_minor").to_pylist()[:3]
        (['purchases', 'purchase_amount', 'average_order_value'], [None, 17300, 8650])
        >>> frame.column("currency")[2].as_py(), frame.column("numerator")[2].as_py()
        ('CNY', 17300)
        """
        return kpi_rows(self).to_frame(backend, tz)

    def __str__(self) -> str:
        """Return the average, the total, the refunds and the net average in one line."""
        if self.purchase_amount is None:
            return f"n/a ({_plural(self.purchases, 'purchase')}, no amounts)"
        average = "n/a" if self.average is None else str(self.average)
        net = "n/a" if self.net_average is None else str(self.net_average)
        return (
            f"{average} ({_plural(self.purchases, 'purchase')}, {self.purchase_amount}); "
            f"refunds {self.refunds}, {self.refund_amount}; net {net} per purchase"
        )


def _order_value(scan: KpiScan) -> OrderValue:
    amount = scan.table.amount
    purchases = scan.purchases
    refunds = scan.rows(InteractionKind.REFUND)
    return order_value_of(
        scan.window,
        scan.table.currency,
        purchases=purchases.index.shape[0],
        bought=exact_sum(amount[purchases.index]),
        refunds=refunds.index.shape[0],
        refunded=exact_sum(amount[refunds.index]),
    )


def order_value_of(  # noqa: PLR0913 - the window, the currency and four counts
    window: Window,
    currency: str | None,
    *,
    purchases: int,
    bought: int,
    refunds: int,
    refunded: int,
) -> OrderValue:
    """Return the order value of ``purchases`` summing to ``bought`` minor units, and refunds.

    Raises
    ------
    custpool.ValidationError
        Naming the figure when it is more than :class:`~custpool.Money` holds.
    """

    def money(minor_units: int, what: str) -> Money | None:
        return None if currency is None else to_money(minor_units, currency, what)

    net = bought - refunded
    return OrderValue(
        window=window,
        purchases=purchases,
        purchase_amount=money(bought, "purchase_amount"),
        average=money(_divide_half_even(bought, purchases), "average") if purchases else None,
        refunds=refunds,
        refund_amount=money(refunded, "refund_amount"),
        net_amount=money(net, "net_amount"),
        net_average=money(_divide_half_even(net, purchases), "net_average") if purchases else None,
    )


@overload
def average_order_value(
    table: EventTable, start: datetime | Window, end: datetime | None = None, *, by: None = None
) -> OrderValue: ...


@overload
def average_order_value(
    table: EventTable, start: datetime | Window, end: datetime | None = None, *, by: By
) -> Breakdown[OrderValue]: ...


def average_order_value(
    table: EventTable,
    start: datetime | Window,
    end: datetime | None = None,
    *,
    by: By | None = None,
) -> OrderValue | Breakdown[OrderValue]:
    """Return the average order value (客单价) in the window, with refunds and a net figure.

    Over every PURCHASE and REFUND row with ``start < t <= end`` (any customer's, connected or
    not), in the table's currency:

    - ``average = sum(purchase amounts) / #purchases``;
    - ``net_average = (sum(purchase amounts) - sum(refund amounts)) / #purchases``.

    A free order (amount 0) is an order: it counts in ``#purchases`` and so lowers both
    averages.

    Sums are exact (Python integers: no wrap-around, however large the amounts); each average
    is rounded half to even to the currency's minor unit. Averages are None with no purchases;
    every money field is None when the table has no currency.

    Parameters
    ----------
    table
        The events.
    start, end
        The window's bounds, or a :class:`~custpool.Window` and no ``end``.

    Returns
    -------
    OrderValue

    Raises
    ------
    custpool.ValidationError
        If the window is invalid, or a sum is more than :class:`~custpool.Money` holds (the
        error names it: ``purchase_amount``, ``refund_amount``, ``net_amount``…).

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> jan1, feb1 = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    >>> jan = average_order_value(table, jan1, feb1)
    >>> jan.purchases, str(jan.purchase_amount), str(jan.average)  # 211.00 / 3 = 70.333…
    (3, '211.00 CNY', '70.33 CNY')
    >>> jan.refunds, str(jan.net_amount), str(jan.net_average)  # (211.00 - 45.00) / 3 = 55.333…
    (1, '166.00 CNY', '55.33 CNY')
    """
    scan = _kpi_scan(table, start, end)
    return _order_value(scan) if by is None else _by(scan, by).map(attrgetter("order_value"))


@dataclass(frozen=True, slots=True, repr=False)
class RepurchaseRate(Displayed):
    """Repurchase rate (复购率), a key metric of the 深 converted tier.

    Attributes
    ----------
    window
        The window ``(start, end]``.
    buyers
        Customers with at least one PURCHASE in the window (the denominator).
    repeat_buyers
        Customers with at least two.
    rate
        ``repeat_buyers / buyers``; None when nobody bought.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> jan1, feb1 = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    >>> print(repurchase_rate(table, jan1, feb1))
    50.0% (1 of 2 buyers)
    """

    window: Window
    buyers: int
    repeat_buyers: int
    rate: float | None

    def __repr__(self) -> str:
        """Return a one-line summary."""
        shown = f"{percent(self.rate)}, {self.repeat_buyers} of {self.buyers}"
        return f"RepurchaseRate({shown}, {self.window})"

    def _report(self) -> Report:
        return _kpi_report(
            _REPURCHASE,
            self.window,
            (_REPURCHASE, Pct(self.rate)),
            (Text("repeat buyers", "复购客户"), Count(self.repeat_buyers)),
            (Text("buyers", "购买客户"), Count(self.buyers)),
        )

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return the repurchase rate as tidy rows, one per figure.

        Columns (every KPI frame has them, so frames of several KPIs or windows concatenate):
        ``window_start``, ``window_end`` (the window ``(start, end]``, times in ``tz``); ``kpi``
        (``repurchase_rate``: ``repeat_buyers / buyers``); ``kpi_zh`` (the Chinese name, where
        custpool's reports give one); ``value`` (float: a count, a share or a score; null for money,
        and for a share of nobody); ``value_minor`` and ``currency`` (money figures, exact minor
        units); ``numerator`` and ``denominator`` (the integers a share, a score or an average comes
        from; null for a plain count).

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
        >>> from datetime import UTC, datetime
        >>> from custpool import EventTable, example_pool, repurchase_rate
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> jan15, feb1 = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
        >>> frame = repurchase_rate(table, jan15, feb1).to_frame("pyarrow", tz="Asia/Shanghai")
        >>> frame.column("value").to_pylist(), frame.column("denominator").to_pylist()
        ([0.0], [2])
        """
        return kpi_rows(self).to_frame(backend, tz)

    def __str__(self) -> str:
        """Return the rate with its numerator and denominator."""
        return f"{percent(self.rate)} ({self.repeat_buyers} of {_plural(self.buyers, 'buyer')})"


def _repurchase(scan: KpiScan) -> RepurchaseRate:
    counts = scan.purchase_counts
    return repurchase_of(
        scan.window, int(np.count_nonzero(counts)), int(np.count_nonzero(counts >= 2))
    )


def repurchase_of(window: Window, buyers: int, repeat: int) -> RepurchaseRate:
    """Return the repurchase rate of ``repeat`` of ``buyers``."""
    return RepurchaseRate(window, buyers, repeat, rate(repeat, buyers))


@overload
def repurchase_rate(
    table: EventTable, start: datetime | Window, end: datetime | None = None, *, by: None = None
) -> RepurchaseRate: ...


@overload
def repurchase_rate(
    table: EventTable, start: datetime | Window, end: datetime | None = None, *, by: By
) -> Breakdown[RepurchaseRate]: ...


def repurchase_rate(
    table: EventTable,
    start: datetime | Window,
    end: datetime | None = None,
    *,
    by: By | None = None,
) -> RepurchaseRate | Breakdown[RepurchaseRate]:
    """Return the share of the window's buyers who bought at least twice in it.

    ``rate = repeat_buyers / buyers``: customers (any, connected or not) with at least two
    PURCHASE rows with ``start < t <= end``, over those with at least one; None when nobody
    bought. Free orders (amount 0) are purchases: a free gift after a paid order makes a repeat
    buyer.

    Parameters
    ----------
    table
        The events.
    start, end
        The window's bounds, or a :class:`~custpool.Window` and no ``end``.

    Returns
    -------
    RepurchaseRate

    Raises
    ------
    custpool.ValidationError
        If the window is invalid.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> jan1, feb1 = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    >>> r = repurchase_rate(table, jan1, feb1)
    >>> r.repeat_buyers, r.buyers, r.rate  # c-001 bought twice, c-002 once
    (1, 2, 0.5)
    """
    scan = _kpi_scan(table, start, end)
    return _repurchase(scan) if by is None else _by(scan, by).map(attrgetter("repurchase"))


# -- NPS ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, repr=False)
class NetPromoterScore(Displayed):
    """Net promoter score (净推荐值), the key metric of the 铁 advocate tier.

    Attributes
    ----------
    window
        The window ``(start, end]``.
    respondents
        Customers with an NPS answer in the window (each counted once, by their latest answer).
    promoters
        Respondents whose latest answer is 9 or 10.
    passives
        Respondents whose latest answer is 7 or 8.
    detractors
        Respondents whose latest answer is 0 to 6.
    score
        ``100 * (promoters - detractors) / respondents``, from -100 to 100; None with no
        respondents.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> jan1, feb1 = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    >>> print(net_promoter_score(table, jan1, feb1))
    +0.0 (2 respondents: 1 promoter, 0 passives, 1 detractor)
    """

    window: Window
    respondents: int
    promoters: int
    passives: int
    detractors: int
    score: float | None

    def __repr__(self) -> str:
        """Return a one-line summary."""
        score = "n/a" if self.score is None else f"{self.score:+.1f}"
        shown = f"{score}, {_plural(self.respondents, 'respondent')}"
        return f"NetPromoterScore({shown}, {self.window})"

    def _report(self) -> Report:
        return _kpi_report(
            _NPS,
            self.window,
            (_NPS, Number(self.score, 1, signed=True)),
            (_RESPONDENTS, Count(self.respondents)),
            (Text("promoters", "推荐者"), Count(self.promoters)),
            (Text("passives", "中立者"), Count(self.passives)),
            (Text("detractors", "贬损者"), Count(self.detractors)),
        )

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return the NPS and the shares behind it as tidy rows, one per figure.

        Columns (every KPI frame has them, so frames of several KPIs or windows concatenate):
        ``window_start``, ``window_end`` (the window ``(start, end]``, times in ``tz``); ``kpi``
        (``nps`` (``100 * numerator / denominator``: promoters minus detractors over respondents),
        ``promoter_share``, ``passive_share``, ``detractor_share``); ``kpi_zh`` (the Chinese name,
        where custpool's reports give one); ``value`` (float: a count, a share or a score; null for
        money, and for a share of nobody); ``value_minor`` and ``currency`` (money figures, exact
        minor units); ``numerator`` and ``denominator`` (the integers a share, a score or an average
        comes from; null for a plain count).

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
        >>> from datetime import UTC, datetime
        >>> from custpool import EventTable, example_pool, net_promoter_score
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> jan15, feb1 = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
        >>> frame = net_promoter_score(table, jan15, feb1).to_frame("pyarrow", tz="Asia/Shanghai")
        >>> frame.column("kpi").to_pylist()
        ['nps', 'promoter_share', 'passive_share', 'detractor_share']
        >>> frame.column("value").to_pylist(), frame.column("numerator").to_pylist()
        ([0.0, 0.5, 0.0, 0.5], [0, 1, 0, 1])
        """
        return kpi_rows(self).to_frame(backend, tz)

    def __str__(self) -> str:
        """Return the score and the answers behind it."""
        score = "n/a" if self.score is None else f"{self.score:+.1f}"
        return (
            f"{score} ({_plural(self.respondents, 'respondent')}: "
            f"{_plural(self.promoters, 'promoter')}, {_plural(self.passives, 'passive')}, "
            f"{_plural(self.detractors, 'detractor')})"
        )


def _nps(scan: KpiScan) -> NetPromoterScore:
    answers = scan.rows(InteractionKind.NPS)
    # Rows are sorted by customer, time, then tie-break: each customer's last row is the latest
    # answer, and at one instant the later row (the larger interaction id) wins, as in classify.
    latest = answers.index[run_ends(answers.customer)]
    scores = scan.table.score[latest]
    promoters = int(np.count_nonzero(scores >= PROMOTER))
    detractors = int(np.count_nonzero(scores <= DETRACTOR))
    return nps_of(scan.window, latest.shape[0], promoters, detractors)


PROMOTER: Final = 9
"""The lowest promoter score (9 and 10 promote)."""
DETRACTOR: Final = 6
"""The highest detractor score (0 to 6 detract)."""


def nps_of(window: Window, respondents: int, promoters: int, detractors: int) -> NetPromoterScore:
    """Return the NPS of ``respondents``, of whom ``promoters`` and ``detractors``."""
    passives = respondents - promoters - detractors
    score = 100 * (promoters - detractors) / respondents if respondents else None
    return NetPromoterScore(window, respondents, promoters, passives, detractors, score)


@overload
def net_promoter_score(
    table: EventTable, start: datetime | Window, end: datetime | None = None, *, by: None = None
) -> NetPromoterScore: ...


@overload
def net_promoter_score(
    table: EventTable, start: datetime | Window, end: datetime | None = None, *, by: By
) -> Breakdown[NetPromoterScore]: ...


def net_promoter_score(
    table: EventTable,
    start: datetime | Window,
    end: datetime | None = None,
    *,
    by: By | None = None,
) -> NetPromoterScore | Breakdown[NetPromoterScore]:
    """Return the NPS of the answers given in the window.

    Each customer with at least one NPS row with ``start < t <= end`` (connected or not) counts
    once, by their latest answer in the window; of two answers at one instant the higher score
    counts as the later (the table orders same-instant rows by their content, whatever the input
    order) — as :func:`~custpool.classify` reads the latest NPS. Then
    ``score = 100 * (promoters - detractors) / respondents`` (promoters answer 9-10, detractors
    0-6), computed from the integers and rounded once; None with no respondents.

    Parameters
    ----------
    table
        The events.
    start, end
        The window's bounds, or a :class:`~custpool.Window` and no ``end``.

    Returns
    -------
    NetPromoterScore

    Raises
    ------
    custpool.ValidationError
        If the window is invalid.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> jan1, feb1 = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    >>> late = net_promoter_score(table, datetime(2026, 1, 26, tzinfo=UTC), feb1)
    >>> late.respondents, late.detractors, late.score  # only c-002's 5 is after Jan 26
    (1, 1, -100.0)
    """
    scan = _kpi_scan(table, start, end)
    return _nps(scan) if by is None else _by(scan, by).map(attrgetter("net_promoter"))


# -- funnel ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, repr=False)
class PoolFunnel(Displayed):
    """Seed 000's funnel: the pool (客户池) → store visits (上门量) → deals (成交量).

    Attributes
    ----------
    window
        The window ``(start, end]``.
    pool
        Customers connected at ``end``.
    visitors
        Of the pool, customers with at least one STORE_VISIT in the window.
    deals
        Of the visitors, customers with at least one PURCHASE in the window.
    visits
        STORE_VISIT rows of the pool's customers in the window.
    visit_rate
        ``visitors / pool``.
    deal_rate
        ``deals / visitors``.
    pool_to_deal_rate
        ``deals / pool`` (= ``visit_rate * deal_rate``).
    walk_ins
        Store visitors of the window who were outside the pool at their first visit in it
        (seed 003's capture chances; see :func:`~custpool.visitor_capture`).
    captured
        Of the walk-ins, those who connected at or after that visit, by the window's end.
    capture_rate
        ``captured / walk_ins``.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> jan1, feb1 = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    >>> print(pool_funnel(table, jan1, feb1))
    5 → 1 → 0 (visit rate 20.0%, deal rate 0.0%, pool to deal 0.0%)
    >>> funnel = pool_funnel(table, jan1, feb1)
    >>> funnel.walk_ins, funnel.captured, funnel.capture_rate  # every visitor was in the pool
    (0, 0, None)
    """

    window: Window
    pool: int
    visitors: int
    deals: int
    visits: int
    visit_rate: float | None
    deal_rate: float | None
    pool_to_deal_rate: float | None
    walk_ins: int
    captured: int
    capture_rate: float | None

    def __repr__(self) -> str:
        """Return a one-line summary."""
        return f"PoolFunnel({self.pool} → {self.visitors} → {self.deals}, {self.window})"

    def _report(self) -> Report:
        return _kpi_report(
            _FUNNEL,
            self.window,
            (Text("pool", "客户池"), Count(self.pool)),
            (Text("visitors", "上门客户"), Count(self.visitors)),
            (Text("deals", "成交客户"), Count(self.deals)),
            (Text("visits", "上门量"), Count(self.visits)),
            (Text("visit rate", "上门率"), Pct(self.visit_rate)),
            (Text("deal rate", "成交率"), Pct(self.deal_rate)),
            (Text("pool to deal", "客户池成交率"), Pct(self.pool_to_deal_rate)),
            (Text("walk-ins from outside the pool", "池外到店客户"), Count(self.walk_ins)),
            (Text("captured", "已留资"), Count(self.captured)),
            (Text("capture rate", "留资率"), Pct(self.capture_rate)),
        )

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return the funnel as tidy rows, one per figure.

        Columns (every KPI frame has them, so frames of several KPIs or windows concatenate):
        ``window_start``, ``window_end`` (the window ``(start, end]``, times in ``tz``); ``kpi``
        (``visits`` (a count), ``visit_rate`` (``visitors / pool``), ``deal_rate`` (``deals /
        visitors``), ``pool_to_deal_rate`` (``deals / pool``), ``walk_ins`` (a count),
        ``capture_rate`` (``captured / walk_ins``)); ``kpi_zh`` (the Chinese name, where
        custpool's reports give one); ``value`` (float: a count, a share or a score; null for money,
        and for a share of nobody); ``value_minor`` and ``currency`` (money figures, exact minor
        units); ``numerator`` and ``denominator`` (the integers a share, a score or an average comes
        from; null for a plain count).

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
        >>> from datetime import UTC, datetime
        >>> from custpool import EventTable, example_pool, pool_funnel
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> jan15, feb1 = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
        >>> frame = pool_funnel(table, jan15, feb1).to_frame("pyarrow", tz="Asia/Shanghai")
        >>> frame.column("kpi").to_pylist()
        ['visits', 'visit_rate', 'deal_rate', 'pool_to_deal_rate', 'walk_ins', 'capture_rate']
        >>> frame.column("numerator").to_pylist(), frame.column("denominator").to_pylist()
        ([None, 1, 0, 0, None, 0], [None, 5, 1, 5, None, 0])
        """
        return kpi_rows(self).to_frame(backend, tz)

    def __str__(self) -> str:
        """Return the three counts and the rates between them, and the walk-ins' capture."""
        text = (
            f"{self.pool} → {self.visitors} → {self.deals} "
            f"(visit rate {percent(self.visit_rate)}, deal rate {percent(self.deal_rate)}, "
            f"pool to deal {percent(self.pool_to_deal_rate)})"
        )
        if not self.walk_ins:
            return text
        captured = f"{self.captured} of {self.walk_ins} ({percent(self.capture_rate)})"
        return f"{text}; walk-ins captured {captured}"


def _funnel(scan: KpiScan) -> PoolFunnel:
    counts = scan.per_customer(scan.rows(InteractionKind.STORE_VISIT))
    pool_visits = np.where(scan.connected, counts, 0)
    visited = pool_visits > 0
    cases = scan.visitors.counts()
    return funnel_of(
        scan.window,
        scan.pool,
        visitors=int(np.count_nonzero(visited)),
        deals=int(np.count_nonzero(visited & scan.bought)),
        visits=int(pool_visits.sum()),
        walk_ins=int(cases[CAPTURED:].sum()),
        captured=int(cases[CAPTURED]),
    )


def funnel_of(  # noqa: PLR0913 - the funnel's counts, each named
    window: Window,
    pool: int,
    *,
    visitors: int,
    deals: int,
    visits: int,
    walk_ins: int,
    captured: int,
) -> PoolFunnel:
    """Return the funnel of a pool of ``pool`` from its counts."""
    return PoolFunnel(
        window=window,
        pool=pool,
        visitors=visitors,
        deals=deals,
        visits=visits,
        visit_rate=rate(visitors, pool),
        deal_rate=rate(deals, visitors),
        pool_to_deal_rate=rate(deals, pool),
        walk_ins=walk_ins,
        captured=captured,
        capture_rate=rate(captured, walk_ins),
    )


@overload
def pool_funnel(
    table: EventTable, start: datetime | Window, end: datetime | None = None, *, by: None = None
) -> PoolFunnel: ...


@overload
def pool_funnel(
    table: EventTable, start: datetime | Window, end: datetime | None = None, *, by: By
) -> Breakdown[PoolFunnel]: ...


def pool_funnel(
    table: EventTable,
    start: datetime | Window,
    end: datetime | None = None,
    *,
    by: By | None = None,
) -> PoolFunnel | Breakdown[PoolFunnel]:
    """Return the funnel pool → store visits → deals of seed 000 for the window.

    - ``pool`` = #customers connected at ``end`` (the user scale);
    - ``visitors`` = #of the pool with at least one STORE_VISIT with ``start < t <= end``;
    - ``deals`` = #of the visitors with at least one PURCHASE in the window (before or after the
      visit: the window is the funnel's unit, as in a monthly report; the purchase may be made
      anywhere, not only in the store);
    - ``visits`` = #STORE_VISIT rows of the pool in the window (上门量 as a volume);
    - ``visit_rate = visitors / pool``, ``deal_rate = deals / visitors``,
      ``pool_to_deal_rate = deals / pool``; each None when its denominator is 0;
    - ``walk_ins`` = #store visitors of the window outside the pool at their first visit in it
      (seed 003: everyone who walks in is a chance to get their phone or WeChat), ``captured``
      = #of them with a CONNECT at or after that visit by ``end``, and ``capture_rate =
      captured / walk_ins`` (the rules of :func:`~custpool.visitor_capture`).

    Parameters
    ----------
    table
        The events.
    start, end
        The window's bounds, or a :class:`~custpool.Window` and no ``end``.

    Returns
    -------
    PoolFunnel

    Raises
    ------
    custpool.ValidationError
        If the window is invalid.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> jan1, feb1 = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    >>> f = pool_funnel(table, jan1, feb1)
    >>> f.pool, f.visitors, f.visits, f.visit_rate, f.deal_rate  # c-006 visited, did not buy
    (5, 1, 1, 0.2, 0.0)
    """
    scan = _kpi_scan(table, start, end)
    return _funnel(scan) if by is None else _by(scan, by).map(attrgetter("funnel"))


# -- all at once ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, repr=False)
class PoolKpis(Displayed):
    """Every pool KPI for one window, computed together by :func:`pool_kpis`.

    ``print`` it for a report; the headline numbers are also properties (``user_scale``,
    ``activity_rate``, ``conversion_rate``, ``average_order_value``, ``repurchase_rate``,
    ``nps``).

    Attributes
    ----------
    window
        The window ``(start, end]``.
    scale
        User scale (规模用户) and its movement.
    activity
        Activity rate (活跃度).
    conversion
        Conversion rate (转化率).
    order_value
        Average order value (客单价), refunds and net.
    repurchase
        Repurchase rate (复购率).
    net_promoter
        Net promoter score (净推荐值).
    funnel
        Pool → store visits → deals.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> jan15, feb1 = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    >>> kpis = pool_kpis(table, jan15, feb1)
    >>> kpis.user_scale, kpis.activity_rate, kpis.nps
    (5, 0.6, 0.0)
    """

    window: Window
    scale: UserScale
    activity: ActivityRate
    conversion: ConversionRate
    order_value: OrderValue
    repurchase: RepurchaseRate
    net_promoter: NetPromoterScore
    funnel: PoolFunnel

    def __repr__(self) -> str:
        """Return a one-line summary: the headline numbers."""
        return (
            f"PoolKpis(user_scale={self.user_scale}, activity={percent(self.activity_rate)}, "
            f"conversion={percent(self.conversion_rate)}, nps={self.nps}, {self.window})"
        )

    def _report(self) -> Report:
        parts = (self.scale, self.activity, self.conversion, self.order_value, self.repurchase)
        labels = (_SCALE, _ACTIVITY, _CONVERSION, _ORDER_VALUE, _REPURCHASE, _NPS, _FUNNEL)
        results = (*parts, self.net_promoter, self.funnel)
        rows = tuple((label, _headline(r)) for label, r in zip(labels, results, strict=True))
        title = Phrase(Text("pool KPIs", "客户池指标"), _span(self.window))
        return Report(title, (Section(rows),))

    @property
    def user_scale(self) -> int:
        """Customers connected at the end of the window."""
        return self.scale.connected

    @property
    def activity_rate(self) -> float | None:
        """``activity.rate``."""
        return self.activity.rate

    @property
    def conversion_rate(self) -> float | None:
        """``conversion.rate``."""
        return self.conversion.rate

    @property
    def average_order_value(self) -> Money | None:
        """``order_value.average``."""
        return self.order_value.average

    @property
    def repurchase_rate(self) -> float | None:
        """``repurchase.rate``."""
        return self.repurchase.rate

    @property
    def nps(self) -> float | None:
        """``net_promoter.score``."""
        return self.net_promoter.score

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return every KPI of the window as tidy rows, one per figure.

        Columns (every KPI frame has them, so frames of several KPIs or windows concatenate):
        ``window_start``, ``window_end`` (the window ``(start, end]``, times in ``tz``); ``kpi`` (as
        in the frames of :class:`UserScale`, :class:`ActivityRate`, :class:`ConversionRate`,
        :class:`OrderValue`, :class:`RepurchaseRate`, :class:`NetPromoterScore` and
        :class:`PoolFunnel`); ``kpi_zh`` (the Chinese name, where custpool's reports give one);
        ``value`` (float: a count, a share or a score; null for money, and for a share of nobody);
        ``value_minor`` and ``currency`` (money figures, exact minor units); ``numerator`` and
        ``denominator`` (the integers a share, a score or an average comes from; null for a plain
        count).

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
        >>> from datetime import UTC, datetime
        >>> from custpool import EventTable, example_pool, pool_kpis
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> jan15, feb1 = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
        >>> frame = pool_kpis(table, jan15, feb1).to_frame("pyarrow", tz="Asia/Shanghai")
        >>> headline = ["user_scale", "activity_rate", "average_order_value", "nps"]
        >>> [(r["kpi_zh"], r["value"], r["value_minor"]) for r in frame.to_pylist()
        ...  if r["kpi"] in headline]
        [('规模用户', 5.0, None), ('活跃度', 0.6, None), ('客单价', None, 8650),
         ('净推荐值', 0.0, None)]
        """
        return kpi_rows(self).to_frame(backend, tz)

    def __str__(self) -> str:
        """Return a report, one KPI a line, with English and Chinese labels."""
        return "\n".join(
            (
                f"pool KPIs {self.window}",
                f"  user scale 规模用户: {self.scale}",
                f"  activity rate 活跃度: {self.activity}",
                f"  conversion rate 转化率: {self.conversion}",
                f"  average order value 客单价: {self.order_value}",
                f"  repurchase rate 复购率: {self.repurchase}",
                f"  NPS 净推荐值: {self.net_promoter}",
                f"  funnel 客户池 → 上门 → 成交: {self.funnel}",
            )
        )


def _headline(result: object) -> Cell:  # noqa: PLR0911 - one return per KPI
    """Return a KPI's line in the report of :class:`PoolKpis`."""
    if isinstance(result, UserScale):
        net = _brackets(Text("net ", "净增 "), _signed(result.net_change))
        return Phrase(Count(result.connected), net)
    if isinstance(result, ActivityRate):
        return Phrase(Pct(result.rate), _of(result.active, result.connected))
    if isinstance(result, ConversionRate):
        return Phrase(Pct(result.rate), _of(result.converted, result.connected))
    if isinstance(result, OrderValue):
        purchases = _brackets(Phrase(Count(result.purchases), _PURCHASES))
        return Phrase(Amount(result.average), purchases)
    if isinstance(result, RepurchaseRate):
        return Phrase(Pct(result.rate), _of(result.repeat_buyers, result.buyers))
    if isinstance(result, NetPromoterScore):
        respondents = _brackets(Phrase(Count(result.respondents), _RESPONDENTS))
        return Phrase(Number(result.score, 1, signed=True), respondents)
    if isinstance(result, PoolFunnel):
        return Phrase(Count(result.pool), Count(result.visitors), Count(result.deals), sep=" → ")
    raise wrong_argument("result", result, "must be a KPI result")  # pragma: no cover


def kpi_rows(*results: object) -> KpiRows:
    """Return the tidy frame rows of KPI results (see :meth:`UserScale.to_frame`), in order."""
    rows = KpiRows()
    for result in results:
        if isinstance(result, PoolKpis):
            parts = (result.scale, result.activity, result.conversion, result.order_value)
            rows.extend(kpi_rows(*parts, result.repurchase, result.net_promoter, result.funnel))
        elif isinstance(result, UserScale):
            _scale_rows(rows, result)
        elif isinstance(result, ActivityRate):
            rows.share(result.window, "activity_rate", result.rate, result.active, result.connected)
        elif isinstance(result, ConversionRate):
            w, value = result.window, result.rate
            rows.share(w, "conversion_rate", value, result.converted, result.connected)
        elif isinstance(result, OrderValue):
            _order_rows(rows, result)
        elif isinstance(result, RepurchaseRate):
            w, value = result.window, result.rate
            rows.share(w, "repurchase_rate", value, result.repeat_buyers, result.buyers)
        elif isinstance(result, NetPromoterScore):
            _nps_rows(rows, result)
        elif isinstance(result, PoolFunnel):
            _funnel_rows(rows, result)
        else:  # pragma: no cover - called by the KPI classes only
            raise wrong_argument("result", result, "must be a KPI result")
    return rows


def _scale_rows(rows: KpiRows, scale: UserScale) -> None:
    w = scale.window
    rows.count(w, "user_scale", scale.connected)
    rows.count(w, "connected_at_start", scale.connected_at_start)
    rows.count(w, "net_change", scale.net_change)
    rows.count(w, "connects", scale.connects)
    rows.count(w, "connecting_customers", scale.connecting_customers)
    rows.count(w, "new_customers", scale.new_customers)
    rows.count(w, "churns", scale.churns)
    rows.count(w, "churning_customers", scale.churning_customers)


def _order_rows(rows: KpiRows, value: OrderValue) -> None:
    w, amount = value.window, value.purchase_amount
    currency = None if amount is None else amount.currency
    net = value.net_amount
    rows.count(w, "purchases", value.purchases)
    rows.money(w, "purchase_amount", amount, currency)
    rows.money(w, "average_order_value", value.average, currency, amount, value.purchases)
    rows.count(w, "refunds", value.refunds)
    rows.money(w, "refund_amount", value.refund_amount, currency)
    rows.money(w, "net_amount", net, currency)
    rows.money(w, "net_average_order_value", value.net_average, currency, net, value.purchases)


def _nps_rows(rows: KpiRows, nps: NetPromoterScore) -> None:
    w, respondents = nps.window, nps.respondents
    rows.share(w, "nps", nps.score, nps.promoters - nps.detractors, respondents)
    for kpi, part in (
        ("promoter_share", nps.promoters),
        ("passive_share", nps.passives),
        ("detractor_share", nps.detractors),
    ):
        rows.share(w, kpi, rate(part, respondents), part, respondents)


def _funnel_rows(rows: KpiRows, funnel: PoolFunnel) -> None:
    w = funnel.window
    rows.count(w, "visits", funnel.visits)
    rows.share(w, "visit_rate", funnel.visit_rate, funnel.visitors, funnel.pool)
    rows.share(w, "deal_rate", funnel.deal_rate, funnel.deals, funnel.visitors)
    rows.share(w, "pool_to_deal_rate", funnel.pool_to_deal_rate, funnel.deals, funnel.pool)
    rows.count(w, "walk_ins", funnel.walk_ins)
    rows.share(w, "capture_rate", funnel.capture_rate, funnel.captured, funnel.walk_ins)


def _pool_kpis(scan: KpiScan) -> PoolKpis:
    return PoolKpis(
        window=scan.window,
        scale=_user_scale(scan),
        activity=_activity(scan),
        conversion=_conversion(scan),
        order_value=_order_value(scan),
        repurchase=_repurchase(scan),
        net_promoter=_nps(scan),
        funnel=_funnel(scan),
    )


@overload
def pool_kpis(
    table: EventTable, start: datetime | Window, end: datetime | None = None, *, by: None = None
) -> PoolKpis: ...


@overload
def pool_kpis(
    table: EventTable, start: datetime | Window, end: datetime | None = None, *, by: By
) -> Breakdown[PoolKpis]: ...


def pool_kpis(
    table: EventTable,
    start: datetime | Window,
    end: datetime | None = None,
    *,
    by: By | None = None,
) -> PoolKpis | Breakdown[PoolKpis]:
    """Return every pool KPI for the window at once, sharing the masks and counts they need.

    The same numbers as :func:`user_scale`, :func:`activity_rate`, :func:`conversion_rate`,
    :func:`average_order_value`, :func:`repurchase_rate`, :func:`net_promoter_score` and
    :func:`pool_funnel` called one by one (each formula is in its docstring), in about the time
    of two of them: the pool at ``end``, the window's purchases and the per-kind row positions
    are found once.

    Parameters
    ----------
    table
        The events.
    start, end
        The window's bounds, or a :class:`~custpool.Window` and no ``end``.

    Returns
    -------
    PoolKpis

    Raises
    ------
    custpool.ValidationError
        If the window is invalid, or a money sum is more than :class:`~custpool.Money` holds
        (see :func:`average_order_value`).

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> jan15, feb1 = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    >>> print(pool_kpis(table, jan15, feb1))
    pool KPIs (2026-01-15T00:00:00+00:00, 2026-02-01T00:00:00+00:00]
      user scale 规模用户: 5 connected (4 at start, net +1; 2 connects, 2 new; 1 churn)
      activity rate 活跃度: 60.0% (3 of 5 connected)
      conversion rate 转化率: 40.0% (2 of 5 connected)
      average order value 客单价: 86.50 CNY (2 purchases, 173.00 CNY); refunds 1, 45.00 CNY; net 64.00 CNY per purchase
      repurchase rate 复购率: 0.0% (0 of 2 buyers)
      NPS 净推荐值: +0.0 (2 respondents: 1 promoter, 0 passives, 1 detractor)
      funnel 客户池 → 上门 → 成交: 5 → 1 → 0 (visit rate 20.0%, deal rate 0.0%, pool to deal 0.0%)
    """  # noqa: E501 - a doctest's output line cannot be wrapped
    scan = _kpi_scan(table, start, end)
    return _pool_kpis(scan) if by is None else _by(scan, by)
