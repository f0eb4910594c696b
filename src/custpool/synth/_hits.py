"""Two seed lessons the synthetic pool can show: periodic hits and store walk-ins.

Both are off by default, so a default pool (and its pinned digest) is unchanged; their draws
come from the ninth child generator, after the eight the other steps use.

- **Periodic hits** (seed 002, "周期性爆款跟談戀愛一樣,適度的驚喜和儀式感可以增強粘性和消費頻次":
  periodic hits are like courting — well-judged surprises and rituals strengthen stickiness and
  how often customers buy): a campaign of ``campaign_days`` every
  ``campaign_every_days``, given to :func:`~custpool.growth_breakdown` as
  :attr:`~custpool.ActivityKind.CAMPAIGN` activities. During a campaign each order that falls
  in it is copied, on average, ``campaign_lift`` times (``⌊lift⌋`` copies, plus one more
  with probability ``lift − ⌊lift⌋``) by the same customer at a
  uniform instant of the campaign, kept only while the customer is active. The copies are
  orders like any other (their own ids, complaints and refunds), so a campaign's purchases are
  about ``1 + campaign_lift`` times what they would have been.
- **Walk-ins** (seed 003: "对于进店的客户,大家却没有欲望去拿到客户的电话或微信" — of the
  customers who walk into the store, people feel no urge to get their phone or WeChat): a share
  ``walk_in_rate`` of customers visit a store before they first join. Those who join in store
  (source ``store``) were captured on the spot, a few minutes after walking in; the others walked
  in days to weeks earlier (exponential, mean 21 days) and joined later through another channel.
  A visit that would fall before the period's start is not drawn. The same share of customers
  who left walk in again: those who come back were won back in store, minutes after walking in;
  the others walk in at a uniform instant after leaving and are missed (the store did not
  re-add them).

Examples
--------
>>> from datetime import UTC, datetime
>>> spans = campaign_spans(datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 3, 1, tzinfo=UTC),
...                        every_days=30, days=3)
>>> [(from_micros(a).date().isoformat(), from_micros(b).date().isoformat()) for a, b in spans]
[('2025-01-16', '2025-01-19'), ('2025-02-15', '2025-02-18')]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import numpy as np
from numpy.typing import NDArray

from custpool._model import ActivityKind, Channel, PoolActivity
from custpool._time import from_micros, to_micros
from custpool.synth._random import bernoulli, exponential, open_uniform

if TYPE_CHECKING:
    from datetime import datetime

__all__ = [
    "WALK_IN_LEAD_DAYS",
    "campaign_activities",
    "campaign_copies",
    "campaign_spans",
    "lapsed_walk_in_times",
    "walk_in_times",
]

_DAY: Final = 86_400_000_000
_MINUTE: Final = 60_000_000
WALK_IN_LEAD_DAYS: Final = 21.0
"""Mean days between a walk-in and joining, for walk-ins who join through another channel."""

I64 = NDArray[np.int64]


def campaign_spans(
    start: datetime, end: datetime, *, every_days: int, days: int
) -> list[tuple[int, int]]:
    """Return each campaign's ``(at, ends_at)`` in microseconds, in time order.

    Campaign ``k`` starts ``every_days × k + every_days // 2`` days after ``start`` (mid-cycle)
    and lasts ``days``; a campaign that would end after ``end`` is not held.
    """
    first, last = to_micros(start), to_micros(end)
    spans = []
    at = first + (every_days // 2) * _DAY
    while at + days * _DAY < last:
        spans.append((at, at + days * _DAY))
        at += every_days * _DAY
    return spans


def campaign_activities(
    spans: list[tuple[int, int]], operators: tuple[str, ...]
) -> list[PoolActivity]:
    """Return one CAMPAIGN activity per span, ids ``a-hit-01`` …, run in the mini program."""
    width = len(str(max(len(spans), 1)))
    return [
        PoolActivity(
            id=f"a-hit-{k + 1:0{width}d}",
            at=from_micros(at),
            ends_at=from_micros(ends_at),
            kind=ActivityKind.CAMPAIGN,
            channel=Channel.MINI_PROGRAM,
            title="Periodic hit 周期性爆款",
            operator_id=operators[k % len(operators)],
        )
        for k, (at, ends_at) in enumerate(spans)
    ]


def campaign_copies(
    rng: np.random.Generator, spans: list[tuple[int, int]], time: I64, lift: float
) -> tuple[I64, I64]:
    """Return which orders are copied (index into ``time``, repeated) and each copy's instant.

    An order at ``t`` in a campaign's ``(at, ends_at]`` gets ``⌊lift⌋`` copies, plus one with
    probability ``lift − ⌊lift⌋`` (platform-stable draws), each at a uniform instant of that
    campaign. The caller keeps the copies whose customer is active.
    """
    sources: list[I64] = []
    instants: list[I64] = []
    for at, ends_at in spans:
        inside = np.flatnonzero((time > at) & (time <= ends_at))
        whole, part = int(lift), lift - int(lift)
        extra = open_uniform(rng, inside.shape[0]) < part
        copies = whole + extra.astype(np.int64)
        source = np.repeat(inside, copies)
        offset = np.floor(open_uniform(rng, source.shape[0]) * (ends_at - at)).astype(np.int64)
        sources.append(source)
        instants.append(at + 1 + np.minimum(offset, ends_at - at - 1))
    empty: I64 = np.zeros(0, dtype=np.int64)
    return (
        np.concatenate(sources) if sources else empty,
        np.concatenate(instants) if instants else empty,
    )


def walk_in_times(
    rng: np.random.Generator,
    first_connect: I64,
    joined_in_store: NDArray[np.bool_],
    *,
    rate: float,
    start: int,
) -> tuple[I64, I64]:
    """Return the customers who walked in before joining and the instant of each visit.

    A share ``rate`` of customers walk in: those who joined in store 1 to 30 minutes before
    joining, the others about :data:`WALK_IN_LEAD_DAYS` days before (at least an hour). Visits
    before ``start`` are dropped.
    """
    n = first_connect.shape[0]
    walked = bernoulli(rng, n, rate)
    on_the_spot = 1 + np.floor(open_uniform(rng, n) * 30).astype(np.int64)
    days: NDArray[Any] = exponential(rng, n, WALK_IN_LEAD_DAYS)
    earlier = np.maximum(np.floor(days * _DAY).astype(np.int64), 60 * _MINUTE)
    lead = np.where(joined_in_store, on_the_spot * _MINUTE, earlier)
    at = first_connect - lead
    who = np.flatnonzero(walked & (at >= start))
    return who.astype(np.int64), at[who]


def lapsed_walk_in_times(
    rng: np.random.Generator,
    churn: I64,
    back_at: I64,
    *,
    rate: float,
    last: int,
) -> tuple[I64, I64]:
    """Return the customers who walk in after leaving and the instant of each visit.

    A share ``rate`` of customers who left (``churn <= last``) walk in again: 1 to 30 minutes
    before their reconnection at ``back_at`` when they come back (``back_at <= last``), else at
    a uniform instant after leaving, up to ``last``.
    """
    n = churn.shape[0]
    walked = bernoulli(rng, n, rate)
    before_back = back_at - (1 + np.floor(open_uniform(rng, n) * 30).astype(np.int64)) * _MINUTE
    span = np.maximum(last - churn, 1)
    uniform = churn + 1 + np.floor(open_uniform(rng, n) * span).astype(np.int64)
    comes_back = back_at <= last
    at = np.where(comes_back, np.maximum(before_back, churn + 1), np.minimum(uniform, last))
    who = np.flatnonzero(walked & (churn < last))
    return who.astype(np.int64), at[who]
