"""Benchmark read_csv on hostile files: growth with an open quote, memory on a huge line.

Prints one ``name=value`` line per figure:

- ``open_quote_<N>_lines_s``: seconds to read a customer file whose second line opens a quoted
  cell that never closes, followed by ``N`` short lines (issue 13: the old reader took 16 s for
  100,000 lines, 71 s for 200,000). The reader cuts the open record once it is longer than any
  valid row (~166,000 such lines) and reads the lines after it as rows, each rejected, which
  costs more per line than skipping;
- ``reopening_quote_<N>_lines_s``: the same with lines that close the quoted cell and open the
  next, so that every line is skipped the same way: the growth here shows the reader is linear
  (the ``_per_line_us`` figures should stay flat);
- ``valid_<N>_rows_s``: seconds for ``N`` ordinary rows, for comparison (most of it is
  validation);
- ``<case>_peak_rss_mb``: peak resident memory of a fresh process reading a file with one huge
  line (``line``: ``--big-mb`` MB of ``x``; ``commas``: half that many MB of commas), next to
  ``baseline_peak_rss_mb``, the same process reading a two-row file. The file is generated as it
  is read, so only the reader's memory counts.

    python benchmarks/bench_csv_hostile.py                 # 100k, 200k, 400k lines; 210 MB line
    python benchmarks/bench_csv_hostile.py --quick         # 25k, 50k, 100k lines; 21 MB line

Seconds are noisy on a shared machine; compare the figures of one run with each other.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import time
from pathlib import Path

from custpool import Customer, read_csv

HEADER = b"id,display_name,connected_at,source,tags\n"


class Generated(io.RawIOBase):
    """``head``, then ``fill`` repeated ``size`` times, then ``tail``; made as it is read."""

    def __init__(self, head: bytes, fill: bytes, size: int, tail: bytes) -> None:
        whole, rest = divmod(size, 1 << 16)
        block = fill * (1 << 16)
        self._parts = iter([head, *(block for _ in range(whole)), fill * rest, tail])
        self._buffer = b""

    def readable(self) -> bool:
        """Say the stream can be read."""
        return True

    def readline(self, size: int | None = -1) -> bytes:
        """Return the next line, or ``size`` bytes of it."""
        limit = -1 if size is None else size
        pieces, length = [self._buffer], len(self._buffer)
        newline = b"\n" in self._buffer
        while not newline and (limit < 0 or length < limit):
            more = next(self._parts, b"")
            if not more:
                break
            pieces.append(more)
            length += len(more)
            newline = b"\n" in more
        buffer = b"".join(pieces)
        end = buffer.find(b"\n") + 1 or len(buffer)
        if limit >= 0:
            end = min(end, limit)
        line, self._buffer = buffer[:end], buffer[end:]
        return line


def seconds(content: bytes) -> float:
    """Return the seconds read_csv takes on ``content``."""
    start = time.perf_counter()
    result = read_csv(io.BytesIO(content), Customer)
    elapsed = time.perf_counter() - start
    assert result.rows_read == result.rows_accepted + result.rows_rejected  # noqa: S101
    return elapsed


def child(case: str, megabytes: int) -> None:
    """Read one generated file and print this process's peak RSS in MB (run in a subprocess)."""
    size = megabytes * 1_000_000
    head = HEADER + b"c-1,,,,\nc-2,"
    streams = {
        "baseline": Generated(HEADER, b"", 0, b"c-1,,,,\nc-2,,,,\n"),
        "line": Generated(head, b"x", size, b"\nc-4,,,,\n"),
        "commas": Generated(head, b",", size // 2, b"\nc-4,,,,\n"),
    }
    result = read_csv(streams[case], Customer)
    assert result.rows_read == result.rows_accepted + result.rows_rejected  # noqa: S101
    # VmHWM, not getrusage: ru_maxrss is inherited from the parent across fork and exec.
    status = Path("/proc/self/status").read_text(encoding="ascii").splitlines()
    peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    print(peak_kb / 1024)


def peak_rss_mb(case: str, megabytes: int) -> float:
    """Run :func:`child` in a fresh process; return its peak RSS in MB."""
    out = subprocess.run(  # noqa: S603 - our own script, our own arguments
        [sys.executable, __file__, "--child", case, "--big-mb", str(megabytes)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.strip())


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller files")
    parser.add_argument("--lines", type=int, nargs="*", help="open-quote sizes, in lines")
    parser.add_argument("--big-mb", type=int, help="size of the huge line, in MB")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    big = args.big_mb or (21 if args.quick else 210)
    if args.child:
        child(args.child, big)
        return
    sizes = args.lines or ([25_000, 50_000, 100_000] if args.quick else [100_000, 200_000, 400_000])
    for name, line in (("open_quote", b"abcde\n"), ("reopening_quote", b'a","b\n')):
        for n in sizes:
            took = seconds(HEADER + b'c-1,"open\n' + line * n)
            print(f"{name}_{n}_lines_s={took:.3f}")
            print(f"{name}_{n}_lines_per_line_us={took / n * 1e6:.2f}")
    n = sizes[0]
    rows = b"".join(b"c-%d,Li Wei,2026-03-01T12:00:00Z,store,vip\n" % i for i in range(n))
    print(f"valid_{n}_rows_s={seconds(HEADER + rows):.3f}")
    print(f"baseline_peak_rss_mb={peak_rss_mb('baseline', big):.1f}")
    print(f"line_{big}mb_peak_rss_mb={peak_rss_mb('line', big):.1f}")
    print(f"commas_{big // 2}mb_peak_rss_mb={peak_rss_mb('commas', big):.1f}")


if __name__ == "__main__":
    main()
