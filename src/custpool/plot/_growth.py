"""The three asset indicators period by period (PoolGrowth): user scale, repurchase, order value."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final, Literal

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from custpool import PoolGrowth, ValidationError
from custpool.plot._common import (
    Lang,
    check_lang,
    check_type,
    effective_lang,
    finish,
    instants,
    say,
)

if TYPE_CHECKING:
    from custpool import GrowthPeriod

__all__ = ["GROWTH_KPIS", "GrowthKpi", "plot_growth"]

GrowthKpi = Literal["user_scale", "repurchase_rate", "average_order_value"]
"""One of the three indicators of :class:`~custpool.PoolGrowth` (seed 002)."""

GROWTH_KPIS: Final[tuple[GrowthKpi, ...]] = (
    "user_scale",
    "repurchase_rate",
    "average_order_value",
)
"""The indicators :func:`plot_growth` draws, in its panels' order."""


def _value(period: GrowthPeriod, kpi: GrowthKpi) -> float:
    """Return one period's value of a KPI as a float; NaN where it was not measured."""
    if kpi == "user_scale":
        return float(period.user_scale)
    if kpi == "repurchase_rate":
        rate = period.repurchase_rate
        return math.nan if rate is None else rate
    aov = period.average_order_value
    return math.nan if aov is None else float(aov.amount)


def _currency(growth: PoolGrowth) -> str:
    currencies = {p.average_order_value.currency for p in growth.periods if p.average_order_value}
    return f" ({currencies.pop()})" if len(currencies) == 1 else ""


def _draw(ax: Axes, growth: PoolGrowth, kpi: GrowthKpi, lang: Lang) -> None:
    ends = instants(period.window.end for period in growth.periods)
    values = [_value(period, kpi) for period in growth.periods]
    (line,) = ax.plot(ends, values, marker="o")
    line.set_gid(f"kpi:{kpi}")
    label = say(kpi, lang) + (_currency(growth) if kpi == "average_order_value" else "")
    ax.set_ylabel(label)
    if kpi == "repurchase_rate":
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.grid(visible=True, alpha=0.3)


def plot_growth(
    growth: PoolGrowth,
    kpi: GrowthKpi | None = None,
    *,
    ax: Axes | Iterable[Axes] | None = None,
    lang: Lang = "en",
) -> Figure:
    """Draw the asset indicators over the periods: one line per KPI, one point per period end.

    Seed 002's three indicators of a pool as an asset: user scale (customers connected at the
    period's end), repurchase rate and average order value (in the currency's major units; a
    period without purchases is a gap). Each line's ``gid`` is ``"kpi:<name>"``.

    Parameters
    ----------
    growth
        A :class:`~custpool.PoolGrowth`.
    kpi
        One of :data:`GROWTH_KPIS` to draw it alone, on ``ax`` (an Axes); None draws all three,
        stacked, on ``ax`` (three Axes) or on a new figure.
    ax
        Where to draw: one Axes for one KPI, three (a list, or the array of ``plt.subplots(3)``)
        for all; None for a new figure.
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on (``figure.axes`` holds the panels).

    Raises
    ------
    custpool.WrongTypeError
        If ``growth`` is not a PoolGrowth, or ``ax`` not what ``kpi`` needs.
    custpool.ValidationError
        If ``kpi`` or ``lang`` is not one of those allowed.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable, example_pool, pool_growth
    >>> from custpool.plot import plot_growth
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> ends = [datetime(2025, 12, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)]
    >>> growth = pool_growth(table, [*ends, datetime(2026, 2, 1, tzinfo=UTC)])
    >>> figure = plot_growth(growth)
    >>> [ax.lines[0].get_ydata().tolist() for ax in figure.axes]
    [[0.0, 5.0], [0.0, 0.5], [59.0, 70.33]]
    """
    language = check_lang(lang)
    check_type("growth", growth, PoolGrowth, "a PoolGrowth")
    if kpi is not None and kpi not in GROWTH_KPIS:
        raise ValidationError("kpi", kpi, f"must be one of {', '.join(GROWTH_KPIS)} or None")
    kpis = GROWTH_KPIS if kpi is None else (kpi,)
    panels: list[Axes]
    if ax is None:
        _, grid = plt.subplots(len(kpis), 1, sharex=True, squeeze=False)
        panels = [row[0] for row in grid]
    elif kpi is not None:
        check_type("ax", ax, Axes, "a matplotlib Axes (one KPI is drawn)")
        assert isinstance(ax, Axes)  # noqa: S101 - for the type checker
        panels = [ax]
    else:
        check_type("ax", ax, Iterable, "three Axes (kpi=None draws all three)")
        assert isinstance(ax, Iterable)  # noqa: S101 - for the type checker
        panels = list(ax)  # a list, or the array plt.subplots(3) gives
        if len(panels) != len(kpis) or not all(isinstance(p, Axes) for p in panels):
            raise ValidationError("ax", f"<{len(panels)} items>", "must be three matplotlib Axes")
    language = effective_lang(language, stacklevel=3)
    for panel, name in zip(panels, kpis, strict=True):
        _draw(panel, growth, name, language)
    drawn_on = panels[0].figure
    figure = drawn_on if isinstance(drawn_on, Figure) else drawn_on.figure
    panels[0].set_title(say("growth", language))
    panels[-1].set_xlabel(say("period end", language))
    panels[-1].tick_params(axis="x", labelrotation=30)
    finish(panels, language)
    return figure
