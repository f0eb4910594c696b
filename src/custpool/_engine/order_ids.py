"""Order ids made from a purchase's content, for exports that have none.

An orders export often has no order id (a row is an order). The table still needs one per
purchase, and it must not depend on the rows' order or on other rows, so it is made from what
the row says: ``"{customer_id}@{time}"``, the time in UTC as ISO 8601 (``2026-03-01T02:00:00Z``,
with microseconds when it has them), and ``#k`` added for the ``k``-th further purchase of the
customer at that instant (``#1``, ``#2``, …, in the table's row order). A customer id longer than
90 characters is replaced by the first 32 hex digits of its SHA-256, so an id stays within 128.

The ids are made on demand from the table's columns: a table of ten million orders holds no
order-id strings until they are asked for.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

import numpy as np

from custpool._engine.codes import KIND_CODE
from custpool._model import InteractionKind

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from custpool._engine.ids import Ids

__all__ = ["OrderIds"]

_PURCHASE: Final = KIND_CODE[InteractionKind.PURCHASE]
_LONGEST_PREFIX: Final = 90


@dataclass(slots=True)
class OrderIds:
    """Makes the order id of the ``k``-th purchase row of a table (rows sorted as the table's).

    Examples
    --------
    >>> import numpy as np
    >>> from custpool._engine.ids import Ids
    >>> t = np.datetime64("2026-03-01T02:00:00", "us").astype(np.int64)
    >>> make = OrderIds(
    ...     np.array([0, 0, 1], np.int32), np.array([t, t, t + 1], np.int64),
    ...     np.array([8, 8, 8], np.int8), Ids(("c-1", "c-2")),
    ... )
    >>> make(np.array([0, 1, 2]))
    ['c-1@2026-03-01T02:00:00Z', 'c-1@2026-03-01T02:00:00Z#1', 'c-2@2026-03-01T02:00:00.000001Z']
    """

    customer: NDArray[np.int32]
    time: NDArray[np.int64]
    kind: NDArray[np.int8]
    customer_ids: Ids
    _rows: NDArray[np.int64] | None = field(default=None, repr=False)
    _repeat: NDArray[np.int64] | None = field(default=None, repr=False)

    def purchases(self) -> int:
        """Return how many purchase rows the table has (the number of ids)."""
        return int(np.count_nonzero(self.kind == _PURCHASE))

    def _index(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        if self._rows is None or self._repeat is None:
            rows = np.flatnonzero(self.kind == _PURCHASE).astype(np.int64)
            customer, time = self.customer[rows], self.time[rows]
            starts = np.ones(rows.shape[0], dtype=np.bool_)
            starts[1:] = (customer[1:] != customer[:-1]) | (time[1:] != time[:-1])
            first = np.maximum.accumulate(np.where(starts, np.arange(rows.shape[0]), 0))
            self._rows, self._repeat = rows, np.arange(rows.shape[0]) - first
        return self._rows, self._repeat

    def __call__(self, index: NDArray[np.int64]) -> list[str]:
        """Return the ids of the purchases at ``index`` (positions among the purchase rows)."""
        rows, repeat = self._index()
        picked = rows[index]
        stamps = np.datetime_as_string(self.time[picked].astype("datetime64[us]"), unit="us")
        out: list[str] = []
        for customer, stamp, k in zip(
            self.customer[picked].tolist(), stamps.tolist(), repeat[index].tolist(), strict=True
        ):
            cid = self.customer_ids[customer]
            if len(cid) > _LONGEST_PREFIX:
                cid = hashlib.sha256(cid.encode()).hexdigest()[:32]
            when = stamp.removesuffix(".000000")
            out.append(f"{cid}@{when}Z#{k}" if k else f"{cid}@{when}Z")
        return out
