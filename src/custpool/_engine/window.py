"""Reporting windows: the half-open period ``(start, end]`` that every KPI counts over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime  # noqa: TC003 - dataclass fields are evaluated
from itertools import pairwise
from typing import TYPE_CHECKING

from custpool._errors import ValidationError
from custpool._time import check_as_of, from_micros

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "Window",
    "consecutive_windows",
    "as_window",
]


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
        start_us = _micros("start", self.start)
        end_us = _micros("end", self.end)
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


def _micros(name: str, value: object) -> int:
    try:
        return check_as_of(value)
    except ValidationError as exc:
        raise ValidationError(name, value, exc.rule) from None


def as_window(start: datetime | Window, end: datetime | None = None) -> Window:
    """Return ``Window(start, end)``, or ``start`` itself when it already is a window."""
    if isinstance(start, Window):
        if end is not None:
            raise ValidationError("end", end, "must be left out when a Window is given")
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
    if len(ends) < 2:
        raise ValidationError("ends", len(ends), "need at least two period ends")
    return tuple(Window(a, b) for a, b in pairwise(ends))
