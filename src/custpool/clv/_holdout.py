"""A calibration period and a holdout period from one EventTable, to check a forecast."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from custpool._analytics import RfmSummary, rfm_summary
from custpool._display import Count, Displayed, Number, Phrase, Report, Section, Text, Time
from custpool._engine import readonly
from custpool._errors import ValidationError
from custpool._frames import build_frame

if TYPE_CHECKING:
    from datetime import tzinfo

    from numpy.typing import NDArray

    from custpool._engine import EventTable

__all__ = ["CalibrationHoldout", "calibration_holdout"]

_DAY: Final = timedelta(days=1)


@dataclass(frozen=True, slots=True, eq=False)
class CalibrationHoldout(Displayed):
    """The calibration summary, and each of its customers' purchases in the holdout.

    Attributes
    ----------
    calibration
        :func:`~custpool.rfm_summary` at the calibration end.
    holdout_frequency
        Purchase periods of each calibration customer in the holdout (after the calibration
        end's period, up to the observation end's), in the calibration's row order.
    duration
        The holdout's length in the summary's units (periods ÷ ``freq_multiplier``).
    """

    calibration: RfmSummary
    holdout_frequency: NDArray[np.float64]
    duration: float

    def __repr__(self) -> str:
        """Return a one-line summary."""
        return (
            f"CalibrationHoldout({len(self.calibration)} customers, holdout "
            f"{self.duration:g} units, {int(self.holdout_frequency.sum())} holdout purchases)"
        )

    def _report(self) -> Report:
        cal = self.calibration
        title = Phrase(
            Text("Calibration to", "校准期截至"),
            Time(cal.observation_end),
            Text(f"and a holdout of {self.duration:g} units", f"，验证期 {self.duration:g} 个单位"),
        )
        figures = (
            (Text("customers", "客户"), Count(len(cal))),
            (
                Text("repeat purchases in calibration", "校准期复购次数"),
                Count(_total(cal.frequency)),
            ),
            (Text("purchases in holdout", "验证期购买次数"), Count(_total(self.holdout_frequency))),
            (Text("holdout length (units)", "验证期长度（单位）"), Number(self.duration)),
        )
        return Report(title, (Section(figures),))

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return one row per customer: the calibration's figures and the holdout's.

        Columns ``customer_id``, ``frequency``, ``recency``, ``T``, ``holdout_frequency``
        (``lifetimes``' ``frequency_holdout``) and ``duration_holdout``.

        Examples
        --------
        >>> from datetime import UTC, datetime
        >>> from custpool import EventTable
        >>> d = 86_400_000_000
        >>> table = EventTable.from_arrays(customer=[0, 0, 0], time=[0, 2 * d, 9 * d],
        ...                                kind=[8] * 3, item=[0] * 3, amount=[100] * 3,
        ...                                currency="CNY")
        >>> split = calibration_holdout(table, datetime(1970, 1, 5, tzinfo=UTC),
        ...                             datetime(1970, 1, 12, tzinfo=UTC))
        >>> split.to_frame("polars").row(0)
        ('0', 1.0, 2.0, 4.0, 1.0, 7.0)
        """
        cal = self.calibration
        columns = {
            "customer_id": np.array(cal.customer_ids, dtype=np.str_),
            "frequency": cal.frequency,
            "recency": cal.recency,
            "T": cal.T,
            "holdout_frequency": self.holdout_frequency,
            "duration_holdout": np.full(len(cal), self.duration),
        }
        return build_frame(columns, backend=backend, tz=tz)


def _total(counts: NDArray[np.float64]) -> int:
    return int(counts.sum())


def calibration_holdout(  # noqa: PLR0913 - rfm_summary's options
    table: EventTable,
    calibration_end: datetime,
    observation_end: datetime,
    *,
    period: timedelta = _DAY,
    freq_multiplier: float = 1,
    origin: datetime | None = None,
) -> CalibrationHoldout:
    """Split ``table`` at ``calibration_end`` into a summary and the purchases that follow.

    As ``lifetimes.utils.calibration_and_holdout_data``: the calibration summary counts the
    purchases up to ``calibration_end``'s period; the holdout counts each calibration
    customer's distinct purchase periods after it, up to ``observation_end``'s period.
    Customers who first buy in the holdout are not in it.

    Raises
    ------
    custpool.ValidationError
        If ``observation_end`` is not after ``calibration_end``'s period, or as
        :func:`~custpool.rfm_summary`.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import EventTable
    >>> d = 86_400_000_000
    >>> table = EventTable.from_arrays(customer=[0, 0, 0, 1], time=[0, 2 * d, 9 * d, 8 * d],
    ...                                kind=[8] * 4, item=[0] * 4,
    ...                                amount=[100] * 4, currency="CNY")
    >>> split = calibration_holdout(table, datetime(1970, 1, 5, tzinfo=UTC),
    ...                             datetime(1970, 1, 12, tzinfo=UTC))
    >>> split.calibration.customer_ids, split.holdout_frequency.tolist(), split.duration
    (('0',), [1.0], 7.0)
    """
    options: dict[str, object] = {"period": period, "freq_multiplier": freq_multiplier}
    if origin is not None:
        options["origin"] = origin
    calibration = rfm_summary(table, calibration_end, **options)  # type: ignore[arg-type]
    whole = rfm_summary(table, observation_end, include_first_transaction=True, **options)  # type: ignore[arg-type]
    before = rfm_summary(table, calibration_end, include_first_transaction=True, **options)  # type: ignore[arg-type]
    span = (whole.observation_end - whole.origin) // whole.period - (
        before.observation_end - before.origin
    ) // before.period
    if span <= 0:
        rule = "must be in a later period than calibration_end"
        raise ValidationError("observation_end", observation_end, rule)
    rows = np.searchsorted(whole.customer, before.customer)
    holdout = whole.frequency[rows] - before.frequency
    return CalibrationHoldout(
        calibration=calibration,
        holdout_frequency=readonly(holdout),
        duration=span / whole.freq_multiplier,
    )
