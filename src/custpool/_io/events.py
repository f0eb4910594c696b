"""Reading an interactions file straight into an :class:`EventTable`, with every rejection kept.

The rows go through the same validation as :func:`~custpool.read_jsonl` and
:func:`~custpool.read_csv` (so a row is rejected for the same reasons, with the same messages);
on top of that, a table holds one currency, only referrals to its own customers, only times from
1900 to 2170 and amounts that sum within int64, so rows breaking those rules are rejected too,
with their lines — as is any other row the table would refuse. Nothing is lost silently, and one
bad row never stops the load::

    rows_read == rows_accepted + rows_rejected
    rows_accepted == len(table) + duplicates_dropped
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal, cast

from custpool._display import Ticker, check_progress
from custpool._engine import MAX_TIME, MIN_TIME, EventTable
from custpool._errors import ValidationError, safe_repr, wrong_argument
from custpool._fields import check_identifier
from custpool._io.bulk_columns import BLOCK_BYTES
from custpool._io.bulk_csv import csv_blocks, simple_header
from custpool._io.bulk_events import (
    AMOUNT_LIMIT,
    AMOUNT_RULE,
    TIME_RULE,
    UNKNOWN_REFERRED,
    RowPathNeeded,
    bulk_events,
)
from custpool._io.bulk_jsonl import jsonl_blocks, pyarrow_modules
from custpool._io.csv import collect_csv
from custpool._io.frame_events import COLUMNAR_SUFFIXES, arrow_file, load_frame, text_table
from custpool._io.jsonl import collect_jsonl
from custpool._io.loading import (
    Problem,
    Rejection,
    RowCounts,
    check_counts,
    check_flag,
    check_limit,
    load_error,
    open_source,
)
from custpool._io.watched import watched
from custpool._model import CURRENCY_MINOR_UNITS, Interaction
from custpool._time import to_micros

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping
    from datetime import datetime
    from typing import Any, BinaryIO

    from custpool._display import Progress
    from custpool._engine import Amounts, Rounding
    from custpool._io.bulk_columns import Block
    from custpool._io.loading import Source

__all__ = ["EventLoad", "read_events"]

Format = Literal["jsonl", "csv", "parquet", "arrow"]
_SUFFIXES: Final = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
_FRAME_OPTIONS: Final = ("columns", "kind", "direction", "channel", "timezone", "rounding")
"""Options that only a frame reading has: given for a text file, it is read as a frame."""
_COLUMN_FIELDS: Final = {"time": "at", "customer": "customer_id", "referred": "referred_id"}
"""Interaction fields of the table's columns whose names differ."""


@dataclass(frozen=True, slots=True)
class EventLoad(RowCounts):
    """What :func:`read_events` read: the table, the rejected rows and counts that add up.

    Attributes
    ----------
    table
        The accepted interactions as an :class:`~custpool.EventTable` (None if no row was
        accepted and no customer was given: a table needs a customer).
    rejections
        Every rejected row with its line and problems, in file order.
    duplicates_dropped
        Rows that repeated an earlier row exactly.
    source
        The file's name, when known.

    Notes
    -----
    :meth:`rejections_frame` gives the rejections as a data frame, one row per problem.
    """

    table: EventTable | None
    rejections: tuple[Rejection, ...]
    duplicates_dropped: int
    source: str | None

    def __post_init__(self) -> None:
        """Refuse fields of the wrong type and a negative count of duplicates."""
        if self.table is not None and not isinstance(self.table, EventTable):
            raise wrong_argument("table", self.table, "must be an EventTable or None")
        check_counts(self.rejections, self.duplicates_dropped, self.source)

    def kept(self) -> int:
        """Return the number of events in the table."""
        return 0 if self.table is None else len(self.table)

    def summary(self) -> str:
        """Return one line with the counts."""
        where = f"{self.source}: " if self.source else ""
        return (
            f"{where}{self.rows_read} rows read ({self.rows_accepted} accepted, "
            f"{self.rows_rejected} rejected); {self.kept()} events in the table, "
            f"{self.duplicates_dropped} identical duplicates dropped"
        )


def _format_of(source: Source, fmt: object) -> str:
    if fmt is not None:
        if not isinstance(fmt, str):
            raise wrong_argument(
                "format", fmt, "must be 'jsonl', 'csv', 'parquet', 'arrow' or None"
            )
        if fmt not in ("jsonl", "csv", "parquet", "arrow"):
            raise ValidationError("format", fmt, "must be 'jsonl', 'csv', 'parquet' or 'arrow'")
        return fmt
    suffix = ""
    if isinstance(source, str | os.PathLike):
        suffix = Path(os.fsdecode(source)).suffix.lower()
    if suffix in COLUMNAR_SUFFIXES:
        return COLUMNAR_SUFFIXES[suffix]
    if suffix not in _SUFFIXES:
        rule = (
            "cannot be told from the file name; pass format= ('jsonl', 'csv', 'parquet' or 'arrow')"
        )
        raise ValidationError("format", None, rule)
    return _SUFFIXES[suffix]


def _check_currency(currency: object) -> str | None:
    """Return the currency code upper-cased, as :class:`~custpool.Money` writes it."""
    if currency is None:
        return None
    if not isinstance(currency, str):
        raise wrong_argument(
            "currency", currency, "must be an ISO 4217 code such as 'CNY', or None"
        )
    code = currency.strip().upper()
    if code not in CURRENCY_MINOR_UNITS:
        rule = "must be an ISO 4217 currency code custpool knows (e.g. CNY, USD, EUR)"
        raise ValidationError("currency", currency, rule)
    return code


def _check_customers(customers: object) -> list[str]:
    """Return the extra customer ids as checked ids; refuse one str (it is not a list of ids)."""
    rule = "must be a collection of customer ids, such as a list of str (not one str)"
    if isinstance(customers, str | bytes):
        raise wrong_argument("customers", customers, rule)
    try:
        given = list(customers)  # type: ignore[call-overload]
    except TypeError:
        raise wrong_argument("customers", customers, rule) from None
    ids = []
    for position, value in enumerate(given):
        if not isinstance(value, str):
            raise wrong_argument(f"customers[{position}]", value, "must be a customer id (a str)")
        try:
            ids.append(check_identifier(value))
        except ValueError as exc:
            raise ValidationError(f"customers[{position}]", value, str(exc)) from None
    return ids


def _shown_time(at: datetime) -> str:
    return safe_repr(at.isoformat().replace("+00:00", "Z"))


def _table_problems(
    records: tuple[Interaction, ...], lines: list[int], currency: str | None, known: set[str]
) -> tuple[dict[int, list[Problem]], str | None]:
    """Return the problems of the rows the table would refuse, by line, and its currency.

    In file order: a time the table cannot hold; an amount in another currency than the
    table's (``currency``, or else that of the first row with an amount and no problem); a
    referral to a customer not in ``known``; an amount that would take the total past int64.
    A row with a problem sets no currency and adds nothing to the total, so one rejection
    never causes another.
    """
    first: tuple[str, int] | None = None if currency is None else (currency, -1)
    total = 0
    problems: dict[int, list[Problem]] = {}
    for record, line in zip(records, lines, strict=True):
        found = []
        if not MIN_TIME <= to_micros(record.at) < MAX_TIME:
            found.append(Problem("at", _shown_time(record.at), TIME_RULE))
        amount = record.amount
        if amount is not None:
            if first is not None and amount.currency != first[0]:
                origin = "given as currency=" if first[1] < 0 else f"from line {first[1]}"
                rule = f"must be the table's one currency, {first[0]} ({origin})"
                found.append(Problem("amount.currency", safe_repr(amount.currency), rule))
            elif first is None and not found:
                first = (amount.currency, line)
        if record.referred_id is not None and record.referred_id not in known:
            found.append(Problem("referred_id", safe_repr(record.referred_id), UNKNOWN_REFERRED))
        if amount is not None and not found:
            units = abs(amount.minor_units)
            if total + units > AMOUNT_LIMIT:
                found.append(Problem("amount", safe_repr(str(amount)), AMOUNT_RULE))
            else:
                total += units
        if found:
            problems[line] = found
    return problems, None if first is None else first[0]


def _mentioned(rows: list[tuple[Interaction, int]]) -> list[str]:
    """Return the customers a set of rows needs in its table: its own and those it refers."""
    ids = {r.customer_id for r, _ in rows}
    ids.update(r.referred_id for r, _ in rows if r.referred_id is not None)
    return sorted(ids)


def _refusal(exc: ValidationError) -> Problem:
    """Turn the table's refusal of one row into a problem named after the row's field."""
    field = re.sub(r"^interactions\[\d+\]\.", "", exc.field)  # from_interactions' names
    field = re.sub(r"\[\d+\]$", "", field)  # from_arrays' column names: time[0]
    return Problem(_COLUMN_FIELDS.get(field, field), exc.shown_value, exc.rule)


def _isolate(rows: list[tuple[Interaction, int]], currency: str | None) -> dict[int, Problem]:
    """Return the rows the table refuses each on their own, found by halving the rows.

    The safety net under :func:`_table_problems`: only called when the table refuses rows that
    passed every rule read_events knows, it finds each such row in about ``log2(len(rows))``
    builds per row, whatever rule the table applies to single rows.
    """
    if not rows:
        return {}
    try:
        EventTable.from_interactions(
            [r for r, _ in rows], customers=_mentioned(rows), currency=currency
        )
    except ValidationError as exc:
        if len(rows) == 1:
            return {rows[0][1]: _refusal(exc)}
    else:
        return {}
    middle = len(rows) // 2
    return _isolate(rows[:middle], currency) | _isolate(rows[middle:], currency)


def read_events(  # noqa: PLR0913 - keyword-only options, each documented
    source: Source | object,
    *,
    format: Format | None = None,  # noqa: A002 - the word users look for
    currency: str | None = None,
    customers: Iterable[str] = (),
    strict: bool = False,
    max_row_bytes: int = 1_048_576,
    columns: Mapping[str, str | None] | None = None,
    kind: str | None = None,
    direction: str | None = None,
    channel: str | None = None,
    timezone: str | None = None,
    amounts: Amounts = "major",
    rounding: Rounding | None = None,
    progress: Progress | None = None,
) -> EventLoad:
    r"""Read interactions from a file or a frame into an :class:`~custpool.EventTable`.

    **Frames, Parquet and Arrow files** (a pandas, polars or pyarrow frame; ``.parquet``,
    ``.arrow``, ``.feather``) are read as :meth:`EventTable.from_frame
    <custpool.EventTable.from_frame>` reads them — the same options, ``columns``, ``kind``,
    ``direction``, ``channel``, ``timezone``, ``amounts``, ``rounding`` — but every bad row is
    rejected with its 0-based ``row`` (``line`` is ``row + 1``), the frame's column, the value
    and the rule, and the rest is kept. A **JSON Lines or CSV file given any of those options**
    is read the same way, as a table of text columns (so its own column names and values as
    exported can be mapped); a CSV record with the wrong number of cells is rejected by line,
    and a file pyarrow cannot split at all is refused whole. Such reads need the ``frames``
    extra. Without those options, a JSON Lines or CSV file is read row by row as follows.

    Each row is validated as :func:`~custpool.read_jsonl` / :func:`~custpool.read_csv` do (the
    same rejections, messages and duplicate handling). Then, in file order, a row is also
    rejected when the table could not hold it:

    - its time is before 1900-01-01 or not before 2170-01-01 (UTC), the times a table holds
      (placeholder dates such as ``0001-01-01`` land here);
    - its amount is in another currency than the table's (``currency``, or else that of the
      first row with an amount and no other problem);
    - it refers a customer who has no accepted row and is not in ``customers``;
    - its amount would take the sum of the table's amounts past ``2**63 - 1`` minor units.

    Any other row the table refuses is found and rejected too, with its line, so one row never
    stops the load. A row rejected for one of these rules sets no currency and adds nothing to
    the total, so it causes no other rejection.

    Parameters
    ----------
    source
        A path, or a file object opened in binary mode.
    format
        ``"jsonl"``, ``"csv"``, ``"parquet"`` or ``"arrow"``; by default told from the path's
        suffix (``.jsonl``, ``.ndjson``, ``.csv``, ``.parquet``, ``.pq``, ``.arrow``,
        ``.feather``, ``.ipc``). Not needed for a frame.
    currency
        The table's currency (an ISO 4217 code, in any case); by default that of the first
        accepted amount.
    customers
        Customer ids to include even without rows (e.g. the pool's members): a list, set or
        other collection of ids, not one str.
    strict
        Raise :class:`~custpool.LoadError` at the first rejected row: a row that cannot be
        read raises as it is read; the table's rules are checked once every row is read, and
        the first row (by line) breaking one raises.
    max_row_bytes
        Longest JSON line, or longest CSV cell in characters (row-by-row reading).
    columns, kind, direction, channel, timezone, amounts, rounding
        As for :meth:`EventTable.from_frame <custpool.EventTable.from_frame>`: the column
        mapping, constants for one-kind exports, the zone of naive times, the unit of amounts
        and their rounding.
    progress
        A callback ``progress(done, total)`` (see :class:`~custpool.Progress`). A JSON Lines
        or CSV file read row by row reports the bytes read of its size (None while unknown,
        for a stream that cannot seek): ``(0, size)`` first, then at most about a hundred
        calls, and ``(size, size)`` once the table is built. A frame, a Parquet or Arrow file
        or a mapped text file, read column-wise at once, reports ``(0, 1)`` then ``(1, 1)``.
        The load is the same with or without it.

    Returns
    -------
    EventLoad

    Raises
    ------
    custpool.WrongTypeError
        If an argument has the wrong type (``currency=123``, ``customers="c-9"``).
    custpool.ValidationError
        If ``format`` cannot be told, ``currency`` is not a known code, an id in
        ``customers`` is not an id, or ``max_row_bytes`` is below 1; also the table's own
        error should it refuse the accepted rows as a whole for a rule no single row breaks
        (none does today: the one such rule, the int64 total, is checked row by row).
    custpool.LoadError
        In strict mode, for the first rejected row; also for an unusable CSV header.

    Examples
    --------
    >>> import io
    >>> data = (
    ...     b'{"id":"i-1","customer_id":"c-1","at":"2026-03-01T10:00:00Z","kind":"purchase",'
    ...     b'"channel":"store","order_id":"o-1","amount":{"amount":"10","currency":"CNY"}}\n'
    ...     b'{"id":"i-2","customer_id":"c-1","at":"2026-03-02T10:00:00Z","kind":"purchase",'
    ...     b'"channel":"store","order_id":"o-2","amount":{"amount":"3","currency":"USD"}}\n'
    ...     b'{"id":"i-3","customer_id":"c-1","at":"2026-03-03T10:00:00Z","kind":"referral",'
    ...     b'"channel":"store","referred_id":"c-9"}\n'
    ...     b'{"id":"i-4","customer_id":"c-1","at":"0001-01-01T00:00:00Z","kind":"message",'
    ...     b'"direction":"inbound","channel":"store"}\n'
    ... )
    >>> load = read_events(io.BytesIO(data), format="jsonl")
    >>> load.rows_read, len(load.table), load.table.currency
    (4, 1, 'CNY')
    >>> for rejection in load.rejections:
    ...     print(rejection)  # doctest: +ELLIPSIS
    line 2: amount.currency='USD': must be the table's one currency, CNY (from line 1)
    line 3: referred_id='c-9': the referred customer must be a customer of the table ...
    line 4: at='0001-01-01T00:00:00Z': must be from 1900-01-01 to before 2170-01-01 (UTC): ...
    """
    frame_options = {
        "columns": columns,
        "kind": kind,
        "direction": direction,
        "channel": channel,
        "timezone": timezone,
        "amounts": amounts,
        "rounding": rounding,
        "currency": currency,
        "customers": customers,
    }
    check_flag("strict", strict)
    listener = check_progress(progress)
    at_once = Ticker(listener, 1)  # a read column-wise: one step
    if not isinstance(source, str | os.PathLike) and not hasattr(source, "read"):
        at_once.start()
        load = load_frame(source, frame_options, strict=strict, source=None)
        at_once.finish()
        return load
    fmt = _format_of(source, format)  # type: ignore[arg-type]
    if fmt in ("parquet", "arrow"):
        at_once.start()
        data, name = arrow_file(source, fmt)
        load = load_frame(data, frame_options, strict=strict, source=name)
        at_once.finish()
        return load
    mapped = [k for k in _FRAME_OPTIONS if frame_options[k] is not None]
    if mapped or amounts != "major":
        # A mapped text file is read as a table of text columns, then as a frame.
        at_once.start()
        data, lines, skipped, name = text_table(source, "json" if fmt == "jsonl" else "csv")
        load = load_frame(
            data, frame_options, strict=strict, source=name, lines=lines, skipped=skipped
        )
        at_once.finish()
        return load
    table_currency = _check_currency(currency)
    extra = _check_customers(customers)
    check_limit("max_row_bytes", max_row_bytes)
    modules = pyarrow_modules()
    if modules is not None and _rewindable(source):
        start = None if isinstance(source, str | os.PathLike) else cast("BinaryIO", source).tell()
        with watched(cast("Source", source), listener) as (file, ticker):
            try:
                with open_source(file) as (stream, name):
                    blocks = _blocks(stream, fmt, max_row_bytes, modules, _block_bytes(ticker))
                    table, rejected, dropped = bulk_events(
                        blocks,
                        currency=table_currency,
                        extra=extra,
                        strict=strict,
                        source=name,
                    )
                ticker.finish()
                return EventLoad(table, tuple(rejected), dropped, name)
            except RowPathNeeded:
                if start is not None:
                    cast("BinaryIO", source).seek(start)
    with watched(cast("Source", source), listener) as (file, ticker):
        load = _read_rows(file, fmt, table_currency, extra, strict=strict, limit=max_row_bytes)
        ticker.finish()
    return load


def _block_bytes(ticker: Ticker) -> int:
    """Return the bulk reader's block size: 8 MiB, or a hundredth of a followed file.

    When the callback follows a file of known size, blocks are about a hundredth of it (at
    least 4 KiB), so it hears of the reading about a hundred times.
    """
    if not ticker or ticker.total is None:
        return BLOCK_BYTES
    return min(BLOCK_BYTES, max(ticker.total // 100, 1 << 12))


def _blocks(
    stream: BinaryIO, fmt: str, limit: int, modules: tuple[Any, Any, Any], block_bytes: int
) -> Iterator[Callable[[], Block]]:
    """Return a file's blocks for the bulk reader.

    Raises RowPathNeeded for a CSV header it cannot read simply: the row path then reads the
    header, and names its problem.
    """
    if fmt == "jsonl":
        return jsonl_blocks(stream, limit, modules, block_bytes)
    header = simple_header(stream, limit)
    if header is None:
        raise RowPathNeeded
    return csv_blocks(stream, header, modules, block_bytes)


def _rewindable(source: object) -> bool:
    """Whether the file can be read twice: a path, or a stream that can seek back."""
    if isinstance(source, str | os.PathLike):
        return True
    try:
        return bool(source.seekable())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False


def _read_rows(  # noqa: PLR0913 - the checked options of read_events
    file: Source,
    fmt: str,
    table_currency: str | None,
    extra: list[str],
    *,
    strict: bool,
    limit: int,
) -> EventLoad:
    """Read a JSON Lines or CSV file row by row into an :class:`EventLoad` (see read_events).

    ``table_currency`` and ``extra`` (the customers to include) are checked already.
    """
    max_row_bytes = limit
    if fmt == "jsonl":
        rows = collect_jsonl(file, Interaction, strict=strict, max_line_bytes=max_row_bytes)
    else:
        rows = collect_csv(file, Interaction, strict=strict, max_field_chars=max_row_bytes)
    result = rows.result()
    records, lines = result.records, rows.record_lines
    # Every customer seen on an accepted row is the table's, even if a table rule then rejects
    # their only row: one rejection never cascades into another.
    known = {r.customer_id for r in records}
    known.update(extra)
    problems, table_currency = _table_problems(records, lines, table_currency, known)
    _raise_first(problems, strict=strict, source=result.source)
    kept = [(r, n) for r, n in zip(records, lines, strict=True) if n not in problems]
    table = None
    if known:
        refusal: ValidationError | None = None
        try:
            table = _table(kept, known, table_currency)
        except ValidationError as exc:
            refusal = exc
        if refusal is not None:
            refused = _isolate(kept, table_currency)
            if not refused:
                raise refusal  # a rule of the table as a whole that no single row breaks
            problems.update({line: [problem] for line, problem in refused.items()})
            _raise_first(problems, strict=strict, source=result.source)
            kept = [(r, n) for r, n in kept if n not in refused]
            table = _table(kept, known, table_currency)
    # An identical copy of a row the table refuses is refused with it, not counted as dropped.
    copies = {n: rows.duplicate_lines.get(n, []) for n in problems}
    rejected = [*result.rejections]
    for line, found in problems.items():
        rejected += [Rejection(n, tuple(found)) for n in (line, *copies[line])]
    rejected.sort(key=lambda r: r.line)
    dropped = result.duplicates_dropped - sum(len(c) for c in copies.values())
    return EventLoad(table, tuple(rejected), dropped, result.source)


def _table(
    rows: list[tuple[Interaction, int]], customers: set[str], currency: str | None
) -> EventTable:
    return EventTable.from_interactions(
        [r for r, _ in rows], customers=sorted(customers), currency=currency
    )


def _raise_first(problems: dict[int, list[Problem]], *, strict: bool, source: str | None) -> None:
    """In strict mode, raise :class:`~custpool.LoadError` for the first line with a problem."""
    if strict and problems:
        line = min(problems)
        raise load_error(Rejection(line, tuple(problems[line])), source)
