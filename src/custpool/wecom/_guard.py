"""Guards in front of the cryptography: body size, stale timestamps and replayed signatures."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Final

from custpool import CallbackError

__all__ = ["MAX_BODY", "ReplayGuard", "check_size", "check_timestamp"]

MAX_BODY: Final = 64 * 1024
"""The largest callback body accepted, in bytes (WeCom's event callbacks are under 2 KiB)."""


def check_size(size: int, limit: int = MAX_BODY) -> None:
    """Refuse a body longer than ``limit`` bytes (reason ``too_large``).

    Examples
    --------
    >>> check_size(70_000)
    Traceback (most recent call last):
    ...
    custpool.CallbackError: body=70000: must be at most 65536 bytes
    """
    if size > limit:
        raise CallbackError("too_large", "body", size, f"must be at most {limit} bytes")


def check_timestamp(timestamp: str, window: float, now: float | None = None) -> None:
    """Refuse a timestamp that is not digits or further than ``window`` seconds from now.

    Examples
    --------
    >>> check_timestamp("1409659589", 300, now=1409659600.0)
    >>> check_timestamp("1409659589", 300, now=1409669589.0)
    Traceback (most recent call last):
    ...
    custpool.CallbackError: timestamp='1409659589': must be within 300 s of now (it is 10000 s off)
    """
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise CallbackError("stale", "timestamp", timestamp, "must be Unix seconds (digits)")
    off = abs((time.time() if now is None else now) - int(timestamp))
    if off > window:
        raise CallbackError(
            "stale",
            "timestamp",
            timestamp,
            f"must be within {window:g} s of now (it is {off:.0f} s off)",
        )


class ReplayGuard:
    """Signatures seen lately, bounded in number and age; thread-safe.

    :meth:`check` refuses a signature already :meth:`remember`-ed (reason ``replay``). The
    receiver :meth:`claim`-s a signature before its callback goes to the sink — a second
    delivery while the first is in flight is not claimed — and :meth:`release`-s it after:
    remembered if the sink took it, forgotten if it failed, so WeCom's retry is processed again.
    ``ttl`` should cover the timestamps the receiver accepts (twice its ``window``: a timestamp
    may be that far off either way), so a replay is refused as long as its timestamp passes.
    In one process only: with several worker processes each has its own.

    Examples
    --------
    >>> guard = ReplayGuard(size=2, ttl=600)
    >>> guard.remember("a", now=0); guard.remember("b", now=0); guard.remember("c", now=0)
    >>> guard.seen("a", now=1), guard.seen("c", now=1), guard.seen("c", now=700)
    (False, True, False)
    >>> guard.claim("d", now=1), guard.claim("d", now=1)  # the second is in flight already
    (True, False)
    >>> guard.release("d", done=False); guard.claim("d", now=2)  # the sink failed: claim again
    True
    """

    def __init__(self, size: int = 100_000, ttl: float = 600.0) -> None:
        given: tuple[object, object] = (size, ttl)  # checked at run time
        if isinstance(given[0], bool) or not isinstance(given[0], int) or given[0] < 1:
            raise CallbackError("config", "size", size, "must be a whole number of at least 1")
        if not isinstance(given[1], int | float) or not 0 < given[1] < float("inf"):
            raise CallbackError("config", "ttl", ttl, "must be a positive number of seconds")
        self.size = size
        self.ttl = ttl
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._flight: set[str] = set()
        self._lock = threading.Lock()

    def claim(self, sig: str, now: float | None = None) -> bool:
        """Mark ``sig`` in flight and return True, or False if it is seen or in flight already."""
        now = time.monotonic() if now is None else now
        with self._lock:
            at = self._seen.get(sig)
            if (at is not None and now - at <= self.ttl) or sig in self._flight:
                return False
            self._flight.add(sig)
            return True

    def release(self, sig: str, *, done: bool, now: float | None = None) -> None:
        """End ``sig``'s flight: remember it if ``done`` (the sink took it), else forget it."""
        with self._lock:
            self._flight.discard(sig)
        if done:
            self.remember(sig, now)

    def seen(self, sig: str, now: float | None = None) -> bool:
        """Whether ``sig`` was remembered within the last ``ttl`` seconds."""
        now = time.monotonic() if now is None else now
        with self._lock:
            at = self._seen.get(sig)
            return at is not None and now - at <= self.ttl

    def check(self, sig: str, now: float | None = None) -> None:
        """Raise :class:`custpool.CallbackError` (reason ``replay``) if ``sig`` was seen."""
        if self.seen(sig, now):
            raise CallbackError("replay", "msg_signature", sig, "was already accepted (a replay)")

    def remember(self, sig: str, now: float | None = None) -> None:
        """Record ``sig``; forget the oldest beyond ``size`` and any older than ``ttl``."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._seen[sig] = now
            self._seen.move_to_end(sig)
            while self._seen and (
                len(self._seen) > self.size or now - next(iter(self._seen.values())) > self.ttl
            ):
                self._seen.popitem(last=False)
