"""``custpool.dask.pool_kpis(…, by=)`` on Dask's synchronous scheduler: hand-built and drawn pools.

Kept apart from test_dask_breakdown.py, whose module-wide cluster would otherwise take these
computations (its client is the default one while it lives).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dask_helpers import split
from hypothesis import given, settings
from hypothesis import strategies as st
from test_dask_breakdown import WINDOW, assert_same_breakdown

import custpool
import custpool.dask as cd
import dask
from custpool import EventTable, Interaction, Window
from custpool.synth import SynthConfig, generate


def test_a_referred_customer_is_counted_in_its_own_partition_only():
    # "b" is referred by "a": the partition of "a" holds "b" without rows (unassigned there),
    # while "b"'s own partition holds their CONNECT naming op-2. One machine: op-1 owns "a",
    # op-2 owns "b", nobody is unassigned, so the breakdown has no unassigned part.
    t0 = datetime(2026, 3, 1, tzinfo=UTC)

    def ev(n: int, cid: str, kind: str, day: int, **more: object) -> Interaction:
        return Interaction(
            id=f"i-{n}",
            customer_id=cid,
            at=t0 + timedelta(days=day),
            kind=kind,
            channel="wecom_chat",
            direction="inbound",
            **more,
        )

    table = EventTable.from_interactions(
        [
            ev(1, "a", "connect", 0, source="store", operator_id="op-1"),
            ev(2, "b", "connect", 2, source="referral", operator_id="op-2"),
            ev(3, "a", "referral", 1, referred_id="b"),
        ]
    )
    window = Window(t0, t0 + timedelta(days=7))
    one = custpool.pool_kpis(table, window, by="operator")
    assert one.unassigned is None
    frame = cd.table_frame(table)
    for n in (1, 2, 3, 5):
        with dask.config.set(scheduler="synchronous"):
            breakdown = cd.pool_kpis(split(frame, n), window, by="operator")
        assert_same_breakdown(breakdown, one)
        assert breakdown.unassigned is None
        assert {k: p.scale.connected for k, p in breakdown.parts.items()} == {
            "op-1": 1,
            "op-2": 1,
        }


@settings(max_examples=8, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    customers=st.integers(5, 80),
    n=st.integers(1, 9),
    by=st.sampled_from(["operator", "group"]),
)
def test_pool_kpis_by_equal_one_machine_for_any_pool_and_split(
    seed: int, customers: int, n: int, by: str
):
    frame = cd.table_frame(generate(SynthConfig(n_customers=customers), seed=seed).table)
    table = EventTable.from_frame(frame, amounts="minor")
    with dask.config.set(scheduler="synchronous"):
        breakdown = cd.pool_kpis(split(frame, n), WINDOW, by=by)
    assert_same_breakdown(breakdown, custpool.pool_kpis(table, WINDOW, by=by))
