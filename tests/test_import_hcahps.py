"""HCAHPS importer on the real CMS file (66 hospitals, 2016-04-01 to 2017-03-31; see
tests/data/real/cms-hcahps-2016-17/PROVENANCE.md) and on small edited copies of its rows."""
from __future__ import annotations

import csv
import json
import math

import pytest

from generator.importers import run_import
from generator.importers.hcahps_topics import TOPICS, approx_sd

try:
    from test_import_package import DATA, TODAY, assert_valid, table, tree
except ImportError:  # tests run as a package
    from tests.test_import_package import DATA, TODAY, assert_valid, table, tree

REAL = DATA / "real" / "cms-hcahps-2016-17" / "HCAHPSHOSPITAL.csv"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    out = tmp_path_factory.mktemp("pkg") / "hcahps"
    summary, problems = run_import("hcahps", REAL, out, today=TODAY)
    return out, summary, problems


def test_real_file_counts(imported):
    out, summary, problems = imported
    assert problems == []
    assert (summary["rows_read"], summary["rows_written"], summary["providers"], summary["star_ratings"]) == (3608, 1625, 66, 535)
    assert summary["skipped_rows"] == {
        "completed surveys FEWER THAN 50 (footnote 10)": 33,
        "completed surveys Not Available (footnote 19)": 33,
        "completed surveys Not Available (footnote 5)": 396,
        "linear score Not Available (footnote 6)": 44,  # fewer than 100 surveys
        "linear score Not Available (footnote 6, 11)": 33,
        "linear score without answer percents (no sd)": 1,  # 010011: the file stops before H_COMP_6_Y_P
        "middle answer (not imported)": 656,
        "star rating Not Available (footnote 15)": 96,
        "star rating Not Available (footnote 19)": 12,
        "star rating Not Available (footnote 5)": 144,
    }
    assert 1625 + 535 + sum(summary["skipped_rows"].values()) == 3608  # every row accounted for
    assert summary["suppressed_cells"] == 55 and summary["footnotes_kept"] == {"6": 154, "11": 246}
    assert summary["periods"] == ["2017"]


def test_real_file_package(imported):
    out, _, _ = imported
    desc = assert_valid(out)
    providers = table(out, "providers.csv")
    codes = [p["code"] for p in providers]
    assert len(codes) == 66 and all(len(c) == 6 and c.isdigit() for c in codes)
    assert {"010001", "030030", "021302", "100055"} <= set(codes)  # 10001, 30030, 21302 were stripped of a zero
    first = providers[0]
    assert (first["code"], first["type"], first["commissioner"], first["region"], first["town"], first["postcode"]) == \
        ("010001", "independent", "USAL", "Alabama", "DOTHAN", "")
    commissioners = table(out, "commissioners.csv")
    assert len(commissioners) == 24 and {"USAL", "USPR", "USGU", "USAS"} <= {c["code"] for c in commissioners}
    measures = {m["id"]: m for m in table(out, "measures.csv")}
    assert len(measures) == 33 and sum(m["kind"] == "mean" for m in measures.values()) == 11
    assert measures["hcahps-clean-hsp-sn-p"]["polarity"] == "lower-is-better"
    assert measures["hcahps-recmnd-dy"]["polarity"] == "higher-is-better"
    assert "approximation" in measures["hcahps-clean-linear-score"]["description"]
    scores = {(s["provider"], s["measure"]): s for s in table(out, "scores/2017.csv")}
    assert len(scores) == 1625 and len({p for p, _ in scores}) == 52
    assert sum(bool(s["mean"]) for s in scores.values()) == 490
    clean = scores[("010001", "hcahps-clean-hsp-a-p")]  # 69% of 1102 completed surveys
    assert (clean["responses"], clean["numerator"], clean["mean"]) == ("1102", "760", "")
    linear = scores[("010001", "hcahps-clean-linear-score")]  # always 69, usually 20, sometimes/never 11
    assert (linear["mean"], linear["numerator"], linear["se"]) == ("85", "", "")
    assert float(linear["sd"]) == pytest.approx(27.1186, abs=1e-4)  # worked by hand, see test_sd_by_hand
    stars = table(out, "stars.csv")
    assert len(stars) == 535 and desc["x-cms-star-ratings"]["path"] == "stars.csv"
    assert stars[0] == {"provider": "010001", "cms_measure": "H_CLEAN_STAR_RATING",
                        "measure": "hcahps-clean-linear-score", "period": "2017", "stars": "2"}
    summary_stars = [s for s in stars if s["cms_measure"] == "H_STAR_RATING"]
    assert len(summary_stars) == 45 and all(s["measure"] == "" for s in summary_stars)
    [source] = table(out, "sources.csv")
    assert source["checksum"] == "1fc9829e5755ab0e095afaa146a92f39121e8e2f1d17a66c075b1f7372542373"
    assert "2016-04-01 to 2017-03-31" in source["title"] and source["publisher"].startswith("Centers for Medicare")


def test_real_file_twice_changes_no_byte(imported):
    out, _, _ = imported
    before = tree(out)
    summary, problems = run_import("hcahps", REAL, out, today="2030-01-01")
    assert problems == [] and tree(out) == before and summary["files_written"] == []


def test_sd_by_hand():
    # 69% always (100), 20% usually (66.67), 11% sometimes or never (16.67): mean 84.1667,
    # variance .69*15.8333^2 + .20*17.5^2 + .11*67.5^2 = 172.979 + 61.25 + 501.1875 = 735.417
    clean = TOPICS[0]
    assert approx_sd(clean, {clean.top: 69, clean.middle: 20, clean.bottom: 11}) == pytest.approx(math.sqrt(735.4167), abs=1e-3)
    assert approx_sd(clean, {clean.top: 69, clean.middle: None, clean.bottom: 11}) is None
    yes_no = TOPICS[6]
    assert approx_sd(yes_no, {yes_no.top: 80, yes_no.bottom: 20}) == pytest.approx(40.0)


def _edited(tmp_path, changes):
    """A copy of hospital 10001's rows with some cells changed; returns the file."""
    with open(REAL, encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["Provider ID"] == "10001"]
    out = []
    for match, edit in changes:
        for r in rows:
            if r["HCAHPS Measure ID"] == match:
                out.append(r | edit)
    f = tmp_path / "hcahps.csv"
    with open(f, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(out)
    return f


def test_edge_cases(tmp_path):
    f = _edited(tmp_path, [
        ("H_CLEAN_HSP_A_P", {"HCAHPS Answer Percent": "50", "Number of Completed Surveys": "1301"}),  # row 2: 650.5
        ("H_CLEAN_HSP_SN_P", {"Provider ID": "10002", "Number of Completed Surveys": "FEWER THAN 50"}),  # row 3
        ("H_CLEAN_HSP_U_P", {"Provider ID": "1-2"}),                                   # row 4: bad id
        ("H_COMP_1_A_P", {"HCAHPS Measure ID": "H_NEW_THING"}),                        # row 5: unknown id
        ("H_COMP_1_SN_P", {"HCAHPS Measure ID": "H_NEW_THING"}),                       # row 6: again, no new warning
        ("H_COMP_2_A_P", {"Measure End Date": "2017-13"}),                             # row 7: bad date
        ("H_COMP_3_A_P", {"HCAHPS Answer Percent": "101"}),                            # row 8: out of range
        ("H_STAR_RATING", {}),                                                         # row 9: summary star 3
        ("H_COMP_4_A_P", {"Provider ID": "10003", "State": ""}),                       # row 10: no state
    ])
    out = tmp_path / "hcahps"
    summary, problems = run_import("hcahps", f, out, today=TODAY)
    assert [(p.code, p.row, p.field) for p in problems] == [
        ("import-bad-value", 4, "Provider ID"), ("import-bad-value", 5, "HCAHPS Measure ID"),
        ("import-bad-value", 7, "Measure End Date"), ("import-bad-value", 8, "HCAHPS Answer Percent"),
        ("import-bad-value", 10, "State")]
    assert summary["skipped_rows"] == {"bad provider id": 1, "unknown measure id": 2, "bad measure end date": 1,
                                       "value out of range": 1, "completed surveys FEWER THAN 50": 1,
                                       "no hospital name or state": 1}
    assert summary["suppressed_cells"] == 1
    [score] = table(out, "scores/2017.csv")
    assert (score["provider"], score["numerator"], score["responses"]) == ("010001", "651", "1301")  # half rounds up
    assert table(out, "stars.csv") == [{"provider": "010001", "cms_measure": "H_STAR_RATING", "measure": "",
                                        "period": "2017", "stars": "3"}]
    assert sorted(p["code"] for p in table(out, "providers.csv")) == ["010001", "010002"]
    assert_valid(out)


def test_changed_star_rating_is_a_contradiction(tmp_path):
    out = tmp_path / "hcahps"
    run_import("hcahps", _edited(tmp_path, [("H_STAR_RATING", {})]), out, today=TODAY)
    before = tree(out)
    _, problems = run_import("hcahps", _edited(tmp_path, [("H_STAR_RATING", {"Patient Survey Star Rating": "4"})]), out, today=TODAY)
    assert [p.code for p in problems] == ["import-contradiction"] and "010001" in problems[0].message
    assert tree(out) == before


def test_wide_format_is_not_this_format(tmp_path):
    f = tmp_path / "hcahps.csv"
    f.write_text('"","Provider.ID","H_CLEAN_HSP_A_P"\n"1",10001,70\n', encoding="utf-8")
    _, problems = run_import("hcahps", f, tmp_path / "out", today=TODAY)
    assert [p.code for p in problems] == ["import-header"] and not (tmp_path / "out").exists()
    json.dumps([p.as_dict() for p in problems])  # problems stay serialisable for the CLI's --json


WIDE = DATA / "real" / "cms-hcahps-2013-14-wide" / "hcahps-excerpt.csv"  # see PROVENANCE.md beside it


def test_banded_survey_counts_are_named_as_the_reason_a_file_cannot_be_used(tmp_path):
    _, problems = run_import("hcahps", WIDE, tmp_path / "out", today=TODAY)
    assert [(p.code, p.severity) for p in problems] == [("import-banded-counts", "error"), ("import-header", "error")]
    banded, header = problems
    assert banded.field == "Number.of.Completed.Surveys"
    for band in ("'300 or more' (14 hospitals)", "'Between 100 and 299' (5)", "'Fewer than 100' (1)"):
        assert band in banded.message
    assert "no count of completed surveys can be recovered" in banded.message.lower()
    # only the columns really missing (Provider.ID, Hospital.Name, City, State and the counts are there)
    assert header.message.endswith("missing columns (compared ignoring case, spaces and punctuation): "
                                   "hcahpsmeasureid, patientsurveystarrating, hcahpsanswerpercent, "
                                   "hcahpslinearmeanvalue, measureenddate; it has one column per measure "
                                   "(wide format), such as H_CLEAN_HSP_A_P")
    assert not (tmp_path / "out").exists()


def test_real_file_footnotes_become_notes_and_min_sample(imported):
    # CMS footnote 6 (fewer than 100 completed surveys, use with caution) is on the completed-survey column of 7
    # hospitals in the file (listed by hand from the CSV's "Number of Completed Surveys Footnote" column)
    out, summary, _ = imported
    notes = table(out, "notes.csv")
    six = sorted(n["provider"] for n in notes if n["code"] == "6")
    assert six == ["010008", "161326", "241360", "331313", "450400", "450411", "531310"]
    assert (summary["notes"], summary["hospitals_with_notes"]) == (28, 25)
    by = {(n["provider"], n["code"]): n for n in notes}
    assert by[("010008", "6")]["text"].startswith("Fewer than 100 patients completed the HCAHPS survey. Use these scores "
                                                  "with caution") and by[("010008", "6")]["caution"] == "true"
    assert by[("010008", "11")] == {"provider": "010008", "measure": "", "period": "2017", "code": "11",
                                    "text": "There were discrepancies in the data collection process.", "caution": "false"}
    assert by[("161321", "10")]["caution"] == "true"  # fewer than 50 completed surveys: also "use with caution"
    assert all(n["measure"] == "" for n in notes)  # in this file every footnote is on the hospital's survey count
    assert {m["min_sample"] for m in table(out, "measures.csv")} == {"100"}


def test_real_file_hospitals_under_100_surveys_are_not_banded_or_ranked(imported):
    # the 7 hospitals CMS footnotes with 6 (57-92 completed surveys) were banded 'better' before min_sample
    from generator.compute.compare import compare
    from generator.data.validate import validate_paths
    from generator.stats.bands import BETTER_ANY, WORSE_ANY
    out, _, _ = imported
    ds, problems = validate_paths([out])
    assert not [p for p in problems if p.severity == "error"]
    s = compare(ds).scores
    below = s[s["responses"].astype(float) < 100]
    assert len(below) == 154 and below["provider"].nunique() == 7 and below["below_min_sample"].all()
    assert not below["band"].isin(BETTER_ANY | WORSE_ANY).any() and below["rank_lower"].isna().all()
    assert below["caution"].all() and below["notes"].str.startswith("Fewer than 100 patients").all()
    assert not s.loc[s["responses"].astype(float) >= 100, "below_min_sample"].any()


def test_real_file_percents_are_shown_as_cms_published_them(imported):
    """CMS's answer percents are patient-mix adjusted, so 40 of 1,135 match no whole count of completed surveys;
    531310 'nurses always communicated well' is 78 at CMS and 48 of 62 = 77.4% rebuilt from the count. The
    published column keeps CMS's 78: the result is 78%, its interval Wilson's at x = 0.78 x 62 (methods.md §1),
    while the comparison keeps the count 48 of 62."""
    from generator.compute.compare import compare
    from generator.data.validate import validate_paths
    out, _, _ = imported
    scores = {(s["provider"], s["measure"]): s for s in table(out, "scores/2017.csv")}
    nurses = scores[("531310", "hcahps-comp-1-a-p")]
    assert (nurses["responses"], nurses["numerator"], nurses["published"]) == ("62", "48", "78")
    assert all((s["published"] != "") == (s["numerator"] != "") for s in scores.values())  # every percent, no mean
    with open(REAL, encoding="utf-8-sig", newline="") as fh:
        cms = {(r["Provider ID"].zfill(6), r["HCAHPS Measure ID"]): r["HCAHPS Answer Percent"] for r in csv.DictReader(fh)}
    assert cms[("531310", "H_COMP_1_A_P")] == "78"
    ds, _ = validate_paths([out], today=TODAY)
    row = compare(ds).scores.set_index(["provider", "measure"]).loc[("531310", "hcahps-comp-1-a-p")]
    x, n, z = 0.78 * 62, 62, 1.959964
    root = z * math.sqrt(z * z + 4 * x * (1 - x / n))
    assert row["estimate"] == pytest.approx(0.78)
    assert (row["lower95"], row["upper95"]) == pytest.approx(((2 * x + z * z - root) / (2 * (n + z * z)),
                                                              (2 * x + z * z + root) / (2 * (n + z * z))))
    assert row["numerator"] == 48
