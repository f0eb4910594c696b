"""The columnar event table: every interaction of a pool as sorted numpy columns.

The object API (:class:`~custpool.Interaction`, :func:`~custpool.classify`) is exact and easy to
read; this table is what makes the same answers fast for millions of customers. One row per
interaction, one numpy column per field, sorted by customer, then time, so that each customer's
events are one contiguous slice (``offsets``) and every per-customer question is a
``bincount``/``reduceat`` over the whole table rather than a Python loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Final, Self, TypeVar, overload

import numpy as np

from custpool._errors import UnknownIdError, ValidationError, WrongTypeError
from custpool._model import (
    CURRENCY_MINOR_UNITS,
    KIND_RULES,
    Channel,
    ChurnReason,
    ComplaintReason,
    Direction,
    Interaction,
    InteractionKind,
    Money,
    SourceChannel,
)
from custpool._time import from_micros, to_micros

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from numpy.typing import ArrayLike, NDArray

__all__ = [
    "CHANNELS",
    "COLUMNS",
    "COLUMN_DTYPES",
    "DIRECTIONS",
    "KINDS",
    "KIND_CODE",
    "OUTBOUND",
    "SOURCES",
    "EventTable",
    "Ids",
    "check_ids",
    "MIN_TIME",
    "readonly",
]

KINDS: Final = tuple(InteractionKind)
"""Kind codes: ``KINDS[code]`` is the kind stored as ``code`` in the ``kind`` column."""
KIND_CODE: Final = {kind: code for code, kind in enumerate(KINDS)}
"""The code of each kind."""
DIRECTIONS: Final = tuple(Direction)
"""Direction codes: INBOUND = 0, OUTBOUND = 1, PEER = 2."""
OUTBOUND: Final = DIRECTIONS.index(Direction.OUTBOUND)
"""The one direction code that is not customer-initiated."""
CHANNELS: Final = tuple(Channel)
"""Channel codes."""
SOURCES: Final = tuple(SourceChannel)
"""Source-channel codes (the ``source`` column of CONNECT rows)."""
CHURN_REASONS: Final = tuple(ChurnReason)
COMPLAINT_REASONS: Final = tuple(ComplaintReason)

# Times a table accepts: wide enough for any CRM's history, narrow enough that adding or taking
# any policy window (at most a few centuries) can never overflow int64 microseconds.
MIN_TIME: Final = to_micros(datetime(1900, 1, 1, tzinfo=UTC))
"""The earliest time a table holds (1900-01-01 UTC), in microseconds."""
MAX_TIME: Final = to_micros(datetime(2170, 1, 1, tzinfo=UTC))
"""The time every row must be before (2170-01-01 UTC), in microseconds."""

Ints = "NDArray[np.integer[Any]]"
"""Any integer column, validated in its own dtype (no widening copy)."""

_CONNECT: Final = KIND_CODE[InteractionKind.CONNECT]
_CHURN: Final = KIND_CODE[InteractionKind.CHURN]
_COMPLAINT: Final = KIND_CODE[InteractionKind.COMPLAINT]
_REFERRAL: Final = KIND_CODE[InteractionKind.REFERRAL]
_NPS: Final = KIND_CODE[InteractionKind.NPS]
_MONEY_KINDS: Final = (KIND_CODE[InteractionKind.PURCHASE], KIND_CODE[InteractionKind.REFUND])
_ITEM_REQUIRED: Final = (*_MONEY_KINDS, KIND_CODE[InteractionKind.EVENT_ATTEND])
_ITEM_OPTIONAL: Final = (
    KIND_CODE[InteractionKind.CONTENT_VIEW],
    KIND_CODE[InteractionKind.REACTION],
)
_ITEM_FIELD: Final = {
    InteractionKind.PURCHASE: "order_id",
    InteractionKind.REFUND: "order_id",
    InteractionKind.EVENT_ATTEND: "event_id",
    InteractionKind.CONTENT_VIEW: "content_id",
    InteractionKind.REACTION: "content_id",
}
_MAX_AMOUNT: Final = 10**15 * 10**4  # Money's bound (10**15) in the finest minor unit (4 digits)


def _lookup(table: dict[InteractionKind, tuple[int, ...]], size: int) -> NDArray[np.bool_]:
    allowed = np.zeros((len(KINDS), size), dtype=np.bool_)
    for kind, codes in table.items():
        allowed[KIND_CODE[kind], list(codes)] = True
    return allowed


def _kind_flags(codes: tuple[int, ...]) -> NDArray[np.bool_]:
    """Return a lookup array: ``_kind_flags(codes)[kind_column]`` masks the rows of ``codes``."""
    flags = np.zeros(len(KINDS), dtype=np.bool_)
    flags[list(codes)] = True
    return flags


_DIRECTION_ALLOWED: Final = _lookup(
    {k: tuple(DIRECTIONS.index(d) for d in r.directions) for k, r in KIND_RULES.items()},
    len(DIRECTIONS),
)
_DEFAULT_DIRECTION: Final = np.array(
    [
        DIRECTIONS.index(r.directions[0]) if len(r.directions) == 1 else -1
        for r in KIND_RULES.values()
    ],
    dtype=np.int8,
)
_FIXED_CHANNEL: Final = np.array(
    [-1 if r.channel is None else CHANNELS.index(r.channel) for r in KIND_RULES.values()],
    dtype=np.int8,
)
_OTHER_CHANNEL: Final = CHANNELS.index(Channel.OTHER)


A = TypeVar("A", bound="np.ndarray[tuple[int, ...], np.dtype[np.generic]]")


def readonly(array: A) -> A:
    """Make ``array`` read-only and return it."""
    array.flags.writeable = False
    return array


def _fail(column: str, bad: NDArray[np.bool_], values: NDArray[np.generic], rule: str) -> None:
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
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValidationError(name, f"array of shape {array.shape}", "must be one-dimensional")
    if n is not None and array.shape[0] != n:
        rule = f"must have one value per row: {n} rows, but {array.shape[0]} values"
        raise ValidationError(name, f"array of length {array.shape[0]}", rule)
    out: NDArray[np.integer[Any]]
    if array.dtype.kind in "iu":
        out = array
    elif array.dtype.kind == "f":
        _fail(name, ~np.isfinite(array), array, "must be a finite number (no NaN or infinity)")
        _fail(name, array != np.trunc(array), array, "must be a whole number")
        _fail(name, np.abs(array) >= 2.0**62, array, "is out of range")
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
        _fail(
            name, (wide < info.min) | (wide > info.max), out, f"must fit in {np.dtype(dtype).name}"
        )
    return out


def _times(values: ArrayLike, n: int) -> NDArray[np.integer[Any]]:
    array = np.asarray(values)
    if array.dtype.kind == "M":
        if array.ndim == 1:
            _fail("time", np.isnat(array), array, "must be a time, not NaT")
        array = array.astype("datetime64[us]").astype(np.int64)
    elif array.dtype.kind == "O" and array.size:
        raise WrongTypeError(
            "time", "array of objects", "must be int64 microseconds or datetime64 values"
        )
    times = _integers("time", array, n, np.int64)
    outside = (times < MIN_TIME) | (times >= MAX_TIME)
    _fail("time", outside, times, "must be from 1900-01-01 to before 2170-01-01 (UTC)")
    return times


def _codes(
    name: str, values: ArrayLike | None, n: int, size: int, dtype: type[np.signedinteger[Any]]
) -> NDArray[np.integer[Any]] | None:
    if values is None:
        return None
    codes = _integers(name, values, n, dtype)
    _fail(name, (codes < -1) | (codes >= size), codes, f"must be a code from 0 to {size - 1}")
    return codes


def check_ids(name: str, ids: Sequence[str], size: int) -> Ids:
    """Return ``ids`` as :class:`Ids`: non-empty, unique strings, at least ``size`` of them."""
    if isinstance(ids, Ids):
        if len(ids) < size:
            rule = f"needs an id for every index used: the largest index is {size - 1}"
            raise ValidationError(name, f"{len(ids)} ids", rule)
        return ids
    out = tuple(ids)
    for position, value in enumerate(out):
        if not isinstance(value, str) or not value:  # type: ignore[redundant-expr]
            raise ValidationError(f"{name}[{position}]", value, "must be a non-empty string")
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


COLUMNS: Final = (
    "customer",
    "time",
    "kind",
    "direction",
    "channel",
    "source",
    "reason",
    "amount",
    "referred",
    "score",
    "item",
)
"""The column names, in order."""


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

    __slots__ = ("_ids", "_lookup", "_size")

    def __init__(self, ids: tuple[str, ...] | None = None, *, size: int = 0) -> None:
        self._ids = ids
        self._size = len(ids) if ids is not None else size
        self._lookup: dict[str, int] | None = None

    @classmethod
    def numbered(cls, size: int) -> Ids:
        """Return the ids ``"0"`` … ``str(size - 1)``."""
        return cls(None, size=size)

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
        return str(index % self._size)

    def __iter__(self) -> Iterator[str]:
        """Iterate over the ids in index order."""
        if self._ids is not None:
            return iter(self._ids)
        return (str(i) for i in range(self._size))

    def __eq__(self, other: object) -> bool:
        """Compare with another :class:`Ids` or any sequence of strings."""
        if isinstance(other, Ids) and self._ids is None and other._ids is None:
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


@dataclass(frozen=True, slots=True, eq=False)
class EventTable:
    """Every interaction of a pool as read-only numpy columns, sorted by customer then time.

    Build one with :meth:`from_arrays`, :meth:`from_interactions` or
    :func:`~custpool.read_events`; never by hand. Rows are sorted by customer index, then time,
    then a tie-break (the interaction id when built from objects, the input order when built
    from arrays), so customer ``c``'s events are rows ``offsets[c]:offsets[c + 1]``.

    ============  =====  ==============================================================
    column        dtype  value
    ============  =====  ==============================================================
    ``customer``  int32  customer index (``customer_ids[c]`` is the id)
    ``time``      int64  microseconds since 1970-01-01 UTC
    ``kind``      int8   ``KINDS[code]``: CONNECT 0, CHURN 1, … COMPLAINT 12
    ``direction`` int8   INBOUND 0, OUTBOUND 1, PEER 2
    ``channel``   int8   index in ``tuple(Channel)``
    ``source``    int8   CONNECT: index in ``tuple(SourceChannel)``; else -1
    ``reason``    int8   CHURN / COMPLAINT: index in ``tuple(ChurnReason)`` /
                         ``tuple(ComplaintReason)``; else -1
    ``amount``    int64  PURCHASE / REFUND: minor units of ``currency`` (> 0); else 0
    ``referred``  int32  REFERRAL: the referred customer's index; else -1
    ``score``     int8   NPS: 0-10; else -1
    ``item``      int32  index in ``item_ids`` of the order (PURCHASE, REFUND), event
                         (EVENT_ATTEND) or content (CONTENT_VIEW, REACTION, optional); else -1
    ============  =====  ==============================================================

    That is 37 bytes per event (:attr:`nbytes`), plus 8 per customer for ``offsets``.

    Examples
    --------
    >>> from custpool import EventTable, example_pool
    >>> from custpool._engine.events import KINDS
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> len(table), table.n_customers, table.currency
    (29, 6, 'CNY')
    >>> table.customer_ids[:2], table.offsets[:3].tolist()
    (('c-001', 'c-002'), [0, 8, 16])
    >>> [KINDS[code].value for code in table.column("kind")[:3]]
    ['connect', 'purchase', 'group_post']
    """

    customer: NDArray[np.int32]
    """Customer index of each row."""
    time: NDArray[np.int64]
    """Microseconds since the epoch, UTC."""
    kind: NDArray[np.int8]
    """Kind code (``KINDS``)."""
    direction: NDArray[np.int8]
    """Direction code: INBOUND 0, OUTBOUND 1, PEER 2."""
    channel: NDArray[np.int8]
    """Channel code."""
    source: NDArray[np.int8]
    """CONNECT: source-channel code; else -1."""
    reason: NDArray[np.int8]
    """CHURN: churn-reason code; COMPLAINT: complaint-reason code; else -1."""
    amount: NDArray[np.int64]
    """PURCHASE / REFUND: minor units of ``currency``; else 0."""
    referred: NDArray[np.int32]
    """REFERRAL: the referred customer's index; else -1."""
    score: NDArray[np.int8]
    """NPS: the answer 0-10; else -1."""
    item: NDArray[np.int32]
    """Index in ``item_ids`` (order, event or content); else -1."""
    customer_ids: Ids
    """Customer id of each index."""
    item_ids: Ids
    """Order, event and content id of each item index."""
    currency: str | None
    """ISO 4217 code of every amount; None when the table has none."""
    offsets: NDArray[np.int64]
    """Customer ``c``'s rows are ``offsets[c]:offsets[c + 1]``."""

    COLUMNS: ClassVar[tuple[str, ...]] = COLUMNS
    """The column names, in order."""

    # -- reading ------------------------------------------------------------------------------

    def __len__(self) -> int:
        """Return the number of rows (events)."""
        return int(self.customer.shape[0])

    def __repr__(self) -> str:
        """Return a short summary, never the columns."""
        return (
            f"EventTable({len(self)} events, {self.n_customers} customers, "
            f"currency={self.currency!r})"
        )

    @property
    def n_customers(self) -> int:
        """Number of customers (some may have no events)."""
        return len(self.customer_ids)

    @property
    def nbytes(self) -> int:
        """Bytes held by the columns and ``offsets`` (not the id tuples)."""
        return sum(self.column(name).nbytes for name in self.COLUMNS) + self.offsets.nbytes

    def column(self, name: str) -> NDArray[np.integer[Any]]:
        """Return a column by name (read-only).

        Raises
        ------
        custpool.ValidationError
            If there is no such column.
        """
        if name not in self.COLUMNS:
            rule = f"must be one of {', '.join(self.COLUMNS)}"
            raise ValidationError("name", name, rule)
        array: NDArray[np.integer[Any]] = getattr(self, name)
        return array

    def kind_is(self, *kinds: InteractionKind | str) -> NDArray[np.bool_]:
        """Return a mask of the rows of any of ``kinds``.

        Examples
        --------
        >>> from custpool import EventTable, example_pool
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> int(table.kind_is("purchase", "refund").sum())
        5
        """
        codes = tuple(KIND_CODE[InteractionKind(k)] for k in kinds)
        if len(codes) == 1:
            mask: NDArray[np.bool_] = self.kind == codes[0]
            return mask
        return _kind_flags(codes)[self.kind]

    def customer_initiated(self) -> NDArray[np.bool_]:
        """Return a mask of the rows the customer started (direction inbound or peer)."""
        mask: NDArray[np.bool_] = self.direction != OUTBOUND
        return mask

    def customer_index(self, customer_id: str) -> int:
        """Return the index of a customer id.

        Raises
        ------
        custpool.UnknownIdError
            If the table has no such customer.

        Examples
        --------
        >>> from custpool import EventTable, example_pool
        >>> EventTable.from_interactions(example_pool().interactions).customer_index("c-003")
        2
        """
        try:
            return self.customer_ids.index(customer_id)
        except ValueError:
            raise UnknownIdError("customer", customer_id) from None

    def money(self, minor_units: int) -> Money:
        """Return an amount of minor units as :class:`~custpool.Money` in the table's currency.

        Raises
        ------
        custpool.ValidationError
            If the table has no currency (it holds no amounts).
        """
        if self.currency is None:
            raise ValidationError("currency", None, "the table holds no amounts, so no currency")
        return Money.from_minor_units(minor_units, self.currency)

    def interactions(self) -> Iterator[Interaction]:
        """Yield every row as an :class:`~custpool.Interaction` (ids ``"e-<row>"``), in row order.

        Meant for small tables: checking, exporting with :func:`~custpool.write_jsonl`, or
        feeding the object API. Building a table from the result gives the same columns.

        Examples
        --------
        >>> from custpool import EventTable, example_pool
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> first = next(table.interactions())
        >>> first.id, first.customer_id, first.kind.value, first.source.value
        ('e-0', 'c-001', 'connect', 'store')
        """
        rows = zip(*(self.column(name).tolist() for name in self.COLUMNS), strict=True)
        for row, values in enumerate(rows):
            yield _interaction(self, row, dict(zip(self.COLUMNS, values, strict=True)))

    # -- building -----------------------------------------------------------------------------

    @classmethod
    def from_arrays(  # noqa: PLR0913 - one keyword per column reads best
        cls,
        customer: ArrayLike,
        time: ArrayLike,
        kind: ArrayLike,
        *,
        direction: ArrayLike | None = None,
        channel: ArrayLike | None = None,
        source: ArrayLike | None = None,
        reason: ArrayLike | None = None,
        amount: ArrayLike | None = None,
        referred: ArrayLike | None = None,
        score: ArrayLike | None = None,
        item: ArrayLike | None = None,
        customer_ids: Sequence[str] | None = None,
        item_ids: Sequence[str] | None = None,
        currency: str | None = None,
        copy: bool = True,
    ) -> Self:
        """Build a table from one array per column, checking every row against the kind rules.

        Every array has one value per row, in any order (rows are sorted by customer, then
        time; rows of one customer at the same instant keep their input order). Codes are
        those of the class table above. Columns may be left out:

        - ``direction``: each kind's only allowed direction (refused if a kind present allows
          several);
        - ``channel``: the kind's fixed channel (group posts, store visits), else ``other``;
        - ``source`` and ``reason``: ``other`` on the rows that need one, -1 elsewhere;
        - ``amount``, ``referred``, ``score``, ``item``: empty (0 or -1) — refused if rows need
          them;
        - ``customer_ids``: ``"0"``, ``"1"``, … up to the largest customer index; give them to
          add customers without events (at least one customer is needed);
        - ``item_ids``: ``"0"``, ``"1"``, … up to the largest item index.

        Parameters
        ----------
        customer, time, kind
            Customer index, time (int64 microseconds since the epoch or ``datetime64``) and
            kind code of each row.
        direction, channel, source, reason, amount, referred, score, item
            The other columns (see above).
        customer_ids, item_ids
            Ids by index; unique non-empty strings.
        currency
            ISO 4217 code of the amounts; required when any row has one.
        copy
            When false, arrays that already have the column's dtype and order are adopted (and
            made read-only) rather than copied; the caller must not change them afterwards.

        Returns
        -------
        EventTable

        Raises
        ------
        custpool.ValidationError
            For the first row that breaks a rule, naming the column, the row (input position),
            the value and the rule, and how many rows break it: wrong lengths, codes out of
            range, NaN, fractional or negative amounts, amounts on kinds without money, times
            outside 1900-2170, directions or channels a kind does not allow, unknown or
            self-referrals, scores outside 0-10, a missing currency, or no customer at all.

        Examples
        --------
        >>> import numpy as np
        >>> from custpool import EventTable
        >>> day = 86_400_000_000
        >>> t0 = np.datetime64("2026-03-01T00:00:00", "us").astype(np.int64)
        >>> table = EventTable.from_arrays(
        ...     customer=[1, 0, 0], time=[t0, t0 + day, t0], kind=[0, 8, 0],
        ...     direction=[0, 0, 1], amount=[0, 19_900, 0], item=[-1, 0, -1], currency="CNY",
        ...     customer_ids=["c-a", "c-b"], item_ids=["o-1"],
        ... )
        >>> table.customer.tolist(), table.kind.tolist(), table.amount.tolist()
        ([0, 0, 1], [0, 8, 0], [0, 19900, 0])
        >>> EventTable.from_arrays([0], [t0], [2])  # a message: inbound, outbound or peer?
        Traceback (most recent call last):
        ...
        custpool.ValidationError: kind[0]=2: has no default direction (its kind allows ...
        >>> EventTable.from_arrays([0, 0], [t0, t0], [8, 7], amount=[float("nan"), 0])
        Traceback (most recent call last):
        ...
        custpool.ValidationError: amount[0]=nan: must be a finite number (no NaN or ...
        """
        return cls._build(
            _Columns.check(
                customer,
                time,
                kind,
                optional={
                    "direction": direction,
                    "channel": channel,
                    "source": source,
                    "reason": reason,
                    "amount": amount,
                    "referred": referred,
                    "score": score,
                    "item": item,
                },
                customer_ids=customer_ids,
                item_ids=item_ids,
                currency=currency,
            ),
            copy=copy,
        )

    @classmethod
    def _build(cls, columns: _Columns, *, copy: bool) -> Self:
        data = columns.data
        customer = data["customer"]
        time = data["time"]
        order = _sort_order(customer, time, len(columns.customer_ids))
        out: dict[str, NDArray[np.integer[Any]]] = {}
        for name in cls.COLUMNS:
            values = data[name]
            if order is not None:
                values = values[order]  # a fresh array: nothing to copy again
            elif copy:
                values = values.copy()
            out[name] = readonly(np.ascontiguousarray(values, dtype=COLUMN_DTYPES[name]))
        counts = np.bincount(out["customer"], minlength=len(columns.customer_ids))
        offsets = np.zeros(len(columns.customer_ids) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        return cls(
            **out,  # type: ignore[arg-type]
            customer_ids=columns.customer_ids,
            item_ids=columns.item_ids,
            currency=columns.currency,
            offsets=readonly(offsets),
        )

    @classmethod
    def from_interactions(
        cls,
        interactions: Iterable[Interaction],
        *,
        customers: Iterable[str] = (),
        currency: str | None = None,
    ) -> Self:
        """Build a table from :class:`~custpool.Interaction` objects.

        Customers are indexed in sorted id order: those with interactions and those listed in
        ``customers`` (members without events yet). Items (order, event and content ids) are
        indexed in sorted order too, so the table does not depend on the input order. An
        interaction repeated exactly is dropped; two different interactions with one id are
        refused.

        Parameters
        ----------
        interactions
            The interactions, in any order.
        customers
            Extra customer ids to include (e.g. the pool's members without events).
        currency
            The table's currency; by default, that of the first interaction with an amount.

        Returns
        -------
        EventTable

        Raises
        ------
        custpool.ValidationError
            If an item is not an ``Interaction``, an id repeats with other content, an amount
            is in another currency than the table's, or a referral names a customer who is
            neither in the interactions nor in ``customers``.

        Examples
        --------
        >>> from custpool import EventTable, example_pool
        >>> pool = example_pool()
        >>> table = EventTable.from_interactions(pool.interactions, customers=["c-new"])
        >>> table.n_customers, table.customer_ids[-1], table.offsets[-2:].tolist()
        (7, 'c-new', [29, 29])
        """
        rows = _unique_rows(interactions)
        ids = {i.customer_id for i in rows}
        for position, extra in enumerate(customers):
            if not isinstance(extra, str) or not extra:  # type: ignore[redundant-expr]
                raise ValidationError(f"customers[{position}]", extra, "must be a customer id")
            ids.add(extra)
        customer_ids = tuple(sorted(ids))
        first_currency: tuple[str, int] | None = None if currency is None else (currency, -1)
        for position, row in enumerate(rows):
            if row.amount is not None:
                if first_currency is None:
                    first_currency = (row.amount.currency, position)
                elif row.amount.currency != first_currency[0]:
                    raise ValidationError(
                        f"interactions[{position}].amount.currency",
                        row.amount.currency,
                        _currency_rule(first_currency[0], first_currency[1]),
                    )
            if row.referred_id is not None and row.referred_id not in ids:
                raise ValidationError(
                    f"interactions[{position}].referred_id", row.referred_id, _UNKNOWN_REFERRED
                )
        index = {cid: n for n, cid in enumerate(customer_ids)}
        items = sorted({v for row in rows if (v := _item_of(row)) is not None})
        item_index = {iid: n for n, iid in enumerate(items)}
        rows.sort(key=lambda r: (index[r.customer_id], r.at, r.id))
        code = first_currency[0] if first_currency else None
        return cls.from_arrays(
            **_object_columns(rows, index, item_index),
            customer_ids=customer_ids,
            item_ids=items,
            currency=code,
            copy=False,
        )


def _sort_order(
    customer: NDArray[np.integer[Any]], time: NDArray[np.integer[Any]], n_customers: int
) -> NDArray[np.intp] | None:
    """Return the permutation sorting rows by customer, then time, then input order.

    None when the rows are sorted already (checked in one pass). A time-ordered log needs one
    stable argsort of the customer column. Otherwise one stable argsort of a combined int64 key
    ``customer * span + time`` when it fits, else the time's rank stands in for the time (a
    stable argsort of the time, then of the combined key).
    """
    n = customer.shape[0]
    if n < 2:
        return None
    step = np.diff(customer)
    if not (step < 0).any() and not (np.diff(time)[step == 0] < 0).any():
        return None
    if not (np.diff(time) < 0).any():
        # A time-ordered log (how events are usually exported): a stable sort by customer
        # keeps time order, then input order, within each customer.
        return np.argsort(customer, kind="stable")
    low = int(time.min())
    span = int(time.max()) - low + 1
    if n_customers * span < 2**62:
        return np.argsort(customer.astype(np.int64) * span + (time - low), kind="stable")
    by_time = np.argsort(time, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[by_time] = np.arange(n, dtype=np.int64)
    del by_time
    # ranks are distinct, so the combined keys are too and any sort algorithm is stable here
    return np.argsort(customer.astype(np.int64) * n + rank)


_UNKNOWN_REFERRED: Final = (
    "the referred customer must be a customer of the table (have interactions, or be listed "
    "in customers=)"
)


def _currency_rule(currency: str, where: int) -> str:
    origin = "given as currency=" if where < 0 else f"from interactions[{where}]"
    return f"must be the table's one currency, {currency} ({origin})"


COLUMN_DTYPES: Final[dict[str, type[np.signedinteger[Any]]]] = {
    "customer": np.int32,
    "time": np.int64,
    "kind": np.int8,
    "direction": np.int8,
    "channel": np.int8,
    "source": np.int8,
    "reason": np.int8,
    "amount": np.int64,
    "referred": np.int32,
    "score": np.int8,
    "item": np.int32,
}
"""The dtype of each column."""


def _item_of(row: Interaction) -> str | None:
    field = _ITEM_FIELD.get(row.kind)
    value: str | None = getattr(row, field) if field else None
    return value


def _unique_rows(interactions: Iterable[Interaction]) -> list[Interaction]:
    seen: dict[str, tuple[int, Interaction]] = {}
    rows: list[Interaction] = []
    for position, row in enumerate(interactions):
        if not isinstance(row, Interaction):
            raise WrongTypeError(f"interactions[{position}]", row, "must be an Interaction")
        earlier = seen.get(row.id)
        if earlier is None:
            seen[row.id] = (position, row)
            rows.append(row)
        elif earlier[1] != row:
            rule = f"duplicate id: interactions[{earlier[0]}] has it with different content"
            raise ValidationError(f"interactions[{position}].id", row.id, rule)
    return rows


def _object_columns(
    rows: list[Interaction], index: dict[str, int], item_index: dict[str, int]
) -> dict[str, NDArray[np.int64]]:
    def reason(row: Interaction) -> int:
        if row.churn_reason is not None:
            return CHURN_REASONS.index(row.churn_reason)
        if row.complaint_reason is not None:
            return COMPLAINT_REASONS.index(row.complaint_reason)
        return -1

    def column(values: Iterable[int]) -> NDArray[np.int64]:
        return np.fromiter(values, dtype=np.int64, count=len(rows))

    return {
        "customer": column(index[r.customer_id] for r in rows),
        "time": column(to_micros(r.at) for r in rows),
        "kind": column(KIND_CODE[r.kind] for r in rows),
        "direction": column(DIRECTIONS.index(r.direction) for r in rows),
        "channel": column(CHANNELS.index(r.channel) for r in rows),
        "source": column(-1 if r.source is None else SOURCES.index(r.source) for r in rows),
        "reason": column(reason(r) for r in rows),
        "amount": column(0 if r.amount is None else r.amount.minor_units for r in rows),
        "referred": column(-1 if r.referred_id is None else index[r.referred_id] for r in rows),
        "score": column(-1 if r.score is None else r.score for r in rows),
        "item": column(-1 if (i := _item_of(r)) is None else item_index[i] for r in rows),
    }


def _interaction(table: EventTable, row: int, v: dict[str, int]) -> Interaction:
    kind = KINDS[v["kind"]]
    data: dict[str, object] = {
        "id": f"e-{row}",
        "customer_id": table.customer_ids[v["customer"]],
        "at": from_micros(v["time"]),
        "kind": kind,
        "direction": DIRECTIONS[v["direction"]],
        "channel": CHANNELS[v["channel"]],
    }
    if v["source"] >= 0:
        data["source"] = SOURCES[v["source"]]
    if v["reason"] >= 0:
        key = "churn_reason" if kind is InteractionKind.CHURN else "complaint_reason"
        data[key] = (CHURN_REASONS if key == "churn_reason" else COMPLAINT_REASONS)[v["reason"]]
    if kind in (InteractionKind.PURCHASE, InteractionKind.REFUND):
        data["amount"] = table.money(v["amount"])
    if v["referred"] >= 0:
        data["referred_id"] = table.customer_ids[v["referred"]]
    if v["score"] >= 0:
        data["score"] = v["score"]
    if v["item"] >= 0:
        data[_ITEM_FIELD[kind]] = table.item_ids[v["item"]]
    return Interaction.model_validate(data)


@dataclass(frozen=True, slots=True)
class _Columns:
    """Validated columns (int64, input order) with their id tuples and currency."""

    data: dict[str, NDArray[np.integer[Any]]]
    customer_ids: Ids
    item_ids: Ids
    currency: str | None

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
    ) -> _Columns:
        customers = _integers("customer", customer, None, np.int32)
        n = customers.shape[0]
        _fail("customer", customers < 0, customers, "must be a customer index >= 0")
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
        _fail("kind", kinds < 0, kinds, f"must be a code from 0 to {len(KINDS) - 1}")
        data = {"customer": customers, "time": _times(time, n), "kind": kinds}
        _check_directions(data, optional["direction"], n)
        _check_channels(data, optional["channel"], n)
        _check_labels(data, optional["source"], optional["reason"], n)
        has_money = _check_amounts(data, optional["amount"], n)
        _check_referrals(data, optional["referred"], n, len(ids))
        _check_scores(data, optional["score"], n)
        items = _check_items(data, optional["item"], n, item_ids)
        code: str | None = None
        if currency is not None:
            code = currency.strip().upper() if isinstance(currency, str) else currency  # type: ignore[redundant-expr]
            if code not in CURRENCY_MINOR_UNITS:
                raise ValidationError("currency", currency, "must be an ISO 4217 currency code")
        elif has_money:
            raise ValidationError("currency", None, "is required: some rows have amounts")
        return cls(data, ids, items, code)


def _given(
    name: str, values: ArrayLike | None, n: int, size: int
) -> NDArray[np.integer[Any]] | None:
    return _codes(name, values, n, size, np.int8 if size < 128 else np.int32)


def _check_directions(
    data: dict[str, NDArray[np.integer[Any]]], values: ArrayLike | None, n: int
) -> None:
    kinds = data["kind"]
    given = _given("direction", values, n, len(DIRECTIONS))
    if given is None:
        defaults = _DEFAULT_DIRECTION[kinds]
        rule = "has no default direction (its kind allows several): pass the direction column"
        _fail("kind", defaults < 0, kinds, rule)
        data["direction"] = defaults
        return
    _fail("direction", given < 0, given, "must be a direction code from 0 to 2")
    bad = ~_DIRECTION_ALLOWED[kinds, given]
    _fail("direction", bad, given, "is not allowed for the row's kind (see KIND_RULES)")
    data["direction"] = given


def _check_channels(
    data: dict[str, NDArray[np.integer[Any]]], values: ArrayLike | None, n: int
) -> None:
    kinds = data["kind"]
    fixed = _FIXED_CHANNEL[kinds]
    given = _given("channel", values, n, len(CHANNELS))
    if given is None:
        data["channel"] = np.where(fixed >= 0, fixed, np.int8(_OTHER_CHANNEL))
        return
    _fail("channel", given < 0, given, f"must be a channel code from 0 to {len(CHANNELS) - 1}")
    bad = (fixed >= 0) & (given != fixed)
    _fail("channel", bad, given, "must be the kind's own channel (group posts, store visits)")
    data["channel"] = given


def _check_labels(
    data: dict[str, NDArray[np.integer[Any]]],
    source: ArrayLike | None,
    reason: ArrayLike | None,
    n: int,
) -> None:
    kinds = data["kind"]
    is_connect = kinds == _CONNECT
    sources = _given("source", source, n, len(SOURCES))
    if sources is None:
        sources = np.where(is_connect, np.int8(SOURCES.index(SourceChannel.OTHER)), np.int8(-1))
    _fail("source", is_connect & (sources < 0), sources, "connect rows need a source")
    _fail("source", ~is_connect & (sources >= 0), sources, "only connect rows have a source")
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
    _fail("reason", needs & (reasons < 0), reasons, "churn and complaint rows need a reason")
    _fail("reason", ~needs & (reasons >= 0), reasons, "only churn and complaint rows have one")
    _fail("reason", is_churn & (reasons >= len(CHURN_REASONS)), reasons, "is not a churn reason")
    bad = is_complaint & (reasons >= len(COMPLAINT_REASONS))
    _fail("reason", bad, reasons, "is not a complaint reason")
    data["reason"] = reasons


def _check_amounts(
    data: dict[str, NDArray[np.integer[Any]]], values: ArrayLike | None, n: int
) -> bool:
    kinds = data["kind"]
    money = _kind_flags(_MONEY_KINDS)[kinds]
    if values is None:
        amounts: NDArray[np.integer[Any]] = np.zeros(n, dtype=np.int64)
    else:
        amounts = _integers("amount", values, n, np.int64)
    rule = "must be positive minor units on purchase and refund rows"
    _fail("amount", money & (amounts <= 0), amounts, rule)
    _fail("amount", money & (amounts >= _MAX_AMOUNT), amounts, "is out of range")
    _fail(
        "amount",
        ~money & (amounts != 0),
        amounts,
        "must be 0 on rows other than purchase and refund",
    )
    data["amount"] = amounts
    return bool(money.any())


def _check_referrals(
    data: dict[str, NDArray[np.integer[Any]]], values: ArrayLike | None, n: int, customers: int
) -> None:
    kinds = data["kind"]
    is_referral = kinds == _REFERRAL
    referred = (
        np.full(n, -1, dtype=np.int32)
        if values is None
        else _integers("referred", values, n, np.int32)
    )
    _fail(
        "referred",
        is_referral & (referred < 0),
        referred,
        "referral rows need the referred customer",
    )
    _fail(
        "referred",
        ~is_referral & (referred != -1),
        referred,
        "must be -1 on rows other than referral",
    )
    _fail(
        "referred", referred >= customers, referred, f"must be a customer index below {customers}"
    )
    _fail(
        "referred",
        is_referral & (referred == data["customer"]),
        referred,
        "a customer cannot refer themselves",
    )
    data["referred"] = referred


def _check_scores(
    data: dict[str, NDArray[np.integer[Any]]], values: ArrayLike | None, n: int
) -> None:
    is_nps = data["kind"] == _NPS
    scores = (
        np.full(n, -1, dtype=np.int8) if values is None else _integers("score", values, n, np.int8)
    )
    _fail(
        "score",
        is_nps & ((scores < 0) | (scores > 10)),
        scores,
        "nps rows need a score from 0 to 10",
    )
    _fail("score", ~is_nps & (scores != -1), scores, "must be -1 on rows other than nps")
    data["score"] = scores


def _check_items(
    data: dict[str, NDArray[np.integer[Any]]],
    values: ArrayLike | None,
    n: int,
    item_ids: Sequence[str] | None,
) -> Ids:
    kinds = data["kind"]
    items = (
        np.full(n, -1, dtype=np.int32) if values is None else _integers("item", values, n, np.int32)
    )
    required = _kind_flags(_ITEM_REQUIRED)[kinds]
    allowed = _kind_flags((*_ITEM_REQUIRED, *_ITEM_OPTIONAL))[kinds]
    _fail(
        "item", required & (items < 0), items, "purchase, refund and event_attend rows need an item"
    )
    _fail(
        "item",
        ~allowed & (items != -1),
        items,
        "must be -1 on rows without an order, event or content",
    )
    _fail("item", items < -1, items, "must be an item index >= 0, or -1")
    used = int(items.max()) + 1 if n else 0
    data["item"] = items
    if item_ids is None:
        return Ids.numbered(max(used, 0))
    return check_ids("item_ids", item_ids, used)
