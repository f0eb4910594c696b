"""Contact details and groups, from the documented JSON of externalcontact/get, batch/get_by_user
and groupchat/get."""

from datetime import UTC, datetime

import pytest

from custpool import SourceChannel, TagGroup, ValidationError
from custpool.wecom import contact_from_api, contacts_from_batch, group_from_api, wecom_customer_id

CORP = "wx5823bf96d3bd56c7"
EXT = "woAJ2GCAAAXtWyujaWJHDDGi0mACHAAA"
GET = {
    "errcode": 0,
    "errmsg": "ok",
    "external_contact": {
        "external_userid": EXT,
        "name": "李四",
        "position": "Manager",
        "avatar": "http://p.qlogo.cn/x/0",
        "corp_name": "腾讯",
        "corp_full_name": "腾讯科技有限公司",
        "type": 2,
        "gender": 1,
        "unionid": "ozynqsulJFCZ2z1aYeS8h-nuasdAAA",
    },
    "follow_user": [
        {
            "userid": "rocky",
            "remark": "李部长",
            "description": "对接采购事务",
            "createtime": 1525779812,
            "tags": [
                {
                    "group_name": "标签分组名称",
                    "tag_name": "标签名称",
                    "tag_id": "etAzJ",
                    "type": 1,
                },
                {"group_name": "兴趣", "tag_name": "咖啡", "type": 2},
            ],
            "remark_corp_name": "腾讯科技",
            "remark_mobiles": ["13800000001", "13000000002"],
            "oper_userid": "rocky",
            "add_way": 1,
            "state": "store-sz",
        },
        {
            "userid": "tommy",
            "remark": "李总",
            "description": "采购问题咨询",
            "createtime": 1525881637,
            "state": "外联二维码1",
            "oper_userid": "woAJ2GCAAAd1asdasdjO4wKmE8Aabj9AAA",
            "add_way": 3,
        },
    ],
    "next_cursor": "NEXT_CURSOR",
}


def test_externalcontact_get_makes_a_customer_with_secret_handles_and_tags():
    c = contact_from_api(GET, corp_id=CORP, tag_groups={"兴趣": TagGroup.INTEREST})
    assert c.customer.id == wecom_customer_id(EXT, CORP)
    assert c.customer.display_name == "李四"
    assert [str(t) for t in c.customer.tags] == [
        "custom:标签名称",
        "interest:咖啡",
    ]  # an unmapped group is custom
    assert c.customer.contacts.reveal() == {"phone": "13800000001", "wecom_external_id": EXT}
    assert (c.type, c.gender) == (2, 1)
    assert c.unionid is not None
    assert c.unionid.get_secret_value() == GET["external_contact"]["unionid"]
    shown = repr(c) + repr(c.customer) + c.customer.to_json()
    for secret in (EXT, "13800000001", "ozynqsulJFCZ2z1aYeS8h-nuasdAAA"):
        assert secret not in shown


def test_each_follow_user_is_a_connect_and_the_earliest_sets_source_and_time():
    c = contact_from_api(GET, corp_id=CORP)
    assert [(i.operator_id, i.source, i.at) for i in c.connects] == [
        (
            "rocky",
            SourceChannel.STORE,
            datetime(2018, 5, 8, 11, 43, 32, tzinfo=UTC),
        ),  # state store-sz
        ("tommy", SourceChannel.REFERRAL, datetime(2018, 5, 9, 16, 0, 37, tzinfo=UTC)),  # add_way 3
    ]
    assert c.customer.connected_at == c.connects[0].at
    assert c.customer.source is SourceChannel.STORE


def test_the_same_follow_makes_the_same_connect_id():
    assert (
        contact_from_api(GET, corp_id=CORP).connects == contact_from_api(GET, corp_id=CORP).connects
    )


def test_batch_get_by_user_merges_the_entries_of_one_customer():
    follow = GET["follow_user"]
    batch = {
        "errcode": 0,
        "external_contact_list": [
            {
                "external_contact": GET["external_contact"],
                "follow_info": {**follow[1], "tag_id": ["etAzJ"]},
            },
            {
                "external_contact": {
                    "external_userid": "wmOther",
                    "name": "王五",
                    "type": 1,
                    "gender": 2,
                },
                "follow_info": {"userid": "rocky", "createtime": 1525779812, "add_way": 16},
            },
            {"external_contact": GET["external_contact"], "follow_info": follow[0]},
        ],
    }
    found = contacts_from_batch(batch, corp_id=CORP)
    assert len(found) == 2
    li = next(c for c in found if c.customer.display_name == "李四")
    assert [i.operator_id for i in li.connects] == ["rocky", "tommy"]
    other = next(c for c in found if c.customer.display_name == "王五")
    assert other.customer.source is SourceChannel.ADVERTISING


def test_a_contact_without_an_id_is_refused():
    with pytest.raises(ValidationError, match="external_userid"):
        contact_from_api({"external_contact": {"name": "x"}}, corp_id=CORP)
    with pytest.raises(ValidationError, match="external_contact"):
        contact_from_api({"errcode": 0}, corp_id=CORP)


GROUP = {
    "errcode": 0,
    "errmsg": "ok",
    "group_chat": {
        "chat_id": "wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA",
        "name": "销售客服群",
        "owner": "ZhuShengBen",
        "create_time": 1572505490,
        "notice": "文明沟通，拒绝脏话",
        "member_list": [
            {
                "userid": "abel",
                "type": 1,
                "join_time": 1572505491,
                "join_scene": 1,
                "invitor": {"userid": "jack"},
                "group_nickname": "客服小张",
                "name": "张三丰",
            },
            {"userid": "sam", "type": 1, "join_time": 1572505491, "join_scene": 1},
            {
                "userid": "wmOgQhDgAAuXFJGwbve4g4iXknfOAAAA",
                "type": 2,
                "unionid": "ozynqsulJFCZ2z1aYeS8h-nuasdAAA",
                "join_time": 1572505491,
                "join_scene": 1,
                "group_nickname": "顾客老王",
                "name": "王语嫣",
            },
        ],
        "admin_list": [{"userid": "sam"}, {"userid": "pony"}],
    },
}


def test_groupchat_get_makes_a_group_and_one_connect_per_customer():
    g = group_from_api(GROUP, corp_id=CORP)
    assert (g.chat_id, g.name, g.owner, g.member_count) == (
        "wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA",
        "销售客服群",
        "ZhuShengBen",
        3,
    )
    (connect,) = g.connects  # two staff members make none
    assert connect.group_id == g.chat_id
    assert connect.channel.value == "customer_group"
    assert connect.customer_id == wecom_customer_id("wmOgQhDgAAuXFJGwbve4g4iXknfOAAAA", CORP)
    assert g.created_at == datetime(2019, 10, 31, 7, 4, 50, tzinfo=UTC)
