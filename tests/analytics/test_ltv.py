"""LTV by tier: revenue per customer-period by state, and discounted lifetime value."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from custpool import (
    CONVERT_FIRST,
    EXAMPLE_START,
    EventTable,
    InteractionKind,
    Money,
    Policy,
    State,
    TierSnapshots,
    ValidationError,
    WrongTypeError,
    example_pool,
    lifetime_value,
    revenue_by_state,
    tier_ltv,
    tier_snapshots,
)
from custpool._analytics.flows import N_STATES
from custpool._engine.codes import KIND_CODE
from engine_helpers import START, pool_histories, table_of

# PROSPECT, CONNECTED, ENGAGED, CONVERTED, ADVOCATE, DORMANT, CHURNED
P, C, E, V, A, D, X = range(7)
BUY = KIND_CODE[InteractionKind.PURCHASE]
REFUND = KIND_CODE[InteractionKind.REFUND]
ENDS = [datetime(2026, m, 1, tzinfo=UTC) for m in (1, 2, 3)]


def day(text: str) -> np.datetime64:
    return np.datetime64(text, "us")


def hand_table() -> EventTable:
    """Three customers a, b, c; amounts in fen (CNY)."""
    rows = [
        # customer, time, kind, amount
        (0, day("2026-01-10"), BUY, 1000),  # a: period 0 (Jan 1, Feb 1]
        (0, day("2026-02-01"), BUY, 2000),  # a: exactly Feb 1 → still period 0
        (0, day("2026-02-20"), BUY, 500),  # a: period 1
        (1, day("2026-01-01"), BUY, 3000),  # b: exactly Jan 1 = t0 → before the first period
        (1, day("2026-01-15"), BUY, 4000),  # b: period 0
        (1, day("2026-02-10"), REFUND, 1000),  # b: period 1, a refund: −1000
        (1, day("2026-03-02"), BUY, 9999),  # b: after the last end → not counted
        (2, day("2026-01-20"), BUY, 600),  # c: period 0
        (2, day("2026-02-15"), BUY, 100),  # c: period 1 (after churning)
    ]
    customer, time, kind, amount = zip(*rows, strict=True)
    return EventTable.from_arrays(
        customer,
        np.array(time),
        kind,
        amount=amount,
        item=list(range(len(rows))),
        direction=[0] * len(rows),  # inbound: refunds allow two directions
        customer_ids=["a", "b", "c"],
        currency="CNY",
    )


# States of a, b, c: Jan 1 (C, V, V); Feb 1 (V, V, X); Mar 1 (V, V, X).
STAYING = [[C, V, V], [V, V, X], [V, V, X]]
# The same but b becomes an advocate on Mar 1; no one is an advocate at a period start.
TO_ADVOCATE = [[C, V, V], [V, V, X], [V, A, X]]


def test_revenue_by_hand():
    revenue = revenue_by_state(hand_table(), TierSnapshots(ENDS, STAYING))
    # Period 0: a (C) 1000 + 2000 = 3000; b (V) 4000, c (V) 600 → V 4600.
    # Period 1: a (V) 500, b (V) −1000 → V −500; c (X) 100.
    assert revenue.totals[0].tolist() == [0, 3000, 0, 4600, 0, 0, 0]
    assert revenue.totals[1].tolist() == [0, 0, 0, -500, 0, 0, 100]
    assert revenue.customer_periods.tolist() == [[0, 1, 0, 2, 0, 0, 0], [0, 0, 0, 2, 0, 0, 1]]
    # Means: C 3000 / 1; V (4600 − 500) / (2 + 2) = 1025; X 100 / 1; the rest unknown.
    assert revenue.mean_of(State.CONNECTED) == 3000
    assert revenue.mean_of("converted") == 1025
    assert revenue.mean_of(State.CHURNED) == 100
    assert revenue.mean_of(State.PROSPECT) is None
    assert np.isnan(revenue.mean[[P, E, A, D]]).all()
    assert revenue.period_mean[0, V] == 2300  # 4600 / 2
    assert revenue.period_mean[1, V] == -250  # −500 / 2
    assert revenue.total(State.CONVERTED) == 4100
    assert revenue.mean_money("converted") == Money(amount="10.25", currency="CNY")
    assert revenue.mean_money("advocate") is None
    assert revenue.currency == "CNY"
    assert revenue.period_ends == tuple(ENDS)
    for array in (revenue.totals, revenue.customer_periods, revenue.mean, revenue.period_mean):
        assert not array.flags.writeable


def test_mean_money_rounds_half_to_even():
    # Two CONNECTED customers, 1 fen between them: a mean of 0.5 fen rounds to 0.
    table = EventTable.from_arrays(
        [0],
        [day("2026-01-10")],
        [BUY],
        amount=[1],
        item=[0],
        customer_ids=["a", "b"],
        currency="CNY",
    )
    revenue = revenue_by_state(table, TierSnapshots(ENDS[:2], [[C, C], [C, C]]))
    assert revenue.mean_of("connected") == 0.5
    assert revenue.mean_money("connected") == Money(amount="0.00", currency="CNY")


def test_table_without_amounts_has_zero_revenue():
    table = EventTable.from_arrays(
        [0], [day("2026-01-10")], [KIND_CODE[InteractionKind.MESSAGE]], direction=[0]
    )
    revenue = revenue_by_state(table, TierSnapshots(ENDS[:2], [[C], [C]]))
    assert revenue.currency is None
    assert revenue.mean_of("connected") == 0
    with pytest.raises(ValidationError, match="no currency"):
        revenue.mean_money("connected")
    assert revenue.mean_money("engaged") is None  # unknown before the currency matters


def test_ltv_by_hand():
    ltv = tier_ltv(hand_table(), TierSnapshots(ENDS, STAYING), discount_rate=0.25)
    # δ = 1 / 1.25 = 0.8. Moves: C → V (1 of 1); V → V 3, V → X 1 (of 4); X → X (1 of 1).
    assert ltv.flows.transition_matrix[V].tolist() == [0, 0, 0, 0.75, 0, 0, 0.25]
    # v_X = 100 + 0.8 v_X → 100 / 0.2 = 500.
    # v_V = 1025 + 0.8 (0.75 v_V + 0.25 · 500) → 0.4 v_V = 1125 → v_V = 2812.5.
    # v_C = 3000 + 0.8 · v_V = 3000 + 2250 = 5250.
    assert ltv.value_of(State.CHURNED) == pytest.approx(500)
    assert ltv.value_of(State.CONVERTED) == pytest.approx(2812.5)
    assert ltv.value_of(State.CONNECTED) == pytest.approx(5250)
    assert ltv.money("connected") == Money(amount="52.50", currency="CNY")
    assert ltv.money("engaged") is None
    assert ltv.by_state()[State.DORMANT] is None
    assert ltv.discount_rate == 0.25
    assert ltv.horizon is None
    assert ltv.currency == "CNY"
    assert not ltv.value.flags.writeable
    # v = r + δ P v holds where v is known.
    known = ~np.isnan(ltv.value)
    r = np.nan_to_num(ltv.revenue.mean)
    rhs = r + 0.8 * ltv.flows.transition_matrix @ np.nan_to_num(ltv.value)
    assert ltv.value[known] == pytest.approx(rhs[known])


def test_ltv_with_a_horizon_by_hand():
    snaps = TierSnapshots(ENDS, STAYING)
    one = tier_ltv(hand_table(), snaps, discount_rate=0.25, horizon=1)
    assert one.value_of("connected") == 3000  # one period: v = r
    assert one.value_of("converted") == 1025
    two = tier_ltv(hand_table(), snaps, discount_rate=0, horizon=2)
    # No discount, two periods: v_C = 3000 + 1025; v_V = 1025 + 0.75 · 1025 + 0.25 · 100.
    assert two.value_of("connected") == 4025
    assert two.value_of("converted") == pytest.approx(1025 + 768.75 + 25)
    assert two.value_of("churned") == 200


def test_ltv_is_unknown_where_the_chain_reaches_an_unmeasured_state():
    snaps = TierSnapshots(ENDS, TO_ADVOCATE)
    # V → V 2, A 1, X 1 (of 4); no one was an advocate at a period start: r_A unknown.
    ltv = tier_ltv(hand_table(), snaps, discount_rate=0.25)
    assert ltv.value_of("advocate") is None
    assert ltv.value_of("converted") is None  # reaches A in one step
    assert ltv.value_of("connected") is None  # reaches A in two
    assert ltv.value_of("churned") == pytest.approx(500)  # never reaches A
    assert ltv.rises_with_tier() is None
    # A horizon of H looks H − 1 moves ahead: with H = 2, C only sees V's revenue.
    two = tier_ltv(hand_table(), snaps, discount_rate=0.25, horizon=2)
    assert two.value_of("connected") == pytest.approx(3000 + 0.8 * 1025)
    assert two.value_of("converted") is None
    one = tier_ltv(hand_table(), snaps, discount_rate=0.25, horizon=1)
    assert one.value_of("converted") == 1025


def ladder_table(revenues: list[int]) -> tuple[EventTable, TierSnapshots]:
    """Four customers at C, E, V, A who stay there; each buys ``revenues[i]`` per month."""
    customers = [i for i in range(4) for _ in range(2)]
    times = [day(t) for _ in range(4) for t in ("2026-01-15", "2026-02-15")]
    amounts = [revenues[i] for i in range(4) for _ in range(2)]
    table = EventTable.from_arrays(
        customers,
        np.array(times),
        [BUY] * 8,
        amount=amounts,
        item=list(range(8)),
        currency="CNY",
    )
    return table, TierSnapshots(ENDS, [[C, E, V, A]] * 3)


def test_rises_with_tier():
    table, snaps = ladder_table([100, 1_000, 10_000, 100_000])  # seed 004: 100 → 1,000 → …
    ltv = tier_ltv(table, snaps, discount_rate=0.01)
    # Everyone stays: v = r / (1 − δ) = r · 1.01 / 0.01 = 101 r.
    assert ltv.value_of("connected") == pytest.approx(10_100)
    assert ltv.value_of("advocate") == pytest.approx(10_100_000)
    assert ltv.rises_with_tier() is True
    # Convert-first ladder: C, V, E, A; V (10,000) > E (1,000) breaks the rise.
    assert ltv.rises_with_tier(CONVERT_FIRST) is False
    assert ltv.rises_with_tier("convert_first") is False
    with pytest.raises(ValidationError, match="built-in paradigm") as info:
        ltv.rises_with_tier("sideways")
    assert info.value.field == "paradigm"
    flat = tier_ltv(*ladder_table([100, 100, 200, 300]), discount_rate=0.01)
    assert flat.rises_with_tier() is False  # strictly: equal values do not rise


def test_example_pool_ltv_by_tier():
    # Weekly, nurture first: c-001 buys 38.00 as CONNECTED in week 1 and 128.00 as CONVERTED
    # in week 2; c-002 buys 45.00 as ENGAGED in week 3 and is refunded at the very end of it.
    table = EventTable.from_interactions(example_pool().interactions)
    ends = [EXAMPLE_START + timedelta(weeks=w) for w in range(5)]
    snaps = tier_snapshots(table, Policy(), ends)
    revenue = revenue_by_state(table, snaps)
    assert revenue.totals.tolist() == [
        [0, 3800, 0, 0, 0, 0, 0],
        [0, 0, 0, 12800, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],  # ENGAGED: 4500 − 4500
        [0, 0, 0, 0, 0, 0, 0],
    ]
    ltv = tier_ltv(table, snaps, discount_rate=0.01)
    assert ltv.value_of("dormant") is None  # no one was dormant
    assert all(ltv.value_of(s) is not None for s in State if s is not State.DORMANT)
    # CONVERTED: 12800 over 2 customer-weeks; ADVOCATE earned nothing in 2: the claim fails here.
    assert revenue.mean_of("converted") == 6400
    assert revenue.mean_of("advocate") == 0
    assert ltv.rises_with_tier() is False


# -- validation -------------------------------------------------------------------------------


def test_snapshots_must_be_of_the_table():
    table = hand_table()
    with pytest.raises(ValidationError, match="3 customers") as info:
        revenue_by_state(table, TierSnapshots(ENDS[:2], [[C, C], [C, C]]))
    assert info.value.field == "snapshots"
    other = TierSnapshots(ENDS[:2], [[C] * 3] * 2, customer_ids=["a", "b", "z"])
    with pytest.raises(ValidationError, match="another table"):
        tier_ltv(table, other, discount_rate=0.1)
    same = TierSnapshots(ENDS[:2], [[C] * 3] * 2, customer_ids=["a", "b", "c"])
    assert revenue_by_state(table, same).total("connected") == 7600  # 1000 + 2000 + 4000 + 600
    with pytest.raises(WrongTypeError) as info:
        revenue_by_state(table, STAYING)  # type: ignore[arg-type]
    assert info.value.field == "snapshots"
    with pytest.raises(WrongTypeError) as info:
        tier_ltv(example_pool(), same, discount_rate=0.1)  # type: ignore[arg-type]
    assert info.value.field == "table"


def test_amounts_too_large_to_sum_exactly_are_refused():
    # The largest amount Money holds in KWD is 10**18 - 1 fils; five of them sum to
    # 5 * 10**18 - 5 > 2**62 = 4_611_686_018_427_387_904 (and still fit in int64).
    big = 10**18 - 1
    table = EventTable.from_arrays(
        [0] * 5,
        [day(f"2026-01-{d}") for d in range(10, 15)],
        [BUY] * 5,
        amount=[big] * 5,
        item=list(range(5)),
        currency="KWD",
    )
    with pytest.raises(ValidationError, match="too large") as info:
        revenue_by_state(table, TierSnapshots(ENDS[:2], [[C], [C]]))
    assert info.value.field == "amount"


def test_state_names_are_validated():
    revenue = revenue_by_state(hand_table(), TierSnapshots(ENDS, STAYING))
    with pytest.raises(ValidationError, match="must be one of") as info:
        revenue.mean_of("vip")
    assert info.value.field == "state"


@pytest.mark.parametrize(
    ("rate", "horizon", "error", "field"),
    [
        (0, None, ValidationError, "discount_rate"),
        (-0.1, None, ValidationError, "discount_rate"),
        (-0.1, 3, ValidationError, "discount_rate"),
        (float("nan"), 3, ValidationError, "discount_rate"),
        (float("inf"), None, ValidationError, "discount_rate"),
        (True, None, WrongTypeError, "discount_rate"),
        ("0.1", None, WrongTypeError, "discount_rate"),
        (0.1, 0, ValidationError, "horizon"),
        (0.1, True, WrongTypeError, "horizon"),
        (0.1, 2.0, WrongTypeError, "horizon"),
    ],
)
def test_rate_and_horizon_are_validated(rate, horizon, error, field):
    with pytest.raises(error) as info:
        lifetime_value([[1.0]], [1.0], rate, horizon=horizon)
    assert info.value.field == field
    with pytest.raises(error):
        tier_ltv(hand_table(), TierSnapshots(ENDS, STAYING), discount_rate=rate, horizon=horizon)


def test_exact_rate_types_are_accepted():
    for rate in (Decimal("0.25"), Fraction(1, 4), np.float64(0.25)):
        assert lifetime_value([[1.0]], [100.0], rate).tolist() == pytest.approx([500])


def test_revenue_vector_is_validated():
    with pytest.raises(ValidationError, match="one entry per state") as info:
        lifetime_value([[1.0]], [1.0, 2.0], 0.1)
    assert info.value.field == "revenue"
    with pytest.raises(ValidationError, match="finite"):
        lifetime_value([[1.0]], [np.nan], 0.1)
    with pytest.raises(WrongTypeError):
        lifetime_value([[1.0]], [True], 0.1)
    with pytest.raises(ValidationError, match="sum to 1"):
        lifetime_value([[0.5]], [1.0], 0.1)


def test_lifetime_value_two_states_by_hand():
    p = [[0.8, 0.2], [0.0, 1.0]]
    # δ = 0.8: v_active = 100 / (1 − 0.64) = 277.77…; churned stays at 0.
    assert lifetime_value(p, [100, 0], 0.25).tolist() == pytest.approx([100 / 0.36, 0])
    # Three periods, no discount: 100 + 80 + 64.
    assert lifetime_value(p, [100, 0], 0, horizon=3).tolist() == pytest.approx([244, 0])
    # A very long horizon approaches the infinite sum.
    long = lifetime_value(p, [100, 0], 0.25, horizon=10_000)
    assert long.tolist() == pytest.approx([100 / 0.36, 0])


# -- properties -------------------------------------------------------------------------------


@st.composite
def chains(draw: st.DrawFn) -> np.ndarray:
    """Row-stochastic matrices of 1 to 7 states, with zeros (absorbing states happen)."""
    n = draw(st.integers(1, N_STATES))
    weights = draw(hnp.arrays(np.float64, (n, n), elements=st.sampled_from([0.0, 0.1, 0.5, 1.0])))
    weights[weights.sum(axis=1) == 0] = np.eye(n)[weights.sum(axis=1) == 0]
    return weights / weights.sum(axis=1, keepdims=True)


REVENUES = st.floats(-1e6, 1e6)
RATES = st.floats(0.001, 10.0)


@settings(max_examples=80)
@given(data=st.data(), p=chains(), rate=RATES)
def test_ltv_solves_the_bellman_equation(data, p, rate):
    n = p.shape[0]
    r = data.draw(hnp.arrays(np.float64, n, elements=REVENUES))
    v = lifetime_value(p, r, rate)
    delta = 1 / (1 + rate)
    scale = max(1.0, float(np.abs(v).max()))  # solve's error is relative to the largest value
    assert np.abs(v - (r + delta * p @ v)).max() <= 1e-9 * scale
    assert lifetime_value(p, r, rate, horizon=1).tolist() == pytest.approx(r.tolist())


@settings(max_examples=60)
@given(data=st.data(), p=chains(), rate=st.floats(0.0, 2.0), horizon=st.integers(1, 40))
def test_finite_horizon_equals_the_plain_sum(data, p, rate, horizon):
    n = p.shape[0]
    r = data.draw(hnp.arrays(np.float64, n, elements=REVENUES))
    delta = 1 / (1 + rate)
    expected = np.zeros(n)
    step = np.eye(n)
    for _ in range(horizon):  # Σ_{k<H} (δ P)^k r, one power at a time
        expected += step @ r
        step = step @ (delta * p)
    got = lifetime_value(p, r, rate, horizon=horizon)
    scale = max(1.0, float(np.abs(expected).max()))
    assert np.abs(got - expected).max() <= 1e-9 * scale


STATE_ROWS = st.integers(0, N_STATES - 1)
POOL_ENDS = st.lists(st.integers(-5, 450), min_size=2, max_size=5, unique=True).map(
    lambda days: [START + timedelta(days=d) for d in sorted(days)]
)


@settings(max_examples=30, deadline=None)
@given(data=st.data(), pool=pool_histories(max_customers=4, max_size=15), ends=POOL_ENDS)
def test_revenue_matches_a_plain_python_sum(data, pool, ends):
    table = table_of(pool)
    n = table.n_customers
    states = data.draw(hnp.arrays(np.int8, (len(ends), n), elements=STATE_ROWS))
    snaps = TierSnapshots(ends, states, customer_ids=table.customer_ids)
    revenue = revenue_by_state(table, snaps)
    expected = [[0] * N_STATES for _ in range(len(ends) - 1)]
    for cid, history in pool.items():
        c = table.customer_index(cid)
        for event in history:
            if event.kind not in (InteractionKind.PURCHASE, InteractionKind.REFUND):
                continue
            assert event.amount is not None
            sign = 1 if event.kind is InteractionKind.PURCHASE else -1
            for k in range(len(ends) - 1):
                if ends[k] < event.at <= ends[k + 1]:
                    expected[k][states[k, c]] += sign * event.amount.minor_units
    assert revenue.totals.tolist() == expected
    assert revenue.customer_periods.tolist() == snaps.counts[:-1].tolist()
    one = tier_ltv(table, snaps, discount_rate=0.05, horizon=1)  # one period: v = r
    assert np.array_equal(one.value, revenue.mean, equal_nan=True)
