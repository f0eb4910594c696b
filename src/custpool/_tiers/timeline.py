"""One customer's history as sorted time columns, and the tier criteria at any instant.

This is the single evaluation of the criteria that :func:`~custpool.classify` and the
relationship machine's replay both use. Times are integer microseconds since the Unix epoch
(UTC), so windows are exact integer comparisons; every query is a binary search, O(log n).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from custpool._errors import ValidationError, WrongTypeError
from custpool._model import ComplaintReason, Interaction, InteractionKind
from custpool._tiers.stages import Stage, State
from custpool._time import to_micros

if TYPE_CHECKING:
    from collections.abc import Iterable

    from custpool._tiers.policy import Policy

__all__ = ["Facts", "Timeline"]

_REASONS: Final = tuple(ComplaintReason)


@dataclass(frozen=True, slots=True)
class Facts:
    """The criteria at one instant, with their evidence (times in microseconds)."""

    connected: bool
    churned: bool
    ever_connected: bool
    engage_score: int
    engage_count: int
    purchases: int
    referrals: int
    latest_nps: int | None
    nps_ok: bool
    dormant: bool
    met: dict[Stage, bool]


def _tie_key(item: Interaction) -> int | None:
    """Return what orders an NPS answer or a complaint among rows at its instant (else None).

    NPS: the score. COMPLAINT: the negated reason code, so that at one instant the first
    reason in :class:`ComplaintReason`'s order sorts last and is "the latest", as
    ``classify_table`` picks it.
    """
    if item.kind is InteractionKind.NPS:
        return item.score
    if item.kind is InteractionKind.COMPLAINT:
        return -_REASONS.index(item.complaint_reason or ComplaintReason.OTHER)
    return None


def _count(times: list[int], start: int, end: int) -> int:
    """Count the times in the half-open window (start, end]."""
    return bisect_right(times, end) - bisect_right(times, start)


def _last(times: list[int], end: int) -> int | None:
    i = bisect_right(times, end)
    return times[i - 1] if i else None


class Timeline:
    """A customer's interactions as sorted columns, independent of the input order.

    Parameters
    ----------
    history
        Interactions of one customer, in any order.
    policy
        The tier policy (windows, weights, paradigm).

    Raises
    ------
    custpool.ValidationError
        If the history mixes customers or holds something that is not an ``Interaction``.
    """

    __slots__ = (
        "_active",
        "_active_prefix",
        "_churns",
        "_complaint_reasons",
        "_complaints",
        "_connects",
        "_ladder",
        "_nps_scores",
        "_nps_times",
        "_purchases",
        "_referrals",
        "_threshold",
        "customer_id",
        "policy",
        "windows",
    )

    def __init__(self, history: Iterable[Interaction], policy: Policy) -> None:
        self.policy = policy
        self.customer_id: str | None = None
        weights = policy.scaled_weights()
        active: list[tuple[int, int]] = []
        columns: dict[InteractionKind, list[int]] = {
            k: []
            for k in (
                InteractionKind.CONNECT,
                InteractionKind.CHURN,
                InteractionKind.PURCHASE,
                InteractionKind.REFERRAL,
            )
        }
        keyed: dict[InteractionKind, list[tuple[int, int, str]]] = {
            InteractionKind.NPS: [],
            InteractionKind.COMPLAINT: [],
        }
        for position, item in enumerate(history):
            if not isinstance(item, Interaction):
                raise WrongTypeError(f"history[{position}]", item, "must be an Interaction")
            if self.customer_id is None:
                self.customer_id = item.customer_id
            elif item.customer_id != self.customer_id:
                raise ValidationError(
                    f"history[{position}].customer_id",
                    item.customer_id,
                    f"a history is one customer's; this one started with {self.customer_id!r}",
                )
            t = to_micros(item.at)
            if item.kind in columns:
                columns[item.kind].append(t)
            key = _tie_key(item)
            if key is not None:
                keyed[item.kind].append((t, key, item.id))
            if item.direction.customer_initiated:
                active.append((t, weights[item.kind]))
        for times in columns.values():
            times.sort()
        self._connects = columns[InteractionKind.CONNECT]
        self._churns = columns[InteractionKind.CHURN]
        self._purchases = columns[InteractionKind.PURCHASE]
        self._referrals = columns[InteractionKind.REFERRAL]
        complaints = sorted(keyed[InteractionKind.COMPLAINT])
        self._complaints = [t for t, _, _ in complaints]
        self._complaint_reasons = [_REASONS[-code] for _, code, _ in complaints]
        active.sort()
        self._active = [t for t, _ in active]
        prefix = [0]
        for _, weight in active:
            prefix.append(prefix[-1] + weight)
        self._active_prefix = prefix
        # By time, then score, as the EventTable orders same-instant rows by their content: the
        # "latest" answer is the same whatever the input order, here and in classify_table.
        nps = sorted(keyed[InteractionKind.NPS])
        self._nps_times = [t for t, _, _ in nps]
        self._nps_scores = [s for _, s, _ in nps]
        self._ladder = policy.paradigm.stages[1:]
        self._threshold = policy.scaled_threshold
        self.windows = {
            "engage": to_micros(policy.engage_window),
            "convert": to_micros(policy.convert_window),
            "advocate": to_micros(policy.advocate_window),
            "dormant": to_micros(policy.dormant_after),
        }

    # -- evidence -----------------------------------------------------------------------------

    def last_connect(self, t: int) -> int | None:
        """Return the latest CONNECT at or before ``t``."""
        return _last(self._connects, t)

    def last_churn(self, t: int) -> int | None:
        """Return the latest CHURN at or before ``t``."""
        return _last(self._churns, t)

    def last_active(self, t: int) -> int | None:
        """Return the latest customer-initiated interaction at or before ``t``."""
        return _last(self._active, t)

    def last_purchase(self, t: int) -> int | None:
        """Return the latest PURCHASE at or before ``t``."""
        return _last(self._purchases, t)

    def last_referral(self, t: int) -> int | None:
        """Return the latest REFERRAL at or before ``t``."""
        return _last(self._referrals, t)

    def last_complaint(self, t: int) -> int | None:
        """Return the latest COMPLAINT at or before ``t``."""
        return _last(self._complaints, t)

    def last_complaint_reason(self, t: int) -> ComplaintReason | None:
        """Return the reason of the latest COMPLAINT at or before ``t``.

        Of several complaints at that instant, the first reason in :class:`ComplaintReason`'s
        order (service, quality, price, logistics, other): the same answer whatever the input
        order, here and in ``classify_table``.
        """
        i = bisect_right(self._complaints, t)
        return self._complaint_reasons[i - 1] if i else None

    def connect_count(self, t: int) -> int:
        """Count the CONNECTs at or before ``t``."""
        return bisect_right(self._connects, t)

    # -- criteria -----------------------------------------------------------------------------

    def facts(self, t: int) -> Facts:
        """Evaluate every criterion at instant ``t`` (microseconds)."""
        w = self.windows
        last_connect = self.last_connect(t)
        last_churn = self.last_churn(t)
        churned = last_connect is not None and last_churn is not None and last_churn >= last_connect
        connected = last_connect is not None and not churned
        lo = bisect_right(self._active, t - w["engage"])
        hi = bisect_right(self._active, t)
        score = self._active_prefix[hi] - self._active_prefix[lo]
        purchases = _count(self._purchases, t - w["convert"], t)
        referrals = _count(self._referrals, t - w["advocate"], t)
        latest_nps = None
        i = bisect_right(self._nps_times, t)
        if i and self._nps_times[i - 1] > t - w["advocate"]:
            latest_nps = self._nps_scores[i - 1]
        minimum = self.policy.advocate_min_nps
        nps_ok = minimum is None or (latest_nps is not None and latest_nps >= minimum)
        dormant = (
            connected
            and last_connect is not None
            and last_connect <= t - w["dormant"]
            and _count(self._active, t - w["dormant"], t) == 0
        )
        met = {
            Stage.CONNECTED: connected,
            Stage.ENGAGED: score >= self.policy.scaled_threshold,
            Stage.CONVERTED: purchases > 0,
            Stage.ADVOCATE: referrals > 0 and nps_ok,
        }
        return Facts(
            connected=connected,
            churned=churned,
            ever_connected=last_connect is not None,
            engage_score=score,
            engage_count=hi - lo,
            purchases=purchases,
            referrals=referrals,
            latest_nps=latest_nps,
            nps_ok=nps_ok,
            dormant=dormant,
            met=met,
        )

    def cumulative_stage(self, met: dict[Stage, bool]) -> Stage | None:
        """Return the furthest stage that holds with every stage before it."""
        reached: Stage | None = None
        for stage in self.policy.paradigm.stages:
            if not met[stage]:
                break
            reached = stage
        return reached

    def state(self, t: int) -> State:
        """Return the customer's state at instant ``t`` (lean: evaluates only what decides it)."""
        connects = self._connects
        i = bisect_right(connects, t)
        if not i:
            return State.PROSPECT
        last_connect = connects[i - 1]
        j = bisect_right(self._churns, t)
        if j and self._churns[j - 1] >= last_connect:
            return State.CHURNED
        w = self.windows
        active = self._active
        hi = bisect_right(active, t)
        if last_connect <= t - w["dormant"] and not (hi and active[hi - 1] > t - w["dormant"]):
            return State.DORMANT
        reached = State.CONNECTED
        for stage in self._ladder:
            if not self._holds(stage, t, hi):
                break
            reached = stage.state
        return reached

    def _holds(self, stage: Stage, t: int, hi: int) -> bool:
        w = self.windows
        if stage is Stage.ENGAGED:
            lo = bisect_right(self._active, t - w["engage"])
            return self._active_prefix[hi] - self._active_prefix[lo] >= self._threshold
        if stage is Stage.CONVERTED:
            return _count(self._purchases, t - w["convert"], t) > 0
        if _count(self._referrals, t - w["advocate"], t) == 0:
            return False
        minimum = self.policy.advocate_min_nps
        if minimum is None:
            return True
        k = bisect_right(self._nps_times, t)
        return (
            bool(k)
            and self._nps_times[k - 1] > t - w["advocate"]
            and (self._nps_scores[k - 1] >= minimum)
        )

    def change_points(self, until: int) -> list[int]:
        """Return every instant at or before ``until`` where the state may change, ascending.

        The state is constant between consecutive points: criteria change only when an event
        happens or leaves a window (``event + window``), or when a connection's grace period
        before dormancy ends.
        """
        w = self.windows
        points: set[int] = set()
        points.update(self._connects, self._churns, self._purchases, self._referrals)
        points.update(self._nps_times)
        points.update(t + w["dormant"] for t in self._connects)
        for t in self._active:
            points.add(t)
            points.add(t + w["engage"])
            points.add(t + w["dormant"])
        points.update(t + w["convert"] for t in self._purchases)
        points.update(t + w["advocate"] for t in self._referrals)
        points.update(t + w["advocate"] for t in self._nps_times)
        return sorted(p for p in points if p <= until)

    def since(self, t: int, state: State) -> int | None:
        """Return when the customer entered ``state`` (its state at ``t``); None if always."""
        points = self.change_points(t)
        for point in reversed(points):
            if self.state(point - 1) is not state:
                return point
        return None
