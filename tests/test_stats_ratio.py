"""Ratios O/E (issue 15, finding 4): exact Poisson bands and funnel limits, checked against
PHEindicatormethods' ratio funnel test data (tests/oracles, origin in PROVENANCE.md)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import integrate
from scipy import stats as sst

from generator import stats
from generator.compute import transform
from generator.compute.compare import _compare_group
from generator.settings import Settings

ORACLES = Path(__file__).parent / "oracles"
FUNNEL = {"high-998": "High (0.001)", "high-95": "High (0.025)", "within": "Not significant",
          "low-95": "Low (0.025)", "low-998": "Low (0.001)"}
BAND = {"much-better": "High (0.001)", "better": "High (0.025)", "somewhat-better": "Not significant",
        "about-same": "Not significant", "somewhat-worse": "Not significant", "worse": "Low (0.025)",
        "much-worse": "Low (0.001)"}


@pytest.fixture(scope="module")
def phe():
    t = pd.read_csv(ORACLES / "testdata_funnel_ratio_inputs.csv", encoding="utf-8-sig")
    assert len(t) == 300
    return t["obs"].to_numpy(float), t["expected"].to_numpy(float), t["significance"].tolist()


def test_bands_from_exact_z_match_all_300_phe_labels(phe):
    o, e, labels = phe
    assert [BAND[b] for b in stats.band(stats.ratio_z(o, e), True)] == labels


def test_drawn_ratio_funnel_matches_all_300_phe_labels(phe):
    # the curve the site draws (transform._limits) at target 1 and no overdispersion;
    # FunnelPlotR's chi-square formula, drawn before, got 13 of these wrong
    o, e, labels = phe
    lo95, hi95 = transform._limits("ratio", 1.0, e, 0.95, 0.0, None)
    lo998, hi998 = transform._limits("ratio", 1.0, e, 0.998, 0.0, None)
    assert [FUNNEL[p] for p in stats.funnel_position(o / e, lo95, hi95, lo998, hi998)] == labels


def _group(o, e, covered):
    return pd.DataFrame({"provider": [f"P{i}" for i in range(len(o))], "observed": o, "expected": e,
                         "responses": covered, "kind": "ratio"})


def test_compare_bands_are_the_exact_test_against_the_peer_target(phe):
    # the peer target here is sum O / sum E (not 1): a provider is banded worse at 95% exactly when
    # its exact Poisson interval for O lies above target x E (the log-scale normal z, used before,
    # disagreed on 9 of these 300)
    o, e, _ = phe
    st = Settings(band_below=1, min_providers_for_tau=10**6)
    g, info = _compare_group(_group(o, e, 10**5), "ratio", False, st, ranked=False)
    target = o.sum() / e.sum()
    lo, hi = stats.exact_poisson_interval(o, 0.95)
    exact_worse, exact_better = lo > target * e, hi < target * e
    assert info["mode"] == "too-few-providers" and info["target"] == pytest.approx(target)
    assert g["band"].isin(["worse", "much-worse"]).tolist() == exact_worse.tolist()
    assert g["band"].isin(["better", "much-better"]).tolist() == exact_better.tolist()


def test_too_few_applies_to_expected_events_not_patients_covered():
    # 20 practices with 100,000 patients covered each but about 2 complaints expected: not banded or ranked
    rng = np.random.default_rng(1)
    e = np.r_[np.full(20, 2.0), np.full(20, 40.0)]
    o = rng.poisson(e).astype(float)
    g, info = _compare_group(_group(o, e, 10**5), "ratio", False, Settings(), ranked=True)
    small = g["expected"] < Settings().band_below
    assert (g.loc[small, "band"] == "too-few").all() and g.loc[small, "rank_lower"].isna().all()
    assert (g.loc[~small, "band"] != "too-few").all() and g.loc[~small, "rank_lower"].notna().all()
    assert info["n_providers"] == 20 and (g["rank_n"] == 20).all()


@pytest.mark.parametrize("o, e, target, tau2", [
    (14.0, 6.0, 1.1, 0.09), (2.0, 9.0, 1.0, 0.3), (160.0, 120.0, 0.9, 0.01),
    (3400.0, 3000.0, 1.0, 0.02), (90000.0, 1e5, 1.0, 0.05), (37.5, 30.0, 1.0, 0.005)])
def test_poisson_lognormal_tail_is_the_mixture_integral(o, e, target, tau2):
    # P(X >= O) for X ~ Poisson(mu e^u), u ~ N(0, tau2), by adaptive numerical integration
    # (P(X >= O | m) = P(Gamma(O) <= m), so non-whole O, as on the drawn funnel, works too)
    t = np.sqrt(tau2)

    def tail(count):
        kink = np.log(count / (target * e))
        return integrate.quad(lambda u: sst.gamma.cdf(target * e * np.exp(u), count) * sst.norm.pdf(u, 0, t),
                              -12 * t, 12 * t, points=[kink] if abs(kink) < 12 * t else None, limit=200)[0]

    up, low = stats.ratio_tails(o, e, target, tau2)
    assert up == pytest.approx(tail(o), rel=1e-6)
    assert low == pytest.approx(1 - tail(o + 1), rel=1e-6, abs=1e-12)
    assert stats.ratio_z(o, e, target, tau2) == pytest.approx(
        sst.norm.isf(up) if up < 0.5 else sst.norm.ppf(low), rel=1e-12)


def test_overdispersion_widens_limits_and_they_agree_with_the_bands():
    e = np.array([3.0, 30.0, 300.0, 3000.0])
    lo0, hi0 = stats.ratio_funnel_limits(e, 1.2, 0.0)
    lo, hi = stats.ratio_funnel_limits(e, 1.2, 0.04)
    assert np.all(lo <= lo0) and np.all(hi > hi0)
    # a provider on the limit has z = +-1.959964 (the band edge), overdispersion allowed for
    np.testing.assert_allclose(stats.ratio_z(hi * e, e, 1.2, 0.04), stats.Z_BETTER, atol=1e-6)
    np.testing.assert_allclose(stats.ratio_z(lo[1:] * e[1:], e[1:], 1.2, 0.04), -stats.Z_BETTER, atol=1e-6)
    # with much data the limits approach the log-normal ones exp(+-z sqrt(1/E + tau2))
    big = stats.ratio_funnel_limits(1e6, 1.0, 0.04)
    assert big == pytest.approx(stats.adjusted_ratio_limits(1e6, 0.04), rel=2e-3)


def test_missing_values_give_missing_z():
    z = stats.ratio_z([np.nan, 5.0, 5.0], [5.0, np.nan, 5.0])
    assert np.isnan(z[:2]).all() and np.isfinite(z[2])
