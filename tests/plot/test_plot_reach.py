"""plot_fission (referral generations) and plot_channels (channel attribution)."""

from datetime import timedelta

import pytest
from plot_helpers import close_figures, synthetic  # noqa: F401

import custpool as cp
from custpool.plot import CHANNEL_VALUES, plot_channels, plot_fission


@pytest.fixture(scope="module")
def table():
    return cp.EventTable.from_interactions(cp.example_pool().interactions)


def test_generations_of_the_hand_made_pool(table):
    report = cp.fission(table, cp.Policy(), cp.EXAMPLE_START, cp.EXAMPLE_START + timedelta(days=30))
    ax = plot_fission(report)
    # referral_tree's docstring: four founders, two referred by c-001
    assert [int(bar.get_height()) for bar in ax.patches] == [4, 2]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1"]
    assert ax.get_title() == f"Referral generations (K-factor {report.k_factor:.2f})"


def test_generations_of_a_synthetic_pool():
    report = synthetic().fission
    ax = plot_fission(report)
    assert tuple(int(bar.get_height()) for bar in ax.patches) == report.generation_counts
    assert sum(report.generation_counts) == len(report.customer_ids)


def test_channels_of_the_hand_made_pool(table):
    report = cp.channel_attribution(table, cp.EXAMPLE_START, cp.EXAMPLE_START + timedelta(days=30))
    ax = plot_channels(report)
    # the bars from the top down, as the channels are listed
    ticks = sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])
    labels = [t.get_text() for t in ticks]
    widths = [int(bar.get_width()) for bar in sorted(ax.patches, key=lambda b: -b.get_y())]
    # channel_attribution's docstring: store 1, ecommerce 1, live_stream 1, mini_program 1,
    # referral 2 (c-002 and c-006); all six are attributed, so no "unattributed" bar
    assert report.unattributed_customers == 0
    assert labels == ["store", "ecommerce", "live_stream", "mini_program", "referral"]
    assert widths == [1, 1, 1, 1, 2]
    assert ax.get_title() == "Channel attribution: customers"


def test_channel_revenue_adds_up_to_the_windows_revenue(table):
    report = cp.channel_attribution(table, cp.EXAMPLE_START, cp.EXAMPLE_START + timedelta(days=30))
    ax = plot_channels(report, "revenue")
    # store 38 + 128 (c-001), referral 45 (c-002): 211.00 CNY
    assert [float(bar.get_width()) for bar in ax.patches] == [166.0, 45.0]
    assert sum(float(bar.get_width()) for bar in ax.patches) == float(report.revenue.amount)
    assert [t.get_text() for t in ax.texts] == ["166.00", "45.00"]
    assert ax.get_title() == "Channel attribution: revenue (CNY)"


@pytest.mark.parametrize("value", CHANNEL_VALUES)
def test_every_value_of_a_synthetic_pool(value):
    report = synthetic().channels
    ax = plot_channels(report, value)
    expected = {}
    for row in report.rows:
        got = getattr(row, value)
        got = float(got.amount) if value == "revenue" else got
        if got:
            expected[row.source.value] = float(got)
    label_at = {
        round(float(y)): t.get_text()
        for y, t in zip(ax.get_yticks(), ax.get_yticklabels(), strict=True)
    }
    drawn = {
        label_at[round(bar.get_y() + bar.get_height() / 2)]: float(bar.get_width())
        for bar in ax.patches
    }
    drawn.pop("unattributed", None)
    assert drawn == pytest.approx(expected)


def test_bad_arguments_are_refused(table):
    report = cp.channel_attribution(table, cp.EXAMPLE_START, cp.EXAMPLE_START + timedelta(days=30))
    with pytest.raises(cp.ValidationError, match="value"):
        plot_channels(report, "refunded")
    with pytest.raises(cp.WrongTypeError, match="attribution"):
        plot_channels(report.rows)
    with pytest.raises(cp.WrongTypeError, match="report"):
        plot_fission(report)
