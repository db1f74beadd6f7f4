"""validate_paths on the minimal package, across packages, warnings, the Dataset it returns, and problem codes."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from generator.data.dataset import RESOURCES
from generator.problems import CODES
from generator.data.validate import validate_paths

TODAY = dt.date(2025, 1, 1)
GENERATOR = Path(__file__).resolve().parent.parent / "generator"
MINIMAL_PACKAGE = Path(__file__).resolve().parent / "packages" / "minimal"


def test_minimal_package_is_valid_without_warnings():
    dataset, problems = validate_paths([MINIMAL_PACKAGE], today=TODAY)
    assert problems == []
    assert sorted(dataset.tables) == sorted(RESOURCES)
    assert [p.name for p in dataset.packages] == ["minimal"]


def test_a_package_of_standard_1_0_is_still_read(tmp_path):
    import shutil
    pkg = tmp_path / "old"
    shutil.copytree(MINIMAL_PACKAGE, pkg)
    d = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    d["standard"] = "1.0"
    d["resources"] = [r for r in d["resources"] if r["name"] != "scales"]  # 1.1 added scales
    (pkg / "datapackage.json").write_text(json.dumps(d), encoding="utf-8")
    (pkg / "scales.csv").unlink()
    dataset, problems = validate_paths([pkg], today=TODAY)
    assert problems == [] and len(dataset["scales"]) == 0


def test_dataset_types_and_values():
    dataset, _ = validate_paths([MINIMAL_PACKAGE], today=TODAY)
    s = dataset["scores"]
    assert list(s.columns) == ["provider", "measure", "period", "group", "responses", "numerator", "mean", "se", "sd",
                               "observed", "expected", "published", "_package"]  # published: optional, 1.4
    assert str(s["responses"].dtype) == "Int64" and s["responses"].tolist() == [412, 40, 300, 500, 450, 1000, 900]
    assert s["numerator"].isna().tolist() == [False, False, False, True, True, True, True]
    assert s["mean"].dtype == np.float64 and s["mean"].iloc[3] == 8.1 and np.isnan(s["mean"].iloc[0])
    assert s["provider"].tolist()[:3] == ["XR1", "XR1", "XR2"] and set(s["_package"]) == {"minimal"}
    p = dataset["providers"]
    assert p["closed"].iloc[1] == pd.Timestamp("2024-03-31") and pd.isna(p["closed"].iloc[0])
    assert str(p["opened"].dtype).startswith("datetime64")
    assert dataset["groups"]["seldom_heard"].tolist() == [False, True] and dataset["groups"]["seldom_heard"].dtype == bool
    assert dataset["case-studies"]["body"].iloc[0].startswith("## What we did\n\nStaff met carers")


def test_package_info_records_files_and_licences():
    dataset, _ = validate_paths([MINIMAL_PACKAGE], today=TODAY)
    info = dataset.packages[0]
    assert info.licenses == [{"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0"}]
    assert info.example is False and info.title == "Minimal valid package (test fixture)"
    expected = hashlib.sha256((MINIMAL_PACKAGE / "scores.csv").read_bytes()).hexdigest()
    assert info.files["scores.csv"] == expected
    optional_12 = {"postcode-districts", "notes", "benchmarks", "ratings"}  # standards 1.2 to 1.4 added them; the fixture is a 1.1 package
    assert sorted(info.files) == sorted(["datapackage.json"] + [f"{r}.csv" for r in RESOURCES if r not in optional_12])


def _split(tmp_path, h) -> tuple[Path, Path]:
    """The minimal package as two packages: organisations and lookups in one, scores and case studies in the other."""
    org, data = h.copy_minimal(tmp_path, "org"), h.copy_minimal(tmp_path, "data")
    h.keep_resources(org, ["commissioners", "providers", "measures", "groups", "sources"])
    h.keep_resources(data, ["scores", "case-studies", "redirects"])
    return org, data


def test_references_resolve_across_packages(tmp_path, pkgtools):
    h = pkgtools
    org, data = _split(tmp_path, h)
    dataset, problems = validate_paths([org, data], today=TODAY)
    assert problems == []
    assert set(dataset["scores"]["_package"]) == {"data"} and set(dataset["providers"]["_package"]) == {"org"}


def test_a_folder_of_packages_is_searched_one_level_down(tmp_path, pkgtools):
    h = pkgtools
    _split(tmp_path, h)
    dataset, problems = validate_paths([tmp_path], today=TODAY)
    assert problems == [] and [p.name for p in dataset.packages] == ["data", "org"]


def test_scores_without_their_providers_fail(tmp_path, pkgtools):
    h = pkgtools
    _, data = _split(tmp_path, h)
    _, problems = validate_paths([data], today=TODAY)
    assert h.errors_of(problems) == [("foreign-key", None, "group"), ("foreign-key", None, "measure"),
                                   ("foreign-key", None, "measures"), ("foreign-key", None, "provider"),
                                   ("foreign-key", None, "providers"), ("group-all-missing", None, "id")]
    assert "no package has a providers resource" in next(p.message for p in problems if p.field == "provider")


def test_provider_defined_in_two_packages(tmp_path, pkgtools):
    h = pkgtools
    a, b = h.copy_minimal(tmp_path, "a"), h.copy_minimal(tmp_path, "b")
    h.keep_resources(b, ["commissioners", "providers"])
    _, problems = validate_paths([a, b], today=TODAY)
    assert [(p.code, p.package, p.row, p.field) for p in problems if p.severity == "error"] == [
        ("provider-duplicate", "b", 2, "code"), ("provider-duplicate", "b", 3, "code")]
    assert "also defined in row 2 of providers.csv in package a" in problems[0].message


def test_shared_lookups_may_repeat_only_when_identical(tmp_path, pkgtools):
    h = pkgtools
    a, b = h.copy_minimal(tmp_path, "a"), h.copy_minimal(tmp_path, "b")
    h.keep_resources(b, ["groups", "measures", "sources"])
    assert validate_paths([a, b], today=TODAY)[1] == []
    h.set_cell(b, "groups.csv", 3, "label", "Aged 16-24")
    _, problems = validate_paths([a, b], today=TODAY)
    assert [(p.code, p.package, p.row, p.field) for p in problems] == [("definition-conflict", "b", 3, "label")]


def test_scores_repeated_in_another_package(tmp_path, pkgtools):
    h = pkgtools
    a, b = h.copy_minimal(tmp_path, "a"), h.copy_minimal(tmp_path, "b")
    h.keep_resources(b, ["scores"])
    _, problems = validate_paths([a, b], today=TODAY)
    assert [(p.code, p.package, p.row) for p in problems] == [("primary-key", "b", r, ) for r in range(2, 9)]
    assert "in package a" in problems[0].message


def test_a_key_repeated_in_another_package_is_found_when_one_value_is_shared(tmp_path, pkgtools):
    """merge() looks for keys repeated across packages only when no key column keeps the packages apart
    (schema_check.apart, issue 20: at England scale the sources' measures never meet): one period in common is
    enough to look, and the one repeated key is reported; with none in common there is nothing to report."""
    h = pkgtools
    a, b = h.copy_minimal(tmp_path, "a"), h.copy_minimal(tmp_path, "b")
    h.keep_resources(b, ["scores"])
    later = {"2024-01": "2024-02", "2023": "2022"}
    for row in range(3, 9):
        h.set_cell(b, "scores.csv", row, "period", later[h.read_rows(b, "scores.csv")[row - 1][2]])
    _, problems = validate_paths([a, b], today=TODAY)
    assert [(p.code, p.package, p.row) for p in problems if p.code == "primary-key"] == [("primary-key", "b", 2)]
    h.set_cell(b, "scores.csv", 2, "period", "2024-02")
    _, problems = validate_paths([a, b], today=TODAY)
    assert [p for p in problems if p.code == "primary-key"] == []


def test_two_packages_with_one_name(tmp_path, pkgtools):
    h = pkgtools
    a, b = h.copy_minimal(tmp_path, "a"), h.copy_minimal(tmp_path, "b")
    h.keep_resources(b, ["redirects"])
    h.edit_descriptor(b, lambda d: d.__setitem__("name", "a"))
    h.set_cell(b, "redirects.csv", 2, "from", "old-carers")
    _, problems = validate_paths([a, b], today=TODAY)
    assert h.errors_of(problems) == [("package-duplicate", None, "name")]


def test_warnings_do_not_make_data_invalid(tmp_path, pkgtools):
    h = pkgtools
    pkg = h.copy_minimal(tmp_path)
    h.edit_descriptor(pkg, lambda d: d.__setitem__("example", True))
    h.copy_row(pkg, "providers.csv", 2, code="XR3", name="Quiet Hospital")
    h.copy_row(pkg, "measures.csv", 2, id="fft-unused")
    _, problems = validate_paths([pkg], today=TODAY)
    assert h.errors_of(problems) == []
    assert h.warnings_of(problems) == [("example-data", None, ""), ("measure-no-scores", 5, "id"), ("provider-no-scores", 4, "code")]


def test_published_case_study_must_stay_or_redirect(minimal_package, pkgtools):
    h = pkgtools
    _, problems = validate_paths([minimal_package], today=TODAY, published_ids={"listening-to-carers", "carers-listening"})
    assert problems == []
    _, problems = validate_paths([minimal_package], today=TODAY, published_ids={"listening-to-carers", "gone-study"})
    assert h.errors_of(problems) == [("case-study-removed", None, "id")] and "'gone-study'" in problems[0].message


def test_every_problem_is_reported_not_the_first(minimal_package, pkgtools):
    h = pkgtools
    for row in range(2, 9):
        h.set_cell(minimal_package, "scores.csv", row, "responses", f"x{row}")
    h.add_row(minimal_package, "scores.csv", ["XR1", "fft-inpatient", "2024-02", "all", "10", "11", "", "", "", "", ""])
    _, problems = validate_paths([minimal_package], today=TODAY)
    assert h.errors_of(problems) == [("numerator-exceeds-responses", 9, "numerator")] + [("type-error", r, "responses") for r in range(2, 9)]


def test_period_future_depends_on_today(minimal_package, pkgtools):
    h = pkgtools
    h.set_cell(minimal_package, "scores.csv", 5, "period", "2025")
    assert h.errors_of(validate_paths([minimal_package], today=dt.date(2024, 12, 31))[1]) == [("period-future", 5, "period")]
    assert h.errors_of(validate_paths([minimal_package], today=dt.date(2025, 1, 1))[1]) == []


def test_missing_paths_are_reported(tmp_path):
    dataset, problems = validate_paths([tmp_path / "nowhere"], today=TODAY)
    assert dataset is None and [p.code for p in problems] == ["package-missing"]
    dataset, problems = validate_paths([tmp_path], today=TODAY)
    assert dataset is None and [p.code for p in problems] == ["package-missing"]


# problem codes

def test_every_code_is_documented():
    for code, (title, hint) in CODES.items():
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", code), code
        assert title.strip() and hint.strip(), code


CODE_PATTERNS = [
    r'Problem\(\s*"([^"]+)"',                               # Problem("code", ...)
    r'(?:\bt\.(?:add|cells)|(?<![.\w])add)\(\s*"([^"]+)"',   # t.add("code", ...), t.cells(...), add("code", ...)
    r'\bemit\(\s*\w+,\s*(?:\w+|"[^"]*"),\s*"([^"]+)"',       # emit(table, resource, "code", ...)
    r'\bcode(?:\s*:\s*str)?\s*=\s*"([^"]+)"',                  # code="..." arguments and defaults
    r'return\s+"([a-z]+-[a-z-]+)",\s*f?"',                     # return "code", "message"
]


def _codes_in_source() -> set[str]:
    """Problem codes written in generator/ (greps the source for the ways problems are made)."""
    found = set()
    for path in sorted(GENERATOR.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for pattern in CODE_PATTERNS:
            found.update(re.findall(pattern, text))
    return found


def test_every_code_used_in_the_source_is_listed():
    used = _codes_in_source()
    assert {"type-error", "unsafe-path", "provider-no-scores", "encoding-error", "foreign-key", "source-undeclared"} <= used
    assert len(used) > 45
    assert sorted(used - set(CODES)) == []


def test_problem_json_and_codes_are_stable(minimal_package, pkgtools):
    h = pkgtools
    h.set_cell(minimal_package, "scores.csv", 2, "responses", "abc")
    _, problems = validate_paths([minimal_package], today=TODAY)
    d = problems[0].as_dict()
    assert json.loads(json.dumps(d))["hint"] == CODES["type-error"][1]
