"""Shared fixtures: a small hand-made pool and fixed times (nothing reads the clock).

Also the Hypothesis profiles (docs/testing.md): ``dev`` (the default: random, Hypothesis'
own example counts, the example database on), ``ci`` (derandomised, no database, no deadline,
more examples for the properties that do not set their own count; ``.ci/run`` selects it) and
``thorough`` (a nightly-style run: many examples, random). Choose one with
``pytest --hypothesis-profile=NAME`` or the ``HYPOTHESIS_PROFILE`` environment variable.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, settings

from custpool import AllOf, Customer, Interaction, NoneOf, Pool, PoolCharter

settings.register_profile("dev", settings.get_profile("default"))
settings.register_profile(
    "ci",
    derandomize=True,  # the same examples on every run: a kill never depends on the seed
    database=None,  # nor on what an earlier run left in .hypothesis/
    deadline=None,  # 2 shared cores: timing is not a failure
    max_examples=150,  # tests that set their own count keep it
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=1_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SHANGHAI = timezone(timedelta(hours=8))


def at(days: float) -> datetime:
    """``T0`` plus ``days`` days."""
    return T0 + timedelta(days=days)


@pytest.fixture
def charter() -> PoolCharter:
    return PoolCharter(
        name="Coffee lovers",
        interests=["咖啡"],
        platforms=["customer_group", "wecom_chat"],
        joining_rule=AllOf.of("interest:咖啡", NoneOf.of("blocked")),
        operators=["op-1"],
    )


@pytest.fixture
def pool(charter: PoolCharter) -> Pool:
    customers = [
        Customer(id="c-1", tags=["interest:咖啡", "vip"], contacts={"phone": "13800138000"}),
        Customer(id="c-2", tags=["interest:tea"]),
        Customer(id="c-3", tags=["interest:咖啡", "blocked"]),
    ]
    interactions = [
        Interaction(
            id="i-1",
            customer_id="c-1",
            at=at(0),
            kind="connect",
            source="store",
            direction="inbound",
            channel="wecom_chat",
        ),
        Interaction(
            id="i-2",
            customer_id="c-2",
            at=at(1),
            kind="message",
            direction="inbound",
            channel="wecom_chat",
        ),
        Interaction(
            id="i-3",
            customer_id="c-1",
            at=at(2),
            kind="purchase",
            channel="store",
            order_id="o-1",
            amount={"amount": "88.00", "currency": "CNY"},
        ),
        Interaction(id="i-4", customer_id="c-3", at=at(3), kind="group_post", direction="peer"),
    ]
    return Pool(charter=charter, customers=customers, interactions=interactions)
