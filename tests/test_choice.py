"""Patient choice at referral (generator/views/choice.py): the compare page's JSON index and the
pre-rendered pages per commissioner and service publish exactly the computed figures, and
nothing that disclosure control hides.

Oracles: raw rows of the example data packages (numerator/responses, mean/se) with the
Wilson and normal intervals of methods.md §1; the planted signals in tests/example_truth.json.
"""
from __future__ import annotations

import csv
import html
import json
import math
import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from generator import paths
from generator.compute import trends
from generator.data import periods, scales
from generator.site import render
from generator.views import choice, choice_static, comparators, wording
from generator.compute.release import release_info
from generator.settings import DEFAULT
from generator.data import reference
from generator.views.context import build_context

ROOT = Path(__file__).resolve().parents[1]
DATAPACKAGES = ROOT / "datapackages"
TRUTH = json.loads((Path(__file__).parent / "example_truth.json").read_text(encoding="utf-8"))
Z95 = 1.959964


@pytest.fixture(scope="module")
def site(example_results):
    results = example_results
    return build_context(results, {}, release_info(results, DEFAULT), reference.read())


def _files(site) -> dict:
    return choice.choice_files(site, choice.model(site), comparators.comparators(site))


def _views(site):
    return choice_static.choice_views(site, choice.model(site), comparators.comparators(site))


def read_index(files: dict) -> dict:
    """The index as choice.js sees it once a provider's figures are loaded: providers as objects
    with their commissioner's region, type label and figures (file "m")."""
    data = json.loads(files[choice.INDEX_FILE])
    regions = {c["c"]: c["r"] for c in data["commissioners"]}
    providers = []
    for row in data["providers"]:
        p = dict(zip(data["fields"], row))
        cells = json.loads(files[choice.cells_file(p["i"])])
        p.update(r=regions[p["i"]], tl=data["types"][p["t"]], m=cells[p["c"]])
        providers.append(p)
    return {**data, "providers": providers}


@pytest.fixture(scope="module")
def index(site):
    return read_index(_files(site))


def test_the_first_load_holds_no_figures(site):
    files = _files(site)
    data = json.loads(files[choice.INDEX_FILE])
    assert '"v":' not in files[choice.INDEX_FILE] and data["fields"][0] == "c"
    per_commissioner = [k for k in files if k.startswith(choice.CELLS_DIR + "/")]
    assert len(per_commissioner) == len({row[3] for row in data["providers"]}) > 1


@pytest.fixture(scope="module")
def views(site):
    return _views(site)


def _latest(site):
    return periods.latest_rows(site.results.scores, site.results.latest)


def _raw(package: str, provider: str, measure: str, period: str) -> dict:
    """The 'all' row of one provider, measure and period, as written in the example package."""
    for path in sorted((DATAPACKAGES / package).rglob("*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if (row["provider"], row["measure"], row["period"], row["group"]) == (provider, measure, period, "all"):
                    return row
    raise AssertionError(f"no row {provider} {measure} {period}")


def _wilson(x: int, n: int, z: float = Z95) -> tuple[float, float]:
    centre, half = 2 * x + z * z, z * math.sqrt(z * z + 4 * x * (1 - x / n))
    return (centre - half) / (2 * (n + z * z)), (centre + half) / (2 * (n + z * z))


def _cells(index) -> dict[tuple[str, str], dict]:
    return {(p["c"], m): c for p in index["providers"] for m, c in p["m"].items()}


# --- the JSON index --------------------------------------------------------------------

def test_a_proportion_cell_matches_the_raw_data(index):
    row = _raw("example-fft", "X1A", "fft-inpatient", "2024-12")
    x, n = int(row["numerator"]), int(row["responses"])
    lo, hi = _wilson(x, n)
    cell = _cells(index)[("X1A", "fft-inpatient")]
    assert cell["v"] == f"{100 * x / n:.1f}%"
    assert cell["r"] == f"{100 * lo:.1f}% to {100 * hi:.1f}%"
    assert cell["n"] == n


def test_a_mean_score_cell_matches_the_raw_data(index):
    row = _raw("example-survey", "X1A", "survey-inpatient-doctors", "2024")
    mean, se = float(row["mean"]), float(row["se"])
    cell = _cells(index)[("X1A", "survey-inpatient-doctors")]
    assert cell["v"] == f"{mean:.2f}"
    assert cell["r"] == f"{mean - Z95 * se:.2f} to {mean + Z95 * se:.2f}"
    assert cell["n"] == int(row["responses"])


def test_every_cell_equals_the_computed_results(site, index):
    cells = _cells(index)
    verdicts = {k: trends.verdict(g) for k, g in site.results.trends.groupby(["provider", "measure"])}
    expected = {}
    for x in _latest(site).itertuples(index=False):
        if x.provider not in {p["c"] for p in index["providers"]}:
            continue
        want = {"b": "suppressed"} if x.suppressed else {
            "v": wording.value(x.estimate, x.kind), "r": wording.interval(x.lower95, x.upper95, x.kind),
            "b": x.band, "n": int(x.responses)}
        if verdicts.get((x.provider, x.measure), "none") != "none":
            want["t"] = verdicts[(x.provider, x.measure)]
        expected[(x.provider, x.measure)] = want
    assert len(expected) > 400
    assert cells == expected


def test_nothing_hidden_by_disclosure_control_is_in_the_index(site, index):
    cells = _cells(index)
    hidden = _latest(site)[lambda d: d["suppressed"]]
    assert len(hidden) > 0, "the example data should have suppressed latest results"
    for x in hidden.itertuples(index=False):
        assert set(cells[(x.provider, x.measure)]) <= {"b", "t"}
    counts = [c["n"] for c in cells.values() if "n" in c]
    assert min(counts) >= DEFAULT.suppress_below
    assert all(("v" in c) == ("n" in c) == ("r" in c) for c in cells.values())


def test_settings_are_services_with_organisation_wide_measures(index):
    settings = {s["id"]: s for s in index["settings"]}
    assert list(settings) == ["inpatient", "maternity", "ae", "gp"]
    assert settings["inpatient"]["measures"] == [
        "fft-inpatient", "survey-inpatient-doctors", "survey-inpatient-nurses", "survey-inpatient-overall",
        "survey-inpatient-discharge", "survey-inpatient-respect", "complaints-trust", "staff-recommend-care"]
    assert settings["gp"]["measures"] == ["fft-gp", "complaints-gp"]
    assert settings["inpatient"]["types"] == ["independent", "nhs-trust"]
    assert settings["gp"]["types"] == ["gp-practice"]
    by_type = {}
    for p in index["providers"]:
        for s in p["s"]:
            by_type.setdefault(s, set()).add(p["t"])
    assert by_type == {"inpatient": {"independent", "nhs-trust"}, "maternity": {"nhs-trust"},
                       "ae": {"nhs-trust"}, "gp": {"gp-practice"}}


def test_closed_providers_are_not_offered(index):
    codes = {p["c"] for p in index["providers"]}
    assert codes.isdisjoint(TRUTH["closed_providers"])
    assert len(codes) == 183 - len(TRUTH["closed_providers"])


def test_planted_trends_get_their_words(index):
    cells = _cells(index)
    fail = cells[(TRUTH["failing_provider"], TRUTH["failing_measure"])]
    good = cells[(TRUTH["improving_provider"], TRUTH["improving_measure"])]
    assert fail["t"] == "special_cause_concern"
    assert good["t"] == "special_cause_improvement"
    assert index["words"]["trends"][fail["t"]] == "Getting worse recently"


def test_band_words_are_plain_english(index):
    words = index["words"]["bands"]
    assert words["nhs-trust"]["about-same"] == "About the same as other NHS trusts"
    assert words["gp-practice"]["about-same"] == "About the same as other GP practices"
    assert words["nhs-trust"]["much-worse"] == "Much worse than expected"
    assert not any(re.search(r"\bz\b|sigma|standard deviation|p-value", w, re.I)
                   for peer in words.values() for w in peer.values())


# --- pre-rendered pages ----------------------------------------------------------------

def _render(template: str, page: str, site, **values) -> str:
    env = render.environment(html=template.endswith(".html.j2"))
    return env.get_template(template).render(page=page, ctx=site, **values)


def test_one_static_page_per_commissioner_and_service(site, index, views):
    expected = set()
    for p in index["providers"]:
        for s in p["s"]:
            expected.add(f"compare/{p['i'].lower()}-{s}.md")
    assert {v.page for v in views.static} == expected
    assert len(expected) == 16


def _rows(text: str) -> dict[str, str]:
    """Provider code -> the unescaped text of its row, per measure section."""
    out = {}
    for sec in re.findall(r'<section class="choice-measure" id="([^"]+)">(.*?)</section>', text, re.S):
        for code, row in re.findall(r'<tr data-provider="([^"]+)">(.*?)</tr>', sec[1], re.S):
            out[(html.unescape(code), html.unescape(sec[0]))] = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", row)))
    return out


def test_static_page_shows_every_providers_figures(site, index, views):
    view = next(v for v in views.static if v.page == "compare/qx1-inpatient.md")
    rows = _rows(_render("choice_static.html.j2", view.page, site, v=views, s=view))
    cells = _cells(index)
    offered = sorted(p["c"] for p in index["providers"] if p["i"] == "QX1" and "inpatient" in p["s"])
    measures = next(s["measures"] for s in index["settings"] if s["id"] == "inpatient")
    assert sorted({c for c, _ in rows}) == offered
    assert len(rows) == len(offered) * len(measures)
    for (code, mid), text in rows.items():
        cell = cells.get((code, mid))
        peer = site.providers.at[code, "type"]
        if cell is None:
            assert choice.NO_RESULT in text
            continue
        assert choice.band_words(cell["b"], peer, site.settings) in text
        if "v" in cell:
            unit = comparators.unit(site.measure(mid).kind, scales.bounds(site.dataset["scales"]).get(mid, (0, None))[1])
            assert f"{cell['v']} {unit + ' ' if unit else ''}likely {cell['r']}" in text
            assert f"{cell['n']:,} " in text
        else:
            assert "fewer than 10 answered" in text


def test_compare_page_offers_every_service_area_and_ready_made_page(site, views):
    text = html.unescape(_render("choice.md.j2", choice.PAGE, site, v=views))
    for s in views.settings:
        assert f'<option value="{s.id}">{s.label}</option>' in text
    for c in views.commissioners:
        assert f'<option value="{c.code}">{c.name}</option>' in text
    for r in views.regions:
        assert f'<option value="region:{r}">{r}</option>' in text
    for v in views.static:
        assert f'href="{v.page[len("compare/"):-3]}/"' in text
    assert 'data-index="../assets/choice.json"' in text


def test_data_text_is_escaped_everywhere(site):
    evil = replace(site, providers=site.providers.copy(), commissioners=site.commissioners.copy())
    name, region = '<script>alert("x")</script> & co', '"><img src=x onerror=alert(1)>'
    evil.providers.loc["X1A", "name"] = name
    evil.providers.loc["X1A", "region"] = region
    evil.commissioners.loc["QX1", "region"] = region
    views = _views(evil)
    page = next(v for v in views.static if v.page == "compare/qx1-inpatient.md")
    for text in (_render("choice_static.html.j2", page.page, evil, v=views, s=page),
                 _render("choice.md.j2", choice.PAGE, evil, v=views)):
        assert "<script>alert" not in text and "<img" not in text  # as text, "src=x" may stay: it is no attribute
        assert name in html.unescape(text) or region in html.unescape(text)
    data = read_index(_files(evil))
    x1a = next(p for p in data["providers"] if p["c"] == "X1A")
    assert (x1a["n"], x1a["r"]) == (name, region)


# --- wiring into the build (the browser tests visit the built pages) ----------------------

def test_mkdocs_config_lists_the_page_style_and_script():
    cfg = yaml.safe_load(paths.DEFAULT_CONFIG.read_text(encoding="utf-8"))
    nav = json.dumps(cfg["nav"])
    assert '"Compare providers": "compare/index.md"' in nav
    assert "assets/print.css" in cfg["extra_css"]
    assert "assets/choice.js" in cfg["extra_javascript"]
    assert "/compare/*.md" in cfg["not_in_nav"].split()
