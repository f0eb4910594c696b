"""pool_kpis_by_operator: operators partition the customers, so every count sums to the whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custpool import EventTable, Interaction, Window, WrongTypeError, pool_kpis_by_operator
from engine_helpers import pool_histories, table_of

START = datetime(2026, 1, 1, tzinfo=UTC)


def counts(k):
    aov = k.order_value
    return (
        k.scale.connected,
        k.scale.connects,
        k.activity.active,
        k.conversion.converted,
        aov.purchases,
        aov.refunds,
        k.repurchase.buyers,
        k.repurchase.repeat_buyers,
        k.net_promoter.respondents,
    )


@settings(max_examples=60, deadline=None)
@given(pool=pool_histories(), a=st.integers(0, 300), span=st.integers(1, 200))
def test_operator_counts_sum_to_the_whole(pool, a, span):
    table = table_of(pool)
    window = Window(START + timedelta(days=a), START + timedelta(days=a + span))
    by = pool_kpis_by_operator(table, window)
    parts = [*by.by_operator.values(), *([by.unassigned] if by.unassigned else [])]
    summed = [sum(values) for values in zip(*(counts(k) for k in parts), strict=True)]
    assert summed == list(counts(by.whole))
    assert set(by.by_operator) <= set(table.operator_ids)


def test_owner_is_the_latest_connects_operator():
    t0 = START

    def ev(n, cid, kind, day, **more):
        return Interaction(
            id=f"i-{n}",
            customer_id=cid,
            at=t0 + timedelta(days=day),
            kind=kind,
            channel="wecom_chat",
            direction="inbound",
            **more,
        )

    rows = [
        ev(1, "a", "connect", 0, source="store", operator_id="op-1"),
        ev(2, "a", "churn", 1, churn_reason="deleted"),
        ev(3, "a", "connect", 2, source="store", operator_id="op-2"),  # won back by op-2
        ev(4, "b", "connect", 0, source="store"),  # nobody named: unassigned
        ev(5, "c", "message", 1),  # never connected: a prospect, unassigned
    ]
    by = pool_kpis_by_operator(EventTable.from_interactions(rows), t0, t0 + timedelta(days=5))
    assert list(by.by_operator) == ["op-2"]
    assert by.by_operator["op-2"].scale.connected == 1  # a
    assert by.unassigned is not None
    assert by.unassigned.scale.connected == 1  # b
    # before the win-back, a is op-1's (and churned)
    early = pool_kpis_by_operator(EventTable.from_interactions(rows), t0, t0 + timedelta(days=1))
    assert list(early.by_operator) == ["op-1"]
    assert early.by_operator["op-1"].scale.connected == 0
    assert "op-1: 0 connected" in str(early)


def test_the_table_must_be_a_table():
    with pytest.raises(WrongTypeError, match="table"):
        pool_kpis_by_operator("events.csv", START, START + timedelta(days=1))  # type: ignore[arg-type]


@pytest.mark.parametrize("backend", ["pandas", "polars", "pyarrow"])
def test_the_frame_stacks_each_parts_kpi_rows(backend):
    rows = [
        Interaction(
            id=f"i-{n}",
            customer_id=cid,
            at=START + timedelta(days=day),
            kind=kind,
            channel="wecom_chat",
            direction="inbound",
            **more,
        )
        for n, (cid, kind, day, more) in enumerate(
            [
                ("a", "connect", 0, {"source": "store", "operator_id": "op-1"}),
                ("b", "connect", 0, {"source": "store", "operator_id": "op-2"}),
                ("c", "connect", 0, {"source": "store"}),
                ("a", "message", 1, {}),
            ]
        )
    ]
    by = pool_kpis_by_operator(EventTable.from_interactions(rows), START, START + timedelta(days=3))
    frame = by.to_frame(backend)
    table = frame if backend == "pyarrow" else None
    records = (
        table.to_pylist()
        if table is not None
        else frame.to_dicts()
        if backend == "polars"
        else frame.to_dict("records")
    )
    per_part = len(by.whole.to_frame("pyarrow"))
    # op-1, op-2, unassigned (c) and the whole: four parts of the same KPI rows each
    assert len(records) == 4 * per_part

    def operator(record):  # pandas shows a null string as NA
        return record["operator_id"] if isinstance(record["operator_id"], str) else None

    activity = {
        (r["part"], operator(r)): r["value"] for r in records if r["kpi"] == "activity_rate"
    }
    # a took part (1 of 1); b and c only joined (0 of 1); the whole: 1 of 3
    assert activity[("operator", "op-1")] == 1.0
    assert activity[("operator", "op-2")] == 0.0
    assert activity[("whole", None)] == pytest.approx(1 / 3)
