"""Benchmark the ISOOC health scorer against classify_table on a synthetic pool.

Prints one ``name=value`` line per figure. Every ratio is measured in this one run (the machine
is shared and noisy; absolute seconds are not comparable between runs, ratios mostly are).

    python benchmarks/bench_health.py            # 1,000,000 customers, ~10,000,000 events
    python benchmarks/bench_health.py --quick    # 100,000 customers, ~1,000,000 events

Ratios:

- ``health_vs_classify`` = ``score_health`` time (with tags and activities) / ``classify_table``
  time at the same instant, same table (target ≤ 3); each is the best of ``--repeat`` runs;
- ``trend_per_report_vs_classify`` = ``health_trend`` time over 12 month ends / 12 /
  ``classify_table`` time (the per-kind rows are shared between the reports).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

import custpool as cp
from custpool import synth

if TYPE_CHECKING:
    from collections.abc import Callable


def best_of(repeat: int, call: Callable[[], Any]) -> tuple[float, Any]:
    """Return the fastest of ``repeat`` runs of ``call`` (seconds) and its last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - start)
    return best, result


def say(name: str, value: object) -> None:
    """Print one ``name=value`` line (floats with 4 significant decimals)."""
    if isinstance(value, float):
        value = f"{value:.4f}"
    print(f"{name}={value}", flush=True)


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100k customers / ~1M events")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing (best kept)")
    args = parser.parse_args()

    customers = 100_000 if args.quick else 1_000_000
    say("python", platform.python_version())
    say("numpy", np.__version__)
    say("machine", f"{platform.machine()} {os.cpu_count()} cpus")
    config = synth.SynthConfig(n_customers=customers, events_per_customer=10.0)
    start = time.perf_counter()
    pool = synth.generate(config, seed=args.seed)
    say("synth_seconds", time.perf_counter() - start)
    table = pool.table
    say("customers", table.n_customers)
    say("events", len(table))
    say("activities", len(pool.activities))
    tags_seconds, tags = best_of(1, pool.tag_table)
    say("tag_table_seconds", tags_seconds)
    as_of = datetime(2025, 12, 1, tzinfo=UTC)
    policy = cp.Policy()

    classify_seconds, _ = best_of(args.repeat, lambda: cp.classify_table(table, policy, as_of))
    say("classify_table_seconds", classify_seconds)
    health_seconds, report = best_of(
        args.repeat,
        lambda: cp.score_health(table, pool.charter, as_of, tags=tags, activities=pool.activities),
    )
    say("score_health_seconds", health_seconds)
    say("health_vs_classify", health_seconds / classify_seconds)
    say("overall", report.overall)
    say("band", report.band.value if report.band else None)
    say("non_members", len(report.non_members))
    say("not_measured", ",".join(m.value for m in report.not_measured) or "-")

    ends = [datetime(2025, month, 1, tzinfo=UTC) for month in range(2, 13)]
    ends.append(datetime(2026, 1, 1, tzinfo=UTC))
    trend_seconds, trend = best_of(
        1,
        lambda: cp.health_trend(table, pool.charter, ends, tags=tags, activities=pool.activities),
    )
    say("health_trend_12_seconds", trend_seconds)
    say("trend_per_report_vs_classify", trend_seconds / len(ends) / classify_seconds)
    change = cp.explain_change(trend[-2], trend[-1])
    say("last_month_change", f"{change.delta:+.2f}" if change.delta is not None else None)
    say("peak_rss_mib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


if __name__ == "__main__":
    main()
