"""Synthetic customer pools: seeded, vectorised and realistic, for demos, docs and benchmarks.

:func:`generate` turns a :class:`SynthConfig` and a seed (or a ``numpy.random.Generator``) into a
:class:`SyntheticPool`: an :class:`~custpool.EventTable` of every interaction, the customers'
interest and source tags as compact arrays, a :class:`~custpool.PoolCharter` and the brand's
:class:`~custpool.PoolActivity` records (content published, events held). Small pools also give
objects: :meth:`SyntheticPool.customers`, :meth:`SyntheticPool.interactions` and a whole
:class:`~custpool.Pool`.

The same seed gives the same pool on every platform (no platform maths library is used; see
``docs/synth.md``), one million customers with ten million events take seconds, and every row
obeys the per-kind rules of :data:`~custpool.KIND_RULES`.

Notes
-----
The package holds the configuration and its checks (``_config``), the result and the entry point
(``_pool``), the vectorised generator (``_engine``) and the platform-stable random draws
(``_random``); this module only gathers their public names. Its parts may import the model
(``custpool._model``), the tiers (``custpool._tiers``), the engine (``custpool._engine``), the
base modules ``custpool._errors``, ``_base``, ``_fields`` and ``_time``, and each other; never
the analytics, health, io or strategies, nor ``custpool.synth`` itself.

Examples
--------
>>> from custpool.synth import SynthConfig, generate
>>> pool = generate(SynthConfig(n_customers=200), seed=7)
>>> pool.table.n_customers, len(pool.table) > 1_000
(200, True)
>>> pool.table.customer_ids[:2]
('c-000', 'c-001')
"""

from __future__ import annotations

from custpool._public import claim as _claim
from custpool.synth._config import DEFAULT_END, DEFAULT_START, ENGAGEMENT_KINDS, SynthConfig
from custpool.synth._pool import OBJECT_LIMIT, SyntheticPool, generate

__all__ = [
    "DEFAULT_END",
    "DEFAULT_START",
    "ENGAGEMENT_KINDS",
    "OBJECT_LIMIT",
    "SynthConfig",
    "SyntheticPool",
    "generate",
]

_claim(globals(), __all__, __name__)
