"""Progress: the callback long operations report through, and an adaptor to a tqdm bar.

A long operation — :func:`custpool.synth.generate` at a million customers,
:func:`~custpool.read_events` on a big file, :func:`~custpool.health_trend` over many instants,
:meth:`EventTable.from_interactions <custpool.EventTable.from_interactions>` — takes
``progress=``: any callable ``progress(done, total)`` (a :class:`Progress`). Off by default;
the core imports nothing for it. The operation calls it:

- first with ``(0, total)``, last with ``(total, total)`` once the work is done (when the total
  was not known, ``total`` is None until that last call, which gives ``(done, done)``);
- with ``done`` never decreasing and never above ``total``;
- a bounded number of times (about a hundred at most, never once per row), so a callback may
  be slow without slowing the work.

The unit of ``done`` is the operation's own (steps, bytes, instants), documented with its
``progress`` parameter. An exception raised by the callback stops the operation and is raised
to the caller. Nothing else changes: a result is the same with and without ``progress``.

:func:`tqdm_progress` connects it to a tqdm bar (a widget in Jupyter), with the ``notebook``
extra.

Examples
--------
>>> from custpool.synth import SynthConfig, generate
>>> calls = []
>>> pool = generate(SynthConfig(n_customers=100), seed=1, progress=lambda *c: calls.append(c))
>>> calls[0], calls[-1]
((0, 13), (13, 13))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final, Protocol

from custpool._errors import MissingDependencyError, WrongTypeError

if TYPE_CHECKING:
    from types import ModuleType

__all__ = ["Progress", "Ticker", "check_progress", "tqdm_progress"]

CALLS: Final = 100
"""The most calls a :class:`Ticker` makes before its last (``(total, total)``), about."""

_GROWTH: Final = 10
"""Without a total, a report after ``done`` grows by a tenth (and at least ``every``)."""


class Progress(Protocol):
    """A callback that hears how far a long operation has got: ``progress(done, total)``.

    Any callable taking two positional arguments will do — a function, a lambda, a bound
    method, :func:`~custpool.tqdm_progress`'s bar.

    Parameters
    ----------
    done
        How much is done, in the operation's unit; never decreases, never above ``total``.
    total
        How much there is in all, or None while unknown (a stream of unknown size).

    Examples
    --------
    >>> from custpool import Progress
    >>> def show(done: int, total: int | None) -> None:
    ...     print(f"{done}/{total}")
    >>> callback: Progress = show
    >>> callback(3, 4)
    3/4
    """

    def __call__(self, done: int, total: int | None, /) -> None:
        """Hear that ``done`` of ``total`` is done."""
        ...  # pragma: no cover - a protocol


def check_progress(value: object, field: str = "progress") -> Progress | None:
    """Return ``value`` if it is a progress callback or None; refuse anything else.

    Raises
    ------
    custpool.WrongTypeError
        If ``value`` is neither None nor callable.
    """
    if value is None or callable(value):
        return value  # any callable: its signature is the user's to get right
    raise WrongTypeError(field, value, "must be a callable taking (done, total), or None")


class Ticker:
    """Report one operation's progress through a callback, a bounded number of times.

    :meth:`start` makes the first call, ``(0, total)``; :meth:`update` (or :meth:`step`) says
    how far the work is and calls back only when it has moved on by about ``total / CALLS``
    (without a total, by a tenth of what is done and at least ``every``); :meth:`finish`
    makes the last call, ``(total, total)``. With no callback every method does nothing.

    Examples
    --------
    >>> calls = []
    >>> ticker = Ticker(lambda *c: calls.append(c), 1000)
    >>> ticker.start()
    >>> for done in range(1, 1001):
    ...     ticker.update(done)
    >>> ticker.finish()
    >>> len(calls), calls[:3], calls[-2:]
    (101, [(0, 1000), (10, 1000), (20, 1000)], [(990, 1000), (1000, 1000)])
    """

    __slots__ = ("_done", "_every", "_next", "_progress", "_shown", "_total")

    def __init__(self, progress: Progress | None, total: int | None, *, every: int = 1) -> None:
        self._progress = progress
        self._total = total
        self._every = max(1, every if total is None else total // CALLS)
        self._done = 0
        self._shown = -1
        self._next = 0

    @property
    def total(self) -> int | None:
        """The total the callback is told (None when unknown)."""
        return self._total

    def __bool__(self) -> bool:
        """Return whether anyone listens (a caller may skip work done only for the callback)."""
        return self._progress is not None

    def _call(self, done: int, *, last: bool = False) -> None:
        if self._progress is not None and (done > self._shown or last):
            self._shown = done
            self._progress(done, self._total)

    def start(self) -> None:
        """Make the first call, ``(0, total)``."""
        self._call(0)
        self._next = self._every

    def update(self, done: int) -> None:
        """Say that ``done`` is done; call back if it moved on enough (never at the total)."""
        if done <= self._done:
            return
        self._done = done
        if done >= self._next and (self._total is None or done < self._total):
            self._call(done)
            growth = done // _GROWTH if self._total is None else 0
            self._next = done + max(self._every, growth)

    def step(self, steps: int = 1) -> None:
        """Say that ``steps`` more units are done."""
        self.update(self._done + steps)

    def finish(self) -> None:
        """Make the last call: ``(total, total)``, or ``(done, done)`` without a total."""
        if self._progress is None:
            return
        known = self._total is not None
        if self._total is None:
            self._total = self._done
        self._done = self._total
        # Once the total is learnt, say it even at a ``done`` already shown: (5, None) → (5, 5).
        self._call(self._total, last=not known)


def tqdm_progress(desc: str | None = None, *, unit: str = "it", leave: bool = True) -> Progress:
    """Return a progress callback that draws a tqdm bar: a widget in Jupyter, text elsewhere.

    The bar is made at the operation's first call and closed at its last, so one callback may
    be passed to several operations in turn, each getting its own bar. Needs tqdm: the
    ``notebook`` extra (``pip install "custpool[notebook]"``).

    Parameters
    ----------
    desc
        The bar's label, e.g. ``"loading events"``.
    unit
        The unit shown (``"B"`` for :func:`~custpool.read_events`' bytes, which tqdm then
        scales to kB, MB).
    leave
        Keep the finished bar on screen (True) or clear it.

    Returns
    -------
    Progress

    Raises
    ------
    custpool.MissingDependencyError
        If tqdm is not installed (it names the ``notebook`` extra).

    Examples
    --------
    >>> from custpool import tqdm_progress
    >>> from custpool.synth import SynthConfig, generate
    >>> progress = tqdm_progress("synth", unit="step")
    >>> pool = generate(SynthConfig(n_customers=100), seed=1, progress=progress)
    """
    tqdm = _tqdm()
    return _TqdmBar(tqdm, desc, unit=unit, leave=leave)


def _tqdm() -> ModuleType:
    try:  # optional: imported when a bar is asked for (tqdm ships no types)
        return importlib.import_module("tqdm.auto")
    except ImportError:
        raise MissingDependencyError("tqdm", "notebook") from None


class _TqdmBar:
    """A :class:`Progress` drawing one tqdm bar per operation."""

    __slots__ = ("_bar", "_desc", "_leave", "_tqdm", "_unit")

    def __init__(self, tqdm: ModuleType, desc: str | None, *, unit: str, leave: bool) -> None:
        self._tqdm = tqdm
        self._desc = desc
        self._unit = unit
        self._leave = leave
        self._bar: Any = None  # a tqdm bar (tqdm ships no types)

    def __call__(self, done: int, total: int | None, /) -> None:
        """Draw the bar at ``done`` of ``total``; close it when the operation is done."""
        bar = self._bar
        if bar is None:
            bar = self._tqdm.tqdm(
                total=total,
                desc=self._desc,
                unit=self._unit,
                unit_scale=self._unit == "B",
                leave=self._leave,
            )
            self._bar = bar
        if total != bar.total:
            bar.total = total
        bar.update(done - bar.n)
        if total is not None and done >= total:
            bar.close()
            self._bar = None

    def __repr__(self) -> str:
        """Return the bar's label and unit."""
        return f"tqdm_progress(desc={self._desc!r}, unit={self._unit!r})"
