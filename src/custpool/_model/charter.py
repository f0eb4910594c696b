"""The pool charter: the pool's declared shape (ISOOC's Interest and Structure)."""

from __future__ import annotations

from numbers import Integral
from typing import Self

from pydantic import Field, field_validator, model_validator

from custpool._base import FrozenModel
from custpool._errors import WrongTypeError
from custpool._fields import Identifier, ShortText
from custpool._model.channels import Channel
from custpool._model.rules import TagRule
from custpool._model.tags import Tag, TagGroup, Tags

__all__ = ["Cadence", "PoolCharter", "SizeRange"]


class Cadence(FrozenModel):
    """How often something should happen: ``times`` per ``days``.

    Examples
    --------
    >>> c = Cadence(times=3, days=7)
    >>> str(c), c.per_week
    ('3 per 7 days', 3.0)
    """

    times: int = Field(ge=1)
    """How many times …"""
    days: int = Field(ge=1, le=366)
    """… in how many days."""

    @property
    def per_week(self) -> float:
        """The cadence as a weekly rate."""
        return self.times * 7 / self.days

    def __str__(self) -> str:
        """Return ``"3 per 7 days"``."""
        return f"{self.times} per {self.days} days"


class SizeRange(FrozenModel):
    """A target range of members, ``low`` to ``high`` inclusive.

    Examples
    --------
    >>> SizeRange(low=100, high=500).contains(80)
    False
    >>> SizeRange(low=500, high=100)
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for SizeRange
      Value error, low (500) must not exceed high (100) ...
    """

    low: int = Field(ge=0)
    """Smallest healthy size."""
    high: int = Field(ge=1)
    """Largest size the operators can serve."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.low > self.high:
            msg = f"low ({self.low}) must not exceed high ({self.high})"
            raise ValueError(msg)
        return self

    def contains(self, size: int) -> bool:
        """Return whether ``size`` is within the range.

        Raises
        ------
        custpool.WrongTypeError
            If ``size`` is not an integer (booleans refused).
        """
        count: object = size
        if isinstance(count, bool) or not isinstance(count, Integral):
            raise WrongTypeError("size", size, "must be an integer count of members")
        return self.low <= int(count) <= self.high


class PoolCharter(FrozenModel):
    """What the pool is for and how it is run: ISOOC's Interest (同好) and Structure (结构).

    Parameters
    ----------
    name
        The pool's name.
    interests
        The shared interests the pool is built around; ungrouped tags become ``interest`` tags,
        tags of another group are refused.
    platforms
        The channels the pool uses (duplicates collapse, order kept).
    joining_rule
        Who belongs: a :data:`~custpool.TagRule`; None admits everyone.
    norms
        Management norms (管理规范), one line each.
    operators
        Ids of the operators who run the pool (no duplicates).
    operator_capacity
        How many members one operator can serve well.
    target_size
        The healthy size range, if declared.
    content_cadence, ritual_cadence
        How often content should be published and rituals held, if declared.
    brand
        The brand the pool carries (品牌), if declared: seed 001's "no brand, no pool".
    positioning
        The brand's positioning (精准度) in one line: the place it takes in the customer's mind.
    endorsements
        What vouches for the brand (背书): awards, certifications, partners, press, one line each
        (duplicates collapse, order kept).
    vision, mission, core_values
        The brand's culture (文化), seed 001's "upper three axes": vision (愿景), mission (使命)
        and values (价值观, one line each; duplicates collapse, order kept).

    The last six are read by :func:`~custpool.pool_readiness`; a charter that leaves them out
    is still valid (they default to none).

    Examples
    --------
    >>> from custpool import AllOf, NoneOf
    >>> charter = PoolCharter(
    ...     name="Coffee lovers 咖啡同好会",
    ...     interests=["咖啡", "latte art"],
    ...     platforms=["customer_group", "wecom_chat", "customer_group"],
    ...     joining_rule=AllOf.of("interest:咖啡", NoneOf.of("blocked")),
    ...     norms=["No ads", "Be kind"],
    ...     operators=["op-1"],
    ...     content_cadence={"times": 3, "days": 7},
    ... )
    >>> [str(t) for t in charter.interests], [p.value for p in charter.platforms]
    (['interest:latte art', 'interest:咖啡'], ['customer_group', 'wecom_chat'])
    >>> PoolCharter.from_json(charter.to_json()) == charter
    True
    >>> branded = charter.model_copy(update={"brand": "Bean & Co"})
    >>> branded.brand, charter.brand, charter.endorsements
    ('Bean & Co', None, ())
    """

    name: ShortText
    """The pool's name."""
    interests: Tags = ()
    """Shared interests (同好), as ``interest`` tags."""
    platforms: tuple[Channel, ...] = ()
    """Channels the pool uses."""
    joining_rule: TagRule | None = None
    """Who belongs; None admits everyone."""
    norms: tuple[ShortText, ...] = ()
    """Management norms, one line each."""
    operators: tuple[Identifier, ...] = ()
    """Ids of the pool's operators."""
    operator_capacity: int = Field(default=500, ge=1)
    """Members one operator can serve well."""
    target_size: SizeRange | None = None
    """Healthy size range, if declared."""
    content_cadence: Cadence | None = None
    """Target content cadence (输出), if declared."""
    ritual_cadence: Cadence | None = None
    """Target ritual cadence (仪式感), if declared."""
    brand: ShortText | None = None
    """The brand (品牌), if declared."""
    positioning: ShortText | None = None
    """The brand's positioning (精准度), if declared."""
    endorsements: tuple[ShortText, ...] = ()
    """What vouches for the brand (背书), one line each."""
    vision: ShortText | None = None
    """The brand's vision (愿景), if declared."""
    mission: ShortText | None = None
    """The brand's mission (使命), if declared."""
    core_values: tuple[ShortText, ...] = ()
    """The brand's values (价值观), one line each."""

    @field_validator("interests", mode="after")
    @classmethod
    def _as_interests(cls, tags: tuple[Tag, ...]) -> tuple[Tag, ...]:
        for tag in tags:
            if tag.group not in (None, TagGroup.INTEREST):
                msg = (
                    f"interest {str(tag)!r} is in group {tag.group}; "
                    "interests must be interest tags"
                )
                raise ValueError(msg)
        interests = {Tag(name=t.name, group=TagGroup.INTEREST) for t in tags}
        return tuple(sorted(interests, key=Tag.sort_key))

    @field_validator("platforms", mode="after")
    @classmethod
    def _unique_platforms(cls, platforms: tuple[Channel, ...]) -> tuple[Channel, ...]:
        return tuple(dict.fromkeys(platforms))

    @field_validator("endorsements", "core_values", mode="after")
    @classmethod
    def _unique_lines(cls, lines: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(lines))

    @field_validator("operators", mode="after")
    @classmethod
    def _unique_operators(cls, operators: tuple[str, ...]) -> tuple[str, ...]:
        seen: set[str] = set()
        for op in operators:
            if op in seen:
                msg = f"operator {op!r} is listed twice"
                raise ValueError(msg)
            seen.add(op)
        return operators

    @property
    def capacity(self) -> int:
        """Members the operators can serve together (operators × capacity)."""
        return len(self.operators) * self.operator_capacity
