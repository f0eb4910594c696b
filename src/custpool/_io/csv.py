"""CSV: flat columns, one record per row, a header naming the columns.

The layout of each model is fixed here (``_LAYOUTS``); see :mod:`custpool._io.loading` for what
the result holds and how rows are counted.
"""

from __future__ import annotations

import csv
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from custpool._errors import safe_repr
from custpool._io.loading import (
    HEADER,
    ROW,
    Collector,
    Dest,
    LoadResult,
    M,
    Problem,
    RawLine,
    Record,
    Rejection,
    Source,
    check_limit,
    check_model,
    check_records,
    holds_secrets,
    load_error,
    open_dest,
    open_source,
    read_lines,
    show_row,
    show_value,
    utf8_problem,
)
from custpool._model import KIND_FIELDS, Customer, Interaction, PoolActivity

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

__all__ = [
    "read_csv",
    "write_csv",
    "collect_csv",
]

_LIST_SEPARATOR: Final = ";"
_FLAGS: Final = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
_MONEY: Final = ("amount", "currency")


@dataclass(frozen=True, slots=True)
class _Layout:
    """The CSV columns of one model and how their cells map to the model's fields."""

    columns: tuple[str, ...]
    """Every column, in the order written."""
    required: frozenset[str]
    """Columns a header must have; the others may be left out."""
    lists: frozenset[str] = frozenset()
    """Tag columns: text forms joined by ``;``."""
    flags: frozenset[str] = frozenset()
    """Boolean columns: true/false, 1/0, yes/no."""
    secrets: frozenset[str] = frozenset()
    """Contact handle columns, nested under ``contacts``; written only when revealing."""
    money: bool = False
    """Whether ``amount`` and ``currency`` are the two halves of a Money field."""

    def written(self, *, reveal_secrets: bool) -> tuple[str, ...]:
        """Return the columns written: without the contact handles unless they are revealed."""
        return tuple(c for c in self.columns if reveal_secrets or c not in self.secrets)


_LAYOUTS: Final[dict[type[Record], _Layout]] = {
    Customer: _Layout(
        columns=(
            "id",
            "display_name",
            "connected_at",
            "source",
            "tags",
            "phone",
            "wechat_id",
            "wecom_external_id",
        ),
        required=frozenset({"id"}),
        lists=frozenset({"tags"}),
        secrets=frozenset({"phone", "wechat_id", "wecom_external_id"}),
    ),
    Interaction: _Layout(
        columns=(
            *("id", "customer_id", "at", "kind", "direction", "channel"),
            *(c for f in KIND_FIELDS for c in (_MONEY if f == "amount" else (f,))),
        ),
        required=frozenset({"id", "customer_id", "at", "kind"}),
        money=True,
    ),
    PoolActivity: _Layout(
        columns=(
            "id",
            "at",
            "kind",
            "channel",
            "title",
            "operator_id",
            "content_id",
            "topics",
            "event_id",
            "ritual",
        ),
        required=frozenset({"id", "at", "kind", "channel"}),
        lists=frozenset({"topics"}),
        flags=frozenset({"ritual"}),
    ),
}

# --- reading ------------------------------------------------------------------------------------


class _CellError(ValueError):
    """A cell that cannot become a field value (a flag that is not true or false)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def _flag(column: str, text: str) -> bool:
    try:
        return _FLAGS[text.strip().casefold()]
    except KeyError:
        rule = "must be true or false (also accepted: 1/0, yes/no, any case)"
        raise _CellError(Problem(column, safe_repr(text), rule)) from None


def _to_data(layout: _Layout, cells: Mapping[str, str]) -> dict[str, Any]:
    """Turn the non-empty cells of a row into the data the model validates."""
    data: dict[str, Any] = {}
    for column, text in cells.items():
        if column in layout.secrets:
            data.setdefault("contacts", {})[column] = text
        elif column in layout.lists:
            data[column] = [part for part in text.split(_LIST_SEPARATOR) if part.strip()]
        elif column in layout.flags:
            data[column] = _flag(column, text)
        elif layout.money and column in _MONEY:
            data.setdefault("amount", {})[column] = text
        else:
            data[column] = text
    return data


class _Lines:
    """Decoded physical lines for :func:`csv.reader`, counted, with the current record's text."""

    def __init__(self, raw: Iterator[RawLine]) -> None:
        self._raw = raw
        self.number = 0
        self.record: list[str] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._raw)
        self.number = line.number
        # Bytes that are not UTF-8 become lone surrogates here and are reported per row.
        text = (line.data or b"").decode("utf-8", "surrogateescape")
        self.record.append(text)
        return text

    def skip_quoted(self) -> None:
        """After an error inside a quoted field, skip to the line where the field closes."""
        while "".join(self.record).count('"') % 2:
            try:
                next(self)
            except StopIteration:
                return


@contextmanager
def _field_limit(chars: int) -> Iterator[None]:
    """Let :mod:`csv` read fields one longer than ``chars``; restore its limit afterwards.

    The limit is only raised (never lowered), only when it is too low, and always restored, so
    other readers see no difference. Fields over ``chars`` are then rejected by :func:`read_csv`;
    longer ones stop :mod:`csv` itself and are rejected as well.
    """
    with _LIMIT_LOCK:
        before = csv.field_size_limit()
        if before > chars:
            yield
            return
        csv.field_size_limit(chars + 1)
        try:
            yield
        finally:
            csv.field_size_limit(before)


_LIMIT_LOCK: Final = threading.RLock()


def _records(lines: _Lines, *, secret: bool) -> Iterator[tuple[int, list[str] | Problem]]:
    """Yield each non-blank record with the line it starts on, or the problem reading it."""
    reader = csv.reader(lines, strict=True)
    while True:
        start = lines.number + 1
        lines.record.clear()
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            text = "".join(lines.record)
            if str(exc).startswith("field larger than field limit"):
                lines.skip_quoted()
                rule = "a field is longer than max_field_chars"
            elif str(exc) == "unexpected end of data":
                rule = "the file ends inside a quoted field (truncated?)"
            else:
                rule = f"malformed CSV: {exc}"
            yield start, Problem(ROW, show_row(text, secret=secret), rule)
            continue
        if any(cell.strip() for cell in cells):
            yield start, cells


def _cell_problems(cells: Mapping[str, str], layout: _Layout, max_chars: int) -> list[Problem]:
    """Problems of single cells: bytes that are not UTF-8, cells that are too long."""
    problems = []
    for column, text in cells.items():
        secret = column in layout.secrets
        if bad := utf8_problem(text.encode("utf-8", "surrogateescape"), column, secret=secret):
            problems.append(bad)
        elif len(text) > max_chars:
            rule = f"is {len(text)} characters, longer than max_field_chars={max_chars}"
            problems.append(Problem(column, show_value(text, (column,)), rule))
    return problems


def _header(
    cells: list[str] | Problem, layout: _Layout, model: type[Record]
) -> list[str] | Problem:
    """Return the header's column names, or the problem that makes the file unreadable."""
    if isinstance(cells, Problem):
        return cells
    names = [cell.strip() for cell in cells]
    for name in names:
        if bad := utf8_problem(name.encode("utf-8", "surrogateescape"), HEADER, secret=False):
            return bad
        if name not in layout.columns:
            rule = f"unknown column; {model.__name__} columns are: {', '.join(layout.columns)}"
            return Problem(HEADER, safe_repr(name), rule)
        if names.count(name) > 1:
            return Problem(HEADER, safe_repr(name), "column appears twice; name each one once")
    for name in layout.columns:
        if name in layout.required and name not in names:
            return Problem(HEADER, safe_repr(name), "required column is missing")
    return names


def _read_rows(
    rows: Collector[M], records: Iterator[tuple[int, list[str] | Problem]], max_chars: int
) -> None:
    layout = _LAYOUTS[rows.model]
    first = next(records, None)
    if first is None:
        return  # an empty file: no header, no rows
    header = _header(first[1], layout, rows.model)
    if isinstance(header, Problem):
        raise load_error(Rejection(first[0], (header,)), rows.source)
    for line, cells in records:
        if isinstance(cells, Problem):
            rows.reject(line, [cells])
        elif len(cells) != len(header):
            rule = f"has {len(cells)} cells; the header on line {first[0]} has {len(header)}"
            rows.reject(line, [Problem(ROW, f"<{len(cells)} cells>", rule)])
        else:
            _read_row(rows, line, dict(zip(header, cells, strict=True)), max_chars)


def _read_row(rows: Collector[M], line: int, cells: dict[str, str], max_chars: int) -> None:
    layout = _LAYOUTS[rows.model]
    if problems := _cell_problems(cells, layout, max_chars):
        rows.reject(line, problems)
        return
    try:
        data = _to_data(layout, {k: v for k, v in cells.items() if v.strip()})
    except _CellError as exc:
        rows.reject(line, [exc.problem])
        return
    rows.add(line, data)


def read_csv(
    source: Source,
    model: type[M],
    *,
    strict: bool = False,
    max_field_chars: int = 100_000,
) -> LoadResult[M]:
    r"""Read customers, interactions or pool activities from CSV.

    The first row is the header; its columns may come in any order, optional ones may be left
    out (see ``docs/loading.md`` for each model's columns). An unknown, repeated or missing
    required column raises :class:`~custpool.LoadError` at once, strict or not: no row could be
    read. Empty cells are left out, so defaults apply. Tags are ``group:name`` text forms joined
    by ``;``; money is an ``amount`` (a decimal string) and a ``currency``.

    Rows are records in the CSV sense: a quoted cell may span lines, and a row's line is the one
    it starts on. Rows whose cells are all empty are skipped and not counted. A row is rejected
    when it is not valid UTF-8, has the wrong number of cells, has a cell longer than
    ``max_field_chars``, is malformed (including a quoted cell still open at the end of the
    file), fails the model's validation (every problem is listed) or repeats the id of an
    earlier row with different content. A row that repeats an earlier one exactly is accepted,
    dropped and counted. A UTF-8 byte-order mark (as Excel writes) is ignored.

    Parameters
    ----------
    source
        A path, or a file object opened in binary mode (``open(path, "rb")``, ``io.BytesIO``).
    model
        :class:`~custpool.Customer`, :class:`~custpool.Interaction` or
        :class:`~custpool.PoolActivity`: what every row is.
    strict
        Raise :class:`~custpool.LoadError` at the first rejected row instead of collecting.
    max_field_chars
        Longest cell read, in characters.

    Returns
    -------
    LoadResult
        The records in file order, the rejections and the counts.

    Raises
    ------
    custpool.ValidationError
        If ``model`` or ``max_field_chars`` is not acceptable, or ``source`` is a text stream.
    custpool.LoadError
        For an unusable header; in strict mode, also for the first rejected row.

    Examples
    --------
    >>> import io
    >>> from custpool import PoolActivity
    >>> data = (
    ...     "id,at,kind,channel,event_id,ritual\n"
    ...     "a-1,2026-03-05T20:00:00+08:00,event_held,live_stream,ev-1,yes\n"
    ...     "a-2,2026-03-06T20:00:00,event_held,live_stream,ev-2,no\n"
    ... )
    >>> result = read_csv(io.BytesIO(data.encode()), PoolActivity)
    >>> [(a.id, a.at.isoformat(), a.ritual) for a in result.records]
    [('a-1', '2026-03-05T12:00:00+00:00', True)]
    >>> print(result.rejections[0])  # doctest: +ELLIPSIS
    line 3: at='2026-03-06T20:00:00': naive datetime 2026-03-06T20:00:00 has no time zone; ...
    """
    return collect_csv(source, model, strict=strict, max_field_chars=max_field_chars).result()


def collect_csv(
    source: Source, model: type[M], *, strict: bool, max_field_chars: int
) -> Collector[M]:
    """Read CSV into a :class:`Collector` (which also knows each record's line)."""
    check_model(model)
    check_limit("max_field_chars", max_field_chars)
    with open_source(source) as (stream, name), _field_limit(max_field_chars):
        rows = Collector(model, source=name, strict=strict)
        lines = _Lines(read_lines(stream))
        _read_rows(rows, _records(lines, secret=holds_secrets(model)), max_field_chars)
    return rows


# --- writing ------------------------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _to_cells(record: Record, layout: _Layout, *, reveal_secrets: bool) -> list[str]:
    data = record.to_dict(reveal_secrets=reveal_secrets)
    cells = []
    for column in layout.written(reveal_secrets=reveal_secrets):
        if column in layout.secrets:
            value = data["contacts"][column]
        elif column in layout.lists:
            value = _LIST_SEPARATOR.join(str(tag) for tag in getattr(record, column))
        elif layout.money and column in _MONEY:
            value = (data["amount"] or {}).get(column)
        else:
            value = data[column]
        cells.append(_cell(value))
    return cells


def write_csv(dest: Dest, records: Iterable[Record], *, reveal_secrets: bool = False) -> int:
    """Write records as CSV: a header, then one row per record, UTF-8, in the order given.

    Columns come in a fixed order (see ``docs/loading.md``). Times are written in UTC
    (``2026-03-01T12:00:00Z``), amounts as exact decimal strings, tags as text forms joined by
    ``;``, flags as ``true``/``false``, absent values as empty cells. The contact handle columns
    (``phone``, ``wechat_id``, ``wecom_external_id``) are written only when ``reveal_secrets`` is
    true; without them the file reads back as customers without contacts. Writing no records
    writes nothing (an empty file reads back as no rows).

    Parameters
    ----------
    dest
        A path (created or overwritten), or a file object (left open): a text one should be
        opened with ``newline=""``, a binary one receives UTF-8.
    records
        Customers, interactions or pool activities, all of one type.
    reveal_secrets
        Write the contact handle columns, in clear text.

    Returns
    -------
    int
        The number of rows written, the header not counted.

    Raises
    ------
    custpool.ValidationError
        If the records are not all of one of the three types.

    Examples
    --------
    >>> import io
    >>> from custpool import Customer
    >>> out = io.StringIO()
    >>> c = Customer(id="c-1", tags=["vip", "interest:咖啡"], contacts={"phone": "13800138000"})
    >>> write_csv(out, [c])
    1
    >>> print(out.getvalue(), end="")
    id,display_name,connected_at,source,tags
    c-1,,,,vip;interest:咖啡
    """
    rows = check_records(records)
    if not rows:
        return 0
    layout = _LAYOUTS[type(rows[0])]
    with open_dest(dest) as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(layout.written(reveal_secrets=reveal_secrets))
        writer.writerows(_to_cells(r, layout, reveal_secrets=reveal_secrets) for r in rows)
    return len(rows)
