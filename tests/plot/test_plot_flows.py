"""plot_flows (alluvial) and plot_flow_matrix (heatmap): ribbons and cells are the moves."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib import pyplot as plt
from plot_helpers import ENDS, close_figures, hand_snapshots, synthetic  # noqa: F401

import custpool as cp
from custpool.plot import plot_flow_matrix, plot_flows


def ribbons(ax):
    return {p.get_gid(): int(p.get_label()) for p in ax.patches if p.get_gid().startswith("flow:")}


def blocks(ax):
    return {p.get_gid(): p.get_height() for p in ax.patches if p.get_gid().startswith("block:")}


def test_alluvial_of_a_hand_made_transition():
    flows = cp.tier_flows(hand_snapshots())
    # Feb [1, 1, 2, 3] -> Mar [1, 2, 4, 6]: one stays CONNECTED, one engages, ENGAGED becomes
    # ADVOCATE, CONVERTED churns
    assert ribbons(plot_flows(flows)) == {
        "flow:connected->connected": 1,
        "flow:connected->engaged": 1,
        "flow:engaged->advocate": 1,
        "flow:converted->churned": 1,
    }
    # Jan [0, 1, 1, 2] -> Feb [1, 1, 2, 3]
    assert ribbons(plot_flows(flows, period=0)) == {
        "flow:prospect->connected": 1,
        "flow:connected->connected": 1,
        "flow:connected->engaged": 1,
        "flow:engaged->converted": 1,
    }


def test_alluvial_pools_the_transitions_with_period_none():
    flows = cp.tier_flows(hand_snapshots())
    ax = plot_flows(flows, period=None)
    drawn = ribbons(ax)
    assert drawn["flow:connected->connected"] == 2  # one in each period
    assert drawn["flow:connected->engaged"] == 2
    assert sum(drawn.values()) == 8  # 4 customers x 2 transitions
    assert ax.get_title() == "Flows over 2 periods"


def test_alluvial_blocks_are_proportional_to_the_snapshot_counts():
    ax = plot_flows(cp.tier_flows(hand_snapshots()))
    drawn = blocks(ax)
    # Feb: CONNECTED 2, ENGAGED 1, CONVERTED 1; Mar: one each of four states
    assert set(drawn) == {
        "block:from:connected", "block:from:engaged", "block:from:converted",
        "block:to:connected", "block:to:engaged", "block:to:advocate", "block:to:churned",
    }  # fmt: skip
    unit = drawn["block:from:engaged"]
    assert drawn["block:from:connected"] == pytest.approx(2 * unit)
    assert drawn["block:to:churned"] == pytest.approx(unit)


def test_alluvial_of_a_synthetic_pool_has_one_ribbon_per_nonzero_move():
    flows = synthetic().flows
    drawn = ribbons(plot_flows(flows))
    counts = flows.counts[-1]
    assert len(drawn) == np.count_nonzero(counts)
    for gid, n in drawn.items():
        i, j = (cp.State(s).code for s in gid.removeprefix("flow:").split("->"))
        assert counts[i, j] == n


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.integers(0, 6), min_size=5, max_size=5), min_size=2, max_size=2))
def test_ribbons_add_up_to_every_customer(states):
    flows = cp.tier_flows(cp.TierSnapshots(ENDS[:2], states))
    fig, ax = plt.subplots()
    try:
        drawn = ribbons(plot_flows(flows, ax=ax))
    finally:
        plt.close(fig)
    assert sum(drawn.values()) == 5
    assert len(drawn) == np.count_nonzero(flows.counts[0])


def test_heatmap_holds_the_counts_or_the_row_shares():
    flows = cp.tier_flows(hand_snapshots())
    counts = plot_flow_matrix(flows).images[0].get_array()
    assert counts.tolist() == flows.counts[-1].tolist()
    shares = plot_flow_matrix(flows, period=0, share=True).images[0].get_array()
    # Jan CONNECTED (2): one stays, one engages -> 1/2 each; no one was ADVOCATE -> blank row
    assert shares[1].tolist() == [0.0, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0]
    assert np.ma.getmaskarray(shares)[4].all()


def test_heatmap_labels_each_cell_and_the_axes():
    ax = plot_flow_matrix(cp.tier_flows(hand_snapshots()), period=None)
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 49  # every cell of the 7 x 7 counts
    assert texts[7 * 1 + 1] == "2"  # CONNECTED stays twice
    assert ax.get_xlabel() == "to (later)"
    assert ax.get_ylabel() == "from (earlier)"


def test_heatmap_of_a_synthetic_pool_pools_like_the_flows():
    flows = synthetic().flows
    drawn = plot_flow_matrix(flows, period=None, share=True).images[0].get_array()
    np.testing.assert_allclose(np.ma.filled(drawn, np.nan), flows.probabilities)


@pytest.mark.parametrize("plot", [plot_flows, plot_flow_matrix])
def test_bad_arguments_are_refused(plot):
    flows = cp.tier_flows(hand_snapshots())
    with pytest.raises(cp.WrongTypeError, match="flows"):
        plot(hand_snapshots())
    with pytest.raises(cp.ValidationError, match="period"):
        plot(flows, period=2)  # two transitions: 0 and 1
    with pytest.raises(cp.WrongTypeError, match="period"):
        plot(flows, period="last")
