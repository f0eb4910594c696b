"""Period-over-period growth (seed 002): hand-checked steps, bad periods, and properties."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_kpis import ev, grid_histories

from conftest import T0, at
from custpool import (
    EventTable,
    GrowthPeriod,
    Interaction,
    KpiChange,
    Money,
    ValidationError,
    Window,
    WrongTypeError,
    average_order_value,
    pool_growth,
    repurchase_rate,
    user_scale,
)


def cny(amount: str) -> Money:
    return Money(amount=amount, currency="CNY")


# Month 1 = days (0, 10], month 2 = (10, 20], month 3 = (20, 30].
HISTORY = [
    ev(1, "connect", "c-1"),
    ev(2, "purchase", "c-1", amount="100.00"),
    ev(3, "purchase", "c-1", amount="60.00"),
    ev(4, "connect", "c-2"),
    ev(5, "purchase", "c-2", amount="20.00"),
    ev(12, "connect", "c-3"),
    ev(13, "purchase", "c-3", amount="90.00"),
    ev(14, "purchase", "c-3", amount="90.00"),
    ev(15, "purchase", "c-1", amount="90.00"),
    ev(16, "churn", "c-2"),
    ev(25, "churn", "c-3"),
]
TABLE = EventTable.from_interactions(HISTORY)
ENDS = [at(0), at(10), at(20), at(30)]


def test_periods_by_hand():
    growth = pool_growth(TABLE, ENDS)
    first, second, third = growth.periods
    # Month 1: c-1 and c-2 connected; c-1 bought twice, c-2 once: 1 of 2 buyers repeat;
    # (100.00 + 60.00 + 20.00) / 3 = 60.00.
    assert (first.user_scale, first.repurchase_rate, first.average_order_value) == (
        2,
        1 / 2,
        cny("60.00"),
    )
    # Month 2: c-3 joins, c-2 churns: c-1, c-3; c-3 bought twice, c-1 once: 1 of 2;
    # (90.00 * 3) / 3 = 90.00.
    assert (second.user_scale, second.repurchase_rate, second.average_order_value) == (
        2,
        1 / 2,
        cny("90.00"),
    )
    # Month 3: c-3 churns: c-1 alone; nobody bought.
    assert (third.user_scale, third.repurchase_rate, third.average_order_value) == (1, None, None)
    assert first.window == Window(at(0), at(10))
    assert first.scale == user_scale(TABLE, at(0), at(10))


def test_steps_by_hand():
    up, down = pool_growth(TABLE, ENDS).steps
    assert (up.previous, up.window) == (Window(at(0), at(10)), Window(at(10), at(20)))
    # Scale 2 → 2: level, so not improving; repurchase 0.5 → 0.5: level; AOV 60 → 90: up 30.
    assert up.user_scale == KpiChange(2, 2, 0, improving=False)
    assert up.repurchase_rate == KpiChange(0.5, 0.5, 0.0, improving=False)
    assert up.average_order_value == KpiChange(
        cny("60.00"), cny("90.00"), cny("30.00"), improving=True
    )
    assert up.improving == (False, False, True)
    # Scale 2 → 1: down; the rates of month 3 are None, so are their changes.
    assert down.user_scale == KpiChange(2, 1, -1, improving=False)
    assert down.repurchase_rate == KpiChange(0.5, None, None, None)
    assert down.average_order_value == KpiChange(cny("90.00"), None, None, None)
    assert down.improving == (False, None, None)
    assert str(up).endswith(
        "user scale 2 (+0 =); repurchase rate 50.0% (+0.0 pp =); "
        "average order value 90.00 CNY (+30.00 CNY ↑)"
    )
    assert str(down).endswith(
        "user scale 1 (-1 ↓); repurchase rate n/a (change n/a); "
        "average order value n/a (change n/a)"
    )


def test_falling_order_value_and_rising_repurchase():
    growth = pool_growth(TABLE, [at(10), at(20), at(30)]).steps[0]
    assert growth.user_scale.delta == -1
    down = pool_growth(TABLE, [Window(at(10), at(20)), Window(at(0), at(10))]).steps[0]
    # Windows are compared in the order given: month 2, then month 1.
    assert down.average_order_value == KpiChange(
        cny("90.00"), cny("60.00"), cny("-30.00"), improving=False
    )
    assert str(down.average_order_value) == "60.00 CNY (-30.00 CNY ↓)"


def test_report_text():
    text = str(pool_growth(TABLE, ENDS))
    lines = text.splitlines()
    assert lines[0] == "pool growth over 3 periods"
    assert lines[1] == (
        f"  {Window(at(0), at(10))}: user scale 2; repurchase rate 50.0%; "
        "average order value 60.00 CNY"
    )
    assert len(lines) == 4


def test_first_period_without_purchases_prints_na():
    table = EventTable.from_interactions([ev(1, "connect", "c-1")])
    growth = pool_growth(table, [at(0), at(2), at(4)])
    assert "average order value n/a" in str(growth).splitlines()[1]
    assert growth.steps[0].average_order_value == KpiChange(None, None, None, None)


def test_bad_periods():
    with pytest.raises(ValidationError, match="at least two periods") as info:
        pool_growth(TABLE, ENDS[:2])
    assert info.value.field == "periods"
    with pytest.raises(ValidationError, match="at least two periods"):
        pool_growth(TABLE, [Window(at(0), at(10))])
    with pytest.raises(ValidationError, match="at least two periods"):
        pool_growth(TABLE, [])
    with pytest.raises(ValidationError, match="must be after start") as info:
        pool_growth(TABLE, [at(0), at(20), at(10)])
    assert info.value.field == "periods[2]"
    with pytest.raises(ValidationError, match="timezone-aware") as info:
        pool_growth(TABLE, [at(0), datetime(2026, 4, 1), at(40)])  # noqa: DTZ001 - on purpose
    assert info.value.field == "periods[1]"
    with pytest.raises(ValidationError, match="all Windows") as info:
        pool_growth(TABLE, [Window(at(0), at(10)), at(20)])  # type: ignore[arg-type]
    assert info.value.field == "periods[1]"
    with pytest.raises(WrongTypeError, match="sequence"):
        pool_growth(TABLE, at(0))  # type: ignore[arg-type]
    with pytest.raises(WrongTypeError, match="EventTable"):
        pool_growth(HISTORY, ENDS)  # type: ignore[arg-type]


def test_periods_accept_any_iterable():
    assert pool_growth(TABLE, iter(ENDS)) == pool_growth(TABLE, tuple(ENDS))


# -- property: each period is the KPI functions' answer, each flag the plain comparison ------


@st.composite
def period_ends(draw: st.DrawFn) -> list[datetime]:
    hours = draw(st.lists(st.integers(-1, 14), min_size=3, max_size=5, unique=True))
    return [T0 + timedelta(hours=h) for h in sorted(hours)]


def _expected_change(before: object, after: object) -> tuple[bool | None, object]:
    if before is None or after is None:
        return None, None
    if isinstance(before, Money) and isinstance(after, Money):
        return after.amount > before.amount, Money(
            amount=after.amount - before.amount, currency=after.currency
        )
    assert isinstance(before, int | float)
    assert isinstance(after, int | float)
    return after > before, after - before


@settings(max_examples=80, deadline=None)
@given(grid_histories(), period_ends())
def test_growth_matches_the_kpis_period_by_period(
    drawn: tuple[list[Interaction], list[str]], ends: list[datetime]
) -> None:
    interactions, customers = drawn
    table = EventTable.from_interactions(interactions, customers=customers)
    growth = pool_growth(table, ends)
    windows = [Window(a, b) for a, b in pairwise(ends)]
    expected = [
        GrowthPeriod(
            w, user_scale(table, w), repurchase_rate(table, w), average_order_value(table, w)
        )
        for w in windows
    ]
    assert list(growth.periods) == expected
    assert len(growth.steps) == len(windows) - 1
    for step, a, b in zip(growth.steps, expected[:-1], expected[1:], strict=True):
        assert (step.previous, step.window) == (a.window, b.window)
        for name, change in (
            ("user_scale", step.user_scale),
            ("repurchase_rate", step.repurchase_rate),
            ("average_order_value", step.average_order_value),
        ):
            before, after = getattr(a, name), getattr(b, name)
            improving, delta = _expected_change(before, after)
            assert (change.before, change.after) == (before, after)
            assert (change.improving, change.delta) == (improving, delta)
    # Consecutive windows: the scale at one period's end is the next one's start.
    for a, b in pairwise(growth.periods):
        assert a.scale.connected == b.scale.connected_at_start


def test_same_month_of_two_years():
    rows = [
        ev(0, "connect", "c-1"),
        ev(1, "purchase", "c-1", amount="10.00"),
        ev(366, "purchase", "c-1", amount="12.00"),
        ev(367, "purchase", "c-1", amount="12.00"),
    ]
    table = EventTable.from_interactions(rows)
    year = timedelta(days=365)
    first = Window(T0, T0 + timedelta(days=30))
    second = Window(first.start + year, first.end + year)
    step = pool_growth(table, [first, second]).steps[0]
    assert step.improving == (False, True, True)  # 1 → 1; 0/1 → 1/1; 10.00 → 12.00
    assert step.repurchase_rate.delta == 1.0
