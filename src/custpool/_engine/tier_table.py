"""Every customer's relationship state at once: :func:`classify` over a whole :class:`EventTable`.

The criteria are those of :class:`~custpool.Policy`, evaluated exactly as
:class:`custpool._tiers.timeline.Timeline` does for one customer (integer microseconds, half-open
windows, weights in integer hundredths), but as a handful of vectorised passes over the table's
columns: masks, ``bincount`` and "last row of each customer" picks, with no Python loop over
customers or events. Rows are sorted by customer then time, so the last selected row of a
customer is the latest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Self, overload

import numpy as np

from custpool._display import Count, Displayed, Pct, Phrase, Report, Section, Text, Time
from custpool._engine import primitives
from custpool._engine.breakdown import BY, Breakdown, By, Parts, owners, stack_counts
from custpool._engine.codes import COMPLAINT_REASONS, KIND_CODE, KINDS, MIN_TIME, OUTBOUND
from custpool._engine.events import EventTable
from custpool._engine.frozen import freeze, frozen_state, restore
from custpool._engine.ids import Ids
from custpool._engine.primitives import NO_TIME, run_ends, run_starts
from custpool._engine.window import instant
from custpool._errors import UnknownIdError, ValidationError, bad_argument, wrong_type
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
_COMPLAINT: Final = KIND_CODE[InteractionKind.COMPLAINT]
_PROSPECT: Final = State.PROSPECT.code
_DORMANT: Final = State.DORMANT.code
_CHURNED: Final = State.CHURNED.code


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class TierTable(Displayed):
    """Every customer's state at ``as_of``, as read-only arrays indexed like the table.

    Row ``c`` is customer ``customer_ids[c]``. The values equal what :func:`~custpool.classify`
    returns for that customer's history, :attr:`since` included (found when first asked for;
    the event dates are left to ``classify``, which explains one customer at a time). The
    arrays are truly read-only, as an :class:`~custpool.EventTable`'s columns are, pickled and
    copied ones too.

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
    last_complaint: NDArray[np.int64]
    """Latest COMPLAINT at or before ``as_of`` (microseconds since the epoch), ``NO_TIME`` for
    none: :attr:`TierState.last_complaint_at <custpool.TierState.last_complaint_at>`."""
    complaint_reason: NDArray[np.int8]
    """What that complaint was about, an index in ``tuple(ComplaintReason)``, -1 for none (of
    several at that instant, the first in that order):
    :attr:`TierState.last_complaint_reason <custpool.TierState.last_complaint_reason>`."""
    operator: NDArray[np.int32]
    """Each customer's operator at ``as_of`` — of their latest CONNECT at or before it — as an
    index in :attr:`operator_ids`; -1 for none (issue 14's rule, as every ``by="operator"``)."""
    group: NDArray[np.int32]
    """Each customer's group at ``as_of``, the same way, as an index in :attr:`group_ids`."""
    operator_ids: Ids
    """The table's operator ids."""
    group_ids: Ids
    """The table's group ids."""
    _since: NDArray[np.int64] | None = field(default=None, repr=False)
    """:attr:`since` once known."""
    _since_from: tuple[EventTable, Policy] | None = field(default=None, repr=False)
    """The table and policy :attr:`since` is found from, until it is."""

    def __post_init__(self) -> None:
        """Hold every array in frozen memory (adopted when frozen already)."""
        for name, dtype in _ARRAYS.items():
            object.__setattr__(self, name, freeze(getattr(self, name), dtype))
        if self._since is not None:
            object.__setattr__(self, "_since", freeze(self._since, np.int64))
        elif self._since_from is None:
            raise ValidationError("since", None, "a TierTable needs since or what it is found from")

    @property
    def since(self) -> NDArray[np.int64]:
        """When each customer entered their state (microseconds since the epoch, UTC).

        :data:`~custpool._time.NO_TIME` for a prospect, who has always been one. Equal, customer
        by customer, to :attr:`TierState.since <custpool.TierState.since>` from
        :func:`~custpool.classify`. Found on first use, then kept (read-only): it walks back
        through each customer's change points, costing many times :func:`classify_table`
        itself, so a table that never asks for it (nor for :meth:`to_frame`, which shows it)
        never pays for it.

        Examples
        --------
        >>> from custpool import EXAMPLE_START, EventTable, Policy, classify_table, example_pool
        >>> from custpool._time import from_micros
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> tiers = classify_table(table, Policy(), EXAMPLE_START.replace(day=25))
        >>> from_micros(int(tiers.since[table.customer_index("c-001")])).isoformat()
        '2026-01-15T02:00:00+00:00'
        """
        since = self._since
        if since is None:
            if self._since_from is None:  # pragma: no cover - __post_init__ forbids it
                raise ValidationError("since", None, "a TierTable needs since or its source")
            table, policy = self._since_from
            since = freeze(_since(table, policy, self.state, to_micros(self.as_of)), np.int64)
            object.__setattr__(self, "_since", since)
            object.__setattr__(self, "_since_from", None)  # the table is no longer held
        return since

    def __getstate__(self) -> dict[str, object]:
        """Return the state to pickle: the arrays' frozen buffers, the ids as a plain tuple.

        :attr:`since` is found first if it is not yet known: a pickle holds no table.
        """
        state: dict[str, object] = {name: frozen_state(getattr(self, name)) for name in _ARRAYS}
        state |= {
            "since": frozen_state(self.since),
            "as_of": self.as_of,
            "paradigm": self.paradigm,
            "customer_ids": self.customer_ids.to_state(),
            "operator_ids": self.operator_ids.to_state(),
            "group_ids": self.group_ids.to_state(),
        }
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        """Rebuild from :meth:`__getstate__`'s state, over the unpickled buffers (read-only)."""
        for name in _ARRAYS:
            object.__setattr__(self, name, restore(state[name], name))
        object.__setattr__(self, "_since", restore(state["since"], "since"))
        object.__setattr__(self, "_since_from", None)
        object.__setattr__(self, "as_of", state["as_of"])
        object.__setattr__(self, "paradigm", state["paradigm"])
        object.__setattr__(self, "customer_ids", Ids.from_state(state["customer_ids"]))
        object.__setattr__(self, "operator_ids", Ids.from_state(state["operator_ids"]))
        object.__setattr__(self, "group_ids", Ids.from_state(state["group_ids"]))
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

    def _report(self) -> Report:
        """Return how many customers are in each state, and their share, in state order."""
        n = len(self)
        title = Phrase(
            Text("tiers at", "层级，截至"),
            Time(self.as_of),
            Text(f"({self.paradigm}): {n:,} customers", f"（{self.paradigm}）：{n:,} 位客户"),
        )
        rows = tuple(
            (Text(s.value, s.label_zh), Count(count), Pct(count / n if n else None))
            for s, count in self.counts().items()
        )
        head = (Text("state", "状态"), Text("customers", "客户数"), Text("share", "占比"))
        return Report(title, (Section(rows, columns=head),))

    @overload
    def counts(self, by: None = None) -> dict[State, int]: ...

    @overload
    def counts(self, by: By) -> Breakdown[dict[State, int]]: ...

    def counts(self, by: By | None = None) -> dict[State, int] | Breakdown[dict[State, int]]:
        """Return how many customers are in each state (every state listed, in code order).

        Parameters
        ----------
        by
            ``"operator"`` or ``"group"``: also count each operator's (group's) customers —
            those whose latest CONNECT at or before ``as_of`` names it — and return a
            :class:`~custpool.Breakdown` whose parts and unassigned sum to the whole.

        Raises
        ------
        custpool.ValidationError
            If ``by`` is not ``"operator"`` or ``"group"``.

        Examples
        --------
        >>> from datetime import UTC, datetime
        >>> from custpool import EventTable, Interaction, Policy, classify_table
        >>> t0 = datetime(2026, 3, 1, tzinfo=UTC)
        >>> def connect(cid, operator):
        ...     return Interaction(id=f"i-{cid}", customer_id=cid, at=t0, kind="connect",
        ...                        channel="wecom_chat", direction="inbound", source="store",
        ...                        operator_id=operator)
        >>> table = EventTable.from_interactions(
        ...     [connect("a", "op-li"), connect("b", "op-li"), connect("c", None)])
        >>> by = classify_table(table, Policy(), datetime(2026, 3, 2, tzinfo=UTC)).counts(
        ...     by="operator")
        >>> print(by)
        customers by state by operator 2026-03-02 00:00:00+00:00
          op-li: connected 2
          (unassigned): connected 1
          (whole): connected 3
        """
        counts = np.bincount(self.state, minlength=len(State))
        whole = {s: int(counts[s.code]) for s in State}
        if by is None:
            return whole
        if by not in BY:
            raise bad_argument("by", by, "must be 'operator' or 'group'")
        owner = (self.operator if by == "operator" else self.group).astype(np.intp) + 1
        ids = self.operator_ids if by == "operator" else self.group_ids
        parts = len(ids) + 1
        table = np.bincount(owner * len(State) + self.state, minlength=parts * len(State))
        table = table.reshape(parts, len(State))
        sizes = table.sum(axis=1)
        build = _CountsOfPart(table)
        names = tuple(ids)
        index = dict(sorted((names[k], k + 1) for k in np.flatnonzero(sizes[1:]).tolist()))
        unassigned = build(0) if sizes[0] else None
        return Breakdown(self.as_of, by, whole, Parts(index, build), unassigned, stack_counts)

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
        before — null for none); ``since`` (when the customer entered their state, in ``tz``;
        null for a prospect, who always was one: see :attr:`since`); ``engage_score`` (the
        weighted engagement score, the hundredths divided by 100); ``purchases``;
        ``referrals``; ``latest_nps`` (null for none); and ``met_connected`` …
        ``met_advocate``, whether each stage's criterion holds. Built column by column from
        the arrays, with no loop over customers; the first frame finds :attr:`since`.

        Parameters
        ----------
        backend
            ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (installed, with narwhals: the
            ``frames`` extra).
        tz
            The zone ``as_of`` and ``since`` are shown in (an IANA name or ``datetime.UTC``;
            default UTC).

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
        >>> frame.column_names[:7]
        ['customer_id', 'as_of', 'state', 'state_zh', 'tier', 'tier_zh', 'since']
        >>> frame.slice(0, 1).select(["customer_id", "state_zh", "latest_nps"]).to_pylist()
        [{'customer_id': 'c-001', 'state_zh': '铁', 'latest_nps': 10}]
        >>> str(frame.column("since")[0])  # advocate since 2026-01-15 02:00 UTC
        '2026-01-15 10:00:00+08:00'
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
            "since": self.since,
            "engage_score": self.engage_score / 100,
            "purchases": self.purchases,
            "referrals": self.referrals,
            "latest_nps": np.ma.masked_array(self.latest_nps.astype(np.int64), mask=no_nps),
        }
        for k, stage in enumerate(STAGES):
            columns[f"met_{stage.value}"] = self.met[:, k]
        return build_frame(
            columns, backend=backend, times=("as_of", "since"), tz=tz, dtypes={"customer_id": "str"}
        )


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
    "last_complaint": np.int64,
    "complaint_reason": np.int8,
    "operator": np.int32,
    "group": np.int32,
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


@dataclass(frozen=True, slots=True)
class _Keys:
    """Search keys that order (customer, instant) pairs as the table orders its rows.

    The key of customer ``c`` at instant ``x`` is ``c * stride + rank(x)``, where ``rank(x)``
    counts the table's distinct times at or before ``x`` and ``stride`` is one more than their
    number: every key of ``c`` lies in ``[c * stride, (c + 1) * stride)``, a row of ``c`` has a
    key above ``c * stride``, and "rows of ``c`` at or before ``x``" are the rows whose key is
    at most ``key(c, x)``. It stays within int64 for any table of fewer than 2**32 rows.
    """

    times: NDArray[np.int64]
    stride: int

    @classmethod
    def of(cls, time: NDArray[np.int64]) -> _Keys:
        times = np.sort(time)  # distinct by hand: np.unique hashes, many times slower here
        times = times[run_starts(times)]
        return cls(times, times.shape[0] + 1)

    def base(self, customer: NDArray[np.int32]) -> NDArray[np.int64]:
        """Return ``key(c, x)`` for an ``x`` before every row: no row of ``c`` is below it."""
        base: NDArray[np.int64] = customer.astype(np.int64) * self.stride
        return base

    def at(self, base: NDArray[np.int64], x: NDArray[np.int64]) -> NDArray[np.int64]:
        """Return ``key(c, x)`` from the customers' :meth:`base`."""
        return base + np.searchsorted(self.times, x, side="right")


@dataclass(frozen=True, slots=True)
class _KindIndex:
    """Some rows of a table (one kind, or the customer-initiated ones), searchable by key.

    ``time`` and ``score`` have a leading pad (:data:`NO_TIME`, -1) and ``prefix`` a leading 0,
    so position ``upto(key)`` reads the last row at or before the key (positions count every
    customer's rows: see :meth:`latest` for one customer's own).
    """

    key: NDArray[np.int64]
    time: NDArray[np.int64]
    score: NDArray[np.int8]
    prefix: NDArray[np.int64]

    @classmethod
    def of(
        cls,
        rows: _CriteriaColumns,
        keys: NDArray[np.int64],
        mask: NDArray[np.bool_],
        weights: NDArray[np.int64] | None = None,
    ) -> _KindIndex:
        picked = np.flatnonzero(mask)
        prefix = np.zeros(picked.shape[0] + 1, dtype=np.int64)
        if weights is not None:
            np.cumsum(weights[rows.kind[picked]], out=prefix[1:])
        return cls(
            keys[picked],
            np.concatenate([np.array([NO_TIME], dtype=np.int64), rows.time[picked]]),
            np.concatenate([np.array([-1], dtype=np.int8), rows.score[picked]]),
            prefix,
        )

    def upto(self, key: NDArray[np.int64]) -> NDArray[np.intp]:
        """Return how many of the rows have a key at most ``key`` (one per query)."""
        return np.searchsorted(self.key, key, side="right")

    def latest(
        self, end: NDArray[np.intp], base: NDArray[np.int64]
    ) -> tuple[NDArray[np.bool_], NDArray[np.intp]]:
        """Return, per query, whether its customer has a row before position ``end``, and where.

        ``end`` is :meth:`upto` of the query's key and ``base`` its customer's
        :meth:`_Keys.base`; the position reads ``time`` and ``score`` (the pad where none).
        """
        found = end > self.upto(base)
        return found, np.where(found, end, 0)


@dataclass(frozen=True, slots=True)
class _RowIndex:
    """The rows the criteria read, indexed for criteria at any (customer, instant) pairs."""

    keys: _Keys
    connect: _KindIndex
    churn: _KindIndex
    active: _KindIndex
    purchase: _KindIndex
    referral: _KindIndex
    nps: _KindIndex

    @classmethod
    def of(cls, rows: _CriteriaColumns, policy: Policy) -> _RowIndex:
        keys = _Keys.of(rows.time)
        row_keys = keys.at(keys.base(rows.customer), rows.time)
        weights = np.array([policy.scaled_weights()[k] for k in KINDS], dtype=np.int64)

        def index(mask: NDArray[np.bool_]) -> _KindIndex:
            return _KindIndex.of(rows, row_keys, mask)

        return cls(
            keys,
            index(rows.kind == _CONNECT),
            index(rows.kind == _CHURN),
            _KindIndex.of(rows, row_keys, rows.active, weights),
            index(rows.kind == _PURCHASE),
            index(rows.kind == _REFERRAL),
            index(rows.kind == _NPS),
        )


def _evaluate_at(
    index: _RowIndex,
    policy: Policy,
    windows: _Windows,
    customer: NDArray[np.int32],
    t: NDArray[np.int64],
) -> _Criteria:
    """Evaluate every criterion of ``customer[q]`` at ``t[q]``, for each query ``q``.

    The criteria of :func:`_evaluate`, read by binary searches instead of masks over the
    rows, so one customer may be asked at many instants; row ``q`` of the result answers
    query ``q``. ``windows`` are cut for instants up to ``max(t)``.
    """
    keys = index.keys
    base = keys.base(customer)
    now = keys.at(base, t)

    def start(window: int) -> NDArray[np.int64]:
        """Return the keys of the window's start: rows above it are in ``(t - window, t]``."""
        return keys.at(base, t - window)

    def count(rows: _KindIndex, window: int) -> NDArray[np.int64]:
        counted: NDArray[np.int64] = (rows.upto(now) - rows.upto(start(window))).astype(np.int64)
        return counted

    ever, at_connect = index.connect.latest(index.connect.upto(now), base)
    last_connect = index.connect.time[at_connect]
    # The latest CHURN of the customer's own (the row before theirs may be another's).
    last_churn = index.churn.time[index.churn.latest(index.churn.upto(now), base)[1]]
    connected = primitives.connected(last_connect, last_churn)
    active_end = index.active.upto(now)
    last_active = index.active.time[index.active.latest(active_end, base)[1]]
    recent = active_end - index.active.upto(start(windows.dormant))
    dormant = connected & (last_connect <= t - windows.dormant) & (recent == 0)
    prefix = index.active.prefix
    score = prefix[active_end] - prefix[index.active.upto(start(windows.engage))]
    purchases = count(index.purchase, windows.convert)
    referrals = count(index.referral, windows.advocate)
    answered, at_nps = index.nps.latest(index.nps.upto(now), base)
    answered &= index.nps.time[at_nps] > t - windows.advocate
    latest_nps = np.where(answered, index.nps.score[at_nps], -1).astype(np.int8)
    minimum = policy.advocate_min_nps
    nps_ok = np.ones_like(answered) if minimum is None else latest_nps >= minimum
    met = np.empty((customer.shape[0], len(STAGES)), dtype=np.bool_)
    met[:, 0] = connected
    met[:, 1] = score >= policy.scaled_threshold
    met[:, 2] = purchases > 0
    met[:, 3] = (referrals > 0) & nps_ok
    return _Criteria(
        connected,
        ever & ~connected,
        last_connect,
        last_active,
        dormant,
        met,
        score,
        purchases,
        referrals,
        latest_nps,
    )


_BLOCK: Final = 1 << 15
"""Rows indexed at once by :func:`_since`: a block's index stays small (a few MB), so its
binary searches hit the CPU cache, and memory stays bounded whatever the table's size."""


_LATEST: Final = 4
"""Change points per customer evaluated first, latest first (see :func:`_since`)."""


def _bounds(
    rows: _CriteriaColumns, windows: _Windows, state: NDArray[np.int8], n: int
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Return, per customer, a guess ``B`` at when their state began, and whether it is exact.

    ``B`` is a change point at or before ``t``. It is the answer if the state at ``B - 1``
    differs (checked by :func:`_since`) and the state is constant on ``[B, t]``, which holds
    by construction for CHURNED (the first CHURN at or after the latest CONNECT) and DORMANT
    (``dormant_after`` past the later of the latest CONNECT and the latest customer-initiated
    row). For the ladder states ``B`` is the latest CONNECT: the state began at it or later,
    if the state just before it differs.
    """
    kind = rows.kind
    last_connect = _last_time(rows, kind == _CONNECT, n)
    bound = last_connect.copy()
    # CHURNED: the first CHURN at or after the latest CONNECT.
    churns = np.flatnonzero((kind == _CHURN) & (rows.time >= last_connect[rows.customer]))
    first = churns[run_starts(rows.customer[churns])]
    bound[rows.customer[first]] = rows.time[first]
    # DORMANT: silent (no CONNECT, nothing customer-initiated) for dormant_after since then.
    dormant = state == _DORMANT
    last_active = _last_time(rows, rows.active, n)
    bound[dormant] = np.maximum(last_connect, last_active)[dormant] + windows.dormant
    return bound, dormant | (state == _CHURNED)


def _change_points(
    rows: _CriteriaColumns, windows: _Windows
) -> tuple[NDArray[np.int32], NDArray[np.int64]]:
    """Return every (customer, instant) where a customer's criteria can change.

    As :meth:`custpool._tiers.timeline.Timeline.change_points`: each row, and the instant it
    leaves each window it counts in (a CONNECT's grace period before dormancy ends with it).
    """
    kind = rows.kind
    sources = (
        (kind == _CONNECT, (0, windows.dormant)),
        (kind == _CHURN, (0,)),
        (rows.active, (0, windows.engage, windows.dormant)),
        (kind == _PURCHASE, (0, windows.convert)),
        (kind == _REFERRAL, (0, windows.advocate)),
        (kind == _NPS, (0, windows.advocate)),
    )
    customers: list[NDArray[np.int32]] = []
    points: list[NDArray[np.int64]] = []
    for mask, delays in sources:
        picked = np.flatnonzero(mask)
        for delay in delays:
            customers.append(rows.customer[picked])
            points.append(rows.time[picked] + delay)
    return np.concatenate(customers), np.concatenate(points)


def _since(table: EventTable, policy: Policy, state: NDArray[np.int8], t: int) -> NDArray[np.int64]:
    """Return when each customer entered ``state`` (their state at ``t``); NO_TIME if always.

    Exactly :meth:`custpool._tiers.timeline.Timeline.since`, for every customer at once. The
    state is constant between change points (see :func:`_change_points`), so a customer entered
    their state at the latest change point ``p <= t`` whose previous microsecond ``p - 1`` is
    in another state, and has always been in it (a prospect) if there is none.

    The search is cut short where it can be: a guess ``B`` (see :func:`_bounds`) whose previous
    microsecond is in another state is a lower bound, so only later change points are
    evaluated, and none for CHURNED and DORMANT, whose guess is exact. Rows are indexed in
    blocks of whole customers (:data:`_BLOCK`), each evaluated by :func:`_evaluate_at`.
    """
    rows = _CriteriaColumns.of(table)
    windows = _Windows.of(policy, t)
    n = state.shape[0]
    since = np.full(n, NO_TIME, dtype=np.int64)
    # A prospect has had no CONNECT up to t: always a prospect, since is None.
    keep = (state != _PROSPECT)[rows.customer] & (rows.time <= t)
    if not keep.any():
        return since
    rows = rows.take(np.flatnonzero(keep))
    bound, exact = _bounds(rows, windows, state, n)
    # Blocks of whole customers, about _BLOCK rows each.
    starts = np.flatnonzero(run_starts(rows.customer))
    cuts = np.unique(starts[np.searchsorted(starts, np.arange(0, starts[-1] + 1, _BLOCK))])
    lower = np.empty(n, dtype=np.int64)
    for lo, hi in zip(cuts.tolist(), [*cuts[1:].tolist(), rows.customer.shape[0]], strict=True):
        block = rows.take(np.arange(lo, hi))
        index = _RowIndex.of(block, policy)
        customer = block.customer[run_starts(block.customer)]
        # The guess holds if the state just before it differs: since is B or later.
        before = _states(
            _evaluate_at(index, policy, windows, customer, bound[customer] - 1), policy
        )
        held = before != state[customer]
        since[customer[held]] = bound[customer[held]]
        # Where it holds, only change points after B can be later; where exact, none.
        lower[customer] = NO_TIME
        lower[customer[held]] = bound[customer[held]]
        lower[customer[held & exact[customer]]] = t
        c, p = _change_points(block, windows)
        due = np.flatnonzero((p > lower[c]) & (p <= t))
        # Each customer's distinct points, ascending: (customer, point) pairs in order.
        order = due[np.lexsort((p[due], c[due]))]
        c, p = c[order], p[order]
        distinct = run_starts(c) | np.concatenate([[True], p[1:] != p[:-1]])
        c, p = c[distinct], p[distinct]
        # First each customer's latest few points: if one of them moved, the latest such is the
        # answer, and the customer's earlier points need no evaluation.
        run = np.cumsum(run_starts(c)) - 1
        latest = np.flatnonzero(run_ends(c))[run] - np.arange(c.shape[0]) < _LATEST
        found = np.zeros(n, dtype=np.bool_)
        for part in (latest, ~latest):
            ask = np.flatnonzero(part & ~found[c])
            before = _states(_evaluate_at(index, policy, windows, c[ask], p[ask] - 1), policy)
            moved = ask[before != state[c[ask]]]
            np.maximum.at(since, c[moved], p[moved])
            found[c[moved]] = True
    return since


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
    last_complaint, reason = _last_complaints(table, t, n)
    return TierTable(  # the arrays are frozen by TierTable itself
        as_of=from_micros(t),
        paradigm=policy.paradigm.name,
        customer_ids=table.customer_ids,
        state=state,
        tier=tier,
        _since_from=(table, policy),
        met=criteria.met,
        engage_score=criteria.engage_score,
        purchases=criteria.purchases,
        referrals=criteria.referrals,
        latest_nps=criteria.latest_nps,
        last_complaint=last_complaint,
        complaint_reason=reason,
        operator=owners(table, t, "operator"),
        group=owners(table, t, "group"),
        operator_ids=table.operator_ids,
        group_ids=table.group_ids,
    )


@dataclass(frozen=True, slots=True)
class _CountsOfPart:
    """Part ``k``'s count of customers per state, from the part × state table."""

    table: NDArray[np.intp]

    def __call__(self, k: int) -> dict[State, int]:
        return {s: int(self.table[k, s.code]) for s in State}


def _last_complaints(
    table: EventTable, t: int, n: int
) -> tuple[NDArray[np.int64], NDArray[np.int8]]:
    """Return each customer's latest COMPLAINT at or before ``t`` and its reason code.

    Of several complaints at that instant, the smallest reason code wins (the first reason in
    ``ComplaintReason``'s order), as :meth:`Timeline.last_complaint_reason
    <custpool._tiers.timeline.Timeline.last_complaint_reason>` picks it.
    """
    rows = np.flatnonzero((table.kind == _COMPLAINT) & (table.time <= t))
    last = np.full(n, NO_TIME, dtype=np.int64)
    reason = np.full(n, -1, dtype=np.int8)
    if not rows.size:
        return last, reason
    customers = table.customer[rows]
    ends = run_ends(customers)
    last[customers[ends]] = table.time[rows[ends]]
    # The rows at each customer's latest complaint instant; the smallest reason among them.
    latest = rows[table.time[rows] == last[customers]]
    codes = table.reason[latest]
    codes = np.where(codes < 0, len(COMPLAINT_REASONS) - 1, codes)  # none given: other
    best = np.full(n, len(COMPLAINT_REASONS), dtype=np.int8)
    np.minimum.at(best, table.customer[latest], codes.astype(np.int8))
    reason[customers[ends]] = best[customers[ends]]
    return last, reason


def _check_codes() -> None:
    """Check that the engine's state codes follow the order of :class:`State`."""
    if [s.code for s in State] != list(range(len(State))):  # pragma: no cover
        raise ValidationError("State", list(State), "codes must be 0..6 in member order")


_check_codes()
