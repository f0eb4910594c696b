"""What every benchmark script shares: timing, ``name=value`` lines and the machine's figures.

The scripts run as ``python benchmarks/<name>.py``, so this folder is on ``sys.path`` and they
import it as ``_common``.
"""

from __future__ import annotations

import os
import platform
import resource
import time
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["best_of", "peak_rss_mib", "say", "say_machine"]


def best_of(repeat: int, call: Callable[[], Any]) -> tuple[float, Any]:
    """Return the fastest of ``repeat`` runs of ``call`` (seconds) and its last result.

    The machine is shared and noisy: the best run is the least disturbed one.
    """
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - start)
    return best, result


def say(name: str, value: object) -> None:
    """Print one ``name=value`` line (floats with 4 decimals)."""
    if isinstance(value, float):
        value = f"{value:.4f}"
    print(f"{name}={value}", flush=True)


def say_machine() -> None:
    """Print the Python and numpy versions and the machine."""
    say("python", platform.python_version())
    say("numpy", np.__version__)
    say("machine", f"{platform.machine()} {os.cpu_count()} cpus")


def peak_rss_mib() -> float:
    """Return this process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
