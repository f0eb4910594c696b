"""custpool.strategies: valid draws, consistent histories and pools, early argument checks."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from pydantic import BaseModel, SecretStr

import custpool
import custpool.strategies as cps
from custpool import (
    CONVERT_FIRST,
    KIND_RULES,
    NURTURE_FIRST,
    AllOf,
    AnyOf,
    Cadence,
    Contacts,
    Criterion,
    Customer,
    FilterResult,
    Interaction,
    InteractionKind,
    Money,
    NoneOf,
    Paradigm,
    Policy,
    Pool,
    PoolActivity,
    PoolCharter,
    SizeRange,
    Stage,
    State,
    Tag,
    TagGroup,
    TierState,
    normalize_tag_name,
)
from custpool._model.interaction import KIND_FIELDS
from custpool.strategies import InvalidStrategyArgument
from custpool.strategies._blocks import aware_times
from custpool.strategies._checks import check_window
from custpool.strategies._from_type import registered

SHANGHAI = timezone(timedelta(hours=8))
FEW = settings(max_examples=30, deadline=None)
SOME = settings(max_examples=60, deadline=None)
SEARCH = settings(
    max_examples=200, database=None, derandomize=True, phases=[Phase.generate, Phase.shrink]
)
"""For ``find``: deterministic, so the shrink-quality checks are not flaky."""

MODELS = [
    Customer,
    Contacts,
    Tag,
    Money,
    Interaction,
    PoolActivity,
    PoolCharter,
    Cadence,
    SizeRange,
    AllOf,
    AnyOf,
    NoneOf,
    Pool,
    Paradigm,
    Policy,
    TierState,
    Criterion,
]


# --------------------------------------------------------------------------- helpers


def revalidate(obj: BaseModel) -> None:
    """The object survives a python round trip and a JSON round trip unchanged."""
    model = type(obj)
    assert model.model_validate(obj.model_dump()) == obj
    if isinstance(obj, custpool.Tag):
        assert model.model_validate_json(obj.model_dump_json()) == obj
    else:
        assert model.from_json(obj.to_json(reveal_secrets=True)) == obj  # type: ignore[attr-defined]


def check_kind_rules(i: Interaction) -> None:
    rule = KIND_RULES[i.kind]
    assert i.direction in rule.directions
    if rule.channel is not None:
        assert i.channel is rule.channel
    for name in KIND_FIELDS:
        value = getattr(i, name)
        if name in rule.required:
            assert value is not None, name
        if name not in rule.allowed:
            assert value is None, name
    if i.amount is not None:
        # a purchase may be a free order (0); a refund always gives money back
        assert i.amount.amount >= 0
        if i.kind is InteractionKind.REFUND:
            assert i.amount.amount > 0
    if i.referred_id is not None:
        assert i.referred_id != i.customer_id


def check_history(history: list[Interaction], customer_id: str | None = None) -> None:
    """Everything histories() promises about one customer's list."""
    ids = [i.id for i in history]
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    assert [i.at for i in history] == sorted(i.at for i in history)
    assert sorted(history, key=lambda i: (i.at, i.id)) == history
    owners = {i.customer_id for i in history}
    assert len(owners) <= 1
    if customer_id is not None:
        assert owners <= {customer_id}
    assert len({i.amount.currency for i in history if i.amount is not None}) <= 1
    paid: dict[str, Money] = {}
    refunded: Counter[str] = Counter()
    for i in history:
        check_kind_rules(i)
        if i.kind is InteractionKind.PURCHASE:
            assert i.order_id is not None
            assert i.amount is not None
            assert i.order_id not in paid
            paid[i.order_id] = i.amount
        elif i.kind is InteractionKind.REFUND:
            assert i.order_id in paid, "refunds only earlier purchases"
            assert paid[i.order_id].minor_units > 0, "never refunds a free order"
            assert i.amount is not None
            assert i.amount.currency == paid[i.order_id].currency
            refunded[i.order_id] += i.amount.minor_units
            assert refunded[i.order_id] <= paid[i.order_id].minor_units


# --------------------------------------------------------------------------- entry point


def test_entry_point_is_installed() -> None:
    values = {ep.value for ep in importlib.metadata.entry_points(group="hypothesis")}
    assert "custpool._hypothesis_plugin:_hypothesis_setup_hook" in values


def test_import_custpool_leaves_hypothesis_out() -> None:
    code = "import sys, custpool; assert 'hypothesis' not in sys.modules, 'hypothesis imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_strategies_imported_before_hypothesis_still_registers() -> None:
    # Importing custpool.strategies first makes Hypothesis run the entry point while the package
    # is half-loaded; registration must still work.
    code = (
        "import custpool.strategies\n"
        "from hypothesis import strategies as st\n"
        "from custpool.strategies._from_type import registered\n"
        "from custpool import Customer\n"
        "assert registered\n"
        "st.from_type(Customer).validate()\n"
    )
    subprocess.run([sys.executable, "-W", "error", "-c", code], check=True)


def test_register_type_strategies_is_idempotent() -> None:
    cps.register_type_strategies()
    cps.register_type_strategies()
    assert registered == [True]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@FEW
@given(data=st.data())
def test_from_type_gives_valid_instances(model: type[BaseModel], data: st.DataObject) -> None:
    obj = data.draw(st.from_type(model))
    assert isinstance(obj, model)
    revalidate(obj)


# --------------------------------------------------------------------------- every draw is valid


STRATEGIES = {
    "tags": cps.tags(),
    "money": cps.money(),
    "contacts": cps.contacts(),
    "customers": cps.customers(),
    "interactions": cps.interactions(),
    "activities": cps.activities(),
    "rules": cps.rules(),
    "cadences": cps.cadences(),
    "size_ranges": cps.size_ranges(),
    "charters": cps.charters(),
    "pools": cps.pools(max_customers=5, max_interactions_per_customer=6),
    "paradigms": cps.paradigms(),
    "policies": cps.policies(),
    "tier_states": cps.tier_states(max_size=10),
}


@pytest.mark.parametrize("name", STRATEGIES)
@FEW
@given(data=st.data())
def test_draws_round_trip(name: str, data: st.DataObject) -> None:
    # JSON (with secrets revealed) and python round trips give back an equal object.
    revalidate(data.draw(STRATEGIES[name]))


@SOME
@given(cps.tags())
def test_tag_names_are_already_normal(tag: Tag) -> None:
    assert normalize_tag_name(tag.name) == tag.name
    assert Tag.parse(str(tag)) == tag


@FEW
@given(cps.tags(groups=[None, "source"]))
def test_tags_respect_groups(tag: Tag) -> None:
    assert tag.group in {None, TagGroup.SOURCE}


@SOME
@given(cps.money(currencies=["CNY", "jpy", "KWD"], min_amount="-5.5", max_amount=Decimal(7)))
def test_money_bounds_and_scale(m: Money) -> None:
    assert m.currency in {"CNY", "JPY", "KWD"}
    assert Decimal("-5.5") <= m.amount <= 7
    assert Money(amount=m.amount, currency=m.currency) == m


@FEW
@given(cps.contacts(min_handles=2))
def test_contacts_min_handles(c: Contacts) -> None:
    handles = c.reveal()
    assert 2 <= len(handles) <= 3  # at least the two asked for, of the three there are
    assert set(handles) <= {"phone", "wechat_id", "wecom_external_id"}
    assert all(len(h) >= 6 for h in handles.values())  # documented: six characters or more
    assert all(h not in repr(c) for h in handles.values())  # and never shown


@FEW
@given(cps.customers(ids=st.just("vip-1"), with_contacts=False, max_tags=0))
def test_customers_options(c: Customer) -> None:
    assert c.id == "vip-1"
    assert c.tags == ()
    assert not c.contacts


@SOME
@given(cps.interactions())
def test_interactions_follow_kind_rules(i: Interaction) -> None:
    check_kind_rules(i)
    assert cps.DEFAULT_MIN_TIME <= i.at <= cps.DEFAULT_MAX_TIME
    assert i.at.tzinfo is UTC


@FEW
@given(cps.interactions(kinds=["nps", InteractionKind.COMPLAINT], customer_ids=["a", "b"]))
def test_interactions_respect_kinds_and_ids(i: Interaction) -> None:
    assert i.kind in {InteractionKind.NPS, InteractionKind.COMPLAINT}
    assert i.customer_id in {"a", "b"}


@pytest.mark.parametrize("kind", list(InteractionKind))
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_every_kind_can_be_generated(kind: InteractionKind, data: st.DataObject) -> None:
    i = data.draw(cps.interactions(kinds=[kind]))
    assert i.kind is kind
    check_kind_rules(i)
    revalidate(i)


def test_times_stay_inside_an_aware_window_in_another_zone() -> None:
    start = datetime(2026, 3, 1, 8, 0, tzinfo=SHANGHAI)  # 00:00 UTC
    end = datetime(2026, 3, 1, 8, 0, 1, tzinfo=SHANGHAI)

    @FEW
    @given(cps.interactions(min_time=start, max_time=end))
    def inside(i: Interaction) -> None:
        assert start <= i.at <= end

    inside()

    @FEW
    @given(cps.histories(min_time=start, max_time=start, max_size=3))
    def pinned(history: list[Interaction]) -> None:
        assert all(i.at == start for i in history)

    pinned()


def test_generated_times_use_several_offsets() -> None:
    times = aware_times(*check_window(cps.DEFAULT_MIN_TIME, cps.DEFAULT_MAX_TIME))
    for hours in (0, 8, -5):
        found = find(times, lambda t, h=hours: t.utcoffset() == timedelta(hours=h), settings=SEARCH)
        assert cps.DEFAULT_MIN_TIME <= found <= cps.DEFAULT_MAX_TIME


@FEW
@given(cps.activities(kinds=["content_published"], max_topics=1))
def test_activities_options(a: PoolActivity) -> None:
    assert a.content_id is not None
    assert len(a.topics) <= 1


@FEW
@given(cps.rules(max_depth=1, max_items=2))
def test_flat_rules(rule: AllOf | AnyOf | NoneOf) -> None:
    assert 1 <= len(rule.items) <= 2
    assert all(isinstance(item, Tag) for item in rule.items)


@FEW
@given(cps.charters(max_interests=2, max_operators=0))
def test_charters_options(charter: PoolCharter) -> None:
    assert len(charter.interests) <= 2
    assert charter.operators == ()
    assert all(t.group is TagGroup.INTEREST for t in charter.interests)


# --------------------------------------------------------------------------- histories


@SOME
@given(cps.histories(max_size=15))
def test_histories_are_consistent(history: list[Interaction]) -> None:
    check_history(history)
    assert len(history) <= 15


@SOME
@given(cps.histories(kinds=["purchase", "refund"], min_size=3, max_size=12, currencies="JPY"))
def test_histories_of_orders(history: list[Interaction]) -> None:
    check_history(history)
    assert len(history) >= 3
    assert history[0].kind is InteractionKind.PURCHASE
    assert {i.amount.currency for i in history if i.amount is not None} == {"JPY"}


@FEW
@given(
    cps.histories(
        customer_id="c-1", kinds="referral", min_size=1, other_customer_ids=["c-1", "c-2", "c-3"]
    )
)
def test_history_referrals_point_at_others(history: list[Interaction]) -> None:
    check_history(history, "c-1")
    assert {i.referred_id for i in history} <= {"c-2", "c-3"}


@FEW
@given(cps.histories(kinds="referral", min_size=1, max_size=3, other_customer_ids=["c-0"]))
def test_generated_customer_never_refers_itself(history: list[Interaction]) -> None:
    check_history(history)
    assert all(i.customer_id != "c-0" and i.referred_id == "c-0" for i in history)


@FEW
@given(cps.histories(kinds="referral", min_size=1, max_size=3, other_customer_ids=st.just("x")))
def test_history_referrals_from_a_strategy(history: list[Interaction]) -> None:
    check_history(history)
    assert {i.referred_id for i in history} == {"x"}


@FEW
@given(cps.histories(customer_id="solo", other_customer_ids=["solo"], max_size=10))
def test_nobody_to_refer_means_no_referrals(history: list[Interaction]) -> None:
    assert all(i.kind is not InteractionKind.REFERRAL for i in history)


def test_shrinking_gives_small_examples() -> None:
    tag = find(cps.tags(), lambda _: True, settings=SEARCH)
    assert tag.name.isascii()
    assert len(tag.name) == 1
    interaction = find(cps.interactions(), lambda _: True, settings=SEARCH)
    assert interaction.kind is InteractionKind.MESSAGE
    assert interaction.at == cps.DEFAULT_MIN_TIME
    # About 3 % of these histories hold a refund (of 13 kinds, a refund needs an open order
    # before it): search long enough that finding one never hangs on the seed.
    history = find(
        cps.histories(max_size=5),
        lambda h: any(i.kind is InteractionKind.REFUND for i in h),
        settings=settings(SEARCH, max_examples=1000),
    )
    assert [i.kind for i in history] == [InteractionKind.PURCHASE, InteractionKind.REFUND]
    assert history[1].order_id == history[0].order_id
    pool = find(
        cps.pools(max_customers=3, max_interactions_per_customer=3),
        lambda p: len(p.interactions) > 0,
        settings=SEARCH,
    )
    assert pool.size <= 2
    assert len(pool.interactions) == 1


def test_free_orders_are_drawn_by_interactions_histories_and_pools() -> None:
    def free(i: Interaction) -> bool:
        return i.kind is InteractionKind.PURCHASE and i.amount is not None and i.amount.amount == 0

    gift = find(cps.interactions(kinds="purchase"), free, settings=SEARCH)
    assert gift.amount == Money(amount=0, currency="CNY")
    history = find(
        cps.histories(kinds=["purchase", "refund"], max_size=5),
        lambda h: any(free(i) for i in h) and any(i.kind is InteractionKind.REFUND for i in h),
        settings=SEARCH,
    )
    check_history(history)
    pool = find(
        cps.pools(max_customers=3), lambda p: any(map(free, p.interactions)), settings=SEARCH
    )
    assert pool.check_references() == ()


def test_purchases_shrink_toward_a_paid_order_of_one_minor_unit() -> None:
    # Whether an order is free is a choice of its own: shrinking never makes an order free.
    buy = find(cps.interactions(kinds="purchase"), lambda _: True, settings=SEARCH)
    assert buy.amount == Money(amount="0.01", currency="CNY")
    history = find(
        cps.histories(kinds="purchase", currencies="JPY"),
        lambda h: len(h) >= 2,
        settings=SEARCH,
    )
    assert [str(i.amount) for i in history] == ["1 JPY", "1 JPY"]


def test_about_one_purchase_in_eight_is_free() -> None:
    counts: Counter[bool] = Counter()

    @settings(max_examples=400, database=None, derandomize=True, phases=[Phase.generate])
    @given(cps.interactions(kinds="purchase"))
    def tally(i: Interaction) -> None:
        assert i.amount is not None
        counts[i.amount.amount == 0] += 1

    tally()
    # 1/8 of 400 is 50; allow a wide margin for Hypothesis' non-uniform draws
    assert 15 <= counts[True] <= 120, counts


# --------------------------------------------------------------------------- pools


@SOME
@given(cps.pools(max_customers=6, max_interactions_per_customer=8))
def test_pools_are_referentially_consistent(pool: Pool) -> None:
    assert pool.check_references() == ()
    members = {c.id for c in pool.customers}
    assert [(i.at, i.id) for i in pool.interactions] == sorted(
        (i.at, i.id) for i in pool.interactions
    )
    orders = [i.order_id for i in pool.interactions if i.kind is InteractionKind.PURCHASE]
    assert len(set(orders)) == len(orders)
    owner = {
        i.order_id: i.customer_id for i in pool.interactions if i.kind is InteractionKind.PURCHASE
    }
    for i in pool.interactions:
        if i.referred_id is not None:
            assert i.referred_id in members
            assert i.referred_id != i.customer_id
        if i.kind is InteractionKind.REFUND:
            assert owner[i.order_id] == i.customer_id  # type: ignore[index]
    for member in members:
        check_history(list(pool.history(member)), member)


@FEW
@given(cps.pools(min_customers=2, max_customers=3, kinds=["referral", "purchase", "refund"]))
def test_pools_with_linked_kinds_only(pool: Pool) -> None:
    assert 2 <= pool.size <= 3
    assert pool.check_references() == ()


@FEW
@given(cps.pools(min_customers=1, max_customers=1, kinds="referral"))
def test_single_member_pool_has_nobody_to_refer(pool: Pool) -> None:
    assert pool.interactions == ()


@st.composite
def pools_and_rules(draw: st.DrawFn) -> tuple[Pool, AllOf | AnyOf | NoneOf | None]:
    """A pool, and a rule over its members' tags, or None (filter by the charter's own rule)."""
    pool = draw(cps.pools(max_customers=4))
    vocabulary = sorted({t for c in pool.customers for t in c.tags}, key=str)
    leaves = st.sampled_from(vocabulary) if vocabulary else cps.tags()
    return pool, draw(st.none() | cps.rules(tag_strategy=leaves))


def check_filtering(pool: Pool, rule: AllOf | AnyOf | NoneOf | None) -> None:
    """Everything filter_members promises: the rule decides, and nothing is lost or doubled."""
    result = pool.filter_members(rule)
    active = rule if rule is not None else pool.charter.joining_rule
    kept, removed = result.pool.customers, result.removed
    kept_ids, removed_ids = {c.id for c in kept}, {c.id for c in removed}
    # Every member ends up exactly once on one side, in pool order.
    assert len(kept) + len(removed) == pool.size
    assert kept_ids | removed_ids == {c.id for c in pool.customers}
    assert len(kept_ids) + len(removed_ids) == pool.size
    assert kept == tuple(c for c in pool.customers if c.id in kept_ids)
    assert removed == tuple(c for c in pool.customers if c.id in removed_ids)
    # The rule decides who goes, and the reasons are the rule's own.
    if active is None:
        assert removed == ()
        assert result.reasons == ()
    else:
        assert all(active.matches(c.tags) for c in kept)
        assert all(not active.matches(c.tags) for c in removed)
        assert removed_ids == {c.id for c in pool.customers if not active.matches(c.tags)}
        assert [(f.customer_id, f.reason) for f in result.reasons] == [
            (c.id, active.failure(c.tags)) for c in removed
        ]
    # Interactions follow their members; none is lost or doubled.
    assert result.pool.interactions == tuple(
        i for i in pool.interactions if i.customer_id in kept_ids
    )
    assert result.removed_interactions == tuple(
        i for i in pool.interactions if i.customer_id in removed_ids
    )
    ids = [i.id for i in result.pool.interactions + result.removed_interactions]
    assert len(ids) == len(set(ids)) == len(pool.interactions)
    assert set(ids) == {i.id for i in pool.interactions}
    assert result.pool.charter == pool.charter
    assert result.pool.activities == pool.activities


@FEW
@given(pools_and_rules())
def test_filtering_a_generated_pool_accounts_for_everyone(
    case: tuple[Pool, AllOf | AnyOf | NoneOf | None],
) -> None:
    check_filtering(*case)


def _keep_everyone(self: Pool, rule: object = None) -> FilterResult:  # noqa: ARG001 - as filter_members
    return FilterResult(pool=self, removed=(), removed_interactions=(), reasons=())


def test_filtering_property_catches_a_filter_that_removes_nobody(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Pool, "filter_members", _keep_everyone)

    @settings(
        max_examples=100,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        report_multiple_bugs=False,
        deadline=None,
    )
    @given(pools_and_rules())
    def check(case: tuple[Pool, AllOf | AnyOf | NoneOf | None]) -> None:
        check_filtering(*case)

    with pytest.raises(AssertionError):
        check()


# --------------------------------------------------------------------------- relationship tiers

WINDOWS = ("engage_window", "convert_window", "advocate_window", "dormant_after", "recover_window")


def two_decimals(value: Decimal) -> bool:
    return value == value.quantize(Decimal("0.01"))


@SOME
@given(cps.paradigms())
def test_paradigms_are_valid_orders(paradigm: Paradigm) -> None:
    assert paradigm.stages[0] is Stage.CONNECTED
    assert sorted(paradigm.stages) == sorted(Stage)
    assert Paradigm.from_json(paradigm.to_json()) == paradigm
    assert Paradigm.model_validate(paradigm.model_dump()) == paradigm
    assert paradigm in (NURTURE_FIRST, CONVERT_FIRST) or paradigm.name.startswith("custom-")


@FEW
@given(cps.paradigms(custom=False))
def test_built_in_paradigms_only(paradigm: Paradigm) -> None:
    assert paradigm in (NURTURE_FIRST, CONVERT_FIRST)


@SOME
@given(cps.policies())
def test_policies_are_valid(policy: Policy) -> None:
    assert Policy.from_json(policy.to_json()) == policy
    assert Policy.model_validate(policy.model_dump()) == policy
    assert 0 < policy.engage_min_interactions <= 10
    assert two_decimals(policy.engage_min_interactions)
    for name in WINDOWS:
        window = getattr(policy, name)
        assert timedelta(days=1) <= window <= timedelta(days=400)
        assert window.microseconds == 0
    for weight in policy.engage_weights.values():
        assert 0 <= weight <= 5
        assert two_decimals(weight)
    assert policy.advocate_min_nps in {None, *range(11)}


@FEW
@given(
    cps.policies(
        paradigms=["convert_first", NURTURE_FIRST],
        min_window=timedelta(hours=1),
        max_window=timedelta(days=7),
        max_threshold="2.5",
        weight_kinds=["reaction", InteractionKind.GROUP_POST],
        max_weight=Decimal("0.5"),
        with_advocate_min_nps=False,
    )
)
def test_policies_options(policy: Policy) -> None:
    assert policy.paradigm in (CONVERT_FIRST, NURTURE_FIRST)
    for name in WINDOWS:
        assert timedelta(hours=1) <= getattr(policy, name) <= timedelta(days=7)
    assert 0 < policy.engage_min_interactions <= Decimal("2.5")
    assert set(policy.engage_weights) <= {InteractionKind.REACTION, InteractionKind.GROUP_POST}
    assert all(0 <= w <= Decimal("0.5") for w in policy.engage_weights.values())
    assert policy.advocate_min_nps is None
    assert Policy.from_json(policy.to_json()) == policy


CUSTOM = Paradigm(name="mine", stages=["connected", "advocate", "converted", "engaged"])


@FEW
@given(cps.policies(paradigms=st.just(CUSTOM), weight_kinds=()))
def test_policies_from_a_paradigm_strategy_without_weights(policy: Policy) -> None:
    assert policy.paradigm == CUSTOM
    assert dict(policy.engage_weights) == {}
    assert Policy.from_json(policy.to_json()) == policy


def test_tier_strategies_shrink_toward_defaults() -> None:
    default = Policy()
    assert find(cps.paradigms(), lambda _: True, settings=SEARCH) == NURTURE_FIRST
    assert find(cps.policies(), lambda _: True, settings=SEARCH) == default
    # Only what the condition needs moves away from the default.
    longer = find(
        cps.policies(), lambda p: p.engage_window > default.engage_window, settings=SEARCH
    )
    assert longer.engage_window == default.engage_window + timedelta(seconds=1)
    assert longer.model_copy(update={"engage_window": default.engage_window}) == default


def check_tier_state(result: TierState) -> None:
    revalidate(result)
    order = [c.stage for c in result.criteria]
    Paradigm(name=result.paradigm, stages=order)  # the criteria follow a valid paradigm
    assert result.as_of.utcoffset() == timedelta(0)
    assert (result.tier is None) == (result.state in {State.PROSPECT, State.CHURNED})
    assert (result.criterion(Stage.CONNECTED).value == 0) == (result.state is State.PROSPECT)
    assert all(result.criterion(stage).met for stage in result.skipped)
    if result.customer_id is None:  # an empty history
        assert result.state is State.PROSPECT
        assert result.since is None


@SOME
@given(cps.tier_states())
def test_tier_states_are_consistent(result: TierState) -> None:
    check_tier_state(result)


@FEW
@given(
    cps.tier_states(
        policies=[Policy(), Policy(paradigm="convert_first", advocate_min_nps=9)],
        customer_id="c-1",
        max_size=5,
        min_time=datetime(2026, 1, 1, tzinfo=SHANGHAI),
        max_time=datetime(2026, 3, 1, tzinfo=SHANGHAI),
    )
)
def test_tier_states_options(result: TierState) -> None:
    check_tier_state(result)
    assert result.customer_id in {None, "c-1"}
    assert result.paradigm in {"nurture_first", "convert_first"}


@FEW
@given(cps.tier_states(kinds=["message", "purchase"], max_size=5))
def test_tier_states_add_no_connect_that_kinds_leave_out(result: TierState) -> None:
    assert result.state is State.PROSPECT


@FEW
@given(cps.tier_states(min_size=0, max_size=0))
def test_tier_states_of_empty_histories(result: TierState) -> None:
    assert result.customer_id is None
    assert result.state is State.PROSPECT


def test_tier_states_reach_every_state() -> None:
    # About 260 examples see every state here; one full CI run needed over 1,000 (the cause is
    # not found: the draw is derandomised), so the pass may go on to 5,000.
    quick = settings(max_examples=5000, database=None, derandomize=True, phases=[Phase.generate])
    seen: set[State] = set()

    def every_state_seen(result: TierState) -> bool:
        seen.add(result.state)
        return seen == set(State)

    find(cps.tier_states(), every_state_seen, settings=quick)  # one pass, until all are seen
    assert seen == set(State)


@FEW
@given(st.from_type(Criterion))
def test_criterion_from_type(criterion: Criterion) -> None:
    assert criterion.threshold > 0
    assert (criterion.window is None) == (criterion.stage is Stage.CONNECTED)
    assert not criterion.met or criterion.value >= criterion.threshold


# --------------------------------------------------------------------------- secrets


_STAND_INS = {
    "phone": ("+0 000-000-0000", "+9 999-999-9999"),
    "wechat_id": ("Standin_wechat_A", "Standin_wechat_B"),
    "wecom_external_id": ("standin_wecom_A", "standin_wecom_B"),
}


def _stand_in(contacts: Contacts) -> Contacts:
    """Contacts with every handle replaced by a different valid handle."""
    values = {
        name: SecretStr(next(v for v in _STAND_INS[name] if v != handle))
        for name, handle in contacts.reveal().items()
    }
    return Contacts(**values)


def _outputs(obj: Customer | Pool) -> list[str]:
    return [repr(obj), str(obj), obj.to_json(), obj.model_dump_json()]


def _assert_no_leak(real: Customer | Pool, stand_in: Customer | Pool, handles: list[str]) -> None:
    # Masked output must not depend on the handles at all: swapping every handle for another
    # leaves it unchanged. A handle may still occur by chance inside other fields (a name, an
    # id), so "absent" is checked as "no more often than with the handles swapped out".
    for shown, shown_without in zip(_outputs(real), _outputs(stand_in), strict=True):
        assert shown == shown_without
        for handle in handles:
            assert shown.count(handle) == shown_without.count(handle)
            if handle not in shown_without:
                assert handle not in shown


_with_handles = st.builds(
    lambda c, contacts: Customer.model_validate(c.model_dump() | {"contacts": contacts}),
    cps.customers(),
    cps.contacts(min_handles=1),
)


@SOME
@given(_with_handles)
def test_customer_secrets_never_shown(c: Customer) -> None:
    handles = list(c.contacts.reveal().values())
    assert handles
    swapped = c.model_copy(update={"contacts": _stand_in(c.contacts)})
    _assert_no_leak(c, swapped, handles)
    assert all(h in c.to_json(reveal_secrets=True) for h in handles)


@FEW
@given(cps.pools(max_customers=5, max_interactions_per_customer=3))
def test_pool_secrets_never_shown(pool: Pool) -> None:
    handles = [h for c in pool.customers for h in c.contacts.reveal().values()]
    swapped = pool.model_copy(
        update={
            "customers": tuple(
                c.model_copy(update={"contacts": _stand_in(c.contacts)}) for c in pool.customers
            )
        }
    )
    _assert_no_leak(pool, swapped, handles)


# --------------------------------------------------------------------------- argument checks

NAIVE = datetime(2026, 1, 1)  # noqa: DTZ001 - deliberately naive
LATE = datetime(2027, 1, 1, tzinfo=UTC)
EARLY = datetime(2025, 1, 1, tzinfo=UTC)

BAD_ARGUMENTS = [
    (cps.tags, {"groups": ["bogus"]}, "groups"),
    (cps.tags, {"groups": []}, "groups"),
    (cps.money, {"currencies": []}, "currencies"),
    (cps.money, {"currencies": ["XXX"]}, "currencies"),
    (cps.money, {"min_amount": 1.5}, "min_amount"),
    (cps.money, {"max_amount": "abc"}, "max_amount"),
    (cps.money, {"max_amount": 10**15}, "max_amount"),
    (cps.money, {"min_amount": 10, "max_amount": 1}, "min_amount"),
    (cps.money, {"currencies": "JPY", "min_amount": "0.1", "max_amount": "0.9"}, "min_amount"),
    (cps.contacts, {"min_handles": 4}, "min_handles"),
    (cps.contacts, {"min_handles": -1}, "min_handles"),
    (cps.customers, {"ids": ["has space"]}, "ids"),
    (cps.customers, {"ids": []}, "ids"),
    (cps.customers, {"with_contacts": "yes"}, "with_contacts"),
    (cps.customers, {"max_tags": -1}, "max_tags"),
    (cps.customers, {"min_time": NAIVE}, "min_time"),
    (cps.customers, {"tag_strategy": "vip"}, "tag_strategy"),
    (cps.interactions, {"kinds": "bogus"}, "kinds"),
    (cps.interactions, {"kinds": []}, "kinds"),
    (cps.interactions, {"currencies": "ZZZ"}, "currencies"),
    (cps.interactions, {"customer_ids": [""]}, "customer_ids"),
    (cps.interactions, {"min_time": "2026-01-01T00:00:00Z"}, "min_time"),
    (cps.interactions, {"max_time": NAIVE}, "max_time"),
    (cps.interactions, {"min_time": LATE, "max_time": EARLY}, "min_time"),
    (cps.histories, {"min_size": 5, "max_size": 2}, "min_size"),
    (cps.histories, {"min_size": -1}, "min_size"),
    (cps.histories, {"max_size": -1}, "max_size"),
    (cps.histories, {"max_size": 2.5}, "max_size"),
    (cps.histories, {"min_time": NAIVE}, "min_time"),
    (cps.histories, {"min_time": LATE, "max_time": EARLY}, "min_time"),
    (cps.histories, {"kinds": ["bogus"]}, "kinds"),
    (cps.histories, {"kinds": ["refund", "message"]}, "kinds"),
    (cps.histories, {"currencies": []}, "currencies"),
    (cps.histories, {"customer_id": "has space"}, "customer_id"),
    (cps.histories, {"id_prefix": "a b"}, "id_prefix"),
    (cps.histories, {"id_prefix": 7}, "id_prefix"),
    (
        cps.histories,
        {"customer_id": "c-1", "other_customer_ids": ["c-1"], "kinds": ["referral"]},
        "other_customer_ids",
    ),
    (cps.histories, {"other_customer_ids": ["bad id"]}, "other_customer_ids"),
    (cps.activities, {"kinds": ["bogus"]}, "kinds"),
    (cps.activities, {"max_topics": -1}, "max_topics"),
    (cps.activities, {"max_time": NAIVE}, "max_time"),
    (cps.rules, {"max_depth": 0}, "max_depth"),
    (cps.rules, {"max_depth": True}, "max_depth"),
    (cps.rules, {"max_items": 0}, "max_items"),
    (cps.rules, {"tag_strategy": ["vip"]}, "tag_strategy"),
    (cps.charters, {"max_interests": -1}, "max_interests"),
    (cps.charters, {"max_operators": -2}, "max_operators"),
    (cps.charters, {"max_rule_depth": 0}, "max_rule_depth"),
    (cps.pools, {"min_customers": 3, "max_customers": 2}, "min_customers"),
    (cps.pools, {"max_interactions_per_customer": -1}, "max_interactions_per_customer"),
    (cps.pools, {"kinds": "refund"}, "kinds"),
    (cps.pools, {"currencies": ["CNY", "???"]}, "currencies"),
    (cps.pools, {"max_activities": -1}, "max_activities"),
    (cps.pools, {"with_contacts": None}, "with_contacts"),
    (cps.pools, {"min_time": NAIVE}, "min_time"),
    (cps.paradigms, {"custom": "yes"}, "custom"),
    (cps.policies, {"paradigms": "bogus"}, "paradigms"),
    (cps.policies, {"paradigms": []}, "paradigms"),
    (cps.policies, {"paradigms": [NURTURE_FIRST, 3]}, "paradigms"),
    (cps.policies, {"min_window": timedelta(0)}, "min_window"),
    (cps.policies, {"min_window": 5}, "min_window"),
    (cps.policies, {"max_window": timedelta(days=-1)}, "max_window"),
    (cps.policies, {"max_window": "P30D"}, "max_window"),
    (
        cps.policies,
        {"min_window": timedelta(days=10), "max_window": timedelta(days=1)},
        "min_window",
    ),
    (
        cps.policies,
        {"min_window": timedelta(microseconds=2), "max_window": timedelta(microseconds=5)},
        "min_window",
    ),
    (cps.policies, {"max_threshold": 0}, "max_threshold"),
    (cps.policies, {"max_threshold": "0.001"}, "max_threshold"),
    (cps.policies, {"max_threshold": 2.5}, "max_threshold"),
    (cps.policies, {"max_weight": -1}, "max_weight"),
    (cps.policies, {"max_weight": "lots"}, "max_weight"),
    (cps.policies, {"weight_kinds": ["bogus"]}, "weight_kinds"),
    (cps.policies, {"weight_kinds": "bogus"}, "weight_kinds"),
    (cps.policies, {"with_advocate_min_nps": None}, "with_advocate_min_nps"),
    (cps.tier_states, {"policies": "nurture_first"}, "policies"),
    (cps.tier_states, {"policies": []}, "policies"),
    (cps.tier_states, {"policies": [Policy(), NURTURE_FIRST]}, "policies"),
    (cps.tier_states, {"max_size": -1}, "max_size"),
    (cps.tier_states, {"min_size": 3, "max_size": 1}, "min_size"),
    (cps.tier_states, {"kinds": ["bogus"]}, "kinds"),
    (cps.tier_states, {"min_time": NAIVE}, "min_time"),
    (cps.tier_states, {"min_time": LATE, "max_time": EARLY}, "min_time"),
    (cps.tier_states, {"customer_id": "has space"}, "customer_id"),
]


@pytest.mark.parametrize(
    ("function", "kwargs", "field"),
    BAD_ARGUMENTS,
    ids=[f"{f.__name__}-{'-'.join(k)}-{i}" for i, (f, k, _) in enumerate(BAD_ARGUMENTS)],
)
def test_bad_arguments_raise_at_call_time(function, kwargs, field) -> None:
    with pytest.raises(InvalidStrategyArgument) as caught:
        function(**kwargs)  # calling is enough: nothing is drawn
    err = caught.value
    assert err.field == field
    assert str(err).startswith(f"{field}=")
    assert isinstance(err, ValueError)
    assert isinstance(err, InvalidArgument)
    assert isinstance(err, custpool.ValidationError)


@FEW
@given(st.data())
def test_good_arguments_in_other_spellings(data: st.DataObject) -> None:
    # Single values on their own, enum members, lower-case currencies, aware non-UTC bounds:
    # each is accepted, and what it draws obeys it.
    assert data.draw(cps.tags(groups=TagGroup.INTEREST)).group is TagGroup.INTEREST
    # groups=None is the default, any group or none; [None] asks for ungrouped tags only
    assert data.draw(cps.tags(groups=[None])).group is None
    m = data.draw(cps.money(currencies="usd", min_amount=Decimal("0.01"), max_amount="1"))
    assert m.currency == "USD"
    assert Decimal("0.01") <= m.amount <= 1
    i = data.draw(cps.interactions(kinds=InteractionKind.PURCHASE, customer_ids="c-1"))
    assert (i.kind, i.customer_id) == (InteractionKind.PURCHASE, "c-1")
    instant = datetime(2026, 1, 1, tzinfo=SHANGHAI)  # 2025-12-31 16:00 UTC
    history = data.draw(cps.histories(customer_id="c-1", min_time=instant, max_time=instant))
    assert all(x.at == instant and x.customer_id == "c-1" for x in history)
    empty = cps.pools(min_customers=0, max_customers=0, max_interactions_per_customer=0)
    assert data.draw(empty).customers == ()
    p = data.draw(cps.policies(paradigms=NURTURE_FIRST, weight_kinds="reaction", max_weight="0"))
    assert p.paradigm == NURTURE_FIRST
    assert set(p.engage_weights) <= {InteractionKind.REACTION}
    assert all(w == 0 for w in p.engage_weights.values())
    p = data.draw(
        cps.policies(paradigms=("convert_first", CUSTOM), weight_kinds=[], max_threshold="0.01")
    )
    assert p.paradigm in (CONVERT_FIRST, CUSTOM)
    assert dict(p.engage_weights) == {}
    assert p.engage_min_interactions == Decimal("0.01")  # from 0.01 to 0.01
    p = data.draw(cps.policies(min_window=timedelta(days=3), max_window=timedelta(days=3)))
    windows = {p.engage_window, p.convert_window, p.advocate_window, p.dormant_after}
    assert windows == {timedelta(days=3)}
    state = data.draw(
        cps.tier_states(policies=Policy(), customer_id="c-1", kinds=InteractionKind.CONNECT)
    )
    assert state.customer_id in ("c-1", None)  # None: an empty history
    # connects alone never buy, refer or churn
    assert state.state not in (State.CONVERTED, State.ADVOCATE, State.CHURNED)
    built_in = cps.tier_states(policies=cps.policies(paradigms=cps.paradigms(custom=False)))
    assert data.draw(built_in).paradigm in ("nurture_first", "convert_first")


@FEW
@given(cps.pools(max_customers=0))
def test_empty_pools(pool: Pool) -> None:
    assert pool.customers == ()
    assert pool.interactions == ()
