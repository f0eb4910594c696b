"""plot_states and plot_funnel: bar heights are the result's counts, labels the states."""

import pytest
from plot_helpers import ENDS, close_figures, hand_snapshots, synthetic  # noqa: F401

import custpool as cp
from custpool.plot import plot_funnel, plot_states

STATE_VALUES = ["prospect", "connected", "engaged", "converted", "advocate", "dormant", "churned"]


def heights(ax):
    return [int(bar.get_height()) for bar in ax.patches]


def test_states_of_a_hand_made_snapshot():
    ax = plot_states(hand_snapshots(), period=1)
    # Feb 1: [1, 1, 2, 3] -> CONNECTED 2, ENGAGED 1, CONVERTED 1
    assert heights(ax) == [0, 2, 1, 1, 0, 0, 0]
    assert [t.get_text() for t in ax.get_xticklabels()] == STATE_VALUES
    assert [t.get_text() for t in ax.texts] == ["0", "2", "1", "1", "0", "0", "0"]
    assert "2026-02-01" in ax.get_title()


def test_states_default_to_the_last_snapshot_and_accept_negative_periods():
    snaps = hand_snapshots()
    # Mar 1: [1, 2, 4, 6] -> CONNECTED, ENGAGED, ADVOCATE, CHURNED one each
    assert heights(plot_states(snaps)) == [0, 1, 1, 0, 1, 0, 1]
    assert heights(plot_states(snaps, period=-3)) == heights(plot_states(snaps, period=0))


def test_states_of_a_synthetic_tier_table_equal_its_counts():
    tiers = synthetic().tiers
    ax = plot_states(tiers)
    assert heights(ax) == list(tiers.counts().values())
    assert sum(heights(ax)) == len(tiers.customer_ids)


def test_funnel_of_a_hand_made_snapshot():
    ax = plot_funnel(hand_snapshots(), period=1)
    # Feb 1: CONNECTED 2, ENGAGED 1, CONVERTED 1, ADVOCATE 0 -> at or beyond: 4, 2, 1, 0
    assert [int(bar.get_width()) for bar in ax.patches] == [4, 2, 1, 0]
    assert [t.get_text() for t in ax.texts] == [
        "4",
        "2\n50% of the stage before",  # 2 / 4
        "1\n50% of the stage before",  # 1 / 2
        "0\n0% of the stage before",  # 0 / 1
    ]
    # centred bars: each starts at minus half its width
    assert [bar.get_x() for bar in ax.patches] == [-2.0, -1.0, -0.5, -0.0]


def test_funnel_of_a_synthetic_pool_narrows_and_sums_the_active_states():
    tiers = synthetic().tiers
    counts = tiers.counts()
    widths = [int(bar.get_width()) for bar in plot_funnel(tiers).patches]
    active = [cp.State.CONNECTED, cp.State.ENGAGED, cp.State.CONVERTED, cp.State.ADVOCATE]
    assert widths == [sum(counts[s] for s in active[k:]) for k in range(4)]
    assert widths == sorted(widths, reverse=True)


@pytest.mark.parametrize("plot", [plot_states, plot_funnel])
@pytest.mark.parametrize("period", [3, -4])
def test_a_period_outside_the_snapshots_is_refused(plot, period):
    with pytest.raises(cp.ValidationError, match="period"):
        plot(hand_snapshots(), period=period)


@pytest.mark.parametrize("plot", [plot_states, plot_funnel])
def test_anything_but_tiers_is_refused(plot):
    with pytest.raises(cp.WrongTypeError, match="result"):
        plot(ENDS)
    with pytest.raises(cp.WrongTypeError, match="period"):
        plot(hand_snapshots(), period=1.0)
