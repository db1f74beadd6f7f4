"""Rank uncertainty intervals (methods.md §4; Goldstein & Spiegelhalter 1996).

Draw every provider's true value from its posterior under the random-effects
model many times, rank every draw (1 = best), and report the 2.5th-97.5th
percentile of each provider's ranks. The model: estimate y_i ~ N(theta_i, s_i^2),
theta_i ~ N(mu, tau2), so theta_i given y_i is normal with precision
1/s_i^2 + 1/tau2 and mean (y_i/s_i^2 + mu/tau2) / (1/s_i^2 + 1/tau2): shrunk towards
mu, most for the least precise. mu is the random-effects mean
sum(y/(s^2+tau2)) / sum(1/(s^2+tau2)). With tau2 = 0 (no spread between providers
found, or too few to estimate it) the draws are N(y_i, s_i^2). Drawing from
N(y, s^2 + tau2), as before, made 95% intervals cover the true rank 98-99% of the
time (scripts/calibrate.py). Vectorised: one argsort per block of draws.
"""
from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

DRAWS = 1000
BLOCK = 250           # draws ranked at once (bounds memory for thousands of providers)
LEVEL = 0.95


class RankIntervals(tuple[Any, ...]):
    """(lower, upper) rank arrays, so `lower, upper = rank_intervals(...)` works;
    .median holds the median rank and .n the number of providers ranked.
    Ranks are integers (as floats); NaN for providers that were not ranked."""

    median: npt.NDArray[np.float64]
    n: int

    def __new__(cls, lower: npt.NDArray[np.float64], upper: npt.NDArray[np.float64],
                median: npt.NDArray[np.float64], n: int) -> RankIntervals:
        self = super().__new__(cls, (lower, upper))
        self.median = median
        self.n = n
        return self

    @property
    def lower(self) -> npt.NDArray[np.float64]:
        return self[0]  # type: ignore[no-any-return]

    @property
    def upper(self) -> npt.NDArray[np.float64]:
        return self[1]  # type: ignore[no-any-return]


def rank_intervals(estimates: npt.ArrayLike, standard_errors: npt.ArrayLike, higher_is_better: bool = True, draws: int = DRAWS,
                   seed: int = 0, tau2: float = 0.0, level: float = LEVEL) -> RankIntervals:
    """Rank intervals for providers with estimates and standard errors on one scale.

    Providers whose estimate or standard error is missing (NaN) are left out of
    the ranking and get NaN; the others are ranked among themselves (1 to .n).
    The lower end is the 'lower' empirical quantile at (1 - level) / 2 and the
    upper end the 'higher' quantile at (1 + level) / 2, so both are ranks that
    occurred; lower <= median <= upper always holds.
    """
    est = np.asarray(estimates, dtype="float64").ravel()
    se = np.broadcast_to(np.asarray(standard_errors, dtype="float64"), est.shape)
    if draws < 1:
        raise ValueError("rank_intervals: draws must be at least 1")
    if tau2 < 0 or (se < 0).any():
        raise ValueError("rank_intervals: standard errors and tau2 must not be negative")
    ok = np.isfinite(est) & np.isfinite(se)
    mu, sd = posterior(est[ok], se[ok], tau2)
    if not higher_is_better:
        mu = -mu
    count = mu.size
    rng = np.random.default_rng(seed)
    ranks = np.empty((draws, count), dtype=np.int32)
    places = np.arange(1, count + 1, dtype=np.int32)
    tail = (1 - level) / 2
    # Each of the three quantiles is one of the sorted draws, at a place that depends only on the number of draws:
    # numpy's own quantile of 0..draws-1 names it, and one partition of the ranks finds all three at once.
    place = np.arange(draws, dtype="float64")
    at = [int(np.quantile(place, tail, method="lower")), int(np.quantile(place, 1 - tail, method="higher")),
          int(np.quantile(place, 0.5, method="inverted_cdf"))]
    with _pool(count * draws) as pool:  # the draws come from rng in order; blocks are ranked side by side
        jobs = [pool.submit(_rank, _draw(rng, mu, sd, min(BLOCK, draws - start)), ranks[start:start + BLOCK], places)
                for start in range(0, draws, BLOCK)]
        for job in jobs:
            job.result()
        jobs = [pool.submit(ranks[:, cols].partition, sorted(set(at)), 0)  # each provider's own ranks
                for cols in (slice(0, count // 2), slice(count // 2, count)) if count]
        for job in jobs:
            job.result()
    out = [np.full(est.shape, np.nan) for _ in range(3)]
    if count:
        for i, k in enumerate(at):
            out[i][ok] = ranks[k]
    return RankIntervals(out[0], out[1], out[2], count)


THREADS = min(2, os.cpu_count() or 1)   # numpy sorts without the GIL: a second core ranks another block
PARALLEL_FROM = 1_000_000                # ranks to draw (providers x draws) from which a second thread pays


def _draw(rng: np.random.Generator, mu: np.ndarray, sd: np.ndarray, rows: int) -> np.ndarray:
    """rows draws of every provider's true value: mu + sd * a standard normal, worked out in place (the same
    numbers, without two temporary arrays of the block's size)."""
    theta = rng.standard_normal((rows, mu.size))
    theta *= sd
    theta += mu
    return theta


def _rank(theta: np.ndarray, out: np.ndarray, places: np.ndarray) -> None:
    """Each row's ranks (1 = largest) into out."""
    order = np.argsort(-theta, axis=1)          # best (largest) first
    np.put_along_axis(out, order, places[None, :], axis=1)


class _Inline:
    """An executor that runs each job when it is submitted (small problems, one core)."""

    def __enter__(self) -> _Inline:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, fn: Any, *args: Any) -> Future[None]:
        done: Future[None] = Future()
        done.set_result(fn(*args))
        return done


def _pool(work: int) -> Any:
    return ThreadPoolExecutor(THREADS) if THREADS > 1 and work >= PARALLEL_FROM else _Inline()


def posterior(estimates: np.ndarray, standard_errors: np.ndarray, tau2: float) -> tuple[np.ndarray, np.ndarray]:
    """(mean, sd) of each true value given its estimate, under the random-effects model above."""
    var = standard_errors ** 2
    if tau2 <= 0 or not estimates.size:
        return estimates, np.sqrt(var)
    w = 1 / (var + tau2)
    centre = float((w * estimates).sum() / w.sum())
    shrink = var / (var + tau2)          # weight on mu; 0 for a value known exactly
    return estimates + shrink * (centre - estimates), np.sqrt(shrink * tau2)
