"""Tier snapshots, flows, revenue by state and LTV as long frames (per state, money exact)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from custpool import (
    EventTable,
    TierSnapshots,
    ValidationError,
    revenue_by_state,
    tier_flows,
    tier_ltv,
)
from custpool._frames import BACKENDS
from frames_helpers import rows

ENDS = [dt.datetime(2026, m, 1, tzinfo=dt.UTC) for m in (1, 2, 3)]
# Customers x, y, z: x CONNECTED → ENGAGED → ENGAGED; y CONVERTED → CONVERTED → CHURNED;
# z CONNECTED → CONNECTED → CONNECTED.
STATES = [[1, 3, 1], [2, 3, 1], [2, 6, 1]]


@pytest.fixture(scope="module")
def snapshots():
    return TierSnapshots(ENDS, STATES, customer_ids=["x", "y", "z"])


@pytest.fixture(scope="module")
def table():
    """y buys 30.00 on Jan 10 and 12.01 on Feb 10; x buys 9.99 on Feb 20."""
    return EventTable.from_arrays(
        customer=[1, 1, 0],
        time=[np.datetime64(d, "us") for d in ("2026-01-10", "2026-02-10", "2026-02-20")],
        kind=[8, 8, 8],
        amount=[3000, 1201, 999],
        item=[0, 1, 2],
        customer_ids=["x", "y", "z"],
        currency="CNY",
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_snapshots_count_each_state_at_each_end(snapshots, backend):
    got = [r for r in rows(snapshots.to_frame(backend)) if r["customers"]]
    assert [(r["period_end"], r["state"], r["state_zh"], r["customers"]) for r in got] == [
        (ENDS[0], "connected", "浅", 2),  # x and z
        (ENDS[0], "converted", "深", 1),  # y
        (ENDS[1], "connected", "浅", 1),
        (ENDS[1], "engaged", "粘", 1),
        (ENDS[1], "converted", "深", 1),
        (ENDS[2], "connected", "浅", 1),
        (ENDS[2], "engaged", "粘", 1),
        (ENDS[2], "churned", "流失", 1),
    ]
    assert len(rows(snapshots.to_frame(backend))) == 3 * 7  # zeros included


@pytest.mark.parametrize("backend", BACKENDS)
def test_flows_are_long_per_period_and_pooled(snapshots, backend):
    got = rows(tier_flows(snapshots).to_frame(backend))
    assert len(got) == (2 + 1) * 49
    moves = [
        (r["window_end"], r["from_state"], r["to_state"], r["customers"], r["probability"])
        for r in got
        if r["customers"]
    ]
    assert moves == [
        (ENDS[1], "connected", "connected", 1, 0.5),  # z stays: 1 of the 2 connected
        (ENDS[1], "connected", "engaged", 1, 0.5),  # x engages
        (ENDS[1], "converted", "converted", 1, 1.0),
        (ENDS[2], "connected", "connected", 1, 1.0),
        (ENDS[2], "engaged", "engaged", 1, 1.0),
        (ENDS[2], "converted", "churned", 1, 1.0),
        (None, "connected", "connected", 2, 2 / 3),  # pooled: 2 of 3 connected-periods
        (None, "connected", "engaged", 1, 1 / 3),
        (None, "engaged", "engaged", 1, 1.0),
        (None, "converted", "converted", 1, 0.5),
        (None, "converted", "churned", 1, 0.5),
    ]
    pooled = [r for r in got if r["pooled"]]
    assert len(pooled) == 49
    assert all(r["window_start"] is None for r in pooled)
    # No one was an advocate at a period start: nothing measured, so null, not 0.
    assert all(r["probability"] is None for r in got if r["from_state"] == "advocate")


@pytest.mark.parametrize("backend", BACKENDS)
def test_revenue_by_state_is_exact_minor_units(table, snapshots, backend):
    got = rows(revenue_by_state(table, snapshots).to_frame(backend))
    assert len(got) == (2 + 1) * 7
    earned = [
        (
            r["window_end"],
            r["state"],
            r["customer_periods"],
            r["revenue_minor"],
            r["mean_revenue_minor"],
        )
        for r in got
        if r["revenue_minor"]
    ]
    assert earned == [
        (ENDS[1], "converted", 1, 3000, 3000),  # y converted on Jan 1, bought 30.00 in Jan
        (ENDS[2], "engaged", 1, 999, 999),  # x engaged on Feb 1, bought 9.99 in Feb
        (ENDS[2], "converted", 1, 1201, 1201),  # y converted on Feb 1
        (None, "engaged", 1, 999, 999),
        (None, "converted", 2, 4201, 2100),  # 4201 / 2 = 2100.5 → 2100 (half to even)
    ]
    assert {r["currency"] for r in got} == {"CNY"}
    dormant = next(r for r in got if r["pooled"] and r["state"] == "dormant")
    assert dormant["mean_revenue_minor"] is None  # no one was dormant: no mean


@pytest.mark.parametrize("backend", BACKENDS)
def test_ltv_is_one_row_per_state_in_minor_units(table, snapshots, backend):
    ltv = tier_ltv(table, snapshots, discount_rate=0.25, horizon=1)  # one period: v = r
    got = {r["state"]: r for r in rows(ltv.to_frame(backend))}
    assert list(got) == [
        "prospect",
        "connected",
        "engaged",
        "converted",
        "advocate",
        "dormant",
        "churned",
    ]
    assert got["converted"]["ltv_minor"] == 2100  # r = 4201 / 2 = 2100.5 → 2100
    assert got["converted"]["mean_revenue_minor"] == 2100
    assert got["connected"]["ltv_minor"] == 0  # z and x bought nothing while connected
    assert got["advocate"]["ltv_minor"] is None  # no one to measure
    assert got["engaged"]["state_zh"] == "粘"


def test_a_zone_shows_the_same_instants(snapshots):
    got = rows(tier_flows(snapshots).to_frame("pyarrow", tz="Asia/Shanghai"))[0]
    assert got["window_start"] == ENDS[0]
    assert got["window_start"].utcoffset() == dt.timedelta(hours=8)
    snap = rows(snapshots.to_frame("polars", tz="Asia/Shanghai"))[0]["period_end"]
    assert (snap, snap.hour) == (ENDS[0], 8)


def test_revenue_is_never_a_float(table, snapshots):
    schema = revenue_by_state(table, snapshots).to_frame("pyarrow").schema
    assert str(schema.field("revenue_minor").type) == "int64"
    assert str(schema.field("mean_revenue_minor").type) == "int64"


@pytest.mark.parametrize("make", ["snapshots", "flows", "revenue", "ltv"])
def test_an_unknown_backend_is_a_validation_error(table, snapshots, make):
    result = {
        "snapshots": snapshots,
        "flows": tier_flows(snapshots),
        "revenue": revenue_by_state(table, snapshots),
        "ltv": tier_ltv(table, snapshots, discount_rate=0.1),
    }[make]
    with pytest.raises(ValidationError, match="backend"):
        result.to_frame("excel")
