"""Benchmark KPIs by operator and by group against the whole pool's KPIs, in one run.

Prints one ``name=value`` line per figure. Issue 14's target: ``pool_kpis(by="group")`` on
10 million events and 10,000 groups within 2× ``pool_kpis`` (``group_vs_whole`` ≤ 2).

    python benchmarks/bench_breakdown.py            # 1,000,000 customers, ~10,000,000 events
    python benchmarks/bench_breakdown.py --quick    # 100,000 customers, ~1,000,000 events
"""

from __future__ import annotations

import argparse
from datetime import timedelta

from _common import best_of, say, say_machine

import custpool as cp
from custpool import synth


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100k customers / ~1M events")
    parser.add_argument("--seed", type=int, default=20261204)
    args = parser.parse_args()
    customers = 100_000 if args.quick else 1_000_000
    config = synth.SynthConfig(
        n_customers=customers,
        events_per_customer=10.0,
        operators=50,
        group_size=customers // 10_000,
    )
    say_machine()
    table = synth.generate(config, seed=args.seed).table
    say("events", len(table))
    say("customers", table.n_customers)
    say("operators", len(table.operator_ids))
    say("groups", len(table.group_ids))
    window = cp.Window(config.end - timedelta(days=30), config.end)
    whole_seconds, whole = best_of(3, lambda: cp.pool_kpis(table, window))
    group_seconds, by_group = best_of(3, lambda: cp.pool_kpis(table, window, by="group"))
    operator_seconds, by_operator = best_of(3, lambda: cp.pool_kpis(table, window, by="operator"))
    say("whole_equal", by_group.whole == whole == by_operator.whole)
    say("whole_seconds", whole_seconds)
    say("by_group_seconds", group_seconds)
    say("by_operator_seconds", operator_seconds)
    say("group_parts", len(by_group.parts))
    say("group_vs_whole", group_seconds / whole_seconds)
    say("operator_vs_whole", operator_seconds / whole_seconds)
    silent_seconds, silent = best_of(3, lambda: cp.silent_groups(table, config.end))
    say("silent_groups_seconds", silent_seconds)
    say("silent_groups", len(silent))
    say("silent_vs_whole", silent_seconds / whole_seconds)


if __name__ == "__main__":
    main()
