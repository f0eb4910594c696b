"""Property tests of the tiers: classify and the machine agree, whatever the history.

(Kept apart from the example-based tests of ``_classify`` and ``_machine`` because both
modules are exercised together here.)
"""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from custpool import (
    CONVERT_FIRST,
    NURTURE_FIRST,
    Direction,
    Interaction,
    InteractionKind,
    Policy,
    RelationshipMachine,
    Stage,
    State,
    Trigger,
    classify,
)
from custpool.strategies import histories
from property_helpers import asserted, asserts_often

START = datetime(2026, 1, 1, tzinfo=UTC)
END = START + timedelta(days=500)

# Short windows make every criterion, lapse and dormancy reachable in small histories.
POLICIES = st.sampled_from(
    [
        Policy(paradigm=NURTURE_FIRST),
        Policy(paradigm=CONVERT_FIRST),
        Policy(
            paradigm=NURTURE_FIRST,
            engage_window=timedelta(days=7),
            engage_min_interactions=2,
            convert_window=timedelta(days=60),
            advocate_window=timedelta(days=60),
            dormant_after=timedelta(days=20),
        ),
        Policy(
            paradigm=CONVERT_FIRST,
            engage_window=timedelta(days=10),
            dormant_after=timedelta(days=30),
            engage_weights={"reaction": "0.5", "group_post": "2"},
        ),
    ]
)
HISTORIES = histories(customer_id="c-1", max_size=25, min_time=START, max_time=END)
AS_OF = st.datetimes(
    min_value=(START - timedelta(days=10)).replace(tzinfo=None),
    max_value=(END + timedelta(days=400)).replace(tzinfo=None),
    timezones=st.just(UTC),
)


def reached_rank(result):
    """Index of the furthest cumulative stage met (-1 for prospects and churned)."""
    if result.state in (State.PROSPECT, State.CHURNED):
        return -1
    rank = -1
    for criterion in result.criteria:
        if not criterion.met:
            break
        rank += 1
    return rank


@settings(max_examples=150)
@given(history=HISTORIES, policy=POLICIES, as_of=AS_OF)
def test_replay_lands_on_classify_and_its_log_dates_since(history, policy, as_of):
    result = classify(history, policy, as_of)
    track = RelationshipMachine(policy).replay(history, as_of)
    assert track.state is result.state
    if track.log:
        assert track.log[-1].at == result.since
    else:
        assert result.since is None
        assert result.state is State.PROSPECT


@settings(max_examples=100)
@given(history=HISTORIES, policy=POLICIES, as_of=AS_OF, data=st.data())
def test_result_ignores_the_input_order(history, policy, as_of, data):
    shuffled = data.draw(st.permutations(history))
    assert classify(shuffled, policy, as_of) == classify(history, policy, as_of)


@settings(max_examples=100)
@given(history=HISTORIES, policy=POLICIES, as_of=AS_OF)
def test_later_events_do_not_matter(history, policy, as_of):
    past = [i for i in history if i.at <= as_of]
    # customer_id is taken from the history itself, so an empty past has none
    ignore = {"customer_id"}
    assert classify(past, policy, as_of).model_dump(exclude=ignore) == classify(
        history, policy, as_of
    ).model_dump(exclude=ignore)


@settings(max_examples=100)
@given(
    history=HISTORIES,
    policy=POLICIES,
    as_of=AS_OF,
    extra=histories(
        customer_id="c-1",
        min_size=1,
        max_size=1,
        # Every kind but CHURN and REFUND, the exceptions the issue names. NPS is included:
        # none of POLICIES sets advocate_min_nps; with it set, a low answer can lower an
        # advocate, which is the documented third exception (see the test below).
        kinds=[
            "connect",
            "message",
            "group_post",
            "reaction",
            "content_view",
            "event_attend",
            "store_visit",
            "purchase",
            "referral",
            "nps",
            "complaint",
        ],
        min_time=START,
        max_time=END,
        id_prefix="x-",
    ),
)
def test_adding_customer_initiated_interaction_never_lowers_the_stage(
    history, policy, as_of, extra
):
    added = extra[0]
    if not added.customer_initiated:
        added = added.model_copy(update={"direction": Direction.INBOUND})
    before = classify(history, policy, as_of)
    after = classify([*history, added], policy, as_of)
    assert reached_rank(after) >= reached_rank(before)
    # A CONNECT can reveal a churn: a prospect with a CHURN on record (at or after the new
    # connect) becomes churned, since a churn at or after the latest connect wins.
    revealed = added.kind is InteractionKind.CONNECT and any(
        i.kind is InteractionKind.CHURN and added.at <= i.at <= as_of for i in history
    )
    if before.state is not State.CHURNED and not revealed:
        assert after.state is not State.CHURNED


def test_with_an_nps_minimum_a_low_answer_can_lower_an_advocate():
    from conftest import at  # noqa: PLC0415
    from tiers_helpers import ev  # noqa: PLC0415

    strict = Policy(advocate_min_nps=9)
    history = [ev(0, "connect"), ev(1, "message"), ev(2, "purchase"), ev(3, "referral")]
    history.append(ev(3.5, "nps", score=10))
    assert classify(history, strict, at(4)).state is State.ADVOCATE
    lowered = [*history, ev(3.8, "nps", score=2)]  # the latest answer now scores 2 < 9
    assert classify(lowered, strict, at(4)).state is State.CONVERTED


def connect_then_churn(connect_at: datetime, churn_at: datetime) -> list[Interaction]:
    """A CONNECT (outbound) and a CHURN after it, ids apart from the drawn history's."""
    return [
        Interaction(
            id="x-connect",
            customer_id="c-1",
            at=connect_at,
            kind="connect",
            channel="wecom_chat",
            direction="outbound",
            source="store",
        ),
        Interaction(
            id="x-churn",
            customer_id="c-1",
            at=churn_at,
            kind="churn",
            channel="wecom_chat",
            direction="inbound",
            churn_reason="deleted",
        ),
    ]


@asserts_often()
@settings(max_examples=100)
@given(
    history=HISTORIES,
    policy=POLICIES,
    as_of=AS_OF,
    # the added CONNECT comes up to 300 days before as_of, the CHURN between it and as_of
    connect_days=st.integers(0, 300),
    churn_share=st.floats(0, 1),
)
def test_removing_a_churn_never_makes_a_customer_churned(
    history, policy, as_of, connect_days, churn_share
):
    connect_at = as_of - timedelta(days=connect_days)
    churn_at = connect_at + (as_of - connect_at) * churn_share
    history = [*history, *connect_then_churn(connect_at, churn_at)]
    before = classify(history, policy, as_of).state
    for churn in (i for i in history if i.kind == "churn"):
        without = [i for i in history if i.id != churn.id]
        after = classify(without, policy, as_of).state
        # fewer churns never churn anyone: churned without it means churned with it
        assert after is not State.CHURNED or before is State.CHURNED
    # and the churn that alone stands at or after the latest CONNECT is what churns them:
    # removing it brings the customer back (the latest CONNECT wins again)
    seen = [i for i in history if i.at <= as_of]
    latest_connect = max(i.at for i in seen if i.kind == "connect")
    deciding = [i for i in seen if i.kind == "churn" and i.at >= latest_connect]
    assert (before is State.CHURNED) == bool(deciding)
    if len(deciding) == 1:
        asserted("a single churn decides")
        without = [i for i in history if i.id != deciding[0].id]
        assert classify(without, policy, as_of).state is not State.CHURNED


@settings(max_examples=100)
@given(history=HISTORIES, policy=POLICIES, as_of=AS_OF)
def test_tier_and_state_agree(history, policy, as_of):
    result = classify(history, policy, as_of)
    if result.state.stage is not None:
        assert result.tier is result.state.stage
    elif result.state is State.DORMANT:
        assert result.tier is not None
    else:
        assert result.tier is None
    met = {c.stage for c in result.criteria if c.met}
    assert set(result.skipped) <= met
    if result.state.stage is not None:
        assert result.state.stage not in result.skipped


ORDER = {"nurture_first": NURTURE_FIRST, "convert_first": CONVERT_FIRST}


class MachineRespectsTheParadigm(RuleBasedStateMachine):
    """Feed a track events and time in random steps; every move stays legal and adjacent."""

    @initialize(policy=POLICIES)
    def start(self, policy):
        self.policy = policy
        self.machine = RelationshipMachine(policy)
        self.track = self.machine.track("c-1")
        self.history = []
        self.now = START
        self.count = 0

    @rule(
        kind=st.sampled_from(
            ["connect", "churn", "message", "group_post", "purchase", "referral", "nps"]
        ),
        direction=st.sampled_from(["inbound", "outbound", "peer"]),
        gap=st.integers(min_value=0, max_value=40 * 24),
    )
    def add_event(self, kind, direction, gap):
        self.now += timedelta(hours=gap)
        self.count += 1
        fields = {
            "id": f"s-{self.count}",
            "customer_id": "c-1",
            "at": self.now,
            "kind": kind,
            "channel": "wecom_chat" if kind != "group_post" else "customer_group",
        }
        if kind in ("message", "group_post"):
            fields["direction"] = direction
        elif kind in ("connect", "churn"):
            fields["direction"] = "outbound" if direction == "outbound" else "inbound"
        fields |= {
            "connect": {"source": "store"},
            "churn": {"churn_reason": "left_group"},
            "purchase": {
                "order_id": f"o-{self.count}",
                "amount": {"amount": "9", "currency": "CNY"},
            },
            "referral": {"referred_id": "c-2"},
            "nps": {"score": self.count % 11},
        }.get(kind, {})
        event = Interaction.model_validate(fields)
        self.history.append(event)
        self.track.add([event])

    @rule(days=st.integers(min_value=0, max_value=200))
    def advance(self, days):
        self.now += timedelta(days=days)
        self.track.advance_to(self.now)
        self.seen = list(self.history)  # what the track had when it last advanced

    @invariant()
    def moves_are_legal_and_never_skip_a_stage(self):
        if not hasattr(self, "track"):
            return
        stages = [s.state for s in self.policy.paradigm.stages]
        previous = State.PROSPECT
        for record in self.track.log:
            assert record.source is previous
            assert self.machine.table.legal[record.source.code, record.dest.code]
            assert self.machine.table.moves[record.source, record.trigger] is record.dest
            if record.source in stages and record.dest in stages:
                assert abs(stages.index(record.source) - stages.index(record.dest)) == 1
            if record.trigger in (Trigger.ENGAGE, Trigger.CONVERT, Trigger.ADVOCATE):
                assert record.dest.stage in (Stage.ENGAGED, Stage.CONVERTED, Stage.ADVOCATE)
            previous = record.dest
        assert previous is self.track.state

    @invariant()
    def state_matches_classify_at_the_clock(self):
        if not hasattr(self, "track") or self.track.clock is None:
            return
        # Events added since the last advance (even at the clock itself) are taken into
        # account by the next advance, not by add(): compare with what the track had seen.
        expected = classify(self.seen, self.policy, self.track.clock)
        assert self.track.state is expected.state


MachineRespectsTheParadigm.TestCase.settings = settings(
    max_examples=40, stateful_step_count=30, deadline=None
)
TestMachineRespectsTheParadigm = MachineRespectsTheParadigm.TestCase
