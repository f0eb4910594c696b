"""Exact sums of money columns, and Money that says what overflowed.

The amount column of an :class:`~custpool.EventTable` holds int64 minor units. numpy's sum of
int64 wraps around silently past ``2**63 - 1``: ten purchases of 999 999 999 999 999.999 KWD,
each a valid :class:`~custpool.Money`, summed to a negative number. Every money sum of the
analytics goes through this module instead:

- :func:`exact_sum` and :func:`slice_sums` split each value into its high and low 32 bits, so
  no partial sum can overflow: the result is exact whatever the values;
- :func:`to_money` turns a sum into :class:`~custpool.Money`, or raises a
  :class:`~custpool.ValidationError` naming the figure when it is more than Money holds.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import TYPE_CHECKING, Final

import numpy as np

from custpool._errors import ValidationError
from custpool._model import CURRENCY_MINOR_UNITS, Money

if TYPE_CHECKING:
    from collections.abc import Callable

    from numpy.typing import NDArray

__all__ = ["exact_sum", "slice_sums", "to_money"]

_LOW_BITS: Final = 0xFFFFFFFF
_CHUNK: Final = 2**31 - 1
"""Values summed at once: 2**31 - 1 low halves (each < 2**32) sum below 2**63."""
_INT64_MAX: Final = 2**63 - 1
_HIGH_LIMIT: Final = 2**31
"""High halves summing to this or more make a total that cannot be int64."""


def exact_sum(values: NDArray[np.int64]) -> int:
    """Sum int64 values exactly, as a Python int, whatever their size (no silent wrap-around).

    Each value is split into its high and low 32 bits (``v == (v >> 32) * 2**32 + (v &
    0xFFFFFFFF)``); neither half's sum can overflow int64 over fewer than ``2**31`` values, and
    longer arrays are summed in chunks of that size.

    Examples
    --------
    >>> big = np.array([2**62, 2**62, 2**62], dtype=np.int64)  # numpy's sum wraps around
    >>> int(big.sum()) == 3 * 2**62, exact_sum(big) == 3 * 2**62
    (False, True)
    >>> exact_sum(np.array([-5, 3], dtype=np.int64)), exact_sum(np.array([], dtype=np.int64))
    (-2, 0)
    """
    total = 0
    for start in range(0, values.shape[0], _CHUNK):
        chunk = values[start : start + _CHUNK]
        total += (int((chunk >> 32).sum()) << 32) + int((chunk & _LOW_BITS).sum())
    return total


def slice_sums(
    values: NDArray[np.int64],
    starts: NDArray[np.intp],
    ends: NDArray[np.intp],
    *,
    what: str,
    label: Callable[[int], str] = str,
) -> NDArray[np.int64]:
    """Return the exact sum of ``values[starts[k]:ends[k]]`` for each ``k``, as int64.

    The sums come from two running totals, of the values' high and of their low 32 bits,
    neither of which can overflow (for fewer than ``2**31`` values). A sum that int64 cannot
    hold raises instead of wrapping around.

    Parameters
    ----------
    values
        Non-negative int64 values (minor units of purchases: a table's amounts are never
        negative).
    starts, ends
        The slices, ``starts[k] <= ends[k]``.
    what
        The name of the sums, for the error.
    label
        Names slice ``k`` in the error (by default, its position).

    Raises
    ------
    custpool.ValidationError
        If a sum is over ``2**63 - 1``.

    Examples
    --------
    >>> v = np.array([2**62, 2**62, 5, 7], dtype=np.int64)
    >>> slice_sums(v, np.array([1, 2]), np.array([3, 4]), what="spend").tolist()
    [4611686018427387909, 12]
    >>> slice_sums(v, np.array([0]), np.array([2]), what="spend")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    custpool.ValidationError: spend='9223372036854775808 minor units': is more than 2**63 - 1 ...
    """
    if values.shape[0] >= _CHUNK:  # pragma: no cover - 16 GiB of amounts
        rule = "can be summed exactly over fewer than 2**31 rows; split the table"
        raise ValidationError(what, f"{values.shape[0]} rows", rule)
    high = np.zeros(values.shape[0] + 1, dtype=np.int64)
    low = np.zeros(values.shape[0] + 1, dtype=np.int64)
    np.cumsum(values >> 32, out=high[1:])
    np.cumsum(values & _LOW_BITS, out=low[1:])
    high_sum = high[ends] - high[starts]
    low_sum = low[ends] - low[starts]
    # high_sum * 2**32 + low_sum <= 2**63 - 1, tested without overflowing (both are >= 0).
    capped = np.minimum(high_sum, _HIGH_LIMIT - 1)
    over = (high_sum >= _HIGH_LIMIT) | (low_sum > _INT64_MAX - (capped << 32))
    if over.any():
        k = int(np.flatnonzero(over)[0])
        total = (int(high_sum[k]) << 32) + int(low_sum[k])
        rule = f"is more than 2**63 - 1 minor units, too large for an int64 column ({label(k)})"
        raise ValidationError(what, f"{total} minor units", rule)
    out: NDArray[np.int64] = (high_sum << 32) + low_sum
    return out


def to_money(minor_units: float, currency: str, what: str) -> Money:
    """Return ``minor_units`` of ``currency`` as Money, or say which figure Money cannot hold.

    A float (a mean) is rounded half to even to a whole minor unit first.

    Parameters
    ----------
    minor_units
        The figure, in minor units (an exact int, or a float mean).
    currency
        The table's currency.
    what
        The figure's name, for the error (``purchase_amount``, ``revenue of store``).

    Raises
    ------
    custpool.ValidationError
        If the figure is not finite, or is more than Money holds (an amount below ``10**15``
        in absolute value).

    Examples
    --------
    >>> str(to_money(12345, "CNY", "revenue"))
    '123.45 CNY'
    >>> to_money(10**19, "CNY", "revenue")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    custpool.ValidationError: revenue='100000000000000000.00 CNY': is more than Money holds: ...
    """
    if isinstance(minor_units, float):
        if not math.isfinite(minor_units):
            raise ValidationError(what, minor_units, "must be a finite amount of money")
        minor_units = round(minor_units)  # half to even
    try:
        return Money.from_minor_units(minor_units, currency)
    except ValueError as exc:  # pydantic's ValidationError, or custpool's: both are ValueErrors
        reason = _reason(exc)
    digits = CURRENCY_MINOR_UNITS.get(currency, 0)
    shown = f"{Decimal(minor_units).scaleb(-digits)} {currency}"
    raise ValidationError(what, shown, f"is more than Money holds: {reason}")


def _reason(exc: ValueError) -> str:
    """Return Money's own words for why it refused the amount."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        found = errors(include_url=False)
        if found:
            return str(found[0]["msg"]).removeprefix("Value error, ")
    return str(getattr(exc, "rule", exc))
