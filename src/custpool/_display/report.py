"""What a result shows, said once: a title and sections of typed cells, rendered as text or HTML.

A result describes itself with a :class:`Report`: a title (a :class:`Phrase`) and
:class:`Section` s. A section is either a list of ``label: value`` lines (no ``columns``) or a
table (``columns`` names its head; each row's first cell is its label). Cells are typed, so the
one renderer formats them alike everywhere:

- :class:`Text` — words in English and Chinese (an id is the same in both);
- :class:`Count` — an integer with thousands separators: ``12,345``;
- :class:`Number` — a float with a fixed number of decimals (and a sign, for a score);
- :class:`Pct` — a share as a percentage with one decimal: ``40.0%``, or n/a;
- :class:`Amount` — money (anything with ``amount`` and ``currency``): ``1,234.50 CNY``;
- :class:`Time` and :class:`Span` — an instant, a window ``(start, end]``, in the display zone;
- :class:`Phrase` — cells written one after the other.

:func:`render_text` and :func:`render_html` turn a report into text and into one compact,
self-styled ``<table>`` (inline styles only, every string escaped). :class:`Displayed` gives a
result class ``to_text``, ``_repr_html_`` and a ``__str__`` from its ``_report`` method.

Examples
--------
>>> from datetime import UTC, datetime
>>> report = Report(
...     Phrase(Text("pool", "客户池"), Time(datetime(2026, 1, 1, tzinfo=UTC))),
...     (Section(rows=((Text("customers", "客户"), Count(12345)), (Text("active", "活跃"), Pct(0.4)))),),
... )
>>> print(render_text(report, "en", UTC, None))
pool 2026-01-01 00:00+00:00
  customers: 12,345
  active: 40.0%
>>> from zoneinfo import ZoneInfo
>>> print(render_text(report, "zh", ZoneInfo("Asia/Shanghai"), None))
客户池 2026-01-01 08:00+08:00
  客户: 12,345
  活跃: 40.0%
"""  # noqa: E501 - a doctest line

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Protocol

from custpool._display.options import resolve

if TYPE_CHECKING:
    from datetime import datetime, tzinfo
    from decimal import Decimal

__all__ = [
    "Amount",
    "Cell",
    "Count",
    "Displayed",
    "Number",
    "Pct",
    "Phrase",
    "Report",
    "Section",
    "Span",
    "Text",
    "Time",
    "render_html",
    "render_text",
    "report_of",
]

_NA: Final = {"en": "n/a", "zh": "无"}


class Cell(Protocol):
    """A value shown in a report: it writes itself in a language and a time zone."""

    def show(self, lang: str, zone: tzinfo) -> str:
        """Return the cell as text in ``lang``, times in ``zone``."""
        ...


@dataclass(frozen=True, slots=True)
class Text:
    """Words: English, and Chinese (the English when None). An id is ``Text(id)``."""

    en: str
    zh: str | None = None

    def show(self, lang: str, zone: tzinfo) -> str:  # noqa: ARG002 - the Cell protocol
        """Return the words in ``lang``."""
        return self.zh if lang == "zh" and self.zh is not None else self.en


@dataclass(frozen=True, slots=True)
class Count:
    """An integer (None: n/a), with thousands separators, signed when ``signed``."""

    value: int | None
    signed: bool = False

    def show(self, lang: str, zone: tzinfo) -> str:  # noqa: ARG002 - the Cell protocol
        """Return ``12,345`` (``+12`` when signed)."""
        if self.value is None:
            return _NA[lang]
        return f"{self.value:+,}" if self.signed else f"{self.value:,}"


@dataclass(frozen=True, slots=True)
class Number:
    """A float (None or NaN: n/a) with ``digits`` decimals, signed when ``signed``."""

    value: float | None
    digits: int = 2
    signed: bool = False

    def show(self, lang: str, zone: tzinfo) -> str:  # noqa: ARG002 - the Cell protocol
        """Return ``1,234.57``."""
        if self.value is None or self.value != self.value:
            return _NA[lang]
        sign = "+" if self.signed else ""
        return f"{self.value:{sign},.{self.digits}f}"


@dataclass(frozen=True, slots=True)
class Pct:
    """A share (0.4 is 40%) with one decimal; None or NaN: n/a."""

    value: float | None

    def show(self, lang: str, zone: tzinfo) -> str:  # noqa: ARG002 - the Cell protocol
        """Return ``40.0%``."""
        if self.value is None or self.value != self.value:
            return _NA[lang]
        return f"{self.value:.1%}"


class _Money(Protocol):
    @property
    def amount(self) -> Decimal: ...

    @property
    def currency(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Amount:
    """Money (a :class:`~custpool.Money`; None: n/a) with separators and currency; ``signed``."""

    value: _Money | None
    signed: bool = False

    def show(self, lang: str, zone: tzinfo) -> str:  # noqa: ARG002 - the Cell protocol
        """Return ``1,234.50 CNY`` (``+1,234.50 CNY`` when signed)."""
        if self.value is None:
            return _NA[lang]
        sign = "+" if self.signed else ""
        return f"{self.value.amount:{sign},} {self.value.currency}"


@dataclass(frozen=True, slots=True)
class Time:
    """An instant (None: never), shown to the minute in the display zone."""

    value: datetime | None

    def show(self, lang: str, zone: tzinfo) -> str:
        """Return ``2026-01-01 08:00+08:00``."""
        if self.value is None:
            return "never" if lang == "en" else "从未"
        return self.value.astimezone(zone).isoformat(sep=" ", timespec="minutes")


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open window ``(start, end]`` (anything with ``start`` and ``end`` datetimes)."""

    start: datetime
    end: datetime

    def show(self, lang: str, zone: tzinfo) -> str:
        """Return ``(start, end]`` in the display zone."""
        return f"({Time(self.start).show(lang, zone)}, {Time(self.end).show(lang, zone)}]"


@dataclass(frozen=True, slots=True, init=False)
class Phrase:
    """Cells written one after the other, separated by ``sep`` (a space by default)."""

    parts: tuple[Cell, ...]
    sep: str

    def __init__(self, *parts: Cell, sep: str = " ") -> None:
        object.__setattr__(self, "parts", parts)
        object.__setattr__(self, "sep", sep)

    def show(self, lang: str, zone: tzinfo) -> str:
        """Return the parts written in turn."""
        return self.sep.join(part.show(lang, zone) for part in self.parts)


Row = tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Section:
    """Part of a report: ``label: value`` lines, or a table when ``columns`` is given.

    Attributes
    ----------
    rows
        Each row's first cell is its label; a line section has one value after it.
    title
        The section's heading, or None.
    columns
        The table's head (one label per cell of a row); empty for a line section.
    left_out
        Rows the result left out already (a long list cut short); the renderer says so.
    """

    rows: tuple[Row, ...]
    title: Cell | None = None
    columns: tuple[Cell, ...] = ()
    left_out: int = 0


@dataclass(frozen=True, slots=True)
class Report:
    """What a result shows: a title and its sections."""

    title: Cell
    sections: tuple[Section, ...] = ()


def _width(text: str) -> int:
    """Return how many columns ``text`` takes in a terminal (a CJK character takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool) -> str:
    space = " " * (width - _width(text))
    return space + text if right else text + space


def _kept(section: Section, max_rows: int | None) -> tuple[tuple[Row, ...], int]:
    """Return the rows to show (the first ``max_rows``) and how many are left out."""
    rows = section.rows
    if max_rows is None or len(rows) <= max_rows:
        return rows, section.left_out
    return rows[:max_rows], len(rows) - max_rows + section.left_out


def _right(section: Section, rows: tuple[Row, ...]) -> list[bool]:
    """Return, per column of a table, whether it aligns right: all but the label and words.

    A column whose every shown cell is :class:`Text` (words: an advice, an explanation) reads
    from the left; any other (counts, shares, money, times, phrases) aligns right.
    """
    return [
        k > 0 and not (rows and all(isinstance(row[k], Text) for row in rows))
        for k in range(len(section.columns))
    ]


def _more(left_out: int, lang: str) -> str:
    return f"… {left_out:,} more rows" if lang == "en" else f"… 另有 {left_out:,} 行"


def render_text(report: Report, lang: str, zone: tzinfo, max_rows: int | None) -> str:
    """Return ``report`` as text: the title, then each section indented.

    A table's columns are aligned: a column of words (:class:`Text` only) to the left, any other
    (numbers, money, times) to the right, CJK characters counted as two.
    """
    lines = [report.title.show(lang, zone)]
    for section in report.sections:
        indent = "  "
        if section.title is not None:
            lines.append(f"  {section.title.show(lang, zone)}:")
            indent = "    "
        rows, left_out = _kept(section, max_rows)
        shown = [[cell.show(lang, zone) for cell in row] for row in rows]
        if not section.columns:
            lines.extend(f"{indent}{row[0]}: {' '.join(row[1:])}" for row in shown)
        else:
            head = [cell.show(lang, zone) for cell in section.columns]
            widths = [max(_width(r[k]) for r in [head, *shown]) for k in range(len(head))]
            right = _right(section, rows)
            for row in [head, *shown]:
                cells = (_pad(t, w, right=r) for t, w, r in zip(row, widths, right, strict=True))
                lines.append(indent + "  ".join(cells).rstrip())
        if left_out:
            lines.append(indent + _more(left_out, lang))
    return "\n".join(lines)


# Inline styles only (notebook viewers drop <style> blocks), kept short: they repeat per cell.
_TABLE: Final = "border-collapse:collapse;font-size:0.9em;font-variant-numeric:tabular-nums"
_CAPTION: Final = "caption-side:top;text-align:left;font-weight:bold"
_HEAD: Final = "text-align:left;border-bottom:1px solid #999"
_LABEL: Final = "text-align:left;font-weight:normal"
_VALUE: Final = "text-align:right"
_WORDS: Final = "text-align:left"


def render_html(report: Report, lang: str, zone: tzinfo, max_rows: int | None) -> str:
    """Return ``report`` as one ``<table>`` with inline styles; every string is escaped.

    The caption is the title; each section's title is a heading row, a table section's head a
    row of ``<th>``, and each row a ``<th>`` label and ``<td>`` values (aligned as in
    :func:`render_text`).
    """

    def esc(cell: Cell) -> str:
        return html.escape(cell.show(lang, zone))

    span = max([2, *(len(s.columns) for s in report.sections)])
    out = [f'<table class="custpool" style="{_TABLE}">']
    out.append(f'<caption style="{_CAPTION}">{esc(report.title)}</caption>')
    for section in report.sections:
        if section.title is not None:
            out.append(f'<tr><th colspan="{span}" style="{_HEAD}">{esc(section.title)}</th></tr>')
        if section.columns:
            head = "".join(f'<th style="{_HEAD}">{esc(c)}</th>' for c in section.columns)
            out.append(f"<tr>{head}</tr>")
        rows, left_out = _kept(section, max_rows)
        right = _right(section, rows)
        for row in rows:
            label, *values = row
            stretch = span - len(row)
            cells = [
                f'<td style="{_VALUE if k >= len(right) or right[k] else _WORDS}">{esc(v)}</td>'
                for k, v in enumerate(values, start=1)
            ]
            if stretch and cells:
                cells[-1] = cells[-1].replace("<td ", f'<td colspan="{stretch + 1}" ', 1)
            out.append(f'<tr><th style="{_LABEL}">{esc(label)}</th>{"".join(cells)}</tr>')
        if left_out:
            more = html.escape(_more(left_out, lang))
            out.append(f'<tr><td colspan="{span}" style="{_LABEL}">{more}</td></tr>')
    out.append("</table>")
    return "\n".join(out)


def report_of(result: object) -> Report | None:
    """Return the report of a :class:`Displayed` result, or None for any other object."""
    return result._report() if isinstance(result, Displayed) else None  # noqa: SLF001 - its hook


class Displayed:
    """Display for a result class: ``to_text``, ``_repr_html_`` and ``__str__`` from ``_report``.

    A subclass writes ``_report(self) -> Report``. Its own ``__str__``, if it has one, wins over
    the one given here (which is ``to_text()`` with the display options).
    """

    __slots__ = ()

    def _report(self) -> Report:
        raise NotImplementedError  # pragma: no cover - every subclass writes it

    def to_text(self, lang: str | None = None, tz: str | tzinfo | None = None) -> str:
        """Return the report as text, in ``lang`` with times in ``tz``.

        Parameters
        ----------
        lang
            ``"en"`` or ``"zh"``; None takes ``custpool.display.lang``.
        tz
            An IANA zone name such as ``"Asia/Shanghai"`` or a ``tzinfo``; None takes
            ``custpool.display.tz`` (UTC by default). Only how times read changes.

        Returns
        -------
        str

        Raises
        ------
        custpool.ValidationError
            If ``lang`` or ``tz`` is not valid.
        """
        return render_text(self._report(), *resolve(lang, tz))

    def _repr_html_(self) -> str:
        """Return the report as an HTML table, with the display options (for Jupyter)."""
        return render_html(self._report(), *resolve())

    def __str__(self) -> str:
        """Return :meth:`to_text` with the display options."""
        return self.to_text()
