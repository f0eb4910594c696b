import pytest
from pydantic import ValidationError as PydanticValidationError

from custpool import (
    CONVERT_FIRST,
    NURTURE_FIRST,
    BusinessType,
    Paradigm,
    Stage,
    State,
    ValidationError,
    paradigm_for,
)


def test_labels_and_codes():
    assert [s.label_zh for s in Stage] == ["浅", "粘", "深", "铁"]
    assert [s.code for s in State] == list(range(7))
    assert State.CHURNED.label_zh == "流失"
    assert Stage.ENGAGED.state is State.ENGAGED
    assert State.DORMANT.stage is None


def test_built_in_paradigms():
    assert NURTURE_FIRST.stages == (
        Stage.CONNECTED,
        Stage.ENGAGED,
        Stage.CONVERTED,
        Stage.ADVOCATE,
    )
    assert CONVERT_FIRST.stages == (
        Stage.CONNECTED,
        Stage.CONVERTED,
        Stage.ENGAGED,
        Stage.ADVOCATE,
    )
    assert str(NURTURE_FIRST) == "nurture_first: 浅 → 粘 → 深 → 铁"
    assert Paradigm.model_validate("convert_first") == CONVERT_FIRST


def test_after_walks_the_ladder():
    assert CONVERT_FIRST.after(None) is Stage.CONNECTED
    assert CONVERT_FIRST.after(Stage.CONNECTED) is Stage.CONVERTED
    assert CONVERT_FIRST.after(Stage.ADVOCATE) is None


@pytest.mark.parametrize(
    ("stages", "fragment"),
    [
        (["engaged", "connected", "converted", "advocate"], "must start with connected"),
        (["connected", "engaged", "engaged", "advocate"], "exactly once"),
        (["connected", "engaged", "converted"], "exactly once"),
        ([], "must start with connected; got nothing"),
    ],
)
def test_custom_paradigms_are_validated(stages, fragment):
    with pytest.raises(PydanticValidationError, match=fragment):
        Paradigm(name="custom", stages=stages)


def test_unknown_paradigm_name():
    with pytest.raises(PydanticValidationError, match="unknown paradigm 'agile'"):
        Paradigm.model_validate("agile")


@pytest.mark.parametrize(
    ("business", "paradigm"),
    [
        (BusinessType.ORDINARY, NURTURE_FIRST),
        (BusinessType.BRAND, CONVERT_FIRST),
        ("necessity", CONVERT_FIRST),
        ("standardised", CONVERT_FIRST),
        ("convenience", CONVERT_FIRST),
    ],
)
def test_paradigm_for_business(business, paradigm):
    assert paradigm_for(business) == paradigm


def test_unknown_business_type():
    with pytest.raises(ValidationError, match="must be one of ordinary, brand") as info:
        paradigm_for("luxury")
    assert info.value.field == "business"


def test_built_in_names_are_reserved():
    with pytest.raises(PydanticValidationError, match="built-in paradigm's"):
        Paradigm(name="nurture_first", stages=CONVERT_FIRST.stages)
    assert Paradigm(name="nurture_first", stages=NURTURE_FIRST.stages) == NURTURE_FIRST
