"""Tests written for the analytics mutants that survived the sample of 2026-12-06 (docs/testing.md).

Two rules every function and result of the room keeps, checked across all of them at once: a
table argument of another type is refused naming the field, the value's type and the rule, and
``to_frame()`` without a backend gives pandas.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pytest

from custpool import (
    EXAMPLE_START,
    EventTable,
    InteractionKind,
    Policy,
    ValidationError,
    Window,
    WrongTypeError,
    channel_attribution,
    coded_ltv,
    example_pool,
    fission,
    paradigm_fit,
    pool_growth,
    pool_kpis,
    referral_tree,
    revenue_by_state,
    rfm_summary,
    silent_groups,
    tier_flows,
    tier_ltv,
    tier_snapshots,
)
from custpool._analytics import (
    STATUS,
    KpiScan,
    TierSnapshots,
    lifetime_value,
    part_counts,
    project_distribution,
    stationary_distribution,
    visitor_status,
)
from custpool._engine import KIND_CODE, KindRows
from custpool._time import to_micros

ENDS = [EXAMPLE_START + timedelta(weeks=w) for w in range(5)]
END = ENDS[-1]


def _example_table() -> EventTable:
    """The example pool's table (7 customers, c-001 … c-007), built afresh for each test."""
    return EventTable.from_interactions(example_pool().interactions)


TAKING_A_TABLE = {
    "channel_attribution": lambda t: channel_attribution(t, ENDS[0], END),
    "referral_tree": lambda t: referral_tree(t, END),
    "fission": lambda t: fission(t, Policy(), ENDS[0], END),
    "tier_snapshots": lambda t: tier_snapshots(t, Policy(), ENDS),
    "silent_groups": lambda t: silent_groups(t, END),
    "pool_growth": lambda t: pool_growth(t, ENDS),
    "pool_kpis": lambda t: pool_kpis(t, ENDS[0], END),
    "coded_ltv": lambda t: coded_ltv(t, ENDS, [[0]], ["a"], discount_rate=0.1),
    "rfm_summary": lambda t: rfm_summary(t, END),
}


@pytest.mark.parametrize("name", TAKING_A_TABLE)
def test_a_table_of_another_type_is_refused_naming_field_type_and_rule(name: str) -> None:
    with pytest.raises(WrongTypeError) as caught:
        TAKING_A_TABLE[name]([1, 2])
    error = caught.value
    assert (error.field, error.rule) == ("table", "must be a custpool.EventTable")
    assert error.shown_value == "<a list>"


@pytest.fixture
def results() -> dict[str, Any]:
    table = _example_table()
    snapshots = tier_snapshots(table, Policy(), ENDS)
    # customers coded by the parity of their index, the same in every period
    codes = [[n % 2 for n in range(len(table.customer_ids))]] * len(ENDS)
    found = {
        "ChannelAttribution": channel_attribution(table, ENDS[0], END),
        "ReferralTree": referral_tree(table, END),
        "FissionReport": fission(table, Policy(), ENDS[0], END),
        "TierSnapshots": snapshots,
        "TierFlows": tier_flows(snapshots),
        "StateRevenue": revenue_by_state(table, snapshots),
        "TierLTV": tier_ltv(table, snapshots, discount_rate=0.1),
        "SilentGroups": silent_groups(table, END),
        "PoolGrowth": pool_growth(table, ENDS),
        "PoolKpis": pool_kpis(table, ENDS[0], END),
        "RfmSummary": rfm_summary(table, END),
        "CodedLTV": coded_ltv(table, ENDS, codes, ["even", "odd"], discount_rate=0.1),
        "ParadigmFit": paradigm_fit(table, END),
    }
    kpis = pool_kpis(table, ENDS[0], END)
    for name in (
        "activity",
        "conversion",
        "funnel",
        "net_promoter",
        "order_value",
        "repurchase",
        "scale",
    ):
        part = getattr(kpis, name)
        found[type(part).__name__] = part
    return found


def test_every_result_frame_is_pandas_by_default(results: dict[str, Any]) -> None:
    pd = pytest.importorskip("pandas")
    assert len(results) == 20  # 13 results and the 7 KPI results pool_kpis holds
    not_pandas = [n for n, r in results.items() if not isinstance(r.to_frame(), pd.DataFrame)]
    assert not_pandas == []


# -- errors: field, value and rule ---------------------------------------------------------------


def _refused(error: type[Exception], call: Any) -> Any:
    with pytest.raises(error) as caught:
        call()
    return caught.value


def test_tier_flows_refuses_another_source_showing_its_type() -> None:
    error = _refused(WrongTypeError, lambda: tier_flows([1]))  # type: ignore[arg-type]
    assert (error.field, error.shown_value) == ("source", "<a list>")
    assert error.rule == "must be TierSnapshots or a custpool.EventTable"


def test_pool_growth_refuses_periods_that_are_no_sequence_showing_the_value() -> None:
    table = _example_table()
    error = _refused(WrongTypeError, lambda: pool_growth(table, 5))  # type: ignore[arg-type]
    assert (error.field, error.value) == ("periods", 5)
    assert error.rule == "must be a sequence of period ends (aware datetimes) or of Windows"


def test_tier_ltv_names_the_horizon_and_the_rate_with_their_values_and_rules() -> None:
    table = _example_table()
    snapshots = tier_snapshots(table, Policy(), ENDS)
    error = _refused(
        ValidationError, lambda: tier_ltv(table, snapshots, discount_rate=0.1, horizon=0)
    )
    assert (error.field, error.value) == ("horizon", 0)
    assert error.rule == "must be >= 1 period (None: no end)"
    error = _refused(ValidationError, lambda: tier_ltv(table, snapshots, discount_rate=math.nan))
    assert error.field == "discount_rate"
    assert math.isnan(error.value)
    assert error.rule == "must be finite"


def test_snapshots_of_another_table_of_as_many_customers_are_refused() -> None:
    table = _example_table()
    n = table.n_customers  # 7 customers, c-001 … c-007
    others = EventTable.from_arrays(
        list(range(n)),
        [0] * n,
        [KIND_CODE[InteractionKind.CONNECT]] * n,
        direction=[0] * n,
        customer_ids=[f"x-{k}" for k in range(n)],
    )
    snapshots = tier_snapshots(others, Policy(), ENDS)
    for call in (
        lambda: revenue_by_state(table, snapshots),
        lambda: tier_ltv(table, snapshots, discount_rate=0.1),
    ):
        error = _refused(ValidationError, call)
        assert (error.field, error.value) == ("snapshots", "TierSnapshots")
        assert error.rule == "were taken of another table: the customer ids differ"


# -- visitors -----------------------------------------------------------------------------------


def test_the_tables_first_row_counts_as_a_connect_before_a_visit() -> None:
    # Customer 0 connects at t0 − 1 µs (row 0 of the table, the very first) and visits at t0:
    # in the pool. Customer 1 connects at the visit's own instant: captured. Customer 2
    # connects at t0 − 2 µs, churns at t0 − 1 µs and visits at t0: lapsed.
    t0 = to_micros(EXAMPLE_START)
    connect, churn, visit = (KIND_CODE[k] for k in ("connect", "churn", "store_visit"))
    table = EventTable.from_arrays(
        customer=[0, 0, 1, 1, 2, 2, 2],
        time=[t0 - 1, t0, t0, t0, t0 - 2, t0 - 1, t0],
        kind=[connect, visit, visit, connect, connect, churn, visit],
        direction=[0] * 7,
        source=[0, -1, -1, 0, 0, -1, -1],
        reason=[-1, -1, -1, -1, -1, 0, -1],
    )
    window = Window(EXAMPLE_START - timedelta(days=1), EXAMPLE_START)  # (start, end]: t0 in it
    found = visitor_status(table, window, KindRows(table))
    assert [STATUS[s] for s in found.status.tolist()] == ["in_pool", "captured", "lapsed"]
    assert found.visits == 3


def test_a_period_index_that_is_no_integer_is_refused_with_the_rule() -> None:
    snapshots = tier_snapshots(_example_table(), Policy(), ENDS)
    error = _refused(WrongTypeError, lambda: snapshots.counts_at(1.5))  # type: ignore[arg-type]
    assert (error.field, error.value, error.rule) == ("period", 1.5, "must be an integer index")


# -- more errors, named; kept customers ----------------------------------------------------------


def test_flows_and_values_name_field_value_and_rule() -> None:
    table = _example_table()
    snapshots = tier_snapshots(table, Policy(), ENDS)  # five snapshots: indexes -5 to 4
    cases = [
        (lambda: snapshots.counts_at(5), ("period", 5, "must be an index from -5 to 4")),
        (
            lambda: project_distribution(np.eye(7), np.ones(7) / 7, -1),
            ("k", -1, "must be >= 0 (0 periods gives the distribution back)"),
        ),
        (
            lambda: silent_groups(table, END, days=0),
            ("days", 0, "must be a positive number of days, at most 365000"),
        ),
    ]
    for call, expected in cases:
        error = _refused(ValidationError, call)
        assert (error.field, error.value, error.rule) == expected
    error = _refused(WrongTypeError, lambda: TierSnapshots(ENDS, np.zeros((5, 7))))
    assert (error.field, error.value, error.rule) == (
        "states",
        "array of dtype float64",
        "must hold state codes",
    )
    error = _refused(WrongTypeError, lambda: lifetime_value(np.eye(7), np.array(["a"] * 7), 0.1))
    assert (error.field, error.value, error.rule) == (
        "revenue",
        "array of dtype <U1",
        "must hold real numbers",
    )
    # the identity matrix: every state is a closed class of its own
    error = _refused(ValidationError, lambda: stationary_distribution(np.eye(7)))
    assert error.rule == (
        "has more than one stationary distribution (the chain has two or more closed classes of "
        "states); project from a start with project_distribution instead"
    )


def test_transition_counts_are_whole_numbers() -> None:
    snapshots = tier_snapshots(_example_table(), Policy(), ENDS)
    assert tier_flows(snapshots).counts.dtype == np.int64


def test_the_growth_frame_keeps_its_column_types() -> None:
    pytest.importorskip("pandas")
    frame = pool_growth(_example_table(), ENDS).to_frame()
    types = {name: str(frame[name].dtype) for name in ("delta", "delta_minor", "improving")}
    assert types == {"delta": "float64", "delta_minor": "Int64", "improving": "boolean"}


def test_part_counts_of_kept_and_other_customers_add_up_to_all() -> None:
    table = _example_table()
    scan = KpiScan(table, Window(ENDS[0], END))
    keep = np.arange(table.n_customers) % 2 == 0  # customers 0, 2, 4, 6
    _, sizes, facts = part_counts(scan, "operator")
    _, kept_sizes, kept = part_counts(scan, "operator", keep=keep)
    _, other_sizes, other = part_counts(scan, "operator", keep=~keep)
    assert (kept_sizes + other_sizes).tolist() == sizes.tolist()
    assert 0 < kept_sizes.sum() < sizes.sum()
    for name, whole in facts.items():
        assert (kept[name] + other[name]).tolist() == whole.tolist(), name


def test_pool_growth_names_the_period_end_that_is_wrong() -> None:
    table = _example_table()
    # the first end is read as the start of the first window, the third as the end of the second
    error = _refused(ValidationError, lambda: pool_growth(table, ["x", ENDS[1], ENDS[2]]))
    assert (error.field, error.value, error.rule) == (
        "periods[0]",
        "x",
        "must be an aware datetime",
    )
    naive = datetime(2026, 3, 1)  # noqa: DTZ001 - naive on purpose
    error = _refused(ValidationError, lambda: pool_growth(table, [ENDS[0], ENDS[1], naive]))
    assert (error.field, error.value) == ("periods[2]", naive)
    assert error.rule == "must be timezone-aware; add tzinfo (e.g. datetime.UTC)"
