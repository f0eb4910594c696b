"""Benchmark the columnar engine on a synthetic pool: build, classify, the full report, RFM.

Prints one ``name=value`` line per figure. Every ratio is measured in this one run (the machine
is shared and noisy; absolute seconds are not comparable between runs, ratios mostly are).

    python benchmarks/bench_engine.py            # 1,000,000 customers, ~10,000,000 events
    python benchmarks/bench_engine.py --quick    # 100,000 customers, ~1,000,000 events

Ratios (targets from the issue):

- ``pipeline_vs_argsort`` = full report time / one ``np.argsort`` of the customer-index column
  in random order (≤ 10);
- ``classify_speedup`` = per-customer speed of ``classify_table`` / per-customer speed of
  ``classify`` over a 10,000-customer sample (≥ 200);
- ``rfm_speedup`` = ``lifetimes``' ``summary_data_from_transaction_data`` time / custpool's
  ``rfm_summary`` time on a built table, same purchases (≥ 50); without ``lifetimes`` (install
  ``benchmarks/requirements-lifetimes.txt``), a pandas group-by stands in and the output says so;
- ``rfm_from_raw_speedup`` = the same, custpool's time including building the table from the raw
  arrays (≥ 10);
- ``peak_rss_vs_table`` = peak resident memory of the engine part / bytes of the table (≤ 4).

The RFM reference runs in a child process, so its pandas frames do not count in this process's
peak memory.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

import custpool as cp
from custpool import rfm_summary, synth
from custpool._engine import KIND_CODE

if TYPE_CHECKING:
    from collections.abc import Callable

HERE = Path(__file__).resolve().parent
PURCHASE = KIND_CODE[cp.InteractionKind.PURCHASE]


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    """Return the seconds ``call`` took and its result."""
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def peak_rss() -> int:
    """Peak resident memory of this process, in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def say(name: str, value: object) -> None:
    """Print one ``name=value`` line (floats with 4 significant decimals)."""
    if isinstance(value, float):
        value = f"{value:.4f}"
    print(f"{name}={value}", flush=True)


def month_ends(start: datetime, count: int) -> list[datetime]:
    """Return ``count + 1`` consecutive month starts from ``start``'s month."""
    out = []
    year, month = start.year, start.month
    for _ in range(count + 1):
        out.append(datetime(year, month, 1, tzinfo=UTC))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def full_report(table: cp.EventTable, policy: cp.Policy, ends: list[datetime]) -> object:
    """Classify, every analytic for the last month, and the monthly flow snapshots."""
    start, end = ends[-2], ends[-1]
    tiers = cp.classify_table(table, policy, end)
    kpis = cp.pool_kpis(table, start, end)
    growth = cp.pool_growth(table, ends[-4:])
    snapshots = cp.tier_snapshots(table, policy, ends)
    flows = cp.tier_flows(snapshots)
    ltv = cp.tier_ltv(table, snapshots, discount_rate=0.01)
    rfm = cp.rfm_summary(table, end)
    fission = cp.fission(table, policy, start, end)
    channels = cp.channel_attribution(table, start, end)
    return tiers, kpis, growth, flows, ltv, rfm, fission, channels


def object_speed(table: cp.EventTable, policy: cp.Policy, as_of: datetime, sample: int) -> float:
    """Seconds per customer of ``classify`` on ``sample`` customers' histories."""
    rng = np.random.default_rng(1)
    picked = np.sort(
        rng.choice(table.n_customers, size=min(sample, table.n_customers), replace=False)
    )
    rows = np.concatenate([np.arange(table.offsets[c], table.offsets[c + 1]) for c in picked])
    small = cp.EventTable.from_arrays(
        **{name: table.column(name)[rows] for name in cp.EventTable.COLUMNS},
        customer_ids=table.customer_ids,
        item_ids=table.item_ids,
        currency=table.currency,
    )
    histories: dict[str, list[cp.Interaction]] = {}
    for interaction in small.interactions():
        histories.setdefault(interaction.customer_id, []).append(interaction)
    seconds, _ = timed(lambda: [cp.classify(h, policy, as_of) for h in histories.values()])
    return seconds / max(len(histories), 1)


def rfm_reference(customer: Any, times: Any, amount: Any, end: datetime) -> dict[str, str]:  # noqa: ANN401
    """Time the RFM reference in a child process on the same purchases; return its lines."""
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "purchases.npz"
        np.savez(data, customer=customer, times=times, amount=amount)
        child = subprocess.run(  # noqa: S603 - our own script, our own interpreter
            [sys.executable, __file__, "--rfm-child", str(data), "--end", end.isoformat()],
            capture_output=True,
            text=True,
            check=False,
        )
    if child.returncode:
        return {"reference": "failed", "reference_error": child.stderr.strip().splitlines()[-1]}
    return dict(line.split("=", 1) for line in child.stdout.splitlines() if "=" in line)


def rfm_child(path: str, end_text: str) -> None:
    """In the child: time lifetimes (or a pandas group-by) and check it equals custpool."""
    sys.path.insert(0, str(HERE))
    import lifetimes_reference as ref  # noqa: PLC0415 - benchmark-only, optional

    data = np.load(path)
    customer, times, amount = data["customer"], data["times"], data["amount"]
    end = datetime.fromisoformat(end_text)
    if ref.lifetimes_available():
        name, run = "lifetimes", ref.time_lifetimes
    elif ref.pandas_available():
        name, run = "pandas_groupby", ref.time_pandas_groupby
    else:
        print("reference=unavailable (install benchmarks/requirements-lifetimes.txt)")
        return
    seconds, frame = run(customer.astype(str), times, amount / 100, end)
    table = cp.EventTable.from_arrays(
        customer,
        times,
        np.full(customer.shape[0], PURCHASE, dtype=np.int8),
        amount=amount,
        item=np.arange(customer.shape[0], dtype=np.int32),
        customer_ids=[str(i) for i in range(int(customer.max()) + 1)],
        currency="CNY",
    )
    ref.check_equal(rfm_summary(table, end), frame)
    print(f"reference={name}")
    print(f"reference_seconds={seconds:.4f}")
    print("reference_equal=true")


def main() -> None:  # noqa: PLR0915 - one figure after another reads best
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100k customers / ~1M events")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--sample", type=int, default=10_000, help="customers for classify()")
    parser.add_argument("--rfm-child", help=argparse.SUPPRESS)
    parser.add_argument("--end", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rfm_child:
        rfm_child(args.rfm_child, args.end)
        return

    customers = 100_000 if args.quick else 1_000_000
    say("python", platform.python_version())
    say("numpy", np.__version__)
    say("machine", f"{platform.machine()} {os.cpu_count()} cpus")
    config = synth.SynthConfig(n_customers=customers, events_per_customer=10.0)
    seconds, pool = timed(lambda: synth.generate(config, seed=args.seed))
    say("synth_seconds", seconds)
    generated: cp.EventTable = pool.table
    del pool
    # The raw arrays as a CRM would export them: a time-ordered event log. The table is built
    # again from them (and the generated one dropped), so no third copy stays in memory.
    log = np.argsort(generated.time, kind="stable")
    raw = {name: generated.column(name)[log] for name in cp.EventTable.COLUMNS}
    ids = (generated.customer_ids, generated.item_ids, generated.currency)
    del generated, log
    # The yardstick: one argsort of the customer column in random order (a time-ordered log of
    # this pool is nearly sorted by customer, since customers are numbered as they join).
    shuffled = np.random.default_rng(0).permutation(raw["customer"])
    argsort_seconds, _ = timed(partial(np.argsort, shuffled))
    del shuffled
    build_seconds, table = timed(
        lambda: cp.EventTable.from_arrays(
            **raw, customer_ids=ids[0], item_ids=ids[1], currency=ids[2]
        )
    )
    raw.clear()
    say("customers", table.n_customers)
    say("events", len(table))
    say("table_bytes", table.nbytes)
    say("bytes_per_event", table.nbytes / len(table))
    say("build_seconds", build_seconds)
    say("argsort_seconds", argsort_seconds)

    policy = cp.Policy(paradigm=config.paradigm)
    ends = month_ends(config.start, 12)
    as_of = ends[-1]
    classify_seconds, tiers = timed(lambda: cp.classify_table(table, policy, as_of))
    say("classify_seconds", classify_seconds)
    say("states", " ".join(f"{s.value}:{n}" for s, n in tiers.counts().items()))
    report_seconds, _ = timed(lambda: full_report(table, policy, ends))
    say("report_seconds", report_seconds)
    say("pipeline_vs_argsort", report_seconds / argsort_seconds)
    engine_peak = peak_rss()
    say("peak_rss_bytes", engine_peak)
    say("peak_rss_vs_table", engine_peak / table.nbytes)

    per_object = object_speed(table, policy, as_of, args.sample)
    per_table = classify_seconds / table.n_customers
    say("classify_object_seconds_per_customer", per_object)
    say("classify_table_seconds_per_customer", per_table)
    say("classify_speedup", per_object / per_table)

    purchases = table.kind_is(cp.InteractionKind.PURCHASE)
    customer = table.customer[purchases]
    times = table.time[purchases]
    amount = table.amount[purchases]
    end = ends[-1] - timedelta(days=15)
    say("pool_rfm_transactions", int(purchases.sum()))
    rfm_seconds, summary = timed(lambda: rfm_summary(table, end))
    say("pool_rfm_customers", len(summary))
    say("pool_rfm_seconds", rfm_seconds)
    raw_seconds, _ = timed(
        lambda: rfm_summary(
            cp.EventTable.from_arrays(
                customer,
                times,
                np.full(customer.shape[0], PURCHASE, dtype=np.int8),
                amount=amount,
                item=np.arange(customer.shape[0], dtype=np.int32),
                customer_ids=table.customer_ids,
                currency=table.currency,
            ),
            end,
        )
    )
    say("pool_rfm_from_raw_seconds", raw_seconds)
    reference = rfm_reference(customer, times, amount, end)
    for key, value in reference.items():
        say(f"pool_{key}", value)
    if "reference_seconds" in reference:
        theirs = float(reference["reference_seconds"])
        say("pool_rfm_speedup", theirs / rfm_seconds)
        say("pool_rfm_from_raw_speedup", theirs / raw_seconds)
    rfm_at_scale(args.seed, customers, 10 * customers)


def rfm_at_scale(seed: int, customers: int, transactions: int) -> None:
    """RFM at the issue's scale: as many purchases as the pool has events (a time-ordered log)."""
    sys.path.insert(0, str(HERE))
    import lifetimes_reference as ref  # noqa: PLC0415 - benchmark-only helpers

    customer, times, amount, end = ref.generate(
        transactions, customers, np.random.default_rng(seed)
    )
    log = np.argsort(times, kind="stable")
    customer, times, amount = customer[log], times[log], amount[log]
    del log
    kinds = np.full(transactions, PURCHASE, dtype=np.int8)
    items = np.arange(transactions, dtype=np.int32)

    def build() -> cp.EventTable:
        return cp.EventTable.from_arrays(
            customer, times, kinds, amount=amount, item=items, currency="CNY"
        )  # ids are numbered "0", "1", … on demand: no strings are made

    build_seconds, table = timed(build)
    rfm_seconds, _ = timed(lambda: rfm_summary(table, end))
    say("rfm_transactions", transactions)
    say("rfm_customers", customers)
    say("rfm_build_seconds", build_seconds)
    say("rfm_seconds", rfm_seconds)
    reference = rfm_reference(customer, times, amount, end)
    for key, value in reference.items():
        say(key, value)
    if "reference_seconds" in reference:
        theirs = float(reference["reference_seconds"])
        say("rfm_speedup", theirs / rfm_seconds)
        say("rfm_from_raw_speedup", theirs / (build_seconds + rfm_seconds))


if __name__ == "__main__":
    main()
