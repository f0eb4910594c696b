"""What a customer is worth by state: lifetime value (TierLTV) and revenue (StateRevenue)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from custpool import StateRevenue, TierLTV
from custpool.plot._common import (
    STATES,
    Lang,
    axes,
    check_lang,
    check_type,
    finish,
    major_units,
    say,
    state_label,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_value"]


def plot_value(
    result: TierLTV | StateRevenue, *, ax: Axes | None = None, lang: Lang = "en"
) -> Axes:
    """Draw the value of a customer by state: one bar per state, in the currency's major units.

    For a :class:`~custpool.TierLTV`, a bar is ``value[s]``: the expected discounted lifetime
    value of a customer starting in state ``s``. For a :class:`~custpool.StateRevenue`, it is
    ``mean[s]``: the mean net revenue per customer-period of the customers in ``s`` at the
    period's start. Amounts are stored in minor units (fen) and drawn in major units (yuan); a
    state whose value is unknown (NaN: no one was ever in it) has no bar and is labelled "n/a".

    Parameters
    ----------
    result
        A :class:`~custpool.TierLTV` (:func:`~custpool.tier_ltv`) or a
        :class:`~custpool.StateRevenue` (:func:`~custpool.revenue_by_state`).
    ax
        The matplotlib Axes to draw on; None draws on a new figure.
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    matplotlib.axes.Axes
        With one bar per state, PROSPECT … CHURNED (height 0 where unknown).

    Raises
    ------
    custpool.WrongTypeError
        If ``result`` is neither, or ``ax`` is not an Axes.
    custpool.ValidationError
        If ``lang`` is not one of those allowed.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> import numpy as np
    >>> from custpool import EventTable, TierSnapshots, tier_ltv
    >>> from custpool.plot import plot_value
    >>> ends = [datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)]
    >>> table = EventTable.from_arrays(  # customer "a" buys for 50.00 (kind 8: purchase)
    ...     [0], [np.datetime64("2026-01-15")], [8], amount=[5000], item=[0],
    ...     customer_ids=["a", "b"], currency="CNY")
    >>> ltv = tier_ltv(table, TierSnapshots(ends, [[3, 6], [3, 6]]), discount_rate=0.25)
    >>> ax = plot_value(ltv)  # 50.00 a month for ever, at 0.8 a month: 50 / (1 - 0.8)
    >>> [round(float(bar.get_height()), 2) for bar in ax.patches]
    [0.0, 0.0, 0.0, 250.0, 0.0, 0.0, 0.0]
    >>> [t.get_text() for t in ax.texts]  # the states no one was in are not zero, but unknown
    ['n/a', 'n/a', 'n/a', '250.00', 'n/a', 'n/a', '0.00']
    """
    language = check_lang(lang)
    check_type("result", result, (TierLTV, StateRevenue), "a TierLTV or a StateRevenue")
    ax, language = axes(ax, language)
    if isinstance(result, TierLTV):
        minor, title = result.value, "ltv"
    else:
        minor, title = result.mean, "revenue"
    values = [major_units(float(v), result.currency) for v in minor]
    heights = [0.0 if math.isnan(v) else v for v in values]
    labels = [state_label(state, language) for state in STATES]
    bars = ax.bar(labels, heights, color="tab:green")
    unknown = say("n/a", language)
    texts = [unknown if math.isnan(v) else f"{v:,.2f}" for v in values]
    ax.bar_label(bars, labels=texts)
    ax.set_ylabel(result.currency or "")
    ax.set_title(say(title, language))
    ax.tick_params(axis="x", labelrotation=30)
    finish([ax], language)
    return ax
