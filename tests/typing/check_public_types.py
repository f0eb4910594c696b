"""Type-level tests of the public API: ``mypy --strict tests/typing`` must pass (CI runs it).

This file is never executed for its results; it states what a user's type checker sees.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import assert_type

import custpool as cp


def customer_types(c: cp.Customer) -> None:
    assert_type(c.id, str)
    assert_type(c.tags, tuple[cp.Tag, ...])
    assert_type(c.with_tags("vip"), cp.Customer)
    assert_type(c.contacts.reveal(), dict[str, str])
    assert_type(c.to_json(reveal_secrets=True), str)
    assert_type(cp.Customer.from_json("{}"), cp.Customer)


def interaction_types(i: cp.Interaction) -> None:
    assert_type(i.kind, cp.InteractionKind)
    assert_type(i.amount, cp.Money | None)
    assert_type(i.customer_initiated, bool)
    if i.amount is not None:
        assert_type(i.amount.amount, Decimal)
        assert_type(i.amount.minor_units, int)


def pool_types(pool: cp.Pool, rule: cp.TagRule) -> None:
    assert_type(pool.customer("c-1"), cp.Customer)
    assert_type(pool.filter_members(rule), cp.FilterResult)
    assert_type(pool.tag_where("vip", rule), cp.Pool)
    assert_type(pool.tag_where("vip", lambda c: c.id.startswith("c")), cp.Pool)
    assert_type(cp.AllOf.of("vip", cp.NoneOf.of("blocked")), cp.AllOf)
    assert_type(rule.failure(()), str | None)


def loader_types(path: str) -> None:
    assert_type(cp.read_jsonl(path, cp.Customer), cp.LoadResult[cp.Customer])
    assert_type(cp.read_csv(path, cp.Interaction), cp.LoadResult[cp.Interaction])
    assert_type(cp.read_csv(path, cp.PoolActivity).records, tuple[cp.PoolActivity, ...])
    assert_type(cp.write_jsonl(path, []), int)


def tier_types(history: list[cp.Interaction], policy: cp.Policy, as_of: datetime) -> None:
    result = cp.classify(history, policy, as_of)
    assert_type(result, cp.TierState)
    assert_type(result.state, cp.State)
    assert_type(result.tier, cp.Stage | None)
    assert_type(result.since, datetime | None)
    assert_type(cp.next_action(result, policy), cp.NextAction)
    machine = cp.RelationshipMachine(policy)
    track = machine.replay(history, as_of)
    assert_type(track.state, cp.State)
    assert_type(track.log, list[cp.TransitionRecord])
    assert_type(track.advance_to(as_of), cp.State)
    seen: list[str | None] = []
    machine.on_enter(cp.State.ADVOCATE, lambda record: seen.append(record.customer_id))
    assert_type(machine.mermaid(), str)
