from datetime import UTC, datetime, timedelta, timezone

import pytest

from custpool._fields import check_identifier, check_text, refuse_numeric_time, to_utc


@pytest.mark.parametrize("good", ["c-1", "wmAbC_123", "客户-7", "x" * 128, "a@b.c:1"])
def test_identifiers_accepted(good):
    assert check_identifier(good) == good


@pytest.mark.parametrize("bad", ["", "a b", "tab\there", "x" * 129, "nul\x00", "nl\n"])
def test_identifiers_refused_with_the_rule(bad):
    with pytest.raises(ValueError, match="1-128 characters with no white space"):
        check_identifier(bad)


def test_text_is_trimmed_and_bounded():
    assert check_text("  hello ") == "hello"
    with pytest.raises(ValueError, match="must not be empty"):
        check_text("   ")
    with pytest.raises(ValueError, match="at most 500 characters; got 501"):
        check_text("x" * 501)
    with pytest.raises(ValueError, match="control characters"):
        check_text("two\nlines")


def test_to_utc_keeps_the_instant():
    shanghai = datetime(2026, 3, 1, 20, 0, tzinfo=timezone(timedelta(hours=8)))
    utc = to_utc(shanghai)
    assert utc == shanghai  # same instant
    assert utc.tzinfo is UTC
    assert (utc.hour, utc.minute) == (12, 0)  # 20:00 at +08:00 is 12:00 UTC


def test_to_utc_refuses_naive_and_says_how_to_fix():
    with pytest.raises(ValueError, match=r"naive datetime .*ZoneInfo"):
        to_utc(datetime(2026, 3, 1, 20, 0))  # noqa: DTZ001 - the naive value is the point


def test_an_id_that_nfkc_would_change_is_refused_with_its_normal_form():
    with pytest.raises(ValueError, match=r"NFKC form.*got '\\u212a', whose NFKC form is 'K'"):
        check_identifier("\u212a")  # the Kelvin sign
    with pytest.raises(ValueError, match="NFKC form"):
        check_identifier("c\u0301")  # c + combining acute: NFC and NFKC both compose it
    assert check_identifier("\u0107") == "\u0107"  # the composed ć is kept as it is


def test_a_non_string_id_is_a_value_error_not_a_crash():
    with pytest.raises(ValueError, match="an id must be a string; got NoneType"):
        check_identifier(None)


@pytest.mark.parametrize("bad", ["\u2028", "\u2029", "\u202e", "\u2067"])
def test_text_refuses_separators_and_bidi_controls_inside(bad):
    with pytest.raises(ValueError, match=r"separators|bidirectional"):
        check_text(f"a{bad}b")


def test_to_utc_refuses_an_instant_outside_the_calendar_with_a_value_error():
    east = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))  # 0000-12-31T10:00Z
    with pytest.raises(ValueError, match="outside the years 1-9999"):
        to_utc(east)


@pytest.mark.parametrize("number", [20260301, 1.5, "20260301", "-1", b"1772359200"])
def test_numbers_are_refused_before_pydantic_reads_them_as_unix_time(number):
    with pytest.raises(ValueError, match="never reads a number as Unix time"):
        refuse_numeric_time(number)
