"""Reading an interactions file straight into an :class:`EventTable`, with every rejection kept.

The rows go through the same validation as :func:`~custpool.read_jsonl` and
:func:`~custpool.read_csv` (so a row is rejected for the same reasons, with the same messages);
on top of that, a table holds one currency and only referrals to its own customers, so rows
breaking those rules are rejected too, with their lines. Nothing is lost silently::

    rows_read == rows_accepted + rows_rejected
    rows_accepted == len(table) + duplicates_dropped
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

from custpool._engine import EventTable
from custpool._errors import ValidationError, safe_repr
from custpool._io.csv import collect_csv
from custpool._io.jsonl import collect_jsonl
from custpool._io.loading import Problem, Rejection, RowCounts, load_error
from custpool._model import Interaction

if TYPE_CHECKING:
    from collections.abc import Iterable

    from custpool._io.loading import Source

__all__ = ["EventLoad", "read_events"]

Format = Literal["jsonl", "csv"]
_SUFFIXES: Final = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
_UNKNOWN_REFERRED: Final = (
    "the referred customer must be a customer of the table (have accepted rows, or be listed "
    "in customers=)"
)


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
    """

    table: EventTable | None
    rejections: tuple[Rejection, ...]
    duplicates_dropped: int
    source: str | None

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


def _format_of(source: Source, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in ("jsonl", "csv"):
            raise ValidationError("format", fmt, "must be 'jsonl' or 'csv'")
        return fmt
    suffix = Path(source).suffix.lower() if isinstance(source, str | Path) else ""
    if suffix not in _SUFFIXES:
        rule = "cannot be told from the file name; pass format='jsonl' or format='csv'"
        raise ValidationError("format", None, rule)
    return _SUFFIXES[suffix]


def _currency_problems(
    records: tuple[Interaction, ...], lines: list[int], currency: str | None
) -> tuple[dict[int, list[Problem]], str | None]:
    """Return the rows whose amount is not in the table's currency, and that currency."""
    first: tuple[str, int] | None = None if currency is None else (currency.upper(), -1)
    problems: dict[int, list[Problem]] = {}
    for record, line in zip(records, lines, strict=True):
        if record.amount is None:
            continue
        code = record.amount.currency
        if first is None:
            first = (code, line)
        elif code != first[0]:
            origin = "given as currency=" if first[1] < 0 else f"from line {first[1]}"
            rule = f"must be the table's one currency, {first[0]} ({origin})"
            problems[line] = [Problem("amount.currency", safe_repr(code), rule)]
    return problems, None if first is None else first[0]


def read_events(  # noqa: PLR0913 - keyword-only options, each documented
    source: Source,
    *,
    format: Format | None = None,  # noqa: A002 - the word users look for
    currency: str | None = None,
    customers: Iterable[str] = (),
    strict: bool = False,
    max_row_bytes: int = 1_048_576,
) -> EventLoad:
    r"""Read interactions from JSON Lines or CSV into an :class:`~custpool.EventTable`.

    Each row is validated as :func:`~custpool.read_jsonl` / :func:`~custpool.read_csv` do (the
    same rejections, messages and duplicate handling). Then, in file order, a row is also
    rejected when its amount is in another currency than the table's (``currency``, or else
    that of the first accepted row with an amount), or when it refers a customer who has no
    accepted row and is not in ``customers``.

    Parameters
    ----------
    source
        A path, or a file object opened in binary mode.
    format
        ``"jsonl"`` or ``"csv"``; by default told from the path's suffix (``.jsonl``,
        ``.ndjson``, ``.csv``).
    currency
        The table's currency; by default that of the first accepted amount.
    customers
        Customer ids to include even without rows (e.g. the pool's members).
    strict
        Raise :class:`~custpool.LoadError` at the first rejected row: a row that cannot be
        read raises as it is read; the table's rules (one currency, known referrals) are
        checked once every row is read.
    max_row_bytes
        Longest JSON line, or longest CSV cell in characters.

    Returns
    -------
    EventLoad

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
    ... )
    >>> load = read_events(io.BytesIO(data), format="jsonl")
    >>> load.rows_read, len(load.table), load.table.currency
    (3, 1, 'CNY')
    >>> for rejection in load.rejections:
    ...     print(rejection)  # doctest: +ELLIPSIS
    line 2: amount.currency='USD': must be the table's one currency, CNY (from line 1)
    line 3: referred_id='c-9': the referred customer must be a customer of the table ...
    """
    kind = _format_of(source, format)
    if kind == "jsonl":
        rows = collect_jsonl(source, Interaction, strict=strict, max_line_bytes=max_row_bytes)
    else:
        rows = collect_csv(source, Interaction, strict=strict, max_field_chars=max_row_bytes)
    result = rows.result()
    lines = rows.record_lines
    extra = list(customers)
    problems, table_currency = _currency_problems(result.records, lines, currency)
    # Every customer seen on an accepted row is the table's, even if a table rule then rejects
    # their only row: one rejection never cascades into another.
    known = {r.customer_id for r in result.records}
    known.update(extra)
    for record, line in zip(result.records, lines, strict=True):
        if record.referred_id is not None and record.referred_id not in known:
            problem = Problem("referred_id", safe_repr(record.referred_id), _UNKNOWN_REFERRED)
            problems.setdefault(line, []).append(problem)
    rejected = list(result.rejections)
    for line, found in problems.items():
        rejection = Rejection(line, tuple(found))
        if strict:
            raise load_error(rejection, result.source)
        rejected.append(rejection)
    rejected.sort(key=lambda r: r.line)
    kept = [r for r, n in zip(result.records, lines, strict=True) if n not in problems]
    table = None
    if known:
        table = EventTable.from_interactions(kept, customers=sorted(known), currency=table_currency)
    return EventLoad(table, tuple(rejected), result.duplicates_dropped, result.source)
