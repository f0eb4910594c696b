"""Hypothesis entry point: registers custpool's strategies for ``st.from_type``.

Hypothesis calls :func:`_hypothesis_setup_hook` when it is imported (see the ``hypothesis``
entry point in ``pyproject.toml``), so ``st.from_type(Customer)`` works in users' tests once
custpool is installed. custpool itself never imports this module.
"""

from __future__ import annotations

__all__: list[str] = []  # the hook is found by name, through the entry point


def _hypothesis_setup_hook() -> None:
    from custpool.strategies import register_type_strategies  # noqa: PLC0415 - lazy on purpose

    register_type_strategies()
