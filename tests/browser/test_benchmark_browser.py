"""League and provider pages name a published benchmark at phone width, as text (standard 1.4, issue 19):
a site built from the minimal package with a benchmark for fft-inpatient 2024-01 (helpers from
tests/test_benchmarks.py). Set SCREENSHOT_DIR to keep the 360 px screenshots."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import browser_support as bs
from test_benchmarks import _published, _with_benchmarks

pytestmark = pytest.mark.browser
LABEL = "England <b>average</b>"


@pytest.fixture
def benchmark_site(minimal_package, pkgtools, tmp_path):
    from generator.build import build
    _with_benchmarks(pkgtools, minimal_package, [["fft-inpatient", "2024-01", "80", LABEL, "NHS England"]])
    _published(pkgtools, minimal_package, {("XR1", "all"): "94"})
    res = build([minimal_package], tmp_path / "site", cache_dir=None)
    assert res.ok, (res.error, res.problems[:5])
    return tmp_path / "site"


def test_league_and_provider_pages_name_the_benchmark_at_360px(benchmark_site, chromium, tmp_path):
    shots = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    with bs.serve(benchmark_site) as base:
        for path, name in (("/measures/fft-inpatient/", "league"), ("/providers/xr1/", "provider")):
            v = bs.Visit(chromium, base, 360)
            try:
                page = v.open(path)
                text = page.evaluate("() => document.querySelector('article').innerText")
                assert page.evaluate("() => document.querySelectorAll('article b').length") == \
                    page.evaluate("() => Array.from(document.querySelectorAll('article b')).filter("
                                  "b => !b.textContent.includes('average')).length")  # the label is text, not markup
                if name == "league":
                    assert f"Each result is compared with the {LABEL}, 80% (NHS England)" in text
                    assert f"About the same as the {LABEL}" in text and "94.0%" in text
                else:
                    assert f"{LABEL}: 80% (results are judged against it)" in text
                o = bs.overflow(page)
                assert o["scroll_width"] <= 360 + bs.OVERFLOW_MARGIN, o["wide"]
                found = bs.axe_violations(page)
                assert found == [], [(f["id"], f["nodes"][:3]) for f in found]
                bs.screenshot(page, shots / f"benchmark-{name}-360.png")
                assert v.errors == [] and v.offsite == []
            finally:
                v.close()
