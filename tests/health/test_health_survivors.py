"""Tests written for the health mutants that survived the sample of 2026-12-06 (docs/testing.md).

Each pins one behaviour the suite had left loose: which messages count as one-to-one in the
readiness check, stickiness with no way holding, the default frame backend, exact waits beyond
float64's whole numbers, summed facts (sharing, failing members), a range without its high end,
the inputs' errors, and the recorded kinds in every report of a trend.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError as PydanticValidationError
from test_health_mutants import AS_OF, CHARTER, MEMBERS, hand_rows, row

from custpool import (
    CustomerTags,
    EventTable,
    HealthPolicy,
    HealthReport,
    InteractionKind,
    Measure,
    ReadinessCheck,
    ReadinessPolicy,
    Tag,
    ValidationError,
    WrongTypeError,
    health_trend,
    pool_readiness,
    score_health,
)
from custpool._health import (
    Aim,
    HealthFacts,
    HealthSums,
    merge_waits,
    score_against,
    waits_between,
)
from custpool._health.score import facts_at
from custpool._health.sums import WAIT_BUCKETS


def _conversations(rows: list) -> str:
    readiness = pool_readiness(
        CHARTER, EventTable.from_interactions(rows, customers=MEMBERS), AS_OF
    )
    found = [c for it in readiness.items for c in it.checks]
    (check,) = [c for c in found if c.check is ReadinessCheck.WARMTH_CONVERSATIONS]
    return check.explanation


def test_only_inbound_messages_outside_the_group_are_one_to_one_conversations() -> None:
    # The hand pool: c-1 and c-2 sent a message (inbound, WeCom chat): 2 of 10.
    assert _conversations(hand_rows()).startswith("2 of 10 members (20.0%)")
    # The brand writing to c-3 (outbound) and c-4 writing in the customer group are not a
    # one-to-one conversation: still 2 of 10.
    extra = [
        row("c-3", 43, "message", direction="outbound"),
        row("c-4", 43, "message", channel="customer_group"),
    ]
    assert _conversations([*hand_rows(), *extra]).startswith("2 of 10 members (20.0%)")
    # c-5 writing in WeCom chat is one: 3 of 10.
    assert _conversations([*hand_rows(), row("c-5", 43, "message")]).startswith(
        "3 of 10 members (30.0%)"
    )


def test_the_readiness_frame_is_pandas_by_default() -> None:
    readiness = pool_readiness(
        CHARTER, EventTable.from_interactions(hand_rows(), customers=MEMBERS), AS_OF
    )
    frame = readiness.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == 17  # one row per check


def test_merged_waits_stay_exact_beyond_float64_whole_numbers() -> None:
    # 2**53 + 1 microseconds (about 285 years) is the first whole number float64 cannot hold:
    # through a float it would become 2**53.
    big = 2**53 + 1
    waits, counts = merge_waits(
        [
            (np.array([5, big], np.int64), np.array([1, 2], np.int64)),
            (np.array([big]), np.array([3])),
        ]
    )
    assert waits.dtype == np.int64
    assert waits.tolist() == [5, big]
    assert counts.tolist() == [1, 5]  # 2 + 3 of the big wait


def test_stickiness_with_no_measured_way_holding_says_none() -> None:
    # Group posts recorded but only the brand's (outbound): 0 of 10 members posted, 0 peer
    # rows; a store visit recorded, by c-11, who never connected (no member): 0 of 10 visited.
    # Complaints are not recorded, so by product and by people are not measured: 2 ways measured,
    # the 2 needed, neither holds.
    rows = [r for r in hand_rows() if r.kind is not InteractionKind.GROUP_POST]
    rows += [row("c-8", 52, "group_post", direction="outbound"), row("c-11", 50, "store_visit")]
    table = EventTable.from_interactions(rows, customers=[*MEMBERS, "c-11"])
    readiness = pool_readiness(CHARTER, table, AS_OF)
    checks = {c.check: c for it in readiness.items for c in it.checks}
    assert checks[ReadinessCheck.STICKINESS_WAYS].explanation == (
        "0 of 2 ways measured hold (none)"
    )
    assert checks[ReadinessCheck.STORE_VISITS].raw == 0.0


def test_without_tags_no_member_shares_an_interest() -> None:
    table = EventTable.from_interactions(hand_rows(), customers=MEMBERS)
    (coffee,) = CHARTER.interests
    assert coffee.name == "咖啡"
    tea = Tag(name="茶", group=coffee.group)

    def sharing(tags: CustomerTags | None) -> int:
        facts = HealthFacts(table, CHARTER, AS_OF, HealthPolicy(), tags=tags, activities=None)
        return facts.sums.sharing

    assert sharing(None) == 0
    # tagged: c-1 with 咖啡, c-2 with 咖啡 and 茶, c-3 with 茶 only: 2 share the interest
    held = np.zeros((10, 2), dtype=bool)
    held[0, 0] = held[1, 0] = held[1, 1] = held[2, 1] = True
    assert sharing(CustomerTags.from_matrix(held, [coffee, tea], table)) == 2


def test_the_total_of_sums_keeps_every_failing_member_sorted() -> None:
    table = EventTable.from_interactions(hand_rows(), customers=MEMBERS)
    sums = facts_at(table, CHARTER, AS_OF, HealthPolicy()).sums
    parts = [replace(sums, failing=("c-3", "c-9")), replace(sums, failing=("c-1",))]
    assert HealthSums.total(parts).failing == ("c-1", "c-3", "c-9")


def test_a_share_target_that_is_not_finite_is_refused_as_such() -> None:
    with pytest.raises(PydanticValidationError, match="finite number"):
        ReadinessPolicy(conversation_share=float("nan"))


def test_a_range_without_its_high_end_is_the_target_alone() -> None:
    # WITHIN with no high end: the range is [target, target]. 300 against 100: 100 · 100 / 300
    # = 33.3…; 50 against 100: 100 · 50 / 100 = 50; exactly 100: 100.
    assert score_against(Aim.WITHIN, 300.0, 100.0) == pytest.approx(100 / 3)
    assert score_against(Aim.WITHIN, 50.0, 100.0) == 50.0
    assert score_against(Aim.WITHIN, 100.0, 100.0) == 100.0


def test_waits_between_are_whole_microseconds() -> None:
    big = 2**53 + 1  # beyond float64's whole numbers
    waits = np.array([big, big, 7], dtype=np.int64)
    values, counts = waits_between(waits, (0, WAIT_BUCKETS - 1))  # every bucket
    assert values.dtype == np.int64
    assert (values.tolist(), counts.tolist()) == ([7, big], [1, 2])


def test_health_inputs_are_refused_with_field_value_and_rule() -> None:
    table = EventTable.from_interactions(hand_rows(), customers=MEMBERS)
    with pytest.raises(WrongTypeError) as caught:
        score_health(table, CHARTER, AS_OF, activities=[1])  # type: ignore[list-item]
    assert (caught.value.field, caught.value.value) == ("activities[0]", 1)
    assert caught.value.rule == "must be a PoolActivity"
    with pytest.raises(ValidationError) as refused:
        score_health(table, CHARTER, AS_OF, recorded_kinds=["nope"])
    assert (refused.value.field, refused.value.value) == ("recorded_kinds[0]", "nope")
    kinds = ", ".join(k.value for k in InteractionKind)  # connect, churn, message, …
    assert refused.value.rule == f"must be interaction kinds ({kinds})"


def test_every_report_of_a_trend_reads_the_recorded_kinds_given() -> None:
    # Complaints are not in the hand pool; declared recorded, they are measured (0 per member)
    # in every report of the trend, the first included.
    table = EventTable.from_interactions(hand_rows(), customers=MEMBERS)
    kinds = [*{r.kind for r in hand_rows()}, InteractionKind.COMPLAINT]
    ends = [AS_OF - timedelta(days=5), AS_OF]
    trend = health_trend(table, CHARTER, ends, recorded_kinds=kinds)
    alone = [score_health(table, CHARTER, end, recorded_kinds=kinds) for end in ends]
    assert [r.overall for r in trend] == [r.overall for r in alone]

    def raws(report: HealthReport) -> list[float | None]:
        return [m.raw for d in report.dimensions for m in d.measures]

    assert [raws(r) for r in trend] == [raws(r) for r in alone]
    # the complaints measure is read in each: 0 complaints per member, not "not measured"
    assert [r.measure(Measure.STRUCTURE_COMPLAINTS).raw for r in trend] == [0.0, 0.0]
