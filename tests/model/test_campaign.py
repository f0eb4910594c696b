"""The CAMPAIGN activity kind (seed 002's periodic hits): its span, its rules, round trips."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from hypothesis import given, settings
from pydantic import ValidationError as PydanticValidationError

from conftest import T0
from custpool import ActivityKind, PoolActivity, read_csv, write_csv
from custpool.strategies import activities


def campaign(**kw):
    base = {
        "id": "a-9",
        "at": T0,
        "kind": "campaign",
        "channel": "mini_program",
        "title": "双11 爆款",
        "ends_at": T0 + timedelta(days=3),
    }
    return PoolActivity(**(base | kw))


def test_campaign_round_trips_through_json():
    sale = campaign()
    assert sale.kind is ActivityKind.CAMPAIGN
    assert sale.ends_at - sale.at == timedelta(days=3)
    assert PoolActivity.from_json(sale.to_json()) == sale


@pytest.mark.parametrize(
    ("changes", "loc", "fragment"),
    [
        ({"ends_at": None}, "ends_at", "needs ends_at"),
        ({"ends_at": T0}, "ends_at", "must be after at"),
        ({"ends_at": T0 - timedelta(seconds=1)}, "ends_at", "must be after at"),
        ({"event_id": "ev-1"}, "event_id", "takes no event_id"),
        ({"content_id": "p-1"}, "content_id", "takes no content_id"),
    ],
)
def test_campaign_rules_name_the_field(changes, loc, fragment):
    with pytest.raises(PydanticValidationError) as info:
        campaign(**changes)
    error = info.value.errors()[0]
    assert error["loc"] == (loc,)
    assert fragment in error["msg"]


def test_other_kinds_take_no_end():
    with pytest.raises(PydanticValidationError) as info:
        PoolActivity(id="a", at=T0, kind="event_held", channel="store", event_id="e", ends_at=T0)
    assert "takes no ends_at (only campaign does)" in info.value.errors()[0]["msg"]


def test_campaign_round_trips_through_csv():
    buffer = io.BytesIO()
    write_csv(buffer, [campaign()])
    buffer.seek(0)
    assert list(read_csv(buffer, PoolActivity).records) == [campaign()]


@settings(max_examples=50)
@given(activities(kinds="campaign"))
def test_generated_campaigns_are_valid(sale):
    assert sale.kind is ActivityKind.CAMPAIGN
    assert sale.ends_at is not None
    assert sale.ends_at > sale.at
