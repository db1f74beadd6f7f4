"""CMS Hospital General Information importer (cms-hospitals) on an excerpt of the real CMS file (66 of its 4,743
rows, unedited: the 63 hospitals also in the HCAHPS file and 3 that are not; see
tests/data/real/cms-hcahps-2016-17/PROVENANCE.md), imported into the package of the real HCAHPS file."""
from __future__ import annotations

import shutil
from collections import Counter

import pytest

from generator.importers import run_import

try:
    from test_import_package import DATA, TODAY, assert_valid, table, tree
except ImportError:  # tests run as a package
    from tests.test_import_package import DATA, TODAY, assert_valid, table, tree

FOLDER = DATA / "real" / "cms-hcahps-2016-17"
HCAHPS = FOLDER / "HCAHPSHOSPITAL.csv"
GENERAL = FOLDER / "hospital-general-information-excerpt.csv"
NOT_IN_GENERAL = {"531310", "531312", "670025"}  # HCAHPS hospitals the general file does not list


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    out = tmp_path_factory.mktemp("pkg") / "cms-hcahps"
    _, problems = run_import("hcahps", HCAHPS, out, today=TODAY)
    assert problems == []
    summary, problems = run_import("cms-hospitals", GENERAL, out, today=TODAY)
    return out, summary, problems


def test_only_hospitals_the_package_holds_are_imported(both):
    out, summary, problems = both
    assert [(p.code, p.severity, p.field) for p in problems] == [("import-providers-not-listed", "warning", "Provider ID")]
    assert problems[0].message.startswith("3 of the package's 66 providers are not in this file")
    assert all(code in problems[0].message for code in sorted(NOT_IN_GENERAL))
    assert summary["providers_not_listed"] == sorted(NOT_IN_GENERAL)
    assert (summary["rows_read"], summary["hospitals"], summary["providers_matched"], summary["providers_not_held"],
            summary["rows_written"], summary["providers_new"]) == (66, 66, 63, 3, 63, 0)
    assert summary["hospital_types"] == {"Acute Care Hospitals": 54, "Critical Access Hospitals": 12}
    providers = {p["code"]: p for p in table(out, "providers.csv")}
    assert len(providers) == 66  # no hospital added
    assert Counter(p["peer_group"] for p in providers.values()) == \
        {"acute care hospitals": 51, "critical access hospitals": 12, "": 3}
    assert {c for c, p in providers.items() if not p["peer_group"]} == NOT_IN_GENERAL
    first = providers["010001"]  # the HCAHPS file's columns are kept
    assert (first["name"], first["type"], first["commissioner"], first["town"], first["peer_group"], first["ownership"]) == \
        ("SOUTHEAST ALABAMA MEDICAL CENTER", "independent", "USAL", "DOTHAN", "acute care hospitals",
         "Government - Hospital District or Authority")
    assert providers["021311"]["peer_group"] == "critical access hospitals"


def test_cms_ratings_are_the_publishers_as_published(both):
    out, _, _ = both
    desc = assert_valid(out)
    assert {r["name"] for r in desc["resources"]} >= {"providers", "ratings", "scores", "notes"}
    everything = table(out, "ratings.csv")
    ratings = [r for r in everything if r["source"] == "cms-hospitals"]
    hcahps = Counter(r["rating"] for r in everything if r["source"] == "cms-hcahps")  # the HCAHPS file's stars
    assert hcahps == {"cms-hcahps-stars": 490, "cms-hcahps-summary-stars": 45}
    assert len(ratings) == 2 * 63 and {r["provider"] for r in ratings} <= set(p["code"] for p in table(out, "providers.csv"))
    by = {(r["provider"], r["rating"]): r for r in ratings}
    assert by[("010001", "cms-overall-stars")] == {
        "provider": "010001", "rating": "cms-overall-stars", "measure": "", "period": "",
        "label": "CMS overall hospital star rating", "value": "3", "out_of": "5", "note": "", "source": "cms-hospitals"}
    assert (by[("010001", "cms-patient-experience")]["value"], by[("010001", "cms-patient-experience")]["out_of"]) == \
        ("Below the national average", "")
    stars = Counter(r["value"] for r in ratings if r["rating"] == "cms-overall-stars")
    assert stars == {"3": 23, "": 15, "4": 10, "2": 10, "5": 4, "1": 1}  # "Not Available" kept empty, never made up
    experience = Counter(r["value"] for r in ratings if r["rating"] == "cms-patient-experience")
    assert experience == {"": 20, "Same as the national average": 17, "Below the national average": 14,
                          "Above the national average": 12}
    unrated = [r for r in ratings if not r["value"]]
    assert all(r["note"] for r in unrated if r["rating"] == "cms-patient-experience")  # CMS says why
    assert any("hospital\u2019s star rating only includes" in r["note"] for r in ratings)  # the file's 'hospital?s'
    sources = {s["id"]: s for s in table(out, "sources.csv")}
    assert sources["cms-hospitals"]["publisher"] == "Centers for Medicare & Medicaid Services (CMS)"


def test_importing_again_in_either_order_changes_no_byte(both, tmp_path):
    out, _, _ = both
    before = tree(out)
    assert run_import("hcahps", HCAHPS, out, today=TODAY)[0]["files_written"] == []  # keeps the peer groups
    assert run_import("cms-hospitals", GENERAL, out, today=TODAY)[0]["files_written"] == []
    assert tree(out) == before


def test_a_package_without_the_hospitals_is_refused(tmp_path):
    out = tmp_path / "empty"
    summary, problems = run_import("cms-hospitals", GENERAL, out, today=TODAY)
    assert [(p.code, p.severity) for p in problems] == [("import-no-providers", "error")]
    assert "none of the 66 providers" in problems[0].message and not out.exists()


def test_a_file_missing_columns_names_only_those(tmp_path):
    lines = GENERAL.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    drop = [header.index("Hospital Type"), header.index("Hospital overall rating")]
    cut = [",".join(c for j, c in enumerate(line.split(",")) if j not in drop) for line in lines[:4]]
    f = tmp_path / "general.csv"
    f.write_text("\n".join(cut) + "\n", encoding="utf-8")
    summary, problems = run_import("cms-hospitals", f, tmp_path / "pkg", today=TODAY)
    assert [(p.code, p.row, p.field) for p in problems] == [("import-header", None, "Hospital Type")]
    assert problems[0].message.endswith("missing columns (compared ignoring case, spaces and punctuation): "
                                        "Hospital Type, Hospital overall rating")
    summary, problems = run_import("cms-hospitals", HCAHPS, tmp_path / "pkg", today=TODAY)  # the wrong CMS file
    assert [p.code for p in problems] == ["import-header"] and "import it as hcahps" in problems[0].message
    assert not (tmp_path / "pkg").exists()


def test_a_rating_cms_does_not_publish_is_left_empty_with_a_warning(both, tmp_path):
    out = tmp_path / "cms-hcahps"
    shutil.copytree(both[0], out)
    lines = GENERAL.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("Acute Care Hospitals,Government - Hospital District or Authority,Yes,Y,3,",
                                "Acute Care Hospitals,Government - Hospital District or Authority,Yes,Y,6,")
    lines[2] = lines[2].replace("Acute Care Hospitals", "Childrens")
    f = tmp_path / "general.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary, problems = run_import("cms-hospitals", f, out, today=TODAY)
    assert [(p.code, p.row, p.field, p.severity) for p in problems] == \
        [("import-providers-not-listed", None, "Provider ID", "warning"),
         ("import-bad-value", 2, "Hospital overall rating", "warning")]
    ratings = {(r["provider"], r["rating"]): r for r in table(out, "ratings.csv")}
    assert ratings[("010001", "cms-overall-stars")]["value"] == ""  # the latest file's word: no star made up
    providers = {p["code"]: p for p in table(out, "providers.csv")}
    assert providers["010005"]["peer_group"] == "children's hospitals"
