"""The columnar engine: a pool's interactions as sorted numpy columns, and what is read off them.

The :class:`~custpool.EventTable`, the reporting :class:`~custpool.Window`, the customers' tags
as a boolean matrix, every customer's tier at once (``classify_table``, equal to ``classify``),
and ``primitives``: the table primitives every columnar computation shares, each defined once —
the "no time" sentinel, run boundaries, in-window masks, latest time per customer, "connected
at t", the per-kind row index and rates. ``frozen`` holds the tables' memory: truly read-only
arrays, which stay read-only when pickled or copied. ``frame_reader`` (with ``frame_columns``)
reads a user's pandas, polars or Arrow frame into checked columns, the one way frames come in
(``EventTable.from_frame`` and ``read_events``); ``order_ids`` makes the order ids of exports
that have none.

Modules: ``codes`` · ``ids`` · ``rules`` · ``events`` · ``frozen`` · ``window`` ·
``primitives`` · ``customer_tags`` · ``tier_table`` · ``frame_columns`` · ``frame_reader`` ·
``order_ids`` · ``tag_frames`` (customers' tags from a frame) · ``breakdown`` (results per
operator or group: who owns each customer, and the container every ``by=`` returns).

May import: the base modules, ``custpool._model`` and ``custpool._tiers``. Other rooms use this
room only through the names below.
"""

from __future__ import annotations

from custpool._engine.breakdown import BY, Breakdown, By, Parts, Stack, owners
from custpool._engine.codes import (
    CHANNELS,
    CHURN_REASONS,
    COLUMN_DTYPES,
    COMPLAINT_REASONS,
    DIRECTIONS,
    ITEM_FIELD,
    KIND_CODE,
    KINDS,
    MAX_TIME,
    MIN_TIME,
    OUTBOUND,
    SOURCES,
    TIE_ORDER,
)
from custpool._engine.customer_tags import CustomerTags
from custpool._engine.events import EventTable, readonly
from custpool._engine.frame_columns import Rounding
from custpool._engine.frame_reader import Amounts, FrameRead, read_frame
from custpool._engine.ids import Ids
from custpool._engine.primitives import (
    NO_TIME,
    KindRows,
    RowSet,
    count_runs,
    first_connect,
    in_window,
    rate,
    run_ends,
    run_starts,
)
from custpool._engine.rules import check_currency
from custpool._engine.tier_table import TierTable, classify_table
from custpool._engine.window import Window, as_window, instant

__all__ = [
    "BY",
    "Breakdown",
    "By",
    "Parts",
    "Stack",
    "owners",
    "CustomerTags",
    "CHANNELS",
    "CHURN_REASONS",
    "COLUMN_DTYPES",
    "COMPLAINT_REASONS",
    "DIRECTIONS",
    "ITEM_FIELD",
    "KIND_CODE",
    "KINDS",
    "MIN_TIME",
    "MAX_TIME",
    "OUTBOUND",
    "SOURCES",
    "TIE_ORDER",
    "EventTable",
    "Amounts",
    "FrameRead",
    "Rounding",
    "read_frame",
    "Ids",
    "check_currency",
    "readonly",
    "NO_TIME",
    "count_runs",
    "first_connect",
    "in_window",
    "KindRows",
    "rate",
    "RowSet",
    "run_ends",
    "run_starts",
    "classify_table",
    "TierTable",
    "as_window",
    "instant",
    "Window",
]
