"""Interactions from a data frame, a Parquet or an Arrow IPC file, into an :class:`EventLoad`.

The columnar way in: the frame is read by the engine's frame reader (the same one as
:meth:`EventTable.from_frame <custpool.EventTable.from_frame>`), which checks whole columns at
once, and every row it refuses becomes a :class:`~custpool.Rejection` with its 0-based ``row``
(its ``line`` is ``row + 1``), the frame's column, the value shown safely and the rule. Rows read
= accepted + rejected, as for every loader; a frame has no duplicate handling (each row is an
event), so ``duplicates_dropped`` is 0.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from custpool._engine import EventTable, read_frame
from custpool._errors import MissingDependencyError, ValidationError
from custpool._io.loading import Problem, Rejection, load_error, show_value

if TYPE_CHECKING:
    from custpool._io.events import EventLoad

__all__ = ["COLUMNAR_SUFFIXES", "arrow_file", "load_frame", "text_table"]

COLUMNAR_SUFFIXES: Final = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".arrow": "arrow",
    ".feather": "arrow",
    ".ipc": "arrow",
}
"""File suffixes read as Parquet or Arrow IPC (Feather v2) files."""


def arrow_file(source: object, fmt: str) -> tuple[Any, str | None]:
    """Return a Parquet or Arrow IPC file as a pyarrow Table, and its name."""
    try:
        import pyarrow as pa  # noqa: PLC0415 - optional
        import pyarrow.parquet as pq  # noqa: PLC0415 - optional
    except ImportError as error:
        raise MissingDependencyError("pyarrow", "frames") from error
    name = Path(os.fsdecode(source)).name if isinstance(source, str | os.PathLike) else None
    where = os.fsdecode(source) if isinstance(source, str | os.PathLike) else source
    try:
        if fmt == "parquet":
            table = pq.read_table(where)
        else:
            try:
                table = pa.ipc.open_file(where).read_all()
            except pa.ArrowInvalid:
                if hasattr(where, "seek"):
                    where.seek(0)
                table = pa.ipc.open_stream(where).read_all()
        # A damaged file can decode into arrays whose offsets or dictionaries are wrong, which
        # crash compute kernels later: check every buffer now, while the error can be named.
        table.validate(full=True)
    except (pa.ArrowException, OSError) as error:
        if isinstance(error, FileNotFoundError):
            raise
        rule = f"must be a readable {'Parquet' if fmt == 'parquet' else 'Arrow IPC'} file"
        raise ValidationError(
            "source", name or "<file>", f"{rule} ({type(error).__name__})"
        ) from None
    return table, name


def text_table(source: object, fmt: str) -> tuple[Any, list[int], list[Rejection], str | None]:
    """Read a CSV or JSON Lines file as a table of text columns, to map its columns.

    Returns the table, the 1-based line where each of its rows starts, a rejection for each CSV
    record with the wrong number of cells (pyarrow skips them; they are reported, never lost),
    and the file's name. Every CSV cell is read as text, so times and amounts go through the
    frame reader's exact rules (an amount ``"51.23"`` is 5,123 fen, not a float).
    """
    try:
        import pyarrow as pa  # noqa: PLC0415 - optional
        import pyarrow.csv as pa_csv  # noqa: PLC0415 - optional
        import pyarrow.json as pa_json  # noqa: PLC0415 - optional
    except ImportError as error:
        raise MissingDependencyError("pyarrow", "frames") from error
    name = Path(os.fsdecode(source)).name if isinstance(source, str | os.PathLike) else None
    where = os.fsdecode(source) if isinstance(source, str | os.PathLike) else source
    skipped: list[Rejection] = []

    def skip(row: Any) -> str:  # noqa: ANN401 - pyarrow's InvalidRow
        rule = f"has {row.actual_columns} cells; the header has {row.expected_columns}"
        problem = Problem("<row>", f"<{row.actual_columns} cells>", rule)
        skipped.append(Rejection(int(row.number or 1), (problem,)))
        return "skip"

    try:
        if fmt == "json":
            table = pa_json.read_json(where)
            return table, list(range(1, table.num_rows + 1)), skipped, name
        names = _csv_header(where)
        if hasattr(where, "seek"):
            where.seek(0)
        table = pa_csv.read_csv(
            where,
            read_options=pa_csv.ReadOptions(use_threads=False),
            parse_options=pa_csv.ParseOptions(invalid_row_handler=skip, newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()), strings_can_be_null=True
            ),
        )
    except (pa.ArrowException, OSError, UnicodeDecodeError) as error:
        if isinstance(error, FileNotFoundError):
            raise
        kind = "JSON Lines" if fmt == "json" else "CSV"
        rule = f"must be a {kind} file pyarrow can read ({type(error).__name__})"
        raise ValidationError("source", name or "<file>", rule) from None
    bad = {r.line for r in skipped}
    total = table.num_rows + len(skipped)
    lines = [n for n in range(2, total + 2) if n not in bad]
    return table, lines, skipped, name


def _csv_header(where: object) -> list[str]:
    """Return a CSV file's column names (its first record)."""
    import csv  # noqa: PLC0415 - only for the header
    import io  # noqa: PLC0415

    readline = getattr(where, "readline", None)
    if readline is not None:
        head = readline()
        text = head.decode("utf-8-sig") if isinstance(head, bytes) else str(head)
    else:
        with open(str(where), encoding="utf-8-sig", newline="") as file:  # noqa: PTH123
            text = file.readline()
    return next(csv.reader(io.StringIO(text)), [])


def load_frame(  # noqa: PLR0913 - the reader's options and where the rows came from
    frame: object,
    options: dict[str, Any],
    *,
    strict: bool,
    source: str | None,
    lines: list[int] | None = None,
    skipped: list[Rejection] | None = None,
) -> EventLoad:
    """Read ``frame`` with the frame reader's ``options``; see :func:`~custpool.read_events`.

    ``lines``: for a text file, the line each row starts on (rejections then name lines, not
    frame rows); ``skipped``: rejections already found (records pyarrow could not split).
    """
    from custpool._io.events import EventLoad  # noqa: PLC0415 - events imports this module

    read = read_frame(frame, strict=False, **options)
    found_rows = [
        Rejection(
            row + 1 if lines is None else lines[row],
            tuple(
                Problem(column, show_value(value, (column,)), rule) for column, value, rule in found
            ),
            row=row if lines is None else None,
        )
        for row, found in read.problems
    ]
    rejections = tuple(sorted([*found_rows, *(skipped or [])], key=lambda r: r.line))
    if strict and rejections:
        raise load_error(rejections[0], source)
    table = None
    if read.columns is not None:
        table = EventTable.from_checked(read.columns, generate_orders=read.generate_orders)
    return EventLoad(table, rejections, 0, source)
