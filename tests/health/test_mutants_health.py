"""Tests that kill the health room's surviving mutants (tools/mutate.py health; docs/testing.md).

They pin the words of the readable reports: how numbers and targets are written, what "not
measured" looks like at each level, and how much advice a report prints. The figures are the
example pool's, scored at day 24 as in tests/health/test_health.py (hand-checked there).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from custpool import (
    EXAMPLE_START,
    CustomerTags,
    EventTable,
    HealthChange,
    HealthReport,
    Measure,
    MeasureChange,
    example_pool,
    score_health,
)
from custpool._health.report import _number

AS_OF = EXAMPLE_START + timedelta(days=24)


@pytest.fixture(scope="module")
def reports() -> tuple[HealthReport, HealthReport]:
    """The example pool at day 24, and the day before it started (no members yet)."""
    pool = example_pool()
    table = EventTable.from_interactions(pool.interactions)
    tags = CustomerTags.from_customers(pool.customers, table)

    def scored(as_of):
        return score_health(table, pool.charter, as_of, tags=tags, activities=pool.activities)

    return scored(AS_OF), scored(EXAMPLE_START - timedelta(days=1))


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (0.8, "share", "80.0%"),  # shares as percentages, one decimal
        (5.0, "members", "5"),  # whole numbers without decimals
        (0.9333333333333333, "per week", "0.933"),  # 4 items / (30 / 7) weeks, 3 digits
        (1234.5, "hours", "1,234"),  # 100 and more: no decimals (half to even), thousands comma
    ],
)
def test_numbers_are_written_by_unit_and_size(value, unit, text):
    assert _number(value, unit) == text


def test_targets_in_words(reports):
    report, _ = reports
    assert report.measure("interest.members").target_text() == "at least 80.0%"
    assert report.measure("structure.complaints").target_text() == "at most 0.02"
    assert report.measure("structure.size").target_text() == "5 to 500"
    untargeted = report.measure("output.cadence").model_copy(update={"target": None})
    assert untargeted.target_text() == "no target"


def test_a_measure_prints_raw_in_its_unit_against_the_target(reports):
    report, _ = reports
    members = str(report.measure("interest.members"))
    assert members.startswith("interest.members: 100.0 (100.0% against at least 80.0%) — ")
    # 4 items in 30/7 weeks = 0.933 a week against 3: score 0.933 / 3 × 100 = 31.1
    cadence = str(report.measure("output.cadence"))
    assert cadence.startswith("output.cadence: 31.1 (0.933 against at least 3) — ")
    # a hand-made score without its raw value is printed as not measured, not as a number
    half = report.measure("output.cadence").model_copy(update={"raw": None})
    assert str(half) == f"output.cadence: not measured — {half.explanation}"


def test_the_report_prints_four_dimensions_copy_and_three_pieces_of_advice(reports):
    report, _ = reports
    assert len(report.recommendations) > 3  # more advice than is printed
    lines = str(report).splitlines()
    assert lines[1:5] == [
        "  interest 同好: 96.9",
        "  structure 结构: 86.8",
        "  output 输出: 60.4",
        "  operate 运营: 66.7",
    ]
    assert lines[5] == "  copy 复制: not_ready"
    # 1 headline + 4 dimensions + copy + its 2 reasons + the top 3 recommendations
    assert len(lines) == 1 + 4 + 1 + 2 + 3
    assert lines[8:] == [f"  {r}" for r in report.recommendations[:3]]


def test_a_report_without_members_says_not_measured(reports):
    _, empty = reports
    lines = str(empty).splitlines()
    assert lines[0] == "Health at 2026-01-04: not measured, 0 members"
    assert "  interest 同好: not measured" in lines


def test_changes_print_missing_scores_as_words():
    move = MeasureChange(
        measure=Measure.OPERATE_RETENTION, score_before=None, score_after=80.0, points=20.0
    )
    assert str(move) == "+20.0 operate.retention (not measured → 80.0)"
    change = HealthChange(overall_before=None, overall_after=80.0, moves=(move,))
    assert str(change) == "overall n/a\n  +20.0 operate.retention (not measured → 80.0)"
