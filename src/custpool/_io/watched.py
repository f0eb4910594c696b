"""A file read line by line while a progress callback hears how many bytes are read.

:func:`~custpool.read_events` reads big JSON Lines and CSV files through :func:`watched`: the
readers see the same lines and the same source name, and a :class:`~custpool._display.Ticker`
counts the bytes (against the file's size when it is known).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Final

from custpool._display import Ticker

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import BinaryIO

    from custpool._display import Progress
    from custpool._io.loading import Source

__all__ = ["watched"]

EVERY: Final = 1 << 20
"""Without a known size, bytes read between two calls, at least (1 MiB)."""


class _Counted:
    """A binary stream's ``readline`` and ``read``, counting the bytes they return."""

    __slots__ = ("_read", "_stream", "_ticker", "name")

    def __init__(self, stream: BinaryIO, name: str | None, ticker: Ticker) -> None:
        self._stream = stream
        self._ticker = ticker
        self._read = 0
        self.name = name

    def readline(self, size: int = -1) -> bytes:
        """Return the stream's next line (at most ``size`` bytes); count it."""
        raw = self._stream.readline(size)
        self._read += len(raw)
        self._ticker.update(self._read)
        return raw

    def read(self, size: int = -1) -> bytes:
        """Return the stream's next ``size`` bytes (all when -1); count them."""
        raw = self._stream.read(size)
        self._read += len(raw)
        self._ticker.update(self._read)
        return raw


def _remaining(stream: BinaryIO) -> int | None:
    """Return the bytes left in a seekable stream, or None when it cannot tell."""
    try:
        if not stream.seekable():
            return None
        here = stream.tell()
        end = stream.seek(0, os.SEEK_END)
        stream.seek(here)
    except (AttributeError, OSError, ValueError):
        return None
    return end - here


@contextmanager
def watched(source: Source, progress: Progress | None) -> Iterator[tuple[Source, Ticker]]:
    """Yield ``source`` to read and a ticker counting its bytes (started already).

    Without ``progress`` the source is yielded as it is, with a silent ticker. A path is opened
    here (and named as the readers name it); a stream is read from where it is.
    """
    if progress is None:
        yield source, Ticker(None, None)
        return
    if isinstance(source, str | os.PathLike):
        with Path(source).open("rb") as stream:
            ticker = Ticker(progress, os.fstat(stream.fileno()).st_size, every=EVERY)
            ticker.start()
            yield _Counted(stream, str(source), ticker), ticker  # type: ignore[misc]
        return
    name = getattr(source, "name", None)
    ticker = Ticker(progress, _remaining(source), every=EVERY)
    ticker.start()
    counted = _Counted(source, name if isinstance(name, str) else None, ticker)
    yield counted, ticker  # type: ignore[misc]
