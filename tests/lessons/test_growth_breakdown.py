"""Seed 002's growth formula per period: hand-checked parts, campaign lift, and properties."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.test_kpis import ev
from conftest import at
from custpool import (
    EventTable,
    Money,
    PoolActivity,
    ValidationError,
    Window,
    WrongTypeError,
    growth_breakdown,
    pool_growth,
    user_scale,
)
from custpool._time import from_micros

# Period 1 = days (0, 10], period 2 = (10, 20].
HISTORY = [
    ev(-5, "purchase", "c-0", amount="7.00"),  # bought before ever connecting
    ev(1, "connect", "c-1", source="store"),
    ev(2, "purchase", "c-1", amount="100.00"),
    ev(3, "purchase", "c-1", amount="60.00"),
    ev(4, "connect", "c-2", source="referral"),
    ev(5, "purchase", "c-2", amount="20.00"),
    ev(6, "connect", "c-3", source="store"),
    ev(7, "churn", "c-3"),  # new and gone in the same period
    ev(8, "connect", "c-0", source="ecommerce"),
    ev(12, "connect", "c-4", source="referral"),
    ev(13, "purchase", "c-4", amount="90.00"),
    ev(14, "purchase", "c-0", amount="5.00"),
    ev(15, "churn", "c-2"),
    ev(16, "connect", "c-3", source="store"),  # came back
]
TABLE = EventTable.from_interactions(HISTORY)
ENDS = [at(0), at(10), at(20)]


def cny(amount: str) -> Money:
    return Money(amount=amount, currency="CNY")


def test_periods_by_hand():
    first, second = growth_breakdown(TABLE, ENDS).periods
    # Period 1: c-1, c-2, c-3, c-0 connect for the first time; c-3 leaves: 0 -> 3.
    assert (first.new, first.new_by_referral, first.new_by_channel) == (4, 1, 3)
    assert (first.new_from("store"), first.new_from("ecommerce")) == (2, 1)
    assert (first.returned, first.churned, first.net_change) == (0, 1, 3)  # 4 + 0 - 1
    # Revenue 100 + 60 + 20 = 180: first orders of new c-1 (100) and c-2 (20); c-1's 60 repeats.
    assert first.revenue == cny("180.00")
    assert (first.first_orders_new, first.first_orders_other, first.repeat_orders) == (
        cny("120.00"),
        cny("0.00"),
        cny("60.00"),
    )
    assert first.order_counts == (2, 0, 1)
    # Period 2: c-4 new by referral, c-3 back, c-2 leaves: 3 -> 4 (1 + 1 - 1).
    assert (second.new, second.new_by_referral, second.returned, second.churned) == (1, 1, 1, 1)
    assert (second.connected_at_start, second.connected, second.net_change) == (3, 4, 1)
    # Revenue 90 + 5 = 95: c-4's first order (new); c-0 bought first on day -5, so 5 repeats.
    assert (second.first_orders_new, second.first_orders_other, second.repeat_orders) == (
        cny("90.00"),
        cny("0.00"),
        cny("5.00"),
    )


def test_a_first_order_of_a_customer_not_new_is_other():
    # c-0's first order ever (day -5) is in (-10, 0]; c-0 connects only on day 8.
    (period,) = growth_breakdown(TABLE, [at(-10), at(0)]).periods
    assert (period.first_orders_other, period.order_counts) == (cny("7.00"), (0, 1, 0))


def campaign(start: float, end: float, cid: str = "hit-1") -> PoolActivity:
    return PoolActivity(
        id=cid, at=at(start), kind="campaign", channel="mini_program", ends_at=at(end)
    )


def test_campaign_lift_against_the_window_before():
    # Campaign (10, 15]: c-4's 90 and c-0's 5 -> 2 orders; baseline (5, 10]: none -> no lift.
    (late,) = growth_breakdown(TABLE, ENDS, activities=[campaign(10, 15)]).campaigns
    assert (late.purchases, late.baseline_purchases, late.lift, late.extra_purchases) == (
        2,
        0,
        None,
        2,
    )
    # Campaign (2, 4]: day 3's 60 -> 1 order; baseline (0, 2]: day 2's 100 -> 1: lift 1/1 - 1 = 0.
    (early,) = growth_breakdown(TABLE, ENDS, activities=[campaign(2, 4)]).campaigns
    assert (early.purchases, early.baseline_purchases, early.lift) == (1, 1, 0.0)
    # Revenue 60 against 100: 60 / 100 - 1 = -0.4.
    assert early.revenue_lift == pytest.approx(-0.4)
    assert early.baseline == Window(at(0), at(2))
    # Campaign (2, 6]: days 3 and 5 -> 60 + 20; baseline (-2, 2]: day 2's 100: lift 2 / 1 - 1 = 1.
    (wide,) = growth_breakdown(TABLE, ENDS, activities=[campaign(2, 6)]).campaigns
    assert (wide.purchases, wide.buyers, wide.baseline_buyers, wide.lift) == (2, 2, 1, 1.0)


def test_campaigns_are_sorted_and_other_activities_ignored():
    post = PoolActivity(
        id="p", at=at(1), kind="content_published", channel="moments", content_id="c"
    )
    found = growth_breakdown(
        TABLE, ENDS, activities=[campaign(5, 6, "b"), post, campaign(2, 4, "a")]
    ).campaigns
    assert [c.campaign_id for c in found] == ["a", "b"]


def test_prints_and_frames():
    result = growth_breakdown(TABLE, ENDS, activities=[campaign(2, 4)])
    assert repr(result) == "GrowthBreakdown(2 periods, net +4, 1 campaigns)"
    text = str(result)
    rows = [line.split() for line in text.splitlines()]
    # first period: net +3 = 3 by channel + 1 by referral + 0 returned - 1 churned
    assert ["+3", "3", "1", "0", "1"] in [row[4:] for row in rows]
    assert rows[-1][-3:] == ["1", "1", "0.0%"]  # the campaign: 1 purchase against 1 before
    assert "裂变新增" in result.to_text("zh")
    frame = result.to_frame("pyarrow")
    assert frame.column("net_change").to_pylist() == [3, 1]
    assert frame.column("new_referral").to_pylist() == [1, 1]
    assert frame.column("repeat_orders_minor").to_pylist() == [6000, 500]
    assert result.campaigns_frame("pyarrow").column("lift").to_pylist() == [0.0]


def test_bad_arguments():
    with pytest.raises(WrongTypeError):
        growth_breakdown("table", ENDS)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as info:
        growth_breakdown(TABLE, [at(0)])
    assert info.value.field == "periods"
    with pytest.raises(ValidationError) as info:
        growth_breakdown(TABLE, [at(0), at(10), at(5)])
    assert info.value.field == "periods[2]"
    with pytest.raises(WrongTypeError) as info:
        growth_breakdown(TABLE, ENDS, activities=["campaign"])  # type: ignore[list-item]
    assert info.value.field == "activities[0]"
    with pytest.raises(ValidationError):
        growth_breakdown(TABLE, ENDS).periods[0].new_from("tv")


# -- properties -----------------------------------------------------------------------------

DAY = 86_400_000_000
T = int(np.datetime64("2026-03-01T00:00", "us").astype(np.int64))


@st.composite
def tables(draw: st.DrawFn) -> EventTable:
    """Connects, churns and purchases of a few customers on a grid of days (many ties)."""
    n = draw(st.integers(1, 30))
    kinds = draw(st.lists(st.sampled_from([0, 0, 1, 8]), min_size=n, max_size=n))
    customers = draw(st.lists(st.integers(0, 5), min_size=n, max_size=n))
    days = draw(st.lists(st.integers(0, 12), min_size=n, max_size=n))
    sources = draw(st.lists(st.integers(0, 9), min_size=n, max_size=n))
    amounts = draw(st.lists(st.integers(0, 10_000), min_size=n, max_size=n))
    return EventTable.from_arrays(
        customer=customers,
        time=[T + d * DAY for d in days],
        kind=kinds,
        direction=[0] * n,
        source=[s if k == 0 else -1 for k, s in zip(kinds, sources, strict=True)],
        amount=[a if k == 8 else 0 for k, a in zip(kinds, amounts, strict=True)],
        item=[i if k == 8 else -1 for i, k in enumerate(kinds)],
        item_ids=[f"o-{i}" for i in range(n)],
        customer_ids=[f"c-{c}" for c in range(6)],
        currency="CNY",
    )


ENDS_US = st.lists(st.integers(-1, 13), min_size=2, max_size=5, unique=True).map(sorted)


def _ends(days: list[int]) -> list:
    return [from_micros(T + d * DAY) for d in days]


@settings(max_examples=150, deadline=None)
@given(tables(), ENDS_US)
def test_parts_sum_to_the_user_scale_change_and_the_revenue(table, days):
    ends = _ends(days)
    result = growth_breakdown(table, ends)
    growth = pool_growth(table, ends) if len(ends) > 2 else None
    for k, period in enumerate(result.periods):
        scale = user_scale(table, period.window)
        assert period.net_change == scale.net_change
        assert period.new + period.returned - period.churned == scale.net_change
        assert period.new == scale.new_customers
        if growth is not None:
            assert period.connected == growth.periods[k].user_scale
        parts = (period.first_orders_new, period.first_orders_other, period.repeat_orders)
        assert sum(p.minor_units for p in parts) == period.revenue.minor_units
        window = period.window
        in_window = (
            (table.kind == 8) & (table.time > window.start_us) & (table.time <= window.end_us)
        )
        assert period.revenue.minor_units == int(table.amount[in_window].sum())
        assert sum(period.order_counts) == int(np.count_nonzero(in_window))


@settings(max_examples=60, deadline=None)
@given(tables(), st.integers(0, 11), st.integers(1, 4))
def test_lift_counts_match_a_direct_count(table, start, length):
    hit = PoolActivity(
        id="h",
        at=from_micros(T + start * DAY),
        kind="campaign",
        channel="store",
        ends_at=from_micros(T + (start + length) * DAY),
    )
    (lift,) = growth_breakdown(table, [at(-100), at(100)], activities=[hit]).campaigns
    purchase = table.kind == 8
    during = purchase & (table.time > T + start * DAY) & (table.time <= T + (start + length) * DAY)
    before = purchase & (table.time > T + (start - length) * DAY) & (table.time <= T + start * DAY)
    assert (lift.purchases, lift.baseline_purchases) == (
        int(np.count_nonzero(during)),
        int(np.count_nonzero(before)),
    )
    if lift.baseline_purchases:
        assert lift.lift == pytest.approx(lift.purchases / lift.baseline_purchases - 1)
    else:
        assert lift.lift is None


def test_windows_are_accepted_too():
    windows = [
        Window(at(0), at(10)),
        Window(at(0) - timedelta(days=365), at(10) - timedelta(days=365)),
    ]
    first, _ = growth_breakdown(TABLE, windows).periods
    assert first.net_change == 3
