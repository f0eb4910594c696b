"""CustomerTags: each customer's tags as a boolean matrix, equal to the object API."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custpool import (
    AllOf,
    AnyOf,
    Customer,
    CustomerTags,
    EventTable,
    NoneOf,
    Tag,
    UnknownIdError,
    ValidationError,
    WrongTypeError,
    example_pool,
)
from custpool._engine.events import readonly
from custpool._engine.ids import Ids
from custpool.strategies import customers, rules, tags
from custpool.synth import SynthConfig, generate

VIP = Tag.parse("vip")
COFFEE = Tag.parse("interest:咖啡")
TEA = Tag.parse("interest:tea")
LATTE = Tag.parse("interest:latte art")
ORIGIN = Tag.parse("interest:single origin")
BLOCKED = Tag.parse("lifecycle:blocked")
NEW = Tag.parse("lifecycle:new")


def names(values):
    return [str(t) for t in values]


@pytest.fixture
def small() -> CustomerTags:
    """Four customers; rows and columns written out by hand."""
    #         vip    tea    咖啡   blocked
    held = [
        [True, False, True, False],  # a: vip, 咖啡
        [False, True, False, False],  # b: tea
        [False, False, True, True],  # c: 咖啡, blocked
        [False, False, False, False],  # d: nothing
    ]
    return CustomerTags.from_matrix(
        held, ["vip", "interest:tea", "interest:咖啡", "lifecycle:blocked"], ["a", "b", "c", "d"]
    )


# -- from_customers ---------------------------------------------------------------------------


def test_from_customers_example_pool_by_hand():
    pool = example_pool()
    table = EventTable.from_interactions(pool.interactions, customers=["c-000", "c-new"])
    result = CustomerTags.from_customers(pool.customers, table)
    assert list(result.customer_ids) == [
        "c-000",
        "c-001",
        "c-002",
        "c-003",
        "c-004",
        "c-005",
        "c-006",
        "c-new",
    ]
    assert result.vocabulary == (VIP, LATTE, ORIGIN, TEA, COFFEE, BLOCKED, NEW)
    assert result.held.tolist() == [
        # vip latte origin tea 咖啡 blocked new
        [0, 0, 0, 0, 0, 0, 0],  # c-000: no Customer object
        [1, 1, 0, 0, 1, 0, 0],  # c-001
        [0, 0, 0, 0, 1, 0, 0],  # c-002
        [0, 0, 1, 0, 1, 0, 0],  # c-003
        [0, 0, 0, 1, 0, 0, 0],  # c-004
        [0, 0, 0, 0, 1, 1, 0],  # c-005
        [0, 0, 0, 0, 1, 0, 1],  # c-006
        [0, 0, 0, 0, 0, 0, 0],  # c-new: no Customer object
    ]
    assert result.tags_of("c-000") == ()
    assert result.tags_of("c-005") == (COFFEE, BLOCKED)
    assert result.matches(pool.charter.joining_rule).tolist() == [
        False,
        True,
        True,
        True,
        False,
        False,
        True,
        False,
    ]


def test_from_customers_takes_ids_and_ids_objects():
    people = [Customer(id="y", tags=["b", "a"]), Customer(id="x", tags=["a"])]
    by_list = CustomerTags.from_customers(people, ["x", "y", "z"])
    by_ids = CustomerTags.from_customers(iter(people), Ids(("x", "y", "z")))
    for result in (by_list, by_ids):
        assert isinstance(result.customer_ids, Ids)
        assert names(result.vocabulary) == ["a", "b"]
        assert result.held.tolist() == [[True, False], [True, True], [False, False]]
    numbered = CustomerTags.from_customers([Customer(id="1", tags=["vip"])], Ids.numbered(3))
    assert numbered.held.tolist() == [[False], [True], [False]]


def test_from_customers_without_tags_or_customers():
    result = CustomerTags.from_customers([Customer(id="x")], ["x", "y"])
    assert result.vocabulary == ()
    assert result.held.shape == (2, 0)
    assert result.tags_of("x") == ()
    assert result.counts() == {}
    assert result.matches(AnyOf.of("vip")).tolist() == [False, False]
    assert result.matches(NoneOf.of("vip")).tolist() == [True, True]
    empty = CustomerTags.from_customers([], [])
    assert len(empty) == 0
    assert empty.held.shape == (0, 0)
    assert empty.matches(AllOf.of("vip")).shape == (0,)


def test_from_customers_repeated_customer_with_same_tags_counts_once():
    same = [Customer(id="x", tags=["vip"]), Customer(id="x", tags=["VIP"], display_name="X")]
    result = CustomerTags.from_customers(same, ["x"])
    assert result.held.tolist() == [[True]]
    assert result.counts() == {VIP: 1}


def test_from_customers_repeated_customer_with_other_tags_is_refused():
    people = [Customer(id="x", tags=["vip"]), Customer(id="y"), Customer(id="x", tags=["new"])]
    with pytest.raises(ValidationError) as info:
        CustomerTags.from_customers(people, ["x", "y"])
    assert info.value.field == "customers[2]"
    assert info.value.value == "x"
    assert "repeats the id of customers[0] with different tags" in info.value.rule
    assert str(info.value).startswith("customers[2]='x': repeats the id of customers[0]")


def test_from_customers_refuses_non_customers():
    with pytest.raises(WrongTypeError) as info:
        CustomerTags.from_customers([Customer(id="x"), {"id": "y"}], ["x", "y"])  # type: ignore[list-item]
    assert info.value.field == "customers[1]"
    assert info.value.rule == "must be a Customer"
    assert isinstance(info.value, TypeError)


def test_from_customers_unknown_id_hints_at_customers_argument():
    table = EventTable.from_interactions(example_pool().interactions)
    people = [Customer(id="c-001"), Customer(id="c-999", tags=["vip"])]
    with pytest.raises(UnknownIdError, match="customers=") as info:
        CustomerTags.from_customers(people, table)
    assert info.value.kind == "customer"
    assert info.value.id == "c-999"
    assert str(info.value) == "no customer with id 'c-999' in this pool"
    assert isinstance(info.value, KeyError)
    (note,) = info.value.__notes__
    assert note.startswith("customers[1]: ")
    assert "EventTable.from_interactions(..., customers=ids)" in note


@pytest.mark.parametrize(
    ("ids", "field", "rule"),
    [
        ("xy", "table_or_ids", "must be an EventTable or a sequence of customer ids"),
        (42, "table_or_ids", "must be an EventTable or a sequence of customer ids"),
        (["x", "x"], "table_or_ids[1]", "ids must be unique"),
        (["x", ""], "table_or_ids[1]", "an id must be 1-128 characters"),
    ],
)
def test_from_customers_refuses_bad_ids(ids, field, rule):
    with pytest.raises(ValidationError) as info:
        CustomerTags.from_customers([], ids)
    assert info.value.field == field
    assert rule in info.value.rule


# -- from_matrix ------------------------------------------------------------------------------


def test_from_matrix_reorders_columns_into_the_sorted_vocabulary():
    held = np.array([[1, 0, 1], [0, 1, 0]], dtype=np.int64)
    result = CustomerTags.from_matrix(held, ["interest:咖啡", "vip", "Interest : TEA"], ["a", "b"])
    assert result.vocabulary == (VIP, TEA, COFFEE)
    assert result.held.tolist() == [[False, True, True], [True, False, False]]
    assert result.held.dtype == np.bool_


def test_from_matrix_copies_and_is_read_only():
    held = np.array([[True, False], [False, True]])
    result = CustomerTags.from_matrix(held, [VIP, TEA], ["a", "b"])
    held[0, 0] = False
    assert result.held.tolist() == [[True, False], [False, True]]
    assert not result.held.flags.writeable
    assert result.held.flags.c_contiguous
    with pytest.raises(ValueError, match="read-only"):
        result.held[0, 0] = False


@pytest.mark.parametrize(
    "held",
    [
        [[1, 0], [0, 1]],
        [[True, False], [False, True]],
        np.array([[1, 0], [0, 1]], dtype=np.uint8),
        np.array([[1, 0], [0, 1]], dtype=np.int8),
        np.asfortranarray(np.array([[True, False], [False, True]])),
        np.array([[1, 0, 9], [0, 1, 9]])[:, :2],  # a non-contiguous view
    ],
)
def test_from_matrix_accepts_bools_and_integer_zeros_and_ones(held):
    result = CustomerTags.from_matrix(held, ["a", "b"], ["x", "y"])
    assert result.held.tolist() == [[True, False], [False, True]]
    assert result.held.flags.c_contiguous


def test_from_matrix_takes_a_table_or_ids():
    table = EventTable.from_interactions(example_pool().interactions)
    result = CustomerTags.from_matrix(np.zeros((6, 1), dtype=bool), ["vip"], table)
    assert result.customer_ids is table.customer_ids
    numbered = CustomerTags.from_matrix([[1], [0]], ["vip"], Ids.numbered(2))
    assert numbered.tags_of("0") == (VIP,)


def test_from_matrix_empty_shapes():
    none = CustomerTags.from_matrix(np.zeros((2, 0)), [], ["x", "y"])
    assert none.held.shape == (2, 0)
    assert none.held.dtype == np.bool_
    nobody = CustomerTags.from_matrix(np.zeros((0, 1), dtype=np.float64), ["vip"], [])
    assert nobody.held.shape == (0, 1)
    assert nobody.counts() == {VIP: 0}


@pytest.mark.parametrize(
    ("held", "field", "value", "rule"),
    [
        ([1, 0], "held", "array of shape (2,)", "must be two-dimensional"),
        (np.zeros((2, 2, 1)), "held", "array of shape (2, 2, 1)", "must be two-dimensional"),
        (
            [[1, 0]],
            "held",
            "array of shape (1, 2)",
            "must have one row per customer: 2 customers, but 1 rows",
        ),
        (
            [[1], [0]],
            "held",
            "array of shape (2, 1)",
            "must have one column per tag: 2 tags, but 1 columns",
        ),
        (
            [[1.0, 0.0], [0.0, 1.0]],
            "held",
            "array of dtype float64",
            "must hold booleans, or integers that are all 0 or 1",
        ),
        (
            [["1", "0"], ["0", "1"]],
            "held",
            "array of dtype <U1",
            "must hold booleans, or integers that are all 0 or 1",
        ),
        ([[1, 0], [0, 2]], "held[1, 1]", 2, "must be 0 or 1 (or a bool)"),
        (
            [[1, -1], [3, 1]],
            "held[0, 1]",
            -1,
            "must be 0 or 1 (or a bool) (2 values break this rule; the first is shown)",
        ),
        ([[1, 0], [1]], "held", [[1, 0], [1]], "must be a rectangular two-dimensional array"),
    ],
)
def test_from_matrix_refuses_bad_matrices(held, field, value, rule):
    with pytest.raises(ValidationError) as info:
        CustomerTags.from_matrix(held, ["a", "b"], ["x", "y"])
    assert info.value.field == field
    assert info.value.value == value
    assert info.value.rule.startswith(rule)


def test_from_matrix_wrong_dtype_is_a_type_error():
    with pytest.raises(WrongTypeError) as info:
        CustomerTags.from_matrix(np.array([[None]]), ["a"], ["x"])
    assert info.value.field == "held"
    assert isinstance(info.value, TypeError)


@pytest.mark.parametrize(
    ("vocabulary", "field", "rule"),
    [
        (["vip", "new", "VIP "], "vocabulary[2]", "repeats the tag 'vip' of vocabulary[0]"),
        (
            [COFFEE, "interest:咖啡", "x"],
            "vocabulary[1]",
            "repeats the tag 'interest:咖啡' of vocabulary[0]",
        ),
        (["vip", "bogus:x", "y"], "vocabulary[1]", "the group before ':' must be one of interest"),
        (["vip", "a;b", "y"], "vocabulary[1]", "must not contain ':' or ';'"),
        (["vip", "   ", "y"], "vocabulary[1]", "must not be empty"),
        (["vip", "new", 7], "vocabulary[2]", "must be a Tag or its text form"),
        ("abc", "vocabulary", "must be a sequence of tags"),
        ({"a", "b", "c"}, "vocabulary", "must be a sequence of tags"),
    ],
)
def test_from_matrix_refuses_bad_vocabularies(vocabulary, field, rule):
    with pytest.raises(ValidationError) as info:
        CustomerTags.from_matrix(np.zeros((1, 3), dtype=bool), vocabulary, ["x"])
    assert info.value.field == field
    assert rule in info.value.rule


@pytest.mark.parametrize(
    ("ids", "field", "rule"),
    [
        ("x", "customer_ids", "must be an EventTable or a sequence of customer ids"),
        (["x", "x"], "customer_ids[1]", "ids must be unique"),
        ([None, "x"], "customer_ids[0]", "must be an id (a string)"),
    ],
)
def test_from_matrix_refuses_bad_ids(ids, field, rule):
    with pytest.raises(ValidationError) as info:
        CustomerTags.from_matrix(np.zeros((1, 1), dtype=bool), ["a"], ids)
    assert info.value.field == field
    assert rule in info.value.rule


def test_building_by_hand_checks_the_invariants():
    ids = Ids(("x",))
    good = readonly(np.zeros((1, 2), dtype=bool))
    assert len(CustomerTags(ids, (VIP, TEA), good)) == 1
    with pytest.raises(WrongTypeError, match="customer_ids"):
        CustomerTags(("x",), (VIP, TEA), good)  # type: ignore[arg-type]
    with pytest.raises(WrongTypeError, match="must be a tuple of Tags"):
        CustomerTags(ids, ("vip", TEA), good)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"sorted by Tag\.sort_key"):
        CustomerTags(ids, (TEA, VIP), good)
    with pytest.raises(ValidationError, match=r"sorted by Tag\.sort_key"):
        CustomerTags(ids, (VIP, VIP), good)
    for bad in (
        np.zeros((1, 2), dtype=bool),  # writeable
        readonly(np.zeros((2, 2), dtype=bool)),  # wrong shape
        readonly(np.zeros((1, 2), dtype=np.int8)),  # wrong dtype
        readonly(np.zeros((1, 4), dtype=bool)[:, ::2]),  # not C-contiguous
    ):
        with pytest.raises(ValidationError) as info:
            CustomerTags(ids, (VIP, TEA), bad)
        assert info.value.field == "held"
        assert "read-only, C-contiguous bool array of shape (1, 2)" in info.value.rule


# -- reading ----------------------------------------------------------------------------------


def test_summary_and_sizes(small):
    assert len(small) == 4
    assert small.n_customers == 4
    assert small.nbytes == 16
    assert repr(small) == "CustomerTags(4 customers, 4 tags: vip, interest:tea, interest:咖啡, …)"
    assert repr(CustomerTags.from_matrix([[1]], ["vip"], ["x"])) == (
        "CustomerTags(1 customers, 1 tags: vip)"
    )
    assert repr(CustomerTags.from_customers([], ["x"])) == "CustomerTags(1 customers, no tags)"


def test_column(small):
    assert small.column("interest:咖啡").tolist() == [True, False, True, False]
    assert small.column(VIP).tolist() == [True, False, False, False]
    assert small.column("unknown").tolist() == [False, False, False, False]
    column = small.column("vip")
    column[1] = True  # a new array: the table is untouched
    assert small.column("vip").tolist() == [True, False, False, False]


def test_column_refuses_non_tags(small):
    with pytest.raises(WrongTypeError) as info:
        small.column(3)
    assert info.value.field == "tag"
    assert "must be a Tag or its text form" in info.value.rule
    with pytest.raises(ValidationError) as info:
        small.column("nope:x")
    assert info.value.field == "tag"
    assert "the group before ':'" in info.value.rule


def test_has_any(small):
    assert small.has_any(["vip", "interest:tea"]).tolist() == [True, True, False, False]
    assert small.has_any(iter([BLOCKED, "unknown"])).tolist() == [False, False, True, False]
    assert small.has_any(["vip", "vip"]).tolist() == [True, False, False, False]
    assert small.has_any([]).tolist() == [False, False, False, False]
    assert small.has_any(["unknown"]).tolist() == [False, False, False, False]


@pytest.mark.parametrize("single", ["vip", VIP])
def test_has_any_refuses_a_single_tag(small, single):
    with pytest.raises(WrongTypeError) as info:
        small.has_any(single)
    assert info.value.field == "tags"
    assert "for one tag use column()" in info.value.rule


def test_has_any_names_the_bad_item(small):
    with pytest.raises(ValidationError) as info:
        small.has_any(["vip", "a;b"])
    assert info.value.field == "tags[1]"


def test_matches_by_hand(small):
    # a: vip 咖啡 · b: tea · c: 咖啡 blocked · d: nothing
    cases = {
        AllOf.of("interest:咖啡"): [True, False, True, False],
        AllOf.of("interest:咖啡", "vip"): [True, False, False, False],
        AnyOf.of("interest:咖啡", "interest:tea"): [True, True, True, False],
        NoneOf.of("lifecycle:blocked"): [True, True, False, True],
        NoneOf.of("vip", "interest:tea"): [False, False, True, True],
        AllOf.of("interest:咖啡", NoneOf.of("lifecycle:blocked")): [True, False, False, False],
        AnyOf.of(AllOf.of("vip", "interest:咖啡"), "interest:tea"): [True, True, False, False],
        NoneOf.of(AnyOf.of("vip", "lifecycle:blocked")): [False, True, False, True],
        AllOf.of(AnyOf.of("vip", "interest:tea"), NoneOf.of(AllOf.of("vip", "interest:咖啡"))): [
            False,
            True,
            False,
            False,
        ],
        # tags outside the vocabulary are carried by nobody
        AllOf.of("interest:咖啡", "unknown"): [False, False, False, False],
        AnyOf.of("unknown"): [False, False, False, False],
        AnyOf.of("unknown", "vip"): [True, False, False, False],
        NoneOf.of("unknown"): [True, True, True, True],
        AllOf.of(NoneOf.of("unknown")): [True, True, True, True],
    }
    for rule, expected in cases.items():
        assert small.matches(rule).tolist() == expected, str(rule)
        by_object = [rule.matches(small.tags_of(c)) for c in range(4)]
        assert by_object == expected, str(rule)
    assert small.matches(None).tolist() == [True, True, True, True]


def test_matches_refuses_non_rules(small):
    for bad in (VIP, "vip", {"op": "all_of", "items": ["vip"]}):
        with pytest.raises(WrongTypeError) as info:
            small.matches(bad)
        assert info.value.field == "rule"
        assert info.value.rule == "must be a joining rule (AllOf, AnyOf or NoneOf) or None"


def test_failure(small):
    rule = AllOf.of("interest:咖啡", NoneOf.of("lifecycle:blocked"))
    assert small.failure("a", rule) is None
    assert small.failure(1, rule) == "lacks interest:咖啡"
    assert small.failure("c", rule) == "has lifecycle:blocked"
    assert small.failure(np.int64(3), rule) == "lacks interest:咖啡"
    assert small.failure("d", None) is None
    with pytest.raises(WrongTypeError) as info:
        small.failure("a", "vip")
    assert info.value.field == "rule"
    with pytest.raises(UnknownIdError):
        small.failure("zz", None)


def test_tags_of(small):
    assert small.tags_of("a") == (VIP, COFFEE)
    assert small.tags_of(1) == (TEA,)
    assert small.tags_of("c") == (COFFEE, BLOCKED)
    assert small.tags_of(np.int32(3)) == ()


@pytest.mark.parametrize(
    ("customer", "error", "field", "rule"),
    [
        (4, ValidationError, "customer", "must be a customer index from 0 to 3"),
        (-1, ValidationError, "customer", "must be a customer index from 0 to 3"),
        (True, WrongTypeError, "customer", "must be a customer index (int) or id (str)"),
        (1.0, WrongTypeError, "customer", "must be a customer index (int) or id (str)"),
    ],
)
def test_tags_of_refuses_bad_customers(small, customer, error, field, rule):
    with pytest.raises(error) as info:
        small.tags_of(customer)
    assert info.value.field == field
    assert info.value.rule == rule


def test_tags_of_unknown_id(small):
    with pytest.raises(UnknownIdError) as info:
        small.tags_of("zz")
    assert str(info.value) == "no customer with id 'zz' in this pool"
    with pytest.raises(ValidationError, match="no customers"):
        CustomerTags.from_customers([], []).tags_of(0)


def test_counts(small):
    assert small.counts() == {VIP: 1, TEA: 1, COFFEE: 2, BLOCKED: 1}
    assert list(small.counts()) == list(small.vocabulary)


# -- synthetic pools --------------------------------------------------------------------------


def test_tag_table_equals_the_objects():
    pool = generate(SynthConfig(n_customers=60, referral_rate=0.3), seed=11)
    matrix = pool.tag_table()
    from_objects = CustomerTags.from_customers(pool.customers(), pool.table)
    assert matrix.customer_ids == from_objects.customer_ids
    assert matrix.vocabulary == from_objects.vocabulary
    assert np.array_equal(matrix.held, from_objects.held)
    assert not matrix.held.flags.writeable
    assert matrix.matches(pool.charter.joining_rule).tolist() == (pool.interests != 0).tolist()


def test_tag_table_vocabulary_is_what_is_carried():
    config = SynthConfig(n_customers=20, interests={"咖啡": 1.0, "tea": 0.0}, referral_rate=0)
    matrix = generate(config, seed=1).tag_table()
    assert Tag.parse("interest:tea") not in matrix.vocabulary
    assert Tag.parse("source:referral") not in matrix.vocabulary
    assert matrix.column("interest:咖啡").all()
    assert matrix.column("interest:tea").tolist() == [False] * 20


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 40), seed=st.integers(0, 2**32 - 1))
def test_tag_table_rows_are_customer_tags(n, seed):
    pool = generate(SynthConfig(n_customers=n, events_per_customer=3), seed=seed)
    matrix = pool.tag_table()
    assert len(matrix) == n
    for k in range(n):
        assert matrix.tags_of(k) == tuple(sorted(pool.customer_tags(k), key=Tag.sort_key))


# -- properties -------------------------------------------------------------------------------

IDS = [f"c-{k}" for k in range(8)]


@st.composite
def tagged_customers(draw):
    """A vocabulary, customers carrying tags from it, and the table's ids (some untagged)."""
    vocabulary = draw(st.lists(tags(), min_size=1, max_size=5, unique=True))
    # The ids first, then one customer per id: drawing customers and dropping repeated ids
    # discarded about 45% of the examples.
    tagged = draw(st.lists(st.sampled_from(IDS), unique=True, max_size=len(IDS)))
    people = [
        draw(
            customers(
                ids=st.just(cid),
                with_contacts=False,
                max_tags=4,
                tag_strategy=st.sampled_from(vocabulary),
            )
        )
        for cid in tagged
    ]
    extra = draw(st.lists(st.sampled_from(IDS), unique=True))
    ids = draw(st.permutations(sorted({c.id for c in people} | set(extra) | {"c-last"})))
    return vocabulary, people, ids


@settings(max_examples=40, deadline=None)
@given(data=tagged_customers(), draw=st.data())
def test_matches_equals_the_object_rule(data, draw):
    vocabulary, people, ids = data
    matrix = CustomerTags.from_customers(people, ids)
    # rules may name tags nobody carries, and tags outside the vocabulary
    extra = draw.draw(st.lists(tags(), max_size=2))
    rule = draw.draw(
        rules(max_depth=3, max_items=3, tag_strategy=st.sampled_from(vocabulary + extra))
    )
    admitted = matrix.matches(rule)
    assert admitted.shape == (len(ids),)
    assert admitted.dtype == np.bool_
    for c, customer_id in enumerate(ids):
        held = matrix.tags_of(c)
        assert bool(admitted[c]) == rule.matches(held)
        assert matrix.failure(customer_id, rule) == rule.failure(held)
    for person in people:
        assert bool(admitted[ids.index(person.id)]) == rule.matches(person.tags)


@settings(max_examples=40, deadline=None)
@given(data=tagged_customers())
def test_from_customers_round_trips(data):
    _, people, ids = data
    matrix = CustomerTags.from_customers(people, ids)
    by_id = {c.id: c.tags for c in people}
    for c, customer_id in enumerate(ids):
        assert matrix.tags_of(customer_id) == by_id.get(customer_id, ())
        assert matrix.tags_of(c) == by_id.get(customer_id, ())
    carried = {t for c in people for t in c.tags}
    assert set(matrix.vocabulary) == carried
    assert matrix.counts() == {t: sum(t in c.tags for c in people) for t in matrix.vocabulary}
    for tag in matrix.vocabulary:
        assert matrix.column(tag).tolist() == [tag in by_id.get(i, ()) for i in ids]
    again = CustomerTags.from_matrix(matrix.held, matrix.vocabulary, ids)
    assert np.array_equal(again.held, matrix.held)


@settings(max_examples=60, deadline=None)
@given(
    vocabulary=st.lists(tags(), min_size=1, max_size=6, unique=True),
    draw=st.data(),
)
def test_from_matrix_round_trips(vocabulary, draw):
    n = draw.draw(st.integers(0, 6))
    row = st.lists(st.booleans(), min_size=len(vocabulary), max_size=len(vocabulary))
    held = draw.draw(st.lists(row, min_size=n, max_size=n))
    as_text = draw.draw(st.booleans())
    given_vocabulary = [str(t) for t in vocabulary] if as_text else vocabulary
    array = np.array(held, dtype=np.int8).reshape(n, len(vocabulary))
    matrix = CustomerTags.from_matrix(array, given_vocabulary, [f"c-{k}" for k in range(n)])
    assert list(matrix.vocabulary) == sorted(vocabulary, key=Tag.sort_key)
    for c in range(n):
        expected = sorted(
            (t for t, on in zip(vocabulary, held[c], strict=True) if on), key=Tag.sort_key
        )
        assert matrix.tags_of(c) == tuple(expected)
    assert matrix.has_any(vocabulary).tolist() == [any(row) for row in held]
