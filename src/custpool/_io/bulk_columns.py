"""Interaction rows as text columns, checked column-wise: the bulk reader's validation.

:func:`screen` looks at a block of rows that pyarrow parsed (one text column per
:class:`~custpool.Interaction` field; ``score`` an integer; the amount split into its text and
currency) and keeps the rows written in the canonical form every exporter uses — ASCII ids,
``2026-03-01T10:00:00Z``-style times, lower-case labels, decimal amounts within the currency's
places — whose values break no model rule. It returns those rows as table codes
(:class:`RowColumns`), and marks every other row. A marked row is not rejected here: the bulk
reader sends it through the row-by-row path (``Interaction.model_validate``), so it is accepted
or rejected with exactly the row path's messages.

The screen may only ever *pass a row the model accepts, with the values the model gives it*; it
may mark any row it is unsure of. ``tests/io/test_bulk_equals_rows.py`` holds the two paths to
that on drawn and corrupted files.

:func:`record_columns` turns the few rows the model accepted (the marked ones) into the same
codes, so both kinds of row meet in one set of columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import numpy as np

from custpool._engine import (
    CHANNELS,
    CHURN_REASONS,
    COMPLAINT_REASONS,
    DIRECTIONS,
    ITEM_FIELD,
    KIND_CODE,
    KINDS,
    SOURCES,
)
from custpool._model import (
    CURRENCY_MINOR_UNITS,
    KIND_FIELDS,
    KIND_RULES,
    Interaction,
    InteractionKind,
)
from custpool._time import to_micros

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from numpy.typing import NDArray

    from custpool._io.loading import Problem

__all__ = [
    "BLOCK_BYTES",
    "ID_FIELDS",
    "TEXT_FIELDS",
    "Block",
    "Pending",
    "RowColumns",
    "record_columns",
    "screen",
]

BLOCK_BYTES: Final = 1 << 23
"""Bytes the bulk readers read at a time (8 MiB): large enough for pyarrow to be quick, small
enough to hold."""
ID_FIELDS: Final = (
    "id",
    "customer_id",
    "order_id",
    "event_id",
    "content_id",
    "referred_id",
    "operator_id",
    "group_id",
)
"""The fields that hold ids."""
TEXT_FIELDS: Final = (
    *ID_FIELDS,
    "at",
    "kind",
    "direction",
    "channel",
    "source",
    "churn_reason",
    "complaint_reason",
)
"""The fields read as text (besides the amount's two parts and the integer score)."""
_TIME: Final = (
    r"^(?:19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?"
    r"(?:Z|[+-](?:0[0-9]|1[0-4]):[0-5][0-9])$"
)
"""The canonical ISO 8601 times: years 1900-2199, an offset; anything else goes row by row."""
_AMOUNT: Final = r"^(?:0|[1-9][0-9]{0,11})(?:\.[0-9]{1,3})?$"
"""Canonical amounts: no sign, no exponent, at most 12 whole digits and 3 decimals."""
_ID_LENGTH: Final = 128
_REFUND: Final = KIND_CODE[InteractionKind.REFUND]


class Pending(NamedTuple):
    """A row left to the row path: its line, and how to read it (data, its problems, or None).

    ``read()`` gives the row's data for ``Interaction.model_validate``, the problem(s) that
    refuse it before validation, or None for a row that is no row (a blank line).
    """

    number: int
    read: Callable[[], dict[str, Any] | Problem | list[Problem] | None]


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a file: rows parsed into columns for :func:`screen`, and rows left over.

    Attributes
    ----------
    table
        The parsed rows' columns (:data:`TEXT_FIELDS` as text, ``score`` as int64, ``amount``
        and ``currency`` as text), or None.
    lines
        Each parsed row's line.
    ready
        Which parsed rows the reader found fit for the screen (false: the row path reads it).
    pending
        The rows left to the row path from the start.
    fallback
        The row path's reading of parsed row ``i`` (for the rows the screen does not pass).
    """

    table: Any
    lines: NDArray[np.int64]
    ready: NDArray[np.bool_]
    pending: list[Pending]
    fallback: Callable[[int], Pending]


@dataclass(frozen=True, slots=True)
class RowColumns:
    """Rows as table codes, one entry per row; ids stay text (pyarrow arrays, None for none).

    ``amount`` is in minor units (0 without an amount); ``currency`` is None without one.
    """

    line: NDArray[np.int64]
    id: Any
    customer: Any
    time: NDArray[np.int64]
    kind: NDArray[np.int64]
    direction: NDArray[np.int64]
    channel: NDArray[np.int64]
    source: NDArray[np.int64]
    reason: NDArray[np.int64]
    amount: NDArray[np.int64]
    currency: Any
    referred: Any
    score: NDArray[np.int64]
    item: Any
    operator: Any
    group: Any


def _codes(pc: Any, values: Any, members: Sequence[str]) -> NDArray[np.int64]:  # noqa: ANN401
    """Return each value's index in ``members``, -1 for a null or another value."""
    found = pc.index_in(values, value_set=_pa().array(list(members), _pa().large_string()))
    return np.asarray(found.fill_null(-1), dtype=np.int64)


def _pa() -> Any:  # noqa: ANN401 - the module
    import pyarrow as pa  # noqa: PLC0415 - optional: only called once pyarrow is known

    return pa


def _true(flags: Any) -> NDArray[np.bool_]:  # noqa: ANN401 - a pyarrow boolean array
    """Return a boolean array with nulls as False."""
    return np.asarray(flags.fill_null(False), dtype=np.bool_)  # noqa: FBT003 - pyarrow's API


def _ids_ok(pc: Any, values: Any, *, required: bool) -> NDArray[np.bool_]:  # noqa: ANN401
    """Whether each cell is a canonical id (1-128 printable ASCII characters), or null."""
    length = np.asarray(pc.binary_length(values).fill_null(0), dtype=np.int64)
    present = np.asarray(values.is_valid(), dtype=np.bool_)
    ascii_ok = _true(pc.match_substring_regex(values, r"^[!-~]*$"))
    ok = (ascii_ok & (length >= 1) & (length <= _ID_LENGTH)) | ~present
    if required:
        ok &= present
    return np.asarray(ok, dtype=np.bool_)


def _times(pc: Any, values: Any) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:  # noqa: ANN401
    """Return canonical times in microseconds since the epoch (UTC), and which were canonical.

    A canonical time is fixed-width ASCII up to its seconds, so its digits are read straight
    from the column's bytes; the calendar (30 February, hour 24) is checked on the numbers.
    """
    ok = _true(pc.match_substring_regex(values, _TIME))
    n = len(values)
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int64)[values.offset :][: n + 1]
    # padded, so that reading a short cell's digits (masked out by ``ok``) stays in bounds
    data = np.frombuffer(bytes(values.buffers()[2] or b"") + bytes(32), dtype=np.uint8)
    start = np.where(ok, offsets[:n], 0)
    end = np.where(ok, offsets[1:], 0)

    def digits(first: int, count: int, base: NDArray[np.int64] = start) -> NDArray[np.int64]:
        number = np.zeros(n, dtype=np.int64)
        for k in range(count):
            number = number * 10 + (data[base + first + k].astype(np.int64) - 48)
        return np.where(ok, number, 0)

    year, month, day = digits(0, 4), digits(5, 2), digits(8, 2)
    hour, minute, second = digits(11, 2), digits(14, 2), digits(17, 2)
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    month_days = np.array([31, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
    last = month_days[np.clip(month, 0, 12)] + ((month == 2) & leap)
    ok &= (month >= 1) & (month <= 12) & (day >= 1) & (day <= last)
    ok &= (hour <= 23) & (minute <= 59) & (second <= 59)
    utc = data[np.maximum(end - 1, 0)] == ord("Z")
    zone_at = end - 6
    sign = np.where(data[np.maximum(zone_at, 0)] == ord("-"), -1, 1)
    offset = sign * (digits(1, 2, zone_at) * 60 + digits(4, 2, zone_at))
    offset = np.where(utc, 0, offset)
    fraction_end = np.where(utc, end - 1, end - 6)
    places = np.maximum(fraction_end - start - 20, 0)  # digits after "ss."
    micros = np.zeros(n, dtype=np.int64)
    for k in range(6):
        present = k < places
        digit = data[np.where(present, start + 20 + k, 0)].astype(np.int64) - 48
        micros = micros * 10 + np.where(present, digit, 0)
    days = _days_from_civil(year, month, day)
    seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset * 60
    return np.where(ok, seconds * 1_000_000 + micros, 0), ok


def _days_from_civil(
    year: NDArray[np.int64], month: NDArray[np.int64], day: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Return days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm)."""
    y = year - (month <= 2)
    era = np.floor_divide(y, 400)
    year_of_era = y - era * 400
    day_of_year = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    days: NDArray[np.int64] = era * 146_097 + day_of_era - 719_468
    return days


def _amounts(
    pc: Any,  # noqa: ANN401
    texts: Any,  # noqa: ANN401
    currencies: Any,  # noqa: ANN401
) -> tuple[NDArray[np.int64], NDArray[np.bool_], NDArray[np.bool_]]:
    """Return amounts in minor units, which rows have one, and which are canonical (or none)."""
    pa = _pa()
    present = np.asarray(texts.is_valid(), dtype=np.bool_)
    known = sorted(CURRENCY_MINOR_UNITS)
    code = _codes(pc, currencies, known)
    places = np.array([CURRENCY_MINOR_UNITS[c] for c in known] + [-1], dtype=np.int64)[code]
    shape = _true(pc.match_substring_regex(texts, _AMOUNT))
    clean = pc.if_else(pa.array(shape), texts, pa.scalar("0", texts.type))
    parts = pc.extract_regex(clean, r"^(?P<whole>[0-9]+)(?:\.(?P<fraction>[0-9]+))?$")
    whole = np.asarray(pc.cast(pc.struct_field(parts, [0]), pa.int64()), dtype=np.int64)
    fraction = pc.struct_field(parts, [1])
    decimals = np.asarray(pc.utf8_length(fraction), dtype=np.int64)
    ok = shape & (code >= 0) & (decimals <= places)
    scale = np.maximum(places, 0)
    # the decimals as thousandths ("5" is 500); exact in the currency's places where ok
    thousandths = np.asarray(pc.cast(pc.utf8_rpad(fraction, 3, "0"), pa.int64()), dtype=np.int64)
    units = whole * 10**scale + thousandths // 10 ** (3 - scale)
    ok = np.where(present, ok, ~np.asarray(currencies.is_valid(), dtype=np.bool_))
    return np.where(ok & present, units, 0), present & ok, ok


def screen(table: Any, lines: NDArray[np.int64]) -> tuple[RowColumns, NDArray[np.bool_]]:  # noqa: ANN401
    """Return the canonical rows of ``table`` as codes (all rows, in order), and which they are.

    ``table`` has a text column per :data:`TEXT_FIELDS`, ``score`` (int64) and ``amount`` and
    ``currency`` (text); ``lines`` gives each row's line. Codes of rows that are not canonical
    are meaningless: callers keep only the rows marked true.
    """
    import pyarrow.compute as pc  # noqa: PLC0415 - optional: the caller imported pyarrow

    col = {name: table.column(name).combine_chunks() for name in table.column_names}
    ok = _ids_ok(pc, col["id"], required=True) & _ids_ok(pc, col["customer_id"], required=True)
    for name in ID_FIELDS[2:]:
        ok &= _ids_ok(pc, col[name], required=False)
    time, good_time = _times(pc, col["at"])
    ok &= good_time
    kind = _codes(pc, col["kind"], [k.value for k in KINDS])
    ok &= kind >= 0
    kind_at = np.maximum(kind, 0)
    direction = _codes(pc, col["direction"], [d.value for d in DIRECTIONS])
    channel = _codes(pc, col["channel"], [c.value for c in CHANNELS])
    given = {name: np.asarray(col[name].is_valid(), dtype=np.bool_) for name in col}
    ok &= (direction >= 0) | ~given["direction"]
    ok &= (channel >= 0) | ~given["channel"]
    amount, has_amount, amount_ok = _amounts(pc, col["amount"], col["currency"])
    ok &= amount_ok
    score = np.asarray(col["score"].fill_null(-1), dtype=np.int64)
    ok &= (score <= 10) & (score >= -1)
    codes = {
        "source": _codes(pc, col["source"], [s.value for s in SOURCES]),
        "churn_reason": _codes(pc, col["churn_reason"], [r.value for r in CHURN_REASONS]),
        "complaint_reason": _codes(
            pc, col["complaint_reason"], [r.value for r in COMPLAINT_REASONS]
        ),
    }
    for name, values in codes.items():
        ok &= (values >= 0) | ~given[name]
    for kind_value, rule in KIND_RULES.items():
        rows = kind == KIND_CODE[kind_value]
        if not rows.any():
            continue
        for name in KIND_FIELDS:
            present = given[name]
            if name in rule.required:
                ok[rows & ~present] = False
            elif name not in rule.allowed:
                ok[rows & present] = False
        allowed = np.zeros(len(DIRECTIONS), dtype=np.bool_)
        allowed[[DIRECTIONS.index(d) for d in rule.directions]] = True
        if len(rule.directions) == 1:
            direction[rows & ~given["direction"]] = DIRECTIONS.index(rule.directions[0])
        else:
            ok[rows & ~given["direction"]] = False
        ok[rows & ~allowed[np.maximum(direction, 0)]] = False
        if rule.channel is None:
            ok[rows & ~given["channel"]] = False
        else:
            fixed = CHANNELS.index(rule.channel)
            ok[rows & given["channel"] & (channel != fixed)] = False
            channel[rows & ~given["channel"]] = fixed
    # a purchase's amount is never negative (the canonical form has no sign); a refund's is > 0
    ok &= ~((kind == _REFUND) & has_amount & (amount <= 0))
    referred = col["referred_id"]
    same = _true(pc.equal(referred, col["customer_id"]))
    ok &= ~same
    item = _item_column(pc, col, kind_at)
    reason = np.where(codes["churn_reason"] >= 0, codes["churn_reason"], codes["complaint_reason"])
    rows = RowColumns(
        line=np.asarray(lines, dtype=np.int64),
        id=col["id"],
        customer=col["customer_id"],
        time=time,
        kind=kind_at,
        direction=direction,
        channel=channel,
        source=codes["source"],
        reason=reason,
        amount=amount,
        currency=pc.if_else(
            _pa().array(has_amount), col["currency"], _pa().scalar(None, col["currency"].type)
        ),
        referred=referred,
        score=score,
        item=item,
        operator=col["operator_id"],
        group=col["group_id"],
    )
    return rows, ok


def _item_column(pc: Any, col: dict[str, Any], kind: NDArray[np.int64]) -> Any:  # noqa: ANN401
    """Return each row's item id: its order, event or content id, as its kind has one."""
    pa = _pa()
    field_of = np.full(len(KINDS), -1, dtype=np.int64)
    names = ("order_id", "event_id", "content_id")
    for kind_value, field in ITEM_FIELD.items():
        field_of[KIND_CODE[kind_value]] = names.index(field)
    which = field_of[kind]
    item = pa.nulls(len(kind), pa.large_string())
    for position, name in enumerate(names):
        item = pc.if_else(pa.array(which == position), col[name].cast(pa.large_string()), item)
    return item


def record_columns(records: Sequence[Interaction], lines: Sequence[int]) -> RowColumns:
    """Return validated interactions as the same codes as :func:`screen` gives."""
    pa = _pa()

    def ints(values: list[int]) -> NDArray[np.int64]:
        return np.array(values, dtype=np.int64).reshape(len(records))

    def texts(values: list[str | None]) -> Any:  # noqa: ANN401
        return pa.array(values, pa.large_string())

    def reason(row: Interaction) -> int:
        if row.churn_reason is not None:
            return CHURN_REASONS.index(row.churn_reason)
        if row.complaint_reason is not None:
            return COMPLAINT_REASONS.index(row.complaint_reason)
        return -1

    def item(row: Interaction) -> str | None:
        field = ITEM_FIELD.get(row.kind)
        value: str | None = getattr(row, field) if field else None
        return value

    return RowColumns(
        line=ints(list(lines)),
        id=texts([r.id for r in records]),
        customer=texts([r.customer_id for r in records]),
        time=ints([to_micros(r.at) for r in records]),
        kind=ints([KIND_CODE[r.kind] for r in records]),
        direction=ints([DIRECTIONS.index(r.direction) for r in records]),
        channel=ints([CHANNELS.index(r.channel) for r in records]),
        source=ints([-1 if r.source is None else SOURCES.index(r.source) for r in records]),
        reason=ints([reason(r) for r in records]),
        amount=ints([0 if r.amount is None else r.amount.minor_units for r in records]),
        currency=texts([None if r.amount is None else r.amount.currency for r in records]),
        referred=texts([r.referred_id for r in records]),
        score=ints([-1 if r.score is None else r.score for r in records]),
        item=texts([item(r) for r in records]),
        operator=texts([r.operator_id for r in records]),
        group=texts([r.group_id for r in records]),
    )
