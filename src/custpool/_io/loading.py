"""What the loaders return, and the row logic they share: validation, de-duplication, safe values.

custpool's core never does I/O; the loaders (:mod:`custpool._io.jsonl`,
:mod:`custpool._io.csv`) are the exception, and everything they have in common lives here so
the two formats behave alike: how a row becomes a record or a :class:`Rejection`, how
duplicates are counted, how values are shown without leaking contact handles, and how files
and streams are opened.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Final, Generic, NamedTuple, Self, TextIO, TypeVar

import numpy as np
from pydantic import Secret, SecretBytes, SecretStr
from pydantic import ValidationError as PydanticValidationError

from custpool._errors import LoadError, ValidationError, WrongTypeError, safe_repr, wrong_argument
from custpool._frames import build_frame
from custpool._model import Customer, Interaction, PoolActivity

if TYPE_CHECKING:
    from datetime import tzinfo

    from pydantic_core import ErrorDetails

__all__ = [
    "LoadResult",
    "Problem",
    "Rejection",
    "RowCounts",
    "Collector",
    "Dest",
    "HEADER",
    "M",
    "ROW",
    "BOM",
    "RawLine",
    "Record",
    "Source",
    "check_counts",
    "check_flag",
    "check_limit",
    "check_model",
    "check_records",
    "duplicate_problem",
    "holds_secrets",
    "load_error",
    "looks_like_contact",
    "open_dest",
    "open_source",
    "read_lines",
    "show_key",
    "show_row",
    "show_value",
    "skip_rest",
    "utf8_problem",
    "validated",
]

T = TypeVar("T")
M = TypeVar("M", Customer, Interaction, PoolActivity)
"""The record types the loaders read: one per file."""

Record = Customer | Interaction | PoolActivity
Source = str | os.PathLike[str] | BinaryIO
"""Where a loader reads: a path, or a file object opened in binary mode."""
Dest = str | os.PathLike[str] | TextIO | BinaryIO
"""Where a writer writes: a path, or a text or binary file object."""

MODELS: Final = (Customer, Interaction, PoolActivity)
ROW: Final = "<row>"
"""The field name of a problem with the whole row rather than one field."""
HEADER: Final = "<header>"
"""The field name of a problem with a CSV header."""
MISSING: Final = "<missing>"
"""The value shown for a required field that is absent."""
SECRET_NAMES: Final = frozenset({"contacts", "phone", "wechat_id", "wecom_external_id"})
"""Field and column names whose values are contact handles, never shown."""
_CONTACT_WORDS: Final = (
    *("phone", "mobile", "telephone", "msisdn", "wechat", "weixin", "unionid", "openid"),
    *("email", "externaluserid", "externalid", "contact", "whatsapp"),
    *("手机", "电话", "微信", "邮箱", "联系"),
)
"""Words that make a key a contact field wherever they appear in it (``user_mobile``)."""
_CONTACT_TOKENS: Final = frozenset({"tel", "wx", "wxid", "qq", "mail", "cell", "sms"})
"""Short words that make a key a contact field only as a whole word (``tel_no``, not ``hotel``)."""
_CAMEL: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_PLAIN_KEY: Final = re.compile(r"(?!\d)[\w.-]{1,64}")
_DIGIT_RUN: Final = re.compile(r"\d{5}")

BOM: Final = b"\xef\xbb\xbf"
_SKIP_CHUNK: Final = 1 << 16


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a row: the field, its value shown safely, and the rule it breaks.

    Attributes
    ----------
    field
        Dotted field name (``"amount.currency"``, ``"contacts.phone"``, ``"tags.0.name"``), a CSV
        column name, or ``"<row>"`` when the row as a whole is unreadable.
    value
        The offending value as shown in messages: a ``repr`` cut to 60 characters, or a mask
        such as ``<secret, 11 chars>`` for contact handles. Never the raw secret.
    rule
        What the value should be.

    Examples
    --------
    >>> p = Problem("score", "'11'", "Input should be less than or equal to 10")
    >>> str(p)
    "score='11': Input should be less than or equal to 10"
    """

    field: str
    value: str
    rule: str

    def __post_init__(self) -> None:
        """Refuse anything but text: a problem is shown, so it holds only what is safe to show."""
        for name in ("field", "value", "rule"):
            if not isinstance(getattr(self, name), str):
                raise wrong_argument(name, getattr(self, name), "must be a str")

    def __str__(self) -> str:
        """Return ``field=value: rule``."""
        return f"{self.field}={self.value}: {self.rule}"


@dataclass(frozen=True, slots=True)
class Rejection:
    """A row that was not accepted: where it starts and everything wrong with it.

    Attributes
    ----------
    line
        1-based line of the file where the row starts (a CSV record with quoted line breaks
        spans several lines; this is the first).
    problems
        At least one :class:`Problem`.
    other_line
        For a conflicting duplicate (same id, different content): the line of the row that was
        kept.
    row
        For a row of a data frame, Parquet or Arrow file: its 0-based position (``line`` is
        then ``row + 1``, its ordinal), shown as ``row N`` in messages; else None.

    Examples
    --------
    >>> r = Rejection(7, (Problem("score", "'11'", "must be at most 10"),))
    >>> str(r)
    "line 7: score='11': must be at most 10"
    >>> r.field, r.value, r.reason
    ('score', "'11'", 'must be at most 10')
    """

    line: int
    problems: tuple[Problem, ...]
    other_line: int | None = None
    row: int | None = None

    def __post_init__(self) -> None:
        """Refuse a rejection without problems, and fields of the wrong type."""
        _check_line("line", self.line)
        problems: object = self.problems
        if not isinstance(problems, tuple) or not all(isinstance(p, Problem) for p in problems):
            raise wrong_argument("problems", problems, "must be a tuple of Problem objects")
        if not problems:
            raise ValidationError("problems", problems, "a rejection needs at least one")
        if self.other_line is not None:
            _check_line("other_line", self.other_line)
        row: object = self.row
        if row is not None and (
            not isinstance(row, int) or isinstance(row, bool) or row != self.line - 1
        ):
            raise wrong_argument("row", self.row, "must be None or line - 1 (a 0-based row)")

    @property
    def field(self) -> str:
        """The first problem's field."""
        return self.problems[0].field

    @property
    def value(self) -> str:
        """The first problem's value, shown safely."""
        return self.problems[0].value

    @property
    def reason(self) -> str:
        """The first problem's rule."""
        return self.problems[0].rule

    def __str__(self) -> str:
        """Return ``line N: field=value: rule`` (``row N`` for a frame's), problems ``; ``-joined.

        Examples
        --------
        >>> str(Rejection(3, (Problem("amount", "19.999", "has more decimals"),), row=2))
        'row 2: amount=19.999: has more decimals'
        """
        where = f"line {self.line}" if self.row is None else f"row {self.row}"
        return f"{where}: " + "; ".join(str(p) for p in self.problems)


class RowCounts:
    """The row counts every load reports, from what it kept, dropped and rejected.

    ``rows_read == rows_accepted + rows_rejected`` and ``rows_accepted == kept() +
    duplicates_dropped`` hold by construction. Shared by :class:`LoadResult` and
    :class:`~custpool.EventLoad`.
    """

    __slots__ = ()
    rejections: tuple[Rejection, ...]
    duplicates_dropped: int
    source: str | None

    def kept(self) -> int:
        """Return the number of accepted rows kept (not dropped as duplicates)."""
        raise NotImplementedError

    @property
    def rows_accepted(self) -> int:
        """Rows that passed validation: those kept plus identical duplicates dropped."""
        return self.kept() + self.duplicates_dropped

    @property
    def rows_rejected(self) -> int:
        """Rows that were rejected (one per :class:`Rejection`)."""
        return len(self.rejections)

    @property
    def rows_read(self) -> int:
        """Non-blank rows read (a CSV header is not a row)."""
        return self.rows_accepted + self.rows_rejected

    @property
    def ok(self) -> bool:
        """Whether no row was rejected."""
        return not self.rejections

    def raise_for_rejections(self) -> Self:
        """Raise :class:`~custpool.LoadError` for the first rejected row; else return ``self``.

        Returns
        -------
        LoadResult
            ``self``, so ``read_csv(...).raise_for_rejections().records`` reads well.

        Raises
        ------
        custpool.LoadError
            Naming the first rejection's line, field, safe value and rule.

        Examples
        --------
        >>> LoadResult(records=()).raise_for_rejections().ok
        True
        >>> bad = Rejection(4, (Problem("kind", "'gift'", "Input should be ..."),))
        >>> LoadResult((), (bad,), source="events.csv").raise_for_rejections()
        Traceback (most recent call last):
        ...
        custpool.LoadError: events.csv line 4: kind='gift': Input should be ...
        """
        if self.rejections:
            raise load_error(self.rejections[0], self.source)
        return self

    def rejections_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        r"""Return the rejections as a data frame: one row per problem, in file order.

        Columns: ``line`` (where the rejected row starts, from 1); ``row`` (for a frame,
        Parquet or Arrow source, the row's 0-based position; else null); ``field``; ``value`` (as
        shown in messages — a mask such as ``<secret, 11 chars>`` for a contact handle, never
        the handle); ``rule``; ``other_line`` (for a conflicting duplicate, the line of the row
        kept; else null). A row with several problems has several rows, all with its line. A
        load without rejections gives a frame with these columns and no rows. Rejections hold
        no time, so ``tz`` is only checked, for the signature every ``to_frame`` shares.

        Parameters
        ----------
        backend
            ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (installed, with narwhals: the
            ``frames`` extra).
        tz
            The zone times are shown in (an IANA name or ``datetime.UTC``; default UTC).

        Returns
        -------
        pandas.DataFrame, polars.DataFrame or pyarrow.Table

        Raises
        ------
        custpool.ValidationError
            If ``backend`` or ``tz`` is not one of those allowed.
        custpool.MissingDependencyError
            If narwhals or the backend is not installed.

        Examples
        --------
        >>> import io
        >>> from custpool import Customer, read_jsonl
        >>> text = b'{"id": "c-1"}\n{"id": "c-1", "display_name": "Li"}\n{"id": "c 2"}\n'
        >>> frame = read_jsonl(io.BytesIO(text), Customer).rejections_frame("pyarrow")
        >>> frame.column_names
        ['line', 'row', 'field', 'value', 'rule', 'other_line']
        >>> frame.select(["line", "field", "value", "other_line"]).to_pylist()[0]
        {'line': 2, 'field': 'id', 'value': "'c-1'", 'other_line': 1}
        >>> frame.column("line").to_pylist(), frame.column("other_line").to_pylist()
        ([2, 3], [1, None])
        """
        lines: list[int] = []
        rows: list[int] = []
        others: list[int] = []
        fields: list[str] = []
        values: list[str] = []
        rules: list[str] = []
        for rejection in self.rejections:
            for problem in rejection.problems:
                lines.append(rejection.line)
                rows.append(-1 if rejection.row is None else rejection.row)
                others.append(-1 if rejection.other_line is None else rejection.other_line)
                fields.append(problem.field)
                values.append(problem.value)
                rules.append(problem.rule)
        other = np.array(others, dtype=np.int64)
        row = np.array(rows, dtype=np.int64)
        columns = {
            "line": np.array(lines, dtype=np.int64),
            "row": np.ma.masked_array(row, mask=row < 0),
            "field": np.array(fields, dtype=np.str_),
            "value": np.array(values, dtype=np.str_),
            "rule": np.array(rules, dtype=np.str_),
            "other_line": np.ma.masked_array(other, mask=other < 0),
        }
        return build_frame(columns, backend=backend, tz=tz)


@dataclass(frozen=True, slots=True)
class LoadResult(RowCounts, Generic[T]):
    """What a loader read: the records, the rejected rows, and counts that always add up.

    Every non-blank row read is either rejected or accepted, and every accepted row either
    became a record or was an identical copy of an earlier one (dropped and counted)::

        rows_read     == rows_accepted + rows_rejected
        rows_accepted == len(records) + duplicates_dropped

    The counts are computed from the contents, so they cannot disagree.

    Attributes
    ----------
    records
        The accepted records, unique by id, in file order.
    rejections
        The rejected rows, in file order.
    duplicates_dropped
        Rows that repeated an earlier row exactly.
    source
        The file's name, when known.

    Examples
    --------
    >>> from custpool import Customer
    >>> bad = Rejection(3, (Problem("id", "<missing>", "Field required"),))
    >>> result = LoadResult((Customer(id="c-1"),), (bad,), duplicates_dropped=1)
    >>> result.rows_read, result.rows_accepted, result.rows_rejected, result.ok
    (3, 2, 1, False)
    >>> result.summary()
    '3 rows read (2 accepted, 1 rejected); 1 record kept, 1 identical duplicate dropped'
    """

    records: tuple[T, ...]
    rejections: tuple[Rejection, ...] = ()
    duplicates_dropped: int = 0
    source: str | None = None

    def __post_init__(self) -> None:
        """Refuse a negative count of duplicates, and fields of the wrong type."""
        if not isinstance(self.records, tuple):
            raise wrong_argument("records", self.records, "must be a tuple")
        check_counts(self.rejections, self.duplicates_dropped, self.source)

    def kept(self) -> int:
        """Return the number of records kept."""
        return len(self.records)

    def summary(self) -> str:
        """Return one line with the counts, e.g. for a log.

        Examples
        --------
        >>> LoadResult(records=(), source="a").summary()
        'a: 0 rows read (0 accepted, 0 rejected); 0 records kept, 0 identical duplicates dropped'
        """
        where = f"{self.source}: " if self.source else ""
        return (
            f"{where}{_count(self.rows_read, 'row')} read ({self.rows_accepted} accepted, "
            f"{self.rows_rejected} rejected); {_count(len(self.records), 'record')} kept, "
            f"{_count(self.duplicates_dropped, 'identical duplicate')} dropped"
        )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def check_counts(rejections: object, duplicates_dropped: object, source: object) -> None:
    """Check the fields every load result has: rejections, a count of duplicates, a source."""
    if not isinstance(rejections, tuple) or not all(isinstance(r, Rejection) for r in rejections):
        raise wrong_argument("rejections", rejections, "must be a tuple of Rejection objects")
    if not isinstance(duplicates_dropped, int) or isinstance(duplicates_dropped, bool):
        rule = "must be an integer >= 0"
        raise wrong_argument("duplicates_dropped", duplicates_dropped, rule)
    if duplicates_dropped < 0:
        raise ValidationError("duplicates_dropped", duplicates_dropped, "must be an integer >= 0")
    if source is not None and not isinstance(source, str):
        raise wrong_argument("source", source, "must be a str (the file's name) or None")


def _check_line(name: str, line: object) -> None:
    """Refuse a line number that is not an integer >= 1."""
    if not isinstance(line, int) or isinstance(line, bool):
        raise wrong_argument(name, line, "must be a line number, an integer >= 1")
    if line < 1:
        raise ValidationError(name, line, "must be a line number, an integer >= 1")


def load_error(rejection: Rejection, source: str | None) -> LoadError:
    """Return the :class:`~custpool.LoadError` for a rejection's first problem.

    The value is already shown safely, so the error shows it as it is (not quoted again) and
    holds that shown form as ``value``: the raw value, which may be a secret, is not kept.
    Further problems of the row are added as an exception note.
    """
    problem = rejection.problems[0]
    error = LoadError(
        rejection.line,
        problem.field,
        problem.value,
        problem.rule,
        source=source,
        shown=problem.value,
    )
    if len(rejection.problems) > 1:
        error.add_note(f"all problems of this row: {rejection}")
    return error


# --- showing values safely ----------------------------------------------------------------------


class _Shown:
    """Shows as the given text: a secret's stand-in, or a number as it was written."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


_HIDDEN: Final = _Shown("<secret>")
_SECRETS: Final = (SecretStr, SecretBytes, Secret)
"""pydantic's secret wrappers: models may conceal a value in them before validating it."""


@lru_cache(maxsize=4096)
def looks_like_contact(name: str) -> bool:
    """Return whether a key's name says that its value is a contact handle.

    Contact handles are secrets wherever they sit, also under keys custpool does not know: a
    row may carry ``mobile``, ``Phone``, ``unionid`` or ``external_userid`` from another
    system. Names are compared case-insensitively, camelCase and ``_``/``-`` words split: a key
    is a contact field when it contains a contact word (``phone``, ``mobile``, ``wechat``,
    ``weixin``, ``unionid``, ``openid``, ``email``, ``external_userid``, ``contact`` …, or
    手机, 电话, 微信, 邮箱, 联系) or has a short one as a whole word (``tel``, ``wx``,
    ``wxid``, ``qq``, ``mail``, ``cell``, ``sms``).

    Examples
    --------
    >>> [looks_like_contact(k) for k in ("mobile", "userPhone", "wx_id", "unionId", "tel")]
    [True, True, True, True, True]
    >>> [looks_like_contact(k) for k in ("display_name", "hotel", "order_id")]
    [False, False, False]
    """
    if name in SECRET_NAMES:
        return True
    words = _CAMEL.sub(" ", name).casefold()
    joined = "".join(ch for ch in words if ch.isalnum())
    if any(word in joined for word in _CONTACT_WORDS):
        return True
    return any(token in _CONTACT_TOKENS for token in re.split(r"[\W_]+", words))


def touches_secret(loc: Sequence[str | int]) -> bool:
    """Return whether a field path points at or into contact handles."""
    return any(isinstance(part, str) and looks_like_contact(part) for part in loc)


def show_key(name: str) -> str:
    """Show a key of a row: as it is when it reads as a field name, else only its length.

    A key is data too: a row may be keyed by phone numbers or e-mail addresses. Names that
    start with a digit, hold five digits in a row, or hold other characters than letters,
    digits, ``_``, ``-`` and ``.`` (``@``, ``+``, spaces) are not shown.

    Examples
    --------
    >>> show_key("mobile"), show_key("13800138000"), show_key("a@b.cn")
    ('mobile', '<key of 11 chars>', '<key of 6 chars>')
    """
    if _PLAIN_KEY.fullmatch(name) and not _DIGIT_RUN.search(name):
        return name
    return f"<key of {len(name)} chars>"


def _redact(value: object) -> object:
    """Hide whatever sits under a contact key, at any depth, and keys that are not names."""
    if isinstance(value, _SECRETS):
        return _HIDDEN
    if isinstance(value, Mapping):
        return {
            _shown_key(k): _HIDDEN if isinstance(k, str) and looks_like_contact(k) else _redact(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_redact(v) for v in value]
    if isinstance(value, Decimal):  # JSON numbers are read as Decimals; show them as written
        return _Shown(str(value))
    return value


def _shown_key(key: object) -> object:
    if isinstance(key, str) and show_key(key) != key:
        return _Shown(show_key(key))
    return key


def show_value(value: object, loc: Sequence[str | int] = ()) -> str:
    """Show a field's value safely: masked under a contact key, contact keys inside hidden.

    Examples
    --------
    >>> show_value("13800138000", ("contacts", "phone"))
    '<secret, 11 chars>'
    >>> show_value("13800138000", ("mobile",))
    '<secret, 11 chars>'
    >>> show_value({"id": "c-1", "contacts": {"phone": "13800138000"}})
    "{'id': 'c-1', 'contacts': <secret>}"
    >>> show_value(Decimal("9.5"))
    '9.5'
    >>> show_value(SecretStr("13800138000"))
    '<secret, 11 chars>'
    """
    if isinstance(value, _SECRETS):  # a model concealed it before validating
        return safe_repr(value.get_secret_value(), secret=True)
    if touches_secret(loc):
        return safe_repr(value, secret=True)
    return safe_repr(_redact(value))


def _unshown(value: object) -> str:
    """Describe a value without showing it: its length if it is text.

    Examples
    --------
    >>> _unshown("call 13800138000"), _unshown({"a": 1})
    ('<not shown, 16 chars>', '<not shown>')
    """
    return f"<not shown, {len(value)} chars>" if isinstance(value, str) else "<not shown>"


def show_row(text: str, *, secret: bool) -> str:
    """Show a whole row that could not be read: by its length only, never its text.

    A row that cannot be parsed cannot be searched for contact handles either, whatever the
    model: a customer file read as interactions holds them all the same. ``secret`` (rows of a
    model that holds contact handles) says so in the mask. The line number, and for JSON the
    column, tell where to look.

    Examples
    --------
    >>> show_row('{"id": "c-1", "contacts": {"phone": "13800138000"', secret=True)
    '<secret, 49 chars>'
    >>> show_row('{"id": "i-1", kind}  ', secret=False)
    '<19 chars>'
    """
    size = len(text.strip())
    return f"<secret, {size} chars>" if secret else f"<{size} chars>"


def holds_secrets(model: type[Record]) -> bool:
    """Return whether rows of ``model`` may carry contact handles."""
    return "contacts" in model.model_fields


def utf8_problem(data: bytes, field: str, *, secret: bool) -> Problem | None:
    r"""Return a problem naming the first byte that is not valid UTF-8 (1-based), or None.

    Examples
    --------
    >>> utf8_problem(b'{"id": "\xff"}', ROW, secret=False)
    Problem(field='<row>', value="b'\\xff'", rule='not valid UTF-8 at byte 9')
    >>> utf8_problem("好".encode(), ROW, secret=False) is None
    True
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = safe_repr(data[exc.start : exc.end], secret=secret)
        return Problem(field, bad, f"not valid UTF-8 at byte {exc.start + 1}")
    return None


def problems_from(exc: PydanticValidationError) -> tuple[Problem, ...]:
    """Turn pydantic's errors into problems with dotted fields, plain rules and safe values.

    Examples
    --------
    >>> from custpool import Customer
    >>> try:
    ...     Customer.model_validate({"id": "c 1", "contacts": {"phone": "call me"}})
    ... except ValueError as exc:
    ...     for p in problems_from(exc):
    ...         print(p)
    id='c 1': an id must be 1-128 characters with no white space or control characters; got 'c 1'
    contacts.phone=<secret, 7 chars>: must be a phone number: ... (value not shown: it is a secret)
    """
    return tuple(_problem(error) for error in exc.errors(include_url=False, include_context=False))


def _problem(error: ErrorDetails) -> Problem:
    loc = error["loc"]
    field = ".".join(show_key(p) if isinstance(p, str) else str(p) for p in loc) or ROW
    rule = error["msg"].removeprefix("Value error, ")
    if error["type"] == "missing":
        value = MISSING
    elif error["type"] == "extra_forbidden" and not (
        touches_secret(loc) or isinstance(error["input"], _SECRETS)
    ):
        value = _unshown(error["input"])  # an unknown key's value: no one knows what it holds
    else:
        value = show_value(error["input"], loc)
    return Problem(field, value, rule)


# --- checking arguments -------------------------------------------------------------------------


def check_model(model: object) -> None:
    """Refuse anything but the three record types."""
    if not isinstance(model, type) or model not in MODELS:
        raise wrong_argument("model", model, "must be Customer, Interaction or PoolActivity")


def check_limit(name: str, value: object) -> None:
    """Refuse a size limit that is not a positive integer."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise wrong_argument(name, value, "must be a positive integer")
    if value < 1:
        raise ValidationError(name, value, "must be a positive integer")


def check_flag(name: str, value: object) -> bool:
    """Return ``value`` if it is True or False; refuse anything else (``"no"`` is not False).

    Examples
    --------
    >>> check_flag("strict", False)
    False
    >>> check_flag("reveal_secrets", "no")
    Traceback (most recent call last):
    ...
    custpool.WrongTypeError: reveal_secrets='no': must be True or False
    """
    if not isinstance(value, bool):
        raise wrong_argument(name, value, "must be True or False")
    return value


def check_records(records: Iterable[Record]) -> tuple[Record, ...]:
    """Return the records as a tuple, refusing mixed or foreign types."""
    rule = "must be an iterable of Customer, Interaction or PoolActivity objects"
    if isinstance(records, str | bytes | Mapping):
        raise wrong_argument("records", records, rule)
    try:
        rows = tuple(records)
    except TypeError:
        raise wrong_argument("records", records, rule) from None
    first = type(rows[0]) if rows else None
    for position, record in enumerate(rows):
        if type(record) not in MODELS or type(record) is not first:
            raise WrongTypeError(
                "records",
                type(record).__name__,
                f"item {position} breaks the rule: records must be all Customer, all Interaction "
                "or all PoolActivity objects",
            )
    return rows


# --- collecting rows ----------------------------------------------------------------------------


def validated(model: type[M], data: Mapping[str, Any]) -> M | tuple[Problem, ...]:
    """Return ``data`` validated as ``model``, or the problems that refuse it."""
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        return problems_from(exc)
    except Exception as exc:  # noqa: BLE001 - one row must never stop the load
        # A safety net: an input no validator foresaw must still become a rejection, never
        # stop the load. Neither the row nor the error's message is shown (either may hold
        # a secret); the error's kind is.
        rule = f"could not be validated ({type(exc).__name__}); check the row's types"
        return (Problem(ROW, "<not shown>", rule),)


def duplicate_problem(record_id: str, first_line: int) -> Problem:
    """Return the problem of a row whose id an earlier row (``first_line``) has, unlike it."""
    rule = (
        f"duplicate id: line {first_line} has the same id with different content; "
        "ids must be unique"
    )
    return Problem("id", safe_repr(record_id), rule)


class Collector(Generic[M]):
    """Turn rows into a :class:`LoadResult`: validate, de-duplicate by id, keep rejections.

    In strict mode the first rejection raises :class:`~custpool.LoadError` instead.
    """

    def __init__(self, model: type[M], *, source: str | None, strict: bool) -> None:
        self.model: type[M] = model
        self.source = source
        self.strict = strict
        self._records: list[M] = []
        self._first: dict[str, tuple[int, M]] = {}
        self._rejections: list[Rejection] = []
        self._dropped = 0
        self.record_lines: list[int] = []
        """The line of each kept record, in record order."""
        self.duplicate_lines: dict[int, list[int]] = {}
        """The lines of the identical duplicates dropped, by the line of the record kept."""

    def reject(self, line: int, problems: Sequence[Problem], other_line: int | None = None) -> None:
        """Record a rejected row (raise at once in strict mode)."""
        rejection = Rejection(line, tuple(problems), other_line)
        if self.strict:
            raise load_error(rejection, self.source)
        self._rejections.append(rejection)

    def add(self, line: int, data: Mapping[str, Any]) -> None:
        """Validate one row's data and keep, drop or reject it."""
        record = validated(self.model, data)
        if isinstance(record, tuple):
            # Rejected outside validated's except clause: a strict LoadError must not carry
            # pydantic's error, which shows the raw input, as its __context__.
            self.reject(line, record)
            return
        seen = self._first.get(record.id)
        if seen is None:
            self._first[record.id] = (line, record)
            self._records.append(record)
            self.record_lines.append(line)
        elif seen[1] == record:
            self._dropped += 1
            self.duplicate_lines.setdefault(seen[0], []).append(line)
        else:
            self.reject(line, [duplicate_problem(record.id, seen[0])], other_line=seen[0])

    def result(self) -> LoadResult[M]:
        """Return what was collected."""
        return LoadResult(tuple(self._records), tuple(self._rejections), self._dropped, self.source)


# --- files and streams --------------------------------------------------------------------------


@contextmanager
def open_source(source: Source) -> Iterator[tuple[BinaryIO, str | None]]:
    """Open a path for binary reading, or pass a binary stream through; yield it and its name."""
    if isinstance(source, str | os.PathLike):
        with Path(source).open("rb") as stream:
            yield stream, str(source)
        return
    if not callable(getattr(source, "readline", None)):
        raise wrong_argument("source", source, "must be a path or a file opened in binary mode")
    name = getattr(source, "name", None)
    yield source, name if isinstance(name, str) else None


class RawLine(NamedTuple):
    """One physical line: its 1-based number, its bytes (with the line break), its size.

    ``data`` is None when the line is longer than the limit; ``size`` then tells how long it was.
    ``size`` never counts the line break.
    """

    number: int
    data: bytes | None
    size: int


def read_lines(stream: BinaryIO, limit: int | None = None) -> Iterator[RawLine]:
    r"""Yield the stream's physical lines (split at ``\n``), a leading UTF-8 BOM removed.

    Lines longer than ``limit`` bytes (break and BOM not counted) are skipped over in chunks,
    never held whole.
    """
    number = 0
    while True:
        want = -1 if limit is None else limit + 2 + (len(BOM) if number == 0 else 0)
        if not (raw := stream.readline(want)):
            return
        if not isinstance(raw, bytes):
            raise WrongTypeError(
                "source", type(stream).__name__, "must be a file opened in binary mode ('rb')"
            )
        number += 1
        bom = len(BOM) if number == 1 and raw.startswith(BOM) else 0
        if len(raw) == want and not raw.endswith(b"\n"):  # the line goes on: too long
            yield RawLine(number, None, skip_rest(stream, raw) - bom)
            continue
        size = len(raw) - bom - _break_length(raw)
        yield RawLine(number, None if limit is not None and size > limit else raw[bom:], size)


def _break_length(tail: bytes) -> int:
    """Return the length of the line break ending ``tail``: 2 for CRLF, 1 for LF, else 0."""
    return 2 if tail.endswith(b"\r\n") else 1 if tail.endswith(b"\n") else 0


def skip_rest(stream: BinaryIO, head: bytes) -> int:
    """Read to the end of the line that starts with ``head``; return its size, break excluded."""
    size, tail = len(head), head[-2:]
    while not tail.endswith(b"\n") and (chunk := stream.readline(_SKIP_CHUNK)):
        size += len(chunk)
        tail = (tail + chunk)[-2:]
    return size - _break_length(tail)


class _Utf8Writer:
    """Write text to a binary stream as UTF-8."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(text.encode("utf-8"))
        return len(text)


@contextmanager
def open_dest(dest: Dest) -> Iterator[TextIO | _Utf8Writer]:
    """Open a path for writing UTF-8 text, or wrap a stream; yield something with ``write(str)``.

    Text streams are written as they are (open them with ``newline=""`` for CSV); any other stream
    is taken as binary and receives UTF-8 bytes. Streams passed in are left open.
    """
    if isinstance(dest, str | os.PathLike):
        with Path(dest).open("w", encoding="utf-8", newline="") as stream:
            yield stream
    elif isinstance(dest, io.TextIOBase):
        yield dest
    elif callable(getattr(dest, "write", None)):
        yield _Utf8Writer(dest)  # type: ignore[arg-type]  # not text, so binary
    else:
        raise wrong_argument("dest", dest, "must be a path or a file object")
