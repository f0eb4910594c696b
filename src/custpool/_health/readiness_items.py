"""Seed 001's checklist, as names: the six steps and four ways, their checks, and the verdict.

:class:`ReadinessItem` (a step or a way of sticking), :class:`ReadinessCheck` (what is read for
it, with its unit, aim, labels and the health measure it reuses), :class:`ReadinessStatus`,
:class:`PoolVerdict`, and seed 001's fix for each item. :func:`~custpool.pool_readiness`
(``readiness``) computes the readings; ``readiness_result`` holds what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from custpool._health.measures import Aim, Measure

__all__ = ["PoolVerdict", "ReadinessCheck", "ReadinessItem", "ReadinessStatus"]


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
    def fix(self) -> tuple[str, str]:
        """Seed 001's fix for the item when it fails, in English and Chinese."""
        return _ADVICE[self]

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
