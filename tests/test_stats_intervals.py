"""Confidence intervals against methods.md §1 and PHEindicatormethods' own test data."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import stats

ORACLES = Path(__file__).parent / "oracles"
CONF = {"95%": 0.95, "99.8%": 0.998}


def test_z_values_match_methods():
    assert round(stats.z_value(0.95), 6) == 1.959964
    assert round(stats.z_value(0.998), 6) == 3.090232
    with pytest.raises(ValueError):
        stats.z_value(95)


@pytest.mark.parametrize("x, n, conf, lower, upper", [
    (65, 100, 0.95, 0.5525444330, 0.7363575176),
    (65, 100, 0.998, 0.4954946574, 0.7783540614),
    (1045, 5000, 0.95, 0.1979554988, 0.2204913037),
    (1, 100, 0.95, 0.0017674321, 0.0544861962),
    (9856, 12345, 0.95, 0.7912101753, 0.8053640074),
])
def test_wilson_methods_vectors(x, n, conf, lower, upper):
    lo, hi = stats.wilson_interval(x, n, conf)
    assert (round(lo, 10), round(hi, 10)) == (lower, upper)


def test_wilson_and_byar_oracle_table():
    t = pd.read_csv(ORACLES / "byars_wilson.csv")
    wilson = t[t["method"] == "Wilson"]
    conf = wilson["confidence"].map(CONF).to_numpy()
    for c in (0.95, 0.998):
        rows = wilson[conf == c]
        lo, hi = stats.wilson_interval(rows["x"], rows["n"], c)
        np.testing.assert_allclose(lo, rows["lowercl"], rtol=1e-12)
        np.testing.assert_allclose(hi, rows["uppercl"], rtol=1e-12)
    byar = t[t["method"] == "Byars"]
    for row in byar.itertuples():
        lo, hi = stats.byar_formula(row.x, CONF[row.confidence])
        assert hi == pytest.approx(row.uppercl, rel=1e-12)
        if np.isnan(row.lowercl):      # PHE reports NA where the formula goes negative
            assert lo < 0
        else:
            assert lo == pytest.approx(row.lowercl, rel=1e-12)


def test_proportion_oracle_table():
    t = pd.read_csv(ORACLES / "proportion.csv").dropna(subset=["lower95_0cl"])
    assert len(t) == 16
    m = t["multiplier"].to_numpy()
    lo95, hi95 = stats.wilson_interval(t["Numerator"], t["Denominator"], 0.95)
    lo998, hi998 = stats.wilson_interval(t["Numerator"], t["Denominator"], 0.998)
    for ours, col in ((lo95, "lower95_0cl"), (hi95, "upper95_0cl"), (lo998, "lower99_8cl"), (hi998, "upper99_8cl")):
        np.testing.assert_allclose(ours * m, t[col], rtol=1e-9)


def test_mean_methods_vector():
    # methods.md prints mean 53.704345, sd 20.975575 (rounded); the interval was computed from the
    # unrounded sd of the 8 values (PHE testdata_Mean Area1), which is what reproduces every digit
    mean, sd = 53.704345, 20.97557525770931
    assert tuple(round(v, 6) for v in stats.mean_interval(mean, sd, 8, 0.95)) == (36.168325, 71.240365)
    assert tuple(round(v, 6) for v in stats.mean_interval(mean, sd, 8, 0.998)) == (18.216705, 89.191985)


def test_mean_oracle_from_raw_values():
    values = pd.read_csv(ORACLES / "mean_values.csv")
    results = pd.read_csv(ORACLES / "mean_results.csv").set_index("area")
    groups = {a: g["values"].to_numpy() for a, g in values.groupby("area")}
    groups["No grouping"] = values["values"].to_numpy()
    for area, v in groups.items():
        r = results.loc[area]
        sd = v.std(ddof=1)
        assert sd == pytest.approx(r["stdev"], rel=1e-12)
        lo, hi = stats.mean_interval(v.mean(), sd, len(v), 0.95)
        assert (lo, hi) == pytest.approx((r["lower95_0cl"], r["upper95_0cl"]), rel=1e-10)
        lo, hi = stats.mean_interval(v.mean(), sd, len(v), 0.998)
        assert (lo, hi) == pytest.approx((r["lower99_8cl"], r["upper99_8cl"]), rel=1e-10)


def test_mean_interval_se_is_normal():
    lo, hi = stats.mean_interval_se(80.0, 1.5, 0.95)
    assert (lo, hi) == pytest.approx((80 - 1.959964 * 1.5, 80 + 1.959964 * 1.5), abs=1e-6)


@pytest.mark.parametrize("o, lower, upper", [(65, 50.1631877, 82.8491385), (1045, 982.5932018, 1110.3312130)])
def test_byar_methods_vectors(o, lower, upper):
    lo, hi = stats.byar_interval(o, 0.95)
    assert (round(lo, 7), round(hi, 7)) == (lower, upper)


def test_ratio_methods_vector():
    assert round(895 / 835.8835612, 7) == 1.0707233
    lo, hi = stats.ratio_interval(895, 835.8835612, 0.95)
    assert (round(lo, 7), round(hi, 7)) == (1.0017148, 1.1432333)
    lo, hi = stats.ratio_interval(895, 835.8835612, 0.998)
    assert (round(lo, 7), round(hi, 7)) == (0.9635156, 1.1860070)


def test_isr_oracle_byar_and_exact_below_ten():
    t = pd.read_csv(ORACLES / "isr.csv")
    # rates are the ratio times the reference rate; ratios carry a multiplier ("x 100")
    multiplier = t["statistic"].str.extract(r"x (\d+)$")[0].astype(float)
    scale = np.where(t["statistic"].str.contains("rate"), t["ref_rate"], multiplier)
    assert t["method"].tolist() == ["Exact" if o < 10 else "Byars" for o in t["observed"]]
    for conf, lo_col, hi_col in ((0.95, "lower95_0cl", "upper95_0cl"), (0.998, "lower99_8cl", "upper99_8cl")):
        lo, hi = stats.ratio_interval(t["observed"], t["expected"], conf)
        known = t[lo_col].notna().to_numpy()
        np.testing.assert_allclose((lo * scale)[known], t[lo_col][known], rtol=1e-9)
        np.testing.assert_allclose((hi * scale)[known], t[hi_col][known], rtol=1e-9)


def test_exact_poisson_for_zero_and_small_counts():
    lo, hi = stats.byar_interval([0, 1, 9], 0.95)
    assert lo[0] == 0 and hi[0] == pytest.approx(3.688879, abs=1e-6)   # -log(0.025)
    assert lo[1] == pytest.approx(0.0253178, abs=1e-7) and hi[1] == pytest.approx(5.5716434, abs=1e-7)


def test_invalid_inputs_raise_and_nan_passes_through():
    with pytest.raises(ValueError):
        stats.wilson_interval(11, 10)
    with pytest.raises(ValueError):
        stats.wilson_interval(1, 0)
    with pytest.raises(ValueError):
        stats.byar_interval(-1)
    lo, hi = stats.wilson_interval([np.nan, 5], [10, np.nan])
    assert np.isnan(lo).all() and np.isnan(hi).all()
    assert all(np.isnan(v) for v in stats.byar_interval(np.nan))


def test_scalar_in_scalar_out_array_in_array_out():
    assert isinstance(stats.wilson_interval(1, 2)[0], float)
    assert stats.wilson_interval([1, 2], [2, 4])[0].shape == (2,)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 10**6), frac=st.floats(0, 1))
def test_wilson_properties(n, frac):
    x = round(frac * n)
    lo95, hi95 = stats.wilson_interval(x, n, 0.95)
    lo998, hi998 = stats.wilson_interval(x, n, 0.998)
    assert 0 <= lo998 <= lo95 <= x / n + 1e-12 and x / n - 1e-12 <= hi95 <= hi998 <= 1 + 1e-12
    assert hi998 - lo998 > hi95 - lo95


@settings(max_examples=200, deadline=None)
@given(o=st.integers(0, 10**5), e=st.floats(0.5, 1e5))
def test_ratio_interval_properties(o, e):
    lo95, hi95 = stats.ratio_interval(o, e, 0.95)
    lo998, hi998 = stats.ratio_interval(o, e, 0.998)
    assert 0 <= lo998 <= lo95 <= o / e * (1 + 1e-12) <= hi95 * (1 + 1e-12) and hi95 < hi998


@settings(max_examples=100, deadline=None)
@given(mean=st.floats(-100, 100), sd=st.floats(0.01, 50), n=st.integers(2, 5000))
def test_mean_interval_properties(mean, sd, n):
    lo95, hi95 = stats.mean_interval(mean, sd, n, 0.95)
    lo998, hi998 = stats.mean_interval(mean, sd, n, 0.998)
    assert lo998 < lo95 < mean < hi95 < hi998
