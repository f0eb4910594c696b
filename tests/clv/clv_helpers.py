"""Data for the clv tests: the CDNOW sample as an EventTable, and BG/NBD-simulated pools."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Final

import numpy as np

from custpool import EventTable

DATA: Final = Path(__file__).parent / "data"
CALIBRATION_END: Final = datetime(1997, 9, 30, tzinfo=UTC)
OBSERVATION_END: Final = datetime(1998, 6, 30, tzinfo=UTC)
_DAY_US: Final = 86_400_000_000


@cache
def cdnow_table() -> EventTable:
    """Return CDNOW_sample.txt (customer, id, yyyymmdd, CDs, dollars) as PURCHASE rows."""
    raw = np.loadtxt(DATA / "CDNOW_sample.txt", dtype=str)
    customer = raw[:, 0].astype(np.int64)
    day = np.array([np.datetime64(f"{s[:4]}-{s[4:6]}-{s[6:]}", "us") for s in raw[:, 2]])
    cents = np.round(raw[:, 4].astype(np.float64) * 100).astype(np.int64)
    ids, index = np.unique(customer, return_inverse=True)
    order = np.lexsort((day, index))
    n = order.shape[0]
    return EventTable.from_arrays(
        customer=index[order],
        time=day[order],
        kind=[8] * n,
        item=np.zeros(n, dtype=np.int64),
        amount=cents[order],
        currency="USD",
        customer_ids=[f"{i:05d}" for i in ids],
    )


def simulate_bgnbd(  # noqa: PLR0913 - the model's four parameters, size and randomness
    rng: np.random.Generator,
    n: int,
    *,
    r: float = 0.25,
    alpha: float = 4.0,
    a: float = 0.8,
    b: float = 2.5,
    weeks: int = 52,
) -> EventTable:
    """Return PURCHASE rows of ``n`` BG/NBD customers, first buying in the first 12 weeks.

    Time in days; λ ~ Gamma(r, α) per week, p ~ Beta(a, b); after each purchase the customer
    drops out with probability p (never before their first repeat purchase). The table ends at
    day ``7 * weeks``.
    """
    lam = rng.gamma(r, 1 / alpha, n) / 7  # per day
    p = rng.beta(a, b, n)
    start = rng.integers(0, 84, n).astype(np.float64)
    end = 7.0 * weeks
    customers = [np.arange(n)]
    times = [start]
    now = start.copy()
    alive = np.ones(n, dtype=bool)
    while alive.any():
        idx = np.flatnonzero(alive)
        now[idx] += rng.exponential(1 / np.maximum(lam[idx], 1e-12))
        alive[idx[now[idx] >= end]] = False
        keep = idx[alive[idx]]
        customers.append(keep)
        times.append(now[keep].copy())
        # BG/NBD: a customer may drop out right after each repeat purchase, never before
        alive[keep[rng.random(keep.size) < p[keep]]] = False
    customer = np.concatenate(customers)
    time = np.floor(np.concatenate(times)).astype(np.int64) * _DAY_US
    order = np.lexsort((time, customer))
    size = order.shape[0]
    return EventTable.from_arrays(
        customer=customer[order],
        time=time[order] + 852_076_800_000_000,  # from 1997-01-01
        kind=[8] * size,
        item=np.zeros(size, dtype=np.int64),
        amount=rng.integers(500, 5000, size),
        currency="USD",
    )
