"""Joining rules: composable tag predicates (all-of, any-of, none-of) that explain failures."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Literal, Self

from pydantic import Discriminator, Field
from pydantic import Tag as Branch
from pydantic import ValidationError as PydanticValidationError

from custpool._base import FrozenModel
from custpool._errors import ValidationError, WrongTypeError
from custpool._model.tags import Tag

__all__ = ["AllOf", "AnyOf", "NoneOf", "RuleItem", "TagRule"]


class _Rule(FrozenModel):
    """Shared behaviour of the three rule shapes."""

    items: tuple[RuleItem, ...] = Field(min_length=1)
    """Tags (text forms accepted) or nested rules; at least one."""

    @classmethod
    def of(cls, *items: RuleItem | str) -> Self:
        """Build from items given positionally: ``AllOf.of("vip", NoneOf.of("blocked"))``."""
        return cls.model_validate({"items": items})

    def matches(self, tags: Iterable[Tag | str]) -> bool:
        """Return whether a customer carrying ``tags`` satisfies the rule.

        ``tags`` is an iterable of :class:`~custpool.Tag` or their text forms (not one string).
        """
        return self.failure(tags) is None

    def failure(self, tags: Iterable[Tag | str]) -> str | None:
        """Return why ``tags`` fail the rule (one line), or None when they satisfy it.

        Raises
        ------
        custpool.WrongTypeError
            If ``tags`` is one string or not an iterable of tags and text forms.
        custpool.ValidationError
            If a text form is not a valid tag.

        Examples
        --------
        >>> AllOf.of("vip").failure(["interest:tea"])
        'lacks vip'
        >>> AllOf.of("vip").failure("vip")
        Traceback (most recent call last):
        ...
        custpool.WrongTypeError: tags='vip': must be an iterable of tags ...
        """
        return self._failure(_tag_set(tags))

    def _failure(self, tags: frozenset[Tag]) -> str | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def __and__(self, other: _Rule) -> AllOf:
        """Combine as ``a & b``: both must hold."""
        return AllOf.of(self, other)  # type: ignore[arg-type]

    def __or__(self, other: _Rule) -> AnyOf:
        """Combine as ``a | b``: at least one must hold."""
        return AnyOf.of(self, other)  # type: ignore[arg-type]

    def __invert__(self) -> NoneOf:
        """Negate as ``~a``: must not hold."""
        return NoneOf.of(self)  # type: ignore[arg-type]

    def __str__(self) -> str:
        """Return a readable form, e.g. ``all_of(vip, none_of(blocked))``."""
        return f"{self.op}({', '.join(str(i) for i in self.items)})"  # type: ignore[attr-defined]


def _tag_set(tags: object) -> frozenset[Tag]:
    """Return ``tags`` as a set of tags, text forms parsed; refuse anything else."""
    rule = "must be an iterable of tags or their text forms (a list, not one string)"
    if isinstance(tags, str | bytes | bytearray | Mapping) or not isinstance(tags, Iterable):
        raise WrongTypeError("tags", tags, rule)
    items = tuple(tags)
    if all(isinstance(t, Tag) for t in items):
        return frozenset(items)
    found: set[Tag] = set()
    for position, item in enumerate(items):
        if isinstance(item, Tag):
            found.add(item)
        elif isinstance(item, str):
            found.add(_parsed(position, item))
        else:
            raise WrongTypeError(f"tags.{position}", item, rule)
    return frozenset(found)


def _parsed(position: int, text: str) -> Tag:
    try:
        return Tag.parse(text)
    except PydanticValidationError as exc:
        problem = exc.errors(include_url=False)[0]["msg"].removeprefix("Value error, ")
    raise ValidationError(f"tags.{position}", text, problem)


def _holds(item: RuleItem, tags: frozenset[Tag]) -> bool:
    return item in tags if isinstance(item, Tag) else item._failure(tags) is None  # noqa: SLF001


class AllOf(_Rule):
    """Every item must hold.

    Examples
    --------
    >>> rule = AllOf.of("interest:咖啡", NoneOf.of("blocked"))
    >>> rule.failure([Tag.parse("interest:咖啡")]) is None
    True
    >>> rule.failure([Tag.parse("blocked")])
    'lacks interest:咖啡'
    >>> str(rule)
    'all_of(interest:咖啡, none_of(blocked))'
    """

    op: Literal["all_of"] = "all_of"
    """Discriminator in JSON."""

    def _failure(self, tags: frozenset[Tag]) -> str | None:
        for item in self.items:
            if isinstance(item, Tag):
                if item not in tags:
                    return f"lacks {item}"
            elif (why := item._failure(tags)) is not None:  # noqa: SLF001
                return why
        return None


class AnyOf(_Rule):
    """At least one item must hold.

    Examples
    --------
    >>> AnyOf.of("vip", "interest:咖啡").failure([])
    'has none of: vip, interest:咖啡'
    """

    op: Literal["any_of"] = "any_of"
    """Discriminator in JSON."""

    def _failure(self, tags: frozenset[Tag]) -> str | None:
        if any(_holds(item, tags) for item in self.items):
            return None
        return f"has none of: {', '.join(str(i) for i in self.items)}"


class NoneOf(_Rule):
    """No item may hold.

    Examples
    --------
    >>> NoneOf.of("blocked", "competitor").failure([Tag.parse("competitor")])
    'has competitor'
    >>> (~AllOf.of("vip")).matches([])
    True
    """

    op: Literal["none_of"] = "none_of"
    """Discriminator in JSON."""

    def _failure(self, tags: frozenset[Tag]) -> str | None:
        for item in self.items:
            if _holds(item, tags):
                return f"has {item}"
        return None


def _branch(value: Any) -> str:  # noqa: ANN401 - pydantic hands over raw input
    if isinstance(value, _Rule):
        return str(value.op)  # type: ignore[attr-defined]
    if isinstance(value, dict) and "op" in value:
        return str(value["op"])
    return "tag"


TagRule = Annotated[AllOf | AnyOf | NoneOf, Field(discriminator="op")]
"""A joining rule: :class:`AllOf`, :class:`AnyOf` or :class:`NoneOf`, nested freely."""

RuleItem = Annotated[
    Annotated[Tag, Branch("tag")]
    | Annotated[AllOf, Branch("all_of")]
    | Annotated[AnyOf, Branch("any_of")]
    | Annotated[NoneOf, Branch("none_of")],
    Discriminator(_branch),
]
"""One item of a rule: a :class:`~custpool.Tag` (or its text form) or a nested rule."""

for _model in (_Rule, AllOf, AnyOf, NoneOf):
    _model.model_rebuild()
