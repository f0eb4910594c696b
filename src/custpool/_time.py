"""Time as custpool computes with it: int64 microseconds since the Unix epoch, UTC.

Every room converts with these four names and nothing else, so a time means the same thing in
the tier classifier, the columnar engine, the analytics and the loaders. ``as_of`` is always an
explicit argument: :func:`check_as_of` refuses a naive or non-datetime value with the field, the
value and the rule.

Lowest layer: imports only :mod:`custpool._errors`.

Examples
--------
>>> from datetime import UTC, datetime, timedelta
>>> to_micros(datetime(1970, 1, 2, tzinfo=UTC)), to_micros(timedelta(seconds=1))
(86400000000, 1000000)
>>> from_micros(86_400_000_000)
datetime.datetime(1970, 1, 2, 0, 0, tzinfo=datetime.timezone.utc)
>>> check_as_of("2026-01-01")
Traceback (most recent call last):
...
custpool.ValidationError: as_of='2026-01-01': must be an aware datetime
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

from custpool._errors import ValidationError

__all__ = ["EPOCH", "NO_TIME", "check_as_of", "from_micros", "to_micros"]

NO_TIME: Final = -(2**63)
"""The time of a row that does not exist: before every real time (the int64 minimum)."""

EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO: Final = timedelta(microseconds=1)


def to_micros(value: datetime | timedelta) -> int:
    """Return microseconds since the epoch (datetime) or in the duration (timedelta)."""
    if isinstance(value, datetime):
        return (value - EPOCH) // _MICRO
    return value // _MICRO


def from_micros(micros: int) -> datetime:
    """Return the UTC datetime ``micros`` microseconds after the epoch."""
    return EPOCH + timedelta(microseconds=micros)


def check_as_of(as_of: object) -> int:
    """Validate ``as_of`` (aware datetime) and return it in microseconds."""
    if not isinstance(as_of, datetime):
        raise ValidationError("as_of", as_of, "must be an aware datetime")
    if as_of.tzinfo is None or as_of.utcoffset() is None:
        raise ValidationError(
            "as_of", as_of, "must be timezone-aware; add tzinfo (e.g. datetime.UTC)"
        )
    return to_micros(as_of)
