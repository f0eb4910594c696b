"""Field types shared by the models: identifiers, aware UTC timestamps, short texts.

Each is an ``Annotated`` type whose validator raises a ``ValueError`` naming the rule, so pydantic
reports the field, the value and the rule together.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Annotated, Final

from pydantic import AfterValidator, BeforeValidator, Field

__all__ = [
    "ID_MAX_LENGTH",
    "TEXT_MAX_LENGTH",
    "Identifier",
    "NpsScore",
    "ShortText",
    "UtcDatetime",
    "check_identifier",
    "check_text",
    "to_utc",
]

ID_MAX_LENGTH: Final = 128
TEXT_MAX_LENGTH: Final = 500


def _has_control(text: str, *, invisible: bool = False) -> bool:
    """Whether ``text`` holds control, surrogate, private or unassigned characters.

    With ``invisible``, format characters (zero-width space, bidi marks …) count too: an id
    that looks like another must not be a different id.
    """
    banned = {"Cc", "Cs", "Co", "Cn", "Cf"} if invisible else {"Cc", "Cs", "Co", "Cn"}
    return any(unicodedata.category(ch) in banned for ch in text)


def check_identifier(value: str) -> str:
    """Validate an id: 1–128 characters, no white space, no control or invisible characters.

    Examples
    --------
    >>> check_identifier("wm-00042")
    'wm-00042'
    >>> check_identifier("has space")
    Traceback (most recent call last):
    ...
    ValueError: an id must be 1-128 characters with no white space ...; got 'has space'
    """
    if (
        not value
        or len(value) > ID_MAX_LENGTH
        or any(ch.isspace() for ch in value)
        or _has_control(value, invisible=True)
    ):
        msg = (
            f"an id must be 1-{ID_MAX_LENGTH} characters with no white space or control "
            f"characters; got {value[:40]!r}"
        )
        raise ValueError(msg)
    return value


def check_text(value: str) -> str:
    """Validate a short human text: trimmed, non-empty, at most 500 characters, no controls.

    Tabs and new lines count as control characters here: texts are single lines.

    Examples
    --------
    >>> check_text("  每周三晚上直播  ")
    '每周三晚上直播'
    """
    text = value.strip()
    if not text:
        raise ValueError("must not be empty or only white space")
    if len(text) > TEXT_MAX_LENGTH:
        msg = f"must be at most {TEXT_MAX_LENGTH} characters; got {len(text)}"
        raise ValueError(msg)
    if _has_control(text):
        raise ValueError("must not contain control characters (new lines, tabs, NUL …)")
    return text


def _reject_numbers(value: object) -> object:
    if isinstance(value, int | float) and not isinstance(value, bool):
        msg = f"must be a string, got the number {value!r}; quote it"
        raise ValueError(msg)  # noqa: TRY004 - pydantic turns ValueError into a field error
    return value


def _reject_bool(value: object) -> object:
    if isinstance(value, bool):
        msg = f"must be an integer from 0 to 10, not the boolean {value}"
        raise ValueError(msg)  # noqa: TRY004 - pydantic turns ValueError into a field error
    return value


def to_utc(value: datetime) -> datetime:
    """Require an aware datetime and return the same instant in UTC.

    Naive datetimes are refused: custpool never guesses a time zone.

    Examples
    --------
    >>> from datetime import datetime, timedelta, timezone
    >>> to_utc(datetime(2026, 3, 1, 20, 0, tzinfo=timezone(timedelta(hours=8))))
    datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.timezone.utc)
    >>> to_utc(datetime(2026, 3, 1, 20, 0))
    Traceback (most recent call last):
    ...
    ValueError: naive datetime 2026-03-01T20:00:00 has no time zone; give an aware one, ...
    """
    if value.tzinfo is None or value.utcoffset() is None:
        msg = (
            f"naive datetime {value.isoformat()} has no time zone; give an aware one, e.g. "
            'datetime(..., tzinfo=ZoneInfo("Asia/Shanghai")) or an ISO string ending in +08:00 or Z'
        )
        raise ValueError(msg)
    return value.astimezone(UTC)


Identifier = Annotated[
    str,
    BeforeValidator(_reject_numbers),
    AfterValidator(check_identifier),
    Field(
        min_length=1,
        max_length=ID_MAX_LENGTH,
        description="1-128 characters, no white space or control characters.",
    ),
]
"""An id: 1–128 characters, no white space or control characters."""

ShortText = Annotated[
    str,
    AfterValidator(check_text),
    Field(description="Single-line text, trimmed, 1-500 characters."),
]
"""A single-line human text, trimmed, 1–500 characters."""

NpsScore = Annotated[
    int,
    BeforeValidator(_reject_bool),
    Field(ge=0, le=10, description="An answer to the would-you-recommend question, 0-10."),
]
"""An NPS answer: an integer from 0 to 10 (booleans refused)."""

UtcDatetime = Annotated[
    datetime,
    AfterValidator(to_utc),
    Field(description="An aware timestamp (ISO 8601 with offset); stored in UTC."),
]
"""An aware timestamp, normalised to UTC; naive values are refused."""
