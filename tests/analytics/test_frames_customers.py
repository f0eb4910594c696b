"""Per-customer and per-channel frames: RFM, referral tree, fission, channel attribution."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from custpool import (
    EventTable,
    Policy,
    ValidationError,
    channel_attribution,
    fission,
    referral_tree,
    rfm_summary,
)
from custpool._frames import BACKENDS
from frames_helpers import rows

CONNECT, PURCHASE, REFUND, REFERRAL = 0, 8, 9, 10
STORE, REFERRED = 0, 7  # source codes
MAR1 = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
APR1 = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)


def at(day):
    return np.datetime64(f"2026-03-{day:02d}T12:00", "us")


@pytest.fixture(scope="module")
def table():
    """a connects in store on Feb 1 (outside the window), buys 10.00 on Mar 2 and Mar 4 and
    refers b on Mar 3; b connects by referral on Mar 5 and buys 7.50; p never connects and
    buys 2.00, refunded."""
    feb1 = np.datetime64("2026-02-01T12:00", "us")
    return EventTable.from_arrays(
        customer=[0, 0, 0, 0, 1, 1, 2, 2],
        time=[feb1, at(2), at(3), at(4), at(5), at(6), at(7), at(8)],
        kind=[CONNECT, PURCHASE, REFERRAL, PURCHASE, CONNECT, PURCHASE, PURCHASE, REFUND],
        direction=[0] * 8,
        source=[STORE, -1, -1, -1, REFERRED, -1, -1, -1],
        referred=[-1, -1, 1, -1, -1, -1, -1, -1],
        amount=[0, 1000, 0, 1000, 0, 750, 200, 200],
        item=[-1, 0, -1, 1, -1, 2, 3, 3],
        customer_ids=["a", "b", "p"],
        currency="CNY",
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_rfm_has_every_documented_column(table, backend):
    got = rows(rfm_summary(table, dt.datetime(2026, 3, 9, tzinfo=dt.UTC)).to_frame(backend))
    assert list(got[0]) == [
        "customer_id",
        "frequency",
        "recency",
        "T",
        "monetary_value",
        "monetary_total_minor",
        "currency",
    ]
    # a: days 2 and 4 → frequency 1, recency 4 - 2 = 2, T 9 - 2 = 7, the repeat day's 10.00.
    # b: day 6 only → 0, 0, 9 - 6 = 3, 0. p: day 7 → 0, 0, 2, 0 (refunds are not read).
    assert [tuple(r.values()) for r in got] == [
        ("a", 1.0, 2.0, 7.0, 10.0, 1000, "CNY"),
        ("b", 0.0, 0.0, 3.0, 0.0, 0, "CNY"),
        ("p", 0.0, 0.0, 2.0, 0.0, 0, "CNY"),
    ]


def test_rfm_ids_are_strings_even_when_numbered():
    numbered = EventTable.from_arrays(
        [0, 1], [at(1), at(2)], [PURCHASE] * 2, amount=[100, 200], item=[0, 1], currency="CNY"
    )
    frame = rfm_summary(numbered, dt.datetime(2026, 3, 9, tzinfo=dt.UTC)).to_frame("pyarrow")
    assert frame.column("customer_id").to_pylist() == ["0", "1"]
    assert str(frame.schema.field("monetary_total_minor").type) == "int64"


@pytest.mark.parametrize("backend", BACKENDS)
def test_referral_tree_is_one_row_per_customer(table, backend):
    got = rows(referral_tree(table, APR1).to_frame(backend))
    assert [(r["customer_id"], r["referrer_id"], r["generation"]) for r in got] == [
        ("a", None, 0),
        ("b", "a", 1),  # a referred b on Mar 3
        ("p", None, 0),
    ]
    assert {r["as_of"] for r in got} == {APR1}


@pytest.mark.parametrize("backend", BACKENDS)
def test_fission_columns_sum_to_the_report(table, backend):
    report = fission(table, Policy(), MAR1, APR1)
    got = rows(report.to_frame(backend))
    assert [r["customer_id"] for r in got] == ["a", "b", "p"]
    assert [r["referrer_id"] for r in got] == [None, "a", None]
    assert [int(r["referrals"]) for r in got] == [1, 0, 0]  # a's REFERRAL row of Mar 3
    assert [bool(r["referred"]) for r in got] == [False, True, False]
    assert [bool(r["connected_at_start"]) for r in got] == [True, False, False]  # a since Feb
    assert [bool(r["new_by_referral"]) for r in got] == [False, True, False]
    # The K-factor is new by referral over connected at the start: 1 / 1.
    assert sum(r["new_by_referral"] for r in got) / sum(r["connected_at_start"] for r in got) == (
        report.k_factor
    )
    assert sum(r["advocate"] for r in got) == report.advocates
    assert {(r["window_start"], r["window_end"]) for r in got} == {(MAR1, APR1)}


@pytest.mark.parametrize("backend", BACKENDS)
def test_channels_and_the_unattributed_sum_to_the_window(table, backend):
    report = channel_attribution(table, MAR1, APR1)
    got = rows(report.to_frame(backend))
    assert len(got) == 19 + 1  # one row per SourceChannel (19 with the marketplaces), then None
    by = {r["source"]: r for r in got}
    store, referral, none = by["store"], by["referral"], by[None]
    # store: a (connected before the window), bought twice: 10.00 + 10.00.
    assert (store["source_zh"], store["customers"], store["new_customers"]) == ("门店", 1, 0)
    assert (store["converted"], store["purchases"], store["revenue_minor"]) == (1, 2, 2000)
    assert store["conversion_rate"] == 1.0
    # referral: b, new in the window, bought 7.50.
    assert (referral["customers"], referral["new_customers"], referral["connections"]) == (1, 1, 1)
    assert referral["revenue_minor"] == 750
    # p never connected: unattributed, bought 2.00 and was refunded 2.00.
    assert (none["customers"], none["converted"], none["purchases"]) == (1, 1, 1)
    assert (none["revenue_minor"], none["refunded_minor"]) == (200, 200)
    assert sum(r["revenue_minor"] for r in got) == report.revenue.minor_units == 2950
    assert by["phone"]["conversion_rate"] is None  # no customer: not measured


def test_a_zone_shows_the_same_instants(table):
    got = rows(fission(table, Policy(), MAR1, APR1).to_frame("polars", tz="Asia/Shanghai"))
    assert got[0]["window_start"] == MAR1
    assert got[0]["window_start"].utcoffset() == dt.timedelta(hours=8)
    tree = rows(referral_tree(table, APR1).to_frame("pandas", tz="Asia/Shanghai"))
    assert tree[0]["as_of"] == APR1
    assert tree[0]["as_of"].hour == 8


@pytest.mark.parametrize("make", ["rfm", "tree", "fission", "channels"])
def test_an_unknown_backend_is_a_validation_error(table, make):
    result = {
        "rfm": lambda: rfm_summary(table, APR1),
        "tree": lambda: referral_tree(table, APR1),
        "fission": lambda: fission(table, Policy(), MAR1, APR1),
        "channels": lambda: channel_attribution(table, MAR1, APR1),
    }[make]()
    with pytest.raises(ValidationError, match="backend"):
        result.to_frame("duckdb")
