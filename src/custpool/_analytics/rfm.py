"""RFM summaries for customer-base models: ``frequency``, ``recency``, ``T``, ``monetary_value``.

:func:`rfm_summary` turns the PURCHASE rows of an :class:`~custpool.EventTable` into the
per-customer summary that the ``lifetimes`` package (``summary_data_from_transaction_data``) and
``pymc-marketing`` (``clv.rfm_summary``) build from a transaction log, with the same numbers, so
their BG/NBD, Pareto/NBD and Gamma-Gamma models can be fitted on it. It is one vectorised pass
over the table: rows are sorted by customer then time, so within a customer the purchase
period never decreases and the distinct (customer, period) pairs are where either changes — no
sort and no group-by.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Final

import numpy as np

from custpool._analytics.frames import frame
from custpool._analytics.sums import slice_sums, to_money
from custpool._display import (
    Amount,
    Count,
    Displayed,
    Number,
    Phrase,
    Report,
    Section,
    Text,
    Time,
    resolve,
)
from custpool._engine import KIND_CODE, EventTable, Ids, readonly, run_starts
from custpool._errors import ValidationError, bad_argument, wrong_argument
from custpool._model import CURRENCY_MINOR_UNITS, InteractionKind, Money
from custpool._time import EPOCH, check_as_of, from_micros, to_micros

if TYPE_CHECKING:
    from datetime import tzinfo

    from numpy.typing import NDArray

    from custpool._display import Cell

__all__ = ["RfmRow", "RfmSummary", "rfm_summary"]

_PURCHASE: Final = KIND_CODE[InteractionKind.PURCHASE]
_DAY: Final = timedelta(days=1)
_MAX_PERIOD_US: Final = to_micros(timedelta(days=36_525))


def _mean(values: NDArray[np.float64]) -> float | None:
    return float(values.mean()) if values.size else None


@dataclass(frozen=True, slots=True)
class RfmRow:
    """One customer's line of an :class:`RfmSummary`, with the exact spend as Money.

    Examples
    --------
    >>> from custpool import EXAMPLE_START, EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> rfm_summary(table, EXAMPLE_START.replace(day=25)).row("c-001").frequency
    1
    """

    customer_id: str
    """The customer."""
    frequency: int
    """Repeat purchase periods (all purchase periods with ``include_first_transaction``)."""
    recency: float
    """Periods from the first to the last purchase period, ÷ ``freq_multiplier``."""
    T: float
    """Periods from the first purchase period to the observation end's, ÷ ``freq_multiplier``."""
    monetary_value: float
    """Mean spend of the counted periods in major units; 0.0 when none is counted."""
    monetary_total: Money
    """Exact total spend of the counted periods."""


@dataclass(frozen=True, slots=True, eq=False)
class RfmSummary(Displayed):
    """Per-customer RFM columns, as read-only numpy arrays (one entry per buying customer).

    Rows are the customers with at least one purchase up to the observation end's period, in
    table index order. Build a pandas DataFrame shaped like ``lifetimes``' output with
    ``pandas.DataFrame(summary.to_dict()).set_index("customer_id")``; custpool itself never
    imports pandas.

    Examples
    --------
    >>> from custpool import EXAMPLE_START, EventTable, example_pool
    >>> table = EventTable.from_interactions(example_pool().interactions)
    >>> summary = rfm_summary(table, EXAMPLE_START.replace(day=25))
    >>> summary.customer_ids, summary.frequency.tolist()
    (('c-001', 'c-002', 'c-004'), [1.0, 0.0, 0.0])
    >>> summary.monetary_value.tolist(), summary.monetary_total.tolist()
    ([128.0, 0.0, 0.0], [12800, 0, 0])
    >>> sorted(summary.to_dict())
    ['T', 'customer_id', 'frequency', 'monetary_value', 'recency']
    """

    customer: NDArray[np.int32]
    """Table index of each row's customer (ascending)."""
    frequency: NDArray[np.float64]
    """Repeat purchase periods: purchase periods − 1 (or all with ``include_first_transaction``)."""
    recency: NDArray[np.float64]
    """(last purchase period − first purchase period) ÷ ``freq_multiplier``."""
    T: NDArray[np.float64]
    """(observation end's period − first purchase period) ÷ ``freq_multiplier``."""
    monetary_value: NDArray[np.float64]
    """Mean of the counted periods' sums, in major units; 0.0 when ``frequency`` is 0."""
    monetary_total: NDArray[np.int64]
    """Exact sum of the counted periods' amounts, in minor units of ``currency``."""
    observation_end: datetime
    """The observation end as given, in UTC (its whole period is observed)."""
    period: timedelta
    """Length of one period."""
    origin: datetime
    """Where periods start: ``origin + k * period`` for whole ``k`` (UTC)."""
    freq_multiplier: float
    """What ``recency`` and ``T`` are divided by."""
    include_first_transaction: bool
    """Whether the first purchase period counts in ``frequency`` and ``monetary_value``."""
    currency: str | None
    """The table's currency (None when the table holds no amounts)."""
    _ids: Ids = field(repr=False)

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "customer_id",
        "frequency",
        "recency",
        "T",
        "monetary_value",
    )
    """The keys of :meth:`to_dict`: ``lifetimes``' columns, after the customer id."""

    def __len__(self) -> int:
        """Return the number of customers summarised."""
        return int(self.customer.shape[0])

    def __repr__(self) -> str:
        """Return a short summary, never the columns."""
        return (
            f"RfmSummary({len(self)} customers, observation_end="
            f"{self.observation_end.isoformat()}, period={self.period}, "
            f"freq_multiplier={self.freq_multiplier})"
        )

    @property
    def customer_ids(self) -> tuple[str, ...]:
        """The id of each row's customer."""
        ids = self._ids
        return tuple(ids[i] for i in self.customer.tolist())

    def to_dict(self) -> dict[str, NDArray[np.float64] | list[str]]:
        """Return the columns by name: ``customer_id`` (a list) and the four float arrays.

        The arrays are the summary's own (read-only). ``pandas.DataFrame(summary.to_dict())
        .set_index("customer_id")`` is ``lifetimes``' frame.
        """
        return {
            "customer_id": list(self.customer_ids),
            "frequency": self.frequency,
            "recency": self.recency,
            "T": self.T,
            "monetary_value": self.monetary_value,
        }

    def _report(self) -> Report:
        """Return the summary's figures, then the first ``display.max_rows`` customers."""
        title = Phrase(
            Text("RFM summary:", "RFM 汇总："),
            Count(len(self)),
            Text("customers at", "位客户，截至"),
            Time(self.observation_end),
        )
        days = self.period / _DAY
        total: Cell = Text("n/a", "无")
        if self.currency is not None:
            try:
                total = Amount(to_money(int(self.monetary_total.sum()), self.currency, "total"))
            except ValidationError:  # more than Money holds: show the count of minor units
                units = Text(f"minor units of {self.currency}", f"{self.currency} 最小货币单位")
                total = Phrase(Count(int(self.monetary_total.sum())), units)
        figures = (
            (Text("customers", "客户数"), Count(len(self))),
            (Text("repeat customers", "复购客户"), Count(int(np.count_nonzero(self.frequency)))),
            (
                Text("period", "周期"),
                Phrase(Number(days, 0 if days.is_integer() else 3), Text("days", "天")),
            ),
            (Text("mean frequency", "平均频次"), Number(_mean(self.frequency))),
            (Text("mean recency", "平均近度"), Number(_mean(self.recency))),
            (Text("mean T", "平均 T"), Number(_mean(self.T))),
            (Text("total spend", "总消费"), total),
        )
        limit = resolve()[2]
        shown = len(self) if limit is None else min(limit, len(self))
        ids = self._ids
        rows = tuple(
            (Text(ids[c]), Number(f, 0), Number(r), Number(t), Number(m))
            for c, f, r, t, m in zip(
                self.customer[:shown].tolist(),
                self.frequency[:shown].tolist(),
                self.recency[:shown].tolist(),
                self.T[:shown].tolist(),
                self.monetary_value[:shown].tolist(),
                strict=True,
            )
        )
        head = (
            Text("customer", "客户"),
            Text("frequency", "频次"),
            Text("recency", "近度"),
            Text("T"),
            Text("monetary value", "平均消费"),
        )
        customers = Section(rows, columns=head, left_out=len(self) - shown)
        return Report(title, (Section(figures), customers))

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return the summary as a frame: one row per customer, every column.

        Columns, in ``lifetimes``' names so its models can be fitted on the frame:
        ``customer_id`` (str), ``frequency``, ``recency``, ``T``, ``monetary_value`` (float64,
        as documented on the attributes; ``monetary_value`` is ``lifetimes``' mean in major
        units), then the exact money behind it: ``monetary_total_minor`` (int64,
        :attr:`monetary_total`, minor units of ``currency``) and ``currency``. Rows are in
        table index order. The summary holds no times, so ``tz`` only has to be valid.

        Parameters
        ----------
        backend
            ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (with the ``custpool[frames]`` extra).
        tz
            The zone times would be shown in (an IANA name, or ``datetime.UTC``): checked, for
            one signature across custpool's results.

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
        >>> from custpool import EXAMPLE_START, EventTable, example_pool, rfm_summary
        >>> table = EventTable.from_interactions(example_pool().interactions)
        >>> frame = rfm_summary(table, EXAMPLE_START.replace(day=25)).to_frame("polars")
        >>> frame.columns  # doctest: +NORMALIZE_WHITESPACE
        ['customer_id', 'frequency', 'recency', 'T', 'monetary_value', 'monetary_total_minor',
         'currency']
        >>> frame.select("customer_id", "frequency", "monetary_total_minor", "currency").rows()
        [('c-001', 1.0, 12800, 'CNY'), ('c-002', 0.0, 0, 'CNY'), ('c-004', 0.0, 0, 'CNY')]
        """
        columns = {
            "customer_id": self._ids.column(self.customer),
            "frequency": self.frequency,
            "recency": self.recency,
            "T": self.T,
            "monetary_value": self.monetary_value,
            "monetary_total_minor": self.monetary_total,
            "currency": np.full(len(self), self.currency, dtype=object),
        }
        return frame(columns, backend, tz, (), {"customer_id": "str", "currency": "str"})

    def row(self, customer_id: str) -> RfmRow:
        """Return one customer's line, with the exact total as Money.

        Raises
        ------
        custpool.ValidationError
            If the customer has no purchase up to the observation end (is not in the summary),
            or their total is more than :class:`~custpool.Money` holds.
        """
        if not isinstance(customer_id, str):
            raise wrong_argument("customer_id", customer_id, "must be a customer id (a str)")
        position = -1
        if customer_id in self._ids:
            index = self._ids.index(customer_id)
            found = int(np.searchsorted(self.customer, index))
            if found < len(self) and int(self.customer[found]) == index:
                position = found
        if position < 0:
            rule = "is not in the summary: no purchase up to the observation end's period"
            raise ValidationError("customer_id", customer_id, rule)
        assert self.currency is not None  # noqa: S101 - purchases always carry a currency
        return RfmRow(
            customer_id=customer_id,
            frequency=int(self.frequency[position]),
            recency=float(self.recency[position]),
            T=float(self.T[position]),
            monetary_value=float(self.monetary_value[position]),
            monetary_total=to_money(
                int(self.monetary_total[position]), self.currency, "monetary_total"
            ),
        )


def _instant(name: str, value: object) -> int:
    if not isinstance(value, datetime):
        raise wrong_argument(name, value, "must be an aware datetime")
    try:
        return check_as_of(value)
    except ValidationError as exc:
        raise bad_argument(name, value, exc.rule) from None


def _check_options(
    period: object, freq_multiplier: object, include_first_transaction: object
) -> tuple[int, float]:
    if not isinstance(period, timedelta):
        raise wrong_argument("period", period, "must be a datetime.timedelta, e.g. timedelta(1)")
    period_us = to_micros(period)
    if not 0 < period_us <= _MAX_PERIOD_US:
        raise ValidationError("period", period, "must be positive and at most 100 years")
    if isinstance(freq_multiplier, bool) or not isinstance(freq_multiplier, int | float):
        raise wrong_argument("freq_multiplier", freq_multiplier, "must be a number, e.g. 7")
    if not (math.isfinite(freq_multiplier) and freq_multiplier > 0):
        raise ValidationError("freq_multiplier", freq_multiplier, "must be finite and positive")
    if not isinstance(include_first_transaction, bool):
        rule = "must be True or False"
        raise wrong_argument("include_first_transaction", include_first_transaction, rule)
    return period_us, float(freq_multiplier)


def rfm_summary(  # noqa: PLR0913 - lifetimes' options
    table: EventTable,
    observation_end: datetime,
    *,
    period: timedelta = _DAY,
    freq_multiplier: float = 1,
    include_first_transaction: bool = False,
    origin: datetime = EPOCH,
) -> RfmSummary:
    """Summarise each customer's purchases as ``frequency``, ``recency``, ``T``, ``monetary_value``.

    The numbers are those of ``lifetimes.utils.summary_data_from_transaction_data`` (and of
    ``pymc_marketing.clv.rfm_summary`` without ``include_first_transaction``), fed with each
    PURCHASE row's customer, time and amount:

    1. Only PURCHASE rows are transactions, free orders (amount 0) included, as in
       ``lifetimes``, which keeps every transaction whatever its value. REFUND rows are ignored
       (``lifetimes`` has no refunds; to net them out, summarise a table without the refunded
       purchases).
    2. Times are floored to their period: period ``k`` is ``[origin + k·period,
       origin + (k+1)·period)``. With the defaults (one day from 1970-01-01 UTC) periods are
       UTC calendar days, like pandas' ``to_period("D")`` on UTC timestamps.
    3. All purchases of a customer in one period count as one, with their amounts summed.
    4. The observation end's **whole period** is observed: a purchase later on the same day as
       ``observation_end`` counts (unlike custpool's ``(start, end]`` windows); later periods
       are dropped. Customers whose first purchase is after that period are absent.
    5. With ``P`` a customer's purchase periods, ``first``/``last`` the first and last of them
       and ``end`` the observation end's period:

       - ``frequency = P − 1`` (repeat periods); ``P`` with ``include_first_transaction``;
       - ``recency = (last − first) / freq_multiplier``;
       - ``T = (end − first) / freq_multiplier``;
       - ``monetary_value`` = mean of the period sums of the periods ``frequency`` counts (the
         first one only with ``include_first_transaction``), in major units; ``0.0`` when
         ``frequency`` is 0.

    ``frequency``, ``recency``, ``T`` and ``monetary_value`` are float64 as in ``lifetimes``;
    ``monetary_total`` is the exact int64 sum (minor units) behind ``monetary_value``: summed
    without wrap-around, or refused when a customer's total is more than int64 holds.

    ``lifetimes``' weeks the ``lifetimes`` way (``freq="D", freq_multiplier=7``) are
    ``period=timedelta(days=1), freq_multiplier=7``. Its ``freq="W"`` are pandas ``W-SUN``
    weeks, Monday to Sunday: ``period=timedelta(weeks=1)`` with a Monday ``origin`` such as
    ``datetime(1970, 1, 5, tzinfo=UTC)`` (1970-01-01 was a Thursday). Calendar days of Beijing
    time are ``origin=datetime(1970, 1, 1, tzinfo=timezone(timedelta(hours=8)))``. Months
    have no fixed length and are not periods here.

    Parameters
    ----------
    table
        The events; only PURCHASE rows are read.
    observation_end
        The end of the observation, timezone-aware; its whole period is observed.
    period
        The length of one period (positive; default one day).
    freq_multiplier
        Positive number ``recency`` and ``T`` are divided by (7 turns days into weeks).
    include_first_transaction
        Count the first purchase period in ``frequency`` and ``monetary_value`` (for RFM
        segmentation; keep False for the BG/NBD, Pareto/NBD and Gamma-Gamma models).
    origin
        A period boundary, timezone-aware (default 1970-01-01 UTC).

    Returns
    -------
    RfmSummary

    Raises
    ------
    custpool.WrongTypeError
        If ``table`` is not an EventTable, or an option has the wrong type.
    custpool.ValidationError
        If ``observation_end`` or ``origin`` is naive, ``period`` is not positive (or over
        100 years), ``freq_multiplier`` is not positive and finite, or a customer's counted
        purchases sum to more than ``2**63 - 1`` minor units (``monetary_total``).

    Examples
    --------
    >>> from datetime import UTC, datetime, timedelta
    >>> import numpy as np
    >>> from custpool import EventTable
    >>> def at(day, hour=12):
    ...     return np.datetime64(f"2026-03-{day:02d}T{hour:02d}:00", "us")
    >>> table = EventTable.from_arrays(  # c-a buys on days 1, 1, 4 and 8; c-b on day 9
    ...     customer=[0, 0, 0, 0, 1], kind=[8] * 5, item=[0, 1, 2, 3, 4],
    ...     time=[at(1, 9), at(1, 20), at(4), at(8, 23), at(9)],
    ...     amount=[1000, 500, 2000, 4000, 900], currency="CNY", customer_ids=["c-a", "c-b"],
    ... )
    >>> s = rfm_summary(table, datetime(2026, 3, 8, 10, tzinfo=UTC))  # day 8 counts whole
    >>> s.customer_ids, s.frequency.tolist(), s.recency.tolist(), s.T.tolist()
    (('c-a',), [2.0], [7.0], [7.0])
    >>> s.monetary_value.tolist(), s.monetary_total.tolist()  # (20 + 40) / 2 CNY
    ([30.0], [6000])
    >>> weeks = rfm_summary(table, datetime(2026, 3, 15, tzinfo=UTC), freq_multiplier=7)
    >>> weeks.T.tolist()  # (15 - 1) / 7 and (15 - 9) / 7 weeks
    [2.0, 0.8571428571428571]
    >>> rfm_summary(table, datetime(2026, 3, 8, tzinfo=UTC), include_first_transaction=True
    ...     ).monetary_value.tolist()  # (15 + 20 + 40) / 3
    [25.0]
    """
    if not isinstance(table, EventTable):
        raise wrong_argument("table", table, "must be a custpool.EventTable")
    end_us = _instant("observation_end", observation_end)
    origin_us = _instant("origin", origin)
    period_us, multiplier = _check_options(period, freq_multiplier, include_first_transaction)

    end_period = (end_us - origin_us) // period_us
    cutoff = origin_us + (end_period + 1) * period_us  # first instant after the end's period
    mask = table.kind == _PURCHASE
    mask &= table.time < cutoff
    if mask.all():  # a table of purchases only
        customer = table.customer
        periods = table.time.copy()
        amounts = table.amount
    else:
        rows = np.flatnonzero(mask)
        customer = table.customer[rows]
        periods = table.time[rows]
        amounts = table.amount[rows]
    if origin_us:
        periods -= origin_us
    np.floor_divide(periods, period_us, out=periods)
    start, end, first_end, count = _slices(customer, periods)

    # Each customer's counted periods are one slice of their rows (from their second period,
    # unless the first counts); the slices are summed exactly (no int64 wrap-around).
    counted = count if include_first_transaction else count - 1
    total = slice_sums(
        amounts,
        start if include_first_transaction else first_end,
        end,
        what="monetary_total",
        label=lambda k: f"customer {table.customer_ids[int(customer[start[k]])]!r}",
    )
    first_period = periods[start]
    scale = 10 ** CURRENCY_MINOR_UNITS[table.currency] if table.currency else 1
    mean = np.zeros(counted.shape[0], dtype=np.float64)
    np.divide(total, counted * scale, out=mean, where=counted > 0)
    return RfmSummary(
        customer=readonly(customer[start]),
        frequency=readonly(counted.astype(np.float64)),
        recency=readonly((periods[end - 1] - first_period) / multiplier),
        T=readonly((end_period - first_period) / multiplier),
        monetary_value=readonly(mean),
        monetary_total=readonly(total),
        observation_end=from_micros(end_us),
        period=period,
        origin=from_micros(origin_us),
        freq_multiplier=freq_multiplier,
        include_first_transaction=include_first_transaction,
        currency=table.currency,
        _ids=table.customer_ids,
    )


def _slices(
    customer: NDArray[np.int32], periods: NDArray[np.int64]
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """Return each customer's first row, end row, end of first period, and periods counted.

    Rows are sorted by customer, then time, so within a customer ``periods`` never decreases:
    a (customer, period) group starts wherever the customer or the period changes. Ends are
    exclusive.
    """
    n = periods.shape[0]
    new_customer = run_starts(customer)
    new_group = run_starts(periods)
    new_group |= new_customer
    group_start = np.flatnonzero(new_group)
    n_groups = group_start.shape[0]
    first_group = np.flatnonzero(new_customer[group_start])
    start = group_start[first_group]
    end = np.empty_like(start)
    end[:-1] = start[1:]
    end[-1:] = n
    # The group after a customer's first is their second period, or the next customer.
    second = first_group + 1
    first_end = np.where(second < n_groups, group_start[np.minimum(second, n_groups - 1)], n)
    count = np.diff(first_group, append=n_groups)
    return start, end, first_end, count
