"""plot_health (the radar and its Copy gate) and plot_health_trend (the 80/60 bands)."""

from datetime import UTC, datetime

import numpy as np
import pytest
from matplotlib import pyplot as plt
from plot_helpers import close_figures, synthetic  # noqa: F401

import custpool as cp
from custpool.plot import plot_health, plot_health_trend

SCORED = [cp.Dimension.INTEREST, cp.Dimension.STRUCTURE, cp.Dimension.OUTPUT, cp.Dimension.OPERATE]


def report(scores, *, day=1, threshold=70.0, ready=False):
    """A hand-made report: the four scores given, the gate at ``threshold``."""
    dimensions = tuple(
        cp.DimensionScore(dimension=d, score=s, weight=1.0, measures=())
        for d, s in zip(SCORED, scores, strict=True)
    )
    measured = [s for s in scores if s is not None]
    verdict = cp.CopyVerdict.READY if ready else cp.CopyVerdict.NOT_READY
    return cp.HealthReport(
        as_of=datetime(2026, 1, day, tzinfo=UTC),
        window_start=datetime(2025, 12, day, tzinfo=UTC),
        members=10,
        dimensions=dimensions,
        overall=sum(measured) / len(measured) if measured else None,
        band=None,
        copy_gate=cp.CopyGate(verdict=verdict, threshold=threshold, reasons=()),
        recommendations=(),
        non_members=(),
    )


def line(ax, gid):
    return next(line for line in ax.lines if line.get_gid() == gid)


def test_radar_of_a_hand_made_report():
    ax = plot_health(report([90.0, 75.0, None, 50.0]))
    scores = line(ax, "scores").get_ydata().tolist()
    assert scores == [90.0, 75.0, 0.0, 50.0, 90.0]  # closed; Output unmeasured drawn at 0
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["interest 90", "structure 75", "output (not measured)", "operate 50"]
    # overall = (90 + 75 + 50) / 3 = 71.67 -> "72"
    assert ax.get_title() == "ISOOC health at 2026-01-01: 72"


def test_the_copy_gate_is_a_ring_at_its_threshold_with_marks_by_side():
    ax = plot_health(report([90.0, 75.0, 60.0, 50.0], threshold=70.0))
    gate = line(ax, "copy-gate")
    assert set(gate.get_ydata()) == {70.0}
    assert gate.get_xdata().min() == 0.0
    assert gate.get_xdata().max() == pytest.approx(2 * np.pi)  # the whole circle
    assert gate.get_label() == "Copy gate 70: not ready"
    marks = next(c for c in ax.collections if c.get_gid() == "gate-marks")
    colours = [tuple(c) for c in marks.get_facecolors()]
    green, red = colours[0], colours[3]
    assert colours == [green, green, red, red]  # 90, 75 reach 70; 60, 50 do not
    assert green != red


def test_a_ready_gate_says_so():
    ax = plot_health(report([90.0, 85.0, 80.0, 75.0], threshold=60.0, ready=True))
    assert line(ax, "copy-gate").get_label() == "Copy gate 60: ready"


def test_radar_of_a_synthetic_report_shows_its_scores():
    last = synthetic().trend[-1]
    ax = plot_health(last)
    expected = [last.dimension(d).score or 0.0 for d in SCORED]
    np.testing.assert_allclose(line(ax, "scores").get_ydata()[:4], expected)
    assert set(line(ax, "copy-gate").get_ydata()) == {last.copy_gate.threshold}


def test_radar_needs_a_polar_axes():
    _, flat = plt.subplots()
    with pytest.raises(cp.ValidationError, match="polar"):
        plot_health(report([1.0, 2.0, 3.0, 4.0]), ax=flat)
    with pytest.raises(cp.WrongTypeError, match="report"):
        plot_health([report([1.0, 2.0, 3.0, 4.0])])


def test_trend_of_hand_made_reports_with_the_default_bands():
    reports = [report([80.0, 60.0, 40.0, 20.0], day=1), report([90.0, 70.0, None, 30.0], day=8)]
    ax = plot_health_trend(reports)
    assert list(line(ax, "band:healthy_at").get_ydata()) == [80.0, 80.0]
    assert list(line(ax, "band:at_risk_at").get_ydata()) == [60.0, 60.0]
    # overall: (80 + 60 + 40 + 20) / 4 = 50; (90 + 70 + 30) / 3 = 63.33
    np.testing.assert_allclose(line(ax, "health:overall").get_ydata(), [50.0, 190 / 3])
    output = line(ax, "health:output").get_ydata()
    assert output[0] == 40.0
    assert np.isnan(output[1])  # unmeasured: a gap
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == [
        "healthy ≥ 80",
        "at risk ≥ 60",
    ]


def test_trend_draws_in_time_order_and_the_policys_bands():
    late, early = report([50.0] * 4, day=9), report([70.0] * 4, day=2)
    policy = cp.HealthPolicy(healthy_at=90.0, at_risk_at=50.0)
    ax = plot_health_trend([late, early], policy=policy)
    assert line(ax, "health:overall").get_ydata().tolist() == [70.0, 50.0]
    assert line(ax, "band:healthy_at").get_ydata()[0] == 90.0
    assert line(ax, "band:at_risk_at").get_ydata()[0] == 50.0


def test_trend_of_a_synthetic_pool():
    trend = synthetic().trend
    ax = plot_health_trend(trend)
    np.testing.assert_allclose(line(ax, "health:overall").get_ydata(), [r.overall for r in trend])
    assert {g.get_gid() for g in ax.lines} >= {f"health:{d.value}" for d in SCORED}


def test_trend_refuses_what_is_not_reports():
    with pytest.raises(cp.ValidationError, match="reports"):
        plot_health_trend([])
    with pytest.raises(cp.WrongTypeError, match=r"reports\[1\]"):
        plot_health_trend([report([1.0] * 4), "report"])
    with pytest.raises(cp.WrongTypeError, match="policy"):
        plot_health_trend([report([1.0] * 4)], policy=80)
