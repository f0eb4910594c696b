"""Period-over-period review of the pool as an asset (seed 002's 复盘).

Seed 002 judges whether customer assets grow by three indicators, reviewed period after period:
is the pool's customer count rising (user scale), is the repurchase rate rising, is the average
order value rising. :func:`pool_growth` computes them for consecutive periods of an
:class:`~custpool.EventTable` and flags each change as improving or not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from custpool._analytics.frames import KpiRows, frame, minor_or_none
from custpool._analytics.kpis import KpiScan, OrderValue, RepurchaseRate, UserScale
from custpool._analytics.sums import to_money
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
from custpool._engine import EventTable, KindRows, Window
from custpool._errors import ValidationError, bad_argument, wrong_argument
from custpool._format import percent
from custpool._model import Money

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime, tzinfo

    from custpool._display import Cell

__all__ = ["GrowthPeriod", "GrowthStep", "KpiChange", "PoolGrowth", "growth_of", "pool_growth"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class KpiChange(Generic[T]):
    """How one KPI moved from one period to the next.

    Attributes
    ----------
    before
        The value in the earlier period (None if it has none, e.g. no purchases).
    after
        The value in the later period.
    delta
        ``after - before``; None when either is None.
    improving
        ``after > before`` (strictly: unchanged is not improving); None when either is None.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> ends = [datetime(2026, m, 1, tzinfo=UTC) for m in (1, 2, 3)]
    >>> step = pool_growth(table, ends).steps[0]  # January, then February
    >>> step.user_scale
    KpiChange(before=5, after=5, delta=0, improving=False)
    >>> step.repurchase_rate  # nobody bought in February
    KpiChange(before=0.5, after=None, delta=None, improving=None)
    >>> print(step.user_scale)
    5 (+0 =)
    """

    before: T | None
    after: T | None
    delta: T | None
    improving: bool | None

    def __str__(self) -> str:
        """Return the later value and the change: ``↑`` improving, ``↓`` falling, ``=`` level."""
        return self.show(str)

    def show(self, shown: Callable[[T], str], delta: Callable[[T], str] | None = None) -> str:
        """Return ``after (delta arrow)``, written by ``shown`` (and ``delta`` for the change).

        Examples
        --------
        >>> change = KpiChange(before=0.25, after=0.5, delta=0.25, improving=True)
        >>> change.show(lambda r: f"{r:.0%}", lambda d: f"{d * 100:+.0f} pp")
        '50% (+25 pp ↑)'
        """
        after = "n/a" if self.after is None else shown(self.after)
        if self.delta is None:
            return f"{after} (change n/a)"
        written = _signed(self.delta) if delta is None else delta(self.delta)
        arrow = "↑" if self.improving else ("=" if _is_zero(self.delta) else "↓")
        return f"{after} ({written} {arrow})"


def _is_zero(value: object) -> bool:
    return (value.minor_units if isinstance(value, Money) else value) == 0


def _signed(value: object) -> str:
    if isinstance(value, Money):
        return f"{'+' if value.amount >= 0 else ''}{value}"
    return f"{value:+}"


def _rate_points(delta: float) -> str:
    return f"{delta * 100:+.1f} pp"


def _count_change(before: int, after: int) -> KpiChange[int]:
    return KpiChange(before, after, after - before, after > before)


def _rate_change(before: float | None, after: float | None) -> KpiChange[float]:
    if before is None or after is None:
        return KpiChange(before, after, None, None)
    return KpiChange(before, after, after - before, after > before)


def _money_change(before: Money | None, after: Money | None) -> KpiChange[Money]:
    if before is None or after is None:
        return KpiChange(before, after, None, None)
    units = after.minor_units - before.minor_units
    delta = to_money(units, after.currency, "average_order_value.delta")
    return KpiChange(before, after, delta, units > 0)


def _period(window: Window) -> Span:
    return Span(window.start, window.end)


def _arrow(change: KpiChange[Any], delta: Cell) -> Cell:
    """Return ``delta`` and the arrow of :meth:`KpiChange.show`; n/a when there is no change."""
    if change.delta is None:
        return Text("n/a", "无")
    arrow = "↑" if change.improving else ("=" if _is_zero(change.delta) else "↓")
    return Phrase(delta, Text(arrow))


def _step_changes(step: GrowthStep) -> tuple[Cell, Cell, Cell]:
    """Return the three changes of a step, written as its ``str`` writes them."""
    rate = step.repurchase_rate.delta
    points = Phrase(Number(None if rate is None else rate * 100, 1, signed=True), Text("pp"))
    return (
        _arrow(step.user_scale, Count(step.user_scale.delta, signed=True)),
        _arrow(step.repurchase_rate, points),
        _arrow(step.average_order_value, Amount(step.average_order_value.delta, signed=True)),
    )


def _step_rows(step: GrowthStep) -> tuple[tuple[Cell, Cell], ...]:
    scale, rate, value = (Phrase(Text("("), c, Text(")"), sep="") for c in _step_changes(step))
    return (
        (Text("user scale", "规模用户"), Phrase(Count(step.user_scale.after), scale)),
        (Text("repurchase rate", "复购率"), Phrase(Pct(step.repurchase_rate.after), rate)),
        (
            Text("average order value", "客单价"),
            Phrase(Amount(step.average_order_value.after), value),
        ),
    )


@dataclass(frozen=True, slots=True)
class GrowthPeriod:
    """The three asset indicators of one period.

    Attributes
    ----------
    window
        The period ``(start, end]``.
    scale
        User scale at the end of the period, and its movement.
    repurchase
        Repurchase rate in the period.
    order_value
        Average order value in the period.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> ends = [datetime(2026, m, 1, tzinfo=UTC) for m in (1, 2, 3)]
    >>> january = pool_growth(table, ends).periods[0]
    >>> january.user_scale, january.repurchase_rate, str(january.average_order_value)
    (5, 0.5, '70.33 CNY')
    """

    window: Window
    scale: UserScale
    repurchase: RepurchaseRate
    order_value: OrderValue

    @property
    def user_scale(self) -> int:
        """Customers connected at the end of the period."""
        return self.scale.connected

    @property
    def repurchase_rate(self) -> float | None:
        """``repurchase.rate``."""
        return self.repurchase.rate

    @property
    def average_order_value(self) -> Money | None:
        """``order_value.average``."""
        return self.order_value.average


@dataclass(frozen=True, slots=True, repr=False)
class GrowthStep(Displayed):
    """The change of the three asset indicators from one period to the next.

    Attributes
    ----------
    previous
        The earlier period.
    window
        The later period.
    user_scale
        Change in customers connected at the period's end.
    repurchase_rate
        Change in the repurchase rate (a difference of shares: 0.05 is five points).
    average_order_value
        Change in the average order value (rounded to the minor unit, as reported).

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> ends = [datetime(2025, 12, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)]
    >>> ends.append(datetime(2026, 2, 1, tzinfo=UTC))
    >>> step = pool_growth(table, ends).steps[0]
    >>> step.user_scale.delta, step.repurchase_rate.delta, str(step.average_order_value.delta)
    (5, 0.5, '11.33 CNY')
    >>> step.improving
    (True, True, True)
    """

    previous: Window
    window: Window
    user_scale: KpiChange[int]
    repurchase_rate: KpiChange[float]
    average_order_value: KpiChange[Money]

    @property
    def improving(self) -> tuple[bool | None, bool | None, bool | None]:
        """The three flags: user scale, repurchase rate, average order value."""
        return (
            self.user_scale.improving,
            self.repurchase_rate.improving,
            self.average_order_value.improving,
        )

    def __repr__(self) -> str:
        """Return a one-line summary: the later period and the three changes."""
        return (
            f"GrowthStep({self.window}: scale {self.user_scale}, repurchase "
            f"{self.repurchase_rate.show(percent, _rate_points)}, AOV {self.average_order_value})"
        )

    def _report(self) -> Report:
        """Return the later period's three indicators with their changes."""
        return Report(_period(self.window), (Section(_step_rows(self)),))

    def __str__(self) -> str:
        """Return the later period's values with their changes."""
        return (
            f"{self.window}: user scale {self.user_scale}; repurchase rate "
            f"{self.repurchase_rate.show(percent, _rate_points)}; average order value "
            f"{self.average_order_value}"
        )


@dataclass(frozen=True, slots=True, repr=False)
class PoolGrowth(Displayed):
    """The three asset indicators period by period (seed 002), and each step's change.

    Attributes
    ----------
    periods
        One :class:`GrowthPeriod` per period, in the order given.
    steps
        One :class:`GrowthStep` per pair of neighbouring periods (one fewer than ``periods``).

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> ends = [datetime(2025, 12, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)]
    >>> ends.append(datetime(2026, 2, 1, tzinfo=UTC))
    >>> print(pool_growth(table, ends))
    pool growth over 2 periods
      (2025-12-01T00:00:00+00:00, 2026-01-01T00:00:00+00:00]: user scale 0; repurchase rate 0.0%; average order value 59.00 CNY
      (2026-01-01T00:00:00+00:00, 2026-02-01T00:00:00+00:00]: user scale 5 (+5 ↑); repurchase rate 50.0% (+50.0 pp ↑); average order value 70.33 CNY (+11.33 CNY ↑)
    """  # noqa: E501 - a doctest's output line cannot be wrapped

    periods: tuple[GrowthPeriod, ...]
    steps: tuple[GrowthStep, ...]

    def __repr__(self) -> str:
        """Return a one-line summary: the periods and the last user scale."""
        first, last = self.periods[0].window, self.periods[-1].window
        return (
            f"PoolGrowth({len(self.periods)} periods from {first.start.isoformat()} to "
            f"{last.end.isoformat()}, user scale {self.periods[-1].user_scale})"
        )

    def _report(self) -> Report:
        """Return one row per period: its three indicators and, after the first, their changes."""
        title = Phrase(Text("pool growth over", "客户池增长："), Count(len(self.periods)))
        title = Phrase(title, Text("periods", "个周期"))
        first = self.periods[0]
        rows: list[tuple[Cell, ...]] = [
            (
                _period(first.window),
                Count(first.user_scale),
                Text(""),
                Pct(first.repurchase_rate),
                Text(""),
                Amount(first.average_order_value),
                Text(""),
            )
        ]
        for step, period in zip(self.steps, self.periods[1:], strict=True):
            scale, rate, value = _step_changes(step)
            rows.append(
                (
                    _period(step.window),
                    Count(period.user_scale),
                    scale,
                    Pct(period.repurchase_rate),
                    rate,
                    Amount(period.average_order_value),
                    value,
                )
            )
        head = (
            Text("period", "周期"),
            Text("user scale", "规模用户"),
            Text("change", "变化"),
            Text("repurchase rate", "复购率"),
            Text("change", "变化"),
            Text("average order value", "客单价"),
            Text("change", "变化"),
        )
        return Report(title, (Section(tuple(rows), columns=head),))

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return the three indicators as tidy rows, one per period and KPI, with each change.

        Columns: ``period`` (int: the period's position, from 0); ``window_start``,
        ``window_end`` (the period ``(start, end]``, times in ``tz``); ``kpi``
        (``user_scale``, ``repurchase_rate``, ``average_order_value``) and ``kpi_zh``;
        ``value``, ``value_minor``, ``currency``, ``numerator`` and ``denominator`` as in every
        KPI frame (see :meth:`~custpool.UserScale.to_frame`); then the change from the period
        before: ``delta`` (float; counts and shares), ``delta_minor`` (int; money, minor units
        of ``currency``) and ``improving`` (bool) — all null in period 0, and where either value
        is null.

        Parameters
        ----------
        backend
            ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (with the ``custpool[frames]`` extra).
        tz
            The zone the periods are shown in: an IANA name such as ``"Asia/Shanghai"``, or
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
        >>> from custpool import EventTable, example_pool, pool_growth
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> ends = [datetime(y, m, 1, tzinfo=UTC) for y, m in ((2025, 12), (2026, 1), (2026, 2))]
        >>> frame = pool_growth(table, ends).to_frame("polars")
        >>> frame.columns[-3:], frame.height  # 2 periods × 3 KPIs
        (['delta', 'delta_minor', 'improving'], 6)
        >>> frame.filter(frame["kpi"] == "average_order_value").select(
        ...     "period", "value_minor", "delta_minor", "improving").rows()
        [(0, 5900, None, None), (1, 7033, 1133, True)]
        """
        rows = KpiRows()
        delta: list[float | None] = [None] * 3
        delta_minor: list[int | None] = [None] * 3
        improving: list[bool | None] = [None] * 3
        for period in self.periods:
            w = period.window
            scale, repurchase, order = period.scale, period.repurchase, period.order_value
            amount = order.purchase_amount
            currency = None if amount is None else amount.currency
            rows.count(w, "user_scale", scale.connected)
            rows.share(
                w, "repurchase_rate", repurchase.rate, repurchase.repeat_buyers, repurchase.buyers
            )
            rows.money(w, "average_order_value", order.average, currency, amount, order.purchases)
        for step in self.steps:
            scale_delta = step.user_scale.delta
            delta += [
                None if scale_delta is None else float(scale_delta),
                step.repurchase_rate.delta,
                None,
            ]
            delta_minor += [None, None, minor_or_none(step.average_order_value.delta)]
            improving.extend(step.improving)
        columns: dict[str, object] = {
            "period": [k for k in range(len(self.periods)) for _ in range(3)],
            **rows.columns(),
            "delta": delta,
            "delta_minor": delta_minor,
            "improving": improving,
        }
        dtypes = {**KpiRows.DTYPES, "delta": "float", "delta_minor": "int", "improving": "bool"}
        return frame(columns, backend, tz, KpiRows.TIMES, dtypes)

    def __str__(self) -> str:
        """Return one line per period: its values and, after the first, their changes."""
        first = self.periods[0]
        aov = first.average_order_value
        head = (
            f"  {first.window}: user scale {first.user_scale}; repurchase rate "
            f"{percent(first.repurchase_rate)}; average order value "
            f"{'n/a' if aov is None else aov}"
        )
        lines = [f"pool growth over {len(self.periods)} periods", head]
        lines.extend(f"  {step}" for step in self.steps)
        return "\n".join(lines)


def _periods(periods: object) -> tuple[Window, ...]:
    if isinstance(periods, str | bytes) or not isinstance(periods, Iterable):
        rule = "must be a sequence of period ends (aware datetimes) or of Windows"
        raise wrong_argument("periods", periods, rule)
    items = list(periods)
    windows = [p for p in items if isinstance(p, Window)]
    if windows and len(windows) < len(items):
        position = next(n for n, p in enumerate(items) if not isinstance(p, Window))
        rule = "must be a Window like the others: give all period ends or all Windows"
        raise bad_argument(f"periods[{position}]", items[position], rule)
    if not windows:
        for position in range(1, len(items)):
            try:
                windows.append(Window(items[position - 1], items[position]))
            except ValidationError as exc:
                bad = position - 1 if exc.field == "start" else position
                raise bad_argument(f"periods[{bad}]", items[bad], exc.rule) from None
    if len(windows) < 2:  # a change needs two periods
        rule = "needs at least two periods to compare (three period ends, or two Windows)"
        raise ValidationError("periods", len(items), rule)
    return tuple(windows)


def pool_growth(table: EventTable, periods: Iterable[datetime] | Iterable[Window]) -> PoolGrowth:
    """Review the pool's growth period over period: user scale, repurchase rate, order value.

    For each period ``(start, end]``: ``user_scale`` = customers connected at ``end`` (see
    :func:`~custpool.user_scale`), ``repurchase_rate`` and ``average_order_value`` over the
    period (see :func:`~custpool.repurchase_rate`, :func:`~custpool.average_order_value`). Each
    step from a period to the next gives ``delta = after - before`` and
    ``improving = after > before`` per indicator (unchanged is not improving); both are None
    where either value is None (no buyers, no purchases, no currency). Rates are compared as
    reported (floats), order values as reported (rounded to the minor unit).

    Parameters
    ----------
    table
        The events.
    periods
        Period ends — aware datetimes, increasing, at least three (e.g. month starts: the
        periods are ``(ends[0], ends[1]]``, ``(ends[1], ends[2]]``, …) — or at least two
        :class:`~custpool.Window` objects, compared in the order given (e.g. the same month of
        two years).

    Returns
    -------
    PoolGrowth

    Raises
    ------
    custpool.ValidationError
        If ``periods`` holds fewer than two periods, mixes datetimes and windows, or an end is
        naive or not after the one before (the field names its position);
        :class:`~custpool.WrongTypeError` if ``table`` is not an ``EventTable`` or ``periods``
        is not a sequence.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> ends = [datetime(2025, 12, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)]
    >>> ends.append(datetime(2026, 2, 1, tzinfo=UTC))
    >>> growth = pool_growth(table, ends)
    >>> [p.user_scale for p in growth.periods], [s.improving for s in growth.steps]
    ([0, 5], [(True, True, True)])
    >>> pool_growth(table, ends[:2])
    Traceback (most recent call last):
    ...
    custpool.ValidationError: periods=2: needs at least two periods to compare (three period ends, or two Windows)
    """  # noqa: E501 - a doctest's output line cannot be wrapped
    if not isinstance(table, EventTable):
        raise wrong_argument("table", table, "must be a custpool.EventTable")
    kinds = KindRows(table)
    found = []
    for window in _periods(periods):
        scan = KpiScan(table, window, kinds)
        found.append(
            GrowthPeriod(
                window, scan.user_scale(), scan.repurchase_rate(), scan.average_order_value()
            )
        )
    return growth_of(found)


def growth_of(periods: Iterable[GrowthPeriod]) -> PoolGrowth:
    """Return the :class:`PoolGrowth` of reviewed periods: each step's changes, from one home.

    :func:`pool_growth` and ``custpool.dask`` (from summed partitions) both build it here.
    """
    found = tuple(periods)
    steps = tuple(
        GrowthStep(
            previous=a.window,
            window=b.window,
            user_scale=_count_change(a.user_scale, b.user_scale),
            repurchase_rate=_rate_change(a.repurchase_rate, b.repurchase_rate),
            average_order_value=_money_change(a.average_order_value, b.average_order_value),
        )
        for a, b in pairwise(found)
    )
    return PoolGrowth(found, steps)
