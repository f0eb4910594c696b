"""Building blocks of the strategies: default bounds, and cached id, time, text and money draws.

The default time bounds (:data:`DEFAULT_MIN_TIME`, :data:`DEFAULT_MAX_TIME`) and the small
strategies every other part draws from: generated ids, aware timestamps in a few offsets, Latin and
Chinese words and texts, and amounts in a currency's minor units. Strategies used inside composites
are built once and cached. This is the first part :mod:`custpool.strategies` imports after the
``from_type`` registration, so it is where a missing Hypothesis is reported helpfully.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from functools import cache
from typing import TYPE_CHECKING, Final

from custpool._model import CURRENCY_MINOR_UNITS, Money

try:
    # After register_type_strategies is bound in the package: see custpool.strategies._from_type.
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised only without the testing extra
    msg = "custpool.strategies needs Hypothesis: pip install 'custpool[testing]'"
    raise ImportError(msg) from exc

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

__all__ = [
    "DEFAULT_MAX_AMOUNT",
    "DEFAULT_MAX_TIME",
    "DEFAULT_MIN_TIME",
    "FREE_ORDER_ODDS",
    "TAG_ASCII",
    "avoiding",
    "aware",
    "aware_times",
    "generated_ids",
    "money_in",
    "numbered",
    "offsets",
    "positive_units",
    "purchase_money",
    "purchase_units",
    "texts",
    "unit_bounds",
    "words",
]

DEFAULT_MIN_TIME: Final = datetime(2020, 1, 1, tzinfo=UTC)
"""Default lower bound of generated timestamps (inclusive)."""
DEFAULT_MAX_TIME: Final = datetime(2030, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
"""Default upper bound of generated timestamps (inclusive)."""

_OFFSETS: Final[tuple[tzinfo, ...]] = (
    UTC,
    timezone(timedelta(hours=8), "CST"),  # China Standard Time, the pools' home zone
    timezone(timedelta(hours=-5)),
)
"""Offsets generated timestamps are expressed in (the models normalise them to UTC)."""

DEFAULT_MAX_AMOUNT: Final = Decimal(100_000)
"""Default upper bound of :func:`~custpool.strategies.money`, and the largest interaction amount."""
FREE_ORDER_ODDS: Final = 8
"""About one generated purchase in this many is a free order (amount 0: a gift, a 0元 trial)."""

_ID_ALPHABET: Final = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"
TAG_ASCII: Final = "abcdefghijklmnopqrstuvwxyz0123456789-_."
"""The ASCII characters of Latin tag words (tag names are normalised to lower case)."""
_TEXT_ASCII: Final = TAG_ASCII + "ABCDEFGHIJKLMNOPQRSTUVWXYZ!?,&'()"
# A few characters beyond ASCII and CJK that real names carry; all are NFKC- and casefold-stable.
_EXTRA_CHARS: Final = "éüñçøå☕🎉"


# Strategies used inside composites are built once and cached: building a fresh strategy on every
# draw costs far more than drawing from it.


@cache
def generated_ids(prefix: str) -> st.SearchStrategy[str]:
    return st.text(_ID_ALPHABET, min_size=1, max_size=8).map(prefix.__add__)


def avoiding(excluded: Iterable[str]) -> Callable[[str], str]:
    """Map generated ids away from ``excluded`` (no rejection: it appends zeros)."""
    taken = frozenset(excluded)

    def other(candidate: str) -> str:
        while candidate in taken:
            candidate += "0"
        return candidate

    return other


def numbered(prefix: str, start: int, width: int) -> Callable[[int], str]:
    """Name the n-th item ``prefix`` + zero-padded ``start + n``, so names sort like numbers."""

    def name(n: int) -> str:
        return f"{prefix}{start + n:0{width}d}"

    return name


def aware(instant: datetime, zone: tzinfo) -> datetime:
    """Express a naive UTC ``instant`` in ``zone`` (the same instant, another offset)."""
    utc = instant.replace(tzinfo=UTC)
    try:
        return utc.astimezone(zone)
    except OverflowError:  # within hours of datetime.min/max: keep UTC
        return utc


@cache
def offsets() -> st.SearchStrategy[tzinfo]:
    return st.sampled_from(_OFFSETS)


@cache
def _instants(low: datetime, high: datetime) -> st.SearchStrategy[datetime]:
    """Naive datetimes in ``[low, high]``, read as UTC instants."""
    return st.datetimes(min_value=low, max_value=high)


@cache
def aware_times(low: datetime, high: datetime) -> st.SearchStrategy[datetime]:
    # The bounds are UTC: drawing the UTC instant and only then moving it to another offset keeps
    # the *instant* inside [low, high] whatever the offset (st.datetimes(timezones=...) would
    # bound the local wall-clock time instead).
    return st.builds(aware, _instants(low, high), offsets())


@cache
def words(ascii_chars: str, max_words: int, max_chars: int) -> st.SearchStrategy[str]:
    """One to ``max_words`` words, single-spaced: Latin, Chinese, or mixed with a few extras."""
    latin = st.text(ascii_chars, min_size=1, max_size=max_chars)
    chinese = st.text(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=max_chars
    )
    mixed = st.text(
        st.characters(
            min_codepoint=0x4E00,
            max_codepoint=0x9FA5,
            include_characters=ascii_chars + _EXTRA_CHARS,
        ),
        min_size=1,
        max_size=max_chars,
    )
    word = st.one_of(latin, chinese, mixed)
    return st.lists(word, min_size=1, max_size=max_words).map(" ".join)


def texts(max_words: int = 4) -> st.SearchStrategy[str]:
    return words(_TEXT_ASCII, max_words, 10)


def unit_bounds(currency: str, low: Decimal, high: Decimal) -> tuple[int, int]:
    digits = CURRENCY_MINOR_UNITS[currency]
    return (
        int(low.scaleb(digits).to_integral_value(rounding=ROUND_CEILING)),
        int(high.scaleb(digits).to_integral_value(rounding=ROUND_FLOOR)),
    )


@cache
def money_in(currency: str, low_units: int, high_units: int) -> st.SearchStrategy[Money]:
    scale = -CURRENCY_MINOR_UNITS[currency]
    return st.integers(low_units, high_units).map(
        lambda units: Money(amount=Decimal(units).scaleb(scale), currency=currency)
    )


def positive_units(currency: str) -> tuple[int, int]:
    """Minor-unit bounds of interaction amounts: one fen (cent, yen) up to 100 000."""
    return 1, unit_bounds(currency, Decimal(0), DEFAULT_MAX_AMOUNT)[1]


def _free_or_paid(choice: tuple[int, int]) -> int:
    free, units = choice
    return 0 if free == FREE_ORDER_ODDS - 1 else units


@cache
def purchase_units(currency: str) -> st.SearchStrategy[int]:
    """Minor units of a purchase: 0 (a free order) about one time in :data:`FREE_ORDER_ODDS`.

    Otherwise as :func:`positive_units`. Whether the order is free is a choice of its own,
    drawn before the amount, so draws shrink toward a paid order of one minor unit, as they did
    before free orders were drawn: shrinking an amount never makes an order free, which would
    change what a later refund may refund.
    """
    low, high = positive_units(currency)
    return st.tuples(st.integers(0, FREE_ORDER_ODDS - 1), st.integers(low, high)).map(_free_or_paid)


@cache
def purchase_money(currency: str) -> st.SearchStrategy[Money]:
    """Amounts of purchases as :class:`~custpool.Money`: see :func:`purchase_units`."""
    scale = -CURRENCY_MINOR_UNITS[currency]
    return purchase_units(currency).map(
        lambda units: Money(amount=Decimal(units).scaleb(scale), currency=currency)
    )
