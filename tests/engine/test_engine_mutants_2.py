"""More of the engine's behaviours a mutation run found unpinned: the rules of its checks.

As ``test_engine_mutants.py``: each test pins one behaviour that a one-token change to
``custpool._engine`` left passing — the field, value and rule of each refusal of
``EventTable.from_arrays``, ``CustomerTags`` and ``Window``; the int64 total of the amounts
exactly at its bound; ids made on demand past one block; ``NoneOf`` over the tag matrix.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from custpool import (
    CONVERT_FIRST,
    AllOf,
    CustomerTags,
    EventTable,
    Interaction,
    NoneOf,
    Policy,
    UnknownIdError,
    ValidationError,
    Window,
    WrongTypeError,
    classify,
    classify_table,
    read_events,
)
from custpool._engine import KIND_CODE, Ids, as_window
from custpool._model import InteractionKind
from custpool._time import to_micros

T0 = datetime(2026, 3, 1, tzinfo=UTC)
PURCHASE = KIND_CODE[InteractionKind.PURCHASE]
CONNECT = KIND_CODE[InteractionKind.CONNECT]
MESSAGE = KIND_CODE[InteractionKind.MESSAGE]
COMPLAINT = KIND_CODE[InteractionKind.COMPLAINT]
NPS = KIND_CODE[InteractionKind.NPS]
INT64_MAX = 2**63 - 1


def refused(error: type[Exception], build: object) -> ValidationError:
    with pytest.raises(error) as caught:
        build()  # type: ignore[operator]
    return caught.value  # type: ignore[return-value]


# -- from_arrays: each rule, named ---------------------------------------------------------------


def test_repeated_customer_ids_are_refused_at_the_repeat():
    bad = refused(
        ValidationError,
        lambda: EventTable.from_arrays(
            [0, 1], [0, 0], [CONNECT] * 2, direction=[0, 0], customer_ids=["a", "a"]
        ),
    )
    assert (bad.field, bad.value, bad.rule) == ("customer_ids[1]", "a", "ids must be unique")


def test_extra_customers_given_as_one_string_are_refused():
    bad = refused(WrongTypeError, lambda: EventTable.from_interactions([], customers="c"))
    assert str(bad) == (
        "customers=<str>: must be an iterable of customer ids, such as ['c-1'] (not one string)"
    )


def test_amounts_adding_up_to_exactly_the_int64_maximum_are_accepted_and_one_more_refused():
    # 92 purchases of 10**17 - 1 fen (the most a CNY Money holds, minus one) make
    # 9,199,999,999,999,999,908; the 93rd brings the total to exactly 2**63 - 1.
    amounts = [10**17 - 1] * 92 + [INT64_MAX - 92 * (10**17 - 1)]
    assert sum(amounts) == INT64_MAX
    assert max(amounts) < 10**17

    def table(values: list[int]) -> EventTable:
        rows = len(values)
        return EventTable.from_arrays(
            [0] * rows,
            list(range(rows)),
            [PURCHASE] * rows,
            amount=values,
            item=list(range(rows)),
            currency="CNY",
        )

    assert int(table(amounts).amount.sum()) == INT64_MAX
    bad = refused(ValidationError, lambda: table([*amounts[:-1], amounts[-1] + 1]))
    assert (bad.field, bad.value) == ("amount", INT64_MAX + 1)
    assert bad.rule.startswith(f"the amounts must add up to at most {INT64_MAX} minor units")


def test_an_operator_index_needs_an_operator_id_and_is_never_below_minus_one():
    bad = refused(
        ValidationError,
        lambda: EventTable.from_arrays(
            [0], [0], [CONNECT], direction=[0], operator=[1], operator_ids=["op-a"]
        ),
    )
    assert (bad.field, bad.value) == ("operator_ids", "1 ids")
    assert bad.rule == "needs an id for every index used: the largest index is 1"
    bad = refused(
        ValidationError,
        lambda: EventTable.from_arrays([0], [0], [CONNECT], direction=[0], operator=[-2]),
    )
    assert (bad.field, bad.value) == ("operator[0]", -2)
    assert bad.rule == "must be an operator index >= 0, or -1"
    # exactly enough ids: index 1 with two ids is accepted
    table = EventTable.from_arrays(
        [0], [0], [CONNECT], direction=[0], operator=[1], operator_ids=["op-a", "op-b"]
    )
    assert table.operator_ids[table.operator[0]] == "op-b"


def test_a_source_on_a_message_is_refused():
    bad = refused(
        ValidationError,
        lambda: EventTable.from_arrays([0], [0], [MESSAGE], direction=[0], source=[0]),
    )
    assert (bad.field, bad.value, bad.rule) == ("source[0]", 0, "only connect rows have a source")


def test_a_churn_reason_code_on_a_complaint_is_no_complaint_reason():
    # churn reasons have codes 0-5, complaint reasons 0-4: 5 is a code, but no complaint's
    bad = refused(
        ValidationError,
        lambda: EventTable.from_arrays([0], [0], [COMPLAINT], direction=[0], reason=[5]),
    )
    assert (bad.field, bad.value, bad.rule) == ("reason[0]", 5, "is not a complaint reason")


def test_an_nps_score_of_eleven_is_refused():
    bad = refused(
        ValidationError, lambda: EventTable.from_arrays([0], [0], [NPS], direction=[0], score=[11])
    )
    assert (bad.field, bad.value) == ("score[0]", 11)
    assert bad.rule == "nps rows need a score from 0 to 10"


def test_times_as_python_objects_are_refused():
    times = np.array([T0], dtype=object)
    bad = refused(
        WrongTypeError,
        lambda: EventTable.from_arrays([0], times, [CONNECT], direction=[0]),
    )
    assert (bad.field, bad.value) == ("time", "array of objects")
    assert bad.rule == "must be int64 microseconds or datetime64 values"


def test_a_table_of_no_rows_and_no_customers_says_how_to_make_one():
    bad = refused(ValidationError, lambda: EventTable.from_arrays([], [], []))
    assert (bad.field, bad.value) == ("customer", "no rows")
    assert bad.rule == (
        "a table needs at least one customer; pass customer_ids to build a table of customers "
        "without events"
    )


# -- ids ----------------------------------------------------------------------------------------


def test_ids_compare_by_their_values():
    assert Ids(("a", "b")) != Ids(("c", "d"))
    assert Ids(("a",)) == ["a"]
    assert Ids.numbered(2) == Ids.numbered(2)
    assert Ids.numbered(2) != Ids.numbered(3)


def test_made_ids_run_past_one_block_of_65536():
    ids = Ids.made(70_000, lambda index: [f"m{i}" for i in index.tolist()])
    made = list(ids)
    # two blocks: 0-65,535, then 65,536-69,999
    assert len(made) == 70_000
    assert (made[65_535], made[65_536], made[-1]) == ("m65535", "m65536", "m69999")


# -- customer tags ------------------------------------------------------------------------------


def test_a_tags_frame_without_the_id_column_names_the_columns_it_has():
    pa = pytest.importorskip("pyarrow")
    bad = refused(ValidationError, lambda: CustomerTags.from_frame(pa.table({"x": [1]})))
    assert (bad.field, bad.value) == ("customer_id", "customer_id")
    assert bad.rule == "must name a column of the frame; its columns are: x"


def test_the_tags_column_is_called_tags_by_default():
    pa = pytest.importorskip("pyarrow")
    tags = CustomerTags.from_frame(pa.table({"customer_id": ["a"], "tags": ["vip"]}))
    assert [str(t) for t in tags.vocabulary] == ["vip"]
    assert tags.held.tolist() == [[True]]


def test_an_empty_separator_and_a_tag_outside_the_vocabulary_are_refused():
    pa = pytest.importorskip("pyarrow")
    frame = pa.table({"customer_id": ["a"], "tags": ["vip"]})
    bad = refused(ValidationError, lambda: CustomerTags.from_frame(frame, separator=""))
    assert (bad.field, bad.value) == ("separator", "")
    assert bad.rule.startswith("must be a non-empty string without ':'")
    bad = refused(ValidationError, lambda: CustomerTags.from_frame(frame, vocabulary=["new"]))
    assert (bad.field, bad.value) == ("tags[0]", "vip")
    assert bad.rule == "is not in vocabulary= (normalised: 'vip'); add it or remove it"


def test_an_empty_tags_frame_gives_no_customers():
    pa = pytest.importorskip("pyarrow")
    empty = pa.table({"customer_id": pa.array([], pa.string()), "tags": pa.array([], pa.string())})
    tags = CustomerTags.from_frame(empty)
    assert (len(tags), tags.vocabulary, tags.held.shape) == (0, (), (0, 0))


def test_a_tag_matrix_refuses_ids_as_one_string_and_texts_that_are_no_tags():
    bad = refused(WrongTypeError, lambda: CustomerTags.from_matrix([[1]], ["vip"], "c-1"))
    assert (bad.field, bad.value) == ("customer_ids", "<str>")
    assert bad.rule == "must be an EventTable or a sequence of customer ids (one per row)"
    bad = refused(ValidationError, lambda: CustomerTags.from_matrix([[1]], ["a:b"], ["c-1"]))
    assert (bad.field, bad.value) == ("vocabulary[0]", "a:b")
    assert bad.rule == (
        "is not a tag: the group before ':' must be one of interest, source, lifecycle, custom"
    )
    bad = refused(ValidationError, lambda: CustomerTags.from_matrix([[1]], ["vip:"], ["c-1"]))
    assert bad.rule == "is not a tag: a tag name must not be empty or only white space"


def test_none_of_holds_for_the_customers_without_the_tags():
    tags = CustomerTags.from_matrix([[1, 0], [0, 1], [0, 0]], ["vip", "new"], ["a", "b", "c"])
    assert tags.matches(NoneOf.of("vip")).tolist() == [False, True, True]
    # vip and not new: only a
    assert tags.matches(AllOf.of("vip", NoneOf.of("new"))).tolist() == [True, False, False]


def test_has_any_refuses_one_tag_and_a_number():
    tags = CustomerTags.from_matrix([[1]], ["vip"], ["c-1"])
    bad = refused(WrongTypeError, lambda: tags.has_any("vip"))
    assert (bad.field, bad.value) == ("tags", "vip")
    assert bad.rule == "must be an iterable of tags, such as ['vip']; for one tag use column()"
    bad = refused(WrongTypeError, lambda: tags.has_any(5))  # type: ignore[arg-type]
    assert str(bad) == "tags=<int>: must be an iterable of tags, such as ['vip']"


# -- classify_table and windows ------------------------------------------------------------------


def test_classify_table_names_the_argument_of_the_wrong_type():
    table = EventTable.from_arrays([0], [0], [CONNECT], direction=[0])
    bad = refused(WrongTypeError, lambda: classify_table("x", Policy(), T0))  # type: ignore[arg-type]
    assert str(bad) == "table=<str>: must be a custpool.EventTable"
    bad = refused(WrongTypeError, lambda: classify_table(table, "p", T0))  # type: ignore[arg-type]
    assert str(bad) == "policy=<str>: must be a custpool.Policy"
    with pytest.raises(UnknownIdError) as unknown:
        classify_table(table, Policy(), T0).state_of("zz")
    assert (unknown.value.kind, unknown.value.id) == ("customer", "zz")


def test_as_window_refuses_an_end_beside_a_window_and_no_end_beside_a_start():
    day = Window(T0, T0 + timedelta(days=1))
    assert as_window(day) is day
    bad = refused(ValidationError, lambda: as_window(day, T0))
    assert str(bad) == "end=<datetime>: must be left out when a Window is given"
    bad = refused(ValidationError, lambda: as_window(T0, None))
    assert (bad.field, bad.value, bad.rule) == ("end", None, "is required with a start datetime")
    assert as_window(T0, T0 + timedelta(days=1)) == day


def test_a_window_refuses_a_start_that_is_no_datetime_and_an_end_not_after_it():
    bad = refused(ValidationError, lambda: Window("x", T0))  # type: ignore[arg-type]
    assert str(bad) == "start=<str>: must be an aware datetime"
    bad = refused(ValidationError, lambda: Window(T0, T0))
    assert (bad.field, bad.value) == ("end", T0)
    assert bad.rule == "must be after start (2026-03-01T00:00:00+00:00); a window is (start, end]"


# -- since: when each customer entered their state -------------------------------------------------


def test_since_is_the_change_point_that_moved_not_the_one_a_microsecond_later():
    def purchase(n: int, at: datetime) -> Interaction:
        return Interaction(
            id=f"i-{n}",
            customer_id="a",
            at=at,
            kind="purchase",
            channel="wecom_chat",
            direction="inbound",
            amount={"amount": "1", "currency": "CNY"},
            order_id=f"o-{n}",
        )

    day1 = T0 + timedelta(days=1)
    connect = Interaction(
        id="i-0",
        customer_id="a",
        at=T0,
        kind="connect",
        channel="wecom_chat",
        direction="inbound",
        source="store",
    )
    # convert-first: the purchase on day 1 makes a converted; the one a microsecond later
    # changes nothing, so a has been converted since day 1 exactly (not day 1 + 1 µs)
    rows = [connect, purchase(1, day1), purchase(2, day1 + timedelta(microseconds=1))]
    policy = Policy(paradigm=CONVERT_FIRST)
    at = T0 + timedelta(days=2)
    tiers = classify_table(EventTable.from_interactions(rows), policy, at)
    assert tiers.state_of("a").value == "converted"
    assert tiers.since.tolist() == [to_micros(day1)]
    assert classify(rows, policy, at).since == day1


def test_since_over_more_than_one_block_of_rows():
    # 40,000 customers, one CONNECT each, customer c at T0 + c seconds: 40,000 rows are two
    # blocks of about 32,768 rows; every customer has been connected since their CONNECT
    n = 40_000
    start = to_micros(T0)
    times = [start + c * 1_000_000 for c in range(n)]
    table = EventTable.from_arrays(list(range(n)), times, [CONNECT] * n, direction=[0] * n)
    tiers = classify_table(table, Policy(), T0 + timedelta(days=1))
    assert tiers.since.tolist() == times


# -- more rules, named ---------------------------------------------------------------------------


def test_items_on_a_message_and_below_minus_one_are_refused():
    bad = refused(
        ValidationError,
        lambda: EventTable.from_arrays([0], [0], [MESSAGE], direction=[0], item=[0]),
    )
    assert (bad.field, bad.value) == ("item[0]", 0)
    assert bad.rule == "must be -1 on rows without an order, event or content"
    # a content view may have an item or not (-1), but never -2
    view = KIND_CODE[InteractionKind.CONTENT_VIEW]
    bad = refused(
        ValidationError,
        lambda: EventTable.from_arrays([0], [0], [view], direction=[0], item=[-2]),
    )
    assert (bad.field, bad.value, bad.rule) == ("item[0]", -2, "must be an item index >= 0, or -1")


def test_a_kind_code_out_of_range_is_refused_on_the_kind_column():
    bad = refused(ValidationError, lambda: EventTable.from_arrays([0], [0], [99]))
    # 13 kinds: codes 0 to 12
    assert (bad.field, bad.value, bad.rule) == ("kind[0]", 99, "must be a code from 0 to 12")


def test_a_tags_frame_of_no_columns_says_so():
    pa = pytest.importorskip("pyarrow")
    bad = refused(ValidationError, lambda: CustomerTags.from_frame(pa.table({})))
    assert bad.rule == "must name a column of the frame; its columns are: (none)"


def test_a_tags_frame_customer_outside_customers_given_is_refused_unshown():
    pa = pytest.importorskip("pyarrow")
    frame = pa.table({"customer_id": ["a"], "tags": ["vip"]})
    bad = refused(ValidationError, lambda: CustomerTags.from_frame(frame, customers=["b"]))
    assert (bad.field, bad.value) == ("customer_id[0]", "<not shown>")
    assert bad.rule.startswith("is not one of customers=: 1 customer id of the frame (on 1 row;")


def test_read_events_rejects_a_direction_the_kind_does_not_allow():
    pa = pytest.importorskip("pyarrow")
    frame = pa.table(
        {
            "customer_id": ["a", "b"],
            "at": [T0, T0],
            "kind": ["purchase", "purchase"],
            "direction": ["outbound", "inbound"],
            "order_id": ["o-1", "o-2"],
            "amount": [1.0, 2.0],
        }
    )
    load = read_events(frame, currency="CNY")
    # a purchase is inbound only: a's row is rejected, b's kept
    assert [r.row for r in load.rejections] == [0]
    problem = load.rejections[0].problems[0]
    assert (problem.field, problem.rule) == (
        "direction",
        "is not allowed for the row's kind (see KIND_RULES)",
    )
    assert load.table is not None
    assert len(load.table) == 1
