"""Issue 19 end to end: a publisher with the real CMS files (tests/data/real/, public domain; see PROVENANCE.md
there) imports them and builds in a folder of their own, outside this project, as the README says. Each test
checks one point of the issue on that one build."""
from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from site_support import EPOCH, ROOT

REAL = ROOT / "tests" / "data" / "real"
HCAHPS = REAL / "cms-hcahps-2016-17" / "HCAHPSHOSPITAL.csv"
GENERAL = REAL / "cms-hcahps-2016-17" / "hospital-general-information-excerpt.csv"
WIDE = REAL / "cms-hcahps-2013-14-wide" / "hcahps-excerpt.csv"
NHS_TERMS = re.compile(r"\bNHS\b|Friends and Family|postcode|\bGP\b|\bICBs?\b|integrated care|\btrusts?\b|"
                       r"commissioned by|Commissioner code|National patient survey", re.I)

pytestmark = pytest.mark.slow


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=900)


@pytest.fixture(scope="module")
def publisher(tmp_path_factory) -> Path:
    """A publisher's own folder with no mkdocs.yml: two imports, then a build."""
    home = tmp_path_factory.mktemp("publisher")
    for fmt, src in (("hcahps", HCAHPS), ("cms-hospitals", GENERAL)):
        run = _run("import", fmt, str(src), "--into", "datapackages/cms", cwd=home)
        assert run.returncode == 0, run.stdout + run.stderr
    run = _run("build", "--datapackages", "datapackages", "--out", "site", cwd=home)
    assert run.returncode == 0, run.stdout + run.stderr
    assert not (home / "mkdocs.yml").exists()
    return home


def _pages(site: Path) -> list[Path]:
    """Every file a person or a program reads words from: pages, feeds, JSON (the search index too), CSV."""
    return sorted(p for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".xml", ".csv", ".txt"))


def _providers(home: Path) -> pd.DataFrame:
    return pd.read_csv(home / "datapackages" / "cms" / "providers.csv", dtype=str, keep_default_na=False)


def test_a_us_site_has_no_nhs_words(publisher):
    found = {}
    for p in _pages(publisher / "site"):
        m = NHS_TERMS.search(p.read_text(encoding="utf-8", errors="replace"))
        if m:
            found[str(p.relative_to(publisher / "site"))] = m.group()
    assert found == {}


def test_every_mean_score_funnel_has_its_limits(publisher):
    from generator.compute.compare import compare
    from generator.data.validate import validate_paths
    ds, _ = validate_paths([publisher / "datapackages"])
    res = compare(ds)
    means = set(ds["measures"].loc[ds["measures"]["kind"] == "mean", "id"])
    assert len(means) == 11
    f = res.funnels[res.funnels["measure"].isin(means)]
    assert set(f["measure"]) == means and f[["lower_adj", "upper_adj"]].notna().all().all()


def test_too_few_surveys_is_shown_as_cms_caution_not_a_band(publisher):
    prov = _providers(publisher)
    code = prov.loc[prov["name"].str.contains("CRENSHAW"), "code"].iat[0]
    page = (publisher / "site" / "providers" / code / "index.html").read_text(encoding="utf-8")
    assert "Use with caution" in page and "fewer than 100 completed surveys" in page
    results = pd.concat(pd.read_csv(f, dtype=str, keep_default_na=False)
                        for f in (publisher / "site" / "downloads" / "measures").glob("*.csv"))
    mine = results[results["provider"] == code]
    assert len(mine) and mine["band"].eq("too-few").all()


def test_hospital_types_are_peer_groups_and_cms_ratings_are_labelled_as_theirs(publisher):
    prov = _providers(publisher)
    critical = prov.loc[prov["peer_group"].str.contains("critical access", case=False), "code"]
    assert len(critical) == 12
    page = (publisher / "site" / "providers" / critical.iat[0] / "index.html").read_text(encoding="utf-8")
    assert "other critical access hospitals" in page.lower()
    assert "The publisher's own ratings" in page
    with open(publisher / "site" / "downloads" / "ratings.csv", encoding="utf-8", newline="") as fh:
        ratings = list(csv.DictReader(fh))
    assert ratings and all(r["publisher"] for r in ratings)
    assert {r["provider"] for r in ratings} <= set(prov["code"])


def test_percentages_are_shown_as_cms_published_them(publisher):
    from generator.importers.hcahps_topics import measure_id
    with open(HCAHPS, encoding="utf-8-sig", newline="") as fh:
        cms = {(r["Provider ID"].zfill(6), measure_id(r["HCAHPS Measure ID"])): int(r["HCAHPS Answer Percent"])
               for r in csv.DictReader(fh) if r["HCAHPS Answer Percent"].strip().isdigit()}
    compared = differs = 0
    for f in (publisher / "site" / "downloads" / "measures").glob("*.csv"):
        with open(f, encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                p = cms.get((r["provider"], r["measure"]))
                if p is not None and r["estimate"]:
                    compared += 1
                    differs += round(1000 * float(r["estimate"])) / 10 != p
    assert compared > 500 and differs == 0


def test_the_wide_file_is_refused_for_its_banded_counts(tmp_path):
    run = _run("import", "hcahps", str(WIDE), "--into", "pk", cwd=tmp_path)
    assert run.returncode == 1
    assert "band" in run.stdout.lower() and "300 or more" in run.stdout
    assert not (tmp_path / "pk" / "scores.csv").exists()
