"""The result of :func:`generate`: :class:`SyntheticPool`, and ``generate`` itself.

``generate`` checks its arguments, runs the generator (:func:`custpool.synth._engine.build`),
wraps the columns in an :class:`~custpool.EventTable` and adds the charter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np

from custpool._display import Ticker, check_progress
from custpool._engine import SOURCES, CustomerTags, EventTable, Ids, readonly
from custpool._errors import ValidationError, WrongTypeError
from custpool._model import AnyOf, Channel, Customer, Pool, PoolCharter, Tag, TagGroup
from custpool._time import from_micros
from custpool.synth._config import SynthConfig, check_integer
from custpool.synth._engine import BUILD_STEPS, build

if TYPE_CHECKING:
    from collections.abc import Iterator

    from numpy.typing import NDArray

    from custpool._display import Progress
    from custpool._model import Interaction, PoolActivity

__all__ = ["OBJECT_LIMIT", "SyntheticPool", "generate"]

OBJECT_LIMIT: Final = 100_000
"""The most customers, or events, a synthetic pool turns into Python objects."""


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class SyntheticPool:
    """A generated pool: the event table, per-customer tags, the charter and the activities.

    The arrays are read-only and indexed by customer index (the table's ``customer`` column).

    Attributes
    ----------
    table
        Every interaction, sorted by customer then time.
    config
        The configuration it was generated from.
    charter
        Shared interests (the interest vocabulary), platforms, joining rule (any interest),
        operators and cadences.
    activities
        Content published and events held, in time order; ``EVENT_ATTEND`` rows point at the
        events (``item``), content views and some reactions at the content.
    interest_tags
        The interest vocabulary: bit ``b`` of :attr:`interests` stands for ``interest_tags[b]``.
    interests
        uint32 bit mask of each customer's interests (0: none, they fail the joining rule).
    sources
        Each customer's first source (``SOURCES`` code; ``referral`` for referred customers).
    referrer
        The index of the customer who referred each customer, or -1.
    generation
        Referral depth: 0 for customers who came by themselves, 1 for those they referred, …

    Examples
    --------
    >>> from custpool.synth import SynthConfig, generate
    >>> pool = generate(SynthConfig(n_customers=50, referral_rate=0.5), seed=3)
    >>> pool
    SyntheticPool(50 customers, ... events, nurture_first, 2025-01-01 to 2026-01-01)
    >>> [str(t) for t in pool.customer_tags(0)]
    [...'source:...']
    >>> int(pool.generation.max()) >= 2
    True
    """

    table: EventTable
    config: SynthConfig
    charter: PoolCharter
    activities: tuple[PoolActivity, ...]
    interest_tags: tuple[Tag, ...]
    interests: NDArray[np.uint32]
    sources: NDArray[np.int8]
    referrer: NDArray[np.int32]
    generation: NDArray[np.int32]

    def __repr__(self) -> str:
        """Return a short summary, never the arrays."""
        return (
            f"SyntheticPool({self.table.n_customers} customers, {len(self.table)} events, "
            f"{self.config.paradigm.name}, {self.config.start.date()} to {self.config.end.date()})"
        )

    @property
    def n_customers(self) -> int:
        """Number of customers."""
        return self.table.n_customers

    def customer_tags(self, customer: int) -> tuple[Tag, ...]:
        """Return one customer's tags: their interests and ``source:<their first source>``."""
        mask = int(self.interests[customer])
        held = [tag for bit, tag in enumerate(self.interest_tags) if mask >> bit & 1]
        source = SOURCES[int(self.sources[customer])]
        return (*held, Tag(name=source.value, group=TagGroup.SOURCE))

    def tag_table(self) -> CustomerTags:
        """Return every customer's tags as one boolean matrix (any pool size, no loop).

        Row ``k`` holds exactly the tags of :meth:`customer_tags` for ``k`` (their interests
        and ``source:<first source>``), sorted like the vocabulary. The vocabulary is the tags
        some customer carries — the interest tags, then the source tags — so the result equals
        ``CustomerTags.from_customers(pool.customers(), pool.table)``, without building any
        object per customer.

        Returns
        -------
        custpool.CustomerTags

        Examples
        --------
        >>> from custpool import Tag
        >>> from custpool.synth import SynthConfig, generate
        >>> pool = generate(SynthConfig(n_customers=300), seed=7)
        >>> tags = pool.tag_table()
        >>> tags
        CustomerTags(300 customers, 14 tags: interest:cold brew, ...)
        >>> tags.tags_of(0) == tuple(sorted(pool.customer_tags(0), key=Tag.sort_key))
        True
        >>> rule = pool.charter.joining_rule  # any interest
        >>> bool((tags.matches(rule) == (pool.interests != 0)).all())
        True
        """
        columns: dict[Tag, NDArray[np.bool_]] = {}
        for bit, tag in enumerate(self.interest_tags):
            carried = np.bitwise_and(self.interests, np.uint32(1 << bit)) != 0
            if carried.any():
                columns[tag] = carried
        present = np.bincount(self.sources, minlength=len(SOURCES))
        for code in np.flatnonzero(present).tolist():
            tag = Tag(name=SOURCES[code].value, group=TagGroup.SOURCE)
            columns[tag] = self.sources == code
        vocabulary = tuple(sorted(columns, key=Tag.sort_key))
        held = np.empty((self.n_customers, len(vocabulary)), dtype=np.bool_)
        for j, tag in enumerate(vocabulary):
            held[:, j] = columns[tag]
        return CustomerTags(self.table.customer_ids, vocabulary, readonly(held))

    def _check_size(self, what: str) -> None:
        size = max(self.table.n_customers, len(self.table))
        if size > OBJECT_LIMIT:
            rule = (
                f"{what}() builds Python objects for at most {OBJECT_LIMIT:,} customers and "
                f"events; this pool has {self.table.n_customers:,} customers and "
                f"{len(self.table):,} events: use .table (the columns) instead"
            )
            raise ValidationError("size", size, rule)

    def customers(self) -> tuple[Customer, ...]:
        """Return every customer as a :class:`~custpool.Customer` (small pools only).

        Each has the table's id, ``connected_at`` (first connection), ``source`` and the tags
        of :meth:`customer_tags`.

        Raises
        ------
        custpool.ValidationError
            If the pool has more than :data:`OBJECT_LIMIT` customers or events.

        Examples
        --------
        >>> from custpool.synth import SynthConfig, generate
        >>> first = generate(SynthConfig(n_customers=5), seed=2).customers()[0]
        >>> first.id, first.connected_at.isoformat(), first.source.value
        ('c-0', '2025-04-29T05:24:53.973100+00:00', 'store')
        >>> [str(tag) for tag in first.tags]
        ['interest:latte art', 'interest:咖啡', 'source:store']
        """
        self._check_size("customers")
        first = self.table.time[self.table.offsets[:-1]].tolist()
        return tuple(
            Customer(
                id=self.table.customer_ids[k],
                connected_at=from_micros(first[k]),
                source=SOURCES[int(self.sources[k])],
                tags=self.customer_tags(k),
            )
            for k in range(self.table.n_customers)
        )

    def interactions(self) -> Iterator[Interaction]:
        """Yield every row as an :class:`~custpool.Interaction` (``table.interactions()``)."""
        return self.table.interactions()

    def pool(self) -> Pool:
        """Return the whole pool as objects: charter, customers, interactions, activities.

        Raises
        ------
        custpool.ValidationError
            If the pool has more than :data:`OBJECT_LIMIT` customers or events.

        Examples
        --------
        >>> from custpool.synth import SynthConfig, generate
        >>> pool = generate(SynthConfig(n_customers=20, events_per_customer=5), seed=1).pool()
        >>> pool.size, pool.check_references()
        (20, ())
        """
        self._check_size("pool")
        return Pool(
            charter=self.charter,
            customers=self.customers(),
            interactions=tuple(self.interactions()),
            activities=self.activities,
        )


def _charter(config: SynthConfig, tags: tuple[Tag, ...]) -> PoolCharter:
    return PoolCharter(
        name=config.pool_name,
        interests=tags,
        platforms=(
            Channel.CUSTOMER_GROUP,
            Channel.WECOM_CHAT,
            Channel.MOMENTS,
            Channel.LIVE_STREAM,
            Channel.MINI_PROGRAM,
            Channel.STORE,
        ),
        joining_rule=AnyOf.of(*tags),
        norms=("No ads from members", "Be kind to beginners"),
        # seed 001's declared steps, so that pool_readiness has a brand to check
        brand="Synthetic Coffee 合成咖啡",
        positioning="Home brewers who want café coffee 想在家喝到咖啡馆咖啡的人",
        endorsements=("Roaster of the year 年度烘焙商", "Certified baristas 认证咖啡师"),
        vision="Good coffee in every home 让每个家都有好咖啡",
        mission="Teach members to brew well 教会会员做好咖啡",
        core_values=("Craft 匠心", "Sharing 分享"),
        operators=tuple(f"op-{k + 1}" for k in range(config.operators)),
        content_cadence=config.content_cadence,
        ritual_cadence=config.ritual_cadence,
    )


def generate(
    config: SynthConfig | None = None,
    *,
    seed: int | None = None,
    rng: np.random.Generator | None = None,
    progress: Progress | None = None,
) -> SyntheticPool:
    """Generate a synthetic pool.

    Give exactly one of ``seed`` and ``rng``: there is no hidden default, so every pool can be
    made again. The same ``seed`` (or a generator in the same state) and config give the same
    pool on every platform; see ``docs/synth.md`` for how, and for the model.

    Parameters
    ----------
    config
        What to generate; ``SynthConfig()`` by default (1,000 customers, 10,000 events).
    seed
        A non-negative integer; the generator is ``numpy.random.default_rng(seed)`` (PCG64).
    rng
        A ``numpy.random.Generator`` to draw from instead (it is advanced).
    progress
        A callback ``progress(done, total)`` (see :class:`~custpool.Progress`), called as the
        generator's steps end: ``(0, 13)`` first, ``(13, 13)`` last, whatever the size (a
        million customers take a few seconds a step). The pool is the same with or without it.

    Returns
    -------
    SyntheticPool

    Raises
    ------
    custpool.ValidationError
        If neither or both of ``seed`` and ``rng`` are given, or they have the wrong type.

    Examples
    --------
    >>> import numpy as np
    >>> from custpool.synth import SynthConfig, generate
    >>> a = generate(SynthConfig(n_customers=100), seed=42)
    >>> b = generate(SynthConfig(n_customers=100), rng=np.random.default_rng(42))
    >>> bool((a.table.time == b.table.time).all()), a.table.currency
    (True, 'CNY')
    >>> generate(SynthConfig(n_customers=100))
    Traceback (most recent call last):
    ...
    custpool.ValidationError: seed=None: give seed=<int> or rng=<numpy Generator>: ...
    """
    config = SynthConfig() if config is None else config
    if not isinstance(config, SynthConfig):
        raise WrongTypeError("config", config, "must be a SynthConfig")
    if seed is None and rng is None:
        rule = (
            "give seed=<int> or rng=<numpy Generator>: there is no default, so that every "
            "pool can be made again"
        )
        raise ValidationError("seed", seed, rule)
    if seed is not None and rng is not None:
        raise ValidationError("rng", rng, "give seed or rng, not both")
    if rng is None:
        number = check_integer("seed", seed, 0, 2**128 - 1)
        rng = np.random.default_rng(number)
    elif not isinstance(rng, np.random.Generator):
        raise WrongTypeError("rng", rng, "must be a numpy.random.Generator")
    ticker = Ticker(check_progress(progress), BUILD_STEPS + 1)
    ticker.start()
    draft = build(config, rng, ticker)
    table = EventTable.from_arrays(
        **draft.columns,
        customer_ids=Ids(draft.customer_ids),
        item_ids=Ids(draft.item_ids),
        operator_ids=draft.operator_ids,
        group_ids=draft.group_ids,
        currency=config.currency,
        copy=False,
    )
    tags = tuple(Tag(name=name, group=TagGroup.INTEREST) for name in config.interests)
    pool = SyntheticPool(
        table=table,
        config=config,
        charter=_charter(config, tags),
        activities=draft.activities,
        interest_tags=tags,
        interests=readonly(draft.interests),
        sources=readonly(draft.sources),
        referrer=readonly(draft.referrer),
        generation=readonly(draft.generation),
    )
    ticker.finish()
    return pool
