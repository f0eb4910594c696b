"""HealthReport.to_frame and health_trend_frame: hand-checked frames, in every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custpool import (
    CopyGate,
    DimensionScore,
    EventTable,
    HealthReport,
    Measure,
    MeasureScore,
    Recommendation,
    ValidationError,
    WrongTypeError,
    example_pool,
    health_trend,
    score_health,
)
from custpool._frames import BACKENDS
from custpool._health import health_trend_frame
from frames_helpers import rows

AS_OF = datetime(2026, 3, 1, tzinfo=UTC)
START = datetime(2026, 1, 30, tzinfo=UTC)


def report(as_of: datetime = AS_OF) -> HealthReport:
    """Two dimensions by hand: participation measured and advised, reach not measured."""
    participation = MeasureScore(
        measure="operate.participation",
        raw=0.15,
        target=0.3,
        score=50.0,  # 100 x 0.15 / 0.3
        weight=1.0,
        explanation="3 of 20 members were active",
    )
    reach = MeasureScore(
        measure="output.reach",
        raw=None,
        target=1.0,
        score=None,
        weight=2.0,
        explanation="no content published in the window",
    )
    return HealthReport(
        as_of=as_of,
        window_start=as_of - timedelta(days=30),
        members=20,
        dimensions=(
            DimensionScore(dimension="output", score=None, weight=1.0, measures=(reach,)),
            DimensionScore(dimension="operate", score=50.0, weight=1.0, measures=(participation,)),
        ),
        overall=50.0,
        band="unhealthy",
        copy_gate=CopyGate(verdict="not_ready", threshold=60.0, reasons=("operate below 60",)),
        recommendations=(
            Recommendation(
                measure="operate.participation",
                points=50.0,  # its share of overall is 1, so fixing it adds 1 x (100 - 50)
                score=50.0,
                advice="invite members to speak",
                advice_zh="邀请成员发言",
            ),
        ),
        non_members=(),
    )


EXPECTED = [
    {
        "as_of": AS_OF,
        "window_start": START,
        "dimension": "output",
        "dimension_zh": "输出",
        "measure": "output.reach",
        "measure_zh": "内容触达",
        "unit": "views per item per member",
        "aim": "at_least",
        "raw": None,  # not measured is null, never 0
        "target": 1.0,
        "target_high": None,
        "score": None,
        "weight": 2.0,
        "measured": False,
        "why": "no content published in the window",
        "points": None,
        "advice": None,
        "advice_zh": None,
    },
    {
        "as_of": AS_OF,
        "window_start": START,
        "dimension": "operate",
        "dimension_zh": "运营",
        "measure": "operate.participation",
        "measure_zh": "参与感：活跃率",
        "unit": "share",
        "aim": "at_least",
        "raw": 0.15,
        "target": 0.3,
        "target_high": None,
        "score": 50.0,
        "weight": 1.0,
        "measured": True,
        "why": "3 of 20 members were active",
        "points": 50.0,
        "advice": "invite members to speak",
        "advice_zh": "邀请成员发言",
    },
]


def test_expected_labels_are_the_measures_own() -> None:
    assert [Measure(row["measure"]).label_zh for row in EXPECTED] == [
        row["measure_zh"] for row in EXPECTED
    ]
    assert [Measure(row["measure"]).unit for row in EXPECTED] == [row["unit"] for row in EXPECTED]


@pytest.mark.parametrize("backend", BACKENDS)
def test_health_report_frame_is_one_hand_checked_row_per_measure(backend: str) -> None:
    assert rows(report().to_frame(backend)) == EXPECTED


@pytest.mark.parametrize("backend", BACKENDS)
def test_health_report_frame_shows_times_in_the_zone_asked_for(backend: str) -> None:
    got = rows(report().to_frame(backend, tz="Asia/Shanghai"))
    assert [(r["as_of"], r["window_start"]) for r in got] == [(AS_OF, START)] * 2
    assert got[0]["as_of"].utcoffset() == timedelta(hours=8)
    assert got[0]["as_of"].hour == 8  # 00:00 UTC is 08:00 in Shanghai


def test_health_report_frame_matches_a_scored_report() -> None:
    pool = example_pool()
    table = EventTable.from_interactions(pool.interactions)
    scored = score_health(table, pool.charter, datetime(2026, 1, 25, tzinfo=UTC))
    got = rows(scored.to_frame("pyarrow"))
    measures = [m for d in scored.dimensions for m in d.measures]
    assert [r["measure"] for r in got] == [m.measure.value for m in measures]
    assert [r["score"] for r in got] == [m.score for m in measures]
    assert [r["measured"] for r in got] == [m.measured for m in measures]
    advised = {r.measure.value: r.points for r in scored.recommendations}
    assert {r["measure"]: r["points"] for r in got if r["points"] is not None} == advised


@pytest.mark.parametrize("backend", BACKENDS)
def test_health_trend_frame_is_one_row_per_period_and_measure(backend: str) -> None:
    later = AS_OF + timedelta(days=31)
    got = rows(health_trend_frame((report(), report(later)), backend))
    # 2 reports x 2 measures, report by report, in ISOOC order within each
    assert [(r["as_of"], r["measure"]) for r in got] == [
        (AS_OF, "output.reach"),
        (AS_OF, "operate.participation"),
        (later, "output.reach"),
        (later, "operate.participation"),
    ]
    assert got[:2] == EXPECTED


def test_health_trend_frame_of_health_trend_has_every_measure_per_period() -> None:
    pool = example_pool()
    table = EventTable.from_interactions(pool.interactions)
    ends = [datetime(2026, 1, day, tzinfo=UTC) for day in (15, 25)]
    trend = health_trend(table, pool.charter, ends)
    frame = health_trend_frame(trend, "polars", tz="Asia/Shanghai")
    per_report = sum(len(d.measures) for d in trend[0].dimensions)
    assert frame.height == 2 * per_report
    assert sorted({t.astimezone(UTC) for t in frame["as_of"].to_list()}) == ends


@pytest.mark.parametrize("backend", BACKENDS)
def test_health_trend_frame_of_no_reports_has_the_columns_and_no_rows(backend: str) -> None:
    frame = health_trend_frame((), backend)
    names = list(frame.column_names if backend == "pyarrow" else frame.columns)
    assert names == list(EXPECTED[0])
    assert rows(frame) == []


def test_health_frames_refuse_an_unknown_backend() -> None:
    with pytest.raises(ValidationError) as caught:
        report().to_frame("numpy")
    assert caught.value.field == "backend"
    with pytest.raises(ValidationError) as caught:
        health_trend_frame([report()], "numpy")
    assert caught.value.field == "backend"


def test_health_trend_frame_refuses_a_single_report_or_a_stray_item() -> None:
    with pytest.raises(WrongTypeError) as caught:
        health_trend_frame(report())  # type: ignore[arg-type]
    assert caught.value.field == "reports"
    with pytest.raises(WrongTypeError) as caught:
        health_trend_frame([report(), "report"])  # type: ignore[list-item]
    assert caught.value.field == "reports[1]"
    assert (caught.value.value, caught.value.rule) == ("str", "must be a HealthReport")


def test_health_trend_frame_is_pandas_by_default() -> None:
    pd = pytest.importorskip("pandas")
    frame = health_trend_frame([report()])
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == list(EXPECTED[0])
