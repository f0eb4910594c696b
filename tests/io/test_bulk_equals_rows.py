"""``read_events`` on JSON Lines: the bulk path gives exactly the row path's load.

With pyarrow installed, ``read_events`` reads JSON Lines in bulk (``_io/bulk_*``): canonical lines
are checked column-wise, the rest row by row. The row path (``Interaction.model_validate`` per
line) is the reference: for every drawn file — valid interactions written the ways exporters
write them, then damaged line by line — both paths must give the same table, the same
rejections (lines, fields, values, rules, other lines), the same duplicates dropped, and in
strict mode the same error.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import custpool._io.events as events_module
from custpool import CustpoolError, read_events
from custpool._engine import COLUMN_DTYPES
from custpool._io.bulk_csv import csv_blocks, simple_header
from custpool._io.bulk_events import bulk_events
from custpool._io.bulk_jsonl import pyarrow_modules
from custpool.strategies import interactions

CUSTOMERS = ("c-1", "c-2", "c-3", "c-ä")
_EDITS = (
    ("kind", "PURCHASE"),
    ("kind", "gift"),
    ("at", "0001-01-01T00:00:00Z"),
    ("at", "0001-01-01T00:00:00+14:00"),
    ("at", "2026-02-30T00:00:00Z"),
    ("at", "2169-12-31T23:59:59-01:00"),
    ("at", "1900-01-01T00:30:00+01:00"),
    ("at", "2026-03-01T10:00:00"),
    ("at", "2026-03-01 10:00:00Z"),
    ("at", "2026-03-01T10:00:00.1234567Z"),
    ("at", 20260301),
    ("direction", None),
    ("direction", "Inbound"),
    ("channel", None),
    ("channel", "customer_group"),
    ("customer_id", ""),
    ("customer_id", "c 1"),
    ("customer_id", "x" * 129),
    ("referred_id", "c-9"),
    ("referred_id", "c-1"),
    ("score", 11),
    ("score", "7"),
    ("score", True),
    ("amount", {"amount": "10.500", "currency": "CNY"}),
    ("amount", {"amount": "3", "currency": "USD"}),
    ("amount", {"amount": "3", "currency": "cny"}),
    ("amount", {"amount": "-1", "currency": "CNY"}),
    ("amount", {"amount": "0", "currency": "CNY"}),
    ("amount", {"amount": "999999999999999.99", "currency": "CNY"}),
    ("amount", {"amount": "1e3", "currency": "CNY"}),
    ("amount", "10"),
    ("order_id", None),
    ("source", "store"),
    ("mobile", "13800138000"),
    ("id", "i-0"),
)
"""Field edits, one per damaged line: each a rule of the model, the table or the screen."""


def _styles(row: dict[str, object], style: str) -> str:
    """Write one row as an exporter might: compact, spaced, without nulls, keys reordered."""
    if style == "no_nulls":
        row = {k: v for k, v in row.items() if v is not None}
    if style == "reordered":
        row = dict(reversed(list(row.items())))
    separators = (", ", ": ") if style == "spaced" else (",", ":")
    return json.dumps(row, separators=separators, ensure_ascii=style != "unicode")


ROWS = st.lists(
    interactions(
        customer_ids=CUSTOMERS,
        min_time=datetime(2026, 1, 1, tzinfo=UTC),
        max_time=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=3),
    ),
    min_size=1,
    max_size=25,
)
"""Valid interactions of a few customers over three days (some ids are then made to repeat)."""


@st.composite
def files(draw: st.DrawFn) -> bytes:
    """A JSON Lines file of drawn interactions, some lines edited, repeated or broken."""
    rows = draw(ROWS)
    lines = []
    for n, interaction in enumerate(rows):
        data = json.loads(interaction.to_json())
        data["id"] = f"i-{n % 20}"  # a few ids repeat: identical or conflicting duplicates
        if draw(st.integers(0, 4)) == 0:
            field, value = draw(st.sampled_from(_EDITS))
            data[field] = value
        style = draw(st.sampled_from(["compact", "spaced", "no_nulls", "reordered", "unicode"]))
        lines.append(_styles(data, style))
        if draw(st.integers(0, 9)) == 0:
            lines.append(lines[-1])  # an exact repeat of a line
    damage = draw(st.sampled_from(["none", "truncate", "blank", "crlf", "bom", "junk", "twice"]))
    k = draw(st.integers(0, len(lines) - 1))
    if damage == "truncate":
        lines[k] = lines[k][: len(lines[k]) // 2]
    elif damage == "blank":
        lines.insert(k, "   ")
    elif damage == "junk":
        lines.insert(k, '{"id": "i-99", "customer_id": "c-1"\\u0000')
    elif damage == "twice":  # a key given twice: pyarrow refuses the whole block
        lines[k] = lines[k][:-1] + ',"id":"i-98"}'
    text = ("\r\n" if damage == "crlf" else "\n").join(lines)
    if draw(st.booleans()):
        text += "\n"
    return (b"\xef\xbb\xbf" if damage == "bom" else b"") + text.encode("utf-8", "surrogatepass")


def _load(data: bytes, *, bulk: bool, strict: bool = False, currency: str | None = None):
    """Read ``data`` through one path; return the load or the error (type and message)."""
    saved = events_module.pyarrow_modules
    if not bulk:
        events_module.pyarrow_modules = lambda: None
    try:
        return read_events(io.BytesIO(data), format="jsonl", strict=strict, currency=currency)
    except CustpoolError as error:
        return (type(error).__name__, str(error))
    finally:
        events_module.pyarrow_modules = saved


def _same_table(bulk, rows) -> None:
    assert (bulk is None) == (rows is None)
    if bulk is None:
        return
    for column in COLUMN_DTYPES:
        assert np.array_equal(getattr(bulk, column), getattr(rows, column)), column
    for ids in ("customer_ids", "item_ids", "operator_ids", "group_ids"):
        assert list(getattr(bulk, ids)) == list(getattr(rows, ids)), ids
    assert bulk.currency == rows.currency


def _same_load(bulk, rows) -> None:
    if isinstance(rows, tuple):
        assert bulk == rows
        return
    assert bulk.rejections == rows.rejections
    assert bulk.duplicates_dropped == rows.duplicates_dropped
    assert (bulk.rows_read, bulk.rows_accepted) == (rows.rows_read, rows.rows_accepted)
    _same_table(bulk.table, rows.table)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files(), st.sampled_from([None, "CNY", "USD"]))
def test_bulk_read_equals_the_row_path(data, currency):
    _same_load(
        _load(data, bulk=True, currency=currency), _load(data, bulk=False, currency=currency)
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files())
def test_bulk_strict_read_raises_as_the_row_path(data):
    _same_load(_load(data, bulk=True, strict=True), _load(data, bulk=False, strict=True))


def test_bulk_path_reads_canonical_lines_in_bulk(monkeypatch):
    """The soak's shape of line is screened in bulk: model_validate never sees it."""
    calls = []
    real = events_module.bulk_events.__globals__["validated"]
    monkeypatch.setitem(
        events_module.bulk_events.__globals__,
        "validated",
        lambda model, data: calls.append(data) or real(model, data),
    )
    line = (
        '{"id": "i-1", "customer_id": "c-1", "at": "2026-03-01T10:00:00Z", "kind": "purchase",'
        ' "channel": "store", "order_id": "o-1", "amount": {"amount": "10.50", "currency": "CNY"}}'
    )
    load = read_events(io.BytesIO(line.encode() + b"\n"), format="jsonl")
    assert calls == []
    assert load.table is not None
    assert load.table.amount.tolist() == [1050]  # 10.50 CNY = 1,050 fen


@pytest.mark.parametrize("size", [10, 200])
def test_over_long_lines_are_rejected_alike(size):
    line = b'{"id":"i-1","customer_id":"c-1","at":"2026-03-01T10:00:00Z","kind":"message"}'
    data = line + b"\n" + b"x" * size + b"\n" + line.replace(b"i-1", b"i-2")
    for strict in (False, True):
        bulk = _load_limited(data, bulk=True, strict=strict)
        rows = _load_limited(data, bulk=False, strict=strict)
        _same_load(bulk, rows)


def _load_limited(data: bytes, *, bulk: bool, strict: bool):
    saved = events_module.pyarrow_modules
    if not bulk:
        events_module.pyarrow_modules = lambda: None
    try:
        return read_events(io.BytesIO(data), format="jsonl", strict=strict, max_row_bytes=100)
    except CustpoolError as error:
        return (type(error).__name__, str(error))
    finally:
        events_module.pyarrow_modules = saved


# -- CSV --------------------------------------------------------------------------------------

COLUMNS = (
    *("id", "customer_id", "at", "kind", "direction", "channel", "source", "churn_reason"),
    *("event_id", "content_id", "order_id", "amount", "currency", "referred_id", "score"),
    *("complaint_reason", "operator_id", "group_id"),
)
_CELL_DAMAGE = (
    '"wecom_chat',  # opens a quoted cell that runs on over the next lines
    '"a,b"',
    '5" tall',
    "'=cmd",
    "  ",
    "a\rb",
    "客户-7",
    "\tc-1",
    "c-1 ",
    "x" * 300,
)


def _csv_cells(data: dict[str, object]) -> dict[str, str]:
    cells = {}
    for column in COLUMNS:
        value = data.get(column)
        if column in {"amount", "currency"}:
            money = data.get("amount")
            value = (
                money.get(column)
                if isinstance(money, dict)
                else (money if column == "amount" else None)
            )
        cells[column] = "" if value is None else str(value)
    return cells


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """A CSV file of drawn interactions, columns in any order, some cells and lines damaged."""
    rows = draw(ROWS)
    columns = list(COLUMNS)
    if draw(st.booleans()):
        columns = draw(st.permutations(columns))
    lines = [",".join(columns)]
    for n, interaction in enumerate(rows):
        data = json.loads(interaction.to_json())
        data["id"] = f"i-{n % 20}"
        if draw(st.integers(0, 4)) == 0:
            field, value = draw(st.sampled_from(_EDITS))
            data[field] = value
        cells = _csv_cells(data)
        if draw(st.integers(0, 5)) == 0:
            cells[draw(st.sampled_from(columns))] = draw(st.sampled_from(_CELL_DAMAGE))
        line = ",".join(cells.get(c, "") for c in columns)
        shape = draw(st.sampled_from(["as is"] * 8 + ["extra cell", "cell short", "blank"]))
        if shape == "extra cell":
            line += ",x"
        elif shape == "cell short":
            line = line[: line.rfind(",")]
        elif shape == "blank":
            lines.append(draw(st.sampled_from(["", ",,,", " , ,", "\t"])))
        lines.append(line)
        if draw(st.integers(0, 9)) == 0:
            lines.append(line)
    text = draw(st.sampled_from(["\n", "\r\n"])).join(lines)
    if draw(st.booleans()):
        text += "\n"
    bom = b"\xef\xbb\xbf" if draw(st.booleans()) else b""
    return bom + text.encode("utf-8")


def _load_csv(data: bytes, *, bulk: bool, strict: bool = False, limit: int = 1_048_576):
    saved = events_module.pyarrow_modules
    if not bulk:
        events_module.pyarrow_modules = lambda: None
    try:
        return read_events(io.BytesIO(data), format="csv", strict=strict, max_row_bytes=limit)
    except CustpoolError as error:
        return (type(error).__name__, str(error))
    finally:
        events_module.pyarrow_modules = saved


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_files(), st.sampled_from([1_048_576, 200, 60]))
def test_bulk_csv_read_equals_the_row_path(data, limit):
    _same_load(_load_csv(data, bulk=True, limit=limit), _load_csv(data, bulk=False, limit=limit))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_files())
def test_bulk_csv_strict_read_raises_as_the_row_path(data):
    _same_load(_load_csv(data, bulk=True, strict=True), _load_csv(data, bulk=False, strict=True))


def test_an_open_quote_across_blocks_is_one_record_as_row_by_row():
    """A quoted cell still open at the end of a block is read again with the next block."""
    header = "id,customer_id,at,kind,direction,channel,source\n"
    good = "i-{n},c-1,2026-03-01T10:00:00Z,message,inbound,wecom_chat,\n"
    lines = [good.format(n=n) for n in range(40)]
    lines[5] = 'i-5,c-1,2026-03-01T10:00:00Z,message,inbound,"wecom_chat,\n'  # opens
    lines[30] = 'i-30,c-1,2026-03-01T10:00:00Z,message,inbound,wecom_chat",\n'  # closes
    data = (header + "".join(lines)).encode()
    stream = io.BytesIO(data)
    blocks = csv_blocks(stream, simple_header(stream, 1 << 20), pyarrow_modules(), 256)
    table, rejected, dropped = bulk_events(
        blocks, currency=None, extra=[], strict=False, source=None
    )
    rows = _load_csv(data, bulk=False)
    assert tuple(rejected) == rows.rejections
    assert dropped == rows.duplicates_dropped == 0
    _same_table(table, rows.table)
    # lines 7-32 are one record (the cell opened on line 7 closes on line 32), rejected as
    # such: 40 lines, 26 of them one row, so 15 rows; 14 events
    assert rows.rows_read == 40 - 25
    assert len(table) == 14
