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
receives its own customers' rows only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import numpy as np

import dask
from custpool import CustomerTags, HealthPolicy, HealthReport, ValidationError, WrongTypeError
from custpool import health_trend as table_trend
from custpool._display import Ticker, check_progress
from custpool._engine import KindRows
from custpool._errors import wrong_argument
from custpool._health import HealthSums, health_question, merge_waits, waits_between
from custpool.dask._partition import EMPTY, DaskPool, Part, home

if TYPE_CHECKING:
    from datetime import datetime

    from numpy.typing import NDArray

    from custpool import InteractionKind, PoolActivity, PoolCharter, Progress, Tag
    from custpool._health import HealthQuestion

__all__ = ["health_trend", "score_health"]

_DASK: Final[Any] = dask  # dask's functions are untyped: called through Any
_DEFAULT_POLICY: Final = HealthPolicy()
_TAGS_RULE: Final = "must hold the table's customers in the table's order"

_Share: TypeAlias = tuple[tuple[str, ...], tuple["Tag", ...], "NDArray[np.bool_]"] | None
"""One partition's rows of the tags: its customers' ids, the vocabulary and their rows."""

_Waits: TypeAlias = tuple["NDArray[np.int64]", "NDArray[np.int64]"]
"""Waits as an exact histogram: each distinct wait (microseconds) and its count."""


def _shares(tags: object, n: int) -> list[_Share]:
    """Split ``tags`` by the customers' home partition (None for every partition without)."""
    if tags is None:
        return [None] * n
    if not isinstance(tags, CustomerTags):
        raise WrongTypeError("tags", tags, "must be a custpool.CustomerTags or None")
    ids = tuple(tags.customer_ids)
    # the pool's customers are indexed in sorted id order, as one table's are
    if any(a >= b for a, b in pairwise(ids)):
        raise ValidationError("tags", tags, _TAGS_RULE)
    homes = home(ids, n)
    order = np.argsort(homes, kind="stable")  # by partition, in id order within each
    ends = np.cumsum(np.bincount(homes, minlength=n))
    shares: list[_Share] = []
    for k in range(n):
        rows = order[(ends[k - 1] if k else 0) : ends[k]]
        shares.append((tuple(ids[int(r)] for r in rows), tags.vocabulary, tags.held[rows]))
    return shares


def _part_tags(part: Part, share: _Share) -> tuple[CustomerTags | None, int, int]:
    """Return the partition's tags, aligned with its table; owned customers found and missing.

    A customer the table holds but does not own has no row in ``share`` (their home is
    another partition): an empty row, never read, as they are no member here.
    """
    if share is None:
        return None, 0, 0
    ids, vocabulary, held = share
    table, own = part.events, part.own
    position = {cid: n for n, cid in enumerate(ids)}
    found = np.array([position.get(cid, -1) for cid in table.customer_ids], dtype=np.int64)
    hit = found >= 0
    rows = np.zeros((table.n_customers, len(vocabulary)), dtype=np.bool_)
    rows[hit] = held[found[hit]]
    tags = CustomerTags.from_matrix(rows, vocabulary, table)
    return tags, int(np.count_nonzero(hit & own)), int(np.count_nonzero(~hit & own))


@dataclass(frozen=True, slots=True)
class _Sums:
    """What a partition sends first: its sums at each instant; its owned customers' tags found.

    ``missing`` counts the owned customers without a row in the tags.
    """

    sums: tuple[HealthSums, ...]
    matched: int
    missing: int


@dataclass(frozen=True, slots=True)
class _Kept:
    """What a partition keeps in its worker between the steps: its sums and every wait."""

    first: _Sums
    waits: tuple[NDArray[np.int64], ...]


def _part_facts(part: Part, share: _Share, questions: tuple[HealthQuestion, ...]) -> _Kept:
    """In a worker: the partition's sums at each instant for its own customers, and waits."""
    tags, matched, missing = _part_tags(part, share)
    kinds = KindRows(part.events)
    facts = [q.facts(part.events, tags, kinds=kinds, owned=part.own) for q in questions]
    first = _Sums(tuple(f.bucketed for f in facts), matched, missing)
    return _Kept(first, tuple(f.waits for f in facts))


def _first(kept: _Kept) -> _Sums:
    return kept.first


def _added(firsts: list[_Sums]) -> _Sums:
    """Return the partitions' sums added up, instant by instant (the waits' buckets too)."""
    totals = tuple(HealthSums.total(sums) for sums in zip(*(f.sums for f in firsts), strict=True))
    return _Sums(totals, sum(f.matched for f in firsts), sum(f.missing for f in firsts))


def _middles(added: _Sums) -> tuple[tuple[int, int], ...]:
    """Return the buckets of the middle waits at each instant, from the summed buckets."""
    return tuple(total.median_buckets() for total in added.sums)


def _middle_waits(kept: _Kept, middles: tuple[tuple[int, int], ...]) -> list[_Waits]:
    """In a worker: the partition's waits in the middle buckets, at each instant."""
    return [waits_between(w, m) for w, m in zip(kept.waits, middles, strict=True)]


def _totals(
    pool: DaskPool, tags: object, questions: tuple[HealthQuestion, ...]
) -> list[HealthSums]:
    """Return the pool's sums at each question's instant: the partitions' sums added up.

    One graph, two steps: each partition's facts are found once and kept in its worker; their
    sums (the waits in buckets) are added up, which names each instant's middle buckets; then
    each partition sends its waits in those buckets only, and the client merges them.
    """
    shares = _shares(tags, pool.npartitions)
    delayed = _DASK.delayed
    kept = [
        delayed(_part_facts, pure=True)(part, share, questions)
        for part, share in zip(pool.parts, shares, strict=True)
    ]
    added = delayed(_added, pure=True)([delayed(_first, pure=True)(k) for k in kept])
    middles = delayed(_middles, pure=True)(added)
    waits = [delayed(_middle_waits, pure=True)(k, middles) for k in kept]
    total, *part_waits = _DASK.compute(added, *waits)
    if isinstance(tags, CustomerTags) and (total.missing or total.matched != len(tags)):
        raise ValidationError("tags", tags, _TAGS_RULE)
    return [
        summed.with_waits(*merge_waits(found[i] for found in part_waits))
        for i, summed in enumerate(total.sums)
    ]


def _records(activities: object) -> object:
    """Return the activities read once (an iterator is read here), or as given to be refused."""
    if isinstance(activities, Iterable) and not isinstance(activities, str | bytes):
        return tuple(activities)
    return activities


def score_health(  # noqa: PLR0913 - the pool, the charter, the instant and the options
    pool: DaskPool,
    charter: PoolCharter,
    as_of: datetime,
    *,
    tags: CustomerTags | None = None,
    activities: Iterable[PoolActivity] | None = None,
    policy: HealthPolicy = _DEFAULT_POLICY,
    recorded_kinds: Iterable[InteractionKind | str] | None = None,
) -> HealthReport:
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

    Returns
    -------
    HealthReport

    Raises
    ------
    custpool.WrongTypeError
        If an argument has the wrong type.
    custpool.ValidationError
        If ``as_of`` is naive, ``tags`` does not hold the pool's customers in sorted order, or
        another option is invalid (as :func:`custpool.score_health` says).

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
    """
    if not isinstance(pool, DaskPool):
        raise wrong_argument("pool", pool, "must be a custpool.dask.DaskPool")
    question = health_question(
        charter,
        as_of,
        activities=_records(activities),
        policy=policy,
        recorded_kinds=recorded_kinds,
    )
    (total,) = _totals(pool, tags, (question,))
    return question.report(total, tagged=tags is not None)


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
    records, kinds = _records(activities), _records(recorded_kinds)
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
    for question, total in zip(questions, totals, strict=True):
        reports.append(question.report(total, tagged=tags is not None))
        ticker.step()
    ticker.finish()
    return tuple(reports)
