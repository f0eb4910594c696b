"""Gamma-Gamma: lifetimes' documented CDNOW fit, the spend shrinkage and the correlation check."""

import math
import warnings
from datetime import UTC, datetime

import numpy as np
import pytest
from clv_helpers import CALIBRATION_END, DATA, cdnow_table

import custpool as cp
from custpool.clv import (
    FrequencyMonetaryWarning,
    GammaGamma,
    fit_gamma_gamma,
    frequency_monetary_correlation,
)
from custpool.clv._bgnbd import unique_rows
from custpool.clv._fit import maximise
from custpool.clv._gamma import _loglik


@pytest.fixture(scope="module")
def cdnow_summary():
    return cp.rfm_summary(cdnow_table(), CALIBRATION_END, freq_multiplier=7)


@pytest.fixture(scope="module")
def spend(cdnow_summary):
    return fit_gamma_gamma(cdnow_summary)


def test_fit_matches_lifetimes_documented_values(spend):
    # lifetimes' docs: p = 6.25, q = 3.74, v = 15.45 (946 repeat customers); our monetary_value is
    # exact where the CSV's zbar is rounded to cents, so γ lands at 15.44 (see the next test)
    assert spend.n_customers == 946
    assert round(spend.p, 2) == 6.25
    assert round(spend.q, 2) == 3.74
    assert spend.gamma == pytest.approx(15.45, abs=0.01)


def test_kernel_on_lifetimes_csv_gives_the_documented_values_exactly():
    raw = np.loadtxt(
        DATA / "cdnow_customers_summary_with_transactions.csv", delimiter=",", skiprows=1
    )
    x, m = raw[:, 1], raw[:, 4]
    (ux, um), w = unique_rows(x[x > 0], m[x > 0])
    theta = maximise("Gamma-Gamma", lambda t: _loglik(np.exp(t), ux, um, w), np.zeros(3), None)
    p, q, g = np.exp(theta)
    assert (round(p, 2), round(q, 2), round(g, 2)) == (6.25, 3.74, 15.45)


def test_one_customer_likelihood_by_hand():
    # p = q = γ = 1, x = 1, m = 1: lnΓ(2) − lnΓ(1) − lnΓ(1) + 1·ln 1 + 0·ln 1 + 1·ln 1 − 2·ln 2
    # = −2 ln 2
    one = np.array([1.0])
    assert _loglik(np.ones(3), one, one, one)[0] == pytest.approx(-2 * math.log(2), rel=1e-14)


def test_expected_profit_shrinks_towards_the_population_mean():
    model = GammaGamma(6.25, 3.74, 15.45, (0.0,) * 3, 0.0, 946)
    population = 6.25 * 15.45 / 2.74  # pγ/(q−1) = 35.24
    assert model.mean_spend == pytest.approx(population)
    # x = 2, m = 22.35: w = 12.5/(12.5 + 2.74) = 0.82021; 0.17979·35.24 + 0.82021·22.35 = 24.67
    got = model.conditional_expected_average_profit([0, 2, 200], [0.0, 22.35, 22.35])
    assert got[0] == pytest.approx(population)
    assert got[1] == pytest.approx(24.67, abs=0.005)
    assert abs(got[2] - 22.35) < abs(got[1] - 22.35)  # more purchases, closer to their own mean


def test_q_at_most_one_has_no_finite_mean():
    with pytest.raises(cp.ValidationError, match="q"):
        GammaGamma(1.0, 0.9, 1.0, (0.0,) * 3, 0.0, 1).conditional_expected_average_profit(1, 1)


def test_correlation_is_pearson_among_repeat_customers(cdnow_summary):
    repeat = cdnow_summary.frequency > 0
    expected = np.corrcoef(cdnow_summary.frequency[repeat], cdnow_summary.monetary_value[repeat])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 0.11 on CDNOW: below 0.3, no warning
        r = frequency_monetary_correlation(cdnow_summary)
    assert r == pytest.approx(expected[0, 1])
    assert abs(r) < 0.3


def _table(amounts_by_customer):
    d = 86_400_000_000
    customer, time, amount = [], [], []
    for c, amounts in enumerate(amounts_by_customer):
        for k, a in enumerate(amounts):
            customer.append(c)
            time.append(k * d)
            amount.append(a)
    n = len(customer)
    return cp.EventTable.from_arrays(
        customer=customer,
        time=time,
        kind=[8] * n,
        item=[0] * n,
        amount=amount,
        currency="CNY",
    )


def test_strong_correlation_warns():
    # the more they buy, the more they spend: r ≈ 0.98
    table = _table([[100, 100, 100], [100, 200, 200, 200], [100, 300, 300, 300, 300]])
    summary = cp.rfm_summary(table, datetime(1970, 2, 1, tzinfo=UTC))
    with pytest.warns(FrequencyMonetaryWarning, match="correlate"):
        r = frequency_monetary_correlation(summary)
    assert r > 0.9
    assert frequency_monetary_correlation(summary, warn=False) == r


def test_too_few_repeat_customers():
    table = _table([[100, 200], [100]])
    summary = cp.rfm_summary(table, datetime(1970, 2, 1, tzinfo=UTC))
    assert math.isnan(frequency_monetary_correlation(summary))
    with pytest.raises(cp.ValidationError, match="2 or more repeat"):
        fit_gamma_gamma(summary)


def test_free_repeat_orders_are_refused():
    table = _table([[100, 0], [100, 300], [100, 500, 100]])
    summary = cp.rfm_summary(table, datetime(1970, 2, 1, tzinfo=UTC))
    with pytest.raises(cp.ValidationError, match="positive spend") as info:
        fit_gamma_gamma(summary)
    assert info.value.field == "summary.monetary_value"


def test_display_and_frame(spend):
    assert repr(spend).startswith("GammaGamma(p=6.25")
    assert len(repr(spend)) <= 200
    assert "mean spend" in str(spend)
    assert spend.to_frame("polars")["parameter"].to_list() == ["p", "q", "gamma"]
