"""plot_growth: one line per KPI, its points the periods' values."""

import math
from datetime import UTC, datetime

import numpy as np
import pytest
from matplotlib import pyplot as plt
from plot_helpers import close_figures, synthetic  # noqa: F401

import custpool as cp
from custpool.plot import GROWTH_KPIS, plot_growth


def hand_growth():
    table = cp.EventTable.from_interactions(cp.example_pool().interactions)
    ends = [datetime(y, m, 1, tzinfo=UTC) for y, m in ((2025, 12), (2026, 1), (2026, 2))]
    return cp.pool_growth(table, ends)


def test_three_panels_of_the_hand_made_pool():
    figure = plot_growth(hand_growth())
    lines = [ax.lines[0] for ax in figure.axes]
    assert [line.get_gid() for line in lines] == [f"kpi:{k}" for k in GROWTH_KPIS]
    # pool_growth's docstring: Dec scale 0, 0.0%, 59.00 CNY; Jan scale 5, 50.0%, 70.33 CNY
    assert [line.get_ydata().tolist() for line in lines] == [[0.0, 5.0], [0.0, 0.5], [59.0, 70.33]]
    assert figure.axes[2].get_ylabel() == "average order value (CNY)"
    assert figure.axes[0].get_title() == "Pool growth"


def test_points_are_at_the_period_ends():
    line = plot_growth(hand_growth(), "user_scale").axes[0].lines[0]
    ends = [str(t) for t in line.get_xdata()]
    assert ends == ["2026-01-01T00:00:00.000000", "2026-02-01T00:00:00.000000"]


def test_one_kpi_on_a_given_axes():
    fig, ax = plt.subplots()
    assert plot_growth(hand_growth(), "repurchase_rate", ax=ax) is fig
    assert len(fig.axes) == 1
    assert ax.lines[0].get_ydata().tolist() == [0.0, 0.5]


def test_all_kpis_on_three_given_axes():
    _, axes = plt.subplots(1, 3)
    plot_growth(hand_growth(), ax=axes)  # the array plt.subplots gives
    assert [ax.lines[0].get_gid() for ax in axes] == [f"kpi:{k}" for k in GROWTH_KPIS]


def test_a_synthetic_pool_draws_every_period():
    growth = synthetic().growth
    figure = plot_growth(growth)
    scale, rate, aov = (ax.lines[0].get_ydata() for ax in figure.axes)
    assert scale.tolist() == [p.user_scale for p in growth.periods]
    expected = [
        math.nan if p.repurchase_rate is None else p.repurchase_rate for p in growth.periods
    ]
    np.testing.assert_allclose(rate, expected)
    assert aov.tolist() == [float(p.average_order_value.amount) for p in growth.periods]


def test_bad_arguments_are_refused():
    growth = hand_growth()
    with pytest.raises(cp.WrongTypeError, match="growth"):
        plot_growth(growth.periods)
    with pytest.raises(cp.ValidationError, match="kpi"):
        plot_growth(growth, "nps")
    _, ax = plt.subplots()
    with pytest.raises(cp.WrongTypeError, match="ax"):
        plot_growth(growth, ax=ax)  # three KPIs need three Axes
    with pytest.raises(cp.ValidationError, match="ax"):
        plot_growth(growth, ax=[ax])
    with pytest.raises(cp.WrongTypeError, match="ax"):
        plot_growth(growth, "user_scale", ax=[ax])
