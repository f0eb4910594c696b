"""Builders for hand-written histories in the tier tests (day numbers from T0)."""

from __future__ import annotations

from itertools import count
from typing import Any

from conftest import at
from custpool import Interaction

_ids = count(1)


def ev(day: float, kind: str, customer: str = "c-1", **fields: Any) -> Interaction:
    """One interaction of ``customer`` on ``day`` with sensible defaults per kind."""
    defaults: dict[str, Any] = {
        "connect": {"source": "store", "direction": "inbound", "channel": "wecom_chat"},
        "churn": {"churn_reason": "deleted", "direction": "inbound", "channel": "wecom_chat"},
        "message": {"direction": "inbound", "channel": "wecom_chat"},
        "group_post": {"direction": "peer"},
        "purchase": {
            "order_id": f"o-{next(_ids)}",
            "amount": {"amount": "10", "currency": "CNY"},
            "channel": "store",
        },
        "referral": {"referred_id": "c-friend", "channel": "wecom_chat"},
        "nps": {"channel": "wecom_chat"},
        "complaint": {"complaint_reason": "quality", "channel": "phone"},
    }[kind]
    return Interaction.model_validate(
        {"id": f"i-{next(_ids)}", "customer_id": customer, "at": at(day), "kind": kind}
        | defaults
        | fields
    )
