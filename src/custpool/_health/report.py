"""The health report: every measure with its evidence, the four scores, the band and Copy gate."""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from pydantic import Field

from custpool._base import FrozenModel
from custpool._fields import UtcDatetime
from custpool._health.measures import Aim, Dimension, Measure

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "CopyGate",
    "CopyVerdict",
    "DimensionScore",
    "HealthBand",
    "HealthReport",
    "MeasureScore",
    "Recommendation",
    "measure_shares",
]


class HealthBand(StrEnum):
    """How healthy the pool is overall, by the policy's thresholds.

    Examples
    --------
    >>> HealthBand.AT_RISK.label_zh
    '有风险'
    """

    HEALTHY = "healthy"
    """At or above ``healthy_at`` (80)."""
    AT_RISK = "at_risk"
    """At or above ``at_risk_at`` (60), below ``healthy_at``."""
    UNHEALTHY = "unhealthy"
    """Below ``at_risk_at``."""

    @property
    def label_zh(self) -> str:
        """The Chinese label."""
        return _BAND_ZH[self]


_BAND_ZH: Final = MappingProxyType(
    {HealthBand.HEALTHY: "健康", HealthBand.AT_RISK: "有风险", HealthBand.UNHEALTHY: "不健康"}
)


class CopyVerdict(StrEnum):
    """Whether the pool is ready to be copied (复制)."""

    READY = "ready"
    """Interest, Structure, Output and Operate all reach the threshold, within capacity."""
    NOT_READY = "not_ready"
    """Something is missing: copying now will fail young (seed 000)."""


def _number(value: float, unit: str) -> str:
    if unit == "share":
        return f"{value:.1%}"
    if value == int(value) or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


class MeasureScore(FrozenModel):
    """One measure of a report: the raw value, its target, the 0–100 score and why.

    ``raw`` and ``score`` are None when the measure is not measured (no data); the explanation
    then says what is missing. Not measured is not zero: it is left out of every average.

    Examples
    --------
    >>> m = MeasureScore(measure="operate.participation", raw=0.15, target=0.3, score=50.0,
    ...                  weight=1.0, explanation="3 of 20 members were active")
    >>> print(m)
    operate.participation: 50.0 (15.0% against at least 30.0%) — 3 of 20 members were active
    >>> m.measured, m.dimension.value
    (True, 'operate')
    """

    measure: Measure
    """Which measure."""
    raw: float | None = Field(ge=0, allow_inf_nan=False)
    """The measured value, in :attr:`Measure.unit`; None when not measured."""
    target: float | None = Field(ge=0, allow_inf_nan=False)
    """The target (for a range, its low end); None when there is none."""
    target_high: float | None = None
    """For a range (pool size): its high end."""
    score: float | None = Field(ge=0, le=100, allow_inf_nan=False)
    """0 to 100; None when not measured."""
    weight: float = Field(ge=0, allow_inf_nan=False)
    """The measure's weight within its dimension."""
    explanation: str
    """One line: the numbers behind the raw value, or why it is not measured."""

    @property
    def dimension(self) -> Dimension:
        """The measure's dimension."""
        return self.measure.dimension

    @property
    def measured(self) -> bool:
        """Whether the measure had data."""
        return self.score is not None

    def target_text(self) -> str:
        """Return the target in words, e.g. ``at least 30.0%`` or ``100 to 500``."""
        unit = self.measure.unit
        if self.target is None:
            return "no target"
        if self.measure.aim is Aim.WITHIN:
            return f"{_number(self.target, unit)} to {_number(self.target_high or 0, unit)}"
        word = "at least" if self.measure.aim is Aim.AT_LEAST else "at most"
        return f"{word} {_number(self.target, unit)}"

    def __str__(self) -> str:
        """Return ``measure: score (raw against target) — explanation``."""
        if self.score is None or self.raw is None:
            return f"{self.measure.value}: not measured — {self.explanation}"
        raw = _number(self.raw, self.measure.unit)
        return (
            f"{self.measure.value}: {self.score:.1f} ({raw} against {self.target_text()}) — "
            f"{self.explanation}"
        )


class DimensionScore(FrozenModel):
    """One ISOOC dimension: its measures and their weighted mean (None if none is measured)."""

    dimension: Dimension
    """Which dimension."""
    score: float | None
    """Weighted mean of the measured measures' scores; None when none is measured (and Copy)."""
    weight: float
    """The dimension's weight in the overall score (0 for Copy)."""
    measures: tuple[MeasureScore, ...]
    """Every measure of the dimension, measured or not."""

    @property
    def not_measured(self) -> tuple[Measure, ...]:
        """The measures without data."""
        return tuple(m.measure for m in self.measures if not m.measured)


class CopyGate(FrozenModel):
    """The Copy (复制) verdict, with every reason it is not ready."""

    verdict: CopyVerdict
    """READY or NOT_READY."""
    threshold: float
    """The score each of the four dimensions must reach."""
    reasons: tuple[str, ...]
    """Why not ready, one line each (empty when ready)."""

    @property
    def ready(self) -> bool:
        """Whether the verdict is READY."""
        return self.verdict is CopyVerdict.READY


class Recommendation(FrozenModel):
    """What to fix, and how many overall points fixing it fully would add."""

    measure: Measure
    """The measure to improve."""
    points: float
    """Overall points gained if the measure reached 100 (everything else unchanged)."""
    score: float
    """The measure's score now."""
    advice: str
    """What to do, in English."""
    advice_zh: str
    """What to do, in Chinese."""

    def __str__(self) -> str:
        """Return ``+points measure: advice``."""
        return f"+{self.points:.1f} {self.measure.value}: {self.advice}"


def measure_shares(dimensions: Sequence[DimensionScore]) -> dict[Measure, float]:
    """Return each counted measure's weight in ``overall``: ``(W_d / ΣW) × (w_m / Σw_d)``.

    Counted: measured, with a positive weight, in a measured scored dimension of positive
    weight. A measure's contribution is its share × its score; fixing it fully would add its
    share × (100 − score).
    """
    dims = [d for d in dimensions if d.dimension.scored and d.score is not None and d.weight]
    total = sum(d.weight for d in dims)
    out: dict[Measure, float] = {}
    for d in dims:
        used = [m for m in d.measures if m.score is not None and m.weight > 0]
        inner = sum(m.weight for m in used)
        for m in used:
            out[m.measure] = d.weight / total * m.weight / inner
    return out


class HealthReport(FrozenModel):
    """A pool's ISOOC health at one instant: see :func:`~custpool.score_health`."""

    as_of: UtcDatetime
    """The instant scored."""
    window_start: UtcDatetime
    """Start of the window ``(window_start, as_of]`` of the activity-based measures."""
    members: int
    """Customers connected at ``as_of``."""
    dimensions: tuple[DimensionScore, ...]
    """The five dimensions in ISOOC order (Copy holds the operator-load measure, unscored)."""
    overall: float | None
    """Weighted mean of the measured dimensions' scores; None when none is measured."""
    band: HealthBand | None
    """The band of ``overall``; None when it is None."""
    copy_gate: CopyGate
    """The Copy verdict and its reasons."""
    recommendations: tuple[Recommendation, ...]
    """Measures below 100, most overall points first."""
    non_members: tuple[str, ...]
    """Ids of members who fail the charter's joining rule (to filter), in table order."""

    def dimension(self, dimension: Dimension | str) -> DimensionScore:
        """Return one dimension."""
        wanted = Dimension(dimension)
        return next(d for d in self.dimensions if d.dimension is wanted)

    def measure(self, measure: Measure | str) -> MeasureScore:
        """Return one measure."""
        wanted = Measure(measure)
        return next(m for m in self.dimension(wanted.dimension).measures if m.measure is wanted)

    @property
    def not_measured(self) -> tuple[Measure, ...]:
        """Every measure without data."""
        return tuple(m for d in self.dimensions for m in d.not_measured)

    def contributions(self) -> dict[Measure, float]:
        """Return each measured measure's share of ``overall``, in points (they sum to it).

        A measure contributes ``(W_d / ΣW) × (w_m / Σw_d) × score``: its dimension's share of the
        dimension weights in use, times its own share of its dimension's measure weights in use.
        """
        scores = {m.measure: m.score or 0.0 for d in self.dimensions for m in d.measures}
        return {m: share * scores[m] for m, share in measure_shares(self.dimensions).items()}

    def __str__(self) -> str:
        """Return a readable summary: overall, band, the four scores, Copy, the top advice."""
        overall = "not measured" if self.overall is None else f"{self.overall:.1f}"
        band = "" if self.band is None else f" ({self.band.value} {self.band.label_zh})"
        lines = [f"Health at {self.as_of:%Y-%m-%d}: {overall}{band}, {self.members:,} members"]
        for d in self.dimensions:
            if d.dimension.scored:
                score = "not measured" if d.score is None else f"{d.score:.1f}"
                lines.append(f"  {d.dimension.value} {d.dimension.label_zh}: {score}")
        lines.append(f"  copy 复制: {self.copy_gate.verdict.value}")
        lines.extend(f"    - {reason}" for reason in self.copy_gate.reasons)
        lines.extend(f"  {r}" for r in self.recommendations[:3])
        return "\n".join(lines)
