"""Hostile input for the loaders: rows the table refuses, contact handles under unknown keys,
unreadable rows of the wrong model, and arguments of the wrong type (issue 13).

The rule pinned here: a bad row is a rejection with its line in every lenient load, whatever
layer finds it, and rows read = accepted + rejected; a contact handle never appears in a
message, a rejection, a repr or an error attribute; wrong types raise custpool errors.
"""

import io
import json
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import custpool._io.events as events_module
from custpool import (
    Customer,
    EventLoad,
    EventTable,
    Interaction,
    LoadError,
    LoadResult,
    Problem,
    Rejection,
    ValidationError,
    WrongTypeError,
    read_csv,
    read_events,
    read_jsonl,
    write_csv,
    write_jsonl,
)
from custpool._io.loading import Collector, looks_like_contact, show_row, show_value

PHONE = "13800138000"
OPENID = "o6_bmjrPTlm6_2sgVt7hMZOPfL2M"
WXID = "wxid_coffee_fan_88"
EMAIL = "wang.fang@example.com"
HANDLES = (PHONE, "138001", OPENID, WXID, EMAIL, "coffee_fan_88")
AT = "2026-03-01T12:00:00Z"
# The largest amount Money holds in KWD (3 decimals): 10**15 - 0.001, i.e. 10**18 - 1 fils.
MAX_KWD = "999999999999999.999"
INT64_MAX = 2**63 - 1


def row(**fields) -> bytes:
    return json.dumps(fields, ensure_ascii=False).encode("utf-8")


def jsonl(*rows: bytes) -> io.BytesIO:
    return io.BytesIO(b"\n".join(rows) + b"\n")


def message(id: str = "i-1", **fields) -> bytes:  # noqa: A002 - the field is called id
    base = {
        "id": id,
        "customer_id": "c-1",
        "at": AT,
        "kind": "message",
        "direction": "inbound",
        "channel": "wecom_chat",
    }
    return row(**(base | fields))


def purchase(id: str, amount: str, currency: str = "KWD", customer: str = "c-1") -> bytes:  # noqa: A002
    return row(
        id=id,
        customer_id=customer,
        at=AT,
        kind="purchase",
        channel="store",
        order_id=f"o-{id}",
        amount={"amount": amount, "currency": currency},
    )


def assert_no_handle_in(shown: str) -> None:
    """No handle, and no 8 characters in a row of one (a repr cut at 60 characters leaks)."""
    for handle in HANDLES:
        for start in range(len(handle) - 7):
            assert handle[start : start + 8] not in shown, handle


def everything_shown(result: LoadResult | EventLoad) -> str:
    """Every text a caller may print or log about a lenient load."""
    shown = [result.summary(), repr(result)]
    for rejection in result.rejections:
        shown += [str(rejection), repr(rejection)]
        shown += [f"{p.field} {p.value} {p.rule}" for p in rejection.problems]
    return "\n".join(shown)


def strict_error_shown(err: LoadError) -> str:
    """Everything a traceback or a log of the error shows, the exceptions chained to it too."""
    shown = [str(err.value), err.shown_value, err.field, err.rule]
    seen: BaseException | None = err
    while seen is not None:
        shown += [str(seen), repr(seen), *getattr(seen, "__notes__", [])]
        seen = seen.__cause__ or seen.__context__
    return "\n".join(shown)


# --- item 3: whatever layer refuses a row, it is a rejection with its line ---------------------


@pytest.mark.parametrize(
    "placeholder", ["0001-01-01T00:00:00Z", "1899-12-31T23:59:59Z", "9999-12-31T23:59:59Z"]
)
def test_a_placeholder_date_the_table_cannot_hold_is_a_rejection_with_its_line(placeholder):
    data = jsonl(message("i-1"), message("i-2", at=placeholder), message("i-3"))
    load = read_events(data, format="jsonl")
    assert load.table is not None
    assert len(load.table) == 2  # i-1 and i-3
    (rejection,) = load.rejections
    assert (rejection.line, rejection.field) == (2, "at")
    assert rejection.value == repr(placeholder)
    assert "1900-01-01" in rejection.reason
    assert "2170-01-01" in rejection.reason
    assert (load.rows_read, load.rows_accepted, load.rows_rejected) == (3, 2, 1)


def test_the_table_bounds_are_inclusive_at_1900_and_exclusive_at_2170():
    data = jsonl(
        message("i-1", at="1900-01-01T00:00:00Z"),
        message("i-2", at="2169-12-31T23:59:59.999999Z"),
        message("i-3", at="2170-01-01T00:00:00Z"),
    )
    load = read_events(data, format="jsonl")
    assert [r.line for r in load.rejections] == [3]
    assert load.table is not None
    assert len(load.table) == 2


def test_an_identical_copy_of_a_row_the_table_refuses_is_refused_too():
    bad = message("i-2", at="0001-01-01T00:00:00Z")
    load = read_events(jsonl(message("i-1"), bad, message("i-1"), bad), format="jsonl")
    assert [(r.line, r.field) for r in load.rejections] == [(2, "at"), (4, "at")]
    assert load.duplicates_dropped == 1  # line 3, a copy of line 1
    assert (load.rows_read, load.rows_accepted, load.rows_rejected) == (4, 2, 2)


def test_a_placeholder_date_raises_a_load_error_with_its_line_in_strict_mode():
    data = jsonl(message("i-1"), message("i-2", at="0001-01-01T00:00:00Z"))
    with pytest.raises(LoadError) as info:
        read_events(data, format="jsonl", strict=True)
    assert (info.value.line, info.value.field) == (2, "at")


def test_a_placeholder_date_in_csv_is_a_rejection_with_its_line_too():
    text = (
        "id,customer_id,at,kind,direction,channel\n"
        f"i-1,c-1,{AT},message,inbound,wecom_chat\n"
        "i-2,c-1,0001-01-01T00:00:00Z,message,inbound,wecom_chat\n"
    )
    load = read_events(io.BytesIO(text.encode()), format="csv")
    assert [(r.line, r.field) for r in load.rejections] == [(3, "at")]
    assert load.table is not None
    assert len(load.table) == 1


def test_amounts_that_would_sum_past_int64_are_rejected_in_file_order():
    # Each row is 10**18 - 1 fils: nine sum to 8_999_999_999_999_999_991 <= 2**63 - 1, the
    # tenth would make 9_999_999_999_999_999_990 > 2**63 - 1 = 9_223_372_036_854_775_807.
    rows = [purchase(f"i-{n}", MAX_KWD) for n in range(1, 12)]
    load = read_events(jsonl(*rows), format="jsonl")
    assert [r.line for r in load.rejections] == [10, 11]
    assert all(r.field == "amount" for r in load.rejections)
    assert "2**63" in load.rejections[0].reason
    assert load.table is not None
    assert len(load.table) == 9
    assert int(load.table.amount.sum(dtype=object)) == 9 * (10**18 - 1) <= INT64_MAX
    assert (load.rows_read, load.rows_accepted, load.rows_rejected) == (11, 9, 2)


def test_a_row_rejected_for_its_currency_does_not_count_towards_the_total():
    rows = [purchase("i-0", "1", "CNY")] + [purchase(f"i-{n}", MAX_KWD) for n in range(1, 11)]
    load = read_events(jsonl(*rows), format="jsonl")
    assert [r.field for r in load.rejections] == ["amount.currency"] * 10
    assert load.table is not None
    assert load.table.currency == "CNY"


def test_a_row_the_table_refuses_for_a_reason_read_events_does_not_know_is_isolated(
    monkeypatch,
):
    # A stand-in for any rule of the table that read_events does not check itself: the table
    # refuses every row of customer "c-bad". Each such row is found and rejected with its line.
    # (The row path: read_events without pyarrow.)
    monkeypatch.setattr(events_module, "pyarrow_modules", lambda: None)
    real = EventTable.from_interactions.__func__

    def picky(cls, interactions, *, customers=(), currency=None):
        rows = list(interactions)
        for position, item in enumerate(rows):
            if item.customer_id == "c-bad":
                raise ValidationError(f"interactions[{position}].customer_id", "c-bad", "picky")
        return real(cls, rows, customers=customers, currency=currency)

    monkeypatch.setattr(EventTable, "from_interactions", classmethod(picky))
    rows = [message(f"i-{n}", customer_id="c-bad" if n in (3, 7) else "c-1") for n in range(1, 9)]
    load = read_events(jsonl(*rows), format="jsonl")
    assert [(r.line, r.field, r.value, r.reason) for r in load.rejections] == [
        (3, "customer_id", "'c-bad'", "picky"),
        (7, "customer_id", "'c-bad'", "picky"),
    ]
    assert load.table is not None
    assert len(load.table) == 6
    assert load.rows_read == load.rows_accepted + load.rows_rejected == 8
    with pytest.raises(LoadError) as info:
        read_events(jsonl(*rows), format="jsonl", strict=True)
    assert info.value.line == 3


def test_a_row_the_table_refuses_in_a_bulk_read_sends_the_file_row_by_row(monkeypatch):
    # The bulk path builds the table with from_arrays: should it refuse (here: any table with
    # customer "c-bad" and a row of theirs), the file is read again row by row, where each
    # refused row is isolated and rejected with its line.
    real = EventTable.from_arrays.__func__

    def picky(cls, customer, time, kind, **columns):
        ids = list(columns.get("customer_ids") or ())
        if "c-bad" in ids and ids.index("c-bad") in set(np.asarray(customer).tolist()):
            raise ValidationError("customer[0]", "c-bad", "picky")
        return real(cls, customer, time, kind, **columns)

    monkeypatch.setattr(EventTable, "from_arrays", classmethod(picky))
    rows = [message(f"i-{n}", customer_id="c-bad" if n in (3, 7) else "c-1") for n in range(1, 9)]
    load = read_events(jsonl(*rows), format="jsonl")
    assert [(r.line, r.field, r.reason) for r in load.rejections] == [
        (3, "customer_id", "picky"),
        (7, "customer_id", "picky"),
    ]
    assert load.table is not None
    assert len(load.table) == 6
    assert load.rows_read == load.rows_accepted + load.rows_rejected == 8


def test_an_unexpected_error_while_validating_a_row_is_a_rejection_not_an_abort():
    class Exploding(Customer):
        @classmethod
        def model_validate(cls, obj, *args, **kwargs):
            if obj.get("id") == "c-2":
                raise KeyError(PHONE)
            return Customer.model_validate(obj, *args, **kwargs)

    rows = Collector(Customer, source=None, strict=False)
    rows.model = Exploding
    for line, ident in enumerate(["c-1", "c-2", "c-3"], start=1):
        rows.add(line, {"id": ident})
    result = rows.result()
    assert [c.id for c in result.records] == ["c-1", "c-3"]
    (rejection,) = result.rejections
    assert (rejection.line, rejection.field, rejection.value) == (2, "<row>", "<not shown>")
    assert "KeyError" in rejection.reason
    assert_no_handle_in(everything_shown(result))


# --- item 6b: contact handles under unknown keys ------------------------------------------------

CONTACT_KEYS = [
    "mobile",
    "Phone",
    "unionid",
    "openId",
    "EMAIL",
    "tel",
    "wx",
    "wxid",
    "WeChat",
    "weixin_id",
    "external_userid",
    "externalUserId",
    "mobile_phone",
    "user-email",
    "qq",
]


@pytest.mark.parametrize("key", CONTACT_KEYS)
def test_keys_named_like_contact_fields_are_recognised_whatever_their_case(key):
    assert looks_like_contact(key)


@pytest.mark.parametrize(
    "key", ["id", "display_name", "customer_id", "at", "kind", "order_id", "title", "hotel", "x"]
)
def test_ordinary_field_names_are_not_taken_for_contact_fields(key):
    assert not looks_like_contact(key)


def test_unknown_keys_named_like_contact_fields_never_show_their_value():
    data = row(id="c-1", mobile=PHONE, Phone=PHONE, unionid=OPENID, wxid=WXID, EMAIL=EMAIL)
    result = read_jsonl(jsonl(data), Customer)
    (rejection,) = result.rejections
    assert {p.field: p.value for p in rejection.problems} == {
        "mobile": f"<secret, {len(PHONE)} chars>",
        "Phone": f"<secret, {len(PHONE)} chars>",
        "unionid": f"<secret, {len(OPENID)} chars>",
        "wxid": f"<secret, {len(WXID)} chars>",
        "EMAIL": f"<secret, {len(EMAIL)} chars>",
    }
    with pytest.raises(LoadError) as info:
        read_jsonl(jsonl(data), Customer, strict=True)
    shown = everything_shown(result) + strict_error_shown(info.value)
    assert_no_handle_in(shown)


@pytest.mark.parametrize(
    "fields",
    [
        {"mobile": PHONE},  # an interaction has no contacts at all
        {"tags": [{"group": "custom", "name": "x", "openid": OPENID}]},  # nested in a tag
        {"amount": {"amount": "1", "currency": "CNY", "Tel": PHONE}},  # nested in money
        {"score": {"wx": WXID}},  # inside a value shown whole
        {"order_id": {"contact": {"email": EMAIL}}},  # deeper still
    ],
)
def test_contact_fields_are_hidden_at_any_depth_in_rows_of_any_model(fields):
    data = message("i-1", **fields)
    result = read_jsonl(jsonl(data), Interaction)
    load = read_events(jsonl(data), format="jsonl")
    assert result.rows_rejected == load.rows_rejected == 1
    with pytest.raises(LoadError) as info:
        read_jsonl(jsonl(data), Interaction, strict=True)
    shown = everything_shown(result) + everything_shown(load) + strict_error_shown(info.value)
    assert_no_handle_in(shown)


def test_unknown_keys_never_show_their_value_whatever_their_name():
    result = read_jsonl(jsonl(message(note=f"call {PHONE}", level=3)), Interaction)
    (rejection,) = result.rejections
    assert [(p.field, p.value, p.rule) for p in rejection.problems] == [
        ("note", f"<not shown, {len('call ' + PHONE)} chars>", "Extra inputs are not permitted"),
        ("level", "<not shown>", "Extra inputs are not permitted"),
    ]


def test_an_unknown_key_that_is_itself_a_handle_is_not_shown():
    for data in (row(id="c-1", **{PHONE: True}), row(id="c-1", **{EMAIL: 1})):
        result = read_jsonl(jsonl(data), Customer)
        (problem,) = result.rejections[0].problems
        assert problem.field.startswith("<key of ")
        assert problem.rule == "Extra inputs are not permitted"
        assert_no_handle_in(everything_shown(result))


def test_a_repeated_key_that_is_itself_a_handle_is_not_shown():
    data = b'{"id": "c-1", "' + PHONE.encode() + b'": 1, "' + PHONE.encode() + b'": 2}'
    result = read_jsonl(jsonl(data), Interaction)
    assert result.rejections[0].reason == (
        f"key <key of {len(PHONE)} chars> appears more than once in an object; keys must be unique"
    )
    assert_no_handle_in(everything_shown(result))


def test_show_value_hides_contact_keys_at_any_depth():
    assert show_value({"Mobile": PHONE, "x": [{"unionId": OPENID}]}) == (
        "{'Mobile': <secret>, 'x': [{'unionId': <secret>}]}"
    )
    assert show_value({PHONE: 1}) == "{<key of 11 chars>: 1}"


def test_a_strict_error_carries_no_chained_error_that_shows_the_row():
    data = message("i-1", mobile=PHONE)
    for read in (
        lambda: read_jsonl(jsonl(data), Interaction, strict=True),
        lambda: read_events(jsonl(data), format="jsonl", strict=True),
    ):
        with pytest.raises(LoadError) as info:
            read()
        assert info.value.__context__ is None
        assert info.value.__cause__ is None
        assert_no_handle_in(strict_error_shown(info.value))


# --- item 6d: unreadable rows of a file read with the wrong model --------------------------------


def test_an_unreadable_customer_row_read_as_interactions_is_shown_only_by_length():
    customer = row(id="c-1", contacts={"phone": PHONE, "wechat_id": WXID})[:-1]  # truncated
    result = read_jsonl(jsonl(customer), Interaction)
    load = read_events(jsonl(customer), format="jsonl")
    for rejections in (result.rejections, load.rejections):
        (rejection,) = rejections
        assert (rejection.line, rejection.field) == (1, "<row>")
        assert rejection.value == f"<{len(customer)} chars>"
        assert rejection.reason.startswith("invalid JSON: ")
    with pytest.raises(LoadError) as info:
        read_jsonl(jsonl(customer), Interaction, strict=True)
    shown = everything_shown(result) + everything_shown(load) + strict_error_shown(info.value)
    assert_no_handle_in(shown)


def test_show_row_never_shows_the_text():
    # '{"phone": "' is 11 characters, the number 11 more, the closing quote 1: 23 in all.
    assert show_row(f'  {{"phone": "{PHONE}"  ', secret=False) == "<23 chars>"
    assert show_row(f'{{"phone": "{PHONE}"', secret=True) == "<secret, 23 chars>"


# --- item 10: wrong types raise custpool errors --------------------------------------------------


@pytest.mark.parametrize("currency", [123, 1.5, True, b"CNY", ["CNY"]])
def test_read_events_refuses_a_currency_that_is_not_text(currency):
    with pytest.raises(WrongTypeError) as info:
        read_events(jsonl(message()), format="jsonl", currency=currency)
    assert info.value.field == "currency"


def test_read_events_refuses_an_unknown_currency_and_normalises_a_known_one():
    with pytest.raises(ValidationError) as info:
        read_events(jsonl(message()), format="jsonl", currency="XYZ")
    assert (info.value.field, info.value.value) == ("currency", "XYZ")
    load = read_events(jsonl(purchase("i-1", "5", "CNY")), format="jsonl", currency=" cny ")
    assert load.table is not None
    assert load.table.currency == "CNY"
    assert load.ok


@pytest.mark.parametrize("customers", ["c-9", b"c-9", 5, None])
def test_read_events_refuses_customers_that_are_not_a_collection_of_ids(customers):
    with pytest.raises(WrongTypeError) as info:
        read_events(jsonl(message()), format="jsonl", customers=customers)
    assert info.value.field == "customers"


def test_read_events_checks_each_extra_customer_id():
    with pytest.raises(WrongTypeError) as info:
        read_events(jsonl(message()), format="jsonl", customers=["c-2", 5])
    assert info.value.field == "customers[1]"
    with pytest.raises(ValidationError) as info:
        read_events(jsonl(message()), format="jsonl", customers=["c-2", "a b"])
    assert info.value.field == "customers[1]"
    load = read_events(jsonl(message()), format="jsonl", customers=iter(["c-2"]))
    assert load.table is not None
    assert load.table.customer_ids == ("c-1", "c-2")


@pytest.mark.parametrize(
    ("option", "value"),
    [("format", 5), ("strict", "yes"), ("strict", None), ("max_row_bytes", "10")],
)
def test_read_events_refuses_options_of_the_wrong_type(option, value):
    with pytest.raises(WrongTypeError) as info:
        read_events(jsonl(message()), **{"format": "jsonl", option: value})
    assert info.value.field == option


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: read_jsonl(jsonl(message()), "Interaction"), "model"),
        (lambda: read_jsonl(42, Interaction), "source"),
        (lambda: read_jsonl(io.StringIO("{}"), Interaction), "source"),
        (lambda: read_jsonl(jsonl(message()), Interaction, strict="no"), "strict"),
        (lambda: read_jsonl(jsonl(message()), Interaction, max_line_bytes="10"), "max_line_bytes"),
        (lambda: read_jsonl(jsonl(message()), Interaction, max_line_bytes=1.5), "max_line_bytes"),
        (lambda: write_jsonl(io.BytesIO(), 5), "records"),
        (lambda: write_jsonl(io.BytesIO(), "c-1"), "records"),
        (lambda: write_jsonl(io.BytesIO(), [{"id": "c-1"}]), "records"),
        (lambda: write_jsonl(None, []), "dest"),
        (lambda: write_csv(io.BytesIO(), None), "records"),
        (lambda: read_csv(jsonl(), dict), "model"),
    ],
)
def test_loader_arguments_of_the_wrong_type_raise_wrong_type_errors(call, field):
    with pytest.raises(WrongTypeError) as info:
        call()
    assert info.value.field == field
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, ValueError)  # still a ValidationError, as before


@pytest.mark.parametrize("flag", ["no", "false", 0, 1, None])
def test_reveal_secrets_must_be_true_or_false_so_a_string_never_reveals(flag):
    out = io.BytesIO()
    with pytest.raises(WrongTypeError) as info:
        write_jsonl(out, [Customer(id="c-1", contacts={"phone": PHONE})], reveal_secrets=flag)
    assert info.value.field == "reveal_secrets"
    assert out.getvalue() == b""


def test_size_limits_below_one_stay_value_errors_not_type_errors():
    with pytest.raises(ValidationError) as info:
        read_jsonl(jsonl(), Customer, max_line_bytes=0)
    assert not isinstance(info.value, TypeError)


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Problem("score", 11, "must be at most 10"), "value"),
        (lambda: Problem(None, "'x'", "rule"), "field"),
        (lambda: Rejection("7", (Problem("a", "b", "c"),)), "line"),
        (lambda: Rejection(0, (Problem("a", "b", "c"),)), "line"),
        (lambda: Rejection(7, [Problem("a", "b", "c")]), "problems"),
        (lambda: Rejection(7, ("not a problem",)), "problems"),
        (lambda: Rejection(7, (Problem("a", "b", "c"),), other_line="1"), "other_line"),
        (lambda: LoadResult([Customer(id="c-1")]), "records"),
        (lambda: LoadResult((), ("bad",)), "rejections"),
        (lambda: LoadResult((), source=5), "source"),
        (lambda: EventLoad("table", (), 0, None), "table"),
        (lambda: EventLoad(None, [], 0, None), "rejections"),
        (lambda: EventLoad(None, (), -1, None), "duplicates_dropped"),
    ],
)
def test_result_types_refuse_fields_of_the_wrong_type(build, field):
    with pytest.raises(ValidationError) as info:
        build()
    assert info.value.field == field


def test_a_load_of_valid_times_is_unchanged():
    # The check of the table's time range costs nothing to valid rows.
    data = jsonl(message("i-1", at=datetime(2026, 3, 1, tzinfo=UTC).isoformat()))
    load = read_events(data, format="jsonl")
    assert load.ok
    assert load.table is not None
    assert len(load.table) == 1


# --- property: read_events never stops, and its counts add up ------------------------------------

YEARS = st.sampled_from([1, 1899, 1900, 1970, 2026, 2169, 2170, 9999])


@st.composite
def hostile_event_rows(draw: st.DrawFn) -> list[bytes]:
    rows = []
    for n in range(draw(st.integers(0, 12))):
        at = f"{draw(YEARS):04d}-0{draw(st.integers(1, 9))}-01T00:00:00Z"
        customer = f"c-{draw(st.integers(1, 3))}"
        kind = draw(st.sampled_from(["message", "purchase", "referral", "blank", "broken"]))
        ident = f"i-{draw(st.integers(1, 8)) if draw(st.booleans()) else n + 100}"
        if kind == "message":
            rows.append(message(ident, customer_id=customer, at=at))
        elif kind == "purchase":
            amount = draw(st.sampled_from([MAX_KWD, "1.000", "0.001", "500000000000000.000"]))
            currency = draw(st.sampled_from(["KWD", "KWD", "KWD", "USD"]))
            rows.append(purchase(ident, amount, currency, customer=customer))
        elif kind == "referral":
            referred = f"c-{draw(st.integers(1, 5))}"
            base = {"id": ident, "customer_id": customer, "at": at, "kind": "referral"}
            rows.append(row(**base, channel="store", referred_id=referred))
        elif kind == "blank":
            rows.append(b"   ")
        else:
            rows.append(message(ident, customer_id=customer, at=at)[:-3])
    return rows


@settings(max_examples=150, deadline=None)
@given(rows=hostile_event_rows())
def test_read_events_never_stops_on_a_row_and_its_counts_add_up(rows):
    load = read_events(jsonl(*rows), format="jsonl")
    assert load.rows_read == len([r for r in rows if r.strip()])
    assert load.rows_read == load.rows_accepted + load.rows_rejected
    lines = [r.line for r in load.rejections]
    assert lines == sorted(set(lines))
    if load.table is not None:
        assert int(load.table.amount.sum(dtype=object)) <= INT64_MAX
    if load.ok:
        strict = read_events(jsonl(*rows), format="jsonl", strict=True)
        assert strict.rows_read == load.rows_read
    else:  # strict mode raises for one of the rows the lenient load rejected
        with pytest.raises(LoadError) as info:
            read_events(jsonl(*rows), format="jsonl", strict=True)
        assert info.value.line in lines
