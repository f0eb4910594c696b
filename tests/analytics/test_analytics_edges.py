"""The bounds of the analytics, exactly at and either side: KPI windows, RFM's end, Money.

KPI windows are half-open, ``(start, end]`` (docs/kpis.md): an event exactly at ``start`` is
out, one microsecond later in; an event exactly at ``end`` is in, one microsecond later out. The
pool is taken *at* ``end`` (connected: a CONNECT at or before it, no CHURN at or after it).
Every KPI below meets one event at each of the four positions, so each count is 2 (the middle
two) where an off-by-one at either bound gives 1 or 3.

RFM (docs/rfm.md): the observation end's whole period (a UTC day) is observed; the next period
is not. Money holds amounts below 10**15 major units in absolute value.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError as PydanticValidationError

from conftest import at
from custpool import (
    EventTable,
    Interaction,
    Money,
    ValidationError,
    activity_rate,
    average_order_value,
    conversion_rate,
    net_promoter_score,
    pool_funnel,
    repurchase_rate,
    rfm_summary,
    stationary_distribution,
    user_scale,
)

US = timedelta(microseconds=1)
START, END = at(0), at(30)
# The four positions: exactly at start (out), just after it (in), exactly at end (in), just
# after it (out).
POSITIONS = {"at_start": START, "after_start": START + US, "at_end": END, "after_end": END + US}
INSIDE = ("after_start", "at_end")

_DEFAULTS: dict[str, dict[str, Any]] = {
    "connect": {"source": "store", "direction": "outbound", "channel": "wecom_chat"},
    "churn": {"churn_reason": "deleted", "direction": "inbound", "channel": "wecom_chat"},
    "message": {"direction": "inbound", "channel": "wecom_chat"},
    "store_visit": {"channel": "store"},
    "purchase": {"channel": "store"},
    "nps": {"channel": "wecom_chat"},
}
_n = iter(range(10_000))


def row(when: datetime, kind: str, customer: str, **fields: Any) -> Interaction:
    n = next(_n)
    data = {"id": f"i-{n:04d}", "customer_id": customer, "at": when, "kind": kind}
    if kind == "purchase":
        amount = fields.pop("yuan", "10")
        data |= {"order_id": f"o-{n}", "amount": {"amount": amount, "currency": "CNY"}}
    return Interaction.model_validate(data | _DEFAULTS[kind] | fields)


def long_connected(customer: str) -> Interaction:
    # Connected well before the window (outbound: not an own row), never churned.
    return row(at(-100), "connect", customer)


def one_per_position(kind: str, **fields: Any) -> EventTable:
    """A connected customer per position, each with one ``kind`` row at that position."""
    rows = []
    for name, when in POSITIONS.items():
        rows += [long_connected(name), row(when, kind, name, **fields)]
    return EventTable.from_interactions(rows)


def test_activity_counts_own_rows_in_start_exclusive_end_inclusive():
    rate = activity_rate(one_per_position("message"), START, END)
    assert rate.connected == 4  # all four connected at day -100, none churned
    assert rate.active == 2  # after_start and at_end
    assert rate.rate == 0.5


def test_conversion_counts_purchases_in_the_window_only():
    rate = conversion_rate(one_per_position("purchase"), START, END)
    assert (rate.converted, rate.connected) == (2, 4)


def test_order_value_sums_only_the_middle_purchases():
    # amounts 1, 2, 4, 8 yuan at the four positions: only 2 + 4 = 6 yuan are in the window
    rows = []
    for (name, when), yuan in zip(POSITIONS.items(), ("1", "2", "4", "8"), strict=True):
        rows += [long_connected(name), row(when, "purchase", name, yuan=yuan)]
    value = average_order_value(EventTable.from_interactions(rows), START, END)
    assert value.purchases == 2
    assert value.purchase_amount == Money(amount="6.00", currency="CNY")


def test_repurchase_needs_two_purchases_inside():
    # c-in: after_start and at_end (two inside: a repeat buyer); c-start: at_start and at_end
    # (one inside); c-end: after_start and after_end (one inside). Buyers 3, repeat 1.
    rows = [long_connected(c) for c in ("c-in", "c-start", "c-end")]
    rows += [row(POSITIONS[p], "purchase", "c-in") for p in ("after_start", "at_end")]
    rows += [row(POSITIONS[p], "purchase", "c-start") for p in ("at_start", "at_end")]
    rows += [row(POSITIONS[p], "purchase", "c-end") for p in ("after_start", "after_end")]
    rate = repurchase_rate(EventTable.from_interactions(rows), START, END)
    assert (rate.repeat_buyers, rate.buyers) == (1, 3)


def test_nps_reads_answers_in_the_window_only():
    # scores 0 at_start, 10 after_start, 10 at_end, 0 after_end: 2 respondents, both promoters
    rows = []
    for (name, when), score in zip(POSITIONS.items(), (0, 10, 10, 0), strict=True):
        rows += [long_connected(name), row(when, "nps", name, score=score)]
    nps = net_promoter_score(EventTable.from_interactions(rows), START, END)
    assert (nps.respondents, nps.promoters, nps.detractors) == (2, 2, 0)
    assert nps.score == 100


def test_nps_latest_answer_exactly_at_end_wins_over_an_earlier_one():
    # one customer: 0 just after start, 10 exactly at end; the latest in the window is 10
    rows = [long_connected("c-1"), row(START + US, "nps", "c-1", score=0)]
    rows.append(row(END, "nps", "c-1", score=10))
    nps = net_promoter_score(EventTable.from_interactions(rows), START, END)
    assert (nps.respondents, nps.promoters) == (1, 1)


def test_funnel_visits_in_the_window_only():
    funnel = pool_funnel(one_per_position("store_visit"), START, END)
    assert (funnel.pool, funnel.visitors, funnel.visits) == (4, 2, 2)


def test_user_scale_connects_churns_and_the_pool_at_each_bound():
    # One CONNECT at each position: the window counts the middle two; the pool at `end` holds
    # those at or before it (3); the pool at `start` those at or before start (1).
    rows = [row(when, "connect", f"new-{name}") for name, when in POSITIONS.items()]
    # One CHURN at each position, of customers connected at day -100.
    for name, when in POSITIONS.items():
        rows += [long_connected(f"old-{name}"), row(when, "churn", f"old-{name}")]
    scale = user_scale(EventTable.from_interactions(rows), START, END)
    assert scale.connects == 2
    assert scale.new_customers == 2
    assert scale.churns == 2
    # at end: new at_start, after_start, at_end (3), plus old-after_end, churned after the end
    assert scale.connected == 3 + 1
    # at start: new-at_start (connected exactly at start), plus the old ones that had not
    # churned at start: after_start, at_end, after_end (old-at_start churned exactly at start)
    assert scale.connected_at_start == 1 + 3


def test_a_churn_exactly_at_end_removes_the_customer_from_the_pool():
    rows = [long_connected("c-1"), row(END, "churn", "c-1")]
    assert user_scale(EventTable.from_interactions(rows), START, END).connected == 0
    later = [long_connected("c-1"), row(END + US, "churn", "c-1")]
    assert user_scale(EventTable.from_interactions(later), START, END).connected == 1


# -- RFM: the observation end's whole period -----------------------------------------------------


def test_rfm_observes_the_whole_period_of_the_observation_end():
    # T0 is 2026-03-01 12:00 UTC. End: 2026-03-11 09:00 UTC, so the observed period is the UTC
    # day 2026-03-11; a purchase at 23:59:59.999999 that day counts, one at 00:00 the next
    # day does not.
    first = row(at(0), "purchase", "c-1")
    end = datetime.fromisoformat("2026-03-11T09:00:00+00:00")
    last_instant = datetime.fromisoformat("2026-03-11T23:59:59.999999+00:00")
    inside = row(last_instant, "purchase", "c-1")
    outside = row(last_instant + US, "purchase", "c-2")
    s = rfm_summary(EventTable.from_interactions([first, inside, outside]), end)
    assert s.customer_ids == ("c-1",)  # c-2's first purchase is after the observed period
    # periods of c-1: Mar 1 and Mar 11: frequency 1, recency 10 days, T 10 days
    assert (s.frequency.tolist(), s.recency.tolist(), s.T.tolist()) == ([1.0], [10.0], [10.0])


def test_rfm_observation_end_exactly_at_midnight_observes_that_new_day():
    # End at 2026-03-12 00:00 exactly: that instant opens the period Mar 12, which is observed
    # whole, so a purchase at 00:00 Mar 12 counts and T is 11 days.
    purchase = row(datetime.fromisoformat("2026-03-12T00:00:00+00:00"), "purchase", "c-1")
    s = rfm_summary(
        EventTable.from_interactions([row(at(0), "purchase", "c-1"), purchase]),
        datetime.fromisoformat("2026-03-12T00:00:00+00:00"),
    )
    assert (s.frequency.tolist(), s.T.tolist()) == ([1.0], [11.0])


# -- Money: below 10**15 major units -------------------------------------------------------------


@pytest.mark.parametrize("sign", ["", "-"])
def test_money_holds_the_largest_amount_below_ten_to_the_fifteen(sign: str):
    largest = Money(amount=f"{sign}999999999999999.99", currency="CNY")
    assert abs(largest.amount) == Decimal(10**15) - Decimal("0.01")
    with pytest.raises(PydanticValidationError, match=r"below 10\*\*15"):
        Money(amount=f"{sign}1000000000000000", currency="CNY")


def test_money_from_minor_units_at_the_bound():
    # CNY has 2 decimals: 10**15 yuan is 10**17 fen, the first count refused
    assert Money.from_minor_units(10**17 - 1, "CNY").minor_units == 10**17 - 1
    assert Money.from_minor_units(-(10**17) + 1, "CNY").minor_units == -(10**17) + 1
    with pytest.raises(ValidationError) as caught:
        Money.from_minor_units(10**17, "CNY")
    assert (caught.value.field, caught.value.value) == ("units", 10**17)
    with pytest.raises(ValidationError):
        Money.from_minor_units(-(10**17), "CNY")
    # JPY has no minor unit: 10**15 yen is the first count refused
    assert Money.from_minor_units(10**15 - 1, "JPY").amount == Decimal(10**15 - 1)
    with pytest.raises(ValidationError):
        Money.from_minor_units(10**15, "JPY")


# -- behaviours that only doctests guarded ------------------------------------------------------


def test_stationary_distribution_refuses_exactly_two_closed_classes():
    # States 0 and 1 are absorbing, 2 leaks into both: two closed classes, and P^T - I has rank
    # exactly n - 2 = 1 (the boundary of the "rank < n - 1" test; three absorbing states would
    # have rank 0 and pass a looser test too).
    two_closed = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.5, 0.5, 0.0]]
    with pytest.raises(ValidationError, match="more than one stationary") as caught:
        stationary_distribution(two_closed)
    assert caught.value.field == "matrix"


def test_stationary_distribution_of_one_closed_class_with_a_transient_state():
    # State 2 leaks into the closed class {0, 1}, which alternates: pi = (1/2, 1/2, 0).
    chain = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.5, 0.5, 0.0]]
    assert stationary_distribution(chain).tolist() == pytest.approx([0.5, 0.5, 0.0])
    assert np.isclose(stationary_distribution(chain).sum(), 1.0)
