"""The base every custpool model shares: frozen, no extra fields, JSON with opt-in secrets."""

from __future__ import annotations

from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict

__all__ = ["REVEAL_SECRETS", "FrozenModel"]

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
        """Serialise to JSON; contact handles are masked unless ``reveal_secrets`` is true."""
        return self.model_dump_json(indent=indent, context={REVEAL_SECRETS: reveal_secrets})

    def to_dict(self, *, reveal_secrets: bool = False) -> dict[str, Any]:
        """Return JSON-compatible plain data (as :meth:`to_json` would write it)."""
        return self.model_dump(mode="json", context={REVEAL_SECRETS: reveal_secrets})

    @classmethod
    def from_json(cls, data: str | bytes) -> Self:
        """Parse JSON text produced by :meth:`to_json` (or any JSON matching the schema)."""
        return cls.model_validate_json(data)
