"""Loading and saving: JSON Lines, CSV and frames for the models; interactions into an EventTable.

The only room that does I/O. Every loader reports each rejected row with its line, field, value
and reason (never a contact handle), and rows read = accepted + rejected, always.

Modules: ``loading`` (what the loaders return, and the row logic they share) · ``jsonl`` ·
``csv_split`` (CSV records, split in one linear, bounded pass) · ``csv`` · ``events`` ·
``bulk_jsonl``, ``bulk_csv``, ``bulk_columns``, ``bulk_events`` (JSON Lines and CSV into a
table in bulk: canonical rows parsed by pyarrow and checked column-wise, the rest row by row,
the same load) ·
``frame_events`` (frames, Parquet and Arrow files into an EventLoad) · ``customer_frames``
(customers from a frame).

May import: the base modules, ``custpool._model`` and ``custpool._engine``. Never
``custpool._analytics`` (a sibling) or anything above. Other rooms use this room only through
the names below.
"""

from __future__ import annotations

from custpool._io.csv import read_csv, write_csv
from custpool._io.customer_frames import read_customers
from custpool._io.events import EventLoad, read_events
from custpool._io.jsonl import read_jsonl, write_jsonl
from custpool._io.loading import LoadResult, Problem, Rejection

__all__ = [
    "read_csv",
    "write_csv",
    "read_customers",
    "EventLoad",
    "read_events",
    "read_jsonl",
    "write_jsonl",
    "LoadResult",
    "Problem",
    "Rejection",
]
