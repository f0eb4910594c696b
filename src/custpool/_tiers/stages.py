"""The relationship ladder: stages 浅 · 粘 · 深 · 铁, customer states, paradigms."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from pydantic import field_validator, model_validator

from custpool._base import FrozenModel
from custpool._errors import ValidationError
from custpool._fields import Identifier

__all__ = [
    "CONVERT_FIRST",
    "NURTURE_FIRST",
    "BusinessType",
    "Paradigm",
    "Stage",
    "State",
    "paradigm_for",
]


class Stage(StrEnum):
    """A relationship tier, named by its criterion (seed 003).

    Examples
    --------
    >>> [s.label_zh for s in Stage]
    ['浅', '粘', '深', '铁']
    """

    CONNECTED = "connected"
    """浅 shallow: we hold a way to reach them."""
    ENGAGED = "engaged"
    """粘 sticky: frequent customer-initiated interaction."""
    CONVERTED = "converted"
    """深 deep: they buy."""
    ADVOCATE = "advocate"
    """铁 iron: they refer new customers (trust agents, fission)."""

    @property
    def label_zh(self) -> str:
        """The Chinese tier label."""
        return _STAGE_ZH[self]

    @property
    def state(self) -> State:
        """The :class:`State` of a customer standing at this stage."""
        return State(self.value)


_STAGE_ZH: Final = {
    Stage.CONNECTED: "浅",
    Stage.ENGAGED: "粘",
    Stage.CONVERTED: "深",
    Stage.ADVOCATE: "铁",
}


class State(StrEnum):
    """Where a customer is: never connected, at a stage, dormant, or churned.

    The order of the members is the engine's integer code (PROSPECT = 0 … CHURNED = 6).

    Examples
    --------
    >>> State.DORMANT.label_zh, State.ADVOCATE.stage
    ('沉睡', <Stage.ADVOCATE: 'advocate'>)
    >>> State.PROSPECT.stage is None
    True
    """

    PROSPECT = "prospect"
    """Never connected: no way to reach them yet."""
    CONNECTED = "connected"
    """At stage 浅."""
    ENGAGED = "engaged"
    """At stage 粘."""
    CONVERTED = "converted"
    """At stage 深."""
    ADVOCATE = "advocate"
    """At stage 铁."""
    DORMANT = "dormant"
    """Connected, but silent for too long."""
    CHURNED = "churned"
    """Left after their latest connection."""

    @property
    def label_zh(self) -> str:
        """The Chinese label."""
        return _STATE_ZH[self]

    @property
    def stage(self) -> Stage | None:
        """The stage this state stands for, or None (PROSPECT, DORMANT, CHURNED)."""
        return Stage(self.value) if self.value in _STAGE_VALUES else None

    @property
    def code(self) -> int:
        """Small integer code, stable across versions (the engine's column value)."""
        return _STATE_CODES[self]


_STAGE_VALUES: Final = frozenset(s.value for s in Stage)
_STATE_CODES: Final = {s: n for n, s in enumerate(State)}
_STATE_ZH: Final = {
    State.PROSPECT: "潜在",
    State.CONNECTED: "浅",
    State.ENGAGED: "粘",
    State.CONVERTED: "深",
    State.ADVOCATE: "铁",
    State.DORMANT: "沉睡",
    State.CHURNED: "流失",
}


class Paradigm(FrozenModel):
    """The order in which a customer climbs the stages.

    Every paradigm starts at CONNECTED and holds each of the four stages exactly once. Two are
    built in: :data:`NURTURE_FIRST` (know → court → marry → children: connect, engage, convert,
    refer) and :data:`CONVERT_FIRST` (brand-led, necessity, standardised and convenience
    businesses: connect, convert, engage, refer). Where a paradigm is expected, the name of a
    built-in one is accepted too.

    Examples
    --------
    >>> NURTURE_FIRST.stages[1], CONVERT_FIRST.stages[1]
    (<Stage.ENGAGED: 'engaged'>, <Stage.CONVERTED: 'converted'>)
    >>> Paradigm(name="mine", stages=["connected", "converted", "advocate", "engaged"]).name
    'mine'
    >>> Paradigm(name="bad", stages=["engaged", "connected", "converted", "advocate"])
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Paradigm
    stages
      Value error, a paradigm must start with connected; got engaged first ...
    """

    name: Identifier
    """A name for reports and diagrams."""
    stages: tuple[Stage, ...]
    """The four stages, CONNECTED first."""

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, data: object) -> object:
        if isinstance(data, str):
            try:
                return BUILT_IN_PARADIGMS[data].model_dump()
            except KeyError:
                known = ", ".join(BUILT_IN_PARADIGMS)
                msg = f"unknown paradigm {data!r}; use one of {known} or give stages"
                raise ValueError(msg) from None
        return data

    @model_validator(mode="after")
    def _built_in_names_are_reserved(self) -> Paradigm:
        built_in = BUILT_IN_PARADIGMS.get(self.name)
        if built_in is not None and built_in.stages != self.stages:
            msg = f"the name {self.name!r} is a built-in paradigm's; give yours another name"
            raise ValueError(msg)
        return self

    @field_validator("stages")
    @classmethod
    def _well_formed(cls, stages: tuple[Stage, ...]) -> tuple[Stage, ...]:
        if not stages or stages[0] is not Stage.CONNECTED:
            first = stages[0].value if stages else "nothing"
            msg = f"a paradigm must start with connected; got {first} first"
            raise ValueError(msg)
        if len(set(stages)) != len(stages) or set(stages) != set(Stage):
            listed = ", ".join(s.value for s in stages)
            msg = f"a paradigm must hold each of the four stages exactly once; got {listed}"
            raise ValueError(msg)
        return stages

    def index(self, stage: Stage) -> int:
        """Return the position of ``stage`` in this paradigm (CONNECTED is 0)."""
        return self.stages.index(stage)

    def after(self, stage: Stage | None) -> Stage | None:
        """Return the stage after ``stage`` (CONNECTED after None), or None at the top."""
        if stage is None:
            return self.stages[0]
        position = self.index(stage) + 1
        return self.stages[position] if position < len(self.stages) else None

    def __str__(self) -> str:
        """Return e.g. ``nurture_first: 浅 → 粘 → 深 → 铁``."""
        return f"{self.name}: " + " → ".join(s.label_zh for s in self.stages)


NURTURE_FIRST: Final = Paradigm.model_construct(
    name="nurture_first",
    stages=(Stage.CONNECTED, Stage.ENGAGED, Stage.CONVERTED, Stage.ADVOCATE),
)
"""Connect → engage → convert → advocate: ordinary businesses whose products carry no trust yet."""

CONVERT_FIRST: Final = Paradigm.model_construct(
    name="convert_first",
    stages=(Stage.CONNECTED, Stage.CONVERTED, Stage.ENGAGED, Stage.ADVOCATE),
)
"""Connect → convert → engage → advocate: brand-led, necessity, standardised, convenience."""

BUILT_IN_PARADIGMS: Final = {p.name: p for p in (NURTURE_FIRST, CONVERT_FIRST)}


class BusinessType(StrEnum):
    """Kinds of business, as seed 003 sorts them by which paradigm fits."""

    ORDINARY = "ordinary"
    """Products that carry no trust yet: nurture first."""
    BRAND = "brand"
    """Brand-led: convert first."""
    NECESSITY = "necessity"
    """Necessities (刚需): convert first."""
    STANDARDISED = "standardised"
    """Standardised products: convert first."""
    CONVENIENCE = "convenience"
    """Convenience purchases: convert first."""


def paradigm_for(business: BusinessType | str) -> Paradigm:
    """Return the paradigm that fits a kind of business.

    Examples
    --------
    >>> paradigm_for("necessity").name, paradigm_for(BusinessType.ORDINARY).name
    ('convert_first', 'nurture_first')
    """
    try:
        kind = BusinessType(business)
    except ValueError:
        known = ", ".join(b.value for b in BusinessType)
        raise ValidationError("business", business, f"must be one of {known}") from None
    return NURTURE_FIRST if kind is BusinessType.ORDINARY else CONVERT_FIRST


def _check_built_ins() -> None:
    for paradigm in BUILT_IN_PARADIGMS.values():
        Paradigm.model_validate(paradigm.model_dump())


_check_built_ins()
