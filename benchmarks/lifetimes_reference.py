"""custpool's ``rfm_summary`` against ``lifetimes``' ``summary_data_from_transaction_data``.

Benchmark-only: ``lifetimes`` and ``pandas`` are never custpool dependencies. Install them in a
separate environment (``lifetimes`` 0.11.3 runs on Python 3.11 with current pandas and numpy
when ``setuptools<82`` is beside it, for ``pkg_resources``)::

    python3 -m venv /tmp/lt
    /tmp/lt/bin/pip install -e . -r benchmarks/requirements-lifetimes.txt
    /tmp/lt/bin/python benchmarks/lifetimes_reference.py --transactions 1000000 --customers 100000

Importable pieces (the main benchmark calls them): :func:`lifetimes_available`,
:func:`pandas_available`, :func:`time_lifetimes`, :func:`time_pandas_groupby` (a well-written
pandas group-by with the same rules, for when ``lifetimes`` will not install) and
:func:`check_equal`. Times are int64 microseconds since the epoch (UTC), amounts floats in major
units, ``observation_end`` an aware datetime. ``__main__`` prints ``name=value`` lines.
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable

    from numpy.typing import NDArray

    from custpool import RfmSummary

_DAY_US = 86_400_000_000
_UNIT_US = {"D": _DAY_US, "h": 3_600_000_000, "W": 7 * _DAY_US}
# pandas' "W" periods are W-SUN: Monday to Sunday. 1970-01-05 was a Monday.
_ORIGIN = {"D": datetime(1970, 1, 1, tzinfo=UTC), "h": datetime(1970, 1, 1, tzinfo=UTC)}
_ORIGIN["W"] = datetime(1970, 1, 5, tzinfo=UTC)


def lifetimes_available() -> bool:
    """Return whether ``lifetimes`` (and so pandas) can be imported here."""
    if importlib.util.find_spec("lifetimes") is None:
        return False
    try:
        import lifetimes.utils  # noqa: F401, PLC0415 - optional, benchmark-only
    except Exception:  # noqa: BLE001 - any import failure means "not available"
        return False
    return True


def pandas_available() -> bool:
    """Return whether pandas can be imported here (for :func:`time_pandas_groupby`)."""
    return importlib.util.find_spec("pandas") is not None


def custpool_options(freq: str = "D", freq_multiplier: float = 1) -> dict[str, Any]:
    """Return the ``rfm_summary`` keywords matching ``lifetimes``' ``freq`` and multiplier."""
    return {
        "period": timedelta(microseconds=_UNIT_US[freq]),
        "origin": _ORIGIN[freq],
        "freq_multiplier": freq_multiplier,
    }


def _naive_utc(moment: datetime) -> Any:  # noqa: ANN401 - a pandas Timestamp
    import pandas as pd  # noqa: PLC0415 - optional, benchmark-only

    return pd.Timestamp(moment.astimezone(UTC).replace(tzinfo=None))


def transactions_frame(
    customer_ids: NDArray[Any], times_us: NDArray[np.int64], amounts_major: NDArray[np.float64]
) -> Any:  # noqa: ANN401 - a pandas DataFrame
    """Return the ``customer_id, date, amount`` frame ``lifetimes`` reads (naive UTC times)."""
    import pandas as pd  # noqa: PLC0415 - optional, benchmark-only

    return pd.DataFrame(
        {
            "customer_id": customer_ids,
            "date": np.asarray(times_us, dtype=np.int64).astype("datetime64[us]"),
            "amount": amounts_major,
        }
    )


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def time_lifetimes(  # noqa: PLR0913 - the data, then lifetimes' options
    customer_ids: NDArray[Any],
    times_us: NDArray[np.int64],
    amounts_major: NDArray[np.float64],
    observation_end: datetime,
    freq_multiplier: float = 1,
    *,
    freq: str = "D",
) -> tuple[float, Any]:
    """Time ``summary_data_from_transaction_data`` (the frame is built before the clock starts).

    Returns the seconds and ``lifetimes``' frame (index: customer id; columns ``frequency``,
    ``recency``, ``T``, ``monetary_value``).
    """
    from lifetimes.utils import summary_data_from_transaction_data  # noqa: PLC0415

    frame = transactions_frame(customer_ids, times_us, amounts_major)
    end = _naive_utc(observation_end)
    return _timed(
        lambda: summary_data_from_transaction_data(
            frame,
            "customer_id",
            "date",
            monetary_value_col="amount",
            observation_period_end=end,
            freq=freq,
            freq_multiplier=freq_multiplier,
        )
    )


def time_pandas_groupby(  # noqa: PLR0913 - same signature as time_lifetimes
    customer_ids: NDArray[Any],
    times_us: NDArray[np.int64],
    amounts_major: NDArray[np.float64],
    observation_end: datetime,
    freq_multiplier: float = 1,
    *,
    freq: str = "D",
) -> tuple[float, Any]:
    """Time a plain pandas group-by with ``lifetimes``' rules (the frame is built untimed).

    Periods are floored from :data:`_ORIGIN` (pandas' own periods for ``D``, ``h`` and ``W``),
    purchases of one period are summed, and the summary is taken per customer.
    """
    import pandas as pd  # noqa: PLC0415 - optional, benchmark-only

    frame = transactions_frame(customer_ids, times_us, amounts_major)
    unit = np.timedelta64(_UNIT_US[freq], "us")
    origin = np.datetime64(_naive_utc(_ORIGIN[freq]).to_datetime64(), "us")
    end_us = np.datetime64(_naive_utc(observation_end).to_datetime64(), "us")
    end_period = (end_us - origin) // unit

    def summarise() -> Any:  # noqa: ANN401 - a pandas DataFrame
        period = (frame["date"].to_numpy() - origin) // unit
        data = frame.assign(period=period)
        data = data[data["period"] <= end_period]
        periods = data.groupby(["customer_id", "period"], sort=True)["amount"].sum()
        periods = periods.reset_index()
        per = periods.groupby("customer_id", sort=False).agg(
            first=("period", "first"),
            last=("period", "last"),
            count=("period", "size"),
            total=("amount", "sum"),
            first_amount=("amount", "first"),
        )
        frequency = per["count"] - 1
        repeat = per["total"] - per["first_amount"]
        return pd.DataFrame(
            {
                "frequency": frequency.astype(float),
                "recency": (per["last"] - per["first"]) / freq_multiplier,
                "T": (end_period - per["first"]) / freq_multiplier,
                "monetary_value": np.where(frequency > 0, repeat / frequency.clip(lower=1), 0.0),
            },
            index=per.index,
        )

    return _timed(summarise)


def check_equal(custpool_result: RfmSummary, frame: Any, *, rtol: float = 1e-9) -> None:  # noqa: ANN401
    """Assert that custpool's summary holds the numbers of a ``lifetimes``-shaped frame.

    The customers must be the same; ``frequency``, ``recency`` and ``T`` equal exactly;
    ``monetary_value`` equal up to ``rtol`` (``lifetimes`` sums float major units, custpool
    integer minor units).
    """
    ids = custpool_result.customer_ids
    theirs = frame.copy()
    theirs.index = theirs.index.astype(str)
    if len(theirs) != len(ids) or not theirs.index.is_unique:
        msg = f"{len(ids)} customers in custpool's summary, {len(theirs)} in the frame"
        raise AssertionError(msg)
    theirs = theirs.loc[list(ids)]
    for name in ("frequency", "recency", "T"):
        ours = getattr(custpool_result, name)
        other = theirs[name].to_numpy(dtype=np.float64)
        if not np.array_equal(ours, other):
            bad = int(np.flatnonzero(ours != other)[0])
            msg = f"{name} differs for {ids[bad]!r}: custpool {ours[bad]}, reference {other[bad]}"
            raise AssertionError(msg)
    ours = custpool_result.monetary_value
    other = theirs["monetary_value"].to_numpy(dtype=np.float64)
    close = np.isclose(ours, other, rtol=rtol, atol=0.0)
    if not close.all():
        bad = int(np.flatnonzero(~close)[0])
        msg = (
            f"monetary_value differs for {ids[bad]!r}: custpool {ours[bad]}, reference {other[bad]}"
        )
        raise AssertionError(msg)


def generate(
    transactions: int, customers: int, rng: np.random.Generator, *, days: int = 730
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], datetime]:
    """Return random purchases (customer index, time µs, amount in fen) and an observation end.

    Times are uniform over ``days`` days from 2024-01-01 UTC; the observation end falls at
    15:37 on day ``0.9 * days``, so some purchases are after it, some later on its own day.
    """
    start = datetime(2024, 1, 1, tzinfo=UTC)
    start_us = (start - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    customer = rng.integers(0, customers, transactions, dtype=np.int64)
    times = start_us + rng.integers(0, days * _DAY_US, transactions, dtype=np.int64)
    amount = rng.integers(100, 100_000, transactions, dtype=np.int64)
    end = start + timedelta(days=int(0.9 * days), hours=15, minutes=37)
    return customer, times, amount, end


def main(argv: list[str] | None = None) -> None:
    """Generate purchases, time custpool and the reference, check they agree, print results."""
    from custpool import EventTable, rfm_summary  # noqa: PLC0415 - only when run as a script

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20260301)
    parser.add_argument("--freq", choices=sorted(_UNIT_US), default="D")
    parser.add_argument("--freq-multiplier", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5, help="custpool runs; the best counts")
    args = parser.parse_args(argv)
    multiplier: float = args.freq_multiplier
    if multiplier.is_integer():
        multiplier = int(multiplier)

    rng = np.random.default_rng(args.seed)
    customer, times, amount, end = generate(args.transactions, args.customers, rng)
    build, table = _timed(
        lambda: EventTable.from_arrays(
            customer,
            times,
            np.full(customer.shape[0], 8, dtype=np.int8),  # PURCHASE
            amount=amount,
            item=np.zeros(customer.shape[0], dtype=np.int32),  # order ids are not read
            item_ids=["order"],
            customer_ids=[str(i) for i in range(args.customers)],
            currency="CNY",
        )
    )
    options = custpool_options(args.freq, multiplier)
    best = float("inf")
    summary = None
    for _ in range(max(args.repeat, 1)):
        seconds, summary = _timed(lambda: rfm_summary(table, end, **options))
        best = min(best, seconds)
    assert summary is not None  # noqa: S101 - at least one run
    print(f"transactions={args.transactions}")
    print(f"customers={args.customers}")
    print(f"freq={args.freq}")
    print(f"freq_multiplier={multiplier}")
    print(f"summarised_customers={len(summary)}")
    print(f"custpool_build_seconds={build:.4f}")
    print(f"custpool_rfm_seconds={best:.4f}")
    amounts_major = amount / 100
    references: list[tuple[str, Callable[..., tuple[float, Any]]]] = []
    if lifetimes_available():
        references.append(("lifetimes", time_lifetimes))
    if pandas_available():
        references.append(("pandas_groupby", time_pandas_groupby))
    if not references:
        print("reference=unavailable")
    for name, run in references:
        seconds, frame = run(customer, times, amounts_major, end, multiplier, freq=args.freq)
        check_equal(summary, frame)
        print(f"{name}_seconds={seconds:.4f}")
        print(f"{name}_equal=true")
        print(f"speedup_vs_{name}={seconds / best:.1f}")


if __name__ == "__main__":
    main()
