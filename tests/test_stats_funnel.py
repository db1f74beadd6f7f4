"""Funnel limits (methods.md §2) against PHEindicatormethods' funnel tables and FunnelPlotR's vectors."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import stats


ORACLES = Path(__file__).parent / "oracles"
LABELS = {"high-998": "High (0.001)", "high-95": "High (0.025)", "within": "Not significant",
          "low-95": "Low (0.025)", "low-998": "Low (0.001)"}


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(ORACLES / name, encoding="utf-8-sig")


def _prop_inputs():
    t = _read("testdata_funnel_prop_inputs.csv")
    return t, t["numerator"].sum() / t["denominator"].sum()   # 80.642448% printed


def test_proportion_funnel_full_phe_table():
    out = _read("testdata_funnel_prop_outputs.csv")
    _, target = _prop_inputs()
    assert round(target * 100, 6) == 80.642448 and np.allclose(out["Baseline"], 80.642448)
    n = out["Population"].to_numpy()
    lo95, hi95 = stats.proportion_funnel_limits(target, n, 0.95)
    lo998, hi998 = stats.proportion_funnel_limits(target, n, 0.998)
    ours = np.column_stack([lo95, hi95, lo998, hi998]) * 100
    theirs = out[["Lower2s0025limit", "Upper2s0025limit", "Lower3s0001limit", "Upper3s0001limit"]].to_numpy()
    assert len(out) == 100
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=5.01e-7)   # printed to 6 decimals


@pytest.mark.parametrize("n, row", [
    (24, (64.835445, 96.449451, 55.719892, 100)),
    (539, (77.306949, 83.977947, 75.38344, 85.901456)),
    (110000, (80.408963, 80.875933, 80.274317, 81.010578)),
    (1, (3.204264, 100, 0, 100)),
])
def test_proportion_funnel_methods_vectors(n, row):
    _, target = _prop_inputs()
    got = [*stats.proportion_funnel_limits(target, n, 0.95), *stats.proportion_funnel_limits(target, n, 0.998)]
    assert [round(v * 100, 6) for v in got] == pytest.approx(list(row), abs=1e-9)


def test_proportion_funnel_labels_match_phe():
    t, target = _prop_inputs()
    p = t["numerator"] / t["denominator"]
    lo95, hi95 = stats.proportion_funnel_limits(target, t["denominator"], 0.95, clamp=False)
    lo998, hi998 = stats.proportion_funnel_limits(target, t["denominator"], 0.998, clamp=False)
    pos = stats.funnel_position(p, lo95, hi95, lo998, hi998)
    assert [LABELS[v] for v in pos] == t["significance"].tolist()


def test_wilson_touching_definition():
    # the lower limit is the proportion whose Wilson upper bound is exactly the target
    lo, hi = stats.proportion_funnel_limits(0.8, 200, 0.95, clamp=False)
    assert stats.wilson_interval(lo * 200, 200, 0.95)[1] == pytest.approx(0.8, abs=1e-12)
    assert stats.wilson_interval(hi * 200, 200, 0.95)[0] == pytest.approx(0.8, abs=1e-12)


def test_poisson_funnel_methods_vectors():
    e = [15, 20, 30]
    lo, hi = stats.poisson_funnel_limits(e, 0.95)
    assert list(np.round(lo, 7)) == [0.5596924, 0.6108260, 0.6746958]
    assert list(np.round(hi, 6)) == [1.649348, 1.544419, 1.427562]
    lo, hi = stats.poisson_funnel_limits(e, 0.998)
    assert list(np.round(lo, 7)) == [0.3862650, 0.4479107, 0.5289724]
    assert list(np.round(hi, 6)) == [2.082907, 1.902094, 1.702771]


def test_ratio_table_is_the_exact_poisson_interval():
    # PHE's table gives, per observed count, the expected count where it sits on each limit
    t = _read("testdata_funnel_ratio_outputs.csv")
    o = t.iloc[:, 0].to_numpy(dtype=float)
    for conf, low_e, high_e in ((0.95, "lower_2s_exp_events", "upper_2s_exp_events"),
                                (0.998, "lower_3s_exp_events", "upper_3s_exp_events")):
        lo, hi = stats.exact_poisson_interval(o, conf)
        np.testing.assert_allclose(hi, t[low_e], rtol=1e-5)
        np.testing.assert_allclose(lo, t[high_e], rtol=1e-5, atol=1e-7)  # PHE solved numerically
        # and the funnel drawn from those limits passes through each (E, O/E) point
        np.testing.assert_allclose(stats.ratio_test_limits(t[low_e].to_numpy(), conf)[0] * t[low_e], o, rtol=1e-5)
        np.testing.assert_allclose(stats.ratio_test_limits(t[high_e].to_numpy(), conf)[1] * t[high_e], o, rtol=1e-5)


def test_ratio_labels_match_phe():
    t = _read("testdata_funnel_ratio_inputs.csv")
    o, e = t["obs"].to_numpy(float), t["expected"].to_numpy()
    lo95, hi95 = stats.ratio_interval(o, e, 0.95)
    lo998, hi998 = stats.ratio_interval(o, e, 0.998)
    got = stats.fingertips_compare(lo95, hi95, lo998, hi998, 1.0, True)
    names = {"better-998": "High (0.001)", "better": "High (0.025)", "similar": "Not significant",
             "worse": "Low (0.025)", "worse-998": "Low (0.001)"}
    assert [names[v] for v in got] == t["significance"].tolist()
    # the same labels from the funnel drawn with limits consistent with the exact interval
    lo95, hi95 = stats.ratio_test_limits(e, 0.95)
    lo998, hi998 = stats.ratio_test_limits(e, 0.998)
    assert [LABELS[v] for v in stats.funnel_position(o / e, lo95, hi95, lo998, hi998)] == t["significance"].tolist()


def test_funnel_position_counts_a_point_on_a_limit_as_outside():
    assert stats.funnel_position(1.2, 0.8, 1.2, 0.7, 1.3) == "high-95"
    assert stats.funnel_position(0.7, 0.8, 1.2, 0.7, 1.3) == "low-998"
    assert stats.funnel_position(1.0, 0.8, 1.2, 0.7, 1.3) == "within"
    assert stats.funnel_position(np.nan, 0.8, 1.2, 0.7, 1.3) == ""


@settings(max_examples=100, deadline=None)
@given(p=st.floats(0.01, 0.99), n=st.integers(1, 10**6))
def test_proportion_funnel_properties(p, n):
    lo95, hi95 = stats.proportion_funnel_limits(p, n, 0.95)
    lo998, hi998 = stats.proportion_funnel_limits(p, n, 0.998)
    assert 0 <= lo998 <= lo95 <= p <= hi95 <= hi998 <= 1


@settings(max_examples=100, deadline=None)
@given(e=st.floats(0.1, 1e5))
def test_poisson_funnel_properties(e):
    lo95, hi95 = stats.poisson_funnel_limits(e, 0.95)
    lo998, hi998 = stats.poisson_funnel_limits(e, 0.998)
    assert 0 <= lo998 < lo95 < 1 < hi95 < hi998
    tl, th = stats.ratio_test_limits(e, 0.95)
    assert 0 <= tl < 1 < th


def test_adjusted_limits_back_transform_and_agree_with_z_adj():
    rng = np.random.default_rng(3)
    n = rng.integers(50, 2000, 40)
    x = rng.binomial(n, 0.8)
    y, s = stats.proportion_scale(x, n)
    target = stats.proportion_target(x, n)
    od = stats.overdispersion_z(y, s, target)
    assert od["mode"] in ("adjusted", "unadjusted")
    tau2 = od["tau2"] + 0.0004                    # make sure the adjustment bites
    z_adj = (y - target) / np.sqrt(s ** 2 + tau2)
    lo, hi = stats.adjusted_proportion_limits(np.sin(target) ** 2, n, tau2, 0.95)
    p = x / n
    assert ((p > hi) | (p < lo)).tolist() == (np.abs(z_adj) > stats.Z_BETTER).tolist()
    # limits are proportions, not square roots of proportions (FunnelPlotR issue #33)
    assert np.all((lo > 0.5) & (hi < 1)) and np.all(lo < 0.8) and np.all(hi > 0.8)
    lo0, hi0 = stats.adjusted_proportion_limits(0.8, 10**6, 0.0, 0.95)
    assert (lo0, hi0) == pytest.approx(stats.proportion_funnel_limits(0.8, 10**6, 0.95), abs=1e-5)


def test_adjusted_ratio_and_mean_limits():
    lo, hi = stats.adjusted_ratio_limits(100, 0.01, 0.95)
    half = 1.959964 * np.sqrt(1 / 100 + 0.01)
    assert (lo, hi) == pytest.approx((np.exp(-half), np.exp(half)), rel=1e-6)
    lo, hi = stats.adjusted_mean_limits(80, 1.0, 4.0, 0.998)
    assert (lo, hi) == pytest.approx((80 - 3.090232 * np.sqrt(5), 80 + 3.090232 * np.sqrt(5)), rel=1e-7)
