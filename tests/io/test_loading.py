"""What both loaders share: result types, counting, duplicates, safe values, round trips.

The property test at the end corrupts valid files at random and checks that the counts add up
and that every row left untouched is still read.
"""

import csv
import io
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError as PydanticValidationError

from custpool import (
    Customer,
    Interaction,
    LoadError,
    LoadResult,
    PoolActivity,
    Problem,
    Rejection,
    ValidationError,
    read_csv,
    read_jsonl,
    write_csv,
    write_jsonl,
)
from custpool._io.loading import problems_from, show_value

PHONE = "+86 138 0013 8000"
SHANGHAI = timezone(timedelta(hours=8))
FORMATS = {"jsonl": (write_jsonl, read_jsonl), "csv": (write_csv, read_csv)}


def customers():
    return [
        Customer(
            id="c-1",
            display_name='Li, "Wei"\u3000',
            connected_at=datetime(2026, 3, 1, 20, 0, 0, 123456, tzinfo=SHANGHAI),
            source="store",
            tags=["interest:咖啡", "VIP", "lifecycle:new"],
            contacts={"phone": PHONE, "wechat_id": "coffee_fan", "wecom_external_id": "wmAB12"},
        ),
        Customer(id="c-2", display_name="王芳", tags=["interest:tea, green"]),
        Customer(id="c-3"),
    ]


def interactions():
    at = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    return [
        Interaction(
            id="i-1",
            customer_id="c-1",
            at=at,
            kind="purchase",
            channel="mini_program",
            order_id="o-1",
            amount={"amount": "199.9", "currency": "CNY"},
        ),
        Interaction(
            id="i-2",
            customer_id="c-1",
            at=at,
            kind="refund",
            direction="outbound",
            channel="store",
            order_id="o-1",
            amount={"amount": "1500", "currency": "JPY"},
        ),
        Interaction(id="i-3", customer_id="c-2", at=at, kind="nps", channel="wecom_chat", score=0),
        Interaction(id="i-4", customer_id="c-2", at=at, kind="group_post", direction="peer"),
        Interaction(
            id="i-5",
            customer_id="c-2",
            at=at,
            kind="connect",
            direction="inbound",
            channel="wecom_chat",
            source="referral",
        ),
        Interaction(
            id="i-6", customer_id="c-2", at=at, kind="referral", channel="other", referred_id="c-3"
        ),
        Interaction(
            id="i-7",
            customer_id="c-3",
            at=at,
            kind="complaint",
            channel="phone",
            complaint_reason="logistics",
        ),
    ]


def activities():
    return [
        PoolActivity(
            id="a-1",
            at="2026-03-02T10:00:00+08:00",
            kind="content_published",
            channel="moments",
            title="每周三晚上直播",
            operator_id="op-1",
            content_id="post-7",
            topics=["interest:咖啡", "latte art"],
        ),
        PoolActivity(
            id="a-2",
            at="2026-03-05T12:00:00Z",
            kind="event_held",
            channel="live_stream",
            event_id="ev-1",
            ritual=True,
        ),
        PoolActivity(
            id="a-3", at="2026-03-06T12:00:00Z", kind="event_held", channel="store", event_id="e2"
        ),
    ]


SAMPLES = {Customer: customers, Interaction: interactions, PoolActivity: activities}


# --- round trips --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("model", SAMPLES)
def test_round_trip_with_revealed_secrets_gives_equal_records(fmt, model):
    write, read = FORMATS[fmt]
    records = SAMPLES[model]()
    out = io.BytesIO()
    assert write(out, records, reveal_secrets=True) == len(records)
    result = read(io.BytesIO(out.getvalue()), model)
    assert result.ok
    assert result.records == tuple(records)
    assert (result.rows_read, result.duplicates_dropped) == (len(records), 0)


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_through_files_names_the_source(fmt, tmp_path):
    write, read = FORMATS[fmt]
    path = tmp_path / f"customers.{fmt}"
    assert write(path, customers(), reveal_secrets=True) == 3
    by_path = read(path, Customer)
    by_str = read(str(path), Customer)
    with path.open("rb") as stream:
        by_stream = read(stream, Customer)
    assert by_path.records == by_str.records == by_stream.records == tuple(customers())
    assert by_path.source == by_str.source == by_stream.source == str(path)


@pytest.mark.parametrize("fmt", FORMATS)
def test_writers_accept_text_streams_and_write_the_same_text(fmt):
    write, _ = FORMATS[fmt]
    text, binary = io.StringIO(newline=""), io.BytesIO()
    write(text, interactions())
    write(binary, interactions())
    assert text.getvalue().encode("utf-8") == binary.getvalue()
    assert text.getvalue().endswith("\n")
    assert not text.closed


@pytest.mark.parametrize("fmt", FORMATS)
def test_writers_keep_input_order(fmt):
    write, read = FORMATS[fmt]
    records = list(reversed(interactions()))
    out = io.BytesIO()
    write(out, iter(records))
    assert [r.id for r in read(io.BytesIO(out.getvalue()), Interaction).records] == [
        "i-7",
        "i-6",
        "i-5",
        "i-4",
        "i-3",
        "i-2",
        "i-1",
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_writers_refuse_mixed_or_foreign_records(fmt):
    write, _ = FORMATS[fmt]
    with pytest.raises(ValidationError) as info:
        write(io.BytesIO(), [*customers(), *activities()])
    assert info.value.field == "records"
    assert info.value.value == "PoolActivity"
    assert "item 3" in info.value.rule
    with pytest.raises(ValidationError, match="records='dict'"):
        write(io.BytesIO(), [{"id": "c-1"}])


@pytest.mark.parametrize("fmt", FORMATS)
def test_writing_nothing_writes_nothing_and_reads_back_as_nothing(fmt):
    write, read = FORMATS[fmt]
    out = io.BytesIO()
    assert write(out, []) == 0
    assert out.getvalue() == b""
    result = read(io.BytesIO(b""), Customer)
    assert (result.records, result.rows_read, result.ok) == ((), 0, True)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("model", [dict, Problem, object()])
def test_readers_refuse_other_models(fmt, model):
    _, read = FORMATS[fmt]
    with pytest.raises(ValidationError) as info:
        read(io.BytesIO(b""), model)
    assert info.value.field == "model"
    assert info.value.rule == "must be Customer, Interaction or PoolActivity"


@pytest.mark.parametrize("fmt", FORMATS)
def test_readers_refuse_text_streams(fmt):
    _, read = FORMATS[fmt]
    with pytest.raises(ValidationError) as info:
        read(io.StringIO('{"id": "c-1"}\n'), Customer)
    assert info.value.field == "source"
    assert "binary mode" in info.value.rule


@pytest.mark.parametrize("fmt", FORMATS)
def test_sources_and_destinations_must_be_paths_or_files(fmt):
    write, read = FORMATS[fmt]
    with pytest.raises(ValidationError) as info:
        read(42, Customer)
    assert (info.value.field, info.value.value) == ("source", 42)
    with pytest.raises(ValidationError) as info:
        write(None, customers())
    assert (info.value.field, info.value.rule) == ("dest", "must be a path or a file object")


@pytest.mark.parametrize(
    ("read", "limit"), [(read_jsonl, "max_line_bytes"), (read_csv, "max_field_chars")]
)
@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "10"])
def test_size_limits_must_be_positive_integers(read, limit, bad):
    with pytest.raises(ValidationError) as info:
        read(io.BytesIO(b""), Customer, **{limit: bad})
    assert (info.value.field, info.value.rule) == (limit, "must be a positive integer")


# --- result types -------------------------------------------------------------------------------


def test_problem_and_rejection_read_as_one_line():
    first = Problem("score", "11", "Input should be less than or equal to 10")
    second = Problem("at", "'2026-03-01'", "naive")
    rejection = Rejection(7, (first, second))
    assert str(rejection) == (
        "line 7: score=11: Input should be less than or equal to 10; at='2026-03-01': naive"
    )
    assert (rejection.field, rejection.value, rejection.reason) == (
        "score",
        "11",
        "Input should be less than or equal to 10",
    )
    assert rejection.other_line is None


def test_rejection_needs_a_problem():
    with pytest.raises(ValidationError, match="problems=\\(\\): a rejection needs at least one"):
        Rejection(1, ())


def test_results_are_frozen():
    result = LoadResult(records=())
    with pytest.raises(AttributeError):
        result.duplicates_dropped = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        Problem("a", "b", "c").rule = "d"  # type: ignore[misc]


def test_counts_always_add_up():
    bad = Rejection(2, (Problem("id", "<missing>", "Field required"),))
    result = LoadResult((Customer(id="c-1"), Customer(id="c-2")), (bad, bad), duplicates_dropped=3)
    assert result.rows_accepted == 5
    assert result.rows_rejected == 2
    assert result.rows_read == 7
    assert result.rows_read == result.rows_accepted + result.rows_rejected
    assert result.rows_accepted == len(result.records) + result.duplicates_dropped
    assert not result.ok


@pytest.mark.parametrize("bad", [-1, True, 1.0])
def test_duplicates_dropped_must_be_a_count(bad):
    with pytest.raises(ValidationError) as info:
        LoadResult(records=(), duplicates_dropped=bad)
    assert info.value.field == "duplicates_dropped"


def test_summary_counts_in_words():
    bad = Rejection(2, (Problem("id", "<missing>", "Field required"),))
    one = LoadResult((Customer(id="c-1"),), (bad,), duplicates_dropped=1, source="c.jsonl")
    assert one.summary() == (
        "c.jsonl: 3 rows read (2 accepted, 1 rejected); 1 record kept, "
        "1 identical duplicate dropped"
    )
    assert LoadResult(records=()).summary() == (
        "0 rows read (0 accepted, 0 rejected); 0 records kept, 0 identical duplicates dropped"
    )


def test_raise_for_rejections_returns_self_when_all_rows_passed():
    result = LoadResult(records=(Customer(id="c-1"),))
    assert result.raise_for_rejections() is result


def test_raise_for_rejections_raises_for_the_first_with_the_safe_value_as_shown():
    first = Rejection(
        4,
        (
            Problem("contacts.phone", "<secret, 11 chars>", "must be a phone number"),
            Problem("id", "'c 1'", "no white space"),
        ),
    )
    second = Rejection(9, (Problem("kind", "'gift'", "unknown kind"),))
    result = LoadResult(records=(), rejections=(first, second), source="c.csv")
    with pytest.raises(LoadError) as info:
        result.raise_for_rejections()
    err = info.value
    assert str(err) == "c.csv line 4: contacts.phone=<secret, 11 chars>: must be a phone number"
    assert (err.line, err.field, err.rule, err.source) == (
        4,
        "contacts.phone",
        "must be a phone number",
        "c.csv",
    )
    assert err.value == err.shown_value == "<secret, 11 chars>"
    assert err.__notes__ == [f"all problems of this row: {first}"]


# --- pydantic errors become problems ------------------------------------------------------------


def _problems(model, data):
    with pytest.raises(PydanticValidationError) as info:
        model.model_validate(data)
    return problems_from(info.value)


def test_problems_have_dotted_fields_and_rules_without_pydantic_prefix():
    problems = _problems(
        Interaction,
        {
            "id": "i-1",
            "customer_id": "c-1",
            "at": "2026-03-01T00:00:00Z",
            "kind": "purchase",
            "channel": "store",
            "order_id": "o-1",
            "amount": {"amount": "1", "currency": "XXX"},
        },
    )
    assert problems == (
        Problem(
            "amount.currency",
            "'XXX'",
            "'XXX' is not an ISO 4217 currency code custpool knows (e.g. CNY, USD, EUR)",
        ),
    )


def test_missing_fields_show_no_value_and_tags_show_their_index():
    problems = _problems(Customer, {"tags": ["vip", "bad:x"], "contacts": {"phone": PHONE}})
    assert [(p.field, p.value) for p in problems] == [
        ("id", "<missing>"),
        ("tags.1.group", "'bad'"),
    ]


def test_secret_fields_are_masked_wherever_they_sit():
    problems = _problems(
        Customer,
        {"id": "c-1", "phone": PHONE, "contacts": {"phone": "call me", "email": PHONE}},
    )
    shown = {p.field: p.value for p in problems}
    assert shown == {
        "contacts.phone": "<secret, 7 chars>",
        "contacts.email": f"<secret, {len(PHONE)} chars>",
        "phone": f"<secret, {len(PHONE)} chars>",
    }
    assert all(PHONE not in str(p) for p in problems)


def test_whole_objects_are_shown_with_contact_handles_hidden():
    assert show_value({"id": "c-1", "contacts": {"phone": PHONE}}) == (
        "{'id': 'c-1', 'contacts': <secret>}"
    )
    assert show_value([{"wechat_id": "coffee_fan"}]) == "[{'wechat_id': <secret>}]"
    assert show_value("x" * 100).endswith("… (102 chars)")


# --- property: corrupted files --------------------------------------------------------------------

NAMES = [None, "Li Wei", "王芳", "Zhang San"]
TAGS = ["vip", "interest:咖啡", "interest:tea", "lifecycle:new", "source:门店"]
HANDLES = [{}, {"phone": PHONE}, {"wechat_id": "coffee_fan", "wecom_external_id": "wm-0001"}]
TIMES = st.datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001 - bounds of aware datetimes are naive
    max_value=datetime(2030, 1, 1),  # noqa: DTZ001
    timezones=st.sampled_from([UTC, SHANGHAI]),
)


@st.composite
def customer_rows(draw, number):
    return Customer(
        id=f"c-{number:04d}",
        display_name=draw(st.sampled_from(NAMES)),
        connected_at=draw(st.none() | TIMES),
        source=draw(st.sampled_from([None, "store", "referral", "live_stream"])),
        tags=draw(st.lists(st.sampled_from(TAGS), max_size=3)),
        contacts=draw(st.sampled_from(HANDLES)),
    )


@st.composite
def interaction_rows(draw, number):
    base = {"id": f"i-{number:04d}", "customer_id": f"c-{draw(st.integers(0, 99)):04d}"}
    base["at"] = draw(TIMES)
    kind = draw(st.sampled_from(["message", "purchase", "nps", "group_post"]))
    extra = {
        "message": {"direction": draw(st.sampled_from(["inbound", "outbound"]))},
        "purchase": {
            "order_id": f"o-{number}",
            "amount": {"amount": Decimal(draw(st.integers(1, 10**6))) / 100, "currency": "CNY"},
        },
        "nps": {"score": draw(st.integers(0, 10))},
        "group_post": {"direction": "peer"},
    }[kind]
    channel = None if kind == "group_post" else draw(st.sampled_from(["wecom_chat", "store"]))
    return Interaction.model_validate(base | {"kind": kind, "channel": channel} | extra)


@st.composite
def activity_rows(draw, number):
    at = draw(TIMES)
    if draw(st.booleans()):
        return PoolActivity(
            id=f"a-{number:04d}",
            at=at,
            kind="content_published",
            channel="moments",
            content_id=f"post-{number}",
            topics=draw(st.lists(st.sampled_from(TAGS), max_size=2)),
        )
    return PoolActivity(
        id=f"a-{number:04d}",
        at=at,
        kind="event_held",
        channel="live_stream",
        event_id=f"ev-{number}",
        ritual=draw(st.booleans()),
    )


ROWS = {Customer: customer_rows, Interaction: interaction_rows, PoolActivity: activity_rows}
BAD_BYTES = [b"\xff", b"\x80", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80"]
BLANKS = [b"", b"   ", b"\t", b"\r"]


@st.composite
def corrupted_files(draw, fmt):
    """A file of valid rows, corrupted; the rows still intact, by id; the non-blank rows."""
    model = draw(st.sampled_from(list(ROWS)))
    records = [draw(ROWS[model](n)) for n in range(draw(st.integers(1, 8)))]
    write, _ = FORMATS[fmt]
    out = io.BytesIO()
    write(out, records, reveal_secrets=True)
    header, *rows = (
        out.getvalue().splitlines() if fmt == "csv" else [None, *out.getvalue().splitlines()]
    )
    # Each line: (row index or None for a blank line, bytes, modified?).
    lines = [(i, row, False) for i, row in enumerate(rows)]
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(lines)))
        op = draw(st.sampled_from(["drop", "bad_bytes", "duplicate", "blank"]))
        if op == "blank":
            lines.insert(at, (None, draw(st.sampled_from(BLANKS)), False))
            continue
        if at == len(lines) or lines[at][0] is None:
            continue
        index, data, modified = lines[at]
        if op == "duplicate":
            lines.insert(draw(st.integers(0, len(lines))), lines[at])
            continue
        cut = draw(st.integers(0, len(data) - 1))
        if op == "drop":
            data = data[:cut] + data[cut + draw(st.integers(1, 3)) :]
        else:
            data = data[:cut] + draw(st.sampled_from(BAD_BYTES)) + data[cut:]
        lines[at] = (index, data, True)
    body = b"".join(data + b"\n" for _, data, _ in lines)
    if draw(st.booleans()) and body:
        body = body[: draw(st.integers(0, len(body)))]  # a truncated file
        kept, size = [], 0
        for index, data, modified in lines:
            if size + len(data) > len(body):
                if size < len(body):
                    kept.append((index, data, True))
                break
            kept.append((index, data, modified))
            size += len(data) + 1
        lines = kept
    touched = {index for index, _, modified in lines if modified}
    present = {index for index, _, _ in lines} - {None}
    intact = {records[i].id: records[i] for i in present - touched}
    non_blank = len([b for b in body.split(b"\n") if b.strip()])
    prefix = b"" if header is None else header + b"\n"
    return model, prefix + body, intact, non_blank


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_corrupted_files_lose_only_the_rows_that_were_touched(fmt, data):
    model, content, intact, non_blank = data.draw(corrupted_files(fmt))
    _, read = FORMATS[fmt]
    result = read(io.BytesIO(content), model)
    assert result.rows_read == result.rows_accepted + result.rows_rejected
    assert result.rows_accepted == len(result.records) + result.duplicates_dropped
    assert result.rows_read == non_blank
    assert len({r.id for r in result.records}) == len(result.records)
    by_id = {r.id: r for r in result.records}
    for record_id, record in intact.items():
        assert by_id.get(record_id) == record
    # One rejection per row, in file order, each on a line where a row starts.
    lines = [r.line for r in result.rejections]
    assert lines == sorted(set(lines))
    physical = content.split(b"\n")
    assert all(physical[line - 1].strip() for line in lines)
    if fmt == "csv":
        assert 1 not in lines  # the header is not a row
    assert csv.field_size_limit() == 131072
