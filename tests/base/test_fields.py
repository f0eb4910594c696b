from datetime import UTC, datetime, timedelta, timezone

import pytest

from custpool._fields import check_identifier, check_text, to_utc


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
