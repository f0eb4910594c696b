"""Benchmark RFM from a data frame: custpool against polars and DuckDB on the same frame.

Prints one ``name=value`` line per figure. Every ratio is measured in this one run (the machine
is shared and noisy; absolute seconds are not comparable between runs, ratios mostly are).

    python benchmarks/bench_frames.py            # 10,000,000 purchases of 1,000,000 customers
    python benchmarks/bench_frames.py --quick    # 1,000,000 purchases of 100,000 customers

Benchmark-only requirements: ``pip install -r benchmarks/requirements-frames.txt``.

The data is an order export as a shop system gives it: ``customer_id`` strings (``c-0000042``),
``ordered_at`` timezone-aware Asia/Shanghai datetimes (microseconds, two years, in time order)
and ``amount_yuan`` floats with two decimals (about 2% free orders of 0.00). It is built once as
a polars frame and converted to pandas (pandas 3: pyarrow-backed ``str`` ids). For each of the
two frames, three ways compute the same per-customer RFM summary (``rfm_summary``'s rules, those
of ``lifetimes``: UTC-day periods, purchases of a day summed, repeat periods counted, the mean of
the repeat periods' sums in yuan), timed end to end from the frame, best of ``--repeat``:

- ``custpool``: ``EventTable.from_frame`` + ``rfm_summary`` (``from_arrays`` after a pyarrow
  dictionary encoding while ``from_frame`` does not exist; ``custpool_path`` says which);
- ``polars``: a lazy group-by per (customer, day), then per customer;
- ``duckdb``: the same in SQL over the frame itself.

Money is summed in whole fen by all three, so the results are checked equal exactly, per
customer and column (``rfm_equal_polars``, ``rfm_equal_duckdb``). Every figure of a frame is
printed with its name first (``polars_…``, ``pandas_…``). Ratios (targets from issue 12):

- ``rfm_from_frame_vs_duckdb`` = custpool time / DuckDB time (<= 1.0);
- ``rfm_from_frame_vs_polars`` = custpool time / polars time (<= 1.0);
- ``build_vs_argsort`` = the table build alone / one ``np.argsort(kind="stable")`` of the int32
  customer codes of the same rows (<= 1.5), the two timed in turn;
- ``build_peak_rss_vs_table`` = peak resident memory of the build / the table's bytes (<= 3).
  The build runs in a child process that loads the frame from an Arrow file, then builds:
  the figure is the child's ``ru_maxrss`` (``os.wait4``, the number ``RUSAGE_CHILDREN``
  holds) minus its resident memory just before the build. The children are started before the
  data exists, because a child's ``ru_maxrss`` starts at its parent's resident memory when
  it was started (Linux counts the memory it runs in until ``exec``). ``build_peak_hwm_vs_table``
  is the same peak read from ``/proc/self/status`` (``VmHWM``, reset just before the build), as
  a check.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import platform
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import numpy as np

import custpool as cp
from custpool import EventTable, rfm_summary

if TYPE_CHECKING:
    from collections.abc import Callable

    from numpy.typing import NDArray

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2024, 1, 1, tzinfo=SHANGHAI)
DAYS = 731
DAY_US = 86_400_000_000
AS_OF = datetime(2026, 1, 1, 12, tzinfo=SHANGHAI)  # after the last order
FREE_SHARE = 0.02
COLUMNS = {"customer_id": "customer_id", "at": "ordered_at", "amount": "amount_yuan"}
RFM = ("frequency", "recency", "T", "monetary_value")
PURCHASE = 8  # KINDS code of PURCHASE (custpool._engine.KIND_CODE)


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    """Return the seconds ``call`` took and its result."""
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def say(name: str, value: object) -> None:
    """Print one ``name=value`` line (floats with 4 significant decimals)."""
    if isinstance(value, float):
        value = f"{value:.4f}"
    print(f"{name}={value}", flush=True)


def has_from_frame() -> bool:
    """Return whether this custpool has ``EventTable.from_frame``."""
    return hasattr(EventTable, "from_frame")


def micros(moment: datetime) -> int:
    """Microseconds since the epoch of an aware datetime."""
    return int(moment.timestamp()) * 1_000_000 + moment.microsecond


def make_frame(purchases: int, customers: int, seed: int) -> tuple[Any, NDArray[np.int32]]:
    """Return the orders as a polars frame, and each row's customer code (int32).

    Customer ``k`` is ``c-{k:07d}``, so codes are in sorted id order; rows are in time order.
    """
    import polars as pl  # noqa: PLC0415 - benchmark-only

    rng = np.random.default_rng(seed)
    times = np.sort(micros(START) + rng.integers(0, DAYS * DAY_US, purchases, dtype=np.int64))
    codes = rng.integers(0, customers, purchases, dtype=np.int32)
    fen = rng.integers(1, 100_000, purchases, dtype=np.int64)
    fen[rng.random(purchases) < FREE_SHARE] = 0
    width = max(7, len(str(customers - 1)))
    frame = pl.DataFrame(
        {
            "customer_id": pl.Series(codes).cast(pl.String).str.zfill(width),
            "ordered_at": pl.Series(times).cast(pl.Datetime("us", "Asia/Shanghai")),
            "amount_yuan": fen / 100,  # two decimals: 12.34 is the float nearest 12.34
        }
    ).with_columns(pl.concat_str(pl.lit("c-"), pl.col("customer_id")).alias("customer_id"))
    return frame, codes


# --- custpool ------------------------------------------------------------------------------


def build_from_arrays(frame: object) -> EventTable:
    """The stand-in for ``from_frame``: Arrow columns → codes, microseconds, fen → from_arrays."""
    import pyarrow as pa  # noqa: PLC0415 - benchmark-only

    from custpool._frames import arrow_table  # noqa: PLC0415 - the one way a frame comes in

    table = arrow_table(frame)
    ids = table.column(COLUMNS["customer_id"]).combine_chunks()
    if pa.types.is_string_view(ids.type):
        ids = ids.cast(pa.large_string())
    encoded = ids.dictionary_encode()
    times = table.column(COLUMNS["at"]).cast(pa.int64()).to_numpy()
    yuan = table.column(COLUMNS["amount"]).to_numpy()
    n = len(times)
    return EventTable.from_arrays(
        encoded.indices.to_numpy(),
        times,
        np.full(n, PURCHASE, dtype=np.int8),
        amount=np.rint(yuan * 100).astype(np.int64),
        item=np.arange(n, dtype=np.int32),
        customer_ids=encoded.dictionary.to_pylist(),
        currency="CNY",
    )


def build_table(frame: object) -> EventTable:
    """Build the purchases table from the frame, the way a user would."""
    if has_from_frame():
        return EventTable.from_frame(frame, columns=COLUMNS, kind="purchase", currency="CNY")
    return build_from_arrays(frame)


def custpool_rfm(frame: object) -> cp.RfmSummary:
    """custpool's RFM from the frame: build the table, then summarise."""
    return rfm_summary(build_table(frame), AS_OF)


def custpool_result(summary: cp.RfmSummary) -> Any:  # noqa: ANN401 - a polars frame
    """The summary as a polars frame of the compared columns, sorted by customer id."""
    import polars as pl  # noqa: PLC0415 - benchmark-only

    columns = summary.to_dict()
    return pl.DataFrame(columns).select("customer_id", *RFM).sort("customer_id")


# --- polars ----------------------------------------------------------------------------------


def end_period() -> int:
    """The observation end's UTC day: its whole day is observed (rfm_summary's rule 4)."""
    return micros(AS_OF) // DAY_US


def polars_rfm(frame: Any) -> Any:  # noqa: ANN401 - frames
    """RFM with polars' lazy group-by: per (customer, UTC day), then per customer."""
    import polars as pl  # noqa: PLC0415 - benchmark-only

    end = end_period()
    orders = frame if isinstance(frame, pl.DataFrame) else pl.from_pandas(frame)
    days = (
        orders.lazy()
        .select(
            pl.col(COLUMNS["customer_id"]).alias("customer_id"),
            (pl.col(COLUMNS["at"]).dt.epoch("us") // DAY_US).alias("period"),
            (pl.col(COLUMNS["amount"]) * 100).round().cast(pl.Int64).alias("fen"),
        )
        .filter(pl.col("period") <= end)
        .group_by("customer_id", "period")
        .agg(pl.col("fen").sum())
    )
    per = days.group_by("customer_id").agg(
        pl.col("period").min().alias("first"),
        pl.col("period").max().alias("last"),
        pl.len().cast(pl.Int64).alias("periods"),
        pl.col("fen").sum().alias("total"),
        pl.col("fen").sort_by("period").first().alias("first_fen"),
    )
    repeat = pl.col("periods") - 1
    return per.select(
        "customer_id",
        repeat.cast(pl.Float64).alias("frequency"),
        (pl.col("last") - pl.col("first")).cast(pl.Float64).alias("recency"),
        (end - pl.col("first")).cast(pl.Float64).alias("T"),
        pl.when(repeat > 0)
        .then((pl.col("total") - pl.col("first_fen")) / (repeat * 100))
        .otherwise(0.0)
        .alias("monetary_value"),
    ).collect()


# --- DuckDB ----------------------------------------------------------------------------------

DUCKDB_SQL = """
WITH days AS (
    SELECT {customer_id} AS customer_id,
           epoch_us({at}) // {day} AS period,
           sum(CAST(round({amount} * 100) AS BIGINT)) AS fen
    FROM orders
    WHERE epoch_us({at}) // {day} <= {end}
    GROUP BY ALL
)
SELECT customer_id,
       CAST(count(*) - 1 AS DOUBLE) AS frequency,
       CAST(max(period) - min(period) AS DOUBLE) AS recency,
       CAST({end} - min(period) AS DOUBLE) AS "T",
       CASE WHEN count(*) > 1
            THEN CAST(sum(fen) - arg_min(fen, period) AS DOUBLE) / CAST((count(*) - 1) * 100 AS DOUBLE)
            ELSE 0.0 END AS monetary_value
FROM days
GROUP BY customer_id
"""  # noqa: E501 - SQL


def duckdb_rfm(frame: object) -> Any:  # noqa: ANN401 - a pyarrow Table
    """RFM in DuckDB SQL over the frame itself (registered, not copied first)."""
    import duckdb  # noqa: PLC0415 - benchmark-only

    sql = DUCKDB_SQL.format(
        customer_id=COLUMNS["customer_id"],
        at=COLUMNS["at"],
        amount=COLUMNS["amount"],
        day=DAY_US,
        end=end_period(),
    )
    with duckdb.connect() as connection:
        connection.register("orders", frame)
        return connection.sql(sql).to_arrow_table()


# --- checks ----------------------------------------------------------------------------------


def sorted_result(result: Any) -> Any:  # noqa: ANN401 - frames
    """A polars or pyarrow result as a polars frame of the compared columns, sorted by id."""
    import polars as pl  # noqa: PLC0415 - benchmark-only

    frame = result if isinstance(result, pl.DataFrame) else pl.from_arrow(result)
    assert isinstance(frame, pl.DataFrame)  # noqa: S101 - a table gives a frame
    return frame.select(
        pl.col("customer_id").cast(pl.String), *(pl.col(c).cast(pl.Float64) for c in RFM)
    ).sort("customer_id")


def difference(ours: Any, theirs: Any) -> str:  # noqa: ANN401 - polars frames
    """Return ``""`` when the frames are equal, else where they first differ."""
    if ours.height != theirs.height:
        return f"{ours.height} customers in custpool's summary, {theirs.height} in the other"
    if not ours["customer_id"].equals(theirs["customer_id"]):
        return "the customers differ"
    for name in RFM:
        a, b = ours[name].to_numpy(), theirs[name].to_numpy()
        if not np.array_equal(a, b):
            bad = int(np.flatnonzero(a != b)[0])
            who = ours["customer_id"][bad]
            return f"{name} differs for {who!r}: custpool {a[bad]!r}, other {b[bad]!r}"
    return ""


# --- peak memory of the build, in a child ----------------------------------------------------

_CHILD = """
import gc, resource, sys
sys.path.insert(0, {here!r})
import polars as pl
import bench_frames as bench

def status(key):
    with open("/proc/self/status") as lines:
        for line in lines:
            if line.startswith(key):
                return int(line.split()[1]) * 1024
    return -1

print("ready", flush=True)
path = sys.stdin.readline().strip()
frame = pl.read_ipc(path)  # compressed: read into memory, not mapped
if {pandas!r}:
    frame = frame.to_pandas()
gc.collect()
loading_peak = status("VmHWM")
try:
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # VmHWM := VmRSS
except OSError:
    pass
before = status("VmRSS")
table = bench.build_table(frame)
print(table.nbytes, before, status("VmHWM") - before, loading_peak)
"""


def start_rss_child(*, pandas: bool) -> subprocess.Popen[str]:
    """Start a child that waits for an Arrow file's path, loads it as a frame and builds."""
    code = _CHILD.format(here=str(Path(__file__).resolve().parent), pandas=pandas)
    return subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_ready(child: subprocess.Popen[str]) -> None:
    """Wait until the child has imported everything (so it does not compete for the CPUs)."""
    assert child.stdout is not None  # noqa: S101 - piped
    child.stdout.readline()  # "ready", or "" if it failed (reported when it is finished)


def finish_rss_child(child: subprocess.Popen[str], path: str) -> dict[str, int] | str:
    """Send the path, wait; return the child's figures (bytes) or its last error line."""
    assert child.stdin is not None  # noqa: S101 - piped
    assert child.stdout is not None  # noqa: S101 - piped
    assert child.stderr is not None  # noqa: S101 - piped
    child.stdin.write(path + "\n")
    child.stdin.close()
    out, err = child.stdout.read(), child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        return (err.strip().splitlines() or ["no output"])[-1]
    nbytes, before, hwm_delta, loading_peak = (int(x) for x in out.split())
    return {
        "table_bytes": nbytes,
        "rss_before": before,
        "maxrss": usage.ru_maxrss * 1024,  # Linux: KiB
        "hwm_delta": hwm_delta,
        "loading_peak": loading_peak,
    }


# --- the run ---------------------------------------------------------------------------------


def best_of(repeat: int, runs: dict[str, Callable[[], Any]]) -> dict[str, tuple[float, Any]]:
    """Run each call ``repeat`` times, interleaved; keep each one's best time and last result."""
    best: dict[str, tuple[float, Any]] = {}
    for _ in range(repeat):
        for name, call in runs.items():
            best.pop(name, None)  # free the last result before the next run
            gc.collect()
            seconds, result = timed(call)
            if name not in best or seconds < best[name][0]:
                best[name] = (seconds, result)
            else:
                best[name] = (best[name][0], result)
    return best


def compare_on(label: str, frame: object, repeat: int) -> float:
    """Time the three RFMs on one frame, check them equal, print; return custpool's time."""
    runs = {
        "custpool": lambda: custpool_rfm(frame),
        "polars": lambda: polars_rfm(frame),
        "duckdb": lambda: duckdb_rfm(frame),
    }
    best = best_of(repeat, runs)
    for name, (seconds, _) in best.items():
        say(f"{label}_{name}_seconds", seconds)
    ours = custpool_result(best["custpool"][1])
    say(f"{label}_rfm_customers", ours.height)
    for name in ("polars", "duckdb"):
        problem = difference(ours, sorted_result(best[name][1]))
        say(f"{label}_rfm_equal_{name}", not problem)
        if problem:
            say(f"{label}_rfm_difference_{name}", problem)
    custpool_seconds = best["custpool"][0]
    say(f"{label}_rfm_from_frame_vs_duckdb", custpool_seconds / best["duckdb"][0])
    say(f"{label}_rfm_from_frame_vs_polars", custpool_seconds / best["polars"][0])
    return custpool_seconds


def profile(frame: object, top: int) -> None:
    """Print the top lines of a cProfile of the custpool path (build, then rfm_summary)."""
    profiler = cProfile.Profile()
    profiler.runcall(custpool_rfm, frame)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(top)
    print(text.getvalue())


def main() -> None:  # noqa: PLR0915 - one figure after another reads best
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--purchases", type=int, default=10_000_000)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="1M purchases of 100k customers")
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    parser.add_argument("--profile", type=int, default=0, help="print N cProfile lines")
    args = parser.parse_args()
    if args.quick:
        args.purchases, args.customers = 1_000_000, 100_000

    # Started while this process is small: see the module docstring.
    children = {"polars": start_rss_child(pandas=False), "pandas": start_rss_child(pandas=True)}
    for child in children.values():
        wait_ready(child)

    say("python", platform.python_version())
    say("machine", f"{platform.machine()} {os.cpu_count()} cpus")
    for package in ("numpy", "polars", "pandas", "pyarrow", "duckdb"):
        say(package, version(package))
    say("custpool_path", "from_frame" if has_from_frame() else "from_arrays")
    seconds, (frame, codes) = timed(lambda: make_frame(args.purchases, args.customers, args.seed))
    say("purchases", frame.height)
    say("customers_buying", int(np.unique(codes).shape[0]))
    say("generate_seconds", seconds)
    seconds, pandas_frame = timed(frame.to_pandas)
    say("to_pandas_seconds", seconds)
    say("pandas_dtypes", " ".join(f"{k}:{v}" for k, v in pandas_frame.dtypes.items()))

    # The yardstick is timed beside each build (best of each), as the load of a shared machine
    # changes by the minute.
    argsort = partial(np.argsort, codes, kind="stable")
    for label, data in (("polars", frame), ("pandas", pandas_frame)):
        best = best_of(args.repeat, {"argsort": argsort, "build": partial(build_table, data)})
        (argsort_seconds, _), (build_seconds, table) = best["argsort"], best["build"]
        say(f"{label}_argsort_seconds", argsort_seconds)
        say(f"{label}_build_seconds", build_seconds)
        say(f"{label}_build_vs_argsort", build_seconds / argsort_seconds)
        say("table_bytes", table.nbytes)
        del best, table
        compare_on(label, data, args.repeat)

    if args.profile:
        profile(frame, args.profile)

    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "orders.arrow")
        frame.write_ipc(path, compression="lz4")
        del frame, pandas_frame
        gc.collect()
        for label, child in children.items():
            figures = finish_rss_child(child, path)
            if isinstance(figures, str):
                say(f"{label}_build_peak_rss", f"failed: {figures}")
                continue
            table_bytes = figures["table_bytes"]
            peak = figures["maxrss"] - figures["rss_before"]
            say(f"{label}_frame_rss_bytes", figures["rss_before"])
            say(f"{label}_build_peak_rss_bytes", peak)
            say(f"{label}_build_peak_rss_vs_table", peak / table_bytes)
            say(f"{label}_build_peak_hwm_vs_table", figures["hwm_delta"] / table_bytes)
            if figures["loading_peak"] > figures["maxrss"] - 1024 * 1024:
                say(f"{label}_build_peak_rss_note", "loading the frame peaked higher: use hwm")
    say("self_peak_rss_bytes", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)


if __name__ == "__main__":
    main()
