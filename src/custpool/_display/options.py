"""Display options: the language, time zone and row limit that reports are shown with.

In the style of pandas' display options, one object, ``custpool.display``, holds the
defaults; assign to change them, :meth:`DisplayOptions.reset` to go back, and
:func:`display_options` to change them for a ``with`` block only. They change how results
*read* (``to_text``, ``_repr_html_``, ``str`` of the reports that follow them), never what a
function computes: no result, frame or number depends on them.

Thread-safety: the defaults set by assignment are process-wide (one value shared by every
thread, as in pandas; written under a lock). :func:`display_options` overrides them in a
:class:`contextvars.ContextVar`, so a ``with`` block changes the display of its own thread (or
asyncio task) only, and two threads in their own blocks never see each other's options.

Examples
--------
>>> from custpool import display, display_options
>>> display
DisplayOptions(lang='en', tz=None, max_rows=60)
>>> with display_options(lang="zh", tz="Asia/Shanghai"):
...     display.lang, display.tz
('zh', 'Asia/Shanghai')
>>> display.lang
'en'
>>> display.lang = "fr"
Traceback (most recent call last):
...
custpool.ValidationError: display.lang='fr': must be 'en' or 'zh'
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import UTC, tzinfo
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from custpool._errors import ValidationError, WrongTypeError

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["LANGS", "DisplayOptions", "display", "display_options", "resolve"]

LANGS: Final = ("en", "zh")
"""The languages reports are written in."""

_NAMES: Final = ("lang", "tz", "max_rows")


@dataclass(frozen=True, slots=True)
class _Settings:
    lang: str = "en"
    tz: str | tzinfo | None = None
    max_rows: int | None = 60


_DEFAULTS: Final = _Settings()
_lock = threading.Lock()
_global: list[_Settings] = [_DEFAULTS]  # one cell, replaced whole under the lock
_scoped: ContextVar[_Settings | None] = ContextVar("custpool_display", default=None)


def _current() -> _Settings:
    scoped = _scoped.get()
    return _global[0] if scoped is None else scoped


def check_lang(value: object, field: str = "display.lang") -> str:
    """Return ``value`` if it is a language reports are written in."""
    if not isinstance(value, str):
        raise WrongTypeError(field, value, "must be 'en' or 'zh'")
    if value not in LANGS:
        raise ValidationError(field, value, "must be 'en' or 'zh'")
    return value


def check_tz(value: object, field: str = "display.tz") -> tzinfo:
    """Return the zone of ``value``: an IANA name, a ``tzinfo``, or None for UTC."""
    if value is None:
        return UTC
    if isinstance(value, tzinfo):
        return value
    rule = "must be an IANA time zone name such as 'Asia/Shanghai', a tzinfo, or None for UTC"
    if not isinstance(value, str):
        raise WrongTypeError(field, value, rule)
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(field, value, rule) from None


def check_max_rows(value: object, field: str = "display.max_rows") -> int | None:
    """Return ``value`` if it is a positive number of rows, or None for no limit."""
    rule = "must be a positive number of rows, or None for no limit"
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise WrongTypeError(field, value, rule)
    if value < 1:
        raise ValidationError(field, value, rule)
    return value


def _checked(changes: dict[str, object]) -> dict[str, object]:
    for name, value in changes.items():
        if name == "lang":
            check_lang(value)
        elif name == "tz":
            check_tz(value)
        elif name == "max_rows":
            check_max_rows(value)
        else:
            rule = "is not a display option; the options are lang, tz and max_rows"
            raise ValidationError("display", name, rule)
    return changes


class DisplayOptions:
    """The display defaults: ``lang``, ``tz`` and ``max_rows``. Use the one ``custpool.display``.

    Attributes
    ----------
    lang
        ``"en"`` (the default) or ``"zh"``: the language of labels and titles.
    tz
        The zone times are shown in: an IANA name such as ``"Asia/Shanghai"`` (checked with
        :mod:`zoneinfo`), a ``tzinfo``, or None (the default) for UTC.
    max_rows
        The most rows a table of a report shows (60 by default) before it elides the rest and
        says how many it left out; None shows every row.

    Examples
    --------
    >>> from custpool import display
    >>> display.tz = "Asia/Shanghai"
    >>> display.tz
    'Asia/Shanghai'
    >>> display.reset()
    >>> display.tz is None
    True
    """

    __slots__ = ()

    @property
    def lang(self) -> str:
        """The language of labels and titles, ``"en"`` or ``"zh"``."""
        return _current().lang

    @lang.setter
    def lang(self, value: str) -> None:
        self._set(lang=value)

    @property
    def tz(self) -> str | tzinfo | None:
        """The zone times are shown in (None: UTC)."""
        return _current().tz

    @tz.setter
    def tz(self, value: str | tzinfo | None) -> None:
        self._set(tz=value)

    @property
    def max_rows(self) -> int | None:
        """The most rows a report's table shows (None: all)."""
        return _current().max_rows

    @max_rows.setter
    def max_rows(self, value: int | None) -> None:
        self._set(max_rows=value)

    def __setattr__(self, name: str, value: object) -> None:
        """Set an option; refuse a name that is not one (with a custpool error)."""
        if name not in _NAMES:
            _checked({name: value})
        object.__setattr__(self, name, value)

    @staticmethod
    def _set(**changes: object) -> None:
        _checked(changes)
        with _lock:
            _global[0] = replace(_global[0], **changes)  # type: ignore[arg-type]

    def reset(self, *names: str) -> None:
        """Set the named options (all when none is named) back to their defaults.

        Raises
        ------
        custpool.ValidationError
            If a name is not an option.
        """
        _checked({name: getattr(_DEFAULTS, name, None) for name in names})
        chosen = names or _NAMES
        self._set(**{name: getattr(_DEFAULTS, name) for name in chosen})

    def __repr__(self) -> str:
        """Return the options in effect."""
        now = _current()
        return f"DisplayOptions(lang={now.lang!r}, tz={now.tz!r}, max_rows={now.max_rows!r})"


display: Final = DisplayOptions()
"""The display defaults (see :class:`DisplayOptions`)."""


@contextmanager
def display_options(**options: object) -> Iterator[DisplayOptions]:
    """Change display options for a ``with`` block (this thread or task only), then restore them.

    Parameters
    ----------
    **options
        ``lang``, ``tz`` and/or ``max_rows``, as on :class:`DisplayOptions`; the others keep
        their values.

    Yields
    ------
    DisplayOptions
        ``custpool.display``, showing the options in effect inside the block.

    Raises
    ------
    custpool.ValidationError
        If a name is not an option or a value breaks its option's rule (before the block runs).

    Examples
    --------
    >>> from custpool import display, display_options
    >>> with display_options(max_rows=5) as shown:
    ...     shown.max_rows
    5
    >>> display.max_rows
    60
    """
    _checked(options)
    token = _scoped.set(replace(_current(), **options))  # type: ignore[arg-type]
    try:
        yield display
    finally:
        _scoped.reset(token)


def resolve(
    lang: str | None = None, tz: str | tzinfo | None = None
) -> tuple[str, tzinfo, int | None]:
    """Return the language, the zone and the row limit to render with.

    ``lang`` and ``tz`` given here win over the display options; None means "the option".

    Raises
    ------
    custpool.ValidationError
        If ``lang`` or ``tz`` is not valid (the field is the argument's name).

    Examples
    --------
    >>> resolve("zh", "Asia/Shanghai")
    ('zh', zoneinfo.ZoneInfo(key='Asia/Shanghai'), 60)
    """
    now = _current()
    chosen_lang = now.lang if lang is None else check_lang(lang, "lang")
    zone = check_tz(now.tz) if tz is None else check_tz(tz, "tz")
    return chosen_lang, zone, now.max_rows
