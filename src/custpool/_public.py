"""Give public names their public address, so users never see the private module paths.

A class or function is defined in a private room (``custpool._model.money``) and exported by a
public module (``custpool``, ``custpool.synth``, ``custpool.strategies``). :func:`claim` sets
its ``__module__`` to the public module, as whenever and attrs do, so reprs, pickles, error
tracebacks and the documentation show ``custpool.Money``, and a pickle stays loadable when a
private module is renamed. The methods of a claimed class are claimed with it, so the doctest
finder, which keeps only the objects of the module it searches, still finds their examples.

Lowest layer: imports nothing from custpool.

Examples
--------
>>> import custpool
>>> custpool.Money.__module__, custpool.classify.__module__
('custpool', 'custpool')
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = ["claim"]


def _is_private(module: str) -> bool:
    """Whether ``module`` is one of custpool's private modules (a part starts with ``_``)."""
    parts = module.split(".")
    return parts[0] == "custpool" and any(part.startswith("_") for part in parts[1:])


def _claim_member(value: object, origin: str, public: str) -> None:
    """Claim one attribute of a claimed class (a function, a wrapped function, a nested class)."""
    wrapped = ("__func__", "fget", "func")  # classmethod/staticmethod, property, cached_property
    for candidate in (value, *(getattr(value, attr, None) for attr in wrapped)):
        if inspect.isfunction(candidate) and candidate.__module__ == origin:
            candidate.__module__ = public
    if inspect.isclass(value) and value.__module__ == origin:
        _claim_class(value, public)


def _pydantic_hooks(cls: type) -> set[str]:
    """Return the names of a pydantic model's validators, serializers and computed fields.

    pydantic reads their annotations in their ``__module__``'s namespace whenever the model is
    rebuilt, so they keep their defining module.
    """
    decorators = getattr(cls, "__pydantic_decorators__", None)
    if decorators is None:
        return set()
    groups = (getattr(decorators, field.name) for field in dataclasses.fields(decorators))
    return {name for group in groups for name in group}


def _claim_class(cls: type, public: str) -> None:
    origin = cls.__module__
    cls.__module__ = public
    hooks = _pydantic_hooks(cls)
    for name, value in vars(cls).items():
        if name not in hooks:
            _claim_member(value, origin, public)


def claim(namespace: Mapping[str, object], names: Iterable[str], public: str) -> None:
    """Set ``__module__`` to ``public`` on each named class and function defined privately.

    Names that are constants, type aliases or objects defined outside custpool's private
    modules are left alone.
    """
    for name in names:
        value = namespace[name]
        if inspect.isclass(value) and _is_private(value.__module__):
            _claim_class(value, public)
        elif inspect.isfunction(value) and _is_private(value.__module__):
            value.__module__ = public
