"""The publisher's own ratings and a peer group on a hospital's page and on a league table at phone width
(standard 1.4): shown as text, labelled as the publisher's, no horizontal overflow, no serious accessibility
problem. A site built from the minimal package (helpers from tests/test_ratings_peers.py). Set SCREENSHOT_DIR
to keep the 360 px screenshots."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import browser_support as bs
from test_ratings_peers import CAH, HOSTILE, SCORES, _providers, _ratings

pytestmark = pytest.mark.browser


@pytest.fixture
def rated_site(minimal_package, pkgtools, tmp_path):
    from generator.build import build
    _providers(pkgtools, minimal_package, {"XR3": CAH, "XR4": CAH, "XR5": CAH}, SCORES)
    _ratings(pkgtools, minimal_package, [
        ["XR3", "cms-overall-stars", "", "", "CMS overall hospital star rating", "4", "5", "", "fft-monthly"],
        ["XR3", "cms-patient-experience", "", "", "CMS patient experience compared with the national average",
         "Above the national average", "", "", "fft-monthly"],
        ["XR3", "stars", "fft-inpatient", "2024-01", "CMS HCAHPS star rating", "2", "5", HOSTILE, "fft-monthly"],
    ])
    res = build([minimal_package], tmp_path / "site", cache_dir=None)
    assert res.ok, (res.error, res.problems[:5])
    return tmp_path / "site"


def test_ratings_on_the_hospital_page_and_the_league_table_at_360_px(rated_site, chromium, tmp_path):
    shots = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    with bs.serve(rated_site) as base:
        v = bs.Visit(chromium, base, 360)
        try:
            page = v.page
            v.open("/providers/xr3/")
            items = page.locator("ul.publisher-ratings li").all_inner_texts()
            assert items == ["CMS overall hospital star rating: 4 out of 5",
                             "CMS patient experience compared with the national average: Above the national average"]
            beside = page.locator("td[data-measure='fft-inpatient'] ~ td .publisher-rating").inner_text()
            assert beside == ("CMS HCAHPS star rating (2024-01), the publisher’s own: 2 out of 5 (note from the "
                              "publisher: " + HOSTILE + ")")
            assert "compared only with other critical access hospitals" in page.locator(".results-key").inner_text()
            assert page.locator("script:not([src])").evaluate_all("s => s.filter(x => x.textContent.includes('alert(1)')).length") == 0
            o = bs.overflow(page)
            assert o["scroll_width"] <= 360 + bs.OVERFLOW_MARGIN, o["wide"]
            found = bs.axe_violations(page)
            assert found == [], [(f["id"], f["nodes"][:3]) for f in found]
            bs.screenshot(page, shots / "provider-ratings-360.png")
            v.open("/measures/fft-inpatient/")
            cell = page.locator("tr[data-code='XR3'] td.publisher-rating").first
            label = cell.evaluate("td => getComputedStyle(td, '::before').content")
            assert (cell.inner_text(), label) == ("2 out of 5", '"CMS HCAHPS star rating"')  # labelled on a phone
            assert page.locator("h2#critical-access-hospitals").count() == 1
            o = bs.overflow(page)
            assert o["scroll_width"] <= 360 + bs.OVERFLOW_MARGIN, o["wide"]
            found = bs.axe_violations(page)
            assert found == [], [(f["id"], f["nodes"][:3]) for f in found]
            bs.screenshot(page, shots / "league-ratings-360.png")
            assert v.errors == [] and v.offsite == []
        finally:
            v.close()
