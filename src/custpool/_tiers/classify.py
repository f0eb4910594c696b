"""Classify one customer: state, tier, the evidence for each criterion, and since when."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from custpool._base import FrozenModel
from custpool._errors import ValidationError, shown_type, wrong_type
from custpool._model import ComplaintReason, Interaction
from custpool._tiers.machine import compiled_table
from custpool._tiers.policy import WEIGHT_SCALE, Policy
from custpool._tiers.stages import Stage, State
from custpool._tiers.timeline import Timeline
from custpool._time import check_as_of, from_micros, to_micros

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["Criterion", "TierState", "classify", "classify_timeline"]

_FIRST: Final = to_micros(datetime.min.replace(tzinfo=UTC))
_LAST: Final = to_micros(datetime.max.replace(tzinfo=UTC))


class Criterion(FrozenModel):
    """One stage's criterion at ``as_of``: met or not, and the evidence."""

    stage: Stage
    """The stage this criterion admits to."""
    met: bool
    """Whether it holds at ``as_of``."""
    value: Decimal
    """What was measured: connections so far, engagement weight, purchases, referrals."""
    threshold: Decimal
    """What ``value`` must reach (for advocate, the NPS condition is reported apart)."""
    window: timedelta | None
    """The look-back window, or None (connection looks at all history)."""
    last_at: datetime | None
    """The latest event of this criterion at or before ``as_of``, in or out of the window."""


class TierState(FrozenModel):
    """Where one customer stands at ``as_of``, and why.

    ``tier`` is the stage for the four stage states, the last stage held for DORMANT, and None
    for PROSPECT and CHURNED. ``skipped`` lists criteria that hold but do not count because an
    earlier stage of the paradigm does not (a purchase without engagement under nurture-first: a
    fragile, purely transactional relationship). ``since`` is when the current state began (None
    for a PROSPECT who never had anything happen).
    """

    customer_id: str | None
    """Whose state (None for an empty history)."""
    as_of: datetime
    """The instant classified (UTC)."""
    paradigm: str
    """Name of the policy's paradigm."""
    state: State
    """The state."""
    tier: Stage | None
    """The stage held (see above)."""
    since: datetime | None
    """When the customer entered ``state``."""
    criteria: tuple[Criterion, ...]
    """One per stage, in the paradigm's order."""
    skipped: tuple[Stage, ...]
    """Criteria met beyond the cumulative stage."""
    next_stage: Stage | None
    """The stage to reach next: CONNECTED for PROSPECT and CHURNED, the stage held for DORMANT
    (reactivation restores it), the following stage otherwise, None at the top."""
    latest_nps: int | None
    """Latest NPS answer within the advocacy window."""
    last_active_at: datetime | None
    """Latest customer-initiated interaction at or before ``as_of``."""
    last_complaint_at: datetime | None
    """Latest complaint at or before ``as_of``."""
    last_complaint_reason: ComplaintReason | None = None
    """What the latest complaint was about (seed 004's causes of leaving: service, quality,
    price, logistics); None without a complaint. Of several at that instant, the first reason
    in :class:`~custpool.ComplaintReason`'s order."""

    def criterion(self, stage: Stage) -> Criterion:
        """Return the criterion of ``stage``.

        Examples
        --------
        >>> from custpool import Policy, Stage, classify, example_pool, EXAMPLE_START
        >>> state = classify(example_pool().history("c-001"), Policy(),
        ...                  EXAMPLE_START.replace(day=25))
        >>> engaged = state.criterion(Stage.ENGAGED)
        >>> engaged.met, engaged.value, engaged.threshold  # 7 rows taking part (not the connect)
        (True, Decimal('7'), Decimal('3'))
        """
        return next(c for c in self.criteria if c.stage is stage)

    @property
    def time_in_state(self) -> timedelta | None:
        """How long the customer has been in ``state`` at ``as_of``."""
        return None if self.since is None else self.as_of - self.since


def _maybe(micros: int | None) -> datetime | None:
    return None if micros is None else from_micros(micros)


def _iterable(value: object) -> bool:
    return isinstance(value, Iterable) and not isinstance(value, str | bytes)


def _interactions(history: Iterable[object]) -> Iterator[Interaction]:
    """Yield the history's items, refusing (by type and position) what is not an Interaction."""
    for position, item in enumerate(history):
        if not isinstance(item, Interaction):
            raise wrong_type(f"history[{position}]", item, "must be an Interaction")
        yield item


def _as_of(as_of: object) -> int:
    """Return ``as_of`` in microseconds: an aware datetime whose instant exists in UTC."""
    if not isinstance(as_of, datetime):
        shown = shown_type(as_of)
        raise ValidationError("as_of", shown, "must be an aware datetime", shown=shown)
    t = check_as_of(as_of)
    if not _FIRST <= t <= _LAST:
        raise ValidationError("as_of", as_of, "must fall within the years 1-9999 once moved to UTC")
    return t


def classify(history: Iterable[Interaction], policy: Policy, as_of: datetime) -> TierState:
    """Classify one customer at ``as_of``: pure, and independent of the history's order.

    Only interactions at or before ``as_of`` matter. See :class:`~custpool.Policy` for the
    criteria and :class:`TierState` for the result.

    Parameters
    ----------
    history
        One customer's interactions, in any order (may include events before the CONNECT).
    policy
        The tier policy.
    as_of
        The instant to classify at; must be timezone-aware.

    Returns
    -------
    TierState
        State, tier, evidence per criterion, skipped criteria, next stage and ``since``.

    Raises
    ------
    custpool.ValidationError
        If the history mixes customers, or ``as_of`` is naive, not a datetime, or outside
        the years 1-9999 once moved to UTC.
    custpool.WrongTypeError
        If ``history`` is not an iterable of interactions or ``policy`` is not a Policy.
        The wrong value is named by its type and position (``history[2]=<dict>``), never
        shown: it may hold contact handles.

    Examples
    --------
    >>> from datetime import datetime, timedelta, UTC
    >>> from custpool import Interaction, Policy
    >>> t0 = datetime(2026, 1, 1, tzinfo=UTC)
    >>> def event(n, day, kind, **kw):
    ...     return Interaction(id=f"i-{n}", customer_id="c-1", at=t0 + timedelta(days=day),
    ...                        kind=kind, channel="wecom_chat", **kw)
    >>> history = [
    ...     event(1, 0, "connect", source="store", direction="inbound"),
    ...     event(2, 5, "purchase", order_id="o-1", amount={"amount": "99", "currency": "CNY"}),
    ... ]
    >>> nurture = classify(history, Policy(), t0 + timedelta(days=10))
    >>> nurture.state.value, [s.value for s in nurture.skipped], nurture.next_stage.value
    ('connected', ['converted'], 'engaged')
    >>> convert = classify(history, Policy(paradigm="convert_first"), t0 + timedelta(days=10))
    >>> convert.state.value, convert.since.date().isoformat()
    ('converted', '2026-01-06')
    """
    if not isinstance(policy, Policy):
        raise wrong_type("policy", policy, "must be a custpool.Policy")
    if not _iterable(history):
        raise wrong_type("history", history, "must be an iterable of Interaction objects")
    t = _as_of(as_of)
    return classify_timeline(Timeline(_interactions(history), policy), t)


def classify_timeline(timeline: Timeline, t: int) -> TierState:
    """Classify a prepared :class:`Timeline` at ``t`` microseconds (no argument checks)."""
    policy = timeline.policy
    paradigm = policy.paradigm
    facts = timeline.facts(t)
    state = timeline.state(t)
    since = timeline.since(t, state)
    reached = timeline.cumulative_stage(facts.met)
    if state.stage is not None:
        tier: Stage | None = state.stage
    elif state is State.DORMANT and since is not None:
        before = timeline.state(since - 1)
        tier = before.stage if before.stage is not None else Stage.CONNECTED
    else:
        tier = None
    after_reached = paradigm.stages[paradigm.index(reached) + 1 :] if reached else paradigm.stages
    skipped = tuple(s for s in after_reached if facts.met[s])
    # The next rung is read from the machine's compiled table: one declaration of the ladder.
    table = compiled_table(paradigm)
    if state is State.DORMANT:
        next_stage: Stage | None = tier  # reactivation aims to restore the stage they held
    else:
        up = table.climb(state)
        next_stage = None if up is None else up.stage
    scale = Decimal(WEIGHT_SCALE)
    evidence = {
        Stage.CONNECTED: (
            Decimal(timeline.connect_count(t)),
            Decimal(1),
            None,
            timeline.last_connect(t),
        ),
        Stage.ENGAGED: (
            Decimal(facts.engage_score) / scale,
            policy.engage_min_interactions,
            policy.engage_window,
            timeline.last_active(t),
        ),
        Stage.CONVERTED: (
            Decimal(facts.purchases),
            Decimal(1),
            policy.convert_window,
            timeline.last_purchase(t),
        ),
        Stage.ADVOCATE: (
            Decimal(facts.referrals),
            Decimal(1),
            policy.advocate_window,
            timeline.last_referral(t),
        ),
    }
    criteria = tuple(
        Criterion(
            stage=stage,
            met=facts.met[stage],
            value=evidence[stage][0],
            threshold=evidence[stage][1],
            window=evidence[stage][2],
            last_at=_maybe(evidence[stage][3]),
        )
        for stage in paradigm.stages
    )
    return TierState.model_construct(
        customer_id=timeline.customer_id,
        as_of=from_micros(t),
        paradigm=paradigm.name,
        state=state,
        tier=tier,
        since=_maybe(since),
        criteria=criteria,
        skipped=skipped,
        next_stage=next_stage,
        latest_nps=facts.latest_nps,
        last_active_at=_maybe(timeline.last_active(t)),
        last_complaint_at=_maybe(timeline.last_complaint(t)),
        last_complaint_reason=timeline.last_complaint_reason(t),
    )
