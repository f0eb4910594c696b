import json

import pytest
from pydantic import SecretStr
from pydantic import ValidationError as PydanticValidationError

from conftest import SHANGHAI, T0
from custpool import Contacts, Customer, SourceChannel, Tag, ValidationError, pseudonymise_id
from custpool._model.customer import MASK

PHONE = "+86 138 0013 8000"
SALT = b"0123456789abcdef"


def make(**kw):
    base = {
        "id": "c-1",
        "display_name": "Li Wei",
        "source": "store",
        "tags": ["interest:咖啡", "VIP", "vip"],
        "contacts": {"phone": PHONE, "wechat_id": "coffee_fan", "wecom_external_id": "wmAB12"},
    }
    return Customer(**(base | kw))


def test_fields_are_normalised():
    c = make(connected_at=T0.astimezone(SHANGHAI))
    assert [str(t) for t in c.tags] == ["vip", "interest:咖啡"]
    assert c.source is SourceChannel.STORE
    assert c.connected_at == T0
    assert c.connected_at.tzinfo is not None
    assert c.connected_at.utcoffset().total_seconds() == 0


def test_secrets_never_in_repr_str_or_default_json():
    c = make()
    for text in (repr(c), str(c), c.to_json(), c.model_dump_json(), json.dumps(c.to_dict())):
        for handle in (PHONE, "coffee_fan", "wmAB12"):
            assert handle not in text
    assert c.to_dict()["contacts"] == {
        "phone": MASK,
        "wechat_id": MASK,
        "wecom_external_id": MASK,
    }


def test_explicit_reveal_and_exact_round_trip():
    c = make()
    assert c.contacts.reveal() == {
        "phone": PHONE,
        "wechat_id": "coffee_fan",
        "wecom_external_id": "wmAB12",
    }
    assert Customer.from_json(c.to_json(reveal_secrets=True)) == c


def test_masked_output_cannot_be_read_back_as_real_handles():
    with pytest.raises(PydanticValidationError, match="is masked"):
        Customer.from_json(make().to_json())


def test_bad_handle_error_names_the_rule_not_the_value():
    with pytest.raises(PydanticValidationError) as info:
        make(contacts={"phone": "call-me-maybe"})
    message = str(info.value)
    assert "contacts.phone" in message
    assert "must be a phone number" in message
    assert "call-me-maybe" not in message


def test_contacts_accept_secretstr_and_report_emptiness():
    assert Contacts(phone=SecretStr("13800138000")).reveal() == {"phone": "13800138000"}
    assert not Contacts()
    assert Contacts(wechat_id="abc_def")


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("id", "has space", "no white space"),
        ("connected_at", "2026-03-01T12:00:00", "naive datetime"),
        ("source", "carrier pigeon", "source"),
        ("display_name", "two\nlines", "control characters"),
        ("tags", ["a:b:c"], "tags"),
    ],
)
def test_bad_fields_are_named(field, value, fragment):
    with pytest.raises(PydanticValidationError, match=fragment):
        make(**{field: value})


def test_frozen_and_no_extra_fields():
    c = make()
    with pytest.raises(PydanticValidationError, match="frozen"):
        c.id = "c-2"
    with pytest.raises(PydanticValidationError, match="Extra inputs are not permitted"):
        make(email="x@example.com")


def test_tag_helpers_return_new_customers():
    c = make()
    tagged = c.with_tags("lifecycle:new", Tag(name="VIP"))
    assert tagged.has_tag("lifecycle:new")
    assert len(tagged.tags) == len(c.tags) + 1  # VIP was already there
    assert not c.has_tag("lifecycle:new")
    assert tagged.contacts == c.contacts
    assert not tagged.without_tags("vip", "never-had").has_tag("vip")


def test_pseudonymised_copy_hides_identity_consistently():
    c = make()
    p = c.pseudonymised(SALT)
    assert p.id == pseudonymise_id("c-1", SALT)
    assert p.display_name is None
    assert not p.contacts
    assert p.tags == c.tags
    assert pseudonymise_id("c-1", SALT) != pseudonymise_id("c-1", SALT[::-1])
    assert pseudonymise_id("c-1", SALT) != pseudonymise_id("c-2", SALT)


def test_pseudonym_is_the_documented_hmac():
    import hashlib  # noqa: PLC0415
    import hmac  # noqa: PLC0415

    expected = "p_" + hmac.new(SALT, b"c-1", hashlib.sha256).hexdigest()
    assert pseudonymise_id("c-1", SALT) == expected


@pytest.mark.parametrize("salt", [b"", b"short", "a string salt of enough length"])
def test_weak_salt_refused_without_showing_it(salt):
    with pytest.raises(ValidationError) as info:
        pseudonymise_id("c-1", salt)
    assert info.value.field == "salt"
    assert "short" not in str(info.value)


def test_json_schema_marks_secrets_write_only():
    schema = Customer.model_json_schema()
    phone = schema["$defs"]["Contacts"]["properties"]["phone"]["anyOf"][0]
    assert phone["writeOnly"] is True
