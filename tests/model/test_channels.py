from custpool import Channel, SourceChannel


def test_every_channel_and_source_has_a_chinese_label():
    assert {c.label_zh for c in Channel} >= {"企业微信私聊", "客户群", "朋友圈", "门店"}
    assert all(c.label_zh for c in Channel)
    assert all(s.label_zh for s in SourceChannel)
    assert SourceChannel.REFERRAL.label_zh == "老带新"


def test_values_are_stable_strings():
    assert Channel("customer_group") is Channel.CUSTOMER_GROUP
    assert [c.value for c in Channel][:2] == ["wecom_chat", "customer_group"]
