"""Seed 003's store-visitor capture: hand-checked cases, ties, and properties."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custpool import EventTable, ValidationError, Window, WrongTypeError, visitor_capture

DAY = 86_400_000_000
T = int(np.datetime64("2026-03-01T00:00", "us").astype(np.int64))
START, END = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 11, tzinfo=UTC)
CONNECT, CHURN, VISIT = 0, 1, 7


def table(rows: list[tuple[int, float, int]], n: int = 6) -> EventTable:
    customers, days, kinds = zip(*rows, strict=True)
    return EventTable.from_arrays(
        customer=list(customers),
        time=[T + round(d * DAY) for d in days],
        kind=list(kinds),
        direction=[0] * len(rows),
        source=[0 if k == CONNECT else -1 for k in kinds],
        customer_ids=[f"c-{c}" for c in range(n)],
    )


CASES = table(
    [
        (0, -5, CONNECT),
        (0, 2, VISIT),  # in the pool
        (1, 3, VISIT),
        (1, 3, CONNECT),  # added at the counter, same instant: captured
        (2, 4, VISIT),
        (2, 6, CONNECT),  # added two days later: captured
        (3, -9, CONNECT),
        (3, -2, CHURN),
        (3, 5, VISIT),  # had left, not re-added: lapsed
        (4, 5, VISIT),
        (4, 8, VISIT),  # never connected: missed
        (5, 9, VISIT),
        (5, 12, CONNECT),  # added after the window: missed
    ]
)


def test_cases_by_hand():
    capture = visitor_capture(CASES, START, END)
    assert (capture.visitors, capture.visits) == (6, 7)
    assert (capture.in_pool, capture.captured, capture.lapsed, capture.never_connected) == (
        1,
        2,
        1,
        2,
    )
    # captured 2 of the 5 outside the pool (c-1 … c-5): 2 / 5
    assert capture.capture_rate == 2 / 5
    assert capture.missed_ids() == ("c-3", "c-4", "c-5")
    assert capture.to_frame("pyarrow").column("status").to_pylist() == [
        "in_pool",
        "captured",
        "captured",
        "lapsed",
        "never_connected",
        "never_connected",
    ]
    assert repr(capture) == "VisitorCapture(6 visitors, 2 captured, 3 missed)"
    assert "capture rate: 40.0%" in str(capture)


def test_a_churn_at_the_connect_instant_wins():
    capture = visitor_capture(table([(0, -1, CONNECT), (0, -1, CHURN), (0, 1, VISIT)]), START, END)
    assert (capture.in_pool, capture.lapsed) == (0, 1)


def test_no_visitor_outside_the_pool_has_no_rate():
    capture = visitor_capture(table([(0, -1, CONNECT), (0, 1, VISIT)]), Window(START, END))
    assert capture.capture_rate is None
    empty = visitor_capture(table([(0, -1, CONNECT)]), START, END)
    assert (empty.visitors, empty.capture_rate) == (0, None)


def test_bad_arguments():
    with pytest.raises(WrongTypeError):
        visitor_capture("t", START, END)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        visitor_capture(CASES, END, START)


@st.composite
def histories(draw: st.DrawFn) -> EventTable:
    n = draw(st.integers(1, 25))
    rows = [
        (draw(st.integers(0, 4)), draw(st.integers(-3, 12)), draw(st.sampled_from([0, 1, 7, 7])))
        for _ in range(n)
    ]
    return table(rows, 5)


@settings(max_examples=150, deadline=None)
@given(histories())
def test_cases_partition_the_visitors_and_match_a_direct_reading(events):
    capture = visitor_capture(events, START, END)
    assert capture.in_pool + capture.captured + capture.missed == capture.visitors
    start, end = T, T + 10 * DAY
    kind, time, customer = events.kind, events.time, events.customer
    for c, status, first in zip(
        capture.customer.tolist(),
        capture.status.tolist(),
        capture.first_visit.tolist(),
        strict=True,
    ):
        mine = customer == c
        visits = time[mine & (kind == VISIT) & (time > start) & (time <= end)]
        assert first == visits.min()
        connects = time[mine & (kind == CONNECT) & (time < first)]
        churns = time[mine & (kind == CHURN) & (time < first)]
        in_pool = connects.size > 0 and (churns.size == 0 or churns.max() < connects.max())
        later = time[mine & (kind == CONNECT) & (time >= first) & (time <= end)]
        expected = 0 if in_pool else 1 if later.size else 2 if connects.size else 3
        assert status == expected
