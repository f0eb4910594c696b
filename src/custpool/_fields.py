"""Field types shared by the models: identifiers, aware UTC timestamps, short texts.

Each is an ``Annotated`` type whose validator raises a ``ValueError`` naming the rule, so pydantic
reports the field, the value and the rule together.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from numbers import Number
from typing import Annotated, Final

from pydantic import AfterValidator, BeforeValidator, Field

from custpool._errors import safe_repr

__all__ = [
    "ID_MAX_LENGTH",
    "TEXT_MAX_LENGTH",
    "Identifier",
    "NpsScore",
    "ShortText",
    "UtcDatetime",
    "check_identifier",
    "check_text",
    "refuse_numeric_time",
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


# Printable ASCII without the space: the common case, checked in one step.
_ASCII_ID: Final = re.compile(rf"[!-~]{{1,{ID_MAX_LENGTH}}}")


def _id_rule(value: str) -> str:
    return (
        f"an id must be 1-{ID_MAX_LENGTH} characters with no white space or control "
        f"characters; got {value[:40]!r}"
    )


def check_identifier(value: object) -> str:
    r"""Validate an id: 1–128 characters, no white space, no control or invisible characters.

    An id must also be in Unicode NFKC form. Ids are join keys, so two ids that look alike must
    be one id; and an id is stored exactly as given, so that it still matches the system it came
    from. Hence an id that NFKC would change — the Kelvin sign ``K`` (U+212A) for ``K``, ``c``
    followed by a combining acute accent for ``ć``, full-width ``ｃ－１`` for ``c-1`` — is refused
    with its NFKC form in the message, never silently rewritten. Every id custpool takes (model
    fields, table ids, strategy arguments) goes through this function, so all agree.

    Raises
    ------
    ValueError
        Naming the rule that ``value`` breaks (also when it is not a string).

    Examples
    --------
    >>> check_identifier("wm-00042")
    'wm-00042'
    >>> check_identifier("客户-7")
    '客户-7'
    >>> check_identifier("has space")
    Traceback (most recent call last):
    ...
    ValueError: an id must be 1-128 characters with no white space ...; got 'has space'
    >>> check_identifier("\u212a-1")  # the Kelvin sign, not the letter K
    Traceback (most recent call last):
    ...
    ValueError: an id must be in Unicode NFKC form, ...; got '\u212a-1', whose NFKC form is 'K-1'
    """
    if not isinstance(value, str):
        msg = f"an id must be a string; got {type(value).__name__}"
        raise ValueError(msg)  # noqa: TRY004 - callers and pydantic expect ValueError
    if value.isascii():  # ASCII is NFKC already
        if _ASCII_ID.fullmatch(value) is None:
            raise ValueError(_id_rule(value))
        return value
    if (
        not value
        or len(value) > ID_MAX_LENGTH
        or any(ch.isspace() for ch in value)
        or _has_control(value, invisible=True)
    ):
        raise ValueError(_id_rule(value))
    if not unicodedata.is_normalized("NFKC", value):
        normal = unicodedata.normalize("NFKC", value)
        msg = (
            "an id must be in Unicode NFKC form, so that ids that look alike are one id; "
            f"got {value[:40]!a}, whose NFKC form is {normal[:40]!a}"
        )
        raise ValueError(msg)
    return value


# Line and paragraph separators break a text into lines like a new line does; bidi embeddings,
# overrides and isolates make a text display in another order than it is stored ("Trojan
# Source"). Neither belongs in a single-line name or title.
_SEPARATORS: Final = frozenset({"Zl", "Zp"})
_BIDI_CONTROLS: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def check_text(value: str) -> str:
    r"""Validate a short human text: trimmed, non-empty, at most 500 characters, no controls.

    Texts are single lines shown as they are stored, so tabs and new lines count as control
    characters here, and line and paragraph separators (U+2028, U+2029) and bidirectional
    embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069) are refused too.
    Marks that only hint a direction (U+200E, U+200F) and joiners (emoji sequences) are fine.

    Examples
    --------
    >>> check_text("  每周三晚上直播  ")
    '每周三晚上直播'
    >>> check_text("evil\u202egnp.exe")
    Traceback (most recent call last):
    ...
    ValueError: must not contain bidirectional embedding, override or isolate controls ...
    """
    text = value.strip()
    if not text:
        raise ValueError("must not be empty or only white space")
    if len(text) > TEXT_MAX_LENGTH:
        msg = f"must be at most {TEXT_MAX_LENGTH} characters; got {len(text)}"
        raise ValueError(msg)
    if _has_control(text):
        raise ValueError("must not contain control characters (new lines, tabs, NUL …)")
    if any(unicodedata.category(ch) in _SEPARATORS for ch in text):
        raise ValueError("must not contain line or paragraph separators (U+2028, U+2029)")
    if not _BIDI_CONTROLS.isdisjoint(text):
        msg = (
            "must not contain bidirectional embedding, override or isolate controls "
            "(U+202A-U+202E, U+2066-U+2069): they make a text display in another order than "
            "it is stored"
        )
        raise ValueError(msg)
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

    Naive datetimes are refused: custpool never guesses a time zone. So are times whose instant
    falls outside the years 1-9999 once moved to UTC (``0001-01-01T00:00:00+14:00``).

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
    try:
        return value.astimezone(UTC)
    except OverflowError:
        pass
    msg = f"{value.isoformat()} is out of range: in UTC it falls outside the years 1-9999"
    raise ValueError(msg)


# A time written as text starts with its year: ISO 8601 "2026-03-01T20:00:00+08:00". pydantic
# would also read a string of digits ("1772359200", "20260301", "-1") as Unix seconds.
_ISO_START: Final = re.compile(r"[0-9]{4}-")
_TIME_RULE: Final = (
    "give an ISO 8601 time with an offset, e.g. 2026-03-01T20:00:00+08:00 or "
    "2026-03-01T12:00:00Z, or an aware datetime; custpool never reads a number as Unix time"
)


def refuse_numeric_time(value: object) -> object:
    """Refuse numbers, and text that is not an ISO 8601 date-time, before pydantic reads a time.

    pydantic reads ``1772359200``, ``"20260301"`` or ``"-1"`` as seconds since 1970 in UTC;
    custpool refuses them, as it refuses a time without an offset.

    Examples
    --------
    >>> refuse_numeric_time("2026-03-01T20:00:00+08:00")
    '2026-03-01T20:00:00+08:00'
    >>> refuse_numeric_time(20260301)
    Traceback (most recent call last):
    ...
    ValueError: 20260301 is a number, not a time: give an ISO 8601 time with an offset, ...
    """
    if isinstance(value, Number):
        msg = f"{safe_repr(value)} is a number, not a time: {_TIME_RULE}"
        raise ValueError(msg)  # noqa: TRY004 - pydantic turns ValueError into a field error
    if isinstance(value, bytes | bytearray):
        text = bytes(value).decode("utf-8", "replace")
    elif isinstance(value, str):
        text = value
    else:
        return value
    if _ISO_START.match(text) is None:
        msg = f"{safe_repr(text)} is not an ISO 8601 time: {_TIME_RULE}"
        raise ValueError(msg)
    return value


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
    BeforeValidator(refuse_numeric_time),
    AfterValidator(to_utc),
    Field(description="An aware timestamp (ISO 8601 with offset); stored in UTC."),
]
"""An aware timestamp, normalised to UTC; naive values and numbers are refused."""
