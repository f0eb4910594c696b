"""Every public result type shows itself: a short repr, an HTML table, text in en and zh.

A **public result type** is a class in ``custpool.__all__`` with a ``to_frame`` method (what a
function returns for a user to look at and export). Each is built here from a synthetic pool;
none is left out.
"""

from __future__ import annotations

import inspect
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

import custpool
from custpool import (
    Policy,
    channel_attribution,
    churn_causes,
    classify_table,
    display_options,
    fission,
    growth_breakdown,
    level_ltv,
    paradigm_fit,
    pool_growth,
    pool_kpis,
    pool_readiness,
    pool_value,
    relationship_levels,
    revenue_by_state,
    rfm_summary,
    score_health,
    silent_groups,
    tier_flows,
    tier_ltv,
    tier_snapshots,
    visitor_capture,
)
from custpool._display import Displayed
from custpool.synth import SynthConfig, generate

RESULT_TYPES = sorted(
    name
    for name in custpool.__all__
    if inspect.isclass(getattr(custpool, name)) and hasattr(getattr(custpool, name), "to_frame")
)

ENDS = [datetime(2025, m, 1, tzinfo=UTC) for m in (4, 7, 10)] + [datetime(2026, 1, 1, tzinfo=UTC)]
START, END = ENDS[-2], ENDS[-1]


@pytest.fixture(scope="module")
def results():
    """One instance of each result type (and of GrowthStep), from a 400-customer synthetic pool."""
    pool = generate(SynthConfig(n_customers=400, referral_rate=0.3), seed=16)
    table = pool.table
    kpis = pool_kpis(table, START, END)
    snapshots = tier_snapshots(table, Policy(), ENDS)
    report = fission(table, Policy(), START, END)
    growth = pool_growth(table, ENDS)
    built = {
        "PoolKpis": kpis,
        "UserScale": kpis.scale,
        "ActivityRate": kpis.activity,
        "ConversionRate": kpis.conversion,
        "OrderValue": kpis.order_value,
        "RepurchaseRate": kpis.repurchase,
        "NetPromoterScore": kpis.net_promoter,
        "PoolFunnel": kpis.funnel,
        "Breakdown": pool_kpis(table, START, END, by="operator"),
        "TierSnapshots": snapshots,
        "TierFlows": tier_flows(snapshots),
        "RfmSummary": rfm_summary(table, END),
        "FissionReport": report,
        "ReferralTree": report.tree,
        "ChannelAttribution": channel_attribution(table, START, END),
        "PoolGrowth": growth,
        "GrowthStep": growth.steps[-1],
        "SilentGroups": silent_groups(table, END, days=1),
        "ParadigmFit": paradigm_fit(table, END),
        "GrowthBreakdown": growth_breakdown(table, ENDS, activities=pool.activities),
        "PoolValue": pool_value(table, ENDS, ltv=tier_ltv(table, snapshots, discount_rate=0.1)),
        "VisitorCapture": visitor_capture(table, START, END),
        "ChurnCauses": churn_causes(table, START, END),
        "RelationshipLevels": relationship_levels(table, END),
        "LevelFlows": relationship_levels(table, START).flows_to(relationship_levels(table, END)),
        "PoolReadiness": pool_readiness(pool.charter, table, END),
        "CustomerTags": pool.tag_table(),
        "TierTable": classify_table(table, Policy(), END),
        "StateRevenue": revenue_by_state(table, snapshots),
        "TierLTV": tier_ltv(table, snapshots, discount_rate=0.1),
        "CodedLTV": level_ltv(table, ENDS, discount_rate=0.1),
        "HealthReport": score_health(
            table, pool.charter, END, tags=pool.tag_table(), activities=pool.activities
        ),
    }
    assert {type(value).__name__ for value in built.values()} == set(built)
    return built


class Parsed(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ARG002 - HTMLParser's signature
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def parsed(html: str) -> Parsed:
    parser = Parsed()
    parser.feed(html)
    parser.close()
    return parser


NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?%?")


def test_every_result_type_is_built_here(results):
    missing = set(RESULT_TYPES) - set(results)
    assert not missing, f"build an instance of {sorted(missing)} in results()"


@pytest.mark.parametrize("name", RESULT_TYPES)
def test_every_result_type_displays(name):
    kind = getattr(custpool, name)
    assert issubclass(kind, Displayed), name
    assert kind._report is not Displayed._report, name


SHOWN = [*RESULT_TYPES, "GrowthStep"]


@pytest.mark.parametrize("name", SHOWN)
def test_repr_is_one_short_line(results, name):
    text = repr(results[name])
    assert len(text) <= 200, (len(text), text)
    assert "\n" not in text
    assert text.startswith(f"{name}(")
    assert "array(" not in text


@pytest.mark.parametrize("name", SHOWN)
def test_repr_html_is_a_table_with_the_numbers_of_the_text(results, name):
    result = results[name]
    html = result._repr_html_()
    page = parsed(html)
    assert page.tags[0] == "table"
    assert page.tags.count("table") == 1
    assert "tr" in page.tags
    assert {"script", "style", "link"}.isdisjoint(page.tags)
    shown = " ".join(page.text)
    text = result.to_text()
    numbers = NUMBER.findall(text)
    assert numbers, text
    for number in numbers:
        assert number in shown, (number, name)


@pytest.mark.parametrize("name", SHOWN)
def test_to_text_in_chinese_and_in_another_zone(results, name):
    result = results[name]
    english, chinese = result.to_text(lang="en"), result.to_text(lang="zh")
    assert english != chinese
    assert re.search(r"[\u4e00-\u9fff]", chinese), chinese
    shanghai = result.to_text(tz="Asia/Shanghai")
    if "+00:00" in english:
        assert "+08:00" in shanghai
        assert "+00:00" not in shanghai


@pytest.mark.parametrize("name", SHOWN)
def test_str_is_a_readable_report(results, name):
    text = str(results[name])
    assert text.strip()
    assert "array(" not in text
    assert not text.startswith(f"{name}(")


@pytest.mark.parametrize("name", ["TierFlows", "TierSnapshots", "FissionReport", "RfmSummary"])
def test_a_new_str_is_the_text_with_the_options(results, name):
    result = results[name]
    assert str(result) == result.to_text()
    with display_options(lang="zh"):
        assert str(result) == result.to_text(lang="zh")


def test_long_tables_are_cut_to_max_rows(results):
    summary = results["RfmSummary"]
    assert len(summary) > 5
    with display_options(max_rows=5):
        text = summary.to_text()
    assert text.endswith(f"… {len(summary) - 5:,} more rows")
