"""Argument checks of the strategy functions, and the error they raise.

Every strategy function checks its arguments when it is called, before anything is drawn, with the
checks here; a bad argument raises :class:`InvalidStrategyArgument`, naming the argument. The
checks return the normalised value (a tuple of kinds in shrink order, naive UTC bounds, ...).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from custpool._errors import ValidationError
from custpool._fields import check_identifier
from custpool._model import CURRENCY_MINOR_UNITS, ActivityKind, InteractionKind
from custpool.strategies._blocks import generated_ids

__all__ = [
    "InvalidStrategyArgument",
    "as_items",
    "as_text",
    "check_activity_kinds",
    "check_amount",
    "check_bool",
    "check_currencies",
    "check_id",
    "check_int",
    "check_kinds",
    "check_prefix",
    "check_size_range",
    "check_strategy",
    "check_window",
    "fail",
    "id_source",
]

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

_AMOUNT_LIMIT: Final = Decimal(10) ** 15


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


def fail(name: str, value: object, rule: str) -> InvalidStrategyArgument:
    return InvalidStrategyArgument(name, value, rule)


def check_bool(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise fail(name, value, "must be True or False")
    return value


def check_int(name: str, value: object, *, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(name, value, "must be an integer")
    if value < low:
        raise fail(name, value, f"must be at least {low}")
    return value


def check_size_range(
    min_name: str, min_value: object, max_name: str, max_value: object
) -> tuple[int, int]:
    low = check_int(min_name, min_value)
    high = check_int(max_name, max_value)
    if low > high:
        raise fail(min_name, low, f"must not exceed {max_name} ({high})")
    return low, high


def as_items(name: str, value: object) -> list[object]:
    """Accept one value on its own, or any iterable of values (a str counts as one value)."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return [value]
    items = list(value)
    if not items:
        raise fail(name, value, "must not be empty")
    return items


def as_text(value: object) -> str:
    """Return ``value`` if it is a string (enum values are), else raise ``ValueError``."""
    if not isinstance(value, str):
        raise ValueError(value)  # noqa: TRY004 - callers report it as an unknown value
    return value


def _naive_utc(name: str, value: object) -> datetime:
    if not isinstance(value, datetime):
        raise fail(name, value, "must be an aware datetime, e.g. datetime(2026, 1, 1, tzinfo=UTC)")
    if value.tzinfo is None or value.utcoffset() is None:
        raise fail(name, value, "must be aware (have a time zone); custpool never guesses one")
    try:
        return value.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        raise fail(name, value, "is too close to datetime.min/max to express in UTC") from None


def check_window(min_time: object, max_time: object) -> tuple[datetime, datetime]:
    low = _naive_utc("min_time", min_time)
    high = _naive_utc("max_time", max_time)
    if low > high:
        raise fail("min_time", min_time, f"must not be after max_time ({max_time})")
    return low, high


def check_kinds(kinds: object, name: str = "kinds") -> tuple[InteractionKind, ...]:
    if kinds is None:
        return _KIND_ORDER
    chosen: set[InteractionKind] = set()
    for item in as_items(name, kinds):
        try:
            chosen.add(InteractionKind(as_text(item)))
        except ValueError:
            known = ", ".join(k.value for k in InteractionKind)
            raise fail(name, item, f"is not an interaction kind (known: {known})") from None
    return tuple(k for k in _KIND_ORDER if k in chosen)


def check_activity_kinds(kinds: object) -> tuple[ActivityKind, ...]:
    if kinds is None:
        return tuple(ActivityKind)
    chosen: set[ActivityKind] = set()
    for item in as_items("kinds", kinds):
        try:
            chosen.add(ActivityKind(as_text(item)))
        except ValueError:
            known = ", ".join(k.value for k in ActivityKind)
            raise fail("kinds", item, f"is not an activity kind (known: {known})") from None
    return tuple(k for k in ActivityKind if k in chosen)


def check_currencies(currencies: object) -> tuple[str, ...]:
    codes: list[str] = []
    for item in as_items("currencies", currencies):
        code = item.strip().upper() if isinstance(item, str) else ""
        if code not in CURRENCY_MINOR_UNITS:
            raise fail("currencies", item, "is not an ISO 4217 code custpool knows (e.g. CNY)")
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def check_amount(name: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise fail(name, value, "must be a Decimal, an int or a decimal string (never a float)")
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise fail(name, value, "must be a decimal number such as '199.90'") from None
    if not amount.is_finite() or abs(amount) >= _AMOUNT_LIMIT:
        raise fail(name, value, "must be finite with absolute value below 10**15")
    return amount


def check_id(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise fail(name, value, "must be a string id")
    try:
        return check_identifier(value)
    except ValueError as err:
        raise fail(name, value, str(err)) from None


def id_source(name: str, value: object, default_prefix: str) -> st.SearchStrategy[str]:
    """Return ids generated by default, drawn from a strategy, or sampled from a sequence."""
    if value is None:
        return generated_ids(default_prefix)
    if isinstance(value, st.SearchStrategy):
        return value
    ids = [check_id(name, item) for item in as_items(name, value)]
    return st.sampled_from(list(dict.fromkeys(ids)))


def check_prefix(prefix: object, width: int) -> None:
    """Check that ``prefix`` + a number, and ``"o-"`` + that (the order id), are valid ids."""
    if not isinstance(prefix, str):
        raise fail("id_prefix", prefix, "must be a string")
    try:
        check_identifier(f"o-{prefix}{'0' * width}")
    except ValueError:
        rule = "must make valid ids: no white space or control characters, short enough"
        raise fail("id_prefix", prefix, rule) from None


def check_strategy(name: str, value: object) -> st.SearchStrategy[Any]:
    if not isinstance(value, st.SearchStrategy):
        raise fail(name, value, "must be a Hypothesis strategy")
    return value
