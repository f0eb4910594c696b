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

__all__ = ["COLUMNAR_SUFFIXES", "arrow_file", "load_frame"]

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
            return pq.read_table(where), name
        try:
            return pa.ipc.open_file(where).read_all(), name
        except pa.ArrowInvalid:
            if hasattr(where, "seek"):
                where.seek(0)
            return pa.ipc.open_stream(where).read_all(), name
    except (pa.ArrowException, OSError) as error:
        if isinstance(error, FileNotFoundError):
            raise
        rule = f"must be a readable {'Parquet' if fmt == 'parquet' else 'Arrow IPC'} file"
        raise ValidationError(
            "source", name or "<file>", f"{rule} ({type(error).__name__})"
        ) from None


def load_frame(
    frame: object, options: dict[str, Any], *, strict: bool, source: str | None
) -> EventLoad:
    """Read ``frame`` with the frame reader's ``options``; see :func:`~custpool.read_events`."""
    from custpool._io.events import EventLoad  # noqa: PLC0415 - events imports this module

    read = read_frame(frame, strict=False, **options)
    rejections = tuple(
        Rejection(
            row + 1,
            tuple(
                Problem(column, show_value(value, (column,)), rule) for column, value, rule in found
            ),
            row=row,
        )
        for row, found in read.problems
    )
    if strict and rejections:
        raise load_error(rejections[0], source)
    table = None
    if read.columns is not None:
        table = EventTable.from_checked(read.columns, generate_orders=read.generate_orders)
    return EventLoad(table, rejections, 0, source)
