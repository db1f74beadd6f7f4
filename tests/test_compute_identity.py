"""Issue 20 made the compute stage faster without changing a figure: compare() with the internals as they were
before (tests/compute_reference.py, kept verbatim) gives the same Results, every frame equal to the bit (values,
dtypes, index, column order), on the example packages and on a small England-like data set."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import compute_reference
from generator import stats
from generator.compute.compare import compare
from generator.data.validate import validate_paths
from test_ranks_identity import reference

FRAMES = ("scores", "breakdowns", "trends", "peers", "funnels", "flags", "good_practice", "triangulation", "evidence")
ROOT = Path(__file__).resolve().parent.parent


def same_results(new, old) -> None:
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(new, name), getattr(old, name), check_exact=True, obj=name)
    assert new.latest == old.latest and new.periods == old.periods


def test_example_results_as_before(example_dataset, example_results, monkeypatch):
    compute_reference.install(monkeypatch)
    same_results(example_results, compare(example_dataset))


@pytest.mark.slow
def test_england_like_results_as_before(tmp_path, monkeypatch):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "england_data.py"), "--out", str(tmp_path),
                    "--scale", "0.03"], check=True, capture_output=True, cwd=ROOT)
    ds, problems = validate_paths([tmp_path])
    assert ds is not None, problems[:3]
    new = compare(ds)
    compute_reference.install(monkeypatch)
    same_results(new, compare(ds))


@pytest.mark.parametrize("count", [1001, 2400])
def test_ranks_on_two_threads_as_before(count):
    """Peer groups large enough for the second thread (stats.ranks.PARALLEL_FROM) rank as one thread did."""
    rng = np.random.default_rng(count)
    y, s = rng.normal(size=count), np.abs(rng.normal(size=count)) * 0.3
    y[::97] = np.nan
    for hib, tau2 in ((True, 0.0), (False, 0.05)):
        got = stats.rank_intervals(y, s, higher_is_better=hib, tau2=tau2)
        for mine, theirs in zip((got.lower, got.upper, got.median), reference(y, s, hib, 1000, 0, tau2, 0.95)):
            assert np.array_equal(mine, theirs, equal_nan=True)
