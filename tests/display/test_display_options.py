"""The display options: set, reset, scoped with ``display_options``, refused when invalid.

They change how results read, never what is computed: a property checks that results and
their frames are the same under any options.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import custpool
from custpool import (
    EventTable,
    ValidationError,
    WrongTypeError,
    display,
    display_options,
    example_pool,
    pool_kpis,
)

JAN15, FEB1 = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _defaults():
    """Every test starts and ends with the default options (they are process-wide)."""
    display.reset()
    yield
    display.reset()


@pytest.fixture(scope="module")
def kpis():
    table = EventTable.from_interactions(example_pool().interactions)
    return pool_kpis(table, JAN15, FEB1)


def test_the_defaults():
    assert (display.lang, display.tz, display.max_rows) == ("en", None, 60)
    assert repr(display) == "DisplayOptions(lang='en', tz=None, max_rows=60)"


def test_setting_and_resetting_an_option():
    display.lang = "zh"
    display.tz = "Asia/Shanghai"
    display.max_rows = 5
    assert (display.lang, display.tz, display.max_rows) == ("zh", "Asia/Shanghai", 5)
    display.reset("lang")
    assert (display.lang, display.tz) == ("en", "Asia/Shanghai")
    display.reset()
    assert (display.lang, display.tz, display.max_rows) == ("en", None, 60)


def test_options_are_exported_under_their_public_name():
    assert custpool.display is display
    assert isinstance(display, custpool.DisplayOptions)
    assert custpool.DisplayOptions.__module__ == "custpool"


def test_the_context_manager_sets_and_restores(kpis):
    display.max_rows = 7
    with display_options(lang="zh", tz="Asia/Shanghai") as shown:
        assert shown is display
        assert (display.lang, display.tz, display.max_rows) == ("zh", "Asia/Shanghai", 7)
        # Jan 15, 00:00 UTC is 08:00 in Shanghai
        assert kpis.to_text().splitlines()[0] == (
            "客户池指标 (2026-01-15 08:00+08:00, 2026-02-01 08:00+08:00]"
        )
        with display_options(lang="en"):
            assert (display.lang, display.tz) == ("en", "Asia/Shanghai")
        assert display.lang == "zh"
    assert (display.lang, display.tz, display.max_rows) == ("en", None, 7)
    assert kpis.to_text().splitlines()[0].startswith("pool KPIs (2026-01-15 00:00+00:00")


def test_the_context_manager_restores_after_an_error():
    with pytest.raises(KeyError), display_options(lang="zh"):
        raise KeyError("x")
    assert display.lang == "en"


def test_arguments_win_over_the_options(kpis):
    with display_options(lang="zh", tz="Asia/Shanghai"):
        text = kpis.to_text(lang="en", tz="UTC")
    assert text.splitlines()[0] == "pool KPIs (2026-01-15 00:00+00:00, 2026-02-01 00:00+00:00]"


def test_a_tzinfo_is_accepted():
    with display_options(tz=ZoneInfo("America/New_York")):
        assert display.tz == ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("name", "value", "error", "rule"),
    [
        ("lang", "fr", ValidationError, "must be 'en' or 'zh'"),
        ("lang", None, WrongTypeError, "must be 'en' or 'zh'"),
        ("tz", "Mars/Olympus", ValidationError, "IANA time zone name"),
        ("tz", "../etc/passwd", ValidationError, "IANA time zone name"),
        ("tz", 8, WrongTypeError, "IANA time zone name"),
        ("max_rows", 0, ValidationError, "positive number of rows"),
        ("max_rows", True, WrongTypeError, "positive number of rows"),
        ("max_rows", 2.5, WrongTypeError, "positive number of rows"),
    ],
)
def test_an_invalid_value_is_refused_with_its_option_value_and_rule(name, value, error, rule):
    with pytest.raises(error) as caught:
        setattr(display, name, value)
    assert caught.value.field == f"display.{name}"
    assert caught.value.value == value
    assert rule in caught.value.rule
    with pytest.raises(error):
        display_options(**{name: value}).__enter__()
    assert (display.lang, display.tz, display.max_rows) == ("en", None, 60)  # nothing changed


def test_an_unknown_option_is_refused():
    with pytest.raises(ValidationError, match="not a display option"):
        display.colour = "red"
    with pytest.raises(ValidationError, match="not a display option"):
        display_options(colour="red").__enter__()
    with pytest.raises(ValidationError, match="not a display option"):
        display.reset("colour")


def test_invalid_arguments_to_to_text_name_the_argument(kpis):
    with pytest.raises(ValidationError) as caught:
        kpis.to_text(lang="de")
    assert caught.value.field == "lang"
    with pytest.raises(ValidationError) as caught:
        kpis.to_text(tz="Nowhere/Land")
    assert caught.value.field == "tz"


def test_a_with_block_changes_its_own_thread_only():
    seen: dict[str, str] = {}
    inside, done = threading.Event(), threading.Event()

    def worker():
        with display_options(lang="zh"):
            seen["worker"] = display.lang
            inside.set()
            done.wait(5)

    thread = threading.Thread(target=worker)
    thread.start()
    inside.wait(5)
    seen["main"] = display.lang  # while the worker is inside its block
    done.set()
    thread.join()
    assert seen == {"worker": "zh", "main": "en"}


def test_a_value_set_by_assignment_is_seen_by_every_thread():
    display.lang = "zh"
    seen = []
    thread = threading.Thread(target=lambda: seen.append(display.lang))
    thread.start()
    thread.join()
    assert seen == ["zh"]


@settings(max_examples=20, deadline=None)
@given(
    lang=st.sampled_from(["en", "zh"]),
    tz=st.sampled_from([None, "UTC", "Asia/Shanghai", "America/Los_Angeles", "Asia/Kathmandu"]),
    max_rows=st.one_of(st.none(), st.integers(1, 100)),
    days=st.integers(1, 60),
)
def test_options_never_change_a_result(lang, tz, max_rows, days):
    table = EventTable.from_interactions(example_pool().interactions)
    end = JAN15 + timedelta(days=days)
    plain = pool_kpis(table, JAN15, end)
    plain_frame = plain.to_frame("pyarrow")
    with display_options(lang=lang, tz=tz, max_rows=max_rows):
        shown = pool_kpis(table, JAN15, end)
        shown_frame = shown.to_frame("pyarrow")
        shown.to_text()  # rendering does not touch the result either
        shown._repr_html_()
    assert shown == plain
    assert shown_frame.equals(plain_frame)
    assert str(shown) == str(plain)  # the long-standing report ignores the options
