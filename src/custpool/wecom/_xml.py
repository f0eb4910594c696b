"""A hardened reader of WeCom's flat XML: defusedxml, no entities, no DTD, size limits."""

from __future__ import annotations

from typing import Final

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml import ElementTree as SafeTree

from custpool import CallbackError

__all__ = ["MAX_XML", "read_xml"]

MAX_XML: Final = 32 * 1024
"""The longest XML text read, in characters."""
_MAX_ITEMS: Final = 2_000


def read_xml(text: str, *, limit: int = MAX_XML) -> dict[str, object]:
    """Read a WeCom ``<xml>`` message into a dict: text children as str, ``Item`` lists as lists.

    A DTD, an entity (billion laughs), an external entity or more than ``limit`` characters
    is refused with :class:`custpool.CallbackError` (reason ``xml``); nothing is expanded.

    Examples
    --------
    >>> read_xml("<xml><ChatId><![CDATA[wrOg]]></ChatId>"
    ...          "<MemChangeList><Item>wmA</Item><Item>wmB</Item></MemChangeList></xml>")
    {'ChatId': 'wrOg', 'MemChangeList': ['wmA', 'wmB']}
    >>> read_xml('<!DOCTYPE x [<!ENTITY a "aaaa">]><xml><A>&a;</A></xml>')
    Traceback (most recent call last):
    ...
    custpool.CallbackError: xml='<DTD>': must be plain XML without a DTD or entities (...)
    """
    if len(text) > limit:
        raise CallbackError(
            "xml", "xml", f"<{len(text)} chars>", f"must be at most {limit} characters"
        )
    try:
        root = SafeTree.fromstring(
            text, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as error:
        raise CallbackError(
            "xml",
            "xml",
            "<DTD>",
            f"must be plain XML without a DTD or entities ({type(error).__name__})",
        ) from None
    except SafeTree.ParseError as error:
        raise CallbackError(
            "xml", "xml", f"<{len(text)} chars>", f"must be well-formed XML ({error})"
        ) from None
    out: dict[str, object] = {}
    for child in root:
        items = list(child)
        if items:
            if len(items) > _MAX_ITEMS:
                raise CallbackError(
                    "xml",
                    child.tag,
                    f"<{len(items)} items>",
                    f"must hold at most {_MAX_ITEMS} items",
                )
            out[child.tag] = [(item.text or "").strip() for item in items]
        else:
            out[child.tag] = (child.text or "").strip()
    return out
