"""Pool health per operator or per group: ISOOC scored on each part of the customers.

A customer belongs to the operator — or the group — of their latest CONNECT at or before
``as_of`` (the rule of every breakdown, :func:`~custpool.pool_kpis`' ``by=``). A part's report
is :func:`~custpool.score_health` of a table holding only that part's customers, with:

- **by operator**, the charter's operators narrowed to that one operator, so the Operate
  measures read that operator's load (members per operator against the charter's capacity), the
  median reply time to their customers, and their customers' participation;
- **by group**, the charter unchanged (a group shares the pool's operators);
- the kinds the whole table records (or ``recorded_kinds``): a kind the source records is still
  measured in a part that has no row of it.

Parts' reports are scored when first looked up: a pool may have thousands of groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from custpool._engine import BY, Breakdown, By, EventTable, Parts, Window, owners
from custpool._errors import bad_argument
from custpool._health.report import HealthReport, measure_frame
from custpool._time import to_micros

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import tzinfo

    from numpy.typing import NDArray

    from custpool._model import PoolCharter

__all__ = ["health_by", "part_charter", "part_table", "stack_reports"]


def stack_reports(
    named: Sequence[tuple[str, str | None, Any]], backend: str, tz: str | tzinfo | None
) -> Any:  # noqa: ANN401 - the frame type depends on the backend
    """Stack health reports' measure rows (:meth:`HealthReport.to_frame`) under ``part``/``id``."""
    labels: dict[str, list[str | None]] = {
        "part": [part for part, _, _ in named],
        "id": [key for _, key, _ in named],
    }
    return measure_frame([report for _, _, report in named], backend, tz, labels)


def part_table(table: EventTable, rows: NDArray[np.intp]) -> EventTable:
    """Return the table of ``rows`` (one part's customers' rows, in the table's order).

    The customers, items, operators and groups stay the table's (indexes are shared), so the
    part's tags are the table's.
    """
    columns = {name: table.column(name)[rows] for name in EventTable.COLUMNS}
    return EventTable.from_arrays(
        **columns,
        customer_ids=table.customer_ids,
        item_ids=table.item_ids,
        operator_ids=table.operator_ids,
        group_ids=table.group_ids,
        currency=table.currency,
        copy=False,
    )


def part_charter(charter: PoolCharter, by: By, key: str | None) -> PoolCharter:
    """Return the charter a part is scored against: by operator, narrowed to its operator.

    ``key`` is the part's operator (or group) id, None for the unassigned: by operator, their
    charter names no operator; by group, every part shares the pool's charter.
    """
    if by == "group":
        return charter
    operators = () if key is None else (key,)
    return charter.model_copy(update={"operators": operators})


@dataclass(frozen=True, slots=True)
class _PartReport:
    """Score part ``k`` (rows ``order[starts[k]:ends[k]]``) of the table."""

    table: EventTable
    order: NDArray[np.intp]
    starts: NDArray[np.intp]
    ends: NDArray[np.intp]
    score: Callable[[EventTable, PoolCharter], HealthReport]
    charter: PoolCharter
    by: By
    ids: tuple[str, ...]

    def __call__(self, k: int) -> HealthReport:
        part = part_table(self.table, self.order[self.starts[k] : self.ends[k]])
        key = None if k == 0 else self.ids[k - 1]
        return self.score(part, part_charter(self.charter, self.by, key))


def health_by(
    table: EventTable,
    by: By,
    whole: HealthReport,
    charter: PoolCharter,
    score: Callable[[EventTable, PoolCharter], HealthReport],
) -> Breakdown[HealthReport]:
    """Return ``whole`` and the health of each part (``score(part_table, part_charter)``).

    Parts are split at ``whole.as_of``; ``score`` closes over the other options.
    """
    if by not in BY:
        raise bad_argument("by", by, "must be 'operator' or 'group'")
    end = to_micros(whole.as_of)
    owner = owners(table, end, by).astype(np.intp) + 1  # 0: unassigned
    ids = tuple(table.operator_ids if by == "operator" else table.group_ids)
    row_part = owner[table.customer]
    order = np.argsort(row_part, kind="stable")
    sizes = np.bincount(owner, minlength=len(ids) + 1)
    row_sizes = np.bincount(row_part, minlength=len(ids) + 1)
    ends = np.cumsum(row_sizes)
    build = _PartReport(table, order, ends - row_sizes, ends, score, charter, by, ids)
    index = dict(sorted((ids[k], k + 1) for k in np.flatnonzero(sizes[1:]).tolist()))
    unassigned = build(0) if sizes[0] else None
    window = Window(whole.window_start, whole.as_of)
    return Breakdown(window, by, whole, Parts(index, build), unassigned, stack_reports)
