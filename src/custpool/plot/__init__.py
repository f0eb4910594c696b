"""Plots of custpool's results with matplotlib: tiers, flows, growth, health, value, RFM, reach.

Each function takes a result and draws it on ``ax`` (a matplotlib Axes; a new figure when it is
None), in English or Chinese (``lang="en" | "zh"``), and returns the Axes (a Figure for
:func:`plot_growth`, which may draw three panels). None calls ``plt.show()`` or changes
matplotlib's global settings. It needs the ``plot`` extra (``pip install "custpool[plot]"``);
``import custpool`` never imports matplotlib. See ``docs/plots.md``.

- :func:`plot_states`: customers in each state (TierTable, TierSnapshots)
- :func:`plot_funnel`: the tier funnel: customers at or beyond each stage
- :func:`plot_flows`: moves between two snapshots, as an alluvial diagram (TierFlows)
- :func:`plot_flow_matrix`: the same moves as a heatmap, counts or row shares
- :func:`plot_growth`: user scale, repurchase rate and order value by period (PoolGrowth)
- :func:`plot_health`: the ISOOC radar with the Copy gate (HealthReport)
- :func:`plot_health_trend`: health over time with the 80/60 bands (``health_trend``)
- :func:`plot_value`: lifetime value or revenue by state (TierLTV, StateRevenue)
- :func:`plot_rfm`: the frequency/recency matrix, counts or spend (RfmSummary)
- :func:`plot_fission`: referral generations (FissionReport)
- :func:`plot_channels`: channel attribution (ChannelAttribution)
- :func:`plot_clv_matrix`: BG/NBD's frequency/recency matrix of expected purchases or p_alive
- :func:`plot_calibration_holdout`: holdout purchases by calibration frequency, actual and model

Chinese labels are drawn in an installed font with Chinese glyphs (Noto Sans CJK, Source Han,
WenQuanYi, Microsoft YaHei, PingFang …); without one, the labels fall back to English with one
:class:`FontFallbackWarning`, never empty boxes.

Notes
-----
A public package above every room and below ``custpool.cli``: its parts may import ``custpool``
and ``custpool.synth`` through their ``__all__``, matplotlib and numpy, and each other; nothing
in custpool but the CLI may import it. Its parts: the language, fonts, words and Axes every
plot shares (``_common``), tiers (``_tiers``), flows (``_flows``), growth (``_growth``), health
(``_health``), value by state (``_value``), RFM (``_rfm``), fission and channels (``_reach``).
The BG/NBD plots (``_clv``) take ``custpool.clv`` results and import it (the ``clv`` extra)
only when called.

Examples
--------
>>> from custpool import EXAMPLE_START, EventTable, Policy, classify_table, example_pool
>>> from custpool.plot import plot_states
>>> table = EventTable.from_interactions(example_pool().interactions)
>>> ax = plot_states(classify_table(table, Policy(), EXAMPLE_START.replace(day=25)))
>>> ax.get_ylabel()
'customers'
"""

from __future__ import annotations

try:
    import matplotlib as _mpl  # noqa: F401, ICN001 - checked here, so the error names the extra
except ImportError as _error:  # pragma: no cover - tested in a subprocess without matplotlib
    from custpool import MissingDependencyError as _Missing

    raise _Missing("matplotlib", "plot") from _error

from custpool._public import claim as _claim
from custpool.plot._clv import plot_calibration_holdout, plot_clv_matrix
from custpool.plot._common import FontFallbackWarning, Lang, cjk_font
from custpool.plot._flows import plot_flow_matrix, plot_flows
from custpool.plot._growth import GROWTH_KPIS, GrowthKpi, plot_growth
from custpool.plot._health import plot_health, plot_health_trend
from custpool.plot._reach import CHANNEL_VALUES, ChannelValue, plot_channels, plot_fission
from custpool.plot._rfm import plot_rfm
from custpool.plot._tiers import plot_funnel, plot_states
from custpool.plot._value import plot_value

__all__ = [
    # tiers and flows
    "plot_states",
    "plot_funnel",
    "plot_flows",
    "plot_flow_matrix",
    # growth and health
    "GROWTH_KPIS",
    "GrowthKpi",
    "plot_growth",
    "plot_health",
    "plot_health_trend",
    # value, RFM and reach
    "plot_value",
    "plot_rfm",
    "CHANNEL_VALUES",
    "ChannelValue",
    "plot_fission",
    "plot_channels",
    # BG/NBD models, from custpool.clv
    "plot_clv_matrix",
    "plot_calibration_holdout",
    # languages and fonts
    "Lang",
    "FontFallbackWarning",
    "cjk_font",
]

_claim(globals(), __all__, __name__)
