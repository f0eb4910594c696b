"""LoadResult.rejections_frame and EventLoad.rejections_frame: one row per problem."""

from __future__ import annotations

import io
from typing import Any

import pytest

from custpool import Customer, Interaction, ValidationError, read_csv, read_events, read_jsonl
from custpool._frames import BACKENDS
from frames_helpers import rows

COLUMNS = ["line", "row", "field", "value", "rule", "other_line"]


def columns(frame: Any) -> list[str]:
    return list(frame.column_names if hasattr(frame, "column_names") else frame.columns)


# line 1 kept; line 2 a conflicting duplicate of it; line 3 two problems (a bad id, a phone
# number that is a secret); line 4 not JSON
CUSTOMERS = b"\n".join(
    [
        b'{"id": "c-1"}',
        b'{"id": "c-1", "display_name": "Li"}',
        b'{"id": "c 2", "contacts": {"phone": "x13800138000"}}',
        b'{"id": "c-3"',
    ]
)


@pytest.mark.parametrize("backend", BACKENDS)
def test_rejections_frame_is_one_hand_checked_row_per_problem(backend: str) -> None:
    result = read_jsonl(io.BytesIO(CUSTOMERS), Customer)
    frame = result.rejections_frame(backend)
    assert columns(frame) == COLUMNS
    got = rows(frame)
    # 1 + 2 + 1 = 4 problems on 3 rejected rows
    assert [(r["line"], r["field"], r["other_line"]) for r in got] == [
        (2, "id", 1),
        (3, "id", None),
        (3, "contacts.phone", None),
        (4, "<row>", None),
    ]
    assert got[0]["value"] == "'c-1'"
    assert got[1]["value"] == "'c 2'"
    assert got[2]["value"] == "<secret, 12 chars>"  # 'x13800138000' is 12 characters
    # '{"id": "c-3"' is 12 characters; an unparsable row of a file of customers (who hold
    # handles) is shown masked, by its length only
    assert got[3]["value"] == "<secret, 12 chars>"
    assert got == [
        {
            "line": r.line,
            "row": r.row,
            "field": p.field,
            "value": p.value,
            "rule": p.rule,
            "other_line": r.other_line,
        }
        for r in result.rejections
        for p in r.problems
    ]


@pytest.mark.parametrize("backend", BACKENDS)
def test_rejections_frame_never_shows_a_contact_handle(backend: str) -> None:
    frame = read_jsonl(io.BytesIO(CUSTOMERS), Customer).rejections_frame(backend)
    assert not any("13800138000" in str(v) for row in rows(frame) for v in row.values())


@pytest.mark.parametrize("backend", BACKENDS)
def test_rejections_frame_of_a_clean_load_has_the_columns_and_no_rows(backend: str) -> None:
    frame = read_csv(io.BytesIO(b"id\nc-1\n"), Customer).rejections_frame(backend)
    assert columns(frame) == COLUMNS
    assert rows(frame) == []


EVENTS = b"""\
{"id": "i-1", "customer_id": "c-1", "at": "2026-03-01T12:00:00Z", "kind": "connect", \
"source": "store", "direction": "inbound", "channel": "wecom_chat"}
{"id": "i-2", "customer_id": "c-1", "at": "1800-03-01T12:00:00Z", "kind": "message", \
"direction": "inbound", "channel": "wecom_chat"}
{"id": "i-3", "customer_id": "c-1", "at": "2026-03-01T12:00:00Z", "kind": "gift", \
"channel": "store"}
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_event_load_rejections_frame_names_table_and_model_problems(backend: str) -> None:
    load = read_events(io.BytesIO(EVENTS), format="jsonl")
    got = rows(load.rejections_frame(backend))
    # line 2: a time before 1900, which a table cannot hold; line 3: an unknown kind, and so
    # no direction it could fix: two problems, two rows
    assert [(r["line"], r["field"], r["value"], r["other_line"]) for r in got] == [
        (2, "at", load.rejections[0].value, None),
        (3, "kind", "'gift'", None),
        (3, "direction", "<missing>", None),
    ]
    assert got[0]["rule"].startswith("must be from 1900-01-01")


def test_rejections_frame_takes_a_zone_without_changing_anything() -> None:
    result = read_jsonl(io.BytesIO(CUSTOMERS), Customer)
    utc = rows(result.rejections_frame("polars"))
    assert rows(result.rejections_frame("polars", tz="Asia/Shanghai")) == utc


def test_rejections_frame_refuses_an_unknown_backend_and_zone() -> None:
    result = read_jsonl(io.BytesIO(b'{"id": "c 1"}'), Interaction)
    with pytest.raises(ValidationError) as caught:
        result.rejections_frame("spreadsheet")
    assert caught.value.field == "backend"
    load = read_events(io.BytesIO(EVENTS), format="jsonl")
    with pytest.raises(ValidationError) as caught:
        load.rejections_frame("pyarrow", tz="Mars/Olympus")
    assert caught.value.field == "tz"
