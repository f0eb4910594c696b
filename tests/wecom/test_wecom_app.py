"""The receiver, in process (httpx's ASGI transport): every refusal leaves the sink untouched."""

import asyncio
import logging
import time

import httpx
import pytest
from test_wecom_guard_xml import BILLION_LAUGHS, EXTERNAL_ENTITY
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
    contact_xml,
    envelope,
    event_xml,
    signed_post,
)

from custpool.wecom import WecomCrypto, asgi_app


class Sink:
    def __init__(self, fail=False):
        self.calls, self.fail = [], fail

    def __call__(self, items):
        if self.fail:
            raise OSError("disk full")
        self.calls.append(tuple(items))


def app_with(sink, **options):
    return asgi_app(token=TOKEN, aes_key=AES_KEY, corp_id=CORP_ID, sink=sink, **options)


def call(app, method, url, body=""):
    async def go():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://crm") as client:
            return await client.request(method, url, content=body.encode())

    return asyncio.run(go())


def test_url_verification_with_tencents_sample():
    app = app_with(Sink(), window=10**10)  # the sample timestamp is from 2014
    query = {"msg_signature": SIGNATURE, "timestamp": TIMESTAMP, "nonce": NONCE, "echostr": ECHOSTR}
    response = asyncio.run(_get(app, query))  # httpx escapes the + and / of the echostr
    assert (response.status_code, response.text) == (200, ECHO)


async def _get(app, params):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://crm") as client:
        return await client.get("/", params=params)


def test_url_verification_with_the_sample_is_stale_today():
    response = asyncio.run(
        _get(
            app_with(Sink()),
            {
                "msg_signature": SIGNATURE,
                "timestamp": TIMESTAMP,
                "nonce": NONCE,
                "echostr": ECHOSTR,
            },
        )
    )
    assert (response.status_code, response.text) == (400, "refused: stale")


def test_a_valid_callback_reaches_the_sink_and_gets_success():
    sink = Sink()
    response = call(app_with(sink), "POST", *signed_post(contact_xml("add_external_contact")))
    assert (response.status_code, response.text) == (200, "success")
    ((item,),) = sink.calls
    assert (item.kind.value, item.operator_id) == ("connect", "zhangsan")


def _tampered_signature():
    url, body = signed_post(contact_xml("add_external_contact"))
    return url.replace("msg_signature=", "msg_signature=0"), body


def _wrong_corp():
    return signed_post(
        contact_xml("add_external_contact"), crypto=WecomCrypto(TOKEN, AES_KEY, "wwOTHER")
    )


def _stale():
    return signed_post(contact_xml("add_external_contact"), timestamp=str(int(time.time()) - 301))


def _signed_raw(encrypted):
    ts, nonce = str(int(time.time())), "42"
    return (
        f"/?msg_signature={CRYPTO.sign(ts, nonce, encrypted)}&timestamp={ts}&nonce={nonce}",
        envelope(encrypted),
    )


def _bad_padding():
    import base64  # noqa: PLC0415

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes  # noqa: PLC0415

    key = base64.b64decode(AES_KEY + "=")
    enc = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return _signed_raw(base64.b64encode(enc.update(bytes(64)) + enc.finalize()).decode())


def _bomb(text):
    return lambda: _signed_raw(CRYPTO.encrypt(text))


REFUSALS = {
    "tampered signature": (_tampered_signature, 400, "signature"),
    "wrong corp": (_wrong_corp, 400, "corp_id"),
    "stale timestamp": (_stale, 400, "stale"),
    "bad padding": (_bad_padding, 400, "padding"),
    "bad base64": (lambda: _signed_raw("!!not base64!!"), 400, "base64"),
    "oversized body": (
        lambda: ("/?timestamp=1", "<xml>" + "x" * 70_000 + "</xml>"),
        413,
        "too_large",
    ),
    "billion laughs": (_bomb(BILLION_LAUGHS), 400, "xml"),
    "external entity": (_bomb(EXTERNAL_ENTITY), 400, "xml"),
    "envelope bomb": (lambda: ("/?timestamp=" + str(int(time.time())), BILLION_LAUGHS), 400, "xml"),
    "no Encrypt": (
        lambda: ("/?timestamp=" + str(int(time.time())), "<xml><A>1</A></xml>"),
        400,
        "xml",
    ),
}


@pytest.mark.parametrize("name", list(REFUSALS))
def test_each_refusal_gives_its_reason_and_leaves_the_sink_untouched(name, caplog):
    make, status, reason = REFUSALS[name]
    sink = Sink()
    with caplog.at_level(logging.WARNING, "custpool.wecom"):
        response = call(app_with(sink), "POST", *make())
    assert (response.status_code, response.text) == (status, f"refused: {reason}")
    assert sink.calls == []
    assert reason in caplog.text
    assert AES_KEY not in caplog.text
    assert TOKEN not in caplog.text


def test_a_replay_is_not_processed_again():
    sink = Sink()
    app = app_with(sink)
    request = signed_post(contact_xml("del_follow_user"))
    first, again = call(app, "POST", *request), call(app, "POST", *request)
    assert (first.text, again.text) == ("success", "success")
    assert len(sink.calls) == 1


def test_a_failing_sink_gets_a_500_and_the_retry_is_processed():
    failing = Sink(fail=True)
    app = app_with(failing)
    request = signed_post(contact_xml("del_follow_user"))
    assert call(app, "POST", *request).status_code == 500
    failing.fail = False
    response = call(app, "POST", *request)  # WeCom's retry, the same request
    assert (response.status_code, response.text) == (200, "success")
    assert len(failing.calls) == 1


def test_unknown_events_are_reported_and_answered_success(caplog):
    seen = []
    sink = Sink()
    with caplog.at_level(logging.WARNING, "custpool.wecom"):
        response = call(
            app_with(sink, on_event=seen.append),
            "POST",
            *signed_post(event_xml("change_external_thing", "<ChangeType>x</ChangeType>")),
        )
    assert response.text == "success"
    assert [e.known for e in seen] == [False]
    assert "unknown Event 'change_external_thing'" in caplog.text
    assert sink.calls == []  # nothing to write


def test_an_app_with_a_bad_key_is_refused_at_once():
    from custpool import CallbackError  # noqa: PLC0415

    with pytest.raises(CallbackError, match="43-character"):
        asgi_app(token=TOKEN, aes_key="short", corp_id=CORP_ID, sink=Sink())


def test_a_second_delivery_while_the_first_is_in_the_sink_is_not_processed():
    """Review finding: three identical posts at once reached the sink three times."""
    import threading  # noqa: PLC0415

    entered, release = threading.Event(), threading.Event()
    calls = []

    def slow_sink(items):
        calls.append(tuple(items))
        entered.set()
        release.wait(5)

    app = app_with(slow_sink)
    request = signed_post(contact_xml("del_follow_user"))

    async def both():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://crm") as client:
            query, body = request
            first = asyncio.create_task(client.post(query, content=body))
            await asyncio.to_thread(entered.wait, 5)
            second = await client.post(query, content=body)
            release.set()
            return await first, second

    first, second = asyncio.run(both())
    assert (first.status_code, first.text) == (200, "success")
    assert (second.status_code, second.text) == (409, "in progress")  # WeCom retries it later
    assert len(calls) == 1


@pytest.mark.parametrize("window", [0, -1, float("nan"), float("inf"), True, "300"])
def test_a_window_that_is_not_seconds_is_refused(window):
    from custpool import CallbackError  # noqa: PLC0415

    with pytest.raises(CallbackError, match="window"):
        app_with(Sink(), window=window)


def test_a_key_that_decodes_to_31_bytes_is_refused_at_once():
    from custpool import CallbackError  # noqa: PLC0415

    with pytest.raises(CallbackError, match="32 bytes") as caught:
        asgi_app(token=TOKEN, aes_key=AES_KEY[:-1] + "=", corp_id=CORP_ID, sink=Sink())
    assert AES_KEY[:-1] not in str(caught.value)


def test_a_callback_breaking_a_model_rule_is_reported_not_refused(caplog):
    """Refusing it would only make WeCom retry it, then drop it: it is reported instead."""
    seen, sink = [], Sink()
    with caplog.at_level(logging.WARNING, "custpool.wecom"):
        response = call(
            app_with(sink, on_event=seen.append),
            "POST",
            *signed_post(contact_xml("add_external_contact", user="zhang san")),
        )
    assert (response.status_code, response.text) == (200, "success")
    assert [e.known for e in seen] == [False]
    assert "operator_id" in caplog.text
    assert sink.calls == []
