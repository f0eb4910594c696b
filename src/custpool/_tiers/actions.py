"""What to do next with a customer, from where they stand (the seeds' playbook)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Final

from custpool._base import FrozenModel
from custpool._errors import ValidationError, WrongTypeError
from custpool._model import ComplaintReason
from custpool._tiers.classify import TierState
from custpool._tiers.stages import Stage, State

if TYPE_CHECKING:
    from custpool._tiers.policy import Policy

__all__ = ["COMPLAINT_REASON_ZH", "P_ALIVE_WIN_BACK", "ActionKind", "NextAction", "next_action"]


class ActionKind(StrEnum):
    """The moves an operator can make."""

    GET_CONTACT = "get_contact"
    """Get a way to reach them (浅)."""
    ENGAGE = "engage"
    """Interact often and to their interests, not hard selling (粘)."""
    MAKE_OFFER = "make_offer"
    """Make the offer (深)."""
    INVITE_REFERRAL = "invite_referral"
    """Invite referrals: fission through their trust (铁)."""
    KEEP_ADVOCATE = "keep_advocate"
    """Keep an advocate: recognition, roles, new value."""
    REACTIVATE = "reactivate"
    """Wake a dormant customer."""
    RECOVER = "recover"
    """Recover a valuable customer who complained."""
    WIN_BACK = "win_back"
    """Win back a customer who left."""


_TEXTS: Final = {
    ActionKind.GET_CONTACT: (
        "Get a way to reach them: add them on WeCom or invite them into a customer group.",
        "先建立连接：添加企业微信或邀请入群，拿到触达方式。",
    ),
    ActionKind.ENGAGE: (
        "Interact often and to their interests (投其所好); share value, not hard selling.",
        "高频互动、投其所好，提供价值而不是硬广推销。",
    ),
    ActionKind.MAKE_OFFER: (
        "Make the offer: a product or service that fits what they have shown interest in.",
        "适时提出成交邀约，推荐与其兴趣匹配的产品或服务。",
    ),
    ActionKind.INVITE_REFERRAL: (
        "Invite referrals: give them a reason and a simple way to bring friends (fission).",
        "邀请转介绍：给理由、给工具，让老客户带新客户（裂变）。",
    ),
    ActionKind.KEEP_ADVOCATE: (
        "Keep the advocate: recognise them, give them a role, keep creating new value.",
        "维护铁杆：给予认可和角色，持续创造新价值。",
    ),
    ActionKind.REACTIVATE: (
        "Reactivate: reach out personally with something of value to them; no mass broadcast.",
        "唤醒沉睡客户：一对一关怀，送上对其有价值的内容，避免群发。",
    ),
    ActionKind.RECOVER: (
        "Recover this valuable customer: answer the complaint personally and fix the cause first.",
        "挽回有价值的客户：先一对一回应投诉，解决根本问题。",
    ),
    ActionKind.WIN_BACK: (
        (
            "Win back: no cause was recorded; do not survey them (seed 004: they will not say "
            "why). Check their last orders and service for the usual causes (service, quality, "
            "price), fix what you find, then re-invite them."
        ),
        (
            "赢回流失客户：未记录流失原因；不要做流失调研（客户不会老实说为什么不买了）。"
            "检查其最近的订单与服务，排查服务、质量、价格三类原因，解决后再邀请回来。"
        ),
    ),
}

COMPLAINT_REASON_ZH: Final = {
    ComplaintReason.SERVICE: "服务",
    ComplaintReason.QUALITY: "质量",
    ComplaintReason.PRICE: "价格",
    ComplaintReason.LOGISTICS: "物流",
    ComplaintReason.OTHER: "其他",
}
"""The Chinese label of each complaint reason (seed 004's causes of leaving), for reports."""

_FIXES: Final = {
    ComplaintReason.SERVICE: (
        "put a senior person on their service and fix how they are treated",
        "安排资深人员一对一服务，纠正服务态度与方式",
    ),
    ComplaintReason.QUALITY: (
        "replace or refund the faulty order and fix the quality problem",
        "为问题订单换货或退款，解决品质问题",
    ),
    ComplaintReason.PRICE: (
        "show the value they get (service, perks) rather than only cutting the price",
        "用服务和权益体现性价比，而不是一味降价",
    ),
    ComplaintReason.LOGISTICS: (
        "make good the failed delivery and fix the delivery (carrier, packing, speed)",
        "补偿配送问题，改进物流（快递、包装、时效）",
    ),
    ComplaintReason.OTHER: (
        "fix what they complained about",
        "解决其投诉的问题",
    ),
}
"""The fix for each recorded cause, in English and Chinese."""


def _cause_texts(kind: ActionKind, cause: ComplaintReason) -> tuple[str, str]:
    """Return the advice of RECOVER or WIN_BACK for a complaint about ``cause``."""
    fix_en, fix_zh = _FIXES[cause]
    label_zh = COMPLAINT_REASON_ZH[cause]
    if kind is ActionKind.RECOVER:
        answer = f"answer the {cause.value} complaint personally"
        return (
            f"Recover this valuable customer: {answer}; {fix_en}.",
            f"挽回有价值的客户：一对一回应其{label_zh}投诉；{fix_zh}。",
        )
    left = f"they left after a {cause.value} complaint"
    why = "no survey: the complaint is the reason"
    return (
        f"Win back: {left}; {fix_en}, then re-invite them ({why}).",
        f"赢回流失客户：流失前曾投诉{label_zh}；{fix_zh}，再邀请回来（无需调研，投诉就是原因）。",
    )


_ADVANCE_ACTION: Final = {
    Stage.CONNECTED: ActionKind.GET_CONTACT,
    Stage.ENGAGED: ActionKind.ENGAGE,
    Stage.CONVERTED: ActionKind.MAKE_OFFER,
    Stage.ADVOCATE: ActionKind.INVITE_REFERRAL,
}


class NextAction(FrozenModel):
    """The concrete next move for one customer, in English and Chinese."""

    kind: ActionKind
    """The move."""
    goal: Stage | None
    """The stage the move aims at (None: keep what they have)."""
    reason: str
    """Why this move, from the customer's state."""
    text_en: str
    """The move, in English."""
    text_zh: str
    """The move, in Chinese."""


P_ALIVE_WIN_BACK: Final = 0.2
"""Below this BG/NBD p_alive (``custpool.clv``), a valuable active customer gets WIN_BACK."""
_FADING_TEXTS: Final = (
    (
        "Win back before they go: the model says they have likely stopped buying though the "
        "rules still count them active; reach out personally with an offer tied to their past "
        "orders."
    ),
    "在沉睡前赢回：模型判断其很可能已停止购买，规则仍记为活跃；一对一联系，送上与其过往订单相关的优惠。",
)


def _check_p_alive(p_alive: object) -> None:
    if p_alive is None:
        return
    if isinstance(p_alive, bool) or not isinstance(p_alive, int | float):
        raise WrongTypeError("p_alive", p_alive, "must be None or a probability (a float)")
    if not 0 <= p_alive <= 1:
        raise ValidationError("p_alive", p_alive, "must be a probability from 0 to 1")


def _valuable(tier_state: TierState) -> bool:
    if tier_state.tier in (Stage.CONVERTED, Stage.ADVOCATE):
        return True
    return any(c.met for c in tier_state.criteria if c.stage is Stage.CONVERTED)


def next_action(
    tier_state: TierState, policy: Policy, *, p_alive: float | None = None
) -> NextAction:
    """Choose the next move for a classified customer.

    In order: get a contact (PROSPECT); win back (CHURNED); recover a valuable customer (one who
    has converted) who complained within ``policy.recover_window``; reactivate (DORMANT); else
    move toward the next stage — engage, make the offer, invite referrals — or keep an advocate
    at the top.

    ``p_alive`` (optional; BG/NBD's probability the customer still buys, from
    ``custpool.clv``) adds one rule before reactivation: a valuable customer still at a stage
    whose ``p_alive`` is below :data:`P_ALIVE_WIN_BACK` (0.2) gets WIN_BACK before the rules
    would call them dormant. None (the default) changes nothing.

    Seed 004 calls surveying churned customers futile ("还傻傻的去做流失老客户调研": still
    naively surveying lost old customers), so WIN_BACK never advises one. Its cause is the
    latest complaint recorded at most ``policy.recover_window`` before they left, or after
    (:attr:`~custpool.TierState.last_complaint_reason`): the advice names it and its fix
    (service, quality, price, logistics). Without one, it points at the seed's usual causes in
    the customer's own records. RECOVER names the complaint's reason and its fix the same way.

    Examples
    --------
    >>> from datetime import datetime, UTC
    >>> from custpool import Policy, classify
    >>> state = classify([], Policy(), datetime(2026, 1, 1, tzinfo=UTC))
    >>> action = next_action(state, Policy())
    >>> action.kind.value, action.goal.value
    ('get_contact', 'connected')
    >>> action.text_zh
    '先建立连接：添加企业微信或邀请入群，拿到触达方式。'

    A customer who bought, complained about delivery and deleted us five days later:

    >>> from datetime import timedelta
    >>> from custpool import Interaction
    >>> t0 = datetime(2026, 1, 1, tzinfo=UTC)
    >>> def event(n, day, kind, **kw):
    ...     return Interaction(id=f"i-{n}", customer_id="c-1", at=t0 + timedelta(days=day),
    ...                        kind=kind, channel="wecom_chat", direction="inbound", **kw)
    >>> history = [
    ...     event(1, 0, "connect", source="store"),
    ...     event(2, 3, "purchase", order_id="o-1", amount={"amount": "99", "currency": "CNY"}),
    ...     event(3, 10, "complaint", complaint_reason="logistics"),
    ... ]
    >>> angry = classify(history, Policy(paradigm="convert_first"), t0 + timedelta(days=12))
    >>> action = next_action(angry, Policy())
    >>> action.kind.value, action.reason
    ('recover', 'a converted customer complained about logistics on 2026-01-11')
    >>> history.append(event(4, 15, "churn", churn_reason="deleted"))
    >>> gone = classify(history, Policy(), t0 + timedelta(days=20))
    >>> action = next_action(gone, Policy())
    >>> action.kind.value, action.reason
    ('win_back', 'left on 2026-01-16 after a logistics complaint on 2026-01-11')
    >>> action.text_zh
    '赢回流失客户：流失前曾投诉物流；补偿配送问题，改进物流（快递、包装、时效），再邀请回来（无需调研，投诉就是原因）。'
    """
    if not isinstance(tier_state, TierState):
        raise WrongTypeError("tier_state", tier_state, "must be a TierState from classify()")
    _check_p_alive(p_alive)
    state = tier_state.state
    complaint = tier_state.last_complaint_at
    goal: Stage | None
    if state is State.PROSPECT:
        kind, goal, reason = ActionKind.GET_CONTACT, Stage.CONNECTED, "never connected"
    elif state is State.CHURNED:
        kind, goal, reason = ActionKind.WIN_BACK, Stage.CONNECTED, "left after connecting"
        left = tier_state.since
        if complaint is not None and (left is None or left - complaint <= policy.recover_window):
            left_for = tier_state.last_complaint_reason or ComplaintReason.OTHER
            when = "" if left is None else f" on {left.date().isoformat()}"
            on = complaint.date().isoformat()
            reason = f"left{when} after a {left_for.value} complaint on {on}"
            return _action(kind, goal, reason, _cause_texts(kind, left_for))
    elif (
        complaint is not None
        and tier_state.as_of - complaint < policy.recover_window
        and _valuable(tier_state)
    ):
        kind, goal = ActionKind.RECOVER, tier_state.tier
        cause = tier_state.last_complaint_reason
        about = "" if cause is None else f" about {cause.value}"
        reason = f"a converted customer complained{about} on {complaint.date().isoformat()}"
        if cause is not None:
            return _action(kind, goal, reason, _cause_texts(kind, cause))
    elif (
        p_alive is not None
        and p_alive < P_ALIVE_WIN_BACK
        and state.stage is not None
        and _valuable(tier_state)
    ):
        kind, goal = ActionKind.WIN_BACK, tier_state.tier
        reason = f"p_alive {p_alive:.2f} < {P_ALIVE_WIN_BACK:g}: likely gone before turning dormant"
        return _action(kind, goal, reason, _FADING_TEXTS)
    elif state is State.DORMANT:
        kind, goal = ActionKind.REACTIVATE, tier_state.tier
        reason = "no customer-initiated interaction for too long"
    elif tier_state.next_stage is None:
        kind, goal, reason = ActionKind.KEEP_ADVOCATE, None, "at the top of the ladder"
    else:
        kind, goal = _ADVANCE_ACTION[tier_state.next_stage], tier_state.next_stage
        reason = f"next stage is {goal.value} ({goal.label_zh})"
    return _action(kind, goal, reason, _TEXTS[kind])


def _action(
    kind: ActionKind, goal: Stage | None, reason: str, texts: tuple[str, str]
) -> NextAction:
    return NextAction(kind=kind, goal=goal, reason=reason, text_en=texts[0], text_zh=texts[1])
