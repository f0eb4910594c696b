"""custpool.plot's BG/NBD plots: the matrix holds the model's values; calibration vs holdout."""

import matplotlib as mpl
import numpy as np
import pytest
from clv_helpers import CALIBRATION_END, OBSERVATION_END, cdnow_table

import custpool as cp
from custpool.clv import calibration_holdout, fit_bgnbd
from custpool.plot import plot_calibration_holdout, plot_clv_matrix

mpl.use("Agg")
import matplotlib.pyplot as plt


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def fitted():
    split = calibration_holdout(cdnow_table(), CALIBRATION_END, OBSERVATION_END, freq_multiplier=7)
    return split, fit_bgnbd(split.calibration)


def test_matrix_cells_are_the_models_values(fitted):
    split, model = fitted
    ax = plot_clv_matrix(model, split.calibration, value="purchases", t=4)
    matrix = ax.images[0].get_array()
    top_f, top_t = int(split.calibration.frequency.max()), 39  # ceil(272 / 7)
    assert matrix.shape == (top_f + 1, top_t + 1)
    assert matrix[3, 20] == pytest.approx(float(model.expected_purchases(4, 3, 20, top_t)))
    alive = plot_clv_matrix(model, split.calibration, value="p_alive").images[0].get_array()
    assert np.all(alive[0] == 1.0)  # frequency 0: alive by the model's construction
    assert alive[5, 39] > alive[5, 5]  # bought lately: more likely alive


def test_matrix_checks_its_arguments(fitted):
    split, model = fitted
    with pytest.raises(cp.ValidationError, match="value"):
        plot_clv_matrix(model, split.calibration, value="spend")
    with pytest.raises(cp.ValidationError, match="t="):
        plot_clv_matrix(model, split.calibration, t=0)
    with pytest.raises(cp.WrongTypeError, match="model"):
        plot_clv_matrix(split, split.calibration)
    with pytest.raises(cp.WrongTypeError, match="t="):
        plot_clv_matrix(model, split.calibration, t="39")
    with pytest.raises(cp.WrongTypeError, match="max_frequency"):
        plot_calibration_holdout(model, split, max_frequency=2.5)
    with pytest.raises(cp.ValidationError, match="max_frequency"):
        plot_calibration_holdout(model, split, max_frequency=0)


def test_calibration_holdout_lines(fitted):
    split, model = fitted
    ax = plot_calibration_holdout(model, split, max_frequency=5)
    actual, predicted = ax.lines[0], ax.lines[1]
    assert actual.get_xdata().tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    zero = split.calibration.frequency == 0
    assert actual.get_ydata()[0] == pytest.approx(split.holdout_frequency[zero].mean())
    c = split.calibration
    expected = model.expected_purchases(39.0, c.frequency, c.recency, c.T)
    assert predicted.get_ydata()[0] == pytest.approx(expected[zero].mean())
    assert ax.get_xlabel() == "purchases in calibration"


def test_chinese_labels_or_fallback(fitted):
    split, model = fitted
    with pytest.warns(cp.plot.FontFallbackWarning) if cp.plot.cjk_font() is None else _Nothing():
        ax = plot_calibration_holdout(model, split, lang="zh")
    assert ax.get_title() in ("校准期与验证期购买次数", "Calibration against holdout purchases")


class _Nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
