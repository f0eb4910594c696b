"""What :func:`~custpool.pool_readiness` returns: its policy, each check's reading, each item, the report.

:class:`ReadinessPolicy` (targets and windows), :class:`CheckReading`, :class:`ItemReadiness` and
:class:`PoolReadiness` (which prints, renders as HTML and converts to a frame).
"""  # noqa: E501 - a one-line summary

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, Final

import numpy as np
from pydantic import Field

from custpool._base import FrozenModel
from custpool._display import Cell, Count, Displayed, Phrase, Report, Section, Text, Time, resolve
from custpool._frames import ColumnType, build_frame
from custpool._health.measures import Aim
from custpool._health.policy import BoundedDuration, HealthPolicy
from custpool._health.readiness_items import (
    PoolVerdict,
    ReadinessCheck,
    ReadinessItem,
    ReadinessStatus,
)
from custpool._time import to_micros

__all__ = ["CheckReading", "ItemReadiness", "PoolReadiness", "ReadinessPolicy"]


def _share_target(default: float) -> Any:  # noqa: ANN401 - a pydantic field
    return Field(default=default, gt=0, le=1, allow_inf_nan=False)


class ReadinessPolicy(FrozenModel):
    """Targets and windows of :func:`~custpool.pool_readiness`.

    The checks that reuse a health reading take their target and window from ``health``
    (:class:`~custpool.HealthPolicy`): reply time (4 h), participation (30%), member-to-member
    share (20%), management norms (2) and, per cause, complaints per member (0.02). The others
    have their own targets here. Seed 001 gives no numbers; each default says where it comes
    from (docs/readiness.md).

    Parameters
    ----------
    health
        The health policy: the window ``(as_of - window, as_of]`` of the measured checks (30
        days), the tier policy that decides who is a member, and the reused targets.
    sales_window
        How far back sales and repurchase look (90 days: health's retention period; buying is
        rarer than talking, and a month without a sale is not "no sales").
    min_interests
        Interest tags the positioning needs (1: seed 001's "关键点、标签要找出来", find the tags).
    min_endorsements
        Endorsements (2: "背书的厚度", thickness — more than one voice vouching; health asks 2
        norms likewise).
    conversation_share
        Members in one-to-one chat (10%: a third of health's 30% participation target).
    event_share
        Members attending an event (10%: health's ritual attendance target).
    visit_share
        Members visiting a store (10%: as events — coming somewhere in person).
    group_post_share
        Members posting in a group (10%: a third of health's participation target).
    repurchase_rate
        Repurchase rate over the sales window (20%: a fifth of buyers buying again; no seed
        gives a number, tune it to your trade).
    sticking_ways
        Ways of sticking that must hold for stickiness (2: seed 004 — a tie held by the product
        alone is the most common and the most fragile).

    Examples
    --------
    >>> p = ReadinessPolicy(min_endorsements=3)
    >>> p.min_endorsements, p.sales_window.days, p.health.window.days
    (3, 90, 30)
    >>> ReadinessPolicy(sticking_ways=5)
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for ReadinessPolicy
    sticking_ways
      Input should be less than or equal to 4 ...
    """

    health: HealthPolicy = HealthPolicy()
    """Window, tier policy and the targets of the reused health readings."""
    sales_window: BoundedDuration = timedelta(days=90)
    """Window of sales and repurchase."""
    min_interests: int = Field(default=1, ge=1, le=1000)
    """Interest tags the positioning needs."""
    min_endorsements: int = Field(default=2, ge=1, le=1000)
    """Endorsements needed."""
    conversation_share: float = _share_target(0.1)
    """Share of members in one-to-one chat."""
    event_share: float = _share_target(0.1)
    """Share of members attending an event."""
    visit_share: float = _share_target(0.1)
    """Share of members visiting a store."""
    group_post_share: float = _share_target(0.1)
    """Share of members posting in a group."""
    repurchase_rate: float = _share_target(0.2)
    """Repurchase rate over the sales window."""
    sticking_ways: int = Field(default=2, ge=1, le=4)
    """Ways of sticking that must hold."""


@dataclass(frozen=True, slots=True)
class CheckReading:
    """One check: its raw value (None: not measured), target, 0–100 score and why.

    Attributes
    ----------
    check
        Which check.
    raw
        The value, in :attr:`ReadinessCheck.unit`; None when not measured.
    target
        The target: at least it, or at most it (:attr:`ReadinessCheck.aim`).
    score
        How close ``raw`` is to the target, 0 to 100 (:func:`~custpool.score_against`); None
        when not measured.
    explanation
        The numbers behind ``raw``, or why it is not measured.
    """

    check: ReadinessCheck
    raw: float | None
    target: float
    score: float | None
    explanation: str

    @property
    def status(self) -> ReadinessStatus:
        """Passed when ``raw`` meets the target, failed when not, else not measured."""
        if self.raw is None:
            return ReadinessStatus.NOT_MEASURED
        met = self.raw >= self.target if self.check.aim is Aim.AT_LEAST else self.raw <= self.target
        return ReadinessStatus.PASSED if met else ReadinessStatus.FAILED

    def __str__(self) -> str:
        """Return ``check: status (raw against target) — explanation``."""
        if self.raw is None:
            return f"{self.check.value}: not measured — {self.explanation}"
        word = "at least" if self.check.aim is Aim.AT_LEAST else "at most"
        unit = self.check.unit
        return (
            f"{self.check.value}: {self.status.value} ({_number(self.raw, unit)} against {word} "
            f"{_number(self.target, unit)}) — {self.explanation}"
        )


_SIGN: Final = {Aim.AT_LEAST: "≥", Aim.AT_MOST: "≤", Aim.WITHIN: "within"}


def _number(value: float, unit: str) -> str:
    if unit == "share":
        return f"{value:.1%}"
    if unit == "per member":
        return f"{value:.3f}"
    return f"{value:,.0f}" if value == int(value) else f"{value:.1f}"


@dataclass(frozen=True, slots=True)
class ItemReadiness:
    """One of the six steps or four ways: its status, its checks and what to do.

    Attributes
    ----------
    item
        Which step or way.
    status
        Passed when every check passes; not measured when a check is; else failed.
    checks
        Its checks, in report order.
    advice, advice_zh
        What to do, in English and Chinese: seed 001's fix when failed, the data to record when
        not measured, and ``""`` when passed.
    """

    item: ReadinessItem
    status: ReadinessStatus
    checks: tuple[CheckReading, ...]
    advice: str
    advice_zh: str

    @property
    def reason(self) -> str:
        """Why the item is not measured (the unmeasured checks' reasons), else ``""``."""
        return "; ".join(c.explanation for c in self.checks if c.raw is None)

    def check(self, check: ReadinessCheck | str) -> CheckReading:
        """Return one of the item's checks."""
        wanted = ReadinessCheck(check)
        return next(c for c in self.checks if c.check is wanted)


@dataclass(frozen=True, slots=True)
class PoolReadiness(Displayed):
    """A pool's readiness at one instant: see :func:`~custpool.pool_readiness`.

    Attributes
    ----------
    as_of
        The instant looked at.
    window_start
        Start of the window ``(window_start, as_of]`` of the measured checks.
    sales_start
        Start of the sales window ``(sales_start, as_of]``.
    members
        Customers connected at ``as_of``.
    items
        The six steps then the four ways, in seed 001's order.
    verdict
        Seed 001's verdict: :attr:`PoolVerdict.NO_POOL` exactly when a brand, activity or sales
        is missing.
    brand
        The charter's brand (None: no brand).
    active_members
        Members who took part on their own in the window (0: no activity).
    buyers
        Customers who bought in the sales window; None when purchases are not recorded.
    verdict_reasons, verdict_reasons_zh
        What is missing or unknown, one line each, in English and Chinese.
    """

    as_of: datetime
    window_start: datetime
    sales_start: datetime
    members: int
    items: tuple[ItemReadiness, ...]
    verdict: PoolVerdict
    brand: str | None
    active_members: int
    buyers: int | None
    verdict_reasons: tuple[str, ...]
    verdict_reasons_zh: tuple[str, ...]

    def item(self, item: ReadinessItem | str) -> ItemReadiness:
        """Return one step or way."""
        wanted = ReadinessItem(item)
        return next(i for i in self.items if i.item is wanted)

    def check(self, check: ReadinessCheck | str) -> CheckReading:
        """Return one check."""
        wanted = ReadinessCheck(check)
        return self.item(wanted.item).check(wanted)

    def with_status(self, status: ReadinessStatus | str) -> tuple[ReadinessItem, ...]:
        """Return the items of one status, in order."""
        wanted = ReadinessStatus(status)
        return tuple(i.item for i in self.items if i.status is wanted)

    def __repr__(self) -> str:
        """Return a one-line summary."""
        counts = ", ".join(f"{len(self.with_status(s))} {s.value}" for s in ReadinessStatus)
        return f"PoolReadiness({self.as_of:%Y-%m-%d}: {counts}; verdict {self.verdict.value})"

    def __format__(self, spec: str) -> str:
        """Format as ``to_text(spec)``: ``f"{readiness:zh}"`` is the Chinese report."""
        return self.to_text(spec or None)

    def to_text(self, lang: str | None = None, tz: str | tzinfo | None = None) -> str:
        """Return a readable report: the verdict, then each item with its checks and advice.

        Parameters
        ----------
        lang
            ``"en"`` or ``"zh"``: the language of the headings, labels, statuses and advice
            (the explanations of the numbers are in English in both); None takes
            ``custpool.display.lang``.
        tz
            The zone the date of ``as_of`` is read in; None takes ``custpool.display.tz``.

        Raises
        ------
        custpool.ValidationError
            If ``lang`` or ``tz`` is not valid.
        """
        lang, zone, _ = resolve(lang, tz)
        as_of = self.as_of.astimezone(zone)
        zh = lang == "zh"
        if zh:
            head = (
                f"客户池准备度（{as_of:%Y-%m-%d}，成员 {self.members:,} 人）："
                f"{self.verdict.label_zh}"
            )
        else:
            head = (
                f"Pool readiness at {as_of:%Y-%m-%d} ({self.members:,} members): "
                f"{self.verdict.value.replace('_', ' ')}"
            )
        lines = [head]
        lines.extend(f"  - {r}" for r in (self.verdict_reasons_zh if zh else self.verdict_reasons))
        for it in self.items:
            name = it.item.label_zh if zh else f"{it.item.value} {it.item.label_zh}"
            status = it.status.label_zh if zh else it.status.value.replace("_", " ")
            number = "  ·" if it.item.way else f"{it.item.step}."
            lines.append(f"{number} {name}: {status}")
            lines.extend(f"     {_check_line(c, zh=zh)}" for c in it.checks)
            advice = it.advice_zh if zh else it.advice
            if advice:
                lines.append(f"     → {advice}")
        return "\n".join(lines)

    def _report(self) -> Report:
        """Return the verdict and its reasons, each item's status and advice, then each check."""
        head: list[tuple[Cell, ...]] = [
            (
                Text("verdict", "结论"),
                Text(self.verdict.value.replace("_", " "), self.verdict.label_zh),
            ),
            (Text("members", "成员"), Count(self.members)),
        ]
        head.extend(
            (Text("why", "原因"), Text(en, zh))
            for en, zh in zip(self.verdict_reasons, self.verdict_reasons_zh, strict=True)
        )
        items = tuple(
            (
                Text(f"{'·' if it.item.way else it.item.step} {it.item.value}", it.item.label_zh),
                Text(it.status.value.replace("_", " "), it.status.label_zh),
                Text(it.advice, it.advice_zh),
            )
            for it in self.items
        )
        checks = tuple(
            (
                Text(c.check.value, c.check.label_zh),
                Text(c.status.value.replace("_", " "), c.status.label_zh),
                Text(
                    "n/a" if c.raw is None else _number(c.raw, c.check.unit),
                    "无" if c.raw is None else None,
                ),
                Text(f"{_SIGN[c.check.aim]} {_number(c.target, c.check.unit)}"),
                Text(c.explanation),
            )
            for it in self.items
            for c in it.checks
        )
        title = Phrase(Text("pool readiness at", "客户池准备度，截至"), Time(self.as_of))
        return Report(
            title,
            (
                Section(tuple(head)),
                Section(
                    items,
                    title=Text("six steps and four ways", "六步与四种粘人方式"),
                    columns=(Text("item", "项目"), Text("status", "状态"), Text("advice", "建议")),
                ),
                Section(
                    checks,
                    title=Text("checks", "检查项"),
                    columns=(
                        Text("check", "检查"),
                        Text("status", "状态"),
                        Text("value", "数值"),
                        Text("target", "目标"),
                        Text("why", "说明"),
                    ),
                ),
            ),
        )

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return one row per check, in report order.

        Columns: ``as_of`` (in ``tz``); ``step``; ``item``, ``item_zh``, ``item_status``;
        ``check``, ``check_zh``; ``declared`` (from the charter, not the data);
        ``health_measure`` (the health measure reused, null if none); ``unit``; ``aim``;
        ``raw``, ``target``, ``score`` (``raw`` and ``score`` null when not measured, never
        0); ``status``; ``why``; ``needs`` (the data that measures the check); ``advice`` and
        ``advice_zh`` (the item's; empty when it passed). The verdict is one value per report:
        read it off the report.

        Parameters
        ----------
        backend
            ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (the ``frames`` extra).
        tz
            The zone ``as_of`` is shown in (an IANA name or ``datetime.UTC``; default UTC).

        Returns
        -------
        pandas.DataFrame, polars.DataFrame or pyarrow.Table

        Raises
        ------
        custpool.ValidationError
            If ``backend`` or ``tz`` is not one of those allowed.
        custpool.MissingDependencyError
            If narwhals or the backend is not installed.

        Examples
        --------
        >>> from custpool import EXAMPLE_START, EventTable, example_pool, pool_readiness
        >>> pool = example_pool()
        >>> table = EventTable.from_interactions(pool.interactions)
        >>> frame = pool_readiness(pool.charter, table, EXAMPLE_START.replace(day=25)).to_frame(
        ...     "polars")
        >>> frame.height, frame.columns[:5]
        (17, ['as_of', 'step', 'item', 'item_zh', 'item_status'])
        """
        rows = [(it, c) for it in self.items for c in it.checks]
        columns: dict[str, object] = {
            "as_of": np.full(len(rows), to_micros(self.as_of), dtype=np.int64),
            "step": np.array([it.item.step for it, _ in rows], dtype=np.int64),
            "item": np.array([it.item.value for it, _ in rows], dtype=np.str_),
            "item_zh": np.array([it.item.label_zh for it, _ in rows], dtype=np.str_),
            "item_status": np.array([it.status.value for it, _ in rows], dtype=np.str_),
            "check": np.array([c.check.value for _, c in rows], dtype=np.str_),
            "check_zh": np.array([c.check.label_zh for _, c in rows], dtype=np.str_),
            "declared": np.array([it.item.declared for it, _ in rows], dtype=np.bool_),
            "health_measure": [
                None if c.check.health_measure is None else c.check.health_measure.value
                for _, c in rows
            ],
            "unit": np.array([c.check.unit for _, c in rows], dtype=np.str_),
            "aim": np.array([c.check.aim.value for _, c in rows], dtype=np.str_),
            "raw": [c.raw for _, c in rows],
            "target": np.array([c.target for _, c in rows], dtype=np.float64),
            "score": [c.score for _, c in rows],
            "status": np.array([c.status.value for _, c in rows], dtype=np.str_),
            "why": np.array([c.explanation for _, c in rows], dtype=np.str_),
            "needs": np.array([c.check.needs for _, c in rows], dtype=np.str_),
            "advice": np.array([it.advice for it, _ in rows], dtype=np.str_),
            "advice_zh": np.array([it.advice_zh for it, _ in rows], dtype=np.str_),
        }
        dtypes: dict[str, ColumnType] = {"health_measure": "str", "raw": "float", "score": "float"}
        return build_frame(columns, backend=backend, times=("as_of",), tz=tz, dtypes=dtypes)


def _check_line(c: CheckReading, *, zh: bool) -> str:
    if not zh:
        return str(c)
    label = f"{c.check.label_zh}（{c.check.value}）"
    if c.raw is None:
        return f"{label}：未测量 — {c.explanation}"
    word = "至少" if c.check.aim is Aim.AT_LEAST else "至多"
    unit = c.check.unit
    return (
        f"{label}：{c.status.label_zh}（{_number(c.raw, unit)}，目标{word} "
        f"{_number(c.target, unit)}）— {c.explanation}"
    )
