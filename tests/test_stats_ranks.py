"""Rank intervals (methods.md §4)."""
from __future__ import annotations


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import stats


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
