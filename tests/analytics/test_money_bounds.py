"""Money sums at their bounds (issue 13, item 8): exact, or a custpool error naming the figure.

The largest amount a Money holds in KWD (three decimals) is 999 999 999 999 999.999, i.e.
10**18 - 1 fils. Nine such purchases sum to 9 * 10**18 - 9 fils: an int64 holds it
(2**63 - 1 = 9_223_372_036_854_775_807), a Money does not (its amounts stay below 10**15).
"""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from pydantic import ValidationError as PydanticValidationError

from custpool import (
    CustpoolError,
    EventTable,
    Interaction,
    Money,
    State,
    TierSnapshots,
    ValidationError,
    WrongTypeError,
    average_order_value,
    channel_attribution,
    pool_growth,
    pool_kpis,
    revenue_by_state,
    rfm_summary,
    tier_ltv,
)
from custpool._analytics.sums import exact_sum, slice_sums, to_money

MAX_KWD = "999999999999999.999"
FILS = 10**18 - 1  # MAX_KWD in minor units
START = datetime(2026, 1, 1, tzinfo=UTC)


def purchases(count: int, amount: str = MAX_KWD, customer: str = "c-1") -> list[Interaction]:
    return [
        Interaction(
            id=f"{customer}-p{n}",
            customer_id=customer,
            at=START + timedelta(days=n + 1),
            kind="purchase",
            channel="store",
            order_id=f"{customer}-o{n}",
            amount={"amount": amount, "currency": "KWD"},
        )
        for n in range(count)
    ]


def connect(customer: str = "c-1") -> Interaction:
    return Interaction(
        id=f"{customer}-connect",
        customer_id=customer,
        at=START,
        kind="connect",
        direction="inbound",
        channel="wecom_chat",
        source="store",
    )


def nine_max_purchases() -> EventTable:
    table = EventTable.from_interactions([connect(), *purchases(9)])
    assert exact_sum(table.amount) == 9 * FILS == 8_999_999_999_999_999_991
    return table


def two_small_purchases() -> EventTable:
    return EventTable.from_interactions([connect(), *purchases(2, "1.000")])


def assert_custpool_error_naming(info: pytest.ExceptionInfo[ValidationError], field: str) -> None:
    err = info.value
    assert isinstance(err, CustpoolError)
    assert isinstance(err, ValueError)
    assert not isinstance(err, PydanticValidationError)
    assert err.field == field
    assert err.rule.startswith("is more than Money holds")
    assert err.__cause__ is None  # no raw pydantic error chained under it
    assert err.__context__ is None


# --- sums too large for Money: a custpool error naming the figure ---------------------------


def test_an_order_value_total_money_cannot_hold_names_purchase_amount():
    table = nine_max_purchases()
    end = START + timedelta(days=30)
    with pytest.raises(ValidationError) as info:
        average_order_value(table, START, end)
    assert_custpool_error_naming(info, "purchase_amount")
    assert info.value.value == "8999999999999999.991 KWD"  # 9 * (10**18 - 1) fils
    with pytest.raises(ValidationError) as info:
        pool_kpis(table, START, end)
    assert_custpool_error_naming(info, "purchase_amount")
    with pytest.raises(ValidationError) as info:
        pool_growth(table, [START, START + timedelta(days=15), end])
    assert_custpool_error_naming(info, "purchase_amount")


def test_order_values_that_fit_money_are_exact_at_the_bound():
    # 999_999_999_999_999.998 + 0.001 = 999_999_999_999_999.999 KWD, the most Money holds; the
    # average, 999_999_999_999_999_999 / 2 = 499_999_999_999_999_999.5 fils, rounds half to
    # even to 500_000_000_000_000_000 fils. A float64 would have lost the last digits.
    rows = [*purchases(1, "999999999999999.998"), *purchases(1, "0.001", customer="c-2")]
    value = average_order_value(EventTable.from_interactions(rows), START, START + timedelta(30))
    assert value.purchase_amount == Money(amount=MAX_KWD, currency="KWD")
    assert value.average == Money(amount="500000000000000.000", currency="KWD")


def test_a_channel_revenue_money_cannot_hold_names_the_channel():
    with pytest.raises(ValidationError) as info:
        channel_attribution(nine_max_purchases(), START, START + timedelta(days=30))
    assert_custpool_error_naming(info, "store.revenue")


def test_channel_revenue_at_the_bound_is_exact():
    # 999_999_999_999_999.999 + 0.001 would be 10**15 KWD, one fils too many: so a max
    # purchase alone and three of 333_333_333_333_333.333 (9.99... * 10**17 fils in all).
    third = "333333333333333.333"
    rows = [connect(), *purchases(3, third)]
    report = channel_attribution(EventTable.from_interactions(rows), START, START + timedelta(30))
    assert report.row("store").revenue == Money(amount="999999999999999.999", currency="KWD")
    assert report.revenue == report.row("store").revenue  # 3 * 333_333_333_333_333_333 fils


def test_an_rfm_total_money_cannot_hold_is_refused_by_name_not_by_pydantic():
    table = nine_max_purchases()
    summary = rfm_summary(table, START + timedelta(days=30), include_first_transaction=True)
    assert summary.monetary_total.tolist() == [9 * FILS]  # exact, and it fits int64
    assert summary.monetary_value.tolist() == [9 * FILS / 9 / 1000]  # mean of 9 days, in KWD
    with pytest.raises(ValidationError) as info:
        summary.row("c-1")
    assert_custpool_error_naming(info, "monetary_total")


def test_a_mean_revenue_money_cannot_hold_names_the_state():
    # Four max purchases by the one customer, in one period: 4 * (10**18 - 1) fils < 2**62,
    # so revenue_by_state sums them, and the mean per customer-period is that total.
    ends = [START, START + timedelta(days=31)]
    table = EventTable.from_interactions(purchases(4))
    revenue = revenue_by_state(table, TierSnapshots(ends, [[3], [3]]))  # converted (code 3)
    assert revenue.total(State.CONVERTED) == 4 * FILS
    with pytest.raises(ValidationError) as info:
        revenue.mean_money(State.CONVERTED)
    assert_custpool_error_naming(info, "mean[converted]")
    ltv = tier_ltv(table, TierSnapshots(ends, [[3], [3]]), discount_rate=0.1, horizon=1)
    with pytest.raises(ValidationError) as info:
        ltv.money(State.CONVERTED)
    assert_custpool_error_naming(info, "value[converted]")


def test_to_money_refuses_a_figure_that_is_not_finite():
    for bad in (float("inf"), float("-inf")):
        with pytest.raises(ValidationError) as info:
            to_money(bad, "CNY", "value[converted]")
        assert info.value.field == "value[converted]"
    assert to_money(12.5, "CNY", "x") == Money(amount="0.12", currency="CNY")  # half to even
    assert to_money(13.5, "CNY", "x") == Money(amount="0.14", currency="CNY")


# --- exact sums: no wrap-around ---------------------------------------------------------------


def test_exact_sum_does_not_wrap_where_numpy_does():
    amounts = np.array([FILS] * 10, dtype=np.int64)
    assert int(amounts.sum()) < 0  # numpy wraps: 10 * (10**18 - 1) > 2**63 - 1
    assert exact_sum(amounts) == 10 * FILS == 9_999_999_999_999_999_990


def test_slice_sums_are_exact_and_refuse_a_total_int64_cannot_hold():
    amounts = np.array([FILS] * 10 + [5, 7], dtype=np.int64)
    starts, ends = np.array([0, 1, 10]), np.array([9, 10, 12])
    # Nine of them (8_999_999_999_999_999_991) fit int64, whichever nine; 5 + 7 = 12.
    assert slice_sums(amounts, starts, ends, what="spend").tolist() == [9 * FILS, 9 * FILS, 12]
    with pytest.raises(ValidationError) as info:
        slice_sums(
            amounts, np.array([0]), np.array([10]), what="spend", label=lambda k: f"c-{k + 1}"
        )
    assert info.value.field == "spend"
    assert info.value.value == "9999999999999999990 minor units"  # 10 * (10**18 - 1)
    assert "2**63 - 1" in info.value.rule
    assert "c-1" in info.value.rule


def test_slice_sums_of_empty_slices_are_zero():
    amounts = np.array([3, 4], dtype=np.int64)
    assert slice_sums(amounts, np.array([0, 2]), np.array([0, 2]), what="x").tolist() == [0, 0]
    empty = np.array([], dtype=np.intp)
    assert slice_sums(amounts[:0], empty, empty, what="x").tolist() == []


# --- wrong types --------------------------------------------------------------------------------


def test_a_channel_row_of_an_unknown_or_wrong_type_source_is_a_custpool_error():
    report = channel_attribution(two_small_purchases(), START, START + timedelta(30))
    with pytest.raises(ValidationError) as info:
        report.row("shop")
    assert isinstance(info.value, ValueError)
    assert info.value.field == "source"
    with pytest.raises(WrongTypeError) as info:
        report.row({"phone": "13800138000"})  # type: ignore[arg-type]
    assert info.value.field == "source"
    assert "13800138000" not in str(info.value)
    assert report.row("store").customers == 1
