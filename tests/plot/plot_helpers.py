"""Results for the plot tests: hand-made ones with known numbers, and a synthetic pool's."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib import pyplot as plt

import custpool as cp
from custpool import plot as cplot
from custpool.synth import SynthConfig, generate

if TYPE_CHECKING:
    from collections.abc import Iterator

mpl.use("Agg")

__all__ = [
    "ENDS",
    "NAMES",
    "every_plot",
    "HAND_STATES",
    "Synthetic",
    "close_figures",
    "hand_snapshots",
    "purchase_table",
    "synthetic",
]

# Three month ends; four customers whose states are given by hand (State.code: 0 prospect,
# 1 connected, 2 engaged, 3 converted, 4 advocate, 5 dormant, 6 churned).
ENDS = tuple(datetime(2026, m, 1, tzinfo=UTC) for m in (1, 2, 3))
HAND_STATES = [[0, 1, 1, 2], [1, 1, 2, 3], [1, 2, 4, 6]]


def hand_snapshots() -> cp.TierSnapshots:
    return cp.TierSnapshots(ENDS, HAND_STATES)


def purchase_table() -> cp.EventTable:
    """Customer 0 buys 50.00 on Jan 15 and 30.00 on Feb 10; customer 1 buys 20.00 on Jan 20."""
    return cp.EventTable.from_arrays(
        [0, 0, 1],
        np.array(["2026-01-15", "2026-02-10", "2026-01-20"], dtype="datetime64[us]"),
        [8, 8, 8],  # PURCHASE
        amount=[5000, 3000, 2000],
        item=[0, 0, 0],
        customer_ids=["a", "b", "c", "d"],
        currency="CNY",
    )


@dataclass(frozen=True)
class Synthetic:
    """Every result the plots draw, from one synthetic pool."""

    tiers: cp.TierTable
    snapshots: cp.TierSnapshots
    flows: cp.TierFlows
    growth: cp.PoolGrowth
    trend: tuple[cp.HealthReport, ...]
    ltv: cp.TierLTV
    rfm: cp.RfmSummary
    fission: cp.FissionReport
    channels: cp.ChannelAttribution


@functools.cache
def synthetic() -> Synthetic:
    pool = generate(SynthConfig(n_customers=400), seed=11)
    table, policy = pool.table, cp.Policy()
    ends = [datetime(2025, m, 1, tzinfo=UTC) for m in (3, 6, 9, 12)]
    snapshots = cp.tier_snapshots(table, policy, ends)
    return Synthetic(
        tiers=cp.classify_table(table, policy, ends[-1]),
        snapshots=snapshots,
        flows=snapshots.flows(),
        growth=cp.pool_growth(table, ends),
        trend=cp.health_trend(table, pool.charter, ends, activities=pool.activities),
        ltv=cp.tier_ltv(table, snapshots, discount_rate=0.05),
        rfm=cp.rfm_summary(table, ends[-1]),
        fission=cp.fission(table, policy, ends[0], ends[-1]),
        channels=cp.channel_attribution(table, ends[0], ends[-1]),
    )


def every_plot():
    """One call of each plot function on a synthetic pool's results (lang given)."""
    s = synthetic()
    return {
        "plot_states": lambda lang: cplot.plot_states(s.tiers, lang=lang),
        "plot_funnel": lambda lang: cplot.plot_funnel(s.snapshots, lang=lang),
        "plot_flows": lambda lang: cplot.plot_flows(s.flows, lang=lang),
        "plot_flow_matrix": lambda lang: cplot.plot_flow_matrix(s.flows, lang=lang),
        "plot_growth": lambda lang: cplot.plot_growth(s.growth, lang=lang),
        "plot_health": lambda lang: cplot.plot_health(s.trend[-1], lang=lang),
        "plot_health_trend": lambda lang: cplot.plot_health_trend(s.trend, lang=lang),
        "plot_value": lambda lang: cplot.plot_value(s.ltv, lang=lang),
        "plot_rfm": lambda lang: cplot.plot_rfm(s.rfm, lang=lang),
        "plot_fission": lambda lang: cplot.plot_fission(s.fission, lang=lang),
        "plot_channels": lambda lang: cplot.plot_channels(s.channels, lang=lang),
    }


NAMES = sorted(
    ["plot_states", "plot_funnel", "plot_flows", "plot_flow_matrix", "plot_growth", "plot_health",
     "plot_health_trend", "plot_value", "plot_rfm", "plot_fission", "plot_channels"]
)  # fmt: skip


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    """Close every figure a test drew (pyplot warns past 20, and warnings are errors)."""
    yield
    plt.close("all")
