"""WeCom's contact APIs → custpool: ``externalcontact/get``, ``batch/get_by_user``, groups."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import SecretStr

from custpool import (
    Channel,
    Contacts,
    Customer,
    Direction,
    Interaction,
    InteractionKind,
    SourceChannel,
    Tag,
    TagGroup,
    ValidationError,
)
from custpool.wecom._events import CustomerIdFor, interaction_id, source_for, wecom_customer_id

__all__ = [
    "WecomContact",
    "WecomGroup",
    "contact_from_api",
    "contacts_from_batch",
    "group_from_api",
]


@dataclass(frozen=True)
class WecomContact:
    """One external contact: the customer, its CONNECT per follow-up staff, and what WeCom adds.

    ``type`` is 1 for a WeChat user, 2 for a WeCom user; ``gender`` 0 unknown, 1 male, 2 female
    (custpool's :class:`custpool.Customer` has no field for either). ``unionid`` is a secret.
    """

    customer: Customer
    connects: tuple[Interaction, ...]
    type: int
    gender: int
    unionid: SecretStr | None

    def __repr__(self) -> str:
        """One short line, no handles."""
        return f"WecomContact({self.customer.id}, {len(self.connects)} connects)"


@dataclass(frozen=True)
class WecomGroup:
    """A customer group (客户群) from ``groupchat/get``; ``connects`` are its customers' joins."""

    chat_id: str
    name: str
    owner: str
    created_at: datetime | None
    member_count: int
    connects: tuple[Interaction, ...]

    def __repr__(self) -> str:
        """One short line."""
        return f"WecomGroup({self.chat_id}, {self.member_count} members)"


def _obj(value: object, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValidationError(field, type(value).__name__, "must be a JSON object from WeCom's API")
    return value


def _when(value: object) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if isinstance(value, int) and value > 0 else None


def _follow(  # noqa: PLR0913 - one follow_user row and the settings it needs
    follow: Mapping[str, Any],
    ext: str,
    cid: str,
    *,
    corp_id: str,
    states: Mapping[str, SourceChannel] | None,
    groups: Mapping[str, TagGroup] | None,
) -> tuple[Interaction | None, list[Tag]]:
    user = str(follow.get("userid", ""))
    tags = [
        Tag(
            name=str(t["tag_name"]),
            group=(groups or {}).get(str(t.get("group_name", "")), TagGroup.CUSTOM),
        )
        for t in follow.get("tags", [])
        if isinstance(t, Mapping) and t.get("tag_name")
    ]
    at = _when(follow.get("createtime"))
    if at is None or not user:
        return None, tags
    add_way = follow.get("add_way")
    source = source_for(
        str(follow.get("state", "")), add_way if isinstance(add_way, int) else None, states
    )
    iid = interaction_id(corp_id, "contact", str(follow["createtime"]), ext, user)
    connect = Interaction(
        id=iid,
        customer_id=cid,
        at=at,
        kind=InteractionKind.CONNECT,
        direction=Direction.INBOUND,
        channel=Channel.WECOM_CHAT,
        source=source,
        operator_id=user,
    )
    return connect, tags


def contact_from_api(
    payload: Mapping[str, Any],
    *,
    corp_id: str,
    states: Mapping[str, SourceChannel] | None = None,
    tag_groups: Mapping[str, TagGroup] | None = None,
    customer_id: CustomerIdFor | None = None,
) -> WecomContact:
    """Read ``externalcontact/get`` JSON (or one ``batch/get_by_user`` entry) into a contact.

    ``name`` → ``display_name``; ``external_userid`` → ``contacts.wecom_external_id`` and the
    first ``remark_mobiles`` → ``contacts.phone`` (secrets); each ``follow_user``'s ``tags`` →
    tags (``group_name`` through ``tag_groups``, else custom); each ``createtime``/``add_way``/
    ``state`` → a CONNECT by that staff member; the earliest gives ``connected_at`` and ``source``.

    Examples
    --------
    >>> c = contact_from_api({"external_contact": {"external_userid": "woAJ2G", "name": "李四",
    ...     "type": 1, "gender": 1, "unionid": "ozynqs"}, "follow_user": [{"userid": "rocky",
    ...     "createtime": 1525779812, "add_way": 10, "remark_mobiles": ["13800000001"],
    ...     "tags": [{"group_name": "兴趣", "tag_name": "咖啡", "type": 1}]}]},
    ...     corp_id="corp", tag_groups={"兴趣": "interest"})
    >>> [str(t) for t in c.customer.tags], c.customer.source.value, c.connects[0].operator_id
    (['interest:咖啡'], 'wechat_channels', 'rocky')
    >>> "13800000001" in repr(c.customer) or "ozynqs" in repr(c)
    False
    """
    contact = _obj(payload.get("external_contact"), "external_contact")
    ext = str(contact.get("external_userid", ""))
    if not ext:
        raise ValidationError("external_contact.external_userid", "", "is required")
    cid = (customer_id or (lambda e: wecom_customer_id(e, corp_id)))(ext)
    follows = payload.get("follow_user", payload.get("follow_info", []))
    follows = [follows] if isinstance(follows, Mapping) else list(follows)
    connects, tags, phones = [], [], []
    for follow in follows:
        connect, found = _follow(
            _obj(follow, "follow_user"), ext, cid, corp_id=corp_id, states=states, groups=tag_groups
        )
        tags += found
        phones += [str(p) for p in follow.get("remark_mobiles", []) if p]
        if connect is not None:
            connects.append(connect)
    connects.sort(key=lambda i: (i.at, i.id))
    first = connects[0] if connects else None
    unionid = contact.get("unionid")
    customer = Customer(
        id=cid,
        display_name=str(contact["name"]) if contact.get("name") else None,
        connected_at=first.at if first else None,
        source=first.source if first else None,
        tags=tuple(tags),
        contacts=Contacts.model_validate(
            {"wecom_external_id": ext, "phone": phones[0] if phones else None}
        ),
    )
    return WecomContact(
        customer,
        tuple(connects),
        int(contact.get("type", 0)),
        int(contact.get("gender", 0)),
        SecretStr(str(unionid)) if unionid else None,
    )


def contacts_from_batch(
    payload: Mapping[str, Any],
    *,
    corp_id: str,
    states: Mapping[str, SourceChannel] | None = None,
    tag_groups: Mapping[str, TagGroup] | None = None,
    customer_id: CustomerIdFor | None = None,
) -> tuple[WecomContact, ...]:
    """Read ``batch/get_by_user`` JSON: one contact per entry of ``external_contact_list``.

    Entries for the same customer (several staff) are merged: tags and CONNECTs of all of them.
    The options are those of :func:`contact_from_api`.
    """
    merged: dict[str, dict[str, Any]] = {}
    for raw in payload.get("external_contact_list", []):
        entry = _obj(raw, "external_contact_list")
        contact = _obj(entry.get("external_contact"), "external_contact")
        key = str(contact.get("external_userid", ""))
        slot = merged.setdefault(key, {"external_contact": contact, "follow_user": []})
        slot["follow_user"].append(entry.get("follow_info", {}))
    found = [
        contact_from_api(
            p, corp_id=corp_id, states=states, tag_groups=tag_groups, customer_id=customer_id
        )
        for p in merged.values()
    ]
    return tuple(sorted(found, key=lambda c: c.customer.id))


def group_from_api(
    payload: Mapping[str, Any], *, corp_id: str, customer_id: CustomerIdFor | None = None
) -> WecomGroup:
    """Read ``groupchat/get`` JSON: the group, and a CONNECT (channel customer group) per customer.

    Members of ``type`` 2 are customers; staff (``type`` 1) are counted but make no interaction.

    Examples
    --------
    >>> g = group_from_api({"group_chat": {"chat_id": "wrOgQh", "name": "销售客服群",
    ...     "owner": "ZhuShengBen", "create_time": 1572505490, "member_list": [
    ...     {"userid": "abel", "type": 1, "join_time": 1572505491, "join_scene": 1},
    ...     {"userid": "wmOgQh", "type": 2, "join_time": 1572505491, "join_scene": 1}]}},
    ...     corp_id="corp")
    >>> g, g.connects[0].group_id
    (WecomGroup(wrOgQh, 2 members), 'wrOgQh')
    """
    chat = _obj(payload.get("group_chat"), "group_chat")
    chat_id = str(chat.get("chat_id", ""))
    to_id = customer_id or (lambda e: wecom_customer_id(e, corp_id))
    members = [_obj(m, "member_list") for m in chat.get("member_list", [])]
    connects = []
    for m in members:
        at = _when(m.get("join_time"))
        if m.get("type") == 2 and at is not None:
            ext = str(m["userid"])
            connects.append(
                Interaction(
                    id=interaction_id(corp_id, "groupchat", chat_id, str(m["join_time"]), ext),
                    customer_id=to_id(ext),
                    at=at,
                    kind=InteractionKind.CONNECT,
                    direction=Direction.INBOUND,
                    channel=Channel.CUSTOMER_GROUP,
                    source=SourceChannel.OTHER,
                    group_id=chat_id,
                )
            )
    return WecomGroup(
        chat_id,
        str(chat.get("name", "")),
        str(chat.get("owner", "")),
        _when(chat.get("create_time")),
        len(members),
        tuple(sorted(connects, key=lambda i: i.id)),
    )
