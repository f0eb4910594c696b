"""The charter's readiness fields (seed 001): brand, positioning, endorsements and culture."""

from __future__ import annotations

import json

import pytest
from hypothesis import Phase, find, given, settings
from pydantic import ValidationError as PydanticValidationError

from custpool import PoolCharter
from custpool.strategies import charters

FIELDS = ("brand", "positioning", "endorsements", "vision", "mission", "core_values")


def test_the_fields_are_optional_and_declare_nothing_by_default() -> None:
    charter = PoolCharter(name="Coffee")
    assert (charter.brand, charter.positioning, charter.vision, charter.mission) == (None,) * 4
    assert charter.endorsements == charter.core_values == ()


def test_a_charter_saved_before_the_fields_existed_still_loads() -> None:
    old = '{"name": "Coffee", "interests": ["咖啡"], "norms": ["No ads"], "operators": ["op-1"]}'
    charter = PoolCharter.from_json(old)
    assert charter.brand is None
    assert charter.endorsements == ()
    assert [str(t) for t in charter.interests] == ["interest:咖啡"]


def test_text_is_trimmed_and_repeated_lines_collapse_in_order() -> None:
    charter = PoolCharter(
        name="Coffee",
        brand="  Bean & Co ",
        endorsements=["SCA certified", "Best roaster 2025", "SCA certified"],
        core_values=["Honesty", "Craft", " Honesty"],
    )
    assert charter.brand == "Bean & Co"
    assert charter.endorsements == ("SCA certified", "Best roaster 2025")
    assert charter.core_values == ("Honesty", "Craft")  # " Honesty" trims to a repeat


def test_round_trip_with_every_field() -> None:
    charter = PoolCharter(
        name="Coffee",
        brand="Bean & Co",
        positioning="The coffee you can trace to the farm",
        endorsements=["SCA certified"],
        vision="Every cup traceable",
        mission="Fair prices to growers",
        core_values=["Honesty"],
    )
    assert PoolCharter.from_json(charter.to_json()) == charter
    dumped = json.loads(charter.to_json())
    assert dumped["endorsements"] == ["SCA certified"]
    assert dumped["brand"] == "Bean & Co"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("brand", ""),
        ("positioning", "two\nlines"),
        ("vision", "   "),
        ("mission", 42),
        ("endorsements", [""]),
        ("core_values", "Honesty"),  # a string, not a list of lines
    ],
)
def test_bad_values_are_refused_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(PydanticValidationError) as info:
        PoolCharter(name="Coffee", **{field: value})
    assert info.value.errors()[0]["loc"][0] == field


def test_the_fields_are_in_the_json_schema_with_their_descriptions() -> None:
    properties = PoolCharter.model_json_schema()["properties"]
    assert set(FIELDS) <= set(properties)
    assert properties["brand"]["description"] == "The brand (品牌), if declared."


def test_drawn_charters_cover_the_new_fields() -> None:
    full = find(
        charters(),
        lambda c: all(getattr(c, f) not in (None, ()) for f in FIELDS),
        # no shrinking: any charter with all six is proof, and shrinking one is slow
        settings=settings(max_examples=2_000, database=None, phases=[Phase.generate]),
    )
    assert full.brand is not None
    assert full.endorsements
    assert full.core_values


@settings(max_examples=30)
@given(charters())
def test_drawn_charters_keep_lines_unique_and_round_trip(charter: PoolCharter) -> None:
    assert len(set(charter.endorsements)) == len(charter.endorsements) <= 3
    assert len(set(charter.core_values)) == len(charter.core_values) <= 3
    assert PoolCharter.from_json(charter.to_json()) == charter
