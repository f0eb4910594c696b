"""One neutral form for frames of every backend, so tests compare pandas, polars and pyarrow."""

from __future__ import annotations

import math
from typing import Any


def rows(frame: Any) -> list[dict[str, Any]]:
    """Return a native frame as plain row dicts: nulls as None, Python scalars and datetimes."""
    module = type(frame).__module__.split(".")[0]
    if module == "pyarrow":
        raw = frame.to_pylist()
    elif module == "polars":
        raw = frame.to_dicts()
    else:  # pandas: NaN, NaT and NA are its nulls
        raw = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [{key: _plain(value) for key, value in row.items()} for row in raw]


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
