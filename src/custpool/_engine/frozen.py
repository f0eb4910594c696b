"""Truly read-only arrays: memory that no caller can make writable again, even after a pickle.

A numpy array made read-only with ``array.flags.writeable = False`` is read-only only on the
surface: whoever holds it can call ``array.setflags(write=True)`` (numpy allows it whenever the
array owns its memory or its base is writable), and a pickled or deep-copied array comes back
writable. The engine's tables are shared (between notebooks, threads, worker processes), so their
columns hold *frozen* memory instead: the data lives in an immutable :class:`bytes` object, which
numpy refuses to make writable, and the tables pickle that buffer and read it back the same way.

Freezing costs one copy of the data (a ``memcpy``); an array that is frozen already is adopted
as it is.

Examples
--------
>>> import numpy as np
>>> column = freeze(np.arange(3), np.int32)
>>> column.tolist(), column.dtype.name, is_frozen(column)
([0, 1, 2], 'int32', True)
>>> column.setflags(write=True)
Traceback (most recent call last):
...
ValueError: cannot set WRITEABLE flag to True of this array
>>> surface = np.arange(3)
>>> surface.flags.writeable = False
>>> is_frozen(surface)  # it owns its memory: setflags(write=True) would succeed
False
>>> restore(frozen_state(column), "column").tolist()
[0, 1, 2]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from custpool._errors import ValidationError, WrongTypeError

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, DTypeLike, NDArray

__all__ = ["FrozenState", "freeze", "frozen_state", "is_frozen", "restore"]

FrozenState = tuple[bytes, str, tuple[int, ...]]
"""How a frozen array pickles: its bytes (C order), its dtype (``dtype.str``) and its shape."""


def is_frozen(array: NDArray[Any]) -> bool:
    """Whether ``array``'s memory is an immutable ``bytes`` object, seen through read-only views.

    Only then can nobody make it writable: every array on the way to the memory must be
    read-only and must not own its data (numpy lets an owner be made writable again).
    """
    holder: object = array
    while isinstance(holder, np.ndarray):
        if holder.flags.writeable or holder.flags.owndata:
            return False
        holder = holder.base
    return isinstance(holder, bytes)


def _over(buffer: bytes, dtype: np.dtype[Any], shape: tuple[int, ...]) -> NDArray[Any]:
    array: NDArray[Any] = np.frombuffer(buffer, dtype=dtype)
    return array.reshape(shape) if len(shape) != 1 else array


def freeze(array: ArrayLike, dtype: DTypeLike | None = None, *, adopt: bool = True) -> NDArray[Any]:
    """Return ``array``'s values (cast to ``dtype``) over frozen memory, C-contiguous.

    An array that is frozen already, contiguous and of the right dtype is returned as it is when
    ``adopt`` is true; anything else is copied once into a new ``bytes`` buffer.
    """
    values: NDArray[Any] = np.asarray(array)
    wanted: np.dtype[Any] = values.dtype if dtype is None else np.dtype(dtype)
    same = values.dtype == wanted
    if adopt and same and values.flags.c_contiguous and is_frozen(values):
        return values
    if not same:
        values = values.astype(wanted)
    return _over(values.tobytes(), wanted, values.shape)


def frozen_state(array: NDArray[Any]) -> FrozenState:
    """Return what a frozen array pickles as (its own buffer when it spans all of it: no copy)."""
    base: object = array.base
    buffer = base if isinstance(base, bytes) and len(base) == array.nbytes else array.tobytes()
    return buffer, array.dtype.str, tuple(int(n) for n in array.shape)


def restore(state: object, name: str) -> NDArray[Any]:
    """Return the frozen array a :data:`FrozenState` describes, over the pickled buffer itself.

    Raises
    ------
    custpool.ValidationError
        If ``state`` is not a frozen array's state (a damaged or foreign pickle); ``name`` is the
        attribute it was meant for.
    """
    if not (isinstance(state, tuple) and len(state) == 3):
        shown = f"<{type(state).__name__}>"
        rule = "must be a frozen array's pickled state"
        raise WrongTypeError(name, shown, rule, shown=shown)
    buffer, code, shape = state
    try:
        dtype = np.dtype(code)
        size = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    except (TypeError, ValueError):
        raise ValidationError(name, "<state>", "holds no valid dtype and shape") from None
    if not isinstance(buffer, bytes) or len(buffer) != size or dtype.kind not in "iub":
        raise ValidationError(name, "<state>", f"must hold {size} bytes of integers or booleans")
    return _over(buffer, dtype, tuple(shape))
