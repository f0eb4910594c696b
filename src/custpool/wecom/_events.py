"""WeCom's external-contact callbacks → custpool interactions, with deterministic ids."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from pydantic import ValidationError as PydanticError

from custpool import CallbackError, Channel, ChurnReason, Interaction, SourceChannel

__all__ = [
    "ADD_WAY_SOURCES",
    "CustomerIdFor",
    "WecomEvent",
    "interaction_id",
    "parse_event",
    "source_for",
    "wecom_customer_id",
]

CustomerIdFor = Callable[[str], str]
"""Turns an ``external_userid`` into a custpool customer id."""

ADD_WAY_SOURCES: Final = {
    2: SourceChannel.PHONE,  # 搜索手机号
    3: SourceChannel.REFERRAL,  # 名片分享
    5: SourceChannel.PHONE,  # 手机通讯录
    10: SourceChannel.WECHAT_CHANNELS,  # 视频号添加
    15: SourceChannel.STORE,  # 上门服务客服
    16: SourceChannel.ADVERTISING,  # 获客链接
}
"""``add_way`` codes with a source of their own; every other code is ``other``."""

_EXTERNAL_PREFIXES: Final = ("wo", "wm")  # external_userid; staff userids are free text
_TRANSFER: Final = "DELETE_BY_TRANSFER"


def wecom_customer_id(external_userid: str, corp_id: str) -> str:
    """Return the default customer id: ``wx-`` + 20 hex of SHA-256 over corp id and user id.

    The ``external_userid`` is a contact handle (a secret in :class:`custpool.Contacts`), so it
    is not used as the id itself; the hash is stable, so events and contact details agree.

    Examples
    --------
    >>> wecom_customer_id("woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA", "wx5823bf96d3bd56c7")
    'wx-041b313948fa6140255d'
    """
    digest = hashlib.sha256(f"{corp_id}\x00{external_userid}".encode()).hexdigest()
    return f"wx-{digest[:20]}"


def interaction_id(*parts: str) -> str:
    """Return ``wecom-`` + 24 hex of SHA-256 over the callback's identity (stable on retries).

    Examples
    --------
    >>> interaction_id("corp", "change_external_contact", "add_external_contact", "1403610513")
    'wecom-4d15255422334f86301fb0f5'
    """
    return "wecom-" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:24]


def source_for(
    state: str = "", add_way: int | None = None, states: Mapping[str, SourceChannel] | None = None
) -> SourceChannel:
    """Map a 渠道活码 ``State`` and an ``add_way`` code to a source.

    In order: ``states[state]``; a ``State`` that is a source's value, or starts with one and
    ``-`` or ``:`` (``store-sh-01`` → store); ``ADD_WAY_SOURCES[add_way]``; else ``other``.

    Examples
    --------
    >>> source_for("store-sh-01").value, source_for("", 16).value, source_for("x", 0).value
    ('store', 'advertising', 'other')
    >>> source_for("q7", states={"q7": "event"}).value
    'event'
    """
    if states and state in states:
        return SourceChannel(states[state])
    for value in sorted((s.value for s in SourceChannel), key=len, reverse=True):
        if state == value or state.startswith((f"{value}-", f"{value}:")):
            return SourceChannel(value)
    if add_way is not None and add_way in ADD_WAY_SOURCES:
        return ADD_WAY_SOURCES[add_way]
    return SourceChannel.OTHER


@dataclass(frozen=True)
class WecomEvent:
    """One parsed callback: what it was and the interactions it makes (maybe none).

    Attributes
    ----------
    event, change_type
        WeCom's ``Event`` and ``ChangeType``.
    at
        ``CreateTime`` (UTC); None only for an unknown event without a readable one.
    interactions
        The interactions it makes, sorted by id.
    known
        False for an event this module does not know: reported, never dropped silently.
    note
        Why it makes no interaction, when it makes none.
    """

    event: str
    change_type: str
    at: datetime | None
    interactions: tuple[Interaction, ...]
    known: bool = True
    note: str = ""

    def __repr__(self) -> str:
        """One short line."""
        return f"WecomEvent({self.event}/{self.change_type}, {len(self.interactions)} interactions)"


def _text(fields: Mapping[str, object], name: str, *, required: bool = True) -> str:
    value = fields.get(name, "")
    if not isinstance(value, str) or (required and not value):
        raise CallbackError(
            "xml",
            name,
            value if isinstance(value, str) else "<list>",
            "is required in this callback",
        )
    return value


def _time(fields: Mapping[str, object]) -> tuple[str, datetime]:
    raw = _text(fields, "CreateTime")
    if not raw.isdigit():
        raise CallbackError("xml", "CreateTime", raw, "must be Unix seconds")
    return raw, datetime.fromtimestamp(int(raw), UTC)


@dataclass(frozen=True)
class _Callback:
    """One callback being parsed: its fields and what every interaction it makes shares."""

    fields: Mapping[str, object]
    corp_id: str
    event: str
    change: str
    raw_time: str
    at: datetime
    to_id: CustomerIdFor
    states: Mapping[str, SourceChannel] | None

    def make(self, ext: str, *identity: str, **values: object) -> Interaction:
        """Build the interaction of customer ``ext``, its id from the callback's identity."""
        parts = (self.corp_id, self.event, self.change, self.raw_time, ext, *identity)
        return Interaction.model_validate(
            {"id": interaction_id(*parts), "customer_id": self.to_id(ext), "at": self.at, **values}
        )


_Parsed = tuple[list[Interaction], str, bool]  # interactions, note, known
_CONTACT_NOOP: Final = frozenset({"edit_external_contact", "transfer_fail"})
_CONTACT_ADD: Final = frozenset({"add_external_contact", "add_half_external_contact"})
_CONTACT_DEL: Final = frozenset({"del_external_contact", "del_follow_user"})


def _contact(cb: _Callback) -> _Parsed:
    """``change_external_contact``: CONNECT on an add, CHURN in either deletion direction."""
    if cb.change in _CONTACT_NOOP:
        return [], f"{cb.change}: no interaction (refresh the contact's details)", True
    if cb.change not in _CONTACT_ADD | _CONTACT_DEL:
        return [], f"unknown ChangeType {cb.change!r}", False
    user, ext = _text(cb.fields, "UserID"), _text(cb.fields, "ExternalUserID")
    common: dict[str, object] = {"channel": Channel.WECOM_CHAT, "operator_id": user}
    if cb.change in _CONTACT_ADD:
        source = source_for(_text(cb.fields, "State", required=False), None, cb.states)
        return (
            [cb.make(ext, user, kind="connect", direction="inbound", source=source, **common)],
            "",
            True,
        )
    if cb.change == "del_follow_user":  # the customer deleted the staff member
        churn = {"direction": "inbound", "churn_reason": ChurnReason.DELETED}
    elif cb.fields.get("Source") == _TRANSFER:
        return [], "del_external_contact by transfer (在职继承): the customer stays", True
    else:  # the staff member deleted the customer
        churn = {"direction": "outbound", "churn_reason": ChurnReason.REMOVED}
    return [cb.make(ext, user, kind="churn", **churn, **common)], "", True


def _chat(cb: _Callback) -> _Parsed:
    """``change_external_chat``: CONNECT per customer who joined, CHURN per customer who left."""
    chat = _text(cb.fields, "ChatId")
    detail = _text(cb.fields, "UpdateDetail", required=False)
    if cb.change not in {"create", "update", "dismiss"}:
        return [], f"unknown ChangeType {cb.change!r}", False
    if cb.change != "update" or detail not in {"add_member", "del_member"}:
        return [], f"{cb.change}/{detail or '-'}: no interaction", True
    members = cb.fields.get("MemChangeList", [])
    listed = [members] if isinstance(members, str) else members
    if not isinstance(listed, list):  # pragma: no cover - read_xml gives a str or a list
        listed = []
    customers = [m for m in listed if isinstance(m, str) and m.startswith(_EXTERNAL_PREFIXES)]
    common: dict[str, object] = {"channel": Channel.CUSTOMER_GROUP, "group_id": chat}
    if detail == "add_member":
        common |= {"kind": "connect", "direction": "inbound", "source": SourceChannel.OTHER}
    elif _text(cb.fields, "QuitScene", required=False) == "1":  # removed by a group member
        common |= {"kind": "churn", "direction": "outbound", "churn_reason": ChurnReason.REMOVED}
    else:  # left by themselves
        common |= {"kind": "churn", "direction": "inbound", "churn_reason": ChurnReason.LEFT_GROUP}
    # The detail is part of the identity: a join and a leave in the same second are two events.
    items = [cb.make(m, chat, str(detail), **common) for m in customers]
    return items, "" if items else "only staff joined or left", True


def _tag(cb: _Callback) -> _Parsed:
    """``change_external_tag``: the corp's tag catalogue changed; no interaction."""
    if cb.change in {"create", "update", "delete", "shuffle"}:
        return [], "corp tags changed: refresh tags from the contact API", True
    return [], f"unknown ChangeType {cb.change!r}", False


_HANDLERS: Final = {
    "change_external_contact": _contact,
    "change_external_chat": _chat,
    "change_external_tag": _tag,
}


def parse_event(
    fields: Mapping[str, object],
    *,
    corp_id: str,
    states: Mapping[str, SourceChannel] | None = None,
    customer_id: CustomerIdFor | None = None,
) -> WecomEvent:
    """Turn one decrypted callback (from :func:`read_xml`) into a :class:`WecomEvent`.

    Parameters
    ----------
    fields
        The callback's fields.
    corp_id
        The CorpID: part of every id.
    states
        ``State`` → source for channel codes that do not name a source themselves.
    customer_id
        ``external_userid`` → customer id; :func:`wecom_customer_id` by default.

    Returns
    -------
    WecomEvent
        Its interactions (maybe none); ``known`` is False for an event or change type this
        module does not know, with a note, so the caller can report it.

    An event with no handler here (or a message with no ``Event`` at all, such as a chat
    message) is returned with ``known=False`` whatever its other fields, and so is a known event
    whose fields break a model rule (a ``UserID`` with a space, say): the note says which field,
    never its value. Either way the receiver answers ``success`` and reports it.

    Raises
    ------
    custpool.CallbackError
        Reason ``xml``, when a field a known event needs is missing or ``CreateTime`` is not
        Unix seconds.

    Examples
    --------
    >>> ev = parse_event({"Event": "change_external_contact", "ChangeType": "del_follow_user",
    ...     "CreateTime": "1403610513", "UserID": "zhangsan", "ExternalUserID": "woAJ2G"},
    ...     corp_id="corp")
    >>> i = ev.interactions[0]
    >>> i.kind.value, i.churn_reason.value, i.direction.value, i.operator_id
    ('churn', 'deleted', 'inbound', 'zhangsan')
    """
    event, change = _lenient(fields, "Event"), _lenient(fields, "ChangeType")
    handler = _HANDLERS.get(event)
    if handler is None:
        raw = _lenient(fields, "CreateTime")
        when = datetime.fromtimestamp(int(raw), UTC) if raw.isdigit() and len(raw) < 12 else None
        note = (
            f"unknown Event {event!r}"
            if event
            else f"a message with no Event (MsgType {_lenient(fields, 'MsgType')!r})"
        )
        return WecomEvent(event, change, when, (), known=False, note=note)
    raw_time, at = _time(fields)
    to_id = customer_id or (lambda ext: wecom_customer_id(ext, corp_id))
    cb = _Callback(fields, corp_id, event, change, raw_time, at, to_id, states)
    try:
        items, note, known = handler(cb)
    except PydanticError as error:  # a field WeCom sent breaks a model rule
        where = ", ".join(sorted({str(e["loc"][0]) for e in error.errors() if e["loc"]}))
        note = f"its fields break a model rule ({where or 'interaction'}): not turned into rows"
        return WecomEvent(event, change, at, (), known=False, note=note)
    return WecomEvent(event, change, at, tuple(sorted(items, key=lambda i: i.id)), known, note)


def _lenient(fields: Mapping[str, object], name: str) -> str:
    """Return a field as text, or "" if it is missing or not text (for reports, never rows)."""
    value = fields.get(name, "")
    return value if isinstance(value, str) else ""
