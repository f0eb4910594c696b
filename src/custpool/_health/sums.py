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
- ``operate.reply_hours`` (the median wait for a reply) reads the waits in two steps, so that
  only a few of them ever leave their part: :attr:`HealthSums.wait_buckets` counts the waits
  in 4,160 buckets of about 1.6% of their size each (:func:`wait_buckets`); the summed buckets
  say in which one or two buckets the middle waits lie (:meth:`HealthSums.median_buckets`); then
  each part gives its waits in those buckets only, as an exact histogram (:func:`waits_between`:
  each distinct wait in microseconds with its count), and :meth:`HealthSums.median_wait` counts
  through them.

The readings built from the sums are in :mod:`custpool._health.readings`; the sums of a table
are computed by :meth:`custpool._health.facts.HealthFacts.sums`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final

import numpy as np

from custpool._engine import CHANNELS
from custpool._model import InteractionKind

if TYPE_CHECKING:
    from collections.abc import Iterable

    from numpy.typing import NDArray

__all__ = ["WAIT_BUCKETS", "HealthSums", "merge_waits", "wait_buckets", "waits_between"]

WAIT_BUCKETS: Final = 4160
"""How many buckets the waits for a reply are counted in (:func:`wait_buckets`)."""
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


def _bucket(waits: NDArray[np.int64]) -> NDArray[np.int64]:
    """Return each wait's bucket: 0 for 0, else its float's exponent and top 7 mantissa bits.

    A wait of ``m × 2**e`` microseconds (``0.5 <= m < 1``) goes to bucket ``64 (e - 1) +
    floor(128 m)``: buckets grow with the waits (a bigger wait is never in an earlier bucket)
    and each spans 1/64 of its waits' size, up to 4,159 for the largest int64.
    """
    mantissa, exponent = np.frexp(waits.astype(np.float64))
    bucket = (exponent.astype(np.int64) - 1) * 64 + (mantissa * 128).astype(np.int64)
    return np.where(waits > 0, bucket, 0)


def wait_buckets(waits: NDArray[np.int64]) -> NDArray[np.int64]:
    """Return how many of ``waits`` (microseconds, not negative) fall in each bucket.

    As long as the last bucket used (at most :data:`WAIT_BUCKETS` long).
    """
    return np.bincount(_bucket(waits)).astype(np.int64)


def waits_between(
    waits: NDArray[np.int64], buckets: tuple[int, int]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Return the waits in buckets ``low`` to ``high`` as distinct values and their counts."""
    low, high = buckets
    bucket = _bucket(waits)
    chosen = waits[(bucket >= low) & (bucket <= high)]
    values, counts = np.unique(chosen, return_counts=True)
    return values.astype(np.int64), counts.astype(np.int64)


def merge_waits(
    parts: Iterable[tuple[NDArray[np.int64], NDArray[np.int64]]],
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Return exact histograms of waits merged: each distinct wait once, its counts summed."""
    found = list(parts)
    waits = np.concatenate([np.zeros(0, np.int64), *(values for values, _ in found)])
    weights = np.concatenate([np.zeros(0, np.int64), *(counts for _, counts in found)])
    distinct, back = np.unique(waits, return_inverse=True)
    counts = np.zeros(distinct.shape[0], dtype=np.int64)
    np.add.at(counts, back, weights)
    return distinct.astype(np.int64), counts


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
    wait_buckets
        How many inbound messages waited for a reply a time in each bucket of
        :func:`wait_buckets` (an unanswered message waits until ``as_of``).
    waits, wait_counts
        The waits in the buckets :meth:`median_buckets` names (or more): each distinct wait in
        microseconds, increasing, and how many inbound messages waited exactly that long.
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
    wait_buckets: NDArray[np.int64]
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
        waits, wait_counts = merge_waits((p.waits, p.wait_counts) for p in found)
        return cls(
            **counts,
            failing=tuple(sorted(i for p in found for i in p.failing)),
            spread=_padded_sum([p.spread for p in found]),
            channels=_padded_sum([np.zeros(len(CHANNELS), np.int64), *(p.channels for p in found)]),
            wait_buckets=_padded_sum([p.wait_buckets for p in found]),
            waits=waits,
            wait_counts=wait_counts,
            kinds=_padded_sum([np.zeros(_KINDS, np.int64), *(p.kinds for p in found)]),
        )

    def with_waits(self, waits: NDArray[np.int64], counts: NDArray[np.int64]) -> HealthSums:
        """Return these sums with the exact waits ``waits`` (distinct) and their ``counts``."""
        return replace(self, waits=waits, wait_counts=counts)

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

    def median_buckets(self) -> tuple[int, int]:
        """Return the buckets of the middle wait, or of the two middle ones (``(0, -1)``: none).

        The waits ranked ``(n - 1) // 2`` and ``n // 2`` of ``n``: the same one when ``n`` is
        odd. The buckets grow with the waits, so the middle waits are in the buckets where the
        running count of :attr:`wait_buckets` passes those ranks.
        """
        n = int(self.wait_buckets.sum())
        if not n:
            return 0, -1
        ends = np.cumsum(self.wait_buckets)
        ranks = np.array([(n - 1) // 2, n // 2], dtype=np.int64)
        low, high = np.searchsorted(ends, ranks, side="right").tolist()
        return int(low), int(high)

    def median_wait(self) -> float:
        """Return the median wait for a reply in microseconds, as ``numpy.median`` gives it.

        The middle wait (or the mean of the two middle ones): the buckets before the middle
        ones give how many waits are smaller, and the exact waits of the middle buckets
        (:attr:`waits`) give the rest by counting; computed by ``numpy.median`` on those one or
        two values, so the float is the one ``numpy.median`` gives on every wait. NaN when
        there is no wait.

        Raises
        ------
        ValueError
            If :attr:`waits` does not hold every wait of the middle buckets.
        """
        n = int(self.wait_buckets.sum())
        if not n:
            return float("nan")
        low, high = self.median_buckets()
        bucket = _bucket(self.waits)
        middle_buckets = (bucket >= low) & (bucket <= high)
        inside, counts = self.waits[middle_buckets], self.wait_counts[middle_buckets]
        if int(counts.sum()) != int(self.wait_buckets[low : high + 1].sum()):
            msg = f"the exact waits of buckets {low} to {high} are missing (see waits_between)"
            raise ValueError(msg)
        before = int(self.wait_buckets[:low].sum())
        ranks = np.array([(n - 1) // 2, n // 2], dtype=np.int64) - before
        middle = inside[np.searchsorted(np.cumsum(counts), ranks, side="right")]
        return float(np.median(middle if n % 2 == 0 else middle[:1]))
