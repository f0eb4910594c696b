"""The engine's behaviours a mutation run found unpinned: texts, errors, pickles and lookups.

Each test pins one behaviour that a one-token change to ``custpool._engine`` left passing
(``tools/mutate.py engine``, docs/testing.md): what a breakdown of state counts says in English
and Chinese, the field, value and rule of the engine's errors, the ids a pickled table keeps, and
the lookup tables built once at import (rebuilt here, since a mutant run forks after import).
"""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest

from custpool import (
    Breakdown,
    CustomerTags,
    EventTable,
    Interaction,
    Policy,
    UnknownIdError,
    ValidationError,
    Window,
    WrongTypeError,
    activity_rate,
    classify_table,
    display_options,
    read_events,
)
from custpool._engine import KIND_CODE, Ids
from custpool._engine.codes import DIRECTION_ALLOWED, DIRECTIONS, _lookup
from custpool._engine.frozen import restore
from custpool._engine.primitives import first_connect
from custpool._engine.tier_table import _check_codes
from custpool._model import KIND_RULES, InteractionKind
from custpool._time import to_micros

T0 = datetime(2026, 3, 1, tzinfo=UTC)
AS_OF = T0 + timedelta(days=2)


def ev(n: int, cid: str, kind: str, day: float, **more: object) -> Interaction:
    return Interaction(
        id=f"i-{n:02d}",
        customer_id=cid,
        at=T0 + timedelta(days=day),
        kind=kind,
        channel="wecom_chat",
        direction="inbound",
        **more,
    )


@pytest.fixture(scope="module")
def table() -> EventTable:
    # a, b: connected by op-li; c: connected by op-wu, then churned; d: connected by nobody;
    # e: a message only (a prospect). At AS_OF (day 2): op-li owns a, b (connected 2), op-wu
    # owns c (churned 1), unassigned are d (connected) and e (prospect).
    return EventTable.from_interactions(
        [
            ev(1, "a", "connect", 0, source="store", operator_id="op-li"),
            ev(2, "b", "connect", 0, source="store", operator_id="op-li"),
            ev(3, "c", "connect", 0, source="store", operator_id="op-wu"),
            ev(4, "d", "connect", 0, source="store"),
            ev(5, "c", "churn", 1, churn_reason="blocked"),
            ev(6, "e", "message", 1),
        ]
    )


@pytest.fixture(scope="module")
def by_operator(table: EventTable) -> Breakdown[dict[object, int]]:
    return classify_table(table, Policy(), AS_OF).counts(by="operator")


# -- a breakdown of state counts: its text, report and frame -----------------------------------


def test_a_breakdown_of_state_counts_lists_the_non_zero_states_of_each_part(by_operator):
    assert str(by_operator).splitlines() == [
        "customers by state by operator 2026-03-03 00:00:00+00:00",
        "  op-li: connected 2",
        "  op-wu: churned 1",
        "  (unassigned): prospect 1, connected 1",
        "  (whole): prospect 1, connected 3, churned 1",
    ]


def test_a_breakdown_of_state_counts_reads_as_a_table_in_english(by_operator):
    assert by_operator.to_text().splitlines() == [
        "customers by state by operator 2026-03-03 00:00+00:00",
        "  parts: 2",
        "  operator      customers by state",
        "  (whole)       prospect 1, connected 3, churned 1",
        "  (unassigned)  prospect 1, connected 1",
        "  op-li         connected 2",
        "  op-wu         churned 1",
    ]


def test_a_breakdown_of_state_counts_reads_as_a_table_in_chinese(by_operator):
    assert by_operator.to_text(lang="zh").splitlines() == [
        "各状态客户数（按客户经理） 2026-03-03 00:00+00:00",
        "  分组数: 2",
        "  客户经理    customers by state",
        "  （全部）    prospect 1, connected 3, churned 1",
        "  （未分配）  prospect 1, connected 1",
        "  op-li       connected 2",
        "  op-wu       churned 1",
    ]


def test_a_breakdown_builds_only_the_parts_max_rows_shows(by_operator):
    # max_rows=1: the whole is shown; the unassigned row and both parts are left out (3 rows),
    # and only the first part (op-li) is built: 2 parts - 1 shown = 1 left out by the breakdown.
    with display_options(max_rows=1):
        assert by_operator.to_text().splitlines() == [
            "customers by state by operator 2026-03-03 00:00+00:00",
            "  parts: 2",
            "  operator  customers by state",
            "  (whole)   prospect 1, connected 3, churned 1",
            "  … 3 more rows",
        ]


def test_a_breakdown_of_state_counts_stacks_a_row_per_part_and_state(by_operator):
    rows = by_operator.to_frame("pyarrow").to_pylist()
    # 2 parts + the unassigned + the whole, 7 states each
    assert len(rows) == 4 * 7
    assert rows[1] == {"part": "operator", "id": "op-li", "state": "connected", "customers": 2}
    assert rows[7 + 6] == {"part": "operator", "id": "op-wu", "state": "churned", "customers": 1}
    assert rows[14] == {"part": "unassigned", "id": None, "state": "prospect", "customers": 1}
    assert rows[21 + 1] == {"part": "whole", "id": None, "state": "connected", "customers": 3}
    assert [row["customers"] for row in rows[21:]] == [1, 3, 0, 0, 0, 0, 1]


def test_mapping_a_breakdown_maps_the_whole_the_parts_and_the_unassigned(by_operator):
    total = by_operator.map(lambda counts: sum(counts.values()))
    # whole: 1 + 3 + 1 = 5; op-li 2, op-wu 1; unassigned 1 + 1 = 2
    assert (total.whole, dict(total.parts), total.unassigned) == (5, {"op-li": 2, "op-wu": 1}, 2)
    assert (total.by, total.window) == ("operator", by_operator.window)
    plain = Breakdown(T0, "group", 3, {"g-1": 2}, None, by_operator.stack)  # a plain dict
    doubled = plain.map(lambda n: 2 * n)
    assert (doubled.whole, dict(doubled.parts), doubled.unassigned) == (6, {"g-1": 4}, None)


def test_a_breakdown_of_kpis_takes_its_columns_from_the_kpis_own_rows(table):
    by = activity_rate(table, T0, T0 + timedelta(days=7), by="operator")
    # no one sent anything customer-initiated after joining: 0 active of 3, 1 and 2 connected;
    # op-wu's only customer churned on day 1, so op-wu has no one connected at the end (n/a)
    assert by.to_text().splitlines() == [
        "activity rate by operator (2026-03-01 00:00+00:00, 2026-03-08 00:00+00:00]",
        "  parts: 2",
        "  operator      activity rate  active  connected",
        "  (whole)                0.0%       0          3",
        "  (unassigned)           0.0%       0          1",
        "  op-li                  0.0%       0          2",
        "  op-wu                   n/a       0          0",
    ]
    assert by.to_text(lang="zh").splitlines()[0:3] == [
        "活跃度（按客户经理） (2026-03-01 00:00+00:00, 2026-03-08 00:00+00:00]",
        "  分组数: 2",
        "  客户经理    活跃度  活跃客户  已连接",
    ]


def test_a_breakdown_of_an_unnamed_result_is_called_kpis():
    def stack(named, backend, tz):
        return (named, backend, tz)

    by = Breakdown(T0, "group", 5, {"g-1": 2}, None, stack)
    assert str(by).splitlines() == [
        "KPIs by group 2026-03-01 00:00:00+00:00",
        "  g-1: 2",
        "  (whole): 5",
    ]
    assert by.to_text().splitlines() == [
        "KPIs by group 2026-03-01 00:00+00:00",
        "  parts: 1",
        "  group    KPIs",
        "  (whole)  5",
        "  g-1      2",
    ]
    assert by.to_text(lang="zh").splitlines()[:3] == [
        "指标（按客户群） 2026-03-01 00:00+00:00",
        "  分组数: 1",
        "  客户群    KPIs",
    ]
    # the stack gets (part, id, result) triples, the parts first, the backend and the zone
    assert by.to_frame("pyarrow", tz="Asia/Shanghai") == (
        [("group", "g-1", 2), ("whole", None, 5)],
        "pyarrow",
        "Asia/Shanghai",
    )
    assert by.to_frame()[1] == "pandas"


def test_a_breakdown_text_indents_a_result_of_several_lines():
    def stack(named, backend, tz):
        del backend, tz
        return named

    by = Breakdown(T0, "operator", "one\ntwo", {}, "three\nfour", stack)
    assert str(by).splitlines() == [
        "KPIs by operator 2026-03-01 00:00:00+00:00",
        "  (unassigned): three",
        "    four",
        "  (whole): one",
        "    two",
    ]
    assert by.to_frame() == [("unassigned", None, "three\nfour"), ("whole", None, "one\ntwo")]


def test_the_tier_table_keeps_each_customers_latest_complaint():
    complaint = {"channel": "wecom_chat", "direction": "inbound"}
    table = EventTable.from_interactions(
        [
            ev(1, "a", "connect", 0, source="store"),
            Interaction(
                id="i-02",
                customer_id="a",
                at=T0 + timedelta(days=1),
                kind="complaint",
                complaint_reason="other",
                **complaint,
            ),
        ]
    )
    tiers = classify_table(table, Policy(), AS_OF)
    # the complaint on day 1 is at or before AS_OF (day 2); ComplaintReason.OTHER is code 4
    assert tiers.last_complaint.tolist() == [to_micros(T0 + timedelta(days=1))]
    assert tiers.complaint_reason.tolist() == [4]


def test_the_tier_table_reads_in_chinese(table):
    tiers = classify_table(table, Policy(), AS_OF)
    # 5 customers: 1 prospect (e), 3 connected (a, b, d), 1 churned (c): 20%, 60%, 20%
    assert tiers.to_text(lang="zh").splitlines()[:3] == [
        "层级，截至 2026-03-03 00:00+00:00 （nurture_first）：5 位客户",
        "  状态  客户数   占比",
        "  潜在       1  20.0%",
    ]


# -- pickles keep every id ---------------------------------------------------------------------


def test_a_pickled_table_keeps_its_operator_and_group_ids(table):
    grouped = EventTable.from_interactions(
        [ev(1, "a", "connect", 0, source="store", operator_id="op-li", group_id="g-tea")]
    )
    for original in (table, grouped):
        copy = pickle.loads(pickle.dumps(original))  # noqa: S301 - our own pickle
        assert tuple(copy.operator_ids) == tuple(original.operator_ids)
        assert tuple(copy.group_ids) == tuple(original.group_ids)
    assert tuple(pickle.loads(pickle.dumps(grouped)).group_ids) == ("g-tea",)  # noqa: S301


def test_a_pickled_tier_table_keeps_its_customer_ids(table):
    tiers = classify_table(table, Policy(), AS_OF)
    copy = pickle.loads(pickle.dumps(tiers))  # noqa: S301 - our own pickle
    assert tuple(copy.customer_ids) == ("a", "b", "c", "d", "e")
    assert copy.state_of("c").value == "churned"


# -- the engine's errors: field, value and rule ---------------------------------------------------


def test_a_damaged_frozen_state_is_shown_by_its_type():
    with pytest.raises(WrongTypeError) as caught:
        restore([1], "customer")
    assert str(caught.value) == "customer=<list>: must be a frozen array's pickled state"


def test_an_item_that_is_no_interaction_is_named_by_position():
    with pytest.raises(WrongTypeError) as caught:
        EventTable.from_interactions([ev(1, "a", "connect", 0, source="store"), 5])
    assert str(caught.value) == "interactions[1]=<int>: must be an Interaction"


def test_a_customer_index_past_int32_is_refused_naming_the_row():
    with pytest.raises(ValidationError) as caught:
        EventTable.from_arrays([0, 2**31], [0, 0], [0, 0])  # int32 holds up to 2**31 - 1
    assert (caught.value.field, caught.value.value) == ("customer[1]", 2**31)
    assert caught.value.rule == "must fit in int32"


def test_a_refund_of_zero_is_refused_with_the_refund_rule():
    refund = KIND_CODE[InteractionKind.REFUND]
    with pytest.raises(ValidationError) as caught:
        EventTable.from_arrays(
            [0], [0], [refund], direction=[0], amount=[0], item=[0], currency="CNY"
        )
    assert (caught.value.field, caught.value.value) == ("amount[0]", 0)
    assert caught.value.rule == "must be positive on a refund: minor units > 0"


def test_a_tag_row_out_of_range_names_the_index_given():
    tags = CustomerTags.from_matrix([[1]], ["vip"], ["c-1"])
    for index in (1, -1):
        with pytest.raises(ValidationError) as caught:
            tags.tags_of(index)
        assert (caught.value.field, caught.value.value) == ("customer", index)
        assert caught.value.rule == "must be a customer index from 0 to 0"


def test_a_separator_that_is_no_string_is_refused_by_name():
    with pytest.raises(WrongTypeError) as caught:
        CustomerTags.from_frame(None, separator=5)  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value) == ("separator", 5)
    assert caught.value.rule.startswith("must be a non-empty string without ':'")


def test_an_instant_outside_years_1_to_9999_in_utc_says_so():
    # 0001-01-01 00:00 at UTC+14 is 0000-12-31 10:00 UTC: no datetime holds it
    early = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))
    with pytest.raises(ValidationError) as caught:
        Window(early, T0)
    assert caught.value.field == "start"
    assert caught.value.rule == "must fall within the years 1-9999 once moved to UTC"


# -- small behaviours ------------------------------------------------------------------------------


def test_numbered_ids_take_the_most_negative_index():
    ids = Ids.numbered(3)
    assert (ids[-3], ids[-1]) == ("0", "2")  # -3 is the first of three ids
    with pytest.raises(IndexError):
        ids[-4]


def test_first_connect_sources_are_int8_codes(table):
    times, sources = first_connect(table)
    assert sources.dtype == np.int8
    # a, b, c, d joined from the store (source code 0) at T0; e never connected (-1)
    assert sources.tolist() == [0, 0, 0, 0, -1]
    assert times[-1] == np.iinfo(np.int64).min


def test_read_events_on_a_frame_builds_the_table_from_frame_builds():
    pa = pytest.importorskip("pyarrow")
    frame = pa.table(
        {
            "customer_id": ["c-2", "c-1"],
            "at": pa.array([T0, T0 + timedelta(hours=1)], pa.timestamp("us", "UTC")),
            "amount": [51.23, 9.9],
        }
    )
    load = read_events(frame, kind="purchase", currency="CNY")
    direct = EventTable.from_frame(frame, kind="purchase", currency="CNY")
    assert load.table is not None
    # 51.23 CNY = 5,123 fen, 9.90 CNY = 990 fen; c-1 sorts first
    assert load.table.amount.tolist() == direct.amount.tolist() == [990, 5123]
    assert (
        tuple(load.table.item_ids)
        == tuple(direct.item_ids)
        == (
            "c-1@2026-03-01T01:00:00Z",
            "c-2@2026-03-01T00:00:00Z",
        )
    )


# -- what is built at import, built again here ---------------------------------------------------


def test_the_direction_lookup_is_built_from_the_kind_rules():
    rebuilt = _lookup(
        {k: tuple(DIRECTIONS.index(d) for d in r.directions) for k, r in KIND_RULES.items()},
        len(DIRECTIONS),
    )
    assert rebuilt.shape == (len(KIND_RULES), 3)
    assert (rebuilt == DIRECTION_ALLOWED).all()
    # a MESSAGE may go either way or between peers; a PURCHASE is inbound only
    assert rebuilt[KIND_CODE[InteractionKind.MESSAGE]].tolist() == [True, True, True]
    assert rebuilt[KIND_CODE[InteractionKind.PURCHASE]].tolist() == [True, False, False]


def test_the_state_codes_check_passes():
    assert _check_codes() is None


# -- frames: the rules a frame's rows break, named ---------------------------------------------


def _times(hours: int) -> object:
    pa = pytest.importorskip("pyarrow")
    return pa.array([T0 + timedelta(hours=h) for h in range(hours)], pa.timestamp("us", "UTC"))


def _caught(error: type[Exception], frame: dict[str, object], **options: str) -> ValidationError:
    pa = pytest.importorskip("pyarrow")
    with pytest.raises(error) as caught:
        EventTable.from_frame(pa.table(frame), **options)  # type: ignore[arg-type]
    return caught.value  # type: ignore[return-value]


def test_a_score_column_of_booleans_is_refused_as_no_whole_numbers():
    frame = {"customer_id": ["a"], "at": _times(1), "score": [True]}
    bad = _caught(WrongTypeError, frame, kind="nps", direction="inbound", channel="wecom_chat")
    assert (bad.field, bad.value, bad.rule) == (
        "score",
        "column of bool",
        "must hold whole numbers",
    )


def test_a_score_column_of_text_reads_digits_and_refuses_the_rest():
    pa = pytest.importorskip("pyarrow")
    frame = pa.table({"customer_id": ["a", "b"], "at": _times(2), "score": [" 9", "10"]})
    options = {"kind": "nps", "direction": "inbound", "channel": "wecom_chat"}
    assert EventTable.from_frame(frame, **options).score.tolist() == [9, 10]
    text = {"customer_id": ["a", "b"], "at": _times(2), "score": [" 9", "x"]}
    bad = _caught(ValidationError, text, **options)
    assert (bad.field, bad.value, bad.rule) == ("score[1]", "x", "must be a whole number")


def test_an_order_id_on_a_message_names_the_kinds_that_have_one():
    frame = {"customer_id": ["a"], "at": _times(1), "kind": ["message"], "order_id": ["o-1"]}
    bad = _caught(ValidationError, frame, direction="inbound")
    assert (bad.field, bad.value) == ("order_id[0]", "o-1")
    assert bad.rule == "only purchase and refund rows have a order_id"


def test_generated_order_ids_beside_event_and_content_ids_are_refused_naming_both():
    frame = {
        "customer_id": ["a", "b", "c"],
        "at": _times(3),
        "kind": ["purchase", "event_attend", "content_view"],
        "event_id": [None, "ev-1", None],
        "content_id": [None, None, "ct-1"],
        "amount": [1.0, None, None],
    }
    bad = _caught(ValidationError, frame, direction="inbound", currency="CNY")
    assert (bad.field, bad.value) == ("columns", "order_id")
    assert bad.rule == (
        "the frame has no order_id column, so order ids are generated, but it also has "
        "event_id and content_id: give order ids, or read the purchases as a frame of their "
        "own and concat the tables"
    )


def test_a_purchase_without_an_amount_is_refused():
    pa = pytest.importorskip("pyarrow")
    frame = {"customer_id": ["a"], "at": [T0], "amount": pa.array([None], pa.string())}
    bad = _caught(ValidationError, frame, kind="purchase", currency="CNY")
    assert (bad.field, bad.value) == ("amount[0]", None)
    assert bad.rule == "purchase and refund rows need an amount"


def test_an_amount_text_in_scientific_notation_is_read():
    pa = pytest.importorskip("pyarrow")
    frame = pa.table({"customer_id": ["a"], "at": [T0], "amount": ["5.1e1"]})
    table = EventTable.from_frame(frame, kind="purchase", currency="CNY")
    assert table.amount.tolist() == [5100]  # 5.1e1 = 51 CNY = 5,100 fen


def test_a_churn_with_an_empty_reason_cell_is_churned_for_another_reason():
    pa = pytest.importorskip("pyarrow")
    frame = pa.table(
        {
            "customer_id": ["a", "b"],
            "at": _times(2),
            "kind": ["churn", "churn"],
            "churn_reason": ["blocked", None],
        }
    )
    table = EventTable.from_frame(frame, direction="inbound")
    # ChurnReason: deleted 0, left_group 1, blocked 2, unsubscribed 3, removed 4, other 5
    assert table.reason.tolist() == [2, 5]


def test_a_referral_of_an_unknown_customer_says_who_may_be_referred():
    frame = {"customer_id": ["a"], "at": _times(1), "kind": ["referral"], "referred_id": ["zz"]}
    bad = _caught(ValidationError, frame, direction="inbound")
    assert (bad.field, bad.value) == ("referred_id[0]", "zz")
    assert bad.rule == (
        "the referred customer must be a customer of the table (have rows, or be listed in "
        "customers=)"
    )


def test_a_frame_without_a_time_column_names_the_columns_it_has():
    bad = _caught(ValidationError, {"customer_id": ["a"], "kind": ["message"]})
    assert (bad.field, bad.value) == ("columns", "customer_id, kind")
    assert bad.rule.startswith("the frame needs a column for 'at'")


def test_read_events_keeps_the_orders_of_the_rows_it_accepts():
    pa = pytest.importorskip("pyarrow")
    frame = pa.table(
        {
            "customer_id": ["a", "b", "c"],
            "at": _times(3),
            "order_id": ["o-1", "o-2", "o-3"],
            "amount": [1.0, -5.0, 2.0],
        }
    )
    load = read_events(frame, kind="purchase", currency="CNY")
    assert load.table is not None
    assert len(load.rejections) == 1  # b's purchase of -5.00 CNY
    # o-2 left with its row: the kept orders are renumbered 0, 1
    assert tuple(load.table.item_ids) == ("o-1", "o-3")
    assert load.table.item.tolist() == [0, 1]


def test_a_reason_on_a_message_row_is_refused_on_the_reason_column():
    message = KIND_CODE[InteractionKind.MESSAGE]
    with pytest.raises(ValidationError) as caught:
        EventTable.from_arrays([0], [0], [message], direction=[0], reason=[0])
    assert (caught.value.field, caught.value.value) == ("reason[0]", 0)
    assert caught.value.rule == "only churn and complaint rows have one"


def test_a_currency_that_is_no_string_is_refused_with_an_example():
    with pytest.raises(WrongTypeError) as caught:
        EventTable.from_arrays([0], [0], [0], direction=[0], currency=5)  # type: ignore[arg-type]
    assert str(caught.value) == "currency=<int>: must be an ISO 4217 currency code such as 'CNY'"


def test_read_events_with_every_row_refused_and_no_customer_gives_no_table():
    pa = pytest.importorskip("pyarrow")
    no_ids = pa.array([None, None], pa.string())
    frame = pa.table({"customer_id": no_ids, "at": _times(2), "amount": [1.0, 2.0]})
    load = read_events(frame, kind="purchase", currency="CNY")
    # neither row names its customer: nothing is kept, and a table needs a customer
    assert load.table is None
    assert [rejection.row for rejection in load.rejections] == [0, 1]


def test_a_referred_column_of_the_wrong_length_is_refused():
    referral = KIND_CODE[InteractionKind.REFERRAL]
    with pytest.raises(ValidationError) as caught:
        EventTable.from_arrays([0, 1], [0, 0], [referral, 0], direction=[0, 0], referred=[1])
    assert (caught.value.field, caught.value.value) == ("referred", "array of length 1")
    assert caught.value.rule == "must have one value per row: 2 rows, but 1 values"


# -- tables built from objects, and read back ----------------------------------------------------


def test_a_referral_of_the_first_customer_reads_back_with_its_referred_id():
    table = EventTable.from_interactions(
        [ev(1, "a", "connect", 0, source="store"), ev(2, "b", "referral", 1, referred_id="a")]
    )
    assert table.referred.tolist() == [-1, 0]  # "a" is customer 0
    rows = [(i.kind.value, i.customer_id, i.referred_id) for i in table.interactions()]
    assert rows == [("connect", "a", None), ("referral", "b", "a")]


def test_from_interactions_reports_each_of_its_seventeen_steps():
    calls: list[tuple[int, int | None]] = []
    EventTable.from_interactions(
        [ev(1, "a", "connect", 0, source="store")],
        progress=lambda done, total: calls.append((done, total)),
    )
    # three passes over the objects, 13 columns, then the table: 17 steps after the start
    assert calls == [(step, 17) for step in range(18)]


def test_a_referral_of_an_unknown_id_is_refused_naming_the_interaction():
    with pytest.raises(ValidationError) as caught:
        EventTable.from_interactions([ev(2, "b", "referral", 1, referred_id="zz")])
    assert (caught.value.field, caught.value.value) == ("interactions[0].referred_id", "zz")
    assert caught.value.rule == (
        "the referred customer must be a customer of the table (have interactions, or be "
        "listed in customers=)"
    )


def test_concat_of_no_tables_is_refused_by_name():
    with pytest.raises(ValidationError) as caught:
        EventTable.concat([])
    assert str(caught.value) == "tables='[]': at least one table is needed"


def test_a_customer_index_asked_for_a_number_or_an_unknown_id(table):
    with pytest.raises(WrongTypeError) as wrong:
        table.customer_index(5)  # type: ignore[arg-type]
    assert str(wrong.value) == "customer_id=<int>: must be a customer id (a string)"
    with pytest.raises(UnknownIdError) as unknown:
        table.customer_index("zz")
    assert (unknown.value.kind, unknown.value.id) == ("customer", "zz")


def test_money_beyond_what_a_money_holds_is_refused_with_the_bound():
    table = EventTable.from_interactions(
        [ev(1, "a", "purchase", 0, amount={"amount": "1", "currency": "CNY"}, order_id="o-1")]
    )
    # CNY has 2 decimals: the bound is 10**(15 + 2) fen, either sign
    for units in (10**17, -(10**17)):
        with pytest.raises(ValidationError) as caught:
            table.money(units)
        assert (caught.value.field, caught.value.value) == ("minor_units", units)
        assert caught.value.rule == (
            "must be below 100000000000000000 in size (10**15 CNY, the most a Money holds)"
        )


# -- frames: times and amounts as exports have them ---------------------------------------------


def _message_frame_error(at: object, **options: object) -> ValidationError:
    frame = {"customer_id": ["a"], "at": at}
    return _caught(ValidationError, frame, kind="message", direction="inbound", **options)


def test_a_time_text_of_a_thirteenth_month_is_no_iso_time():
    bad = _message_frame_error(["2026-13-01T00:00:00Z"])
    assert (bad.field, bad.value) == ("at[0]", "2026-13-01T00:00:00Z")
    assert bad.rule == "must be an ISO 8601 time such as 2026-03-01T10:00:00+08:00"


def test_a_time_text_finer_than_a_microsecond_is_refused():
    bad = _message_frame_error(["2026-03-01T10:00:00.0000001+08:00"])
    assert (bad.field, bad.value) == ("at[0]", "2026-03-01T10:00:00.0000001+08:00")
    assert bad.rule == "is finer than a microsecond, the table's unit: write at most 6 decimals"


def test_a_nanosecond_timestamp_is_refused_with_how_to_round_it():
    pa = pytest.importorskip("pyarrow")
    bad = _message_frame_error(pa.array([10**18 + 1], pa.timestamp("ns", "UTC")))
    assert bad.field == "at[0]"
    assert bad.rule.startswith("is finer than a microsecond, the table's unit: round the column")


def test_a_time_column_of_numbers_is_refused():
    bad = _caught(
        WrongTypeError, {"customer_id": ["a"], "at": [5]}, kind="message", direction="inbound"
    )
    assert (bad.field, bad.value) == ("at", "column of int64")
    assert bad.rule == (
        "must hold times (datetimes or ISO 8601 strings): a number is never read as a time"
    )


def test_an_amount_text_with_a_comma_is_refused():
    frame = {"customer_id": ["a"], "at": [T0], "amount": ["5,1"]}
    bad = _caught(ValidationError, frame, kind="purchase", currency="CNY")
    assert (bad.field, bad.value) == ("amount[0]", "5,1")
    assert bad.rule == "must be an amount such as 51.23 (digits, one point)"


def test_money_objects_give_their_amount_and_currency():
    pa = pytest.importorskip("pyarrow")
    money = [{"amount": "88.00", "currency": "CNY"}]
    table = EventTable.from_frame(
        pa.table({"customer_id": ["a"], "at": [T0], "amount": money}), kind="purchase"
    )
    assert (table.amount.tolist(), table.currency) == ([8800], "CNY")  # 88.00 CNY = 8,800 fen
    frame = {"customer_id": ["a"], "at": [T0], "amount": [{"value": "88.00"}]}
    bad = _caught(WrongTypeError, frame, kind="purchase")
    assert (bad.field, bad.value) == ("amount", "column of struct<value: string>")
    assert bad.rule == "must hold amounts, or money objects with 'amount' and 'currency'"


def test_extra_decimals_are_refused_unless_a_rounding_is_given():
    pa = pytest.importorskip("pyarrow")
    frame = {"customer_id": ["a"], "at": [T0], "amount": [1.234]}
    bad = _caught(ValidationError, frame, kind="purchase", currency="CNY")
    assert (bad.field, bad.value) == ("amount[0]", 1.234)
    assert bad.rule.startswith("has more decimals than the currency has (e.g. 2 for CNY)")
    rounded = EventTable.from_frame(
        pa.table(frame), kind="purchase", currency="CNY", rounding="half_up"
    )
    assert rounded.amount.tolist() == [123]  # 1.234 CNY = 123.4 fen, rounded half up: 123


def test_frame_options_that_are_wrong_are_refused_by_name():
    frame = {"customer_id": ["a"], "at": [T0]}
    options = {"kind": "message", "direction": "inbound"}
    bad = _caught(WrongTypeError, frame, columns=5, **options)  # type: ignore[arg-type]
    assert (bad.field, bad.value) == ("columns", 5)
    assert bad.rule == "must map custpool field names to frame columns"
    bad = _caught(ValidationError, frame, columns={"at": "when"}, **options)  # type: ignore[arg-type]
    assert (bad.field, bad.value) == ("columns['at']", "when")
    assert bad.rule == "must name a column of the frame (it has: customer_id, at)"
    bad = _caught(ValidationError, frame, rounding="up", **options)
    assert (bad.field, bad.value) == ("rounding", "up")
    assert bad.rule == "must be None, 'half_even' or 'half_up'"
