"""The generator behind :func:`custpool.synth.generate`: vectorised steps over whole columns.

Each step draws for every customer (or every row) at once; the only Python loops run over the
handful of steps, the kinds, the referral retries, the referral generations and the customer
chunks of the final sort. Times are int64 microseconds. Every draw goes through
:mod:`custpool.synth._random`, so the same seed gives the same bits on every platform.

The model, step by step (``docs/synth.md`` says the same for users):

1. **Customers.** Connect times uniform over the period (customer index = order of joining),
   an activity level per customer (log-logistic: heavy-tailed), interest tags, an acquisition
   source, and three clocks: when they fall silent (dormancy hazard), when they churn (churn
   hazard) and, for some churners, when they come back.
2. **Orders.** Buyers make a first purchase after a paradigm-dependent delay and then repeat
   (geometric, more often when more active); some orders draw a complaint, and a complaint may
   make the customer leave early (the churn clock moves forward). Refunds, NPS answers and
   store visits follow orders.
3. **Referrals.** Some customers join through a referral: their referrer is an earlier
   customer, drawn in proportion to activity (buyers weigh more), who is active at the moment of
   the referral, which comes shortly before the new customer connects.
4. **Engagement.** The remaining event budget is spread over customers by activity and time
   in the pool: customer-initiated messages, group posts, reactions, content views, event
   attendances (pointing at events held) and store visits; plus the brand's outbound messages,
   which continue while a customer is silent.
5. **Assembly.** All rows are concatenated, sorted by customer then time, and handed to
   :meth:`EventTable.from_arrays`.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import numpy as np

from custpool._engine import CHANNELS, COLUMN_DTYPES, DIRECTIONS, KIND_CODE, SOURCES
from custpool._model import (
    ActivityKind,
    Channel,
    ChurnReason,
    ComplaintReason,
    Direction,
    InteractionKind,
    PoolActivity,
    SourceChannel,
    Tag,
    TagGroup,
)
from custpool._tiers import Stage
from custpool._time import from_micros, to_micros
from custpool.synth._hits import (
    campaign_activities,
    campaign_copies,
    campaign_spans,
    lapsed_walk_in_times,
    walk_in_times,
)
from custpool.synth._random import (
    bernoulli,
    categorical,
    exponential,
    fsum,
    ln,
    log_logistic,
    stochastic_round,
)
from custpool.synth._staff import group_ids, operator_ids, staff_columns

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from custpool._display import Ticker
    from custpool.synth._config import SynthConfig

    I64: TypeAlias = NDArray[np.int64]
    F64: TypeAlias = NDArray[np.float64]
    Mask: TypeAlias = NDArray[np.bool_]

__all__ = ["BUILD_STEPS", "Draft", "build"]

DAY: Final = 86_400_000_000
HOUR: Final = 3_600_000_000
MINUTE: Final = 60_000_000

# -- behaviour constants (documented in docs/synth.md, "Realism choices") ---------------------

ACTIVITY_CAP: Final = 100.0
"""Activity levels are capped at 100 times the median customer's before normalising."""
PRICE_CAP: Final = 100.0
"""Order amounts are capped at 100 times the median price."""
MAX_REPEATS: Final = 200
"""At most 1 + 200 orders per customer."""
BUYER_REFERRAL_WEIGHT: Final = 4.0
"""A customer with an order is this many times likelier to be picked as a referrer."""
REFERRAL_TRIES: Final = 4
"""Referrers are redrawn this often when the one drawn was not active at the time."""
CONNECT_OUTBOUND: Final = 0.3
"""Share of organic connections the brand started (it added the customer)."""
REFUND_OUTBOUND: Final = 0.3
"""Share of refunds the brand started."""
FULL_REFUND: Final = 0.7
"""Share of refunds that return the whole order."""
REFUND_AFTER_COMPLAINT: Final = 10.0
"""A complained-about order is refunded with probability ``min(1, 10 * refund_rate)``."""
REACTION_TO_CONTENT: Final = 0.5
"""Share of inbound reactions that name the content they react to."""

_MEAN_DAYS: Final = {
    "first_purchase_convert_first": 1.0,
    "first_purchase_nurture_first": 30.0,
    "engage_delay_convert_first": 14.0,
    "reconnect": 60.0,
    "referral_lead": 2.0,
    "complaint": 2.0,
    "refund": 5.0,
    "refund_after_complaint": 2.0,
    "nps": 3.0,
    "leave_after_complaint": 7.0,
}
HAZARD_DAYS: Final = 30.0
"""Churn and dormancy rates are hazards per 30 days."""

# -- codes ------------------------------------------------------------------------------------

_CODE_OF_KIND: Final = {kind: np.int8(code) for kind, code in KIND_CODE.items()}
"""The ``kind`` column's code of each interaction kind, as int8."""
_INBOUND_CODE: Final = np.int8(DIRECTIONS.index(Direction.INBOUND))
"""The ``direction`` column's code of inbound rows (the customer started them)."""
_OUTBOUND_CODE: Final = np.int8(DIRECTIONS.index(Direction.OUTBOUND))
"""The ``direction`` column's code of outbound rows (the brand started them)."""
_PEER_CODE: Final = np.int8(DIRECTIONS.index(Direction.PEER))
"""The ``direction`` column's code of peer rows (member to member)."""
_CODE_OF_CHANNEL: Final = {channel: np.int8(CHANNELS.index(channel)) for channel in Channel}
"""The ``channel`` column's code of each channel, as int8."""
_CODE_OF_SOURCE: Final = {source: np.int8(SOURCES.index(source)) for source in SourceChannel}
"""The ``source`` column's code of each source channel, as int8."""

CONNECT_CHANNEL: Final = {
    SourceChannel.STORE: Channel.STORE,
    SourceChannel.ECOMMERCE: Channel.WECOM_CHAT,
    SourceChannel.LIVE_STREAM: Channel.LIVE_STREAM,
    SourceChannel.MINI_PROGRAM: Channel.MINI_PROGRAM,
    SourceChannel.CONTENT: Channel.MOMENTS,
    SourceChannel.ADVERTISING: Channel.WECOM_CHAT,
    SourceChannel.EVENT: Channel.CUSTOMER_GROUP,
    SourceChannel.REFERRAL: Channel.WECOM_CHAT,
    SourceChannel.PHONE: Channel.PHONE,
    SourceChannel.OTHER: Channel.OTHER,
    SourceChannel.TMALL: Channel.WECOM_CHAT,
    SourceChannel.TAOBAO: Channel.WECOM_CHAT,
    SourceChannel.JD: Channel.WECOM_CHAT,
    SourceChannel.PINDUODUO: Channel.WECOM_CHAT,
    SourceChannel.DOUYIN: Channel.WECOM_CHAT,
    SourceChannel.KUAISHOU: Channel.WECOM_CHAT,
    SourceChannel.XIAOHONGSHU: Channel.WECOM_CHAT,
    SourceChannel.WECHAT_CHANNELS: Channel.WECOM_CHAT,
    SourceChannel.OFFICIAL_MALL: Channel.WECOM_CHAT,
}
"""The channel a connection happens on, by its source (a marketplace or own-store customer
is added on WeCom from a parcel card or an order page, as an ``ecommerce`` one is)."""
_CONNECT_CHANNEL_BY_CODE: Final = np.array(
    [_CODE_OF_CHANNEL[CONNECT_CHANNEL[s]] for s in SOURCES], dtype=np.int8
)

CHURN_REASON_MIX: Final = {
    ChurnReason.DELETED: 0.45,
    ChurnReason.LEFT_GROUP: 0.25,
    ChurnReason.BLOCKED: 0.10,
    ChurnReason.UNSUBSCRIBED: 0.10,
    ChurnReason.REMOVED: 0.05,
    ChurnReason.OTHER: 0.05,
}
"""Why customers leave (REMOVED churns are outbound: the brand filtered them out)."""
ANGRY_CHURN_MIX: Final = {ChurnReason.DELETED: 0.6, ChurnReason.BLOCKED: 0.4}
"""Why customers leave after a complaint."""
COMPLAINT_REASON_MIX: Final = {
    ComplaintReason.SERVICE: 0.30,
    ComplaintReason.QUALITY: 0.30,
    ComplaintReason.PRICE: 0.15,
    ComplaintReason.LOGISTICS: 0.20,
    ComplaintReason.OTHER: 0.05,
}
"""What complaints are about."""
PURCHASE_CHANNEL_MIX: Final = {
    Channel.MINI_PROGRAM: 0.55,
    Channel.STORE: 0.30,
    Channel.LIVE_STREAM: 0.15,
}
"""Where orders are placed; a store order comes with a store visit just before it."""
OUTBOUND_MIX: Final = {
    InteractionKind.MESSAGE: 0.60,
    InteractionKind.GROUP_POST: 0.25,
    InteractionKind.REACTION: 0.15,
}
"""What the brand's outbound touches are."""
CHANNEL_MIX: Final = {
    (InteractionKind.MESSAGE, Direction.INBOUND): {Channel.WECOM_CHAT: 0.9, Channel.PHONE: 0.1},
    (InteractionKind.MESSAGE, Direction.OUTBOUND): {Channel.WECOM_CHAT: 0.8, Channel.PHONE: 0.2},
    (InteractionKind.REACTION, Direction.INBOUND): {
        Channel.MOMENTS: 0.5,
        Channel.CUSTOMER_GROUP: 0.5,
    },
    (InteractionKind.REACTION, Direction.OUTBOUND): {Channel.MOMENTS: 1.0},
    (InteractionKind.CONTENT_VIEW, Direction.INBOUND): {
        Channel.MOMENTS: 0.5,
        Channel.MINI_PROGRAM: 0.3,
        Channel.LIVE_STREAM: 0.2,
    },
}
"""Channels of engagement rows by kind and who started them (peer rows as inbound ones)."""
CONTENT_LAG_MIX: Final = (0.6, 0.3, 0.1)
"""A content view or reaction concerns the latest piece (60%), the one before (30%), or the one
before that (10%)."""
NPS_MIX: Final = {
    "unhappy": (0.08, 0.06, 0.08, 0.10, 0.12, 0.16, 0.15, 0.12, 0.08, 0.03, 0.02),
    "advocate": (0.0, 0.0, 0.0, 0.0, 0.01, 0.01, 0.03, 0.05, 0.15, 0.30, 0.45),
    "base": (0.01, 0.01, 0.01, 0.02, 0.02, 0.05, 0.08, 0.15, 0.20, 0.20, 0.25),
}
"""NPS answer distributions, scores 0-10: customers with a complaint, referrers, the rest."""


def _days(mean_days: float) -> float:
    return mean_days * DAY


def _delays(rng: np.random.Generator, n: int, mean_days: float) -> I64:
    """``n`` exponential delays in whole microseconds (at most ~1000 years)."""
    return np.floor(np.minimum(exponential(rng, n, _days(mean_days)), 1000 * 366 * DAY)).astype(
        np.int64
    )


def _hazard_clock(rng: np.random.Generator, n: int, rate: float, horizon: int) -> I64:
    """Time to an event with a constant hazard of ``rate`` per 30 days, capped at ``horizon``.

    A tiny rate (say 1e-296) makes a mean beyond what a float holds: such draws are infinite,
    which is exact here — the event falls after the horizon — so the overflow is not an error.
    """
    with np.errstate(over="ignore"):
        draws = exponential(rng, n, _days(HAZARD_DAYS) / rate if rate > 0 else 1.0)
    if rate <= 0:  # drawn anyway, so that the later draws of the step stay the same
        return np.full(n, horizon, dtype=np.int64)
    return np.floor(np.minimum(draws, float(horizon))).astype(np.int64)


def _child(rng: np.random.Generator) -> np.random.Generator:
    """Return an independent generator for one step, so steps do not shift each other's draws."""
    words = rng.integers(0, 1 << 63, size=4, dtype=np.int64).tolist()
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(words)))


# -- step 1: customers ------------------------------------------------------------------------


@dataclass(slots=True)
class Life:
    """Per-customer clocks and the stretches in which each customer is active.

    ``a1`` … ``b1_in`` is the first stretch of customer-initiated activity (until they fall
    silent or churn), ``a1`` … ``b1_out`` the first stretch in which the brand reaches them
    (until churn), and ``a2`` … ``b2`` the stretch after coming back (empty when ``a2 > b2``).
    Bounds are inclusive instants in microseconds.
    """

    t0: I64
    rel: F64
    silent: I64
    churn: I64
    reconnects: Mask
    back_delay: I64
    churn_reason: I64
    last: int
    """The latest instant for a placed event (one microsecond before the end)."""
    a1: I64 = field(init=False)
    b1_out: I64 = field(init=False)
    b1_in: I64 = field(init=False)
    a2: I64 = field(init=False)
    b2: I64 = field(init=False)

    def set_windows(self) -> None:
        """Derive the stretches from the clocks."""
        last = self.last
        self.a1 = self.t0 + 1
        self.b1_out = np.minimum(self.churn - 1, last)
        self.b1_in = np.minimum(self.b1_out, self.silent)
        back_at = self.churn + self.back_delay
        back = self.reconnects & (self.churn <= last) & (back_at < last)
        self.a2 = np.where(back, back_at + 1, last + 1)
        self.b2 = np.full_like(self.t0, last)

    def active(self, who: I64, t: I64) -> Mask:
        """Whether customer ``who`` may start an interaction at ``t`` (row-wise)."""
        first = (self.a1[who] <= t) & (t <= self.b1_in[who])
        second = (self.a2[who] <= t) & (t <= self.b2[who])
        out: Mask = first | second
        return out

    def stretch_end(self, who: I64, t: I64) -> I64:
        """Return the end of the customer-initiated stretch holding ``t``."""
        out: I64 = np.where(t <= self.b1_in[who], self.b1_in[who], self.b2[who])
        return out

    def stretch_start(self, who: I64, t: I64) -> I64:
        """Return the start of the customer-initiated stretch holding ``t``."""
        out: I64 = np.where(t <= self.b1_in[who], self.a1[who], self.a2[who])
        return out


@dataclass(slots=True)
class People:
    """Step 1's draws: the clocks plus tags, sources and how each connection started."""

    life: Life
    interests: NDArray[np.uint32]
    n_interests: I64
    source: NDArray[np.int8]
    connect_outbound: Mask
    back_source: NDArray[np.int8]
    back_outbound: Mask
    angry_reason: I64


def _customers(cfg: SynthConfig, rng: np.random.Generator, start: int, end: int) -> People:
    n = cfg.n_customers
    span = end - start
    # Sorted uniform connect times, then + index: strictly increasing, so referrers (earlier
    # customers) always connected strictly before the customers they bring. Latest: end - 4.
    raw = np.floor(rng.random(n) * float(span - n - 2)).astype(np.int64)
    t0 = start + np.sort(raw) + np.arange(n, dtype=np.int64)
    level = np.minimum(log_logistic(rng, n, cfg.activity_spread), ACTIVITY_CAP)
    rel = level / (fsum(level) / n)
    interests = np.zeros(n, dtype=np.uint32)
    n_interests = np.zeros(n, dtype=np.int64)
    for bit, prevalence in enumerate(cfg.interests.values()):
        has = bernoulli(rng, n, prevalence)
        interests |= has.astype(np.uint32) << np.uint32(bit)
        n_interests += has
    source_codes = np.array([_CODE_OF_SOURCE[s] for s in cfg.source_mix], dtype=np.int8)
    source_weights = list(cfg.source_mix.values())
    source = source_codes[categorical(rng, n, source_weights)]
    connect_outbound = bernoulli(rng, n, CONNECT_OUTBOUND)
    horizon = span + 1
    silent = t0 + _hazard_clock(rng, n, cfg.dormancy_rate, horizon)
    churn = t0 + 1 + _hazard_clock(rng, n, cfg.churn_rate, horizon)
    reconnects = bernoulli(rng, n, cfg.reconnect_rate)
    back_delay = 1 + _delays(rng, n, _MEAN_DAYS["reconnect"])
    reasons = np.array([tuple(ChurnReason).index(r) for r in CHURN_REASON_MIX])
    churn_reason = reasons[categorical(rng, n, list(CHURN_REASON_MIX.values()))]
    angry = np.array([tuple(ChurnReason).index(r) for r in ANGRY_CHURN_MIX])
    angry_reason = angry[categorical(rng, n, list(ANGRY_CHURN_MIX.values()))]
    back_source = source_codes[categorical(rng, n, source_weights)]
    back_outbound = bernoulli(rng, n, CONNECT_OUTBOUND)
    life = Life(t0, rel, silent, churn, reconnects, back_delay, churn_reason, end - 1)
    life.set_windows()
    return People(
        life,
        interests,
        n_interests,
        source,
        connect_outbound,
        back_source,
        back_outbound,
        angry_reason,
    )


def _place(  # noqa: PLR0913, PLR0917 - two stretches, four bounds
    rng: np.random.Generator, who: I64, a1: I64, b1: I64, a2: I64, b2: I64
) -> I64:
    """Return one time per row, uniform over its customer's ``[a1, b1) ∪ [a2, b2)``.

    The caller only gives rows to customers whose stretches have positive total length.
    """
    first = np.maximum(b1 - a1, 0)[who]
    total = first + np.maximum(b2 - a2, 0)[who]
    x = np.minimum(np.floor(rng.random(who.shape[0]) * total).astype(np.int64), total - 1)
    out: I64 = np.where(x < first, a1[who] + x, a2[who] + (x - first))
    return out


def _repeat(counts: I64) -> tuple[I64, I64]:
    """Row owners for per-customer ``counts``, and each row's position within its customer."""
    who = np.repeat(np.arange(counts.shape[0], dtype=np.int64), counts)
    starts = np.cumsum(counts) - counts
    return who, np.arange(who.shape[0], dtype=np.int64) - starts[who]


# -- rows -------------------------------------------------------------------------------------

_COLUMN_DTYPES: Final = COLUMN_DTYPES
_EMPTY: Final = {"source": -1, "reason": -1, "amount": 0, "referred": -1, "score": -1, "item": -1}


@dataclass(slots=True)
class Rows:
    """One stream of rows (one kind family), columns as arrays or one value for every row."""

    customer: I64
    time: I64
    columns: dict[str, NDArray[np.integer[Any]] | int]

    def __len__(self) -> int:
        return int(self.customer.shape[0])

    def column(self, name: str) -> NDArray[np.integer[Any]]:
        value = self.columns.get(name, _EMPTY.get(name, -1))
        if isinstance(value, int | np.integer):
            return np.full(len(self), value, dtype=_COLUMN_DTYPES[name])
        return value


def _channels(
    rng: np.random.Generator, kind: NDArray[np.int8], direction: NDArray[np.int8]
) -> NDArray[np.int8]:
    """Draw each row's channel from ``CHANNEL_MIX`` (fixed-channel kinds get theirs)."""
    out = np.full(kind.shape[0], _CODE_OF_CHANNEL[Channel.OTHER], dtype=np.int8)
    group_posts = kind == _CODE_OF_KIND[InteractionKind.GROUP_POST]
    out[group_posts] = _CODE_OF_CHANNEL[Channel.CUSTOMER_GROUP]
    out[kind == _CODE_OF_KIND[InteractionKind.STORE_VISIT]] = _CODE_OF_CHANNEL[Channel.STORE]
    customer_started = direction != _OUTBOUND_CODE
    for (kind_, started), mix in CHANNEL_MIX.items():
        rows = np.flatnonzero(
            (kind == _CODE_OF_KIND[kind_])
            & (customer_started if started is Direction.INBOUND else ~customer_started)
        )
        codes = np.array([_CODE_OF_CHANNEL[c] for c in mix], dtype=np.int8)
        out[rows] = codes[categorical(rng, rows.shape[0], list(mix.values()))]
    return out


# -- step 2: orders ---------------------------------------------------------------------------


@dataclass(slots=True)
class Orders:
    """Every purchase, with what follows it."""

    who: I64
    time: I64
    amount: I64
    channel: NDArray[np.int8]
    complained: Mask
    complaint_delay: I64

    def keep(self, mask: Mask) -> None:
        """Drop the orders where ``mask`` is false."""
        for name in ("who", "time", "amount", "channel", "complained", "complaint_delay"):
            setattr(self, name, getattr(self, name)[mask])


def convert_first(cfg: SynthConfig) -> bool:
    """Whether the paradigm puts buying before engaging."""
    return cfg.paradigm.index(Stage.CONVERTED) < cfg.paradigm.index(Stage.ENGAGED)


def _orders(cfg: SynthConfig, rng: np.random.Generator, people: People) -> Orders:
    life = people.life
    n = cfg.n_customers
    buyer = bernoulli(rng, n, cfg.purchase_rate)
    paradigm = "convert_first" if convert_first(cfg) else "nurture_first"
    first = life.a1 + _delays(rng, n, _MEAN_DAYS[f"first_purchase_{paradigm}"])
    buys = buyer & (first <= life.b1_in)
    # Repeats: geometric, continuing with probability q; the odds of q scale with sqrt(activity).
    if cfg.repeat_rate >= 1:
        q = np.ones(n)
    else:
        odds = cfg.repeat_rate / (1.0 - cfg.repeat_rate) * np.sqrt(life.rel)
        q = odds / (1.0 + odds)
    positive = q > 0
    minus_ln_q = 0.0 - ln(np.where(positive, q, 1.0))
    tail = exponential(rng, n, 1.0)
    with np.errstate(divide="ignore"):
        ratio = np.where(positive, tail / minus_ln_q, 0.0)
    repeats = np.floor(np.minimum(ratio, MAX_REPEATS)).astype(np.int64)
    room = (life.b1_in - (first + 1) > 0) | (life.b2 > life.a2)  # as _place measures
    repeats = np.where(room, repeats, 0)
    who, position = _repeat(np.where(buys, 1 + repeats, 0))
    time = first[who]
    again = np.flatnonzero(position > 0)
    time[again] = _place(rng, who[again], first + 1, life.b1_in, life.a2, life.b2)
    size = who.shape[0]
    factor = np.minimum(log_logistic(rng, size, cfg.price_spread), PRICE_CAP)
    steps = np.floor(cfg.price_median * factor / cfg.price_step + 0.5)
    amount = np.maximum(steps, 1).astype(np.int64) * cfg.price_step
    codes = np.array([_CODE_OF_CHANNEL[c] for c in PURCHASE_CHANNEL_MIX], dtype=np.int8)
    channel = codes[categorical(rng, size, list(PURCHASE_CHANNEL_MIX.values()))]
    complained = bernoulli(rng, size, cfg.complaint_rate)
    complaint_delay = _delays(rng, size, _MEAN_DAYS["complaint"])
    orders = Orders(who, time, amount, channel, complained, complaint_delay)
    _complaints_drive_churn(cfg, rng, people, orders)
    return orders


def _follow(life: Life, who: I64, t: I64, delay: I64) -> I64:
    """Return follow-ups ``delay`` after ``t`` (at least 1 µs), within the same active stretch."""
    after = t + 1
    out: I64 = np.minimum(after + delay, np.maximum(after, life.stretch_end(who, t)))
    return out


def _complaints_drive_churn(
    cfg: SynthConfig, rng: np.random.Generator, people: People, orders: Orders
) -> None:
    """Let some complaints make the customer leave a few days later (seed 004: poor service).

    Moves the churn clock forward, recomputes the stretches and drops the orders that no longer
    fall in one.
    """
    life = people.life
    size = orders.who.shape[0]
    angry = orders.complained & bernoulli(rng, size, cfg.complaint_churn)
    leave_delay = _delays(rng, size, _MEAN_DAYS["leave_after_complaint"])
    complaint_at = _follow(life, orders.who, orders.time, orders.complaint_delay)
    leave_at = complaint_at + 1 + leave_delay
    churn = life.churn.copy()
    np.minimum.at(churn, orders.who[angry], leave_at[angry])
    moved = churn < life.churn
    life.churn_reason = np.where(moved, people.angry_reason, life.churn_reason)
    life.churn = churn
    life.set_windows()
    orders.keep(life.active(orders.who, orders.time))


# -- step 3: referrals ------------------------------------------------------------------------


@dataclass(slots=True)
class Referrals:
    """Who brought whom, and when."""

    referrer: NDArray[np.int32]
    at: I64
    generation: NDArray[np.int32]


def _referrals(
    cfg: SynthConfig, rng: np.random.Generator, life: Life, has_order: Mask
) -> Referrals:
    n = cfg.n_customers
    wanted = bernoulli(rng, n, cfg.referral_rate)
    wanted[0] = False  # the first customer has nobody to be brought by
    lead = _delays(rng, n, _MEAN_DAYS["referral_lead"])
    weight = life.rel * np.where(has_order, BUYER_REFERRAL_WEIGHT, 1.0)
    cumulative = np.cumsum(weight)  # sequential: the same sums on every platform
    referrer = np.full(n, -1, dtype=np.int64)
    at = np.zeros(n, dtype=np.int64)
    pending = np.flatnonzero(wanted)
    for _ in range(REFERRAL_TRIES):
        draws = rng.random(pending.shape[0])
        if pending.size == 0:
            continue
        # A referrer among the earlier customers, with probability proportional to weight.
        pick = np.searchsorted(cumulative, draws * cumulative[pending - 1], side="right")
        pick = np.minimum(pick, pending - 1)
        when = np.maximum(life.t0[pick] + 1, life.t0[pending] - lead[pending])
        ok = life.active(pick, when)
        referrer[pending[ok]] = pick[ok]
        at[pending[ok]] = when[ok]
        pending = pending[~ok]
    referred = referrer >= 0
    generation = np.zeros(n, dtype=np.int32)
    parent = np.maximum(referrer, 0)
    while True:  # one pass per generation: referrers always come before those they bring
        deeper = np.where(referred, generation[parent] + 1, 0).astype(np.int32)
        if np.array_equal(deeper, generation):
            break
        generation = deeper
    return Referrals(referrer.astype(np.int32), at, generation)


# -- the brand's calendar ---------------------------------------------------------------------


@dataclass(slots=True)
class Calendar:
    """Content published and events held, in time order, with their item indexes."""

    content_times: I64
    event_times: I64
    event_channels: NDArray[np.int8]
    activities: tuple[PoolActivity, ...]
    item_ids: list[str]


def _first_weekday_at(start: datetime, weekday: int, hour: int) -> datetime:
    """Return the first ``weekday`` (Monday 0) at ``hour``:00 UTC at or after ``start``."""
    day = start.astimezone(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    return day if day >= start else day + timedelta(days=7)


def _calendar(cfg: SynthConfig, start: datetime, end: datetime) -> Calendar:
    operators = operator_ids(cfg.operators)
    topics = [Tag(name=name, group=TagGroup.INTEREST) for name in cfg.interests]
    span = to_micros(end) - to_micros(start)
    gap = cfg.content_cadence.days * DAY / cfg.content_cadence.times
    n_content = max(0, math.ceil(span / gap - 0.5))
    content_times = [to_micros(start) + int((k + 0.5) * gap) for k in range(n_content)]
    content_times = [t for t in content_times if t < to_micros(end)]
    width = len(str(max(len(content_times), 1)))
    posts = []
    for k, t in enumerate(content_times):
        promotion = k % 4 == 3  # every fourth post sells
        posts.append(
            PoolActivity(
                id=f"a-post-{k + 1:0{width}d}",
                at=from_micros(t),
                kind=ActivityKind.CONTENT_PUBLISHED,
                channel=Channel.MOMENTS if k % 2 == 0 else Channel.CUSTOMER_GROUP,
                content_id=f"post-{k + 1:0{width}d}",
                topics=(Tag(name="promotion"),) if promotion else (topics[k % len(topics)],),
                operator_id=operators[k % len(operators)],
            )
        )
    # Rituals: a live stream every ritual_cadence, first on Friday 20:00 Shanghai (12:00 UTC).
    ritual_gap = timedelta(days=cfg.ritual_cadence.days / cfg.ritual_cadence.times)
    held: list[tuple[datetime, bool]] = []
    at = _first_weekday_at(start, 4, 12)
    while at < end:
        held.append((at, True))
        at += ritual_gap
    # Workshops: an offline event in store every four weeks, Saturdays 14:00 Shanghai.
    at = _first_weekday_at(start, 5, 6) + timedelta(days=7)
    while at < end:
        held.append((at, False))
        at += timedelta(days=28)
    held.sort()
    event_width = len(str(max(len(held), 1)))
    events = [
        PoolActivity(
            id=f"a-ev-{k + 1:0{event_width}d}",
            at=when,
            kind=ActivityKind.EVENT_HELD,
            channel=Channel.LIVE_STREAM if ritual else Channel.STORE,
            title="Friday live 周五直播" if ritual else "Store workshop 门店沙龙",
            event_id=f"ev-{k + 1:0{event_width}d}",
            ritual=ritual,
            operator_id=operators[k % len(operators)],
        )
        for k, (when, ritual) in enumerate(held)
    ]
    activities = tuple(sorted([*posts, *events], key=lambda a: (a.at, a.id)))
    item_ids = [str(p.content_id) for p in posts] + [str(e.event_id) for e in events]
    return Calendar(
        np.array(content_times, dtype=np.int64),
        np.array([to_micros(e.at) for e in events], dtype=np.int64),
        np.array([_CODE_OF_CHANNEL[e.channel] for e in events], dtype=np.int8),
        activities,
        item_ids,
    )


# -- step 4: engagement -----------------------------------------------------------------------


def _content_items(rng: np.random.Generator, calendar: Calendar, time: I64) -> NDArray[np.int64]:
    """Return the content a view or reaction at ``time`` is about (-1 before any was published)."""
    latest = np.searchsorted(calendar.content_times, time, side="right") - 1
    lag = categorical(rng, time.shape[0], CONTENT_LAG_MIX)
    out: NDArray[np.int64] = np.where(latest >= 0, np.maximum(latest - lag, 0), -1)
    return out


def _engagement(
    cfg: SynthConfig,
    rng: np.random.Generator,
    people: People,
    calendar: Calendar,
    budget: int,
) -> list[Rows]:
    life = people.life
    n = cfg.n_customers
    if convert_first(cfg):
        delay = _delays(rng, n, _MEAN_DAYS["engage_delay_convert_first"])
    else:
        delay = np.zeros(n, dtype=np.int64)
    a1 = np.minimum(life.a1 + delay, life.b1_in + 1)
    second = np.maximum(life.b2 - life.a2, 0).astype(np.float64)
    length_in = np.maximum(life.b1_in - a1, 0) + second
    length_out = np.maximum(life.b1_out - life.a1, 0) + second
    weight_in = life.rel * ((1.0 + people.n_interests) / 2.0) * length_in
    weight_out = np.sqrt(life.rel) * length_out
    streams = []
    for share, weight, inbound in (
        (1.0 - cfg.outbound_share, weight_in, True),
        (cfg.outbound_share, weight_out, False),
    ):
        total = fsum(weight)
        expected = weight * (budget * share / total) if total > 0 else np.zeros(n)
        who, _ = _repeat(stochastic_round(expected, rng))
        if inbound:
            time = _place(rng, who, a1, life.b1_in, life.a2, life.b2)
            streams.append(
                _inbound_rows(cfg, rng, life=life, calendar=calendar, who=who, time=time, a1=a1)
            )
        else:
            time = _place(rng, who, life.a1, life.b1_out, life.a2, life.b2)
            streams.append(_outbound_rows(rng, who, time))
    return streams


def _inbound_rows(  # noqa: PLR0913 - the step's inputs, each used
    cfg: SynthConfig,
    rng: np.random.Generator,
    *,
    life: Life,
    calendar: Calendar,
    who: I64,
    time: I64,
    a1: I64,
) -> Rows:
    size = who.shape[0]
    codes = np.array([_CODE_OF_KIND[k] for k in cfg.engagement_mix], dtype=np.int8)
    kind = codes[categorical(rng, size, list(cfg.engagement_mix.values()))]
    # Event attendance: the latest event held before the drawn time, if it was held while the
    # customer was active; otherwise they viewed content instead.
    attend = np.flatnonzero(kind == _CODE_OF_KIND[InteractionKind.EVENT_ATTEND])
    t = time[attend]
    held = np.searchsorted(calendar.event_times, t, side="right") - 1
    event_at = calendar.event_times[np.maximum(held, 0)] if calendar.event_times.size else t
    stretch_start = np.where(t <= life.b1_in[who[attend]], a1[who[attend]], life.a2[who[attend]])
    ok = (held >= 0) & (event_at >= stretch_start)
    during = np.floor(rng.random(attend.shape[0]) * np.minimum(HOUR, t - event_at + 1))
    time[attend[ok]] = event_at[ok] + during[ok].astype(np.int64)
    kind[attend[~ok]] = _CODE_OF_KIND[InteractionKind.CONTENT_VIEW]
    group_posts = kind == _CODE_OF_KIND[InteractionKind.GROUP_POST]
    peer_able = group_posts | (kind == _CODE_OF_KIND[InteractionKind.REACTION])
    peer = peer_able & bernoulli(rng, size, cfg.peer_share)
    direction = np.where(peer, _PEER_CODE, _INBOUND_CODE).astype(np.int8)
    channel = _channels(rng, kind, direction)
    n_content = calendar.content_times.shape[0]
    item = np.full(size, -1, dtype=np.int64)
    item[attend[ok]] = n_content + held[ok]
    channel[attend[ok]] = calendar.event_channels[held[ok]]
    viewed = np.flatnonzero(kind == _CODE_OF_KIND[InteractionKind.CONTENT_VIEW])
    item[viewed] = _content_items(rng, calendar, time[viewed])
    reacted = np.flatnonzero(kind == _CODE_OF_KIND[InteractionKind.REACTION])
    named = bernoulli(rng, reacted.shape[0], REACTION_TO_CONTENT)
    item[reacted[named]] = _content_items(rng, calendar, time[reacted[named]])
    return Rows(
        who,
        time,
        {"kind": kind, "direction": direction, "channel": channel, "item": item},
    )


def _courting(
    cfg: SynthConfig,
    rng: np.random.Generator,
    life: Life,
    calendar: Calendar,
    orders: Orders,
) -> Rows:
    """Nurture-first buyers court before they buy: one or two engagements before the first order.

    Empty under a convert-first paradigm.
    """
    n = cfg.n_customers
    buyers, first = np.unique(orders.who, return_index=True)
    bought_at = np.full(n, life.last, dtype=np.int64)
    bought_at[buyers] = orders.time[first]
    counts = np.zeros(n, dtype=np.int64)
    extra = bernoulli(rng, buyers.shape[0], 0.5)
    if not convert_first(cfg):
        counts[buyers] = np.where(bought_at[buyers] - 1 > life.a1[buyers], 1 + extra, 0)
    who, _ = _repeat(counts)
    nothing = np.full(n, life.last + 1, dtype=np.int64)
    time = _place(rng, who, life.a1, bought_at - 1, nothing, nothing - 1)
    return _inbound_rows(cfg, rng, life=life, calendar=calendar, who=who, time=time, a1=life.a1)


def _outbound_rows(rng: np.random.Generator, who: I64, time: I64) -> Rows:
    size = who.shape[0]
    codes = np.array([_CODE_OF_KIND[k] for k in OUTBOUND_MIX], dtype=np.int8)
    kind = codes[categorical(rng, size, list(OUTBOUND_MIX.values()))]
    direction = np.full(size, _OUTBOUND_CODE, dtype=np.int8)
    return Rows(
        who,
        time,
        {
            "kind": kind,
            "direction": int(_OUTBOUND_CODE),
            "channel": _channels(rng, kind, direction),
        },
    )


# -- the whole pool ---------------------------------------------------------------------------


@dataclass(slots=True)
class Draft:
    """Everything :func:`build` makes: sorted columns, ids and per-customer facts."""

    columns: dict[str, NDArray[np.integer[Any]]]
    customer_ids: tuple[str, ...]
    item_ids: tuple[str, ...]
    interests: NDArray[np.uint32]
    sources: NDArray[np.int8]
    referrer: NDArray[np.int32]
    generation: NDArray[np.int32]
    activities: tuple[PoolActivity, ...]
    operator_ids: tuple[str, ...]
    group_ids: tuple[str, ...]


def _order_rows(
    cfg: SynthConfig,
    rng: np.random.Generator,
    life: Life,
    orders: Orders,
    n_items_before: int,
) -> tuple[list[Rows], list[str]]:
    """Purchases (with store visits before store orders), complaints, refunds."""
    size = orders.who.shape[0]
    # Order ids number the orders in time order.
    by_time = np.argsort(orders.time, kind="stable")
    rank = np.empty(size, dtype=np.int64)
    rank[by_time] = np.arange(size, dtype=np.int64)
    width = len(str(max(size, 1)))
    order_ids = [f"o-{k + 1:0{width}d}" for k in range(size)]
    item = n_items_before + rank
    store = np.flatnonzero(orders.channel == _CODE_OF_CHANNEL[Channel.STORE])
    lead = np.floor(rng.random(store.shape[0]) * (30 * MINUTE)).astype(np.int64)
    t_store = orders.time[store]
    visit_at = np.maximum(t_store - lead, life.stretch_start(orders.who[store], t_store))
    visits = Rows(
        orders.who[store],
        visit_at,
        {
            "kind": int(_CODE_OF_KIND[InteractionKind.STORE_VISIT]),
            "direction": int(_INBOUND_CODE),
            "channel": int(_CODE_OF_CHANNEL[Channel.STORE]),
        },
    )
    purchases = Rows(
        orders.who,
        orders.time,
        {
            "kind": int(_CODE_OF_KIND[InteractionKind.PURCHASE]),
            "direction": int(_INBOUND_CODE),
            "channel": orders.channel,
            "amount": orders.amount,
            "item": item,
        },
    )
    c = np.flatnonzero(orders.complained)
    reasons = np.array([tuple(ComplaintReason).index(r) for r in COMPLAINT_REASON_MIX])
    complaints = Rows(
        orders.who[c],
        _follow(life, orders.who[c], orders.time[c], orders.complaint_delay[c]),
        {
            "kind": int(_CODE_OF_KIND[InteractionKind.COMPLAINT]),
            "direction": int(_INBOUND_CODE),
            "channel": int(_CODE_OF_CHANNEL[Channel.WECOM_CHAT]),
            "reason": reasons[categorical(rng, c.shape[0], list(COMPLAINT_REASON_MIX.values()))],
        },
    )
    chance = np.where(
        orders.complained, min(1.0, REFUND_AFTER_COMPLAINT * cfg.refund_rate), cfg.refund_rate
    )
    r = np.flatnonzero(rng.random(size) < chance)
    after_complaint = (
        orders.complaint_delay + 1 + _delays(rng, size, _MEAN_DAYS["refund_after_complaint"])
    )
    plain = _delays(rng, size, _MEAN_DAYS["refund"])
    delay = np.where(orders.complained, after_complaint, plain)[r]
    paid = orders.amount[r]
    partial = 1 + np.floor(rng.random(r.shape[0]) * (paid - 1)).astype(np.int64)
    full = bernoulli(rng, r.shape[0], FULL_REFUND)
    outbound = bernoulli(rng, r.shape[0], REFUND_OUTBOUND)
    refunds = Rows(
        orders.who[r],
        _follow(life, orders.who[r], orders.time[r], delay),
        {
            "kind": int(_CODE_OF_KIND[InteractionKind.REFUND]),
            "direction": np.where(outbound, _OUTBOUND_CODE, _INBOUND_CODE).astype(np.int8),
            "channel": orders.channel[r],
            "amount": np.where(full, paid, partial),
            "item": item[r],
        },
    )
    return [visits, purchases, complaints, refunds], order_ids


def _nps_rows(
    cfg: SynthConfig,
    rng: np.random.Generator,
    life: Life,
    orders: Orders,
    mood: I64,
) -> Rows:
    """NPS answers after some orders; ``mood`` per customer: 0 unhappy, 1 advocate, 2 base."""
    size = orders.who.shape[0]
    answered = np.flatnonzero(bernoulli(rng, size, cfg.nps_response_rate))
    delay = _delays(rng, size, _MEAN_DAYS["nps"])[answered]
    who = orders.who[answered]
    score = np.zeros(answered.shape[0], dtype=np.int8)
    for code, weights in enumerate(NPS_MIX.values()):
        rows = np.flatnonzero(mood[who] == code)
        score[rows] = categorical(rng, rows.shape[0], weights)
    return Rows(
        who,
        _follow(life, who, orders.time[answered], delay),
        {
            "kind": int(_CODE_OF_KIND[InteractionKind.NPS]),
            "direction": int(_INBOUND_CODE),
            "channel": int(_CODE_OF_CHANNEL[Channel.MINI_PROGRAM]),
            "score": score,
        },
    )


def _membership_rows(
    cfg: SynthConfig, people: People, referrals: Referrals, end: int
) -> tuple[Rows, Rows, Rows, NDArray[np.int8]]:
    """First connections, churns and reconnections."""
    life = people.life
    n = cfg.n_customers
    referred = referrals.referrer >= 0
    referral = _CODE_OF_SOURCE[SourceChannel.REFERRAL]
    source = np.where(referred, referral, people.source).astype(np.int8)
    customer_started = referred | ~people.connect_outbound
    direction = np.where(customer_started, _INBOUND_CODE, _OUTBOUND_CODE).astype(np.int8)
    connects = Rows(
        np.arange(n, dtype=np.int64),
        life.t0,
        {
            "kind": int(_CODE_OF_KIND[InteractionKind.CONNECT]),
            "direction": direction,
            "channel": _CONNECT_CHANNEL_BY_CODE[source],
            "source": source,
        },
    )
    gone = np.flatnonzero(life.churn <= end)
    reason = life.churn_reason[gone]
    removed = reason == tuple(ChurnReason).index(ChurnReason.REMOVED)
    left_group = reason == tuple(ChurnReason).index(ChurnReason.LEFT_GROUP)
    churns = Rows(
        gone,
        life.churn[gone],
        {
            "kind": int(_CODE_OF_KIND[InteractionKind.CHURN]),
            "direction": np.where(removed, _OUTBOUND_CODE, _INBOUND_CODE).astype(np.int8),
            "channel": np.where(
                left_group,
                _CODE_OF_CHANNEL[Channel.CUSTOMER_GROUP],
                _CODE_OF_CHANNEL[Channel.WECOM_CHAT],
            ).astype(np.int8),
            "reason": reason,
        },
    )
    back = np.flatnonzero(life.a2 <= life.b2)
    back_source = people.back_source[back]
    back_outbound = people.back_outbound[back]
    reconnects = Rows(
        back,
        life.a2[back] - 1,
        {
            "kind": int(_CODE_OF_KIND[InteractionKind.CONNECT]),
            "direction": np.where(back_outbound, _OUTBOUND_CODE, _INBOUND_CODE).astype(np.int8),
            "channel": _CONNECT_CHANNEL_BY_CODE[back_source],
            "source": back_source,
        },
    )
    return connects, churns, reconnects, source


def _referral_rows(referrals: Referrals) -> Rows:
    child = np.flatnonzero(referrals.referrer >= 0)
    parent = referrals.referrer[child].astype(np.int64)
    order = np.argsort(parent, kind="stable")
    return Rows(
        parent[order],
        referrals.at[child][order],
        {
            "kind": int(_CODE_OF_KIND[InteractionKind.REFERRAL]),
            "direction": int(_INBOUND_CODE),
            "channel": int(_CODE_OF_CHANNEL[Channel.WECOM_CHAT]),
            "referred": child[order],
        },
    )


def _sorted_order(customer: I64, time: I64, n_customers: int, start: int, span: int) -> I64:
    """Return the permutation sorting rows by customer, then time, then stream order.

    Each stream is already sorted by customer, so a stable argsort of the customer column
    merges a few runs (fast). Within customers, a stable argsort of ``customer * span + time``
    per chunk of customers small enough for that key to fit in int64.
    """
    grouped = np.argsort(customer, kind="stable")
    customer = customer[grouped]
    time = time[grouped]
    per_chunk = max(1, (1 << 62) // span)
    bounds = np.searchsorted(customer, np.arange(0, n_customers + per_chunk, per_chunk))
    order = np.empty_like(grouped)
    for chunk, (low, high) in enumerate(itertools.pairwise(bounds)):
        if low == high:
            continue
        key = (customer[low:high] - chunk * per_chunk) * span + (time[low:high] - start)
        order[low:high] = grouped[low:high][np.argsort(key, kind="stable")]
    return order


def _periodic_hits(
    cfg: SynthConfig, rng: np.random.Generator, life: Life, orders: Orders
) -> list[PoolActivity]:
    """Add each campaign's copied orders to ``orders``; return the campaigns (seed 002)."""
    if cfg.campaign_every_days == 0:
        return []
    spans = campaign_spans(
        cfg.start, cfg.end, every_days=cfg.campaign_every_days, days=cfg.campaign_days
    )
    source, at = campaign_copies(rng, spans, orders.time, cfg.campaign_lift)
    keep = life.active(orders.who[source], at)
    source, at = source[keep], at[keep]
    orders.who = np.concatenate([orders.who, orders.who[source]])
    orders.time = np.concatenate([orders.time, at])
    orders.amount = np.concatenate([orders.amount, orders.amount[source]])
    orders.channel = np.concatenate([orders.channel, orders.channel[source]])
    orders.complained = np.concatenate([orders.complained, np.zeros(source.shape[0], bool)])
    orders.complaint_delay = np.concatenate(
        [orders.complaint_delay, orders.complaint_delay[source]]
    )
    return campaign_activities(spans, operator_ids(cfg.operators))


def _walk_ins(
    cfg: SynthConfig,
    rng: np.random.Generator,
    life: Life,
    first_source: NDArray[np.int8],
    start: int,
) -> Rows:
    """Store visits before joining (seed 003): captured on the spot, or joined later."""
    in_store = first_source == _CODE_OF_SOURCE[SourceChannel.STORE]
    who, at = walk_in_times(rng, life.t0, in_store, rate=cfg.walk_in_rate, start=start)
    back_at = np.where(life.a2 <= life.b2, life.a2 - 1, life.last + 1)
    lapsed, lapsed_at = lapsed_walk_in_times(
        rng, life.churn, back_at, rate=cfg.walk_in_rate, last=life.last
    )
    who, at = np.concatenate([who, lapsed]), np.concatenate([at, lapsed_at])
    return Rows(
        who,
        at,
        {
            "kind": int(_CODE_OF_KIND[InteractionKind.STORE_VISIT]),
            "direction": int(_INBOUND_CODE),
            "channel": int(_CODE_OF_CHANNEL[Channel.STORE]),
        },
    )


BUILD_STEPS: Final = 12
"""The steps :func:`build` reports to its ticker (one :meth:`Ticker.step` each)."""


def build(  # noqa: PLR0915 - the recipe, step by step, each step reported
    cfg: SynthConfig, rng: np.random.Generator, ticker: Ticker | None = None
) -> Draft:
    """Run every step and return sorted columns ready for ``EventTable.from_arrays``.

    ``ticker`` hears of each of the :data:`BUILD_STEPS` steps as it ends (it draws nothing).
    """

    def tick() -> None:
        if ticker is not None:
            ticker.step()

    # The 8th (operators) and 9th (periodic hits, walk-ins) were added last: no shift.
    steps = [_child(rng) for _ in range(9)]
    start, end = to_micros(cfg.start), to_micros(cfg.end)
    n = cfg.n_customers
    calendar = _calendar(cfg, cfg.start, cfg.end)
    people = _customers(cfg, steps[0], start, end)
    life = people.life
    tick()
    orders = _orders(cfg, steps[1], people)
    hits = _periodic_hits(cfg, steps[8], life, orders)
    tick()
    has_order = np.bincount(orders.who, minlength=n) > 0
    referrals = _referrals(cfg, steps[2], life, has_order)
    tick()
    order_streams, order_ids = _order_rows(cfg, steps[3], life, orders, len(calendar.item_ids))
    tick()
    complained = np.bincount(orders.who[orders.complained], minlength=n) > 0
    referred_someone = np.bincount(referrals.referrer[referrals.referrer >= 0], minlength=n) > 0
    mood = np.where(complained, 0, np.where(referred_someone, 1, 2))
    nps = _nps_rows(cfg, steps[4], life, orders, mood)
    tick()
    courting = _courting(cfg, steps[6], life, calendar, orders)
    tick()
    connects, churns, reconnects, first_source = _membership_rows(cfg, people, referrals, end)
    referral_rows = _referral_rows(referrals)
    structural = [connects, courting, *order_streams, nps, referral_rows]
    if cfg.walk_in_rate > 0:
        structural.append(_walk_ins(cfg, steps[8], life, first_source, start))
    tick()
    used = sum(len(s) for s in structural) + len(churns) + len(reconnects)
    budget = max(0, round(n * cfg.events_per_customer) - used)
    engagement = _engagement(cfg, steps[5], people, calendar, budget)
    tick()
    streams = [*structural, *engagement, churns, reconnects]
    customer = np.concatenate([s.customer for s in streams])
    time = np.concatenate([s.time for s in streams])
    order = _sorted_order(customer, time, n, start, end - start + 1)
    tick()
    columns: dict[str, NDArray[np.integer[Any]]] = {
        "customer": customer[order].astype(np.int32),
        "time": time[order],
    }
    del customer, time
    for name, dtype in _COLUMN_DTYPES.items():
        if name not in columns and name not in {"operator", "group"}:
            columns[name] = np.concatenate([s.column(name) for s in streams], dtype=dtype)[order]
    tick()
    back_at = np.where(life.a2 <= life.b2, life.a2 - 1, end + 1)
    columns["operator"], columns["group"] = staff_columns(
        steps[7],
        columns,
        back_at,
        n_customers=n,
        operators=cfg.operators,
        group_size=cfg.group_size,
    )
    tick()
    width = len(str(max(n - 1, 0)))
    draft = Draft(
        columns=columns,
        customer_ids=tuple(f"c-{k:0{width}d}" for k in range(n)),
        item_ids=(*calendar.item_ids, *order_ids),
        interests=people.interests,
        sources=first_source,
        referrer=referrals.referrer,
        generation=referrals.generation,
        activities=tuple(sorted([*calendar.activities, *hits], key=lambda a: (a.at, a.id))),
        operator_ids=operator_ids(cfg.operators),
        group_ids=group_ids(n, cfg.group_size),
    )
    tick()
    return draft
