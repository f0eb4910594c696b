"""``pool_kpis`` against the naive reference of docs/kpis.md's formulas.

Windows are drawn from the instants where edges sit (a row's time, or a microsecond either
side; a grid point), so rows exactly at ``start`` (out) and at ``end`` (in), and connects and
churns at one instant, occur on most examples.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import event, given, settings
from hypothesis import strategies as st

from custpool import example_pool, pool_kpis
from engine_helpers import table_of
from oracles.naive import GRID, ONE_US, Histories, instants_near, lively_pools, naive_kpis
from property_helpers import asserted, asserts_often

LENGTHS = st.sampled_from([ONE_US, GRID, 6 * GRID, 73 * GRID]) | st.integers(1, 40).map(
    lambda k: k * GRID
)
"""Window lengths: a microsecond, one grid step, 30 and 365 days, or any number of steps."""


def _amount(money: object) -> object:
    return None if money is None else money.amount  # type: ignore[attr-defined]


@asserts_often()
@settings(max_examples=100, deadline=None)
@given(pool=lively_pools(), data=st.data())
def test_pool_kpis_equal_the_naive_reference(pool: Histories, data: st.DataObject) -> None:
    table = table_of(pool)
    instants = data.draw(instants_near(pool), label="instants")[:6]
    lengths = data.draw(st.lists(LENGTHS, min_size=len(instants), max_size=len(instants)))
    # an instant starts a window on even draws and ends one on odd draws: both edges are met
    bounds = [
        (t, t + w) if k % 2 == 0 else (t - w, t)
        for k, (t, w) in enumerate(zip(instants, lengths, strict=True))
    ]
    for start, end in bounds:
        want = naive_kpis(pool, start, end)
        got = pool_kpis(table, start, end)
        where = f"({start}, {end}]"
        asserted()
        event(f"connected {min(want.connected, 3)}+, purchases {min(want.purchases, 2)}+")
        scale = got.scale
        assert (
            scale.connected,
            scale.connected_at_start,
            scale.connects,
            scale.connecting_customers,
            scale.new_customers,
            scale.churns,
            scale.churning_customers,
        ) == (
            want.connected,
            want.connected_at_start,
            want.connects,
            want.connecting_customers,
            want.new_customers,
            want.churns,
            want.churning_customers,
        ), where
        assert (got.activity.connected, got.activity.active) == (want.connected, want.active)
        assert got.activity.rate == want.rates["activity"], where
        assert got.conversion.converted == want.converted, where
        assert got.conversion.rate == want.rates["conversion"], where
        value = got.order_value
        assert (value.purchases, value.refunds) == (want.purchases, want.refunds), where
        assert _amount(value.purchase_amount) == want.purchase_amount, where
        assert _amount(value.refund_amount) == want.refund_amount, where
        assert _amount(value.net_amount) == want.net_amount, where
        assert _amount(value.average) == want.average, where
        assert _amount(value.net_average) == want.net_average, where
        repurchase = got.repurchase
        assert (repurchase.buyers, repurchase.repeat_buyers) == (want.buyers, want.repeat_buyers)
        assert repurchase.rate == want.rates["repurchase"], where
        nps = got.net_promoter
        assert (nps.respondents, nps.promoters, nps.passives, nps.detractors) == (
            want.respondents,
            want.promoters,
            want.passives,
            want.detractors,
        ), where
        assert nps.score == want.nps, where
        funnel = got.funnel
        assert (funnel.pool, funnel.visitors, funnel.deals, funnel.visits) == (
            want.connected,
            want.visitors,
            want.deals,
            want.visits,
        ), where
        assert (funnel.visit_rate, funnel.deal_rate, funnel.pool_to_deal_rate) == (
            want.rates["visit"],
            want.rates["deal"],
            want.rates["pool_to_deal"],
        ), where
        assert (funnel.walk_ins, funnel.captured) == (want.walk_ins, want.captured), where
        assert funnel.capture_rate == want.rates["capture"], where


def test_the_reference_reproduces_the_worked_example_of_kpis_md() -> None:
    # docs/kpis.md "Worked example": the example pool in January 2026
    pool = example_pool()
    histories = {c.id: list(pool.history(c.id)) for c in pool.customers}
    january = naive_kpis(
        histories, datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    )
    # 5 connected (c-004 churned), 6 connects, all new; 5 of 5 active; c-001 and c-002 bought
    assert (january.connected, january.connects, january.new_customers) == (5, 6, 6)
    assert (january.active, january.converted) == (5, 2)
    # 38.00 + 128.00 + 45.00 = 211.00 over 3 purchases = 70.33; (211.00 - 45.00) / 3 = 55.33
    assert (january.purchase_amount, january.average) == (Decimal("211.00"), Decimal("70.33"))
    assert january.net_average == Decimal("55.33")
    # c-001 bought twice, c-002 once; NPS 10 and 5: 100 × (1 - 1) / 2 = 0; c-006 visited only
    assert (january.repeat_buyers, january.buyers, january.nps) == (1, 2, 0.0)
    assert (january.visitors, january.deals) == (1, 0)
    # from mid-January: c-003 and c-005 were silent after the 15th
    mid = naive_kpis(histories, datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC))
    assert (mid.active, mid.connected, mid.connected_at_start) == (3, 5, 4)
