"""Progress callbacks: monotone, ending at the total, few, and changing no result.

Each long operation that takes ``progress=`` is run with and without a recording callback; the
results must be identical and the calls must obey the protocol of :class:`custpool.Progress`.
"""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import UTC, datetime

import numpy as np
import pyarrow.csv as pacsv
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import custpool
from custpool import (
    EventTable,
    MissingDependencyError,
    WrongTypeError,
    health_trend,
    read_events,
    tqdm_progress,
    write_csv,
    write_jsonl,
)
from custpool._display import Ticker
from custpool._display.progress import CALLS
from custpool._engine.codes import COLUMNS
from custpool.synth import SynthConfig, generate

# the most calls an operation makes: (0, total), about CALLS in between, (total, total)
BOUND = CALLS + 2


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int | None]] = []

    def __call__(self, done: int, total: int | None) -> None:
        self.calls.append((done, total))


def check_protocol(calls: list[tuple[int, int | None]], total: int | None) -> None:
    """The calls of one operation: start at 0, never go back, end at the total, few."""
    assert calls, "no call"
    assert calls[0] == (0, total)
    done = [d for d, _ in calls]
    assert done == sorted(done), calls
    assert len(set(calls)) == len(calls), calls  # no call repeats another
    end = done[-1]
    assert calls[-1] == (end, end)
    if total is not None:
        assert end == total
        assert all(t == total for _, t in calls)
        assert all(0 <= d <= total for d in done)
    else:
        assert all(t is None for _, t in calls[:-1])
    assert len(calls) <= BOUND, len(calls)


def same_table(a: EventTable, b: EventTable) -> None:
    for name in COLUMNS:
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert tuple(a.customer_ids) == tuple(b.customer_ids)
    assert tuple(a.item_ids) == tuple(b.item_ids)
    assert a.currency == b.currency


@pytest.fixture(scope="module")
def pool():
    return generate(SynthConfig(n_customers=300), seed=7)


# -- the ticker -------------------------------------------------------------------------------


@given(
    total=st.integers(0, 10**7),
    fractions=st.lists(st.floats(0, 1), max_size=400),
)
def test_ticker_calls_are_monotone_bounded_and_end_at_total(total, fractions):
    record = Recorder()
    ticker = Ticker(record, total)
    ticker.start()
    for f in sorted(fractions):
        ticker.update(int(f * total))
    ticker.finish()
    check_protocol(record.calls, total)


@given(steps=st.lists(st.integers(0, 10**6), max_size=300))
def test_ticker_without_a_total_ends_at_what_was_done(steps):
    record = Recorder()
    ticker = Ticker(record, None, every=1000)
    ticker.start()
    for s in steps:
        ticker.step(s)
    ticker.finish()
    check_protocol(record.calls, None)
    assert record.calls[-1] == (sum(steps), sum(steps))


def test_ticker_reports_every_hundredth():
    # total 1000: a call each 1000 // 100 = 10 units, never at 1000 before finish()
    record = Recorder()
    ticker = Ticker(record, 1000)
    ticker.start()
    for done in range(1, 1001):
        ticker.update(done)
    assert record.calls[1:3] == [(10, 1000), (20, 1000)]
    assert record.calls[-1] == (990, 1000)
    ticker.finish()
    assert len(record.calls) == 101  # 0, 10, …, 990 (100 calls), then 1000


def test_silent_ticker_is_false_and_does_nothing():
    ticker = Ticker(None, 10)
    ticker.start()
    ticker.update(5)
    ticker.finish()
    assert not ticker


# -- the operations ---------------------------------------------------------------------------


def test_generate_reports_its_steps_and_makes_the_same_pool(pool):
    record = Recorder()
    again = generate(SynthConfig(n_customers=300), seed=7, progress=record)
    same_table(pool.table, again.table)
    check_protocol(record.calls, 13)
    assert [d for d, _ in record.calls] == list(range(14))  # each of the 13 steps


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 400), seed=st.integers(0, 2**32 - 1))
def test_any_pool_is_the_same_with_progress(n, seed):
    record = Recorder()
    with_progress = generate(SynthConfig(n_customers=n), seed=seed, progress=record)
    same_table(generate(SynthConfig(n_customers=n), seed=seed).table, with_progress.table)
    check_protocol(record.calls, 13)


def test_from_interactions_reports_its_passes(pool):
    rows = list(pool.interactions())
    record = Recorder()
    with_progress = EventTable.from_interactions(rows, progress=record)
    same_table(EventTable.from_interactions(rows), with_progress)
    check_protocol(record.calls, 17)
    assert len(record.calls) == 18  # 3 passes, 13 columns, the table: each reported


def test_health_trend_reports_each_instant(pool):
    ends = [datetime(2025, m, 1, tzinfo=UTC) for m in (6, 9, 12)]
    record = Recorder()
    trend = health_trend(pool.table, pool.charter, ends, progress=record)
    assert trend == health_trend(pool.table, pool.charter, ends)
    assert record.calls == [(0, 3), (1, 3), (2, 3), (3, 3)]


@pytest.fixture(scope="module")
def files(pool, tmp_path_factory):
    folder = tmp_path_factory.mktemp("events")
    rows = list(pool.interactions())
    jsonl, csv = folder / "events.jsonl", folder / "events.csv"
    write_jsonl(jsonl, rows)
    write_csv(csv, rows)
    return {"jsonl": jsonl, "csv": csv}


def same_load(a, b) -> None:
    same_table(a.table, b.table)
    assert a.rejections == b.rejections
    assert a.duplicates_dropped == b.duplicates_dropped
    assert a.source == b.source


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_read_events_reports_bytes_of_a_path(files, fmt):
    path = files[fmt]
    size = path.stat().st_size
    record = Recorder()
    load = read_events(path, progress=record)
    same_load(read_events(path), load)
    check_protocol(record.calls, size)
    assert len(record.calls) > 50  # thousands of lines: about a hundred calls, not one per row
    assert load.source == str(path)


def test_read_events_reports_bytes_left_in_a_stream(files):
    data = files["jsonl"].read_bytes()
    stream = io.BytesIO(b"\n" * 10 + data)
    stream.seek(10)  # read from where the stream is: the size is what is left
    record = Recorder()
    load = read_events(stream, format="jsonl", progress=record)
    same_load(read_events(io.BytesIO(data), format="jsonl"), load)
    check_protocol(record.calls, len(data))


class Unseekable(io.RawIOBase):
    def __init__(self, data: bytes) -> None:
        self._inner = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self._inner.readinto(buffer)


def test_read_events_without_a_size_ends_at_the_bytes_read(files):
    data = files["jsonl"].read_bytes()
    record = Recorder()
    stream = io.BufferedReader(Unseekable(data))
    assert not stream.seekable()
    read_events(stream, format="jsonl", progress=record)
    check_protocol(record.calls, None)
    assert record.calls[-1] == (len(data), len(data))


def test_read_events_of_a_frame_is_one_step(files):
    frame = pacsv.read_csv(
        files["csv"], convert_options=pacsv.ConvertOptions(strings_can_be_null=True)
    )
    record = Recorder()
    load = read_events(frame, progress=record)
    same_load(read_events(frame), load)
    assert load.rows_accepted == frame.num_rows > 0
    assert record.calls == [(0, 1), (1, 1)]


def test_read_events_of_a_mapped_file_is_one_step(tmp_path):
    path = tmp_path / "orders.csv"  # a one-kind export, read column-wise
    path.write_text(
        "id,customer_id,at,order_id,amount\n"
        "i-1,c-1,2026-01-01T00:00:00Z,o-1,10.00\n"
        "i-2,c-2,2026-01-02T00:00:00Z,o-2,3.50\n",
        encoding="utf-8",
    )
    options = {"kind": "purchase", "currency": "CNY", "channel": "store"}
    record = Recorder()
    load = read_events(path, progress=record, **options)
    same_load(read_events(path, **options), load)
    assert load.table.amount.tolist() == [1000, 350]
    assert record.calls == [(0, 1), (1, 1)]


# -- refusals, errors and the tqdm bar --------------------------------------------------------


def test_a_progress_that_is_not_callable_is_refused():
    with pytest.raises(
        WrongTypeError, match=r"progress=5: must be a callable taking \(done, total\)"
    ):
        generate(SynthConfig(n_customers=10), seed=1, progress=5)


def test_an_error_in_the_callback_stops_the_operation(pool):
    class StopError(Exception):
        pass

    def stop(done: int, total: int | None) -> None:
        if 0 < done < (total or 0):
            raise StopError

    ends = [datetime(2025, m, 1, tzinfo=UTC) for m in (6, 9)]
    with pytest.raises(StopError):
        health_trend(pool.table, pool.charter, ends, progress=stop)  # stops at (1, 2)


def test_tqdm_progress_draws_one_bar_per_operation(pool, capsys):
    progress = tqdm_progress("synth", unit="step")
    generate(SynthConfig(n_customers=50), seed=1, progress=progress)
    first = capsys.readouterr().err
    assert "synth" in first
    assert "13/13" in first
    ends = [datetime(2025, m, 1, tzinfo=UTC) for m in (6, 9)]
    health_trend(pool.table, pool.charter, ends, progress=progress)  # a new bar
    assert "2/2" in capsys.readouterr().err
    assert repr(progress) == "tqdm_progress(desc='synth', unit='step')"


def test_tqdm_progress_without_tqdm_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # import tqdm.auto fails
    with pytest.raises(MissingDependencyError, match=r"custpool\[notebook\]"):
        tqdm_progress()


def test_import_custpool_imports_no_tqdm():
    code = "import custpool, sys; print('tqdm' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert "Progress" in custpool.__all__
