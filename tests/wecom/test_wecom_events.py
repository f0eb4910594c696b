"""Every documented callback type, written from WeCom's field lists (客户联系 › 事件格式)."""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from wecom_helpers import CORP_ID, CRYPTO, chat_xml, contact_xml, event_xml, members

from custpool import CallbackError, SourceChannel
from custpool.wecom import parse_event, read_xml, source_for, wecom_customer_id

EXT = "woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA"
CHAT = "wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA"
WELCOME = "<State><![CDATA[store-sh-01]]></State><WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode>"

# name → (plaintext XML, expected [(kind, direction, reason or source, customer, operator, group)])
FIXTURES = {
    "add_external_contact": (
        contact_xml("add_external_contact", extra=WELCOME),
        [("connect", "inbound", "store", EXT, "zhangsan", None)],
    ),
    "add_half_external_contact": (
        contact_xml("add_half_external_contact", extra=WELCOME),
        [("connect", "inbound", "store", EXT, "zhangsan", None)],
    ),
    "edit_external_contact": (contact_xml("edit_external_contact"), []),
    "del_external_contact": (
        contact_xml("del_external_contact"),
        [("churn", "outbound", "removed", EXT, "zhangsan", None)],
    ),
    "del_external_contact_by_transfer": (
        contact_xml(
            "del_external_contact", extra="<Source><![CDATA[DELETE_BY_TRANSFER]]></Source>"
        ),
        [],
    ),
    "del_follow_user": (
        contact_xml("del_follow_user"),
        [("churn", "inbound", "deleted", EXT, "zhangsan", None)],
    ),
    "transfer_fail": (
        contact_xml("transfer_fail", extra="<FailReason><![CDATA[customer_refused]]></FailReason>"),
        [],
    ),
    "chat_create": (chat_xml("create"), []),
    "chat_add_member": (
        chat_xml(
            "update",
            extra="<UpdateDetail><![CDATA[add_member]]></UpdateDetail><JoinScene>1</JoinScene>"
            "<MemChangeCnt>2</MemChangeCnt>"
            + members("wmCustomerA", "zhangsan")
            + "<LastMemVer>9c3f97c2ada667dfb5f6d03308d963e1</LastMemVer>"
            "<CurMemVer>71217227bbd112ecfe3a49c482195cb4</CurMemVer>",
        ),
        [("connect", "inbound", "other", "wmCustomerA", None, CHAT)],
    ),
    "chat_del_member_quit": (
        chat_xml(
            "update",
            extra="<UpdateDetail><![CDATA[del_member]]></UpdateDetail><QuitScene>0</QuitScene>"
            "<MemChangeCnt>2</MemChangeCnt>" + members("wmCustomerA", "woCustomerB"),
        ),
        [
            ("churn", "inbound", "left_group", "wmCustomerA", None, CHAT),
            ("churn", "inbound", "left_group", "woCustomerB", None, CHAT),
        ],
    ),
    "chat_del_member_removed": (
        chat_xml(
            "update",
            extra="<UpdateDetail><![CDATA[del_member]]></UpdateDetail><QuitScene>1</QuitScene>"
            "<MemChangeCnt>1</MemChangeCnt>" + members("wmCustomerA"),
        ),
        [("churn", "outbound", "removed", "wmCustomerA", None, CHAT)],
    ),
    "chat_change_owner": (
        chat_xml("update", extra="<UpdateDetail><![CDATA[change_owner]]></UpdateDetail>"),
        [],
    ),
    "chat_change_name": (
        chat_xml("update", extra="<UpdateDetail><![CDATA[change_name]]></UpdateDetail>"),
        [],
    ),
    "chat_change_notice": (
        chat_xml("update", extra="<UpdateDetail><![CDATA[change_notice]]></UpdateDetail>"),
        [],
    ),
    "chat_dismiss": (chat_xml("dismiss"), []),
    **{
        f"tag_{change}": (
            event_xml(
                "change_external_tag",
                f"<Id><![CDATA[TAG_ID]]></Id><TagType><![CDATA[tag]]></TagType>"
                f"<ChangeType><![CDATA[{change}]]></ChangeType><StrategyId>1</StrategyId>",
            ),
            [],
        )
        for change in ("create", "update", "delete", "shuffle")
    },
}


def _row(i):
    detail = i.churn_reason.value if i.churn_reason else i.source.value
    return (i.kind.value, i.direction.value, detail, i.customer_id, i.operator_id, i.group_id)


@pytest.mark.parametrize("name", list(FIXTURES))
def test_every_documented_event_maps_as_the_table_says(name):
    xml, expected = FIXTURES[name]
    event = parse_event(read_xml(xml), corp_id=CORP_ID, customer_id=lambda ext: ext)
    assert event.known
    assert sorted(_row(i) for i in event.interactions) == sorted(expected)
    assert event.at == datetime(2014, 6, 24, 11, 48, 33, tzinfo=UTC)  # 1403610513
    assert bool(event.note) == (not expected)  # an event that makes nothing says why


@pytest.mark.parametrize("name", list(FIXTURES))
def test_a_retried_callback_gets_the_same_ids(name):
    xml, _ = FIXTURES[name]
    first = parse_event(read_xml(CRYPTO.decrypt(CRYPTO.encrypt(xml))), corp_id=CORP_ID)
    again = parse_event(read_xml(CRYPTO.decrypt(CRYPTO.encrypt(xml))), corp_id=CORP_ID)
    assert [i.id for i in first.interactions] == [i.id for i in again.interactions]
    assert len({i.id for i in first.interactions}) == len(first.interactions)


def test_different_callbacks_get_different_ids():
    ids = set()
    for xml in (
        contact_xml("add_external_contact"),
        contact_xml("add_external_contact", create_time=1403610514),
        contact_xml("add_external_contact", user="lisi"),
        contact_xml("del_follow_user"),
    ):
        ids |= {i.id for i in parse_event(read_xml(xml), corp_id=CORP_ID).interactions}
    assert len(ids) == 4


def test_the_default_customer_id_hides_the_external_userid():
    event = parse_event(read_xml(contact_xml("del_follow_user")), corp_id=CORP_ID)
    (item,) = event.interactions
    assert item.customer_id == wecom_customer_id(EXT, CORP_ID)
    assert EXT not in item.to_json()


@pytest.mark.parametrize(
    ("xml", "note"),
    [
        (event_xml("change_external_contact_v2", "<ChangeType>x</ChangeType>"), "unknown Event"),
        (contact_xml("merge_external_contact"), "unknown ChangeType"),
        (chat_xml("archive"), "unknown ChangeType"),
        (event_xml("change_external_tag", "<ChangeType>rename</ChangeType>"), "unknown ChangeType"),
    ],
)
def test_unknown_events_are_reported_not_dropped_silently(xml, note):
    event = parse_event(read_xml(xml), corp_id=CORP_ID)
    assert not event.known
    assert event.interactions == ()
    assert note in event.note


@pytest.mark.parametrize("field", ["UserID", "ExternalUserID", "CreateTime"])
def test_a_missing_field_is_refused_by_name(field):
    xml = contact_xml("add_external_contact")
    start = xml.index(f"<{field}>")
    xml = xml[:start] + xml[xml.index(f"</{field}>") + len(field) + 3 :]
    with pytest.raises(CallbackError) as caught:
        parse_event(read_xml(xml), corp_id=CORP_ID)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("state", "add_way", "expected"),
    [
        ("store", None, "store"),
        ("store-sh-01", None, "store"),
        ("live_stream:0618", None, "live_stream"),
        ("storefront", None, "other"),  # a prefix must end at - or :
        ("", 16, "advertising"),
        ("", 3, "referral"),
        ("", 1, "other"),
        ("teststate", None, "other"),
        ("store-x", 16, "store"),  # State wins over add_way
    ],
)
def test_the_source_mapping(state, add_way, expected):
    assert source_for(state, add_way).value == expected


def test_an_explicit_state_mapping_wins():
    assert source_for("store-x", states={"store-x": SourceChannel.EVENT}) is SourceChannel.EVENT
    event = parse_event(
        read_xml(FIXTURES["add_external_contact"][0]),
        corp_id=CORP_ID,
        states={"store-sh-01": SourceChannel.EVENT},
    )
    assert event.interactions[0].source is SourceChannel.EVENT


@given(
    st.lists(
        st.from_regex(r"w[om][A-Za-z0-9]{4,10}", fullmatch=True),
        min_size=1,
        max_size=20,
        unique=True,
    )
)
def test_every_customer_who_joins_makes_one_connect_whatever_the_order(ids):
    xml = chat_xml("update", extra="<UpdateDetail>add_member</UpdateDetail>" + members(*ids))
    reverse = chat_xml(
        "update", extra="<UpdateDetail>add_member</UpdateDetail>" + members(*ids[::-1])
    )
    one, two = (parse_event(read_xml(x), corp_id=CORP_ID) for x in (xml, reverse))
    assert len(one.interactions) == len(ids)
    assert one.interactions == two.interactions


def test_a_join_and_a_leave_in_one_second_are_two_interactions():
    """Review finding: the update detail is part of the id, or the leave would be a duplicate."""
    joined = chat_xml(
        "update", extra="<UpdateDetail>add_member</UpdateDetail>" + members("wmCustomerA")
    )
    left = chat_xml(
        "update", extra="<UpdateDetail>del_member</UpdateDetail>" + members("wmCustomerA")
    )
    ids = [parse_event(read_xml(x), corp_id=CORP_ID).interactions[0].id for x in (joined, left)]
    assert ids[0] != ids[1]


@pytest.mark.parametrize(
    ("xml", "note"),
    [
        ("<xml><MsgType>text</MsgType><Content>hi</Content></xml>", "no Event (MsgType 'text')"),
        ("<xml><Event>change_external_thing</Event></xml>", "unknown Event"),  # no CreateTime
    ],
)
def test_an_unknown_message_is_reported_even_without_the_usual_fields(xml, note):
    event = parse_event(read_xml(xml), corp_id=CORP_ID)
    assert (event.known, event.at, event.interactions) == (False, None, ())
    assert note in event.note


def test_fields_that_break_a_model_rule_make_an_unknown_event_naming_the_field():
    xml = contact_xml("add_external_contact", user="zhang san")  # a space: not an id
    event = parse_event(read_xml(xml), corp_id=CORP_ID)
    assert (event.known, event.interactions) == (False, ())
    assert "operator_id" in event.note
    assert "zhang san" not in event.note
