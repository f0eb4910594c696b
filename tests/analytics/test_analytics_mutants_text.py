"""The analytics results' text and repr, pinned line by line (tools/mutate.py analytics).

The display tests (tests/display) check that every result shows itself — a short repr, an HTML
table, text in English and Chinese — but not what it says: 1,400 one-token changes to the
analytics' ``_report`` methods (a row left out, a label emptied, a figure swapped) went through
them. Here each analytics result of the example pool (docs: the six customers of January 2026)
is rendered in both languages and compared with its text, line by line (trailing spaces aside).

The texts were read against the pool, and the figures the lines carry are checked by hand in
``test_the_pinned_figures_are_the_example_pools``: a change of layout means updating them here,
a change of a figure means a bug.

An RFM summary whose total spend is beyond Money shows the total as minor units of its currency
(``test_an_rfm_total_beyond_money_is_shown_in_minor_units_of_its_currency``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from custpool import (
    EventTable,
    GrowthStep,
    Interaction,
    KpiChange,
    Money,
    Policy,
    State,
    TierSnapshots,
    Window,
    average_order_value,
    channel_attribution,
    display_options,
    example_pool,
    fission,
    level_ltv,
    net_promoter_score,
    paradigm_fit,
    pool_growth,
    pool_kpis,
    revenue_by_state,
    rfm_summary,
    silent_groups,
    tier_flows,
    tier_ltv,
    tier_snapshots,
)
from custpool._time import to_micros
from custpool.synth import SynthConfig, generate

ENDS = [datetime(2026, 1, day, tzinfo=UTC) for day in (1, 15, 29)]
START, END = ENDS[0], ENDS[-1]


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    """Each analytics result of the example pool, over January 1-29 (and its two halves)."""
    table = EventTable.from_interactions(example_pool().interactions)
    kpis = pool_kpis(table, START, END)
    snapshots = tier_snapshots(table, Policy(), ENDS)
    report = fission(table, Policy(), START, END)
    growth = pool_growth(table, ENDS)
    return {
        "PoolKpis": kpis,
        "UserScale": kpis.scale,
        "ActivityRate": kpis.activity,
        "ConversionRate": kpis.conversion,
        "OrderValue": kpis.order_value,
        "RepurchaseRate": kpis.repurchase,
        "NetPromoterScore": kpis.net_promoter,
        "PoolFunnel": kpis.funnel,
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
        "StateRevenue": revenue_by_state(table, snapshots),
        "TierLTV": tier_ltv(table, snapshots, discount_rate=0.1),
        "CodedLTV": level_ltv(table, ENDS, discount_rate=0.1),
    }


def shown(result: Any) -> list[str]:
    """The repr, then the English text, then the Chinese text, as lines without trailing spaces."""
    text = [repr(result), "--- en", result.to_text("en"), "--- zh", result.to_text("zh")]
    return [line.rstrip() for line in "\n".join(text).splitlines()]


@pytest.mark.parametrize(
    "name",
    sorted(
        [
            "PoolKpis",
            "UserScale",
            "ActivityRate",
            "ConversionRate",
            "OrderValue",
            "RepurchaseRate",
            "NetPromoterScore",
            "PoolFunnel",
            "TierSnapshots",
            "TierFlows",
            "RfmSummary",
            "FissionReport",
            "ReferralTree",
            "ChannelAttribution",
            "PoolGrowth",
            "GrowthStep",
            "SilentGroups",
            "ParadigmFit",
            "StateRevenue",
            "TierLTV",
            "CodedLTV",
        ]
    ),
)
def test_each_result_says_what_it_said(results, name):
    assert type(results[name]).__name__ == name
    assert shown(results[name]) == list(TEXTS[name])


def test_the_pinned_figures_are_the_example_pools(results):
    scale, value = results["UserScale"], results["OrderValue"]
    # 6 connects in January, 1 churn (c-004): 6 - 1 = 5 connected on the 29th, from 0.
    assert (scale.connects, scale.churns, scale.connected, scale.net_change) == (6, 1, 5, 5)
    # Purchases 38.00 + 128.00 + 45.00 = 211.00 CNY over 3: 70.33; net of the 45.00 refund,
    # 166.00 / 3 = 55.33.
    assert str(value.purchase_amount) == "211.00 CNY"
    assert (str(value.average), str(value.net_average)) == ("70.33 CNY", "55.33 CNY")
    # Funnel: 1 visitor of 5 in the pool = 20.0%, no deal.
    assert results["PoolFunnel"].visit_rate == 1 / 5
    # Referral connections: 2 of 6 = 33.3%.
    assert results["FissionReport"].referral_share == 2 / 6


# -- the same, in the cases the example pool over January does not meet ---------------------------
# A step that falls, or has no change; a horizon; a paradigm that fits better; periods of half a
# day; tables cut by display.max_rows; sums beyond Money; windows with no amounts, no purchases or
# no answers; the 400-customer synthetic pool of tests/display (seed 16) for a K-factor and rising
# repurchase rates.


def example() -> EventTable:
    return EventTable.from_interactions(example_pool().interactions)


def synthetic() -> EventTable:
    return generate(SynthConfig(n_customers=400, referral_rate=0.3), seed=16).table


QUARTERS = [datetime(2025, m, 1, tzinfo=UTC) for m in (4, 7, 10)] + [
    datetime(2026, 1, 1, tzinfo=UTC)
]
HALVES = [datetime(2026, 1, d, tzinfo=UTC) for d in (1, 15)] + [
    datetime(2026, m, 1, tzinfo=UTC) for m in (2, 3)
]


def kwd_purchases(count: int) -> EventTable:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return EventTable.from_interactions(
        [
            Interaction(
                id=f"p{n}",
                customer_id="c-1",
                at=start + timedelta(days=n + 1),
                kind="purchase",
                channel="store",
                order_id=f"o{n}",
                amount={"amount": "999999999999999.999", "currency": "KWD"},
            )
            for n in range(count)
        ]
    )


def falling_step() -> GrowthStep:
    cny = lambda a: Money(amount=a, currency="CNY")  # noqa: E731
    first = Window(HALVES[0], HALVES[1])
    return GrowthStep(
        previous=first,
        window=Window(HALVES[1], HALVES[2]),
        user_scale=KpiChange(5, 3, -2, improving=False),
        repurchase_rate=KpiChange(0.5, None, None, None),
        average_order_value=KpiChange(cny("80.00"), cny("60.00"), cny("-20.00"), improving=False),
    )


def two_groups() -> EventTable:
    day = 86_400_000_000
    start = to_micros(HALVES[0])
    return EventTable.from_arrays(
        customer=[0, 0, 0],
        time=[start, start, start + day],
        kind=[0, 3, 2],
        direction=[0, 1, 0],
        source=[0, -1, -1],
        group=[-1, 0, 1],
        group_ids=["g-a", "g-b"],
    )


def scenarios() -> dict[str, Any]:
    """Each case: the result and the display options it is shown with."""
    table, synth = example(), synthetic()
    end = datetime(2026, 1, 29, tzinfo=UTC)
    nobody = EventTable.from_interactions(example_pool().interactions[:1])
    return {
        "falling step": (falling_step(), {}),
        "growth over quarters": (pool_growth(synth, QUARTERS), {}),
        "fission with a K-factor": (fission(synth, Policy(), QUARTERS[-2], QUARTERS[-1]), {}),
        "tier LTV with a horizon": (
            tier_ltv(table, tier_snapshots(table, Policy(), HALVES), discount_rate=0.1, horizon=12),
            {},
        ),
        "convert first fits": (paradigm_fit(table, HALVES[1]), {}),
        "RFM over half days": (rfm_summary(table, end, period=timedelta(hours=12)), {}),
        "RFM cut to two rows": (rfm_summary(synth, QUARTERS[-1]), {"max_rows": 2}),
        "silent groups cut to one row": (
            silent_groups(two_groups(), HALVES[0] + timedelta(days=10)),
            {"max_rows": 1},
        ),
        "revenue beyond Money": (
            revenue_by_state(kwd_purchases(4), TierSnapshots(HALVES[:2], [[3], [3]])),
            {},
        ),
        "channels without amounts": (channel_attribution(nobody, HALVES[0], HALVES[1]), {}),
        "order value without purchases": (average_order_value(table, HALVES[2], HALVES[3]), {}),
        "NPS without answers": (net_promoter_score(table, HALVES[2], HALVES[3]), {}),
    }


@pytest.fixture(scope="module")
def cases() -> dict[str, tuple[Any, dict[str, Any]]]:
    return scenarios()


def shown_with(result: Any, options: dict[str, Any]) -> list[str]:
    """:func:`shown`, with the display options of the case."""
    with display_options(**options):
        return shown(result)


@pytest.mark.parametrize(
    "name",
    [
        "falling step",
        "growth over quarters",
        "fission with a K-factor",
        "tier LTV with a horizon",
        "convert first fits",
        "RFM over half days",
        "RFM cut to two rows",
        "silent groups cut to one row",
        "revenue beyond Money",
        "channels without amounts",
        "order value without purchases",
        "NPS without answers",
    ],
)
def test_each_case_says_what_it_said(cases, name):
    assert shown_with(*cases[name]) == list(CASE_TEXTS[name])


def test_the_cases_figures_by_hand(cases):
    step = cases["falling step"][0]
    assert step.improving == (False, None, False)  # 5 → 3 customers, 80.00 → 60.00 CNY
    # 8 customer-periods at 4.75 CNY: 38.00 CNY bought by c-001 on January 5, over 8 = 4.75.
    ltv = cases["tier LTV with a horizon"][0]
    assert ltv.revenue.total(State.PROSPECT) == 3800
    # Four purchases of 10**18 - 1 fils: 4 * 10**18 - 4 fils is more than Money holds, so the
    # text shows it in minor units (rounded to 4,000,000,000,000,000,000 by the float display).
    revenue = cases["revenue beyond Money"][0]
    assert revenue.total(State.CONVERTED) == 4 * 10**18 - 4


TEXTS: dict[str, tuple[str, ...]] = {
    "PoolKpis": (
        "PoolKpis(user_scale=5, activity=100.0%, conversion=40.0%, nps=0.0, (2026-01-01T00:00:00+00:00, 2026-01-29T00:00:00+00:00])",  # noqa: E501
        "--- en",
        "pool KPIs (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  user scale: 5 (net +5)",
        "  activity rate: 100.0% (5 of 5)",
        "  conversion rate: 40.0% (2 of 5)",
        "  average order value: 70.33 CNY (3 purchases)",
        "  repurchase rate: 50.0% (1 of 2)",
        "  NPS: +0.0 (2 respondents)",
        "  funnel: 5 → 1 → 0",
        "--- zh",
        "客户池指标 (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  规模用户: 5 (净增 +5)",
        "  活跃度: 100.0% (5 / 5)",
        "  转化率: 40.0% (2 / 5)",
        "  客单价: 70.33 CNY (3 购买次数)",
        "  复购率: 50.0% (1 / 2)",
        "  净推荐值: +0.0 (2 受访者)",
        "  客户池 → 上门 → 成交: 5 → 1 → 0",
    ),
    "UserScale": (
        "UserScale(5 connected, net +5, (2026-01-01T00:00:00+00:00, 2026-01-29T00:00:00+00:00])",
        "--- en",
        "user scale (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  connected: 5",
        "  connected at start: 0",
        "  net change: +5",
        "  connects: 6",
        "  connecting customers: 6",
        "  new customers: 6",
        "  churns: 1",
        "  churning customers: 1",
        "--- zh",
        "规模用户 (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  已连接: 5",
        "  期初已连接: 0",
        "  净变化: +5",
        "  连接次数: 6",
        "  连接客户: 6",
        "  新客户: 6",
        "  流失次数: 1",
        "  流失客户: 1",
    ),
    "ActivityRate": (
        "ActivityRate(100.0%, 5 of 5, (2026-01-01T00:00:00+00:00, 2026-01-29T00:00:00+00:00])",
        "--- en",
        "activity rate (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  activity rate: 100.0%",
        "  active: 5",
        "  connected: 5",
        "--- zh",
        "活跃度 (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  活跃度: 100.0%",
        "  活跃客户: 5",
        "  已连接: 5",
    ),
    "ConversionRate": (
        "ConversionRate(40.0%, 2 of 5, (2026-01-01T00:00:00+00:00, 2026-01-29T00:00:00+00:00])",
        "--- en",
        "conversion rate (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  conversion rate: 40.0%",
        "  converted: 2",
        "  connected: 5",
        "--- zh",
        "转化率 (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  转化率: 40.0%",
        "  已转化: 2",
        "  已连接: 5",
    ),
    "OrderValue": (
        "OrderValue(70.33 CNY, 3 purchases, (2026-01-01T00:00:00+00:00, 2026-01-29T00:00:00+00:00])",  # noqa: E501
        "--- en",
        "average order value (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  average order value: 70.33 CNY",
        "  purchases: 3",
        "  purchase amount: 211.00 CNY",
        "  refunds: 1",
        "  refund amount: 45.00 CNY",
        "  net amount: 166.00 CNY",
        "  net average order value: 55.33 CNY",
        "--- zh",
        "客单价 (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  客单价: 70.33 CNY",
        "  购买次数: 3",
        "  购买金额: 211.00 CNY",
        "  退款次数: 1",
        "  退款金额: 45.00 CNY",
        "  净额: 166.00 CNY",
        "  净客单价: 55.33 CNY",
    ),
    "RepurchaseRate": (
        "RepurchaseRate(50.0%, 1 of 2, (2026-01-01T00:00:00+00:00, 2026-01-29T00:00:00+00:00])",
        "--- en",
        "repurchase rate (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  repurchase rate: 50.0%",
        "  repeat buyers: 1",
        "  buyers: 2",
        "--- zh",
        "复购率 (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  复购率: 50.0%",
        "  复购客户: 1",
        "  购买客户: 2",
    ),
    "NetPromoterScore": (
        "NetPromoterScore(+0.0, 2 respondents, (2026-01-01T00:00:00+00:00, 2026-01-29T00:00:00+00:00])",  # noqa: E501
        "--- en",
        "NPS (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  NPS: +0.0",
        "  respondents: 2",
        "  promoters: 1",
        "  passives: 0",
        "  detractors: 1",
        "--- zh",
        "净推荐值 (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  净推荐值: +0.0",
        "  受访者: 2",
        "  推荐者: 1",
        "  中立者: 0",
        "  贬损者: 1",
    ),
    "PoolFunnel": (
        "PoolFunnel(5 → 1 → 0, (2026-01-01T00:00:00+00:00, 2026-01-29T00:00:00+00:00])",
        "--- en",
        "funnel (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  pool: 5",
        "  visitors: 1",
        "  deals: 0",
        "  visits: 1",
        "  visit rate: 20.0%",
        "  deal rate: 0.0%",
        "  pool to deal: 0.0%",
        "  walk-ins from outside the pool: 0",
        "  captured: 0",
        "  capture rate: n/a",
        "--- zh",
        "客户池 → 上门 → 成交 (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  客户池: 5",
        "  上门客户: 1",
        "  成交客户: 0",
        "  上门量: 1",
        "  上门率: 20.0%",
        "  成交率: 0.0%",
        "  客户池成交率: 0.0%",
        "  池外到店客户: 0",
        "  已留资: 0",
        "  留资率: 无",
    ),
    "TierSnapshots": (
        "TierSnapshots(3 period ends from 2026-01-01T00:00:00+00:00 to 2026-01-29T00:00:00+00:00, 6 customers)",  # noqa: E501
        "--- en",
        "tier snapshots: 6 customers",
        "  period end              prospect  connected  engaged  converted  advocate  dormant  churned",  # noqa: E501
        "  2026-01-01 00:00+00:00         6          0        0          0         0        0        0",  # noqa: E501
        "  2026-01-15 00:00+00:00         2          2        1          1         0        0        0",  # noqa: E501
        "  2026-01-29 00:00+00:00         0          2        1          1         1        0        1",  # noqa: E501
        "--- zh",
        "层级快照： 6 位客户",
        "  期末                    潜在  浅  粘  深  铁  沉睡  流失",
        "  2026-01-01 00:00+00:00     6   0   0   0   0     0     0",
        "  2026-01-15 00:00+00:00     2   2   1   1   0     0     0",
        "  2026-01-29 00:00+00:00     0   2   1   1   1     0     1",
    ),
    "TierFlows": (
        "TierFlows(2 periods from 2026-01-01T00:00:00+00:00 to 2026-01-29T00:00:00+00:00, 8 moves)",
        "--- en",
        "tier flows over 2 periods (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  customers moved (pooled):",
        "    from \\ to  prospect  connected  engaged  converted  advocate  dormant  churned",
        "    prospect          2          3        1          2         0        0        0",
        "    connected         0          1        0          0         0        0        1",
        "    engaged           0          0        1          0         0        0        0",
        "    converted         0          0        0          0         1        0        0",
        "    advocate          0          0        0          0         0        0        0",
        "    dormant           0          0        0          0         0        0        0",
        "    churned           0          0        0          0         0        0        0",
        "  one-period probability:",
        "    from \\ to  prospect  connected  engaged  converted  advocate  dormant  churned",
        "    prospect      25.0%      37.5%    12.5%      25.0%      0.0%     0.0%     0.0%",
        "    connected      0.0%      50.0%     0.0%       0.0%      0.0%     0.0%    50.0%",
        "    engaged        0.0%       0.0%   100.0%       0.0%      0.0%     0.0%     0.0%",
        "    converted      0.0%       0.0%     0.0%       0.0%    100.0%     0.0%     0.0%",
        "    advocate        n/a        n/a      n/a        n/a       n/a      n/a      n/a",
        "    dormant         n/a        n/a      n/a        n/a       n/a      n/a      n/a",
        "    churned         n/a        n/a      n/a        n/a       n/a      n/a      n/a",
        "--- zh",
        "层级流转： 2 个周期 (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  流转客户数（合计）:",
        "    从 \\ 到  潜在  浅  粘  深  铁  沉睡  流失",
        "    潜在        2   3   1   2   0     0     0",
        "    浅          0   1   0   0   0     0     1",
        "    粘          0   0   1   0   0     0     0",
        "    深          0   0   0   0   1     0     0",
        "    铁          0   0   0   0   0     0     0",
        "    沉睡        0   0   0   0   0     0     0",
        "    流失        0   0   0   0   0     0     0",
        "  单期转移概率:",
        "    从 \\ 到   潜在     浅      粘     深      铁  沉睡   流失",
        "    潜在     25.0%  37.5%   12.5%  25.0%    0.0%  0.0%   0.0%",
        "    浅        0.0%  50.0%    0.0%   0.0%    0.0%  0.0%  50.0%",
        "    粘        0.0%   0.0%  100.0%   0.0%    0.0%  0.0%   0.0%",
        "    深        0.0%   0.0%    0.0%   0.0%  100.0%  0.0%   0.0%",
        "    铁          无     无      无     无      无    无     无",
        "    沉睡        无     无      无     无      无    无     无",
        "    流失        无     无      无     无      无    无     无",
    ),
    "RfmSummary": (
        "RfmSummary(3 customers, observation_end=2026-01-29T00:00:00+00:00, period=1 day, 0:00:00, freq_multiplier=1)",  # noqa: E501
        "--- en",
        "RFM summary: 3 customers at 2026-01-29 00:00+00:00",
        "  customers: 3",
        "  repeat customers: 1",
        "  period: 1 days",
        "  mean frequency: 0.33",
        "  mean recency: 4.00",
        "  mean T: 28.00",
        "  total spend: 128.00 CNY",
        "  customer  frequency  recency      T  monetary value",
        "  c-001             1    12.00  24.00          128.00",
        "  c-002             0     0.00   6.00            0.00",
        "  c-004             0     0.00  54.00            0.00",
        "--- zh",
        "RFM 汇总： 3 位客户，截至 2026-01-29 00:00+00:00",
        "  客户数: 3",
        "  复购客户: 1",
        "  周期: 1 天",
        "  平均频次: 0.33",
        "  平均近度: 4.00",
        "  平均 T: 28.00",
        "  总消费: 128.00 CNY",
        "  客户   频次   近度      T  平均消费",
        "  c-001     1  12.00  24.00    128.00",
        "  c-002     0   0.00   6.00      0.00",
        "  c-004     0   0.00  54.00      0.00",
    ),
    "FissionReport": (
        "FissionReport(1 advocates, 2 referrals, 2 of 6 new by referral, K=n/a, (2026-01-01T00:00:00+00:00, 2026-01-29T00:00:00+00:00])",  # noqa: E501
        "--- en",
        "fission (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  advocates: 1",
        "  referrals: 2",
        "  referrals by advocates: 1",
        "  referrals per advocate: 1.00",
        "  referred customers: 2",
        "  connected at start: 0",
        "  new customers: 6",
        "  new by referral: 2",
        "  K-factor: n/a",
        "  connections: 6",
        "  referral connections: 2",
        "  referral share: 33.3%",
        "  deepest generation: 1",
        "  customers per generation:",
        "    generation  customers",
        "    0                   4",
        "    1                   2",
        "--- zh",
        "裂变 (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  铁粉（推荐者）: 1",
        "  推荐次数: 2",
        "  铁粉推荐次数: 1",
        "  人均推荐: 1.00",
        "  被推荐客户: 2",
        "  期初已连接: 0",
        "  新客户: 6",
        "  推荐新客户: 2",
        "  K 因子: 无",
        "  连接次数: 6",
        "  推荐连接: 2",
        "  推荐占比: 33.3%",
        "  最深代数: 1",
        "  各代客户数:",
        "    代  客户数",
        "    0        4",
        "    1        2",
    ),
    "ReferralTree": (
        "ReferralTree(as_of=2026-01-29T00:00:00+00:00, counts=(4, 2))",
        "--- en",
        "referral forest at 2026-01-29 00:00+00:00",
        "  customers: 6",
        "  referred: 2",
        "  deepest generation: 1",
        "  customers per generation:",
        "    generation  customers",
        "    0                   4",
        "    1                   2",
        "--- zh",
        "推荐关系，截至 2026-01-29 00:00+00:00",
        "  客户数: 6",
        "  被推荐客户: 2",
        "  最深代数: 1",
        "  各代客户数:",
        "    代  客户数",
        "    0        4",
        "    1        2",
    ),
    "ChannelAttribution": (
        "ChannelAttribution(5 channels with customers, revenue 211.00 CNY, (2026-01-01T00:00:00+00:00, 2026-01-29T00:00:00+00:00])",  # noqa: E501
        "--- en",
        "channel attribution (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  revenue: 211.00 CNY",
        "  channels not shown (all zero): 14",
        "  channel         customers  new  connections  converted  conversion  purchases     revenue   refunded",  # noqa: E501
        "  store                   1    1            1          1      100.0%          2  166.00 CNY   0.00 CNY",  # noqa: E501
        "  ecommerce               1    1            1          0        0.0%          0    0.00 CNY   0.00 CNY",  # noqa: E501
        "  live_stream             1    1            1          0        0.0%          0    0.00 CNY   0.00 CNY",  # noqa: E501
        "  mini_program            1    1            1          0        0.0%          0    0.00 CNY   0.00 CNY",  # noqa: E501
        "  referral                2    2            2          1       50.0%          1   45.00 CNY  45.00 CNY",  # noqa: E501
        "  (unattributed)          0                            0                      0    0.00 CNY   0.00 CNY",  # noqa: E501
        "--- zh",
        "渠道归因 (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  总收入: 211.00 CNY",
        "  未列出的渠道（全为零）: 14",
        "  渠道        客户  新客户  连接  已转化  转化率  购买        收入       退款",
        "  门店           1       1     1       1  100.0%     2  166.00 CNY   0.00 CNY",
        "  电商           1       1     1       0    0.0%     0    0.00 CNY   0.00 CNY",
        "  直播           1       1     1       0    0.0%     0    0.00 CNY   0.00 CNY",
        "  小程序         1       1     1       0    0.0%     0    0.00 CNY   0.00 CNY",
        "  老带新         2       2     2       1   50.0%     1   45.00 CNY  45.00 CNY",
        "  （未归因）     0                     0             0    0.00 CNY   0.00 CNY",
    ),
    "PoolGrowth": (
        "PoolGrowth(2 periods from 2026-01-01T00:00:00+00:00 to 2026-01-29T00:00:00+00:00, user scale 5)",  # noqa: E501
        "--- en",
        "pool growth over 2 periods",
        "  period                                            user scale  change  repurchase rate     change  average order value        change",  # noqa: E501
        "  (2026-01-01 00:00+00:00, 2026-01-15 00:00+00:00]           4                     0.0%                       38.00 CNY",  # noqa: E501
        "  (2026-01-15 00:00+00:00, 2026-01-29 00:00+00:00]           5    +1 ↑             0.0%  +0.0 pp =            86.50 CNY  +48.50 CNY ↑",  # noqa: E501
        "--- zh",
        "客户池增长： 2 个周期",
        "  周期                                              规模用户  变化  复购率       变化     客单价          变化",  # noqa: E501
        "  (2026-01-01 00:00+00:00, 2026-01-15 00:00+00:00]         4          0.0%             38.00 CNY",  # noqa: E501
        "  (2026-01-15 00:00+00:00, 2026-01-29 00:00+00:00]         5  +1 ↑    0.0%  +0.0 pp =  86.50 CNY  +48.50 CNY ↑",  # noqa: E501
    ),
    "GrowthStep": (
        "GrowthStep((2026-01-15T00:00:00+00:00, 2026-01-29T00:00:00+00:00]: scale 5 (+1 ↑), repurchase 0.0% (+0.0 pp =), AOV 86.50 CNY (+48.50 CNY ↑))",  # noqa: E501
        "--- en",
        "(2026-01-15 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  user scale: 5 (+1 ↑)",
        "  repurchase rate: 0.0% (+0.0 pp =)",
        "  average order value: 86.50 CNY (+48.50 CNY ↑)",
        "--- zh",
        "(2026-01-15 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  规模用户: 5 (+1 ↑)",
        "  复购率: 0.0% (+0.0 pp =)",
        "  客单价: 86.50 CNY (+48.50 CNY ↑)",
    ),
    "SilentGroups": (
        "SilentGroups(0 of 0 groups silent for 1 days)",
        "--- en",
        "0 of 0 groups silent for 1+ days at 2026-01-29 00:00+00:00",
        "  group  customers last active  brand rows since",
        "--- zh",
        "0 / 0 个群沉默 1 天以上，截至 2026-01-29 00:00+00:00",
        "  客户群  客户最近活跃  此后品牌消息",
    ),
    "ParadigmFit": (
        "ParadigmFit(better=None, held_back={'nurture_first': 1, 'convert_first': 1})",
        "--- en",
        "paradigm fit at 2026-01-29 00:00+00:00: neither fits better",
        "  held back (nurture first): 1",
        "  held back (convert first): 1",
        "  buyers: 2",
        "  repeat buyers: 1",
        "  talkers: 3",
        "  buyers at 浅 (nurture first): 0",
        "  repeat buyers at 浅 (nurture first): 0",
        "  talkers at 浅 (convert first): 1",
        "  customers per state:",
        "    state      nurture first  convert first",
        "    prospect               0              0",
        "    connected              2              3",
        "    engaged                1              1",
        "    converted              1              0",
        "    advocate               1              1",
        "    dormant                0              0",
        "    churned                1              1",
        "  why:",
        "    1: nurture first holds 0 of 2 buyers at 浅 (0 of 1 repeat buyers): they buy but do not talk enough to be 粘",  # noqa: E501
        "    2: convert first holds 1 of 3 talkers at 浅: they talk but have not bought",
        "    3: customers held back below a criterion they meet: nurture first 1, convert first 1",
        "--- zh",
        "范式适配，截至 2026-01-29 00:00+00:00: 两种范式一样合适",
        "  受阻客户（先养后转）: 1",
        "  受阻客户（先转后养）: 1",
        "  购买客户: 2",
        "  复购客户: 1",
        "  互动客户: 3",
        "  浅层购买客户（先养后转）: 0",
        "  浅层复购客户（先养后转）: 0",
        "  浅层互动客户（先转后养）: 1",
        "  各状态客户数:",
        "    状态  先养后转  先转后养",
        "    潜在         0         0",
        "    浅           2         3",
        "    粘           1         1",
        "    深           1         0",
        "    铁           1         1",
        "    沉睡         0         0",
        "    流失         1         1",
        "  原因:",
        "    1: nurture first holds 0 of 2 buyers at 浅 (0 of 1 repeat buyers): they buy but do not talk enough to be 粘",  # noqa: E501
        "    2: convert first holds 1 of 3 talkers at 浅: they talk but have not bought",
        "    3: customers held back below a criterion they meet: nurture first 1, convert first 1",
    ),
    "StateRevenue": (
        "StateRevenue(2 periods from 2026-01-01T00:00:00+00:00 to 2026-01-29T00:00:00+00:00, net revenue 166.00 CNY)",  # noqa: E501
        "--- en",
        "net revenue by starting state over 2 periods (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",  # noqa: E501
        "  state      customer-periods  net revenue  per customer-period",
        "  prospect                  8    38.00 CNY             4.75 CNY",
        "  connected                 2     0.00 CNY             0.00 CNY",
        "  engaged                   1     0.00 CNY             0.00 CNY",
        "  converted                 1   128.00 CNY           128.00 CNY",
        "  advocate                  0     0.00 CNY                  n/a",
        "  dormant                   0     0.00 CNY                  n/a",
        "  churned                   0     0.00 CNY                  n/a",
        "--- zh",
        "按期初状态的净收入，共 2 期 (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  状态  客户·期数      净收入  每客户每期",
        "  潜在          8   38.00 CNY    4.75 CNY",
        "  浅            2    0.00 CNY    0.00 CNY",
        "  粘            1    0.00 CNY    0.00 CNY",
        "  深            1  128.00 CNY  128.00 CNY",
        "  铁            0    0.00 CNY          无",
        "  沉睡          0    0.00 CNY          无",
        "  流失          0    0.00 CNY          无",
    ),
    "TierLTV": (
        "TierLTV(discount_rate=0.1, horizon=None, 2 periods from 2026-01-01T00:00:00+00:00 to 2026-01-29T00:00:00+00:00)",  # noqa: E501
        "--- en",
        "lifetime value by starting state, discount 0.1 a period, no horizon",
        "  periods measured: (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  starting state       LTV  per customer-period  customer-periods",
        "  prospect             n/a             4.75 CNY                 8",
        "  connected            n/a             0.00 CNY                 2",
        "  engaged         0.00 CNY             0.00 CNY                 1",
        "  converted            n/a           128.00 CNY                 1",
        "  advocate             n/a                  n/a                 0",
        "  dormant              n/a                  n/a                 0",
        "  churned              n/a                  n/a                 0",
        "--- zh",
        "按起始状态的终身价值（每期折现率 0.1，不限期）",
        "  测量区间: (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  起始状态  终身价值  每客户每期收入  客户·期数",
        "  潜在            无        4.75 CNY          8",
        "  浅              无        0.00 CNY          2",
        "  粘        0.00 CNY        0.00 CNY          1",
        "  深              无      128.00 CNY          1",
        "  铁              无              无          0",
        "  沉睡            无              无          0",
        "  流失            无              无          0",
    ),
    "CodedLTV": (
        "CodedLTV(none=?, transactional=?, friend=?, partner=?, lost=?)",
        "--- en",
        "lifetime value by starting state, discount 0.1 a period, no horizon",
        "  periods measured: (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  starting state  LTV  per customer-period  customer-periods",
        "  none            n/a             4.22 CNY                 9",
        "  transactional   n/a            42.67 CNY                 3",
        "  friend          n/a                  n/a                 0",
        "  partner         n/a                  n/a                 0",
        "  lost            n/a                  n/a                 0",
        "--- zh",
        "按起始状态的终身价值（每期折现率 0.1，不限期）",
        "  测量区间: (2026-01-01 00:00+00:00, 2026-01-29 00:00+00:00]",
        "  起始状态       终身价值  每客户每期收入  客户·期数",
        "  none                 无        4.22 CNY          9",
        "  transactional        无       42.67 CNY          3",
        "  friend               无              无          0",
        "  partner              无              无          0",
        "  lost                 无              无          0",
    ),
}


CASE_TEXTS: dict[str, tuple[str, ...]] = {
    "falling step": (
        "GrowthStep((2026-01-15T00:00:00+00:00, 2026-02-01T00:00:00+00:00]: scale 3 (-2 ↓), repurchase n/a (change n/a), AOV 60.00 CNY (-20.00 CNY ↓))",  # noqa: E501
        "--- en",
        "(2026-01-15 00:00+00:00, 2026-02-01 00:00+00:00]",
        "  user scale: 3 (-2 ↓)",
        "  repurchase rate: n/a (n/a)",
        "  average order value: 60.00 CNY (-20.00 CNY ↓)",
        "--- zh",
        "(2026-01-15 00:00+00:00, 2026-02-01 00:00+00:00]",
        "  规模用户: 3 (-2 ↓)",
        "  复购率: 无 (无)",
        "  客单价: 60.00 CNY (-20.00 CNY ↓)",
    ),
    "growth over quarters": (
        "PoolGrowth(3 periods from 2025-04-01T00:00:00+00:00 to 2026-01-01T00:00:00+00:00, user scale 349)",  # noqa: E501
        "--- en",
        "pool growth over 3 periods",
        "  period                                            user scale  change  repurchase rate      change  average order value        change",  # noqa: E501
        "  (2025-04-01 00:00+00:00, 2025-07-01 00:00+00:00]         173                     5.4%                        84.95 CNY",  # noqa: E501
        "  (2025-07-01 00:00+00:00, 2025-10-01 00:00+00:00]         257   +84 ↑            18.4%  +13.0 pp ↑           122.39 CNY  +37.44 CNY ↑",  # noqa: E501
        "  (2025-10-01 00:00+00:00, 2026-01-01 00:00+00:00]         349   +92 ↑            30.2%  +11.9 pp ↑           130.80 CNY   +8.41 CNY ↑",  # noqa: E501
        "--- zh",
        "客户池增长： 3 个周期",
        "  周期                                              规模用户   变化  复购率        变化      客单价          变化",  # noqa: E501
        "  (2025-04-01 00:00+00:00, 2025-07-01 00:00+00:00]       173           5.4%               84.95 CNY",  # noqa: E501
        "  (2025-07-01 00:00+00:00, 2025-10-01 00:00+00:00]       257  +84 ↑   18.4%  +13.0 pp ↑  122.39 CNY  +37.44 CNY ↑",  # noqa: E501
        "  (2025-10-01 00:00+00:00, 2026-01-01 00:00+00:00]       349  +92 ↑   30.2%  +11.9 pp ↑  130.80 CNY   +8.41 CNY ↑",  # noqa: E501
    ),
    "fission with a K-factor": (
        "FissionReport(6 advocates, 28 referrals, 30 of 112 new by referral, K=0.117, (2025-10-01T00:00:00+00:00, 2026-01-01T00:00:00+00:00])",  # noqa: E501
        "--- en",
        "fission (2025-10-01 00:00+00:00, 2026-01-01 00:00+00:00]",
        "  advocates: 6",
        "  referrals: 28",
        "  referrals by advocates: 9",
        "  referrals per advocate: 1.50",
        "  referred customers: 28",
        "  connected at start: 257",
        "  new customers: 112",
        "  new by referral: 30",
        "  K-factor: 0.117",
        "  connections: 117",
        "  referral connections: 30",
        "  referral share: 25.6%",
        "  deepest generation: 3",
        "  customers per generation:",
        "    generation  customers",
        "    0                 290",
        "    1                  92",
        "    2                  15",
        "    3                   3",
        "--- zh",
        "裂变 (2025-10-01 00:00+00:00, 2026-01-01 00:00+00:00]",
        "  铁粉（推荐者）: 6",
        "  推荐次数: 28",
        "  铁粉推荐次数: 9",
        "  人均推荐: 1.50",
        "  被推荐客户: 28",
        "  期初已连接: 257",
        "  新客户: 112",
        "  推荐新客户: 30",
        "  K 因子: 0.117",
        "  连接次数: 117",
        "  推荐连接: 30",
        "  推荐占比: 25.6%",
        "  最深代数: 3",
        "  各代客户数:",
        "    代  客户数",
        "    0      290",
        "    1       92",
        "    2       15",
        "    3        3",
    ),
    "tier LTV with a horizon": (
        "TierLTV(discount_rate=0.1, horizon=12, 3 periods from 2026-01-01T00:00:00+00:00 to 2026-03-01T00:00:00+00:00)",  # noqa: E501
        "--- en",
        "lifetime value by starting state, discount 0.1 a period, horizon 12 periods",
        "  periods measured: (2026-01-01 00:00+00:00, 2026-03-01 00:00+00:00]",
        "  starting state        LTV  per customer-period  customer-periods",
        "  prospect        24.97 CNY             4.75 CNY                 8",
        "  connected        0.00 CNY             0.00 CNY                 4",
        "  engaged          0.00 CNY             0.00 CNY                 2",
        "  converted       64.00 CNY            64.00 CNY                 2",
        "  advocate         0.00 CNY             0.00 CNY                 1",
        "  dormant               n/a                  n/a                 0",
        "  churned          0.00 CNY             0.00 CNY                 1",
        "--- zh",
        "按起始状态的终身价值（每期折现率 0.1，期限 12 期）",
        "  测量区间: (2026-01-01 00:00+00:00, 2026-03-01 00:00+00:00]",
        "  起始状态   终身价值  每客户每期收入  客户·期数",
        "  潜在      24.97 CNY        4.75 CNY          8",
        "  浅         0.00 CNY        0.00 CNY          4",
        "  粘         0.00 CNY        0.00 CNY          2",
        "  深        64.00 CNY       64.00 CNY          2",
        "  铁         0.00 CNY        0.00 CNY          1",
        "  沉睡             无              无          0",
        "  流失       0.00 CNY        0.00 CNY          1",
    ),
    "convert first fits": (
        "ParadigmFit(better='convert_first', held_back={'nurture_first': 2, 'convert_first': 1})",
        "--- en",
        "paradigm fit at 2026-01-15 00:00+00:00: convert_first fits",
        "  held back (nurture first): 2",
        "  held back (convert first): 1",
        "  buyers: 2",
        "  repeat buyers: 0",
        "  talkers: 2",
        "  buyers at 浅 (nurture first): 1",
        "  repeat buyers at 浅 (nurture first): 0",
        "  talkers at 浅 (convert first): 1",
        "  customers per state:",
        "    state      nurture first  convert first",
        "    prospect               2              2",
        "    connected              2              2",
        "    engaged                1              1",
        "    converted              1              1",
        "    advocate               0              0",
        "    dormant                0              0",
        "    churned                0              0",
        "  why:",
        "    1: nurture first holds 1 of 2 buyers at 浅 (0 of 0 repeat buyers): they buy but do not talk enough to be 粘",  # noqa: E501
        "    2: convert first holds 1 of 2 talkers at 浅: they talk but have not bought",
        "    3: customers held back below a criterion they meet: nurture first 2, convert first 1",
        "--- zh",
        "范式适配，截至 2026-01-15 00:00+00:00: convert_first 更合适",
        "  受阻客户（先养后转）: 2",
        "  受阻客户（先转后养）: 1",
        "  购买客户: 2",
        "  复购客户: 0",
        "  互动客户: 2",
        "  浅层购买客户（先养后转）: 1",
        "  浅层复购客户（先养后转）: 0",
        "  浅层互动客户（先转后养）: 1",
        "  各状态客户数:",
        "    状态  先养后转  先转后养",
        "    潜在         2         2",
        "    浅           2         2",
        "    粘           1         1",
        "    深           1         1",
        "    铁           0         0",
        "    沉睡         0         0",
        "    流失         0         0",
        "  原因:",
        "    1: nurture first holds 1 of 2 buyers at 浅 (0 of 0 repeat buyers): they buy but do not talk enough to be 粘",  # noqa: E501
        "    2: convert first holds 1 of 2 talkers at 浅: they talk but have not bought",
        "    3: customers held back below a criterion they meet: nurture first 2, convert first 1",
    ),
    "RFM over half days": (
        "RfmSummary(3 customers, observation_end=2026-01-29T00:00:00+00:00, period=12:00:00, freq_multiplier=1)",  # noqa: E501
        "--- en",
        "RFM summary: 3 customers at 2026-01-29 00:00+00:00",
        "  customers: 3",
        "  repeat customers: 1",
        "  period: 0.500 days",
        "  mean frequency: 0.33",
        "  mean recency: 8.00",
        "  mean T: 56.00",
        "  total spend: 128.00 CNY",
        "  customer  frequency  recency       T  monetary value",
        "  c-001             1    24.00   48.00          128.00",
        "  c-002             0     0.00   12.00            0.00",
        "  c-004             0     0.00  108.00            0.00",
        "--- zh",
        "RFM 汇总： 3 位客户，截至 2026-01-29 00:00+00:00",
        "  客户数: 3",
        "  复购客户: 1",
        "  周期: 0.500 天",
        "  平均频次: 0.33",
        "  平均近度: 8.00",
        "  平均 T: 56.00",
        "  总消费: 128.00 CNY",
        "  客户   频次   近度       T  平均消费",
        "  c-001     1  24.00   48.00    128.00",
        "  c-002     0   0.00   12.00      0.00",
        "  c-004     0   0.00  108.00      0.00",
    ),
    "RFM cut to two rows": (
        "RfmSummary(130 customers, observation_end=2026-01-01T00:00:00+00:00, period=1 day, 0:00:00, freq_multiplier=1)",  # noqa: E501
        "--- en",
        "RFM summary: 130 customers at 2026-01-01 00:00+00:00",
        "  customers: 130",
        "  repeat customers: 39",
        "  … 5 more rows",
        "  customer  frequency  recency       T  monetary value",
        "  c-002             0     0.00  335.00            0.00",
        "  c-004             0     0.00  212.00            0.00",
        "  … 128 more rows",
        "--- zh",
        "RFM 汇总： 130 位客户，截至 2026-01-01 00:00+00:00",
        "  客户数: 130",
        "  复购客户: 39",
        "  … 另有 5 行",
        "  客户   频次  近度       T  平均消费",
        "  c-002     0  0.00  335.00      0.00",
        "  c-004     0  0.00  212.00      0.00",
        "  … 另有 128 行",
    ),
    "silent groups cut to one row": (
        "SilentGroups(2 of 2 groups silent for 3 days)",
        "--- en",
        "2 of 2 groups silent for 3+ days at 2026-01-11 00:00+00:00",
        "  group  customers last active  brand rows since",
        "  g-a                    never                 0",
        "  … 1 more rows",
        "--- zh",
        "2 / 2 个群沉默 3 天以上，截至 2026-01-11 00:00+00:00",
        "  客户群  客户最近活跃  此后品牌消息",
        "  g-a             从未             0",
        "  … 另有 1 行",
    ),
    "revenue beyond Money": (
        "StateRevenue(1 period from 2026-01-01T00:00:00+00:00 to 2026-01-15T00:00:00+00:00, net revenue 4,000,000,000,000,000,000 minor units)",  # noqa: E501
        "--- en",
        "net revenue by starting state over 1 period (2026-01-01 00:00+00:00, 2026-01-15 00:00+00:00]",  # noqa: E501
        "  state      customer-periods                            net revenue                    per customer-period",  # noqa: E501
        "  prospect                  0                              0.000 KWD                                    n/a",  # noqa: E501
        "  connected                 0                              0.000 KWD                                    n/a",  # noqa: E501
        "  engaged                   0                              0.000 KWD                                    n/a",  # noqa: E501
        "  converted                 1  4,000,000,000,000,000,000 minor units  4,000,000,000,000,000,000 minor units",  # noqa: E501
        "  advocate                  0                              0.000 KWD                                    n/a",  # noqa: E501
        "  dormant                   0                              0.000 KWD                                    n/a",  # noqa: E501
        "  churned                   0                              0.000 KWD                                    n/a",  # noqa: E501
        "--- zh",
        "按期初状态的净收入，共 1 期 (2026-01-01 00:00+00:00, 2026-01-15 00:00+00:00]",
        "  状态  客户·期数                                  净收入                              每客户每期",  # noqa: E501
        "  潜在          0                               0.000 KWD                                      无",  # noqa: E501
        "  浅            0                               0.000 KWD                                      无",  # noqa: E501
        "  粘            0                               0.000 KWD                                      无",  # noqa: E501
        "  深            1  4,000,000,000,000,000,000 最小货币单位  4,000,000,000,000,000,000 最小货币单位",  # noqa: E501
        "  铁            0                               0.000 KWD                                      无",  # noqa: E501
        "  沉睡          0                               0.000 KWD                                      无",  # noqa: E501
        "  流失          0                               0.000 KWD                                      无",  # noqa: E501
    ),
    "channels without amounts": (
        "ChannelAttribution(1 channels with customers, revenue n/a, (2026-01-01T00:00:00+00:00, 2026-01-15T00:00:00+00:00])",  # noqa: E501
        "--- en",
        "channel attribution (2026-01-01 00:00+00:00, 2026-01-15 00:00+00:00]",
        "  revenue: n/a",
        "  channels not shown (all zero): 18",
        "  channel         customers  new  connections  converted  conversion  purchases  revenue  refunded",  # noqa: E501
        "  store                   1    1            1          0        0.0%          0      n/a       n/a",  # noqa: E501
        "  (unattributed)          0                            0                      0      n/a       n/a",  # noqa: E501
        "--- zh",
        "渠道归因 (2026-01-01 00:00+00:00, 2026-01-15 00:00+00:00]",
        "  总收入: 无",
        "  未列出的渠道（全为零）: 18",
        "  渠道        客户  新客户  连接  已转化  转化率  购买  收入  退款",
        "  门店           1       1     1       0    0.0%     0    无    无",
        "  （未归因）     0                     0             0    无    无",
    ),
    "order value without purchases": (
        "OrderValue(n/a, 0 purchases, (2026-02-01T00:00:00+00:00, 2026-03-01T00:00:00+00:00])",
        "--- en",
        "average order value (2026-02-01 00:00+00:00, 2026-03-01 00:00+00:00]",
        "  average order value: n/a",
        "  purchases: 0",
        "  purchase amount: 0.00 CNY",
        "  refunds: 0",
        "  refund amount: 0.00 CNY",
        "  net amount: 0.00 CNY",
        "  net average order value: n/a",
        "--- zh",
        "客单价 (2026-02-01 00:00+00:00, 2026-03-01 00:00+00:00]",
        "  客单价: 无",
        "  购买次数: 0",
        "  购买金额: 0.00 CNY",
        "  退款次数: 0",
        "  退款金额: 0.00 CNY",
        "  净额: 0.00 CNY",
        "  净客单价: 无",
    ),
    "NPS without answers": (
        "NetPromoterScore(n/a, 0 respondents, (2026-02-01T00:00:00+00:00, 2026-03-01T00:00:00+00:00])",  # noqa: E501
        "--- en",
        "NPS (2026-02-01 00:00+00:00, 2026-03-01 00:00+00:00]",
        "  NPS: n/a",
        "  respondents: 0",
        "  promoters: 0",
        "  passives: 0",
        "  detractors: 0",
        "--- zh",
        "净推荐值 (2026-02-01 00:00+00:00, 2026-03-01 00:00+00:00]",
        "  净推荐值: 无",
        "  受访者: 0",
        "  推荐者: 0",
        "  中立者: 0",
        "  贬损者: 0",
    ),
}


def test_an_rfm_total_beyond_money_is_shown_in_minor_units_of_its_currency():
    # Nine purchases of 999,999,999,999,999.999 KWD (10**18 - 1 fils each) by one customer on
    # nine days: RFM counts the eight repeat ones, 8 * (10**18 - 1) = 7,999,999,999,999,999,992
    # fils, more than Money holds, so the total is shown as a count of minor units, never as
    # that many dinars.
    summary = rfm_summary(kwd_purchases(9), datetime(2026, 2, 1, tzinfo=UTC))
    assert int(summary.monetary_total.sum()) == 8 * (10**18 - 1)
    english, chinese = summary.to_text("en"), summary.to_text("zh")
    assert "7,999,999,999,999,999,992 minor units of KWD" in english
    assert "7,999,999,999,999,999,992 KWD 最小货币单位" in chinese
    assert "992 KWD" not in english
