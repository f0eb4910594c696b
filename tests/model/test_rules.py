import pytest
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from custpool import AllOf, AnyOf, NoneOf, Tag, TagRule


def tags(*texts):
    return [Tag.parse(t) for t in texts]


RULE = AllOf.of("interest:咖啡", AnyOf.of("vip", "source:store"), NoneOf.of("blocked"))


@pytest.mark.parametrize(
    ("have", "reason"),
    [
        (("interest:咖啡", "vip"), None),
        (("interest:咖啡", "source:store"), None),
        (("vip",), "lacks interest:咖啡"),
        (("interest:咖啡",), "has none of: vip, source:store"),
        (("interest:咖啡", "vip", "blocked"), "has blocked"),
    ],
)
def test_failure_explains_the_first_unmet_part(have, reason):
    assert RULE.failure(tags(*have)) == reason
    assert RULE.matches(tags(*have)) is (reason is None)


def test_operators_compose():
    vip, coffee = AllOf.of("vip"), AllOf.of("interest:咖啡")
    assert (vip & coffee).matches(tags("vip", "interest:咖啡"))
    assert not (vip & coffee).matches(tags("vip"))
    assert (vip | coffee).matches(tags("interest:咖啡"))
    assert (~vip).matches(tags("interest:咖啡"))
    assert not (~vip).matches(tags("vip"))
    assert str(vip | ~coffee) == "any_of(all_of(vip), none_of(all_of(interest:咖啡)))"


def test_nested_none_of_a_rule():
    rule = NoneOf.of(AllOf.of("vip", "blocked"))
    assert rule.matches(tags("vip"))
    assert rule.failure(tags("vip", "blocked")) == "has all_of(vip, blocked)"


def test_json_round_trip_through_the_union():
    adapter = TypeAdapter(TagRule)
    assert adapter.validate_json(adapter.dump_json(RULE)) == RULE
    assert AllOf.from_json(RULE.to_json()) == RULE


def test_plain_data_form():
    rule = TypeAdapter(TagRule).validate_python(
        {"op": "any_of", "items": ["vip", {"op": "none_of", "items": ["blocked"]}]}
    )
    assert isinstance(rule, AnyOf)
    assert rule.matches([])  # none_of(blocked) holds for no tags


def test_empty_rules_and_unknown_ops_refused():
    with pytest.raises(PydanticValidationError, match="at least 1 item"):
        AllOf.of()
    with pytest.raises(PydanticValidationError, match="op"):
        TypeAdapter(TagRule).validate_python({"op": "most_of", "items": ["vip"]})
