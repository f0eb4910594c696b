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
from custpool.synth import SynthConfig, generate

if TYPE_CHECKING:
    from collections.abc import Iterator

mpl.use("Agg")

__all__ = [
    "ENDS",
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


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    """Close every figure a test drew (pyplot warns past 20, and warnings are errors)."""
    yield
    plt.close("all")
