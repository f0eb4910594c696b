"""Tests written for the engine mutants that survived the sample of 2026-12-06 (docs/testing.md)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from custpool import EventTable, InteractionKind, ValidationError, read_events
from custpool._engine import CHANNELS, KIND_CODE
from custpool._time import to_micros

MESSAGE = KIND_CODE[InteractionKind.MESSAGE]


def _connects(ids: list[str], times: list[str]) -> object:
    """A pyarrow frame of inbound CONNECT rows from a store, one per id."""
    pa = pytest.importorskip("pyarrow")
    n = len(ids)
    return pa.table(
        {
            "customer_id": ids,
            "at": times,
            "kind": ["connect"] * n,
            "direction": ["inbound"] * n,
            "source": ["store"] * n,
        }
    )


def test_a_channel_code_out_of_range_is_refused_on_the_channel_column() -> None:
    with pytest.raises(ValidationError) as caught:
        EventTable.from_arrays([0], [0], [MESSAGE], direction=[0], channel=[99])
    bad = caught.value
    # 18 channels: codes 0 to 17 (-1 is "not given")
    assert len(CHANNELS) == 18
    assert (bad.field, bad.value, bad.rule) == ("channel[0]", 99, "must be a code from 0 to 17")


def test_local_times_skipped_or_repeated_by_daylight_saving_are_rejected_row_by_row() -> None:
    # New York, 2026: clocks jump from 02:00 to 03:00 on 8 March (02:30 never happens) and
    # fall back from 02:00 to 01:00 on 1 November (01:30 happens twice). 01:30 on 8 March is
    # one instant.
    frame = _connects(
        ["c-1", "c-2", "c-3"],
        ["2026-03-08T01:30:00", "2026-03-08T02:30:00", "2026-11-01T01:30:00"],
    )
    result = read_events(frame, timezone="America/New_York")
    assert (result.rows_read, result.rows_accepted, result.rows_rejected) == (3, 1, 2)
    rule = (
        "is not one instant in America/New_York (a local time skipped or repeated by a "
        "daylight-saving change): give the time with its UTC offset"
    )
    assert [(r.row, r.reason) for r in result.rejections] == [(1, rule), (2, rule)]
    assert result.table is not None
    # 01:30 EST (UTC-5) is 06:30 UTC
    assert result.table.time.tolist() == [to_micros(datetime(2026, 3, 8, 6, 30, tzinfo=UTC))]


def test_ids_beyond_ascii_are_ids_too() -> None:
    frame = _connects(["客户-乙", "客户-甲", "c-1"], ["2026-03-01T10:00:00+08:00"] * 3)
    result = read_events(frame)
    assert result.rows_rejected == 0
    assert result.table is not None
    # sorted by code point: "c" (U+0063) before 客 (U+5BA2); 乙 (U+4E59) before 甲 (U+7532)
    assert list(result.table.customer_ids) == ["c-1", "客户-乙", "客户-甲"]


def test_scores_beyond_int8_are_rejected_rows_not_a_crash() -> None:
    pa = pytest.importorskip("pyarrow")
    # 127 fits int8, 128 does not: both are out of NPS's 0-10 and rejected by its rules,
    # whatever the row's kind; the reader never stops on them.
    frame = pa.table(
        {
            "customer_id": ["c-1", "c-2", "c-3", "c-4"],
            "at": ["2026-03-01T10:00:00+08:00"] * 4,
            "kind": ["nps", "nps", "message", "message"],
            "score": [127, 128, 127, 2**40],
            "direction": ["inbound"] * 4,
        }
    )
    result = read_events(frame)
    assert (result.rows_read, result.rows_accepted, result.rows_rejected) == (4, 0, 4)
    nps = "nps rows need a score from 0 to 10"
    other = "must be -1 on rows other than nps"
    assert [(r.row, r.reason) for r in result.rejections] == [
        (0, nps),
        (1, nps),
        (2, other),
        (3, other),
    ]
