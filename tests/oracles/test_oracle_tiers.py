"""``classify`` and ``classify_table`` against the naive reference of docs/tiers.md.

The reference (``oracles/naive.py``) reads the docs' criteria one customer at a time with
``datetime`` arithmetic; the code under test is the object API and the columnar engine. Pools
are drawn on a 5-day grid and the windows are multiples of it, so ties (a CHURN at a CONNECT's
instant, several rows at one instant) occur on most examples; each example classifies at
several instants where a row enters or leaves a window, exactly or one microsecond aside.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import event, given, settings
from hypothesis import strategies as st

from custpool import CONVERT_FIRST, NURTURE_FIRST, Interaction, Policy, classify, classify_table
from custpool._time import NO_TIME  # TierTable.since's 'never' (its docstring)
from custpool.strategies import policies
from engine_helpers import table_of
from oracles.naive import GRID, Histories, instants_near, lively_pools, naive_since, naive_tier
from property_helpers import asserted, asserts_often

US = timedelta(microseconds=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _on_grid(window: timedelta) -> timedelta:
    """The nearest positive multiple of the grid (a drawn window, made to meet the grid)."""
    return max(1, round(window / GRID)) * GRID


FIXED_POLICIES = (
    Policy(paradigm=NURTURE_FIRST),  # the two paradigms' defaults
    Policy(paradigm=CONVERT_FIRST),
    Policy(advocate_min_nps=7),  # the latest NPS answer (ties: the higher score) matters
    # engagement ends exactly when dormancy begins: the dormant tier is read just before
    Policy(engage_window=4 * GRID, dormant_after=4 * GRID, engage_min_interactions=1),
)


@st.composite
def grid_policies(draw: st.DrawFn) -> Policy:
    """One of ``FIXED_POLICIES``, or a drawn policy whose windows are moved onto the grid."""
    if draw(st.integers(0, len(FIXED_POLICIES))) < len(FIXED_POLICIES):
        return draw(st.sampled_from(FIXED_POLICIES))
    drawn = draw(policies(max_window=timedelta(days=200), max_threshold=4, max_weight=3))
    windows = ("engage_window", "convert_window", "advocate_window", "dormant_after")
    return Policy.model_validate(
        drawn.model_dump() | {w: _on_grid(getattr(drawn, w)) for w in windows}
    )


def windows_of(policy: Policy) -> tuple[timedelta, ...]:
    """The four windows of a policy (where rows leave them, ``as_of`` meets an edge)."""
    return (
        policy.engage_window,
        policy.convert_window,
        policy.advocate_window,
        policy.dormant_after,
    )


@asserts_often()
@settings(max_examples=150, deadline=None)
@given(pool=lively_pools(), policy=grid_policies(), data=st.data())
def test_classify_and_classify_table_equal_the_naive_reference(
    pool: Histories, policy: Policy, data: st.DataObject
) -> None:
    table = table_of(pool)
    for as_of in data.draw(instants_near(pool, windows_of(policy)), label="instants"):
        tiers = classify_table(table, policy, as_of)
        for cid, history in pool.items():
            want = naive_tier(history, policy, as_of)
            event(f"state {want.state}")
            got = classify(history, policy, as_of)
            where = f"{cid} at {as_of} under {policy!r}"
            asserted()
            assert got.state.value == want.state, where
            assert (got.tier.value if got.tier else None) == want.tier, where
            assert {c.stage.value: c.met for c in got.criteria} == want.met, where
            if want.state not in ("dormant", "churned"):
                assert tuple(s.value for s in got.skipped) == want.skipped, where
            assert tiers.state_of(cid).value == want.state, where
            table_tier = tiers.tier_of(cid)
            assert (table_tier.value if table_tier else None) == want.tier, where


@asserts_often()
@settings(max_examples=60, deadline=None)
@given(pool=lively_pools(max_customers=3, max_size=10), policy=grid_policies(), data=st.data())
def test_since_equals_the_naive_walk_back(
    pool: Histories, policy: Policy, data: st.DataObject
) -> None:
    table = table_of(pool)
    rows = {cid: k for k, cid in enumerate(table.customer_ids)}
    for as_of in data.draw(instants_near(pool, windows_of(policy)), label="instants"):
        tiers = classify_table(table, policy, as_of)
        for cid, history in pool.items():
            got = classify(history, policy, as_of)
            asserted()
            want = naive_since(history, policy, as_of)
            where = f"{cid} ({got.state.value}) at {as_of} under {policy!r}"
            assert got.since == want, where
            table_since = NO_TIME if want is None else (want - EPOCH) // US
            assert int(tiers.since[rows[cid]]) == table_since, where


def test_the_reference_reproduces_the_worked_examples_of_tiers_md() -> None:
    # docs/tiers.md "Climbing, lapsing, going dormant": day 0 connect, messages on days 1 and 2,
    # a purchase on day 10; default nurture-first policy
    day0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    def ev(n: int, kind: str, **more: object) -> Interaction:
        defaults: dict[str, dict[str, object]] = {
            "connect": {"source": "store"},
            "message": {},
            "purchase": {"order_id": f"o-{n}", "amount": {"amount": "10", "currency": "CNY"}},
        }
        return Interaction.model_validate(
            {"id": f"i-{n}", "customer_id": "c-1", "at": day0 + timedelta(days=n), "kind": kind}
            | {"channel": "wecom_chat", "direction": "inbound"}
            | defaults[kind]
            | more
        )

    history = [ev(0, "connect"), ev(1, "message"), ev(2, "message"), ev(10, "purchase")]
    nurture = Policy()
    # day 20: message, message, purchase weigh 3 (the connect 0) >= 3, and bought: converted
    assert naive_tier(history, nurture, day0 + timedelta(days=20)).state == "converted"
    # day 31: day 1 left the 30-day window, (day 1, day 31] weighs 2 < 3: connected since day 31
    at31 = naive_tier(history, nurture, day0 + timedelta(days=31))
    assert (at31.state, at31.skipped) == ("connected", ("converted",))
    assert naive_since(history, nurture, day0 + timedelta(days=31)) == day0 + timedelta(days=31)
    # day 120: silent since day 10, dormant from day 10 + 90 = 100; just before, connected
    at120 = naive_tier(history, nurture, day0 + timedelta(days=120))
    assert (at120.state, at120.tier) == ("dormant", "connected")
    assert naive_since(history, nurture, day0 + timedelta(days=120)) == day0 + timedelta(days=100)
    # docs/tiers.md "One history, two paradigms": an outbound connect, a purchase on day 5
    bought = [ev(0, "connect", direction="outbound"), ev(5, "purchase")]
    at10 = day0 + timedelta(days=10)
    assert naive_tier(bought, nurture, at10).state == "connected"
    assert naive_tier(bought, Policy(paradigm=CONVERT_FIRST), at10).state == "converted"
    assert naive_since(bought, Policy(paradigm=CONVERT_FIRST), at10) == day0 + timedelta(days=5)
