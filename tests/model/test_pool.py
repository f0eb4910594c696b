import pytest
from pydantic import ValidationError as PydanticValidationError

from conftest import at
from custpool import (
    AllOf,
    Customer,
    Interaction,
    Pool,
    PoolActivity,
    PoolCharter,
    UnknownIdError,
    ValidationError,
)


def ids(customers):
    return [c.id for c in customers]


def test_joining_failures_list_every_failing_member_with_reason(pool):
    failures = pool.joining_failures()
    assert [(f.customer_id, f.reason) for f in failures] == [
        ("c-2", "lacks interest:咖啡"),
        ("c-3", "has blocked"),
    ]


def test_filter_returns_removed_members_and_their_interactions(pool):
    result = pool.filter_members()
    assert ids(result.pool.customers) == ["c-1"]
    assert ids(result.removed) == ["c-2", "c-3"]
    assert [i.id for i in result.pool.interactions] == ["i-1", "i-3"]
    assert [i.id for i in result.removed_interactions] == ["i-2", "i-4"]
    assert [r.customer_id for r in result.reasons] == ["c-2", "c-3"]
    # nothing lost: kept + removed = original
    assert len(result.pool.customers) + len(result.removed) == pool.size
    assert len(result.pool.interactions) + len(result.removed_interactions) == len(
        pool.interactions
    )
    assert pool.size == 3  # the original is untouched


def test_filter_with_an_explicit_rule_and_with_no_rule(pool):
    assert ids(pool.filter_members(AllOf.of("vip")).pool.customers) == ["c-1"]
    open_pool = Pool(charter=PoolCharter(name="open"), customers=pool.customers)
    result = open_pool.filter_members()
    assert result.removed == ()
    assert result.pool == open_pool


def test_tag_where_rule_or_function(pool):
    assert pool.customer("c-2").tags[-1].name != "tea-drinker"  # warm the id index first
    by_rule = pool.tag_where("lifecycle:tea-drinker", AllOf.of("interest:tea"))
    assert by_rule.customer("c-2").has_tag("lifecycle:tea-drinker")
    assert not by_rule.customer("c-1").has_tag("lifecycle:tea-drinker")
    by_function = pool.tag_where("custom:first", lambda c: c.id == "c-1")
    assert ids(c for c in by_function.customers if c.has_tag("custom:first")) == ["c-1"]
    assert not pool.customer("c-2").has_tag("lifecycle:tea-drinker")  # original untouched


def test_tag_customers_and_untag(pool):
    tagged = pool.tag_customers("vip", ["c-2", "c-3"])
    assert sum(c.has_tag("vip") for c in tagged.customers) == 3
    assert sum(c.has_tag("vip") for c in tagged.untag("vip").customers) == 0
    partly = tagged.untag("vip", where=AllOf.of("interest:tea"))
    assert ids(c for c in partly.customers if c.has_tag("vip")) == ["c-1", "c-3"]
    with pytest.raises(UnknownIdError):
        pool.tag_customers("vip", ["c-1", "nobody"])


def test_bad_where_argument_is_named(pool):
    with pytest.raises(ValidationError) as info:
        pool.tag_where("vip", "vip")  # a string is neither a rule nor a function
    assert info.value.field == "where"


def test_lookup_and_history(pool):
    assert pool.customer("c-1").id == "c-1"
    with pytest.raises(KeyError, match="no customer with id 'c-9'"):
        pool.customer("c-9")
    assert [i.id for i in pool.history("c-1")] == ["i-1", "i-3"]


def test_invariants_are_enforced(pool, charter):
    with pytest.raises(
        PydanticValidationError, match="customers ids must be unique; repeated: 'c-1'"
    ):
        Pool(charter=charter, customers=[*pool.customers, Customer(id="c-1")])
    stray = Interaction(id="i-9", customer_id="ghost", at=at(1), kind="store_visit")
    with pytest.raises(PydanticValidationError, match="unknown customer ids: 'ghost'"):
        Pool(charter=charter, customers=pool.customers, interactions=[stray])
    dup = pool.interactions[0]
    with pytest.raises(PydanticValidationError, match="interactions ids must be unique"):
        Pool(charter=charter, customers=pool.customers, interactions=[dup, dup])


def test_errors_do_not_echo_secret_inputs(charter):
    with pytest.raises(PydanticValidationError) as info:
        Pool(charter=charter, customers=[{"id": "c-1", "contacts": {"phone": "leak-me-please"}}])
    assert "leak-me-please" not in str(info.value)


def _refund(iid, day, amount, *, customer="c-1", currency="CNY"):
    return Interaction(
        id=iid,
        customer_id=customer,
        at=at(day),
        kind="refund",
        direction="inbound",
        channel="store",
        order_id="o-1",
        amount={"amount": amount, "currency": currency},
    )


def _referral(iid, referred):
    return Interaction(
        id=iid,
        customer_id="c-1",
        at=at(5),
        kind="referral",
        referred_id=referred,
        channel="wecom_chat",
    )


def test_check_references_reports_dangling_and_excess(pool, charter):
    extra = [
        _referral("r-1", "stranger"),
        _referral("r-2", "c-2"),
        _refund("f-1", 6, "1").model_copy(update={"order_id": "o-404"}),
        _refund("f-2", 6, "50"),
        _refund("f-3", 7, "38"),
        _refund("f-4", 7, "0.01"),
        _refund("f-5", 8, "1", currency="USD"),
        _refund("f-6", 8, "1", customer="c-2"),
        _refund("f-7", 1, "1"),
        Interaction(
            id="p-2",
            customer_id="c-1",
            at=at(9),
            kind="purchase",
            channel="store",
            order_id="o-1",
            amount={"amount": "5", "currency": "CNY"},
        ),
    ]
    bigger = Pool(
        charter=charter, customers=pool.customers, interactions=[*pool.interactions, *extra]
    )
    issues = {i.interaction_id: i.problem for i in bigger.check_references()}
    # o-1 cost 88.00: f-2 (50) and f-3 (38) use it up exactly, f-4 (0.01) exceeds it.
    assert issues == {
        "r-1": "refers 'stranger', who is not a member",
        "f-1": "refunds order 'o-404', which has no purchase in the pool",
        "f-4": "refunds more than order 'o-1' cost (88.00 CNY)",
        "f-5": "refunds order 'o-1' in USD, but it was paid in CNY",
        "f-6": "refunds order 'o-1' of another customer ('c-1')",
        "f-7": "refunds order 'o-1' before it was bought (2026-03-03T12:00:00+00:00)",
        "p-2": "reuses order id 'o-1' of purchase 'i-3'",
    }
    assert pool.check_references() == ()


def test_round_trip_with_activities(pool):
    activity = PoolActivity(
        id="a-1", at=at(1), kind="event_held", channel="live_stream", event_id="e-1", ritual=True
    )
    full = Pool(
        charter=pool.charter,
        customers=pool.customers,
        interactions=pool.interactions,
        activities=[activity],
    )
    assert Pool.from_json(full.to_json(reveal_secrets=True)) == full
    assert "13800138000" not in full.to_json()


def _free_order(iid, day, order_id):
    return Interaction(
        id=iid,
        customer_id="c-1",
        at=at(day),
        kind="purchase",
        channel="store",
        order_id=order_id,
        amount={"amount": "0", "currency": "CNY"},
    )


def test_a_refund_of_a_free_order_is_reported_as_beyond_its_amount(pool, charter):
    # A free order (0.00) has nothing to refund: any refund (> 0 by the model's rule) exceeds it.
    gift = _free_order("g-1", 5, "o-gift")
    refund = _refund("g-2", 6, "0.01").model_copy(update={"order_id": "o-gift"})
    bigger = Pool(
        charter=charter, customers=pool.customers, interactions=[*pool.interactions, gift, refund]
    )
    issues = {i.interaction_id: i.problem for i in bigger.check_references()}
    assert issues == {"g-2": "refunds more than order 'o-gift' cost (0.00 CNY)"}


def test_a_free_order_alone_raises_no_reference_issue(pool, charter):
    gift = _free_order("g-1", 5, "o-gift")
    bigger = Pool(
        charter=charter, customers=pool.customers, interactions=[*pool.interactions, gift]
    )
    assert bigger.check_references() == ()
    assert [i.id for i in bigger.history("c-1")][-1] == "g-1"
