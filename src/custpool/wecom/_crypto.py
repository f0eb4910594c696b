"""WeCom's callback cryptography (加解密方案): the signature, AES-256-CBC and URL verification.

``msg_signature`` is the SHA-1 hex digest of the sorted concatenation of the token, the
timestamp, the nonce and the encrypted text. The encrypted text is base64 of AES-256-CBC with
key = base64-decode(EncodingAESKey + "="), IV = the key's first 16 bytes, PKCS#7 padding to
32-byte blocks, over 16 random bytes + a 4-byte big-endian length + the message + the receive
id (the CorpID, or a suite id).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct
from dataclasses import dataclass, field
from typing import Final

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from custpool import CallbackError

__all__ = ["WecomCrypto", "signature"]

_BLOCK: Final = 32
_KEY_CHARS: Final = 43


def signature(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    """Return WeCom's ``msg_signature``: SHA-1 over the four values sorted and joined.

    Examples
    --------
    >>> echostr = ("P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RP"
    ...            "cs8TgAE7OaBO+FZXvnaqQ==")  # Tencent's sample values
    >>> signature("QDG6eK", "1409659589", "263014780", echostr)
    '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3'
    """
    joined = "".join(sorted((token, timestamp, nonce, encrypted)))
    return hashlib.sha1(joined.encode(), usedforsecurity=False).hexdigest()


def _key(aes_key: str) -> bytes:
    """Decode the 43-character EncodingAESKey into the 32-byte AES key."""
    given: object = aes_key  # checked at run time whatever the annotation says
    if not isinstance(given, str) or len(given) != _KEY_CHARS:
        raise CallbackError(
            "config", "aes_key", aes_key, "must be WeCom's 43-character EncodingAESKey", secret=True
        )
    try:
        key = base64.b64decode(aes_key + "=", validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:  # AES-256
        raise CallbackError(
            "config",
            "aes_key",
            aes_key,
            "must be base64 of 32 bytes (WeCom's EncodingAESKey)",
            secret=True,
        )
    return key


@dataclass(frozen=True, repr=False)
class WecomCrypto:
    """Sign, verify, encrypt and decrypt WeCom callback messages for one app.

    Parameters
    ----------
    token
        The callback Token set in WeCom's admin console.
    aes_key
        The 43-character EncodingAESKey.
    receive_id
        The CorpID (or the suite id of a third-party app) every message must name.

    Examples
    --------
    >>> crypto = WecomCrypto("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
    ...                      "wx5823bf96d3bd56c7")
    >>> crypto.verify_url("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589",
    ...     "263014780", "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RP"
    ...     "cs8TgAE7OaBO+FZXvnaqQ==")
    '1616140317555161061'
    >>> crypto  # the token and key are never shown
    WecomCrypto(receive_id='wx5823bf96d3bd56c7')
    """

    token: str
    aes_key: str
    receive_id: str
    _key: bytes = field(init=False)

    def __post_init__(self) -> None:
        """Check the settings and decode the key."""
        for name in ("token", "receive_id"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value:
                raise CallbackError(
                    "config", name, value, "must be a non-empty string", secret=name == "token"
                )
        object.__setattr__(self, "_key", _key(self.aes_key))

    def __repr__(self) -> str:
        """Show the receive id only: the token and key are secrets."""
        return f"WecomCrypto(receive_id={self.receive_id!r})"

    def check_signature(
        self, msg_signature: str, timestamp: str, nonce: str, encrypted: str
    ) -> None:
        """Raise :class:`custpool.CallbackError` (reason ``signature``) unless it matches."""
        expected = signature(self.token, timestamp, nonce, encrypted)
        if not hmac.compare_digest(expected.encode(), str(msg_signature).encode()):
            raise CallbackError(
                "signature",
                "msg_signature",
                msg_signature,
                "does not match the token, timestamp, nonce and message",
            )

    def decrypt(self, encrypted: str) -> str:
        """Decrypt a message, check its padding, length and receive id; return the text."""
        try:
            data = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError):
            raise CallbackError("base64", "Encrypt", encrypted, "must be base64 text") from None
        if not data or len(data) % 16:
            raise CallbackError(
                "padding", "Encrypt", f"<{len(data)} bytes>", "must be whole AES blocks"
            )
        decryptor = Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16])).decryptor()
        plain = decryptor.update(data) + decryptor.finalize()
        pad = plain[-1]
        if not 1 <= pad <= _BLOCK or plain[-pad:] != bytes([pad]) * pad:
            raise CallbackError(
                "padding",
                "Encrypt",
                f"<pad byte {pad}>",
                "must end in PKCS#7 padding to 32-byte blocks",
            )
        body = plain[16:-pad]
        if len(body) < 4:
            raise CallbackError(
                "padding", "Encrypt", f"<{len(body)} bytes>", "is too short to hold a length"
            )
        (length,) = struct.unpack(">I", body[:4])
        if length > len(body) - 4:
            raise CallbackError(
                "padding", "Encrypt", f"<length {length}>", "is longer than the message"
            )
        message, receive_id = body[4 : 4 + length], body[4 + length :]
        if not hmac.compare_digest(receive_id, self.receive_id.encode()):
            shown = receive_id.decode("utf-8", "replace")
            raise CallbackError(
                "corp_id", "receive_id", shown, f"must be {self.receive_id!r} (this app's CorpID)"
            )
        try:
            return message.decode("utf-8")
        except UnicodeDecodeError:
            raise CallbackError(
                "padding", "Encrypt", f"<{length} bytes>", "must decrypt to UTF-8 text"
            ) from None

    def encrypt(self, message: str, *, random: bytes | None = None) -> str:
        """Encrypt ``message`` for WeCom; ``random`` fixes the 16-byte prefix (tests)."""
        prefix = os.urandom(16) if random is None else random
        if len(prefix) != 16:
            raise CallbackError("config", "random", f"<{len(prefix)} bytes>", "must be 16 bytes")
        raw = message.encode("utf-8")
        body = prefix + struct.pack(">I", len(raw)) + raw + self.receive_id.encode()
        pad = _BLOCK - len(body) % _BLOCK
        body += bytes([pad]) * pad
        encryptor = Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16])).encryptor()
        return base64.b64encode(encryptor.update(body) + encryptor.finalize()).decode("ascii")

    def sign(self, timestamp: str, nonce: str, encrypted: str) -> str:
        """Return the ``msg_signature`` of ``encrypted`` with this app's token."""
        return signature(self.token, timestamp, nonce, encrypted)

    def verify_url(self, msg_signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        """Answer WeCom's URL verification (GET): check, decrypt and return the echo."""
        self.check_signature(msg_signature, timestamp, nonce, echostr)
        return self.decrypt(echostr)

    def reply(self, message: str, timestamp: str, nonce: str) -> str:
        """Return the XML of an encrypted passive reply to ``message``."""
        encrypted = self.encrypt(message)
        sig = self.sign(timestamp, nonce, encrypted)
        return (
            f"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt>"
            f"<MsgSignature><![CDATA[{sig}]]></MsgSignature>"
            f"<TimeStamp>{timestamp}</TimeStamp><Nonce><![CDATA[{nonce}]]></Nonce></xml>"
        )
