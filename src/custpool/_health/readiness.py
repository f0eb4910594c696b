"""Pool readiness: seed 001's six steps to build a pool and its four ways of sticking, checked.

Seed 001 (打造客户池的6步) names six steps — positioning precision (精准度), depth of endorsement
(背书的厚度), cultural height (文化高度), warmth (温度), heat (传播热度) and stickiness (品牌黏度)
— and four ways of sticking: by product, by people, by store and by group (以物粘人、以人粘人、
以店粘人、以群粘人). It also says what a pool cannot do without: "没有品牌、没有活动、没有销售，
就没有私域" (no brand, no activity, no sales: no pool).

:func:`pool_readiness` turns this into a checklist. The first three steps are *declared* in the
charter (a brand's positioning, endorsements and culture are statements, not events); warmth,
heat and the four ways are *measured* from the table, reusing health's readings (reply time,
participation, member-to-member share, management norms) where health has them. Each check
passes when it meets its target (:class:`ReadinessPolicy`); an item passes when all its checks
pass, and is not measured when a check it needs has no data — never failed, never passed, on
data that is not there.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from custpool._analytics import RepurchaseRate, repurchase_rate
from custpool._engine import CHANNELS, DIRECTIONS, KIND_CODE, MIN_TIME, OUTBOUND, count_runs
from custpool._errors import ValidationError, wrong_argument
from custpool._health.measures import Measure, score_against
from custpool._health.score import facts_at
from custpool._model import Channel, ComplaintReason, Direction, InteractionKind
from custpool._time import from_micros, to_micros

if TYPE_CHECKING:
    from collections.abc import Iterable

    from custpool._engine import EventTable
    from custpool._health.facts import HealthFacts
    from custpool._health.readings import Reading
    from custpool._model import PoolCharter

from custpool._health.readiness_items import (
    PoolVerdict,
    ReadinessCheck,
    ReadinessItem,
    ReadinessStatus,
)
from custpool._health.readiness_result import (
    CheckReading,
    ItemReadiness,
    PoolReadiness,
    ReadinessPolicy,
)

__all__ = ["pool_readiness"]

_DEFAULT_POLICY: Final = ReadinessPolicy()


# -- the checks ----------------------------------------------------------------------------------


def _reading(check: ReadinessCheck, raw: float | None, target: float, why: str) -> CheckReading:
    score = None if raw is None else score_against(check.aim, raw, target)
    return CheckReading(check=check, raw=raw, target=target, score=score, explanation=why)


def _from_health(check: ReadinessCheck, reading: Reading, target: float) -> CheckReading:
    return _reading(check, reading.raw, target, reading.explanation)


def _health_target(facts: HealthFacts, measure: Measure) -> float:
    target = facts.target(measure)
    if target is None:  # pragma: no cover - the reused measures all have a policy target
        raise ValidationError("policy.health", facts.policy, f"has no target for {measure}")
    return target


def _unrecorded(facts: HealthFacts, kind: InteractionKind) -> str | None:
    if kind in facts.recorded:
        return None
    return (
        f"the data record no {kind.value.upper()} rows: pass recorded_kinds= if the source "
        "records them (a pool may have none yet)"
    )


_NO_MEMBERS: Final = "the pool has no members"
_INBOUND: Final = DIRECTIONS.index(Direction.INBOUND)
_GROUP_CHANNEL: Final = CHANNELS.index(Channel.CUSTOMER_GROUP)


def _member_share(  # noqa: PLR0913 - the check, its target, and the rows it counts
    facts: HealthFacts,
    check: ReadinessCheck,
    target: float,
    kind: InteractionKind,
    *,
    what: str,
    rows: np.ndarray[Any, np.dtype[np.bool_]] | None = None,
) -> CheckReading:
    """Return the share of members with a row of ``kind`` (and ``rows``) in the window."""
    if (why := _unrecorded(facts, kind)) is not None:
        return _reading(check, None, target, why)
    if not facts.members:
        return _reading(check, None, target, _NO_MEMBERS)
    mask = (facts.kind == KIND_CODE[kind]) & facts.by_member
    if rows is not None:
        mask &= rows
    count = count_runs(facts.customer[mask])  # window rows are sorted by customer
    share = count / facts.members
    why = f"{count:,} of {facts.members:,} members ({share:.1%}) {what} in the window"
    return _reading(check, share, target, why)


def _complaints(facts: HealthFacts, check: ReadinessCheck, reason: ComplaintReason) -> CheckReading:
    """Return complaints of ``reason`` in the window per member (counted as health does)."""
    target = _health_target(facts, Measure.STRUCTURE_COMPLAINTS)
    if (why := _unrecorded(facts, InteractionKind.COMPLAINT)) is not None:
        return _reading(check, None, target, why)
    if not facts.members:
        return _reading(check, None, target, _NO_MEMBERS)
    rows = facts.kinds[InteractionKind.COMPLAINT].within(facts.start, facts.end)
    code = tuple(ComplaintReason).index(reason)
    count = int(np.count_nonzero(facts.table.reason[rows.index] == code))
    noun = "complaint" if count == 1 else "complaints"
    why = f"{count:,} {reason.value} {noun} in the window for {facts.members:,} members"
    return _reading(check, count / facts.members, target, why)


def _declared(facts: HealthFacts, policy: ReadinessPolicy) -> list[CheckReading]:
    charter = facts.charter
    stated = charter.positioning is not None
    interests = len(charter.interests)
    endorsements = len(charter.endorsements)
    pillars = {
        "vision": charter.vision is not None,
        "mission": charter.mission is not None,
        "values": bool(charter.core_values),
    }
    missing = [name for name, there in pillars.items() if not there]
    norms = facts.readings.structure_norms()
    return [
        _reading(
            ReadinessCheck.POSITIONING_STATEMENT,
            float(stated),
            1.0,
            f"positioning: {charter.positioning}" if stated else "the charter declares none",
        ),
        _reading(
            ReadinessCheck.POSITIONING_TAGS,
            float(interests),
            float(policy.min_interests),
            f"the charter declares {interests} interest tag{'' if interests == 1 else 's'}",
        ),
        _reading(
            ReadinessCheck.ENDORSEMENT_COUNT,
            float(endorsements),
            float(policy.min_endorsements),
            f"the charter declares {endorsements} endorsement{'' if endorsements == 1 else 's'}",
        ),
        _reading(
            ReadinessCheck.CULTURE_PILLARS,
            float(3 - len(missing)),
            3.0,
            f"missing: {', '.join(missing)}" if missing else "vision, mission and values declared",
        ),
        _from_health(
            ReadinessCheck.CULTURE_NORMS, norms, _health_target(facts, Measure.STRUCTURE_NORMS)
        ),
    ]


def _measured(
    facts: HealthFacts, policy: ReadinessPolicy, sales: RepurchaseRate | None
) -> list[CheckReading]:
    reply = facts.readings.operate_reply_hours()
    reply_target = _health_target(facts, Measure.OPERATE_REPLY_HOURS)
    one_to_one = (facts.direction == _INBOUND) & (facts.channel != _GROUP_CHANNEL)
    own = facts.direction != OUTBOUND
    return [
        _from_health(ReadinessCheck.WARMTH_REPLY_HOURS, reply, reply_target),
        _member_share(
            facts,
            ReadinessCheck.WARMTH_CONVERSATIONS,
            policy.conversation_share,
            InteractionKind.MESSAGE,
            what="sent a one-to-one message",
            rows=one_to_one,
        ),
        _from_health(
            ReadinessCheck.HEAT_PARTICIPATION,
            facts.readings.operate_participation(),
            _health_target(facts, Measure.OPERATE_PARTICIPATION),
        ),
        _member_share(
            facts,
            ReadinessCheck.HEAT_EVENTS,
            policy.event_share,
            InteractionKind.EVENT_ATTEND,
            what="attended an event",
        ),
        _repurchase(facts, policy, sales),
        _complaints(facts, ReadinessCheck.PRODUCT_QUALITY_COMPLAINTS, ComplaintReason.QUALITY),
        _from_health(ReadinessCheck.PEOPLE_REPLY_HOURS, reply, reply_target),
        _complaints(facts, ReadinessCheck.PEOPLE_SERVICE_COMPLAINTS, ComplaintReason.SERVICE),
        _member_share(
            facts,
            ReadinessCheck.STORE_VISITS,
            policy.visit_share,
            InteractionKind.STORE_VISIT,
            what="visited a store",
        ),
        _member_share(
            facts,
            ReadinessCheck.GROUP_POSTS,
            policy.group_post_share,
            InteractionKind.GROUP_POST,
            what="posted in a group",
            rows=own,
        ),
        _from_health(
            ReadinessCheck.GROUP_PEER_SHARE,
            facts.readings.operate_peer_share(),
            _health_target(facts, Measure.OPERATE_PEER_SHARE),
        ),
    ]


def _sales_start(facts: HealthFacts, policy: ReadinessPolicy) -> int:
    return max(facts.end - to_micros(policy.sales_window), MIN_TIME)


def _sales(facts: HealthFacts, policy: ReadinessPolicy) -> RepurchaseRate | None:
    """Return the sales window's repurchase rate (its buyers: sales); None if unrecorded."""
    if InteractionKind.PURCHASE not in facts.recorded:
        return None
    start = from_micros(_sales_start(facts, policy))
    return repurchase_rate(facts.table, start, from_micros(facts.end))


def _repurchase(
    facts: HealthFacts, policy: ReadinessPolicy, result: RepurchaseRate | None
) -> CheckReading:
    check = ReadinessCheck.PRODUCT_REPURCHASE
    target = policy.repurchase_rate
    if result is None:
        return _reading(check, None, target, _unrecorded(facts, InteractionKind.PURCHASE) or "")
    if result.rate is None:
        return _reading(check, None, target, f"nobody bought in the last {_days(policy)}")
    why = (
        f"{result.repeat_buyers:,} of {result.buyers:,} buyers bought again "
        f"in the last {_days(policy)}"
    )
    return _reading(check, result.rate, target, why)


def _days(policy: ReadinessPolicy) -> str:
    return f"{policy.sales_window / timedelta(days=1):g} days"


# -- items and the verdict -----------------------------------------------------------------------


def _item(item: ReadinessItem, checks: list[CheckReading]) -> ItemReadiness:
    # an item is judged only on all its evidence: one unmeasured check leaves it unmeasured
    statuses = {c.status for c in checks}
    if ReadinessStatus.NOT_MEASURED in statuses:
        status = ReadinessStatus.NOT_MEASURED
    elif ReadinessStatus.FAILED in statuses:
        status = ReadinessStatus.FAILED
    else:
        status = ReadinessStatus.PASSED
    return ItemReadiness(item, status, tuple(checks), *_advice(item, status, checks))


def _advice(
    item: ReadinessItem, status: ReadinessStatus, checks: list[CheckReading]
) -> tuple[str, str]:
    if status is ReadinessStatus.PASSED:
        return "", ""
    if status is ReadinessStatus.FAILED:
        return item.fix
    unmeasured = [c.check for c in checks if c.raw is None]
    needs = "; ".join(dict.fromkeys(c.needs for c in unmeasured))
    needs_zh = "；".join(dict.fromkeys(c.needs_zh for c in unmeasured))
    return f"To measure it, record {needs}.", f"需要记录：{needs_zh}。"


def _stickiness(ways: list[ItemReadiness], policy: ReadinessPolicy) -> ItemReadiness:
    check = ReadinessCheck.STICKINESS_WAYS
    need = policy.sticking_ways
    measured = [w for w in ways if w.status is not ReadinessStatus.NOT_MEASURED]
    passed = [w.item.value for w in ways if w.status is ReadinessStatus.PASSED]
    if len(measured) < need:
        why = f"{len(measured)} of the 4 ways measured; {need} needed to judge"
        reading = _reading(check, None, float(need), why)
    else:
        held = ", ".join(passed) if passed else "none"
        why = f"{len(passed)} of {len(measured)} ways measured hold ({held})"
        reading = _reading(check, float(len(passed)), float(need), why)
    return _item(ReadinessItem.STICKINESS, [reading])


def _verdict(
    facts: HealthFacts, policy: ReadinessPolicy, buyers: int | None
) -> tuple[PoolVerdict, tuple[str, ...], tuple[str, ...]]:
    reasons: list[tuple[str, str]] = []
    missing = False
    if facts.charter.brand is None:
        missing = True
        reasons.append(("no brand: the charter declares none", "没有品牌：章程未声明品牌"))
    if not facts.active:
        missing = True
        days = f"{facts.policy.window / timedelta(days=1):g}"
        reasons.append(
            (
                f"no activity: no member took part on their own in the last {days} days",
                f"没有活跃：最近 {days} 天没有成员主动互动",
            )
        )
    if buyers is None:
        reasons.append(
            (
                "sales not measured: the data record no PURCHASE rows",
                "销售未测量：数据中没有购买记录（PURCHASE）",
            )
        )
    elif not buyers:
        missing = True
        days = f"{policy.sales_window / timedelta(days=1):g}"
        reasons.append(
            (
                f"no sales: nobody bought in the last {days} days",
                f"没有销售：最近 {days} 天没有人购买",
            )
        )
    if missing:
        verdict = PoolVerdict.NO_POOL
    else:
        verdict = PoolVerdict.UNDETERMINED if buyers is None else PoolVerdict.POOL
    return verdict, tuple(en for en, _ in reasons), tuple(zh for _, zh in reasons)


def pool_readiness(
    charter: PoolCharter,
    table: EventTable,
    as_of: datetime,
    *,
    policy: ReadinessPolicy = _DEFAULT_POLICY,
    recorded_kinds: Iterable[InteractionKind | str] | None = None,
) -> PoolReadiness:
    """Check a pool against seed 001's six steps and four ways of sticking at ``as_of``.

    Steps 1-3 are declared in the charter: positioning (a positioning line and at least
    ``min_interests`` interest tags), endorsement (at least ``min_endorsements``) and culture
    (vision, mission and values, and health's norms target). Steps 4-5 and the four ways are
    measured in the window ``(as_of - policy.health.window, as_of]`` (sales: the sales window),
    reusing health's readings for reply time, participation, member-to-member share and norms.
    Step 6, stickiness, holds when at least ``sticking_ways`` of the four ways pass, and is not
    measured while fewer than that many are measured.

    A check whose data is missing is *not measured*, never failed: a kind with no row in the
    table is taken as not recorded (as :func:`~custpool.score_health` does; ``recorded_kinds``
    says otherwise). An item is passed when all its checks pass, not measured when one is not
    measured, else failed.

    The verdict is seed 001's "没有品牌、没有活动、没有销售，就没有私域": NO_POOL exactly when the
    charter names no brand, or no member took part in the window, or (purchases recorded)
    nobody bought in the sales window; UNDETERMINED when nothing is missing but purchases are
    not recorded; else POOL.

    Parameters
    ----------
    charter
        The pool's charter (its brand, positioning, endorsements, culture, interests, norms).
    table
        The pool's interactions.
    as_of
        The instant to look at (timezone-aware).
    policy
        Targets and windows (:class:`ReadinessPolicy`).
    recorded_kinds
        The interaction kinds the source records (default: those with a row in the table).

    Returns
    -------
    PoolReadiness

    Raises
    ------
    custpool.WrongTypeError
        If an argument has the wrong type.
    custpool.ValidationError
        If ``as_of`` is naive or too close to 1900 for the windows, or ``recorded_kinds``
        names something that is not an interaction kind.

    Examples
    --------
    The example pool on 25 January 2026. Its charter declares interests and three norms but
    no brand, positioning, endorsement or culture; its one member message waits unanswered.

    >>> from custpool import EXAMPLE_START, EventTable, example_pool
    >>> pool = example_pool()
    >>> table = EventTable.from_interactions(pool.interactions)
    >>> ready = pool_readiness(pool.charter, table, EXAMPLE_START.replace(day=25))
    >>> ready
    PoolReadiness(2026-01-25: 4 passed, 6 failed, 0 not_measured; verdict no_pool)
    >>> ready.verdict_reasons
    ('no brand: the charter declares none',)
    >>> events = ready.check("heat.events")
    >>> events.status.value, events.raw, events.target  # 2 of 5 members attended an event
    ('passed', 0.4, 0.1)
    >>> ready.item("warmth").status.value, ready.item("warmth").advice_zh
    ('failed', '增加温度：及时回复成员，多一对一沟通——人连接人。')

    Declaring a brand makes it a pool; a table without store visits cannot tell whether the
    store holds customers, so that way is not measured (and says what would measure it).

    >>> from custpool import InteractionKind
    >>> branded = pool.charter.model_copy(update={"brand": "Bean & Co"})
    >>> no_visits = [i for i in pool.interactions if i.kind is not InteractionKind.STORE_VISIT]
    >>> ready = pool_readiness(
    ...     branded, EventTable.from_interactions(no_visits), EXAMPLE_START.replace(day=25)
    ... )
    >>> ready.verdict.value, ready.item("by_store").status.value
    ('pool', 'not_measured')
    >>> ready.item("by_store").advice
    'To measure it, record STORE_VISIT rows (store visits, 上门).'
    """
    if not isinstance(policy, ReadinessPolicy):
        raise wrong_argument("policy", policy, "must be a custpool.ReadinessPolicy")
    facts = facts_at(table, charter, as_of, policy.health, recorded_kinds=recorded_kinds)
    if facts.end - to_micros(policy.sales_window) < MIN_TIME:
        rule = "must be at least policy.sales_window after 1900-01-01 (the window starts there)"
        raise ValidationError("as_of", as_of, rule)
    moment = from_micros(facts.end)
    sales = _sales(facts, policy)
    readings = {r.check: r for r in [*_declared(facts, policy), *_measured(facts, policy, sales)]}

    def item(it: ReadinessItem) -> ItemReadiness:
        return _item(it, [readings[c] for c in it.checks])

    steps = [item(it) for it in ReadinessItem if not it.way and it is not ReadinessItem.STICKINESS]
    ways = [item(it) for it in ReadinessItem if it.way]
    buyers = None if sales is None else sales.buyers
    verdict, reasons, reasons_zh = _verdict(facts, policy, buyers)
    return PoolReadiness(
        as_of=moment,
        window_start=from_micros(facts.start),
        sales_start=from_micros(_sales_start(facts, policy)),
        members=facts.members,
        items=(*steps, _stickiness(ways, policy), *ways),
        verdict=verdict,
        brand=charter.brand,
        active_members=facts.active,
        buyers=buyers,
        verdict_reasons=reasons,
        verdict_reasons_zh=reasons_zh,
    )
