"""What the command line reads: times, durations, zones, column mappings and the data files.

Every reader returns the library's own load result (rows read = accepted + rejected), and
:func:`report_load` shows its counts on standard error, writes the rejected rows to a CSV file
when asked, and stops with a data error in strict mode.
"""

from __future__ import annotations

import csv
import json
import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
import pydantic

from custpool import (
    Customer,
    EventLoad,
    EventTable,
    LoadResult,
    MissingDependencyError,
    PoolActivity,
    PoolCharter,
    read_csv,
    read_customers,
    read_events,
    read_jsonl,
)
from custpool.cli._output import atomic_writer, progress_bar

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

__all__ = [
    "DataError",
    "ColumnMap",
    "ReadOptions",
    "labelled",
    "latest_time",
    "load_mapping",
    "parse_duration",
    "parse_time",
    "parse_zone",
    "read_activities_file",
    "read_charter_file",
    "read_customers_file",
    "read_events_file",
    "report_load",
]

_LINE_SUFFIXES: Final = (".jsonl", ".ndjson", ".csv")
_FRAME_SUFFIXES: Final = (".parquet", ".pq", ".arrow", ".feather", ".ipc")
_DURATION: Final = re.compile(r"^\s*(\d+)\s*([dwh])\s*$")
_UNITS: Final = {"d": "days", "w": "weeks", "h": "hours"}
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)

ColumnMap = dict[str, str]
"""A column mapping: custpool's field name → the file's column name."""


class DataError(click.ClickException):
    """The data cannot be used: a missing or unreadable file, or rejected rows in strict mode.

    Exits with status 1 (a usage error exits with 2).
    """

    exit_code = 1


def parse_zone(value: str | None) -> tzinfo:
    """Return the IANA zone ``value`` names (UTC when None), or fail as a usage error.

    Examples
    --------
    >>> parse_zone("Asia/Shanghai"), parse_zone(None)
    (zoneinfo.ZoneInfo(key='Asia/Shanghai'), datetime.timezone.utc)
    """
    if value is None:
        return UTC
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(
            f"{value!r}: not an IANA time zone (e.g. Asia/Shanghai, UTC)", param_hint="--tz"
        ) from None


def parse_time(value: str, zone: tzinfo, option: str = "--as-of") -> datetime:
    """Return the ISO 8601 date or time ``value``; one without an offset is read in ``zone``.

    A date is its midnight in ``zone``.

    Examples
    --------
    >>> from zoneinfo import ZoneInfo
    >>> parse_time("2026-04-01", ZoneInfo("Asia/Shanghai")).isoformat()
    '2026-04-01T00:00:00+08:00'
    >>> parse_time("2026-04-01T10:00:00Z", UTC).isoformat()
    '2026-04-01T10:00:00+00:00'
    >>> parse_time("yesterday", UTC)
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: 'yesterday': not an ISO 8601 date or time ...
    """
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r}: not an ISO 8601 date or time (e.g. 2026-04-01 or 2026-04-01T10:00+08:00)",
            param_hint=option,
        ) from None
    return parsed.replace(tzinfo=zone) if parsed.tzinfo is None else parsed


def parse_duration(value: str, option: str = "--window") -> timedelta:
    """Return a duration written as a whole number of days, weeks or hours: ``30d``, ``4w``.

    Examples
    --------
    >>> parse_duration("30d"), parse_duration("2w"), parse_duration("12h")
    (datetime.timedelta(days=30), datetime.timedelta(days=14), datetime.timedelta(seconds=43200))
    >>> parse_duration("0d")
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: '0d': must be a positive number of days, weeks or hours ...
    """
    match = _DURATION.match(value)
    if match is None or int(match.group(1)) == 0:
        raise click.BadParameter(
            f"{value!r}: must be a positive number of days, weeks or hours (30d, 4w, 12h)",
            param_hint=option,
        )
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def latest_time(table: EventTable) -> datetime:
    """Return the time of the table's latest event (UTC): the default ``as_of`` of a report."""
    return _EPOCH + timedelta(microseconds=int(table.time.max()))


def load_mapping(path: Path | None, pairs: Sequence[str]) -> tuple[ColumnMap, ColumnMap]:
    """Return the event and customer column mappings of a TOML or JSON file and ``--column``.

    The file maps custpool's field names to the file's columns, at the top level (events) or
    in ``[events]`` and ``[customers]`` tables. Each ``--column field=column`` adds to (or
    overrides) the events mapping.

    Examples
    --------
    >>> load_mapping(None, ["at=order_time", "amount=amount_yuan"])
    ({'at': 'order_time', 'amount': 'amount_yuan'}, {})
    >>> load_mapping(None, ["at"])
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: 'at': must be field=column, e.g. at=order_time
    """
    events: ColumnMap = {}
    customers: ColumnMap = {}
    if path is not None:
        data = _read_mapping_file(path)
        for key, value in data.items():
            if key in ("events", "customers") and isinstance(value, dict):
                target = events if key == "events" else customers
                target.update(_columns(value, f"{path.name} [{key}]"))
            else:
                events.update(_columns({key: value}, path.name))
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise click.BadParameter(
                f"{pair!r}: must be field=column, e.g. at=order_time", param_hint="--column"
            )
        events[field.strip()] = column.strip()
    return events, customers


def _read_mapping_file(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise click.BadParameter(f"{path}: {error.strerror}", param_hint="--columns") from None
    try:
        data = json.loads(raw) if path.suffix.lower() == ".json" else tomllib.loads(raw.decode())
    except (ValueError, UnicodeDecodeError) as error:
        kind = "JSON" if path.suffix.lower() == ".json" else "TOML"
        raise click.BadParameter(
            f"{path}: not a {kind} mapping file ({error})", param_hint="--columns"
        ) from None
    if not isinstance(data, dict):
        raise click.BadParameter(
            f"{path}: must hold a table of field = column", param_hint="--columns"
        )
    return data


def _columns(table: Mapping[str, object], where: str) -> ColumnMap:
    for field, column in table.items():
        if not isinstance(column, str) or not column:
            raise click.BadParameter(
                f"{where}: {field} = {column!r}: the column must be a non-empty string",
                param_hint="--columns",
            )
    return {field: str(column) for field, column in table.items()}


def _existing(path: Path, what: str) -> Path:
    if not path.is_file():
        reason = "is a folder, not a file" if path.is_dir() else "no such file"
        raise DataError(f"{what} {path}: {reason}")
    return path


def _arrow_file(path: Path) -> object:
    """Read a CSV or JSON Lines file into a pyarrow table, to map its columns."""
    try:
        import pyarrow.csv as pa_csv  # noqa: PLC0415 - optional: to map a text file's columns
        import pyarrow.json as pa_json  # noqa: PLC0415
    except ImportError as error:
        raise MissingDependencyError("pyarrow", "frames") from error
    try:
        if path.suffix.lower() == ".csv":
            return pa_csv.read_csv(path)
        return pa_json.read_json(path)
    except (OSError, ValueError) as error:  # pyarrow.ArrowInvalid is a ValueError
        raise DataError(f"{path}: cannot be read as a table: {error}") from None


@dataclass(frozen=True)
class ReadOptions:
    """How the event file is read: column mapping and the constants ``read_events`` takes."""

    columns: ColumnMap
    kind: str | None = None
    currency: str | None = None
    timezone: str | None = None
    direction: str | None = None
    channel: str | None = None

    @property
    def maps(self) -> bool:
        """Whether anything beyond the currency needs the frame reader."""
        return bool(self.columns) or any(
            v is not None for v in (self.kind, self.timezone, self.direction, self.channel)
        )


def read_events_file(path: Path, options: ReadOptions, customers: Sequence[str] = ()) -> EventLoad:
    """Read an events file (JSON Lines, CSV, Parquet, Arrow) with every bad row rejected.

    A CSV or JSON Lines file with a column mapping (or ``--kind``, ``--timezone``…) is read by
    ``read_events`` as a table of text columns (the ``frames`` extra), like a frame.
    """
    _existing(path, "events file")
    source: object = path
    kwargs: dict[str, Any] = {"currency": options.currency, "customers": customers}
    if options.maps:
        kwargs |= {
            "columns": options.columns or None,
            "kind": options.kind,
            "timezone": options.timezone,
            "direction": options.direction,
            "channel": options.channel,
        }
    try:
        with progress_bar(f"reading {path.name}") as progress:
            load = read_events(source, progress=progress, **kwargs)
    except OSError as error:
        raise DataError(f"events file {path}: {error.strerror or error}") from None
    return load


def read_customers_file(
    path: Path, columns: ColumnMap, timezone: str | None
) -> LoadResult[Customer]:
    """Read customers: custpool's JSON Lines or CSV format, or a mapped CSV/Parquet/Arrow file."""
    _existing(path, "customers file")
    suffix = path.suffix.lower()
    if suffix in _FRAME_SUFFIXES or columns or timezone is not None:
        frame = _arrow_file(path) if suffix in _LINE_SUFFIXES else _read_arrow(path)
        return read_customers(frame, columns=columns or None, timezone=timezone)
    if suffix == ".csv":
        return read_csv(path, Customer)
    return read_jsonl(path, Customer)


def _read_arrow(path: Path) -> object:
    try:
        import pyarrow.parquet as pq  # noqa: PLC0415
        from pyarrow import feather  # noqa: PLC0415 - optional: Parquet and Arrow customers
    except ImportError as error:
        raise MissingDependencyError("pyarrow", "frames") from error
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            return pq.read_table(path)
        return feather.read_table(path)
    except (OSError, ValueError) as error:
        raise DataError(f"{path}: cannot be read as a table: {error}") from None


def read_activities_file(path: Path) -> LoadResult[PoolActivity]:
    """Read the pool's activities (content published, events held) from JSON Lines or CSV."""
    _existing(path, "activities file")
    if path.suffix.lower() == ".csv":
        return read_csv(path, PoolActivity)
    return read_jsonl(path, PoolActivity)


def read_charter_file(path: Path) -> PoolCharter:
    """Read the pool's charter from a JSON or TOML file (the fields of ``PoolCharter``)."""
    _existing(path, "charter file")
    try:
        raw = path.read_bytes()
        data = json.loads(raw) if path.suffix.lower() == ".json" else tomllib.loads(raw.decode())
    except (ValueError, UnicodeDecodeError) as error:
        raise DataError(f"charter file {path}: not JSON or TOML ({error})") from None
    try:
        return PoolCharter.model_validate(data)
    except pydantic.ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "<charter>"
        raise DataError(
            f"charter file {path}: {where}={first.get('input')!r}: {first['msg']} "
            f"({error.error_count()} problem(s))"
        ) from None


def report_load(
    label: str,
    load: EventLoad | LoadResult[Any],
    *,
    rejects: Path | None = None,
    strict: bool = False,
    show: bool = True,
) -> None:
    """Show a load's counts on standard error, write its rejections, stop in strict mode.

    ``rejects`` receives one CSV row per problem: ``file, line, row, field, value, rule``
    (the values are the library's, contact handles masked). In strict mode any rejected row
    is a data error (exit status 1), raised after the rejections are written.
    """
    if show:
        click.echo(labelled(label, load.summary()), err=True)
    if rejects is not None:
        write_rejections(rejects, label, load)
    if strict and load.rows_rejected:
        raise DataError(f"{label}: {load.rows_rejected} row(s) rejected (--strict)")


def labelled(label: str, summary: str) -> str:
    """Return a load's summary starting with the file's name (the library's may already).

    Examples
    --------
    >>> labelled("a.csv", "2 rows read"), labelled("a.csv", "a.csv: 2 rows read")
    ('a.csv: 2 rows read', 'a.csv: 2 rows read')
    """
    return summary if summary.startswith(label) else f"{label}: {summary}"


def write_rejections(path: Path, label: str, load: EventLoad | LoadResult[Any]) -> None:
    """Write every problem of every rejected row to ``path`` as CSV, atomically."""
    with atomic_writer(path, newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["file", "line", "row", "field", "value", "rule"])
        for rejection in load.rejections:
            for problem in rejection.problems:
                writer.writerow(
                    [
                        label,
                        rejection.line,
                        rejection.row,
                        problem.field,
                        problem.value,
                        problem.rule,
                    ]
                )
    click.echo(f"{label}: rejected rows written to {path}", err=True)
