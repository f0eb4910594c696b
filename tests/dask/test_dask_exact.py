"""Every custpool.dask result equals the single-machine result on the same events, exactly.

A synthetic pool (400 customers, referrals across partitions, refunds, NPS answers, store
visits) is split by customer into 1, 3 and 7 partitions on a LocalCluster of two worker
processes; each result is compared with custpool's on one table of the same frame.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pytest
from dask_helpers import (  # noqa: F401 - fixtures, asked for by name
    assert_same_fission,
    client_fixture,
    frame_fixture,
    pool_fixture,
    split,
    synthetic_fixture,
    table_fixture,
)

if TYPE_CHECKING:
    from custpool.dask import DaskPool

import custpool
import custpool.dask as cd
from custpool import EventTable, Policy, State, Window

AS_OF = datetime(2025, 9, 1, tzinfo=UTC)
WINDOW = Window(datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 9, 1, tzinfo=UTC))
MONTH_ENDS = [datetime(2025, m, 1, tzinfo=UTC) for m in range(2, 12)]


def test_every_customer_is_owned_by_exactly_one_partition(pool: DaskPool, table: EventTable):
    parts = pool.compute(lambda part: part)
    owned = [
        cid
        for p in parts
        if p.table
        for cid, o in zip(p.table.customer_ids, p.owned, strict=True)
        if o
    ]
    assert sorted(owned) == list(table.customer_ids)  # each once, none lost
    # the synthetic pool's referrals cross partitions: some tables hold customers they do not own
    if pool.npartitions > 1:
        assert any(not p.owned.all() for p in parts if p.table is not None)


def test_pool_kpis_equal_one_machine(pool: DaskPool, table: EventTable):
    kpis = cd.pool_kpis(pool, WINDOW)
    assert kpis == custpool.pool_kpis(table, WINDOW)
    # the pool has every figure the combine adds up: money, answers and visits
    assert kpis.order_value.purchases > 0
    assert kpis.order_value.refunds > 0
    assert kpis.net_promoter.respondents > 0
    assert kpis.funnel.visits > 0


def test_pool_kpis_of_every_quarter_equal_one_machine(pool: DaskPool, table: EventTable):
    for start in (datetime(2025, m, 1, tzinfo=UTC) for m in (1, 4, 7, 10)):
        window = Window(start, start + timedelta(days=91))
        assert cd.pool_kpis(pool, window) == custpool.pool_kpis(table, window)


def test_classify_table_rows_equal_one_machine(pool: DaskPool, table: EventTable):
    frame = cd.classify_table(pool, Policy(), AS_OF, tz="Asia/Shanghai").compute()
    frame = frame.sort_values("customer_id", ignore_index=True)
    expected = custpool.classify_table(table, Policy(), AS_OF).to_frame(tz="Asia/Shanghai")
    pd.testing.assert_frame_equal(frame, expected)
    assert frame["state"].nunique() >= 4  # a pool in several states, not a trivial one


def test_tier_counts_equal_one_machine(pool: DaskPool, table: EventTable):
    counts = cd.tier_counts(pool, Policy(), AS_OF)
    assert counts == custpool.classify_table(table, Policy(), AS_OF).counts()
    assert sum(counts.values()) == table.n_customers == 400


def test_tier_flows_equal_one_machine(pool: DaskPool, table: EventTable):
    flows = cd.tier_flows(pool, Policy(), MONTH_ENDS)
    expected = custpool.tier_flows(table, Policy(), MONTH_ENDS)
    assert flows.period_ends == expected.period_ends
    np.testing.assert_array_equal(flows.counts, expected.counts)
    np.testing.assert_array_equal(flows.snapshot_counts, expected.snapshot_counts)
    np.testing.assert_array_equal(flows.transition_matrix, expected.transition_matrix)
    assert flows.moves() == expected.moves()
    assert int(flows.pooled.sum()) == 9 * 400  # 9 monthly moves of every customer


def test_rfm_summary_rows_equal_one_machine(pool: DaskPool, table: EventTable):
    end = datetime(2025, 12, 31, tzinfo=UTC)
    rows = cd.rfm_summary(pool, end, period=timedelta(weeks=1)).compute()
    rows = rows.sort_values("customer_id", ignore_index=True)
    expected = custpool.rfm_summary(table, end, period=timedelta(weeks=1)).to_frame()
    pd.testing.assert_frame_equal(rows, expected)
    assert (rows["frequency"] > 0).any()


@pytest.mark.usefixtures("client")
def test_results_do_not_depend_on_the_input_partitions(frame):
    # the frame in 1 or 5 input chunks, split into 3: the same tables, the same KPIs
    one, five = split(frame, 3, chunks=1), split(frame, 3, chunks=5)
    assert cd.pool_kpis(one, WINDOW) == cd.pool_kpis(five, WINDOW)
    assert cd.tier_counts(one, Policy(), AS_OF) == cd.tier_counts(five, Policy(), AS_OF)


@pytest.mark.parametrize("state", [State.CHURNED, State.DORMANT])
def test_a_state_count_is_the_customers_in_it(pool: DaskPool, table: EventTable, state: State):
    counts = cd.tier_counts(pool, Policy(), AS_OF)
    tiers = custpool.classify_table(table, Policy(), AS_OF)
    assert counts[state] == len(tiers.customers_in(state))


def test_revenue_by_state_equals_one_machine(pool: DaskPool, table: EventTable):
    revenue = cd.revenue_by_state(pool, Policy(), MONTH_ENDS)
    snapshots = custpool.tier_snapshots(table, Policy(), MONTH_ENDS)
    expected = custpool.revenue_by_state(table, snapshots)
    np.testing.assert_array_equal(revenue.totals, expected.totals)
    np.testing.assert_array_equal(revenue.customer_periods, expected.customer_periods)
    np.testing.assert_array_equal(revenue.mean, expected.mean)  # NaN where no one started
    assert revenue.currency == expected.currency == "CNY"
    assert int(revenue.customer_periods.sum()) == 9 * 400  # every customer at 9 period starts
    assert int(revenue.totals.sum()) != 0


def test_channel_attribution_equals_one_machine(pool: DaskPool, table: EventTable):
    attribution = cd.channel_attribution(pool, WINDOW)
    assert attribution == custpool.channel_attribution(table, WINDOW)
    assert sum(row.customers for row in attribution.rows) > 0
    assert attribution.revenue is not None
    assert attribution.revenue.minor_units > 0


def test_fission_equals_one_machine(pool: DaskPool, table: EventTable):
    report = cd.fission(pool, Policy(), WINDOW)
    expected = custpool.fission(table, Policy(), WINDOW)
    assert_same_fission(report, expected)
    assert report.max_depth >= 1
    assert report.new_by_referral > 0
    # the global step had work to do: referrers and the customers they brought live apart
    child = np.flatnonzero(report.tree.referrer >= 0)
    homes = cd.home(tuple(report.customer_ids), pool.npartitions)
    crossing = homes[child] != homes[report.tree.referrer[child]]
    assert crossing.any() == (pool.npartitions > 1)


def _assert_same_ltv(ltv, expected) -> None:
    """Every figure of two TierLTVs is equal: the values bit for bit (NaN where unknown)."""
    assert ltv.value.tobytes() == expected.value.tobytes()
    assert (ltv.period_ends, ltv.currency) == (expected.period_ends, expected.currency)
    assert (ltv.discount_rate, ltv.horizon) == (expected.discount_rate, expected.horizon)
    np.testing.assert_array_equal(ltv.revenue.totals, expected.revenue.totals)
    np.testing.assert_array_equal(ltv.revenue.customer_periods, expected.revenue.customer_periods)
    np.testing.assert_array_equal(ltv.flows.counts, expected.flows.counts)
    np.testing.assert_array_equal(ltv.flows.transition_matrix, expected.flows.transition_matrix)


@pytest.mark.parametrize(("rate", "horizon"), [(0.01, None), (0, 12), (0.05, 1)])
def test_tier_ltv_equals_one_machine(
    pool: DaskPool, table: EventTable, rate: float, horizon: int | None
):
    ltv = cd.tier_ltv(pool, Policy(), MONTH_ENDS, discount_rate=rate, horizon=horizon)
    snapshots = custpool.tier_snapshots(table, Policy(), MONTH_ENDS)
    expected = custpool.tier_ltv(table, snapshots, discount_rate=rate, horizon=horizon)
    _assert_same_ltv(ltv, expected)
    assert ltv.to_frame().equals(expected.to_frame())
    # a chain with money in it: some starting state is worth more than nothing
    assert np.nanmax(ltv.value) > 0
    if horizon == 1:  # one period: v = r, the mean revenue per customer-period
        known = ~np.isnan(ltv.revenue.mean)
        np.testing.assert_array_equal(ltv.value[known], ltv.revenue.mean[known])


def test_pool_growth_of_month_ends_equals_one_machine(pool: DaskPool, table: EventTable):
    growth = cd.pool_growth(pool, iter(MONTH_ENDS))  # an iterator is read once
    expected = custpool.pool_growth(table, MONTH_ENDS)
    assert growth == expected
    assert str(growth) == str(expected)
    assert len(growth.periods) == len(MONTH_ENDS) - 1 == 9
    # the combine had money, refunds and repeat buyers to add up
    assert sum(p.order_value.purchases for p in growth.periods) > 0
    assert sum(p.order_value.refunds for p in growth.periods) > 0
    assert max(p.repurchase.repeat_buyers for p in growth.periods) > 0


def test_pool_growth_of_windows_equals_one_machine(pool: DaskPool, table: EventTable):
    # the same quarter of two halves of the year, compared in the order given
    windows = [
        Window(datetime(2025, m, 1, tzinfo=UTC), datetime(2025, m + 3, 1, tzinfo=UTC))
        for m in (7, 1)
    ]
    growth = cd.pool_growth(pool, windows)
    assert growth == custpool.pool_growth(table, windows)
    assert growth.steps[0].previous == windows[0]
