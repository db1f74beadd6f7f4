"""Standard 1.4: providers' peer groups (compared only with their own peer group) and the publisher's own
ratings (the ratings resource), read, checked, compared and shown beside the site's results, labelled as the
publisher's."""
from __future__ import annotations

import csv
import datetime as dt
import html
import io

import pytest

from generator.compute.compare import compare
from generator.data.validate import validate_paths

TODAY = dt.date(2025, 1, 1)
RATING_HEADER = ["provider", "rating", "measure", "period", "label", "value", "out_of", "note", "source"]
HOSTILE = "<script>alert(1)</script> *bold* [x](javascript:alert(1))"
CAH = "critical access hospitals"


def _providers(pkgtools, folder, peer_groups: dict[str, str], scores: dict[str, tuple[int, int]]):
    """Add providers (code -> peer group; '' for none) with an fft-inpatient 2024-01 score each (responses, numerator)."""
    pkgtools.edit_descriptor(folder, lambda d: d.__setitem__("standard", "1.4"))
    for code, (n, k) in scores.items():
        if code not in ("XR1", "XR2"):
            pkgtools.add_row(folder, "providers.csv", {"code": code, "name": f"Example {code} Hospital", "type": "nhs-trust",
                                                       "commissioner": "QXA", "region": "North Example", "town": "Lake"})
            pkgtools.add_row(folder, "scores.csv", {"provider": code, "measure": "fft-inpatient", "period": "2024-01",
                                                    "group": "all", "responses": str(n), "numerator": str(k)})
    pkgtools.add_column(folder, "providers.csv", "peer_group")
    pkgtools.add_column(folder, "providers.csv", "ownership")
    rows = pkgtools.read_rows(folder, "providers.csv")
    for i, r in enumerate(rows[1:], start=2):
        pkgtools.set_cell(folder, "providers.csv", i, "peer_group", peer_groups.get(r[0], ""))


def _ratings(pkgtools, folder, rows):
    pkgtools.write_rows(folder, "ratings.csv", [RATING_HEADER] + rows)
    pkgtools.edit_descriptor(folder, lambda d: d["resources"].append({"name": "ratings", "path": "ratings.csv", "format": "csv"}))


SCORES = {"XR1": (412, 389), "XR2": (300, 250), "XR3": (400, 200), "XR4": (500, 300), "XR5": (450, 240), "XR6": (380, 300)}


def test_a_critical_access_hospital_is_compared_only_with_critical_access_hospitals(minimal_package, pkgtools):
    _providers(pkgtools, minimal_package, {"XR3": CAH, "XR4": CAH, "XR5": CAH}, SCORES)
    ds, problems = validate_paths([minimal_package], today=TODAY)
    assert pkgtools.errors_of(problems) == []
    sc = compare(ds).scores
    fft = sc[(sc["measure"] == "fft-inpatient") & (sc["period"] == "2024-01")].set_index("provider")
    assert fft["peer"].to_dict() == {"XR1": "nhs-trust", "XR2": "nhs-trust", "XR3": CAH, "XR4": CAH, "XR5": CAH,
                                     "XR6": "nhs-trust"}
    cah = ["XR3", "XR4", "XR5"]
    pooled = sum(SCORES[c][1] for c in cah) / sum(SCORES[c][0] for c in cah)  # 740 / 1350: only its peer group
    assert fft.loc[cah, "target"].tolist() == pytest.approx([pooled] * 3)
    assert fft.loc[cah, "rank_n"].tolist() == [3, 3, 3] and fft.loc["XR1", "rank_n"] == 3  # XR1, XR2, XR6
    others = sum(SCORES[c][1] for c in ("XR1", "XR2", "XR6")) / sum(SCORES[c][0] for c in ("XR1", "XR2", "XR6"))
    assert fft.loc["XR1", "target"] == pytest.approx(others)
    assert fft.loc[cah, "rank_upper"].max() <= 3  # positions among the three, not the six


def test_without_peer_groups_providers_are_compared_by_type(minimal_package, pkgtools):
    _providers(pkgtools, minimal_package, {}, SCORES)
    ds, _ = validate_paths([minimal_package], today=TODAY)
    sc = compare(ds).scores
    fft = sc[(sc["measure"] == "fft-inpatient") & (sc["period"] == "2024-01")]
    assert set(fft["peer"]) == {"nhs-trust"} and set(fft["rank_n"]) == {6}


def test_ratings_are_read_and_checked(minimal_package, pkgtools):
    _providers(pkgtools, minimal_package, {}, SCORES)
    _ratings(pkgtools, minimal_package, [
        ["XR1", "cms-overall-stars", "", "", "CMS overall hospital star rating", "3", "5", "", "fft-monthly"],
        ["ZZ9", "cms-overall-stars", "", "", "Unknown provider", "3", "5", "", "fft-monthly"],        # row 3
        ["XR2", "cms-overall-stars", "no-such-measure", "", "Unknown measure", "3", "5", "", ""],     # row 4
        ["XR3", "cms-overall-stars", "", "", "Unknown source", "3", "5", "", "no-such-source"],       # row 5
        ["XR4", "Bad Id", "", "2024-13", "", "3", "0", "", ""],                                       # row 6
        ["XR1", "cms-overall-stars", "", "", "CMS overall hospital star rating", "4", "5", "", ""],   # row 7: repeat
    ])
    ds, problems = validate_paths([minimal_package], today=TODAY)
    found = sorted((c, r, f) for c, r, f in pkgtools.errors_of(problems) if c != "provider-no-scores")
    assert found == sorted([("foreign-key", 3, "provider"), ("foreign-key", 4, "measure"),
                            ("source-undeclared", 5, "source"), ("constraint-error", 6, "rating"),
                            ("constraint-error", 6, "period"), ("constraint-error", 6, "label"),
                            ("constraint-error", 6, "out_of"), ("primary-key", 7, "")]), found


def test_a_1_3_package_without_the_new_columns_is_still_read(minimal_package, pkgtools):
    pkgtools.edit_descriptor(minimal_package, lambda d: d.__setitem__("standard", "1.3"))
    ds, problems = validate_paths([minimal_package], today=TODAY)
    assert pkgtools.errors_of(problems) == []
    assert len(ds["ratings"]) == 0 and set(ds["providers"]["peer_group"]) == {""}


def test_peer_group_names_make_safe_distinct_chart_files():
    from generator.views import urls
    assert urls.chart_key("m", "2024", "nhs-trust", "funnel") == "m/2024-nhs-trust-funnel"
    a, b = urls.peer_slug("children's hospitals"), urls.peer_slug("childrens hospitals")
    assert a != b and a.startswith("children-s-hospitals-") and urls.SLUG.match(a)
    assert urls.peer_slug("../../x") != "../../x" and "/" not in urls.peer_slug("../../x")


@pytest.mark.slow  # renders every page and download of a package
def test_ratings_and_peer_groups_on_pages_and_in_downloads_labelled_and_escaped(minimal_package, pkgtools, tmp_path):
    from generator.build import compute
    _providers(pkgtools, minimal_package, {"XR3": CAH, "XR4": CAH, "XR5": CAH}, SCORES)
    pkgtools.set_cell(minimal_package, "providers.csv", 4, "ownership", "Government - Local")
    _ratings(pkgtools, minimal_package, [
        ["XR3", "cms-overall-stars", "", "", "CMS overall hospital star rating", "4", "5", "", "fft-monthly"],
        ["XR3", "cms-patient-experience", "", "", "CMS patient experience compared with the national average",
         "Above the national average", "", "", "fft-monthly"],
        ["XR4", "cms-overall-stars", "", "", "CMS overall hospital star rating", "", "5", HOSTILE, "fft-monthly"],
        ["XR3", "stars", "fft-inpatient", "2024-01", "Stars for this measure", "2", "5", "", "fft-monthly"],
    ])
    built = compute([minimal_package], cache_dir=tmp_path / "cache")
    assert built.result.ok, built.result.problems[:5]
    page = built.pages["providers/xr3.md"].body
    assert "The publisher’s own ratings" in page and "Published by NHS England, as it published them" in page
    assert "<li>CMS overall hospital star rating: <strong>4 out of 5</strong></li>" in page
    assert "<li>CMS patient experience compared with the national average: <strong>Above the national average</strong></li>" in page
    assert '<small class="publisher-rating">Stars for this measure (2024-01), the publisher’s own: 2 out of 5</small>' in page
    assert "compared only with other critical access hospitals" in page and "Government - Local" in page
    assert "All critical access hospitals:" in page
    xr4 = built.pages["providers/xr4.md"].body
    assert "<li>CMS overall hospital star rating: Not available<br><small class=\"publisher-note\">Note from the publisher: &lt;script&gt;" in xr4
    assert "<script>alert" not in xr4 and 'href="javascript' not in xr4
    assert "The publisher’s own ratings" not in built.pages["providers/xr1.md"].body  # no rating: no section
    league = built.pages["measures/fft-inpatient/index.md"].text  # rows put back (shells.HeldRows)
    assert "## Critical access hospitals" in league and "3 critical access hospitals" in league
    assert ">CMS overall hospital star rating <small>(published by NHS England)</small></th>" in html.unescape(league)
    row = next(line for line in league.splitlines() if 'data-code="XR3"' in line)
    assert html.unescape(row).endswith(  # the rating of this measure first, then those of the provider as a whole
        '<td class="publisher-rating" data-label="Stars for this measure">2 out of 5</td>'
        '<td class="publisher-rating" data-label="CMS overall hospital star rating">4 out of 5</td><td class="publisher-rating" '
        'data-label="CMS patient experience compared with the national average">Above the national average</td></tr>')
    xr4_row = next(line for line in league.splitlines() if 'data-code="XR4"' in line)
    assert html.unescape(xr4_row).endswith('data-label="Stars for this measure">–</td><td class="publisher-rating" '
                                           'data-label="CMS overall hospital star rating">Not available</td>'
                                           '<td class="publisher-rating" data-label="CMS patient experience compared '
                                           'with the national average">–</td></tr>')
    assert "<script>" not in league
    rated = list(csv.DictReader(io.StringIO(built.files["downloads/ratings.csv"])))
    assert [(r["provider"], r["rating"], r["measure"], r["value"], r["out_of"], r["publisher"]) for r in rated] == [
        ("XR3", "cms-overall-stars", "", "4", "5", "NHS England"),
        ("XR3", "cms-patient-experience", "", "Above the national average", "", "NHS England"),
        ("XR3", "stars", "fft-inpatient", "2", "5", "NHS England"),
        ("XR4", "cms-overall-stars", "", "", "5", "NHS England")]
    assert rated[3]["note"] == HOSTILE  # starts with a letter-free '<': kept as written, not a formula
    results = {r["provider"]: r for r in csv.DictReader(io.StringIO(built.files["downloads/measures/fft-inpatient.csv"]))}
    assert (results["XR3"]["provider_type"], results["XR3"]["peer_group"], results["XR1"]["peer_group"]) == \
        ("nhs-trust", CAH, "")
    assert "ratings.csv holds the publisher's own ratings" in built.files["downloads/README.txt"]
    assert "[ratings.csv](ratings.csv)" in built.pages["downloads/index.md"]
