import io
import json
from decimal import Decimal

import pytest

from custpool import (
    Customer,
    Interaction,
    LoadError,
    PoolActivity,
    read_jsonl,
    write_jsonl,
)

PHONE = "+86 138 0013 8000"
WECHAT = "coffee_fan_88"
AT = "2026-03-01T12:00:00Z"


def row(**fields) -> bytes:
    return json.dumps(fields, ensure_ascii=False).encode("utf-8")


def jsonl(*rows: bytes, end: bytes = b"\n") -> io.BytesIO:
    return io.BytesIO(b"\n".join(rows) + end)


def nps(id="i-1", **fields) -> bytes:  # noqa: A002 - the field is called id
    base = {"id": id, "customer_id": "c-1", "at": AT, "kind": "nps", "channel": "wecom_chat"}
    return row(**(base | {"score": 9} | fields))


def test_blank_lines_are_skipped_but_line_numbers_stay_physical():
    result = read_jsonl(
        jsonl(row(id="c-1"), b"", b"   \t", row(id="c 4"), b"\r", row(id="c-6")), Customer
    )
    assert [c.id for c in result.records] == ["c-1", "c-6"]
    assert [r.line for r in result.rejections] == [4]
    assert result.rows_read == 3


def test_a_leading_bom_is_ignored_but_one_later_is_an_error():
    bom = b"\xef\xbb\xbf"
    result = read_jsonl(jsonl(bom + row(id="c-1"), bom + row(id="c-2")), Customer)
    assert [c.id for c in result.records] == ["c-1"]
    assert result.rejections[0].line == 2
    assert result.rejections[0].reason.startswith("invalid JSON: Unexpected UTF-8 BOM")


def test_windows_line_breaks_are_accepted():
    result = read_jsonl(io.BytesIO(row(id="c-1") + b"\r\n" + row(id="c-2") + b"\r\n"), Customer)
    assert [c.id for c in result.records] == ["c-1", "c-2"]


def test_malformed_utf8_is_rejected_with_the_byte_position():
    result = read_jsonl(jsonl(row(id="c-1"), b'{"id": "c-\xff2"}', row(id="c-3")), Customer)
    assert [c.id for c in result.records] == ["c-1", "c-3"]
    (rejection,) = result.rejections
    assert (rejection.line, rejection.field, rejection.value, rejection.reason) == (
        2,
        "<row>",
        "b'\\xff'",
        "not valid UTF-8 at byte 11",
    )


def test_a_truncated_last_line_is_rejected_and_earlier_rows_kept():
    data = row(id="c-1") + b"\n\n" + row(id="c-2", display_name="Li Wei")[:-4]
    result = read_jsonl(io.BytesIO(data), Customer)
    assert [c.id for c in result.records] == ["c-1"]
    (rejection,) = result.rejections
    assert rejection.line == 3
    assert rejection.field == "<row>"
    assert rejection.reason.startswith("invalid JSON: Unterminated string")
    assert rejection.value == "<secret, 35 chars>"  # customer rows may hold contact handles


def test_invalid_json_is_shown_by_its_length_and_column_never_by_its_text():
    # A row that cannot be parsed cannot be searched for contact handles, whatever the model.
    result = read_jsonl(jsonl(b'{"id": "i-1", kind}'), Interaction)
    assert str(result.rejections[0]) == (
        "line 1: <row>=<19 chars>: invalid JSON: "
        "Expecting property name enclosed in double quotes (column 15)"
    )


def test_lines_over_the_limit_are_rejected_without_parsing():
    short = row(id="c-1")  # 13 bytes
    exact = row(id="c-" + "2" * 18)  # 30 bytes
    over = row(id="c-" + "3" * 19)  # 31 bytes, a valid row
    result = read_jsonl(
        io.BytesIO(b"\n".join([short, exact, over + b"\r", over]) + b"\r\n"),
        Customer,
        max_line_bytes=30,
    )
    assert [c.id for c in result.records] == ["c-1", "c-" + "2" * 18]
    assert [(r.line, r.field, r.value) for r in result.rejections] == [
        (3, "<row>", "<31 bytes>"),
        (4, "<row>", "<31 bytes>"),
    ]
    assert result.rejections[0].reason == "line is 31 bytes, longer than max_line_bytes=30"


def test_the_limit_does_not_count_a_leading_bom():
    bom = b"\xef\xbb\xbf"
    exact = row(id="c-" + "1" * 18)  # 30 bytes
    result = read_jsonl(jsonl(bom + exact, exact), Customer, max_line_bytes=30)
    assert [c.id for c in result.records] == ["c-" + "1" * 18]
    assert result.duplicates_dropped == 1
    over = row(id="c-" + "1" * 19)  # 31 bytes
    result = read_jsonl(jsonl(bom + over, over, exact), Customer, max_line_bytes=30)
    assert [(r.line, r.value) for r in result.rejections] == [(1, "<31 bytes>"), (2, "<31 bytes>")]
    assert [r.line for r in read_jsonl(jsonl(exact), Customer, max_line_bytes=29).rejections] == [1]


def test_a_huge_line_is_skipped_in_chunks_and_counted():
    huge = b'{"id": "c-2", "display_name": "' + b"x" * 300_000 + b'"}'
    result = read_jsonl(jsonl(row(id="c-1"), huge, row(id="c-3")), Customer, max_line_bytes=1000)
    assert [c.id for c in result.records] == ["c-1", "c-3"]
    assert [(r.line, r.value) for r in result.rejections] == [(2, f"<{len(huge)} bytes>")]


def test_a_huge_last_line_without_a_line_break():
    huge = b"[" + b"0," * 5000 + b"0]"
    result = read_jsonl(io.BytesIO(row(id="c-1") + b"\n" + huge), Customer, max_line_bytes=100)
    assert [(r.line, r.value) for r in result.rejections] == [(2, f"<{len(huge)} bytes>")]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (b"[1, 2]", "an array"),
        (b'"c-1"', "a string"),
        (b"42", "a number"),
        (b"4.2", "a number"),
        (b"true", "true or false"),
        (b"null", "null"),
    ],
)
def test_json_that_is_not_an_object_is_rejected(text, kind):
    result = read_jsonl(jsonl(row(id="c-1"), text), Customer)
    assert result.rejections[0].line == 2
    assert result.rejections[0].reason == f"must be a JSON object {{...}}, not {kind}"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            b'{"id": "c-1", "id": "c-2"}',
            "key 'id' appears more than once in an object; keys must be unique",
        ),
        (
            b'{"id": "c-1", "score": NaN}',
            "NaN is not a JSON number; write the value as a string or leave it out",
        ),
        (b"[" * 100_000, "invalid JSON: maximum recursion depth exceeded"),
        (b'{"id": "c-1", "score": 1' + b"0" * 5000 + b"}", "invalid JSON: Exceeds the limit"),
    ],
)
def test_json_that_parses_only_loosely_is_rejected(text, reason):
    result = read_jsonl(jsonl(text), Customer)
    (rejection,) = result.rejections
    assert rejection.line == 1
    assert rejection.reason.startswith(reason)


def test_unknown_kind_naive_time_and_bad_amount_are_rejected_by_the_model():
    rows = [
        nps(id="i-1"),
        nps(id="i-2", kind="gift"),
        nps(id="i-3", at="2026-03-01T20:00:00"),
        nps(
            id="i-4",
            kind="purchase",
            score=None,
            order_id="o-1",
            amount={"amount": "19.999", "currency": "CNY"},
        ),
        nps(id="i-5", kind="purchase", score=None, order_id="o-2", amount={"amount": "1"}),
        nps(id="i-6", kind="purchase", score=None, order_id="o-3", amount=19.9),
    ]
    result = read_jsonl(jsonl(*rows), Interaction)
    assert [i.id for i in result.records] == ["i-1"]
    first = {r.line: r.problems[0] for r in result.rejections}
    assert sorted(first) == [2, 3, 4, 5, 6]
    assert (first[2].field, first[2].value) == ("kind", "'gift'")
    assert first[2].rule.startswith("Input should be 'connect', 'churn',")
    assert (first[3].field, first[3].value) == ("at", "'2026-03-01T20:00:00'")
    assert first[3].rule.startswith("naive datetime 2026-03-01T20:00:00 has no time zone")
    assert first[4].field == "amount"
    assert first[4].rule == (
        "amount 19.999 has more decimal places than CNY allows (2); round it first"
    )
    assert first[4].value == "{'amount': '19.999', 'currency': 'CNY'}"
    assert (first[5].field, first[5].value, first[5].rule) == (
        "amount.currency",
        "<missing>",
        "Field required",
    )
    assert first[6].field == "amount"


def test_json_numbers_are_read_as_exact_decimals():
    text = nps(kind="purchase", score=None, order_id="o-1")[:-1] + (
        b', "amount": {"amount": 0.30, "currency": "CNY"}}'
    )
    (purchase,) = read_jsonl(jsonl(text), Interaction).raise_for_rejections().records
    assert purchase.amount is not None
    assert purchase.amount.amount == Decimal("0.30")


def test_json_numbers_are_shown_as_written():
    text = nps().replace(b'"score": 9', b'"score": 9.50')
    (rejection,) = read_jsonl(jsonl(text), Interaction).rejections
    assert (rejection.field, rejection.value) == ("score", "9.50")


def test_every_problem_of_a_row_is_listed():
    result = read_jsonl(jsonl(nps(id="i 1", at="2026-03-01", score=11)), Interaction)
    (rejection,) = result.rejections
    assert [p.field for p in rejection.problems] == ["id", "at", "score"]
    assert str(rejection) == "line 1: " + "; ".join(str(p) for p in rejection.problems)
    assert str(rejection).endswith("; score=11: Input should be less than or equal to 10")


def test_identical_duplicates_are_dropped_and_conflicting_ones_rejected():
    rows = [
        row(id="c-1", tags=["vip", "interest:咖啡"]),
        row(id="c-2"),
        row(tags=["interest:咖啡", "VIP"], id="c-1"),  # same customer, written differently
        row(id="c-1", display_name="Li Wei"),
        row(id="c-2"),
    ]
    result = read_jsonl(jsonl(*rows), Customer)
    assert [c.id for c in result.records] == ["c-1", "c-2"]
    assert result.records[0].display_name is None
    assert (result.rows_read, result.rows_accepted, result.rows_rejected) == (5, 4, 1)
    assert result.duplicates_dropped == 2
    (conflict,) = result.rejections
    assert (conflict.line, conflict.other_line, conflict.field, conflict.value) == (
        4,
        1,
        "id",
        "'c-1'",
    )
    assert conflict.reason == (
        "duplicate id: line 1 has the same id with different content; ids must be unique"
    )


def test_a_rejected_row_does_not_claim_its_id():
    result = read_jsonl(jsonl(row(id="c-1", source="shop"), row(id="c-1")), Customer)
    assert [c.id for c in result.records] == ["c-1"]
    assert [r.line for r in result.rejections] == [1]


def test_masked_output_cannot_be_read_back_as_real_handles():
    original = [Customer(id="c-1", contacts={"phone": PHONE}), Customer(id="c-2")]
    out = io.BytesIO()
    write_jsonl(out, original)  # default: handles masked
    result = read_jsonl(io.BytesIO(out.getvalue()), Customer)
    assert [c.id for c in result.records] == ["c-2"]
    (rejection,) = result.rejections
    assert (rejection.line, rejection.field, rejection.value) == (
        1,
        "contacts.phone",
        "<secret, 10 chars>",
    )
    assert rejection.reason.startswith("is masked ('**********')")


def test_strict_mode_raises_at_the_first_bad_row(tmp_path):
    path = tmp_path / "interactions.jsonl"
    path.write_bytes(b"\n".join([nps(id="i-1"), b"", nps(id="i-2", score=11), b"{"]))
    with pytest.raises(LoadError) as info:
        read_jsonl(path, Interaction, strict=True)
    err = info.value
    assert (err.line, err.field, err.value, err.source) == (3, "score", "11", str(path))
    assert err.rule == "Input should be less than or equal to 10"
    assert str(err) == f"{path} line 3: score=11: Input should be less than or equal to 10"


def test_strict_mode_raises_for_conflicting_duplicates_and_passes_clean_files():
    clean = read_jsonl(jsonl(nps(id="i-1"), nps(id="i-1")), Interaction, strict=True)
    assert (len(clean.records), clean.duplicates_dropped) == (1, 1)
    with pytest.raises(LoadError) as info:
        read_jsonl(jsonl(nps(id="i-1"), nps(id="i-1", score=3)), Interaction, strict=True)
    assert (info.value.line, info.value.field, info.value.source) == (2, "id", None)
    assert "line 1" in info.value.rule


def test_strict_mode_notes_the_other_problems_of_the_row():
    with pytest.raises(LoadError) as info:
        read_jsonl(jsonl(nps(id="i 1", score=11)), Interaction, strict=True)
    assert info.value.field == "id"
    (note,) = info.value.__notes__
    assert note.startswith("all problems of this row: line 1: id='i 1': ")
    assert "; score=11: Input should be less than or equal to 10" in note


SECRET_ROWS = [
    row(id="c-1", contacts={"phone": "call " + PHONE}),  # not a phone number
    row(id="c-2", contacts={"wechat_id": WECHAT, "email": PHONE}),  # unknown handle
    row(id="c-3", phone=PHONE),  # handle at the wrong level
    row(contacts={"phone": PHONE, "wechat_id": WECHAT}),  # missing id: the input is the row
    row(id="c-5", contacts=PHONE),  # contacts not an object
    row(id="c-6", contacts={"phone": PHONE})[:-3],  # truncated JSON
    row(id="c-7", contacts={"phone": PHONE}) + b"\xff",  # not UTF-8
    json.dumps([{"contacts": {"phone": PHONE}}]).encode(),  # not an object
]


def test_secrets_never_reach_rejections_or_errors():
    result = read_jsonl(jsonl(*SECRET_ROWS), Customer)
    assert result.rows_rejected == len(SECRET_ROWS)
    shown = [result.summary(), repr(result)]
    shown += [str(r) for r in result.rejections] + [repr(r) for r in result.rejections]
    for line in range(1, len(SECRET_ROWS) + 1):
        with pytest.raises(LoadError) as info:
            read_jsonl(jsonl(*SECRET_ROWS[line - 1 :]), Customer, strict=True)
        shown += [str(info.value), repr(info.value), info.value.shown_value]
        shown += [str(info.value.value), *getattr(info.value, "__notes__", [])]
    text = "\n".join(shown)
    for secret in (PHONE, "138 0013", WECHAT):
        assert secret not in text
    assert "<secret" in text


def test_secrets_are_written_only_when_revealed():
    customer = Customer(id="c-1", contacts={"phone": PHONE, "wechat_id": WECHAT})
    masked, revealed = io.StringIO(), io.StringIO()
    write_jsonl(masked, [customer])
    write_jsonl(revealed, [customer], reveal_secrets=True)
    assert PHONE not in masked.getvalue()
    assert WECHAT not in masked.getvalue()
    assert json.loads(revealed.getvalue())["contacts"]["phone"] == PHONE


def test_one_object_per_line_in_utf8():
    out = io.BytesIO()
    activity = PoolActivity(
        id="a-1", at=AT, kind="event_held", channel="store", event_id="e-1", title="咖啡日"
    )
    assert write_jsonl(out, [activity, activity]) == 2
    lines = out.getvalue().split(b"\n")
    assert lines[2] == b""
    assert len(lines) == 3
    assert "咖啡日".encode() in lines[0]
    assert PoolActivity.from_json(lines[1]) == activity


def test_wrong_json_types_and_huge_numbers_are_rejections_not_crashes():
    import io  # noqa: PLC0415

    from custpool import Interaction, read_jsonl  # noqa: PLC0415

    good = (
        '{"id":"i-1","customer_id":"c-1","at":"2026-01-01T00:00:00Z","kind":"purchase",'
        '"channel":"store","order_id":"o-1","amount":{"amount":"1","currency":"CNY"}}'
    )
    rows = [
        good,
        good.replace('"kind":"purchase"', '"kind":[]').replace('"i-1"', '"i-2"'),
        good.replace('"kind":"purchase"', '"kind":{}').replace('"i-1"', '"i-3"'),
        good.replace('"amount":"1"', '"amount":"1e1000000"').replace('"i-1"', '"i-4"'),
        good.replace('"amount":"1"', '"amount":1e400').replace('"i-1"', '"i-5"'),
    ]
    result = read_jsonl(io.BytesIO("\n".join(rows).encode()), Interaction)
    assert [r.id for r in result.records] == ["i-1"]
    assert [r.line for r in result.rejections] == [2, 3, 4, 5]
    assert result.rows_read == 5
