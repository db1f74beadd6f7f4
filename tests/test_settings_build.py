"""The example site built with settings other than the defaults: its pages, downloads and trends follow
them, and no page or file still names a default threshold (issue 16: 'Settings is the only source of
every threshold and count, including the words and templates')."""
from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from site_support import EPOCH, ROOT

# every field away from its default, each to a value no default threshold shares
ST = dict(suppress_below=12, band_below=25, min_providers_for_tau=500, spc_min_points=30, history_periods=1)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from generator.build import build
    from generator.settings import Settings
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    tmp = tmp_path_factory.mktemp("settings-site")
    res = build([ROOT / "datapackages"], tmp / "site", settings=Settings(**ST), cache_dir=tmp / "cache")
    assert res.ok, res.error
    return tmp / "site"


def _text(path: Path) -> str:
    return re.sub(r"\s+", " ", html.unescape(path.read_text(encoding="utf-8")))


def _zip(site: Path, name: str) -> str:
    with zipfile.ZipFile(site / "downloads" / "experience-results.zip") as z:
        return z.read(f"experience-results/{name}").decode("utf-8")


def _input_rows() -> list[dict]:
    """Every provider's overall row of the example packages, as given (not as computed)."""
    files = sorted(ROOT.glob("datapackages/*/scores.csv")) + sorted(ROOT.glob("datapackages/*/scores/*.csv"))
    return [r for f in files for r in csv.DictReader(open(f, encoding="utf-8")) if r["group"] == "all"]


def test_no_page_or_file_names_a_default_threshold(site):
    texts = [p for p in site.rglob("*") if p.suffix in (".html", ".json", ".csv", ".txt", ".xml")]
    stale = re.compile(r"fewer than 10\b|from 10 to 29|than 12 (months|points)|fewer than 15 providers", re.I)
    found = {p.relative_to(site).as_posix(): m.group(0) for p in texts if (m := stale.search(_text(p)))}
    for name in ("results.csv", "trends.csv", "README.md", "datapackage.json"):
        if m := stale.search(_zip(site, name)):
            found[f"experience-results.zip/{name}"] = m.group(0)
    assert found == {}


def test_pages_name_the_settings(site):
    methods = _text(site / "methods" / "index.html")
    assert "Fewer than 12 people answered" in methods and "12 to 24 responses" in methods
    assert "Fewer than 30 months we draw the chart" in methods.replace("With fewer", "Fewer")
    league = _text(site / "measures" / "fft-gp" / "2023-12" / "index.html")
    assert "Fewer than 12 responses: not shown" in league and "fewer than 12</td>" in league
    assert "Fewer than 500 providers could be compared" in league
    provider = _text(site / "providers" / "xp3" / "index.html")  # 11 answered in the latest month: shown by default
    assert "2024-12 · fewer than 12 answered" in provider and "Fewer than 12 responses: not shown" in provider
    assert "Fewer than 30 months of data, so no trend verdict yet." in provider
    home = _text(site / "index.html")
    assert "Fewer than 12 responses: not shown" in home


def test_downloads_suppress_at_the_new_minimum(site):
    given = {(r["provider"], r["measure"], r["period"]): int(r["responses"]) for r in _input_rows()
             if r["responses"]}
    rows = list(csv.DictReader(io.StringIO(_zip(site, "results.csv"))))
    out = {(r["provider"], r["measure"], r["period"]): r for r in rows}
    small = [k for k, n in given.items() if 10 <= n < 12 and k in out]
    assert small  # the example has results from 10 or 11 responses: shown by default, hidden now
    assert all(out[k]["estimate"] == "" and out[k]["responses"] == "" and out[k]["band"] == "suppressed"
               for k in small)
    assert {out[k]["band_label"] for k in small} == {"Fewer than 12 responses: not shown"}
    assert min(int(r["responses"]) for r in rows if r["responses"]) >= 12
    for path in (site / "downloads" / "providers").glob("*.json"):
        for r in json.loads(path.read_text(encoding="utf-8"))["results"]:
            assert r["responses"] is None or r["responses"] >= 12, path.name
    schema = json.loads((site / "downloads" / "datapackage.json").read_text(encoding="utf-8"))
    responses = [f["description"] for res in schema["resources"] for f in res["schema"]["fields"]
                 if f["name"] == "responses"]
    assert responses and all("fewer than 12" in d for d in responses)
    readme = (site / "downloads" / "README.txt").read_text(encoding="utf-8")
    assert "fewer than 12 responses" in readme and "from 12 to 24 responses" in readme


def test_trends_follow_the_settings(site):
    trends = list(csv.DictReader(io.StringIO(_zip(site, "trends.csv"))))
    assert trends and all(r["trial"] == "true" for r in trends)  # no series has 30 months
    assert not any(r["point_type"].startswith("special_cause") for r in trends)
    zipped = json.loads(_zip(site, "datapackage.json"))
    trial = [f["description"] for res in zipped["resources"] for f in res["schema"]["fields"] if f["name"] == "trial"]
    assert trial == ["Limits are trial limits (fewer than 30 points)"]


def test_positions_and_charts_cover_the_set_history(site):
    """history_periods 1: the latest two periods have positions and charts, earlier ones neither."""
    measures = site / "measures" / "fft-inpatient"
    periods = sorted((p.name for p in measures.iterdir() if p.is_dir()), reverse=True)
    second, third = _text(measures / periods[0] / "index.html"), _text(measures / periods[1] / "index.html")
    assert " of " in re.sub(r"<[^>]+>", "", second) and re.search(r"between \d+(st|nd|rd|th) and", second)
    assert "Positions are worked out for the latest 2 periods only" in third
    assert not re.search(r"between \d+(st|nd|rd|th) and", third)
    for folder in (site / "charts").iterdir():
        drawn = {re.match(r"(\d{4}(?:-\d\d|-Q\d)?)-", p.name).group(1) for p in folder.glob("*.svg")}
        assert len(drawn) <= 2, (folder.name, sorted(drawn))
