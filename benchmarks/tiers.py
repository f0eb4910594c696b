"""Benchmark the relationship tiers: classify, replay, and a 100k-customer pool replay.

Prints ``name=value`` lines. Figures depend on the machine; compare ratios from one run.

    python benchmarks/tiers.py                 # full: 100k customers
    python benchmarks/tiers.py --customers 10000
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import numpy as np

import custpool as cp

START = datetime(2025, 1, 1, tzinfo=UTC)
KINDS = [
    cp.InteractionKind.MESSAGE,
    cp.InteractionKind.GROUP_POST,
    cp.InteractionKind.REACTION,
    cp.InteractionKind.CONTENT_VIEW,
    cp.InteractionKind.PURCHASE,
    cp.InteractionKind.REFERRAL,
    cp.InteractionKind.NPS,
    cp.InteractionKind.CHURN,
    cp.InteractionKind.CONNECT,
]
KIND_P = [0.40, 0.15, 0.15, 0.12, 0.08, 0.03, 0.03, 0.02, 0.02]
PRICE = cp.Money(amount=Decimal("99.00"), currency="CNY")


def history(rng: np.random.Generator, customer: str, size: int) -> list[cp.Interaction]:
    """A plausible history of ``size`` events over two years (built without validation)."""
    days = np.sort(rng.uniform(0, 730, size))
    kinds = rng.choice(len(KINDS), size=size, p=KIND_P)
    kinds[0] = KINDS.index(cp.InteractionKind.CONNECT)
    out = []
    for n, (day, k) in enumerate(zip(days, kinds, strict=True)):
        kind = KINDS[k]
        fields: dict[str, object] = {}
        direction = cp.Direction.INBOUND
        if kind is cp.InteractionKind.MESSAGE and rng.random() < 0.4:
            direction = cp.Direction.OUTBOUND
        if kind is cp.InteractionKind.CONNECT:
            fields["source"] = cp.SourceChannel.STORE
        elif kind is cp.InteractionKind.CHURN:
            fields["churn_reason"] = cp.ChurnReason.DELETED
        elif kind is cp.InteractionKind.PURCHASE:
            fields |= {"order_id": f"o-{customer}-{n}", "amount": PRICE}
        elif kind is cp.InteractionKind.REFERRAL:
            fields["referred_id"] = f"{customer}-friend"
        elif kind is cp.InteractionKind.NPS:
            fields["score"] = int(rng.integers(0, 11))
        out.append(
            cp.Interaction.model_construct(
                id=f"{customer}-{n}",
                customer_id=customer,
                at=START + timedelta(days=float(day)),
                kind=kind,
                direction=direction,
                channel=cp.Channel.WECOM_CHAT,
                **fields,
            )
        )
    return out


def rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_single(rng: np.random.Generator, policy: cp.Policy, as_of: datetime) -> None:
    """Classify and replay 100-event histories one by one."""
    long = [history(rng, f"h{i}", 100) for i in range(300)]
    t = time.perf_counter()
    for h in long:
        cp.classify(h, policy, as_of)
    print(f"classify_100_events_per_s={len(long) / (time.perf_counter() - t):.0f}")
    machine = cp.RelationshipMachine(policy)
    t = time.perf_counter()
    steps = sum(len(machine.replay(h, as_of).log) for h in long)
    print(f"replay_100_events_per_s={len(long) / (time.perf_counter() - t):.0f}")
    print(f"replay_100_events_steps_per_replay={steps / len(long):.1f}")


def bench_pool(
    rng: np.random.Generator, policy: cp.Policy, as_of: datetime, n: int, events: int
) -> None:
    """Replay and advance a whole pool through one machine with hooks registered."""
    t = time.perf_counter()
    pool = [history(rng, f"c{i}", events) for i in range(n)]
    print(f"pool_customers={n}")
    print(f"pool_events={n * events}")
    print(f"pool_build_s={time.perf_counter() - t:.1f}")
    rss_before = rss_mib()
    machine = cp.RelationshipMachine(policy)
    entered: dict[cp.State, int] = dict.fromkeys(cp.State, 0)
    for state in cp.State:
        machine.on_enter(state, lambda r: entered.__setitem__(r.dest, entered[r.dest] + 1))
    moves = [0]
    machine.on_transition(lambda _r: moves.__setitem__(0, moves[0] + 1))
    t = time.perf_counter()
    tracks = []
    for h in pool:
        track = machine.track()
        track.add(h)
        track.advance_to(as_of)
        tracks.append(track)
    seconds = time.perf_counter() - t
    print(f"pool_replay_advance_s={seconds:.1f}")
    print(f"pool_replay_per_customer_us={seconds / n * 1e6:.0f}")
    print(f"pool_transitions={moves[0]}")
    print(f"pool_hook_calls={sum(entered.values())}")
    print(f"pool_peak_rss_mib={rss_mib():.0f}")
    print(f"pool_rss_growth_during_replay_mib={rss_mib() - rss_before:.0f}")
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = []
    for h in pool[:2000]:
        track = machine.track()
        track.add(h)
        track.advance_to(as_of)
        kept.append(track)
    per_track = (tracemalloc.get_traced_memory()[0] - before) / len(kept)
    tracemalloc.stop()
    print(f"track_retained_bytes_per_customer={per_track:.0f}")
    t = time.perf_counter()
    sample = pool[: min(n, 20_000)]
    agree = sum(
        cp.classify(h, policy, as_of).state is tr.state
        for h, tr in zip(sample, tracks, strict=False)
    )
    print(f"classify_vs_replay_agree={agree}/{len(sample)}")
    print(f"classify_sample_s={time.perf_counter() - t:.1f}")
    states = {s.value: sum(tr.state is s for tr in tracks) for s in cp.State}
    print("pool_states=" + ",".join(f"{k}:{v}" for k, v in states.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--events-per-customer", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    policy = cp.Policy()
    as_of = START + timedelta(days=700)
    print(f"python={platform.python_version()} machine={platform.machine()}")
    bench_single(rng, policy, as_of)
    bench_pool(rng, policy, as_of, args.customers, args.events_per_customer)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
