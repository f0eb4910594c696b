r"""Splitting CSV bytes into records: linear in the input, bounded in memory, no global state.

:func:`~custpool.read_csv` reads rows through :class:`RecordSplitter`, not Python's :mod:`csv`
reader. That reader's field limit is one setting for the whole process (raising it for one read
changed it for every thread, so reads took a global lock), and once a field was over the limit
it could not tell where the record ended: the old reader guessed by counting quotes, and a quote
inside an unquoted cell made it skip every later row.

The splitter reads the stream in chunks, decodes UTF-8 (a leading byte-order mark is dropped;
bytes that are not UTF-8 become lone surrogates, which the reader reports per cell), splits the
text into physical lines and the lines into records, as ``csv.reader(strict=True)`` does with
the default dialect (RFC 4180):

- a cell that starts with ``"`` is quoted: it ends at the next lone ``"`` (``""`` stands for one
  quote), may hold line breaks, and must be followed by ``,`` or the end of the line;
- in a cell that does not start with ``"``, a quote is a plain character;
- lines end at ``\n``; carriage returns just before it belong to the line break. A file whose
  first line ends at a bare ``\r`` (old Mac) has ``\r``, ``\r\n`` and ``\n`` as line breaks;
  elsewhere a ``\r`` inside an unquoted cell makes the record malformed, as for :mod:`csv`.

Every character is looked at a bounded number of times, and nothing is held past the longest
row a file can validly have (:func:`row_limit`): a record that grows longer — a quoted cell that
never closes, a line of a hundred megabytes — is cut at the end of the line where it crossed
the limit and reported with the lines it covered; reading resumes on the next line. Only the
first ``width + 1`` cells of a record are kept (the rest are counted), since a row with more
cells than the header is rejected anyway.
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING, BinaryIO, Final, NamedTuple

from custpool._errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "ENDS_INSIDE_QUOTES",
    "CsvRecord",
    "RecordSplitter",
    "row_limit",
]

ENDS_INSIDE_QUOTES: Final = "the file ends inside a quoted field (truncated?)"
"""The fault of a record whose quoted cell is still open at the end of the file."""

_CHUNK: Final = 1 << 16
"""Bytes read at a time."""
_QUOTED: Final = re.compile(r'[^"]*(?:""[^"]*)*')
"""The inside of a quoted cell, up to its closing quote or the end of the line."""
_FIRST_BREAK: Final = re.compile(r"\r*\n|\r+")
"""The first line break, which tells the file's style: ``\r`` alone means old Mac."""
_MAC_BREAK: Final = re.compile(r"\r\n?|\n")
_QUOTE_NOT_FOLLOWED: Final = "malformed CSV: ',' expected after '\"'"
_CR_IN_CELL: Final = (
    "malformed CSV: a carriage return (\\r) inside an unquoted cell; quote the cell, or end "
    "every line with \\r if this is an old Mac file"
)
_OPEN: Final = -1
"""What reading cells returns when a quoted cell goes on after the line break."""
_DONE: Final = -2
"""What reading cells returns when the line ended after an unquoted cell."""


def row_limit(width: int, max_field_chars: int) -> int:
    """Return the most characters a valid row of ``width`` cells can have, line breaks included.

    Each cell holds at most ``max_field_chars`` characters, which quoted and with every
    character a doubled quote take ``2 * max_field_chars + 2``, and a comma follows it.

    Examples
    --------
    >>> row_limit(5, 10)
    115
    """
    return width * (2 * max_field_chars + 3)


class CsvRecord(NamedTuple):
    """One record of a CSV file: the lines it covers, and its cells or why it has none.

    Attributes
    ----------
    line, last
        The first and the last physical line of the record, counted from 1.
    cells
        The first ``width + 1`` cells (all of them when there are no more).
    cell_count
        How many cells the record has.
    blank
        Whether every cell is empty or white space.
    text
        The record's text as in the file, line breaks inside it included, the final one not;
        None when the record was cut (it is then not held).
    size
        The length of that text, in characters.
    fault
        Why the record has no cells (malformed, cut, or open at the end of the file), or None.
    """

    line: int
    last: int
    cells: tuple[str, ...]
    cell_count: int
    blank: bool
    text: str | None
    size: int
    fault: str | None = None


def _faulty(line: int, last: int, text: str | None, size: int, fault: str) -> CsvRecord:
    """Return a record that has no cells, for the reason ``fault`` gives."""
    return CsvRecord(line, last, (), 0, blank=False, text=text, size=size, fault=fault)


_Line = tuple[int, str | None, int, str]
"""A physical line: its number, its text (None when too long to hold), its size and break."""


class _Malformed(Exception):  # noqa: N818 - an internal signal, never raised to callers
    """A line that breaks the CSV rules; the message says how."""


class RecordSplitter:
    r"""Split a binary stream into :class:`CsvRecord`\ s, as many cells wide as ``width`` says.

    ``width`` is the number of cells a row should have: the model's columns while reading the
    header, then the header's. It sets how long a record may grow (:func:`row_limit`) and how
    many cells are kept; assign it between records.

    ``first_line`` greater than 1 reads a stream that starts on that line of a file whose line
    breaks are ``\n`` (the bulk reader hands over a part of a file this way): lines are numbered
    from there, and a byte-order mark is only looked for at a file's start.

    Examples
    --------
    >>> import io
    >>> stream = io.BytesIO(b'id,name\rc-1,"Li\rWei"\rc-2,5" tall\r')
    >>> for record in RecordSplitter(stream, width=2, max_field_chars=100):
    ...     print(record.line, record.last, record.cells)
    1 1 ('id', 'name')
    2 3 ('c-1', 'Li\rWei')
    4 4 ('c-2', '5" tall')
    >>> stream = io.BytesIO(b'id,name\nc-1,"never closed\nc-3,x\nc-4,x\nc-5,y\n')
    >>> for record in RecordSplitter(stream, width=2, max_field_chars=5):
    ...     print(record.line, record.last, record.fault or record.cells)  # doctest: +ELLIPSIS
    1 1 ('id', 'name')
    2 4 the row that starts here is still inside a quoted cell on line 4, after 29 ...
    5 5 ('c-5', 'y')
    """

    def __init__(
        self, stream: BinaryIO, *, width: int, max_field_chars: int, first_line: int = 1
    ) -> None:
        self._stream = stream
        self._first_line = first_line
        self._max_field_chars = max_field_chars
        self._width = self._limit = 0
        self.width = width
        self._cells: list[str] = []
        self._count = 0
        self._filled = False
        self._open: list[str] | None = None
        """The parts of a quoted cell that goes on past a line break."""

    @property
    def width(self) -> int:
        """How many cells a row should have."""
        return self._width

    @width.setter
    def width(self, width: int) -> None:
        self._width = width
        self._limit = row_limit(width, self._max_field_chars)

    @property
    def limit(self) -> int:
        """The most characters a record may have before it is cut."""
        return self._limit

    def __iter__(self) -> Iterator[CsvRecord]:
        """Yield each record of the stream, in order, each once."""
        first = last = size = 0
        pieces: list[str] = []
        brk = ""
        for number, text, length, line_break in self._lines():
            if self._open is None:  # a record starts on this line
                if text is not None and length <= self._limit and (plain := self._plain(text)):
                    yield CsvRecord(number, number, *plain, text, length)
                    last = number
                    continue
                first, size, pieces = number, 0, []
                self._cells, self._count, self._filled = [], 0, False
            else:
                pieces.append(brk)
                size += len(brk)
            size += length
            last, brk = number, line_break
            if text is None or size > self._limit:
                self._open = None
                yield _faulty(first, number, None, size, self._cut(first, number, size))
                continue
            pieces.append(text)
            try:
                self._scan(text, line_break)
            except _Malformed as exc:
                self._open = None
                yield _faulty(first, number, "".join(pieces), size, str(exc))
                continue
            if self._open is None:
                cells, count, blank = tuple(self._cells), self._count, not self._filled
                yield CsvRecord(first, number, cells, count, blank, "".join(pieces), size)
        if self._open is not None:
            self._open = None
            yield _faulty(first, last, "".join(pieces), size, ENDS_INSIDE_QUOTES)

    def _plain(self, text: str) -> tuple[tuple[str, ...], int, bool] | None:
        r"""Read a line that is a whole, well-formed record: its cells, their count, blank or not.

        The common cases, at about C speed: a line without quotes is its text split at commas; a
        line whose quoted cells all close on it, with no more cells than are kept, is read in one
        pass. Anything else (a quoted cell going on to the next line, a malformed line, a stray
        ``\r``) returns None and goes the long way, which says what is wrong.
        """
        if "\r" in text:
            return None
        count = text.count(",") + 1
        keep = self._width + 1
        if '"' not in text:
            cells = text.split(",") if count <= keep else text.split(",", keep)[:keep]
            if cells[0] and not cells[0].isspace():
                return tuple(cells), count, False
            rest = text.replace(",", "")
            return tuple(cells), count, not rest or rest.isspace()
        if count > keep or (quoted := _one_line(text)) is None:
            return None
        return quoted, len(quoted), not any(cell and not cell.isspace() for cell in quoted)

    def _cut(self, first: int, last: int, size: int) -> str:
        """Say why a record was cut, and which lines it covered."""
        most = (
            f"longer than a row of {self.width} cells of at most "
            f"max_field_chars={self._max_field_chars} characters can be ({self.limit})"
        )
        if first == last:
            return f"is {size} characters, {most}; it is not read"
        return (
            f"the row that starts here is still inside a quoted cell on line {last}, after "
            f"{size} characters, {most}; lines {first}-{last} are skipped as one row and "
            f"reading resumes on line {last + 1}"
        )

    # --- cells ----------------------------------------------------------------------------------

    def _add(self, cell: str) -> None:
        self._count += 1
        if self._count <= self._width + 1:
            self._cells.append(cell)
        if not self._filled and cell and not cell.isspace():
            self._filled = True

    def _scan(self, text: str, brk: str) -> None:
        """Read one line's cells into the record; raise :class:`_Malformed` if it breaks a rule."""
        # Inside a quoted cell from the line before, or at the start of a record.
        pos = self._read(text, 0, brk) if self._open is None else self._close(text, 0, brk)
        while pos >= 0:  # just after a quoted cell's closing quote
            if pos == len(text):
                return
            if text[pos] != ",":
                raise _Malformed(_QUOTE_NOT_FOLLOWED)
            pos = self._read(text, pos + 1, brk)

    def _read(self, text: str, pos: int, brk: str) -> int:
        """Read cells from ``pos``, where a cell starts; return where a quoted one closed.

        Returns :data:`_OPEN` when a quoted cell goes on after the line break, :data:`_DONE`
        when the line ended with an unquoted cell, else the position just after a closing quote.
        """
        while True:
            if text.startswith('"', pos):
                return self._close(text, pos + 1, brk)
            comma = text.find(",", pos)
            cell = text[pos:] if comma < 0 else text[pos:comma]
            if "\r" in cell:
                raise _Malformed(_CR_IN_CELL)
            self._add(cell)
            if comma < 0:
                return _DONE
            pos = comma + 1

    def _close(self, text: str, pos: int, brk: str) -> int:
        """Read a quoted cell's text from ``pos``; return the position after its closing quote."""
        inside = _QUOTED.match(text, pos)
        end = inside.end() if inside else pos  # it always matches, if only nothing
        parts = [] if self._open is None else self._open
        parts.append(text[pos:end])
        if end == len(text):  # no closing quote on this line: the cell holds the line break
            parts.append(brk)
            self._open = parts
            return _OPEN
        self._open = None
        self._add("".join(parts).replace('""', '"'))
        return end + 1

    # --- lines ----------------------------------------------------------------------------------

    def _chunks(self) -> Iterator[tuple[str, bool]]:
        """Yield the stream's text in chunks, decoded as UTF-8, each with whether it is the last.

        A leading byte-order mark is dropped; bytes that are not UTF-8 become lone surrogates.
        """
        decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        pending = False  # whether the decoder holds the start of a character cut by the chunk
        raw = self._next_bytes()
        if self._first_line == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        while raw:
            if raw.endswith(b"\n") and not pending:  # whole characters: decode at C speed
                yield raw.decode("utf-8", "surrogateescape"), False
            else:
                yield decoder.decode(raw), False
                pending = not raw.endswith(b"\n")
            raw = self._next_bytes()
        yield decoder.decode(b"", final=True), True

    def _next_bytes(self) -> bytes:
        raw = self._stream.readline(_CHUNK)
        if not isinstance(raw, bytes):
            raise ValidationError(
                "source", type(self._stream).__name__, "must be a file opened in binary mode ('rb')"
            )
        return raw

    def _lines(self) -> Iterator[_Line]:
        """Yield the physical lines; a line longer than :attr:`limit` is counted, not held."""
        # None once the file's breaks are \n (known from the start for a part of a file)
        breaks: re.Pattern[str] | None = _FIRST_BREAK if self._first_line == 1 else None
        number, size = self._first_line - 1, 0
        held: list[str] | None = []  # the current line's text so far; None once too long
        carry = ""  # carriage returns at the end of a chunk, when a \n may follow
        for chunk, final in self._chunks():
            buf, carry = carry + chunk, ""
            if breaks is _FIRST_BREAK:
                breaks = _style(buf, final=final)
            if breaks is None:  # \n line breaks, as most files have
                *ends, rest = buf.split("\n")
                for piece in ends:
                    number += 1
                    if held == [] and not piece.endswith("\r") and len(piece) <= self._limit:
                        yield number, piece, len(piece), "\n"  # the common case, at once
                    else:
                        yield self._line(number, held, size, piece, "\n", mac=False)
                    held, size = [], 0
            else:  # old Mac breaks, or none seen yet
                ends_with_breaks, rest, carry = _split_mac(buf, breaks, final=final)
                for piece, brk in ends_with_breaks:
                    number += 1
                    yield self._line(number, held, size, piece, brk, mac=True)
                    held, size = [], 0
            size += len(rest)
            if held is not None and rest:
                if size > self._limit:
                    held = None
                else:
                    held.append(rest)
        if size or held is None:  # a last line without a line break
            yield self._line(number + 1, held, size, "", "", mac=breaks is not None)

    def _line(  # noqa: PLR0913 - the parts of a line, as _lines has them
        self, number: int, held: list[str] | None, size: int, piece: str, brk: str, *, mac: bool
    ) -> _Line:
        """Make the line that ends with ``piece``; ``held`` is its text before, if not too long."""
        size += len(piece)
        if held is None or size > self._limit:
            return number, None, size, brk
        text = "".join([*held, piece]) if held else piece
        if not mac and text.endswith("\r"):  # carriage returns before \n belong to the break
            core = text.rstrip("\r")
            text, brk = core, text[len(core) :] + brk
        return number, text, len(text), brk


def _style(buf: str, *, final: bool) -> re.Pattern[str] | None:
    r"""Tell the file's line breaks from its first one: None for ``\n``, else old Mac ``\r``.

    Returns :data:`_FIRST_BREAK` while ``buf`` does not tell yet: it has no break, or ends in
    ``\r`` that a ``\n`` may follow in the next chunk.
    """
    found = _FIRST_BREAK.search(buf)
    if found is None or (found.end() == len(buf) and buf[-1] == "\r" and not final):
        return _FIRST_BREAK
    return _MAC_BREAK if buf[found.end() - 1] == "\r" else None


def _split_mac(
    buf: str, breaks: re.Pattern[str], *, final: bool
) -> tuple[list[tuple[str, str]], str, str]:
    r"""Split text at old-Mac line breaks: each line's text and break, the rest, what waits.

    Carriage returns at the end of ``buf`` wait for the next chunk (unless ``final``): a ``\n``
    may follow them, and ``\r\n`` is one line break.
    """
    lines, pos = [], 0
    for found in breaks.finditer(buf):
        start, end = found.span()
        if end == len(buf) and buf[-1] == "\r" and not final:
            break
        lines.append((buf[pos:start], buf[start:end]))
        pos = end
    rest = buf[pos:]
    kept = rest if final else rest.rstrip("\r")
    return lines, kept, rest[len(kept) :]


def _one_line(text: str) -> tuple[str, ...] | None:
    """Split a line holding quoted cells, if they all close on it and it is well formed."""
    cells, pos, end = [], 0, len(text)
    while True:
        if not text.startswith('"', pos):
            comma = text.find(",", pos)
            if comma < 0:
                cells.append(text[pos:])
                return tuple(cells)
            cells.append(text[pos:comma])
            pos = comma + 1
            continue
        inside = _QUOTED.match(text, pos + 1)
        stop = inside.end() if inside else pos + 1
        if stop == end:  # the quoted cell goes on after the line break
            return None
        cells.append(text[pos + 1 : stop].replace('""', '"'))
        if stop + 1 == end:
            return tuple(cells)
        if text[stop + 1] != ",":
            return None
        pos = stop + 2
