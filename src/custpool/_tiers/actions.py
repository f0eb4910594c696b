"""What to do next with a customer, from where they stand (the seeds' playbook)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Final

from custpool._base import FrozenModel
from custpool._errors import WrongTypeError
from custpool._tiers.classify import TierState
from custpool._tiers.stages import Stage, State

if TYPE_CHECKING:
    from custpool._tiers.policy import Policy

__all__ = ["ActionKind", "NextAction", "next_action"]


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
        "Win back: find out why they left (service, quality, price) and re-invite them.",
        "赢回流失客户：了解离开原因（服务、质量、价格），再次邀请。",
    ),
}

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


def _valuable(tier_state: TierState) -> bool:
    if tier_state.tier in (Stage.CONVERTED, Stage.ADVOCATE):
        return True
    return any(c.met for c in tier_state.criteria if c.stage is Stage.CONVERTED)


def next_action(tier_state: TierState, policy: Policy) -> NextAction:
    """Choose the next move for a classified customer.

    In order: get a contact (PROSPECT); win back (CHURNED); recover a valuable customer (one who
    has converted) who complained within ``policy.recover_window``; reactivate (DORMANT); else
    move toward the next stage — engage, make the offer, invite referrals — or keep an advocate
    at the top.

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
    """
    if not isinstance(tier_state, TierState):
        raise WrongTypeError("tier_state", tier_state, "must be a TierState from classify()")
    state = tier_state.state
    complaint = tier_state.last_complaint_at
    goal: Stage | None
    if state is State.PROSPECT:
        kind, goal, reason = ActionKind.GET_CONTACT, Stage.CONNECTED, "never connected"
    elif state is State.CHURNED:
        kind, goal, reason = ActionKind.WIN_BACK, Stage.CONNECTED, "left after connecting"
    elif (
        complaint is not None
        and tier_state.as_of - complaint < policy.recover_window
        and _valuable(tier_state)
    ):
        kind, goal = ActionKind.RECOVER, tier_state.tier
        reason = f"a converted customer complained on {complaint.date().isoformat()}"
    elif state is State.DORMANT:
        kind, goal = ActionKind.REACTIVATE, tier_state.tier
        reason = "no customer-initiated interaction for too long"
    elif tier_state.next_stage is None:
        kind, goal, reason = ActionKind.KEEP_ADVOCATE, None, "at the top of the ladder"
    else:
        kind, goal = _ADVANCE_ACTION[tier_state.next_stage], tier_state.next_stage
        reason = f"next stage is {goal.value} ({goal.label_zh})"
    text_en, text_zh = _TEXTS[kind]
    return NextAction(kind=kind, goal=goal, reason=reason, text_en=text_en, text_zh=text_zh)
