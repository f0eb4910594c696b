"""The relationship machine: the legal moves between states, declared once with ``transitions``.

One ``transitions.Machine`` per policy is generated from the paradigm. It is validated when
built and compiled into a :class:`TransitionTable` (a dict and small numpy arrays) that replay
and the columnar engine read. Customers stay frozen models; each replayed customer's state
lives in a light :class:`Track`, and one machine serves a whole pool: tracks are never attached
with ``Machine.add_model`` (a list scan per call), events are triggered on them directly.
"""

from __future__ import annotations

import importlib
from collections import deque
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np
from transitions import EventData, Machine

from custpool._errors import MissingDependencyError, ValidationError, WrongTypeError
from custpool._model import Interaction
from custpool._tiers.policy import Policy
from custpool._tiers.stages import Stage, State
from custpool._tiers.timeline import Timeline
from custpool._time import check_as_of, from_micros, to_micros

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from datetime import datetime

    from custpool._tiers.stages import Paradigm

__all__ = [
    "RelationshipMachine",
    "Track",
    "TransitionRecord",
    "TransitionTable",
    "Trigger",
    "machine_transitions",
    "compiled_table",
]


class Trigger(StrEnum):
    """The events that move a customer between states."""

    CONNECT = "connect"
    """PROSPECT → CONNECTED."""
    ENGAGE = "engage"
    """One step up to ENGAGED."""
    CONVERT = "convert"
    """One step up to CONVERTED."""
    ADVOCATE = "advocate"
    """One step up to ADVOCATE."""
    LAPSE = "lapse"
    """One step down the paradigm: a criterion stopped holding."""
    GO_DORMANT = "go_dormant"
    """Any stage → DORMANT."""
    REACTIVATE = "reactivate"
    """DORMANT → CONNECTED."""
    CHURN = "churn"
    """Any connected state → CHURNED."""
    WIN_BACK = "win_back"
    """CHURNED → CONNECTED."""


_STATES: Final = tuple(State)
_STATE_BY_NAME: Final = {s.name: s for s in State}
_TRIGGER_BY_NAME: Final = {t.value: t for t in Trigger}

_CLIMB_TRIGGERS: Final = (
    Trigger.CONNECT,
    Trigger.ENGAGE,
    Trigger.CONVERT,
    Trigger.ADVOCATE,
    Trigger.WIN_BACK,
    Trigger.REACTIVATE,
)

_ADVANCE: Final = {
    Stage.ENGAGED: Trigger.ENGAGE,
    Stage.CONVERTED: Trigger.CONVERT,
    Stage.ADVOCATE: Trigger.ADVOCATE,
}


def machine_transitions(paradigm: Paradigm) -> list[dict[str, Any]]:
    """Return the transitions of a paradigm's machine, in ``transitions``' dict form.

    Moves up and down the ladder go one stage at a time (no transition skips a stage).
    """
    stages = [s.state for s in paradigm.stages]
    moves: list[dict[str, Any]] = [
        {"trigger": Trigger.CONNECT.value, "source": State.PROSPECT, "dest": State.CONNECTED},
    ]
    for lower, upper in pairwise(paradigm.stages):
        moves.append({"trigger": _ADVANCE[upper].value, "source": lower.state, "dest": upper.state})
    for lower, upper in pairwise(paradigm.stages):
        moves.append({"trigger": Trigger.LAPSE.value, "source": upper.state, "dest": lower.state})
    moves.extend(
        [
            {"trigger": Trigger.GO_DORMANT.value, "source": stages, "dest": State.DORMANT},
            {"trigger": Trigger.REACTIVATE.value, "source": State.DORMANT, "dest": State.CONNECTED},
            {
                "trigger": Trigger.CHURN.value,
                "source": [*stages, State.DORMANT],
                "dest": State.CHURNED,
            },
            {"trigger": Trigger.WIN_BACK.value, "source": State.CHURNED, "dest": State.CONNECTED},
        ]
    )
    return moves


@dataclass(frozen=True, slots=True)
class TransitionTable:
    """The machine compiled once: legal moves and shortest step-by-step paths.

    Attributes
    ----------
    moves
        ``(source, trigger) → dest`` for every legal move.
    legal
        ``legal[source.code, dest.code]``: whether one move leads from source to dest (7×7).
    next_state
        ``next_state[source.code, target.code]``: the state one step along the shortest path
        from source to target (source itself when equal, -1 when unreachable) (7×7, int8).
    step_trigger
        ``(source, dest) → trigger`` for every legal move.
    """

    moves: Mapping[tuple[State, Trigger], State]
    legal: np.ndarray[Any, np.dtype[np.bool_]]
    next_state: np.ndarray[Any, np.dtype[np.int8]]
    step_trigger: Mapping[tuple[State, State], Trigger]

    def climb(self, state: State) -> State | None:
        """Return the state one rung up the ladder from ``state`` (None at the top, or off it).

        PROSPECT and CHURNED climb to CONNECTED (connect, win back); DORMANT reactivates to it.
        """
        for trigger in _CLIMB_TRIGGERS:
            dest = self.moves.get((state, trigger))
            if dest is not None:
                return dest
        return None

    def path(self, source: State, target: State) -> list[tuple[Trigger, State]]:
        """Return the moves from ``source`` to ``target``, one step each (empty when equal)."""
        states = _STATES
        steps: list[tuple[Trigger, State]] = []
        current = source
        while current is not target:
            code = int(self.next_state[current.code, target.code])
            if code < 0:
                msg = f"the machine has no path from {current.value} to {target.value}"
                raise ValidationError("target", target, msg)
            following = states[code]
            steps.append((self.step_trigger[current, following], following))
            current = following
        return steps


def _compile(machine: Machine) -> TransitionTable:
    states = list(State)
    by_name = {s.name: s for s in states}
    moves: dict[tuple[State, Trigger], State] = {}
    step_trigger: dict[tuple[State, State], Trigger] = {}
    legal = np.zeros((len(states), len(states)), dtype=np.bool_)
    for name, event in machine.events.items():
        trigger = Trigger(name)
        for source_name, transitions in event.transitions.items():
            for transition in transitions:
                source, dest = by_name[source_name], by_name[str(transition.dest)]
                moves[source, trigger] = dest
                legal[source.code, dest.code] = True
                step_trigger.setdefault((source, dest), trigger)
    next_state = np.full((len(states), len(states)), -1, dtype=np.int8)
    # A breadth-first search backwards from each target gives every source's next hop on a
    # shortest path. Only the target and ladder states may be passed through: moving from
    # ADVOCATE down to CONNECTED lapses stage by stage, never via a detour through DORMANT.
    passable = {State.CONNECTED, State.ENGAGED, State.CONVERTED, State.ADVOCATE}
    for target in states:
        next_state[target.code, target.code] = target.code
        queue = deque([target])
        while queue:
            node = queue.popleft()
            if node is not target and node not in passable:
                continue
            for source in states:
                if legal[source.code, node.code] and next_state[source.code, target.code] < 0:
                    next_state[source.code, target.code] = node.code
                    queue.append(source)
    legal.setflags(write=False)
    next_state.setflags(write=False)
    return TransitionTable(
        moves=MappingProxyType(moves),
        legal=legal,
        next_state=next_state,
        step_trigger=MappingProxyType(step_trigger),
    )


def _validate(machine: Machine, paradigm: Paradigm, table: TransitionTable) -> None:
    names = {s.name for s in State}
    for event in machine.events.values():
        for source, transitions in event.transitions.items():
            for transition in transitions:
                for end in (source, transition.dest):
                    if end not in names:
                        raise ValidationError("transitions", end, "names no state of the machine")
    order = {s.state: i for i, s in enumerate(paradigm.stages)}
    for (source, trigger), dest in table.moves.items():
        if source in order and dest in order and abs(order[source] - order[dest]) != 1:
            rule = f"{trigger.value} would skip a stage of {paradigm.name}"
            raise ValidationError("transitions", f"{source.value}->{dest.value}", rule)
    for state in State:
        if state is not State.PROSPECT and table.next_state[State.PROSPECT.code, state.code] < 0:
            raise ValidationError("states", state.value, "is unreachable from prospect")


def _declaration(paradigm: Paradigm) -> dict[str, Any]:
    """Return the machine's declaration: the arguments every machine of a paradigm shares."""
    return {
        "states": State,
        "transitions": machine_transitions(paradigm),
        "initial": State.PROSPECT,
        "auto_transitions": False,
    }


@lru_cache(maxsize=64)
def compiled_table(paradigm: Paradigm) -> TransitionTable:
    """Return the validated, compiled table of a paradigm's machine (built once, then cached).

    This is what :func:`~custpool.classify` reads; a :class:`RelationshipMachine` compiles the
    same declaration for itself.
    """
    machine = Machine(model=None, **_declaration(paradigm))
    table = _compile(machine)
    _validate(machine, paradigm, table)
    return table


@dataclass(frozen=True, slots=True)
class TransitionRecord:
    """One step a customer took: when, by which trigger, from where to where."""

    customer_id: str | None
    at: datetime
    trigger: Trigger
    source: State
    dest: State
    settled: bool = True
    """False for a step passed through on the way to another state at the same instant (an
    advocate who stops engaging lapses through CONVERTED and ENGAGED to CONNECTED: only the last
    step is settled). Hooks see every step; filter on this to count only where customers land."""


TransitionHook = "Callable[[TransitionRecord], None]"


class Track:
    """One customer's replay state: the light holder ``transitions`` moves (not a model copy).

    Create tracks with :meth:`RelationshipMachine.track`; feed interactions with :meth:`add`
    (any order, but not before the clock) and move time forward with :meth:`advance_to`.
    """

    __slots__ = ("_clock", "_history", "_machine", "_timeline", "customer_id", "log", "state")

    def __init__(self, machine: RelationshipMachine, customer_id: str | None = None) -> None:
        self._machine = machine
        self.customer_id = customer_id
        self.state: State = State.PROSPECT
        self.log: list[TransitionRecord] = []
        self._history: list[Interaction] = []
        self._timeline: Timeline | None = None
        self._clock: int | None = None

    @property
    def clock(self) -> datetime | None:
        """The instant this track has been advanced to (None before the first advance)."""
        return None if self._clock is None else from_micros(self._clock)

    def add(self, interactions: Iterable[Interaction]) -> None:
        """Add interactions of this customer, in any order, none before the clock.

        Raises
        ------
        custpool.ValidationError
            If an interaction is for another customer or before the clock (replay from scratch
            with a new track to change the past).
        """
        for item in interactions:
            if not isinstance(item, Interaction):
                raise WrongTypeError("interactions", item, "must hold Interaction objects")
            if self.customer_id is None:
                self.customer_id = item.customer_id
            elif item.customer_id != self.customer_id:
                rule = f"this track follows {self.customer_id!r}"
                raise ValidationError("customer_id", item.customer_id, rule)
            if self._clock is not None and to_micros(item.at) < self._clock:
                rule = f"is before the track's clock {self.clock}; replay on a new track"
                raise ValidationError("at", item.at, rule)
            self._history.append(item)
        self._timeline = None

    def advance_to(self, as_of: datetime) -> State:
        """Move to ``as_of`` step by step, firing a trigger (and hooks) for every move.

        Events added since the last advance, including ones exactly at the clock, are taken
        into account. Cost: the track's timeline is rebuilt after :meth:`add`, so feeding a long
        history one event at a time is quadratic; add what you have, then advance.

        Returns
        -------
        State
            The state at ``as_of``; equal to :func:`~custpool.classify`'s.

        Examples
        --------
        >>> from custpool import Policy, example_pool, EXAMPLE_START
        >>> from datetime import timedelta
        >>> track = RelationshipMachine(Policy()).track()
        >>> track.add(example_pool().history("c-002"))
        >>> track.advance_to(EXAMPLE_START + timedelta(days=17)).value
        'engaged'
        >>> track.advance_to(EXAMPLE_START + timedelta(days=19)).value
        'converted'
        """
        t = check_as_of(as_of)
        if self._clock is not None and t < self._clock:
            rule = f"is before the track's clock {self.clock}; time only moves forward"
            raise ValidationError("as_of", as_of, rule)
        if self._timeline is None:
            self._timeline = Timeline(self._history, self._machine.policy)
        timeline = self._timeline
        start = self._clock
        for point in timeline.change_points(t):
            if start is not None and point < start:
                continue
            target = timeline.state(point)
            if target is not self.state:
                self._machine._walk(self, target, point)  # noqa: SLF001 - machine and track are one unit
        self._clock = t
        return self.state


class RelationshipMachine:
    """The legal moves of a policy's paradigm, as one ``transitions.Machine``.

    Parameters
    ----------
    policy
        The tier policy; its paradigm decides the ladder.

    Examples
    --------
    >>> from datetime import datetime, timedelta, UTC
    >>> from custpool import Interaction, Policy, State
    >>> machine = RelationshipMachine(Policy())
    >>> entered = []
    >>> remove = machine.on_enter(State.ENGAGED, lambda step: entered.append(step.at.day))
    >>> t0 = datetime(2026, 1, 1, tzinfo=UTC)
    >>> history = [
    ...     Interaction(id=f"i-{d}", customer_id="c-1", at=t0 + timedelta(days=d),
    ...                 kind="connect" if d == 0 else "message", source="store" if d == 0 else None,
    ...                 direction="inbound", channel="wecom_chat")
    ...     for d in range(4)
    ... ]
    >>> track = machine.replay(history, t0 + timedelta(days=40))
    >>> track.state.value, entered  # engaged on Jan 4: three messages (the connect weighs 0)
    ('connected', [4])
    >>> [(r.trigger.value, r.dest.value) for r in track.log]
    [('connect', 'connected'), ('engage', 'engaged'), ('lapse', 'connected')]
    """

    def __init__(self, policy: Policy) -> None:
        if not isinstance(policy, Policy):
            raise WrongTypeError("policy", policy, "must be a custpool.Policy")
        self.policy = policy
        self.paradigm = policy.paradigm
        self.machine = Machine(
            model=None,
            **_declaration(policy.paradigm),
            send_event=True,
            after_state_change=self._record,
        )
        # The same declaration as self.machine, validated and compiled once per paradigm.
        self.table = compiled_table(policy.paradigm)
        self._hooks: dict[State | None, list[Callable[[TransitionRecord], None]]] = {}
        self._paths: dict[tuple[State, State], list[Any]] = {}

    # -- hooks --------------------------------------------------------------------------------

    def on_enter(
        self, state: State, hook: Callable[[TransitionRecord], None]
    ) -> Callable[[], None]:
        """Call ``hook(record)`` every time a customer enters ``state``.

        Hooks see every step, pass-through ones included (``record.settled`` tells them
        apart), for every track of this machine, in the order they were registered.

        Returns
        -------
        Callable[[], None]
            Call it to remove the hook again.

        Examples
        --------
        >>> from custpool import Policy, State, example_pool, EXAMPLE_START
        >>> machine = RelationshipMachine(Policy())
        >>> buyers = []
        >>> remove = machine.on_enter(State.CONVERTED, lambda r: buyers.append(r.customer_id))
        >>> pool = example_pool()
        >>> as_of = EXAMPLE_START.replace(day=25)
        >>> _ = [machine.replay(pool.history(c.id), as_of) for c in pool.customers]
        >>> sorted(set(buyers))
        ['c-001', 'c-002']
        >>> remove()
        >>> _ = machine.replay(pool.history("c-001"), as_of)
        >>> len(buyers)
        2
        """
        return self._add_hook(State(state), hook)

    def on_transition(self, hook: Callable[[TransitionRecord], None]) -> Callable[[], None]:
        """Call ``hook(record)`` on every move of every customer; return a remover."""
        return self._add_hook(None, hook)

    def _add_hook(
        self, key: State | None, hook: Callable[[TransitionRecord], None]
    ) -> Callable[[], None]:
        hooks = self._hooks.setdefault(key, [])
        hooks.append(hook)

        def remove() -> None:
            if hook in hooks:
                hooks.remove(hook)

        return remove

    def _record(self, event: EventData) -> None:
        track = event.model
        assert isinstance(track, Track)  # noqa: S101 - only tracks are ever triggered
        transition = event.transition
        assert transition is not None  # noqa: S101 - transitions sets it before after-callbacks
        record = TransitionRecord(
            customer_id=track.customer_id,
            at=from_micros(event.kwargs["at"]),
            trigger=_TRIGGER_BY_NAME[event.event.name],
            source=_STATE_BY_NAME[str(transition.source)],
            dest=_STATE_BY_NAME[str(transition.dest)],
            settled=bool(event.kwargs.get("settled", True)),
        )
        track.log.append(record)
        for hook in self._hooks.get(record.dest, ()):
            hook(record)
        for hook in self._hooks.get(None, ()):
            hook(record)

    # -- replay -------------------------------------------------------------------------------

    def track(self, customer_id: str | None = None) -> Track:
        """Return a new track at PROSPECT with no history."""
        return Track(self, customer_id)

    def replay(self, history: Iterable[Interaction], as_of: datetime) -> Track:
        """Replay one customer's history (any order) up to ``as_of`` on a new track.

        Examples
        --------
        >>> from custpool import Policy, example_pool, EXAMPLE_START
        >>> track = RelationshipMachine(Policy()).replay(
        ...     example_pool().history("c-004"), EXAMPLE_START.replace(day=25)
        ... )
        >>> [(r.at.date().isoformat(), r.trigger.value) for r in track.log]
        [('2026-01-08', 'connect'), ('2026-01-20', 'churn')]
        """
        track = self.track()
        track.add(history)
        track.advance_to(as_of)
        return track

    def fire(self, track: Track, trigger: Trigger | str, at: datetime) -> None:
        """Fire one trigger on a track by hand.

        Raises
        ------
        custpool.ValidationError
            If the trigger is unknown, ``at`` is naive, or the move is illegal from the track's
            state (the message lists the legal triggers).
        """
        try:
            name = Trigger(trigger)
        except ValueError:
            known = ", ".join(t.value for t in Trigger)
            raise ValidationError("trigger", trigger, f"must be one of {known}") from None
        t = check_as_of(at)
        if (track.state, name) not in self.table.moves:
            legal = sorted(tr.value for (s, tr) in self.table.moves if s is track.state)
            rule = f"is not legal from {track.state.value}; legal: {', '.join(legal)}"
            raise ValidationError("trigger", name.value, rule)
        self.machine.events[name.value].trigger(track, at=t)

    def _walk(self, track: Track, target: State, at: int) -> None:
        key = (track.state, target)
        events = self._paths.get(key)
        if events is None:
            steps = self.table.path(*key)
            events = self._paths[key] = [self.machine.events[t.value] for t, _ in steps]
        last = len(events) - 1
        for n, event in enumerate(events):
            event.trigger(track, at=at, settled=n == last)

    # -- pictures -----------------------------------------------------------------------------

    def mermaid(self) -> str:
        """Return the machine as a Mermaid ``stateDiagram-v2`` (drawn by ``transitions``).

        Needs nothing beyond the core dependencies.
        """
        return str(self._graph("mermaid").draw(None))

    def dot(self) -> str:
        """Return the machine as Graphviz dot source (drawn by ``transitions``).

        Needs the ``graphviz`` Python package (``pip install "custpool[diagrams]"``); rendering
        the source to an image also needs Graphviz's ``dot`` program.

        Raises
        ------
        custpool.MissingDependencyError
            If the ``graphviz`` package is not installed.
        """
        try:  # checked here: transitions would silently fall back to mermaid
            importlib.import_module("graphviz")
        except ImportError:
            raise MissingDependencyError("graphviz", "diagrams") from None
        return str(self._graph("graphviz").source)

    def _graph(self, engine: Literal["graphviz", "mermaid"]) -> Any:  # noqa: ANN401 - transitions' graph objects are untyped
        from transitions.extensions import GraphMachine  # noqa: PLC0415 - only for pictures

        class _Model:
            pass

        model = _Model()
        GraphMachine(
            model=model,
            **_declaration(self.paradigm),
            graph_engine=engine,
            title=self.paradigm.name,
            show_state_attributes=False,
        )
        return model.get_graph()  # type: ignore[attr-defined]
