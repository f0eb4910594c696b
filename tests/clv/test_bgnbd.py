"""BG/NBD: the paper's CDNOW fit, a likelihood by hand, and the model's invariants."""

import math
from datetime import UTC, datetime

import numpy as np
import pytest
from clv_helpers import CALIBRATION_END, cdnow_table, simulate_bgnbd
from hypothesis import given
from hypothesis import strategies as st

import custpool as cp
from custpool.clv import BgNbd, fit_bgnbd
from custpool.clv._bgnbd import _loglik, unique_rows

PAPER = BgNbd(0.243, 4.414, 0.793, 2.426, (0.0,) * 4, 0.0, 1)


@pytest.fixture(scope="module")
def cdnow_summary():
    # the paper's calibration: first purchases in 1997 Q1, observed to 1997-09-30, in weeks
    return cp.rfm_summary(cdnow_table(), CALIBRATION_END, freq_multiplier=7)


@pytest.fixture(scope="module")
def cdnow_fit(cdnow_summary):
    return fit_bgnbd(cdnow_summary)


def test_the_cdnow_summary_is_the_papers(cdnow_summary):
    # 2,357 customers, 2,457 repeat purchases in the 39 calibration weeks (lifetimes' CSV)
    assert len(cdnow_summary) == 2357
    assert cdnow_summary.frequency.sum() == 2457
    assert cdnow_summary.T.max() == pytest.approx(272 / 7)  # 1997-01-01 to 1997-09-30


def test_fit_matches_the_papers_parameters_to_the_printed_precision(cdnow_fit):
    # Fader, Hardie & Lee (2005), table 1: r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = -9582.4
    assert round(cdnow_fit.r, 3) == 0.243
    assert round(cdnow_fit.alpha, 3) == 4.414
    assert round(cdnow_fit.a, 3) == 0.793
    assert round(cdnow_fit.b, 3) == 2.426
    assert round(cdnow_fit.log_likelihood, 1) == -9582.4
    assert cdnow_fit.n_customers == 2357


def test_standard_errors_are_positive_and_smaller_than_the_estimates(cdnow_fit):
    se = np.array(cdnow_fit.se)
    assert np.all(se > 0)
    assert np.all(se < np.array(list(cdnow_fit.params.values())))


def test_fit_recovers_simulated_parameters():
    table = simulate_bgnbd(np.random.default_rng(11), 20_000)
    summary = cp.rfm_summary(table, datetime(1997, 12, 30, tzinfo=UTC), freq_multiplier=7)
    fit = fit_bgnbd(summary)
    truth = np.array([0.25, 4.0, 0.8, 2.5])
    got = np.array(list(fit.params.values()))
    # within four standard errors of the truth
    assert np.all(np.abs(got - truth) < 4 * np.array(fit.se)), (got, fit.se)


def test_fit_does_not_depend_on_row_order(cdnow_summary):
    x, tx, t = cdnow_summary.frequency, cdnow_summary.recency, cdnow_summary.T
    w = np.ones_like(x)
    params = np.array([0.3, 4.0, 0.8, 2.5])
    order = np.random.default_rng(3).permutation(x.shape[0])
    assert _loglik(params, x, tx, t, w)[0] == pytest.approx(
        _loglik(params, x[order], tx[order], t[order], w)[0], rel=1e-13
    )


def test_one_customer_likelihood_by_hand():
    # r = α = a = b = 1; x = 1, tx = 1, T = 2:
    # A1 = lnΓ(2) − lnΓ(1) + 1·ln 1 = 0;  A2 = ln B(1, 2) − ln B(1, 1) = ln(1/2) − ln 1 = −ln 2
    # e^A3 = (1+2)^-(1+1) = 1/9;  e^A4 = a/(b+x−1) · (1+1)^-2 = 1 · 1/4
    # ln L = −ln 2 + ln(1/9 + 1/4) = ln(13/72)
    one = np.array([1.0])
    value, _ = _loglik(np.ones(4), one, one, np.array([2.0]), one)
    assert value == pytest.approx(math.log(13 / 72), rel=1e-14)


def test_gradient_is_the_derivative_of_the_likelihood(cdnow_summary):
    x, tx, t = cdnow_summary.frequency, cdnow_summary.recency, cdnow_summary.T
    w = np.ones_like(x)
    theta = np.log([0.3, 4.0, 0.8, 2.5])
    _, grad = _loglik(np.exp(theta), x, tx, t, w)
    h = 1e-6
    for i in range(4):
        step = np.zeros(4)
        step[i] = h
        up = _loglik(np.exp(theta + step), x, tx, t, w)[0]
        down = _loglik(np.exp(theta - step), x, tx, t, w)[0]
        assert grad[i] == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-9)


def test_p_alive_by_hand():
    # x = 2, tx = 30.43, T = 38.86: a/(b+x−1) = 0.793/3.426 = 0.23147;
    # ((α+T)/(α+tx))^(r+x) = (43.274/34.844)^2.243 = 1.6258; 1/(1 + 0.23147·1.6258) = 0.7266
    assert PAPER.p_alive(2, 30.43, 38.86) == pytest.approx(0.7266, abs=5e-5)


def test_probability_of_n_sums_to_one_and_gives_the_mean():
    n = np.arange(400)
    probs = PAPER.probability_of_n(n, 39.0)
    assert probs.sum() == pytest.approx(1.0, abs=1e-9)
    assert (n * probs).sum() == pytest.approx(float(PAPER.expected_purchases_new(39.0)), rel=1e-8)


def test_probability_of_n_refuses_fractions():
    with pytest.raises(cp.ValidationError, match="whole numbers"):
        PAPER.probability_of_n(1.5, 10.0)


def test_expected_purchases_with_no_history_and_no_time_is_zero():
    assert PAPER.expected_purchases(0.0, 3, 20.0, 30.0) == 0.0
    assert PAPER.expected_purchases_new(0.0) == 0.0


# whole weeks of daily periods (a small key space: bincount), or any floats (a sort)
row_values = st.one_of(
    st.integers(0, 30).map(lambda v: v / 7), st.floats(0, 1e6, allow_subnormal=False)
)


@given(st.lists(st.tuples(st.integers(0, 5), row_values, row_values), min_size=1, max_size=60))
def test_unique_rows_counts_each_distinct_row_once(rows):
    x, tx, t = (np.array(c, dtype=np.float64) for c in zip(*rows, strict=True))
    (ux, utx, ut), weights = unique_rows(x, tx, t)
    expected: dict[tuple[float, float, float], int] = {}
    for row in zip(x.tolist(), tx.tolist(), t.tolist(), strict=True):
        expected[row] = expected.get(row, 0) + 1
    got = list(zip(ux.tolist(), utx.tolist(), ut.tolist(), strict=True))
    assert got == sorted(expected)  # distinct rows, in lexicographic order
    assert weights.tolist() == [expected[row] for row in got]


histories = st.tuples(st.integers(0, 60), st.floats(0, 100), st.floats(0, 100)).map(
    lambda v: (v[0], min(v[1], v[2]) if v[0] else 0.0, max(v[1], v[2], 0.01))
)
# away from the formulas' removable singularities a = 1 and a + b + x = 1 (see expected_purchases)
models = st.tuples(*(st.floats(0.05, 20) for _ in range(4))).filter(
    lambda p: abs(p[2] - 1) > 0.01 and p[2] + p[3] > 1.01
)


@given(histories, models)
def test_p_alive_is_a_probability_and_one_without_repeat_purchases(history, params):
    model = BgNbd(*params, (0.0,) * 4, 0.0, 1)
    x, tx, t = history
    alive = float(model.p_alive(x, tx, t))
    assert 0.0 <= alive <= 1.0
    if x == 0:
        assert alive == 1.0


@given(histories, models, st.floats(0.1, 50), st.floats(0.1, 50))
def test_expected_purchases_grow_with_time(history, params, t1, extra):
    model = BgNbd(*params, (0.0,) * 4, 0.0, 1)
    early = float(model.expected_purchases(t1, *history))
    late = float(model.expected_purchases(t1 + extra, *history))
    assert early >= 0
    assert late >= early * (1 - 1e-9)


def test_wrong_inputs_name_the_field():
    with pytest.raises(cp.WrongTypeError, match="summary"):
        fit_bgnbd({"frequency": [1]})
    empty = cp.rfm_summary(cdnow_table(), datetime(1996, 1, 1, tzinfo=UTC))
    with pytest.raises(cp.ValidationError, match="no customer"):
        fit_bgnbd(empty)
    firsts = cp.rfm_summary(cdnow_table(), CALIBRATION_END, include_first_transaction=True)
    with pytest.raises(cp.ValidationError, match="include_first_transaction"):
        fit_bgnbd(firsts)
    one_day = cp.rfm_summary(cdnow_table(), datetime(1997, 1, 1, tzinfo=UTC))
    with pytest.raises(cp.ValidationError, match="no repeat customer"):
        fit_bgnbd(one_day)


def test_a_pool_without_heterogeneity_is_refused_not_fitted():
    # every customer buys on 4 evenly spread days: no dropout and no spread of rates, so the
    # maximum likelihood runs off to a boundary; the error says so instead of returning junk
    d = 86_400_000_000
    n = 50
    customer = np.repeat(np.arange(n), 4)
    time = np.tile(np.array([0, 30, 60, 90]) * d, n)
    table = cp.EventTable.from_arrays(
        customer=customer,
        time=time,
        kind=[8] * 4 * n,
        item=[0] * 4 * n,
        amount=[100] * 4 * n,
        currency="CNY",
    )
    summary = cp.rfm_summary(table, datetime(1970, 4, 1, tzinfo=UTC), freq_multiplier=7)
    with pytest.raises(cp.ValidationError, match=r"boundary|converge|identified") as info:
        fit_bgnbd(summary)
    assert info.value.field == "summary"


def test_display_and_frame(cdnow_fit):
    assert len(repr(cdnow_fit)) <= 200
    assert repr(cdnow_fit).startswith("BgNbd(r=0.2426, alpha=4.414")
    text = str(cdnow_fit)
    assert "alpha" in text
    assert "-9,582.4" in text
    assert "<table" in cdnow_fit._repr_html_()
    frame = cdnow_fit.to_frame("polars")
    assert frame["parameter"].to_list() == ["r", "alpha", "a", "b"]
    assert frame["estimate"][0] == pytest.approx(cdnow_fit.r)


def test_result_is_frozen(cdnow_fit):
    with pytest.raises(AttributeError):
        cdnow_fit.r = 1.0


def test_no_purchase_in_no_time_is_certain():
    """Review finding: P(X(0) = 0) was NaN (0 · ln 0); it is 1, and P(X(0) = n > 0) is 0."""
    model = BgNbd(0.243, 4.414, 0.793, 2.426, (0.0,) * 4, 0.0, 1)
    assert model.probability_of_n([0, 1, 3], 0).tolist() == [1.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("history", "field"),
    [
        (([-1], [5], [3]), "frequency"),  # a negative count
        (([1.5], [2], [3]), "frequency"),  # a fraction of a period
        (([1], [-2], [3]), "recency"),
        (([2], [5], [3]), "recency"),  # the last purchase after the end of the age
        (([1], [float("nan")], [3]), "recency"),
        (([1], [1], [float("inf")]), "T"),
    ],
)
def test_an_impossible_history_is_refused_by_name(history, field):
    model = BgNbd(0.243, 4.414, 0.793, 2.426, (0.0,) * 4, 0.0, 1)
    for predict in (model.p_alive, lambda *h: model.expected_purchases(10, *h)):
        with pytest.raises(cp.ValidationError) as caught:
            predict(*history)
        assert caught.value.field == field


def test_a_negative_horizon_is_refused():
    model = BgNbd(0.243, 4.414, 0.793, 2.426, (0.0,) * 4, 0.0, 1)
    with pytest.raises(cp.ValidationError, match="0 or more periods"):
        model.expected_purchases(-5, 1, 5, 10)
    with pytest.raises(cp.ValidationError, match="0 or more periods"):
        model.expected_purchases_new([-1])
