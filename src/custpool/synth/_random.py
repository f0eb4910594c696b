"""Random draws for :mod:`custpool.synth` that give the same bits on every platform.

numpy's ``Generator`` produces the same integers and the same ``random()`` doubles everywhere
(they are bit manipulations of the PCG64 stream), and the basic IEEE-754 operations (``+ - * /``,
``sqrt``, ``floor``, comparisons) are correctly rounded on every platform. Logarithms and
exponentials are not: numpy's ``log`` and ``exp`` call the platform's maths library or a SIMD
variant of it, which may differ in the last bit, and a last-bit difference in a time of 3e13
microseconds moves a floored timestamp often enough to break "same seed, same output".

So every continuous draw here is built from uniform doubles and basic operations only: ``ln`` and
``exp`` interpolate tables computed once with :mod:`decimal` (correctly rounded, platform
independent) and scale by powers of two with ``frexp``/``ldexp`` (exact). The tables are accurate
to about 1e-8 relative, far below anything a synthetic distribution needs. Sums that feed later
steps use :func:`math.fsum` (exact, so independent of summation order).
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext
from functools import cache
from typing import TYPE_CHECKING, Final

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

__all__ = [
    "LN2",
    "bernoulli",
    "categorical",
    "exp",
    "exponential",
    "fsum",
    "ln",
    "log_logistic",
    "open_uniform",
    "stochastic_round",
]

_BITS: Final = 12
_STEPS: Final = 1 << _BITS  # table intervals
LN2: Final = float(Decimal(2).ln())
"""ln 2, correctly rounded."""
_EXP_STEP: Final = LN2 / _STEPS
_ULP: Final = 2.0**-52


@cache
def _ln_table() -> NDArray[np.float64]:
    """``ln(m)`` at ``m = 0.5 + i / 8192``, ``i = 0 … 4096`` (so ``m`` spans [0.5, 1])."""
    with localcontext() as ctx:
        ctx.prec = 25
        values = [float(Decimal(0.5 + i / (2 * _STEPS)).ln()) for i in range(_STEPS + 1)]
    return np.array(values, dtype=np.float64)


@cache
def _exp_table() -> NDArray[np.float64]:
    """``exp(x)`` at ``x = i * ln2 / 4096``, ``i = 0 … 4096`` (so ``x`` spans [0, ln 2])."""
    with localcontext() as ctx:
        ctx.prec = 25
        values = [float(Decimal(i * _EXP_STEP).exp()) for i in range(_STEPS + 1)]
    return np.array(values, dtype=np.float64)


def _interpolate(table: NDArray[np.float64], position: NDArray[np.float64]) -> NDArray[np.float64]:
    """Piecewise-linear table lookup at fractional ``position`` (clamped to the table)."""
    index = np.clip(np.floor(position), 0, _STEPS - 1).astype(np.int64)
    frac = position - index
    low = table[index]
    return low + frac * (table[index + 1] - low)


def ln(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Natural logarithm of positive ``x``, the same on every platform.

    ``x = m * 2**e`` with ``m`` in [0.5, 1) (exact, by ``frexp``); ``ln x = ln m + e ln 2``.

    Examples
    --------
    >>> import numpy as np
    >>> [round(float(v), 6) for v in ln(np.array([1.0, 0.5, 10.0, 1e-300]))]
    [0.0, -0.693147, 2.302585, -690.775528]
    """
    mantissa, exponent = np.frexp(x)
    position = (mantissa - 0.5) * (2 * _STEPS)  # exact: Sterbenz subtraction, power-of-two scale
    return _interpolate(_ln_table(), position) + exponent * LN2


def exp(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Exponential of ``x``, the same on every platform.

    ``x = k ln 2 + r`` with ``r`` in [0, ln 2); ``exp x = 2**k exp r`` (``ldexp`` is exact).

    Examples
    --------
    >>> import numpy as np
    >>> [round(float(v), 6) for v in exp(np.array([0.0, 1.0, -2.5, 0.5]))]
    [1.0, 2.718282, 0.082085, 1.648721]
    """
    k = np.floor(x / LN2)
    r = x - k * LN2
    return np.ldexp(_interpolate(_exp_table(), r / _EXP_STEP), k.astype(np.int64))


def open_uniform(rng: np.random.Generator, n: int) -> NDArray[np.float64]:
    """``n`` doubles uniform on the open interval (0, 1), symmetric: ``1 - u`` is exact too."""
    steps = rng.integers(0, 1 << 52, n).astype(np.float64)
    return (steps + 0.5) * _ULP


def exponential(rng: np.random.Generator, n: int, mean: float) -> NDArray[np.float64]:
    """``n`` exponential draws with the given mean (inverse CDF ``-mean * ln u``)."""
    return -ln(open_uniform(rng, n)) * mean


def log_logistic(rng: np.random.Generator, n: int, spread: float) -> NDArray[np.float64]:
    """``n`` log-logistic draws with median 1: ``(u / (1 - u)) ** spread``.

    The log-logistic (Fisk) distribution is the lognormal's heavy-tailed cousin with a closed-form
    quantile: its tail falls like ``x ** (-1 / spread)``, so the mean is finite for ``spread < 1``
    (it is ``spread * pi / sin(spread * pi)``). ``spread = 0`` gives all ones.
    """
    u = open_uniform(rng, n)
    return exp(spread * (ln(u) - ln(1.0 - u)))


def bernoulli(rng: np.random.Generator, n: int, p: float) -> NDArray[np.bool_]:
    """``n`` coin flips, true with probability ``p`` (``p = 0`` never, ``p = 1`` always)."""
    return rng.random(n) < p


def categorical(rng: np.random.Generator, n: int, weights: Sequence[float]) -> NDArray[np.int64]:
    """``n`` indices into ``weights``, drawn with probability proportional to the weights.

    The cumulative weights are summed in Python in a fixed order, so the thresholds are the same
    everywhere; an index with weight 0 is never drawn.
    """
    total = math.fsum(weights)
    cumulative = np.array([math.fsum(weights[: i + 1]) / total for i in range(len(weights))])
    return np.minimum(
        np.searchsorted(cumulative, rng.random(n), side="right"), len(weights) - 1
    ).astype(np.int64)


def stochastic_round(x: NDArray[np.float64], rng: np.random.Generator) -> NDArray[np.int64]:
    """Round non-negative ``x`` down or up at random so that the mean is ``x`` exactly."""
    return np.floor(x + rng.random(x.shape[0])).astype(np.int64)


def fsum(x: NDArray[np.float64]) -> float:
    """Return the exact sum of ``x`` (independent of order and platform)."""
    return math.fsum(x.tolist())
