"""Benchmark growth_breakdown, pool_value and visitor_capture against classify_table.

Prints one ``name=value`` line per figure. Every ratio is measured in this one run (the machine
is shared and noisy; absolute seconds are not comparable between runs, ratios mostly are).

    python benchmarks/bench_growth_value.py            # 1,000,000 customers, ~10,000,000 events
    python benchmarks/bench_growth_value.py --quick    # 100,000 customers, ~1,000,000 events

Ratios (target ≤ 3 each), every time the best of ``--repeat`` runs:

- ``growth_breakdown_vs_classify`` = ``growth_breakdown`` over 12 months with 12 campaigns /
  ``classify_table`` at one instant; ``growth_breakdown_per_period_vs_classify`` divides by 12;
- ``pool_value_vs_classify`` = ``pool_value`` at one instant / ``classify_table`` (it calls
  ``classify_table`` once per instant, so about 1 is the floor);
- ``visitor_capture_vs_classify`` = ``visitor_capture`` over a month / ``classify_table``.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta

import numpy as np
from _common import best_of, peak_rss_mib, say, say_machine

import custpool as cp
from custpool import synth


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100k customers / ~1M events")
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing (best kept)")
    args = parser.parse_args()

    customers = 100_000 if args.quick else 1_000_000
    say_machine()
    config = synth.SynthConfig(n_customers=customers, events_per_customer=10.0)
    start = time.perf_counter()
    pool = synth.generate(config, seed=args.seed)
    say("synth_seconds", time.perf_counter() - start)
    table = pool.table
    say("customers", table.n_customers)
    say("events", len(table))
    as_of = datetime(2025, 12, 1, tzinfo=UTC)
    policy = cp.Policy()

    classify_seconds, _ = best_of(args.repeat, lambda: cp.classify_table(table, policy, as_of))
    say("classify_table_seconds", classify_seconds)

    ends = [datetime(2025, month, 1, tzinfo=UTC) for month in range(1, 13)]
    ends.append(datetime(2026, 1, 1, tzinfo=UTC))
    campaigns = [
        cp.PoolActivity(
            id=f"hit-{month}",
            at=datetime(2025, month, 10, tzinfo=UTC),
            kind="campaign",
            channel="mini_program",
            ends_at=datetime(2025, month, 10, tzinfo=UTC) + timedelta(days=7),
        )
        for month in range(1, 13)
    ]
    growth_seconds, growth = best_of(
        args.repeat, lambda: cp.growth_breakdown(table, ends, activities=campaigns)
    )
    say("growth_breakdown_12_periods_seconds", growth_seconds)
    say("growth_breakdown_vs_classify", growth_seconds / classify_seconds)
    say("growth_breakdown_per_period_vs_classify", growth_seconds / 12 / classify_seconds)
    say("net_change_2025", sum(p.net_change for p in growth.periods))
    lifts = [c.lift for c in growth.campaigns if c.lift is not None]
    say("median_campaign_lift", float(np.median(lifts)) if lifts else None)

    quarters = [datetime(2025, month, 1, tzinfo=UTC) for month in (1, 4, 7, 10)]
    ltv = cp.tier_ltv(table, cp.tier_snapshots(table, policy, quarters), discount_rate=0.03)
    value_seconds, value = best_of(args.repeat, lambda: cp.pool_value(table, as_of, ltv=ltv))
    say("pool_value_seconds", value_seconds)
    say("pool_value_vs_classify", value_seconds / classify_seconds)
    say("pool_value", value.points[0].total)
    say("pool_value_unknown_customers", value.points[0].unknown)
    trend_seconds, _ = best_of(1, lambda: cp.pool_value(table, ends, ltv=ltv))
    say("pool_value_trend_per_instant_vs_classify", trend_seconds / len(ends) / classify_seconds)

    month = cp.Window(datetime(2025, 11, 1, tzinfo=UTC), as_of)
    capture_seconds, capture = best_of(args.repeat, lambda: cp.visitor_capture(table, month))
    say("visitor_capture_seconds", capture_seconds)
    say("visitor_capture_vs_classify", capture_seconds / classify_seconds)
    say("store_visitors", capture.visitors)
    say("capture_rate", capture.capture_rate)
    say("peak_rss_mib", peak_rss_mib())


if __name__ == "__main__":
    main()
