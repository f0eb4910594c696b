"""Hypothesis: over seeds, pool sizes, partition counts and instants, Dask's health reports
equal one machine's.

Run on Dask's synchronous scheduler (one process, the same partitions, ownership and combines
as on the cluster; test_dask_health.py runs them on the cluster) in a module of its own: no
distributed client is alive here, so the shuffle is Dask's in-process one.
"""

from __future__ import annotations

from datetime import UTC, datetime

from dask_helpers import split
from hypothesis import given, settings
from hypothesis import strategies as st
from test_dask_health_by import assert_same_reports

import custpool
import custpool.dask as cd
import dask
from custpool import EventTable
from custpool.synth import SynthConfig, generate


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    customers=st.integers(5, 120),
    n=st.integers(1, 9),
    month=st.integers(2, 12),
)
def test_score_health_equals_one_machine_for_any_pool_and_split(
    seed: int, customers: int, n: int, month: int
):
    synthetic = generate(SynthConfig(n_customers=customers), seed=seed)
    frame = cd.table_frame(synthetic.table)
    table = EventTable.from_frame(frame, amounts="minor")
    options = {"tags": synthetic.tag_table(), "activities": synthetic.activities}
    as_of = datetime(2025, month, 1, tzinfo=UTC)
    with dask.config.set(scheduler="synchronous"):
        report = cd.score_health(split(frame, n), synthetic.charter, as_of, **options)
    assert report == custpool.score_health(table, synthetic.charter, as_of, **options)


@settings(max_examples=10, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    customers=st.integers(5, 120),
    n=st.integers(1, 9),
    month=st.integers(2, 12),
    by=st.sampled_from(["operator", "group"]),
)
def test_score_health_by_equals_one_machine_for_any_pool_and_split(
    seed: int, customers: int, n: int, month: int, by: str
):
    synthetic = generate(SynthConfig(n_customers=customers), seed=seed)
    frame = cd.table_frame(synthetic.table)
    table = EventTable.from_frame(frame, amounts="minor")
    options = {"tags": synthetic.tag_table(), "activities": synthetic.activities}
    as_of = datetime(2025, month, 1, tzinfo=UTC)
    with dask.config.set(scheduler="synchronous"):
        breakdown = cd.score_health(split(frame, n), synthetic.charter, as_of, by=by, **options)
    one = custpool.score_health(table, synthetic.charter, as_of, by=by, **options)
    assert_same_reports(breakdown, one)
