"""Fuzzing the columnar way in: corrupted Parquet and Arrow files, and frames of hostile cells.

A valid orders file (with a ``phone`` column of generated contact handles, as CRM exports carry)
is written as Parquet or Arrow IPC, then corrupted — byte flips, truncation, bytes cut out or
repeated — and read with :func:`~custpool.read_events`. On every example:

- only custpool errors escape (a file pyarrow cannot read is a ``ValidationError`` naming the
  format), and a file that reads loses no row: rows read = accepted + rejected = the rows
  pyarrow finds in it;
- no contact handle appears in any rejection, summary or error message.

Frames of hostile cells (each column mixing valid and broken values) are fuzzed in
tests/io/test_read_events_frames.py.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyarrow import feather

from custpool import CustpoolError, read_events

T0 = datetime(2026, 3, 1, tzinfo=UTC)
COLUMNS = {"customer_id": "cid", "at": "when", "amount": "yuan"}


@st.composite
def orders(draw: st.DrawFn) -> tuple[pa.Table, list[str]]:
    n = draw(st.integers(1, 30))
    phones = [f"138{draw(st.integers(10_000_000, 99_999_999))}" for _ in range(n)]
    cids = draw(st.lists(st.sampled_from(["c-1", "c-2", "c 3", "c-4"]), min_size=n, max_size=n))
    yuan = draw(st.lists(st.sampled_from([9.9, 0.0, -1.0, 0.333, 1e20]), min_size=n, max_size=n))
    table = pa.table(
        {
            "cid": cids,
            "when": pa.array(
                [T0 + timedelta(hours=k) for k in range(n)], pa.timestamp("us", "UTC")
            ),
            "yuan": yuan,
            "phone": phones,
        }
    )
    return table, phones


def write(table: pa.Table, fmt: str) -> bytes:
    sink = io.BytesIO()
    if fmt == "parquet":
        pq.write_table(table, sink)
    else:
        feather.write_feather(table, sink)
    return sink.getvalue()


@st.composite
def corrupted(draw: st.DrawFn, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["flip", "truncate", "cut", "repeat"]))
        if not out:
            break
        at = draw(st.integers(0, len(out) - 1))
        if how == "flip":
            out[at] ^= draw(st.integers(1, 255))
        elif how == "truncate":
            del out[at:]
        elif how == "cut":
            del out[at : at + draw(st.integers(1, 64))]
        else:
            out[at:at] = out[at : at + draw(st.integers(1, 64))]
    return bytes(out)


def shown(result: Any) -> str:
    parts = [result.summary(), repr(result)]
    parts += [str(r) for r in result.rejections]
    return "\n".join(parts)


@pytest.mark.parametrize("fmt", ["parquet", "arrow"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_corrupted_columnar_files_lose_no_row_and_show_no_handle(fmt: str, data: st.DataObject):
    table, phones = data.draw(orders())
    raw = data.draw(corrupted(write(table, fmt)))
    columns = {**COLUMNS}
    try:
        result = read_events(
            io.BytesIO(raw), format=fmt, columns=columns, kind="purchase", currency="CNY"
        )
    except CustpoolError as error:
        text = f"{error} {error.args}"
        assert not any(p in text for p in phones)
        return
    assert result.rows_read == result.rows_accepted + result.rows_rejected
    text = shown(result)
    assert not any(p in text for p in phones)


@settings(max_examples=100, deadline=None)
@given(table=orders())
def test_a_handle_in_a_mapped_column_is_masked_in_rejections(table):
    frame, phones = table
    # the phone column read as the customer id: every id is a handle (valid ids, so accepted),
    # but a rejected row for another reason must not show it either
    result = read_events(
        frame,
        columns={"customer_id": "phone", "at": "when", "amount": "yuan"},
        kind="purchase",
        currency="CNY",
    )
    assert result.rows_read == frame.num_rows
    assert not any(p in shown(result) for p in phones)
