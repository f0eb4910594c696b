"""Flows between two snapshots: an alluvial (Sankey-style) diagram and a heatmap (TierFlows)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path

from custpool import TierFlows, ValidationError
from custpool.plot._common import (
    STATES,
    Lang,
    axes,
    check_lang,
    check_type,
    finish,
    say,
    state_label,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from numpy.typing import NDArray

__all__ = ["plot_flow_matrix", "plot_flows"]

_GAP = 0.02  # the space between two states' blocks, as a share of the column's height
_BLOCK = 0.08  # a column's width
_COLOURS = ("tab:gray", "tab:blue", "tab:cyan", "tab:green", "tab:purple", "tab:olive", "tab:red")


def _matrix(flows: object, period: int | None) -> tuple[NDArray[np.int64], str]:
    """Return the moves of one transition (or pooled, for None) and the plot's title."""
    check_type("flows", flows, TierFlows, "a TierFlows")
    assert isinstance(flows, TierFlows)  # noqa: S101 - for the type checker
    if period is None:
        return flows.pooled, ""
    if isinstance(period, bool) or not isinstance(period, int):
        check_type("period", period, int, "an index of the transitions, or None to pool them")
    n = flows.n_transitions
    if not -n <= period < n:
        raise ValidationError("period", period, f"must be an index of the {n} transitions")
    k = period % n
    return flows.counts[k], f"{flows.period_ends[k]:%Y-%m-%d}|{flows.period_ends[k + 1]:%Y-%m-%d}"


def _title(flows: TierFlows, span: str, lang: Lang) -> str:
    if span:
        return say("flows", lang, *span.split("|"))
    return say("flows pooled", lang, flows.n_transitions)


def _stack(totals: NDArray[np.int64], scale: float) -> NDArray[np.float64]:
    """Return where each state's block starts, from the top, the blocks ``_GAP`` apart."""
    tops = np.zeros(len(totals))
    y = 1.0
    for s, total in enumerate(totals):
        tops[s] = y
        if total:
            y -= total * scale + _GAP
    return tops


def plot_flows(
    flows: TierFlows, *, period: int | None = -1, ax: Axes | None = None, lang: Lang = "en"
) -> Axes:
    """Draw the moves between two snapshots as an alluvial diagram.

    The left column stacks the customers by their state at the earlier period end, the right
    column by their state at the later one (each block's height is its count); a ribbon joins
    state ``i`` on the left to state ``j`` on the right for every non-zero ``counts[k][i, j]``,
    as wide as the customers who moved (or stayed, for ``i == j``). Each ribbon is a
    ``PathPatch`` whose ``gid`` is ``"flow:<from>-><to>"`` and whose label gives the count.

    Parameters
    ----------
    flows
        A :class:`~custpool.TierFlows`.
    period
        Which transition: ``period_ends[period]`` → ``period_ends[period + 1]`` (default the
        last); None pools every transition (``flows.pooled``).
    ax
        The matplotlib Axes to draw on; None draws on a new figure.
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    custpool.WrongTypeError
        If ``flows`` is not a TierFlows, or ``ax`` not an Axes.
    custpool.ValidationError
        If ``period`` or ``lang`` is not one of those allowed.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import TierSnapshots, tier_flows
    >>> from custpool.plot import plot_flows
    >>> ends = [datetime(2026, m, 1, tzinfo=UTC) for m in (1, 2)]
    >>> flows = tier_flows(TierSnapshots(ends, [[1, 1, 2, 0], [1, 2, 3, 1]]))
    >>> ax = plot_flows(flows)
    >>> sorted(p.get_gid() for p in ax.patches if p.get_gid().startswith("flow:"))
    ['flow:connected->connected', 'flow:connected->engaged', 'flow:engaged->converted',
     'flow:prospect->connected']
    """
    language = check_lang(lang)
    moves, span = _matrix(flows, period)
    ax, language = axes(ax, language)
    left, right = moves.sum(axis=1), moves.sum(axis=0)
    total = int(left.sum())
    # The taller column (more blocks, so more gaps) fills the height from 1 down to 0.
    blocks = max(int(np.count_nonzero(left)), int(np.count_nonzero(right)))
    scale = (1.0 - _GAP * max(blocks - 1, 0)) / total if total else 0.0
    tops = {0: _stack(left, scale), 1: _stack(right, scale)}
    # Blocks: one per non-empty state on each side, labelled with the state and its count.
    for side, sums, x in ((0, left, 0.0), (1, right, 1.0 - _BLOCK)):
        for s, n in enumerate(sums):
            if not n:
                continue
            top = tops[side][s]
            rect = Rectangle((x, top - n * scale), _BLOCK, n * scale, color=_COLOURS[s])
            rect.set_gid(f"block:{'from' if side == 0 else 'to'}:{STATES[s].value}")
            ax.add_patch(rect)
            ha, tx = ("right", x - 0.01) if side == 0 else ("left", x + _BLOCK + 0.01)
            ax.text(tx, top - n * scale / 2, f"{state_label(STATES[s], language)} {n}",
                    ha=ha, va="center")  # fmt: skip
    # Ribbons: from each left block's top down, to each right block's top down, in state order.
    out = dict(enumerate(tops[0]))
    into = dict(enumerate(tops[1]))
    x0, x1 = _BLOCK, 1.0 - _BLOCK
    mid = (x0 + x1) / 2
    for i in range(len(STATES)):
        for j in range(len(STATES)):
            n = int(moves[i, j])
            if not n:
                continue
            h = n * scale
            a, b = out[i], into[j]
            vertices = [(x0, a), (mid, a), (mid, b), (x1, b), (x1, b - h),
                        (mid, b - h), (mid, a - h), (x0, a - h), (x0, a)]  # fmt: skip
            codes = [Path.MOVETO, *[Path.CURVE4] * 3, Path.LINETO, *[Path.CURVE4] * 3]
            codes.append(Path.CLOSEPOLY)
            ribbon = PathPatch(Path(vertices, codes), color=_COLOURS[i], alpha=0.4, lw=0)
            ribbon.set_gid(f"flow:{STATES[i].value}->{STATES[j].value}")
            ribbon.set_label(str(n))
            ax.add_patch(ribbon)
            out[i] -= h
            into[j] -= h
    ax.set_xlim(-0.25, 1.25)
    ax.set_ylim(-0.02, 1.02)
    ax.set_axis_off()
    ax.set_title(_title(flows, span, language))
    finish([ax], language)
    return ax


def plot_flow_matrix(
    flows: TierFlows,
    *,
    period: int | None = -1,
    share: bool = False,
    ax: Axes | None = None,
    lang: Lang = "en",
) -> Axes:
    """Draw the moves between two snapshots as a heatmap: rows from, columns to.

    Cell ``(i, j)`` is ``counts[period][i, j]`` (or ``pooled`` for ``period=None``): the
    customers in state ``i`` at the earlier end and ``j`` at the later, written in the cell.
    With ``share=True`` it is the row's share instead (the transition probability; a row no one
    started in is blank).

    Parameters
    ----------
    flows
        A :class:`~custpool.TierFlows`.
    period
        Which transition (default the last); None pools them.
    share
        Colour and label the row shares instead of the counts.
    ax
        The matplotlib Axes to draw on; None draws on a new figure.
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    matplotlib.axes.Axes
        Whose image (``ax.images[0].get_array()``) holds the 7 × 7 values drawn.

    Raises
    ------
    custpool.WrongTypeError
        If ``flows`` is not a TierFlows, or ``ax`` not an Axes.
    custpool.ValidationError
        If ``period`` or ``lang`` is not one of those allowed.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import TierSnapshots, tier_flows
    >>> from custpool.plot import plot_flow_matrix
    >>> ends = [datetime(2026, m, 1, tzinfo=UTC) for m in (1, 2)]
    >>> flows = tier_flows(TierSnapshots(ends, [[1, 1, 2, 0], [1, 2, 3, 1]]))
    >>> ax = plot_flow_matrix(flows, share=True)
    >>> ax.images[0].get_array()[1].tolist()  # the two CONNECTED: one stays, one engages
    [0.0, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0]
    """
    language = check_lang(lang)
    check_type("share", share, bool, "True or False")
    moves, span = _matrix(flows, period)
    ax, language = axes(ax, language)
    values: NDArray[np.float64] = moves.astype(np.float64)
    if share:
        starts = moves.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            values = np.where(starts > 0, moves / np.maximum(starts, 1), np.nan)
    image = ax.imshow(values, cmap="Blues")
    peak = np.nanmax(values) if np.isfinite(values).any() else 0.0
    for i, j in np.ndindex(values.shape):
        value: Any = values[i, j]
        if np.isnan(value):
            continue
        shown = f"{value:.0%}" if share else str(int(value))
        dark = value > peak / 2
        ax.text(j, i, shown, ha="center", va="center", color="white" if dark else "black")
    labels = [state_label(state, language) for state in STATES]
    ax.set_xticks(range(len(STATES)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(STATES)), labels)
    ax.set_xlabel(say("to", language))
    ax.set_ylabel(say("from", language))
    label = say("share of row" if share else "customers", language)
    bar = ax.figure.colorbar(image, ax=ax, label=label)
    ax.set_title(_title(flows, span, language))
    finish([ax, bar.ax], language)
    return ax
