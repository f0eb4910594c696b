"""Pool KPIs per operator: the customers each staff member owns, and their KPIs.

Seed 000 rests trust on the account manager (客户经理): who looks after whom is part of the pool.
A customer's operator at the end of a window is the operator of their latest CONNECT at or
before it (the WeCom follow-up ``userid``; issue 14's rule). Operators partition the customers,
so ``pool_kpis_by_operator`` is :func:`~custpool.pool_kpis` on each operator's customers — all
their rows, whoever served each one — and every count (connected, active, buyers, purchases,
revenue, respondents) sums over the operators and the unassigned customers to the whole's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from custpool._analytics.frames import KpiRows, frame
from custpool._analytics.kpis import PoolKpis, kpi_rows, pool_kpis
from custpool._engine import KIND_CODE, EventTable, as_window
from custpool._errors import wrong_argument
from custpool._model import InteractionKind

if TYPE_CHECKING:
    from datetime import datetime, tzinfo

    from numpy.typing import NDArray

    from custpool._engine import Window

__all__ = ["KpisByOperator", "pool_kpis_by_operator"]

_CONNECT: Final = KIND_CODE[InteractionKind.CONNECT]


@dataclass(frozen=True, slots=True, eq=False)
class KpisByOperator:
    """Pool KPIs for the whole pool and for each operator's customers, over one window.

    Attributes
    ----------
    window
        The window ``(start, end]``.
    whole
        :func:`~custpool.pool_kpis` of the whole table.
    by_operator
        Operator id → the KPIs of the customers whose latest CONNECT at or before the window's
        end names that operator (operators with no such customer are left out).
    unassigned
        The KPIs of the other customers (no CONNECT yet, or one without an operator); None when
        there are none.
    """

    window: Window
    whole: PoolKpis
    by_operator: dict[str, PoolKpis]
    unassigned: PoolKpis | None

    def __repr__(self) -> str:
        """Return a short summary."""
        return f"KpisByOperator({len(self.by_operator)} operators, {self.window!r})"

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return :meth:`PoolKpis.to_frame <custpool.PoolKpis.to_frame>`'s tidy rows for every part.

        Two columns come first: ``part`` (``"operator"``, ``"unassigned"`` or ``"whole"``) and
        ``operator_id`` (null but on operators' rows); then the KPI columns, so the rows of one
        KPI across operators are ``frame[frame.kpi == "activity_rate"]``.

        Examples
        --------
        >>> from datetime import UTC, datetime
        >>> from custpool import EventTable, example_pool, pool_kpis_by_operator
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> by = pool_kpis_by_operator(table, datetime(2026, 1, 15, tzinfo=UTC),
        ...                            datetime(2026, 2, 1, tzinfo=UTC))
        >>> frame = by.to_frame("pyarrow")
        >>> sorted(set(frame.column("part").to_pylist()))  # the example names no operators
        ['unassigned', 'whole']
        """
        parts: list[tuple[str, str | None, PoolKpis]] = [
            ("operator", op, kpis) for op, kpis in self.by_operator.items()
        ]
        if self.unassigned is not None:
            parts.append(("unassigned", None, self.unassigned))
        parts.append(("whole", None, self.whole))
        columns: dict[str, list[object]] = {"part": [], "operator_id": []}
        for part, operator, kpis in parts:
            rows = kpi_rows(kpis).columns()
            size = len(rows["kpi"])
            columns["part"] += [part] * size
            columns["operator_id"] += [operator] * size
            for name, values in rows.items():
                columns.setdefault(name, []).extend(values)
        dtypes = {"part": "str", "operator_id": "str", **KpiRows.DTYPES}
        return frame(columns, backend, tz, KpiRows.TIMES, dtypes)

    def __str__(self) -> str:
        """Return one line per operator: connected, activity and conversion."""
        lines = [f"pool KPIs by operator {self.window}"]
        parts = [
            *self.by_operator.items(),
            ("(unassigned)", self.unassigned),
            ("(whole)", self.whole),
        ]
        for name, kpis in parts:
            if kpis is None:
                continue
            activity, conversion = kpis.activity_rate, kpis.conversion_rate
            lines.append(
                f"  {name}: {kpis.scale.connected} connected, activity "
                f"{'-' if activity is None else f'{activity:.1%}'}, conversion "
                f"{'-' if conversion is None else f'{conversion:.1%}'}"
            )
        return "\n".join(lines)


def pool_kpis_by_operator(
    table: EventTable, start: datetime | Window, end: datetime | None = None
) -> KpisByOperator:
    """Return :func:`~custpool.pool_kpis` for the whole pool and for each operator's customers.

    Parameters
    ----------
    table
        The events, with an ``operator`` column (``operator_id`` on the interactions).
    start, end
        The window's bounds, or a :class:`~custpool.Window` and no ``end``.

    Returns
    -------
    KpisByOperator

    Raises
    ------
    custpool.WrongTypeError
        If ``table`` is not an EventTable.
    custpool.ValidationError
        As :func:`~custpool.pool_kpis`.

    Examples
    --------
    >>> from datetime import UTC, datetime, timedelta
    >>> from custpool import EventTable, Interaction, pool_kpis_by_operator
    >>> t0 = datetime(2026, 3, 1, tzinfo=UTC)
    >>> def ev(n, cid, kind, day, **more):
    ...     return Interaction(id=f"i-{n}", customer_id=cid, at=t0 + timedelta(days=day),
    ...                        kind=kind, channel="wecom_chat", direction="inbound", **more)
    >>> rows = [ev(1, "a", "connect", 0, source="store", operator_id="op-li"),
    ...         ev(2, "b", "connect", 0, source="store", operator_id="op-li"),
    ...         ev(3, "c", "connect", 0, source="store", operator_id="op-wu"),
    ...         ev(4, "a", "message", 2), ev(5, "c", "message", 3)]
    >>> by = pool_kpis_by_operator(EventTable.from_interactions(rows), t0, t0 + timedelta(days=7))
    >>> {op: k.activity.active for op, k in by.by_operator.items()}, by.whole.activity.active
    ({'op-li': 1, 'op-wu': 1}, 2)
    """
    if not isinstance(table, EventTable):
        raise wrong_argument("table", table, "must be a custpool.EventTable")
    window = as_window(start, end)
    whole = pool_kpis(table, window)
    owner = _owners(table, window.end_us)
    row_owner = owner[table.customer]
    by_operator: dict[str, PoolKpis] = {}
    for code in np.unique(owner[owner >= 0]).tolist():
        by_operator[table.operator_ids[code]] = pool_kpis(_rows(table, row_owner == code), window)
    unassigned = None
    if (owner < 0).any():
        unassigned = pool_kpis(_rows(table, row_owner < 0), window)
    ordered = dict(sorted(by_operator.items()))
    return KpisByOperator(window, whole, ordered, unassigned)


def _owners(table: EventTable, end: int) -> NDArray[np.int32]:
    """Each customer's operator: that of their latest CONNECT at or before ``end`` (or -1)."""
    owner = np.full(table.n_customers, -1, dtype=np.int32)
    rows = np.flatnonzero((table.kind == _CONNECT) & (table.time <= end))
    if rows.size:
        customer = table.customer[rows]
        last = np.ones(rows.shape[0], dtype=np.bool_)  # rows are sorted by customer, then time
        last[:-1] = customer[1:] != customer[:-1]
        owner[customer[last]] = table.operator[rows[last]]
    return owner


def _rows(table: EventTable, keep: NDArray[np.bool_]) -> EventTable:
    """Return the table of the rows in ``keep``, with every id list unchanged."""
    columns = {name: table.column(name)[keep] for name in EventTable.COLUMNS}
    return EventTable.from_arrays(
        **columns,
        customer_ids=table.customer_ids,
        item_ids=table.item_ids,
        operator_ids=table.operator_ids,
        group_ids=table.group_ids,
        currency=table.currency,
        copy=False,
    )
