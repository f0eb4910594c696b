"""Synthetic pools generated in the workers, block by block: never whole in one process.

A pool of ``blocks`` blocks is ``blocks`` synthetic pools of ``config`` (``custpool.synth``),
block ``b`` drawn from the seed sequence ``(seed, b)`` and its ids prefixed with ``b{b:05d}-``
(customers and items; staff and groups are the brand's, shared by every block). A block's
customers refer only to each other, so each block is one partition, owned whole; the same
``seed`` and ``config`` give the same blocks, on any cluster, whichever worker draws them.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import numpy as np

from custpool._engine import Ids
from custpool._errors import bad_argument
from custpool.dask._partition import DaskPool, Part
from custpool.synth import SynthConfig
from custpool.synth import generate as generate_one

if TYPE_CHECKING:
    from custpool import EventTable

__all__ = ["block_table", "generate"]


def block_table(config: SynthConfig, seed: int, block: int) -> EventTable:
    """Return block ``block`` of the synthetic pool ``generate(config, seed=seed, …)``.

    The table of one block, built on this machine: ``EventTable.concat`` of the blocks is the
    whole pool on one machine (what the Dask results equal).

    Examples
    --------
    >>> from custpool.synth import SynthConfig
    >>> table = block_table(SynthConfig(n_customers=20), seed=1, block=3)
    >>> table.customer_ids[:2], table.n_customers
    (('b00003-c-00', 'b00003-c-01'), 20)
    """
    given: object = block
    if isinstance(given, bool) or not isinstance(given, int) or given < 0:
        raise bad_argument("block", block, "must be a non-negative integer")
    rng = np.random.default_rng(np.random.SeedSequence([seed, block]))
    table = generate_one(config, rng=rng).table
    prefix = f"b{block:05d}-"
    # the same prefix on every id keeps the ids' sorted order, so the rows stay as they are
    return dataclasses.replace(
        table,
        customer_ids=Ids(tuple(prefix + cid for cid in table.customer_ids)),
        item_ids=Ids(tuple(prefix + iid for iid in table.item_ids)),
    )


def _block_part(config: SynthConfig, seed: int, block: int) -> Part:
    table = block_table(config, seed, block)
    return Part(block, table, np.ones(table.n_customers, dtype=np.bool_))


def generate(config: SynthConfig, *, seed: int, blocks: int) -> DaskPool:
    """Return a synthetic pool of ``blocks`` blocks of ``config``, each drawn in a worker.

    Each block is one partition: it is generated where its results are computed, so a pool of
    a hundred million events never sits in one process (a block of ``config.n_customers``
    customers takes about 42 bytes per event while it is worked on). Call
    :meth:`DaskPool.persist` only when the whole pool fits the workers' memory.

    Parameters
    ----------
    config
        One block's configuration (``n_customers`` per block).
    seed
        A non-negative integer; block ``b`` draws from ``numpy.random.SeedSequence([seed, b])``.
    blocks
        The number of blocks (partitions).

    Returns
    -------
    DaskPool

    Raises
    ------
    custpool.ValidationError
        If ``blocks`` is not a positive integer or ``seed`` not a non-negative one.

    Examples
    --------
    >>> import dask
    >>> import custpool
    >>> from custpool import EventTable, Policy
    >>> from custpool.dask import generate, tier_counts
    >>> from custpool.synth import DEFAULT_END, SynthConfig
    >>> config = SynthConfig(n_customers=50)
    >>> pool = generate(config, seed=7, blocks=3)
    >>> with dask.config.set(scheduler="synchronous"):
    ...     counts = tier_counts(pool, Policy(), DEFAULT_END)
    >>> whole = EventTable.concat(block_table(config, 7, b) for b in range(3))
    >>> counts == custpool.classify_table(whole, Policy(), DEFAULT_END).counts()
    True
    >>> sum(counts.values())
    150
    """
    checks: tuple[tuple[str, object, int], ...] = (("blocks", blocks, 1), ("seed", seed, 0))
    for name, value, low in checks:
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise bad_argument(name, value, f"must be an integer of at least {low}")
    return DaskPool.of_calls(_block_part, ((config, seed, block) for block in range(blocks)))
