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
