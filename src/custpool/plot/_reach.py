"""How the pool reaches new customers: referral generations (FissionReport) and channels."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Literal

from custpool import ChannelAttribution, FissionReport, ValidationError
from custpool.plot._common import (
    Lang,
    axes,
    check_lang,
    check_type,
    finish,
    say,
    source_label,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from custpool import ChannelRow

__all__ = ["CHANNEL_VALUES", "ChannelValue", "plot_channels", "plot_fission"]

ChannelValue = Literal[
    "customers", "new_customers", "connections", "converted", "conversion_rate", "purchases",
    "revenue",
]  # fmt: skip
"""A column of :class:`~custpool.ChannelRow` that :func:`plot_channels` can draw."""

CHANNEL_VALUES: Final[tuple[ChannelValue, ...]] = (
    "customers",
    "new_customers",
    "connections",
    "converted",
    "conversion_rate",
    "purchases",
    "revenue",
)
"""The values :func:`plot_channels` can draw."""


def plot_fission(report: FissionReport, *, ax: Axes | None = None, lang: Lang = "en") -> Axes:
    """Draw the referral generations: customers of each generation at the window's end.

    Generation 0 is every customer nobody referred; generation ``g`` those referred by one of
    generation ``g - 1`` (:func:`~custpool.referral_tree`). The bars are
    ``report.generation_counts``; the title gives the K-factor (new customers by referral per
    customer connected at the start).

    Parameters
    ----------
    report
        A :class:`~custpool.FissionReport` (:func:`~custpool.fission`).
    ax
        The matplotlib Axes to draw on; None draws on a new figure.
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    matplotlib.axes.Axes
        With one bar per generation, 0 … ``max_depth``.

    Raises
    ------
    custpool.WrongTypeError
        If ``report`` is not a FissionReport, or ``ax`` not an Axes.
    custpool.ValidationError
        If ``lang`` is not one of those allowed.

    Examples
    --------
    >>> from datetime import timedelta
    >>> from custpool import EXAMPLE_START, EventTable, Policy, example_pool, fission
    >>> from custpool.plot import plot_fission
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> report = fission(table, Policy(), EXAMPLE_START, EXAMPLE_START + timedelta(days=30))
    >>> ax = plot_fission(report)  # four founders, two referred by them
    >>> [int(bar.get_height()) for bar in ax.patches], report.generation_counts
    ([4, 2], (4, 2))
    """
    language = check_lang(lang)
    check_type("report", report, FissionReport, "a FissionReport")
    ax, language = axes(ax, language)
    generations = [str(g) for g in range(len(report.generation_counts))]
    bars = ax.bar(generations, report.generation_counts, color="tab:purple")
    ax.bar_label(bars)
    ax.set_xlabel(say("generation", language))
    ax.set_ylabel(say("customers", language))
    k = "n/a" if report.k_factor is None else f"{report.k_factor:.2f}"
    ax.set_title(say("fission", language, k))
    finish([ax], language)
    return ax


def _value(row: ChannelRow, value: ChannelValue) -> float | None:
    """Return one row's value to draw (money in major units); None where not measured."""
    if value == "revenue":
        return None if row.revenue is None else float(row.revenue.amount)
    got: int | float | None = getattr(row, value)
    return None if got is None else float(got)


def _unattributed(attribution: ChannelAttribution, value: ChannelValue) -> float | None:
    """Return the value of the customers with no CONNECT, for the values that count them."""
    if value == "revenue":
        money = attribution.unattributed_revenue
        return None if money is None else float(money.amount)
    counts = {
        "customers": attribution.unattributed_customers,
        "converted": attribution.unattributed_converted,
        "purchases": attribution.unattributed_purchases,
    }
    return float(counts[value]) if value in counts else None


def plot_channels(
    attribution: ChannelAttribution,
    value: ChannelValue = "customers",
    *,
    ax: Axes | None = None,
    lang: Lang = "en",
) -> Axes:
    """Draw one column of a channel attribution: a horizontal bar per source channel.

    Only the channels with a non-zero value are drawn, in :class:`~custpool.SourceChannel`
    order from the top; for ``customers``, ``converted``, ``purchases`` and ``revenue`` the
    customers with no CONNECT (``unattributed_*``) get a last bar, so the bars add up to the
    window's whole. Revenue is in the currency's major units.

    Parameters
    ----------
    attribution
        A :class:`~custpool.ChannelAttribution` (:func:`~custpool.channel_attribution`).
    value
        One of :data:`CHANNEL_VALUES` (a :class:`~custpool.ChannelRow` column).
    ax
        The matplotlib Axes to draw on; None draws on a new figure.
    lang
        ``"en"`` or ``"zh"`` (老带新, 抖音 …).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    custpool.WrongTypeError
        If ``attribution`` is not a ChannelAttribution, or ``ax`` not an Axes.
    custpool.ValidationError
        If ``value`` or ``lang`` is not one of those allowed.

    Examples
    --------
    >>> from datetime import timedelta
    >>> from custpool import EXAMPLE_START, EventTable, channel_attribution, example_pool
    >>> from custpool.plot import plot_channels
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> report = channel_attribution(table, EXAMPLE_START, EXAMPLE_START + timedelta(days=30))
    >>> ax = plot_channels(report, "revenue")
    >>> [t.get_text() for t in ax.get_yticklabels()], [float(bar.get_width()) for bar in ax.patches]
    (['store', 'referral'], [166.0, 45.0])
    """
    language = check_lang(lang)
    check_type("attribution", attribution, ChannelAttribution, "a ChannelAttribution")
    if value not in CHANNEL_VALUES:
        raise ValidationError("value", value, f"must be one of {', '.join(CHANNEL_VALUES)}")
    ax, language = axes(ax, language)
    labels: list[str] = []
    widths: list[float] = []
    for row in attribution.rows:
        got = _value(row, value)
        if got:
            labels.append(source_label(row.source, language))
            widths.append(got)
    extra = _unattributed(attribution, value)
    if extra:
        labels.append(say("unattributed", language))
        widths.append(float(extra))
    rows = list(range(len(labels)))[::-1]  # the first channel on top
    bars = ax.barh(rows, widths, color="tab:orange")
    form = {"conversion_rate": "{:.0%}", "revenue": "{:,.2f}"}.get(value, "{:,.0f}")
    shown = [form.format(w) for w in widths]
    ax.bar_label(bars, labels=shown)
    ax.set_yticks(rows, labels)
    word = say("channel revenue" if value == "revenue" else value, language)
    if value == "revenue" and attribution.currency:
        word += f" ({attribution.currency})"
    ax.set_title(say("channels", language, word))
    finish([ax], language)
    return ax
