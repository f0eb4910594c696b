"""``python -m custpool``: the command line (the ``cli`` extra), or one line naming the extra."""

from __future__ import annotations

import sys

from custpool import MissingDependencyError

__all__ = ["run"]


def run() -> int:
    """Run the command line; without the ``cli`` extra print one line naming it and return 2."""
    try:
        from custpool.cli import main  # noqa: PLC0415 - the optional part, imported on demand
    except MissingDependencyError as error:
        print(f"custpool: error: {error}", file=sys.stderr)  # noqa: T201 - the one line
        return 2
    return main()


if __name__ == "__main__":
    sys.exit(run())
