import pytest
from pydantic import ValidationError as PydanticValidationError

from custpool import Cadence, Channel, PoolCharter, SizeRange, TagGroup


def test_interests_become_interest_tags():
    charter = PoolCharter(name="c", interests=["咖啡", "interest:tea", "Tea"])
    assert [str(t) for t in charter.interests] == ["interest:tea", "interest:咖啡"]
    assert all(t.group is TagGroup.INTEREST for t in charter.interests)


def test_interest_of_another_group_refused():
    with pytest.raises(PydanticValidationError, match="interests must be interest tags"):
        PoolCharter(name="c", interests=["source:store"])


def test_platforms_deduplicated_in_order_and_operators_unique():
    charter = PoolCharter(name="c", platforms=["moments", "store", "moments"], operators=["a", "b"])
    assert charter.platforms == (Channel.MOMENTS, Channel.STORE)
    with pytest.raises(PydanticValidationError, match="operator 'a' is listed twice"):
        PoolCharter(name="c", operators=["a", "a"])


def test_capacity_is_operators_times_per_operator():
    charter = PoolCharter(name="c", operators=["a", "b", "c"], operator_capacity=300)
    assert charter.capacity == 900  # 3 operators × 300 members


def test_cadence_and_size_range():
    assert Cadence(times=2, days=14).per_week == 1.0  # 2 × 7 / 14
    assert str(Cadence(times=1, days=30)) == "1 per 30 days"
    assert SizeRange(low=100, high=500).contains(100)
    assert not SizeRange(low=100, high=500).contains(501)
    with pytest.raises(PydanticValidationError, match=r"low \(5\) must not exceed high \(4\)"):
        SizeRange(low=5, high=4)
    with pytest.raises(PydanticValidationError, match="greater than or equal to 1"):
        Cadence(times=0, days=7)


def test_defaults_declare_nothing_but_the_name():
    charter = PoolCharter(name="  Coffee  ")
    assert charter.name == "Coffee"
    assert charter.joining_rule is None
    assert charter.target_size is None
    assert charter.content_cadence is None
    assert charter.operator_capacity == 500


def test_round_trip(charter):
    assert PoolCharter.from_json(charter.to_json()) == charter
