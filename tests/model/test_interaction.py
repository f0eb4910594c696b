import json

import pytest
from pydantic import ValidationError as PydanticValidationError

from conftest import SHANGHAI, T0
from custpool import (
    KIND_RULES,
    Channel,
    Direction,
    Interaction,
    InteractionKind,
)
from custpool._model.interaction import KIND_FIELDS

CNY = {"amount": "99.00", "currency": "CNY"}

# The smallest valid example of every kind: the per-kind fields each needs.
MINIMAL = {
    InteractionKind.CONNECT: {"source": "store", "direction": "inbound", "channel": "wecom_chat"},
    InteractionKind.CHURN: {
        "churn_reason": "deleted",
        "direction": "inbound",
        "channel": "wecom_chat",
    },
    InteractionKind.MESSAGE: {"direction": "outbound", "channel": "wecom_chat"},
    InteractionKind.GROUP_POST: {"direction": "peer"},
    InteractionKind.REACTION: {"direction": "inbound", "channel": "moments"},
    InteractionKind.CONTENT_VIEW: {"channel": "mini_program"},
    InteractionKind.EVENT_ATTEND: {"event_id": "ev-1", "channel": "live_stream"},
    InteractionKind.STORE_VISIT: {},
    InteractionKind.PURCHASE: {"order_id": "o-1", "amount": CNY, "channel": "store"},
    InteractionKind.REFUND: {
        "order_id": "o-1",
        "amount": CNY,
        "direction": "outbound",
        "channel": "store",
    },
    InteractionKind.REFERRAL: {"referred_id": "c-2", "channel": "wecom_chat"},
    InteractionKind.NPS: {"score": 9, "channel": "wecom_chat"},
    InteractionKind.COMPLAINT: {"complaint_reason": "service", "channel": "phone"},
}


def make(kind, **kw):
    fields = {"id": "i-1", "customer_id": "c-1", "at": T0, "kind": kind}
    return Interaction(**(fields | MINIMAL[kind] | kw))


def test_every_kind_has_a_rule_and_an_example():
    assert set(KIND_RULES) == set(InteractionKind) == set(MINIMAL)


@pytest.mark.parametrize("kind", list(InteractionKind))
def test_minimal_example_of_each_kind_is_valid_and_round_trips(kind):
    i = make(kind)
    assert i.kind is kind
    assert Interaction.from_json(i.to_json()) == i


@pytest.mark.parametrize("kind", list(InteractionKind))
def test_each_required_field_is_enforced_by_name(kind):
    for name in KIND_RULES[kind].required:
        with pytest.raises(PydanticValidationError) as info:
            make(kind, **{name: None})
        error = info.value.errors()[0]
        assert error["loc"] == (name,)
        assert f"kind {kind.value!r} needs {name}" in error["msg"]


@pytest.mark.parametrize("kind", list(InteractionKind))
def test_fields_of_other_kinds_are_refused_by_name(kind):
    foreign = {"score": 5, "event_id": "ev-9", "referred_id": "c-9", "churn_reason": "other"}
    for name, value in foreign.items():
        if name in KIND_RULES[kind].allowed:
            continue
        with pytest.raises(PydanticValidationError) as info:
            make(kind, **{name: value})
        error = info.value.errors()[0]
        assert error["loc"] == (name,)
        assert f"takes no {name}" in error["msg"]


def test_single_direction_and_fixed_channel_are_filled_in():
    assert make(InteractionKind.PURCHASE).direction is Direction.INBOUND
    assert make(InteractionKind.STORE_VISIT).channel is Channel.STORE
    assert make(InteractionKind.GROUP_POST).channel is Channel.CUSTOMER_GROUP


def test_ambiguous_direction_must_be_given():
    with pytest.raises(PydanticValidationError) as info:
        Interaction(id="i", customer_id="c", at=T0, kind="message", channel="wecom_chat")
    assert [e["loc"] for e in info.value.errors()] == [("direction",)]


@pytest.mark.parametrize(
    ("kind", "changes", "loc", "fragment"),
    [
        (InteractionKind.PURCHASE, {"direction": "outbound"}, "direction", "cannot be outbound"),
        (InteractionKind.NPS, {"direction": "peer"}, "direction", "allowed: inbound"),
        (InteractionKind.GROUP_POST, {"channel": "store"}, "channel", "happens in customer_group"),
        (
            InteractionKind.PURCHASE,
            {"amount": {"amount": "-0.01", "currency": "CNY"}},
            "amount",
            "must not be negative on a purchase (0 is a free order)",
        ),
        (
            InteractionKind.REFUND,
            {"amount": {"amount": "0", "currency": "CNY"}},
            "amount",
            "must be positive on a refund",
        ),
        (
            InteractionKind.REFUND,
            {"amount": {"amount": "-5", "currency": "CNY"}},
            "amount",
            "must be positive on a refund",
        ),
        (InteractionKind.REFERRAL, {"referred_id": "c-1"}, "referred_id", "cannot refer itself"),
        (InteractionKind.NPS, {"score": 11}, "score", "less than or equal to 10"),
        (InteractionKind.NPS, {"score": -1}, "score", "greater than or equal to 0"),
        (InteractionKind.NPS, {"score": True}, "score", "not the boolean"),
    ],
)
def test_per_kind_rules(kind, changes, loc, fragment):
    with pytest.raises(PydanticValidationError) as info:
        make(kind, **changes)
    error = info.value.errors()[0]
    assert error["loc"][0] == loc
    assert fragment in error["msg"]


@pytest.mark.parametrize("text", ["0", "0.00", "-0"])
def test_a_free_purchase_of_zero_is_valid_and_round_trips(text):
    # A free order (a gift, a 0元 trial) costs 0.00: a purchase like any other.
    gift = make(InteractionKind.PURCHASE, amount={"amount": text, "currency": "CNY"})
    assert gift.amount is not None
    assert gift.amount.minor_units == 0
    assert gift.amount.currency == "CNY"
    assert Interaction.from_json(gift.to_json()) == gift


def test_a_negative_purchase_is_refused_naming_its_amount():
    with pytest.raises(PydanticValidationError) as info:
        make(InteractionKind.PURCHASE, amount={"amount": "-3", "currency": "JPY"})
    error = info.value.errors()[0]
    assert error["loc"] == ("amount",)
    assert "got -3 JPY" in error["msg"]


def test_unknown_kind_is_reported_on_kind():
    with pytest.raises(PydanticValidationError) as info:
        Interaction(
            id="i", customer_id="c", at=T0, kind="hug", direction="inbound", channel="store"
        )
    assert [e["loc"] for e in info.value.errors()] == [("kind",)]


def test_naive_timestamp_refused_with_a_fix():
    with pytest.raises(PydanticValidationError, match="has no time zone"):
        make(InteractionKind.STORE_VISIT, at="2026-03-01T12:00:00")


def test_offsets_are_normalised_to_utc():
    i = make(InteractionKind.STORE_VISIT, at=T0.astimezone(SHANGHAI))
    assert i.at == T0
    assert i.to_dict()["at"] == "2026-03-01T12:00:00Z"


def test_customer_initiated_follows_direction():
    assert make(InteractionKind.MESSAGE, direction="peer").customer_initiated
    assert not make(InteractionKind.MESSAGE).customer_initiated  # outbound


def test_json_schema_carries_the_per_kind_rules():
    schema = Interaction.model_json_schema()
    clauses = {c["if"]["properties"]["kind"]["const"]: c["then"] for c in schema["allOf"]}
    assert set(clauses) == {k.value for k in InteractionKind}
    purchase = clauses["purchase"]
    assert purchase["required"] == ["amount", "channel", "order_id"]
    assert purchase["properties"]["direction"] == {"enum": ["inbound"]}
    assert purchase["properties"]["score"] == {"type": "null"}
    assert clauses["store_visit"]["properties"]["channel"] == {"enum": ["store"]}
    assert set(KIND_FIELDS) <= set(schema["properties"])
    json.dumps(schema)  # serialisable as is


def test_labels_exist_for_every_kind():
    assert InteractionKind.PURCHASE.label_zh == "购买"
    assert all(k.label_zh for k in InteractionKind)
    assert Direction.INBOUND.label_zh == "客户发起"
