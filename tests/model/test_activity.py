import pytest
from pydantic import ValidationError as PydanticValidationError

from conftest import T0
from custpool import ActivityKind, PoolActivity


def content(**kw):
    base = {
        "id": "a-1",
        "at": T0,
        "kind": "content_published",
        "channel": "moments",
        "content_id": "p-1",
    }
    return PoolActivity(**(base | kw))


def event(**kw):
    base = {
        "id": "a-2",
        "at": T0,
        "kind": "event_held",
        "channel": "live_stream",
        "event_id": "ev-1",
    }
    return PoolActivity(**(base | kw))


def test_content_with_topics_round_trips():
    a = content(topics=["interest:咖啡", "Latte Art", "latte art"], title="周三拉花课")
    assert [str(t) for t in a.topics] == ["latte art", "interest:咖啡"]
    assert a.kind is ActivityKind.CONTENT_PUBLISHED
    assert PoolActivity.from_json(a.to_json()) == a


def test_event_ritual_flag():
    assert event(ritual=True).ritual
    assert not event().ritual


@pytest.mark.parametrize(
    ("build", "changes", "loc", "fragment"),
    [
        (content, {"content_id": None}, "content_id", "needs content_id"),
        (event, {"event_id": None}, "event_id", "needs event_id"),
        (content, {"ritual": True}, "ritual", "takes no ritual"),
        (content, {"event_id": "ev-1"}, "event_id", "takes no event_id"),
        (event, {"topics": ["x"]}, "topics", "takes no topics"),
        (event, {"content_id": "p-1"}, "content_id", "takes no content_id"),
    ],
)
def test_per_kind_fields(build, changes, loc, fragment):
    with pytest.raises(PydanticValidationError) as info:
        build(**changes)
    error = info.value.errors()[0]
    assert error["loc"] == (loc,)
    assert fragment in error["msg"]
