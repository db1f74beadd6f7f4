"""stats.spc.spc_many (many series at once) gives exactly what stats.spc gives for each series."""
from __future__ import annotations

import numpy as np
import pytest

from generator import stats
from generator.stats.spc import spc_many


def _series(rng, k: int, n: int) -> np.ndarray:
    """Noise, with planted outliers, runs, trends and constant rows so that every rule fires somewhere."""
    y = rng.normal(50, 5, (k, n)).round(rng.integers(0, 3))
    for i in range(k):
        kind = i % 6
        if kind == 1 and n:
            y[i, rng.integers(0, n)] += rng.choice([-40, 40])              # astronomical point
        elif kind == 2 and n >= 8:
            s = rng.integers(0, n - 7)
            y[i, s:s + 8] = 50 + rng.choice([-1, 1]) * np.arange(8) * 3    # trend
        elif kind == 3 and n >= 7:
            y[i, n - 8 if n > 8 else 0:] += rng.choice([-9, 9])            # shift
        elif kind == 4:
            y[i] = 7.0                                                     # constant: zero-width limits
    return y


def _check(y, improvements, **kw):
    many = spc_many(y, improvements, **kw)
    for i, imp in enumerate(improvements):
        one = stats.spc(y[i], improvement=imp, **kw)
        np.testing.assert_array_equal(np.full(y.shape[1], many["mean"][i]), one["mean"].to_numpy())
        np.testing.assert_array_equal(np.full(y.shape[1], many["upper"][i]), one["upper"].to_numpy())
        np.testing.assert_array_equal(np.full(y.shape[1], many["lower"][i]), one["lower"].to_numpy())
        assert list(many["point_type"][i]) == list(one["point_type"])
        assert list(many["rule"][i]) == list(one["rule"])
        assert bool(many["trial"][i]) == bool(one["trial"].iat[0]) if len(one) else True


@pytest.mark.parametrize("n", [1, 2, 3, 6, 7, 11, 12, 13, 24])
def test_equals_spc_on_random_series(n):
    rng = np.random.default_rng(100 + n)
    k = 60
    y = _series(rng, k, n)
    improvements = [["increase", "decrease", None, "neutral"][i % 4] for i in range(k)]
    _check(y, improvements)
    _check(y, improvements, screen_outliers=False)
    _check(y, improvements, min_points=5)


def test_rules_fire_in_the_random_series():
    """The comparison above is not vacuous: every rule appears in the 24-point series."""
    y = _series(np.random.default_rng(124), 60, 24)
    rules = set(spc_many(y, ["increase"] * 60)["rule"].ravel())
    assert {"astronomical", "trend", "shift", "two-in-three", ""} <= rules


def test_rejects_bad_input():
    with pytest.raises(ValueError):
        spc_many(np.array([[1.0, np.nan]]), ["increase"])
    with pytest.raises(ValueError):
        spc_many(np.ones((1, 3)), ["up"])
    with pytest.raises(ValueError):
        spc_many(np.ones(3), ["increase"])
