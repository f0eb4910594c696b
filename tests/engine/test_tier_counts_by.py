"""TierTable.counts(by=...): state counts per operator or group, summing to the whole."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custpool import (
    Breakdown,
    EventTable,
    Interaction,
    Policy,
    State,
    ValidationError,
    classify_table,
)
from engine_helpers import AS_OF_TIMES, SAMPLE_POLICIES, pool_histories, table_of

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def ev(n, cid, kind, day, **more):
    return Interaction(
        id=f"i-{n:02d}",
        customer_id=cid,
        at=T0 + timedelta(days=day),
        kind=kind,
        channel="wecom_chat",
        direction="inbound",
        **more,
    )


@settings(max_examples=60, deadline=None)
@given(
    pool=pool_histories(grid=timedelta(days=5)),
    policy=st.sampled_from(SAMPLE_POLICIES),
    as_of=AS_OF_TIMES,
    by=st.sampled_from(["operator", "group"]),
)
def test_parts_and_unassigned_sum_to_the_whole_state_by_state(pool, policy, as_of, by):
    table = table_of(pool)
    tiers = classify_table(table, policy, as_of)
    result = tiers.counts(by=by)
    assert isinstance(result, Breakdown)
    assert result.whole == tiers.counts()
    parts = [*result.parts.values(), *([result.unassigned] if result.unassigned else [])]
    for state in State:
        assert sum(p[state] for p in parts) == result.whole[state]
    # each part is the count of the customers whose latest connect at or before as_of names it
    column = tiers.operator if by == "operator" else tiers.group
    ids = tiers.operator_ids if by == "operator" else tiers.group_ids
    for key, counts in result.parts.items():
        mine = column == ids.index(key)
        assert sum(counts.values()) == int(mine.sum()) > 0


def test_owner_is_the_latest_connect_at_or_before_as_of():
    rows = [
        ev(1, "a", "connect", 0, source="store", operator_id="op-1", group_id="g-1"),
        ev(2, "a", "churn", 2, churn_reason="deleted"),
        ev(3, "a", "connect", 4, source="store", operator_id="op-2"),  # back, no group named
        ev(4, "b", "connect", 0, source="store", operator_id="op-1", group_id="g-1"),
    ]
    table = EventTable.from_interactions(rows)
    early = classify_table(table, Policy(), T0 + timedelta(days=3))
    late = classify_table(table, Policy(), T0 + timedelta(days=5))
    a, b = table.customer_index("a"), table.customer_index("b")
    assert early.operator_ids[early.operator[a]] == "op-1"  # a's day-0 connect; churned since
    assert late.operator_ids[late.operator[a]] == "op-2"  # the day-4 connect
    assert late.group[a] == -1  # the latest connect names no group
    assert late.group_ids[late.group[b]] == "g-1"
    by = early.counts(by="operator")
    assert by.parts["op-1"][State.CHURNED] == 1  # a: 1 churned
    assert by.parts["op-1"][State.CONNECTED] == 1  # b: 1 connected
    late_by = late.counts(by="group")
    assert list(late_by.parts) == ["g-1"]
    assert late_by.unassigned is not None
    assert late_by.unassigned[State.CONNECTED] == 1  # a, back without a group


def test_owners_survive_pickling_and_bad_splits_are_refused():
    rows = [ev(1, "a", "connect", 0, source="store", operator_id="op-1")]
    tiers = classify_table(EventTable.from_interactions(rows), Policy(), T0 + timedelta(days=1))
    again = pickle.loads(pickle.dumps(tiers))  # noqa: S301 - our own bytes
    assert again.operator.tolist() == tiers.operator.tolist() == [0]
    assert tuple(again.operator_ids) == ("op-1",)
    assert again.counts(by="operator").parts["op-1"] == tiers.counts(by="operator").parts["op-1"]
    with pytest.raises(ValidationError, match=r"by='store'"):
        tiers.counts(by="store")  # type: ignore[call-overload]


@pytest.mark.parametrize("backend", ["pandas", "polars", "pyarrow"])
def test_the_frame_has_a_row_per_part_and_state(backend):
    rows = [
        ev(1, "a", "connect", 0, source="store", operator_id="op-1"),
        ev(2, "b", "connect", 0, source="store"),
    ]
    tiers = classify_table(EventTable.from_interactions(rows), Policy(), T0 + timedelta(days=1))
    frame = tiers.counts(by="operator").to_frame(backend)
    height = frame.num_rows if backend == "pyarrow" else len(frame)
    assert height == 3 * len(State)  # op-1, the unassigned and the whole
