"""KPIs by operator or group: owners partition the customers, so every count sums to the whole.

The strongest check: each part's KPIs equal :func:`pool_kpis` of a table holding only that
part's customers (the plain, one-table path), on drawn pools with operators and groups.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custpool import (
    EventTable,
    Interaction,
    Money,
    ValidationError,
    Window,
    WrongTypeError,
    activity_rate,
    average_order_value,
    conversion_rate,
    net_promoter_score,
    pool_funnel,
    pool_kpis,
    repurchase_rate,
    user_scale,
)
from custpool._engine import owners
from engine_helpers import pool_histories, table_of

START = datetime(2026, 1, 1, tzinfo=UTC)


def counts(k):
    aov = k.order_value
    return (
        k.scale.connected,
        k.scale.connects,
        k.activity.active,
        k.conversion.converted,
        aov.purchases,
        aov.refunds,
        k.repurchase.buyers,
        k.repurchase.repeat_buyers,
        k.net_promoter.respondents,
    )


def only(table, keep_customer):
    """The table of the rows of the customers in ``keep_customer`` (every id list kept)."""
    keep = keep_customer[table.customer]
    columns = {name: table.column(name)[keep] for name in EventTable.COLUMNS}
    return EventTable.from_arrays(
        **columns,
        customer_ids=table.customer_ids,
        item_ids=table.item_ids,
        operator_ids=table.operator_ids,
        group_ids=table.group_ids,
        currency=table.currency,
    )


@settings(max_examples=60, deadline=None)
@given(
    pool=pool_histories(grid=timedelta(days=5)),
    a=st.integers(0, 80),
    span=st.integers(1, 40),
    by=st.sampled_from(["operator", "group"]),
)
def test_each_part_is_pool_kpis_of_its_customers_and_counts_sum(pool, a, span, by):
    table = table_of(pool)
    window = Window(START + timedelta(days=5 * a), START + timedelta(days=5 * (a + span)))
    result = pool_kpis(table, window, by=by)
    assert result.whole == pool_kpis(table, window)
    owner = owners(table, window.end_us, by)
    ids = table.operator_ids if by == "operator" else table.group_ids
    for key, kpis in result.parts.items():
        assert kpis == pool_kpis(only(table, owner == ids.index(key)), window)
    if result.unassigned is not None:
        assert result.unassigned == pool_kpis(only(table, owner < 0), window)
    else:
        assert (owner >= 0).all()
    parts = [*result.parts.values(), *([result.unassigned] if result.unassigned else [])]
    summed = [sum(values) for values in zip(*(counts(k) for k in parts), strict=True)]
    assert summed == list(counts(result.whole))


def test_owner_is_the_latest_connects_operator():
    t0 = START

    def ev(n, cid, kind, day, **more):
        return Interaction(
            id=f"i-{n}",
            customer_id=cid,
            at=t0 + timedelta(days=day),
            kind=kind,
            channel="wecom_chat",
            direction="inbound",
            **more,
        )

    rows = [
        ev(1, "a", "connect", 0, source="store", operator_id="op-1"),
        ev(2, "a", "churn", 1, churn_reason="deleted"),
        ev(3, "a", "connect", 2, source="store", operator_id="op-2"),  # won back by op-2
        ev(4, "b", "connect", 0, source="store"),  # nobody named: unassigned
        ev(5, "c", "message", 1),  # never connected: a prospect, unassigned
    ]
    by = pool_kpis(EventTable.from_interactions(rows), t0, t0 + timedelta(days=5), by="operator")
    assert list(by.parts) == ["op-2"]
    assert by.parts["op-2"].scale.connected == 1  # a
    assert by.unassigned is not None
    assert by.unassigned.scale.connected == 1  # b
    # before the win-back, a is op-1's (and churned)
    early = pool_kpis(EventTable.from_interactions(rows), t0, t0 + timedelta(days=1), by="operator")
    assert list(early.parts) == ["op-1"]
    assert early.parts["op-1"].scale.connected == 0
    assert "op-1: pool KPIs" in str(early)


def test_the_table_must_be_a_table_and_by_a_known_split():
    with pytest.raises(WrongTypeError, match="table"):
        pool_kpis("events.csv", START, START + timedelta(days=1), by="group")  # type: ignore[call-overload]
    table = EventTable.from_interactions([], customers=["a"])
    with pytest.raises(ValidationError, match=r"by='store'.*'operator' or 'group'"):
        pool_kpis(table, START, START + timedelta(days=1), by="store")  # type: ignore[call-overload]


@pytest.mark.parametrize("backend", ["pandas", "polars", "pyarrow"])
def test_the_frame_stacks_each_parts_kpi_rows(backend):
    rows = [
        Interaction(
            id=f"i-{n}",
            customer_id=cid,
            at=START + timedelta(days=day),
            kind=kind,
            channel="wecom_chat",
            direction="inbound",
            **more,
        )
        for n, (cid, kind, day, more) in enumerate(
            [
                ("a", "connect", 0, {"source": "store", "operator_id": "op-1"}),
                ("b", "connect", 0, {"source": "store", "operator_id": "op-2"}),
                ("c", "connect", 0, {"source": "store"}),
                ("a", "message", 1, {}),
            ]
        )
    ]
    by = pool_kpis(
        EventTable.from_interactions(rows), START, START + timedelta(days=3), by="operator"
    )
    frame = by.to_frame(backend)
    table = frame if backend == "pyarrow" else None
    records = (
        table.to_pylist()
        if table is not None
        else frame.to_dicts()
        if backend == "polars"
        else frame.to_dict("records")
    )
    per_part = len(by.whole.to_frame("pyarrow"))
    # op-1, op-2, unassigned (c) and the whole: four parts of the same KPI rows each
    assert len(records) == 4 * per_part

    def operator(record):  # pandas shows a null string as NA
        return record["id"] if isinstance(record["id"], str) else None

    activity = {
        (r["part"], operator(r)): r["value"] for r in records if r["kpi"] == "activity_rate"
    }
    # a took part (1 of 1); b and c only joined (0 of 1); the whole: 1 of 3
    assert activity[("operator", "op-1")] == 1.0
    assert activity[("operator", "op-2")] == 0.0
    assert activity[("whole", None)] == pytest.approx(1 / 3)


SINGLE = {
    "scale": user_scale,
    "activity": activity_rate,
    "conversion": conversion_rate,
    "order_value": average_order_value,
    "repurchase": repurchase_rate,
    "net_promoter": net_promoter_score,
    "funnel": pool_funnel,
}


@settings(max_examples=25, deadline=None)
@given(pool=pool_histories(), by=st.sampled_from(["operator", "group"]))
def test_every_kpi_function_takes_by_and_agrees_with_pool_kpis(pool, by):
    table = table_of(pool)
    window = Window(START, START + timedelta(days=200))
    whole = pool_kpis(table, window, by=by)
    for field, function in SINGLE.items():
        one = function(table, window, by=by)
        assert one.by == by
        assert one.whole == function(table, window) == getattr(whole.whole, field)
        assert one.parts == {key: getattr(k, field) for key, k in whole.parts.items()}
        unassigned = None if whole.unassigned is None else getattr(whole.unassigned, field)
        assert one.unassigned == unassigned


def ev(n, cid, kind, day, **more):
    return Interaction(
        id=f"i-{n:02d}",
        customer_id=cid,
        at=START + timedelta(days=day),
        kind=kind,
        channel=more.pop("channel", "wecom_chat"),
        direction=more.pop("direction", "inbound"),
        **more,
    )


def test_kpis_by_group_by_hand():
    rows = [
        # g-tea: a and b join on day 0; a posts on day 2 and buys twice (100.00 + 50.00)
        ev(1, "a", "connect", 0, source="content", group_id="g-tea"),
        ev(2, "b", "connect", 0, source="content", group_id="g-tea"),
        ev(3, "a", "group_post", 2, group_id="g-tea", channel="customer_group"),
        ev(4, "a", "purchase", 3, order_id="o-1", amount=Money(amount="100.00", currency="CNY")),
        ev(5, "a", "purchase", 4, order_id="o-2", amount=Money(amount="50.00", currency="CNY")),
        # c joined g-tea on day 0, then moved: its latest connect (day 1) is into g-cake
        ev(6, "c", "connect", 0, source="content", group_id="g-tea"),
        ev(7, "c", "connect", 1, source="content", group_id="g-cake"),
        ev(8, "c", "nps", 3, score=10),
        # d: added 1:1, no group — unassigned; the brand's message is not d acting
        ev(9, "d", "connect", 0, source="store"),
        ev(10, "d", "message", 2, direction="outbound"),
    ]
    table = EventTable.from_interactions(rows)
    by = pool_kpis(table, START, START + timedelta(days=7), by="group")
    assert list(by.parts) == ["g-cake", "g-tea"]
    tea, cake = by.parts["g-tea"], by.parts["g-cake"]
    assert tea.scale.connected == 2  # a, b (c's latest connect is into g-cake)
    assert tea.activity.active == 1  # a posted; b only joined
    assert tea.activity_rate == 0.5  # 1 / 2
    assert tea.order_value.purchase_amount is not None
    assert str(tea.order_value.purchase_amount) == "150.00 CNY"  # 100.00 + 50.00
    assert tea.repurchase.repeat_buyers == 1  # a bought twice
    assert cake.scale.connected == 1
    # c's day-0 connect is at the window's start, outside (start, end]; day 1's counts, in g-cake
    assert cake.scale.connects == 1
    assert tea.scale.connects == 0
    assert cake.net_promoter.score == 100.0  # one promoter of one respondent
    assert by.unassigned is not None
    assert by.unassigned.activity.active == 0  # d: only the brand spoke
    assert by.whole.activity.active == 2  # a (post), c (nps answer): 1 + 1 + 0
    assert by.whole.scale.connected == 4  # 2 + 1 + 1


def test_a_part_with_no_customers_is_left_out_and_nobody_unassigned_gives_none():
    rows = [
        ev(1, "a", "connect", 0, source="content", operator_id="op-1"),
        ev(2, "a", "message", 1, operator_id="op-2"),  # op-2 served a row, owns nobody
    ]
    by = pool_kpis(
        EventTable.from_interactions(rows), START, START + timedelta(days=3), by="operator"
    )
    assert list(by.parts) == ["op-1"]
    assert by.unassigned is None
    assert "(unassigned)" not in str(by)


def test_map_projects_every_part():
    rows = [ev(1, "a", "connect", 0, source="content", operator_id="op-1")]
    by = pool_kpis(
        EventTable.from_interactions(rows), START, START + timedelta(days=3), by="operator"
    )
    connected = by.map(lambda k: k.scale.connected)
    assert (connected.whole, connected.parts, connected.unassigned) == (1, {"op-1": 1}, None)


def test_money_sums_per_part_are_exact_beyond_float():
    # 9007199254740993 minor units: 2**53 + 1, which no float holds
    big = Money(amount="9007199254740.993", currency="KWD")
    rows = [
        ev(1, "a", "connect", 0, source="content", operator_id="op-1"),
        ev(2, "a", "purchase", 1, order_id="o-1", amount=big),
        ev(3, "a", "purchase", 2, order_id="o-2", amount=Money(amount="0.002", currency="KWD")),
    ]
    by = pool_kpis(
        EventTable.from_interactions(rows), START, START + timedelta(days=3), by="operator"
    )
    amount = by.parts["op-1"].order_value.purchase_amount
    assert amount is not None
    assert amount.minor_units == 2**53 + 1 + 2
    assert np.int64(2**53 + 3) == amount.minor_units
