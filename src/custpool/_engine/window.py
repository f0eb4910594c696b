"""Reporting windows: the half-open period ``(start, end]`` that every KPI counts over."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from typing import TYPE_CHECKING, Final

from custpool._errors import ValidationError, shown_type, wrong_type
from custpool._time import check_as_of, from_micros, to_micros

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "FIRST_INSTANT",
    "LAST_INSTANT",
    "Window",
    "consecutive_windows",
    "as_window",
    "instant",
]

FIRST_INSTANT: Final = to_micros(datetime.min.replace(tzinfo=UTC))
"""The earliest instant a datetime can hold in UTC (0001-01-01), in microseconds."""
LAST_INSTANT: Final = to_micros(datetime.max.replace(tzinfo=UTC))
"""The latest instant a datetime can hold in UTC (9999-12-31), in microseconds."""


def instant(name: str, value: object) -> int:
    """Return an aware datetime as microseconds since the epoch, checked like ``as_of``.

    Also refused: a time whose instant is outside the years 1-9999 once moved to UTC (such as
    ``0001-01-01T00:00:00+14:00``), which no UTC datetime can hold. A value that is not a
    datetime is shown by its type only.

    Raises
    ------
    custpool.ValidationError
        Naming ``name``, for a non-datetime, a naive datetime or an instant out of range.

    Examples
    --------
    >>> from datetime import timedelta, timezone
    >>> instant("as_of", datetime(1970, 1, 1, 8, tzinfo=timezone(timedelta(hours=8))))
    0
    >>> instant("as_of", datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))))
    Traceback (most recent call last):
    ...
    custpool.ValidationError: as_of=datetime.datetime(1, 1, 1, 0, 0, ...: must fall within ...
    """
    if not isinstance(value, datetime):
        shown = shown_type(value)
        raise ValidationError(name, shown, "must be an aware datetime", shown=shown)
    try:
        micros = check_as_of(value)
    except ValidationError as exc:
        raise ValidationError(name, value, exc.rule) from None
    if not FIRST_INSTANT <= micros <= LAST_INSTANT:
        rule = "must fall within the years 1-9999 once moved to UTC"
        raise ValidationError(name, value, rule)
    return micros


@dataclass(frozen=True, slots=True)
class Window:
    """The half-open period ``(start, end]``: an event at ``t`` is in it iff ``start < t <= end``.

    Parameters
    ----------
    start, end
        Aware datetimes with ``end > start``; stored in UTC.

    Raises
    ------
    custpool.ValidationError
        If either is naive or not a datetime, or ``end`` is not after ``start``.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> w = Window(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))
    >>> w.days, w.end_us - w.start_us == 31 * 86_400_000_000
    (31.0, True)
    >>> Window(w.end, w.start)
    Traceback (most recent call last):
    ...
    custpool.ValidationError: end=datetime.datetime(2026, 3, 1, 0, 0, ...: must be after ...
    """

    start: datetime
    """Exclusive lower bound (UTC)."""
    end: datetime
    """Inclusive upper bound (UTC)."""

    def __post_init__(self) -> None:
        """Validate and normalise both bounds to UTC."""
        start_us = instant("start", self.start)
        end_us = instant("end", self.end)
        if end_us <= start_us:
            since = from_micros(start_us).isoformat()
            rule = f"must be after start ({since}); a window is (start, end]"
            raise ValidationError("end", self.end, rule)
        object.__setattr__(self, "start", from_micros(start_us))
        object.__setattr__(self, "end", from_micros(end_us))

    @property
    def start_us(self) -> int:
        """``start`` in microseconds since the epoch."""
        return check_as_of(self.start)

    @property
    def end_us(self) -> int:
        """``end`` in microseconds since the epoch."""
        return check_as_of(self.end)

    @property
    def days(self) -> float:
        """Length in days."""
        return (self.end - self.start).total_seconds() / 86_400

    def __str__(self) -> str:
        """Return ``(start, end]`` in ISO form."""
        return f"({self.start.isoformat()}, {self.end.isoformat()}]"


def as_window(start: datetime | Window, end: datetime | None = None) -> Window:
    """Return ``Window(start, end)``, or ``start`` itself when it already is a window."""
    if isinstance(start, Window):
        if end is not None:
            shown = shown_type(end)
            rule = "must be left out when a Window is given"
            raise ValidationError("end", shown, rule, shown=shown)
        return start
    if end is None:
        raise ValidationError("end", end, "is required with a start datetime")
    return Window(start, end)


def consecutive_windows(ends: Sequence[datetime]) -> tuple[Window, ...]:
    """Return the windows between consecutive period ends: ``(ends[0], ends[1]]``, ….

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> ends = [datetime(2026, m, 1, tzinfo=UTC) for m in (1, 2, 3)]
    >>> [w.days for w in consecutive_windows(ends)]
    [31.0, 28.0]
    """
    values: object = ends
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise wrong_type("ends", values, "must be a sequence of period ends (aware datetimes)")
    given = tuple(values)
    if len(given) < 2:
        raise ValidationError("ends", len(given), "need at least two period ends")
    return tuple(Window(a, b) for a, b in pairwise(given))
