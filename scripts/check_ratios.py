#!/usr/bin/env python3
"""Ratios O/E: the site's exact Poisson comparison against PHE's labels and the example data.

Prints, for PHEindicatormethods' 300-row ratio funnel test data (tests/oracles), how many
labels each set of limits gets wrong, and for the example data packages how often the
log-scale normal z (the method used before issue 15) and the site's exact z disagree with
the exact Poisson test of O against target x E at 95%.

    python3 scripts/check_ratios.py [--datapackages datapackages]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from generator import stats  # noqa: E402

LABELS = {"high-998": "High (0.001)", "high-95": "High (0.025)", "within": "Not significant",
          "low-95": "Low (0.025)", "low-998": "Low (0.001)"}


def phe_wrong(limits) -> int:
    t = pd.read_csv(ROOT / "tests" / "oracles" / "testdata_funnel_ratio_inputs.csv", encoding="utf-8-sig")
    o, e = t["obs"].to_numpy(float), t["expected"].to_numpy(float)
    pos = stats.funnel_position(o / e, *limits(e, 0.95), *limits(e, 0.998))
    return sum(LABELS[p] != want for p, want in zip(pos, t["significance"]))


def example(folder: Path) -> None:
    from generator.compute.compare import compare
    from generator.data.validate import validate_paths
    ds, problems = validate_paths(sorted(p for p in folder.iterdir() if p.is_dir()))
    if ds is None:
        raise SystemExit(f"{folder}: not valid ({len(problems)} problems)")
    sc = compare(ds).scores
    rat = sc[sc["kind"] == "ratio"]
    o, e, t = (rat[c].astype(float).to_numpy() for c in ("observed", "expected", "target"))
    lo, hi = stats.exact_poisson_interval(o, 0.95)
    exact = (t * e < lo) | (t * e > hi)
    y, s = stats.ratio_scale(o, e)
    old = np.abs((y - np.log(t)) / s) > stats.Z_BETTER
    tl, th = stats.ratio_test_limits(e, 0.95)
    scaled = (o / e <= tl * t) | (o / e >= th * t)
    banded = ~rat["band"].isin(["too-few", "suppressed"]).to_numpy()
    new = np.abs(rat["z"].to_numpy()) > stats.Z_BETTER
    print(f"example ratio rows: {len(rat)}; banded now: {banded.sum()}; with 0-2 complaints and banded or ranked: "
          f"{int(((o <= 2) & (banded | rat['rank_lower'].notna().to_numpy())).sum())}")
    print(f"log-scale normal z (before) vs exact test at target x E: {int((old != exact).sum())} of {len(rat)} disagree "
          f"({int((old != scaled).sum())} against PHE's limits at E scaled by the target)")
    print(f"site's exact z vs exact test, banded rows: {int((new[banded] != exact[banded]).sum())} of {banded.sum()} disagree")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datapackages", type=Path, default=ROOT / "datapackages")
    args = ap.parse_args(argv)
    print(f"PHE ratio labels wrong of 300: chi-square formula (drawn before) {phe_wrong(stats.poisson_funnel_limits)}, "
          f"site's drawn limits {phe_wrong(lambda e, c: stats.ratio_funnel_limits(e, 1.0, 0.0, c))}")
    example(args.datapackages)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
