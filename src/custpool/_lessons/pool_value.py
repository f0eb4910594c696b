"""The pool's value: the sum over its customers of their state's lifetime value (seed 002).

Seed 002: "企业的价值是全部顾客价值的总和" — a firm's value is the sum of all its customers'
values. :func:`pool_value` classifies every customer of a table at each instant
(:func:`~custpool.classify_table`) and adds up the lifetime value of each one's state, as
measured by :func:`~custpool.tier_ltv`: the expected discounted revenue of a customer starting
in that state. Its trend over several instants says whether the asset grows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np

from custpool._analytics import TierLTV, frame, state_columns, to_money
from custpool._display import Amount, Cell, Count, Displayed, Report, Section, Text, Time
from custpool._engine import EventTable, classify_table, instant, readonly
from custpool._errors import ValidationError, wrong_argument
from custpool._tiers import Policy, State
from custpool._time import from_micros, to_micros

if TYPE_CHECKING:
    from datetime import tzinfo

    from numpy.typing import NDArray

    from custpool._frames import ColumnType
    from custpool._model import Money

__all__ = ["PoolValue", "PoolValuePoint", "pool_value"]

_STATES = tuple(State)


@dataclass(frozen=True, slots=True, eq=False)
class PoolValuePoint:
    """The pool's value at one instant, state by state.

    Attributes
    ----------
    as_of
        The instant (UTC).
    customers
        ``(7,)`` int64: customers in each state at ``as_of``, by :attr:`State.code
        <custpool.State.code>`.
    value_minor
        ``(7,)`` int64: each state's part of the value, ``customers[s] * ltv.value[s]``
        rounded half to even to a minor unit; 0 where the state's LTV is unknown.
    unknown
        Customers in a state whose LTV is unknown (NaN in the :class:`~custpool.TierLTV`):
        left out of the total, and counted here so that the gap shows.
    total
        The sum of ``value_minor`` as Money; None when the table has no currency.
    """

    as_of: datetime
    customers: NDArray[np.int64]
    value_minor: NDArray[np.int64]
    unknown: int
    total: Money | None

    @property
    def total_minor(self) -> int:
        """The value in minor units: exactly ``sum(value_minor)``."""
        return int(sum(int(v) for v in self.value_minor.tolist()))

    def value_of(self, state: State | str) -> int:
        """Return ``state``'s part of the value, in minor units."""
        return int(self.value_minor[State(state).code])

    def __repr__(self) -> str:
        """Return a short summary."""
        total = "n/a" if self.total is None else str(self.total)
        return f"PoolValuePoint({self.as_of.isoformat()}: {total}, {self.unknown} unknown)"


@dataclass(frozen=True, slots=True, eq=False)
class PoolValue(Displayed):
    """The pool's value (sum of customer LTVs) at each instant, and its change.

    Build one with :func:`pool_value`.

    Attributes
    ----------
    points
        One :class:`PoolValuePoint` per instant, in increasing time.
    currency
        The table's currency (None when it holds no amounts).
    known
        ``(7,)`` bool: whether each state's LTV is known (not NaN in the ``TierLTV``).
    """

    points: tuple[PoolValuePoint, ...]
    currency: str | None
    known: NDArray[np.bool_]

    @property
    def deltas(self) -> tuple[int, ...]:
        """The change of the value from each instant to the next, minor units."""
        return tuple(b.total_minor - a.total_minor for a, b in pairwise(self.points))

    @property
    def growing(self) -> bool | None:
        """Whether the value rose at every step; None with a single instant."""
        if len(self.points) < 2:
            return None
        return all(d > 0 for d in self.deltas)

    def __repr__(self) -> str:
        """Return a short summary."""
        last = self.points[-1]
        total = "n/a" if last.total is None else str(last.total)
        return f"PoolValue({len(self.points)} instants, latest {total})"

    def _report(self) -> Report:
        """Return one row per instant: the value, its change, and the customers per state."""
        rows: list[tuple[Cell, ...]] = []
        previous: int | None = None
        for point in self.points:
            change: Cell = Text("")
            if previous is not None and self.currency is not None:
                delta = to_money(point.total_minor - previous, self.currency, "delta")
                change = Amount(delta, signed=True)
            parts = [(s, int(point.customers[s.code])) for s in _STATES if point.customers[s.code]]
            who = Text(
                ", ".join(f"{s.value} {n:,}" for s, n in parts),
                "，".join(f"{s.label_zh} {n:,}" for s, n in parts),
            )
            rows.append((Time(point.as_of), Amount(point.total), change, who, Count(point.unknown)))
            previous = point.total_minor
        columns = (
            Text("as of", "截至"),
            Text("value", "价值"),
            Text("change", "变化"),
            Text("customers by state", "各状态客户"),
            Text("of unknown value", "价值未知"),
        )
        title = Text(
            "pool value: the sum of its customers' values", "企业的价值 = 全部顾客价值的总和"
        )
        return Report(title, (Section(tuple(rows), columns=columns),))

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return one row per instant and state (seven per instant).

        Columns: ``as_of`` (time in ``tz``); ``state``, ``state_zh``; ``customers`` (int);
        ``value_minor`` (int, minor units; null where the state's LTV is unknown);
        ``currency``.

        Examples
        --------
        >>> from datetime import timedelta
        >>> from custpool import (EXAMPLE_START, EventTable, Policy, example_pool, pool_value,
        ...                       tier_ltv, tier_snapshots)
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> ends = [EXAMPLE_START + timedelta(weeks=w) for w in range(5)]
        >>> ltv = tier_ltv(table, tier_snapshots(table, Policy(), ends), discount_rate=0.01,
        ...                horizon=1)
        >>> frame = pool_value(table, ends[-1], ltv=ltv).to_frame("polars")
        >>> frame.height, frame["customers"].sum()  # 7 states; every customer of the table
        (7, 6)
        """
        points = self.points
        n = len(_STATES)
        known = self.known.tolist()
        values = [int(p.value_minor[s]) if known[s] else None for p in points for s in range(n)]
        state, state_zh = state_columns(np.tile(np.arange(n), len(points)))
        columns: dict[str, object] = {
            "as_of": np.repeat([to_micros(p.as_of) for p in points], n),
            "state": state,
            "state_zh": state_zh,
            "customers": np.concatenate([p.customers for p in points]),
            "value_minor": values,
            "currency": [self.currency] * (n * len(points)),
        }
        dtypes: dict[str, ColumnType] = {"value_minor": "int", "currency": "str"}
        return frame(columns, backend, tz, ("as_of",), dtypes)


def _instants(as_of: object) -> list[datetime]:
    if isinstance(as_of, datetime):
        return [from_micros(instant("as_of", as_of))]
    if isinstance(as_of, str | bytes) or not isinstance(as_of, Iterable):
        raise wrong_argument("as_of", as_of, "must be an aware datetime or a sequence of them")
    found = {instant(f"as_of[{position}]", at) for position, at in enumerate(as_of)}
    if not found:
        raise ValidationError("as_of", 0, "needs at least one instant")
    return [from_micros(at) for at in sorted(found)]


def pool_value(
    table: EventTable,
    as_of: datetime | Sequence[datetime],
    *,
    ltv: TierLTV,
    policy: Policy | None = None,
) -> PoolValue:
    """Sum the lifetime value of every customer's state, at one instant or several.

    For each instant ``t``: classify every customer of ``table`` at ``t`` with ``policy``
    (:func:`~custpool.classify_table`), count the customers in each state ``s``, and add
    ``value[s] = customers[s] * ltv.value[s]`` (minor units, rounded half to even per state);
    the total is the sum of those parts, so the parts add up to it exactly. Every customer of
    the table counts — prospects and churned customers too, at their state's value (often 0).
    A state whose LTV is unknown (NaN: no one was in a state it may reach) adds nothing; its
    customers are counted in ``unknown``.

    Parameters
    ----------
    table
        The events.
    as_of
        An aware datetime, or several (the trend); sorted, duplicates dropped.
    ltv
        The lifetime value by state, from :func:`~custpool.tier_ltv` on this table (or on
        another of the same currency: a value measured on last year's data, say).
    policy
        The tier policy to classify with; the one the ``ltv``'s snapshots used. Default
        ``Policy()``.

    Returns
    -------
    PoolValue

    Raises
    ------
    custpool.WrongTypeError
        If an argument has the wrong type.
    custpool.ValidationError
        If an instant is naive, none is given, or ``ltv`` is in another currency.

    Examples
    --------
    A one-period LTV (``horizon=1``) is each state's mean revenue per customer-week; the pool
    holds one customer of each state that earns, so the value is the sum of those means.

    >>> from datetime import timedelta
    >>> from custpool import EXAMPLE_START, EventTable, Policy, example_pool, tier_snapshots
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> ends = [EXAMPLE_START + timedelta(weeks=w) for w in range(5)]
    >>> ltv = tier_ltv(table, tier_snapshots(table, Policy(), ends), discount_rate=0.01,
    ...                horizon=1)
    >>> value = pool_value(table, [ends[1], ends[4]], ltv=ltv)
    >>> [p.total_minor == sum(p.value_minor.tolist()) for p in value.points]
    [True, True]
    >>> value.points[-1].customers.sum()  # every customer of the table, whatever their state
    np.int64(6)
    """
    if not isinstance(table, EventTable):
        raise wrong_argument("table", table, "must be a custpool.EventTable")
    if not isinstance(ltv, TierLTV):
        raise wrong_argument("ltv", ltv, "must be a custpool.TierLTV (from tier_ltv)")
    if policy is None:
        policy = Policy()
    elif not isinstance(policy, Policy):
        raise wrong_argument("policy", policy, "must be a custpool.Policy")
    if ltv.currency is not None and table.currency is not None and ltv.currency != table.currency:
        rule = f"must be in the table's currency ({table.currency})"
        raise ValidationError("ltv.currency", ltv.currency, rule)
    per_state = ltv.value.tolist()
    known = [not math.isnan(v) for v in per_state]
    currency = table.currency
    points = []
    for at in _instants(as_of):
        states = classify_table(table, policy, at).state
        customers = np.bincount(states, minlength=len(_STATES)).astype(np.int64)
        rows = zip(customers.tolist(), per_state, known, strict=True)
        parts = [round(c * v) if ok else 0 for c, v, ok in rows]
        unknown = sum(int(c) for c, ok in zip(customers, known, strict=True) if not ok)
        total_minor = sum(parts)
        total = None if currency is None else to_money(total_minor, currency, "pool_value")
        points.append(
            PoolValuePoint(
                as_of=at,
                customers=readonly(customers),
                value_minor=readonly(np.array(parts, dtype=np.int64)),
                unknown=unknown,
                total=total,
            )
        )
    return PoolValue(tuple(points), currency, readonly(np.array(known, dtype=np.bool_)))
