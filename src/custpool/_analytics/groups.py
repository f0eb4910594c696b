"""Silent groups: the groups where no customer has said or done anything for days.

Seed 001 warns of the pool that is built and then left: "人拉了、群建了，结果发现三天群没活跃了"
(people added, the group built, and three days later the group is silent). ``silent_groups``
lists, at an instant, every group of the table whose customers have not acted in it for the
last ``days`` days. Joining is not acting (a CONNECT or CHURN row does not break the silence),
and brand posts do not count: a group where people were added and only the brand speaks is
silent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from custpool._display import Count, Displayed, Phrase, Report, Section, Text, Time, resolve
from custpool._engine import NO_TIME, EventTable, instant
from custpool._errors import bad_argument, wrong_argument, wrong_type
from custpool._frames import build_frame
from custpool._time import from_micros

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from custpool._display import Cell

__all__ = ["SilentGroups", "silent_groups"]

_DAY: Final = 86_400_000_000


@dataclass(frozen=True, slots=True, eq=False)
class SilentGroups(Displayed):
    """The groups silent at ``as_of``: no customer act in them in the last ``days`` days.

    Attributes
    ----------
    as_of
        The instant looked at.
    days
        How many days of silence make a group silent.
    group_ids
        The silent groups' ids, longest silent first (never active first), then by id.
    last_active
        For each silent group, its customers' latest act in it at or before ``as_of``
        (microseconds since the epoch), or ``NO_TIME`` if they never acted in it.
    brand_rows
        For each silent group, the brand's rows in it in the last ``days`` days: posts nobody
        answered.
    groups
        How many groups were looked at: those whose first row is at least ``days`` old (a newer
        group is too new to call silent).
    """

    as_of: datetime
    days: float
    group_ids: tuple[str, ...]
    last_active: NDArray[np.int64]
    brand_rows: NDArray[np.int64]
    groups: int

    def __len__(self) -> int:
        """Return the number of silent groups."""
        return len(self.group_ids)

    def __repr__(self) -> str:
        """Return a short summary."""
        return f"SilentGroups({len(self)} of {self.groups} groups silent for {self.days:g} days)"

    def __str__(self) -> str:
        """Return a readable report, one line per silent group."""
        head = f"{len(self)} of {self.groups} groups silent for {self.days:g}+ days"
        lines = [f"{head} at {self.as_of.isoformat()}"]
        for gid, last, brand in zip(
            self.group_ids, self.last_active.tolist(), self.brand_rows.tolist(), strict=True
        ):
            when = "never" if last == NO_TIME else from_micros(last).isoformat()
            lines.append(f"  {gid}: customers last active {when}; brand rows since: {brand}")
        return "\n".join(lines)

    def _report(self) -> Report:
        """Return the count, then one row per silent group (the first ``display.max_rows``)."""
        title = Phrase(
            Count(len(self)),
            Text("of", "/"),
            Count(self.groups),
            Text(
                f"groups silent for {self.days:g}+ days at", f"个群沉默 {self.days:g} 天以上，截至"
            ),
            Time(self.as_of),
        )
        limit = resolve()[2]
        shown = len(self) if limit is None else min(limit, len(self))
        rows: tuple[tuple[Cell, ...], ...] = tuple(
            (Text(gid), Time(None if last == NO_TIME else from_micros(last)), Count(brand))
            for gid, last, brand in zip(
                self.group_ids[:shown],
                self.last_active[:shown].tolist(),
                self.brand_rows[:shown].tolist(),
                strict=True,
            )
        )
        head = (
            Text("group", "客户群"),
            Text("customers last active", "客户最近活跃"),
            Text("brand rows since", "此后品牌消息"),
        )
        return Report(title, (Section(rows, columns=head, left_out=len(self) - shown),))

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return one row per silent group.

        Columns: ``group_id``; ``last_active`` (time in ``tz``, null if never);
        ``days_silent`` (float, from ``last_active`` to ``as_of``; null if never active);
        ``brand_rows`` (int).

        Examples
        --------
        >>> from datetime import UTC, datetime
        >>> import numpy as np
        >>> from custpool import EventTable, silent_groups
        >>> t0 = int(np.datetime64("2026-03-01T00:00", "us").astype(np.int64))
        >>> table = EventTable.from_arrays(
        ...     customer=[0, 0], time=[t0, t0], kind=[3, 3], direction=[0, 1],
        ...     group=[0, 1], group_ids=["g-a", "g-b"],
        ... )
        >>> silent = silent_groups(table, datetime(2026, 3, 5, tzinfo=UTC))
        >>> silent.to_frame("pyarrow").column("days_silent").to_pylist()
        [None, 4.0]
        """
        end = instant("as_of", self.as_of)
        silent_for = [
            None if last == NO_TIME else (end - last) / _DAY for last in self.last_active.tolist()
        ]
        columns = {
            "group_id": np.array(self.group_ids, dtype=np.str_),
            "last_active": self.last_active,
            "days_silent": silent_for,
            "brand_rows": self.brand_rows,
        }
        return build_frame(columns, backend=backend, times=("last_active",), tz=tz)


def silent_groups(table: EventTable, as_of: datetime, *, days: float = 3) -> SilentGroups:
    """List the groups whose customers have not acted in them for ``days`` days at ``as_of``.

    A group is looked at once its first row is at least ``days`` old (at or before
    ``as_of - days``). It is silent when none of its rows in the half-open window
    ``(as_of - days, as_of]`` is a customer act: a customer-initiated row (inbound or peer — a
    message, a post, a reaction) other than a CONNECT or CHURN, since joining or leaving is not
    taking part. Brand rows do not break the silence; they are counted, as the posts nobody
    answered.

    Parameters
    ----------
    table
        The events, with a ``group`` column (``group_id`` on the interactions).
    as_of
        The instant to look at; timezone-aware.
    days
        How many days of silence make a group silent (seed 001's three by default); a positive
        number, fractions allowed.

    Returns
    -------
    SilentGroups

    Raises
    ------
    custpool.WrongTypeError
        If ``table`` is not an EventTable or ``days`` not a number.
    custpool.ValidationError
        If ``as_of`` is not an aware datetime or ``days`` is not positive and finite.

    Examples
    --------
    Seed 001's group: a hundred people added on day 0, the brand posting every day, and only
    two customer messages on day 1. At day 3 the group is not silent (day 1 is inside
    (day 0, day 3]); at day 5 the last customer act is four days old, so it is.

    >>> from datetime import UTC, datetime, timedelta
    >>> import numpy as np
    >>> from custpool import EventTable, silent_groups
    >>> day0 = datetime(2026, 3, 1, tzinfo=UTC)
    >>> t0, d = int(np.datetime64("2026-03-01T00:00", "us").astype(np.int64)), 86_400_000_000
    >>> table = EventTable.from_arrays(
    ...     customer=[*range(100), 0, 1, 0, 0, 0, 0],
    ...     time=[t0] * 100 + [t0 + d, t0 + d, t0 + 2 * d, t0 + 3 * d, t0 + 4 * d, t0 + 5 * d],
    ...     kind=[0] * 100 + [2, 2, 3, 3, 3, 3], direction=[0] * 100 + [0, 0, 1, 1, 1, 1],
    ...     source=[0] * 100 + [-1] * 6, group=[0] * 106, group_ids=["g-latte"],
    ... )
    >>> silent_groups(table, day0 + timedelta(days=3)).group_ids
    ()
    >>> print(silent_groups(table, day0 + timedelta(days=5)))
    1 of 1 groups silent for 3+ days at 2026-03-06T00:00:00+00:00
      g-latte: customers last active 2026-03-02T00:00:00+00:00; brand rows since: 3
    """
    if not isinstance(table, EventTable):
        raise wrong_argument("table", table, "must be a custpool.EventTable")
    end = instant("as_of", as_of)
    span = _span(days)
    start = end - span
    groups = len(table.group_ids)
    group, time = table.group, table.time
    upto = (group >= 0) & (time <= end)
    old = np.bincount(group[upto & (time <= start)], minlength=groups) > 0
    customer = table.customer_initiated()
    acted = upto & table.takes_part()
    last = np.full(groups, NO_TIME, dtype=np.int64)
    np.maximum.at(last, group[acted], time[acted])
    recent = upto & (time > start) & ~customer
    brand = np.bincount(group[recent], minlength=groups).astype(np.int64)
    silent = np.flatnonzero(old & (last <= start))
    ids = np.array(table.group_ids.column(silent), dtype=object)
    order = np.lexsort((ids, last[silent])) if silent.size else silent
    return SilentGroups(
        as_of=from_micros(end),
        days=float(days),
        group_ids=tuple(str(i) for i in ids[order]),
        last_active=last[silent][order],
        brand_rows=brand[silent][order],
        groups=int(np.count_nonzero(old)),
    )


def _span(days: object) -> int:
    """Return ``days`` as microseconds (a positive, finite number of days)."""
    if isinstance(days, bool) or not isinstance(days, int | float):
        raise wrong_type("days", days, "must be a number of days, such as 3")
    if not math.isfinite(days) or days <= 0 or days > 365_000:
        raise bad_argument("days", days, "must be a positive number of days, at most 365000")
    return round(timedelta(days=days) / timedelta(microseconds=1))
