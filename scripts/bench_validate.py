"""Time validation of a large generated package: ours (generator.data.validate) against frictionless.

    python scripts/bench_validate.py --rows 500000            # both
    python scripts/bench_validate.py --rows 2000000 --ours-only

Writes a package in the standard (seeded, so every run is the same data) to a
temporary folder: 1,000 providers, three measures (a proportion by month, a
mean by quarter, a ratio by year), five groups, and N score rows. Prints rows/s
for our validate_paths (reading included) and for frictionless.validate on the
same files with the same schemas, primary keys and foreign keys.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.paths import STANDARD_DIR  # noqa: E402
from generator.data.validate import validate_paths  # noqa: E402

PROVIDERS, GROUPS = 1000, ["all", "age-16-24", "age-25-64", "age-65-plus", "carers"]
MEASURES = [("fft-inpatient", "proportion", "fft-monthly"), ("survey-overall", "mean", "inpatient-survey"),
            ("complaints", "ratio", "complaints-annual")]


def scores(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    i = np.arange(n)
    m, rest = i % 3, i // 3
    prov, grp, step = rest % PROVIDERS, (rest // PROVIDERS) % len(GROUPS), rest // (PROVIDERS * len(GROUPS))
    last = int(step.max()) if n else 0
    # every period ends by 2024, however many rows (months, quarters and years count back from there)
    month = pd.Series(pd.period_range(end="2024-12", periods=last + 1, freq="M").strftime("%Y-%m"))[step].to_numpy()
    quarter = pd.Series(pd.period_range(end="2024Q4", periods=last + 1, freq="Q").map(lambda q: f"{q.year}-Q{q.quarter}"))[step].to_numpy()
    year = (2024 - last + step).astype(str)
    period = np.where(m == 0, month, np.where(m == 1, quarter, year))
    responses = rng.integers(50, 1000, n)
    blank = np.full(n, "", object)
    return pd.DataFrame({
        "provider": np.char.add("R", np.char.zfill(prov.astype(str), 4)),
        "measure": np.array([x[0] for x in MEASURES])[m],
        "period": period, "group": np.array(GROUPS)[grp], "responses": responses,
        "numerator": np.where(m == 0, rng.binomial(responses, 0.85).astype(str), blank),
        "mean": np.where(m == 1, np.round(rng.normal(8, 0.6, n), 2).astype(str), blank),
        "se": np.where(m == 1, np.round(rng.uniform(0.05, 0.3, n), 3).astype(str), blank),
        "sd": blank,
        "observed": np.where(m == 2, rng.poisson(12, n).astype(str), blank),
        "expected": np.where(m == 2, np.round(rng.uniform(5, 20, n), 2).astype(str), blank),
    })


def write_package(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "commissioners": pd.DataFrame({"code": ["QXA"], "name": ["NHS Example ICB"], "region": ["North"]}),
        "providers": pd.DataFrame({"code": [f"R{k:04d}" for k in range(PROVIDERS)], "name": [f"Trust {k}" for k in range(PROVIDERS)],
                                   "type": "nhs-trust", "commissioner": "QXA", "region": "North", "town": "", "postcode": "",
                                   "latitude": "", "longitude": "", "opened": "1990-04-01", "closed": ""}),
        "measures": pd.DataFrame({"id": [x[0] for x in MEASURES], "name": ["Recommend", "Overall", "Complaints"],
                                  "source": ["fft", "survey", "complaints"], "dataset": [x[2] for x in MEASURES],
                                  "setting": ["inpatient", "inpatient", "organisation"], "kind": [x[1] for x in MEASURES],
                                  "polarity": ["higher-is-better", "higher-is-better", "lower-is-better"],
                                  "unit": ["%", "points", "ratio"], "description": "A measure."}),
        "groups": pd.DataFrame({"id": GROUPS, "dimension": ["all", "age", "age", "age", "carer"],
                                "label": ["Everyone", "16-24", "25-64", "65+", "Carers"], "seldom_heard": "false"}),
        "sources": pd.DataFrame({"id": [x[2] for x in MEASURES], "title": "Data", "publisher": "NHS", "licence": "OGL",
                                 "url": "", "retrieved": "2024-04-15", "checksum": ""}),
        "scores": scores(n),
    }
    resources = []
    for name, t in tables.items():
        t.to_csv(folder / f"{name}.csv", index=False)
        resources.append({"name": name, "path": f"{name}.csv", "format": "csv"})
    desc = {"name": "bench", "title": "Benchmark", "standard": "1.0", "licenses": [{"name": "OGL-UK-3.0"}], "resources": resources}
    (folder / "datapackage.json").write_text(json.dumps(desc, indent=2), encoding="utf-8")


FOREIGN_KEYS = {"scores": [("provider", "providers", "code"), ("measure", "measures", "id"), ("group", "groups", "id")],
                "providers": [("commissioner", "commissioners", "code")], "measures": [("dataset", "sources", "id")]}


def frictionless_seconds(folder: Path) -> tuple[float, bool]:
    import frictionless

    desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    desc.pop("standard")
    for r in desc["resources"]:
        r["schema"] = json.loads((STANDARD_DIR / f"{r['name']}.json").read_text(encoding="utf-8"))
        r["schema"]["foreignKeys"] = [{"fields": f, "reference": {"resource": t, "fields": k}}
                                      for f, t, k in FOREIGN_KEYS.get(r["name"], [])]
    start = time.perf_counter()
    report = frictionless.Package.from_descriptor(desc, basepath=str(folder)).validate()
    return time.perf_counter() - start, report.valid


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=500_000)
    ap.add_argument("--ours-only", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="runs of our validation; the best is reported")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bench"
        write_package(folder, a.rows)
        size = (folder / "scores.csv").stat().st_size
        print(f"{a.rows:,} score rows, scores.csv {size / 1e6:.1f} MB")
        best = float("inf")
        for _ in range(a.repeat):
            start = time.perf_counter()
            dataset, problems = validate_paths([folder], today=dt.date(2025, 1, 1))
            best = min(best, time.perf_counter() - start)
        errors = [p for p in problems if p.severity == "error"]
        print(f"ours:        {best:7.2f} s  {a.rows / best:>12,.0f} rows/s  ({len(errors)} errors, {len(dataset['scores']):,} rows typed)")
        if not a.ours_only:
            secs, valid = frictionless_seconds(folder)
            print(f"frictionless:{secs:7.2f} s  {a.rows / secs:>12,.0f} rows/s  (valid: {valid})")
            print(f"speed-up: {secs / best:.1f}x")


if __name__ == "__main__":
    main()
