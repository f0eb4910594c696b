import csv
import io

import pytest

from custpool import (
    Customer,
    Interaction,
    LoadError,
    PoolActivity,
    read_csv,
    write_csv,
)

PHONE = "+86 138 0013 8000"
WECHAT = "coffee_fan_88"
AT = "2026-03-01T12:00:00Z"
CUSTOMER_HEADER = "id,display_name,connected_at,source,tags"
NPS_HEADER = "id,customer_id,at,kind,channel,score"


def data(*lines: str, end: str = "\n") -> io.BytesIO:
    return io.BytesIO(("\n".join(lines) + end).encode("utf-8"))


def customers(*lines: str, end: str = "\n", **kw):
    return read_csv(data(CUSTOMER_HEADER, *lines, end=end), Customer, **kw)


def nps_rows(*lines: str, **kw):
    return read_csv(data(NPS_HEADER, *lines), Interaction, **kw)


# --- columns ------------------------------------------------------------------------------------


def written_header(records, *, reveal_secrets=False) -> str:
    out = io.StringIO(newline="")
    write_csv(out, records, reveal_secrets=reveal_secrets)
    return out.getvalue().split("\n", 1)[0]


def test_each_model_has_a_fixed_column_order():
    assert written_header([Customer(id="c-1")], reveal_secrets=True) == (
        "id,display_name,connected_at,source,tags,phone,wechat_id,wecom_external_id"
    )
    interaction = Interaction(id="i-1", customer_id="c-1", at=AT, kind="store_visit")
    assert written_header([interaction]) == (
        "id,customer_id,at,kind,direction,channel,source,churn_reason,event_id,content_id,"
        "order_id,amount,currency,referred_id,score,complaint_reason,operator_id,group_id"
    )
    activity = PoolActivity(id="a-1", at=AT, kind="event_held", channel="store", event_id="e")
    assert written_header([activity]) == (
        "id,at,kind,channel,title,operator_id,content_id,topics,event_id,ritual,ends_at"
    )


def test_cells_are_written_as_plain_text():
    purchase = Interaction(
        id="i-1",
        customer_id="c-1",
        at="2026-03-01T20:00:00.5+08:00",
        kind="purchase",
        channel="mini_program",
        order_id="o-1",
        amount={"amount": "1999", "currency": "cny"},
    )
    out = io.StringIO(newline="")
    write_csv(out, [purchase])
    assert out.getvalue().split("\n")[1] == (
        "i-1,c-1,2026-03-01T12:00:00.500000Z,purchase,inbound,mini_program,,,,,o-1,1999.00,CNY,,,,,"
    )


def test_secret_columns_are_written_only_when_revealed():
    customer = Customer(id="c-1", contacts={"phone": PHONE, "wechat_id": WECHAT})
    masked, revealed = io.BytesIO(), io.BytesIO()
    write_csv(masked, [customer])
    write_csv(revealed, [customer], reveal_secrets=True)
    assert masked.getvalue() == b"id,display_name,connected_at,source,tags\nc-1,,,,\n"
    assert revealed.getvalue().decode().endswith(f"c-1,,,,,{PHONE},{WECHAT},\n")
    # Without the handles the file reads back as a customer without contacts.
    (read_back,) = read_csv(io.BytesIO(masked.getvalue()), Customer).records
    assert read_back == Customer(id="c-1")


def test_columns_may_come_in_any_order_and_optional_ones_may_be_missing():
    result = read_csv(
        data("tags,phone,id", '"vip;interest:咖啡",13800138000,c-1', ",,c-2"), Customer
    )
    assert result.ok
    first, second = result.records
    assert [str(t) for t in first.tags] == ["vip", "interest:咖啡"]
    assert first.contacts.reveal() == {"phone": "13800138000"}
    assert second == Customer(id="c-2")


def test_empty_and_blank_cells_are_left_out_so_defaults_apply():
    result = read_csv(
        data(
            "id,at,kind,channel,title,topics,event_id,ritual",
            f"a-1,{AT},event_held,store, ,,e-1,",
        ),
        PoolActivity,
    )
    (activity,) = result.records
    assert (activity.title, activity.topics, activity.ritual) == (None, (), False)


def test_tags_are_split_on_semicolons_and_empty_parts_ignored():
    (customer,) = customers("c-1,,,, VIP ;interest: 咖啡;;").records
    assert [str(t) for t in customer.tags] == ["vip", "interest:咖啡"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("true", True), ("TRUE", True), ("1", True), ("Yes", True), ("false", False), ("0", False)],
)
def test_ritual_accepts_common_spellings_of_true_and_false(cell, expected):
    result = read_csv(
        data("id,at,kind,channel,event_id,ritual", f"a-1,{AT},event_held,store,e-1,{cell}"),
        PoolActivity,
    )
    assert result.records[0].ritual is expected


@pytest.mark.parametrize("cell", ["maybe", "on", "y", "2"])
def test_ritual_rejects_other_words_naming_the_column(cell):
    result = read_csv(
        data("id,at,kind,channel,event_id,ritual", f"a-1,{AT},event_held,store,e-1,{cell}"),
        PoolActivity,
    )
    (rejection,) = result.rejections
    assert (rejection.line, rejection.field, rejection.value) == (2, "ritual", repr(cell))
    assert rejection.reason == "must be true or false (also accepted: 1/0, yes/no, any case)"


def test_money_is_two_columns():
    header = "id,customer_id,at,kind,channel,order_id,amount,currency"
    result = read_csv(
        data(
            header,
            f"i-1,c-1,{AT},purchase,store,o-1,199.9,cny",
            f"i-2,c-1,{AT},purchase,store,o-2,19.999,CNY",
            f"i-3,c-1,{AT},purchase,store,o-3,12,",
            f"i-4,c-1,{AT},purchase,store,o-4,twelve,CNY",
            f"i-5,c-1,{AT},purchase,store,o-5,,",
        ),
        Interaction,
    )
    (purchase,) = result.records
    assert str(purchase.amount) == "199.90 CNY"
    problems = {r.line: r.problems[0] for r in result.rejections}
    assert (problems[3].field, problems[3].rule) == (
        "amount",
        "amount 19.999 has more decimal places than CNY allows (2); round it first",
    )
    assert (problems[4].field, problems[4].value, problems[4].rule) == (
        "amount.currency",
        "<missing>",
        "Field required",
    )
    assert (problems[5].field, problems[5].value) == ("amount.amount", "'twelve'")
    assert problems[6].rule == "kind 'purchase' needs amount (it uses: amount, order_id)"


# --- header -------------------------------------------------------------------------------------

UNKNOWN_COLUMN = (
    "unknown column; Customer columns are: id, display_name, connected_at, source, tags, phone, "
    "wechat_id, wecom_external_id"
)


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize(
    ("header", "value", "rule"),
    [
        ("id,nmae", "'nmae'", UNKNOWN_COLUMN),
        ("id,tags,id", "'id'", "column appears twice; name each one once"),
        ("display_name,tags", "'id'", "required column is missing"),
        ("id,contacts.phone", "'contacts.phone'", UNKNOWN_COLUMN),
    ],
)
def test_a_bad_header_raises_at_once(header, value, rule, strict):
    with pytest.raises(LoadError) as info:
        read_csv(data(header, "c-1,x"), Customer, strict=strict)
    err = info.value
    assert (err.line, err.field, err.shown_value) == (1, "<header>", value)
    assert err.rule == rule


def test_interaction_and_activity_headers_need_their_key_columns():
    with pytest.raises(LoadError, match=r"<header>='kind': required column is missing"):
        read_csv(data("id,customer_id,at"), Interaction)
    with pytest.raises(LoadError, match=r"<header>='channel': required column is missing"):
        read_csv(data("id,at,kind"), PoolActivity)


def test_header_names_are_trimmed_and_a_header_alone_is_an_empty_file():
    result = read_csv(data(" id , tags "), Customer)
    assert (result.records, result.rows_read) == ((), 0)


def test_a_header_that_is_not_utf8_raises(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(b"id,t\xe4gs\nc-1,vip\n")
    with pytest.raises(LoadError) as info:
        read_csv(path, Customer)
    assert str(info.value) == f"{path} line 1: <header>=b'\\xe4': not valid UTF-8 at byte 2"


def test_an_excel_bom_and_crlf_line_breaks_are_accepted():
    content = "\ufeff" + CUSTOMER_HEADER + "\r\nc-1,李伟,,,vip\r\n\r\nc 2,,,,\r\n"
    result = read_csv(io.BytesIO(content.encode("utf-8")), Customer)
    assert [(c.id, c.display_name) for c in result.records] == [("c-1", "李伟")]
    assert [r.line for r in result.rejections] == [4]


# --- rows ---------------------------------------------------------------------------------------


def test_rows_of_empty_cells_are_blank_lines():
    result = customers("", ",,,,", "c-1,,,,", "  ", "c 5,,,,")
    assert [c.id for c in result.records] == ["c-1"]
    assert [r.line for r in result.rejections] == [6]
    assert result.rows_read == 2


def test_a_wrong_number_of_cells_is_rejected():
    result = customers("c-1,,,,", "c-2,,,", "c-3,,,,,", "c-4,,,,")
    assert [c.id for c in result.records] == ["c-1", "c-4"]
    assert [(r.line, r.field, r.value, r.reason) for r in result.rejections] == [
        (3, "<row>", "<4 cells>", "has 4 cells; the header on line 1 has 5"),
        (4, "<row>", "<6 cells>", "has 6 cells; the header on line 1 has 5"),
    ]


def test_quoted_cells_may_span_lines_and_rows_keep_their_first_line():
    result = customers(
        'c-1,"Li Wei\n",,,"vip;',  # lines 2-4, valid: texts are trimmed
        'interest:咖啡"',
        'c-2,"Wang\nFang",,,',  # lines 5-6: a name must be one line
        "c-3,,,,",  # line 7
        "c 4,,,,",  # line 8
    )
    assert [c.id for c in result.records] == ["c-1", "c-3"]
    assert [str(t) for t in result.records[0].tags] == ["vip", "interest:咖啡"]
    assert [(r.line, r.field) for r in result.rejections] == [(5, "display_name"), (8, "id")]
    assert result.rejections[0].reason.startswith("must not contain control characters")


def test_malformed_quoting_is_rejected_and_reading_goes_on():
    result = customers('c-1,"Li" Wei,,,', 'c-2,"a\nb"c,,,', "c-3,,,,")
    assert [c.id for c in result.records] == ["c-3"]
    assert [(r.line, r.reason) for r in result.rejections] == [
        (2, "malformed CSV: ',' expected after '\"'"),
        (3, "malformed CSV: ',' expected after '\"'"),
    ]


def test_a_truncated_file_loses_only_its_last_row():
    result = customers("c-1,,,,", "c-2,,,,", 'c-3,"Li', "Wei", end="")
    assert [c.id for c in result.records] == ["c-1", "c-2"]
    (rejection,) = result.rejections
    assert (rejection.line, rejection.field) == (4, "<row>")
    assert rejection.reason == "the file ends inside a quoted field (truncated?)"
    assert rejection.value == "<secret, 11 chars>"  # customer rows may hold contact handles


def test_a_last_row_without_a_line_break_is_fine():
    assert [c.id for c in customers("c-1,,,,", "c-2,,,,", end="").records] == ["c-1", "c-2"]


def test_malformed_utf8_is_rejected_naming_the_cell():
    content = (CUSTOMER_HEADER + "\nc-1,,,,\nc-2,Li \xff\xfeWei,,,\nc-3,,,,\n").encode("latin-1")
    result = read_csv(io.BytesIO(content), Customer)
    assert [c.id for c in result.records] == ["c-1", "c-3"]
    (rejection,) = result.rejections
    assert (rejection.line, rejection.field, rejection.value, rejection.reason) == (
        3,
        "display_name",
        "b'\\xff'",
        "not valid UTF-8 at byte 4",
    )


def test_cells_over_the_limit_are_rejected():
    result = customers("c-1,Li Wei,,,", "c-2,Li Weiwei!!,,,", "c-3,,,,", max_field_chars=10)
    assert [c.id for c in result.records] == ["c-1", "c-3"]
    (rejection,) = result.rejections
    assert (rejection.line, rejection.field, rejection.value) == (
        3,
        "display_name",
        "'Li Weiwei!!'",
    )
    assert rejection.reason == "is 11 characters, longer than max_field_chars=10"


def test_a_cell_over_the_csv_module_limit_costs_one_row_and_the_limit_is_restored():
    before = csv.field_size_limit()
    huge = "x" * (before + 10)
    result = customers(
        "c-1,,,,",
        f"c-2,{huge},,,",  # line 3: unquoted, one line
        f'c-3,"{huge}\n{huge}\nstill, quoted",,,',  # lines 4-6: quoted over three lines
        "c-7,,,,",  # line 7
        "c 8,,,,",  # line 8
    )
    assert csv.field_size_limit() == before
    assert [c.id for c in result.records] == ["c-1", "c-7"]
    assert [(r.line, r.field) for r in result.rejections] == [
        (3, "<row>"),
        (4, "<row>"),
        (8, "id"),
    ]
    assert result.rejections[0].reason == "a field is longer than max_field_chars"


def test_a_larger_max_field_chars_lifts_the_csv_module_limit_for_the_read_only():
    before = csv.field_size_limit()
    long_name = "x" * (before + 10)
    result = customers(f"c-1,{long_name},,,", max_field_chars=before + 100)
    assert csv.field_size_limit() == before
    (rejection,) = result.rejections
    # The cell was read in full; the model, not the size limit, refuses the long name.
    assert (rejection.field, rejection.reason) == (
        "display_name",
        f"must be at most 500 characters; got {before + 10}",
    )


def test_unknown_kind_and_naive_time_are_rejected_by_the_model():
    result = nps_rows(
        f"i-1,c-1,{AT},nps,wecom_chat,9",
        f"i-2,c-1,{AT},gift,wecom_chat,9",
        "i-3,c-1,2026-03-01 20:00,nps,wecom_chat,9",
        f"i-4,c-1,{AT},nps,wecom_chat,",
    )
    assert [i.id for i in result.records] == ["i-1"]
    first = {r.line: r.problems[0] for r in result.rejections}
    assert sorted(first) == [3, 4, 5]
    assert (first[3].field, first[3].value) == ("kind", "'gift'")
    assert first[3].rule.startswith("Input should be 'connect', 'churn'")
    assert (first[4].field, first[4].value) == ("at", "'2026-03-01 20:00'")
    assert first[4].rule.startswith("naive datetime 2026-03-01T20:00:00 has no time zone")
    assert (first[5].field, first[5].rule) == ("score", "kind 'nps' needs score (it uses: score)")


def test_identical_duplicates_are_dropped_and_conflicting_ones_rejected():
    result = customers(
        "c-1,,,,vip;interest:咖啡",
        "c-2,,,,",
        "c-1,,,,interest:咖啡;VIP",
        "c-1,Li Wei,,,",
    )
    assert [c.id for c in result.records] == ["c-1", "c-2"]
    assert (result.rows_read, result.rows_accepted, result.duplicates_dropped) == (4, 3, 1)
    (conflict,) = result.rejections
    assert (conflict.line, conflict.other_line) == (5, 2)
    assert "line 2" in conflict.reason


def test_masked_handles_are_refused():
    result = read_csv(data("id,phone", "c-1,**********", "c-2,"), Customer)
    assert [c.id for c in result.records] == ["c-2"]
    (rejection,) = result.rejections
    assert (rejection.line, rejection.field, rejection.value) == (
        2,
        "contacts.phone",
        "<secret, 10 chars>",
    )
    assert rejection.reason.startswith("is masked")


def test_strict_mode_raises_at_the_first_bad_row():
    with pytest.raises(LoadError) as info:
        nps_rows(
            f"i-1,c-1,{AT},nps,wecom_chat,9",
            f'i-2,c-1,{AT},nps,"wecom\nchat",9',
            f"i-3,c-1,{AT},nps,wecom_chat,11",
            strict=True,
        )
    err = info.value
    assert (err.line, err.field, err.value) == (3, "channel", "'wecom\\nchat'")
    assert err.rule.startswith("Input should be 'wecom_chat', 'customer_group'")
    assert err.source is None


def test_strict_mode_reads_clean_files():
    result = nps_rows(f"i-1,c-1,{AT},nps,wecom_chat,9", strict=True)
    assert [i.score for i in result.records] == [9]


def test_secrets_never_reach_rejections_or_errors():
    header = "id,phone,wechat_id,wecom_external_id"
    lines = [
        f"c-1,call {PHONE},,",  # not a phone number
        f"c 2,{PHONE},{WECHAT},",  # a bad id beside good handles
        f"c-3,{PHONE},,,",  # wrong number of cells
        f'c-4,"{PHONE}" x,,',  # malformed quoting
        f"c-5,{PHONE}\udcff,,",  # not UTF-8 inside a handle
        f"c-6,,{WECHAT * 3},",  # a cell over the limit
        f",{PHONE},{WECHAT},",  # missing id
        f'c-8,"{PHONE}',  # truncated
    ]
    content = "\n".join([header, *lines]).encode("utf-8", "surrogateescape")
    result = read_csv(io.BytesIO(content), Customer, max_field_chars=30)
    assert [r.line for r in result.rejections] == [2, 3, 4, 5, 6, 7, 8, 9]
    shown = [result.summary(), repr(result)]
    shown += [str(r) for r in result.rejections] + [repr(r) for r in result.rejections]
    for skip in range(len(lines)):
        rest = "\n".join([header, *lines[skip:]]).encode("utf-8", "surrogateescape")
        with pytest.raises(LoadError) as info:
            read_csv(io.BytesIO(rest), Customer, strict=True, max_field_chars=30)
        shown += [str(info.value), repr(info.value), str(info.value.value)]
        shown += getattr(info.value, "__notes__", [])
    text = "\n".join(shown)
    for secret in (PHONE, "138 0013", WECHAT):
        assert secret not in text
    assert text.count("<secret") >= 2 * len(lines)


def test_paths_are_written_as_utf8_without_bom(tmp_path):
    path = tmp_path / "out.csv"
    write_csv(path, [Customer(id="c-1", display_name="李伟")])
    assert (
        path.read_bytes()
        == b"id,display_name,connected_at,source,tags\nc-1,\xe6\x9d\x8e\xe4\xbc\x9f,,,\n"
    )
