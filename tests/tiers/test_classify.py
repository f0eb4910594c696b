"""Worked examples with hand-checked dates (the same as docs/tiers.md), and bad input."""

from datetime import datetime, timedelta

import pytest

from conftest import T0, at
from custpool import (
    CONVERT_FIRST,
    Policy,
    Stage,
    State,
    ValidationError,
    WrongTypeError,
    classify,
)
from tiers_helpers import ev

NURTURE = Policy()
CONVERT = Policy(paradigm=CONVERT_FIRST)


def test_same_history_two_paradigms():
    # Connected on day 0, bought on day 5, never chatted.
    history = [ev(0, "connect", direction="outbound"), ev(5, "purchase")]
    nurture = classify(history, NURTURE, at(10))
    convert = classify(history, CONVERT, at(10))
    assert nurture.state is State.CONNECTED
    assert nurture.skipped == (Stage.CONVERTED,)  # bought without engaging: transactional
    assert nurture.next_stage is Stage.ENGAGED
    assert nurture.since == at(0)
    assert convert.state is State.CONVERTED
    assert convert.skipped == ()
    assert convert.since == at(5)
    assert convert.next_stage is Stage.ENGAGED  # convert-first: engage after buying


def test_engagement_counts_customer_initiated_only_in_a_half_open_window():
    history = [
        ev(0, "connect", direction="outbound"),  # outbound: does not count
        ev(1, "message"),
        ev(2, "group_post"),  # peer counts
        ev(3, "message", direction="outbound"),  # outbound: does not count
        ev(4, "message"),
    ]
    state = classify(history, NURTURE, at(4))
    assert state.state is State.ENGAGED  # 3 customer-initiated (days 1, 2, 4) >= 3
    assert state.since == at(4)
    assert state.criterion(Stage.ENGAGED).value == 3
    # The window is (as_of - 30 days, as_of]: on day 31 the day-1 message has left it.
    assert classify(history, NURTURE, at(30.99)).state is State.ENGAGED
    lapsed = classify(history, NURTURE, at(31))
    assert lapsed.state is State.CONNECTED
    assert lapsed.since == at(31)  # day 1 + 30 days
    assert lapsed.criterion(Stage.ENGAGED).value == 2


def test_engagement_weights():
    history = [ev(0, "connect", direction="outbound"), ev(1, "group_post"), ev(2, "message")]
    weighted = Policy(engage_weights={"group_post": "2.5"})
    assert classify(history, NURTURE, at(3)).state is State.CONNECTED  # 1 + 1 < 3
    state = classify(history, weighted, at(3))
    assert state.state is State.ENGAGED  # 2.5 + 1 = 3.5 >= 3
    assert str(state.criterion(Stage.ENGAGED).value) == "3.5"


def test_full_climb_and_advocate_with_nps_condition():
    history = [
        ev(0, "connect"),
        ev(1, "message"),
        ev(2, "message"),  # engaged on day 2 (connect inbound + 2 messages)
        ev(3, "purchase"),  # converted
        ev(4, "referral"),  # advocate
        ev(4.5, "nps", score=6),
    ]
    assert classify(history, NURTURE, at(5)).state is State.ADVOCATE
    strict = Policy(advocate_min_nps=9)
    state = classify(history, strict, at(5))
    assert state.state is State.CONVERTED  # latest NPS 6 < 9
    assert state.latest_nps == 6
    assert state.next_stage is Stage.ADVOCATE
    assert classify([*history, ev(4.8, "nps", score=9)], strict, at(5)).state is State.ADVOCATE


def test_decay_to_dormant_keeps_the_last_tier():
    history = [ev(0, "connect"), ev(1, "message"), ev(2, "message"), ev(10, "purchase")]
    # Day 20: connect, messages on days 1 and 2 and the purchase are in the 30-day window.
    # Day 31: the day-1 message has left it (2 < 3); nurture-first needs engagement before
    # conversion counts, so the customer falls back to CONNECTED.
    assert classify(history, NURTURE, at(20)).state is State.CONVERTED
    assert classify(history, NURTURE, at(31)).state is State.CONNECTED  # day 1 + 30
    state = classify(history, NURTURE, at(120))
    # Last customer-initiated interaction: the day-10 purchase; dormant from day 10 + 90.
    assert state.state is State.DORMANT
    assert state.since == at(100)
    assert state.tier is Stage.CONNECTED  # the stage held just before going dormant
    assert state.time_in_state == timedelta(days=20)


def test_no_dormancy_during_the_grace_period_after_connecting():
    history = [ev(0, "connect", direction="outbound")]
    assert classify(history, NURTURE, at(89)).state is State.CONNECTED
    state = classify(history, NURTURE, at(90))
    assert state.state is State.DORMANT
    assert state.since == at(90)


def test_churn_and_win_back():
    history = [ev(0, "connect"), ev(20, "churn"), ev(40, "connect", direction="outbound")]
    churned = classify(history, NURTURE, at(30))
    assert churned.state is State.CHURNED
    assert churned.tier is None
    assert churned.since == at(20)
    assert churned.next_stage is Stage.CONNECTED
    back = classify(history, NURTURE, at(41))
    assert back.state is State.CONNECTED
    assert back.since == at(40)


def test_churn_at_the_same_instant_as_connect_wins():
    history = [ev(0, "connect"), ev(0, "churn")]
    assert classify(history, NURTURE, at(1)).state is State.CHURNED


def test_events_before_connect_count_once_connected():
    # Bought in store on day -10, added on WeCom on day 0 (convert-first business).
    history = [ev(-10, "purchase"), ev(0, "connect", direction="outbound")]
    before = classify(history, CONVERT, at(-1))
    assert before.state is State.PROSPECT
    assert before.tier is None
    assert before.skipped == (Stage.CONVERTED,)
    after = classify(history, CONVERT, at(1))
    assert after.state is State.CONVERTED
    assert after.since == at(0)


def test_only_events_at_or_before_as_of_matter():
    history = [ev(0, "connect"), ev(50, "churn")]
    assert classify(history, NURTURE, at(49)).state is State.CONNECTED
    assert classify(history, NURTURE, at(50)).state is State.CHURNED


def test_empty_history_is_a_prospect_forever():
    state = classify([], NURTURE, T0)
    assert (state.state, state.tier, state.since, state.customer_id) == (
        State.PROSPECT,
        None,
        None,
        None,
    )


def test_evidence_reports_counts_and_last_dates():
    history = [ev(0, "connect"), ev(3, "purchase"), ev(5, "purchase"), ev(6, "referral")]
    state = classify(history, CONVERT, at(7))
    converted = state.criterion(Stage.CONVERTED)
    assert (converted.met, converted.value, converted.last_at) == (True, 2, at(5))
    assert converted.window == timedelta(days=365)
    assert [c.stage for c in state.criteria] == list(CONVERT_FIRST.stages)


def test_bad_input_is_named():
    with pytest.raises(ValidationError) as mixed:
        classify([ev(0, "connect"), ev(1, "message", customer="c-2")], NURTURE, at(2))
    assert mixed.value.field == "history[1].customer_id"
    with pytest.raises(ValidationError) as naive:
        classify([], NURTURE, datetime(2026, 1, 1))  # noqa: DTZ001 - the point of the test
    assert naive.value.field == "as_of"
    with pytest.raises(ValidationError) as policy:
        classify([], {"engage_window": 30}, at(0))
    assert policy.value.field == "policy"
    with pytest.raises(WrongTypeError) as item:
        classify(["not an interaction"], NURTURE, at(0))
    assert item.value.field == "history[0]"
    with pytest.raises(TypeError) as nothing:
        classify(None, NURTURE, at(0))
    assert nothing.value.field == "history"
