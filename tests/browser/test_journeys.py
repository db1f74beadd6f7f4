"""Issue 18: what a patient on a 360 px phone and a GP in an appointment must be able to do, one test
(or a few) per finding, each checked against figures computed from the example data.

1 postcode search · 2 exact district · 3 header search finds providers · 4 finder ?q= and the header
search · 5 print (tests/browser/test_choice_browser.py) · 6 keyboard focus · 7 units · 8 tick feedback ·
9 comparators, add to compare, copy link · 10 charts at 360 px · 11 every period, case-study links ·
12 commissioner red flags · 13 counts explained. Axe on every page type: test_every_page_type_axe.
"""
from __future__ import annotations

import math
import re
import urllib.request

import pytest

import browser_support as bs
from generator.data.periods import latest_rows
from generator.views import wording

pytestmark = pytest.mark.browser


def _providers(results):
    return results.dataset["providers"].set_index("code", drop=False)


def _centre(results, district: str) -> tuple[float, float]:
    d = results.dataset["postcode-districts"].set_index("district")  # published to 3 places (about 100 m)
    return round(float(d.at[district, "latitude"]), 3), round(float(d.at[district, "longitude"]), 3)


def _km(a, b) -> float:
    r = math.pi / 180
    dlat, dlon = (b[0] - a[0]) * r, (b[1] - a[1]) * r
    h = math.sin(dlat / 2) ** 2 + math.cos(a[0] * r) * math.cos(b[0] * r) * math.sin(dlon / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def _nearest(results, district: str, n: int = 50) -> list[str]:
    c = _centre(results, district)
    rows = [(round(_km(c, (round(float(p.latitude), 3), round(float(p.longitude), 3))), 9), p.name, p.code)
            for p in results.dataset["providers"].itertuples(index=False)]
    return [code for _km_, _n, code in sorted(rows)[:n]]


def _type_finder(page, text: str) -> None:
    page.wait_for_function("() => /^\\d/.test(document.getElementById('finder-status').textContent)")
    page.fill("#finder-q", text)
    page.wait_for_function("() => /found/.test(document.getElementById('finder-status').textContent)")


def _axe(page):
    found = bs.axe_violations(page)
    assert found == [], "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][:5]}" for v in found)


# 1 and 2 ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("width", bs.WIDTHS)
def test_full_postcode_lists_providers_by_distance_with_the_distance(visit, results, width):
    prov = _providers(results).loc[bs.pick_provider(results)]
    district = prov["postcode"].split(" ")[0]
    page = visit("/providers/", width).page
    _type_finder(page, prov["postcode"])
    codes = page.evaluate("() => Array.from(document.querySelectorAll('[data-results] li')).map(li => li.dataset.code)")
    km = page.evaluate("() => Array.from(document.querySelectorAll('[data-results] .finder-distance')).map(s => +s.dataset.km)")
    assert codes == _nearest(results, district)
    assert prov["code"] in codes
    c = _centre(results, district)
    p = _providers(results)
    assert km == pytest.approx([_km(c, (round(float(p.at[x, "latitude"]), 3), round(float(p.at[x, "longitude"]), 3)))
                                for x in codes], abs=1e-3)
    first = page.locator("[data-results] .finder-distance").first.inner_text()
    assert re.fullmatch(r"\d+\.\d miles \(\d+\.\d km\)", first)


def test_a_district_matches_exactly_not_longer_districts(visit, results):
    p = results.dataset["providers"]
    d = p["postcode"].str.split(" ").str[0]
    assert {"ZZ1", "ZZ10"} <= set(d), "test data: needs ZZ1 and ZZ10"
    page = visit("/providers/?find=ZZ1", 360).page
    page.wait_for_function("() => /found/.test(document.getElementById('finder-status').textContent)")
    status = page.locator("#finder-status").inner_text()
    assert f"{int((d == 'ZZ1').sum())} have postcodes in ZZ1." in status
    codes = page.evaluate("() => Array.from(document.querySelectorAll('[data-results] li')).map(li => li.dataset.code)")
    assert codes == _nearest(results, "ZZ1")
    km = page.evaluate("() => Array.from(document.querySelectorAll('[data-results] .finder-distance')).map(s => +s.dataset.km)")
    far = [k for k, code in zip(km, codes) if d[p["code"] == code].iat[0] == "ZZ10"]
    assert all(k > max(kk for kk, cc in zip(km, codes) if d[p["code"] == cc].iat[0] == "ZZ1") for k in far)


# 3 and 4 ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("width", bs.WIDTHS)
def test_header_search_finds_providers_by_name_town_and_code_and_links_them(visit, results, width):
    prov = _providers(results).loc[bs.pick_provider(results)]
    page = visit("/", width).page
    page.locator("label.md-header__button[for=__search]" if width < 1220 else ".md-search__input").click()
    for query in (prov["name"], prov["code"], prov["town"]):
        page.fill(".md-search__input", "")
        page.locator(".md-search__input").press_sequentially(query)
        if query == prov["town"]:  # a town lists every provider there
            n = sum(query.lower() in f"{p.name} {p.town}".lower() for p in results.dataset["providers"].itertuples())
            page.wait_for_function("n => (document.querySelector('.provider-hits__title') || {}).textContent"
                                   " && document.querySelector('.provider-hits__title').textContent.startsWith(n + ' provider')", arg=n)
            continue
        link = page.locator("[data-provider-hits] a", has_text=prov["name"])
        link.first.wait_for()
        assert link.first.get_attribute("href").endswith(f"providers/{prov['code'].lower()}/")
    page.fill(".md-search__input", "")
    page.locator(".md-search__input").press_sequentially(prov["code"])
    link = page.locator("[data-provider-hits] a", has_text=prov["name"])
    link.first.wait_for()
    _axe(page)
    link.first.click()
    page.wait_for_url(f"**/providers/{prov['code'].lower()}/")
    assert page.locator("h1").inner_text() == prov["name"]


@pytest.mark.parametrize("width", bs.WIDTHS)
def test_finder_address_q_never_opens_the_header_search(visit, width):
    page = visit("/providers/?q=ZZ1", width).page
    page.wait_for_function("() => /found/.test(document.getElementById('finder-status').textContent)")
    assert page.evaluate("document.querySelector('[data-md-toggle=search]').checked") is False
    assert page.input_value("#finder-q") == "ZZ1"
    assert page.input_value(".md-search__input") == ""
    assert "find=ZZ1" in page.url
    _axe(page)


# 6 ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path,controls", [
    ("/providers/", ["#finder-q", "#finder-type", "#finder-measure", "[data-near-me]"]),
    ("/compare/?setting=inpatient&area=QX1", ["#choice-setting", "#choice-area", "#choice-filter",
                                               "[data-candidates] input[type=checkbox]", "[data-print]"]),
    ("/measures/fft-gp/", ["select[data-filter=region]", "[data-period-select] select", "[data-period-select] button"]),
])
def test_keyboard_focus_is_visible_on_every_control(visit, path, controls):
    page = visit(path).page
    if "compare" in path:
        page.wait_for_function("() => document.querySelector('[data-choice]').dataset.loaded === '1'")
    page.keyboard.press("Tab")  # keyboard use: the browser shows focus rings from now on
    for sel in controls:
        page.locator(sel).first.focus()
        style = page.evaluate("sel => { const s = getComputedStyle(document.activeElement);"
                              " return [document.activeElement.matches(sel), s.outlineStyle, parseFloat(s.outlineWidth)]; }", sel)
        assert style[0] and style[1] != "none" and style[2] >= 2, (sel, style)


# 7 and 9 ------------------------------------------------------------------------------------------
def test_provider_page_units_comparators_and_add_to_compare(visit, results):
    code = bs.pick_provider(results)
    prov = _providers(results).loc[code]
    page = visit(f"/providers/{code.lower()}/", 360).page
    rows = bs.latest_rows(results)
    rows = rows[(rows["provider"] == code) & rows["estimate"].notna()]
    peers = latest_rows(results.peers, results.latest)
    plural = wording.TYPES[prov["type"]][1]
    for r in rows.itertuples(index=False):
        cell = page.locator(f"td.result[data-measure='{r.measure}']")
        text = cell.inner_text()
        top = results.dataset["scales"].set_index("measure")["maximum"].get(r.measure)
        unit = {"proportion": "", "mean": f"out of {top:g}" if top is not None else "",
                "ratio": "(1.00 = as many as expected)"}[r.kind]
        assert f"{wording.value(r.estimate, r.kind)} {unit}".strip() in text.replace("\n", " ")
        target = peers[(peers["measure"] == r.measure) & (peers["peer"] == r.peer)]["target"].iat[0]
        expect = f"All {plural}: {wording.value(target, r.kind)}"
        assert expect in cell.locator("[data-comparator]").first.inner_text()
    assert rows["kind"].eq("mean").any() and "out of 10" in page.locator("td.result").all_inner_texts().__str__()
    if rows["kind"].eq("ratio").any():
        assert "1.00 means as many as expected" in page.locator(".ratio-note").inner_text()
    page.locator("[data-add-compare]").click()
    page.wait_for_function("() => document.querySelector('[data-choice]').dataset.loaded === '1'")
    assert re.search(rf"[?&]p=([A-Z0-9,]*,)?{code}\b", page.url)
    page.wait_for_selector(f"table[data-comparison] th[data-provider='{code}']", state="attached")  # figures load later


def test_compare_units_comparators_copy_link_and_finder_results(visit, results):
    page = visit("/compare/?setting=inpatient&area=QX1&p=X1A,X1B").page
    page.wait_for_function("() => document.querySelector('[data-choice]').dataset.loaded === '1'")
    page.wait_for_selector("table[data-comparison]")
    cell = page.locator("td[data-provider=X1A][data-measure=survey-inpatient-overall]").inner_text()
    assert re.search(r"\d\.\d\d out of 10", cell)
    assert re.search(r"All NHS trusts: \d\.\d\d", cell) and "Same commissioner: " in cell
    comp = page.locator("td[data-provider=X1A][data-measure=complaints-trust]").inner_text()
    assert "(1.00 = as many as expected)" in comp
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("[data-copy]").click()
    page.wait_for_function("() => /copied|copy it/.test(document.querySelector('.choice-copied').textContent)")
    # the finder: the chosen measure's result and band beside each provider
    page.goto(page.url.split("/compare/")[0] + "/providers/")
    _type_finder(page, "X1A")
    page.select_option("#finder-measure", "fft-inpatient")
    page.wait_for_selector("[data-results] [data-figure]")
    row = bs.latest_rows(results)
    x = row[(row["provider"] == "X1A") & (row["measure"] == "fft-inpatient")].iloc[0]
    fig = page.locator("[data-results] li[data-code=X1A] [data-figure]").inner_text()
    assert wording.value(x["estimate"], x["kind"]) in fig and wording.band_phrase(x["band"], x["peer"]) in fig
    page.locator("[data-results] li[data-code=X1A] .add-compare").click()
    page.wait_for_function("() => document.querySelector('[data-choice]').dataset.loaded === '1'")
    assert "X1A" in page.url


# 8 ------------------------------------------------------------------------------------------------
def test_a_tick_on_a_phone_shows_what_changed_where_it_was_ticked(visit):
    page = visit("/compare/?setting=gp&area=QX2", 360).page
    page.wait_for_function("() => document.querySelector('[data-choice]').dataset.loaded === '1'")
    boxes = page.locator("[data-candidates] input[type=checkbox]")
    assert page.evaluate("() => { const l = document.querySelector('[data-candidates]'); return l.scrollHeight <= l.clientHeight + 1; }")
    codes = boxes.evaluate_all("bs => bs.map(b => b.value)")
    for code in (codes[3], codes[5]):
        box = page.locator(f"#choice-p-{code}")
        box.scroll_into_view_if_needed()
        before = box.bounding_box()["y"]
        box.check()
        assert page.locator(f"#choice-p-{code}").bounding_box()["y"] == pytest.approx(before, abs=2)  # stays put
    bar = page.locator("[data-chosen]")
    assert bar.is_visible() and bar.inner_text().startswith("2 chosen")
    box = bar.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 800  # in view where the person ticked
    bar.locator("a").click()
    assert page.locator("#choice-sheet-title").bounding_box()["y"] < 800


# 10 -----------------------------------------------------------------------------------------------
def test_charts_are_legible_at_360(visit, results, site):
    measure = bs.pick_league(results)
    page = visit(f"/measures/{measure}/", 360).page
    imgs = page.locator("picture.league-chart img")
    assert imgs.count() >= 2
    for i in range(imgs.count()):
        img = imgs.nth(i)
        img.scroll_into_view_if_needed()
        page.wait_for_function("e => e.complete && e.naturalWidth > 0", arg=img.element_handle())
        src = img.evaluate("e => e.currentSrc")
        assert src.endswith("-phone.svg")
        rel = src.split("/charts/")[1]
        svg = (site / "charts" / rel).read_text(encoding="utf-8")
        view = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))
        smallest = min(float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg))
        assert smallest * img.evaluate("e => e.getBoundingClientRect().width") / view >= 9
    earlier = results.periods[measure][1]  # no phone drawing: the wide chart keeps its text size and scrolls
    page = visit(f"/measures/{measure}/{earlier}/", 360).page
    img = page.locator(".chart-scroll img").first
    svg = (site / "charts" / img.evaluate("e => e.currentSrc").split("/charts/")[1]).read_text(encoding="utf-8")
    view = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))
    smallest = min(float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg))
    assert smallest * img.evaluate("e => e.getBoundingClientRect().width") / view >= 9
    code = bs.pick_provider(results)
    page = visit(f"/providers/{code.lower()}/", 360).page
    sizes = page.evaluate("""() => Array.from(document.querySelectorAll('svg.trend text')).map(t =>
        parseFloat(t.getAttribute('font-size')) * t.ownerSVGElement.getScreenCTM().a)""")
    assert sizes and min(sizes) >= 9
    texts = page.evaluate("() => Array.from(document.querySelectorAll('svg.trend')).map(s => s.querySelectorAll('text').length)")
    assert all(n >= 4 for n in texts)  # two values and two periods


# 11 -----------------------------------------------------------------------------------------------
def test_every_period_reachable_and_case_study_cites_its_figures(visit, results, site_url):
    measure = "fft-gp"
    periods = results.periods[measure]
    page = visit(f"/measures/{measure}/", 360).page
    options = page.locator("[data-period-select] option").all_inner_texts()
    assert [o.replace(" (latest)", "") for o in options] == periods
    page.select_option("[data-period-select] select", label=periods[-1])
    page.locator("[data-period-select] button").click()
    page.wait_for_url(f"**/measures/{measure}/{periods[-1]}/")
    assert f"Period: {periods[-1]}" in page.locator("article").inner_text()
    ev = results.evidence.iloc[0]
    slug = ev["case_study"]
    page = visit(f"/case-studies/{slug}/", 360).page
    links = page.locator("[data-cited] a")
    assert links.count() >= 2
    for i in range(links.count()):
        href = links.nth(i).evaluate("a => a.href")
        with urllib.request.urlopen(href.split("#")[0], timeout=10) as resp:
            html = resp.read().decode("utf-8")
        assert f'id="{href.split("#")[1]}"' in html


# 12 -----------------------------------------------------------------------------------------------
def test_commissioner_red_flags_link_to_the_figures(visit, results):
    flags = results.flags
    comm = _providers(results)["commissioner"]
    code = sorted(flags["provider"].map(comm))[0]
    page = visit(f"/commissioners/{code.lower()}/", 360).page
    rows = page.locator("tr[data-rule]")
    mine = flags[flags["provider"].map(comm) == code]
    assert rows.count() == len(mine)
    for i in range(rows.count()):
        link = rows.nth(i).locator("[data-see-figures]")
        assert link.inner_text() == "See the figures"
        href = link.evaluate("a => a.href")
        rule = rows.nth(i).get_attribute("data-rule")
        if rule == "seldom-heard-gap":  # a group's flag lands on the group table, not the overall figure
            assert href.split("#")[1].startswith("groups-"), href
        with urllib.request.urlopen(href.split("#")[0], timeout=10) as resp:
            assert f'id="{href.split("#")[1]}"' in resp.read().decode("utf-8")


def test_every_red_flag_links_to_where_its_figures_are(site, results):
    """On every commissioner page each flag has a 'See the figures' link; a group's flag lands on the group
    table, a flag across sources on the at-a-glance table, and the target exists on the provider page."""
    import html as htmllib
    import re
    seen = set()
    for page in sorted((site / "commissioners").glob("*/index.html")):
        text = page.read_text(encoding="utf-8")
        for rule, cell in re.findall(r'<tr data-rule="([^"]+)" data-provider="[^"]+">(.*?)</tr>', text, re.S):
            rule = htmllib.unescape(rule)
            links = re.findall(r'<a href="([^"]+)" data-see-figures>See the figures</a>', cell)
            assert len(links) == 1, (page, rule)
            path, anchor = htmllib.unescape(links[0]).split("#", 1)  # attributes are entity-escaped
            target = (page.parent / path).resolve()
            if rule == "seldom-heard-gap":
                assert anchor.startswith("groups-"), anchor
            if rule == "multiple-sources":
                assert anchor == "at-a-glance", anchor
            assert f'id="{anchor}"' in (target / "index.html").read_text(encoding="utf-8"), (page, rule, anchor)
            seen.add(rule)
    assert seen == set(results.flags["rule"]), seen


# 13 -----------------------------------------------------------------------------------------------
def test_counts_on_a_league_page_say_what_they_cover(visit, results):
    measure = bs.pick_league(results)
    rows = bs.latest_rows(results)
    rows = rows[(rows["measure"] == measure)]
    page = visit(f"/measures/{measure}/", 360).page
    notes = page.locator("[data-counts]").all_inner_texts()
    alts = page.locator("picture.league-chart img").evaluate_all("es => es.map(e => e.alt)")
    for peer, g in rows.groupby("peer", sort=True):
        n, shown = len(g), int(g["estimate"].notna().sum())
        ranked = int(g["rank_n"].max())
        note = next(t for t in notes if t.startswith(f"What each count covers: {n} {wording.TYPES[peer][1]}"))
        assert f"The chart shows the {shown} with a published result." in note
        if ranked:
            assert f"{ranked} had at least" in note or f"{ranked} had an expected count of at least" in note
            assert f"(“of {ranked}”)" in note
        else:
            assert "None had" in note and "so none is compared or given a position" in note
        assert any(f"the {shown} providers with a published result" in a for a in alts)


# axe on every page type ---------------------------------------------------------------------------
PAGE_TYPES = ["/", "/providers/?q=ZZ1", "/providers/x1a/", "/measures/", "/measures/fft-gp/", "/measures/fft-gp/2023-01/",
              "/compare/?setting=inpatient&area=QX1&p=X1A,X1B,X1C", "/compare/qx1-inpatient/", "/commissioners/",
              "/commissioners/qx1/", "/red-flags/", "/case-studies/", "/methods/", "/downloads/", "/changes/",
              "/data-standard/"]


@pytest.mark.parametrize("width", bs.WIDTHS)
@pytest.mark.parametrize("path", PAGE_TYPES)
def test_every_page_type_axe(visit, path, width):
    page = visit(path, width).page
    if path.startswith("/compare/?"):
        page.wait_for_selector("table[data-comparison]")
    _axe(page)


def test_league_pages_without_a_chart_do_not_mention_one(site):
    """Periods older than the charted ones have no chart, so their counts note does not speak of one."""
    pages = sorted((site / "measures").rglob("index.html"))
    without = [p for p in pages if "league-chart" not in p.read_text(encoding="utf-8")]
    assert without, "expected some earlier-period league pages without a chart"
    for p in without:
        assert "The chart shows" not in p.read_text(encoding="utf-8"), p
