"""Issue 19 end to end: a publisher with the real CMS files (tests/data/real/, public domain; see PROVENANCE.md
there) imports them and builds in a folder of their own, outside this project, as the README says. Each test
checks one point of the issue on that one build."""
from __future__ import annotations

import csv
import json
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


# The data standard page documents the shared standard itself: its field names and type ids (postcode,
# nhs-trust) and its fictional NHS example rows are the standard's, the same for every publisher.
STANDARD_PAGE = "data-standard/"


def test_a_us_site_has_no_nhs_words(publisher):
    site = publisher / "site"
    found = {}
    for p in _pages(site):
        where = str(p.relative_to(site))
        text = p.read_text(encoding="utf-8", errors="replace")
        if where == "search/search_index.json":
            for entry in json.loads(text)["docs"]:
                m = NHS_TERMS.search(entry["title"] + " " + entry["text"])
                if m and not entry["location"].startswith(STANDARD_PAGE):
                    found[where + " " + entry["location"]] = m.group()
        elif not where.startswith(STANDARD_PAGE) and (m := NHS_TERMS.search(text)):
            found[where] = m.group()
    assert found == {}


def test_every_mean_score_funnel_has_its_limits(publisher):
    from generator.compute.compare import compare
    from generator.data.validate import validate_paths
    ds, problems = validate_paths([publisher / "datapackages"])
    assert [p.file for p in problems if p.code == "file-unlisted"] == []  # the importers list what they write
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
    results = pd.concat(pd.read_csv(f, dtype=str, keep_default_na=False)
                        for f in (publisher / "site" / "downloads" / "measures").glob("*.csv"))
    shown = sorted(set(critical) & set(results.loc[results["estimate"] != "", "provider"]))
    assert len(shown) == 5  # the other 7 have no published result, so their pages compare them with no one
    page = (publisher / "site" / "providers" / shown[0] / "index.html").read_text(encoding="utf-8")
    assert "other critical access hospitals" in page.lower()
    assert "The publisher\u2019s own ratings" in page
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


def test_hospitals_cms_gives_no_type_are_said_to_be_in_no_peer_group(publisher):
    """531310, 531312 and 670025 are not in the General Information file: no type, so no peer group."""
    for code in ("531310", "531312", "670025"):
        page = (publisher / "site" / "providers" / code / "index.html").read_text(encoding="utf-8")
        assert "independent provider" not in page.lower()
    page = (publisher / "site" / "providers" / "531310" / "index.html").read_text(encoding="utf-8")
    assert "compared only with other hospitals not in a peer group" in page
    assert "All hospitals not in a peer group: " in page and "All hospitals: " not in page


def test_a_league_table_is_headed_by_peer_group(publisher):
    """Review 19, finding 3: a position 'of 41' and one 'of 2' are in tables headed by their own group."""
    page = (publisher / "site" / "measures" / "hcahps-comp-1-a-p" / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r'<h3 id="[^"]+">([^<]+)</h3>', page)
    assert headings == ["Acute care hospitals", "Critical access hospitals", "Hospitals not in a peer group"]
    assert page.count('<table class="league-table"') == 3 and 'data-filter="type"' not in page


def test_us_choices_name_states_once_in_us_words(publisher):
    """Review 19, findings 7 and 8: no 'United States' among the states, no UK words in the finder, one filter."""
    site = publisher / "site"
    compare = (site / "compare" / "index.html").read_text(encoding="utf-8")
    assert "United States</option>" not in compare and 'value="USAL">Alabama</option>' in compare
    finder = (site / "providers" / "index.html").read_text(encoding="utf-8")
    assert "organisation code" not in finder and "a provider code or a city or town" in finder
    league = (site / "measures" / "hcahps-comp-1-a-p" / "index.html").read_text(encoding="utf-8")
    assert 'data-filter="region"' not in league and 'data-filter="commissioner"' in league
    states = (site / "commissioners" / "index.html").read_text(encoding="utf-8")
    assert "United States" not in states


def test_a_state_with_one_hospital_reads_in_the_singular(publisher):
    """Review 19: 'How patients rated the 1 providers' on a ready-made compare page."""
    pages = sorted((publisher / "site" / "compare").glob("*/index.html"))
    texts = [p.read_text(encoding="utf-8") for p in pages]
    assert len(pages) > 10 and not any("rated the 1 providers" in t for t in texts)
    assert any("How patients rated the one provider of this service" in t for t in texts)
