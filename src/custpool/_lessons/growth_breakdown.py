"""Where the pool's growth came from, period by period (seed 002's growth formula).

Seed 002: "多渠道获客进入自有流量池 + 复购导向的运营 + 周期性爆款 + 裂变式传播" — growth is
multi-channel acquisition into one's own pool, plus operation aimed at repurchase, plus periodic
hits, plus fission spread ("存量带增量": existing customers bring new ones). Each part exists on
its own (:func:`~custpool.channel_attribution`, :func:`~custpool.repurchase_rate`,
:func:`~custpool.fission`); :func:`growth_breakdown` puts them side by side for each period:

- the pool's **net growth** split into new customers by source channel (referral apart),
  customers who came back, and customers lost — reconciling exactly with
  :func:`~custpool.user_scale`'s ``net_change``;
- the period's **revenue** split into first orders of new customers, other first orders and
  repeat orders — summing exactly to the period's revenue;
- the **lift** of each campaign (:attr:`ActivityKind.CAMPAIGN <custpool.ActivityKind>`, a
  periodic hit): purchases during the campaign against the same-length window just before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from custpool._analytics import exact_sum, frame, minor_or_none, to_money
from custpool._display import Amount, Count, Displayed, Pct, Report, Section, Span, Text
from custpool._engine import (
    SOURCES,
    EventTable,
    KindRows,
    Window,
    count_runs,
    first_connect,
    in_window,
    rate,
    run_starts,
)
from custpool._errors import ValidationError, bad_argument, wrong_argument
from custpool._model import ActivityKind, InteractionKind, Money, PoolActivity, SourceChannel

if TYPE_CHECKING:
    from datetime import tzinfo

    from numpy.typing import NDArray

    from custpool._frames import ColumnType

__all__ = ["CampaignLift", "GrowthBreakdown", "PeriodGrowth", "growth_breakdown"]

_REFERRAL: Final = SOURCES.index(SourceChannel.REFERRAL)


def _money(units: int, currency: str | None, what: str) -> Money | None:
    return None if currency is None else to_money(units, currency, what)


@dataclass(frozen=True, slots=True)
class PeriodGrowth:
    """One period's growth: who joined and left, and where its revenue came from.

    The pool identity, exact for every period::

        net_change = new + returned - churned

    and the revenue identity, exact to the minor unit::

        revenue = first_orders_new + first_orders_other + repeat_orders

    Attributes
    ----------
    window
        The period ``(start, end]``.
    connected_at_start, connected
        Customers connected at ``start`` and at ``end`` (:func:`~custpool.user_scale`).
    new_by_source
        Customers whose first CONNECT ever is in the period, by that CONNECT's source: one count
        per :class:`~custpool.SourceChannel`, in the enum's order. Their sum is
        ``user_scale(...).new_customers``.
    returned
        Customers connected at ``end`` but not at ``start`` whose first CONNECT was before the
        period: they had left and came back.
    churned
        Customers connected at ``start``, or new in the period, who are not connected at
        ``end``: the pool's loss (a new customer who left within the period is one).
    currency
        The table's currency; None when it holds no amounts (then every Money is None).
    revenue
        Every PURCHASE in the period (refunds not subtracted; free orders add 0).
    first_orders_new, first_orders_other, repeat_orders
        The same purchases split: a customer's first PURCHASE ever (the first in table order
        when two share an instant) made by a customer new in the period; the first PURCHASE of
        anyone else (connected before the period, or never: a customer who bought before
        connecting); and every later PURCHASE.
    order_counts
        The number of purchases in each of the three parts, in that order.
    """

    window: Window
    connected_at_start: int
    connected: int
    new_by_source: tuple[int, ...]
    returned: int
    churned: int
    currency: str | None
    revenue: Money | None
    first_orders_new: Money | None
    first_orders_other: Money | None
    repeat_orders: Money | None
    order_counts: tuple[int, int, int]

    @property
    def new(self) -> int:
        """Customers whose first CONNECT is in the period (``user_scale``'s ``new_customers``)."""
        return sum(self.new_by_source)

    @property
    def new_by_referral(self) -> int:
        """New customers whose first CONNECT came by referral (老带新, fission)."""
        return self.new_by_source[_REFERRAL]

    @property
    def new_by_channel(self) -> int:
        """New customers from every other source channel (多渠道获客)."""
        return self.new - self.new_by_referral

    @property
    def net_change(self) -> int:
        """``connected - connected_at_start`` (= ``new + returned - churned``)."""
        return self.connected - self.connected_at_start

    def new_from(self, source: SourceChannel | str) -> int:
        """Return the new customers whose first CONNECT came from ``source``.

        Raises
        ------
        custpool.ValidationError
            If ``source`` is not a source channel.
        """
        try:
            index = SOURCES.index(SourceChannel(source))
        except ValueError:
            rule = "must be a source channel: " + ", ".join(s.value for s in SOURCES)
            raise bad_argument("source", source, rule) from None
        return self.new_by_source[index]

    def __str__(self) -> str:
        """Return the period's pool and revenue identities in two lines."""
        head = (
            f"{self.window}: net {self.net_change:+d} = {self.new_by_channel} new by channel "
            f"+ {self.new_by_referral} by referral + {self.returned} returned "
            f"- {self.churned} churned"
        )
        if self.revenue is None:
            return f"{head}\n    revenue n/a (no currency)"
        return (
            f"{head}\n    revenue {self.revenue} = {self.first_orders_new} first orders of new "
            f"customers + {self.first_orders_other} other first orders + {self.repeat_orders} "
            "repeat orders"
        )


@dataclass(frozen=True, slots=True)
class CampaignLift:
    """The purchases during one campaign (a periodic hit) against the window just before it.

    Method: the campaign runs over ``window = (at, ends_at]``; its **baseline** is the window of
    the same length just before, ``(at - (ends_at - at), at]``. Both have the same length, so
    comparing counts is comparing purchases per day. ``lift = purchases / baseline_purchases -
    1`` (0.5 is fifty percent more orders than before the campaign); ``revenue_lift`` likewise.
    An empty baseline (no purchase in it, e.g. before the data starts) gives ``lift`` None:
    nothing to compare with, never an infinite lift; ``extra_purchases`` is still given. All
    purchases of the table count, on every channel and by every customer (a campaign in a group
    may sell in the mini program); a baseline that overlaps another campaign is not corrected.

    Attributes
    ----------
    campaign_id, title
        The campaign's :class:`~custpool.PoolActivity` id and title.
    window, baseline
        The campaign's span and its baseline.
    purchases, baseline_purchases
        PURCHASE rows in each.
    buyers, baseline_buyers
        Distinct customers with a PURCHASE in each.
    revenue, baseline_revenue
        Their sums (refunds not subtracted); None without a currency.
    """

    campaign_id: str
    title: str | None
    window: Window
    baseline: Window
    purchases: int
    baseline_purchases: int
    buyers: int
    baseline_buyers: int
    revenue: Money | None
    baseline_revenue: Money | None

    @property
    def extra_purchases(self) -> int:
        """``purchases - baseline_purchases``."""
        return self.purchases - self.baseline_purchases

    @property
    def lift(self) -> float | None:
        """``purchases / baseline_purchases - 1``; None when the baseline has no purchase."""
        ratio = rate(self.purchases, self.baseline_purchases)
        return None if ratio is None else ratio - 1

    @property
    def revenue_lift(self) -> float | None:
        """``revenue / baseline_revenue - 1``; None without a currency or baseline revenue."""
        if self.revenue is None or self.baseline_revenue is None:
            return None
        ratio = rate(self.revenue.minor_units, self.baseline_revenue.minor_units)
        return None if ratio is None else ratio - 1

    def __str__(self) -> str:
        """Return the campaign's purchases against its baseline in one line."""
        name = self.campaign_id if self.title is None else f"{self.campaign_id} {self.title}"
        lift = "n/a (empty baseline)" if self.lift is None else f"{self.lift:+.1%}"
        return (
            f"{name} {self.window}: {self.purchases} purchases vs {self.baseline_purchases} "
            f"before (lift {lift})"
        )


@dataclass(frozen=True, slots=True, eq=False)
class GrowthBreakdown(Displayed):
    """Seed 002's growth formula, period by period, and the lift of each campaign.

    Build one with :func:`growth_breakdown`.

    Attributes
    ----------
    periods
        One :class:`PeriodGrowth` per period, in the order given.
    campaigns
        One :class:`CampaignLift` per campaign activity given, by start, then id.
    """

    periods: tuple[PeriodGrowth, ...]
    campaigns: tuple[CampaignLift, ...]

    def __repr__(self) -> str:
        """Return a short summary."""
        net = sum(p.net_change for p in self.periods)
        return (
            f"GrowthBreakdown({len(self.periods)} periods, net {net:+d}, "
            f"{len(self.campaigns)} campaigns)"
        )

    def _report(self) -> Report:
        """Return each period's identities, then each campaign's lift."""
        pool = tuple(
            (
                Span(p.window.start, p.window.end),
                Count(p.net_change, signed=True),
                Count(p.new_by_channel),
                Count(p.new_by_referral),
                Count(p.returned),
                Count(p.churned),
            )
            for p in self.periods
        )
        revenue = tuple(
            (
                Span(p.window.start, p.window.end),
                Amount(p.revenue),
                Amount(p.first_orders_new),
                Amount(p.first_orders_other),
                Amount(p.repeat_orders),
            )
            for p in self.periods
        )
        period = Text("period", "周期")
        pool_head = (
            period,
            Text("net", "净增"),
            Text("channel", "渠道新增"),
            Text("referral", "裂变新增"),
            Text("returned", "回流"),
            Text("churned", "流失"),
        )
        revenue_head = (
            period,
            Text("revenue", "营收"),
            Text("first, new", "新客首单"),
            Text("first, other", "其他首单"),
            Text("repeat", "复购"),
        )
        sections = [
            Section(
                pool,
                title=Text(
                    "net = channel + referral + returned - churned",
                    "净增 = 渠道新增 + 裂变新增 + 回流 - 流失",
                ),
                columns=pool_head,
            ),
            Section(
                revenue,
                title=Text(
                    "revenue = first orders of the new + other first orders + repeat orders",
                    "营收 = 新客首单 + 其他首单 + 复购",
                ),
                columns=revenue_head,
            ),
        ]
        if self.campaigns:
            lifts = tuple(
                (
                    Text(c.campaign_id if c.title is None else f"{c.campaign_id} {c.title}"),
                    Span(c.window.start, c.window.end),
                    Count(c.purchases),
                    Count(c.baseline_purchases),
                    Pct(c.lift),
                )
                for c in self.campaigns
            )
            head = (
                Text("campaign", "活动"),
                Text("span", "时段"),
                Text("purchases", "订单"),
                Text("before", "活动前"),
                Text("lift", "提升"),
            )
            sections.append(Section(lifts, title=Text("periodic hits", "周期性爆款"), columns=head))
        title = Text(
            f"growth breakdown over {len(self.periods)} periods",
            f"增长分解（{len(self.periods)} 个周期）",
        )
        return Report(title, tuple(sections))

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return one row per period.

        Columns: ``period`` (int, from 0); ``window_start``, ``window_end`` (times in ``tz``);
        ``connected_at_start``, ``connected``, ``net_change``, ``new``, ``new_by_channel``,
        ``new_by_referral``, ``returned``, ``churned`` (ints); ``new_<source>`` for each
        :class:`~custpool.SourceChannel` (ints); ``revenue_minor``, ``first_orders_new_minor``,
        ``first_orders_other_minor``, ``repeat_orders_minor`` (ints, minor units of
        ``currency``; null without a currency) and ``first_orders_new_count``,
        ``first_orders_other_count``, ``repeat_orders_count``; ``currency``.

        Parameters
        ----------
        backend
            ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (with the ``custpool[frames]`` extra).
        tz
            The zone the periods are shown in (an IANA name or a tzinfo; UTC by default).

        Returns
        -------
        pandas.DataFrame, polars.DataFrame or pyarrow.Table

        Examples
        --------
        >>> from datetime import UTC, datetime
        >>> from custpool import EventTable, example_pool, growth_breakdown
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> ends = [datetime(2025, 12, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC),
        ...         datetime(2026, 2, 1, tzinfo=UTC)]
        >>> frame = growth_breakdown(table, ends).to_frame("polars")
        >>> frame.select("net_change", "new", "churned", "revenue_minor", "repeat_orders_minor").rows()
        [(0, 0, 0, 5900, 0), (5, 6, 1, 21100, 12800)]
        """  # noqa: E501 - a doctest's output line cannot be wrapped
        ps = self.periods
        columns: dict[str, object] = {
            "period": list(range(len(ps))),
            "window_start": [p.window.start_us for p in ps],
            "window_end": [p.window.end_us for p in ps],
            "connected_at_start": [p.connected_at_start for p in ps],
            "connected": [p.connected for p in ps],
            "net_change": [p.net_change for p in ps],
            "new": [p.new for p in ps],
            "new_by_channel": [p.new_by_channel for p in ps],
            "new_by_referral": [p.new_by_referral for p in ps],
            "returned": [p.returned for p in ps],
            "churned": [p.churned for p in ps],
        }
        for index, source in enumerate(SOURCES):
            columns[f"new_{source.value}"] = [p.new_by_source[index] for p in ps]
        dtypes: dict[str, ColumnType] = dict.fromkeys(columns, "int")
        for part in ("revenue", "first_orders_new", "first_orders_other", "repeat_orders"):
            columns[f"{part}_minor"] = [minor_or_none(getattr(p, part)) for p in ps]
            dtypes[f"{part}_minor"] = "int"
        for k, part in enumerate(("first_orders_new", "first_orders_other", "repeat_orders")):
            columns[f"{part}_count"] = [p.order_counts[k] for p in ps]
            dtypes[f"{part}_count"] = "int"
        columns["currency"] = [p.currency for p in ps]
        dtypes["currency"] = "str"
        for name in ("window_start", "window_end"):
            del dtypes[name]
        return frame(columns, backend, tz, ("window_start", "window_end"), dtypes)

    def campaigns_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return one row per campaign: its span, its baseline, and both sides' figures.

        Columns: ``campaign_id``, ``title``; ``window_start``, ``window_end``,
        ``baseline_start`` (times in ``tz``; the baseline ends at ``window_start``);
        ``purchases``, ``baseline_purchases``, ``buyers``, ``baseline_buyers`` (ints);
        ``revenue_minor``, ``baseline_revenue_minor`` (ints; null without a currency);
        ``lift``, ``revenue_lift`` (floats; null with an empty baseline).

        Examples
        --------
        >>> from datetime import UTC, datetime
        >>> from custpool import EventTable, PoolActivity, example_pool, growth_breakdown
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> sale = PoolActivity(id="hit-1", at="2026-01-15T02:00:00Z", kind="campaign",
        ...                     channel="mini_program", ends_at="2026-01-25T02:00:00Z")
        >>> ends = [datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)]
        >>> growth_breakdown(table, ends, activities=[sale]).campaigns_frame("pyarrow").column(
        ...     "lift").to_pylist()
        [1.0]
        """
        cs = self.campaigns
        columns: dict[str, object] = {
            "campaign_id": [c.campaign_id for c in cs],
            "title": [c.title for c in cs],
            "window_start": [c.window.start_us for c in cs],
            "window_end": [c.window.end_us for c in cs],
            "baseline_start": [c.baseline.start_us for c in cs],
            "purchases": [c.purchases for c in cs],
            "baseline_purchases": [c.baseline_purchases for c in cs],
            "buyers": [c.buyers for c in cs],
            "baseline_buyers": [c.baseline_buyers for c in cs],
            "revenue_minor": [minor_or_none(c.revenue) for c in cs],
            "baseline_revenue_minor": [minor_or_none(c.baseline_revenue) for c in cs],
            "lift": [c.lift for c in cs],
            "revenue_lift": [c.revenue_lift for c in cs],
        }
        dtypes: dict[str, ColumnType] = {
            "campaign_id": "str",
            "title": "str",
            "purchases": "int",
            "baseline_purchases": "int",
            "buyers": "int",
            "baseline_buyers": "int",
            "revenue_minor": "int",
            "baseline_revenue_minor": "int",
            "lift": "float",
            "revenue_lift": "float",
        }
        times = ("window_start", "window_end", "baseline_start")
        return frame(columns, backend, tz, times, dtypes)


def period_windows(periods: object) -> tuple[Window, ...]:
    """Return ``periods`` (period ends, or Windows) as windows; at least one period.

    Raises
    ------
    custpool.WrongTypeError
        If ``periods`` is not a sequence.
    custpool.ValidationError
        If it mixes ends and windows, an end is naive or not after the one before (the field
        names its position), or it makes no period.
    """
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
    if not windows:
        rule = "needs at least one period (two period ends, or one Window)"
        raise ValidationError("periods", len(items), rule)
    return tuple(windows)


def _campaigns(activities: object) -> list[PoolActivity]:
    if isinstance(activities, str | bytes) or not isinstance(activities, Iterable):
        raise wrong_argument("activities", activities, "must be a sequence of PoolActivity")
    found = []
    for position, activity in enumerate(activities):
        if not isinstance(activity, PoolActivity):
            raise wrong_argument(f"activities[{position}]", activity, "must be a PoolActivity")
        if activity.kind is ActivityKind.CAMPAIGN:
            found.append(activity)
    found.sort(key=lambda a: (a.at, a.id))
    return found


class _Purchases:
    """The table's PURCHASE rows, and which of them is each customer's first."""

    def __init__(self, table: EventTable, kinds: KindRows) -> None:
        rows = kinds[InteractionKind.PURCHASE]
        self.rows = rows
        self.amount = table.amount[rows.index]
        self.first = run_starts(rows.customer)  # rows are in table order: customer, then time

    def split(self, start: int, end: int, new: NDArray[np.bool_]) -> tuple[list[int], list[int]]:
        """Return the sums and counts of first-new, first-other and repeat purchases."""
        keep = np.flatnonzero(in_window(self.rows.time, start, end))
        first = self.first[keep]
        is_new = new[self.rows.customer[keep]]
        amount = self.amount[keep]
        parts = (first & is_new, first & ~is_new, ~first)
        sums = [exact_sum(amount[part]) for part in parts]
        counts = [int(np.count_nonzero(part)) for part in parts]
        return sums, counts

    def within(self, start: int, end: int) -> tuple[int, int, int]:
        """Return the purchases, the distinct buyers and the sum in ``(start, end]``."""
        keep = np.flatnonzero(in_window(self.rows.time, start, end))
        return keep.shape[0], count_runs(self.rows.customer[keep]), exact_sum(self.amount[keep])


def growth_breakdown(
    table: EventTable,
    periods: Iterable[datetime] | Iterable[Window],
    *,
    activities: Iterable[PoolActivity] = (),
) -> GrowthBreakdown:
    """Break each period's growth into seed 002's parts, and measure each campaign's lift.

    For each period ``(start, end]``, with ``S`` the customers connected at ``start`` and ``E``
    those connected at ``end`` (the rule of :func:`~custpool.user_scale`):

    - ``new`` = customers whose first CONNECT ever is in the period, split by that CONNECT's
      source: ``new_by_referral`` (source REFERRAL, as :func:`~custpool.fission` counts it) and
      ``new_by_channel`` (every other source);
    - ``returned`` = customers in ``E``, not in ``S``, whose first CONNECT was before the period;
    - ``churned`` = customers in ``S`` or new, not in ``E``;
    - so ``net_change = |E| - |S| = new + returned - churned`` exactly: every customer of ``E``
      not in ``S`` is new or returned, and every customer of ``S`` or new not in ``E`` churned;
    - ``revenue`` = the period's PURCHASE amounts, split into ``first_orders_new`` (each
      customer's first PURCHASE ever, made by a customer new in the period),
      ``first_orders_other`` (the first PURCHASE of anyone else) and ``repeat_orders`` (every
      later one), summing to the revenue exactly.

    Each :attr:`~custpool.ActivityKind.CAMPAIGN` among ``activities`` gives a
    :class:`CampaignLift`: its purchases over ``(at, ends_at]`` against the same-length window
    just before (see :class:`CampaignLift` for the method and the empty baseline).

    Parameters
    ----------
    table
        The events.
    periods
        Period ends — aware datetimes, increasing, at least two (month starts make months) — or
        :class:`~custpool.Window` objects, in the order given.
    activities
        The brand's :class:`~custpool.PoolActivity` records; the campaigns among them are
        measured, the others ignored.

    Returns
    -------
    GrowthBreakdown

    Raises
    ------
    custpool.WrongTypeError
        If ``table`` is not an EventTable, or ``periods`` or ``activities`` not a sequence of
        the right records.
    custpool.ValidationError
        If ``periods`` makes no period, mixes ends and windows, or an end is naive or not after
        the one before.

    Examples
    --------
    The example pool in January: six customers join (four by channel, c-002 and c-006 by
    referral) and c-004 leaves, so the pool grows by 6 - 1 = 5. Its revenue, 38 + 128 + 45 =
    211.00, is c-001's and c-002's first orders (38 + 45 = 83.00) and c-001's repeat order
    (128.00). In December c-004 bought (59.00) before connecting: a first order, not of a new
    customer. A ten-day campaign from 15 January sold two orders (128 and 45) against one (38)
    in the ten days before: a lift of 2 / 1 - 1 = +100%.

    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, PoolActivity, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> ends = [datetime(2025, 12, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC),
    ...         datetime(2026, 2, 1, tzinfo=UTC)]
    >>> sale = PoolActivity(id="hit-1", at="2026-01-15T02:00:00Z", kind="campaign",
    ...                     channel="mini_program", title="拿铁节", ends_at="2026-01-25T02:00:00Z")
    >>> print(growth_breakdown(table, ends, activities=[sale]))
    growth breakdown over 2 periods
      net = channel + referral + returned - churned:
        period                                            net  channel  referral  returned  churned
        (2025-12-01 00:00+00:00, 2026-01-01 00:00+00:00]   +0        0         0         0        0
        (2026-01-01 00:00+00:00, 2026-02-01 00:00+00:00]   +5        4         2         0        1
      revenue = first orders of the new + other first orders + repeat orders:
        period                                               revenue  first, new  first, other      repeat
        (2025-12-01 00:00+00:00, 2026-01-01 00:00+00:00]   59.00 CNY    0.00 CNY     59.00 CNY    0.00 CNY
        (2026-01-01 00:00+00:00, 2026-02-01 00:00+00:00]  211.00 CNY   83.00 CNY      0.00 CNY  128.00 CNY
      periodic hits:
        campaign                                                  span  purchases  before    lift
        hit-1 拿铁节  (2026-01-15 02:00+00:00, 2026-01-25 02:00+00:00]          2       1  100.0%
    """  # noqa: E501 - a doctest's output line cannot be wrapped
    if not isinstance(table, EventTable):
        raise wrong_argument("table", table, "must be a custpool.EventTable")
    windows = period_windows(periods)
    campaigns = _campaigns(activities)
    kinds = KindRows(table)
    first_time, first_source = first_connect(table)
    purchases = _Purchases(table, kinds)
    currency = table.currency
    found = []
    for k, window in enumerate(windows):
        start, end = window.start_us, window.end_us
        at_start = kinds.connected_at(start)
        at_end = kinds.connected_at(end)
        new = (first_time > start) & (first_time <= end)
        by_source = np.bincount(first_source[new], minlength=len(SOURCES))
        # E \ S is new or returned; (S ∪ new) \ E churned: net = new + returned - churned
        returned = int(np.count_nonzero(at_end & ~at_start & ~new))
        churned = int(np.count_nonzero((at_start | new) & ~at_end))
        sums, counts = purchases.split(start, end, new)
        what = f"periods[{k}]"
        found.append(
            PeriodGrowth(
                window=window,
                connected_at_start=int(np.count_nonzero(at_start)),
                connected=int(np.count_nonzero(at_end)),
                new_by_source=tuple(int(c) for c in by_source),
                returned=returned,
                churned=churned,
                currency=currency,
                revenue=_money(sum(sums), currency, f"{what}.revenue"),
                first_orders_new=_money(sums[0], currency, f"{what}.first_orders_new"),
                first_orders_other=_money(sums[1], currency, f"{what}.first_orders_other"),
                repeat_orders=_money(sums[2], currency, f"{what}.repeat_orders"),
                order_counts=(counts[0], counts[1], counts[2]),
            )
        )
    lifts = tuple(_lift(purchases, campaign, currency) for campaign in campaigns)
    return GrowthBreakdown(tuple(found), lifts)


def _lift(purchases: _Purchases, campaign: PoolActivity, currency: str | None) -> CampaignLift:
    assert campaign.ends_at is not None  # noqa: S101 - the model requires it of a campaign
    window = Window(campaign.at, campaign.ends_at)
    span = window.end - window.start
    try:
        baseline = Window(window.start - span, window.start)
    except OverflowError:  # a baseline before the year 1: nothing can be in it
        baseline = Window(datetime.min.replace(tzinfo=UTC), window.start)
    count, buyers, units = purchases.within(window.start_us, window.end_us)
    before, before_buyers, before_units = purchases.within(baseline.start_us, baseline.end_us)
    what = f"campaign {campaign.id}"
    return CampaignLift(
        campaign_id=campaign.id,
        title=campaign.title,
        window=window,
        baseline=baseline,
        purchases=count,
        baseline_purchases=before,
        buyers=buyers,
        baseline_buyers=before_buyers,
        revenue=_money(units, currency, f"{what}.revenue"),
        baseline_revenue=_money(before_units, currency, f"{what}.baseline_revenue"),
    )
