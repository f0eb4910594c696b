import pytest
from pydantic import ValidationError as PydanticValidationError

from custpool import Tag, TagGroup, normalize_tag_name
from custpool._model.tags import sorted_tags


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Coffee   Lovers ", "coffee lovers"),
        ("咖啡", "咖啡"),
        ("ＶＩＰ", "vip"),  # full-width Latin (NFKC)
        ("Straße", "strasse"),  # case folding, not just lower()
        ("e\u0301", "é"),  # decomposed accent composes
    ],
)
def test_names_are_normalised(raw, expected):
    assert normalize_tag_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        ("   ", "must not be empty"),
        ("x" * 65, "at most 64 characters; got 65"),
        ("a\x00b", "control or invisible"),
        ("zero\u200bwidth", "control or invisible"),
        ("a:b", "':' or ';'"),
        ("a;b", "':' or ';'"),
    ],
)
def test_bad_names_are_refused_with_the_rule(raw, rule):
    with pytest.raises(ValueError, match=rule):
        normalize_tag_name(raw)


def test_equal_after_normalisation_and_hashable():
    assert Tag(name=" VIP ") == Tag(name="vip")
    assert len({Tag(name="VIP"), Tag(name="vip"), Tag(name="vip", group="custom")}) == 2


def test_text_form_round_trip():
    for text in ["vip", "interest:咖啡", "source:store", "lifecycle:at risk"]:
        assert str(Tag.parse(text)) == text
    assert Tag.parse("Interest : Coffee") == Tag(name="coffee", group=TagGroup.INTEREST)


def test_unknown_group_is_refused():
    with pytest.raises(PydanticValidationError, match="group"):
        Tag.parse("hobby:coffee")


def test_sorted_tags_deduplicates_and_orders_ungrouped_first():
    tags = (Tag.parse("interest:b"), Tag.parse("z"), Tag.parse("interest:a"), Tag.parse("Z"))
    assert [str(t) for t in sorted_tags(tags)] == ["z", "interest:a", "interest:b"]
