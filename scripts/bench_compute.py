"""Benchmark the compute stage's two largest costs at England scale (issue 20), alone.

Breakdown suppression (stats.suppress_counts, as compute/suppress.py calls it:
one call per measure, tables of age and ethnicity cells audited against the
published overall totals) and rank intervals (stats.rank_intervals, one call per
measure, period and peer group). England-like fictional tables are drawn with
numpy from one seed; --scale is the share of England's 7,300 providers.

    nice python3 scripts/bench_compute.py [--scale 0.2] [--repeat 1]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from generator import stats
from generator.settings import Settings

SEED = 20250
AGE_MIX = np.array([.07, .12, .14, .17, .19, .17, .14])
ETHNIC_MIX = np.array([.82, .09, .04, .03, .02])
MEASURES, PERIODS = 25, 1     # 50 breakdown tables per provider, as at England scale (369,000 for 7,300)
PEERS = 12                    # peer groups per measure and period


def tables(rng: np.random.Generator, providers: int) -> list[dict]:
    """Per measure: cell counts, numerators, parents and published totals, as compute/suppress.py passes them."""
    out = []
    size = np.exp(rng.normal(4.5, 1.2, providers))          # typical responses per provider and period
    for m in range(MEASURES):
        kind = ("proportion", "mean", "ratio")[m % 3]
        counts, nums, parents, totals = [], [], [], {}
        for p in range(PERIODS):
            total = rng.poisson(size)
            for dim, mix in (("age", AGE_MIX), ("ethnicity", ETHNIC_MIX)):
                cells = np.array([rng.multinomial(t, mix) for t in total], dtype="float64")
                rate = rng.uniform(0.5, 0.99, providers)
                if kind == "proportion":
                    x = rng.binomial(cells.astype(int), rate[:, None]).astype("float64")
                elif kind == "mean":
                    x = np.round(rng.uniform(1, 10, cells.shape), 2) * cells
                else:
                    x = rng.poisson(cells * 0.05).astype("float64")
                x[rng.random(x.shape) < 0.02] = np.nan              # a cell with no published numerator
                for i in range(providers):
                    key = f"P{i}|M{m}|{p}|{dim}"
                    parents += [key] * cells.shape[1]
                    totals[key] = (float(total[i]), float(np.nansum(x[i])) + (0.5 if kind == "mean" else 0.0))
                counts.append(cells.ravel())
                nums.append(x.ravel())
        scale = {"proportion": ((0.0, 1.0), 0.0), "mean": ((1.0, 10.0), 0.01), "ratio": ((0.0, np.inf), 0.0)}[kind]
        out.append({"counts": np.concatenate(counts), "numerators": np.concatenate(nums),
                    "parents": np.array(parents, dtype=object), "totals": totals, "scale": scale})
    return out


def peer_groups(rng: np.random.Generator, providers: int) -> list[tuple[np.ndarray, np.ndarray, float]]:
    groups = []
    for _ in range(MEASURES * PERIODS):
        for size in np.maximum(2, rng.multinomial(providers, np.full(PEERS, 1 / PEERS))):
            groups.append((rng.normal(0.8, 0.05, size), np.abs(rng.normal(0.03, 0.01, size)), float(rng.uniform(0, 4e-4))))
    return groups


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=0.2, help="share of England's 7,300 providers")
    ap.add_argument("--repeat", type=int, default=1, help="time each part this many times, report the fastest")
    args = ap.parse_args(argv)
    st = Settings()
    providers = max(2, round(7300 * args.scale))
    rng = np.random.default_rng(SEED)
    data, groups = tables(rng, providers), peer_groups(rng, providers)
    n_tables = sum(len(d["totals"]) for d in data)
    best_s = best_r = np.inf
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for d in data:
            stats.suppress_counts(d["counts"], d["parents"], st.suppress_below, st.band_below,
                                  numerators=d["numerators"], totals=d["totals"], scale=d["scale"][0],
                                  tolerance=d["scale"][1])
        best_s = min(best_s, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for y, s, tau2 in groups:
            stats.rank_intervals(y, s, draws=st.rank_draws, seed=st.rank_seed, tau2=tau2)
        best_r = min(best_r, time.perf_counter() - t0)
    print(f"providers {providers}, breakdown tables {n_tables:,}, peer groups {len(groups):,}")
    print(f"suppression {best_s:.2f} s")
    print(f"rank intervals {best_r:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
