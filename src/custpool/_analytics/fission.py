"""Fission (裂变): existing customers bringing new ones (存量带增量), measured on an EventTable.

Two things in the data record a referral: a REFERRAL row, made by the referrer and naming the
referred customer (``referred``), and the referred customer's CONNECT with source REFERRAL.
:func:`fission` reports both over a window — referrals per advocate, the K-factor, the share of
new connections that came by referral — and :func:`referral_tree` follows REFERRAL rows from
customer to customer to tell each one's generation (the founder's friends are generation 1,
their friends generation 2, …).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from custpool._analytics.frames import frame, nullable
from custpool._display import (
    Count,
    Displayed,
    Number,
    Pct,
    Phrase,
    Report,
    Section,
    Span,
    Text,
    Time,
)
from custpool._engine import (
    KIND_CODE,
    NO_TIME,
    SOURCES,
    EventTable,
    Ids,
    KindRows,
    Window,
    as_window,
    classify_table,
    first_connect,
    in_window,
    rate,
    readonly,
    run_starts,
)
from custpool._errors import UnknownIdError, wrong_argument
from custpool._model import InteractionKind, SourceChannel
from custpool._tiers import State
from custpool._time import check_as_of, from_micros, to_micros

if TYPE_CHECKING:
    from datetime import datetime, tzinfo

    from numpy.typing import NDArray

    from custpool._frames import ColumnType
    from custpool._tiers import Policy

__all__ = ["FissionReport", "ReferralTree", "fission", "fission_of", "referral_tree"]

_CONNECT: Final = KIND_CODE[InteractionKind.CONNECT]
_REFERRAL: Final = KIND_CODE[InteractionKind.REFERRAL]
_BY_REFERRAL: Final = SOURCES.index(SourceChannel.REFERRAL)
_NO_LATER: Final = np.iinfo(np.int64).max


@dataclass(frozen=True, slots=True, eq=False)
class ReferralTree(Displayed):
    """The referral forest at ``as_of``: each customer's referrer and generation.

    A customer's **referrer** made the earliest REFERRAL row naming them at or before
    ``as_of``, among the rows made before the customer referred anyone themselves (see
    :func:`referral_tree`). Customers without one are roots, generation 0; a referred
    customer's generation is one more than their referrer's. Arrays are indexed like the
    table's customers and read-only.

    Examples
    --------
    >>> from custpool import EXAMPLE_START, EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> tree = referral_tree(table, EXAMPLE_START.replace(day=31))
    >>> tree.generation_of("c-002"), tree.referrer_of("c-002"), tree.max_depth
    (1, 'c-001', 1)
    >>> tree.counts()  # four founders, two referred
    (4, 2)
    """

    as_of: datetime
    """The instant of the forest (UTC); later REFERRAL rows are not read."""
    customer_ids: Ids
    """Customer id of each index (the table's)."""
    referrer: NDArray[np.int32]
    """Index of each customer's referrer, -1 for a root."""
    generation: NDArray[np.int32]
    """0 for customers never referred, else the referrer's generation + 1."""

    def __len__(self) -> int:
        """Return the number of customers."""
        return len(self.customer_ids)

    def __repr__(self) -> str:
        """Return a summary: the instant and the customers per generation."""
        counts = self.counts()
        shown = str(counts) if len(counts) <= 10 else f"({', '.join(map(str, counts[:8]))}, …)"
        return f"ReferralTree(as_of={self.as_of.isoformat()}, counts={shown})"

    @property
    def max_depth(self) -> int:
        """The deepest generation (0 when nobody was referred)."""
        return int(self.generation.max()) if self.generation.size else 0

    def counts(self) -> tuple[int, ...]:
        """Return the number of customers of each generation, from 0 to :attr:`max_depth`."""
        return tuple(np.bincount(self.generation, minlength=1).tolist())

    def _index(self, customer_id: str) -> int:
        if not isinstance(customer_id, str):
            raise wrong_argument("customer_id", customer_id, "must be a customer id (a str)")
        try:
            return self.customer_ids.index(customer_id)
        except ValueError:
            raise UnknownIdError("customer", customer_id) from None

    def _report(self) -> Report:
        """Return the forest's size and depth, then the customers of each generation."""
        title = Phrase(Text("referral forest at", "推荐关系，截至"), Time(self.as_of))
        counts = self.counts()
        figures = (
            (Text("customers", "客户数"), Count(len(self))),
            (Text("referred", "被推荐客户"), Count(len(self) - counts[0])),
            (Text("deepest generation", "最深代数"), Count(self.max_depth)),
        )
        return Report(title, (Section(figures), _generation_table(counts)))

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return the forest as a frame: one row per customer of the table, in index order.

        Columns: ``customer_id`` (str); ``referrer_id`` (str: who referred them; null for a
        root); ``generation`` (int: 0 for a root, else the referrer's + 1); ``as_of`` (the
        forest's instant, in ``tz``, the same on every row).

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
        >>> from custpool import EXAMPLE_START, EventTable, example_pool, referral_tree
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> tree = referral_tree(table, EXAMPLE_START.replace(day=31))
        >>> frame = tree.to_frame("pyarrow", tz="Asia/Shanghai")
        >>> frame.column_names
        ['customer_id', 'referrer_id', 'generation', 'as_of']
        >>> [(r["customer_id"], r["referrer_id"], r["generation"]) for r in frame.to_pylist()
        ...  if r["generation"]]
        [('c-002', 'c-001', 1), ('c-006', 'c-003', 1)]
        """
        n = len(self)
        columns = {
            **_tree_columns(self),
            "as_of": np.full(n, to_micros(self.as_of), dtype=np.int64),
        }
        return frame(columns, backend, tz, ("as_of",), _TREE_DTYPES)

    def generation_of(self, customer_id: str) -> int:
        """Return one customer's generation.

        Raises
        ------
        custpool.UnknownIdError
            If the table has no such customer.
        """
        return int(self.generation[self._index(customer_id)])

    def referrer_of(self, customer_id: str) -> str | None:
        """Return the id of the customer who referred ``customer_id``, or None for a root.

        Raises
        ------
        custpool.UnknownIdError
            If the table has no such customer.
        """
        parent = int(self.referrer[self._index(customer_id)])
        return None if parent < 0 else self.customer_ids[parent]


_TREE_DTYPES: Final[dict[str, ColumnType]] = {"customer_id": "str", "referrer_id": "str"}
"""The ids are object arrays: typed, so a forest of roots only (no referrer) keeps its schema."""


def _tree_columns(tree: ReferralTree) -> dict[str, object]:
    """Return the per-customer columns of a forest: id, referrer's id and generation."""
    index = np.arange(len(tree))
    referrer = tree.referrer
    roots = referrer < 0
    return {
        "customer_id": tree.customer_ids.column(index),
        "referrer_id": nullable(tree.customer_ids.column(np.where(roots, 0, referrer)), roots),
        "generation": tree.generation.astype(np.int64),
    }


def _referrers(table: EventTable, as_of: int) -> NDArray[np.int32]:
    """Return each customer's referrer (-1 for none); see :func:`referral_tree` for the rule."""
    rows = np.flatnonzero((table.kind == _REFERRAL) & (table.time <= as_of))
    referrer = table.customer[rows]
    time = table.time[rows]
    # When each customer made their own first referral (rows are by customer, then time).
    first_made = np.full(table.n_customers, _NO_LATER, dtype=np.int64)
    first = run_starts(referrer)
    first_made[referrer[first]] = time[first]
    # A referral counts only if the referred customer had not yet referred anyone.
    counts = time < first_made[table.referred[rows]]
    rows = rows[counts]
    referred = table.referred[rows]
    # Earliest first; at equal times the lower row, i.e. the lower referrer index.
    order = np.lexsort((rows, table.time[rows], referred))
    referred = referred[order]
    first = run_starts(referred)
    parent = np.full(table.n_customers, -1, dtype=np.int32)
    parent[referred[first]] = table.customer[rows[order[first]]]
    return parent


def _generations(parent: NDArray[np.int32]) -> NDArray[np.int32]:
    """Return each node's depth in the forest ``parent`` by pointer jumping.

    Every round doubles how far each node has looked up its chain (``depth`` is the distance
    to ``ancestor``), so ``log2(n) + 1`` rounds reach every root. The rounds are capped: the
    referral rule makes cycles impossible, and a cycle would stop here rather than loop.
    """
    n = parent.shape[0]
    ancestor = parent.astype(np.intp)
    depth = (parent >= 0).astype(np.int32)
    pending = np.flatnonzero(ancestor >= 0)
    for _ in range(n.bit_length() + 1):
        if not pending.size:
            break
        up = ancestor[pending]
        depth[pending] += depth[up]
        ancestor[pending] = ancestor[up]
        pending = pending[ancestor[pending] >= 0]
    if pending.size:  # pragma: no cover - excluded by the rule of _referrers
        msg = "the referral forest has a cycle"
        raise RuntimeError(msg)
    return depth


def referral_tree(table: EventTable, as_of: datetime) -> ReferralTree:
    """Follow REFERRAL rows at or before ``as_of`` into each customer's referrer and generation.

    - A REFERRAL row naming ``c`` at time ``t`` **counts** if ``c`` had made no referral of
      their own at or before ``t``: someone already bringing in others was in the pool, and is
      not "referred" by a later row (data where ``a`` refers ``b`` and ``b`` later refers
      ``a``).
    - The **referrer** of ``c`` is the customer of the earliest counting row naming ``c`` (at
      equal times, the lower customer index); later referrals of ``c`` do not move them.
    - ``generation(c) = 0`` if ``c`` has no referrer, else ``generation(referrer) + 1``.

    The rule makes a cycle impossible (along a chain of referrers, each referral is strictly
    earlier than the one below it), so every customer has a generation. They are computed
    for all customers at once by pointer jumping (``log2(depth) + 1`` vectorised rounds, no
    loop over customers).

    Parameters
    ----------
    table
        The events.
    as_of
        The instant, timezone-aware.

    Returns
    -------
    ReferralTree

    Raises
    ------
    custpool.WrongTypeError
        If ``table`` is not an EventTable.
    custpool.ValidationError
        If ``as_of`` is naive.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> import numpy as np
    >>> from custpool import EventTable
    >>> t = np.datetime64("2026-03-01", "us").astype(np.int64)
    >>> table = EventTable.from_arrays(  # a → b, b → c, b → d, a → c again, then c → a
    ...     customer=[0, 1, 1, 0, 2], time=[t, t + 1, t + 2, t + 3, t + 4], kind=[10] * 5,
    ...     referred=[1, 2, 3, 2, 0], customer_ids=["a", "b", "c", "d"],
    ... )
    >>> tree = referral_tree(table, datetime(2026, 3, 2, tzinfo=UTC))
    >>> tree.generation.tolist(), tree.referrer_of("c"), tree.counts()  # c → a does not count
    ([0, 1, 2, 2], 'b', (1, 1, 2))
    """
    if not isinstance(table, EventTable):
        raise wrong_argument("table", table, "must be a custpool.EventTable")
    t = check_as_of(as_of)
    parent = _referrers(table, t)
    generation = _generations(parent)
    return ReferralTree(
        as_of=from_micros(t),
        customer_ids=table.customer_ids,
        referrer=readonly(parent),
        generation=readonly(generation),
    )


def _generation_table(counts: tuple[int, ...]) -> Section:
    """Return the table of customers per referral generation."""
    rows = tuple((Count(g), Count(n)) for g, n in enumerate(counts))
    head = (Text("generation", "代"), Text("customers", "客户数"))
    return Section(rows, title=Text("customers per generation", "各代客户数"), columns=head)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class FissionReport(Displayed):
    """How much the pool grew by referral in a window (存量带增量).

    See :func:`fission` for every formula.

    Examples
    --------
    >>> from datetime import timedelta
    >>> from custpool import EXAMPLE_START, EventTable, Policy, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> report = fission(table, Policy(), EXAMPLE_START, EXAMPLE_START + timedelta(days=20))
    >>> report.advocates, report.advocate_ids, report.referrals_per_advocate
    (1, ('c-001',), 1.0)
    >>> report.connections, report.referral_connections, report.referral_share  # 2 of 5
    (5, 2, 0.4)
    """

    window: Window
    """The window ``(start, end]``."""
    advocates: int
    """Customers in state ADVOCATE (铁) at the window's end."""
    advocate: NDArray[np.int32]
    """Their customer indices, ascending."""
    advocate_referrals: NDArray[np.int64]
    """REFERRAL rows each advocate made in the window (aligned with :attr:`advocate`)."""
    referrals: int
    """REFERRAL rows in the window, by anyone."""
    referrals_by_advocates: int
    """Of those, the rows made by the advocates."""
    referrals_per_advocate: float | None
    """``referrals_by_advocates / advocates``; None without advocates."""
    referred_customers: int
    """Distinct customers named by REFERRAL rows in the window."""
    connected_at_start: int
    """Customers connected at the window's start (the base the K-factor divides by)."""
    new_customers: int
    """Customers whose first CONNECT ever is in the window."""
    new_by_referral: int
    """Of those, the ones whose first CONNECT has source REFERRAL."""
    k_factor: float | None
    """``new_by_referral / connected_at_start``; None when nobody was connected at the start."""
    connections: int
    """CONNECT rows in the window (reconnections included)."""
    referral_connections: int
    """Of those, the rows with source REFERRAL."""
    referral_share: float | None
    """``referral_connections / connections``; None without connections."""
    max_depth: int
    """The deepest referral generation at the window's end (see :func:`referral_tree`)."""
    generation_counts: tuple[int, ...]
    """Customers of each generation at the window's end, from generation 0."""
    customer_ids: Ids
    """Customer id of each index (the table's)."""
    tree: ReferralTree = field(repr=False)
    """The referral forest at the window's end (:func:`referral_tree`)."""
    customer_referrals: NDArray[np.int64] = field(repr=False)
    """REFERRAL rows each customer (by table index) made in the window."""
    customer_referred: NDArray[np.bool_] = field(repr=False)
    """Whether each customer is named by a REFERRAL row in the window."""
    customer_connected_at_start: NDArray[np.bool_] = field(repr=False)
    """Whether each customer was connected at the window's start."""
    customer_new: NDArray[np.bool_] = field(repr=False)
    """Whether each customer's first CONNECT ever is in the window."""
    customer_new_by_referral: NDArray[np.bool_] = field(repr=False)
    """Whether it is, and has source REFERRAL."""

    @property
    def advocate_ids(self) -> tuple[str, ...]:
        """The ids of the advocates."""
        return tuple(self.customer_ids[i] for i in self.advocate.tolist())

    def __repr__(self) -> str:
        """Return a one-line summary, never the arrays."""
        k = "n/a" if self.k_factor is None else f"{self.k_factor:.3f}"
        return (
            f"FissionReport({self.advocates} advocates, {self.referrals} referrals, "
            f"{self.new_by_referral} of {self.new_customers} new by referral, K={k}, {self.window})"
        )

    def _report(self) -> Report:
        """Return the window's referral figures, then the customers of each generation."""
        title = Phrase(Text("fission", "裂变"), Span(self.window.start, self.window.end))
        figures = (
            (Text("advocates", "铁粉（推荐者）"), Count(self.advocates)),
            (Text("referrals", "推荐次数"), Count(self.referrals)),
            (Text("referrals by advocates", "铁粉推荐次数"), Count(self.referrals_by_advocates)),
            (Text("referrals per advocate", "人均推荐"), Number(self.referrals_per_advocate)),
            (Text("referred customers", "被推荐客户"), Count(self.referred_customers)),
            (Text("connected at start", "期初已连接"), Count(self.connected_at_start)),
            (Text("new customers", "新客户"), Count(self.new_customers)),
            (Text("new by referral", "推荐新客户"), Count(self.new_by_referral)),
            (Text("K-factor", "K 因子"), Number(self.k_factor, 3)),
            (Text("connections", "连接次数"), Count(self.connections)),
            (Text("referral connections", "推荐连接"), Count(self.referral_connections)),
            (Text("referral share", "推荐占比"), Pct(self.referral_share)),
            (Text("deepest generation", "最深代数"), Count(self.max_depth)),
        )
        return Report(title, (Section(figures), _generation_table(self.generation_counts)))

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return the facts behind the report per customer: one row per customer of the table.

        Each count of the report is the sum of a column (``advocates`` of ``advocate``,
        ``referrals`` of ``referrals``, ``referred_customers`` of ``referred``,
        ``connected_at_start``, ``new_customers`` of ``new_customer``, ``new_by_referral``), so
        the K-factor and the referrals per advocate can be recomputed for any group. Columns:

        - ``window_start``, ``window_end``: the window (times in ``tz``), on every row;
        - ``customer_id``; ``referrer_id`` (null for a root) and ``generation`` (int), from the
          referral forest at the window's end (:func:`referral_tree`);
        - ``advocate``: bool, in state ADVOCATE (铁) at the window's end;
        - ``referrals``: int, REFERRAL rows the customer made in the window;
        - ``referred``: bool, named by a REFERRAL row in the window;
        - ``connected_at_start``: bool, connected at the window's start (the K-factor's base);
        - ``new_customer``: bool, first CONNECT ever in the window;
        - ``new_by_referral``: bool, and that CONNECT has source REFERRAL.

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
        >>> from datetime import timedelta
        >>> from custpool import EXAMPLE_START, EventTable, Policy, example_pool, fission
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> start, end = EXAMPLE_START + timedelta(days=5), EXAMPLE_START.replace(day=31)
        >>> frame = fission(table, Policy(), start, end).to_frame("polars")
        >>> frame.select("new_by_referral", "connected_at_start").sum().rows()  # k = 2 / 4
        [(2, 4)]
        >>> frame.filter(frame["new_by_referral"]).select("customer_id", "referrer_id").rows()
        [('c-002', 'c-001'), ('c-006', 'c-003')]
        """
        n = len(self.customer_ids)
        advocate = np.zeros(n, dtype=np.bool_)
        advocate[self.advocate] = True
        tree = _tree_columns(self.tree)
        columns = {
            "window_start": np.full(n, self.window.start_us, dtype=np.int64),
            "window_end": np.full(n, self.window.end_us, dtype=np.int64),
            **tree,
            "advocate": advocate,
            "referrals": self.customer_referrals,
            "referred": self.customer_referred,
            "connected_at_start": self.customer_connected_at_start,
            "new_customer": self.customer_new,
            "new_by_referral": self.customer_new_by_referral,
        }
        return frame(columns, backend, tz, ("window_start", "window_end"), _TREE_DTYPES)


def fission(
    table: EventTable,
    policy: Policy,
    start: datetime | Window,
    end: datetime | None = None,
) -> FissionReport:
    """Measure fission in the window ``(start, end]``: advocates, K-factor, referral share, depth.

    With "in the window" meaning ``start < time <= end``:

    - **advocates**: customers whose state at ``end`` is ADVOCATE 铁 under ``policy``
      (:func:`~custpool.classify_table`); ``advocate_referrals`` counts each one's REFERRAL rows
      in the window, and ``referrals_per_advocate = referrals_by_advocates / advocates``.
    - **K-factor** ``= new_by_referral / connected_at_start``: customers whose first CONNECT
      ever is in the window with source REFERRAL, per customer connected at ``start`` (a CONNECT
      at or before it and no CHURN at or after the latest one). A K-factor of 0.1 means every
      ten connected customers brought one new customer in the window; above 1 the pool grows
      from referrals alone.
    - **referral share** ``= referral_connections / connections``: CONNECT rows in the window
      with source REFERRAL, over all CONNECT rows in the window (reconnections included).
    - **depth**: the generations of :func:`referral_tree` at ``end`` (REFERRAL rows of all
      time up to ``end``, not only the window's): ``max_depth`` and ``generation_counts``
      over every customer of the table.

    Rates are None when their denominator is 0.

    Parameters
    ----------
    table
        The events.
    policy
        The tier policy that decides who is an advocate.
    start, end
        The window ``(start, end]`` (aware datetimes), or a :class:`~custpool.Window` as
        ``start`` alone.

    Returns
    -------
    FissionReport

    Raises
    ------
    custpool.WrongTypeError
        If ``table`` is not an EventTable or ``policy`` not a Policy.
    custpool.ValidationError
        If the window is invalid.

    Examples
    --------
    >>> from datetime import timedelta
    >>> from custpool import EXAMPLE_START, EventTable, Policy, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> start, end = EXAMPLE_START + timedelta(days=5), EXAMPLE_START.replace(day=31)
    >>> month = fission(table, Policy(), start, end)
    >>> month.connected_at_start, month.new_customers, month.new_by_referral, month.k_factor
    (4, 2, 2, 0.5)
    >>> month.max_depth, month.generation_counts
    (1, (4, 2))
    """
    if not isinstance(table, EventTable):
        raise wrong_argument("table", table, "must be a custpool.EventTable")
    window = as_window(start, end)
    tiers = classify_table(table, policy, window.end)
    n = table.n_customers
    is_advocate = tiers.state == State.ADVOCATE.code
    inside = in_window(table.time, window.start_us, window.end_us)

    referral_rows = inside & (table.kind == _REFERRAL)
    per_customer = np.bincount(table.customer[referral_rows], minlength=n).astype(np.int64)
    named = np.zeros(n, dtype=np.bool_)
    named[table.referred[referral_rows]] = True

    connect_rows = inside & (table.kind == _CONNECT)
    connections = int(np.count_nonzero(connect_rows))
    referral_connections = int(np.count_nonzero(table.source[connect_rows] == _BY_REFERRAL))
    first_time, first_source = first_connect(table)
    new = (first_time != NO_TIME) & (first_time > window.start_us) & (first_time <= window.end_us)
    new_referred = new & (first_source == _BY_REFERRAL)
    at_start = KindRows(table).connected_at(window.start_us)
    return fission_of(
        window,
        customer_ids=table.customer_ids,
        per_customer=per_customer,
        is_advocate=is_advocate,
        named=named,
        at_start=np.asarray(at_start, dtype=np.bool_),
        new=new,
        new_referred=new_referred,
        connections=connections,
        referral_connections=referral_connections,
        tree=referral_tree(table, window.end),
    )


def fission_of(  # noqa: PLR0913 - the per-customer facts a report is made of, each named
    window: Window,
    *,
    customer_ids: Ids,
    per_customer: NDArray[np.int64],
    is_advocate: NDArray[np.bool_],
    named: NDArray[np.bool_],
    at_start: NDArray[np.bool_],
    new: NDArray[np.bool_],
    new_referred: NDArray[np.bool_],
    connections: int,
    referral_connections: int,
    tree: ReferralTree,
) -> FissionReport:
    """Build a :class:`FissionReport` from per-customer facts: the one home of its formulas.

    ``per_customer`` counts each customer's REFERRAL rows in the window; ``is_advocate``,
    ``named`` (referred in the window), ``at_start`` (connected at its start), ``new`` and
    ``new_referred`` are per-customer masks; ``connections`` and ``referral_connections`` count
    the window's CONNECT rows and those by referral. :func:`fission` and ``custpool.dask``'s
    (from summed partitions) both build their report here.
    """
    advocate = np.flatnonzero(is_advocate).astype(np.int32)
    advocate_referrals = per_customer[advocate]
    by_advocates = int(advocate_referrals.sum())
    advocates = int(advocate.shape[0])
    base = int(np.count_nonzero(at_start))
    new_by_referral = int(np.count_nonzero(new_referred))
    return FissionReport(
        window=window,
        advocates=advocates,
        advocate=readonly(advocate),
        advocate_referrals=readonly(advocate_referrals),
        referrals=int(per_customer.sum()),
        referrals_by_advocates=by_advocates,
        referrals_per_advocate=rate(by_advocates, advocates),
        referred_customers=int(np.count_nonzero(named)),
        connected_at_start=base,
        new_customers=int(np.count_nonzero(new)),
        new_by_referral=new_by_referral,
        k_factor=rate(new_by_referral, base),
        connections=connections,
        referral_connections=referral_connections,
        referral_share=rate(referral_connections, connections),
        max_depth=tree.max_depth,
        generation_counts=tree.counts(),
        customer_ids=customer_ids,
        tree=tree,
        customer_referrals=readonly(per_customer),
        customer_referred=readonly(named),
        customer_connected_at_start=readonly(at_start),
        customer_new=readonly(new),
        customer_new_by_referral=readonly(new_referred),
    )
