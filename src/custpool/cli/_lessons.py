"""The report's sections for what the source articles teach: churn causes and growth sources.

Kept apart from ``_sections`` (the core report) so each file stays small; the pool readiness
section joins them when the charter is known.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from custpool import SourceChannel
from custpool.cli._output import Section, plain

if TYPE_CHECKING:
    from collections.abc import Callable

    from custpool import ChurnCauses, GrowthBreakdown, PoolReadiness

__all__ = ["LESSON_TITLES", "churn_section", "readiness_section", "sources_section"]

SOURCES: Final = tuple(SourceChannel)
"""The acquisition sources in code order (``PeriodGrowth.new_by_source``'s order)."""

LESSON_TITLES: Final = {
    "churn": ("Why customers left (seed 004)", "客户为什么流失（种子 004）"),
    "sources": ("Where growth comes from (seed 002)", "增长从哪里来（种子 002）"),
    "readiness": ("Pool readiness: six steps (seed 001)", "私域准备度：六步法（种子 001）"),
}


def _title(key: str, lang: str) -> str:
    en, zh = LESSON_TITLES[key]
    return zh if lang == "zh" else en


def churn_section(causes: ChurnCauses, lang: str) -> Section:
    """Return the churners of the window by the cause recorded before they left."""
    counts = {("none" if c is None else c.value): n for c, n in causes.counts().items()}
    data = {
        "window": plain(causes.window),
        "churners": len(causes),
        "by_cause": counts,
        "complained_share": plain(causes.complained_share),
        "median_days_to_churn": plain(causes.median_days_to_churn),
        "churned_valuable": causes.churned_valuable,
        "valuable_at_start": causes.valuable_at_start,
        "churned_connected": causes.churned_connected,
        "connected_at_start": causes.connected_at_start,
    }
    return _section("churn", causes, lang, data)


def sources_section(breakdown: GrowthBreakdown, lang: str) -> Section:
    """Return each period's net growth by its sources, and its revenue by kind of order."""
    periods = [
        {
            "window": plain(p.window),
            "new_by_source": {
                source.value: n for source, n in zip(SOURCES, p.new_by_source, strict=True) if n
            },
            "returned": p.returned,
            "churned": p.churned,
            "net_change": p.connected - p.connected_at_start,
            "revenue": plain(p.revenue),
            "first_orders_new": plain(p.first_orders_new),
            "first_orders_other": plain(p.first_orders_other),
            "repeat_orders": plain(p.repeat_orders),
        }
        for p in breakdown.periods
    ]
    campaigns = [
        {
            "campaign_id": c.campaign_id,
            "title": c.title,
            "window": plain(c.window),
            "purchases": c.purchases,
            "baseline_purchases": c.baseline_purchases,
            "lift": c.lift,
        }
        for c in breakdown.campaigns
    ]
    return _section("sources", breakdown, lang, {"periods": periods, "campaigns": campaigns})


def readiness_section(readiness: PoolReadiness, lang: str) -> Section:
    """Return seed 001's checklist: each step and way of sticking, and the verdict."""
    data = {
        "verdict": readiness.verdict.value,
        "brand": readiness.brand,
        "members": readiness.members,
        "items": {i.item.value: i.status.value for i in readiness.items},
        "reasons": list(readiness.verdict_reasons),
    }
    text = readiness.to_text("zh" if lang == "zh" else "en")
    lines = [line.rstrip() for line in text.splitlines()]
    return Section("readiness", _title("readiness", lang), "\n".join(lines), data)


def _section(key: str, result: object, lang: str, data: object) -> Section:
    text: Callable[[], str] = result.__str__
    lines = [line.strip() for line in text().splitlines()]
    return Section(key, _title(key, lang), "\n".join(lines), data)
