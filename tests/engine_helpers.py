"""Hypothesis strategies for whole tables: several customers' histories that refer to each other."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from custpool import CONVERT_FIRST, NURTURE_FIRST, EventTable, Interaction, Policy
from custpool.strategies import histories

START = datetime(2026, 1, 1, tzinfo=UTC)
END = START + timedelta(days=400)

SAMPLE_POLICIES = (
    Policy(paradigm=NURTURE_FIRST),
    Policy(paradigm=CONVERT_FIRST),
    Policy(
        engage_window=timedelta(days=7),
        engage_min_interactions=2,
        convert_window=timedelta(days=60),
        advocate_window=timedelta(days=60),
        dormant_after=timedelta(days=20),
        advocate_min_nps=7,
    ),
)
"""Policies the table-versus-classify properties always try (both paradigms, short windows)."""

AS_OF_TIMES = st.datetimes(
    min_value=(START - timedelta(days=5)).replace(tzinfo=None),
    max_value=(END + timedelta(days=200)).replace(tzinfo=None),
    timezones=st.just(UTC),
)
"""Instants around the drawn histories (a little before START to well after END)."""


def on_grid(history: list[Interaction], grid: timedelta) -> list[Interaction]:
    """Floor every time of a history to ``START + k * grid``: the order is kept, ties appear.

    Flooring never reorders (a refund stays at or after its purchase) and keeps the list's
    ``(at, id)`` order, since the ids ascend along the list.
    """
    return [i.model_copy(update={"at": START + ((i.at - START) // grid) * grid}) for i in history]


@st.composite
def pool_histories(
    draw: st.DrawFn,
    *,
    max_customers: int = 6,
    max_size: int = 20,
    grid: timedelta | None = None,
) -> dict[str, list[Interaction]]:
    """Draw 1 to ``max_customers`` customers' histories; referrals point at one another.

    With ``grid`` (say 5 days), every time is floored to ``START + k * grid``: events tie, within
    a customer and across customers (a CHURN at the instant of a CONNECT, three messages at one
    instant), and with windows that are multiples of the grid an event leaves a window exactly
    on a grid point — the edges that drawn microseconds almost never meet.
    """
    if grid is not None and grid <= timedelta(0):
        msg = f"grid={grid!r}: must be a positive timedelta"
        raise ValueError(msg)
    n = draw(st.integers(1, max_customers))
    ids = [f"c-{k}" for k in range(n)]
    out: dict[str, list[Interaction]] = {}
    for k, cid in enumerate(ids):
        others = [i for i in ids if i != cid]
        kinds = None if others else [kind for kind in _KINDS if kind != "referral"]
        out[cid] = draw(
            histories(
                customer_id=cid,
                max_size=max_size,
                min_time=START,
                max_time=END,
                other_customer_ids=others or None,
                kinds=kinds,
                id_prefix=f"i{k}-",
            )
        )
        if grid is not None:
            out[cid] = on_grid(out[cid], grid)
    return out


_KINDS = (
    "connect",
    "churn",
    "message",
    "group_post",
    "reaction",
    "content_view",
    "event_attend",
    "store_visit",
    "purchase",
    "refund",
    "referral",
    "nps",
    "complaint",
)


def table_of(pool: dict[str, list[Interaction]]) -> EventTable:
    """Build the table of a drawn pool (customers without events included)."""
    return EventTable.from_interactions(
        [i for history in pool.values() for i in history], customers=list(pool)
    )
