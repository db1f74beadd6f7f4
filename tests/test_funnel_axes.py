"""A funnel plot's points and its limit curves share one x axis, for every kind of measure: proportions
on responses, ratios on the expected count, mean scores on their precision (1/se², as the limits are
drawn). Checked on the minimal package and on its mean scores given by an sd only (the HCAHPS case)."""
from __future__ import annotations

import numpy as np
import pytest

from generator.site.charts import specs
from generator.views import urls
from generator.compute.compare import compare
from generator.compute.transform import mean_se
from generator.data.validate import validate_paths
from test_mean_scores import MINIMAL, rewrite


def _results(tmp_path, which):
    path = MINIMAL if which == "minimal" else rewrite(tmp_path, "sd")
    ds, problems = validate_paths([path])
    assert ds is not None, problems
    return compare(ds)


@pytest.mark.parametrize("which", ["minimal", "sd-only"])
def test_funnel_points_lie_on_the_axis_of_their_curves(tmp_path, which):
    res = _results(tmp_path, which)
    funnels = {k: s for k, s in specs(res).items() if s["type"] == "funnel" and not s.get("phone")}
    kinds = {s["kind"] for s in funnels.values()}
    assert "mean" in kinds and "proportion" in kinds, kinds
    for key, s in funnels.items():
        lim = s["limits"]["0.95"]
        if not lim["x"] or s["target"] is None:
            continue
        x = np.asarray(s["size"], dtype=float)
        cx = np.asarray(lim["x"], dtype=float)
        assert (x >= cx.min()).all() and (x <= cx.max()).all(), (key, s["xlabel"], x, cx.min(), cx.max())
        lo = np.interp(x, cx, lim["lo"])
        hi = np.interp(x, cx, lim["hi"])
        assert (lo < s["target"]).all() and (s["target"] < hi).all(), key  # a point on target is inside
        if s["kind"] == "mean":
            assert s["xlabel"].startswith("Precision")  # not "Number of responses"


def test_a_mean_score_curve_at_a_point_is_that_points_own_limit(tmp_path):
    res = _results(tmp_path, "sd-only")
    sc = res.scores
    checked = 0
    for key, s in specs(res).items():
        if s["type"] != "funnel" or s["kind"] != "mean" or s.get("phone") or not s["limits"]["0.95"]["x"]:
            continue
        measure = key.split("/", 1)[0]
        g = sc[(sc["measure"] == measure) & sc["estimate"].notna()]
        g = g[[urls.chart_key(measure, p, q, "funnel") == key for p, q in zip(g["period"], g["peer"])]]
        pr = res.peers[(res.peers["measure"] == measure) & (res.peers["period"] == g["period"].iat[0])
                       & (res.peers["peer"] == g["peer"].iat[0])]
        se = mean_se(g["se"].to_numpy(float), g["sd"].to_numpy(float), g["responses"].to_numpy(float))
        half = 1.959964 * np.sqrt(se ** 2 + float(pr["tau2"].iat[0]))
        lim = s["limits"]["0.95"]
        hi = np.interp(np.asarray(s["size"], float), lim["x"], lim["hi"])
        assert np.allclose(hi - s["target"], half, rtol=0.02), key
        checked += 1
    assert checked


def test_limits_cover_precisions_below_one():
    """HCAHPS linear scores (0-100) have standard errors above 1, so precisions (1/se²) below 1: the limits
    start where the least precise provider sits, not at 1 (review of issue 19: a third of hospitals had none)."""
    import pandas as pd
    from generator.compute.transform import funnel_curves
    se = np.array([1.2, 1.6, 2.4, 3.0, 0.9])
    scores = pd.DataFrame({"measure": "m", "period": "2017", "peer": "acute", "responses": 300, "expected": np.nan,
                           "se": se, "sd": np.nan})
    peers = pd.DataFrame([{"measure": "m", "period": "2017", "peer": "acute", "kind": "mean", "target": 88.0,
                           "tau2": 0.0}])
    f = funnel_curves(scores, peers)
    precision = 1 / se ** 2
    assert f["size"].min() <= precision.min() and f["size"].max() >= precision.max()
    assert f["size"].min() == pytest.approx(0.8 * precision.min(), rel=1e-3)
    assert f[["lower", "upper"]].notna().all().all()
