"""Frame schemas do not depend on the data: an all-null column keeps the type it has with values."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from conftest import at
from custpool import (
    CustomerTags,
    EventTable,
    Policy,
    ValidationError,
    WrongTypeError,
    channel_attribution,
    classify_table,
    pool_kpis,
    referral_tree,
    rfm_summary,
)
from custpool._frames import BACKENDS, build_frame, check_dtypes
from custpool._time import NO_TIME
from tiers_helpers import ev

M = np.ma.masked_array


def schema(frame: Any) -> dict[str, str]:
    """Return each column's type as the backend names it."""
    if hasattr(frame, "column_names"):  # pyarrow
        return {f.name: str(f.type) for f in frame.schema}
    if hasattr(frame, "schema"):  # polars
        return {name: str(t) for name, t in frame.schema.items()}
    return {name: str(t) for name, t in frame.dtypes.items()}  # pandas


# name: (all null, with values, declared type or None for a numpy column that says it)
COLUMNS: dict[str, tuple[object, object, str | None]] = {
    "masked_int": (M([1, 2], mask=[True, True]), M([1, 2], mask=[False, True]), None),
    "masked_float": (M([1.0, 2.0], mask=[True, True]), M([1.0, 2.0], mask=[False, True]), None),
    "masked_str": (M(["", ""], mask=[True, True]), M(["a", ""], mask=[False, True]), None),
    "masked_bool": (M([True, True], mask=[True, True]), M([True, True], mask=[False, True]), None),
    "list_int": ([None, None], [1, None], "int"),
    "list_float": ([None, None], [1.5, None], "float"),
    "list_str": ([None, None], ["a", None], "str"),
    "list_bool": ([None, None], [True, None], "bool"),
    "object_str": (
        np.array([None, None], dtype=object),
        np.array(["a", None], dtype=object),
        "str",
    ),
}
EXPECTED = {
    # backend: the type of masked_int, masked_float, masked_str, masked_bool (lists the same)
    "pandas": ("Int64", "float64", "str", "boolean"),
    "polars": ("Int64", "Float64", "String", "Boolean"),
    "pyarrow": ("int64", "double", "string", "bool"),
}


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_all_null_column_has_the_type_it_has_with_values(backend: str) -> None:
    dtypes: Any = {name: kind for name, (_, _, kind) in COLUMNS.items() if kind is not None}
    nulls = build_frame({k: v[0] for k, v in COLUMNS.items()}, backend=backend, dtypes=dtypes)
    values = build_frame({k: v[1] for k, v in COLUMNS.items()}, backend=backend, dtypes=dtypes)
    assert schema(nulls) == schema(values)
    integer, floating, string, boolean = EXPECTED[backend]
    expected = [integer, floating, string, boolean, integer, floating, string, boolean, string]
    assert list(schema(nulls).values()) == expected


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_time_column_of_no_time_only_is_still_a_zoned_timestamp(backend: str) -> None:
    nulls = build_frame({"t": np.array([NO_TIME])}, backend=backend, times=("t",), tz="Asia/Tokyo")
    values = build_frame({"t": np.array([0])}, backend=backend, times=("t",), tz="Asia/Tokyo")
    assert schema(nulls) == schema(values)
    assert "Tokyo" in schema(nulls)["t"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_frame_of_no_rows_has_the_schema_of_one_with_rows(backend: str) -> None:
    empty = {"n": np.zeros(0, dtype=np.int64), "id": np.zeros(0, dtype=object), "x": []}
    full = {"n": np.ones(1, dtype=np.int64), "id": np.array(["c-1"], dtype=object), "x": [0.5]}
    dtypes: Any = {"id": "str", "x": "float"}
    assert schema(build_frame(empty, backend=backend, dtypes=dtypes)) == schema(
        build_frame(full, backend=backend, dtypes=dtypes)
    )


def test_dtypes_are_checked_against_the_columns() -> None:
    with pytest.raises(ValidationError, match=r"dtypes='m': must name a column"):
        check_dtypes({"m": "int"}, ["n"], [])
    with pytest.raises(ValidationError, match="must not name a time column"):
        check_dtypes({"t": "int"}, ["t"], ["t"])
    with pytest.raises(ValidationError, match=r"dtypes\['n'\]='Int64': must be one of"):
        check_dtypes({"n": "Int64"}, ["n"], [])
    with pytest.raises(WrongTypeError, match="must be a mapping"):
        check_dtypes(["n"], ["n"], [])


# -- results whose nullable columns are all null, beside the same result with values ----------


def with_values() -> EventTable:
    """c-1 connects, answers an NPS, buys (with money) and refers c-2, who connects."""
    return EventTable.from_interactions(
        [
            ev(0, "connect", "c-1"),
            ev(1, "nps", "c-1", score=9),
            ev(2, "purchase", "c-1"),  # 10 CNY
            ev(3, "referral", "c-1", referred_id="c-2"),
            ev(3, "connect", "c-2"),
        ]
    )


def all_null() -> EventTable:
    """Prospects only (no state began, no tier, no NPS, no money, no referrer)."""
    return EventTable.from_interactions([ev(0, "message", "c-1"), ev(1, "message", "c-2")])


RESULTS = {
    "TierTable": lambda table: classify_table(table, Policy(), at(10)),
    "PoolKpis": lambda table: pool_kpis(table, at(-1), at(10)),
    "ChannelAttribution": lambda table: channel_attribution(table, at(-1), at(10)),
    "ReferralTree": lambda table: referral_tree(table, at(10)),
    "RfmSummary": lambda table: rfm_summary(table, at(10)),
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("result", list(RESULTS))
def test_a_result_with_only_nulls_has_the_schema_of_one_with_values(
    result: str, backend: str
) -> None:
    make = RESULTS[result]
    assert schema(make(all_null()).to_frame(backend)) == schema(
        make(with_values()).to_frame(backend)
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_tier_table_since_all_null_is_a_timestamp(backend: str) -> None:
    frame = classify_table(all_null(), Policy(), at(10)).to_frame(backend, tz="Asia/Shanghai")
    assert "Shanghai" in schema(frame)["since"]
    assert "Shanghai" in schema(frame)["as_of"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_customer_tags_without_groups_keep_the_group_type(backend: str) -> None:
    ungrouped = CustomerTags.from_matrix([[1]], ["vip"], ["c-1"])
    grouped = CustomerTags.from_matrix([[1]], ["interest:茶"], ["c-1"])
    none = CustomerTags.from_matrix(np.zeros((1, 1), dtype=bool), ["vip"], ["c-1"])
    expected = schema(grouped.to_frame(backend))
    assert schema(ungrouped.to_frame(backend)) == expected
    assert schema(none.to_frame(backend)) == expected  # no rows at all


def test_the_all_null_fixture_is_all_null() -> None:
    # Guards the tests above: the "all null" table really has no since, tier, NPS or money.
    frame = classify_table(all_null(), Policy(), at(10)).to_frame("pyarrow")
    for name in ("since", "tier", "tier_zh", "latest_nps"):
        assert frame.column(name).null_count == 2, name
    kpis = pool_kpis(all_null(), at(-1), at(10)).to_frame("pyarrow")
    assert kpis.column("currency").null_count == kpis.num_rows
