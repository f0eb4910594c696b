"""BG/NBD plots: the frequency/recency matrix, and calibration against holdout purchases.

They draw ``custpool.clv`` results (the ``clv`` extra), imported only when a plot is called.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final, Literal

import numpy as np

from custpool import RfmSummary, ValidationError, WrongTypeError
from custpool.plot._common import Lang, axes, check_lang, check_type, finish

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from custpool.clv import BgNbd, CalibrationHoldout

__all__ = ["plot_calibration_holdout", "plot_clv_matrix"]

_WORDS: Final = {
    "purchases": (
        "Expected purchases in the next {} periods",
        "未来 {} 个周期的预期购买次数",
    ),
    "p_alive": ("Probability a customer is alive", "客户仍存活的概率"),
    "frequency": ("frequency (repeat purchases)", "频次（重复购买）"),
    "recency": ("recency (time of last purchase)", "最近度（最后一次购买时间）"),
    "calibration": ("Calibration against holdout purchases", "校准期与验证期购买次数"),
    "cal frequency": ("purchases in calibration", "校准期购买次数"),
    "holdout mean": ("mean purchases in holdout", "验证期平均购买次数"),
    "actual": ("actual", "实际"),
    "model": ("model", "模型"),
}


def _say(key: str, lang: Lang, *args: object) -> str:
    en, zh = _WORDS[key]
    return (zh if lang == "zh" else en).format(*args)


def _clv_types() -> tuple[type, type]:
    try:
        from custpool.clv import BgNbd, CalibrationHoldout  # noqa: PLC0415 - the clv extra
    except ImportError as error:  # pragma: no cover - scipy missing
        from custpool import MissingDependencyError  # noqa: PLC0415

        raise MissingDependencyError("scipy", "clv") from error
    return BgNbd, CalibrationHoldout


def _check_positive(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WrongTypeError(name, value, "must be a number: a positive, finite length of time")
    if not (math.isfinite(value) and value > 0):
        raise ValidationError(name, value, "must be a positive, finite length of time")


def _check_whole(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise WrongTypeError(name, value, "must be a whole number (an int), 1 or more")
    if value < 1:
        raise ValidationError(name, value, "must be a whole number, 1 or more")


def plot_clv_matrix(  # noqa: PLR0913 - lifetimes' options
    model: BgNbd,
    summary: RfmSummary,
    *,
    value: Literal["purchases", "p_alive"] = "purchases",
    t: float = 1.0,
    ax: Axes | None = None,
    lang: Lang = "en",
) -> Axes:
    """Draw BG/NBD's frequency/recency matrix: expected purchases in ``t``, or p_alive.

    ``lifetimes``' ``plot_frequency_recency_matrix`` and ``plot_probability_alive_matrix``:
    rows are frequency 0 … the summary's largest, columns recency 0 … its largest ``T``
    (whole units), each cell the model's value for a customer with that frequency and recency
    observed for that largest ``T``. Customers who bought often and lately (top right) are the
    most alive; those who bought often long ago (top left) are most likely gone.

    Parameters
    ----------
    model
        A :class:`custpool.clv.BgNbd`.
    summary
        The summary it was fitted on (for the axes' ranges).
    value
        ``"purchases"`` (expected purchases in the next ``t`` units) or ``"p_alive"``.
    t
        The forecast length, in the summary's units (positive).
    ax
        The matplotlib Axes to draw on; None draws on a new figure.
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    matplotlib.axes.Axes
        Whose image (``ax.images[0].get_array()``) holds the matrix, rows = frequency.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> import custpool as cp
    >>> from custpool.clv import BgNbd
    >>> from custpool.plot import plot_clv_matrix
    >>> week = 7 * 86_400_000_000
    >>> table = cp.EventTable.from_arrays(customer=[0, 0, 0], time=[0, week, 2 * week],
    ...     kind=[8] * 3, item=[0] * 3, amount=[1] * 3, currency="CNY")
    >>> end = datetime(1970, 1, 22, tzinfo=UTC)  # T = 3 weeks, frequency 2
    >>> summary = cp.rfm_summary(table, end, freq_multiplier=7)
    >>> model = BgNbd(0.243, 4.414, 0.793, 2.426, (0.0,) * 4, 0.0, 1)
    >>> ax = plot_clv_matrix(model, summary, value="p_alive")
    >>> ax.images[0].get_array().shape, float(ax.images[0].get_array()[0, 0])
    ((3, 4), 1.0)
    """
    language = check_lang(lang)
    bgnbd_type, _ = _clv_types()
    check_type("model", model, bgnbd_type, "a custpool.clv.BgNbd")
    check_type("summary", summary, RfmSummary, "an RfmSummary")
    if value not in ("purchases", "p_alive"):
        raise ValidationError("value", value, "must be 'purchases' or 'p_alive'")
    _check_positive("t", t)
    ax, language = axes(ax, language)
    top_f = int(summary.frequency.max(initial=0.0))
    top_t = math.ceil(float(summary.T.max(initial=0.0)))
    freq = np.arange(top_f + 1, dtype=np.float64)[:, None]
    rec = np.arange(top_t + 1, dtype=np.float64)[None, :]
    if value == "p_alive":
        matrix = model.p_alive(freq, rec, float(top_t))
        title = _say("p_alive", language)
    else:
        matrix = model.expected_purchases(t, freq, rec, float(top_t))
        title = _say("purchases", language, f"{t:g}")
    image = ax.imshow(matrix, cmap="viridis", origin="lower", aspect="auto")
    ax.set_xlabel(_say("recency", language))
    ax.set_ylabel(_say("frequency", language))
    ax.set_title(title)
    bar = ax.figure.colorbar(image, ax=ax)
    finish([ax, bar.ax], language)
    return ax


def plot_calibration_holdout(
    model: BgNbd,
    split: CalibrationHoldout,
    *,
    max_frequency: int = 7,
    ax: Axes | None = None,
    lang: Lang = "en",
) -> Axes:
    """Draw the mean holdout purchases by calibration frequency: actual, and the model's.

    ``lifetimes``' ``plot_calibration_purchases_vs_holdout_purchases``: customers are grouped
    by their calibration frequency (``max_frequency`` and more in one group), and each group's
    mean actual holdout purchases is drawn beside the mean of BG/NBD's conditional expectation
    over the holdout's duration.

    Returns
    -------
    matplotlib.axes.Axes
        With two lines: ``ax.lines[0]`` actual, ``ax.lines[1]`` the model.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> import custpool as cp
    >>> from custpool.clv import BgNbd, calibration_holdout
    >>> from custpool.plot import plot_calibration_holdout
    >>> d = 86_400_000_000
    >>> table = cp.EventTable.from_arrays(customer=[0, 0, 0, 1], time=[0, 2 * d, 9 * d, 0],
    ...     kind=[8] * 4, item=[0] * 4, amount=[1] * 4, currency="CNY")
    >>> split = calibration_holdout(table, datetime(1970, 1, 5, tzinfo=UTC),
    ...                             datetime(1970, 1, 12, tzinfo=UTC))
    >>> model = BgNbd(0.243, 4.414, 0.793, 2.426, (0.0,) * 4, 0.0, 1)
    >>> ax = plot_calibration_holdout(model, split)
    >>> ax.lines[0].get_xdata().tolist(), ax.lines[0].get_ydata().tolist()
    ([0.0, 1.0], [0.0, 1.0])
    """
    language = check_lang(lang)
    bgnbd_type, split_type = _clv_types()
    check_type("model", model, bgnbd_type, "a custpool.clv.BgNbd")
    check_type("split", split, split_type, "a custpool.clv.CalibrationHoldout")
    _check_whole("max_frequency", max_frequency)
    ax, language = axes(ax, language)
    cal = split.calibration
    expected = model.expected_purchases(split.duration, cal.frequency, cal.recency, cal.T)
    group = np.minimum(cal.frequency, max_frequency).astype(np.intp)
    counts = np.bincount(group, minlength=max_frequency + 1)
    present = np.flatnonzero(counts)
    actual = np.bincount(group, weights=split.holdout_frequency, minlength=max_frequency + 1)
    model_sum = np.bincount(group, weights=expected, minlength=max_frequency + 1)
    x = present.astype(np.float64)
    ax.plot(x, actual[present] / counts[present], marker="o", label=_say("actual", language))
    ax.plot(x, model_sum[present] / counts[present], marker="s", ls="--",
            label=_say("model", language))  # fmt: skip
    ax.set_xlabel(_say("cal frequency", language))
    ax.set_ylabel(_say("holdout mean", language))
    ax.set_title(_say("calibration", language))
    legend = ax.legend()
    finish([ax, legend], language)
    return ax
