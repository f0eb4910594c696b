"""Why a health score moved: each measure's share of the change between two reports."""

from __future__ import annotations

from custpool._base import FrozenModel
from custpool._errors import WrongTypeError
from custpool._health.measures import Measure
from custpool._health.report import HealthReport

__all__ = ["HealthChange", "MeasureChange", "explain_change"]


class MeasureChange(FrozenModel):
    """One measure's part in a change of the overall score."""

    measure: Measure
    """The measure."""
    score_before: float | None
    """Its score in the first report (None: not measured)."""
    score_after: float | None
    """Its score in the second report (None: not measured)."""
    points: float
    """Overall points it moved: its contribution after minus before."""

    def __str__(self) -> str:
        """Return ``-3.2 measure (80.0 → 40.0)``."""

        def shown(score: float | None) -> str:
            return "not measured" if score is None else f"{score:.1f}"

        return (
            f"{self.points:+.1f} {self.measure.value} "
            f"({shown(self.score_before)} → {shown(self.score_after)})"
        )


class HealthChange(FrozenModel):
    """The overall change between two reports, split into the measures that made it."""

    overall_before: float | None
    """The first report's overall score."""
    overall_after: float | None
    """The second report's overall score."""
    moves: tuple[MeasureChange, ...]
    """Measures whose contribution changed, largest move first; their points sum to ``delta``."""

    @property
    def delta(self) -> float | None:
        """``overall_after - overall_before``; None if either is not measured."""
        if self.overall_before is None or self.overall_after is None:
            return None
        return self.overall_after - self.overall_before

    def __str__(self) -> str:
        """Return the change and the moves, one per line."""
        delta = "n/a" if self.delta is None else f"{self.delta:+.1f}"
        lines = [f"overall {delta}"]
        lines.extend(f"  {move}" for move in self.moves)
        return "\n".join(lines)


def explain_change(before: HealthReport, after: HealthReport) -> HealthChange:
    """Explain which measures moved the overall score between two reports, and by how much.

    Each measure contributes ``(W_d / ΣW) × (w_m / Σw_d) × score`` points to ``overall`` (see
    :meth:`HealthReport.contributions`), so the contributions sum to the overall score and the
    change splits (up to float rounding, about 1e-14): a measure's move is its contribution after
    minus before. A measure that starts or stops being measured moves by its whole contribution,
    and shifts the others' shares too — which shows up in their moves. Moves are ranked by size,
    largest first; measures that did not move are left out.

    Parameters
    ----------
    before, after
        Two reports, usually of one pool at two instants (e.g. from
        :func:`~custpool.health_trend`).

    Returns
    -------
    HealthChange

    Raises
    ------
    custpool.WrongTypeError
        If either is not a :class:`HealthReport`.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from custpool import health_trend
    >>> from custpool.synth import SynthConfig, generate
    >>> pool = generate(SynthConfig(n_customers=300), seed=5)
    >>> ends = [datetime(2025, 6, 1, tzinfo=UTC), datetime(2025, 12, 1, tzinfo=UTC)]
    >>> june, december = health_trend(pool.table, pool.charter, ends, activities=pool.activities)
    >>> change = explain_change(june, december)
    >>> abs(sum(m.points for m in change.moves) - change.delta) < 1e-9
    True
    """
    for name, report in (("before", before), ("after", after)):
        if not isinstance(report, HealthReport):
            raise WrongTypeError(name, report, "must be a custpool.HealthReport")
    was, now = before.contributions(), after.contributions()
    moves = []
    for measure in Measure:
        points = now.get(measure, 0.0) - was.get(measure, 0.0)
        if points != 0:
            moves.append(
                MeasureChange(
                    measure=measure,
                    score_before=before.measure(measure).score,
                    score_after=after.measure(measure).score,
                    points=points,
                )
            )
    order = list(Measure)
    moves.sort(key=lambda m: (-abs(m.points), order.index(m.measure)))
    return HealthChange(
        overall_before=before.overall, overall_after=after.overall, moves=tuple(moves)
    )
