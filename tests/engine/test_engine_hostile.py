"""The engine under hostile input (issue 13): echoes, overflow, memory, odd arguments, order.

Each test is named after the behaviour it pins; the issue's finding is quoted beside it.
"""

import copy
import io
import pickle
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import T0, at
from custpool import (
    CustomerTags,
    EventTable,
    Interaction,
    InteractionKind,
    Policy,
    Stage,
    State,
    ValidationError,
    Window,
    WrongTypeError,
    classify,
    classify_table,
    example_pool,
    net_promoter_score,
    read_events,
    write_jsonl,
)
from custpool._engine.codes import COLUMNS, KIND_CODE, TIE_ORDER
from custpool._time import to_micros
from engine_helpers import pool_histories
from tiers_helpers import ev

T = to_micros(T0)
DAY = 86_400_000_000
INT64_MAX = 2**63 - 1
PHONE = "13800138000"
STORE_VISIT, NPS, PURCHASE = (
    KIND_CODE[InteractionKind(k)] for k in ("store_visit", "nps", "purchase")
)


def columns(table):
    return {name: table.column(name).tolist() for name in COLUMNS}


def never_shows_the_handle(error):
    """The handle is in no message, attribute or repr of the error."""
    for text in (str(error), repr(error), repr(error.value), error.shown_value, repr(vars(error))):
        assert PHONE not in text, text


# -- 6e: a dict given by mistake is named by its type and position, never shown ----------------


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda d: EventTable.from_interactions([], customers=["c-1", d]), "customers[1]"),
        (lambda d: EventTable.from_interactions([ev(0, "connect"), d]), "interactions[1]"),
        (
            lambda d: EventTable.from_arrays([0], [T], [STORE_VISIT], customer_ids=[d]),
            "customer_ids[0]",
        ),
        (lambda d: EventTable.from_arrays([0], [T], [STORE_VISIT], item_ids=[d]), "item_ids[0]"),
        (lambda d: classify([ev(0, "connect"), d], Policy(), at(1)), "history[1]"),
        (lambda d: classify([], d, at(1)), "policy"),
        (
            lambda d: classify_table(EventTable.from_interactions([ev(0, "connect")]), d, at(1)),
            "policy",
        ),
        (lambda d: CustomerTags.from_customers([d], ["c-1"]), "customers[0]"),
    ],
    ids=[
        "from_interactions customers",
        "from_interactions interactions",
        "from_arrays customer_ids",
        "from_arrays item_ids",
        "classify history",
        "classify policy",
        "classify_table policy",
        "CustomerTags.from_customers",
    ],
)
def test_a_dict_given_by_mistake_is_named_by_type_and_position_never_shown(call, field):
    # issue: from_interactions(customers=[dict]) and classify([dict], …) echoed the raw dict
    with pytest.raises(WrongTypeError) as info:
        call({"phone": PHONE, "name": "王芳"})
    assert info.value.field == field
    assert info.value.value == "<dict>"
    assert str(info.value).startswith(f"{field}=<dict>: ")
    never_shows_the_handle(info.value)


def test_a_number_given_as_an_id_is_not_shown_either():
    # a phone number typed as an int is still a phone number
    with pytest.raises(WrongTypeError) as info:
        EventTable.from_interactions([], customers=[int(PHONE)])
    assert str(info.value) == "customers[0]=<int>: must be an id (a string)"
    never_shows_the_handle(info.value)


# -- 8: money sums cannot overflow int64 ------------------------------------------------------


def kwd_purchase(n, amount):
    return ev(n, "purchase", amount={"amount": amount, "currency": "KWD"})


def test_amounts_whose_total_exceeds_int64_are_refused_up_front():
    # issue: ten purchases of 999999999999999.999 KWD (each a valid Money) gave an RFM
    # monetary_value of -844674407370955.1 after wrap-around.
    # 999999999999999.999 KWD = 999_999_999_999_999_999 fils (3 digits); ten of them are
    # 9_999_999_999_999_999_990 fils > 2**63 - 1 = 9_223_372_036_854_775_807.
    rows = [kwd_purchase(n, "999999999999999.999") for n in range(10)]
    with pytest.raises(ValidationError) as info:
        EventTable.from_interactions(rows)
    assert info.value.field == "amount"
    assert info.value.value == 10 * 999_999_999_999_999_999 == 9_999_999_999_999_999_990
    assert "at most 9223372036854775807 minor units" in info.value.rule
    assert "int64" in info.value.rule


def test_a_table_whose_amounts_total_exactly_int64_max_is_accepted_and_sums_exactly():
    # nine rows of 10**18 - 1 fils = 8_999_999_999_999_999_991, plus 223_372_036_854_775_816
    # = 9_223_372_036_854_775_807, the int64 maximum: every sum over the table fits.
    amounts = [10**18 - 1] * 9 + [223_372_036_854_775_816]
    assert sum(amounts) == INT64_MAX
    n = len(amounts)
    build = {
        "customer": np.arange(n) % 3,
        "time": T + np.arange(n),
        "kind": [PURCHASE] * n,
        "item": np.arange(n),
        "currency": "KWD",
    }
    table = EventTable.from_arrays(**build, amount=amounts)
    assert int(table.amount.sum()) == INT64_MAX  # no wrap-around: the int64 sum is exact
    with pytest.raises(ValidationError) as info:  # one fils more is refused
        EventTable.from_arrays(**build, amount=[*amounts[:-1], amounts[-1] + 1])
    assert info.value.value == INT64_MAX + 1


@pytest.mark.parametrize(
    ("currency", "bound"),
    [("KWD", 10**18), ("CNY", 10**17), ("JPY", 10**15)],  # 10**15 units, 3, 2 and 0 digits
)
def test_an_amount_beyond_what_money_holds_is_refused_by_from_arrays(currency, bound):
    # issue: _MAX_AMOUNT = 10**19 exceeds int64, so the check never fired
    def build(amount):
        return EventTable.from_arrays(
            [0], [T], [PURCHASE], amount=[amount], item=[0], currency=currency
        )

    assert build(bound - 1).money(int(build(bound - 1).amount[0])).minor_units == bound - 1
    with pytest.raises(ValidationError) as info:
        build(bound)
    assert info.value.field == "amount[0]"
    assert info.value.value == bound
    assert f"must be below {bound} minor units" in info.value.rule


def test_money_of_an_out_of_range_sum_is_a_custpool_error():
    table = EventTable.from_interactions(example_pool().interactions)
    with pytest.raises(ValidationError) as info:
        table.money(10**17)  # 10**15 CNY in fen
    assert info.value.field == "minor_units"
    with pytest.raises(WrongTypeError):
        table.money(1.5)  # type: ignore[arg-type]
    assert table.money(-(10**17 - 1)).minor_units == -(10**17 - 1)


# -- 9: read-only all the way down, pickles and copies included --------------------------------


def test_table_columns_cannot_be_made_writable_again():
    # issue: setflags(write=True) succeeded on table columns
    table = EventTable.from_interactions(example_pool().interactions)
    for name in (*COLUMNS, "offsets"):
        array = getattr(table, name)
        with pytest.raises(ValueError, match="cannot set WRITEABLE flag"):
            array.setflags(write=True)
        with pytest.raises(ValueError, match="cannot set WRITEABLE flag"):
            array[:].setflags(write=True)  # nor through a view


@pytest.mark.parametrize(
    "duplicate",
    [
        lambda t: pickle.loads(pickle.dumps(t)),  # noqa: S301 - our own bytes
        lambda t: pickle.loads(pickle.dumps(t, protocol=2)),  # noqa: S301 - our own bytes
        copy.deepcopy,
        copy.copy,
    ],
    ids=["pickle", "pickle protocol 2", "deepcopy", "copy"],
)
def test_pickled_and_copied_tables_stay_read_only(duplicate):
    # issue: after pickle or deepcopy (as when a table is sent to worker processes) columns were
    # writable: u.amount[u.amount > 0] *= -1 worked and classify_table ran on it
    table = EventTable.from_interactions(example_pool().interactions)
    again = duplicate(table)
    assert columns(again) == columns(table)
    assert list(again.customer_ids) == list(table.customer_ids)
    assert list(again.item_ids) == list(table.item_ids)
    assert again.offsets.tolist() == table.offsets.tolist()
    assert again.currency == table.currency
    with pytest.raises(ValueError, match="read-only"):
        again.amount[again.amount > 0] *= -1
    for name in (*COLUMNS, "offsets"):
        with pytest.raises(ValueError, match="cannot set WRITEABLE flag"):
            getattr(again, name).setflags(write=True)


def test_a_pickled_table_stores_no_private_module_path():
    table = EventTable.from_arrays([0, 1], [T, T], [STORE_VISIT] * 2)  # numbered ids
    data = pickle.dumps(table)
    assert b"custpool._" not in data
    again = pickle.loads(data)  # noqa: S301 - our own bytes
    assert list(again.customer_ids) == ["0", "1"]
    assert again.customer_index("1") == 1


def test_tier_tables_and_tag_matrices_stay_read_only_when_pickled_and_copied():
    pool = example_pool()
    table = EventTable.from_interactions(pool.interactions)
    tiers = classify_table(table, Policy(), at(-30))
    tags = CustomerTags.from_customers(pool.customers, table)
    for value, arrays in ((tiers, ("state", "tier", "met", "latest_nps")), (tags, ("held",))):
        data = pickle.dumps(value)
        assert b"custpool._" not in data
        for again in (pickle.loads(data), copy.deepcopy(value)):  # noqa: S301 - our own bytes
            for name in arrays:
                assert getattr(again, name).tolist() == getattr(value, name).tolist()
                with pytest.raises(ValueError, match="cannot set WRITEABLE flag"):
                    getattr(again, name).setflags(write=True)
    assert pickle.loads(pickle.dumps(tiers)).counts() == tiers.counts()  # noqa: S301


def test_copy_false_never_adopts_a_view_of_writable_memory():
    # issue: with copy=False a caller's view stayed writable through its base
    base = np.array([T, T + 1], dtype=np.int64)
    view = base[:]
    view.flags.writeable = False
    table = EventTable.from_arrays(np.zeros(2, dtype=np.int32), view, [STORE_VISIT] * 2, copy=False)
    base[0] = T + 5  # the caller writes through the base …
    assert table.time.tolist() == [T, T + 1]  # … and the table does not change
    assert not np.shares_memory(table.time, base)


def test_a_table_built_by_hand_still_holds_frozen_memory():
    table = EventTable.from_interactions(example_pool().interactions)
    fields = {name: np.array(getattr(table, name)) for name in (*COLUMNS, "offsets")}  # writable
    by_hand = EventTable(
        **fields, customer_ids=table.customer_ids, item_ids=table.item_ids, currency="CNY"
    )
    fields["amount"][:] = -1
    assert by_hand.amount.tolist() == table.amount.tolist()
    with pytest.raises(ValueError, match="cannot set WRITEABLE flag"):
        by_hand.amount.setflags(write=True)


# -- 10: every window length, every instant: custpool errors, never OverflowError --------------


@pytest.mark.parametrize(
    "field", ["engage_window", "convert_window", "advocate_window", "dormant_after"]
)
@pytest.mark.parametrize(
    "length", [timedelta.max, timedelta(days=106_000_000), timedelta(days=400 * 365)]
)
def test_windows_of_any_length_give_classify_s_answers(field, length):
    # issue: classify_table(t, Policy(convert_window=timedelta.max), as_of) raised OverflowError
    # where classify accepts it. A late as_of makes customers dormant, so the per-customer pass
    # (one instant per row) runs too. 106 million days fit int64 microseconds (9.2e18) but
    # as_of - window does not.
    pool = example_pool()
    table = EventTable.from_interactions(pool.interactions)
    policy = Policy(**{field: length})
    for as_of in (T0 + timedelta(days=500), datetime.max.replace(tzinfo=UTC)):
        tiers = classify_table(table, policy, as_of)
        for customer in pool.customers:
            expected = classify(pool.history(customer.id), policy, as_of)
            assert tiers.state_of(customer.id) is expected.state, (customer.id, as_of)
            assert tiers.tier_of(customer.id) is expected.tier, (customer.id, as_of)


def test_a_window_near_the_int64_limit_does_not_wrap_around_silently():
    # 106_751_990 days = 9_223_371_936_000_000_000 µs fits int64 (max 9_223_372_036_854_775_807),
    # but a dormant customer's tier is read one microsecond before they fell silent, at
    # 1950-02-03 (-6.3e14 µs): that instant minus the window is below the int64 minimum, which
    # wrapped around to a huge positive start, so no message counted and ENGAGED read CONNECTED.
    start = datetime(1950, 1, 1, tzinfo=UTC)
    history = [
        Interaction(
            id=f"i-{day}",
            customer_id="c-1",
            at=start + timedelta(days=day),
            kind="connect" if day == 0 else "message",
            direction="inbound",
            channel="wecom_chat",
            **({"source": "store"} if day == 0 else {}),
        )
        for day in range(4)
    ]
    policy = Policy(engage_window=timedelta(days=106_751_990), dormant_after=timedelta(days=30))
    as_of = datetime(1951, 1, 1, tzinfo=UTC)
    expected = classify(history, policy, as_of)
    assert (expected.state, expected.tier) == (State.DORMANT, Stage.ENGAGED)
    tiers = classify_table(EventTable.from_interactions(history), policy, as_of)
    assert (tiers.state_of("c-1"), tiers.tier_of("c-1")) == (State.DORMANT, Stage.ENGAGED)


EARLY = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))  # year 0 in UTC
LATE = datetime.max.replace(tzinfo=timezone(timedelta(hours=-14)))  # year 10000 in UTC


@pytest.mark.parametrize("instant", [EARLY, LATE], ids=["year 0 in UTC", "year 10000 in UTC"])
def test_an_instant_outside_the_years_1_to_9999_in_utc_is_a_validation_error(instant):
    table = EventTable.from_interactions(example_pool().interactions)
    for call, field in (
        (lambda: classify_table(table, Policy(), instant), "as_of"),
        (lambda: classify([], Policy(), instant), "as_of"),
        (lambda: Window(instant, instant + timedelta(0)), "start"),
    ):
        with pytest.raises(ValidationError, match="years 1-9999") as info:
            call()
        assert info.value.field == field


@pytest.mark.parametrize(
    ("call", "error", "field"),
    [
        (lambda _: EventTable.from_interactions(None), WrongTypeError, "interactions"),  # type: ignore[arg-type]
        (lambda _: EventTable.from_arrays([[0], [0, 1]], [T], [7]), WrongTypeError, "customer"),
        (
            lambda _: EventTable.from_arrays([0], [T], [7], customer_ids=5),
            WrongTypeError,
            "customer_ids",
        ),  # type: ignore[arg-type]
        (lambda t: t.kind_is("gift"), ValidationError, "kinds[0]"),
        (lambda t: t.kind_is(5), WrongTypeError, "kinds[0]"),  # type: ignore[arg-type]
        (lambda t: t.column({"name": "time"}), WrongTypeError, "name"),  # type: ignore[arg-type]
        (lambda t: t.customer_index({"id": "c-001"}), WrongTypeError, "customer_id"),  # type: ignore[arg-type]
        (lambda t: classify_table(t, Policy(), {"at": 1}), ValidationError, "as_of"),  # type: ignore[arg-type]
        (
            lambda t: classify_table(t, Policy(), at(0)).customers_in("gone"),
            ValidationError,
            "state",
        ),
        (lambda t: classify_table(t, Policy(), at(0)).state_of(7), WrongTypeError, "customer_id"),  # type: ignore[arg-type]
        (lambda _: Window(at(0), None), ValidationError, "end"),  # type: ignore[arg-type]
        (
            lambda _: CustomerTags.from_matrix([[1]], ["a"], ["x"]).has_any(5),
            WrongTypeError,
            "tags",
        ),  # type: ignore[arg-type]
    ],
)
def test_public_entry_points_raise_custpool_errors_for_odd_arguments(call, error, field):
    table = EventTable.from_interactions(example_pool().interactions)
    with pytest.raises(error) as info:
        call(table)
    assert info.value.field == field


def test_a_datetime64_time_too_far_out_is_refused_not_wrapped_around():
    # numpy turns 2**62 seconds into microseconds by wrapping around: it became 1970-01-01
    far = np.array([2**62], dtype="datetime64[s]")
    with pytest.raises(ValidationError, match="1900-01-01") as info:
        EventTable.from_arrays([0], far, [STORE_VISIT])
    assert info.value.field == "time[0]"
    assert info.value.value == 2**62


# -- 11: ids checked one way, a string is not a sequence of ids, currencies normalised ---------


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: EventTable.from_interactions([ev(0, "connect")], customers="c-9"), "customers"),
        (
            lambda: EventTable.from_arrays([0, 1], [T, T], [STORE_VISIT] * 2, customer_ids="ab"),
            "customer_ids",
        ),
        (
            lambda: EventTable.from_arrays(
                [0], [T], [PURCHASE], amount=[1], item=[0], item_ids="o", currency="CNY"
            ),
            "item_ids",
        ),
    ],
    ids=["customers", "customer_ids", "item_ids"],
)
def test_a_single_string_is_refused_where_a_sequence_of_ids_is_expected(call, field):
    # issue: customers="c-9" was split into customers "-", "9" and "c"
    with pytest.raises(WrongTypeError, match="not one string") as info:
        call()
    assert info.value.field == field


@pytest.mark.parametrize("bad", ["a b", "", "x" * 129, "tab\there", "zero\u200bwidth"])
def test_table_ids_are_checked_as_model_ids_are(bad):
    # issue: customer_ids were not validated ('a b' accepted)
    with pytest.raises(ValueError, match="id"):
        Interaction(id="i-1", customer_id=bad, at=T0, kind="store_visit", channel="store")
    for call, field in (
        (
            lambda: EventTable.from_arrays([0], [T], [STORE_VISIT], customer_ids=[bad]),
            "customer_ids[0]",
        ),
        (
            lambda: EventTable.from_interactions([ev(0, "connect")], customers=["c-2", bad]),
            "customers[1]",
        ),
        (
            lambda: EventTable.from_arrays(
                [0], [T], [PURCHASE], amount=[1], item=[0], item_ids=[bad], currency="CNY"
            ),
            "item_ids[0]",
        ),
    ):
        with pytest.raises(ValidationError, match="an id must") as info:
            call()
        assert info.value.field == field


@pytest.mark.parametrize("given", ["cny", " CNY ", "Cny"])
def test_a_currency_is_normalised_as_money_normalises_it(given):
    # issue: currency="cny" was refused for CNY rows
    table = EventTable.from_interactions([ev(0, "purchase")], currency=given)
    assert table.currency == "CNY"
    arrays = EventTable.from_arrays([0], [T], [PURCHASE], amount=[100], item=[0], currency=given)
    assert arrays.currency == "CNY"


def test_a_currency_that_is_not_a_string_is_a_wrong_type_error():
    with pytest.raises(WrongTypeError) as info:
        EventTable.from_interactions([ev(0, "purchase")], currency=156)  # type: ignore[arg-type]
    assert info.value.field == "currency"
    with pytest.raises(WrongTypeError):
        EventTable.from_arrays([0], [T], [STORE_VISIT], currency=156)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="ISO 4217"):
        EventTable.from_interactions([ev(0, "purchase")], currency="yuan")


# -- 12: no result depends on the input order -----------------------------------------------


def nps_pair(first, second):
    """Two NPS answers of one advocate-to-be at one instant, in the given order."""
    start = [
        ev(0, "connect", customer="c-1"),
        ev(1, "message", customer="c-1"),
        ev(1.5, "message", customer="c-1"),
        ev(2, "message", customer="c-1"),
        ev(3, "purchase", customer="c-1"),
        ev(4, "referral", customer="c-1", referred_id="c-2"),
        ev(0, "connect", customer="c-2"),
    ]
    answers = [
        Interaction(
            id=f"i-nps-{score}",
            customer_id="c-1",
            at=at(5),
            kind="nps",
            score=score,
            channel="wecom_chat",
        )
        for score in (first, second)
    ]
    return start + answers


def test_same_instant_nps_answers_give_one_answer_whatever_the_input_order():
    # issue: two NPS answers at one instant in swapped order made a customer ADVOCATE or
    # CONVERTED and the NPS +100 or -100. The rows of one customer at one instant are ordered by
    # content, so the answer with the higher score is the later row: 10, not 2.
    policy = Policy(advocate_min_nps=9)
    tables = []
    for first, second in ((10, 2), (2, 10)):
        rows = nps_pair(first, second)
        via_objects = EventTable.from_interactions(rows)
        via_arrays = EventTable.from_arrays(
            **{name: via_objects.column(name)[::-1] for name in COLUMNS},  # reversed rows
            customer_ids=via_objects.customer_ids,
            item_ids=via_objects.item_ids,
            currency=via_objects.currency,
        )
        assert columns(via_arrays) == columns(via_objects)
        tables.append(via_objects)
    assert columns(tables[0]) == columns(tables[1])
    for table in tables:
        tiers = classify_table(table, policy, at(6))
        assert tiers.state_of("c-1") is State.ADVOCATE
        assert int(tiers.latest_nps[table.customer_index("c-1")]) == 10
        nps = net_promoter_score(table, at(4), at(6))
        assert (nps.respondents, nps.promoters, nps.score) == (1, 1, 100.0)  # 100 * (1 - 0) / 1


def test_read_events_orders_ties_as_from_arrays_does():
    tables = []
    for first, second in ((10, 2), (2, 10)):
        buffer = io.StringIO()
        write_jsonl(buffer, nps_pair(first, second))
        load = read_events(io.BytesIO(buffer.getvalue().encode()), format="jsonl")
        assert load.table is not None
        tables.append(load.table)
    assert columns(tables[0]) == columns(tables[1])
    assert columns(tables[0]) == columns(EventTable.from_interactions(nps_pair(2, 10)))


def test_classify_reads_same_instant_nps_answers_as_the_table_does():
    # Both order same-instant answers by score: the latest is the higher one, 10 (an order by
    # id would pick i-nps-2 > i-nps-10 as strings: 2).
    rows = nps_pair(10, 2)
    policy = Policy(advocate_min_nps=9)
    expected = classify([r for r in rows if r.customer_id == "c-1"], policy, at(6))
    tiers = classify_table(EventTable.from_interactions(rows), policy, at(6))
    assert tiers.state_of("c-1") is expected.state
    assert expected.latest_nps == int(tiers.latest_nps[0])


def coarse(moment):
    """Round a time down to a 50-day grid from 2026-01-01: many rows share an instant."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return start + (moment - start) // timedelta(days=50) * timedelta(days=50)


@settings(max_examples=80, deadline=None)
@given(pool=pool_histories(max_customers=3, max_size=15), data=st.data())
def test_tables_and_their_answers_never_depend_on_the_input_order(pool, data):
    rows = [i.model_copy(update={"at": coarse(i.at)}) for h in pool.values() for i in h]
    shuffled = data.draw(st.permutations(rows))
    table = EventTable.from_interactions(rows, customers=list(pool))
    again = EventTable.from_interactions(shuffled, customers=list(pool))
    assert columns(again) == columns(table)
    order = data.draw(st.permutations(range(len(table))))
    arrays = EventTable.from_arrays(
        **{name: table.column(name)[list(order)] for name in COLUMNS},
        customer_ids=table.customer_ids,
        item_ids=table.item_ids,
        currency=table.currency,
    )
    assert columns(arrays) == columns(table)
    # the table is sorted by all its columns, in column order
    keys = [table.column(name) for name in reversed(("customer", "time", *TIE_ORDER))]
    assert np.lexsort(keys).tolist() == list(range(len(table)))
    as_of = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=data.draw(st.integers(0, 450)))
    policy = Policy(advocate_min_nps=7)
    first, second = classify_table(table, policy, as_of), classify_table(arrays, policy, as_of)
    for name in ("state", "tier", "met", "engage_score", "purchases", "referrals", "latest_nps"):
        assert getattr(first, name).tolist() == getattr(second, name).tolist(), name
    window = (as_of - timedelta(days=200), as_of)
    assert net_promoter_score(table, *window) == net_promoter_score(arrays, *window)
