"""``score_health``'s raw values against the naive reference of docs/health.md's measures.

Every one of the 21 measures is compared (raw value, or not measured). Pools are the oracle
pools of ``naive.py``; the brand's activities and the members' content views and event
attendances are drawn to refer to one another, so reach and attendance are not always empty;
``as_of`` sits where the window's and the retention period's edges meet rows.
"""

from __future__ import annotations

import math
import statistics
from datetime import timedelta

from hypothesis import event, given, settings
from hypothesis import strategies as st

from custpool import (
    EXAMPLE_START,
    CustomerTags,
    HealthPolicy,
    PoolActivity,
    PoolCharter,
    Tag,
    example_pool,
    score_health,
)
from custpool.strategies import activities, charters
from engine_helpers import START, table_of
from oracles.naive import GRID, Histories, instants_near, lively_pools, naive_health
from property_helpers import asserted, asserts_often

VOCABULARY = tuple(Tag.parse(t) for t in ("interest:咖啡", "interest:tea", "vip", "blocked"))
INTERESTS = tuple(Tag.parse(t) for t in ("interest:咖啡", "interest:tea", "interest:latte"))


@st.composite
def health_inputs(
    draw: st.DrawFn,
) -> tuple[Histories, dict[str, list[Tag]] | None, PoolCharter, list[PoolActivity] | None]:
    """A pool, maybe tags, a charter on the pool's vocabulary, maybe activities it refers to."""
    pool = draw(lively_pools())
    times = sorted({START, *(i.at for h in pool.values() for i in h)})
    near = st.builds(lambda t, k: t + k * GRID, st.sampled_from(times), st.integers(-6, 6))
    records = draw(
        st.lists(  # on the grid, near the pool's rows (where the instants are drawn)
            st.builds(
                lambda a, at: a.model_copy(update={"at": at}),
                activities(kinds=["content_published", "event_held"]),
                near,
            ),
            min_size=1,
            max_size=10,
            unique_by=lambda a: a.id,
        ),
        label="activities",
    )
    if draw(st.integers(0, 9), label="activities recorded") == 9:
        records = None  # not recorded: every measure reading activities is not measured
    content = [a.content_id for a in records or () if a.content_id is not None]
    events = [a.event_id for a in records or () if a.event_id is not None]
    for cid, history in pool.items():  # views and attendances of the drawn activities
        pool[cid] = [
            i.model_copy(update={"content_id": draw(st.sampled_from(content))})
            if i.kind.value == "content_view" and content and draw(st.booleans())
            else i.model_copy(update={"event_id": draw(st.sampled_from(events))})
            if i.kind.value == "event_attend" and events and draw(st.booleans())
            else i
            for i in history
        ]
    tags = draw(
        st.none()
        | st.fixed_dictionaries(
            {cid: st.lists(st.sampled_from(VOCABULARY), unique=True, max_size=3) for cid in pool}
        )
    )
    charter = draw(charters(tag_strategy=st.sampled_from(VOCABULARY)))
    interests = draw(
        st.lists(st.sampled_from(INTERESTS), unique=True, max_size=2)
        | st.lists(st.sampled_from(INTERESTS), unique=True, min_size=1, max_size=2)
    )
    weekly = {"content_cadence": {"times": 3, "days": 7}, "ritual_cadence": {"times": 1, "days": 7}}
    cadences = draw(st.sampled_from([{}, weekly, weekly, weekly]), label="cadences")
    charter = PoolCharter.model_validate(charter.model_dump() | {"interests": interests} | cadences)
    return pool, tags, charter, records


policies = st.builds(
    HealthPolicy,
    window=st.sampled_from([timedelta(days=30), GRID, 4 * GRID]),
    retention_period=st.sampled_from([timedelta(days=90), 2 * GRID]),
)


def _same(got: float | None, want: float | None) -> bool:
    if got is None or want is None:
        return got is want
    return math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12)


@asserts_often()
@settings(max_examples=100, deadline=None)
@given(inputs=health_inputs(), policy=policies, data=st.data())
def test_health_raw_values_equal_the_naive_reference(
    inputs: tuple[Histories, dict[str, list[Tag]] | None, PoolCharter, list[PoolActivity] | None],
    policy: HealthPolicy,
    data: st.DataObject,
) -> None:
    pool, tags, charter, records = inputs
    table = table_of(pool)
    held = None
    if tags is not None:
        matrix = [[t in tags[cid] for t in VOCABULARY] for cid in table.customer_ids]
        held = CustomerTags.from_matrix(matrix, VOCABULARY, table.customer_ids)
    windows = (policy.window, policy.retention_period, policy.tiers.dormant_after)
    more = [a.at for a in records or ()]
    for as_of in data.draw(instants_near(pool, windows, more), label="instants")[:4]:
        report = score_health(table, charter, as_of, tags=held, activities=records, policy=policy)
        want = naive_health(
            pool, tags=tags, charter=charter, activities=records, as_of=as_of, policy=policy
        )
        asserted()
        event(f"members {min(report.members, 3)}+")
        for dimension in report.dimensions:
            for measure in dimension.measures:
                name = measure.measure.value
                event(f"{name} {'measured' if measure.raw is not None else 'not measured'}")
                assert _same(measure.raw, want[name]), (name, measure.raw, want[name], as_of)


def test_the_reference_reproduces_the_example_scored_by_hand_in_health_md() -> None:
    # docs/health.md "A pool scored by hand": the example pool on day 24, default policy
    pool = example_pool()
    histories = {c.id: list(pool.history(c.id)) for c in pool.customers}
    tags = {c.id: list(c.tags) for c in pool.customers}
    raw = naive_health(
        histories,
        tags=tags,
        charter=pool.charter,
        activities=list(pool.activities),
        as_of=EXAMPLE_START + timedelta(days=24),
        policy=HealthPolicy(),
    )
    weeks = 30 / 7
    by_hand = {
        "interest.members": 1.0,  # 5 of 5 members carry interest:咖啡
        "interest.content": 0.75,  # 3 of 4 posts on an interest
        "structure.size": 5.0,
        "structure.depth": 0.6,  # engaged c-003, converted c-002, advocate c-001 of 5
        "structure.advocates": 0.2,  # c-001 of 5
        "structure.spread": 40.0,  # 2 busiest of 5 active make half the rows: 100 × 2 / 5
        "structure.platforms": 1.0,  # 4 of 4 declared platforms used
        "structure.joining": 0.8,  # c-005 carries lifecycle:blocked: 4 / 5
        "structure.norms": 3.0,
        "structure.complaints": 0.2,  # 1 complaint / 5 members
        "output.cadence": 4 / weeks,  # 4 posts in 30 / 7 weeks
        "output.regularity": statistics.pstdev([7, 3, 4, 7, 9]) / 6,  # gaps in days, mean 6
        "output.reach": 0.1,  # 2 views / (4 items × 5 members)
        "operate.rituals": 2 / weeks,
        "operate.attendance": 0.2,  # 2 attendances / (2 rituals × 5 members)
        "operate.participation": 1.0,
        "operate.roles": 60.0,  # 100 × (2 operators + 1 advocate) / 5
        "operate.reply_hours": 504.0,  # c-001's day-3 message waits 21 days = 504 hours
        "operate.retention": None,  # nobody connected 90 days before
        "operate.peer_share": 2 / 19,  # c-002's group post and reaction of 19 rows taking part
        "copy.capacity": 2.5,  # 5 members for 2 operators
    }
    assert raw.keys() == by_hand.keys()
    for name, value in by_hand.items():
        assert _same(raw[name], value), (name, raw[name], value)
