"""ISOOC health: the radar of one report with its Copy gate, and the trend with the 80/60 bands."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

import numpy as np

from custpool import HealthPolicy, HealthReport, ValidationError
from custpool.plot._common import (
    Lang,
    axes,
    check_lang,
    check_type,
    dimension_label,
    finish,
    instants,
    say,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.projections.polar import PolarAxes

__all__ = ["plot_health", "plot_health_trend"]

_REACHED = "tab:green"
_SHORT = "tab:red"


def _score(value: float | None) -> float:
    return math.nan if value is None else value


def plot_health(report: HealthReport, *, ax: Axes | None = None, lang: Lang = "en") -> Axes:
    """Draw the ISOOC radar: the four scored dimensions, with the Copy gate as a ring.

    Interest, Structure, Output and Operate are the spokes (0 at the centre, 100 at the rim);
    the filled shape joins their scores. Copy (复制) is not a score but a gate (seed 000): the
    dashed ring at ``copy_gate.threshold`` (gid ``"copy-gate"``) is what each of the four must
    reach, each score's marker is green when it does and red when it does not, and the title
    gives the overall score and the gate's verdict. A dimension that could not be measured is
    drawn at 0 and labelled "not measured".

    Parameters
    ----------
    report
        A :class:`~custpool.HealthReport` (:func:`~custpool.score_health`).
    ax
        A polar matplotlib Axes (``projection="polar"``) to draw on; None draws on a new figure.
    lang
        ``"en"`` or ``"zh"`` (同好, 结构, 输出, 运营, 复制).

    Returns
    -------
    matplotlib.axes.Axes
        The polar Axes.

    Raises
    ------
    custpool.WrongTypeError
        If ``report`` is not a HealthReport, or ``ax`` not an Axes.
    custpool.ValidationError
        If ``ax`` is not polar, or ``lang`` not one of those allowed.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import score_health
    >>> from custpool.plot import plot_health
    >>> from custpool.synth import SynthConfig, generate
    >>> pool = generate(SynthConfig(n_customers=300), seed=5)
    >>> report = score_health(pool.table, pool.charter, datetime(2025, 12, 1, tzinfo=UTC),
    ...                       activities=pool.activities)
    >>> ax = plot_health(report)
    >>> gate = next(line for line in ax.lines if line.get_gid() == "copy-gate")
    >>> set(gate.get_ydata()) == {report.copy_gate.threshold}
    True
    """
    language = check_lang(lang)
    check_type("report", report, HealthReport, "a HealthReport")
    ax, language = axes(ax, language, polar=True)
    dimensions = [d for d in report.dimensions if d.dimension.scored]
    scores = [_score(d.score) for d in dimensions]
    shown = [0.0 if math.isnan(s) else s for s in scores]
    angles = np.linspace(0, 2 * np.pi, len(dimensions), endpoint=False)
    closed = np.append(angles, angles[0])
    (shape,) = ax.plot(closed, [*shown, shown[0]], color="tab:blue")
    shape.set_gid("scores")
    ax.fill(closed, [*shown, shown[0]], color="tab:blue", alpha=0.2)
    threshold = report.copy_gate.threshold
    ring = np.linspace(0, 2 * np.pi, 121)
    (gate,) = ax.plot(ring, np.full(ring.shape, threshold), ls="--", color="black")
    gate.set_gid("copy-gate")
    verdict = say(report.copy_gate.verdict.value, language)
    gate.set_label(say("copy gate", language, threshold, verdict))
    colours = [_REACHED if s >= threshold else _SHORT for s in shown]
    points = ax.scatter(angles, shown, c=colours, zorder=3)
    points.set_gid("gate-marks")
    labels = []
    for d, s in zip(dimensions, scores, strict=True):
        label = dimension_label(d.dimension, language)
        labels.append(say("not measured", language, label) if math.isnan(s) else f"{label} {s:.0f}")
    ax.set_xticks(angles, labels)
    ax.set_ylim(0, 100)
    ax.set_yticks([20, 40, 60, 80, 100])
    # Between the spokes, clear of their labels (axes() checked that ax is polar).
    cast("PolarAxes", ax).set_rlabel_position(45)
    overall = "n/a" if report.overall is None else f"{report.overall:.0f}"
    ax.set_title(say("health at", language, f"{report.as_of:%Y-%m-%d}", overall))
    ax.legend(loc="lower right", bbox_to_anchor=(1.1, -0.15))
    finish([ax], language)
    return ax


def plot_health_trend(
    reports: Sequence[HealthReport],
    *,
    policy: HealthPolicy | None = None,
    ax: Axes | None = None,
    lang: Lang = "en",
) -> Axes:
    """Draw the health score over time, with the bands of the health policy.

    One point per report (:func:`~custpool.health_trend`): the overall score (gid
    ``"health:overall"``, thick) and each scored dimension (``"health:<dimension>"``, thin);
    an unmeasured score is a gap. The horizontal lines at ``healthy_at`` (80) and
    ``at_risk_at`` (60) (gids ``"band:healthy_at"`` and ``"band:at_risk_at"``) bound the
    shaded bands HEALTHY, AT_RISK and UNHEALTHY.

    Parameters
    ----------
    reports
        The reports, oldest first (``health_trend``'s result; any order is drawn by time).
    policy
        The :class:`~custpool.HealthPolicy` the reports were scored with, for the bands;
        None for the default (80 and 60).
    ax
        The matplotlib Axes to draw on; None draws on a new figure.
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    custpool.WrongTypeError
        If ``reports`` is not a sequence of HealthReport, or ``policy`` or ``ax`` is wrong.
    custpool.ValidationError
        If ``reports`` is empty, or ``lang`` not one of those allowed.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import health_trend
    >>> from custpool.plot import plot_health_trend
    >>> from custpool.synth import SynthConfig, generate
    >>> pool = generate(SynthConfig(n_customers=300), seed=5)
    >>> ends = [datetime(2025, m, 1, tzinfo=UTC) for m in (6, 9, 12)]
    >>> trend = health_trend(pool.table, pool.charter, ends, activities=pool.activities)
    >>> ax = plot_health_trend(trend)
    >>> bands = {line.get_gid(): line.get_ydata()[0] for line in ax.lines
    ...          if line.get_gid().startswith("band:")}
    >>> bands
    {'band:healthy_at': 80.0, 'band:at_risk_at': 60.0}
    """
    language = check_lang(lang)
    check_type("reports", reports, Sequence, "a sequence of HealthReport (health_trend's result)")
    for k, report in enumerate(reports):
        check_type(f"reports[{k}]", report, HealthReport, "a HealthReport")
    if not reports:
        raise ValidationError("reports", "()", "must hold at least one HealthReport")
    policy = HealthPolicy() if policy is None else policy
    check_type("policy", policy, HealthPolicy, "a HealthPolicy or None")
    ax, language = axes(ax, language)
    ordered = sorted(reports, key=lambda r: r.as_of)
    times = instants(r.as_of for r in ordered)
    healthy, at_risk = policy.healthy_at, policy.at_risk_at
    ax.axhspan(healthy, 100, color=_REACHED, alpha=0.08)
    ax.axhspan(at_risk, healthy, color="tab:orange", alpha=0.08)
    ax.axhspan(0, at_risk, color=_SHORT, alpha=0.08)
    for name, level in (("healthy_at", healthy), ("at_risk_at", at_risk)):
        line = ax.axhline(level, ls="--", color="gray", lw=1)
        line.set_gid(f"band:{name}")
        line.set_label(say(name, language, level))
    (overall,) = ax.plot(times, [_score(r.overall) for r in ordered], marker="o", lw=2.5)
    overall.set_gid("health:overall")
    overall.set_label(say("overall", language))
    for d in (d.dimension for d in ordered[0].dimensions if d.dimension.scored):
        scores = [_score(r.dimension(d).score) for r in ordered]
        (line,) = ax.plot(times, scores, marker=".", lw=1, alpha=0.7)
        line.set_gid(f"health:{d.value}")
        line.set_label(dimension_label(d, language))
    ax.set_ylim(0, 100)
    ax.set_ylabel(say("score", language))
    ax.set_title(say("health trend", language))
    ax.tick_params(axis="x", labelrotation=30)
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    finish([ax], language)
    return ax
