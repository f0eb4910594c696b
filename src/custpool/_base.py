"""The base every custpool model shares: frozen, no extra fields, JSON with opt-in secrets."""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Any, ClassVar, Final, Self

from pydantic import BaseModel, ConfigDict

from custpool._errors import ValidationError, WrongTypeError

__all__ = ["REVEAL_SECRETS", "FrozenModel"]

_SECTION = re.compile(r"\n\s*\n(?=[A-Z][A-Za-z ]+\n\s*-{3,})")

_PROXIES: Final = "custpool_read_only_fields"

REVEAL_SECRETS = "reveal_secrets"
"""Key of the serialisation context that makes secrets appear in output."""


class FrozenModel(BaseModel):
    """Frozen pydantic model with extra fields forbidden, and JSON helpers.

    ``to_json`` hides contact handles unless ``reveal_secrets=True``; ``from_json`` reads what
    ``to_json(reveal_secrets=True)`` wrote back to an equal object.
    """

    model_config: ClassVar[ConfigDict] = ConfigDict(
        frozen=True,
        extra="forbid",
        validate_default=True,
        use_attribute_docstrings=True,
    )

    def to_json(self, *, reveal_secrets: bool = False, indent: int | None = None) -> str:
        """Serialise to JSON; contact handles are masked unless ``reveal_secrets`` is True.

        Raises
        ------
        custpool.WrongTypeError
            If ``reveal_secrets`` is not a bool (a string such as ``"no"`` must not reveal
            anything), or ``indent`` is neither None nor an integer.
        custpool.ValidationError
            If ``indent`` is negative or above 64.
        """
        _check_reveal(reveal_secrets)
        _check_indent(indent)
        return self.model_dump_json(indent=indent, context={REVEAL_SECRETS: reveal_secrets})

    def to_dict(self, *, reveal_secrets: bool = False) -> dict[str, Any]:
        """Return JSON-compatible plain data (as :meth:`to_json` would write it)."""
        _check_reveal(reveal_secrets)
        return self.model_dump(mode="json", context={REVEAL_SECRETS: reveal_secrets})

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:  # noqa: ANN401
        """Return pydantic's JSON Schema, with docstring descriptions cut before their sections.

        Class docstrings carry numpy-style sections (Parameters, Examples …) for humans reading
        the code; a schema's ``description`` keeps the prose above them.
        """
        schema = super().model_json_schema(*args, **kwargs)
        _trim_descriptions(schema)
        return schema

    @classmethod
    def from_json(cls, data: str | bytes) -> Self:
        """Parse JSON text produced by :meth:`to_json` (or any JSON matching the schema)."""
        return cls.model_validate_json(data)

    def __getstate__(self) -> dict[Any, Any]:
        """Pickle read-only mappings (policy weights and targets) as plain dicts.

        ``MappingProxyType`` cannot be pickled; :meth:`__setstate__` makes them read-only again,
        so a model sent to another process is equal to, and as immutable as, the original.
        """
        state = super().__getstate__()
        fields = state["__dict__"]
        proxies = tuple(
            name for name, value in fields.items() if isinstance(value, MappingProxyType)
        )
        if proxies:
            plain = {
                name: dict(fields[name]) if name in proxies else fields[name] for name in fields
            }
            state = {**state, "__dict__": plain, _PROXIES: proxies}
        return state

    def __setstate__(self, state: dict[Any, Any]) -> None:
        """Restore what :meth:`__getstate__` stored, read-only mappings included."""
        proxies = state.pop(_PROXIES, ())
        if proxies:
            fields = state["__dict__"]
            state["__dict__"] = {
                name: MappingProxyType(value) if name in proxies else value
                for name, value in fields.items()
            }
        super().__setstate__(state)


_MAX_INDENT: Final = 64


def _check_reveal(reveal_secrets: object) -> None:
    if not isinstance(reveal_secrets, bool):
        raise WrongTypeError("reveal_secrets", reveal_secrets, "must be True or False")


def _check_indent(indent: object) -> None:
    if indent is None:
        return
    if not isinstance(indent, int) or isinstance(indent, bool):
        raise WrongTypeError("indent", indent, "must be None or an integer")
    if not 0 <= indent <= _MAX_INDENT:
        raise ValidationError("indent", indent, f"must be from 0 to {_MAX_INDENT}")


def _trim_descriptions(node: object) -> None:
    if isinstance(node, dict):
        description = node.get("description")
        if isinstance(description, str):
            node["description"] = _SECTION.split(description, maxsplit=1)[0].strip()
        for value in node.values():
            _trim_descriptions(value)
    elif isinstance(node, list):
        for value in node:
            _trim_descriptions(value)
