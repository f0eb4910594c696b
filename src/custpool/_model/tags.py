"""Tags (贴标签): normalised names with an optional group."""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from typing import Annotated, Any, Final

from pydantic import AfterValidator, field_validator, model_validator

from custpool._base import FrozenModel
from custpool._errors import ValidationError, WrongTypeError

__all__ = ["TAG_MAX_LENGTH", "Tag", "TagGroup", "Tags", "normalize_tag_name", "sorted_tags"]

TAG_MAX_LENGTH: Final = 64
_RESERVED: Final = frozenset(":;")


class TagGroup(StrEnum):
    """What a tag says about a customer."""

    INTEREST = "interest"
    """A shared interest (同好): what the pool is built around."""
    SOURCE = "source"
    """Where the customer came from."""
    LIFECYCLE = "lifecycle"
    """A stage or status the operator tracks by hand (VIP, new, at risk …)."""
    CUSTOM = "custom"
    """Anything else the brand uses."""


def normalize_tag_name(name: str) -> str:
    """Normalise a tag name, or raise ``ValidationError`` naming the rule it breaks.

    Unicode NFKC, outer white space trimmed, inner runs of white space folded to one space,
    case folded (this changes only scripts with case, such as Latin; Chinese stays as it is).
    The result must be 1–64 characters with no control characters, ``:`` or ``;`` (those two
    separate group and tags in text form).

    Raises
    ------
    custpool.WrongTypeError
        If ``name`` is not a string.
    custpool.ValidationError
        If the normalised name breaks a rule (also a ``ValueError``).

    Examples
    --------
    >>> normalize_tag_name("  Coffee   Lovers ")
    'coffee lovers'
    >>> normalize_tag_name("咖啡")
    '咖啡'
    >>> normalize_tag_name("ＶＩＰ")  # full-width Latin folds to ASCII
    'vip'
    >>> normalize_tag_name("a:b")
    Traceback (most recent call last):
    ...
    custpool.ValidationError: name='a:b': a tag name must not contain ':' or ';' ...
    """
    if not isinstance(name, str):
        raise WrongTypeError("name", name, "must be a string")
    try:
        return _normalized(name)
    except ValueError as exc:
        rule = str(exc)
    raise ValidationError("name", name, rule)


def _normalized(name: str) -> str:
    """Normalise a tag name, or raise ``ValueError`` naming the rule (pydantic reports it)."""
    text = " ".join(unicodedata.normalize("NFKC", name).split()).casefold()
    if not text:
        raise ValueError("a tag name must not be empty or only white space")
    if len(text) > TAG_MAX_LENGTH:
        msg = f"a tag name must be at most {TAG_MAX_LENGTH} characters; got {len(text)}"
        raise ValueError(msg)
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise ValueError("a tag name must not contain control or invisible format characters")
    if _RESERVED.intersection(text):
        raise ValueError("a tag name must not contain ':' or ';' (they separate tags in text)")
    return text


class Tag(FrozenModel):
    """A label on a customer (贴标签), e.g. ``interest:咖啡`` or ``vip``.

    Tags compare and hash by their normalised name and group, so ``Tag("VIP")`` and
    ``Tag(" vip ")`` are the same tag. The text form is ``group:name`` or just ``name``, and
    :meth:`parse` reads it back; wherever a model takes tags, that text form is accepted too.

    Parameters
    ----------
    name
        Normalised by :func:`normalize_tag_name`.
    group
        Optional :class:`TagGroup`.

    Examples
    --------
    >>> Tag(name="Coffee", group="interest")
    Tag(name='coffee', group=<TagGroup.INTEREST: 'interest'>)
    >>> str(Tag.parse("interest:咖啡"))
    'interest:咖啡'
    >>> Tag.parse("VIP") == Tag(name="vip")
    True
    """

    name: str
    group: TagGroup | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:  # noqa: ANN401 - pydantic hands over raw input
        if isinstance(data, str):
            return _split(data)
        return data

    @field_validator("name")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return _normalized(value)

    @classmethod
    def parse(cls, text: str) -> Tag:
        """Read ``"group:name"`` or ``"name"``; the group must be a :class:`TagGroup` value."""
        return cls.model_validate(text)

    def __str__(self) -> str:
        """Return the text form, ``group:name`` or ``name``."""
        return self.name if self.group is None else f"{self.group.value}:{self.name}"

    def sort_key(self) -> tuple[str, str]:
        """Order tags by group (ungrouped first), then name."""
        return ("" if self.group is None else self.group.value, self.name)


def _split(text: str) -> dict[str, str]:
    head, sep, tail = text.partition(":")
    if not sep:
        return {"name": text}
    return {"group": head.strip().casefold(), "name": tail}


def sorted_tags(tags: tuple[Tag, ...]) -> tuple[Tag, ...]:
    """De-duplicate and sort validated tags, so the stored order never depends on the input.

    Examples
    --------
    >>> [str(t) for t in sorted_tags((Tag(name="b"), Tag(name="a"), Tag(name="B")))]
    ['a', 'b']
    """
    return tuple(sorted(set(tags), key=Tag.sort_key))


Tags = Annotated[tuple[Tag, ...], AfterValidator(sorted_tags)]
"""A set of tags stored as a sorted tuple (text forms such as ``"interest:咖啡"`` accepted)."""
