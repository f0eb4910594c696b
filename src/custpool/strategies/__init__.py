"""Hypothesis strategies for property-testing code that works with custpool.

Every strategy here builds its objects with the real model constructors, so every draw is a valid
object (no rejection sampling, no ``assume``), and the collection strategies are referentially
consistent: :func:`histories` gives one customer's time-ordered interactions whose refunds match
earlier purchases, and :func:`pools` gives whole pools whose :meth:`~custpool.Pool.check_references`
is empty. Strategies shrink toward small, plain examples: short ASCII names, few items, the
simplest interaction kinds.

This module needs Hypothesis (``pip install custpool[testing]``); ``import custpool`` alone never
imports it.

Arguments are checked when a strategy function is *called*, not when it is drawn from: a bad
argument raises :class:`InvalidStrategyArgument` at once, naming the argument. It is a
:class:`custpool.ValidationError` (so a ``ValueError``) and a Hypothesis
:class:`~hypothesis.errors.InvalidArgument`.

``st.from_type``: installing custpool declares a ``hypothesis`` entry point that calls
:func:`register_type_strategies` when Hypothesis is imported, so ``st.from_type(Customer)``,
``st.builds`` of your own classes that take custpool models, and ``@given`` with inferred
arguments all use these strategies. Registered types: ``Customer``,
``Contacts``, ``Tag``, ``Money``, ``Interaction``, ``PoolActivity``, ``PoolCharter``, ``Cadence``,
``SizeRange``, ``AllOf``, ``AnyOf``, ``NoneOf``, ``Pool``, ``Paradigm``, ``Policy``, ``TierState``
and ``Criterion``.

Examples
--------
>>> from hypothesis import given, settings
>>> from custpool import Pool
>>> from custpool import strategies as cps
>>> @settings(max_examples=10)
... @given(cps.pools(max_customers=4))
... def test_pool_is_consistent(pool):
...     assert isinstance(pool, Pool)
...     assert pool.check_references() == ()
>>> test_pool_is_consistent()
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from functools import cache
from typing import TYPE_CHECKING, Any, Final

from pydantic import SecretStr

from custpool._errors import ValidationError
from custpool._fields import check_identifier
from custpool._model.activity import ActivityKind, PoolActivity
from custpool._model.channels import Channel, SourceChannel
from custpool._model.charter import Cadence, PoolCharter, SizeRange
from custpool._model.customer import Contacts, Customer
from custpool._model.interaction import (
    KIND_FIELDS,
    KIND_RULES,
    ChurnReason,
    ComplaintReason,
    Direction,
    Interaction,
    InteractionKind,
)
from custpool._model.money import CURRENCY_MINOR_UNITS, Money
from custpool._model.pool import Pool
from custpool._model.rules import AllOf, AnyOf, NoneOf
from custpool._model.tags import Tag, TagGroup
from custpool._tiers.classify import Criterion, TierState, classify
from custpool._tiers.policy import WEIGHT_SCALE, Policy
from custpool._tiers.stages import CONVERT_FIRST, NURTURE_FIRST, Paradigm, Stage

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "DEFAULT_MAX_TIME",
    "DEFAULT_MIN_TIME",
    "InvalidStrategyArgument",
    "activities",
    "cadences",
    "charters",
    "contacts",
    "customers",
    "histories",
    "interactions",
    "money",
    "paradigms",
    "policies",
    "pools",
    "register_type_strategies",
    "rules",
    "size_ranges",
    "tags",
    "tier_states",
]

# --------------------------------------------------------------------------- from_type

# Defined before Hypothesis is imported, on purpose: if this module is imported first, importing
# Hypothesis below runs custpool's entry point, which imports this (half-loaded) module and calls
# register_type_strategies at once. So the function imports Hypothesis itself, and the strategies
# it registers are looked up only when a test asks for them.
_registered: list[bool] = []


def register_type_strategies() -> None:
    """Register these strategies with ``st.from_type`` for every public custpool model.

    custpool's ``hypothesis`` entry point calls this when Hypothesis is imported, so you rarely
    need to. Registered: ``Customer``, ``Contacts``, ``Tag``, ``Money`` (every currency, amounts
    of either sign), ``Interaction``, ``PoolActivity``, ``PoolCharter``, ``Cadence``,
    ``SizeRange``, ``AllOf``, ``AnyOf``, ``NoneOf`` (a rule of that shape at the top), ``Pool``,
    ``Paradigm``, ``Policy``, ``TierState`` and ``Criterion`` (one criterion of a drawn
    :func:`tier_states` result), each with its strategy's defaults. Strategies are registered as
    functions, so nothing is built until a test asks for one. Idempotent: calls after the first
    do nothing, so a registration of your own made afterwards stays in place.

    Examples
    --------
    >>> from hypothesis import given, settings, strategies as st
    >>> from custpool import Customer
    >>> register_type_strategies()  # already done by the entry point; harmless
    >>> @settings(max_examples=10)
    ... @given(st.from_type(Customer))
    ... def check(c):
    ...     assert isinstance(c, Customer)
    >>> check()
    """
    if _registered:
        return
    from hypothesis import strategies as hst  # noqa: PLC0415 - see the comment above

    every_currency = tuple(CURRENCY_MINOR_UNITS)
    limit = Decimal("999999999999999.999")

    def rule_of(op: type[Rule]) -> st.SearchStrategy[Rule]:
        inner = _rule_strategy(1, 3, tags())
        items = st.lists(tags() | inner, min_size=1, max_size=3)
        return st.builds(_make_rule, st.just(op), items)

    hst.register_type_strategy(Tag, lambda _: tags())
    hst.register_type_strategy(
        Money, lambda _: money(currencies=every_currency, min_amount=-limit, max_amount=limit)
    )
    hst.register_type_strategy(Contacts, lambda _: contacts())
    hst.register_type_strategy(Customer, lambda _: customers())
    hst.register_type_strategy(Interaction, lambda _: interactions())
    hst.register_type_strategy(PoolActivity, lambda _: activities())
    hst.register_type_strategy(Cadence, lambda _: cadences())
    hst.register_type_strategy(SizeRange, lambda _: size_ranges())
    hst.register_type_strategy(PoolCharter, lambda _: charters())
    hst.register_type_strategy(AllOf, lambda _: rule_of(AllOf))
    hst.register_type_strategy(AnyOf, lambda _: rule_of(AnyOf))
    hst.register_type_strategy(NoneOf, lambda _: rule_of(NoneOf))
    hst.register_type_strategy(Pool, lambda _: pools())
    hst.register_type_strategy(Paradigm, lambda _: paradigms())
    hst.register_type_strategy(Policy, lambda _: policies())
    hst.register_type_strategy(TierState, lambda _: tier_states())
    hst.register_type_strategy(Criterion, lambda _: _criteria())
    _registered.append(True)


try:
    from hypothesis import strategies as st  # after register_type_strategies: see there
    from hypothesis.errors import InvalidArgument
except ImportError as exc:  # pragma: no cover - exercised only without the testing extra
    msg = "custpool.strategies needs Hypothesis: pip install 'custpool[testing]'"
    raise ImportError(msg) from exc

Rule = AllOf | AnyOf | NoneOf

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

# Interaction kinds from simple to complex: draws shrink toward the front of this list.
_KIND_ORDER: Final = (
    InteractionKind.MESSAGE,
    InteractionKind.REACTION,
    InteractionKind.CONTENT_VIEW,
    InteractionKind.GROUP_POST,
    InteractionKind.STORE_VISIT,
    InteractionKind.CONNECT,
    InteractionKind.CHURN,
    InteractionKind.EVENT_ATTEND,
    InteractionKind.NPS,
    InteractionKind.COMPLAINT,
    InteractionKind.PURCHASE,
    InteractionKind.REFUND,
    InteractionKind.REFERRAL,
)
_LINKED_FIELDS: Final = frozenset({"order_id", "amount", "referred_id"})
"""Per-kind fields that point at other things; the caller of :func:`_draw_details` sets them."""

_DEFAULT_MAX_AMOUNT: Final = Decimal(100_000)
_AMOUNT_LIMIT: Final = Decimal(10) ** 15

_ID_ALPHABET: Final = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"
_TAG_ASCII: Final = "abcdefghijklmnopqrstuvwxyz0123456789-_."
_TEXT_ASCII: Final = _TAG_ASCII + "ABCDEFGHIJKLMNOPQRSTUVWXYZ!?,&'()"
# A few characters beyond ASCII and CJK that real names carry; all are NFKC- and casefold-stable.
_EXTRA_CHARS: Final = "éüñçøå☕🎉"


class InvalidStrategyArgument(ValidationError, InvalidArgument):  # noqa: N818 - mirrors Hypothesis's InvalidArgument
    """A strategy function was called with a bad argument.

    Raised when the function is called, before anything is drawn. It is a
    :class:`custpool.ValidationError` (so also a ``ValueError``) with ``field`` set to the
    argument's name, and a Hypothesis :class:`~hypothesis.errors.InvalidArgument`.

    Examples
    --------
    >>> from custpool import strategies
    >>> try:
    ...     strategies.histories(min_size=5, max_size=2)
    ... except strategies.InvalidStrategyArgument as err:
    ...     print(err.field, "|", err)
    min_size | min_size=5: must not exceed max_size (2)
    """


# --------------------------------------------------------------------------- argument checks


def _fail(name: str, value: object, rule: str) -> InvalidStrategyArgument:
    return InvalidStrategyArgument(name, value, rule)


def _check_bool(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise _fail(name, value, "must be True or False")
    return value


def _check_int(name: str, value: object, *, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(name, value, "must be an integer")
    if value < low:
        raise _fail(name, value, f"must be at least {low}")
    return value


def _check_size_range(
    min_name: str, min_value: object, max_name: str, max_value: object
) -> tuple[int, int]:
    low = _check_int(min_name, min_value)
    high = _check_int(max_name, max_value)
    if low > high:
        raise _fail(min_name, low, f"must not exceed {max_name} ({high})")
    return low, high


def _as_items(name: str, value: object) -> list[object]:
    """Accept one value on its own, or any iterable of values (a str counts as one value)."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return [value]
    items = list(value)
    if not items:
        raise _fail(name, value, "must not be empty")
    return items


def _text(value: object) -> str:
    """Return ``value`` if it is a string (enum values are), else raise ``ValueError``."""
    if not isinstance(value, str):
        raise ValueError(value)  # noqa: TRY004 - callers report it as an unknown value
    return value


def _naive_utc(name: str, value: object) -> datetime:
    if not isinstance(value, datetime):
        raise _fail(name, value, "must be an aware datetime, e.g. datetime(2026, 1, 1, tzinfo=UTC)")
    if value.tzinfo is None or value.utcoffset() is None:
        raise _fail(name, value, "must be aware (have a time zone); custpool never guesses one")
    try:
        return value.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        raise _fail(name, value, "is too close to datetime.min/max to express in UTC") from None


def _check_window(min_time: object, max_time: object) -> tuple[datetime, datetime]:
    low = _naive_utc("min_time", min_time)
    high = _naive_utc("max_time", max_time)
    if low > high:
        raise _fail("min_time", min_time, f"must not be after max_time ({max_time})")
    return low, high


def _check_kinds(kinds: object, name: str = "kinds") -> tuple[InteractionKind, ...]:
    if kinds is None:
        return _KIND_ORDER
    chosen: set[InteractionKind] = set()
    for item in _as_items(name, kinds):
        try:
            chosen.add(InteractionKind(_text(item)))
        except ValueError:
            known = ", ".join(k.value for k in InteractionKind)
            raise _fail(name, item, f"is not an interaction kind (known: {known})") from None
    return tuple(k for k in _KIND_ORDER if k in chosen)


def _check_activity_kinds(kinds: object) -> tuple[ActivityKind, ...]:
    if kinds is None:
        return tuple(ActivityKind)
    chosen: set[ActivityKind] = set()
    for item in _as_items("kinds", kinds):
        try:
            chosen.add(ActivityKind(_text(item)))
        except ValueError:
            known = ", ".join(k.value for k in ActivityKind)
            raise _fail("kinds", item, f"is not an activity kind (known: {known})") from None
    return tuple(k for k in ActivityKind if k in chosen)


def _check_currencies(currencies: object) -> tuple[str, ...]:
    codes: list[str] = []
    for item in _as_items("currencies", currencies):
        code = item.strip().upper() if isinstance(item, str) else ""
        if code not in CURRENCY_MINOR_UNITS:
            raise _fail("currencies", item, "is not an ISO 4217 code custpool knows (e.g. CNY)")
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def _check_amount(name: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise _fail(name, value, "must be a Decimal, an int or a decimal string (never a float)")
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise _fail(name, value, "must be a decimal number such as '199.90'") from None
    if not amount.is_finite() or abs(amount) >= _AMOUNT_LIMIT:
        raise _fail(name, value, "must be finite with absolute value below 10**15")
    return amount


def _check_id(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise _fail(name, value, "must be a string id")
    try:
        return check_identifier(value)
    except ValueError as err:
        raise _fail(name, value, str(err)) from None


def _id_source(name: str, value: object, default_prefix: str) -> st.SearchStrategy[str]:
    """Return ids generated by default, drawn from a strategy, or sampled from a sequence."""
    if value is None:
        return _ids(default_prefix)
    if isinstance(value, st.SearchStrategy):
        return value
    ids = [_check_id(name, item) for item in _as_items(name, value)]
    return st.sampled_from(list(dict.fromkeys(ids)))


def _check_prefix(prefix: object, width: int) -> None:
    """Check that ``prefix`` + a number, and ``"o-"`` + that (the order id), are valid ids."""
    if not isinstance(prefix, str):
        raise _fail("id_prefix", prefix, "must be a string")
    try:
        check_identifier(f"o-{prefix}{'0' * width}")
    except ValueError:
        rule = "must make valid ids: no white space or control characters, short enough"
        raise _fail("id_prefix", prefix, rule) from None


def _check_strategy(name: str, value: object) -> st.SearchStrategy[Any]:
    if not isinstance(value, st.SearchStrategy):
        raise _fail(name, value, "must be a Hypothesis strategy")
    return value


# --------------------------------------------------------------------------- building blocks


# Strategies used inside composites are built once and cached: building a fresh strategy on every
# draw costs far more than drawing from it.


@cache
def _ids(prefix: str) -> st.SearchStrategy[str]:
    return st.text(_ID_ALPHABET, min_size=1, max_size=8).map(prefix.__add__)


def _avoiding(excluded: Iterable[str]) -> Callable[[str], str]:
    """Map generated ids away from ``excluded`` (no rejection: it appends zeros)."""
    taken = frozenset(excluded)

    def other(candidate: str) -> str:
        while candidate in taken:
            candidate += "0"
        return candidate

    return other


def _numbered(prefix: str, start: int, width: int) -> Callable[[int], str]:
    """Name the n-th item ``prefix`` + zero-padded ``start + n``, so names sort like numbers."""

    def name(n: int) -> str:
        return f"{prefix}{start + n:0{width}d}"

    return name


def _aware(instant: datetime, zone: tzinfo) -> datetime:
    """Express a naive UTC ``instant`` in ``zone`` (the same instant, another offset)."""
    utc = instant.replace(tzinfo=UTC)
    try:
        return utc.astimezone(zone)
    except OverflowError:  # within hours of datetime.min/max: keep UTC
        return utc


@cache
def _offsets() -> st.SearchStrategy[tzinfo]:
    return st.sampled_from(_OFFSETS)


@cache
def _instants(low: datetime, high: datetime) -> st.SearchStrategy[datetime]:
    """Naive datetimes in ``[low, high]``, read as UTC instants."""
    return st.datetimes(min_value=low, max_value=high)


@cache
def _times(low: datetime, high: datetime) -> st.SearchStrategy[datetime]:
    # The bounds are UTC: drawing the UTC instant and only then moving it to another offset keeps
    # the *instant* inside [low, high] whatever the offset (st.datetimes(timezones=...) would
    # bound the local wall-clock time instead).
    return st.builds(_aware, _instants(low, high), _offsets())


@cache
def _words(ascii_chars: str, max_words: int, max_chars: int) -> st.SearchStrategy[str]:
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


def _texts(max_words: int = 4) -> st.SearchStrategy[str]:
    return _words(_TEXT_ASCII, max_words, 10)


def _units(currency: str, low: Decimal, high: Decimal) -> tuple[int, int]:
    digits = CURRENCY_MINOR_UNITS[currency]
    return (
        int(low.scaleb(digits).to_integral_value(rounding=ROUND_CEILING)),
        int(high.scaleb(digits).to_integral_value(rounding=ROUND_FLOOR)),
    )


@cache
def _money_in(currency: str, low_units: int, high_units: int) -> st.SearchStrategy[Money]:
    scale = -CURRENCY_MINOR_UNITS[currency]
    return st.integers(low_units, high_units).map(
        lambda units: Money(amount=Decimal(units).scaleb(scale), currency=currency)
    )


def _positive_units(currency: str) -> tuple[int, int]:
    """Minor-unit bounds of interaction amounts: one fen (cent, yen) up to 100 000."""
    return 1, _units(currency, Decimal(0), _DEFAULT_MAX_AMOUNT)[1]


# --------------------------------------------------------------------------- tags and money


def tags(
    *, groups: Iterable[TagGroup | str | None] | TagGroup | str | None = None
) -> st.SearchStrategy[Tag]:
    """Generate valid :class:`~custpool.Tag` objects.

    Names are one or two words, each Latin (lower-case ASCII letters, digits, ``-_.``),
    Chinese, or a mix of both with a few accented letters and emoji. They are already
    normalised (``Tag(name=n).name == n``) and shrink toward short ASCII names such as ``'0'``.

    Parameters
    ----------
    groups
        Groups to draw from: :class:`~custpool.TagGroup` members or their values, and ``None``
        for ungrouped tags; a single group may be given on its own. Default: any group or none.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[Tag]

    Raises
    ------
    InvalidStrategyArgument
        If ``groups`` is empty or names an unknown group.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from custpool import Tag, TagGroup, normalize_tag_name
    >>> @settings(max_examples=20)
    ... @given(tags(groups=["interest"]))
    ... def check(tag):
    ...     assert tag.group is TagGroup.INTEREST
    ...     assert normalize_tag_name(tag.name) == tag.name
    >>> check()
    """
    chosen: list[TagGroup | None]
    if groups is None:
        chosen = [None, *TagGroup]
    else:
        chosen = []
        for item in _as_items("groups", groups):
            try:
                group = None if item is None else TagGroup(_text(item))
            except ValueError:
                known = ", ".join(g.value for g in TagGroup)
                raise _fail("groups", item, f"is not a tag group (known: {known}, None)") from None
            if group not in chosen:
                chosen.append(group)
    return _tag_strategy(tuple(chosen))


@cache
def _tag_strategy(groups: tuple[TagGroup | None, ...]) -> st.SearchStrategy[Tag]:
    return st.builds(Tag, name=_words(_TAG_ASCII, 2, 10), group=st.sampled_from(groups))


def money(
    *,
    currencies: Iterable[str] | str = ("CNY",),
    min_amount: Decimal | int | str = 0,
    max_amount: Decimal | int | str = _DEFAULT_MAX_AMOUNT,
) -> st.SearchStrategy[Money]:
    """Generate valid :class:`~custpool.Money` amounts.

    Amounts are whole numbers of the currency's minor unit (fen, cents; whole yen for JPY)
    between the bounds, so they always fit the currency's scale. They shrink toward zero, or
    toward the bound nearest zero.

    Parameters
    ----------
    currencies
        ISO 4217 codes to draw from (a single code may be given on its own); default CNY.
    min_amount, max_amount
        Inclusive bounds, as ``Decimal``, ``int`` or decimal strings (floats are refused, as
        by :class:`~custpool.Money`); absolute values below 10**15. Default 0 to 100 000.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[Money]

    Raises
    ------
    InvalidStrategyArgument
        For an empty or unknown currency, a bad bound, ``min_amount > max_amount``, or bounds
        with no amount of some currency's scale between them (``0.1`` to ``0.9`` JPY).

    Examples
    --------
    >>> from decimal import Decimal
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(money(currencies=["CNY", "JPY"], min_amount="0.01", max_amount=500))
    ... def check(m):
    ...     assert m.currency in {"CNY", "JPY"}
    ...     assert Decimal("0.01") <= m.amount <= 500
    >>> check()
    >>> money(currencies=[])
    Traceback (most recent call last):
    ...
    custpool.strategies.InvalidStrategyArgument: currencies=[]: must not be empty
    """
    codes = _check_currencies(currencies)
    low = _check_amount("min_amount", min_amount)
    high = _check_amount("max_amount", max_amount)
    if low > high:
        raise _fail("min_amount", min_amount, f"must not exceed max_amount ({max_amount})")
    options = []
    for code in codes:
        low_units, high_units = _units(code, low, high)
        if low_units > high_units:
            rule = f"leaves no {code} amount up to max_amount ({max_amount}) at {code}'s scale"
            raise _fail("min_amount", min_amount, rule)
        options.append(_money_in(code, low_units, high_units))
    return st.one_of(options)


# --------------------------------------------------------------------------- customers


def _phones() -> st.SearchStrategy[str]:
    # Chinese mobile numbers (1[3-9] + 9 digits), plain or grouped, with or without +86.
    def phone(prefix: str, second: str, rest: str, style: int) -> str:
        digits = f"1{second}{rest}"
        if style == 1:
            digits = f"{digits[:3]} {digits[3:7]} {digits[7:]}"
        elif style == 2:
            digits = f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
        return prefix + digits

    return st.builds(
        phone,
        st.sampled_from(["", "+86 ", "+86"]),
        st.sampled_from("3456789"),
        st.text("0123456789", min_size=9, max_size=9),
        st.integers(0, 2),
    )


_HANDLE_CHARS: Final = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"


@cache
def _handles() -> dict[str, st.SearchStrategy[str]]:
    letters = _HANDLE_CHARS[:52]
    return {
        "phone": _phones(),
        # WeChat ids: a letter, then 5-19 letters, digits, _ or -.
        "wechat_id": st.builds(
            str.__add__,
            st.sampled_from(letters),
            st.text(_HANDLE_CHARS, min_size=5, max_size=19),
        ),
        # WeCom external_userid: "wm" and 8-30 more characters, as WeCom issues them.
        "wecom_external_id": st.text(_HANDLE_CHARS, min_size=8, max_size=30).map("wm".__add__),
    }


def contacts(*, min_handles: int = 0) -> st.SearchStrategy[Contacts]:
    """Generate :class:`~custpool.Contacts` with realistic, valid handles.

    Phones are Chinese mobile numbers (``13800138000``, ``+86 138 0013 8000``), WeChat ids
    follow WeChat's pattern, WeCom external ids look like ``wm…``. Every handle has at least
    six characters, so it is unlikely to turn up elsewhere in a serialised customer by chance.
    Draws shrink toward no handles at all (or the fewest allowed).

    Parameters
    ----------
    min_handles
        How many of the three handles must at least be set (0-3).

    Returns
    -------
    hypothesis.strategies.SearchStrategy[Contacts]

    Raises
    ------
    InvalidStrategyArgument
        If ``min_handles`` is not an integer from 0 to 3.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(contacts(min_handles=1))
    ... def check(c):
    ...     assert c  # at least one handle
    ...     assert all(h not in repr(c) for h in c.reveal().values())
    >>> check()
    """
    needed = _check_int("min_handles", min_handles)
    if needed > 3:
        raise _fail("min_handles", min_handles, "must be at most 3 (there are three handles)")
    return _contacts(needed)


@cache
def _contacts(needed: int) -> st.SearchStrategy[Contacts]:
    handles = _handles()
    which = st.lists(st.sampled_from(list(handles)), min_size=needed, unique=True)

    @st.composite
    def build(draw: st.DrawFn) -> Contacts:
        chosen = draw(which)
        values = {name: SecretStr(draw(handles[name])) for name in handles if name in chosen}
        return Contacts(**values)

    return build()


def _customer_strategy(
    ids: st.SearchStrategy[str],
    tag_strategy: st.SearchStrategy[Tag],
    *,
    with_contacts: bool,
    max_tags: int,
    times: st.SearchStrategy[datetime],
) -> st.SearchStrategy[Customer]:
    contact_strategy = contacts() if with_contacts else st.just(Contacts())
    return st.builds(
        Customer,
        id=ids,
        display_name=st.none() | _texts(3),
        connected_at=st.none() | times,
        source=st.none() | st.sampled_from(SourceChannel),
        tags=st.lists(tag_strategy, max_size=max_tags, unique=True).map(tuple),
        contacts=contact_strategy,
    )


def customers(  # noqa: PLR0913 - keyword-only options, each documented
    *,
    ids: Sequence[str] | st.SearchStrategy[str] | None = None,
    with_contacts: bool = True,
    max_tags: int = 5,
    min_time: datetime = DEFAULT_MIN_TIME,
    max_time: datetime = DEFAULT_MAX_TIME,
    tag_strategy: st.SearchStrategy[Tag] | None = None,
) -> st.SearchStrategy[Customer]:
    """Generate valid :class:`~custpool.Customer` objects.

    Each has an id, and maybe a display name (Latin or Chinese), a ``connected_at`` time, a
    source, up to ``max_tags`` tags and contact handles (from :func:`contacts`).

    Parameters
    ----------
    ids
        Ids to use: a strategy, or a sequence of ids to sample from (a single id may be given
        on its own). Default: generated ids such as ``'c-0'`` or ``'c-x7Q_'``.
    with_contacts
        Whether customers may have contact handles; ``False`` gives empty contacts.
    max_tags
        Most tags per customer (0 for none).
    min_time, max_time
        Aware bounds of ``connected_at`` (inclusive).
    tag_strategy
        Strategy for the tags; default :func:`tags`.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[Customer]

    Raises
    ------
    InvalidStrategyArgument
        For an invalid id, a negative ``max_tags``, naive or reversed times, or a
        ``tag_strategy`` that is not a strategy.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from custpool import Customer
    >>> @settings(max_examples=20)
    ... @given(customers(ids=["c-1", "c-2"], max_tags=2))
    ... def check(c):
    ...     assert c.id in {"c-1", "c-2"} and len(c.tags) <= 2
    ...     assert Customer.from_json(c.to_json(reveal_secrets=True)) == c
    >>> check()
    """
    id_strategy = _id_source("ids", ids, "c-")
    _check_bool("with_contacts", with_contacts)
    most = _check_int("max_tags", max_tags)
    low, high = _check_window(min_time, max_time)
    leaves = tags() if tag_strategy is None else _check_strategy("tag_strategy", tag_strategy)
    return _customer_strategy(
        id_strategy, leaves, with_contacts=with_contacts, max_tags=most, times=_times(low, high)
    )


# --------------------------------------------------------------------------- interactions


@cache
def _field_strategy(name: str, *, optional: bool = False) -> st.SearchStrategy[Any]:
    strategies: dict[str, st.SearchStrategy[Any]] = {
        "source": st.sampled_from(SourceChannel),
        "churn_reason": st.sampled_from(ChurnReason),
        "event_id": _ids("ev-"),
        "content_id": _ids("ct-"),
        "score": st.integers(0, 10),
        "complaint_reason": st.sampled_from(ComplaintReason),
    }
    return st.none() | strategies[name] if optional else strategies[name]


@cache
def _directions(kind: InteractionKind) -> st.SearchStrategy[Direction]:
    return st.sampled_from(KIND_RULES[kind].directions)


@cache
def _channels() -> st.SearchStrategy[Channel]:
    return st.sampled_from(Channel)


@cache
def _kinds_from(kinds: tuple[InteractionKind, ...]) -> st.SearchStrategy[InteractionKind]:
    return st.sampled_from(kinds)


@cache
def _unit_range(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


def _draw_details(draw: st.DrawFn, kind: InteractionKind) -> dict[str, Any]:
    """Draw direction, channel and the per-kind fields that point at nothing else.

    ``order_id``, ``amount`` and ``referred_id`` are left to the caller, who knows what they
    may point at.
    """
    rule = KIND_RULES[kind]
    details: dict[str, Any] = {
        "direction": draw(_directions(kind)),
        "channel": rule.channel if rule.channel is not None else draw(_channels()),
    }
    for name in KIND_FIELDS:
        if name in _LINKED_FIELDS:
            continue
        if name in rule.required:
            details[name] = draw(_field_strategy(name))
        elif name in rule.optional:
            details[name] = draw(_field_strategy(name, optional=True))
    return details


def interactions(
    *,
    customer_ids: Sequence[str] | st.SearchStrategy[str] | None = None,
    kinds: Iterable[InteractionKind | str] | InteractionKind | str | None = None,
    min_time: datetime = DEFAULT_MIN_TIME,
    max_time: datetime = DEFAULT_MAX_TIME,
    currencies: Iterable[str] | str = ("CNY",),
) -> st.SearchStrategy[Interaction]:
    """Generate single valid :class:`~custpool.Interaction` objects of every kind.

    Every per-kind rule of :data:`~custpool.KIND_RULES` holds: required fields set, optional
    ones sometimes, others empty; an allowed direction; the fixed channel where there is one;
    positive amounts; a ``referred_id`` other than the customer's; scores 0-10. Timestamps are
    aware, in UTC, +08:00 or -05:00 (the model stores them in UTC). Each draw stands alone:
    refunds name an arbitrary order; use :func:`histories` or :func:`pools` for consistent sets.
    Draws shrink toward a plain inbound ``message``.

    Parameters
    ----------
    customer_ids
        Customer ids: a strategy, or a sequence to sample from (a single id may be given on its
        own). Default: generated ids such as ``'c-0'``.
    kinds
        Kinds to draw from (:class:`~custpool.InteractionKind` members or values); default all.
    min_time, max_time
        Aware bounds of ``at`` (inclusive).
    currencies
        Currencies of purchase and refund amounts (amounts up to 100 000).

    Returns
    -------
    hypothesis.strategies.SearchStrategy[Interaction]

    Raises
    ------
    InvalidStrategyArgument
        For an invalid id, an empty or unknown kind or currency, or naive or reversed times.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(interactions(kinds=["purchase", "refund"], currencies="JPY"))
    ... def check(i):
    ...     assert i.amount is not None and i.amount.currency == "JPY" and i.amount.amount > 0
    ...     assert i.order_id is not None
    >>> check()
    """
    id_strategy = _id_source("customer_ids", customer_ids, "c-")
    kind_list = _check_kinds(kinds)
    low, high = _check_window(min_time, max_time)
    codes = _check_currencies(currencies)
    times = _times(low, high)

    kind_strategy = _kinds_from(kind_list)
    currency_strategy = st.sampled_from(codes)

    @st.composite
    def build(draw: st.DrawFn) -> Interaction:
        kind = draw(kind_strategy)
        customer_id = draw(id_strategy)
        linked: dict[str, Any] = {}
        if kind in {InteractionKind.PURCHASE, InteractionKind.REFUND}:
            code = draw(currency_strategy)
            linked["order_id"] = draw(_ids("o-"))
            linked["amount"] = draw(_money_in(code, *_positive_units(code)))
        elif kind is InteractionKind.REFERRAL:
            linked["referred_id"] = draw(_ids("c-").map(_avoiding([customer_id])))
        return Interaction(
            id=draw(_ids("i-")),
            customer_id=customer_id,
            at=draw(times),
            kind=kind,
            **_draw_details(draw, kind),
            **linked,
        )

    return build()


# --------------------------------------------------------------------------- histories


@cache
def _currency_from(codes: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.sampled_from(codes)


# A history's referral targets: a strategy of ids, or a fixed tuple of ids to pick from.
Referral = st.SearchStrategy[str] | tuple[str, ...] | None

_DAY: Final = timedelta(days=1)
_SECOND: Final = timedelta(seconds=1)
_MICROSECOND: Final = timedelta(microseconds=1)


@cache
def _event_seeds(
    kinds: int, window: tuple[datetime, datetime], sizes: tuple[int, int]
) -> st.SearchStrategy[list[tuple[int, int, int]]]:
    """Draw a history's events as (kind index, day, second of the day) triples.

    Each event is one list element of three choices, small enough for the shrinker to delete
    whole events; kind indices shrink toward the simplest kinds, times toward ``min_time``.
    Everything else about an event is drawn afterwards, in time order.
    """
    low, high = window
    span = high - low
    element = st.tuples(
        st.integers(0, kinds - 1),
        st.integers(0, span // _DAY),
        st.integers(0, min(86_399, span // _SECOND)),
    )
    return st.lists(element, min_size=sizes[0], max_size=sizes[1])


@cache
def _micros(window: tuple[datetime, datetime]) -> st.SearchStrategy[int]:
    return st.integers(0, min(999_999, (window[1] - window[0]) // _MICROSECOND))


@cache
def _booleans() -> st.SearchStrategy[bool]:
    return st.booleans()


def _draw_order(
    draw: st.DrawFn,
    kind: InteractionKind,
    new_order: str,
    left: dict[str, int],
    purchase_units: st.SearchStrategy[int],
) -> tuple[str, int]:
    """Draw a purchase of ``new_order``, or a refund of an open order; update ``left``."""
    if kind is InteractionKind.PURCHASE:
        left[new_order] = units = draw(purchase_units)
        return new_order, units
    open_orders = [order for order, units in left.items() if units > 0]
    order = open_orders[draw(_unit_range(0, len(open_orders) - 1))]
    partial = draw(_booleans())
    # Hypothesis caches st.integers itself; _unit_range's unbounded cache is for fixed ranges.
    units = draw(st.integers(1, left[order])) if partial else left[order]
    left[order] -= units
    return order, units


def _draw_history(  # noqa: PLR0913 - the history's settings, passed by keyword
    draw: st.DrawFn,
    *,
    customer_id: str,
    referral: Referral,
    kinds: tuple[InteractionKind, ...],
    window: tuple[datetime, datetime],
    sizes: tuple[int, int],
    currencies: tuple[str, ...],
    id_of: Callable[[int], str],
) -> list[Interaction]:
    """Draw one customer's consistent, time-ordered interactions.

    ``id_of(n)`` names the n-th interaction; ids must ascend with ``n`` so that sorting by
    ``(at, id)`` keeps list order. Purchases use order id ``"o-" + id``. A refund refunds an
    open order (one with money left) of this history, all or part of what is left; a refund
    drawn while no order is open becomes a purchase instead (a mapping, never a rejection).
    Callers make sure ``purchase`` is among ``kinds`` whenever ``refund`` is.
    """
    if referral == ():
        referral = None
    usable = tuple(k for k in kinds if referral is not None or k is not InteractionKind.REFERRAL)
    if not usable:
        return []  # only referrals were asked for, and there is nobody to refer
    currency = draw(_currency_from(currencies))
    scale = -CURRENCY_MINOR_UNITS[currency]
    purchase_units = _unit_range(*_positive_units(currency))
    low, high = window
    seeds = draw(_event_seeds(len(usable), window, sizes))
    timed = [
        (min(low + day * _DAY + second * _SECOND + draw(_micros(window)) * _MICROSECOND, high), k)
        for k, day, second in seeds
    ]
    timed.sort(key=lambda event: event[0])
    left: dict[str, int] = {}  # order id -> minor units not yet refunded, in purchase order
    history: list[Interaction] = []
    for n, (instant, index) in enumerate(timed):
        interaction_id, kind = id_of(n), usable[index]
        if kind is InteractionKind.REFUND and not any(left.values()):
            kind = InteractionKind.PURCHASE
        at = _aware(instant, draw(_offsets()))
        details = _draw_details(draw, kind)
        if kind in {InteractionKind.PURCHASE, InteractionKind.REFUND}:
            order_id, units = _draw_order(draw, kind, f"o-{interaction_id}", left, purchase_units)
            details["order_id"] = order_id
            details["amount"] = Money(amount=Decimal(units).scaleb(scale), currency=currency)
        elif kind is InteractionKind.REFERRAL and isinstance(referral, tuple):
            details["referred_id"] = referral[draw(_unit_range(0, len(referral) - 1))]
        elif kind is InteractionKind.REFERRAL and isinstance(referral, st.SearchStrategy):
            details["referred_id"] = draw(referral)
        history.append(
            Interaction(id=interaction_id, customer_id=customer_id, at=at, kind=kind, **details)
        )
    return history


def _check_linked_kinds(kinds: object, chosen: tuple[InteractionKind, ...]) -> None:
    if InteractionKind.REFUND in chosen and InteractionKind.PURCHASE not in chosen:
        rule = "includes refund but not purchase; refunds need an earlier purchase to refund"
        raise _fail("kinds", kinds, rule)


def histories(  # noqa: PLR0913 - keyword-only options, each documented
    *,
    customer_id: str | None = None,
    min_size: int = 0,
    max_size: int = 30,
    kinds: Iterable[InteractionKind | str] | InteractionKind | str | None = None,
    min_time: datetime = DEFAULT_MIN_TIME,
    max_time: datetime = DEFAULT_MAX_TIME,
    other_customer_ids: Sequence[str] | st.SearchStrategy[str] | None = None,
    currencies: Iterable[str] | str = ("CNY",),
    id_prefix: str = "i-",
) -> st.SearchStrategy[list[Interaction]]:
    """Generate one customer's history: a consistent, time-ordered list of interactions.

    Guarantees, for every draw:

    - every interaction is valid and belongs to the one customer;
    - ``at`` never decreases along the list;
    - ids are unique and ascend with the list (``id_prefix`` + zero-padded position), so
      sorting by ``(at, id)`` gives back the list order;
    - purchases have order id ``"o-" + id``; refunds refund an *earlier* purchase of this
      customer, in its currency, and the refunds of an order never exceed its amount;
    - one currency throughout;
    - referrals point at other customer ids, never the customer's own.

    Anything else the domain allows may happen: events before the ``connect``, a ``churn``
    followed by more activity, several connects. Draws shrink toward short histories of plain
    messages.

    Parameters
    ----------
    customer_id
        The customer; default a generated id such as ``'c-0'``.
    min_size, max_size
        Bounds of the list's length.
    kinds
        Kinds to draw from (default all); refunds need ``purchase`` among the kinds.
    min_time, max_time
        Aware bounds of ``at`` (inclusive).
    other_customer_ids
        Whom referrals may point at: a strategy, or a sequence of ids (a single id may be given
        on its own); the customer's own id is never used. Default: generated ids.
    currencies
        Currencies to choose the history's one currency from.
    id_prefix
        Prefix of the interaction ids.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[list[Interaction]]

    Raises
    ------
    InvalidStrategyArgument
        For negative or reversed sizes, naive or reversed times, unknown or empty kinds or
        currencies, ``refund`` without ``purchase``, ``referral`` asked for with no other
        customer to refer, or an id or prefix that makes invalid ids.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(histories(customer_id="c-1", max_size=8, other_customer_ids=["c-2", "c-3"]))
    ... def check(history):
    ...     assert all(i.customer_id == "c-1" for i in history)
    ...     assert [i.at for i in history] == sorted(i.at for i in history)
    ...     assert all(i.referred_id in {None, "c-2", "c-3"} for i in history)
    >>> check()
    """
    own = None if customer_id is None else _check_id("customer_id", customer_id)
    low_size, high_size = _check_size_range("min_size", min_size, "max_size", max_size)
    kind_list = _check_kinds(kinds)
    _check_linked_kinds(kinds, kind_list)
    window = _check_window(min_time, max_time)
    codes = _check_currencies(currencies)
    width = len(str(max(high_size - 1, 0)))
    _check_prefix(id_prefix, width)

    others: list[str] | None = None
    other_strategy: st.SearchStrategy[str] | None = None
    if isinstance(other_customer_ids, st.SearchStrategy):
        other_strategy = other_customer_ids
    elif other_customer_ids is not None:
        items = _as_items("other_customer_ids", other_customer_ids)
        others = [_check_id("other_customer_ids", i) for i in items if i != own]
        if not others:
            if kinds is not None and InteractionKind.REFERRAL in kind_list:
                rule = f"leaves nobody but {own!r} to refer, and referral is among the kinds"
                raise _fail("other_customer_ids", other_customer_ids, rule)
            kind_list = tuple(k for k in kind_list if k is not InteractionKind.REFERRAL)
    own_strategy = st.just(own) if own is not None else _ids("c-").map(_avoiding(others or ()))
    targets = None if others is None else tuple(dict.fromkeys(others))

    @st.composite
    def build(draw: st.DrawFn) -> list[Interaction]:
        who = draw(own_strategy)
        referral: Referral
        if other_strategy is not None:
            referral = other_strategy.filter(lambda other: other != who)
        elif targets is not None:
            referral = targets  # never holds ``who``: see own_strategy
        else:
            referral = _ids("c-").map(_avoiding([who]))
        return _draw_history(
            draw,
            customer_id=who,
            referral=referral,
            kinds=kind_list,
            window=window,
            sizes=(low_size, high_size),
            currencies=codes,
            id_of=_numbered(id_prefix, 0, width),
        )

    return build()


# --------------------------------------------------------------------------- activities


@cache
def _activity_strategy(
    ids: st.SearchStrategy[str],
    kinds: tuple[ActivityKind, ...],
    times: st.SearchStrategy[datetime],
    max_topics: int,
) -> st.SearchStrategy[PoolActivity]:
    kind_strategy = st.sampled_from(kinds)
    titles = st.none() | _texts()
    operators = st.none() | _ids("op-")
    topic_lists = st.lists(tags(), max_size=max_topics, unique=True).map(tuple)

    @st.composite
    def build(draw: st.DrawFn) -> PoolActivity:
        kind = draw(kind_strategy)
        common: dict[str, Any] = {
            "id": draw(ids),
            "at": draw(times),
            "kind": kind,
            "channel": draw(_channels()),
            "title": draw(titles),
            "operator_id": draw(operators),
        }
        if kind is ActivityKind.CONTENT_PUBLISHED:
            topics = draw(topic_lists)
            return PoolActivity(**common, content_id=draw(_ids("ct-")), topics=topics)
        return PoolActivity(**common, event_id=draw(_ids("ev-")), ritual=draw(st.booleans()))

    return build()


def activities(
    *,
    kinds: Iterable[ActivityKind | str] | ActivityKind | str | None = None,
    min_time: datetime = DEFAULT_MIN_TIME,
    max_time: datetime = DEFAULT_MAX_TIME,
    max_topics: int = 3,
) -> st.SearchStrategy[PoolActivity]:
    """Generate valid :class:`~custpool.PoolActivity` objects.

    ``content_published`` activities get a ``content_id`` and up to ``max_topics`` topic tags;
    ``event_held`` ones an ``event_id`` and a ritual flag. Titles and operators are optional.

    Parameters
    ----------
    kinds
        :class:`~custpool.ActivityKind` members or values to draw from; default both.
    min_time, max_time
        Aware bounds of ``at`` (inclusive).
    max_topics
        Most topic tags of a published content.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[PoolActivity]

    Raises
    ------
    InvalidStrategyArgument
        For an empty or unknown kind, naive or reversed times, or a negative ``max_topics``.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(activities(kinds="event_held"))
    ... def check(activity):
    ...     assert activity.event_id is not None and activity.topics == ()
    >>> check()
    """
    kind_list = _check_activity_kinds(kinds)
    low, high = _check_window(min_time, max_time)
    most = _check_int("max_topics", max_topics)
    return _activity_strategy(_ids("a-"), kind_list, _times(low, high), most)


# --------------------------------------------------------------------------- rules and charter


def _make_rule(op: type[Rule], items: list[Tag | Rule]) -> Rule:
    return op(items=tuple(items))


def _rule_strategy(
    depth: int, max_items: int, leaves: st.SearchStrategy[Tag]
) -> st.SearchStrategy[Rule]:
    items: st.SearchStrategy[Tag | Rule] = leaves
    if depth > 1:
        items = st.one_of(leaves, _rule_strategy(depth - 1, max_items, leaves))
    ops: tuple[type[Rule], ...] = (AllOf, AnyOf, NoneOf)
    return st.builds(
        _make_rule, st.sampled_from(ops), st.lists(items, min_size=1, max_size=max_items)
    )


def _check_rule_args(
    depth_name: str, max_depth: object, max_items: object, tag_strategy: object
) -> tuple[int, int, st.SearchStrategy[Tag]]:
    depth = _check_int(depth_name, max_depth, low=1)
    items = _check_int("max_items", max_items, low=1)
    leaves = tags() if tag_strategy is None else _check_strategy("tag_strategy", tag_strategy)
    return depth, items, leaves


def rules(
    *,
    max_depth: int = 2,
    max_items: int = 3,
    tag_strategy: st.SearchStrategy[Tag] | None = None,
) -> st.SearchStrategy[AllOf | AnyOf | NoneOf]:
    """Generate joining rules (:class:`~custpool.AllOf`, :class:`~custpool.AnyOf`, ``NoneOf``).

    Each rule has 1 to ``max_items`` items, each a tag or (above depth 1) a nested rule. Draws
    shrink toward ``all_of(a)``.

    Parameters
    ----------
    max_depth
        Most levels of nesting: 1 gives rules of tags only, 2 (the default) rules whose items
        may be rules of tags, and so on.
    max_items
        Most items per rule (at least 1).
    tag_strategy
        Strategy for the tags; default :func:`tags`. Pass e.g. ``st.sampled_from(vocabulary)``
        so rules mention the tags your customers carry.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[AllOf | AnyOf | NoneOf]

    Raises
    ------
    InvalidStrategyArgument
        If ``max_depth`` or ``max_items`` is below 1, or ``tag_strategy`` is not a strategy.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from custpool import AllOf, AnyOf, NoneOf, Tag
    >>> @settings(max_examples=20)
    ... @given(rules(max_depth=1))
    ... def check(rule):
    ...     assert isinstance(rule, AllOf | AnyOf | NoneOf)
    ...     assert all(isinstance(item, Tag) for item in rule.items)
    >>> check()
    """
    depth, items, leaves = _check_rule_args("max_depth", max_depth, max_items, tag_strategy)
    return _rule_strategy(depth, items, leaves)


def cadences() -> st.SearchStrategy[Cadence]:
    """Generate valid :class:`~custpool.Cadence` objects: 1-100 times per 1-366 days.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[Cadence]

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(cadences())
    ... def check(c):
    ...     assert c.times >= 1 and 1 <= c.days <= 366 and c.per_week > 0
    >>> check()
    """
    return st.builds(Cadence, times=st.integers(1, 100), days=st.integers(1, 366))


def _size_range(low: int, span: int) -> SizeRange:
    return SizeRange(low=low, high=max(low + span, 1))


def size_ranges() -> st.SearchStrategy[SizeRange]:
    """Generate valid :class:`~custpool.SizeRange` objects (``low`` ≤ ``high``, up to 20 000).

    Returns
    -------
    hypothesis.strategies.SearchStrategy[SizeRange]

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(size_ranges())
    ... def check(r):
    ...     assert 0 <= r.low <= r.high and r.contains(r.low)
    >>> check()
    """
    return st.builds(_size_range, st.integers(0, 10_000), st.integers(0, 10_000))


def _charter_strategy(
    interests: st.SearchStrategy[list[Tag]],
    rule_strategy: st.SearchStrategy[Rule],
    max_operators: int,
) -> st.SearchStrategy[PoolCharter]:
    return st.builds(
        PoolCharter,
        name=_texts(),
        interests=interests.map(tuple),
        platforms=st.lists(st.sampled_from(Channel), max_size=4, unique=True).map(tuple),
        joining_rule=st.none() | rule_strategy,
        norms=st.lists(_texts(), max_size=3).map(tuple),
        operators=st.lists(_ids("op-"), max_size=max_operators, unique=True).map(tuple),
        operator_capacity=st.integers(1, 2000),
        target_size=st.none() | size_ranges(),
        content_cadence=st.none() | cadences(),
        ritual_cadence=st.none() | cadences(),
    )


def charters(
    *,
    max_interests: int = 5,
    max_operators: int = 3,
    max_rule_depth: int = 2,
    tag_strategy: st.SearchStrategy[Tag] | None = None,
) -> st.SearchStrategy[PoolCharter]:
    """Generate valid :class:`~custpool.PoolCharter` objects.

    A name, up to ``max_interests`` interest tags, up to four platforms, maybe a joining rule
    (from :func:`rules`), up to three norms, up to ``max_operators`` operators, a capacity and
    optional target size and cadences.

    Parameters
    ----------
    max_interests
        Most interest tags.
    max_operators
        Most operator ids.
    max_rule_depth
        ``max_depth`` of the joining rule (at least 1).
    tag_strategy
        Strategy for the joining rule's tags; default :func:`tags`.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[PoolCharter]

    Raises
    ------
    InvalidStrategyArgument
        For negative maxima, ``max_rule_depth`` below 1 or a ``tag_strategy`` that is not one.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from custpool import PoolCharter, TagGroup
    >>> @settings(max_examples=20)
    ... @given(charters(max_operators=1))
    ... def check(charter):
    ...     assert all(t.group is TagGroup.INTEREST for t in charter.interests)
    ...     assert len(charter.operators) <= 1
    ...     assert PoolCharter.from_json(charter.to_json()) == charter
    >>> check()
    """
    most_interests = _check_int("max_interests", max_interests)
    most_operators = _check_int("max_operators", max_operators)
    depth, items, leaves = _check_rule_args("max_rule_depth", max_rule_depth, 3, tag_strategy)
    interests = st.lists(tags(groups=TagGroup.INTEREST), max_size=most_interests, unique=True)
    return _charter_strategy(interests, _rule_strategy(depth, items, leaves), most_operators)


# --------------------------------------------------------------------------- pools


# Pools are drawn from cached strategies only: a strategy built inside a draw costs far more than
# drawing from it, which would make every shrink step of a pool slow. Per-pool choices (which of
# the pool's tags a member carries, which rule the charter has) are drawn as indices into the
# pool's own vocabulary of tags instead of as strategies built from it.
_VOCABULARY_SIZE: Final = 6
_RuleShape = tuple[int, list["int | _RuleShape"]]
"""A joining rule with tags as indices into a vocabulary: (operator index, items)."""
_RULE_OPERATORS: Final[tuple[type[Rule], ...]] = (AllOf, AnyOf, NoneOf)


@cache
def _vocabularies() -> st.SearchStrategy[list[Tag]]:
    return st.lists(tags(), min_size=1, max_size=_VOCABULARY_SIZE, unique=True)


@cache
def _picks(max_size: int) -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(0, _VOCABULARY_SIZE - 1), max_size=max_size, unique=True)


def _picked(vocabulary: list[Tag], picks: list[int]) -> tuple[Tag, ...]:
    return tuple(dict.fromkeys(vocabulary[i % len(vocabulary)] for i in picks))


@cache
def _member_lists(
    sizes: tuple[int, int], window: tuple[datetime, datetime], *, with_contacts: bool
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Draw members' fields except tags (drawn afterwards from the vocabulary), ids unique."""
    member = st.fixed_dictionaries(
        {
            "id": _ids("c-"),
            "display_name": st.none() | _texts(3),
            "connected_at": st.none() | _times(*window),
            "source": st.none() | st.sampled_from(SourceChannel),
            "contacts": contacts() if with_contacts else st.just(Contacts()),
        }
    )
    return st.lists(member, min_size=sizes[0], max_size=sizes[1], unique_by=lambda m: m["id"])


@cache
def _activity_lists(
    max_size: int, window: tuple[datetime, datetime]
) -> st.SearchStrategy[list[PoolActivity]]:
    activity = _activity_strategy(_ids("a-"), tuple(ActivityKind), _times(*window), 3)
    return st.lists(activity, max_size=max_size, unique_by=lambda a: a.id)


@cache
def _rule_shapes(depth: int) -> st.SearchStrategy[_RuleShape]:
    leaf = st.integers(0, _VOCABULARY_SIZE - 1)
    item: st.SearchStrategy[int | _RuleShape] = leaf
    if depth > 1:
        item = st.one_of(leaf, _rule_shapes(depth - 1))
    return st.tuples(st.integers(0, 2), st.lists(item, min_size=1, max_size=3))


def _realise(shape: _RuleShape, vocabulary: list[Tag]) -> Rule:
    op, items = shape
    return _make_rule(
        _RULE_OPERATORS[op],
        [
            vocabulary[i % len(vocabulary)] if isinstance(i, int) else _realise(i, vocabulary)
            for i in items
        ],
    )


@cache
def _charter_parts() -> st.SearchStrategy[dict[str, Any]]:
    """Draw a charter's fields except interests and joining rule (from the vocabulary)."""
    return st.fixed_dictionaries(
        {
            "name": _texts(),
            "platforms": st.lists(st.sampled_from(Channel), max_size=4, unique=True).map(tuple),
            "norms": st.lists(_texts(), max_size=3).map(tuple),
            "operators": st.lists(_ids("op-"), max_size=3, unique=True).map(tuple),
            "operator_capacity": st.integers(1, 2000),
            "target_size": st.none() | size_ranges(),
            "content_cadence": st.none() | cadences(),
            "ritual_cadence": st.none() | cadences(),
        }
    )


@cache
def _maybe_rule_shapes() -> st.SearchStrategy[_RuleShape | None]:
    return st.none() | _rule_shapes(2)


def _draw_charter(draw: st.DrawFn, vocabulary: list[Tag]) -> PoolCharter:
    parts = draw(_charter_parts())
    interests = tuple(
        t for t in _picked(vocabulary, draw(_picks(3))) if t.group in {None, TagGroup.INTEREST}
    )
    shape = draw(_maybe_rule_shapes())
    rule = None if shape is None else _realise(shape, vocabulary)
    return PoolCharter(**parts, interests=interests, joining_rule=rule)


def pools(  # noqa: PLR0913 - keyword-only options, each documented
    *,
    min_customers: int = 0,
    max_customers: int = 10,
    max_interactions_per_customer: int = 10,
    kinds: Iterable[InteractionKind | str] | InteractionKind | str | None = None,
    min_time: datetime = DEFAULT_MIN_TIME,
    max_time: datetime = DEFAULT_MAX_TIME,
    currencies: Iterable[str] | str = ("CNY",),
    max_activities: int = 5,
    with_contacts: bool = True,
) -> st.SearchStrategy[Pool]:
    """Generate whole, referentially consistent :class:`~custpool.Pool` objects.

    - Members have unique ids; their tags come from a small shared vocabulary (one to six
      tags), and the charter's joining rule and interests use the same vocabulary, so rules
      match some members and not others.
    - Each member has a history as from :func:`histories` (0 to
      ``max_interactions_per_customer`` interactions, one currency each): referrals point at
      *other members*, refunds at earlier orders of the same member, never refunding more than
      the order. Order ids are unique across the pool.
    - ``pool.check_references()`` is empty for every draw.
    - Interactions are sorted by ``(at, id)``; interaction and activity ids are unique.

    With a single member, nobody can be referred, so that member has no referrals. Draws shrink
    toward small pools with few interactions.

    Parameters
    ----------
    min_customers, max_customers
        Bounds of the number of members.
    max_interactions_per_customer
        Most interactions per member.
    kinds
        Interaction kinds to draw from (default all); refunds need ``purchase`` too.
    min_time, max_time
        Aware bounds of every timestamp (inclusive).
    currencies
        Currencies members pay in (each member's history uses one).
    max_activities
        Most pool activities.
    with_contacts
        Whether members may have contact handles.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[Pool]

    Raises
    ------
    InvalidStrategyArgument
        For negative or reversed sizes, naive or reversed times, empty or unknown kinds or
        currencies, or ``refund`` without ``purchase``.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(pools(min_customers=2, max_customers=4, kinds=["purchase", "refund", "referral"]))
    ... def check(pool):
    ...     assert pool.check_references() == ()
    ...     members = {c.id for c in pool.customers}
    ...     assert all(i.referred_id in members for i in pool.interactions if i.referred_id)
    >>> check()
    """
    low_count, high_count = _check_size_range(
        "min_customers", min_customers, "max_customers", max_customers
    )
    per_customer = _check_int("max_interactions_per_customer", max_interactions_per_customer)
    kind_list = _check_kinds(kinds)
    _check_linked_kinds(kinds, kind_list)
    window = _check_window(min_time, max_time)
    codes = _check_currencies(currencies)
    most_activities = _check_int("max_activities", max_activities)
    _check_bool("with_contacts", with_contacts)
    width = len(str(max(high_count * per_customer - 1, 0)))
    member_lists = _member_lists((low_count, high_count), window, with_contacts=with_contacts)

    @st.composite
    def build(draw: st.DrawFn) -> Pool:
        vocabulary = draw(_vocabularies())
        members = [
            Customer(**fields, tags=_picked(vocabulary, draw(_picks(3))))
            for fields in draw(member_lists)
        ]
        member_ids = [c.id for c in members]
        rows: list[Interaction] = []
        for member in members:
            rows += _draw_history(
                draw,
                customer_id=member.id,
                referral=tuple(i for i in member_ids if i != member.id),
                kinds=kind_list,
                window=window,
                sizes=(0, per_customer),
                currencies=codes,
                id_of=_numbered("i-", len(rows), width),
            )
        rows.sort(key=lambda i: (i.at, i.id))
        pool_activities = draw(_activity_lists(most_activities, window))
        charter = _draw_charter(draw, vocabulary)
        return Pool(
            charter=charter,
            customers=tuple(members),
            interactions=tuple(rows),
            activities=tuple(pool_activities),
        )

    return build()


# --------------------------------------------------------------------------- relationship tiers


_BUILT_IN_PARADIGMS: Final = (NURTURE_FIRST, CONVERT_FIRST)
"""The built-in paradigms, the shrink target first."""
_LATER_STAGES: Final = (Stage.ENGAGED, Stage.CONVERTED, Stage.ADVOCATE)
"""The stages after CONNECTED in nurture-first order: custom permutations shrink toward it."""
_WINDOW_FIELDS: Final = (
    "engage_window",
    "convert_window",
    "advocate_window",
    "dormant_after",
    "recover_window",
)
_DEFAULT_MIN_WINDOW: Final = timedelta(days=1)
_DEFAULT_MAX_WINDOW: Final = timedelta(days=400)
_TIER_MAX_TIME: Final = datetime(2020, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
"""Default upper bound of :func:`tier_states` histories: one year, so windows matter."""
_AS_OF_BEFORE: Final = timedelta(days=30)
_AS_OF_AFTER: Final = timedelta(days=400)


def _custom_paradigm(name: str, later: list[Stage]) -> Paradigm:
    return Paradigm(name=name, stages=(Stage.CONNECTED, *later))


@cache
def _paradigm_strategy(*, custom: bool) -> st.SearchStrategy[Paradigm]:
    built_in = st.sampled_from(_BUILT_IN_PARADIGMS)
    if not custom:
        return built_in
    own = st.builds(_custom_paradigm, _ids("custom-"), st.permutations(_LATER_STAGES))
    return st.one_of(built_in, own)


def paradigms(*, custom: bool = True) -> st.SearchStrategy[Paradigm]:
    """Generate valid :class:`~custpool.Paradigm` objects: built-in ones and custom orders.

    A draw is :data:`~custpool.NURTURE_FIRST`, :data:`~custpool.CONVERT_FIRST`, or (with
    ``custom``) a paradigm named ``custom-…`` whose stages are CONNECTED followed by any order
    of the other three. Draws shrink toward ``NURTURE_FIRST``.

    Parameters
    ----------
    custom
        Whether custom orders may be drawn; ``False`` gives the two built-in paradigms only.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[Paradigm]

    Raises
    ------
    InvalidStrategyArgument
        If ``custom`` is not a bool.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from custpool import Paradigm, Stage
    >>> @settings(max_examples=20)
    ... @given(paradigms())
    ... def check(paradigm):
    ...     assert paradigm.stages[0] is Stage.CONNECTED
    ...     assert sorted(paradigm.stages) == sorted(Stage)
    ...     assert Paradigm.from_json(paradigm.to_json()) == paradigm
    >>> check()
    """
    return _paradigm_strategy(custom=_check_bool("custom", custom))


def _paradigm_source(value: object) -> st.SearchStrategy[Paradigm]:
    """Return paradigms drawn by default, from a strategy, or sampled from those given."""
    if value is None:
        return _paradigm_strategy(custom=True)
    if isinstance(value, st.SearchStrategy):
        return value
    # A pydantic model is iterable (over its fields), so a single paradigm is caught first.
    items = [value] if isinstance(value, Paradigm) else _as_items("paradigms", value)
    by_name = {p.name: p for p in _BUILT_IN_PARADIGMS}
    chosen: list[Paradigm] = []
    for item in items:
        if isinstance(item, Paradigm):
            paradigm = item
        elif isinstance(item, str) and item in by_name:
            paradigm = by_name[item]
        else:
            rule = f"must be a Paradigm or the name of a built-in one ({', '.join(by_name)})"
            raise _fail("paradigms", item, rule)
        if paradigm not in chosen:
            chosen.append(paradigm)
    return st.sampled_from(chosen)


def _check_duration(name: str, value: object) -> timedelta:
    if not isinstance(value, timedelta):
        raise _fail(name, value, "must be a datetime.timedelta, e.g. timedelta(days=30)")
    if value <= timedelta(0):
        raise _fail(name, value, "must be a positive duration")
    return value


def _check_weight_kinds(value: object) -> tuple[InteractionKind, ...]:
    """Like the ``kinds`` of other strategies, but an empty collection means no weights."""
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        value = list(value)
        if not value:
            return ()
    return _check_kinds(value, "weight_kinds")


def _check_hundredths(name: str, value: object, *, low: int) -> int:
    """Return the whole hundredths up to ``value`` (at least ``low`` of them)."""
    amount = _check_amount(name, value)
    hundredths = int((amount * WEIGHT_SCALE).to_integral_value(rounding=ROUND_FLOOR))
    if hundredths < low:
        smallest = Decimal(low) / WEIGHT_SCALE
        raise _fail(name, value, f"must be at least {smallest}")
    return hundredths


@cache
def _near(default: int, low: int, high: int) -> st.SearchStrategy[int]:
    """Integers in ``[low, high]`` that shrink toward ``default`` (or the bound nearest it)."""
    centre = min(max(default, low), high)
    return st.integers(low - centre, high - centre).map(centre.__add__)


def _hundredths(n: int) -> Decimal:
    """``n`` hundredths as a Decimal with no needless zeros: 300 → 3, 50 → 0.5, 1234 → 12.34."""
    return Decimal(n) / WEIGHT_SCALE


def _make_policy(
    paradigm: Paradigm,
    threshold: int,
    windows: tuple[int, ...],
    weights: dict[InteractionKind, int],
    min_nps: int | None,
) -> Policy:
    engage, convert, advocate, dormant, recover = (seconds * _SECOND for seconds in windows)
    return Policy(
        paradigm=paradigm,
        engage_min_interactions=_hundredths(threshold),
        engage_window=engage,
        engage_weights={kind: _hundredths(w) for kind, w in weights.items()},
        convert_window=convert,
        advocate_window=advocate,
        advocate_min_nps=min_nps,
        dormant_after=dormant,
        recover_window=recover,
    )


def policies(  # noqa: PLR0913 - keyword-only options, each documented
    *,
    paradigms: st.SearchStrategy[Paradigm] | Paradigm | Iterable[Paradigm | str] | None = None,
    min_window: timedelta = _DEFAULT_MIN_WINDOW,
    max_window: timedelta = _DEFAULT_MAX_WINDOW,
    max_threshold: Decimal | int | str = 10,
    weight_kinds: Iterable[InteractionKind | str] | InteractionKind | str | None = None,
    max_weight: Decimal | int | str = 5,
    with_advocate_min_nps: bool = True,
) -> st.SearchStrategy[Policy]:
    """Generate valid tier :class:`~custpool.Policy` objects.

    - ``paradigm`` from ``paradigms`` (default :func:`paradigms`);
    - each of the five windows (``engage_window``, ``convert_window``, ``advocate_window``,
      ``dormant_after``, ``recover_window``) a whole number of seconds from ``min_window`` to
      ``max_window``, each drawn on its own;
    - ``engage_min_interactions`` from 0.01 to ``max_threshold``, at most two decimals;
    - ``engage_weights`` for a subset of ``weight_kinds``, each 0 to ``max_weight`` with at most
      two decimals (0 happens: a kind that does not count);
    - ``advocate_min_nps`` None or 0-10 (always None without ``with_advocate_min_nps``).

    Every field shrinks toward its value in ``Policy()`` (or the bound nearest it), so a failing
    example shrinks toward the default policy with as few changes as the failure needs.

    Parameters
    ----------
    paradigms
        Paradigms to use: a strategy, or paradigms or built-in paradigm names to sample from (a
        single one may be given on its own). Default :func:`paradigms`.
    min_window, max_window
        Positive ``timedelta`` bounds of every window (inclusive); default 1 to 400 days.
    max_threshold
        Largest ``engage_min_interactions`` (``Decimal``, ``int`` or decimal string; ≥ 0.01).
    weight_kinds
        Interaction kinds that may get a weight (default all); ``()`` for no weights at all.
    max_weight
        Largest weight (``Decimal``, ``int`` or decimal string; ≥ 0).
    with_advocate_min_nps
        Whether ``advocate_min_nps`` may be set.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[Policy]

    Raises
    ------
    InvalidStrategyArgument
        For an unknown or empty paradigm list, a window bound that is not a positive
        ``timedelta`` or bounds in the wrong order, a float or too small ``max_threshold`` or
        ``max_weight``, an unknown kind, or a non-bool ``with_advocate_min_nps``.

    Examples
    --------
    >>> from datetime import timedelta
    >>> from hypothesis import given, settings
    >>> from custpool import Policy
    >>> @settings(max_examples=20)
    ... @given(policies(paradigms="convert_first", max_window=timedelta(days=60)))
    ... def check(policy):
    ...     assert policy.paradigm.name == "convert_first"
    ...     assert timedelta(days=1) <= policy.engage_window <= timedelta(days=60)
    ...     assert Policy.from_json(policy.to_json()) == policy
    >>> check()
    >>> policies(min_window=timedelta(0))
    Traceback (most recent call last):
    ...
    custpool.strategies.InvalidStrategyArgument: min_window=datetime.timedelta(0): must be a positive duration
    """  # noqa: E501 - a doctest's output line cannot be wrapped
    paradigm_strategy = _paradigm_source(paradigms)
    low = _check_duration("min_window", min_window)
    high = _check_duration("max_window", max_window)
    if low > high:
        raise _fail("min_window", min_window, f"must not exceed max_window ({max_window!r})")
    low_seconds, high_seconds = -(-low // _SECOND), high // _SECOND
    if low_seconds > high_seconds:
        rule = f"leaves no whole number of seconds up to max_window ({max_window!r})"
        raise _fail("min_window", min_window, rule)
    most_threshold = _check_hundredths("max_threshold", max_threshold, low=1)
    kinds = _check_weight_kinds(weight_kinds)
    most_weight = _check_hundredths("max_weight", max_weight, low=0)
    _check_bool("with_advocate_min_nps", with_advocate_min_nps)

    defaults = Policy()
    windows = st.tuples(
        *(
            _near(getattr(defaults, name) // _SECOND, low_seconds, high_seconds)
            for name in _WINDOW_FIELDS
        )
    )
    weights: st.SearchStrategy[dict[InteractionKind, int]] = st.just({})
    if kinds:
        weights = st.dictionaries(
            st.sampled_from(kinds), _near(WEIGHT_SCALE, 0, most_weight), max_size=len(kinds)
        )
    min_nps: st.SearchStrategy[int | None] = st.none()
    if with_advocate_min_nps:
        min_nps = st.none() | st.integers(0, 10)
    return st.builds(
        _make_policy,
        paradigm_strategy,
        _near(defaults.scaled_threshold, 1, most_threshold),
        windows,
        weights,
        min_nps,
    )


def _policy_source(value: object) -> st.SearchStrategy[Policy]:
    """Return policies drawn by default, from a strategy, or sampled from those given."""
    if value is None:
        return policies()
    if isinstance(value, st.SearchStrategy):
        return value
    # A pydantic model is iterable (over its fields), so a single policy is caught first.
    items = [value] if isinstance(value, Policy) else _as_items("policies", value)
    chosen: list[Policy] = []
    for item in items:
        if not isinstance(item, Policy):
            raise _fail("policies", item, "must be a custpool.Policy (or a strategy of them)")
        if item not in chosen:  # by equality: a policy is not hashable (its weights mapping)
            chosen.append(item)
    return st.sampled_from(chosen)


@cache
def _connect_counts() -> st.SearchStrategy[int]:
    """How many connects :func:`tier_states` adds: mostly one or two, shrinking to none."""
    return st.sampled_from((0, *(1, 2) * 6))


@cache
def _as_of_offsets() -> st.SearchStrategy[int]:
    """Microseconds from 30 days before to 400 days after an anchor; shrink toward 0."""
    return st.integers(-_AS_OF_BEFORE // _MICROSECOND, _AS_OF_AFTER // _MICROSECOND)


def _draw_as_of(draw: st.DrawFn, anchors: list[datetime], policy: Policy) -> datetime:
    """Draw an aware instant near one of the naive UTC ``anchors``.

    Exactly at the anchor, exactly one of the policy's windows after or before it (where an
    event leaves a half-open window), each give or take a microsecond; or anywhere from 30 days
    before to 400 days after it.
    """
    anchor = anchors[draw(_unit_range(0, len(anchors) - 1))]
    how = draw(_unit_range(0, 2))
    if how == 2:
        offset = draw(_as_of_offsets()) * _MICROSECOND
    else:
        offset = timedelta(0)
        if how == 1:
            window: timedelta = getattr(policy, _WINDOW_FIELDS[draw(_unit_range(0, 4))])
            offset = -window if draw(_booleans()) else window
        offset += draw(_unit_range(-1, 1)) * _MICROSECOND
    try:
        instant = anchor + offset
    except OverflowError:
        instant = anchor
    return _aware(instant, draw(_offsets()))


def tier_states(  # noqa: PLR0913 - keyword-only options, each documented
    *,
    policies: st.SearchStrategy[Policy] | Policy | Iterable[Policy] | None = None,
    customer_id: str | None = None,
    min_size: int = 0,
    max_size: int = 20,
    kinds: Iterable[InteractionKind | str] | InteractionKind | str | None = None,
    min_time: datetime = DEFAULT_MIN_TIME,
    max_time: datetime = _TIER_MAX_TIME,
) -> st.SearchStrategy[TierState]:
    """Generate :class:`~custpool.TierState` results of :func:`~custpool.classify`.

    Each draw classifies one customer's history under a policy from ``policies`` at an aware
    ``as_of`` near the history:

    - the history is drawn by :func:`histories`; when ``kinds`` allows connects, up to two more
      ``connect`` interactions (ids ``k-0``, ``k-1``) in the first quarter of the time range are
      added, within ``max_size`` (with one kind in thirteen, most customers would otherwise
      never connect);
    - ``as_of`` is taken from an *anchor* (one of the events, ``max_time`` or ``min_time``):
      exactly at it, or exactly one of the policy's windows after or before it (where an event
      leaves a half-open window), each give or take a microsecond; or anywhere from 30 days
      before to 400 days after it. It may fall outside ``min_time``-``max_time``.

    So every state occurs, from PROSPECT (nothing yet, or an empty history) to DORMANT and
    CHURNED, and windows are probed at their edges. Draws shrink toward short histories, the
    default policy, and ``as_of`` exactly at the latest event.

    To test a property that needs the inputs as well, draw :func:`histories` and
    :func:`policies` yourself and call :func:`~custpool.classify`.

    Parameters
    ----------
    policies
        Policies to classify with: a strategy, or policies to sample from (a single one may be
        given on its own). Default :func:`policies`.
    customer_id, min_size, max_size, kinds
        As for :func:`histories`.
    min_time, max_time
        Aware bounds of the history's timestamps (inclusive); default the year 2020 (UTC), so
        that windows of days to months matter.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[TierState]

    Raises
    ------
    InvalidStrategyArgument
        For a ``policies`` item that is not a Policy, and everything :func:`histories` refuses.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from custpool import Policy, Stage, State
    >>> @settings(max_examples=20)
    ... @given(tier_states(policies=Policy(paradigm="convert_first"), max_size=10))
    ... def check(result):
    ...     assert result.paradigm == "convert_first"
    ...     assert [c.stage for c in result.criteria][:2] == [Stage.CONNECTED, Stage.CONVERTED]
    ...     assert (result.tier is None) == (result.state in {State.PROSPECT, State.CHURNED})
    >>> check()
    """
    history_strategy = histories(
        customer_id=customer_id,
        min_size=min_size,
        max_size=max_size,
        kinds=kinds,
        min_time=min_time,
        max_time=max_time,
    )
    low, high = _check_window(min_time, max_time)
    policy_strategy = _policy_source(policies)
    # One kind in thirteen rarely draws a connect, and without one every customer is a
    # PROSPECT: up to two extra connects are added (unless ``kinds`` leaves connects out).
    # They fall in the first quarter of the range, so most events and most ``as_of`` follow.
    extra_connects = kinds is None or InteractionKind.CONNECT in _check_kinds(kinds)
    connect_window = (low, low + (high - low) / 4)

    @st.composite
    def build(draw: st.DrawFn) -> TierState:
        history = draw(history_strategy)
        count = min(draw(_connect_counts()), max_size - len(history)) if extra_connects else 0
        if count:
            who = history[0].customer_id if history else customer_id or draw(_ids("c-"))
            history += _draw_history(
                draw,
                customer_id=who,
                referral=None,
                kinds=(InteractionKind.CONNECT,),
                window=connect_window,
                sizes=(count, count),
                currencies=("CNY",),
                id_of=_numbered("k-", 0, 1),
            )
        policy = draw(policy_strategy)
        # Latest first: draws lean toward (and shrink to) as_of at the last event, where the
        # whole history counts.
        anchors = sorted((i.at.astimezone(UTC).replace(tzinfo=None) for i in history), reverse=True)
        as_of = _draw_as_of(draw, [*anchors, high, low], policy)
        return classify(history, policy, as_of)

    return build()


def _pick_criterion(state: TierState, index: int) -> Criterion:
    return state.criteria[index % len(state.criteria)]


def _criteria() -> st.SearchStrategy[Criterion]:
    """One criterion of a :func:`tier_states` draw (for ``st.from_type(Criterion)``)."""
    return st.builds(_pick_criterion, tier_states(), st.integers(0, len(Stage) - 1))
