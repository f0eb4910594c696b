"""The tier policy: every number the relationship tiers depend on, in one frozen model."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Annotated, Final

from pydantic import AfterValidator, Field, field_serializer, field_validator

from custpool._base import FrozenModel
from custpool._fields import NpsScore
from custpool._model import InteractionKind
from custpool._tiers.stages import NURTURE_FIRST, Paradigm

__all__ = ["WEIGHT_SCALE", "Duration", "Policy"]

_MAX_WEIGHT_DIGITS: Final = 9
WEIGHT_SCALE: Final = 100
"""Engagement weights have at most two decimals; internally they are integers × 100."""


def _positive(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        msg = f"must be a positive duration; got {value}"
        raise ValueError(msg)
    return value


Duration = Annotated[timedelta, AfterValidator(_positive)]
"""A positive length of time: the policy's windows (not :class:`~custpool.Window`, a span)."""


def _two_decimals(value: Decimal) -> Decimal:
    if (
        not value.is_finite()
        or value < 0
        or value.adjusted() > _MAX_WEIGHT_DIGITS
        or value != value.quantize(Decimal("0.01"))
    ):
        msg = f"must be a number from 0 to 10**9 with at most two decimals; got {value}"
        raise ValueError(msg)
    return value


Weight = Annotated[Decimal, AfterValidator(_two_decimals)]

_DEFAULT_WEIGHTS: Final = {InteractionKind.CONNECT: Decimal(0), InteractionKind.CHURN: Decimal(0)}
"""Engagement weights of kinds a policy does not list, where not 1: joining and leaving."""


class Policy(FrozenModel):
    """What each relationship criterion means, in numbers. Every window is half-open.

    At time ``as_of``, with windows ``(as_of - window, as_of]``:

    - **connected** (浅): a CONNECT at or before ``as_of``, and no CHURN at or after the latest
      CONNECT (a churn at the same instant as a connect wins);
    - **engaged** (粘): customer-initiated interactions (direction inbound or peer; outbound never
      counts) in the last ``engage_window`` weigh at least ``engage_min_interactions``; each
      interaction weighs ``engage_weights[kind]`` (default 1, so the weight is a count, but 0
      for CONNECT and CHURN: joining or leaving is not taking part);
    - **converted** (深): at least one PURCHASE in the last ``convert_window``;
    - **advocate** (铁): at least one REFERRAL in the last ``advocate_window`` and, if
      ``advocate_min_nps`` is set, the latest NPS answer in that window scores at least that;
    - **dormant**: connected, connected at least ``dormant_after`` ago, and no customer-initiated
      interaction in the last ``dormant_after``.

    Parameters
    ----------
    paradigm
        A :class:`Paradigm`, or the name of a built-in one.
    engage_min_interactions
        Threshold of the weighted count (> 0, at most two decimals).
    engage_window, convert_window, advocate_window, dormant_after
        Positive durations.
    engage_weights
        Weight per interaction kind (≥ 0, at most two decimals); kinds not listed weigh 1.
    advocate_min_nps
        Optional 0-10 score the latest NPS answer must reach.
    recover_window
        How long after a complaint :func:`~custpool.next_action` puts recovery first.

    Examples
    --------
    >>> p = Policy(paradigm="convert_first", engage_weights={"reaction": "0.5"})
    >>> p.paradigm.name, p.weight_of("reaction"), p.weight_of("group_post")
    ('convert_first', Decimal('0.5'), Decimal('1'))
    >>> Policy(engage_window="P0D")
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Policy
    engage_window
      Value error, must be a positive duration; got 0:00:00 ...
    """

    paradigm: Paradigm = NURTURE_FIRST
    """Order of the stages."""
    engage_min_interactions: Weight = Field(default=Decimal(3), gt=0)
    """Weighted count of customer-initiated interactions needed to be engaged."""
    engage_window: Duration = timedelta(days=30)
    """Window for engagement."""
    engage_weights: Mapping[InteractionKind, Weight] = Field(
        default_factory=lambda: MappingProxyType({})
    )
    """Weight per kind; kinds not listed weigh 1, except CONNECT and CHURN, which weigh 0."""
    convert_window: Duration = timedelta(days=365)
    """Window for conversion."""
    advocate_window: Duration = timedelta(days=365)
    """Window for advocacy (referrals and the NPS answer)."""
    advocate_min_nps: NpsScore | None = None
    """If set, the latest NPS answer in the advocacy window must reach it."""
    dormant_after: Duration = timedelta(days=90)
    """Silence after which a connected customer is dormant."""
    recover_window: Duration = timedelta(days=30)
    """How long a complaint puts recovery first in :func:`~custpool.next_action`."""

    @field_validator("engage_weights", mode="after")
    @classmethod
    def _read_only(
        cls, weights: Mapping[InteractionKind, Decimal]
    ) -> Mapping[InteractionKind, Decimal]:
        return MappingProxyType(dict(weights))

    @field_serializer("engage_weights")
    def _dump_weights(self, weights: Mapping[InteractionKind, Decimal]) -> dict[str, Decimal]:
        return {k.value: v for k, v in weights.items()}

    @field_validator("paradigm", mode="before")
    @classmethod
    def _paradigm_by_name(cls, value: object) -> object:
        return Paradigm.model_validate(value) if isinstance(value, str) else value

    def __hash__(self) -> int:
        """Hash by value (the weights mapping is read-only, so the policy is hashable)."""
        fields = [getattr(self, name) for name in type(self).model_fields]
        return hash(
            tuple(tuple(sorted(f.items())) if isinstance(f, Mapping) else f for f in fields)
        )

    def weight_of(self, kind: InteractionKind | str) -> Decimal:
        """Return the engagement weight of an interaction kind.

        1 unless ``engage_weights`` says otherwise, except CONNECT and CHURN, which weigh 0 by
        default: joining or leaving is not taking part (seed 001: people added, the group built,
        and three days later it is silent). A policy opts in by listing them.

        Examples
        --------
        >>> Policy().weight_of("connect"), Policy().weight_of("message")
        (Decimal('0'), Decimal('1'))
        >>> Policy(engage_weights={"connect": 1}).weight_of("connect")
        Decimal('1')
        """
        key = InteractionKind(kind)
        return self.engage_weights.get(key, _DEFAULT_WEIGHTS.get(key, Decimal(1)))

    def scaled_weights(self) -> dict[InteractionKind, int]:
        """Return every kind's weight as an integer number of hundredths (exact sums)."""
        return {k: int(self.weight_of(k) * WEIGHT_SCALE) for k in InteractionKind}

    @property
    def scaled_threshold(self) -> int:
        """The engagement threshold in hundredths."""
        return int(self.engage_min_interactions * WEIGHT_SCALE)
