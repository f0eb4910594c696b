"""One frame column at a time, into a table column: labels, ids, times, amounts and small ints.

A frame column comes in as a ``pyarrow.ChunkedArray`` (see :func:`custpool._frames.arrow_table`)
and leaves as a numpy column of the event table's codes. Every value a column cannot take is
handed to a :class:`Breaches` with its row and the rule it breaks, so that the reader can either
raise for the first (``EventTable.from_frame``) or reject exactly those rows (``read_events``).
A column of the wrong type altogether (numbers where times belong) is not a row's fault: that
raises at once, naming the frame's column.

pyarrow is imported only by the functions here, never when custpool is imported.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np

from custpool._engine.codes import MAX_TIME, MIN_TIME
from custpool._errors import ValidationError, WrongTypeError
from custpool._fields import ID_MAX_LENGTH, check_identifier

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from numpy.typing import NDArray

Column = Any
"""A ``pyarrow.ChunkedArray`` (pyarrow is optional, so it is not named in annotations)."""

__all__ = [
    "Breaches",
    "Column",
    "decoded",
    "Rounding",
    "encode_ids",
    "integers",
    "labels",
    "minor_units",
    "money_parts",
    "times",
]

Rounding = Literal["half_even", "half_up"]
"""How an amount with more decimals than its currency has is rounded, when asked to be."""

_ROUNDING: Final = {"half_even": ROUND_HALF_EVEN, "half_up": ROUND_HALF_UP}
_ASCII_ID: Final = rf"^[!-~]{{1,{ID_MAX_LENGTH}}}$"
_NUMBER: Final = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*")
_OFFSET: Final = r"(Z|z|[+-]\d\d(:?\d\d)?)$"
_TIME_RANGE: Final = "must be from 1900-01-01 to before 2170-01-01 (UTC)"
_REQUIRED: Final = "is required (the cell is empty)"


def _pa() -> Column:
    import pyarrow as pa  # noqa: PLC0415 - optional: imported when a frame is read

    return pa


def _pc() -> Column:
    import pyarrow.compute as pc  # noqa: PLC0415 - optional: imported when a frame is read

    return pc


class Breaches:
    """The rows of a frame that break a rule: raised at once, or kept to reject those rows.

    ``show(column, row)`` returns the value to show for a row of a column (the frame's own
    cell). In strict mode :meth:`add` raises a :class:`~custpool.ValidationError` for the first
    row, naming the frame's column, the row (0-based), the value and the rule, and how many rows
    break it; otherwise it records them: :attr:`bad` marks every row with a breach.
    """

    __slots__ = ("bad", "found", "show", "strict")

    def __init__(self, rows: int, show: Callable[[str, int], object], *, strict: bool) -> None:
        self.bad: NDArray[np.bool_] = np.zeros(rows, dtype=np.bool_)
        self.found: list[tuple[str, NDArray[np.intp], str]] = []
        self.show = show
        self.strict = strict

    def add(self, column: str, rows: NDArray[np.bool_] | NDArray[np.intp], rule: str) -> None:
        """Record that ``rows`` (a mask or row numbers) break ``rule`` in ``column``."""
        where = np.flatnonzero(rows) if rows.dtype == np.bool_ else np.asarray(rows, np.intp)
        if not where.size:
            return
        if self.strict:
            first = int(where.min())
            more = (
                f" ({where.size} rows break this rule; the first is shown)"
                if where.size > 1
                else ""
            )
            raise ValidationError(f"{column}[{first}]", self.show(column, first), rule + more)
        self.found.append((column, where, rule))
        self.bad[where] = True


def decoded(values: Column) -> Column:
    """Return a dictionary column (pandas categoricals, polars Categorical) as its values.

    Each chunk's dictionary is decoded on its own (string views cast to large strings first:
    pyarrow cannot gather from a view dictionary); any other column is returned as it is.

    Examples
    --------
    >>> import pyarrow as pa
    >>> col = pa.chunked_array([pa.array(["b", "a", "b"]).dictionary_encode()])
    >>> decoded(col).to_pylist()
    ['b', 'a', 'b']
    """
    pa = _pa()
    if not pa.types.is_dictionary(values.type):
        return values
    chunks = []
    for chunk in values.chunks:
        dictionary = chunk.dictionary
        if _is_view(pa, dictionary.type):
            dictionary = dictionary.cast(pa.large_string())
        chunks.append(dictionary.take(chunk.indices))
    value_type = values.type.value_type
    if _is_view(pa, value_type):
        value_type = pa.large_string()
    return pa.chunked_array(chunks, type=value_type)


def _string_column(name: str, values: Column, what: str) -> Column:
    """Return ``values`` as a large_string ChunkedArray (dictionaries decoded, views cast)."""
    pa = _pa()
    values = decoded(values)
    kind = values.type
    if values.null_count == len(values):
        # no value at all: whatever type pandas guessed for it (an empty categorical, all None)
        return pa.chunked_array([pa.nulls(len(values), pa.large_string())])
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind) or _is_view(pa, kind)):
        raise WrongTypeError(name, f"column of {values.type}", f"must hold {what} as strings")
    return values.cast(pa.large_string())


def _is_view(pa: Any, kind: object) -> bool:  # noqa: ANN401 - pyarrow
    return bool(getattr(pa.types, "is_string_view", lambda _: False)(kind))


def _nulls(
    values: Column,
) -> NDArray[np.bool_]:
    mask: NDArray[np.bool_] = np.asarray(values.is_null(), dtype=np.bool_)
    return mask


def labels(
    name: str,
    values: Column,
    lookup: Mapping[str, int],
    breaches: Breaches,
    *,
    what: str,
) -> NDArray[np.int16]:
    """Return each row's code from ``lookup`` (keys lower-case), -1 for an empty cell.

    Values are matched after stripping blanks and lower-casing; a value ``lookup`` lacks is a
    breach ("must be one of ...").

    Examples
    --------
    >>> import pyarrow as pa
    >>> b = Breaches(3, lambda c, r: None, strict=False)
    >>> col = pa.chunked_array([[" Purchase", None, "gift"]])
    >>> labels("kind", col, {"purchase": 8}, b, what="kinds").tolist(), b.bad.tolist()
    ([8, -1, -1], [False, False, True])
    """
    pc = _pc()
    encoded = pc.dictionary_encode(_string_column(name, values, what)).combine_chunks()
    dictionary = encoded.dictionary.to_pylist()
    table = np.array(
        [lookup.get(str(v).strip().lower(), -2) for v in dictionary] + [-1], dtype=np.int16
    )
    indices = encoded.indices.fill_null(len(dictionary)).to_numpy(zero_copy_only=False)
    codes: NDArray[np.int16] = table[indices]
    known = ", ".join(sorted({k for k in lookup if k.isascii()}))
    breaches.add(name, codes == -2, f"must be one of {known}")
    codes[codes == -2] = -1
    return codes


def encode_ids(
    name: str,
    values: Column,
    breaches: Breaches,
) -> tuple[NDArray[np.int32], list[str]]:
    """Return each row's index into the column's valid ids, and those ids (sorted, unique).

    Integers are ids too (written in decimal). An invalid id (see
    :func:`~custpool._fields.check_identifier`) is a breach; empty cells and invalid ids get
    index -1.

    Examples
    --------
    >>> import pyarrow as pa
    >>> b = Breaches(4, lambda c, r: None, strict=False)
    >>> codes, ids = encode_ids("cid", pa.chunked_array([["c-b", "c-a", None, "c b"]]), b)
    >>> codes.tolist(), ids, b.bad.tolist()
    ([1, 0, -1, -1], ['c-a', 'c-b'], [False, False, False, True])
    """
    pa, pc = _pa(), _pc()
    values = decoded(values)
    if pa.types.is_integer(values.type):
        values = values.cast(pa.int64()).cast(pa.large_string())
    else:
        values = _string_column(name, values, "ids")
    encoded = pc.dictionary_encode(values).combine_chunks()
    dictionary = encoded.dictionary
    valid = np.asarray(pc.match_substring_regex(dictionary, _ASCII_ID), dtype=np.bool_)
    for position in np.flatnonzero(~valid):  # non-ASCII or broken: checked one by one
        try:
            check_identifier(dictionary[int(position)].as_py())
        except ValueError:
            continue
        valid[position] = True
    kept = dictionary.filter(pa.array(valid))
    order = np.asarray(pc.sort_indices(kept), dtype=np.int64)
    rank = np.full(len(dictionary) + 1, -1, dtype=np.int32)
    rank[np.flatnonzero(valid)[order]] = np.arange(order.shape[0], dtype=np.int32)
    indices = encoded.indices.fill_null(len(dictionary)).to_numpy(zero_copy_only=False)
    codes: NDArray[np.int32] = rank[indices]
    invalid = np.zeros(len(dictionary) + 1, dtype=np.bool_)
    invalid[: len(dictionary)] = ~valid
    rule = (
        f"an id must be 1-{ID_MAX_LENGTH} characters with no white space, control or "
        "invisible characters, in Unicode NFKC form"
    )
    breaches.add(name, invalid[indices], rule)
    ids: list[str] = kept.take(pa.array(order)).to_pylist()
    return codes, ids


def integers(
    name: str,
    values: Column,
    breaches: Breaches,
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Return whole numbers (integers, whole floats, or text of ASCII digits) and the empty cells.

    Text (a CSV read as text columns) is a whole number when it is optional white space, an
    optional sign and 1 to 18 ASCII digits; an empty or blank text cell is empty; anything else
    (``"7.5"``, ``"1_000"``, full-width digits) is a breach.

    Examples
    --------
    >>> import pyarrow as pa
    >>> b = Breaches(3, lambda c, r: None, strict=False)
    >>> ints, empty = integers("score", pa.chunked_array([[9.0, None, 7.5]]), b)
    >>> ints.tolist(), empty.tolist(), b.bad.tolist()
    ([9, 0, 0], [False, True, False], [False, False, True])
    >>> b = Breaches(4, lambda c, r: None, strict=False)
    >>> ints, empty = integers("score", pa.chunked_array([[" 10", "", "-3", "9.0"]]), b)
    >>> ints.tolist(), empty.tolist(), b.bad.tolist()
    ([10, 0, -3, 0], [False, True, False, False], [False, False, False, True])
    """
    pa = _pa()
    values = decoded(values)
    empty = _nulls(values)
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        return _whole_texts(name, values.cast(pa.large_string()), empty, breaches)
    if _is_view(pa, values.type):
        return _whole_texts(name, values.cast(pa.large_string()), empty, breaches)
    if pa.types.is_integer(values.type):
        out: NDArray[np.int64] = np.array(  # a copy: callers fill in the empty cells
            values.cast(pa.int64()).fill_null(0).to_numpy(), dtype=np.int64
        )
        return out, empty
    if not pa.types.is_floating(values.type):
        raise WrongTypeError(name, f"column of {values.type}", "must hold whole numbers")
    floats = np.array(values.cast(pa.float64()).fill_null(0.0).to_numpy(), dtype=np.float64)
    bad = ~np.isfinite(floats) | (floats != np.trunc(floats)) | (np.abs(floats) >= 2.0**62)
    breaches.add(name, bad, "must be a whole number")
    floats[bad] = 0.0
    return floats.astype(np.int64), empty


def _whole_texts(
    name: str, texts: Column, empty: NDArray[np.bool_], breaches: Breaches
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Read text cells as whole numbers (see :func:`integers`); a blank cell is empty."""
    pc = _pc()
    trimmed = pc.utf8_trim_whitespace(texts)
    blank = pc.equal(trimmed, "").fill_null(fill_value=False)
    empty = empty | np.asarray(blank.to_numpy(zero_copy_only=False), dtype=np.bool_)
    whole = pc.match_substring_regex(trimmed, r"^[+-]?[0-9]{1,18}$").fill_null(fill_value=False)
    ok = np.asarray(whole.to_numpy(zero_copy_only=False), dtype=np.bool_)
    breaches.add(name, ~ok & ~empty, "must be a whole number")
    cleaned = pc.if_else(whole, trimmed, "0")
    out: NDArray[np.int64] = np.array(
        pc.cast(cleaned, _pa().int64()).to_numpy(zero_copy_only=False), dtype=np.int64
    )
    return out, empty


def times(
    name: str,
    values: Column,
    timezone: str | None,
    breaches: Breaches,
) -> NDArray[np.int64]:
    """Return the instants as int64 microseconds since the epoch, UTC (0 for a rejected row).

    Timezone-aware datetimes of any unit are converted exactly; naive ones, and ISO 8601
    strings without an offset, are read in ``timezone`` (refused without it); a local time
    that does not exist or happens twice there (a daylight-saving change) is a breach, as is a
    time finer than a microsecond, outside 1900-2170, or empty. Numbers and dates are refused
    for the whole column: a number is never a time, and a date is a day, not an instant.

    Examples
    --------
    >>> import pyarrow as pa
    >>> b = Breaches(2, lambda c, r: None, strict=False)
    >>> col = pa.chunked_array([["2026-03-01 08:00:00", "2026-03-01T00:00:00Z"]])
    >>> times("at", col, "Asia/Shanghai", b).tolist()
    [1772323200000000, 1772323200000000]
    """
    pa = _pa()
    values = decoded(values)
    kind = values.type
    if pa.types.is_timestamp(kind):
        return _from_timestamps(name, values, timezone, breaches)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or _is_view(pa, kind):
        return _from_strings(name, values.cast(pa.large_string()), timezone, breaches)
    if pa.types.is_date(kind):
        rule = "must hold times, not dates: a date is a day, not an instant (add the time of day)"
    elif pa.types.is_integer(kind) or pa.types.is_floating(kind):
        rule = "must hold times (datetimes or ISO 8601 strings): a number is never read as a time"
    else:
        rule = "must hold times (datetimes or ISO 8601 strings)"
    raise WrongTypeError(name, f"column of {values.type}", rule)


def _from_timestamps(
    name: str, values: Column, timezone: str | None, breaches: Breaches
) -> NDArray[np.int64]:
    pa = _pa()
    kind = values.type
    empty = _nulls(values)
    breaches.add(name, empty, _REQUIRED)
    if kind.tz is None:
        if timezone is None:
            rule = (
                "holds times without a zone: pass timezone= (e.g. timezone='Asia/Shanghai') "
                "to say where they were taken, or make the column timezone-aware"
            )
            raise ValidationError(name, f"column of {kind}", rule)
        local = values.cast(pa.timestamp(kind.unit))
        values = _assume(name, local, timezone, breaches)
    elif timezone is not None:
        rule = f"carries its own zone ({kind.tz}); timezone= is for naive times only: leave it out"
        raise ValidationError("timezone", timezone, rule)
    raw = np.array(values.cast(pa.int64()).fill_null(0).to_numpy(), dtype=np.int64)
    scale = {"s": 1_000_000, "ms": 1_000, "us": 1, "ns": 1}[values.type.unit]
    if values.type.unit == "ns":
        fine = raw % 1000 != 0
        rule = (
            "is finer than a microsecond, the table's unit: round the column first "
            "(pandas: .dt.floor('us'); polars: .dt.truncate('1us'))"
        )
        breaches.add(name, fine & ~empty, rule)
        micros = raw // 1000
    else:
        limit = np.iinfo(np.int64).max // scale
        wide = np.abs(raw) > limit
        raw[wide] = 0
        micros = raw * scale
        micros[wide] = np.iinfo(np.int64).min
    return _in_range(name, micros, empty, breaches)


def _assume(name: str, local: Column, timezone: str, breaches: Breaches) -> Column:
    """Read naive times in ``timezone``; local times that are not one instant are breaches."""
    pc = _pc()
    early = pc.assume_timezone(local, timezone, ambiguous="earliest", nonexistent="earliest")
    late = pc.assume_timezone(local, timezone, ambiguous="latest", nonexistent="latest")
    differs = np.asarray(pc.fill_null(pc.not_equal(early, late), fill_value=False), dtype=np.bool_)
    rule = (
        f"is not one instant in {timezone} (a local time skipped or repeated by a "
        "daylight-saving change): give the time with its UTC offset"
    )
    breaches.add(name, differs, rule)
    return early


_ISO: Final = (
    r"^\s*\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d{1,9})?)?)?\s*(Z|z|[+-]\d\d(:?\d\d)?)?\s*$"
)


def _from_strings(
    name: str, values: Column, timezone: str | None, breaches: Breaches
) -> NDArray[np.int64]:
    pa, pc = _pa(), _pc()
    empty = _nulls(values)
    breaches.add(name, empty, _REQUIRED)
    text = pc.utf8_trim_whitespace(values.fill_null("1970-01-01T00:00:00Z"))
    shaped = np.asarray(pc.match_substring_regex(text, _ISO), dtype=np.bool_)
    with_offset = np.asarray(pc.match_substring_regex(text, _OFFSET), dtype=np.bool_)
    rule = "must be an ISO 8601 time such as 2026-03-01T10:00:00+08:00"
    micros = np.zeros(len(values), dtype=np.int64)
    unread = ~shaped
    for aware, wanted in ((True, shaped & with_offset), (False, shaped & ~with_offset)):
        rows = np.flatnonzero(wanted)
        if not rows.size:
            continue
        if not aware and timezone is None:
            offset_rule = (
                "has no UTC offset: write it (2026-03-01T10:00:00+08:00) or pass timezone= "
                "(e.g. timezone='Asia/Shanghai') to say where the times were taken"
            )
            breaches.add(name, rows, offset_rule)
            continue
        picked = text.take(pa.array(rows))
        target = pa.timestamp("ns", "UTC") if aware else pa.timestamp("ns")
        try:
            parsed = picked.cast(target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            parsed = _one_by_one(picked, target, rows, unread)
        if not aware:
            assert timezone is not None  # noqa: S101 - checked above
            parsed = _assume_rows(name, parsed, timezone, rows, breaches)
        nanos = np.asarray(parsed.cast(pa.int64()).fill_null(0).to_numpy(), dtype=np.int64)
        breaches.add(
            name,
            rows[nanos % 1000 != 0],
            "is finer than a microsecond, the table's unit: write at most 6 decimals",
        )
        micros[rows] = nanos // 1000
    breaches.add(name, unread & ~empty, rule)
    return _in_range(name, micros, empty | unread, breaches)


def _one_by_one(
    picked: Column, target: Column, rows: NDArray[np.intp], unread: NDArray[np.bool_]
) -> Column:
    """Cast each string alone, marking the ones pyarrow cannot read (a 13th month …)."""
    pa = _pa()
    out: list[int | None] = []  # as integers: a year past 9999 has no Python datetime
    for position, value in enumerate(picked.to_pylist()):
        try:
            out.append(pa.array([value]).cast(target).cast(pa.int64())[0].as_py())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OverflowError, ValueError):
            unread[rows[position]] = True
            out.append(None)
    return pa.array(out, type=pa.int64()).cast(target)


def _assume_rows(
    name: str,
    parsed: Column,
    timezone: str,
    rows: NDArray[np.intp],
    breaches: Breaches,
) -> Column:
    local = Breaches(len(parsed), breaches.show, strict=False)
    out = _assume(name, parsed, timezone, local)
    if breaches.strict and local.found:
        breaches.add(name, rows[local.found[0][1]], local.found[0][2])
    for column, where, rule in local.found:
        breaches.add(column, rows[where], rule)
    return out


def _in_range(
    name: str, micros: NDArray[np.int64], skip: NDArray[np.bool_], breaches: Breaches
) -> NDArray[np.int64]:
    outside = ((micros < MIN_TIME) | (micros >= MAX_TIME)) & ~skip
    breaches.add(name, outside, _TIME_RANGE)
    micros[outside | skip] = MIN_TIME
    return micros


def money_parts(name: str, values: Column) -> tuple[Column, Column]:
    """Split a column of money objects into its amounts and its currencies.

    custpool's own JSON Lines writes an amount as ``{"amount": "88.00", "currency": "CNY"}``;
    read as a frame, that is a struct column. A struct without those two fields is refused.

    Examples
    --------
    >>> import pyarrow as pa
    >>> money = pa.chunked_array([[{"amount": "88.00", "currency": "CNY"}, None]])
    >>> amount, currency = money_parts("amount", money)
    >>> amount.to_pylist(), currency.to_pylist()
    (['88.00', None], ['CNY', None])
    """
    pc = _pc()
    fields = {values.type.field(k).name for k in range(values.type.num_fields)}
    if not {"amount", "currency"} <= fields:
        rule = "must hold amounts, or money objects with 'amount' and 'currency'"
        raise WrongTypeError(name, f"column of {values.type}", rule)
    return pc.struct_field(values, "amount"), pc.struct_field(values, "currency")


def minor_units(  # noqa: PLR0913 - each option is one documented choice
    name: str,
    values: Column,
    digits: Sequence[int] | NDArray[np.integer[Any]],
    breaches: Breaches,
    *,
    major: bool,
    rounding: Rounding | None,
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Return the amounts in minor units, and where cells are empty.

    ``digits[row]`` is the number of minor-unit digits of the row's currency (2 for CNY). With
    ``major``, amounts are in major units (yuan) as decimals, strings, floats or integers, and
    the conversion is exact: a float is taken by its shortest repr (``51.23`` is 5123 fen, not
    the binary fraction under it), and an amount with more decimals than the currency has is a
    breach unless ``rounding`` says how to round it. Without ``major``, amounts are whole
    minor units.

    Examples
    --------
    >>> import pyarrow as pa
    >>> b = Breaches(4, lambda c, r: None, strict=False)
    >>> col = pa.chunked_array([[51.23, 0.1 + 0.2, None, 0.0]])
    >>> fen, empty = minor_units("amount", col, [2, 2, 2, 2], b, major=True, rounding=None)
    >>> fen.tolist(), empty.tolist(), b.bad.tolist()
    ([5123, 0, 0, 0], [False, False, True, False], [False, True, False, False])
    """
    pa = _pa()
    places: NDArray[np.int64] = np.asarray(digits, dtype=np.int64)
    values = decoded(values)
    empty = _nulls(values)
    kind = values.type
    if not major:
        out, _ = integers(name, values, breaches)
        return out, empty
    if pa.types.is_integer(kind):
        whole, _ = integers(name, values, breaches)
        return _scaled(name, whole, places, breaches), empty
    if pa.types.is_floating(kind):
        floats = np.asarray(values.cast(pa.float64()).fill_null(0.0).to_numpy(), dtype=np.float64)
        return _from_floats(name, floats, places, breaches, rounding), empty
    if (
        pa.types.is_decimal(kind)
        or pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or _is_view(pa, kind)
    ):
        texts = values.cast(pa.large_string()).fill_null("0").to_pylist()
        return _from_texts(name, texts, places, breaches, rounding), empty
    rule = "must hold amounts: numbers, decimals or strings such as '51.23'"
    raise WrongTypeError(name, f"column of {kind}", rule)


def _scaled(
    name: str, whole: NDArray[np.int64], digits: NDArray[np.int64], breaches: Breaches
) -> NDArray[np.int64]:
    factor = (10**digits).astype(np.int64)
    big = np.abs(whole) >= (2**62) // factor
    breaches.add(name, big, "is out of range")
    out: NDArray[np.int64] = np.where(big, 0, whole) * factor
    return out


def _from_floats(
    name: str,
    floats: NDArray[np.float64],
    digits: NDArray[np.int64],
    breaches: Breaches,
    rounding: Rounding | None,
) -> NDArray[np.int64]:
    finite = np.isfinite(floats) & (np.abs(floats) < 1e13)
    breaches.add(name, ~finite, "must be a finite amount below 10**13")
    safe = np.where(finite, floats, 0.0)
    factor = 10.0**digits
    scaled = np.rint(safe * factor)
    exact = scaled / factor == safe
    out = scaled.astype(np.int64)
    inexact = np.flatnonzero(~exact & finite)
    if inexact.size:
        shown = [repr(float(v)) for v in safe[inexact]]
        out[inexact] = _round_texts(
            name, shown, digits=digits[inexact], rows=inexact, breaches=breaches, rounding=rounding
        )
    out[~finite] = 0
    result: NDArray[np.int64] = out
    return result


def _from_texts(
    name: str,
    texts: list[str],
    digits: NDArray[np.int64],
    breaches: Breaches,
    rounding: Rounding | None,
) -> NDArray[np.int64]:
    rows = np.arange(len(texts))
    return _round_texts(name, texts, digits=digits, rows=rows, breaches=breaches, rounding=rounding)


def _round_texts(  # noqa: PLR0913
    name: str,
    texts: list[str],
    *,
    digits: NDArray[np.int64],
    rows: NDArray[np.intp],
    breaches: Breaches,
    rounding: Rounding | None,
) -> NDArray[np.int64]:
    """Return exact minor units of decimal texts; breaches for unreadable or over-precise ones."""
    out = np.zeros(len(texts), dtype=np.int64)
    unreadable: list[int] = []
    precise: list[int] = []
    for position, text in enumerate(texts):
        if _NUMBER.fullmatch(text) is None and not _scientific(text):
            unreadable.append(position)
            continue
        try:
            value = Decimal(text.strip())
        except InvalidOperation:
            unreadable.append(position)
            continue
        step = Decimal(1).scaleb(-int(digits[position]))
        rounded = value.quantize(step, rounding=_ROUNDING[rounding or "half_even"])
        if rounded != value and rounding is None:
            precise.append(position)
            continue
        minor = int(rounded.scaleb(int(digits[position])))
        if abs(minor) >= 2**62:
            unreadable.append(position)
            continue
        out[position] = minor
    breaches.add(name, rows[unreadable], "must be an amount such as 51.23 (digits, one point)")
    rule = (
        "has more decimals than the currency has (e.g. 2 for CNY): pass rounding='half_even' "
        "or rounding='half_up' to round, or fix the data"
    )
    breaches.add(name, rows[precise], rule)
    return out


def _scientific(text: str) -> bool:
    return re.fullmatch(r"\s*[+-]?\d+(\.\d*)?[eE][+-]?\d+\s*", text) is not None
