"""How the command line shows and writes what it computed: sections, formats, files, spinners.

A command builds a list of :class:`Section` (a title, the text a person reads, the plain data a
program reads, and optionally a table); :func:`render` turns them into text, Markdown or JSON.
Files are written atomically: a temporary file in the same folder, then ``os.replace``.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import json
import math
import os
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

import numpy as np
from pydantic import BaseModel

if TYPE_CHECKING:
    from custpool import Progress

__all__ = [
    "FORMATS",
    "ROW_FORMATS",
    "Format",
    "Section",
    "atomic_path",
    "atomic_writer",
    "emit",
    "format_for",
    "plain",
    "render",
    "render_rows",
    "progress_bar",
    "spinner",
]

Format = Literal["text", "json", "markdown", "csv"]
FORMATS: tuple[str, ...] = ("text", "json", "markdown")
ROW_FORMATS: tuple[str, ...] = ("text", "json", "markdown", "csv")

_SUFFIX_FORMATS: Mapping[str, Format] = {
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".csv": "csv",
    ".txt": "text",
}


@dataclass(frozen=True)
class Section:
    """One part of a report: a title, its text, its plain data and optionally a table.

    Examples
    --------
    >>> s = Section("states", "States", "connected 3", {"connected": 3}, ("state", "n"),
    ...             (("connected", 3),))
    >>> print(render([s], "markdown"))
    ## States
    <BLANKLINE>
    | state | n |
    | --- | --- |
    | connected | 3 |
    <BLANKLINE>
    """

    key: str
    title: str
    text: str
    data: object
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[object, ...], ...] = field(default=())


def plain(value: object, *, tz: tzinfo | None = None) -> object:  # noqa: C901, PLR0912 - a case a type
    """Return ``value`` as JSON-compatible data: dicts, lists, strings, numbers and None.

    Times are ISO 8601 strings (in ``tz`` when given), money and decimals exact strings, enums
    their values; numpy arrays with more than one value (ids, per-row columns) are left out of
    dataclasses, since a report gives totals, not rows.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from decimal import Decimal
    >>> plain({"at": datetime(2026, 1, 1, tzinfo=UTC), "amount": Decimal("1.50"), "x": 0.5})
    {'at': '2026-01-01T00:00:00+00:00', 'amount': '1.50', 'x': 0.5}
    >>> plain(float("nan")) is None
    True
    """
    result: object
    if value is None or isinstance(value, bool | int | str):
        result = value
    elif isinstance(value, float):
        result = None if math.isnan(value) or math.isinf(value) else value
    elif isinstance(value, Enum):
        result = value.value
    elif isinstance(value, datetime):
        result = (value.astimezone(tz) if tz is not None else value).isoformat()
    elif isinstance(value, date):
        result = value.isoformat()
    elif isinstance(value, timedelta):
        result = value.total_seconds()
    elif isinstance(value, Decimal):
        result = str(value)
    elif isinstance(value, np.generic):
        result = plain(value.item(), tz=tz)
    elif isinstance(value, np.ndarray):
        result = [plain(v, tz=tz) for v in value.tolist()]
    elif isinstance(value, BaseModel):
        result = value.model_dump(mode="json")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        result = {
            f.name: plain(getattr(value, f.name), tz=tz)
            for f in dataclasses.fields(value)
            if not f.name.startswith("_") and not _is_column(getattr(value, f.name))
        }
    elif isinstance(value, Mapping):
        result = {str(plain(k, tz=tz)): plain(v, tz=tz) for k, v in value.items()}
    elif isinstance(value, list | tuple):
        result = [plain(v, tz=tz) for v in value]
    else:
        result = str(value)
    return result


def _is_column(value: object) -> bool:
    return isinstance(value, np.ndarray) and value.ndim > 0 and value.size > 1


def _cell(value: object) -> str:
    text = "" if value is None else str(plain(value))
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join("---" for _ in headers) + " |"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _text_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [list(headers), *([_cell(v) for v in row] for row in rows)]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(headers))]
    return "\n".join(
        "  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in cells
    )


def _width(text: str) -> int:
    # Chinese characters take two columns on a terminal.
    return sum(2 if ord(ch) >= 0x1100 else 1 for ch in text)


def render(sections: Sequence[Section], fmt: str) -> str:
    """Return the sections as ``text``, ``markdown`` or ``json`` (one object keyed by section).

    Examples
    --------
    >>> s = Section("scale", "User scale", "3 connected", {"connected": 3})
    >>> print(render([s], "text"))
    User scale
      3 connected
    >>> print(render([s], "json"))
    {
      "scale": {
        "connected": 3
      }
    }
    """
    if fmt == "json":
        return json.dumps({s.key: s.data for s in sections}, ensure_ascii=False, indent=2)
    parts = []
    for s in sections:
        if fmt == "markdown":
            if s.headers:
                body = _markdown_table(s.headers, s.rows)
            elif "\n" in s.text:
                body = f"```\n{s.text}\n```"
            else:
                body = s.text
            parts.append(f"## {s.title}\n\n{body}\n")
        else:
            body = s.text if not s.headers or s.text else _text_table(s.headers, s.rows)
            parts.append(s.title + "\n" + "\n".join(f"  {line}" for line in body.splitlines()))
    return ("\n" if fmt == "markdown" else "\n\n").join(parts)


def render_rows(headers: Sequence[str], rows: Sequence[Sequence[object]], fmt: str) -> str:
    """Return a table of rows as ``text``, ``markdown``, ``csv`` or ``json`` (a list of objects).

    Examples
    --------
    >>> print(render_rows(("id", "state"), [("c-1", "engaged")], "csv"), end="")
    id,state
    c-1,engaged
    >>> print(render_rows(("id", "n"), [("c-1", 2)], "json"))
    [
      {"id": "c-1", "n": 2}
    ]
    """
    if fmt == "json":
        lines = [
            json.dumps(dict(zip(headers, (plain(v) for v in row), strict=True)), ensure_ascii=False)
            for row in rows
        ]
        return "[\n" + ",\n".join(f"  {line}" for line in lines) + "\n]" if lines else "[]"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows([["" if v is None else plain(v) for v in row] for row in rows])
        return buffer.getvalue()
    if fmt == "markdown":
        return _markdown_table(headers, rows)
    return _text_table(headers, rows)


def format_for(fmt: str | None, out: Path | None, default: str = "text") -> str:
    """Return the output format: the one asked for, else the one ``out``'s suffix names.

    Examples
    --------
    >>> from pathlib import Path
    >>> format_for(None, Path("tiers.csv")), format_for("json", Path("x.csv"))
    ('csv', 'json')
    >>> format_for(None, None)
    'text'
    """
    if fmt is not None:
        return fmt
    if out is not None:
        return _SUFFIX_FORMATS.get(out.suffix.lower(), default)
    return default


@contextlib.contextmanager
def atomic_writer(path: Path, *, newline: str | None = None) -> Iterator[IO[str]]:
    """Open a temporary file beside ``path``; on success it replaces ``path``, else vanishes.

    An interrupted run (an error, Ctrl-C) leaves no half-written file behind.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     target = Path(folder) / "out.txt"
    ...     with atomic_writer(target) as file:
    ...         _ = file.write("done")
    ...     sorted(p.name for p in Path(folder).iterdir()), target.read_text()
    (['out.txt'], 'done')
    """
    with (
        atomic_path(path) as temporary,
        temporary.open("w", encoding="utf-8", newline=newline) as file,
    ):
        yield file


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``, else vanishes.

    The file gets the permissions a new file would (the process's umask), not ``mkstemp``'s
    owner-only ones.
    """
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:  # name the folder asked for, not the temporary file
        raise type(error)(error.errno, error.strerror, str(path.parent)) from None
    os.close(handle)
    temporary = Path(name)
    try:
        mask = os.umask(0o022)
        os.umask(mask)
        temporary.chmod(0o666 & ~mask)
        yield temporary
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def emit(text: str, out: Path | None) -> None:
    """Write ``text`` (and a final newline) to ``out`` atomically, or to standard output."""
    if not text.endswith("\n"):
        text += "\n"
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    with atomic_writer(out) as file:
        file.write(text)


@contextlib.contextmanager
def spinner(message: str) -> Iterator[None]:
    """Show a spinner with ``message`` on standard error while the block runs, on a TTY only.

    For a phase without a progress hook: it shows that the phase runs, not how far it is.
    Off a terminal (pipes, files, CI) nothing is shown, so output stays clean and comparable.
    """
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console  # noqa: PLC0415 - only on a terminal

    with Console(stderr=True).status(message):
        yield


@contextlib.contextmanager
def progress_bar(message: str, *, console: object = None) -> Iterator[Progress | None]:
    """Give a :class:`custpool.Progress` drawing a bar with ``message`` on standard error.

    On a terminal only (or on the rich ``console`` given, as the tests do); elsewhere it gives
    None, so output stays clean. The bar is removed when the block ends.
    """
    if console is None and not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console  # noqa: PLC0415 - only on a terminal
    from rich.progress import Progress as Bar  # noqa: PLC0415

    shown = console if isinstance(console, Console) else Console(stderr=True)
    with Bar(*Bar.get_default_columns(), console=shown, transient=True) as bar:
        task = bar.add_task(message, total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield update
