"""End to end: uvicorn on 127.0.0.1, 8 concurrent httpx clients, 5% duplicates, 2% tampered."""

import json
import logging
from collections import Counter

import pytest
from wecom_load import AES_KEY, CORP_ID, TOKEN, make_load, post_all, serve

from custpool.wecom import JsonlSink, asgi_app

# The bounded load: 10,000 callbacks (~25 s here, client and server sharing one process);
# the throughput is printed by benchmarks/bench_wecom.py.
N = 10_000


@pytest.fixture
def receiver(tmp_path):
    path = tmp_path / "wecom.jsonl"
    app = asgi_app(token=TOKEN, aes_key=AES_KEY, corp_id=CORP_ID, sink=JsonlSink(path))
    with serve(app) as base:
        yield base, path


def test_every_valid_event_lands_exactly_once_and_every_tampered_one_is_refused(receiver, caplog):
    base, path = receiver
    caplog.set_level(logging.ERROR, "custpool.wecom")  # the 200 refusals are expected
    load = make_load(N)
    kinds = Counter(what for _, _, what in load.requests)
    # 5% of 10,000 = 500 duplicates, 2% = 200 tampered, 10,000 - 500 - 200 = 9,300 valid
    assert kinds == {"valid": 9300, "duplicate": 500, "tampered": 200}
    answers = post_all(base, load.requests, clients=8)
    assert len(answers) == N
    by_what = Counter((what, status, text) for what, status, text in answers)
    assert by_what == {
        ("valid", 200, "success"): 9300,
        ("duplicate", 200, "success"): 500,
        ("tampered", 400, "refused: signature"): 200,
    }
    ids = [json.loads(line)["id"] for line in path.read_text().splitlines()]
    assert len(ids) == len(set(ids))  # exactly once
    assert set(ids) == load.expected_ids  # every valid event, nothing else
