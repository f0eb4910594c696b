"""The summable facts of a health report: what a table (or a part of one) tells the measures.

A report reads, besides the charter, the policy and the activities, only counts over customers
and rows, a few small histograms and the ids of the members failing the joining rule. A table
split by customer gives one :class:`HealthSums` per part, and their :meth:`HealthSums.total`
is exactly the :class:`HealthSums` of the whole table: counts and histograms add up, and the two
measures that need an order statistic read it off a histogram, never a mean of the parts':

- ``structure.spread`` (the fewest members making half the members' interactions) sorts the
  active members by their interactions: :attr:`HealthSums.spread` holds how many members made
  exactly ``k`` interactions, for each ``k``; :meth:`HealthSums.fewest_making_half` walks it
  from the largest ``k`` down, which is the sorted order;
- ``operate.reply_hours`` (the median wait for a reply) reads the waits: :attr:`waits` holds
  each distinct wait in microseconds with :attr:`wait_counts`, how many inbound messages waited
  exactly that long; :meth:`HealthSums.median_wait` finds the middle one (or two) by counting.

The readings built from the sums are in :mod:`custpool._health.readings`; the sums of a table
are computed by :meth:`custpool._health.facts.HealthFacts.sums`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np

from custpool._engine import CHANNELS
from custpool._model import InteractionKind

if TYPE_CHECKING:
    from collections.abc import Iterable

    from numpy.typing import NDArray

__all__ = ["HealthSums"]

_KINDS: Final = len(InteractionKind)
_COUNTS: Final = (
    "members",
    "deep",
    "advocates",
    "sharing",
    "own",
    "peer",
    "complaints",
    "named_views",
    "reach",
    "attended",
    "inbound",
    "outbound",
    "waiting",
    "then_members",
    "kept",
)


def _padded_sum(arrays: list[NDArray[np.int64]]) -> NDArray[np.int64]:
    """Return the element-wise sum of histograms of any lengths (the shorter ones padded)."""
    out = np.zeros(max((a.shape[0] for a in arrays), default=0), dtype=np.int64)
    for a in arrays:
        out[: a.shape[0]] += a
    return out


@dataclass(frozen=True, slots=True, eq=False)
class HealthSums:
    """The facts a health report reads from a table: counts, histograms and the failing ids.

    Every field adds up over a table split by customer (``failing`` is a union). Counts are of
    the members at ``as_of`` and of rows in the window ``(as_of - policy.window, as_of]``.

    Attributes
    ----------
    members
        Customers connected at ``as_of`` (neither prospects nor churned).
    deep
        Members engaged, converted or advocates.
    advocates
        Advocates.
    sharing
        Members carrying one of the charter's interests (0 without tags or interests).
    failing
        Ids of the members failing the charter's joining rule (empty without tags or a rule),
        in the table's customer order.
    spread
        ``spread[k]``: members with exactly ``k`` interactions of their own in the window
        (``spread[0]`` is 0).
    own, peer
        Members' own interactions in the window, and those that were member-to-member.
    channels
        Members' own interactions in the window per channel (``custpool`` channel codes).
    complaints
        COMPLAINT rows in the window (anyone's).
    named_views
        CONTENT_VIEW rows in the window that name their content (anyone's).
    reach
        Members' views, in the window, of the content published in the window.
    attended
        Distinct (member, ritual) attendances in the window, of the rituals held in it.
    inbound, outbound, waiting
        Members' inbound messages in the window; operator messages in the window (anyone's);
        the inbound messages not answered by ``as_of``.
    waits, wait_counts
        Each distinct wait for a reply (microseconds, increasing; an unanswered message waits
        until ``as_of``), and how many inbound messages waited that long.
    then_members, kept
        Members one retention period before ``as_of`` (0 if that is before 1900), and how many
        of them are members still.
    kinds
        The table's rows of each interaction kind (all time): which kinds the data records.
    """

    members: int
    deep: int
    advocates: int
    sharing: int
    failing: tuple[str, ...]
    spread: NDArray[np.int64]
    own: int
    peer: int
    channels: NDArray[np.int64]
    complaints: int
    named_views: int
    reach: int
    attended: int
    inbound: int
    outbound: int
    waiting: int
    waits: NDArray[np.int64]
    wait_counts: NDArray[np.int64]
    then_members: int
    kept: int
    kinds: NDArray[np.int64]

    @classmethod
    def total(cls, parts: Iterable[HealthSums]) -> HealthSums:
        """Return the sums of a table split by customer into ``parts``: exactly the whole's.

        Counts and histograms are added; the failing ids are united in sorted id order (the
        customer order of every table custpool's readers build); the waits are merged, each
        distinct wait once with its summed count.
        """
        found = list(parts)
        counts = {name: sum(getattr(p, name) for p in found) for name in _COUNTS}
        waits = np.concatenate([np.zeros(0, np.int64), *(p.waits for p in found)])
        weights = np.concatenate([np.zeros(0, np.int64), *(p.wait_counts for p in found)])
        distinct, back = np.unique(waits, return_inverse=True)
        wait_counts = np.zeros(distinct.shape[0], dtype=np.int64)
        np.add.at(wait_counts, back, weights)
        return cls(
            **counts,
            failing=tuple(sorted(i for p in found for i in p.failing)),
            spread=_padded_sum([p.spread for p in found]),
            channels=_padded_sum([np.zeros(len(CHANNELS), np.int64), *(p.channels for p in found)]),
            waits=distinct.astype(np.int64),
            wait_counts=wait_counts,
            kinds=_padded_sum([np.zeros(_KINDS, np.int64), *(p.kinds for p in found)]),
        )

    @property
    def active(self) -> int:
        """Members with an interaction of their own in the window."""
        return int(self.spread.sum())

    def fewest_making_half(self) -> int:
        """Return the fewest active members whose own interactions make half of all of them.

        Sorting the active members by their interactions, most first, the answer is the first
        rank where twice the running total reaches the total. ``spread`` holds the sorted list
        in blocks (``spread[k]`` members of ``k`` interactions each), so the block where the
        running total crosses half is found first, then the rank inside it, by division.

        Returns 0 when nobody was active.
        """
        if not self.active:
            return 0
        # the blocks, most interactions first: k interactions each, `size` members
        per = np.flatnonzero(self.spread)[::-1].astype(np.int64)
        size = self.spread[per]
        after = np.cumsum(per * size)
        total = int(after[-1])
        block = int(np.searchsorted(2 * after, total, side="left"))
        before = int(after[block] - per[block] * size[block])
        # the first j in the block with 2 * (before + j * k) >= total, j >= 1
        k = int(per[block])
        j = -(-(total - 2 * before) // (2 * k))
        return int(size[:block].sum()) + j

    def median_wait(self) -> float:
        """Return the median wait for a reply in microseconds, as ``numpy.median`` gives it.

        The middle wait (or the mean of the two middle ones), found by counting through the
        distinct waits; computed by ``numpy.median`` on those one or two values, so the float
        is the one ``numpy.median`` gives on every wait. NaN when there is no wait.
        """
        n = int(self.wait_counts.sum())
        if not n:
            return float("nan")
        ends = np.cumsum(self.wait_counts)
        ranks = np.array([(n - 1) // 2, n // 2], dtype=np.int64)
        middle = self.waits[np.searchsorted(ends, ranks, side="right")]
        return float(np.median(middle if n % 2 == 0 else middle[:1]))
