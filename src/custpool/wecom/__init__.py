"""WeCom (企业微信) callbacks and contact APIs → custpool customers and interactions.

Verified, decrypted callbacks (:class:`WecomCrypto`, WeCom's 加解密方案), their external-contact,
customer-group and tag events as interactions (:func:`parse_event`: ``operator_id`` = the staff
``UserID``, ``group_id`` = the ``ChatId``, ids stable across WeCom's retries), contact details
and groups from the API's JSON (:func:`contact_from_api`, :func:`contacts_from_batch`,
:func:`group_from_api`), and a receiver to mount (:func:`asgi_app`) writing to a durable JSON
Lines sink (:class:`JsonlSink`). It needs the ``wecom`` extra (``pip install "custpool[wecom]"``:
cryptography, defusedxml, starlette); ``import custpool`` never imports them. See ``docs/wecom.md``.

Notes
-----
A public package beside ``custpool.synth`` and ``custpool.strategies``: its parts may import
``custpool`` through its ``__all__``, cryptography, defusedxml and starlette, and each other;
nothing in custpool but the CLI may import it. Its parts: the cryptography (``_crypto``), the
size, age and replay guards (``_guard``), the hardened XML reader (``_xml``), events →
interactions (``_events``), the contact APIs (``_contacts``), the sink (``_sink``) and the
receiver (``_app``).

Examples
--------
>>> from custpool.wecom import WecomCrypto, parse_event, read_xml
>>> key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"  # Tencent's sample app
>>> crypto = WecomCrypto("QDG6eK", key, "wx5823bf96d3bd56c7")
>>> xml = ("<xml><Event>change_external_contact</Event>"
...        "<ChangeType>add_external_contact</ChangeType><CreateTime>1403610513</CreateTime>"
...        "<UserID>zhangsan</UserID><ExternalUserID>woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA"
...        "</ExternalUserID><State>store-sh</State></xml>")
>>> event = parse_event(read_xml(crypto.decrypt(crypto.encrypt(xml))), corp_id=crypto.receive_id)
>>> [(i.kind.value, i.source.value, i.operator_id) for i in event.interactions]
[('connect', 'store', 'zhangsan')]
"""

from __future__ import annotations

try:
    import cryptography as _cryptography  # noqa: F401 - checked here, so the error names the extra
    import defusedxml as _defusedxml  # type: ignore[import-untyped]  # noqa: F401
    import starlette as _starlette  # noqa: F401
except ImportError as _error:  # pragma: no cover - tested in a subprocess without the extra
    from custpool import MissingDependencyError as _Missing

    raise _Missing(_error.name or "cryptography", "wecom") from _error

from custpool._public import claim as _claim
from custpool.wecom._app import asgi_app
from custpool.wecom._contacts import (
    WecomContact,
    WecomGroup,
    contact_from_api,
    contacts_from_batch,
    group_from_api,
)
from custpool.wecom._crypto import WecomCrypto, signature
from custpool.wecom._events import (
    ADD_WAY_SOURCES,
    WecomEvent,
    interaction_id,
    parse_event,
    source_for,
    wecom_customer_id,
)
from custpool.wecom._guard import MAX_BODY, ReplayGuard, check_size, check_timestamp
from custpool.wecom._sink import JsonlSink
from custpool.wecom._xml import MAX_XML, read_xml

__all__ = [
    # the receiver
    "asgi_app",
    "JsonlSink",
    # cryptography and guards
    "WecomCrypto",
    "signature",
    "ReplayGuard",
    "check_size",
    "check_timestamp",
    "MAX_BODY",
    "MAX_XML",
    "read_xml",
    # events and contacts
    "WecomEvent",
    "parse_event",
    "source_for",
    "ADD_WAY_SOURCES",
    "interaction_id",
    "wecom_customer_id",
    "WecomContact",
    "WecomGroup",
    "contact_from_api",
    "contacts_from_batch",
    "group_from_api",
]

_claim(globals(), __all__, __name__)
