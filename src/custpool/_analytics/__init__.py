"""Pool analytics over an EventTable: KPIs, growth, tier flows, LTV, RFM, fission, channels.

Each is a pure function of a table (and a window, or period ends) computed with masks and run
boundaries over the sorted columns, returning a frozen result that prints a readable report.

Modules: ``kpis`` · ``growth`` · ``flows`` · ``ltv`` · ``rfm`` · ``fission`` · ``attribution`` ·
``groups`` (silent groups) · ``capture`` (store visitors in or out of the pool, and their
capture) · ``kpis_by`` (KPIs per operator or group) · ``paradigm`` (which
ladder fits) · ``sums`` (exact money sums, and Money that names what overflowed).

May import: the base modules, ``custpool._model``, ``custpool._tiers`` and ``custpool._engine``.
Never ``custpool._io`` (a sibling) or anything above. Other rooms use this room only through the
names below.
"""

from __future__ import annotations

from custpool._analytics.attribution import ChannelAttribution, ChannelRow, channel_attribution
from custpool._analytics.capture import (
    CAPTURED,
    IN_POOL,
    LAPSED,
    NEVER,
    STATUS,
    VisitorStatus,
    visitor_status,
)
from custpool._analytics.fission import (
    FissionReport,
    ReferralTree,
    fission,
    fission_of,
    referral_tree,
)
from custpool._analytics.flows import (
    TierFlows,
    TierSnapshots,
    check_period_ends,
    project_distribution,
    stationary_distribution,
    tier_flows,
    tier_snapshots,
)
from custpool._analytics.frames import frame, minor_or_none, state_columns
from custpool._analytics.groups import SilentGroups, silent_groups
from custpool._analytics.growth import (
    GrowthPeriod,
    GrowthStep,
    KpiChange,
    PoolGrowth,
    growth_of,
    pool_growth,
)
from custpool._analytics.kpis import (
    ActivityRate,
    ConversionRate,
    KpiScan,
    NetPromoterScore,
    OrderValue,
    PoolFunnel,
    PoolKpis,
    RepurchaseRate,
    UserScale,
    activity_of,
    activity_rate,
    average_order_value,
    conversion_of,
    conversion_rate,
    funnel_of,
    net_promoter_score,
    nps_of,
    order_value_of,
    pool_funnel,
    pool_kpis,
    repurchase_of,
    repurchase_rate,
    user_scale,
)
from custpool._analytics.kpis_by import KpisOfPart, part_counts, stack_kpis
from custpool._analytics.ltv import (
    CodedLTV,
    StateRevenue,
    TierLTV,
    chain_value,
    coded_ltv,
    lifetime_value,
    revenue_by_state,
    tier_ltv,
)
from custpool._analytics.paradigm import ParadigmFit, paradigm_fit
from custpool._analytics.rfm import RfmRow, RfmSummary, rfm_summary
from custpool._analytics.sums import exact_sum, to_money

__all__ = [
    # helpers for the rooms above (the lessons)
    "CAPTURED",
    "IN_POOL",
    "LAPSED",
    "NEVER",
    "STATUS",
    "VisitorStatus",
    "visitor_status",
    "check_period_ends",
    "exact_sum",
    # the KPIs built from summed counts (custpool.dask adds up partitions' counts)
    "activity_of",
    "conversion_of",
    "funnel_of",
    "nps_of",
    "order_value_of",
    "repurchase_of",
    # the KPIs per operator or group from counts summed per part (custpool.dask's by=)
    "KpiScan",
    "KpisOfPart",
    "part_counts",
    "stack_kpis",
    "frame",
    "minor_or_none",
    "state_columns",
    "to_money",
    # the chain's value from summed flows and revenue (custpool.dask's tier_ltv)
    "chain_value",
    "coded_ltv",
    "CodedLTV",
    "paradigm_fit",
    "ParadigmFit",
    "silent_groups",
    "SilentGroups",
    "channel_attribution",
    "ChannelAttribution",
    "ChannelRow",
    "fission",
    "FissionReport",
    "fission_of",
    "referral_tree",
    "ReferralTree",
    "project_distribution",
    "stationary_distribution",
    "tier_flows",
    "tier_snapshots",
    "TierFlows",
    "TierSnapshots",
    "GrowthPeriod",
    "GrowthStep",
    "KpiChange",
    "growth_of",
    "pool_growth",
    "PoolGrowth",
    "activity_rate",
    "ActivityRate",
    "average_order_value",
    "conversion_rate",
    "ConversionRate",
    "net_promoter_score",
    "NetPromoterScore",
    "OrderValue",
    "pool_funnel",
    "pool_kpis",
    "PoolFunnel",
    "PoolKpis",
    "repurchase_rate",
    "RepurchaseRate",
    "user_scale",
    "UserScale",
    "lifetime_value",
    "revenue_by_state",
    "StateRevenue",
    "tier_ltv",
    "TierLTV",
    "rfm_summary",
    "RfmRow",
    "RfmSummary",
]
