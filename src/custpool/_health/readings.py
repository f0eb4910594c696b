"""The raw values of the health measures, read from summed facts, the charter and activities.

Every measure is a :class:`Reading`: a raw value (None when the data cannot tell), its target
and a one-line explanation. :class:`Readings` is the one home of every measure's formula: it
reads a :class:`~custpool._health.sums.HealthSums` — of one table, or the total of a table's
parts on many machines — so one machine and ``custpool.dask`` give the same readings. Scoring
and averaging happen in :mod:`custpool._health.score`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np

from custpool._engine import CHANNELS, MIN_TIME
from custpool._health.measures import Measure
from custpool._model import ActivityKind, InteractionKind, Tag, TagGroup
from custpool._time import from_micros, to_micros

if TYPE_CHECKING:
    from collections.abc import Sequence

    from custpool._health.policy import HealthPolicy
    from custpool._health.sums import HealthSums
    from custpool._model import Cadence, PoolActivity, PoolCharter

__all__ = ["Reading", "Readings", "published"]

_HOUR_US: Final = 3_600_000_000
_WEEK_US: Final = 7 * 86_400_000_000
_NO_TAGS: Final = "no customer tags given (pass tags=CustomerTags…)"
_NO_ACTIVITIES: Final = "no activity records given (pass activities=…)"
_NO_MEMBERS: Final = "the pool has no members"


@dataclass(frozen=True, slots=True)
class Reading:
    """A measure's raw value (None: not measured), target(s) and explanation."""

    measure: Measure
    raw: float | None
    target: float | None
    explanation: str
    target_high: float | None = None


def _share(part: int, whole: int) -> str:
    return f"{part:,} of {whole:,} ({part / whole:.1%})"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def published(
    activities: Sequence[PoolActivity] | None,
    kind: ActivityKind,
    start: int,
    end: int,
    *,
    ritual: bool = False,
) -> list[PoolActivity]:
    """Activities of ``kind`` in the window ``(start, end]``, in time order (rituals only)."""
    chosen = [
        a
        for a in activities or ()
        if a.kind is kind and start < to_micros(a.at) <= end and (a.ritual or not ritual)
    ]
    return sorted(chosen, key=lambda a: (a.at, a.id))


class Readings:
    """Every measure's reading, from the summed facts and the report's other inputs.

    Parameters
    ----------
    sums
        The table's facts (or the total of its parts').
    charter, policy, activities
        As :func:`~custpool.score_health` received them (validated there).
    start, end
        The window ``(start, end]`` in microseconds; ``end`` is ``as_of``.
    recorded
        The interaction kinds the data records.
    tagged
        Whether customer tags were given.
    """

    def __init__(  # noqa: PLR0913 - the inputs of one report
        self,
        sums: HealthSums,
        charter: PoolCharter,
        policy: HealthPolicy,
        activities: Sequence[PoolActivity] | None,
        *,
        start: int,
        end: int,
        recorded: frozenset[InteractionKind],
        tagged: bool,
    ) -> None:
        self.sums = sums
        self.charter = charter
        self.policy = policy
        self.activities = activities
        self.start = start
        self.end = end
        self.recorded = recorded
        self.tagged = tagged
        self.members = sums.members
        self.weeks = (end - start) / _WEEK_US

    def all(self) -> tuple[list[Reading], tuple[str, ...]]:
        """Return every measure's reading in :class:`Measure` order, and the non-members."""
        joining, non_members = self.structure_joining()
        readings = [
            self.interest_members(),
            self.interest_content(),
            self.structure_size(),
            self.structure_depth(),
            self.structure_advocates(),
            self.structure_spread(),
            self.structure_platforms(),
            joining,
            self.structure_norms(),
            self.structure_complaints(),
            self.output_cadence(),
            self.output_regularity(),
            self.output_reach(),
            self.operate_rituals(),
            self.operate_attendance(),
            self.operate_participation(),
            self.operate_roles(),
            self.operate_reply_hours(),
            self.operate_retention(),
            self.operate_peer_share(),
            self.copy_capacity(),
        ]
        return readings, non_members

    def target(self, measure: Measure) -> float | None:
        """Return the policy's target of a measure."""
        return self.policy.target_of(measure)

    def not_measured(self, measure: Measure, why: str) -> Reading:
        """Return a reading without data."""
        return Reading(measure, None, self.target(measure), why)

    def published(self, kind: ActivityKind, *, ritual: bool = False) -> list[PoolActivity]:
        """Activities of ``kind`` in the window, in time order (rituals only, if asked)."""
        return published(self.activities, kind, self.start, self.end, ritual=ritual)

    def unrecorded(self, m: Measure, *kinds: InteractionKind) -> Reading | None:
        """Return "not measured" if a kind the measure reads is not recorded, else None."""
        missing = [k.value.upper() for k in kinds if k not in self.recorded]
        if not missing:
            return None
        why = (
            f"the data record no {' or '.join(missing)} rows: pass recorded_kinds= if the source "
            "records them (a pool may have none yet)"
        )
        return self.not_measured(m, why)

    # -- Interest --------------------------------------------------------------------------------

    def interest_members(self) -> Reading:
        m = Measure.INTEREST_MEMBERS
        if not self.tagged:
            return self.not_measured(m, _NO_TAGS)
        if not self.members:
            return self.not_measured(m, _NO_MEMBERS)
        if not self.charter.interests:
            return Reading(m, 0.0, self.target(m), "the charter declares no shared interest")
        sharing = self.sums.sharing
        why = f"{_share(sharing, self.members)} members carry a charter interest"
        return Reading(m, sharing / self.members, self.target(m), why)

    def interest_content(self) -> Reading:
        m = Measure.INTEREST_CONTENT
        if self.activities is None:
            return self.not_measured(m, _NO_ACTIVITIES)
        content = self.published(ActivityKind.CONTENT_PUBLISHED)
        if not content:
            return self.not_measured(m, "no content published in the window")
        interests = set(self.charter.interests)

        def on_topic(topic: Tag) -> bool:
            grouped = Tag(name=topic.name, group=TagGroup.INTEREST)
            return topic.group in (None, TagGroup.INTEREST) and grouped in interests

        hits = sum(1 for a in content if any(on_topic(t) for t in a.topics))
        why = f"{_share(hits, len(content))} items published hit a charter interest"
        return Reading(m, hits / len(content), self.target(m), why)

    # -- Structure -------------------------------------------------------------------------------

    def structure_size(self) -> Reading:
        m = Measure.STRUCTURE_SIZE
        size = self.charter.target_size
        if size is None:
            return self.not_measured(m, "the charter declares no target size")
        why = f"{self.members:,} members; the charter aims at {size.low:,} to {size.high:,}"
        return Reading(m, float(self.members), float(size.low), why, float(size.high))

    def structure_depth(self) -> Reading:
        m = Measure.STRUCTURE_DEPTH
        if not self.members:
            return self.not_measured(m, _NO_MEMBERS)
        deep = self.sums.deep
        why = f"{_share(deep, self.members)} members are engaged, converted or advocates"
        return Reading(m, deep / self.members, self.target(m), why)

    def structure_advocates(self) -> Reading:
        m = Measure.STRUCTURE_ADVOCATES
        if not self.members:
            return self.not_measured(m, _NO_MEMBERS)
        needs = [InteractionKind.REFERRAL]
        if self.policy.tiers.advocate_min_nps is not None:
            needs.append(InteractionKind.NPS)
        if (missing := self.unrecorded(m, *needs)) is not None:
            return missing
        advocates = self.sums.advocates
        why = f"{_share(advocates, self.members)} members are advocates"
        return Reading(m, advocates / self.members, self.target(m), why)

    def structure_spread(self) -> Reading:
        m = Measure.STRUCTURE_SPREAD
        active = self.sums.active
        if not active:
            return self.not_measured(m, "no member interactions in the window")
        fewest = self.sums.fewest_making_half()
        why = (
            f"{_plural(fewest, 'member')} of {active:,} active made half of "
            f"the {self.sums.own:,} member interactions"
        )
        return Reading(m, 100.0 * fewest / active, self.target(m), why)

    def structure_platforms(self) -> Reading:
        m = Measure.STRUCTURE_PLATFORMS
        declared = self.charter.platforms
        if not declared:
            return self.not_measured(m, "the charter declares no platforms")
        if not self.members:
            return self.not_measured(m, _NO_MEMBERS)
        used_codes = set(np.flatnonzero(self.sums.channels).tolist())
        used = [p for p in declared if CHANNELS.index(p) in used_codes]
        unused = [p.value for p in declared if p not in used]
        why = f"{_share(len(used), len(declared))} declared platforms used by members"
        if unused:
            why += f"; unused: {', '.join(unused)}"
        return Reading(m, len(used) / len(declared), self.target(m), why)

    def structure_joining(self) -> tuple[Reading, tuple[str, ...]]:
        m = Measure.STRUCTURE_JOINING
        rule = self.charter.joining_rule
        if rule is None:
            return self.not_measured(m, "the charter declares no joining rule"), ()
        if not self.members:
            return self.not_measured(m, _NO_MEMBERS), ()
        if not self.tagged:
            return self.not_measured(m, _NO_TAGS), ()
        out = self.sums.failing
        fit = self.members - len(out)
        why = f"{_share(fit, self.members)} members satisfy {rule}"
        return Reading(m, fit / self.members, self.target(m), why), out

    def structure_norms(self) -> Reading:
        m = Measure.STRUCTURE_NORMS
        count = len(self.charter.norms)
        why = f"the charter declares {_plural(count, 'norm')}"
        return Reading(m, float(count), self.target(m), why)

    def structure_complaints(self) -> Reading:
        m = Measure.STRUCTURE_COMPLAINTS
        if not self.members:
            return self.not_measured(m, _NO_MEMBERS)
        if (missing := self.unrecorded(m, InteractionKind.COMPLAINT)) is not None:
            return missing
        count = self.sums.complaints
        why = f"{_plural(count, 'complaint')} in the window for {self.members:,} members"
        return Reading(m, count / self.members, self.target(m), why)

    # -- Output ----------------------------------------------------------------------------------

    def output_cadence(self) -> Reading:
        m = Measure.OUTPUT_CADENCE
        return self.cadence(m, self.charter.content_cadence, "content", "item")

    def cadence(self, m: Measure, cadence: Cadence | None, what: str, noun: str) -> Reading:
        """Return how many items (or rituals) per week were published, against ``cadence``."""
        if cadence is None:
            return Reading(m, None, None, f"the charter declares no {what} cadence")
        if self.activities is None:
            return Reading(m, None, cadence.per_week, _NO_ACTIVITIES)
        ritual = m is Measure.OPERATE_RITUALS
        kind = ActivityKind.EVENT_HELD if ritual else ActivityKind.CONTENT_PUBLISHED
        count = len(self.published(kind, ritual=ritual))
        why = f"{_plural(count, noun)} in {self.weeks:.1f} weeks; the charter asks {cadence}"
        return Reading(m, count / self.weeks, cadence.per_week, why)

    def output_regularity(self) -> Reading:
        m = Measure.OUTPUT_REGULARITY
        if self.activities is None:
            return self.not_measured(m, _NO_ACTIVITIES)
        times = [to_micros(a.at) for a in self.published(ActivityKind.CONTENT_PUBLISHED)]
        if len(times) < 2:
            return self.not_measured(m, "fewer than 2 items published in the window")
        gaps = np.diff(np.array([self.start, *times, self.end], dtype=np.int64)).astype(np.float64)
        cv = float(gaps.std() / gaps.mean())
        days = gaps / 86_400_000_000
        why = (
            f"{len(times)} items; gaps (window edges included) of "
            f"{days.min():.1f} to {days.max():.1f} days"
        )
        return Reading(m, cv, self.target(m), why)

    def output_reach(self) -> Reading:
        m = Measure.OUTPUT_REACH
        if self.activities is None:
            return self.not_measured(m, _NO_ACTIVITIES)
        content = self.published(ActivityKind.CONTENT_PUBLISHED)
        if not content:
            return self.not_measured(m, "no content published in the window")
        if not self.members:
            return self.not_measured(m, _NO_MEMBERS)
        if not self.sums.named_views:
            return self.not_measured(m, "no content view in the window names its content")
        items = {a.content_id for a in content}  # an item published twice counts once
        count = self.sums.reach
        why = (
            f"{_plural(count, 'member view')} of the {_plural(len(items), 'item')} "
            f"published, for {self.members:,} members"
        )
        return Reading(m, count / (len(items) * self.members), self.target(m), why)

    # -- Operate ---------------------------------------------------------------------------------

    def operate_rituals(self) -> Reading:
        return self.cadence(
            Measure.OPERATE_RITUALS, self.charter.ritual_cadence, "ritual", "ritual"
        )

    def operate_attendance(self) -> Reading:
        m = Measure.OPERATE_ATTENDANCE
        if self.activities is None:
            return self.not_measured(m, _NO_ACTIVITIES)
        rituals = self.published(ActivityKind.EVENT_HELD, ritual=True)
        if not rituals:
            return self.not_measured(m, "no ritual held in the window")
        if not self.members:
            return self.not_measured(m, _NO_MEMBERS)
        attended = self.sums.attended
        why = (
            f"{_plural(attended, 'member attendance')} at {_plural(len(rituals), 'ritual')}, "
            f"for {self.members:,} members"
        )
        return Reading(m, attended / (len(rituals) * self.members), self.target(m), why)

    def operate_participation(self) -> Reading:
        m = Measure.OPERATE_PARTICIPATION
        if not self.members:
            return self.not_measured(m, _NO_MEMBERS)
        active = self.sums.active
        why = f"{_share(active, self.members)} members interacted on their own"
        return Reading(m, active / self.members, self.target(m), why)

    def operate_roles(self) -> Reading:
        m = Measure.OPERATE_ROLES
        if not self.members:
            return self.not_measured(m, _NO_MEMBERS)
        advocates = self.sums.advocates
        roles = len(self.charter.operators) + advocates
        why = (
            f"{_plural(len(self.charter.operators), 'operator')} and "
            f"{_plural(advocates, 'advocate')} for {self.members:,} members"
        )
        return Reading(m, 100.0 * roles / self.members, self.target(m), why)

    def operate_reply_hours(self) -> Reading:
        m = Measure.OPERATE_REPLY_HOURS
        inbound = self.sums.inbound
        if not inbound:
            return self.not_measured(m, "no inbound message from a member in the window")
        if not self.sums.outbound:
            return self.not_measured(m, "no operator message in the window: replies unrecorded")
        hours = self.sums.median_wait() / _HOUR_US
        why = (
            f"median over {_plural(inbound, 'inbound message')}, "
            f"{self.sums.waiting:,} still unanswered (counted as waiting until as_of)"
        )
        return Reading(m, hours, self.target(m), why)

    def operate_retention(self) -> Reading:
        m = Measure.OPERATE_RETENTION
        if (missing := self.unrecorded(m, InteractionKind.CHURN)) is not None:
            return missing
        then = self.end - to_micros(self.policy.retention_period)
        if then < MIN_TIME:
            return self.not_measured(m, "the retention period reaches before 1900")
        count = self.sums.then_members
        if not count:
            return self.not_measured(m, f"no members on {from_micros(then):%Y-%m-%d}")
        kept = self.sums.kept
        why = f"{_share(kept, count)} members of {from_micros(then):%Y-%m-%d} are still members"
        return Reading(m, kept / count, self.target(m), why)

    def operate_peer_share(self) -> Reading:
        m = Measure.OPERATE_PEER_SHARE
        own = self.sums.own
        if not own:
            return self.not_measured(m, "no member interactions in the window")
        peer = self.sums.peer
        why = f"{_share(peer, own)} member interactions were member-to-member"
        return Reading(m, peer / own, self.target(m), why)

    # -- Copy ------------------------------------------------------------------------------------

    def copy_capacity(self) -> Reading:
        m = Measure.COPY_CAPACITY
        operators = len(self.charter.operators)
        capacity = float(self.charter.operator_capacity)
        if not operators:
            return Reading(m, None, capacity, "the charter names no operators")
        why = f"{self.members:,} members for {_plural(operators, 'operator')}"
        return Reading(m, self.members / operators, capacity, why)
