"""Customers and their contact handles (held as secrets)."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from functools import partial
from typing import Annotated, Any, Final, Self

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    Secret,
    SecretBytes,
    SecretStr,
    SerializationInfo,
    field_serializer,
    model_validator,
)

from custpool._base import REVEAL_SECRETS, FrozenModel
from custpool._errors import ValidationError, WrongTypeError
from custpool._fields import Identifier, ShortText, UtcDatetime
from custpool._model.channels import SourceChannel
from custpool._model.tags import Tag, Tags

__all__ = ["MASK", "Contacts", "Customer", "conceal", "conceal_customer", "pseudonymise_id"]

MASK: Final = "**********"
"""What a secret looks like in output that was not asked to reveal it."""

_MIN_PHONE_DIGITS: Final = 5
_PATTERNS: Final = {
    "phone": (
        re.compile(r"\+?[0-9][0-9 ()-]{3,22}[0-9]"),
        "a phone number: at least 5 digits, optional leading +, spaces, dashes or brackets",
    ),
    "wechat_id": (
        re.compile(r"[A-Za-z][A-Za-z0-9_-]{5,19}"),
        "a WeChat id: 6-20 letters, digits, _ or -, starting with a letter",
    ),
    "wecom_external_id": (
        re.compile(r"[A-Za-z0-9_-]{6,64}"),
        "a WeCom external_userid: 6-64 letters, digits, _ or -",
    ),
}

# How a handle stays out of error messages, nested validation included. pydantic shows the input
# of the validator that failed (``input_value=…`` and ``errors()[i]["input"]``), and a model's
# ``hide_input_in_errors`` only counts when that model is the outermost one: inside
# ``TypeAdapter(list[Customer])``, a FastAPI body or a user's model, it is ignored. So every raw
# handle is wrapped as a secret *before* anything can fail on it: the before-validators of
# ``Contacts``, ``Customer`` and ``Pool`` conceal what they hold (values under unknown keys too,
# whose names may be ``mobile`` or ``email``), and only then are the handles checked. Every
# error pydantic reports then holds ``SecretStr('**********')`` where the handle was.
_SECRET_TYPES: Final = (SecretStr, SecretBytes, Secret)


def conceal(value: object) -> object:
    """Wrap a raw value as a secret (``SecretStr`` for text), so no error or repr can show it.

    Examples
    --------
    >>> conceal("13800138000")
    SecretStr('**********')
    >>> conceal(13800138000), conceal(None)
    (Secret('**********'), None)
    """
    if value is None or isinstance(value, _SECRET_TYPES):
        return value
    if isinstance(value, str):
        return SecretStr(value)
    return Secret(value)


def _conceal_all(data: object) -> object:
    """Conceal every value of a contacts mapping, or the whole input when it is not one."""
    if isinstance(data, Mapping):
        return {key: conceal(value) for key, value in data.items()}
    return data if isinstance(data, Contacts) else conceal(data)


_PLAIN_CUSTOMER_KEYS: Final = frozenset({"id", "display_name", "connected_at", "source", "tags"})


def conceal_customer(data: object) -> object:
    """Conceal the handles in a customer's raw input, and the values of keys it does not have.

    A mapping keeps its known fields, with ``contacts`` concealed value by value; a value under
    an unknown key (``phone`` put beside ``id``) is concealed; any other input (a bare phone
    number where a customer belongs) is concealed whole.

    Examples
    --------
    >>> conceal_customer({"id": "c-1", "mobile": "13800138000", "contacts": {"phone": "1380"}})
    {'id': 'c-1', 'mobile': SecretStr('**********'), 'contacts': {'phone': SecretStr('**********')}}
    """
    if not isinstance(data, Mapping):
        return data if isinstance(data, Customer) else conceal(data)
    if _PLAIN_CUSTOMER_KEYS.issuperset(data):  # nothing to conceal: the common case, fast
        return data
    fields = Customer.model_fields
    return {
        key: (
            _conceal_all(value)
            if key == "contacts"
            else value
            if isinstance(key, str) and key in fields
            else conceal(value)
        )
        for key, value in data.items()
    }


def _decoded(raw: bytes | bytearray) -> str | None:
    try:
        return bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _check_handle(name: str, value: object) -> object:
    """Check a concealed handle against the rule for ``name``; return its trimmed text.

    Runs after ``Contacts`` concealed its input, so whatever it raises, pydantic shows the value
    as a secret. The messages name the rule, never the value.
    """
    raw = value.get_secret_value() if isinstance(value, _SECRET_TYPES) else value
    if raw is None:
        return None
    if isinstance(raw, bytes | bytearray):  # pydantic reads UTF-8 bytes as text
        raw = _decoded(raw)
    if not isinstance(raw, str):
        # Outside the except clause that found it, so no exception chain holds the value.
        raise ValueError("must be text (value not shown: it is a secret)")  # noqa: TRY004
    text = raw.strip()
    if text == MASK:
        msg = (
            "is masked ('**********'): this data was written without reveal_secrets=True "
            "and the real handle is not in it"
        )
        raise ValueError(msg)
    pattern, rule = _PATTERNS[name]
    too_few_digits = name == "phone" and sum(ch.isdigit() for ch in text) < _MIN_PHONE_DIGITS
    if not pattern.fullmatch(text) or too_few_digits:
        # The value is a secret: the message names the rule, never the value.
        msg = f"must be {rule} (value not shown: it is a secret)"
        raise ValueError(msg)
    return text


_Phone = Annotated[SecretStr | None, BeforeValidator(partial(_check_handle, "phone"))]
_WechatId = Annotated[SecretStr | None, BeforeValidator(partial(_check_handle, "wechat_id"))]
_WecomExternalId = Annotated[
    SecretStr | None, BeforeValidator(partial(_check_handle, "wecom_external_id"))
]


class Contacts(FrozenModel):
    """Ways to reach a customer. Every handle is a secret.

    Handles never appear in ``repr``, ``str`` or default JSON output (they show as
    ``'**********'``); :meth:`reveal` or ``to_json(reveal_secrets=True)`` shows them. A masked
    value read back is refused, so masked output cannot silently replace real handles.

    Examples
    --------
    >>> c = Contacts(phone="+86 138 0013 8000", wechat_id="coffee_fan")
    >>> c  # doctest: +ELLIPSIS
    Contacts(phone=SecretStr('**********'), wechat_id=SecretStr('**********'), ...)
    >>> c.to_json()
    '{"phone":"**********","wechat_id":"**********","wecom_external_id":null}'
    >>> c.reveal()
    {'phone': '+86 138 0013 8000', 'wechat_id': 'coffee_fan'}
    """

    model_config = FrozenModel.model_config | ConfigDict(hide_input_in_errors=True)

    phone: _Phone = None
    """Phone number (E.164 or local format)."""
    wechat_id: _WechatId = None
    """Personal WeChat id."""
    wecom_external_id: _WecomExternalId = None
    """WeChat Work ``external_userid`` of this customer."""

    @model_validator(mode="before")
    @classmethod
    def _conceal_input(cls, data: Any) -> Any:  # noqa: ANN401 - pydantic hands over raw input
        return _conceal_all(data)

    @field_serializer("phone", "wechat_id", "wecom_external_id", when_used="json")
    def _dump_handle(self, value: SecretStr | None, info: SerializationInfo) -> str | None:
        if value is None:
            return None
        context = info.context if isinstance(info.context, dict) else {}
        # Only True reveals: a context holding "no" or 1 by mistake must not print handles.
        return value.get_secret_value() if context.get(REVEAL_SECRETS) is True else MASK

    def reveal(self) -> dict[str, str]:
        """Return the handles that are set, in clear text. Call only where they may be shown."""
        handles = {
            "phone": self.phone,
            "wechat_id": self.wechat_id,
            "wecom_external_id": self.wecom_external_id,
        }
        return {k: v.get_secret_value() for k, v in handles.items() if v is not None}

    def __bool__(self) -> bool:
        """Return whether any handle is set."""
        return any(h is not None for h in (self.phone, self.wechat_id, self.wecom_external_id))


class Customer(FrozenModel):
    """A member of the pool.

    Parameters
    ----------
    id
        Stable id (1-128 characters, no white space).
    display_name
        Optional name to show; not a secret.
    connected_at
        When the brand first got a way to reach them, if known.
    source
        How they came in (:class:`SourceChannel`).
    tags
        Any iterable of :class:`Tag` or text forms; stored de-duplicated and sorted.
    contacts
        Their handles, as secrets.

    Examples
    --------
    >>> c = Customer(
    ...     id="c-001",
    ...     display_name="Li Wei",
    ...     source="store",
    ...     tags=["interest:咖啡", "VIP"],
    ...     contacts={"phone": "13800138000"},
    ... )
    >>> [str(t) for t in c.tags]
    ['vip', 'interest:咖啡']
    >>> "13800138000" in repr(c) or "13800138000" in c.to_json()
    False
    >>> Customer.from_json(c.to_json(reveal_secrets=True)) == c
    True
    >>> c.with_tags("lifecycle:new").has_tag("lifecycle:new")
    True
    """

    # Errors about contact handles must not echo them. pydantic takes this from the outermost
    # model only, so the handles are also concealed before validation (``conceal_customer``).
    model_config = FrozenModel.model_config | ConfigDict(hide_input_in_errors=True)

    id: Identifier
    """Stable id, unique within a pool."""
    display_name: ShortText | None = None
    """Name to show in reports; not treated as a secret."""
    connected_at: UtcDatetime | None = None
    """When the brand first got a way to reach the customer, if known (UTC)."""
    source: SourceChannel | None = None
    """How the customer came into the pool."""
    tags: Tags = ()
    """Tags, de-duplicated and sorted."""
    contacts: Contacts = Field(default_factory=Contacts)
    """Contact handles, held as secrets."""

    @model_validator(mode="before")
    @classmethod
    def _conceal_input(cls, data: Any) -> Any:  # noqa: ANN401 - pydantic hands over raw input
        return conceal_customer(data)

    def has_tag(self, tag: Tag | str) -> bool:
        """Return whether the customer carries ``tag`` (text forms accepted)."""
        return Tag.model_validate(tag) in self.tags

    def with_tags(self, *tags: Tag | str) -> Self:
        """Return a copy carrying ``tags`` as well."""
        added = tuple(Tag.model_validate(t) for t in tags)
        return self.model_validate(self.model_dump() | {"tags": self.tags + added})

    def without_tags(self, *tags: Tag | str) -> Self:
        """Return a copy without ``tags`` (tags it does not carry are ignored)."""
        removed = {Tag.model_validate(t) for t in tags}
        kept = tuple(t for t in self.tags if t not in removed)
        return self.model_copy(update={"tags": kept})

    def pseudonymised(self, salt: bytes) -> Self:
        """Return a copy safe to share: id pseudonymised, name and contacts removed.

        The same salt maps the same id to the same pseudonym, so histories still join; see
        :func:`pseudonymise_id`.
        """
        return self.model_copy(
            update={
                "id": pseudonymise_id(self.id, salt),
                "display_name": None,
                "contacts": Contacts(),
            },
        )


_MIN_SALT: Final = 16


def pseudonymise_id(customer_id: str, salt: bytes) -> str:
    """Replace an id by a keyed hash: ``"p_"`` + HMAC-SHA256(salt, id) in hex (66 characters).

    The same salt always gives the same pseudonym, so interactions keep joining to customers;
    without the salt the original id cannot be recovered or guessed by hashing candidates.

    Parameters
    ----------
    customer_id
        The id to hide.
    salt
        A secret of at least 16 bytes, kept by the caller (e.g. ``secrets.token_bytes(32)``).

    Returns
    -------
    str
        The pseudonym.

    Raises
    ------
    custpool.WrongTypeError
        If the id is not a string or the salt is not bytes.
    custpool.ValidationError
        If the salt is shorter than 16 bytes, or the id is not valid Unicode text.

    Examples
    --------
    >>> salt = b"0123456789abcdef"
    >>> p = pseudonymise_id("c-001", salt)
    >>> p[:2], len(p), p == pseudonymise_id("c-001", salt)
    ('p_', 66, True)
    >>> pseudonymise_id("c-001", b"short")
    Traceback (most recent call last):
    ...
    custpool.ValidationError: salt=<secret, 5 chars>: must be bytes, at least 16 long; ...
    """
    salt_rule = f"must be bytes, at least {_MIN_SALT} long; use secrets.token_bytes(32)"
    if not isinstance(salt, bytes):
        raise WrongTypeError("salt", salt, salt_rule, secret=True)
    if len(salt) < _MIN_SALT:
        raise ValidationError("salt", salt, salt_rule, secret=True)
    if not isinstance(customer_id, str):
        raise WrongTypeError("customer_id", customer_id, "must be a string id")
    try:
        data = customer_id.encode("utf-8")
    except UnicodeEncodeError:
        data = None
    if data is None:
        rule = "must be valid Unicode text (it holds a lone surrogate)"
        raise ValidationError("customer_id", customer_id, rule)
    digest = hmac.new(salt, data, hashlib.sha256).hexdigest()
    return f"p_{digest}"
