"""CSV: flat columns, one record per row, a header naming the columns.

The layout of each model is fixed here (``_LAYOUTS``); see :mod:`custpool._io.loading` for what
the result holds and how rows are counted, and :mod:`custpool._io.csv_split` for how the bytes
become records (not with Python's :mod:`csv` reader; its writer writes).
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from custpool._errors import WrongTypeError, safe_repr
from custpool._io.csv_split import CsvRecord, RecordSplitter
from custpool._io.loading import (
    HEADER,
    ROW,
    Collector,
    Dest,
    LoadResult,
    M,
    Problem,
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
    "escape_cell",
    "read_header",
    "record_data",
    "unescape_cell",
]

_LIST_SEPARATOR: Final = ";"
_FLAGS: Final = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
_MONEY: Final = ("amount", "currency")
_WHOLE_CELL: Final = 131_072
"""Over ``max_field_chars``, a cell up to this long (or ``max_field_chars + 1``, if longer) is
rejected by its column with its length, a longer one as the whole row ("a field is longer than
max_field_chars"). This is the split the reader had when Python's csv module, whose default
field limit this is, did the reading; it is kept so that rejections read as before."""
_FORMULA: Final = re.compile(r"'*[=+\-@\t\r]")
"""A cell a spreadsheet may evaluate (OWASP's list), after any apostrophes: the writer puts one
more apostrophe before such a cell, the reader takes one away."""
_HANDLE_CHARS: Final = re.compile(r"[A-Za-z0-9_-]+")
"""The characters of a WeChat or WeCom id."""
_SHORTEST_ID_HANDLE: Final = 6
"""WeChat and WeCom ids are 6 characters or more; a phone number has digits."""


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

    def never_escaped(self, column: str) -> bool:
        """Whether a column's cells are written as they are, formulas escaped or not.

        An amount is a decimal number (``-5.00`` is a number, not a formula), and a contact
        handle has a checked form (digits, spaces, brackets, dashes and a leading ``+`` for a
        phone number; letters, digits, ``_`` and ``-`` for WeChat and WeCom ids) that cannot
        call a function or name a cell; handles are written only for storage or another system,
        which must get them exactly. Neither ever starts with an apostrophe.
        """
        return column in self.secrets or (self.money and column == "amount")


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
            *("operator_id", "group_id"),
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
            "ends_at",
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


def _cell_problems(
    record: CsvRecord, cells: Mapping[str, str], layout: _Layout, max_chars: int, *, secret: bool
) -> list[Problem]:
    """Problems of single cells: bytes that are not UTF-8, cells that are too long."""
    if max(map(len, cells.values())) > max(_WHOLE_CELL, max_chars + 1):
        shown = show_row(record.text or "", secret=secret)
        return [Problem(ROW, shown, "a field is longer than max_field_chars")]
    problems = []
    for column, text in cells.items():
        hidden = column in layout.secrets
        if bad := utf8_problem(text.encode("utf-8", "surrogateescape"), column, secret=hidden):
            problems.append(bad)
        elif len(text) > max_chars:
            rule = f"is {len(text)} characters, longer than max_field_chars={max_chars}"
            problems.append(Problem(column, show_value(text, (column,)), rule))
    return problems


def _header(
    record: CsvRecord, layout: _Layout, model: type[Record], *, secret: bool
) -> list[str] | Problem:
    """Return the header's column names, or the problem that makes the file unreadable."""
    if record.fault is not None:
        return Problem(ROW, _shown(record, secret=secret), record.fault)
    names = [cell.strip() for cell in record.cells]
    for name in names:
        if bad := utf8_problem(name.encode("utf-8", "surrogateescape"), HEADER, secret=False):
            return bad  # a few bytes that are not UTF-8: not a handle
    if not any(name in layout.columns for name in names):
        rule = (
            f"names none of the {model.__name__} columns ({', '.join(layout.columns)}); a CSV "
            "file must start with a header row"
        )
        return Problem(HEADER, f"<{record.cell_count} cells>", rule)
    return _name_problem(names, layout, model, secret=secret) or names


def _name_problem(
    names: list[str], layout: _Layout, model: type[Record], *, secret: bool
) -> Problem | None:
    """Return the first unknown or repeated name, or missing required column, if any."""
    for position, name in enumerate(names, start=1):
        if name not in layout.columns:
            return _unknown_column(name, position, layout, model, secret=secret)
        if names.count(name) > 1:
            return Problem(HEADER, safe_repr(name), "column appears twice; name each one once")
    for name in layout.columns:
        if name in layout.required and name not in names:
            return Problem(HEADER, safe_repr(name), "required column is missing")
    return None


def _unknown_column(
    name: str, position: int, layout: _Layout, model: type[Record], *, secret: bool
) -> Problem:
    """Name an unknown column; hide it when the model holds handles and it may be one.

    A first row that is not a header (a file without one) holds data, and in a customer file
    that data may be a contact handle, so a name that could be one is masked; the rule then
    says where it is and suggests the closest column.
    """
    columns = f"{model.__name__} columns are: {', '.join(layout.columns)}"
    if not secret or not _may_be_handle(name):
        return Problem(HEADER, safe_repr(name), f"unknown column; {columns}")
    close = difflib.get_close_matches(name, layout.columns, n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    rule = (
        f"unknown column (column {position}, not shown: a first row that is not a header may "
        f"hold contact handles){hint} {columns}"
    )
    return Problem(HEADER, safe_repr(name, secret=True), rule)


def _may_be_handle(text: str) -> bool:
    """Whether ``text`` could be a contact handle: it has a digit, or could be a WeChat/WeCom id.

    Deliberately wider than the handle rules themselves (a column name such as ``display_nmae``
    is taken for a possible WeCom id): showing a handle is worse than hiding a column name.
    """
    if any(ch.isdigit() for ch in text):
        return True
    return len(text) >= _SHORTEST_ID_HANDLE and _HANDLE_CHARS.fullmatch(text) is not None


def _shown(record: CsvRecord, *, secret: bool) -> str:
    """Show a record that has no cells: its text, safely, or its length when it was not held."""
    if record.text is None:
        return f"<{record.size} chars>"
    return show_row(record.text, secret=secret)


def _records(splitter: RecordSplitter) -> Iterator[CsvRecord]:
    """Yield the records that are not blank (those with a fault are never blank)."""
    return (record for record in splitter if not record.blank)


def _read_rows(rows: Collector[M], splitter: RecordSplitter, max_chars: int) -> None:
    records = _records(splitter)
    first = next(records, None)
    if first is None:
        return  # an empty file: no header, no rows
    header = read_header(first, rows.model)
    if isinstance(header, Problem):
        raise load_error(Rejection(first.line, (header,)), rows.source)
    splitter.width = len(header)
    for record in records:
        data = record_data(record, header, first.line, rows.model, max_chars)
        if isinstance(data, list):
            rows.reject(record.line, data)
        else:
            rows.add(record.line, data)


def read_header(first: CsvRecord, model: type[Record]) -> list[str] | Problem:
    """Return the column names of a file's first record, or the problem that makes it unusable."""
    return _header(first, _LAYOUTS[model], model, secret=holds_secrets(model))


def record_data(
    record: CsvRecord,
    header: list[str],
    header_line: int,
    model: type[Record],
    max_chars: int,
) -> dict[str, Any] | list[Problem]:
    """Return the data one record gives ``model`` to validate, or the problems refusing it."""
    layout = _LAYOUTS[model]
    secret = holds_secrets(model)
    if record.fault is not None:
        return [Problem(ROW, _shown(record, secret=secret), record.fault)]
    if record.cell_count != len(header):
        rule = f"has {record.cell_count} cells; the header on line {header_line} has {len(header)}"
        return [Problem(ROW, f"<{record.cell_count} cells>", rule)]
    cells = dict(zip(header, record.cells, strict=True))
    if problems := _cell_problems(record, cells, layout, max_chars, secret=secret):
        return problems
    texts = (unescape_cell(text) if text.startswith("'") else text for text in cells.values())
    try:
        return _to_data(layout, {k: v for k, v in zip(cells, texts, strict=True) if v.strip()})
    except _CellError as exc:
        return [exc.problem]


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

    Rows are records in the CSV sense (RFC 4180): a quoted cell may span lines, and a row's line
    is the one it starts on. A ``"`` inside a cell that does not start with one is a plain
    character. Lines end at ``\n`` or ``\r\n``; a file whose first line ends at a bare ``\r``
    (old Mac) is read with ``\r`` as its line break. Rows whose cells are all empty are skipped
    and not counted. A row is rejected when it is not valid UTF-8, has the wrong number of
    cells, has a cell longer than ``max_field_chars``, is malformed (including a quoted cell
    still open at the end of the file), fails the model's validation (every problem is listed)
    or repeats the id of an earlier row with different content. A row that repeats an earlier
    one exactly is accepted, dropped and counted. A UTF-8 byte-order mark (as Excel writes) is
    ignored.

    No row vanishes, and memory stays bounded: a row is at most ``width * (2 * max_field_chars
    + 3)`` characters long, ``width`` being the header's number of columns (every cell at its
    longest, quoted, each character a doubled quote). A longer one — a 100 MB line, or a quoted
    cell that never closes, from a stray ``"`` — is not held: it is rejected as one row naming
    the lines it covered, and reading resumes on the next line. The file is read in chunks;
    nothing global is changed (Python's ``csv.field_size_limit`` is not used), so reads in
    several threads do not wait for each other.

    A cell that starts with ``'`` followed by ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return (perhaps after more apostrophes) loses that first ``'``: it is how
    :func:`~custpool.write_csv` keeps a spreadsheet from taking a cell for a formula, so what it
    wrote reads back exactly.

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
        Longest cell read, in characters; it also bounds the memory a row may take.

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
    width = len(_LAYOUTS[model].columns)  # the header's, until it is read
    with open_source(source) as (stream, name):
        rows = Collector(model, source=name, strict=strict)
        splitter = RecordSplitter(stream, width=width, max_field_chars=max_field_chars)
        _read_rows(rows, splitter, max_field_chars)
    return rows


# --- writing ------------------------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def escape_cell(text: str, *, formulas: bool = True) -> str:
    r"""Return a cell as written: with a ``'`` before it if a spreadsheet could evaluate it.

    With ``formulas``, a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return (OWASP's list) gets a leading ``'``, which spreadsheets take as "this is text". A cell
    that already starts with ``'`` and then one of those (after any more apostrophes) gets one
    more ``'`` whatever ``formulas`` says, so that :func:`unescape_cell`, which takes one away,
    always gives the cell back.

    Examples
    --------
    >>> escape_cell("=HYPERLINK(\"http://x\")"), escape_cell("'=1"), escape_cell("'x")
    ('\'=HYPERLINK("http://x")', "''=1", "'x")
    >>> escape_cell("=1", formulas=False), unescape_cell(escape_cell("'=1"))
    ('=1', "'=1")
    """
    if _FORMULA.match(text) and (formulas or text.startswith("'")):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """Return a cell as read: one ``'`` fewer if :func:`escape_cell` put one there.

    Examples
    --------
    >>> unescape_cell("'=1+1"), unescape_cell("''@x"), unescape_cell("'x"), unescape_cell("-5.00")
    ('=1+1', "'@x", "'x", '-5.00')
    """
    if text.startswith("'") and _FORMULA.match(text, 1):
        return text[1:]
    return text


def _to_cells(
    record: Record, layout: _Layout, *, reveal_secrets: bool, escape_formulas: bool
) -> list[str]:
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
        cell = _cell(value)
        cells.append(
            cell if layout.never_escaped(column) else escape_cell(cell, formulas=escape_formulas)
        )
    return cells


def write_csv(
    dest: Dest,
    records: Iterable[Record],
    *,
    reveal_secrets: bool = False,
    escape_formulas: bool = True,
) -> int:
    """Write records as CSV: a header, then one row per record, UTF-8, in the order given.

    Columns come in a fixed order (see ``docs/loading.md``). Times are written in UTC
    (``2026-03-01T12:00:00Z``), amounts as exact decimal strings, tags as text forms joined by
    ``;``, flags as ``true``/``false``, absent values as empty cells. The contact handle columns
    (``phone``, ``wechat_id``, ``wecom_external_id``) are written only when ``reveal_secrets`` is
    true; without them the file reads back as customers without contacts. Writing no records
    writes nothing (an empty file reads back as no rows).

    CSV files are opened in spreadsheets, and a spreadsheet takes a cell that starts with ``=``,
    ``+``, ``-`` or ``@`` for a formula: a display name such as ``=cmd|' /C calc'!A0`` (names
    come from customers, WeChat nicknames) could run a command on the reader's machine. So by
    default (``escape_formulas=True``) such a cell, or one starting with a tab or a carriage
    return, is written with a ``'`` before it (the OWASP rule), which spreadsheets show as text;
    :func:`~custpool.read_csv` takes the ``'`` away again, so the file reads back exactly. Ids,
    names, titles and tags are escaped; amounts (``-5.00`` is a number) and contact handles
    (their checked forms cannot call a function) are written as they are, and times, kinds and
    flags never start with those characters. Pass ``escape_formulas=False`` when the file is
    for a program that does not know the convention. A cell that itself starts with ``'`` and
    one of those characters gets one more ``'`` either way, so reading is always exact.

    Parameters
    ----------
    dest
        A path (created or overwritten), or a file object (left open): a text one should be
        opened with ``newline=""``, a binary one receives UTF-8.
    records
        Customers, interactions or pool activities, all of one type.
    reveal_secrets
        Write the contact handle columns, in clear text.
    escape_formulas
        Put a ``'`` before cells a spreadsheet would evaluate (see above).

    Returns
    -------
    int
        The number of rows written, the header not counted.

    Raises
    ------
    custpool.ValidationError
        If the records are not all of one of the three types, or ``escape_formulas`` is not a
        bool (then also a ``TypeError``).

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
    >>> out = io.StringIO()
    >>> write_csv(out, [Customer(id="c-2", display_name="=1+1", tags=["-x"])])
    1
    >>> print(out.getvalue(), end="")
    id,display_name,connected_at,source,tags
    c-2,'=1+1,,,'-x
    >>> read_csv(io.BytesIO(out.getvalue().encode()), Customer).records[0].display_name
    '=1+1'
    """
    if not isinstance(escape_formulas, bool):
        raise WrongTypeError("escape_formulas", escape_formulas, "must be True or False")
    rows = check_records(records)
    if not rows:
        return 0
    layout = _LAYOUTS[type(rows[0])]
    flags = {"reveal_secrets": reveal_secrets, "escape_formulas": escape_formulas}
    with open_dest(dest) as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(layout.written(reveal_secrets=reveal_secrets))
        writer.writerows(_to_cells(r, layout, **flags) for r in rows)
    return len(rows)
