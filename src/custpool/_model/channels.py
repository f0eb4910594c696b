"""Where the brand meets its customers: communication channels and acquisition sources.

Both enums are **append-only**: the columnar engine stores a channel or a source as its
position in the enum (``tuple(Channel)``, ``tuple(SourceChannel)``), so a new member goes at
the end and no member ever moves; ``OTHER`` keeps its place though it is no longer last.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Channel", "SourceChannel"]


class Channel(StrEnum):
    """The platform an interaction happens on (a charter's platforms are channels too).

    The first eight are the private-domain touch points. The rest name where the order and
    customer exports of Chinese brands come from, each a shop back office's order export or
    the platform column (平台 / 店铺类型) of an ERP export (聚水潭, 旺店通, …): the marketplaces
    天猫 ``tmall``, 淘宝 ``taobao``, 京东 ``jd``, 拼多多 ``pinduoduo``, 抖音 ``douyin``, 快手
    ``kuaishou``, 小红书 ``xiaohongshu`` and 视频号 ``wechat_channels``; 电商 ``ecommerce`` for
    any other marketplace (美团, 得物, 唯品会, …) or an export that does not say which; and
    官方商城 ``official_mall``, the brand's own online store outside mini programs (its app,
    web shop or independent site 独立站), whose export is the brand's own.

    Use a platform's value when the export names the platform; ``live_stream`` and
    ``mini_program`` remain for exports that name only the format. A live room on Douyin is
    ``douyin``: the platform is the channel, and whether an order came from a live room is the
    export's own field. Values never change and new members are only appended (the engine
    codes a channel by its position).

    Examples
    --------
    >>> Channel("wecom_chat").label_zh
    '企业微信私聊'
    >>> Channel("tmall").label_zh, Channel.WECHAT_CHANNELS.label_zh
    ('天猫', '视频号')
    """

    WECOM_CHAT = "wecom_chat"
    """One-to-one chat in WeChat Work (企业微信)."""
    CUSTOMER_GROUP = "customer_group"
    """A customer group chat (客户群)."""
    MOMENTS = "moments"
    """WeChat Moments (朋友圈)."""
    LIVE_STREAM = "live_stream"
    """A live stream (直播): the brand's own, or one whose platform is not recorded (a live
    room on a platform listed here takes that platform's value)."""
    MINI_PROGRAM = "mini_program"
    """A mini program (小程序), including its shop."""
    STORE = "store"
    """A physical store (门店)."""
    PHONE = "phone"
    """A phone call or SMS."""
    OTHER = "other"
    """Anything else (not last: members added later come after it)."""
    ECOMMERCE = "ecommerce"
    """An online marketplace (电商) not listed here (美团, 得物, 唯品会, …), or an export that
    does not say which one."""
    TMALL = "tmall"
    """Tmall (天猫): a brand's flagship or authorised store."""
    TAOBAO = "taobao"
    """Taobao (淘宝): a Taobao (C) store, exported apart from Tmall."""
    JD = "jd"
    """JD.com (京东): a JD POP or self-operated store."""
    PINDUODUO = "pinduoduo"
    """Pinduoduo (拼多多)."""
    DOUYIN = "douyin"
    """Douyin (抖音): the Douyin shop (抖店), its live rooms and short videos."""
    KUAISHOU = "kuaishou"
    """Kuaishou (快手): the Kuaishou shop (快手小店), its live rooms and short videos."""
    XIAOHONGSHU = "xiaohongshu"
    """Xiaohongshu (小红书): its shop, live rooms and notes."""
    WECHAT_CHANNELS = "wechat_channels"
    """WeChat Channels (视频号): its shop (视频号小店), live rooms and short videos."""
    OFFICIAL_MALL = "official_mall"
    """The brand's own online store outside mini programs (官方商城): its app, web shop or
    independent site (独立站). Not a marketplace flagship store (that is the marketplace's
    value) and not a mini program shop (``mini_program``)."""

    @property
    def label_zh(self) -> str:
        """The Chinese label for reports."""
        return _CHANNEL_ZH[self]


_CHANNEL_ZH = {
    Channel.WECOM_CHAT: "企业微信私聊",
    Channel.CUSTOMER_GROUP: "客户群",
    Channel.MOMENTS: "朋友圈",
    Channel.LIVE_STREAM: "直播",
    Channel.MINI_PROGRAM: "小程序",
    Channel.STORE: "门店",
    Channel.PHONE: "电话",
    Channel.OTHER: "其他",
    Channel.ECOMMERCE: "电商",
    Channel.TMALL: "天猫",
    Channel.TAOBAO: "淘宝",
    Channel.JD: "京东",
    Channel.PINDUODUO: "拼多多",
    Channel.DOUYIN: "抖音",
    Channel.KUAISHOU: "快手",
    Channel.XIAOHONGSHU: "小红书",
    Channel.WECHAT_CHANNELS: "视频号",
    Channel.OFFICIAL_MALL: "官方商城",
}


class SourceChannel(StrEnum):
    """How a customer was brought into the pool (多渠道获客).

    The first ten are kinds of acquisition. The rest are the marketplaces and the brand's own
    online store of :class:`Channel`, with the same values and Chinese labels (天猫 ``tmall``,
    淘宝 ``taobao``, 京东 ``jd``, 拼多多 ``pinduoduo``, 抖音 ``douyin``, 快手 ``kuaishou``,
    小红书 ``xiaohongshu``, 视频号 ``wechat_channels``, 官方商城 ``official_mall``), for a
    customer first met there: through an order (a parcel card, an after-sale message), a live
    room or a post. 电商 ``ecommerce`` stays for any other marketplace or an export that does
    not name one; a customer can be acquired on every marketplace, so each has a source. Values
    never change and new members are only appended (the engine codes a source by its
    position).

    Examples
    --------
    >>> SourceChannel.REFERRAL.label_zh
    '老带新'
    >>> SourceChannel("douyin").label_zh
    '抖音'
    """

    STORE = "store"
    """Added in a physical store."""
    ECOMMERCE = "ecommerce"
    """From an online shop order (parcel cards, after-sale messages) on a marketplace not
    listed here, or when the export does not say which one."""
    LIVE_STREAM = "live_stream"
    """From a live stream: the brand's own, or one whose platform is not recorded."""
    MINI_PROGRAM = "mini_program"
    """From a mini program."""
    CONTENT = "content"
    """From public content (articles, short videos, official account)."""
    ADVERTISING = "advertising"
    """From paid advertising."""
    EVENT = "event"
    """From an offline or online event."""
    REFERRAL = "referral"
    """Brought by an existing customer (存量带增量)."""
    PHONE = "phone"
    """From a phone list or call."""
    OTHER = "other"
    """Anything else (not last: members added later come after it)."""
    TMALL = "tmall"
    """From a Tmall (天猫) order."""
    TAOBAO = "taobao"
    """From a Taobao (淘宝) order."""
    JD = "jd"
    """From a JD.com (京东) order."""
    PINDUODUO = "pinduoduo"
    """From a Pinduoduo (拼多多) order."""
    DOUYIN = "douyin"
    """From Douyin (抖音): a Douyin shop order, live room or short video."""
    KUAISHOU = "kuaishou"
    """From Kuaishou (快手): a Kuaishou shop order, live room or short video."""
    XIAOHONGSHU = "xiaohongshu"
    """From Xiaohongshu (小红书): an order there, a live room or a note."""
    WECHAT_CHANNELS = "wechat_channels"
    """From WeChat Channels (视频号): a shop order, live room or short video."""
    OFFICIAL_MALL = "official_mall"
    """From the brand's own online store outside mini programs (官方商城: app, web shop,
    independent site)."""

    @property
    def label_zh(self) -> str:
        """The Chinese label for reports."""
        return _SOURCE_ZH[self]


_SOURCE_ZH = {
    SourceChannel.STORE: "门店",
    SourceChannel.ECOMMERCE: "电商",
    SourceChannel.LIVE_STREAM: "直播",
    SourceChannel.MINI_PROGRAM: "小程序",
    SourceChannel.CONTENT: "内容",
    SourceChannel.ADVERTISING: "广告",
    SourceChannel.EVENT: "活动",
    SourceChannel.REFERRAL: "老带新",
    SourceChannel.PHONE: "电话",
    SourceChannel.OTHER: "其他",
    SourceChannel.TMALL: "天猫",
    SourceChannel.TAOBAO: "淘宝",
    SourceChannel.JD: "京东",
    SourceChannel.PINDUODUO: "拼多多",
    SourceChannel.DOUYIN: "抖音",
    SourceChannel.KUAISHOU: "快手",
    SourceChannel.XIAOHONGSHU: "小红书",
    SourceChannel.WECHAT_CHANNELS: "视频号",
    SourceChannel.OFFICIAL_MALL: "官方商城",
}
