"""Seed 002's firm value: the sum of each customer's state LTV, hand-checked, and properties."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custpool import (
    EventTable,
    Policy,
    TierSnapshots,
    ValidationError,
    WrongTypeError,
    classify_table,
    pool_value,
    tier_ltv,
)

ENDS = [datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)]
# "a" connects on 1 Dec and buys 50.00 on 15 Jan; "b" connects on 1 Dec and never buys.
TABLE = EventTable.from_arrays(
    customer=[0, 0, 1],
    time=[np.datetime64("2025-12-01"), np.datetime64("2026-01-15"), np.datetime64("2025-12-01")],
    kind=[0, 8, 0],
    direction=[0, 0, 0],
    source=[0, -1, 0],
    amount=[0, 5000, 0],
    item=[-1, 0, -1],
    item_ids=["o-1"],
    customer_ids=["a", "b"],
    currency="CNY",
)
# Both stay where they are: a converted (3), b connected (1); δ = 1 / 1.25 = 0.8.
LTV = tier_ltv(TABLE, TierSnapshots(ENDS, [[3, 1], [3, 1]]), discount_rate=0.25)


def test_value_by_hand():
    # converted: 5000 / (1 - 0.8) = 25000 minor units; connected: 0 / (1 - 0.8) = 0.
    at = datetime(2026, 2, 1, tzinfo=UTC)
    states = classify_table(TABLE, Policy(), at).state.tolist()
    (point,) = pool_value(TABLE, at, ltv=LTV).points
    assert point.customers.sum() == 2
    assert point.value_of("converted") == 25000 * states.count(3)
    assert point.total_minor == sum(point.value_minor.tolist())
    assert point.total is not None
    assert point.total.minor_units == point.total_minor


def test_unknown_states_are_counted_not_valued():
    # No one was engaged (2) at a period start: its LTV is NaN; a customer in it adds nothing.
    assert np.isnan(LTV.value[2])
    value = pool_value(TABLE, ENDS, ltv=LTV)
    assert not value.known[2]
    for point in value.points:
        unknown_customers = sum(int(point.customers[s]) for s in np.flatnonzero(~value.known))
        assert point.unknown == unknown_customers
        assert all(point.value_minor[s] == 0 for s in np.flatnonzero(~value.known))


def test_trend_is_sorted_and_deduplicated():
    value = pool_value(TABLE, [ENDS[1], ENDS[0], ENDS[1]], ltv=LTV)
    assert [p.as_of for p in value.points] == ENDS
    assert value.deltas == (value.points[1].total_minor - value.points[0].total_minor,)
    assert value.growing == (value.deltas[0] > 0)
    assert "pool value" in str(value)
    assert repr(value).startswith("PoolValue(2 instants")
    frame = value.to_frame("pyarrow")
    assert frame.num_rows == 14  # 2 instants × 7 states
    assert sum(frame.column("customers").to_pylist()) == 4


def test_bad_arguments():
    with pytest.raises(WrongTypeError):
        pool_value(TABLE, ENDS, ltv="ltv")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        pool_value(TABLE, [], ltv=LTV)
    with pytest.raises(ValidationError) as info:
        pool_value(TABLE, [ENDS[0], datetime(2026, 1, 1)], ltv=LTV)  # noqa: DTZ001 - naive on purpose
    assert info.value.field == "as_of[1]"
    with pytest.raises(WrongTypeError):
        pool_value(TABLE, ENDS, ltv=LTV, policy="strict")  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 60), min_size=1, max_size=4))
def test_total_is_the_sum_of_customer_values(days):
    instants = [datetime(2025, 12, 1, tzinfo=UTC) + np.timedelta64(d, "D").item() for d in days]
    value = pool_value(TABLE, instants, ltv=LTV)
    for point in value.points:
        states = classify_table(TABLE, Policy(), point.as_of).state
        per_customer = [LTV.value[s] for s in states.tolist()]
        expected = sum(round(v) for v in per_customer if not np.isnan(v))
        # one customer per state here, so rounding per state equals rounding per customer
        assert point.total_minor == expected
        assert point.customers.sum() == TABLE.n_customers
