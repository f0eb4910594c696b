"""CLV: lifetimes' monthly discounted definition, by hand, and summed by tier state."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from clv_helpers import CALIBRATION_END, OBSERVATION_END, cdnow_table

import custpool as cp
from custpool.clv import BgNbd, GammaGamma, calibration_holdout, clv, fit_bgnbd, fit_gamma_gamma

MODEL = BgNbd(0.243, 4.414, 0.793, 2.426, (0.0,) * 4, 0.0, 1)
SPEND = GammaGamma(6.25, 3.74, 15.45, (0.0,) * 3, 0.0, 1)


@pytest.fixture(scope="module")
def cdnow():
    table = cdnow_table()
    summary = cp.rfm_summary(table, CALIBRATION_END, freq_multiplier=7)
    return table, summary, fit_bgnbd(summary), fit_gamma_gamma(summary)


def test_clv_is_the_discounted_sum_of_monthly_purchases_times_spend(cdnow):
    _, summary, model, spend = cdnow
    value = clv(model, spend, summary, horizon=3, discount_rate=0.1)
    x, tx, t = summary.frequency, summary.recency, summary.T
    e = [model.expected_purchases(k * 4.345, x, tx, t) for k in (1, 2, 3)]  # weeks per month
    m = spend.conditional_expected_average_profit(x, summary.monetary_value)
    by_hand = m * (e[0] / 1.1 + (e[1] - e[0]) / 1.1**2 + (e[2] - e[1]) / 1.1**3)
    np.testing.assert_allclose(value.value, by_hand, rtol=1e-12)
    assert value.freq == "W"
    assert value.customer_ids == summary.customer_ids
    assert value.total == pytest.approx(by_hand.sum())


def test_no_discount_is_expected_purchases_times_spend(cdnow):
    _, summary, model, spend = cdnow
    value = clv(model, spend, summary, horizon=12, discount_rate=0)
    x, tx, t = summary.frequency, summary.recency, summary.T
    m = spend.conditional_expected_average_profit(x, summary.monetary_value)
    np.testing.assert_allclose(
        value.value, m * model.expected_purchases(12 * 4.345, x, tx, t), rtol=1e-10
    )


def test_longer_horizon_is_worth_more(cdnow):
    _, summary, model, spend = cdnow
    short = clv(model, spend, summary, horizon=6)
    long = clv(model, spend, summary, horizon=24)
    assert np.all(long.value >= short.value)


def test_by_state_sums_to_the_total(cdnow):
    table, summary, model, spend = cdnow
    value = clv(model, spend, summary)
    tiers = cp.classify_table(table, cp.Policy(), CALIBRATION_END)
    states = value.by_state(tiers)
    assert sum(states.customers) == len(summary)
    assert sum(states.value) == pytest.approx(value.total, rel=1e-12)
    assert "state" in str(states)
    assert states.to_frame("polars")["clv"].sum() == pytest.approx(value.total)


def test_units_and_arguments_are_checked(cdnow):
    table, summary, model, spend = cdnow
    months = cp.rfm_summary(table, CALIBRATION_END, period=timedelta(days=30))
    with pytest.raises(cp.ValidationError, match="freq"):
        clv(model, spend, months)
    assert clv(model, spend, months, freq="M").freq == "M"
    with pytest.raises(cp.ValidationError, match="freq"):
        clv(model, spend, summary, freq="Y")
    with pytest.raises(cp.ValidationError, match="horizon"):
        clv(model, spend, summary, horizon=0)
    with pytest.raises(cp.ValidationError, match="discount_rate"):
        clv(model, spend, summary, discount_rate=1.5)
    with pytest.raises(cp.WrongTypeError, match="gamma_gamma"):
        clv(model, model, summary)
    with pytest.raises(cp.WrongTypeError, match="horizon"):  # a type, not a value, is wrong
        clv(model, spend, summary, horizon="12")
    assert clv(model, spend, summary, horizon=np.int64(12)).total == pytest.approx(
        clv(model, spend, summary, horizon=12).total
    )


def test_by_state_needs_the_same_customers(cdnow):
    _, summary, model, spend = cdnow
    other = cp.EventTable.from_arrays(
        customer=[0],
        time=[0],
        kind=[8],
        item=[0],
        amount=[1],
        currency="USD",
        customer_ids=["zz"],
    )
    tiers = cp.classify_table(other, cp.Policy(), datetime(1998, 1, 1, tzinfo=UTC))
    with pytest.raises(cp.ValidationError, match="not in tiers"):
        clv(model, spend, summary).by_state(tiers)


def test_display(cdnow):
    _, summary, model, spend = cdnow
    value = clv(model, spend, summary)
    assert len(repr(value)) <= 200
    assert repr(value).startswith("Clv(2357 customers, 12 months")
    assert not value.value.flags.writeable  # a frozen result holds read-only arrays
    frame = value.to_frame("polars")
    assert frame.columns == ["customer_id", "clv", "currency"]
    assert frame.height == 2357
    assert set(frame["currency"].to_list()) == {"USD"}
    assert "total (USD)" in str(value)
    assert "合计 (USD)" in value.to_text(lang="zh")
    assert "<table" in value._repr_html_()


def test_calibration_holdout_shows_itself_and_converts_to_a_frame():
    split = calibration_holdout(cdnow_table(), CALIBRATION_END, OBSERVATION_END, freq_multiplier=7)
    text = str(split)
    assert "purchases in holdout: 1,882" in text
    assert "repeat purchases in calibration: 2,457" in text  # the paper's 2,457 repeat days
    assert "验证期购买次数: 1,882" in split.to_text(lang="zh")
    assert "<table" in split._repr_html_()
    frame = split.to_frame("polars")
    assert frame.columns == [
        "customer_id", "frequency", "recency", "T", "holdout_frequency", "duration_holdout",
    ]  # fmt: skip
    assert frame["holdout_frequency"].sum() == 1882
