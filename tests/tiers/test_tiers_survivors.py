"""Tests written for the tiers mutants that survived the sample of 2026-12-06 (docs/testing.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from conftest import at
from custpool import (
    ActionKind,
    Policy,
    RelationshipMachine,
    State,
    TierState,
    ValidationError,
    WrongTypeError,
    classify,
    next_action,
)
from custpool._tiers import P_ALIVE_WIN_BACK
from custpool._tiers.timeline import Timeline
from custpool._time import to_micros
from tiers_helpers import ev

POLICY = Policy()


def test_an_as_of_before_the_year_1_in_utc_is_refused_with_the_rule() -> None:
    # 0001-01-01 00:00 at UTC+01:00 is 31 December of the year 0 in UTC: out of range.
    early = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    with pytest.raises(ValidationError) as caught:
        classify([], POLICY, early)
    error = caught.value
    assert (error.field, error.value) == ("as_of", early)
    assert error.rule == "must fall within the years 1-9999 once moved to UTC"


# -- next_action with p_alive (BG/NBD's probability the customer still buys) ----------------------


def _converted() -> TierState:
    # connect, two messages, a purchase: CONVERTED (深), a valuable customer at a stage
    history = [ev(0, "connect"), ev(1, "message"), ev(2, "message"), ev(3, "purchase")]
    state = classify(history, POLICY, at(4))
    assert state.state is State.CONVERTED
    return state


def test_p_alive_below_the_threshold_wins_back_and_at_it_does_not() -> None:
    state = _converted()
    assert P_ALIVE_WIN_BACK == 0.2
    fading = next_action(state, POLICY, p_alive=0.19)
    assert fading.kind is ActionKind.WIN_BACK
    assert fading.reason == "p_alive 0.19 < 0.2: likely gone before turning dormant"
    assert fading.text_en.startswith("Win back before they go: the model says they have likely")
    assert fading.text_zh.startswith("在沉睡前赢回：模型判断其很可能已停止购买")
    # exactly 0.2 is not below it: the ladder's next move, as without p_alive
    at_threshold = next_action(state, POLICY, p_alive=0.2)
    assert at_threshold == next_action(state, POLICY)
    assert at_threshold.kind is ActionKind.INVITE_REFERRAL


def test_a_p_alive_that_is_no_float_is_refused_with_field_value_and_rule() -> None:
    with pytest.raises(WrongTypeError) as caught:
        next_action(_converted(), POLICY, p_alive="0.1")  # type: ignore[arg-type]
    error = caught.value
    assert (error.field, error.value) == ("p_alive", "0.1")
    assert error.rule == "must be None or a probability (a float)"


# -- Timeline -----------------------------------------------------------------------------------


def test_a_timeline_names_an_item_that_is_no_interaction() -> None:
    with pytest.raises(WrongTypeError) as caught:
        Timeline([ev(0, "connect"), 7], POLICY)  # type: ignore[list-item]
    error = caught.value
    assert (error.field, error.value, error.rule) == ("history[1]", 7, "must be an Interaction")


def test_timeline_facts_say_churned_after_a_churn_and_not_before() -> None:
    timeline = Timeline([ev(0, "connect"), ev(2, "churn")], POLICY)
    before, after = (timeline.facts(to_micros(at(day))) for day in (1, 3))
    assert (before.connected, before.churned) == (True, False)
    assert (after.connected, after.churned) == (False, True)


def test_p_alive_of_exactly_zero_or_one_is_a_probability() -> None:
    state = _converted()
    assert next_action(state, POLICY, p_alive=0.0).kind is ActionKind.WIN_BACK
    assert next_action(state, POLICY, p_alive=1.0) == next_action(state, POLICY)
    with pytest.raises(ValidationError) as caught:
        next_action(state, POLICY, p_alive=1.5)
    assert (caught.value.field, caught.value.value) == ("p_alive", 1.5)


def test_the_fading_win_back_aims_at_the_tier_the_customer_holds() -> None:
    state = _converted()
    assert next_action(state, POLICY, p_alive=0.1).goal is state.tier


def test_classify_accepts_the_first_instant_of_the_year_1_and_names_a_wrong_policy() -> None:
    first = datetime(1, 1, 1, tzinfo=UTC)  # the earliest instant a table holds
    assert classify([], POLICY, first).state is State.PROSPECT
    with pytest.raises(WrongTypeError) as caught:
        classify([], "policy", first)  # type: ignore[arg-type]
    error = caught.value
    assert (error.field, error.rule) == ("policy", "must be a custpool.Policy")


def test_a_timeline_of_two_customers_names_the_first() -> None:
    with pytest.raises(ValidationError) as caught:
        Timeline([ev(0, "connect"), ev(1, "message", customer="c-2")], POLICY)
    error = caught.value
    assert (error.field, error.value) == ("history[1].customer_id", "c-2")
    assert error.rule == "a history is one customer's; this one started with 'c-1'"


def test_change_points_include_answers_and_referrals_leaving_the_advocate_window() -> None:
    connect, nps, referral = ev(0, "connect"), ev(10, "nps", score=9), ev(20, "referral")
    timeline = Timeline([connect, nps, referral], POLICY)
    window = POLICY.advocate_window
    points = set(timeline.change_points(to_micros(at(10_000))))
    assert to_micros(at(10) + window) in points  # the answer ages out
    assert to_micros(at(20) + window) in points  # the referral ages out


def test_a_track_takes_an_event_added_exactly_at_its_clock() -> None:
    track = RelationshipMachine(POLICY).track()
    assert track.advance_to(at(1)) is State.PROSPECT
    track.add([ev(1, "connect")])  # exactly at the clock
    assert track.advance_to(at(1)) is State.CONNECTED
