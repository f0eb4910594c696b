"""The engine's bounds, exactly at and either side: table times, and the tier table on a grid.

A table holds times from ``MIN_TIME`` (1900-01-01 UTC) inclusive to ``MAX_TIME`` (2170-01-01
UTC) exclusive. ``classify_table`` must equal ``classify`` where an off-by-one would show: on
histories whose times sit on a coarse grid (ties within and across customers, a CHURN at the
instant of a CONNECT) with windows that are multiples of the grid, classified exactly on a grid
point and one microsecond either side of it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custpool import (
    CONVERT_FIRST,
    NURTURE_FIRST,
    EventTable,
    Interaction,
    Policy,
    Stage,
    ValidationError,
    classify,
    classify_table,
)
from custpool._engine import MAX_TIME, MIN_TIME
from custpool._engine.tier_table import STAGES
from engine_helpers import END, START, pool_histories, table_of
from property_helpers import asserted, asserts_often

US = timedelta(microseconds=1)
MESSAGE = 2  # kind code of MESSAGE (KINDS order); direction given explicitly below


def one_row(time: object) -> EventTable:
    times = time if isinstance(time, np.ndarray) else [time]
    return EventTable.from_arrays([0], times, [MESSAGE], direction=[0])


# -- table times: [MIN_TIME, MAX_TIME) ---------------------------------------------------------


def test_max_time_itself_is_refused() -> None:
    # 2170-01-01 00:00 UTC is the first instant *outside* the range: the bound is exclusive.
    assert int(np.datetime64("2170-01-01T00:00:00", "us").astype(np.int64)) == MAX_TIME
    with pytest.raises(ValidationError) as caught:
        one_row(MAX_TIME)
    assert caught.value.field == "time[0]"
    assert caught.value.value == MAX_TIME
    assert "before 2170-01-01" in caught.value.rule


def test_one_microsecond_before_max_time_is_accepted() -> None:
    assert one_row(MAX_TIME - 1).time.tolist() == [MAX_TIME - 1]


def test_min_time_is_accepted_and_one_microsecond_before_it_refused() -> None:
    assert one_row(MIN_TIME).time.tolist() == [MIN_TIME]
    with pytest.raises(ValidationError) as caught:
        one_row(MIN_TIME - 1)
    assert (caught.value.field, caught.value.value) == ("time[0]", MIN_TIME - 1)


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_datetime64_at_max_time_is_refused_in_every_unit(unit: str) -> None:
    at_max = np.array(["2170-01-01T00:00:00"], dtype=f"datetime64[{unit}]")
    with pytest.raises(ValidationError, match="time"):
        one_row(at_max)
    just_before = np.array(["2169-12-31T23:59:59"], dtype=f"datetime64[{unit}]")
    expected = MAX_TIME - 1_000_000  # one second before the bound, in microseconds
    assert one_row(just_before).time.tolist() == [expected]


def test_an_interaction_at_max_time_is_refused_by_the_table() -> None:
    def message(at: datetime) -> Interaction:
        return Interaction(
            id="i-1",
            customer_id="c-1",
            at=at,
            kind="message",
            direction="inbound",
            channel="wecom_chat",
        )

    bound = datetime(2170, 1, 1, tzinfo=UTC)
    with pytest.raises(ValidationError, match="2170"):
        EventTable.from_interactions([message(bound)])
    table = EventTable.from_interactions([message(bound - US)])
    assert table.time.tolist() == [MAX_TIME - 1]


# -- classify_table == classify on a grid ------------------------------------------------------

GRID = timedelta(days=5)
# Every window a multiple of the grid: an event leaves a window exactly on a grid point.
GRID_POLICIES = st.sampled_from(
    [
        Policy(paradigm=NURTURE_FIRST),  # 30, 365, 365, 90 days
        Policy(paradigm=CONVERT_FIRST),
        Policy(
            engage_window=timedelta(days=10),
            engage_min_interactions=2,
            convert_window=timedelta(days=60),
            advocate_window=timedelta(days=60),
            dormant_after=timedelta(days=20),
            advocate_min_nps=7,
        ),
        Policy(
            paradigm=CONVERT_FIRST,
            engage_window=timedelta(days=15),
            dormant_after=timedelta(days=30),
            convert_window=timedelta(days=30),
            engage_weights={"reaction": "0.5", "group_post": "2", "message": "0"},
        ),
        # engagement ends exactly when dormancy begins (both 20 days): the dormant tier
        Policy(engage_window=timedelta(days=20), dormant_after=timedelta(days=20)),
    ]
)
GRID_POINTS = (END - START) // GRID


@asserts_often()
@settings(max_examples=80, deadline=None)
@given(
    pool=pool_histories(max_customers=3, max_size=12, grid=GRID),
    policy=GRID_POLICIES,
    k=st.integers(0, GRID_POINTS + 20),
    nudge=st.sampled_from([-US, timedelta(0), US]),
    data=st.data(),
)
def test_classify_table_equals_classify_on_a_grid(
    pool: dict[str, list[Interaction]],
    policy: Policy,
    k: int,
    nudge: timedelta,
    data: st.DataObject,
) -> None:
    times = [i.at for history in pool.values() for i in history]
    windows = (
        policy.engage_window,
        policy.convert_window,
        policy.advocate_window,
        policy.dormant_after,
    )
    edges = sorted({e for t in times for e in (t, *(t + w for w in windows))})
    # Three draws in four classify at an edge (all on the grid), the fourth anywhere on it.
    aimed = bool(edges) and data.draw(st.integers(0, 3), label="aim") > 0
    point = data.draw(st.sampled_from(edges), label="edge") if aimed else START + k * GRID
    as_of = point + nudge
    table = table_of(pool)
    tiers = classify_table(table, policy, as_of)
    for cid, history in pool.items():
        expected = classify(history, policy, as_of)
        row = table.customer_index(cid)
        assert tiers.state_of(cid) is expected.state, cid
        assert tiers.tier_of(cid) is expected.tier, cid
        assert [bool(m) for m in tiers.met[row]] == [expected.criterion(s).met for s in STAGES]
        assert tiers.engage_score[row] == expected.criterion(Stage.ENGAGED).value * 100
        nps = int(tiers.latest_nps[row])
        assert (None if nps < 0 else nps) == expected.latest_nps
    # Counted as "asserted" when the draw met what the grid is for: events tied at one instant,
    # or an instant where an event happens or leaves a window (and one microsecond either side).
    if len(set(times)) < len(times):
        asserted("events tied at one instant")
    if point in edges:
        asserted("classified at an event or where one leaves a window (+-1 us)")
