#!/usr/bin/env python3
"""Check by simulation that bands and rank intervals behave as the methods page says.

Seeded; prints a small table. On a proportion measure with providers of 50 to
2,000 responses and between-provider spread tau on the asin(sqrt(p)) scale
(realistic overdispersion: tau = 0.03 around 80%), for each overdispersion
setting (Settings.overdispersion: "consistent", "funnelplotr"):

  (a) with no true differences beyond that spread, how many providers are
      banded better or worse than expected at 95% (|z_adj| > 1.959964)?
      The answer should be close to the nominal 5%.
  (b) how often does a provider's 95% rank interval contain its true rank?
      (posterior draws, generator/stats/ranks.py; the aim is 95%)
  (c) how often is a provider that is truly 5 percentage points worse, with
      300 responses, banded worse (or at least somewhat worse)?

and, on a ratio measure (expected events 30 to 500, log-normal spread 0.1, the
site's exact Poisson-lognormal z): (d) the same false-flag rate as (a).

Each share comes with its Monte Carlo standard error: the spread of the
per-replicate shares divided by the square root of the number of replicates.

    python3 scripts/calibrate.py [--replicates 1000] [--seed 0] [--save generator/calibration.json]

tests/test_calibration.py runs calibrate() at a small scale.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator import stats
from generator.settings import OVERDISPERSION  # noqa: E402

P0 = 0.80          # typical share of positive answers
GAP = 0.05         # the planted provider's true shortfall
PLANTED_N = 300
RATIO_TAU = 0.1    # spread of true complaint ratios on the log scale


def _overdispersion(y, s, target, mode: str) -> dict:
    return stats.overdispersion_z(y, s, target, consistent=mode == "consistent")


def _replicate(rng, providers: int, tau: float, draws: int) -> dict:
    """One simulated league table; provider 0 is the planted one, the rest are 'no true difference'."""
    n = rng.integers(50, 2001, providers)
    theta = np.arcsin(np.sqrt(P0)) + rng.normal(0.0, tau, providers)
    n[0], theta[0] = PLANTED_N, np.arcsin(np.sqrt(P0 - GAP))
    x = rng.binomial(n, np.sin(theta) ** 2)
    y, s = stats.proportion_scale(x, n)
    target = stats.proportion_target(x, n)
    true_rank = np.empty(providers)
    true_rank[np.argsort(-theta)] = np.arange(1, providers + 1)
    seed = int(rng.integers(2**31))
    out = {"flag_unadjusted": np.abs((y[1:] - target) / s[1:]) > stats.Z_BETTER}
    plain = stats.overdispersion_z(y, s, target, winsor=None)
    out["flag_not_winsorised"] = np.abs(plain["z_adj"][1:]) > stats.Z_BETTER
    for mode in OVERDISPERSION:
        od = _overdispersion(y, s, target, mode)
        out[f"adjusted_mode_{mode}"] = od["mode"] == "adjusted"
        out[f"tau2_{mode}"] = od["tau2"]
        out[f"false_flags_{mode}"] = np.abs(od["z_adj"][1:]) > stats.Z_BETTER
        out[f"detect_worse_{mode}"] = od["z_adj"][0] < -stats.Z_BETTER
        out[f"detect_somewhat_worse_{mode}"] = od["z_adj"][0] < -stats.Z_SOMEWHAT
        lower, upper = stats.rank_intervals(y, s, draws=draws, seed=seed, tau2=od["tau2"])
        out[f"rank_coverage_{mode}"] = (lower <= true_rank) & (true_rank <= upper)
        if mode == "consistent":  # the draws used before: N(y, s^2 + tau2), not the posterior
            lower, upper = stats.rank_intervals(y, np.sqrt(s ** 2 + od["tau2"]), draws=draws, seed=seed)
            out["rank_coverage_unshrunk"] = (lower <= true_rank) & (true_rank <= upper)
    return out


def _ratio_replicate(rng, providers: int) -> dict:
    """One simulated complaints table with no true difference beyond log-normal spread RATIO_TAU."""
    e = np.exp(rng.uniform(np.log(30), np.log(500), providers))
    o = rng.poisson(e * np.exp(rng.normal(0.0, RATIO_TAU, providers)))
    target = o.sum() / e.sum()
    y, s = stats.ratio_scale(o, e)
    out = {}
    for mode in OVERDISPERSION:
        od = _overdispersion(y, s, np.log(target), mode)
        out[f"ratio_false_flags_{mode}"] = np.abs(stats.ratio_z(o, e, target, od["tau2"])) > stats.Z_BETTER
    out["ratio_false_flags_unadjusted"] = np.abs(stats.ratio_z(o, e, target)) > stats.Z_BETTER
    return out


def calibrate(replicates: int = 1000, providers: int = 150, tau: float = 0.03, seed: int = 0,
              draws: int = 1000) -> dict:
    """Shares (and their Monte Carlo standard errors, key + '_se') over `replicates` simulated tables."""
    rng = np.random.default_rng(seed)
    runs = [_replicate(rng, providers, tau, draws) | _ratio_replicate(rng, providers) for _ in range(replicates)]
    result = {"replicates": replicates, "providers": providers, "tau": tau, "ratio_tau": RATIO_TAU, "draws": draws}
    for key in runs[0]:
        per_run = np.array([np.mean(r[key]) for r in runs], dtype="float64")
        result[key] = float(per_run.mean())
        if not key.startswith("tau2_"):
            result[key + "_se"] = float(per_run.std(ddof=1) / np.sqrt(replicates)) if replicates > 1 else 0.0
    return result


ROWS = [
    ("(a) banded better/worse at 95%, no true difference", "false_flags", "5%"),
    ("(b) 95% rank interval holds the true rank", "rank_coverage", "93.5-96.5%"),
    ("(c) 5 points worse, n = 300: banded worse or much worse", "detect_worse", ""),
    ("    banded somewhat worse or below", "detect_somewhat_worse", ""),
    ("(d) complaints ratio banded better/worse at 95%, no true difference", "ratio_false_flags", "5%"),
]
OTHERS = [
    ("(a) with no overdispersion adjustment", "flag_unadjusted"),
    ("(a) tau2 from z not Winsorised", "flag_not_winsorised"),
    ("(b) drawn from N(y, s^2 + tau2) (the method used before)", "rank_coverage_unshrunk"),
    ("(d) complaints ratio, exact test with no overdispersion adjustment", "ratio_false_flags_unadjusted"),
]


def _cell(result: dict, key: str) -> str:
    return f"{result[key] * 100:5.1f}% +- {result[key + '_se'] * 100:.2f}"


def table(result: dict) -> str:
    lines = [f"{result['replicates']} replicates x {result['providers']} providers, tau = {result['tau']} "
             f"(true tau2 = {result['tau'] ** 2:.6f}); mean tau2 estimate: "
             + ", ".join(f"{m} {result[f'tau2_{m}']:.6f}" for m in OVERDISPERSION), "",
             f"{'':<70} " + " ".join(f"{m:>16}" for m in OVERDISPERSION) + "  aim"]
    for label, key, goal in ROWS:
        lines.append(f"{label:<70} " + " ".join(f"{_cell(result, f'{key}_{m}'):>16}" for m in OVERDISPERSION)
                     + f"  {goal}")
    lines += ["", "For comparison (+- one Monte Carlo standard error):"]
    lines += [f"{label:<70} {_cell(result, key):>16}" for label, key in OTHERS]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicates", type=int, default=1000)
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
        result["command"] = f"python3 scripts/calibrate.py --replicates {args.replicates} --seed {args.seed}"
        args.save.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
