"""stats.rank_intervals finds its three quantiles with one partition (issue 20): the same ranks, to the bit,
as the three np.quantile calls it replaced (kept here as the reference), on seeded random peer groups."""
from __future__ import annotations

import numpy as np
import pytest

from generator import stats
from generator.stats.ranks import BLOCK, posterior


def reference(est, se, higher_is_better, draws, seed, tau2, level):
    """rank_intervals before issue 20, without its argument checks."""
    est = np.asarray(est, dtype="float64")
    se = np.broadcast_to(np.asarray(se, dtype="float64"), est.shape)
    ok = np.isfinite(est) & np.isfinite(se)
    mu, sd = posterior(est[ok], se[ok], tau2)
    mu = mu if higher_is_better else -mu
    count, rng = mu.size, np.random.default_rng(seed)
    ranks = np.empty((draws, count), dtype=np.int32)
    places = np.arange(1, count + 1, dtype=np.int32)
    for start in range(0, draws, BLOCK):
        size = min(BLOCK, draws - start)
        order = np.argsort(-(mu + sd * rng.standard_normal((size, count))), axis=1)
        np.put_along_axis(ranks[start:start + size], order, places[None, :], axis=1)
    out = [np.full(est.shape, np.nan) for _ in range(3)]
    if count:
        tail = (1 - level) / 2
        out[0][ok] = np.quantile(ranks, tail, axis=0, method="lower")
        out[1][ok] = np.quantile(ranks, 1 - tail, axis=0, method="higher")
        out[2][ok] = np.quantile(ranks, 0.5, axis=0, method="inverted_cdf")
    return out


@pytest.mark.parametrize("seed", range(4))
def test_partitioned_quantiles_match_numpy_quantile(seed):
    rng = np.random.default_rng(seed)
    for t in range(150):
        n = int(rng.integers(0, 40))
        y, s = rng.normal(size=n), np.abs(rng.normal(size=n)) * rng.choice([0.0, 1.0])  # se 0: tied draws
        if n and rng.random() < 0.3:
            y[rng.integers(0, n)] = np.nan
        if n and rng.random() < 0.3:
            y[:] = 0.5
        args = (y, s, bool(t % 2), int(rng.choice([1, 2, 3, 7, 40, 251, 1000])), t % 7,
                float(rng.choice([0.0, 0.1])), float(rng.choice([0.95, 0.9, 0.5, 0.999, 1.0])))
        got = stats.rank_intervals(*args)
        for mine, theirs in zip((got.lower, got.upper, got.median), reference(*args)):
            assert mine.dtype == theirs.dtype and np.array_equal(mine, theirs, equal_nan=True), args
