"""plot_value: LTV and revenue by state, in major units, unknown states labelled n/a."""

import math
from datetime import UTC, datetime

import numpy as np
import pytest
from plot_helpers import close_figures, purchase_table, synthetic  # noqa: F401

import custpool as cp
from custpool.plot import plot_value

ENDS = [datetime(2026, m, 1, tzinfo=UTC) for m in (1, 2, 3)]


def hand_results():
    # a CONVERTED for both months, b CONNECTED then CHURNED, c CONNECTED, d PROSPECT
    snaps = cp.TierSnapshots(ENDS, [[3, 1, 1, 0], [3, 6, 1, 0], [3, 6, 1, 0]])
    return cp.tier_ltv(purchase_table(), snaps, discount_rate=0.25)


def heights(ax):
    return [float(bar.get_height()) for bar in ax.patches]


def test_revenue_by_state_of_a_hand_made_table():
    revenue = hand_results().revenue
    ax = plot_value(revenue)
    # CONVERTED (a): 50.00 in Jan + 30.00 in Feb over 2 customer-months = 40.00
    # CONNECTED: b buys 20.00 in Jan; b (Jan) and c (Jan, Feb) = 3 customer-months -> 6.67
    assert heights(ax)[3] == pytest.approx(40.0)
    assert heights(ax)[1] == pytest.approx(20.0 / 3)
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["0.00", "6.67", "n/a", "40.00", "n/a", "n/a", "0.00"]
    assert ax.get_ylabel() == "CNY"
    assert ax.get_title() == "Net revenue per customer-period by state"


def test_ltv_bars_are_the_values_in_yuan():
    ltv = hand_results()
    ax = plot_value(ltv)
    # CONVERTED stays CONVERTED: 40.00 a month at δ = 1 / 1.25 = 0.8 -> 40 / (1 - 0.8) = 200
    assert heights(ax)[3] == pytest.approx(200.0)
    expected = [0.0 if math.isnan(v) else v / 100 for v in ltv.value]
    np.testing.assert_allclose(heights(ax), expected)
    unknown = [t.get_text() == "n/a" for t in ax.texts]
    assert unknown == np.isnan(ltv.value).tolist()


def test_ltv_of_a_synthetic_pool():
    ltv = synthetic().ltv
    ax = plot_value(ltv)
    expected = [0.0 if math.isnan(v) else v / 100 for v in ltv.value]  # CNY: 2 digits
    np.testing.assert_allclose(heights(ax), expected)
    assert ax.get_title() == "Lifetime value by starting state"


def test_only_value_results_are_drawn():
    with pytest.raises(cp.WrongTypeError, match="result"):
        plot_value(hand_results().flows)
