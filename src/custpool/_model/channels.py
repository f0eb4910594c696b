"""Where the brand meets its customers: communication channels and acquisition sources."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Channel", "SourceChannel"]


class Channel(StrEnum):
    """The platform an interaction happens on (a charter's platforms are channels too).

    Examples
    --------
    >>> Channel("wecom_chat").label_zh
    '企业微信私聊'
    """

    WECOM_CHAT = "wecom_chat"
    """One-to-one chat in WeChat Work (企业微信)."""
    CUSTOMER_GROUP = "customer_group"
    """A customer group chat (客户群)."""
    MOMENTS = "moments"
    """WeChat Moments (朋友圈)."""
    LIVE_STREAM = "live_stream"
    """A live stream (直播)."""
    MINI_PROGRAM = "mini_program"
    """A mini program (小程序), including its shop."""
    STORE = "store"
    """A physical store (门店)."""
    PHONE = "phone"
    """A phone call or SMS."""
    OTHER = "other"
    """Anything else."""

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
}


class SourceChannel(StrEnum):
    """How a customer was brought into the pool (多渠道获客).

    Examples
    --------
    >>> SourceChannel.REFERRAL.label_zh
    '老带新'
    """

    STORE = "store"
    """Added in a physical store."""
    ECOMMERCE = "ecommerce"
    """From an online shop order (parcel cards, after-sale messages)."""
    LIVE_STREAM = "live_stream"
    """From a live stream."""
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
    """Anything else."""

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
}
