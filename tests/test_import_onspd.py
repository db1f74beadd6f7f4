"""ONS Postcode Directory importer: the middle of each postcode district, from a small sample in the
directory's layout (tests/data/onspd/make_sample.py writes it)."""
from __future__ import annotations

import csv
import zipfile
from pathlib import Path

from generator.importers import run_import
from generator.data.validate import validate_paths

SAMPLE = Path(__file__).parent / "data" / "onspd" / "onspd-sample.csv"


def _rows(folder: Path) -> dict:
    with open(folder / "postcode-districts.csv", encoding="utf-8") as f:
        return {r["district"]: (float(r["latitude"]), float(r["longitude"])) for r in csv.DictReader(f)}


def test_district_centres_from_live_postcodes(tmp_path):
    into = tmp_path / "onspd"
    summary, problems = run_import("onspd", SAMPLE, into, today="2026-01-01")
    assert [p for p in problems if p.severity == "error"] == []
    got = _rows(into)
    assert sorted(got) == ["EX1", "EX10", "SW1A"]  # EX2 has no place; EX1 3CC ended
    assert got["EX1"] == (50.71, -3.52)            # mean of the two live EX1 postcodes only
    assert got["EX10"] == (50.685, -3.25)
    assert summary["districts"] == 3 and summary["rows_read"] == 7
    ds, probs = validate_paths([into])
    assert ds is not None and [p for p in probs if p.severity == "error"] == []
    assert list(ds["postcode-districts"]["district"]) == ["EX1", "EX10", "SW1A"]


def test_zip_as_published_and_reimport_changes_nothing(tmp_path):
    z = tmp_path / "ONSPD_FEB_2026.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.write(SAMPLE, "Data/ONSPD_FEB_2026_UK.csv")
        f.writestr("Documents/readme.csv", "a,b\n1,2\n")
    into = tmp_path / "onspd"
    run_import("onspd", z, into, today="2026-01-01")
    first = (into / "postcode-districts.csv").read_bytes()
    summary, _ = run_import("onspd", z, into, today="2026-01-01")
    assert (into / "postcode-districts.csv").read_bytes() == first
    assert summary["files_written"] == []


def test_not_a_directory_is_a_problem_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("postcode,x\nEX1 1AA,1\n", encoding="utf-8")
    summary, problems = run_import("onspd", bad, tmp_path / "out", today="2026-01-01")
    assert [(p.code, p.row) for p in problems] == [("import-header", 1)]
    assert not (tmp_path / "out").exists()


def test_coordinates_that_are_not_finite_are_located_problems(tmp_path):
    """'nan' parses as a number and abs(nan) > 81 is False: such a row must not reach a district's middle."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("50.7200", "nan")
    lines[4] = lines[4].rsplit(",", 1)[0] + ",inf"
    bad = tmp_path / "onspd.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary, problems = run_import("onspd", bad, tmp_path / "out", today="2026-01-01")
    errors = [(p.code, p.row, p.field) for p in problems if p.severity == "error"]
    assert errors == [("import-bad-value", 3, "lat"), ("import-bad-value", 5, "long")]
    assert not (tmp_path / "out").exists()
