import base64
import struct

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given
from hypothesis import strategies as st
from wecom_helpers import (
    AES_KEY,
    CORP_ID,
    CRYPTO,
    ECHO,
    ECHOSTR,
    NONCE,
    SIGNATURE,
    TIMESTAMP,
    TOKEN,
)

from custpool import CallbackError
from custpool.wecom import WecomCrypto, signature


def test_tencents_sample_signature():
    assert signature(TOKEN, TIMESTAMP, NONCE, ECHOSTR) == SIGNATURE


def test_tencents_sample_url_verification_decrypts_the_echo():
    assert CRYPTO.verify_url(SIGNATURE, TIMESTAMP, NONCE, ECHOSTR) == ECHO


def test_the_signature_sorts_its_four_parts_whatever_their_order():
    assert signature(ECHOSTR, NONCE, TIMESTAMP, TOKEN) == SIGNATURE


@given(st.text(max_size=2000), st.binary(min_size=16, max_size=16))
def test_encrypt_then_decrypt_gives_the_message_back(message, prefix):
    encrypted = CRYPTO.encrypt(message, random=prefix)
    assert len(base64.b64decode(encrypted)) % 32 == 0  # PKCS#7 to 32-byte blocks
    assert CRYPTO.decrypt(encrypted) == message


@given(st.text(min_size=1, max_size=200), st.text(alphabet="0123456789", min_size=1, max_size=10))
def test_a_signed_message_verifies_and_a_changed_one_does_not(message, nonce):
    encrypted = CRYPTO.encrypt(message)
    CRYPTO.check_signature(CRYPTO.sign(TIMESTAMP, nonce, encrypted), TIMESTAMP, nonce, encrypted)
    with pytest.raises(CallbackError) as caught:
        CRYPTO.check_signature(
            CRYPTO.sign(TIMESTAMP, nonce, encrypted), TIMESTAMP, nonce + "1", encrypted
        )
    assert caught.value.reason == "signature"


def test_a_tampered_signature_is_refused_naming_the_field():
    with pytest.raises(CallbackError) as caught:
        CRYPTO.verify_url("0" * 40, TIMESTAMP, NONCE, ECHOSTR)
    assert caught.value.reason == "signature"
    assert caught.value.field == "msg_signature"


def test_another_corps_message_is_refused():
    other = WecomCrypto(TOKEN, AES_KEY, "wwOTHERCORP")
    with pytest.raises(CallbackError) as caught:
        CRYPTO.decrypt(other.encrypt("<xml/>"))
    assert caught.value.reason == "corp_id"
    assert "wwOTHERCORP" in str(caught.value)


@pytest.mark.parametrize("text", ["not base64!!", "QUJD\n", "abc"])
def test_bad_base64_is_refused(text):
    with pytest.raises(CallbackError) as caught:
        CRYPTO.decrypt(text)
    assert caught.value.reason == "base64"


def _raw_encrypt(body: bytes) -> str:
    key = base64.b64decode(AES_KEY + "=")
    enc = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(enc.update(body) + enc.finalize()).decode()


@pytest.mark.parametrize(
    "tail",
    [
        bytes([0]) * 32,  # a pad byte of 0 is not PKCS#7
        bytes([33]) * 32,  # larger than a 32-byte block
        bytes([5]) * 31 + bytes([4]),  # says 4, but the 4 bytes are not all 4
    ],
)
def test_bad_padding_is_refused(tail):
    body = bytes(16) + struct.pack(">I", 2) + b"hi" + CORP_ID.encode()
    body += bytes(-len(body) % 32)  # fill to a block, then a wrong padding block
    with pytest.raises(CallbackError) as caught:
        CRYPTO.decrypt(_raw_encrypt(body + tail))
    assert caught.value.reason == "padding"


def test_a_length_past_the_end_is_refused():
    body = bytes(16) + struct.pack(">I", 999) + b"hi" + CORP_ID.encode()
    pad = 32 - len(body) % 32
    with pytest.raises(CallbackError) as caught:
        CRYPTO.decrypt(_raw_encrypt(body + bytes([pad]) * pad))
    assert caught.value.reason == "padding"


def test_a_partial_block_is_refused():
    with pytest.raises(CallbackError) as caught:
        CRYPTO.decrypt(base64.b64encode(b"x" * 20).decode())
    assert caught.value.reason == "padding"


def test_secrets_never_show():
    assert TOKEN not in repr(CRYPTO)
    assert AES_KEY not in repr(CRYPTO)
    with pytest.raises(CallbackError) as caught:
        WecomCrypto(TOKEN, AES_KEY[:-1], CORP_ID)
    assert caught.value.reason == "config"
    assert AES_KEY[:-1] not in str(caught.value)
    assert AES_KEY[:-1] not in repr(vars(caught.value))


def test_a_passive_reply_decrypts_and_verifies():
    reply = CRYPTO.reply("<xml><Content>hi</Content></xml>", TIMESTAMP, NONCE)
    encrypted = reply.split("<Encrypt><![CDATA[")[1].split("]]>")[0]
    sig = reply.split("<MsgSignature><![CDATA[")[1].split("]]>")[0]
    CRYPTO.check_signature(sig, TIMESTAMP, NONCE, encrypted)
    assert CRYPTO.decrypt(encrypted) == "<xml><Content>hi</Content></xml>"
