"""Readable reports of the health room pinned line by line (tools/mutate.py health).

The display tests check that each report shows itself, not what it says; one-token changes to
the readings' explanations, the readiness text and table, and the frame's columns went through
them. Two fixed inputs are rendered here and compared with their text line by line:

- the hand-made pool of ``test_readiness.py`` (ten members c-1 … c-10 connected on day 0,
  looked at on day 60), with one endorsement only and no COMPLAINT or STORE_VISIT rows
  recorded: endorsement fails (1 against at least 2), the by-product, by-people and by-store
  ways and stickiness are not measured, the rest passes. Its figures are the ones
  ``test_readiness.py`` checks by hand, less the rows taken out: c-6's complaint and c-7's
  visit leave 9 of 10 members active (participation 90.0%) and 3 peer posts of 10 own rows
  (2 messages + 2 attendances + 3 purchases + 3 posts: 30.0%);
- the example pool scored at day 24, whose every raw value ``test_health.py`` checks by hand.

A change of layout means updating the lines here; a change of a figure means a bug.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest

from custpool import (
    EXAMPLE_START,
    CustomerTags,
    EventTable,
    HealthPolicy,
    HealthReport,
    Interaction,
    InteractionKind,
    PoolActivity,
    PoolCharter,
    PoolReadiness,
    ValidationError,
    WrongTypeError,
    example_pool,
    explain_change,
    health_trend,
    pool_readiness,
    score_health,
)
from custpool._display import render_text, report_of
from custpool._health import HealthSums
from custpool._health.by_part import part_table
from custpool._health.score import facts_at

T0 = datetime(2026, 3, 1, tzinfo=UTC)
AS_OF = T0 + timedelta(days=60)
MEMBERS = [f"c-{n}" for n in range(1, 11)]
_ids = itertools.count()


def row(cid: str, day: float, kind: str, **fields: Any) -> Interaction:
    """One interaction of ``cid`` on ``day`` (inbound, in WeCom chat unless told)."""
    fields.setdefault("direction", "inbound")
    if kind not in {"group_post", "store_visit"}:
        fields.setdefault("channel", "wecom_chat")
    at = T0 + timedelta(days=day)
    return Interaction(id=f"m-{next(_ids)}", customer_id=cid, at=at, kind=kind, **fields)


def purchase(cid: str, day: float, order: str) -> Interaction:
    amount = {"amount": "88.00", "currency": "CNY"}
    return row(cid, day, "purchase", order_id=order, amount=amount, channel="mini_program")


def hand_rows(*, purchases: bool = True) -> list[Interaction]:
    """test_readiness.py's pool without its complaint and store visit (kinds not recorded)."""
    rows = [row(cid, 0, "connect", source="store") for cid in MEMBERS]
    rows += [
        row("c-1", 40, "message"),
        row("c-1", 40 + 1 / 24, "message", direction="outbound"),  # replied after 1 h
        row("c-2", 41, "message"),
        row("c-2", 41 + 2 / 24, "message", direction="outbound"),  # replied after 2 h
        row("c-3", 42, "event_attend", event_id="e-1"),
        row("c-4", 42, "event_attend", event_id="e-1"),
    ]
    if purchases:
        rows += [purchase("c-5", 35, "o-1"), purchase("c-5", 50, "o-2"), purchase("c-6", 45, "o-3")]
    rows += [row(c, 52, "group_post", direction="peer") for c in ("c-8", "c-9", "c-10")]
    return rows


CHARTER = PoolCharter(
    name="Coffee lovers",
    interests=["咖啡"],
    norms=["No ads", "Be kind"],
    operators=["op-1"],
    brand="Bean & Co",
    positioning="The coffee you can trace to the farm",
    endorsements=["SCA certified"],
    vision="Every cup traceable",
    mission="Fair prices to growers",
    core_values=["Honesty"],
)


# Function scope on purpose: mutmut runs, for a mutant, only the tests that called its function,
# and a module-scoped fixture's calls are recorded for the first test that used it alone (the
# readiness frame's scores escaped every mutant of ``_reading`` that way).
@pytest.fixture
def short() -> PoolReadiness:
    """The hand pool, one endorsement short, without complaints or store visits recorded."""
    table = EventTable.from_interactions(hand_rows(), customers=MEMBERS)
    return pool_readiness(CHARTER, table, AS_OF)


@pytest.fixture
def report() -> HealthReport:
    """The example pool at day 24 (test_health.py)."""
    pool = example_pool()
    table = EventTable.from_interactions(pool.interactions)
    tags = CustomerTags.from_customers(pool.customers, table)
    as_of = EXAMPLE_START + timedelta(days=24)
    return score_health(table, pool.charter, as_of, tags=tags, activities=pool.activities)


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


SHORT_EN = [
    "Pool readiness at 2026-04-30 (10 members): pool",
    "1. positioning 精准度: passed",
    "     positioning.statement: passed (1 against at least 1) — positioning: The coffee you can trace to the farm",  # noqa: E501
    "     positioning.tags: passed (1 against at least 1) — the charter declares 1 interest tag",
    "2. endorsement 背书的厚度: failed",
    "     endorsement.count: failed (1 against at least 2) — the charter declares 1 endorsement",
    "     → Thicken the endorsement: list the awards, certifications, partners and press that vouch for the brand — in a pool, trust is worth more than gold.",  # noqa: E501
    "3. culture 文化高度: passed",
    "     culture.pillars: passed (3 against at least 3) — vision, mission and values declared",
    "     culture.norms: passed (2 against at least 2) — the charter declares 2 norms",
    "4. warmth 温度: passed",
    "     warmth.reply_hours: passed (1.5 against at most 4) — median over 2 inbound messages, 0 still unanswered (counted as waiting until as_of)",  # noqa: E501
    "     warmth.conversations: passed (20.0% against at least 10.0%) — 2 of 10 members (20.0%) sent a one-to-one message in the window",  # noqa: E501
    "5. heat 传播热度: passed",
    "     heat.participation: passed (90.0% against at least 30.0%) — 9 of 10 (90.0%) members interacted on their own",  # noqa: E501
    "     heat.events: passed (20.0% against at least 10.0%) — 2 of 10 members (20.0%) attended an event in the window",  # noqa: E501
    "6. stickiness 品牌黏度: not measured",
    "     stickiness.ways: not measured — 1 of the 4 ways measured; 2 needed to judge",
    "     → To measure it, record the data of the four ways of sticking.",
    "  · by_product 以物粘人: not measured",
    "     product.repurchase: passed (50.0% against at least 20.0%) — 1 of 2 buyers bought again in the last 90 days",  # noqa: E501
    "     product.quality_complaints: not measured — the data record no COMPLAINT rows: pass recorded_kinds= if the source records them (a pool may have none yet)",  # noqa: E501
    "     → To measure it, record COMPLAINT rows with their complaint_reason.",
    "  · by_people 以人粘人: not measured",
    "     people.reply_hours: passed (1.5 against at most 4) — median over 2 inbound messages, 0 still unanswered (counted as waiting until as_of)",  # noqa: E501
    "     people.service_complaints: not measured — the data record no COMPLAINT rows: pass recorded_kinds= if the source records them (a pool may have none yet)",  # noqa: E501
    "     → To measure it, record COMPLAINT rows with their complaint_reason.",
    "  · by_store 以店粘人: not measured",
    "     store.visits: not measured — the data record no STORE_VISIT rows: pass recorded_kinds= if the source records them (a pool may have none yet)",  # noqa: E501
    "     → To measure it, record STORE_VISIT rows (store visits, 上门).",
    "  · by_group 以群粘人: passed",
    "     group.posts: passed (30.0% against at least 10.0%) — 3 of 10 members (30.0%) posted in a group in the window",  # noqa: E501
    "     group.peer_share: passed (30.0% against at least 20.0%) — 3 of 10 (30.0%) member interactions were member-to-member",  # noqa: E501
]

SHORT_ZH = [
    "客户池准备度（2026-04-30，成员 10 人）：是私域",
    "1. 精准度: 通过",
    "     品牌定位（positioning.statement）：通过（1，目标至少 1）— positioning: The coffee you can trace to the farm",  # noqa: E501
    "     关键标签（positioning.tags）：通过（1，目标至少 1）— the charter declares 1 interest tag",
    "2. 背书的厚度: 未通过",
    "     背书（endorsement.count）：未通过（1，目标至少 2）— the charter declares 1 endorsement",
    "     → 增加背书的厚度：列出为品牌作证的奖项、认证、合作伙伴和媒体报道——信任比黄金更重要。",
    "3. 文化高度: 通过",
    "     愿景、使命、价值观（culture.pillars）：通过（3，目标至少 3）— vision, mission and values declared",  # noqa: E501
    "     管理规范（culture.norms）：通过（2，目标至少 2）— the charter declares 2 norms",
    "4. 温度: 通过",
    "     回复时长（warmth.reply_hours）：通过（1.5，目标至多 4）— median over 2 inbound messages, 0 still unanswered (counted as waiting until as_of)",  # noqa: E501
    "     一对一沟通的成员（warmth.conversations）：通过（20.0%，目标至少 10.0%）— 2 of 10 members (20.0%) sent a one-to-one message in the window",  # noqa: E501
    "5. 传播热度: 通过",
    "     参与率（heat.participation）：通过（90.0%，目标至少 30.0%）— 9 of 10 (90.0%) members interacted on their own",  # noqa: E501
    "     参加活动的成员（heat.events）：通过（20.0%，目标至少 10.0%）— 2 of 10 members (20.0%) attended an event in the window",  # noqa: E501
    "6. 品牌黏度: 未测量",
    "     成立的粘人方式（stickiness.ways）：未测量 — 1 of the 4 ways measured; 2 needed to judge",
    "     → 需要记录：四种粘人方式所需的数据。",
    "  · 以物粘人: 未测量",
    "     复购率（product.repurchase）：通过（50.0%，目标至少 20.0%）— 1 of 2 buyers bought again in the last 90 days",  # noqa: E501
    "     质量投诉（product.quality_complaints）：未测量 — the data record no COMPLAINT rows: pass recorded_kinds= if the source records them (a pool may have none yet)",  # noqa: E501
    "     → 需要记录：带原因的投诉记录（COMPLAINT，complaint_reason）。",
    "  · 以人粘人: 未测量",
    "     回复时长（people.reply_hours）：通过（1.5，目标至多 4）— median over 2 inbound messages, 0 still unanswered (counted as waiting until as_of)",  # noqa: E501
    "     服务投诉（people.service_complaints）：未测量 — the data record no COMPLAINT rows: pass recorded_kinds= if the source records them (a pool may have none yet)",  # noqa: E501
    "     → 需要记录：带原因的投诉记录（COMPLAINT，complaint_reason）。",
    "  · 以店粘人: 未测量",
    "     到店的成员（store.visits）：未测量 — the data record no STORE_VISIT rows: pass recorded_kinds= if the source records them (a pool may have none yet)",  # noqa: E501
    "     → 需要记录：到店记录（STORE_VISIT）。",
    "  · 以群粘人: 通过",
    "     群内发言的成员（group.posts）：通过（30.0%，目标至少 10.0%）— 3 of 10 members (30.0%) posted in a group in the window",  # noqa: E501
    "     成员之间的互动（group.peer_share）：通过（30.0%，目标至少 20.0%）— 3 of 10 (30.0%) member interactions were member-to-member",  # noqa: E501
]

HEALTH_EN = [
    "health at 2026-01-29 02:00+00:00",
    "  overall: 77.7 (at risk)",
    "  members: 5",
    "  window: (2025-12-30 02:00+00:00, 2026-01-29 02:00+00:00]",
    "  copy: not ready",
    "  why not: output (输出) scores 60.4, below 70",
    "  why not: operate (运营) scores 66.7, below 70",
    "  dimensions:",
    "    dimension  score  weight",
    "    interest    96.9    1.00",
    "    structure   86.8    1.00",
    "    output      60.4    1.00",
    "    operate     66.7    1.00",
    "  measures:",
    "    measure                score   value  target           why",
    "    interest.members       100.0  100.0%  at least 80.0%   5 of 5 (100.0%) members carry a charter interest",  # noqa: E501
    "    interest.content        93.8   75.0%  at least 80.0%   3 of 4 (75.0%) items published hit a charter interest",  # noqa: E501
    "    structure.size         100.0       5  5 to 500         5 members; the charter aims at 5 to 500",  # noqa: E501
    "    structure.depth        100.0   60.0%  at least 50.0%   3 of 5 (60.0%) members are engaged, converted or advocates",  # noqa: E501
    "    structure.advocates    100.0   20.0%  at least 5.0%    1 of 5 (20.0%) members are advocates",  # noqa: E501
    "    structure.spread       100.0      40  at least 20      2 members of 5 active made half of the 19 member interactions",  # noqa: E501
    "    structure.platforms    100.0  100.0%  at least 100.0%  4 of 4 (100.0%) declared platforms used by members",  # noqa: E501
    "    structure.joining       84.2   80.0%  at least 95.0%   4 of 5 (80.0%) members satisfy all_of(interest:咖啡, none_of(lifecycle:blocked))",  # noqa: E501
    "    structure.norms        100.0       3  at least 2       the charter declares 3 norms",
    "    structure.complaints    10.0     0.2  at most 0.02     1 complaint in the window for 5 members",  # noqa: E501
    "    output.cadence          31.1   0.933  at least 3       4 items in 4.3 weeks; the charter asks 3 per 7 days",  # noqa: E501
    "    output.regularity      100.0   0.365  at most 0.5      4 items; gaps (window edges included) of 3.0 to 9.0 days",  # noqa: E501
    "    output.reach            50.0     0.1  at least 0.2     2 member views of the 4 items published, for 5 members",  # noqa: E501
    "    operate.rituals         46.7   0.467  at least 1       2 rituals in 4.3 weeks; the charter asks 1 per 7 days",  # noqa: E501
    "    operate.attendance     100.0   20.0%  at least 10.0%   2 member attendances at 2 rituals, for 5 members",  # noqa: E501
    "    operate.participation  100.0  100.0%  at least 30.0%   5 of 5 (100.0%) members interacted on their own",  # noqa: E501
    "    operate.roles          100.0      60  at least 5       2 operators and 1 advocate for 5 members",  # noqa: E501
    "    operate.reply_hours      0.8     504  at most 4        median over 1 inbound message, 1 still unanswered (counted as waiting until as_of)",  # noqa: E501
    "    operate.retention        n/a     n/a  at least 80.0%   no members on 2025-10-31",
    "    operate.peer_share      52.6   10.5%  at least 20.0%   2 of 19 (10.5%) member interactions were member-to-member",  # noqa: E501
    "    copy.capacity          100.0     2.5  at most 300      5 members for 2 operators",
    "  what to fix first:",
    "    measure               points  advice",
    "    output.cadence          +5.7  Publish valuable content at the charter's cadence.",
    "    output.reach            +4.2  Make content reach members: better topics, timing and placement.",  # noqa: E501
    "    operate.reply_hours     +4.1  Reply to members' messages faster.",
    "    structure.complaints    +2.8  Resolve complaints quickly and enforce the norms that prevent them.",  # noqa: E501
    "    operate.rituals         +2.2  Hold the pool's rituals at their cadence (仪式感).",
    "    operate.peer_share      +2.0  Get members talking to each other, not only to the brand (归属感).",  # noqa: E501
    "    interest.content        +0.8  Publish content on the pool's shared interests, not generic promotion.",  # noqa: E501
    "    structure.joining       +0.5  Filter members who do not fit the joining rule (see non_members).",  # noqa: E501
]

HEALTH_ZH = [
    "健康度，截至 2026-01-29 02:00+00:00",
    "  总分: 77.7 （有风险）",
    "  成员: 5",
    "  统计窗口: (2025-12-30 02:00+00:00, 2026-01-29 02:00+00:00]",
    "  复制: 尚未就绪",
    "  原因: output (输出) scores 60.4, below 70",
    "  原因: operate (运营) scores 66.7, below 70",
    "  维度:",
    "    维度  得分  权重",
    "    同好  96.9  1.00",
    "    结构  86.8  1.00",
    "    输出  60.4  1.00",
    "    运营  66.7  1.00",
    "  指标:",
    "    指标               得分    数值  目标             说明",
    "    同好成员占比      100.0  100.0%  at least 80.0%   5 of 5 (100.0%) members carry a charter interest",  # noqa: E501
    "    内容契合同好       93.8   75.0%  at least 80.0%   3 of 4 (75.0%) items published hit a charter interest",  # noqa: E501
    "    成员规模          100.0       5  5 to 500         5 members; the charter aims at 5 to 500",
    "    浅层以上成员占比  100.0   60.0%  at least 50.0%   3 of 5 (60.0%) members are engaged, converted or advocates",  # noqa: E501
    "    铁杆成员占比      100.0   20.0%  at least 5.0%    1 of 5 (20.0%) members are advocates",
    "    活跃分散度        100.0      40  at least 20      2 members of 5 active made half of the 19 member interactions",  # noqa: E501
    "    交流平台使用率    100.0  100.0%  at least 100.0%  4 of 4 (100.0%) declared platforms used by members",  # noqa: E501
    "    符合加入原则       84.2   80.0%  at least 95.0%   4 of 5 (80.0%) members satisfy all_of(interest:咖啡, none_of(lifecycle:blocked))",  # noqa: E501
    "    管理规范          100.0       3  at least 2       the charter declares 3 norms",
    "    投诉率             10.0     0.2  at most 0.02     1 complaint in the window for 5 members",
    "    内容输出频率       31.1   0.933  at least 3       4 items in 4.3 weeks; the charter asks 3 per 7 days",  # noqa: E501
    "    输出稳定性        100.0   0.365  at most 0.5      4 items; gaps (window edges included) of 3.0 to 9.0 days",  # noqa: E501
    "    内容触达           50.0     0.1  at least 0.2     2 member views of the 4 items published, for 5 members",  # noqa: E501
    "    仪式感：仪式频率   46.7   0.467  at least 1       2 rituals in 4.3 weeks; the charter asks 1 per 7 days",  # noqa: E501
    "    仪式感：出席率    100.0   20.0%  at least 10.0%   2 member attendances at 2 rituals, for 5 members",  # noqa: E501
    "    参与感：活跃率    100.0  100.0%  at least 30.0%   5 of 5 (100.0%) members interacted on their own",  # noqa: E501
    "    组织感：角色      100.0      60  at least 5       2 operators and 1 advocate for 5 members",  # noqa: E501
    "    组织感：回复时长    0.8     504  at most 4        median over 1 inbound message, 1 still unanswered (counted as waiting until as_of)",  # noqa: E501
    "    归属感：留存率       无      无  at least 80.0%   no members on 2025-10-31",
    "    归属感：成员互动   52.6   10.5%  at least 20.0%   2 of 19 (10.5%) member interactions were member-to-member",  # noqa: E501
    "    运营者负荷        100.0     2.5  at most 300      5 members for 2 operators",
    "  优先改进:",
    "    指标              可提升分数  建议",
    "    内容输出频率            +5.7  按约定频率持续输出有价值的内容。",
    "    内容触达                +4.2  提高内容触达：优化选题、发布时间和位置。",
    "    组织感：回复时长        +4.1  更快回复成员消息。",
    "    投诉率                  +2.8  及时处理投诉，执行管理规范，减少投诉。",
    "    仪式感：仪式频率        +2.2  按节奏举办固定仪式活动，建立仪式感。",
    "    归属感：成员互动        +2.0  促进成员之间的交流，而不只是和品牌互动。",
    "    内容契合同好            +0.8  内容要围绕社群的共同爱好，而不是泛泛的促销。",
    "    符合加入原则            +0.5  按加入原则筛选不符合的成员（见 non_members）。",
]

TABLE_EN = [
    "pool readiness at 2026-04-30 00:00+00:00",
    "  verdict: pool",
    "  members: 10",
    "  six steps and four ways:",
    "    item           status        advice",
    "    1 positioning  passed",
    "    2 endorsement  failed        Thicken the endorsement: list the awards, certifications, partners and press that vouch for the brand — in a pool, trust is worth more than gold.",  # noqa: E501
    "    3 culture      passed",
    "    4 warmth       passed",
    "    5 heat         passed",
    "    6 stickiness   not measured  To measure it, record the data of the four ways of sticking.",
    "    · by_product   not measured  To measure it, record COMPLAINT rows with their complaint_reason.",  # noqa: E501
    "    · by_people    not measured  To measure it, record COMPLAINT rows with their complaint_reason.",  # noqa: E501
    "    · by_store     not measured  To measure it, record STORE_VISIT rows (store visits, 上门).",
    "    · by_group     passed",
    "  checks:",
    "    check                       status        value  target   why",
    "    positioning.statement       passed        1      ≥ 1      positioning: The coffee you can trace to the farm",  # noqa: E501
    "    positioning.tags            passed        1      ≥ 1      the charter declares 1 interest tag",  # noqa: E501
    "    endorsement.count           failed        1      ≥ 2      the charter declares 1 endorsement",  # noqa: E501
    "    culture.pillars             passed        3      ≥ 3      vision, mission and values declared",  # noqa: E501
    "    culture.norms               passed        2      ≥ 2      the charter declares 2 norms",
    "    warmth.reply_hours          passed        1.5    ≤ 4      median over 2 inbound messages, 0 still unanswered (counted as waiting until as_of)",  # noqa: E501
    "    warmth.conversations        passed        20.0%  ≥ 10.0%  2 of 10 members (20.0%) sent a one-to-one message in the window",  # noqa: E501
    "    heat.participation          passed        90.0%  ≥ 30.0%  9 of 10 (90.0%) members interacted on their own",  # noqa: E501
    "    heat.events                 passed        20.0%  ≥ 10.0%  2 of 10 members (20.0%) attended an event in the window",  # noqa: E501
    "    stickiness.ways             not measured  n/a    ≥ 2      1 of the 4 ways measured; 2 needed to judge",  # noqa: E501
    "    product.repurchase          passed        50.0%  ≥ 20.0%  1 of 2 buyers bought again in the last 90 days",  # noqa: E501
    "    product.quality_complaints  not measured  n/a    ≤ 0.020  the data record no COMPLAINT rows: pass recorded_kinds= if the source records them (a pool may have none yet)",  # noqa: E501
    "    people.reply_hours          passed        1.5    ≤ 4      median over 2 inbound messages, 0 still unanswered (counted as waiting until as_of)",  # noqa: E501
    "    people.service_complaints   not measured  n/a    ≤ 0.020  the data record no COMPLAINT rows: pass recorded_kinds= if the source records them (a pool may have none yet)",  # noqa: E501
    "    store.visits                not measured  n/a    ≥ 10.0%  the data record no STORE_VISIT rows: pass recorded_kinds= if the source records them (a pool may have none yet)",  # noqa: E501
    "    group.posts                 passed        30.0%  ≥ 10.0%  3 of 10 members (30.0%) posted in a group in the window",  # noqa: E501
    "    group.peer_share            passed        30.0%  ≥ 20.0%  3 of 10 (30.0%) member interactions were member-to-member",  # noqa: E501
]

TABLE_ZH = [
    "客户池准备度，截至 2026-04-30 00:00+00:00",
    "  结论: 是私域",
    "  成员: 10",
    "  六步与四种粘人方式:",
    "    项目        状态    建议",
    "    精准度      通过",
    "    背书的厚度  未通过  增加背书的厚度：列出为品牌作证的奖项、认证、合作伙伴和媒体报道——信任比黄金更重要。",  # noqa: E501
    "    文化高度    通过",
    "    温度        通过",
    "    传播热度    通过",
    "    品牌黏度    未测量  需要记录：四种粘人方式所需的数据。",
    "    以物粘人    未测量  需要记录：带原因的投诉记录（COMPLAINT，complaint_reason）。",
    "    以人粘人    未测量  需要记录：带原因的投诉记录（COMPLAINT，complaint_reason）。",
    "    以店粘人    未测量  需要记录：到店记录（STORE_VISIT）。",
    "    以群粘人    通过",
    "  检查项:",
    "    检查                状态    数值   目标     说明",
    "    品牌定位            通过    1      ≥ 1      positioning: The coffee you can trace to the farm",  # noqa: E501
    "    关键标签            通过    1      ≥ 1      the charter declares 1 interest tag",
    "    背书                未通过  1      ≥ 2      the charter declares 1 endorsement",
    "    愿景、使命、价值观  通过    3      ≥ 3      vision, mission and values declared",
    "    管理规范            通过    2      ≥ 2      the charter declares 2 norms",
    "    回复时长            通过    1.5    ≤ 4      median over 2 inbound messages, 0 still unanswered (counted as waiting until as_of)",  # noqa: E501
    "    一对一沟通的成员    通过    20.0%  ≥ 10.0%  2 of 10 members (20.0%) sent a one-to-one message in the window",  # noqa: E501
    "    参与率              通过    90.0%  ≥ 30.0%  9 of 10 (90.0%) members interacted on their own",  # noqa: E501
    "    参加活动的成员      通过    20.0%  ≥ 10.0%  2 of 10 members (20.0%) attended an event in the window",  # noqa: E501
    "    成立的粘人方式      未测量  无     ≥ 2      1 of the 4 ways measured; 2 needed to judge",
    "    复购率              通过    50.0%  ≥ 20.0%  1 of 2 buyers bought again in the last 90 days",  # noqa: E501
    "    质量投诉            未测量  无     ≤ 0.020  the data record no COMPLAINT rows: pass recorded_kinds= if the source records them (a pool may have none yet)",  # noqa: E501
    "    回复时长            通过    1.5    ≤ 4      median over 2 inbound messages, 0 still unanswered (counted as waiting until as_of)",  # noqa: E501
    "    服务投诉            未测量  无     ≤ 0.020  the data record no COMPLAINT rows: pass recorded_kinds= if the source records them (a pool may have none yet)",  # noqa: E501
    "    到店的成员          未测量  无     ≥ 10.0%  the data record no STORE_VISIT rows: pass recorded_kinds= if the source records them (a pool may have none yet)",  # noqa: E501
    "    群内发言的成员      通过    30.0%  ≥ 10.0%  3 of 10 members (30.0%) posted in a group in the window",  # noqa: E501
    "    成员之间的互动      通过    30.0%  ≥ 20.0%  3 of 10 (30.0%) member interactions were member-to-member",  # noqa: E501
]

# -- readiness ------------------------------------------------------------------------------------


def test_readiness_text_in_english_line_by_line(short: PoolReadiness) -> None:
    assert lines(short.to_text("en", UTC)) == SHORT_EN


def test_readiness_text_in_chinese_line_by_line(short: PoolReadiness) -> None:
    assert lines(short.to_text("zh", UTC)) == SHORT_ZH


def test_readiness_table_in_english_line_by_line(short: PoolReadiness) -> None:
    assert lines(render_text(report_of(short), "en", UTC, None)) == TABLE_EN


def test_readiness_table_in_chinese_line_by_line(short: PoolReadiness) -> None:
    assert lines(render_text(report_of(short), "zh", UTC, None)) == TABLE_ZH


def test_no_pool_lists_its_reasons_in_the_text_and_the_table() -> None:
    table = EventTable.from_interactions(hand_rows(purchases=False), customers=MEMBERS)
    ready = pool_readiness(CHARTER.model_copy(update={"brand": None}), table, AS_OF)
    assert lines(ready.to_text("en", UTC))[:3] == [
        "Pool readiness at 2026-04-30 (10 members): no pool",
        "  - no brand: the charter declares none",
        "  - sales not measured: the data record no PURCHASE rows",
    ]
    assert lines(ready.to_text("zh", UTC))[:3] == [
        "客户池准备度（2026-04-30，成员 10 人）：没有私域",
        "  - 没有品牌：章程未声明品牌",
        "  - 销售未测量：数据中没有购买记录（PURCHASE）",
    ]
    assert lines(render_text(report_of(ready), "en", UTC, None))[1:5] == [
        "  verdict: no pool",
        "  members: 10",
        "  why: no brand: the charter declares none",
        "  why: sales not measured: the data record no PURCHASE rows",
    ]
    assert lines(render_text(report_of(ready), "zh", UTC, None))[1:5] == [
        "  结论: 没有私域",
        "  成员: 10",
        "  原因: 没有品牌：章程未声明品牌",
        "  原因: 销售未测量：数据中没有购买记录（PURCHASE）",
    ]


FRAME_COLUMNS = [
    *("as_of", "step", "item", "item_zh", "item_status", "check", "check_zh", "declared"),
    *("health_measure", "unit", "aim", "raw", "target", "score", "status", "why", "needs"),
    *("advice", "advice_zh"),
]


def test_readiness_frame_columns_and_values(short: PoolReadiness) -> None:
    frame = short.to_frame("polars")
    assert frame.columns == FRAME_COLUMNS
    # Seventeen checks in report order: five declared, then the measured ones.
    assert frame["declared"].to_list() == [True] * 5 + [False] * 12
    assert frame["step"].to_list() == [1, 1, 2, 3, 3, 4, 4, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6]
    # Targets: positioning 1 and 1 tag, 2 endorsements, 3 pillars, 2 norms, 4 h, 10%, 30%, 10%,
    # 2 ways, 20% repurchase, 0.02 complaints, 4 h, 0.02, 10% visits, 10% posts, 20% peer.
    # A check not measured keeps its target (store.visits: 0.1; the complaints: 0.02).
    targets = [1.0, 1.0, 2.0, 3.0, 2.0, 4.0, 0.1, 0.3, 0.1, 2.0, 0.2, 0.02, 4.0, 0.02]
    assert frame["target"].to_list() == [*targets, 0.1, 0.1, 0.2]
    # raw: 1 statement, 1 tag, 1 endorsement, 3 pillars, 2 norms, median(1 h, 2 h) = 1.5,
    # 2/10 in chat, 9/10 active, 2/10 at the event, stickiness not measured (1 way measured of
    # the 2 needed), repurchase 1 of 2 buyers, complaints not recorded, 1.5 h, not recorded,
    # visits not recorded, 3/10 posted, 3 peer of 10 own rows.
    assert frame["raw"].to_list() == [
        *(1.0, 1.0, 1.0, 3.0, 2.0, 1.5, 0.2, 0.9, 0.2, None, 0.5, None, 1.5, None, None, 0.3, 0.3)
    ]
    # endorsement 1 of 2: 50; every other measured check meets its target: 100.
    assert frame["score"].to_list() == [
        *(100.0, 100.0, 50.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, None, 100.0, None),
        *(100.0, None, None, 100.0, 100.0),
    ]
    assert frame["health_measure"].to_list() == [
        *(None, None, None, None, "structure.norms", "operate.reply_hours", None),
        *("operate.participation", None, None, None, None, "operate.reply_hours", None, None),
        *(None, "operate.peer_share"),
    ]
    assert frame["unit"].to_list() == [
        *("declared", "tags", "endorsements", "of 3", "norms", "hours", "share", "share"),
        *("share", "ways", "share", "per member", "hours", "per member", "share", "share"),
        "share",
    ]
    assert frame["needs"][14] == "STORE_VISIT rows (store visits, 上门)"
    checks = [(it, c) for it in short.items for c in it.checks]
    assert frame["why"].to_list() == [c.explanation for _, c in checks]
    assert frame["advice"].to_list() == [it.advice for it, _ in checks]
    assert frame["advice_zh"].to_list() == [it.advice_zh for it, _ in checks]
    assert frame["advice"][2].startswith("Thicken the endorsement")
    assert frame["advice_zh"][2].startswith("增加背书的厚度")


def test_a_policy_of_another_type_is_refused_with_the_rule() -> None:
    table = EventTable.from_interactions(hand_rows(), customers=MEMBERS)
    with pytest.raises(WrongTypeError) as info:
        pool_readiness(CHARTER, table, AS_OF, policy="strict")  # type: ignore[arg-type]
    assert (info.value.field, info.value.rule) == ("policy", "must be a custpool.ReadinessPolicy")


# -- health report --------------------------------------------------------------------------------

EXPLANATIONS = {
    "interest.members": "5 of 5 (100.0%) members carry a charter interest",
    "interest.content": "3 of 4 (75.0%) items published hit a charter interest",
    "structure.size": "5 members; the charter aims at 5 to 500",
    "structure.depth": "3 of 5 (60.0%) members are engaged, converted or advocates",
    "structure.advocates": "1 of 5 (20.0%) members are advocates",
    "structure.spread": "2 members of 5 active made half of the 19 member interactions",
    "structure.platforms": "4 of 4 (100.0%) declared platforms used by members",
    "structure.joining": (
        "4 of 5 (80.0%) members satisfy all_of(interest:咖啡, none_of(lifecycle:blocked))"
    ),
    "structure.norms": "the charter declares 3 norms",
    "structure.complaints": "1 complaint in the window for 5 members",
    "output.cadence": "4 items in 4.3 weeks; the charter asks 3 per 7 days",  # 30 / 7 = 4.29
    "output.regularity": "4 items; gaps (window edges included) of 3.0 to 9.0 days",
    "output.reach": "2 member views of the 4 items published, for 5 members",
    "operate.rituals": "2 rituals in 4.3 weeks; the charter asks 1 per 7 days",
    "operate.attendance": "2 member attendances at 2 rituals, for 5 members",
    "operate.participation": "5 of 5 (100.0%) members interacted on their own",
    "operate.roles": "2 operators and 1 advocate for 5 members",
    "operate.reply_hours": (
        "median over 1 inbound message, 1 still unanswered (counted as waiting until as_of)"
    ),
    "operate.retention": "no members on 2025-10-31",
    "operate.peer_share": "2 of 19 (10.5%) member interactions were member-to-member",
    "copy.capacity": "5 members for 2 operators",
}


def test_every_measure_explains_its_hand_checked_numbers(report: HealthReport) -> None:
    # The counts are test_health.py's: 5 members, 3 of 4 posts on an interest, 3 deep, 1
    # advocate, the 2 busiest of 5 active made half of 19 own rows, all 4 platforms, c-005 out
    # of the rule, 3 norms, 1 complaint, 4 posts and 2 rituals in 30 days, gaps 7, 3, 4, 7, 9
    # days, 2 views, 2 attendances, 2 operators, c-001's one message unanswered.
    shown = {m.measure.value: m.explanation for d in report.dimensions for m in d.measures}
    assert shown == EXPLANATIONS


def test_health_text_in_english_line_by_line(report: HealthReport) -> None:
    assert lines(report.to_text("en", UTC)) == HEALTH_EN


def test_health_text_in_chinese_line_by_line(report: HealthReport) -> None:
    assert lines(report.to_text("zh", UTC)) == HEALTH_ZH


def test_health_repr_names_the_band(report: HealthReport) -> None:
    assert repr(report) == (
        "HealthReport(as_of=2026-01-29T02:00:00+00:00, overall=77.7, band=at_risk, "
        "copy=not_ready, 5 members)"
    )


def test_attendance_counts_only_the_rituals_held_in_the_window() -> None:
    rows = [*hand_rows(), row("c-5", 44, "event_attend", event_id="e-2")]
    table = EventTable.from_interactions(rows, customers=MEMBERS)
    held = {"kind": "event_held", "channel": "live_stream"}
    activities = [
        PoolActivity(id="a-1", at=T0 + timedelta(days=42), event_id="e-1", ritual=True, **held),
        PoolActivity(id="a-2", at=T0 + timedelta(days=44), event_id="e-2", **held),  # no ritual
    ]
    report = score_health(table, CHARTER, AS_OF, activities=activities)
    attendance = report.measure("operate.attendance")
    # c-3 and c-4 at the ritual e-1; c-5 at e-2, not a ritual: 2 / (1 ritual x 10 members)
    assert attendance.raw == pytest.approx(0.2)
    assert attendance.explanation == "2 member attendances at 1 ritual, for 10 members"


# -- errors: the field, the rule and the error's kind ---------------------------------------------


def _event(id_: str, day: float, event: str) -> PoolActivity:
    at = T0 + timedelta(days=day)
    return PoolActivity(id=id_, at=at, kind="event_held", channel="live_stream", event_id=event)


def _scored(**options: Any) -> object:
    table = EventTable.from_interactions(hand_rows(), customers=MEMBERS)
    arguments = {"table": table, "charter": CHARTER, "as_of": AS_OF, **options}
    return score_health(**arguments)


def _trend(period_ends: object) -> object:
    table = EventTable.from_interactions(hand_rows(), customers=MEMBERS)
    return health_trend(table, CHARTER, period_ends)  # type: ignore[arg-type]


REFUSALS = [
    (
        lambda: _scored(table=[]),
        WrongTypeError,
        "table",
        "must be a custpool.EventTable",
    ),
    (
        lambda: _scored(charter="Coffee lovers"),
        WrongTypeError,
        "charter",
        "must be a custpool.PoolCharter",
    ),
    (
        lambda: _scored(policy="strict"),
        WrongTypeError,
        "policy",
        "must be a custpool.HealthPolicy",
    ),
    (
        lambda: _scored(tags="interest:咖啡"),
        WrongTypeError,
        "tags",
        "must be a custpool.CustomerTags or None",
    ),
    (
        lambda: _scored(activities="post-1"),
        WrongTypeError,
        "activities",
        "must be PoolActivity records or None",
    ),
    (
        lambda: _scored(activities=5),
        WrongTypeError,
        "activities",
        "must be PoolActivity records or None",
    ),
    (
        lambda: _scored(activities=[_event("a-1", 42, "e-1"), "a-2"]),
        WrongTypeError,
        "activities[1]",
        "must be a PoolActivity",
    ),
    (
        lambda: _scored(activities=[_event("a-1", 42, "e-1"), _event("a-1", 43, "e-1")]),
        ValidationError,
        "activities[1].id",
        "repeats the id of activities[0] with other content",
    ),
    (
        lambda: _scored(as_of=datetime(1900, 1, 20, tzinfo=UTC)),  # 19 days: the window is 30
        ValidationError,
        "as_of",
        "must be at least policy.window after 1900-01-01 (the window starts there)",
    ),
    (
        lambda: _trend(5),
        WrongTypeError,
        "period_ends",
        "must be aware datetimes",
    ),
    (
        lambda: _trend([]),
        ValidationError,
        "period_ends",
        "must hold at least one instant",
    ),
    (
        lambda: _trend([AS_OF, AS_OF]),
        ValidationError,
        "period_ends[1]",
        "must be after the previous period end (strictly increasing)",
    ),
    (
        lambda: _trend([AS_OF, datetime(1900, 1, 20, tzinfo=UTC)]),
        ValidationError,
        "period_ends[1]",
        "must be at least policy.window after 1900-01-01 (the window starts there)",
    ),
    (
        lambda: explain_change(_scored(), "after"),  # type: ignore[arg-type]
        WrongTypeError,
        "after",
        "must be a custpool.HealthReport",
    ),
    (
        lambda: explain_change(None, _scored()),  # type: ignore[arg-type]
        WrongTypeError,
        "before",
        "must be a custpool.HealthReport",
    ),
]


@pytest.mark.parametrize(("call", "kind", "field", "rule"), REFUSALS)
def test_refusals_name_the_field_and_the_rule(call, kind, field, rule) -> None:
    with pytest.raises(kind) as info:
        call()
    assert (info.value.field, info.value.rule) == (field, rule)


def test_an_activity_repeated_exactly_counts_once() -> None:
    ritual = _event("a-1", 42, "e-1").model_copy(update={"ritual": True})
    report = _scored(activities=[ritual, ritual])
    # one ritual in the window, attended by c-3 and c-4: 2 / (1 x 10)
    assert report.measure("operate.attendance").raw == pytest.approx(0.2)


# -- readiness in the cases the hand pool does not meet -------------------------------------------

ALL_KINDS = list(InteractionKind)


def test_a_bare_charter_on_a_silent_pool_explains_every_check() -> None:
    # Ten members connected on day 0 and nothing else in the window; one purchase on day -60,
    # before the 90-day sales window (day -30, day 60]; every kind declared recorded.
    rows = [row(cid, 0, "connect", source="store") for cid in MEMBERS]
    rows.append(purchase("c-1", -60, "o-9"))
    table = EventTable.from_interactions(rows, customers=MEMBERS)
    ready = pool_readiness(PoolCharter(name="Bare"), table, AS_OF, recorded_kinds=ALL_KINDS)
    shown = {c.check.value: (c.raw, c.explanation) for it in ready.items for c in it.checks}
    assert shown == {
        "positioning.statement": (0.0, "the charter declares none"),
        "positioning.tags": (0.0, "the charter declares 0 interest tags"),
        "endorsement.count": (0.0, "the charter declares 0 endorsements"),
        "culture.pillars": (0.0, "missing: vision, mission, values"),
        "culture.norms": (0.0, "the charter declares 0 norms"),
        "warmth.reply_hours": (None, "no inbound message from a member in the window"),
        "warmth.conversations": (
            0.0,
            "0 of 10 members (0.0%) sent a one-to-one message in the window",
        ),
        "heat.participation": (0.0, "0 of 10 (0.0%) members interacted on their own"),
        "heat.events": (0.0, "0 of 10 members (0.0%) attended an event in the window"),
        # by_store failed (0 visits): the only way judged, of the 2 needed
        "stickiness.ways": (None, "1 of the 4 ways measured; 2 needed to judge"),
        "product.repurchase": (None, "nobody bought in the last 90 days"),
        "product.quality_complaints": (0.0, "0 quality complaints in the window for 10 members"),
        "people.reply_hours": (None, "no inbound message from a member in the window"),
        "people.service_complaints": (0.0, "0 service complaints in the window for 10 members"),
        "store.visits": (0.0, "0 of 10 members (0.0%) visited a store in the window"),
        "group.posts": (0.0, "0 of 10 members (0.0%) posted in a group in the window"),
        "group.peer_share": (None, "no member interactions in the window"),
    }
    assert [(i.item.value, i.status.value) for i in ready.items] == [
        *(("positioning", "failed"), ("endorsement", "failed"), ("culture", "failed")),
        *(("warmth", "not_measured"), ("heat", "failed"), ("stickiness", "not_measured")),
        *(("by_product", "not_measured"), ("by_people", "not_measured")),
        *(("by_store", "failed"), ("by_group", "not_measured")),
    ]
    assert (
        ready.item("by_product").advice
        == "To measure it, record PURCHASE rows in the sales window."
    )
    assert ready.item("warmth").advice == (
        "To measure it, record members' inbound MESSAGE rows and the operators' outbound "
        "MESSAGE replies."
    )
    assert ready.verdict_reasons == (
        "no brand: the charter declares none",
        "no activity: no member took part on their own in the last 30 days",
        "no sales: nobody bought in the last 90 days",
    )
    assert ready.verdict_reasons_zh == (
        "没有品牌：章程未声明品牌",
        "没有活跃：最近 30 天没有成员主动互动",
        "没有销售：最近 90 天没有人购买",
    )


def test_a_pool_without_members_measures_no_share_and_keeps_each_target() -> None:
    rows = [row(cid, 70, "connect", source="store") for cid in MEMBERS]  # after as_of (day 60)
    table = EventTable.from_interactions(rows, customers=MEMBERS)
    ready = pool_readiness(CHARTER, table, AS_OF, recorded_kinds=ALL_KINDS)
    no_members = [
        *("warmth.conversations", "heat.participation", "heat.events"),
        *("product.quality_complaints", "people.service_complaints", "store.visits"),
        "group.posts",
    ]
    for name in no_members:
        check = ready.check(name)
        assert (check.raw, check.score, check.explanation) == (
            None,
            None,
            "the pool has no members",
        )
    targets = [ready.check(name).target for name in no_members]
    assert targets == [0.1, 0.3, 0.1, 0.02, 0.02, 0.1, 0.1]  # the default policy's
    assert (
        ready.check("stickiness.ways").explanation == "0 of the 4 ways measured; 2 needed to judge"
    )


def test_complaints_are_counted_by_cause_with_the_noun_in_the_singular_for_one() -> None:
    rows = [
        *hand_rows(),
        row("c-6", 46, "complaint", complaint_reason="quality"),
        row("c-7", 47, "complaint", complaint_reason="service"),
        row("c-8", 48, "complaint", complaint_reason="service"),
    ]
    table = EventTable.from_interactions(rows, customers=MEMBERS)
    ready = pool_readiness(CHARTER, table, AS_OF)
    # 1 quality complaint / 10 members = 0.1; 2 service complaints / 10 = 0.2; at most 0.02
    assert str(ready.check("product.quality_complaints")) == (
        "product.quality_complaints: failed (0.100 against at most 0.020) — "
        "1 quality complaint in the window for 10 members"
    )
    assert str(ready.check("people.service_complaints")) == (
        "people.service_complaints: failed (0.200 against at most 0.020) — "
        "2 service complaints in the window for 10 members"
    )


def test_two_interest_tags_are_written_in_the_plural() -> None:
    table = EventTable.from_interactions(hand_rows(), customers=MEMBERS)
    charter = CHARTER.model_copy(update={"interests": ("咖啡", "茶")})
    tags = pool_readiness(charter, table, AS_OF).check("positioning.tags")
    assert (tags.raw, tags.explanation) == (2.0, "the charter declares 2 interest tags")


# -- health in the cases the example pool does not meet --------------------------------------------

SILENT = {
    "interest.members": (None, "no customer tags given (pass tags=CustomerTags…)"),
    "interest.content": (None, "no activity records given (pass activities=…)"),
    "structure.size": (None, "the charter declares no target size"),
    "structure.depth": (0.0, "0 of 10 (0.0%) members are engaged, converted or advocates"),
    "structure.advocates": (0.0, "0 of 10 (0.0%) members are advocates"),
    "structure.spread": (None, "no member interactions in the window"),
    "structure.platforms": (None, "the charter declares no platforms"),
    "structure.joining": (None, "the charter declares no joining rule"),
    "structure.norms": (0.0, "the charter declares 0 norms"),
    "structure.complaints": (0.0, "0 complaints in the window for 10 members"),
    "output.cadence": (None, "the charter declares no content cadence"),
    "output.regularity": (None, "no activity records given (pass activities=…)"),
    "output.reach": (None, "no activity records given (pass activities=…)"),
    "operate.rituals": (None, "the charter declares no ritual cadence"),
    "operate.attendance": (None, "no activity records given (pass activities=…)"),
    "operate.participation": (0.0, "0 of 10 (0.0%) members interacted on their own"),
    "operate.roles": (0.0, "0 operators and 0 advocates for 10 members"),
    "operate.reply_hours": (None, "no inbound message from a member in the window"),
    "operate.retention": (None, "no members on 2026-01-30"),
    "operate.peer_share": (None, "no member interactions in the window"),
    "copy.capacity": (None, "the charter names no operators"),
}

MEMBERLESS = {
    "interest.members": (None, "no customer tags given (pass tags=CustomerTags…)"),
    "interest.content": (None, "no content published in the window"),
    "structure.size": (None, "the charter declares no target size"),
    "structure.depth": (None, "the pool has no members"),
    "structure.advocates": (None, "the pool has no members"),
    "structure.spread": (None, "no member interactions in the window"),
    "structure.platforms": (None, "the charter declares no platforms"),
    "structure.joining": (None, "the charter declares no joining rule"),
    "structure.norms": (2.0, "the charter declares 2 norms"),
    "structure.complaints": (None, "the pool has no members"),
    "output.cadence": (None, "the charter declares no content cadence"),
    "output.regularity": (None, "fewer than 2 items published in the window"),
    "output.reach": (None, "no content published in the window"),
    "operate.rituals": (None, "the charter declares no ritual cadence"),
    "operate.attendance": (None, "no ritual held in the window"),
    "operate.participation": (None, "the pool has no members"),
    "operate.roles": (None, "the pool has no members"),
    "operate.reply_hours": (None, "no inbound message from a member in the window"),
    "operate.retention": (
        None,
        "the data record no CHURN rows: pass recorded_kinds= if the source records them (a pool may have none yet)",  # noqa: E501
    ),
    "operate.peer_share": (None, "no member interactions in the window"),
    "copy.capacity": (0.0, "0 members for 1 operator"),
}

MEMBERLESS_EN = [
    "health at 2026-04-30 00:00+00:00",
    "  overall: n/a",
    "  members: 0",
    "  window: (2026-03-31 00:00+00:00, 2026-04-30 00:00+00:00]",
    "  copy: not ready",
    "  why not: interest (同好) is not measured",
    "  why not: output (输出) is not measured",
    "  why not: operate (运营) is not measured",
    "  dimensions:",
    "    dimension  score  weight",
    "    interest     n/a    1.00",
    "    structure  100.0    1.00",
    "    output       n/a    1.00",
    "    operate      n/a    1.00",
    "  measures:",
    "    measure                score  value  target           why",
    "    interest.members         n/a    n/a  at least 80.0%   no customer tags given (pass tags=CustomerTags…)",  # noqa: E501
    "    interest.content         n/a    n/a  at least 80.0%   no content published in the window",
    "    structure.size           n/a    n/a  no target        the charter declares no target size",
    "    structure.depth          n/a    n/a  at least 50.0%   the pool has no members",
    "    structure.advocates      n/a    n/a  at least 5.0%    the pool has no members",
    "    structure.spread         n/a    n/a  at least 20      no member interactions in the window",  # noqa: E501
    "    structure.platforms      n/a    n/a  at least 100.0%  the charter declares no platforms",
    "    structure.joining        n/a    n/a  at least 95.0%   the charter declares no joining rule",  # noqa: E501
    "    structure.norms        100.0      2  at least 2       the charter declares 2 norms",
    "    structure.complaints     n/a    n/a  at most 0.02     the pool has no members",
    "    output.cadence           n/a    n/a  no target        the charter declares no content cadence",  # noqa: E501
    "    output.regularity        n/a    n/a  at most 0.5      fewer than 2 items published in the window",  # noqa: E501
    "    output.reach             n/a    n/a  at least 0.2     no content published in the window",
    "    operate.rituals          n/a    n/a  no target        the charter declares no ritual cadence",  # noqa: E501
    "    operate.attendance       n/a    n/a  at least 10.0%   no ritual held in the window",
    "    operate.participation    n/a    n/a  at least 30.0%   the pool has no members",
    "    operate.roles            n/a    n/a  at least 5       the pool has no members",
    "    operate.reply_hours      n/a    n/a  at most 4        no inbound message from a member in the window",  # noqa: E501
    "    operate.retention        n/a    n/a  at least 80.0%   the data record no CHURN rows: pass recorded_kinds= if the source records them (a pool may have none yet)",  # noqa: E501
    "    operate.peer_share       n/a    n/a  at least 20.0%   no member interactions in the window",  # noqa: E501
    "    copy.capacity          100.0      0  at most 500      0 members for 1 operator",
    "  what to fix first:",
    "    measure  points  advice",
]

MEMBERLESS_ZH = [
    "健康度，截至 2026-04-30 00:00+00:00",
    "  总分: 无",
    "  成员: 0",
    "  统计窗口: (2026-03-31 00:00+00:00, 2026-04-30 00:00+00:00]",
    "  复制: 尚未就绪",
    "  原因: interest (同好) is not measured",
    "  原因: output (输出) is not measured",
    "  原因: operate (运营) is not measured",
    "  维度:",
    "    维度   得分  权重",
    "    同好     无  1.00",
    "    结构  100.0  1.00",
    "    输出     无  1.00",
    "    运营     无  1.00",
    "  指标:",
    "    指标               得分  数值  目标             说明",
    "    同好成员占比         无    无  at least 80.0%   no customer tags given (pass tags=CustomerTags…)",  # noqa: E501
    "    内容契合同好         无    无  at least 80.0%   no content published in the window",
    "    成员规模             无    无  no target        the charter declares no target size",
    "    浅层以上成员占比     无    无  at least 50.0%   the pool has no members",
    "    铁杆成员占比         无    无  at least 5.0%    the pool has no members",
    "    活跃分散度           无    无  at least 20      no member interactions in the window",
    "    交流平台使用率       无    无  at least 100.0%  the charter declares no platforms",
    "    符合加入原则         无    无  at least 95.0%   the charter declares no joining rule",
    "    管理规范          100.0     2  at least 2       the charter declares 2 norms",
    "    投诉率               无    无  at most 0.02     the pool has no members",
    "    内容输出频率         无    无  no target        the charter declares no content cadence",
    "    输出稳定性           无    无  at most 0.5      fewer than 2 items published in the window",  # noqa: E501
    "    内容触达             无    无  at least 0.2     no content published in the window",
    "    仪式感：仪式频率     无    无  no target        the charter declares no ritual cadence",
    "    仪式感：出席率       无    无  at least 10.0%   no ritual held in the window",
    "    参与感：活跃率       无    无  at least 30.0%   the pool has no members",
    "    组织感：角色         无    无  at least 5       the pool has no members",
    "    组织感：回复时长     无    无  at most 4        no inbound message from a member in the window",  # noqa: E501
    "    归属感：留存率       无    无  at least 80.0%   the data record no CHURN rows: pass recorded_kinds= if the source records them (a pool may have none yet)",  # noqa: E501
    "    归属感：成员互动     无    无  at least 20.0%   no member interactions in the window",
    "    运营者负荷        100.0     0  at most 500      0 members for 1 operator",
    "  优先改进:",
    "    指标  可提升分数  建议",
]

MEMBERLESS_STR = [
    "Health at 2026-04-30: not measured, 0 members",
    "  interest 同好: not measured",
    "  structure 结构: 100.0",
    "  output 输出: not measured",
    "  operate 运营: not measured",
    "  copy 复制: not_ready",
    "    - interest (同好) is not measured",
    "    - output (输出) is not measured",
    "    - operate (运营) is not measured",
]


def test_a_bare_charter_on_a_silent_pool_explains_every_measure() -> None:
    # Ten members connected on day 0, nothing since; every kind declared recorded; no tags, no
    # activities. Not measured where the charter or the inputs say nothing; zero where a count
    # is zero (no deep member, no advocate, no norm, no complaint, nobody active).
    rows = [row(cid, 0, "connect", source="store") for cid in MEMBERS]
    table = EventTable.from_interactions(rows, customers=MEMBERS)
    report = score_health(table, PoolCharter(name="Bare"), AS_OF, recorded_kinds=ALL_KINDS)
    shown = {m.measure.value: (m.raw, m.explanation) for d in report.dimensions for m in d.measures}
    assert shown == SILENT


def memberless() -> HealthReport:
    rows = [row(cid, 70, "connect", source="store") for cid in MEMBERS]  # after as_of (day 60)
    table = EventTable.from_interactions(rows, customers=MEMBERS)
    return score_health(table, CHARTER, AS_OF, activities=[])


def test_a_pool_without_members_explains_every_measure() -> None:
    report = memberless()
    shown = {m.measure.value: (m.raw, m.explanation) for d in report.dimensions for m in d.measures}
    assert shown == MEMBERLESS


def test_a_pool_without_members_in_text_line_by_line() -> None:
    report = memberless()
    assert lines(report.to_text("en", UTC)) == MEMBERLESS_EN
    assert lines(report.to_text("zh", UTC)) == MEMBERLESS_ZH
    assert lines(str(report)) == MEMBERLESS_STR
    assert repr(report) == (
        "HealthReport(as_of=2026-04-30T00:00:00+00:00, overall=not measured, band=none, "
        "copy=not_ready, 0 members)"
    )


# -- summed facts ---------------------------------------------------------------------------------


def test_the_sums_of_two_halves_add_up_to_the_whole() -> None:
    rows = [*hand_rows(), row("c-6", 46, "complaint", complaint_reason="quality")]
    table = EventTable.from_interactions(rows, customers=MEMBERS)
    policy = HealthPolicy()
    first = {table.customer_ids.index(f"c-{n}") for n in range(1, 6)}
    in_first = np.isin(table.customer, sorted(first))
    halves = [
        part_table(table, np.flatnonzero(side).astype(np.intp)) for side in (in_first, ~in_first)
    ]
    parts = [facts_at(half, CHARTER, AS_OF, policy).sums for half in halves]
    total = HealthSums.total(parts)
    whole = facts_at(table, CHARTER, AS_OF, policy).sums
    # c-1 … c-5: 2 messages, 2 attendances, c-5's 2 purchases = 6 own rows, none peer;
    # c-6 … c-10: c-6's purchase and complaint, 3 peer posts = 5 own rows, 3 peer.
    assert [(p.members, p.own, p.peer) for p in parts] == [(5, 6, 0), (5, 5, 3)]
    assert (total.members, total.own, total.peer, total.complaints) == (10, 11, 3, 1)
    assert (total.inbound, total.outbound, total.waiting) == (2, 2, 0)
    # 7 members with one own row, c-5 and c-6 with two (c-7 has none)
    assert total.spread.tolist() == whole.spread.tolist() == [0, 7, 2]
    for name in ("channels", "kinds", "wait_buckets", "waits", "wait_counts"):
        assert getattr(total, name).tolist() == getattr(whole, name).tolist(), name
    assert total.kinds.sum() == len(rows)  # every row, of some kind
    assert total.median_wait() == whole.median_wait() == 1.5 * 3_600_000_000  # 1 h and 2 h
