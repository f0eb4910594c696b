"""Tier flows: snapshots, flow matrices, row probabilities, projection and the stationary law."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conftest import SHANGHAI
from custpool import (
    CONVERT_FIRST,
    EXAMPLE_START,
    NURTURE_FIRST,
    EventTable,
    Policy,
    State,
    TierSnapshots,
    ValidationError,
    WrongTypeError,
    classify,
    example_pool,
    project_distribution,
    stationary_distribution,
    tier_flows,
    tier_snapshots,
)
from custpool._analytics.flows import N_STATES, check_period_ends
from engine_helpers import START, pool_histories, table_of

P, C, E, V, A, D, X = range(
    7
)  # PROSPECT, CONNECTED, ENGAGED, CONVERTED, ADVOCATE, DORMANT, CHURNED
ENDS3 = [datetime(2026, m, 1, tzinfo=UTC) for m in (1, 2, 3)]


def hand_snapshots() -> TierSnapshots:
    # Five customers over three month ends.
    return TierSnapshots(
        ENDS3,
        [
            [P, C, C, E, V],  # Jan 1
            [C, C, E, V, V],  # Feb 1
            [C, X, E, A, D],  # Mar 1
        ],
    )


# -- snapshots --------------------------------------------------------------------------------


def test_snapshot_counts_by_hand():
    snaps = hand_snapshots()
    assert snaps.n_periods == 3
    assert snaps.n_customers == 5
    # Jan 1: P 1, C 2, E 1, V 1.  Feb 1: C 2, E 1, V 2.  Mar 1: C 1, E 1, A 1, D 1, X 1.
    assert snaps.counts.tolist() == [
        [1, 2, 1, 1, 0, 0, 0],
        [0, 2, 1, 2, 0, 0, 0],
        [0, 1, 1, 0, 1, 1, 1],
    ]
    assert snaps.counts_at(2)[State.CHURNED] == 1
    assert snaps.states.dtype == np.int8
    assert snaps.customer_ids is None


def test_snapshots_are_read_only_copies():
    states = np.array([[0, 1], [1, 1]], dtype=np.int64)
    snaps = TierSnapshots(ENDS3[:2], states)
    states[0, 0] = 6  # the caller's array is copied, not adopted
    assert snaps.states[0, 0] == 0
    assert states.flags.writeable
    for array in (snaps.states, snaps.counts, snaps.ends_us):
        assert not array.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        snaps.states[0, 0] = 1


def test_snapshot_ends_are_stored_in_utc():
    ends = [datetime(2026, 1, 1, 8, tzinfo=SHANGHAI), datetime(2026, 2, 1, 8, tzinfo=SHANGHAI)]
    snaps = TierSnapshots(ends, [[0], [1]])
    assert snaps.period_ends == (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC))
    assert snaps.ends_us.tolist() == [1_767_225_600_000_000, 1_769_904_000_000_000]


@pytest.mark.parametrize(
    ("ends", "field", "rule"),
    [
        ([ENDS3[0]], "period_ends", "at least two"),
        ([], "period_ends", "at least two"),
        ([ENDS3[0], ENDS3[0]], "period_ends[1]", "strictly increase"),
        ([ENDS3[1], ENDS3[0]], "period_ends[1]", "strictly increase"),
        ([ENDS3[0], datetime(2026, 5, 1)], "period_ends[1]", "timezone-aware"),  # noqa: DTZ001
        ([ENDS3[0], "2026-05-01"], "period_ends[1]", "aware datetime"),
    ],
)
def test_period_ends_are_validated(ends, field, rule):
    with pytest.raises(ValidationError, match=rule) as info:
        check_period_ends(ends)
    assert info.value.field == field


@pytest.mark.parametrize("ends", [ENDS3[0], "2026-01-01", 5])
def test_period_ends_must_be_a_sequence(ends):
    with pytest.raises(WrongTypeError) as info:
        check_period_ends(ends)
    assert info.value.field == "period_ends"


def test_period_ends_accept_any_iterable():
    ends, micros = check_period_ends(iter(ENDS3))
    assert ends == tuple(ENDS3)
    assert np.diff(micros).tolist() == [31 * 86_400_000_000, 28 * 86_400_000_000]


@pytest.mark.parametrize(
    ("states", "field", "rule"),
    [
        ([[0, 1], [1, 7]], "states[1, 1]", "from 0 to 6"),
        ([[0, -1], [1, 1]], "states[0, 1]", "from 0 to 6"),
        ([[0, 1]], "states", "n_periods = 2"),
        ([0, 1], "states", "n_periods = 2"),
        ([[[0]], [[1]]], "states", "n_periods = 2"),
    ],
)
def test_states_are_validated(states, field, rule):
    with pytest.raises(ValidationError, match=rule) as info:
        TierSnapshots(ENDS3[:2], states)
    assert info.value.field == field


def test_ragged_states_are_refused():
    with pytest.raises(ValidationError, match="rectangular") as info:
        TierSnapshots(ENDS3[:2], [[0, 1], [1]])
    assert info.value.field == "states"


def test_states_must_be_integer_codes():
    with pytest.raises(WrongTypeError, match="state codes"):
        TierSnapshots(ENDS3[:2], [[0.0], [1.0]])
    with pytest.raises(WrongTypeError):
        TierSnapshots(ENDS3[:2], [["connected"], ["engaged"]])


def test_customer_ids_must_match_the_states():
    snaps = TierSnapshots(ENDS3[:2], [[0, 1], [1, 1]], customer_ids=["a", "b"])
    assert snaps.customer_ids == ("a", "b")
    with pytest.raises(ValidationError, match="each of the 2 customers") as info:
        TierSnapshots(ENDS3[:2], [[0, 1], [1, 1]], customer_ids=["a"])
    assert info.value.field == "customer_ids"


def test_no_customers_is_allowed():
    flows = tier_flows(TierSnapshots(ENDS3, np.zeros((3, 0), dtype=np.int8)))
    assert flows.pooled.sum() == 0
    assert np.isnan(flows.probabilities).all()
    assert flows.transition_matrix.tolist() == np.eye(7).tolist()  # nothing measured: stay
    assert flows.distribution().tolist() == [0.0] * 7


# -- flows ------------------------------------------------------------------------------------


def test_flow_matrices_by_hand():
    flows = tier_flows(hand_snapshots())
    assert flows.n_transitions == 2
    first, second = flows.counts
    # Jan → Feb: P→C, C→C, C→E, E→V, V→V.
    expected_first = np.zeros((7, 7), dtype=np.int64)
    for a, b in [(P, C), (C, C), (C, E), (E, V), (V, V)]:
        expected_first[a, b] += 1
    assert first.tolist() == expected_first.tolist()
    # Feb → Mar: C→C, C→X, E→E, V→A, V→D.
    expected_second = np.zeros((7, 7), dtype=np.int64)
    for a, b in [(C, C), (C, X), (E, E), (V, A), (V, D)]:
        expected_second[a, b] += 1
    assert second.tolist() == expected_second.tolist()
    assert flows.pooled.tolist() == (expected_first + expected_second).tolist()
    assert flows.snapshot_counts.tolist() == hand_snapshots().counts.tolist()


def test_row_probabilities_by_hand():
    flows = tier_flows(hand_snapshots())
    # Pooled CONNECTED row: 4 customer-periods in C → C twice, E once, X once: 2/4, 1/4, 1/4.
    assert flows.probabilities[C].tolist() == [0, 0.5, 0.25, 0, 0, 0, 0.25]
    # CONVERTED: 3 customer-periods → V once, A once, D once.
    assert flows.probabilities[V].tolist() == pytest.approx([0, 0, 0, 1 / 3, 1 / 3, 1 / 3, 0])
    # PROSPECT: 1 → C.  ENGAGED: 2 → V once, E once.
    assert flows.probabilities[P].tolist() == [0, 1, 0, 0, 0, 0, 0]
    assert flows.probabilities[E].tolist() == [0, 0, 0.5, 0.5, 0, 0, 0]
    # No one was in A, D or X at Jan 1 or Feb 1: NaN rows, "stay" in the chain.
    for state in (A, D, X):
        assert np.isnan(flows.probabilities[state]).all()
        assert flows.transition_matrix[state].tolist() == np.eye(7)[state].tolist()
    # Per period: Jan → Feb, CONNECTED 2 → C, E: 1/2 each; Feb → Mar, CONNECTED 2 → C, X.
    assert flows.period_probabilities[0][C].tolist() == [0, 0.5, 0.5, 0, 0, 0, 0]
    assert flows.period_probabilities[1][C].tolist() == [0, 0.5, 0, 0, 0, 0, 0.5]
    assert np.isnan(flows.period_probabilities[1][P]).all()  # no prospect on Feb 1


def test_moves_and_distribution():
    flows = tier_flows(hand_snapshots())
    assert flows.moves() == {
        (State.PROSPECT, State.CONNECTED): 1,
        (State.CONNECTED, State.ENGAGED): 1,
        (State.ENGAGED, State.CONVERTED): 1,
        (State.CONNECTED, State.CHURNED): 1,
        (State.CONVERTED, State.ADVOCATE): 1,
        (State.CONVERTED, State.DORMANT): 1,
    }
    assert flows.moves(1) == {
        (State.CONNECTED, State.CHURNED): 1,
        (State.CONVERTED, State.ADVOCATE): 1,
        (State.CONVERTED, State.DORMANT): 1,
    }
    assert flows.distribution().tolist() == [0, 0.2, 0.2, 0, 0.2, 0.2, 0.2]
    assert flows.distribution(0).tolist() == [0.2, 0.4, 0.2, 0.2, 0, 0, 0]


def test_flows_results_are_read_only():
    flows = hand_snapshots().flows()
    for array in (
        flows.counts,
        flows.pooled,
        flows.snapshot_counts,
        flows.probabilities,
        flows.period_probabilities,
        flows.transition_matrix,
        flows.project(2),
        flows.distribution(),
    ):
        assert not array.flags.writeable


def test_project_by_hand():
    flows = tier_flows(hand_snapshots())
    # x0 = shares on Mar 1 = (0, .2, .2, 0, .2, .2, .2).
    # Row C: (0, .5, .25, 0, 0, 0, .25); row E: (0, 0, .5, .5, 0, 0, 0); A, D, X stay.
    # x1[C] = .2·.5 = .1; x1[E] = .2·.25 + .2·.5 = .15; x1[V] = .2·.5 = .1;
    # x1[A] = .2; x1[D] = .2; x1[X] = .2 + .2·.25 = .25.
    assert flows.project(1).tolist() == pytest.approx([0, 0.1, 0.15, 0.1, 0.2, 0.2, 0.25])
    assert flows.project(0).tolist() == flows.distribution().tolist()
    counts = flows.project(1, [0, 4, 0, 0, 0, 0, 0])  # 4 CONNECTED → 2 C, 1 E, 1 X
    assert counts.tolist() == [0, 2, 1, 0, 0, 0, 1]


def test_tier_flows_arguments():
    snaps = hand_snapshots()
    with pytest.raises(ValidationError, match="left out") as info:
        tier_flows(snaps, Policy())  # type: ignore[call-overload]
    assert info.value.field == "policy"
    table = EventTable.from_interactions(example_pool().interactions)
    with pytest.raises(ValidationError, match="required") as info:
        tier_flows(table, Policy())  # type: ignore[call-overload]
    assert info.value.field == "period_ends"
    with pytest.raises(ValidationError, match="required") as info:
        tier_flows(table)  # type: ignore[call-overload]
    assert info.value.field == "policy"
    with pytest.raises(WrongTypeError) as info:
        tier_flows(snaps.states)  # type: ignore[call-overload]
    assert info.value.field == "source"


# -- the chain --------------------------------------------------------------------------------


def test_project_distribution_two_states_by_hand():
    p = [[0.9, 0.1], [0.5, 0.5]]
    assert project_distribution(p, [1, 0], 0).tolist() == [1, 0]
    assert project_distribution(p, [1, 0], 1).tolist() == [0.9, 0.1]
    # x2 = (.9·.9 + .1·.5, .9·.1 + .1·.5) = (.86, .14)
    assert project_distribution(p, [1, 0], 2).tolist() == pytest.approx([0.86, 0.14])
    # counts keep their total
    assert project_distribution(p, [30, 10], 1).tolist() == pytest.approx([32, 8])
    assert project_distribution(p, [1, 0], np.int64(1)).tolist() == [0.9, 0.1]


def test_stationary_two_states_by_hand():
    # π0 · 0.1 = π1 · 0.5 and π0 + π1 = 1 → π = (5/6, 1/6).
    pi = stationary_distribution([[0.9, 0.1], [0.5, 0.5]])
    assert pi.tolist() == pytest.approx([5 / 6, 1 / 6])
    # An absorbing state is the whole long run.
    assert stationary_distribution([[0.5, 0.5], [0, 1]]).tolist() == pytest.approx([0, 1])
    # One state: trivially 1.
    assert stationary_distribution([[1.0]]).tolist() == [1.0]


def test_stationary_must_be_unique():
    with pytest.raises(ValidationError, match="more than one stationary") as info:
        stationary_distribution(np.eye(3))
    assert info.value.field == "matrix"
    with pytest.raises(ValidationError, match="more than one stationary"):
        hand_snapshots().flows().stationary()  # A, D and X are each absorbing


def test_flows_stationary_of_an_irreducible_chain():
    ends = [datetime(2026, m, 1, tzinfo=UTC) for m in (1, 2, 3)]
    flows = tier_flows(TierSnapshots(ends, [[C, E, C], [E, C, C], [C, E, E]]))
    # Jan → Feb: C→E, E→C, C→C.  Feb → Mar: E→C, C→E, C→E.
    # So C → (C 1/4, E 3/4) and E → (C 1, E 0).
    assert flows.probabilities[C].tolist() == [0, 0.25, 0.75, 0, 0, 0, 0]
    assert flows.probabilities[E].tolist() == [0, 1, 0, 0, 0, 0, 0]
    # P, V, A, D, X were never seen and stay: each is a closed class, π is not unique.
    with pytest.raises(ValidationError):
        flows.stationary()
    # On {C, E}: π_E = 3/4 π_C and π_C + π_E = 1 → π = (4/7, 3/7).
    sub = flows.transition_matrix[np.ix_([C, E], [C, E])]
    assert stationary_distribution(sub).tolist() == pytest.approx([4 / 7, 3 / 7])
    assert project_distribution(sub, [0, 1], 200).tolist() == pytest.approx([4 / 7, 3 / 7])


@pytest.mark.parametrize(
    ("matrix", "field", "rule"),
    [
        ([[0.5, 0.4], [0.5, 0.5]], "matrix[0]", "sum to 1"),
        ([[1.5, -0.5], [0.5, 0.5]], "matrix[0, 1]", ">= 0"),
        ([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], "matrix", "square"),
        ([1.0], "matrix", "a matrix"),
        ([[np.nan, 1], [0, 1]], "matrix", "finite"),
        (np.zeros((0, 0)), "matrix", "square"),
    ],
)
def test_matrix_is_validated(matrix, field, rule):
    with pytest.raises(ValidationError, match=rule) as info:
        project_distribution(matrix, [1, 0], 1)
    assert info.value.field == field


def test_distribution_and_k_are_validated():
    p = [[0.9, 0.1], [0.5, 0.5]]
    with pytest.raises(ValidationError, match="one entry per state") as info:
        project_distribution(p, [1, 0, 0], 1)
    assert info.value.field == "distribution"
    with pytest.raises(ValidationError, match=">= 0") as info:
        project_distribution(p, [1.5, -0.5], 1)
    assert info.value.field == "distribution[1]"
    with pytest.raises(ValidationError, match=">= 0") as info:
        project_distribution(p, [1, 0], -1)
    assert info.value.field == "k"
    for bad in (1.0, True, "2", None):
        with pytest.raises(WrongTypeError) as info:
            project_distribution(p, [1, 0], bad)  # type: ignore[arg-type]
        assert info.value.field == "k"
    with pytest.raises(WrongTypeError):
        project_distribution([[True, False], [False, True]], [1, 0], 1)


# -- against the object API -------------------------------------------------------------------


@pytest.mark.parametrize("policy", [Policy(paradigm=NURTURE_FIRST), Policy(paradigm=CONVERT_FIRST)])
def test_snapshots_equal_classify_on_the_example_pool(policy):
    pool = example_pool()
    table = EventTable.from_interactions(pool.interactions)
    ends = [EXAMPLE_START + timedelta(days=d) for d in range(-35, 30, 3)]
    snaps = tier_snapshots(table, policy, ends)
    assert snaps.customer_ids == table.customer_ids
    for c, cid in enumerate(table.customer_ids):
        history = pool.history(cid)
        expected = [classify(history, policy, end).state.code for end in ends]
        assert snaps.states[:, c].tolist() == expected, cid


def test_example_pool_weekly_flows_by_hand():
    table = EventTable.from_interactions(example_pool().interactions)
    ends = [EXAMPLE_START + timedelta(weeks=w) for w in range(5)]
    flows = tier_flows(table, Policy(), ends)
    # Weekly states (nurture first), customers c-001 … c-006:
    #   c-001 C V A A A | c-002 P P C V V | c-003 P C E E E
    #   c-004 P C C X X | c-005 P C C C C | c-006 P P P C C
    # A connect weighs 0 (joining is not taking part): c-002's peer post and reaction on 01-16
    # weigh 2, so week 2 is C, engaged (and converted) only with the 01-21 event and 01-23
    # purchase; c-003's two content views weigh 2 in week 1 (C), the 01-13 referral makes 3.
    # From P: P→P 3 (c-002 once, c-006 twice), P→C 3 + 1 + 1 = 5: 8 prospect-weeks
    assert flows.pooled[P].tolist() == [3, 5, 0, 0, 0, 0, 0]
    # From C: C→C 5 (c-004 1, c-005 3, c-006 1), C→E 1 (c-003), C→V 2 (c-001, c-002), C→X 1
    assert flows.pooled[C].tolist() == [0, 5, 1, 2, 0, 0, 1]
    assert flows.moves() == {
        (State.PROSPECT, State.CONNECTED): 5,
        (State.CONNECTED, State.ENGAGED): 1,
        (State.CONNECTED, State.CONVERTED): 2,
        (State.CONNECTED, State.CHURNED): 1,
        (State.CONVERTED, State.ADVOCATE): 1,
    }


POOL_ENDS = st.lists(st.integers(-5, 600), min_size=2, max_size=5, unique=True).map(
    lambda days: [START + timedelta(days=d) for d in sorted(days)]
)


@settings(max_examples=25, deadline=None)
@given(pool=pool_histories(max_customers=4, max_size=12), ends=POOL_ENDS)
def test_snapshots_equal_classify_per_customer(pool, ends):
    table = table_of(pool)
    policy = Policy()
    snaps = tier_snapshots(table, policy, ends)
    for c, cid in enumerate(table.customer_ids):
        expected = [classify(pool[cid], policy, end).state.code for end in ends]
        assert snaps.states[:, c].tolist() == expected


def test_tier_snapshots_checks_its_arguments():
    table = EventTable.from_interactions(example_pool().interactions)
    with pytest.raises(WrongTypeError) as info:
        tier_snapshots(example_pool(), Policy(), ENDS3)  # type: ignore[arg-type]
    assert info.value.field == "table"
    with pytest.raises(WrongTypeError) as info:
        tier_snapshots(table, "nurture_first", ENDS3)  # type: ignore[arg-type]
    assert info.value.field == "policy"
    with pytest.raises(ValidationError) as info:
        tier_snapshots(table, Policy(), ENDS3[:1])
    assert info.value.field == "period_ends"


# -- properties -------------------------------------------------------------------------------


@st.composite
def state_arrays(draw: st.DrawFn) -> np.ndarray:
    n_periods = draw(st.integers(2, 5))
    n_customers = draw(st.integers(0, 40))
    return draw(
        hnp.arrays(np.int8, (n_periods, n_customers), elements=st.integers(0, N_STATES - 1))
    )


def ends_for(n: int) -> list[datetime]:
    return [datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=30 * k) for k in range(n)]


@settings(max_examples=80)
@given(states=state_arrays())
def test_flow_matrices_match_a_plain_python_count(states):
    snaps = TierSnapshots(ends_for(states.shape[0]), states)
    flows = tier_flows(snaps)
    rows = states.tolist()
    for k in range(states.shape[0] - 1):
        pairs = Counter(zip(rows[k], rows[k + 1], strict=True))
        expected = [[pairs[i, j] for j in range(N_STATES)] for i in range(N_STATES)]
        assert flows.counts[k].tolist() == expected
        # Rows sum to the earlier snapshot's counts, columns to the later one's.
        assert flows.counts[k].sum(axis=1).tolist() == snaps.counts[k].tolist()
        assert flows.counts[k].sum(axis=0).tolist() == snaps.counts[k + 1].tolist()
    assert flows.pooled.sum(axis=1).tolist() == snaps.counts[:-1].sum(axis=0).tolist()
    assert flows.pooled.sum(axis=0).tolist() == snaps.counts[1:].sum(axis=0).tolist()
    assert flows.pooled.sum() == states.shape[1] * (states.shape[0] - 1)


@settings(max_examples=80)
@given(states=state_arrays())
def test_probability_rows_sum_to_one_or_are_nan(states):
    flows = tier_flows(TierSnapshots(ends_for(states.shape[0]), states))
    seen = flows.pooled.sum(axis=1) > 0
    sums = flows.probabilities.sum(axis=1)
    assert np.allclose(sums[seen], 1.0)
    assert np.isnan(flows.probabilities[~seen]).all()
    assert np.allclose(flows.transition_matrix.sum(axis=1), 1.0)
    assert (flows.transition_matrix >= 0).all()
    # Projection keeps a distribution a distribution.
    x = flows.project(3)
    assert x.sum() == pytest.approx(1.0 if states.shape[1] else 0.0)


def positive_stochastic(n: int) -> st.SearchStrategy[np.ndarray]:
    """Row-stochastic matrices with every entry >= 0.01: irreducible and aperiodic."""
    weights = hnp.arrays(np.float64, (n, n), elements=st.floats(0.01, 1.0))
    return weights.map(lambda w: w / w.sum(axis=1, keepdims=True))


def eigen_stationary(p: np.ndarray) -> np.ndarray:
    """π from the eigenvector of Pᵀ whose eigenvalue is closest to 1 (an independent method)."""
    values, vectors = np.linalg.eig(p.T)
    v = np.real(vectors[:, np.argmin(np.abs(values - 1))])
    return v / v.sum()


@settings(max_examples=60)
@given(p=positive_stochastic(N_STATES), start=st.integers(0, N_STATES - 1))
def test_projection_converges_to_the_stationary_distribution(p, start):
    pi = eigen_stationary(p)
    assert stationary_distribution(p) == pytest.approx(pi, abs=1e-9)
    x0 = np.eye(N_STATES)[start]  # everyone in one state
    # Every entry is >= 0.01 / 7, so each column's minimum sums to >= 0.01 and one step
    # shrinks the distance to π by a factor <= 0.99 (Dobrushin): 0.99^5000 < 1e-21.
    assert project_distribution(p, x0, 5000) == pytest.approx(pi, abs=1e-9)


@settings(max_examples=60)
@given(a=st.floats(0.01, 0.99), b=st.floats(0.01, 0.99))
def test_two_state_chain_converges_to_its_closed_form(a, b):
    # P = [[1 − a, a], [b, 1 − b]] has π = (b / (a + b), a / (a + b)); |1 − a − b| < 0.98.
    p = [[1 - a, a], [b, 1 - b]]
    pi = [b / (a + b), a / (a + b)]
    assert stationary_distribution(p).tolist() == pytest.approx(pi)
    assert project_distribution(p, [0, 1], 2000).tolist() == pytest.approx(pi, abs=1e-9)


def test_flow_chain_converges_on_simulated_customers():
    # Simulate 20,000 customers on a known 7-state chain; the measured chain's stationary
    # law is close to the true one, and projecting converges to it.
    rng = np.random.default_rng(7)
    weights = rng.uniform(0.05, 1.0, (N_STATES, N_STATES))
    true_p = weights / weights.sum(axis=1, keepdims=True)
    n, periods = 20_000, 6
    states = np.empty((periods, n), dtype=np.int8)
    states[0] = rng.integers(0, N_STATES, n)
    cumulative = true_p.cumsum(axis=1)
    for k in range(1, periods):
        u = rng.random(n)
        states[k] = (u[:, None] > cumulative[states[k - 1]]).sum(axis=1)
    flows = tier_flows(TierSnapshots(ends_for(periods), states))
    assert np.abs(flows.transition_matrix - true_p).max() < 0.03
    pi = flows.stationary()
    assert pi == pytest.approx(eigen_stationary(flows.transition_matrix), abs=1e-9)
    assert np.abs(pi - eigen_stationary(true_p)).max() < 0.02
    assert flows.project(300) == pytest.approx(pi, abs=1e-9)
