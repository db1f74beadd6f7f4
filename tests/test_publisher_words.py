"""The publisher's words in built sites: the real CMS HCAHPS file (tests/data/real/, see its PROVENANCE.md) built
as a US publisher would build it has no NHS words on any page, meta description, finder or compare label; the
example (NHS England's words, no publisher object) keeps them; hostile words are escaped."""
from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import pytest

from site_support import EPOCH, ROOT, build_example

HCAHPS = ROOT / "tests" / "data" / "real" / "cms-hcahps-2016-17" / "HCAHPSHOSPITAL.csv"
NHS_TERMS = re.compile(r"NHS|Friends and Family|postcode|GP practice|\bICB\b|integrated care|\btrusts?\b|"
                       r"commission(?:er|ed|ing)|National patient survey|independent provider|England", re.I)
CITED = ("NHS England's Making Data Count", "NHS Making Data Count")  # methods cited by their source's name
STANDARD_PAGES = ("data-standard/", "problem-codes/")  # the standard's own documentation: its column names, English examples
TAG = re.compile(r"<[^>]*>")
SHOWN = re.compile(r'\b(?:content|title|alt|aria-label|label|placeholder|value)="([^"]*)"')  # attributes people read


def _strings(value, key=""):
    """Every string value of a JSON document, but names, paths and locations (column names, file and page addresses)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str) and key not in ("name", "path", "location"):
        yield value


def readable(site: Path, rel: str) -> str:
    """What a person (or a search engine) reads of a built file: text, shown attributes, scripts' JSON."""
    raw = (site / rel).read_text(encoding="utf-8", errors="replace")
    if rel.endswith((".html", ".xml", ".svg")):
        return " ".join(html.unescape(TAG.sub(lambda m: " " + " ".join(SHOWN.findall(m.group(0))) + " ", raw)).split())
    if rel.endswith(".json"):
        doc = json.loads(raw)
        if rel == "search/search_index.json":
            doc = [d for d in doc["docs"] if not d["location"].startswith(STANDARD_PAGES)]
        return html.unescape("\n".join(_strings(doc)))
    if rel.endswith(".csv"):
        return raw.split("\n", 1)[-1]  # below the header (the standard's column names)
    return ""


def nhs_words(site: Path) -> dict[str, list[str]]:
    """{file: [each NHS term found, with its surroundings]} over the built site."""
    found = {}
    for p in sorted(site.rglob("*")):
        rel = p.relative_to(site).as_posix()
        if not p.is_file() or rel.startswith(STANDARD_PAGES):
            continue
        text = readable(site, rel)
        for cited in CITED:
            text = text.replace(cited, "")
        hits = [text[max(0, m.start() - 40):m.end() + 40] for m in NHS_TERMS.finditer(text)]
        if hits:
            found[rel] = hits[:3]
    return found


@pytest.fixture(scope="module")
def us_site(tmp_path_factory):
    from generator.build import build
    from generator.importers import run_import
    tmp = tmp_path_factory.mktemp("us")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    summary, problems = run_import("hcahps", HCAHPS, tmp / "pk" / "cms-hcahps", today="2026-12-07")
    assert not [p for p in problems if p.severity == "error"], problems[:3]
    config = tmp / "mkdocs.yml"  # a publisher's configuration that changes nothing (not this repository's)
    config.write_text("site_name: Hospital patient experience\n", encoding="utf-8")
    res = build([tmp / "pk"], tmp / "site", cache_dir=tmp / "cache", config_file=config)
    assert res.ok, (res.error, res.problems[:3])
    return tmp / "site"


def test_a_us_build_has_no_nhs_words(us_site):
    assert nhs_words(us_site) == {}
    home = readable(us_site, "index.html")
    assert "How hospitals compare on what patients say about their care." in home  # the meta description
    assert "care at hospitals, and how each compares" in home and "Its results come from: HCAHPS patient survey." in home
    assert "Find a provider by name, code or town." in home


def test_us_pages_use_the_publisher_words(us_site):
    page = readable(us_site, "providers/010001/index.html")
    assert re.search(r"Hospital · code 010001 · DOTHAN · in\s+Alabama", page)  # the state once, not its region too
    assert "Hospitals in Alabama:" in page and "All hospitals:" in page and "HCAHPS patient survey" in page
    state = readable(us_site, "commissioners/usal/index.html")
    assert "State code USAL" in state
    finder = (us_site / "providers" / "index.html").read_text(encoding="utf-8")
    assert 'id="finder-type"' not in finder and "data-no-places" in finder and "data-near-me" not in finder
    compare = (us_site / "compare" / "index.html").read_text(encoding="utf-8")
    assert '<optgroup label="States"' in compare and 'value="near"' not in compare and "choice-postcode" not in compare
    assert "all providers of its kind in the United States" in readable(us_site, "compare/index.html")
    nav = readable(us_site, "index.html")
    assert re.search(r"\bStates\b", nav)
    choice = json.loads((us_site / "assets" / "choice.json").read_text(encoding="utf-8"))
    assert choice["types"] == {"independent": "hospital"}
    assert choice["words"]["same"].startswith(" “Same state”")
    about = readable(us_site, "about/index.html")
    assert "published by Centers for Medicare & Medicaid Services (CMS)" in about


def test_the_example_keeps_nhs_englands_words():
    site, _res, _cache = build_example()
    home = readable(site, "index.html")
    assert "care at NHS trusts, GP practices and independent providers" in home
    assert "It brings together the Friends and Family Test" in home and "by name, code, town or postcode." in home
    assert 'content="How NHS trusts, GP practices and independent providers compare' in \
        (site / "index.html").read_text(encoding="utf-8")
    finder = (site / "providers" / "index.html").read_text(encoding="utf-8")
    assert '<option value="nhs-trust">NHS trusts</option><option value="gp-practice">GP practices</option>' in finder
    compare = (site / "compare" / "index.html").read_text(encoding="utf-8")
    assert '<optgroup label="Commissioners (integrated care boards)">' in compare
    assert "Near a postcode or my location" in compare and "all providers of its kind in England" in compare
    assert "commissioned by" in readable(site, "providers/x1a/index.html")
    assert "Commissioner code" in readable(site, "commissioners/qx1/index.html")


def test_hostile_publisher_words_are_escaped(tmp_path, pkgtools):
    from generator.build import build
    pkg = pkgtools.copy_minimal(tmp_path / "pk")
    evil = '"><script>alert(1)</script>'
    pkgtools.edit_descriptor(pkg, lambda d: d.update(standard="1.4", publisher={
        "name": evil, "country": evil, "kinds": {t: [evil, evil + "s"] for t in ("nhs-trust", "gp-practice", "independent")},
        "commissioning": {"one": evil, "many": evil, "by": evil}, "sources": {s: evil for s in ("fft", "survey")}}))
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    res = build([tmp_path / "pk"], tmp_path / "site", cache_dir=tmp_path / "cache", config_file=config)
    assert res.ok, (res.error, res.problems[:3])
    pages = [p for p in (tmp_path / "site").rglob("*.html")]
    assert pages and not [p for p in pages if "<script>alert(1)" in p.read_text(encoding="utf-8")]
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "alert(1)" in html.unescape(home)  # the words are there, as text


def test_no_commissioning_level_and_no_place_lookup(tmp_path, pkgtools):
    from generator.build import build
    pkg = pkgtools.copy_minimal(tmp_path / "pk")
    pkgtools.edit_descriptor(pkg, lambda d: d.update(standard="1.4", publisher={"commissioning": None, "place": "none"}))
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    res = build([tmp_path / "pk"], tmp_path / "site", cache_dir=tmp_path / "cache", config_file=config)
    assert res.ok, (res.error, res.problems[:3])
    site = tmp_path / "site"
    for rel in ("providers/xr1/index.html", "measures/fft-inpatient/index.html", "compare/index.html",
                "compare/qxa-inpatient/index.html", "index.html", "providers/index.html"):
        text = readable(site, rel)
        assert not re.search(r"commission(?:er|ed|ing)|postcode", text, re.I), rel  # (Care Quality Commission: data)
    assert "Exampleton, EX1 2AB · North Example Add to compare" in readable(site, "providers/xr1/index.html")
    league = (site / "measures" / "fft-inpatient" / "index.html").read_text(encoding="utf-8")
    assert 'data-filter="commissioner"' not in league and 'data-filter="region"' in league
    compare = (site / "compare" / "index.html").read_text(encoding="utf-8")
    assert "<optgroup" in compare and 'value="near"' not in compare and 'value="QXA"' not in compare
    assert "Area code QXA" in readable(site, "commissioners/qxa/index.html")  # its rows are plain areas
    assert re.search(r"\bAreas\b", readable(site, "index.html"))  # the menu
