"""Every customer's relationship state at once: :func:`classify` over a whole :class:`EventTable`.

The criteria are those of :class:`~custpool.Policy`, evaluated exactly as
:class:`custpool._tiers.timeline.Timeline` does for one customer (integer microseconds, half-open
windows, weights in integer hundredths), but as a handful of vectorised passes over the table's
columns: masks, ``bincount`` and "last row of each customer" picks, with no Python loop over
customers or events. Rows are sorted by customer then time, so the last selected row of a
customer is the latest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Self

import numpy as np

from custpool._engine import primitives
from custpool._engine.codes import KIND_CODE, KINDS, MIN_TIME, OUTBOUND
from custpool._engine.events import EventTable
from custpool._engine.frozen import freeze, frozen_state, restore
from custpool._engine.ids import Ids
from custpool._engine.primitives import NO_TIME, run_ends
from custpool._engine.window import instant
from custpool._errors import UnknownIdError, ValidationError, wrong_type
from custpool._frames import build_frame
from custpool._model import InteractionKind
from custpool._tiers import Policy, Stage, State
from custpool._time import from_micros, to_micros

if TYPE_CHECKING:
    from datetime import datetime, timedelta, tzinfo

    from numpy.typing import NDArray

__all__ = ["TierTable", "classify_table"]

STAGES: Final = tuple(Stage)
"""Column order of :attr:`TierTable.met`: CONNECTED, ENGAGED, CONVERTED, ADVOCATE."""
_CONNECT: Final = KIND_CODE[InteractionKind.CONNECT]
_CHURN: Final = KIND_CODE[InteractionKind.CHURN]
_PURCHASE: Final = KIND_CODE[InteractionKind.PURCHASE]
_REFERRAL: Final = KIND_CODE[InteractionKind.REFERRAL]
_NPS: Final = KIND_CODE[InteractionKind.NPS]
_PROSPECT: Final = State.PROSPECT.code
_DORMANT: Final = State.DORMANT.code
_CHURNED: Final = State.CHURNED.code


@dataclass(frozen=True, slots=True, eq=False)
class TierTable:
    """Every customer's state at ``as_of``, as read-only arrays indexed like the table.

    Row ``c`` is customer ``customer_ids[c]``. The values equal what :func:`~custpool.classify`
    returns for that customer's history (``since`` and the event dates are left to
    ``classify``, which explains one customer at a time). The arrays are truly read-only, as an
    :class:`~custpool.EventTable`'s columns are, pickled and copied ones too.

    Examples
    --------
    >>> from custpool import EXAMPLE_START, EventTable, Policy, classify_table, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> tiers = classify_table(table, Policy(), EXAMPLE_START.replace(day=25))
    >>> tiers.state_of("c-001").value, tiers.tier_of("c-001").value
    ('advocate', 'advocate')
    >>> {s.value: n for s, n in tiers.counts().items() if n}
    {'connected': 2, 'engaged': 1, 'converted': 1, 'advocate': 1, 'churned': 1}
    """

    as_of: datetime
    """The instant classified (UTC)."""
    paradigm: str
    """Name of the policy's paradigm."""
    customer_ids: Ids
    """Customer id of each row (the table's)."""
    state: NDArray[np.int8]
    """:attr:`State.code` of each customer."""
    tier: NDArray[np.int8]
    """:attr:`State.code` of the stage held (for DORMANT, the stage held before), -1 for none."""
    met: NDArray[np.bool_]
    """``met[c, k]``: whether criterion ``STAGES[k]`` holds (CONNECTED … ADVOCATE)."""
    engage_score: NDArray[np.int64]
    """Weighted customer-initiated interactions in the engagement window, in hundredths."""
    purchases: NDArray[np.int64]
    """Purchases in the conversion window."""
    referrals: NDArray[np.int64]
    """Referrals in the advocacy window."""
    latest_nps: NDArray[np.int8]
    """Latest NPS answer in the advocacy window, -1 for none."""

    def __post_init__(self) -> None:
        """Hold every array in frozen memory (adopted when frozen already)."""
        for name, dtype in _ARRAYS.items():
            object.__setattr__(self, name, freeze(getattr(self, name), dtype))

    def __getstate__(self) -> dict[str, object]:
        """Return the state to pickle: the arrays' frozen buffers, the ids as a plain tuple."""
        state: dict[str, object] = {name: frozen_state(getattr(self, name)) for name in _ARRAYS}
        state |= {
            "as_of": self.as_of,
            "paradigm": self.paradigm,
            "customer_ids": self.customer_ids.to_state(),
        }
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        """Rebuild from :meth:`__getstate__`'s state, over the unpickled buffers (read-only)."""
        for name in _ARRAYS:
            object.__setattr__(self, name, restore(state[name], name))
        object.__setattr__(self, "as_of", state["as_of"])
        object.__setattr__(self, "paradigm", state["paradigm"])
        object.__setattr__(self, "customer_ids", Ids.from_state(state["customer_ids"]))
        self.__post_init__()

    def __copy__(self) -> Self:
        """Return the table itself: it is immutable."""
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Self:
        """Return the table itself: it is immutable, down to its memory."""
        return self

    def __len__(self) -> int:
        """Return the number of customers."""
        return len(self.customer_ids)

    def __repr__(self) -> str:
        """Return a summary: the instant and the count of each state."""
        counts = ", ".join(f"{s.value}={n}" for s, n in self.counts().items() if n)
        return f"TierTable(as_of={self.as_of.isoformat()}, {counts or 'no customers'})"

    def counts(self) -> dict[State, int]:
        """Return how many customers are in each state (every state listed, in code order)."""
        counts = np.bincount(self.state, minlength=len(State))
        return {s: int(counts[s.code]) for s in State}

    def _row(self, customer_id: str) -> int:
        if not isinstance(customer_id, str):
            raise wrong_type("customer_id", customer_id, "must be a customer id (a string)")
        try:
            return self.customer_ids.index(customer_id)
        except ValueError:
            raise UnknownIdError("customer", customer_id) from None

    def state_of(self, customer_id: str) -> State:
        """Return one customer's state.

        Raises
        ------
        custpool.UnknownIdError
            If the table has no such customer.
        """
        return _STATES[int(self.state[self._row(customer_id)])]

    def tier_of(self, customer_id: str) -> Stage | None:
        """Return one customer's tier (see :attr:`tier`), or None."""
        code = int(self.tier[self._row(customer_id)])
        return None if code < 0 else _STATES[code].stage

    def customers_in(self, state: State | str) -> tuple[str, ...]:
        """Return the ids of the customers in ``state``, in index order.

        Raises
        ------
        custpool.ValidationError
            If ``state`` is not a :class:`~custpool.State` or a state's value.
        """
        rule = f"must be a State or one of {', '.join(s.value for s in State)}"
        if not isinstance(state, str):
            raise wrong_type("state", state, rule)
        try:
            code = State(state).code
        except ValueError:
            raise ValidationError("state", state, rule) from None
        return tuple(self.customer_ids[i] for i in np.flatnonzero(self.state == code).tolist())

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401 - the frame type depends on the backend
        """Return the table as a data frame: one row per customer, in index order.

        Columns: ``customer_id``; ``as_of`` (the instant classified, in ``tz``); ``state`` and
        ``state_zh``; ``tier`` and ``tier_zh`` (the stage held — for DORMANT the stage held
        before — null for none); ``engage_score`` (the weighted engagement score, the
        hundredths divided by 100); ``purchases``; ``referrals``; ``latest_nps`` (null for none);
        and ``met_connected`` … ``met_advocate``, whether each stage's criterion holds.
        Built column by column from the arrays, with no loop over customers.

        Parameters
        ----------
        backend
            ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (installed, with narwhals: the
            ``frames`` extra).
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
        >>> from custpool import EXAMPLE_START, EventTable, Policy, classify_table, example_pool
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> tiers = classify_table(table, Policy(), EXAMPLE_START.replace(day=25))
        >>> frame = tiers.to_frame("pyarrow", tz="Asia/Shanghai")
        >>> frame.column_names[:6]
        ['customer_id', 'as_of', 'state', 'state_zh', 'tier', 'tier_zh']
        >>> frame.slice(0, 1).select(["customer_id", "state_zh", "latest_nps"]).to_pylist()
        [{'customer_id': 'c-001', 'state_zh': '铁', 'latest_nps': 10}]
        """
        n = len(self)
        states = _STATE_VALUES[self.state]
        no_tier = self.tier < 0
        tier_codes = np.where(no_tier, 0, self.tier)
        no_nps = self.latest_nps < 0
        columns: dict[str, object] = {
            "customer_id": self.customer_ids.column(),
            "as_of": np.full(n, to_micros(self.as_of), dtype=np.int64),
            "state": states,
            "state_zh": _STATE_ZH_VALUES[self.state],
            "tier": np.ma.masked_array(_STATE_VALUES[tier_codes], mask=no_tier),
            "tier_zh": np.ma.masked_array(_STATE_ZH_VALUES[tier_codes], mask=no_tier),
            "engage_score": self.engage_score / 100,
            "purchases": self.purchases,
            "referrals": self.referrals,
            "latest_nps": np.ma.masked_array(self.latest_nps.astype(np.int64), mask=no_nps),
        }
        for k, stage in enumerate(STAGES):
            columns[f"met_{stage.value}"] = self.met[:, k]
        return build_frame(columns, backend=backend, times=("as_of",), tz=tz)


_STATES: Final = tuple(State)
_STATE_VALUES: Final = np.array([s.value for s in State])
_STATE_ZH_VALUES: Final = np.array([s.label_zh for s in State])


_ARRAYS: Final = {
    "state": np.int8,
    "tier": np.int8,
    "met": np.bool_,
    "engage_score": np.int64,
    "purchases": np.int64,
    "referrals": np.int64,
    "latest_nps": np.int8,
}


@dataclass(frozen=True, slots=True)
class _Windows:
    """The policy's windows in microseconds, cut so that no int64 arithmetic can overflow.

    A window reaching back before :data:`~custpool._engine.events.MIN_TIME` (the earliest time a
    table holds) selects every row up to the instant, however long it is; so, for instants up to
    ``t``, a window longer than ``t - MIN_TIME + 1`` is cut to that. The answers are those of
    the uncut window (as :func:`~custpool.classify` computes with Python integers), and
    ``t - window`` stays within int64 even for ``timedelta.max``.
    """

    engage: int
    dormant: int
    convert: int
    advocate: int

    @classmethod
    def of(cls, policy: Policy, t: int) -> _Windows:
        cap = max(t - MIN_TIME + 1, 1)

        def cut(window: timedelta) -> int:
            return min(to_micros(window), cap)

        return cls(
            cut(policy.engage_window),
            cut(policy.dormant_after),
            cut(policy.convert_window),
            cut(policy.advocate_window),
        )


@dataclass(frozen=True, slots=True)
class _CriteriaColumns:
    """The columns the criteria read (all rows of a table, or the rows of some customers)."""

    customer: NDArray[np.int32]
    time: NDArray[np.int64]
    kind: NDArray[np.int8]
    active: NDArray[np.bool_]
    score: NDArray[np.int8]

    @classmethod
    def of(cls, table: EventTable) -> _CriteriaColumns:
        return cls(table.customer, table.time, table.kind, table.direction != OUTBOUND, table.score)

    def take(self, rows: NDArray[np.intp]) -> _CriteriaColumns:
        return _CriteriaColumns(
            self.customer[rows],
            self.time[rows],
            self.kind[rows],
            self.active[rows],
            self.score[rows],
        )


@dataclass(frozen=True, slots=True)
class _Criteria:
    connected: NDArray[np.bool_]
    churned: NDArray[np.bool_]
    last_connect: NDArray[np.int64]
    last_active: NDArray[np.int64]
    dormant: NDArray[np.bool_]
    met: NDArray[np.bool_]
    engage_score: NDArray[np.int64]
    purchases: NDArray[np.int64]
    referrals: NDArray[np.int64]
    latest_nps: NDArray[np.int8]


def _last(
    rows: _CriteriaColumns, mask: NDArray[np.bool_]
) -> tuple[NDArray[np.int32], NDArray[np.intp]]:
    """Return the customers having a row in ``mask`` and the index of their last such row."""
    picked = np.flatnonzero(mask)
    if not picked.size:
        return np.zeros(0, dtype=np.int32), picked
    customers = rows.customer[picked]
    last = run_ends(customers)
    return customers[last], picked[last]


def _last_time(rows: _CriteriaColumns, mask: NDArray[np.bool_], n: int) -> NDArray[np.int64]:
    out = np.full(n, NO_TIME, dtype=np.int64)
    customers, picked = _last(rows, mask)
    out[customers] = rows.time[picked]
    return out


def _count(rows: _CriteriaColumns, mask: NDArray[np.bool_], n: int) -> NDArray[np.int64]:
    return np.bincount(rows.customer[mask], minlength=n).astype(np.int64, copy=False)


def _evaluate(
    rows: _CriteriaColumns,
    policy: Policy,
    windows: _Windows,
    t: int | NDArray[np.int64],
    n: int,
) -> _Criteria:
    """Evaluate every criterion of every customer at ``t`` (one instant, or one per row).

    ``windows`` are cut for instants up to ``t`` (see :class:`_Windows`).
    """
    seen = rows.time <= t
    kind = rows.kind
    last_connect = _last_time(rows, seen & (kind == _CONNECT), n)
    last_churn = _last_time(rows, seen & (kind == _CHURN), n)
    ever = last_connect != NO_TIME
    connected = primitives.connected(last_connect, last_churn)
    churned = ever & ~connected

    def within(window: int) -> NDArray[np.bool_]:
        inside: NDArray[np.bool_] = seen & (rows.time > t - window)
        return inside

    w_engage = windows.engage
    w_dormant = windows.dormant
    w_convert = windows.convert
    w_advocate = windows.advocate
    active = rows.active
    last_active = _last_time(rows, seen & active, n)
    recent = _count(rows, within(w_dormant) & active, n)
    t_customer = t if isinstance(t, int) else _per_customer(rows, t, n)
    dormant = connected & (last_connect <= t_customer - w_dormant) & (recent == 0)

    weights = np.array([policy.scaled_weights()[k] for k in KINDS], dtype=np.float64)
    engaged_rows = within(w_engage) & active
    # Sums of integer hundredths stay exact in float64 up to 2**53.
    score = np.bincount(
        rows.customer[engaged_rows], weights=weights[kind[engaged_rows]], minlength=n
    ).astype(np.int64)
    purchases = _count(rows, within(w_convert) & (kind == _PURCHASE), n)
    advocacy = within(w_advocate)
    referrals = _count(rows, advocacy & (kind == _REFERRAL), n)
    latest_nps = np.full(n, -1, dtype=np.int8)
    customers, picked = _last(rows, seen & (kind == _NPS))
    in_window = rows.time[picked] > (t if isinstance(t, int) else t[picked]) - w_advocate
    latest_nps[customers[in_window]] = rows.score[picked[in_window]]
    minimum = policy.advocate_min_nps
    nps_ok = np.ones(n, dtype=np.bool_) if minimum is None else latest_nps >= minimum
    met = np.empty((n, len(STAGES)), dtype=np.bool_)
    met[:, 0] = connected
    met[:, 1] = score >= policy.scaled_threshold
    met[:, 2] = purchases > 0
    met[:, 3] = (referrals > 0) & nps_ok
    return _Criteria(
        connected,
        churned,
        last_connect,
        last_active,
        dormant,
        met,
        score,
        purchases,
        referrals,
        latest_nps,
    )


def _per_customer(rows: _CriteriaColumns, t: NDArray[np.int64], n: int) -> NDArray[np.int64]:
    """Turn per-row instants (constant within a customer) into per-customer instants."""
    out = np.zeros(n, dtype=np.int64)
    out[rows.customer] = t
    return out


def _ladder(criteria: _Criteria, policy: Policy) -> NDArray[np.int8]:
    """Return the state code of the cumulative ladder (CONNECTED upward), ignoring dormancy."""
    n = criteria.met.shape[0]
    reached = np.full(n, State.CONNECTED.code, dtype=np.int8)
    climbing = criteria.connected.copy()
    for stage in policy.paradigm.stages[1:]:
        climbing &= criteria.met[:, STAGES.index(stage)]
        reached[climbing] = stage.state.code
    return reached


def _states(criteria: _Criteria, policy: Policy) -> NDArray[np.int8]:
    state = _ladder(criteria, policy)
    state[criteria.dormant] = _DORMANT
    state[criteria.churned] = _CHURNED
    state[criteria.last_connect == NO_TIME] = _PROSPECT
    return state


def _dormant_tiers(
    rows: _CriteriaColumns, policy: Policy, windows: _Windows, criteria: _Criteria, n: int
) -> tuple[NDArray[np.int32], NDArray[np.int8]]:
    """Return the dormant customers and the stage each held just before falling silent.

    A dormant customer has been dormant since ``max(last connect, last active) + dormant_after``
    (nothing that ends dormancy can have happened since, or they would not be dormant now); the
    tier is their state one microsecond before that.
    """
    dormant = np.flatnonzero(criteria.dormant).astype(np.int32)
    if not dormant.size:
        return dormant, np.zeros(0, dtype=np.int8)
    # A dormant customer's window was not cut (a cut one reaches before every row, and no one
    # is dormant then), so this is their true start of dormancy, at or before as_of.
    since = np.maximum(criteria.last_connect, criteria.last_active) + windows.dormant
    keep = np.zeros(n, dtype=np.bool_)
    keep[dormant] = True
    subset = rows.take(np.flatnonzero(keep[rows.customer]))
    before = since - 1
    held = _ladder(_evaluate(subset, policy, windows, before[subset.customer], n), policy)
    return dormant, held[dormant]


def classify_table(table: EventTable, policy: Policy, as_of: datetime) -> TierTable:
    """Classify every customer of a table at ``as_of``, in one vectorised pass.

    Gives, for each customer, exactly the state, tier and criteria of
    :func:`~custpool.classify` on that customer's interactions (only rows at or before
    ``as_of`` matter): connected, churned (a CHURN at or after the latest CONNECT), dormant
    (connected at least ``dormant_after`` ago and silent since), and the cumulative ladder of
    the policy's paradigm.

    Parameters
    ----------
    table
        The events.
    policy
        The tier policy.
    as_of
        The instant to classify at; must be timezone-aware.

    Returns
    -------
    TierTable

    Windows of any length are accepted, ``timedelta.max`` included: a window reaching back
    before 1900 (the earliest time a table holds) selects every row up to ``as_of``, so it is
    cut there and int64 arithmetic never overflows; the answers are those of the full window,
    as ``classify`` computes them.

    Raises
    ------
    custpool.WrongTypeError
        If ``table`` is not an :class:`~custpool.EventTable` or ``policy`` not a Policy (shown
        by type only).
    custpool.ValidationError
        If ``as_of`` is naive, not a datetime, or outside the years 1-9999 in UTC.

    Examples
    --------
    >>> from custpool import EXAMPLE_START, EventTable, Policy, classify, example_pool
    >>> pool = example_pool()
    >>> table = EventTable.from_interactions(pool.interactions)
    >>> at = EXAMPLE_START.replace(day=25)
    >>> tiers = classify_table(table, Policy(), at)
    >>> all(
    ...     tiers.state_of(c.id) is classify(pool.history(c.id), Policy(), at).state
    ...     for c in pool.customers
    ... )
    True
    """
    if not isinstance(table, EventTable):
        raise wrong_type("table", table, "must be a custpool.EventTable")
    if not isinstance(policy, Policy):
        raise wrong_type("policy", policy, "must be a custpool.Policy")
    t = instant("as_of", as_of)
    n = table.n_customers
    rows = _CriteriaColumns.of(table)
    windows = _Windows.of(policy, t)
    criteria = _evaluate(rows, policy, windows, t, n)
    state = _states(criteria, policy)
    tier = np.where((state >= State.CONNECTED.code) & (state <= State.ADVOCATE.code), state, -1)
    tier = tier.astype(np.int8)
    dormant, held = _dormant_tiers(rows, policy, windows, criteria, n)
    tier[dormant] = held
    return TierTable(  # the arrays are frozen by TierTable itself
        as_of=from_micros(t),
        paradigm=policy.paradigm.name,
        customer_ids=table.customer_ids,
        state=state,
        tier=tier,
        met=criteria.met,
        engage_score=criteria.engage_score,
        purchases=criteria.purchases,
        referrals=criteria.referrals,
        latest_nps=criteria.latest_nps,
    )


def _check_codes() -> None:
    """Check that the engine's state codes follow the order of :class:`State`."""
    if [s.code for s in State] != list(range(len(State))):  # pragma: no cover
        raise ValidationError("State", list(State), "codes must be 0..6 in member order")


_check_codes()
