"""The codes of the event table: what each integer in a column means, and the kind rules as lookups.

Every column of an :class:`~custpool.EventTable` holds small integers; this module says what they
are (``KINDS[code]``, ``CHANNELS[code]`` …), which columns a table has and in which order its rows
tie-break, which times it holds, and the kind rules of :data:`~custpool.KIND_RULES` as numpy
lookup arrays indexed by kind code (allowed directions, default direction, fixed channel, rows
that carry money or an item). One home for all of them: the table, its checks and every reader
of the table use these names.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from custpool._model import (
    KIND_RULES,
    Channel,
    ChurnReason,
    ComplaintReason,
    Direction,
    InteractionKind,
    SourceChannel,
)
from custpool._time import to_micros

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = [
    "CHANNELS",
    "CHURN_REASONS",
    "COLUMNS",
    "COLUMN_DTYPES",
    "COMPLAINT_REASONS",
    "DEFAULT_DIRECTION",
    "DIRECTIONS",
    "DIRECTION_ALLOWED",
    "FIXED_CHANNEL",
    "ITEM_FIELD",
    "ITEM_OPTIONAL",
    "ITEM_REQUIRED",
    "KINDS",
    "KIND_CODE",
    "MAX_TIME",
    "MIN_TIME",
    "MONEY_DIGITS",
    "MONEY_KINDS",
    "OTHER_CHANNEL",
    "OUTBOUND",
    "SOURCES",
    "TIE_ORDER",
    "kind_flags",
]

KINDS: Final = tuple(InteractionKind)
"""Kind codes: ``KINDS[code]`` is the kind stored as ``code`` in the ``kind`` column."""
KIND_CODE: Final = {kind: code for code, kind in enumerate(KINDS)}
"""The code of each kind."""
DIRECTIONS: Final = tuple(Direction)
"""Direction codes: INBOUND = 0, OUTBOUND = 1, PEER = 2."""
OUTBOUND: Final = DIRECTIONS.index(Direction.OUTBOUND)
"""The one direction code that is not customer-initiated."""
CHANNELS: Final = tuple(Channel)
"""Channel codes."""
SOURCES: Final = tuple(SourceChannel)
"""Source-channel codes (the ``source`` column of CONNECT rows)."""
CHURN_REASONS: Final = tuple(ChurnReason)
COMPLAINT_REASONS: Final = tuple(ComplaintReason)

# Times a table accepts: wide enough for any CRM's history, narrow enough that adding or taking
# any policy window (at most a few centuries) can never overflow int64 microseconds.
MIN_TIME: Final = to_micros(datetime(1900, 1, 1, tzinfo=UTC))
"""The earliest time a table holds (1900-01-01 UTC), in microseconds."""
MAX_TIME: Final = to_micros(datetime(2170, 1, 1, tzinfo=UTC))
"""The time every row must be before (2170-01-01 UTC), in microseconds."""

_PURCHASE: Final = KIND_CODE[InteractionKind.PURCHASE]
_REFUND: Final = KIND_CODE[InteractionKind.REFUND]
MONEY_KINDS: Final = (_PURCHASE, _REFUND)
ITEM_REQUIRED: Final = (*MONEY_KINDS, KIND_CODE[InteractionKind.EVENT_ATTEND])
ITEM_OPTIONAL: Final = (
    KIND_CODE[InteractionKind.CONTENT_VIEW],
    KIND_CODE[InteractionKind.REACTION],
)
ITEM_FIELD: Final = {
    InteractionKind.PURCHASE: "order_id",
    InteractionKind.REFUND: "order_id",
    InteractionKind.EVENT_ATTEND: "event_id",
    InteractionKind.CONTENT_VIEW: "content_id",
    InteractionKind.REACTION: "content_id",
}
MONEY_DIGITS: Final = 15  # Money holds amounts below 10**15 units of its currency


def _lookup(table: dict[InteractionKind, tuple[int, ...]], size: int) -> NDArray[np.bool_]:
    allowed = np.zeros((len(KINDS), size), dtype=np.bool_)
    for kind, codes in table.items():
        allowed[KIND_CODE[kind], list(codes)] = True
    return allowed


def kind_flags(codes: tuple[int, ...]) -> NDArray[np.bool_]:
    """Return a lookup array: ``kind_flags(codes)[kind_column]`` masks the rows of ``codes``."""
    flags = np.zeros(len(KINDS), dtype=np.bool_)
    flags[list(codes)] = True
    return flags


DIRECTION_ALLOWED: Final = _lookup(
    {k: tuple(DIRECTIONS.index(d) for d in r.directions) for k, r in KIND_RULES.items()},
    len(DIRECTIONS),
)
DEFAULT_DIRECTION: Final = np.array(
    [
        DIRECTIONS.index(r.directions[0]) if len(r.directions) == 1 else -1
        for r in KIND_RULES.values()
    ],
    dtype=np.int8,
)
FIXED_CHANNEL: Final = np.array(
    [-1 if r.channel is None else CHANNELS.index(r.channel) for r in KIND_RULES.values()],
    dtype=np.int8,
)
OTHER_CHANNEL: Final = CHANNELS.index(Channel.OTHER)


COLUMNS: Final = (
    "customer",
    "time",
    "kind",
    "direction",
    "channel",
    "source",
    "reason",
    "amount",
    "referred",
    "score",
    "item",
    "operator",
    "group",
)
"""The column names, in order."""

TIE_ORDER: Final = ("kind", "score", *(c for c in COLUMNS[3:] if c != "score"))
"""The columns that order the rows of one customer at one instant, in this order, ascending.

Rows are sorted by customer, then time, then these columns: kind, **score**, then the others in
column order (direction, channel, source, reason, amount, referred, item, operator, group).
Ties are broken by content only, so a table never depends on its input order. Score comes right
after kind so that among NPS answers given at one instant the highest score is the latest row,
whatever their channels — as :func:`~custpool.classify` orders them.
"""


COLUMN_DTYPES: Final[dict[str, type[np.signedinteger[Any]]]] = {
    "customer": np.int32,
    "time": np.int64,
    "kind": np.int8,
    "direction": np.int8,
    "channel": np.int8,
    "source": np.int8,
    "reason": np.int8,
    "amount": np.int64,
    "referred": np.int32,
    "score": np.int8,
    "item": np.int32,
    "operator": np.int32,
    "group": np.int32,
}
"""The dtype of each column."""
