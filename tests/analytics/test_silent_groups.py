"""silent_groups: seed 001's "three days silent" group, its window edges, and a naive oracle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custpool import EventTable, ValidationError, WrongTypeError, silent_groups
from custpool._time import to_micros
from engine_helpers import pool_histories, table_of

T0 = datetime(2026, 3, 1, tzinfo=UTC)
DAY = 86_400_000_000
US = to_micros(T0)
MESSAGE, GROUP_POST, CONNECT, CHURN = 2, 3, 0, 1


def table(rows: list[tuple[int, int, int, int, int]], groups: list[str]) -> EventTable:
    """rows: (customer, day offset in µs, kind, direction, group)."""
    customer, time, kind, direction, group = (list(c) for c in zip(*rows, strict=True))
    return EventTable.from_arrays(
        customer=customer,
        time=[US + t for t in time],
        kind=kind,
        direction=direction,
        source=[0 if k == CONNECT else -1 for k in kind],
        group=group,
        group_ids=groups,
    )


def test_seed_001_people_added_group_built_three_days_silent():
    # 100 people join g-1 on day 0; the brand posts on days 1-5; no customer ever speaks
    rows = [(c, 0, CONNECT, 0, 0) for c in range(100)]
    rows += [(0, d * DAY, GROUP_POST, 1, 0) for d in range(1, 6)]
    t = table(rows, ["g-1"])
    # at day 3 the group is 3 days old and joining is not acting: silent, never active
    found = silent_groups(t, T0 + timedelta(days=3))
    assert found.group_ids == ("g-1",)
    assert found.last_active.tolist() == [-(2**63)]  # NO_TIME: its customers never acted
    assert found.brand_rows.tolist() == [3]  # posts on days 1, 2, 3
    # one µs before day 3 the group is younger than 3 days: too new to call silent
    early = silent_groups(t, T0 + timedelta(days=3) - timedelta(microseconds=1))
    assert (early.group_ids, early.groups) == ((), 0)


def test_a_customer_act_exactly_days_ago_does_not_break_the_silence():
    # both groups built on day 0 by a brand post; g-a's customer spoke on day 0, g-b's on day 1
    rows = [(0, 0, GROUP_POST, 1, 0), (0, 0, GROUP_POST, 1, 1)]
    rows += [(0, 0, MESSAGE, 0, 0), (1, DAY, MESSAGE, 0, 1)]
    t = table(rows, ["g-a", "g-b"])
    at = T0 + timedelta(days=4)
    # days=3: (day 1, day 4] excludes day 1, so g-b's message is outside too
    assert silent_groups(t, at).group_ids == ("g-a", "g-b")
    # days=3.5: (day 0.5, day 4] holds g-b's day-1 message
    assert silent_groups(t, at, days=3.5).group_ids == ("g-a",)


def test_groups_that_do_not_exist_yet_are_not_counted():
    t = table([(0, 0, MESSAGE, 0, 0), (0, 10 * DAY, MESSAGE, 0, 1)], ["g-old", "g-new"])
    found = silent_groups(t, T0 + timedelta(days=5))
    assert (found.group_ids, found.groups) == (("g-old",), 1)


def test_never_active_groups_come_first_then_the_longest_silent():
    rows = [(0, 0, GROUP_POST, 1, 0), (0, 0, GROUP_POST, 1, 1), (0, DAY, MESSAGE, 0, 1)]
    rows += [(0, 0, MESSAGE, 0, 2)]
    found = silent_groups(table(rows, ["g-x", "g-y", "g-z"]), T0 + timedelta(days=10))
    # g-x: only the brand posted (never active); g-z last active day 0; g-y day 1
    assert found.group_ids == ("g-x", "g-z", "g-y")
    assert str(found).splitlines()[1] == "  g-x: customers last active never; brand rows since: 0"


@pytest.mark.parametrize(
    ("days", "error"),
    [
        (0, ValidationError),
        (-1, ValidationError),
        (float("nan"), ValidationError),
        ("3", WrongTypeError),
        (True, WrongTypeError),
    ],
)
def test_days_must_be_a_positive_number(days: object, error: type[Exception]):
    t = table([(0, 0, MESSAGE, 0, 0)], ["g"])
    with pytest.raises(error, match="days"):
        silent_groups(t, T0, days=days)  # type: ignore[arg-type]


def naive(t: EventTable, as_of: datetime, days: float) -> set[str]:
    """Group by group, row by row, from the definition in the docstring."""
    end = to_micros(as_of)
    start = end - round(days * DAY)
    silent = set()
    for g, gid in enumerate(t.group_ids):
        rows = [r for r in range(len(t)) if t.group[r] == g and t.time[r] <= end]
        if not rows or min(t.time[r] for r in rows) > start:
            continue  # no group yet, or younger than `days`
        acts = [r for r in rows if t.direction[r] != 1 and t.kind[r] not in (CONNECT, CHURN)]
        if not any(t.time[r] > start for r in acts):
            silent.add(gid)
    return silent


@settings(max_examples=80, deadline=None)
@given(pool=pool_histories(), at=st.integers(0, 400), days=st.sampled_from([1, 3, 7.5, 30]))
def test_silent_groups_match_a_naive_reading_of_the_definition(pool, at, days):
    t = table_of(pool)
    as_of = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=at)
    found = silent_groups(t, as_of, days=days)
    assert set(found.group_ids) == naive(t, as_of, days)
    assert len(found) <= found.groups <= len(t.group_ids)
    assert np.all(found.last_active <= to_micros(as_of) - round(days * DAY))
