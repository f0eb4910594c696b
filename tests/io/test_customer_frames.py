"""read_customers: Customer objects from a pandas, polars or pyarrow frame, rejected as in files."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custpool import Customer, LoadError, ValidationError, WrongTypeError
from custpool._io.customer_frames import read_customers
from custpool.strategies import customers as customer_strategy

BACKENDS = ("pandas", "polars", "pyarrow")
SHANGHAI = ZoneInfo("Asia/Shanghai")
PHONE = "13800138000"


def make(backend, columns):
    if backend == "pandas":
        return pd.DataFrame(columns)
    if backend == "polars":
        return pl.DataFrame(columns)
    return pa.table(columns)


def counts_add_up(result):
    assert result.rows_read == result.rows_accepted + result.rows_rejected
    assert result.rows_accepted == len(result.records) + result.duplicates_dropped


# The analyst's contacts export: id, added_at (aware), source, tags as "a,b,c".
ADDED = [
    dt.datetime(2026, 3, 1, 20, 0, tzinfo=SHANGHAI),  # 12:00 UTC
    dt.datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI),  # 01:30 UTC
    None,
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "tags", [["VIP, interest:咖啡", "", None], [["VIP", "interest:咖啡"], [], None]]
)
def test_contacts_export_in_every_backend(backend, tags):
    frame = make(
        backend,
        {
            "id": ["c-1", "c-2", "c-3"],
            "added_at": ADDED,
            "source": ["Tmall", None, " store "],
            "tags": tags,
        },
    )
    result = read_customers(frame, columns={"connected_at": "added_at"})
    counts_add_up(result)
    assert result.ok
    assert result.records == (
        Customer(
            id="c-1",
            connected_at=dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC),
            source="tmall",
            tags=["vip", "interest:咖啡"],
        ),
        Customer(id="c-2", connected_at=dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)),
        Customer(id="c-3", source="store"),
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_naive_times_need_a_zone(backend):
    naive = [dt.datetime(2026, 3, 1, 20, 0), dt.datetime(2026, 3, 2, 9, 30)]  # noqa: DTZ001 - naive on purpose
    frame = make(backend, {"id": ["a", "b"], "connected_at": naive})
    with pytest.raises(ValidationError, match="holds times without a zone: pass timezone="):
        read_customers(frame)
    result = read_customers(frame, timezone="Asia/Shanghai")
    # 20:00 and 09:30 in Shanghai (UTC+8) are 12:00 and 01:30 UTC
    assert [c.connected_at for c in result.records] == [
        dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC),
    ]


def test_zone_for_aware_times_is_refused():
    frame = pa.table({"id": ["a"], "connected_at": pa.array([0], pa.timestamp("us", "UTC"))})
    with pytest.raises(ValidationError, match="timezone= is for naive times only"):
        read_customers(frame, timezone="Asia/Shanghai")


def test_time_strings():
    frame = pa.table(
        {
            "id": ["a", "b", "c", "d", "e"],
            "connected_at": [
                "2026-03-01T20:00:00+08:00",
                "2026-03-01 20:00",
                "yesterday",
                " ",
                None,
            ],
        }
    )
    result = read_customers(frame)
    counts_add_up(result)
    assert [c.id for c in result.records] == ["a", "d", "e"]  # blank and null: no time
    assert result.records[0].connected_at == dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    assert [(r.line, r.field) for r in result.rejections] == [
        (2, "connected_at"),  # row 1: no offset, no timezone=
        (3, "connected_at"),  # row 2: not a time at all
    ]
    assert "pass timezone=" in result.rejections[0].reason
    zoned = read_customers(frame, timezone="Asia/Shanghai")
    assert zoned.records[1].connected_at == dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    assert zoned.rows_rejected == 1


def test_daylight_saving_gaps_and_repeats_reject_the_row():
    frame = pa.table(
        {
            "id": ["a", "b", "c"],
            # New York 2026: 02:30 on Mar 8 is skipped, 01:30 on Nov 1 happens twice
            "connected_at": ["2026-03-08 02:30", "2026-11-01 01:30", "2026-07-01 12:00"],
        }
    )
    result = read_customers(frame, timezone="America/New_York")
    counts_add_up(result)
    assert [r.line for r in result.rejections] == [1, 2]
    assert "daylight-saving" in result.rejections[0].reason
    # July: EDT, UTC-4, so 12:00 is 16:00 UTC
    assert result.records[0].connected_at == dt.datetime(2026, 7, 1, 16, 0, tzinfo=dt.UTC)


def test_nanoseconds_finer_than_a_microsecond():
    stamps = pa.array([1_000, 1_001], pa.timestamp("ns", "UTC"))
    result = read_customers(pa.table({"id": ["a", "b"], "connected_at": stamps}))
    assert [c.id for c in result.records] == ["a"]
    assert result.rejections[0].line == 2
    assert "finer than a microsecond" in result.rejections[0].reason


@pytest.mark.parametrize(
    ("values", "rule"),
    [
        (pa.array([dt.date(2026, 3, 1)]), "not dates"),
        (pa.array([1_772_323_200]), "a number is never read as a time"),
    ],
)
def test_dates_and_numbers_are_refused_for_the_column(values, rule):
    with pytest.raises(WrongTypeError, match=rule):
        read_customers(pa.table({"id": ["a"], "connected_at": values}))


def test_ids_and_phones_given_as_numbers():
    # pandas makes an integer column with a gap float64
    frame = pd.DataFrame({"id": [1, 2], "phone": [float(PHONE), None]})
    result = read_customers(frame)
    assert [c.id for c in result.records] == ["1", "2"]
    assert result.records[0].contacts.reveal() == {"phone": PHONE}
    assert not result.records[1].contacts


def test_contact_handles_never_shown():
    frame = pa.table({"id": ["a", "b"], "phone": ["call me 1", PHONE], "mobile_no": [PHONE, PHONE]})
    result = read_customers(frame, columns={"wechat_id": "mobile_no"})
    counts_add_up(result)
    assert result.rows_rejected == 2  # a: bad phone; both: a phone number is no WeChat id
    shown = " ".join(str(r) for r in result.rejections)
    assert PHONE not in shown
    assert "call me" not in shown
    assert "<secret" in shown


def test_rejection_contract_duplicates_and_conflicts():
    frame = pa.table(
        {
            "id": ["a", "a", "a", "b c", None],
            "tags": ["vip", "vip", "new", "", "x"],
        }
    )
    result = read_customers(frame)
    counts_add_up(result)
    # row 0 kept; row 1 an exact repeat (dropped, counted); row 2 same id, other tags;
    # row 3 an id with a space; row 4 no id
    assert (result.rows_read, result.rows_accepted, result.rows_rejected) == (5, 2, 3)
    assert result.duplicates_dropped == 1
    assert [(r.row, r.line, r.field) for r in result.rejections] == [
        (2, 3, "id"),
        (3, 4, "id"),
        (4, 5, "id"),
    ]
    assert result.rejections[0].other_line == 1  # the line of row 0, kept
    assert str(result.rejections[1]).startswith("row 3: id='b c': ")


def test_strict_raises_at_the_first_rejected_row():
    frame = pa.table({"id": ["a", "b"], "source": ["store", "mars"]})
    with pytest.raises(LoadError) as caught:
        read_customers(frame, strict=True)
    assert caught.value.line == 2
    assert caught.value.field == "source"


def test_bad_tags_are_rejections_naming_the_tag():
    frame = pa.table({"id": ["a", "b"], "tags": [["vip"], ["ok", "a:b"]]})
    result = read_customers(frame)
    assert [c.id for c in result.records] == ["a"]
    assert result.rejections[0].line == 2
    assert result.rejections[0].field.startswith("tags.1")


def test_column_mapping_is_checked():
    frame = pa.table({"customer_id": ["a"], "added": ["2026-03-01T00:00:00Z"]})
    with pytest.raises(ValidationError, match=r"columns\['id'\]='id': the frame has no id column"):
        read_customers(frame)
    with pytest.raises(ValidationError, match="is not a customer column"):
        read_customers(frame, columns={"id": "customer_id", "joined": "added"})
    with pytest.raises(ValidationError, match=r"columns\['connected_at'\]='added_at': names no"):
        read_customers(frame, columns={"id": "customer_id", "connected_at": "added_at"})
    result = read_customers(frame, columns={"id": "customer_id", "connected_at": "added"})
    assert result.records == (
        Customer(id="a", connected_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)),
    )


def test_polars_categorical_source():
    frame = pl.DataFrame({"id": ["a", "b"], "source": ["Store", "jd"]}).with_columns(
        pl.col("source").cast(pl.Categorical)
    )
    result = read_customers(frame)
    assert [c.source.value for c in result.records] == ["store", "jd"]


# Round trip: a frame written from customers reads back as those customers.
pools = st.lists(customer_strategy(), max_size=10, unique_by=lambda c: c.id)


def to_frame(customers, *, joined):
    handles = [c.contacts.reveal() for c in customers]
    tags = [[str(t) for t in c.tags] for c in customers]
    return pa.table(
        {
            "id": [c.id for c in customers],
            "display_name": pa.array([c.display_name for c in customers], pa.string()),
            "connected_at": pa.array(
                [c.connected_at for c in customers], pa.timestamp("us", "UTC")
            ),
            "source": pa.array(
                [None if c.source is None else c.source.value for c in customers], pa.string()
            ),
            "tags": pa.array([";".join(t) for t in tags], pa.string())
            if joined
            else pa.array(tags, pa.list_(pa.string())),
            **{
                name: pa.array([h.get(name) for h in handles], pa.string())
                for name in ("phone", "wechat_id", "wecom_external_id")
            },
        }
    )


@settings(max_examples=60, deadline=None)
@given(customers=pools, joined=st.booleans())
def test_frame_of_customers_reads_back_as_them(customers, joined):
    frame = to_frame(customers, joined=joined)
    result = read_customers(frame, separator=";")
    counts_add_up(result)
    assert result.ok, [str(r) for r in result.rejections]
    assert result.records == tuple(customers)


def test_problems_name_the_frames_columns():
    frame = pa.table(
        {
            "customer_id": ["a", "b", "c"],
            "labels": [["vip"], ["ok", "a:b"], []],
            "mobile": [None, None, "call me"],
        }
    )
    result = read_customers(
        frame, columns={"id": "customer_id", "tags": "labels", "phone": "mobile"}
    )
    counts_add_up(result)
    assert [(r.row, r.field) for r in result.rejections] == [(1, "labels.1.group"), (2, "mobile")]
    assert "call me" not in str(result.rejections[1])
    rejected = result.rejections_frame("pyarrow")
    assert rejected.column("row").to_pylist() == [1, 2]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_empty_frame_reads_nothing(backend):
    result = read_customers(make(backend, {"id": [], "tags": []}))
    assert (result.rows_read, result.records) == (0, ())
