"""ISOOC pool health (seed 000: Interest, Structure, Output, Operate, Copy).

The measures and how each scores, the health policy, the facts read from a table, a charter
and activities, the scorer and the trend, the report with its Copy gate, the advice in English
and Chinese, and the explanation of a change between two reports; and seed 001's pool
readiness, which reuses the health facts (``score.facts_at`` builds them as the scorer does).

Modules: ``measures`` · ``policy`` · ``facts`` (what a table gives) · ``sums`` (those facts as
counts and histograms that add up over a table split by customer) · ``readings`` (every measure's
formula, from the sums) · ``score`` · ``report`` · ``advice`` · ``change`` · ``by_part`` ·
``readiness`` (the readings) · ``readiness_items`` (the checklist's names) · ``readiness_result``
(what it returns).

``custpool.dask`` scores a pool split over many machines with the names of the last group
below: each partition's :class:`HealthSums` (``HealthQuestion.facts(...).bucketed``), their
``HealthSums.total``, the waits of the middle buckets (``waits_between``, ``merge_waits``), and
``HealthQuestion.report`` — the function one machine scores with.

May import: the base modules, ``custpool._model``, ``custpool._tiers``, ``custpool._engine`` and
``custpool._analytics``. Other rooms use this room only through the names below.
"""

from __future__ import annotations

from custpool._health.by_part import part_charter, part_table, stack_reports
from custpool._health.change import HealthChange, MeasureChange, explain_change
from custpool._health.facts import HealthFacts
from custpool._health.measures import Aim, Dimension, Measure, score_against
from custpool._health.policy import HealthPolicy
from custpool._health.readiness import pool_readiness
from custpool._health.readiness_items import (
    PoolVerdict,
    ReadinessCheck,
    ReadinessItem,
    ReadinessStatus,
)
from custpool._health.readiness_result import (
    CheckReading,
    ItemReadiness,
    PoolReadiness,
    ReadinessPolicy,
)
from custpool._health.report import (
    CopyGate,
    CopyVerdict,
    DimensionScore,
    HealthBand,
    HealthReport,
    MeasureScore,
    Recommendation,
    health_trend_frame,
)
from custpool._health.score import (
    HealthQuestion,
    health_question,
    health_trend,
    score_health,
)
from custpool._health.sums import HealthSums, merge_waits, waits_between

__all__ = [
    "explain_change",
    "HealthChange",
    "MeasureChange",
    "Aim",
    "Dimension",
    "Measure",
    "score_against",
    "HealthPolicy",
    "CopyGate",
    "CopyVerdict",
    "DimensionScore",
    "HealthBand",
    "HealthReport",
    "MeasureScore",
    "Recommendation",
    "health_trend_frame",
    "health_trend",
    "score_health",
    "pool_readiness",
    "PoolReadiness",
    "ReadinessPolicy",
    "ReadinessItem",
    "ReadinessCheck",
    "ReadinessStatus",
    "ItemReadiness",
    "CheckReading",
    "PoolVerdict",
    # scoring summed facts (custpool.dask)
    "HealthFacts",
    "HealthQuestion",
    "health_question",
    "HealthSums",
    "merge_waits",
    "waits_between",
    # the parts of a breakdown (custpool.dask's by=)
    "part_charter",
    "part_table",
    "stack_reports",
]
