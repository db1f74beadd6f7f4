"""Rank intervals (methods.md §4)."""
from __future__ import annotations


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import stats
from generator.stats.ranks import posterior


def _providers(count: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, 1.0, count), rng.uniform(0.05, 0.5, count)


def test_unpacks_to_lower_and_upper_with_median_attached():
    est, se = _providers(150)
    r = stats.rank_intervals(est, se)
    lower, upper = r
    assert lower is r.lower and upper is r.upper and r.n == 150
    assert np.all(lower >= 1) and np.all(upper <= 150)
    assert np.all(lower <= r.median) and np.all(r.median <= upper)
    assert np.array_equal(lower, np.round(lower))


def test_clear_leader_is_ranked_first_every_time():
    est = np.array([10.0, 0.0, 0.1, -0.2, 0.05])
    se = np.full(5, 0.1)
    lower, upper = stats.rank_intervals(est, se)
    assert (lower[0], upper[0]) == (1, 1)
    assert np.all(lower[1:] >= 2)


def test_lower_is_better_reverses_ranks():
    est = np.array([1.0, 2.0, 3.0])
    se = np.full(3, 1e-6)
    lo_hib, _ = stats.rank_intervals(est, se, higher_is_better=True)
    lo_lib, _ = stats.rank_intervals(est, se, higher_is_better=False)
    assert lo_hib.tolist() == [3, 2, 1] and lo_lib.tolist() == [1, 2, 3]


def test_intervals_shrink_as_n_grows():
    est, _ = _providers(60, seed=2)
    wide = stats.rank_intervals(est, np.full(60, 1.0))
    narrow = stats.rank_intervals(est, np.full(60, 0.1))
    assert np.mean(narrow.upper - narrow.lower) < 0.5 * np.mean(wide.upper - wide.lower)


def test_tau2_widens_intervals():
    est, se = _providers(80, seed=4)
    plain = stats.rank_intervals(est, se)
    wider = stats.rank_intervals(est, se, tau2=0.5)
    assert np.mean(wider.upper - wider.lower) > np.mean(plain.upper - plain.lower)


def test_deterministic_for_a_seed():
    est, se = _providers(50)
    a, b = stats.rank_intervals(est, se, seed=7), stats.rank_intervals(est, se, seed=7)
    assert np.array_equal(a.lower, b.lower) and np.array_equal(a.upper, b.upper)


def test_missing_providers_are_not_ranked():
    lower, upper = stats.rank_intervals([3.0, np.nan, 1.0], [1e-6, 0.1, 1e-6])
    assert lower[0] == 1 and lower[2] == 2 and np.isnan(lower[1]) and np.isnan(upper[1])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(-5, 5), st.floats(0.001, 2)), min_size=1, max_size=40))
def test_rank_properties(rows):
    est, se = np.array(rows).T
    r = stats.rank_intervals(est, se, draws=200)
    assert np.all(1 <= r.lower) and np.all(r.lower <= r.median) and np.all(r.median <= r.upper)
    assert np.all(r.upper <= len(rows))


def test_rejects_bad_input():
    with pytest.raises(ValueError):
        stats.rank_intervals([1.0, 2.0], [0.1, -0.1])


def test_posterior_worked_example():
    # y = (1, 0, -2), s = (1, 0.5, 2), tau2 = 1. Weights 1/(s^2 + tau2) = (0.5, 0.8, 0.2), so
    # mu = (0.5 - 0.4) / 1.5 = 1/15. Shrinkage s^2/(s^2 + tau2) = (0.5, 0.2, 0.8):
    # means 1 + 0.5 (1/15 - 1) = 8/15, 0.2/15 = 1/75, -2 + 0.8 (1/15 + 2) = -26/75;
    # variances shrink x tau2 = 0.5, 0.2, 0.8 (= 1 / (1/s^2 + 1/tau2)).
    mean, sd = posterior(np.array([1.0, 0.0, -2.0]), np.array([1.0, 0.5, 2.0]), 1.0)
    np.testing.assert_allclose(mean, [8 / 15, 1 / 75, -26 / 75], rtol=1e-12)
    np.testing.assert_allclose(sd ** 2, [0.5, 0.2, 0.8], rtol=1e-12)
    mean, sd = posterior(np.array([1.0, 0.0]), np.array([1.0, 0.5]), 0.0)   # no spread: N(y, s^2)
    np.testing.assert_allclose(mean, [1.0, 0.0]) and np.testing.assert_allclose(sd, [1.0, 0.5])


def test_draws_come_from_the_posterior_not_from_y_with_widened_se():
    # a provider known only roughly (s = 3) with the top estimate is pulled towards the middle
    # (median rank 33 of 100, not 1st), and the precise ones keep narrow intervals: with
    # N(y, s^2 + tau2) every interval widens (mean width 77 places against 32)
    est, se = _providers(100, seed=6)
    se[0], est[0] = 3.0, 4.0
    shrunk = stats.rank_intervals(est, se, tau2=1.0)
    wide = stats.rank_intervals(est, np.sqrt(se ** 2 + 1.0))
    assert wide.median[0] == 1 and 20 <= shrunk.median[0] <= 50
    assert np.mean(shrunk.upper - shrunk.lower) < 0.5 * np.mean(wide.upper - wide.lower)
