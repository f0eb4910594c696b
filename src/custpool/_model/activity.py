"""Pool activities: what the brand does for the pool as a whole (content, events, campaigns)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import ValidationInfo, field_validator

from custpool._base import FrozenModel
from custpool._fields import Identifier, ShortText, UtcDatetime
from custpool._model.channels import Channel
from custpool._model.tags import Tags

__all__ = ["ActivityKind", "PoolActivity"]


class ActivityKind(StrEnum):
    """What the brand did for the pool."""

    CONTENT_PUBLISHED = "content_published"
    """Published a piece of content (输出): an article, a post, a video, a live stream."""
    EVENT_HELD = "event_held"
    """Held an event; rituals (仪式感) are marked as such."""
    CAMPAIGN = "campaign"
    """Ran a campaign or pushed a hit product over a span of time: seed 002's periodic hits
    (周期性爆款). It starts at ``at`` and ends at ``ends_at``."""


_NEEDS: dict[ActivityKind, frozenset[str]] = {
    ActivityKind.CONTENT_PUBLISHED: frozenset({"content_id"}),
    ActivityKind.EVENT_HELD: frozenset({"event_id"}),
    ActivityKind.CAMPAIGN: frozenset({"ends_at"}),
}
_ONLY_FOR: dict[str, ActivityKind] = {
    "content_id": ActivityKind.CONTENT_PUBLISHED,
    "topics": ActivityKind.CONTENT_PUBLISHED,
    "event_id": ActivityKind.EVENT_HELD,
    "ritual": ActivityKind.EVENT_HELD,
    "ends_at": ActivityKind.CAMPAIGN,
}


class PoolActivity(FrozenModel):
    """Something the brand did for the whole pool, not for one customer.

    ``content_published`` needs ``content_id`` and may carry ``topics`` (tags matched against the
    charter's interests); ``event_held`` needs ``event_id`` and says whether it was a ritual;
    ``campaign`` (a periodic hit, 周期性爆款) needs ``ends_at``, after ``at``: the campaign runs
    over ``(at, ends_at]``, the half-open span of a :class:`~custpool.Window`.

    Examples
    --------
    >>> post = PoolActivity(
    ...     id="a-1", at="2026-03-02T10:00:00+08:00", kind="content_published",
    ...     channel="moments", content_id="post-7", topics=["interest:咖啡", "latte art"],
    ... )
    >>> [str(t) for t in post.topics]
    ['latte art', 'interest:咖啡']
    >>> PoolActivity(id="a-2", at="2026-03-05T12:00:00Z", kind="event_held",
    ...              channel="live_stream", event_id="ev-1", ritual=True).ritual
    True
    >>> sale = PoolActivity(id="a-3", at="2026-03-08T00:00:00Z", kind="campaign",
    ...                     channel="mini_program", title="女神节爆款",
    ...                     ends_at="2026-03-11T00:00:00Z")
    >>> sale.ends_at - sale.at
    datetime.timedelta(days=3)
    >>> PoolActivity(id="a-4", at="2026-03-08T00:00:00Z", kind="campaign",
    ...              channel="mini_program", ends_at="2026-03-08T00:00:00Z")
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for PoolActivity
    ends_at
      Value error, ends_at=2026-03-08T00:00:00+00:00: must be after at (...) ...
    """

    id: Identifier
    """Unique id of the activity."""
    at: UtcDatetime
    """When it happened (stored in UTC)."""
    kind: ActivityKind
    """What the brand did."""
    channel: Channel
    """Where."""
    title: ShortText | None = None
    """Optional title to show."""
    operator_id: Identifier | None = None
    """The operator who ran it, if known."""
    content_id: Identifier | None = None
    """CONTENT_PUBLISHED: the content."""
    topics: Tags = ()
    """CONTENT_PUBLISHED: topic tags, compared with the charter's interests."""
    event_id: Identifier | None = None
    """EVENT_HELD: the event (attendances point at it)."""
    ritual: bool = False
    """EVENT_HELD: whether it is a recurring ritual (仪式感)."""
    ends_at: UtcDatetime | None = None
    """CAMPAIGN: when it ended (stored in UTC); after ``at``."""

    @field_validator("content_id", "topics", "event_id", "ritual", "ends_at", mode="after")
    @classmethod
    def _check_kind(cls, value: Any, info: ValidationInfo) -> Any:  # noqa: ANN401
        kind = info.data.get("kind")
        if not isinstance(kind, ActivityKind):
            return value
        name = str(info.field_name)
        if name in _NEEDS[kind] and value is None:
            msg = f"kind {kind.value!r} needs {name}"
            raise ValueError(msg)
        if _ONLY_FOR[name] is not kind and value not in (None, (), False):
            msg = f"kind {kind.value!r} takes no {name} (only {_ONLY_FOR[name].value} does)"
            raise ValueError(msg)
        start = info.data.get("at")
        if name == "ends_at" and value is not None and start is not None and value <= start:
            msg = f"ends_at={value.isoformat()}: must be after at ({start.isoformat()})"
            raise ValueError(msg)
        return value
