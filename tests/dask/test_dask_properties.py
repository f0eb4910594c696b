"""Hypothesis: over seeds and partition counts, the Dask results equal one machine's.

Run on Dask's synchronous scheduler (one process, the same partitions, the same ownership and
combines as on the cluster), so that many pools and splits are affordable; the cluster itself
is exercised by test_dask_exact.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
from dask_helpers import assert_same_fission, split
from hypothesis import given, settings
from hypothesis import strategies as st

import custpool
import custpool.dask as cd
import dask
from custpool import EventTable, Policy, Window
from custpool.synth import SynthConfig, generate

WINDOW = Window(datetime(2025, 2, 1, tzinfo=UTC), datetime(2025, 8, 1, tzinfo=UTC))
AS_OF = datetime(2025, 8, 1, tzinfo=UTC)
ENDS = [datetime(2025, m, 1, tzinfo=UTC) for m in range(2, 9)]


@settings(max_examples=10, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    customers=st.integers(5, 80),
    n=st.integers(1, 9),
    chunks=st.integers(1, 4),
)
def test_results_equal_one_machine_for_any_pool_and_split(
    seed: int, customers: int, n: int, chunks: int
):
    frame = cd.table_frame(generate(SynthConfig(n_customers=customers), seed=seed).table)
    table = EventTable.from_frame(frame, amounts="minor")
    pool = split(frame, n, chunks=chunks)
    with dask.config.set(scheduler="synchronous"):
        kpis = cd.pool_kpis(pool, WINDOW)
        counts = cd.tier_counts(pool, Policy(), AS_OF)
        rows = cd.rfm_summary(pool, AS_OF).compute()
        attribution = cd.channel_attribution(pool, WINDOW)
        report = cd.fission(pool, Policy(), WINDOW)
        ltv = cd.tier_ltv(pool, Policy(), ENDS, discount_rate=0.01)
        growth = cd.pool_growth(pool, ENDS)
    assert kpis == custpool.pool_kpis(table, WINDOW)
    assert counts == custpool.classify_table(table, Policy(), AS_OF).counts()
    assert sum(counts.values()) == customers
    pd.testing.assert_frame_equal(
        rows.sort_values("customer_id", ignore_index=True),
        custpool.rfm_summary(table, AS_OF).to_frame(),
    )
    assert attribution == custpool.channel_attribution(table, WINDOW)
    assert_same_fission(report, custpool.fission(table, Policy(), WINDOW))
    snapshots = custpool.tier_snapshots(table, Policy(), ENDS)
    expected = custpool.tier_ltv(table, snapshots, discount_rate=0.01)
    assert ltv.value.tobytes() == expected.value.tobytes()  # bit for bit, NaN included
    np.testing.assert_array_equal(ltv.flows.counts, expected.flows.counts)
    np.testing.assert_array_equal(ltv.revenue.totals, expected.revenue.totals)
    assert growth == custpool.pool_growth(table, ENDS)
