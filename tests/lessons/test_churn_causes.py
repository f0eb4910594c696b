"""churn_causes: churners by the complaint recorded before they left (seed 004)."""

from datetime import timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import at
from custpool import (
    ChurnCauses,
    ComplaintReason,
    EventTable,
    Interaction,
    Money,
    ValidationError,
    Window,
    WrongTypeError,
    churn_causes,
    user_scale,
)
from custpool._time import NO_TIME, to_micros
from engine_helpers import START, pool_histories, table_of
from tiers_helpers import ev

REASONS = tuple(ComplaintReason)
WINDOW = Window(at(30), at(60))


def hand_pool():
    # a: bought 3 times (valuable with the default 2), complained about service on day 35 and
    #    churned on day 40 → cause service, 5 days, valuable.
    # b: bought once (not valuable), complained about price on day 2, churned on day 45:
    #    43 days > 30, so no recorded cause, though b complained.
    # c: no complaint, churned on day 50 → none; connected at the start, not valuable.
    # d: stays (connected at the start, not valuable).
    # e: connected on day 31 (after the start) and churned on day 33 → a churner who was not
    #    connected at the start: counted in the causes, not in the rates. Logistics and quality
    #    complaints at the same instant (day 32): the first reason in order, quality, wins.
    # f: complained about quality on day 20, churned on day 25: before the window, not a churner.
    return [
        ev(0, "connect", "a"),
        ev(1, "purchase", "a"),
        ev(2, "purchase", "a"),
        ev(3, "purchase", "a"),
        ev(35, "complaint", "a", complaint_reason="service"),
        ev(40, "churn", "a"),
        ev(0, "connect", "b"),
        ev(1, "purchase", "b"),
        ev(2, "complaint", "b", complaint_reason="price"),
        ev(45, "churn", "b"),
        ev(0, "connect", "c"),
        ev(50, "churn", "c"),
        ev(0, "connect", "d"),
        ev(31, "connect", "e"),
        ev(32, "complaint", "e", complaint_reason="logistics"),
        ev(32, "complaint", "e", complaint_reason="quality"),
        ev(33, "churn", "e"),
        ev(0, "connect", "f"),
        ev(20, "complaint", "f", complaint_reason="quality"),
        ev(25, "churn", "f"),
    ]


def test_hand_checked_causes():
    causes = churn_causes(EventTable.from_interactions(hand_pool()), WINDOW)
    assert causes.customer_ids == ("a", "b", "c", "e")
    counts = causes.counts()
    assert counts[ComplaintReason.SERVICE] == 1  # a
    assert counts[ComplaintReason.QUALITY] == 1  # e (quality beats logistics at one instant)
    assert counts[ComplaintReason.PRICE] == 0  # b's price complaint is 43 days old
    assert counts[None] == 2  # b, c
    assert sum(counts.values()) == 4
    # complained at all: a, b, e → 3 of 4
    assert causes.complained_share == pytest.approx(3 / 4)
    # days from the last complaint: a 40 - 35 = 5, b 45 - 2 = 43, c none, e 33 - 32 = 1
    assert causes.days_to_churn[:2].tolist() == [5.0, 43.0]
    assert np.isnan(causes.days_to_churn[2])
    assert causes.days_to_churn[3] == 1.0
    # median over those with a cause (a 5, e 1) = 3
    assert causes.median_days_to_churn == 3.0
    # connected at day 30: a, b, c, d (e joined later, f left on day 25) → 4; valuable: a
    assert (causes.connected_at_start, causes.valuable_at_start) == (4, 1)
    # churned of them: a, b, c → 3; valuable: a → 1/1; the rest: b, c of b, c, d → 2/3
    assert (causes.churned_connected, causes.churned_valuable) == (3, 1)
    assert causes.valuable_churn_rate == 1.0
    assert causes.other_churn_rate == pytest.approx(2 / 3)
    assert causes.valuable.tolist() == [True, False, False, False]


def test_report_and_frame():
    causes = churn_causes(EventTable.from_interactions(hand_pool()), WINDOW)
    assert repr(causes) == "ChurnCauses(4 churners, 2 with a recorded cause)"
    text = str(causes)
    lines = [line.split() for line in text.splitlines()]
    assert ["service", "1", "25.0%"] in lines  # 1 of 4 churners
    assert ["none", "recorded", "2", "50.0%"] in lines  # 2 of 4
    assert "complaint to churn, median days: 3.0" in text
    assert "churn rate of the valuable: 100.0% (1 of 1)" in text
    assert "churn rate of the rest: 66.7% (2 of 3)" in text  # 2 / 3
    zh = causes.to_text("zh")
    assert ["服务", "1", "25.0%"] in [line.split() for line in zh.splitlines()]
    assert "其他客户流失率: 66.7% （3 人中 2 人）" in zh
    frame = causes.to_frame("pyarrow", tz="Asia/Shanghai")
    assert frame.column_names == [
        "customer_id",
        "churned_at",
        "cause",
        "cause_zh",
        "last_complaint_at",
        "days_to_churn",
        "valuable",
    ]
    rows = frame.to_pylist()
    assert [r["cause"] for r in rows] == ["service", "none", "none", "quality"]
    assert [r["cause_zh"] for r in rows] == ["服务", "未记录", "未记录", "质量"]
    assert rows[2]["last_complaint_at"] is None
    assert rows[2]["days_to_churn"] is None
    assert rows[1]["days_to_churn"] == 43.0
    # day 40 after T0 (2026-03-01 12:00 UTC) is 2026-04-10 12:00 UTC, 20:00 in Shanghai
    assert str(rows[0]["churned_at"]) == "2026-04-10 20:00:00+08:00"


def test_lookback_and_valuable_are_configurable():
    table = EventTable.from_interactions(hand_pool())
    # 50 days of look-back: b's price complaint (43 days before) becomes b's cause
    longer = churn_causes(table, WINDOW, lookback=timedelta(days=50))
    assert longer.counts()[ComplaintReason.PRICE] == 1
    assert longer.counts()[None] == 1
    # the look-back is half-open: exactly 43 days excludes the day-2 complaint
    edge = churn_causes(table, WINDOW, lookback=timedelta(days=43))
    assert edge.counts()[ComplaintReason.PRICE] == 0
    # valuable by revenue: a spent 3 × 10 = 30 CNY, b 10 CNY; a threshold of 10 takes both
    by_money = churn_causes(
        table, WINDOW, min_purchases=None, min_net_revenue=Money(amount="10", currency="CNY")
    )
    assert by_money.valuable_at_start == 2
    assert by_money.valuable_churn_rate == 1.0  # a and b both churned
    assert by_money.other_churn_rate == 0.5  # c of c, d
    # one purchase is enough: a and b valuable, as by money
    assert churn_causes(table, WINDOW, min_purchases=1).valuable_at_start == 2


def test_refunds_lower_net_revenue():
    history = [
        ev(0, "connect"),
        ev(1, "purchase", order_id="o-r", amount={"amount": "50", "currency": "CNY"}),
        Interaction(
            id="i-refund",
            customer_id="c-1",
            at=at(2),
            kind="refund",
            order_id="o-r",
            amount={"amount": "45", "currency": "CNY"},
            channel="store",
            direction="outbound",
        ),
        ev(40, "churn"),
    ]
    table = EventTable.from_interactions(history)
    # 50 - 45 = 5 CNY < 6 CNY: not valuable; >= 5 CNY: valuable
    assert (
        churn_causes(
            table, WINDOW, min_purchases=None, min_net_revenue=Money(amount="6", currency="CNY")
        ).valuable_at_start
        == 0
    )
    assert (
        churn_causes(
            table, WINDOW, min_purchases=None, min_net_revenue=Money(amount="5", currency="CNY")
        ).valuable_at_start
        == 1
    )


def test_no_churners():
    table = EventTable.from_interactions([ev(0, "connect")])
    causes = churn_causes(table, WINDOW)
    assert len(causes) == 0
    assert causes.complained_share is None
    assert causes.median_days_to_churn is None
    assert causes.other_churn_rate == 0.0
    assert causes.valuable_churn_rate is None
    assert "0 churners" in str(causes)


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"lookback": 30}, WrongTypeError, "lookback"),
        ({"lookback": timedelta(0)}, ValidationError, "lookback"),
        ({"min_purchases": 0}, ValidationError, "min_purchases"),
        ({"min_purchases": 1.5}, WrongTypeError, "min_purchases"),
        ({"min_purchases": None}, ValidationError, "min_purchases"),
        ({"min_net_revenue": 100}, WrongTypeError, "min_net_revenue"),
        (
            {"min_net_revenue": Money(amount="1", currency="USD")},
            ValidationError,
            "min_net_revenue",
        ),
    ],
)
def test_bad_arguments_are_named(kwargs, error, field):
    table = EventTable.from_interactions(hand_pool())
    with pytest.raises(error) as raised:
        churn_causes(table, WINDOW, **kwargs)
    assert raised.value.field == field


def test_bad_table_and_window():
    with pytest.raises(WrongTypeError, match="table"):
        churn_causes([], WINDOW)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="end"):
        churn_causes(EventTable.from_interactions(hand_pool()), at(0))


def oracle(pool, window, lookback):
    """Each churner's cause, straight from the interactions (no arrays)."""
    out = {}
    for cid, history in pool.items():
        churns = [i.at for i in history if i.kind == "churn" and window.start < i.at <= window.end]
        if not churns:
            continue
        left = max(churns)
        complaints = [i for i in history if i.kind == "complaint" and i.at <= left]
        cause = None
        if complaints:
            latest = max(i.at for i in complaints)
            if latest > left - lookback:
                tied = [i.complaint_reason for i in complaints if i.at == latest]
                cause = min(tied, key=REASONS.index)
        out[cid] = (left, cause, bool(complaints))
    return out


WINDOWS = st.tuples(st.integers(-10, 400), st.integers(1, 200)).map(
    lambda p: Window(START + timedelta(days=p[0]), START + timedelta(days=p[0] + p[1]))
)


@settings(max_examples=120, deadline=None)
@given(
    pool=pool_histories(max_customers=5, grid=timedelta(days=5)),
    window=WINDOWS,
    lookback=st.sampled_from([timedelta(days=5), timedelta(days=30), timedelta(days=400)]),
)
def test_causes_partition_the_churners_and_match_the_oracle(pool, window, lookback):
    table = table_of(pool)
    causes = churn_causes(table, window, lookback=lookback)
    # the causes partition the churners, who are user_scale's churning customers
    assert sum(causes.counts().values()) == len(causes)
    assert len(causes) == user_scale(table, window).churning_customers
    expected = oracle(pool, window, lookback)
    assert set(causes.customer_ids) == set(expected)
    for k, cid in enumerate(causes.customer_ids):
        left, cause, complained = expected[cid]
        assert int(causes.churned_at[k]) == to_micros(left)
        code = int(causes.cause[k])
        assert (None if code < 0 else REASONS[code]) is cause, cid
        assert (int(causes.last_complaint[k]) != NO_TIME) is complained
    # the rates are shares of their populations
    assert 0 <= causes.churned_valuable <= causes.valuable_at_start <= causes.connected_at_start
    assert causes.churned_valuable <= causes.churned_connected <= causes.connected_at_start


@settings(max_examples=60, deadline=None)
@given(pool=pool_histories(max_customers=5), window=WINDOWS, data=st.data())
def test_does_not_depend_on_input_order(pool, window, data):
    rows = [i for history in pool.values() for i in history]
    shuffled = data.draw(st.permutations(rows))
    first = churn_causes(EventTable.from_interactions(rows, customers=list(pool)), window)
    second = churn_causes(EventTable.from_interactions(shuffled, customers=list(pool)), window)
    assert first.customer_ids == second.customer_ids
    assert first.cause.tolist() == second.cause.tolist()
    assert first.counts() == second.counts()
    assert isinstance(first, ChurnCauses)


def test_the_longest_lookback_reaches_every_earlier_complaint():
    # issue found while writing: timedelta.max overflowed int64 in churn - lookback
    table = EventTable.from_interactions(hand_pool())
    longest = churn_causes(table, WINDOW, lookback=timedelta.max)
    assert longest.counts()[ComplaintReason.PRICE] == 1  # b's 43-day-old complaint
    assert longest.counts()[None] == 1  # c never complained
    far = churn_causes(table, Window(at(-700_000), at(2_900_000)), lookback=timedelta.max)
    assert len(far) == 5  # a, b, c, e and f: every churner
