import pytest
from hypothesis import given
from hypothesis import strategies as st

from custpool import CallbackError
from custpool.wecom import MAX_BODY, ReplayGuard, check_size, check_timestamp, read_xml

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    "<xml><Event>&lol3;</Event></xml>"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    "<xml><Event>&xxe;</Event></xml>"
)


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY, "<!DOCTYPE x><xml/>"])
def test_xml_with_a_dtd_or_entities_is_refused_unexpanded(text):
    with pytest.raises(CallbackError) as caught:
        read_xml(text)
    assert caught.value.reason == "xml"
    assert "lollol" not in str(caught.value)
    assert "root:" not in str(caught.value)


@pytest.mark.parametrize("text", ["<xml><A>", "", "not xml"])
def test_malformed_xml_is_refused(text):
    with pytest.raises(CallbackError) as caught:
        read_xml(text)
    assert caught.value.reason == "xml"


def test_xml_over_the_limit_is_refused_before_parsing():
    with pytest.raises(CallbackError) as caught:
        read_xml("<xml>" + "<A>1</A>" * 10 + "</xml>", limit=50)
    assert caught.value.reason == "xml"
    assert "at most 50 characters" in str(caught.value)


def test_too_many_items_are_refused():
    text = "<xml><MemChangeList>" + "<Item>a</Item>" * 2001 + "</MemChangeList></xml>"
    with pytest.raises(CallbackError, match="at most 2000 items"):
        read_xml(text)


def test_cdata_and_plain_text_read_the_same():
    assert read_xml("<xml><A><![CDATA[x y]]></A><B> 7 </B></xml>") == {"A": "x y", "B": "7"}


def test_size_limit():
    check_size(MAX_BODY)
    with pytest.raises(CallbackError) as caught:
        check_size(MAX_BODY + 1)
    assert caught.value.reason == "too_large"


@pytest.mark.parametrize(
    ("offset", "ok"), [(0, True), (300, True), (-300, True), (301, False), (-301, False)]
)
def test_the_timestamp_window_is_inclusive(offset, ok):
    now = 1_700_000_000.0
    if ok:
        check_timestamp(str(int(now) + offset), 300, now=now)
    else:
        with pytest.raises(CallbackError) as caught:
            check_timestamp(str(int(now) + offset), 300, now=now)
        assert caught.value.reason == "stale"


@pytest.mark.parametrize("value", ["", "12a", "-5", "١٢٣", "9" * 13])
def test_a_timestamp_that_is_not_digits_is_refused(value):
    with pytest.raises(CallbackError) as caught:
        check_timestamp(value, 300, now=0)
    assert caught.value.reason == "stale"


def test_the_replay_guard_refuses_a_remembered_signature_within_its_ttl():
    guard = ReplayGuard(size=10, ttl=60)
    guard.check("s1", now=0)
    guard.remember("s1", now=0)
    with pytest.raises(CallbackError) as caught:
        guard.check("s1", now=60)
    assert caught.value.reason == "replay"
    guard.check("s1", now=61)  # forgotten after the ttl


@given(st.lists(st.text(min_size=1, max_size=3), max_size=200), st.integers(1, 20))
def test_the_replay_guard_holds_at_most_size_and_keeps_the_newest(sigs, size):
    guard = ReplayGuard(size=size, ttl=1e9)
    for i, sig in enumerate(sigs):
        guard.remember(sig, now=i)
    assert len(guard._seen) <= size
    if sigs:
        assert guard.seen(sigs[-1], now=len(sigs))
