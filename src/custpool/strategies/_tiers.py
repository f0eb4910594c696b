"""Strategies for relationship tiers: :func:`paradigms`, :func:`policies` and :func:`tier_states`.

Paradigms are the built-in ones or custom stage orders; policies shrink toward ``Policy()``;
tier states classify a drawn history under a drawn policy at an ``as_of`` that probes the
policy's windows at their edges.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal
from functools import cache
from typing import Final

from hypothesis import strategies as st

from custpool._model import InteractionKind
from custpool._tiers import (
    CONVERT_FIRST,
    NURTURE_FIRST,
    WEIGHT_SCALE,
    Paradigm,
    Policy,
    Stage,
    TierState,
    classify,
)
from custpool.strategies._blocks import DEFAULT_MIN_TIME, aware, generated_ids, numbered, offsets
from custpool.strategies._checks import (
    as_items,
    check_amount,
    check_bool,
    check_kinds,
    check_window,
    fail,
)
from custpool.strategies._histories import MICROSECOND, SECOND, booleans, draw_history, histories
from custpool.strategies._interactions import unit_range

__all__ = ["paradigms", "policies", "tier_states"]


_BUILT_IN_PARADIGMS: Final = (NURTURE_FIRST, CONVERT_FIRST)
"""The built-in paradigms, the shrink target first."""
_LATER_STAGES: Final = (Stage.ENGAGED, Stage.CONVERTED, Stage.ADVOCATE)
"""The stages after CONNECTED in nurture-first order: custom permutations shrink toward it."""
_WINDOW_FIELDS: Final = (
    "engage_window",
    "convert_window",
    "advocate_window",
    "dormant_after",
    "recover_window",
)
_DEFAULT_MIN_WINDOW: Final = timedelta(days=1)
_DEFAULT_MAX_WINDOW: Final = timedelta(days=400)
_TIER_MAX_TIME: Final = datetime(2020, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
"""Default upper bound of :func:`tier_states` histories: one year, so windows matter."""
_AS_OF_BEFORE: Final = timedelta(days=30)
_AS_OF_AFTER: Final = timedelta(days=400)


def _custom_paradigm(name: str, later: list[Stage]) -> Paradigm:
    return Paradigm(name=name, stages=(Stage.CONNECTED, *later))


@cache
def _paradigm_strategy(*, custom: bool) -> st.SearchStrategy[Paradigm]:
    built_in = st.sampled_from(_BUILT_IN_PARADIGMS)
    if not custom:
        return built_in
    own = st.builds(_custom_paradigm, generated_ids("custom-"), st.permutations(_LATER_STAGES))
    return st.one_of(built_in, own)


def paradigms(*, custom: bool = True) -> st.SearchStrategy[Paradigm]:
    """Generate valid :class:`~custpool.Paradigm` objects: built-in ones and custom orders.

    A draw is :data:`~custpool.NURTURE_FIRST`, :data:`~custpool.CONVERT_FIRST`, or (with
    ``custom``) a paradigm named ``custom-…`` whose stages are CONNECTED followed by any order
    of the other three. Draws shrink toward ``NURTURE_FIRST``.

    Parameters
    ----------
    custom
        Whether custom orders may be drawn; ``False`` gives the two built-in paradigms only.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[Paradigm]

    Raises
    ------
    InvalidStrategyArgument
        If ``custom`` is not a bool.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from custpool import Paradigm, Stage
    >>> @settings(max_examples=20)
    ... @given(paradigms())
    ... def check(paradigm):
    ...     assert paradigm.stages[0] is Stage.CONNECTED
    ...     assert sorted(paradigm.stages) == sorted(Stage)
    ...     assert Paradigm.from_json(paradigm.to_json()) == paradigm
    >>> check()
    """
    return _paradigm_strategy(custom=check_bool("custom", custom))


def _paradigm_source(value: object) -> st.SearchStrategy[Paradigm]:
    """Return paradigms drawn by default, from a strategy, or sampled from those given."""
    if value is None:
        return _paradigm_strategy(custom=True)
    if isinstance(value, st.SearchStrategy):
        return value
    # A pydantic model is iterable (over its fields), so a single paradigm is caught first.
    items = [value] if isinstance(value, Paradigm) else as_items("paradigms", value)
    by_name = {p.name: p for p in _BUILT_IN_PARADIGMS}
    chosen: list[Paradigm] = []
    for item in items:
        if isinstance(item, Paradigm):
            paradigm = item
        elif isinstance(item, str) and item in by_name:
            paradigm = by_name[item]
        else:
            rule = f"must be a Paradigm or the name of a built-in one ({', '.join(by_name)})"
            raise fail("paradigms", item, rule)
        if paradigm not in chosen:
            chosen.append(paradigm)
    return st.sampled_from(chosen)


def _check_duration(name: str, value: object) -> timedelta:
    if not isinstance(value, timedelta):
        raise fail(name, value, "must be a datetime.timedelta, e.g. timedelta(days=30)")
    if value <= timedelta(0):
        raise fail(name, value, "must be a positive duration")
    return value


def _check_weight_kinds(value: object) -> tuple[InteractionKind, ...]:
    """Like the ``kinds`` of other strategies, but an empty collection means no weights."""
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        value = list(value)
        if not value:
            return ()
    return check_kinds(value, "weight_kinds")


def _check_hundredths(name: str, value: object, *, low: int) -> int:
    """Return the whole hundredths up to ``value`` (at least ``low`` of them)."""
    amount = check_amount(name, value)
    hundredths = int((amount * WEIGHT_SCALE).to_integral_value(rounding=ROUND_FLOOR))
    if hundredths < low:
        smallest = Decimal(low) / WEIGHT_SCALE
        raise fail(name, value, f"must be at least {smallest}")
    return hundredths


@cache
def _near(default: int, low: int, high: int) -> st.SearchStrategy[int]:
    """Integers in ``[low, high]`` that shrink toward ``default`` (or the bound nearest it)."""
    centre = min(max(default, low), high)
    return st.integers(low - centre, high - centre).map(centre.__add__)


def _hundredths(n: int) -> Decimal:
    """``n`` hundredths as a Decimal with no needless zeros: 300 → 3, 50 → 0.5, 1234 → 12.34."""
    return Decimal(n) / WEIGHT_SCALE


def _make_policy(
    paradigm: Paradigm,
    threshold: int,
    windows: tuple[int, ...],
    weights: dict[InteractionKind, int],
    min_nps: int | None,
) -> Policy:
    engage, convert, advocate, dormant, recover = (seconds * SECOND for seconds in windows)
    return Policy(
        paradigm=paradigm,
        engage_min_interactions=_hundredths(threshold),
        engage_window=engage,
        engage_weights={kind: _hundredths(w) for kind, w in weights.items()},
        convert_window=convert,
        advocate_window=advocate,
        advocate_min_nps=min_nps,
        dormant_after=dormant,
        recover_window=recover,
    )


def policies(  # noqa: PLR0913 - keyword-only options, each documented
    *,
    paradigms: st.SearchStrategy[Paradigm] | Paradigm | Iterable[Paradigm | str] | None = None,
    min_window: timedelta = _DEFAULT_MIN_WINDOW,
    max_window: timedelta = _DEFAULT_MAX_WINDOW,
    max_threshold: Decimal | int | str = 10,
    weight_kinds: Iterable[InteractionKind | str] | InteractionKind | str | None = None,
    max_weight: Decimal | int | str = 5,
    with_advocate_min_nps: bool = True,
) -> st.SearchStrategy[Policy]:
    """Generate valid tier :class:`~custpool.Policy` objects.

    - ``paradigm`` from ``paradigms`` (default :func:`paradigms`);
    - each of the five windows (``engage_window``, ``convert_window``, ``advocate_window``,
      ``dormant_after``, ``recover_window``) a whole number of seconds from ``min_window`` to
      ``max_window``, each drawn on its own;
    - ``engage_min_interactions`` from 0.01 to ``max_threshold``, at most two decimals;
    - ``engage_weights`` for a subset of ``weight_kinds``, each 0 to ``max_weight`` with at most
      two decimals (0 happens: a kind that does not count);
    - ``advocate_min_nps`` None or 0-10 (always None without ``with_advocate_min_nps``).

    Every field shrinks toward its value in ``Policy()`` (or the bound nearest it), so a failing
    example shrinks toward the default policy with as few changes as the failure needs.

    Parameters
    ----------
    paradigms
        Paradigms to use: a strategy, or paradigms or built-in paradigm names to sample from (a
        single one may be given on its own). Default :func:`paradigms`.
    min_window, max_window
        Positive ``timedelta`` bounds of every window (inclusive); default 1 to 400 days.
    max_threshold
        Largest ``engage_min_interactions`` (``Decimal``, ``int`` or decimal string; ≥ 0.01).
    weight_kinds
        Interaction kinds that may get a weight (default all); ``()`` for no weights at all.
    max_weight
        Largest weight (``Decimal``, ``int`` or decimal string; ≥ 0).
    with_advocate_min_nps
        Whether ``advocate_min_nps`` may be set.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[Policy]

    Raises
    ------
    InvalidStrategyArgument
        For an unknown or empty paradigm list, a window bound that is not a positive
        ``timedelta`` or bounds in the wrong order, a float or too small ``max_threshold`` or
        ``max_weight``, an unknown kind, or a non-bool ``with_advocate_min_nps``.

    Examples
    --------
    >>> from datetime import timedelta
    >>> from hypothesis import given, settings
    >>> from custpool import Policy
    >>> @settings(max_examples=20)
    ... @given(policies(paradigms="convert_first", max_window=timedelta(days=60)))
    ... def check(policy):
    ...     assert policy.paradigm.name == "convert_first"
    ...     assert timedelta(days=1) <= policy.engage_window <= timedelta(days=60)
    ...     assert Policy.from_json(policy.to_json()) == policy
    >>> check()
    >>> policies(min_window=timedelta(0))
    Traceback (most recent call last):
    ...
    custpool.strategies.InvalidStrategyArgument: min_window=datetime.timedelta(0): must be a positive duration
    """  # noqa: E501 - a doctest's output line cannot be wrapped
    paradigm_strategy = _paradigm_source(paradigms)
    low = _check_duration("min_window", min_window)
    high = _check_duration("max_window", max_window)
    if low > high:
        raise fail("min_window", min_window, f"must not exceed max_window ({max_window!r})")
    low_seconds, high_seconds = -(-low // SECOND), high // SECOND
    if low_seconds > high_seconds:
        rule = f"leaves no whole number of seconds up to max_window ({max_window!r})"
        raise fail("min_window", min_window, rule)
    most_threshold = _check_hundredths("max_threshold", max_threshold, low=1)
    kinds = _check_weight_kinds(weight_kinds)
    most_weight = _check_hundredths("max_weight", max_weight, low=0)
    check_bool("with_advocate_min_nps", with_advocate_min_nps)

    defaults = Policy()
    windows = st.tuples(
        *(
            _near(getattr(defaults, name) // SECOND, low_seconds, high_seconds)
            for name in _WINDOW_FIELDS
        )
    )
    weights: st.SearchStrategy[dict[InteractionKind, int]] = st.just({})
    if kinds:
        weights = st.dictionaries(
            st.sampled_from(kinds), _near(WEIGHT_SCALE, 0, most_weight), max_size=len(kinds)
        )
    min_nps: st.SearchStrategy[int | None] = st.none()
    if with_advocate_min_nps:
        min_nps = st.none() | st.integers(0, 10)
    return st.builds(
        _make_policy,
        paradigm_strategy,
        _near(defaults.scaled_threshold, 1, most_threshold),
        windows,
        weights,
        min_nps,
    )


def _policy_source(value: object) -> st.SearchStrategy[Policy]:
    """Return policies drawn by default, from a strategy, or sampled from those given."""
    if value is None:
        return policies()
    if isinstance(value, st.SearchStrategy):
        return value
    # A pydantic model is iterable (over its fields), so a single policy is caught first.
    items = [value] if isinstance(value, Policy) else as_items("policies", value)
    chosen: list[Policy] = []
    for item in items:
        if not isinstance(item, Policy):
            raise fail("policies", item, "must be a custpool.Policy (or a strategy of them)")
        if item not in chosen:  # by equality: a policy is not hashable (its weights mapping)
            chosen.append(item)
    return st.sampled_from(chosen)


@cache
def _connect_counts() -> st.SearchStrategy[int]:
    """How many connects :func:`tier_states` adds: mostly one or two, shrinking to none."""
    return st.sampled_from((0, *(1, 2) * 6))


@cache
def _as_of_offsets() -> st.SearchStrategy[int]:
    """Microseconds from 30 days before to 400 days after an anchor; shrink toward 0."""
    return st.integers(-_AS_OF_BEFORE // MICROSECOND, _AS_OF_AFTER // MICROSECOND)


def _draw_as_of(draw: st.DrawFn, anchors: list[datetime], policy: Policy) -> datetime:
    """Draw an aware instant near one of the naive UTC ``anchors``.

    Exactly at the anchor, exactly one of the policy's windows after or before it (where an
    event leaves a half-open window), each give or take a microsecond; or anywhere from 30 days
    before to 400 days after it.
    """
    anchor = anchors[draw(unit_range(0, len(anchors) - 1))]
    how = draw(unit_range(0, 2))
    if how == 2:
        offset = draw(_as_of_offsets()) * MICROSECOND
    else:
        offset = timedelta(0)
        if how == 1:
            window: timedelta = getattr(policy, _WINDOW_FIELDS[draw(unit_range(0, 4))])
            offset = -window if draw(booleans()) else window
        offset += draw(unit_range(-1, 1)) * MICROSECOND
    try:
        instant = anchor + offset
    except OverflowError:
        instant = anchor
    return aware(instant, draw(offsets()))


def tier_states(  # noqa: PLR0913 - keyword-only options, each documented
    *,
    policies: st.SearchStrategy[Policy] | Policy | Iterable[Policy] | None = None,
    customer_id: str | None = None,
    min_size: int = 0,
    max_size: int = 20,
    kinds: Iterable[InteractionKind | str] | InteractionKind | str | None = None,
    min_time: datetime = DEFAULT_MIN_TIME,
    max_time: datetime = _TIER_MAX_TIME,
) -> st.SearchStrategy[TierState]:
    """Generate :class:`~custpool.TierState` results of :func:`~custpool.classify`.

    Each draw classifies one customer's history under a policy from ``policies`` at an aware
    ``as_of`` near the history:

    - the history is drawn by :func:`histories`; when ``kinds`` allows connects, up to two more
      ``connect`` interactions (ids ``k-0``, ``k-1``) in the first quarter of the time range are
      added, within ``max_size`` (with one kind in thirteen, most customers would otherwise
      never connect);
    - ``as_of`` is taken from an *anchor* (one of the events, ``max_time`` or ``min_time``):
      exactly at it, or exactly one of the policy's windows after or before it (where an event
      leaves a half-open window), each give or take a microsecond; or anywhere from 30 days
      before to 400 days after it. It may fall outside ``min_time``-``max_time``.

    So every state occurs, from PROSPECT (nothing yet, or an empty history) to DORMANT and
    CHURNED, and windows are probed at their edges. Draws shrink toward short histories, the
    default policy, and ``as_of`` exactly at the latest event.

    To test a property that needs the inputs as well, draw :func:`histories` and
    :func:`policies` yourself and call :func:`~custpool.classify`.

    Parameters
    ----------
    policies
        Policies to classify with: a strategy, or policies to sample from (a single one may be
        given on its own). Default :func:`policies`.
    customer_id, min_size, max_size, kinds
        As for :func:`histories`.
    min_time, max_time
        Aware bounds of the history's timestamps (inclusive); default the year 2020 (UTC), so
        that windows of days to months matter.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[TierState]

    Raises
    ------
    InvalidStrategyArgument
        For a ``policies`` item that is not a Policy, and everything :func:`histories` refuses.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from custpool import Policy, Stage, State
    >>> @settings(max_examples=20)
    ... @given(tier_states(policies=Policy(paradigm="convert_first"), max_size=10))
    ... def check(result):
    ...     assert result.paradigm == "convert_first"
    ...     assert [c.stage for c in result.criteria][:2] == [Stage.CONNECTED, Stage.CONVERTED]
    ...     assert (result.tier is None) == (result.state in {State.PROSPECT, State.CHURNED})
    >>> check()
    """
    history_strategy = histories(
        customer_id=customer_id,
        min_size=min_size,
        max_size=max_size,
        kinds=kinds,
        min_time=min_time,
        max_time=max_time,
    )
    low, high = check_window(min_time, max_time)
    policy_strategy = _policy_source(policies)
    # One kind in thirteen rarely draws a connect, and without one every customer is a
    # PROSPECT: up to two extra connects are added (unless ``kinds`` leaves connects out).
    # They fall in the first quarter of the range, so most events and most ``as_of`` follow.
    extra_connects = kinds is None or InteractionKind.CONNECT in check_kinds(kinds)
    connect_window = (low, low + (high - low) / 4)

    @st.composite
    def build(draw: st.DrawFn) -> TierState:
        history = draw(history_strategy)
        count = min(draw(_connect_counts()), max_size - len(history)) if extra_connects else 0
        if count:
            who = history[0].customer_id if history else customer_id or draw(generated_ids("c-"))
            history += draw_history(
                draw,
                customer_id=who,
                referral=None,
                kinds=(InteractionKind.CONNECT,),
                window=connect_window,
                sizes=(count, count),
                currencies=("CNY",),
                id_of=numbered("k-", 0, 1),
            )
        policy = draw(policy_strategy)
        # Latest first: draws lean toward (and shrink to) as_of at the last event, where the
        # whole history counts.
        anchors = sorted((i.at.astimezone(UTC).replace(tzinfo=None) for i in history), reverse=True)
        as_of = _draw_as_of(draw, [*anchors, high, low], policy)
        return classify(history, policy, as_of)

    return build()
