"""Interactions: everything that happens between the brand and one customer, with per-kind rules."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

from pydantic import ValidationInfo, field_validator, model_validator

from custpool._base import FrozenModel
from custpool._fields import Identifier, NpsScore, UtcDatetime
from custpool._model.channels import Channel, SourceChannel
from custpool._model.money import Money

__all__ = [
    "KIND_RULES",
    "ChurnReason",
    "ComplaintReason",
    "Direction",
    "Interaction",
    "InteractionKind",
    "KindRule",
    "KIND_FIELDS",
]


class InteractionKind(StrEnum):
    """What happened.

    Examples
    --------
    >>> InteractionKind.PURCHASE.label_zh
    '购买'
    """

    CONNECT = "connect"
    """We can now reach them (added on WeCom, joined a group, gave a phone number)."""
    CHURN = "churn"
    """They deleted us, left, blocked us, or were removed."""
    MESSAGE = "message"
    """A chat message."""
    GROUP_POST = "group_post"
    """A post in a customer group."""
    REACTION = "reaction"
    """A like, emoji or short reaction."""
    CONTENT_VIEW = "content_view"
    """They viewed a piece of content."""
    EVENT_ATTEND = "event_attend"
    """They attended an event."""
    STORE_VISIT = "store_visit"
    """They visited a store (上门)."""
    PURCHASE = "purchase"
    """They bought (an order)."""
    REFUND = "refund"
    """An order, or part of it, was refunded."""
    REFERRAL = "referral"
    """They brought a new customer (裂变)."""
    NPS = "nps"
    """They answered the would-you-recommend question (0-10)."""
    COMPLAINT = "complaint"
    """They complained."""

    @property
    def label_zh(self) -> str:
        """The Chinese label for reports."""
        return _KIND_ZH[self]


_KIND_ZH: Final = {
    InteractionKind.CONNECT: "建联",
    InteractionKind.CHURN: "流失",
    InteractionKind.MESSAGE: "消息",
    InteractionKind.GROUP_POST: "群发言",
    InteractionKind.REACTION: "互动",
    InteractionKind.CONTENT_VIEW: "浏览内容",
    InteractionKind.EVENT_ATTEND: "参加活动",
    InteractionKind.STORE_VISIT: "到店",
    InteractionKind.PURCHASE: "购买",
    InteractionKind.REFUND: "退款",
    InteractionKind.REFERRAL: "推荐",
    InteractionKind.NPS: "净推荐值",
    InteractionKind.COMPLAINT: "投诉",
}


class Direction(StrEnum):
    """Who started an interaction. Only INBOUND and PEER are customer-initiated.

    Examples
    --------
    >>> Direction.PEER.customer_initiated, Direction.OUTBOUND.customer_initiated
    (True, False)
    """

    INBOUND = "inbound"
    """The customer reached out to the brand."""
    OUTBOUND = "outbound"
    """The brand reached out (broadcasts, hard selling: these never count as engagement)."""
    PEER = "peer"
    """Member to member, e.g. a reply to another member in a group."""

    @property
    def customer_initiated(self) -> bool:
        """Whether the customer started it (inbound or peer)."""
        return self is not Direction.OUTBOUND

    @property
    def label_zh(self) -> str:
        """The Chinese label for reports."""
        return {"inbound": "客户发起", "outbound": "品牌发起", "peer": "成员之间"}[self.value]


class ChurnReason(StrEnum):
    """Why a customer left."""

    DELETED = "deleted"
    """They deleted the brand's contact."""
    LEFT_GROUP = "left_group"
    """They left the customer group."""
    BLOCKED = "blocked"
    """They blocked the brand."""
    UNSUBSCRIBED = "unsubscribed"
    """They asked not to be contacted."""
    REMOVED = "removed"
    """The brand removed them (filtered out, 筛选)."""
    OTHER = "other"
    """Anything else."""


class ComplaintReason(StrEnum):
    """What a complaint is about: the causes of losing old customers in seed 004."""

    SERVICE = "service"
    """Poor service to a customer who mattered."""
    QUALITY = "quality"
    """Product quality dropped."""
    PRICE = "price"
    """Better price-performance elsewhere."""
    LOGISTICS = "logistics"
    """Delivery problems."""
    OTHER = "other"
    """Anything else."""


_ALL_DIRECTIONS: Final = (Direction.INBOUND, Direction.OUTBOUND, Direction.PEER)
_INBOUND: Final = (Direction.INBOUND,)
_EITHER: Final = (Direction.INBOUND, Direction.OUTBOUND)

KIND_FIELDS: Final = (
    "source",
    "churn_reason",
    "event_id",
    "content_id",
    "order_id",
    "amount",
    "referred_id",
    "score",
    "complaint_reason",
)
"""The per-kind fields of :class:`Interaction`, in column order."""


@dataclass(frozen=True, slots=True)
class KindRule:
    """What an interaction of one kind needs and allows.

    Attributes
    ----------
    required
        Per-kind fields that must be set.
    optional
        Per-kind fields that may be set; every other per-kind field must be empty.
    directions
        Allowed directions; when there is one, it is the default.
    channel
        The only channel allowed, and the default, or None for any channel (then required).
    """

    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    directions: tuple[Direction, ...] = _ALL_DIRECTIONS
    channel: Channel | None = None

    @property
    def allowed(self) -> frozenset[str]:
        """Per-kind fields that may be set."""
        return self.required | self.optional

    def uses(self) -> str:
        """Return the per-kind fields it uses, for an error message (``"amount, order_id"``)."""
        return ", ".join(sorted(self.allowed)) or "no per-kind fields"


KIND_RULES: Final = MappingProxyType(
    {
        InteractionKind.CONNECT: KindRule(required=frozenset({"source"}), directions=_EITHER),
        InteractionKind.CHURN: KindRule(required=frozenset({"churn_reason"}), directions=_EITHER),
        InteractionKind.MESSAGE: KindRule(),
        InteractionKind.GROUP_POST: KindRule(channel=Channel.CUSTOMER_GROUP),
        InteractionKind.REACTION: KindRule(optional=frozenset({"content_id"})),
        InteractionKind.CONTENT_VIEW: KindRule(
            optional=frozenset({"content_id"}), directions=_INBOUND
        ),
        InteractionKind.EVENT_ATTEND: KindRule(
            required=frozenset({"event_id"}), directions=_INBOUND
        ),
        InteractionKind.STORE_VISIT: KindRule(directions=_INBOUND, channel=Channel.STORE),
        InteractionKind.PURCHASE: KindRule(
            required=frozenset({"order_id", "amount"}), directions=_INBOUND
        ),
        InteractionKind.REFUND: KindRule(
            required=frozenset({"order_id", "amount"}), directions=_EITHER
        ),
        InteractionKind.REFERRAL: KindRule(
            required=frozenset({"referred_id"}), directions=_INBOUND
        ),
        InteractionKind.NPS: KindRule(required=frozenset({"score"}), directions=_INBOUND),
        InteractionKind.COMPLAINT: KindRule(
            required=frozenset({"complaint_reason"}), directions=_INBOUND
        ),
    },
)
"""The per-kind rules :class:`Interaction` enforces, one :class:`KindRule` per kind."""

_ALLOWED: Final = MappingProxyType({kind: rule.allowed for kind, rule in KIND_RULES.items()})
"""Each kind's allowed per-kind fields, computed once (they are checked for every field)."""


def _kind_problem(  # noqa: PLR0911 - one early return per rule reads best
    kind: InteractionKind, name: str, value: object, data: dict[str, Any]
) -> str | None:
    """Say what is wrong with field ``name`` holding ``value`` for ``kind``, or None."""
    rule = KIND_RULES[kind]
    if name == "direction":
        if value not in rule.directions:
            allowed = ", ".join(d.value for d in rule.directions)
            return f"kind {kind.value!r} cannot be {value} (allowed: {allowed})"
        return None
    if name == "channel":
        if rule.channel is not None and value is not rule.channel:
            return f"kind {kind.value!r} happens in {rule.channel.value}, not {value}"
        return None
    if value is None:
        if name in rule.required:
            return f"kind {kind.value!r} needs {name} (it uses: {rule.uses()})"
        return None
    if name not in _ALLOWED[kind]:
        return f"kind {kind.value!r} takes no {name} (it uses: {rule.uses()})"
    if isinstance(value, Money):
        return _amount_problem(kind, value)
    if name == "referred_id" and value is not None and value == data.get("customer_id"):
        return f"referred_id must be another customer; {value!r} cannot refer itself"
    return None


def _amount_problem(kind: InteractionKind, value: Money) -> str | None:
    """Say what is wrong with the amount of a purchase or refund, or None.

    A purchase may cost nothing (a free order: a gift, a 0元 trial), never less; a refund
    always gives money back.
    """
    if kind is InteractionKind.PURCHASE and value.amount < 0:
        return f"amount must not be negative on a purchase (0 is a free order); got {value}"
    if kind is InteractionKind.REFUND and value.amount <= 0:
        return f"amount must be positive on a refund; got {value}"
    return None


def _kind_schema(schema: dict[str, Any]) -> None:
    """Add the per-kind rules to the JSON Schema as ``if kind == … then …`` clauses."""
    clauses = []
    for kind, rule in KIND_RULES.items():
        then: dict[str, Any] = {
            "required": sorted(rule.required),
            "properties": {
                "direction": {"enum": [d.value for d in rule.directions]},
                **{f: {"type": "null"} for f in KIND_FIELDS if f not in rule.allowed},
            },
        }
        if rule.channel is not None:
            then["properties"]["channel"] = {"enum": [rule.channel.value]}
        else:
            then["required"] = sorted([*rule.required, "channel"])
        clauses.append({"if": {"properties": {"kind": {"const": kind.value}}}, "then": then})
    schema["allOf"] = clauses


class Interaction(FrozenModel):
    """One thing that happened between the brand and one customer.

    Every kind has its own rules (:data:`KIND_RULES`): which per-kind fields it needs, which it
    allows, which directions make sense and, for group posts and store visits, the channel.

    ====================  ==============================  ===================  ==============
    kind                  needs                           direction            channel
    ====================  ==============================  ===================  ==============
    ``connect``           ``source``                      inbound, outbound    any
    ``churn``             ``churn_reason``                inbound, outbound    any
    ``message``           —                               any                  any
    ``group_post``        —                               any                  customer_group
    ``reaction``          (``content_id``)                any                  any
    ``content_view``      (``content_id``)                inbound              any
    ``event_attend``      ``event_id``                    inbound              any
    ``store_visit``       —                               inbound              store
    ``purchase``          ``order_id``, ``amount`` ≥ 0    inbound              any
    ``refund``            ``order_id``, ``amount`` > 0    inbound, outbound    any
    ``referral``          ``referred_id`` ≠ customer      inbound              any
    ``nps``               ``score`` 0-10                  inbound              any
    ``complaint``         ``complaint_reason``            inbound              any
    ====================  ==============================  ===================  ==============

    Where a kind allows one direction or one channel, it is filled in when omitted; otherwise
    ``direction`` and ``channel`` are required. Per-kind fields a kind does not use must be
    left empty. The JSON Schema carries the same rules as ``if``/``then`` clauses.

    A purchase of 0 is a free order (a gift, a 0元 trial): it is an order like any other, for
    conversion, order counts, average order value, repurchase and RFM. A negative purchase is
    refused; a refund gives money back, so its amount is positive.

    Examples
    --------
    >>> buy = Interaction(
    ...     id="i-1", customer_id="c-1", at="2026-03-01T20:00:00+08:00",
    ...     kind="purchase", channel="mini_program", order_id="o-1",
    ...     amount={"amount": "199.00", "currency": "CNY"},
    ... )
    >>> buy.at.isoformat(), buy.direction.value, buy.customer_initiated
    ('2026-03-01T12:00:00+00:00', 'inbound', True)
    >>> gift = Interaction(  # a free order: a gift, a 0元 trial
    ...     id="i-3", customer_id="c-1", at="2026-03-05T20:00:00+08:00",
    ...     kind="purchase", channel="mini_program", order_id="o-2",
    ...     amount={"amount": "0", "currency": "CNY"},
    ... )
    >>> str(gift.amount)
    '0.00 CNY'
    >>> Interaction(
    ...     id="i-2", customer_id="c-1", at="2026-03-02T00:00:00Z",
    ...     kind="nps", channel="wecom_chat", score=9, amount={"amount": "1", "currency": "CNY"},
    ... )
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Interaction
    amount
      Value error, kind 'nps' takes no amount (it uses: score) ...
    """

    id: Identifier
    """Unique id of this interaction."""
    customer_id: Identifier
    """The customer it concerns."""
    at: UtcDatetime
    """When it happened (aware; stored in UTC)."""
    kind: InteractionKind
    """What happened."""
    direction: Direction
    """Who started it; filled in when the kind allows only one."""
    channel: Channel
    """Where it happened; filled in for group posts (customer group) and store visits (store)."""
    source: SourceChannel | None = None
    """CONNECT: how the customer came in."""
    churn_reason: ChurnReason | None = None
    """CHURN: why they left."""
    event_id: Identifier | None = None
    """EVENT_ATTEND: the event."""
    content_id: Identifier | None = None
    """CONTENT_VIEW, REACTION: the content, if known."""
    order_id: Identifier | None = None
    """PURCHASE, REFUND: the order."""
    amount: Money | None = None
    """PURCHASE: how much, 0 for a free order (a gift, a 0元 trial); REFUND: how much (> 0)."""
    referred_id: Identifier | None = None
    """REFERRAL: the customer they brought, never themselves."""
    score: NpsScore | None = None
    """NPS: the answer, 0-10."""
    complaint_reason: ComplaintReason | None = None
    """COMPLAINT: what it is about."""
    operator_id: Identifier | None = None
    """The brand's staff member who sent or received it (the WeCom follow-up ``userid``); for
    CONNECT and CHURN, the one who owns the relationship. Any kind may have one."""
    group_id: Identifier | None = None
    """The group or community it happened in (a WeCom customer group's ``chat_id``), if any."""

    model_config = FrozenModel.model_config | {"json_schema_extra": _kind_schema}

    @model_validator(mode="before")
    @classmethod
    def _fill_defaults(cls, data: Any) -> Any:  # noqa: ANN401 - pydantic hands over raw input
        if not isinstance(data, dict):
            return data
        kind = data.get("kind")
        if not isinstance(kind, str) or kind not in KIND_RULES:  # StrEnum members are str
            return data  # the field validator reports the unknown kind
        rule = KIND_RULES[InteractionKind(str(kind))]
        filled = dict(data)
        if filled.get("direction") is None and len(rule.directions) == 1:
            filled["direction"] = rule.directions[0]
        if filled.get("channel") is None and rule.channel is not None:
            filled["channel"] = rule.channel
        return filled

    @field_validator(*KIND_FIELDS, "direction", "channel", mode="after")
    @classmethod
    def _check_kind(cls, value: object, info: ValidationInfo) -> object:
        # Fields are validated in declaration order, so ``kind`` (declared earlier) is known here
        # unless it was itself invalid, in which case its own error is the one to report.
        kind = info.data.get("kind")
        if not isinstance(kind, InteractionKind):
            return value
        problem = _kind_problem(kind, str(info.field_name), value, info.data)
        if problem:
            raise ValueError(problem)
        return value

    @property
    def customer_initiated(self) -> bool:
        """Whether the customer started it (direction inbound or peer)."""
        return self.direction.customer_initiated
