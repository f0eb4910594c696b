"""The columnar event table: every interaction of a pool as sorted numpy columns.

The object API (:class:`~custpool.Interaction`, :func:`~custpool.classify`) is exact and easy to
read; this table is what makes the same answers fast for millions of customers. One row per
interaction, one numpy column per field, sorted by customer, then time, so that each customer's
events are one contiguous slice (``offsets``) and every per-customer question is a
``bincount``/``reduceat`` over the whole table rather than a Python loop.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Final, Self, TypeVar

import numpy as np

from custpool._display import Ticker, check_progress
from custpool._engine.codes import (
    CHANNELS,
    CHURN_REASONS,
    COLUMN_DTYPES,
    COLUMNS,
    COMPLAINT_REASONS,
    DIRECTIONS,
    ITEM_FIELD,
    KIND_CODE,
    KINDS,
    MONEY_DIGITS,
    OUTBOUND,
    SOURCES,
    TIE_ORDER,
    kind_flags,
)
from custpool._engine.frame_reader import Amounts, read_frame
from custpool._engine.frozen import freeze, frozen_state, restore
from custpool._engine.ids import Ids, check_kind, checked_customers
from custpool._engine.order_ids import OrderIds
from custpool._engine.rules import CheckedColumns, check_currency
from custpool._errors import UnknownIdError, ValidationError, wrong_type
from custpool._model import (
    CURRENCY_MINOR_UNITS,
    Interaction,
    InteractionKind,
    Money,
)
from custpool._time import from_micros, to_micros

if TYPE_CHECKING:
    from collections.abc import Iterator

    from numpy.typing import ArrayLike, NDArray

    from custpool._display import Progress
    from custpool._engine.frame_columns import Rounding

__all__ = ["EventTable", "readonly"]

_PURCHASE: Final = KIND_CODE[InteractionKind.PURCHASE]
_NONE: Final = Ids.numbered(0)
_TAKES_PART: Final = ~kind_flags(
    (KIND_CODE[InteractionKind.CONNECT], KIND_CODE[InteractionKind.CHURN])
)
"""No ids (a table without operators or groups); immutable, so one object serves all."""

A = TypeVar("A", bound="np.ndarray[tuple[int, ...], np.dtype[np.generic]]")


def readonly(array: A) -> A:
    """Make ``array`` read-only and return it (the flag only: see :mod:`.frozen` for tables)."""
    array.flags.writeable = False
    return array


@dataclass(frozen=True, slots=True, eq=False)
class EventTable:
    """Every interaction of a pool as read-only numpy columns, sorted by customer then time.

    Build one with :meth:`from_arrays`, :meth:`from_interactions` or
    :func:`~custpool.read_events`; never by hand. Rows are sorted by customer index, then time,
    then kind, score and the other columns in column order (``TIE_ORDER``), so customer ``c``'s
    events are rows ``offsets[c]:offsets[c + 1]`` and the table depends only on the set of
    rows, never on their input order.

    The columns are truly read-only: their memory is an immutable buffer that cannot be made
    writable again (``setflags(write=True)`` fails), and a pickled or copied table is read-only
    too. The amounts of a table add up to at most the int64 maximum, so every sum of them is
    exact in int64.

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
    ``amount``    int64  minor units of ``currency``: PURCHASE >= 0 (0 is a free order),
                         REFUND > 0; else 0
    ``referred``  int32  REFERRAL: the referred customer's index; else -1
    ``score``     int8   NPS: 0-10; else -1
    ``item``      int32  index in ``item_ids`` of the order (PURCHASE, REFUND), event
                         (EVENT_ATTEND) or content (CONTENT_VIEW, REACTION, optional); else -1
    ``operator``  int32  index in ``operator_ids`` of the staff member; else -1
    ``group``     int32  index in ``group_ids`` of the group; else -1
    ============  =====  ==============================================================

    That is 42 bytes per event (:attr:`nbytes`), plus 8 per customer for ``offsets``.

    Examples
    --------
    >>> from custpool import EventTable, example_pool
    >>> from custpool._engine.codes import KINDS
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
    operator: NDArray[np.int32]
    """Index in ``operator_ids`` of the staff member who served the row; else -1."""
    group: NDArray[np.int32]
    """Index in ``group_ids`` of the group the row happened in; else -1."""
    customer_ids: Ids
    """Customer id of each index."""
    item_ids: Ids
    """Order, event and content id of each item index."""
    currency: str | None
    """ISO 4217 code of every amount; None when the table has none."""
    offsets: NDArray[np.int64]
    """Customer ``c``'s rows are ``offsets[c]:offsets[c + 1]``."""
    operator_ids: Ids = field(default_factory=lambda: _NONE)
    """Staff id of each operator index (WeCom ``userid``)."""
    group_ids: Ids = field(default_factory=lambda: _NONE)
    """Group id of each group index (WeCom ``chat_id``)."""

    COLUMNS: ClassVar[tuple[str, ...]] = COLUMNS
    """The column names, in order."""

    def __post_init__(self) -> None:
        """Hold every column and ``offsets`` in frozen memory (adopted when frozen already)."""
        for name in (*self.COLUMNS, "offsets"):
            dtype = np.int64 if name == "offsets" else COLUMN_DTYPES[name]
            object.__setattr__(self, name, freeze(getattr(self, name), dtype))

    # -- pickling and copying: the copies are read-only too ------------------------------------

    def __getstate__(self) -> dict[str, object]:
        """Return the state to pickle: each column's frozen buffer, ids as plain tuples."""
        state: dict[str, object] = {
            name: frozen_state(getattr(self, name)) for name in (*self.COLUMNS, "offsets")
        }
        state["customer_ids"] = self.customer_ids.to_state()
        state["item_ids"] = self.item_ids.to_state()
        state["operator_ids"] = self.operator_ids.to_state()
        state["group_ids"] = self.group_ids.to_state()
        state["currency"] = self.currency
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        """Rebuild from :meth:`__getstate__`'s state, over the unpickled buffers (read-only)."""
        for name in (*self.COLUMNS, "offsets"):
            object.__setattr__(self, name, restore(state[name], name))
        object.__setattr__(self, "customer_ids", Ids.from_state(state["customer_ids"]))
        object.__setattr__(self, "item_ids", Ids.from_state(state["item_ids"]))
        for name in ("operator_ids", "group_ids"):
            object.__setattr__(self, name, Ids.from_state(state.get(name, 0)))
        object.__setattr__(self, "currency", state["currency"])
        self.__post_init__()  # checks the dtypes (a foreign state is cast, never adopted)

    def __copy__(self) -> Self:
        """Return the table itself: it is immutable."""
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Self:
        """Return the table itself: it is immutable, down to its memory."""
        return self

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
        rule = f"must be one of {', '.join(self.COLUMNS)}"
        if not isinstance(name, str):
            raise wrong_type("name", name, rule)
        if name not in self.COLUMNS:
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

        Raises
        ------
        custpool.ValidationError
            If a kind is not an :class:`~custpool.InteractionKind` or a kind's value.
        """
        codes = tuple(KIND_CODE[check_kind(f"kinds[{n}]", k)] for n, k in enumerate(kinds))
        if len(codes) == 1:
            mask: NDArray[np.bool_] = self.kind == codes[0]
            return mask
        return kind_flags(codes)[self.kind]

    def customer_initiated(self) -> NDArray[np.bool_]:
        """Return a mask of the rows the customer started (direction inbound or peer)."""
        mask: NDArray[np.bool_] = self.direction != OUTBOUND
        return mask

    def takes_part(self) -> NDArray[np.bool_]:
        """Return a mask of the rows where the customer took part (not joining or leaving).

        A row is taking part when it is customer-initiated (inbound or peer) and not a CONNECT
        or CHURN: what the activity rate and the health measures count as a customer's own
        activity. Engagement (粘) counts the same rows by default, through the policy's weights
        (CONNECT and CHURN weigh 0 unless a policy lists them).
        """
        mask: NDArray[np.bool_] = _TAKES_PART[self.kind] & (self.direction != OUTBOUND)
        return mask

    def customer_index(self, customer_id: str) -> int:
        """Return the index of a customer id.

        Raises
        ------
        custpool.UnknownIdError
            If the table has no such customer.
        custpool.WrongTypeError
            If ``customer_id`` is not a string.

        Examples
        --------
        >>> from custpool import EventTable, example_pool
        >>> EventTable.from_interactions(example_pool().interactions).customer_index("c-003")
        2
        """
        if not isinstance(customer_id, str):
            raise wrong_type("customer_id", customer_id, "must be a customer id (a string)")
        try:
            return self.customer_ids.index(customer_id)
        except ValueError:
            raise UnknownIdError("customer", customer_id) from None

    def money(self, minor_units: int) -> Money:
        """Return an amount of minor units as :class:`~custpool.Money` in the table's currency.

        Raises
        ------
        custpool.WrongTypeError
            If ``minor_units`` is not an integer.
        custpool.ValidationError
            If the table has no currency (it holds no amounts), or the amount is 10**15 units
            of the currency or more (more than a ``Money`` holds), either sign.

        Examples
        --------
        >>> from custpool import EventTable, example_pool
        >>> EventTable.from_interactions(example_pool().interactions).money(19_990)
        Money(amount=Decimal('199.90'), currency='CNY')
        """
        if isinstance(minor_units, bool) or not isinstance(minor_units, int | np.integer):
            raise wrong_type("minor_units", minor_units, "must be an integer count of minor units")
        if self.currency is None:
            raise ValidationError("currency", None, "the table holds no amounts, so no currency")
        units = int(minor_units)
        bound = 10 ** (MONEY_DIGITS + CURRENCY_MINOR_UNITS[self.currency])
        if abs(units) >= bound:
            most = f"10**{MONEY_DIGITS} {self.currency}, the most a Money holds"
            raise ValidationError("minor_units", units, f"must be below {bound} in size ({most})")
        return Money.from_minor_units(units, self.currency)

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
        operator: ArrayLike | None = None,
        group: ArrayLike | None = None,
        customer_ids: Sequence[str] | None = None,
        item_ids: Sequence[str] | None = None,
        operator_ids: Sequence[str] | None = None,
        group_ids: Sequence[str] | None = None,
        currency: str | None = None,
        copy: bool = True,
    ) -> Self:
        """Build a table from one array per column, checking every row against the kind rules.

        Every array has one value per row, in any order: rows are sorted by customer, then
        time, then kind, score and the other columns (``TIE_ORDER``), so the table is the same
        whatever the input order. Codes are those of the class table above. Columns may be left
        out:

        - ``direction``: each kind's only allowed direction (refused if a kind present allows
          several);
        - ``channel``: the kind's fixed channel (group posts, store visits), else ``other``;
        - ``source`` and ``reason``: ``other`` on the rows that need one, -1 elsewhere;
        - ``amount``, ``referred``, ``score``, ``item``: empty (0 or -1) — refused if rows need
          them;
        - ``customer_ids``: ``"0"``, ``"1"``, … up to the largest customer index; give them to
          add customers without events (at least one customer is needed);
        - ``item_ids``: ``"0"``, ``"1"``, … up to the largest item index;
        - ``operator``, ``group``: -1 (none) on every row; ``operator_ids`` and ``group_ids``
          number them as ``item_ids`` does.

        Parameters
        ----------
        customer, time, kind
            Customer index, time (int64 microseconds since the epoch or ``datetime64``) and
            kind code of each row.
        direction, channel, source, reason, amount, referred, score, item
            The other columns (see above).
        customer_ids, item_ids
            Ids by index (a sequence, not one string); unique, each a valid id as for the
            models (:func:`custpool._fields.check_identifier`).
        currency
            ISO 4217 code of the amounts, normalised as :class:`~custpool.Money` does (``"cny"``
            is ``"CNY"``); required when any row has one.
        copy
            When false, arrays that are already frozen (another table's columns, or
            ``np.frombuffer`` over ``bytes``), sorted and of the column's dtype are adopted
            rather than copied. Any other array is copied either way: a table owns memory
            nobody can write to.

        Returns
        -------
        EventTable

        Raises
        ------
        custpool.ValidationError
            For the first row that breaks a rule, naming the column, the row (input position),
            the value and the rule, and how many rows break it: wrong lengths, codes out of
            range, NaN or fractional amounts, a negative purchase or a refund of 0 or less
            (a purchase of 0 is a free order, and valid), amounts on kinds without money, times
            outside 1900-2170, directions or channels a kind does not allow, unknown or
            self-referrals, scores outside 0-10, a missing currency, or no customer at all; an
            amount of 10**15 units of the currency or more (more than a
            :class:`~custpool.Money` holds), or amounts adding up to more than the int64
            maximum (the field is ``amount`` and the value the total); an invalid or repeated
            id.
        custpool.WrongTypeError
            For a column of non-integers, ids given as one string, or a currency that is not a
            string.

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
            CheckedColumns.check(
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
                    "operator": operator,
                    "group": group,
                },
                customer_ids=customer_ids,
                item_ids=item_ids,
                currency=currency,
                operator_ids=operator_ids,
                group_ids=group_ids,
            ),
            copy=copy,
        )

    @classmethod
    def from_checked(cls, columns: CheckedColumns, *, generate_orders: bool = False) -> Self:
        """Build a table from columns a reader checked already (``read_events`` on a frame).

        With ``generate_orders``, each purchase gets a generated order id
        (:mod:`custpool._engine.order_ids`); the item column given is then ignored.
        """
        return cls._build(columns, copy=False, generate_orders=generate_orders)

    @classmethod
    def _build(cls, columns: CheckedColumns, *, copy: bool, generate_orders: bool = False) -> Self:
        data = columns.data
        order, placed = _sort_order(data, len(columns.customer_ids))
        out: dict[str, NDArray[np.integer[Any]]] = {}
        item_ids = columns.item_ids
        for name in cls.COLUMNS:
            if name == "item" and generate_orders:  # after kind: the purchases in table order
                purchase = out["kind"] == _PURCHASE
                numbered = np.cumsum(purchase, dtype=np.int64) - 1
                out[name] = freeze(np.where(purchase, numbered, -1), COLUMN_DTYPES[name])
                maker = OrderIds(out["customer"], out["time"], out["kind"], columns.customer_ids)  # type: ignore[arg-type]
                item_ids = Ids.made(maker.purchases(), maker)
                continue
            values = placed.get(name, data[name])
            if order is not None and name not in placed:
                values = _gathered(values, order)
            # one copy into frozen memory; with copy=False a frozen input is adopted as it is
            out[name] = freeze(values, COLUMN_DTYPES[name], adopt=not copy)
            del values
        counts = np.bincount(out["customer"], minlength=len(columns.customer_ids))
        offsets = np.zeros(len(columns.customer_ids) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        return cls(
            **out,  # type: ignore[arg-type]
            customer_ids=columns.customer_ids,
            item_ids=item_ids,
            currency=columns.currency,
            offsets=freeze(offsets),
            operator_ids=columns.operator_ids,
            group_ids=columns.group_ids,
        )

    @classmethod
    def from_frame(  # noqa: PLR0913 - keyword-only options, each documented
        cls,
        frame: object,
        *,
        columns: Mapping[str, str | None] | None = None,
        kind: InteractionKind | str | None = None,
        direction: str | None = None,
        channel: str | None = None,
        timezone: str | None = None,
        currency: str | None = None,
        amounts: Amounts = "major",
        rounding: Rounding | None = None,
        customers: Iterable[str] = (),
    ) -> Self:
        """Build a table from a pandas, polars or pyarrow frame of interactions, as users have them.

        One row per interaction; the frame's columns are found by the
        :class:`~custpool.Interaction` field names (``customer_id``, ``at``, ``kind``,
        ``direction``, ``channel``, ``source``, ``churn_reason``, ``complaint_reason``,
        ``order_id``, ``event_id``, ``content_id``, ``amount``, ``currency``, ``referred_id``,
        ``score``), or by ``columns``, which maps a field to the frame's own column name (None
        leaves a column out). Values are taken as an export has them:

        - **labels** (kinds, directions, channels, sources, reasons) as their values in any case
          (``"Purchase"``), or their Chinese labels (``"购买"``); a direction may be ``"in"`` or
          ``"out"``. An empty cell takes the default of :meth:`from_arrays` (the kind's one
          direction, its fixed channel or ``other``). A one-kind export passes ``kind=`` (and
          ``direction=``/``channel=``) as constants instead of a column.
        - **times**: timezone-aware datetimes of any unit, converted exactly to UTC; naive ones,
          and ISO 8601 strings without an offset, only with ``timezone=`` (the zone they were
          taken in), where a local time skipped or repeated by a daylight-saving change is
          refused. A time finer than a microsecond is refused (round the column first).
          Numbers are never read as times.
        - **amounts** in major units (``amounts="major"``: yuan as floats, decimals, strings or
          integers) or whole minor units (``amounts="minor"``). The conversion is exact: a float
          is taken by its shortest repr (``51.23`` is 5,123 fen), and an amount with more
          decimals than the currency has is refused unless ``rounding`` says how to round.
          0 on a purchase is a free order. The currency is ``currency=``, or the ``currency``
          column's one currency.
        - **ids**: strings or integers (written in decimal), checked as the models check ids.
          Customers are indexed in sorted id order, as :meth:`from_interactions` does, and so
          are orders, events and content.
        - **order ids**: when the frame has no ``order_id`` column, each purchase gets one made
          from its content, ``"{customer_id}@{UTC time}"`` (``#1``, ``#2`` … for further
          purchases of the customer at the same instant); see :mod:`custpool._engine.order_ids`.

        Parameters
        ----------
        frame
            A pandas or polars DataFrame, a pyarrow Table, or any object with
            ``__arrow_c_stream__``. Needs the ``frames`` extra (pyarrow).
        columns
            Field name → the frame's column name, for the columns whose names differ.
        kind, direction, channel
            A constant for every row, when the frame has no such column.
        timezone
            IANA zone of naive times (``"Asia/Shanghai"``); refused for a zone-aware column.
        currency
            ISO 4217 code of the amounts (required when rows have amounts and the frame has no
            ``currency`` column).
        amounts
            ``"major"`` (default) or ``"minor"``.
        rounding
            ``None`` (refuse extra decimals), ``"half_even"`` or ``"half_up"``.
        customers
            Customer ids to include without rows (a pool's members without events).

        Returns
        -------
        EventTable

        Raises
        ------
        custpool.ValidationError
            For the first bad row, naming the frame's column, the row (0-based position in the
            frame), the value and the rule, and how many rows break it; for a missing required
            column, a constant given beside a column, naive times without ``timezone``, or
            several currencies without ``currency=``. :func:`~custpool.read_events` reads a
            frame the same way but rejects the bad rows and keeps the rest.
        custpool.WrongTypeError
            For a column of the wrong type (numbers for times, floats for ids) or a frame that is
            not a frame.
        custpool.MissingDependencyError
            If pyarrow is not installed.

        Examples
        --------
        >>> import pandas as pd
        >>> from custpool import EventTable
        >>> orders = pd.DataFrame({
        ...     "customer_id": ["c-2", "c-1", "c-1"],
        ...     "order_time": pd.to_datetime(
        ...         ["2026-03-01 10:00", "2026-03-02 09:30", "2026-03-05 20:00"]
        ...     ).tz_localize("Asia/Shanghai"),
        ...     "amount_yuan": [51.23, 0.0, 19.9],
        ... })
        >>> table = EventTable.from_frame(
        ...     orders, columns={"at": "order_time", "amount": "amount_yuan"},
        ...     kind="purchase", channel="tmall", currency="CNY",
        ... )
        >>> table.customer_ids[:], table.amount.tolist()
        (('c-1', 'c-2'), [0, 1990, 5123])
        >>> table.item_ids[0]
        'c-1@2026-03-02T01:30:00Z'
        >>> orders.loc[2, "amount_yuan"] = 19.999
        >>> EventTable.from_frame(
        ...     orders, columns={"at": "order_time", "amount": "amount_yuan"},
        ...     kind="purchase", currency="CNY",
        ... )
        Traceback (most recent call last):
        ...
        custpool.ValidationError: amount_yuan[2]=19.999: has more decimals than the currency has ...
        """
        read = read_frame(
            frame,
            columns=columns,
            kind=kind,
            direction=direction,
            channel=channel,
            timezone=timezone,
            currency=currency,
            amounts=amounts,
            rounding=rounding,
            customers=customers,
            strict=True,
        )
        assert read.columns is not None  # noqa: S101 - strict: no customer raises instead
        return cls._build(read.columns, copy=False, generate_orders=read.generate_orders)

    @classmethod
    def concat(cls, tables: Iterable[EventTable], *, customers: Iterable[str] = ()) -> Self:
        """Join tables into one: the rows of all, customers and items united by id.

        Made for several exports of one pool — contacts, orders, messages — each read with
        :meth:`from_frame`. A customer id (or an order, event or content id) in several tables is
        one customer (item): a refund in one export finds its order in another. The result is
        the table of all the rows, as if they had been read together: customers and items in
        sorted id order, rows sorted as every table's are, whatever the order of ``tables``.

        Parameters
        ----------
        tables
            The tables (at least one).
        customers
            Customer ids to include without rows.

        Returns
        -------
        EventTable

        Raises
        ------
        custpool.ValidationError
            If the tables hold amounts in different currencies, no table is given, or the
            amounts together pass the int64 total a table holds.
        custpool.WrongTypeError
            If an item is not an :class:`EventTable`.

        Examples
        --------
        >>> import pandas as pd
        >>> from custpool import EventTable
        >>> at = pd.Timestamp("2026-03-01 10:00", tz="Asia/Shanghai")
        >>> contacts = pd.DataFrame(
        ...     {"customer_id": ["c-2", "c-1"], "at": [at, at], "source": ["jd", "referral"]}
        ... )
        >>> contacts = EventTable.from_frame(contacts, kind="connect", direction="inbound")
        >>> orders = EventTable.from_frame(
        ...     pd.DataFrame({"customer_id": ["c-1"], "at": [at], "amount": [9.9]}),
        ...     kind="purchase", currency="CNY",
        ... )
        >>> both = EventTable.concat([orders, contacts])
        >>> both.customer_ids[:], len(both), both.currency
        (('c-1', 'c-2'), 3, 'CNY')
        """
        given: object = tables
        if isinstance(given, str | bytes) or not isinstance(given, Iterable):
            raise wrong_type("tables", tables, "must be an iterable of EventTable objects")
        parts = list(tables)
        for position, part in enumerate(parts):
            if not isinstance(part, EventTable):
                raise wrong_type(f"tables[{position}]", part, "must be an EventTable")
        if not parts:
            raise ValidationError("tables", "[]", "at least one table is needed")
        currencies = sorted({p.currency for p in parts if p.currency is not None})
        if len(currencies) > 1:
            rule = "a table holds one currency: these tables hold amounts in several"
            raise ValidationError("tables", ", ".join(currencies), rule)
        extra = set(checked_customers(customers))
        customer_ids = sorted(extra.union(*(p.customer_ids for p in parts)))
        united = {
            name: sorted(set().union(*(getattr(p, name) for p in parts)))
            for name in ("item_ids", "operator_ids", "group_ids")
        }
        index = {
            name: {i: n for n, i in enumerate(ids)}
            for name, ids in (("customer_ids", customer_ids), *united.items())
        }
        columns: dict[str, list[NDArray[np.integer[Any]]]] = {name: [] for name in COLUMNS}
        for part in parts:
            for name, values in _renumbered(part, index).items():
                columns[name].append(values)
        joined = {name: np.concatenate(values) for name, values in columns.items()}
        return cls.from_arrays(
            **joined,
            customer_ids=Ids(tuple(customer_ids)),
            item_ids=Ids(tuple(united["item_ids"])),
            operator_ids=Ids(tuple(united["operator_ids"])),
            group_ids=Ids(tuple(united["group_ids"])),
            currency=currencies[0] if currencies else None,
            copy=False,
        )

    @classmethod
    def from_interactions(
        cls,
        interactions: Iterable[Interaction],
        *,
        customers: Iterable[str] = (),
        currency: str | None = None,
        progress: Progress | None = None,
    ) -> Self:
        """Build a table from :class:`~custpool.Interaction` objects.

        Customers are indexed in sorted id order: those with interactions and those listed in
        ``customers`` (members without events yet). Items (order, event and content ids) are
        indexed in sorted order too, and rows are ordered as :meth:`from_arrays` orders them
        (by content, never by input order or interaction id), so the table does not depend on
        the input order. An interaction repeated exactly is dropped; two different interactions
        with one id are refused.

        Parameters
        ----------
        interactions
            The interactions, in any order.
        customers
            Extra customer ids to include (e.g. the pool's members without events): an
            iterable of ids, not one string; each is checked as the models check ids.
        currency
            The table's currency, normalised as :class:`~custpool.Money` does (``"cny"`` is
            ``"CNY"``); by default, that of the first interaction with an amount.
        progress
            A callback ``progress(done, total)`` (see :class:`~custpool.Progress`), called as
            the passes over the objects end: ``(0, 17)`` first, ``(17, 17)`` last. The table is
            the same with or without it.

        Returns
        -------
        EventTable

        Raises
        ------
        custpool.WrongTypeError
            If ``interactions`` or ``customers`` is not an iterable (or is one string), an item
            is not an ``Interaction`` or an id (shown by its type and position only), or
            ``currency`` is not a string.
        custpool.ValidationError
            If an id repeats with other content, an extra customer id is invalid, an amount is
            in another currency than the table's, a referral names a customer who is neither in
            the interactions nor in ``customers``, or the amounts break a table rule (see
            :meth:`from_arrays`).

        Examples
        --------
        >>> from custpool import EventTable, example_pool
        >>> pool = example_pool()
        >>> table = EventTable.from_interactions(pool.interactions, customers=["c-new"])
        >>> table.n_customers, table.customer_ids[-1], table.offsets[-2:].tolist()
        (7, 'c-new', [29, 29])
        >>> EventTable.from_interactions(pool.interactions, customers="c-new")
        Traceback (most recent call last):
        ...
        custpool.WrongTypeError: customers=<str>: must be an iterable of customer ids, ...
        """
        code = check_currency(currency)
        ticker = Ticker(check_progress(progress), _OBJECT_STEPS)
        given: object = interactions
        if isinstance(given, str | bytes) or not isinstance(given, Iterable):
            raise wrong_type(
                "interactions", interactions, "must be an iterable of Interaction objects"
            )
        extra = checked_customers(customers)
        ticker.start()
        rows = _unique_rows(interactions)
        ticker.step()
        ids = {i.customer_id for i in rows}
        ids.update(extra)
        customer_ids = tuple(sorted(ids))
        first_currency: tuple[str, int] | None = None if code is None else (code, -1)
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
        ticker.step()
        index = {cid: n for n, cid in enumerate(customer_ids)}
        items = tuple(sorted({v for row in rows if (v := _item_of(row)) is not None}))
        staff = tuple(sorted({r.operator_id for r in rows if r.operator_id is not None}))
        groups = tuple(sorted({r.group_id for r in rows if r.group_id is not None}))
        indexes = {
            "customer": index,
            "item": {iid: n for n, iid in enumerate(items)},
            "operator": {i: n for n, i in enumerate(staff)},
            "group": {i: n for n, i in enumerate(groups)},
        }
        ticker.step()
        table = cls.from_arrays(
            **_object_columns(rows, indexes, ticker),
            # checked already: by the models, or above
            customer_ids=Ids(customer_ids),
            item_ids=Ids(items),
            operator_ids=Ids(staff),
            group_ids=Ids(groups),
            currency=first_currency[0] if first_currency else None,
            copy=False,
        )
        ticker.finish()
        return table


def _renumbered(
    table: EventTable, index: dict[str, dict[str, int]]
) -> dict[str, NDArray[np.integer[Any]]]:
    """Return ``table``'s columns renumbered by the united ids (``index[ids name][id]``).

    Customers (and referred customers), items, operators and groups.
    """

    def mapping(name: str) -> NDArray[np.int32]:  # -1 (none) reads the last entry, -1
        ids = getattr(table, name)
        return np.array([index[name][i] for i in ids] + [-1], dtype=np.int32)

    to_customer = mapping("customer_ids")
    out = {name: getattr(table, name) for name in COLUMNS}
    out["customer"] = to_customer[table.customer]
    out["referred"] = to_customer[table.referred]
    for column in ("item", "operator", "group"):
        out[column] = mapping(f"{column}_ids")[getattr(table, column)]
    return out


def _gathered(
    values: NDArray[np.integer[Any]], order: NDArray[np.intp]
) -> NDArray[np.integer[Any]]:
    """Return ``values[order]``; a column of one value (a one-kind export's) needs no gather."""
    if values.size and values.min() == values.max():
        return np.full(values.shape, values[0], dtype=values.dtype)
    return values[order]


def _sort_order(
    data: dict[str, NDArray[np.integer[Any]]], n_customers: int
) -> tuple[NDArray[np.intp] | None, dict[str, NDArray[np.integer[Any]]]]:
    """Return the permutation sorting the rows by customer, time and ``TIE_ORDER``.

    That is by customer, then time, then ``TIE_ORDER`` (None when the rows are sorted already),
    with the customer and time columns in that order (gathered once, for the table to keep).
    """
    customer, time = data["customer"], data["time"]
    order = _by_customer_and_time(customer, time, n_customers)
    if order is not None:
        customer, time = customer[order], time[order]
    return _break_ties(data, order, customer, time), {"customer": customer, "time": time}


def _by_customer_and_time(
    customer: NDArray[np.integer[Any]], time: NDArray[np.integer[Any]], n_customers: int
) -> NDArray[np.intp] | None:
    """Return a permutation sorting rows by customer, then time (ties in any order).

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
        # keeps time order within each customer.
        return _stable_order(customer, n_customers)
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


def _stable_order(codes: NDArray[np.integer[Any]], size: int) -> NDArray[np.intp]:
    """Return ``np.argsort(codes, kind="stable")`` for codes in ``[0, size)``, faster.

    numpy sorts 16-bit integers stably by radix (linear time) but wider ones by merging, so a
    code below 2**32 is sorted as two 16-bit digits, least significant first (LSD radix): about
    40% faster than one int32 argsort on ten million rows, with the same permutation.

    Examples
    --------
    >>> codes = np.array([70_000, 3, 70_000, 65_536, 3], dtype=np.int32)
    >>> _stable_order(codes, 70_001).tolist() == np.argsort(codes, kind="stable").tolist()
    True
    """
    if size <= 1 << 16:
        order: NDArray[np.intp] = np.argsort(codes.astype(np.uint16), kind="stable")
        return order
    low = np.argsort((codes & 0xFFFF).astype(np.uint16), kind="stable")
    high = (codes[low] >> 16).astype(np.uint16)
    out: NDArray[np.intp] = low[np.argsort(high, kind="stable")]
    return out


def _break_ties(
    data: dict[str, NDArray[np.integer[Any]]],
    order: NDArray[np.intp] | None,
    customer: NDArray[np.integer[Any]],
    time: NDArray[np.integer[Any]],
) -> NDArray[np.intp] | None:
    """Order each run of rows of one customer at one instant by ``TIE_ORDER``.

    ``customer`` and ``time`` are in ``order`` already. Only the tied rows are looked at (one
    ``lexsort`` of them): ties are rare in real logs, and rows of one customer at one instant
    keep the same customer and time, so those two columns need no gathering again.
    """
    same = time[1:] == time[:-1]
    same &= customer[1:] == customer[:-1]
    tied = np.flatnonzero(same)  # row p + 1 ties with row p
    if not tied.size:
        return order
    member = np.zeros(customer.shape[0], dtype=np.bool_)
    member[tied] = True
    member[tied + 1] = True
    rows = np.flatnonzero(member)
    starts = np.ones(rows.shape[0], dtype=np.bool_)  # where a run of tied rows begins
    inner = rows > 0
    starts[inner] = ~same[rows[inner] - 1]
    source = rows if order is None else order[rows]
    keys = [data[name][source] for name in reversed(TIE_ORDER)]
    permutation = np.lexsort([*keys, np.cumsum(starts)])
    if (permutation == np.arange(rows.shape[0])).all():
        return order
    if order is None:
        order = np.arange(customer.shape[0], dtype=np.intp)
    order[rows] = source[permutation]
    return order


_UNKNOWN_REFERRED: Final = (
    "the referred customer must be a customer of the table (have interactions, or be listed "
    "in customers=)"
)


def _currency_rule(currency: str, where: int) -> str:
    origin = "given as currency=" if where < 0 else f"from interactions[{where}]"
    return f"must be the table's one currency, {currency} ({origin})"


def _item_of(row: Interaction) -> str | None:
    field = ITEM_FIELD.get(row.kind)
    value: str | None = getattr(row, field) if field else None
    return value


def _unique_rows(interactions: Iterable[Interaction]) -> list[Interaction]:
    seen: dict[str, tuple[int, Interaction]] = {}
    rows: list[Interaction] = []
    for position, row in enumerate(interactions):
        if not isinstance(row, Interaction):
            raise wrong_type(f"interactions[{position}]", row, "must be an Interaction")
        earlier = seen.get(row.id)
        if earlier is None:
            seen[row.id] = (position, row)
            rows.append(row)
        elif earlier[1] != row:
            rule = f"duplicate id: interactions[{earlier[0]}] has it with different content"
            raise ValidationError(f"interactions[{position}].id", row.id, rule)
    return rows


_OBJECT_STEPS: Final = 17
"""The steps :meth:`EventTable.from_interactions` reports: three passes over the objects (ids,
checks, indexes), one per column of :func:`_object_columns` (13), then the table itself."""


def _object_columns(
    rows: list[Interaction], indexes: dict[str, dict[str, int]], ticker: Ticker
) -> dict[str, NDArray[np.int64]]:
    index, item_index = indexes["customer"], indexes["item"]
    staff, groups = indexes["operator"], indexes["group"]

    def reason(row: Interaction) -> int:
        if row.churn_reason is not None:
            return CHURN_REASONS.index(row.churn_reason)
        if row.complaint_reason is not None:
            return COMPLAINT_REASONS.index(row.complaint_reason)
        return -1

    def column(values: Iterable[int]) -> NDArray[np.int64]:
        out = np.fromiter(values, dtype=np.int64, count=len(rows))
        ticker.step()
        return out

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
        "operator": column(-1 if r.operator_id is None else staff[r.operator_id] for r in rows),
        "group": column(-1 if r.group_id is None else groups[r.group_id] for r in rows),
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
        data[ITEM_FIELD[kind]] = table.item_ids[v["item"]]
    if v["operator"] >= 0:
        data["operator_id"] = table.operator_ids[v["operator"]]
    if v["group"] >= 0:
        data["group_id"] = table.group_ids[v["group"]]
    return Interaction.model_validate(data)
