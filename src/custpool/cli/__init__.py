"""The ``custpool`` command line: reports, tiers, RFM, health, checks and synthetic pools.

``custpool demo`` reports on a synthetic pool; ``custpool report EVENTS`` gives the same report
from a user's files (JSON Lines, CSV, Parquet, Arrow; columns mapped by a TOML file or
``--column``); ``validate``, ``tiers``, ``rfm``, ``health``, ``synth`` and ``schema`` do one
job each. It needs the ``cli`` extra (click, and rich for spinners on a terminal); ``custpool``
itself never imports this package. See ``docs/cli.md``.

Notes
-----
The top room: it may import everything public — ``custpool`` and ``custpool.synth`` — through
their ``__all__``, and nothing imports it. Its parts: the command group and :func:`main`
(``_app``), the file commands (``_commands``), the commands without files (``_tools``), what is
read (``_inputs``), the report's sections (``_sections``) and how output is written
(``_output``).
"""

from __future__ import annotations

try:
    import click as _click  # noqa: F401 - checked here, so the error names the extra
except ImportError as _error:  # pragma: no cover - tested in a subprocess without click
    from custpool import MissingDependencyError as _Missing

    raise _Missing("click", "cli") from _error

from custpool._public import claim as _claim
from custpool.cli._app import main

__all__ = ["main"]

_claim(globals(), __all__, __name__)
