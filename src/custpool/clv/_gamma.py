"""The Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Fader & Hardie 2013).

A repeat customer's transactions are Gamma(p, ν) with their own ν ~ Gamma(q, γ), so the mean
spend ``m`` of ``x`` transactions carries the evidence. :func:`fit_gamma_gamma` fits p, q, γ on
the repeat customers; :meth:`GammaGamma.conditional_expected_average_profit` shrinks each
customer's mean towards the population's. The model assumes spend and frequency independent:
:func:`frequency_monetary_correlation` is the documented check.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np
from scipy.special import digamma, gammaln  # type: ignore[import-untyped]

from custpool._analytics import RfmSummary
from custpool._display import Count, Displayed, Number, Phrase, Report, Section, Text
from custpool._errors import ValidationError, wrong_argument
from custpool._frames import build_frame
from custpool.clv._bgnbd import unique_rows
from custpool.clv._fit import maximise, standard_errors

if TYPE_CHECKING:
    from datetime import tzinfo

    from numpy.typing import ArrayLike, NDArray

__all__ = [
    "CORRELATION_WARNING",
    "FrequencyMonetaryWarning",
    "GammaGamma",
    "fit_gamma_gamma",
    "frequency_monetary_correlation",
    "spend_arrays",
]

_NAMES: Final = ("p", "q", "gamma")
CORRELATION_WARNING: Final = 0.3
"""|r| above which :func:`frequency_monetary_correlation` warns (a moderate correlation)."""


class FrequencyMonetaryWarning(UserWarning):
    """Frequency and monetary value are correlated: Gamma-Gamma's independence is doubtful."""


def spend_arrays(summary: object) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return ``frequency`` and ``monetary_value`` of the repeat customers (frequency > 0)."""
    if not isinstance(summary, RfmSummary):
        raise wrong_argument("summary", summary, "must be a custpool.RfmSummary (rfm_summary())")
    if summary.include_first_transaction:
        rule = "must count repeat purchases only: build it with include_first_transaction=False"
        raise ValidationError("summary.include_first_transaction", value=True, rule=rule)
    repeat = summary.frequency > 0
    return summary.frequency[repeat], summary.monetary_value[repeat]


def _loglik(
    params: NDArray[np.float64],
    x: NDArray[np.float64],
    m: NDArray[np.float64],
    weights: NDArray[np.float64],
) -> tuple[float, NDArray[np.float64]]:
    """Return the weighted mean log-likelihood and its gradient in ``ln p, ln q, ln γ``.

    ``ln f(m | x) = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m + px ln x
    − (px+q) ln(xm+γ)``.
    """
    p, q, g = params
    px = p * x
    log_xm = np.log(x * m + g)
    ll = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(g)
        + (px - 1) * np.log(m)
        + px * np.log(x)
        - (px + q) * log_xm
    )
    psi = digamma(px + q)
    g_p = x * (psi - digamma(px) + np.log(m) + np.log(x) - log_xm)
    g_q = psi - digamma(q) + np.log(g) - log_xm
    g_g = q / g - (px + q) / (x * m + g)
    total = weights.sum()
    # einsum, not BLAS: see custpool.clv._bgnbd (BLAS threads slow these passes on a busy host)
    grad = np.array([np.einsum("i,i->", weights, d) for d in (g_p, g_q, g_g)]) * params / total
    return float(np.einsum("i,i->", weights, ll) / total), grad


@dataclass(frozen=True, slots=True, eq=False)
class GammaGamma(Displayed):
    """A fitted Gamma-Gamma spend model: p, q, γ (``lifetimes`` calls γ ``v``).

    Attributes
    ----------
    p, q, gamma
        The maximum-likelihood parameters.
    se
        Their standard errors (from the Hessian, by the delta method).
    log_likelihood
        The total log-likelihood at the fit.
    n_customers
        How many repeat customers the fit saw.
    """

    p: float
    q: float
    gamma: float
    se: tuple[float, float, float]
    log_likelihood: float
    n_customers: int

    @property
    def params(self) -> dict[str, float]:
        """The parameters by name: ``p``, ``q``, ``gamma``."""
        return dict(zip(_NAMES, (self.p, self.q, self.gamma), strict=True))

    @property
    def mean_spend(self) -> float:
        """The population's mean spend per transaction, ``pγ/(q−1)`` (inf when q ≤ 1)."""
        return self.p * self.gamma / (self.q - 1) if self.q > 1 else math.inf

    def __repr__(self) -> str:
        """Return the parameters on one line."""
        return (
            f"GammaGamma(p={self.p:.4g}, q={self.q:.4g}, gamma={self.gamma:.4g}, "
            f"n={self.n_customers})"
        )

    def _report(self) -> Report:
        title = Phrase(
            Text("Gamma-Gamma fit on", "Gamma-Gamma 拟合："),
            Count(self.n_customers),
            Text("repeat customers", "位复购客户"),
        )
        rows = tuple(
            (Text(name), Number(value, 4), Number(se, 4))
            for name, value, se in zip(_NAMES, self.params.values(), self.se, strict=True)
        )
        head = (Text("parameter", "参数"), Text("estimate", "估计"), Text("std. error", "标准误"))
        figures = (
            (Text("log-likelihood", "对数似然"), Number(self.log_likelihood, 4)),
            (Text("mean spend", "平均客单"), Number(self.mean_spend, 4)),
        )
        return Report(title, (Section(rows, columns=head), Section(figures)))

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return one row per parameter: ``parameter``, ``estimate``, ``se``.

        Examples
        --------
        >>> GammaGamma(6.25, 3.74, 15.45, (0.0,) * 3, 0.0, 946).to_frame("polars").shape
        (3, 3)
        """
        columns = {
            "parameter": np.array(_NAMES, dtype=np.str_),
            "estimate": np.array([self.p, self.q, self.gamma]),
            "se": np.array(self.se),
        }
        return build_frame(columns, backend=backend, tz=tz)

    def conditional_expected_average_profit(
        self, frequency: ArrayLike, monetary_value: ArrayLike
    ) -> NDArray[np.float64]:
        """Return each customer's expected spend per transaction.

        ``E[M | x, m] = (1 − w)·pγ/(q−1) + w·m`` with ``w = px/(px+q−1)``: a weighted mean of
        the population's mean and the customer's own; the population's for ``x = 0``.

        Raises
        ------
        custpool.ValidationError
            If q ≤ 1 (the population mean spend is infinite).

        Examples
        --------
        >>> model = GammaGamma(6.25, 3.74, 15.45, (0.0,) * 3, 0.0, 946)
        >>> model.conditional_expected_average_profit([0, 2], [0.0, 22.35]).round(2).tolist()
        [35.24, 24.67]
        """
        if self.q <= 1:
            raise ValidationError("q", self.q, "must be above 1 for a finite expected spend")
        x = np.asarray(frequency, dtype=np.float64)
        m = np.asarray(monetary_value, dtype=np.float64)
        w = self.p * x / (self.p * x + self.q - 1)
        return np.asarray((1 - w) * self.mean_spend + w * m, dtype=np.float64)


def fit_gamma_gamma(summary: RfmSummary) -> GammaGamma:
    """Fit Gamma-Gamma to the repeat customers of ``summary`` (frequency > 0).

    Maximum likelihood on ``ln p, ln q, ln γ`` by L-BFGS-B with the analytic gradient, from
    all parameters 1 as ``lifetimes`` does; errors from the numerical Hessian. Call
    :func:`frequency_monetary_correlation` first: the model assumes spend independent of
    frequency.

    Raises
    ------
    custpool.WrongTypeError
        If ``summary`` is not an RfmSummary.
    custpool.ValidationError
        If fewer than 2 repeat customers, a repeat customer's mean spend is not positive (the
        model's spend is Gamma: drop free orders), or the fit does not converge.
    """
    x, m = spend_arrays(summary)
    n = x.shape[0]
    if n < 2:
        raise ValidationError("summary", summary, "needs 2 or more repeat customers to fit spend")
    if np.any(m <= 0):
        rule = "has repeat customers with mean spend 0: Gamma-Gamma needs positive spend"
        raise ValidationError("summary.monetary_value", float(m.min()), rule)
    (ux, um), weights = unique_rows(x, m)

    def objective(theta: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        return _loglik(np.exp(theta), ux, um, weights)

    theta = maximise("Gamma-Gamma", objective, np.zeros(3), summary)
    se = standard_errors("Gamma-Gamma", lambda th: objective(th)[1], theta, n, summary)
    p, q, g = (float(v) for v in np.exp(theta))
    return GammaGamma(
        p=p,
        q=q,
        gamma=g,
        se=(float(se[0]), float(se[1]), float(se[2])),
        log_likelihood=objective(theta)[0] * n,
        n_customers=n,
    )


def frequency_monetary_correlation(summary: RfmSummary, *, warn: bool = True) -> float:
    """Return Pearson's r of frequency and monetary value among repeat customers.

    Gamma-Gamma assumes the two independent; ``lifetimes``' documentation checks this
    correlation before fitting. When ``|r|`` is above :data:`CORRELATION_WARNING` (0.3) and
    ``warn`` is true, a :class:`FrequencyMonetaryWarning` says so; the value is returned either
    way. NaN when fewer than 2 repeat customers or a column is constant.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, rfm_summary
    >>> d = 86_400_000_000
    >>> table = EventTable.from_arrays(
    ...     customer=[0, 0, 0, 1, 1, 2, 2], time=[0, d, 2 * d, 0, d, 0, 3 * d], kind=[8] * 7,
    ...     amount=[100, 200, 400, 100, 300, 100, 500], currency="CNY", item=range(7),
    ... )
    >>> summary = rfm_summary(table, datetime(1970, 1, 10, tzinfo=UTC))
    >>> summary.frequency.tolist(), summary.monetary_value.tolist()  # (2 + 4) / 2, 3 / 1, 5 / 1
    ([2.0, 1.0, 1.0], [3.0, 3.0, 5.0])
    >>> round(frequency_monetary_correlation(summary, warn=False), 3)
    -0.5
    """
    x, m = spend_arrays(summary)
    if x.shape[0] < 2 or np.ptp(x) == 0 or np.ptp(m) == 0:
        return math.nan
    r = float(np.corrcoef(x, m)[0, 1])
    if warn and abs(r) > CORRELATION_WARNING:
        message = (
            f"frequency and monetary value correlate (r = {r:.3f}, |r| > {CORRELATION_WARNING}):"
            " Gamma-Gamma assumes them independent; its spend forecasts may be biased"
        )
        warnings.warn(message, FrequencyMonetaryWarning, stacklevel=2)
    return r
