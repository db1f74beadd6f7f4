"""Case-mix standardisation: direct, to the national mix of strata, weights capped; crude figure kept."""
from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from site_support import ROOT

MINIMAL = ROOT / "tests" / "packages" / "minimal"


def _frame(rows):
    df = pd.DataFrame(rows, columns=["provider", "measure", "period", "group", "responses", "numerator"])
    df["kind"], df["peer"], df["mean"], df["se"] = "proportion", "nhs-trust", np.nan, np.nan
    return df


GROUPS = pd.DataFrame({"id": ["all", "s-young", "s-old"], "dimension": ["all", "stratum", "stratum"],
                       "label": ["All", "Young", "Old"], "seldom_heard": [False, False, False]})


def test_adjusted_figure_is_the_national_mix_of_stratum_rates():
    from generator.compute.casemix import adjust
    rows = [("A", "m", "2024", "all", 200, 150), ("A", "m", "2024", "s-young", 150, 105), ("A", "m", "2024", "s-old", 50, 45),
            ("B", "m", "2024", "all", 200, 170), ("B", "m", "2024", "s-young", 50, 40), ("B", "m", "2024", "s-old", 150, 130)]
    out = adjust(_frame(rows), GROUPS).set_index(["provider", "group"])
    share_young, share_old = 200 / 400, 200 / 400
    a = share_young * 105 / 150 + share_old * 45 / 50
    n_eff = out.loc[("A", "all"), "responses_eff"]
    assert out.loc[("A", "all"), "numerator_eff"] / n_eff == pytest.approx(a)
    assert out.loc[("A", "all"), "estimate_unadjusted"] == pytest.approx(150 / 200)
    assert bool(out.loc[("A", "all"), "adjusted"])
    # variance of the adjusted figure: sum over strata of (share^2 p(1-p)/n)
    var = share_young ** 2 * (0.7 * 0.3 / 150) + share_old ** 2 * (0.9 * 0.1 / 50)
    assert a * (1 - a) / n_eff == pytest.approx(var)


def test_weights_are_capped():
    from generator.compute.casemix import adjust
    rows = [("A", "m", "2024", "all", 202, 190), ("A", "m", "2024", "s-young", 200, 190), ("A", "m", "2024", "s-old", 2, 0),
            ("B", "m", "2024", "all", 400, 200), ("B", "m", "2024", "s-young", 0, 0), ("B", "m", "2024", "s-old", 400, 200)]
    out = adjust(_frame(rows), GROUPS, below=0).set_index(["provider", "group"])  # the cap alone: keep 2 responses
    est = out.loc[("A", "all"), "numerator_eff"] / out.loc[("A", "all"), "responses_eff"]
    uncapped = (200 / 602) * 0.95 + (402 / 602) * 0.0
    assert est > uncapped + 0.2  # two old respondents cannot stand for two thirds of patients
    w_old = 5.0  # capped weight
    assert est == pytest.approx((200 * (200 / 602) / (200 / 202) * 0.95) / (200 * (200 / 602) / (200 / 202) + 2 * w_old))


def _with_strata(folder, rows: str):
    from generator.compute.compare import compare
    from generator.data.validate import validate_paths
    pkg = folder / "minimal"
    shutil.copytree(MINIMAL, pkg)
    with open(pkg / "groups.csv", "a", encoding="utf-8") as fh:
        fh.write("s-young,stratum,Aged under 65,false\ns-old,stratum,Aged 65 and over,false\n")
    with open(pkg / "scores.csv", "a", encoding="utf-8") as fh:
        fh.write(rows)
    ds, problems = validate_paths([pkg], today=pd.Timestamp("2025-01-01").date())
    assert not [p for p in problems if p.severity == "error"], problems
    return compare(ds)


def test_a_stratum_from_fewer_than_the_threshold_feeds_no_figure(tmp_path):
    """Issue #15: XR1's 5-response stratum is left out, so changing what its 5 said changes no figure."""
    rows = ("XR1,fft-inpatient,2024-01,s-young,300,280,,,,,\nXR1,fft-inpatient,2024-01,s-old,5,{x},,,,,\n"
            "XR2,fft-inpatient,2024-01,s-young,100,70,,,,,\nXR2,fft-inpatient,2024-01,s-old,200,180,,,,,\n")
    a = _with_strata(tmp_path / "a", rows.format(x=0)).scores
    b = _with_strata(tmp_path / "b", rows.format(x=5)).scores
    cols = ["provider", "measure", "group", "estimate", "lower95", "upper95", "z", "band"]
    cols = [c for c in cols if c in a]
    pd.testing.assert_frame_equal(a[cols].reset_index(drop=True), b[cols].reset_index(drop=True))
    xr2 = a.set_index(["provider", "measure"]).loc[("XR2", "fft-inpatient")]
    assert bool(xr2["adjusted"])
    # the national mix leaves the small cell out too: young 300 + 100, old 200 (XR2's only)
    assert xr2["estimate"] == pytest.approx(400 / 600 * 70 / 100 + 200 / 600 * 180 / 200)


def test_strata_in_a_package_give_adjusted_bands_and_keep_the_crude_figure(tmp_path):
    sc = _with_strata(tmp_path, "XR1,fft-inpatient,2024-01,s-young,300,280,,,,,\nXR1,fft-inpatient,2024-01,s-old,112,109,,,,,\n"
                      "XR2,fft-inpatient,2024-01,s-young,100,70,,,,,\nXR2,fft-inpatient,2024-01,s-old,200,180,,,,,\n"
                      ).scores.set_index(["provider", "measure"])
    row = sc.loc[("XR1", "fft-inpatient")]
    assert row["estimate_unadjusted"] == pytest.approx(389 / 412)
    share_young = 400 / 712
    assert row["estimate"] == pytest.approx(share_young * 280 / 300 + (1 - share_young) * 109 / 112)
    assert row["responses"] == 412  # the observed count is what is shown
    assert row["lower95"] < row["estimate"] < row["upper95"]
    other = sc.loc[("XR1", "survey-overall")]
    assert np.isnan(other["estimate_unadjusted"])  # no strata: no adjustment
