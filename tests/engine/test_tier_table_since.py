"""TierTable.since: when each customer entered their state, equal to classify's ``since``."""

from __future__ import annotations

import pickle
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import at
from custpool import (
    CONVERT_FIRST,
    EventTable,
    Interaction,
    Policy,
    State,
    TierTable,
    classify,
    classify_table,
)
from custpool._engine import tier_table
from custpool._time import NO_TIME, to_micros
from custpool.strategies import policies
from custpool.synth import SynthConfig, generate
from engine_helpers import AS_OF_TIMES, SAMPLE_POLICIES, pool_histories, table_of
from tiers_helpers import ev

DAY = timedelta(days=1)
POLICIES = st.one_of(
    st.sampled_from(
        [*SAMPLE_POLICIES, Policy(engage_window=timedelta.max, dormant_after=timedelta.max)]
    ),
    policies(min_window=timedelta(days=1), max_window=timedelta(days=120)),
)
AS_OF = AS_OF_TIMES


def since_micros(history: list[Interaction], policy: Policy, as_of: datetime) -> int:
    """Return classify's ``since`` in microseconds, NO_TIME for None (as TierTable holds it)."""
    since = classify(history, policy, as_of).since
    return NO_TIME if since is None else to_micros(since)


BLOCKS = st.sampled_from([1, 7, tier_table._BLOCK])
"""Rows indexed at once: one customer a block, a few, all (the default for a small pool)."""


def assert_since_as_classify(
    table: EventTable,
    histories: dict[str, list[Interaction]],
    policy: Policy,
    as_of: datetime,
    block: int = tier_table._BLOCK,
) -> TierTable:
    with patch.object(tier_table, "_BLOCK", block):
        tiers = classify_table(table, policy, as_of)
        tiers.since  # noqa: B018 - found here, with this block size
    for cid, history in histories.items():
        row = table.customer_index(cid)
        assert int(tiers.since[row]) == since_micros(history, policy, as_of), cid
    return tiers


@settings(max_examples=150, deadline=None)
@given(pool=pool_histories(), policy=POLICIES, as_of=AS_OF, block=BLOCKS)
def test_since_equals_classify_on_drawn_pools(pool, policy, as_of, block):
    assert_since_as_classify(table_of(pool), pool, policy, as_of, block)


@settings(max_examples=60, deadline=None)
@given(pool=pool_histories(max_customers=3, max_size=30), policy=POLICIES, data=st.data())
def test_since_equals_classify_at_change_points(pool, policy, data):
    # At a change point p the state may just have changed (since == p), one microsecond
    # before it has not yet: the edges where an off-by-one would show.
    times = sorted({i.at for history in pool.values() for i in history})
    assume(times)  # a pool of no rows has no change point
    shift = data.draw(
        st.sampled_from(
            [
                timedelta(0),
                timedelta(microseconds=-1),
                policy.engage_window,
                policy.dormant_after,
                policy.convert_window,
                policy.advocate_window,
                policy.dormant_after - timedelta(microseconds=1),
            ]
        )
    )
    if shift > timedelta(days=3650):  # timedelta.max: past the year 9999
        shift = timedelta(0)
    as_of = data.draw(st.sampled_from(times)) + shift
    assert_since_as_classify(table_of(pool), pool, policy, as_of, data.draw(BLOCKS))


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("policy", [Policy(), Policy(paradigm=CONVERT_FIRST, advocate_min_nps=9)])
def test_since_equals_classify_on_a_synthetic_pool(seed, policy):
    pool = generate(SynthConfig(n_customers=300), seed=seed)
    histories: dict[str, list[Interaction]] = defaultdict(list)
    for interaction in pool.interactions():
        histories[interaction.customer_id].append(interaction)
    ends = pool.table.time.max()
    for k in (0, 3, 6):  # the end of the pool, 120 and 240 days before it
        as_of = datetime.fromtimestamp(int(ends) / 1e6, UTC) - k * 40 * DAY
        # Blocks of about 500 rows: a pool of ~3,000 rows is searched in several blocks.
        tiers = assert_since_as_classify(pool.table, histories, policy, as_of, block=500)
        states = {s for s, n in tiers.counts().items() if n}
        # The pool is varied enough that every kind of "since" was compared.
        assert {State.CONNECTED, State.ENGAGED, State.CHURNED} <= states


def test_hand_checked_since():
    # Default policy: engaged with 3 rows taking part in 30 days (a CONNECT or CHURN weighs 0);
    # dormant after 90 days with no connect and nothing customer-initiated.
    table = EventTable.from_interactions(
        [
            # c-1: 3 messages in 30 days from day 3 (ENGAGED); day 1's leaves the window on day
            # 1 + 30 (CONNECTED); silent since day 3, so DORMANT from day 3 + 90 = 93.
            ev(0, "connect", "c-1"),
            ev(1, "message", "c-1"),
            ev(2, "message", "c-1"),
            ev(3, "message", "c-1"),
            # c-2: connects on day 0 (CONNECTED), silent: DORMANT from day 0 + 90.
            ev(0, "connect", "c-2"),
            # c-3: connects on day 0, churns on day 5: CHURNED since day 5.
            ev(0, "connect", "c-3"),
            ev(5, "churn", "c-3"),
            # c-4: never connects: a PROSPECT always, since None.
            ev(1, "purchase", "c-4"),
            # c-5: connects on day 1 and writes on day 6, after c-3's churn (day 5), which must
            # not count as theirs: CONNECTED since day 1; DORMANT from day 6 + 90 = 96.
            ev(1, "connect", "c-5"),
            ev(6, "message", "c-5"),
        ]
    )
    expected = {
        10: {
            "c-1": (State.ENGAGED, at(3)),
            "c-2": (State.CONNECTED, at(0)),
            "c-5": (State.CONNECTED, at(1)),
        },
        40: {
            "c-1": (State.CONNECTED, at(31)),
            "c-2": (State.CONNECTED, at(0)),
            "c-5": (State.CONNECTED, at(1)),
        },
        100: {
            "c-1": (State.DORMANT, at(93)),
            "c-2": (State.DORMANT, at(90)),
            "c-5": (State.DORMANT, at(96)),
        },
    }
    for day, states in expected.items():
        states |= {"c-3": (State.CHURNED, at(5)), "c-4": (State.PROSPECT, None)}
        tiers = classify_table(table, Policy(), at(day))
        for cid, (state, since) in states.items():
            assert tiers.state_of(cid) is state, (day, cid)
            micros = NO_TIME if since is None else to_micros(since)
            assert int(tiers.since[table.customer_index(cid)]) == micros, (day, cid)


def test_since_is_read_only_and_pickles():
    table = EventTable.from_interactions([ev(0, "connect", "c-1")])
    tiers = classify_table(table, Policy(), at(3))
    assert tiers.since.dtype == np.int64
    with pytest.raises(ValueError, match="read-only"):
        tiers.since[0] = 0
    again = pickle.loads(pickle.dumps(tiers))  # noqa: S301 - our own bytes
    assert again.since.tolist() == tiers.since.tolist() == [to_micros(at(0))]


def test_since_is_found_once_and_only_when_asked(monkeypatch):
    calls = []
    found = tier_table._since

    def counting(*args):
        calls.append(args)
        return found(*args)

    monkeypatch.setattr(tier_table, "_since", counting)
    table = EventTable.from_interactions([ev(0, "connect", "c-1"), ev(0, "connect", "c-2")])
    tiers = classify_table(table, Policy(), at(3))
    tiers.counts()
    assert calls == []  # classify_table alone does not look for since
    assert tiers.since.tolist() == [to_micros(at(0))] * 2
    assert tiers.to_frame("pandas")["since"].tolist() == [at(0), at(0)]
    assert len(calls) == 1  # found once, then kept
