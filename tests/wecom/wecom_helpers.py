"""Tencent's sample app, callback XML written from WeCom's documented field lists, and posting."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from custpool.wecom import WecomCrypto

TOKEN = "QDG6eK"  # noqa: S105 - Tencent's published sample token, not a secret
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
CORP_ID = "wx5823bf96d3bd56c7"
TIMESTAMP = "1409659589"
NONCE = "263014780"
ECHOSTR = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
SIGNATURE = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
ECHO = "1616140317555161061"

CRYPTO = WecomCrypto(TOKEN, AES_KEY, CORP_ID)

_HEAD = (
    "<xml><ToUserName><![CDATA[{corp}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
    "<CreateTime>{time}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
    "<Event><![CDATA[{event}]]></Event>"
)


def event_xml(event: str, body: str, *, create_time: int = 1403610513) -> str:
    """A callback's plaintext XML: the documented common head, then the event's own fields."""
    return _HEAD.format(corp=CORP_ID, time=create_time, event=event) + body + "</xml>"


def contact_xml(
    change: str,
    user: str = "zhangsan",
    ext: str = "woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA",
    *,
    extra: str = "",
    create_time: int = 1403610513,
) -> str:
    """``change_external_contact`` with ``UserID`` and ``ExternalUserID`` (all six share them)."""
    body = (
        f"<ChangeType><![CDATA[{change}]]></ChangeType><UserID><![CDATA[{user}]]></UserID>"
        f"<ExternalUserID><![CDATA[{ext}]]></ExternalUserID>{extra}"
    )
    return event_xml("change_external_contact", body, create_time=create_time)


def chat_xml(
    change: str,
    chat: str = "wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA",
    *,
    extra: str = "",
    create_time: int = 1403610513,
) -> str:
    """``change_external_chat`` with its ``ChatId``."""
    body = (
        f"<ChatId><![CDATA[{chat}]]></ChatId><ChangeType><![CDATA[{change}]]></ChangeType>{extra}"
    )
    return event_xml("change_external_chat", body, create_time=create_time)


def members(*ids: str) -> str:
    return (
        "<MemChangeList>"
        + "".join(f"<Item><![CDATA[{i}]]></Item>" for i in ids)
        + "</MemChangeList>"
    )


def envelope(encrypted: str) -> str:
    """The POST body WeCom sends: the corp, the encrypted message and the app id."""
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>"
        f"<Encrypt><![CDATA[{encrypted}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>"
    )


def signed_post(
    plain: str,
    *,
    nonce: str = "1372623149",
    timestamp: str | None = None,
    crypto: WecomCrypto = CRYPTO,
) -> tuple[str, str]:
    """Encrypt and sign a callback: return (the query string, the body)."""
    ts = timestamp or str(int(time.time()))
    encrypted = crypto.encrypt(plain)
    query = {"msg_signature": crypto.sign(ts, nonce, encrypted), "timestamp": ts, "nonce": nonce}
    return "/?" + urlencode(query), envelope(encrypted)
