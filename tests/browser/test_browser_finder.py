"""The provider finder on /providers/: typing finds providers, a click opens the right page."""
from __future__ import annotations

import re

import pytest

import browser_support as bs
from generator.views import wording

pytestmark = pytest.mark.browser


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.lower()).strip()


def _district(postcode) -> str:
    pc = postcode if isinstance(postcode, str) else ""
    return pc.split(" ")[0] if " " in pc else pc[:-3]


def _matches(results, query: str) -> set[str]:
    """Providers the finder promises: each typed word is part of the name, code, town or postcode district."""
    words = _norm(query).split(" ")
    out = set()
    for p in results.dataset["providers"].itertuples(index=False):
        town = p.town if isinstance(p.town, str) else ""
        key = _norm(" ".join([p.name, p.code, town, _district(p.postcode)]))
        if all(w in key for w in words):
            out.add(p.name)
    return out


def _provider(results):
    code = bs.pick_provider(results)
    return results.dataset["providers"].set_index("code", drop=False).loc[code]


def _shown(page) -> tuple[int, list[str]]:
    found = int(re.match(r"\d+", page.locator("#finder-status").inner_text()).group())
    return found, page.locator("[data-results] li > a:first-child").all_inner_texts()


def _query(prov, by: str) -> str:
    words = prov["name"].split()
    return {"name": f"{words[0][:5]} {words[-1][:4]}".lower(), "code": prov["code"].lower(),
            "district": _district(prov["postcode"]), "town": prov["town"]}[by]


@pytest.mark.parametrize("by", ["name", "code", "district", "town"])
def test_finder_lists_the_provider(visit, results, by):
    prov = _provider(results)
    query = _query(prov, by)
    if by == "district":  # a postcode district lists every provider by distance from it (test_journeys.py)
        page = visit("/providers/").page
        bs.search_finder(page, query)
        found, names = _shown(page)
        assert found == int(results.dataset["providers"]["latitude"].notna().sum()) and prov["name"] in names
        return
    expected = _matches(results, query)
    assert prov["name"] in expected and len(expected) <= 50, f"test data: {query!r} matches {len(expected)}"
    page = visit("/providers/").page
    bs.search_finder(page, query)
    found, names = _shown(page)
    assert found == len(expected)
    assert set(names) == expected


def test_finder_click_opens_provider_page_with_computed_figures(visit, results):
    prov = _provider(results)
    page = visit("/providers/").page
    bs.search_finder(page, _query(prov, "name"))
    page.locator("[data-results]").get_by_role("link", name=prov["name"], exact=True).click()
    page.wait_for_url(f"**/providers/{prov['code'].lower()}/")
    assert page.locator("h1").inner_text() == prov["name"]

    rows = bs.latest_rows(results)
    rows = rows[rows["provider"] == prov["code"]]
    expected = {r.measure: wording.value(r.estimate, r.kind) for r in rows.itertuples(index=False)}
    shown = page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('td.result[data-measure]'))
        .map(p => [p.dataset.measure, p.querySelector('[data-value]').textContent.trim()]))""")
    assert sum(bs.finite(r.estimate) for r in rows.itertuples()) >= 1
    assert shown == expected
