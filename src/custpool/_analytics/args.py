"""The arguments of the analytics: errors that show them safely, and checked period indexes.

An argument of the wrong type is often a container — a dict, a list, a customer record — and a
container may hold contact handles, so errors show it by its type only. Numbers, text, times
and None are shown as they are (cut to 60 characters by the error).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Final

import numpy as np

from custpool._errors import ValidationError, WrongTypeError

__all__ = ["check_index", "invalid", "wrong_type"]

_PLAIN: Final = (int, float, str, Decimal, datetime, timedelta, np.integer, np.floating)


def _shown(value: object) -> str | None:
    """Return the stand-in for a value not to be shown, or None when it may be shown."""
    if value is None or isinstance(value, _PLAIN):
        return None
    return f"<a {type(value).__name__}>"


def wrong_type(field: str, value: object, rule: str) -> WrongTypeError:
    """Return the error for an argument of the wrong type, showing a container by its type.

    Examples
    --------
    >>> str(wrong_type("table", {"phone": "13800138000"}, "must be a custpool.EventTable"))
    'table=<a dict>: must be a custpool.EventTable'
    >>> str(wrong_type("k", 1.5, "must be an int"))
    'k=1.5: must be an int'
    """
    text = _shown(value)
    if text is None:
        return WrongTypeError(field, value, rule)
    return WrongTypeError(field, text, rule, shown=text)


def invalid(field: str, value: object, rule: str) -> ValidationError:
    """Return the error for an argument that breaks a rule, showing a container by its type.

    Examples
    --------
    >>> str(invalid("periods[1]", ["2026-01-01"], "must be an aware datetime or a Window"))
    'periods[1]=<a list>: must be an aware datetime or a Window'
    """
    text = _shown(value)
    if text is None:
        return ValidationError(field, value, rule)
    return ValidationError(field, text, rule, shown=text)


def check_index(field: str, value: object, size: int) -> int:
    """Return ``value`` as an index into ``size`` items (negative ones count from the end).

    Raises
    ------
    custpool.WrongTypeError
        If ``value`` is not an integer (booleans are not).
    custpool.ValidationError
        If it is not in ``[-size, size)``.

    Examples
    --------
    >>> check_index("period", -1, 4), check_index("period", np.int64(2), 4)
    (-1, 2)
    >>> check_index("period", 4, 4)
    Traceback (most recent call last):
    ...
    custpool.ValidationError: period=4: must be an index from -4 to 3
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise wrong_type(field, value, "must be an integer index")
    index = int(value)
    if not -size <= index < size:
        raise ValidationError(field, index, f"must be an index from {-size} to {size - 1}")
    return index
