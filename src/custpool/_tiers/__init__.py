"""Relationship tiers (浅 connected · 粘 engaged · 深 converted · 铁 advocate) for one customer.

The stages, states and paradigms, the tier :class:`~custpool.Policy`, one customer's history as
sorted time columns (``timeline``), the pure classifier, the ``transitions`` state machine that
replays a history (and compiles the table the classifier shares) and the next-action playbook.

Modules: ``stages`` · ``policy`` · ``timeline`` · ``classify`` · ``machine`` · ``actions``.

May import: the base modules and ``custpool._model``. Other rooms use this room only through
the names below.
"""

from __future__ import annotations

from custpool._tiers.actions import (
    COMPLAINT_REASON_ZH,
    P_ALIVE_WIN_BACK,
    ActionKind,
    NextAction,
    next_action,
)
from custpool._tiers.classify import Criterion, TierState, classify
from custpool._tiers.machine import (
    RelationshipMachine,
    Track,
    TransitionRecord,
    TransitionTable,
    Trigger,
)
from custpool._tiers.policy import WEIGHT_SCALE, Duration, Policy
from custpool._tiers.stages import (
    CONVERT_FIRST,
    NURTURE_FIRST,
    BusinessType,
    Paradigm,
    Stage,
    State,
    paradigm_for,
)

__all__ = [
    "COMPLAINT_REASON_ZH",
    "P_ALIVE_WIN_BACK",
    "ActionKind",
    "next_action",
    "NextAction",
    "classify",
    "Criterion",
    "TierState",
    "RelationshipMachine",
    "Track",
    "TransitionRecord",
    "TransitionTable",
    "Trigger",
    "WEIGHT_SCALE",
    "Duration",
    "Policy",
    "CONVERT_FIRST",
    "NURTURE_FIRST",
    "BusinessType",
    "Paradigm",
    "paradigm_for",
    "Stage",
    "State",
]
