"""Differential test: our structural, type, constraint and key findings equal frictionless-py's.

Mutated samples of the minimal package (seeded, single-file resources, so row
numbers mean the same to both) are validated by validate_paths and by
frictionless.validate with the standard's schemas plus the foreign keys we
check. Compared: the set of (resource, code, row, field) for the checks both
make. Frictionless findings that our documented rule "one defect, one problem"
leaves out are removed first (see generator.data.validate's docstring): a blank
row's primary-key error, a missing cell's required error, a primary-key error
that repeats a unique-error or whose key has an empty or missing cell, a
foreign-key error on a cell that already breaks its own type or constraints.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import shutil
from pathlib import Path

import pytest

from generator.data.schema_check import standard_schema
from generator.data.validate import validate_paths

frictionless = pytest.importorskip("frictionless")

MINIMAL = Path(__file__).resolve().parent / "packages" / "minimal"
TODAY = dt.date(2025, 1, 1)
COMMON = {"missing-label", "extra-label", "duplicate-label", "blank-row", "extra-cell", "missing-cell", "type-error",
          "constraint-error", "unique-error", "primary-key", "foreign-key"}
FOREIGN_KEYS = {"scores": [("provider", "providers", "code"), ("measure", "measures", "id"), ("group", "groups", "id")],
                "providers": [("commissioner", "commissioners", "code")], "measures": [("dataset", "sources", "id")]}
VALUES = {  # values both tools read the same way (no documented differences such as 2024-1-5 or 1_000)
    "integer": ["abc", "1.5", "-3", " 7 ", "+4", "", "99999", "0"],
    "number": ["x", "-1", "95", "1e2", "", ".5", "-200"],
    "date": ["2024-13-01", "2024-02-30", "yesterday", "", "2023-06-15"],
    "boolean": ["yes", "TRUE", "0", "", "false"],
    "string": ["", "N" * 250, "XR1", "bad value!", "fft-inpatient", "all", "QXB", "xr1", "inpatient", "2024-Q5", "XR2"],
}
SAMPLES = 30
QUICK_SAMPLES = 5  # the first samples run in the quick subset; the others are marked slow


def _rows(folder: Path, name: str) -> list[list[str]]:
    with open(folder / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _write(folder: Path, name: str, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (folder / f"{name}.csv").write_text(buf.getvalue(), encoding="utf-8")


def mutate(folder: Path, rng: random.Random) -> list[str]:
    """Apply one random mutation to one resource; returns a description."""
    name = rng.choice(["commissioners", "providers", "measures", "groups", "scores", "case-studies", "redirects", "sources"])
    rows = _rows(folder, name)
    fields = {f["name"]: f for f in standard_schema(name)["fields"]}
    r = rng.randrange(1, len(rows))
    hows = ["cell", "cell", "cell", "cell", "cut", "extend", "blank", "copy"]
    if rows[0] == list(fields) and len(rows[0]) > 2:  # columns are matched by name, frictionless matches by position
        hows += ["drop-column", "add-column"]
    how = rng.choice(hows)
    if how == "cut" and len(rows[r]) < 2:
        how = "extend"
    if how == "cell":
        col = rng.randrange(min(len(rows[0]), len(rows[r])) or 1)
        rows[r] += [""] * (col + 1 - len(rows[r]))
        value = rng.choice(VALUES[fields.get(rows[0][col], {}).get("type", "string")])
        rows[r][col] = value
        what = f"{name} row {r + 1} {rows[0][col]}={value!r}"
    elif how == "cut":
        rows[r] = rows[r][: rng.randrange(1, len(rows[r]))]
        what = f"{name} row {r + 1} cut to {len(rows[r])} cells"
    elif how == "extend":
        rows[r] = rows[r] + ["x"] * rng.randrange(1, 3)
        what = f"{name} row {r + 1} extended"
    elif how == "blank":
        rows.insert(r, rng.choice([[], [""] * len(rows[0])]))
        what = f"{name} blank row {r + 1}"
    elif how == "copy":
        rows.append(list(rows[r]))
        what = f"{name} row {r + 1} copied to the end"
    elif how == "drop-column":
        rows = [row[:-1] for row in rows]
        what = f"{name} last column dropped"
    else:
        rows = [rows[0] + ["colour"]] + [row + ["blue"] for row in rows[1:]]
        what = f"{name} column added"
    _write(folder, name, rows)
    return [what]


def ours(folder: Path) -> set[tuple]:
    _, problems = validate_paths([folder], today=TODAY)
    out = set()
    for p in problems:
        code = "foreign-key" if p.code == "source-undeclared" else p.code
        if code in COMMON and not (p.resource == "case-studies" and code == "foreign-key"):
            out.add((p.resource, code, p.row, p.field))
    return out


def theirs(folder: Path) -> set[tuple]:
    desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    desc.pop("standard")
    single_unique, pks = set(), {}
    for r in desc["resources"]:
        r["schema"] = standard_schema(r["name"])
        first = r["path"][0] if isinstance(r["path"], list) else r["path"]
        header = (folder / first).read_text(encoding="utf-8").split("\n", 1)[0].split(",") if (folder / first).is_file() else []
        r["schema"]["fields"] = [f for f in r["schema"]["fields"] if not f.get("optional") or f["name"] in header]  # a 1.3 column
        r["dialect"] = {"delimiter": ",", "quoteChar": '"', "header": True}  # no sniffing
        r["schema"]["foreignKeys"] = [{"fields": f, "reference": {"resource": t, "fields": k}} for f, t, k in FOREIGN_KEYS.get(r["name"], [])]
        pk = pks[r["name"]] = r["schema"]["primaryKey"]
        if len(pk) == 1 and next(f for f in r["schema"]["fields"] if f["name"] == pk[0]).get("constraints", {}).get("unique"):
            single_unique.add(r["name"])
    report = frictionless.Package.from_descriptor(desc, basepath=str(folder)).validate()
    found = set()
    for task in report.tasks:
        for e in task.errors:
            if e.type not in COMMON:
                continue
            if e.type in ("missing-label", "extra-label", "duplicate-label"):
                found.add((task.name, e.type, 1, e.field_name if e.type == "missing-label" else e.label))
            elif e.type == "foreign-key":
                found.add((task.name, e.type, e.row_number, e.field_names[0]))
            else:
                found.add((task.name, e.type, e.row_number, "" if e.type in ("primary-key", "extra-cell", "blank-row") else e.field_name))
    blank = {(r, n) for r, t, n, _ in found if t == "blank-row"}
    keyless = {(r, n) for r, t, n, f in found if t in ("missing-cell", "constraint-error") and f in pks[r]}
    missing = {(r, n, f) for r, t, n, f in found if t == "missing-cell"}
    bad = {(r, n, f) for r, t, n, f in found if t in ("type-error", "constraint-error")}
    return {e for e in found if not (
        (e[1] == "primary-key" and ((e[0], e[2]) in blank | keyless or e[0] in single_unique))
        or (e[1] == "constraint-error" and (e[0], e[2], e[3]) in missing)
        or (e[1] == "foreign-key" and (e[0], e[2], e[3]) in bad))}


def test_minimal_package_is_valid_for_both():
    assert ours(MINIMAL) == set() == theirs(MINIMAL)


@pytest.mark.parametrize("seed", [s if s < QUICK_SAMPLES else pytest.param(s, marks=pytest.mark.slow)
                                  for s in range(SAMPLES)])
def test_same_findings_as_frictionless(seed, tmp_path):
    folder = tmp_path / "minimal"
    shutil.copytree(MINIMAL, folder)
    rng = random.Random(seed)
    done = mutate(folder, rng) + mutate(folder, rng) + mutate(folder, rng)
    expected = theirs(folder)
    assert expected, f"the mutations {done} should break something"
    assert sorted(ours(folder), key=str) == sorted(expected, key=str), done
