"""What the source articles teach, as numbers: churn causes, growth, value, visitors, levels.

Each is a pure function of an :class:`~custpool.EventTable` that turns one of the seed
articles' lessons (``docs/domain.md``) into a report no CRM library gives:

- ``churn_causes`` — seed 004: customers leave over service, quality, price and logistics; the
  cause recorded before they left, and churn among valuable customers against the rest;
- ``growth_breakdown`` — seed 002's growth formula: new customers by channel and by referral,
  returned and churned, first and repeat orders, and the lift of periodic hits (campaigns);
- ``pool_value`` — seed 002: a firm's value is the sum of its customers' values;
- ``capture`` — seed 003: store visitors who never connected, and the capture rate;
- ``relationships`` — seed 004's transactional / friend / value-partner levels, their flows
  and LTV by level.

May import: the base modules, ``custpool._model``, ``custpool._tiers``, ``custpool._engine``
and ``custpool._analytics`` (through its interface). Never ``custpool._io`` or
``custpool._health`` (siblings or above) or anything higher. Other rooms use this room only
through the names below.
"""

from __future__ import annotations

from custpool._lessons.capture import VisitorCapture, visitor_capture
from custpool._lessons.churn_causes import ChurnCauses, churn_causes
from custpool._lessons.growth_breakdown import (
    CampaignLift,
    GrowthBreakdown,
    PeriodGrowth,
    growth_breakdown,
)
from custpool._lessons.pool_value import PoolValue, PoolValuePoint, pool_value
from custpool._lessons.relationships import (
    Level,
    LevelFlows,
    LevelPolicy,
    RelationshipLevels,
    level_ltv,
    relationship_levels,
)

__all__ = [
    "CampaignLift",
    "ChurnCauses",
    "GrowthBreakdown",
    "Level",
    "LevelFlows",
    "LevelPolicy",
    "PeriodGrowth",
    "PoolValue",
    "PoolValuePoint",
    "RelationshipLevels",
    "VisitorCapture",
    "churn_causes",
    "growth_breakdown",
    "level_ltv",
    "pool_value",
    "relationship_levels",
    "visitor_capture",
]
