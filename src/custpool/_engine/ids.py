"""Ids by index: a table's customer and item ids, checked once, with a fast id → index lookup."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, overload

import numpy as np

from custpool._engine.codes import KINDS
from custpool._errors import ValidationError, wrong_type
from custpool._fields import check_identifier
from custpool._model import InteractionKind

if TYPE_CHECKING:
    from collections.abc import Iterator

    from numpy.typing import NDArray

__all__ = ["Ids", "check_ids", "check_kind", "checked_customers", "checked_id"]


def check_kind(field: str, value: object) -> InteractionKind:
    """Return ``value`` as an interaction kind, or raise naming ``field``."""
    rule = f"must be an InteractionKind or one of {', '.join(k.value for k in KINDS)}"
    if not isinstance(value, str):
        raise wrong_type(field, value, rule)
    try:
        return InteractionKind(value)
    except ValueError:
        raise ValidationError(field, value, rule) from None


def checked_id(field: str, value: object) -> str:
    """Return ``value`` checked as an id (:func:`custpool._fields.check_identifier`)."""
    if not isinstance(value, str):
        raise wrong_type(field, value, "must be an id (a string)")
    try:
        return str(check_identifier(value))
    except ValueError as exc:
        rule = str(exc).partition("; got ")[0]
        raise ValidationError(field, value, rule) from None


def checked_customers(customers: object) -> list[str]:
    """Return ``customers`` (extra customer ids, e.g. members without events), each checked.

    Raises
    ------
    custpool.WrongTypeError
        If ``customers`` is one string or not an iterable.
    custpool.ValidationError
        If an id is not a valid id (named ``customers[i]``).

    Examples
    --------
    >>> checked_customers(("c-1", "c-2"))
    ['c-1', 'c-2']
    """
    if isinstance(customers, str | bytes) or not isinstance(customers, Iterable):
        rule = "must be an iterable of customer ids, such as ['c-1'] (not one string)"
        raise wrong_type("customers", customers, rule)
    return [checked_id(f"customers[{n}]", c) for n, c in enumerate(customers)]


def check_ids(name: str, ids: object, size: int) -> Ids:
    """Return ``ids`` as :class:`Ids`: unique valid ids, at least ``size`` of them.

    Every id is checked by :func:`custpool._fields.check_identifier`, as the models check theirs.

    Raises
    ------
    custpool.WrongTypeError
        If ``ids`` is a single string (or not iterable), or an item is not a string.
    custpool.ValidationError
        If an id is invalid or repeated, or there are fewer than ``size``.
    """
    if isinstance(ids, Ids):
        if len(ids) < size:
            rule = f"needs an id for every index used: the largest index is {size - 1}"
            raise ValidationError(name, f"{len(ids)} ids", rule)
        return ids
    if isinstance(ids, str | bytes) or not isinstance(ids, Iterable):
        rule = "must be a sequence of ids, one per index, such as ['c-1', 'c-2'] (not one string)"
        raise wrong_type(name, ids, rule)
    out = tuple(checked_id(f"{name}[{position}]", value) for position, value in enumerate(ids))
    if len(set(out)) != len(out):
        seen: set[str] = set()
        for position, value in enumerate(out):
            if value in seen:
                raise ValidationError(f"{name}[{position}]", value, "ids must be unique")
            seen.add(value)
    if len(out) < size:
        rule = f"needs an id for every index used: the largest index is {size - 1}"
        raise ValidationError(name, f"{len(out)} ids", rule)
    return Ids(out)


class Ids(Sequence[str]):
    """Ids by index: the table's customer or item ids, with a fast id → index lookup.

    Either explicit strings or, when none were given, the decimal indexes ``"0"``, ``"1"``, …
    (made on demand, so a table of millions of numbered rows holds no strings).

    Examples
    --------
    >>> ids = Ids(("c-a", "c-b"))
    >>> ids[1], ids.index("c-a"), len(ids), list(Ids.numbered(3))
    ('c-b', 0, 2, ['0', '1', '2'])
    """

    __slots__ = ("_ids", "_lookup", "_make", "_size")

    def __init__(
        self,
        ids: tuple[str, ...] | None = None,
        *,
        size: int = 0,
        make: Callable[[NDArray[np.int64]], list[str]] | None = None,
    ) -> None:
        self._ids = ids
        self._size = len(ids) if ids is not None else size
        self._lookup: dict[str, int] | None = None
        self._make = make

    @classmethod
    def made(cls, size: int, make: Callable[[NDArray[np.int64]], list[str]]) -> Ids:
        """Return ``size`` ids made on demand by ``make(indexes)`` (generated order ids)."""
        return cls(None, size=size, make=make)

    @classmethod
    def numbered(cls, size: int) -> Ids:
        """Return the ids ``"0"`` … ``str(size - 1)``."""
        return cls(None, size=size)

    def column(self, index: NDArray[np.integer[Any]] | None = None) -> NDArray[Any]:
        """Return the ids (those at ``index``, or all) as a numpy column for a frame.

        Numbered ids are made from the index, never from a tuple of every id.

        Examples
        --------
        >>> import numpy as np
        >>> Ids(("c-a", "c-b")).column(np.array([1, 0])).tolist(), Ids.numbered(3).column().tolist()
        (['c-b', 'c-a'], ['0', '1', '2'])
        """
        positions = np.arange(len(self)) if index is None else np.asarray(index, dtype=np.int64)
        if self._make is not None:
            return np.asarray(self._make(positions), dtype=object)
        if self._ids is None:
            return positions.astype(np.str_)
        found: NDArray[Any] = np.asarray(self._ids, dtype=object)[positions]
        return found

    def to_state(self) -> tuple[str, ...] | int:
        """Return the ids as plain values to pickle: the tuple of ids, or the size if numbered."""
        if self._make is not None:
            return tuple(self)
        return self._size if self._ids is None else self._ids

    @classmethod
    def from_state(cls, state: object) -> Ids:
        """Return the ids :meth:`to_state` gave (checked: a pickle may come from anywhere).

        Examples
        --------
        >>> Ids.from_state(Ids(("a", "b")).to_state()) == ["a", "b"], len(Ids.from_state(3))
        (True, 3)
        """
        if isinstance(state, int) and not isinstance(state, bool) and state >= 0:
            return cls.numbered(state)
        if isinstance(state, tuple) and all(isinstance(i, str) for i in state):
            return cls(state)
        raise wrong_type("ids", state, "must be a tuple of ids or a count")

    def __len__(self) -> int:
        """Return the number of ids."""
        return self._size

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...
    def __getitem__(self, index: int | slice) -> str | tuple[str, ...]:
        """Return the id at ``index`` (a tuple for a slice)."""
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(self._size)))
        if self._ids is not None:
            return self._ids[index]
        if not -self._size <= index < self._size:
            raise IndexError(index)
        if self._make is not None:
            return self._make(np.array([index % self._size], dtype=np.int64))[0]
        return str(index % self._size)

    def __iter__(self) -> Iterator[str]:
        """Iterate over the ids in index order."""
        if self._ids is not None:
            return iter(self._ids)
        if self._make is not None:
            return self._made()
        return (str(i) for i in range(self._size))

    def _made(self) -> Iterator[str]:
        assert self._make is not None  # noqa: S101 - called for made ids only
        for start in range(0, self._size, 65_536):
            stop = min(start + 65_536, self._size)
            yield from self._make(np.arange(start, stop, dtype=np.int64))

    def __eq__(self, other: object) -> bool:
        """Compare with another :class:`Ids` or any sequence of strings."""
        if (
            isinstance(other, Ids)
            and self._ids is None
            and other._ids is None
            and self._make is None
            and other._make is None
        ):
            return self._size == other._size
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == self._size and all(
                a == b for a, b in zip(self, other, strict=False)
            )
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        """Return a short form."""
        head = ", ".join(repr(i) for i in self[:3])
        return f"Ids([{head}{', …' if self._size > 3 else ''}], {self._size} ids)"

    def index(self, value: object, start: int = 0, stop: int | None = None) -> int:
        """Return the index of an id (raises ``ValueError`` when absent)."""
        if self._lookup is None:
            self._lookup = {v: n for n, v in enumerate(self)}
        found = self._lookup.get(value) if isinstance(value, str) else None
        end = self._size if stop is None else stop
        if found is None or not start <= found < end:
            raise ValueError(f"{value!r} is not an id here")
        return found

    def __contains__(self, value: object) -> bool:
        """Whether ``value`` is one of the ids."""
        try:
            self.index(value)
        except ValueError:
            return False
        return True
