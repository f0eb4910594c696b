"""Issue 14: a kind the data do not record leaves its measures not measured, never scored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from custpool import EventTable, InteractionKind, PoolCharter, score_health
from engine_helpers import pool_histories

CHARTER = PoolCharter(name="pool")
MEASURES = {
    InteractionKind.REFERRAL: "structure.advocates",
    InteractionKind.COMPLAINT: "structure.complaints",
    InteractionKind.CHURN: "operate.retention",
}


@settings(max_examples=60, deadline=None)
@given(pool=pool_histories(), kind=st.sampled_from(list(MEASURES)), day=st.integers(100, 400))
def test_removing_every_row_of_a_kind_leaves_its_measure_not_measured(pool, kind, day):
    rows = [i for history in pool.values() for i in history if i.kind is not kind]
    table = EventTable.from_interactions(rows, customers=list(pool))
    as_of = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=day)
    report = score_health(table, CHARTER, as_of)
    assert report.measure(MEASURES[kind]).score is None
    # told that the source records every kind, the measure may score again (with members)
    told = score_health(table, CHARTER, as_of, recorded_kinds=list(InteractionKind))
    reading = told.measure(MEASURES[kind])
    if told.members and kind is not InteractionKind.CHURN:
        assert reading.score is not None  # no referrals / complaints is then a fact


@settings(max_examples=40, deadline=None)
@given(pool=pool_histories(), day=st.integers(100, 400))
def test_a_pool_without_members_is_never_scored_overall(pool, day):
    table = EventTable.from_interactions(
        [i for h in pool.values() for i in h], customers=list(pool)
    )
    as_of = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=day)
    report = score_health(table, CHARTER, as_of)
    assert (report.overall is None) == (report.members == 0)
    assert (report.band is None) == (report.overall is None)
