"""The one renderer: cells formatted alike, text and HTML from the same report, escaped HTML."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custpool import EventTable, Money, display_options, pool_kpis, silent_groups
from custpool._display import (
    Amount,
    Count,
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
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Cells(HTMLParser):
    """Collect an HTML document's tags and the text of each table cell and caption."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.cells: list[str] = []
        self._open = False

    def handle_starttag(self, tag, attrs):  # noqa: ARG002 - HTMLParser's signature
        self.tags.append(tag)
        if tag in {"td", "th", "caption"}:
            self._open = True
            self.cells.append("")

    def handle_endtag(self, tag):
        if tag in {"td", "th", "caption"}:
            self._open = False

    def handle_data(self, data):
        if self._open:
            self.cells[-1] += data


def parse(html: str) -> Cells:
    parser = Cells()
    parser.feed(html)
    parser.close()
    return parser


@pytest.mark.parametrize(
    ("cell", "en", "zh"),
    [
        (Count(1234567), "1,234,567", "1,234,567"),
        (Count(-5, signed=True), "-5", "-5"),
        (Count(5, signed=True), "+5", "+5"),
        (Count(None), "n/a", "无"),
        (Pct(0.4), "40.0%", "40.0%"),
        (Pct(1 / 3), "33.3%", "33.3%"),
        (Pct(None), "n/a", "无"),
        (Pct(float("nan")), "n/a", "无"),
        (Number(1234.5678), "1,234.57", "1,234.57"),
        (Number(0.0, 1, signed=True), "+0.0", "+0.0"),
        (Amount(Money(amount=Decimal("1234567.50"), currency="CNY")), "1,234,567.50 CNY", None),
        (Amount(Money(amount=Decimal("12.30"), currency="USD"), signed=True), "+12.30 USD", None),
        (Amount(None), "n/a", "无"),
        (Text("user scale", "规模用户"), "user scale", "规模用户"),
        (Text("c-001"), "c-001", "c-001"),
        (Time(None), "never", "从未"),
        (Phrase(Count(3), Text("of", "/"), Count(5)), "3 of 5", "3 / 5"),
    ],
)
def test_cells_format_numbers_alike_in_each_language(cell, en, zh):
    assert cell.show("en", UTC) == en
    assert cell.show("zh", UTC) == (en if zh is None else zh)


def test_times_show_in_the_zone_asked_for():
    # A Shanghai December is (Nov 30 16:00 UTC, Dec 31 16:00 UTC]: issue 16's example.
    start, end = datetime(2025, 11, 30, 16, tzinfo=UTC), datetime(2025, 12, 31, 16, tzinfo=UTC)
    assert (
        Span(start, end).show("en", SHANGHAI) == "(2025-12-01 00:00+08:00, 2026-01-01 00:00+08:00]"
    )
    assert Span(start, end).show("en", UTC) == "(2025-11-30 16:00+00:00, 2025-12-31 16:00+00:00]"


REPORT = Report(
    Phrase(Text("pool", "客户池"), Time(datetime(2026, 1, 1, tzinfo=UTC))),
    (
        Section(((Text("customers", "客户"), Count(12345)), (Text("active", "活跃"), Pct(0.25)))),
        Section(
            tuple((Text(f"g-{k}"), Count(k * 1000), Pct(k / 10)) for k in range(5)),
            title=Text("groups", "客户群"),
            columns=(Text("group", "群"), Text("customers", "客户"), Text("share", "占比")),
        ),
    ),
)


def test_text_lines_and_aligned_table():
    assert render_text(REPORT, "en", UTC, None).splitlines() == [
        "pool 2026-01-01 00:00+00:00",
        "  customers: 12,345",
        "  active: 25.0%",
        "  groups:",
        "    group  customers  share",
        "    g-0            0   0.0%",
        "    g-1        1,000  10.0%",
        "    g-2        2,000  20.0%",
        "    g-3        3,000  30.0%",
        "    g-4        4,000  40.0%",
    ]


def test_chinese_characters_count_as_two_columns_when_aligning():
    lines = render_text(REPORT, "zh", SHANGHAI, None).splitlines()
    assert lines[0] == "客户池 2026-01-01 08:00+08:00"
    # "群" is two columns wide, "g-0" three: the head is padded to three, the numbers aligned
    assert lines[4:6] == ["    群    客户   占比", "    g-0      0   0.0%"]


def test_columns_of_words_align_left_and_the_others_right():
    # "advice" holds only Text: it reads from the left; "points" (numbers) aligns right
    report = Report(
        Text("advice"),
        (
            Section(
                (
                    (Text("reply"), Number(12.4, 1), Text("Reply faster.")),
                    (Text("norms"), Number(6.0, 1), Text("Enforce the norms.")),
                ),
                columns=(Text("measure"), Text("points"), Text("advice")),
            ),
        ),
    )
    assert render_text(report, "en", UTC, None).splitlines()[1:] == [
        "  measure  points  advice",
        "  reply      12.4  Reply faster.",
        "  norms       6.0  Enforce the norms.",
    ]
    html = render_html(report, "en", UTC, None)
    assert '<td style="text-align:right">12.4</td>' in html
    assert '<td style="text-align:left">Reply faster.</td>' in html


def test_max_rows_elides_and_says_how_many():
    text = render_text(REPORT, "en", UTC, 2).splitlines()
    assert text[-3:] == [
        "    g-0            0   0.0%",
        "    g-1        1,000  10.0%",
        "    … 3 more rows",
    ]
    html = parse(render_html(REPORT, "zh", UTC, 2))
    assert "… 另有 3 行" in html.cells
    assert "g-2" not in html.cells


def test_html_is_one_table_with_the_text_cells():
    html = render_html(REPORT, "en", UTC, None)
    parsed = parse(html)
    assert parsed.tags.count("table") == 1
    assert "caption" in parsed.tags
    assert "script" not in parsed.tags
    assert "link" not in parsed.tags  # no external CSS
    assert parsed.cells[0] == "pool 2026-01-01 00:00+00:00"
    for value in ("12,345", "25.0%", "groups", "4,000", "40.0%"):
        assert value in parsed.cells


@given(st.text(min_size=1, max_size=20))
def test_html_escapes_every_string(name):
    report = Report(Text(name), (Section(((Text(name), Text(name)),)),))
    parsed = parse(render_html(report, "en", UTC, None))
    assert parsed.tags == ["table", "caption", "tr", "th", "td"]  # nothing injected
    assert parsed.cells == [name, name, name]


HOSTILE = '<script>alert("x")</script>&amp'


def hostile_table():
    """Two customers who joined a group named like markup, and a message a week before."""
    t0 = int(datetime(2026, 3, 1, tzinfo=UTC).timestamp() * 1_000_000)
    day = 86_400_000_000
    return EventTable.from_arrays(
        customer=[0, 1, 0],
        time=[t0, t0, t0 + day],
        kind=[0, 0, 2],
        direction=[0, 0, 0],
        group=[0, 0, 0],
        group_ids=[HOSTILE],
        customer_ids=["<a&b>", "c>d"],
    )


def test_ids_with_markup_are_escaped_in_results():
    table = hostile_table()
    silent = silent_groups(table, datetime(2026, 3, 10, tzinfo=UTC))
    assert silent.group_ids == (HOSTILE,)
    parsed = parse(silent._repr_html_())
    assert "script" not in parsed.tags
    assert HOSTILE in parsed.cells
    assert "&lt;script&gt;" in silent._repr_html_()
    by = pool_kpis(
        table, datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 3, 10, tzinfo=UTC), by="group"
    )
    parsed = parse(by._repr_html_())
    assert "script" not in parsed.tags
    assert HOSTILE in parsed.cells


def test_repr_html_follows_the_display_options():
    silent = silent_groups(hostile_table(), datetime(2026, 3, 10, tzinfo=UTC))
    with display_options(lang="zh", tz="Asia/Shanghai"):
        parsed = parse(silent._repr_html_())
    # the last customer act, Mar 2 00:00 UTC, is 08:00 in Shanghai
    assert "2026-03-02 08:00+08:00" in parsed.cells
    assert "客户群" in parsed.cells
