"""How many customers are in each state, and the tier funnel they make (TierTable, snapshots)."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from custpool import Stage, State, TierSnapshots, TierTable, ValidationError
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
    from datetime import datetime

    from matplotlib.axes import Axes

__all__ = ["plot_funnel", "plot_states"]

_STAGES = tuple(State(stage.value) for stage in Stage)  # CONNECTED, ENGAGED, CONVERTED, ADVOCATE


def _counts(result: object, period: int) -> tuple[dict[State, int], datetime]:
    """Return the count of each state, and the instant, of a table or of one snapshot."""
    check_type("result", result, (TierTable, TierSnapshots), "a TierTable or a TierSnapshots")
    if isinstance(result, TierTable):
        return result.counts(), result.as_of
    assert isinstance(result, TierSnapshots)  # noqa: S101 - for the type checker
    if isinstance(period, bool) or not isinstance(period, int):
        check_type("period", period, int, "an index of period_ends")
    n = result.n_periods
    if not -n <= period < n:
        raise ValidationError("period", period, f"must be an index of the {n} period ends")
    return result.counts_at(period), result.period_ends[period]


def plot_states(
    result: TierTable | TierSnapshots,
    *,
    period: int = -1,
    ax: Axes | None = None,
    lang: Lang = "en",
) -> Axes:
    """Draw the state distribution: one bar per state, its height the customers in it.

    Parameters
    ----------
    result
        A :class:`~custpool.TierTable`, or :class:`~custpool.TierSnapshots` with ``period``
        picking the snapshot (default the last).
    period
        Index of the snapshot's period end (only read for ``TierSnapshots``).
    ax
        The matplotlib Axes to draw on; None draws on a new figure.
    lang
        ``"en"`` or ``"zh"`` (浅, 粘, 深, 铁 …; English when no Chinese font is installed).

    Returns
    -------
    matplotlib.axes.Axes
        With one bar per state, PROSPECT … CHURNED, labelled with its count.

    Raises
    ------
    custpool.WrongTypeError
        If ``result`` is neither, or ``ax`` is not an Axes.
    custpool.ValidationError
        If ``period`` or ``lang`` is not one of those allowed.

    Examples
    --------
    >>> from custpool import EXAMPLE_START, EventTable, Policy, classify_table, example_pool
    >>> from custpool.plot import plot_states
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> ax = plot_states(classify_table(table, Policy(), EXAMPLE_START.replace(day=25)))
    >>> [int(bar.get_height()) for bar in ax.patches]
    [0, 2, 1, 1, 1, 0, 1]
    """
    language = check_lang(lang)
    counts, instant = _counts(result, period)
    ax, language = axes(ax, language)
    labels = [state_label(state, language) for state in STATES]
    bars = ax.bar(labels, [counts[state] for state in STATES], color="tab:blue")
    ax.bar_label(bars)
    ax.tick_params(axis="x", labelrotation=30)
    ax.set_ylabel(say("customers", language))
    ax.set_title(say("states at", language, f"{instant:%Y-%m-%d}"))
    finish([ax], language)
    return ax


def plot_funnel(
    result: TierTable | TierSnapshots,
    *,
    period: int = -1,
    ax: Axes | None = None,
    lang: Lang = "en",
) -> Axes:
    """Draw the tier funnel: customers at or beyond each stage, CONNECTED down to ADVOCATE.

    The bar of a stage counts the customers whose state is that stage or a later one (an
    advocate has also connected, engaged and converted), so the bars narrow down the ladder;
    each is labelled with its count and its share of the stage before. DORMANT, CHURNED and
    PROSPECT customers hold no active stage and are left out.

    Parameters
    ----------
    result
        A :class:`~custpool.TierTable`, or :class:`~custpool.TierSnapshots` with ``period``.
    period
        Index of the snapshot's period end (only read for ``TierSnapshots``).
    ax
        The matplotlib Axes to draw on; None draws on a new figure.
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    matplotlib.axes.Axes
        With one horizontal bar per stage, centred, the widest on top.

    Raises
    ------
    custpool.WrongTypeError
        If ``result`` is neither, or ``ax`` is not an Axes.
    custpool.ValidationError
        If ``period`` or ``lang`` is not one of those allowed.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import TierSnapshots
    >>> from custpool.plot import plot_funnel
    >>> ends = [datetime(2026, m, 1, tzinfo=UTC) for m in (1, 2)]
    >>> snaps = TierSnapshots(ends, [[1, 1, 1, 0], [1, 2, 3, 4]])
    >>> ax = plot_funnel(snaps)  # at Feb 1: one each of CONNECTED, ENGAGED, CONVERTED, ADVOCATE
    >>> [int(bar.get_width()) for bar in ax.patches]  # 4 at or past CONNECTED, 3, 2, 1
    [4, 3, 2, 1]
    """
    language = check_lang(lang)
    counts, instant = _counts(result, period)
    ax, language = axes(ax, language)
    # Customers at or beyond each stage: the running sum of the active states from the top.
    reached = [sum(counts[s] for s in _STAGES[k:]) for k in range(len(_STAGES))]
    rows = list(range(len(_STAGES)))[::-1]  # the first stage on top
    bars = ax.barh(rows, reached, left=[-n / 2 for n in reached], color="tab:blue")
    labels = [str(reached[0])]
    for before, now in itertools.pairwise(reached):
        labels.append(f"{now}\n{say('of previous', language, now / before)}" if before else "0")
    ax.bar_label(bars, labels=labels, padding=4)
    ax.set_yticks(rows, [state_label(s, language) for s in _STAGES])
    ax.set_xticks([])
    ax.set_title(say("funnel at", language, f"{instant:%Y-%m-%d}"))
    finish([ax], language)
    return ax
