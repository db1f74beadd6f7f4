#!/usr/bin/env python3
"""Check by simulation that bands and rank intervals behave as methods.md promises.

Seeded; prints a small table. Three questions, on a proportion measure with
providers of 50 to 2,000 responses and between-provider spread tau on the
asin(sqrt(p)) scale (realistic overdispersion: tau = 0.03 around 80%):

  (a) with no true differences beyond that spread, how many providers are
      banded better or worse than expected at 95% (|z_adj| > 1.959964)?
      The answer should be close to the nominal 5%.
  (b) how often does a provider's 95% rank interval contain its true rank?
  (c) how often is a provider that is truly 5 percentage points worse, with
      300 responses, banded worse (or at least somewhat worse)?

    python scripts/calibrate.py [--replicates 400] [--seed 0]

tests/test_calibration.py runs calibrate() at a small scale.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator import stats  # noqa: E402

P0 = 0.80          # typical share of positive answers
GAP = 0.05         # the planted provider's true shortfall
PLANTED_N = 300


def _replicate(rng, providers: int, tau: float, draws: int) -> dict:
    """One simulated league table; provider 0 is the planted one, the rest are 'no true difference'."""
    n = rng.integers(50, 2001, providers)
    theta = np.arcsin(np.sqrt(P0)) + rng.normal(0.0, tau, providers)
    n[0], theta[0] = PLANTED_N, np.arcsin(np.sqrt(P0 - GAP))
    x = rng.binomial(n, np.sin(theta) ** 2)
    y, s = stats.proportion_scale(x, n)
    target = stats.proportion_target(x, n)
    od = stats.overdispersion_z(y, s, target)
    plain = stats.overdispersion_z(y, s, target, winsor=None)
    site = stats.overdispersion_z(y, s, target, consistent=True)  # what the site publishes
    true_rank = np.empty(providers)
    true_rank[np.argsort(-theta)] = np.arange(1, providers + 1)
    seed = int(rng.integers(2**31))
    covered = {}
    for name, tau2 in (("plain", 0.0), ("with_tau2", od["tau2"]), ("with_plain_tau2", plain["tau2"]),
                       ("with_site_tau2", site["tau2"])):
        lower, upper = stats.rank_intervals(y, s, draws=draws, seed=seed, tau2=tau2)
        covered[name] = (lower[1:] <= true_rank[1:]) & (true_rank[1:] <= upper[1:])
    return {
        "flag_adj": np.abs(od["z_adj"][1:]) > stats.Z_BETTER,
        "flag_raw": np.abs(od["z"][1:]) > stats.Z_BETTER,
        "flag_plain": np.abs(plain["z_adj"][1:]) > stats.Z_BETTER,
        "adjusted": od["mode"] == "adjusted",
        "tau2": od["tau2"],
        "tau2_plain": plain["tau2"],
        "cover_plain": covered["plain"],
        "cover_tau2": covered["with_tau2"],
        "cover_plain_tau2": covered["with_plain_tau2"],
        "planted_worse": od["z_adj"][0] < -stats.Z_BETTER,
        "planted_somewhat": od["z_adj"][0] < -stats.Z_SOMEWHAT,
        "planted_worse_plain": plain["z_adj"][0] < -stats.Z_BETTER,
        "flag_site": np.abs(site["z_adj"][1:]) > stats.Z_BETTER,
        "tau2_site": site["tau2"],
        "cover_site_tau2": covered["with_site_tau2"],
        "planted_worse_site": site["z_adj"][0] < -stats.Z_BETTER,
        "planted_somewhat_site": site["z_adj"][0] < -stats.Z_SOMEWHAT,
    }


def calibrate(replicates: int = 400, providers: int = 150, tau: float = 0.03, seed: int = 0,
              draws: int = 1000) -> dict:
    """Shares measured over `replicates` simulated league tables (see the module docstring)."""
    rng = np.random.default_rng(seed)
    runs = [_replicate(rng, providers, tau, draws) for _ in range(replicates)]

    def share(key):
        return float(np.mean(np.concatenate([np.atleast_1d(r[key]) for r in runs])))

    return {
        "replicates": replicates, "providers": providers, "tau": tau,
        "false_flags_adjusted": share("flag_adj"),
        "false_flags_unadjusted": share("flag_raw"),
        "false_flags_not_winsorised": share("flag_plain"),
        "adjusted_mode": share("adjusted"),
        "mean_tau2": float(np.mean([r["tau2"] for r in runs])),
        "mean_tau2_not_winsorised": float(np.mean([r["tau2_plain"] for r in runs])),
        "rank_coverage_plain": share("cover_plain"),
        "rank_coverage_tau2": share("cover_tau2"),
        "rank_coverage_not_winsorised_tau2": share("cover_plain_tau2"),
        "detect_worse": share("planted_worse"),
        "detect_somewhat_worse": share("planted_somewhat"),
        "detect_worse_not_winsorised": share("planted_worse_plain"),
        "false_flags_site": share("flag_site"),
        "mean_tau2_site": float(np.mean([r["tau2_site"] for r in runs])),
        "rank_coverage_site": share("cover_site_tau2"),
        "detect_worse_site": share("planted_worse_site"),
        "detect_somewhat_worse_site": share("planted_somewhat_site"),
    }


ROWS = [
    ("SITE: (a) banded better/worse, no true difference", "false_flags_site", "5% +- 1"),
    ("SITE: (b) 95% rank interval holds the true rank", "rank_coverage_site", ">= 94%"),
    ("SITE: (c) 5 points worse, n = 300: banded worse or much worse", "detect_worse_site", ""),
    ("SITE:     banded somewhat worse or below", "detect_somewhat_worse_site", ""),
    ("The site uses Winsorised z with the consistency correction; below, alternatives:", None, ""),
    ("(a) methods.md as written (Winsorised, no correction)", "false_flags_adjusted", ""),
    ("    the same with unadjusted z", "false_flags_unadjusted", ""),
    ("    the same, tau2 from z not Winsorised", "false_flags_not_winsorised", ""),
    ("    tables where tau2 was estimated (mode 'adjusted')", "adjusted_mode", ""),
    ("(b) 95% rank interval holds the true rank (se only)", "rank_coverage_plain", ">= 94%"),
    ("    the same, drawing with se^2 + tau2", "rank_coverage_tau2", ">= 94%"),
    ("    the same, tau2 from z not Winsorised", "rank_coverage_not_winsorised_tau2", ">= 94%"),
    ("(c) 5 points worse, n = 300: banded worse or much worse", "detect_worse", ""),
    ("    banded somewhat worse or below", "detect_somewhat_worse", ""),
    ("    banded worse or much worse, tau2 from z not Winsorised", "detect_worse_not_winsorised", ""),
]


def table(result: dict) -> str:
    lines = [f"{result['replicates']} replicates x {result['providers']} providers, tau = {result['tau']} "
             f"(true tau2 = {result['tau'] ** 2:.6f}; mean estimate {result['mean_tau2']:.6f}, "
             f"{result['mean_tau2_not_winsorised']:.6f} without Winsorising, "
             f"{result['mean_tau2_site']:.6f} with the consistency correction)", ""]
    lines += [f"{label:<64} {result[key] * 100:6.1f}%  {goal}" if key else label for label, key, goal in ROWS]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicates", type=int, default=400)
    ap.add_argument("--providers", type=int, default=150)
    ap.add_argument("--tau", type=float, default=0.03)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--save", type=Path, help="also write the figures as JSON (the methods page reads "
                                               "generator/calibration.json)")
    args = ap.parse_args(argv)
    result = calibrate(args.replicates, args.providers, args.tau, args.seed)
    print(table(result))
    if args.save:
        import json
        result["command"] = f"python scripts/calibrate.py --replicates {args.replicates} --seed {args.seed}"
        args.save.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
