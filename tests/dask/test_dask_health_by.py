"""``custpool.dask.score_health(…, by=)`` equals one machine's breakdown, report by report.

The synthetic pool of dask_helpers split into 1, 3 and 7 partitions on a LocalCluster: an
operator's (or group's) customers sit in several partitions, so each part's sums — its two
histograms, its failing ids, its waits around the middle one — are added up per owner id, and
each part is scored against its own charter (by operator: narrowed to that operator).
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
from custpool import EventTable, Measure, ValidationError

if TYPE_CHECKING:
    from custpool.dask import DaskPool
    from custpool.synth import SyntheticPool

AS_OF = datetime(2025, 9, 1, tzinfo=UTC)


def assert_same_reports(by, one) -> None:
    """The two breakdowns hold the same whole, parts (ids and reports) and unassigned."""
    assert (by.window, by.by, by.whole) == (one.window, one.by, one.whole)
    assert list(by.parts) == list(one.parts)  # the same ids, sorted
    for key in one.parts:
        assert by.parts[key] == one.parts[key], key
    assert by.unassigned == one.unassigned


@pytest.mark.parametrize("by", ["operator", "group"])
def test_score_health_by_equals_one_machine(
    pool: DaskPool, table: EventTable, synthetic: SyntheticPool, by: str
):
    options = {"tags": synthetic.tag_table(), "activities": synthetic.activities}
    breakdown = cd.score_health(pool, synthetic.charter, AS_OF, by=by, **options)
    one = custpool.score_health(table, synthetic.charter, AS_OF, by=by, **options)
    assert_same_reports(breakdown, one)
    assert len(one.parts) >= 2  # several owners: a real split
    # the parts' members add up to the whole's (each member has one owner, or none)
    unassigned = 0 if one.unassigned is None else one.unassigned.members
    assert sum(r.members for r in breakdown.parts.values()) + unassigned == one.whole.members
    # each part's median reply time is its own, not the whole's
    replies = {
        key: r.measure(Measure.OPERATE_REPLY_HOURS).raw for key, r in breakdown.parts.items()
    }
    assert len({v for v in replies.values() if v is not None}) >= 2
    pd.testing.assert_frame_equal(breakdown.to_frame(), one.to_frame())


def test_score_health_by_before_anyone_connected(pool: DaskPool, table: EventTable, synthetic):
    early = datetime(2024, 6, 1, tzinfo=UTC)  # the synthetic pool starts in 2025
    breakdown = cd.score_health(pool, synthetic.charter, early, by="group")
    one = custpool.score_health(table, synthetic.charter, early, by="group")
    assert_same_reports(breakdown, one)
    assert len(breakdown.parts) == 0
    assert breakdown.unassigned is not None  # every customer, none yet a member
    assert breakdown.unassigned.members == 0


def test_score_health_by_refuses_an_unknown_split(pool: DaskPool, synthetic: SyntheticPool):
    with pytest.raises(ValidationError, match="by") as caught:
        cd.score_health(pool, synthetic.charter, AS_OF, by="channel")  # type: ignore[call-overload]
    assert caught.value.value == "channel"
