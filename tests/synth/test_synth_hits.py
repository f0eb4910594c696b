"""Periodic hits (seed 002) and store walk-ins (seed 003) in synthetic pools."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custpool import (
    ActivityKind,
    InteractionKind,
    SourceChannel,
    ValidationError,
    growth_breakdown,
    pool_kpis,
    visitor_capture,
)
from custpool._engine.codes import KIND_CODE, SOURCES
from custpool._time import to_micros
from custpool.synth import SynthConfig, generate

END = datetime(2026, 1, 1, tzinfo=UTC)
PURCHASE = KIND_CODE[InteractionKind.PURCHASE]
VISIT = KIND_CODE[InteractionKind.STORE_VISIT]
CONNECT = KIND_CODE[InteractionKind.CONNECT]


def campaigns(pool):
    return [a for a in pool.activities if a.kind is ActivityKind.CAMPAIGN]


def purchase_times(pool):
    table = pool.table
    return table.time[table.kind == PURCHASE]


def inside(times, spans):
    mask = np.zeros(times.shape[0], dtype=bool)
    for a in spans:
        mask |= (times > to_micros(a.at)) & (times <= to_micros(a.ends_at))
    return mask


def test_off_by_default():
    pool = generate(SynthConfig(n_customers=300), seed=3)
    assert campaigns(pool) == []
    kpis = pool_kpis(pool.table, END - timedelta(days=30), END)
    assert kpis.funnel.walk_ins == 0


def test_campaigns_are_held_mid_cycle_and_do_not_pass_the_end():
    pool = generate(SynthConfig(n_customers=50, campaign_every_days=30, campaign_days=3), seed=1)
    spans = campaigns(pool)
    # 2025-01-01 + 15 days = 2025-01-16, then every 30 days; the 13th would start 2026-01-05
    # (15 + 12 × 30 = 375 days), after the end: 12 campaigns.
    assert len(spans) == 12
    assert spans[0].at == datetime(2025, 1, 16, tzinfo=UTC)
    assert spans[0].ends_at == datetime(2025, 1, 19, tzinfo=UTC)
    assert spans[1].at - spans[0].at == timedelta(days=30)
    assert spans[-1].ends_at <= END
    assert [a.id for a in spans[:2]] == ["a-hit-01", "a-hit-02"]


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_a_lift_of_one_copies_each_campaign_order_at_most_once(seed):
    """The copies come from their own generator: orders outside campaigns are the same rows."""
    base = SynthConfig(n_customers=800, campaign_every_days=30, campaign_lift=0.0)
    flat = generate(base, seed=seed)
    lifted = generate(replace(base, campaign_lift=1.0), seed=seed)
    spans = campaigns(lifted)
    t0, t1 = purchase_times(flat), purchase_times(lifted)
    out0, out1 = np.sort(t0[~inside(t0, spans)]), np.sort(t1[~inside(t1, spans)])
    assert np.array_equal(out0, out1)
    during0, during1 = int(inside(t0, spans).sum()), int(inside(t1, spans).sum())
    # each order in a campaign gets exactly one copy (lift 1 = ⌊1⌋), kept while the customer
    # is active: never more than double; more than the flat pool when it had any.
    assert during0 <= during1 <= 2 * during0
    if during0 >= 20:
        assert during1 > during0


def test_growth_breakdown_shows_the_lift():
    config = SynthConfig(n_customers=5_000, campaign_every_days=30, campaign_lift=1.0)
    pool = generate(config, seed=11)
    ends = [END - timedelta(days=30 * k) for k in (3, 2, 1, 0)]
    hits = [a for a in campaigns(pool) if a.at >= ends[0]]
    breakdown = growth_breakdown(pool.table, ends, activities=hits)
    assert len(breakdown.campaigns) == 3
    # about twice the orders of the three days before: the lift is clearly positive
    assert all(c.lift is not None and c.lift > 0.3 for c in breakdown.campaigns)


def test_walk_ins_who_joined_in_store_were_captured_minutes_before():
    pool = generate(SynthConfig(n_customers=2_000, walk_in_rate=1.0), seed=5)
    table = pool.table
    store = SOURCES.index(SourceChannel.STORE)
    connects = np.flatnonzero(table.kind == CONNECT)
    customer = table.customer
    first_connect = np.full(table.n_customers, -1)
    first_source = np.full(table.n_customers, -1)
    for row in connects[::-1]:  # the earliest CONNECT wins
        first_connect[customer[row]] = table.time[row]
        first_source[customer[row]] = table.source[row]
    visits = np.flatnonzero(table.kind == VISIT)
    before = visits[table.time[visits] < first_connect[customer[visits]]]
    walked = np.unique(customer[before])
    in_store = walked[first_source[walked] == store]
    assert in_store.size > 0
    for c in in_store:
        rows = before[customer[before] == c]
        lead = first_connect[c] - table.time[rows].max()
        assert 60_000_000 <= lead <= 30 * 60_000_000  # 1 to 30 minutes


def test_visitor_capture_sees_captured_and_missed_walk_ins():
    pool = generate(SynthConfig(n_customers=5_000, walk_in_rate=0.5), seed=2)
    start = END - timedelta(days=30)
    capture = visitor_capture(pool.table, start, END)
    funnel = pool_kpis(pool.table, start, END).funnel
    assert capture.captured > 0
    assert capture.lapsed > 0
    # a walk-in is a visitor outside the pool: captured, lapsed or never connected
    assert funnel.walk_ins == capture.captured + capture.lapsed + capture.never_connected
    assert funnel.captured == capture.captured
    assert 0 < funnel.capture_rate < 1


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("campaign_days", 8, r"must be at most campaign_every_days \(7\)"),
        ("campaign_lift", -0.5, "from 0 to 10"),
        ("walk_in_rate", 1.5, "from 0 to 1"),
        ("campaign_every_days", 400, "400"),
    ],
)
def test_bad_settings_name_the_field(field, value, rule):
    with pytest.raises(ValidationError, match=rule) as caught:
        SynthConfig(**{"campaign_every_days": 7, field: value})
    assert caught.value.field == field
