"""TierTable.to_frame and CustomerTags.to_frame: hand-checked frames, in every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from conftest import at
from custpool import (
    CustomerTags,
    EventTable,
    InteractionKind,
    Policy,
    ValidationError,
    classify_table,
)
from custpool._engine.codes import KIND_CODE
from custpool._frames import BACKENDS
from frames_helpers import rows
from tiers_helpers import ev

AS_OF = at(10)  # 2026-03-11 12:00 UTC


def columns(frame: Any) -> list[str]:
    return list(frame.column_names if hasattr(frame, "column_names") else frame.columns)


def small_table() -> EventTable:
    """Four customers, the default policy (windows 30/90/365 days, threshold 3 interactions)."""
    return EventTable.from_interactions(
        [
            # c-1: connect, two messages, an NPS of 9: 3 rows taking part in the 30-day window
            # (the connect weighs 0: joining is not taking part)
            ev(0, "connect", "c-1"),
            ev(1, "message", "c-1"),
            ev(2, "message", "c-1"),
            ev(3, "nps", "c-1", score=9),
            # c-2: connect and a purchase: converted met, but not engaged (nurture first)
            ev(0, "connect", "c-2"),
            ev(1, "purchase", "c-2"),
            # c-3: connected then churned
            ev(0, "connect", "c-3"),
            ev(5, "churn", "c-3"),
            # c-4: a purchase without a connection: a prospect
            ev(1, "purchase", "c-4"),
        ]
    )


EXPECTED_TIERS = [
    # engage_score: 100 hundredths per row taking part in (as_of - 30 days, as_of]; a CONNECT
    # or CHURN weighs 0
    {
        "customer_id": "c-1",
        "as_of": AS_OF,
        "state": "engaged",
        "state_zh": "粘",
        "tier": "engaged",
        "tier_zh": "粘",
        "since": at(3),  # the third row taking part in 30 days (the nps): 300 >= 3 * 100
        "engage_score": 3.0,  # 0 (connect) + 2 messages + nps = 300 / 100
        "purchases": 0,
        "referrals": 0,
        "latest_nps": 9,
        "met_connected": True,
        "met_engaged": True,  # 3.0 >= 3
        "met_converted": False,
        "met_advocate": False,
    },
    {
        "customer_id": "c-2",
        "as_of": AS_OF,
        "state": "connected",
        "state_zh": "浅",
        "tier": "connected",
        "tier_zh": "浅",
        "since": at(0),  # connected, never engaged
        "engage_score": 1.0,  # 0 (connect) + purchase = 100 / 100 < 3
        "purchases": 1,
        "referrals": 0,
        "latest_nps": None,
        "met_connected": True,
        "met_engaged": False,
        "met_converted": True,  # met, but the ladder stops at ENGAGED
        "met_advocate": False,
    },
    {
        "customer_id": "c-3",
        "as_of": AS_OF,
        "state": "churned",
        "state_zh": "流失",
        "tier": None,
        "tier_zh": None,
        "since": at(5),  # the churn
        "engage_score": 0.0,  # connect and churn weigh 0
        "purchases": 0,
        "referrals": 0,
        "latest_nps": None,
        "met_connected": False,
        "met_engaged": False,
        "met_converted": False,
        "met_advocate": False,
    },
    {
        "customer_id": "c-4",
        "as_of": AS_OF,
        "state": "prospect",
        "state_zh": "潜在",
        "tier": None,
        "tier_zh": None,
        "since": None,  # a prospect always was one
        "engage_score": 1.0,  # the purchase
        "purchases": 1,
        "referrals": 0,
        "latest_nps": None,
        "met_connected": False,
        "met_engaged": False,
        "met_converted": True,
        "met_advocate": False,
    },
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_tier_table_frame_is_one_hand_checked_row_per_customer(backend: str) -> None:
    frame = classify_table(small_table(), Policy(), AS_OF).to_frame(backend)
    assert columns(frame) == list(EXPECTED_TIERS[0])
    assert rows(frame) == EXPECTED_TIERS


@pytest.mark.parametrize("backend", BACKENDS)
def test_tier_table_frame_shows_as_of_in_the_zone_asked_for(backend: str) -> None:
    frame = classify_table(small_table(), Policy(), AS_OF).to_frame(backend, tz="Asia/Shanghai")
    shown = [row["as_of"] for row in rows(frame)]
    assert shown == [AS_OF] * 4  # the same instant ...
    assert {t.utcoffset() for t in shown} == {timedelta(hours=8)}  # ... shown at +08:00
    assert shown[0].hour == 20  # 12:00 UTC is 20:00 in Shanghai
    since = [row["since"] for row in rows(frame)]
    assert since == [at(3), at(0), at(5), None]  # the same instants, in the same zone
    assert since[0] is not None
    assert since[0].utcoffset() == timedelta(hours=8)


def test_tier_table_frame_of_numbered_ids_names_them_by_index() -> None:
    connect = KIND_CODE[InteractionKind.CONNECT]
    table = EventTable.from_arrays([0, 1], [0, 0], [connect, connect], direction=[1, 1])
    assert table.customer_ids.to_state() == 2  # numbered: no id strings held
    frame = classify_table(table, Policy(), datetime(1970, 1, 2, tzinfo=UTC)).to_frame("pyarrow")
    assert frame.column("customer_id").to_pylist() == ["0", "1"]
    assert frame.column("state").to_pylist() == ["connected", "connected"]


@pytest.mark.parametrize("backend", ["numpy", "Pandas", ""])
def test_tier_table_frame_refuses_an_unknown_backend(backend: str) -> None:
    tiers = classify_table(small_table(), Policy(), AS_OF)
    with pytest.raises(ValidationError) as caught:
        tiers.to_frame(backend)
    assert caught.value.field == "backend"


TAGS = CustomerTags.from_matrix(
    [[1, 0, 1], [0, 0, 0], [0, 1, 1]], ["vip", "interest:茶", "source:直播"], ["c-1", "c-2", "c-3"]
)
# vocabulary order (Tag.sort_key): ungrouped first, then by group — checked below
EXPECTED_TAGS = [
    {"customer_id": "c-1", "tag": "vip", "group": None, "name": "vip"},
    {"customer_id": "c-1", "tag": "source:直播", "group": "source", "name": "直播"},
    {"customer_id": "c-3", "tag": "interest:茶", "group": "interest", "name": "茶"},
    {"customer_id": "c-3", "tag": "source:直播", "group": "source", "name": "直播"},
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_customer_tags_frame_is_one_row_per_tag_carried(backend: str) -> None:
    assert [str(t) for t in TAGS.vocabulary] == ["vip", "interest:茶", "source:直播"]
    frame = TAGS.to_frame(backend)
    assert columns(frame) == ["customer_id", "tag", "group", "name"]
    # held has 2 + 0 + 2 = 4 true cells; c-2 carries nothing and has no row
    assert rows(frame) == EXPECTED_TAGS


@pytest.mark.parametrize("backend", BACKENDS)
def test_customer_tags_frame_without_tags_has_typed_columns_and_no_rows(backend: str) -> None:
    frame = CustomerTags.from_matrix([[], []], [], ["c-1", "c-2"]).to_frame(backend)
    assert columns(frame) == ["customer_id", "tag", "group", "name"]
    assert rows(frame) == []


def test_customer_tags_frame_takes_a_zone_without_changing_anything() -> None:
    utc = rows(TAGS.to_frame("polars"))
    assert rows(TAGS.to_frame("polars", tz=ZoneInfo("Asia/Shanghai"))) == utc


def test_customer_tags_frame_refuses_an_unknown_backend_and_zone() -> None:
    with pytest.raises(ValidationError) as caught:
        TAGS.to_frame("excel")
    assert caught.value.field == "backend"
    with pytest.raises(ValidationError) as caught:
        TAGS.to_frame("pyarrow", tz="Mars/Olympus")
    assert caught.value.field == "tz"
