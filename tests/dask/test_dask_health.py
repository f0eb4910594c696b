"""custpool.dask.score_health and health_trend equal one machine's reports, exactly.

The synthetic pool of dask_helpers (400 customers, tags, activities, messages answered and not,
complaints, churn) split by customer into 1, 3 and 7 partitions on a LocalCluster of two worker
processes; every report is compared, with ``==`` (every measure, raw value, explanation,
score, the band, the Copy gate, the advice, the non-members), with custpool's on one table of
the same frame. The combines themselves (summed histograms, merged waits) are checked against
the single-table formulas by Hypothesis, without a cluster.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import pytest
from dask_helpers import (  # noqa: F401 - fixtures, asked for by name
    client_fixture,
    frame_fixture,
    pool_fixture,
    split,
    synthetic_fixture,
    table_fixture,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import custpool
import custpool.dask as cd
from custpool import (
    CustomerTags,
    EventTable,
    InteractionKind,
    Measure,
    ValidationError,
    WrongTypeError,
)
from custpool._health import HealthSums, merge_waits, waits_between
from custpool._health.sums import wait_buckets

if TYPE_CHECKING:
    from custpool.dask import DaskPool
    from custpool.synth import SyntheticPool

AS_OF = datetime(2025, 9, 1, tzinfo=UTC)
ENDS = [datetime(2025, m, 1, tzinfo=UTC) for m in (3, 6, 9, 12)]
BEFORE_ANYONE = datetime(2024, 6, 1, tzinfo=UTC)  # the synthetic pool starts in 2025


def _options(synthetic: SyntheticPool) -> dict[str, object]:
    return {"tags": synthetic.tag_table(), "activities": synthetic.activities}


def test_tags_are_aligned_with_the_test_table(synthetic: SyntheticPool, table: EventTable):
    # the tags built for the generated table fit the table read back from its frame
    assert synthetic.tag_table().customer_ids == table.customer_ids


def test_score_health_equals_one_machine(
    pool: DaskPool, table: EventTable, synthetic: SyntheticPool
):
    options = _options(synthetic)
    report = cd.score_health(pool, synthetic.charter, AS_OF, **options)
    expected = custpool.score_health(table, synthetic.charter, AS_OF, **options)
    assert report == expected
    # a report where every combine is exercised: the two histograms, the failing ids, counts
    for measure in (
        Measure.STRUCTURE_SPREAD,
        Measure.OPERATE_REPLY_HOURS,
        Measure.STRUCTURE_JOINING,
        Measure.STRUCTURE_COMPLAINTS,
        Measure.OUTPUT_REACH,
        Measure.OPERATE_ATTENDANCE,
        Measure.OPERATE_RETENTION,
        Measure.INTEREST_MEMBERS,
    ):
        assert report.measure(measure).measured, measure
    assert report.non_members  # members failing the joining rule, from several partitions
    assert list(report.non_members) == sorted(report.non_members)
    assert report.overall is not None


def test_score_health_without_tags_or_activities_equals_one_machine(
    pool: DaskPool, table: EventTable, synthetic: SyntheticPool
):
    for as_of in (datetime(2025, 4, 15, tzinfo=UTC), datetime(2025, 12, 31, tzinfo=UTC)):
        report = cd.score_health(pool, synthetic.charter, as_of)
        assert report == custpool.score_health(table, synthetic.charter, as_of)
        assert not report.measure(Measure.INTEREST_MEMBERS).measured  # no tags given


def test_a_window_without_members_equals_one_machine(
    pool: DaskPool, table: EventTable, synthetic: SyntheticPool
):
    options = _options(synthetic)
    report = cd.score_health(pool, synthetic.charter, BEFORE_ANYONE, **options)
    assert report == custpool.score_health(table, synthetic.charter, BEFORE_ANYONE, **options)
    assert report.members == 0
    assert report.overall is None
    assert report.band is None


def test_recorded_kinds_equal_one_machine(
    pool: DaskPool, table: EventTable, synthetic: SyntheticPool
):
    kinds = [k.value for k in InteractionKind]
    report = cd.score_health(pool, synthetic.charter, AS_OF, recorded_kinds=iter(kinds))
    expected = custpool.score_health(table, synthetic.charter, AS_OF, recorded_kinds=kinds)
    assert report == expected


@pytest.mark.usefixtures("client")
def test_a_kind_missing_from_every_partition_is_not_measured_as_on_one_machine(
    frame, synthetic: SyntheticPool
):
    # no COMPLAINT row anywhere: complaints are not measured (by default), as on one machine
    without = frame[frame["kind"] != "complaint"].reset_index(drop=True)
    table = EventTable.from_frame(without, amounts="minor")
    tags = CustomerTags.from_matrix(
        synthetic.tag_table().held, synthetic.tag_table().vocabulary, table
    )
    pool = split(without, 3).persist()
    report = cd.score_health(pool, synthetic.charter, AS_OF, tags=tags)
    assert report == custpool.score_health(table, synthetic.charter, AS_OF, tags=tags)
    assert not report.measure(Measure.STRUCTURE_COMPLAINTS).measured
    # given as recorded, they are measured: none in the window
    recorded = cd.score_health(pool, synthetic.charter, AS_OF, recorded_kinds=InteractionKind)
    assert recorded.measure(Measure.STRUCTURE_COMPLAINTS).raw == 0.0
    assert recorded == custpool.score_health(
        table, synthetic.charter, AS_OF, recorded_kinds=InteractionKind
    )


def test_health_trend_equals_one_machine(
    pool: DaskPool, table: EventTable, synthetic: SyntheticPool
):
    options = _options(synthetic)
    heard: list[tuple[int, int]] = []
    trend = cd.health_trend(
        pool,
        synthetic.charter,
        iter(ENDS),
        progress=lambda done, total: heard.append((done, total)),
        **options,
    )
    assert trend == custpool.health_trend(table, synthetic.charter, ENDS, **options)
    assert [r.as_of for r in trend] == ENDS
    assert heard[0] == (0, 4)
    assert heard[-1] == (4, 4)


def test_tags_not_of_the_pools_customers_are_refused(pool: DaskPool, synthetic: SyntheticPool):
    tags = synthetic.tag_table()
    fewer = CustomerTags.from_matrix(tags.held[1:], tags.vocabulary, tags.customer_ids[1:])
    with pytest.raises(ValidationError, match=r"^tags=.*the table's customers"):
        cd.score_health(pool, synthetic.charter, AS_OF, tags=fewer)
    extra_ids = sorted([*tags.customer_ids, "zz-not-in-the-pool"])
    extra_held = np.vstack([tags.held, np.zeros((1, len(tags.vocabulary)), dtype=bool)])
    more = CustomerTags.from_matrix(extra_held, tags.vocabulary, extra_ids)  # "zz" sorts last
    with pytest.raises(ValidationError, match=r"^tags=.*the table's customers"):
        cd.score_health(pool, synthetic.charter, AS_OF, tags=more)
    reverse = CustomerTags.from_matrix(tags.held[::-1], tags.vocabulary, tags.customer_ids[::-1])
    with pytest.raises(ValidationError, match=r"^tags=.*the table's customers"):
        cd.score_health(pool, synthetic.charter, AS_OF, tags=reverse)


def test_wrong_arguments_are_refused_before_anything_is_computed(synthetic: SyntheticPool):
    pool = split(cd.table_frame(synthetic.table), 2)
    with pytest.raises(WrongTypeError, match=r"^pool="):
        cd.score_health(synthetic.table, synthetic.charter, AS_OF)  # type: ignore[arg-type]
    with pytest.raises(WrongTypeError, match=r"^tags="):
        cd.score_health(pool, synthetic.charter, AS_OF, tags="vip")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^as_of=.*timezone-aware"):
        cd.score_health(pool, synthetic.charter, datetime(2025, 9, 1))  # noqa: DTZ001
    with pytest.raises(ValidationError, match=r"^period_ends\[1\]=.*strictly increasing"):
        cd.health_trend(pool, synthetic.charter, [AS_OF, AS_OF])
    with pytest.raises(WrongTypeError, match=r"^pool="):
        cd.health_trend(synthetic.table, synthetic.charter, ENDS)  # type: ignore[arg-type]


# -- the combines themselves: summed histograms against the sorted formulas -------------------


_COUNTS = (
    "members",
    "deep",
    "advocates",
    "sharing",
    "own",
    "peer",
    "complaints",
    "named_views",
    "reach",
    "attended",
    "inbound",
    "outbound",
    "waiting",
    "then_members",
    "kept",
)


def _sums(spread: list[int], waits: list[int]) -> HealthSums:
    """A part's sums holding only a spread histogram (of per-member counts) and waits' buckets."""
    zero = np.zeros(0, dtype=np.int64)
    return HealthSums(
        **dict.fromkeys(_COUNTS, 0),
        failing=(),
        spread=np.bincount(np.asarray(spread, dtype=np.int64)).astype(np.int64) if spread else zero,
        channels=zero,
        wait_buckets=wait_buckets(np.asarray(waits, dtype=np.int64)),
        waits=zero,
        wait_counts=zero,
        kinds=zero,
    )


def _median_of_parts(parts: list[list[int]]) -> float:
    """The two steps of custpool.dask: buckets added up, then the middle buckets' waits."""
    total = HealthSums.total(_sums([], part) for part in parts)
    middle = total.median_buckets()
    arrays = [np.asarray(part, dtype=np.int64) for part in parts]
    return total.with_waits(*merge_waits(waits_between(a, middle) for a in arrays)).median_wait()


def _fewest_by_sorting(counts: list[int]) -> int:
    """The single-table formula before the histogram: sort, most first, and search."""
    ranked = np.sort(np.asarray(counts))[::-1]
    return int(np.searchsorted(2 * np.cumsum(ranked), int(ranked.sum()), side="left")) + 1


_WAIT = st.one_of(st.integers(0, 200), st.integers(0, 10**13), st.integers(0, 2**63 - 1))


@settings(max_examples=300, deadline=None)
@given(
    counts=st.lists(st.integers(1, 60), min_size=1, max_size=80),
    waits=st.lists(_WAIT, min_size=1, max_size=80),
    cuts=st.lists(st.integers(0, 80), max_size=6),
)
def test_summed_histograms_give_the_sorted_formulas(
    counts: list[int], waits: list[int], cuts: list[int]
):
    # split both lists at the same cuts, as partitions would hold them
    edges = [*sorted({0, *cuts}), None]
    spans = list(pairwise(edges))
    total = HealthSums.total(_sums(counts[a:b], []) for a, b in spans)
    assert total.active == len(counts)
    assert total.fewest_making_half() == _fewest_by_sorting(counts)
    # the median, as the float numpy.median gives on every wait (not approximately)
    expected = float(np.median(np.asarray(waits, dtype=np.int64)))
    assert _median_of_parts([waits[a:b] for a, b in spans]) == expected
    # and only the middle buckets' waits travel: never more than every wait
    middle = HealthSums.total(_sums([], waits[a:b]) for a, b in spans).median_buckets()
    sent = sum(int(waits_between(np.asarray(waits[a:b]), middle)[1].sum()) for a, b in spans)
    assert 1 <= sent <= len(waits)


def test_fewest_making_half_by_hand():
    # counts 5, 3, 1, 1: total 10, half 5: the one member of 5 makes half on their own
    assert _sums([5, 3, 1, 1], []).fewest_making_half() == 1
    # counts 2, 2, 2, 2: total 8: two members (2 + 2 = 4, twice that is 8 >= 8)
    assert _sums([2, 2, 2, 2], []).fewest_making_half() == 2
    # nobody active
    assert _sums([], []).fewest_making_half() == 0


def test_median_wait_by_hand():
    # waits 1, 2, 2, 10 (even): the mean of the two middle ones, (2 + 2) / 2 = 2.0
    assert _median_of_parts([[10, 2], [1, 2]]) == 2.0
    # waits 1, 3, 8: the middle one
    assert _median_of_parts([[8], [], [1, 3]]) == 3.0
    # 1 and 2**53 + 1 (even): the float numpy.median gives, (1.0 + 2.0**53) / 2
    assert _median_of_parts([[1], [2**53 + 1]]) == np.median(np.array([1, 2**53 + 1]))
    # a thousand waits of one hour and one of a day, in parts: the middle is an hour
    hour = 3_600_000_000
    assert _median_of_parts([[hour] * 600, [hour] * 400 + [24 * hour]]) == hour
    # no wait at all
    assert np.isnan(_median_of_parts([[], []]))


def test_the_median_needs_the_middle_buckets_waits():
    waits = [5, 1_000_000, 7_000_000_000]
    buckets_only = _sums([], waits)
    with pytest.raises(ValueError, match="exact waits of buckets"):
        buckets_only.median_wait()
    # the buckets name the middle wait's bucket only: the other two never travel
    middle = buckets_only.median_buckets()
    assert waits_between(np.asarray(waits), middle)[0].tolist() == [1_000_000]
