"""The pieces every analytics ``to_frame`` shares: ids, states, nulls, money and KPI rows.

Each result's ``to_frame`` gathers its columns here and hands them to
:func:`custpool._frames.build_frame` through :func:`frame`, so the analytics follow one
convention (see :mod:`custpool._frames`): a window is ``window_start``/``window_end``, a state
``state`` and ``state_zh``, money ``<name>_minor`` beside ``currency``, a customer
``customer_id``; and the KPI results share one tidy layout, :class:`KpiRows`. No frame library
is imported here: :func:`~custpool._frames.build_frame` imports narwhals when a frame is asked
for.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from custpool._errors import ValidationError
from custpool._frames import ColumnType, build_frame
from custpool._tiers import State

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Mapping

    from numpy.typing import NDArray

    from custpool._engine import Window
    from custpool._model import Money

__all__ = [
    "KPI_ZH",
    "KpiRows",
    "frame",
    "minor_or_none",
    "nullable",
    "rounded_minor",
    "state_columns",
]

_STATE_VALUES: Final = np.array([s.value for s in State], dtype=object)
_STATE_ZH: Final = np.array([s.label_zh for s in State], dtype=object)
_INT64_MAX: Final = 2**63 - 1

KPI_ZH: Final = {
    "user_scale": "规模用户",
    "activity_rate": "活跃度",
    "conversion_rate": "转化率",
    "average_order_value": "客单价",
    "repurchase_rate": "复购率",
    "nps": "净推荐值",
    "visits": "上门量",
}
"""The Chinese names of the KPIs that custpool's reports name in Chinese."""


def frame(
    columns: Mapping[str, object],
    backend: str,
    tz: str | dt.tzinfo | None,
    times: Iterable[str] = (),
    dtypes: Mapping[str, ColumnType] | None = None,
) -> Any:  # noqa: ANN401 - the frame type depends on the backend
    """Build the frame of ``columns`` in ``backend``, with ``times`` shown in ``tz``.

    ``dtypes`` types the columns given as lists or object arrays (see
    :func:`~custpool._frames.build_frame`), so that one of nulls only keeps its type.
    """
    return build_frame(columns, backend=backend, times=tuple(times), tz=tz, dtypes=dtypes)


def state_columns(codes: NDArray[np.integer[Any]]) -> tuple[NDArray[Any], NDArray[Any]]:
    """Return the states of ``codes`` as their values and their Chinese labels.

    Examples
    --------
    >>> [a.tolist() for a in state_columns(np.array([2, 6]))]
    [['engaged', 'churned'], ['粘', '流失']]
    """
    return _STATE_VALUES[codes], _STATE_ZH[codes]


def nullable(values: NDArray[Any], missing: NDArray[np.bool_]) -> np.ma.MaskedArray[Any, Any]:
    """Return ``values`` with the entries where ``missing`` is true as nulls."""
    return np.ma.masked_array(values, mask=missing)


def minor_or_none(money: Money | None) -> int | None:
    """Return Money's minor units, or None for no money."""
    return None if money is None else money.minor_units


def rounded_minor(value: float, what: str) -> int | None:
    """Return a float figure in minor units rounded half to even, or None when it is NaN.

    Raises
    ------
    custpool.ValidationError
        If the figure is infinite or more than an int64 column holds (naming ``what``).

    Examples
    --------
    >>> rounded_minor(542.5, "mean"), rounded_minor(543.5, "mean"), rounded_minor(math.nan, "x")
    (542, 544, None)
    """
    if math.isnan(value):
        return None
    rule = "is more than an int64 column of minor units holds"
    if not math.isfinite(value):
        raise ValidationError(what, value, rule)
    units = round(value)  # half to even, as Money from a float mean
    if abs(units) > _INT64_MAX:
        raise ValidationError(what, value, rule)
    return units


class KpiRows:
    """The tidy rows of KPI results: one row per window and KPI.

    Columns: ``window_start``, ``window_end`` (times), ``kpi`` (snake_case name), ``kpi_zh``
    (Chinese name, or null), ``value`` (float: a count, a share or a score; null for money and
    for a share of nobody), ``value_minor`` (int: money KPIs, in minor units of ``currency``),
    ``currency`` (money KPIs), ``numerator`` and ``denominator`` (the integers the value comes
    from; minor units in the numerator of a money average; null for a plain count).

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool._engine import Window
    >>> rows = KpiRows()
    >>> w = Window(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC))
    >>> rows.share(w, "activity_rate", 0.5, 1, 2)
    >>> rows.columns()["kpi_zh"], rows.columns()["numerator"]
    (['活跃度'], [1])
    """

    NAMES: Final = (
        "window_start",
        "window_end",
        "kpi",
        "kpi_zh",
        "value",
        "value_minor",
        "currency",
        "numerator",
        "denominator",
    )
    TIMES: Final = ("window_start", "window_end")
    DTYPES: Final[Mapping[str, ColumnType]] = {
        "kpi": "str",
        "kpi_zh": "str",
        "value": "float",
        "value_minor": "int",
        "currency": "str",
        "numerator": "int",
        "denominator": "int",
    }
    """The type of each column given as a list (all but ``kpi`` may hold only nulls)."""

    def __init__(self) -> None:
        self._rows: list[tuple[object, ...]] = []

    def __len__(self) -> int:
        """Return the number of rows."""
        return len(self._rows)

    def _add(  # noqa: PLR0913, PLR0917 - one argument per column
        self,
        window: Window,
        kpi: str,
        value: float | None,
        minor: int | None,
        currency: str | None,
        numerator: int | None,
        denominator: int | None,
    ) -> None:
        self._rows.append(
            (
                window.start_us,
                window.end_us,
                kpi,
                KPI_ZH.get(kpi),
                value,
                minor,
                currency,
                numerator,
                denominator,
            )
        )

    def count(self, window: Window, kpi: str, value: int) -> None:
        """Add a count (no numerator or denominator)."""
        self._add(window, kpi, float(value), None, None, None, None)

    def share(
        self, window: Window, kpi: str, value: float | None, numerator: int, denominator: int
    ) -> None:
        """Add a share (or a score) and the integers it is computed from."""
        self._add(window, kpi, value, None, None, numerator, denominator)

    def money(  # noqa: PLR0913, PLR0917 - one argument per column
        self,
        window: Window,
        kpi: str,
        value: Money | None,
        currency: str | None,
        numerator: Money | None = None,
        denominator: int | None = None,
    ) -> None:
        """Add an amount of money (an average with its total and count)."""
        minor, top = minor_or_none(value), minor_or_none(numerator)
        self._add(window, kpi, None, minor, currency, top, denominator)

    def extend(self, other: KpiRows) -> None:
        """Add the rows of ``other``."""
        self._rows.extend(other._rows)

    def columns(self) -> dict[str, list[Any]]:
        """Return the rows as columns, by name."""
        return {name: [row[k] for row in self._rows] for k, name in enumerate(self.NAMES)}

    def to_frame(self, backend: str, tz: str | dt.tzinfo | None) -> Any:  # noqa: ANN401
        """Build the frame of the rows."""
        return frame(self.columns(), backend, tz, self.TIMES, self.DTYPES)
