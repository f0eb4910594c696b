"""Strategies for pool activities: :func:`activities`.

``content_published`` activities get a content id and topic tags, ``event_held`` ones an event id
and a ritual flag, ``campaign`` ones an end from a minute to 60 days after their start. The
cached :func:`activity_strategy` is shared with the pools.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from hypothesis import assume
from hypothesis import strategies as st

from custpool._model import ActivityKind, PoolActivity
from custpool.strategies._blocks import (
    DEFAULT_MAX_TIME,
    DEFAULT_MIN_TIME,
    aware_times,
    generated_ids,
    texts,
)
from custpool.strategies._checks import check_activity_kinds, check_int, check_window
from custpool.strategies._interactions import channels
from custpool.strategies._tags import tags

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["activities", "activity_strategy"]

_CAMPAIGN_SPANS = st.integers(1, 60 * 24 * 60).map(lambda minutes: timedelta(minutes=minutes))
"""How long a campaign runs: a minute to 60 days, shrinking toward a minute."""


@cache
def activity_strategy(
    ids: st.SearchStrategy[str],
    kinds: tuple[ActivityKind, ...],
    times: st.SearchStrategy[datetime],
    max_topics: int,
) -> st.SearchStrategy[PoolActivity]:
    kind_strategy = st.sampled_from(kinds)
    titles = st.none() | texts()
    operators = st.none() | generated_ids("op-")
    topic_lists = st.lists(tags(), max_size=max_topics, unique=True).map(tuple)

    @st.composite
    def build(draw: st.DrawFn) -> PoolActivity:
        kind = draw(kind_strategy)
        common: dict[str, Any] = {
            "id": draw(ids),
            "at": draw(times),
            "kind": kind,
            "channel": draw(channels()),
            "title": draw(titles),
            "operator_id": draw(operators),
        }
        if kind is ActivityKind.CONTENT_PUBLISHED:
            topics = draw(topic_lists)
            return PoolActivity(**common, content_id=draw(generated_ids("ct-")), topics=topics)
        if kind is ActivityKind.CAMPAIGN:
            return PoolActivity(
                **common, ends_at=_campaign_end(common["at"], draw(_CAMPAIGN_SPANS))
            )
        return PoolActivity(
            **common, event_id=draw(generated_ids("ev-")), ritual=draw(st.booleans())
        )

    return build()


def _campaign_end(at: datetime, span: timedelta) -> datetime:
    """Return ``at + span``, or the last representable instant if that overflows."""
    try:
        return at + span
    except OverflowError:
        end = datetime.max.replace(tzinfo=UTC)
        assume(end > at)
        return end


def activities(
    *,
    kinds: Iterable[ActivityKind | str] | ActivityKind | str | None = None,
    min_time: datetime = DEFAULT_MIN_TIME,
    max_time: datetime = DEFAULT_MAX_TIME,
    max_topics: int = 3,
) -> st.SearchStrategy[PoolActivity]:
    """Generate valid :class:`~custpool.PoolActivity` objects.

    ``content_published`` activities get a ``content_id`` and up to ``max_topics`` topic tags;
    ``event_held`` ones an ``event_id`` and a ritual flag; ``campaign`` ones an ``ends_at`` a
    minute to 60 days after ``at`` (which may pass ``max_time``). Titles and operators are
    optional.

    Parameters
    ----------
    kinds
        :class:`~custpool.ActivityKind` members or values to draw from; default all.
    min_time, max_time
        Aware bounds of ``at`` (inclusive).
    max_topics
        Most topic tags of a published content.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[PoolActivity]

    Raises
    ------
    InvalidStrategyArgument
        For an empty or unknown kind, naive or reversed times, or a negative ``max_topics``.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(activities(kinds="event_held"))
    ... def check(activity):
    ...     assert activity.event_id is not None and activity.topics == ()
    >>> check()
    """
    kind_list = check_activity_kinds(kinds)
    low, high = check_window(min_time, max_time)
    most = check_int("max_topics", max_topics)
    return activity_strategy(generated_ids("a-"), kind_list, aware_times(low, high), most)
