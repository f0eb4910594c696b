"""The commands that read a user's files: ``report``, ``tiers``, ``rfm``, ``health``, ``validate``.

Each reads the events (and, when given, customers, activities and a charter), shows the load's
counts on standard error, and writes its result to standard output or, atomically, to ``--out``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from custpool import (
    CONVERT_FIRST,
    CURRENCY_MINOR_UNITS,
    NURTURE_FIRST,
    Channel,
    CustomerTags,
    Direction,
    EventLoad,
    EventTable,
    Interaction,
    InteractionKind,
    LoadResult,
    Policy,
    PoolActivity,
    PoolCharter,
    classify,
    next_action,
    rfm_summary,
)
from custpool.cli._inputs import (
    DataError,
    ReadOptions,
    labelled,
    latest_time,
    load_mapping,
    parse_duration,
    parse_time,
    parse_zone,
    read_activities_file,
    read_charter_file,
    read_customers_file,
    read_events_file,
    report_load,
)
from custpool.cli._output import (
    FORMATS,
    ROW_FORMATS,
    emit,
    format_for,
    render,
    render_rows,
    spinner,
)
from custpool.cli._sections import Inputs, full_report

if TYPE_CHECKING:
    from datetime import datetime, timedelta, tzinfo

__all__ = [
    "PARADIGMS",
    "Context",
    "health",
    "lang_option",
    "paradigm_option",
    "report",
    "rfm",
    "tiers",
    "validate",
]

F = TypeVar("F", bound=Callable[..., Any])

PARADIGMS = {"nurture_first": NURTURE_FIRST, "convert_first": CONVERT_FIRST}


def _apply(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    def wrap(function: F) -> F:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return wrap


def _path(**kwargs: bool) -> click.Path:
    return click.Path(path_type=Path, dir_okay=False, **kwargs)


lang_option = click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Language of titles, states, health and advice.",
)
paradigm_option = click.option(
    "--paradigm",
    type=click.Choice(sorted(PARADIGMS)),
    default="nurture_first",
    show_default=True,
    help="The order of the tiers: nurture-first or convert-first.",
)
_out_option = click.option(
    "--out",
    type=_path(writable=True),
    default=None,
    help="Write the result to this file (atomically) instead of standard output.",
)
_tz_option = click.option(
    "--tz",
    default=None,
    metavar="ZONE",
    help="Zone for a naive --as-of and for the times shown (IANA name; default UTC).",
)

_read_options = _apply(
    click.argument("events", type=_path()),
    click.option(
        "--columns",
        "mapping",
        type=_path(),
        default=None,
        help="TOML or JSON file mapping custpool's field names to the file's columns.",
    ),
    click.option(
        "--column",
        "pairs",
        multiple=True,
        metavar="FIELD=COLUMN",
        help="Map one field to a column (repeatable), e.g. --column at=order_time.",
    ),
    click.option(
        "--kind",
        type=click.Choice([k.value for k in InteractionKind]),
        default=None,
        help="The kind of every row (an export of orders: purchase).",
    ),
    click.option(
        "--direction",
        type=click.Choice([d.value for d in Direction]),
        default=None,
        help="The direction of every row (messages).",
    ),
    click.option(
        "--channel",
        type=click.Choice([c.value for c in Channel]),
        default=None,
        help="The channel of every row.",
    ),
    click.option(
        "--currency",
        default=None,
        metavar="CODE",
        help="The table's currency (ISO 4217, e.g. CNY); default: the first amount's.",
    ),
    click.option(
        "--timezone",
        default=None,
        metavar="ZONE",
        help="Zone in which the file's naive times are read (e.g. Asia/Shanghai).",
    ),
    click.option(
        "--rejects",
        type=_path(writable=True),
        default=None,
        help="Write the rejected rows (one line per problem) to this CSV file.",
    ),
    click.option("--strict", is_flag=True, help="Exit with status 1 if any row is rejected."),
)

_pool_options = _apply(
    click.option(
        "--customers",
        "customers_file",
        type=_path(),
        default=None,
        help="Customers (JSON Lines or CSV; Parquet/Arrow or mapped with the frames extra).",
    ),
    click.option(
        "--activities",
        "activities_file",
        type=_path(),
        default=None,
        help="The pool's activities (JSON Lines or CSV of PoolActivity).",
    ),
    click.option(
        "--charter",
        "charter_file",
        type=_path(),
        default=None,
        help="The pool's charter (JSON or TOML of PoolCharter).",
    ),
)

_time_options = _apply(
    click.option(
        "--as-of",
        "as_of",
        default=None,
        metavar="TIME",
        help="ISO date or time of the report; default: the latest event's time.",
    ),
    click.option(
        "--window",
        default="30d",
        show_default=True,
        metavar="DURATION",
        help="The KPI and health window ending at --as-of: 30d, 4w, 12h.",
    ),
    _tz_option,
)


@dataclass(frozen=True)
class Context:
    """What a file command read: the table, the pool's extras and the options of time."""

    table: EventTable
    charter: PoolCharter
    tags: CustomerTags | None
    activities: tuple[PoolActivity, ...] | None
    as_of: datetime
    window: timedelta
    tz: tzinfo | None


def _currency(value: str | None) -> str | None:
    if value is not None and value.upper() not in CURRENCY_MINOR_UNITS:
        raise click.BadParameter(
            f"{value!r}: not an ISO 4217 currency code", param_hint="--currency"
        )
    return value


def _load(options: dict[str, Any]) -> Context:
    """Read everything a file command needs, reporting each load's counts on standard error."""
    zone = parse_zone(options.get("tz"))
    window = parse_duration(options.get("window") or "30d")
    as_of_text = options.get("as_of")
    as_of = parse_time(as_of_text, zone) if as_of_text else None
    events_map, customers_map = load_mapping(options["mapping"], options["pairs"])
    read = ReadOptions(
        events_map,
        kind=options["kind"],
        currency=_currency(options["currency"]),
        timezone=options["timezone"],
        direction=options["direction"],
        channel=options["channel"],
    )
    customers = None
    customer_ids: Sequence[str] = ()
    with spinner("reading…"):
        if options.get("customers_file") is not None:
            people = read_customers_file(options["customers_file"], customers_map, read.timezone)
            report_load(str(options["customers_file"]), people)
            customers = people.records
            customer_ids = [c.id for c in customers]
        load = read_events_file(options["events"], read, customer_ids)
    report_load(
        str(options["events"]),
        load,
        rejects=options["rejects"],
        strict=options["strict"],
    )
    table = _table(load, options["events"])
    activities = None
    if options.get("activities_file") is not None:
        acts = read_activities_file(options["activities_file"])
        report_load(str(options["activities_file"]), acts)
        activities = acts.records
    charter_file = options.get("charter_file")
    if charter_file is not None:
        charter = read_charter_file(charter_file)
    else:
        charter = PoolCharter(name=Path(options["events"]).stem or "pool")
    tags = CustomerTags.from_customers(customers, table) if customers else None
    return Context(
        table=table,
        charter=charter,
        tags=tags,
        activities=activities,
        as_of=as_of if as_of is not None else latest_time(table),
        window=window,
        tz=zone if options.get("tz") else None,
    )


def _table(load: EventLoad, path: Path) -> EventTable:
    if load.table is None or len(load.table) == 0:
        raise DataError(f"events file {path}: no row was accepted ({load.summary()})")
    return load.table


def _policy(paradigm: str) -> Policy:
    return Policy(paradigm=PARADIGMS[paradigm])


def _inputs(ctx: Context, paradigm: str, lang: str, discount_rate: float = 0.01) -> Inputs:
    return Inputs(
        table=ctx.table,
        charter=ctx.charter,
        as_of=ctx.as_of,
        window=ctx.window,
        policy=_policy(paradigm),
        tags=ctx.tags,
        activities=ctx.activities,
        discount_rate=discount_rate,
        lang=lang,
        tz=ctx.tz,
    )


_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="text (default), json or markdown; default from --out's suffix.",
)
_row_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(ROW_FORMATS),
    default=None,
    help="text (default), json, markdown or csv; default from --out's suffix.",
)


@click.command()
@_read_options
@_pool_options
@_time_options
@paradigm_option
@click.option(
    "--discount-rate",
    type=click.FloatRange(min=0, min_open=True),
    default=0.01,
    show_default=True,
    help="LTV discount rate per window.",
)
@_format_option
@lang_option
@_out_option
def report(**options: Any) -> None:  # noqa: ANN401 - click passes each option by name
    """Report from files: tiers, six KPIs, growth, flows, LTV, RFM and health."""
    ctx = _load(options)
    sections = full_report(
        _inputs(ctx, options["paradigm"], options["lang"], options["discount_rate"])
    )
    fmt = format_for(options["fmt"], options["out"])
    emit(render(sections, fmt), options["out"])


@click.command()
@_read_options
@_pool_options
@_time_options
@paradigm_option
@_format_option
@lang_option
@_out_option
def health(**options: Any) -> None:  # noqa: ANN401 - click passes each option by name
    """ISOOC health: the score, its dimensions, the Copy verdict and advice."""
    ctx = _load(options)
    sections = full_report(_inputs(ctx, options["paradigm"], options["lang"]), sections=["health"])
    keep = [s for s in sections if s.key in ("pool", "health")]
    emit(render(keep, format_for(options["fmt"], options["out"])), options["out"])


def _histories(table: EventTable) -> Iterator[tuple[str, list[Interaction]]]:
    """Yield each customer of the table with its history, in the table's customer order."""
    grouped = groupby(table.interactions(), key=attrgetter("customer_id"))
    pending = next(grouped, None)
    for customer in table.customer_ids:
        if pending is not None and pending[0] == customer:
            yield customer, list(pending[1])
            pending = next(grouped, None)
        else:
            yield customer, []


@click.command()
@_read_options
@_time_options
@paradigm_option
@_row_format_option
@lang_option
@_out_option
def tiers(**options: Any) -> None:  # noqa: ANN401 - click passes each option by name
    """Every customer's state, tier, since when, and the next action."""
    options |= {"customers_file": None, "activities_file": None, "charter_file": None}
    ctx = _load(options)
    policy = _policy(options["paradigm"])
    zh = options["lang"] == "zh"
    rows = []
    with spinner(f"classifying {ctx.table.n_customers} customers one by one…"):
        for customer, history in _histories(ctx.table):
            state = classify(history, policy, ctx.as_of)
            action = next_action(state, policy)
            since = state.since.astimezone(ctx.tz) if state.since and ctx.tz else state.since
            tier = state.tier
            rows.append(
                (
                    customer,
                    state.state.label_zh if zh else state.state.value,
                    (tier.label_zh if zh else tier.value) if tier is not None else None,
                    since.isoformat() if since is not None else None,
                    action.kind.value,
                    action.text_zh if zh else action.text_en,
                )
            )
    headers = ("customer_id", "state", "tier", "since", "next_action", "advice")
    emit(render_rows(headers, rows, format_for(options["fmt"], options["out"])), options["out"])


@click.command()
@_read_options
@_time_options
@_row_format_option
@_out_option
def rfm(**options: Any) -> None:  # noqa: ANN401 - click passes each option by name
    """Per-buyer recency, frequency and monetary value, as lifetimes computes them."""
    options |= {"customers_file": None, "activities_file": None, "charter_file": None}
    ctx = _load(options)
    with spinner("computing RFM…"):
        summary = rfm_summary(ctx.table, ctx.as_of)
    columns = summary.to_dict()
    headers = ("customer_id", "frequency", "recency", "T", "monetary_value")
    rows = list(zip(*(list(columns[h]) for h in headers), strict=True))
    emit(render_rows(headers, rows, format_for(options["fmt"], options["out"])), options["out"])


@click.command()
@click.argument("file", type=_path())
@click.option(
    "--model",
    type=click.Choice(["events", "customers", "activities"]),
    default="events",
    show_default=True,
    help="What the file holds.",
)
@click.option(
    "--columns",
    "mapping",
    type=_path(),
    default=None,
    help="TOML or JSON column mapping (events, or [customers]).",
)
@click.option(
    "--column",
    "pairs",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Map one field to a column (repeatable).",
)
@click.option("--kind", type=click.Choice([k.value for k in InteractionKind]), default=None)
@click.option("--currency", default=None, metavar="CODE")
@click.option("--timezone", default=None, metavar="ZONE")
@click.option(
    "--rejects",
    type=_path(writable=True),
    default=None,
    help="Also write the rejected rows to this CSV file.",
)
@click.option("--strict", is_flag=True, help="Exit with status 1 if any row is rejected.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def validate(**options: Any) -> None:  # noqa: ANN401 - click passes each option by name
    """Check a file: how many rows were read, accepted and rejected, and every rejection."""
    path: Path = options["file"]
    load: EventLoad | LoadResult[Any]
    events_map, customers_map = load_mapping(options["mapping"], options["pairs"])
    with spinner("reading…"):
        if options["model"] == "events":
            read = ReadOptions(
                events_map,
                kind=options["kind"],
                currency=_currency(options["currency"]),
                timezone=options["timezone"],
            )
            load = read_events_file(path, read)
        elif options["model"] == "customers":
            load = read_customers_file(path, customers_map or events_map, options["timezone"])
        else:
            load = read_activities_file(path)
    if options["fmt"] == "json":
        data = {
            "file": str(path),
            "rows_read": load.rows_read,
            "rows_accepted": load.rows_accepted,
            "rows_rejected": load.rows_rejected,
            "summary": load.summary(),
            "rejections": [
                {"line": r.line, "row": r.row, "field": p.field, "value": p.value, "rule": p.rule}
                for r in load.rejections
                for p in r.problems
            ],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(labelled(str(path), load.summary()))
        for rejection in load.rejections:
            click.echo(f"  {rejection}")
    report_load(str(path), load, rejects=options["rejects"], strict=options["strict"], show=False)
