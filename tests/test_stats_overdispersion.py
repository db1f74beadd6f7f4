"""Overdispersion-adjusted z (methods.md §2), checked on cases worked out by hand."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import stats
from generator.compute.compare import _compare_group
from generator.settings import Settings
from generator.stats.overdispersion import MODES, winsor_consistency


def test_equal_standard_errors_worked_example():
    # 20 providers, s = 1, target 0, so z = y = -9.5, -8.5, ..., 9.5.
    # numpy linear (R type 7) percentiles: 10th = -9.5 + 0.1 * 19 = -7.6, 90th = 7.6.
    # Winsorised: +-9.5 and +-8.5 become +-7.6. Sum of squares = 4 * 7.6^2 + 2 * 170 = 571.04
    # phi = 571.04 / 20 = 28.552; with w = 1, sum w - sum w^2 / sum w = 19,
    # tau2 = (571.04 - 19) / 19 = 29.054736842...
    y = np.arange(20) - 9.5
    od = stats.overdispersion_z(y, np.ones(20), 0.0)
    assert od["mode"] == "adjusted" and od["n_providers"] == 20
    assert od["phi"] == pytest.approx(28.552, abs=1e-12)
    assert od["tau2"] == pytest.approx(552.04 / 19, abs=1e-12)
    np.testing.assert_allclose(od["z"], y)
    np.testing.assert_allclose(od["z_adj"], y / np.sqrt(1 + 552.04 / 19))


def test_unequal_weights_worked_example():
    # 15 providers: 10 with s = 1 (w = 1), 5 with s = 0.5 (w = 4); z = +3 for 8 of them, -3 for 7.
    # Percentiles are -3 and 3, so nothing is Winsorised: phi = 9, I phi = 135 > 14.
    # sum w = 30, sum w^2 = 90, so the denominator is 30 - 3 = 27 and tau2 = 121 / 27.
    s = np.array([1.0] * 10 + [0.5] * 5)
    z = np.array([3.0, -3.0] * 7 + [3.0])
    target = 0.7
    od = stats.overdispersion_z(target + z * s, s, target)
    assert od["phi"] == pytest.approx(9.0)
    assert od["tau2"] == pytest.approx(121 / 27)
    np.testing.assert_allclose(od["z_adj"], z * s / np.sqrt(s ** 2 + 121 / 27))


def test_no_overdispersion_is_unadjusted():
    z = np.linspace(-0.9, 0.9, 16)   # I phi well below I - 1
    od = stats.overdispersion_z(z, np.ones(16), 0.0)
    assert od["mode"] == "unadjusted" and od["tau2"] == 0.0
    np.testing.assert_allclose(od["z_adj"], od["z"])


def test_too_few_providers_keeps_unadjusted_z():
    y = np.arange(14) - 6.5
    od = stats.overdispersion_z(y, np.ones(14), 0.0)
    assert od["mode"] == "too-few-providers" and od["tau2"] == 0.0
    np.testing.assert_allclose(od["z_adj"], y)
    assert stats.overdispersion_z(y, np.ones(14), 0.0, min_providers=10)["mode"] == "adjusted"


def test_missing_values_are_left_out():
    y = np.append(np.arange(20) - 9.5, [np.nan, 5.0])
    s = np.append(np.ones(20), [1.0, np.nan])
    od = stats.overdispersion_z(y, s, 0.0)
    assert od["n_providers"] == 20 and od["tau2"] == pytest.approx(552.04 / 19)
    assert np.isnan(od["z"][-2:]).all() and np.isnan(od["z_adj"][-2:]).all()
    empty = stats.overdispersion_z([], [], 0.0)
    assert empty["mode"] == "too-few-providers" and np.isnan(empty["phi"])


def test_scales():
    y, s = stats.proportion_scale([25, 0], [100, 400])
    np.testing.assert_allclose(y, [np.arcsin(0.5), 0.0])
    np.testing.assert_allclose(s, [0.05, 0.025])
    assert stats.proportion_target([25, 75], [100, 100]) == pytest.approx(np.pi / 4)
    y, s = stats.ratio_scale([20, 0], [10, 4])
    np.testing.assert_allclose(y, [np.log(2), np.log(0.5 / 4)])   # O = 0 counts as half an event
    np.testing.assert_allclose(s, [1 / np.sqrt(10), 0.5])
    y, s = stats.mean_scale([7.5], [0.2])
    assert y.tolist() == [7.5] and s.tolist() == [0.2]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.floats(-3, 3), st.floats(0.01, 1)), min_size=1, max_size=60))
def test_adjustment_only_ever_shrinks_z(rows):
    y, s = np.array(rows).T
    od = stats.overdispersion_z(y, s, 0.0)
    assert od["tau2"] >= 0 and od["mode"] in MODES
    assert np.all(np.abs(od["z_adj"]) <= np.abs(od["z"]) + 1e-12)
    assert (od["mode"] == "too-few-providers") == (len(rows) < 15)
    assert (od["tau2"] > 0) == (od["mode"] == "adjusted")


def test_funnelplotr_setting_worked_example():
    """Settings(overdispersion="funnelplotr") follows FunnelPlotR's published method exactly.

    Method as published in FunnelPlotR (nhs-r-community/FunnelPlotR, R/od_adjustment.R: transformed_zscore
    for data_type "PR", winsorisation with trim_by = 0.1 and R's default type-7 quantile, phi_func, tau_func)
    and in Spiegelhalter (2005), Statistics in Medicine 24:1185-1202, section 6. Worked by hand below for
    20 providers, n = 100, 200, ..., 2000 (figures from the arithmetic in the comments, not from the code):
      target = asin(sqrt(16861 / 21000)) = 1.1107896445687866
      z_i = (asin(sqrt(x_i / n_i)) - target) * 2 sqrt(n_i)
      10th / 90th type-7 percentiles of z: -2.0506810454902182 / 1.9756250564902706 (z clipped to them)
      phi = mean of squared Winsorised z = 2.5574702449814595
      w = 4 n, tau2 = (20 phi - 19) / (sum w - sum w^2 / sum w) = 0.000409372727923971
    """
    n = np.arange(1, 21) * 100
    x = np.array([78, 171, 230, 330, 392, 498, 540, 655, 700, 830,
                  852, 975, 1020, 1150, 1170, 1300, 1350, 1480, 1500, 1640])
    g = pd.DataFrame({"provider": [f"P{i}" for i in range(20)], "numerator": x, "responses": n})
    out, info = _compare_group(g, "proportion", True, Settings(overdispersion="funnelplotr"), ranked=False)
    assert info["mode"] == "adjusted" and info["n_providers"] == 20
    assert info["phi"] == pytest.approx(2.5574702449814595, rel=1e-12)
    assert info["tau2"] == pytest.approx(0.000409372727923971, rel=1e-12)
    y = np.arcsin(np.sqrt(x / n))
    np.testing.assert_allclose(out["z_adj"], (y - 1.1107896445687866) / np.sqrt(1 / (4 * n) + 0.000409372727923971),
                               rtol=1e-10)
    # the site's default divides phi by the Winsorised normal's E[z^2] (0.6787) before taking tau2
    _, site = _compare_group(g, "proportion", True, Settings(), ranked=False)
    assert site["phi"] == pytest.approx(2.5574702449814595 / winsor_consistency(), rel=1e-12)
    assert round(winsor_consistency(), 4) == 0.6787


def test_unknown_overdispersion_setting_is_refused():
    with pytest.raises(ValueError, match="overdispersion"):
        Settings(overdispersion="cqc")
