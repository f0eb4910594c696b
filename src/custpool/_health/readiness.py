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

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import numpy as np
from pydantic import Field

from custpool._analytics import RepurchaseRate, repurchase_rate
from custpool._base import FrozenModel
from custpool._engine import CHANNELS, DIRECTIONS, KIND_CODE, MIN_TIME, OUTBOUND, count_runs
from custpool._errors import ValidationError, bad_argument, wrong_argument
from custpool._frames import ColumnType, build_frame
from custpool._health.measures import Aim, Measure, score_against
from custpool._health.policy import BoundedDuration, HealthPolicy
from custpool._health.score import facts_at
from custpool._model import Channel, ComplaintReason, Direction, InteractionKind
from custpool._time import from_micros, to_micros

if TYPE_CHECKING:
    from collections.abc import Iterable

    from custpool._engine import EventTable
    from custpool._health.facts import HealthFacts, Reading
    from custpool._model import PoolCharter

__all__ = [
    "CheckReading",
    "ItemReadiness",
    "PoolReadiness",
    "PoolVerdict",
    "ReadinessCheck",
    "ReadinessItem",
    "ReadinessPolicy",
    "ReadinessStatus",
    "pool_readiness",
]


class ReadinessStatus(StrEnum):
    """Where a readiness check or item stands.

    Examples
    --------
    >>> ReadinessStatus.NOT_MEASURED.label_zh
    '未测量'
    """

    PASSED = "passed"
    """It meets its target (an item: every check does)."""
    FAILED = "failed"
    """It misses its target (an item: a check does, and every check is measured)."""
    NOT_MEASURED = "not_measured"
    """The data cannot tell: the reason and the data that would tell are given."""

    @property
    def label_zh(self) -> str:
        """The Chinese label."""
        return {"passed": "通过", "failed": "未通过", "not_measured": "未测量"}[self.value]


class ReadinessItem(StrEnum):
    """Seed 001's six steps to build a pool, and the four ways of sticking of step 6.

    Examples
    --------
    >>> [(i.step, i.label_zh) for i in ReadinessItem][:3]
    [(1, '精准度'), (2, '背书的厚度'), (3, '文化高度')]
    >>> ReadinessItem.CULTURE.declared, ReadinessItem.BY_STORE.way
    (True, True)
    """

    POSITIONING = "positioning"
    """Step 1, 精准度: the brand's place in the customer's mind, and the key tags that name it."""
    ENDORSEMENT = "endorsement"
    """Step 2, 背书的厚度: what vouches for the brand; "trust is worth more than gold"."""
    CULTURE = "culture"
    """Step 3, 文化高度: vision, mission and values, and the norms the pool keeps."""
    WARMTH = "warmth"
    """Step 4, 温度: people connecting people — replies and one-to-one conversations."""
    HEAT = "heat"
    """Step 5, 传播热度: presence — members taking part and coming to events."""
    STICKINESS = "stickiness"
    """Step 6, 品牌黏度: held when enough of the four ways of sticking hold."""
    BY_PRODUCT = "by_product"
    """以物粘人: buyers buy again, and do not complain of quality."""
    BY_PEOPLE = "by_people"
    """以人粘人: service is the red string — quick replies, no service complaints."""
    BY_STORE = "by_store"
    """以店粘人: members come to the store."""
    BY_GROUP = "by_group"
    """以群粘人: groups where members post and talk to each other."""

    @property
    def label_zh(self) -> str:
        """The Chinese name, as seed 001 writes it."""
        return _ITEM_ZH[self]

    @property
    def step(self) -> int:
        """The step of seed 001 (1-6); the four ways belong to step 6."""
        return min(list(ReadinessItem).index(self) + 1, 6)

    @property
    def declared(self) -> bool:
        """Whether the item is declared in the charter (steps 1-3) rather than measured."""
        return self.step <= 3

    @property
    def way(self) -> bool:
        """Whether the item is one of the four ways of sticking."""
        return self in _WAYS

    @property
    def checks(self) -> tuple[ReadinessCheck, ...]:
        """The checks the item is judged on, in report order."""
        return tuple(c for c in ReadinessCheck if c.item is self)


_ITEM_ZH: Final = MappingProxyType(
    {
        ReadinessItem.POSITIONING: "精准度",
        ReadinessItem.ENDORSEMENT: "背书的厚度",
        ReadinessItem.CULTURE: "文化高度",
        ReadinessItem.WARMTH: "温度",
        ReadinessItem.HEAT: "传播热度",
        ReadinessItem.STICKINESS: "品牌黏度",
        ReadinessItem.BY_PRODUCT: "以物粘人",
        ReadinessItem.BY_PEOPLE: "以人粘人",
        ReadinessItem.BY_STORE: "以店粘人",
        ReadinessItem.BY_GROUP: "以群粘人",
    }
)
_WAYS: Final = frozenset(
    {
        ReadinessItem.BY_PRODUCT,
        ReadinessItem.BY_PEOPLE,
        ReadinessItem.BY_STORE,
        ReadinessItem.BY_GROUP,
    }
)


class ReadinessCheck(StrEnum):
    """One thing a readiness item is judged on: a charter declaration or a measure of the data.

    Examples
    --------
    >>> c = ReadinessCheck.WARMTH_REPLY_HOURS
    >>> c.item.value, c.health_measure.value, c.aim.value
    ('warmth', 'operate.reply_hours', 'at_most')
    >>> ReadinessCheck.STORE_VISITS.needs
    'STORE_VISIT rows (store visits, 上门)'
    """

    POSITIONING_STATEMENT = "positioning.statement"
    """The charter declares a positioning (1) or not (0); target 1."""
    POSITIONING_TAGS = "positioning.tags"
    """Interest tags the charter declares (the key tags 标签 of the positioning)."""
    ENDORSEMENT_COUNT = "endorsement.count"
    """Endorsements the charter declares."""
    CULTURE_PILLARS = "culture.pillars"
    """Of vision, mission and values, how many the charter declares; target 3."""
    CULTURE_NORMS = "culture.norms"
    """Management norms the charter declares: health's ``structure.norms``."""
    WARMTH_REPLY_HOURS = "warmth.reply_hours"
    """Median hours to an operator's reply: health's ``operate.reply_hours``."""
    WARMTH_CONVERSATIONS = "warmth.conversations"
    """Share of members who sent a one-to-one message (a MESSAGE outside customer groups)."""
    HEAT_PARTICIPATION = "heat.participation"
    """Share of members who took part on their own: health's ``operate.participation``."""
    HEAT_EVENTS = "heat.events"
    """Share of members who attended an event (EVENT_ATTEND)."""
    STICKINESS_WAYS = "stickiness.ways"
    """Ways of sticking that pass."""
    PRODUCT_REPURCHASE = "product.repurchase"
    """Repurchase rate over the sales window (:func:`~custpool.repurchase_rate`)."""
    PRODUCT_QUALITY_COMPLAINTS = "product.quality_complaints"
    """Quality complaints in the window per member."""
    PEOPLE_REPLY_HOURS = "people.reply_hours"
    """Median hours to an operator's reply: health's ``operate.reply_hours``."""
    PEOPLE_SERVICE_COMPLAINTS = "people.service_complaints"
    """Service complaints in the window per member."""
    STORE_VISITS = "store.visits"
    """Share of members who visited a store (STORE_VISIT)."""
    GROUP_POSTS = "group.posts"
    """Share of members who posted in a customer group (GROUP_POST, their own)."""
    GROUP_PEER_SHARE = "group.peer_share"
    """Share of members' own interactions that are member-to-member: ``operate.peer_share``."""

    @property
    def item(self) -> ReadinessItem:
        """The item the check belongs to."""
        return _CHECKS[self].item

    @property
    def aim(self) -> Aim:
        """Which way is better (at least, or at most, the target)."""
        return _CHECKS[self].aim

    @property
    def unit(self) -> str:
        """The unit of the raw value."""
        return _CHECKS[self].unit

    @property
    def label(self) -> str:
        """A short English label."""
        return _CHECKS[self].label

    @property
    def label_zh(self) -> str:
        """A short Chinese label."""
        return _CHECKS[self].label_zh

    @property
    def health_measure(self) -> Measure | None:
        """The health measure whose reading the check reuses, if any."""
        return _CHECKS[self].measure

    @property
    def needs(self) -> str:
        """The data (or declaration) that measures the check."""
        return _CHECKS[self].needs

    @property
    def needs_zh(self) -> str:
        """The same, in Chinese."""
        return _CHECKS[self].needs_zh


@dataclass(frozen=True, slots=True)
class _About:
    item: ReadinessItem
    aim: Aim
    unit: str
    label: str
    label_zh: str
    needs: str
    needs_zh: str
    measure: Measure | None = None


_R = ReadinessItem
_UP, _DOWN = Aim.AT_LEAST, Aim.AT_MOST
_REPLIES = (
    "members' inbound MESSAGE rows and the operators' outbound MESSAGE replies",
    "成员发来的消息（MESSAGE，inbound）和运营者的回复（outbound）",
)
_COMPLAINTS = (
    "COMPLAINT rows with their complaint_reason",
    "带原因的投诉记录（COMPLAINT，complaint_reason）",
)
_CHECKS: Final = MappingProxyType(
    {
        ReadinessCheck.POSITIONING_STATEMENT: _About(
            _R.POSITIONING, _UP, "declared", "positioning declared", "品牌定位",
            "charter.positioning: one line", "章程的 positioning：一句话的品牌定位",
        ),
        ReadinessCheck.POSITIONING_TAGS: _About(
            _R.POSITIONING, _UP, "tags", "key interest tags", "关键标签",
            "charter.interests", "章程的 interests（同好标签）",
        ),
        ReadinessCheck.ENDORSEMENT_COUNT: _About(
            _R.ENDORSEMENT, _UP, "endorsements", "endorsements", "背书",
            "charter.endorsements", "章程的 endorsements（背书）",
        ),
        ReadinessCheck.CULTURE_PILLARS: _About(
            _R.CULTURE, _UP, "of 3", "vision, mission, values", "愿景、使命、价值观",
            "charter.vision, charter.mission and charter.core_values",
            "章程的 vision、mission 和 core_values",
        ),
        ReadinessCheck.CULTURE_NORMS: _About(
            _R.CULTURE, _UP, "norms", "management norms", "管理规范",
            "charter.norms", "章程的 norms（管理规范）", Measure.STRUCTURE_NORMS,
        ),
        ReadinessCheck.WARMTH_REPLY_HOURS: _About(
            _R.WARMTH, _DOWN, "hours", "reply time", "回复时长", *_REPLIES,
            Measure.OPERATE_REPLY_HOURS,
        ),
        ReadinessCheck.WARMTH_CONVERSATIONS: _About(
            _R.WARMTH, _UP, "share", "members in 1:1 chat", "一对一沟通的成员",
            "members' inbound MESSAGE rows outside customer groups (1:1 chat)",
            "成员一对一发来的消息（客户群以外的 MESSAGE）",
        ),
        ReadinessCheck.HEAT_PARTICIPATION: _About(
            _R.HEAT, _UP, "share", "participation", "参与率",
            "members (CONNECT rows) and their own interactions",
            "成员（CONNECT）及其主动的互动", Measure.OPERATE_PARTICIPATION,
        ),
        ReadinessCheck.HEAT_EVENTS: _About(
            _R.HEAT, _UP, "share", "members at events", "参加活动的成员",
            "EVENT_ATTEND rows (who attended an event)", "活动出席记录（EVENT_ATTEND）",
        ),
        ReadinessCheck.STICKINESS_WAYS: _About(
            _R.STICKINESS, _UP, "ways", "ways of sticking that hold", "成立的粘人方式",
            "the data of the four ways of sticking", "四种粘人方式所需的数据",
        ),
        ReadinessCheck.PRODUCT_REPURCHASE: _About(
            _R.BY_PRODUCT, _UP, "share", "repurchase rate", "复购率",
            "PURCHASE rows in the sales window", "销售窗口内的购买记录（PURCHASE）",
        ),
        ReadinessCheck.PRODUCT_QUALITY_COMPLAINTS: _About(
            _R.BY_PRODUCT, _DOWN, "per member", "quality complaints", "质量投诉", *_COMPLAINTS,
        ),
        ReadinessCheck.PEOPLE_REPLY_HOURS: _About(
            _R.BY_PEOPLE, _DOWN, "hours", "reply time", "回复时长", *_REPLIES,
            Measure.OPERATE_REPLY_HOURS,
        ),
        ReadinessCheck.PEOPLE_SERVICE_COMPLAINTS: _About(
            _R.BY_PEOPLE, _DOWN, "per member", "service complaints", "服务投诉", *_COMPLAINTS,
        ),
        ReadinessCheck.STORE_VISITS: _About(
            _R.BY_STORE, _UP, "share", "members visiting a store", "到店的成员",
            "STORE_VISIT rows (store visits, 上门)", "到店记录（STORE_VISIT）",
        ),
        ReadinessCheck.GROUP_POSTS: _About(
            _R.BY_GROUP, _UP, "share", "members posting in groups", "群内发言的成员",
            "members' own GROUP_POST rows", "成员的群发言记录（GROUP_POST）",
        ),
        ReadinessCheck.GROUP_PEER_SHARE: _About(
            _R.BY_GROUP, _UP, "share", "member-to-member", "成员之间的互动",
            "members' interactions with their direction (peer: member to member)",
            "成员互动及其方向（peer：成员之间）", Measure.OPERATE_PEER_SHARE,
        ),
    }
)  # fmt: skip

_ADVICE: Final = MappingProxyType(
    {
        ReadinessItem.POSITIONING: (
            (
                "Find the brand's parking space in the customer's mind and the key tags that name "
                "it: declare a one-line positioning and the interests it serves."
            ),
            "找准品牌在消费者心智中的“车位”和关键标签：写下一句话的品牌定位和它服务的同好。",
        ),
        ReadinessItem.ENDORSEMENT: (
            (
                "Thicken the endorsement: list the awards, certifications, partners and press that "
                "vouch for the brand — in a pool, trust is worth more than gold."
            ),
            "增加背书的厚度：列出为品牌作证的奖项、认证、合作伙伴和媒体报道——信任比黄金更重要。",
        ),
        ReadinessItem.CULTURE: (
            "Write the culture down: vision, mission and values, and the norms the pool keeps.",
            "写下企业文化：愿景、使命、价值观，以及社群的管理规范。",
        ),
        ReadinessItem.WARMTH: (
            "Add warmth: answer members quickly and talk one to one — people connecting people.",
            "增加温度：及时回复成员，多一对一沟通——人连接人。",
        ),
        ReadinessItem.HEAT: (
            "Make heat: hold events and give members reasons to take part; no presence, no brand.",
            "制造热度：多办活动，给成员参与的理由；没有存在感就没有品牌。",
        ),
        ReadinessItem.STICKINESS: (
            (
                "Hold customers in more than one way — product, people, store, group: a tie "
                "held by the product alone is the most fragile."
            ),
            "用多种方式粘住客户——以物、以人、以店、以群：只靠产品维系的关系最脆弱。",
        ),
        ReadinessItem.BY_PRODUCT: (
            "Stick by product: fix what buyers complain of and give them a reason to buy again.",
            "以物粘人：解决质量投诉，让买过的客户愿意再买。",
        ),
        ReadinessItem.BY_PEOPLE: (
            (
                "Stick by people: service is the red string — reply sooner, resolve service "
                "complaints."
            ),
            "以人粘人：优质的服务是粘住人的红绳——回复更快，解决服务投诉。",
        ),
        ReadinessItem.BY_STORE: (
            "Stick by store: invite members in and make the visit worth staying for.",
            "以店粘人：邀请成员到店，把门店体验做到极致。",
        ),
        ReadinessItem.BY_GROUP: (
            (
                "Stick by group: split members into groups and keep them talking to each other, "
                "not only listening to the brand."
            ),
            "以群粘人：把客户分群，打造群的高度活跃，让成员彼此交流，而不只是听品牌说话。",
        ),
    }
)


class PoolVerdict(StrEnum):
    """Seed 001's verdict: no brand, no activity or no sales — no pool.

    Examples
    --------
    >>> PoolVerdict.NO_POOL.label_zh
    '没有私域'
    """

    POOL = "pool"
    """A brand, activity and sales are all there."""
    NO_POOL = "no_pool"
    """A brand, activity or sales is missing."""
    UNDETERMINED = "undetermined"
    """Nothing is known to be missing, but sales are not measured (no PURCHASE rows recorded)."""

    @property
    def label_zh(self) -> str:
        """The Chinese label."""
        return {"pool": "是私域", "no_pool": "没有私域", "undetermined": "无法判断"}[self.value]


def _share_target(default: float) -> Any:  # noqa: ANN401 - a pydantic field
    return Field(default=default, gt=0, le=1, allow_inf_nan=False)


class ReadinessPolicy(FrozenModel):
    """Targets and windows of :func:`~custpool.pool_readiness`.

    The checks that reuse a health reading take their target and window from ``health``
    (:class:`~custpool.HealthPolicy`): reply time (4 h), participation (30%), member-to-member
    share (20%), management norms (2) and, per cause, complaints per member (0.02). The others
    have their own targets here. Seed 001 gives no numbers; each default says where it comes
    from (docs/readiness.md).

    Parameters
    ----------
    health
        The health policy: the window ``(as_of - window, as_of]`` of the measured checks (30
        days), the tier policy that decides who is a member, and the reused targets.
    sales_window
        How far back sales and repurchase look (90 days: health's retention period; buying is
        rarer than talking, and a month without a sale is not "no sales").
    min_interests
        Interest tags the positioning needs (1: seed 001's "关键点、标签要找出来", find the tags).
    min_endorsements
        Endorsements (2: "背书的厚度", thickness — more than one voice vouching; health asks 2
        norms likewise).
    conversation_share
        Members in one-to-one chat (10%: a third of health's 30% participation target).
    event_share
        Members attending an event (10%: health's ritual attendance target).
    visit_share
        Members visiting a store (10%: as events — coming somewhere in person).
    group_post_share
        Members posting in a group (10%: a third of health's participation target).
    repurchase_rate
        Repurchase rate over the sales window (20%: a fifth of buyers buying again; no seed
        gives a number, tune it to your trade).
    sticking_ways
        Ways of sticking that must hold for stickiness (2: seed 004 — a tie held by the product
        alone is the most common and the most fragile).

    Examples
    --------
    >>> p = ReadinessPolicy(min_endorsements=3)
    >>> p.min_endorsements, p.sales_window.days, p.health.window.days
    (3, 90, 30)
    >>> ReadinessPolicy(sticking_ways=5)
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for ReadinessPolicy
    sticking_ways
      Input should be less than or equal to 4 ...
    """

    health: HealthPolicy = HealthPolicy()
    """Window, tier policy and the targets of the reused health readings."""
    sales_window: BoundedDuration = timedelta(days=90)
    """Window of sales and repurchase."""
    min_interests: int = Field(default=1, ge=1, le=1000)
    """Interest tags the positioning needs."""
    min_endorsements: int = Field(default=2, ge=1, le=1000)
    """Endorsements needed."""
    conversation_share: float = _share_target(0.1)
    """Share of members in one-to-one chat."""
    event_share: float = _share_target(0.1)
    """Share of members attending an event."""
    visit_share: float = _share_target(0.1)
    """Share of members visiting a store."""
    group_post_share: float = _share_target(0.1)
    """Share of members posting in a group."""
    repurchase_rate: float = _share_target(0.2)
    """Repurchase rate over the sales window."""
    sticking_ways: int = Field(default=2, ge=1, le=4)
    """Ways of sticking that must hold."""


_DEFAULT_POLICY: Final = ReadinessPolicy()


@dataclass(frozen=True, slots=True)
class CheckReading:
    """One check: its raw value (None: not measured), target, 0–100 score and why.

    Attributes
    ----------
    check
        Which check.
    raw
        The value, in :attr:`ReadinessCheck.unit`; None when not measured.
    target
        The target: at least it, or at most it (:attr:`ReadinessCheck.aim`).
    score
        How close ``raw`` is to the target, 0 to 100 (:func:`~custpool.score_against`); None
        when not measured.
    explanation
        The numbers behind ``raw``, or why it is not measured.
    """

    check: ReadinessCheck
    raw: float | None
    target: float
    score: float | None
    explanation: str

    @property
    def status(self) -> ReadinessStatus:
        """Passed when ``raw`` meets the target, failed when not, else not measured."""
        if self.raw is None:
            return ReadinessStatus.NOT_MEASURED
        met = self.raw >= self.target if self.check.aim is Aim.AT_LEAST else self.raw <= self.target
        return ReadinessStatus.PASSED if met else ReadinessStatus.FAILED

    def __str__(self) -> str:
        """Return ``check: status (raw against target) — explanation``."""
        if self.raw is None:
            return f"{self.check.value}: not measured — {self.explanation}"
        word = "at least" if self.check.aim is Aim.AT_LEAST else "at most"
        unit = self.check.unit
        return (
            f"{self.check.value}: {self.status.value} ({_number(self.raw, unit)} against {word} "
            f"{_number(self.target, unit)}) — {self.explanation}"
        )


def _number(value: float, unit: str) -> str:
    if unit == "share":
        return f"{value:.1%}"
    if unit == "per member":
        return f"{value:.3f}"
    return f"{value:,.0f}" if value == int(value) else f"{value:.1f}"


@dataclass(frozen=True, slots=True)
class ItemReadiness:
    """One of the six steps or four ways: its status, its checks and what to do.

    Attributes
    ----------
    item
        Which step or way.
    status
        Passed when every check passes; not measured when a check is; else failed.
    checks
        Its checks, in report order.
    advice, advice_zh
        What to do, in English and Chinese: seed 001's fix when failed, the data to record when
        not measured, and ``""`` when passed.
    """

    item: ReadinessItem
    status: ReadinessStatus
    checks: tuple[CheckReading, ...]
    advice: str
    advice_zh: str

    @property
    def reason(self) -> str:
        """Why the item is not measured (the unmeasured checks' reasons), else ``""``."""
        return "; ".join(c.explanation for c in self.checks if c.raw is None)

    def check(self, check: ReadinessCheck | str) -> CheckReading:
        """Return one of the item's checks."""
        wanted = ReadinessCheck(check)
        return next(c for c in self.checks if c.check is wanted)


@dataclass(frozen=True, slots=True)
class PoolReadiness:
    """A pool's readiness at one instant: see :func:`~custpool.pool_readiness`.

    Attributes
    ----------
    as_of
        The instant looked at.
    window_start
        Start of the window ``(window_start, as_of]`` of the measured checks.
    sales_start
        Start of the sales window ``(sales_start, as_of]``.
    members
        Customers connected at ``as_of``.
    items
        The six steps then the four ways, in seed 001's order.
    verdict
        Seed 001's verdict: :attr:`PoolVerdict.NO_POOL` exactly when a brand, activity or sales
        is missing.
    brand
        The charter's brand (None: no brand).
    active_members
        Members who took part on their own in the window (0: no activity).
    buyers
        Customers who bought in the sales window; None when purchases are not recorded.
    verdict_reasons, verdict_reasons_zh
        What is missing or unknown, one line each, in English and Chinese.
    """

    as_of: datetime
    window_start: datetime
    sales_start: datetime
    members: int
    items: tuple[ItemReadiness, ...]
    verdict: PoolVerdict
    brand: str | None
    active_members: int
    buyers: int | None
    verdict_reasons: tuple[str, ...]
    verdict_reasons_zh: tuple[str, ...]

    def item(self, item: ReadinessItem | str) -> ItemReadiness:
        """Return one step or way."""
        wanted = ReadinessItem(item)
        return next(i for i in self.items if i.item is wanted)

    def check(self, check: ReadinessCheck | str) -> CheckReading:
        """Return one check."""
        wanted = ReadinessCheck(check)
        return self.item(wanted.item).check(wanted)

    def with_status(self, status: ReadinessStatus | str) -> tuple[ReadinessItem, ...]:
        """Return the items of one status, in order."""
        wanted = ReadinessStatus(status)
        return tuple(i.item for i in self.items if i.status is wanted)

    def __repr__(self) -> str:
        """Return a one-line summary."""
        counts = ", ".join(f"{len(self.with_status(s))} {s.value}" for s in ReadinessStatus)
        return f"PoolReadiness({self.as_of:%Y-%m-%d}: {counts}; verdict {self.verdict.value})"

    def __str__(self) -> str:
        """Return the report in English (:meth:`to_text` gives Chinese)."""
        return self.to_text("en")

    def __format__(self, spec: str) -> str:
        """Format as ``to_text(spec)``: ``f"{readiness:zh}"`` is the Chinese report."""
        return self.to_text(spec or "en")

    def to_text(self, lang: str = "en") -> str:
        """Return a readable report: the verdict, then each item with its checks and advice.

        Parameters
        ----------
        lang
            ``"en"`` or ``"zh"``: the language of the headings, labels, statuses and advice
            (the explanations of the numbers are in English in both).

        Raises
        ------
        custpool.ValidationError
            If ``lang`` is neither.
        """
        if lang not in ("en", "zh"):
            raise bad_argument("lang", lang, "must be 'en' or 'zh'")
        zh = lang == "zh"
        if zh:
            head = (
                f"客户池准备度（{self.as_of:%Y-%m-%d}，成员 {self.members:,} 人）："
                f"{self.verdict.label_zh}"
            )
        else:
            head = (
                f"Pool readiness at {self.as_of:%Y-%m-%d}, {self.members:,} members: "
                f"{self.verdict.value.replace('_', ' ')}"
            )
        lines = [head]
        lines.extend(f"  - {r}" for r in (self.verdict_reasons_zh if zh else self.verdict_reasons))
        for it in self.items:
            name = it.item.label_zh if zh else f"{it.item.value} {it.item.label_zh}"
            status = it.status.label_zh if zh else it.status.value.replace("_", " ")
            number = "  ·" if it.item.way else f"{it.item.step}."
            lines.append(f"{number} {name}: {status}")
            lines.extend(f"     {_check_line(c, zh=zh)}" for c in it.checks)
            advice = it.advice_zh if zh else it.advice
            if advice:
                lines.append(f"     → {advice}")
        return "\n".join(lines)

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return one row per check, in report order.

        Columns: ``as_of`` (in ``tz``); ``step``; ``item``, ``item_zh``, ``item_status``;
        ``check``, ``check_zh``; ``declared`` (from the charter, not the data);
        ``health_measure`` (the health measure reused, null if none); ``unit``; ``aim``;
        ``raw``, ``target``, ``score`` (``raw`` and ``score`` null when not measured, never
        0); ``status``; ``why``; ``needs`` (the data that measures the check); ``advice`` and
        ``advice_zh`` (the item's; empty when it passed). The verdict is one value per report:
        read it off the report.

        Parameters
        ----------
        backend
            ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (the ``frames`` extra).
        tz
            The zone ``as_of`` is shown in (an IANA name or ``datetime.UTC``; default UTC).

        Returns
        -------
        pandas.DataFrame, polars.DataFrame or pyarrow.Table

        Raises
        ------
        custpool.ValidationError
            If ``backend`` or ``tz`` is not one of those allowed.
        custpool.MissingDependencyError
            If narwhals or the backend is not installed.

        Examples
        --------
        >>> from custpool import EXAMPLE_START, EventTable, example_pool, pool_readiness
        >>> pool = example_pool()
        >>> table = EventTable.from_interactions(pool.interactions)
        >>> frame = pool_readiness(pool.charter, table, EXAMPLE_START.replace(day=25)).to_frame(
        ...     "polars")
        >>> frame.height, frame.columns[:5]
        (17, ['as_of', 'step', 'item', 'item_zh', 'item_status'])
        """
        rows = [(it, c) for it in self.items for c in it.checks]
        columns: dict[str, object] = {
            "as_of": np.full(len(rows), to_micros(self.as_of), dtype=np.int64),
            "step": np.array([it.item.step for it, _ in rows], dtype=np.int64),
            "item": np.array([it.item.value for it, _ in rows], dtype=np.str_),
            "item_zh": np.array([it.item.label_zh for it, _ in rows], dtype=np.str_),
            "item_status": np.array([it.status.value for it, _ in rows], dtype=np.str_),
            "check": np.array([c.check.value for _, c in rows], dtype=np.str_),
            "check_zh": np.array([c.check.label_zh for _, c in rows], dtype=np.str_),
            "declared": np.array([it.item.declared for it, _ in rows], dtype=np.bool_),
            "health_measure": [
                None if c.check.health_measure is None else c.check.health_measure.value
                for _, c in rows
            ],
            "unit": np.array([c.check.unit for _, c in rows], dtype=np.str_),
            "aim": np.array([c.check.aim.value for _, c in rows], dtype=np.str_),
            "raw": [c.raw for _, c in rows],
            "target": np.array([c.target for _, c in rows], dtype=np.float64),
            "score": [c.score for _, c in rows],
            "status": np.array([c.status.value for _, c in rows], dtype=np.str_),
            "why": np.array([c.explanation for _, c in rows], dtype=np.str_),
            "needs": np.array([c.check.needs for _, c in rows], dtype=np.str_),
            "advice": np.array([it.advice for it, _ in rows], dtype=np.str_),
            "advice_zh": np.array([it.advice_zh for it, _ in rows], dtype=np.str_),
        }
        dtypes: dict[str, ColumnType] = {"health_measure": "str", "raw": "float", "score": "float"}
        return build_frame(columns, backend=backend, times=("as_of",), tz=tz, dtypes=dtypes)


def _check_line(c: CheckReading, *, zh: bool) -> str:
    if not zh:
        return str(c)
    label = f"{c.check.label_zh}（{c.check.value}）"
    if c.raw is None:
        return f"{label}：未测量 — {c.explanation}"
    word = "至少" if c.check.aim is Aim.AT_LEAST else "至多"
    unit = c.check.unit
    return (
        f"{label}：{c.status.label_zh}（{_number(c.raw, unit)}，目标{word} "
        f"{_number(c.target, unit)}）— {c.explanation}"
    )


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
    norms = facts.structure_norms()
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
    reply = facts.operate_reply_hours()
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
            facts.operate_participation(),
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
            facts.operate_peer_share(),
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
        return _ADVICE[item]
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
