"""custpool demo: the built-in example pool, end to end.

Run it with ``python examples/demo.py``. It touches only a temporary folder and the screen.
"""

from __future__ import annotations

import io
import tempfile
from collections import Counter
from datetime import timedelta
from pathlib import Path

import custpool as cp


def show_pool(pool: cp.Pool) -> None:
    print(f"Pool: {pool.charter.name}")
    print(f"  interests: {', '.join(str(t) for t in pool.charter.interests)}")
    print(f"  joining rule: {pool.charter.joining_rule}")
    print(
        f"  members: {pool.size}, interactions: {len(pool.interactions)}, "
        f"activities: {len(pool.activities)}"
    )
    kinds = Counter(i.kind for i in pool.interactions)
    print(
        "  interactions by kind: "
        + ", ".join(
            f"{k.value} {k.label_zh} ×{n}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1])
        )
    )
    inbound = sum(i.customer_initiated for i in pool.interactions)
    print(f"  customer-initiated: {inbound} of {len(pool.interactions)}")


def show_filtering(pool: cp.Pool) -> cp.Pool:
    print("\nFiltering (筛选) by the joining rule:")
    result = pool.filter_members()
    for failure in result.reasons:
        print(f"  removed {failure.customer_id}: {failure.reason}")
    print(
        f"  kept {result.pool.size} members; removed {len(result.removed)} members and "
        f"{len(result.removed_interactions)} of their interactions (returned, not dropped)"
    )
    tagged = result.pool.tag_where(
        "lifecycle:referrer",
        lambda c: any(i.kind is cp.InteractionKind.REFERRAL for i in result.pool.history(c.id)),
    )
    referrers = [c.id for c in tagged.customers if c.has_tag("lifecycle:referrer")]
    print(f"  tagged as lifecycle:referrer: {', '.join(referrers)}")
    return tagged


def show_files(pool: cp.Pool) -> None:
    print("\nFiles (secrets written only on request):")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "interactions.csv"
        written = cp.write_csv(path, pool.interactions)
        loaded = cp.read_csv(path, cp.Interaction)
        same = loaded.records == pool.interactions
        print(
            f"  wrote {written} interactions to CSV, read back {loaded.rows_accepted}: "
            f"identical={same}"
        )
        customers = Path(folder) / "customers.jsonl"
        cp.write_jsonl(customers, pool.customers)
        masked = cp.read_jsonl(customers, cp.Customer)
        print(
            f"  customers written without reveal_secrets: {masked.rows_accepted} accepted, "
            f"{masked.rows_rejected} rejected (masked handles are refused on read)"
        )
        cp.write_jsonl(customers, pool.customers, reveal_secrets=True)
        full = cp.read_jsonl(customers, cp.Customer)
        print(
            f"  with reveal_secrets=True: {full.rows_accepted} accepted, identical="
            f"{full.records == pool.customers}"
        )

    print("\nA messy export (bad rows are reported, never dropped):")
    messy = (
        b"id,customer_id,at,kind,direction,channel,score\n"
        b"n-1,c-001,2026-01-20T10:00:00+08:00,nps,,wecom_chat,10\n"
        b"n-2,c-002,2026-01-21T10:00:00,nps,,wecom_chat,7\n"
        b"n-3,c-003,2026-01-22T10:00:00+08:00,nps,,wecom_chat,11\n"
        b"n-1,c-001,2026-01-20T10:00:00+08:00,nps,,wecom_chat,10\n"
        b"n-4,c-003,2026-01-22T10:00:00+08:00,hug,inbound,wecom_chat,\n"
    )
    result = cp.read_csv(io.BytesIO(messy), cp.Interaction)
    print(f"  {result.summary()}")
    for rejection in result.rejections:
        print(f"  {rejection}")


def show_tiers(pool: cp.Pool) -> None:
    as_of = cp.EXAMPLE_START + timedelta(days=28)
    print(f"\nRelationship tiers on {as_of.date()} (浅 · 粘 · 深 · 铁):")
    for paradigm in (cp.NURTURE_FIRST, cp.CONVERT_FIRST):
        policy = cp.Policy(paradigm=paradigm)
        print(f"  {paradigm}")
        for customer in pool.customers:
            state = cp.classify(pool.history(customer.id), policy, as_of)
            action = cp.next_action(state, policy)
            tier = state.tier.label_zh if state.tier else "-"
            since = state.since.date() if state.since else "-"
            skipped = ",".join(s.value for s in state.skipped) or "-"
            print(
                f"    {customer.id} {state.state.value:<9} tier {tier} since {since} "
                f"skipped {skipped:<9} next: {action.kind.value}"
            )
    machine = cp.RelationshipMachine(cp.Policy())
    track = machine.replay(pool.history("c-002"), as_of)
    steps = ", ".join(f"{r.at.date()} {r.trigger.value}" for r in track.log)
    print(f"  c-002's moves (nurture-first): {steps}")


def show_engine() -> None:
    print("\nThe columnar engine on a synthetic pool (custpool.synth, seed 7):")
    from custpool import synth  # noqa: PLC0415 - shown where it is used

    config = synth.SynthConfig(n_customers=20_000, events_per_customer=10.0)
    table = synth.generate(config, seed=7).table
    print(f"  {table!r}, {table.nbytes / len(table):.0f} bytes per event")
    policy = cp.Policy(paradigm=config.paradigm)
    end = config.end
    tiers = cp.classify_table(table, policy, end)
    print(
        "  states at the end: " + ", ".join(f"{s.label_zh} {n}" for s, n in tiers.counts().items())
    )
    print(cp.pool_kpis(table, end - timedelta(days=30), end))


def show_health(pool: cp.Pool) -> None:
    print("\nISOOC health of the example pool (同好 结构 输出 运营 复制):")
    table = cp.EventTable.from_interactions(pool.interactions)
    tags = cp.CustomerTags.from_customers(pool.customers, table)
    ends = [cp.EXAMPLE_START + timedelta(days=d) for d in (14, 24)]
    before, after = cp.health_trend(
        table, pool.charter, ends, tags=tags, activities=pool.activities
    )
    print("  " + str(after).replace("\n", "\n  "))
    for measure in after.not_measured:
        print(f"  not measured: {after.measure(measure)}")
    print(f"  advice 建议: {after.recommendations[0].advice_zh}")
    change = cp.explain_change(before, after)
    print(f"  since {before.as_of.date()}: " + str(change).replace("\n", "\n  "))


def main() -> None:
    pool = cp.example_pool()
    show_pool(pool)
    problems = pool.check_references()
    print(f"  dangling references: {len(problems)}")
    show_tiers(pool)
    show_filtering(pool)
    show_files(pool)
    show_health(pool)
    show_engine()
    print("\nDone.")


if __name__ == "__main__":
    main()
