"""The report's sections, built from the library's own results and their text forms.

``--lang zh`` changes the titles, state and tier labels, the health dimensions and band, and
the advice; the figures' explanations are the library's (in English, with Chinese KPI names).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Final

import numpy as np

from custpool import (
    CustomerTags,
    Dimension,
    EventTable,
    HealthPolicy,
    HealthReport,
    ParadigmFit,
    Policy,
    PoolActivity,
    PoolCharter,
    PoolGrowth,
    PoolKpis,
    RfmSummary,
    State,
    TierFlows,
    TierLTV,
    TierTable,
    churn_causes,
    classify_table,
    growth_breakdown,
    paradigm_fit,
    pool_growth,
    pool_kpis,
    pool_readiness,
    rfm_summary,
    score_health,
    tier_flows,
    tier_ltv,
    tier_snapshots,
)
from custpool.cli._lessons import (
    LESSON_TITLES,
    churn_section,
    readiness_section,
    sources_section,
)
from custpool.cli._output import Section, plain, spinner

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = ["TITLES", "Inputs", "full_report", "health_section", "title"]

TITLES: Final = {
    "pool": ("Pool", "客户池"),
    "states": ("Relationship tiers 浅 · 粘 · 深 · 铁", "关系层级 浅 · 粘 · 深 · 铁"),
    "paradigm": ("Which paradigm fits the data", "哪种范式更贴合数据"),
    "kpis": ("Six KPIs", "六大指标"),
    "growth": ("Growth, period over period", "环比增长"),
    "flows": ("Tier flows (moves between states)", "层级流转"),
    "ltv": ("Lifetime value by starting state", "各状态生命周期价值"),
    "rfm": ("RFM", "RFM 模型"),
    **LESSON_TITLES,
    "health": ("ISOOC health", "ISOOC 健康度"),
}

_KPI_LINES: Final = (
    ("user scale", "规模用户", "scale"),
    ("activity rate", "活跃度", "activity"),
    ("conversion rate", "转化率", "conversion"),
    ("average order value", "客单价", "order_value"),
    ("repurchase rate", "复购率", "repurchase"),
    ("NPS", "净推荐值", "net_promoter"),
    ("funnel 客户池 → 上门 → 成交", "漏斗 客户池 → 上门 → 成交", "funnel"),
)


def title(key: str, lang: str) -> str:
    """Return a section's title in ``lang`` (``en`` or ``zh``).

    Examples
    --------
    >>> title("kpis", "en"), title("kpis", "zh")
    ('Six KPIs', '六大指标')
    """
    en, zh = TITLES[key]
    return zh if lang == "zh" else en


def state_label(state: State, lang: str) -> str:
    """Return a state's name in ``lang``: ``engaged`` or ``粘``."""
    return state.label_zh if lang == "zh" else state.value


@dataclass(frozen=True)
class Inputs:
    """What a report is computed from, and how it is shown."""

    table: EventTable
    charter: PoolCharter
    as_of: datetime
    window: timedelta
    policy: Policy
    tags: CustomerTags | None = None
    activities: Sequence[PoolActivity] | None = None
    discount_rate: float = 0.01
    periods: int = 3
    lang: str = "en"
    tz: tzinfo | None = None


def _time(value: datetime, tz: tzinfo | None) -> str:
    return (value.astimezone(tz) if tz is not None else value).isoformat(timespec="seconds")


def pool_section(inputs: Inputs) -> Section:
    """Return the header: the pool's name, size, currency, as-of time and window."""
    table = inputs.table
    data = {
        "name": inputs.charter.name,
        "customers": table.n_customers,
        "events": len(table),
        "currency": table.currency,
        "as_of": _time(inputs.as_of, inputs.tz),
        "window_days": inputs.window / timedelta(days=1),
        "paradigm": inputs.policy.paradigm.name,
    }
    text = (
        f"{inputs.charter.name}: {table.n_customers} customers, {len(table)} events "
        f"({table.currency or 'no currency'}); as of {data['as_of']}, window "
        f"{data['window_days']:g} days, {inputs.policy.paradigm.name}"
    )
    return Section("pool", title("pool", inputs.lang), text, data)


def states_section(tiers: TierTable, lang: str) -> Section:
    """Return how many customers are in each state, with shares."""
    counts = tiers.counts()
    total = sum(counts.values())
    rows = tuple(
        (state_label(s, lang), n, f"{n / total:.1%}" if total else "-") for s, n in counts.items()
    )
    headers = ("状态", "客户数", "占比") if lang == "zh" else ("state", "customers", "share")
    data = {s.value: n for s, n in counts.items()}
    return Section("states", title("states", lang), "", data, headers, rows)


def kpis_section(kpis: PoolKpis, lang: str) -> Section:
    """Return the six KPIs (and the store funnel), one line each, with the library's text."""
    lines = [f"window {kpis.window}"]
    for en, zh, attr in _KPI_LINES:
        label = zh if lang == "zh" else f"{en} {zh}" if not en.startswith("funnel") else en
        lines.append(f"{label}: {getattr(kpis, attr)}")
    return Section("kpis", title("kpis", lang), "\n".join(lines), plain(kpis))


def growth_section(growth: PoolGrowth, lang: str) -> Section:
    """Return the growth of user scale, repurchase and order value over the periods."""
    text = "\n".join(line.strip() for line in str(growth).splitlines())
    return Section("growth", title("growth", lang), text, plain(growth))


def flows_section(flows: TierFlows, lang: str, top: int = 8) -> Section:
    """Return the largest moves between states over all the periods."""
    moves = sorted(flows.moves().items(), key=lambda kv: (-kv[1], kv[0][0].code, kv[0][1].code))
    rows = tuple((state_label(a, lang), state_label(b, lang), n) for (a, b), n in moves[:top])
    headers = ("从", "到", "客户次") if lang == "zh" else ("from", "to", "customers")
    data = {
        "period_ends": [plain(t) for t in flows.period_ends],
        "moves": [{"from": a.value, "to": b.value, "customers": n} for (a, b), n in moves],
    }
    return Section("flows", title("flows", lang), "", data, headers, rows)


def ltv_section(ltv: TierLTV, lang: str) -> Section:
    """Return each state's expected discounted lifetime value."""
    rows = []
    data: dict[str, object] = {"currency": ltv.currency, "discount_rate": ltv.discount_rate}
    values: dict[str, object] = {}
    for state in State:
        minor = ltv.value_of(state)
        money = ltv.money(state) if ltv.currency is not None else None
        if minor is None or not math.isfinite(minor):
            shown = "n/a"
        elif money is None:
            shown = f"{minor:.0f} (minor units)"
        else:
            shown = str(money)
        rows.append((state_label(state, lang), shown))
        values[state.value] = None if shown == "n/a" else shown
    data["value"] = values
    headers = ("状态", "生命周期价值") if lang == "zh" else ("state", "lifetime value")
    return Section("ltv", title("ltv", lang), "", data, headers, tuple(rows))


def rfm_section(rfm: RfmSummary, lang: str) -> Section:
    """Return one line: buyers, repeat buyers, mean frequency, recency and order value."""
    buyers = len(rfm.customer_ids)
    repeat = int(np.count_nonzero(rfm.frequency > 0))
    mean_f = float(rfm.frequency.mean()) if buyers else 0.0
    repeat_values = rfm.monetary_value[rfm.frequency > 0]
    mean_m = float(repeat_values.mean()) if repeat else None
    currency = f" {rfm.currency}" if rfm.currency else ""
    share = f"{repeat / buyers:.1%}" if buyers else "-"
    money = "n/a" if mean_m is None else f"{mean_m:.2f}{currency}"
    text = (
        f"{buyers} buyers, {repeat} repeat buyers ({share}); mean frequency {mean_f:.2f} "
        f"repeat periods; mean repeat order value {money}"
    )
    data = {
        "buyers": buyers,
        "repeat_buyers": repeat,
        "mean_frequency": mean_f,
        "mean_repeat_order_value": mean_m,
        "currency": rfm.currency,
    }
    return Section("rfm", title("rfm", lang), text, data)


def health_section(report: HealthReport, lang: str) -> Section:
    """Return the ISOOC score, its dimensions, the Copy verdict and the top advice."""
    if lang == "zh":
        band = report.band.label_zh if report.band is not None else "未测量"
        lines = [
            f"总分 {_score(report.overall)}（{band}），成员 {report.members:,}",
            *(
                f"{d.dimension.label_zh}: {_score(d.score)}"
                for d in report.dimensions
                if d.dimension is not Dimension.COPY
            ),
            f"{Dimension.COPY.label_zh}: {report.copy_gate.verdict.value}",
            *(f"  - {reason}" for reason in report.copy_gate.reasons),
            *(
                f"+{r.points:.1f} {r.measure.value}: {r.advice_zh}"
                for r in report.recommendations[:3]
            ),
        ]
        text = "\n".join(lines)
    else:
        text = str(report)
    return Section("health", title("health", lang), text, report.to_dict())


def paradigm_section(fit: ParadigmFit, lang: str) -> Section:
    """Return which ladder holds back fewer customers, and why (issue 14's diagnostic)."""
    better = None if fit.better is None else fit.better.name
    if lang == "zh":
        verdict = "两者相当" if better is None else f"{better} 更贴合"
        lines = [
            (
                f"{verdict}；被压在低层的客户：养熟优先 {fit.held_back['nurture_first']}，"
                f"成交优先 {fit.held_back['convert_first']}"
            ),
            (
                f"养熟优先下 {fit.buyers_at_shallow}/{fit.buyers} 位购买者停在浅层；"
                f"成交优先下 {fit.talkers_at_shallow}/{fit.talkers} 位活跃者停在浅层"
            ),
        ]
        text = "\n".join(lines)
    else:
        text = str(fit)
    data = {
        "better": better,
        "held_back": dict(fit.held_back),
        "buyers": fit.buyers,
        "repeat_buyers": fit.repeat_buyers,
        "talkers": fit.talkers,
        "buyers_at_shallow": fit.buyers_at_shallow,
        "repeat_buyers_at_shallow": fit.repeat_buyers_at_shallow,
        "talkers_at_shallow": fit.talkers_at_shallow,
    }
    return Section("paradigm", title("paradigm", lang), text, data)


def _score(score: float | None) -> str:
    return "未测量" if score is None else f"{score:.1f}"


def full_report(inputs: Inputs, *, sections: Iterable[str] = tuple(TITLES)) -> list[Section]:
    """Compute every section of the report, a spinner per phase on a terminal."""
    wanted = set(sections)
    table, as_of, window, policy = inputs.table, inputs.as_of, inputs.window, inputs.policy
    ends = [as_of - window * k for k in range(inputs.periods, -1, -1)]
    out = [pool_section(inputs)]
    with spinner("classifying customers into tiers…"):
        tiers = classify_table(table, policy, as_of)
        snapshots = tier_snapshots(table, policy, ends)
        flows = tier_flows(snapshots)
    out.append(states_section(tiers, inputs.lang))
    if "paradigm" in wanted:
        with spinner("classifying under both paradigms…"):
            out.append(paradigm_section(paradigm_fit(table, as_of, policy=policy), inputs.lang))
    with spinner("computing KPIs, growth, LTV and RFM…"):
        if "kpis" in wanted:
            out.append(kpis_section(pool_kpis(table, as_of - window, as_of), inputs.lang))
        if "growth" in wanted:
            out.append(growth_section(pool_growth(table, ends), inputs.lang))
        if "flows" in wanted:
            out.append(flows_section(flows, inputs.lang))
        if "ltv" in wanted:
            ltv = tier_ltv(table, snapshots, discount_rate=inputs.discount_rate)
            out.append(ltv_section(ltv, inputs.lang))
        if "rfm" in wanted:
            out.append(rfm_section(rfm_summary(table, as_of), inputs.lang))
    out += _lessons(inputs, ends, wanted)
    if "health" in wanted:
        with spinner("scoring ISOOC health…"):
            report = score_health(
                table,
                inputs.charter,
                as_of,
                tags=inputs.tags,
                activities=inputs.activities,
                policy=HealthPolicy(window=window, tiers=policy),
            )
        out.append(health_section(report, inputs.lang))
    return out


def _lessons(inputs: Inputs, ends: Sequence[datetime], wanted: set[str]) -> list[Section]:
    """Return the sections of what the articles teach: churn causes, growth sources, readiness."""
    table, as_of, lang = inputs.table, inputs.as_of, inputs.lang
    out = []
    with spinner("reading churn causes, growth sources and the six steps…"):
        if "churn" in wanted:
            out.append(churn_section(churn_causes(table, as_of - inputs.window, as_of), lang))
        if "sources" in wanted:
            reviewed = [  # the campaigns within the periods reviewed
                a for a in inputs.activities or () if ends[0] <= a.at and a.at < ends[-1]
            ]
            breakdown = growth_breakdown(table, ends, activities=reviewed)
            out.append(sources_section(breakdown, lang))
        if "readiness" in wanted:
            out.append(readiness_section(pool_readiness(inputs.charter, table, as_of), lang))
    return out
