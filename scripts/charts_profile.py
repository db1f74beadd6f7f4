#!/usr/bin/env python3
"""The charts stage on its own (issue 20): time draw() per kind of chart, profile it, or draw them all.

Computes the results of a data folder (read only), makes the chart specs, then:

    python scripts/charts_profile.py DATA --sample 6             # seconds per draw() by kind of chart
    python scripts/charts_profile.py DATA --sample 6 --profile   # and cProfile's top entries
    python scripts/charts_profile.py DATA --all                  # draw_all with an empty cache: wall s, peak PSS
    python scripts/charts_profile.py DATA --all --results R.pkl  # the same on results computed once

Kinds: caterpillar or funnel, wide or phone, raster (more than RASTER_ABOVE points) or vector.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pickle
import pstats
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchmark import tree_kb  # noqa: E402


def results_of(data: Path):
    from generator.compute.compare import compare
    from generator.data import reference
    from generator.data.validate import validate_paths
    from generator.settings import DEFAULT
    ds, _ = validate_paths([data])
    assert ds is not None
    return compare(ds, DEFAULT, list(reference.read().rules))


def kind_of(spec: dict) -> str:
    from generator.site.charts import RASTER_ABOVE
    return (f"{spec['type']}/{'phone' if spec.get('phone') else 'wide'}/"
            f"{'raster' if len(spec['est']) > RASTER_ABOVE else 'vector'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--sample", type=int, default=6, help="charts of each kind to time")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--all", action="store_true", help="draw_all into an empty cache; wall seconds and peak PSS")
    ap.add_argument("--results", type=Path, help="a pickle of the results: read it if it exists, else write it "
                                                  "(to compare two versions of the charts on the same results)")
    a = ap.parse_args(argv)
    from generator.site import charts
    t0 = time.perf_counter()
    if a.results and a.results.is_file():
        with open(a.results, "rb") as f:
            results = pickle.load(f)
    else:
        results = results_of(a.data)
        if a.results:
            with open(a.results, "wb") as f:
                pickle.dump(results, f, protocol=pickle.HIGHEST_PROTOCOL)
    print(f"results in {time.perf_counter() - t0:.1f} s; PSS {tree_kb() / 1024:.0f} MB; load {os.getloadavg()}")
    if a.all:
        peak = [0]
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.05):
                peak[0] = max(peak[0], tree_kb())
        th = threading.Thread(target=sample, daemon=True)
        th.start()
        t0, c0 = time.perf_counter(), os.times()
        with tempfile.TemporaryDirectory() as cache:
            out, counts = charts.draw_all(results, Path(cache))
        wall, c1 = time.perf_counter() - t0, os.times()
        cpu = sum(c1[:4]) - sum(c0[:4])  # this process and its ended children (the workers)
        stop.set()
        th.join()
        print(f"draw_all: {counts} in {wall:.1f} s, {cpu:.1f} cpu s; peak PSS of the tree {peak[0] / 1024:.0f} MB; "
              f"svg {sum(len(c.svg) for c in out.values()) / 1e6:.0f} MB; load {os.getloadavg()}")
        return 0
    specs = charts.specs(results)
    by: dict[str, list] = {}
    for key in sorted(specs):
        by.setdefault(kind_of(specs[key]), []).append(specs[key])
    del results
    gc.collect()
    charts.draw(next(iter(specs.values())))  # imports and fonts, not timed
    print(f"{len(specs)} specs: " + ", ".join(f"{k} {len(v)}" for k, v in sorted(by.items())))
    prof = cProfile.Profile() if a.profile else None
    for kind, group in sorted(by.items()):
        step = max(1, len(group) // a.sample)
        chosen = group[::step][:a.sample]
        t0 = time.perf_counter()
        if prof:
            prof.enable()
        for s in chosen:
            charts.draw(s)
        if prof:
            prof.disable()
        per = (time.perf_counter() - t0) / len(chosen)
        n = sum(len(s["est"]) for s in chosen) / len(chosen)
        print(f"{kind:<28} {per * 1000:7.0f} ms per chart ({len(chosen)} timed, {n:.0f} points on average)")
    if prof:
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(35)
        print(buf.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
