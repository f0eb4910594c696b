"""Hostile input to the models (issue 13, model items): times, secrets, raw exceptions, look-alikes.

Every test here failed before the fix it pins.
"""

import io
import json
import unicodedata
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, SecretStr, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from conftest import T0
from custpool import (
    AllOf,
    Contacts,
    Customer,
    FilterResult,
    Interaction,
    Money,
    Pool,
    PoolActivity,
    PoolCharter,
    SizeRange,
    Tag,
    ValidationError,
    WrongTypeError,
    example_pool,
    normalize_tag_name,
    pseudonymise_id,
    read_csv,
    read_jsonl,
)

SALT = b"0123456789abcdef"
PHONE = "13800138000"
DIGITS = "3800138"  # any run of the handle's digits that must never be shown


def field_errors(exc: PydanticValidationError) -> dict[str, str]:
    return {".".join(map(str, e["loc"])): e["msg"] for e in exc.errors()}


# --- 2: numbers are never times -------------------------------------------------------------

NUMBERS_AS_TIMES = [
    1772359200,  # 2026-03-01T10:00:00Z as Unix seconds
    20260301,  # a date written as a number: 1970-08-23T11:51:41Z as Unix seconds
    -1,
    0,
    1.5,
    Decimal(20260301),
    "1772359200",
    "20260301",
    "-1",
    "+1",
    "1.5",
    ".5",
    "-0",
    b"1772359200",
]


def interaction(**changes):
    data = {
        "id": "i-1",
        "customer_id": "c-1",
        "at": "2026-03-01T20:00:00+08:00",
        "kind": "message",
        "direction": "inbound",
        "channel": "wecom_chat",
    }
    return Interaction(**(data | changes))


def activity(**changes):
    data = {
        "id": "a-1",
        "at": "2026-03-01T20:00:00+08:00",
        "kind": "event_held",
        "channel": "store",
        "event_id": "ev-1",
    }
    return PoolActivity(**(data | changes))


@pytest.mark.parametrize("number", NUMBERS_AS_TIMES, ids=repr)
@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda v: Customer(id="c-1", connected_at=v), "connected_at"),
        (lambda v: interaction(at=v), "at"),
        (lambda v: activity(at=v), "at"),
    ],
    ids=["Customer.connected_at", "Interaction.at", "PoolActivity.at"],
)
def test_a_number_is_never_read_as_a_time(build, field, number):
    with pytest.raises(PydanticValidationError) as info:
        build(number)
    (message,) = field_errors(info.value).values()
    assert list(field_errors(info.value)) == [field]
    assert "never reads a number as Unix time" in message


def test_a_json_number_is_never_read_as_a_time():
    row = json.dumps({"id": "c-1", "connected_at": 1772359200})
    with pytest.raises(PydanticValidationError, match="is a number, not a time"):
        Customer.from_json(row)


def test_iso_times_with_an_offset_are_still_read():
    c = Customer(id="c-1", connected_at="2026-03-01T20:00:00+08:00")
    assert c.connected_at == T0  # 20:00 at +08:00 is 12:00 UTC
    assert interaction(at="2026-03-01T12:00:00Z").at == T0
    assert interaction(at=b"2026-03-01T12:00:00Z").at == T0
    assert interaction(at=T0).at == T0


def test_loaders_reject_a_number_as_a_time_in_csv_and_jsonl():
    csv_text = b"id,at,kind,channel,event_id\na-1,20260301,event_held,store,ev-1\n"
    jsonl_text = b'{"id":"a-1","at":20260301,"kind":"event_held","channel":"store","event_id":"e"}'
    for result in (
        read_csv(io.BytesIO(csv_text), PoolActivity),
        read_jsonl(io.BytesIO(jsonl_text), PoolActivity),
    ):
        assert result.records == ()
        (rejection,) = result.rejections
        assert rejection.field == "at"
        assert "never reads a number as Unix time" in rejection.reason


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from(["", ".0", ".25"]))
def test_no_string_of_digits_is_read_as_a_time(seconds, fraction):
    with pytest.raises(PydanticValidationError, match="not an ISO 8601 time"):
        Customer(id="c-1", connected_at=f"{seconds}{fraction}")


# --- 6c: contact handles never shown, nested validation included ------------------------------

BAD_CUSTOMERS = {
    "malformed phone": {"id": "c-1", "contacts": {"phone": "x" + PHONE}},
    "phone as a number": {"id": "c-1", "contacts": {"phone": int(PHONE)}},
    "masked phone": {"id": "c-1", "contacts": {"phone": "**********"}},
    "phone as bytes that are not UTF-8": {"id": "c-1", "contacts": {"phone": b"\xff" + b"1" * 11}},
    "contacts given as a phone": {"id": "c-1", "contacts": PHONE},
    "unknown contact key": {"id": "c-1", "contacts": {"mobile": PHONE}},
    "unknown customer key": {"id": "c-1", "mobile": PHONE},
    "missing id beside a phone": {"contacts": {"phone": PHONE}},
    "bad id beside a phone": {"id": "c 1", "contacts": {"phone": PHONE}},
    "a phone where a customer belongs": PHONE,
}


class Signup(BaseModel):
    """A user's model holding a customer, as in a FastAPI body."""

    source: str
    customer: Customer


def assert_no_handle(exc: PydanticValidationError) -> None:
    for shown in (str(exc), repr(exc), repr(exc.errors()), exc.json()):
        assert DIGITS not in shown
    for error in exc.errors():
        assert DIGITS not in repr(error.get("ctx"))


@pytest.mark.parametrize("data", BAD_CUSTOMERS.values(), ids=BAD_CUSTOMERS.keys())
def test_a_contact_handle_never_shows_in_nested_validation_errors(data):
    validators = [
        lambda: TypeAdapter(list[Customer]).validate_python([data]),
        lambda: TypeAdapter(list[Customer]).validate_json(json.dumps([data], default=repr)),
        lambda: Signup(source="web", customer=data),
        lambda: Customer.model_validate(data),
    ]
    for validate in validators:
        with pytest.raises(PydanticValidationError) as info:
            validate()
        assert_no_handle(info.value)


def test_nested_handle_errors_still_name_the_field_and_the_rule():
    with pytest.raises(PydanticValidationError) as info:
        Signup(source="web", customer=BAD_CUSTOMERS["malformed phone"])
    (error,) = info.value.errors()
    assert error["loc"] == ("customer", "contacts", "phone")
    assert error["msg"].startswith("Value error, must be a phone number")
    assert repr(error["input"]) == "SecretStr('**********')"


class Club(BaseModel):
    name: str
    pool: Pool


@pytest.mark.parametrize(
    "pool_data",
    [
        {"customers": [{"id": "c-1", "contacts": {"phone": PHONE}}]},  # no charter
        {  # duplicate ids: the pool's own check fails
            "charter": {"name": "Coffee"},
            "customers": [{"id": "c-1", "contacts": {"phone": PHONE}}, {"id": "c-1"}],
        },
        {"charter": {"name": "Coffee"}, "phones": [PHONE]},
    ],
    ids=["missing charter", "duplicate ids", "unknown key"],
)
def test_a_contact_handle_never_shows_in_errors_of_a_nested_pool(pool_data):
    with pytest.raises(PydanticValidationError) as info:
        Club(name="coffee", pool=pool_data)
    assert_no_handle(info.value)
    with pytest.raises(PydanticValidationError) as info:
        TypeAdapter(FilterResult).validate_python({"pool": pool_data, "removed": []})
    assert_no_handle(info.value)


def test_handles_still_validate_and_round_trip():
    c = Customer(id="c-1", contacts={"phone": f" {PHONE} ", "wechat_id": b"coffee_fan"})
    assert c.contacts.reveal() == {"phone": PHONE, "wechat_id": "coffee_fan"}  # trimmed, decoded
    assert Customer.from_json(c.to_json(reveal_secrets=True)) == c
    assert Pool.from_json(example_pool().to_json(reveal_secrets=True)) == example_pool()
    assert Contacts(phone=SecretStr(PHONE)).reveal() == {"phone": PHONE}


@pytest.mark.parametrize("flag", ["no", "false", 1, None])
def test_only_true_reveals_secrets(flag):
    c = Customer(id="c-1", contacts={"phone": PHONE})
    with pytest.raises(WrongTypeError, match="reveal_secrets"):
        c.to_json(reveal_secrets=flag)
    with pytest.raises(WrongTypeError, match="reveal_secrets"):
        c.to_dict(reveal_secrets=flag)
    assert PHONE not in c.model_dump_json(context={"reveal_secrets": flag})


# --- 10: custpool errors, never OverflowError or AttributeError ---------------------------------


@pytest.mark.parametrize("time", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_time_out_of_range_in_utc_is_a_field_error_not_an_overflow(time):
    with pytest.raises(PydanticValidationError) as info:
        Customer(id="c-1", connected_at=time)
    assert list(field_errors(info.value)) == ["connected_at"]
    assert "in UTC it falls outside the years 1-9999" in field_errors(info.value)["connected_at"]


def test_loaders_name_the_field_of_a_time_out_of_range():
    row = b'{"id": "c-1", "connected_at": "0001-01-01T00:00:00+14:00"}'
    (rejection,) = read_jsonl(io.BytesIO(row), Customer).rejections
    assert rejection.field == "connected_at"
    assert "out of range" in rejection.reason


@pytest.mark.parametrize(
    ("units", "currency", "error", "field"),
    [
        (1, None, WrongTypeError, "currency"),
        (1, 840, WrongTypeError, "currency"),
        (1.5, "CNY", WrongTypeError, "units"),
        (True, "CNY", WrongTypeError, "units"),
        ("1", "CNY", WrongTypeError, "units"),
        (1, "XXX", ValidationError, "currency"),
        (10**17, "CNY", ValidationError, "units"),  # 10**17 fen = 10**15 yuan: the limit
        (-(10**17), "CNY", ValidationError, "units"),
    ],
)
def test_money_from_minor_units_raises_custpool_errors(units, currency, error, field):
    with pytest.raises(error) as info:
        Money.from_minor_units(units, currency)
    assert info.value.field == field


def test_money_from_minor_units_takes_any_integer_up_to_the_limit():
    assert Money.from_minor_units(np.int64(19990), "cny") == Money(amount="199.90", currency="CNY")
    largest = Money.from_minor_units(10**17 - 1, "CNY")  # 999999999999999.99 CNY
    assert largest.amount == Decimal("999999999999999.99")


@pytest.mark.parametrize(
    ("customer_id", "salt", "error", "field"),
    [
        (5, SALT, WrongTypeError, "customer_id"),
        (None, SALT, WrongTypeError, "customer_id"),
        ("c-1", "0123456789abcdef", WrongTypeError, "salt"),
        ("\ud800", SALT, ValidationError, "customer_id"),
    ],
)
def test_pseudonymise_id_raises_custpool_errors(customer_id, salt, error, field):
    with pytest.raises(error) as info:
        pseudonymise_id(customer_id, salt)
    assert info.value.field == field
    assert "0123456789abcdef" not in str(info.value)  # the salt is a secret


POOL = example_pool()
RULE = AllOf.of("vip")

WRONG_TYPES = {
    "Pool.customer(list)": (lambda: POOL.customer(["c-001"]), "customer_id"),
    "Pool.history(dict)": (lambda: POOL.history({"id": "c-001"}), "customer_id"),
    "Pool.tag_customers(str)": (lambda: POOL.tag_customers("vip", "c-001"), "customer_ids"),
    "Pool.tag_customers(int)": (lambda: POOL.tag_customers("vip", 5), "customer_ids"),
    "Pool.joining_failures(str)": (lambda: POOL.joining_failures("vip"), "rule"),
    "Pool.filter_members(int)": (lambda: POOL.filter_members(5), "rule"),
    "Pool.tag_where(where=str)": (lambda: POOL.tag_where("vip", "vip"), "where"),
    "rule.matches(int)": (lambda: RULE.matches(5), "tags"),
    "rule.matches(str)": (lambda: RULE.matches("vip"), "tags"),
    "rule.failure([int])": (lambda: RULE.failure([5]), "tags.0"),
    "SizeRange.contains(str)": (lambda: SizeRange(low=1, high=9).contains("3"), "size"),
    "normalize_tag_name(int)": (lambda: normalize_tag_name(5), "name"),
    "to_json(indent=str)": (lambda: POOL.charter.to_json(indent="2"), "indent"),
}


@pytest.mark.parametrize("call", WRONG_TYPES.values(), ids=WRONG_TYPES.keys())
def test_public_entry_points_refuse_wrong_types_with_custpool_errors(call):
    function, field = call
    with pytest.raises(WrongTypeError) as info:
        function()
    assert isinstance(info.value, TypeError)
    assert info.value.field == field


def test_out_of_range_arguments_raise_custpool_validation_errors():
    with pytest.raises(ValidationError, match="indent"):
        POOL.charter.to_json(indent=10**30)
    with pytest.raises(ValidationError, match="name='a:b'"):
        normalize_tag_name("a:b")
    with pytest.raises(ValidationError, match=r"tags\.1"):
        RULE.failure(["vip", "a:b:c"])


def test_rules_read_tag_text_forms():
    assert RULE.matches(["VIP"])  # before: a string never equalled a Tag, so this was False
    assert RULE.failure(["interest:tea", Tag(name="x")]) == "lacks vip"


def test_a_currency_given_as_bytes_is_checked_like_text():
    assert Money(amount="1", currency=b"cny").currency == "CNY"
    with pytest.raises(PydanticValidationError, match="not an ISO 4217 currency"):
        Money(amount="1", currency=b"x")  # before: a raw KeyError


# --- 11: one id per look, strict texts and amounts --------------------------------------------

LOOKALIKE_IDS = {
    "Kelvin sign": ("\u212a-1", "K-1"),
    "decomposed c acute": ("c\u0301-1", "\u0107-1"),
    "full-width letters": ("\uff43-1", "c-1"),
    "Angstrom sign": ("\u212b", "\u00c5"),
    "CJK compatibility ideograph": ("\uf900", "\u8c48"),
}


@pytest.mark.parametrize(("given_id", "normal"), LOOKALIKE_IDS.values(), ids=LOOKALIKE_IDS.keys())
def test_ids_that_look_alike_are_refused_never_two_customers(given_id, normal):
    assert unicodedata.normalize("NFKC", given_id) == normal
    assert Customer(id=normal).id == normal  # the normal form is accepted, as it is
    for build in (
        lambda: Customer(id=given_id),
        lambda: interaction(customer_id=given_id),
        lambda: interaction(kind="event_attend", event_id=given_id),
        lambda: PoolCharter(name="x", operators=[given_id]),
    ):
        with pytest.raises(PydanticValidationError, match="must be in Unicode NFKC form") as info:
            build()
        assert ascii(normal) in str(info.value)  # the message says what to write instead


def test_a_file_with_k_and_the_kelvin_sign_loads_one_customer():
    rows = [json.dumps({"id": customer_id}) for customer_id in ("K", "\u212a", "\u0107", "c\u0301")]
    result = read_jsonl(io.BytesIO("\n".join(rows).encode()), Customer)
    assert [c.id for c in result.records] == ["K", "\u0107"]
    assert [(r.line, r.field) for r in result.rejections] == [(2, "id"), (4, "id")]


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_every_accepted_id_is_its_own_nfkc_form(text):
    try:
        accepted = Customer(id=text).id
    except PydanticValidationError:
        return
    assert accepted == text
    assert unicodedata.normalize("NFKC", accepted) == accepted


@pytest.mark.parametrize(
    "bad",
    ["\u2028", "\u2029", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2069"],
    ids=lambda ch: f"U+{ord(ch):04X}",
)
def test_free_text_refuses_line_separators_and_bidi_controls(bad):
    text = f"Li{bad}Wei"
    for build in (
        lambda: Customer(id="c-1", display_name=text),
        lambda: activity(title=text),
        lambda: PoolCharter(name=text),
        lambda: PoolCharter(name="x", norms=[text]),
    ):
        with pytest.raises(PydanticValidationError, match=r"separators|bidirectional"):
            build()


def test_free_text_keeps_joiners_and_direction_marks():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji joined by U+200D
    assert Customer(id="c-1", display_name=f"Li {family}").display_name == f"Li {family}"
    assert Customer(id="c-1", display_name="\u05e9\u05dc\u05d5\u05dd\u200e 1").display_name


@pytest.mark.parametrize(
    "amount",
    ["１２３", "1_000", "\u0661\u0662", "1,000", "NaN", "Infinity", "0x10", "1.2.3", "+-1", ""],
)
def test_amounts_take_only_ascii_decimal_text(amount):
    with pytest.raises(PydanticValidationError, match="is not a decimal number"):
        Money(amount=amount, currency="CNY")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("199.9", "199.90"),
        ("-5", "-5.00"),
        ("+1.5", "1.50"),
        (" 12 ", "12.00"),
        ("1e2", "100.00"),  # an exponent was accepted before: kept
        (".5", "0.50"),
        ("5.", "5.00"),
        (Decimal("1E+2"), "100.00"),
        (7, "7.00"),
    ],
)
def test_documented_amount_forms_are_still_read(amount, expected):
    assert str(Money(amount=amount, currency="CNY").amount) == expected


def test_json_numbers_are_still_read_exactly():
    assert Money.from_json('{"amount": 0.1, "currency": "CNY"}').amount == Decimal("0.10")
    assert Money.from_json('{"amount": 1e2, "currency": "CNY"}').amount == Decimal("100.00")


def test_a_csv_amount_in_full_width_digits_is_rejected():
    text = (
        "id,customer_id,at,kind,channel,order_id,amount,currency\n"
        "i-1,c-1,2026-03-01T12:00:00Z,purchase,store,o-1,１２３,CNY\n"
    )
    (rejection,) = read_csv(io.BytesIO(text.encode()), Interaction).rejections
    assert rejection.field == "amount.amount"
    assert "is not a decimal number" in rejection.reason
