"""The reports of the engine's tables, lifetime value and health: hand-checked figures.

``test_display_results`` checks every result type's shape (a repr, a table, two languages);
this checks what six of them say, on inputs small enough to work out by hand.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from custpool import (
    EXAMPLE_START,
    CustomerTags,
    EventTable,
    Policy,
    TierSnapshots,
    classify_table,
    coded_ltv,
    display_options,
    example_pool,
    score_health,
    tier_ltv,
)

ENDS = [datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)]


@pytest.fixture(scope="module")
def buyer_table():
    # customer "a" buys for 50.00 CNY on Jan 15 (kind 8: purchase); "b" does nothing
    return EventTable.from_arrays(
        [0],
        [np.datetime64("2026-01-15")],
        [8],
        amount=[5000],
        item=[0],
        customer_ids=["a", "b"],
        currency="CNY",
    )


def lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


def test_tier_ltv_report(buyer_table):
    # a stays converted, b stays churned; δ = 1 / 1.25 = 0.8, so converted's LTV is
    # 50.00 / (1 − 0.8) = 250.00 CNY; churned earns nothing; no one started in advocate: n/a.
    ltv = tier_ltv(buyer_table, TierSnapshots(ENDS, [[3, 6], [3, 6]]), discount_rate=0.25)
    shown = lines(ltv.to_text())
    assert shown[0] == "lifetime value by starting state, discount 0.25 a period, no horizon"
    assert "converted 250.00 CNY 50.00 CNY 1" in shown
    assert "churned 0.00 CNY 0.00 CNY 1" in shown
    assert "advocate n/a n/a 0" in shown
    assert str(ltv) == ltv.to_text()
    assert repr(ltv) == (
        "TierLTV(discount_rate=0.25, horizon=None, 1 period from 2026-01-01T00:00:00+00:00 "
        "to 2026-02-01T00:00:00+00:00)"
    )
    chinese = lines(ltv.to_text(lang="zh"))
    assert chinese[0] == "按起始状态的终身价值（每期折现率 0.25，不限期）"
    assert "深 250.00 CNY 50.00 CNY 1" in chinese
    assert "铁 无 无 0" in chinese


def test_state_revenue_report(buyer_table):
    revenue = tier_ltv(
        buyer_table, TierSnapshots(ENDS, [[3, 6], [3, 6]]), discount_rate=0.25
    ).revenue
    shown = lines(revenue.to_text(tz="Asia/Shanghai"))
    assert shown[0] == (
        "net revenue by starting state over 1 period "
        "(2026-01-01 08:00+08:00, 2026-02-01 08:00+08:00]"
    )
    assert "converted 1 50.00 CNY 50.00 CNY" in shown  # 5000 fen over 1 customer-period
    assert "advocate 0 0.00 CNY n/a" in shown  # no one started there: no mean
    assert repr(revenue).endswith("net revenue 50.00 CNY)")


def test_coded_ltv_keeps_its_str_and_gains_a_report(buyer_table):
    # three periods of 50.00 undiscounted for a buyer who stays one: 150.00 CNY
    ltv = coded_ltv(
        buyer_table, ENDS, [[1, 0], [1, 0]], ("idle", "buyer"), discount_rate=0, horizon=3
    )
    assert str(ltv).splitlines()[1] == (
        "  idle: LTV 0.00 CNY; 0.00 CNY per customer-period (1 customer-periods)"
    )
    shown = lines(ltv.to_text())
    assert shown[0] == "lifetime value by starting state, discount 0 a period, horizon 3 periods"
    assert "buyer 150.00 CNY 50.00 CNY 1" in shown
    assert repr(ltv) == "CodedLTV(idle=0, buyer=15000)"


def test_coded_ltv_repr_stays_short_with_many_codes(buyer_table):
    labels = tuple(f"level-{k:02d}" for k in range(40))
    ltv = coded_ltv(buyer_table, ENDS, [[1, 0], [1, 0]], labels, discount_rate=0, horizon=3)
    text = repr(ltv)
    assert len(text) <= 200
    assert text.endswith(", …)")
    assert text.startswith("CodedLTV(level-00=0, level-01=15000, ")


def test_customer_tags_report():
    tags = CustomerTags.from_matrix([[1, 0], [1, 1], [1, 0]], ["a", "b"], ["x", "y", "z"])
    shown = lines(tags.to_text())
    # a: 3 of 3 = 100.0%; b: 1 of 3 = 33.3%
    assert shown == [
        "customer tags: 3 customers, 2 tags",
        "tag customers share",
        "a 3 100.0%",
        "b 1 33.3%",
    ]
    assert lines(tags.to_text(lang="zh"))[0] == "客户标签：3 位客户，2 个标签"
    with display_options(max_rows=1):
        assert str(tags).endswith("… 1 more rows")


def test_tier_table_report():
    table = EventTable.from_interactions(example_pool().interactions)
    tiers = classify_table(table, Policy(), EXAMPLE_START.replace(day=25))
    shown = lines(tiers.to_text())
    assert shown[0] == "tiers at 2026-01-25 02:00+00:00 (nurture_first): 6 customers"
    # counts: connected 2, engaged 1, converted 1, advocate 1, churned 1 (6 in all)
    assert "connected 2 33.3%" in shown  # 2 / 6
    assert "engaged 1 16.7%" in shown  # 1 / 6
    assert "prospect 0 0.0%" in shown
    assert str(tiers) == tiers.to_text()


def test_health_report_keeps_its_str_and_gains_a_report():
    pool = example_pool()
    table = EventTable.from_interactions(pool.interactions)
    report = score_health(table, pool.charter, EXAMPLE_START.replace(day=29))
    assert str(report).splitlines()[0] == "Health at 2026-01-29: 75.2 (at_risk 有风险), 5 members"
    assert repr(report) == (
        "HealthReport(as_of=2026-01-29T02:00:00+00:00, overall=75.2, band=at_risk, "
        "copy=not_ready, 5 members)"
    )
    shown = lines(report.to_text())
    assert shown[:3] == [
        "health at 2026-01-29 02:00+00:00",
        "overall: 75.2 (at risk)",
        "members: 5",
    ]
    assert "copy: not ready" in shown
    assert "structure 87.1 1.00" in shown
    first = report.recommendations[0]
    assert f"{first.measure.value} +{first.points:.1f} {first.advice}" in shown
    chinese = lines(report.to_text(lang="zh"))
    assert "总分: 75.2 （有风险）" in chinese
    assert "复制: 尚未就绪" in chinese
