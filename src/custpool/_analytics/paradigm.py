"""Paradigm fit: which ladder describes a pool — nurture first or convert first.

Seed 003 orders the tiers two ways: 浅 → 粘 → 深 → 铁 for ordinary products (nurture first: talk
before you sell) and 浅 → 深 → 粘 → 铁 for brands, necessities, standardised and convenience goods
(convert first: they buy before they talk). A policy whose paradigm does not fit the data hides
customers: under nurture first a buyer who never chats sits at 浅; under convert first a keen
talker who has not bought yet sits at 浅. ``paradigm_fit`` classifies the pool both ways and
counts the customers each paradigm holds back — those who meet a criterion the ladder's order
does not let count — and says which paradigm holds back fewer. It is a diagnostic: it never
changes a policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from custpool._display import Count, Displayed, Phrase, Report, Section, Text, Time
from custpool._engine import EventTable, TierTable, classify_table
from custpool._errors import wrong_argument
from custpool._frames import build_frame
from custpool._tiers import CONVERT_FIRST, NURTURE_FIRST, Paradigm, Policy, Stage, State

if TYPE_CHECKING:
    from datetime import datetime, tzinfo

    from numpy.typing import NDArray

    from custpool._display import Cell

__all__ = ["ParadigmFit", "paradigm_fit"]

_STAGES: Final = tuple(Stage)
_CONNECTED: Final = State.CONNECTED.code
_ENGAGED: Final = _STAGES.index(Stage.ENGAGED)
_CONVERTED: Final = _STAGES.index(Stage.CONVERTED)
_SEED_003: Final = (
    "seed 003: ordinary products nurture first; brands, necessities (刚需), standardised and "
    "convenience goods convert first"
)


_PARADIGM_ZH: Final = {"nurture_first": "先养后转", "convert_first": "先转后养"}


def _paradigm_label(name: str) -> Text:
    return Text(name.replace("_", " "), _PARADIGM_ZH.get(name))


def _held_back_label(name: str) -> Text:
    return Text(
        f"held back ({name.replace('_', ' ')})", f"受阻客户（{_PARADIGM_ZH.get(name, name)}）"
    )


@dataclass(frozen=True, slots=True, eq=False)
class ParadigmFit(Displayed):
    """How the pool looks under each paradigm, and which holds back fewer customers.

    Attributes
    ----------
    as_of
        The instant classified.
    states
        Customers per state (``State`` order) under ``nurture_first`` and ``convert_first``.
    held_back
        Per paradigm: customers at a stage who meet a later stage's criterion that the ladder's
        order does not let count (``TierState.skipped`` is not empty).
    buyers, repeat_buyers, talkers
        Connected customers who bought in the conversion window, bought at least twice, and
        meet the engagement criterion.
    buyers_at_shallow
        Under nurture first: buyers at 浅 (they bought but do not talk enough to be 粘).
    repeat_buyers_at_shallow
        Under nurture first: repeat buyers at 浅.
    talkers_at_shallow
        Under convert first: talkers at 浅 (they talk but have not bought).
    better
        The paradigm holding back fewer customers, or None when both hold back as many.
    reasons
        Why, in sentences, with the counts.
    """

    as_of: datetime
    states: dict[str, tuple[int, ...]]
    held_back: dict[str, int]
    buyers: int
    repeat_buyers: int
    talkers: int
    buyers_at_shallow: int
    repeat_buyers_at_shallow: int
    talkers_at_shallow: int
    better: Paradigm | None
    reasons: tuple[str, ...]

    def __repr__(self) -> str:
        """Return a short summary."""
        better = None if self.better is None else self.better.name
        return f"ParadigmFit(better={better!r}, held_back={self.held_back})"

    def __str__(self) -> str:
        """Return a readable report."""
        verdict = "neither fits better" if self.better is None else f"{self.better.name} fits"
        head = f"Paradigm fit at {self.as_of.isoformat()}: {verdict}"
        return "\n".join([head, *(f"  - {r}" for r in self.reasons), f"  ({_SEED_003})"])

    def _report(self) -> Report:
        """Return the verdict, the counts, each paradigm's states, and the reasons."""
        verdict: Cell = (
            Text("neither fits better", "两种范式一样合适")
            if self.better is None
            else Phrase(Text(self.better.name), Text("fits", "更合适"))
        )
        at = Phrase(Text("paradigm fit at", "范式适配，截至"), Time(self.as_of))
        title = Phrase(at, verdict, sep=": ")
        names = list(self.states)
        figures: tuple[tuple[Cell, ...], ...] = (
            *((_held_back_label(n), Count(self.held_back[n])) for n in names),
            (Text("buyers", "购买客户"), Count(self.buyers)),
            (Text("repeat buyers", "复购客户"), Count(self.repeat_buyers)),
            (Text("talkers", "互动客户"), Count(self.talkers)),
            (
                Text("buyers at 浅 (nurture first)", "浅层购买客户（先养后转）"),
                Count(self.buyers_at_shallow),
            ),
            (
                Text("repeat buyers at 浅 (nurture first)", "浅层复购客户（先养后转）"),
                Count(self.repeat_buyers_at_shallow),
            ),
            (
                Text("talkers at 浅 (convert first)", "浅层互动客户（先转后养）"),
                Count(self.talkers_at_shallow),
            ),
        )
        states: tuple[tuple[Cell, ...], ...] = tuple(
            (Text(state.value, state.label_zh), *(Count(self.states[n][k]) for n in names))
            for k, state in enumerate(State)
        )
        head = (Text("state", "状态"), *(_paradigm_label(n) for n in names))
        reasons = tuple((Text(f"{k}"), Text(r)) for k, r in enumerate(self.reasons, start=1))
        return Report(
            title,
            (
                Section(figures),
                Section(states, title=Text("customers per state", "各状态客户数"), columns=head),
                Section(reasons, title=Text("why", "原因")),
            ),
        )

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return one row per paradigm and state.

        Columns: ``paradigm``, ``state``, ``state_zh``, ``customers``, ``held_back`` (the
        paradigm's total, repeated on its rows).

        Examples
        --------
        >>> from datetime import UTC, datetime
        >>> from custpool import EventTable, example_pool, paradigm_fit
        >>> fit = paradigm_fit(EventTable.from_interactions(example_pool().interactions),
        ...                    datetime(2026, 2, 1, tzinfo=UTC))
        >>> fit.to_frame("pyarrow").num_rows  # 2 paradigms x 7 states
        14
        """
        names = [name for name in self.states for _ in State]
        columns = {
            "paradigm": names,
            "state": [s.value for _ in self.states for s in State],
            "state_zh": [s.label_zh for _ in self.states for s in State],
            "customers": np.array([n for counts in self.states.values() for n in counts]),
            "held_back": np.array([self.held_back[name] for name in names]),
        }
        # no time column: tz is only checked, for the signature every to_frame shares
        return build_frame(columns, backend=backend, tz=tz, dtypes={"paradigm": "str"})


def paradigm_fit(
    table: EventTable, as_of: datetime, *, policy: Policy | None = None
) -> ParadigmFit:
    """Classify the pool under both paradigms and say which describes it better, and why.

    The windows and thresholds are ``policy``'s (the default policy's if None); only the
    ladder's order differs. A paradigm fits worse the more customers it holds back: customers at
    a stage who meet a later criterion that its order does not let count — under nurture first,
    buyers who do not talk (at 浅 with 深's criterion met); under convert first, talkers who have
    not bought (at 浅 with 粘's criterion met). The paradigm holding back fewer is ``better``;
    with a tie, neither. Seed 003's business-type mapping (:func:`~custpool.paradigm_for`) is the
    prior; this is what the data say.

    Parameters
    ----------
    table
        The events.
    as_of
        The instant to classify at; timezone-aware.
    policy
        Windows and thresholds (its paradigm is ignored).

    Returns
    -------
    ParadigmFit

    Raises
    ------
    custpool.WrongTypeError
        If ``policy`` is not a Policy (``table`` and ``as_of`` are checked as by
        :func:`~custpool.classify_table`).

    Examples
    --------
    A shop whose customers buy but hardly chat: two buyers with one message each, one talker.

    >>> from datetime import UTC, datetime, timedelta
    >>> from custpool import EventTable, Interaction, paradigm_fit
    >>> t0 = datetime(2026, 3, 1, tzinfo=UTC)
    >>> def ev(n, cid, kind, day, **more):
    ...     return Interaction(id=f"i-{n}", customer_id=cid, at=t0 + timedelta(days=day),
    ...                        kind=kind, channel="wecom_chat", **more)
    >>> rows = [ev(1, "a", "connect", 0, source="store", direction="inbound"),
    ...         ev(2, "a", "purchase", 1, order_id="o-1", amount={"amount": "9", "currency": "CNY"}),
    ...         ev(3, "a", "purchase", 5, order_id="o-2", amount={"amount": "9", "currency": "CNY"}),
    ...         ev(4, "b", "connect", 0, source="store", direction="inbound"),
    ...         ev(5, "b", "purchase", 2, order_id="o-3", amount={"amount": "9", "currency": "CNY"}),
    ...         ev(6, "c", "connect", 0, source="store", direction="inbound")]
    >>> rows += [ev(10 + d, "c", "message", d, direction="inbound") for d in (1, 2, 3)]
    >>> fit = paradigm_fit(EventTable.from_interactions(rows), t0 + timedelta(days=10))
    >>> fit.better.name, fit.held_back
    ('convert_first', {'nurture_first': 2, 'convert_first': 1})
    >>> print(fit.reasons[0])
    nurture first holds 2 of 2 buyers at 浅 (1 of 1 repeat buyers): they buy but do not talk enough to be 粘
    """  # noqa: E501 - a doctest's output line cannot be wrapped
    if policy is None:
        policy = Policy()
    elif not isinstance(policy, Policy):
        raise wrong_argument("policy", policy, "must be a custpool.Policy")
    nurture = classify_table(table, policy.model_copy(update={"paradigm": NURTURE_FIRST}), as_of)
    convert = classify_table(table, policy.model_copy(update={"paradigm": CONVERT_FIRST}), as_of)
    at_stage = (nurture.state >= _CONNECTED) & (nurture.state <= State.ADVOCATE.code)
    buyer = at_stage & nurture.met[:, _CONVERTED]
    repeat = buyer & (nurture.purchases >= 2)
    talker = at_stage & nurture.met[:, _ENGAGED]
    shallow_n = nurture.state == _CONNECTED
    shallow_c = convert.state == _CONNECTED
    counts = {
        "buyers": int(np.count_nonzero(buyer)),
        "repeat": int(np.count_nonzero(repeat)),
        "talkers": int(np.count_nonzero(talker)),
        "buyers_shallow": int(np.count_nonzero(buyer & shallow_n)),
        "repeat_shallow": int(np.count_nonzero(repeat & shallow_n)),
        "talkers_shallow": int(np.count_nonzero(talker & shallow_c)),
    }
    held = {
        NURTURE_FIRST.name: _held_back(nurture, NURTURE_FIRST),
        CONVERT_FIRST.name: _held_back(convert, CONVERT_FIRST),
    }
    nurtured, converted = held[NURTURE_FIRST.name], held[CONVERT_FIRST.name]
    better = None
    if nurtured != converted:
        better = NURTURE_FIRST if nurtured < converted else CONVERT_FIRST
    buyers = (
        f"nurture first holds {counts['buyers_shallow']} of {counts['buyers']} buyers at 浅 "
        f"({counts['repeat_shallow']} of {counts['repeat']} repeat buyers): they buy but do not "
        "talk enough to be 粘"
    )
    talkers = (
        f"convert first holds {counts['talkers_shallow']} of {counts['talkers']} talkers at 浅: "
        "they talk but have not bought"
    )
    total = (
        "customers held back below a criterion they meet: "
        f"nurture first {nurtured}, convert first {converted}"
    )
    reasons = (buyers, talkers, total)
    return ParadigmFit(
        as_of=nurture.as_of,
        states={
            NURTURE_FIRST.name: _state_counts(nurture.state),
            CONVERT_FIRST.name: _state_counts(convert.state),
        },
        held_back=held,
        buyers=counts["buyers"],
        repeat_buyers=counts["repeat"],
        talkers=counts["talkers"],
        buyers_at_shallow=counts["buyers_shallow"],
        repeat_buyers_at_shallow=counts["repeat_shallow"],
        talkers_at_shallow=counts["talkers_shallow"],
        better=better,
        reasons=reasons,
    )


def _state_counts(state: NDArray[np.int8]) -> tuple[int, ...]:
    counts = np.bincount(state.astype(np.int64), minlength=len(State))
    return tuple(int(n) for n in counts)


def _held_back(tiers: TierTable, paradigm: Paradigm) -> int:
    """Count the customers at a stage who meet the criterion of a later stage on the ladder."""
    held = np.zeros(tiers.state.shape[0], dtype=np.bool_)
    order = [_STAGES.index(s) for s in paradigm.stages]
    for position, stage in enumerate(paradigm.stages):
        here = tiers.state == State(stage.value).code
        later = order[position + 1 :]
        if later:
            held |= here & tiers.met[:, later].any(axis=1)
    return int(np.count_nonzero(held))
