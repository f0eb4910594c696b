"""custpool: a brand's customer pool (客户池 / 私域流量池) as typed, pure Python.

Customers, tags, interactions and the pool charter are frozen pydantic models; every function
takes time (``as_of``) and randomness (``rng``) as arguments, never from the environment.
"""

from custpool._analytics.attribution import ChannelAttribution, ChannelRow, channel_attribution
from custpool._analytics.fission import FissionReport, ReferralTree, fission, referral_tree
from custpool._analytics.flows import (
    TierFlows,
    TierSnapshots,
    project_distribution,
    stationary_distribution,
    tier_flows,
    tier_snapshots,
)
from custpool._analytics.growth import GrowthPeriod, GrowthStep, KpiChange, PoolGrowth, pool_growth
from custpool._analytics.kpis import (
    ActivityRate,
    ConversionRate,
    NetPromoterScore,
    OrderValue,
    PoolFunnel,
    PoolKpis,
    RepurchaseRate,
    UserScale,
    activity_rate,
    average_order_value,
    conversion_rate,
    net_promoter_score,
    pool_funnel,
    pool_kpis,
    repurchase_rate,
    user_scale,
)
from custpool._analytics.ltv import (
    StateRevenue,
    TierLTV,
    lifetime_value,
    revenue_by_state,
    tier_ltv,
)
from custpool._analytics.rfm import RfmRow, RfmSummary, rfm_summary
from custpool._engine.customer_tags import CustomerTags
from custpool._engine.events import EventTable
from custpool._engine.tier_table import TierTable, classify_table
from custpool._engine.window import Window
from custpool._errors import (
    CustpoolError,
    LoadError,
    MissingDependencyError,
    UnknownIdError,
    ValidationError,
    WrongTypeError,
)
from custpool._health.change import HealthChange, MeasureChange, explain_change
from custpool._health.measures import Aim, Dimension, Measure, score_against
from custpool._health.policy import HealthPolicy
from custpool._health.report import (
    CopyGate,
    CopyVerdict,
    DimensionScore,
    HealthBand,
    HealthReport,
    MeasureScore,
    Recommendation,
)
from custpool._health.score import health_trend, score_health
from custpool._io.csv import read_csv, write_csv
from custpool._io.events import EventLoad, read_events
from custpool._io.jsonl import read_jsonl, write_jsonl
from custpool._io.loading import LoadResult, Problem, Rejection
from custpool._model.activity import ActivityKind, PoolActivity
from custpool._model.channels import Channel, SourceChannel
from custpool._model.charter import Cadence, PoolCharter, SizeRange
from custpool._model.customer import Contacts, Customer, pseudonymise_id
from custpool._model.example import EXAMPLE_START, example_pool
from custpool._model.interaction import (
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
from custpool._public import claim as _claim
from custpool._tiers.actions import ActionKind, NextAction, next_action
from custpool._tiers.classify import Criterion, TierState, classify
from custpool._tiers.machine import (
    RelationshipMachine,
    Track,
    TransitionRecord,
    TransitionTable,
    Trigger,
)
from custpool._tiers.policy import Policy
from custpool._tiers.stages import (
    CONVERT_FIRST,
    NURTURE_FIRST,
    BusinessType,
    Paradigm,
    Stage,
    State,
    paradigm_for,
)

__version__ = "0.1.0.dev0"

__all__ = [
    # Domain model
    "Customer",
    "Contacts",
    "Tag",
    "TagGroup",
    "Interaction",
    "InteractionKind",
    "Direction",
    "Channel",
    "SourceChannel",
    "ChurnReason",
    "ComplaintReason",
    "KindRule",
    "KIND_RULES",
    "Money",
    "CURRENCY_MINOR_UNITS",
    "PoolActivity",
    "ActivityKind",
    # Charter and pool
    "PoolCharter",
    "Cadence",
    "SizeRange",
    "AllOf",
    "AnyOf",
    "NoneOf",
    "TagRule",
    "RuleItem",
    "Pool",
    "FilterResult",
    "RuleFailure",
    "ReferenceIssue",
    # Relationship tiers
    "Stage",
    "State",
    "Paradigm",
    "NURTURE_FIRST",
    "CONVERT_FIRST",
    "BusinessType",
    "paradigm_for",
    "Policy",
    "classify",
    "TierState",
    "Criterion",
    "RelationshipMachine",
    "Track",
    "TransitionRecord",
    "TransitionTable",
    "Trigger",
    "next_action",
    "NextAction",
    "ActionKind",
    # Columnar engine and analytics
    "EventTable",
    "CustomerTags",
    "Window",
    "classify_table",
    "TierTable",
    "read_events",
    "EventLoad",
    # Pool KPIs and growth
    "pool_kpis",
    "PoolKpis",
    "user_scale",
    "UserScale",
    "activity_rate",
    "ActivityRate",
    "conversion_rate",
    "ConversionRate",
    "average_order_value",
    "OrderValue",
    "repurchase_rate",
    "RepurchaseRate",
    "net_promoter_score",
    "NetPromoterScore",
    "pool_funnel",
    "PoolFunnel",
    "pool_growth",
    "PoolGrowth",
    "GrowthPeriod",
    "GrowthStep",
    "KpiChange",
    # Tier flows and LTV
    "tier_snapshots",
    "TierSnapshots",
    "tier_flows",
    "TierFlows",
    "project_distribution",
    "stationary_distribution",
    "revenue_by_state",
    "StateRevenue",
    "tier_ltv",
    "TierLTV",
    "lifetime_value",
    # RFM, fission and channels
    "rfm_summary",
    "RfmSummary",
    "RfmRow",
    "fission",
    "FissionReport",
    "referral_tree",
    "ReferralTree",
    "channel_attribution",
    "ChannelAttribution",
    "ChannelRow",
    # Pool health (ISOOC)
    "score_health",
    "health_trend",
    "explain_change",
    "HealthPolicy",
    "HealthReport",
    "HealthBand",
    "DimensionScore",
    "MeasureScore",
    "CopyGate",
    "CopyVerdict",
    "Recommendation",
    "HealthChange",
    "MeasureChange",
    "Dimension",
    "Measure",
    "Aim",
    "score_against",
    # Loading and saving
    "read_jsonl",
    "write_jsonl",
    "read_csv",
    "write_csv",
    "LoadResult",
    "Rejection",
    "Problem",
    # Example data
    "example_pool",
    "EXAMPLE_START",
    # Helpers
    "normalize_tag_name",
    "pseudonymise_id",
    # Errors
    "CustpoolError",
    "ValidationError",
    "WrongTypeError",
    "LoadError",
    "UnknownIdError",
    "MissingDependencyError",
    "__version__",
]

_claim(globals(), __all__, __name__)
