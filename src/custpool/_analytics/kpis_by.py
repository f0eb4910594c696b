"""KPIs per operator or per group, all parts in one pass.

Each part of a :class:`~custpool.Breakdown` is :func:`~custpool.pool_kpis` of that part's
customers — all their rows, whoever served them and wherever they happened — so every count
(connected, active, buyers, purchases, money, respondents, visitors) sums over the parts and the
unassigned to the whole's. However many parts there are, each KPI's integer facts are found per
customer once (:class:`CustomerFacts`) and summed per part with ``bincount``; a part's results
are built, when first looked up, by the same constructors as the whole's (``activity_of``,
``nps_of`` …).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from custpool._analytics.capture import CAPTURED, LAPSED, NEVER
from custpool._analytics.frames import KpiRows, frame
from custpool._analytics.kpis import (
    DETRACTOR,
    PROMOTER,
    KpiScan,
    PoolKpis,
    UserScale,
    activity_of,
    conversion_of,
    funnel_of,
    kpi_rows,
    nps_of,
    order_value_of,
    repurchase_of,
)
from custpool._analytics.sums import slice_sums
from custpool._engine import (
    BY,
    Breakdown,
    By,
    EventTable,
    Parts,
    owners,
    run_ends,
    run_starts,
)
from custpool._errors import bad_argument
from custpool._model import InteractionKind

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import tzinfo

    from numpy.typing import NDArray

    from custpool._engine import RowSet, Window

__all__ = ["COUNTED", "CustomerFacts", "KpisOfPart", "part_counts", "pool_kpis_by", "stack_kpis"]


def stack_kpis(
    named: Sequence[tuple[str, str | None, Any]], backend: str, tz: str | tzinfo | None
) -> Any:  # noqa: ANN401 - the frame type depends on the backend
    """Stack KPI results' tidy rows (:func:`kpi_rows`) under ``part`` and ``id`` columns."""
    columns: dict[str, list[object]] = {"part": [], "id": []}
    for part, key, result in named:
        rows = kpi_rows(result).columns()
        size = len(rows["kpi"])
        columns["part"] += [part] * size
        columns["id"] += [key] * size
        for name, values in rows.items():
            columns.setdefault(name, []).extend(values)
    dtypes = {"part": "str", "id": "str", **KpiRows.DTYPES}
    return frame(columns, backend, tz, KpiRows.TIMES, dtypes)


@dataclass(frozen=True, slots=True)
class CustomerFacts:
    """Every integer a pool KPI is made of, per customer, for one window.

    Summed over all customers they give :func:`~custpool.pool_kpis`' counts; summed over a part
    (``bincount`` by owner), that part's. Money is in minor units.
    """

    connected: NDArray[np.bool_]
    at_start: NDArray[np.bool_]
    connects: NDArray[np.intp]
    churns: NDArray[np.intp]
    new: NDArray[np.bool_]
    active: NDArray[np.bool_]
    converted: NDArray[np.bool_]
    purchases: NDArray[np.intp]
    bought: NDArray[np.int64]
    refunds: NDArray[np.intp]
    refunded: NDArray[np.int64]
    respondent: NDArray[np.bool_]
    promoter: NDArray[np.bool_]
    detractor: NDArray[np.bool_]
    visits: NDArray[np.intp]
    deal: NDArray[np.bool_]
    walk_in: NDArray[np.bool_]
    captured: NDArray[np.bool_]

    @property
    def connecting(self) -> NDArray[np.bool_]:
        """A CONNECT in the window."""
        return self.connects > 0

    @property
    def churning(self) -> NDArray[np.bool_]:
        """A CHURN in the window."""
        return self.churns > 0

    @property
    def buyers(self) -> NDArray[np.bool_]:
        """A PURCHASE in the window."""
        return self.purchases > 0

    @property
    def repeat(self) -> NDArray[np.bool_]:
        """Two or more purchases in the window."""
        return self.purchases >= 2

    @property
    def visitor(self) -> NDArray[np.bool_]:
        """In the pool at the window's end, with a store visit in it."""
        return self.visits > 0

    @classmethod
    def of(cls, scan: KpiScan) -> CustomerFacts:
        """Find the facts of every customer of ``scan``'s table in its window."""
        n, table = scan.n, scan.table
        connected = scan.connected
        connects = scan.kinds[InteractionKind.CONNECT]
        first = run_starts(connects.customer)
        first_time = connects.time[first]
        new = np.zeros(n, dtype=np.bool_)
        new[connects.customer[first][(first_time > scan.start) & (first_time <= scan.end)]] = True
        purchases = scan.purchases
        refunds = scan.rows(InteractionKind.REFUND)
        answers = scan.rows(InteractionKind.NPS)
        latest = answers.index[run_ends(answers.customer)]
        scores = np.full(n, -1, dtype=np.int16)
        scores[table.customer[latest]] = table.score[latest]
        visits = np.where(connected, scan.per_customer(scan.rows(InteractionKind.STORE_VISIT)), 0)
        return cls(
            connected=connected,
            at_start=scan.kinds.connected_at(scan.start),
            connects=scan.per_customer(scan.rows(InteractionKind.CONNECT)),
            churns=scan.per_customer(scan.rows(InteractionKind.CHURN)),
            new=new,
            active=scan.active & connected,
            converted=scan.bought & connected,
            purchases=scan.purchase_counts,
            bought=_money_per_customer(table, purchases, n),
            refunds=scan.per_customer(refunds),
            refunded=_money_per_customer(table, refunds, n),
            respondent=scores >= 0,
            promoter=scores >= PROMOTER,
            detractor=(scores >= 0) & (scores <= DETRACTOR),
            visits=visits,
            deal=(visits > 0) & scan.bought,
            walk_in=scan.visitors.mask(n, CAPTURED, LAPSED, NEVER),
            captured=scan.visitors.mask(n, CAPTURED),
        )


def _money_per_customer(table: EventTable, rows: RowSet, n: int) -> NDArray[np.int64]:
    """Each customer's exact sum of ``rows``' amounts (minor units; 0 without rows)."""
    out = np.zeros(n, dtype=np.int64)
    if rows.index.size:
        starts = np.flatnonzero(run_starts(rows.customer))
        ends = np.append(starts[1:], rows.index.shape[0])
        sums = slice_sums(table.amount[rows.index], starts, ends, what="amount of one customer")
        out[rows.customer[starts]] = sums
    return out


class _Totals:
    """The facts summed per part: one int per part for each fact, with ``bincount``."""

    def __init__(self, facts: CustomerFacts, part: NDArray[np.intp], parts: int) -> None:
        self.facts, self.part, self.parts = facts, part, parts

    def count(self, name: str) -> NDArray[np.int64]:
        values = getattr(self.facts, name)
        if values.dtype == np.bool_:
            return np.bincount(self.part[values], minlength=self.parts).astype(np.int64)
        # counts below 2**53: exact in float64
        return np.bincount(self.part, weights=values, minlength=self.parts).astype(np.int64)

    def money(self, name: str) -> NDArray[np.int64]:
        """Sum minor units per part exactly, in float64 (in 21-bit slices if a sum may be big).

        When no sum can reach ``2**53``, one ``bincount`` is exact.

        A slice is below ``2**21``, so a part's sum of one slice stays below ``2**53`` (exact
        in float64) for fewer than ``2**32`` customers. Amounts are never negative, so a part's
        sum is at most the whole's, which Money held (the whole is computed first): the int64
        total cannot overflow.
        """
        values = getattr(self.facts, name)
        if not values.size or int(values.max()) * values.size < _EXACT:  # one pass is exact
            return self.count(name)
        total = np.zeros(self.parts, dtype=np.int64)
        for shift in (42, 21, 0):
            piece = (values >> shift) & _SLICE
            sums = np.bincount(self.part, weights=piece, minlength=self.parts)
            total += sums.astype(np.int64) << shift
        return total


_SLICE: Final = (1 << 21) - 1
_EXACT: Final = 1 << 53
"""Sums below this are exact in float64."""


@dataclass(frozen=True, slots=True)
class KpisOfPart:
    """Build part ``k``'s :class:`~custpool.PoolKpis` from the per-part sums.

    ``counts`` maps each name of :data:`COUNTED`, ``bought`` and ``refunded`` to one integer per
    part (money in minor units), as :func:`part_counts` returns them.
    """

    window: Window
    currency: str | None
    counts: dict[str, NDArray[np.int64]]

    def __call__(self, k: int) -> PoolKpis:
        c = {name: int(values[k]) for name, values in self.counts.items()}
        window = self.window
        return PoolKpis(
            window=window,
            scale=UserScale(
                window=window,
                connected=c["connected"],
                connected_at_start=c["at_start"],
                connects=c["connects"],
                connecting_customers=c["connecting"],
                new_customers=c["new"],
                churns=c["churns"],
                churning_customers=c["churning"],
            ),
            activity=activity_of(window, c["connected"], c["active"]),
            conversion=conversion_of(window, c["connected"], c["converted"]),
            order_value=order_value_of(
                window,
                self.currency,
                purchases=c["purchases"],
                bought=c["bought"],
                refunds=c["refunds"],
                refunded=c["refunded"],
            ),
            repurchase=repurchase_of(window, c["buyers"], c["repeat"]),
            net_promoter=nps_of(window, c["respondent"], c["promoter"], c["detractor"]),
            funnel=funnel_of(
                window,
                c["connected"],
                visitors=c["visitor"],
                deals=c["deal"],
                visits=c["visits"],
                walk_ins=c["walk_in"],
                captured=c["captured"],
            ),
        )


def part_counts(
    scan: KpiScan, by: By, keep: NDArray[np.bool_] | None = None
) -> tuple[tuple[str, ...], NDArray[np.int64], dict[str, NDArray[np.int64]]]:
    """Return every KPI's integer facts summed per part of ``scan``'s customers.

    Part 0 is the unassigned; part ``k + 1`` is the ``k``-th id of ``by``'s column. Returns
    the ids, the number of customers in each part and each fact's sums per part (the names of
    :data:`COUNTED`, then ``bought`` and ``refunded`` in minor units). With ``keep``, one flag
    per customer, only the flagged customers count (a Dask partition keeps the customers it
    owns).
    """
    table = scan.table
    owner = owners(table, scan.end, by, scan.kinds)
    ids = tuple(table.operator_ids if by == "operator" else table.group_ids)
    part = owner.astype(np.intp) + 1  # 0: unassigned; k + 1: the k-th id
    facts = CustomerFacts.of(scan)
    if keep is not None:
        part = np.where(keep, part, len(ids) + 1)  # the customers not kept: one part more
    parts = len(ids) + (1 if keep is None else 2)
    totals = _Totals(facts, part, parts)
    counts = {name: totals.count(name)[: len(ids) + 1] for name in COUNTED}
    counts |= {name: totals.money(name)[: len(ids) + 1] for name in ("bought", "refunded")}
    sizes = np.bincount(part, minlength=parts)[: len(ids) + 1].astype(np.int64)
    return ids, sizes, counts


def pool_kpis_by(scan: KpiScan, by: By) -> Breakdown[PoolKpis]:
    """Return :func:`~custpool.pool_kpis` of ``scan``'s window for the whole and for every part.

    A part's money sums are at most the whole's (amounts are never negative), so a part never
    holds a figure :class:`~custpool.Money` cannot, once the whole's was computed.

    Raises
    ------
    custpool.ValidationError
        If ``by`` is not ``"operator"`` or ``"group"``, or a money figure is more than
        :class:`~custpool.Money` holds.
    """
    if by not in BY:
        raise bad_argument("by", by, "must be 'operator' or 'group'")
    whole = scan.pool_kpis()
    ids, sizes, counts = part_counts(scan, by)
    build = KpisOfPart(scan.window, scan.table.currency, counts)
    index = dict(sorted((ids[k], k + 1) for k in np.flatnonzero(sizes[1:]).tolist()))
    unassigned = build(0) if sizes[0] else None
    return Breakdown(scan.window, by, whole, Parts(index, build), unassigned, stack_kpis)


COUNTED: Final = (
    "connected",
    "at_start",
    "connects",
    "connecting",
    "new",
    "churns",
    "churning",
    "active",
    "converted",
    "purchases",
    "buyers",
    "repeat",
    "refunds",
    "respondent",
    "promoter",
    "detractor",
    "visits",
    "visitor",
    "deal",
    "walk_in",
    "captured",
)
"""The facts of :class:`CustomerFacts` summed per part as counts (money is summed apart)."""
