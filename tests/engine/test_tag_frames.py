"""CustomerTags.from_frame: tags from a list column or a delimited string, in every backend."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custpool import (
    Customer,
    CustomerTags,
    EventTable,
    Tag,
    ValidationError,
    WrongTypeError,
)
from custpool.strategies import customers as customer_strategy

BACKENDS = ("pandas", "polars", "pyarrow")


def make(backend, columns):
    """The same columns as a frame of ``backend``."""
    if backend == "pandas":
        return pd.DataFrame(columns)
    if backend == "polars":
        return pl.DataFrame(columns)
    return pa.table(columns)


def texts(tags):
    return [str(t) for t in tags.vocabulary]


# c-2 has rows 0 and 3: their tags unite (vip, interest:咖啡 | interest:tea, vip);
# c-1's cell is empty, c-3's null: no tags.
IDS = ["c-2", "c-1", "c-3", "c-2"]
AS_TEXT = [" VIP , interest:咖啡", "", None, "interest:tea,,vip"]
AS_LISTS = [[" VIP ", "interest:咖啡"], [], None, ["interest:tea", "vip"]]
# vocabulary sorted by (group, name): ungrouped "vip" first, then interest:tea < interest:咖啡
EXPECTED_VOCABULARY = ["vip", "interest:tea", "interest:咖啡"]
EXPECTED_HELD = [
    [False, False, False],  # c-1
    [True, True, True],  # c-2: rows 0 and 3 united
    [False, False, False],  # c-3
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("cells", [AS_TEXT, AS_LISTS], ids=["delimited", "list"])
def test_hand_checked_small_frame_in_every_backend(backend, cells):
    tags = CustomerTags.from_frame(make(backend, {"customer_id": IDS, "tags": cells}))
    assert list(tags.customer_ids) == ["c-1", "c-2", "c-3"]  # sorted, as a table sorts them
    assert texts(tags) == EXPECTED_VOCABULARY
    assert tags.held.tolist() == EXPECTED_HELD
    assert not tags.held.flags.writeable


@pytest.mark.parametrize("backend", BACKENDS)
def test_categorical_and_integer_columns(backend):
    frame = make(backend, {"customer_id": [7, 3, 7], "tags": ["a", "b", "a"]})
    if backend == "pandas":
        frame["tags"] = frame["tags"].astype("category")
    elif backend == "polars":
        frame = frame.with_columns(pl.col("tags").cast(pl.Categorical))
    else:
        frame = frame.set_column(1, "tags", frame.column("tags").dictionary_encode())
    tags = CustomerTags.from_frame(frame)
    # integer ids are read in decimal, then sorted as strings: "3" < "7"
    assert list(tags.customer_ids) == ["3", "7"]
    assert tags.held.tolist() == [[False, True], [True, False]]


def test_normalised_exactly_as_tag_does():
    raw = ["ＶＩＰ", "  Coffee   Lovers ", "Interest : Latte Art", "INTEREST:咖啡"]
    frame = pa.table({"customer_id": ["a"] * 4, "tags": raw})
    tags = CustomerTags.from_frame(frame)
    assert tags.vocabulary == tuple(sorted({Tag.parse(t) for t in raw}, key=Tag.sort_key))
    assert texts(tags) == ["coffee lovers", "vip", "interest:latte art", "interest:咖啡"]


def test_several_chunks_keep_rows_apart():
    ids = pa.chunked_array([["a", "b"], ["c"], ["a"]])
    cells = pa.chunked_array([[["x"], ["y"]], [["x", "y"]], [["z"]]])
    tags = CustomerTags.from_frame(pa.table({"customer_id": ids, "tags": cells}))
    assert texts(tags) == ["x", "y", "z"]
    # a: x (chunk 0) and z (chunk 2); b: y; c: x and y
    assert tags.held.tolist() == [[True, False, True], [False, True, False], [True, True, False]]


def test_separator_and_null_items():
    frame = pa.table({"customer_id": ["a", "b"], "tags": ["x;y, z", None]})
    tags = CustomerTags.from_frame(frame, separator=";")
    assert texts(tags) == ["x", "y, z"]  # a tag name may hold a comma
    listed = pa.table({"customer_id": ["a"], "tags": [["x", None, "  "]]})
    assert texts(CustomerTags.from_frame(listed)) == ["x"]


def test_no_tags_at_all():
    frame = pd.DataFrame({"customer_id": ["b", "a"], "tags": [None, None]})
    tags = CustomerTags.from_frame(frame)
    assert list(tags.customer_ids) == ["a", "b"]
    assert tags.held.shape == (2, 0)


def test_aligned_with_a_table_and_with_ids():
    table = EventTable.from_interactions([], customers=["c-3", "c-1", "c-9"])
    frame = pa.table({"customer_id": ["c-3", "c-1"], "tags": ["vip", "new,vip"]})
    tags = CustomerTags.from_frame(frame, customers=table)
    assert list(tags.customer_ids) == ["c-1", "c-3", "c-9"]
    # c-9 is not in the frame: no tags
    assert tags.held.tolist() == [[True, True], [False, True], [False, False]]
    by_ids = CustomerTags.from_frame(frame, customers=["c-9", "c-3", "c-1"])
    assert by_ids.held.tolist() == [[False, False], [False, True], [True, True]]


def test_frame_ids_outside_customers_are_counted_never_shown():
    frame = pa.table(
        {"customer_id": ["c-1", "13800138000", "13800138000", "x-2"], "tags": ["a"] * 4}
    )
    with pytest.raises(ValidationError) as caught:
        CustomerTags.from_frame(frame, customers=["c-1"])
    message = str(caught.value)
    assert "13800138000" not in message
    assert "x-2" not in message
    assert caught.value.field == "customer_id[1]"  # the first row whose id is not given
    # 2 distinct ids ("13800138000", "x-2") on 3 rows (1, 2, 3)
    assert "2 customer ids of the frame (on 3 rows" in message
    assert "13800138000" not in repr(caught.value.value)


def test_vocabulary_fixes_the_columns():
    frame = pa.table({"customer_id": ["a", "b"], "tags": ["vip", ""]})
    tags = CustomerTags.from_frame(frame, vocabulary=["lifecycle:new", "VIP"])
    assert texts(tags) == ["vip", "lifecycle:new"]  # sorted; new is carried by nobody
    assert tags.held.tolist() == [[True, False], [False, False]]
    with pytest.raises(ValidationError, match=r"^tags\[1\]='tea': is not in vocabulary="):
        CustomerTags.from_frame(
            pa.table({"customer_id": ["a", "b"], "tags": ["vip", "tea"]}), vocabulary=["vip"]
        )


def test_bad_tag_names_column_row_value_and_rule():
    frame = pa.table({"customer_id": ["a", "b", "c"], "labels": ["ok", "x, a:b", "a:b"]})
    with pytest.raises(ValidationError) as caught:
        CustomerTags.from_frame(frame, tags="labels")
    error = caught.value
    assert error.field == "labels[1]"  # the first bad text, " a:b", is on row 1
    assert error.value == " a:b"
    assert "rows hold it" not in error.rule  # row 2's "a:b" is another text, found later
    assert "the group before ':' must be one of" in error.rule
    with pytest.raises(ValidationError, match=r"^labels\[1\]='a:b': .* \(2 rows hold it;"):
        CustomerTags.from_frame(
            pa.table({"customer_id": ["a", "b", "c"], "labels": ["ok", "a:b", "a:b"]}),
            tags="labels",
        )
    too_long = pa.table({"customer_id": ["a"], "tags": ["x" * 65]})
    with pytest.raises(ValidationError, match="at most 64 characters"):
        CustomerTags.from_frame(too_long)


def test_bad_ids_are_named_by_row_never_shown():
    with pytest.raises(ValidationError) as caught:
        CustomerTags.from_frame(pa.table({"customer_id": ["a", "b c"], "tags": ["x", "y"]}))
    assert caught.value.field == "customer_id[1]"
    assert "b c" not in str(caught.value)
    assert "<not shown, 3 chars>" in str(caught.value)
    with pytest.raises(ValidationError, match=r"customer_id\[0\]=None: is empty"):
        CustomerTags.from_frame(pa.table({"customer_id": [None, "a"], "tags": ["x", "y"]}))


def test_wrong_arguments_and_columns():
    frame = pa.table({"customer_id": ["a"], "tags": ["x"], "n": [1.5]})
    with pytest.raises(ValidationError, match="must name a column of the frame; its columns are"):
        CustomerTags.from_frame(frame, tags="labels")
    with pytest.raises(ValidationError, match="separator=':'"):
        CustomerTags.from_frame(frame, separator=":")
    with pytest.raises(WrongTypeError, match="must hold tags"):
        CustomerTags.from_frame(frame, tags="n")
    with pytest.raises(WrongTypeError, match="must hold customer ids"):
        CustomerTags.from_frame(frame, customer_id="n")
    with pytest.raises(WrongTypeError, match="must be a pandas, polars or pyarrow frame"):
        CustomerTags.from_frame({"customer_id": ["a"], "tags": ["x"]})


tag_sets = st.lists(
    customer_strategy(with_contacts=False, max_tags=4), max_size=12, unique_by=lambda c: c.id
)


@settings(max_examples=60, deadline=None)
@given(customers=tag_sets, extra=st.lists(st.just("z-extra"), max_size=1), data=st.data())
def test_from_frame_equals_from_customers(customers, extra, data):
    ids = [c.id for c in customers] + [e for e in extra if e not in {c.id for c in customers}]
    order = data.draw(st.permutations(ids))
    lists = [[str(t) for t in c.tags] for c in customers]
    # ";" joins: no tag name can hold it
    joined = [";".join(cell) for cell in lists]
    expected = CustomerTags.from_customers(customers, order)
    frame_ids = [c.id for c in customers]
    for frame, separator in (
        (pa.table({"customer_id": frame_ids, "tags": pa.array(lists, pa.list_(pa.string()))}), ","),
        (pa.table({"customer_id": frame_ids, "tags": pa.array(joined, pa.string())}), ";"),
    ):
        got = CustomerTags.from_frame(frame, customers=order, separator=separator)
        assert list(got.customer_ids) == list(expected.customer_ids)
        # from_frame's vocabulary is what the frame holds, as from_customers'
        assert got.vocabulary == expected.vocabulary
        assert np.array_equal(got.held, expected.held)


@settings(max_examples=30, deadline=None)
@given(customers=tag_sets)
def test_default_ids_are_the_sorted_frame_ids(customers):
    frame = pa.table(
        {
            "customer_id": [c.id for c in customers],
            "tags": pa.array([[str(t) for t in c.tags] for c in customers], pa.list_(pa.string())),
        }
    )
    got = CustomerTags.from_frame(frame)
    assert list(got.customer_ids) == sorted(c.id for c in customers)
    for customer in customers:
        assert set(got.tags_of(customer.id)) == set(customer.tags)


def test_from_frame_matches_customer_objects():
    """The same export read as customers and as a matrix gives the same tags."""
    customers = [Customer(id="a", tags=["vip", "interest:tea"]), Customer(id="b")]
    frame = pa.table({"customer_id": ["a", "b"], "tags": ["interest:tea,vip", ""]})
    got = CustomerTags.from_frame(frame)
    want = CustomerTags.from_customers(customers, ["a", "b"])
    assert got.vocabulary == want.vocabulary
    assert np.array_equal(got.held, want.held)


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_empty_frame_gives_an_empty_matrix(backend):
    tags = CustomerTags.from_frame(make(backend, {"customer_id": [], "tags": []}))
    assert tags.held.shape == (0, 0)
    aligned = CustomerTags.from_frame(
        make(backend, {"customer_id": [], "tags": []}), customers=["a", "b"]
    )
    assert aligned.held.shape == (2, 0)


def test_fixed_size_lists():
    cells = pa.array([["a", "b"], ["c", "a"]], pa.list_(pa.string(), 2))
    tags = CustomerTags.from_frame(pa.table({"customer_id": ["x", "y"], "tags": cells}))
    assert tags.held.tolist() == [[True, True, False], [True, False, True]]
