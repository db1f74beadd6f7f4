"""Published HCAHPS answer percentages against the percentages the site shows (from the imported counts).

    python3 -m generator import hcahps tests/data/real/cms-hcahps-2016-17/HCAHPSHOSPITAL.csv --into /tmp/h/cms
    python3 scripts/check_hcahps_percents.py tests/data/real/cms-hcahps-2016-17/HCAHPSHOSPITAL.csv /tmp/h/cms

Prints how many published whole percentages the site's one-decimal figure differs from, by 0.5 points or
more, and how many no whole count of the completed surveys can reproduce (so no choice of numerator can).
The site's figure is the package's published column where it has one (standard 1.4), else numerator / responses.
Given a built site instead of a package (a folder with downloads/measures/), it reads the figure the site
published (the estimate column of each measure's CSV):

    python3 -m generator build --datapackages /tmp/h --out /tmp/h-site
    python3 scripts/check_hcahps_percents.py tests/data/real/cms-hcahps-2016-17/HCAHPSHOSPITAL.csv /tmp/h-site
"""
import csv
import math
import sys
from pathlib import Path

from generator.importers.hcahps_topics import measure_id


def main(source: str, package: str) -> None:
    with open(source, encoding="utf-8-sig", newline="") as fh:
        published = {(r["Provider ID"].zfill(6), measure_id(r["HCAHPS Measure ID"])): int(r["HCAHPS Answer Percent"])
                     for r in csv.DictReader(fh) if r["HCAHPS Answer Percent"].strip().isdigit()}
    site = Path(package) / "downloads" / "measures"
    if site.is_dir():
        return _site(published, site)
    rows = []
    for f in sorted(Path(package).glob("scores/*.csv")):
        with f.open(encoding="utf-8", newline="") as fh:
            rows += [r for r in csv.DictReader(fh) if r["numerator"] and r["group"] == "all"]
    compared = differs = by_half = nearest_misses = impossible = 0
    for r in rows:
        p = published.get((r["provider"], r["measure"]))
        if p is None:
            continue
        x, n = int(r["numerator"]), int(r["responses"])
        own = r.get("published") or ""
        shown = round(10 * float(own)) / 10 if own else round(1000 * x / n) / 10  # the site shows one decimal
        compared += 1
        differs += shown != p
        by_half += abs(shown - p) >= 0.5
        nearest_misses += math.floor(100 * x / n + 0.5) != p
        impossible += not any(math.floor(100 * k / n + 0.5) == p for k in range(n + 1))
    print(f"published percentages compared: {compared}; the site's figure differs: {differs}; by 0.5 points or "
          f"more: {by_half}; the imported count does not round to the published percent: {nearest_misses}; "
          f"no whole count can: {impossible}")


def _site(published: dict, folder: Path) -> None:
    """The figures a built site published (estimate, 0-1, shown to one decimal) against CMS's percents."""
    compared = differs = by_half = 0
    for f in sorted(folder.glob("*.csv")):
        with f.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                p = published.get((r["provider"], r["measure"]))
                if p is None or not r["estimate"]:
                    continue
                shown = round(1000 * float(r["estimate"])) / 10
                compared += 1
                differs += shown != p
                by_half += abs(shown - p) >= 0.5
    print(f"published percentages compared with the built site's figures: {compared}; the site's figure differs: "
          f"{differs}; by 0.5 points or more: {by_half}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
