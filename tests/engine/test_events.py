"""EventTable: building from arrays, objects and files; validation; sorting; immutability."""

import io

import numpy as np
import pytest
from hypothesis import given, settings

from conftest import T0, at
from custpool import (
    EventTable,
    Interaction,
    InteractionKind,
    LoadError,
    UnknownIdError,
    ValidationError,
    WrongTypeError,
    example_pool,
    read_events,
    write_csv,
    write_jsonl,
)
from custpool._engine.codes import COLUMNS, KIND_CODE
from custpool._engine.ids import Ids
from custpool._time import to_micros
from engine_helpers import pool_histories, table_of
from tiers_helpers import ev

DAY = 86_400_000_000
T = to_micros(T0)
CONNECT, MESSAGE, PURCHASE = (
    KIND_CODE[InteractionKind(k)] for k in ("connect", "message", "purchase")
)
REFERRAL, NPS, STORE_VISIT, REFUND = (
    KIND_CODE[InteractionKind(k)] for k in ("referral", "nps", "store_visit", "refund")
)


def columns(table):
    return {name: table.column(name).tolist() for name in COLUMNS}


# -- from_arrays: sorting ----------------------------------------------------------------------


def test_rows_are_sorted_by_customer_then_time_then_content():
    # input: (c1, t+2d), (c0, t+1d), (c1, t), (c0, t+1d) — the two c0 rows tie in time and are
    # ordered by their other columns: both NPS, so by score (3 before 7)
    table = EventTable.from_arrays(
        customer=[1, 0, 1, 0],
        time=[T + 2 * DAY, T + DAY, T, T + DAY],
        kind=[MESSAGE, NPS, CONNECT, NPS],
        direction=[0, 0, 0, 0],
        score=[-1, 7, -1, 3],
    )
    assert table.customer.tolist() == [0, 0, 1, 1]
    assert table.time.tolist() == [T + DAY, T + DAY, T, T + 2 * DAY]
    assert table.score.tolist() == [3, 7, -1, -1]
    assert table.offsets.tolist() == [0, 2, 4]
    assert list(table.customer_ids) == ["0", "1"]


def test_the_rank_sort_agrees_with_lexsort_on_a_wide_time_span():
    # Times spanning two centuries and many customers force the rank-based sort path.
    rng = np.random.default_rng(7)
    n = 5_000
    customer = rng.integers(0, 2_000, n)
    low, high = to_micros(T0.replace(year=1901)), to_micros(T0.replace(year=2160))
    time = rng.integers(low, high, n)
    time[::7] = time[0]  # many ties
    table = EventTable.from_arrays(customer, time, np.full(n, STORE_VISIT))
    order = np.lexsort((np.arange(n), time, customer))
    assert table.customer.tolist() == customer[order].tolist()
    assert table.time.tolist() == time[order].tolist()


def test_a_time_ordered_log_is_sorted_by_customer_keeping_time_order():
    customer = [2, 0, 2, 1, 0, 2]
    time = [T, T, T + 1, T + 1, T + 2, T + 2]  # nondecreasing: the fast path
    scores = [1, 2, 3, 4, 5, 6]
    table = EventTable.from_arrays(customer, time, [NPS] * 6, score=scores)
    assert table.customer.tolist() == [0, 0, 1, 2, 2, 2]
    assert table.score.tolist() == [2, 5, 4, 1, 3, 6]
    assert table.time.tolist() == [T, T + 2, T + 1, T, T + 1, T + 2]


def test_datetime64_times_are_accepted():
    stamps = np.array(["2026-03-01T12:00:00", "2026-03-02T12:00:00"], dtype="datetime64[s]")
    table = EventTable.from_arrays([0, 0], stamps, [STORE_VISIT, STORE_VISIT])
    assert table.time.tolist() == [T, T + DAY]


def test_columns_are_read_only_and_copied_by_default():
    customer = np.array([0, 0], dtype=np.int32)
    table = EventTable.from_arrays(customer, [T, T + 1], [STORE_VISIT, STORE_VISIT])
    customer[0] = 5  # the caller's array is not the table's
    assert table.customer.tolist() == [0, 0]
    for name in COLUMNS:
        with pytest.raises(ValueError, match="read-only"):
            table.column(name)[0] = 1


def test_copy_false_adopts_frozen_arrays_and_copies_writable_ones():
    # A caller's writable array is copied even with copy=False: the table must own memory
    # nobody can write to, and the caller's array is left as it was.
    customer = np.array([0, 1], dtype=np.int32)
    table = EventTable.from_arrays(
        customer, np.array([T, T], dtype=np.int64), [STORE_VISIT] * 2, copy=False
    )
    assert not np.shares_memory(table.customer, customer)
    assert customer.flags.writeable
    # Another table's columns are frozen already: adopted as they are, no copy.
    again = EventTable.from_arrays(**{name: table.column(name) for name in COLUMNS}, copy=False)
    for name in COLUMNS:
        assert np.shares_memory(again.column(name), table.column(name)), name
    copied = EventTable.from_arrays(**{name: table.column(name) for name in COLUMNS})
    assert not np.shares_memory(copied.time, table.time)


def test_bytes_per_event():
    table = EventTable.from_interactions(example_pool().interactions)
    # 4 + 8 + 1 + 1 + 1 + 1 + 1 + 8 + 4 + 1 + 4 + 4 + 4 = 42 bytes per row, plus 8 per offset
    assert table.nbytes == 42 * 29 + 8 * (6 + 1)


# -- from_arrays: validation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "rule"),
    [
        ({"amount": [float("nan"), 0]}, "amount[0]", "finite"),
        ({"amount": [-5, 0]}, "amount[0]", r"must not be negative on a purchase \(0 is a free"),
        (
            {"kind": [REFUND, STORE_VISIT], "direction": [1, 0], "amount": [0, 0]},
            "amount[0]",
            "positive on a refund",
        ),
        (
            {"kind": [REFUND, STORE_VISIT], "direction": [1, 0], "amount": [-5, 0]},
            "amount[0]",
            "positive on a refund",
        ),
        ({"amount": [1.5, 0]}, "amount[0]", "whole number"),
        ({"amount": [100, 100]}, "amount[1]", "must be 0 on rows other than purchase"),
        ({"time": [T, 2**62]}, "time[1]", "1900-01-01"),
        ({"time": [T]}, "time", "one value per row"),
        ({"kind": [PURCHASE, 99]}, "kind[1]", "code from 0 to 12"),
        ({"customer": [0, -1]}, "customer[1]", ">= 0"),
        ({"item": [-1, -1]}, "item[0]", "need an item"),
        ({"currency": None}, "currency", "required"),
        ({"currency": "XXX"}, "currency", "ISO 4217"),
        ({"direction": [1, 0]}, "direction[0]", "not allowed for the row's kind"),
        ({"channel": [0, 0]}, "channel[1]", "the kind's own channel"),
        ({"customer_ids": ["a"]}, "customer_ids", "largest index is 1"),
        ({"customer_ids": ["a", "a"]}, "customer_ids[1]", "unique"),
    ],
)
def test_bad_arrays_name_the_column_row_value_and_rule(kwargs, field, rule):
    base = {
        "customer": [0, 1],
        "time": [T, T],
        "kind": [PURCHASE, STORE_VISIT],
        "amount": [100, 0],
        "item": [0, -1],
        "currency": "CNY",
    }
    with pytest.raises(ValidationError, match=rule) as info:
        EventTable.from_arrays(**(base | kwargs))
    assert info.value.field == field


def test_a_free_purchase_of_zero_minor_units_is_a_valid_row():
    # A free order (a gift, a 0元 trial) is a purchase row with amount 0; it still needs an
    # order (item) and a currency, like every money row.
    table = EventTable.from_arrays(
        customer=[0, 0],
        time=[T, T + DAY],
        kind=[PURCHASE, PURCHASE],
        amount=[0, 1_990],
        item=[0, 1],
        currency="CNY",
    )
    assert table.amount.tolist() == [0, 1_990]
    assert table.currency == "CNY"
    assert [str(i.amount) for i in table.interactions()] == ["0.00 CNY", "19.90 CNY"]
    with pytest.raises(ValidationError, match="is required: some rows have amounts"):
        EventTable.from_arrays([0], [T], [PURCHASE], amount=[0], item=[0])
    with pytest.raises(ValidationError, match="need an item"):
        EventTable.from_arrays([0], [T], [PURCHASE], amount=[0], currency="CNY")


def test_a_free_purchase_round_trips_through_interactions():
    gift = ev(0, "purchase", amount={"amount": "0", "currency": "CNY"})
    buy = ev(1, "purchase")
    refund = Interaction(
        id="i-refund",
        customer_id="c-1",
        at=at(2),
        kind="refund",
        order_id=buy.order_id,
        direction="outbound",
        channel="store",
        amount={"amount": "4", "currency": "CNY"},
    )
    table = EventTable.from_interactions([gift, buy, refund])
    assert table.amount.tolist() == [0, 1_000, 400]
    assert table.currency == "CNY"
    back = list(table.interactions())
    assert [(i.kind.value, str(i.amount)) for i in back] == [
        ("purchase", "0.00 CNY"),
        ("purchase", "10.00 CNY"),
        ("refund", "4.00 CNY"),
    ]
    assert columns(EventTable.from_interactions(back)) == columns(table)


def test_many_bad_rows_are_counted():
    with pytest.raises(ValidationError, match=r"3 rows break this rule") as info:
        EventTable.from_arrays([0, 0, 0], [T] * 3, [NPS] * 3, score=[11, 12, 13])
    assert info.value.field == "score[0]"
    assert info.value.value == 11


def test_referrals_must_name_another_known_customer():
    with pytest.raises(ValidationError, match="cannot refer themselves"):
        EventTable.from_arrays([0, 1], [T, T], [REFERRAL, STORE_VISIT], referred=[0, -1])
    with pytest.raises(ValidationError, match="below 2"):
        EventTable.from_arrays([0, 1], [T, T], [REFERRAL, STORE_VISIT], referred=[5, -1])
    with pytest.raises(ValidationError, match="need the referred customer"):
        EventTable.from_arrays([0], [T], [REFERRAL])


def test_wrong_types_and_shapes():
    with pytest.raises(WrongTypeError, match="integers"):
        EventTable.from_arrays(["a"], [T], [STORE_VISIT])
    with pytest.raises(WrongTypeError, match="booleans"):
        EventTable.from_arrays([True], [T], [STORE_VISIT])
    with pytest.raises(ValidationError, match="one-dimensional"):
        EventTable.from_arrays([[0]], [T], [STORE_VISIT])
    with pytest.raises(ValidationError, match="NaT"):
        EventTable.from_arrays([0], np.array(["NaT"], dtype="datetime64[us]"), [STORE_VISIT])


def test_an_empty_table_needs_customers():
    with pytest.raises(ValidationError, match="at least one customer"):
        EventTable.from_arrays([], [], [])
    table = EventTable.from_arrays([], [], [], customer_ids=["c-1"])
    assert len(table) == 0
    assert table.n_customers == 1
    assert table.offsets.tolist() == [0, 0]
    assert table.currency is None


# -- from_interactions -------------------------------------------------------------------------


def test_from_interactions_round_trips_through_interactions():
    table = EventTable.from_interactions(example_pool().interactions)
    again = EventTable.from_interactions(list(table.interactions()))
    assert columns(again) == columns(table)
    assert list(again.item_ids) == list(table.item_ids)


@settings(max_examples=60, deadline=None)
@given(pool_histories())
def test_tables_do_not_depend_on_the_input_order(pool):
    table = table_of(pool)
    rows = [i for history in pool.values() for i in history]
    reverse = EventTable.from_interactions(rows[::-1], customers=list(pool))
    assert columns(reverse) == columns(table)
    assert len(table) == len(rows)
    # each customer's slice holds exactly that customer's interactions
    for cid, history in pool.items():
        c = table.customer_index(cid)
        assert table.offsets[c + 1] - table.offsets[c] == len(history)

    # and turning rows back into objects gives the same kinds, times and amounts (Money does
    # not order: two purchases at one instant are sorted by their amounts' minor units)
    def key(i):
        return (i.customer_id, i.at, i.kind, -1 if i.amount is None else i.amount.minor_units)

    back = sorted(((key(i), i.amount) for i in table.interactions()), key=lambda pair: pair[0])
    assert back == sorted(((key(i), i.amount) for i in rows), key=lambda pair: pair[0])


def test_from_interactions_refuses_conflicts():
    buy = ev(0, "purchase")
    usd = ev(1, "purchase", amount={"amount": "1", "currency": "USD"})
    with pytest.raises(ValidationError, match="one currency, CNY") as info:
        EventTable.from_interactions([buy, usd])
    assert info.value.field == "interactions[1].amount.currency"
    with pytest.raises(ValidationError, match="customer of the table"):
        EventTable.from_interactions([ev(0, "referral", referred_id="c-9")])
    assert EventTable.from_interactions(
        [ev(0, "referral", referred_id="c-9")], customers=["c-9"]
    ).referred.tolist() == [1]
    clash = buy.model_copy(update={"at": at(3)})
    with pytest.raises(ValidationError, match="duplicate id"):
        EventTable.from_interactions([buy, clash])
    assert len(EventTable.from_interactions([buy, buy])) == 1  # an exact repeat is dropped
    with pytest.raises(WrongTypeError):
        EventTable.from_interactions(["not an interaction"])  # type: ignore[list-item]


def test_lookups():
    table = EventTable.from_interactions(example_pool().interactions)
    assert table.customer_index("c-002") == 1
    with pytest.raises(UnknownIdError):
        table.customer_index("c-404")
    with pytest.raises(ValidationError, match="one of customer, time"):
        table.column("nope")
    assert int(table.kind_is("connect").sum()) == 6
    assert table.money(19_900).amount == 199
    assert "29 events" in repr(table)


def test_ids():
    ids = Ids.numbered(12)
    assert ids[11] == "11"
    assert ids[-1] == "11"
    assert ids.index("7") == 7
    assert "12" not in ids
    assert ids == [str(i) for i in range(12)]
    with pytest.raises(IndexError):
        ids[12]
    assert "12 ids" in repr(ids)


# -- read_events -------------------------------------------------------------------------------


def test_read_events_from_jsonl_and_csv_keeps_every_row_accounted_for():
    pool = example_pool()
    bad = ev(40, "purchase", customer="c-001", amount={"amount": "1", "currency": "USD"})
    rows = [*pool.interactions, bad]
    for writer, fmt in ((write_jsonl, "jsonl"), (write_csv, "csv")):
        buffer = io.StringIO()
        writer(buffer, rows)
        data = buffer.getvalue().encode() + (b"not json\n" if fmt == "jsonl" else b"x,y\n")
        load = read_events(io.BytesIO(data), format=fmt)
        assert load.rows_read == len(rows) + 1  # every row, and the broken one
        assert load.rows_accepted == 29
        assert load.rows_rejected == 2
        assert load.table is not None
        assert columns(load.table) == columns(EventTable.from_interactions(pool.interactions))
        assert "CNY" in str(load.rejections[0])
        assert "29 events in the table" in load.summary()
        with pytest.raises(LoadError):
            load.raise_for_rejections()
        # strict: a row that cannot be read raises while reading (line 31); the table's rules
        # are checked once every row is read (line 30)
        first = 30 if fmt == "jsonl" else 31  # the CSV header is line 1
        with pytest.raises(LoadError, match=f"line {first + 1}"):
            read_events(io.BytesIO(data), format=fmt, strict=True)
        with pytest.raises(LoadError, match=rf"line {first}: amount\.currency='USD'"):
            read_events(io.BytesIO(buffer.getvalue().encode()), format=fmt, strict=True)


def test_read_events_needs_a_format_it_can_tell():
    with pytest.raises(ValidationError, match="format"):
        read_events(io.BytesIO(b""))
    with pytest.raises(ValidationError, match="'jsonl', 'csv', 'parquet' or 'arrow'"):
        read_events(io.BytesIO(b""), format="xml")  # type: ignore[arg-type]
    empty = read_events(io.BytesIO(b""), format="jsonl")
    assert empty.table is None
    assert empty.rows_read == 0
    assert empty.ok


def test_read_events_from_a_path(tmp_path):
    path = tmp_path / "events.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_jsonl(out, example_pool().interactions)
    load = read_events(path, customers=["c-new"])
    assert load.ok
    assert load.table is not None
    assert load.table.n_customers == 7
    assert load.source == str(path)


def test_an_unknown_referral_does_not_cascade():
    # c-2's only row is rejected (wrong currency), yet c-2 was seen, so c-1's referral to c-2
    # stays: one bad row costs one row.
    rows = [
        ev(0, "purchase", customer="c-1"),
        ev(1, "purchase", customer="c-2", amount={"amount": "1", "currency": "USD"}),
        ev(2, "referral", customer="c-1", referred_id="c-2"),
    ]
    buffer = io.StringIO()
    write_jsonl(buffer, rows)
    load = read_events(io.BytesIO(buffer.getvalue().encode()), format="jsonl")
    assert [r.line for r in load.rejections] == [2]
    assert load.table is not None
    assert len(load.table) == 2
    assert load.table.n_customers == 2
    assert load.rows_read == 3
