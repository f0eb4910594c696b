"""The errors custpool raises.

Every error is a :class:`CustpoolError` *and* the builtin that fits it, so callers may catch
either. Each carries structured attributes besides its message: the field, the offending value
(shown safely: truncated, secrets masked), the rule that was broken and, for loaders, the line.
"""

from __future__ import annotations

import copyreg
from datetime import date, timedelta
from decimal import Decimal
from numbers import Number
from typing import Any, Final

__all__ = [
    "CallbackError",
    "CustpoolError",
    "LoadError",
    "MissingDependencyError",
    "UnknownIdError",
    "ValidationError",
    "WrongTypeError",
    "bad_argument",
    "safe_repr",
    "shown_type",
    "wrong_argument",
    "wrong_type",
]

_MAX_SHOWN: Final = 60
# pickle's own "make an instance without __init__" (typeshed does not list it)
_NEW_OBJECT: Final = getattr(copyreg, "__newobj__")  # noqa: B009 - see above


def safe_repr(value: object, *, secret: bool = False) -> str:
    """Show ``value`` for an error message without leaking secrets or flooding the screen.

    Parameters
    ----------
    value
        The offending value.
    secret
        When true, the value is masked entirely (only its length is told). A value held in a
        secret wrapper (anything with a ``get_secret_value`` method, such as pydantic's
        ``SecretStr``) is masked whatever this says.

    Returns
    -------
    str
        ``repr(value)``, cut to 60 characters with the full length noted, or a mask.

    Examples
    --------
    >>> safe_repr("abc")
    "'abc'"
    >>> safe_repr("13800138000", secret=True)
    '<secret, 11 chars>'
    >>> safe_repr("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (102 chars)"
    >>> from pydantic import SecretStr
    >>> safe_repr(SecretStr("13800138000"))  # a value held as a secret is always masked
    '<secret, 11 chars>'
    """
    reveal = None if isinstance(value, type) else getattr(value, "get_secret_value", None)
    if callable(reveal):  # pydantic's SecretStr, SecretBytes and Secret hold secrets
        secret, value = True, reveal()
    if secret:
        size = len(value) if isinstance(value, str | bytes) else None
        return "<secret>" if size is None else f"<secret, {size} chars>"
    text = repr(value)
    if len(text) <= _MAX_SHOWN:
        return text
    return f"{text[:_MAX_SHOWN]}… ({len(text)} chars)"


class CustpoolError(Exception):
    """Base class of every error custpool raises on purpose.

    Every custpool error pickles with its attributes, so it crosses to and from worker
    processes (``multiprocessing``, Dask) intact: it is rebuilt from its state, not by calling
    ``__init__`` again with its message.

    Examples
    --------
    >>> import pickle
    >>> err = ValidationError("score", 11, "must be an integer from 0 to 10")
    >>> copy = pickle.loads(pickle.dumps(err))
    >>> type(copy).__name__, copy.field, copy.rule, str(copy) == str(err)
    ('ValidationError', 'score', 'must be an integer from 0 to 10', True)
    """

    def __reduce__(self) -> tuple[Any, ...]:
        """Return how to pickle the error: its class, then its ``args`` and attributes."""
        return (_NEW_OBJECT, (type(self),), {"args": self.args, **vars(self)})


class ValidationError(CustpoolError, ValueError):
    """A value breaks one of custpool's rules.

    Parameters
    ----------
    field
        Dotted name of the field or argument (``"amount"``, ``"tags.0"``, ``"min_size"``).
    value
        The offending value; stored as given, shown safely in the message.
    rule
        The rule that was broken, phrased so the message also says how to fix it.
    secret
        Mask the value in the message (contact handles).
    shown
        How to show the value, when the caller has already made it safe (loaders do).

    Examples
    --------
    >>> err = ValidationError("score", 11, "must be an integer from 0 to 10")
    >>> str(err)
    'score=11: must be an integer from 0 to 10'
    >>> isinstance(err, ValueError), err.field, err.rule
    (True, 'score', 'must be an integer from 0 to 10')
    """

    def __init__(
        self,
        field: str,
        value: object,
        rule: str,
        *,
        secret: bool = False,
        shown: str | None = None,
    ) -> None:
        self.field = field
        self.rule = rule
        self.shown_value = shown if shown is not None else safe_repr(value, secret=secret)
        # A secret is never kept on the error: logs and tracebacks often print attributes.
        self.value = self.shown_value if secret else value
        super().__init__(self._message())

    def _message(self) -> str:
        return f"{self.field}={self.shown_value}: {self.rule}"


class WrongTypeError(ValidationError, TypeError):
    """An argument is of the wrong type (a ``ValidationError`` and a ``TypeError``).

    Examples
    --------
    >>> err = WrongTypeError("policy", {"engage_window": 30}, "must be a custpool.Policy")
    >>> isinstance(err, TypeError), isinstance(err, ValueError), err.field
    (True, True, 'policy')
    """


class LoadError(ValidationError):
    """A row of a file cannot be read (raised by loaders in ``strict`` mode and for bad headers).

    Parameters
    ----------
    line
        1-based line number in the file where the row starts.
    field, value, rule
        As for :class:`ValidationError`; ``field`` may be ``"<row>"`` when the whole row is bad.
    source
        The file's name, when known.
    secret, shown
        As for :class:`ValidationError`.

    Examples
    --------
    >>> err = LoadError(7, "score", "11", "must be an integer from 0 to 10", source="nps.csv")
    >>> str(err)
    "nps.csv line 7: score='11': must be an integer from 0 to 10"
    >>> err.line
    7
    """

    def __init__(  # noqa: PLR0913 - the structured attributes are the point of this error
        self,
        line: int,
        field: str,
        value: object,
        rule: str,
        *,
        source: str | None = None,
        secret: bool = False,
        shown: str | None = None,
    ) -> None:
        self.line = line
        self.source = source
        super().__init__(field, value, rule, secret=secret, shown=shown)

    def _message(self) -> str:
        where = f"{self.source} line {self.line}" if self.source else f"line {self.line}"
        return f"{where}: {super()._message()}"


class MissingDependencyError(CustpoolError, ImportError):
    """An optional dependency is needed and not installed; the message names the extra.

    Examples
    --------
    >>> str(MissingDependencyError("graphviz", "diagrams"))
    'this needs the optional package graphviz: pip install "custpool[diagrams]"'
    """

    def __init__(self, package: str, extra: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f'this needs the optional package {package}: pip install "custpool[{extra}]"'
        )


class UnknownIdError(CustpoolError, KeyError):
    """An id was looked up that is not there.

    Parameters
    ----------
    kind
        What was looked up (``"customer"``, ``"interaction"``).
    id
        The missing id.

    Examples
    --------
    >>> err = UnknownIdError("customer", "c-404")
    >>> str(err)
    "no customer with id 'c-404' in this pool"
    >>> isinstance(err, KeyError)
    True
    """

    def __init__(self, kind: str, id: str) -> None:  # noqa: A002 - "id" is the domain's word
        self.kind = kind
        self.id = id
        super().__init__(f"no {kind} with id {safe_repr(id)} in this pool")

    def __str__(self) -> str:
        """Return the message without KeyError's extra quoting."""
        return str(self.args[0])


# -- arguments of the wrong kind: shown without their content -----------------------------------

_PLAIN: Final = (str, Number, Decimal, date, timedelta)
"""Values an argument error may show as they are: none can hold a record's contact handles."""


def shown_type(value: object) -> str:
    """Show a value by its type alone, e.g. ``<dict>``: a dict or list may hold contact handles.

    Examples
    --------
    >>> shown_type({"phone": "13800138000"}), shown_type(None)
    ('<dict>', 'None')
    """
    return "None" if value is None else f"<{type(value).__name__}>"


def wrong_type(field: str, value: object, rule: str) -> WrongTypeError:
    """Return a :class:`WrongTypeError` that names ``value``'s type and never shows it.

    For values that could be a contact handle whatever their type (a customer id given as an
    int may be a phone number).

    Examples
    --------
    >>> err = wrong_type("customers[0]", 13800138000, "must be a customer id")
    >>> str(err), err.value
    ('customers[0]=<int>: must be a customer id', '<int>')
    """
    shown = shown_type(value)
    return WrongTypeError(field, shown, rule, shown=shown)


def _argument(value: object) -> str | None:
    """Return the stand-in for an argument not to be shown, or None if it may be shown."""
    return None if value is None or isinstance(value, _PLAIN) else f"<a {type(value).__name__}>"


def wrong_argument(field: str, value: object, rule: str) -> WrongTypeError:
    """Return a :class:`WrongTypeError` for an option: plain values shown, containers by type.

    Examples
    --------
    >>> str(wrong_argument("table", {"phone": "13800138000"}, "must be a custpool.EventTable"))
    'table=<a dict>: must be a custpool.EventTable'
    >>> str(wrong_argument("k", 1.5, "must be an int"))
    'k=1.5: must be an int'
    """
    shown = _argument(value)
    if shown is None:
        return WrongTypeError(field, value, rule)
    return WrongTypeError(field, shown, rule, shown=shown)


def bad_argument(field: str, value: object, rule: str) -> ValidationError:
    """Return a :class:`ValidationError` for an option: plain values shown, containers by type.

    Examples
    --------
    >>> str(bad_argument("periods[1]", ["2026-01-01"], "must be an aware datetime or a Window"))
    'periods[1]=<a list>: must be an aware datetime or a Window'
    """
    shown = _argument(value)
    if shown is None:
        return ValidationError(field, value, rule)
    return ValidationError(field, shown, rule, shown=shown)


class CallbackError(ValidationError):
    """A WeCom callback is refused: forged, stale, replayed, malformed or too large.

    Parameters
    ----------
    reason
        Why, as one word: ``signature``, ``corp_id``, ``stale``, ``replay``, ``base64``,
        ``padding``, ``too_large``, ``xml`` or ``config``.
    field, value, rule, secret
        As for :class:`ValidationError`; a token or key is always passed as a secret.

    Examples
    --------
    >>> err = CallbackError("stale", "timestamp", "1409659589", "must be within 300 s of now")
    >>> err.reason, str(err)
    ('stale', "timestamp='1409659589': must be within 300 s of now")
    """

    def __init__(
        self, reason: str, field: str, value: object, rule: str, *, secret: bool = False
    ) -> None:
        self.reason = reason
        super().__init__(field, value, rule, secret=secret)
