"""The health policy: every target, weight, window and threshold of the ISOOC health score."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import timedelta
from types import MappingProxyType
from typing import Annotated, Self

from pydantic import AfterValidator, Field, field_serializer, field_validator, model_validator

from custpool._base import FrozenModel
from custpool._health.measures import Dimension, Measure
from custpool._tiers import Duration, Policy

__all__ = ["BoundedDuration", "HealthPolicy"]

Score = float


def _at_most_a_century(value: timedelta) -> timedelta:
    if value > timedelta(days=36_525):
        msg = f"must be at most 100 years (36,525 days); got {value}"
        raise ValueError(msg)
    return value


BoundedDuration = Annotated[Duration, AfterValidator(_at_most_a_century)]
"""A positive length of time of at most a century: the health windows."""


class HealthPolicy(FrozenModel):
    """Targets, weights, windows and thresholds of :func:`~custpool.score_health`.

    ``targets`` and ``weights`` list only what differs from the defaults
    (:attr:`Measure.default_target`, weight 1); :meth:`target_of` and :meth:`weight_of` give the
    values in force. The size range, the two cadences and the operator capacity are the
    charter's, not the policy's.

    Parameters
    ----------
    window
        The window ``(as_of - window, as_of]`` of the activity-based measures (30 days).
    retention_period
        How far back retention looks (90 days).
    tiers
        The tier :class:`~custpool.Policy` members are classified with.
    targets
        Targets that differ from the defaults: positive; shares at most 1.
    weights
        Measure weights that differ from 1 (≥ 0; 0 leaves a measure out of every average).
    dimension_weights
        Weights of Interest, Structure, Output and Operate in the overall score (default 1).
    copy_threshold
        The score each of the four must reach for the Copy gate (70).
    healthy_at, at_risk_at
        Band thresholds: HEALTHY at ``healthy_at`` (80) or more, AT_RISK at ``at_risk_at``
        (60) or more, else UNHEALTHY.

    Examples
    --------
    >>> p = HealthPolicy(targets={"operate.participation": 0.4}, weights={"structure.norms": 0})
    >>> p.target_of("operate.participation"), p.target_of("operate.retention")
    (0.4, 0.8)
    >>> p.weight_of("structure.norms"), p.weight_of("structure.depth")
    (0.0, 1.0)
    >>> HealthPolicy(targets={"operate.retention": 1.5})
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for HealthPolicy
    targets
      Value error, targets['operate.retention'] = 1.5: a share's target must be in (0, 1] ...
    """

    window: BoundedDuration = timedelta(days=30)
    """Window of the activity-based measures."""
    retention_period: BoundedDuration = timedelta(days=90)
    """How far back retention looks."""
    tiers: Policy = Policy()
    """The tier policy members are classified with."""
    targets: Mapping[Measure, float] = Field(default_factory=dict)
    """Targets that differ from :attr:`Measure.default_target`."""
    weights: Mapping[Measure, float] = Field(default_factory=dict)
    """Measure weights that differ from 1."""
    dimension_weights: Mapping[Dimension, float] = Field(default_factory=dict)
    """Weights of the four scored dimensions that differ from 1."""
    copy_threshold: Score = Field(default=70.0, ge=0, le=100)
    """Score each of the four must reach before the pool is copied."""
    healthy_at: Score = Field(default=80.0, ge=0, le=100)
    """Overall score from which the pool is HEALTHY."""
    at_risk_at: Score = Field(default=60.0, ge=0, le=100)
    """Overall score from which the pool is AT_RISK (below it: UNHEALTHY)."""

    @field_validator("targets", mode="after")
    @classmethod
    def _check_targets(cls, targets: Mapping[Measure, float]) -> Mapping[Measure, float]:
        for measure, value in targets.items():
            where = f"targets[{measure.value!r}] = {value}"
            if measure.charter_target:
                msg = f"{where}: this target is the charter's, set it there"
                raise ValueError(msg)
            if not math.isfinite(value) or value <= 0:
                msg = f"{where}: a target must be a positive number"
                raise ValueError(msg)
            if measure.unit == "share" and value > 1:
                msg = f"{where}: a share's target must be in (0, 1]"
                raise ValueError(msg)
        return MappingProxyType(dict(targets))

    @field_validator("weights", "dimension_weights", mode="after")
    @classmethod
    def _check_weights(
        cls, weights: Mapping[Measure | Dimension, float]
    ) -> Mapping[Measure | Dimension, float]:
        for key, value in weights.items():
            if isinstance(key, Dimension) and not key.scored:
                msg = "Copy is a gate, not a weighted dimension"
                raise ValueError(msg)
            if not math.isfinite(value) or not 0 <= value <= 1e6:
                msg = f"[{key.value!r}] = {value}: a weight must be a number from 0 to 1e6"
                raise ValueError(msg)
        return MappingProxyType(dict(weights))

    @model_validator(mode="after")
    def _check_bands(self) -> Self:
        if self.at_risk_at > self.healthy_at:
            msg = f"at_risk_at ({self.at_risk_at}) must not exceed healthy_at ({self.healthy_at})"
            raise ValueError(msg)
        if not any(self.dimension_weight(d) > 0 for d in Dimension if d.scored):
            msg = "at least one dimension weight must be positive"
            raise ValueError(msg)
        for d in Dimension:
            if self.dimension_weight(d) > 0 and not any(
                self.weight_of(m) > 0 for m in Measure if m.dimension is d
            ):
                msg = (
                    f"every measure of {d.value} weighs 0; to leave {d.value} out, set "
                    f"dimension_weights[{d.value!r}] = 0"
                )
                raise ValueError(msg)
        return self

    @field_serializer("targets", "weights", "dimension_weights")
    def _dump_mapping(self, values: Mapping[Measure | Dimension, float]) -> dict[str, float]:
        return {k.value: v for k, v in values.items()}

    def __hash__(self) -> int:
        """Hash by value (the mappings are read-only)."""
        fields = [getattr(self, name) for name in type(self).model_fields]
        return hash(
            tuple(tuple(sorted(f.items())) if isinstance(f, Mapping) else f for f in fields)
        )

    def target_of(self, measure: Measure | str) -> float | None:
        """Return the target in force (None for the charter's targets)."""
        m = Measure(measure)
        return self.targets.get(m, m.default_target)

    def weight_of(self, measure: Measure | str) -> float:
        """Return the weight in force of a measure."""
        return float(self.weights.get(Measure(measure), 1.0))

    def dimension_weight(self, dimension: Dimension | str) -> float:
        """Return the weight in force of a scored dimension (0 for Copy)."""
        d = Dimension(dimension)
        return float(self.dimension_weights.get(d, 1.0)) if d.scored else 0.0
