"""Hypothesis strategies for property-testing code that works with custpool.

Every strategy here builds its objects with the real model constructors, so every draw is a valid
object (no rejection sampling, no ``assume``), and the collection strategies are referentially
consistent: :func:`histories` gives one customer's time-ordered interactions whose refunds match
earlier purchases, and :func:`pools` gives whole pools whose :meth:`~custpool.Pool.check_references`
is empty. Strategies shrink toward small, plain examples: short ASCII names, few items, the
simplest interaction kinds.

This module needs Hypothesis (``pip install custpool[testing]``); ``import custpool`` alone never
imports it.

Arguments are checked when a strategy function is *called*, not when it is drawn from: a bad
argument raises :class:`InvalidStrategyArgument` at once, naming the argument. It is a
:class:`custpool.ValidationError` (so a ``ValueError``) and a Hypothesis
:class:`~hypothesis.errors.InvalidArgument`.

``st.from_type``: installing custpool declares a ``hypothesis`` entry point that calls
:func:`register_type_strategies` when Hypothesis is imported, so ``st.from_type(Customer)``,
``st.builds`` of your own classes that take custpool models, and ``@given`` with inferred
arguments all use these strategies. Registered types: ``Customer``,
``Contacts``, ``Tag``, ``Money``, ``Interaction``, ``PoolActivity``, ``PoolCharter``, ``Cadence``,
``SizeRange``, ``AllOf``, ``AnyOf``, ``NoneOf``, ``Pool``, ``Paradigm``, ``Policy``, ``TierState``
and ``Criterion``.

Notes
-----
The package holds the strategies in private parts, one per kind of object: the argument checks
and :class:`InvalidStrategyArgument` (``_checks``), the shared building blocks and default bounds
(``_blocks``), tags and money (``_tags``), customers (``_customers``), interactions
(``_interactions``), histories (``_histories``), activities (``_activities``), rules and charters
(``_charters``), pools (``_pools``) and relationship tiers (``_tiers``), and the ``st.from_type``
registration (``_from_type``, with the strategies it registers in ``_type_strategies``); this
module only gathers their public names. The parts may import the domain model
(``custpool._model``), the tiers (``custpool._tiers``), the base modules ``custpool._errors``,
``_base``, ``_fields`` and ``_time``, each other, and Hypothesis (besides the standard library and
pydantic); never the engine, analytics, health, io or synth, nor the package itself.

Examples
--------
>>> from hypothesis import given, settings
>>> from custpool import Pool
>>> from custpool import strategies as cps
>>> @settings(max_examples=10)
... @given(cps.pools(max_customers=4))
... def test_pool_is_consistent(pool):
...     assert isinstance(pool, Pool)
...     assert pool.check_references() == ()
>>> test_pool_is_consistent()
"""

from __future__ import annotations

# The order matters. register_type_strategies is bound here before anything imports Hypothesis
# (see custpool.strategies._from_type), and _blocks is the part that imports Hypothesis first,
# with a helpful error when it is missing.
from custpool.strategies._from_type import register_type_strategies

# isort: split
from custpool._public import claim as _claim

# isort: split
from custpool.strategies._blocks import DEFAULT_MAX_TIME, DEFAULT_MIN_TIME

# isort: split
from custpool.strategies._activities import activities
from custpool.strategies._charters import cadences, charters, rules, size_ranges
from custpool.strategies._checks import InvalidStrategyArgument
from custpool.strategies._customers import contacts, customers
from custpool.strategies._histories import histories
from custpool.strategies._interactions import interactions
from custpool.strategies._pools import pools
from custpool.strategies._tags import money, tags
from custpool.strategies._tiers import paradigms, policies, tier_states

__all__ = [
    "DEFAULT_MAX_TIME",
    "DEFAULT_MIN_TIME",
    "InvalidStrategyArgument",
    "activities",
    "cadences",
    "charters",
    "contacts",
    "customers",
    "histories",
    "interactions",
    "money",
    "paradigms",
    "policies",
    "pools",
    "register_type_strategies",
    "rules",
    "size_ranges",
    "tags",
    "tier_states",
]

_claim(globals(), __all__, __name__)
