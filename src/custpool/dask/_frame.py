"""An event table back into a pandas frame of custpool's columns, the form Dask partitions hold.

:func:`table_frame` is the inverse of :meth:`EventTable.from_frame <custpool.EventTable.from_frame>`
with ``amounts="minor"``: reading its frame back gives the same table. Labels (kinds,
directions, channels, sources, reasons, currency) are pandas categoricals over the enum values,
so a frame of ten million events holds one byte per label; ids are strings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd  # type: ignore[import-untyped]  # pandas ships no type information

from custpool import (
    KIND_RULES,
    Channel,
    ChurnReason,
    ComplaintReason,
    Direction,
    EventTable,
    InteractionKind,
    SourceChannel,
)
from custpool._errors import wrong_argument

if TYPE_CHECKING:
    from enum import StrEnum

    from numpy.typing import NDArray

__all__ = ["table_frame"]

_KINDS: Final = tuple(InteractionKind)
_ITEM_FIELDS: Final = ("order_id", "event_id", "content_id")


def _labels(codes: NDArray[np.integer[Any]], members: tuple[StrEnum, ...]) -> Any:  # noqa: ANN401
    """Return the codes as a categorical of the members' values (-1: missing)."""
    values = [member.value for member in members]
    return pd.Categorical.from_codes(codes.astype(np.int64), categories=values)


def _ids(codes: NDArray[np.integer[Any]], ids: tuple[str, ...], where: NDArray[np.bool_]) -> Any:  # noqa: ANN401
    """Return ``ids[code]`` where ``where`` holds, else None, as a pandas string column."""
    lookup = np.asarray((*ids, ""), dtype=object)  # -1 reads the trailing "" (masked below)
    values = lookup[codes]
    values[~where] = None
    return pd.array(values, dtype="string")


def _kind_mask(kind: NDArray[np.int8], kinds: set[InteractionKind]) -> NDArray[np.bool_]:
    codes = [code for code, member in enumerate(_KINDS) if member in kinds]
    return np.isin(kind, codes)


def table_frame(table: EventTable) -> Any:  # noqa: ANN401 - a pandas DataFrame (pandas is untyped)
    """Return an event table as a pandas DataFrame of custpool's columns, one row per event.

    Columns: ``customer_id``, ``at`` (UTC, microseconds), ``kind``, ``direction``, ``channel``,
    ``source``, ``churn_reason``, ``complaint_reason``, ``order_id``, ``event_id``,
    ``content_id``, ``amount`` (whole minor units, nullable Int64), ``currency``,
    ``referred_id``, ``score`` (nullable Int8), ``operator_id`` and ``group_id``; a cell a kind
    does not carry is null. Rows keep the table's order (customer, then time). Customers
    without events are not rows: pass ``customers=`` when reading the frame back.

    ``EventTable.from_frame(table_frame(t), amounts="minor")`` is ``t`` again, which makes
    this the way to turn a synthetic pool into a Dask DataFrame (``dask.dataframe.from_pandas``)
    or a Parquet dataset.

    Parameters
    ----------
    table
        The events.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    custpool.WrongTypeError
        If ``table`` is not an :class:`~custpool.EventTable`.

    Examples
    --------
    >>> from custpool import EventTable, example_pool
    >>> from custpool.dask import table_frame
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> frame = table_frame(table)
    >>> frame.loc[1, ["customer_id", "kind", "amount", "currency", "order_id"]].to_dict()
    {'customer_id': 'c-001', 'kind': 'purchase', 'amount': 3800, 'currency': 'CNY',
     'order_id': 'o-001'}
    >>> back = EventTable.from_frame(frame, amounts="minor", customers=table.customer_ids)
    >>> all((back.column(name) == table.column(name)).all() for name in table.COLUMNS)
    True
    """
    if not isinstance(table, EventTable):
        raise wrong_argument("table", table, "must be a custpool.EventTable")
    kind = table.kind
    rows = len(table)
    everywhere = np.ones(rows, dtype=np.bool_)
    customers = tuple(table.customer_ids)
    items = tuple(table.item_ids)
    money = _kind_mask(kind, {InteractionKind.PURCHASE, InteractionKind.REFUND})
    churn = kind == _KINDS.index(InteractionKind.CHURN)
    complaint = kind == _KINDS.index(InteractionKind.COMPLAINT)
    columns: dict[str, Any] = {
        "customer_id": _ids(table.customer, customers, everywhere),
        "at": pd.Series(table.time.astype("datetime64[us]")).dt.tz_localize("UTC"),
        "kind": _labels(kind, _KINDS),
        "direction": _labels(table.direction, tuple(Direction)),
        "channel": _labels(table.channel, tuple(Channel)),
        "source": _labels(table.source, tuple(SourceChannel)),
        "churn_reason": _labels(np.where(churn, table.reason, -1), tuple(ChurnReason)),
        "complaint_reason": _labels(np.where(complaint, table.reason, -1), tuple(ComplaintReason)),
    }
    for name in _ITEM_FIELDS:
        carries = {k for k in _KINDS if name in KIND_RULES[k].required | KIND_RULES[k].optional}
        where = _kind_mask(kind, carries) & (table.item >= 0)
        columns[name] = _ids(table.item, items, where)
    columns["amount"] = pd.array(np.where(money, table.amount, 0), dtype="Int64")
    columns["amount"][~money] = pd.NA
    currencies = [] if table.currency is None else [table.currency]
    columns["currency"] = pd.Categorical.from_codes(
        np.where(money, 0, -1) if currencies else np.full(rows, -1), categories=currencies
    )
    referred = table.referred >= 0
    columns["referred_id"] = _ids(table.referred, customers, referred)
    score = pd.array(table.score, dtype="Int8")
    score[table.score < 0] = pd.NA
    columns["score"] = score
    columns["operator_id"] = _ids(table.operator, tuple(table.operator_ids), table.operator >= 0)
    columns["group_id"] = _ids(table.group, tuple(table.group_ids), table.group >= 0)
    return pd.DataFrame({name: pd.Series(values).array for name, values in columns.items()})
