"""Importers: package conventions shared by every format, and checks the other
test_import_* files reuse (tree, assert_valid)."""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import frictionless
import pytest

from generator.data.dataset import STANDARD_VERSION
from generator.importers import run_import
from generator.importers.periods import iso_of_ods_date, parse_month_period, year_of_us_date
from generator.paths import STANDARD_DIR
from generator.problems import CODES

DATA = Path(__file__).parent / "data"
FFT = DATA / "fft"
TODAY = "2025-02-03"
IMPORT_CODES = {"import-unknown-format", "import-file", "import-header", "import-bad-value", "import-contradiction",
                "import-package", "import-write", "import-service", "import-empty", "import-too-large", "import-wrong-file",
                "import-banded-counts", "import-no-providers", "import-providers-not-listed"}


def tree(folder: Path) -> dict[str, str]:
    """Every file under the folder with the SHA-256 of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def table(folder: Path, rel: str) -> list[dict]:
    with open(folder / rel, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def assert_valid(folder: Path) -> dict:
    """frictionless finds no error, and the package follows the house conventions."""
    report = frictionless.validate(folder / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]
    desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert desc["name"] == folder.name and desc["standard"] == STANDARD_VERSION and desc["licenses"] and desc["title"]
    for res in desc["resources"]:
        std = json.loads((STANDARD_DIR / f"{res['name']}.json").read_text(encoding="utf-8"))
        assert res["schema"] == std and (res["format"], res["mediatype"], res["encoding"]) == ("csv", "text/csv", "utf-8")
        paths = res["path"] if isinstance(res["path"], list) else [res["path"]]
        if res["name"] == "scores":
            assert isinstance(res["path"], list) and paths == sorted(paths)
            assert all(p == f"scores/{p[7:-4]}.csv" for p in paths)
        for rel in paths:
            data = (folder / rel).read_bytes()
            assert b"\r" not in data and not data.startswith(codecs.BOM_UTF8) and data.endswith(b"\n")
            rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
            assert rows[0] == [f["name"] for f in std["fields"]]
            keys = [tuple(r[rows[0].index(k)] for k in std["primaryKey"]) for r in rows[1:]]
            assert keys == sorted(keys) and len(set(keys)) == len(keys)
            if res["name"] == "scores":
                assert {r[2] for r in rows[1:]} == {rel[7:-4]}  # one period per file, named after it
    return desc


def test_importers_raise_only_the_listed_codes():
    # IMPORT_CODES is the list handed to the owner of generator/problems.py to add to CODES.
    src = "".join(p.read_text(encoding="utf-8") for p in (Path(__file__).parents[1] / "generator" / "importers").glob("*.py"))
    assert set(re.findall(r'"(import-[a-z-]+)"', src)) == IMPORT_CODES  # in Problem(...) or InputError(..., code)
    assert IMPORT_CODES <= set(CODES)


def test_unknown_format_and_missing_file(tmp_path):
    out = tmp_path / "pkg"
    summary, problems = run_import("gpps", FFT / "inpatient-2024-08.csv", out, today=TODAY)
    assert [(p.code, p.severity) for p in problems] == [("import-unknown-format", "error")]
    summary, problems = run_import("fft", tmp_path / "nope.csv", out, today=TODAY)
    assert [p.code for p in problems] == ["import-file"]
    assert not out.exists() and summary["files_written"] == []


def test_broken_workbook_and_binary_file(tmp_path):
    bad = tmp_path / "broken.xlsx"
    with open(FFT / "FFT_AE_V1 Aug-24.xlsx", "rb") as fh:
        bad.write_bytes(fh.read()[:2000])  # cut short: not a readable zip
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    for f in (bad, binary):
        _, problems = run_import("fft", f, tmp_path / "pkg", today=TODAY)
        assert [p.code for p in problems] in (["import-file"], ["import-header"]), problems
    assert not (tmp_path / "pkg").exists()


def test_unreadable_package_is_refused(tmp_path):
    out = tmp_path / "pkg"
    out.mkdir()
    (out / "datapackage.json").write_text("{not json", encoding="utf-8")
    _, problems = run_import("fft", FFT / "inpatient-2024-08.csv", out, today=TODAY)
    assert [p.code for p in problems] == ["import-package"]
    assert tree(out) == {"datapackage.json": hashlib.sha256(b"{not json").hexdigest()}


def test_failed_write_leaves_no_temporary_file_and_no_descriptor(tmp_path, monkeypatch):
    import generator.importers.package_io as io_mod

    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return shutil.move(src, dst)

    monkeypatch.setattr(io_mod.os, "replace", failing_replace)
    out = tmp_path / "pkg"
    _, problems = run_import("fft", FFT / "inpatient-2024-08.csv", out, today=TODAY)
    assert [p.code for p in problems] == ["import-write"]
    files = sorted(tree(out))
    assert len(files) == 1 and not any(f.endswith(".tmp") for f in files) and "datapackage.json" not in files


def test_existing_hand_made_resources_are_kept(tmp_path):
    out = tmp_path / "pkg"
    out.mkdir()
    (out / "case-studies.csv").write_bytes(b"id,title\r\nx,y\r\n")  # not ours: must not be rewritten
    desc = {"name": "whatever", "title": "My package", "description": "kept",
            "resources": [{"name": "case-studies", "path": "case-studies.csv"}]}
    (out / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    run_import("fft", FFT / "inpatient-2024-08.csv", out, today=TODAY)
    new = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert new["title"] == "My package" and new["description"] == "kept" and new["name"] == "pkg"
    assert [r["name"] for r in new["resources"]] == ["commissioners", "providers", "measures", "groups", "scores",
                                                     "case-studies", "sources"]
    assert (out / "case-studies.csv").read_bytes() == b"id,title\r\nx,y\r\n"


@pytest.mark.parametrize("year, month, expected", [
    ("2024", "AUGUST", "2024-08"), ("2024-25", "August", "2024-08"), ("2024_25", "MARCH", "2025-03"),
    ("2024/2025", "April", "2024-04"), ("2024-25", "DECEMBER", "2024-12"), ("2024-25", "JANUARY", "2025-01"),
    ("2024", "Sep", "2024-09"), ("2024", "12", "2024-12"), ("2024-26", "MAY", None), ("24", "MAY", None),
    ("2024", "SMARCH", None), ("2024", "13", None), ("", "", None),
])
def test_month_periods(year, month, expected):
    assert parse_month_period(year, month) == expected


def test_dates():
    assert year_of_us_date("3/31/2017") == "2017" and year_of_us_date("31.3.2017") is None
    assert iso_of_ods_date("20240229") == "2024-02-29" and iso_of_ods_date("20230229") is None
