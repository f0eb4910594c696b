"""The kind rules checked over whole columns: every check :meth:`EventTable.from_arrays` makes.

Each check computes a mask of the rows breaking one rule and hands it to ``fail``: by default
:func:`raise_first`, which raises for the first such row (``from_arrays``); a loader that keeps
going passes a collector instead and rejects exactly the rows named (``from_frame`` /
``read_events``). The rules live here once, whatever is done with a breach.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import numpy as np
from pydantic import ValidationError as PydanticValidationError

from custpool._engine.codes import (
    CHANNELS,
    CHURN_REASONS,
    COMPLAINT_REASONS,
    DEFAULT_DIRECTION,
    DIRECTION_ALLOWED,
    DIRECTIONS,
    FIXED_CHANNEL,
    ITEM_OPTIONAL,
    ITEM_REQUIRED,
    KIND_CODE,
    KINDS,
    MAX_TIME,
    MIN_TIME,
    MONEY_DIGITS,
    MONEY_KINDS,
    OTHER_CHANNEL,
    SOURCES,
    kind_flags,
)
from custpool._engine.ids import Ids, check_ids
from custpool._errors import ValidationError, WrongTypeError, shown_type, wrong_type
from custpool._model import (
    CURRENCY_MINOR_UNITS,
    ChurnReason,
    ComplaintReason,
    InteractionKind,
    Money,
    SourceChannel,
)

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["CheckedColumns", "Fail", "check_currency", "raise_first"]

Fail = Callable[[str, "NDArray[np.bool_]", "NDArray[np.generic]", str], None]
"""What a check does with the rows breaking a rule: ``fail(column, bad, values, rule)``."""

_CONNECT: Final = KIND_CODE[InteractionKind.CONNECT]
_CHURN: Final = KIND_CODE[InteractionKind.CHURN]
_COMPLAINT: Final = KIND_CODE[InteractionKind.COMPLAINT]
_REFERRAL: Final = KIND_CODE[InteractionKind.REFERRAL]
_NPS: Final = KIND_CODE[InteractionKind.NPS]
_PURCHASE: Final = KIND_CODE[InteractionKind.PURCHASE]
_REFUND: Final = KIND_CODE[InteractionKind.REFUND]
_INT64_MAX: Final = int(np.iinfo(np.int64).max)
_SAFE_FLOAT_TOTAL: Final = 2.0**62  # a float64 sum below this proves the exact sum fits int64
_SUM_CHUNK: Final = 1 << 22  # rows per chunk when amounts are summed exactly


def check_currency(currency: object) -> str | None:
    """Return an ISO 4217 code normalised as :class:`~custpool.Money` normalises it, or None.

    Raises
    ------
    custpool.WrongTypeError
        If ``currency`` is neither a string nor None.
    custpool.ValidationError
        If it is not a currency code ``Money`` accepts.

    Examples
    --------
    >>> check_currency(" cny "), check_currency(None)
    ('CNY', None)
    """
    if currency is None:
        return None
    if not isinstance(currency, str):
        raise wrong_type("currency", currency, "must be an ISO 4217 currency code such as 'CNY'")
    try:
        return Money(amount=Decimal(0), currency=currency).currency
    except PydanticValidationError:
        rule = "must be an ISO 4217 currency code custpool knows (e.g. CNY, USD, EUR)"
        raise ValidationError("currency", currency, rule) from None


def raise_first(
    column: str, bad: NDArray[np.bool_], values: NDArray[np.generic], rule: str
) -> None:
    """Raise for the first row where ``bad`` holds, telling how many rows break the rule."""
    rows = np.flatnonzero(bad)
    if rows.size:
        first = int(rows[0])
        more = f" ({rows.size} rows break this rule; the first is shown)" if rows.size > 1 else ""
        raise ValidationError(f"{column}[{first}]", values[first].item(), rule + more)


def _integers(
    name: str, values: ArrayLike, n: int | None, dtype: type[np.signedinteger[Any]]
) -> NDArray[np.integer[Any]]:
    """Return ``values`` as integers that fit ``dtype`` (integer input as it is, no copy).

    Wrong shapes, non-numbers, NaN, infinities and fractions are refused.
    """
    try:
        array = np.asarray(values)
    except (ValueError, TypeError):
        rule = "must be a one-dimensional array of integers (a ragged or odd sequence was given)"
        raise WrongTypeError(name, shown_type(values), rule) from None
    if array.ndim != 1:
        raise ValidationError(name, f"array of shape {array.shape}", "must be one-dimensional")
    if n is not None and array.shape[0] != n:
        rule = f"must have one value per row: {n} rows, but {array.shape[0]} values"
        raise ValidationError(name, f"array of length {array.shape[0]}", rule)
    out: NDArray[np.integer[Any]]
    if array.dtype.kind in "iu":
        out = array
    elif array.dtype.kind == "f":
        raise_first(
            name, ~np.isfinite(array), array, "must be a finite number (no NaN or infinity)"
        )
        raise_first(name, array != np.trunc(array), array, "must be a whole number")
        raise_first(name, np.abs(array) >= 2.0**62, array, "is out of range")
        out = array.astype(
            dtype if np.abs(array).max(initial=0) < np.iinfo(dtype).max else np.int64
        )
    elif array.dtype.kind == "b" and array.size:
        raise WrongTypeError(name, "array of booleans", "must hold integers, not booleans")
    elif array.size == 0:
        out = np.zeros(0, dtype=dtype)
    else:
        raise WrongTypeError(name, f"array of dtype {array.dtype}", "must hold integers")
    info = np.iinfo(dtype)
    if out.size and (int(out.min()) < info.min or int(out.max()) > info.max):
        wide = out.astype(np.int64) if out.dtype.kind == "i" else out
        raise_first(
            name, (wide < info.min) | (wide > info.max), out, f"must fit in {np.dtype(dtype).name}"
        )
    return out


_TIME_RANGE: Final = "must be from 1900-01-01 to before 2170-01-01 (UTC)"
_FINER_THAN_MICROSECONDS: Final = frozenset({"ns", "ps", "fs", "as"})


def _times(values: ArrayLike, n: int) -> NDArray[np.integer[Any]]:
    try:
        array = np.asarray(values)
    except (ValueError, TypeError):
        rule = "must be a one-dimensional array of integers (a ragged or odd sequence was given)"
        raise WrongTypeError("time", shown_type(values), rule) from None
    if array.dtype.kind == "M":
        if array.ndim == 1:
            raise_first("time", np.isnat(array), array, "must be a time, not NaT")
            if np.datetime_data(array.dtype)[0] not in _FINER_THAN_MICROSECONDS:
                # Out of range in its own unit first: numpy wraps around silently when a
                # coarse time too far out is turned into microseconds (2**62 s became 1970).
                low = np.datetime64(MIN_TIME, "us").astype(array.dtype)  # floored: loose
                high = np.datetime64(MAX_TIME, "us").astype(array.dtype)
                raise_first("time", (array < low) | (array > high), array, _TIME_RANGE)
        array = array.astype("datetime64[us]").astype(np.int64)
    elif array.dtype.kind == "O" and array.size:
        raise WrongTypeError(
            "time", "array of objects", "must be int64 microseconds or datetime64 values"
        )
    times = _integers("time", array, n, np.int64)
    outside = (times < MIN_TIME) | (times >= MAX_TIME)
    raise_first("time", outside, times, _TIME_RANGE)
    return times


def _codes(
    name: str, values: ArrayLike | None, n: int, size: int, dtype: type[np.signedinteger[Any]]
) -> NDArray[np.integer[Any]] | None:
    if values is None:
        return None
    codes = _integers(name, values, n, dtype)
    raise_first(name, (codes < -1) | (codes >= size), codes, f"must be a code from 0 to {size - 1}")
    return codes


@dataclass(frozen=True, slots=True)
class CheckedColumns:
    """Validated columns (int64, input order) with their id tuples and currency."""

    data: dict[str, NDArray[np.integer[Any]]]
    customer_ids: Ids
    item_ids: Ids
    currency: str | None
    operator_ids: Ids = field(default_factory=lambda: Ids.numbered(0))
    group_ids: Ids = field(default_factory=lambda: Ids.numbered(0))

    @classmethod
    def check(  # noqa: PLR0913 - mirrors from_arrays
        cls,
        customer: ArrayLike,
        time: ArrayLike,
        kind: ArrayLike,
        *,
        optional: dict[str, ArrayLike | None],
        customer_ids: Sequence[str] | None,
        item_ids: Sequence[str] | None,
        currency: str | None,
        fail: Fail = raise_first,
        operator_ids: Sequence[str] | None = None,
        group_ids: Sequence[str] | None = None,
    ) -> CheckedColumns:
        """Check every column; ``fail`` gets the rows breaking each per-row rule.

        Structural problems (a wrong length or type, a code out of range, no customer) always
        raise; so does an amount total past int64 (a loader that keeps going rejects rows
        before it gets that far).
        """
        customers = _integers("customer", customer, None, np.int32)
        n = customers.shape[0]
        raise_first("customer", customers < 0, customers, "must be a customer index >= 0")
        used = int(customers.max()) + 1 if n else 0
        if customer_ids is None:
            ids = Ids.numbered(used)
        else:
            ids = check_ids("customer_ids", customer_ids, used)
        if not ids:
            raise ValidationError(
                "customer",
                "no rows",
                "a table needs at least one customer; pass customer_ids "
                "to build a table of customers without events",
            )
        kinds = _codes("kind", kind, n, len(KINDS), np.int8)
        assert kinds is not None  # noqa: S101 - a given column is never None
        raise_first("kind", kinds < 0, kinds, f"must be a code from 0 to {len(KINDS) - 1}")
        data = {"customer": customers, "time": _times(time, n), "kind": kinds}
        _check_directions(data, optional["direction"], n, fail)
        _check_channels(data, optional["channel"], n, fail)
        _check_labels(data, optional["source"], optional["reason"], n, fail)
        has_money = _check_amounts(data, optional["amount"], n, fail)
        _check_referrals(data, optional["referred"], n, len(ids), fail)
        _check_scores(data, optional["score"], n, fail)
        items = _check_items(data, optional["item"], n, item_ids, fail)
        code = check_currency(currency)
        if has_money:
            if code is None:
                raise ValidationError("currency", None, "is required: some rows have amounts")
            _check_money(data["amount"], code, fail)
        staff = _check_people(data, "operator", optional.get("operator"), n, operator_ids)
        groups = _check_people(data, "group", optional.get("group"), n, group_ids)
        return cls(data, ids, items, code, staff, groups)


def _check_people(
    data: dict[str, NDArray[np.integer[Any]]],
    name: str,
    values: ArrayLike | None,
    n: int,
    ids: Sequence[str] | None,
) -> Ids:
    """Check an operator or group column: an index into its ids, or -1 for none (any kind)."""
    codes = (
        np.full(n, -1, dtype=np.int32) if values is None else _integers(name, values, n, np.int32)
    )
    raise_first(name, codes < -1, codes, f"must be an {name} index >= 0, or -1")
    used = int(codes.max()) + 1 if n else 0
    data[name] = codes
    if ids is None:
        return Ids.numbered(max(used, 0))
    return check_ids(f"{name}_ids", ids, used)


def _given(
    name: str, values: ArrayLike | None, n: int, size: int
) -> NDArray[np.integer[Any]] | None:
    return _codes(name, values, n, size, np.int8 if size < 128 else np.int32)


def _check_directions(
    data: dict[str, NDArray[np.integer[Any]]], values: ArrayLike | None, n: int, fail: Fail
) -> None:
    kinds = data["kind"]
    given = _given("direction", values, n, len(DIRECTIONS))
    if given is None:
        defaults = DEFAULT_DIRECTION[kinds]
        rule = "has no default direction (its kind allows several): pass the direction column"
        fail("kind", defaults < 0, kinds, rule)
        data["direction"] = defaults
        return
    fail("direction", given < 0, given, "must be a direction code from 0 to 2")
    bad = ~DIRECTION_ALLOWED[kinds, given]
    fail("direction", bad, given, "is not allowed for the row's kind (see KIND_RULES)")
    data["direction"] = given


def _check_channels(
    data: dict[str, NDArray[np.integer[Any]]], values: ArrayLike | None, n: int, fail: Fail
) -> None:
    kinds = data["kind"]
    fixed = FIXED_CHANNEL[kinds]
    given = _given("channel", values, n, len(CHANNELS))
    if given is None:
        data["channel"] = np.where(fixed >= 0, fixed, np.int8(OTHER_CHANNEL))
        return
    fail("channel", given < 0, given, f"must be a channel code from 0 to {len(CHANNELS) - 1}")
    bad = (fixed >= 0) & (given != fixed)
    fail("channel", bad, given, "must be the kind's own channel (group posts, store visits)")
    data["channel"] = given


def _check_labels(
    data: dict[str, NDArray[np.integer[Any]]],
    source: ArrayLike | None,
    reason: ArrayLike | None,
    n: int,
    fail: Fail,
) -> None:
    kinds = data["kind"]
    is_connect = kinds == _CONNECT
    sources = _given("source", source, n, len(SOURCES))
    if sources is None:
        sources = np.where(is_connect, np.int8(SOURCES.index(SourceChannel.OTHER)), np.int8(-1))
    fail("source", is_connect & (sources < 0), sources, "connect rows need a source")
    fail("source", ~is_connect & (sources >= 0), sources, "only connect rows have a source")
    data["source"] = sources
    is_churn = kinds == _CHURN
    is_complaint = kinds == _COMPLAINT
    reasons = _given("reason", reason, n, max(len(CHURN_REASONS), len(COMPLAINT_REASONS)))
    if reasons is None:
        other = np.where(
            is_churn,
            CHURN_REASONS.index(ChurnReason.OTHER),
            COMPLAINT_REASONS.index(ComplaintReason.OTHER),
        )
        reasons = np.where(is_churn | is_complaint, other, np.int8(-1)).astype(np.int8)
    needs = is_churn | is_complaint
    fail("reason", needs & (reasons < 0), reasons, "churn and complaint rows need a reason")
    fail("reason", ~needs & (reasons >= 0), reasons, "only churn and complaint rows have one")
    fail("reason", is_churn & (reasons >= len(CHURN_REASONS)), reasons, "is not a churn reason")
    bad = is_complaint & (reasons >= len(COMPLAINT_REASONS))
    fail("reason", bad, reasons, "is not a complaint reason")
    data["reason"] = reasons


def _check_amounts(
    data: dict[str, NDArray[np.integer[Any]]], values: ArrayLike | None, n: int, fail: Fail
) -> bool:
    """Check the amounts: >= 0 on purchases (0 is a free order), > 0 on refunds, else 0.

    Return whether any row is a money row (a purchase or a refund), whose amounts need a
    currency even when they are all 0.
    """
    kinds = data["kind"]
    money = kind_flags(MONEY_KINDS)[kinds]
    if values is None:
        amounts: NDArray[np.integer[Any]] = np.zeros(n, dtype=np.int64)
    else:
        amounts = _integers("amount", values, n, np.int64)
    rule = "must not be negative on a purchase (0 is a free order): minor units >= 0"
    fail("amount", (kinds == _PURCHASE) & (amounts < 0), amounts, rule)
    rule = "must be positive on a refund: minor units > 0"
    fail("amount", (kinds == _REFUND) & (amounts <= 0), amounts, rule)
    fail(
        "amount",
        ~money & (amounts != 0),
        amounts,
        "must be 0 on rows other than purchase and refund",
    )
    data["amount"] = amounts
    return bool(money.any())


def _check_money(amounts: NDArray[np.integer[Any]], currency: str, fail: Fail) -> None:
    """Check that every amount is a :class:`~custpool.Money` and that no sum can overflow.

    Amounts are never negative (checked before: >= 0 on purchases, > 0 on refunds, 0
    elsewhere), so their total bounds the absolute value of every sum of them (any customer's,
    any window's, purchases net of refunds): a total within int64 makes every int64 sum over
    the table exact.
    """
    bound = 10 ** (MONEY_DIGITS + CURRENCY_MINOR_UNITS[currency])
    most = f"10**{MONEY_DIGITS} {currency}, the most a Money holds"
    rule = f"must be below {bound} minor units ({most})"
    fail("amount", amounts >= bound, amounts, rule)
    if float(np.sum(amounts, dtype=np.float64)) < _SAFE_FLOAT_TOTAL:
        return  # the float sum's error is far below the margin to 2**63
    total = 0
    for start in range(0, amounts.shape[0], _SUM_CHUNK):  # exact: a Python loop over chunks
        chunk = amounts[start : start + _SUM_CHUNK].astype(np.int64, copy=False)
        total += (int(np.sum(chunk >> 32)) << 32) + int(np.sum(chunk & 0xFFFFFFFF))
    if total > _INT64_MAX:
        rule = (
            f"the amounts must add up to at most {_INT64_MAX} minor units (the int64 maximum), "
            "so that every sum over the table is exact; split the rows into several tables "
            "(by period, or by customer)"
        )
        raise ValidationError("amount", total, rule)


def _check_referrals(
    data: dict[str, NDArray[np.integer[Any]]],
    values: ArrayLike | None,
    n: int,
    customers: int,
    fail: Fail,
) -> None:
    kinds = data["kind"]
    is_referral = kinds == _REFERRAL
    referred = (
        np.full(n, -1, dtype=np.int32)
        if values is None
        else _integers("referred", values, n, np.int32)
    )
    fail(
        "referred",
        is_referral & (referred < 0),
        referred,
        "referral rows need the referred customer",
    )
    fail(
        "referred",
        ~is_referral & (referred != -1),
        referred,
        "must be -1 on rows other than referral",
    )
    fail("referred", referred >= customers, referred, f"must be a customer index below {customers}")
    fail(
        "referred",
        is_referral & (referred == data["customer"]),
        referred,
        "a customer cannot refer themselves",
    )
    data["referred"] = referred


def _check_scores(
    data: dict[str, NDArray[np.integer[Any]]], values: ArrayLike | None, n: int, fail: Fail
) -> None:
    is_nps = data["kind"] == _NPS
    scores = (
        np.full(n, -1, dtype=np.int8) if values is None else _integers("score", values, n, np.int8)
    )
    fail(
        "score",
        is_nps & ((scores < 0) | (scores > 10)),
        scores,
        "nps rows need a score from 0 to 10",
    )
    fail("score", ~is_nps & (scores != -1), scores, "must be -1 on rows other than nps")
    data["score"] = scores


def _check_items(
    data: dict[str, NDArray[np.integer[Any]]],
    values: ArrayLike | None,
    n: int,
    item_ids: Sequence[str] | None,
    fail: Fail,
) -> Ids:
    kinds = data["kind"]
    items = (
        np.full(n, -1, dtype=np.int32) if values is None else _integers("item", values, n, np.int32)
    )
    required = kind_flags(ITEM_REQUIRED)[kinds]
    allowed = kind_flags((*ITEM_REQUIRED, *ITEM_OPTIONAL))[kinds]
    fail(
        "item", required & (items < 0), items, "purchase, refund and event_attend rows need an item"
    )
    fail(
        "item",
        ~allowed & (items != -1),
        items,
        "must be -1 on rows without an order, event or content",
    )
    fail("item", items < -1, items, "must be an item index >= 0, or -1")
    used = int(items.max()) + 1 if n else 0
    data["item"] = items
    if item_ids is None:
        return Ids.numbered(max(used, 0))
    return check_ids("item_ids", item_ids, used)
