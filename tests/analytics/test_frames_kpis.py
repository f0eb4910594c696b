"""KPI results as tidy frames: window_start, window_end, kpi, value, numerator, denominator."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from custpool import (
    EventTable,
    ValidationError,
    activity_rate,
    average_order_value,
    conversion_rate,
    net_promoter_score,
    pool_funnel,
    pool_kpis,
    repurchase_rate,
    user_scale,
)
from custpool._frames import BACKENDS
from frames_helpers import rows

MAR1 = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
APR1 = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
CONNECT, STORE_VISIT, PURCHASE, REFUND, NPS = 0, 7, 8, 9, 11


def at(month, day):
    return np.datetime64(f"2026-{month:02d}-{day:02d}T12:00", "us")


@pytest.fixture(scope="module")
def table():
    """a: connected Feb 1, buys 10.00 and 20.01, answers NPS 10; b: connects Mar 2, visits
    the store, answers 3; c: never connected, buys 5.00 and is refunded 5.00."""
    return EventTable.from_arrays(
        customer=[0, 0, 0, 0, 1, 1, 1, 2, 2],
        time=[at(2, 1), *(at(3, d) for d in (5, 10, 20, 2, 3, 4, 6, 7))],
        kind=[CONNECT, PURCHASE, PURCHASE, NPS, CONNECT, STORE_VISIT, NPS, PURCHASE, REFUND],
        direction=[0] * 9,  # all inbound: made by the customer
        amount=[0, 1000, 2001, 0, 0, 0, 0, 500, 500],
        score=[-1, -1, -1, 10, -1, -1, 3, -1, -1],
        item=[-1, 0, 1, -1, -1, -1, -1, 2, 2],  # the refund is of order 2
        customer_ids=["a", "b", "c"],
        currency="CNY",
    )


# kpi: (value, value_minor, numerator, denominator), worked out by hand for (Mar 1, Apr 1].
EXPECTED = {
    "user_scale": (2.0, None, None, None),  # a and b connected on Apr 1
    "connected_at_start": (1.0, None, None, None),  # a only
    "net_change": (1.0, None, None, None),  # 2 - 1
    "connects": (1.0, None, None, None),  # b's
    "connecting_customers": (1.0, None, None, None),
    "new_customers": (1.0, None, None, None),
    "churns": (0.0, None, None, None),
    "churning_customers": (0.0, None, None, None),
    "activity_rate": (1.0, None, 2, 2),  # a bought, b visited: 2 of 2
    "conversion_rate": (0.5, None, 1, 2),  # a bought (c is not in the pool): 1 / 2
    "purchases": (3.0, None, None, None),  # a twice, c once
    "purchase_amount": (None, 3501, None, None),  # 1000 + 2001 + 500 fen
    "average_order_value": (None, 1167, 3501, 3),  # 3501 / 3 = 1167 exactly
    "refunds": (1.0, None, None, None),
    "refund_amount": (None, 500, None, None),
    "net_amount": (None, 3001, None, None),  # 3501 - 500
    "net_average_order_value": (None, 1000, 3001, 3),  # 3001 / 3 = 1000.33 → 1000
    "repurchase_rate": (0.5, None, 1, 2),  # a of the buyers a and c
    "nps": (0.0, None, 0, 2),  # 100 * (1 promoter - 1 detractor) / 2
    "promoter_share": (0.5, None, 1, 2),
    "passive_share": (0.0, None, 0, 2),
    "detractor_share": (0.5, None, 1, 2),
    "visits": (1.0, None, None, None),  # b's store visit
    "visit_rate": (0.5, None, 1, 2),  # b of the pool a, b
    "deal_rate": (0.0, None, 0, 1),  # b did not buy
    "pool_to_deal_rate": (0.0, None, 0, 2),
    "walk_ins": (0.0, None, None, None),  # b visited on Mar 3, connected since Mar 2: no walk-in
    "capture_rate": (None, None, 0, 0),  # 0 captured of 0 walk-ins: a share of nobody
}
MONEY = {"purchase_amount", "average_order_value", "refund_amount", "net_amount"}
MONEY |= {"net_average_order_value"}


def test_the_pool_kpis_frame_is_hand_checked(table):
    got = rows(pool_kpis(table, MAR1, APR1).to_frame("pyarrow"))
    assert [r["kpi"] for r in got] == list(EXPECTED)
    for r in got:
        shown = (r["value"], r["value_minor"], r["numerator"], r["denominator"])
        assert shown == EXPECTED[r["kpi"]], r["kpi"]
        assert r["currency"] == ("CNY" if r["kpi"] in MONEY else None)
        assert (r["window_start"], r["window_end"]) == (MAR1, APR1)
    zh = {r["kpi"]: r["kpi_zh"] for r in got}
    assert (zh["user_scale"], zh["nps"], zh["average_order_value"]) == (
        "规模用户",
        "净推荐值",
        "客单价",
    )
    assert zh["churns"] is None


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_backend_gives_the_same_rows(table, backend):
    got = rows(pool_kpis(table, MAR1, APR1).to_frame(backend))
    for r in got:
        shown = (r["value"], r["value_minor"], r["numerator"], r["denominator"])
        assert shown == EXPECTED[r["kpi"]], (backend, r["kpi"])
        assert r["window_end"] == APR1


@pytest.mark.parametrize(
    ("compute", "kpis"),
    [
        (user_scale, list(EXPECTED)[:8]),
        (activity_rate, ["activity_rate"]),
        (conversion_rate, ["conversion_rate"]),
        (average_order_value, list(EXPECTED)[10:17]),
        (repurchase_rate, ["repurchase_rate"]),
        (net_promoter_score, ["nps", "promoter_share", "passive_share", "detractor_share"]),
        (
            pool_funnel,
            ["visits", "visit_rate", "deal_rate", "pool_to_deal_rate", "walk_ins", "capture_rate"],
        ),
    ],
)
def test_each_kpi_gives_its_rows_of_the_pool_kpis_frame(table, compute, kpis):
    got = rows(compute(table, MAR1, APR1).to_frame("polars"))
    assert [r["kpi"] for r in got] == kpis
    assert [r["numerator"] for r in got] == [EXPECTED[k][2] for k in kpis]


def test_a_zone_shows_the_same_instants(table):
    got = rows(activity_rate(table, MAR1, APR1).to_frame("pyarrow", tz="Asia/Shanghai"))[0]
    assert got["window_end"] == APR1  # the same instant …
    assert got["window_end"].utcoffset() == dt.timedelta(hours=8)  # … shown at 08:00 +08:00
    assert got["window_end"].hour == 8


def test_a_share_of_nobody_is_null_not_zero(table):
    empty = (dt.datetime(2026, 5, 1, tzinfo=dt.UTC), dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    got = {r["kpi"]: r for r in rows(pool_kpis(table, *empty).to_frame("pyarrow"))}
    assert got["repurchase_rate"]["value"] is None  # nobody bought in May
    assert got["average_order_value"]["value_minor"] is None
    assert got["average_order_value"]["denominator"] == 0


def test_money_is_never_a_float(table):
    frame = average_order_value(table, MAR1, APR1).to_frame("pyarrow")
    assert str(frame.schema.field("value_minor").type) == "int64"
    assert str(frame.schema.field("numerator").type) == "int64"


@pytest.mark.parametrize("backend", ["numpy", "Pandas", ""])
def test_an_unknown_backend_is_a_validation_error(table, backend):
    with pytest.raises(ValidationError, match="backend"):
        pool_kpis(table, MAR1, APR1).to_frame(backend)
