"""The lean ``Timeline.state`` must agree with the full ``Timeline.facts`` evaluation."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from custpool import CONVERT_FIRST, Policy, Stage, State
from custpool._tiers.timeline import Timeline
from custpool._time import from_micros, to_micros
from custpool.strategies import histories

START = datetime(2026, 1, 1, tzinfo=UTC)


def state_from_facts(timeline, t):
    facts = timeline.facts(t)
    if not facts.ever_connected:
        return State.PROSPECT
    if facts.churned:
        return State.CHURNED
    if facts.dormant:
        return State.DORMANT
    stage = timeline.cumulative_stage(facts.met)
    return State.CONNECTED if stage is None else stage.state


@settings(max_examples=150)
@given(
    history=histories(
        customer_id="c-1", max_size=20, min_time=START, max_time=START + timedelta(days=300)
    ),
    policy=st.sampled_from(
        [
            Policy(),
            Policy(paradigm=CONVERT_FIRST, advocate_min_nps=7, dormant_after=timedelta(days=30)),
        ]
    ),
    offsets=st.lists(st.integers(min_value=-10, max_value=500), min_size=1, max_size=5),
)
def test_lean_state_agrees_with_facts(history, policy, offsets):
    timeline = Timeline(history, policy)
    points = [to_micros(START + timedelta(days=d)) for d in offsets]
    points += timeline.change_points(to_micros(START + timedelta(days=600)))
    for t in points:
        assert timeline.state(t) is state_from_facts(timeline, t)
        assert timeline.state(t - 1) is state_from_facts(timeline, t - 1)


def test_micros_round_trip_and_exactness():
    t = datetime(2026, 5, 17, 8, 30, 15, 123456, tzinfo=UTC)
    assert from_micros(to_micros(t)) == t
    assert to_micros(timedelta(days=1)) == 86_400_000_000


def test_cumulative_stage_stops_at_the_first_unmet():
    timeline = Timeline([], Policy())
    met = {Stage.CONNECTED: True, Stage.ENGAGED: False, Stage.CONVERTED: True, Stage.ADVOCATE: True}
    assert timeline.cumulative_stage(met) is Stage.CONNECTED
