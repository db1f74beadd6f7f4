"""Scales of mean scores (standard 1.1): likely ranges are cut at the scale's ends, and only there."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from generator.compute import transform
from generator.data import scales
from generator.compute.compare import _base
from generator.views import wording


def test_cap_cuts_only_what_lies_outside_the_scale():
    df = pd.DataFrame({"measure": ["m", "m", "m", "p"], "kind": ["mean", "mean", "mean", "proportion"],
                       "lower95": [9.8, -0.2, 5.0, 0.2], "upper95": [10.1, 0.3, 6.0, 0.9],
                       "lower998": [9.7, -0.4, 4.5, 0.1], "upper998": [10.2, 0.5, 6.5, 0.95]})
    table = pd.DataFrame({"measure": ["m"], "minimum": [0.0], "maximum": [10.0]})
    out = transform.cap_at_scale(df, table)
    assert out["lower95"].tolist() == [9.8, 0.0, 5.0, 0.2]
    assert out["upper95"].tolist() == [10.0, 0.3, 6.0, 0.9]
    assert out["lower998"].tolist() == [9.7, 0.0, 4.5, 0.1]
    assert out["upper998"].tolist() == [10.0, 0.5, 6.5, 0.95]
    assert wording.scale_words(table, "m") == "score 0 to 10" and wording.scale_words(table, "p") == ""


def test_published_ranges_of_the_example_data_stay_on_their_scale(example_dataset, example_results):
    ds = example_dataset
    b = scales.bounds(ds["scales"])
    assert b  # the example inpatient survey scores are 0 to 10
    raw = transform.add_estimates(_base(ds))
    results = example_results
    for frame in (results.scores, results.breakdowns):
        rows = frame[frame["measure"].isin(list(b))]
        lo = rows["measure"].map({m: v[0] for m, v in b.items()}).astype(float)
        hi = rows["measure"].map({m: v[1] for m, v in b.items()}).astype(float)
        for c in transform.INTERVALS:
            shown = rows[c].dropna()
            assert ((shown >= lo[shown.index]) & (shown <= hi[shown.index])).all(), c
    over = raw[raw["measure"].isin(list(b)) & (raw["upper95"] > 10)]
    assert len(over)  # the uncut t interval does go past 10 somewhere, so the cut is tested
    key = ["provider", "measure", "period", "group"]
    inside = raw[raw["measure"].isin(list(b)) & (raw["upper95"] <= 10) & (raw["lower95"] >= 0) & (raw["group"] == "all")]
    both = inside.merge(results.scores, on=key[:3], suffixes=("", "_pub"))
    both = both[both["upper95_pub"].notna()]
    assert len(both) and np.allclose(both["upper95"], both["upper95_pub"])


def test_funnel_axis_labels_below_one_are_not_rounded_to_zero():
    from generator.site.charts import draw
    spec = {"type": "funnel", "kind": "ratio", "hib": False, "band": ["about-same"] * 4, "est": [1.0, 1.1, 0.9, 1.0],
            "lo": [0.5] * 4, "hi": [1.5] * 4, "size": [0.3, 0.6, 2.5, 4.0], "target": 1.0, "xlabel": "Expected count",
            "limits": {c: {"x": [0.3, 4.0], "lo": [0.2, 0.6], "hi": [2.0, 1.5]} for c in ("0.95", "0.998")}}
    svg = draw(spec)
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "0" not in labels and any(t.startswith("0.") for t in labels), labels
