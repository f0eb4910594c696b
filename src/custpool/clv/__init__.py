"""Probabilistic customer-base models on the RFM summary: BG/NBD, Gamma-Gamma and CLV.

Where custpool's states (DORMANT, CHURNED) are rules, these are the models ``lifetimes`` and
``pymc-marketing`` users know: the probability a customer is still alive, their expected
purchases, their expected spend and their discounted lifetime value, fitted by maximum
likelihood on an :class:`~custpool.RfmSummary`. It needs the ``clv`` extra (``pip install
"custpool[clv]"``, which brings scipy); ``import custpool`` never imports scipy. See
``docs/clv.md``.

- :func:`fit_bgnbd` → :class:`BgNbd`: r, α, a, b; ``p_alive``, ``expected_purchases``,
  ``expected_purchases_new``, ``probability_of_n``
- :func:`fit_gamma_gamma` → :class:`GammaGamma`: p, q, γ;
  ``conditional_expected_average_profit``; :func:`frequency_monetary_correlation` checks the
  model's independence assumption (:class:`FrequencyMonetaryWarning`)
- :func:`clv` → :class:`Clv`: discounted value per customer; ``by_state`` →
  :class:`ClvByState`
- :func:`p_alive_by_state` → :class:`AliveByState`: tiers meet probability
- :func:`calibration_holdout` → :class:`CalibrationHoldout`: a split to check a forecast

Notes
-----
A public package in the layer of ``custpool._health`` and ``custpool._lessons``: its parts may
import the rooms below (``_analytics``, ``_engine``, ``_tiers``, ``_model``, the base modules),
scipy and numpy, and each other; ``custpool.plot`` and the CLI may import it. Its parts: the
shared optimiser (``_fit``), BG/NBD (``_bgnbd``), Gamma-Gamma (``_gamma``), lifetime value
(``_value``), states of summary customers (``_states``), p_alive by state (``_alive``) and the
calibration/holdout split (``_holdout``).

Examples
--------
>>> from custpool.clv import BgNbd
>>> model = BgNbd(0.243, 4.414, 0.793, 2.426, (0.013, 0.244, 0.185, 0.705), -9582.4, 2357)
>>> model
BgNbd(r=0.243, alpha=4.414, a=0.793, b=2.426, n=2357)
>>> model.p_alive([0, 2], [0, 30.43], [38.86, 38.86]).round(3).tolist()
[1.0, 0.727]
"""

from __future__ import annotations

try:
    import scipy as _scipy  # type: ignore[import-untyped]  # noqa: F401 - names the extra
except ImportError as _error:  # pragma: no cover - tested in a subprocess without scipy
    from custpool._errors import MissingDependencyError as _Missing

    raise _Missing("scipy", "clv") from _error

from custpool._public import claim as _claim
from custpool.clv._alive import HIGH_P_ALIVE, LOW_P_ALIVE, AliveByState, p_alive_by_state
from custpool.clv._bgnbd import BgNbd, fit_bgnbd
from custpool.clv._gamma import (
    CORRELATION_WARNING,
    FrequencyMonetaryWarning,
    GammaGamma,
    fit_gamma_gamma,
    frequency_monetary_correlation,
)
from custpool.clv._holdout import CalibrationHoldout, calibration_holdout
from custpool.clv._value import PERIODS_PER_MONTH, Clv, ClvByState, Freq, clv

__all__ = [
    # BG/NBD
    "BgNbd",
    "fit_bgnbd",
    # Gamma-Gamma
    "GammaGamma",
    "fit_gamma_gamma",
    "frequency_monetary_correlation",
    "FrequencyMonetaryWarning",
    "CORRELATION_WARNING",
    # lifetime value
    "clv",
    "Clv",
    "ClvByState",
    "Freq",
    "PERIODS_PER_MONTH",
    # tiers meet probability
    "p_alive_by_state",
    "AliveByState",
    "HIGH_P_ALIVE",
    "LOW_P_ALIVE",
    # checking a forecast
    "calibration_holdout",
    "CalibrationHoldout",
]

_claim(globals(), __all__, __name__)
