"""The engine's shared table primitives, each checked against a plain-Python reading."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from conftest import at
from custpool import EventTable, InteractionKind, Policy, State, classify
from custpool._engine.primitives import (
    NO_TIME,
    KindRows,
    connected,
    count_runs,
    first_connect,
    in_window,
    latest_per_customer,
    rate,
    run_ends,
    run_starts,
)
from custpool._time import to_micros
from engine_helpers import END, pool_histories, table_of
from tiers_helpers import ev

SORTED = st.lists(st.integers(0, 5), max_size=30).map(sorted)


@given(SORTED)
def test_runs_match_a_python_scan(values: list[int]):
    array = np.array(values, dtype=np.int32)
    starts = [k == 0 or values[k] != values[k - 1] for k in range(len(values))]
    ends = [k == len(values) - 1 or values[k] != values[k + 1] for k in range(len(values))]
    assert run_starts(array).tolist() == starts
    assert run_ends(array).tolist() == ends
    assert count_runs(array) == len(set(values))


def test_runs_of_nothing():
    empty = np.zeros(0, dtype=np.int32)
    assert run_starts(empty).tolist() == []
    assert run_ends(empty).tolist() == []
    assert count_runs(empty) == 0


def test_in_window_is_half_open():
    # (10, 20]: 10 is out (the start is exclusive), 20 is in (the end is inclusive).
    time = np.array([9, 10, 11, 20, 21], dtype=np.int64)
    assert in_window(time, 10, 20).tolist() == [False, False, True, True, False]


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(-50, 50)), max_size=30))
def test_latest_per_customer_is_the_maximum_time(rows: list[tuple[int, int]]):
    rows.sort()
    customer = np.array([c for c, _ in rows], dtype=np.int32)
    time = np.array([t for _, t in rows], dtype=np.int64)
    want = [max((t for c, t in rows if c == k), default=NO_TIME) for k in range(6)]
    assert latest_per_customer(customer, time, 6).tolist() == want


def test_no_time_sorts_before_every_real_time():
    assert np.iinfo(np.int64).min == NO_TIME
    assert to_micros(at(-365_000)) > NO_TIME


def test_rate_of_nothing_is_not_measured():
    assert rate(3, 4) == 0.75
    assert rate(0, 4) == 0.0
    assert rate(0, 0) is None


def test_connected_at_matches_the_timeline_rule():
    table = EventTable.from_interactions(
        [
            ev(0, "connect", "x"),
            ev(1, "churn", "x"),
            ev(1, "connect", "y"),
            ev(1, "churn", "y"),
            ev(2, "connect", "z"),
        ]
    )
    rows = KindRows(table)
    # x churned after connecting; y churned at the same instant (the churn wins); z is later.
    assert rows.connected_at(to_micros(at(1))).tolist() == [False, False, False]
    assert rows.connected_at(to_micros(at(0.5))).tolist() == [True, False, False]
    assert rows.connected_at(to_micros(at(2))).tolist() == [False, False, True]


def test_connected_from_latest_times():
    # connect 5, churn 3 → connected; churn 5 at the connect → not; no connect → never.
    last_connect = np.array([5, 5, NO_TIME, 5], dtype=np.int64)
    last_churn = np.array([3, 5, NO_TIME, NO_TIME], dtype=np.int64)
    assert connected(last_connect, last_churn).tolist() == [True, False, False, True]


@given(pool_histories(), st.integers(0, 400))
def test_connected_at_agrees_with_classify(pool, day):
    table = table_of(pool)
    as_of = min(at(day), END)
    mask = KindRows(table).connected_at(to_micros(as_of))
    for k, cid in enumerate(table.customer_ids):
        state = classify(pool[cid], Policy(), as_of).state
        assert bool(mask[k]) == (state not in {State.PROSPECT, State.CHURNED}), cid


@given(pool_histories())
def test_first_connect_is_the_earliest_connect(pool):
    table = table_of(pool)
    time, source = first_connect(table)
    for k, cid in enumerate(table.customer_ids):
        connects = [i for i in pool[cid] if i.kind is InteractionKind.CONNECT]
        if not connects:
            assert time[k] == NO_TIME
            assert source[k] == -1
        else:
            assert time[k] == min(to_micros(i.at) for i in connects)
    # KindRows keeps the same times, for the connected-ever customers only, in customer order.
    assert KindRows(table).first_connects.tolist() == [t for t in time.tolist() if t != NO_TIME]
