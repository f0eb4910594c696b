"""Seed 004's relationship levels: transactional, friend, value partner — and LTV by level.

Seed 004 ranks a brand's relationships with its customers in three levels, and claims that each
level up multiplies what a customer is worth: "每往上跨越一个层级，你所能从这个客户身上获得的LTV
（单客户终身生命周期价值）都在增长" (with every level climbed, the lifetime value you can earn
from the customer grows) — "100 → 1,000 → 10,000". custpool's tiers (浅粘深铁) come from seed 003;
this module codes seed 004's own levels from the events, so the claim can be tested on data:

1. **交易型 transactional** — "客户关系的稳定性完全依赖于产品" (the relationship's stability rests
   on the product alone): they buy, and nothing else ties them to you.
2. **朋友型 friend** — "从产品不错已经上升到人不错" (from "good product" to "good person"): a
   two-way, one-to-one conversation with a customer who buys again.
3. **价值伙伴 value partner** — "对客户不断创造价值 … 基于人为基础的资源合作价值" (creating value
   for the customer again and again … value from co-operating on resources): a friend who also
   brings you people (referrals) and, if the policy asks, takes part in what you create.

:func:`relationship_levels` codes every customer at an instant, :meth:`RelationshipLevels.flows_to`
counts the moves between two instants and :func:`level_ltv` measures the LTV per level with
:func:`~custpool.coded_ltv`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

import numpy as np
from pydantic import Field

from custpool._analytics import CodedLTV, check_period_ends, coded_ltv
from custpool._base import FrozenModel
from custpool._display import Count, Displayed, Pct, Phrase, Report, Section, Text, Time
from custpool._engine import (
    KIND_CODE,
    MIN_TIME,
    NO_TIME,
    OUTBOUND,
    EventTable,
    Ids,
    instant,
    run_ends,
)
from custpool._errors import UnknownIdError, ValidationError, wrong_argument, wrong_type
from custpool._fields import NpsScore
from custpool._frames import ColumnType, build_frame
from custpool._model import InteractionKind
from custpool._tiers import Duration
from custpool._time import from_micros, to_micros

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

__all__ = [
    "Level",
    "LevelFlows",
    "LevelPolicy",
    "RelationshipLevels",
    "level_ltv",
    "relationship_levels",
]

_MESSAGE: Final = KIND_CODE[InteractionKind.MESSAGE]
_REACTION: Final = KIND_CODE[InteractionKind.REACTION]
_PURCHASE: Final = KIND_CODE[InteractionKind.PURCHASE]
_REFERRAL: Final = KIND_CODE[InteractionKind.REFERRAL]
_EVENT: Final = KIND_CODE[InteractionKind.EVENT_ATTEND]
_CONNECT: Final = KIND_CODE[InteractionKind.CONNECT]
_CHURN: Final = KIND_CODE[InteractionKind.CHURN]
_NPS: Final = KIND_CODE[InteractionKind.NPS]
_INBOUND: Final = 0


class Level(StrEnum):
    """A customer's relationship level (seed 004), with the codes :func:`level_ltv` uses.

    Examples
    --------
    >>> Level.FRIEND.code, Level.FRIEND.label_zh, Level("partner").label_zh
    (2, '朋友型', '价值伙伴')
    """

    NONE = "none"
    """No purchase in the window, and not lost: not (or no longer) a buying relationship."""
    TRANSACTIONAL = "transactional"
    """交易型: buys, and nothing else ties them to you."""
    FRIEND = "friend"
    """朋友型: buys again, in a two-way one-to-one conversation."""
    PARTNER = "partner"
    """价值伙伴: a friend who brings you people (and, if asked, takes part)."""
    LOST = "lost"
    """Churned: connected once, and left."""

    @property
    def code(self) -> int:
        """The level's code: NONE 0, TRANSACTIONAL 1, FRIEND 2, PARTNER 3, LOST 4."""
        return _LEVELS.index(self)

    @property
    def label_zh(self) -> str:
        """The Chinese label for reports."""
        return _ZH[self]


_LEVELS: Final = tuple(Level)
_ZH: Final = {
    Level.NONE: "未成交",
    Level.TRANSACTIONAL: "交易型",
    Level.FRIEND: "朋友型",
    Level.PARTNER: "价值伙伴",
    Level.LOST: "流失",
}
_N: Final = len(_LEVELS)
_VALUES: Final = np.array([x.value for x in _LEVELS], dtype=object)
_VALUES_ZH: Final = np.array([x.label_zh for x in _LEVELS], dtype=object)


class LevelPolicy(FrozenModel):
    """What each relationship level means, in numbers. Every count is over one window.

    At ``as_of``, counting rows in the half-open window ``(as_of - window, as_of]``:

    - **lost**: churned at ``as_of`` (a CHURN at or after the latest CONNECT), whatever else;
    - **transactional** (交易型): at least one PURCHASE;
    - **friend** (朋友型): at least ``friend_min_purchases`` PURCHASEs (a repeat buyer) in a
      two-way conversation: at least ``friend_min_inbound`` one-to-one messages from the
      customer (MESSAGE, inbound) *and* at least ``friend_min_outbound`` personal touches from
      the brand (MESSAGE or REACTION, outbound — a reply, a comment on their Moments, as the
      seed's malatang-shop (麻辣烫) owner does). An outbound row cannot tell a reply from a
      mass send, so the customer's own messages are required too: a brand that only
      broadcasts makes no friends. Group posts are not one-to-one and do not count;
    - **partner** (价值伙伴): a friend with at least ``partner_min_referrals`` REFERRALs (they
      bring you people and spend their trust on you), at least ``partner_min_events``
      EVENT_ATTENDs (co-creation: taking part in what you hold; 0 by default, not required),
      and, if ``partner_min_nps`` is set, a latest NPS answer in the window of at least that;
    - **none**: everyone else (prospects, and connected customers with no purchase in the
      window).

    The levels are cumulative: a partner meets the friend criteria, a friend the
    transactional one.

    Examples
    --------
    >>> LevelPolicy().window.days, LevelPolicy().friend_min_purchases
    (365, 2)
    >>> LevelPolicy(friend_min_purchases=0)
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for LevelPolicy
    friend_min_purchases
      Input should be greater than or equal to 1 ...
    """

    window: Duration = timedelta(days=365)
    """The look-back window of every count."""
    friend_min_purchases: int = Field(default=2, ge=1)
    """Purchases a friend has made in the window (2: they bought again)."""
    friend_min_inbound: int = Field(default=2, ge=1)
    """One-to-one messages from the customer in the window."""
    friend_min_outbound: int = Field(default=1, ge=1)
    """Personal touches from the brand (messages, reactions) in the window."""
    partner_min_referrals: int = Field(default=1, ge=1)
    """Referrals a partner has made in the window."""
    partner_min_events: int = Field(default=0, ge=0)
    """Events a partner has attended in the window (co-creation; 0: not required)."""
    partner_min_nps: NpsScore | None = None
    """If set, the latest NPS answer in the window must reach it (9: a promoter)."""


@dataclass(frozen=True, slots=True, eq=False)
class LevelFlows(Displayed):
    """The customers' moves between the relationship levels from one instant to a later one.

    ``counts[i, j]`` = customers at level code ``i`` at ``start`` and ``j`` at ``end``; rows
    sum to the counts at ``start``, columns to the counts at ``end``. Build one with
    :meth:`RelationshipLevels.flows_to`.

    Examples
    --------
    One customer buys on March 5th: none on the 1st, transactional on the 10th.

    >>> from datetime import UTC, datetime
    >>> import numpy as np
    >>> from custpool import EventTable, relationship_levels
    >>> table = EventTable.from_arrays(  # kind 8: purchase
    ...     [0], [np.datetime64("2026-03-05")], [8], amount=[100], item=[0], currency="CNY")
    >>> before = relationship_levels(table, datetime(2026, 3, 1, tzinfo=UTC))
    >>> flows = before.flows_to(relationship_levels(table, datetime(2026, 3, 10, tzinfo=UTC)))
    >>> flows
    LevelFlows(2026-03-01 → 2026-03-10: 1 up, 0 down)
    >>> print(flows)
    relationship level flows 2026-03-01 00:00+00:00 → 2026-03-10 00:00+00:00
      from             to  customers
      none  transactional          1
    """

    start: datetime
    end: datetime
    counts: NDArray[np.int64]

    def moves(self) -> dict[tuple[Level, Level], int]:
        """Return every non-zero move, ``(from, to) → customers`` (staying included)."""
        return {
            (_LEVELS[i], _LEVELS[j]): int(self.counts[i, j])
            for i, j in zip(*np.nonzero(self.counts), strict=True)
        }

    @property
    def up(self) -> int:
        """Customers who moved up the ladder (NONE → TRANSACTIONAL → FRIEND → PARTNER)."""
        ladder = self.counts[:4, :4]
        return int(np.triu(ladder, 1).sum())

    @property
    def down(self) -> int:
        """Customers who moved down the ladder (LOST not included: see :meth:`moves`)."""
        ladder = self.counts[:4, :4]
        return int(np.tril(ladder, -1).sum())

    def __repr__(self) -> str:
        """Return a short summary."""
        span = f"{self.start.date()} → {self.end.date()}"
        return f"LevelFlows({span}: {self.up} up, {self.down} down)"

    def _report(self) -> Report:
        """Return the moves, one row per non-empty pair (staying included)."""
        rows = tuple(
            (Text(a.value, a.label_zh), Text(b.value, b.label_zh), Count(n))
            for (a, b), n in self.moves().items()
        )
        title = Phrase(
            Text("relationship level flows", "关系层级流转"),
            Time(self.start),
            Text("→"),
            Time(self.end),
        )
        columns = (Text("from", "从"), Text("to", "到"), Text("customers", "客户"))
        return Report(title, (Section(rows, columns=columns),))

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401 - the frame type depends on the backend
        """Return one row per pair of levels (all 25), from-level major.

        Columns: ``window_start`` and ``window_end`` (the two instants, in ``tz``),
        ``from_level``, ``from_zh``, ``to_level``, ``to_zh``, ``customers``.

        Parameters
        ----------
        backend
            ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (with the ``custpool[frames]`` extra).
        tz
            The zone the times are shown in (an IANA name or ``datetime.UTC``; default UTC).

        Returns
        -------
        pandas.DataFrame, polars.DataFrame or pyarrow.Table
        """
        i, j = np.divmod(np.arange(_N * _N), _N)
        columns = {
            "window_start": np.full(_N * _N, to_micros(self.start), dtype=np.int64),
            "window_end": np.full(_N * _N, to_micros(self.end), dtype=np.int64),
            "from_level": _VALUES[i],
            "from_zh": _VALUES_ZH[i],
            "to_level": _VALUES[j],
            "to_zh": _VALUES_ZH[j],
            "customers": self.counts.reshape(-1),
        }
        dtypes: dict[str, ColumnType] = dict.fromkeys(
            ("from_level", "from_zh", "to_level", "to_zh"), "str"
        )
        return build_frame(
            columns, backend=backend, times=("window_start", "window_end"), tz=tz, dtypes=dtypes
        )


@dataclass(frozen=True, slots=True, eq=False)
class RelationshipLevels(Displayed):
    """Every customer's relationship level at ``as_of``, with the evidence, indexed like the table.

    Attributes
    ----------
    as_of
        The instant (UTC).
    policy
        The criteria.
    customer_ids
        The table's customer ids.
    level
        :attr:`Level.code` of each customer.
    purchases, inbound, outbound, referrals, events
        Each customer's PURCHASEs, inbound messages, outbound personal touches, REFERRALs and
        EVENT_ATTENDs in the window.
    """

    as_of: datetime
    policy: LevelPolicy
    customer_ids: Ids
    level: NDArray[np.int8]
    purchases: NDArray[np.int64]
    inbound: NDArray[np.int64]
    outbound: NDArray[np.int64]
    referrals: NDArray[np.int64]
    events: NDArray[np.int64]

    def __len__(self) -> int:
        """Return the number of customers."""
        return len(self.customer_ids)

    def counts(self) -> dict[Level, int]:
        """Return how many customers are at each level (every level, in code order)."""
        counts = np.bincount(self.level, minlength=_N)
        return {x: int(counts[x.code]) for x in _LEVELS}

    def level_of(self, customer_id: str) -> Level:
        """Return one customer's level.

        Raises
        ------
        custpool.UnknownIdError
            If there is no such customer.
        """
        if not isinstance(customer_id, str):
            raise wrong_type("customer_id", customer_id, "must be a customer id (a string)")
        try:
            row = self.customer_ids.index(customer_id)
        except ValueError:
            raise UnknownIdError("customer", customer_id) from None
        return _LEVELS[int(self.level[row])]

    def flows_to(self, later: RelationshipLevels) -> LevelFlows:
        """Count the moves between the levels from this instant to ``later``'s.

        Raises
        ------
        custpool.ValidationError
            If ``later`` is of other customers or not later.
        custpool.WrongTypeError
            If ``later`` is not a RelationshipLevels.
        """
        if not isinstance(later, RelationshipLevels):
            raise wrong_argument("later", later, "must be a RelationshipLevels")
        if later.customer_ids is not self.customer_ids and later.customer_ids != self.customer_ids:
            raise ValidationError("later", repr(later), "must be of the same table's customers")
        if later.as_of <= self.as_of:
            raise ValidationError("later", later.as_of, f"must be after {self.as_of.isoformat()}")
        pair = self.level.astype(np.int64) * _N + later.level
        counts = np.bincount(pair, minlength=_N * _N).reshape(_N, _N).astype(np.int64)
        return LevelFlows(self.as_of, later.as_of, counts)

    def __repr__(self) -> str:
        """Return a short summary: the count of each level."""
        shown = ", ".join(f"{x.value}={n}" for x, n in self.counts().items() if n)
        return f"RelationshipLevels(as_of={self.as_of.isoformat()}, {shown or 'no customers'})"

    def _report(self) -> Report:
        """Return the customers at each level, with their share."""
        n = len(self)
        rows = tuple(
            (Text(level.value, level.label_zh), Count(count), Pct(count / n if n else None))
            for level, count in self.counts().items()
        )
        title = Phrase(
            Text("relationship levels at", "关系层级，截至"),
            Time(self.as_of),
            Text(f"({n:,} customers)", f"（{n:,} 位客户）"),
        )
        columns = (Text("level", "层级"), Text("customers", "客户"), Text("share", "占比"))
        return Report(title, (Section(rows, columns=columns),))

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401 - the frame type depends on the backend
        """Return one row per customer, in index order.

        Columns: ``customer_id``, ``as_of`` (in ``tz``), ``level``, ``level_zh``, and the
        evidence: ``purchases``, ``inbound_messages``, ``outbound_touches``, ``referrals``,
        ``events``.

        Parameters
        ----------
        backend
            ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (with the ``custpool[frames]`` extra).
        tz
            The zone the times are shown in (an IANA name or ``datetime.UTC``; default UTC).

        Returns
        -------
        pandas.DataFrame, polars.DataFrame or pyarrow.Table
        """
        n = len(self)
        columns = {
            "customer_id": self.customer_ids.column(),
            "as_of": np.full(n, to_micros(self.as_of), dtype=np.int64),
            "level": _VALUES[self.level],
            "level_zh": _VALUES_ZH[self.level],
            "purchases": self.purchases,
            "inbound_messages": self.inbound,
            "outbound_touches": self.outbound,
            "referrals": self.referrals,
            "events": self.events,
        }
        return build_frame(
            columns,
            backend=backend,
            times=("as_of",),
            tz=tz,
            dtypes={"customer_id": "str", "level": "str", "level_zh": "str"},
        )


def _check_policy(policy: object) -> LevelPolicy:
    if not isinstance(policy, LevelPolicy):
        raise wrong_argument("policy", policy, "must be a custpool.LevelPolicy")
    return policy


@dataclass(frozen=True, slots=True)
class _LevelRows:
    """The rows the levels read, picked once per table: each is a few percent of the table.

    Each entry is (customer, time) of one kind of evidence, in table order; ``nps`` also holds
    the score. Evaluating the levels at many instants then never passes over the whole table.
    """

    purchase: tuple[NDArray[np.int32], NDArray[np.int64]]
    inbound: tuple[NDArray[np.int32], NDArray[np.int64]]
    outbound: tuple[NDArray[np.int32], NDArray[np.int64]]
    referral: tuple[NDArray[np.int32], NDArray[np.int64]]
    event: tuple[NDArray[np.int32], NDArray[np.int64]]
    nps: tuple[NDArray[np.int32], NDArray[np.int64], NDArray[np.int8]]
    connect: tuple[NDArray[np.int32], NDArray[np.int64]]
    churn: tuple[NDArray[np.int32], NDArray[np.int64]]

    @classmethod
    def of(cls, table: EventTable) -> _LevelRows:
        kind, direction = table.kind, table.direction

        def pick(mask: NDArray[np.bool_]) -> tuple[NDArray[np.int32], NDArray[np.int64]]:
            rows = np.flatnonzero(mask)
            return table.customer[rows], table.time[rows]

        nps = np.flatnonzero(kind == _NPS)
        return cls(
            purchase=pick(kind == _PURCHASE),
            inbound=pick((kind == _MESSAGE) & (direction == _INBOUND)),
            outbound=pick(((kind == _MESSAGE) | (kind == _REACTION)) & (direction == OUTBOUND)),
            referral=pick(kind == _REFERRAL),
            event=pick(kind == _EVENT),
            nps=(table.customer[nps], table.time[nps], table.score[nps]),
            connect=pick(kind == _CONNECT),
            churn=pick(kind == _CHURN),
        )


def _latest(rows: tuple[NDArray[np.int32], NDArray[np.int64]], t: int, n: int) -> NDArray[np.int64]:
    """Each customer's latest time among ``rows`` at or before ``t`` (NO_TIME if none)."""
    customer, time = rows
    upto = np.flatnonzero(time <= t)
    out = np.full(n, NO_TIME, dtype=np.int64)
    if upto.size:
        last = upto[run_ends(customer[upto])]
        out[customer[last]] = time[last]
    return out


def _levels_at(
    table: EventTable, t: int, policy: LevelPolicy, rows: _LevelRows
) -> RelationshipLevels:
    n = table.n_customers
    # Every count is over (t - window, t]; a window reaching before every row selects them all.
    lo = max(t - to_micros(policy.window), MIN_TIME - 1)

    def count(picked: tuple[NDArray[np.int32], NDArray[np.int64]]) -> NDArray[np.int64]:
        customer, time = picked
        inside = (time > lo) & (time <= t)
        return np.bincount(customer[inside], minlength=n).astype(np.int64)

    purchases = count(rows.purchase)
    inbound = count(rows.inbound)
    outbound = count(rows.outbound)
    referrals = count(rows.referral)
    events = count(rows.event)
    # Transactional, then friend and partner on top of it (cumulative).
    level = np.where(purchases > 0, Level.TRANSACTIONAL.code, Level.NONE.code).astype(np.int8)
    friend = (
        (purchases >= policy.friend_min_purchases)
        & (inbound >= policy.friend_min_inbound)
        & (outbound >= policy.friend_min_outbound)
    )
    level[friend] = Level.FRIEND.code
    partner = (
        friend & (referrals >= policy.partner_min_referrals) & (events >= policy.partner_min_events)
    )
    if policy.partner_min_nps is not None:
        # The latest NPS answer in the window (rows are by customer, time, then score).
        customer, time, score = rows.nps
        answers = np.flatnonzero((time > lo) & (time <= t))
        latest = np.full(n, -1, dtype=np.int16)
        if answers.size:
            last = answers[run_ends(customer[answers])]
            latest[customer[last]] = score[last]
        partner &= latest >= policy.partner_min_nps
    level[partner] = Level.PARTNER.code
    # Lost: connected once and churned at t (a CHURN at or after the latest CONNECT).
    last_connect = _latest(rows.connect, t, n)
    lost = (last_connect != NO_TIME) & (_latest(rows.churn, t, n) >= last_connect)
    level[lost] = Level.LOST.code
    return RelationshipLevels(
        as_of=from_micros(t),
        policy=policy,
        customer_ids=table.customer_ids,
        level=level,
        purchases=purchases,
        inbound=inbound,
        outbound=outbound,
        referrals=referrals,
        events=events,
    )


def relationship_levels(
    table: EventTable, as_of: datetime, policy: LevelPolicy | None = None
) -> RelationshipLevels:
    """Code every customer's relationship level at ``as_of`` (see :class:`LevelPolicy`).

    One vectorised pass of masks and ``bincount`` over the table; no loop over customers.

    Parameters
    ----------
    table
        The events.
    as_of
        The instant; timezone-aware.
    policy
        The criteria (``LevelPolicy()`` by default).

    Returns
    -------
    RelationshipLevels

    Raises
    ------
    custpool.ValidationError
        If ``as_of`` is not an aware datetime.
    custpool.WrongTypeError
        If ``table`` is not an EventTable or ``policy`` not a LevelPolicy.

    Examples
    --------
    ``a`` bought once; ``b`` bought twice, wrote twice and got a reply; ``c`` is ``b`` plus a
    referral; ``d`` connected and left:

    >>> from datetime import UTC, datetime
    >>> import numpy as np
    >>> from custpool import EventTable
    >>> day = 86_400_000_000
    >>> t0 = int(np.datetime64("2026-03-01", "us").astype(np.int64))
    >>> rows = [  # (customer, day, kind, direction): 0 connect, 1 churn, 2 message,
    ...     (0, 1, 8, 0),  # 8 purchase, 10 referral; direction 0 inbound, 1 outbound
    ...     (1, 1, 8, 0), (1, 2, 8, 0), (1, 3, 2, 0), (1, 4, 2, 0), (1, 5, 2, 1),
    ...     (2, 1, 8, 0), (2, 2, 8, 0), (2, 3, 2, 0), (2, 4, 2, 0), (2, 5, 2, 1), (2, 6, 10, 0),
    ...     (3, 0, 0, 0), (3, 2, 1, 0)]
    >>> c, d, k, r = (list(x) for x in zip(*rows))
    >>> table = EventTable.from_arrays(
    ...     c, [t0 + x * day for x in d], k, direction=r,
    ...     amount=[100 if x == 8 else 0 for x in k],
    ...     item=[n if x == 8 else -1 for n, x in enumerate(k)],
    ...     referred=[0 if x == 10 else -1 for x in k],
    ...     customer_ids=["a", "b", "c", "d"], currency="CNY")
    >>> levels = relationship_levels(table, datetime(2026, 3, 10, tzinfo=UTC))
    >>> [levels.level_of(x).value for x in "abcd"]
    ['transactional', 'friend', 'partner', 'lost']
    >>> print(levels)
    relationship levels at 2026-03-10 00:00+00:00 (4 customers)
      level          customers  share
      none                   0   0.0%
      transactional          1  25.0%
      friend                 1  25.0%
      partner                1  25.0%
      lost                   1  25.0%
    """
    if not isinstance(table, EventTable):
        raise wrong_argument("table", table, "must be a custpool.EventTable")
    chosen = LevelPolicy() if policy is None else _check_policy(policy)
    return _levels_at(table, instant("as_of", as_of), chosen, _LevelRows.of(table))


def level_ltv(
    table: EventTable,
    period_ends: Sequence[datetime],
    *,
    discount_rate: float,
    horizon: int | None = None,
    policy: LevelPolicy | None = None,
) -> CodedLTV:
    """Return the lifetime value by starting relationship level: seed 004's claim, on data.

    The customers' levels at each period end (:func:`relationship_levels`) are the coding of
    :func:`~custpool.coded_ltv`: net revenue of each period is credited to the level at its
    start, the moves between levels make the chain, and ``v = r + δ P v``. The labels are the
    :class:`Level` values, so ``ltv.rises(["transactional", "friend", "partner"])`` tests the
    seed's "LTV rises per level".

    Parameters
    ----------
    table
        The events.
    period_ends
        At least two aware datetimes, strictly increasing (e.g. month ends).
    discount_rate, horizon
        As in :func:`~custpool.tier_ltv`.
    policy
        The level criteria (``LevelPolicy()`` by default).

    Returns
    -------
    CodedLTV

    Raises
    ------
    custpool.ValidationError
        If the period ends, the rate or the horizon are not valid.
    custpool.WrongTypeError
        If an argument has the wrong type.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import example_pool, EventTable, EXAMPLE_START
    >>> from datetime import timedelta
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> ends = [EXAMPLE_START + timedelta(weeks=w) for w in range(5)]
    >>> ltv = level_ltv(table, ends, discount_rate=0.01, horizon=1)
    >>> ltv.labels
    ('none', 'transactional', 'friend', 'partner', 'lost')
    >>> ltv.value_of("none") == float(ltv.mean[0])  # one period: the value is its revenue
    True
    """
    if not isinstance(table, EventTable):
        raise wrong_argument("table", table, "must be a custpool.EventTable")
    chosen = LevelPolicy() if policy is None else _check_policy(policy)
    ends, ends_us = check_period_ends(period_ends)
    rows = _LevelRows.of(table)
    codes = np.stack([_levels_at(table, int(t), chosen, rows).level for t in ends_us])
    labels = tuple(x.value for x in _LEVELS)
    return coded_ltv(table, ends, codes, labels, discount_rate=discount_rate, horizon=horizon)
