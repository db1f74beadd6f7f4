"""#21: hostile input, second pass. Every case is generated here (no large file is committed) and run through
the command line in a subprocess limited to 1 GB of address space (RLIMIT_AS). Each case asserts its exit
code, its exact problem code and location, and that no traceback appears."""
from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

try:
    from conftest import add_row, copy_minimal, set_cell
except ImportError:  # tests run as a package
    from tests.conftest import add_row, copy_minimal, set_cell

ROOT = Path(__file__).resolve().parents[1]
GB = 1024 ** 3
ODS = ROOT / "tests" / "data" / "real" / "nhs-ods"


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (GB, GB))


def run(*args: str, cwd: Path | None = None) -> tuple[int, str]:
    """python -m generator ARGS under a 1 GB memory limit: (exit code, stdout + stderr); never a traceback."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
               SOURCE_DATE_EPOCH="1735689600")
    p = subprocess.run([sys.executable, "-m", "generator", *map(str, args)], capture_output=True, text=True,
                       preexec_fn=_limit_memory, env=env, cwd=cwd or ROOT, timeout=600)
    out = p.stdout + p.stderr
    assert "Traceback" not in out and "MemoryError" not in out, out[-3000:]
    return p.returncode, out


def validate(pkg: Path) -> tuple[int, dict]:
    # from the package's own folder: a site/ in the project (CI builds one first) is no earlier release of it
    rc, out = run("validate", "--json", Path(pkg).resolve(), cwd=Path(pkg).resolve().parent)
    return rc, json.loads(out[out.index("{"):])


def located(report: dict, code: str) -> list[tuple]:
    return [(p["file"], p["row"], p["field"]) for p in report["problems"] if p["code"] == code]


# --------------------------------------------------------------------------- bounded resources

def test_a_million_line_groups_file_validates_under_1gb_with_capped_problems(tmp_path):
    pkg = copy_minimal(tmp_path)
    (pkg / "groups.csv").write_text("id,dimension,label,seldom_heard\n" + "a\n" * 1_000_000, encoding="utf-8")
    rc, report = validate(pkg)
    assert rc == 1
    assert report["summary"]["missing-cell"] == 3_000_000 and report["summary"]["unique-error"] == 999_999
    listed = [p for p in report["problems"] if p["code"] == "missing-cell"]
    assert len(listed) == 101 and listed[-1]["more"] == 2_999_900
    assert listed[0]["row"] == 2 and listed[0]["file"] == "groups.csv" and listed[0]["field"] == "dimension"
    assert "and 2,999,900 more missing-cell problems like this in groups" in listed[-1]["message"]


def test_a_file_with_too_many_cells_is_refused_before_it_is_parsed(tmp_path):
    from generator.settings import LIMITS
    pkg = copy_minimal(tmp_path)
    n = LIMITS.file_cells // 11 + 1
    (pkg / "scores.csv").write_text("provider,measure,period,group,responses,numerator,mean,se,sd,observed,expected\n"
                                    + "a,a,a,a,a,a,a,a,a,a,a\n" * n, encoding="utf-8")
    rc, report = validate(pkg)
    assert rc == 1 and located(report, "file-too-large") == [("scores.csv", None, "")]
    assert "limit file_cells" in report["problems"][0]["message"] or any(
        "limit file_cells" in p["message"] for p in report["problems"])


def _workbook(rows) -> bytes:
    import openpyxl
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _patch_sheet(data: bytes, fn) -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for i in src.infolist():
            b = src.read(i.filename)
            z.writestr(i.filename, fn(b) if i.filename == "xl/worksheets/sheet1.xml" else b)
    return out.getvalue()


FFT_HEADER = ["Yearnumber", "Periodname", "Parent org code", "Parent name", "Org code", "Org name", "Total Responses",
              "1 Very Good SUM", "2 Good SUM"]


@pytest.mark.parametrize("kind", ["dimension", "unzipped"])
def test_xlsx_bombs_are_refused_before_reading(tmp_path, kind):
    plain = _workbook([FFT_HEADER, [2024, "AUGUST", "QE1", "ICB", "XQA", "A", 100, 80, 10]])
    if kind == "dimension":  # 5 KB declaring A1:XFD1048576, with rows 1 and 1048576
        data = _patch_sheet(plain, lambda b: b.replace(b'<dimension ref="A1:I2" />', b'<dimension ref="A1:XFD1048576"/>')
                            .replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'))
    else:  # a small file that unzips to more than the limit
        data = _patch_sheet(plain, lambda b: b.replace(b"</sheetData>", b"</sheetData>" + b" " * (101 * 1024 * 1024)))
    f = tmp_path / "fft.xlsx"
    f.write_bytes(data)
    assert len(data) < 200_000
    rc, out = run("import", "fft", f, "--into", tmp_path / "pkg", "--service", "inpatient")
    assert rc == 1 and "import-too-large" in out and not (tmp_path / "pkg").exists()
    assert ("declares 1,048,576 rows" if kind == "dimension" else "once unzipped") in out


# --------------------------------------------------------------------------- validation: one code per case

def _commissioner_index(pkg):
    set_cell(pkg, "commissioners.csv", 2, "code", "INDEX")
    set_cell(pkg, "providers.csv", 2, "commissioner", "INDEX")
    set_cell(pkg, "providers.csv", 3, "commissioner", "INDEX")
    return "reserved-name", [("commissioners.csv", 2, "code")]


def _case_study_index(pkg):
    set_cell(pkg, "case-studies.csv", 2, "id", "index")
    set_cell(pkg, "redirects.csv", 2, "to", "index")
    return "reserved-name", [("case-studies.csv", 2, "id")]


def _provider_index(pkg):
    add_row(pkg, "providers.csv", {"code": "INDEX", "name": "Index", "type": "nhs-trust", "commissioner": "QXA",
                                   "region": "North Example"})
    return "reserved-name", [("providers.csv", 4, "code")]


def _expected(value):
    def edit(pkg):
        set_cell(pkg, "scores.csv", 7, "expected", value)
        code = {"0": "expected-not-positive", "1e-300": "ratio-implausible", "1e308": "number-too-large"}[value]
        return code, [("scores.csv", 7, "expected")]
    return edit


def _spread(field, row, value):
    def edit(pkg):
        set_cell(pkg, "scores.csv", row, field, value)
        return "spread-not-positive", [("scores.csv", row, field)]
    return edit


def _group_over_total(pkg):
    set_cell(pkg, "scores.csv", 2, "responses", "9")
    set_cell(pkg, "scores.csv", 2, "numerator", "7")
    set_cell(pkg, "scores.csv", 3, "responses", "30")
    set_cell(pkg, "scores.csv", 3, "numerator", "20")
    return "group-exceeds-total", [("scores.csv", 3, "responses")]


def _dimension_over_total(pkg):
    """Each age group is within XR2's 300, but together they are 350: one person is in one age group."""
    add_row(pkg, "groups.csv", {"id": "age-25-34", "dimension": "age", "label": "Aged 25 to 34", "seldom_heard": "false"})
    add_row(pkg, "scores.csv", {"provider": "XR2", "measure": "fft-inpatient", "period": "2024-01", "group": "age-16-24",
                                "responses": "200", "numerator": "150"})
    row = add_row(pkg, "scores.csv", {"provider": "XR2", "measure": "fft-inpatient", "period": "2024-01",
                                      "group": "age-25-34", "responses": "150", "numerator": "100"})
    return "group-exceeds-total", [("scores.csv", row, "responses")]


def _huge_integer(pkg):
    (pkg / "datapackage.json").write_text((pkg / "datapackage.json").read_text().replace(
        '"name"', '"size": ' + "9" * 5000 + ', "name"', 1))
    return "package-json", [("datapackage.json", None, "")]


def _duplicate_keys(pkg):
    text = (pkg / "datapackage.json").read_text()
    (pkg / "datapackage.json").write_text(text.replace("{", '{"resources": [], ', 1))
    return "package-json", [("datapackage.json", None, "")]


def _fifo(pkg):
    (pkg / "datapackage.json").unlink()
    os.mkfifo(pkg / "datapackage.json")
    return "package-json", [("datapackage.json", None, "")]


def _dev_zero(pkg):
    (pkg / "datapackage.json").unlink()
    (pkg / "datapackage.json").symlink_to("/dev/zero")
    return "package-json", [("datapackage.json", None, "")]


def _symlink_loop(pkg):
    (pkg / "scales.csv").unlink()
    (pkg / "scales.csv").symlink_to("loop.csv")
    (pkg / "loop.csv").symlink_to("scales.csv")
    return "file-missing", [("scales.csv", None, "")]


CASES = {"commissioner INDEX": _commissioner_index, "case study index": _case_study_index,
         "provider INDEX": _provider_index, "expected 0": _expected("0"), "expected 1e-300": _expected("1e-300"),
         "expected 1e308": _expected("1e308"), "group above total": _group_over_total,
         "age groups above total": _dimension_over_total,
         "se 0": _spread("se", 5, "0"), "se 1e-300": _spread("se", 5, "1e-300"),
         "sd 0": _spread("sd", 6, "0"),
         "5,000-digit number": _huge_integer, "duplicate keys": _duplicate_keys, "FIFO descriptor": _fifo,
         "descriptor links to /dev/zero": _dev_zero, "symlink loop": _symlink_loop}


@pytest.mark.parametrize("case", list(CASES))
def test_each_hostile_package_gets_its_located_code(tmp_path, case):
    pkg = copy_minimal(tmp_path)
    code, where = CASES[case](pkg)
    rc, report = validate(pkg)
    assert rc == 1 and located(report, code) == where, report["summary"]


def test_symlink_loop_and_special_files_say_what_they_are(tmp_path):
    pkg = copy_minimal(tmp_path)
    _symlink_loop(pkg)
    _, report = validate(pkg)
    assert "symbolic link that loops" in [p for p in report["problems"] if p["code"] == "file-missing"][0]["message"]
    _fifo(pkg)
    _, report = validate(pkg)
    assert "named pipe (FIFO)" in report["problems"][0]["message"]


def test_a_failed_build_leaves_the_previous_site_untouched(tmp_path):
    pkg = copy_minimal(tmp_path / "dp")
    _commissioner_index(pkg)
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("previous site", encoding="utf-8")
    from generator.build import SITE_MARKER
    (out / SITE_MARKER).write_text("")  # a site this generator published (any other folder is refused)
    rc, text = run("build", "--datapackages", tmp_path / "dp", "--out", out)
    assert rc == 1 and "reserved-name" in text
    assert sorted(p.name for p in out.iterdir()) == sorted([SITE_MARKER, "index.html"])
    assert (out / "index.html").read_text() == "previous site"


# --------------------------------------------------------------------------- imports and the command line

def test_ods_reference_only_folder_is_refused_by_build(tmp_path):
    rc, _ = run("import", "ods-practices", ODS / "epraccur-sample.csv", "--into", tmp_path / "dp" / "gp")
    assert rc == 0
    rc, _ = validate(tmp_path / "dp")
    assert rc == 0  # a reference package on its own is valid
    rc, text = run("build", "--datapackages", tmp_path / "dp", "--out", tmp_path / "site")
    assert rc == 1 and "nothing-to-publish" in text and not (tmp_path / "site").exists()


def test_ods_trusts_refuses_a_practice_file(tmp_path):
    rc, text = run("import", "ods-trusts", ODS / "epraccur-sample.csv", "--into", tmp_path / "pkg")
    assert rc == 1 and "import-wrong-file" in text and "use import ods-practices" in text.replace("\n", " ")
    assert not (tmp_path / "pkg").exists()


def test_cr_inside_a_quoted_import_cell_is_located(tmp_path):
    f = tmp_path / "inpatient.csv"
    f.write_bytes(b"Yearnumber,Periodname,Parent org code,Parent name,Org code,Org name,Total Responses,"
                  b"1 Very Good SUM,2 Good SUM\n2024,AUGUST,QE1,ICB,XQA,\"A\rB\",100,80,10\n")
    rc, text = run("import", "fft", f, "--into", tmp_path / "pkg", "--service", "inpatient")
    assert rc == 1 and "import-bad-value" in text and "universal-newline" not in text and "record 2" in text


@pytest.mark.parametrize("kind", ["file", "dangling link"])
def test_out_that_cannot_be_a_folder_is_a_usage_error(tmp_path, kind):
    out = tmp_path / "out"
    if kind == "file":
        out.write_text("not a site", encoding="utf-8")
    else:
        out.symlink_to(tmp_path / "nowhere")
    rc, text = run("build", "--datapackages", ROOT / "tests" / "packages", "--out", out)
    assert rc == 2 and "--out" in text and (out.read_text() == "not a site" if kind == "file" else out.is_symlink())


def test_a_long_redirect_chain_is_reported_without_walking_it_whole(tmp_path):
    pkg = copy_minimal(tmp_path)
    rows = "from,to\n" + "".join(f"r{i},r{i + 1}\n" for i in range(2000)) + "r2000,listening-to-carers\n"
    (pkg / "redirects.csv").write_text(rows, encoding="utf-8")
    rc, report = validate(pkg)
    assert rc == 1 and report["summary"]["redirect-loop"] == 2000  # each of r0..r1999 is part of a chain
    first = [p for p in report["problems"] if p["code"] == "redirect-loop"][0]
    assert (first["row"], first["field"]) == (2, "to") and "a chain of more than 10 steps" in first["message"]
    assert len(first["message"]) < 200  # the old message listed all 2,000 steps (and took quadratic time)


def test_compare_gives_too_few_for_a_z_that_is_not_finite(tmp_path):
    """Past validation (e.g. a caller with its own data), a tiny se must not raise: the provider is too few."""
    from generator.compute.compare import compare
    from generator.data.validate import validate_paths
    import pandas as pd
    pkg = copy_minimal(tmp_path)
    ds, _ = validate_paths([pkg], today=pd.Timestamp("2025-01-01").date())
    sc = ds["scores"]
    sc["se"] = sc["se"].astype("float64")
    sc.loc[sc["se"].notna(), "se"] = 1e-300
    res = compare(ds).scores.set_index(["provider", "measure"])
    assert res.loc[("XR1", "survey-overall"), "band"] == "too-few"
