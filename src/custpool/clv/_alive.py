"""Tiers meet probability: the BG/NBD ``p_alive`` of the customers in each rule-based state."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from custpool._display import Count, Displayed, Number, Phrase, Report, Section, Text
from custpool._errors import bad_argument, wrong_argument
from custpool._frames import build_frame
from custpool._tiers import P_ALIVE_WIN_BACK, State
from custpool.clv._bgnbd import BgNbd, rfm_arrays
from custpool.clv._states import STATES, states_of

if TYPE_CHECKING:
    from datetime import tzinfo

    from custpool._analytics import RfmSummary
    from custpool._display import Cell

__all__ = ["HIGH_P_ALIVE", "LOW_P_ALIVE", "AliveByState", "p_alive_by_state"]

HIGH_P_ALIVE: Final = 0.8
"""A DORMANT or CHURNED repeat customer at or above this p_alive disagrees with the rules."""
LOW_P_ALIVE: Final = P_ALIVE_WIN_BACK
"""An active (staged) repeat customer below this p_alive (0.2) disagrees with the rules: the
threshold under which ``next_action(..., p_alive=)`` advises WIN_BACK, the same constant."""
_QUIET: Final = (State.DORMANT, State.CHURNED)


@dataclass(frozen=True, slots=True, eq=False)
class AliveByState(Displayed):
    """The distribution of p_alive in each state, and where the rules and the model disagree.

    Attributes
    ----------
    states
        The states with at least one customer, in the engine's order.
    customers, repeat
        Customers in each state, and those among them with a repeat purchase.
    mean, q25, median, q75
        p_alive of the state's customers: mean and quartiles.
    repeat_mean, repeat_median
        p_alive of the state's repeat customers only (NaN when it has none): BG/NBD gives
        every customer without a repeat purchase p_alive = 1, which hides the rest.
    high, low
        The thresholds used.
    quiet_but_alive
        DORMANT or CHURNED repeat customers with p_alive ≥ ``high``.
    active_but_gone
        Repeat customers at a stage (CONNECTED … ADVOCATE) with p_alive < ``low``.
    """

    states: tuple[State, ...]
    customers: tuple[int, ...]
    repeat: tuple[int, ...]
    mean: tuple[float, ...]
    q25: tuple[float, ...]
    median: tuple[float, ...]
    q75: tuple[float, ...]
    repeat_mean: tuple[float, ...]
    repeat_median: tuple[float, ...]
    high: float
    low: float
    quiet_but_alive: int
    active_but_gone: int

    def __repr__(self) -> str:
        """Return the disagreements on one line."""
        return (
            f"AliveByState({len(self.states)} states, quiet_but_alive={self.quiet_but_alive}, "
            f"active_but_gone={self.active_but_gone})"
        )

    def _report(self) -> Report:
        title = Text("p_alive by state", "各状态存活概率")
        rows: tuple[tuple[Cell, ...], ...] = tuple(
            (
                Text(s.value, s.label_zh),
                Count(c),
                Count(r),
                Number(m, 3),
                Number(a, 3),
                Number(b, 3),
                Number(d, 3),
                Number(rm, 3),
                Number(rd, 3),
            )
            for s, c, r, m, a, b, d, rm, rd in zip(
                self.states,
                self.customers,
                self.repeat,
                self.mean,
                self.q25,
                self.median,
                self.q75,
                self.repeat_mean,
                self.repeat_median,
                strict=True,
            )
        )
        head = (
            Text("state", "状态"),
            Text("customers", "客户"),
            Text("repeat", "复购"),
            Text("mean", "均值"),
            Text("q25"),
            Text("median", "中位数"),
            Text("q75"),
            Text("repeat mean", "复购均值"),
            Text("repeat median", "复购中位数"),
        )
        figures = (
            (
                Text(
                    f"dormant/churned, p_alive ≥ {self.high:g}",
                    f"沉睡/流失但存活概率 ≥ {self.high:g}",
                ),
                Count(self.quiet_but_alive),
            ),
            (
                Text(f"active, p_alive < {self.low:g}", f"活跃但存活概率 < {self.low:g}"),
                Count(self.active_but_gone),
            ),
        )
        return Report(Phrase(title), (Section(rows, columns=head), Section(figures)))

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return one row per state: counts, mean and quartiles, repeat-only mean and median."""
        columns = {
            "state": np.array([s.value for s in self.states], dtype=np.str_),
            "customers": np.array(self.customers, dtype=np.int64),
            "repeat": np.array(self.repeat, dtype=np.int64),
            "mean": np.array(self.mean),
            "q25": np.array(self.q25),
            "median": np.array(self.median),
            "q75": np.array(self.q75),
            "repeat_mean": np.array(self.repeat_mean),
            "repeat_median": np.array(self.repeat_median),
        }
        return build_frame(columns, backend=backend, tz=tz)


def _threshold(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating):
        raise wrong_argument(name, value, "must be a probability (a number from 0 to 1)")
    if not 0 <= value <= 1:
        raise bad_argument(name, value, "must be a probability from 0 to 1")
    return float(value)


def p_alive_by_state(
    bgnbd: BgNbd,
    summary: RfmSummary,
    tiers: object,
    *,
    high: float = HIGH_P_ALIVE,
    low: float = LOW_P_ALIVE,
) -> AliveByState:
    """Compare BG/NBD's p_alive with the rule-based states of the same customers.

    For each state of ``tiers`` (:func:`~custpool.classify_table` on the table ``summary`` was
    built from, at its observation end), the count, mean and quartiles of p_alive; then the
    disagreements, counted among repeat customers only, because BG/NBD gives every customer
    without a repeat purchase p_alive = 1 (it lets customers drop out only after a purchase):

    - ``quiet_but_alive``: DORMANT or CHURNED with p_alive ≥ ``high`` (0.8);
    - ``active_but_gone``: at a stage with p_alive < ``low`` (0.2) — candidates for a
      win-back before the rules call them dormant.
    """
    if not isinstance(bgnbd, BgNbd):
        raise wrong_argument("bgnbd", bgnbd, "must be a BgNbd from fit_bgnbd()")
    hi, lo = _threshold("high", high), _threshold("low", low)
    x = rfm_arrays(summary)[0]
    alive = bgnbd.p_alive_of(summary)
    codes = states_of(tiers, summary.customer_ids)
    repeat = x > 0
    staged = np.isin(codes, [STATES.index(s) for s in STATES if s.stage is not None])
    quiet = np.isin(codes, [STATES.index(s) for s in _QUIET])
    rows: list[tuple[State, int, int, float, float, float, float, float, float]] = []
    for code, state in enumerate(STATES):
        here = codes == code
        mine = alive[here]
        if mine.size == 0:
            continue
        q = np.quantile(mine, [0.25, 0.5, 0.75])
        again = alive[here & repeat]
        n_repeat = again.size
        r_mean = float(again.mean()) if n_repeat else math.nan
        r_median = float(np.median(again)) if n_repeat else math.nan
        rows.append(
            (state, mine.size, n_repeat, float(mine.mean()), *map(float, q), r_mean, r_median)
        )
    columns = list(zip(*rows, strict=True)) if rows else [()] * 9
    return AliveByState(
        states=tuple(columns[0]),
        customers=tuple(int(v) for v in columns[1]),
        repeat=tuple(int(v) for v in columns[2]),
        mean=tuple(float(v) for v in columns[3]),
        q25=tuple(float(v) for v in columns[4]),
        median=tuple(float(v) for v in columns[5]),
        q75=tuple(float(v) for v in columns[6]),
        repeat_mean=tuple(float(v) for v in columns[7]),
        repeat_median=tuple(float(v) for v in columns[8]),
        high=hi,
        low=lo,
        quiet_but_alive=int(np.count_nonzero(repeat & quiet & (alive >= hi))),
        active_but_gone=int(np.count_nonzero(repeat & staged & (alive < lo))),
    )
