"""custpool.dask's inputs: the split by customer, Parquet, the frame of a table, bad arguments."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from dask_helpers import (  # noqa: F401 - fixtures, asked for by name
    client_fixture,
    frame_fixture,
    split,
    synthetic_fixture,
    table_fixture,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import custpool
import custpool.dask as cd
from custpool import EventTable, Policy, ValidationError, Window, WrongTypeError

WINDOW = Window(datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 9, 1, tzinfo=UTC))
AS_OF = datetime(2025, 9, 1, tzinfo=UTC)


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )


def test_import_custpool_does_not_import_dask():
    done = _run("import sys, custpool, custpool.plot; print('dask' in sys.modules)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_without_dask_the_error_names_the_extra():
    code = (
        "import sys; sys.modules['distributed'] = None\n"
        "import custpool\n"
        "try:\n"
        "    import custpool.dask\n"
        "except custpool.MissingDependencyError as e:\n"
        "    print(e.package, e.extra)\n"
    )
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["distributed", "dask"]


def test_public_names_report_the_package():
    assert cd.from_dask.__module__ == "custpool.dask"
    assert cd.DaskPool.__module__ == "custpool.dask"
    assert cd.pool_kpis.__module__ == "custpool.dask"


def test_table_frame_reads_back_to_the_same_table(table: EventTable):
    back = EventTable.from_frame(cd.table_frame(table), amounts="minor")
    for name in EventTable.COLUMNS:
        np.testing.assert_array_equal(back.column(name), table.column(name), err_msg=name)
    assert back.customer_ids == table.customer_ids
    assert back.item_ids == table.item_ids
    assert back.currency == table.currency == "CNY"


def test_home_is_stable_and_spreads_customers():
    ids = [f"c-{k:05d}" for k in range(3_000)]
    homes = cd.home(ids, 7)
    # the same in a fresh process (whose string hash seed differs)
    code = "import custpool.dask as cd\nids = [f'c-{k:05d}' for k in range(3000)]\n"
    code += "print(cd.home(ids, 7).tolist())"
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(homes.tolist())
    # 3,000 ids over 7 partitions: 428.6 each on average; a fair hash keeps every one above 300
    assert np.bincount(homes, minlength=7).min() > 300
    assert cd.home([42, "42"], 5)[0] == cd.home([42, "42"], 5)[1]  # an int id is its decimal text


@settings(max_examples=10, deadline=None)
@given(
    ids=st.lists(st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True), max_size=50),
    n=st.integers(1, 9),
)
def test_home_is_a_partition_number(ids: list[str], n: int):
    homes = cd.home(ids, n)
    assert homes.shape == (len(ids),)
    assert ((homes >= 0) & (homes < n)).all()


# dask 2026.8 reads Parquet with pandas' deprecated ``reset_index(inplace=True)`` (pandas 3.1)
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame")
@pytest.mark.usefixtures("client")
def test_read_parquet_gives_the_same_results(frame, table: EventTable, tmp_path):
    dd.from_pandas(frame, npartitions=4).to_parquet(tmp_path / "events")
    pool = cd.read_parquet(str(tmp_path / "events"), npartitions=3, amounts="minor")
    assert pool.npartitions == 3
    assert cd.pool_kpis(pool, WINDOW) == custpool.pool_kpis(table, WINDOW)


@pytest.mark.usefixtures("client")
def test_customers_without_events_are_counted_once(frame, table: EventTable):
    extra = ("z-1", "z-2", table.customer_ids[0])  # two without events, one with
    pool = cd.from_dask(
        dd.from_pandas(frame, npartitions=2), npartitions=3, customers=extra, amounts="minor"
    )
    whole = EventTable.from_frame(frame, amounts="minor", customers=extra)
    counts = cd.tier_counts(pool, Policy(), AS_OF)
    assert counts == custpool.classify_table(whole, Policy(), AS_OF).counts()
    assert sum(counts.values()) == 400 + 2


@pytest.mark.usefixtures("client")
def test_a_referred_customer_without_rows_is_refused_as_on_one_machine():
    at = pd.Timestamp("2025-05-01", tz="UTC")
    frame = pd.DataFrame(
        {
            "customer_id": ["c-1", "c-1"],
            "at": [at, at + pd.Timedelta(days=1)],
            "kind": ["connect", "referral"],
            "direction": ["inbound", "inbound"],
            "referred_id": pd.array([None, "c-9"], dtype="string"),
        }
    )
    with pytest.raises(ValidationError) as one:
        EventTable.from_frame(frame)
    assert one.value.field == "referred_id[1]"
    pool = cd.from_dask(dd.from_pandas(frame, npartitions=1), npartitions=5)
    with pytest.raises(ValidationError, match="referred customer must be a customer") as many:
        cd.tier_counts(pool, Policy(), AS_OF)
    assert many.value.field == "referred_id"  # the partition's row number is not the frame's
    assert "c-9" in str(many.value)


@pytest.mark.usefixtures("client")
def test_partitions_in_two_currencies_are_refused():
    at = pd.Timestamp("2025-05-01", tz="UTC")
    frame = pd.DataFrame(
        {
            "customer_id": [f"c-{k}" for k in range(40)],
            "at": [at] * 40,
            "kind": ["purchase"] * 40,
            "amount": [10] * 40,
            "order_id": [f"o-{k}" for k in range(40)],
        }
    )
    homes = cd.home(frame["customer_id"].tolist(), 2)
    frame["currency"] = np.where(homes == 0, "CNY", "USD")  # one currency per partition
    with pytest.raises(ValidationError, match="one currency"):
        EventTable.from_frame(frame)
    pool = cd.from_dask(dd.from_pandas(frame, npartitions=1), npartitions=2)
    with pytest.raises(ValidationError, match="several") as many:
        cd.pool_kpis(pool, WINDOW)
    assert many.value.field == "currency"


def test_bad_arguments_are_refused_before_any_work(frame):
    events = dd.from_pandas(frame, npartitions=1)
    with pytest.raises(WrongTypeError, match="events"):
        cd.from_dask(frame)  # a pandas frame, not a Dask one
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValidationError, match="npartitions"):
            cd.from_dask(events, npartitions=bad)
    with pytest.raises(ValidationError, match="customer_id"):
        cd.from_dask(events, columns={"customer_id": "member"})
    pool = split(frame, 2)
    with pytest.raises(WrongTypeError, match="pool"):
        cd.pool_kpis(frame, WINDOW)
    with pytest.raises(ValidationError, match="end"):
        cd.pool_kpis(pool, datetime(2025, 3, 1, tzinfo=UTC))
    with pytest.raises(ValidationError):
        cd.classify_table(pool, Policy(), datetime(2025, 3, 1))  # naive as_of  # noqa: DTZ001
    with pytest.raises(WrongTypeError):
        cd.tier_counts(pool, "nurture", AS_OF)
    with pytest.raises(ValidationError):
        cd.tier_flows(pool, Policy(), [AS_OF])  # one period end
    ends = [datetime(2025, m, 1, tzinfo=UTC) for m in (1, 2, 3)]
    with pytest.raises(WrongTypeError, match="pool"):
        cd.tier_ltv(frame, Policy(), ends, discount_rate=0.01)
    with pytest.raises(ValidationError, match="discount_rate"):
        cd.tier_ltv(pool, Policy(), ends, discount_rate=0)  # no horizon: no finite value
    with pytest.raises(ValidationError, match="horizon"):
        cd.tier_ltv(pool, Policy(), ends, discount_rate=0.01, horizon=0)
    with pytest.raises(WrongTypeError, match="pool"):
        cd.pool_growth(frame, ends)
    with pytest.raises(ValidationError, match="periods"):
        cd.pool_growth(pool, ends[:2])  # one period: nothing to compare
    with pytest.raises(ValidationError, match=r"periods\[1\]"):
        cd.pool_growth(pool, [ends[0], ends[0], ends[2]])  # not increasing
    with pytest.raises(WrongTypeError, match="periods"):
        cd.pool_growth(pool, "2025-01-01")


@pytest.mark.usefixtures("client")
def test_columns_are_mapped_as_from_frame_maps_them(frame, table: EventTable):
    renamed = frame.rename(columns={"customer_id": "member", "referred_id": "invitee"})
    events = dd.from_pandas(renamed, npartitions=2)
    mapping = {"customer_id": "member", "referred_id": "invitee"}
    pool = cd.from_dask(events, npartitions=3, columns=mapping, amounts="minor")
    assert (
        cd.tier_counts(pool, Policy(), AS_OF)
        == custpool.classify_table(table, Policy(), AS_OF).counts()
    )


@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame")  # dask 2026.8, pandas 3.1
@pytest.mark.usefixtures("client")
def test_tiers_are_written_to_parquet_by_the_workers(frame, table: EventTable, tmp_path):
    cd.classify_table(split(frame, 3), Policy(), AS_OF).to_parquet(tmp_path / "tiers")
    written = pd.read_parquet(tmp_path / "tiers").sort_values("customer_id", ignore_index=True)
    expected = custpool.classify_table(table, Policy(), AS_OF).to_frame()
    assert written["customer_id"].tolist() == expected["customer_id"].tolist()
    assert written["state"].tolist() == expected["state"].tolist()
    assert written["purchases"].tolist() == expected["purchases"].tolist()


@pytest.mark.usefixtures("client")
def test_integer_ids_live_where_their_decimal_text_does(frame, table: EventTable):
    # c-007 → 7: ids as integers, referred ids as nullable integers; the table reads them as
    # "7", and each customer's rows and the referrals naming them meet in one home
    numbered = frame.assign(
        customer_id=frame["customer_id"].str.removeprefix("c-").astype("int64"),
        referred_id=frame["referred_id"].str.removeprefix("c-").astype("Int64"),
    )
    whole = EventTable.from_frame(numbered, amounts="minor")
    pool = cd.from_dask(dd.from_pandas(numbered, npartitions=2), npartitions=3, amounts="minor")
    assert cd.pool_kpis(pool, WINDOW) == custpool.pool_kpis(whole, WINDOW)
    assert cd.pool_kpis(pool, WINDOW) == custpool.pool_kpis(table, WINDOW)  # same pool
    counts = cd.tier_counts(pool, Policy(), AS_OF)
    assert counts == custpool.classify_table(whole, Policy(), AS_OF).counts()
    assert sum(counts.values()) == 400
