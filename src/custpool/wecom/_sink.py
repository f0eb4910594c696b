"""An append-only JSON Lines sink for interactions: one write per batch, fsync, dedupe by id."""

from __future__ import annotations

import json
import os
import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from custpool import Interaction

__all__ = ["JsonlSink"]


def _append_whole(path: Path, data: bytes) -> None:
    """Append ``data`` with one write, flushed to disk; on any failure cut the file back."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        size = os.fstat(fd).st_size
        try:
            written = os.write(fd, data)
            if written == len(data):
                os.fsync(fd)
                return
        except BaseException:
            os.ftruncate(fd, size)
            raise
        os.ftruncate(fd, size)
        msg = f"short write to {path.name}: {written} of {len(data)} bytes"
        raise OSError(msg)
    finally:
        os.close(fd)


def _cut_torn_tail(path: Path) -> None:
    """Cut a last line without its newline (a write torn by a crash) off the file, and warn.

    A batch is one write, so a torn one was never acknowledged: WeCom retries it, and cutting
    it loses nothing.
    """
    with path.open("r+b") as file:
        size = file.seek(0, os.SEEK_END)
        if size == 0:
            return
        file.seek(max(0, size - 1))
        if file.read(1) == b"\n":
            return
        keep = 0
        block = 1 << 16
        end = size
        while end > 0:  # find the last newline, reading backwards a block at a time
            start = max(0, end - block)
            file.seek(start)
            found = file.read(end - start).rfind(b"\n")
            if found >= 0:
                keep = start + found + 1
                break
            end = start
        file.truncate(keep)
        file.flush()
        os.fsync(file.fileno())
    warnings.warn(
        f"{path.name}: cut {size - keep} bytes of a last line torn by a crash (never "
        "acknowledged to WeCom, which retries it)",
        stacklevel=3,
    )


class JsonlSink:
    """Append interactions to a JSON Lines file, each id at most once, durably.

    Each call writes its new interactions with one ``write`` on a file opened for appending,
    then flushes and ``fsync``-s; if the write fails the file is cut back to its old length,
    so a batch lands whole or not at all and the caller (the receiver) answers with an error
    so WeCom retries. The ids already in the file are read when the sink opens, so duplicates
    are dropped across restarts too (one pass over the file: cheap next to WeCom's volumes); a
    last line torn by a crash (no newline) is cut off with a warning first. One process: several
    worker processes writing one file need a lock of their own (or one sink each).
    The file reads back with ``custpool.read_jsonl(path, custpool.Interaction)``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from custpool.wecom import parse_event
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "wecom.jsonl"
    >>> ev = parse_event({"Event": "change_external_contact", "ChangeType": "add_external_contact",
    ...     "CreateTime": "1403610513", "UserID": "zhangsan", "ExternalUserID": "woAJ2G",
    ...     "State": "store-sh"}, corp_id="corp")
    >>> sink = JsonlSink(path)
    >>> sink(ev.interactions), sink(ev.interactions), JsonlSink(path)(ev.interactions)
    (1, 0, 0)
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._ids: set[str] = set()
        if self.path.exists():
            _cut_torn_tail(self.path)
            with self.path.open("rb") as file:
                for line in file:
                    if line.strip():
                        self._ids.add(str(json.loads(line)["id"]))

    def __len__(self) -> int:
        """Return the number of interactions in the file."""
        return len(self._ids)

    def __call__(self, interactions: Iterable[Interaction]) -> int:
        """Append the interactions not yet in the file; return how many were written."""
        with self._lock:
            new: dict[str, Interaction] = {}
            for item in interactions:
                if item.id not in self._ids:
                    new.setdefault(item.id, item)
            if not new:
                return 0
            data = "".join(new[i].to_json() + "\n" for i in sorted(new)).encode()
            _append_whole(self.path, data)
            self._ids.update(new)
            return len(new)
