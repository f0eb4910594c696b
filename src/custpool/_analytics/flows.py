"""Tier flows: how customers move between the seven states from one period end to the next.

Seed 003: "by watching how customer groups move between the four tiers you can see how well
relationships are run". This module takes the state of every customer at a series of period
ends (:class:`TierSnapshots`), counts the moves between consecutive snapshots as 7×7 matrices
over PROSPECT … CHURNED (:class:`TierFlows`), turns them into row probabilities, and treats the
pooled probabilities as a Markov chain to project the state distribution ahead
(:func:`project_distribution`) and find its long-run balance (:func:`stationary_distribution`).

Rows and columns are indexed by :attr:`State.code <custpool.State.code>`: PROSPECT 0,
CONNECTED 1, ENGAGED 2, CONVERTED 3, ADVOCATE 4, DORMANT 5, CHURNED 6.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, cast, overload

import numpy as np

from custpool._analytics.args import check_index
from custpool._analytics.frames import frame, nullable, state_columns
from custpool._display import Count, Displayed, Pct, Phrase, Report, Section, Span, Text, Time
from custpool._engine import EventTable, Ids, classify_table, readonly
from custpool._errors import ValidationError, WrongTypeError, bad_argument, wrong_argument
from custpool._tiers import Policy, State
from custpool._time import NO_TIME, check_as_of, from_micros

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import tzinfo

    from numpy.typing import ArrayLike, NDArray

    from custpool._display import Cell

__all__ = [
    "N_STATES",
    "STATES",
    "TierFlows",
    "TierSnapshots",
    "check_period_ends",
    "project_distribution",
    "stationary_distribution",
    "tier_flows",
    "tier_snapshots",
    "check_transition_matrix",
]

STATES: Final = tuple(State)
"""The states in code order: ``STATES[code]`` is the state with that code."""
N_STATES: Final = len(STATES)
"""Seven: the size of every flow matrix."""
_ROW_TOLERANCE: Final = 1e-9
"""How far a row of a transition matrix may sum from 1 (rounding of computed probabilities)."""

# -- validation -------------------------------------------------------------------------------


def check_period_ends(period_ends: object) -> tuple[tuple[datetime, ...], NDArray[np.int64]]:
    """Validate period ends: at least two aware datetimes, strictly increasing.

    Returns the ends in UTC and in microseconds since the epoch.

    Raises
    ------
    custpool.WrongTypeError
        If ``period_ends`` is not a sequence of datetimes.
    custpool.ValidationError
        If there are fewer than two ends, one is naive, or they do not strictly increase.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> ends, micros = check_period_ends([datetime(2026, 1, d, tzinfo=UTC) for d in (1, 2)])
    >>> int(micros[1] - micros[0]) == 86_400_000_000
    True
    >>> check_period_ends([datetime(2026, 1, 2, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)])
    Traceback (most recent call last):
    ...
    custpool.ValidationError: period_ends[1]=...: must be after period_ends[0] ...
    """
    if isinstance(period_ends, str | bytes | datetime) or not hasattr(period_ends, "__iter__"):
        raise wrong_argument("period_ends", period_ends, "must be a sequence of aware datetimes")
    ends = tuple(period_ends)
    if len(ends) < 2:
        rule = "needs at least two period ends (two snapshots make one flow)"
        raise bad_argument("period_ends", ends, rule)
    micros: list[int] = []
    for position, end in enumerate(ends):
        if not isinstance(end, datetime):
            raise wrong_argument(f"period_ends[{position}]", end, "must be an aware datetime")
        try:
            t = check_as_of(end)
        except ValidationError as exc:
            raise bad_argument(f"period_ends[{position}]", end, exc.rule) from None
        if micros and t <= micros[-1]:
            rule = (
                f"must be after period_ends[{position - 1}] "
                f"({from_micros(micros[-1]).isoformat()}); period ends strictly increase"
            )
            raise ValidationError(f"period_ends[{position}]", end, rule)
        micros.append(t)
    return tuple(from_micros(t) for t in micros), readonly(np.array(micros, dtype=np.int64))


def _check_k(k: object) -> int:
    if isinstance(k, bool):
        raise WrongTypeError("k", k, "must be a whole number of periods, not a boolean")
    try:
        steps = operator.index(k)  # type: ignore[arg-type]
    except TypeError:
        raise wrong_argument("k", k, "must be a whole number of periods (an int)") from None
    if steps < 0:
        raise ValidationError("k", k, "must be >= 0 (0 periods gives the distribution back)")
    return steps


def _as_array(name: str, values: object) -> NDArray[np.generic]:
    try:
        array: NDArray[np.generic] = np.asarray(values)
    except ValueError:  # ragged nested lists
        raise bad_argument(name, values, "must be a rectangular array") from None
    return array


def _float_array(name: str, values: object, ndim: int) -> NDArray[np.float64]:
    array = _as_array(name, values)
    if array.dtype.kind not in "iuf":  # booleans ("b") are not numbers here
        raise WrongTypeError(name, f"array of dtype {array.dtype}", "must hold real numbers")
    if array.ndim != ndim:
        shape = "a vector" if ndim == 1 else "a matrix"
        raise ValidationError(name, f"array of shape {array.shape}", f"must be {shape}")
    out = array.astype(np.float64)
    if not np.isfinite(out).all():
        raise ValidationError(name, "non-finite entries", "must be finite (no NaN or infinity)")
    return out


def check_transition_matrix(matrix: ArrayLike) -> NDArray[np.float64]:
    """Validate a row-stochastic matrix: square, finite, entries >= 0, each row summing to 1.

    Rows may be off from 1 by 1e-9 (rounding of computed probabilities).

    Raises
    ------
    custpool.ValidationError
        Naming the first row or entry that breaks a rule.
    """
    p = _float_array("matrix", matrix, 2)
    if p.shape[0] != p.shape[1] or p.shape[0] == 0:
        raise ValidationError("matrix", f"array of shape {p.shape}", "must be square, n×n, n >= 1")
    negative = np.argwhere(p < 0)
    if negative.size:
        i, j = (int(v) for v in negative[0])
        raise ValidationError(f"matrix[{i}, {j}]", float(p[i, j]), "probabilities must be >= 0")
    sums = p.sum(axis=1)
    off = np.flatnonzero(np.abs(sums - 1.0) > _ROW_TOLERANCE)
    if off.size:
        row = int(off[0])
        rule = f"each row must sum to 1 (a row-stochastic matrix); it sums to {sums[row]!r}"
        raise ValidationError(f"matrix[{row}]", p[row].tolist(), rule)
    return p


def _check_distribution(distribution: ArrayLike, n: int) -> NDArray[np.float64]:
    x = _float_array("distribution", distribution, 1)
    if x.shape[0] != n:
        rule = f"must have one entry per state of the chain ({n})"
        raise ValidationError("distribution", f"vector of length {x.shape[0]}", rule)
    negative = np.flatnonzero(x < 0)
    if negative.size:
        first = int(negative[0])
        raise ValidationError(f"distribution[{first}]", float(x[first]), "must be >= 0")
    return x


# -- the chain --------------------------------------------------------------------------------


def project_distribution(matrix: ArrayLike, distribution: ArrayLike, k: int) -> NDArray[np.float64]:
    """Project a state distribution ``k`` periods ahead: ``x_k = x_0 · P^k``.

    ``P`` is a row-stochastic matrix (``P[i, j]`` = probability of moving from state ``i`` to
    state ``j`` in one period) and ``x_0`` a row vector. Shares (summing to 1) give shares;
    counts give expected counts (the total is kept, since every row of ``P`` sums to 1).
    ``P^k`` is computed by repeated squaring (``numpy.linalg.matrix_power``).

    Parameters
    ----------
    matrix
        ``n × n`` row-stochastic matrix (entries >= 0, rows summing to 1 within 1e-9).
    distribution
        Length-``n`` vector of non-negative shares or counts.
    k
        Number of periods, ``>= 0``.

    Returns
    -------
    numpy.ndarray
        The projected vector (float64, length ``n``, read-only).

    Raises
    ------
    custpool.ValidationError
        If the matrix is not row-stochastic, the vector has the wrong length or a negative
        entry, or ``k`` is negative.
    custpool.WrongTypeError
        If ``k`` is not an integer.

    Examples
    --------
    Two states, "active" and "lapsed": an active customer stays active with 0.9; a lapsed one
    comes back with 0.5.

    >>> p = [[0.9, 0.1], [0.5, 0.5]]
    >>> project_distribution(p, [1.0, 0.0], 1).tolist()
    [0.9, 0.1]
    >>> [round(float(v), 4) for v in project_distribution(p, [1.0, 0.0], 2)]  # 0.81 + 0.05
    [0.86, 0.14]
    >>> [round(float(v), 6) for v in project_distribution(p, [0.0, 1.0], 200)]  # → (5/6, 1/6)
    [0.833333, 0.166667]
    """
    p = check_transition_matrix(matrix)
    x = _check_distribution(distribution, p.shape[0])
    steps = _check_k(k)
    out: NDArray[np.float64] = x @ np.linalg.matrix_power(p, steps)
    return readonly(out)


def stationary_distribution(matrix: ArrayLike) -> NDArray[np.float64]:
    """Return the stationary distribution ``π`` of a chain: ``π P = π``, ``Σ π = 1``, ``π >= 0``.

    Solved as a linear system: the equations ``π (P − I) = 0`` with the last one replaced by
    ``Σ π = 1``. It has exactly one solution iff the chain has a single closed class of
    states; for an irreducible aperiodic chain, ``x_0 · P^k → π`` from any start.

    Parameters
    ----------
    matrix
        ``n × n`` row-stochastic matrix.

    Returns
    -------
    numpy.ndarray
        ``π`` (float64, length ``n``, read-only).

    Raises
    ------
    custpool.ValidationError
        If the matrix is not row-stochastic, or the chain has several stationary distributions
        (two or more closed classes, such as two absorbing states; in tier flows, states no one
        was in are kept as "stay", so each is a closed class of its own) — project from a given
        start with :func:`project_distribution` instead.

    Examples
    --------
    >>> pi = stationary_distribution([[0.9, 0.1], [0.5, 0.5]])
    >>> [round(float(v), 6) for v in pi]  # 0.1 π0 = 0.5 π1 → π = (5/6, 1/6)
    [0.833333, 0.166667]
    >>> stationary_distribution([[1.0, 0.0], [0.0, 1.0]])
    Traceback (most recent call last):
    ...
    custpool.ValidationError: matrix=...: has more than one stationary distribution ...
    """
    p = check_transition_matrix(matrix)
    n = p.shape[0]
    a = p.T - np.eye(n)
    if np.linalg.matrix_rank(a) < n - 1:
        rule = (
            "has more than one stationary distribution (the chain has two or more closed "
            "classes of states); project from a start with project_distribution instead"
        )
        raise ValidationError("matrix", p.tolist(), rule)
    a[-1, :] = 1.0
    b = np.zeros(n)
    b[-1] = 1.0
    pi = np.maximum(np.linalg.solve(a, b), 0.0)  # clears rounding specks like -1e-17
    out: NDArray[np.float64] = pi / pi.sum()
    return readonly(out)


def _row_probabilities(counts: NDArray[np.int64]) -> NDArray[np.float64]:
    """Divide each row by its sum; rows summing to 0 become NaN (no one to measure)."""
    rows = counts.sum(axis=-1, keepdims=True)
    out = np.full(counts.shape, np.nan)
    np.divide(counts, rows, out=out, where=rows > 0)
    return out


def _state(state: State) -> Text:
    return Text(state.value, state.label_zh)


# -- snapshots --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class TierSnapshots(Displayed):
    """The state of every customer at each of a series of period ends.

    Build one with :func:`tier_snapshots` from an :class:`~custpool.EventTable`, or directly
    from state codes you already have (the constructor validates them).

    Parameters
    ----------
    period_ends
        At least two aware datetimes, strictly increasing (stored in UTC).
    states
        ``(len(period_ends), n_customers)`` integer array of :attr:`State.code
        <custpool.State.code>`: ``states[k, c]`` is customer ``c``'s state at
        ``period_ends[k]``. Copied and stored as read-only int8.
    customer_ids
        Optional id of each customer index (:func:`tier_snapshots` sets the table's).

    Raises
    ------
    custpool.ValidationError
        If the ends are not valid, or ``states`` has the wrong shape or a code outside 0-6.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> ends = [datetime(2026, m, 1, tzinfo=UTC) for m in (1, 2, 3)]
    >>> snaps = TierSnapshots(ends, [[1, 1, 2, 0], [1, 2, 3, 1], [6, 2, 3, 2]])
    >>> snaps.n_periods, snaps.n_customers
    (3, 4)
    >>> snaps.counts[1].tolist()  # at Feb 1: CONNECTED 2, ENGAGED 1, CONVERTED 1
    [0, 2, 1, 1, 0, 0, 0]
    >>> snaps.counts_at(2)[State.CHURNED]
    1
    """

    period_ends: tuple[datetime, ...]
    """The period ends, in UTC, strictly increasing."""
    states: NDArray[np.int8]
    """``(n_periods, n_customers)`` state codes (read-only int8)."""
    customer_ids: Sequence[str] | None = None
    """Id of each customer index, when known (the table's ``customer_ids``)."""
    counts: NDArray[np.int64] = field(init=False)
    """``(n_periods, 7)``: how many customers are in each state at each period end."""
    ends_us: NDArray[np.int64] = field(init=False, repr=False)
    """The period ends in microseconds since the epoch."""

    def __post_init__(self) -> None:
        """Validate the ends and the state codes; derive the counts."""
        ends, micros = check_period_ends(self.period_ends)
        given = _as_array("states", self.states)
        if given.dtype.kind not in "iu":
            raise WrongTypeError("states", f"array of dtype {given.dtype}", "must hold state codes")
        array = cast("NDArray[np.integer[Any]]", given)
        if array.ndim != 2 or array.shape[0] != len(ends):
            rule = f"must be (n_periods, n_customers) with n_periods = {len(ends)} period ends"
            raise ValidationError("states", f"array of shape {array.shape}", rule)
        if array.size and (array.min() < 0 or array.max() >= N_STATES):
            k, c = (int(v) for v in np.argwhere((array < 0) | (array >= N_STATES))[0])
            rule = f"must be a State.code from 0 to {N_STATES - 1}"
            raise ValidationError(f"states[{k}, {c}]", array[k, c].item(), rule)
        if self.customer_ids is not None and len(self.customer_ids) != array.shape[1]:
            rule = f"must name each of the {array.shape[1]} customers once"
            raise ValidationError("customer_ids", f"{len(self.customer_ids)} ids", rule)
        states = readonly(np.array(array, dtype=np.int8))
        counts = np.stack([np.bincount(row, minlength=N_STATES) for row in states])
        object.__setattr__(self, "period_ends", ends)
        object.__setattr__(self, "states", states)
        object.__setattr__(self, "ends_us", micros)
        object.__setattr__(self, "counts", readonly(counts.astype(np.int64)))
        if self.customer_ids is not None and not isinstance(self.customer_ids, Ids):
            object.__setattr__(self, "customer_ids", tuple(self.customer_ids))

    @property
    def n_periods(self) -> int:
        """Number of period ends (snapshots)."""
        return len(self.period_ends)

    @property
    def n_customers(self) -> int:
        """Number of customers in each snapshot."""
        return int(self.states.shape[1])

    def counts_at(self, period: int) -> dict[State, int]:
        """Return the number of customers in each state at ``period_ends[period]``.

        Raises
        ------
        custpool.WrongTypeError
            If ``period`` is not an integer.
        custpool.ValidationError
            If it is not an index of ``period_ends``.
        """
        index = check_index("period", period, self.n_periods)
        return dict(zip(STATES, self.counts[index].tolist(), strict=True))

    def __repr__(self) -> str:
        """Return a one-line summary, never the arrays."""
        first, last = self.period_ends[0].isoformat(), self.period_ends[-1].isoformat()
        return (
            f"TierSnapshots({self.n_periods} period ends from {first} to {last}, "
            f"{self.n_customers} customers)"
        )

    def _report(self) -> Report:
        """Return the customers in each state at each period end: one row per end."""
        title = Phrase(
            Text("tier snapshots:", "层级快照："),
            Count(self.n_customers),
            Text("customers", "位客户"),
        )
        head = (Text("period end", "期末"), *(_state(s) for s in STATES))
        rows: tuple[tuple[Cell, ...], ...] = tuple(
            (Time(end), *(Count(n) for n in counts))
            for end, counts in zip(self.period_ends, self.counts.tolist(), strict=True)
        )
        return Report(title, (Section(rows, columns=head),))

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return the customers in each state at each period end, long: one row per end and state.

        Columns: ``period_end`` (time in ``tz``), ``state`` (its value, all seven in code order,
        zeros included) and ``state_zh`` (its Chinese label), ``customers`` (int: customers in
        the state at the end; each end's rows sum to :attr:`n_customers`).

        Parameters
        ----------
        backend
            ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (with the ``custpool[frames]`` extra).
        tz
            The zone the times are shown in: an IANA name such as ``"Asia/Shanghai"``, or
            ``datetime.UTC`` (the default). It changes how the times read, never the instants.

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
        >>> from datetime import UTC, datetime
        >>> from custpool import TierSnapshots
        >>> ends = [datetime(2026, m, 1, tzinfo=UTC) for m in (1, 2)]
        >>> frame = TierSnapshots(ends, [[1, 1, 2], [1, 2, 6]]).to_frame("pyarrow")
        >>> frame.column_names, frame.num_rows  # 2 ends × 7 states
        (['period_end', 'state', 'state_zh', 'customers'], 14)
        >>> [(r["state"], r["state_zh"], r["customers"]) for r in frame.to_pylist()[7:]
        ...  if r["customers"]]
        [('connected', '浅', 1), ('engaged', '粘', 1), ('churned', '流失', 1)]
        """
        n = self.n_periods
        state, state_zh = state_columns(np.tile(np.arange(N_STATES), n))
        columns = {
            "period_end": np.repeat(self.ends_us, N_STATES),
            "state": state,
            "state_zh": state_zh,
            "customers": self.counts.reshape(-1),
        }
        return frame(columns, backend, tz, ("period_end",))

    def flows(self) -> TierFlows:
        """Return the flows between consecutive snapshots (same as :func:`tier_flows`)."""
        return tier_flows(self)


def tier_snapshots(
    table: EventTable, policy: Policy, period_ends: Sequence[datetime]
) -> TierSnapshots:
    """Classify every customer of ``table`` at each period end.

    ``states[k]`` is ``classify_table(table, policy, period_ends[k]).state``, so it equals
    :func:`custpool.classify` of each customer's history at that instant. The cost is one
    table classification per period end.

    Parameters
    ----------
    table
        The events.
    policy
        The tier policy.
    period_ends
        At least two aware datetimes, strictly increasing (e.g. month ends).

    Returns
    -------
    TierSnapshots

    Raises
    ------
    custpool.ValidationError
        If the period ends are not valid.
    custpool.WrongTypeError
        If ``table`` is not an EventTable or ``policy`` not a Policy.

    Examples
    --------
    >>> from datetime import timedelta
    >>> from custpool import EXAMPLE_START, EventTable, Policy, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> ends = [EXAMPLE_START + timedelta(weeks=w) for w in range(5)]
    >>> snaps = tier_snapshots(table, Policy(), ends)
    >>> snaps.states[:, table.customer_index("c-001")].tolist()  # c-001 weekly
    [1, 3, 4, 4, 4]
    >>> snaps.counts[-1].tolist()  # after four weeks
    [0, 2, 1, 1, 1, 0, 1]
    """
    if not isinstance(table, EventTable):
        raise wrong_argument("table", table, "must be a custpool.EventTable")
    if not isinstance(policy, Policy):
        raise wrong_argument("policy", policy, "must be a custpool.Policy")
    ends, _ = check_period_ends(period_ends)
    states = np.empty((len(ends), table.n_customers), dtype=np.int8)
    for k, end in enumerate(ends):
        states[k] = classify_table(table, policy, end).state
    return TierSnapshots(ends, states, customer_ids=table.customer_ids)


# -- flows ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class TierFlows(Displayed):
    """Moves between the seven states from each period end to the next, and the chain they make.

    Build one with :func:`tier_flows` (or :meth:`TierSnapshots.flows`). Rows and columns are
    :attr:`State.code <custpool.State.code>` (PROSPECT 0 … CHURNED 6); row = state at the
    earlier end, column = state at the later end.

    * ``counts[k][i, j]`` = customers in state ``i`` at ``period_ends[k]`` and ``j`` at
      ``period_ends[k + 1]``; so row ``i`` sums to the earlier snapshot's count of ``i`` and
      column ``j`` to the later snapshot's count of ``j``.
    * ``pooled = Σ_k counts[k]``: every customer-period's move.
    * ``probabilities[i, j] = pooled[i, j] / Σ_j pooled[i, j]``, the empirical one-period
      transition probability; a row with no customers in it (no one in ``i`` at any period end
      but the last) is NaN, as there is nothing to measure.
    * ``transition_matrix`` is ``probabilities`` with each NaN row replaced by "stay" (1 on the
      diagonal): the chain that :meth:`project`, :meth:`stationary` and
      :func:`~custpool.tier_ltv` use. A state no one was in keeps whoever would enter it.

    The chain assumes the moves are time-homogeneous (the same in every period) and depend only
    on the current state (Markov); ``period_probabilities`` shows whether the first holds.

    Examples
    --------
    >>> import numpy as np
    >>> from datetime import UTC, datetime
    >>> ends = [datetime(2026, m, 1, tzinfo=UTC) for m in (1, 2, 3)]
    >>> flows = tier_flows(TierSnapshots(ends, [[1, 1, 2, 0], [1, 2, 3, 1], [6, 2, 3, 2]]))
    >>> flows.counts[0][1].tolist()  # the two CONNECTED on Jan 1: one stays, one engages
    [0, 1, 1, 0, 0, 0, 0]
    >>> flows.pooled[1].tolist()  # 2 + 2 CONNECTED: 1 stays, 2 engage, 1 churns
    [0, 1, 2, 0, 0, 0, 1]
    >>> flows.probabilities[1].tolist()  # 1/4, 2/4, 1/4
    [0.0, 0.25, 0.5, 0.0, 0.0, 0.0, 0.25]
    >>> bool(np.isnan(flows.probabilities[State.ADVOCATE.code]).all())  # no advocates
    True
    >>> flows.transition_matrix[State.ADVOCATE.code].tolist()  # treated as "stay"
    [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    >>> flows.moves()[State.CONNECTED, State.ENGAGED]
    2
    """

    period_ends: tuple[datetime, ...]
    """The period ends, in UTC."""
    counts: NDArray[np.int64]
    """``(n_periods - 1, 7, 7)``: moves from ``period_ends[k]`` to ``period_ends[k + 1]``."""
    snapshot_counts: NDArray[np.int64]
    """``(n_periods, 7)``: customers per state at each period end."""
    pooled: NDArray[np.int64] = field(init=False)
    """``(7, 7)``: the sum of ``counts`` over the periods."""
    probabilities: NDArray[np.float64] = field(init=False)
    """``(7, 7)``: row probabilities of ``pooled``; NaN rows where no one started."""
    period_probabilities: NDArray[np.float64] = field(init=False)
    """``(n_periods - 1, 7, 7)``: row probabilities of each period's ``counts``."""
    transition_matrix: NDArray[np.float64] = field(init=False)
    """``(7, 7)``: ``probabilities`` with NaN rows as "stay"; row-stochastic."""

    def __post_init__(self) -> None:
        """Derive the pooled matrix and the probabilities."""
        pooled = self.counts.sum(axis=0)
        probabilities = _row_probabilities(pooled)
        empty = pooled.sum(axis=1) == 0
        transition = np.where(empty[:, None], np.eye(N_STATES), probabilities)
        object.__setattr__(self, "pooled", readonly(pooled))
        object.__setattr__(self, "probabilities", readonly(probabilities))
        object.__setattr__(self, "period_probabilities", readonly(_row_probabilities(self.counts)))
        object.__setattr__(self, "transition_matrix", readonly(transition))

    @property
    def n_transitions(self) -> int:
        """Number of periods measured (period ends minus one)."""
        return int(self.counts.shape[0])

    def moves(self, period: int | None = None) -> dict[tuple[State, State], int]:
        """Return the non-zero moves between different states as ``{(from, to): customers}``.

        ``period`` picks one transition (``period_ends[period]`` → ``period_ends[period + 1]``);
        None pools them all. Customers who stay are on the diagonal of ``counts``/``pooled``.

        Raises
        ------
        custpool.WrongTypeError
            If ``period`` is not an integer or None.
        custpool.ValidationError
            If it is not an index of the transitions.
        """
        if period is None:
            matrix = self.pooled
        else:
            matrix = self.counts[check_index("period", period, self.n_transitions)]
        return {
            (STATES[i], STATES[j]): int(matrix[i, j])
            for i, j in zip(*np.nonzero(matrix), strict=True)
            if i != j
        }

    def distribution(self, period: int = -1) -> NDArray[np.float64]:
        """Return the share of customers in each state at ``period_ends[period]`` (default last).

        All zeros when there are no customers.

        Raises
        ------
        custpool.WrongTypeError
            If ``period`` is not an integer.
        custpool.ValidationError
            If it is not an index of ``period_ends``.
        """
        counts = self.snapshot_counts[check_index("period", period, self.snapshot_counts.shape[0])]
        total = int(counts.sum())
        out = counts / total if total else np.zeros(N_STATES)
        return readonly(out)

    def project(self, k: int, distribution: ArrayLike | None = None) -> NDArray[np.float64]:
        """Project the state distribution ``k`` periods past the last period end.

        ``x_k = x_0 · T^k`` with ``T`` = :attr:`transition_matrix` and ``x_0`` the shares at the
        last period end (or ``distribution``: shares or counts, length 7). See
        :func:`project_distribution`.

        Examples
        --------
        >>> from datetime import UTC, datetime
        >>> ends = [datetime(2026, m, 1, tzinfo=UTC) for m in (1, 2)]
        >>> flows = tier_flows(TierSnapshots(ends, [[1, 1, 1, 1], [1, 1, 1, 6]]))
        >>> flows.transition_matrix[1].tolist()  # of 4 CONNECTED, 3 stayed and 1 churned
        [0.0, 0.75, 0.0, 0.0, 0.0, 0.0, 0.25]
        >>> flows.project(0).tolist()  # the shares on Feb 1
        [0.0, 0.75, 0.0, 0.0, 0.0, 0.0, 0.25]
        >>> flows.project(1).tolist()  # 0.75 · 0.75; 0.75 · 0.25 + 0.25 (no data: CHURNED stays)
        [0.0, 0.5625, 0.0, 0.0, 0.0, 0.0, 0.4375]
        >>> flows.project(1, [0, 4, 0, 0, 0, 0, 0]).tolist()  # counts → expected counts
        [0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 1.0]
        """
        start = self.distribution() if distribution is None else distribution
        return project_distribution(self.transition_matrix, start, k)

    def __repr__(self) -> str:
        """Return a one-line summary, never the arrays."""
        first, last = self.period_ends[0].isoformat(), self.period_ends[-1].isoformat()
        moved = sum(self.moves().values())
        return f"TierFlows({self.n_transitions} periods from {first} to {last}, {moved} moves)"

    def _report(self) -> Report:
        """Return the pooled moves and one-period probabilities as 7 × 7 tables (from → to)."""
        title = Phrase(
            Text("tier flows over", "层级流转："),
            Count(self.n_transitions),
            Text("periods", "个周期"),
            Span(self.period_ends[0], self.period_ends[-1]),
        )
        head = (Text("from \\ to", "从 \\ 到"), *(_state(s) for s in STATES))
        moves: tuple[tuple[Cell, ...], ...] = tuple(
            (_state(s), *(Count(n) for n in row))
            for s, row in zip(STATES, self.pooled.tolist(), strict=True)
        )
        chances: tuple[tuple[Cell, ...], ...] = tuple(
            (_state(s), *(Pct(p) for p in row))
            for s, row in zip(STATES, self.probabilities.tolist(), strict=True)
        )
        return Report(
            title,
            (
                Section(
                    moves,
                    title=Text("customers moved (pooled)", "流转客户数（合计）"),
                    columns=head,
                ),
                Section(
                    chances, title=Text("one-period probability", "单期转移概率"), columns=head
                ),
            ),
        )

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return the moves long: one row per period (and pooled) and pair of states.

        For each period ``(period_ends[k], period_ends[k + 1]]``, then pooled over them all, one
        row for each of the 7 × 7 pairs of states (zeros and stays included). Columns:

        - ``window_start``, ``window_end``: the period (times in ``tz``); null on pooled rows;
        - ``pooled``: bool, true on the rows of :attr:`pooled` and :attr:`probabilities`;
        - ``from_state``, ``from_state_zh``: the state at the period's start (value, Chinese);
        - ``to_state``, ``to_state_zh``: the state at its end;
        - ``customers``: int, the customers who made the move (:attr:`counts` or
          :attr:`pooled`);
        - ``probability``: float, ``customers`` over the customers in ``from_state`` at the
          start (:attr:`period_probabilities` or :attr:`probabilities`); null where no one was.

        Parameters
        ----------
        backend
            ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (with the ``custpool[frames]`` extra).
        tz
            The zone the times are shown in: an IANA name such as ``"Asia/Shanghai"``, or
            ``datetime.UTC`` (the default). It changes how the times read, never the instants.

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
        >>> from datetime import UTC, datetime
        >>> from custpool import TierSnapshots, tier_flows
        >>> ends = [datetime(2026, m, 1, tzinfo=UTC) for m in (1, 2, 3)]
        >>> flows = tier_flows(TierSnapshots(ends, [[1, 1, 2, 0], [1, 2, 3, 1], [6, 2, 3, 2]]))
        >>> frame = flows.to_frame("polars")
        >>> frame.height  # (2 periods + pooled) × 49 pairs
        147
        >>> frame.filter(frame["pooled"] & (frame["from_state"] == "connected")
        ...              & (frame["customers"] > 0)).select("to_state", "customers",
        ...                                                 "probability").rows()
        [('connected', 1, 0.25), ('engaged', 2, 0.5), ('churned', 1, 0.25)]
        """
        _, ends = check_period_ends(self.period_ends)
        pairs = N_STATES * N_STATES
        blocks = self.n_transitions + 1
        start = np.concatenate([np.repeat(ends[:-1], pairs), np.full(pairs, NO_TIME)])
        end = np.concatenate([np.repeat(ends[1:], pairs), np.full(pairs, NO_TIME)])
        codes = np.arange(N_STATES)
        from_state, from_zh = state_columns(np.tile(np.repeat(codes, N_STATES), blocks))
        to_state, to_zh = state_columns(np.tile(codes, N_STATES * blocks))
        probability = np.concatenate(
            [self.period_probabilities.reshape(-1), self.probabilities.reshape(-1)]
        )
        columns = {
            "window_start": start,
            "window_end": end,
            "pooled": np.arange(blocks * pairs) >= self.n_transitions * pairs,
            "from_state": from_state,
            "from_state_zh": from_zh,
            "to_state": to_state,
            "to_state_zh": to_zh,
            "customers": np.concatenate([self.counts.reshape(-1), self.pooled.reshape(-1)]),
            "probability": nullable(probability, np.isnan(probability)),
        }
        return frame(columns, backend, tz, ("window_start", "window_end"))

    def stationary(self) -> NDArray[np.float64]:
        """Return the stationary distribution of :attr:`transition_matrix`.

        Raises
        ------
        custpool.ValidationError
            If it is not unique (see :func:`stationary_distribution`).
        """
        return stationary_distribution(self.transition_matrix)


@overload
def tier_flows(source: TierSnapshots) -> TierFlows: ...
@overload
def tier_flows(
    source: EventTable, policy: Policy, period_ends: Sequence[datetime]
) -> TierFlows: ...
def tier_flows(
    source: TierSnapshots | EventTable,
    policy: Policy | None = None,
    period_ends: Sequence[datetime] | None = None,
) -> TierFlows:
    """Count the moves between the seven states from each period end to the next.

    For each pair of consecutive snapshots ``k``, ``k + 1``:
    ``counts[k] = bincount(7 · state_k + state_{k+1}, minlength=49).reshape(7, 7)``. See
    :class:`TierFlows` for the pooled matrix, the probabilities and the chain.

    Parameters
    ----------
    source
        :class:`TierSnapshots`, or an :class:`~custpool.EventTable` together with ``policy``
        and ``period_ends`` (then :func:`tier_snapshots` is called first).
    policy
        The tier policy (with a table only).
    period_ends
        At least two aware datetimes, strictly increasing (with a table only).

    Returns
    -------
    TierFlows

    Raises
    ------
    custpool.ValidationError
        If ``policy``/``period_ends`` are given with snapshots, or missing with a table.
    custpool.WrongTypeError
        If ``source`` is neither.

    Examples
    --------
    >>> from datetime import timedelta
    >>> from custpool import EXAMPLE_START, EventTable, Policy, State, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> ends = [EXAMPLE_START + timedelta(weeks=w) for w in range(5)]
    >>> flows = tier_flows(table, Policy(), ends)
    >>> flows.n_transitions, int(flows.pooled.sum())  # 4 weeks × 6 customers
    (4, 24)
    >>> flows.moves()[State.CONNECTED, State.CHURNED]  # c-004 deleted us in week 3
    1
    """
    if isinstance(source, TierSnapshots):
        for name, value in (("policy", policy), ("period_ends", period_ends)):
            if value is not None:
                raise bad_argument(name, value, "must be left out when snapshots are given")
        snapshots = source
    elif isinstance(source, EventTable):
        if policy is None or period_ends is None:
            missing = "policy" if policy is None else "period_ends"
            raise ValidationError(missing, None, "is required with an EventTable")
        snapshots = tier_snapshots(source, policy, period_ends)
    else:
        raise wrong_argument("source", source, "must be TierSnapshots or a custpool.EventTable")
    states = snapshots.states
    counts = np.empty((snapshots.n_periods - 1, N_STATES, N_STATES), dtype=np.int64)
    for k in range(snapshots.n_periods - 1):
        pair = states[k] * np.int8(N_STATES) + states[k + 1]  # at most 6 · 7 + 6 = 48: int8
        counts[k] = np.bincount(pair, minlength=N_STATES * N_STATES).reshape(N_STATES, N_STATES)
    return TierFlows(snapshots.period_ends, readonly(counts), snapshots.counts)
