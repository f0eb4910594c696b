"""Strategies for whole pools: :func:`pools`.

A pool's members, histories, activities and charter are drawn together so that the pool is
referentially consistent: members' tags and the charter's joining rule share one small vocabulary,
referrals point at other members, refunds at earlier orders of the same member.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, Final

from hypothesis import strategies as st

from custpool._model import (
    ActivityKind,
    AllOf,
    AnyOf,
    Channel,
    Contacts,
    Customer,
    NoneOf,
    Pool,
    PoolCharter,
    SourceChannel,
    TagGroup,
)
from custpool.strategies._activities import activity_strategy
from custpool.strategies._blocks import (
    DEFAULT_MAX_TIME,
    DEFAULT_MIN_TIME,
    aware_times,
    generated_ids,
    numbered,
    texts,
)
from custpool.strategies._charters import Rule, cadences, make_rule, size_ranges
from custpool.strategies._checks import (
    check_bool,
    check_currencies,
    check_int,
    check_kinds,
    check_size_range,
    check_window,
)
from custpool.strategies._customers import contacts
from custpool.strategies._histories import check_linked_kinds, draw_history
from custpool.strategies._tags import tags

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from custpool._model import Interaction, InteractionKind, PoolActivity, Tag

__all__ = ["pools"]


# Pools are drawn from cached strategies only: a strategy built inside a draw costs far more than
# drawing from it, which would make every shrink step of a pool slow. Per-pool choices (which of
# the pool's tags a member carries, which rule the charter has) are drawn as indices into the
# pool's own vocabulary of tags instead of as strategies built from it.
_VOCABULARY_SIZE: Final = 6
_RuleShape = tuple[int, list["int | _RuleShape"]]
"""A joining rule with tags as indices into a vocabulary: (operator index, items)."""
_RULE_OPERATORS: Final[tuple[type[Rule], ...]] = (AllOf, AnyOf, NoneOf)


@cache
def _vocabularies() -> st.SearchStrategy[list[Tag]]:
    return st.lists(tags(), min_size=1, max_size=_VOCABULARY_SIZE, unique=True)


@cache
def _picks(max_size: int) -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(0, _VOCABULARY_SIZE - 1), max_size=max_size, unique=True)


def _picked(vocabulary: list[Tag], picks: list[int]) -> tuple[Tag, ...]:
    return tuple(dict.fromkeys(vocabulary[i % len(vocabulary)] for i in picks))


@cache
def _member_lists(
    sizes: tuple[int, int], window: tuple[datetime, datetime], *, with_contacts: bool
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Draw members' fields except tags (drawn afterwards from the vocabulary), ids unique."""
    member = st.fixed_dictionaries(
        {
            "id": generated_ids("c-"),
            "display_name": st.none() | texts(3),
            "connected_at": st.none() | aware_times(*window),
            "source": st.none() | st.sampled_from(SourceChannel),
            "contacts": contacts() if with_contacts else st.just(Contacts()),
        }
    )
    return st.lists(member, min_size=sizes[0], max_size=sizes[1], unique_by=lambda m: m["id"])


@cache
def _activity_lists(
    max_size: int, window: tuple[datetime, datetime]
) -> st.SearchStrategy[list[PoolActivity]]:
    activity = activity_strategy(generated_ids("a-"), tuple(ActivityKind), aware_times(*window), 3)
    return st.lists(activity, max_size=max_size, unique_by=lambda a: a.id)


@cache
def _rule_shapes(depth: int) -> st.SearchStrategy[_RuleShape]:
    leaf = st.integers(0, _VOCABULARY_SIZE - 1)
    item: st.SearchStrategy[int | _RuleShape] = leaf
    if depth > 1:
        item = st.one_of(leaf, _rule_shapes(depth - 1))
    return st.tuples(st.integers(0, 2), st.lists(item, min_size=1, max_size=3))


def _realise(shape: _RuleShape, vocabulary: list[Tag]) -> Rule:
    op, items = shape
    return make_rule(
        _RULE_OPERATORS[op],
        [
            vocabulary[i % len(vocabulary)] if isinstance(i, int) else _realise(i, vocabulary)
            for i in items
        ],
    )


@cache
def _charter_parts() -> st.SearchStrategy[dict[str, Any]]:
    """Draw a charter's fields except interests and joining rule (from the vocabulary)."""
    return st.fixed_dictionaries(
        {
            "name": texts(),
            "platforms": st.lists(st.sampled_from(Channel), max_size=4, unique=True).map(tuple),
            "norms": st.lists(texts(), max_size=3).map(tuple),
            "operators": st.lists(generated_ids("op-"), max_size=3, unique=True).map(tuple),
            "operator_capacity": st.integers(1, 2000),
            "target_size": st.none() | size_ranges(),
            "content_cadence": st.none() | cadences(),
            "ritual_cadence": st.none() | cadences(),
        }
    )


@cache
def _maybe_rule_shapes() -> st.SearchStrategy[_RuleShape | None]:
    return st.none() | _rule_shapes(2)


def _draw_charter(draw: st.DrawFn, vocabulary: list[Tag]) -> PoolCharter:
    parts = draw(_charter_parts())
    interests = tuple(
        t for t in _picked(vocabulary, draw(_picks(3))) if t.group in {None, TagGroup.INTEREST}
    )
    shape = draw(_maybe_rule_shapes())
    rule = None if shape is None else _realise(shape, vocabulary)
    return PoolCharter(**parts, interests=interests, joining_rule=rule)


def pools(  # noqa: PLR0913 - keyword-only options, each documented
    *,
    min_customers: int = 0,
    max_customers: int = 10,
    max_interactions_per_customer: int = 10,
    kinds: Iterable[InteractionKind | str] | InteractionKind | str | None = None,
    min_time: datetime = DEFAULT_MIN_TIME,
    max_time: datetime = DEFAULT_MAX_TIME,
    currencies: Iterable[str] | str = ("CNY",),
    max_activities: int = 5,
    with_contacts: bool = True,
) -> st.SearchStrategy[Pool]:
    """Generate whole, referentially consistent :class:`~custpool.Pool` objects.

    - Members have unique ids; their tags come from a small shared vocabulary (one to six
      tags), and the charter's joining rule and interests use the same vocabulary, so rules
      match some members and not others.
    - Each member has a history as from :func:`histories` (0 to
      ``max_interactions_per_customer`` interactions, one currency each): referrals point at
      *other members*, refunds at earlier orders of the same member, never refunding more than
      the order. Order ids are unique across the pool.
    - ``pool.check_references()`` is empty for every draw.
    - Interactions are sorted by ``(at, id)``; interaction and activity ids are unique.

    With a single member, nobody can be referred, so that member has no referrals. Draws shrink
    toward small pools with few interactions.

    Parameters
    ----------
    min_customers, max_customers
        Bounds of the number of members.
    max_interactions_per_customer
        Most interactions per member.
    kinds
        Interaction kinds to draw from (default all); refunds need ``purchase`` too.
    min_time, max_time
        Aware bounds of every timestamp (inclusive).
    currencies
        Currencies members pay in (each member's history uses one).
    max_activities
        Most pool activities.
    with_contacts
        Whether members may have contact handles.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[Pool]

    Raises
    ------
    InvalidStrategyArgument
        For negative or reversed sizes, naive or reversed times, empty or unknown kinds or
        currencies, or ``refund`` without ``purchase``.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(pools(min_customers=2, max_customers=4, kinds=["purchase", "refund", "referral"]))
    ... def check(pool):
    ...     assert pool.check_references() == ()
    ...     members = {c.id for c in pool.customers}
    ...     assert all(i.referred_id in members for i in pool.interactions if i.referred_id)
    >>> check()
    """
    low_count, high_count = check_size_range(
        "min_customers", min_customers, "max_customers", max_customers
    )
    per_customer = check_int("max_interactions_per_customer", max_interactions_per_customer)
    kind_list = check_kinds(kinds)
    check_linked_kinds(kinds, kind_list)
    window = check_window(min_time, max_time)
    codes = check_currencies(currencies)
    most_activities = check_int("max_activities", max_activities)
    check_bool("with_contacts", with_contacts)
    width = len(str(max(high_count * per_customer - 1, 0)))
    member_lists = _member_lists((low_count, high_count), window, with_contacts=with_contacts)

    @st.composite
    def build(draw: st.DrawFn) -> Pool:
        vocabulary = draw(_vocabularies())
        members = [
            Customer(**fields, tags=_picked(vocabulary, draw(_picks(3))))
            for fields in draw(member_lists)
        ]
        member_ids = [c.id for c in members]
        rows: list[Interaction] = []
        for member in members:
            rows += draw_history(
                draw,
                customer_id=member.id,
                referral=tuple(i for i in member_ids if i != member.id),
                kinds=kind_list,
                window=window,
                sizes=(0, per_customer),
                currencies=codes,
                id_of=numbered("i-", len(rows), width),
            )
        rows.sort(key=lambda i: (i.at, i.id))
        pool_activities = draw(_activity_lists(most_activities, window))
        charter = _draw_charter(draw, vocabulary)
        return Pool(
            charter=charter,
            customers=tuple(members),
            interactions=tuple(rows),
            activities=tuple(pool_activities),
        )

    return build()
