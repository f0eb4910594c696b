r"""JSON Lines read in blocks by pyarrow, the lines it cannot be trusted with set aside.

:func:`jsonl_blocks` reads a stream in blocks of whole lines (a few MiB; memory stays bounded by
the block and ``max_line_bytes``) and sorts each line, without decoding it in Python, into:

- **parsed**: a line in the canonical shape — one JSON object on one line, printable ASCII, keys
  among :class:`~custpool.Interaction`'s fields, string values without escapes (``score`` a small
  integer, ``amount`` an ``{"amount": "…", "currency": "…"}`` object, any key ``null``). pyarrow
  parses these lines together into columns, against a fixed schema;
- **blank**: white space only, which the row path skips too (it is no row);
- **by row**: every other line (other encodings, escapes, unknown keys, numbers where text
  belongs, broken JSON, a line over ``max_line_bytes``), kept as a
  :class:`~custpool._io.loading.RawLine` for the row-by-row path.

Should pyarrow still refuse a block of canonical lines (a key given twice does that), the block
is halved until the lines it refuses stand alone; those go row by row too. Line numbers,
the byte-order mark and the size of an over-long line are those of
:func:`~custpool._io.loading.read_lines`, so both paths name a line alike.
"""

from __future__ import annotations

import io
from functools import partial
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from custpool._io.bulk_columns import BLOCK_BYTES, TEXT_FIELDS, Block, Pending
from custpool._io.jsonl import line_data
from custpool._io.loading import BOM, RawLine, skip_rest

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import BinaryIO

    from numpy.typing import NDArray

__all__ = ["jsonl_blocks", "pyarrow_modules"]

_TEXT: Final = r'"[!#-\[\]-~]*"'
_KEYS: Final = "|".join(TEXT_FIELDS)
_MEMBER: Final = (
    rf'"(?:{_KEYS})": ?(?:{_TEXT}|null)'
    r'|"score": ?(?:0|[1-9][0-9]?|null)'
    rf'|"amount": ?(?:\{{"amount": ?{_TEXT}, ?"currency": ?{_TEXT}\}}|null)'
)
CANONICAL: Final = rf"^\{{(?:{_MEMBER})(?:, ?(?:{_MEMBER}))*\}}\r?\n$"
"""A line pyarrow parses exactly as ``json.loads`` does, into the fixed schema."""
_BLANK: Final = r"^[ \t\r\n\x0b\x0c]*$"
"""White space only, as ``bytes.strip`` sees it."""


def pyarrow_modules() -> tuple[Any, Any, Any] | None:
    """Return pyarrow, pyarrow.compute and pyarrow.json, or None when pyarrow is missing."""
    try:
        import pyarrow as pa  # noqa: PLC0415 - optional (the frames extra)
        import pyarrow.compute as pc  # noqa: PLC0415
        import pyarrow.json as pj  # noqa: PLC0415
    except ImportError:
        return None
    return pa, pc, pj


def _pending(line: RawLine, limit: int) -> Pending:
    """Return a line for the row path, read as read_jsonl reads it."""
    return Pending(line.number, partial(line_data, line, limit, secret=False))


def _schema(pa: Any) -> Any:  # noqa: ANN401 - pyarrow
    money = pa.struct([("amount", pa.large_string()), ("currency", pa.large_string())])
    fields = [(name, pa.large_string()) for name in TEXT_FIELDS]
    return pa.schema([*fields, ("score", pa.int64()), ("amount", money)])


def _parse(modules: tuple[Any, Any, Any], data: bytes) -> Any:  # noqa: ANN401 - pyarrow
    """Parse canonical lines into the flat columns (the amount split in two); raise if refused."""
    pa, pc, pj = modules
    options = pj.ParseOptions(explicit_schema=_schema(pa), unexpected_field_behavior="error")
    read = pj.ReadOptions(block_size=max(len(data), 1 << 20))
    table = pj.read_json(io.BytesIO(data), read_options=read, parse_options=options)
    money = table.column("amount").combine_chunks()
    columns = {name: table.column(name) for name in (*TEXT_FIELDS, "score")}
    columns["amount"] = pc.struct_field(money, [0])
    columns["currency"] = pc.struct_field(money, [1])
    return pa.table(columns)


def _parsed(modules: tuple[Any, Any, Any], chunks: list[bytes]) -> tuple[list[Any], list[int]]:
    """Parse the lines ``chunks``; return the tables and the positions pyarrow refused alone."""
    if not chunks:
        return [], []
    pa = modules[0]
    try:
        return [_parse(modules, b"".join(chunks))], []
    except pa.ArrowException:
        if len(chunks) == 1:
            return [], [0]
    middle = len(chunks) // 2
    head, head_refused = _parsed(modules, chunks[:middle])
    tail, tail_refused = _parsed(modules, chunks[middle:])
    return [*head, *tail], [*head_refused, *(middle + p for p in tail_refused)]


def _block(modules: tuple[Any, Any, Any], data: bytes, first: int, limit: int) -> Block:
    """Sort the whole lines ``data`` (numbered from ``first``) into parsed and row-by-row."""
    pa, pc, _ = modules
    if not data.endswith(b"\n"):
        data += b"\n"  # the file's last line: screened as if it had a break
    buffer = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(buffer == ord("\n")) + 1
    starts = np.concatenate(([0], ends[:-1]))
    offsets = np.concatenate(([0], ends)).astype(np.int64)
    lines = pa.LargeBinaryArray.from_buffers(
        pa.large_binary(), len(ends), [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )
    carriage = buffer[np.maximum(ends - 2, 0)] == ord("\r")
    sizes = ends - starts - 1 - (carriage & (ends - starts >= 2))
    fit = sizes <= limit
    canonical = np.asarray(pc.match_substring_regex(lines, CANONICAL), dtype=np.bool_) & fit
    blank = np.asarray(pc.match_substring_regex(lines, _BLANK), dtype=np.bool_)
    numbers = np.arange(first, first + len(ends), dtype=np.int64)
    picked = np.flatnonzero(canonical)
    tables, refused = _parsed_block(modules, data, starts, ends, canonical)
    parsed = np.ones(len(picked), dtype=np.bool_)
    parsed[refused] = False
    by_row_at = np.flatnonzero(~canonical & (~blank | ~fit))  # an over-long line is a row
    if refused:
        by_row_at = np.sort(np.concatenate((by_row_at, picked[refused])))
    pending = [
        _pending(
            RawLine(int(numbers[i]), data[starts[i] : ends[i]] if fit[i] else None, int(sizes[i])),
            limit,
        )
        for i in by_row_at
    ]
    kept = picked[parsed]
    table = pa.concat_tables(tables) if len(tables) > 1 else tables[0] if tables else None
    row_starts, row_ends, row_lines = starts[kept], ends[kept], numbers[kept]

    def fallback(row: int) -> Pending:
        raw = data[row_starts[row] : row_ends[row]]
        size = len(raw) - 1 - raw.endswith(b"\r\n")
        return _pending(RawLine(int(row_lines[row]), raw, size), limit)

    ready = np.ones(len(kept), dtype=np.bool_)
    return Block(table, row_lines, ready, pending, fallback)


def _parsed_block(
    modules: tuple[Any, Any, Any],
    data: bytes,
    starts: NDArray[np.int64],
    ends: NDArray[np.int64],
    canonical: NDArray[np.bool_],
) -> tuple[list[Any], list[int]]:
    """Parse the canonical lines of ``data`` at once (the others blanked); halve on refusal."""
    if not canonical.any():
        return [], []
    blanked = bytearray(data)
    for i in np.flatnonzero(~canonical):  # white space: pyarrow skips the line
        blanked[starts[i] : ends[i] - 1] = b" " * int(ends[i] - 1 - starts[i])
    try:
        return [_parse(modules, bytes(blanked))], []
    except modules[0].ArrowException:
        picked = np.flatnonzero(canonical)
        return _parsed(modules, [data[starts[i] : ends[i]] for i in picked])


def _none(row: int) -> Pending:
    msg = f"a block without parsed rows has no row {row}"
    raise IndexError(msg)


def jsonl_blocks(
    stream: BinaryIO, limit: int, modules: tuple[Any, Any, Any], block_bytes: int = BLOCK_BYTES
) -> Iterator[Callable[[], Block]]:
    """Yield the stream's lines block by block (see the module's docstring).

    Each block comes as a job that sorts and parses it when called, so several blocks may be
    sorted at once (in threads: pyarrow and numpy release the GIL); reading stays in order.
    """
    number = 0  # lines numbered so far
    carry = b""
    first_read = True
    while True:
        chunk = stream.read(block_bytes)
        at_end = not chunk
        data = carry + chunk
        if first_read and data.startswith(BOM):
            data = data[len(BOM) :]
        first_read = first_read and not data  # the mark is only looked for at the start
        if not data:
            return
        cut = data.rfind(b"\n") + 1
        if at_end:
            cut = len(data)
        if cut == 0:  # no line ends in the block yet
            if len(data) > limit + 2:  # too long already: skipped over, never held
                number += 1
                size = skip_rest(stream, data)
                pending = [_pending(RawLine(number, None, size), limit)]
                empty = np.empty(0, np.int64)
                yield partial(Block, None, empty, np.empty(0, np.bool_), pending, _none)
                carry = b""
            else:
                carry = data
            continue
        whole, carry = data[:cut], data[cut:]
        yield partial(_block, modules, whole, number + 1, limit)
        number += whole.count(b"\n") + (0 if whole.endswith(b"\n") else 1)
        if at_end:
            return
