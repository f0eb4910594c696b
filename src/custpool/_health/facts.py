"""The raw values of the health measures, read from an EventTable, the charter and activities.

Every measure is a :class:`Reading`: a raw value (None when the data cannot tell), its target
and a one-line explanation. Scoring and averaging happen in :mod:`custpool._health.score`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Final

import numpy as np

from custpool._engine import (
    CHANNELS,
    DIRECTIONS,
    KIND_CODE,
    MIN_TIME,
    OUTBOUND,
    KindRows,
    classify_table,
    in_window,
    run_starts,
)
from custpool._health.measures import Measure
from custpool._model import ActivityKind, Direction, InteractionKind, Tag, TagGroup
from custpool._tiers import State
from custpool._time import from_micros, to_micros

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from numpy.typing import NDArray

    from custpool._engine import CustomerTags, EventTable
    from custpool._health.policy import HealthPolicy
    from custpool._model import Cadence, PoolActivity, PoolCharter

__all__ = ["HealthFacts", "Reading"]

_HOUR_US: Final = 3_600_000_000
_WEEK_US: Final = 7 * 86_400_000_000
_INBOUND: Final = DIRECTIONS.index(Direction.INBOUND)
_PEER: Final = DIRECTIONS.index(Direction.PEER)
_MESSAGE: Final = KIND_CODE[InteractionKind.MESSAGE]
_COMPLAINT: Final = KIND_CODE[InteractionKind.COMPLAINT]
_VIEW: Final = KIND_CODE[InteractionKind.CONTENT_VIEW]
_ATTEND: Final = KIND_CODE[InteractionKind.EVENT_ATTEND]
_MEMBER_STATES: Final = tuple(s.code for s in State if s not in (State.PROSPECT, State.CHURNED))
_DEEP_STATES: Final = (State.ENGAGED.code, State.CONVERTED.code, State.ADVOCATE.code)
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


class HealthFacts:
    """Everything the measures read, computed once per report: members, window rows, activities.

    Parameters
    ----------
    table, charter, as_of, policy, tags, activities
        As :func:`~custpool.score_health` received them (validated there).
    """

    def __init__(  # noqa: PLR0913 - the inputs of one report
        self,
        table: EventTable,
        charter: PoolCharter,
        as_of: datetime,
        policy: HealthPolicy,
        *,
        tags: CustomerTags | None,
        activities: Sequence[PoolActivity] | None,
        kinds: KindRows | None = None,
        recorded: frozenset[InteractionKind] | None = None,
    ) -> None:
        self.table = table
        self.charter = charter
        self.policy = policy
        self.tags = tags
        self.activities = activities
        self.kinds = KindRows(table) if kinds is None else kinds
        self.recorded = frozenset(InteractionKind) if recorded is None else recorded
        self.end = to_micros(as_of)
        self.start = self.end - to_micros(policy.window)
        self.weeks = (self.end - self.start) / _WEEK_US
        self.state = classify_table(table, policy.tiers, as_of).state
        self.member = np.isin(self.state, _MEMBER_STATES)
        self.members = int(np.count_nonzero(self.member))
        time = table.time
        rows = np.flatnonzero(in_window(time, self.start, self.end))
        self.customer = table.customer[rows]
        self.time = time[rows]
        self.kind = table.kind[rows]
        self.direction = table.direction[rows]
        self.channel = table.channel[rows]
        self.item = table.item[rows]
        self.by_member = self.member[self.customer]
        # members' own rows in the window: where they took part (joining and leaving are not)
        self.own = table.takes_part()[rows] & self.by_member

    def target(self, measure: Measure) -> float | None:
        """Return the policy's target of a measure."""
        return self.policy.target_of(measure)

    def not_measured(self, measure: Measure, why: str) -> Reading:
        """Return a reading without data."""
        return Reading(measure, None, self.target(measure), why)

    @cached_property
    def own_counts(self) -> NDArray[np.intp]:
        """Members' own interactions in the window, per customer."""
        return np.bincount(self.customer[self.own], minlength=self.table.n_customers)

    @cached_property
    def active(self) -> int:
        """Members with an interaction of their own in the window."""
        return int(np.count_nonzero(self.own_counts))

    def published(self, kind: ActivityKind, *, ritual: bool = False) -> list[PoolActivity]:
        """Activities of ``kind`` in the window, in time order (rituals only, if asked)."""
        chosen = [
            a
            for a in self.activities or ()
            if a.kind is kind
            and self.start < to_micros(a.at) <= self.end
            and (a.ritual or not ritual)
        ]
        return sorted(chosen, key=lambda a: (a.at, a.id))

    def item_codes(self, ids: Sequence[str | None]) -> NDArray[np.bool_]:
        """Return a lookup over the table's item codes, shifted by one (code -1 is index 0)."""
        items = self.table.item_ids  # its id -> index lookup is built once and kept
        lookup = np.zeros(len(items) + 1, dtype=np.bool_)
        for item in ids:
            if item is not None and item in items:
                lookup[items.index(item) + 1] = True
        return lookup

    # -- Interest --------------------------------------------------------------------------------

    def interest_members(self) -> Reading:
        m = Measure.INTEREST_MEMBERS
        if self.tags is None:
            return self.not_measured(m, _NO_TAGS)
        if not self.members:
            return self.not_measured(m, _NO_MEMBERS)
        if not self.charter.interests:
            return Reading(m, 0.0, self.target(m), "the charter declares no shared interest")
        sharing = int(np.count_nonzero(self.tags.has_any(self.charter.interests) & self.member))
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
        deep = int(np.count_nonzero(np.isin(self.state, _DEEP_STATES)))
        why = f"{_share(deep, self.members)} members are engaged, converted or advocates"
        return Reading(m, deep / self.members, self.target(m), why)

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

    def structure_advocates(self) -> Reading:
        m = Measure.STRUCTURE_ADVOCATES
        if not self.members:
            return self.not_measured(m, _NO_MEMBERS)
        needs = [InteractionKind.REFERRAL]
        if self.policy.tiers.advocate_min_nps is not None:
            needs.append(InteractionKind.NPS)
        if (missing := self.unrecorded(m, *needs)) is not None:
            return missing
        why = f"{_share(self.advocates, self.members)} members are advocates"
        return Reading(m, self.advocates / self.members, self.target(m), why)

    @cached_property
    def advocates(self) -> int:
        return int(np.count_nonzero(self.state == State.ADVOCATE.code))

    def structure_spread(self) -> Reading:
        m = Measure.STRUCTURE_SPREAD
        counts = self.own_counts[self.own_counts > 0]
        if counts.shape[0] == 0:
            return self.not_measured(m, "no member interactions in the window")
        ranked = np.sort(counts)[::-1]
        total = int(ranked.sum())
        fewest = int(np.searchsorted(2 * np.cumsum(ranked), total, side="left")) + 1
        why = (
            f"{_plural(fewest, 'member')} of {self.active:,} active made half of "
            f"the {total:,} member interactions"
        )
        return Reading(m, 100.0 * fewest / self.active, self.target(m), why)

    def structure_platforms(self) -> Reading:
        m = Measure.STRUCTURE_PLATFORMS
        declared = self.charter.platforms
        if not declared:
            return self.not_measured(m, "the charter declares no platforms")
        if not self.members:
            return self.not_measured(m, _NO_MEMBERS)
        used_codes = set(np.unique(self.channel[self.own]).tolist())
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
        if self.tags is None:
            return self.not_measured(m, _NO_TAGS), ()
        failing = self.member & ~self.tags.matches(rule)
        ids = self.table.customer_ids
        out = tuple(ids[int(c)] for c in np.flatnonzero(failing))
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
        count = int(np.count_nonzero(self.kind == _COMPLAINT))
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
        views = self.kind == _VIEW
        if not np.any(views & (self.item >= 0)):
            return self.not_measured(m, "no content view in the window names its content")
        items = {a.content_id for a in content}  # an item published twice counts once
        lookup = self.item_codes(sorted(i for i in items if i is not None))
        count = int(np.count_nonzero(views & self.by_member & lookup[self.item + 1]))
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
        lookup = self.item_codes([a.event_id for a in rituals])
        rows = (self.kind == _ATTEND) & self.by_member & lookup[self.item + 1]
        width = np.int64(len(self.table.item_ids))
        pairs = self.customer[rows].astype(np.int64) * width + self.item[rows]
        attended = int(np.unique(pairs).shape[0])
        why = (
            f"{_plural(attended, 'member attendance')} at {_plural(len(rituals), 'ritual')}, "
            f"for {self.members:,} members"
        )
        return Reading(m, attended / (len(rituals) * self.members), self.target(m), why)

    def operate_participation(self) -> Reading:
        m = Measure.OPERATE_PARTICIPATION
        if not self.members:
            return self.not_measured(m, _NO_MEMBERS)
        why = f"{_share(self.active, self.members)} members interacted on their own"
        return Reading(m, self.active / self.members, self.target(m), why)

    def operate_roles(self) -> Reading:
        m = Measure.OPERATE_ROLES
        if not self.members:
            return self.not_measured(m, _NO_MEMBERS)
        roles = len(self.charter.operators) + self.advocates
        why = (
            f"{_plural(len(self.charter.operators), 'operator')} and "
            f"{_plural(self.advocates, 'advocate')} for {self.members:,} members"
        )
        return Reading(m, 100.0 * roles / self.members, self.target(m), why)

    def operate_reply_hours(self) -> Reading:
        m = Measure.OPERATE_REPLY_HOURS
        message = self.kind == _MESSAGE
        inbound = np.flatnonzero(message & (self.direction == _INBOUND) & self.by_member)
        if inbound.shape[0] == 0:
            return self.not_measured(m, "no inbound message from a member in the window")
        outbound = np.flatnonzero(message & (self.direction == OUTBOUND))
        if outbound.shape[0] == 0:
            return self.not_measured(m, "no operator message in the window: replies unrecorded")
        # Rows are sorted by customer, then time: the first operator message at or after an
        # inbound one's instant is its reply if it is to the same customer, else there is none.
        # Searching from the first row of the inbound row's (customer, instant) run makes a
        # same-instant reply count as 0 h whatever the tie-break order.
        after = np.searchsorted(outbound, self.run_start[inbound], side="left")
        reply = outbound[np.minimum(after, outbound.shape[0] - 1)]
        answered = (after < outbound.shape[0]) & (self.customer[reply] == self.customer[inbound])
        reply_time = np.where(answered, self.time[reply], self.end)
        hours = float(np.median(reply_time - self.time[inbound])) / _HOUR_US
        waiting = int(inbound.shape[0] - np.count_nonzero(answered))
        why = (
            f"median over {_plural(int(inbound.shape[0]), 'inbound message')}, "
            f"{waiting:,} still unanswered (counted as waiting until as_of)"
        )
        return Reading(m, hours, self.target(m), why)

    @cached_property
    def run_start(self) -> NDArray[np.intp]:
        """For each window row, the position of the first row of its (customer, instant) run."""
        n = self.customer.shape[0]
        new = run_starts(self.customer)
        new |= run_starts(self.time)
        positions = np.where(new, np.arange(n), 0)
        return np.maximum.accumulate(positions) if n else positions

    def operate_retention(self) -> Reading:
        m = Measure.OPERATE_RETENTION
        if (missing := self.unrecorded(m, InteractionKind.CHURN)) is not None:
            return missing
        then = self.end - to_micros(self.policy.retention_period)
        if then < MIN_TIME:
            return self.not_measured(m, "the retention period reaches before 1900")
        before = self.kinds.connected_at(then)
        count = int(np.count_nonzero(before))
        if not count:
            return self.not_measured(m, f"no members on {from_micros(then):%Y-%m-%d}")
        kept = int(np.count_nonzero(before & self.member))
        why = f"{_share(kept, count)} members of {from_micros(then):%Y-%m-%d} are still members"
        return Reading(m, kept / count, self.target(m), why)

    def operate_peer_share(self) -> Reading:
        m = Measure.OPERATE_PEER_SHARE
        own = int(np.count_nonzero(self.own))
        if not own:
            return self.not_measured(m, "no member interactions in the window")
        peer = int(np.count_nonzero(self.own & (self.direction == _PEER)))
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
