"""A load of signed callbacks and a uvicorn server in a thread: shared by the e2e test and the
benchmark (``benchmarks/bench_wecom.py`` puts this folder on ``sys.path``)."""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
import threading
import time
from dataclasses import dataclass

import httpx
import uvicorn
from wecom_helpers import AES_KEY, CORP_ID, TOKEN

from custpool.wecom import WecomCrypto, parse_event, read_xml

__all__ = ["AES_KEY", "CORP_ID", "TOKEN", "Load", "make_load", "post_all", "serve"]

CRYPTO = WecomCrypto(TOKEN, AES_KEY, CORP_ID)


@dataclass(frozen=True)
class Load:
    requests: list[tuple[str, str, str]]  # (query, body, what: valid | duplicate | tampered)
    expected_ids: frozenset[str]


def _xml(k: int, now: int) -> str:
    change = ("add_external_contact", "del_follow_user", "del_external_contact")[k % 3]
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><CreateTime>{now - k}</CreateTime>"
        "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event>"
        f"<ChangeType><![CDATA[{change}]]></ChangeType><UserID><![CDATA[staff{k % 40}]]></UserID>"
        f"<ExternalUserID><![CDATA[wmLoad{k:06d}]]></ExternalUserID>"
        f"<State><![CDATA[store-{k % 7}]]></State></xml>"
    )


def _signed(plain: str, nonce: str, ts: str) -> tuple[str, str]:
    encrypted = CRYPTO.encrypt(plain)
    sig = CRYPTO.sign(ts, nonce, encrypted)
    body = (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>"
        f"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    )
    return f"/?msg_signature={sig}&timestamp={ts}&nonce={nonce}", body


def make_load(n: int, *, duplicates: float = 0.05, tampered: float = 0.02, seed: int = 0) -> Load:
    """``n`` callbacks: unique events, then ``duplicates`` (half the very same request, half the
    same event signed anew, as WeCom's retries are) and ``tampered`` ones, shuffled."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible test load, not cryptography
    now = int(time.time())
    ts = str(now)
    n_dup, n_bad = round(n * duplicates), round(n * tampered)
    n_valid = n - n_dup - n_bad
    plains = [_xml(k, now) for k in range(n_valid)]
    requests = [(*_signed(p, str(k), ts), "valid") for k, p in enumerate(plains)]
    expected = {
        i.id for p in plains for i in parse_event(read_xml(p), corp_id=CORP_ID).interactions
    }
    for j in range(n_dup):
        k = rng.randrange(n_valid)
        again = requests[k][:2] if j % 2 else _signed(plains[k], f"re{j}", ts)
        requests.append((*again, "duplicate"))
    for j in range(n_bad):
        query, body = _signed(plains[rng.randrange(n_valid)], f"bad{j}", ts)
        requests.append((query.replace("msg_signature=", "msg_signature=f", 1), body, "tampered"))
    rng.shuffle(requests)
    return Load(requests, frozenset(expected))


@contextlib.contextmanager
def serve(app: object):
    """Run ``app`` under uvicorn on 127.0.0.1 (a free port) in a thread; yield its base URL."""
    sock = socket.socket()
    # Accepted connections inherit TCP_NODELAY: the server writes a response's head and body
    # apart, and Nagle's algorithm with delayed ACKs would hold each reply back ~40 ms.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def post_all(
    base: str, requests: list[tuple[str, str, str]], clients: int = 8
) -> list[tuple[str, int, str]]:
    """Post every request from ``clients`` concurrent clients; return (what, status, text) each.

    A ``409 in progress`` (the same callback still in another client's request) is posted again
    until it gets its final answer, as WeCom retries it.
    """

    async def run() -> list[tuple[str, int, str]]:
        queue: asyncio.Queue[tuple[str, str, str]] = asyncio.Queue()
        for r in requests:
            queue.put_nowait(r)
        out: list[tuple[str, int, str]] = []

        async def client() -> None:
            # TCP_NODELAY: httpx writes the headers and the body apart, and Nagle's algorithm
            # with delayed ACKs would hold the body back ~40 ms on every request.
            nodelay = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
            transport = httpx.AsyncHTTPTransport(socket_options=nodelay)
            async with httpx.AsyncClient(base_url=base, timeout=30, transport=transport) as http:
                while not queue.empty():
                    query, body, what = queue.get_nowait()
                    response = await http.post(query, content=body.encode())
                    while response.status_code == 409:  # the same callback in flight: as WeCom,
                        await asyncio.sleep(0.01)  # try it again a little later
                        response = await http.post(query, content=body.encode())
                    out.append((what, response.status_code, response.text))

        await asyncio.gather(*(client() for _ in range(clients)))
        return out

    return asyncio.run(run())
