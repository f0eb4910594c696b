"""Tiers meet probability (p_alive by state) and the calibration/holdout split on CDNOW."""

import numpy as np
import pytest
from clv_helpers import CALIBRATION_END, OBSERVATION_END, cdnow_table

import custpool as cp
from custpool.clv import calibration_holdout, fit_bgnbd, p_alive_by_state


@pytest.fixture(scope="module")
def split():
    return calibration_holdout(cdnow_table(), CALIBRATION_END, OBSERVATION_END, freq_multiplier=7)


def test_split_counts_the_holdout_purchases(split):
    whole = cp.rfm_summary(cdnow_table(), OBSERVATION_END, freq_multiplier=7)
    # every customer first bought in 1997 Q1, so the holdout holds all later repeat purchases
    assert (
        split.holdout_frequency.sum() == whole.frequency.sum() - split.calibration.frequency.sum()
    )
    assert split.duration == 39.0  # 1997-09-30 to 1998-06-30: 273 days = 39 weeks
    assert np.all(split.holdout_frequency >= 0)
    assert "2357 customers" in repr(split)


def test_holdout_forecast_on_cdnow(split):
    model = fit_bgnbd(split.calibration)
    c = split.calibration
    forecast = model.expected_purchases(split.duration, c.frequency, c.recency, c.T).sum()
    actual = split.holdout_frequency.sum()
    # measured, not a published figure: 1,653.4 expected against 1,882 actual repeat purchase
    # days (−12.1%). The same sum from lifetimes' BetaGeoFitter agrees to 1e-6
    # (benchmarks/bench_clv.py); the "within 1%" is not reached on this definition.
    assert actual == 1882
    assert forecast == pytest.approx(1653.41, abs=0.01)


def test_split_refuses_an_observation_end_before_the_calibration_end():
    with pytest.raises(cp.ValidationError, match="observation_end"):
        calibration_holdout(cdnow_table(), CALIBRATION_END, CALIBRATION_END)


def test_p_alive_by_state_on_cdnow(split):
    table = cdnow_table()
    model = fit_bgnbd(split.calibration)
    tiers = cp.classify_table(table, cp.Policy(), CALIBRATION_END)
    report = p_alive_by_state(model, split.calibration, tiers)
    assert sum(report.customers) == 2357
    assert sum(report.repeat) == int(np.count_nonzero(split.calibration.frequency))
    assert all(
        0 <= lo <= med <= hi <= 1
        for lo, med, hi in zip(report.q25, report.median, report.q75, strict=True)
    )
    assert report.high == 0.8
    assert report.low == 0.2
    assert "p_alive" in str(report)
    assert len(repr(report)) <= 200
    assert report.to_frame("polars").height == len(report.states)


def test_disagreements_are_counted_among_repeat_customers(split):
    table = cdnow_table()
    model = fit_bgnbd(split.calibration)
    tiers = cp.classify_table(table, cp.Policy(), CALIBRATION_END)
    everyone = p_alive_by_state(model, split.calibration, tiers, high=0.0, low=1.0)
    alive = model.p_alive_of(split.calibration)
    repeat = split.calibration.frequency > 0
    # with high = 0 every quiet repeat customer counts, with low = 1 every staged one below 1
    codes = np.asarray(tiers.state)  # state codes by table index
    index = np.array([tiers.customer_ids.index(c) for c in split.calibration.customer_ids])
    state = codes[index]
    quiet = np.isin(state, [5, 6])  # DORMANT, CHURNED
    staged = np.isin(state, [1, 2, 3, 4])
    assert everyone.quiet_but_alive == int(np.count_nonzero(repeat & quiet))
    assert everyone.active_but_gone == int(np.count_nonzero(repeat & staged & (alive < 1)))
    # the repeat-only columns leave out the one-time buyers, whose p_alive BG/NBD fixes at 1
    for k, s in enumerate(everyone.states):
        mine = alive[repeat & (state == s.code)]
        assert everyone.repeat_mean[k] == pytest.approx(mine.mean(), rel=1e-12)
        assert everyone.repeat_median[k] == pytest.approx(np.median(mine), rel=1e-12)
        assert everyone.repeat_mean[k] < 1.0  # every repeat customer has p_alive below 1
    with pytest.raises(cp.ValidationError, match="high"):
        p_alive_by_state(model, split.calibration, tiers, high=2.0)
