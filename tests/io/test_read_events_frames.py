"""read_events on a data frame, a Parquet or an Arrow file: every bad row rejected, nothing lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyarrow import feather

from custpool import EventTable, LoadError, ValidationError, read_events

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def messy() -> pa.Table:
    """Six rows: 0, 3 and 5 good; 1, 2 and 4 each break one rule (two on row 4)."""
    return pa.table(
        {
            "cid": ["c-1", "c 2", "c-3", "c-1", None, "c-3"],
            "when": pa.array([T0 + timedelta(days=d) for d in range(6)], pa.timestamp("us", "UTC")),
            "yuan": [9.9, 1.0, 0.333, 0.0, 5.0, 12.5],
        }
    )


def load(frame: Any, **options: Any) -> Any:
    options.setdefault("columns", {"customer_id": "cid", "at": "when", "amount": "yuan"})
    return read_events(frame, kind="purchase", currency="CNY", **options)


def test_each_bad_row_is_rejected_with_its_row_column_value_and_rule():
    result = load(messy())
    assert [(r.row, r.line) for r in result.rejections] == [(1, 2), (2, 3), (4, 5)]
    assert [str(r).split(": ")[0] for r in result.rejections] == [
        "row 1",
        "row 2",
        "row 4",
    ]
    assert result.rejections[0].field == "cid"
    assert result.rejections[0].value == "'c 2'"
    assert result.rejections[1].field == "yuan"
    assert result.rejections[1].value == "0.333"  # 33.3 fen: more decimals than CNY has
    assert result.rejections[2].field == "cid"
    assert result.rejections[2].reason == "is required (the cell is empty)"
    # 6 rows = 3 accepted + 3 rejected; the table holds the three good rows
    assert (result.rows_read, result.rows_accepted, result.rows_rejected) == (6, 3, 3)
    assert sorted(result.table.amount.tolist()) == [0, 990, 1250]


def test_the_accepted_rows_make_the_table_from_frame_makes_of_them():
    result = load(messy())
    good = messy().take([0, 3, 5])
    expected = EventTable.from_frame(
        good,
        columns={"customer_id": "cid", "at": "when", "amount": "yuan"},
        kind="purchase",
        currency="CNY",
    )
    for name in EventTable.COLUMNS:
        assert getattr(result.table, name).tolist() == getattr(expected, name).tolist()
    assert list(result.table.customer_ids) == list(expected.customer_ids)


def test_strict_raises_a_load_error_for_the_first_bad_row():
    with pytest.raises(LoadError, match=r"line 2: cid='c 2'"):
        load(messy(), strict=True)


@pytest.mark.parametrize("suffix", [".parquet", ".arrow", ".feather"])
def test_parquet_and_arrow_files_read_as_the_frame_does(tmp_path, suffix):
    path = tmp_path / f"orders{suffix}"
    if suffix == ".parquet":
        pq.write_table(messy(), path)
    else:
        feather.write_feather(messy(), path)
    result = load(path)
    assert result.source == path.name
    assert [r.row for r in result.rejections] == [1, 2, 4]
    assert result.summary().startswith(f"orders{suffix}: 6 rows read (3 accepted, 3 rejected)")


def test_a_file_that_is_not_parquet_is_named(tmp_path):
    path = tmp_path / "orders.parquet"
    path.write_bytes(b"customer_id,at\n")
    with pytest.raises(ValidationError, match="must be a readable Parquet file"):
        load(path)


def test_a_csv_file_with_a_column_mapping_is_read_as_a_frame(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(
        "cid,when,yuan\n"
        "c-1,2026-03-01T10:00:00+08:00,51.23\n"
        "c-2,2026-03-01T10:00:00+08:00\n"  # line 3: two cells of three
        'c 3,"2026-03-02T10:00:00+08:00",1.00\n'  # line 4: a bad id
        "c-1,2026-03-05T10:00:00+08:00,0.10\n",
        encoding="utf-8",
    )
    result = load(path)
    # 4 records = 2 accepted + 2 rejected; lines, not frame rows, name them
    assert (result.rows_read, result.rows_accepted) == (4, 2)
    assert [(r.line, r.row, r.field) for r in result.rejections] == [
        (3, None, "<row>"),
        (4, None, "cid"),
    ]
    assert str(result.rejections[0]) == "line 3: <row>=<2 cells>: has 2 cells; the header has 3"
    # amounts are read as text, so "51.23" is exactly 5,123 fen
    assert sorted(result.table.amount.tolist()) == [10, 5123]


def test_a_contact_handle_in_a_rejected_cell_is_not_shown():
    frame = messy().rename_columns(["mobile", "when", "yuan"])
    result = load(frame, columns={"customer_id": "mobile", "at": "when", "amount": "yuan"})
    assert result.rejections[0].value == "<secret, 3 chars>"  # 'c 2' under a 'mobile' column


def test_every_row_rejected_gives_no_table_but_counts_them():
    frame = pa.table({"cid": ["c 1", None], "when": ["soon", "later"], "yuan": [1.0, 2.0]})
    result = load(frame)
    assert result.table is None
    assert (result.rows_read, result.rows_rejected) == (2, 2)


# -- fuzzing: any mess of cells; nothing lost, the rest equal to reading the good rows ----------

CELLS = {
    "customer_id": st.sampled_from(["c-1", "c-2", "c 3", "", "客户-4", None, "c-\u200b5"]),
    "at": st.sampled_from(
        [
            "2026-03-01T10:00:00+08:00",
            "2026-03-01 10:00:00",
            "0001-01-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "yesterday",
            None,
        ]
    ),
    "kind": st.sampled_from(["purchase", "PURCHASE", "refund", "message", "gift", "购买", None]),
    "direction": st.sampled_from(["in", "out", "peer", "sideways", None]),
    "amount": st.sampled_from(["9.90", "0", "-1", "0.001", "abc", "1e3", None]),
    "order_id": st.sampled_from(["o-1", "o-2", "o 3", None]),
}


@st.composite
def frames(draw: st.DrawFn) -> pa.Table:
    n = draw(st.integers(0, 25))
    return pa.table(
        {k: pa.array([draw(v) for _ in range(n)], pa.string()) for k, v in CELLS.items()}
    )


@settings(max_examples=150, deadline=None)
@given(frame=frames(), seed=st.integers(0, 2**32 - 1))
def test_fuzzed_frames_lose_no_row_and_the_kept_rows_read_cleanly(frame, seed):
    result = read_events(frame, currency="CNY", timezone="Asia/Shanghai")
    assert result.rows_read == frame.num_rows
    assert result.rows_accepted + result.rows_rejected == frame.num_rows
    rejected = [r.row for r in result.rejections]
    assert rejected == sorted(set(rejected))
    kept = pa.array([n for n in range(frame.num_rows) if n not in set(rejected)], pa.int64())
    if result.table is None:
        assert len(kept) == 0
        return
    assert len(result.table) == len(kept)
    again = EventTable.from_frame(
        frame.take(kept),
        currency="CNY",
        timezone="Asia/Shanghai",
        customers=result.table.customer_ids,
    )
    for name in EventTable.COLUMNS:
        assert getattr(again, name).tolist() == getattr(result.table, name).tolist(), name
    # and the input order does not matter
    order = list(range(frame.num_rows))  # a permutation, taken as int64
    order = np.random.default_rng(seed).permutation(frame.num_rows).tolist()
    shuffled = read_events(
        frame.take(pa.array(order, pa.int64())), currency="CNY", timezone="Asia/Shanghai"
    )
    assert sorted(order[r.row] for r in shuffled.rejections) == rejected
    for name in EventTable.COLUMNS:
        assert getattr(shuffled.table, name).tolist() == getattr(result.table, name).tolist()


def test_a_pandas_frame_with_a_named_index_keeps_it_as_a_column():
    frame = pd.DataFrame(
        {"at": pd.to_datetime(["2026-03-01 10:00"]).tz_localize("UTC"), "amount": [1.0]},
        index=pd.Index(["c-1"], name="customer_id"),
    )
    result = read_events(frame, kind="purchase", currency="CNY")
    assert list(result.table.customer_ids) == ["c-1"]


def test_a_time_python_cannot_hold_is_rejected_not_raised():
    # 2**62 µs is the year 17036: Python's datetime stops at 9999, Arrow prints it
    frame = pa.table(
        {
            "customer_id": ["c-1", "c-2"],
            "at": pa.array([2**62, 0], pa.timestamp("us", "UTC")),
            "kind": ["store_visit"] * 2,
        }
    )
    result = read_events(frame)
    assert [(r.row, r.field) for r in result.rejections] == [(0, "at")]
    assert result.rejections[0].value.startswith("'17036-07-06")
    text = pa.table({"customer_id": ["c-1"], "at": ["9999-12-31T23:59:59-14:00"]})
    assert read_events(text, kind="store_visit").rows_rejected == 1  # the year 10000 in UTC


@pytest.mark.parametrize(("writer", "name"), [("write_csv", "e.csv"), ("write_jsonl", "e.jsonl")])
def test_custpools_own_files_read_as_columns_equal_the_row_reader(tmp_path, writer, name):
    """A mapped read (timezone=…) takes the text columns of custpool's CSV (a score is text
    there) and the money objects of its JSON Lines (amount and currency nested) as they are."""
    import custpool  # noqa: PLC0415
    from custpool.synth import SynthConfig, generate  # noqa: PLC0415

    pool = generate(SynthConfig(n_customers=60), seed=4)
    getattr(custpool, writer)(tmp_path / name, pool.table.interactions())
    rows = read_events(tmp_path / name)
    columns = read_events(tmp_path / name, timezone="UTC")
    assert columns.rejections == rows.rejections == ()
    assert len(columns.table) == len(rows.table) == len(pool.table)
    assert columns.table.currency == "CNY"
    for column in ("customer", "time", "kind", "direction", "channel", "amount", "score"):
        assert np.array_equal(getattr(columns.table, column), getattr(rows.table, column)), column


def test_a_score_read_as_text_must_be_ascii_digits():
    frame = pa.table(
        {
            "customer_id": ["a", "b", "c", "d"],
            "at": [T0.isoformat()] * 4,
            "kind": ["nps"] * 4,
            "score": ["9", " 10 ", "7.5", "\uff18"],  # the last is a full-width 8
        }
    )
    result = read_events(frame)
    assert [(r.row, r.field) for r in result.rejections] == [(2, "score"), (3, "score")]
    assert result.table.score.tolist() == [9, 10]
