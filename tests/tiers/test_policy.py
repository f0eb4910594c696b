from datetime import timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError as PydanticValidationError

from custpool import CONVERT_FIRST, InteractionKind, Policy


def test_defaults_are_the_documented_numbers():
    p = Policy()
    assert p.paradigm.name == "nurture_first"
    assert p.engage_min_interactions == 3
    assert p.engage_window == timedelta(days=30)
    assert p.convert_window == timedelta(days=365)
    assert p.advocate_window == timedelta(days=365)
    assert p.dormant_after == timedelta(days=90)
    assert p.advocate_min_nps is None


def test_weights_scale_to_exact_integers():
    p = Policy(engage_weights={"reaction": "0.25", "group_post": 2}, engage_min_interactions="2.5")
    assert p.weight_of(InteractionKind.REACTION) == Decimal("0.25")
    assert p.weight_of("message") == 1
    scaled = p.scaled_weights()
    assert scaled[InteractionKind.REACTION] == 25  # 0.25 × 100
    assert scaled[InteractionKind.GROUP_POST] == 200
    assert p.scaled_threshold == 250


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("engage_window", timedelta(0), "positive duration"),
        ("convert_window", timedelta(days=-3), "positive duration"),
        ("engage_min_interactions", 0, "greater than 0"),
        ("engage_weights", {"reaction": "0.333"}, "at most two decimals"),
        ("engage_weights", {"reaction": "-1"}, "from 0 to 10"),
        ("engage_weights", {"reaction": "1e30"}, "from 0 to 10"),
        ("advocate_min_nps", True, "not the boolean True"),
        ("engage_weights", {"hug": "1"}, "engage_weights.hug"),
        ("advocate_min_nps", 11, "less than or equal to 10"),
        ("paradigm", "growth", "unknown paradigm"),
    ],
)
def test_bad_fields_named(field, value, fragment):
    with pytest.raises(PydanticValidationError, match=fragment) as info:
        Policy(**{field: value})
    assert str(info.value.errors()[0]["loc"][0]) == field


def test_policy_is_frozen_and_round_trips():
    p = Policy(paradigm=CONVERT_FIRST, engage_weights={"reaction": "0.5"}, advocate_min_nps=9)
    assert Policy.from_json(p.to_json()) == p
    with pytest.raises(PydanticValidationError, match="frozen"):
        p.advocate_min_nps = 1


def test_weights_are_read_only():
    p = Policy(engage_weights={"reaction": "0.5"})
    with pytest.raises(TypeError):
        p.engage_weights[InteractionKind.MESSAGE] = Decimal(0)  # type: ignore[index]
    assert p.weight_of("message") == 1


def test_equal_policies_hash_alike():
    a = Policy(engage_weights={"reaction": "0.5", "group_post": 2})
    b = Policy(engage_weights={"group_post": "2.00", "reaction": "0.50"})
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b, Policy()}) == 2
