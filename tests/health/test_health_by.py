"""score_health(by=...): ISOOC per operator's (group's) customers, with the whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custpool import (
    Breakdown,
    EventTable,
    Interaction,
    PoolCharter,
    ValidationError,
    score_health,
)
from engine_helpers import START, pool_histories, table_of

T0 = datetime(2026, 3, 1, tzinfo=UTC)
AS_OF = T0 + timedelta(days=10)


def ev(n, cid, kind, at, **more):
    return Interaction(
        id=f"i-{n:02d}",
        customer_id=cid,
        at=at,
        kind=kind,
        channel="wecom_chat",
        direction=more.pop("direction", "inbound"),
        **more,
    )


def staffed_pool() -> EventTable:
    day1 = T0 + timedelta(days=1)
    return EventTable.from_interactions(
        [
            ev(1, "a", "connect", T0, source="store", operator_id="op-1"),
            ev(2, "b", "connect", T0, source="store", operator_id="op-1"),
            ev(3, "c", "connect", T0, source="store", operator_id="op-2"),
            # a asks on day 1 and op-1 answers 2 hours later
            ev(4, "a", "message", day1),
            ev(5, "a", "message", day1 + timedelta(hours=2), direction="outbound"),
            # c asks on day 1 and op-2 answers 6 hours later
            ev(6, "c", "message", day1),
            ev(7, "c", "message", day1 + timedelta(hours=6), direction="outbound"),
        ]
    )


CHARTER = PoolCharter(name="tea club", operators=("op-1", "op-2"), operator_capacity=2)


def raw(report, measure):
    return report.measure(measure).raw


def test_health_by_operator_by_hand():
    by = score_health(staffed_pool(), CHARTER, AS_OF, by="operator")
    assert isinstance(by, Breakdown)
    assert by.whole == score_health(staffed_pool(), CHARTER, AS_OF)
    assert list(by.parts) == ["op-1", "op-2"]
    one, two = by.parts["op-1"], by.parts["op-2"]
    # load: members per operator — op-1 has a and b (2 / 1), op-2 has c (1 / 1), whole 3 / 2
    assert raw(one, "copy.capacity") == 2.0
    assert raw(two, "copy.capacity") == 1.0
    assert raw(by.whole, "copy.capacity") == 1.5
    # reply time: op-1 answered a in 2 h, op-2 answered c in 6 h; the whole's median (2 + 6) / 2
    assert raw(one, "operate.reply_hours") == 2.0
    assert raw(two, "operate.reply_hours") == 6.0
    assert raw(by.whole, "operate.reply_hours") == 4.0
    # participation: a of {a, b} took part (b only joined): half of op-1's members
    assert raw(one, "operate.participation") == pytest.approx(raw(two, "operate.participation") / 2)
    assert by.unassigned is None


def test_health_by_group_keeps_the_charter_and_recorded_kinds():
    rows = [
        ev(1, "a", "connect", T0, source="store", group_id="g-1"),
        ev(2, "b", "connect", T0, source="store", group_id="g-2"),
        ev(3, "a", "nps", T0 + timedelta(days=2), score=10),
        ev(5, "a", "referral", T0 + timedelta(days=3), referred_id="c"),
        ev(4, "c", "connect", T0, source="store"),  # no group: unassigned
    ]
    table = EventTable.from_interactions(rows)
    by = score_health(table, CHARTER, AS_OF, by="group")
    assert list(by.parts) == ["g-1", "g-2"]
    # NPS is recorded in the table (a answered), so g-2 — no answer of its own — is still
    # measured for advocates, with none, rather than "not measured"
    assert by.whole.measure("structure.advocates").measured
    assert by.parts["g-2"].measure("structure.advocates").measured
    # the charter is the pool's: both operators count in every group
    assert raw(by.parts["g-1"], "copy.capacity") == 0.5  # 1 member / 2 operators
    assert by.unassigned is not None
    assert raw(by.unassigned, "copy.capacity") == 0.5  # c alone


def test_unknown_split_is_refused():
    with pytest.raises(ValidationError, match=r"by='team'"):
        score_health(staffed_pool(), CHARTER, AS_OF, by="team")  # type: ignore[call-overload]


@pytest.mark.parametrize("backend", ["pandas", "polars", "pyarrow"])
def test_the_frame_stacks_each_reports_measure_rows(backend):
    by = score_health(staffed_pool(), CHARTER, AS_OF, by="operator")
    frame = by.to_frame(backend)
    rows = len(by.whole.to_frame("pyarrow"))
    arrow = frame if backend == "pyarrow" else None
    height = arrow.num_rows if arrow is not None else len(frame)
    assert height == 3 * rows  # op-1, op-2 and the whole
    columns = list(arrow.column_names if arrow is not None else frame.columns)
    assert columns[:3] == ["part", "id", "as_of"]


@settings(max_examples=20, deadline=None)
@given(pool=pool_histories(max_customers=5, max_size=10), days=st.integers(1, 300))
def test_members_of_the_parts_add_up_to_the_whole(pool, days):
    table = table_of(pool)
    as_of = START + timedelta(days=days)
    charter = PoolCharter(name="p", operators=("op-1", "op-2", "op-3"))
    by = score_health(table, charter, as_of, by="operator")
    members = [raw(r, "interest.members") or 0 for r in (*by.parts.values(), by.unassigned) if r]
    assert sum(members) == (raw(by.whole, "interest.members") or 0)
