"""Benchmark custpool.clv's BG/NBD fit and p_alive, and compare every result with lifetimes'.

Prints one ``name=value`` line per figure. The pool is simulated from BG/NBD itself (r = 0.25,
α = 4, a = 0.8, b = 2.5; a year of daily purchases, summarised in weeks) with Gamma-Gamma
spend (p = 6.25, q = 3.75, γ = 15, dollars), so both fits have a true answer. Run it in
the lifetimes environment to get the ratios and the comparisons:

    python3 -m venv /tmp/lt
    /tmp/lt/bin/pip install -e . -r benchmarks/requirements-lifetimes.txt scipy
    /tmp/lt/bin/python benchmarks/bench_clv.py                 # 1,000,000 customers
    /tmp/lt/bin/python benchmarks/bench_clv.py --quick         # 100,000 customers

Figures:

- ``custpool_fit_seconds`` / ``custpool_p_alive_seconds``: ``fit_bgnbd`` and ``p_alive_of`` on
  the whole pool (best of ``--repeat``); ``rfm_summary_seconds`` the summary they start from;
- ``lifetimes_fit_seconds_<n>`` / ``lifetimes_p_alive_seconds_<n>``: ``BetaGeoFitter().fit``
  and ``conditional_probability_alive`` on a pool of ``n`` customers (``--lifetimes-n``; the
  fit once: it is slow), against ``custpool_*_seconds_<n>`` on the same summary;
  ``fit_speedup_<n>``, ``p_alive_speedup_<n>`` and ``fit_p_alive_speedup_<n>`` (the two
  together) = lifetimes / custpool (target ≥ 10);
- ``max_rel_diff_*``: the largest relative difference to lifetimes (params of BG/NBD and
  Gamma-Gamma, ``p_alive``, conditional expected purchases, CLV) on CDNOW
  (``tests/clv/data``) and on the simulated pool (target ≤ 1e-6).

On a busy machine, run it with ``OPENBLAS_NUM_THREADS=1``: L-BFGS-B's tiny BLAS calls wait on
OpenBLAS's threads (a 20,000-customer fit took 0.17 s instead of 0.02 s; docs/clv.md).
"""

from __future__ import annotations

import argparse
import importlib.util
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from _common import best_of, peak_rss_mib, say, say_machine

import custpool as cp
from custpool.clv import BgNbd, GammaGamma, clv, fit_bgnbd, fit_gamma_gamma

DATA = Path(__file__).parent.parent / "tests" / "clv" / "data"
_DAY_US = 86_400_000_000
_START_US = 852_076_800_000_000  # 1997-01-01


def simulate(rng: np.random.Generator, n: int) -> cp.EventTable:
    """Return PURCHASE rows of ``n`` BG/NBD customers over 52 weeks (as tests/clv does)."""
    lam = rng.gamma(0.25, 1 / 4.0, n) / 7
    p = rng.beta(0.8, 2.5, n)
    nu = rng.gamma(3.75, 1 / 15.0, n)  # Gamma-Gamma: each customer's spend rate ν ~ Γ(q, γ)
    start = rng.integers(0, 84, n).astype(np.float64)
    end = 364.0
    customers, times = [np.arange(n)], [start]
    now, alive = start.copy(), np.ones(n, dtype=bool)
    while alive.any():
        idx = np.flatnonzero(alive)
        now[idx] += rng.exponential(1 / np.maximum(lam[idx], 1e-12))
        alive[idx[now[idx] >= end]] = False
        keep = idx[alive[idx]]
        customers.append(keep)
        times.append(now[keep].copy())
        alive[keep[rng.random(keep.size) < p[keep]]] = False
    customer = np.concatenate(customers)
    time_us = np.floor(np.concatenate(times)).astype(np.int64) * _DAY_US + _START_US
    order = np.lexsort((time_us, customer))
    size = order.shape[0]
    # each purchase's dollars ~ Γ(p, ν) of its customer, in cents (at least 1)
    cents = np.maximum(np.round(rng.gamma(6.25, 1 / nu[customer[order]]) * 100), 1)
    return cp.EventTable.from_arrays(
        customer=customer[order],
        time=time_us[order],
        kind=np.full(size, 8),
        item=np.zeros(size, dtype=np.int64),
        amount=cents.astype(np.int64),
        currency="USD",
    )


def cdnow_summary() -> cp.RfmSummary:
    """Return the CDNOW sample's calibration summary (weeks, to 1997-09-30)."""
    raw = np.loadtxt(DATA / "CDNOW_sample.txt", dtype=str)
    day = np.array([np.datetime64(f"{s[:4]}-{s[4:6]}-{s[6:]}", "us") for s in raw[:, 2]])
    cents = np.round(raw[:, 4].astype(np.float64) * 100).astype(np.int64)
    ids, index = np.unique(raw[:, 0].astype(np.int64), return_inverse=True)
    order = np.lexsort((day, index))
    n = order.shape[0]
    table = cp.EventTable.from_arrays(
        customer=index[order],
        time=day[order],
        kind=np.full(n, 8),
        item=np.zeros(n, dtype=np.int64),
        amount=cents[order],
        currency="USD",
        customer_ids=[str(i) for i in ids],
    )
    return cp.rfm_summary(table, datetime(1997, 9, 30, tzinfo=UTC), freq_multiplier=7)


def _rel(a: object, b: object) -> str:
    """Return the largest relative difference, in scientific notation (say() rounds floats)."""
    x, y = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return f"{float(np.max(np.abs(x - y) / np.maximum(np.abs(y), 1e-300))):.2e}"


def compare(name: str, summary: cp.RfmSummary) -> None:
    """Fit both libraries on ``summary`` and print the largest relative differences."""
    import pandas as pd  # noqa: PLC0415 - benchmark-only
    from lifetimes import BetaGeoFitter, GammaGammaFitter  # noqa: PLC0415 - benchmark-only

    x, tx, t, m = summary.frequency, summary.recency, summary.T, summary.monetary_value
    ours = fit_bgnbd(summary)
    bgf = BetaGeoFitter().fit(x, tx, t)
    theirs = bgf.params_
    say(f"max_rel_diff_bgnbd_params_{name}", _rel(list(ours.params.values()), theirs.values))
    model = BgNbd(theirs["r"], theirs["alpha"], theirs["a"], theirs["b"], (0.0,) * 4, 0.0, 1)
    alive = bgf.conditional_probability_alive(x, tx, t)
    say(f"max_rel_diff_p_alive_{name}", _rel(model.p_alive(x, tx, t), alive))
    expected = bgf.conditional_expected_number_of_purchases_up_to_time(39, x, tx, t)
    ours_expected = model.expected_purchases(39, x, tx, t)
    say(f"max_rel_diff_expected_purchases_{name}", _rel(ours_expected, expected))
    repeat = x > 0
    spend = fit_gamma_gamma(summary)
    ggf = GammaGammaFitter().fit(x[repeat], m[repeat])
    q = ggf.params_
    params = _rel([spend.p, spend.q, spend.gamma], [q["p"], q["q"], q["v"]])
    say(f"max_rel_diff_gamma_gamma_params_{name}", params)
    same_spend = GammaGamma(q["p"], q["q"], q["v"], (0.0,) * 3, 0.0, 1)
    value = clv(model, same_spend, summary, horizon=12, discount_rate=0.01)
    series = [pd.Series(v) for v in (x, tx, t, m)]
    theirs_clv = ggf.customer_lifetime_value(bgf, *series, time=12, discount_rate=0.01, freq="W")
    say(f"max_rel_diff_clv_{name}", _rel(value.value, theirs_clv.to_numpy()))


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 customers")
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing (best kept)")
    parser.add_argument(
        "--lifetimes-n", default="20000,1000000", help="customers for lifetimes' fit (comma list)"
    )
    args = parser.parse_args()
    n = 100_000 if args.quick else 1_000_000
    say_machine()
    rng = np.random.default_rng(args.seed)
    start = time.perf_counter()
    table = simulate(rng, n)
    say("simulate_seconds", time.perf_counter() - start)
    say("customers", n)
    say("purchases", len(table))
    end = datetime(1997, 12, 30, tzinfo=UTC)
    seconds, summary = best_of(1, lambda: cp.rfm_summary(table, end, freq_multiplier=7))
    say("rfm_summary_seconds", seconds)
    fit_seconds, model = best_of(args.repeat, lambda: fit_bgnbd(summary))
    say("custpool_fit_seconds", fit_seconds)
    for key, v in model.params.items():
        say(f"fit_{key}", v)
    alive_seconds, _ = best_of(args.repeat, lambda: model.p_alive_of(summary))
    say("custpool_p_alive_seconds", alive_seconds)
    say("peak_rss_mib", peak_rss_mib())
    if importlib.util.find_spec("lifetimes") is None:
        say("lifetimes", "not installed (see the module docstring)")
        return
    from lifetimes import BetaGeoFitter  # noqa: PLC0415 - benchmark-only

    warnings.simplefilter("ignore")  # lifetimes and pandas warn about their own deprecations
    for size in sorted({min(int(v), n) for v in args.lifetimes_n.split(",")}):
        # both fits on one summary: the whole pool, or a smaller pool simulated the same way
        part = summary if size == n else cp.rfm_summary(simulate(rng, size), end, freq_multiplier=7)
        ours, fitted = best_of(args.repeat, lambda part=part: fit_bgnbd(part))
        ours_alive, _ = best_of(args.repeat, lambda m=fitted, part=part: m.p_alive_of(part))
        start = time.perf_counter()
        bgf = BetaGeoFitter().fit(part.frequency, part.recency, part.T)
        theirs = time.perf_counter() - start
        theirs_alive, _ = best_of(
            args.repeat,
            lambda bgf=bgf, part=part: bgf.conditional_probability_alive(
                part.frequency, part.recency, part.T
            ),
        )
        say(f"custpool_fit_seconds_{size}", ours)
        say(f"lifetimes_fit_seconds_{size}", theirs)
        say(f"fit_speedup_{size}", theirs / ours)
        say(f"custpool_p_alive_seconds_{size}", ours_alive)
        say(f"lifetimes_p_alive_seconds_{size}", theirs_alive)
        say(f"p_alive_speedup_{size}", theirs_alive / ours_alive)
        say(f"fit_p_alive_speedup_{size}", (theirs + theirs_alive) / (ours + ours_alive))
    compare("cdnow", cdnow_summary())
    small = summary
    if n > 100_000:  # lifetimes' CLV loops in pandas: compare on 100,000 customers
        small = cp.rfm_summary(simulate(rng, 100_000), end, freq_multiplier=7)
    compare("simulated", small)


if __name__ == "__main__":
    main()
