"""Fuzzing the loaders: valid files, corrupted by Hypothesis, must keep the loaders' promises.

Each example writes a small valid pool (customers whose contact handles are generated, and their
interactions) as JSON Lines or CSV with the handles revealed, corrupts the bytes one or a few
ways — byte flips, truncation, injected quotes, separators and line breaks, other encodings,
huge fields, numeric and placeholder dates, odd amounts — and reads them back with every loader
(``read_jsonl``, ``read_csv``, ``read_events``, with the right model and a wrong one). On every
example:

- only custpool errors escape, and a non-strict load raises nothing;
- rows read = accepted + rejected, and rows read equals an independent count of the file's rows
  wherever one is well defined (every JSON line; CSV without quotes or carriage returns);
- rejections come in file order, with lines inside the file;
- no generated contact handle appears in any output: results, reprs, summaries, rejections,
  problem values, exception messages, arguments or attributes.

The number of inputs tried is the sum of the tests' ``max_examples`` (see ``EXAMPLES``).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custpool import (
    Contacts,
    Customer,
    CustpoolError,
    Interaction,
    read_csv,
    read_events,
    read_jsonl,
    write_csv,
    write_jsonl,
)

if TYPE_CHECKING:
    from collections.abc import Callable

EXAMPLES = 300
"""Examples per test; the suite tries ``EXAMPLES`` × the number of tests (6) inputs."""

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


# -- a valid pool with generated contact handles ---------------------------------------------


@dataclass(frozen=True)
class Pool:
    customers: bytes
    interactions: bytes
    handles: tuple[str, ...]


def _handles(digits: str, letters: str) -> Contacts:
    return Contacts(
        phone=f"139{digits}",
        wechat_id=f"wxid_{letters}{digits[:4]}",
        wecom_external_id=f"wmS{digits}{letters}",
    )


@st.composite
def pools(draw: st.DrawFn, fmt: str) -> Pool:
    n = draw(st.integers(1, 4))
    digits = draw(st.lists(st.text("0123456789", min_size=8, max_size=8), min_size=n, max_size=n))
    letters = draw(
        st.lists(st.text("qwertyuiopasdfghjkl", min_size=6, max_size=6), min_size=n, max_size=n)
    )
    customers = [
        Customer(
            id=f"c-{k}",
            display_name=draw(st.sampled_from(["王芳", "Li Wei", "=HYPERLINK(1)", "a,b", 'q"x'])),
            connected_at=T0 + timedelta(days=k),
            tags=draw(st.sampled_from([[], ["vip"], ["interest:咖啡", "vip"]])),
            contacts=_handles(digits[k], letters[k]),
        )
        for k in range(n)
    ]
    interactions = []
    for k in range(n):
        day = T0 + timedelta(days=k)
        interactions.append(
            Interaction.model_validate(
                {
                    "id": f"i-{k}-c",
                    "customer_id": f"c-{k}",
                    "at": day,
                    "kind": "connect",
                    "direction": "inbound",
                    "channel": "wecom_chat",
                    "source": "store",
                }
            )
        )
        interactions.append(
            Interaction.model_validate(
                {
                    "id": f"i-{k}-p",
                    "customer_id": f"c-{k}",
                    "at": day + timedelta(hours=3),
                    "kind": "purchase",
                    "channel": "store",
                    "order_id": f"o-{k}",
                    "amount": {"amount": "10.00", "currency": "CNY"},
                }
            )
        )
    write = write_jsonl if fmt == "jsonl" else write_csv
    out_c, out_i = io.BytesIO(), io.BytesIO()
    write(out_c, customers, reveal_secrets=True)
    write(out_i, interactions, reveal_secrets=True)
    handles = tuple(
        h.get_secret_value()
        for c in customers
        for h in (c.contacts.phone, c.contacts.wechat_id, c.contacts.wecom_external_id)
        if h is not None
    )
    return Pool(out_c.getvalue(), out_i.getvalue(), handles)


# -- corruptions -----------------------------------------------------------------------------

_INJECTED = (b'"', b",", b"\n", b"\r", b"\r\n", b"\x00", b"{", b"}", b"\\", b'""', b'\n"', b"\xff")
_DATES = (
    b"20260301",
    b"1772359200",
    b"-1",
    b"0001-01-01T00:00:00Z",
    b"0001-01-01T00:00:00+14:00",
    b"9999-12-31T23:59:59Z",
    b"0000-00-00 00:00:00",
    b"1970-01-01",
    b"2026-02-30T00:00:00Z",
)
_AMOUNTS = (b"1e308", b"NaN", b"\xef\xbc\x91\xef\xbc\x90", b"1_000", b"-10.00", b"0", b"9" * 30)


@st.composite
def corrupt(draw: st.DrawFn, data: bytes) -> bytes:
    """Apply one to three corruptions to ``data``."""
    for _ in range(draw(st.integers(1, 3))):
        how = draw(
            st.sampled_from(
                [
                    "flip",
                    "truncate",
                    "inject",
                    "drop_line",
                    "repeat_line",
                    "encode",
                    "huge",
                    "date",
                    "amount",
                ]
            )
        )
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if how == "flip" and data:
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
        elif how == "truncate":
            data = data[:at]
        elif how == "inject":
            data = data[:at] + draw(st.sampled_from(_INJECTED)) + data[at:]
        elif how in {"drop_line", "repeat_line"}:
            lines = data.split(b"\n")
            k = draw(st.integers(0, len(lines) - 1))
            lines[k : k + 1] = [] if how == "drop_line" else [lines[k], lines[k]]
            data = b"\n".join(lines)
        elif how == "encode":
            codec = draw(st.sampled_from(["gbk", "utf-16", "latin-1", "utf-8-sig"]))
            data = data.decode("utf-8", "replace").encode(codec, "replace")
        elif how == "huge":
            size = draw(st.sampled_from([70_000, 140_000]))
            filler = draw(st.sampled_from([b"a", b",", b'"', b"1"]))
            data = data[:at] + filler * size + data[at:]
        elif how == "date":
            data = _replace_one(data, b"2026-03-0", draw(st.sampled_from(_DATES)), 20)
        elif how == "amount":
            data = _replace_one(data, b"10.00", draw(st.sampled_from(_AMOUNTS)), 5)
    return data


def _replace_one(data: bytes, marker: bytes, new: bytes, width: int) -> bytes:
    """Replace the first ``width`` bytes starting at ``marker`` with ``new`` (if found)."""
    at = data.find(marker)
    return data if at < 0 else data[:at] + new + data[at + width :]


# -- the promises ------------------------------------------------------------------------------


def _texts(value: object) -> list[str]:
    """Every text a user could see of a load result or an error."""
    texts = [repr(value), str(value)]
    for name in ("summary",):
        method = getattr(value, name, None)
        if callable(method):
            texts.append(str(method()))
    for rejection in getattr(value, "rejections", ()):
        texts += [str(rejection), repr(rejection)]
        texts += [f"{p.field} {p.value} {p.rule}" for p in rejection.problems]
    if isinstance(value, BaseException):
        texts += [repr(value.args), repr(getattr(value, "__dict__", {}))]
        texts += [repr(getattr(value, name, "")) for name in ("field", "value", "rule", "shown")]
        if value.__cause__ is not None:
            texts += _texts(value.__cause__)
    return texts


def _leaks(texts: list[str], handles: tuple[str, ...]) -> list[str]:
    """Pieces of seven characters of any handle found in the texts.

    Only pieces with at least three different characters count: ``0aaaaaa`` could come from a
    fuzzed time padded with an injected run of ``a``, not from a handle.
    """
    found = []
    for handle in handles:
        pieces = {handle[k : k + 7] for k in range(len(handle) - 6)}
        pieces = {piece for piece in pieces if len(set(piece)) >= 3}
        found += [p for p in pieces if any(p in text for text in texts)]
    return found


def _physical_lines(data: bytes) -> list[bytes]:
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if lines and lines[0].startswith(b"\xef\xbb\xbf"):
        lines[0] = lines[0][3:]
    return lines


def _header(data: bytes) -> bytes:
    return data.split(b"\n", 1)[0]


def _csv_blank(line: bytes) -> bool:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(cell.strip() for cell in text.split(","))


def _load(read: Callable[[], Any], handles: tuple[str, ...]) -> Any | None:
    """Run a non-strict load: check the counts, the order and the texts of what it returns.

    A custpool error may say that the whole file is unreadable (it must not leak either); any
    other exception fails the test by escaping.
    """
    try:
        result = read()
    except CustpoolError as error:
        texts = _texts(error)
        result = None
    else:
        texts = _texts(result)
        assert result.rows_read == result.rows_accepted + result.rows_rejected
        lines = [r.line for r in result.rejections]
        assert lines == sorted(lines)
        assert all(line >= 1 for line in lines)
    leaked = _leaks(texts, handles)
    assert not leaked, leaked
    return result


def _check_jsonl(data: bytes, handles: tuple[str, ...]) -> None:
    rows = sum(1 for line in _physical_lines(data) if line.strip())
    for model in (Customer, Interaction):
        result = _load(lambda m=model: read_jsonl(io.BytesIO(data), m), handles)
        assert result is None or result.rows_read == rows
    events = _load(lambda: read_events(io.BytesIO(data), format="jsonl"), handles)
    assert events is None or events.rows_read == rows


def _check_csv(data: bytes, handles: tuple[str, ...], written_header: bytes) -> None:
    lines = _physical_lines(data)
    header = next((k for k, line in enumerate(lines) if not _csv_blank(line)), len(lines))
    body = lines[header + 1 :]  # blank lines before the header are skipped
    countable = b'"' not in data and b"\r" not in data
    rows = sum(1 for line in body if not _csv_blank(line))
    # The documented limit (docs/loading.md, "Secrets"): a handle in the wrong column is not
    # known as one. A damaged header shifts every column, so the handles are checked only while
    # the header reads as it was written.
    watched = handles if header < len(lines) and lines[header] == written_header else ()
    results = [
        _load(lambda m=model: read_csv(io.BytesIO(data), m), watched)
        for model in (Customer, Interaction)
    ]
    results.append(_load(lambda: read_events(io.BytesIO(data), format="csv"), watched))
    # Any of \n, \r\n or a bare \r may end a line (the file's first break decides).
    physical = len([line for line in re.split(rb"\r\n|\r|\n", data) if line])
    for result in results:
        if result is not None and countable:
            assert result.rows_read == rows
        if result is not None:
            assert result.rows_read <= physical


# -- the tests -------------------------------------------------------------------------------


@FUZZ
@given(st.data())
def test_fuzzed_customer_jsonl_keeps_the_promises(data):
    pool = data.draw(pools("jsonl"))
    _check_jsonl(data.draw(corrupt(pool.customers)), pool.handles)


@FUZZ
@given(st.data())
def test_fuzzed_interaction_jsonl_keeps_the_promises(data):
    pool = data.draw(pools("jsonl"))
    _check_jsonl(data.draw(corrupt(pool.interactions)), pool.handles)


@FUZZ
@given(st.data())
def test_fuzzed_customer_csv_keeps_the_promises(data):
    pool = data.draw(pools("csv"))
    _check_csv(data.draw(corrupt(pool.customers)), pool.handles, _header(pool.customers))


@FUZZ
@given(st.data())
def test_fuzzed_interaction_csv_keeps_the_promises(data):
    pool = data.draw(pools("csv"))
    _check_csv(data.draw(corrupt(pool.interactions)), pool.handles, _header(pool.interactions))


@FUZZ
@given(st.data())
def test_fuzzed_mixed_jsonl_keeps_the_promises(data):
    pool = data.draw(pools("jsonl"))
    _check_jsonl(data.draw(corrupt(pool.customers + pool.interactions)), pool.handles)


@FUZZ
@given(st.data())
def test_fuzzed_strict_loads_raise_only_custpool_errors(data):
    pool = data.draw(pools(data.draw(st.sampled_from(["jsonl", "csv"]))))
    raw = data.draw(corrupt(pool.customers))
    fmt = "jsonl" if raw.lstrip().startswith(b"{") else "csv"
    read = read_jsonl if fmt == "jsonl" else read_csv
    for call in (
        lambda: read(io.BytesIO(raw), Customer, strict=True),
        lambda: read_events(io.BytesIO(raw), format=fmt, strict=True),
    ):
        try:
            texts = _texts(call())
        except CustpoolError as error:
            texts = _texts(error)
        assert not _leaks(texts, pool.handles), texts
