"""The frequency/recency matrix of an RFM summary: customers, or mean spend, per cell."""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING, Literal

import numpy as np
from matplotlib.colors import LogNorm

from custpool import RfmSummary, ValidationError
from custpool.plot._common import Lang, axes, check_lang, check_type, finish, say

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from numpy.typing import NDArray

__all__ = ["plot_rfm", "rfm_edges"]


def rfm_edges(values: NDArray[np.float64], bins: int) -> NDArray[np.float64]:
    """Return the bin edges of one axis: at most ``bins`` bins from 0 to the largest value.

    Whole values from 0 to ``m`` get bins of ``w = ceil((m + 1) / bins)`` whole values each,
    with edges halfway between values (``-0.5, w - 0.5, …``): one bin per value when ``m`` is
    less than ``bins``. Other values (``freq_multiplier`` ≠ 1) get ``bins`` equal bins from 0
    to the largest value.

    Examples
    --------
    >>> rfm_edges(np.array([0.0, 2.0]), 10).tolist()  # one bin per value
    [-0.5, 0.5, 1.5, 2.5]
    >>> rfm_edges(np.array([0.0, 30.0]), 3).tolist()  # 31 values in bins of ceil(31 / 3) = 11
    [-0.5, 10.5, 21.5, 32.5]
    >>> rfm_edges(np.array([0.0, 1.5]), 3).tolist()
    [0.0, 0.5, 1.0, 1.5]
    """
    top = float(values.max()) if values.size else 0.0
    if np.all(values == np.round(values)):
        width = math.ceil((top + 1) / bins)
        return np.arange(0, int(top) // width + 2, dtype=np.float64) * width - 0.5
    return np.linspace(0.0, top, bins + 1)


def _labels(edges: NDArray[np.float64]) -> list[str]:
    """Return each bin's label: its value, or the whole values it holds, or its range."""
    if edges[0] != -0.5:
        return [f"{a:g}–{b:g}" for a, b in itertools.pairwise(edges)]
    ends = [(int(a + 0.5), int(b - 0.5)) for a, b in itertools.pairwise(edges)]
    return [str(lo) if lo == hi else f"{lo}–{hi}" for lo, hi in ends]


def plot_rfm(
    summary: RfmSummary,
    *,
    value: Literal["count", "monetary"] = "count",
    bins: int = 12,
    ax: Axes | None = None,
    lang: Lang = "en",
) -> Axes:
    """Draw the frequency/recency matrix: customers (or their mean spend) in each cell.

    Rows are ``frequency`` (repeat purchase periods), columns ``recency`` (periods from the
    first purchase to the last), as :func:`~custpool.rfm_summary` gives them (lifetimes'
    columns): customers in the top right bought often and lately. Each axis has at most
    ``bins`` bins, one per whole value when the values are few (see :func:`rfm_edges`).
    A cell is the number of customers in it (``value="count"``, coloured on a log scale, as
    most buyers sit in one corner; an empty cell is blank) or the mean of their
    ``monetary_value`` (``"monetary"``: mean spend of a repeat period, major units; blank where
    the cell is empty). This is the observed matrix; lifetimes' model-based one needs a fitted
    model, which custpool leaves to it.

    Parameters
    ----------
    summary
        An :class:`~custpool.RfmSummary`.
    value
        ``"count"`` or ``"monetary"``.
    bins
        The most bins per axis (at least 1).
    ax
        The matplotlib Axes to draw on; None draws on a new figure.
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    matplotlib.axes.Axes
        Whose image (``ax.images[0].get_array()``) holds the matrix, rows = frequency bins.

    Raises
    ------
    custpool.WrongTypeError
        If ``summary`` is not an RfmSummary, ``bins`` not an int or ``ax`` not an Axes.
    custpool.ValidationError
        If ``value``, ``bins`` or ``lang`` is not one of those allowed.

    Examples
    --------
    >>> from custpool import EXAMPLE_START, EventTable, example_pool, rfm_summary
    >>> from custpool.plot import plot_rfm
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> summary = rfm_summary(table, EXAMPLE_START.replace(day=25))
    >>> summary.frequency.tolist(), summary.recency.tolist()
    ([1.0, 0.0, 0.0], [12.0, 0.0, 0.0])
    >>> ax = plot_rfm(summary, bins=4)  # frequency 0 or 1; recency 0-12 in bins of 13 / 4 → 4
    >>> ax.images[0].get_array().astype(int).tolist()
    [[2, 0, 0, 0], [0, 0, 0, 1]]
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['0–3', '4–7', '8–11', '12–15']
    """
    language = check_lang(lang)
    check_type("summary", summary, RfmSummary, "an RfmSummary")
    if value not in ("count", "monetary"):
        raise ValidationError("value", value, "must be 'count' or 'monetary'")
    if isinstance(bins, bool) or not isinstance(bins, int):
        check_type("bins", bins, int, "a whole number of bins")
    if bins < 1:
        raise ValidationError("bins", bins, "must be at least 1")
    ax, language = axes(ax, language)
    f_edges, r_edges = rfm_edges(summary.frequency, bins), rfm_edges(summary.recency, bins)
    counts, _, _ = np.histogram2d(summary.frequency, summary.recency, bins=(f_edges, r_edges))
    matrix = counts
    if value == "monetary":
        spent, _, _ = np.histogram2d(
            summary.frequency, summary.recency, bins=(f_edges, r_edges),
            weights=summary.monetary_value,
        )  # fmt: skip
        with np.errstate(invalid="ignore", divide="ignore"):
            matrix = np.where(counts > 0, spent / np.maximum(counts, 1), np.nan)
    # Counts are skewed (most buyers bought once, lately): a log scale shows the rest; 0 is blank.
    norm = LogNorm(vmin=1) if value == "count" and counts.max() > 0 else None
    image = ax.imshow(matrix, cmap="viridis", origin="lower", aspect="auto", norm=norm)
    ax.set_xticks(range(len(r_edges) - 1), _labels(r_edges), rotation=45, ha="right")
    ax.set_yticks(range(len(f_edges) - 1), _labels(f_edges))
    ax.set_xlabel(say("recency", language))
    ax.set_ylabel(say("frequency", language))
    unit = summary.currency or ""
    label = say("customers", language) if value == "count" else unit
    bar = ax.figure.colorbar(image, ax=ax, label=label)
    ax.set_title(say("rfm count" if value == "count" else "rfm monetary", language))
    finish([ax, bar.ax], language)
    return ax
