"""Benchmark pool_readiness against classify_table on a synthetic pool.

Prints one ``name=value`` line per figure. Every ratio is measured in this one run (the machine
is shared and noisy; absolute seconds are not comparable between runs, ratios mostly are).

    python benchmarks/bench_readiness.py            # 1,000,000 customers, ~10,000,000 events
    python benchmarks/bench_readiness.py --quick    # 100,000 customers, ~1,000,000 events

Ratio:

- ``readiness_vs_classify`` = ``pool_readiness`` time / ``classify_table`` time at the same
  instant, same table (target ≤ 3); each is the best of ``--repeat`` runs. pool_readiness
  classifies the table once itself (to know the members), so the ratio is at least 1.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime

from _common import best_of, peak_rss_mib, say, say_machine

import custpool as cp
from custpool import synth


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100k customers / ~1M events")
    parser.add_argument("--customers", type=int, default=None, help="override the size")
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing (best kept)")
    args = parser.parse_args()

    customers = args.customers or (100_000 if args.quick else 1_000_000)
    say_machine()
    config = synth.SynthConfig(n_customers=customers, events_per_customer=10.0)
    start = time.perf_counter()
    pool = synth.generate(config, seed=args.seed)
    say("synth_seconds", time.perf_counter() - start)
    table = pool.table
    say("customers", table.n_customers)
    say("events", len(table))
    as_of = datetime(2025, 12, 1, tzinfo=UTC)
    # the synthetic charter declares no brand or culture: declare them, as a brand would
    charter = pool.charter.model_copy(
        update={
            "brand": "Synth Coffee",
            "positioning": "Coffee for people who roast at home",
            "endorsements": ("SCA certified", "Best roaster 2025"),
            "vision": "Every cup traceable",
            "mission": "Fair prices to growers",
            "core_values": ("Honesty",),
        }
    )

    classify_seconds, _ = best_of(args.repeat, lambda: cp.classify_table(table, cp.Policy(), as_of))
    say("classify_table_seconds", classify_seconds)
    readiness_seconds, ready = best_of(
        args.repeat, lambda: cp.pool_readiness(charter, table, as_of)
    )
    say("pool_readiness_seconds", readiness_seconds)
    say("readiness_vs_classify", readiness_seconds / classify_seconds)
    say("verdict", ready.verdict.value)
    for status in cp.ReadinessStatus:
        say(status.value, ",".join(i.value for i in ready.with_status(status)) or "-")
    say("peak_rss_mib", peak_rss_mib())


if __name__ == "__main__":
    main()
