r"""CSV read in blocks by pyarrow, every record the exact splitter would make, made alike.

:func:`csv_blocks` reads the rows after a simple header (printable ASCII, no quotes, ending in
``\n`` or ``\r\n``) in blocks of whole lines and sorts each line:

- **plain**: printable ASCII (tabs too), no ``"``, no ``\r`` but one just before the ``\n``,
  with as many commas as the header. Such a line is one record whose cells are its text split
  at the commas, exactly as :class:`~custpool._io.csv_split.RecordSplitter` reads it; pyarrow
  splits all of a block's plain lines at once, quoting off, into text columns for the screen
  (:func:`~custpool._io.bulk_columns.screen`). A cell of white space is an empty cell; a cell
  that starts with ``'`` (an escaped formula), a score that is not a plain 0-99 and a cell over
  ``max_field_chars`` leave the row to the row path;
- **blank**: spaces, tabs and commas only, which is no row;
- **other**: any other line starts a record that a
  :class:`~custpool._io.csv_split.RecordSplitter` reads from there, numbering lines as the whole
  file's splitter would. A quoted cell may take the record over the next lines (they are then
  part of it, however plain); a record still open at the end of a block is read again with the
  next block, so memory stays bounded by the block and the longest row a file may have.

Each record that is not plain reaches the row path as :func:`~custpool._io.csv.record_data`
reads it, so its rejection is word for word the row path's.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, Final, cast

import numpy as np

from custpool._io.bulk_columns import BLOCK_BYTES, TEXT_FIELDS, Block, Pending
from custpool._io.csv import read_header, record_data
from custpool._io.csv_split import ENDS_INSIDE_QUOTES, CsvRecord, RecordSplitter, row_limit
from custpool._io.loading import BOM, Problem
from custpool._model import Interaction

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import BinaryIO

    from numpy.typing import NDArray

__all__ = ["CsvHeader", "csv_blocks", "simple_header"]

_PLAIN: Final = r"^[\t\x20\x21\x23-\x7e]*\r?\n$"
_BLANK: Final = r"^[ \t,]*\r?\n$"
_SCORE: Final = r"^(?:0|[1-9][0-9]?)$"
_EMPTY: Final = r"^[ \t]*$"


class CsvHeader:
    """A file's header read by the row path's rules: its names, its line, the cell limit."""

    __slots__ = ("line", "max_chars", "names")

    def __init__(self, names: list[str], line: int, max_chars: int) -> None:
        self.names = names
        self.line = line
        self.max_chars = max_chars

    def pending(self, record: CsvRecord) -> Pending:
        """Return a record for the row path, read as read_csv reads it."""
        read = partial(record_data, record, self.names, self.line, Interaction, self.max_chars)
        return Pending(record.line, read)


class _Part:
    """A part of a file's bytes, read by a splitter (``readline`` only, no copy of the rest).

    The first call gives one line, so a splitter reading one record of one line decodes just
    that; later calls give whole lines up to ``size`` bytes at once, which the splitter splits
    itself, so a quoted cell running over many lines is read in few calls.
    """

    __slots__ = ("_data", "_end", "_first", "_pos")

    def __init__(self, data: bytes, start: int, end: int) -> None:
        self._data, self._pos, self._end = data, start, end
        self._first = True

    def readline(self, size: int = -1) -> bytes:
        """Return the next line (the first call), or the next whole lines up to ``size``."""
        stop = self._end if self._first or size < 0 else min(self._end, self._pos + size)
        start = self._pos if self._first else max(stop - 1, self._pos)
        brk = self._data.find(b"\n", start, self._end)
        end = self._end if brk < 0 else brk + 1
        self._first = False
        line = self._data[self._pos : end]
        self._pos = end
        return line


def simple_header(stream: BinaryIO, max_chars: int) -> CsvHeader | None:
    """Read a simple header line (see the module) and return it, or None for the row path."""
    raw = stream.readline(1 << 16)
    line = raw.removeprefix(BOM)
    if not line.endswith(b"\n") or b'"' in line or b"\r" in line[:-2]:
        return None
    if not line.strip() or any(byte < 0x20 or byte > 0x7E for byte in line.rstrip(b"\r\n")):
        return None
    part = cast("BinaryIO", _Part(line, 0, len(line)))
    splitter = RecordSplitter(part, width=line.count(b",") + 1, max_field_chars=max_chars)
    record = next(iter(splitter))
    names = read_header(record, Interaction)
    if isinstance(names, Problem):
        return None
    return CsvHeader(names, 1, max_chars)


def _record_at(data: bytes, start: int, number: int, header: CsvHeader) -> CsvRecord | None:
    """Return the record the exact splitter reads from ``start`` (line ``number``), if it closes.

    None when the record is still open at the end of ``data`` (read it again with more).
    """
    width = len(header.names)
    part = cast("BinaryIO", _Part(data, start, len(data)))
    splitter = RecordSplitter(
        part, width=width, max_field_chars=header.max_chars, first_line=number
    )
    return next(iter(splitter), None)


def _line_numbers(data: bytes) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    buffer = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(buffer == ord("\n")) + 1
    starts = np.concatenate(([0], ends[:-1])).astype(np.int64)
    return starts, ends.astype(np.int64)


def _block(  # noqa: PLR0913 - a block and where it sits in the file
    modules: tuple[Any, Any, Any],
    data: bytes,
    first: int,
    header: CsvHeader,
    *,
    at_end: bool,
    csv_module: Any,  # noqa: ANN401 - pyarrow.csv
) -> tuple[Block, int]:
    """Sort the whole lines ``data`` (numbered from ``first``); return the block and bytes used.

    Lines from a record still open at the end of ``data`` are not used (unless ``at_end``).
    """
    pa, pc, _ = modules
    if not data.endswith(b"\n"):
        data += b"\n"
    starts, ends = _line_numbers(data)
    lines = pa.LargeBinaryArray.from_buffers(
        pa.large_binary(),
        len(ends),
        [None, pa.py_buffer(np.concatenate(([0], ends))), pa.py_buffer(data)],
    )
    limit = row_limit(len(header.names), header.max_chars)
    plain = np.asarray(pc.match_substring_regex(lines, _PLAIN), dtype=np.bool_)
    plain &= ends - starts <= limit
    blank = plain & np.asarray(pc.match_substring_regex(lines, _BLANK), dtype=np.bool_)
    commas = np.asarray(pc.count_substring(lines, ","), dtype=np.int64)
    used = len(data)
    taken = np.zeros(len(ends), dtype=np.bool_)  # lines of records read by the splitter
    pending: list[Pending] = []
    position = 0
    for j in np.flatnonzero(~plain):
        if j < position:
            continue
        record = _record_at(data, int(starts[j]), first + int(j), header)
        if record is None:
            continue
        if record.fault == ENDS_INSIDE_QUOTES and not at_end:
            used = int(starts[j])  # read again, with the next block
            taken[j:] = True
            break
        last = int(j) + record.last - record.line
        taken[j : last + 1] = True
        position = last + 1
        if not record.blank:
            pending.append(header.pending(record))
    rows = plain & ~blank & ~taken
    wrong = rows & (commas != len(header.names) - 1)
    for j in np.flatnonzero(wrong):  # the count is wrong: the splitter's record says so
        record = _record_at(data, int(starts[j]), first + int(j), header)
        if record is not None:
            pending.append(header.pending(record))
    rows &= ~wrong
    picked = np.flatnonzero(rows)
    numbers = (first + picked).astype(np.int64)
    table, ready = _parse(modules, csv_module, data, starts=starts[picked], header=header)

    def fallback(row: int) -> Pending:
        at = int(picked[row])
        record = _record_at(data, int(starts[at]), first + at, header)
        assert record is not None  # noqa: S101 - a plain line is a whole record
        return header.pending(record)

    return Block(table, numbers, ready, pending, fallback), used


def _parse(
    modules: tuple[Any, Any, Any],
    csv_module: Any,  # noqa: ANN401 - pyarrow.csv
    data: bytes,
    *,
    starts: NDArray[np.int64],
    header: CsvHeader,
) -> tuple[Any, NDArray[np.bool_]]:
    """Split the plain lines at commas with pyarrow; return the screen's columns and readiness."""
    pa, pc, _ = modules
    if not len(starts):
        return None, np.empty(0, dtype=np.bool_)
    every_start, every_end = _line_numbers(data)
    picked = np.zeros(len(every_start), dtype=np.bool_)
    picked[np.searchsorted(every_start, starts)] = True
    mask = np.repeat(picked, every_end - every_start)  # the bytes of the plain lines picked
    packed = np.frombuffer(data, dtype=np.uint8)[mask].tobytes()
    text = pa.large_string()
    table = csv_module.read_csv(
        pa.py_buffer(packed),
        read_options=csv_module.ReadOptions(
            column_names=header.names, use_threads=True, block_size=max(len(packed), 1 << 20)
        ),
        parse_options=csv_module.ParseOptions(
            quote_char=False, double_quote=False, escape_char=False, ignore_empty_lines=False
        ),
        convert_options=csv_module.ConvertOptions(
            column_types=dict.fromkeys(header.names, text),
            strings_can_be_null=False,
            check_utf8=False,
        ),
    )
    n = table.num_rows
    ready = np.ones(n, dtype=np.bool_)
    columns: dict[str, Any] = {}
    for name in (*TEXT_FIELDS, "score", "amount", "currency"):
        if name not in header.names:
            columns[name] = pa.nulls(n, text)
            continue
        values = table.column(name).combine_chunks()
        length = np.asarray(pc.binary_length(values), dtype=np.int64)
        ready &= length <= header.max_chars
        ready &= ~np.asarray(pc.starts_with(values, "'"), dtype=np.bool_)
        empty = pc.match_substring_regex(values, _EMPTY)
        columns[name] = pc.if_else(empty, pa.scalar(None, text), values)
    score = columns.pop("score")
    plain = pc.match_substring_regex(score, _SCORE)
    plain_score = np.asarray(plain.fill_null(True), dtype=np.bool_)  # noqa: FBT003 - pyarrow
    ready &= plain_score
    cleaned = pc.if_else(pa.array(plain_score), score, pa.scalar(None, text))
    columns["score"] = pc.cast(cleaned, pa.int64())
    return pa.table(columns), ready


def csv_blocks(
    stream: BinaryIO,
    header: CsvHeader,
    modules: tuple[Any, Any, Any],
    block_bytes: int = BLOCK_BYTES,
) -> Iterator[Callable[[], Block]]:
    """Yield the rows after the header block by block (see the module's docstring).

    Blocks are split here, in order (where one ends depends on its records); each comes as a
    job that returns it, as :func:`~custpool._io.bulk_jsonl.jsonl_blocks` yields them.
    """
    import pyarrow.csv as csv_module  # noqa: PLC0415 - optional: modules imported pyarrow

    number = header.line  # lines numbered so far
    carry = b""
    while True:
        chunk = stream.read(max(block_bytes, len(carry)))  # an open record: read more each time
        at_end = not chunk
        data = carry + chunk
        if not data:
            return
        cut = len(data) if at_end else data.rfind(b"\n") + 1
        if cut == 0:
            carry = data
            continue
        whole = data[:cut]
        block, used = _block(
            modules, whole, number + 1, header, at_end=at_end, csv_module=csv_module
        )
        carry = whole[used:] + data[cut:]
        number += whole[:used].count(b"\n") + (0 if whole[:used].endswith(b"\n") or not used else 1)
        yield partial(_same, block)
        if at_end:
            return


def _same(block: Block) -> Block:
    return block
