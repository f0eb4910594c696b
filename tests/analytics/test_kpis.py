"""Pool KPIs over a window: hand-checked numbers, edge cases, and properties against a reference.

The hand-built pool (days from T0, window (day 0, day 30]):

=====  ==================================================================================
c-1    connect -5; message 3; visit 4; purchase 5 (100.00); nps 10 (9); visit 18;
       purchase 20 (50.00); nps 25 (6)
c-2    connect 2 (outbound); visit 8; purchase 9 (30.00); refund 12 (30.00)
c-3    connect -10; purchase 1 (20.00); nps 2 (10); visit 3; churn 15
c-4    connect 10 and churn 10 at the same instant (the churn wins)
c-5    connect -40 (outbound), then nothing
c-6    connect 31 (after the window); visit 31
c-7    never connects; message 5; nps 7 (8)
c-8    connect 0 (exactly at start: before the window); message 3 (outbound); visit 20
c-9    connect 30 (exactly at end: inside); group post 30; nps 30 (10)
c-10   connect -20; churn -10; connect 12 (comes back); visit 14; purchase 14 (40.01)
c-11   listed, no events
=====  ==================================================================================
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from itertools import count
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import T0, at
from custpool import (
    KIND_RULES,
    ActivityRate,
    ConversionRate,
    EventTable,
    Interaction,
    InteractionKind,
    Money,
    NetPromoterScore,
    OrderValue,
    Policy,
    PoolFunnel,
    PoolKpis,
    RepurchaseRate,
    State,
    UserScale,
    ValidationError,
    Window,
    WrongTypeError,
    activity_rate,
    average_order_value,
    classify,
    conversion_rate,
    net_promoter_score,
    pool_funnel,
    pool_kpis,
    repurchase_rate,
    user_scale,
)
from custpool._analytics.kpis import _divide_half_even
from custpool._analytics.sums import exact_sum
from custpool.strategies import histories

_ids = count(1)

DEFAULTS: dict[str, dict[str, Any]] = {
    "connect": {"source": "store", "direction": "inbound", "channel": "wecom_chat"},
    "churn": {"churn_reason": "deleted", "direction": "inbound", "channel": "wecom_chat"},
    "message": {"direction": "inbound", "channel": "wecom_chat"},
    "group_post": {"direction": "peer"},
    "store_visit": {},
    "purchase": {"channel": "store"},
    "refund": {"channel": "store", "direction": "inbound"},
    "nps": {"channel": "wecom_chat"},
}


def ev(day: float, kind: str, customer: str, **fields: Any) -> Interaction:
    """One interaction on ``day`` (from T0); ``amount`` in yuan as a string for money kinds."""
    data: dict[str, Any] = {"id": f"i-{next(_ids):04d}", "customer_id": customer, "at": at(day)}
    if "amount" in fields:
        fields["amount"] = {"amount": fields["amount"], "currency": "CNY"}
        fields.setdefault("order_id", f"o-{next(_ids)}")
    return Interaction.model_validate(data | {"kind": kind} | DEFAULTS[kind] | fields)


HISTORY = [
    ev(-5, "connect", "c-1"),
    ev(3, "message", "c-1"),
    ev(4, "store_visit", "c-1"),
    ev(5, "purchase", "c-1", amount="100.00"),
    ev(10, "nps", "c-1", score=9),
    ev(18, "store_visit", "c-1"),
    ev(20, "purchase", "c-1", amount="50.00"),
    ev(25, "nps", "c-1", score=6),
    ev(2, "connect", "c-2", direction="outbound"),
    ev(8, "store_visit", "c-2"),
    ev(9, "purchase", "c-2", amount="30.00", order_id="o-c2"),
    ev(12, "refund", "c-2", amount="30.00", order_id="o-c2"),
    ev(-10, "connect", "c-3"),
    ev(1, "purchase", "c-3", amount="20.00"),
    ev(2, "nps", "c-3", score=10),
    ev(3, "store_visit", "c-3"),
    ev(15, "churn", "c-3"),
    ev(10, "connect", "c-4"),
    ev(10, "churn", "c-4"),
    ev(-40, "connect", "c-5", direction="outbound"),
    ev(31, "connect", "c-6"),
    ev(31, "store_visit", "c-6"),
    ev(5, "message", "c-7"),
    ev(7, "nps", "c-7", score=8),
    ev(0, "connect", "c-8"),
    ev(3, "message", "c-8", direction="outbound"),
    ev(20, "store_visit", "c-8"),
    ev(30, "connect", "c-9"),
    ev(30, "group_post", "c-9"),
    ev(30, "nps", "c-9", score=10),
    ev(-20, "connect", "c-10"),
    ev(-10, "churn", "c-10"),
    ev(12, "connect", "c-10"),
    ev(14, "store_visit", "c-10"),
    ev(14, "purchase", "c-10", amount="40.01"),
]
TABLE = EventTable.from_interactions(HISTORY, customers=["c-11"])
WINDOW = Window(at(0), at(30))
CNY = "CNY"


def cny(amount: str) -> Money:
    return Money(amount=amount, currency=CNY)


# -- hand-checked -----------------------------------------------------------------------------


def test_user_scale_by_hand():
    scale = user_scale(TABLE, at(0), at(30))
    # Connected at day 30: c-1, c-2, c-5, c-8, c-9 (connect at the end counts), c-10 (came back).
    # Not: c-3 (churned day 15), c-4 (churn at the connect's instant wins), c-6 (connects on
    # day 31), c-7 (never connected), c-11 (no events).
    assert scale.connected == 6
    # At day 0: c-1 (-5), c-3 (-10), c-5 (-40), c-8 (exactly day 0); c-10 churned on day -10.
    assert scale.connected_at_start == 4
    assert scale.net_change == 6 - 4
    assert scale.connects == 4  # c-2 day 2, c-4 day 10, c-10 day 12, c-9 day 30; c-8's is at start
    assert scale.connecting_customers == 4
    assert scale.new_customers == 3  # c-2, c-4, c-9; c-10 first connected on day -20
    assert scale.churns == 2  # c-4 day 10, c-3 day 15; c-10's churn is before the window
    assert scale.churning_customers == 2
    assert scale.window == WINDOW
    assert str(scale) == "6 connected (4 at start, net +2; 4 connects, 3 new; 2 churns)"


def test_activity_rate_by_hand():
    activity = activity_rate(TABLE, WINDOW)
    # Of the 6 connected: c-1 (message), c-2 (visit; its connect was outbound), c-8 (visit day
    # 20; its message was outbound), c-9 (connect and post on day 30), c-10 (connect day 12).
    # c-5 did nothing in the window.
    assert (activity.active, activity.connected) == (5, 6)
    assert activity.rate == 5 / 6
    assert str(activity) == "83.3% (5 of 6 connected)"


def test_conversion_rate_by_hand():
    conversion = conversion_rate(TABLE, WINDOW)
    # c-1, c-2 (refunded, still converted) and c-10 of the 6; c-3 bought but churned.
    assert (conversion.converted, conversion.connected) == (3, 6)
    assert conversion.rate == 3 / 6


def test_order_value_by_hand():
    value = average_order_value(TABLE, WINDOW)
    # Purchases in the window, by anyone: 100.00 + 50.00 (c-1) + 30.00 (c-2) + 20.00 (c-3,
    # churned later) + 40.01 (c-10) = 240.01 in 5 purchases.
    assert value.purchases == 5
    assert value.purchase_amount == cny("240.01")
    assert value.average == cny("48.00")  # 240.01 / 5 = 48.002
    assert (value.refunds, value.refund_amount) == (1, cny("30.00"))
    assert value.net_amount == cny("210.01")  # 240.01 - 30.00
    assert value.net_average == cny("42.00")  # 210.01 / 5 = 42.002
    assert str(value) == (
        "48.00 CNY (5 purchases, 240.01 CNY); refunds 1, 30.00 CNY; net 42.00 CNY per purchase"
    )


def test_repurchase_rate_by_hand():
    repurchase = repurchase_rate(TABLE, WINDOW)
    # Buyers: c-1 (2 purchases), c-2, c-3, c-10 (1 each).
    assert (repurchase.repeat_buyers, repurchase.buyers) == (1, 4)
    assert repurchase.rate == 1 / 4


def test_nps_by_hand():
    nps = net_promoter_score(TABLE, WINDOW)
    # Latest answers: c-1 6 (day 25; its 9 on day 10 is older), c-3 10 (churned later, still
    # counted), c-7 8 (never connected, still counted), c-9 10 (at the end: inside).
    assert (nps.respondents, nps.promoters, nps.passives, nps.detractors) == (4, 2, 1, 1)
    assert nps.score == 100 * (2 - 1) / 4
    assert str(nps) == "+25.0 (4 respondents: 2 promoters, 1 passive, 1 detractor)"


def test_funnel_by_hand():
    funnel = pool_funnel(TABLE, WINDOW)
    # Pool: the 6 connected. Visitors of the pool: c-1 (twice), c-2, c-8, c-10; c-3 visited but
    # is not in the pool at the end, c-6 visited after the window.
    assert (funnel.pool, funnel.visitors, funnel.visits) == (6, 4, 5)
    assert funnel.deals == 3  # c-1, c-2, c-10 bought; c-8 did not
    assert funnel.visit_rate == 4 / 6
    assert funnel.deal_rate == 3 / 4
    assert funnel.pool_to_deal_rate == 3 / 6
    # No walk-in: every visitor of the window was in the pool at their first visit in it (c-3
    # visited on day 3 and churned on day 15; c-10 came back on day 12 and visited on day 14).
    assert (funnel.walk_ins, funnel.captured, funnel.capture_rate) == (0, 0, None)
    assert str(funnel) == "6 → 4 → 3 (visit rate 66.7%, deal rate 75.0%, pool to deal 50.0%)"


def test_funnel_counts_walk_ins_and_their_capture():
    # w-1 never connects; w-2 is added on WeChat at the counter (a capture); w-3 had left the
    # pool (lapsed); w-4 walks in on day 2 and connects on day 40, after the window (missed).
    rows = [
        ev(1, "store_visit", "w-1"),
        ev(2, "store_visit", "w-2"),
        ev(2, "connect", "w-2"),
        ev(-20, "connect", "w-3"),
        ev(-10, "churn", "w-3"),
        ev(3, "store_visit", "w-3"),
        ev(2, "store_visit", "w-4"),
        ev(40, "connect", "w-4"),
    ]
    funnel = pool_funnel(EventTable.from_interactions(rows), WINDOW)
    assert (funnel.pool, funnel.visitors) == (1, 1)  # w-2, in the pool at the window's end
    assert (funnel.walk_ins, funnel.captured) == (4, 1)
    assert funnel.capture_rate == 1 / 4
    assert "walk-ins captured 1 of 4 (25.0%)" in str(funnel)


def test_bundle_is_the_single_kpis():
    kpis = pool_kpis(TABLE, WINDOW)
    assert kpis == PoolKpis(
        window=WINDOW,
        scale=user_scale(TABLE, WINDOW),
        activity=activity_rate(TABLE, WINDOW),
        conversion=conversion_rate(TABLE, WINDOW),
        order_value=average_order_value(TABLE, WINDOW),
        repurchase=repurchase_rate(TABLE, WINDOW),
        net_promoter=net_promoter_score(TABLE, WINDOW),
        funnel=pool_funnel(TABLE, WINDOW),
    )
    assert (kpis.user_scale, kpis.activity_rate, kpis.conversion_rate) == (6, 5 / 6, 0.5)
    assert (kpis.average_order_value, kpis.repurchase_rate, kpis.nps) == (cny("48.00"), 0.25, 25.0)
    lines = str(kpis).splitlines()
    assert lines[0] == f"pool KPIs {WINDOW}"
    assert (
        lines[1]
        == "  user scale 规模用户: 6 connected (4 at start, net +2; 4 connects, 3 new; 2 churns)"
    )
    assert len(lines) == 8


def test_results_are_frozen():
    kpis = pool_kpis(TABLE, WINDOW)
    with pytest.raises(AttributeError):
        kpis.scale = kpis.scale  # type: ignore[misc]
    with pytest.raises(AttributeError):
        kpis.activity.rate = 1.0  # type: ignore[misc]


def test_window_bounds_are_half_open():
    # (day 2, day 9]: c-2's connect on day 2 is out, its purchase on day 9 is in.
    scale = user_scale(TABLE, at(2), at(9))
    assert scale.connects == 0
    value = average_order_value(TABLE, at(2), at(9))
    assert value.purchases == 2  # c-1 day 5, c-2 day 9
    assert value.purchase_amount == cny("130.00")


def test_nps_latest_answer_at_one_instant_is_the_higher_score():
    answers = [
        ev(-1, "connect", "c-1"),
        Interaction(id="i-b", customer_id="c-1", at=at(1), kind="nps", score=10, channel="phone"),
        Interaction(id="i-a", customer_id="c-1", at=at(1), kind="nps", score=0, channel="phone"),
    ]
    table = EventTable.from_interactions(answers)
    nps = net_promoter_score(table, at(0), at(2))
    assert (nps.respondents, nps.promoters, nps.detractors) == (1, 1, 0)  # 10 > 0, whatever ids
    assert classify(answers, Policy(), at(2)).latest_nps == 10  # classify reads the same answer
    swapped = [
        answers[0],
        answers[1].model_copy(update={"id": "i-a"}),
        answers[2].model_copy(update={"id": "i-b"}),
    ]
    assert net_promoter_score(EventTable.from_interactions(swapped), at(0), at(2)) == nps
    assert classify(swapped, Policy(), at(2)).latest_nps == 10


def test_nps_tie_in_a_table_from_arrays_is_the_higher_score_whatever_the_row_order():
    t = int(T0.timestamp() * 1_000_000)
    nps_code = 11
    for scores in ([3, 9], [9, 3]):
        table = EventTable.from_arrays([0, 0], [t, t], [nps_code, nps_code], score=scores)
        nps = net_promoter_score(table, at(-1), at(1))
        assert (nps.respondents, nps.promoters, nps.score) == (1, 1, 100.0)


# -- edge cases -----------------------------------------------------------------------------


def test_window_before_every_event_gives_zeros_and_none():
    kpis = pool_kpis(TABLE, at(-100), at(-90))
    assert kpis.scale == UserScale(Window(at(-100), at(-90)), 0, 0, 0, 0, 0, 0, 0)
    assert kpis.activity == ActivityRate(kpis.window, 0, 0, None)
    assert kpis.conversion == ConversionRate(kpis.window, 0, 0, None)
    zero = cny("0")
    assert kpis.order_value == OrderValue(kpis.window, 0, zero, None, 0, zero, zero, None)
    assert kpis.repurchase == RepurchaseRate(kpis.window, 0, 0, None)
    assert kpis.net_promoter == NetPromoterScore(kpis.window, 0, 0, 0, 0, None)
    assert kpis.funnel == PoolFunnel(kpis.window, 0, 0, 0, 0, None, None, None, 0, 0, None)
    assert "n/a" in str(kpis)


def test_window_after_every_event_keeps_the_pool():
    kpis = pool_kpis(TABLE, at(100), at(200))
    assert kpis.user_scale == 7  # the 6 of day 30, and c-6 (day 31)
    assert kpis.scale.net_change == 0
    assert kpis.activity_rate == 0.0  # 0 active of 7: a rate, not None
    assert kpis.conversion_rate == 0.0
    assert kpis.average_order_value is None
    assert kpis.repurchase_rate is None
    assert kpis.nps is None
    assert (kpis.funnel.visit_rate, kpis.funnel.deal_rate) == (0.0, None)


def test_table_without_purchases_has_no_money():
    table = EventTable.from_interactions([ev(0, "connect", "c-1"), ev(1, "message", "c-1")])
    assert table.currency is None
    value = average_order_value(table, at(-1), at(2))
    assert value == OrderValue(Window(at(-1), at(2)), 0, None, None, 0, None, None, None)
    assert str(value) == "n/a (0 purchases, no amounts)"
    assert repurchase_rate(table, at(-1), at(2)).rate is None
    assert conversion_rate(table, at(-1), at(2)).rate == 0.0


def test_invalid_windows():
    with pytest.raises(ValidationError, match="must be after start") as info:
        pool_kpis(TABLE, at(30), at(30))
    assert info.value.field == "end"
    with pytest.raises(ValidationError, match="must be after start"):
        user_scale(TABLE, at(30), at(0))
    with pytest.raises(ValidationError, match="timezone-aware"):
        activity_rate(TABLE, datetime(2026, 1, 1), at(0))  # noqa: DTZ001 - naive on purpose
    with pytest.raises(ValidationError, match="left out when a Window"):
        repurchase_rate(TABLE, WINDOW, at(40))
    with pytest.raises(ValidationError, match="required"):
        net_promoter_score(TABLE, at(0))
    with pytest.raises(WrongTypeError, match="EventTable") as wrong:
        pool_funnel(HISTORY, WINDOW)  # type: ignore[arg-type]
    assert wrong.value.field == "table"


def test_rounding_is_half_even_to_the_minor_unit():
    cents = [ev(1, "purchase", "c-1", amount="0.01"), ev(2, "purchase", "c-1", amount="0.04")]
    value = average_order_value(EventTable.from_interactions(cents), at(0), at(3))
    assert value.average == cny("0.02")  # 0.05 / 2 = 0.025: the tie goes to the even 0.02
    cents = [ev(1, "purchase", "c-1", amount="0.03"), ev(2, "purchase", "c-1", amount="0.04")]
    value = average_order_value(EventTable.from_interactions(cents), at(0), at(3))
    assert value.average == cny("0.04")  # 0.07 / 2 = 0.035: the tie goes to the even 0.04
    assert [_divide_half_even(n, 4) for n in (-6, -5, -2, 2, 5, 6, 7)] == [-2, -1, 0, 0, 1, 2, 2]


def test_net_average_can_be_negative():
    rows = [ev(1, "purchase", "c-1", amount="10.00"), ev(2, "refund", "c-1", amount="25.00")]
    value = average_order_value(EventTable.from_interactions(rows), at(0), at(3))
    assert value.net_amount == cny("-15.00")  # 10.00 - 25.00 (an older order refunded)
    assert value.net_average == cny("-15.00")


def test_money_in_a_currency_without_minor_units_and_large_sums():
    big = 2**62
    amounts = np.array([big, big, big, 3], dtype=np.int64)
    assert exact_sum(amounts) == 3 * big + 3  # would wrap around in int64
    t = int(T0.timestamp() * 1_000_000)
    table = EventTable.from_arrays(
        [0, 0, 1], [t, t + 1, t], [8, 8, 8], amount=[500, 700, 1001], item=[0, 1, 2], currency="JPY"
    )
    value = average_order_value(table, at(-1), at(1))
    assert value.purchase_amount == Money(amount=2201, currency="JPY")
    assert value.average == Money(amount=734, currency="JPY")  # 2201 / 3 = 733.67


def test_table_with_currency_but_no_money_rows_and_silent_customers():
    t = int(T0.timestamp() * 1_000_000)
    table = EventTable.from_arrays(
        [0], [t], [0], direction=[0], customer_ids=["a", "b", "c"], currency="CNY"
    )
    kpis = pool_kpis(table, at(-1), at(1))
    assert (kpis.user_scale, kpis.scale.new_customers) == (1, 1)
    assert kpis.order_value.purchase_amount == cny("0.00")
    assert kpis.average_order_value is None


# -- properties against a plain-Python reference ---------------------------------------------

_OUTBOUND_OK = {k.value for k, rule in KIND_RULES.items() if len(rule.directions) > 1}
# Weighted toward the kinds the KPIs count, so that pools, visits and deals are common.
_KINDS = (
    *("connect", "churn", "message", "group_post", "refund"),
    *("store_visit", "purchase", "nps") * 2,
)


@st.composite
def grid_histories(draw: st.DrawFn) -> tuple[list[Interaction], list[str]]:
    """A few customers' events on a coarse grid of hours (many ties), ids in random order."""
    n = draw(st.integers(1, 5))
    specs: list[tuple[str, int, str, dict[str, Any]]] = []
    for c in range(n):
        if draw(st.booleans()):  # most customers connect early on
            specs.append((f"c-{c}", draw(st.integers(0, 4)), "connect", {}))
        for _ in range(draw(st.integers(0, 8))):
            kind = draw(st.sampled_from(_KINDS))
            fields: dict[str, Any] = {}
            rule = KIND_RULES[InteractionKind(kind)]
            fields["direction"] = draw(st.sampled_from(rule.directions)).value
            if kind in {"purchase", "refund"}:
                units = draw(st.integers(1, 10_000))
                fields["amount"] = {"amount": Decimal(units).scaleb(-2), "currency": CNY}
            if kind == "nps":
                fields["score"] = draw(st.integers(0, 10))
            specs.append((f"c-{c}", draw(st.integers(0, 12)), kind, fields))
    ids = draw(st.permutations(range(len(specs))))
    rows = []
    for (customer, hour, kind, fields), number in zip(specs, ids, strict=True):
        data = {"id": f"i-{number:03d}", "customer_id": customer, "at": T0 + timedelta(hours=hour)}
        data |= DEFAULTS[kind] | {"kind": kind} | fields
        if kind in {"purchase", "refund"}:
            data["order_id"] = f"o-{number}"
        rows.append(Interaction.model_validate(data))
    extra = [f"c-{c}" for c in range(n)] + ["c-silent"]
    return rows, extra


def grid_windows() -> st.SearchStrategy[Window]:
    return st.builds(
        lambda s, length: Window(T0 + timedelta(hours=s), T0 + timedelta(hours=s + length)),
        st.integers(-1, 13),
        st.integers(1, 14),
    )


def _connected(history: list[Interaction], t: datetime) -> bool:
    connects = [i.at for i in history if i.kind is InteractionKind.CONNECT and i.at <= t]
    if not connects:
        return False
    latest = max(connects)
    return not any(i.kind is InteractionKind.CHURN and latest <= i.at <= t for i in history)


def _money(units: Decimal, currency: str | None) -> Money | None:
    return None if currency is None else Money(amount=units, currency=currency)


def _average(total: Decimal, n: int, currency: str | None) -> Money | None:
    if currency is None or n == 0:
        return None
    return Money(amount=(total / n).quantize(Decimal("0.01"), ROUND_HALF_EVEN), currency=currency)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def reference_kpis(
    interactions: list[Interaction], customers: list[str], window: Window, currency: str | None
) -> PoolKpis:
    """Every KPI computed the slow, obvious way from the objects."""
    start, end = window.start, window.end
    by: dict[str, list[Interaction]] = defaultdict(list)
    for i in interactions:
        by[i.customer_id].append(i)
    everyone = sorted(set(customers) | set(by))

    def inside(i: Interaction) -> bool:
        return start < i.at <= end

    def kinds(c: str, kind: InteractionKind) -> list[Interaction]:
        return [i for i in by[c] if i.kind is kind and inside(i)]

    pool = [c for c in everyone if _connected(by[c], end)]
    at_start = [c for c in everyone if _connected(by[c], start)]
    connects = [i for i in interactions if i.kind is InteractionKind.CONNECT and inside(i)]
    churns = [i for i in interactions if i.kind is InteractionKind.CHURN and inside(i)]
    first_connects = [
        min(i.at for i in by[c] if i.kind is InteractionKind.CONNECT)
        for c in everyone
        if any(i.kind is InteractionKind.CONNECT for i in by[c])
    ]
    scale = UserScale(
        window,
        len(pool),
        len(at_start),
        len(connects),
        len({i.customer_id for i in connects}),
        sum(start < t <= end for t in first_connects),
        len(churns),
        len({i.customer_id for i in churns}),
    )
    # taking part: customer-initiated, and not joining or leaving (CONNECT, CHURN)
    joins = {InteractionKind.CONNECT, InteractionKind.CHURN}
    active = [
        c
        for c in pool
        if any(inside(i) and i.customer_initiated and i.kind not in joins for i in by[c])
    ]
    buys = {c: kinds(c, InteractionKind.PURCHASE) for c in everyone}
    converted = [c for c in pool if buys[c]]
    purchases = [i for c in everyone for i in buys[c]]
    refunds = [i for c in everyone for i in kinds(c, InteractionKind.REFUND)]
    bought = sum((i.amount.amount for i in purchases if i.amount), Decimal(0))
    refunded = sum((i.amount.amount for i in refunds if i.amount), Decimal(0))
    order_value = OrderValue(
        window,
        len(purchases),
        _money(bought, currency),
        _average(bought, len(purchases), currency),
        len(refunds),
        _money(refunded, currency),
        _money(bought - refunded, currency),
        _average(bought - refunded, len(purchases), currency),
    )
    buyers = [c for c in everyone if buys[c]]
    repeat = [c for c in everyone if len(buys[c]) >= 2]
    latest = [
        max(answers, key=lambda i: (i.at, i.score)).score
        for c in everyone
        if (answers := kinds(c, InteractionKind.NPS))
    ]
    promoters = sum(s is not None and s >= 9 for s in latest)
    detractors = sum(s is not None and s <= 6 for s in latest)
    nps_score = 100 * (promoters - detractors) / len(latest) if latest else None
    visitors = [c for c in pool if kinds(c, InteractionKind.STORE_VISIT)]
    deals = [c for c in visitors if buys[c]]
    visits = sum(len(kinds(c, InteractionKind.STORE_VISIT)) for c in pool)
    walk_ins = captured = 0  # outside the pool just before their first visit of the window
    for c in everyone:
        if walked := kinds(c, InteractionKind.STORE_VISIT):
            v = min(i.at for i in walked)
            if not _connected([i for i in by[c] if i.at < v], v):
                walk_ins += 1
                captured += any(
                    i.kind is InteractionKind.CONNECT and v <= i.at <= end for i in by[c]
                )
    return PoolKpis(
        window=window,
        scale=scale,
        activity=ActivityRate(window, len(pool), len(active), _rate(len(active), len(pool))),
        conversion=ConversionRate(
            window, len(pool), len(converted), _rate(len(converted), len(pool))
        ),
        order_value=order_value,
        repurchase=RepurchaseRate(
            window, len(buyers), len(repeat), _rate(len(repeat), len(buyers))
        ),
        net_promoter=NetPromoterScore(
            window,
            len(latest),
            promoters,
            len(latest) - promoters - detractors,
            detractors,
            nps_score,
        ),
        funnel=PoolFunnel(
            window,
            len(pool),
            len(visitors),
            len(deals),
            visits,
            _rate(len(visitors), len(pool)),
            _rate(len(deals), len(visitors)),
            _rate(len(deals), len(pool)),
            walk_ins,
            captured,
            _rate(captured, walk_ins),
        ),
    )


def check_against_reference(
    interactions: list[Interaction], customers: list[str], window: Window
) -> None:
    table = EventTable.from_interactions(interactions, customers=customers)
    kpis = pool_kpis(table, window)
    assert kpis == reference_kpis(interactions, customers, window, table.currency)
    # Every function alone gives the bundle's numbers.
    assert kpis.scale == user_scale(table, window)
    assert kpis.activity == activity_rate(table, window)
    assert kpis.conversion == conversion_rate(table, window)
    assert kpis.order_value == average_order_value(table, window)
    assert kpis.repurchase == repurchase_rate(table, window)
    assert kpis.net_promoter == net_promoter_score(table, window)
    assert kpis.funnel == pool_funnel(table, (window.start), window.end)
    # "Connected at end" is classify's: neither a prospect nor churned.
    by: dict[str, list[Interaction]] = defaultdict(list)
    for i in interactions:
        by[i.customer_id].append(i)
    gone = {State.PROSPECT, State.CHURNED}
    in_pool = sum(classify(h, Policy(), window.end).state not in gone for h in by.values())
    assert kpis.user_scale == in_pool


@settings(max_examples=150, deadline=None)
@given(grid_histories(), grid_windows())
def test_kpis_match_the_reference_on_a_grid_with_ties(
    drawn: tuple[list[Interaction], list[str]], window: Window
) -> None:
    interactions, customers = drawn
    check_against_reference(interactions, customers, window)


WHO = ("c-a", "c-b", "c-c")
SPAN = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC))


@st.composite
def library_histories(draw: st.DrawFn) -> tuple[list[Interaction], Window]:
    """Three customers' histories from ``custpool.strategies.histories``; a window near them."""
    interactions: list[Interaction] = []
    for who in WHO:
        interactions += draw(
            histories(
                customer_id=who,
                max_size=10,
                min_time=SPAN[0],
                max_time=SPAN[1],
                other_customer_ids=[c for c in WHO if c != who],
                id_prefix=f"{who}-",
            )
        )
        interactions += draw(
            histories(
                customer_id=who,
                max_size=4,
                kinds=("connect", "store_visit", "purchase"),
                min_time=SPAN[0],
                max_time=SPAN[1],
                id_prefix=f"{who}-k-",
            )
        )
    # Bounds exactly at an event, a microsecond beside it, or anywhere in the span.
    anchors = [i.at for i in interactions] or [SPAN[0]]
    nudge = st.sampled_from((timedelta(0), timedelta(microseconds=1), -timedelta(microseconds=1)))
    bound = st.sampled_from(anchors).flatmap(lambda a: nudge.map(a.__add__)) | st.datetimes(
        SPAN[0].replace(tzinfo=None), SPAN[1].replace(tzinfo=None), timezones=st.just(UTC)
    )
    a, b = draw(bound), draw(bound)
    if a == b:
        b += timedelta(days=1)
    return interactions, Window(min(a, b), max(a, b))


@settings(max_examples=60, deadline=None)
@given(library_histories())
def test_kpis_match_the_reference_on_library_histories(
    drawn: tuple[list[Interaction], Window],
) -> None:
    interactions, window = drawn
    check_against_reference(interactions, list(WHO), window)
