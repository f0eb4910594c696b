"""EventTable.from_frame: values as users have them, converted exactly, alike on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from custpool import (
    Channel,
    EventTable,
    Interaction,
    InteractionKind,
    ValidationError,
    WrongTypeError,
)
from custpool._engine.codes import KIND_CODE
from engine_helpers import pool_histories, table_of

SHANGHAI = "Asia/Shanghai"
T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
US = 1_000_000
T0_US = int(T0.timestamp()) * US


def same(a: EventTable, b: EventTable) -> None:
    for name in EventTable.COLUMNS:
        assert getattr(a, name).tolist() == getattr(b, name).tolist(), name
    assert list(a.customer_ids) == list(b.customer_ids)
    assert list(a.item_ids) == list(b.item_ids)
    assert list(a.operator_ids) == list(b.operator_ids)
    assert list(a.group_ids) == list(b.group_ids)
    assert a.currency == b.currency


def orders(**extra: Any) -> pd.DataFrame:
    data = {
        "customer_id": ["c-2", "c-1", "c-1"],
        "at": pd.to_datetime(["2026-03-01 10:00", "2026-03-02 09:30", "2026-03-05 20:00"]),
        "amount": [51.23, 0.0, 19.9],
    }
    data.update(extra)
    frame = pd.DataFrame(data)
    if isinstance(frame["at"].dtype, np.dtype) and frame["at"].dtype.kind == "M":
        frame["at"] = frame["at"].dt.tz_localize(SHANGHAI)
    return frame


def purchases(frame: object, **options: Any) -> EventTable:
    options.setdefault("kind", "purchase")
    options.setdefault("currency", "CNY")
    return EventTable.from_frame(frame, **options)


# -- amounts -----------------------------------------------------------------------------------


def test_float_yuan_become_exact_fen_and_a_free_order_is_kept():
    table = purchases(orders())
    # table order: c-1 (0.00 then 19.90), c-2 (51.23); 19.9 * 100 = 1990 exactly by shortest repr
    assert table.amount.tolist() == [0, 1990, 5123]
    assert table.customer_ids[:] == ("c-1", "c-2")


@pytest.mark.parametrize(
    ("value", "rounding", "fen"),
    [
        (0.125, "half_even", 12),  # 12.5 fen: the even neighbour is 12
        (0.125, "half_up", 13),
        (0.135, "half_even", 14),  # repr '0.135' is read as 13.5 fen (not the binary 0.13499…)
        (1.005, "half_up", 101),  # repr '1.005': 100.5 fen rounds up to 101
    ],
)
def test_rounding_is_applied_to_the_shortest_repr(value: float, rounding: str, fen: int):
    table = purchases(orders(amount=[value, 1.0, 1.0]), rounding=rounding)
    assert table.amount.tolist()[-1] == fen  # c-2's row sorts last


def test_an_amount_with_too_many_decimals_is_refused_without_rounding():
    with pytest.raises(ValidationError, match=r"amount\[1\]=0.30000000000000004: has more"):
        purchases(orders(amount=[1.0, 0.1 + 0.2, 1.0]))


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        ([Decimal("51.23"), Decimal(0), Decimal("19.90")], pa.decimal128(10, 2)),
        (["51.23", "0", " 19.9 "], pa.string()),
    ],
)
def test_decimals_strings_and_floats_give_the_same_fen(values: list[Any], kind: Any):
    frame = pa.table(
        {
            "customer_id": ["c-2", "c-1", "c-1"],
            "at": pa.array([T0, T0 + timedelta(days=1), T0 + timedelta(days=4)]),
            "amount": pa.array(values, type=kind),
        }
    )
    assert purchases(frame).amount.tolist() == [0, 1990, 5123]


def test_yen_have_no_minor_digits_and_minor_units_are_taken_as_they_are():
    frame = orders(amount=[500, 0, 1200])
    assert purchases(frame, currency="JPY").amount.tolist() == [0, 1200, 500]
    # amounts="minor": 5123 fen given as integers, no scaling
    frame = orders(amount=[5123, 0, 1990])
    assert purchases(frame, amounts="minor").amount.tolist() == [0, 1990, 5123]
    with pytest.raises(ValidationError, match=r"amount\[1\]=0.5: must be a whole number"):
        purchases(orders(amount=[1.0, 0.5, 1.0]), amounts="minor")


def test_a_currency_column_with_one_currency_is_the_tables():
    table = EventTable.from_frame(orders(currency=["cny", "CNY", None]), kind="purchase")
    assert table.currency == "CNY"


def test_a_column_with_no_value_at_all_is_an_empty_column():
    # custpool.dask.table_frame of a table without amounts has an empty categorical currency
    # column (pyarrow: a dictionary of nulls); pandas types an all-None categorical as float.
    # A column with no value is read as absent, whatever type it was given.
    frame = orders(amount=[None, None, None], currency=pd.Categorical([None, None, None]))
    frame["amount"] = frame["amount"].astype("Int64")
    table = EventTable.from_frame(frame, kind="message", direction="inbound")
    assert table.currency is None
    assert len(table.time) == 3
    same(
        table,
        EventTable.from_frame(
            frame.drop(columns=["amount", "currency"]), kind="message", direction="inbound"
        ),
    )


def test_several_currencies_need_currency_to_choose():
    frame = orders(currency=["CNY", "USD", "CNY"])
    with pytest.raises(ValidationError, match=r"currency='CNY, USD': a table holds one"):
        EventTable.from_frame(frame, kind="purchase")
    with pytest.raises(ValidationError, match=r"currency\[1\]='USD': must be the table's one"):
        EventTable.from_frame(frame, kind="purchase", currency="CNY")


# -- times -------------------------------------------------------------------------------------


def test_aware_times_of_any_unit_and_zone_are_the_same_instant():
    at = orders()["at"]
    for unit in ("s", "ms", "us", "ns"):
        frame = orders(
            at=at.dt.tz_convert("America/New_York").astype(f"datetime64[{unit}, America/New_York]")
        )
        table = purchases(frame)
        # c-1's first order: 2026-03-02 09:30 in Shanghai = 01:30 UTC
        assert table.time[0] == T0_US + (23 * 3600 + 30 * 60) * US, unit


def test_naive_times_need_their_zone():
    frame = orders()
    frame["at"] = frame["at"].dt.tz_localize(None)
    with pytest.raises(ValidationError, match="holds times without a zone: pass timezone="):
        purchases(frame)
    table = purchases(frame, timezone=SHANGHAI)
    assert table.time[-1] == T0_US  # c-2 at 10:00 in Shanghai is 02:00 UTC


def test_a_local_time_a_clock_change_repeats_is_refused():
    # New York fell back at 2026-11-01 02:00: 01:30 happened twice
    frame = pd.DataFrame(
        {
            "customer_id": ["c-1", "c-1"],
            "at": pd.to_datetime(["2026-11-01 01:30", "2026-11-01 03:00"]),
        }
    )
    with pytest.raises(ValidationError, match=r"at\[0\]='2026-11-01T01:30:00': is not one instant"):
        EventTable.from_frame(frame, kind="store_visit", timezone="America/New_York")


def test_iso_strings_with_and_without_offsets():
    frame = pa.table(
        {
            "customer_id": ["c-1", "c-1", "c-1"],
            "at": ["2026-03-01T10:00:00+08:00", "2026-03-01 02:00:00Z", "2026-03-01 10:00"],
        }
    )
    table = EventTable.from_frame(frame, kind="store_visit", timezone=SHANGHAI)
    assert table.time.tolist() == [T0_US] * 3
    with pytest.raises(ValidationError, match=r"at\[2\]='2026-03-01 10:00': has no UTC offset"):
        EventTable.from_frame(frame, kind="store_visit")


def test_times_finer_than_a_microsecond_are_refused_with_the_fix():
    frame = orders(at=orders()["at"] + pd.Timedelta(nanoseconds=1))
    with pytest.raises(ValidationError, match=r"finer than a microsecond.*dt.floor\('us'\)"):
        purchases(frame)


@pytest.mark.parametrize(
    ("values", "match"),
    [
        ([1772330400, 1772330400, 1772330400], "a number is never read as a time"),
        ([T0.date()] * 3, "not dates"),
    ],
)
def test_numbers_and_dates_are_not_times(values: list[Any], match: str):
    with pytest.raises(WrongTypeError, match=match):
        purchases(orders(at=values))


def test_bad_time_strings_are_named():
    frame = pa.table({"customer_id": ["c-1", "c-1"], "at": ["2026-13-01T00:00:00Z", "soon"]})
    with pytest.raises(ValidationError, match=r"at\[0\]='2026-13-01T00:00:00Z': must be an ISO"):
        EventTable.from_frame(frame, kind="store_visit")


# -- labels and ids ----------------------------------------------------------------------------


def test_labels_in_any_case_in_chinese_and_in_out():
    frame = pl.DataFrame(
        {
            "customer_id": ["c-1"] * 4,
            "at": [T0 + timedelta(hours=h) for h in range(4)],
            "kind": ["Message", "消息", "message", "MESSAGE"],
            "direction": ["in", "OUT", "品牌发起", "peer"],
            "channel": ["WeCom_Chat", "企业微信私聊", "wecom_chat", "wecom_chat"],
        }
    )
    table = EventTable.from_frame(frame)
    assert table.kind.tolist() == [KIND_CODE[InteractionKind.MESSAGE]] * 4
    assert table.direction.tolist() == [0, 1, 1, 2]


def test_an_unknown_label_names_the_choices():
    frame = orders(kind=["purchase", "gift", "purchase"])
    with pytest.raises(ValidationError, match=r"kind\[1\]='gift': must be one of .*purchase"):
        EventTable.from_frame(frame, currency="CNY")


def test_integer_customer_ids_are_ids_and_customers_sort_as_strings():
    frame = orders(customer_id=[10, 9, 9])
    table = purchases(frame)
    assert table.customer_ids[:] == ("10", "9")  # "10" < "9" as strings, as from_interactions


def test_an_invalid_id_and_an_empty_cell_are_named():
    with pytest.raises(ValidationError, match=r"customer_id\[1\]='c 1': an id must be"):
        purchases(orders(customer_id=["c-2", "c 1", "c-1"]))
    with pytest.raises(ValidationError, match=r"customer_id\[0\]=None: is required"):
        purchases(orders(customer_id=[None, "c-1", "c-1"]))


def test_missing_columns_and_conflicting_constants_are_explained():
    with pytest.raises(ValidationError, match=r"needs a column for 'kind'.*kind='purchase'"):
        EventTable.from_frame(orders(), currency="CNY")
    frame = orders(kind=["purchase"] * 3)
    with pytest.raises(ValidationError, match=r"kind='purchase': the frame has a 'kind' column"):
        EventTable.from_frame(frame, kind="purchase", currency="CNY")
    table = EventTable.from_frame(frame, kind="purchase", currency="CNY", columns={"kind": None})
    assert len(table) == 3
    with pytest.raises(ValidationError, match=r"columns\['at'\]='when': must name a column"):
        purchases(orders(), columns={"at": "when"})


# -- generated order ids -----------------------------------------------------------------------


def test_generated_order_ids_come_from_content_and_not_from_row_order():
    frame = orders(
        customer_id=["c-1", "c-1", "c-1"], at=[orders()["at"][0]] * 3, amount=[1.0, 2.0, 1.0]
    )
    table = purchases(frame)
    # three orders of c-1 at one instant (02:00 UTC): the 2nd and 3rd get #1 and #2
    assert list(table.item_ids) == [
        "c-1@2026-03-01T02:00:00Z",
        "c-1@2026-03-01T02:00:00Z#1",
        "c-1@2026-03-01T02:00:00Z#2",
    ]
    assert table.amount.tolist() == [100, 100, 200]
    same(table, purchases(frame.iloc[[2, 0, 1]]))


def test_generated_order_ids_round_trip_through_interactions():
    table = purchases(orders())
    rebuilt = EventTable.from_interactions(list(table.interactions()))
    assert sorted(rebuilt.item_ids) == sorted(table.item_ids)
    assert rebuilt.amount.tolist() == table.amount.tolist()


# -- every backend, and equal to the object path -----------------------------------------------


def as_frame(rows: list[Interaction]) -> pa.Table:
    def money(r: Interaction) -> str | None:
        return None if r.amount is None else str(r.amount.amount)

    columns: dict[str, Any] = {
        "customer_id": [r.customer_id for r in rows],
        "at": pa.array([r.at for r in rows], pa.timestamp("us", "UTC")),
        "kind": [r.kind.value for r in rows],
        "direction": [r.direction.value for r in rows],
        "channel": [r.channel.value for r in rows],
    }
    for name in ("source", "churn_reason", "complaint_reason"):
        columns[name] = [None if getattr(r, name) is None else getattr(r, name).value for r in rows]
    for name in ("order_id", "event_id", "content_id", "referred_id", "operator_id", "group_id"):
        columns[name] = [getattr(r, name) for r in rows]
    columns["amount"] = pa.array([money(r) for r in rows], pa.string())
    columns["currency"] = [None if r.amount is None else r.amount.currency for r in rows]
    columns["score"] = pa.array([r.score for r in rows], pa.int64())
    return pa.table(columns)


@settings(max_examples=60, deadline=None)
@given(pool=pool_histories(), seed=st.integers(0, 2**32 - 1))
def test_a_frame_of_interactions_gives_the_table_of_the_objects(pool, seed):
    rows = [i for history in pool.values() for i in history]
    rows = [rows[k] for k in np.random.default_rng(seed).permutation(len(rows))]
    expected = table_of(pool)
    assert len({r.id for r in rows}) == len(rows)
    frame = as_frame(rows)
    currency = expected.currency
    got = EventTable.from_frame(frame, customers=list(pool), currency=currency)
    same(got, expected)


@pytest.mark.parametrize("backend", ["pandas", "polars", "pyarrow"])
def test_every_backend_gives_one_table(backend: str):
    frame = orders(channel=["tmall", "JD", "天猫"])
    native = {
        "pandas": frame,
        "polars": pl.from_pandas(frame),
        "pyarrow": pa.Table.from_pandas(frame),
    }
    table = purchases(native[backend])
    same(table, purchases(frame))
    tmall, jd = list(Channel).index(Channel.TMALL), list(Channel).index(Channel.JD)
    assert table.channel.tolist() == [jd, tmall, tmall]  # c-1: JD, 天猫 (tmall); c-2: tmall


def test_the_frame_need_not_be_a_dict():
    with pytest.raises(WrongTypeError, match="frame=<dict>"):
        EventTable.from_frame({"customer_id": ["c-1"]}, kind="purchase")


# -- concat ------------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(pool=pool_histories(), cut=st.integers(0, 100), seed=st.integers(0, 2**32 - 1))
def test_concat_of_parts_is_the_table_of_the_whole(pool, cut, seed):
    rows = [i for history in pool.values() for i in history]
    rows = [rows[k] for k in np.random.default_rng(seed).permutation(len(rows))]
    cut = cut % (len(rows) + 1)
    parts = [rows[:cut], rows[cut:]]
    tables = [EventTable.from_interactions(p, customers=list(pool)) for p in parts if p]
    assume(tables)  # a pool of no rows has no part to concatenate
    same(EventTable.concat(tables), table_of(pool))
    same(EventTable.concat(tables[::-1]), table_of(pool))


def test_concat_refuses_two_currencies():
    cny = purchases(orders())
    usd = purchases(orders(), currency="USD")
    with pytest.raises(ValidationError, match="tables='CNY, USD': a table holds one currency"):
        EventTable.concat([cny, usd])


def test_categorical_columns_read_as_their_values():
    frame = pl.DataFrame(
        {
            "customer_id": ["c-2", "c-1"],
            "at": [T0, T0],
            "kind": ["store_visit", "store_visit"],
        }
    ).with_columns(pl.col("customer_id", "kind").cast(pl.Categorical))
    table = EventTable.from_frame(frame)
    assert table.customer_ids[:] == ("c-1", "c-2")
    as_pandas = frame.to_pandas().astype({"customer_id": "category", "kind": "category"})
    same(EventTable.from_frame(as_pandas), table)


def test_a_column_mixing_text_and_numbers_is_named():
    frame = pd.DataFrame({"customer_id": ["c-1", 3], "at": [T0, T0], "kind": ["store_visit"] * 2})
    with pytest.raises(WrongTypeError, match="column 'customer_id' mixes them"):
        EventTable.from_frame(frame)


def test_operators_and_groups_are_read_and_united():
    frame = pa.table(
        {
            "customer_id": ["c-1", "c-2", "c-1"],
            "at": pa.array([T0, T0, T0 + timedelta(days=1)], pa.timestamp("us", "UTC")),
            "operator_id": ["op-b", None, "op-a"],
            "group_id": [None, "g-1", "g-1"],
        }
    )
    table = EventTable.from_frame(frame, kind="group_post", direction="inbound")
    assert list(table.operator_ids) == ["op-a", "op-b"]
    # rows in table order: c-1 at T0 (op-b), c-1 a day later (op-a, g-1), c-2 at T0 (g-1)
    assert table.operator.tolist() == [1, 0, -1]
    assert table.group.tolist() == [-1, 0, 0]
    rows = list(table.interactions())
    assert [(r.operator_id, r.group_id) for r in rows] == [
        ("op-b", None),
        ("op-a", "g-1"),
        (None, "g-1"),
    ]
    other = EventTable.from_frame(
        frame.slice(0, 1).set_column(2, "operator_id", pa.array(["op-c"])),
        kind="group_post",
        direction="inbound",
    )
    both = EventTable.concat([table, other])
    assert list(both.operator_ids) == ["op-a", "op-b", "op-c"]
    assert sorted(both.operator.tolist()) == [-1, 0, 1, 2]
