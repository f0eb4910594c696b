"""Breakdowns: a result for the whole pool and for each operator's (or group's) customers.

A customer belongs to the operator — or the group — of their **latest CONNECT at or before an
instant** (the WeCom follow-up ``userid``, or the ``chat_id`` of the group they joined; issue
14's rule); customers with no such CONNECT, or one that names none, are *unassigned*. These
owners partition the customers (:func:`owners`), so a breakdown's parts and its unassigned
together hold every customer once. :class:`Breakdown` is the one container every ``by=``
returns — KPIs, health reports, state counts — with its parts built when first looked up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, Generic, Literal, TypeVar

import numpy as np

from custpool._display import (
    Count,
    Displayed,
    Phrase,
    Report,
    Section,
    Span,
    Text,
    Time,
    report_of,
    resolve,
)
from custpool._engine.primitives import KindRows, run_ends
from custpool._frames import build_frame
from custpool._model import InteractionKind

if TYPE_CHECKING:
    from datetime import tzinfo

    from numpy.typing import NDArray

    from custpool._display import Cell
    from custpool._engine.events import EventTable
    from custpool._engine.window import Window

__all__ = ["BY", "Breakdown", "By", "Parts", "Stack", "owners", "stack_counts"]

By = Literal["operator", "group"]
"""What a breakdown splits the customers by."""
BY: Final = ("operator", "group")

R = TypeVar("R")

Stack = Callable[[Sequence[tuple[str, str | None, Any]], str, "str | tzinfo | None"], Any]
"""How a breakdown's results become one frame: ``(part, id, result)`` triples, backend, tz."""


class Parts(Mapping[str, R]):
    """A read-only mapping of part id → result, each result built when first looked up.

    A breakdown by group may have tens of thousands of parts; their integers are all computed at
    once, and the result objects only for the parts a caller reads.
    """

    __slots__ = ("_build", "_cache", "_index")

    def __init__(self, index: dict[str, int], build: Callable[[int], R]) -> None:
        self._index = index
        self._build = build
        self._cache: dict[int, R] = {}

    def __getitem__(self, key: str) -> R:
        """Return the result of part ``key``."""
        k = self._index[key]
        result = self._cache.get(k)
        if result is None:
            result = self._cache[k] = self._build(k)
        return result

    def __iter__(self) -> Iterator[str]:
        """Iterate over the part ids, in sorted order."""
        return iter(self._index)

    def __len__(self) -> int:
        """Return the number of parts."""
        return len(self._index)

    def __repr__(self) -> str:
        """Return a short summary (the parts are not built)."""
        return f"Parts({len(self)} parts)"

    def map(self, pick: Callable[[R], Any]) -> Parts[Any]:
        """Return the parts of ``pick(result)``, still built on first look-up."""
        return Parts(self._index, _Then(self._build, pick))


@dataclass(frozen=True, slots=True)
class _Then:
    """``pick(build(k))``: a picklable composition."""

    build: Callable[[int], Any]
    pick: Callable[[Any], Any]

    def __call__(self, k: int) -> Any:  # noqa: ANN401 - whatever pick returns
        return self.pick(self.build(k))


@dataclass(frozen=True, slots=True, eq=False)
class Breakdown(Displayed, Generic[R]):
    """A KPI for the whole pool and for each part of its customers (per operator or group).

    Returned by the KPI functions given ``by="operator"`` or ``by="group"``
    (:func:`~custpool.pool_kpis`, :func:`~custpool.activity_rate` …); ``R`` is that function's
    result type.

    Attributes
    ----------
    window
        The window ``(start, end]``, or the instant (a breakdown of state counts).
    by
        ``"operator"`` or ``"group"``.
    whole
        The result for the whole table: the same as without ``by``.
    parts
        Operator (or group) id → the result for the customers whose latest CONNECT at or before
        the window's end names it; sorted by id. Ids that own no customer are left out. A
        read-only mapping whose results are built when first looked up (a pool may have tens of
        thousands of groups).
    unassigned
        The result for the other customers (no CONNECT yet, or one naming no operator/group);
        None when there are none.
    stack
        How :meth:`to_frame` stacks the results: the KPIs' tidy rows, health reports' measure
        rows, state counts.

    Examples
    --------
    >>> from datetime import UTC, datetime, timedelta
    >>> from custpool import EventTable, Interaction, activity_rate
    >>> t0 = datetime(2026, 3, 1, tzinfo=UTC)
    >>> def ev(n, cid, kind, day, **more):
    ...     return Interaction(id=f"i-{n}", customer_id=cid, at=t0 + timedelta(days=day),
    ...                        kind=kind, channel="wecom_chat", direction="inbound", **more)
    >>> table = EventTable.from_interactions([
    ...     ev(1, "a", "connect", 0, source="store", group_id="g-tea"),
    ...     ev(2, "b", "connect", 0, source="store", group_id="g-tea"),
    ...     ev(3, "c", "connect", 0, source="store", group_id="g-cake"),
    ...     ev(4, "a", "message", 2)])
    >>> by = activity_rate(table, t0, t0 + timedelta(days=7), by="group")
    >>> by
    Breakdown(by group: 2 parts, (2026-03-01T00:00:00+00:00, 2026-03-08T00:00:00+00:00])
    >>> print(by)
    activity rate by group (2026-03-01T00:00:00+00:00, 2026-03-08T00:00:00+00:00]
      g-cake: 0.0% (0 of 1 connected)
      g-tea: 50.0% (1 of 2 connected)
      (whole): 33.3% (1 of 3 connected)
    """

    window: Window | datetime
    by: By
    whole: R
    parts: Mapping[str, R]
    unassigned: R | None
    stack: Stack

    def __repr__(self) -> str:
        """Return a short summary."""
        return f"Breakdown(by {self.by}: {len(self.parts)} parts, {self.window})"

    def __str__(self) -> str:
        """Return one line per part, then the unassigned and the whole."""
        name = _NAMES.get(type(self.whole).__name__, "KPIs")
        lines = [f"{name} by {self.by} {self.window}"]
        named: list[tuple[str, R | None]] = [
            *self.parts.items(),
            ("(unassigned)", self.unassigned),
            ("(whole)", self.whole),
        ]
        for label, result in named:
            if result is None:
                continue
            text = _text(result).replace("\n", "\n    ")
            lines.append(f"  {label}: {text}")
        return "\n".join(lines)

    def _report(self) -> Report:
        """One row per part: the whole and the unassigned first, then the parts by id.

        Only the first ``display.max_rows`` parts are built (the parts are built on look-up).
        """
        name = _NAMES.get(type(self.whole).__name__, "KPIs")
        zh = f"{_NAMES_ZH.get(type(self.whole).__name__, '指标')}（按{_BY_ZH[self.by]}）"
        when = Time(self.window) if isinstance(self.window, datetime) else Span(*_ends(self.window))
        title = Phrase(Text(f"{name} by {self.by}", zh), when)
        whole = report_of(self.whole)
        head: tuple[Cell, ...] = (Text(self.by, _BY_ZH[self.by]),)
        if whole is not None and whole.sections:
            head += tuple(row[0] for row in whole.sections[0].rows)
        else:
            head += (Text(name),)
        named: list[tuple[Cell, R]] = [(Text("(whole)", "（全部）"), self.whole)]
        if self.unassigned is not None:
            named.append((Text("(unassigned)", "（未分配）"), self.unassigned))
        limit = resolve()[2]
        keys = list(self.parts)
        shown = keys if limit is None else keys[:limit]
        named += [(Text(key), self.parts[key]) for key in shown]
        rows = tuple((label, *_cells(result)) for label, result in named)
        parts = Section(rows, columns=head, left_out=len(keys) - len(shown))
        return Report(title, (Section(((Text("parts", "分组数"), Count(len(keys))),)), parts))

    def map(self, pick: Callable[[R], Any]) -> Breakdown[Any]:
        """Return the breakdown of ``pick(result)`` for the whole and every part."""
        parts = self.parts
        mapped: Mapping[str, Any] = (
            parts.map(pick)
            if isinstance(parts, Parts)
            else {key: pick(value) for key, value in parts.items()}
        )
        unassigned = None if self.unassigned is None else pick(self.unassigned)
        return Breakdown(self.window, self.by, pick(self.whole), mapped, unassigned, self.stack)

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return each part's rows (as the result's own ``to_frame`` has them), stacked.

        Two columns come first: ``part`` (``"operator"`` or ``"group"`` on the parts' rows,
        ``"unassigned"``, ``"whole"``) and ``id`` (the operator or group id; null but on the
        parts' rows); then the KPI columns, so the rows of one KPI across parts are
        ``frame[frame.kpi == "activity_rate"]``.

        Examples
        --------
        >>> from datetime import UTC, datetime
        >>> from custpool import EventTable, example_pool, pool_kpis
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> by = pool_kpis(table, datetime(2026, 1, 15, tzinfo=UTC),
        ...                datetime(2026, 2, 1, tzinfo=UTC), by="operator")
        >>> frame = by.to_frame("pyarrow")
        >>> sorted(set(frame.column("part").to_pylist()))  # the example names no operators
        ['unassigned', 'whole']
        """
        named: list[tuple[str, str | None, R]] = [
            (self.by, key, value) for key, value in self.parts.items()
        ]
        if self.unassigned is not None:
            named.append(("unassigned", None, self.unassigned))
        named.append(("whole", None, self.whole))
        return self.stack(named, backend, tz)


_NAMES: Final = {
    "PoolKpis": "pool KPIs",
    "UserScale": "user scale",
    "ActivityRate": "activity rate",
    "ConversionRate": "conversion rate",
    "OrderValue": "order value",
    "RepurchaseRate": "repurchase rate",
    "NetPromoterScore": "NPS",
    "PoolFunnel": "funnel",
    "HealthReport": "pool health",
    "dict": "customers by state",
}


_BY_ZH: Final = {"operator": "客户经理", "group": "客户群"}
_NAMES_ZH: Final = {
    "PoolKpis": "客户池指标",
    "UserScale": "规模用户",
    "ActivityRate": "活跃度",
    "ConversionRate": "转化率",
    "OrderValue": "客单价",
    "RepurchaseRate": "复购率",
    "NetPromoterScore": "净推荐值",
    "PoolFunnel": "漏斗",
    "HealthReport": "客户池健康",
    "dict": "各状态客户数",
}


def _text(result: object) -> str:
    """Return a result's text; state counts as ``connected 3, engaged 1`` (the non-zero ones)."""
    if isinstance(result, dict):
        shown = [f"{getattr(k, 'value', k)} {v:,}" for k, v in result.items() if v]
        return ", ".join(shown) or "no customers"
    return str(result)


def _ends(window: Window) -> tuple[Any, Any]:
    return window.start, window.end


def _cells(result: object) -> tuple[Cell, ...]:
    """Return the values of a result's first section, or its text when it has no report."""
    report = report_of(result)
    if report is None or not report.sections:
        return (Text(_text(result)),)
    return tuple(cell for row in report.sections[0].rows for cell in row[1:])


def owners(table: EventTable, end: int, by: By, kinds: KindRows | None = None) -> NDArray[np.int32]:
    """Each customer's owner code: the ``by`` column of their latest CONNECT at or before ``end``.

    -1 for a customer with no such CONNECT, or whose latest names none. Codes index
    ``table.operator_ids`` (``by="operator"``) or ``table.group_ids``. Pass the table's
    :class:`KindRows` to reuse the CONNECT rows already found.
    """
    column = table.operator if by == "operator" else table.group
    connects = (KindRows(table) if kinds is None else kinds)[InteractionKind.CONNECT]
    upto = connects.take(connects.time <= end)
    owner = np.full(table.n_customers, -1, dtype=np.int32)
    last = run_ends(upto.customer)  # rows are sorted by customer, then time
    owner[upto.customer[last]] = column[upto.index[last]]
    return owner


def stack_counts(
    named: Sequence[tuple[str, str | None, Any]], backend: str, tz: str | tzinfo | None
) -> Any:  # noqa: ANN401 - the frame type depends on the backend
    """Stack state counts: a row per part and state (``part``, ``id``, ``state``, ``customers``)."""
    del tz  # counts have no times
    columns: dict[str, list[object]] = {"part": [], "id": [], "state": [], "customers": []}
    for part, key, counts in named:
        for state, n in counts.items():
            columns["part"].append(part)
            columns["id"].append(key)
            columns["state"].append(state.value)
            columns["customers"].append(n)
    typed = {
        name: np.array(values, dtype=np.int64) if name == "customers" else _texts(values)
        for name, values in columns.items()
    }
    return build_frame(typed, backend=backend)


def _texts(values: list[object]) -> object:
    nulls = np.array([v is None for v in values], dtype=np.bool_)
    texts = np.array(["" if v is None else v for v in values], dtype=np.str_)
    return np.ma.masked_array(texts, mask=nulls)
