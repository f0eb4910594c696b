"""The domain model: who the customers are, what they do, and the pool they belong to.

Frozen pydantic models and their enums: money (exact ``Decimal`` with a currency), tags,
channels and sources, customers (contact handles held as secrets), interactions with their
per-kind rules, pool activities, joining rules, the pool charter, the pool itself and the
hand-written example pool. Pure values; nothing here knows about tiers, tables or scores.

Modules: ``money`` · ``tags`` · ``channels`` · ``customer`` · ``interaction`` · ``activity`` ·
``rules`` · ``charter`` · ``pool`` · ``example``.

May import: the base modules (``custpool._errors``, ``_base``, ``_fields``, ``_time``,
``_format``). Other rooms use this room only through the names below.
"""

from __future__ import annotations

from custpool._model.activity import ActivityKind, PoolActivity
from custpool._model.channels import Channel, SourceChannel
from custpool._model.charter import Cadence, PoolCharter, SizeRange
from custpool._model.customer import Contacts, Customer, pseudonymise_id
from custpool._model.example import EXAMPLE_START, example_pool
from custpool._model.interaction import (
    KIND_FIELDS,
    KIND_RULES,
    ChurnReason,
    ComplaintReason,
    Direction,
    Interaction,
    InteractionKind,
    KindRule,
)
from custpool._model.money import CURRENCY_MINOR_UNITS, Money
from custpool._model.pool import FilterResult, Pool, ReferenceIssue, RuleFailure
from custpool._model.rules import AllOf, AnyOf, NoneOf, RuleItem, TagRule
from custpool._model.tags import Tag, TagGroup, normalize_tag_name

__all__ = [
    "ActivityKind",
    "PoolActivity",
    "Channel",
    "SourceChannel",
    "Cadence",
    "PoolCharter",
    "SizeRange",
    "Contacts",
    "Customer",
    "pseudonymise_id",
    "EXAMPLE_START",
    "example_pool",
    "KIND_FIELDS",
    "KIND_RULES",
    "ChurnReason",
    "ComplaintReason",
    "Direction",
    "Interaction",
    "InteractionKind",
    "KindRule",
    "CURRENCY_MINOR_UNITS",
    "Money",
    "FilterResult",
    "Pool",
    "ReferenceIssue",
    "RuleFailure",
    "AllOf",
    "AnyOf",
    "NoneOf",
    "RuleItem",
    "TagRule",
    "normalize_tag_name",
    "Tag",
    "TagGroup",
]
