"""Random corruption of the minimal package: validation never raises, and locates what it finds.

Corruptions whose invalidity is certain by construction (a letter in a typed
cell, a "!" in a coded field, an emptied required cell, a cut row, a NUL or
non-UTF-8 byte, a truncated descriptor) must each give at least one error in
the corrupted file (at the corrupted row for cell corruptions). Random bytes
and random JSON values, whose validity is unknown, must still give only
documented, located problems.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.problems import CODES
from generator.data.schema_check import standard_schema
from generator.data.validate import validate_paths

MINIMAL = Path(__file__).resolve().parent / "packages" / "minimal"
TODAY = dt.date(2025, 1, 1)
CSV_FILES = sorted(p.name for p in MINIMAL.glob("*.csv"))
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


def _rows(name: str) -> list[list[str]]:
    with open(MINIMAL / name, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _write_rows(folder: Path, name: str, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (folder / name).write_text(buf.getvalue(), encoding="utf-8")


def _fields(name: str) -> dict[str, dict]:
    return {f["name"]: f for f in standard_schema(name[:-4])["fields"]}


def _validate(mutate) -> list:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "minimal"
        shutil.copytree(MINIMAL, folder)
        mutate(folder)
        dataset, problems = validate_paths([folder], today=TODAY)
    for p in problems:
        assert p.code in CODES and p.severity in ("error", "warning") and p.message.strip()
        assert p.package or p.file, p  # every problem says where
    return problems


@st.composite
def certain_cell_defects(draw):
    """(file, row, field, new value) that no reading of the standard accepts."""
    name = draw(st.sampled_from(CSV_FILES))
    rows = _rows(name)
    fields = _fields(name)
    row = draw(st.integers(2, len(rows)))
    candidates = []
    for col in rows[0]:
        f = fields[col]
        cons = f.get("constraints", {})
        if f.get("type", "string") != "string":
            candidates.append((col, "typed"))
        if "pattern" in cons:
            candidates.append((col, "pattern"))
        if cons.get("required"):
            candidates.append((col, "required"))
    col, how = draw(st.sampled_from(candidates))
    text = draw(TEXT)
    if how == "typed":
        value = text[: len(text) // 2] + draw(st.sampled_from("zqjk#@")) + text[len(text) // 2:]
    elif how == "pattern":
        old = rows[row - 1][rows[0].index(col)]
        cut = draw(st.integers(0, len(old)))
        value = old[:cut] + "!" + old[cut:]
    else:
        value = ""
    return name, row, col, value


@SETTINGS
@given(certain_cell_defects())
def test_bad_cells_are_found_where_they_are(defect):
    name, row, col, value = defect

    def mutate(folder):
        rows = _rows(name)
        rows[row - 1][rows[0].index(col)] = value
        _write_rows(folder, name, rows)

    problems = _validate(mutate)
    assert any(p.severity == "error" and p.file == name and p.row == row for p in problems), (defect, problems)


@SETTINGS
@given(st.sampled_from(CSV_FILES), st.data())
def test_cut_or_extended_rows_are_found(name, data):
    rows = _rows(name)
    row = data.draw(st.integers(2, len(rows)))
    cut = data.draw(st.booleans())

    def mutate(folder):
        new = [list(r) for r in rows]
        new[row - 1] = new[row - 1][:-1] if cut else new[row - 1] + [data.draw(TEXT)]
        _write_rows(folder, name, new)

    problems = _validate(mutate)
    code = "missing-cell" if cut else "extra-cell"
    assert any(p.code == code and p.file == name and p.row == row for p in problems)


@SETTINGS
@given(st.sampled_from(CSV_FILES), st.data())
def test_binary_or_non_utf8_bytes_are_found(name, data):
    raw = (MINIMAL / name).read_bytes()
    at = data.draw(st.integers(0, len(raw)))
    bad = data.draw(st.sampled_from([b"\x00", b"\xff", b"\xc3\x28", b"\xed\xa0\x80"]))
    problems = _validate(lambda folder: (folder / name).write_bytes(raw[:at] + bad + raw[at:]))
    mine = [p for p in problems if p.file == name]
    assert [p.code for p in mine] == ["encoding-error"]  # other files may only show consequences (e.g. a redirect's target)
    assert mine[0].row in (raw[:at].count(b"\n") + 1, 1)


@SETTINGS
@given(st.data())
def test_truncated_descriptor_is_found(data):
    raw = (MINIMAL / "datapackage.json").read_bytes()
    at = data.draw(st.integers(0, raw.rindex(b"}") - 1))
    problems = _validate(lambda folder: (folder / "datapackage.json").write_bytes(raw[:at]))
    assert [(p.code, p.file) for p in problems] == [("package-json", "datapackage.json")]


@SETTINGS
@given(st.sampled_from(CSV_FILES + ["datapackage.json"]), st.data())
def test_random_bytes_never_raise(name, data):
    raw = (MINIMAL / name).read_bytes()
    start = data.draw(st.integers(0, len(raw)))
    end = data.draw(st.integers(start, min(len(raw), start + 16)))
    junk = data.draw(st.binary(max_size=16))
    _validate(lambda folder: (folder / name).write_bytes(raw[:start] + junk + raw[end:]))


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3), max_leaves=8)


@SETTINGS
@given(st.data())
def test_random_descriptor_values_never_raise(data):
    desc = json.loads((MINIMAL / "datapackage.json").read_text(encoding="utf-8"))
    target = data.draw(st.sampled_from(["package", "resource"]))
    obj = desc if target == "package" else data.draw(st.sampled_from(desc["resources"]))
    key = data.draw(st.sampled_from(sorted(obj) + ["schema", "example", "dialect"]))
    obj[key] = data.draw(JSON)
    problems = _validate(lambda folder: (folder / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8"))
    if key in ("name", "path", "resources", "licenses", "standard") and obj[key] in (None, [], {}, 0, ""):
        assert any(p.severity == "error" for p in problems)
