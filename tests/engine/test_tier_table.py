"""classify_table: the whole table at once, equal to classify customer by customer."""

from datetime import datetime, timedelta

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import at
from custpool import (
    CONVERT_FIRST,
    EventTable,
    Policy,
    Stage,
    State,
    TierTable,
    UnknownIdError,
    ValidationError,
    WrongTypeError,
    classify,
    classify_table,
)
from custpool._engine.tier_table import STAGES
from custpool.strategies import policies
from engine_helpers import AS_OF_TIMES, SAMPLE_POLICIES, START, pool_histories, table_of
from tiers_helpers import ev

POLICIES = st.one_of(
    st.sampled_from(
        [
            *SAMPLE_POLICIES,
            Policy(
                paradigm=CONVERT_FIRST,
                engage_window=timedelta(days=10),
                dormant_after=timedelta(days=30),
                engage_weights={"reaction": "0.5", "group_post": "2", "message": "0"},
            ),
        ]
    ),
    policies(min_window=timedelta(days=1), max_window=timedelta(days=120)),
)
AS_OF = AS_OF_TIMES


def assert_same_as_classify(pool, policy, as_of):
    table = table_of(pool)
    tiers = classify_table(table, policy, as_of)
    for cid, history in pool.items():
        expected = classify(history, policy, as_of)
        row = table.customer_index(cid)
        assert tiers.state_of(cid) is expected.state, cid
        assert tiers.tier_of(cid) is expected.tier, cid
        for k, stage in enumerate(STAGES):
            criterion = expected.criterion(stage)
            assert bool(tiers.met[row, k]) is criterion.met, (cid, stage)
        assert tiers.engage_score[row] == expected.criterion(Stage.ENGAGED).value * 100
        assert tiers.purchases[row] == expected.criterion(Stage.CONVERTED).value
        assert tiers.referrals[row] == expected.criterion(Stage.ADVOCATE).value
        nps = tiers.latest_nps[row]
        assert (None if nps < 0 else int(nps)) == expected.latest_nps


@settings(max_examples=150, deadline=None)
@given(pool=pool_histories(), policy=POLICIES, as_of=AS_OF)
def test_classify_table_equals_classify(pool, policy, as_of):
    assert_same_as_classify(pool, policy, as_of)


@settings(max_examples=60, deadline=None)
@given(pool=pool_histories(max_customers=3, max_size=30), policy=POLICIES, data=st.data())
def test_equal_at_event_times_and_window_edges(pool, policy, data):
    # The edges are where an off-by-one would show: each event's instant, one microsecond
    # either side, and the instant it leaves a window.
    times = sorted({i.at for history in pool.values() for i in history})
    assume(times)  # was `return`: about one pool in nine has no event, and asserted nothing
    base = data.draw(st.sampled_from(times))
    shift = data.draw(
        st.sampled_from(
            [
                timedelta(0),
                timedelta(microseconds=-1),
                timedelta(microseconds=1),
                policy.engage_window,
                policy.dormant_after,
                policy.convert_window,
                policy.advocate_window,
                policy.dormant_after - timedelta(microseconds=1),
            ]
        )
    )
    assert_same_as_classify(pool, policy, base + shift)


def test_hand_checked_pool():
    # c-a: connected day 0, 3 messages days 1-3 → engaged at day 10 (3 ≥ 3 in the 30-day window).
    # c-b: connected day 0, bought day 2, silent since → at day 100 dormant (90 days, no inbound
    #      since day 2); just before day 92 (day 2 + 90) it was connected (nurture-first:
    #      the purchase does not count without engagement), so its tier is CONNECTED.
    # c-c: connected day 0, churned day 5 → churned.  c-d: no events → prospect.
    events = [
        ev(0, "connect", customer="c-a"),
        *[ev(d, "message", customer="c-a") for d in (1, 2, 3)],
        ev(0, "connect", customer="c-b"),
        ev(2, "purchase", customer="c-b"),
        ev(0, "connect", customer="c-c"),
        ev(5, "churn", customer="c-c"),
    ]
    table = EventTable.from_interactions(events, customers=["c-d"])
    policy = Policy()
    at10 = classify_table(table, policy, events[0].at + timedelta(days=10))
    assert [at10.state_of(c) for c in ("c-a", "c-b", "c-c", "c-d")] == [
        State.ENGAGED,
        State.CONNECTED,
        State.CHURNED,
        State.PROSPECT,
    ]
    at100 = classify_table(table, policy, events[0].at + timedelta(days=100))
    assert at100.state_of("c-b") is State.DORMANT
    assert at100.tier_of("c-b") is Stage.CONNECTED
    # c-a fell silent after day 3: dormant from day 93, engaged until day 31 (3 + 30 - 2 = ...
    # the window drops the day-1 message at day 31), so just before day 93 it was CONNECTED.
    assert at100.state_of("c-a") is State.DORMANT
    assert at100.tier_of("c-a") is Stage.CONNECTED
    assert at100.counts()[State.DORMANT] == 2  # c-a and c-b
    assert at100.customers_in("dormant") == ("c-a", "c-b")
    assert at100.tier.tolist() == [1, 1, -1, -1]  # State.CONNECTED.code for both dormant


def test_results_are_read_only_and_sized_like_the_table():
    table = EventTable.from_interactions([ev(0, "connect")])
    tiers = classify_table(table, Policy(), at(1))
    assert isinstance(tiers, TierTable)
    assert len(tiers) == table.n_customers == 1
    for array in (tiers.state, tiers.tier, tiers.met, tiers.engage_score, tiers.latest_nps):
        assert not array.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        tiers.state[0] = 0
    assert tiers.met.shape == (1, 4)
    assert "connected=1" in repr(tiers)


def test_bad_arguments_are_named():
    table = EventTable.from_interactions([ev(0, "connect")])
    with pytest.raises(WrongTypeError, match="table"):
        classify_table([ev(0, "connect")], Policy(), START)  # type: ignore[arg-type]
    with pytest.raises(WrongTypeError, match="policy"):
        classify_table(table, "nurture_first", START)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="as_of"):
        classify_table(table, Policy(), datetime(2026, 1, 1))  # noqa: DTZ001 - naive on purpose
    tiers = classify_table(table, Policy(), START)
    with pytest.raises(UnknownIdError):
        tiers.state_of("c-404")


def test_customers_without_events_are_prospects():
    table = EventTable.from_arrays(
        np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64), [], customer_ids=["a", "b"]
    )
    tiers = classify_table(table, Policy(), START)
    assert tiers.counts()[State.PROSPECT] == 2
    assert tiers.tier.tolist() == [-1, -1]
