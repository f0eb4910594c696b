"""The ISOOC health measures: what each one measures, which way is better, and how it scores."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

__all__ = ["Aim", "Dimension", "Measure", "score_against"]


class Dimension(StrEnum):
    """The five ISOOC principles (seed 000). The first four are scored; Copy is a gate.

    Examples
    --------
    >>> Dimension.OPERATE.label_zh, Dimension.COPY.scored
    ('运营', False)
    """

    INTEREST = "interest"
    """同好: the pool is built around a shared interest."""
    STRUCTURE = "structure"
    """结构: members, platform, joining rule, management norms."""
    OUTPUT = "output"
    """输出: valuable content, given steadily."""
    OPERATE = "operate"
    """运营: ritual, participation, organisation, belonging."""
    COPY = "copy"
    """复制: whether the pool is ready to be copied (a gate, not a score)."""

    @property
    def label_zh(self) -> str:
        """The Chinese name."""
        return _DIMENSION_ZH[self]

    @property
    def scored(self) -> bool:
        """Whether the dimension is scored and averaged (all but Copy)."""
        return self is not Dimension.COPY


_DIMENSION_ZH: Final = MappingProxyType(
    {
        Dimension.INTEREST: "同好",
        Dimension.STRUCTURE: "结构",
        Dimension.OUTPUT: "输出",
        Dimension.OPERATE: "运营",
        Dimension.COPY: "复制",
    }
)


class Aim(StrEnum):
    """Which way a measure is better: at least its target, at most it, or within a range."""

    AT_LEAST = "at_least"
    """Score ``100 × min(1, raw / target)``."""
    AT_MOST = "at_most"
    """Score 100 up to the target, then ``100 × target / raw``."""
    WITHIN = "within"
    """Score 100 in ``[low, high]``; ``100 × raw / low`` below, ``100 × high / raw`` above."""


@dataclass(frozen=True, slots=True)
class _About:
    dimension: Dimension
    aim: Aim
    unit: str
    label: str
    label_zh: str
    default_target: float | None  # None: the target comes from the charter


class Measure(StrEnum):
    """One measured aspect of a pool's health, named ``<dimension>.<what>``.

    Examples
    --------
    >>> m = Measure.OPERATE_PARTICIPATION
    >>> m.value, m.dimension.value, m.aim.value, m.label_zh
    ('operate.participation', 'operate', 'at_least', '参与感：活跃率')
    >>> Measure.OUTPUT_REGULARITY.default_target, Measure.STRUCTURE_SIZE.default_target is None
    (0.5, True)
    """

    INTEREST_MEMBERS = "interest.members"
    """Share of members carrying at least one of the charter's interest tags."""
    INTEREST_CONTENT = "interest.content"
    """Share of content published in the window whose topics hit the charter's interests."""
    STRUCTURE_SIZE = "structure.size"
    """Members, against the charter's target size range."""
    STRUCTURE_DEPTH = "structure.depth"
    """Share of members beyond CONNECTED (engaged, converted or advocate)."""
    STRUCTURE_ADVOCATES = "structure.advocates"
    """Share of members who are advocates (铁)."""
    STRUCTURE_SPREAD = "structure.spread"
    """The fewest members making half the members' own interactions, per 100 active members."""
    STRUCTURE_PLATFORMS = "structure.platforms"
    """Share of the charter's platforms that members used in the window."""
    STRUCTURE_JOINING = "structure.joining"
    """Share of members satisfying the charter's joining rule."""
    STRUCTURE_NORMS = "structure.norms"
    """Management norms declared in the charter."""
    STRUCTURE_COMPLAINTS = "structure.complaints"
    """Complaints in the window per member."""
    OUTPUT_CADENCE = "output.cadence"
    """Content published per week in the window, against the charter's content cadence."""
    OUTPUT_REGULARITY = "output.regularity"
    """Coefficient of variation of the gaps between publications (lower is steadier)."""
    OUTPUT_REACH = "output.reach"
    """Members' views per item per member, for content published in the window."""
    OPERATE_RITUALS = "operate.rituals"
    """Ritual events held per week in the window, against the charter's ritual cadence."""
    OPERATE_ATTENDANCE = "operate.attendance"
    """Average share of members attending each ritual held in the window."""
    OPERATE_PARTICIPATION = "operate.participation"
    """Activity rate: share of members with an interaction of their own in the window."""
    OPERATE_ROLES = "operate.roles"
    """Operators and advocates per 100 members."""
    OPERATE_REPLY_HOURS = "operate.reply_hours"
    """Median hours until an operator replies to a member's message (in the window)."""
    OPERATE_RETENTION = "operate.retention"
    """Share of the members of one retention period ago who are still members."""
    OPERATE_PEER_SHARE = "operate.peer_share"
    """Share of members' own interactions in the window that are member-to-member."""
    COPY_CAPACITY = "copy.capacity"
    """Members per operator, against the charter's operator capacity."""

    @property
    def dimension(self) -> Dimension:
        """The ISOOC dimension the measure belongs to."""
        return _ABOUT[self].dimension

    @property
    def aim(self) -> Aim:
        """Which way is better."""
        return _ABOUT[self].aim

    @property
    def unit(self) -> str:
        """The unit of the raw value: ``share``, ``members``, ``per week``, ``hours`` and so on."""
        return _ABOUT[self].unit

    @property
    def label(self) -> str:
        """A short English label."""
        return _ABOUT[self].label

    @property
    def label_zh(self) -> str:
        """A short Chinese label."""
        return _ABOUT[self].label_zh

    @property
    def default_target(self) -> float | None:
        """The default target of :class:`~custpool.HealthPolicy`; None if the charter sets it."""
        return _ABOUT[self].default_target

    @property
    def charter_target(self) -> bool:
        """Whether the target comes from the charter (size, cadences, operator capacity)."""
        return _ABOUT[self].default_target is None


_I, _S, _O, _P, _C = (
    Dimension.INTEREST,
    Dimension.STRUCTURE,
    Dimension.OUTPUT,
    Dimension.OPERATE,
    Dimension.COPY,
)
_UP, _DOWN, _IN = Aim.AT_LEAST, Aim.AT_MOST, Aim.WITHIN
_ABOUT: Final = MappingProxyType(
    {
        Measure.INTEREST_MEMBERS: _About(
            _I, _UP, "share", "members sharing an interest", "同好成员占比", 0.8
        ),
        Measure.INTEREST_CONTENT: _About(
            _I, _UP, "share", "content on the interests", "内容契合同好", 0.8
        ),
        Measure.STRUCTURE_SIZE: _About(_S, _IN, "members", "pool size", "成员规模", None),
        Measure.STRUCTURE_DEPTH: _About(
            _S, _UP, "share", "members beyond connected", "浅层以上成员占比", 0.5
        ),
        Measure.STRUCTURE_ADVOCATES: _About(_S, _UP, "share", "advocates", "铁杆成员占比", 0.05),
        Measure.STRUCTURE_SPREAD: _About(
            _S, _UP, "per 100 active", "spread of activity", "活跃分散度", 20.0
        ),
        Measure.STRUCTURE_PLATFORMS: _About(
            _S, _UP, "share", "platforms in use", "交流平台使用率", 1.0
        ),
        Measure.STRUCTURE_JOINING: _About(
            _S, _UP, "share", "members fitting the joining rule", "符合加入原则", 0.95
        ),
        Measure.STRUCTURE_NORMS: _About(_S, _UP, "norms", "management norms", "管理规范", 2.0),
        Measure.STRUCTURE_COMPLAINTS: _About(_S, _DOWN, "per member", "complaints", "投诉率", 0.02),
        Measure.OUTPUT_CADENCE: _About(
            _O, _UP, "per week", "content cadence", "内容输出频率", None
        ),
        Measure.OUTPUT_REGULARITY: _About(
            _O, _DOWN, "CV", "regularity of publishing", "输出稳定性", 0.5
        ),
        Measure.OUTPUT_REACH: _About(
            _O, _UP, "views per item per member", "content reach", "内容触达", 0.2
        ),
        Measure.OPERATE_RITUALS: _About(
            _P, _UP, "per week", "ritual cadence", "仪式感：仪式频率", None
        ),
        Measure.OPERATE_ATTENDANCE: _About(
            _P, _UP, "share", "ritual attendance", "仪式感：出席率", 0.1
        ),
        Measure.OPERATE_PARTICIPATION: _About(
            _P, _UP, "share", "participation", "参与感：活跃率", 0.3
        ),
        Measure.OPERATE_ROLES: _About(
            _P, _UP, "per 100 members", "operators and advocates", "组织感：角色", 5.0
        ),
        Measure.OPERATE_REPLY_HOURS: _About(
            _P, _DOWN, "hours", "reply time", "组织感：回复时长", 4.0
        ),
        Measure.OPERATE_RETENTION: _About(_P, _UP, "share", "retention", "归属感：留存率", 0.8),
        Measure.OPERATE_PEER_SHARE: _About(
            _P, _UP, "share", "member-to-member", "归属感：成员互动", 0.2
        ),
        Measure.COPY_CAPACITY: _About(
            _C, _DOWN, "members per operator", "operator load", "运营者负荷", None
        ),
    }
)


def score_against(aim: Aim, raw: float, target: float, high: float | None = None) -> float:
    """Score a raw value against its target, from 0 to 100 (linear, capped at 100).

    Parameters
    ----------
    aim
        Which way is better.
    raw
        The measured value (non-negative).
    target
        The target (positive); for :attr:`Aim.WITHIN`, the low end of the range (may be 0).
    high
        For :attr:`Aim.WITHIN`, the high end of the range.

    Returns
    -------
    float

    Examples
    --------
    >>> score_against(Aim.AT_LEAST, 0.15, 0.3)  # half the target
    50.0
    >>> score_against(Aim.AT_MOST, 8.0, 4.0), score_against(Aim.AT_MOST, 3.0, 4.0)
    (50.0, 100.0)
    >>> [score_against(Aim.WITHIN, n, 100, 500) for n in (50, 300, 1000)]
    [50.0, 100.0, 50.0]
    """
    if aim is Aim.AT_LEAST:
        value = 100.0 * raw / target if raw < target else 100.0
    elif aim is Aim.AT_MOST:
        value = 100.0 if raw <= target else 100.0 * target / raw
    else:
        top = target if high is None else high
        if raw < target:
            value = 100.0 * raw / target
        elif raw > top:
            value = 100.0 * top / raw
        else:
            value = 100.0
    return min(100.0, max(0.0, value)) if math.isfinite(value) else 0.0
