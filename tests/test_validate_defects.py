"""One defect per tiny package, each made from the minimal valid package by a helper.

Each case asserts the exact list of errors as (code, row, field): rows as in a
spreadsheet (header = 1), fields = column names, None for problems of the
package or file as a whole.
"""
from __future__ import annotations

import datetime as dt

import pytest
from generator.data.validate import validate_paths

TODAY = dt.date(2025, 1, 1)
SC = "scores.csv"
PR = "providers.csv"


def _key(t):
    return (t[0], -1 if t[1] is None else t[1], t[2])


def _write(p, file, data: bytes):
    (p / file).write_bytes(data)


def _blank_line(p, h):
    rows = h.read_rows(p, SC)
    h.write_rows(p, SC, rows[:3] + [[]] + rows[3:])


def _split_scores(p, h, reorder: bool):
    rows = h.read_rows(p, SC)
    h.write_rows(p, SC, rows[:4])
    second = [rows[0]] + rows[4:]
    if reorder:
        second = [[r[1], r[0]] + r[2:] for r in second]
    h.write_rows(p, "scores-2.csv", second)
    h.set_resource(p, "scores", path=[SC, "scores-2.csv"])


def _set_body(text):
    return lambda p, h: h.set_cell(p, "case-studies.csv", 2, "body", text)


CASES = {
    # header and row structure
    "missing-label": (lambda p, h: h.drop_column(p, "commissioners.csv", "region"), [("missing-label", 1, "region")]),
    "extra-label": (lambda p, h: h.add_column(p, "groups.csv", "colour", "blue"), [("extra-label", 1, "colour")]),
    "duplicate-label": (lambda p, h: h.add_column(p, "commissioners.csv", "name", "again"), [("duplicate-label", 1, "name")]),
    "blank-label": (lambda p, h: h.add_column(p, "commissioners.csv", "", "x"), [("blank-label", 1, "")]),
    "blank-row": (_blank_line, [("blank-row", 4, "")]),
    "blank-row-commas": (lambda p, h: h.add_row(p, "redirects.csv", ["", ""]), [("blank-row", 3, "")]),
    "extra-cell": (lambda p, h: h.edit_text(p, SC, lambda t: t.replace("XR1,fft-inpatient,2024-01,all,412,389,,,,,",
                                                                  "XR1,fft-inpatient,2024-01,all,412,389,,,,,,x")),
                   [("extra-cell", 2, "")]),
    "missing-cell": (lambda p, h: h.edit_text(p, SC, lambda t: t.replace("XR2,fft-inpatient,2024-01,all,300,250,,,,,",
                                                                    "XR2,fft-inpatient,2024-01,all,300,250,,,")),
                     [("missing-cell", 4, "observed"), ("missing-cell", 4, "expected")]),
    "incorrect-label": (lambda p, h: _split_scores(p, h, reorder=True), [("incorrect-label", 1, "measure")]),
    # types
    "type-integer": (lambda p, h: h.set_cell(p, SC, 2, "responses", "abc"), [("type-error", 2, "responses")]),
    "type-integer-decimal": (lambda p, h: h.set_cell(p, SC, 3, "numerator", "35.0"), [("type-error", 3, "numerator")]),
    "type-number": (lambda p, h: h.set_cell(p, PR, 2, "latitude", "north"), [("type-error", 2, "latitude")]),
    "type-date": (lambda p, h: h.set_cell(p, PR, 2, "opened", "01/04/2001"), [("type-error", 2, "opened")]),
    "type-date-impossible": (lambda p, h: h.set_cell(p, "sources.csv", 3, "retrieved", "2024-02-30"), [("type-error", 3, "retrieved")]),
    "type-boolean": (lambda p, h: h.set_cell(p, "groups.csv", 3, "seldom_heard", "yes"), [("type-error", 3, "seldom_heard")]),
    # constraints and keys
    "required": (lambda p, h: h.set_cell(p, "measures.csv", 2, "name", ""), [("constraint-error", 2, "name")]),
    "pattern": (lambda p, h: h.set_cell(p, SC, 3, "period", "2024-13"), [("constraint-error", 3, "period")]),
    "enum": (lambda p, h: h.set_cell(p, PR, 2, "type", "trust"), [("constraint-error", 2, "type")]),
    "minimum": (lambda p, h: h.set_cell(p, SC, 7, "observed", "-1"), [("constraint-error", 7, "observed")]),
    "maximum": (lambda p, h: h.set_cell(p, PR, 3, "latitude", "95"), [("constraint-error", 3, "latitude")]),
    "max-length": (lambda p, h: h.set_cell(p, "commissioners.csv", 2, "name", "N" * 201), [("constraint-error", 2, "name")]),
    "unique": (lambda p, h: h.copy_row(p, "groups.csv", 2), [("unique-error", 4, "id")]),
    "primary-key": (lambda p, h: h.copy_row(p, SC, 2, responses="413", numerator="390"), [("primary-key", 9, "")]),
    # references
    "fk-provider": (lambda p, h: h.set_cell(p, SC, 4, "provider", "XR9"), [("foreign-key", 4, "provider")]),
    "fk-measure": (lambda p, h: h.set_cell(p, SC, 3, "measure", "fft-outpatient"), [("foreign-key", 3, "measure")]),
    "fk-group": (lambda p, h: h.set_cell(p, SC, 3, "group", "age-99"), [("foreign-key", 3, "group")]),
    "fk-commissioner": (lambda p, h: h.set_cell(p, PR, 3, "commissioner", "QXB"), [("foreign-key", 3, "commissioner")]),
    "fk-case-study-list": (lambda p, h: h.set_cell(p, "case-studies.csv", 2, "providers", "XR1 XR7"), [("foreign-key", 2, "providers")]),
    "fk-case-study-measures": (lambda p, h: h.set_cell(p, "case-studies.csv", 2, "measures", "nope fft-inpatient"),
                               [("foreign-key", 2, "measures")]),
    "source-undeclared": (lambda p, h: h.set_cell(p, "measures.csv", 2, "dataset", "fft-weekly"), [("source-undeclared", 2, "dataset")]),
    # domain rules
    "scale-not-mean": (lambda p, h: h.add_row(p, "scales.csv", ["fft-inpatient", "0", "1"]), [("scale-not-mean", 3, "measure")]),
    "scale-order": (lambda p, h: h.set_cell(p, "scales.csv", 2, "maximum", "0"), [("scale-order", 2, "maximum")]),
    "scale-measure-unknown": (lambda p, h: h.set_cell(p, "scales.csv", 2, "measure", "nope"), [("foreign-key", 2, "measure")]),
    "scale-repeated": (lambda p, h: h.add_row(p, "scales.csv", ["survey-overall", "1", "5"]), [("unique-error", 3, "measure")]),
    "scale-of-a-bad-kind": (lambda p, h: h.set_cell(p, "measures.csv", 3, "kind", "Mean"), [("constraint-error", 3, "kind")]),
    "score-outside-scale": (lambda p, h: h.set_cell(p, SC, 5, "mean", "10.5"), [("score-outside-scale", 5, "mean")]),
    "numerator-exceeds": (lambda p, h: h.set_cell(p, SC, 2, "numerator", "500"), [("numerator-exceeds-responses", 2, "numerator")]),
    "kind-missing": (lambda p, h: h.set_cell(p, SC, 2, "numerator", ""), [("kind-column-missing", 2, "numerator")]),
    "kind-extra": (lambda p, h: h.set_cell(p, SC, 5, "numerator", "3"), [("kind-column-extra", 5, "numerator")]),
    "kind-missing-ratio": (lambda p, h: h.set_cell(p, SC, 8, "expected", ""), [("kind-column-missing", 8, "expected")]),
    "se-or-sd": (lambda p, h: h.set_cell(p, SC, 5, "se", ""), [("se-or-sd-missing", 5, "se")]),
    "period-future": (lambda p, h: h.set_cell(p, SC, 5, "period", "2026"), [("period-future", 5, "period")]),
    "period-mixed": (lambda p, h: h.set_cell(p, SC, 3, "period", "2024-Q1"), [("period-mixed", 3, "period")]),
    "after-close": (lambda p, h: h.set_cell(p, SC, 4, "period", "2024-05"), [("after-close", 4, "period")]),
    "opened-after-closed": (lambda p, h: h.set_cell(p, PR, 3, "opened", "2024-04-01"), [("opened-after-closed", 3, "closed")]),
    "code-collision": (lambda p, h: h.copy_row(p, PR, 2, code="ＸＲ１"), [("code-collision", 4, "code"), ("constraint-error", 4, "code")]),
    "code-collision-invisible": (lambda p, h: h.copy_row(p, "groups.csv", 3, id="age-16-24\u200b"),
                                 [("code-collision", 4, "id"), ("constraint-error", 4, "id")]),
    "group-all-missing": (lambda p, h: h.set_cell(p, "groups.csv", 2, "id", "everyone"),
                          [("foreign-key", r, "group") for r in (2, 4, 5, 6, 7, 8)] + [("group-all-missing", None, "id")]),
    "redirect-target-missing": (lambda p, h: h.set_cell(p, "redirects.csv", 2, "to", "no-such-study"), [("redirect-target-missing", 2, "to")]),
    "redirect-chain": (lambda p, h: h.add_row(p, "redirects.csv", ["carers-old", "carers-listening"]), [("redirect-loop", 3, "to")]),
    "redirect-loop": (lambda p, h: h.write_rows(p, "redirects.csv", [["from", "to"], ["a", "b"], ["b", "a"]]),
                      [("redirect-loop", 2, "to"), ("redirect-loop", 3, "to")]),
    "redirect-from-current": (lambda p, h: h.add_row(p, "redirects.csv", ["listening-to-carers", "carers-listening"]),
                              [("redirect-from-current", 3, "from"), ("redirect-loop", 3, "to")]),
    # the package and its files
    "licence-missing": (lambda p, h: h.edit_descriptor(p, lambda d: d.__setitem__("licenses", [])), [("licence-missing", None, "licenses")]),
    "title-missing": (lambda p, h: h.edit_descriptor(p, lambda d: d.pop("title")), [("package-descriptor", None, "title")]),
    "standard-version": (lambda p, h: h.edit_descriptor(p, lambda d: d.__setitem__("standard", "2.0")), [("standard-version", None, "standard")]),
    "resource-unknown": (lambda p, h: h.edit_descriptor(p, lambda d: d["resources"].append({"name": "patients", "path": "groups.csv"})),
                         [("resource-unknown", None, "name")]),
    "resource-duplicate": (lambda p, h: h.edit_descriptor(p, lambda d: d["resources"].append({"name": "groups", "path": "groups.csv"})),
                           [("resource-duplicate", None, "name")]),
    "schema-mismatch": (lambda p, h: h.set_resource(p, "groups", schema={"fields": [
        {"name": "id", "type": "string", "constraints": {"required": True, "unique": True, "pattern": "^[a-z0-9][a-z0-9-]{0,62}$"}},
        {"name": "dimension", "type": "string", "constraints": {"required": True, "pattern": "^[a-z0-9][a-z0-9-]{0,62}$"}},
        {"name": "label", "type": "string", "constraints": {"required": True, "maxLength": 100}},
        {"name": "seldom_heard", "type": "string", "constraints": {"required": True}}]}),
        [("schema-mismatch", None, "seldom_heard")]),
    "unsafe-path-parent": (lambda p, h: h.set_resource(p, "redirects", path="../redirects.csv"), [("unsafe-path", None, "path")]),
    "unsafe-path-absolute": (lambda p, h: h.set_resource(p, "redirects", path="/etc/passwd"), [("unsafe-path", None, "path")]),
    "unsafe-path-url": (lambda p, h: h.set_resource(p, "redirects", path="https://example.org/redirects.csv"), [("unsafe-path", None, "path")]),
    "file-missing": (lambda p, h: h.set_resource(p, "redirects", path="nope.csv"), [("file-missing", None, "")]),
    "binary-csv": (lambda p, h: _write(p, "redirects.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), [("encoding-error", 1, "")]),
    "spreadsheet-csv": (lambda p, h: _write(p, "redirects.csv", b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256))), [("encoding-error", 1, "")]),
    "not-utf8": (lambda p, h: _write(p, "redirects.csv", "from,to\ncaf\xe9,listening-to-carers\n".encode("latin-1")), [("encoding-error", 2, "")]),
    "utf16": (lambda p, h: _write(p, "redirects.csv", "from,to\n".encode("utf-16")), [("encoding-error", 1, "")]),
    "empty-file": (lambda p, h: _write(p, "redirects.csv", b""), [("source-error", 1, "")]),
    "unclosed-quote": (lambda p, h: _write(p, "redirects.csv", b'from,to\n"carers-listening,listening-to-carers\n'), [("source-error", 2, "")]),
    "broken-json": (lambda p, h: h.edit_text(p, "datapackage.json", lambda t: t[: len(t) // 2]), [("package-json", None, "")]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_one_defect(name, tmp_path, pkgtools):
    mutate, expected = CASES[name]
    pkg = pkgtools.copy_minimal(tmp_path)
    mutate(pkg, pkgtools)
    _, problems = validate_paths([pkg], today=TODAY)
    assert pkgtools.errors_of(problems) == sorted(expected, key=_key)


def test_at_least_thirty_defects():
    assert len(CASES) >= 30


def test_multi_file_rows_count_per_file(tmp_path, pkgtools):
    h = pkgtools
    pkg = h.copy_minimal(tmp_path)
    _split_scores(pkg, h, reorder=False)
    h.set_cell(pkg, "scores-2.csv", 2, "responses", "many")  # the 4th data row overall, row 2 of its own file
    _, problems = validate_paths([pkg], today=TODAY)
    assert [(p.code, p.file, p.row, p.field) for p in problems] == [("type-error", "scores-2.csv", 2, "responses")]
    assert "value 'many' in field responses is not an integer" in problems[0].message


def test_broken_json_gives_no_dataset(tmp_path, pkgtools):
    pkg = pkgtools.copy_minimal(tmp_path)
    CASES["broken-json"][0](pkg, pkgtools)
    dataset, problems = validate_paths([pkg], today=TODAY)
    assert dataset is None
    assert problems[0].file == "datapackage.json" and "line" in problems[0].message


UNSAFE_BODIES = {
    "html": "Hello <script>alert(1)</script>",
    "link": "See [this](javascript:alert(1)).",
    "entity": "See [this](&#106;avascript:alert(1)).",
}


@pytest.mark.parametrize("name", sorted(UNSAFE_BODIES))
def test_unsafe_markdown_is_a_located_warning(name, tmp_path, pkgtools):
    """Raw HTML or a script link in a body is reported, but published as inert text (not a release blocker)."""
    pkg = pkgtools.copy_minimal(tmp_path)
    _set_body(UNSAFE_BODIES[name])(pkg, pkgtools)
    _, problems = validate_paths([pkg], today=TODAY)
    assert pkgtools.errors_of(problems) == []
    warned = [(p.code, p.row, p.field) for p in problems if p.severity == "warning" and p.code == "unsafe-markdown"]
    assert warned == [("unsafe-markdown", 2, "body")]


def test_a_csv_file_no_resource_lists_is_named_with_the_entry_to_add(tmp_path, pkgtools):
    """Review 19: a benchmarks.csv copied into a package was silently ignored."""
    pkg = pkgtools.copy_minimal(tmp_path)
    (pkg / "benchmarks.csv").write_text("measure,period,value,label\n", encoding="utf-8")
    (pkg / "old").mkdir()
    (pkg / "old" / "notes 2023.csv").write_text("x\n", encoding="utf-8")
    (pkg / ".git").mkdir()
    (pkg / ".git" / "stash.csv").write_text("x\n", encoding="utf-8")
    _, problems = validate_paths([pkg], today=TODAY)
    assert pkgtools.errors_of(problems) == []
    warned = [(p.code, p.file, p.severity) for p in problems if p.code == "file-unlisted"]
    assert warned == [("file-unlisted", "benchmarks.csv", "warning"), ("file-unlisted", "old/notes 2023.csv", "warning")]
    first = next(p for p in problems if p.code == "file-unlisted")
    assert '{"name": "benchmarks", "path": "benchmarks.csv"}' in first.message
    assert '"<resource>"' in [p for p in problems if p.code == "file-unlisted"][1].message


def test_listed_files_are_not_unlisted(tmp_path, pkgtools):
    """Resources' files, and files an extension property names (the HCAHPS importer's stars.csv, review 19)."""
    pkg = pkgtools.copy_minimal(tmp_path)
    (pkg / "stars.csv").write_text("provider,stars\n", encoding="utf-8")
    pkgtools.edit_descriptor(pkg, lambda d: d.__setitem__("x-cms-star-ratings", {"path": "stars.csv"}))
    _, problems = validate_paths([pkg], today=TODAY)
    assert [p for p in problems if p.code == "file-unlisted"] == []
    pkgtools.edit_descriptor(pkg, lambda d: d.__setitem__("x-cms-star-ratings", {"path": "other.csv"}))
    _, problems = validate_paths([pkg], today=TODAY)
    assert [p.file for p in problems if p.code == "file-unlisted"] == ["stars.csv"]
