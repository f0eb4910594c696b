"""Soak: read a large interactions file with 1% corrupted rows into an EventTable.

Prints one ``name=value`` line per figure: for JSON Lines and CSV, the rows read, accepted and
rejected (rows read = accepted + rejected is checked), the seconds, rows per second and the
reading process's peak resident memory. Each read runs in a child process, so its peak memory is
its own, not the generator's.

    python benchmarks/bench_soak.py            # 1,000,000 rows per format
    python benchmarks/bench_soak.py --quick    # 100,000 rows per format

Target (issue 13): at least 200,000 rows/s for each format, in bounded memory.

``csv_lines`` and ``csv_rows_read`` differ where a stray quote opens a cell that spans lines:
RFC 4180 lets a quoted cell hold line breaks, so the lines up to the next quote are one record,
rejected as one row that names its lines.

The corrupted rows are of the kinds real exports carry: a truncated line, a placeholder date
(0001-01-01), a number where a time belongs, an unknown kind, a negative amount on a purchase,
an unterminated quote (CSV) and invalid UTF-8.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

_CHILD = """
import resource, sys, time
from custpool import read_events
path, fmt = sys.argv[1], sys.argv[2]
start = time.perf_counter()
load = read_events(path, format=fmt)
seconds = time.perf_counter() - start
assert load.rows_read == load.rows_accepted + load.rows_rejected
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(load.rows_read, load.rows_accepted, load.rows_rejected, seconds, peak)
"""

_CSV_HEADER = "id,customer_id,at,kind,direction,channel,source,order_id,amount,currency\n"
_BAD_JSONL = (
    '{"id":"i-{k}","customer_id":"c-1","at":"2026-03-0',
    (
        '{"id":"i-{k}","customer_id":"c-1","at":"0001-01-01T00:00:00Z","kind":"message",'
        '"direction":"inbound","channel":"wecom_chat"}'
    ),
    (
        '{"id":"i-{k}","customer_id":"c-1","at":20260301,"kind":"message",'
        '"direction":"inbound","channel":"wecom_chat"}'
    ),
    (
        '{"id":"i-{k}","customer_id":"c-1","at":"2026-03-01T10:00:00Z","kind":"gift",'
        '"direction":"inbound","channel":"wecom_chat"}'
    ),
    (
        '{"id":"i-{k}","customer_id":"c-1","at":"2026-03-01T10:00:00Z","kind":"purchase",'
        '"channel":"store","order_id":"o-{k}","amount":{"amount":"-5","currency":"CNY"}}'
    ),
)
_BAD_CSV = (
    "i-{k},c-1,2026-03-0",
    "i-{k},c-1,0001-01-01T00:00:00Z,message,inbound,wecom_chat,,,,",
    "i-{k},c-1,20260301,message,inbound,wecom_chat,,,,",
    "i-{k},c-1,2026-03-01T10:00:00Z,gift,inbound,wecom_chat,,,,",
    "i-{k},c-1,2026-03-01T10:00:00Z,purchase,inbound,store,,o-{k},-5,CNY",
    'i-{k},c-1,2026-03-01T10:00:00Z,message,inbound,"wecom_chat,,,,',
)


def _time(k: int) -> str:
    day, second = divmod(k, 86_400)
    hour, rest = divmod(second, 3600)
    month, date = 1 + day // 28 % 12, 1 + day % 28
    return f"2026-{month:02d}-{date:02d}T{hour:02d}:{rest // 60:02d}:{rest % 60:02d}Z"


def _good_jsonl(k: int, customers: int) -> str:
    cid = f"c-{k % customers}"
    if k < customers:
        return json.dumps(
            {
                "id": f"i-{k}",
                "customer_id": cid,
                "at": "2026-01-01T00:00:00Z",
                "kind": "connect",
                "direction": "inbound",
                "channel": "wecom_chat",
                "source": "store",
            }
        )
    if k % 7 == 0:
        return json.dumps(
            {
                "id": f"i-{k}",
                "customer_id": cid,
                "at": _time(k),
                "kind": "purchase",
                "channel": "store",
                "order_id": f"o-{k}",
                "amount": {"amount": f"{k % 500 + 1}.50", "currency": "CNY"},
            }
        )
    return json.dumps(
        {
            "id": f"i-{k}",
            "customer_id": cid,
            "at": _time(k),
            "kind": "message",
            "direction": "inbound",
            "channel": "wecom_chat",
        }
    )


def _good_csv(k: int, customers: int) -> str:
    cid = f"c-{k % customers}"
    if k < customers:
        return f"i-{k},{cid},2026-01-01T00:00:00Z,connect,inbound,wecom_chat,store,,,"
    if k % 7 == 0:
        return f"i-{k},{cid},{_time(k)},purchase,inbound,store,,o-{k},{k % 500 + 1}.50,CNY"
    return f"i-{k},{cid},{_time(k)},message,inbound,wecom_chat,,,,"


def write_files(folder: Path, rows: int) -> dict[str, Path]:
    """Write the JSONL and CSV files, streaming: one row in a hundred is corrupted."""
    customers = max(rows // 10, 1)
    paths = {"jsonl": folder / "soak.jsonl", "csv": folder / "soak.csv"}
    with (
        paths["jsonl"].open("w", encoding="utf-8") as jl,
        paths["csv"].open("w", encoding="utf-8") as cs,
    ):
        cs.write(_CSV_HEADER)
        for k in range(rows):
            if k >= customers and k % 100 == 50:
                jl.write(_BAD_JSONL[k // 100 % len(_BAD_JSONL)].replace("{k}", str(k)) + "\n")
                cs.write(_BAD_CSV[k // 100 % len(_BAD_CSV)].replace("{k}", str(k)) + "\n")
            else:
                jl.write(_good_jsonl(k, customers) + "\n")
                cs.write(_good_csv(k, customers) + "\n")
    with paths["jsonl"].open("ab") as jl_bytes:  # one line of invalid UTF-8
        jl_bytes.write(b'{"id":"i-x","customer_id":"c-1","at":"2026-03-01T10:00:00Z"\xff}\n')
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="100,000 rows")
    args = parser.parse_args(argv)
    rows = 100_000 if args.quick else args.rows
    print(f"python={platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_files(Path(tmp), rows)
        for fmt, path in paths.items():
            child = subprocess.run(  # noqa: S603 - our own interpreter and script
                [sys.executable, "-c", _CHILD, str(path), fmt],
                capture_output=True,
                text=True,
                check=False,
            )
            print(f"{fmt}_file_bytes={path.stat().st_size}")
            if child.returncode:  # a load that raises is a finding, not a crash of the benchmark
                print(f"{fmt}_error={child.stderr.strip().splitlines()[-1]}")
                continue
            out = child.stdout.split()
            read, accepted, rejected = (int(v) for v in out[:3])
            seconds, peak = float(out[3]), int(out[4])
            with path.open("rb") as lines:
                print(f"{fmt}_lines={sum(1 for _ in lines)}")
            print(f"{fmt}_rows_read={read}")
            print(f"{fmt}_rows_accepted={accepted}")
            print(f"{fmt}_rows_rejected={rejected}")
            print(f"{fmt}_seconds={seconds:.2f}")
            print(f"{fmt}_rows_per_second={read / seconds:.0f}")
            print(f"{fmt}_peak_rss_mib={peak / 2**20:.1f}")


if __name__ == "__main__":
    main()
