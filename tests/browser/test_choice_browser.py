"""Compare providers (/compare/): choose a service, an area and providers; the comparison shows
the computed figures, survives a reload from its address, prints on one A4 page, passes axe-core,
and the ready-made pages give the same figures without JavaScript.

Fixtures (site, results, site_url, chromium, visit) come from tests/browser/conftest.py.
Set SCREENSHOT_DIR to keep the printed PDF and screenshots for a person to look at.
"""
from __future__ import annotations

import os
import re
import urllib.parse
from pathlib import Path

import pytest

import browser_support as bs
from generator.compute import trends
from generator.views import choice, wording
from generator.settings import DEFAULT

pytestmark = pytest.mark.browser


def _wait(page):
    page.wait_for_function("() => document.querySelector('[data-choice]').dataset.loaded === '1'")


def _expected(results, code: str, measure: str) -> dict | None:
    """What the comparison must show for one provider and measure, from the computed Results."""
    rows = bs.latest_rows(results)
    row = rows[(rows["provider"] == code) & (rows["measure"] == measure)]
    if row.empty:
        return None
    x = row.iloc[0]
    peer = results.dataset["providers"].set_index("code").at[code, "type"]
    out = {"words": choice.band_words(x["band"], peer, DEFAULT)}
    if not x["suppressed"]:
        meas = results.dataset["measures"].set_index("id").loc[measure]
        out.update(value=wording.value(x["estimate"], x["kind"]),
                   range="likely " + wording.interval(x["lower95"], x["upper95"], x["kind"]),
                   responses=f"{int(x['responses']):,} {choice.responses_label(meas)}")
    if choice.monthly(results.latest[measure]):
        tr = results.trends[(results.trends["provider"] == code) & (results.trends["measure"] == measure)]
        out["trend"] = choice.TRENDS[trends.verdict(tr)]
    return out


def _shown(page, code: str, measure: str) -> dict:
    return page.evaluate("""([c, m]) => {
      const td = document.querySelector(`td[data-provider="${c}"][data-measure="${m}"]`);
      const t = s => { const e = td.querySelector(s); return e ? e.textContent.trim() : undefined; };
      const band = td.querySelector('.choice-band');
      return {none: t('.choice-none'), value: t('[data-value]'), range: t('[data-range]'),
              words: band ? band.lastChild.textContent.trim() : undefined,
              trend: t('[data-trend]'), responses: t('[data-responses]')};
    }""", [code, measure])


def _setting_measures(results, setting: str) -> list[str]:
    from generator.compute.release import release_info
    from generator.settings import DEFAULT
    from generator.data import reference
    from generator.views.context import build_context
    ctx = build_context(results, {}, release_info(results, DEFAULT), reference.read())
    return next(s["measures"] for s in choice.choice_index(ctx, choice.model(ctx))[0]["settings"] if s["id"] == setting)


def _trusts(results, commissioner: str, n: int) -> list[str]:
    """n NHS trusts of a commissioner with a latest inpatient result, by code."""
    rows = bs.latest_rows(results)
    have = set(rows[rows["measure"] == "fft-inpatient"]["provider"])
    p = results.dataset["providers"]
    codes = sorted(c for c in p[(p["commissioner"] == commissioner) & (p["type"] == "nhs-trust")]["code"] if c in have)
    assert len(codes) >= n
    return codes[:n]


def _check_comparison(page, results, codes: list[str], measures: list[str]):
    heads = page.locator("table[data-comparison] thead th[data-provider]")
    assert [heads.nth(i).get_attribute("data-provider") for i in range(heads.count())] == codes
    rows = page.locator("table[data-comparison] tbody tr")
    assert [rows.nth(i).get_attribute("data-measure") for i in range(rows.count())] == measures
    checked = 0
    for code in codes:
        for m in measures:
            want, got = _expected(results, code, m), _shown(page, code, m)
            if want is None:
                assert got["none"] == choice.NO_RESULT, (code, m)
                continue
            assert {k: got[k] for k in want} == want, (code, m)
            assert (got["value"] is None) == ("value" not in want), (code, m)
            checked += 1
    return checked


def test_choose_three_providers_then_reload(visit, results):
    codes = _trusts(results, "QX1", 3)
    measures = _setting_measures(results, "inpatient")
    v = visit("/compare/")
    page = v.page
    _wait(page)
    page.select_option("#choice-setting", "inpatient")
    page.select_option("#choice-area", "QX1")
    for code in codes:
        page.check(f"#choice-p-{code}")
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert q == {"setting": ["inpatient"], "area": ["QX1"], "p": [",".join(codes)]}
    assert _check_comparison(page, results, codes, measures) >= 3 * (len(measures) - 1)
    before = page.locator("[data-sheet]").inner_text()
    page.reload(wait_until="networkidle")
    _wait(page)
    assert page.locator("[data-sheet]").inner_text() == before
    assert page.eval_on_selector_all("[data-candidates] input:checked", "es => es.map(e => e.value)") == codes
    assert page.input_value("#choice-setting") == "inpatient" and page.input_value("#choice-area") == "QX1"
    assert v.errors == [] and v.offsite == []


def test_the_sheet_names_the_area_of_the_providers_on_it(visit, results):
    codes = _trusts(results, "QX1", 2)
    names = results.dataset["commissioners"].set_index("code")["name"]
    other = sorted(c for c in names.index if c != "QX1")[0]
    page = visit("/compare/?setting=inpatient&area=QX1&p=" + ",".join(codes)).page
    _wait(page)
    assert not page.locator("[data-near]").is_visible()
    meta = page.locator("[data-sheet] .choice-meta")
    assert meta.inner_text().startswith(f"Area: {names['QX1']} · ")
    page.select_option("#choice-area", other)
    assert meta.inner_text().startswith(f"Commissioned by: {names['QX1']} · ")
    page.select_option("#choice-area", "near")
    assert page.locator("#choice-postcode").is_visible()


def test_at_most_four_providers(visit, results):
    codes = _trusts(results, "QX1", 4)
    page = visit("/compare/?setting=inpatient&area=QX1&p=" + ",".join(codes)).page
    _wait(page)
    boxes = page.locator("[data-candidates] input")
    states = [(boxes.nth(i).get_attribute("value"), boxes.nth(i).is_checked(), boxes.nth(i).is_disabled())
              for i in range(boxes.count())]
    assert sorted(c for c, on, _ in states if on) == sorted(codes)  # each stays where it is in the list
    assert all(off for c, on, off in states if not on) and len(states) > 4
    assert "untick one" in page.locator("[data-status]").inner_text()


@pytest.mark.parametrize("area,codes", [("QX1", None), ("QX3", ["X4D", "X6A", "XP3", "X6C"])])  # the second: issue 18
def test_four_provider_comparison_prints_on_one_a4_page(visit, results, tmp_path, area, codes):
    codes = codes or _trusts(results, area, 4)
    measures = _setting_measures(results, "inpatient")
    page = visit(f"/compare/?setting=inpatient&area={area}&p=" + ",".join(codes)).page
    _wait(page)
    shown = sum(_expected(results, c, m) is not None for c in codes for m in measures)  # XP3 has no survey
    assert _check_comparison(page, results, codes, measures) == shown >= 3 * len(measures)
    page.emulate_media(media="print")
    shown = page.evaluate("""() => Object.fromEntries(['.choice-form', '.choice-actions', '.md-header', '.choice-ready',
        '[data-sheet]', '.choice-keytable', '[data-footer]'].map(s => [s, getComputedStyle(document.querySelector(s)).display]))""")
    assert {k: v == "none" for k, v in shown.items()} == {
        ".choice-form": True, ".choice-actions": True, ".md-header": True, ".choice-ready": True,
        "[data-sheet]": False, ".choice-keytable": False, "[data-footer]": False}
    footer = page.locator("[data-footer]").inner_text()
    assert "Source: Friends and Family Test" in footer and "Data up to December 2024" in footer
    assert f"This comparison: {page.url}" in footer and page.url.startswith("http://127.0.0.1")
    smallest = page.evaluate("""() => Math.min(...Array.from(document.querySelectorAll('.md-content *')).filter(e =>
        e.offsetParent !== null && getComputedStyle(e).display !== 'none' && Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()))
        .map(e => parseFloat(getComputedStyle(e).fontSize)))""")
    assert smallest >= 12  # 9 pt
    pdf = page.pdf(format="A4", print_background=False)
    out = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"compare-4-providers-{area.lower()}.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1


@pytest.mark.parametrize("width", bs.WIDTHS)
def test_compare_page_accessibility_and_phone_layout(visit, results, width):
    codes = _trusts(results, "QX1", 3) + ["XP1"]
    page = visit("/compare/?setting=inpatient&area=QX1&p=" + ",".join(codes), width).page
    _wait(page)
    assert page.locator("table[data-comparison] tbody td").count() == 4 * len(_setting_measures(results, "inpatient"))
    found = bs.axe_violations(page)
    assert found == [], "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][:5]}" for v in found)
    o = bs.overflow(page)
    assert o["scroll_width"] <= width + bs.OVERFLOW_MARGIN, o["wide"]


def test_near_a_postcode_sorts_by_distance_and_keeps_only_the_district(visit, results):
    p = results.dataset["providers"]
    gp = p[(p["type"] == "gp-practice") & p["closed"].isna()].sort_values("code").iloc[0]
    district = gp["postcode"].split(" ")[0]
    page = visit("/compare/?setting=gp").page
    _wait(page)
    page.select_option("#choice-area", "near")
    page.fill("#choice-postcode", district + " 9ZZ")
    first = page.locator("[data-candidates] li small").first.inner_text()
    assert f" {district} · about" in first
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)["area"] == [f"near:{district}"]


def test_ready_made_page_without_javascript(chromium, site_url, results):
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(site_url + "/compare/", wait_until="load")
        assert page.locator("[data-choice]").is_hidden()
        page.locator(".choice-ready a", has_text="Hospital stay").first.click()
        assert urllib.parse.urlsplit(page.url).path.startswith("/compare/q")
        code = urllib.parse.urlsplit(page.url).path.split("/")[2].split("-")[0].upper()
        rows = page.locator("section#fft-inpatient tbody tr")
        assert rows.count() >= 3
        for i in range(rows.count()):
            prov = rows.nth(i).get_attribute("data-provider")
            assert results.dataset["providers"].set_index("code").at[prov, "commissioner"] == code
            want = _expected(results, prov, "fft-inpatient")
            text = re.sub(r"\s+", " ", rows.nth(i).inner_text())
            for key in ("value", "range", "words", "trend", "responses"):
                if key in want:
                    assert want[key] in text, (prov, key, text)
    finally:
        context.close()
