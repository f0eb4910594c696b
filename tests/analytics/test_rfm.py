"""RFM summaries: hand-checked numbers, lifetimes' rules against a plain-Python reference."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SHANGHAI, T0, at
from custpool import (
    CURRENCY_MINOR_UNITS,
    EventTable,
    Interaction,
    Money,
    RfmSummary,
    ValidationError,
    WrongTypeError,
    rfm_summary,
)
from custpool._time import EPOCH, to_micros
from tiers_helpers import ev

_ids = count(1)
DAY = timedelta(days=1)


def buy(day: float, customer: str = "c-1", amount: str = "10", currency: str = "CNY"):
    return ev(day, "purchase", customer, amount={"amount": amount, "currency": currency})


def refund(day: float, customer: str = "c-1", amount: str = "10") -> Interaction:
    return Interaction.model_validate(
        {
            "id": f"r-{next(_ids)}",
            "customer_id": customer,
            "at": at(day),
            "kind": "refund",
            "order_id": f"o-r{next(_ids)}",
            "amount": {"amount": amount, "currency": "CNY"},
            "channel": "store",
            "direction": "inbound",
        }
    )


# T0 is 2026-03-01 12:00 UTC, so at(d) for 0 <= d < 0.5 is still on 2026-03-01 (UTC).
HISTORY = [
    buy(0, amount="10"),  # c-1, day Mar 1
    buy(0.3, amount="10"),  # c-1, 19:12 on Mar 1: same period, summed to 20
    buy(2, amount="10"),  # c-1, Mar 3
    buy(5, amount="30"),  # c-1, Mar 6
    buy(1, "c-2", amount="7.50"),  # c-2, Mar 2 only
    buy(6.4, "c-3", amount="5"),  # c-3, Mar 7 21:36: after the end instant, in its period
    buy(6.6, "c-4", amount="5"),  # c-4, Mar 8 02:24: after the end's period
    ev(1, "connect", "c-5"),  # c-5 never buys
]
END = at(6.2)  # 2026-03-07 16:48 UTC; the observed period is Mar 7


def table_of(interactions, **kwargs):
    return EventTable.from_interactions(interactions, **kwargs)


def test_worked_example_follows_lifetimes_rules():
    s = rfm_summary(table_of(HISTORY), END)
    assert s.customer_ids == ("c-1", "c-2", "c-3")  # c-4 first buys after the end; c-5 never
    # c-1: periods Mar 1, 3, 6 -> 3 periods, frequency 3 - 1 = 2; recency 6 - 1 = 5 days;
    # T = Mar 7 - Mar 1 = 6 days; monetary = mean(10 on Mar 3, 30 on Mar 6) = 20.
    # c-2: one period: frequency 0, recency 0, T = 7 - 2 = 5, monetary 0.
    # c-3: bought in the end's own period: T = 0.
    assert s.frequency.tolist() == [2.0, 0.0, 0.0]
    assert s.recency.tolist() == [5.0, 0.0, 0.0]
    assert s.T.tolist() == [6.0, 5.0, 0.0]
    assert s.monetary_value.tolist() == [20.0, 0.0, 0.0]
    assert s.monetary_total.tolist() == [4000, 0, 0]  # fen: 1000 + 3000
    assert s.frequency.dtype == s.recency.dtype == s.T.dtype == np.float64
    assert s.customer.tolist() == [0, 1, 2]
    assert len(s) == 3


def test_include_first_transaction_counts_the_first_period():
    s = rfm_summary(table_of(HISTORY), END, include_first_transaction=True)
    # c-1: 3 periods, sums 20, 10, 30 -> mean 20; c-2: 1 period of 7.50; c-3: 1 of 5.
    assert s.frequency.tolist() == [3.0, 1.0, 1.0]
    assert s.monetary_value.tolist() == [20.0, 7.5, 5.0]
    assert s.monetary_total.tolist() == [6000, 750, 500]
    assert s.recency.tolist() == [5.0, 0.0, 0.0]  # recency and T do not change
    assert s.T.tolist() == [6.0, 5.0, 0.0]


def test_the_first_period_sums_all_its_purchases():
    # Two purchases on the first day, one later: the first period (20) is left out whole.
    s = rfm_summary(table_of([buy(0), buy(0.1, amount="10"), buy(3, amount="4")]), at(4))
    assert s.frequency.tolist() == [1.0]
    assert s.monetary_value.tolist() == [4.0]


def test_refunds_and_other_kinds_are_ignored():
    extra = [refund(2.5, amount="10"), refund(5.1, "c-2"), ev(3, "message"), ev(4, "connect")]
    plain = rfm_summary(table_of(HISTORY), END)
    with_refunds = rfm_summary(table_of(HISTORY + extra), END)
    for name in ("frequency", "recency", "T", "monetary_value", "monetary_total"):
        assert getattr(with_refunds, name).tolist() == getattr(plain, name).tolist()


def test_freq_multiplier_divides_recency_and_t():
    s = rfm_summary(table_of(HISTORY), END, freq_multiplier=7)
    assert s.recency.tolist() == [5 / 7, 0.0, 0.0]
    assert s.T.tolist() == [6 / 7, 5 / 7, 0.0]
    assert s.frequency.tolist() == [2.0, 0.0, 0.0]  # frequency is a count of periods
    assert rfm_summary(table_of(HISTORY), END, freq_multiplier=2.5).T.tolist() == [2.4, 2.0, 0.0]


def test_weekly_periods_from_a_monday_origin_are_pandas_w_sun_weeks():
    monday = datetime(1970, 1, 5, tzinfo=UTC)  # 2026-03-02 is a Monday too
    week = timedelta(weeks=1)
    history = [
        buy(-0.6),  # Sat Feb 28 -> week of Feb 23
        buy(0),  # Sun Mar 1 -> week of Feb 23 (same period)
        buy(1, amount="3"),  # Mon Mar 2 -> week of Mar 2
        buy(8, amount="5"),  # Mon Mar 9 -> week of Mar 9
    ]
    s = rfm_summary(table_of(history), at(15), period=week, origin=monday)  # Mar 16: week Mar 16
    # Weeks Feb 23, Mar 2, Mar 9: frequency 2, recency 2 weeks, T = Mar 16 - Feb 23 = 3 weeks.
    assert (s.frequency[0], s.recency[0], s.T[0], s.monetary_value[0]) == (2.0, 2.0, 3.0, 4.0)
    # From the default origin (a Thursday) the same purchases fall in other weeks.
    thursday = rfm_summary(table_of(history), at(15), period=week)
    assert thursday.frequency[0] == 1.0  # weeks from Thu Feb 26 and Thu Mar 5


def test_origin_in_beijing_time_makes_beijing_days():
    beijing = datetime(1970, 1, 1, tzinfo=SHANGHAI)
    # 2026-03-01 12:00 UTC is 20:00 in Beijing; +0.25 day is 02:00 the next Beijing day.
    history = [buy(0), buy(0.25, amount="6")]
    utc = rfm_summary(table_of(history), at(1))
    local = rfm_summary(table_of(history), at(1), origin=beijing)
    assert utc.frequency.tolist() == [0.0]  # one UTC day
    assert local.frequency.tolist() == [1.0]  # two Beijing days
    assert local.monetary_value.tolist() == [6.0]
    assert local.origin == datetime(1969, 12, 31, 16, tzinfo=UTC)


def test_hourly_periods():
    history = [buy(0), buy(1 / 48, amount="2"), buy(2 / 24, amount="4")]  # 12:00, 12:30, 14:00
    s = rfm_summary(table_of(history), at(0.25), period=timedelta(hours=1), freq_multiplier=24)
    # Hours 12 (10 + 2) and 14: frequency 1; recency 2 h = 1/12 day; T = 18 - 12 = 6 h.
    assert s.frequency.tolist() == [1.0]
    assert s.recency.tolist() == [2 / 24]
    assert s.T.tolist() == [6 / 24]
    assert s.monetary_value.tolist() == [4.0]


def test_days_before_1970_floor_downwards():
    before = datetime(1969, 12, 31, 23, tzinfo=UTC)
    after = datetime(1970, 1, 1, 1, tzinfo=UTC)
    history = [
        Interaction.model_validate(
            {
                "id": f"p-{k}",
                "customer_id": "c-1",
                "at": moment,
                "kind": "purchase",
                "order_id": f"o-{k}",
                "amount": {"amount": "1", "currency": "CNY"},
                "channel": "store",
            }
        )
        for k, moment in enumerate((before, after))
    ]
    s = rfm_summary(table_of(history), datetime(1970, 1, 3, tzinfo=UTC))
    assert (s.frequency[0], s.recency[0], s.T[0]) == (1.0, 1.0, 3.0)  # days -1 and 0; end 2


def test_minor_units_follow_the_currency():
    s = rfm_summary(
        table_of([buy(0, currency="JPY"), buy(1, amount="1500", currency="JPY")]), at(2)
    )
    assert s.monetary_value.tolist() == [1500.0]  # yen have no minor unit
    assert s.monetary_total.tolist() == [1500]
    assert s.currency == "JPY"
    assert CURRENCY_MINOR_UNITS["JPY"] == 0


def test_observation_end_before_every_purchase_gives_an_empty_summary():
    s = rfm_summary(table_of(HISTORY), at(-1))
    assert len(s) == 0
    assert s.customer_ids == ()
    assert s.frequency.dtype == np.float64
    assert s.monetary_total.dtype == np.int64
    assert s.to_dict() == {
        "customer_id": [],
        "frequency": s.frequency,
        "recency": s.recency,
        "T": s.T,
        "monetary_value": s.monetary_value,
    }


def test_table_without_purchases():
    table = table_of([ev(0, "connect"), ev(1, "message")])
    s = rfm_summary(table, at(5))
    assert len(s) == 0
    assert s.currency is None


def test_results_are_read_only_and_frozen():
    s = rfm_summary(table_of(HISTORY), END)
    for name in ("customer", "frequency", "recency", "T", "monetary_value", "monetary_total"):
        column = getattr(s, name)
        assert not column.flags.writeable
        with pytest.raises(ValueError):
            column[0] = 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.period = DAY  # type: ignore[misc]
    assert "3 customers" in repr(s)


def test_to_dict_builds_lifetimes_frame_columns():
    s = rfm_summary(table_of(HISTORY), END)
    data = s.to_dict()
    assert list(data) == list(RfmSummary.COLUMNS)
    assert data["customer_id"] == ["c-1", "c-2", "c-3"]
    assert data["T"] is s.T


def test_row_gives_exact_money():
    s = rfm_summary(table_of(HISTORY), END)
    row = s.row("c-1")
    assert row.frequency == 2
    assert (row.recency, row.T, row.monetary_value) == (5.0, 6.0, 20.0)
    assert row.monetary_total == Money(amount=Decimal("40.00"), currency="CNY")
    with pytest.raises(ValidationError, match="not in the summary"):
        s.row("c-4")  # in the table, bought after the end
    with pytest.raises(ValidationError, match="not in the summary"):
        s.row("nobody")


def test_the_options_are_recorded():
    s = rfm_summary(table_of(HISTORY), END.astimezone(SHANGHAI), freq_multiplier=7)
    assert s.observation_end == END
    assert s.observation_end.tzinfo is UTC
    assert (s.period, s.origin, s.freq_multiplier) == (DAY, EPOCH, 7)
    assert s.include_first_transaction is False


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"observation_end": datetime(2026, 3, 1)}, ValidationError, "observation_end"),  # noqa: DTZ001
        ({"observation_end": "2026-03-01"}, ValidationError, "observation_end"),
        ({"origin": datetime(1970, 1, 1)}, ValidationError, "origin"),  # noqa: DTZ001
        ({"period": timedelta(0)}, ValidationError, "period"),
        ({"period": -DAY}, ValidationError, "period"),
        ({"period": timedelta.max}, ValidationError, "period"),
        ({"period": 1}, WrongTypeError, "period"),
        ({"freq_multiplier": 0}, ValidationError, "freq_multiplier"),
        ({"freq_multiplier": float("nan")}, ValidationError, "freq_multiplier"),
        ({"freq_multiplier": float("inf")}, ValidationError, "freq_multiplier"),
        ({"freq_multiplier": True}, WrongTypeError, "freq_multiplier"),
        ({"freq_multiplier": "7"}, WrongTypeError, "freq_multiplier"),
        ({"include_first_transaction": 1}, WrongTypeError, "include_first_transaction"),
    ],
)
def test_bad_arguments_name_the_field(kwargs, error, field):
    arguments = {"observation_end": END} | kwargs
    with pytest.raises(error) as caught:
        rfm_summary(table_of(HISTORY), **arguments)
    assert caught.value.field == field


def test_table_must_be_an_event_table():
    with pytest.raises(WrongTypeError, match="EventTable"):
        rfm_summary(HISTORY, END)  # type: ignore[arg-type]


def test_purchase_only_table_built_from_arrays():
    # The fast path (every row a purchase in the observed periods) gives the same numbers.
    day = 86_400_000_000
    t0 = to_micros(datetime(2026, 3, 1, tzinfo=UTC))
    table = EventTable.from_arrays(
        customer=[0, 0, 0, 1, 1],
        time=[t0, t0 + 3, t0 + 2 * day, t0 + day, t0 + 5 * day],
        kind=[8] * 5,
        amount=[100, 200, 300, 400, 600],
        item=[0, 1, 2, 3, 4],
        currency="CNY",
    )
    s = rfm_summary(table, datetime(2026, 3, 9, tzinfo=UTC))
    # c0: days 0 (300) and 2 (300); c1: days 1 (400) and 5 (600).
    assert s.frequency.tolist() == [1.0, 1.0]
    assert s.recency.tolist() == [2.0, 4.0]
    assert s.T.tolist() == [8.0, 7.0]
    assert s.monetary_total.tolist() == [300, 600]
    assert s.monetary_value.tolist() == [3.0, 6.0]


# -- property: the lifetimes rules in plain Python -----------------------------------------------


def reference(interactions, end, options, digits=2):
    """lifetimes' summary_data_from_transaction_data, with dicts."""
    period, origin = options["period"], options["origin"]
    multiplier, include_first = options["multiplier"], options["include_first"]
    size, zero = to_micros(period), to_micros(origin)
    end_period = (to_micros(end) - zero) // size
    sums: dict[str, dict[int, int]] = defaultdict(dict)
    for item in interactions:
        if item.kind.value != "purchase":
            continue
        p = (to_micros(item.at) - zero) // size
        if p <= end_period:
            by_period = sums[item.customer_id]
            by_period[p] = by_period.get(p, 0) + item.amount.minor_units
    out = {}
    for customer, by_period in sums.items():
        periods = sorted(by_period)
        counted = periods if include_first else periods[1:]
        total = sum(by_period[p] for p in counted)
        out[customer] = {
            "frequency": len(counted),
            "recency": (periods[-1] - periods[0]) / multiplier,
            "T": (end_period - periods[0]) / multiplier,
            "monetary_total": total,
            "monetary_value": total / len(counted) / 10**digits if counted else 0.0,
        }
    return out


EVENTS = st.lists(
    st.tuples(
        st.integers(0, 4),  # customer
        st.sampled_from(["purchase", "purchase", "purchase", "refund", "message"]),
        st.integers(-3 * 24 * 60, 20 * 24 * 60),  # minutes from T0
        st.integers(1, 10**7),  # fen
    ),
    max_size=30,
)
OPTIONS = st.fixed_dictionaries(
    {
        "end_minutes": st.integers(-4 * 24 * 60, 22 * 24 * 60),
        "period": st.sampled_from(
            [DAY, timedelta(hours=1), timedelta(hours=5), timedelta(weeks=1), timedelta(days=3)]
        ),
        "origin": st.sampled_from(
            [EPOCH, datetime(1970, 1, 5, tzinfo=UTC), datetime(2026, 3, 1, 7, 13, tzinfo=SHANGHAI)]
        ),
        "multiplier": st.sampled_from([1, 7, 2.5, 24]),
        "include_first": st.booleans(),
    }
)


def interactions_of(events):
    out = []
    for n, (customer, kind, minutes, fen) in enumerate(events):
        data = {
            "id": f"e-{n:03d}",
            "customer_id": f"c-{customer}",
            "at": T0 + timedelta(minutes=minutes),
            "kind": kind,
            "channel": "store" if kind != "message" else "wecom_chat",
            "direction": "inbound",
        }
        if kind in {"purchase", "refund"}:
            data |= {"order_id": f"o-{n}", "amount": Money.from_minor_units(fen, "CNY")}
        out.append(Interaction.model_validate(data))
    return out


@settings(max_examples=150, deadline=None)
@given(EVENTS, OPTIONS)
def test_matches_plain_python_reference(events, options):
    interactions = interactions_of(events) or [ev(0, "connect")]
    end = T0 + timedelta(minutes=options["end_minutes"])
    s = rfm_summary(
        table_of(interactions),
        end,
        period=options["period"],
        origin=options["origin"],
        freq_multiplier=options["multiplier"],
        include_first_transaction=options["include_first"],
    )
    expected = reference(interactions, end, options)
    assert list(s.customer_ids) == sorted(expected)
    for position, customer in enumerate(s.customer_ids):
        want = expected[customer]
        assert s.frequency[position] == want["frequency"]
        assert s.recency[position] == want["recency"]
        assert s.T[position] == want["T"]
        assert s.monetary_total[position] == want["monetary_total"]
        assert s.monetary_value[position] == pytest.approx(want["monetary_value"], rel=1e-12)
        assert s.recency[position] <= s.T[position]
        if not options["include_first"]:
            # lifetimes' models need frequency <= recency in periods (issue #91).
            assert s.frequency[position] <= s.recency[position] * options["multiplier"]


@settings(max_examples=40, deadline=None)
@given(EVENTS, st.integers(-4 * 24 * 60, 22 * 24 * 60), st.integers(1, 3 * 24 * 60))
def test_a_later_observation_end_never_loses_customers_or_periods(events, end_minutes, extra):
    table = table_of(interactions_of(events) or [ev(0, "connect")])
    end = T0 + timedelta(minutes=end_minutes)
    early = rfm_summary(table, end, include_first_transaction=True)
    late = rfm_summary(table, end + timedelta(minutes=extra), include_first_transaction=True)
    assert set(early.customer_ids) <= set(late.customer_ids)
    later = dict(zip(late.customer_ids, late.frequency.tolist(), strict=True))
    for customer, frequency in zip(early.customer_ids, early.frequency.tolist(), strict=True):
        assert later[customer] >= frequency
