"""Channel attribution: hand-checked windows, edge cases and a plain-Python reference."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import at
from custpool import (
    ChannelAttribution,
    EventTable,
    Interaction,
    Money,
    SourceChannel,
    ValidationError,
    Window,
    WrongTypeError,
    channel_attribution,
)
from custpool._engine.codes import CHANNELS, DIRECTIONS
from custpool._engine.codes import SOURCES as SOURCE_CODES
from engine_helpers import START as POOL_START
from engine_helpers import pool_histories, table_of
from tiers_helpers import ev


def cny(text: str) -> Money:
    return Money(amount=Decimal(text), currency="CNY")


def buy(day: float, customer: str, amount: str) -> Interaction:
    return ev(day, "purchase", customer, amount={"amount": amount, "currency": "CNY"})


def refund(day: float, customer: str, amount: str) -> Interaction:
    return Interaction.model_validate(
        {
            "id": f"r-{customer}-{day}",
            "customer_id": customer,
            "at": at(day),
            "kind": "refund",
            "order_id": f"o-r-{customer}-{day}",
            "amount": {"amount": amount, "currency": "CNY"},
            "channel": "store",
            "direction": "inbound",
        }
    )


def connect(day: float, customer: str, source: str) -> Interaction:
    return ev(day, "connect", customer, source=source)


# The window is (day 2, day 10].
HISTORY = [
    connect(2.5, "a", "store"),  # new in the window
    buy(3, "a", "100"),
    refund(4, "a", "30"),
    buy(12, "a", "50"),  # after the window
    connect(1, "b", "referral"),  # before the window: attributed, not new
    buy(5, "b", "20"),
    connect(4, "c", "live_stream"),  # new
    ev(6, "churn", "c"),
    connect(8, "c", "store"),  # a reconnection: c stays live_stream's, the row counts for store
    buy(3, "d", "15"),  # bought before connecting (convert first)
    connect(7, "d", "ecommerce"),
    buy(4, "e", "9"),  # never connects: unattributed
    connect(11, "f", "advertising"),  # connects after the window: not attributed yet
    connect(2, "g", "store"),  # exactly at the start: attributed, not new (start is exclusive)
]
WINDOW = (at(2), at(10))


def report(history=HISTORY, start=WINDOW[0], end=WINDOW[1]) -> ChannelAttribution:
    return channel_attribution(EventTable.from_interactions(history), start, end)


def test_worked_example_per_channel():
    r = report()
    store = r.row(SourceChannel.STORE)
    # a and g are store's; only a connected in the window; a's row and c's reconnection are the
    # window's store connections; a bought (100) and had 30 refunded.
    assert (store.customers, store.new_customers, store.connections) == (2, 1, 2)
    assert (store.converted, store.conversion_rate, store.purchases) == (1, 0.5, 1)
    assert (store.revenue, store.refunded) == (cny("100"), cny("30"))

    referral = r.row("referral")
    assert (referral.customers, referral.new_customers, referral.connections) == (1, 0, 0)
    assert (referral.converted, referral.conversion_rate, referral.revenue) == (1, 1.0, cny("20"))

    live = r.row("live_stream")
    assert (live.customers, live.new_customers, live.connections) == (1, 1, 1)
    assert (live.converted, live.conversion_rate, live.revenue) == (0, 0.0, cny("0"))

    ecommerce = r.row("ecommerce")  # d: the purchase before the connection counts
    assert (ecommerce.customers, ecommerce.converted, ecommerce.revenue) == (1, 1, cny("15"))

    advertising = r.row("advertising")  # f connects after the window
    assert (advertising.customers, advertising.conversion_rate) == (0, None)


def test_totals_reconcile():
    r = report()
    assert r.unattributed_customers == 2  # e never connects; f connects after the end
    assert r.unattributed_converted == 1  # e
    assert r.unattributed_revenue == cny("9")
    assert r.revenue == cny("144")  # 100 + 20 + 15 + 9
    attributed = sum(row.revenue.minor_units for row in r.rows if row.revenue is not None)
    assert attributed + r.unattributed_revenue.minor_units == r.revenue.minor_units
    assert sum(row.customers for row in r.rows) + r.unattributed_customers == 7
    assert [row.source for row in r.rows] == list(SourceChannel)
    assert r.currency == "CNY"


def test_a_window_object_works_like_two_datetimes():
    assert report(start=Window(*WINDOW), end=None) == report()
    assert report().window == Window(*WINDOW)


def test_empty_window_gives_zeros_and_no_rates():
    r = report(start=at(-20), end=at(-10))
    assert all(row.customers == 0 and row.conversion_rate is None for row in r.rows)
    assert all(row.revenue == cny("0") for row in r.rows)
    assert r.unattributed_customers == 7
    assert r.revenue == cny("0")


def test_table_without_amounts_has_no_money():
    r = report([connect(3, "a", "store")])
    assert r.currency is None
    assert r.revenue is None
    assert r.row("store").revenue is None
    assert r.row("store").conversion_rate == 0.0


def test_customers_without_events_are_unattributed():
    table = EventTable.from_interactions([], customers=["x", "y"])
    r = channel_attribution(table, *WINDOW)
    assert r.unattributed_customers == 2
    assert r.revenue is None


def test_bad_arguments():
    table = EventTable.from_interactions(HISTORY)
    with pytest.raises(WrongTypeError, match="EventTable"):
        channel_attribution(HISTORY, *WINDOW)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as caught:
        channel_attribution(table, WINDOW[1], WINDOW[0])
    assert caught.value.field == "end"
    with pytest.raises(ValidationError):
        channel_attribution(table, datetime(2026, 3, 1), datetime(2026, 3, 2))  # noqa: DTZ001
    with pytest.raises(ValidationError):
        channel_attribution(table, Window(*WINDOW), WINDOW[1])
    with pytest.raises(ValueError):
        report().row("carrier pigeon")


# -- property: a plain-Python reference over Interaction objects ---------------------------------


def reference(interactions, start, end):
    by_customer = defaultdict(list)
    for item in interactions:
        by_customer[item.customer_id].append(item)
    # customers, new, connections, converted, purchases, revenue, refunded by source
    out = {s: defaultdict(int) for s in SourceChannel}
    unattributed = defaultdict(int)
    for history in by_customer.values():
        connects = sorted(
            (i for i in history if i.kind.value == "connect"),
            key=lambda i: (  # same-instant connects in the table's order: by content
                i.at,
                DIRECTIONS.index(i.direction),
                CHANNELS.index(i.channel),
                SOURCE_CODES.index(i.source),
            ),
        )
        first = connects[0] if connects and connects[0].at <= end else None
        bought = [i for i in history if i.kind.value == "purchase" and start < i.at <= end]
        refunds = [i for i in history if i.kind.value == "refund" and start < i.at <= end]
        if first is None:
            unattributed["converted"] += bool(bought)
            unattributed["revenue"] += sum(i.amount.minor_units for i in bought)
            continue
        row = out[first.source]
        row["customers"] += 1
        row["new"] += start < first.at
        row["converted"] += bool(bought)
        row["purchases"] += len(bought)
        row["revenue"] += sum(i.amount.minor_units for i in bought)
        row["refunded"] += sum(i.amount.minor_units for i in refunds)
    for item in interactions:
        if item.kind.value == "connect" and start < item.at <= end:
            out[item.source]["connections"] += 1
    return out, unattributed


WINDOWS = st.tuples(st.integers(-20, 400), st.integers(1, 200))


@settings(max_examples=60, deadline=None)
@given(pool_histories(), WINDOWS)
def test_matches_plain_python_reference(pool, window):
    table = table_of(pool)
    start = POOL_START + timedelta(days=window[0])
    end = start + timedelta(days=window[1])
    interactions = [i for history in pool.values() for i in history]
    expected, unattributed = reference(interactions, start, end)
    r = channel_attribution(table, start, end)
    for row in r.rows:
        want = expected[row.source]
        assert row.customers == want["customers"]
        assert row.new_customers == want["new"]
        assert row.connections == want["connections"]
        assert row.converted == want["converted"]
        assert row.purchases == want["purchases"]
        rate = want["converted"] / want["customers"] if want["customers"] else None
        assert row.conversion_rate == rate
        if table.currency is not None:
            assert row.revenue.minor_units == want["revenue"]
            assert row.refunded.minor_units == want["refunded"]
    assert r.unattributed_converted == unattributed["converted"]
    if table.currency is not None:
        assert r.unattributed_revenue.minor_units == unattributed["revenue"]
    assert sum(row.customers for row in r.rows) + r.unattributed_customers == table.n_customers
