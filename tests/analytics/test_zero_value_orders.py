"""Free orders (a purchase of 0.00: a gift, a 0元 trial) are orders in every analytic.

The hand-built pool (days from T0 = 2026-03-01 12:00 UTC, window (day 0, day 30]):

=====  ======================================================================================
c-1    connect -5 (store); purchase 5 (100.00); purchase 12 (40.00); refund 15 (30.00 of the
       day-5 order); purchase 20 (0.00, a free gift)
c-2    connect 2 (live_stream); purchase 9 (0.00, a 0元 trial) — its only order
c-3    connect 1 (referral); purchase 3 (50.00); purchase 3.1 (0.00, a gift the same UTC day)
c-4    connect 4 (store); message 6 — never buys
=====  ======================================================================================
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import at
from custpool import (
    CONVERT_FIRST,
    EventTable,
    Interaction,
    Money,
    Policy,
    Stage,
    State,
    Window,
    average_order_value,
    channel_attribution,
    classify,
    classify_table,
    conversion_rate,
    pool_kpis,
    repurchase_rate,
    rfm_summary,
)


def event(iid: str, day: float, kind: str, customer: str, **fields: Any) -> Interaction:
    return Interaction.model_validate(
        {"id": iid, "customer_id": customer, "at": at(day), "kind": kind} | fields
    )


def connect(iid: str, day: float, customer: str, source: str) -> Interaction:
    return event(
        iid, day, "connect", customer, source=source, direction="inbound", channel="wecom_chat"
    )


def buy(iid: str, day: float, customer: str, amount: str) -> Interaction:
    return event(
        iid,
        day,
        "purchase",
        customer,
        channel="store",
        order_id=f"o-{iid}",
        amount={"amount": amount, "currency": "CNY"},
    )


HISTORY = [
    connect("i-01", -5, "c-1", "store"),
    buy("i-02", 5, "c-1", "100.00"),
    buy("i-03", 12, "c-1", "40.00"),
    event(
        "i-04",
        15,
        "refund",
        "c-1",
        channel="store",
        direction="inbound",
        order_id="o-i-02",
        amount={"amount": "30.00", "currency": "CNY"},
    ),
    buy("i-05", 20, "c-1", "0.00"),  # a free gift
    connect("i-06", 2, "c-2", "live_stream"),
    buy("i-07", 9, "c-2", "0"),  # a 0元 trial: c-2's only order
    connect("i-08", 1, "c-3", "referral"),
    buy("i-09", 3, "c-3", "50.00"),
    buy("i-10", 3.1, "c-3", "0.00"),  # a gift with the order, the same UTC day
    connect("i-11", 4, "c-4", "store"),
    event("i-12", 6, "message", "c-4", direction="inbound", channel="wecom_chat"),
]
TABLE = EventTable.from_interactions(HISTORY)
WINDOW = Window(at(0), at(30))


def cny(amount: str) -> Money:
    return Money(amount=amount, currency="CNY")


def history_of(customer: str) -> list[Interaction]:
    return [i for i in HISTORY if i.customer_id == customer]


def test_free_orders_are_purchase_rows_of_zero_in_the_table():
    purchases = TABLE.kind_is("purchase")
    # 6 purchases: c-1 10000, 4000, 0; c-2 0; c-3 5000, 0 (minor units, in customer order)
    assert TABLE.amount[purchases].tolist() == [10_000, 4_000, 0, 0, 5_000, 0]


def test_a_free_order_converts_in_classify_and_classify_table():
    policy = Policy(paradigm=CONVERT_FIRST)  # connected → converted: a purchase converts
    state = classify(history_of("c-2"), policy, at(30))
    # c-2's one purchase (0.00, day 9) meets "converted": 1 purchase in 365 days, threshold 1
    converted = state.criterion(Stage.CONVERTED)
    assert (converted.met, converted.value, converted.last_at) == (True, 1, at(9))
    assert state.state is State.CONVERTED
    assert state.since == at(9)
    table = classify_table(TABLE, policy, at(30))
    assert table.state_of("c-2") is State.CONVERTED
    assert table.state_of("c-4") is State.CONNECTED  # never bought


def test_a_free_order_converts_in_conversion_rate():
    conversion = conversion_rate(TABLE, WINDOW)
    # Connected at day 30: c-1, c-2, c-3, c-4 = 4. Bought in the window: c-1, c-2 (only its free
    # trial), c-3 = 3. Without the free order, c-2 would not count: 2 of 4.
    assert (conversion.converted, conversion.connected) == (3, 4)
    assert conversion.rate == 3 / 4


def test_free_orders_count_in_average_order_value_and_lower_it():
    value = average_order_value(TABLE, WINDOW)
    # 6 purchases: c-1 100.00 + 40.00 + 0.00, c-2 0.00, c-3 50.00 + 0.00; 190.00 in all.
    assert value.purchases == 6
    assert value.purchase_amount == cny("190.00")
    assert value.average == cny("31.67")  # 190.00 / 6 = 31.666…, not 190.00 / 3 = 63.33
    assert (value.refunds, value.refund_amount) == (1, cny("30.00"))
    assert value.net_amount == cny("160.00")  # 190.00 - 30.00
    assert value.net_average == cny("26.67")  # 160.00 / 6 = 26.666…


def test_a_free_order_makes_a_repeat_buyer():
    repurchase = repurchase_rate(TABLE, WINDOW)
    # Buyers: c-1 (3 purchases, one free), c-2 (1, free), c-3 (2: 50.00 and a free gift).
    # Repeat buyers (2+ purchases): c-1 and c-3 — c-3 only thanks to its free gift.
    assert (repurchase.repeat_buyers, repurchase.buyers) == (2, 3)
    assert repurchase.rate == 2 / 3


def test_rfm_counts_a_free_repeat_purchase_and_averages_it_in():
    summary = rfm_summary(TABLE, at(30))
    # Periods are UTC days; the observation end is day 30 (2026-03-31).
    # c-1 buys on 03-06 (100.00), 03-13 (40.00), 03-21 (0.00): 3 periods, frequency 3 - 1 = 2;
    #   recency 21 - 6 = 15, T 31 - 6 = 25; monetary_value = (40.00 + 0.00) / 2 = 20.0.
    # c-2 buys once, on 03-10 (0.00): frequency 0, recency 0, T 31 - 10 = 21, monetary 0.0.
    # c-3 buys twice on 03-04 (50.00 + 0.00, one period): frequency 0, T 31 - 4 = 27.
    assert summary.customer_ids == ("c-1", "c-2", "c-3")
    assert summary.frequency.tolist() == [2.0, 0.0, 0.0]
    assert summary.recency.tolist() == [15.0, 0.0, 0.0]
    assert summary.T.tolist() == [25.0, 21.0, 27.0]
    assert summary.monetary_value.tolist() == [20.0, 0.0, 0.0]
    assert summary.monetary_total.tolist() == [4_000, 0, 0]  # 40.00 + 0.00, in fen
    assert summary.row("c-1").monetary_total == cny("40.00")


def test_rfm_with_the_first_transaction_counts_a_free_first_order():
    summary = rfm_summary(TABLE, at(30), include_first_transaction=True)
    # c-1: 3 periods, (100.00 + 40.00 + 0.00) / 3 = 46.666…; c-2: 1 period, 0.00 / 1 = 0.0;
    # c-3: 1 period, (50.00 + 0.00) / 1 = 50.0.
    assert summary.frequency.tolist() == [3.0, 1.0, 1.0]
    assert summary.monetary_value.tolist() == pytest.approx([140 / 3, 0.0, 50.0])
    assert summary.monetary_total.tolist() == [14_000, 0, 5_000]


def test_channel_attribution_counts_free_orders_with_no_revenue():
    report = channel_attribution(TABLE, WINDOW)
    # store: c-1 and c-4; c-1 bought 3 times (100.00 + 40.00 + 0.00 = 140.00), refunded 30.00.
    store = report.row("store")
    assert (store.customers, store.converted, store.purchases) == (2, 1, 3)
    assert (store.revenue, store.refunded) == (cny("140.00"), cny("30.00"))
    assert store.conversion_rate == 1 / 2
    # live_stream: c-2, converted by its free trial alone: 1 purchase, revenue 0.00.
    live = report.row("live_stream")
    assert (live.customers, live.converted, live.purchases) == (1, 1, 1)
    assert live.revenue == cny("0.00")
    assert live.conversion_rate == 1.0
    # referral: c-3, 2 purchases (50.00 + 0.00 = 50.00).
    referral = report.row("referral")
    assert (referral.converted, referral.purchases, referral.revenue) == (1, 2, cny("50.00"))
    assert report.revenue == cny("190.00")  # 140.00 + 0.00 + 50.00


def test_pool_kpis_treat_free_orders_as_orders():
    kpis = pool_kpis(TABLE, WINDOW)
    # The same numbers as the single KPIs above, computed together.
    assert (kpis.conversion.converted, kpis.conversion.connected) == (3, 4)
    assert kpis.order_value.purchases == 6
    assert kpis.order_value.average == cny("31.67")  # 190.00 / 6
    assert (kpis.repurchase.repeat_buyers, kpis.repurchase.buyers) == (2, 3)
    assert "31.67 CNY (6 purchases, 190.00 CNY)" in str(kpis)
