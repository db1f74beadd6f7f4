"""Mean scores given with a standard deviation and no standard error (as the HCAHPS importer gives them):
SE = SD / sqrt(n), so their funnels are drawn with limits and their bands are computed."""
from __future__ import annotations

import csv
import math
import shutil
from pathlib import Path

import numpy as np

from generator.compute.compare import compare
from generator.data.validate import validate_paths

MINIMAL = Path(__file__).resolve().parent / "packages" / "minimal"


def rewrite(tmp_path: Path, only: str) -> Path:
    """The minimal package with every mean score given by its se only, or by its sd only."""
    pk = tmp_path / only
    shutil.copytree(MINIMAL, pk)
    with open(pk / "scores.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        if r["mean"]:
            root_n = math.sqrt(int(r["responses"]))
            sd = float(r["sd"]) if r["sd"] else float(r["se"]) * root_n
            r["se"], r["sd"] = (repr(sd / root_n), "") if only == "se" else ("", repr(sd))
    with open(pk / "scores.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return pk


def test_a_mean_score_with_sd_and_no_se_gets_funnel_limits_and_a_band(tmp_path):
    ds, problems = validate_paths([rewrite(tmp_path, 'sd')])
    assert ds is not None, problems
    scores = ds["scores"]
    assert scores.loc[scores["mean"].notna(), "se"].isna().all()
    res = compare(ds)
    f = res.funnels[res.funnels["measure"] == "survey-overall"]
    assert len(f), "no funnel for the mean-score measure"
    assert np.isfinite(f[["size", "lower", "upper", "lower_adj", "upper_adj"]].to_numpy(dtype=float)).all()
    s = res.scores[(res.scores["measure"] == "survey-overall") & (res.scores["group"] == "all")]
    assert len(s) and s["band"].notna().all() and not s["band"].isin(["too-few", "suppressed"]).any()
    assert np.isfinite(s["z_adj"].to_numpy(dtype=float)).all()


def test_the_same_scores_with_se_or_sd_give_the_same_funnel(tmp_path):
    with_se, _ = validate_paths([rewrite(tmp_path, 'se')])
    with_sd, _ = validate_paths([rewrite(tmp_path, 'sd')])
    a = compare(with_se).funnels.query("measure == 'survey-overall'").reset_index(drop=True)
    b = compare(with_sd).funnels.query("measure == 'survey-overall'").reset_index(drop=True)
    cols = ["size", "lower", "upper"]
    assert np.allclose(a[cols].to_numpy(dtype=float), b[cols].to_numpy(dtype=float))
