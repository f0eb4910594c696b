"""Tests that kill the tiers room's surviving mutants (tools/mutate.py tiers; docs/testing.md).

Each test pins a behaviour a one-token change went through unnoticed: the compiled transition
table (built once per paradigm and cached, so these tests build it afresh), the structured
fields of the room's errors, hook removal, policy bounds and the next action's words.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal
from types import MappingProxyType

import numpy as np
import pytest
from transitions import Machine

from conftest import at
from custpool import (
    CONVERT_FIRST,
    NURTURE_FIRST,
    ActionKind,
    MissingDependencyError,
    Policy,
    RelationshipMachine,
    Stage,
    State,
    Trigger,
    ValidationError,
    WrongTypeError,
    classify,
    next_action,
    paradigm_for,
)
from custpool._tiers.machine import _declaration, _validate, compiled_table
from custpool._tiers.stages import _check_built_ins
from tiers_helpers import ev

P, C, E, V, A, D, X = State  # codes 0 … 6: prospect, connected, engaged, converted, …
POLICY = Policy()


def fresh_table(paradigm):
    """The paradigm's table built now, not the cached one (a mutant must reach the builder)."""
    return compiled_table.__wrapped__(paradigm)


def parts(error):
    """An error's field, value and rule: what every custpool error must name."""
    return error.field, error.value, error.rule


# -- the compiled table ------------------------------------------------------------------------


def common_moves(ladder):
    """Moves every paradigm has, written from docs/tiers.md's diagram: connect, dormancy,
    reactivation, churn and win-back."""
    moves = {(P, Trigger.CONNECT): C, (D, Trigger.REACTIVATE): C, (X, Trigger.WIN_BACK): C}
    moves |= {(s, Trigger.GO_DORMANT): D for s in ladder}
    moves |= {(s, Trigger.CHURN): X for s in (*ladder, D)}
    return moves


def test_nurture_first_table_built_from_scratch():
    table = fresh_table(NURTURE_FIRST)
    moves = common_moves((C, E, V, A)) | {
        (C, Trigger.ENGAGE): E,
        (E, Trigger.CONVERT): V,
        (V, Trigger.ADVOCATE): A,
        (E, Trigger.LAPSE): C,
        (V, Trigger.LAPSE): E,
        (A, Trigger.LAPSE): V,
    }
    assert dict(table.moves) == moves  # 1 + 3 + 3 + 4 + 1 + 5 + 1 = 18 moves
    assert table.step_trigger == {(s, d): t for (s, t), d in moves.items()}
    expected_legal = np.zeros((7, 7), dtype=np.bool_)
    for s, d in table.step_trigger:
        expected_legal[s.code, d.code] = True
    assert table.legal.dtype == np.bool_
    assert np.array_equal(table.legal, expected_legal)
    # next_state[s, t]: first hop from s on a shortest path to t passing only ladder states.
    # ADVOCATE to CONNECTED lapses A→V→E→C (3 steps), never A→D→C (DORMANT is not passable);
    # DORMANT and CHURNED reach every ladder state through CONNECTED; nothing reaches PROSPECT.
    assert table.next_state.dtype == np.int8
    assert table.next_state.tolist() == [
        # P   C   E   V   A   D   X   (target)
        [0, 1, 1, 1, 1, 1, 1],  # from PROSPECT: everything via CONNECTED
        [-1, 1, 2, 2, 2, 5, 6],  # from CONNECTED
        [-1, 1, 2, 3, 3, 5, 6],  # from ENGAGED
        [-1, 2, 2, 3, 4, 5, 6],  # from CONVERTED: down via ENGAGED
        [-1, 3, 3, 3, 4, 5, 6],  # from ADVOCATE: down via CONVERTED
        [-1, 1, 1, 1, 1, 5, 6],  # from DORMANT: reactivate first
        [-1, 1, 1, 1, 1, 1, 6],  # from CHURNED: win back first, dormancy too
    ]
    assert not table.legal.flags.writeable
    assert not table.next_state.flags.writeable


def test_convert_first_table_built_from_scratch():
    table = fresh_table(CONVERT_FIRST)
    assert dict(table.moves) == common_moves((C, V, E, A)) | {
        (C, Trigger.CONVERT): V,
        (V, Trigger.ENGAGE): E,
        (E, Trigger.ADVOCATE): A,
        (V, Trigger.LAPSE): C,
        (E, Trigger.LAPSE): V,
        (A, Trigger.LAPSE): E,
    }
    # ADVOCATE lapses to CONNECTED through ENGAGED then CONVERTED (this ladder's order).
    assert table.path(A, C) == [(Trigger.LAPSE, E), (Trigger.LAPSE, V), (Trigger.LAPSE, C)]
    assert table.next_state[A.code, C.code] == E.code


def machine_and_table(paradigm):
    return Machine(model=None, **_declaration(paradigm)), fresh_table(paradigm)


def test_validate_names_a_move_that_skips_a_stage():
    machine, table = machine_and_table(NURTURE_FIRST)
    skipping = dataclasses.replace(table, moves=MappingProxyType({(C, Trigger.CONVERT): V}))
    with pytest.raises(ValidationError) as info:
        _validate(machine, NURTURE_FIRST, skipping)
    rule = "convert would skip a stage of nurture_first"
    assert parts(info.value) == ("transitions", "connected->converted", rule)


def test_validate_names_a_state_unreachable_from_prospect():
    machine, table = machine_and_table(NURTURE_FIRST)
    next_state = table.next_state.copy()
    next_state[P.code, D.code] = -1
    cut = dataclasses.replace(table, next_state=next_state)
    with pytest.raises(ValidationError) as info:
        _validate(machine, NURTURE_FIRST, cut)
    assert parts(info.value) == ("states", "dormant", "is unreachable from prospect")


def test_validate_names_a_transition_to_an_unknown_state():
    machine, table = machine_and_table(NURTURE_FIRST)
    machine.add_state("limbo")
    machine.add_transition("churn", "limbo", "churned")
    with pytest.raises(ValidationError) as info:
        _validate(machine, NURTURE_FIRST, table)
    assert parts(info.value) == ("transitions", "limbo", "names no state of the machine")


def test_the_built_in_paradigms_pass_their_own_validation():
    assert _check_built_ins() is None


# -- classify ----------------------------------------------------------------------------------

US = timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("convert_window", "tier"),
    [
        # connect and purchase on day 0; silent since, so dormant from day 90 (dormant_after).
        # The tier is the stage held one microsecond before: day 90 − 1 µs. The purchase counts
        # while as_of − window < day 0, i.e. as_of < day 0 + window.
        (timedelta(days=90) - US, Stage.CONNECTED),  # lapsed exactly at day 90 − 1 µs
        (timedelta(days=90), Stage.CONVERTED),  # still held at day 90 − 1 µs
    ],
)
def test_the_dormant_tier_is_read_one_microsecond_before_dormancy(convert_window, tier):
    policy = Policy(paradigm="convert_first", convert_window=convert_window)
    state = classify([ev(0, "connect"), ev(0, "purchase")], policy, at(100))
    assert (state.state, state.since, state.tier) == (State.DORMANT, at(90), tier)


def test_a_one_microsecond_stage_still_moves_since():
    # Engaged by one message in a 1 µs window: ENGAGED at day 1 exactly, CONNECTED again from
    # day 1 + 1 µs. The state held now (CONNECTED) began at day 1 + 1 µs, not at the connect.
    policy = Policy(engage_window=US, engage_min_interactions=1)
    history = [ev(0, "connect"), ev(1, "message")]
    assert classify(history, policy, at(1)).state is State.ENGAGED
    state = classify(history, policy, at(2))
    assert (state.state, state.since) == (State.CONNECTED, at(1) + US)


def test_a_history_item_that_is_no_interaction_is_named_by_position_and_type():
    with pytest.raises(WrongTypeError) as info:
        classify([ev(0, "connect"), "x"], POLICY, at(1))
    assert parts(info.value) == ("history[1]", "<str>", "must be an Interaction")


def test_an_as_of_that_is_no_datetime_is_named_by_its_type():
    with pytest.raises(ValidationError) as info:
        classify([], POLICY, "2026-03-01")
    assert parts(info.value) == ("as_of", "<str>", "must be an aware datetime")
    assert str(info.value) == "as_of=<str>: must be an aware datetime"


def test_criteria_thresholds_and_the_customer_are_reported():
    history = [ev(0, "connect"), ev(2, "message")]
    state = classify(history, POLICY, at(3))
    assert state.customer_id == "c-1"
    assert state.last_active_at == at(2)
    # one connect, one purchase, one referral: the thresholds of the count criteria
    assert state.criterion(Stage.CONNECTED).threshold == Decimal(1)
    assert state.criterion(Stage.CONVERTED).threshold == Decimal(1)
    assert state.criterion(Stage.ADVOCATE).threshold == Decimal(1)
    assert state.criterion(Stage.ENGAGED).threshold == Decimal(3)  # engage_min_interactions


# -- the machine's errors and hooks ------------------------------------------------------------


def test_track_errors_carry_field_value_and_rule():
    machine = RelationshipMachine(Policy())
    track = machine.track()
    with pytest.raises(WrongTypeError) as wrong:
        track.add(["not an interaction"])
    assert parts(wrong.value) == (
        "interactions",
        "not an interaction",
        "must hold Interaction objects",
    )
    track.add([ev(0, "connect")])
    track.advance_to(at(10))
    late = ev(11, "message", customer="c-2")
    with pytest.raises(ValidationError) as other:
        track.add([late])
    assert parts(other.value) == ("customer_id", "c-2", "this track follows 'c-1'")
    early = ev(5, "message")
    with pytest.raises(ValidationError) as past:
        track.add([early])
    rule = "is before the track's clock 2026-03-11 12:00:00+00:00; replay on a new track"
    assert parts(past.value) == ("at", at(5), rule)
    with pytest.raises(ValidationError) as backwards:
        track.advance_to(at(9))
    rule = "is before the track's clock 2026-03-11 12:00:00+00:00; time only moves forward"
    assert parts(backwards.value) == ("as_of", at(9), rule)


def test_a_track_keeps_its_customer_and_every_record_names_it():
    machine = RelationshipMachine(Policy())
    track = machine.track("c-1")
    assert track.customer_id == "c-1"
    with pytest.raises(ValidationError) as other:
        track.add([ev(0, "connect", customer="c-2")])
    assert parts(other.value) == ("customer_id", "c-2", "this track follows 'c-1'")
    replayed = machine.replay([ev(0, "connect")], at(1))  # the first interaction names it
    assert [r.customer_id for r in replayed.log] == ["c-1"]


def test_the_machine_attaches_no_model_and_refuses_a_dict_policy():
    machine = RelationshipMachine(Policy())
    assert machine.machine.models == []  # tracks are triggered directly, never attached
    with pytest.raises(WrongTypeError) as info:
        RelationshipMachine({"paradigm": "nurture_first"})
    rule = "must be a custpool.Policy"
    assert parts(info.value) == ("policy", {"paradigm": "nurture_first"}, rule)


def test_a_path_to_prospect_is_refused_by_name():
    table = RelationshipMachine(Policy()).table
    with pytest.raises(ValidationError) as info:
        table.path(State.CONNECTED, State.PROSPECT)
    rule = "the machine has no path from connected to prospect"
    assert parts(info.value) == ("target", State.PROSPECT, rule)


def test_fire_errors_list_the_triggers():
    machine = RelationshipMachine(Policy())
    track = machine.track("c-1")
    with pytest.raises(ValidationError) as unknown:
        machine.fire(track, "teleport", at(0))
    known = "connect, engage, convert, advocate, lapse, go_dormant, reactivate, churn, win_back"
    assert parts(unknown.value) == ("trigger", "teleport", f"must be one of {known}")
    machine.fire(track, "connect", at(0))
    with pytest.raises(ValidationError) as illegal:
        machine.fire(track, Trigger.CONVERT, at(1))
    # from CONNECTED (nurture-first): churn, engage, go_dormant, sorted by name
    rule = "is not legal from connected; legal: churn, engage, go_dormant"
    assert parts(illegal.value) == ("trigger", "convert", rule)


def test_a_removed_hook_stays_removed_and_removing_twice_is_harmless():
    machine = RelationshipMachine(Policy())
    kept, dropped = [], []
    machine.on_transition(lambda r: kept.append(r.dest))
    remove = machine.on_transition(lambda r: dropped.append(r.dest))
    remove()
    remove()
    machine.replay([ev(0, "connect")], at(1))
    assert (kept, dropped) == ([State.CONNECTED], [])


def test_dot_without_graphviz_names_package_and_extra(monkeypatch):
    import sys  # noqa: PLC0415

    monkeypatch.setitem(sys.modules, "graphviz", None)
    with pytest.raises(MissingDependencyError) as info:
        RelationshipMachine(Policy()).dot()
    assert (info.value.package, info.value.extra) == ("graphviz", "diagrams")


# -- policy and stages ---------------------------------------------------------------------------


def test_policy_durations_need_only_be_positive_not_a_day_long():
    assert Policy(dormant_after=timedelta(hours=1)).dormant_after == timedelta(hours=1)
    with pytest.raises(ValueError, match="must be a positive duration"):
        Policy(dormant_after=timedelta(0))


def test_policy_weights_run_from_zero_to_ten_to_the_ninth():
    zero = Policy(engage_weights={"message": "0"})
    assert zero.weight_of("message") == Decimal(0)
    top = Policy(engage_weights={"message": 10**9})  # adjusted exponent 9: the limit itself
    assert top.weight_of("message") == Decimal(10**9)
    with pytest.raises(ValueError, match="from 0 to 10\\*\\*9"):
        Policy(engage_weights={"message": 10**10})


def test_paradigm_for_an_unknown_business_keeps_the_value():
    with pytest.raises(ValidationError) as info:
        paradigm_for("retail")
    known = "ordinary, brand, necessity, standardised, convenience"
    assert parts(info.value) == ("business", "retail", f"must be one of {known}")


# -- next_action -----------------------------------------------------------------------------


def test_next_action_refuses_anything_but_a_tier_state():
    with pytest.raises(WrongTypeError) as info:
        next_action("prospect", POLICY)
    assert parts(info.value) == ("tier_state", "prospect", "must be a TierState from classify()")


def test_a_prospect_is_never_connected():
    action = next_action(classify([], POLICY, at(0)), POLICY)
    assert (action.kind, action.goal, action.reason) == (
        ActionKind.GET_CONTACT,
        Stage.CONNECTED,
        "never connected",
    )


def test_win_back_after_a_complaint_names_it_and_aims_at_connected():
    history = [ev(0, "connect"), ev(3, "complaint"), ev(5, "churn")]  # quality complaint
    state = classify(history, POLICY, at(6))
    action = next_action(state, POLICY)
    assert (action.kind, action.goal) == (ActionKind.WIN_BACK, Stage.CONNECTED)
    # T0 is 2026-03-01: the complaint on day 3 is 03-04, the churn on day 5 is 03-06.
    assert action.reason == "left on 2026-03-06 after a quality complaint on 2026-03-04"
    assert action.text_en == (
        "Win back: they left after a quality complaint; replace or refund the faulty order and "
        "fix the quality problem, then re-invite them (no survey: the complaint is the reason)."
    )
    # A hand-made state that does not know when they left still names the complaint.
    unknown = next_action(state.model_copy(update={"since": None}), POLICY)
    assert unknown.reason == "left after a quality complaint on 2026-03-04"
    assert unknown.goal is Stage.CONNECTED


def test_recovery_aims_at_the_tier_held():
    convert_first = Policy(paradigm="convert_first")
    history = [ev(0, "connect"), ev(1, "purchase"), ev(2, "complaint")]  # quality complaint
    action = next_action(classify(history, convert_first, at(3)), convert_first)
    assert (action.kind, action.goal) == (ActionKind.RECOVER, Stage.CONVERTED)
    assert action.reason == "a converted customer complained about quality on 2026-03-03"


def test_dormant_and_top_of_the_ladder_reasons():
    dormant = next_action(classify([ev(0, "connect")], POLICY, at(200)), POLICY)
    assert dormant.reason == "no customer-initiated interaction for too long"
    history = [ev(0, "connect"), ev(1, "message"), ev(2, "purchase"), ev(3, "referral")]
    top = next_action(classify(history, POLICY, at(4)), POLICY)
    assert (top.kind, top.reason) == (ActionKind.KEEP_ADVOCATE, "at the top of the ladder")
