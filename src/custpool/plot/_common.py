"""What every plot shares: the language and its font, the words on the axes, the Axes to draw on.

Chinese labels need a font with Chinese glyphs; matplotlib's default (DejaVu Sans) has none and
would draw empty boxes (tofu). :func:`cjk_font` finds an installed one through
``matplotlib.font_manager``, checking that it really holds the glyphs; when there is none,
``lang="zh"`` falls back to English with one :class:`FontFallbackWarning` per process. No plot
changes matplotlib's global settings: the font is set on the texts drawn.
"""

from __future__ import annotations

import functools
import math
import warnings
from datetime import UTC
from typing import TYPE_CHECKING, Final, Literal

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

from custpool import (
    CURRENCY_MINOR_UNITS,
    Dimension,
    SourceChannel,
    State,
    ValidationError,
    WrongTypeError,
)

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from numpy.typing import NDArray

__all__ = [
    "STATES",
    "FontFallbackWarning",
    "Lang",
    "axes",
    "check_lang",
    "check_type",
    "cjk_font",
    "dimension_label",
    "effective_lang",
    "finish",
    "instants",
    "major_units",
    "say",
    "source_label",
    "state_label",
]

Lang = Literal["en", "zh"]
"""The language of a plot's labels."""

STATES: Final = tuple(sorted(State, key=lambda s: s.code))
"""The seven states in code order (PROSPECT … CHURNED)."""

# The glyphs a font must hold to label a plot in Chinese (the states, a dimension, "customers").
_PROBE: Final = "潜在浅粘深铁沉睡流失客户数同好"
# Fonts known to hold them, tried first: Noto/Source Han (Linux, CI), the Windows and macOS ones.
_KNOWN: Final = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Noto Serif CJK SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)
# Words a name must hold for an unknown font to be probed (probing every font is slow).
_HINTS: Final = ("cjk", "han", "hei", "song", "ming", "kai", "wenquanyi", "fallback", "yahei")

# Every word the plots write, in English and Chinese.
_WORDS: Final = {
    "customers": ("customers", "客户数"),
    "state": ("state", "状态"),
    "stage": ("stage", "阶段"),
    "states at": ("Customers by state at {}", "{} 各状态客户数"),
    "funnel at": ("Tier funnel at {}", "{} 关系漏斗"),
    "of previous": ("{:.0%} of the stage before", "上一阶段的 {:.0%}"),
    "flows": ("Flows {} → {}", "流动 {} → {}"),
    "flows pooled": ("Flows over {} periods", "{} 个周期的流动"),
    "from": ("from (earlier)", "从（期初）"),
    "to": ("to (later)", "到（期末）"),
    "share of row": ("share of the row", "占行的比例"),
    "user_scale": ("user scale", "用户规模"),
    "repurchase_rate": ("repurchase rate", "复购率"),
    "average_order_value": ("average order value", "客单价"),
    "growth": ("Pool growth", "客户池增长"),
    "period end": ("period end", "期末"),
    "score": ("score", "得分"),
    "health at": ("ISOOC health at {}: {}", "{} ISOOC 健康度：{}"),
    "copy gate": ("Copy gate {:g}: {}", "复制门槛 {:g}：{}"),
    "ready": ("ready", "可复制"),
    "not_ready": ("not ready", "未就绪"),
    "not measured": ("{} (not measured)", "{}（未测）"),
    "overall": ("overall", "总分"),
    "health trend": ("ISOOC health over time", "ISOOC 健康度趋势"),
    "healthy_at": ("healthy ≥ {:g}", "健康 ≥ {:g}"),
    "at_risk_at": ("at risk ≥ {:g}", "有风险 ≥ {:g}"),
    "ltv": ("Lifetime value by starting state", "各起始状态的客户终身价值"),
    "revenue": ("Net revenue per customer-period by state", "各状态每客户每周期净收入"),
    "n/a": ("n/a", "无"),
    "frequency": ("frequency (repeat periods)", "频次（重复购买周期）"),
    "recency": ("recency (periods)", "最近度（周期）"),
    "rfm count": ("Customers by frequency and recency", "按频次与最近度的客户数"),
    "rfm monetary": ("Mean monetary value by frequency and recency", "按频次与最近度的平均消费额"),
    "generation": ("referral generation", "裂变代数"),
    "fission": ("Referral generations (K-factor {})", "裂变代数（K 因子 {}）"),
    "channels": ("Channel attribution: {}", "渠道归因：{}"),
    "unattributed": ("unattributed", "未归因"),
    "new_customers": ("new customers", "新客户"),
    "connections": ("connections", "添加次数"),
    "converted": ("converted", "转化客户"),
    "conversion_rate": ("conversion rate", "转化率"),
    "purchases": ("purchases", "购买次数"),
    "channel revenue": ("revenue", "收入"),
}


class FontFallbackWarning(UserWarning):
    """Chinese labels were asked for and no font with Chinese glyphs is installed.

    The plot is drawn with English labels instead of empty boxes. Install one (Debian/Ubuntu:
    ``apt-get install fonts-noto-cjk``; the fonts of Windows and macOS are found as they are)
    and restart Python. matplotlib caches the list of fonts: if it still does not see the new
    one, delete ``fontlist-*.json`` in ``matplotlib.get_cachedir()``.
    """


# Whether the fallback warning was given (once per process).
_warned: list[bool] = [False]


def check_lang(lang: object) -> Lang:
    """Return ``lang`` if it is ``"en"`` or ``"zh"``, else raise a custpool error."""
    if lang == "en":
        return "en"
    if lang == "zh":
        return "zh"
    if not isinstance(lang, str):
        raise WrongTypeError("lang", type(lang).__name__, "must be 'en' or 'zh'")
    raise ValidationError("lang", lang, "must be 'en' or 'zh'")


def check_type(name: str, value: object, types: type | tuple[type, ...], what: str) -> None:
    """Raise a :class:`~custpool.WrongTypeError` naming ``name`` unless ``value`` is a ``types``."""
    if not isinstance(value, types):
        raise WrongTypeError(name, f"<a {type(value).__name__}>", f"must be {what}")


def _holds_chinese(path: str) -> bool:
    """Whether the font file at ``path`` has a glyph for each character of the probe."""
    try:
        font = FT2Font(path)
    except (OSError, RuntimeError):  # an unreadable or unsupported file
        return False
    return all(font.get_char_index(ord(char)) for char in _PROBE)


def cjk_font() -> str | None:
    """Return the family name of an installed font with Chinese glyphs, or None.

    Known families are tried first (Noto Sans CJK SC, Source Han Sans SC, WenQuanYi, Microsoft
    YaHei, SimHei, PingFang SC …), then any family whose name hints at Chinese; a family is
    taken only if its file holds every character the plots write. The answer is kept, as
    matplotlib lists the installed fonts once per process.

    Examples
    --------
    >>> from custpool.plot import cjk_font
    >>> font = cjk_font()  # "Noto Sans CJK SC" where Debian's fonts-noto-cjk is installed
    >>> font is None or isinstance(font, str)
    True
    """
    return _find_cjk_font()


@functools.cache
def _find_cjk_font() -> str | None:
    """Look for :func:`cjk_font`'s answer (once)."""
    entries = font_manager.fontManager.ttflist
    by_name: dict[str, list[str]] = {}
    for entry in entries:
        by_name.setdefault(entry.name, []).append(entry.fname)
    hinted = sorted(n for n in by_name if any(h in n.lower() for h in _HINTS))
    for name in (*(n for n in _KNOWN if n in by_name), *hinted):
        if any(_holds_chinese(path) for path in sorted(by_name[name])):
            return name
    return None


def effective_lang(lang: Lang, *, stacklevel: int = 4) -> Lang:
    """Return the language the labels can be drawn in: ``"en"`` when Chinese has no font.

    The warning points ``stacklevel`` frames up: the user's call of a plot (through
    :func:`axes`, by default).
    """
    if lang == "zh" and cjk_font() is None:
        if not _warned[0]:
            _warned[0] = True
            warnings.warn(
                "lang='zh': no font with Chinese glyphs is installed, so the labels are in "
                "English (install one, e.g. Debian's fonts-noto-cjk, and restart Python)",
                FontFallbackWarning,
                stacklevel=stacklevel,
            )
        return "en"
    return lang


def say(key: str, lang: Lang, *args: object) -> str:
    """Return the words for ``key`` in ``lang``, formatted with ``args``."""
    en, zh = _WORDS[key]
    return (zh if lang == "zh" else en).format(*args)


def state_label(state: State, lang: Lang) -> str:
    """Return a state's label: its value, or its Chinese label (浅, 粘, …)."""
    return state.label_zh if lang == "zh" else state.value


def dimension_label(dimension: Dimension, lang: Lang) -> str:
    """Return an ISOOC dimension's label."""
    return dimension.label_zh if lang == "zh" else dimension.value


def source_label(source: SourceChannel, lang: Lang) -> str:
    """Return a source channel's label."""
    return source.label_zh if lang == "zh" else source.value


def instants(times: Iterable[datetime]) -> NDArray[np.datetime64]:
    """Return aware datetimes as UTC ``datetime64[us]``, which matplotlib draws as dates."""
    return np.array([t.astimezone(UTC).replace(tzinfo=None) for t in times], dtype="datetime64[us]")


def major_units(minor: float, currency: str | None) -> float:
    """Return an amount in minor units as major units of ``currency`` (fen → yuan); NaN stays."""
    if currency is None or math.isnan(minor):
        return minor
    return float(minor / 10 ** CURRENCY_MINOR_UNITS[currency])


def axes(ax: object, lang: Lang, *, polar: bool = False) -> tuple[Axes, Lang]:
    """Return the Axes to draw on (a new figure's when ``ax`` is None) and the labels' language.

    Raises
    ------
    custpool.WrongTypeError
        If ``ax`` is not a matplotlib Axes (a polar one when ``polar``).
    """
    from matplotlib.axes import Axes  # noqa: PLC0415 - the runtime class, for the check

    if ax is None:
        if polar:
            _, new = plt.subplots(subplot_kw={"projection": "polar"})
        else:
            _, new = plt.subplots()
        return new, effective_lang(lang)
    check_type("ax", ax, Axes, "a matplotlib Axes")
    assert isinstance(ax, Axes)  # noqa: S101 - for the type checker
    if polar and ax.name != "polar":
        rule = "must be a polar Axes (projection='polar')"
        raise ValidationError("ax", f"<{ax.name} Axes>", rule)
    return ax, effective_lang(lang)


def finish(artists: Iterable[Artist], lang: Lang) -> None:
    """Set the Chinese font on every text of ``artists`` (their titles, ticks, legends)."""
    if lang != "zh":
        return
    font = cjk_font()
    if font is None:  # pragma: no cover - effective_lang gives "zh" only with a font
        return
    for artist in artists:
        for text in artist.findobj(Text):
            text.set_fontfamily(font)
