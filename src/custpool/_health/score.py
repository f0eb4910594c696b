"""The ISOOC health scorer: measures, dimension scores, the band, the Copy gate and advice."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final, overload

import numpy as np

from custpool._display import Ticker, check_progress
from custpool._engine import MIN_TIME, CustomerTags, EventTable, KindRows
from custpool._errors import ValidationError, WrongTypeError, bad_argument, wrong_argument
from custpool._health.advice import ADVICE
from custpool._health.facts import HealthFacts
from custpool._health.measures import Dimension, Measure, score_against
from custpool._health.policy import HealthPolicy
from custpool._health.readings import Reading, Readings
from custpool._health.report import (
    CopyGate,
    CopyVerdict,
    DimensionScore,
    HealthBand,
    HealthReport,
    MeasureScore,
    Recommendation,
    measure_shares,
)
from custpool._model import InteractionKind, PoolActivity, PoolCharter
from custpool._time import check_as_of, from_micros, to_micros

if TYPE_CHECKING:
    from datetime import datetime

    from numpy.typing import NDArray

    from custpool._display import Progress
    from custpool._engine import Breakdown, By
    from custpool._health.sums import HealthSums

__all__ = [
    "HealthQuestion",
    "facts_at",
    "health_question",
    "health_trend",
    "kinds_with_rows",
    "score_health",
]

_DEFAULT_POLICY = HealthPolicy()


def _measure_score(reading: Reading, policy: HealthPolicy) -> MeasureScore:
    m = reading.measure
    score = None
    if reading.raw is not None and reading.target is not None:
        score = score_against(m.aim, reading.raw, reading.target, reading.target_high)
    return MeasureScore(
        measure=m,
        raw=reading.raw,
        target=reading.target,
        target_high=reading.target_high,
        score=score,
        weight=policy.weight_of(m),
        explanation=reading.explanation,
    )


def _weighted(pairs: Iterable[tuple[float, float | None]]) -> float | None:
    used = [(w, s) for w, s in pairs if s is not None and w > 0]
    total = sum(w for w, _ in used)
    if not total:
        return None
    mean = math.fsum(w * s for w, s in used) / total
    # A weighted mean lies between the smallest and largest score; rounding can step out by an
    # ulp (equal scores of 70 averaging 69.99999999999999), which would flip a band or the gate.
    scores = [s for _, s in used]
    return min(max(scores), max(min(scores), mean))


def _dimension(d: Dimension, measures: list[MeasureScore], policy: HealthPolicy) -> DimensionScore:
    score = _weighted((m.weight, m.score) for m in measures) if d.scored else None
    return DimensionScore(
        dimension=d, score=score, weight=policy.dimension_weight(d), measures=tuple(measures)
    )


def _band(overall: float | None, policy: HealthPolicy) -> HealthBand | None:
    if overall is None:
        return None
    if overall >= policy.healthy_at:
        return HealthBand.HEALTHY
    return HealthBand.AT_RISK if overall >= policy.at_risk_at else HealthBand.UNHEALTHY


def _copy_gate(dimensions: Sequence[DimensionScore], policy: HealthPolicy) -> CopyGate:
    threshold = policy.copy_threshold
    reasons: list[str] = []
    for d in dimensions:
        if not d.dimension.scored:
            continue
        if d.score is None:
            reasons.append(f"{d.dimension.value} ({d.dimension.label_zh}) is not measured")
        elif d.score < threshold:
            reasons.append(
                f"{d.dimension.value} ({d.dimension.label_zh}) scores {d.score:.1f}, "
                f"below {threshold:g}"
            )
    load = next(m for d in dimensions for m in d.measures if m.measure is Measure.COPY_CAPACITY)
    if load.raw is None:
        reasons.append(load.explanation)
    elif load.target is not None and load.raw > load.target:
        reasons.append(
            f"{load.raw:,.1f} members per operator, above the capacity of {load.target:,.0f}"
        )
    verdict = CopyVerdict.NOT_READY if reasons else CopyVerdict.READY
    return CopyGate(verdict=verdict, threshold=threshold, reasons=tuple(reasons))


def _recommendations(dimensions: Sequence[DimensionScore]) -> tuple[Recommendation, ...]:
    shares = measure_shares(dimensions)
    found: list[Recommendation] = []
    for m in (m for d in dimensions for m in d.measures if m.measure in shares):
        if m.score is None or m.score >= 100:
            continue
        advice, advice_zh = ADVICE[m.measure]
        found.append(
            Recommendation(
                measure=m.measure,
                points=shares[m.measure] * (100.0 - m.score),
                score=m.score,
                advice=advice,
                advice_zh=advice_zh,
            )
        )
    order = list(Measure)
    found.sort(key=lambda r: (-r.points, order.index(r.measure)))
    return tuple(found)


def _check_tags(table: EventTable, tags: object) -> None:
    if tags is None:
        return
    if not isinstance(tags, CustomerTags):
        raise WrongTypeError("tags", tags, "must be a custpool.CustomerTags or None")
    if tags.customer_ids is not table.customer_ids and tags.customer_ids != table.customer_ids:
        rule = "must hold the table's customers in the table's order"
        raise ValidationError("tags", tags, rule)


def _check_models(charter: object, policy: object) -> tuple[PoolCharter, HealthPolicy]:
    if not isinstance(charter, PoolCharter):
        raise WrongTypeError("charter", charter, "must be a custpool.PoolCharter")
    if not isinstance(policy, HealthPolicy):
        raise WrongTypeError("policy", policy, "must be a custpool.HealthPolicy")
    return charter, policy


def _check_activities(activities: object) -> tuple[PoolActivity, ...] | None:
    if activities is None:
        return None
    if isinstance(activities, (str, bytes)) or not isinstance(activities, Iterable):
        raise WrongTypeError("activities", activities, "must be PoolActivity records or None")
    records = tuple(activities)
    seen: dict[str, int] = {}
    for position, record in enumerate(records):
        if not isinstance(record, PoolActivity):
            raise WrongTypeError(f"activities[{position}]", record, "must be a PoolActivity")
        first = seen.setdefault(record.id, position)
        if first != position and records[first] != record:
            rule = f"repeats the id of activities[{first}] with other content"
            raise ValidationError(f"activities[{position}].id", record.id, rule)
    return tuple(dict(zip((r.id for r in records), records, strict=True)).values())


def _check_inputs(
    table: object, charter: object, tags: object, activities: object, policy: object
) -> tuple[PoolActivity, ...] | None:
    if not isinstance(table, EventTable):
        raise WrongTypeError("table", table, "must be a custpool.EventTable")
    _check_models(charter, policy)
    _check_tags(table, tags)
    return _check_activities(activities)


def _given_kinds(
    given: Iterable[InteractionKind | str] | None,
) -> frozenset[InteractionKind] | None:
    """Return the kinds given as recorded (checked), or None: those with a row are."""
    if given is None:
        return None
    kinds = tuple(InteractionKind)
    rule = f"must be interaction kinds ({', '.join(k.value for k in kinds)})"
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        raise wrong_argument("recorded_kinds", given, rule)
    out: set[InteractionKind] = set()
    for position, kind in enumerate(given):
        if kind not in _KIND_VALUES:
            raise bad_argument(f"recorded_kinds[{position}]", kind, rule)
        out.add(InteractionKind(kind))
    return frozenset(out)


def kinds_with_rows(counts: NDArray[np.int64]) -> frozenset[InteractionKind]:
    """Return the kinds with at least one row, from the rows of each kind (by kind code)."""
    kinds = tuple(InteractionKind)
    return frozenset(kinds[int(code)] for code in np.flatnonzero(counts))


_KIND_VALUES: Final = frozenset({*InteractionKind, *(k.value for k in InteractionKind)})


def _check_instant(name: str, as_of: object, policy: HealthPolicy) -> int:
    try:
        micros = check_as_of(as_of)
    except ValidationError as error:
        raise ValidationError(name, as_of, error.rule) from None
    if micros - to_micros(policy.window) < MIN_TIME:
        rule = "must be at least policy.window after 1900-01-01 (the window starts there)"
        raise ValidationError(name, as_of, rule)
    return micros


def _report(readings: Readings, as_of: datetime) -> HealthReport:
    policy = readings.policy
    found, non_members = readings.all()
    scores = [_measure_score(r, policy) for r in found]
    dimensions = [
        _dimension(d, [s for s in scores if s.measure.dimension is d], policy) for d in Dimension
    ]
    # A pool without members (empty, or as_of before anyone joined) is not measured overall:
    # never healthy on the strength of its charter alone.
    overall = (
        _weighted((d.weight, d.score) for d in dimensions if d.dimension.scored)
        if readings.members
        else None
    )
    return HealthReport(
        as_of=as_of,
        window_start=from_micros(readings.start),
        members=readings.members,
        dimensions=tuple(dimensions),
        overall=overall,
        band=_band(overall, policy),
        copy_gate=_copy_gate(dimensions, policy),
        recommendations=_recommendations(dimensions),
        non_members=non_members,
    )


@dataclass(frozen=True, slots=True)
class HealthQuestion:
    """What a report is asked, checked: every input of :func:`score_health` but the data.

    Build one with :func:`health_question`. :meth:`sums` reads a table (or one part of a pool
    split by customer) and :meth:`report` scores summed facts: one machine scores its table's
    sums, ``custpool.dask`` the total of its partitions' sums — the same function either way.

    Attributes
    ----------
    charter, policy
        As given.
    as_of
        The instant, in UTC, to the microsecond.
    activities
        The activity records, each id once; None when none were given.
    recorded_kinds
        The kinds given as recorded; None: the kinds with at least one row.
    """

    charter: PoolCharter
    as_of: datetime
    policy: HealthPolicy
    activities: tuple[PoolActivity, ...] | None
    recorded_kinds: frozenset[InteractionKind] | None

    def facts(
        self,
        table: EventTable,
        tags: CustomerTags | None,
        *,
        kinds: KindRows | None = None,
        owned: NDArray[np.bool_] | None = None,
        recorded: frozenset[InteractionKind] | None = None,
    ) -> HealthFacts:
        """Return the facts of ``table`` (``tags`` aligned with it; ``owned`` customers only).

        ``kinds``, ``recorded``: as :class:`HealthFacts` takes them.
        """
        return HealthFacts(
            table,
            self.charter,
            self.as_of,
            self.policy,
            tags=tags,
            activities=self.activities,
            kinds=kinds,
            recorded=recorded,
            owned=owned,
        )

    def at(self, as_of: datetime) -> HealthQuestion:
        """Return the same question at another instant (checked already, as a trend's are)."""
        return replace(self, as_of=as_of)

    def recorded(self, sums: HealthSums) -> frozenset[InteractionKind]:
        """Return the kinds recorded: those given, or those with a row in the summed table."""
        if self.recorded_kinds is not None:
            return self.recorded_kinds
        return kinds_with_rows(sums.kinds)

    def report(self, sums: HealthSums, *, tagged: bool) -> HealthReport:
        """Score the facts ``sums`` (of a table, or the total of its parts').

        ``tagged`` says whether customer tags were given (and read into ``sums``).
        """
        end = to_micros(self.as_of)
        readings = Readings(
            sums,
            self.charter,
            self.policy,
            self.activities,
            start=end - to_micros(self.policy.window),
            end=end,
            recorded=self.recorded(sums),
            tagged=tagged,
        )
        return _report(readings, self.as_of)


def health_question(  # noqa: PLR0913 - score_health's options
    charter: object,
    as_of: object,
    *,
    activities: object,
    policy: object,
    recorded_kinds: object,
    name: str = "as_of",
) -> HealthQuestion:
    """Check :func:`score_health`'s inputs but the data, and return them as a question.

    Raises
    ------
    custpool.WrongTypeError
        If an argument has the wrong type.
    custpool.ValidationError
        If ``as_of`` (named ``name``) is naive or less than ``policy.window`` after 1900, an
        activity id repeats with other content, or ``recorded_kinds`` names something that is
        not an interaction kind.
    """
    checked_charter, checked_policy = _check_models(charter, policy)
    records = _check_activities(activities)
    moment = from_micros(_check_instant(name, as_of, checked_policy))
    given = _given_kinds(recorded_kinds)  # type: ignore[arg-type] # checked there
    return HealthQuestion(checked_charter, moment, checked_policy, records, given)


@overload
def score_health(
    table: EventTable,
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
    table: EventTable,
    charter: PoolCharter,
    as_of: datetime,
    *,
    tags: CustomerTags | None = None,
    activities: Iterable[PoolActivity] | None = None,
    policy: HealthPolicy = ...,
    recorded_kinds: Iterable[InteractionKind | str] | None = None,
    by: By,
) -> Breakdown[HealthReport]: ...


def score_health(  # noqa: PLR0913 - the table, the charter, the instant and the options
    table: EventTable,
    charter: PoolCharter,
    as_of: datetime,
    *,
    tags: CustomerTags | None = None,
    activities: Iterable[PoolActivity] | None = None,
    policy: HealthPolicy = _DEFAULT_POLICY,
    recorded_kinds: Iterable[InteractionKind | str] | None = None,
    by: By | None = None,
) -> HealthReport | Breakdown[HealthReport]:
    """Score a pool's health at ``as_of`` on seed 000's ISOOC principles.

    Every :class:`~custpool.Measure` gets a raw value from the data, a target (the policy's, or
    the charter's size range, cadences and operator capacity), a 0–100 score and a one-line
    explanation. A measure whose data is missing is *not measured*: it is named, and left out
    of its dimension's average — never scored 0. The four scored dimensions (Interest,
    Structure, Output, Operate) are the weighted means of their measures, ``overall`` the
    weighted mean of the four; Copy is a gate.

    Members are the customers connected at ``as_of``. The activity-based measures read the
    window ``(as_of - policy.window, as_of]``. See ``docs/health.md`` for every measure's
    definition.

    Parameters
    ----------
    table
        The pool's interactions.
    charter
        The pool's charter: interests, platforms, joining rule, norms, operators, targets.
    as_of
        The instant to score at (timezone-aware).
    tags
        Each customer's tags, aligned with the table (:class:`~custpool.CustomerTags`); without
        them the interest share and the joining rule are not measured.
    activities
        The brand's :class:`~custpool.PoolActivity` records; without them (None) the content and
        ritual measures are not measured. An empty list means nothing was published or held.
    policy
        Targets, weights, windows and thresholds.
    recorded_kinds
        The interaction kinds the data source records at all. By default those with at least
        one row in the table: a kind with none (no REFERRAL, NPS, CHURN or COMPLAINT rows
        anywhere) is taken as not recorded, and the measures that read it — advocates,
        complaints, retention — are *not measured*, never scored as if nobody referred,
        complained or left. Give the kinds your source records to score them even when a pool
        has none yet.
    by
        ``"operator"`` or ``"group"``: also score each operator's (group's) customers — those
        whose latest CONNECT at or before ``as_of`` names it — and return a
        :class:`~custpool.Breakdown` of reports. By operator, a part's charter names that
        operator alone, so its Operate measures read that operator's load, reply time and
        customers' participation. The whole table's recorded kinds hold in every part. See
        ``docs/health.md``.

    Returns
    -------
    HealthReport
        Or a :class:`~custpool.Breakdown` of reports, given ``by``.

    Raises
    ------
    custpool.WrongTypeError
        If an argument has the wrong type.
    custpool.ValidationError
        If ``as_of`` is naive, or ``tags`` is not aligned with the table.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool.synth import SynthConfig, generate
    >>> pool = generate(SynthConfig(n_customers=500), seed=4)
    >>> report = score_health(pool.table, pool.charter, datetime(2025, 12, 1, tzinfo=UTC),
    ...                       tags=pool.tag_table(), activities=pool.activities)
    >>> report.band is not None, 0 <= report.overall <= 100
    (True, True)
    >>> report.measure("operate.participation").measured
    True
    """
    records = _check_inputs(table, charter, tags, activities, policy)
    question = health_question(
        charter, as_of, activities=records, policy=policy, recorded_kinds=recorded_kinds
    )
    tagged = tags is not None
    sums = question.facts(table, tags).sums
    whole = question.report(sums, tagged=tagged)
    if by is None:
        return whole
    # every part reads the whole table's recorded kinds
    recorded = replace(question, recorded_kinds=question.recorded(sums))

    def score(part: EventTable, part_charter: PoolCharter) -> HealthReport:
        asked = replace(recorded, charter=part_charter)
        return asked.report(asked.facts(part, tags).sums, tagged=tagged)

    # the parts build on this module's scoring: imported when first asked for
    from custpool._health.by_part import health_by  # noqa: PLC0415

    return health_by(table, by, whole, charter, score)


def facts_at(
    table: EventTable,
    charter: PoolCharter,
    as_of: datetime,
    policy: HealthPolicy,
    *,
    recorded_kinds: Iterable[InteractionKind | str] | None = None,
) -> HealthFacts:
    """Return the facts :func:`score_health` reads at ``as_of`` (without tags or activities).

    For the other reports of this room (pool readiness): the inputs are checked exactly as
    :func:`score_health` checks them, so a reading taken from these facts is health's own.

    Raises
    ------
    custpool.WrongTypeError
        If an argument has the wrong type.
    custpool.ValidationError
        If ``as_of`` is naive or less than ``policy.window`` after 1900, or ``recorded_kinds``
        names something that is not an interaction kind.
    """
    _check_inputs(table, charter, None, None, policy)
    question = health_question(
        charter, as_of, activities=None, policy=policy, recorded_kinds=recorded_kinds
    )
    kinds = np.bincount(table.kind, minlength=len(InteractionKind))
    recorded = question.recorded_kinds
    return question.facts(
        table, None, recorded=kinds_with_rows(kinds) if recorded is None else recorded
    )


def health_trend(  # noqa: PLR0913 - as score_health, with many instants
    table: EventTable,
    charter: PoolCharter,
    period_ends: Iterable[datetime],
    *,
    tags: CustomerTags | None = None,
    activities: Iterable[PoolActivity] | None = None,
    policy: HealthPolicy = _DEFAULT_POLICY,
    recorded_kinds: Iterable[InteractionKind | str] | None = None,
    progress: Progress | None = None,
) -> tuple[HealthReport, ...]:
    """Score the pool at each of ``period_ends``: one :class:`HealthReport` each, for plotting.

    The instants must be strictly increasing. Each report is exactly
    :func:`score_health` at its instant; the table's per-kind rows are found once and shared.
    ``progress`` (a :class:`~custpool.Progress`, optional) hears of the instants scored:
    ``(0, n)`` first, ``(n, n)`` last; the reports are the same with or without it.

    Returns
    -------
    tuple[HealthReport, ...]

    Raises
    ------
    custpool.ValidationError
        If the instants are naive, not increasing, or none is given.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool.synth import SynthConfig, generate
    >>> pool = generate(SynthConfig(n_customers=300), seed=5)
    >>> ends = [datetime(2025, m, 1, tzinfo=UTC) for m in (6, 9, 12)]
    >>> trend = health_trend(pool.table, pool.charter, ends, activities=pool.activities)
    >>> [r.as_of.month for r in trend], all(r.overall is not None for r in trend)
    ([6, 9, 12], True)
    """
    records = _check_inputs(table, charter, tags, activities, policy)
    if not isinstance(period_ends, Iterable):
        raise WrongTypeError("period_ends", period_ends, "must be aware datetimes")
    instants = list(period_ends)
    if not instants:
        raise ValidationError("period_ends", instants, "must hold at least one instant")
    checked: list[int] = []
    for position, end in enumerate(instants):
        micros = _check_instant(f"period_ends[{position}]", end, policy)
        if checked and micros <= checked[-1]:
            rule = "must be after the previous period end (strictly increasing)"
            raise ValidationError(f"period_ends[{position}]", end, rule)
        checked.append(micros)
    ticker = Ticker(check_progress(progress), len(checked))
    ticker.start()
    kinds = KindRows(table)
    given = _given_kinds(recorded_kinds)
    tagged = tags is not None
    reports = []
    first = HealthQuestion(charter, from_micros(checked[0]), policy, records, given)
    for micros in checked:
        question = first.at(from_micros(micros))
        facts = question.facts(table, tags, kinds=kinds)
        reports.append(question.report(facts.sums, tagged=tagged))
        ticker.step()
    ticker.finish()
    return tuple(reports)
