"""Fission: advocates' referrals, K-factor, referral share and generations."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import at
from custpool import (
    EventTable,
    FissionReport,
    Interaction,
    Policy,
    State,
    UnknownIdError,
    ValidationError,
    Window,
    WrongTypeError,
    classify,
    fission,
    referral_tree,
)
from custpool._engine.codes import CHANNELS, DIRECTIONS
from custpool._engine.codes import SOURCES as SOURCE_CODES
from custpool._time import to_micros
from engine_helpers import START as POOL_START
from engine_helpers import table_of
from tiers_helpers import ev


def connect(day: float, customer: str, source: str = "store"):
    return ev(day, "connect", customer, source=source)


def refer(day: float, referrer: str, referred: str):
    return ev(day, "referral", referrer, referred_id=referred)


# The window is (day 0, day 20].
HISTORY = [
    # a: an advocate at day 20 — connected, 3 customer-initiated interactions in 30 days,
    # a purchase and a referral in 365 days.
    connect(-10, "a"),
    refer(5, "a", "b"),
    ev(15, "message", "a"),
    ev(16, "message", "a"),
    ev(17, "purchase", "a"),
    refer(18, "a", "c"),
    # b: new by referral; refers d, but is no advocate (never bought).
    connect(5, "b", "referral"),
    refer(12, "b", "d"),
    # c: new by referral.
    connect(18, "c", "referral"),
    # d: new, referred by b, but connected from a store.
    connect(13, "d", "store"),
    # e: connected, then churned before the window.
    connect(-5, "e"),
    ev(-1, "churn", "e"),
    # f: came by referral before the window.
    connect(-3, "f", "referral"),
    # g: connected long ago; reconnects in the window through a referral.
    connect(-20, "g"),
    connect(10, "g", "referral"),
]
WINDOW = (at(0), at(20))


def report(history=HISTORY, policy=None, start=WINDOW[0], end=WINDOW[1]) -> FissionReport:
    table = EventTable.from_interactions(history)
    return fission(table, policy or Policy(), start, end)


def test_advocates_and_their_referrals():
    r = report()
    assert r.advocates == 1
    assert r.advocate_ids == ("a",)
    assert r.advocate_referrals.tolist() == [2]  # a -> b (day 5), a -> c (day 18)
    assert r.referrals == 3  # and b -> d (day 12)
    assert r.referrals_by_advocates == 2
    assert r.referrals_per_advocate == 2.0  # 2 / 1
    assert r.referred_customers == 3  # b, c, d


def test_k_factor():
    r = report()
    # Connected at day 0: a, f, g (e churned on day -1) = 3.
    # New in the window: b (5), d (13), c (18); by referral: b and c = 2.
    assert (r.connected_at_start, r.new_customers, r.new_by_referral) == (3, 3, 2)
    assert r.k_factor == 2 / 3


def test_referral_share_counts_connect_rows():
    r = report()
    # CONNECT rows in (0, 20]: b, g (reconnect), d, c = 4; with source referral: b, g, c = 3.
    assert (r.connections, r.referral_connections) == (4, 3)
    assert r.referral_share == 0.75


def test_generations_at_the_window_end():
    r = report()
    # a -> b -> d and a -> c: generation 0 = a, e, f, g; 1 = b, c; 2 = d.
    assert r.generation_counts == (4, 2, 1)
    assert r.max_depth == 2
    tree = referral_tree(EventTable.from_interactions(HISTORY), at(20))
    assert [tree.generation_of(c) for c in "abcdefg"] == [0, 1, 1, 2, 0, 0, 0]
    assert tree.referrer_of("d") == "b"
    assert tree.referrer_of("a") is None
    assert len(tree) == 7
    assert "counts=(4, 2, 1)" in repr(tree)


def test_the_advocate_state_follows_the_policy():
    strict = Policy(advocate_min_nps=9)  # nobody answered an NPS survey
    r = report(policy=strict)
    assert (r.advocates, r.referrals_per_advocate, r.advocate_ids) == (0, None, ())
    assert r.referrals == 3  # referrals are counted whoever makes them


def test_empty_window():
    r = report(start=at(30), end=at(40))
    assert (r.referrals, r.connections, r.new_customers, r.new_by_referral) == (0, 0, 0, 0)
    assert r.referral_share is None  # no connections
    assert r.connected_at_start == 6  # a, b, c, d, f, g (e churned)
    assert r.k_factor == 0.0  # 0 / 6
    assert r.generation_counts == (4, 2, 1)  # generations are of all time up to the end


def test_nobody_connected_at_the_start():
    r = report(start=at(-40), end=at(-30))
    assert r.connected_at_start == 0
    assert r.k_factor is None
    assert r.referrals_per_advocate is None
    assert r.generation_counts == (7,)
    assert r.max_depth == 0


def test_table_without_referrals_or_events():
    table = EventTable.from_interactions([], customers=["x"])
    r = fission(table, Policy(), *WINDOW)
    assert (r.advocates, r.referrals, r.connections, r.max_depth) == (0, 0, 0, 0)
    assert (r.k_factor, r.referral_share, r.referrals_per_advocate) == (None, None, None)
    assert r.generation_counts == (1,)


def test_window_object_and_bad_arguments():
    table = EventTable.from_interactions(HISTORY)
    assert fission(table, Policy(), Window(*WINDOW)).k_factor == report().k_factor
    with pytest.raises(WrongTypeError, match="EventTable"):
        fission(HISTORY, Policy(), *WINDOW)  # type: ignore[arg-type]
    with pytest.raises(WrongTypeError, match="Policy"):
        fission(table, None, *WINDOW)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        fission(table, Policy(), WINDOW[1], WINDOW[0])
    with pytest.raises(WrongTypeError):
        referral_tree([], at(0))  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        referral_tree(table, datetime(2026, 3, 1))  # noqa: DTZ001


def test_results_are_read_only():
    r = report()
    tree = referral_tree(EventTable.from_interactions(HISTORY), at(20))
    for array in (r.advocate, r.advocate_referrals, tree.generation, tree.referrer):
        assert not array.flags.writeable


# -- referral trees --------------------------------------------------------------------------------

T0_US = to_micros(datetime(2026, 3, 1, tzinfo=UTC))
AS_OF = datetime(2026, 4, 1, tzinfo=UTC)


def referral_table(referrer, referred, times=None, n=None):
    times = list(range(len(referrer))) if times is None else times
    return EventTable.from_arrays(
        customer=referrer,
        time=[T0_US + t for t in times],
        kind=[10] * len(referrer),
        referred=referred,
        customer_ids=[f"c{i}" for i in range(n or max([*referrer, *referred]) + 1)],
    )


def test_a_long_chain_is_resolved_by_pointer_jumping():
    n = 100_000
    chain = np.arange(n - 1)
    table = EventTable.from_arrays(
        customer=chain,
        time=T0_US + chain,
        kind=np.full(n - 1, 10),
        referred=chain + 1,
        customer_ids=[str(i) for i in range(n)],
    )
    tree = referral_tree(table, AS_OF)
    assert np.array_equal(tree.generation, np.arange(n))  # customer k is generation k
    assert tree.max_depth == n - 1
    assert tree.counts() == (1,) * n


def test_the_first_referral_decides_and_ties_go_to_the_lower_index():
    # c0 and c1 both refer c3 at time 5; c2 refers c3 earlier, at time 4, but c2 is referred
    # by c0 at time 1. Then c1 refers c2 again later: ignored.
    table = referral_table([0, 1, 2, 0, 1], [3, 3, 3, 2, 2], times=[5, 5, 4, 1, 9])
    tree = referral_tree(table, AS_OF)
    assert tree.referrer.tolist() == [-1, -1, 0, 2]
    assert tree.generation.tolist() == [0, 0, 1, 2]
    tie = referral_tree(referral_table([1, 0], [2, 2], times=[5, 5]), AS_OF)
    assert tie.referrer_of("c2") == "c0"


def test_referrals_after_as_of_are_not_read():
    table = referral_table([0, 1], [1, 2], times=[0, 10])
    assert referral_tree(table, datetime(2026, 3, 1, tzinfo=UTC)).generation.tolist() == [0, 1, 0]
    assert referral_tree(table, AS_OF).generation.tolist() == [0, 1, 2]


def test_referring_before_being_referred_makes_a_root():
    # c2 refers c1 (time 0), c1 refers c2 (1) and c3 (2), c0 refers c1 (3).
    table = referral_table([2, 1, 1, 0], [1, 2, 3, 1], times=[0, 1, 2, 3])
    tree = referral_tree(table, AS_OF)
    # c2 had referred c1 at time 0, so c1's row naming c2 at time 1 does not count: c2 is a
    # root, c1 its first generation (c0's later row does not move c1), c3 the second.
    assert tree.referrer.tolist() == [-1, 2, -1, 1]
    assert tree.generation.tolist() == [0, 1, 0, 2]


def test_mutual_referrals_at_one_instant_leave_both_roots():
    # Each made a referral at the instant they were named: neither row counts.
    tree = referral_tree(referral_table([0, 1], [1, 0], times=[5, 5]), AS_OF)
    assert tree.generation.tolist() == [0, 0]


def test_a_ring_of_referrals_is_cut_where_it_started():
    n = 10
    # c0 -> c1 at time 0, c1 -> c2 at time 1, ..., c9 -> c0 at time 9: c0 had referred first.
    tree = referral_table(list(range(n)), [(k + 1) % n for k in range(n)])
    assert referral_tree(tree, AS_OF).generation.tolist() == list(range(n))


def test_unknown_customer():
    tree = referral_tree(EventTable.from_interactions(HISTORY), at(20))
    with pytest.raises(UnknownIdError):
        tree.generation_of("nobody")
    with pytest.raises(UnknownIdError):
        tree.referrer_of("nobody")


# -- property: plain-Python references over Interaction objects ----------------------------------


def reference_generations(interactions, as_of):
    referrals = [i for i in interactions if i.kind.value == "referral" and i.at <= as_of]
    first_made = {}
    for item in referrals:
        if item.customer_id not in first_made or item.at < first_made[item.customer_id]:
            first_made[item.customer_id] = item.at
    firsts = {}
    for item in referrals:
        own = first_made.get(item.referred_id)
        if own is not None and own <= item.at:
            continue  # the referred customer had already referred someone
        key = (item.at, item.customer_id)
        if item.referred_id not in firsts or key < firsts[item.referred_id]:
            firsts[item.referred_id] = key
    parent = {child: key[1] for child, key in firsts.items()}

    def generation(customer, seen=()):
        assert customer not in seen, "the rule leaves no cycle"
        if customer not in parent:
            return 0
        return 1 + generation(parent[customer], (*seen, customer))

    return generation


def reference(pool, policy, start, end):
    interactions = [i for history in pool.values() for i in history]
    inside = [i for i in interactions if start < i.at <= end]
    advocates = {
        c for c, history in pool.items() if classify(history, policy, end).state is State.ADVOCATE
    }
    referrals = [i for i in inside if i.kind.value == "referral"]
    by_advocates = defaultdict(int)
    for item in referrals:
        if item.customer_id in advocates:
            by_advocates[item.customer_id] += 1
    connects = [i for i in inside if i.kind.value == "connect"]
    first = {}
    # Same-instant connects are ordered as the table orders rows: by content (direction, channel,
    # source), never by id or input order.
    for item in sorted(
        (i for i in interactions if i.kind.value == "connect"),
        key=lambda i: (
            i.at,
            DIRECTIONS.index(i.direction),
            CHANNELS.index(i.channel),
            SOURCE_CODES.index(i.source),
        ),
    ):
        first.setdefault(item.customer_id, item)
    new = [c for c, item in first.items() if start < item.at <= end]

    def connected(history):
        ever = [i.at for i in history if i.kind.value == "connect" and i.at <= start]
        churns = [i.at for i in history if i.kind.value == "churn" and i.at <= start]
        return bool(ever) and not (churns and max(churns) >= max(ever))

    return {
        "advocates": sorted(advocates),
        "by_advocate": by_advocates,
        "referrals": len(referrals),
        "referred": len({i.referred_id for i in referrals}),
        "connected_at_start": sum(connected(h) for h in pool.values()),
        "new": len(new),
        "new_by_referral": sum(first[c].source.value == "referral" for c in new),
        "connections": len(connects),
        "referral_connections": sum(i.source.value == "referral" for i in connects),
    }


POLICIES = st.sampled_from(
    [
        Policy(),
        Policy(
            engage_window=timedelta(days=20),
            engage_min_interactions=1,
            convert_window=timedelta(days=30),
            advocate_window=timedelta(days=30),
            dormant_after=timedelta(days=25),
        ),
    ]
)
SOURCES = ("store", "referral", "referral", "live_stream")
KINDS = ("connect", "connect", "churn", "message", "purchase", "referral", "referral")


@st.composite
def dense_pools(draw: st.DrawFn) -> dict[str, list]:
    """Up to six customers, many connects and referrals within 60 days: every path is hit."""
    n = draw(st.integers(1, 6))
    ids = [f"c-{k}" for k in range(n)]
    kinds = KINDS if n > 1 else KINDS[:5]
    events = draw(
        st.lists(
            st.tuples(
                st.integers(0, n - 1),
                st.sampled_from(kinds),
                st.integers(0, 60 * 4),  # quarter days from POOL_START
                st.sampled_from(SOURCES),
                st.integers(1, max(n - 1, 1)),
            ),
            min_size=n * 3,
            max_size=40,
        )
    )
    pool: dict[str, list] = {cid: [] for cid in ids}
    for k, (who, kind, quarter, source, step) in enumerate(events):
        data = {
            "id": f"e-{k:03d}",
            "customer_id": ids[who],
            "at": POOL_START + timedelta(hours=6 * quarter),
            "kind": kind,
            "direction": "inbound",
            "channel": "wecom_chat",
        }
        if kind == "connect":
            data["source"] = source
        elif kind == "churn":
            data["churn_reason"] = "deleted"
        elif kind == "purchase":
            data |= {"order_id": f"o-{k}", "amount": {"amount": "10", "currency": "CNY"}}
        elif kind == "referral":
            data["referred_id"] = ids[(who + step) % n]
        pool[ids[who]].append(Interaction.model_validate(data))
    return pool


@settings(max_examples=120, deadline=None)
@given(dense_pools(), POLICIES, st.integers(-5, 50), st.integers(1, 40))
def test_matches_plain_python_reference(pool, policy, offset, length):
    table = table_of(pool)
    start = POOL_START + timedelta(days=offset)
    end = start + timedelta(days=length)
    interactions = [i for history in pool.values() for i in history]
    generation = reference_generations(interactions, end)
    expected_generations = [generation(c) for c in table.customer_ids]
    r = fission(table, policy, start, end)
    want = reference(pool, policy, start, end)
    assert list(r.advocate_ids) == want["advocates"]
    assert r.advocate_referrals.tolist() == [want["by_advocate"][c] for c in r.advocate_ids]
    assert r.referrals == want["referrals"]
    assert r.referred_customers == want["referred"]
    assert r.connected_at_start == want["connected_at_start"]
    assert (r.new_customers, r.new_by_referral) == (want["new"], want["new_by_referral"])
    assert (r.connections, r.referral_connections) == (
        want["connections"],
        want["referral_connections"],
    )
    base = want["connected_at_start"]
    assert r.k_factor == (want["new_by_referral"] / base if base else None)
    tree = referral_tree(table, end)
    assert tree.generation.tolist() == expected_generations
    assert r.max_depth == max(expected_generations)
    assert sum(r.generation_counts) == table.n_customers
