"""The health report: every measure with its evidence, the four scores, the band and Copy gate."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import numpy as np
from pydantic import Field

from custpool._base import FrozenModel
from custpool._display import (
    Cell,
    Count,
    Displayed,
    Number,
    Phrase,
    Report,
    Section,
    Span,
    Text,
    Time,
)
from custpool._errors import WrongTypeError
from custpool._fields import UtcDatetime
from custpool._frames import build_frame
from custpool._health.measures import Aim, Dimension, Measure
from custpool._time import to_micros

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import tzinfo

__all__ = [
    "measure_frame",
    "CopyGate",
    "CopyVerdict",
    "DimensionScore",
    "HealthBand",
    "HealthReport",
    "MeasureScore",
    "Recommendation",
    "health_trend_frame",
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


class HealthReport(FrozenModel, Displayed):
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

    def __repr__(self) -> str:
        """Return a one-line summary: the instant, the overall score, band and Copy verdict."""
        overall = "not measured" if self.overall is None else f"{self.overall:.1f}"
        band = "none" if self.band is None else self.band.value
        return (
            f"HealthReport(as_of={self.as_of.isoformat()}, overall={overall}, band={band}, "
            f"copy={self.copy_gate.verdict.value}, {self.members:,} members)"
        )

    def _report(self) -> Report:
        """Return the overall score and Copy gate, the dimensions, the measures and the advice.

        ``str()`` keeps its own bilingual summary (read by scripts and the CLI); this report is
        :meth:`to_text` and the HTML table, in the display's language and zone.
        """
        if self.overall is None or self.band is None:
            overall: Cell = Number(None)
        else:
            band = Text(f"({self.band.value.replace('_', ' ')})", f"（{self.band.label_zh}）")
            overall = Phrase(Number(self.overall, 1), band)
        head: list[tuple[Cell, ...]] = [
            (Text("overall", "总分"), overall),
            (Text("members", "成员"), Count(self.members)),
            (Text("window", "统计窗口"), Span(self.window_start, self.as_of)),
            (Text("copy", "复制"), _VERDICT[self.copy_gate.verdict]),
        ]
        head.extend((Text("why not", "原因"), Text(reason)) for reason in self.copy_gate.reasons)
        dimensions = tuple(
            (
                Text(d.dimension.value, d.dimension.label_zh),
                Number(d.score, 1),
                Number(d.weight, 2),
            )
            for d in self.dimensions
            if d.dimension.scored
        )
        measures = tuple(
            (
                Text(m.measure.value, m.measure.label_zh),
                Number(m.score, 1),
                _Figure(m.raw, m.measure.unit),
                Text(m.target_text()),
                Text(m.explanation),
            )
            for d in self.dimensions
            for m in d.measures
        )
        advice = tuple(
            (
                Text(r.measure.value, r.measure.label_zh),
                Number(r.points, 1, signed=True),
                Text(r.advice, r.advice_zh),
            )
            for r in self.recommendations
        )
        return Report(
            Phrase(Text("health at", "健康度，截至"), Time(self.as_of)),
            (
                Section(tuple(head)),
                Section(dimensions, title=Text("dimensions", "维度"), columns=_DIMENSION_HEAD),
                Section(measures, title=Text("measures", "指标"), columns=_MEASURE_HEAD),
                Section(advice, title=Text("what to fix first", "优先改进"), columns=_ADVICE_HEAD),
            ),
        )

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return the report as a data frame: one row per measure, in ISOOC order.

        Columns: ``as_of`` and ``window_start`` (in ``tz``); ``dimension``, ``dimension_zh``;
        ``measure``, ``measure_zh``; ``unit``; ``aim``; ``raw``, ``target``, ``target_high``
        and ``score`` (null when there is none: a measure not measured has a null ``raw`` and
        ``score``, never 0); ``weight`` (within its dimension); ``measured``; ``why`` (the
        explanation); and the advice when the report recommends working on the measure —
        ``points`` (overall points fixing it fully would add), ``advice`` and ``advice_zh`` —
        null otherwise. The overall score, band and Copy gate are one value per report: read
        them off the report.

        Parameters
        ----------
        backend
            ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (installed, with narwhals: the
            ``frames`` extra).
        tz
            The zone the times are shown in (an IANA name or ``datetime.UTC``; default UTC).

        Returns
        -------
        pandas.DataFrame, polars.DataFrame or pyarrow.Table

        Raises
        ------
        custpool.ValidationError
            If ``backend`` or ``tz`` is not one of those allowed.
        custpool.MissingDependencyError
            If narwhals or the backend is not installed.

        Examples
        --------
        >>> from custpool import EXAMPLE_START, EventTable, example_pool, score_health
        >>> pool = example_pool()
        >>> table = EventTable.from_interactions(pool.interactions)
        >>> report = score_health(table, pool.charter, EXAMPLE_START.replace(day=25))
        >>> frame = report.to_frame("polars", tz="Asia/Shanghai")
        >>> frame.columns[:6]
        ['as_of', 'window_start', 'dimension', 'dimension_zh', 'measure', 'measure_zh']
        >>> frame.height == sum(len(d.measures) for d in report.dimensions)
        True
        >>> row = frame.row(0, named=True)
        >>> row["measure"], row["as_of"].isoformat()
        ('interest.members', '2026-01-25T10:00:00+08:00')
        """
        return health_trend_frame((self,), backend, tz=tz)


@dataclass(frozen=True, slots=True)
class _Figure:
    """A measure's raw value as a report cell, written as :class:`MeasureScore` writes it."""

    value: float | None
    unit: str

    def show(self, lang: str, zone: tzinfo) -> str:  # noqa: ARG002 - the Cell protocol
        """Return ``15.0%`` or ``504`` (n/a when not measured)."""
        if self.value is None:
            return "n/a" if lang == "en" else "无"
        return _number(self.value, self.unit)


_VERDICT: Final = MappingProxyType(
    {
        CopyVerdict.READY: Text("ready", "可以复制"),
        CopyVerdict.NOT_READY: Text("not ready", "尚未就绪"),
    }
)
_DIMENSION_HEAD: Final = (Text("dimension", "维度"), Text("score", "得分"), Text("weight", "权重"))
_MEASURE_HEAD: Final = (
    Text("measure", "指标"),
    Text("score", "得分"),
    Text("value", "数值"),
    Text("target", "目标"),
    Text("why", "说明"),
)
_ADVICE_HEAD: Final = (
    Text("measure", "指标"),
    Text("points", "可提升分数"),
    Text("advice", "建议"),
)

_MEASURE_COLUMNS: Final = (
    *("as_of", "window_start", "dimension", "dimension_zh", "measure", "measure_zh", "unit"),
    *("aim", "raw", "target", "target_high", "score", "weight", "measured", "why", "points"),
    *("advice", "advice_zh"),
)


def _add_rows(columns: dict[str, list[object]], report: HealthReport) -> None:
    """Append one row per measure of ``report`` to ``columns``."""
    advice = {r.measure: r for r in report.recommendations}
    as_of = to_micros(report.as_of)
    start = to_micros(report.window_start)
    for d in report.dimensions:
        for m in d.measures:
            measure = m.measure
            tip = advice.get(measure)
            row = (
                *(as_of, start, d.dimension.value, d.dimension.label_zh, measure.value),
                *(measure.label_zh, measure.unit, measure.aim.value, m.raw, m.target),
                *(m.target_high, m.score, m.weight, m.measured, m.explanation),
                None if tip is None else tip.points,
                None if tip is None else tip.advice,
                None if tip is None else tip.advice_zh,
            )
            for name, value in zip(_MEASURE_COLUMNS, row, strict=True):
                columns[name].append(value)


def health_trend_frame(
    reports: Iterable[HealthReport],
    backend: str = "pandas",
    *,
    tz: str | tzinfo | None = None,
) -> Any:  # noqa: ANN401 - the frame type depends on the backend
    """Return a health trend as one data frame: a row per (report, measure), reports in order.

    The rows of each report are :meth:`HealthReport.to_frame`'s, with the same columns, so the
    trend of one measure is ``frame[frame.measure == "operate.participation"]`` and ``as_of``
    tells the periods apart. Pass what :func:`~custpool.health_trend` returns.

    Parameters
    ----------
    reports
        The reports, e.g. ``health_trend(...)``; any number, in the order to show them.
    backend
        ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (installed, with narwhals: the ``frames``
        extra).
    tz
        The zone the times are shown in (an IANA name or ``datetime.UTC``; default UTC).

    Returns
    -------
    pandas.DataFrame, polars.DataFrame or pyarrow.Table

    Raises
    ------
    custpool.WrongTypeError
        If ``reports`` is not an iterable of :class:`HealthReport` (``reports[i]`` names the
        item).
    custpool.ValidationError
        If ``backend`` or ``tz`` is not one of those allowed.
    custpool.MissingDependencyError
        If narwhals or the backend is not installed.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool, health_trend
    >>> pool = example_pool()
    >>> table = EventTable.from_interactions(pool.interactions)
    >>> ends = [datetime(2026, 1, day, tzinfo=UTC) for day in (15, 25)]
    >>> frame = health_trend_frame(health_trend(table, pool.charter, ends), "pyarrow")
    >>> sorted({t.day for t in frame.column("as_of").to_pylist()})
    [15, 25]
    >>> frame.num_rows == 2 * len(Measure)
    True
    """
    given: object = reports
    if isinstance(given, HealthReport) or not isinstance(given, Iterable):
        rule = "must be an iterable of HealthReport, such as health_trend(...) returns"
        raise WrongTypeError("reports", type(given).__name__, rule)
    checked: list[HealthReport] = []
    for position, report in enumerate(given):
        if not isinstance(report, HealthReport):
            rule = "must be a HealthReport"
            raise WrongTypeError(f"reports[{position}]", type(report).__name__, rule)
        checked.append(report)
    return measure_frame(checked, backend, tz, {})


def measure_frame(
    reports: Sequence[HealthReport],
    backend: str,
    tz: str | tzinfo | None,
    labels: Mapping[str, Sequence[str | None]],
) -> Any:  # noqa: ANN401 - the frame type depends on the backend
    """Return the measure rows of ``reports``, after text columns ``labels`` (one per report)."""
    columns: dict[str, list[object]] = {name: [] for name in (*labels, *_MEASURE_COLUMNS)}
    for position, report in enumerate(reports):
        before = len(columns["measure"])
        _add_rows(columns, report)
        for name, values in labels.items():
            columns[name] += [values[position]] * (len(columns["measure"]) - before)
    frame = _typed(columns)
    return build_frame(frame, backend=backend, times=("as_of", "window_start"), tz=tz)


def _typed(columns: dict[str, list[object]]) -> dict[str, object]:
    """Give every column its type even when there are no rows (or all its values are null)."""
    out: dict[str, object] = {}
    for name, values in columns.items():
        if name in _FLOATS:
            out[name] = np.ma.masked_invalid(np.array(values, dtype=np.float64))
        elif name in _TIMES:
            out[name] = np.array(values, dtype=np.int64)
        elif name == "measured":
            out[name] = np.array(values, dtype=np.bool_)
        else:
            nulls = np.array([v is None for v in values], dtype=np.bool_)
            texts = np.array(["" if v is None else v for v in values], dtype=np.str_)
            out[name] = np.ma.masked_array(texts, mask=nulls)
    return out


_FLOATS: Final = frozenset({"raw", "target", "target_high", "score", "weight", "points"})
_TIMES: Final = frozenset({"as_of", "window_start"})
