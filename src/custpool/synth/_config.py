"""The configuration of a synthetic pool: :class:`SynthConfig` and the checks of its fields.

Every field is checked, and normalised, when a config is built; a bad one raises
:class:`~custpool.ValidationError` naming it. :func:`check_integer` is shared: ``generate``
checks its ``seed`` with it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from numbers import Integral, Real
from types import MappingProxyType
from typing import Final, TypeVar

from pydantic import ValidationError as PydanticValidationError

from custpool._errors import ValidationError, WrongTypeError
from custpool._fields import check_text
from custpool._model import (
    CURRENCY_MINOR_UNITS,
    Cadence,
    InteractionKind,
    SourceChannel,
    normalize_tag_name,
)
from custpool._tiers import NURTURE_FIRST, Paradigm

__all__ = [
    "DEFAULT_END",
    "DEFAULT_START",
    "ENGAGEMENT_KINDS",
    "SynthConfig",
    "check_integer",
]

DEFAULT_START: Final = datetime(2025, 1, 1, tzinfo=UTC)
"""Default start of a synthetic pool's period (fixed, never "now")."""
DEFAULT_END: Final = datetime(2026, 1, 1, tzinfo=UTC)
"""Default end of a synthetic pool's period."""
ENGAGEMENT_KINDS: Final = (
    InteractionKind.MESSAGE,
    InteractionKind.GROUP_POST,
    InteractionKind.REACTION,
    InteractionKind.CONTENT_VIEW,
    InteractionKind.EVENT_ATTEND,
    InteractionKind.STORE_VISIT,
)
"""The kinds of customer-initiated engagement that ``SynthConfig.engagement_mix`` weighs."""

_MAX_CUSTOMERS: Final = 100_000_000
_MAX_PER_DAY: Final = 24.0
_MAX_EVENTS: Final = 2**31
_MAX_ACTIVITIES: Final = 100_000
_MAX_INTERESTS: Final = 32
_MAX_SPREAD: Final = 0.95
_EARLIEST: Final = datetime(1900, 1, 1, tzinfo=UTC)
_LATEST: Final = datetime(2169, 1, 1, tzinfo=UTC)

_SOURCE_MIX: Final = MappingProxyType(
    {
        SourceChannel.STORE: 0.30,
        SourceChannel.ECOMMERCE: 0.25,
        SourceChannel.LIVE_STREAM: 0.15,
        SourceChannel.MINI_PROGRAM: 0.10,
        SourceChannel.CONTENT: 0.08,
        SourceChannel.ADVERTISING: 0.06,
        SourceChannel.EVENT: 0.04,
        SourceChannel.PHONE: 0.02,
    }
)
_ENGAGE_MIX: Final = MappingProxyType(
    {
        InteractionKind.MESSAGE: 0.25,
        InteractionKind.GROUP_POST: 0.20,
        InteractionKind.REACTION: 0.20,
        InteractionKind.CONTENT_VIEW: 0.25,
        InteractionKind.EVENT_ATTEND: 0.05,
        InteractionKind.STORE_VISIT: 0.05,
    }
)
_INTERESTS: Final = MappingProxyType(
    {"咖啡": 0.85, "latte art": 0.30, "single origin": 0.20, "cold brew": 0.25, "tea": 0.10}
)
_RATES: Final = (
    "outbound_share",
    "peer_share",
    "purchase_rate",
    "repeat_rate",
    "refund_rate",
    "complaint_rate",
    "complaint_churn",
    "referral_rate",
    "nps_response_rate",
    "churn_rate",
    "reconnect_rate",
    "dormancy_rate",
)


_Key = TypeVar("_Key")

# -- validation helpers -----------------------------------------------------------------------


def check_integer(name: str, value: object, low: int, high: int) -> int:
    """Return ``value`` as an ``int`` from ``low`` to ``high``, or raise an error naming ``name``.

    Raises
    ------
    custpool.WrongTypeError
        If ``value`` is not an integer (``bool`` is refused).
    custpool.ValidationError
        If it is out of range.
    """
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise WrongTypeError(name, value, f"must be an integer from {low:,} to {high:,}")
    number = int(value)
    if not low <= number <= high:
        raise ValidationError(name, value, f"must be an integer from {low:,} to {high:,}")
    return number


def _real(  # noqa: PLR0913 - the bounds and whether each is open
    name: str,
    value: object,
    low: float,
    high: float,
    *,
    low_open: bool = False,
    rule: str | None = None,
) -> float:
    text = rule or f"must be a number from {low:g} to {high:g}"
    if isinstance(value, bool) or not isinstance(value, Real):
        raise WrongTypeError(name, value, text)
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high or (low_open and number == low):
        raise ValidationError(name, value, text)
    return number


def _aware(name: str, value: object) -> datetime:
    if not isinstance(value, datetime):
        raise WrongTypeError(name, value, "must be an aware datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(name, value, "must be timezone-aware; add tzinfo (e.g. datetime.UTC)")
    moment = value.astimezone(UTC)
    if not _EARLIEST <= moment <= _LATEST:
        raise ValidationError(name, value, "must be from 1900-01-01 to 2169-01-01 (UTC)")
    return moment


def _mix(
    name: str, value: object, convert: type[_Key], allowed: tuple[_Key, ...]
) -> Mapping[_Key, float]:
    if not isinstance(value, Mapping):
        raise WrongTypeError(name, value, "must be a mapping of names to non-negative weights")
    out: dict[_Key, float] = {}
    for key, weight in value.items():
        entry = f"{name}[{str(key)!r}]" if isinstance(key, str) else f"{name}[{key!r}]"
        try:
            member = convert(key)  # type: ignore[call-arg]
        except ValueError:
            member = None
        if member is None or member not in allowed:
            names = ", ".join(str(a) for a in allowed)
            shown = str(key) if isinstance(key, str) else key
            raise ValidationError(entry, shown, f"must be one of: {names}")
        out[member] = _real(entry, weight, 0.0, 1e9, rule="must be a weight >= 0")
    if not out or math.fsum(out.values()) <= 0:
        raise ValidationError(name, dict(value), "needs at least one positive weight")
    return MappingProxyType(out)


def _interests(value: object) -> Mapping[str, float]:
    if not isinstance(value, Mapping):
        raise WrongTypeError("interests", value, "must be a mapping of interest names to shares")
    out: dict[str, float] = {}
    for raw, share in value.items():
        try:
            name = normalize_tag_name(raw) if isinstance(raw, str) else None
        except ValueError as error:
            raise ValidationError(f"interests[{raw!r}]", raw, str(error)) from None
        if name is None:
            raise WrongTypeError(f"interests[{raw!r}]", raw, "must be an interest name (str)")
        if name in out:
            raise ValidationError(f"interests[{raw!r}]", raw, f"repeats interest {name!r}")
        out[name] = _real(f"interests[{raw!r}]", share, 0.0, 1.0)
    if not 1 <= len(out) <= _MAX_INTERESTS:
        rule = f"must name 1 to {_MAX_INTERESTS} interests (the pool's shared interest first)"
        raise ValidationError("interests", dict(value), rule)
    return MappingProxyType(out)


def _cadence(name: str, value: object) -> Cadence:
    try:
        cadence = value if isinstance(value, Cadence) else Cadence.model_validate(value)
    except PydanticValidationError:
        rule = "must be a Cadence, e.g. {'times': 3, 'days': 7}"
        raise ValidationError(name, value, rule) from None
    if cadence.times / cadence.days > _MAX_PER_DAY:
        raise ValidationError(name, value, f"must be at most {_MAX_PER_DAY:g} per day")
    return cadence


def _paradigm(value: object) -> Paradigm:
    if isinstance(value, Paradigm):
        return value
    try:
        return Paradigm.model_validate(value)
    except PydanticValidationError:
        rule = "must be a Paradigm or the name of a built-in one (nurture_first, convert_first)"
        raise ValidationError("paradigm", value, rule) from None


# -- the configuration ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SynthConfig:
    """What a synthetic pool looks like: its size, period, paradigm and every rate.

    Every argument is checked when the config is built (also by :func:`dataclasses.replace`),
    and a bad one raises :class:`~custpool.ValidationError` naming it. Rates are numbers from
    0 to 1; the defaults give a plausible coffee-brand community of one year.

    Parameters
    ----------
    n_customers
        How many customers (1 to 100,000,000). Customer ``k`` is the ``k``-th to join.
    events_per_customer
        Target mean number of events per customer, all kinds counted. Order, referral and
        membership events come first; engagement and outbound touches fill the rest, so the
        target is met whenever it exceeds those (by default it is met to within a fraction of a
        percent).
    start, end
        The period, aware datetimes (stored in UTC), at least one day apart. Every event falls
        within ``[start, end]``. The defaults are fixed (2025-01-01 to 2026-01-01 UTC), never
        "now".
    paradigm
        :data:`~custpool.NURTURE_FIRST` (engage, then buy after about a month) or
        :data:`~custpool.CONVERT_FIRST` (buy within a day or so, engage after about two weeks);
        any paradigm that puts CONVERTED before ENGAGED behaves like convert-first. A built-in
        paradigm's name is accepted too.
    currency
        ISO 4217 code of the amounts (``CNY``).
    price_median, price_step
        Median order amount and the step amounts are rounded to, both in minor units
        (8,800 and 100: 88.00 CNY, whole yuan).
    price_spread
        Spread of order amounts (log-logistic shape, 0 to 0.95; 0 makes every order the median).
    activity_spread
        Spread of customers' activity (log-logistic shape, 0 to 0.95): the higher, the heavier
        the tail of very active customers. 0 makes everyone equally active.
    outbound_share
        Share of the engagement budget spent on the brand's outbound touches.
    peer_share
        Share of customers' group posts and reactions that are member to member (peer).
    purchase_rate
        Probability that a customer buys at least once (if still active when they would).
    repeat_rate
        Probability of buying again after each order, for a customer of average activity
        (the odds scale with the square root of the customer's activity).
    refund_rate
        Probability that an order is refunded (``min(1, 10 × refund_rate)`` after a complaint).
    complaint_rate
        Probability that an order draws a complaint.
    complaint_churn
        Probability that a complaint makes the customer leave, about a week later.
    referral_rate
        Probability that a customer joins through a referral by an earlier customer (fission).
    nps_response_rate
        Probability that an order is followed by an NPS answer.
    churn_rate, dormancy_rate
        Hazards per 30 days of churning and of falling silent (no more customer-initiated
        interactions; the brand keeps reaching out).
    reconnect_rate
        Probability that a customer who churned comes back (once) some weeks later.
    source_mix
        Weights of the acquisition sources of customers who were not referred
        (``SourceChannel`` or its value; not ``referral``, which ``referral_rate`` sets).
    engagement_mix
        Weights of the customer-initiated engagement kinds (:data:`ENGAGEMENT_KINDS`).
    interests
        Interest names and the share of customers holding each (at most 32). The first is the
        pool's shared interest; all of them make the charter's interests.
    content_cadence, ritual_cadence
        How often the brand publishes content and holds its ritual live stream (a
        :class:`~custpool.Cadence` or ``{"times": …, "days": …}``; at most 24 per day).
    operators
        How many operators run the pool (1 to 1,000): customers are shared among them at
        random, and the ``operator`` column names who served each CONNECT, CHURN and message.
    group_size
        Customers per customer group (0 to 100,000; 0: no groups). Customers fill the groups in
        the order they join — 200 per group by default — and the ``group`` column names the
        group of each CONNECT, group post, in-group reaction and leaving.
    pool_name
        The charter's name.
    campaign_every_days, campaign_days, campaign_lift
        Periodic hits (seed 002, 周期性爆款): a campaign of ``campaign_days`` days every
        ``campaign_every_days`` days (0, the default: none), each a
        :attr:`~custpool.ActivityKind.CAMPAIGN` activity in :attr:`SynthPool.activities
        <custpool.synth.SynthPool.activities>`, during which each order is copied on average
        ``campaign_lift`` times (0 to 10) by the same customer, so the campaign sells about
        ``1 + campaign_lift`` times as much (see :func:`~custpool.growth_breakdown`).
    walk_in_rate
        Share of customers who visit a store before they first join (seed 003's walk-ins; 0, the
        default: none). Those who join in store were captured minutes after walking in; the
        others walked in about three weeks earlier and joined later through another channel
        (see :func:`~custpool.visitor_capture`).

    Examples
    --------
    >>> from dataclasses import replace
    >>> config = SynthConfig(n_customers=500, paradigm="convert_first", churn_rate=0)
    >>> config.paradigm.name, config.churn_rate, config.start.isoformat()
    ('convert_first', 0.0, '2025-01-01T00:00:00+00:00')
    >>> replace(config, refund_rate=1.5)
    Traceback (most recent call last):
    ...
    custpool.ValidationError: refund_rate=1.5: must be a number from 0 to 1
    """

    n_customers: int = 1_000
    events_per_customer: float = 10.0
    start: datetime = DEFAULT_START
    end: datetime = DEFAULT_END
    paradigm: Paradigm = NURTURE_FIRST
    currency: str = "CNY"
    price_median: int = 8_800
    price_step: int = 100
    price_spread: float = 0.5
    activity_spread: float = 0.6
    outbound_share: float = 0.3
    peer_share: float = 0.3
    purchase_rate: float = 0.4
    repeat_rate: float = 0.4
    refund_rate: float = 0.05
    complaint_rate: float = 0.03
    complaint_churn: float = 0.3
    referral_rate: float = 0.1
    nps_response_rate: float = 0.2
    churn_rate: float = 0.03
    reconnect_rate: float = 0.1
    dormancy_rate: float = 0.05
    source_mix: Mapping[SourceChannel, float] = field(default_factory=lambda: _SOURCE_MIX)
    engagement_mix: Mapping[InteractionKind, float] = field(default_factory=lambda: _ENGAGE_MIX)
    interests: Mapping[str, float] = field(default_factory=lambda: _INTERESTS)
    content_cadence: Cadence = field(default_factory=lambda: Cadence(times=3, days=7))
    ritual_cadence: Cadence = field(default_factory=lambda: Cadence(times=1, days=7))
    operators: int = 2
    group_size: int = 200
    pool_name: str = "Synthetic coffee club 咖啡同好会"
    campaign_every_days: int = 0
    campaign_days: int = 3
    campaign_lift: float = 0.5
    walk_in_rate: float = 0.0

    def __post_init__(self) -> None:
        """Check and normalise every field (raises ``ValidationError`` naming the field)."""
        put = object.__setattr__
        put(self, "n_customers", check_integer("n_customers", self.n_customers, 1, _MAX_CUSTOMERS))
        epc = _real("events_per_customer", self.events_per_customer, 0, 100_000, low_open=True)
        put(self, "events_per_customer", epc)
        start, end = _aware("start", self.start), _aware("end", self.end)
        if end - start < timedelta(days=1):
            raise ValidationError("end", self.end, "must be at least one day after start")
        put(self, "start", start)
        put(self, "end", end)
        put(self, "paradigm", _paradigm(self.paradigm))
        raw: object = self.currency
        code = raw.strip().upper() if isinstance(raw, str) else None
        if code not in CURRENCY_MINOR_UNITS:
            raise ValidationError("currency", self.currency, "must be an ISO 4217 currency code")
        put(self, "currency", code)
        put(self, "price_median", check_integer("price_median", self.price_median, 1, 10**12))
        put(self, "price_step", check_integer("price_step", self.price_step, 1, 10**12))
        for name in ("price_spread", "activity_spread"):
            put(self, name, _real(name, getattr(self, name), 0.0, _MAX_SPREAD))
        for name in _RATES:
            put(self, name, _real(name, getattr(self, name), 0.0, 1.0))
        sources = tuple(s for s in SourceChannel if s is not SourceChannel.REFERRAL)
        put(self, "source_mix", _mix("source_mix", self.source_mix, SourceChannel, sources))
        mix = _mix("engagement_mix", self.engagement_mix, InteractionKind, ENGAGEMENT_KINDS)
        put(self, "engagement_mix", mix)
        put(self, "interests", _interests(self.interests))
        put(self, "content_cadence", _cadence("content_cadence", self.content_cadence))
        put(self, "ritual_cadence", _cadence("ritual_cadence", self.ritual_cadence))
        put(self, "operators", check_integer("operators", self.operators, 1, 1_000))
        put(self, "group_size", check_integer("group_size", self.group_size, 0, 100_000))
        self._check_hits()
        self._check_sizes()
        try:
            put(self, "pool_name", check_text(self.pool_name))
        except (TypeError, ValueError, AttributeError) as error:
            raise ValidationError("pool_name", self.pool_name, str(error)) from None

    def _check_hits(self) -> None:
        put = object.__setattr__
        every = check_integer("campaign_every_days", self.campaign_every_days, 0, 366)
        put(self, "campaign_every_days", every)
        length = check_integer("campaign_days", self.campaign_days, 1, 366)
        if every and length > every:
            rule = f"must be at most campaign_every_days ({every}): campaigns do not overlap"
            raise ValidationError("campaign_days", self.campaign_days, rule)
        put(self, "campaign_days", length)
        put(self, "campaign_lift", _real("campaign_lift", self.campaign_lift, 0.0, 10.0))
        put(self, "walk_in_rate", _real("walk_in_rate", self.walk_in_rate, 0.0, 1.0))

    def _check_sizes(self) -> None:
        if self.n_customers * self.events_per_customer >= _MAX_EVENTS:
            rule = f"n_customers × events_per_customer must be below {_MAX_EVENTS:,}"
            raise ValidationError("events_per_customer", self.events_per_customer, rule)
        days = (self.end - self.start) / timedelta(days=1)
        per_day = sum(c.times / c.days for c in (self.content_cadence, self.ritual_cadence))
        if days * (per_day + 1 / 28) > _MAX_ACTIVITIES:
            rule = (
                f"with these cadences the period would hold over {_MAX_ACTIVITIES:,} pool "
                "activities; shorten the period or lower content_cadence and ritual_cadence"
            )
            raise ValidationError("end", self.end, rule)

    def __hash__(self) -> int:
        """Hash by value (the mappings are read-only)."""
        return hash(
            tuple(
                tuple(v.items()) if isinstance(v, Mapping) else v
                for v in (getattr(self, f) for f in self.__dataclass_fields__)
            )
        )
