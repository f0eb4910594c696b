"""Lifetime value by tier: revenue per customer-period by state, and discounted LTV per state.

Seed 004 claims that lifetime value rises with each level of the relationship ("100 → 1,000 →
10,000"). This module measures it on data. Revenue is net (purchases minus refunds), in minor
units of the table's currency, earned in a period ``(t_k, t_{k+1}]`` and credited to the state
the customer was in at ``t_k`` (:func:`revenue_by_state`). With the flows between the states
(:class:`~custpool.TierFlows`) as a Markov chain, the expected discounted revenue of a customer
starting in each state is ``v = r + δ P v`` (:func:`lifetime_value`, :func:`tier_ltv`).
:func:`coded_ltv` does the same for any coding of the customers into states (seed 004's own
relationship levels, :func:`~custpool.level_ltv`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Final

import numpy as np
from pydantic import ValidationError as PydanticValidationError

from custpool._analytics.flows import (
    N_STATES,
    STATES,
    TierFlows,
    TierSnapshots,
    check_period_ends,
    check_transition_matrix,
    tier_flows,
)
from custpool._analytics.frames import frame, nullable, rounded_minor, state_columns
from custpool._analytics.sums import exact_sum, to_money
from custpool._display import (
    Amount,
    Cell,
    Count,
    Displayed,
    Number,
    Phrase,
    Report,
    Section,
    Span,
    Text,
)
from custpool._engine import KIND_CODE, EventTable, readonly
from custpool._errors import ValidationError, WrongTypeError, bad_argument, wrong_argument
from custpool._model import InteractionKind, Money
from custpool._tiers import NURTURE_FIRST, Paradigm, State
from custpool._time import NO_TIME

if TYPE_CHECKING:
    from datetime import datetime, tzinfo

    from numpy.typing import ArrayLike, NDArray

    from custpool._frames import ColumnType

__all__ = [
    "CodedLTV",
    "StateRevenue",
    "TierLTV",
    "chain_value",
    "coded_ltv",
    "lifetime_value",
    "revenue_by_state",
    "tier_ltv",
]

_PURCHASE: Final = KIND_CODE[InteractionKind.PURCHASE]
_REFUND: Final = KIND_CODE[InteractionKind.REFUND]
_REPR_ROOM: Final = 180
"""The most characters of values a ``CodedLTV`` repr shows (it stays one short line)."""
_EXACT_LIMIT: Final = 2**62
"""Sums of amounts below this can never overflow int64, whatever the signs."""


def _state(state: State | str) -> State:
    if not isinstance(state, str):  # a State is a str
        raise wrong_argument("state", state, "must be a State or its name, e.g. 'converted'")
    try:
        return State(state)
    except ValueError:
        known = ", ".join(s.value for s in State)
        raise ValidationError("state", state, f"must be one of {known}") from None


def _or_none(value: float) -> float | None:
    return None if math.isnan(value) else value


def _money(units: float, currency: str | None, what: str) -> Money | None:
    if math.isnan(units):
        return None
    if currency is None:
        raise ValidationError("currency", None, "the table holds no amounts, so no currency")
    return to_money(units, currency, what)  # rounded half to even


def _money_cell(units: float, currency: str | None) -> Cell:
    """Return a figure in minor units as a cell: money, n/a when NaN, never an error.

    Without a currency (a table with no amounts) or beyond what Money holds, the figure is
    shown in minor units.
    """
    if math.isnan(units):
        return Amount(None)
    if currency is not None:
        try:
            return Amount(to_money(units, currency, "shown"))
        except ValidationError:
            pass
    return Phrase(Number(units, 0), Text("minor units", "最小货币单位"))


def _periods(n: int) -> str:
    return f"{n:,} period" if n == 1 else f"{n:,} periods"


def _state_cell(state: State) -> Text:
    return Text(state.value, state.label_zh)


def _ltv_title(discount_rate: float, horizon: int | None) -> Text:
    """Return the title of a lifetime-value report, with its discount rate and horizon."""
    rate = f"{discount_rate:g}"
    if horizon is None:
        return Text(
            f"lifetime value by starting state, discount {rate} a period, no horizon",
            f"按起始状态的终身价值（每期折现率 {rate}，不限期）",
        )
    return Text(
        f"lifetime value by starting state, discount {rate} a period, horizon {horizon:,} periods",
        f"按起始状态的终身价值（每期折现率 {rate}，期限 {horizon:,} 期）",
    )


# -- revenue ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class StateRevenue(Displayed):
    """Net revenue per period, credited to each customer's state at the start of the period.

    Build one with :func:`revenue_by_state`. Period ``k`` is ``(period_ends[k],
    period_ends[k + 1]]``; amounts are minor units of ``currency`` (fen for CNY).

    * ``totals[k, s]`` = Σ purchases − Σ refunds in period ``k`` of the customers in state
      ``s`` at ``period_ends[k]`` (exact int64).
    * ``customer_periods[k, s]`` = number of customers in state ``s`` at ``period_ends[k]``.
    * ``mean[s] = Σ_k totals[k, s] / Σ_k customer_periods[k, s]``: mean net revenue per
      customer per period, a float in minor units (a mean of integers needs no more); NaN where
      no one was in ``s`` at any period start. ``period_mean`` is the same per period.

    Examples
    --------
    >>> from datetime import timedelta
    >>> from custpool import EXAMPLE_START, EventTable, Policy, example_pool, tier_snapshots
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> ends = [EXAMPLE_START + timedelta(weeks=w) for w in range(5)]
    >>> revenue = revenue_by_state(table, tier_snapshots(table, Policy(), ends))
    >>> revenue.totals[:, State.CONNECTED.code].tolist()  # c-001's 38.00 in week 1, in fen
    [3800, 0, 0, 0]
    >>> revenue.customer_periods[:, State.CONNECTED.code].tolist()
    [1, 3, 3, 2]
    >>> round(revenue.mean_of(State.CONNECTED), 2)  # 3800 fen / 9 customer-weeks
    422.22
    >>> str(revenue.mean_money(State.CONNECTED)), revenue.mean_of(State.DORMANT)
    ('4.22 CNY', None)
    """

    period_ends: tuple[datetime, ...]
    """The period ends, in UTC."""
    currency: str | None
    """The table's currency; None when it holds no amounts (then every total is 0)."""
    totals: NDArray[np.int64]
    """``(n_periods - 1, 7)``: net revenue per period and starting state, minor units."""
    customer_periods: NDArray[np.int64]
    """``(n_periods - 1, 7)``: customers per starting state in each period."""
    mean: NDArray[np.float64] = field(init=False)
    """``(7,)``: pooled mean per customer-period, minor units; NaN where no one started."""
    period_mean: NDArray[np.float64] = field(init=False)
    """``(n_periods - 1, 7)``: mean per customer in each period; NaN where no one started."""

    def __post_init__(self) -> None:
        """Derive the means."""
        object.__setattr__(
            self,
            "mean",
            readonly(_mean(self.totals.sum(axis=0), self.customer_periods.sum(axis=0))),
        )
        object.__setattr__(self, "period_mean", readonly(_mean(self.totals, self.customer_periods)))

    def mean_of(self, state: State | str) -> float | None:
        """Return the mean net revenue per customer-period of ``state`` (minor units), or None."""
        return _or_none(float(self.mean[_state(state).code]))

    def mean_money(self, state: State | str) -> Money | None:
        """Return :meth:`mean_of` as Money, rounded half-even to a whole minor unit, or None.

        Raises
        ------
        custpool.ValidationError
            If the table has no currency, or the mean is more than Money holds.
        """
        code = _state(state).code
        return _money(float(self.mean[code]), self.currency, f"mean[{STATES[code].value}]")

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return the revenue by state long: one row per period (and pooled) and state.

        For each period ``(period_ends[k], period_ends[k + 1]]``, then pooled over them all, one
        row per state (all seven). Columns:

        - ``window_start``, ``window_end``: the period (times in ``tz``); null on pooled rows;
        - ``pooled``: bool, true on the pooled rows;
        - ``state``, ``state_zh``: the state at the period's start (value, Chinese label);
        - ``customer_periods``: int, customers in the state at the period's start (pooled: the
          sum over the periods, :attr:`customer_periods`);
        - ``revenue_minor``: int, the exact net revenue credited to the state (:attr:`totals`),
          in minor units of ``currency``;
        - ``mean_revenue_minor``: int, ``revenue_minor / customer_periods`` rounded half to even
          to a minor unit (as :meth:`mean_money`); null where no one was in the state;
        - ``currency``: the table's currency (null when it holds no amounts).

        Parameters
        ----------
        backend
            ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (with the ``custpool[frames]`` extra).
        tz
            The zone the times are shown in: an IANA name such as ``"Asia/Shanghai"``, or
            ``datetime.UTC`` (the default). It changes how the times read, never the instants.

        Returns
        -------
        pandas.DataFrame, polars.DataFrame or pyarrow.Table

        Raises
        ------
        custpool.ValidationError
            If ``backend`` or ``tz`` is not one of those allowed.
        custpool.MissingDependencyError
            If narwhals or the backend is not installed.

        Examples
        --------
        >>> from datetime import timedelta
        >>> from custpool import EXAMPLE_START, EventTable, Policy, example_pool
        >>> from custpool import revenue_by_state, tier_snapshots
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> ends = [EXAMPLE_START + timedelta(weeks=w) for w in range(5)]
        >>> frame = revenue_by_state(table, tier_snapshots(table, Policy(), ends)).to_frame(
        ...     "polars")
        >>> frame.filter(frame["pooled"] & (frame["state"] == "connected")).select(
        ...     "customer_periods", "revenue_minor", "mean_revenue_minor", "currency").rows()
        [(9, 3800, 422, 'CNY')]
        """
        _, ends = check_period_ends(self.period_ends)
        n_periods = self.totals.shape[0]
        blocks = n_periods + 1
        totals = np.concatenate([self.totals, self.totals.sum(axis=0, keepdims=True)])
        counts = np.concatenate(
            [self.customer_periods, self.customer_periods.sum(axis=0, keepdims=True)]
        )
        means = np.concatenate([self.period_mean, self.mean[None, :]]).reshape(-1)
        missing = np.isnan(means)
        rounded = np.rint(np.where(missing, 0.0, means)).astype(np.int64)  # half to even
        state, state_zh = state_columns(np.tile(np.arange(N_STATES), blocks))
        columns = {
            "window_start": np.concatenate(
                [np.repeat(ends[:-1], N_STATES), np.full(N_STATES, NO_TIME)]
            ),
            "window_end": np.concatenate(
                [np.repeat(ends[1:], N_STATES), np.full(N_STATES, NO_TIME)]
            ),
            "pooled": np.arange(blocks * N_STATES) >= n_periods * N_STATES,
            "state": state,
            "state_zh": state_zh,
            "customer_periods": counts.reshape(-1),
            "revenue_minor": totals.reshape(-1),
            "mean_revenue_minor": nullable(rounded, missing),
            "currency": [self.currency] * (blocks * N_STATES),
        }
        return frame(columns, backend, tz, ("window_start", "window_end"), {"currency": "str"})

    def total(self, state: State | str) -> int:
        """Return the net revenue credited to ``state`` over all periods (minor units, exact)."""
        return int(self.totals[:, _state(state).code].sum())

    def __repr__(self) -> str:
        """Return a one-line summary: the periods and the net revenue, never the arrays."""
        first, last = self.period_ends[0].isoformat(), self.period_ends[-1].isoformat()
        total = _money_cell(int(self.totals.sum()), self.currency).show("en", UTC)
        periods = len(self.period_ends) - 1
        return f"StateRevenue({_periods(periods)} from {first} to {last}, net revenue {total})"

    def _report(self) -> Report:
        """Return one row per state: customer-periods, net revenue and the mean per period."""
        title = Phrase(
            Text("net revenue by starting state over", "按期初状态的净收入，共"),
            Count(len(self.period_ends) - 1),
            Text("period" if len(self.period_ends) == 2 else "periods", "期"),
            Span(self.period_ends[0], self.period_ends[-1]),
        )
        counts = self.customer_periods.sum(axis=0).tolist()
        totals = self.totals.sum(axis=0).tolist()
        rows: tuple[tuple[Cell, ...], ...] = tuple(
            (
                _state_cell(s),
                Count(counts[s.code]),
                _money_cell(totals[s.code], self.currency),
                _money_cell(float(self.mean[s.code]), self.currency),
            )
            for s in STATES
        )
        head = (
            Text("state", "状态"),
            Text("customer-periods", "客户·期数"),
            Text("net revenue", "净收入"),
            Text("per customer-period", "每客户每期"),
        )
        return Report(title, (Section(rows, columns=head),))


def _mean(totals: NDArray[np.int64], counts: NDArray[np.int64]) -> NDArray[np.float64]:
    out = np.full(totals.shape, np.nan)
    np.divide(totals, counts, out=out, where=counts > 0)
    return out


def _check_pair(table: object, snapshots: object) -> tuple[EventTable, TierSnapshots]:
    if not isinstance(table, EventTable):
        raise wrong_argument("table", table, "must be a custpool.EventTable")
    if not isinstance(snapshots, TierSnapshots):
        raise wrong_argument("snapshots", snapshots, "must be TierSnapshots (tier_snapshots)")
    if snapshots.n_customers != table.n_customers:
        rule = f"must be of the table's {table.n_customers} customers (use tier_snapshots)"
        raise ValidationError("snapshots", f"{snapshots.n_customers} customers", rule)
    ids = snapshots.customer_ids
    if ids is not None and ids is not table.customer_ids and ids != table.customer_ids:
        rule = "were taken of another table: the customer ids differ"
        raise ValidationError("snapshots", "TierSnapshots", rule)
    return table, snapshots


def revenue_by_state(table: EventTable, snapshots: TierSnapshots) -> StateRevenue:
    """Sum each period's net revenue by the state customers were in when the period began.

    For period ``k`` = ``(t_k, t_{k+1}]`` and state ``s``::

        totals[k, s] = Σ amount(PURCHASE) − Σ amount(REFUND)
                       over rows with t_k < time <= t_{k+1} and states[k, customer] == s

    A refund counts in the period it happens, against the state the customer is in then
    (possibly another period's than the purchase). Revenue before ``t_0`` or after the last
    end is not counted. Totals are exact int64 sums of minor units.

    Parameters
    ----------
    table
        The events (amounts in minor units of ``table.currency``).
    snapshots
        States of the same table's customers at the period ends (:func:`tier_snapshots`).

    Returns
    -------
    StateRevenue

    Raises
    ------
    custpool.ValidationError
        If the snapshots are of another table, or the amounts are too large to sum exactly in
        64-bit integers (a total of 2**62 minor units).
    custpool.WrongTypeError
        If ``table`` or ``snapshots`` has the wrong type.

    Examples
    --------
    >>> from datetime import timedelta
    >>> from custpool import EXAMPLE_START, EventTable, Policy, example_pool, tier_snapshots
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> ends = [EXAMPLE_START + timedelta(weeks=w) for w in range(5)]
    >>> revenue = revenue_by_state(table, tier_snapshots(table, Policy(), ends))
    >>> revenue.totals.sum(axis=1).tolist()  # 38.00; 128.00; 45.00 bought and refunded; 0
    [3800, 12800, 0, 0]
    """
    table, snapshots = _check_pair(table, snapshots)
    return StateRevenue(
        period_ends=snapshots.period_ends,
        currency=table.currency,
        totals=readonly(_revenue_totals(table, snapshots.ends_us, snapshots.states, N_STATES)),
        customer_periods=readonly(snapshots.counts[:-1].copy()),
    )


def _revenue_totals(
    table: EventTable, ends: NDArray[np.int64], codes: NDArray[np.integer[Any]], n_codes: int
) -> NDArray[np.int64]:
    """Return ``totals[k, s]``: net revenue in period ``k`` of the customers coded ``s`` then.

    The state coding is any: ``codes[k, c]`` in ``0 .. n_codes - 1`` for each period end ``k``
    and customer ``c`` (tier states, relationship levels). Exact int64 sums of minor units.
    """
    n_periods = ends.shape[0] - 1
    rows = np.flatnonzero(
        ((table.kind == _PURCHASE) | (table.kind == _REFUND))
        & (table.time > ends[0])
        & (table.time <= ends[-1])
    )
    amount = table.amount[rows]
    if exact_sum(np.abs(amount)) >= _EXACT_LIMIT:
        rule = "amounts in the periods sum to 2**62 minor units or more: too large to sum exactly"
        raise ValidationError("amount", "table.amount", rule)
    signed = np.where(table.kind[rows] == _PURCHASE, amount, -amount)
    # ends[i - 1] < t <= ends[i]  ⇔  searchsorted(ends, t, "left") == i: period i - 1.
    period = np.searchsorted(ends, table.time[rows], side="left") - 1
    state = codes[period, table.customer[rows]].astype(np.int64)
    totals = np.zeros(n_periods * n_codes, dtype=np.int64)
    np.add.at(totals, period * n_codes + state, signed)
    return totals.reshape(n_periods, n_codes)


# -- lifetime value ---------------------------------------------------------------------------


def _check_rate(discount_rate: object, *, finite_horizon: bool) -> float:
    if isinstance(discount_rate, bool) or not isinstance(
        discount_rate, int | float | Decimal | Fraction | np.integer | np.floating
    ):
        rule = "must be a real number: the discount rate per period, e.g. 0.01"
        raise wrong_argument("discount_rate", discount_rate, rule)
    rate = float(discount_rate)
    if not math.isfinite(rate):
        raise ValidationError("discount_rate", discount_rate, "must be finite")
    if finite_horizon:
        if rate < 0:
            raise ValidationError("discount_rate", discount_rate, "must be >= 0")
    elif rate <= 0:
        rule = (
            "must be > 0 without a horizon: undiscounted revenue summed forever has no finite "
            "value (I − P is singular); give a positive rate or a horizon"
        )
        raise ValidationError("discount_rate", discount_rate, rule)
    return rate


def _check_horizon(horizon: object) -> int | None:
    if horizon is None:
        return None
    if isinstance(horizon, bool) or not isinstance(horizon, int | np.integer):
        raise wrong_argument("horizon", horizon, "must be a whole number of periods, or None")
    if horizon < 1:
        raise ValidationError("horizon", horizon, "must be >= 1 period (None: no end)")
    return int(horizon)


def _powers_sum(m: NDArray[np.float64], h: int) -> NDArray[np.float64]:
    """Return ``Σ_{k<h} m^k`` by binary doubling: O(log h) matrix products."""
    power = np.eye(m.shape[0])  # m^j for the prefix j of h's bits read so far
    total = np.zeros_like(m)  # Σ_{k<j} m^k
    for bit in f"{h:b}":
        total = total + power @ total  # j → 2j
        power = power @ power
        if bit == "1":  # j → j + 1
            total = total + power
            power = power @ m
    return total


def lifetime_value(
    matrix: ArrayLike,
    revenue: ArrayLike,
    discount_rate: float,
    *,
    horizon: int | None = None,
) -> NDArray[np.float64]:
    """Return the expected discounted revenue of a customer starting in each state.

    With ``P`` the one-period transition matrix, ``r`` the revenue per customer of one period
    by state, and ``δ = 1 / (1 + discount_rate)``::

        v_s = E[ Σ_{k=0}^{H-1} δ^k · r(S_k) | S_0 = s ]

    so the period starting now counts in full and revenue ``k`` periods ahead is worth ``δ^k``.
    Without a horizon (``H = ∞``), ``v`` solves ``v = r + δ P v``, i.e.
    ``v = (I − δ P)^{-1} r`` (``numpy.linalg.solve``; ``I − δ P`` is invertible for ``δ < 1``
    since every eigenvalue of ``δ P`` has modulus ≤ δ). A state the chain never leaves with
    ``r = 0`` (CHURNED, when no one came back) is absorbing: ``v`` is then the value earned
    before absorption; where the data show win-backs, they count. With a horizon,
    ``v = Σ_{k<H} (δ P)^k r`` (binary doubling); ``H = 1`` gives ``r`` itself.

    Parameters
    ----------
    matrix
        ``n × n`` row-stochastic transition matrix.
    revenue
        Length-``n`` revenue per customer per period of each state (finite).
    discount_rate
        Per period; ``> 0`` without a horizon, ``>= 0`` with one.
    horizon
        Number of periods to sum, ``>= 1``; None for no end.

    Returns
    -------
    numpy.ndarray
        ``v`` (float64, length ``n``, read-only), in the unit of ``revenue``.

    Raises
    ------
    custpool.ValidationError
        If the matrix is not row-stochastic, ``revenue`` does not fit it or is not finite, or
        the rate or horizon is out of range.
    custpool.WrongTypeError
        If the rate or horizon is not a number.

    Examples
    --------
    Two states, active (earns 100 a period) and churned (absorbing, earns 0); an active
    customer stays with 0.8. With no discount ``v = 100 / (1 − 0.8) = 500``; at 25 % a period,
    ``δ = 0.8`` and ``v = 100 / (1 − 0.8 · 0.8) = 277.78``.

    >>> p = [[0.8, 0.2], [0.0, 1.0]]
    >>> [round(float(x), 2) for x in lifetime_value(p, [100, 0], 0.25)]
    [277.78, 0.0]
    >>> lifetime_value(p, [100, 0], 0.25, horizon=1).tolist()
    [100.0, 0.0]
    >>> lifetime_value(p, [100, 0], 0, horizon=2).tolist()  # 100 + 0.8 · 100
    [180.0, 0.0]
    """
    p = check_transition_matrix(matrix)
    h = _check_horizon(horizon)
    rate = _check_rate(discount_rate, finite_horizon=h is not None)
    r = np.asarray(revenue)
    if r.dtype.kind == "b" or r.dtype.kind not in "iuf":
        raise WrongTypeError("revenue", f"array of dtype {r.dtype}", "must hold real numbers")
    if r.shape != (p.shape[0],):
        rule = f"must be a vector with one entry per state of the chain ({p.shape[0]})"
        raise ValidationError("revenue", f"array of shape {r.shape}", rule)
    r = r.astype(np.float64)
    if not np.isfinite(r).all():
        raise ValidationError("revenue", r.tolist(), "must be finite (no NaN or infinity)")
    delta = 1.0 / (1.0 + rate)
    if h is None:
        v = np.linalg.solve(np.eye(p.shape[0]) - delta * p, r)
    else:
        v = _powers_sum(delta * p, h) @ r
    out: NDArray[np.float64] = v
    return readonly(out)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class TierLTV(Displayed):
    """Expected discounted lifetime value of a customer by starting state.

    Build one with :func:`tier_ltv`. ``value[s]`` (minor units, float) is
    :func:`lifetime_value` of :attr:`TierFlows.transition_matrix <custpool.TierFlows>` and
    ``revenue.mean``, indexed by :attr:`State.code <custpool.State.code>`. It is NaN for a
    state whose chain may reach, within the horizon, a state no one was in at any period start
    (its revenue is unknown), including that state itself.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> import numpy as np
    >>> from custpool import EventTable, TierSnapshots
    >>> ends = [datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)]
    >>> table = EventTable.from_arrays(  # customer "a" buys for 50.00 (kind 8: purchase)
    ...     [0], [np.datetime64("2026-01-15")], [8], amount=[5000], item=[0],
    ...     customer_ids=["a", "b"], currency="CNY")
    >>> snaps = TierSnapshots(ends, [[3, 6], [3, 6]])  # a converted, b churned: both stay
    >>> ltv = tier_ltv(table, snaps, discount_rate=0.25)  # δ = 1 / 1.25 = 0.8
    >>> round(ltv.value_of("converted"), 6)  # 5000 / (1 − 0.8): 50.00 every month, for ever
    25000.0
    >>> str(ltv.money("converted")), ltv.value_of("churned"), ltv.value_of("advocate")
    ('250.00 CNY', 0.0, None)
    """

    period_ends: tuple[datetime, ...]
    """The period ends, in UTC."""
    currency: str | None
    """The table's currency (None when it holds no amounts)."""
    discount_rate: float
    """Per period."""
    horizon: int | None
    """Periods summed; None for no end."""
    revenue: StateRevenue
    """The revenue per customer-period, by state (``r``)."""
    flows: TierFlows
    """The flows whose ``transition_matrix`` is ``P``."""
    value: NDArray[np.float64]
    """``(7,)``: expected discounted value by starting state, minor units; NaN if unknown."""

    def value_of(self, state: State | str) -> float | None:
        """Return the LTV of a customer starting in ``state`` (minor units), or None."""
        return _or_none(float(self.value[_state(state).code]))

    def money(self, state: State | str) -> Money | None:
        """Return :meth:`value_of` as Money, rounded half-even to a whole minor unit, or None.

        Raises
        ------
        custpool.ValidationError
            If the table has no currency, or the value is more than Money holds.
        """
        code = _state(state).code
        return _money(float(self.value[code]), self.currency, f"value[{STATES[code].value}]")

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return the lifetime value of each starting state: one row per state, all seven.

        Columns: ``state``, ``state_zh`` (value, Chinese label); ``ltv_minor`` (int: the
        expected discounted value :attr:`value`, rounded half to even to a minor unit, as
        :meth:`money`; null where unknown); ``mean_revenue_minor`` (int: the revenue per
        customer-period it is built from, ``revenue.mean`` rounded the same way; null where no
        one was in the state); ``currency`` (the table's; null when it holds no amounts).

        Parameters
        ----------
        backend
            ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (with the ``custpool[frames]`` extra).
        tz
            The zone the times are shown in: an IANA name such as ``"Asia/Shanghai"``, or
            ``datetime.UTC`` (the default). It changes how the times read, never the instants.

        Returns
        -------
        pandas.DataFrame, polars.DataFrame or pyarrow.Table

        Raises
        ------
        custpool.ValidationError
            If ``backend`` or ``tz`` is not one of those allowed, or a value is more than an
            int64 column of minor units holds.
        custpool.MissingDependencyError
            If narwhals or the backend is not installed.

        Examples
        --------
        >>> from datetime import UTC, datetime
        >>> import numpy as np
        >>> from custpool import EventTable, TierSnapshots, tier_ltv
        >>> ends = [datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)]
        >>> table = EventTable.from_arrays(  # customer "a" buys for 50.00 (kind 8: purchase)
        ...     [0], [np.datetime64("2026-01-15")], [8], amount=[5000], item=[0],
        ...     customer_ids=["a", "b"], currency="CNY")
        >>> ltv = tier_ltv(table, TierSnapshots(ends, [[3, 6], [3, 6]]), discount_rate=0.25)
        >>> frame = ltv.to_frame("pyarrow")
        >>> frame.column_names
        ['state', 'state_zh', 'ltv_minor', 'mean_revenue_minor', 'currency']
        >>> [(r["state_zh"], r["ltv_minor"], r["mean_revenue_minor"]) for r in frame.to_pylist()
        ...  if r["state"] in ("converted", "advocate", "churned")]  # 5000 / (1 − 0.8)
        [('深', 25000, 5000), ('铁', None, None), ('流失', 0, 0)]
        """
        state, state_zh = state_columns(np.arange(N_STATES))
        ltv = [
            rounded_minor(v, f"value[{s}]") for v, s in zip(self.value.tolist(), state, strict=True)
        ]
        mean = [
            rounded_minor(v, f"revenue.mean[{s}]")
            for v, s in zip(self.revenue.mean.tolist(), state, strict=True)
        ]
        columns = {
            "state": state,
            "state_zh": state_zh,
            "ltv_minor": ltv,
            "mean_revenue_minor": mean,
            "currency": [self.currency] * N_STATES,
        }
        dtypes: dict[str, ColumnType] = {
            "ltv_minor": "int",
            "mean_revenue_minor": "int",
            "currency": "str",
        }
        return frame(columns, backend, tz, (), dtypes)

    def by_state(self) -> dict[State, float | None]:
        """Return the LTV of every state (minor units; None where unknown)."""
        return {s: _or_none(float(v)) for s, v in zip(STATES, self.value.tolist(), strict=True)}

    def rises_with_tier(self, paradigm: Paradigm | str = NURTURE_FIRST) -> bool | None:
        """Return whether LTV strictly rises along the paradigm's stages (seed 004's claim).

        None when the LTV of a stage is unknown.
        """
        if isinstance(paradigm, Paradigm):
            ladder = paradigm
        else:
            try:
                ladder = Paradigm.model_validate(paradigm)
            except PydanticValidationError:
                rule = "must be a Paradigm or a built-in paradigm's name (nurture_first, …)"
                raise bad_argument("paradigm", paradigm, rule) from None
        values = [self.value_of(stage.state) for stage in ladder.stages]
        if any(v is None for v in values):
            return None
        known = [v for v in values if v is not None]
        return all(a < b for a, b in pairwise(known))

    def __repr__(self) -> str:
        """Return a one-line summary: the terms and the periods, never the arrays."""
        first, last = self.period_ends[0].isoformat(), self.period_ends[-1].isoformat()
        periods = len(self.period_ends) - 1
        return (
            f"TierLTV(discount_rate={self.discount_rate:g}, horizon={self.horizon}, "
            f"{_periods(periods)} from {first} to {last})"
        )

    def _report(self) -> Report:
        """Return one row per state: the LTV, the revenue per customer-period it is built from."""
        title = _ltv_title(self.discount_rate, self.horizon)
        counts = self.revenue.customer_periods.sum(axis=0).tolist()
        rows: tuple[tuple[Cell, ...], ...] = tuple(
            (
                _state_cell(s),
                _money_cell(float(self.value[s.code]), self.currency),
                _money_cell(float(self.revenue.mean[s.code]), self.currency),
                Count(counts[s.code]),
            )
            for s in STATES
        )
        return Report(
            title,
            (
                Section(
                    (
                        (
                            Text("periods measured", "测量区间"),
                            Span(self.period_ends[0], self.period_ends[-1]),
                        ),
                    )
                ),
                Section(rows, columns=_LTV_HEAD),
            ),
        )


_LTV_HEAD: Final = (
    Text("starting state", "起始状态"),
    Text("LTV", "终身价值"),
    Text("per customer-period", "每客户每期收入"),
    Text("customer-periods", "客户·期数"),
)


def _reaches(
    matrix: NDArray[np.float64], targets: NDArray[np.bool_], steps: int
) -> NDArray[np.bool_]:
    """Return the states from which ``targets`` can be reached in at most ``steps`` moves."""
    reach = targets.copy()
    for _ in range(min(steps, matrix.shape[0] - 1)):
        reach = reach | (matrix[:, reach] > 0).any(axis=1)
    return reach


def chain_value(
    p: NDArray[np.float64], mean: NDArray[np.float64], rate: float, h: int | None
) -> NDArray[np.float64]:
    """Return :func:`lifetime_value` of ``p`` and ``mean``, NaN where a state's value is unknown.

    Unknown: the state may reach, within the horizon, a state whose ``mean`` is NaN (no one was
    in it at any period start), that state included. Any state coding (tiers, levels).
    """
    unknown = np.isnan(mean)
    # Revenue k periods ahead is weighed by P^k; with a horizon H only k < H matter.
    tainted = _reaches(p, unknown, p.shape[0] if h is None else h - 1)
    value = np.array(lifetime_value(p, np.where(unknown, 0.0, mean), rate, horizon=h))
    value[tainted] = np.nan
    return readonly(value)


def tier_ltv(
    table: EventTable,
    snapshots: TierSnapshots,
    *,
    discount_rate: float,
    horizon: int | None = None,
) -> TierLTV:
    """Return the expected discounted lifetime value of a customer by starting state.

    ``r = revenue_by_state(table, snapshots).mean`` (net revenue per customer-period, minor
    units) and ``P = tier_flows(snapshots).transition_matrix``; then
    ``v = lifetime_value(P, r, discount_rate, horizon=horizon)``, i.e. ``v = r + δ P v`` with
    ``δ = 1 / (1 + discount_rate)`` per period. Whether CHURNED is absorbing follows the data:
    if churned customers came back, ``P`` says how often. A state no one was in at a period
    start has no measured revenue: its value, and that of every state that may reach it within
    the horizon, is NaN (the others do not depend on it).

    Parameters
    ----------
    table
        The events.
    snapshots
        States of the table's customers at the period ends (:func:`tier_snapshots`).
    discount_rate
        Per period (a month, for month ends); ``> 0`` without a horizon, ``>= 0`` with one.
    horizon
        Periods to sum, ``>= 1``; None for no end.

    Returns
    -------
    TierLTV

    Raises
    ------
    custpool.ValidationError
        If the snapshots are of another table, or the rate or horizon is out of range.
    custpool.WrongTypeError
        If an argument has the wrong type.

    Examples
    --------
    >>> from datetime import timedelta
    >>> from custpool import EXAMPLE_START, EventTable, Policy, example_pool, tier_snapshots
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> ends = [EXAMPLE_START + timedelta(weeks=w) for w in range(5)]
    >>> ltv = tier_ltv(table, tier_snapshots(table, Policy(), ends), discount_rate=0.01,
    ...                horizon=1)
    >>> ltv.value_of("connected") == ltv.revenue.mean_of("connected")  # one period: v = r
    True
    """
    table, snapshots = _check_pair(table, snapshots)
    h = _check_horizon(horizon)
    rate = _check_rate(discount_rate, finite_horizon=h is not None)
    revenue = revenue_by_state(table, snapshots)
    flows = tier_flows(snapshots)
    value = chain_value(flows.transition_matrix, revenue.mean, rate, h)
    return TierLTV(
        period_ends=snapshots.period_ends,
        currency=table.currency,
        discount_rate=rate,
        horizon=h,
        revenue=revenue,
        flows=flows,
        value=value,
    )


# -- any state coding -------------------------------------------------------------------------


def _transition_counts(codes: NDArray[np.integer[Any]], n_codes: int) -> NDArray[np.int64]:
    """Return ``counts[k, i, j]``: customers coded ``i`` at end ``k`` and ``j`` at end ``k + 1``."""
    n_periods = codes.shape[0] - 1
    counts = np.empty((n_periods, n_codes, n_codes), dtype=np.int64)
    wide = codes.astype(np.int64)
    for k in range(n_periods):
        pair = wide[k] * n_codes + wide[k + 1]
        counts[k] = np.bincount(pair, minlength=n_codes * n_codes).reshape(n_codes, n_codes)
    return counts


def _stay_matrix(pooled: NDArray[np.int64]) -> NDArray[np.float64]:
    """Row probabilities of ``pooled``; a row no one started in is "stay" (as TierFlows does)."""
    rows = pooled.sum(axis=1, keepdims=True)
    probabilities = np.full(pooled.shape, np.nan)
    np.divide(pooled, rows, out=probabilities, where=rows > 0)
    empty = rows[:, 0] == 0
    matrix: NDArray[np.float64] = np.where(empty[:, None], np.eye(pooled.shape[0]), probabilities)
    return matrix


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class CodedLTV(Displayed):
    """Lifetime value by starting state, for any coding of the customers into states.

    Build one with :func:`coded_ltv`. It is :func:`tier_ltv`'s computation with the states
    named by ``labels`` instead of the seven tier states: ``r = mean``, ``P =
    transition_matrix``, ``value = lifetime_value(P, r, discount_rate, horizon=horizon)``, NaN
    where a state may reach a state no one was in at a period start. Indexes are the codes.

    Attributes
    ----------
    labels
        The name of each code.
    period_ends, currency, discount_rate, horizon
        As in :class:`TierLTV`.
    totals, customer_periods
        ``(n_periods - 1, n_codes)``: net revenue (minor units, exact) and customers per period
        and starting code, as in :class:`StateRevenue`.
    mean
        ``(n_codes,)``: pooled net revenue per customer-period; NaN where no one started.
    moves
        ``(n_codes, n_codes)``: the customers' moves from each period end to the next, pooled.
    transition_matrix
        Row probabilities of ``moves``, a row no one started in being "stay".
    value
        ``(n_codes,)``: expected discounted value by starting code, minor units; NaN if unknown.
    """

    labels: tuple[str, ...]
    period_ends: tuple[datetime, ...]
    currency: str | None
    discount_rate: float
    horizon: int | None
    totals: NDArray[np.int64]
    customer_periods: NDArray[np.int64]
    mean: NDArray[np.float64]
    moves: NDArray[np.int64]
    transition_matrix: NDArray[np.float64]
    value: NDArray[np.float64]

    def _code(self, label: object) -> int:
        if not isinstance(label, str):
            raise wrong_argument("label", label, f"must be one of {', '.join(self.labels)}")
        if label not in self.labels:
            raise ValidationError("label", label, f"must be one of {', '.join(self.labels)}")
        return self.labels.index(label)

    def value_of(self, label: str) -> float | None:
        """Return the LTV of a customer starting in ``label`` (minor units), or None if unknown."""
        return _or_none(float(self.value[self._code(label)]))

    def money(self, label: str) -> Money | None:
        """Return :meth:`value_of` as Money, rounded half-even to a whole minor unit, or None.

        Raises
        ------
        custpool.ValidationError
            If the label is unknown, the table has no currency, or the value is more than Money
            holds.
        """
        code = self._code(label)
        return _money(float(self.value[code]), self.currency, f"value[{label}]")

    def rises(self, labels: Sequence[str]) -> bool | None:
        """Return whether LTV strictly rises along ``labels`` (None if one of them is unknown).

        Examples
        --------
        >>> from datetime import UTC, datetime
        >>> import numpy as np
        >>> from custpool import EventTable, coded_ltv
        >>> ends = [datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)]
        >>> table = EventTable.from_arrays(  # customer "a" buys for 50.00 (kind 8: purchase)
        ...     [0], [np.datetime64("2026-01-15")], [8], amount=[5000], item=[0],
        ...     customer_ids=["a", "b"], currency="CNY")
        >>> ltv = coded_ltv(table, ends, [[1, 0], [1, 0]], ("idle", "buyer"),
        ...                 discount_rate=0, horizon=3)  # 3 periods of 50.00, staying a buyer
        >>> ltv.value_of("buyer"), ltv.value_of("idle"), ltv.rises(["idle", "buyer"])
        (15000.0, 0.0, True)
        """
        values = [self.value_of(label) for label in labels]
        known = [v for v in values if v is not None]
        if len(known) < len(values):
            return None
        return all(a < b for a, b in pairwise(known))

    def __repr__(self) -> str:
        """Return a short summary: each code's value (the first few, when there are many)."""
        shown = ", ".join(
            f"{label}={'?' if v is None else round(v)}"
            for label, v in zip(self.labels, (self.value_of(x) for x in self.labels), strict=True)
        )
        if len(shown) > _REPR_ROOM:
            shown = shown[: _REPR_ROOM - 2].rsplit(", ", 1)[0] + ", …"
        return f"CodedLTV({shown})"

    def __str__(self) -> str:
        """Return a readable report: one line per code."""
        horizon = "none" if self.horizon is None else str(self.horizon)
        periods = len(self.period_ends) - 1
        head = f"lifetime value by starting state, {periods} periods measured"
        lines = [f"{head} (discount {self.discount_rate:g} a period, horizon {horizon})"]
        for code, label in enumerate(self.labels):
            shown = [self._shown(float(x[code]), label) for x in (self.value, self.mean)]
            count = int(self.customer_periods[:, code].sum())
            lines.append(
                f"  {label}: LTV {shown[0]}; {shown[1]} per customer-period "
                f"({count} customer-periods)"
            )
        return "\n".join(lines)

    def _report(self) -> Report:
        """Return one row per code: the LTV, the revenue per customer-period, the periods."""
        title = _ltv_title(self.discount_rate, self.horizon)
        counts = self.customer_periods.sum(axis=0).tolist()
        rows: tuple[tuple[Cell, ...], ...] = tuple(
            (
                Text(label),
                _money_cell(float(self.value[code]), self.currency),
                _money_cell(float(self.mean[code]), self.currency),
                Count(counts[code]),
            )
            for code, label in enumerate(self.labels)
        )
        span = Span(self.period_ends[0], self.period_ends[-1])
        return Report(
            title,
            (
                Section(((Text("periods measured", "测量区间"), span),)),
                Section(rows, columns=_LTV_HEAD),
            ),
        )

    def _shown(self, units: float, label: str) -> str:
        if math.isnan(units):
            return "unknown"
        if self.currency is None:
            return f"{units:.0f} minor units"
        return str(_money(units, self.currency, label))

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return one row per code, in code order.

        Columns: ``state`` (the label), ``customer_periods``, ``ltv_minor`` and
        ``mean_revenue_minor`` (rounded half to even; null where unknown), ``currency``.

        Parameters
        ----------
        backend
            ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (with the ``custpool[frames]`` extra).
        tz
            Accepted for symmetry with the other results (the frame holds no times).

        Returns
        -------
        pandas.DataFrame, polars.DataFrame or pyarrow.Table
        """
        columns = {
            "state": list(self.labels),
            "customer_periods": self.customer_periods.sum(axis=0),
            "ltv_minor": [
                rounded_minor(v, f"value[{x}]")
                for v, x in zip(self.value.tolist(), self.labels, strict=True)
            ],
            "mean_revenue_minor": [
                rounded_minor(v, f"mean[{x}]")
                for v, x in zip(self.mean.tolist(), self.labels, strict=True)
            ],
            "currency": [self.currency] * len(self.labels),
        }
        dtypes: dict[str, ColumnType] = {
            "state": "str",
            "ltv_minor": "int",
            "mean_revenue_minor": "int",
            "currency": "str",
        }
        return frame(columns, backend, tz, (), dtypes)


def coded_ltv(  # noqa: PLR0913 - the coding and keyword-only options, each documented
    table: EventTable,
    period_ends: Sequence[datetime],
    codes: ArrayLike,
    labels: Sequence[str],
    *,
    discount_rate: float,
    horizon: int | None = None,
) -> CodedLTV:
    """Return the lifetime value by starting state for any coding of the customers.

    :func:`tier_ltv` generalised: ``codes[k, c]`` is customer ``c``'s state at
    ``period_ends[k]``, an integer from 0 to ``len(labels) - 1`` (tier states, relationship
    levels, RFM cells …). Revenue of period ``(t_k, t_{k+1}]`` is credited to the state at
    ``t_k`` (as :func:`revenue_by_state`); the moves between consecutive ends make the chain
    ``P`` (a state no one started in is "stay", as :class:`~custpool.TierFlows` does); and
    ``v = r + δ P v`` (:func:`lifetime_value`). With the tier states' codes and labels it gives
    exactly :func:`tier_ltv`'s values.

    Parameters
    ----------
    table
        The events.
    period_ends
        At least two aware datetimes, strictly increasing.
    codes
        ``(len(period_ends), table.n_customers)`` integer codes.
    labels
        The name of each code (distinct strings).
    discount_rate, horizon
        As in :func:`tier_ltv`.

    Returns
    -------
    CodedLTV

    Raises
    ------
    custpool.ValidationError
        If the ends, the codes' shape or values, the labels, the rate or the horizon are not
        valid.
    custpool.WrongTypeError
        If an argument has the wrong type.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> import numpy as np
    >>> from custpool import EventTable
    >>> ends = [datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)]
    >>> table = EventTable.from_arrays(  # customer "a" buys for 50.00 (kind 8: purchase)
    ...     [0], [np.datetime64("2026-01-15")], [8], amount=[5000], item=[0],
    ...     customer_ids=["a", "b"], currency="CNY")
    >>> ltv = coded_ltv(table, ends, [[1, 0], [1, 0]], ("idle", "buyer"), discount_rate=0.25)
    >>> round(ltv.value_of("buyer"), 6)  # 5000 / (1 − 0.8), as tier_ltv's example
    25000.0
    """
    if not isinstance(table, EventTable):
        raise wrong_argument("table", table, "must be a custpool.EventTable")
    ends, ends_us = check_period_ends(period_ends)
    names = _check_labels(labels)
    array = _check_codes(codes, len(ends), table.n_customers, len(names))
    h = _check_horizon(horizon)
    rate = _check_rate(discount_rate, finite_horizon=h is not None)
    n = len(names)
    totals = _revenue_totals(table, ends_us, array, n)
    customer_periods = np.stack([np.bincount(row, minlength=n) for row in array[:-1]])
    mean = _mean(totals.sum(axis=0), customer_periods.sum(axis=0))
    moves = _transition_counts(array, n).sum(axis=0)
    matrix = _stay_matrix(moves)
    return CodedLTV(
        labels=names,
        period_ends=ends,
        currency=table.currency,
        discount_rate=rate,
        horizon=h,
        totals=readonly(totals),
        customer_periods=readonly(customer_periods.astype(np.int64)),
        mean=readonly(mean),
        moves=readonly(moves),
        transition_matrix=readonly(matrix),
        value=chain_value(matrix, mean, rate, h),
    )


def _check_labels(labels: object) -> tuple[str, ...]:
    if isinstance(labels, str) or not isinstance(labels, Sequence):
        raise wrong_argument("labels", labels, "must be a sequence of state names")
    names = tuple(labels)
    if not names or not all(isinstance(x, str) and x for x in names):
        raise bad_argument("labels", names, "must be one or more non-empty strings")
    if len(set(names)) != len(names):
        raise bad_argument("labels", names, "must be distinct")
    return names


def _check_codes(codes: object, n_ends: int, n_customers: int, n_codes: int) -> NDArray[np.int64]:
    array = np.asarray(codes)
    if array.dtype.kind not in "iu":
        raise WrongTypeError("codes", f"array of dtype {array.dtype}", "must hold integer codes")
    if array.shape != (n_ends, n_customers):
        rule = f"must be (n_period_ends, n_customers) = ({n_ends}, {n_customers})"
        raise ValidationError("codes", f"array of shape {array.shape}", rule)
    if array.size and (array.min() < 0 or array.max() >= n_codes):
        k, c = (int(v) for v in np.argwhere((array < 0) | (array >= n_codes))[0])
        rule = f"must be a code from 0 to {n_codes - 1} (one per label)"
        raise ValidationError(f"codes[{k}, {c}]", array[k, c].item(), rule)
    out: NDArray[np.int64] = array.astype(np.int64)
    return out
