#!/usr/bin/env python3
"""Write the fictional example data packages in datapackages/ (issue 2).

Every organisation, place, code and number here is invented. The data are drawn
from one seeded random generator, so a rerun writes byte-identical files, and a
few signals are planted on purpose (a failing trust, an improving practice, a
seldom-heard group doing worse, case-study improvements); they are written to
tests/example_truth.json so that tests can check the pipeline finds them.

    python scripts/make_example_data.py [--out datapackages] [--truth tests/example_truth.json]

Only the example-* folders and README.md inside --out are replaced. The parts live in
scripts/example_data/ (common, reference, scores, cases); this file writes the packages.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np

from example_data.cases import case_studies, case_truth
from example_data.common import LICENSES, MONTHS, PACKAGES, QUARTERS, ROOT, SEED, YEARS, csv_text, schema, sort_rows
from example_data.reference import reference

sys.path.insert(0, str(ROOT))
from generator.data.dataset import STANDARD_VERSION  # noqa: E402
from example_data.scores import complaints_scores, fft_scores, staff_scores, survey_scores

# --- writing ------------------------------------------------------------------------------

def write_package(out: Path, name: str, title: str, description: str,
                  resources: list[tuple[str, dict[str, list[dict]]]]) -> list[dict]:
    """Write one package folder; resources are (name, {relative path: rows}). Returns stats."""
    folder = out / name
    folder.mkdir(parents=True)
    entries, stats = [], []
    for resource, files in resources:
        sch = schema(resource)
        fields = [f["name"] for f in sch["fields"]]
        paths = sorted(files)
        for rel in paths:
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(csv_text(fields, sort_rows(resource, files[rel])).encode("utf-8"))
        stats.append({"package": name, "resource": resource, "files": len(paths),
                      "rows": sum(len(files[p]) for p in paths),
                      "bytes": sum((folder / p).stat().st_size for p in paths)})
        entries.append({"name": resource, "path": paths if len(paths) > 1 else paths[0],
                        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": sch})
    descriptor = {"name": name, "title": title, "description": description, "standard": STANDARD_VERSION,
                  "example": True, "licenses": LICENSES, "resources": entries}
    (folder / "datapackage.json").write_bytes(
        (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return stats


def readme(stats: list[dict], total: int) -> str:
    lines = [
        "# Example data packages (fictional)",
        "",
        "**Everything in this folder is fictional example data.** The organisations, places, codes,",
        "postcodes, people and numbers are invented; none describes a real NHS body or a real patient.",
        "The data exist so that the site can be built, tested and shown without real data. Every",
        "package says `\"example\": true` in its `datapackage.json`, so tools can tell it is example",
        "data (the validator reports problem code `example-data`). Codes are chosen not to clash with",
        "real ODS codes: trusts `X1A`-style, independent providers `XP1`-style, GP practices",
        "`YX0001`-style, commissioners `QX1`-`QX4`; postcodes use the unused areas `ZX` and `ZZ`.",
        "",
        "Do not edit these files by hand: a test checks that they equal a fresh generation. To change",
        "them, edit `scripts/make_example_data.py` and run",
        "",
        "    python scripts/make_example_data.py",
        "",
        "The generator is seeded (`numpy.random.default_rng(20241)`) and writes byte-identical files",
        "on every run. It also writes `tests/example_truth.json`, the signals planted in the data.",
        "",
        "## Packages",
        "",
        "- `example-reference`: 4 commissioners (integrated care boards) in 3 regions, 30 NHS trusts,",
        "  3 independent providers and 150 GP practices; the measures, patient groups, sources and the 0 to 10 scale of the survey scores.",
        "  One trust closed on 2024-03-31 and one practice on 2024-06-30; they have no scores after.",
        "- `example-fft`: monthly Friends and Family Test scores, 2023-01 to 2024-12, for inpatient,",
        "  A&E and maternity care (trusts and independent providers) and GP practices, one file per",
        "  quarter. Every month has breakdowns by age band and ethnic group. Within a dimension the",
        "  group cells add up to the `all` row, so a suppressed cell could be recovered from the",
        "  others: secondary suppression is needed. Cells with no responses are left out.",
        "- `example-survey`: an annual inpatient survey (2022-2024), five questions scored 0-10,",
        "  mean score with standard error, for trusts.",
        "- `example-complaints`: quarterly complaints (2023-Q1 to 2024-Q4) against the number expected",
        "  from each provider's activity, for trusts and GP practices; fewer is better.",
        "- `example-staff`: annual staff survey (2022-2024), share of staff who would recommend the",
        "  standard of care, for trusts.",
        "- `example-case-studies`: three good-practice case studies and one redirect from an old id.",
        "",
        "Seldom-heard groups (marked `seldom_heard: true`): people aged 16 to 24 and people from Black,",
        "mixed or other ethnic groups, whose views national surveys and the FFT hear least often.",
        "",
        "## Planted signals",
        "",
        "- One trust falls sharply on inpatient FFT from 2024-07 and is also worse on the 2024 inpatient",
        "  survey and on complaints from 2024-Q2 (and on the 2024 staff survey).",
        "- One GP practice improves from about 80% to 97% positive after 2023-10 (case study).",
        "- One trust's A&E doubles its responses and improves after 2024-01 (case study), and two",
        "  trusts' maternity scores improve after 2023-07 (case study).",
        "- At one large trust, inpatients aged 16 to 24 are much less positive than its patients overall.",
        "- Three independent providers and five GP practices have fewer than 30 responses a month,",
        "  often fewer than 10; some practices miss a month.",
        "",
        "## Files",
        "",
        "| package | resource | files | rows | bytes |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {s['package']} | {s['resource']} | {s['files']} | {s['rows']} | {s['bytes']} |" for s in stats]
    lines += ["", f"Total size of the CSV files: {total} bytes.", ""]
    return "\n".join(lines)


def generate(out: Path, truth_path: Path) -> list[dict]:
    rng = np.random.default_rng(SEED)
    ref = reference(rng)
    providers = {p["code"]: p for p in ref["providers"]}
    fft = fft_scores(rng, ref, MONTHS)
    survey = survey_scores(rng, ref, YEARS)
    complaints = complaints_scores(rng, ref, QUARTERS)
    staff = staff_scores(rng, ref, YEARS)
    studies, redirects = case_studies(ref)
    assert all(p in providers for s in studies for p in s["providers"].split())

    for name in PACKAGES:
        if (out / name).exists():
            shutil.rmtree(out / name)
    out.mkdir(parents=True, exist_ok=True)
    by_quarter: dict[str, list[dict]] = {}
    for row in fft:
        month = int(row["period"][5:])
        by_quarter.setdefault(f"scores/{row['period'][:4]}-Q{(month + 2) // 3}.csv", []).append(row)

    stats = []
    stats += write_package(out, "example-reference", "Example reference data (fictional)",
                           "Fictional commissioners, providers, measures, patient groups, sources, scales and "
                           "postcode-district centres.",
                           [(r, {f"{r}.csv": ref[r]}) for r in ("commissioners", "providers", "measures", "groups", "sources",
                                                                 "scales", "postcode-districts")])
    stats += write_package(out, "example-fft", "Example Friends and Family Test data (fictional)",
                           "Fictional monthly FFT scores, 2023-01 to 2024-12, with age and ethnicity breakdowns.",
                           [("scores", by_quarter)])
    stats += write_package(out, "example-survey", "Example inpatient survey data (fictional)",
                           "Fictional annual inpatient survey question scores (0 to 10) for trusts, 2022 to 2024.",
                           [("scores", {"scores.csv": survey})])
    stats += write_package(out, "example-complaints", "Example complaints data (fictional)",
                           "Fictional quarterly complaints, observed against expected, 2023-Q1 to 2024-Q4.",
                           [("scores", {"scores.csv": complaints})])
    stats += write_package(out, "example-staff", "Example staff survey data (fictional)",
                           "Fictional annual staff survey: would recommend the standard of care, 2022 to 2024.",
                           [("scores", {"scores.csv": staff})])
    stats += write_package(out, "example-case-studies", "Example case studies (fictional)",
                           "Fictional good-practice case studies and one redirect.",
                           [("case-studies", {"case-studies.csv": studies}), ("redirects", {"redirects.csv": redirects})])
    total = sum(s["bytes"] for s in stats)
    (out / "README.md").write_bytes(readme(stats, total).encode("utf-8"))

    truth = dict(ref["truth"], case_study_improvement=case_truth(ref))
    truth_path.parent.mkdir(parents=True, exist_ok=True)
    truth_path.write_bytes((json.dumps(truth, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "datapackages", help="folder to write the packages into")
    parser.add_argument("--truth", type=Path, default=ROOT / "tests" / "example_truth.json",
                        help="where to write the planted signals")
    args = parser.parse_args(argv)
    stats = generate(args.out, args.truth)
    width = max(len(s["package"]) for s in stats)
    for s in stats:
        print(f"{s['package']:<{width}}  {s['resource']:<13} {s['files']:>2} files {s['rows']:>7} rows {s['bytes']:>9} bytes")
    print(f"total {sum(s['bytes'] for s in stats)} bytes in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
