"""The ``custpool`` command group and :func:`main`: exit codes, one-line errors, ``--debug``."""

from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import click

from custpool import CustpoolError, MissingDependencyError
from custpool.cli._commands import health, report, rfm, tiers, validate
from custpool.cli._tools import demo, schema, synth

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["EXIT_DATA", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_USAGE", "cli", "main"]

EXIT_OK: Final = 0
EXIT_DATA: Final = 1
EXIT_USAGE: Final = 2
EXIT_INTERRUPTED: Final = 130


@dataclass
class _Run:
    debug: bool = False


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="custpool", prog_name="custpool", message="%(prog)s %(version)s")
@click.option("--debug", is_flag=True, help="Show the traceback of an error.")
@click.pass_obj
def cli(run: _Run, debug: bool) -> None:
    """custpool: a brand's customer pool (客户池) from the command line.

    Exit status: 0 ok, 1 data error (unreadable file, rows rejected with --strict),
    2 usage error (unknown option, bad value).
    """
    run.debug = debug


for _command in (demo, report, validate, tiers, rfm, health, synth, schema):
    cli.add_command(_command)


def _fail(prefix: str, message: str, run: _Run, code: int) -> int:
    if run.debug:
        traceback.print_exc(file=sys.stderr)
    first = " ".join(message.split())
    click.echo(f"{prefix}: error: {first}", err=True)
    return code


def main(args: Sequence[str] | None = None) -> int:  # noqa: PLR0911 - a status per kind of error
    """Run the ``custpool`` command with ``args`` (default: the process's) and return its status.

    Every error is one line on standard error (``--debug`` adds the traceback): 1 for a data
    error, 2 for a usage error.

    Examples
    --------
    >>> main(["--version"])
    custpool 0.1.0.dev0
    0
    """
    run = _Run(debug="--debug" in (sys.argv[1:] if args is None else args))
    try:
        result = cli.main(
            args=None if args is None else list(args),
            prog_name="custpool",
            standalone_mode=False,
            obj=run,
        )
    except click.exceptions.NoArgsIsHelpError as error:
        error.show()  # the help, as a bare `custpool` asks for it
        return error.exit_code
    except click.ClickException as error:
        ctx = getattr(error, "ctx", None)
        prefix = ctx.command_path if ctx is not None else "custpool"
        message = error.format_message()
        if isinstance(error, click.UsageError):
            message += f" (see: {prefix} --help)"
        return _fail(prefix, message, run, error.exit_code)
    except click.Abort:
        return _fail("custpool", "interrupted", run, EXIT_INTERRUPTED)
    except MissingDependencyError as error:
        return _fail("custpool", str(error), run, EXIT_USAGE)
    except CustpoolError as error:
        return _fail("custpool", str(error), run, EXIT_DATA)
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        return _fail("custpool", f"{where}{error.strerror or error}", run, EXIT_DATA)
    except Exception as error:  # noqa: BLE001 - the last guard: one line, not a traceback
        detail = f"{type(error).__name__}: {error} (run with --debug for the traceback)"
        return _fail("custpool", f"unexpected {detail}", run, EXIT_DATA)
    return result if isinstance(result, int) else EXIT_OK
