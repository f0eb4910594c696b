"""What a health report reads from an EventTable: members, the window's rows, and their sums.

:class:`HealthFacts` finds a table's members at ``as_of`` and its rows in the window, and
:meth:`HealthFacts.sums` turns them into the :class:`~custpool._health.sums.HealthSums` every
measure is read from (:mod:`custpool._health.readings`). A table that is one part of a pool split
by customer gives its owned customers' sums (``owned=``); the parts' sums add up to the whole's.
"""

from __future__ import annotations

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
from custpool._health.readings import Readings, published
from custpool._health.sums import HealthSums, wait_buckets, waits_between
from custpool._model import ActivityKind, Direction, InteractionKind
from custpool._tiers import State
from custpool._time import to_micros

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from numpy.typing import NDArray

    from custpool._engine import CustomerTags, EventTable
    from custpool._health.measures import Measure
    from custpool._health.policy import HealthPolicy
    from custpool._model import PoolActivity, PoolCharter

__all__ = ["HealthFacts"]

_INBOUND: Final = DIRECTIONS.index(Direction.INBOUND)
_PEER: Final = DIRECTIONS.index(Direction.PEER)
_MESSAGE: Final = KIND_CODE[InteractionKind.MESSAGE]
_COMPLAINT: Final = KIND_CODE[InteractionKind.COMPLAINT]
_VIEW: Final = KIND_CODE[InteractionKind.CONTENT_VIEW]
_ATTEND: Final = KIND_CODE[InteractionKind.EVENT_ATTEND]
_MEMBER_STATES: Final = tuple(s.code for s in State if s not in (State.PROSPECT, State.CHURNED))
_DEEP_STATES: Final = (State.ENGAGED.code, State.CONVERTED.code, State.ADVOCATE.code)


class HealthFacts:
    """Everything the measures read from a table, found once per report: members, window rows.

    Parameters
    ----------
    table, charter, as_of, policy, tags, activities
        As :func:`~custpool.score_health` received them (validated there).
    kinds
        The table's per-kind rows, when already found (a trend shares them).
    recorded
        The kinds the data records (all of them by default).
    owned
        One flag per customer of ``table``: the customers whose facts count (all by default).
        A part of a pool split by customer owns its home customers only.
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
        owned: NDArray[np.bool_] | None = None,
    ) -> None:
        self.table = table
        self.charter = charter
        self.policy = policy
        self.tags = tags
        self.activities = activities
        self.kinds = KindRows(table) if kinds is None else kinds
        self.recorded = frozenset(InteractionKind) if recorded is None else recorded
        self.owned = np.ones(table.n_customers, dtype=np.bool_) if owned is None else owned
        self.end = to_micros(as_of)
        self.start = self.end - to_micros(policy.window)
        self.state = classify_table(table, policy.tiers, as_of).state
        self.member = np.isin(self.state, _MEMBER_STATES) & self.owned
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

    @cached_property
    def own_counts(self) -> NDArray[np.intp]:
        """Members' own interactions in the window, per customer."""
        return np.bincount(self.customer[self.own], minlength=self.table.n_customers)

    @cached_property
    def active(self) -> int:
        """Members with an interaction of their own in the window."""
        return int(np.count_nonzero(self.own_counts))

    @cached_property
    def readings(self) -> Readings:
        """Every measure's reading from these facts alone (the tags given or not)."""
        return Readings(
            self.sums,
            self.charter,
            self.policy,
            self.activities,
            start=self.start,
            end=self.end,
            recorded=self.recorded,
            tagged=self.tags is not None,
        )

    @cached_property
    def sums(self) -> HealthSums:
        """The facts every measure reads: :attr:`bucketed`, with the middle waits' values."""
        bucketed = self.bucketed
        return bucketed.with_waits(*waits_between(self.waits, bucketed.median_buckets()))

    @cached_property
    def bucketed(self) -> HealthSums:
        """The facts every measure reads, as counts and histograms that add up.

        Without the waits' values: a table split by customer adds up its parts' buckets of
        waits first, then asks each part for the waits of the middle buckets only
        (:func:`~custpool._health.sums.waits_between` of :attr:`waits`).
        """
        owned = self.owned
        own = int(np.count_nonzero(self.own))
        inbound, outbound, waiting = self._messages
        then_members, kept = self._retention()
        no_waits = np.zeros(0, dtype=np.int64)
        return HealthSums(
            members=self.members,
            deep=int(np.count_nonzero(np.isin(self.state, _DEEP_STATES) & owned)),
            advocates=int(np.count_nonzero((self.state == State.ADVOCATE.code) & owned)),
            sharing=self._sharing(),
            failing=self._failing(),
            spread=np.bincount(self.own_counts[self.own_counts > 0]).astype(np.int64),
            own=own,
            peer=int(np.count_nonzero(self.own & (self.direction == _PEER))),
            channels=np.bincount(self.channel[self.own], minlength=len(CHANNELS)).astype(np.int64),
            complaints=int(np.count_nonzero(self.kind == _COMPLAINT)),
            named_views=int(np.count_nonzero((self.kind == _VIEW) & (self.item >= 0))),
            reach=self._reach(),
            attended=self._attended(),
            inbound=inbound,
            outbound=outbound,
            waiting=waiting,
            wait_buckets=wait_buckets(self.waits),
            waits=no_waits,
            wait_counts=no_waits,
            then_members=then_members,
            kept=kept,
            kinds=np.bincount(self.table.kind, minlength=len(InteractionKind)).astype(np.int64),
        )

    def _sharing(self) -> int:
        if self.tags is None or not self.charter.interests:
            return 0
        return int(np.count_nonzero(self.tags.has_any(self.charter.interests) & self.member))

    def _failing(self) -> tuple[str, ...]:
        rule = self.charter.joining_rule
        if self.tags is None or rule is None:
            return ()
        failing = self.member & ~self.tags.matches(rule)
        ids = self.table.customer_ids
        return tuple(ids[int(c)] for c in np.flatnonzero(failing))

    def item_codes(self, ids: Sequence[str | None]) -> NDArray[np.bool_]:
        """Return a lookup over the table's item codes, shifted by one (code -1 is index 0)."""
        items = self.table.item_ids  # its id -> index lookup is built once and kept
        lookup = np.zeros(len(items) + 1, dtype=np.bool_)
        for item in ids:
            if item is not None and item in items:
                lookup[items.index(item) + 1] = True
        return lookup

    def _reach(self) -> int:
        """Members' views in the window of the content published in the window."""
        content = published(self.activities, ActivityKind.CONTENT_PUBLISHED, self.start, self.end)
        items = {a.content_id for a in content}
        lookup = self.item_codes(sorted(i for i in items if i is not None))
        views = self.kind == _VIEW
        return int(np.count_nonzero(views & self.by_member & lookup[self.item + 1]))

    def _attended(self) -> int:
        """Distinct (member, ritual) attendances in the window, of the rituals held in it."""
        kind = ActivityKind.EVENT_HELD
        rituals = published(self.activities, kind, self.start, self.end, ritual=True)
        lookup = self.item_codes([a.event_id for a in rituals])
        rows = (self.kind == _ATTEND) & self.by_member & lookup[self.item + 1]
        width = np.int64(len(self.table.item_ids))
        pairs = self.customer[rows].astype(np.int64) * width + self.item[rows]
        return int(np.unique(pairs).shape[0])

    @cached_property
    def _replies(self) -> tuple[NDArray[np.int64], int, int]:
        """Members' inbound messages' waits for a reply, operator messages, the unanswered."""
        message = self.kind == _MESSAGE
        inbound = np.flatnonzero(message & (self.direction == _INBOUND) & self.by_member)
        outbound = np.flatnonzero(message & (self.direction == OUTBOUND))
        answered = np.zeros(inbound.shape[0], dtype=np.bool_)
        replied = np.full(inbound.shape[0], self.end, dtype=np.int64)
        if inbound.shape[0] and outbound.shape[0]:
            # Rows are sorted by customer, then time: the first operator message at or after an
            # inbound one's instant is its reply if it is to the same customer, else there is
            # none. Searching from the first row of the inbound row's (customer, instant) run
            # makes a same-instant reply count as 0 h whatever the tie-break order.
            after = np.searchsorted(outbound, self.run_start[inbound], side="left")
            reply = outbound[np.minimum(after, outbound.shape[0] - 1)]
            answered = (after < outbound.shape[0]) & (
                self.customer[reply] == self.customer[inbound]
            )
            replied = np.where(answered, self.time[reply], self.end)
        waits = (replied - self.time[inbound]).astype(np.int64)
        return waits, int(outbound.shape[0]), int(inbound.shape[0] - np.count_nonzero(answered))

    @property
    def waits(self) -> NDArray[np.int64]:
        """Each of members' inbound messages' wait for a reply, in microseconds (not negative).

        Until the reply, or until ``as_of`` when unanswered.
        """
        return self._replies[0]

    @property
    def _messages(self) -> tuple[int, int, int]:
        """Members' inbound messages, operator messages, and the unanswered, in the window."""
        waits, outbound, waiting = self._replies
        return int(waits.shape[0]), outbound, waiting

    @cached_property
    def run_start(self) -> NDArray[np.intp]:
        """For each window row, the position of the first row of its (customer, instant) run."""
        n = self.customer.shape[0]
        new = run_starts(self.customer)
        new |= run_starts(self.time)
        positions = np.where(new, np.arange(n), 0)
        return np.maximum.accumulate(positions) if n else positions

    def _retention(self) -> tuple[int, int]:
        """Return the members of one retention period ago, and how many are members still."""
        then = self.end - to_micros(self.policy.retention_period)
        if then < MIN_TIME:
            return 0, 0
        before = self.kinds.connected_at(then) & self.owned
        return int(np.count_nonzero(before)), int(np.count_nonzero(before & self.member))
