"""The analytics results' text and repr, pinned line by line (tools/mutate.py analytics).

The display tests (tests/display) check that every result shows itself — a short repr, an HTML
table, text in English and Chinese — but not what it says: 1,400 one-token changes to the
analytics' ``_report`` methods (a row left out, a label emptied, a figure swapped) went through
them. Here each analytics result of the example pool (docs: the six customers of January 2026)
is rendered in both languages and compared with its text, line by line (trailing spaces aside).

The texts were read against the pool, and the figures the lines carry are checked by hand in
``test_the_pinned_figures_are_the_example_pools``: a change of layout means updating them here,
a change of a figure means a bug.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from custpool import (
    EventTable,
    Policy,
    channel_attribution,
    example_pool,
    fission,
    level_ltv,
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
