"""Every threshold and window bound of the tiers, exactly at, just before and just after it.

One table of hand-checked cases; :func:`~custpool.classify` (one customer) and
:func:`~custpool.classify_table` (the whole table, one customer per case) both run every case.
The rules (docs/tiers.md, ``Policy``): windows are half-open, ``(as_of - window, as_of]``; a
CHURN at or after the latest CONNECT wins (the same instant included); dormant means connected
at least ``dormant_after`` ago (``last_connect <= as_of - dormant_after``) and no
customer-initiated row in ``(as_of - dormant_after, as_of]``; for DORMANT, ``tier`` is the stage
held one microsecond before dormancy began, and ``next_stage`` is that tier.

Day ``d`` is ``at(d)``: T0 (2026-03-01 12:00 UTC) plus ``d`` days; ``US`` is one microsecond.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from conftest import at
from custpool import (
    CONVERT_FIRST,
    EventTable,
    Interaction,
    Policy,
    Stage,
    State,
    classify,
    classify_table,
)
from custpool._engine.tier_table import STAGES
from tiers_helpers import ev

if TYPE_CHECKING:
    from collections.abc import Callable

US = timedelta(microseconds=1)
DEFAULT = Policy()  # engage 3 in 30 days, convert 365, advocate 365, dormant after 90
CON, ENG, CNV, ADV = True, True, True, True  # readable met tuples below
NO = False


@dataclass(frozen=True)
class Case:
    """A history (built for a given customer id), a policy, an instant and the expected answer."""

    name: str
    history: Callable[[str], list[Interaction]]
    as_of: datetime
    state: State
    tier: Stage | None
    policy: Policy = DEFAULT
    met: tuple[bool, bool, bool, bool] | None = None  # CONNECTED, ENGAGED, CONVERTED, ADVOCATE
    latest_nps: int | None = None
    engage_score: float | None = None  # in interactions (hundredths / 100)


def outbound_connect(c: str, day: float = 0) -> Interaction:
    # An operator-initiated CONNECT: not customer-initiated, so it neither engages nor wakes.
    return ev(day, "connect", customer=c, direction="outbound")


def messages(c: str, *days: float) -> list[Interaction]:
    return [ev(d, "message", customer=c) for d in days]


def at_us(day: float, micros: int) -> datetime:
    return at(day) + micros * US


NPS_POLICY = Policy(advocate_min_nps=9)
# Engagement over 90 days = dormant_after: the engagement of a customer who falls silent ends at
# the very instant dormancy begins, so the tier read at `since` (CONNECTED) differs from the one
# read just before it (ENGAGED).
LONG_ENGAGE = Policy(engage_window=timedelta(days=90))
CONVERT_FIRST_DEFAULT = Policy(paradigm=CONVERT_FIRST)
CONVERT_90 = Policy(paradigm=CONVERT_FIRST, convert_window=timedelta(days=90))
HALVES = Policy(engage_weights={"group_post": "0.5"})

CASES = [
    # -- connected / churned ------------------------------------------------------------------
    Case(
        "churn at the same instant as the connect wins",
        lambda c: [ev(0, "connect", customer=c), ev(0, "churn", customer=c)],
        at(0),
        State.CHURNED,
        None,
        met=(NO, NO, NO, NO),
    ),
    Case(
        "churn one microsecond before the connect: connected (won back)",
        lambda c: [
            outbound_connect(c, -1),
            ev(0, "churn", customer=c, at=at(0) - US),
            outbound_connect(c, 0),
        ],
        at(1),
        State.CONNECTED,
        Stage.CONNECTED,
    ),
    Case(
        "churn one microsecond after the connect: churned",
        lambda c: [ev(0, "connect", customer=c), ev(0, "churn", customer=c, at=at(0) + US)],
        at(1),
        State.CHURNED,
        None,
    ),
    Case(
        "a connect exactly at as_of counts (the window's end is inclusive)",
        lambda c: [outbound_connect(c, 5)],
        at(5),
        State.CONNECTED,
        Stage.CONNECTED,
        met=(CON, NO, NO, NO),
    ),
    Case(
        "a connect one microsecond after as_of does not",
        lambda c: [outbound_connect(c, 5)],
        at(5) - US,
        State.PROSPECT,
        None,
        met=(NO, NO, NO, NO),
    ),
    Case(
        "a churn one microsecond after as_of does not",
        lambda c: [outbound_connect(c), ev(5, "churn", customer=c)],
        at(5) - US,
        State.CONNECTED,
        Stage.CONNECTED,
    ),
    # -- engagement window (as_of - 30 days, as_of] and threshold 3 ----------------------------
    Case(
        # messages on days 1, 2, 3; at day 31 = day 1 + 30 days the day-1 message sits exactly
        # at the window's start, which is excluded: 2 < 3
        "engagement: an event exactly engage_window old has left the window",
        lambda c: [outbound_connect(c), *messages(c, 1, 2, 3)],
        at(31),
        State.CONNECTED,
        Stage.CONNECTED,
        met=(CON, NO, NO, NO),
        engage_score=2,
    ),
    Case(
        "engagement: one microsecond earlier it is still inside: 3 >= 3",
        lambda c: [outbound_connect(c), *messages(c, 1, 2, 3)],
        at(31) - US,
        State.ENGAGED,
        Stage.ENGAGED,
        met=(CON, ENG, NO, NO),
        engage_score=3,
    ),
    Case(
        "engagement: three messages at one instant all leave together",
        lambda c: [outbound_connect(c), *messages(c, 1, 1, 1)],
        at(31),
        State.CONNECTED,
        Stage.CONNECTED,
        engage_score=0,
    ),
    Case(
        "engagement: three messages at one instant, one microsecond before they leave",
        lambda c: [outbound_connect(c), *messages(c, 1, 1, 1)],
        at(31) - US,
        State.ENGAGED,
        Stage.ENGAGED,
        engage_score=3,
    ),
    Case(
        "engagement: the third message exactly at as_of counts",
        lambda c: [outbound_connect(c), *messages(c, 1, 2, 10)],
        at(10),
        State.ENGAGED,
        Stage.ENGAGED,
        engage_score=3,
    ),
    Case(
        "engagement: one microsecond before the third message, 2 < 3",
        lambda c: [outbound_connect(c), *messages(c, 1, 2, 10)],
        at(10) - US,
        State.CONNECTED,
        Stage.CONNECTED,
        engage_score=2,
    ),
    Case(
        "engagement: weights reaching the threshold exactly (6 x 0.5 = 3 >= 3)",
        lambda c: [outbound_connect(c), *(ev(d, "group_post", customer=c) for d in range(1, 7))],
        at(7),
        State.ENGAGED,
        Stage.ENGAGED,
        policy=HALVES,
        engage_score=3,
    ),
    Case(
        "engagement: weights just short of it (5 x 0.5 = 2.5 < 3)",
        lambda c: [outbound_connect(c), *(ev(d, "group_post", customer=c) for d in range(1, 6))],
        at(7),
        State.CONNECTED,
        Stage.CONNECTED,
        policy=HALVES,
        engage_score=2.5,
    ),
    # -- conversion window (as_of - 365 days, as_of] (convert-first: no engagement needed) ------
    Case(
        # a purchase on day 1; a message on day 360 keeps the customer awake. At day 366 =
        # day 1 + 365 the purchase sits at the window's start, excluded: no purchase in it.
        "conversion: a purchase exactly convert_window old has left the window",
        lambda c: [outbound_connect(c), ev(1, "purchase", customer=c), *messages(c, 360)],
        at(366),
        State.CONNECTED,
        Stage.CONNECTED,
        policy=CONVERT_FIRST_DEFAULT,
        met=(CON, NO, NO, NO),
    ),
    Case(
        "conversion: one microsecond earlier it converts",
        lambda c: [outbound_connect(c), ev(1, "purchase", customer=c), *messages(c, 360)],
        at(366) - US,
        State.CONVERTED,
        Stage.CONVERTED,
        policy=CONVERT_FIRST_DEFAULT,
        met=(CON, NO, CNV, NO),
    ),
    # -- dormancy: last_connect <= as_of - 90 days, nothing of the customer's in the window -----
    Case(
        # outbound connect on day 0, nothing else: at day 90 exactly it is 90 days old
        "dormancy at exactly last_connect + dormant_after",
        lambda c: [outbound_connect(c)],
        at(90),
        State.DORMANT,
        Stage.CONNECTED,
    ),
    Case(
        "not dormant one microsecond before last_connect + dormant_after",
        lambda c: [outbound_connect(c)],
        at(90) - US,
        State.CONNECTED,
        Stage.CONNECTED,
    ),
    Case(
        # a message on day 10 is the last own row: at day 100 it sits at the start of the
        # window (day 10, day 100], excluded, so nothing of the customer's is left in it
        "dormancy when the last own row is exactly dormant_after old",
        lambda c: [outbound_connect(c), *messages(c, 10)],
        at(100),
        State.DORMANT,
        Stage.CONNECTED,
    ),
    Case(
        "not dormant one microsecond before the last own row is dormant_after old",
        lambda c: [outbound_connect(c), *messages(c, 10)],
        at(100) - US,
        State.CONNECTED,
        Stage.CONNECTED,
    ),
    Case(
        # connect outbound day 0, three messages at one instant on day 2: engaged (90-day
        # window) from day 2 until day 92, when they leave it; dormant from day 2 + 90 = 92.
        # Just before (day 92 - 1 µs) the customer was ENGAGED; at day 92 itself only CONNECTED.
        "the dormant tier is read just before dormancy began, not at it",
        lambda c: [outbound_connect(c), *messages(c, 2, 2, 2)],
        at(120),
        State.DORMANT,
        Stage.ENGAGED,
        policy=LONG_ENGAGE,
        met=(CON, NO, NO, NO),
    ),
    Case(
        "one microsecond before dormancy the customer is still engaged",
        lambda c: [outbound_connect(c), *messages(c, 2, 2, 2)],
        at(92) - US,
        State.ENGAGED,
        Stage.ENGAGED,
        policy=LONG_ENGAGE,
    ),
    Case(
        # convert-first with a 90-day conversion window: an inbound purchase on day 10 converts
        # and is the last own row; dormant from day 100, when the purchase leaves the window too.
        # At day 100 - 1 µs: (day 10 - 1 µs, …] holds it: CONVERTED.
        "the dormant tier of a convert-first buyer is CONVERTED",
        lambda c: [outbound_connect(c), ev(10, "purchase", customer=c, direction="inbound")],
        at(150),
        State.DORMANT,
        Stage.CONVERTED,
        policy=CONVERT_90,
    ),
    # -- advocacy window (as_of - 365 days, as_of] and the NPS answer in it --------------------
    Case(
        # NPS 10 on day 0, referral on day 5; at day 365 the answer is exactly 365 days old,
        # out of the window: no latest answer, the NPS condition fails.
        "an NPS answer exactly advocate_window old no longer counts",
        lambda c: [
            outbound_connect(c),
            ev(0, "nps", customer=c, score=10),
            ev(5, "referral", customer=c),
        ],
        at(365),
        State.DORMANT,
        Stage.CONNECTED,
        policy=NPS_POLICY,
        met=(CON, NO, NO, NO),
        latest_nps=None,
    ),
    Case(
        "one microsecond earlier the NPS answer still counts",
        lambda c: [
            outbound_connect(c),
            ev(0, "nps", customer=c, score=10),
            ev(5, "referral", customer=c),
        ],
        at(365) - US,
        State.DORMANT,
        Stage.CONNECTED,
        policy=NPS_POLICY,
        met=(CON, NO, NO, ADV),
        latest_nps=10,
    ),
    Case(
        "a referral exactly advocate_window old no longer counts",
        lambda c: [outbound_connect(c), ev(5, "referral", customer=c)],
        at(370),
        State.DORMANT,
        Stage.CONNECTED,
        met=(CON, NO, NO, NO),
    ),
    Case(
        "one microsecond earlier the referral still counts",
        lambda c: [outbound_connect(c), ev(5, "referral", customer=c)],
        at(370) - US,
        State.DORMANT,
        Stage.CONNECTED,
        met=(CON, NO, NO, ADV),
    ),
    Case(
        "two NPS answers at one instant: the latest is the higher score",
        lambda c: [
            outbound_connect(c),
            ev(3, "nps", customer=c, score=10),
            ev(3, "nps", customer=c, score=4),
        ],
        at(4),
        State.CONNECTED,
        Stage.CONNECTED,
        latest_nps=10,
    ),
    Case(
        # a full climb under nurture-first, everything at one instant on day 1
        "a whole ladder at one instant reaches ADVOCATE",
        lambda c: [
            outbound_connect(c, 1),
            *messages(c, 1, 1, 1),
            ev(1, "purchase", customer=c),
            ev(1, "referral", customer=c),
        ],
        at(1),
        State.ADVOCATE,
        Stage.ADVOCATE,
        met=(CON, ENG, CNV, ADV),
        engage_score=5,  # 3 messages, the purchase and the referral (all inbound)
    ),
]
IDS = [case.name for case in CASES]


def table_of(events: list[Interaction]) -> EventTable:
    # The referred customer of tiers_helpers.ev's referrals is in the table too.
    return EventTable.from_interactions(events, customers=["c-friend"])


def customer_of(k: int) -> str:
    return f"c-{k:02d}"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_classify_at_the_edge(case: Case) -> None:
    result = classify(case.history("c-1"), case.policy, case.as_of)
    assert (result.state, result.tier) == (case.state, case.tier)
    if case.met is not None:
        assert tuple(result.criterion(s).met for s in STAGES) == case.met
    assert result.latest_nps == case.latest_nps
    if case.engage_score is not None:
        assert result.criterion(Stage.ENGAGED).value == pytest.approx(case.engage_score)
    # next_stage: CONNECTED for PROSPECT and CHURNED, the tier held for DORMANT (reactivation
    # restores it), the following stage of the paradigm otherwise (None at the top)
    if result.state in (State.PROSPECT, State.CHURNED):
        assert result.next_stage is Stage.CONNECTED
    elif result.state is State.DORMANT:
        assert result.next_stage is case.tier
    else:
        stages = case.policy.paradigm.stages
        k = stages.index(result.state.stage)
        assert result.next_stage is (stages[k + 1] if k + 1 < len(stages) else None)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_classify_table_at_the_edge(case: Case) -> None:
    table = table_of(case.history("c-1"))
    tiers = classify_table(table, case.policy, case.as_of)
    row = table.customer_index("c-1")
    assert (tiers.state_of("c-1"), tiers.tier_of("c-1")) == (case.state, case.tier)
    if case.met is not None:
        assert tuple(bool(m) for m in tiers.met[row]) == case.met
    nps = int(tiers.latest_nps[row])
    assert (None if nps < 0 else nps) == case.latest_nps
    if case.engage_score is not None:
        assert int(tiers.engage_score[row]) == round(case.engage_score * 100)


@pytest.mark.parametrize(
    "policy", [DEFAULT, NPS_POLICY, LONG_ENGAGE, CONVERT_FIRST_DEFAULT, CONVERT_90, HALVES]
)
def test_all_cases_of_a_policy_in_one_table(policy: Policy) -> None:
    # Several customers per table: a criterion read from a neighbour's rows would show here.
    chosen = [case for case in CASES if case.policy is policy]
    for as_of in sorted({case.as_of for case in chosen}):
        same = [case for case in chosen if case.as_of == as_of]
        events = [i for k, case in enumerate(same) for i in case.history(customer_of(k))]
        tiers = classify_table(table_of(events), policy, as_of)
        for k, case in enumerate(same):
            assert tiers.state_of(customer_of(k)) is case.state, case.name
            assert tiers.tier_of(customer_of(k)) is case.tier, case.name


def test_dormant_next_stage_is_the_tier_held_before() -> None:
    # TierState.next_stage for DORMANT is documented as "the stage held (reactivation restores
    # it)": here CONVERTED, from the convert-first case above, not the stage above it.
    history = [outbound_connect("c-1"), ev(10, "purchase", customer="c-1", direction="inbound")]
    state = classify(history, CONVERT_90, at(150))
    assert state.state is State.DORMANT
    assert state.tier is Stage.CONVERTED
    assert state.next_stage is Stage.CONVERTED
    assert state.since == at(100)  # day 10 + 90


def test_since_is_the_exact_edge_instant() -> None:
    # The day-1 message leaves the 30-day window at day 31 exactly: that is when CONNECTED began.
    history = [outbound_connect("c-1"), *messages("c-1", 1, 2, 3)]
    assert classify(history, DEFAULT, at(31)).since == at(31)
    assert classify(history, DEFAULT, at(31) - US).since == at(3)  # engaged since the third
    # Dormancy begins exactly at last own row + 90 days.
    quiet = [outbound_connect("c-1"), *messages("c-1", 10)]
    assert classify(quiet, DEFAULT, at(200)).since == at(100)
