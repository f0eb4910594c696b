"""Customer tags split by home partition, for the health of a :class:`DaskPool`.

The client splits a :class:`~custpool.CustomerTags` (the pool's customers in sorted id order,
as one table holds them) by each customer's home partition, and each partition aligns its
share with its own table.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Final, TypeAlias

import numpy as np

from custpool import CustomerTags, ValidationError, WrongTypeError
from custpool.dask._partition import Part, home

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from custpool import Tag

__all__ = ["TAGS_RULE", "TagShare", "part_tags", "tag_shares"]

TAGS_RULE: Final = "must hold the table's customers in the table's order"

TagShare: TypeAlias = tuple[tuple[str, ...], tuple["Tag", ...], "NDArray[np.bool_]"] | None
"""One partition's rows of the tags: its customers' ids, the vocabulary and their rows."""


def tag_shares(tags: object, n: int) -> list[TagShare]:
    """Split ``tags`` by the customers' home partition (None for every partition without)."""
    if tags is None:
        return [None] * n
    if not isinstance(tags, CustomerTags):
        raise WrongTypeError("tags", tags, "must be a custpool.CustomerTags or None")
    ids = tuple(tags.customer_ids)
    # the pool's customers are indexed in sorted id order, as one table's are
    if any(a >= b for a, b in pairwise(ids)):
        raise ValidationError("tags", tags, TAGS_RULE)
    homes = home(ids, n)
    order = np.argsort(homes, kind="stable")  # by partition, in id order within each
    ends = np.cumsum(np.bincount(homes, minlength=n))
    shares: list[TagShare] = []
    for k in range(n):
        rows = order[(ends[k - 1] if k else 0) : ends[k]]
        shares.append((tuple(ids[int(r)] for r in rows), tags.vocabulary, tags.held[rows]))
    return shares


def part_tags(part: Part, share: TagShare) -> tuple[CustomerTags | None, int, int]:
    """Return the partition's tags, aligned with its table; owned customers found and missing.

    A customer the table holds but does not own has no row in ``share`` (their home is
    another partition): an empty row, never read, as they are no member here.
    """
    if share is None:
        return None, 0, 0
    ids, vocabulary, held = share
    table, own = part.events, part.own
    position = {cid: n for n, cid in enumerate(ids)}
    found = np.array([position.get(cid, -1) for cid in table.customer_ids], dtype=np.int64)
    hit = found >= 0
    rows = np.zeros((table.n_customers, len(vocabulary)), dtype=np.bool_)
    rows[hit] = held[found[hit]]
    tags = CustomerTags.from_matrix(rows, vocabulary, table)
    return tags, int(np.count_nonzero(hit & own)), int(np.count_nonzero(~hit & own))
