"""A JSON Lines file into an :class:`EventLoad` in bulk: the same load as row by row, faster.

:func:`bulk_events` gives exactly what ``read_events``' row path gives — the same table, the same
rejections with the same lines and messages, the same duplicates dropped — but checks the
canonical lines column-wise (:mod:`.bulk_jsonl` parses them with pyarrow, :mod:`.bulk_columns`
checks them) and sends only the others through ``Interaction.model_validate``. Then, over all
accepted rows at once and in line order, it drops identical duplicates and rejects conflicting
ones (as the row path's collector does), applies the table's rules (time range, one currency,
referrals to known customers, the int64 total) with the row path's messages, and builds the
table from columns.

Should the table still refuse the accepted rows (a rule only the table knows: an amount of
10**15 units or more, which only the row path's model lets through), :class:`RowPathNeeded` is
raised and ``read_events`` reads the file row by row, where such a row is found and rejected.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from custpool._engine import MAX_TIME, MIN_TIME, EventTable, Ids
from custpool._errors import ValidationError, safe_repr
from custpool._io.bulk_columns import Block, Pending, RowColumns, record_columns, screen
from custpool._io.loading import (
    Problem,
    Rejection,
    duplicate_problem,
    load_error,
    validated,
)
from custpool._model import Interaction, Money
from custpool._time import from_micros

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from numpy.typing import NDArray

__all__ = [
    "AMOUNT_LIMIT",
    "AMOUNT_RULE",
    "TIME_RULE",
    "UNKNOWN_REFERRED",
    "RowPathNeeded",
    "bulk_events",
]

_FIELDS: Final = RowColumns.__slots__


_THREADS: Final = 2
"""Blocks screened at once: the machines custpool is measured on have two cores."""


class RowPathNeeded(Exception):  # noqa: N818 - a signal to read_events, never shown to users
    """The table refused rows the bulk checks passed: read the file row by row instead."""


UNKNOWN_REFERRED: Final = (
    "the referred customer must be a customer of the table (have accepted rows, or be listed "
    "in customers=)"
)
TIME_RULE: Final = (
    "must be from 1900-01-01 to before 2170-01-01 (UTC): an event table holds no other time "
    "(a placeholder date such as 0001-01-01 is not a time; leave the row out)"
)
AMOUNT_LIMIT: Final = 2**63 - 1
"""The most minor units the amounts of one table may sum to: int64, the amount column's type."""
AMOUNT_RULE: Final = (
    "would take the sum of the table's amounts past 2**63 - 1 minor units, more than an event "
    "table holds; split the file (by period, for instance)"
)


def _subset(rows: RowColumns, keep: NDArray[np.bool_] | NDArray[np.intp]) -> RowColumns:
    """Return the rows picked by a mask or by positions."""
    import pyarrow as pa  # noqa: PLC0415 - optional: the bulk path runs only with it

    positions = np.flatnonzero(keep) if keep.dtype == np.bool_ else keep
    index = pa.array(positions, pa.int64())
    values = {}
    for name in _FIELDS:
        column = getattr(rows, name)
        values[name] = column[positions] if isinstance(column, np.ndarray) else column.take(index)
    return RowColumns(**values)


def _joined(parts: list[RowColumns]) -> RowColumns:
    """Return the rows of all parts, one after the other."""
    import pyarrow as pa  # noqa: PLC0415 - optional

    values = {}
    for name in _FIELDS:
        columns = [getattr(p, name) for p in parts]
        if isinstance(columns[0], np.ndarray):
            values[name] = np.concatenate(columns)
        else:
            values[name] = pa.concat_arrays([c.cast(pa.large_string()) for c in columns])
    return RowColumns(**values)


def _slow(pending: list[Pending]) -> tuple[list[Interaction], list[int], list[Rejection]]:
    """Read the rows left over row by row: the accepted records, their lines, the rejections."""
    records: list[Interaction] = []
    lines: list[int] = []
    rejected: list[Rejection] = []
    for row in pending:
        data = row.read()
        if data is None:
            continue
        found = data if isinstance(data, Problem | list) else validated(Interaction, data)
        if isinstance(found, Interaction):
            records.append(found)
            lines.append(row.number)
        else:
            problems = (found,) if isinstance(found, Problem) else tuple(found)
            rejected.append(Rejection(row.number, problems))
    return records, lines, rejected


def _screened(job: Callable[[], Block]) -> tuple[RowColumns | None, list[Pending]]:
    """Make one block and screen it: its canonical rows as codes, and its rows left over."""
    block = job()
    pending = list(block.pending)
    if block.table is None or block.table.num_rows == 0:
        return None, pending
    rows, ok = screen(block.table, block.lines)
    ok &= block.ready
    pending += [block.fallback(int(position)) for position in np.flatnonzero(~ok)]
    return (rows if ok.all() else _subset(rows, ok)), pending


def _in_order(
    jobs: Iterator[Callable[[], Block]],
) -> Iterator[tuple[RowColumns | None, list[Pending]]]:
    """Screen the blocks in two threads, a few ahead (memory stays bounded); yield in order."""
    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        window: deque[Future[tuple[RowColumns | None, list[Pending]]]] = deque()
        for job in jobs:
            window.append(pool.submit(_screened, job))
            if len(window) > _THREADS:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


def _rows(jobs: Iterator[Callable[[], Block]]) -> tuple[RowColumns | None, list[Rejection]]:
    """Return every accepted row as codes, and the rows' own rejections (rows in no order).

    Blocks are screened as they are read, so only their codes are held, never their bytes.
    """
    parts: list[RowColumns] = []
    pending: list[Pending] = []
    for rows, left in _in_order(jobs):
        pending += left
        if rows is not None:
            parts.append(rows)
    pending.sort(key=lambda r: r.number)
    records, lines, rejected = _slow(pending)
    if records:
        parts.append(record_columns(records, lines))
    if not parts:
        return None, rejected
    return _joined(parts) if len(parts) > 1 else parts[0], rejected


def _deduplicated(
    rows: RowColumns,
) -> tuple[RowColumns, list[Rejection], dict[int, list[int]], int]:
    """Drop identical repeats of an id, reject different ones: the collector's rules, at once.

    Returns the kept rows, the rejections, the lines dropped by the line kept, and their count.
    """
    import pyarrow.compute as pc  # noqa: PLC0415 - optional

    encoded = pc.dictionary_encode(rows.id)
    codes = np.asarray(encoded.indices, dtype=np.int64)
    counts = np.bincount(codes, minlength=len(encoded.dictionary))
    repeated = np.flatnonzero(counts[codes] > 1)
    if repeated.size == 0:
        return rows, [], {}, 0
    keep = np.ones(len(codes), dtype=np.bool_)
    first: dict[int, tuple[int, tuple[object, ...]]] = {}
    rejected: list[Rejection] = []
    dropped: dict[int, list[int]] = {}
    for position in repeated[np.argsort(rows.line[repeated])]:  # in line order
        line = int(rows.line[position])
        content = tuple(_cell(getattr(rows, name), position) for name in _FIELDS if name != "line")
        seen = first.get(int(codes[position]))
        if seen is None:
            first[int(codes[position])] = (line, content)
            continue
        keep[position] = False
        if seen[1] == content:
            dropped.setdefault(seen[0], []).append(line)
        else:
            record_id = str(rows.id[position].as_py())
            problem = duplicate_problem(record_id, seen[0])
            rejected.append(Rejection(line, (problem,), seen[0]))
    total = sum(len(v) for v in dropped.values())
    return _subset(rows, keep), rejected, dropped, total


def _cell(column: Any, position: int) -> object:  # noqa: ANN401 - numpy or pyarrow
    if isinstance(column, np.ndarray):
        return int(column[position])
    value: object = column[int(position)].as_py()
    return value


def _table_problems(
    rows: RowColumns, currency: str | None, known: set[str]
) -> tuple[dict[int, list[Problem]], str | None]:
    """Apply the row path's table rules column-wise: return problems by line, and the currency.

    In line order, as the row path checks them: a time the table cannot hold; an amount in
    another currency than the table's; a referral to a customer not in ``known``; an amount
    that would take the total past int64. A row with a problem sets no currency and adds
    nothing to the total.
    """
    import pyarrow as pa  # noqa: PLC0415 - optional
    import pyarrow.compute as pc  # noqa: PLC0415

    bad_time = (rows.time < MIN_TIME) | (rows.time >= MAX_TIME)
    has_amount = np.asarray(rows.currency.is_valid(), dtype=np.bool_)
    other, currency, origin = _other_currency(rows, currency, has_amount & ~bad_time)
    referred_given = np.asarray(rows.referred.is_valid(), dtype=np.bool_)
    known_ids = pa.array(sorted(known), pa.large_string())
    unknown = referred_given & ~np.asarray(pc.is_in(rows.referred, value_set=known_ids))
    flagged = bad_time | other | unknown
    over = _over_total(rows, has_amount & ~flagged)
    problems: dict[int, list[Problem]] = {}
    for position in np.flatnonzero(flagged | over):
        found = []
        if bad_time[position]:
            at = from_micros(int(rows.time[position])).isoformat().replace("+00:00", "Z")
            found.append(Problem("at", safe_repr(at), TIME_RULE))
        if other[position]:
            rule = f"must be the table's one currency, {currency} ({origin})"
            shown = safe_repr(str(rows.currency[int(position)].as_py()))
            found.append(Problem("amount.currency", shown, rule))
        if unknown[position]:
            shown = safe_repr(str(rows.referred[int(position)].as_py()))
            found.append(Problem("referred_id", shown, UNKNOWN_REFERRED))
        if over[position]:
            code = str(rows.currency[int(position)].as_py())
            money = Money.from_minor_units(int(rows.amount[position]), code)
            found.append(Problem("amount", safe_repr(str(money)), AMOUNT_RULE))
        problems[int(rows.line[position])] = found
    return problems, currency


def _other_currency(
    rows: RowColumns, currency: str | None, may_set: NDArray[np.bool_]
) -> tuple[NDArray[np.bool_], str | None, str]:
    """Return the rows in another currency than the table's, its currency, and where it is from.

    The table's currency is ``currency`` if given, else that of the first row (by line) of
    those that ``may_set`` it; only rows after that one can differ from it.
    """
    import pyarrow as pa  # noqa: PLC0415 - optional
    import pyarrow.compute as pc  # noqa: PLC0415

    origin, first_line = "given as currency=", -1
    if currency is None:
        setting = np.flatnonzero(may_set)
        if setting.size == 0:
            return np.zeros(len(rows.line), dtype=np.bool_), None, ""
        first = int(setting[np.argmin(rows.line[setting])])
        first_line = int(rows.line[first])
        currency = str(rows.currency[first].as_py())
        origin = f"from line {first_line}"
    differs = pc.not_equal(rows.currency, pa.scalar(currency, pa.large_string()))
    other = np.asarray(differs.fill_null(False), dtype=np.bool_)  # noqa: FBT003 - pyarrow's API
    return other & (rows.line > first_line), currency, origin


def _over_total(rows: RowColumns, adds: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Return the rows whose amount would take the running total (in line order) past int64."""
    over = np.zeros(len(rows.line), dtype=np.bool_)
    units = np.abs(rows.amount)
    if float(units[adds].sum(dtype=np.float64)) < AMOUNT_LIMIT / 2:
        return over  # far from the limit: no row can pass it (the float sum errs by far less)
    total = 0  # near int64: the row path's running total, one row at a time
    candidates = np.flatnonzero(adds)
    for position in candidates[np.argsort(rows.line[candidates], kind="stable")]:
        value = int(units[position])
        if total + value > AMOUNT_LIMIT:
            over[position] = True
        else:
            total += value
    return over


def _index(values: Any, ids: list[str]) -> NDArray[np.int64]:  # noqa: ANN401 - pyarrow
    """Return each value's position in the sorted ``ids``, -1 for none."""
    import pyarrow as pa  # noqa: PLC0415 - optional
    import pyarrow.compute as pc  # noqa: PLC0415

    found = pc.index_in(values, value_set=pa.array(ids, pa.large_string()))
    return np.asarray(found.fill_null(-1), dtype=np.int64)


def _sorted_ids(values: Any) -> list[str]:  # noqa: ANN401 - pyarrow
    """Return the distinct ids of a column, sorted as Python sorts them."""
    import pyarrow.compute as pc  # noqa: PLC0415 - optional

    return sorted(str(v) for v in pc.unique(values.drop_null()).to_pylist())


def _table(rows: RowColumns, customers: list[str], currency: str | None) -> EventTable:
    """Build the table from the kept rows' codes (ids indexed in sorted order)."""
    items, staff, groups = (_sorted_ids(c) for c in (rows.item, rows.operator, rows.group))
    return EventTable.from_arrays(
        customer=_index(rows.customer, customers),
        time=rows.time,
        kind=rows.kind,
        direction=rows.direction,
        channel=rows.channel,
        source=rows.source,
        reason=rows.reason,
        amount=rows.amount,
        referred=_index(rows.referred, customers),
        score=rows.score,
        item=_index(rows.item, items),
        operator=_index(rows.operator, staff),
        group=_index(rows.group, groups),
        customer_ids=Ids(tuple(customers)),
        item_ids=Ids(tuple(items)),
        operator_ids=Ids(tuple(staff)),
        group_ids=Ids(tuple(groups)),
        currency=currency,
    )


def bulk_events(
    blocks: Iterator[Callable[[], Block]],
    *,
    currency: str | None,
    extra: list[str],
    strict: bool,
    source: str | None,
) -> tuple[EventTable | None, list[Rejection], int]:
    """Read a file's blocks; return the table, every rejection (by line) and the dropped count.

    In strict mode the first rejected row (by line) raises as the row path raises it: a row
    that cannot be read or repeats an id first, else the first row breaking a table rule.
    """
    rows, rejected = _rows(blocks)
    dropped_lines: dict[int, list[int]] = {}
    dropped = 0
    if rows is not None:
        rows, conflicts, dropped_lines, dropped = _deduplicated(rows)
        rejected += conflicts
    if strict and rejected:
        raise load_error(min(rejected, key=lambda r: r.line), source)
    known = set(extra)
    if rows is not None:
        import pyarrow.compute as pc  # noqa: PLC0415 - optional

        known.update(str(v) for v in pc.unique(rows.customer).to_pylist())
    problems: dict[int, list[Problem]] = {}
    table = None
    if rows is not None:
        problems, currency = _table_problems(rows, currency, known)
    if strict and problems:
        line = min(problems)
        raise load_error(Rejection(line, tuple(problems[line])), source)
    if known:
        if rows is not None and problems:
            rows = _subset(rows, ~np.isin(rows.line, np.fromiter(problems, np.int64)))
        try:
            table = _table_or_empty(rows, sorted(known), currency)
        except ValidationError as exc:
            raise RowPathNeeded from exc
    for line, found in problems.items():
        copies = dropped_lines.get(line, [])
        rejected += [Rejection(n, tuple(found)) for n in (line, *copies)]
        dropped -= len(copies)
    rejected.sort(key=lambda r: r.line)
    return table, rejected, dropped


def _table_or_empty(
    rows: RowColumns | None, customers: list[str], currency: str | None
) -> EventTable:
    if rows is None:
        return EventTable.from_interactions([], customers=customers, currency=currency)
    return _table(rows, customers, currency)
