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
  it was not measured.

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
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from custpool._errors import MissingDependencyError, ValidationError, WrongTypeError, wrong_type
from custpool._time import NO_TIME

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = ["BACKENDS", "arrow_table", "build_frame", "check_backend", "check_tz"]

BACKENDS: Final = ("pandas", "polars", "pyarrow")
"""The frame libraries ``to_frame`` can build."""

_EXTRA: Final = "frames"


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


def _pandas_nullable(pd: Any, values: object) -> object:  # noqa: ANN401 - pandas
    """Integer or boolean values with nulls as pandas' nullable arrays (``Int64``, ``boolean``).

    numpy has no integer null, so pandas stores an integer column with a missing value as
    float64, which is inexact past 2**53: minor units of money must not go that way.
    """
    if isinstance(values, np.ma.MaskedArray) and values.dtype.kind in "iub":
        mask = np.ma.getmaskarray(values)
        data = np.ma.getdata(values)
        if data.dtype.kind == "b":
            return pd.arrays.BooleanArray(data.astype(bool), mask)
        return pd.arrays.IntegerArray(data.astype(np.int64), mask)
    if isinstance(values, list) and None in values:
        present = [v for v in values if v is not None]
        if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            return pd.array(values, dtype="Int64")
    return values


def build_frame(
    columns: Mapping[str, object],
    *,
    backend: object = "pandas",
    times: Iterable[str] = (),
    tz: object = None,
) -> Any:  # noqa: ANN401 - the frame type depends on the backend
    """Build a frame of ``backend`` from ``columns`` (name → array or sequence), in order.

    Parameters
    ----------
    columns
        The columns, all of one length: numpy arrays or sequences (strings, ints, floats,
        bools; ``None`` for null).
    backend
        ``"pandas"``, ``"polars"`` or ``"pyarrow"``.
    times
        Names of the columns that hold times as int64 microseconds since the epoch
        (:data:`~custpool._time.NO_TIME` for none); they become timezone-aware datetimes.
    tz
        The zone the times are shown in (see :func:`check_tz`).

    Returns
    -------
    pandas.DataFrame, polars.DataFrame or pyarrow.Table

    Raises
    ------
    custpool.MissingDependencyError
        If narwhals or the backend is not installed.
    custpool.ValidationError
        If ``backend`` or ``tz`` is not one of those allowed.
    """
    name = check_backend(backend)
    zone = check_tz(tz)
    time_names = set(times)
    nw = _import("narwhals")
    _import(name)
    data = {key: _times(value) if key in time_names else value for key, value in columns.items()}
    if name == "pandas":  # keep nullable integers and money exact: pandas would make them floats
        pd = _import("pandas")
        data = {key: _pandas_nullable(pd, value) for key, value in data.items()}
    frame = nw.from_dict(data, backend=name)
    if time_names:
        frame = frame.with_columns(
            nw.col(*sorted(time_names)).dt.replace_time_zone("UTC").dt.convert_time_zone(zone)
        )
    return frame.to_native()
