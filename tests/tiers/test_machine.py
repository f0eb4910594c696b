"""The relationship machine: its declaration, its table, replay, hooks and the diagram."""

import re
from datetime import timedelta
from itertools import pairwise

import pytest
from transitions import MachineError

from conftest import at
from custpool import (
    CONVERT_FIRST,
    NURTURE_FIRST,
    MissingDependencyError,
    Paradigm,
    Policy,
    RelationshipMachine,
    Stage,
    State,
    Trigger,
    ValidationError,
    classify,
)
from tiers_helpers import ev


@pytest.fixture(params=[NURTURE_FIRST, CONVERT_FIRST], ids=lambda p: p.name)
def machine(request):
    return RelationshipMachine(Policy(paradigm=request.param))


def test_ladder_moves_follow_the_paradigm_one_step_at_a_time(machine):
    stages = [s.state for s in machine.paradigm.stages]
    ups = {
        (src, dst)
        for (src, trig), dst in machine.table.moves.items()
        if trig in (Trigger.ENGAGE, Trigger.CONVERT, Trigger.ADVOCATE)
    }
    assert ups == set(pairwise(stages))
    downs = {(s, d) for (s, t), d in machine.table.moves.items() if t is Trigger.LAPSE}
    assert downs == {(b, a) for a, b in pairwise(stages)}
    for (src, _), dst in machine.table.moves.items():
        if src in stages and dst in stages:
            assert abs(stages.index(src) - stages.index(dst)) == 1


def test_table_arrays_agree_with_the_moves(machine):
    legal = machine.table.legal
    assert legal.shape == (7, 7)
    assert legal.sum() == len(machine.table.moves)
    for (src, _), dst in machine.table.moves.items():
        assert legal[src.code, dst.code]
    assert not legal.flags.writeable
    # Nothing leads back to PROSPECT; everything else is reachable from it.
    assert (machine.table.next_state[:, State.PROSPECT.code] < 0).sum() == 6
    assert (machine.table.next_state[State.PROSPECT.code] >= 0).all()


def test_path_lapses_stage_by_stage_never_through_dormant():
    table = RelationshipMachine(Policy()).table
    steps = table.path(State.ADVOCATE, State.CONNECTED)
    assert [t for t, _ in steps] == [Trigger.LAPSE] * 3
    assert [s for _, s in table.path(State.DORMANT, State.CONVERTED)] == [
        State.CONNECTED,
        State.ENGAGED,
        State.CONVERTED,
    ]
    assert [t for t, _ in table.path(State.CHURNED, State.DORMANT)] == [
        Trigger.WIN_BACK,
        Trigger.GO_DORMANT,
    ]
    with pytest.raises(ValidationError, match="no path from connected to prospect"):
        table.path(State.CONNECTED, State.PROSPECT)


def test_replay_logs_every_step_and_hooks_fire_for_each():
    machine = RelationshipMachine(Policy())
    entered, every = [], []
    machine.on_enter(State.ADVOCATE, entered.append)
    machine.on_transition(every.append)
    history = [
        ev(0, "connect"),
        ev(1, "message"),
        ev(2, "message"),
        ev(3, "purchase"),
        ev(4, "referral"),
        ev(150, "churn"),
        ev(160, "connect", direction="outbound"),
    ]
    track = machine.replay(history, at(300))
    steps = [(r.at, r.trigger, r.dest) for r in track.log]
    assert steps == [
        (at(0), Trigger.CONNECT, State.CONNECTED),
        # the connect weighs 0 (joining is not taking part): messages on days 1 and 2 and the
        # purchase on day 3 weigh 1 + 1 + 1 = 3, engaged on day 3, converted the same instant
        (at(3), Trigger.ENGAGE, State.ENGAGED),
        (at(3), Trigger.CONVERT, State.CONVERTED),
        (at(4), Trigger.ADVOCATE, State.ADVOCATE),
        # The purchase and the referral are customer-initiated too, so on day 31 the window
        # (1, 31] still holds days 2, 3, 4. On day 32 only days 3 and 4 remain (2 < 3): not
        # engaged, and nurture-first needs engagement below conversion, so down to CONNECTED.
        (at(32), Trigger.LAPSE, State.CONVERTED),
        (at(32), Trigger.LAPSE, State.ENGAGED),
        (at(32), Trigger.LAPSE, State.CONNECTED),
        (at(94), Trigger.GO_DORMANT, State.DORMANT),  # last inbound day 4, + 90 days
        (at(150), Trigger.CHURN, State.CHURNED),
        (at(160), Trigger.WIN_BACK, State.CONNECTED),
        (at(250), Trigger.GO_DORMANT, State.DORMANT),  # reconnected day 160, + 90 days
    ]
    assert [r.at for r in entered] == [at(4)]
    assert every == track.log
    final = classify(history, Policy(), at(300))
    assert track.state is final.state
    assert track.log[-1].at == final.since


def test_incremental_advance_equals_one_shot_replay():
    history = [ev(0, "connect"), ev(1, "message"), ev(2, "message"), ev(40, "purchase")]
    machine = RelationshipMachine(Policy(paradigm=CONVERT_FIRST))
    one_shot = machine.replay(history, at(200))
    track = machine.track()
    track.add(history[:2])
    track.advance_to(at(1))
    track.add(history[2:])
    track.advance_to(at(50))
    track.advance_to(at(200))
    assert track.log == one_shot.log
    assert track.clock == at(200)


def test_track_refuses_the_past_and_other_customers():
    machine = RelationshipMachine(Policy())
    track = machine.track()
    track.add([ev(0, "connect")])
    track.advance_to(at(10))
    with pytest.raises(ValidationError) as past:
        track.add([ev(5, "message")])
    assert past.value.field == "at"
    with pytest.raises(ValidationError) as other:
        track.add([ev(11, "message", customer="c-2")])
    assert other.value.field == "customer_id"
    with pytest.raises(ValidationError) as backwards:
        track.advance_to(at(9))
    assert backwards.value.field == "as_of"


def test_manual_triggers_are_checked_against_the_table_and_transitions():
    machine = RelationshipMachine(Policy())
    track = machine.track("c-1")
    with pytest.raises(ValidationError, match="not legal from prospect; legal: connect"):
        machine.fire(track, Trigger.ADVOCATE, at(0))  # a prospect cannot become an advocate
    with pytest.raises(ValidationError, match="must be one of connect"):
        machine.fire(track, "hug", at(0))
    machine.fire(track, Trigger.CONNECT, at(0))
    assert track.state is State.CONNECTED
    assert track.log[-1].settled
    # transitions itself refuses an illegal trigger too: the table and the machine agree
    with pytest.raises(MachineError):
        machine.machine.events["advocate"].trigger(track, at=0)


def test_pass_through_steps_are_marked_not_settled():
    machine = RelationshipMachine(Policy())
    history = [ev(0, "connect"), ev(1, "message"), ev(2, "message"), ev(3, "purchase")]
    track = machine.replay(history, at(40))
    lapses = [(r.dest, r.settled) for r in track.log if r.trigger is Trigger.LAPSE]
    # day 31 (day 1 leaves the window): CONVERTED -> ENGAGED (passed through) -> CONNECTED
    assert lapses == [(State.ENGAGED, False), (State.CONNECTED, True)]
    # day 3: messages on days 1, 2 and the purchase weigh 3 (the connect 0), so the customer is
    # engaged and converted at one instant: ENGAGED is passed through on the way
    climbs = [(r.at, r.dest, r.settled) for r in track.log if r.trigger is not Trigger.LAPSE]
    assert climbs == [
        (at(0), State.CONNECTED, True),
        (at(3), State.ENGAGED, False),
        (at(3), State.CONVERTED, True),
    ]


def test_mermaid_diagram_matches_the_machine(machine):
    text = machine.mermaid()
    assert text.splitlines()[1] == machine.paradigm.name
    edges = set(re.findall(r"^\s*([A-Z]+) --> ([A-Z]+): (\w+)$", text, re.MULTILINE))
    expected = {
        (src.name, dst.name, trig.value) for (src, trig), dst in machine.table.moves.items()
    }
    assert edges == expected


def test_bad_policy_and_paradigms_are_named():
    with pytest.raises(ValidationError) as info:
        RelationshipMachine({"paradigm": "nurture_first"})
    assert info.value.field == "policy"
    with pytest.raises(ValueError, match="unknown paradigm 'growth_hacking'"):
        Policy(paradigm="growth_hacking")
    with pytest.raises(ValueError, match="each of the four stages exactly once"):
        Paradigm(name="short", stages=[Stage.CONNECTED, Stage.ENGAGED])
    with pytest.raises(ValueError, match="must be a positive duration"):
        Policy(dormant_after=timedelta(days=-1))


def test_a_custom_paradigm_builds_its_own_ladder():
    custom = Paradigm(
        name="refer_early",
        stages=[Stage.CONNECTED, Stage.ADVOCATE, Stage.ENGAGED, Stage.CONVERTED],
    )
    machine = RelationshipMachine(Policy(paradigm=custom))
    assert machine.table.moves[State.CONNECTED, Trigger.ADVOCATE] is State.ADVOCATE
    assert machine.table.moves[State.ENGAGED, Trigger.CONVERT] is State.CONVERTED
    track = machine.replay([ev(0, "connect"), ev(1, "referral")], at(2))
    assert track.state is State.ADVOCATE


def test_diagrams_in_the_docs_match_the_machines():
    from pathlib import Path  # noqa: PLC0415

    text = (Path(__file__).parents[2] / "docs" / "tiers.md").read_text("utf-8")
    blocks = re.findall(r"```mermaid\n(.*?)```", text, re.DOTALL)
    assert len(blocks) == 2
    for block, paradigm in zip(blocks, [NURTURE_FIRST, CONVERT_FIRST], strict=True):
        table = RelationshipMachine(Policy(paradigm=paradigm)).table
        edges = set(re.findall(r"^\s*([A-Z]+) --> ([A-Z]+): (\w+)$", block, re.MULTILINE))
        expected = {(s.name, d.name, t.value) for (s, t), d in table.moves.items()}
        assert edges == expected, paradigm.name


def test_dot_diagram_matches_the_machine(machine):
    pytest.importorskip("graphviz")
    text = machine.dot()
    assert text.startswith(f"digraph {machine.paradigm.name} {{")
    edges = set(re.findall(r"^\s*([A-Z]+) -> ([A-Z]+) \[label=(\w+)\]$", text, re.MULTILINE))
    expected = {
        (src.name, dst.name, trig.value) for (src, trig), dst in machine.table.moves.items()
    }
    assert edges == expected


def test_dot_without_graphviz_names_the_extra(monkeypatch):
    import sys  # noqa: PLC0415

    monkeypatch.setitem(sys.modules, "graphviz", None)  # makes `import graphviz` fail
    with pytest.raises(MissingDependencyError, match=r'pip install "custpool\[diagrams\]"'):
        RelationshipMachine(Policy()).dot()
