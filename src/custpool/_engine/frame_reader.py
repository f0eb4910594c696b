"""A user's frame of interactions, read into checked table columns: ``from_frame``'s engine.

One reader for ``EventTable.from_frame`` (strict: the first bad row raises) and
``read_events`` on a frame, Parquet or Arrow file (every bad row rejected, the rest kept). It
maps the frame's columns to the table's (:data:`FIELDS`), turns values as users have them into
codes (:mod:`.frame_columns`), then runs the table's own kind rules
(:class:`~custpool._engine.rules.CheckedColumns`) with a collecting ``fail`` hook, so a frame row
is refused for exactly the reasons an array row or an ``Interaction`` is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np

from custpool._engine import frame_columns as fc
from custpool._engine.codes import (
    CHANNELS,
    CHURN_REASONS,
    COMPLAINT_REASONS,
    DEFAULT_DIRECTION,
    DIRECTIONS,
    FIXED_CHANNEL,
    ITEM_FIELD,
    KIND_CODE,
    KINDS,
    OTHER_CHANNEL,
    SOURCES,
)
from custpool._engine.ids import Ids, checked_customers
from custpool._engine.rules import CheckedColumns, check_currency
from custpool._errors import (
    ValidationError,
    bad_argument,
    wrong_argument,
    wrong_type,
)
from custpool._frames import arrow_table, check_tz
from custpool._model import CURRENCY_MINOR_UNITS, InteractionKind, SourceChannel

if TYPE_CHECKING:
    from enum import StrEnum

    from numpy.typing import NDArray

__all__ = ["FIELDS", "FrameRead", "Amounts", "read_frame"]

FIELDS: Final = (
    "customer_id",
    "at",
    "kind",
    "direction",
    "channel",
    "source",
    "churn_reason",
    "complaint_reason",
    "order_id",
    "event_id",
    "content_id",
    "amount",
    "currency",
    "referred_id",
    "score",
    "operator_id",
    "group_id",
)
"""The interaction fields a frame's columns can give (``Interaction``'s names)."""

Amounts = Literal["major", "minor"]
"""Whether a frame's amounts are in major units (yuan) or whole minor units (fen)."""

_ALIASES: Final = {"in": "inbound", "out": "outbound"}
_ITEM_KINDS: Final = {
    field: tuple(KIND_CODE[k] for k, f in ITEM_FIELD.items() if f == field)
    for field in ("order_id", "event_id", "content_id")
}
_PURCHASE: Final = KIND_CODE[InteractionKind.PURCHASE]
_CHURN: Final = KIND_CODE[InteractionKind.CHURN]
_CONNECT: Final = KIND_CODE[InteractionKind.CONNECT]
_COMPLAINT: Final = KIND_CODE[InteractionKind.COMPLAINT]


def _lookup(members: Iterable[StrEnum], aliases: Mapping[str, str] = {}) -> dict[str, int]:
    """Map each member's value and Chinese label (and aliases) to its code."""
    out: dict[str, int] = {}
    for code, member in enumerate(members):
        out[member.value] = code
        label = getattr(member, "label_zh", None)
        if isinstance(label, str):
            out.setdefault(label, code)
    for alias, value in aliases.items():
        out[alias] = out[value]
    return out


@dataclass(frozen=True, slots=True)
class FrameRead:
    """The checked columns of the accepted rows, and every problem of the others.

    Attributes
    ----------
    columns
        The accepted rows' columns, ready for the table (input order); None when there is no
        customer at all (every row refused and none given).
    rows
        How many rows the frame has.
    problems
        For each rejected row (0-based, ascending): its problems as (frame column, value shown,
        rule).
    generate_orders
        Whether the purchases' order ids are to be generated (the frame had none).
    """

    columns: CheckedColumns | None
    rows: int
    problems: tuple[tuple[int, tuple[tuple[str, object, str], ...]], ...]
    generate_orders: bool


def _columns(names: list[str], columns: object) -> dict[str, str | None]:
    """Return field → frame column (None when the frame gives none)."""
    given: dict[str, str | None] = {}
    if columns is not None:
        if not isinstance(columns, Mapping):
            raise wrong_argument(
                "columns", columns, "must map custpool field names to frame columns"
            )
        for field, column in columns.items():
            if field not in FIELDS:
                rule = f"must be one of the interaction fields: {', '.join(FIELDS)}"
                raise bad_argument("columns", field, rule)
            if column is not None and column not in names:
                rule = f"must name a column of the frame (it has: {', '.join(map(str, names))})"
                raise ValidationError(f"columns[{field!r}]", column, rule)
            given[field] = column
    return {f: given.get(f, f if f in names else None) for f in FIELDS}


def _constant(field: str, value: object, lookup: Mapping[str, int]) -> int | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise wrong_type(
            field, value, f"must be one of {', '.join(k for k in lookup if k.isascii())}"
        )
    code = lookup.get(value.strip().lower())
    if code is None:
        rule = f"must be one of {', '.join(k for k in lookup if k.isascii())}"
        raise ValidationError(field, value, rule)
    return code


def _show(table: Any, constants: Mapping[str, object]) -> Any:  # noqa: ANN401
    def show(column: str, row: int) -> object:
        if column not in table.column_names:
            return constants.get(column)
        cell = table.column(column)[row]
        try:
            value = cell.as_py()
        except (OverflowError, ValueError, ArithmeticError):
            # a cell Python cannot hold (a timestamp past year 9999): shown as Arrow's text, or
            # failing that by its type and raw value
            return _arrow_text(cell)
        return value.isoformat() if hasattr(value, "isoformat") else value

    return show


def read_frame(  # noqa: C901, PLR0912, PLR0913, PLR0915 - one pass over the fields, in order
    frame: object,
    *,
    columns: object = None,
    kind: object = None,
    direction: object = None,
    channel: object = None,
    timezone: object = None,
    currency: object = None,
    amounts: object = "major",
    rounding: object = None,
    customers: object = (),
    strict: bool,
) -> FrameRead:
    """Read ``frame`` into checked columns (see ``EventTable.from_frame`` for the options)."""
    table = arrow_table(frame)
    import pyarrow as pa  # noqa: PLC0415 - optional: arrow_table imported it already

    empty_types = {"at": pa.timestamp("us", "UTC"), "amount": pa.float64(), "score": pa.int64()}
    names = [str(n) for n in table.column_names]
    source = _columns(names, columns)
    kinds_lookup = _lookup(KINDS)
    constants: dict[str, object] = {}
    kind_code = _constant("kind", kind, kinds_lookup)
    direction_code = _constant("direction", direction, _lookup(DIRECTIONS, _ALIASES))
    channel_code = _constant("channel", channel, _lookup(CHANNELS))
    for field, constant in (("kind", kind), ("direction", direction), ("channel", channel)):
        if constant is not None and source[field] is not None:
            rule = (
                f"the frame has a {source[field]!r} column for it too: give one or the other "
                f"(columns={{{field!r}: None}} leaves the column out)"
            )
            raise ValidationError(field, constant, rule)
        if constant is not None:
            source[field] = field
            constants[field] = constant
    for required in ("customer_id", "at", "kind"):
        if source[required] is None:
            rule = (
                f"the frame needs a column for {required!r}: name it in columns= "
                f"(columns={{{required!r}: 'your column'}})"
                + (" or pass kind='purchase' for a one-kind export" if required == "kind" else "")
            )
            raise ValidationError("columns", ", ".join(names) or "no columns", rule)
    zone = _timezone(timezone)
    if amounts not in ("major", "minor"):
        raise bad_argument("amounts", amounts, "must be 'major' (yuan) or 'minor' (fen)")
    if rounding is not None and rounding not in ("half_even", "half_up"):
        raise bad_argument("rounding", rounding, "must be None, 'half_even' or 'half_up'")
    code = check_currency(currency)
    extra = checked_customers(customers)
    n = table.num_rows
    breaches = fc.Breaches(n, _show(table, constants), strict=strict)

    def column(field: str) -> fc.Column:
        name = source[field]
        if name is None or name in constants:
            return None
        values = table.column(name)
        if pa.types.is_null(values.type):  # no value at all (or no rows): the field's own type
            values = values.cast(empty_types.get(field, pa.large_string()))
        return values

    def given(field: str) -> str:
        name = source[field]
        assert name is not None  # noqa: S101
        return name

    # customers, then times and kinds (every row needs them)
    customer, customer_ids = fc.encode_ids(given("customer_id"), column("customer_id"), breaches)
    breaches.add(given("customer_id"), (customer < 0) & ~breaches.bad, _EMPTY)
    if extra:
        customer, customer_ids = _with_extra(customer, customer_ids, extra)
    time = fc.times(given("at"), column("at"), zone, breaches)
    if kind_code is not None:
        kinds = np.full(n, kind_code, dtype=np.int16)
    else:
        kinds = fc.labels(given("kind"), column("kind"), kinds_lookup, breaches, what="kinds")
        breaches.add(given("kind"), (kinds < 0) & ~breaches.bad, _EMPTY)
    optional: dict[str, Any] = {}
    if direction_code is not None:
        optional["direction"] = np.full(n, direction_code, dtype=np.int16)
    elif (values := column("direction")) is not None:
        codes = fc.labels(
            given("direction"), values, _lookup(DIRECTIONS, _ALIASES), breaches, what="directions"
        )
        optional["direction"] = _default_directions(given("direction"), codes, kinds, breaches)
    if channel_code is not None:
        optional["channel"] = np.full(n, channel_code, dtype=np.int16)
    elif (values := column("channel")) is not None:
        codes = fc.labels(given("channel"), values, _lookup(CHANNELS), breaches, what="channels")
        fixed = FIXED_CHANNEL[np.maximum(kinds, 0)]
        optional["channel"] = np.where(
            codes >= 0, codes, np.where(fixed >= 0, fixed, OTHER_CHANNEL)
        )
    if (values := column("source")) is not None:
        codes = fc.labels(given("source"), values, _lookup(SOURCES), breaches, what="sources")
        other = SOURCES.index(SourceChannel.OTHER)
        optional["source"] = np.where((codes < 0) & (kinds == _CONNECT), other, codes)
    optional["reason"] = _reasons(source, column, kinds, breaches)
    # money: an amount column, or money objects (custpool's JSON Lines) holding the currency
    amounts_given, currencies = column("amount"), column("currency")
    currency_name = None if currencies is None else given("currency")
    if amounts_given is not None and pa.types.is_struct(fc.decoded(amounts_given).type):
        amounts_given, nested = fc.money_parts(given("amount"), fc.decoded(amounts_given))
        if currencies is None:
            currencies, currency_name = nested, f"{given('amount')}.currency"
    if currencies is not None and currency_name is not None:
        code = _currency_column(currency_name, currencies, code, breaches)
    if (values := amounts_given) is not None:
        digits = CURRENCY_MINOR_UNITS.get(code or "CNY", 2)
        amount, empty = fc.minor_units(
            given("amount"),
            values,
            np.full(n, digits),
            breaches,
            major=amounts == "major",
            rounding=rounding,
        )
        needs = np.isin(
            kinds, (KIND_CODE[InteractionKind.PURCHASE], KIND_CODE[InteractionKind.REFUND])
        )
        breaches.add(
            given("amount"),
            needs & empty & ~breaches.bad,
            "purchase and refund rows need an amount",
        )
        optional["amount"] = amount
    # referrals and scores
    if (values := column("referred_id")) is not None:
        optional["referred"] = _referred(given("referred_id"), values, customer_ids, breaches)
    if (values := column("score")) is not None:
        scores, empty = fc.integers(given("score"), values, breaches)
        scores[empty] = -1
        scores[(scores < -1) | (scores > 127)] = 127
        optional["score"] = scores
    item, item_ids, generate = _items(source, column, kinds, breaches)
    if item is not None:
        optional["item"] = item
    people: dict[str, Ids | None] = {"operator": None, "group": None}
    for name in people:
        if (values := column(f"{name}_id")) is not None:
            person, ids = fc.encode_ids(given(f"{name}_id"), values, breaches)
            optional[name] = person
            people[name] = Ids(tuple(ids))
    problems_before = breaches.bad.copy()
    keep = np.flatnonzero(~problems_before)
    names_of = {
        "customer": given("customer_id"),
        "time": given("at"),
        "kind": given("kind"),
        "direction": source["direction"] or "direction",
        "channel": source["channel"] or "channel",
        "source": source["source"] or "source",
        "reason": source["churn_reason"] or source["complaint_reason"] or "reason",
        "amount": source["amount"] or "amount",
        "referred": source["referred_id"] or "referred_id",
        "score": source["score"] or "score",
        "item": source["order_id"] or source["event_id"] or source["content_id"] or "order_id",
        "operator": source["operator_id"] or "operator_id",
        "group": source["group_id"] or "group_id",
    }

    def fail(name: str, bad: NDArray[np.bool_], values: NDArray[np.generic], rule: str) -> None:
        del values
        breaches.add(names_of.get(name, name), keep[bad], rule)

    if not customer_ids and not strict:  # every row refused, and no customer given
        return FrameRead(None, n, _problems(breaches), generate)
    picked = {k: (None if v is None else v[keep]) for k, v in optional.items()}
    for name in (
        *("direction", "channel", "source", "reason", "amount"),
        *("referred", "score", "item", "operator", "group"),
    ):
        picked.setdefault(name, None)
    checked = CheckedColumns.check(
        customer[keep],
        time[keep],
        kinds[keep],
        optional=picked,
        customer_ids=Ids(tuple(customer_ids)),
        item_ids=item_ids,
        currency=code,
        fail=fail,
        operator_ids=people["operator"],
        group_ids=people["group"],
    )
    if breaches.bad.any():
        checked = _accepted(checked, ~breaches.bad[keep], generate=generate)
    return FrameRead(checked, n, _problems(breaches), generate)


def _accepted(
    checked: CheckedColumns, accepted: NDArray[np.bool_], *, generate: bool
) -> CheckedColumns:
    """Keep the accepted rows, and only the items they hold.

    An item id seen only on a rejected row is not the table's: the table is the one the
    accepted rows alone make. Customers stay: a customer whose rows were all rejected is still
    one of the frame's, so a referral to them is not rejected in turn.
    """
    data = {k: v[accepted] for k, v in checked.data.items()}
    items = checked.item_ids
    if not generate and len(items):
        used = np.bincount(data["item"][data["item"] >= 0], minlength=len(items)) > 0
        if not used.all():
            renumber = np.append(np.cumsum(used) - 1, -1).astype(np.int32)
            data["item"] = renumber[data["item"]]  # -1 reads the last entry, -1
            items = Ids(tuple(i for i, kept in zip(items, used.tolist(), strict=True) if kept))
    return CheckedColumns(
        data, checked.customer_ids, items, checked.currency, checked.operator_ids, checked.group_ids
    )


_EMPTY: Final = "is required (the cell is empty)"


def _arrow_text(cell: Any) -> str:  # noqa: ANN401 - a pyarrow scalar
    """Return a cell as Arrow writes it as text, else ``<type: raw integer>``."""
    import pyarrow as pa  # noqa: PLC0415 - optional: the frame was read with it

    try:
        return str(cell.cast(pa.large_string()).as_py())
    except (pa.ArrowException, OverflowError, ValueError):
        try:
            return f"<{cell.type}: {cell.cast(pa.int64()).as_py()}>"
        except (pa.ArrowException, OverflowError, ValueError):
            return f"<{cell.type}>"


def _timezone(timezone: object) -> str | None:
    return None if timezone is None else check_tz(timezone)


def _with_extra(
    codes: NDArray[np.int32], ids: list[str], extra: list[str]
) -> tuple[NDArray[np.int32], list[str]]:
    """Add customers without rows: the ids stay sorted, and the codes follow them."""
    merged = sorted({*ids, *extra})
    index = {cid: n for n, cid in enumerate(merged)}
    remap = np.array([index[cid] for cid in ids] + [-1], dtype=np.int32)
    out: NDArray[np.int32] = remap[codes]  # -1 (no id) reads the last entry, -1
    return out, merged


def _default_directions(
    name: str, codes: NDArray[np.int16], kinds: NDArray[np.int16], breaches: fc.Breaches
) -> NDArray[np.int16]:
    """Fill empty cells with the kind's one direction; a kind with several needs the cell."""
    defaults = DEFAULT_DIRECTION[np.maximum(kinds, 0)]
    empty = codes < 0
    rule = "is required on this row: its kind allows several directions (inbound, outbound, peer)"
    breaches.add(name, empty & (defaults < 0) & (kinds >= 0) & ~breaches.bad, rule)
    out: NDArray[np.int16] = np.where(empty, np.maximum(defaults, 0), codes).astype(np.int16)
    return out


def _reasons(
    source: Mapping[str, str | None],
    column: Any,  # noqa: ANN401 - a callable giving a pyarrow column
    kinds: NDArray[np.int16],
    breaches: fc.Breaches,
) -> NDArray[np.int16] | None:
    """Churn reasons on churn rows and complaint reasons on complaint rows (else -1)."""
    out: NDArray[np.int16] | None = None
    for field, members, own, noun in (
        ("churn_reason", CHURN_REASONS, _CHURN, "churn"),
        ("complaint_reason", COMPLAINT_REASONS, _COMPLAINT, "complaint"),
    ):
        values = column(field)
        if values is None:
            continue
        name = source[field]
        assert name is not None  # noqa: S101 - a column was found under this name
        codes = fc.labels(name, values, _lookup(members), breaches, what=f"{noun} reasons")
        breaches.add(name, (codes >= 0) & (kinds != own), f"only {noun} rows have a {field}")
        if out is None:
            out = np.full(kinds.shape[0], -1, dtype=np.int16)
        other = members.index(members[-1].__class__("other"))
        mine = kinds == own
        out[mine] = np.where(codes[mine] >= 0, codes[mine], other)
    return out


def _currency_column(
    name: str,
    values: fc.Column,
    code: str | None,
    breaches: fc.Breaches,
) -> str | None:
    """Return the table's currency: ``code``, else the column's one currency."""
    labels = fc.labels(name, values, _CURRENCIES, breaches, what="currency codes")
    present = sorted({_CURRENCY_LIST[c] for c in np.unique(labels) if c >= 0})
    if code is None:
        if len(present) > 1:
            rule = (
                "a table holds one currency: pass currency= to keep one (rows in the others "
                "are rejected), or split the frame by currency"
            )
            raise ValidationError(name, ", ".join(present), rule)
        code = present[0] if present else None
    if code is not None:
        wanted = _CURRENCY_LIST.index(code)
        rule = f"must be the table's one currency, {code}"
        breaches.add(name, (labels >= 0) & (labels != wanted), rule)
    return code


_CURRENCY_LIST: Final = tuple(sorted(CURRENCY_MINOR_UNITS))
_CURRENCIES: Final = {c.lower(): n for n, c in enumerate(_CURRENCY_LIST)}


def _referred(
    name: str,
    values: fc.Column,
    customer_ids: list[str],
    breaches: fc.Breaches,
) -> NDArray[np.int32]:
    codes, ids = fc.encode_ids(name, values, breaches)
    index = {cid: n for n, cid in enumerate(customer_ids)}
    remap = np.array([index.get(cid, -2) for cid in ids] + [-1], dtype=np.int32)
    out: NDArray[np.int32] = remap[codes]
    rule = (
        "the referred customer must be a customer of the table (have rows, or be listed in "
        "customers=)"
    )
    breaches.add(name, out == -2, rule)
    out[out == -2] = -1
    return out


def _items(
    source: Mapping[str, str | None],
    column: Any,  # noqa: ANN401 - a callable giving a pyarrow column
    kinds: NDArray[np.int16],
    breaches: fc.Breaches,
) -> tuple[NDArray[np.int32] | None, Ids | None, bool]:
    """Return the item column (orders, events, content), its ids, and whether to generate."""
    found: list[tuple[str, NDArray[np.int32], list[str]]] = []
    for field, own in _ITEM_KINDS.items():
        values = column(field)
        if values is None:
            continue
        name = source[field]
        assert name is not None  # noqa: S101 - a column was found under this name
        codes, ids = fc.encode_ids(name, values, breaches)
        owner = " and ".join(KINDS[k].value for k in own)
        breaches.add(name, (codes >= 0) & ~np.isin(kinds, own), f"only {owner} rows have a {field}")
        found.append((field, codes, ids))
    purchases = kinds == _PURCHASE
    generate = column("order_id") is None and bool(purchases.any())
    if generate:
        if found:
            rule = (
                "the frame has no order_id column, so order ids are generated, but it also has "
                f"{' and '.join(f for f, _, _ in found)}: give order ids, or read the purchases "
                "as a frame of their own and concat the tables"
            )
            raise ValidationError("columns", "order_id", rule)
        return np.where(purchases, 0, -1).astype(np.int32), Ids.numbered(1), True
    if not found:
        return None, None, False
    merged = sorted({cid for _, _, ids in found for cid in ids})
    index = {cid: n for n, cid in enumerate(merged)}
    item = np.full(kinds.shape[0], -1, dtype=np.int32)
    for field, codes, ids in found:
        remap = np.array([index[cid] for cid in ids] + [-1], dtype=np.int32)
        mine = np.isin(kinds, _ITEM_KINDS[field])
        item[mine] = remap[codes[mine]]
    return item, Ids(tuple(merged)), False


def _problems(breaches: fc.Breaches) -> tuple[tuple[int, tuple[tuple[str, object, str], ...]], ...]:
    by_row: dict[int, list[tuple[str, object, str]]] = {}
    for column, rows, rule in breaches.found:
        for row in rows.tolist():
            by_row.setdefault(row, []).append((column, breaches.show(column, row), rule))
    return tuple((row, tuple(by_row[row])) for row in sorted(by_row))
