"""Import official files into a standard data package folder.

    run_import("fft", Path("FFT_Inpatients_V1 Aug-24.xlsx"), Path("datapackages/fft"))

Formats: fft (NHS England Friends and Family Test, organisation level, CSV or
XLSX), hcahps (CMS HCAHPS hospital file), ods-trusts (ODS etr.csv), ods-practices
(ODS epraccur.csv), onspd (ONS Postcode Directory: the middle of each postcode
district), cms-hospitals (CMS Hospital General Information: hospital type as the peer group, ownership
and CMS's own ratings, for hospitals the package already holds). The package gets providers, commissioners, measures, groups,
sources and scores (one file per period, scores/<period>.csv) in the standard's
column order, sorted, with an inline copy of each schema in datapackage.json.

Importing the same file again changes no byte. A file that contradicts scores
already held (same provider, measure, period and group, different values) is
refused whole. Bad input never raises: it comes back as problems, and nothing
is written when any problem is an error.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path

from generator.problems import Problem, is_error
from generator.importers.merge import merge
from generator.importers.package_io import commit, read_package
from generator.importers.tabular import InputError

FORMATS = ("fft", "hcahps", "ods-trusts", "ods-practices", "onspd", "cms-hospitals")


def _reader(fmt: str):
    if fmt == "fft":
        from generator.importers.fft import read
        return read
    if fmt == "hcahps":
        from generator.importers.hcahps import read
        return read
    if fmt in ("ods-trusts", "ods-practices"):
        from generator.importers.ods import reader
        return reader(fmt)
    if fmt == "onspd":
        from generator.importers.onspd import read
        return read
    if fmt == "cms-hospitals":
        from generator.importers.cms_hospitals import read
        return read
    return None


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def run_import(fmt: str, file: Path, into: Path, today: dt.date | str | None = None,
               service: str | None = None) -> tuple[dict, list[Problem]]:
    """Import one official file into the package folder `into`.

    Returns (summary, problems). The summary holds rows_read, rows_written (score
    rows taken from the file; provider rows for ODS files), rows_new (rows the
    package did not hold), providers_new, providers_updated, files_written, files_unchanged
    (files the import planned whose bytes were already right), suppressed_cells,
    skipped_rows ({reason: count}), periods, and format-specific counts.
    `service` (inpatient, ae, ambulance) is for fft files only.
    """
    file, into = Path(file), Path(into)
    today = (today or dt.date.today()).isoformat() if not isinstance(today, str) else today
    summary = {"format": fmt, "file": str(file), "package": into.name, "rows_read": 0, "rows_written": 0,
               "rows_new": 0, "files_written": [], "files_unchanged": [], "suppressed_cells": 0,
               "skipped_rows": {}, "periods": []}
    where = dict(package=into.name, file=file.name)
    read = _reader(fmt)
    if read is None:
        return summary, [Problem("import-unknown-format", f"unknown import format {fmt!r}; use one of {', '.join(FORMATS)}", **where)]
    kwargs = {"service": service} if fmt == "fft" else {}
    try:
        batch, info, problems = read(file, **kwargs)
        checksum = sha256(file)
    except InputError as e:
        return summary, [Problem(e.code, str(e), row=e.row, **where)]
    except OSError as e:
        return summary, [Problem("import-file", f"{file} cannot be read: {e.strerror or e}", **where)]
    problems = [_at(p, into.name) for p in problems]
    summary.update({k: v for k, v in info.items() if k != "skipped_rows"})
    summary["skipped_rows"] = dict(sorted(Counter(info.get("skipped_rows", {})).items()))
    if batch is not None and not batch.scores and not batch.tables.get("providers") \
            and not batch.tables.get("postcode-districts"):
        problems.append(Problem("import-empty", "the file holds no usable rows; nothing was written", **where))
    if batch is None or any(is_error(p) for p in problems):
        return summary, sorted(problems, key=_order)
    summary["rows_written"] = len(batch.scores) or len(batch.tables.get("providers", [])) or \
        sum(len(v) for v in batch.tables.values())
    summary["periods"] = batch.periods
    pkg, probs = read_package(into, {k: v.keys for k, v in batch.extras.items()})
    if pkg is None:
        return summary, sorted(problems + probs, key=_order)
    files, stats, probs = merge(pkg, batch, checksum, file.name, today)
    summary.update(stats)
    if not batch.scores:  # reference files: the new rows are providers
        summary["rows_new"] = stats.get("providers_new", 0)
    if batch.held_only:  # rows about the package's own providers: how many were
        summary["rows_written"] = stats.get("providers_matched", 0)
    if any(is_error(p) for p in probs):
        return summary, sorted(problems + probs, key=_order)
    problems += probs  # warnings about the plan (e.g. the package's providers the file has no row for)
    written, unchanged, probs = commit(into, files)
    summary["files_written"], summary["files_unchanged"] = sorted(written), sorted(unchanged)
    return summary, sorted(problems + probs, key=_order)


def _at(p: Problem, package: str) -> Problem:
    return p if p.package else Problem(**{**p.__dict__, "package": package})


def _order(p: Problem):
    return (p.severity != "error", p.row or 0, p.code, p.field, p.message)
