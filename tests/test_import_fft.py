"""FFT importer on the constructed sample files in tests/data/fft (see README.md there)."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from generator.importers import run_import

try:
    from test_import_package import FFT, TODAY, assert_valid, table, tree
except ImportError:  # tests run as a package
    from tests.test_import_package import FFT, TODAY, assert_valid, table, tree

AUG, SEP = FFT / "inpatient-2024-08.csv", FFT / "inpatient-2024-09.csv"
AE = FFT / "FFT_AE_V1 Aug-24.xlsx"


def scores(folder: Path) -> dict:
    out = {}
    for rel in sorted(p.relative_to(folder) for p in (folder / "scores").glob("*.csv")):
        for r in table(folder, str(rel)):
            out[(r["provider"], r["measure"], r["period"])] = (int(r["responses"]), int(r["numerator"]))
    return out


def test_inpatient_csv(tmp_path):
    out = tmp_path / "fft"
    summary, problems = run_import("fft", AUG, out, today=TODAY)
    assert problems == []
    assert scores(out) == {("XQA", "fft-inpatient", "2024-08"): (400, 360), ("XQB", "fft-inpatient", "2024-08"): (120, 105),
                           ("XQD", "fft-inpatient", "2024-08"): (50, 30), ("XQ401", "fft-inpatient", "2024-08"): (25, 24)}
    assert (summary["rows_read"], summary["rows_written"], summary["suppressed_cells"]) == (5, 4, 7)
    assert summary["skipped_rows"] == {"suppressed (*)": 1} and summary["service"] == "inpatient"
    assert summary["periods"] == ["2024-08"] and summary["files_unchanged"] == []
    assert summary["files_written"] == ["commissioners.csv", "datapackage.json", "groups.csv", "measures.csv",
                                        "providers.csv", "scores/2024-08.csv", "sources.csv"]
    providers = {r["code"]: r for r in table(out, "providers.csv")}
    assert sorted(providers) == ["XQ401", "XQA", "XQB", "XQD"]  # XQC was suppressed: no row, no provider
    assert (providers["XQ401"]["type"], providers["XQ401"]["commissioner"]) == ("independent", "IS1")
    assert (providers["XQD"]["type"], providers["XQD"]["commissioner"], providers["XQD"]["region"]) == ("nhs-trust", "QE2", "Unknown")
    assert {r["code"] for r in table(out, "commissioners.csv")} == {"IS1", "QE1", "QE2"}
    [measure] = table(out, "measures.csv")
    assert (measure["id"], measure["kind"], measure["polarity"], measure["source"], measure["dataset"], measure["setting"]) == \
        ("fft-inpatient", "proportion", "higher-is-better", "fft", "fft-inpatient", "inpatient")
    [source] = table(out, "sources.csv")
    assert source["id"] == "fft-inpatient" and source["retrieved"] == TODAY and source["url"] == ""
    assert source["checksum"] == hashlib.sha256(AUG.read_bytes()).hexdigest()
    assert (source["publisher"], source["licence"]) == ("NHS England", "Open Government Licence v3.0")
    desc = assert_valid(out)
    assert desc["licenses"][0]["name"] == "OGL-UK-3.0"


def test_ae_workbook_picks_the_organisation_sheet(tmp_path):
    out = tmp_path / "fft"
    summary, problems = run_import("fft", AE, out, today=TODAY)
    assert problems == []
    assert (summary["service"], summary["sheet"]) == ("ae", "Parent & Self - Organisation Le")
    assert scores(out) == {("XQA", "fft-ae", "2024-08"): (1000, 850), ("XQD", "fft-ae", "2024-08"): (200, 150)}
    assert (summary["rows_read"], summary["suppressed_cells"], summary["skipped_rows"]) == (3, 7, {"suppressed (*)": 1})
    assert_valid(out)


def test_importing_twice_changes_no_byte(tmp_path):
    out = tmp_path / "fft"
    run_import("fft", AUG, out, today=TODAY)
    run_import("fft", AE, out, today=TODAY)
    before = tree(out)
    summary, problems = run_import("fft", AUG, out, today="2025-03-01")  # a later day changes nothing either
    assert problems == [] and tree(out) == before
    assert summary["files_written"] == [] and summary["rows_new"] == 0


def test_second_month_adds_a_file(tmp_path):
    out = tmp_path / "fft"
    run_import("fft", AUG, out, today=TODAY)
    aug = tree(out)["scores/2024-08.csv"]
    summary, problems = run_import("fft", SEP, out, today="2025-02-10")
    assert problems == [] and summary["rows_new"] == 2
    assert "scores/2024-09.csv" in summary["files_written"] and tree(out)["scores/2024-08.csv"] == aug
    desc = assert_valid(out)
    assert [r["path"] for r in desc["resources"] if r["name"] == "scores"] == [["scores/2024-08.csv", "scores/2024-09.csv"]]
    assert scores(out)[("XQA", "fft-inpatient", "2024-09")] == (410, 370)
    [source] = table(out, "sources.csv")  # describes the latest month's file
    assert source["title"].endswith("2024-08 to 2024-09") and source["retrieved"] == "2025-02-10"
    assert source["checksum"] == hashlib.sha256(SEP.read_bytes()).hexdigest()
    names = {r["code"]: r["name"] for r in table(out, "providers.csv")}
    assert names["XQB"] == "EXAMPLE B HOSPITALS NHS FOUNDATION TRUST"  # renamed in September


def test_import_order_does_not_matter(tmp_path):
    a, b = tmp_path / "a" / "fft", tmp_path / "b" / "fft"
    for f in (AUG, SEP, AE):
        run_import("fft", f, a, today=TODAY)
    for f in (AE, SEP, AUG):
        run_import("fft", f, b, today=TODAY)
    assert tree(a) == tree(b)
    names = {r["code"]: r["name"] for r in table(b, "providers.csv")}
    assert names["XQB"] == "EXAMPLE B HOSPITALS NHS FOUNDATION TRUST"  # the older August name did not win


def test_contradicting_file_is_refused_whole(tmp_path):
    out = tmp_path / "fft"
    run_import("fft", AUG, out, today=TODAY)
    before = tree(out)
    summary, problems = run_import("fft", FFT / "inpatient-2024-08-revised.csv", out, today=TODAY)
    assert [(p.code, p.severity) for p in problems] == [("import-contradiction", "error")]
    assert "provider XQA, measure fft-inpatient, period 2024-08" in problems[0].message
    assert tree(out) == before and summary["files_written"] == []


def test_ambulance_financial_year(tmp_path):
    out = tmp_path / "fft"
    summary, problems = run_import("fft", FFT / "ambulance-2025-01.csv", out, today=TODAY)
    assert problems == [] and summary["service"] == "ambulance"
    assert scores(out) == {("XQ9", "fft-ambulance", "2025-01"): (80, 70)}
    assert_valid(out)


def test_service_must_be_given_when_the_file_cannot_tell(tmp_path):
    plain = tmp_path / "sample.csv"
    shutil.copy(FFT / "ambulance-2025-01.csv", plain)
    out = tmp_path / "fft"
    _, problems = run_import("fft", plain, out, today=TODAY)
    assert [(p.code, p.severity) for p in problems] == [("import-service", "error")] and not out.exists()
    _, problems = run_import("fft", plain, out, today=TODAY, service="ae")
    assert problems == [] and scores(out) == {("XQ9", "fft-ae", "2025-01"): (80, 70)}
    _, problems = run_import("fft", plain, tmp_path / "x", today=TODAY, service="maternity")
    assert [p.code for p in problems] == ["import-unknown-format"]
    _, problems = run_import("fft", AUG, tmp_path / "y", today=TODAY, service="ae")  # spelled as inpatient
    assert [(p.code, p.severity) for p in problems] == [("import-service", "warning")]


HEADER = "Yearnumber,Periodname,Parent org code,Parent name,Org code,Org name,Total Responses,Prop_Pos," \
         "1 Very Good SUM,2 Good SUM,3 Neither Good nor Poor SUM,4 Poor SUM,5 Very Poor SUM,6 Dont Know SUM\n"


def test_bad_rows_are_skipped_with_reasons(tmp_path):
    f = tmp_path / "inpatient.csv"
    f.write_text(HEADER + "\n".join([
        "2024,AUGUST,QE1,ICB,XQA,A,100,0.9,80,10,5,2,2,1",       # row 2: fine
        "2024,AUGUST,QE1,ICB,XQB,B,100,0.5,80,10,5,2,2,1",       # row 3: Prop_Pos disagrees (kept)
        "2024,AUGUST,QE1,ICB,XQC,C,100,,80,10,5,2,2,0",          # row 4: answers add to 99 (99 used)
        "2024,AUGUST,QE1,ICB,XQD,D,lots,,80,10,5,2,2,1",         # row 5: total not a count (answers used)
        "2024,AUGUST,QE1,ICB,XQE,E,50,,40,20,0,0,0,0",           # row 6: answers add to 60, more than 50 (60 used)
        "2024,SMARCH,QE1,ICB,XQF,F,100,,80,10,5,2,2,1",          # row 7: no month
        "2024,AUGUST,QE1,ICB,rx-g,G,100,,80,10,5,2,2,1",         # row 8: bad code
        ",,,,,,,,,,,,,",                                         # blank: not counted
        "2024,AUGUST,,,,ENGLAND,999,,1,1,1,1,1,1",               # row 10: total row without code
        "2024,AUGUST,QE1,ICB,XQH,,100,,80,10,5,2,2,1",           # row 11: no name
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "fft"
    summary, problems = run_import("fft", f, out, today=TODAY)
    assert [(p.code, p.row, p.field, p.severity) for p in problems] == [
        ("import-bad-value", 3, "Prop_Pos", "warning"), ("import-bad-value", 4, "Total Responses", "warning"),
        ("import-bad-value", 5, "Total Responses", "warning"), ("import-bad-value", 6, "Total Responses", "warning"),
        ("import-bad-value", 7, "Periodname", "warning"), ("import-bad-value", 8, "Org code", "warning"),
        ("import-bad-value", 11, "Org name", "warning")]
    assert summary["skipped_rows"] == {"bad period": 1, "bad org code": 1, "no org code": 1, "no org name": 1}
    assert summary["rows_read"] == 9
    got = scores(out)
    assert {k[0]: v for k, v in got.items()} == {"XQA": (100, 90), "XQB": (100, 90), "XQC": (99, 90), "XQD": (100, 90),
                                                  "XQE": (60, 60)}


def test_total_is_the_sum_of_the_six_answers_dont_know_included(tmp_path):
    """#15 finding 6: a Total Responses that leaves out "don't know" is not trusted: 70/100 = 70%, not 70/85 = 82.4%."""
    f = tmp_path / "inpatient.csv"
    f.write_text(HEADER + "2024,AUGUST,QE1,ICB,XQA,A,85,0.824,50,20,10,3,2,15\n", encoding="utf-8")
    summary, problems = run_import("fft", f, tmp_path / "fft", today=TODAY)
    assert scores(tmp_path / "fft") == {("XQA", "fft-inpatient", "2024-08"): (100, 70)}
    responses, numerator = scores(tmp_path / "fft")[("XQA", "fft-inpatient", "2024-08")]
    assert round(100 * numerator / responses, 1) == 70.0
    assert [(p.code, p.row, p.field, p.severity) for p in problems] == [
        ("import-bad-value", 2, "Prop_Pos", "warning"), ("import-bad-value", 2, "Total Responses", "warning")]
    assert "add up to 100, but Total Responses says '85'" in problems[1].message


def test_missing_columns_are_named(tmp_path):
    f = tmp_path / "inpatient.csv"
    f.write_text(HEADER.replace("Periodname,", "Month,").replace("2 Good SUM", "2 Fine SUM") +
                 "2024,AUGUST,QE1,ICB,XQA,A,100,0.9,80,10,5,2,2,1\n", encoding="utf-8")
    _, problems = run_import("fft", f, tmp_path / "fft", today=TODAY)
    assert [(p.code, p.row) for p in problems] == [("import-header", 1)]
    assert "periodname" in problems[0].message and "2 good" in problems[0].message
    _, problems = run_import("fft", FFT / "README.md", tmp_path / "fft", today=TODAY)
    assert [p.code for p in problems] == ["import-header"] and not (tmp_path / "fft").exists()


def test_all_rows_suppressed_writes_nothing(tmp_path):
    f = tmp_path / "inpatient.csv"
    f.write_text(HEADER + "2024,AUGUST,QE1,ICB,XQA,A,*,*,*,*,*,*,*,*\n", encoding="utf-8")
    summary, problems = run_import("fft", f, tmp_path / "fft", today=TODAY)
    assert [p.code for p in problems] == ["import-empty"] and summary["suppressed_cells"] == 8
    assert not (tmp_path / "fft").exists()


def test_x_imports_records_each_file(tmp_path):
    out = tmp_path / "fft"
    for f in (SEP, AUG, AUG):
        run_import("fft", f, out, today=TODAY)
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert [(r["file"], r["periods"]) for r in desc["x-imports"]] == [
        ("inpatient-2024-08.csv", ["2024-08"]), ("inpatient-2024-09.csv", ["2024-09"])]
