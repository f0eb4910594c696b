"""The arguments of the analytics: checked period indexes.

An argument of the wrong type is often a container — a dict, a list, a customer record — and a
container may hold contact handles, so errors show it by its type only. Numbers, text, times
and None are shown as they are (cut to 60 characters by the error).
"""

from __future__ import annotations

import numpy as np

from custpool._errors import ValidationError, wrong_argument

__all__ = ["check_index"]


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
        raise wrong_argument(field, value, "must be an integer index")
    index = int(value)
    if not -size <= index < size:
        raise ValidationError(field, index, f"must be an index from {-size} to {size - 1}")
    return index
