"""Benchmark churn causes and the relationship levels against classify_table (issue 15).

Prints one ``name=value`` line per figure. Every ratio is measured in this one run (the machine
is shared and noisy; absolute seconds are not comparable between runs, ratios mostly are).

    python benchmarks/bench_churn_levels.py            # 1,000,000 customers, ~10,000,000 events
    python benchmarks/bench_churn_levels.py --quick    # 100,000 customers, ~1,000,000 events

Ratios (each time is the best of ``--repeat`` runs, divided by one ``classify_table`` at the
same instant on the same table; target ≤ 3):

- ``churn_causes_vs_classify``: ``churn_causes`` over the six months before ``as_of``;
- ``relationship_levels_vs_classify``: ``relationship_levels`` at ``as_of``;
- ``level_flows_vs_classify``: the levels at two instants and ``flows_to`` between them;
- ``level_ltv_12_vs_classify``: ``level_ltv`` over 12 month ends (the levels at each end, the
  chain and the values), and ``level_ltv_per_end_vs_classify`` the same per period end.
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
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing (best kept)")
    args = parser.parse_args()

    customers = 100_000 if args.quick else 1_000_000
    say_machine()
    start = time.perf_counter()
    pool = synth.generate(synth.SynthConfig(n_customers=customers), seed=args.seed)
    say("synth_seconds", time.perf_counter() - start)
    table = pool.table
    say("customers", table.n_customers)
    say("events", len(table))
    as_of = datetime(2025, 12, 1, tzinfo=UTC)
    half_year = datetime(2025, 6, 1, tzinfo=UTC)
    policy = cp.Policy()

    classify_seconds, _ = best_of(args.repeat, lambda: cp.classify_table(table, policy, as_of))
    say("classify_table_seconds", classify_seconds)

    causes_seconds, causes = best_of(args.repeat, lambda: cp.churn_causes(table, half_year, as_of))
    say("churn_causes_seconds", causes_seconds)
    say("churn_causes_vs_classify", causes_seconds / classify_seconds)
    say("churners", len(causes))
    say("churners_with_a_cause", len(causes) - causes.counts()[None])

    levels_seconds, levels = best_of(args.repeat, lambda: cp.relationship_levels(table, as_of))
    say("relationship_levels_seconds", levels_seconds)
    say("relationship_levels_vs_classify", levels_seconds / classify_seconds)
    say("levels", ",".join(f"{k.value}:{n}" for k, n in levels.counts().items()))

    flows_seconds, flows = best_of(
        args.repeat,
        lambda: cp.relationship_levels(table, half_year).flows_to(
            cp.relationship_levels(table, as_of)
        ),
    )
    say("level_flows_seconds", flows_seconds)
    say("level_flows_vs_classify", flows_seconds / classify_seconds)
    say("level_moves_up_down", f"{flows.up},{flows.down}")

    ends = [datetime(2025, month, 1, tzinfo=UTC) for month in range(1, 13)]
    ends.append(datetime(2026, 1, 1, tzinfo=UTC))
    ltv_seconds, ltv = best_of(1, lambda: cp.level_ltv(table, ends, discount_rate=0.01))
    say("level_ltv_12_seconds", ltv_seconds)
    say("level_ltv_12_vs_classify", ltv_seconds / classify_seconds)
    say("level_ltv_per_end_vs_classify", ltv_seconds / len(ends) / classify_seconds)
    say("ltv_rises_per_level", ltv.rises(["transactional", "friend", "partner"]))
    say("peak_rss_mib", peak_rss_mib())


if __name__ == "__main__":
    main()
