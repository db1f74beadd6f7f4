"""The compare page shows the publisher's caution and why a result is not compared (finding 1):
on screen, on the printed sheet, at phone width, and with their words as text, never markup.

A site built from the minimal package with a hostile caution and a minimum sample XR1 misses
(helpers from tests/test_notes.py). Set SCREENSHOT_DIR to keep the 360 px screenshot.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import browser_support as bs
from test_notes import HOSTILE, _min_sample, _with_notes

pytestmark = pytest.mark.browser

REASON = "Not compared: the publisher does not compare results from fewer than 500 completed surveys."


@pytest.fixture
def noted_site(minimal_package, pkgtools, tmp_path):
    from generator.build import build
    _with_notes(pkgtools, minimal_package, [["XR1", "fft-inpatient", "", "6", HOSTILE, "true"],
                                            ["XR1", "survey-overall", "", "11", "Discrepancies in data collection.", "false"]])
    _min_sample(pkgtools, minimal_package, {"fft-inpatient": "500"})  # XR1 has 412 responses
    res = build([minimal_package], tmp_path / "site", cache_dir=None)
    assert res.ok, (res.error, res.problems[:5])
    return tmp_path / "site"


def _cell(page, measure: str) -> dict:
    return page.evaluate("""m => {
      const td = document.querySelector(`table[data-comparison] td[data-provider="XR1"][data-measure="${m}"]`);
      const t = s => { const e = td.querySelector(s); return e && e.offsetParent !== null ? e.textContent : null; };
      const note = td.querySelector('.publisher-note');
      return {reason: t('[data-reason]'), note: t('.publisher-note'), caution: note && note.dataset.caution,
              lead: note && note.querySelector('b').textContent, tags: td.querySelectorAll('script, img').length};
    }""", measure)


def test_the_comparison_shows_the_caution_and_the_reason_on_screen_and_in_print(noted_site, chromium, tmp_path):
    dialogs: list[str] = []
    with bs.serve(noted_site) as base:
        v = bs.Visit(chromium, base, 360)
        try:
            page = v.page
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            v.open("/compare/?setting=inpatient&area=QXA&p=XR1")
            page.wait_for_function("() => document.querySelector('[data-choice]').dataset.loaded === '1'")
            page.wait_for_selector("table[data-comparison] td[data-provider='XR1'][data-measure='fft-inpatient']")
            for media in ("screen", "print"):
                page.emulate_media(media=media)
                fft, survey = _cell(page, "fft-inpatient"), _cell(page, "survey-overall")
                assert fft == {"reason": REASON, "note": "Use with caution: " + HOSTILE, "caution": "yes",
                               "lead": "Use with caution:", "tags": 0}, media
                assert (survey["reason"], survey["note"], survey["caution"]) == \
                    (None, "Note from the publisher: Discrepancies in data collection.", "no"), media
                assert _cell(page, "complaints")["note"] is None
                assert page.locator("[data-sheet]").is_visible()
            page.emulate_media(media="screen")
            o = bs.overflow(page)
            assert o["scroll_width"] <= 360 + bs.OVERFLOW_MARGIN, o["wide"]
            found = bs.axe_violations(page)
            assert found == [], [(f["id"], f["nodes"][:3]) for f in found]
            bs.screenshot(page, Path(os.environ.get("SCREENSHOT_DIR") or tmp_path) / "compare-caution-360.png")
            assert v.errors == [] and v.offsite == [] and dialogs == []
        finally:
            v.close()
