"""Strategies for joining rules and charters: rules, cadences, size ranges and charters.

:func:`rules` nests tags in ``AllOf``, ``AnyOf`` and ``NoneOf`` up to a depth; :func:`charters`
combine interests, platforms, a joining rule, norms, operators, optional sizes and cadences, and
the readiness fields (brand, positioning, endorsements, vision, mission, core values).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hypothesis import strategies as st

from custpool._model import AllOf, AnyOf, Cadence, Channel, NoneOf, PoolCharter, SizeRange, TagGroup
from custpool.strategies._blocks import generated_ids, texts
from custpool.strategies._checks import check_int, check_strategy
from custpool.strategies._tags import tags

if TYPE_CHECKING:
    from custpool._model import Tag

__all__ = [
    "Rule",
    "cadences",
    "charters",
    "make_rule",
    "rule_strategy",
    "rules",
    "size_ranges",
]

Rule = AllOf | AnyOf | NoneOf


def make_rule(op: type[Rule], items: list[Tag | Rule]) -> Rule:
    return op(items=tuple(items))


def rule_strategy(
    depth: int, max_items: int, leaves: st.SearchStrategy[Tag]
) -> st.SearchStrategy[Rule]:
    items: st.SearchStrategy[Tag | Rule] = leaves
    if depth > 1:
        items = st.one_of(leaves, rule_strategy(depth - 1, max_items, leaves))
    ops: tuple[type[Rule], ...] = (AllOf, AnyOf, NoneOf)
    return st.builds(
        make_rule, st.sampled_from(ops), st.lists(items, min_size=1, max_size=max_items)
    )


def _check_rule_args(
    depth_name: str, max_depth: object, max_items: object, tag_strategy: object
) -> tuple[int, int, st.SearchStrategy[Tag]]:
    depth = check_int(depth_name, max_depth, low=1)
    items = check_int("max_items", max_items, low=1)
    leaves = tags() if tag_strategy is None else check_strategy("tag_strategy", tag_strategy)
    return depth, items, leaves


def rules(
    *,
    max_depth: int = 2,
    max_items: int = 3,
    tag_strategy: st.SearchStrategy[Tag] | None = None,
) -> st.SearchStrategy[AllOf | AnyOf | NoneOf]:
    """Generate joining rules (:class:`~custpool.AllOf`, :class:`~custpool.AnyOf`, ``NoneOf``).

    Each rule has 1 to ``max_items`` items, each a tag or (above depth 1) a nested rule. Draws
    shrink toward ``all_of(a)``.

    Parameters
    ----------
    max_depth
        Most levels of nesting: 1 gives rules of tags only, 2 (the default) rules whose items
        may be rules of tags, and so on.
    max_items
        Most items per rule (at least 1).
    tag_strategy
        Strategy for the tags; default :func:`tags`. Pass e.g. ``st.sampled_from(vocabulary)``
        so rules mention the tags your customers carry.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[AllOf | AnyOf | NoneOf]

    Raises
    ------
    InvalidStrategyArgument
        If ``max_depth`` or ``max_items`` is below 1, or ``tag_strategy`` is not a strategy.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from custpool import AllOf, AnyOf, NoneOf, Tag
    >>> @settings(max_examples=20)
    ... @given(rules(max_depth=1))
    ... def check(rule):
    ...     assert isinstance(rule, AllOf | AnyOf | NoneOf)
    ...     assert all(isinstance(item, Tag) for item in rule.items)
    >>> check()
    """
    depth, items, leaves = _check_rule_args("max_depth", max_depth, max_items, tag_strategy)
    return rule_strategy(depth, items, leaves)


def cadences() -> st.SearchStrategy[Cadence]:
    """Generate valid :class:`~custpool.Cadence` objects: 1-100 times per 1-366 days.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[Cadence]

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(cadences())
    ... def check(c):
    ...     assert c.times >= 1 and 1 <= c.days <= 366 and c.per_week > 0
    >>> check()
    """
    return st.builds(Cadence, times=st.integers(1, 100), days=st.integers(1, 366))


def _size_range(low: int, span: int) -> SizeRange:
    return SizeRange(low=low, high=max(low + span, 1))


def size_ranges() -> st.SearchStrategy[SizeRange]:
    """Generate valid :class:`~custpool.SizeRange` objects (``low`` ≤ ``high``, up to 20 000).

    Returns
    -------
    hypothesis.strategies.SearchStrategy[SizeRange]

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(size_ranges())
    ... def check(r):
    ...     assert 0 <= r.low <= r.high and r.contains(r.low)
    >>> check()
    """
    return st.builds(_size_range, st.integers(0, 10_000), st.integers(0, 10_000))


def _charter_strategy(
    interests: st.SearchStrategy[list[Tag]],
    joining_rules: st.SearchStrategy[Rule],
    max_operators: int,
) -> st.SearchStrategy[PoolCharter]:
    return st.builds(
        PoolCharter,
        name=texts(),
        interests=interests.map(tuple),
        platforms=st.lists(st.sampled_from(Channel), max_size=4, unique=True).map(tuple),
        joining_rule=st.none() | joining_rules,
        norms=st.lists(texts(), max_size=3).map(tuple),
        operators=st.lists(generated_ids("op-"), max_size=max_operators, unique=True).map(tuple),
        operator_capacity=st.integers(1, 2000),
        target_size=st.none() | size_ranges(),
        content_cadence=st.none() | cadences(),
        ritual_cadence=st.none() | cadences(),
        brand=st.none() | texts(),
        positioning=st.none() | texts(),
        endorsements=st.lists(texts(), max_size=3).map(tuple),
        vision=st.none() | texts(),
        mission=st.none() | texts(),
        core_values=st.lists(texts(), max_size=3).map(tuple),
    )


def charters(
    *,
    max_interests: int = 5,
    max_operators: int = 3,
    max_rule_depth: int = 2,
    tag_strategy: st.SearchStrategy[Tag] | None = None,
) -> st.SearchStrategy[PoolCharter]:
    """Generate valid :class:`~custpool.PoolCharter` objects.

    A name, up to ``max_interests`` interest tags, up to four platforms, maybe a joining rule
    (from :func:`rules`), up to three norms, up to ``max_operators`` operators, a capacity,
    optional target size and cadences, and seed 001's readiness fields: maybe a brand, a
    positioning, a vision and a mission, and up to three endorsements and three core values
    (each may be absent, so draws shrink toward a charter that declares none of them).

    Parameters
    ----------
    max_interests
        Most interest tags.
    max_operators
        Most operator ids.
    max_rule_depth
        ``max_depth`` of the joining rule (at least 1).
    tag_strategy
        Strategy for the joining rule's tags; default :func:`tags`.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[PoolCharter]

    Raises
    ------
    InvalidStrategyArgument
        For negative maxima, ``max_rule_depth`` below 1 or a ``tag_strategy`` that is not one.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from custpool import PoolCharter, TagGroup
    >>> @settings(max_examples=20)
    ... @given(charters(max_operators=1))
    ... def check(charter):
    ...     assert all(t.group is TagGroup.INTEREST for t in charter.interests)
    ...     assert len(charter.operators) <= 1
    ...     assert len(set(charter.endorsements)) == len(charter.endorsements) <= 3
    ...     assert PoolCharter.from_json(charter.to_json()) == charter
    >>> check()
    """
    most_interests = check_int("max_interests", max_interests)
    most_operators = check_int("max_operators", max_operators)
    depth, items, leaves = _check_rule_args("max_rule_depth", max_rule_depth, 3, tag_strategy)
    interests = st.lists(tags(groups=TagGroup.INTEREST), max_size=most_interests, unique=True)
    return _charter_strategy(interests, rule_strategy(depth, items, leaves), most_operators)
