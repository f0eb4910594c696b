"""Churn causes: who left in a window, over what, and whether the valuable ones left more.

Seed 004 says old customers do not vanish for no reason, and that asking them afterwards is
futile ("还傻傻的去做流失老客户调研 … 客户怎么可能老老实实在那给你解释她为啥不买了": still naively
surveying lost old customers … how would a customer honestly explain why she stopped buying).
Leaving aside a sudden change in a family's fortunes, it names the causes: poor service to a
customer who had bought many times ("你的大客户被你的小客服喷了一顿，绝对果断离开": your big client
was scolded by your junior support agent — gone for sure), a drop in quality, and a better
price-performance elsewhere ("遇见自己认为性价比更高的产品，拜拜！": met a product they think
better value — bye!); and, for the newer customer, "物流体验不好？客服语气不好？ok，永久拉黑"
(a bad delivery? a rude support agent? ok, blocked for good), so complaints also record
logistics. The cause, then, is what the customer complained about before leaving:
:func:`churn_causes` links each churn to the latest complaint recorded within a look-back
before it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from custpool._display import (
    Cell,
    Count,
    Displayed,
    Number,
    Pct,
    Phrase,
    Report,
    Section,
    Span,
    Text,
)
from custpool._engine import (
    KIND_CODE,
    NO_TIME,
    EventTable,
    KindRows,
    Window,
    as_window,
    run_ends,
)
from custpool._errors import ValidationError, bad_argument, wrong_argument
from custpool._frames import build_frame
from custpool._model import ComplaintReason, InteractionKind, Money
from custpool._tiers import COMPLAINT_REASON_ZH
from custpool._time import to_micros

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["ChurnCauses", "churn_causes", "latest_complaints"]

_COMPLAINT: Final = KIND_CODE[InteractionKind.COMPLAINT]
_CHURN: Final = KIND_CODE[InteractionKind.CHURN]
_PURCHASE: Final = KIND_CODE[InteractionKind.PURCHASE]
_REFUND: Final = KIND_CODE[InteractionKind.REFUND]
_REASONS: Final = tuple(ComplaintReason)
_DAY: Final = 86_400_000_000
_NONE_ZH: Final = "未记录"
_LONGEST: Final = 2**62


def latest_complaints(
    table: EventTable, customer: NDArray[np.int32], t: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int8]]:
    """Return, per query ``q``, customer ``customer[q]``'s latest COMPLAINT at or before ``t[q]``.

    Returns its time (:data:`NO_TIME` for none) and reason code (index in
    ``tuple(ComplaintReason)``, -1 for none); of several complaints at that instant, the first
    reason in that order, as :attr:`TierState.last_complaint_reason
    <custpool.TierState.last_complaint_reason>` picks it. The queries need not be sorted.

    The complaints and the queries are merged in one sort by (customer, time, complaint before
    query, reason descending), and each query reads the last complaint before it in its run.
    """
    rows = np.flatnonzero(table.kind == _COMPLAINT)
    q = customer.shape[0]
    c_all = np.concatenate([table.customer[rows], customer])
    t_all = np.concatenate([table.time[rows], t])
    is_query = np.concatenate([np.zeros(rows.shape[0], np.int8), np.ones(q, np.int8)])
    codes = table.reason[rows].astype(np.int8)
    codes = np.where(codes < 0, len(_REASONS) - 1, codes).astype(np.int8)  # none given: other
    reason_all = np.concatenate([codes, np.full(q, -1, np.int8)])
    order = np.lexsort((-reason_all.astype(np.int16), is_query, t_all, c_all))
    position = np.where(is_query[order] == 0, np.arange(order.shape[0]), -1)
    last = np.maximum.accumulate(position) if position.size else position
    found = last >= 0
    last_row = order[np.where(found, last, 0)]
    same = found & (c_all[last_row] == c_all[order])
    out_time = np.full(q, NO_TIME, dtype=np.int64)
    out_reason = np.full(q, -1, dtype=np.int8)
    queries = np.flatnonzero(is_query[order] == 1)
    query_index = order[queries] - rows.shape[0]
    hit = same[queries]
    out_time[query_index[hit]] = t_all[last_row[queries[hit]]]
    out_reason[query_index[hit]] = reason_all[last_row[queries[hit]]]
    return out_time, out_reason


@dataclass(frozen=True, slots=True, eq=False)
class ChurnCauses(Displayed):
    """Who churned in a window, the cause recorded before each left, and the valuable's churn.

    Build one with :func:`churn_causes`. The per-churner arrays are in customer index order.

    Attributes
    ----------
    window
        The window ``(start, end]``.
    lookback
        How long before a churn a complaint counts as its cause.
    min_purchases, min_net_revenue
        What made a customer valuable at the window's start (either suffices).
    customer_ids
        The churners: customers with a CHURN row in the window.
    churned_at
        Each churner's latest CHURN in the window (microseconds since the epoch).
    cause
        The reason of the latest complaint in ``(churned_at - lookback, churned_at]`` (an index
        in ``tuple(ComplaintReason)``), -1 for none recorded.
    last_complaint
        The latest complaint at or before ``churned_at``, however old (:data:`NO_TIME` if
        none): whether the churner complained at all.
    valuable
        Whether each churner was valuable at the window's start.
    connected_at_start, valuable_at_start
        Customers connected at the window's start; of them, the valuable ones.
    churned_connected, churned_valuable
        Of those, how many churned in the window.
    """

    window: Window
    lookback: timedelta
    min_purchases: int | None
    min_net_revenue: Money | None
    customer_ids: tuple[str, ...]
    churned_at: NDArray[np.int64]
    cause: NDArray[np.int8]
    last_complaint: NDArray[np.int64]
    valuable: NDArray[np.bool_]
    connected_at_start: int
    valuable_at_start: int
    churned_connected: int
    churned_valuable: int

    def __len__(self) -> int:
        """Return the number of churners."""
        return len(self.customer_ids)

    def counts(self) -> dict[ComplaintReason | None, int]:
        """Return the churners per cause: every reason in order, then None (none recorded).

        The counts partition the churners: they sum to ``len(self)``.
        """
        counts = np.bincount(self.cause + 1, minlength=len(_REASONS) + 1)
        out: dict[ComplaintReason | None, int] = {
            r: int(counts[k + 1]) for k, r in enumerate(_REASONS)
        }
        out[None] = int(counts[0])
        return out

    @property
    def complained_share(self) -> float | None:
        """Share of churners who complained at all before leaving (None without churners)."""
        n = len(self)
        return int(np.count_nonzero(self.last_complaint != NO_TIME)) / n if n else None

    @property
    def days_to_churn(self) -> NDArray[np.float64]:
        """Days from the last complaint to the churn, per churner; NaN for none ever."""
        days = (self.churned_at - self.last_complaint) / _DAY
        out: NDArray[np.float64] = np.where(self.last_complaint == NO_TIME, np.nan, days)
        return out

    @property
    def median_days_to_churn(self) -> float | None:
        """Median days from the complaint to the churn, over churners with a recorded cause."""
        days = self.days_to_churn[self.cause >= 0]
        return float(np.median(days)) if days.size else None

    @property
    def valuable_churn_rate(self) -> float | None:
        """Of the valuable customers connected at the start, the share who churned in it."""
        return _rate(self.churned_valuable, self.valuable_at_start)

    @property
    def other_churn_rate(self) -> float | None:
        """Of the other customers connected at the start, the share who churned in it."""
        rest = self.connected_at_start - self.valuable_at_start
        return _rate(self.churned_connected - self.churned_valuable, rest)

    def __repr__(self) -> str:
        """Return a short summary."""
        recorded = len(self) - self.counts()[None]
        return f"ChurnCauses({len(self)} churners, {recorded} with a recorded cause)"

    def _report(self) -> Report:
        """Return the causes, complaint to churn, and the valuable's churn against the rest."""
        n = len(self)
        days = _days(self.lookback)
        title = Phrase(
            Text("churn causes", "流失原因"),
            Span(self.window.start, self.window.end),
            Text(f"— {n:,} churners", f"— 流失 {n:,} 人"),
        )
        head: tuple[tuple[Cell, ...], ...] = (
            (Text("complained before leaving", "离开前投诉过"), Pct(self.complained_share)),
            (
                Text("cause", "原因"),
                Text(
                    f"the latest complaint within {days} days before leaving",
                    f"离开前 {days} 天内最近一次投诉的原因",
                ),
            ),
        )
        causes = tuple(
            (
                Text("none recorded", _NONE_ZH)
                if reason is None
                else Text(reason.value, COMPLAINT_REASON_ZH[reason]),
                Count(count),
                Pct(_rate(count, n)),
            )
            for reason, count in self.counts().items()
        )
        rest = self.connected_at_start - self.valuable_at_start
        others = self.churned_connected - self.churned_valuable
        tail: tuple[tuple[Cell, ...], ...] = (
            (
                Text("complaint to churn, median days", "投诉到流失的中位天数"),
                Number(self.median_days_to_churn, 1),
            ),
            (
                Text("churn rate of the valuable", "高价值客户流失率"),
                Pct(self.valuable_churn_rate),
                Text(
                    f"({self.churned_valuable:,} of {self.valuable_at_start:,})",
                    f"（{self.valuable_at_start:,} 人中 {self.churned_valuable:,} 人）",
                ),
            ),
            (
                Text("churn rate of the rest", "其他客户流失率"),
                Pct(self.other_churn_rate),
                Text(f"({others:,} of {rest:,})", f"（{rest:,} 人中 {others:,} 人）"),
            ),
        )
        columns = (Text("cause", "原因"), Text("churners", "流失人数"), Text("share", "占比"))
        return Report(title, (Section(head), Section(causes, columns=columns), Section(tail)))

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401 - the frame type depends on the backend
        """Return one row per churner, in customer index order.

        Columns: ``customer_id``; ``churned_at`` (the latest CHURN in the window, in ``tz``);
        ``cause`` and ``cause_zh`` (the complaint reason, or ``none`` / 未记录);
        ``last_complaint_at`` (in ``tz``, null if they never complained before leaving);
        ``days_to_churn`` (float, from that complaint to the churn; null if none);
        ``valuable`` (bool, at the window's start).

        Parameters
        ----------
        backend
            ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (with the ``custpool[frames]`` extra).
        tz
            The zone the times are shown in (an IANA name or ``datetime.UTC``; default UTC).

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
        >>> import numpy as np
        >>> from custpool import EventTable, Window, churn_causes
        >>> day = 86_400_000_000
        >>> t0 = int(np.datetime64("2026-03-01", "us").astype(np.int64))
        >>> table = EventTable.from_arrays(  # connect, complain (price) on day 5, churn day 9
        ...     customer=[0, 0, 0], time=[t0, t0 + 5 * day, t0 + 9 * day], kind=[0, 12, 1],
        ...     reason=[-1, 2, 0], source=[0, -1, -1], direction=[0, 0, 0])
        >>> window = Window(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))
        >>> frame = churn_causes(table, window).to_frame("pyarrow")
        >>> frame.select(["cause", "cause_zh", "days_to_churn"]).to_pylist()
        [{'cause': 'price', 'cause_zh': '价格', 'days_to_churn': 4.0}]
        """
        labels = np.array([r.value for r in _REASONS] + ["none"], dtype=object)
        labels_zh = np.array([COMPLAINT_REASON_ZH[r] for r in _REASONS] + [_NONE_ZH], dtype=object)
        days = self.days_to_churn
        columns = {
            "customer_id": np.array(self.customer_ids, dtype=np.str_),
            "churned_at": self.churned_at,
            "cause": labels[self.cause],  # -1 reads the last label: none
            "cause_zh": labels_zh[self.cause],
            "last_complaint_at": self.last_complaint,
            "days_to_churn": [None if math.isnan(d) else d for d in days.tolist()],
            "valuable": self.valuable,
        }
        return build_frame(
            columns,
            backend=backend,
            times=("churned_at", "last_complaint_at"),
            tz=tz,
            dtypes={
                "customer_id": "str",
                "cause": "str",
                "cause_zh": "str",
                "days_to_churn": "float",
            },
        )


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _days(span: timedelta) -> str:
    return f"{span / timedelta(days=1):g}"


def _check_lookback(lookback: object) -> int:
    if not isinstance(lookback, timedelta):
        raise wrong_argument("lookback", lookback, "must be a timedelta, e.g. timedelta(days=30)")
    if lookback <= timedelta(0):
        raise bad_argument("lookback", lookback, "must be a positive duration")
    # A look-back longer than every table's span (2**62 µs is about 146,000 years) reaches
    # every earlier complaint: cut there, so that ``churn - lookback`` stays within int64.
    return min(to_micros(lookback), _LONGEST)


def _check_valuable(
    table: EventTable, min_purchases: object, min_net_revenue: object
) -> tuple[int | None, int | None]:
    if min_purchases is not None and (
        isinstance(min_purchases, bool) or not isinstance(min_purchases, int)
    ):
        raise wrong_argument("min_purchases", min_purchases, "must be a whole number, or None")
    if isinstance(min_purchases, int) and min_purchases < 1:
        raise bad_argument("min_purchases", min_purchases, "must be at least 1 (None: not used)")
    units: int | None = None
    if min_net_revenue is not None:
        if not isinstance(min_net_revenue, Money):
            rule = "must be a custpool.Money in the table's currency, or None"
            raise wrong_argument("min_net_revenue", min_net_revenue, rule)
        if table.currency is not None and min_net_revenue.currency != table.currency:
            rule = f"must be in the table's currency, {table.currency}"
            raise ValidationError("min_net_revenue", str(min_net_revenue), rule)
        units = min_net_revenue.minor_units
    if min_purchases is None and units is None:
        rule = "give min_purchases or min_net_revenue: what makes a customer valuable"
        raise ValidationError("min_purchases", None, rule)
    return (None if min_purchases is None else int(min_purchases)), units


def _valuable(
    table: EventTable, start: int, min_purchases: int | None, min_units: int | None
) -> NDArray[np.bool_]:
    """Return who is valuable at ``start``: enough purchases or net revenue up to it."""
    n = table.n_customers
    upto = table.time <= start
    valuable = np.zeros(n, dtype=np.bool_)
    if min_purchases is not None:
        bought = np.bincount(table.customer[upto & (table.kind == _PURCHASE)], minlength=n)
        valuable |= bought >= min_purchases
    if min_units is not None:
        # Exact per-customer sums: a prefix sum of the signed amounts (a table's amounts sum to
        # at most the int64 maximum, so no partial sum can overflow), read at the offsets.
        signed = np.where(upto & (table.kind == _PURCHASE), table.amount, 0)
        signed -= np.where(upto & (table.kind == _REFUND), table.amount, 0)
        prefix = np.concatenate([[0], np.cumsum(signed)])
        net = prefix[table.offsets[1:]] - prefix[table.offsets[:-1]]
        valuable |= net >= min_units
    return valuable


def churn_causes(  # noqa: PLR0913 - the window and keyword-only options, each documented
    table: EventTable,
    window: Window | datetime,
    end: datetime | None = None,
    *,
    lookback: timedelta = timedelta(days=30),
    min_purchases: int | None = 2,
    min_net_revenue: Money | None = None,
) -> ChurnCauses:
    """Sort the churners of a window by the cause recorded before they left.

    - **Churners**: the customers with a CHURN row in ``(start, end]`` — the
      ``churning_customers`` of :func:`~custpool.user_scale`. Each one's churn is their latest
      CHURN in the window.
    - **Cause**: the reason (:class:`~custpool.ComplaintReason`: service, quality, price,
      logistics, other) of the churner's latest COMPLAINT in ``(churn - lookback, churn]``;
      of several at that instant, the first reason in that order; "none recorded" without one.
      Every churner has exactly one cause or none, so the causes partition the churners.
    - **Complained at all**: a complaint at or before the churn, however old.
    - **Complaint to churn**: days from the latest complaint to the churn
      (:attr:`ChurnCauses.median_days_to_churn` over the churners with a cause).
    - **Valuable**: at the window's start, at least ``min_purchases`` PURCHASE rows so far,
      or net revenue so far (purchases minus refunds) of at least ``min_net_revenue``
      (either suffices; leave one out with None) — seed 004's customer who "在你这已经买那么多次"
      (had already bought from you so many times).
    - **Churn rate**: of the customers connected at the window's start (valuable, or the rest),
      the share with a CHURN row in the window.

    Parameters
    ----------
    table
        The events.
    window, end
        A :class:`~custpool.Window`, or its start and end (aware datetimes).
    lookback
        How long before a churn a complaint counts as its cause (positive; 30 days, as
        :attr:`Policy.recover_window <custpool.Policy.recover_window>` by default, which
        :func:`~custpool.next_action` uses for the same link).
    min_purchases
        Purchases up to the start that make a customer valuable (``>= 1``), or None.
    min_net_revenue
        Net revenue up to the start that makes a customer valuable, as Money in the table's
        currency, or None.

    Returns
    -------
    ChurnCauses

    Raises
    ------
    custpool.ValidationError
        If the window is not valid, ``lookback`` is not positive, ``min_purchases`` is below 1,
        both valuable criteria are None, or ``min_net_revenue`` is in another currency.
    custpool.WrongTypeError
        If an argument has the wrong type.

    Examples
    --------
    Three customers connect on day 0. ``a`` buys twice (valuable), complains about service
    on day 40 and deletes us on day 45; ``b`` complains about price on day 1 and leaves on
    day 50 (49 days later: older than the 30-day look-back, so no cause, though ``b``
    complained); ``c`` stays. In the window (day 31, day 61]:

    >>> from datetime import UTC, datetime, timedelta
    >>> import numpy as np
    >>> from custpool import EventTable, Window
    >>> t0, day = int(np.datetime64("2026-01-01", "us").astype(np.int64)), 86_400_000_000
    >>> rows = [  # (customer, day, kind, reason): kinds 0 connect, 1 churn, 8 purchase,
    ...     (0, 0, 0, -1), (0, 2, 8, -1), (0, 9, 8, -1), (0, 40, 12, 0), (0, 45, 1, 0),
    ...     (1, 0, 0, -1), (1, 1, 12, 2), (1, 50, 1, 0), (2, 0, 0, -1)]  # 12 complaint
    >>> c, d, k, r = (list(col) for col in zip(*rows))
    >>> table = EventTable.from_arrays(
    ...     c, [t0 + x * day for x in d], k, reason=r, amount=[1000 if x == 8 else 0 for x in k],
    ...     item=[n if x == 8 else -1 for n, x in enumerate(k)],
    ...     source=[0 if x == 0 else -1 for x in k], direction=[0] * len(k),
    ...     customer_ids=["a", "b", "c"], currency="CNY")
    >>> start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=31)
    >>> causes = churn_causes(table, start, start + timedelta(days=30))
    >>> causes
    ChurnCauses(2 churners, 1 with a recorded cause)
    >>> print(causes)  # doctest: +NORMALIZE_WHITESPACE
    churn causes (2026-02-01 00:00+00:00, 2026-03-03 00:00+00:00] — 2 churners
      complained before leaving: 100.0%
      cause: the latest complaint within 30 days before leaving
      cause          churners  share
      service               1  50.0%
      quality               0   0.0%
      price                 0   0.0%
      logistics             0   0.0%
      other                 0   0.0%
      none recorded         1  50.0%
      complaint to churn, median days: 5.0
      churn rate of the valuable: 100.0% (1 of 1)
      churn rate of the rest: 50.0% (1 of 2)
    """
    if not isinstance(table, EventTable):
        raise wrong_argument("table", table, "must be a custpool.EventTable")
    w = as_window(window, end)
    span = _check_lookback(lookback)
    min_n, min_units = _check_valuable(table, min_purchases, min_net_revenue)
    start, stop = w.start_us, w.end_us
    n = table.n_customers
    # The churners and each one's latest CHURN in the window (rows are by customer, then time).
    churns = np.flatnonzero((table.kind == _CHURN) & (table.time > start) & (table.time <= stop))
    customers = table.customer[churns]
    last = churns[np.flatnonzero(run_ends(customers))]
    churner = table.customer[last]
    churned_at = table.time[last]
    # The latest complaint at or before each churn; a cause only within the look-back.
    complained, reason = latest_complaints(table, churner, churned_at)
    recorded = (complained != NO_TIME) & (complained > churned_at - span)
    cause = np.where(recorded, reason, -1).astype(np.int8)
    # Valuable and connected at the start; who of them churned.
    valuable = _valuable(table, start, min_n, min_units)
    connected = KindRows(table).connected_at(start)
    left = np.zeros(n, dtype=np.bool_)
    left[churner] = True
    return ChurnCauses(
        window=w,
        lookback=lookback,
        min_purchases=min_n,
        min_net_revenue=min_net_revenue,
        customer_ids=tuple(table.customer_ids.column(churner).tolist()),
        churned_at=churned_at,
        cause=cause,
        last_complaint=complained,
        valuable=valuable[churner],
        connected_at_start=int(np.count_nonzero(connected)),
        valuable_at_start=int(np.count_nonzero(connected & valuable)),
        churned_connected=int(np.count_nonzero(connected & left)),
        churned_valuable=int(np.count_nonzero(connected & valuable & left)),
    )
