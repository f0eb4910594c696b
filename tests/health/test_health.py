"""score_health on the example pool, every number checked by hand; errors; trend; explain_change.

The example pool (``custpool._model.example``) scored at day 24 (2026-01-29 02:00 UTC), window
(day -6, day 24]. Members at day 24: c-001 (advocate), c-002 (converted), c-003 (engaged),
c-005 and c-006 (connected); c-004 churned on day 15.
"""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta, timezone

import pytest

from custpool import (
    EXAMPLE_START,
    Aim,
    CopyVerdict,
    CustomerTags,
    Dimension,
    EventTable,
    HealthBand,
    HealthPolicy,
    HealthReport,
    InteractionKind,
    Measure,
    PoolActivity,
    PoolCharter,
    ValidationError,
    WrongTypeError,
    example_pool,
    explain_change,
    health_trend,
    score_against,
    score_health,
)

AS_OF = EXAMPLE_START + timedelta(days=24)
WEEKS = 30 / 7  # the default 30-day window


@pytest.fixture(scope="module")
def inputs() -> tuple[EventTable, PoolCharter, CustomerTags, tuple[PoolActivity, ...]]:
    pool = example_pool()
    table = EventTable.from_interactions(pool.interactions)
    return table, pool.charter, CustomerTags.from_customers(pool.customers, table), pool.activities


@pytest.fixture(scope="module")
def report(
    inputs: tuple[EventTable, PoolCharter, CustomerTags, tuple[PoolActivity, ...]],
) -> HealthReport:
    table, charter, tags, activities = inputs
    return score_health(table, charter, AS_OF, tags=tags, activities=activities)


def raw_and_score(report: HealthReport, measure: str) -> tuple[float | None, float | None]:
    m = report.measure(measure)
    return m.raw, m.score


# -- every measure, by hand -----------------------------------------------------------------------


def test_interest_by_hand(report: HealthReport) -> None:
    # all five members carry interest:咖啡
    assert raw_and_score(report, "interest.members") == (1.0, 100.0)
    # posts in the window: post-1 (咖啡), post-2 (latte art), post-3 (promotion), post-4
    # (single origin): 3 of 4 hit an interest; 0.75 / 0.8 target
    assert raw_and_score(report, "interest.content") == (0.75, pytest.approx(100 * 0.75 / 0.8))
    assert report.dimension("interest").score == pytest.approx((100 + 93.75) / 2)


def test_structure_by_hand(report: HealthReport) -> None:
    assert raw_and_score(report, "structure.size") == (5.0, 100.0)  # within 5 to 500
    size = report.measure("structure.size")
    assert (size.target, size.target_high) == (5.0, 500.0)
    # engaged (c-003), converted (c-002), advocate (c-001): 3 of 5
    assert raw_and_score(report, "structure.depth") == (0.6, 100.0)
    assert raw_and_score(report, "structure.advocates") == (0.2, 100.0)
    # members' own rows in the window: c-001 8, c-002 8, c-003 4 (its message is outbound),
    # c-005 2, c-006 2 = 24; the two with 8 make 16 >= 12: 2 of 5 active -> 40 per 100
    assert raw_and_score(report, "structure.spread") == (40.0, 100.0)
    assert raw_and_score(report, "structure.platforms") == (1.0, 100.0)  # all four used
    # c-005 carries lifecycle:blocked: 4 of 5 fit; 0.8 / 0.95
    assert raw_and_score(report, "structure.joining") == (0.8, pytest.approx(80 / 0.95))
    assert report.non_members == ("c-005",)
    assert raw_and_score(report, "structure.norms") == (3.0, 100.0)
    # one complaint (c-002, day 22) for 5 members: 0.2 against at most 0.02 -> 100 * 0.02 / 0.2
    assert raw_and_score(report, "structure.complaints") == (0.2, pytest.approx(10.0))
    expected = (100 * 6 + 80 / 0.95 + 10) / 8
    assert report.dimension("structure").score == pytest.approx(expected)


def test_output_by_hand(report: HealthReport) -> None:
    # 4 posts in 30/7 weeks against 3 per week
    cadence = report.measure("output.cadence")
    assert cadence.raw == pytest.approx(4 / WEEKS)
    assert cadence.score == pytest.approx(100 * (4 / WEEKS) / 3)
    # gaps from the window start (day -6) through posts on days 1, 4, 8, 15 to day 24
    gaps = [7, 3, 4, 7, 9]
    cv = statistics.pstdev(gaps) / statistics.mean(gaps)  # sqrt(4.8) / 6 = 0.365
    assert raw_and_score(report, "output.regularity") == (pytest.approx(cv), 100.0)
    # c-003 viewed post-1 and post-2: 2 views / (4 items x 5 members) = 0.1 against 0.2
    assert raw_and_score(report, "output.reach") == (pytest.approx(0.1), pytest.approx(50.0))
    expected = (100 * (4 / WEEKS) / 3 + 100 + 50) / 3
    assert report.dimension("output").score == pytest.approx(expected)


def test_operate_by_hand(report: HealthReport) -> None:
    # rituals on days 9 and 16: 2 in 30/7 weeks against 1 per week
    rituals = report.measure("operate.rituals")
    assert rituals.raw == pytest.approx(2 / WEEKS)
    assert rituals.score == pytest.approx(100 * 2 / WEEKS)
    # c-001 attended ev-latte-1, c-002 ev-latte-2: 2 / (2 rituals x 5 members) = 0.2
    assert raw_and_score(report, "operate.attendance") == (0.2, 100.0)
    assert raw_and_score(report, "operate.participation") == (1.0, 100.0)  # all 5 active
    # 2 operators + 1 advocate per 5 members = 60 per 100
    assert raw_and_score(report, "operate.roles") == (60.0, 100.0)
    # c-001's message of day 3 never got a reply: it waits until day 24, 21 x 24 = 504 hours
    assert raw_and_score(report, "operate.reply_hours") == (504.0, pytest.approx(100 * 4 / 504))
    # nobody was connected 90 days before: not measured, not zero
    retention = report.measure("operate.retention")
    assert (retention.raw, retention.score) == (None, None)
    assert "no members on 2025-10-31" in retention.explanation
    # c-002's group post and reaction are peer: 2 of the members' 19 rows taking part (their 24
    # customer-initiated rows less their 5 connects: joining is not taking part)
    peer = report.measure("operate.peer_share")
    assert peer.raw == pytest.approx(2 / 19)
    assert peer.score == pytest.approx(100 * (2 / 19) / 0.2)
    scores = [100 * 2 / WEEKS, 100, 100, 100, 100 * 4 / 504, 100 * (2 / 19) / 0.2]
    assert report.dimension("operate").score == pytest.approx(sum(scores) / 6)  # 5 measured + …
    assert report.dimension("operate").not_measured == (Measure.OPERATE_RETENTION,)


def test_overall_band_copy_by_hand(report: HealthReport) -> None:
    interest = (100 + 93.75) / 2
    structure = (100 * 6 + 80 / 0.95 + 10) / 8
    output = (100 * (4 / WEEKS) / 3 + 100 + 50) / 3
    operate = (100 * 2 / WEEKS + 300 + 100 * 4 / 504 + 100 * (2 / 19) / 0.2) / 6
    overall = (interest + structure + output + operate) / 4  # 77.7
    assert report.overall == pytest.approx(overall)
    assert report.band is HealthBand.AT_RISK  # 60 <= 77.7 < 80
    assert report.members == 5
    # 5 members for 2 operators: 2.5 per operator, capacity 300
    assert raw_and_score(report, "copy.capacity") == (2.5, 100.0)
    gate = report.copy_gate
    assert gate.verdict is CopyVerdict.NOT_READY
    assert gate.reasons == (
        f"output (输出) scores {output:.1f}, below 70",
        f"operate (运营) scores {operate:.1f}, below 70",
    )
    assert report.not_measured == (Measure.OPERATE_RETENTION,)


def test_recommendations_are_ranked_by_points(report: HealthReport) -> None:
    # points = (1/4 dimensions) x (1/measures in the dimension) x (100 - score)
    expected = {
        "output.cadence": (100 - 100 * (4 / WEEKS) / 3) / 4 / 3,  # 5.74
        "output.reach": 50 / 4 / 3,  # 4.17
        "operate.reply_hours": (100 - 100 * 4 / 504) / 4 / 6,  # 4.13
        "structure.complaints": 90 / 4 / 8,  # 2.81
        "operate.rituals": (100 - 100 * 2 / WEEKS) / 4 / 6,  # 2.22
        "operate.peer_share": (100 - 100 * (2 / 19) / 0.2) / 4 / 6,  # 1.97
        "interest.content": 6.25 / 4 / 2,  # 0.78
        "structure.joining": (100 - 80 / 0.95) / 4 / 8,  # 0.49
    }
    got = [(r.measure.value, r.points) for r in report.recommendations]
    assert [m for m, _ in got] == list(expected)
    for (measure, points), want in zip(got, expected.values(), strict=True):
        assert points == pytest.approx(want), measure
    first = report.recommendations[0]
    assert first.advice_zh == "按约定频率持续输出有价值的内容。"
    assert str(first).startswith("+5.7 output.cadence: Publish")


def test_contributions_sum_to_overall(report: HealthReport) -> None:
    contributions = report.contributions()
    assert sum(contributions.values()) == pytest.approx(report.overall)
    assert Measure.OPERATE_RETENTION not in contributions
    # interest.members: 1/4 of the dimensions, 1/2 of interest's measures, score 100
    assert contributions[Measure.INTEREST_MEMBERS] == pytest.approx(100 / 4 / 2)


def test_report_prints_and_round_trips(report: HealthReport) -> None:
    text = str(report)
    assert text.splitlines()[0] == "Health at 2026-01-29: 77.7 (at_risk 有风险), 5 members"
    assert "  copy 复制: not_ready" in text
    assert HealthReport.from_json(report.to_json()) == report
    assert str(report.measure("operate.retention")).startswith("operate.retention: not measured")
    assert str(report.measure("structure.size")) == (
        "structure.size: 100.0 (5 against 5 to 500) — 5 members; the charter aims at 5 to 500"
    )


# -- missing data is not zero ---------------------------------------------------------------------


def test_without_tags_and_activities_those_measures_are_not_measured(
    inputs: tuple[EventTable, PoolCharter, CustomerTags, tuple[PoolActivity, ...]],
) -> None:
    table, charter, _, _ = inputs
    report = score_health(table, charter, AS_OF)
    missing = set(report.not_measured)
    assert {
        Measure.INTEREST_MEMBERS,
        Measure.INTEREST_CONTENT,
        Measure.STRUCTURE_JOINING,
        Measure.OUTPUT_CADENCE,
        Measure.OUTPUT_REGULARITY,
        Measure.OUTPUT_REACH,
        Measure.OPERATE_RITUALS,
        Measure.OPERATE_ATTENDANCE,
        Measure.OPERATE_RETENTION,
    } == missing
    assert report.dimension("interest").score is None
    assert report.dimension("output").score is None
    # overall: the two measured dimensions only
    structure = (100 * 6 + 10) / 7  # joining left out
    operate = (200 + 100 * 4 / 504 + 100 * (2 / 19) / 0.2) / 4  # participation, roles
    assert report.overall == pytest.approx((structure + operate) / 2)
    assert "interest (同好) is not measured" in report.copy_gate.reasons
    assert report.measure("interest.members").explanation.startswith("no customer tags given")


def test_empty_activities_mean_nothing_was_published(
    inputs: tuple[EventTable, PoolCharter, CustomerTags, tuple[PoolActivity, ...]],
) -> None:
    table, charter, tags, _ = inputs
    report = score_health(table, charter, AS_OF, tags=tags, activities=[])
    assert raw_and_score(report, "output.cadence") == (0.0, 0.0)  # measured: zero published
    assert raw_and_score(report, "operate.rituals") == (0.0, 0.0)
    assert report.measure("output.reach").score is None  # no items to reach


def test_a_pool_without_members(
    inputs: tuple[EventTable, PoolCharter, CustomerTags, tuple[PoolActivity, ...]],
) -> None:
    table, charter, tags, activities = inputs
    before = EXAMPLE_START - timedelta(days=1)  # nobody connected yet; nothing published
    report = score_health(table, charter, before, tags=tags, activities=activities)
    assert report.members == 0
    measured = {m.measure: m.score for d in report.dimensions for m in d.measures if m.measured}
    # only what does not need members: the charter's declarations and the brand's output
    assert measured == {
        Measure.STRUCTURE_SIZE: 0.0,  # 0 members, target 5 to 500
        Measure.STRUCTURE_NORMS: 100.0,
        Measure.OUTPUT_CADENCE: 0.0,
        Measure.OPERATE_RITUALS: 0.0,
        Measure.COPY_CAPACITY: 100.0,  # 0 per operator
    }
    assert report.dimension("interest").score is None
    # the dimensions still score what they can (structure (0 + 100) / 2, output 0, operate 0) …
    assert report.dimension("structure").score == pytest.approx(50.0)
    # … but a pool without members is not measured overall (issue 14): never healthy, nor
    # unhealthy on the strength of its charter alone
    assert report.overall is None
    assert report.band is None
    assert report.copy_gate.verdict is CopyVerdict.NOT_READY
    assert report.non_members == ()


def test_charter_without_interests_scores_zero_not_missing(
    inputs: tuple[EventTable, PoolCharter, CustomerTags, tuple[PoolActivity, ...]],
) -> None:
    table, charter, tags, activities = inputs
    bare = charter.model_copy(update={"interests": (), "platforms": (), "operators": ()})
    report = score_health(table, bare, AS_OF, tags=tags, activities=activities)
    assert raw_and_score(report, "interest.members") == (0.0, 0.0)
    assert report.measure("structure.platforms").score is None  # nothing declared to use
    assert report.measure("copy.capacity").score is None
    assert "the charter names no operators" in report.copy_gate.reasons
    # roles: no operators, 1 advocate per 5 members = 20 per 100
    assert raw_and_score(report, "operate.roles") == (20.0, 100.0)


# -- policy -------------------------------------------------------------------------------------


def test_policy_targets_weights_and_retention(
    inputs: tuple[EventTable, PoolCharter, CustomerTags, tuple[PoolActivity, ...]],
) -> None:
    table, charter, tags, activities = inputs
    policy = HealthPolicy(
        retention_period=timedelta(days=14),
        targets={"operate.reply_hours": 1008, "structure.complaints": 0.1},
        weights={"output.cadence": 0},
        dimension_weights={"interest": 2},
    )
    report = score_health(table, charter, AS_OF, tags=tags, activities=activities, policy=policy)
    # members on day 10: c-001, c-002 (connected that day), c-003, c-004, c-005; c-004 churned
    assert raw_and_score(report, "operate.retention") == (0.8, 100.0)
    assert raw_and_score(report, "operate.reply_hours") == (504.0, 100.0)  # within 1008 hours
    assert raw_and_score(report, "structure.complaints") == (0.2, pytest.approx(50.0))
    assert report.dimension("output").score == pytest.approx((100 + 50) / 2)  # cadence weighs 0
    assert Measure.OUTPUT_CADENCE not in [r.measure for r in report.recommendations]
    interest = (100 + 93.75) / 2
    structure = (100 * 6 + 80 / 0.95 + 50) / 8
    operate = (100 * 2 / WEEKS + 500 + 100 * (2 / 19) / 0.2) / 7
    assert report.overall == pytest.approx((2 * interest + structure + 75 + operate) / 5)


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"targets": {"operate.retention": 1.5}}, "a share's target must be in (0, 1]"),
        ({"targets": {"operate.roles": 0}}, "a target must be a positive number"),
        ({"targets": {"structure.size": 10}}, "this target is the charter's"),
        ({"targets": {"no.such": 1}}, "Input should be 'interest.members'"),
        ({"weights": {"operate.roles": -1}}, "a weight must be a number from 0 to 1e6"),
        ({"dimension_weights": {"copy": 1}}, "Copy is a gate"),
        (
            {"dimension_weights": dict.fromkeys(("interest", "structure", "output", "operate"), 0)},
            "at least one dimension weight must be positive",
        ),
        ({"at_risk_at": 90}, "at_risk_at (90.0) must not exceed healthy_at (80.0)"),
        ({"copy_threshold": 101}, "less than or equal to 100"),
        ({"window": "P0D"}, "must be a positive duration"),
    ],
)
def test_policy_errors_name_the_rule(changes: dict[str, object], needle: str) -> None:
    with pytest.raises(ValueError, match=None) as caught:
        HealthPolicy.model_validate(changes)
    assert needle in str(caught.value)


def test_policy_is_hashable_and_round_trips() -> None:
    policy = HealthPolicy(targets={"operate.participation": 0.4}, weights={"structure.norms": 0})
    assert HealthPolicy.from_json(policy.to_json()) == policy
    assert hash(policy) == hash(HealthPolicy.from_json(policy.to_json()))
    with pytest.raises(TypeError):
        policy.targets[Measure.OPERATE_ROLES] = 1  # type: ignore[index]


# -- scoring function -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("aim", "raw", "target", "high", "expected"),
    [
        (Aim.AT_LEAST, 0.0, 0.3, None, 0.0),
        (Aim.AT_LEAST, 0.6, 0.3, None, 100.0),
        (Aim.AT_LEAST, 0.1, 0.4, None, 25.0),  # 100 x 0.1 / 0.4
        (Aim.AT_MOST, 0.0, 4.0, None, 100.0),
        (Aim.AT_MOST, 16.0, 4.0, None, 25.0),  # 100 x 4 / 16
        (Aim.WITHIN, 0.0, 0.0, 10.0, 100.0),
        (Aim.WITHIN, 0.0, 5.0, 10.0, 0.0),
        (Aim.WITHIN, 40.0, 5.0, 10.0, 25.0),  # 100 x 10 / 40
    ],
)
def test_score_against(
    aim: Aim, raw: float, target: float, high: float | None, expected: float
) -> None:
    assert score_against(aim, raw, target, high) == expected


def test_measures_know_their_dimension() -> None:
    assert [m.dimension for m in Measure if m.dimension is Dimension.COPY] == [Dimension.COPY]
    assert all(m.value.startswith(m.dimension.value + ".") for m in Measure)
    assert {m for m in Measure if m.charter_target} == {
        Measure.STRUCTURE_SIZE,
        Measure.OUTPUT_CADENCE,
        Measure.OPERATE_RITUALS,
        Measure.COPY_CAPACITY,
    }


# -- errors ---------------------------------------------------------------------------------------


def test_argument_errors_name_the_argument(
    inputs: tuple[EventTable, PoolCharter, CustomerTags, tuple[PoolActivity, ...]],
) -> None:
    table, charter, _, activities = inputs
    with pytest.raises(WrongTypeError, match=r"^table="):
        score_health([], charter, AS_OF)  # type: ignore[arg-type]
    with pytest.raises(WrongTypeError, match=r"^charter="):
        score_health(table, {}, AS_OF)  # type: ignore[arg-type]
    with pytest.raises(WrongTypeError, match=r"^policy="):
        score_health(table, charter, AS_OF, policy={})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^as_of=.*timezone-aware"):
        score_health(table, charter, datetime(2026, 1, 29))  # noqa: DTZ001
    with pytest.raises(WrongTypeError, match=r"^activities\[1\]=.*must be a PoolActivity"):
        score_health(table, charter, AS_OF, activities=[activities[0], "post"])  # type: ignore[list-item]
    other = CustomerTags.from_matrix([[True]], ["interest:咖啡"], ["c-001"])
    with pytest.raises(ValidationError, match=r"^tags=.*the table's customers"):
        score_health(table, charter, AS_OF, tags=other)
    with pytest.raises(WrongTypeError, match=r"^tags="):
        score_health(table, charter, AS_OF, tags={"c-001": []})  # type: ignore[arg-type]


# -- trend and change -----------------------------------------------------------------------------


def test_trend_is_score_health_at_each_end(
    inputs: tuple[EventTable, PoolCharter, CustomerTags, tuple[PoolActivity, ...]],
) -> None:
    table, charter, tags, activities = inputs
    ends = [EXAMPLE_START + timedelta(days=d) for d in (7, 14, 24)]
    trend = health_trend(table, charter, iter(ends), tags=tags, activities=iter(activities))
    assert trend == tuple(
        score_health(table, charter, end, tags=tags, activities=activities) for end in ends
    )


def test_trend_errors(
    inputs: tuple[EventTable, PoolCharter, CustomerTags, tuple[PoolActivity, ...]],
) -> None:
    table, charter, _, _ = inputs
    with pytest.raises(ValidationError, match=r"^period_ends=.*at least one"):
        health_trend(table, charter, [])
    with pytest.raises(ValidationError, match=r"^period_ends\[1\]=.*strictly increasing"):
        health_trend(table, charter, [AS_OF, AS_OF])
    with pytest.raises(ValidationError, match=r"^period_ends\[0\]=.*timezone-aware"):
        health_trend(table, charter, [datetime(2026, 1, 29)])  # noqa: DTZ001


def test_explain_change_by_hand(
    inputs: tuple[EventTable, PoolCharter, CustomerTags, tuple[PoolActivity, ...]],
    report: HealthReport,
) -> None:
    table, charter, tags, activities = inputs
    # keep one norm of three: structure.norms goes from 100 to 50 (1 against at least 2)
    terse = charter.model_copy(update={"norms": charter.norms[:1]})
    worse = score_health(table, terse, AS_OF, tags=tags, activities=activities)
    change = explain_change(report, worse)
    assert [m.measure for m in change.moves] == [Measure.STRUCTURE_NORMS]
    (move,) = change.moves
    assert (move.score_before, move.score_after) == (100.0, 50.0)
    assert move.points == pytest.approx(-50 / 4 / 8)  # 1/4 of the dimensions, 1/8 of structure
    assert change.delta == pytest.approx(move.points)
    assert str(change).splitlines() == ["overall -1.6", "  -1.6 structure.norms (100.0 → 50.0)"]
    with pytest.raises(WrongTypeError, match=r"^after="):
        explain_change(report, None)  # type: ignore[arg-type]


def test_explain_change_when_a_measure_appears(
    inputs: tuple[EventTable, PoolCharter, CustomerTags, tuple[PoolActivity, ...]],
    report: HealthReport,
) -> None:
    table, charter, _, activities = inputs
    untagged = score_health(table, charter, AS_OF, activities=activities)
    change = explain_change(untagged, report)
    assert change.delta == pytest.approx(sum(m.points for m in change.moves))
    assert change.moves[0].score_before is None or change.moves[0].score_after is not None
    appeared = {m.measure for m in change.moves if m.score_before is None}
    assert appeared == {Measure.INTEREST_MEMBERS, Measure.STRUCTURE_JOINING}


def test_as_of_in_another_zone_is_the_same_instant(
    inputs: tuple[EventTable, PoolCharter, CustomerTags, tuple[PoolActivity, ...]],
    report: HealthReport,
) -> None:
    table, charter, tags, activities = inputs
    shanghai = AS_OF.astimezone(timezone(timedelta(hours=8)))
    again = score_health(table, charter, shanghai, tags=tags, activities=activities)
    assert again == report
    assert again.as_of.tzinfo is UTC


# -- edge cases found in review ------------------------------------------------------------------


def test_a_same_instant_reply_counts_whatever_the_row_order() -> None:
    import numpy as np  # noqa: PLC0415 - only this test builds raw columns

    t = AS_OF - timedelta(days=1)
    micros = int(t.timestamp()) * 1_000_000
    connect = micros - 86_400_000_000
    charter = PoolCharter(name="p")
    reports = []
    for order in ((0, 1, 2), (0, 2, 1)):  # inbound then reply, or reply then inbound
        kinds = np.array([0, 2, 2], dtype=np.int8)[list(order)]  # connect, message, message
        directions = np.array([0, 0, 1], dtype=np.int8)[list(order)]  # in, in, out
        times = np.array([connect, micros, micros], dtype=np.int64)[list(order)]
        table = EventTable.from_arrays(
            customer=np.zeros(3, dtype=np.int32),
            time=times,
            kind=kinds,
            direction=directions,
            channel=np.full(3, 1, dtype=np.int8),
        )
        reports.append(score_health(table, charter, AS_OF))
    assert reports[0].measure("operate.reply_hours").raw == 0.0
    assert reports[0] == reports[1]


def test_equal_scores_average_to_themselves_exactly(
    inputs: tuple[EventTable, PoolCharter, CustomerTags, tuple[PoolActivity, ...]],
) -> None:
    table, charter, tags, activities = inputs
    # only size, depth and advocates count in structure, each scoring 100; 2.5 + 2.5 + 3.3
    # would average to 99.99999999999999 in plain floats
    zero = {m: 0.0 for m in Measure if m.dimension is Dimension.STRUCTURE}
    weights = zero | {
        Measure.STRUCTURE_SIZE: 2.5,
        Measure.STRUCTURE_DEPTH: 2.5,
        Measure.STRUCTURE_ADVOCATES: 3.3,
    }
    policy = HealthPolicy(weights=weights, copy_threshold=100)
    report = score_health(table, charter, AS_OF, tags=tags, activities=activities, policy=policy)
    assert report.dimension("structure").score == 100.0
    assert not any(r.startswith("structure") for r in report.copy_gate.reasons)


def test_policy_refuses_a_dimension_whose_measures_all_weigh_zero() -> None:
    with pytest.raises(ValueError, match="every measure of interest weighs 0") as caught:
        HealthPolicy(weights={"interest.members": 0, "interest.content": 0})
    assert "dimension_weights['interest'] = 0" in str(caught.value)
    kept_out = HealthPolicy(
        weights={"interest.members": 0, "interest.content": 0},
        dimension_weights={"interest": 0},
    )
    assert kept_out.dimension_weight("interest") == 0.0


def test_windows_are_at_most_a_century_and_start_after_1900(
    inputs: tuple[EventTable, PoolCharter, CustomerTags, tuple[PoolActivity, ...]],
) -> None:
    table, charter, _, _ = inputs
    with pytest.raises(ValueError, match="must be at most 100 years"):
        HealthPolicy(window=timedelta(days=800_000))
    long = HealthPolicy(window=timedelta(days=36_525), retention_period=timedelta(days=36_525))
    with pytest.raises(ValidationError, match=r"^as_of=.*at least policy.window after 1900"):
        score_health(table, charter, datetime(1950, 1, 1, tzinfo=UTC), policy=long)
    looking_back = HealthPolicy(retention_period=timedelta(days=36_525))
    report = score_health(table, charter, datetime(1990, 1, 1, tzinfo=UTC), policy=looking_back)
    assert report.measure("operate.retention").explanation == (
        "the retention period reaches before 1900"
    )


def test_activities_repeated_exactly_count_once_and_conflicting_ids_are_refused(
    inputs: tuple[EventTable, PoolCharter, CustomerTags, tuple[PoolActivity, ...]],
    report: HealthReport,
) -> None:
    table, charter, tags, activities = inputs
    twice = score_health(table, charter, AS_OF, tags=tags, activities=activities + activities)
    assert twice == report
    other = activities[0].model_copy(update={"title": "another"})
    with pytest.raises(ValidationError, match=r"^activities\[6\].id=.*activities\[0\]"):
        score_health(table, charter, AS_OF, activities=(*activities, other))


def test_a_charter_without_joining_rule_leaves_the_joining_share_not_measured(
    inputs: tuple[EventTable, PoolCharter, CustomerTags, tuple[PoolActivity, ...]],
) -> None:
    table, charter, tags, activities = inputs
    open_pool = charter.model_copy(update={"joining_rule": None})
    report = score_health(table, open_pool, AS_OF, tags=tags, activities=activities)
    joining = report.measure("structure.joining")
    assert (joining.score, joining.explanation) == (None, "the charter declares no joining rule")
    assert report.non_members == ()


def test_content_published_twice_under_one_id_counts_once_for_reach(
    inputs: tuple[EventTable, PoolCharter, CustomerTags, tuple[PoolActivity, ...]],
) -> None:
    table, charter, tags, activities = inputs
    again = activities[0].model_copy(update={"id": "a-post-1-again"})  # post-1 re-published
    report = score_health(table, charter, AS_OF, tags=tags, activities=(*activities, again))
    # still 2 views of 4 distinct items by 5 members; the cadence counts 5 publications
    assert report.measure("output.reach").raw == pytest.approx(2 / (4 * 5))
    assert report.measure("output.cadence").raw == pytest.approx(5 / WEEKS)


def test_kinds_the_data_do_not_record_are_not_measured(
    inputs: tuple[EventTable, PoolCharter, CustomerTags, tuple[PoolActivity, ...]],
) -> None:
    table, charter, tags, activities = inputs
    # the same pool without any REFERRAL, COMPLAINT or CHURN row: those kinds are not recorded
    dropped = {InteractionKind.REFERRAL, InteractionKind.COMPLAINT, InteractionKind.CHURN}
    kept = [i for i in table.interactions() if i.kind not in dropped]
    bare = EventTable.from_interactions(kept, customers=list(table.customer_ids))
    report = score_health(bare, charter, AS_OF, tags=tags, activities=activities)
    for measure in ("structure.advocates", "structure.complaints", "operate.retention"):
        reading = report.measure(measure)
        assert reading.score is None, measure
        assert "recorded_kinds=" in reading.explanation, measure
    # saying the source records them makes them measured again: no complaints is a fact then
    told = score_health(
        bare,
        charter,
        AS_OF,
        tags=tags,
        activities=activities,
        recorded_kinds=[k.value for k in InteractionKind],
    )
    assert told.measure("structure.complaints").raw == 0.0
    assert told.measure("structure.advocates").raw == 0.0


def test_recorded_kinds_are_checked(
    inputs: tuple[EventTable, PoolCharter, CustomerTags, tuple[PoolActivity, ...]],
) -> None:
    table, charter, _, _ = inputs
    with pytest.raises(ValidationError, match=r"recorded_kinds\[0\]"):
        score_health(table, charter, AS_OF, recorded_kinds=["gift"])
