"""custpool on Dask: a pool's events split by customer over many processes or machines.

One :class:`~custpool.EventTable` holds about 42 bytes per event; a log of billions of events
does not fit one machine. This package splits a Dask DataFrame (or a Parquet dataset) of events
by customer — a stable hash of the customer id, so each customer's whole history is in one
partition — builds one table per partition in the workers, and computes the pool's results
there. Every result equals the single-machine result on the same events, exactly: per-customer
results are the partitions' rows, and pool figures are sums of per-partition integer counts
(money in minor units) from which the result is built once. It needs the ``dask`` extra
(``pip install "custpool[dask]"``: dask[dataframe], distributed, pyarrow); ``import custpool``
never imports dask. See ``docs/dask.md``.

- :func:`from_dask`, :func:`read_parquet` → :class:`DaskPool`: the events split by customer,
  one :class:`Part` (a table and the customers it owns) per partition; :func:`home` says which
  partition a customer id belongs to
- :func:`pool_kpis` → :class:`~custpool.PoolKpis`: the six KPIs and the funnel (counts summed);
  with ``by=``, a :class:`~custpool.Breakdown` (counts summed per operator or group)
- :func:`classify_table` → a Dask DataFrame of every customer's state (rows concatenated);
  :func:`tier_counts` → customers per state (counts summed)
- :func:`tier_flows` → :class:`~custpool.TierFlows` (flow matrices summed)
- :func:`rfm_summary` → a Dask DataFrame of RFM rows (rows concatenated)
- :func:`revenue_by_state` → :class:`~custpool.StateRevenue` (totals and customer-periods
  summed); :func:`channel_attribution` → :class:`~custpool.ChannelAttribution` (counts and
  minor units summed)
- :func:`tier_ltv` → :class:`~custpool.TierLTV` (revenue and flows summed, the chain solved
  once); :func:`pool_growth` → :class:`~custpool.PoolGrowth` (each period's counts summed)
- :func:`fission` → :class:`~custpool.FissionReport` (per-customer facts from the partitions,
  the referral forest in a global step over the REFERRAL rows)
- :func:`score_health` → :class:`~custpool.HealthReport` (with ``by=``, a
  :class:`~custpool.Breakdown` of reports); :func:`health_trend` → one per instant (counts,
  histograms and failing ids summed, scored once with one machine's function)
- :func:`generate` → :class:`DaskPool`: a synthetic pool drawn block by block in the workers
  (:func:`block_table`: one block on this machine)
- :func:`table_frame`: an event table as a pandas frame of custpool's columns (a synthetic pool
  into Dask)

Notes
-----
A public package beside ``custpool.plot``, above every room and below the CLI. Its parts
may import ``custpool`` and its rooms through their ``__all__`` (``_engine``, ``_analytics``,
``_tiers``, ``_health``, the base modules), ``custpool.synth``, dask, distributed, pandas, numpy
and each other; nothing in custpool imports it. Its parts: the split by customer and the pool
(``_partition``), the frame of a table (``_frame``), the KPIs (``_kpis``), tiers and flows
(``_tiers``), RFM (``_rfm``), revenue by state and channels (``_value``), lifetime value by
tier (``_ltv``), growth (``_growth``), fission (``_fission``), health (``_health``; the tags
split by partition: ``_tags``) and synthetic pools (``_synth``).

Examples
--------
>>> import dask
>>> import dask.dataframe as dd
>>> import custpool
>>> from custpool import EXAMPLE_START, EventTable, Policy, example_pool
>>> from custpool.dask import from_dask, table_frame, tier_counts
>>> table = EventTable.from_interactions(example_pool().interactions)
>>> events = dd.from_pandas(table_frame(table), npartitions=2)
>>> pool = from_dask(events, npartitions=3, amounts="minor")
>>> as_of = EXAMPLE_START.replace(day=25)
>>> with dask.config.set(scheduler="synchronous"):
...     counts = tier_counts(pool, Policy(), as_of)
>>> counts == custpool.classify_table(table, Policy(), as_of).counts()
True
"""

from __future__ import annotations

try:
    import dask.dataframe as _dd  # noqa: F401 - the dataframe part needs pandas and pyarrow
    import distributed as _distributed  # noqa: F401

    import dask as _dask  # noqa: F401 - checked here, so the error names the extra
except ImportError as _error:  # pragma: no cover - tested in a subprocess without dask
    from custpool._errors import MissingDependencyError as _Missing

    raise _Missing(getattr(_error, "name", None) or "dask", "dask") from _error

from custpool._public import claim as _claim
from custpool.dask._fission import fission
from custpool.dask._frame import table_frame
from custpool.dask._growth import pool_growth
from custpool.dask._health import health_trend, score_health
from custpool.dask._kpis import pool_kpis
from custpool.dask._ltv import tier_ltv
from custpool.dask._partition import DaskPool, Part, from_dask, home, read_parquet
from custpool.dask._rfm import rfm_summary
from custpool.dask._synth import block_table, generate
from custpool.dask._tiers import classify_table, tier_counts, tier_flows
from custpool.dask._value import channel_attribution, revenue_by_state

__all__ = [
    # the events split by customer
    "DaskPool",
    "Part",
    "from_dask",
    "read_parquet",
    "home",
    "table_frame",
    # synthetic pools generated in the workers
    "generate",
    "block_table",
    # results equal to one machine's
    "pool_kpis",
    "classify_table",
    "tier_counts",
    "tier_flows",
    "rfm_summary",
    "revenue_by_state",
    "channel_attribution",
    "tier_ltv",
    "pool_growth",
    "fission",
    "score_health",
    "health_trend",
]

_claim(globals(), __all__, __name__)
