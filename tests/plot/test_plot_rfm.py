"""plot_rfm: the frequency/recency matrix of counts and of mean spend."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from plot_helpers import close_figures, purchase_table, synthetic  # noqa: F401

import custpool as cp
from custpool.plot import plot_rfm
from custpool.plot._rfm import rfm_edges


def hand_summary():
    # monthly periods from Jan 1: a buys in Jan and Feb (frequency 1, recency 1), c in Jan only
    return cp.rfm_summary(
        purchase_table(),
        datetime(2026, 3, 1, tzinfo=UTC),
        period=timedelta(days=31),
        origin=datetime(2026, 1, 1, tzinfo=UTC),
    )


def matrix(ax):
    return np.ma.filled(ax.images[0].get_array(), np.nan)


def test_counts_of_a_hand_made_table():
    summary = hand_summary()
    assert summary.frequency.tolist() == [1.0, 0.0]
    assert summary.recency.tolist() == [1.0, 0.0]
    ax = plot_rfm(summary)
    # rows: frequency 0, 1; columns: recency 0, 1
    assert matrix(ax).tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1"]
    assert ax.get_xlabel() == "recency (periods)"
    assert ax.get_ylabel() == "frequency (repeat periods)"


def test_monetary_is_the_mean_spend_of_each_cell():
    summary = hand_summary()
    drawn = matrix(plot_rfm(summary, value="monetary"))
    # a: one repeat period of 30.00 -> monetary_value 30.0; c: no repeat -> 0.0
    assert drawn[1, 1] == 30.0
    assert drawn[0, 0] == 0.0
    assert np.isnan(drawn[0, 1])  # no one there: blank, not zero


def test_a_synthetic_pool_counts_every_buyer_once():
    rfm = synthetic().rfm
    counts = matrix(plot_rfm(rfm, bins=8))
    assert counts.sum() == len(rfm)
    assert counts.shape[0] <= 8
    assert counts.shape[1] <= 8
    spend = matrix(plot_rfm(rfm, value="monetary", bins=8))
    # sum over cells of mean x count = total of monetary_value
    total = np.nansum(spend * counts)
    assert total == pytest.approx(rfm.monetary_value.sum())


@given(st.lists(st.integers(0, 500), min_size=1, max_size=50), st.integers(1, 20))
def test_edges_cover_every_value_in_at_most_bins_bins(values, bins):
    data = np.array(values, dtype=np.float64)
    edges = rfm_edges(data, bins)
    assert len(edges) - 1 <= bins
    assert edges[0] < data.min()
    assert edges[-1] > data.max()
    counts, _ = np.histogram(data, edges)
    assert counts.sum() == len(values)


def test_bad_arguments_are_refused():
    with pytest.raises(cp.ValidationError, match="value"):
        plot_rfm(hand_summary(), value="recency")
    with pytest.raises(cp.ValidationError, match="bins"):
        plot_rfm(hand_summary(), bins=0)
    with pytest.raises(cp.WrongTypeError, match="bins"):
        plot_rfm(hand_summary(), bins=2.5)
    with pytest.raises(cp.WrongTypeError, match="summary"):
        plot_rfm(purchase_table())
