"""Arguments of the wrong type raise custpool errors, and never echo a container (issue 13).

A dict or a list passed by mistake may hold contact handles: errors show it by its type only.
"""

from datetime import timedelta

import pytest

from custpool import (
    EXAMPLE_START,
    CustpoolError,
    EventTable,
    Policy,
    ValidationError,
    WrongTypeError,
    average_order_value,
    channel_attribution,
    example_pool,
    pool_growth,
    referral_tree,
    revenue_by_state,
    rfm_summary,
    tier_flows,
    tier_ltv,
    tier_snapshots,
)

PHONE = "13800138000"
ENDS = [EXAMPLE_START + timedelta(weeks=w) for w in range(5)]


@pytest.fixture(scope="module")
def table() -> EventTable:
    return EventTable.from_interactions(example_pool().interactions)


@pytest.fixture(scope="module")
def results(table):
    snapshots = tier_snapshots(table, Policy(), ENDS)
    return {
        "snapshots": snapshots,
        "flows": tier_flows(snapshots),
        "revenue": revenue_by_state(table, snapshots),
        "ltv": tier_ltv(table, snapshots, discount_rate=0.1),
        "tree": referral_tree(table, ENDS[-1]),
        "rfm": rfm_summary(table, ENDS[-1]),
        "channels": channel_attribution(table, ENDS[0], ENDS[-1]),
    }


CALLS = {
    "snapshots.counts_at": ("snapshots", "counts_at", "period"),
    "flows.moves": ("flows", "moves", "period"),
    "flows.distribution": ("flows", "distribution", "period"),
    "revenue.mean_of": ("revenue", "mean_of", "state"),
    "revenue.mean_money": ("revenue", "mean_money", "state"),
    "revenue.total": ("revenue", "total", "state"),
    "ltv.value_of": ("ltv", "value_of", "state"),
    "ltv.money": ("ltv", "money", "state"),
    "tree.generation_of": ("tree", "generation_of", "customer_id"),
    "tree.referrer_of": ("tree", "referrer_of", "customer_id"),
    "rfm.row": ("rfm", "row", "customer_id"),
    "channels.row": ("channels", "row", "source"),
}


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("bad", [{"phone": PHONE}, [PHONE], (PHONE,), object()])
def test_result_methods_refuse_a_container_without_showing_it(results, call, bad):
    name, method, field = CALLS[call]
    with pytest.raises(WrongTypeError) as info:
        getattr(results[name], method)(bad)
    err = info.value
    assert isinstance(err, TypeError)
    assert err.field == field
    assert err.shown_value == f"<a {type(bad).__name__}>"
    assert PHONE not in f"{err} {err.value!r} {err!r}"


@pytest.mark.parametrize(
    ("call", "bad"),
    [
        ("snapshots.counts_at", 5),  # five snapshots: indexes -5 to 4
        ("snapshots.counts_at", -6),
        ("flows.moves", 4),  # four transitions
        ("flows.distribution", 5),
    ],
)
def test_period_indexes_out_of_range_are_validation_errors(results, call, bad):
    name, method, _ = CALLS[call]
    with pytest.raises(ValidationError) as info:
        getattr(results[name], method)(bad)
    assert info.value.field == "period"
    assert not isinstance(info.value, TypeError)


@pytest.mark.parametrize("call", ["snapshots.counts_at", "flows.moves", "flows.distribution"])
@pytest.mark.parametrize("bad", [1.5, "1", True])
def test_period_indexes_must_be_integers(results, call, bad):
    name, method, _ = CALLS[call]
    with pytest.raises(WrongTypeError) as info:
        getattr(results[name], method)(bad)
    assert info.value.field == "period"


def test_period_indexes_still_count_from_the_end(results):
    snapshots, flows = results["snapshots"], results["flows"]
    assert snapshots.counts_at(-1) == snapshots.counts_at(4)
    assert flows.distribution(-1).tolist() == flows.distribution(4).tolist()
    assert flows.moves(-1) == flows.moves(3)


@pytest.mark.parametrize(
    "call",
    [
        lambda _, bad: average_order_value(bad, ENDS[0], ENDS[1]),
        lambda _, bad: channel_attribution(bad, ENDS[0], ENDS[1]),
        lambda _, bad: rfm_summary(bad, ENDS[1]),
        lambda t, bad: rfm_summary(t, ENDS[1], period=bad),
        lambda _, bad: pool_growth(bad, ENDS),
        lambda t, bad: pool_growth(t, [ENDS[0], bad, ENDS[2]]),
        lambda t, bad: tier_snapshots(t, bad, ENDS),
        lambda _, bad: tier_flows(bad),
        lambda t, bad: tier_ltv(t, bad, discount_rate=0.1),
        lambda t, bad: tier_ltv(t, tier_snapshots(t, Policy(), ENDS), discount_rate=bad),
    ],
)
def test_analytics_never_echo_a_container_passed_by_mistake(table, call):
    bad = {"phone": PHONE}
    with pytest.raises(CustpoolError) as info:
        call(table, bad)
    err = info.value
    assert isinstance(err, ValidationError)
    assert PHONE not in f"{err} {err.value!r} {err.shown_value} {err!r}"
