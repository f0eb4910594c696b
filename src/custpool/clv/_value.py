"""Customer lifetime value: BG/NBD purchases × Gamma-Gamma spend, discounted month by month."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np

from custpool._display import Count, Displayed, Number, Phrase, Report, Section, Text, resolve
from custpool._engine import readonly
from custpool._errors import ValidationError, bad_argument, wrong_argument
from custpool._frames import build_frame
from custpool.clv._bgnbd import BgNbd, rfm_arrays
from custpool.clv._gamma import GammaGamma
from custpool.clv._states import STATES, states_of

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from custpool._analytics import RfmSummary
    from custpool._display import Cell
    from custpool._tiers import State

__all__ = ["PERIODS_PER_MONTH", "Clv", "ClvByState", "Freq", "clv"]

Freq = Literal["H", "D", "W", "M"]
PERIODS_PER_MONTH: Final[dict[str, float]] = {"H": 30 * 24, "D": 30, "W": 4.345, "M": 1.0}
"""How many of the summary's time units make a month: ``lifetimes``' table."""
_UNITS: Final = {timedelta(hours=1): "H", timedelta(days=1): "D", timedelta(days=7): "W"}


@dataclass(frozen=True, slots=True, eq=False)
class ClvByState(Displayed):
    """Lifetime value summed by rule-based state (:func:`~custpool.classify_table`).

    Attributes
    ----------
    states
        The states with at least one customer, in the engine's order.
    customers
        Customers in each state.
    value
        Their summed lifetime value.
    currency
        The summary's currency (None when it holds no amounts).
    """

    states: tuple[State, ...]
    customers: tuple[int, ...]
    value: tuple[float, ...]
    currency: str | None = None

    def __repr__(self) -> str:
        """Return the total on one line."""
        return f"ClvByState({len(self.states)} states, total={sum(self.value):.2f})"

    def _report(self) -> Report:
        title = Text("Lifetime value by state", "各状态客户终身价值")
        rows: tuple[tuple[Cell, ...], ...] = tuple(
            (Text(s.value, s.label_zh), Count(c), Number(v), Number(v / c))
            for s, c, v in zip(self.states, self.customers, self.value, strict=True)
        )
        unit = _unit(self.currency)
        head = (
            Text("state", "状态"),
            Text("customers", "客户"),
            Text(f"CLV{unit}", f"终身价值{unit}"),
            Text("per customer", "人均"),
        )
        return Report(Phrase(title), (Section(rows, columns=head),))

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return one row per state: ``state``, ``customers``, ``clv``, ``currency``."""
        columns = {
            "state": np.array([s.value for s in self.states], dtype=np.str_),
            "customers": np.array(self.customers, dtype=np.int64),
            "clv": np.array(self.value, dtype=np.float64),
            "currency": np.full(len(self.states), self.currency, dtype=object),
        }
        return build_frame(columns, backend=backend, tz=tz)


@dataclass(frozen=True, slots=True, eq=False)
class Clv(Displayed):
    """Each customer's discounted expected value over ``horizon`` months.

    Attributes
    ----------
    customer_ids
        The summary's customers, in its row order.
    value
        Their lifetime value, in the summary's currency (major units).
    horizon
        Months forecast.
    discount_rate
        The monthly discount rate.
    freq
        The summary's time unit (``"D"``, ``"W"`` …).
    currency
        The summary's currency (None when it holds no amounts).
    """

    customer_ids: tuple[str, ...]
    value: NDArray[np.float64]
    horizon: int
    discount_rate: float
    freq: str
    currency: str | None = None

    def __len__(self) -> int:
        """Return the number of customers."""
        return len(self.customer_ids)

    @property
    def total(self) -> float:
        """The summed value of every customer."""
        return float(self.value.sum())

    def __repr__(self) -> str:
        """Return a one-line summary."""
        return (
            f"Clv({len(self)} customers, {self.horizon} months at {self.discount_rate:g}/month, "
            f"total={self.total:.2f})"
        )

    def _report(self) -> Report:
        title = Phrase(
            Text("Lifetime value of", "客户终身价值："),
            Count(len(self)),
            Text(f"customers over {self.horizon} months", f"位客户，{self.horizon} 个月"),
        )
        unit = _unit(self.currency)
        figures = (
            (Text(f"total{unit}", f"合计{unit}"), Number(self.total)),
            (Text("mean", "平均"), Number(self.total / len(self) if len(self) else None)),
            (Text("monthly discount rate", "月折现率"), Number(self.discount_rate, 4)),
        )
        limit = resolve()[2]
        shown = len(self) if limit is None else min(limit, len(self))
        rows: tuple[tuple[Cell, ...], ...] = tuple(
            (Text(c), Number(v))
            for c, v in zip(self.customer_ids[:shown], self.value[:shown].tolist(), strict=True)
        )
        head = (Text("customer", "客户"), Text(f"CLV{unit}", f"终身价值{unit}"))
        table = Section(rows, columns=head, left_out=len(self) - shown)
        return Report(title, (Section(figures), table))

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return one row per customer: ``customer_id``, ``clv``, ``currency``."""
        columns = {
            "customer_id": np.array(self.customer_ids, dtype=np.str_),
            "clv": self.value,
            "currency": np.full(len(self), self.currency, dtype=object),
        }
        return build_frame(columns, backend=backend, tz=tz)

    def by_state(self, tiers: object) -> ClvByState:
        """Sum the value by each customer's state in ``tiers`` (a TierTable of the same table).

        Raises
        ------
        custpool.ValidationError
            If a customer is not in ``tiers``.
        """
        codes = states_of(tiers, self.customer_ids)
        counts = np.bincount(codes, minlength=len(STATES))
        sums = np.bincount(codes, weights=self.value, minlength=len(STATES))
        present = np.flatnonzero(counts)
        return ClvByState(
            states=tuple(STATES[i] for i in present.tolist()),
            customers=tuple(int(counts[i]) for i in present.tolist()),
            value=tuple(float(sums[i]) for i in present.tolist()),
            currency=self.currency,
        )


def _unit(currency: str | None) -> str:
    return f" ({currency})" if currency else ""


def _check_horizon_and_rate(horizon: object, discount_rate: object) -> None:
    if isinstance(horizon, bool) or not isinstance(horizon, int | np.integer):
        raise wrong_argument("horizon", horizon, "must be a whole number of months, 1 or more")
    if horizon < 1:
        raise bad_argument("horizon", horizon, "must be a whole number of months, 1 or more")
    if isinstance(discount_rate, bool) or not isinstance(discount_rate, int | float):
        raise wrong_argument("discount_rate", discount_rate, "must be a number, e.g. 0.01")
    if not (math.isfinite(discount_rate) and 0 <= discount_rate < 1):
        raise bad_argument("discount_rate", discount_rate, "must be from 0 up to (not) 1")


def _freq(freq: object, summary: RfmSummary) -> str:
    if freq is None:
        unit = summary.period * summary.freq_multiplier
        found = _UNITS.get(unit)
        if found is None:
            rule = (
                f"must be given: the summary's unit ({unit}) is not an hour, a day or a week; "
                "pass 'H', 'D', 'W' or 'M'"
            )
            raise ValidationError("freq", None, rule)
        return found
    if freq not in PERIODS_PER_MONTH:
        raise bad_argument("freq", freq, "must be 'H', 'D', 'W' or 'M' (the unit of T)")
    return str(freq)


def clv(  # noqa: PLR0913 - lifetimes' arguments
    bgnbd: BgNbd,
    gamma_gamma: GammaGamma,
    summary: RfmSummary,
    horizon: int = 12,
    discount_rate: float = 0.01,
    *,
    freq: Freq | None = None,
) -> Clv:
    """Return each customer's lifetime value over ``horizon`` months, discounted monthly.

    ``lifetimes``' ``customer_lifetime_value`` definition, with ``f`` the summary's time units
    per month (:data:`PERIODS_PER_MONTH`: 4.345 weeks, 30 days):

    ``CLV = Σ_{k=1..horizon} E[M] · (E[Y(k·f)] − E[Y((k−1)·f)]) / (1 + d)^k``

    where ``E[Y(t)]`` is :meth:`BgNbd.expected_purchases` and ``E[M]``
    :meth:`GammaGamma.conditional_expected_average_profit`.

    Parameters
    ----------
    bgnbd, gamma_gamma
        The fitted models.
    summary
        The customers to value (the summary the models were fitted on, or another with the
        same units).
    horizon
        Months to forecast (a whole number, 1 or more).
    discount_rate
        The monthly discount rate ``d`` (0 ≤ d < 1); ``lifetimes``' default 0.01.
    freq
        The unit of the summary's ``recency`` and ``T``; by default from ``period ×
        freq_multiplier`` (an hour, a day or a week).

    Examples
    --------
    >>> from custpool.clv import BgNbd, GammaGamma
    >>> model = BgNbd(0.243, 4.414, 0.793, 2.426, (0.0,) * 4, 0.0, 1)
    >>> spend = GammaGamma(6.25, 3.74, 15.45, (0.0,) * 3, 0.0, 1)
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, rfm_summary
    >>> d = 86_400_000_000
    >>> table = EventTable.from_arrays(
    ...     customer=[0, 0, 0, 1], time=[0, 70 * d, 140 * d, 0], kind=[8] * 4,
    ...     amount=[2000, 2000, 3000, 1500], currency="USD", item=[0] * 4,
    ... )
    >>> summary = rfm_summary(table, datetime(1970, 6, 1, tzinfo=UTC), freq_multiplier=7)
    >>> value = clv(model, spend, summary, horizon=12, discount_rate=0.01)  # weeks: "W"
    >>> value.freq, value.value.round(2).tolist()
    ('W', [64.26, 12.98])
    """
    if not isinstance(bgnbd, BgNbd):
        raise wrong_argument("bgnbd", bgnbd, "must be a BgNbd from fit_bgnbd()")
    if not isinstance(gamma_gamma, GammaGamma):
        raise wrong_argument("gamma_gamma", gamma_gamma, "must be a GammaGamma")
    x, tx, big_t = rfm_arrays(summary)
    _check_horizon_and_rate(horizon, discount_rate)
    unit = _freq(freq, summary)
    factor = PERIODS_PER_MONTH[unit]
    spend = gamma_gamma.conditional_expected_average_profit(x, summary.monetary_value)
    # E[Y(t)] at every month end, one broadcast call: shape (months + 1, customers)
    steps = np.arange(horizon + 1, dtype=np.float64)[:, None] * factor
    cumulative = bgnbd.expected_purchases(steps, x[None, :], tx[None, :], big_t[None, :])
    cumulative[0] = 0.0
    per_month = np.diff(cumulative, axis=0)
    discount = (1 + discount_rate) ** -np.arange(1, horizon + 1, dtype=np.float64)
    value = spend * (discount @ per_month)
    return Clv(
        customer_ids=summary.customer_ids,
        value=readonly(value),
        horizon=horizon,
        discount_rate=float(discount_rate),
        freq=unit,
        currency=summary.currency,
    )
