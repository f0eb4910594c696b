import json

from custpool import Customer, Money


def test_to_dict_is_plain_json_data_with_secrets_masked():
    c = Customer(id="c-1", contacts={"phone": "13800138000"})
    data = c.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["contacts"]["phone"] == "**********"
    assert c.to_dict(reveal_secrets=True)["contacts"]["phone"] == "13800138000"


def test_to_json_indent_and_from_json_bytes():
    m = Money(amount="1.5", currency="CNY")
    assert m.to_json(indent=2).startswith("{\n  ")
    assert Money.from_json(m.to_json().encode()) == m


def test_field_docstrings_reach_the_json_schema():
    schema = Customer.model_json_schema()
    assert schema["properties"]["connected_at"]["description"].startswith("When the brand")


def test_schema_descriptions_keep_the_prose_not_the_doctests():
    schema = Customer.model_json_schema()
    assert schema["description"] == "A member of the pool."
    contacts = schema["$defs"]["Contacts"]["description"]
    assert contacts.startswith("Ways to reach a customer.")
    assert ">>>" not in json.dumps(schema)
