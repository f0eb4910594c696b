"""The optimiser every model here shares: maximum likelihood on log parameters, Hessian errors.

A model hands over its mean log-likelihood and gradient as functions of the *log* parameters
(so every parameter stays positive without bounds). :func:`maximise` runs L-BFGS-B with the
analytic gradient; when that stops short, Nelder-Mead restarts from where it stopped and
L-BFGS-B polishes. :func:`standard_errors` differentiates the analytic gradient numerically
(central differences, step ``1e-5`` on each log parameter) to get the Hessian of the total
log-likelihood, inverts it, and maps the errors back to the parameters by the delta method
(``se(θ) = θ · se(log θ)``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np
from scipy.optimize import minimize  # type: ignore[import-untyped]

from custpool._errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Callable

    from numpy.typing import NDArray

__all__ = ["maximise", "standard_errors"]

_GTOL: Final = 1e-9
_STEP: Final = 1e-5
# |log θ| beyond this (θ outside 3e-7 … 3e6) is a fit running off to a boundary
_LIMIT: Final = 15.0


def maximise(
    model: str,
    objective: Callable[[NDArray[np.float64]], tuple[float, NDArray[np.float64]]],
    start: NDArray[np.float64],
    summary: object,
) -> NDArray[np.float64]:
    """Return the log parameters that maximise the mean log-likelihood.

    ``objective`` returns the mean log-likelihood and its gradient in the log parameters.

    Raises
    ------
    custpool.ValidationError
        Naming ``summary``, when no optimiser reaches a point where the gradient vanishes,
        or the parameters run off towards 0 or infinity (the data do not identify the model).
    """

    def negative(theta: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        value, grad = objective(theta)
        if not np.isfinite(value):
            return 1e300, np.zeros_like(theta)
        return -value, -grad

    options = {"gtol": _GTOL, "ftol": 1e-15, "maxiter": 2000}
    result = minimize(negative, start, jac=True, method="L-BFGS-B", options=options)
    theta = np.asarray(result.x, dtype=np.float64)
    if not _stationary(negative, theta) and np.all(np.abs(theta) <= _LIMIT):
        # L-BFGS-B stopped short (a flat or curved valley): restart with Nelder-Mead, then polish.
        simplex = minimize(
            lambda t: negative(t)[0],
            theta,
            method="Nelder-Mead",
            options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 20_000},
        )
        result = minimize(negative, simplex.x, jac=True, method="L-BFGS-B", options=options)
        theta = np.asarray(result.x, dtype=np.float64)
    if np.any(np.abs(theta) > _LIMIT):
        shown = ", ".join(f"{v:.3g}" for v in np.exp(theta))
        rule = (
            f"the {model} fit ran off to a boundary (parameters {shown}): the data do not "
            "identify the model; fit on more customers or a longer observation"
        )
        raise ValidationError("summary", summary, rule)
    if not _stationary(negative, theta):
        grad = float(np.max(np.abs(negative(theta)[1])))
        rule = (
            f"the {model} fit did not converge ({result.message}; largest gradient {grad:.2g}); "
            "check the summary's units (recency and T in the same periods as frequency)"
        )
        raise ValidationError("summary", summary, rule)
    return theta


def _stationary(
    negative: Callable[[NDArray[np.float64]], tuple[float, NDArray[np.float64]]],
    theta: NDArray[np.float64],
) -> bool:
    value, grad = negative(theta)
    return bool(value < 1e300 and np.all(np.abs(grad) < 1e-5))


def standard_errors(
    model: str,
    gradient: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    theta: NDArray[np.float64],
    n: int,
    summary: object,
) -> NDArray[np.float64]:
    """Return the standard errors of ``exp(theta)`` from the Hessian of the total log-likelihood.

    ``gradient`` is the mean log-likelihood's gradient in the log parameters; the Hessian of the
    total is ``n`` times its central-difference Jacobian (symmetrised).

    Raises
    ------
    custpool.ValidationError
        Naming ``summary``, when the Hessian is not negative definite: the maximum is flat in
        some direction, so the data do not identify the parameters.
    """
    k = theta.shape[0]
    hessian = np.empty((k, k))
    for i in range(k):
        step = np.zeros(k)
        step[i] = _STEP
        hessian[:, i] = (gradient(theta + step) - gradient(theta - step)) / (2 * _STEP)
    hessian = n * (hessian + hessian.T) / 2
    rule = (
        f"the {model} fit is not identified (the likelihood is flat at its maximum): fit on more "
        "customers or a longer observation"
    )
    if not np.all(np.isfinite(hessian)) or np.any(np.linalg.eigvalsh(-hessian) <= 0):
        raise ValidationError("summary", summary, rule)
    variance = np.diag(np.linalg.inv(-hessian))
    return np.asarray(np.exp(theta) * np.sqrt(variance), dtype=np.float64)
