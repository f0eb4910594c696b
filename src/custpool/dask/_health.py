"""Pool health of a :class:`DaskPool`: each partition's summed facts, added up, scored once.

:func:`custpool.score_health` reads a table through its *summed facts*
(``custpool._health.HealthSums``): counts of members and rows, two histograms, the waits
around the middle one and the ids of the members failing the joining rule. Every one adds up
over a table split by customer, so each partition computes the sums of the customers it owns,
the client adds them up (``HealthSums.total``) and scores the total with the function one
machine scores its table's sums with (``HealthQuestion.report``): the same readings, the same
floats.

How each measure combines (the readings' formulas are in ``custpool._health.readings``):

- counts added up — members, deep members, advocates, members sharing an interest, complaints,
  members' own and peer interactions and their channels, content views and reach, ritual
  attendances (a customer's attendances are all in one partition), inbound and operator
  messages, members of one retention period ago and those kept, and the rows of each kind
  (the kinds recorded);
- ``structure.spread`` — an exact histogram: how many members made exactly ``k`` interactions,
  added up; the fewest members making half of them is read off the summed histogram;
- ``operate.reply_hours`` — a global step inside the one graph: each partition finds every
  wait for a reply in its own customers' rows and keeps them in its worker, sending only
  their counts in 4,160 buckets (each 1/64 of its waits' size); the summed buckets name the
  one or two buckets of the middle waits; each partition then sends its waits in those buckets
  only, as an exact histogram (each distinct wait with its count), and the client counts
  through the merged histogram to the middle — the median of every wait, exactly;
- ``structure.joining`` — the failing members' ids, united and sorted (the non-members);
- the charter's and the activities' measures (content, cadence, regularity, norms, capacity)
  are computed once on the client.

Customer tags are split by the customers' home partition on the client and each partition
receives its own customers' rows only (``custpool.dask._tags``).

With ``by=``, the sums are kept per *slot* — the whole, or one owner's part — and each step
works slot by slot: a part's sums are found on its rows against its charter, added up per
owner id, and its middle waits fetched with the whole's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Final, TypeAlias, overload

import numpy as np

import dask
from custpool import CustomerTags, HealthPolicy, HealthReport, ValidationError
from custpool import health_trend as table_trend
from custpool._display import Ticker, check_progress
from custpool._engine import BY, Breakdown, By, KindRows, Parts, Window, owners
from custpool._errors import bad_argument, wrong_argument
from custpool._health import (
    HealthSums,
    health_question,
    merge_waits,
    part_charter,
    part_table,
    stack_reports,
    waits_between,
)
from custpool._time import to_micros
from custpool.dask._partition import EMPTY, DaskPool, Part
from custpool.dask._tags import TAGS_RULE, TagShare, part_tags, tag_shares

if TYPE_CHECKING:
    from datetime import datetime

    from numpy.typing import NDArray

    from custpool import InteractionKind, PoolActivity, PoolCharter, Progress
    from custpool._health import HealthFacts, HealthQuestion

__all__ = ["health_trend", "read_once", "score_health"]

_DASK: Final[Any] = dask  # dask's functions are untyped: called through Any
_DEFAULT_POLICY: Final = HealthPolicy()

_Waits: TypeAlias = tuple["NDArray[np.int64]", "NDArray[np.int64]"]
"""Waits as an exact histogram: each distinct wait (microseconds) and its count."""


Slot: TypeAlias = tuple[int, "str | None", bool]
"""Whose sums: the question's index, the part's owner id (None: unassigned), whether a part.

``(i, None, False)`` is the whole pool at question ``i``; ``(i, key, True)`` the customers of
owner ``key`` (``by=``).
"""


@dataclass(frozen=True, slots=True)
class _Sums:
    """What a partition sends first: its sums per slot; its owned customers' tags found.

    ``missing`` counts the owned customers without a row in the tags.
    """

    sums: dict[Slot, HealthSums]
    matched: int
    missing: int


@dataclass(frozen=True, slots=True)
class _Kept:
    """What a partition keeps in its worker between the steps: its sums and every wait."""

    first: _Sums
    waits: dict[Slot, NDArray[np.int64]]


def _parts_facts(
    part: Part, tags: CustomerTags | None, question: HealthQuestion, by: By
) -> dict[str | None, HealthFacts]:
    """Return the facts of each part of the partition's owned customers, as one machine does.

    A part is the table of its customers' rows (:func:`~custpool._health.part_table`) scored
    against its charter (:func:`~custpool._health.part_charter`), exactly as one machine's
    ``score_health(…, by=)`` scores it; a customer's rows, and so their owner, are all here.
    """
    if part.table is None:
        return {}
    table, own = part.events, part.own
    owner = owners(table, to_micros(question.as_of), by).astype(np.intp) + 1  # 0: unassigned
    ids = tuple(table.operator_ids if by == "operator" else table.group_ids)
    sizes = np.bincount(owner[own], minlength=len(ids) + 1)
    row_part = owner[table.customer]
    order = np.argsort(row_part, kind="stable")
    ends = np.cumsum(np.bincount(row_part, minlength=len(ids) + 1))
    found: dict[str | None, HealthFacts] = {}
    for k in np.flatnonzero(sizes).tolist():
        key = None if k == 0 else ids[k - 1]
        rows = order[(ends[k - 1] if k else 0) : ends[k]]
        asked = replace(question, charter=part_charter(question.charter, by, key))
        found[key] = asked.facts(part_table(table, rows), tags, owned=own)
    return found


def _part_facts(
    part: Part, share: TagShare, questions: tuple[HealthQuestion, ...], by: By | None
) -> _Kept:
    """In a worker: the partition's sums per slot for its own customers, and the waits."""
    tags, matched, missing = part_tags(part, share)
    kinds = KindRows(part.events)
    facts: dict[Slot, HealthFacts] = {
        (i, None, False): q.facts(part.events, tags, kinds=kinds, owned=part.own)
        for i, q in enumerate(questions)
    }
    if by is not None:
        for i, q in enumerate(questions):
            parts = _parts_facts(part, tags, q, by)
            facts |= {(i, key, True): found for key, found in parts.items()}
    first = _Sums({slot: f.bucketed for slot, f in facts.items()}, matched, missing)
    return _Kept(first, {slot: f.waits for slot, f in facts.items()})


def _first(kept: _Kept) -> _Sums:
    return kept.first


def _added(firsts: list[_Sums]) -> _Sums:
    """Return the partitions' sums added up, slot by slot (the waits' buckets too)."""
    slots = sorted({slot for f in firsts for slot in f.sums}, key=_slot_order)
    totals = {
        slot: HealthSums.total(f.sums[slot] for f in firsts if slot in f.sums) for slot in slots
    }
    return _Sums(totals, sum(f.matched for f in firsts), sum(f.missing for f in firsts))


def _slot_order(slot: Slot) -> tuple[int, bool, bool, str]:
    """Sort slots by question, the whole first, then the unassigned, then the parts by id."""
    i, key, is_part = slot
    return i, is_part, key is not None, key or ""


def _middles(added: _Sums) -> dict[Slot, tuple[int, int]]:
    """Return the buckets of the middle waits of each slot, from the summed buckets."""
    return {slot: total.median_buckets() for slot, total in added.sums.items()}


def _middle_waits(kept: _Kept, middles: dict[Slot, tuple[int, int]]) -> dict[Slot, _Waits]:
    """In a worker: the partition's waits in the middle buckets, slot by slot."""
    return {slot: waits_between(w, middles[slot]) for slot, w in kept.waits.items()}


def _totals(
    pool: DaskPool, tags: object, questions: tuple[HealthQuestion, ...], by: By | None = None
) -> dict[Slot, HealthSums]:
    """Return the pool's sums at each question's instant (and per part): the partitions' sums.

    One graph, two steps: each partition's facts are found once and kept in its worker; their
    sums (the waits in buckets) are added up, which names each slot's middle buckets; then
    each partition sends its waits in those buckets only, and the client merges them.
    """
    shares = tag_shares(tags, pool.npartitions)
    delayed = _DASK.delayed
    kept = [
        delayed(_part_facts, pure=True)(part, share, questions, by)
        for part, share in zip(pool.parts, shares, strict=True)
    ]
    added = delayed(_added, pure=True)([delayed(_first, pure=True)(k) for k in kept])
    middles = delayed(_middles, pure=True)(added)
    waits = [delayed(_middle_waits, pure=True)(k, middles) for k in kept]
    total, *part_waits = _DASK.compute(added, *waits)
    if isinstance(tags, CustomerTags) and (total.missing or total.matched != len(tags)):
        raise ValidationError("tags", tags, TAGS_RULE)
    return {
        slot: summed.with_waits(*merge_waits(found[slot] for found in part_waits if slot in found))
        for slot, summed in total.sums.items()
    }


@dataclass(frozen=True, slots=True)
class _PartReport:
    """Score part ``k`` of a breakdown from its summed facts, as one machine scores it."""

    question: HealthQuestion
    by: By
    keys: tuple[str | None, ...]
    totals: dict[Slot, HealthSums]
    tagged: bool

    def __call__(self, k: int) -> HealthReport:
        key, question = self.keys[k], self.question
        asked = replace(question, charter=part_charter(question.charter, self.by, key))
        return asked.report(self.totals[0, key, True], tagged=self.tagged)


def _breakdown(
    question: HealthQuestion, by: By, totals: dict[Slot, HealthSums], *, tagged: bool
) -> Breakdown[HealthReport]:
    """Return the whole's report and each part's, built when first looked up."""
    whole = question.report(totals[0, None, False], tagged=tagged)
    # every part reads the whole pool's recorded kinds
    recorded = replace(question, recorded_kinds=question.recorded(totals[0, None, False]))
    keys: tuple[str | None, ...] = (None, *sorted(k for _, k, p in totals if p and k is not None))
    build = _PartReport(recorded, by, keys, totals, tagged)
    index = {str(key): k for k, key in enumerate(keys) if key is not None}
    unassigned = build(0) if (0, None, True) in totals else None
    window = Window(whole.window_start, whole.as_of)
    return Breakdown(window, by, whole, Parts(index, build), unassigned, stack_reports)


def read_once(activities: object) -> object:
    """Return the activities read once (an iterator is read here), or as given to be refused."""
    if isinstance(activities, Iterable) and not isinstance(activities, str | bytes):
        return tuple(activities)
    return activities


@overload
def score_health(
    pool: DaskPool,
    charter: PoolCharter,
    as_of: datetime,
    *,
    tags: CustomerTags | None = None,
    activities: Iterable[PoolActivity] | None = None,
    policy: HealthPolicy = ...,
    recorded_kinds: Iterable[InteractionKind | str] | None = None,
    by: None = None,
) -> HealthReport: ...


@overload
def score_health(
    pool: DaskPool,
    charter: PoolCharter,
    as_of: datetime,
    *,
    tags: CustomerTags | None = None,
    activities: Iterable[PoolActivity] | None = None,
    policy: HealthPolicy = ...,
    recorded_kinds: Iterable[InteractionKind | str] | None = None,
    by: By,
) -> Breakdown[HealthReport]: ...


def score_health(  # noqa: PLR0913 - the pool, the charter, the instant and the options
    pool: DaskPool,
    charter: PoolCharter,
    as_of: datetime,
    *,
    tags: CustomerTags | None = None,
    activities: Iterable[PoolActivity] | None = None,
    policy: HealthPolicy = _DEFAULT_POLICY,
    recorded_kinds: Iterable[InteractionKind | str] | None = None,
    by: By | None = None,
) -> HealthReport | Breakdown[HealthReport]:
    """Return :func:`custpool.score_health` of the pool: the same report as one machine, exactly.

    Each partition sums the facts of the customers it owns — counts, the histogram of members'
    interactions, the histogram of the waits for a reply, the ids of members failing the
    joining rule — and the client adds them up and scores the total with one machine's
    function. Every measure, reading, explanation, score, the band, the Copy gate and the
    advice are those of :func:`custpool.score_health` on one table of the same events.

    Parameters
    ----------
    pool
        The events, split by customer.
    charter, as_of, activities, policy, recorded_kinds
        As :func:`custpool.score_health` takes them (``recorded_kinds``: by default the kinds
        with a row in any partition).
    tags
        Each customer's tags, for the pool's customers in sorted id order (the order of one
        table of the same events); the client sends each partition its customers' rows.
    by
        ``"operator"`` or ``"group"``: also each part's report, as :func:`custpool.score_health`
        gives it (a part is scored on its customers' rows, by operator against the charter
        narrowed to that operator). Each partition sums its own customers' facts per part —
        the owner of a customer's latest CONNECT at or before ``as_of``, read where all their
        rows are — and the client adds them up per owner id; each part's median reply time is
        found in the same two steps as the whole's, in the same graph.

    Returns
    -------
    HealthReport
        Or a :class:`~custpool.Breakdown` of reports, given ``by``.

    Raises
    ------
    custpool.WrongTypeError
        If an argument has the wrong type.
    custpool.ValidationError
        If ``as_of`` is naive, ``tags`` does not hold the pool's customers in sorted order,
        ``by`` is not ``"operator"`` or ``"group"``, or another option is invalid (as
        :func:`custpool.score_health` says).

    Examples
    --------
    >>> import dask
    >>> import dask.dataframe as dd
    >>> import custpool
    >>> from custpool import EXAMPLE_START, EventTable, example_pool
    >>> from custpool.dask import from_dask, score_health, table_frame
    >>> example = example_pool()
    >>> table = EventTable.from_interactions(example.interactions)
    >>> pool = from_dask(dd.from_pandas(table_frame(table), npartitions=2), npartitions=3,
    ...                  amounts="minor")
    >>> as_of = EXAMPLE_START.replace(day=25)
    >>> with dask.config.set(scheduler="synchronous"):
    ...     report = score_health(pool, example.charter, as_of, activities=example.activities)
    >>> report == custpool.score_health(table, example.charter, as_of,
    ...                                 activities=example.activities)
    True
    >>> report.members, report.band.value
    (5, 'healthy')
    >>> with dask.config.set(scheduler="synchronous"):
    ...     by = score_health(pool, example.charter, as_of, by="operator")
    >>> one = custpool.score_health(table, example.charter, as_of, by="operator")
    >>> dict(by.parts) == dict(one.parts), by.unassigned == one.unassigned
    (True, True)
    """
    if not isinstance(pool, DaskPool):
        raise wrong_argument("pool", pool, "must be a custpool.dask.DaskPool")
    question = health_question(
        charter,
        as_of,
        activities=read_once(activities),
        policy=policy,
        recorded_kinds=recorded_kinds,
    )
    if by is not None and by not in BY:
        raise bad_argument("by", by, "must be 'operator' or 'group'")
    totals = _totals(pool, tags, (question,), by)
    if by is not None:
        return _breakdown(question, by, totals, tagged=tags is not None)
    return question.report(totals[0, None, False], tagged=tags is not None)


def health_trend(  # noqa: PLR0913 - as score_health, with many instants
    pool: DaskPool,
    charter: PoolCharter,
    period_ends: Iterable[datetime],
    *,
    tags: CustomerTags | None = None,
    activities: Iterable[PoolActivity] | None = None,
    policy: HealthPolicy = _DEFAULT_POLICY,
    recorded_kinds: Iterable[InteractionKind | str] | None = None,
    progress: Progress | None = None,
) -> tuple[HealthReport, ...]:
    """Return :func:`custpool.health_trend` of the pool: one report per instant, exactly.

    One pass over the partitions: each sums its own customers' facts at every instant (its
    per-kind rows found once), the client adds them up instant by instant and scores each
    total as :func:`score_health` does. ``progress`` hears of the instants scored on the
    client, ``(0, n)`` first and ``(n, n)`` last.

    Parameters
    ----------
    pool
        The events, split by customer.
    charter, period_ends, activities, policy, recorded_kinds, progress
        As :func:`custpool.health_trend` takes them.
    tags
        As :func:`score_health` takes them.

    Returns
    -------
    tuple[HealthReport, ...]

    Raises
    ------
    custpool.WrongTypeError
        If an argument has the wrong type.
    custpool.ValidationError
        If the instants are naive, not increasing, or none is given, or an option is invalid.

    Examples
    --------
    >>> from datetime import timedelta
    >>> import dask
    >>> import dask.dataframe as dd
    >>> import custpool
    >>> from custpool import EXAMPLE_START, EventTable, example_pool
    >>> from custpool.dask import from_dask, health_trend, table_frame
    >>> example = example_pool()
    >>> table = EventTable.from_interactions(example.interactions)
    >>> pool = from_dask(dd.from_pandas(table_frame(table), npartitions=2), npartitions=3,
    ...                  amounts="minor")
    >>> ends = [EXAMPLE_START + timedelta(days=d) for d in (10, 20, 30)]
    >>> with dask.config.set(scheduler="synchronous"):
    ...     trend = health_trend(pool, example.charter, ends)
    >>> trend == custpool.health_trend(table, example.charter, ends)
    True
    """
    if not isinstance(pool, DaskPool):
        raise wrong_argument("pool", pool, "must be a custpool.dask.DaskPool")
    records, kinds = read_once(activities), read_once(recorded_kinds)
    given: Any = period_ends
    if isinstance(given, Iterable) and not isinstance(given, str | bytes):
        given = list(given)  # read once: it may be an iterator
    # one machine checks the options and the instants, on a table without events
    checked = table_trend(
        EMPTY.events,
        charter,
        given,
        activities=records,  # type: ignore[arg-type] # checked there
        policy=policy,
        recorded_kinds=kinds,  # type: ignore[arg-type] # checked there
    )
    first = health_question(
        charter, checked[0].as_of, activities=records, policy=policy, recorded_kinds=kinds
    )
    questions = tuple(first.at(report.as_of) for report in checked)
    ticker = Ticker(check_progress(progress), len(questions))  # checked before the work
    totals = _totals(pool, tags, questions)
    ticker.start()
    reports = []
    for i, question in enumerate(questions):
        reports.append(question.report(totals[i, None, False], tagged=tags is not None))
        ticker.step()
    ticker.finish()
    return tuple(reports)
