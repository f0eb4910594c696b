"""How reports print shared kinds of numbers, so every printed report shows them alike.

Lowest layer: imports nothing from custpool.

Examples
--------
>>> percent(0.4), percent(1 / 3), percent(None)
('40.0%', '33.3%', 'n/a')
"""

from __future__ import annotations

__all__ = ["percent"]


def percent(rate: float | None) -> str:
    """Return a rate as a percentage with one decimal, or ``"n/a"`` when it was not measured."""
    return "n/a" if rate is None else f"{rate:.1%}"
