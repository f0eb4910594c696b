"""Benchmark the WeCom receiver end to end: uvicorn on 127.0.0.1, concurrent httpx clients.

Prints one ``name=value`` line per figure. The load is the e2e test's (tests/wecom/wecom_load.py,
put on ``sys.path`` here): signed, encrypted ``change_external_contact`` callbacks with 5%
duplicates (half the very same request, half the same event signed anew) and 2% tampered
signatures, posted by ``--clients`` clients to a receiver writing a JSONL sink (fsync per
callback). The clients and the server share this one process, so the figure is a floor.

    python benchmarks/bench_wecom.py              # 10,000 callbacks, 8 clients
    python benchmarks/bench_wecom.py --quick      # 2,000 callbacks

Figures: ``callbacks_per_s`` (all answers, the refused included), ``landed`` (interactions in
the sink, which must equal ``expected``), ``refused`` (which must equal ``tampered``).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from _common import peak_rss_mib, say, say_machine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "wecom"))
from wecom_load import AES_KEY, CORP_ID, TOKEN, make_load, post_all, serve

from custpool.wecom import JsonlSink, asgi_app


def main() -> None:
    """Run the load once and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 callbacks instead of 10,000")
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    n = 2_000 if args.quick else 10_000
    logging.getLogger("custpool.wecom").setLevel(logging.ERROR)  # the refusals are expected
    say_machine()
    load = make_load(n)
    kinds = Counter(what for _, _, what in load.requests)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wecom.jsonl"
        app = asgi_app(token=TOKEN, aes_key=AES_KEY, corp_id=CORP_ID, sink=JsonlSink(path))
        with serve(app) as base:
            start = time.perf_counter()
            answers = post_all(base, load.requests, clients=args.clients)
            seconds = time.perf_counter() - start
        landed = [json.loads(line)["id"] for line in path.read_text().splitlines()]
    say("callbacks", n)
    say("clients", args.clients)
    say("duplicates", kinds["duplicate"])
    say("tampered", kinds["tampered"])
    say("seconds", seconds)
    say("callbacks_per_s", n / seconds)
    say("expected", len(load.expected_ids))
    say("landed", len(landed))
    say("landed_exactly_once", len(landed) == len(set(landed)) and set(landed) == load.expected_ids)
    say("refused", sum(1 for _, status, _ in answers if status == 400))
    say("peak_rss_mib", peak_rss_mib())


if __name__ == "__main__":
    main()
