"""Issue 14: joining is not taking part — for engagement, the activity rate and health."""

from __future__ import annotations

from conftest import at
from custpool import (
    EventTable,
    Policy,
    State,
    activity_rate,
    classify,
    classify_table,
)
from tiers_helpers import ev


def test_connect_and_two_messages_is_not_engaged_by_default():
    history = [ev(0, "connect"), ev(1, "message"), ev(2, "message")]
    # 0 (connect) + 1 + 1 = 2 < 3
    assert classify(history, Policy(), at(3)).state is State.CONNECTED
    table = EventTable.from_interactions(history)
    assert classify_table(table, Policy(), at(3)).state_of("c-1") is State.CONNECTED


def test_a_policy_can_count_joins_again():
    history = [ev(0, "connect"), ev(1, "message"), ev(2, "message")]
    opted = Policy(engage_weights={"connect": 1})
    # 1 + 1 + 1 = 3: engaged, from the second message
    state = classify(history, opted, at(3))
    assert (state.state, state.since) == (State.ENGAGED, at(2))
    table = EventTable.from_interactions(history)
    assert classify_table(table, opted, at(3)).state_of("c-1") is State.ENGAGED


def test_a_customer_who_only_joined_is_not_active():
    table = EventTable.from_interactions(
        [ev(0, "connect", "c-1"), ev(0, "connect", "c-2"), ev(1, "message", "c-2")]
    )
    rate = activity_rate(table, at(-1), at(2))
    # both connected; only c-2 took part (its message): 1 of 2
    assert (rate.active, rate.connected) == (1, 2)
    assert table.takes_part().tolist() == [False, False, True]
