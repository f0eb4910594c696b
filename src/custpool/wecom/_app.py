"""The receiver: a small Starlette app a CRM mounts to take WeCom's callbacks."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from custpool import CallbackError, Interaction, SourceChannel
from custpool.wecom._crypto import WecomCrypto
from custpool.wecom._events import CustomerIdFor, WecomEvent, parse_event
from custpool.wecom._guard import MAX_BODY, ReplayGuard, check_size, check_timestamp
from custpool.wecom._xml import read_xml

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = ["asgi_app"]

_log = logging.getLogger("custpool.wecom")
Sink = Callable[[Sequence[Interaction]], object]
_TOO_LARGE = 413
_REFUSED = 400
_SINK_FAILED = 500
_IN_FLIGHT = 409
INF = float("inf")


async def _body(request: Request, limit: int) -> bytes:
    """Read the body, refusing it as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit():
        check_size(int(declared), limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        check_size(size, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _refused(error: CallbackError) -> PlainTextResponse:
    _log.warning("refused a WeCom callback: %s (%s)", error.reason, error)
    status = _TOO_LARGE if error.reason == "too_large" else _REFUSED
    return PlainTextResponse(f"refused: {error.reason}", status_code=status)


def _query(request: Request) -> tuple[str, str, str]:
    q = request.query_params
    return q.get("msg_signature", ""), q.get("timestamp", ""), q.get("nonce", "")


def _encrypted(outer: Mapping[str, object]) -> str:
    encrypted = outer.get("Encrypt")
    if not isinstance(encrypted, str) or not encrypted:
        raise CallbackError("xml", "Encrypt", "", "is required in the body")
    return encrypted


@dataclass(frozen=True)
class _Receiver:
    """The two endpoints, sharing one app's settings."""

    crypto: WecomCrypto
    sink: Sink
    window: float
    max_body: int
    guard: ReplayGuard
    states: Mapping[str, SourceChannel] | None
    customer_id: CustomerIdFor | None
    on_event: Callable[[WecomEvent], object] | None
    clock: Callable[[], float]

    async def verify(self, request: Request) -> PlainTextResponse:
        """GET: URL verification; answer the decrypted ``echostr``."""
        sig, ts, nonce = _query(request)
        try:
            check_timestamp(ts, self.window, now=self.clock())
            echo = self.crypto.verify_url(sig, ts, nonce, request.query_params.get("echostr", ""))
        except CallbackError as error:
            return _refused(error)
        return PlainTextResponse(echo)

    def _event(self, fields: Mapping[str, object]) -> WecomEvent:
        try:
            return parse_event(
                fields,
                corp_id=self.crypto.receive_id,
                states=self.states,
                customer_id=self.customer_id,
            )
        except CallbackError:
            raise
        except ValueError as error:  # a field WeCom sent breaks a model rule
            rule = f"must make valid interactions ({type(error).__name__})"
            raise CallbackError("xml", "Event", fields.get("Event", ""), rule) from None

    async def receive(self, request: Request) -> PlainTextResponse:
        """POST: check, decrypt, parse, hand to the sink, then ``success``."""
        sig, ts, nonce = _query(request)
        try:
            body = await _body(request, self.max_body)
            check_timestamp(ts, self.window, now=self.clock())
            encrypted = _encrypted(read_xml(body.decode("utf-8", "replace"), limit=self.max_body))
            self.crypto.check_signature(sig, ts, nonce, encrypted)
            if self.guard.seen(sig):  # a retry of, or a replay of, an accepted callback
                return PlainTextResponse("success")
            event = self._event(read_xml(self.crypto.decrypt(encrypted)))
        except CallbackError as error:
            return _refused(error)
        if not self.guard.claim(sig):  # the same callback is being handled right now
            return PlainTextResponse("in progress", status_code=_IN_FLIGHT)
        done = False
        try:
            if not event.known:
                _log.warning("unknown WeCom event: %s", event.note)
            if self.on_event is not None:
                self.on_event(event)
            if event.interactions:
                await run_in_threadpool(self.sink, event.interactions)
            done = True
        except Exception:  # noqa: BLE001 - any failure must become WeCom's retry
            _log.exception("the sink failed; WeCom will retry this callback")
            return PlainTextResponse("sink failed", status_code=_SINK_FAILED)
        finally:
            self.guard.release(sig, done=done)
        return PlainTextResponse("success")


def asgi_app(  # noqa: PLR0913 - the settings of one WeCom app, all keyword-only
    *,
    token: str,
    aes_key: str,
    corp_id: str,
    sink: Sink,
    window: float = 300.0,
    max_body: int = MAX_BODY,
    replay: ReplayGuard | None = None,
    states: Mapping[str, SourceChannel] | None = None,
    customer_id: CustomerIdFor | None = None,
    on_event: Callable[[WecomEvent], object] | None = None,
    path: str = "/",
    clock: Callable[[], float] = time.time,
) -> Starlette:
    """Return an ASGI app answering WeCom's callback URL at ``path``.

    ``GET`` with ``msg_signature``, ``timestamp``, ``nonce``, ``echostr``: URL verification,
    answered with the decrypted echo. ``POST``: the body's size (``max_body``), the timestamp's
    age (within ``window`` seconds of ``clock()``, Unix seconds), the signature and the replay
    cache are checked, the message decrypted (its receive id must be ``corp_id``), read with a
    hardened XML parser and turned into interactions (:func:`parse_event`, with ``states`` and
    ``customer_id``), which go to ``sink`` in one call (in a worker thread); then ``success``.

    Answers: 400 ``refused: <reason>`` for a refused callback (nothing parsed, the sink
    untouched), 413 for an oversized body, 500 when the sink raises (no ``success``, so WeCom
    retries; the signature is not remembered, so the retry is processed), 409 ``in progress``
    for a second delivery of a callback still being handled (WeCom retries it later). A replay
    of a signature already accepted gets ``success`` and is not processed again (WeCom retries
    a callback it got no answer to in 5 seconds). The replay cache (``replay``, by default
    remembering ``2 × window`` seconds) lives in this process: run one worker process per
    receiver, or share deduplication downstream (the interaction ids are stable). Every event,
    known or not, goes to ``on_event``; unknown events are also logged as warnings on the
    ``custpool.wecom`` logger.

    Examples
    --------
    >>> import asyncio, httpx
    >>> landed = []
    >>> app = asgi_app(token="QDG6eK", aes_key="jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
    ...                corp_id="wx5823bf96d3bd56c7", sink=landed.extend,
    ...                clock=lambda: 1409659600)  # Tencent's sample is from 2014
    >>> echostr = ("P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RP"
    ...            "cs8TgAE7OaBO+FZXvnaqQ==")
    >>> query = {"msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
    ...          "timestamp": "1409659589", "nonce": "263014780", "echostr": echostr}
    >>> async def get():
    ...     transport = httpx.ASGITransport(app=app)
    ...     async with httpx.AsyncClient(transport=transport, base_url="http://crm") as client:
    ...         return (await client.get("/", params=query)).text
    >>> asyncio.run(get())
    '1616140317555161061'
    """
    seconds: object = window  # checked at run time whatever the annotation says
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 < seconds < INF:
        raise CallbackError("config", "window", window, "must be a positive number of seconds")
    receiver = _Receiver(
        WecomCrypto(token, aes_key, corp_id),
        sink,
        window,
        max_body,
        replay if replay is not None else ReplayGuard(ttl=2 * window),
        states,
        customer_id,
        on_event,
        clock,
    )
    return Starlette(
        routes=[
            Route(path, receiver.verify, methods=["GET"]),
            Route(path, receiver.receive, methods=["POST"]),
        ]
    )
