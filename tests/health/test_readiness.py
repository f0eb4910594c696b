"""pool_readiness: seed 001's six steps and four ways of sticking, each checked by hand.

The hand-made pool: ten customers c-1 … c-10 connect on day 0; looked at on day 60, so the
window of the measured checks is (day 30, day 60] and the sales window (day -30, day 60].
In the window:

- c-1 and c-2 send a one-to-one message (days 40, 41), answered after 1 h and 2 h;
- c-3 and c-4 attend an event (day 42);
- c-5 buys on days 35 and 50, c-6 on day 45; c-6 complains of the price (day 46);
- c-7 visits the store (day 50);
- c-8, c-9 and c-10 post in a group, member to member (day 52).

Members' own rows: 2 messages + 2 attendances + 3 purchases + 1 complaint + 1 visit + 3 posts
= 12, of which 3 are peer rows.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custpool import (
    EventTable,
    Interaction,
    InteractionKind,
    ItemReadiness,
    PoolCharter,
    PoolReadiness,
    PoolVerdict,
    ReadinessCheck,
    ReadinessItem,
    ReadinessPolicy,
    ReadinessStatus,
    ValidationError,
    WrongTypeError,
    pool_readiness,
    score_health,
)
from custpool.strategies import charters
from engine_helpers import END, START, pool_histories, table_of
from property_helpers import asserted, asserts_often

T0 = datetime(2026, 3, 1, tzinfo=UTC)
AS_OF = T0 + timedelta(days=60)
PASSED, FAILED, NOT_MEASURED = (
    ReadinessStatus.PASSED,
    ReadinessStatus.FAILED,
    ReadinessStatus.NOT_MEASURED,
)
MEMBERS = [f"c-{n}" for n in range(1, 11)]
_ids = itertools.count()


def row(cid: str, day: float, kind: str, **fields: Any) -> Interaction:
    """One interaction of ``cid`` on ``day`` (inbound, in WeCom chat unless told)."""
    fields.setdefault("direction", "inbound")
    if kind not in {"group_post", "store_visit"}:
        fields.setdefault("channel", "wecom_chat")
    at = T0 + timedelta(days=day)
    return Interaction(id=f"i-{next(_ids)}", customer_id=cid, at=at, kind=kind, **fields)


def purchase(cid: str, day: float, order: str) -> Interaction:
    amount = {"amount": "88.00", "currency": "CNY"}
    return row(cid, day, "purchase", order_id=order, amount=amount, channel="mini_program")


def complaint(cid: str, day: float, reason: str) -> Interaction:
    return row(cid, day, "complaint", complaint_reason=reason)


def base_rows(
    *,
    reply_hours: tuple[float, float] = (1, 2),
    event_day: float = 42,
    visit_day: float = 50,
    post_direction: str = "peer",
) -> list[Interaction]:
    rows = [row(cid, 0, "connect", source="store") for cid in MEMBERS]
    rows += [
        row("c-1", 40, "message"),
        row("c-1", 40 + reply_hours[0] / 24, "message", direction="outbound"),
        row("c-2", 41, "message"),
        row("c-2", 41 + reply_hours[1] / 24, "message", direction="outbound"),
        row("c-3", event_day, "event_attend", event_id="e-1"),
        row("c-4", event_day, "event_attend", event_id="e-1"),
        purchase("c-5", 35, "o-1"),
        purchase("c-5", 50, "o-2"),
        purchase("c-6", 45, "o-3"),
        complaint("c-6", 46, "price"),
        row("c-7", visit_day, "store_visit"),
    ]
    rows += [row(c, 52, "group_post", direction=post_direction) for c in ("c-8", "c-9", "c-10")]
    return rows


CHARTER = PoolCharter(
    name="Coffee lovers",
    interests=["咖啡"],
    norms=["No ads", "Be kind"],
    operators=["op-1"],
    brand="Bean & Co",
    positioning="The coffee you can trace to the farm",
    endorsements=["SCA certified", "Best roaster 2025"],
    vision="Every cup traceable",
    mission="Fair prices to growers",
    core_values=["Honesty"],
)


def readiness(
    rows: list[Interaction], charter: PoolCharter = CHARTER, **options: Any
) -> PoolReadiness:
    table = EventTable.from_interactions(rows, customers=MEMBERS)
    return pool_readiness(charter, table, AS_OF, **options)


def without(rows: list[Interaction], *kinds: str) -> list[Interaction]:
    return [r for r in rows if r.kind not in kinds]


@pytest.fixture(scope="module")
def ready() -> PoolReadiness:
    return readiness(base_rows())


# -- the full pool: every item passes, by hand --------------------------------------------------


def test_every_item_passes_on_the_full_pool(ready: PoolReadiness) -> None:
    assert [i.item for i in ready.items] == list(ReadinessItem)
    assert ready.with_status(PASSED) == tuple(ReadinessItem)
    assert all(i.advice == i.advice_zh == "" for i in ready.items)
    assert ready.verdict is PoolVerdict.POOL
    assert ready.verdict_reasons == ()
    assert (ready.members, ready.active_members, ready.buyers) == (10, 10, 2)


def raw(ready: PoolReadiness, check: str) -> float | None:
    return ready.check(check).raw


def test_declared_checks_by_hand(ready: PoolReadiness) -> None:
    assert raw(ready, "positioning.statement") == 1.0
    assert raw(ready, "positioning.tags") == 1.0  # one interest tag, 咖啡
    assert raw(ready, "endorsement.count") == 2.0
    assert raw(ready, "culture.pillars") == 3.0  # vision, mission, one value
    assert raw(ready, "culture.norms") == 2.0


def test_measured_checks_by_hand(ready: PoolReadiness) -> None:
    assert raw(ready, "warmth.reply_hours") == 1.5  # median of 1 h and 2 h
    assert raw(ready, "people.reply_hours") == 1.5  # the same health reading
    assert raw(ready, "warmth.conversations") == pytest.approx(0.2)  # c-1, c-2 of 10
    assert raw(ready, "heat.participation") == 1.0  # all ten took part
    assert raw(ready, "heat.events") == pytest.approx(0.2)  # c-3, c-4
    assert raw(ready, "product.repurchase") == 0.5  # c-5 of the buyers c-5, c-6
    assert raw(ready, "product.quality_complaints") == 0.0  # c-6 complained of the price
    assert raw(ready, "people.service_complaints") == 0.0
    assert raw(ready, "store.visits") == pytest.approx(0.1)  # c-7: exactly the 10% target
    assert raw(ready, "group.posts") == pytest.approx(0.3)  # c-8, c-9, c-10
    assert raw(ready, "group.peer_share") == 0.25  # 3 peer rows of 12 own rows
    assert raw(ready, "stickiness.ways") == 4.0


def test_reused_readings_equal_health(ready: PoolReadiness) -> None:
    table = EventTable.from_interactions(base_rows())
    health = score_health(table, CHARTER, AS_OF)
    pairs = {
        "warmth.reply_hours": "operate.reply_hours",
        "heat.participation": "operate.participation",
        "group.peer_share": "operate.peer_share",
        "culture.norms": "structure.norms",
    }
    for check, measure in pairs.items():
        assert ReadinessCheck(check).health_measure is not None
        assert ready.check(check).raw == health.measure(measure).raw
        assert ready.check(check).target == health.measure(measure).target


def test_readiness_fields_do_not_change_health() -> None:
    table = EventTable.from_interactions(base_rows())
    plain = PoolCharter(name="Coffee lovers", interests=["咖啡"], norms=["No ads", "Be kind"])
    plain = plain.model_copy(update={"operators": ("op-1",)})
    assert score_health(table, plain, AS_OF) == score_health(table, CHARTER, AS_OF)


# -- one failing case per item --------------------------------------------------------------------


def status(ready: PoolReadiness, item: str) -> ReadinessStatus:
    return ready.item(item).status


def test_positioning_fails_without_a_positioning_or_without_tags() -> None:
    unstated = readiness(base_rows(), CHARTER.model_copy(update={"positioning": None}))
    assert status(unstated, "positioning") is FAILED
    assert unstated.check("positioning.statement").raw == 0.0
    untagged = readiness(base_rows(), CHARTER.model_copy(update={"interests": ()}))
    assert status(untagged, "positioning") is FAILED
    assert untagged.check("positioning.tags").status is FAILED


def test_endorsement_fails_with_one_endorsement() -> None:
    thin = readiness(base_rows(), CHARTER.model_copy(update={"endorsements": ("SCA",)}))
    item = thin.item("endorsement")
    assert (item.status, item.check("endorsement.count").raw) == (FAILED, 1.0)
    assert item.advice.startswith("Thicken the endorsement")
    assert item.advice_zh.startswith("增加背书的厚度")


def test_culture_fails_without_a_mission_or_with_one_norm() -> None:
    no_mission = readiness(base_rows(), CHARTER.model_copy(update={"mission": None}))
    assert status(no_mission, "culture") is FAILED
    assert no_mission.check("culture.pillars").raw == 2.0  # vision and values
    assert no_mission.check("culture.pillars").explanation == "missing: mission"
    one_norm = readiness(base_rows(), CHARTER.model_copy(update={"norms": ("No ads",)}))
    assert one_norm.check("culture.norms").status is FAILED  # 1 norm, health's target 2


def test_warmth_and_people_fail_on_slow_replies() -> None:
    slow = readiness(base_rows(reply_hours=(10, 12)))
    assert slow.check("warmth.reply_hours").raw == 11.0  # median of 10 h and 12 h
    assert status(slow, "warmth") is FAILED
    assert status(slow, "by_people") is FAILED
    assert status(slow, "by_product") is PASSED


def test_heat_fails_when_nobody_attends_in_the_window() -> None:
    cold = readiness(base_rows(event_day=10))  # attended before the window
    assert cold.check("heat.events").raw == 0.0
    assert cold.check("heat.participation").raw == pytest.approx(0.8)  # c-3, c-4 now idle
    assert status(cold, "heat") is FAILED


def test_by_product_fails_on_a_quality_complaint() -> None:
    ready = readiness([*base_rows(), complaint("c-5", 55, "quality")])
    assert ready.check("product.quality_complaints").raw == pytest.approx(0.1)  # 1 / 10
    assert status(ready, "by_product") is FAILED
    assert status(ready, "by_people") is PASSED


def test_by_people_fails_on_a_service_complaint() -> None:
    ready = readiness([*base_rows(), complaint("c-5", 55, "service")])
    assert ready.check("people.service_complaints").raw == pytest.approx(0.1)
    assert status(ready, "by_people") is FAILED
    assert status(ready, "by_product") is PASSED


def test_by_product_fails_when_nobody_buys_again() -> None:
    rows = [r for r in base_rows() if r.order_id != "o-2"]  # c-5 buys once
    ready = readiness(rows)
    assert ready.check("product.repurchase").raw == 0.0
    assert status(ready, "by_product") is FAILED


def test_by_store_fails_when_nobody_visits_in_the_window() -> None:
    ready = readiness(base_rows(visit_day=20))
    assert ready.check("store.visits").raw == 0.0
    assert status(ready, "by_store") is FAILED


def test_by_group_fails_when_members_only_talk_to_the_brand() -> None:
    ready = readiness(base_rows(post_direction="inbound"))
    assert ready.check("group.peer_share").raw == 0.0
    assert ready.check("group.posts").status is PASSED  # their own posts still count
    assert status(ready, "by_group") is FAILED


def three_ways_fail() -> list[Interaction]:
    """A quality and a service complaint (product, people) and a visit before the window."""
    return [
        *base_rows(visit_day=20),
        complaint("c-5", 55, "quality"),
        complaint("c-5", 56, "service"),
    ]


def test_stickiness_fails_when_fewer_than_two_ways_hold() -> None:
    rows = three_ways_fail()
    ready = readiness(rows)
    ways = [status(ready, w) for w in ("by_product", "by_people", "by_store", "by_group")]
    assert ways == [FAILED, FAILED, FAILED, PASSED]
    assert ready.check("stickiness.ways").raw == 1.0
    assert status(ready, "stickiness") is FAILED
    assert ready.item("stickiness").advice_zh.startswith("用多种方式粘住客户")


def test_stickiness_threshold_is_the_policy() -> None:
    rows = three_ways_fail()
    assert status(readiness(rows, policy=ReadinessPolicy(sticking_ways=1)), "stickiness") is PASSED


# -- not measured ---------------------------------------------------------------------------------


def test_no_store_visits_recorded_is_not_measured_and_says_what_would_measure_it() -> None:
    ready = readiness(without(base_rows(), "store_visit"))
    item = ready.item("by_store")
    assert item.status is NOT_MEASURED
    assert item.check("store.visits").raw is None
    assert item.check("store.visits").score is None
    assert "no STORE_VISIT rows" in item.reason
    assert item.advice == "To measure it, record STORE_VISIT rows (store visits, 上门)."
    assert item.advice_zh == "需要记录：到店记录（STORE_VISIT）。"


def test_recorded_kinds_turn_no_visits_into_a_failure() -> None:
    rows = without(base_rows(), "store_visit")
    every = [k.value for k in InteractionKind]
    ready = readiness(rows, recorded_kinds=every)
    assert ready.check("store.visits").raw == 0.0
    assert status(ready, "by_store") is FAILED


def test_no_operator_replies_leave_warmth_and_people_unmeasured() -> None:
    rows = [r for r in base_rows() if r.direction != "outbound"]
    ready = readiness(rows)
    assert status(ready, "warmth") is NOT_MEASURED
    assert status(ready, "by_people") is NOT_MEASURED
    assert "replies unrecorded" in ready.item("warmth").reason
    # the conversations check is still read and shown
    assert ready.check("warmth.conversations").raw == pytest.approx(0.2)


def test_no_complaints_recorded_leaves_two_ways_unmeasured_but_stickiness_judged() -> None:
    ready = readiness(without(base_rows(), "complaint"))
    assert status(ready, "by_product") is NOT_MEASURED
    assert status(ready, "by_people") is NOT_MEASURED
    assert status(ready, "stickiness") is PASSED  # store and group: 2 of 2 measured hold
    assert "2 of 2 ways measured hold" in ready.check("stickiness.ways").explanation


def test_stickiness_is_not_measured_with_fewer_measured_ways_than_needed() -> None:
    ready = readiness(without(base_rows(), "complaint", "store_visit", "group_post"))
    assert [status(ready, w) for w in ("by_product", "by_people", "by_store", "by_group")] == [
        NOT_MEASURED
    ] * 4
    assert status(ready, "stickiness") is NOT_MEASURED
    why = ready.check("stickiness.ways").explanation
    assert why == "0 of the 4 ways measured; 2 needed to judge"


def test_no_events_recorded_leaves_heat_unmeasured() -> None:
    ready = readiness(without(base_rows(), "event_attend"))
    assert status(ready, "heat") is NOT_MEASURED
    assert ready.item("heat").advice.startswith("To measure it, record EVENT_ATTEND rows")


def test_an_item_is_judged_only_on_all_its_evidence() -> None:
    # slow replies fail, but without complaint rows the service check cannot be read: by
    # people is not measured (not failed on half its evidence); the failing check still shows
    ready = readiness(without(base_rows(reply_hours=(10, 12)), "complaint"))
    item = ready.item("by_people")
    assert item.status is NOT_MEASURED
    assert item.check("people.reply_hours").status is FAILED
    assert item.check("people.service_complaints").status is NOT_MEASURED
    assert status(ready, "warmth") is FAILED  # both of warmth's checks are read


def test_declared_items_are_never_unmeasured() -> None:
    empty = readiness(base_rows(), PoolCharter(name="bare"))
    for item in (ReadinessItem.POSITIONING, ReadinessItem.ENDORSEMENT, ReadinessItem.CULTURE):
        assert empty.item(item).status is FAILED


# -- the verdict ----------------------------------------------------------------------------------


def test_no_brand_no_pool() -> None:
    ready = readiness(base_rows(), CHARTER.model_copy(update={"brand": None}))
    assert ready.verdict is PoolVerdict.NO_POOL
    assert ready.verdict_reasons == ("no brand: the charter declares none",)
    assert ready.verdict_reasons_zh == ("没有品牌：章程未声明品牌",)


def test_no_activity_and_no_sales_no_pool() -> None:
    rows = base_rows()
    late = pool_readiness(CHARTER, EventTable.from_interactions(rows), T0 + timedelta(days=200))
    assert late.verdict is PoolVerdict.NO_POOL
    assert late.active_members == 0
    assert late.buyers == 0
    assert late.verdict_reasons == (
        "no activity: no member took part on their own in the last 30 days",
        "no sales: nobody bought in the last 90 days",
    )


def test_sales_outside_the_sales_window_are_no_sales() -> None:
    # the last purchase is on day 50; (day 50, day 60] holds none
    ready = readiness(base_rows(), policy=ReadinessPolicy(sales_window=timedelta(days=10)))
    assert ready.verdict is PoolVerdict.NO_POOL
    assert ready.check("product.repurchase").explanation == "nobody bought in the last 10 days"
    assert status(ready, "by_product") is NOT_MEASURED


def test_purchases_not_recorded_leave_the_verdict_undetermined() -> None:
    ready = readiness(without(base_rows(), "purchase"))
    assert ready.verdict is PoolVerdict.UNDETERMINED
    assert ready.buyers is None
    assert ready.verdict_reasons == ("sales not measured: the data record no PURCHASE rows",)
    branded_not = readiness(without(base_rows(), "purchase"), PoolCharter(name="bare"))
    assert branded_not.verdict is PoolVerdict.NO_POOL  # no brand is known to be missing


# -- printing, frames, errors ---------------------------------------------------------------------


def test_repr_and_text(ready: PoolReadiness) -> None:
    assert repr(ready) == (
        "PoolReadiness(2026-04-30: 10 passed, 0 failed, 0 not_measured; verdict pool)"
    )
    text = str(ready)
    assert text.splitlines()[0] == "Pool readiness at 2026-04-30 (10 members): pool"
    assert "  · by_store 以店粘人: passed" in text
    assert "store.visits: passed (10.0% against at least 10.0%)" in text
    zh = ready.to_text("zh")
    assert zh.splitlines()[0] == "客户池准备度（2026-04-30，成员 10 人）：是私域"
    assert "到店的成员（store.visits）：通过（10.0%，目标至少 10.0%）" in zh
    assert f"{ready:zh}" == zh
    assert f"{ready}" == text


def test_text_shows_advice_and_unknown_language_is_refused() -> None:
    ready = readiness(base_rows(), CHARTER.model_copy(update={"endorsements": ()}))
    assert "     → Thicken the endorsement" in str(ready)
    assert "     → 增加背书的厚度" in ready.to_text("zh")
    with pytest.raises(ValidationError) as info:
        ready.to_text("fr")
    assert (info.value.field, info.value.rule) == ("lang", "must be 'en' or 'zh'")


def test_to_frame_one_row_per_check_with_nulls_for_not_measured() -> None:
    ready = readiness(without(base_rows(), "store_visit"))
    frame = ready.to_frame("pyarrow", tz="Asia/Shanghai")
    assert frame.num_rows == len(ReadinessCheck) == 17
    checks = frame.column("check").to_pylist()
    assert checks == [c.value for i in ReadinessItem for c in i.checks]
    visits = checks.index("store.visits")
    assert frame.column("raw")[visits].as_py() is None
    assert frame.column("score")[visits].as_py() is None
    assert frame.column("status")[visits].as_py() == "not_measured"
    assert frame.column("health_measure").to_pylist()[checks.index("heat.participation")] == (
        "operate.participation"
    )
    assert frame.column("as_of")[0].as_py().isoformat() == "2026-04-30T08:00:00+08:00"


def test_errors_name_the_argument() -> None:
    table = EventTable.from_interactions(base_rows())
    with pytest.raises(WrongTypeError) as info:
        pool_readiness(CHARTER, table, AS_OF, policy="strict")  # type: ignore[arg-type]
    assert info.value.field == "policy"
    with pytest.raises(WrongTypeError) as info:
        pool_readiness(table, CHARTER, AS_OF)  # type: ignore[arg-type]
    assert info.value.field == "table"
    with pytest.raises(ValidationError) as info:
        pool_readiness(CHARTER, table, AS_OF.replace(tzinfo=None))
    assert info.value.field == "as_of"
    with pytest.raises(ValidationError) as info:
        pool_readiness(CHARTER, table, AS_OF, recorded_kinds=["visits"])
    assert info.value.field == "recorded_kinds[0]"
    early = datetime(1900, 2, 15, tzinfo=UTC)  # 30-day window fits, the 90-day sales one does not
    with pytest.raises(ValidationError, match=r"policy\.sales_window after 1900") as info:
        pool_readiness(CHARTER, table, early)
    assert info.value.field == "as_of"


def test_policy_defaults_and_bounds() -> None:
    p = ReadinessPolicy()
    assert (p.min_interests, p.min_endorsements, p.sticking_ways) == (1, 2, 4 - 2)
    assert (p.conversation_share, p.event_share, p.visit_share) == (0.1, 0.1, 0.1)
    assert (p.group_post_share, p.repurchase_rate) == (0.1, 0.2)
    assert p.sales_window == timedelta(days=90) == p.health.retention_period
    for bad in ({"visit_share": 1.5}, {"event_share": 0}, {"sticking_ways": 0}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            ReadinessPolicy(**bad)


def test_enums_and_items() -> None:
    assert [i.step for i in ReadinessItem] == [1, 2, 3, 4, 5, 6, 6, 6, 6, 6]
    assert [i for i in ReadinessItem if i.declared] == [
        ReadinessItem.POSITIONING,
        ReadinessItem.ENDORSEMENT,
        ReadinessItem.CULTURE,
    ]
    assert sum(len(i.checks) for i in ReadinessItem) == len(ReadinessCheck)
    assert ReadinessItem.BY_GROUP.label_zh == "以群粘人"
    assert PoolVerdict.POOL.label_zh == "是私域"
    item = ItemReadiness(ReadinessItem.HEAT, PASSED, (), "", "")
    assert item.reason == ""


# -- properties -----------------------------------------------------------------------------------

PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
instants = st.datetimes(
    min_value=START.replace(tzinfo=None), max_value=END.replace(tzinfo=None), timezones=st.just(UTC)
)
# CHURN is left out: removing CHURN rows brings churned customers back as members, which is
# more pool, not less data. Every other kind's rows are evidence, or (CONNECT) membership that
# only shrinks when removed.
EVIDENCE_KINDS = [k for k in InteractionKind if k is not InteractionKind.CHURN]


def assert_never_measured_again(full: PoolReadiness, less: PoolReadiness, kind: object) -> None:
    """Every item and check not measured on the full table is not measured on the smaller one."""
    for before, after in zip(full.items, less.items, strict=True):
        if before.status is NOT_MEASURED:
            asserted()
            assert after.status is NOT_MEASURED, (before.item, kind)
        for b, a in zip(before.checks, after.checks, strict=True):
            if b.raw is None:
                assert a.raw is None, (b.check, kind)


@asserts_often()
@PROPS
@given(pool_histories(max_customers=5, max_size=14), instants, st.sampled_from(EVIDENCE_KINDS))
def test_removing_rows_of_a_kind_never_turns_not_measured_into_a_score(
    histories: dict[str, list[Interaction]], as_of: datetime, kind: InteractionKind
) -> None:
    full = pool_readiness(CHARTER, table_of(histories), as_of)
    fewer = {cid: [i for i in rows if i.kind is not kind] for cid, rows in histories.items()}
    less = pool_readiness(CHARTER, table_of(fewer), as_of)
    assert_never_measured_again(full, less, kind)


BASE = base_rows()


@asserts_often(0.3)
@PROPS
@given(
    st.lists(st.booleans(), min_size=len(BASE), max_size=len(BASE)),
    st.lists(st.sampled_from(EVIDENCE_KINDS), min_size=1, max_size=2),
    st.sampled_from(EVIDENCE_KINDS),
)
def test_removing_a_kind_from_parts_of_the_hand_pool_never_measures_more(
    keep: list[bool], extra: list[InteractionKind], kind: InteractionKind
) -> None:
    # the hand pool, with some of its rows and up to two kinds dropped (its members kept)
    rows = [r for r, k in zip(BASE, keep, strict=True) if k or r.kind is InteractionKind.CONNECT]
    rows = [r for r in rows if r.kind not in extra or r.kind is InteractionKind.CONNECT]
    full = readiness(rows)
    less = readiness([r for r in rows if r.kind is not kind])
    assert_never_measured_again(full, less, kind)


def expected_no_pool(
    histories: dict[str, list[Interaction]], charter: PoolCharter, as_of: datetime
) -> bool:
    """Seed 001's three conditions, read straight off the interactions."""
    start, sales_start = as_of - timedelta(days=30), as_of - timedelta(days=90)
    active = False
    for rows in histories.values():
        connects = [r.at for r in rows if r.kind is InteractionKind.CONNECT and r.at <= as_of]
        churns = [r.at for r in rows if r.kind is InteractionKind.CHURN and r.at <= as_of]
        member = bool(connects) and (not churns or max(churns) < max(connects))
        own = [
            r
            for r in rows
            if start < r.at <= as_of
            and r.direction != "outbound"
            and r.kind not in (InteractionKind.CONNECT, InteractionKind.CHURN)
        ]
        active |= member and bool(own)
    purchases = [r.at for rows in histories.values() for r in rows if r.kind == "purchase"]
    no_sales = bool(purchases) and not any(sales_start < t <= as_of for t in purchases)
    return charter.brand is None or not active or no_sales


@PROPS
@given(pool_histories(max_customers=5, max_size=14), instants, charters(max_interests=1))
def test_no_pool_exactly_when_brand_activity_or_sales_is_missing(
    histories: dict[str, list[Interaction]], as_of: datetime, charter: PoolCharter
) -> None:
    ready = pool_readiness(charter, table_of(histories), as_of)
    assert (ready.verdict is PoolVerdict.NO_POOL) == expected_no_pool(histories, charter, as_of)
    purchases = any(r.kind == "purchase" for rows in histories.values() for r in rows)
    if ready.verdict is PoolVerdict.UNDETERMINED:
        assert not purchases


@PROPS
@given(pool_histories(max_customers=5, max_size=14), instants, st.randoms(use_true_random=False))
def test_readiness_does_not_depend_on_input_order(
    histories: dict[str, list[Interaction]], as_of: datetime, random: Any
) -> None:
    rows = [i for history in histories.values() for i in history]
    shuffled = list(rows)
    random.shuffle(shuffled)
    customers = list(histories)
    one = pool_readiness(CHARTER, EventTable.from_interactions(rows, customers=customers), as_of)
    two = pool_readiness(
        CHARTER, EventTable.from_interactions(shuffled, customers=customers), as_of
    )
    assert one == two
    assert str(one) == str(two)
