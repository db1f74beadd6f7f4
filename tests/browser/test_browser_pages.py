"""Home, finder, a league table and a provider page at 1280 and 360 px wide:
accessibility (axe-core), no horizontal overflow on a phone, no console errors, working links."""
from __future__ import annotations

import urllib.error
import urllib.request

import pytest

import browser_support as bs

pytestmark = pytest.mark.browser

NAMES = ["home", "finder", "league", "provider"]


@pytest.mark.parametrize("width", bs.WIDTHS)
@pytest.mark.parametrize("name", NAMES)
def test_no_serious_accessibility_violations(page_report, name, width):
    found = page_report(name, width)["axe"]
    assert found == [], "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][:5]}" for v in found)


@pytest.mark.parametrize("name", NAMES)
def test_no_horizontal_overflow_on_a_phone(page_report, name):
    o = page_report(name, 360)["overflow"]
    assert o["viewport"] == 360
    assert o["scroll_width"] <= 360 + bs.OVERFLOW_MARGIN, f"page is {o['scroll_width']} px wide: {o['wide']}"


@pytest.mark.parametrize("width", bs.WIDTHS)
@pytest.mark.parametrize("name", NAMES)
def test_no_console_errors_or_offsite_requests(page_report, name, width):
    r = page_report(name, width)
    assert r["errors"] == []
    assert r["offsite"] == []


@pytest.mark.parametrize("name", NAMES)
def test_links_resolve(page_report, name):
    found = sorted(set(page_report(name, 1280)["links"]))
    assert len(found) >= 5
    broken = []
    for url in found:
        try:
            with urllib.request.urlopen(url, timeout=10) as resp:
                ok = resp.status == 200
        except urllib.error.HTTPError:
            ok = False
        if not ok:
            broken.append(url)
    assert broken == [], broken


def test_a_commissioners_provider_tables_fit_a_phone(visit, results):
    """A commissioner's tables of providers (name, town, results better and worse than expected) show all four
    columns on a 360 px phone, without scrolling sideways: the worse-than-expected count, what a commissioner
    looks for, was past the screen's edge (Material gives every header cell a minimum width)."""
    code = results.dataset["providers"]["commissioner"].value_counts().index[0]
    page = visit(f"/commissioners/{code.lower()}/", 360).page
    tables = page.evaluate("""() => [...document.querySelectorAll('article table')]
        .filter(t => t.querySelectorAll('thead th').length === 4 && t.querySelector('caption'))
        .map(t => { const w = t.closest('.md-typeset__scrollwrap') || t.parentElement;
                    return [t.getBoundingClientRect().right, w.scrollWidth - w.clientWidth]; })""")
    assert tables, "no table of providers on the page"
    assert all(right <= 360 and hidden <= 1 for right, hidden in tables), tables
