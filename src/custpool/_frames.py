"""Results as data frames — pandas, polars or pyarrow — through one small bridge.

Every custpool result with rows or columns has ``to_frame(backend="pandas" | "polars" |
"pyarrow", *, tz=None)``; each builds a mapping of columns and hands it to :func:`build_frame`.
The bridge uses `narwhals <https://narwhals-dev.github.io/narwhals/>`_ (the ``frames`` extra:
``pip install "custpool[frames]"``) to build the frame in the backend asked for, which must be
installed too. Neither is imported until a frame is asked for.

The same conventions hold for every result:

- **column names** are snake_case and say their unit; one row per thing the result counts;
- **times** are timezone-aware datetimes (microseconds) in ``tz`` (an IANA name such as
  ``"Asia/Shanghai"``, or ``datetime.UTC``; default UTC), and "no such time" is null — the zone
  changes only how a time is shown, never which instant it is;
- **money** is exact: minor-unit integers in a ``<name>_minor`` column beside a ``currency``
  column, never floats;
- **states, tiers and kinds** are their string values, with Chinese labels in ``*_zh`` columns
  where the object has them; ids are strings; a count is an integer, a share a float or null when
  it was not measured;
- **types** do not depend on the data: a column has the same type in a backend whether it holds
  values, only nulls or no rows. A numpy column's type is its dtype's; a column given as a list
  or an object array states its type in ``dtypes``. In pandas, a column that may hold a null is
  nullable (``Int64``, ``boolean``; strings as pandas' own string type, floats ``float64``
  with NaN).

Lowest layer: imports only :mod:`custpool._errors` and :mod:`custpool._time`.

Examples
--------
>>> import numpy as np
>>> frame = build_frame(
...     {"customer_id": ["c-1", "c-2"], "since": np.array([0, NO_TIME])},
...     backend="pyarrow", times=("since",), tz="Asia/Shanghai",
... )
>>> [str(t) for t in frame.column("since").to_pylist()]
['1970-01-01 08:00:00+08:00', 'None']

A column of nulls only keeps the type it has with values:

>>> build_frame({"share": [None, None]}, backend="polars", dtypes={"share": "float"}).schema
Schema([('share', Float64)])
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any, Final, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from custpool._errors import (
    MissingDependencyError,
    ValidationError,
    WrongTypeError,
    bad_argument,
    wrong_argument,
    wrong_type,
)
from custpool._time import NO_TIME

__all__ = [
    "BACKENDS",
    "COLUMN_TYPES",
    "ColumnType",
    "arrow_table",
    "build_frame",
    "check_backend",
    "check_dtypes",
    "check_tz",
]

BACKENDS: Final = ("pandas", "polars", "pyarrow")
"""The frame libraries ``to_frame`` can build."""

_EXTRA: Final = "frames"

ColumnType = Literal["int", "float", "str", "bool"]
"""The type of a frame column whose values do not say it (see :func:`build_frame`)."""

COLUMN_TYPES: Final[tuple[ColumnType, ...]] = get_args(ColumnType)
"""The column types ``dtypes`` may give: int, float, str, bool."""

# The narwhals type of each column type, by name: int64, float64, string, boolean everywhere.
_NW_TYPES: Final = {"int": "Int64", "float": "Float64", "str": "String", "bool": "Boolean"}
# numpy dtype kinds whose type is clear: signed, unsigned, float, bool, unicode, bytes.
_KIND_TYPES: Final[dict[str, ColumnType]] = {
    "i": "int",
    "u": "int",
    "f": "float",
    "b": "bool",
    "U": "str",
}


def check_backend(backend: object) -> str:
    """Return ``backend`` if it is one of :data:`BACKENDS`, else raise a custpool error."""
    if not isinstance(backend, str):
        raise WrongTypeError("backend", type(backend).__name__, f"must be one of {BACKENDS}")
    if backend not in BACKENDS:
        raise ValidationError("backend", backend, f"must be one of {', '.join(BACKENDS)}")
    return backend


def check_tz(tz: object) -> str:
    """Return the IANA name of the zone times are shown in (``None`` and UTC give ``"UTC"``).

    Examples
    --------
    >>> check_tz(None), check_tz("Asia/Shanghai"), check_tz(dt.UTC)
    ('UTC', 'Asia/Shanghai', 'UTC')
    >>> check_tz("Mars/Olympus")
    Traceback (most recent call last):
    ...
    custpool.ValidationError: tz='Mars/Olympus': must be an IANA time zone name such as 'Asia/Shanghai' or 'UTC'
    """  # noqa: E501 - a doctest's output line cannot be wrapped
    rule = "must be an IANA time zone name such as 'Asia/Shanghai' or 'UTC'"
    if tz is None or tz is dt.UTC:
        return "UTC"
    if isinstance(tz, ZoneInfo):
        return tz.key
    if not isinstance(tz, str):
        raise WrongTypeError("tz", type(tz).__name__, rule)
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError("tz", tz, rule) from error
    return tz


def _import(package: str) -> Any:  # noqa: ANN401 - a module
    try:
        return importlib.import_module(package)
    except ImportError as error:
        raise MissingDependencyError(package, _EXTRA) from error


def arrow_table(frame: object, name: str = "frame") -> Any:  # noqa: ANN401 - a pyarrow.Table
    """Return ``frame`` as a ``pyarrow.Table``: the one way a user's frame comes in.

    pandas and polars frames, pyarrow tables and record batches, and any object with the Arrow
    PyCapsule stream interface (``__arrow_c_stream__``: DuckDB relations, narwhals frames, …)
    are accepted; polars and pyarrow arrive without a copy. Columns keep their Arrow types
    (polars strings as ``string_view``, pandas' strings as ``large_string``).

    Raises
    ------
    custpool.MissingDependencyError
        If pyarrow is not installed (it comes with the ``frames`` extra).
    custpool.WrongTypeError
        If ``frame`` is not a frame (a dict or a list is refused: name its columns in a frame).

    Examples
    --------
    >>> import pyarrow as pa
    >>> arrow_table(pa.table({"customer_id": ["c-1"]})).column_names
    ['customer_id']
    >>> arrow_table({"customer_id": ["c-1"]})
    Traceback (most recent call last):
    ...
    custpool.WrongTypeError: frame=<dict>: must be a pandas, polars or pyarrow frame (or an object with __arrow_c_stream__)
    """  # noqa: E501 - a doctest's output line cannot be wrapped
    pa = _import("pyarrow")
    rule = "must be a pandas, polars or pyarrow frame (or an object with __arrow_c_stream__)"
    if isinstance(frame, pa.Table):
        return frame
    if isinstance(frame, pa.RecordBatch):
        return pa.Table.from_batches([frame])
    module = type(frame).__module__.partition(".")[0]
    if module == "pandas" and hasattr(frame, "columns"):
        try:
            return pa.Table.from_pandas(frame, preserve_index=None)
        except (pa.ArrowTypeError, pa.ArrowInvalid) as error:
            column = re.search(r"for column (.+?) with type", str(error))
            where = f"column {column.group(1)!r}" if column else "a column"
            rule = f"every column must hold values of one type: {where} mixes them (text, numbers)"
            raise wrong_type(name, frame, rule) from None
    if hasattr(frame, "__arrow_c_stream__") or module == "polars":
        try:
            return pa.table(frame)
        except (TypeError, ValueError, pa.ArrowException) as error:
            raise wrong_type(name, frame, rule) from error
    raise wrong_type(name, frame, rule)


def _times(values: object) -> np.ndarray[Any, np.dtype[np.datetime64]]:
    """Microseconds since the epoch (``NO_TIME`` for none) as ``datetime64[us]`` with NaT."""
    micros = np.asarray(values, dtype=np.int64)
    out = micros.astype("datetime64[us]")
    out[micros == NO_TIME] = np.datetime64("NaT")
    return out


def check_dtypes(
    dtypes: object, names: Collection[str], times: Collection[str]
) -> dict[str, ColumnType]:
    """Return ``dtypes`` (column name → :data:`ColumnType`) checked against the column names.

    Raises
    ------
    custpool.WrongTypeError
        If ``dtypes`` is not a mapping.
    custpool.ValidationError
        If it names a column that is not in ``names`` or is one of ``times``, or gives a type
        that is not one of ``"int"``, ``"float"``, ``"str"``, ``"bool"``.

    Examples
    --------
    >>> check_dtypes({"n": "int"}, ["n", "t"], ["t"])
    {'n': 'int'}
    >>> check_dtypes({"n": "Int64"}, ["n"], [])
    Traceback (most recent call last):
    ...
    custpool.ValidationError: dtypes['n']='Int64': must be one of int, float, str, bool
    """
    if not isinstance(dtypes, Mapping):
        raise wrong_argument("dtypes", dtypes, "must be a mapping of column name to type")
    checked: dict[str, ColumnType] = {}
    for name, kind in dtypes.items():
        field = f"dtypes[{name!r}]"
        if name not in names:
            raise bad_argument("dtypes", name, "must name a column of the frame")
        if name in times:
            raise bad_argument("dtypes", name, "must not name a time column: times are typed")
        if kind not in COLUMN_TYPES:
            raise bad_argument(field, kind, f"must be one of {', '.join(COLUMN_TYPES)}")
        checked[name] = kind
    return checked


def _column_type(values: object, declared: ColumnType | None) -> ColumnType | None:
    """Return a column's type: the one declared, else its numpy dtype's (None if unclear)."""
    if declared is not None:
        return declared
    if isinstance(values, np.ndarray):
        return _KIND_TYPES.get(values.dtype.kind)
    return None


def _objects(values: object) -> np.ndarray[Any, np.dtype[np.object_]]:
    """Return the values as an object array with ``None`` for each null (masked entry)."""
    if isinstance(values, np.ma.MaskedArray):
        out: np.ndarray[Any, np.dtype[np.object_]] = np.ma.getdata(values).astype(object)
        out[np.ma.getmaskarray(values)] = None
        return out
    return np.asarray(values, dtype=object)


def _pandas_untyped(pd: Any, values: object) -> object:  # noqa: ANN401 - pandas
    """Return an undeclared column for pandas: a list of ints with a null as ``Int64``."""
    if isinstance(values, list) and None in values:
        present = [v for v in values if v is not None]
        if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            return pd.array(values, dtype="Int64")
    return values


def _pandas_column(
    pd: Any,  # noqa: ANN401 - pandas
    values: object,
    kind: ColumnType | None,
    *,
    declared: bool,
) -> object:
    """Return a column as pandas should hold it, typed whether or not it holds values.

    A column that may hold a null — a masked array, or one whose type is declared — is given
    pandas' nullable type: integers as ``Int64`` and booleans as ``boolean`` (numpy has no
    integer null, so pandas would store an integer column with a missing value as float64,
    inexact past 2**53: minor units of money must not go that way), strings as pandas' string
    type, floats as float64 with NaN. A plain numpy column (never null) is left as it is.
    """
    masked = isinstance(values, np.ma.MaskedArray)
    if kind is None or not (masked or declared):
        return _pandas_untyped(pd, values)
    if kind == "float":
        return np.asarray(_objects(values), dtype=np.float64)  # None becomes NaN
    if kind == "str":
        return pd.array(_objects(values), dtype=pd.Series([""]).dtype)  # pandas' own strings
    if masked:
        assert isinstance(values, np.ma.MaskedArray)  # noqa: S101 - narrowing for mypy
        mask = np.ma.getmaskarray(values)
        data = np.ma.getdata(values)
        if kind == "bool":
            return pd.arrays.BooleanArray(data.astype(bool), mask)
        return pd.arrays.IntegerArray(data.astype(np.int64), mask)
    return pd.array(_objects(values), dtype="boolean" if kind == "bool" else "Int64")


def build_frame(
    columns: Mapping[str, object],
    *,
    backend: object = "pandas",
    times: Iterable[str] = (),
    tz: object = None,
    dtypes: Mapping[str, ColumnType] | None = None,
) -> Any:  # noqa: ANN401 - the frame type depends on the backend
    """Build a frame of ``backend`` from ``columns`` (name → array or sequence), in order.

    Every column's type is fixed by what the caller states, never by the values, so a column
    holding only nulls, or a frame with no rows, has the schema it has with values: a numpy
    column has its dtype's type (int64, float64, bool, string), a time column is a
    timezone-aware timestamp, and a column given as a list or an object array has the type
    ``dtypes`` declares for it.

    Parameters
    ----------
    columns
        The columns, all of one length: numpy arrays (masked arrays for nulls) or sequences
        (strings, ints, floats, bools; ``None`` for null).
    backend
        ``"pandas"``, ``"polars"`` or ``"pyarrow"``.
    times
        Names of the columns that hold times as int64 microseconds since the epoch
        (:data:`~custpool._time.NO_TIME` for none); they become timezone-aware datetimes.
    tz
        The zone the times are shown in (see :func:`check_tz`).
    dtypes
        The type of columns whose values do not say it — lists and object arrays, which may
        be all null or empty: ``"int"`` (int64; pandas ``Int64``), ``"float"`` (float64),
        ``"str"`` (string) or ``"bool"`` (boolean; pandas ``boolean``). A declared column
        may hold nulls, so in pandas it has the nullable type even when it holds none.

    Returns
    -------
    pandas.DataFrame, polars.DataFrame or pyarrow.Table

    Raises
    ------
    custpool.MissingDependencyError
        If narwhals or the backend is not installed.
    custpool.ValidationError
        If ``backend`` or ``tz`` is not one of those allowed, or ``dtypes`` names a column
        that is not there (or a time column), or a type that is not one of the four.

    Examples
    --------
    >>> frame = build_frame({"n": [None], "id": np.array([None], dtype=object)},
    ...                     backend="pandas", dtypes={"n": "int", "id": "str"})
    >>> [str(t) for t in frame.dtypes]
    ['Int64', 'str']
    """
    name = check_backend(backend)
    zone = check_tz(tz)
    time_names = set(times)
    declared = check_dtypes({} if dtypes is None else dtypes, columns.keys(), time_names)
    nw = _import("narwhals")
    _import(name)
    data = {key: _times(value) if key in time_names else value for key, value in columns.items()}
    if name == "pandas":  # nullable columns typed by pandas' nullable arrays, never by values
        pd = _import("pandas")
        data = {
            key: _pandas_column(
                pd, value, _column_type(value, declared.get(key)), declared=key in declared
            )
            for key, value in data.items()
        }
    frame = nw.from_dict(data, backend=name)
    if declared and name != "pandas":  # a list of nulls has no type of its own: give it one
        schema = frame.schema
        wanted = {key: getattr(nw, _NW_TYPES[kind]) for key, kind in declared.items()}
        casts = [nw.col(key).cast(t) for key, t in wanted.items() if schema[key] != t]
        if casts:
            frame = frame.with_columns(*casts)
    if time_names:
        frame = frame.with_columns(
            nw.col(*sorted(time_names)).dt.replace_time_zone("UTC").dt.convert_time_zone(zone)
        )
    return frame.to_native()
