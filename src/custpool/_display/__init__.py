"""Display: how results show themselves as text and as HTML, and the display options.

Holds :mod:`~custpool._display.options` (``custpool.display`` and ``custpool.display_options``:
language, time zone and row limit for display) and :mod:`~custpool._display.report` (the small
structure a result describes itself with — a title and sections of labelled, typed cells — and
the one renderer that turns it into text and into an HTML table). A result class subclasses
:class:`Displayed` and writes one method, ``_report``; ``to_text``, ``_repr_html_`` and, when
the class has none of its own, ``__str__`` come with it. :mod:`~custpool._display.progress` holds
the progress callback long operations report through (:class:`Progress`, :class:`Ticker`) and
its adaptor to a tqdm bar (:func:`tqdm_progress`, imported when called).

Base layer: may import :mod:`custpool._errors` only (no numpy, no model): a cell holding money
reads its ``amount`` and ``currency`` attributes, so :class:`~custpool.Money` is not imported.
"""

from __future__ import annotations

from custpool._display.options import (
    DisplayOptions,
    display,
    display_options,
    resolve,
)
from custpool._display.progress import Progress, Ticker, check_progress, tqdm_progress
from custpool._display.report import (
    Amount,
    Cell,
    Count,
    Displayed,
    Number,
    Pct,
    Phrase,
    Report,
    Section,
    Span,
    Text,
    Time,
    render_html,
    render_text,
    report_of,
)

__all__ = [
    "Amount",
    "Cell",
    "Count",
    "DisplayOptions",
    "Displayed",
    "Number",
    "Pct",
    "Phrase",
    "Progress",
    "Report",
    "Section",
    "Span",
    "Text",
    "Ticker",
    "Time",
    "check_progress",
    "display",
    "display_options",
    "render_html",
    "render_text",
    "report_of",
    "resolve",
    "tqdm_progress",
]
