"""A small, hand-written example pool: a coffee brand's community (咖啡同好会).

It is code, not a data file, so it is always valid against the current model and is the same on
every machine. Tutorials, docs and ``examples/demo.py`` use it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from custpool._model.activity import PoolActivity
from custpool._model.charter import PoolCharter
from custpool._model.customer import Customer
from custpool._model.interaction import Interaction
from custpool._model.pool import Pool
from custpool._model.rules import AllOf, NoneOf

__all__ = ["EXAMPLE_START", "example_pool"]

EXAMPLE_START = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
"""Monday 2026-01-05 10:00 in Shanghai: day 0 of the example pool."""


def _day(days: float) -> datetime:
    return EXAMPLE_START + timedelta(days=days)


def _charter() -> PoolCharter:
    return PoolCharter.model_validate(
        {
            "name": "Bean There 咖啡同好会",
            "interests": ["咖啡", "latte art", "single origin"],
            "platforms": ["customer_group", "wecom_chat", "live_stream", "mini_program"],
            "joining_rule": AllOf.of("interest:咖啡", NoneOf.of("lifecycle:blocked")),
            "norms": [
                "No ads from members",
                "Be kind to beginners",
                "Orders go through the mini program",
            ],
            "operators": ["op-ming", "op-fang"],
            "operator_capacity": 300,
            "target_size": {"low": 5, "high": 500},
            "content_cadence": {"times": 3, "days": 7},
            "ritual_cadence": {"times": 1, "days": 7},
        }
    )


_CUSTOMERS: tuple[dict[str, Any], ...] = (
    {
        "id": "c-001",
        "display_name": "王芳",
        "source": "store",
        "tags": ["interest:咖啡", "interest:latte art", "vip"],
        "contacts": {"phone": "13800138001", "wecom_external_id": "wmEx001"},
    },
    {
        "id": "c-002",
        "display_name": "Li Wei",
        "source": "referral",
        "tags": ["interest:咖啡"],
        "contacts": {"wechat_id": "liwei_beans"},
    },
    {
        "id": "c-003",
        "display_name": "陈静",
        "source": "live_stream",
        "tags": ["interest:咖啡", "interest:single origin"],
        "contacts": {"wecom_external_id": "wmEx003"},
    },
    {
        "id": "c-004",
        "display_name": "Zhang Min",
        "source": "ecommerce",
        "tags": ["interest:tea"],
        "contacts": {"phone": "13800138004"},
    },
    {
        "id": "c-005",
        "display_name": "刘洋",
        "source": "mini_program",
        "tags": ["interest:咖啡", "lifecycle:blocked"],
    },
    {
        "id": "c-006",
        "display_name": "Zhao Lei",
        "source": "referral",
        "tags": ["interest:咖啡", "lifecycle:new"],
    },
)

# (id, customer, day, kind, extra fields): a few weeks of a living pool.
_EVENTS: tuple[tuple[str, str, float, str, dict[str, Any]], ...] = (
    ("i-001", "c-001", 0, "connect", {"source": "store", "direction": "inbound"}),
    ("i-002", "c-001", 0.1, "purchase", {"order_id": "o-001", "amount": "38.00"}),
    ("i-003", "c-001", 2, "group_post", {"direction": "inbound"}),
    ("i-004", "c-001", 3, "message", {"direction": "inbound"}),
    ("i-005", "c-001", 9, "event_attend", {"event_id": "ev-latte-1"}),
    ("i-006", "c-001", 10, "referral", {"referred_id": "c-002"}),
    ("i-007", "c-001", 12, "purchase", {"order_id": "o-002", "amount": "128.00"}),
    ("i-008", "c-001", 20, "nps", {"score": 10}),
    ("i-009", "c-002", 10, "connect", {"source": "referral", "direction": "inbound"}),
    ("i-010", "c-002", 11, "group_post", {"direction": "peer"}),
    ("i-011", "c-002", 11.5, "reaction", {"direction": "peer", "content_id": "post-2"}),
    ("i-012", "c-002", 16, "event_attend", {"event_id": "ev-latte-2"}),
    ("i-013", "c-002", 18, "purchase", {"order_id": "o-003", "amount": "45.00"}),
    (
        "i-014",
        "c-002",
        21,
        "refund",
        {"order_id": "o-003", "amount": "45.00", "direction": "inbound"},
    ),
    ("i-015", "c-002", 22, "complaint", {"complaint_reason": "quality"}),
    ("i-016", "c-002", 23, "nps", {"score": 5}),
    ("i-017", "c-003", 1, "connect", {"source": "live_stream", "direction": "inbound"}),
    ("i-018", "c-003", 1.2, "content_view", {"content_id": "post-1"}),
    ("i-019", "c-003", 4, "content_view", {"content_id": "post-2"}),
    ("i-020", "c-003", 5, "message", {"direction": "outbound"}),
    ("i-021", "c-004", -30, "purchase", {"order_id": "o-000", "amount": "59.00"}),
    ("i-022", "c-004", 3, "connect", {"source": "ecommerce", "direction": "outbound"}),
    ("i-023", "c-004", 4, "message", {"direction": "outbound"}),
    ("i-024", "c-004", 15, "churn", {"churn_reason": "deleted", "direction": "inbound"}),
    ("i-025", "c-005", 2, "connect", {"source": "mini_program", "direction": "inbound"}),
    ("i-026", "c-005", 6, "group_post", {"direction": "inbound"}),
    ("i-027", "c-006", 17, "connect", {"source": "referral", "direction": "inbound"}),
    ("i-028", "c-006", 17.5, "store_visit", {}),
    ("i-029", "c-003", 8, "referral", {"referred_id": "c-006"}),
)

_CHANNEL_OF_KIND = {
    "connect": "wecom_chat",
    "purchase": "mini_program",
    "refund": "mini_program",
    "message": "wecom_chat",
    "event_attend": "live_stream",
    "referral": "wecom_chat",
    "nps": "wecom_chat",
    "reaction": "customer_group",
    "content_view": "mini_program",
    "complaint": "wecom_chat",
    "churn": "wecom_chat",
}


def _interaction(event: tuple[str, str, float, str, dict[str, Any]]) -> Interaction:
    iid, cid, day, kind, extra = event
    fields: dict[str, Any] = {"id": iid, "customer_id": cid, "at": _day(day), "kind": kind}
    if kind in _CHANNEL_OF_KIND:
        fields["channel"] = _CHANNEL_OF_KIND[kind]
    if "amount" in extra:
        extra = extra | {"amount": {"amount": extra["amount"], "currency": "CNY"}}
    return Interaction.model_validate(fields | extra)


def _activities() -> list[PoolActivity]:
    posts = [
        PoolActivity.model_validate(
            {
                "id": f"a-post-{n}",
                "at": _day(day),
                "kind": "content_published",
                "channel": "customer_group",
                "content_id": f"post-{n}",
                "topics": topics,
                "operator_id": "op-ming",
            }
        )
        for n, day, topics in (
            (1, 1, ["interest:咖啡", "beans"]),
            (2, 4, ["interest:latte art"]),
            (3, 8, ["promotion"]),
            (4, 15, ["interest:single origin"]),
        )
    ]
    rituals = [
        PoolActivity.model_validate(
            {
                "id": f"a-live-{n}",
                "at": _day(day),
                "kind": "event_held",
                "channel": "live_stream",
                "event_id": f"ev-latte-{n}",
                "title": "周五拉花直播 Friday latte-art live",
                "ritual": True,
                "operator_id": "op-fang",
            }
        )
        for n, day in ((1, 9), (2, 16))
    ]
    return posts + rituals


def example_pool() -> Pool:
    """Return the built-in example pool: a coffee brand's community over three weeks.

    Six customers show the cases the library is about: an advocate who buys, posts and refers
    (c-001); a referred customer who engages, buys, gets a refund and complains (c-002); a quiet
    content viewer (c-003); a customer who bought before connecting and then churned (c-004);
    a member who fails the joining rule (c-005, tagged blocked); and a new referral (c-006).

    Returns
    -------
    Pool
        A valid pool whose references all resolve; the same on every call.

    Examples
    --------
    >>> pool = example_pool()
    >>> pool.size, len(pool.interactions), len(pool.activities)
    (6, 29, 6)
    >>> [(f.customer_id, f.reason) for f in pool.joining_failures()]
    [('c-004', 'lacks interest:咖啡'), ('c-005', 'has lifecycle:blocked')]
    >>> pool.check_references()
    ()
    """
    return Pool(
        charter=_charter(),
        customers=tuple(Customer.model_validate(c) for c in _CUSTOMERS),
        interactions=tuple(_interaction(e) for e in _EVENTS),
        activities=tuple(_activities()),
    )
