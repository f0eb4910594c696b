"""JSON Lines: one record per line, as ``to_json`` writes it.

Reading validates each line on its own, so one bad line costs one row; see
:mod:`custpool._io.loading` for what the result holds and how rows are counted.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from custpool._io.loading import (
    ROW,
    Collector,
    Dest,
    LoadResult,
    M,
    Problem,
    RawLine,
    Record,
    Source,
    check_flag,
    check_limit,
    check_model,
    check_records,
    holds_secrets,
    open_dest,
    open_source,
    read_lines,
    show_key,
    show_row,
    utf8_problem,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["read_jsonl", "write_jsonl", "collect_jsonl", "line_data"]

_JSON_TYPES: Final = {
    list: "an array",
    str: "a string",
    int: "a number",
    Decimal: "a number",
    bool: "true or false",
    type(None): "null",
}


class _RowError(ValueError):
    """A JSON text that parses but is not acceptable (repeated key, NaN)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        repeated = next(k for k, n in Counter(k for k, _ in pairs).items() if n > 1)
        shown = show_key(repeated)  # a key may be data too (a phone number): shown if a name
        msg = (
            f"key {repeated!r} appears more than once in an object; keys must be unique"
            if shown == repeated
            else f"key {shown} appears more than once in an object; keys must be unique"
        )
        raise _RowError(msg)
    return data


def _no_constant(name: str) -> Any:  # noqa: ANN401 - json's parse_constant hook signature
    msg = f"{name} is not a JSON number; write the value as a string or leave it out"
    raise _RowError(msg)


def _parse(text: str) -> object:
    """Parse one line; numbers with a fraction become Decimals, so money stays exact."""
    return json.loads(
        text, parse_float=Decimal, parse_constant=_no_constant, object_pairs_hook=_unique_keys
    )


def _row_data(raw: bytes, *, secret: bool) -> dict[str, Any] | Problem:
    """Turn one line's bytes into a JSON object, or say why not."""
    if bad := utf8_problem(raw, ROW, secret=False):  # a few invalid bytes, not a handle
        return bad
    text = raw.decode("utf-8").rstrip("\r\n")
    try:
        value = _parse(text)
    except json.JSONDecodeError as exc:
        rule = f"invalid JSON: {exc.msg} (column {exc.colno})"
    except _RowError as exc:
        rule = str(exc)
    except (ValueError, RecursionError) as exc:  # an integer too long, nesting too deep
        rule = f"invalid JSON: {exc}"
    else:
        if isinstance(value, dict):
            return value
        rule = f"must be a JSON object {{...}}, not {_JSON_TYPES.get(type(value), 'a value')}"
    return Problem(ROW, show_row(text, secret=secret), rule)


def line_data(line: RawLine, limit: int, *, secret: bool) -> dict[str, Any] | Problem | None:
    """Return one line's JSON object, the problem that refuses it, or None for a blank line."""
    if line.data is None:
        rule = f"line is {line.size} bytes, longer than max_line_bytes={limit}"
        return Problem(ROW, f"<{line.size} bytes>", rule)
    if not line.data.strip():
        return None
    return _row_data(line.data, secret=secret)


def read_jsonl(
    source: Source,
    model: type[M],
    *,
    strict: bool = False,
    max_line_bytes: int = 1_048_576,
) -> LoadResult[M]:
    r"""Read customers, interactions or pool activities from JSON Lines.

    Each non-blank line is one row: a JSON object as :meth:`~custpool.Customer.to_json` writes
    it. Blank lines are skipped and not counted; a UTF-8 byte-order mark at the start is ignored.
    A row is rejected, with its line number, when it is not valid UTF-8, is longer than
    ``max_line_bytes`` (it is then not parsed), is not valid JSON (a truncated last line
    included), is not a JSON object, repeats a key, fails the model's validation (every problem
    is listed) or repeats the id of an earlier row with different content. A row that repeats an
    earlier one exactly is accepted, dropped and counted.

    Rejections never show a contact handle: values under ``contacts``, or under any key named
    like a contact field (``phone``, ``mobile``, ``wechat``, ``unionid``, ``email`` …, in any
    case and at any depth), are masked; the value of an unknown key is never shown, nor is the
    text of a row that cannot be parsed (only its length: the line, and the column for invalid
    JSON, say where to look).

    Parameters
    ----------
    source
        A path, or a file object opened in binary mode (``open(path, "rb")``, ``io.BytesIO``).
    model
        :class:`~custpool.Customer`, :class:`~custpool.Interaction` or
        :class:`~custpool.PoolActivity`: what every row is.
    strict
        Raise :class:`~custpool.LoadError` at the first rejected row instead of collecting.
    max_line_bytes
        Longest line read, in bytes without the line break.

    Returns
    -------
    LoadResult
        The records in file order, the rejections and the counts.

    Raises
    ------
    custpool.WrongTypeError
        If ``model``, ``source``, ``strict`` or ``max_line_bytes`` has the wrong type (a text
        stream is the wrong type of source).
    custpool.ValidationError
        If ``max_line_bytes`` is below 1.
    custpool.LoadError
        In strict mode, for the first rejected row.

    Examples
    --------
    >>> import io
    >>> from custpool import Customer
    >>> data = b'{"id": "c-1", "tags": ["vip"]}\n\n{"id": "c 2"}\n{"tags": ["VIP"], "id": "c-1"}'
    >>> result = read_jsonl(io.BytesIO(data), Customer)
    >>> [c.id for c in result.records], result.rows_read, result.duplicates_dropped
    (['c-1'], 3, 1)
    >>> print(result.rejections[0])  # doctest: +ELLIPSIS
    line 3: id='c 2': an id must be 1-128 characters with no white space ...
    """
    return collect_jsonl(source, model, strict=strict, max_line_bytes=max_line_bytes).result()


def collect_jsonl(
    source: Source, model: type[M], *, strict: bool, max_line_bytes: int
) -> Collector[M]:
    """Read JSON Lines into a :class:`Collector` (which also knows each record's line)."""
    check_model(model)
    check_limit("max_line_bytes", max_line_bytes)
    check_flag("strict", strict)
    secret = holds_secrets(model)
    with open_source(source) as (stream, name):
        rows = Collector(model, source=name, strict=strict)
        for line in read_lines(stream, max_line_bytes):
            data = line_data(line, max_line_bytes, secret=secret)
            if isinstance(data, Problem):
                rows.reject(line.number, [data])
            elif data is not None:
                rows.add(line.number, data)
    return rows


def write_jsonl(dest: Dest, records: Iterable[Record], *, reveal_secrets: bool = False) -> int:
    r"""Write records as JSON Lines: one object per line, UTF-8, in the order given.

    Contact handles are masked unless ``reveal_secrets`` is true, and a masked handle cannot be
    read back (the model refuses the mask, so masked output never replaces real handles). Pass
    ``reveal_secrets=True`` when writing for storage; the default suits logs and sharing.

    Parameters
    ----------
    dest
        A path (created or overwritten), or a text or binary file object (left open).
    records
        Customers, interactions or pool activities, all of one type.
    reveal_secrets
        Write contact handles in clear text.

    Returns
    -------
    int
        The number of rows written.

    Raises
    ------
    custpool.WrongTypeError
        If the records are not all of one of the three types, ``dest`` is not a path or a file
        object, or ``reveal_secrets`` is not True or False (so ``"no"`` never reveals).

    Examples
    --------
    >>> import io, json
    >>> from custpool import Customer
    >>> out = io.StringIO()
    >>> write_jsonl(out, [Customer(id="c-1", contacts={"phone": "13800138000"})])
    1
    >>> json.loads(out.getvalue())["contacts"]
    {'phone': '**********', 'wechat_id': None, 'wecom_external_id': None}
    """
    check_flag("reveal_secrets", reveal_secrets)
    rows = check_records(records)
    with open_dest(dest) as out:
        for record in rows:
            out.write(record.to_json(reveal_secrets=reveal_secrets) + "\n")
    return len(rows)
