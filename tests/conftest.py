"""Shared test helpers and fixtures. Keep each owner's helpers in their own section."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

# ---------------------------------------------------------------------------
# Validation: tiny data packages built from one minimal valid package
# (tests/packages/minimal, written for these tests; every resource, two
# providers, one measure of each kind). Helpers take a package folder and a
# file name as written in its datapackage.json; rows are numbered as in
# problems (header = row 1, first data row = 2).
# ---------------------------------------------------------------------------

MINIMAL_PACKAGE = Path(__file__).parent / "packages" / "minimal"
VALIDATION_TODAY = "2025-01-01"  # the date validation tests pass as `today`


def copy_minimal(dest: Path, name: str = "minimal") -> Path:
    """A fresh copy of the minimal valid package at dest/name (its descriptor named `name`)."""
    folder = Path(dest) / name
    shutil.copytree(MINIMAL_PACKAGE, folder)
    if name != "minimal":
        edit_descriptor(folder, lambda d: d.__setitem__("name", name))
    return folder


def read_rows(pkg: Path, file: str) -> list[list[str]]:
    """All rows of a CSV file of the package, header first."""
    with open(Path(pkg) / file, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def write_rows(pkg: Path, file: str, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (Path(pkg) / file).write_text(buf.getvalue(), encoding="utf-8")


def set_cell(pkg: Path, file: str, row: int, field: str, value: str) -> None:
    """Set one cell; row is the file's row number (2 = first data row)."""
    rows = read_rows(pkg, file)
    rows[row - 1][rows[0].index(field)] = value
    write_rows(pkg, file, rows)


def add_row(pkg: Path, file: str, values: dict[str, str] | list[str]) -> int:
    """Append a row (a dict by column name, missing columns empty); returns its row number."""
    rows = read_rows(pkg, file)
    rows.append([values.get(h, "") for h in rows[0]] if isinstance(values, dict) else list(values))
    write_rows(pkg, file, rows)
    return len(rows)


def copy_row(pkg: Path, file: str, row: int, **changes: str) -> int:
    """Append a copy of a row with some cells changed; returns the new row number."""
    rows = read_rows(pkg, file)
    return add_row(pkg, file, {**dict(zip(rows[0], rows[row - 1])), **changes})


def drop_column(pkg: Path, file: str, field: str) -> None:
    rows = read_rows(pkg, file)
    i = rows[0].index(field)
    write_rows(pkg, file, [r[:i] + r[i + 1:] for r in rows])


def add_column(pkg: Path, file: str, label: str, value: str = "") -> None:
    rows = read_rows(pkg, file)
    write_rows(pkg, file, [rows[0] + [label]] + [r + [value] for r in rows[1:]])


def edit_text(pkg: Path, file: str, fn) -> None:
    """Rewrite a file's text with fn(text) -> text."""
    p = Path(pkg) / file
    p.write_text(fn(p.read_text(encoding="utf-8")), encoding="utf-8")


def edit_descriptor(pkg: Path, fn) -> None:
    """Change datapackage.json in place: fn(descriptor dict) mutates it."""
    p = Path(pkg) / "datapackage.json"
    d = json.loads(p.read_text(encoding="utf-8"))
    fn(d)
    p.write_text(json.dumps(d, indent=2), encoding="utf-8")


def resource_entry(pkg: Path, name: str) -> dict:
    d = json.loads((Path(pkg) / "datapackage.json").read_text(encoding="utf-8"))
    return next(r for r in d["resources"] if r["name"] == name)


def set_resource(pkg: Path, name: str, **props) -> None:
    """Change properties of one resource entry in datapackage.json."""
    def fn(d):
        next(r for r in d["resources"] if r["name"] == name).update(props)
    edit_descriptor(pkg, fn)


def keep_resources(pkg: Path, names: list[str]) -> None:
    """Remove every other resource from datapackage.json, and its files (a file left unlisted is a warning)."""
    d = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    for r in d["resources"]:
        if r["name"] not in names:
            for path in r["path"] if isinstance(r["path"], list) else [r["path"]]:
                (pkg / path).unlink()
    edit_descriptor(pkg, lambda d: d.__setitem__("resources", [r for r in d["resources"] if r["name"] in names]))


def errors_of(problems) -> list[tuple[str, int | None, str]]:
    """(code, row, field) of each error, sorted."""
    return sorted(((p.code, p.row, p.field) for p in problems if p.severity == "error"),
                  key=lambda t: (t[0], -1 if t[1] is None else t[1], t[2]))


def warnings_of(problems) -> list[tuple[str, int | None, str]]:
    return sorted(((p.code, p.row, p.field) for p in problems if p.severity == "warning"),
                  key=lambda t: (t[0], -1 if t[1] is None else t[1], t[2]))


class PackageTools:
    """The helpers above, for tests (import them through the `pkgtools` fixture:
    `from conftest import ...` is ambiguous when sub-folders have their own conftest)."""
    MINIMAL = MINIMAL_PACKAGE
    copy_minimal = staticmethod(copy_minimal)
    read_rows = staticmethod(read_rows)
    write_rows = staticmethod(write_rows)
    set_cell = staticmethod(set_cell)
    add_row = staticmethod(add_row)
    copy_row = staticmethod(copy_row)
    drop_column = staticmethod(drop_column)
    add_column = staticmethod(add_column)
    edit_text = staticmethod(edit_text)
    edit_descriptor = staticmethod(edit_descriptor)
    resource_entry = staticmethod(resource_entry)
    set_resource = staticmethod(set_resource)
    keep_resources = staticmethod(keep_resources)
    errors_of = staticmethod(errors_of)
    warnings_of = staticmethod(warnings_of)


@pytest.fixture
def pkgtools() -> type[PackageTools]:
    """Helpers that build tiny packages from the minimal one (see PackageTools)."""
    return PackageTools


@pytest.fixture
def minimal_package(tmp_path) -> Path:
    """A writable copy of the minimal valid package."""
    return copy_minimal(tmp_path)

# --------------------------- end of validation section ---------------------


# ---------------------------------------------------------------------------
# The example packages (datapackages/) validated and compared once per test process
# (tests/site_support.py keeps them; example_view() uses the same). Shared by every test
# that reads them: never change them in place (copy a frame first). At the end of the
# session each is checked against a fingerprint taken when it was made.
# ---------------------------------------------------------------------------

def _fingerprint(obj) -> list:
    """Shape, columns and a hash of the values of every DataFrame reachable from obj's fields."""
    import dataclasses

    import pandas as pd
    frames = obj.tables.items() if hasattr(obj, "tables") else \
        ((f.name, getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name != "dataset")
    out = []
    for name, v in frames:
        if isinstance(v, pd.DataFrame):
            try:
                digest = int(pd.util.hash_pandas_object(v, index=True).sum())
            except TypeError:  # cells holding lists or dicts, which pandas cannot hash: as text (slower)
                digest = int(pd.util.hash_pandas_object(v.astype(str), index=True).sum())
            out.append((name, v.shape, tuple(v.columns), tuple(map(str, v.dtypes)), digest))
        elif not dataclasses.is_dataclass(v):
            out.append((name, repr(v)))
    return out


@pytest.fixture(scope="session")
def example_dataset():
    """Dataset of the example packages (validate_paths([datapackages/])), made once per process."""
    from site_support import example_dataset as made
    ds = made()
    before = _fingerprint(ds)
    yield ds
    assert _fingerprint(ds) == before, "a test changed the shared example_dataset in place"


@pytest.fixture(scope="session")
def example_results(example_dataset):
    """compare(example_dataset) with the default settings, made once per process."""
    from site_support import example_results as made
    results = made()
    before = _fingerprint(results)
    yield results
    assert _fingerprint(results) == before, "a test changed the shared example_results in place"


# ---------------------------------------------------------------------------
# Markers. `python3 -m pytest -m "not slow and not browser"` is the quick subset.
# A test that drives Chromium is `browser`; a module that builds a whole site, or runs
# the generator end to end (its command line in a subprocess), is `slow` (listed here so
# the list lives in one place). In a module of quick tests, one such test is marked
# @pytest.mark.slow where it is written.
# ---------------------------------------------------------------------------

SLOW_MODULES = {"test_build", "test_build_fuzz", "test_downloads", "test_publish_safety", "test_real_data",
                "test_release_cycle", "test_shells", "test_publisher_repo", "test_example_data", "test_validate_property",
                "test_attacks", "test_settings_build", "test_hostile", "test_republish", "test_publisher_words"}


def pytest_collection_modifyitems(config, items):
    import os
    from toolcheck import CHROMIUM_INSTALL, chromium_path
    skip_browser = None
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if item.path.stem in SLOW_MODULES or item.path.parent.name == "browser":
            item.add_marker(pytest.mark.slow)
        if item.get_closest_marker("browser") and not os.environ.get("CI"):
            if skip_browser is None:  # looked up once, and only when a browser test was collected
                skip_browser = chromium_path() is None
            if skip_browser:  # skipped before its fixtures run: no site is built for a test that cannot run
                item.add_marker(pytest.mark.skip(reason=f"Chromium is not installed: run `{CHROMIUM_INSTALL}`"))
