"""``custpool.dask.pool_kpis(…, by=)`` equals one machine's breakdown, part by part.

The synthetic pool's customers are owned by operators (the WeCom follow-up ``userid`` of
their latest CONNECT) and by groups (the ``chat_id`` they joined); the cluster splits them
into 1, 3 and 7 partitions, so an operator's customers sit in several partitions and their
sums must be added up per operator id.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pandas as pd
import pytest
from dask_helpers import (  # noqa: F401 - fixtures, asked for by name
    client_fixture,
    frame_fixture,
    pool_fixture,
    synthetic_fixture,
    table_fixture,
)

import custpool
import custpool.dask as cd
from custpool import EventTable, Window

if TYPE_CHECKING:
    from custpool.dask import DaskPool

WINDOW = Window(datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 9, 1, tzinfo=UTC))


def assert_same_breakdown(by, one) -> None:
    """The two breakdowns hold the same whole, parts (ids and KPIs) and unassigned."""
    assert (by.window, by.by, by.whole) == (one.window, one.by, one.whole)
    assert list(by.parts) == list(one.parts)  # the same ids, sorted
    assert dict(by.parts) == dict(one.parts)
    assert by.unassigned == one.unassigned


@pytest.mark.parametrize("by", ["operator", "group"])
def test_pool_kpis_by_equal_one_machine(pool: DaskPool, table: EventTable, by: str):
    breakdown = cd.pool_kpis(pool, WINDOW, by=by)
    one = custpool.pool_kpis(table, WINDOW, by=by)
    assert_same_breakdown(breakdown, one)
    assert len(one.parts) >= 2  # a pool with several owners, not a trivial one
    # every customer is in one part or the unassigned: the parts' user scales add up
    unassigned = 0 if one.unassigned is None else one.unassigned.scale.connected
    assert sum(p.scale.connected for p in breakdown.parts.values()) + unassigned == (
        one.whole.scale.connected
    )
    pd.testing.assert_frame_equal(breakdown.to_frame(), one.to_frame())


def test_pool_kpis_by_of_a_window_with_no_owner_yet(pool: DaskPool, table: EventTable):
    early = Window(datetime(2000, 1, 1, tzinfo=UTC), datetime(2000, 2, 1, tzinfo=UTC))
    breakdown = cd.pool_kpis(pool, early, by="operator")
    one = custpool.pool_kpis(table, early, by="operator")
    assert_same_breakdown(breakdown, one)
    assert len(breakdown.parts) == 0  # nobody has connected by 2000-02-01
    # every customer is unassigned, with zero figures
    assert breakdown.unassigned is not None
    assert breakdown.unassigned.scale.connected == 0


def test_pool_kpis_by_refuses_an_unknown_split(pool: DaskPool):
    with pytest.raises(custpool.ValidationError, match="by") as caught:
        cd.pool_kpis(pool, WINDOW, by="channel")  # type: ignore[call-overload]
    assert caught.value.value == "channel"
