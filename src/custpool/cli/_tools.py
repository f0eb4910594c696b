"""The commands that need no file of the user's: ``demo``, ``synth`` and ``schema``."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import click

from custpool import (
    Customer,
    HealthPolicy,
    Interaction,
    Money,
    Policy,
    PoolActivity,
    PoolCharter,
    Tag,
    write_csv,
    write_jsonl,
)
from custpool.cli._commands import PARADIGMS, lang_option, paradigm_option
from custpool.cli._output import (
    FORMATS,
    atomic_path,
    atomic_writer,
    emit,
    format_for,
    progress_bar,
    render,
    spinner,
)
from custpool.cli._sections import Inputs, full_report
from custpool.synth import OBJECT_LIMIT, SynthConfig, SyntheticPool, generate

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["DEMO_CUSTOMERS", "DEMO_LESSONS", "MODELS", "demo", "schema", "synth"]

DEMO_CUSTOMERS: Final = 100_000
"""The demo's default pool: a million events, a few seconds."""

DEMO_LESSONS: Final = SynthConfig(
    campaign_every_days=30, campaign_days=3, campaign_lift=0.5, walk_in_rate=0.2
)
"""What the demo and ``custpool synth`` pools show beyond the defaults: a three-day campaign
every 30 days that sells half again as much (seed 002's periodic hits), and store walk-ins, some
captured and some missed (seed 003). Its other settings are not used."""

MODELS: Final[dict[str, type[BaseModel]]] = {
    "customer": Customer,
    "interaction": Interaction,
    "activity": PoolActivity,
    "charter": PoolCharter,
    "policy": Policy,
    "health-policy": HealthPolicy,
    "tag": Tag,
    "money": Money,
}


def _generate(customers: int, seed: int, paradigm: str, events: float) -> SyntheticPool:
    config = replace(
        DEMO_LESSONS,
        n_customers=customers,
        events_per_customer=events,
        paradigm=PARADIGMS[paradigm],
    )
    with progress_bar(f"generating {customers:,} customers") as progress:
        return generate(config, seed=seed, progress=progress)


_customers_option = click.option(
    "--customers",
    type=click.IntRange(min=1),
    default=DEMO_CUSTOMERS,
    show_default=True,
    help="Customers in the synthetic pool.",
)
_seed_option = click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=7,
    show_default=True,
    help="The seed: the same seed gives the same pool and report on every machine.",
)
_events_option = click.option(
    "--events-per-customer",
    "events",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="Mean events per customer.",
)


@click.command()
@_customers_option
@_seed_option
@_events_option
@paradigm_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="text (default), json or markdown.",
)
@lang_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the report to this file (atomically).",
)
def demo(**options: Any) -> None:  # noqa: ANN401 - click passes each option by name
    """Report on a synthetic pool: the full report, the same for the same seed."""
    pool = _generate(options["customers"], options["seed"], options["paradigm"], options["events"])
    config = pool.config
    inputs = Inputs(
        table=pool.table,
        charter=pool.charter,
        as_of=config.end,
        window=timedelta(days=30),
        policy=Policy(paradigm=config.paradigm),
        tags=pool.tag_table(),
        activities=pool.activities,
        lang=options["lang"],
    )
    sections = full_report(inputs)
    emit(render(sections, format_for(options["fmt"], options["out"])), options["out"])


@click.command()
@_customers_option
@_seed_option
@_events_option
@paradigm_option
@click.option(
    "--out",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder to write the files to (created if missing).",
)
def synth(**options: Any) -> None:  # noqa: ANN401 - click passes each option by name
    """Write a synthetic pool's files: events.csv, customers.jsonl, activities.jsonl, charter.json.

    The folder then works as input: custpool report DIR/events.csv --customers
    DIR/customers.jsonl --activities DIR/activities.jsonl --charter DIR/charter.json
    """
    folder: Path = options["folder"]
    folder.mkdir(parents=True, exist_ok=True)
    pool = _generate(options["customers"], options["seed"], options["paradigm"], options["events"])
    with spinner("writing events.csv…"), atomic_path(folder / "events.csv") as path:
        events = write_csv(path, pool.table.interactions())
    written = [f"events.csv ({events:,} events)"]
    if max(pool.n_customers, len(pool.table)) <= OBJECT_LIMIT:  # customers() builds objects
        with atomic_path(folder / "customers.jsonl") as path:
            people = write_jsonl(path, pool.customers())
        written.append(f"customers.jsonl ({people:,} customers)")
    else:
        click.echo(
            f"customers.jsonl not written: more than {OBJECT_LIMIT:,} customers or events "
            "(the synthetic customers are built as objects)",
            err=True,
        )
    with atomic_path(folder / "activities.jsonl") as path:
        acts = write_jsonl(path, pool.activities)
    written.append(f"activities.jsonl ({acts:,} activities)")
    with atomic_writer(folder / "charter.json") as file:
        file.write(pool.charter.model_dump_json(indent=2) + "\n")
    written.append("charter.json")
    click.echo(f"wrote to {folder}: " + ", ".join(written))


@click.command()
@click.argument("model", required=False, type=click.Choice(sorted(MODELS), case_sensitive=False))
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the schema to this file (atomically).",
)
def schema(model: str | None, out: Path | None) -> None:
    """Print a model's JSON Schema (the fields of its files), or list the models."""
    if model is None:
        width = max(len(name) for name in MODELS)
        lines = [
            f"{name:<{width}}  {(cls.__doc__ or '').strip().splitlines()[0]}"
            for name, cls in MODELS.items()
        ]
        emit("\n".join(lines), out)
        return
    text = json.dumps(MODELS[model.lower()].model_json_schema(), ensure_ascii=False, indent=2)
    emit(text, out)
