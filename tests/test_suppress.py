"""suppress.py: rows withheld before anything is computed, and breakdowns audited against published totals."""
from __future__ import annotations

import numpy as np
import pandas as pd

from generator.compute import suppress
from generator.settings import DEFAULT


def _scores(**kw):
    base = {"provider": ["A"], "measure": ["m"], "period": ["2024"], "group": ["all"], "kind": ["mean"],
            "responses": [40.0], "estimate": [9.0], "observed": [np.nan], "band": ["about-same"], "z": [0.1],
            "z_adj": [0.1], "rank_lower": [1.0], "rank_upper": [2.0]}
    base.update(kw)
    return pd.DataFrame(base)


def _breakdown(counts, means, kind="mean"):
    k = len(counts)
    return pd.DataFrame({"provider": ["A"] * k, "measure": ["m"] * k, "period": ["2024"] * k,
                         "dimension": ["age"] * k, "group": [f"g{i}" for i in range(k)], "kind": [kind] * k,
                         "responses": np.asarray(counts, dtype=float), "numerator": np.nan,
                         "mean": np.asarray(means, dtype=float), "observed": np.nan, "estimate": means,
                         "comparison": ["similar"] * k})


SCALE = pd.DataFrame({"measure": ["m"], "minimum": [0.0], "maximum": [10.0]})


def test_withhold_takes_out_every_row_of_a_small_provider():
    df = pd.DataFrame({"provider": ["A", "A", "B", "B"], "measure": "m", "period": "2024",
                       "group": ["all", "g1", "all", "g1"], "responses": [8, 5, 50, 20]})
    kept, withheld = suppress.withhold(df, DEFAULT)
    assert kept["provider"].tolist() == ["B", "B"]
    assert withheld["provider"].tolist() == ["A"] and withheld["group"].tolist() == ["all"]


def test_hidden_mean_scores_all_at_the_top_of_the_scale_are_protected():
    # 40 answered, mean 9.0 (360 points); groups of 5 and 7 (primary) leave 12 people with 120 points: all 10s
    scores, b = suppress.apply(_scores(), _breakdown([5, 7, 28], [10, 10, 240 / 28]), DEFAULT, SCALE)
    assert b.empty  # the 28 would be all that is left shown: no table at all
    # mean 7.5 (300 points): the small groups hold 60 points between them, a mean of 5: only they are hidden
    scores, b = suppress.apply(_scores(estimate=[7.5]), _breakdown([5, 7, 28], [6, 30 / 7, 240 / 28]), DEFAULT, SCALE)
    assert b["suppressed"].tolist() == [True, True, False]


def test_a_suppressed_overall_figure_is_no_total_to_subtract_from():
    scores, b = suppress.apply(_scores(responses=[9.0]), _breakdown([5, 4], [8, 8]), DEFAULT, SCALE)
    assert bool(scores["suppressed"].iat[0]) and np.isnan(scores["estimate"].iat[0])
    assert b.empty
