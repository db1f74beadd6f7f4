"""Read what earlier releases published, for "What changed", the feed and the case-study check.

The baseline of a release is the release before it. It comes from the archive of
earlier releases when there is one (a fresh CI runner has nothing else: see
release_store.py), else from the live site being replaced. A rebuild of the same
release compares with the same baseline, so output stays reproducible.
"""
from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from generator.data import periods

BASELINE_DIR = "previous"  # inside a site built without an archive: the baseline this release used
RECORD = "release.json"    # an archived release's record (archive.py writes it)
PACKAGE = "experience-results.zip"
LATEST_COLUMNS = ["provider", "measure", "period", "band"]
FLAG_COLUMNS = ["provider", "rule", "measure", "period", "evidence"]


@dataclass
class Baseline:
    period: str = ""
    published: str = ""
    latest: pd.DataFrame | None = None       # provider, measure, period, band of the baseline's latest periods
    flags: pd.DataFrame | None = None
    case_studies: list[str] = field(default_factory=list)
    releases: list[dict[str, Any]] = field(default_factory=list)  # earlier releases, newest first
    from_archive: bool = False


def _read_csv(source: Path | str, columns: list[str] | None = None) -> pd.DataFrame | None:
    try:
        text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, usecols=columns)
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def _read_json(path: Path, default: Any) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return default


def _latest_only(table: pd.DataFrame | None) -> pd.DataFrame | None:
    if table is None:
        return None
    latest = table.groupby("measure")["period"].max().to_dict()  # periods sort as strings
    return periods.latest_rows(table, latest).sort_values(["provider", "measure"]).reset_index(drop=True)


def archived_releases(archive: Path | None) -> dict[str, dict[str, Any]]:
    """period -> record of each release kept in the archive folder."""
    if archive is None or not archive.is_dir():
        return {}
    out = {}
    for d in sorted(archive.iterdir()):
        rec = _read_json(d / RECORD, None) if d.is_dir() else None
        if isinstance(rec, dict) and rec.get("period") == d.name:
            out[d.name] = rec
    return out


def archive_baseline(archive: Path, current_period: str) -> Baseline:
    """The newest archived release before `current_period`, read from its record and data package."""
    records = archived_releases(archive)
    earlier = sorted((p for p in records if p < current_period), reverse=True)
    releases = [{"period": p, "published": records[p].get("published", "")} for p in earlier]
    if not earlier:
        return Baseline(releases=releases, from_archive=True)
    rec = records[earlier[0]]
    latest = flags = None
    try:
        with zipfile.ZipFile(archive / earlier[0] / PACKAGE) as z:
            names = {n.rsplit("/", 1)[-1]: n for n in z.namelist()}
            latest = _latest_only(_read_csv(z.read(names["results.csv"]).decode("utf-8"), LATEST_COLUMNS))
            flags = _read_csv(z.read(names["flags.csv"]).decode("utf-8"), FLAG_COLUMNS)
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeDecodeError):
        pass
    return Baseline(period=rec["period"], published=rec.get("published", ""), latest=latest, flags=flags,
                    case_studies=list(rec.get("case_studies", [])), releases=releases, from_archive=True)


def read_baseline(site: Path, current_period: str) -> Baseline:
    """The baseline for a release of `current_period`, from the live site (if any)."""
    rel = _read_json(site / "release.json", {})
    if not rel:
        return Baseline()
    if rel.get("period") == current_period:  # a rebuild: keep the baseline that release used
        base = site / BASELINE_DIR
        prev = _read_json(base / "release.json", {})
        releases = [r for r in rel.get("releases", []) if r.get("period") != current_period]
        latest = _read_csv(base / "latest.csv")
    else:
        base = site / "downloads"
        prev = rel
        releases = [{"period": rel.get("period", ""), "published": rel.get("published", "")},
                    *[r for r in rel.get("releases", []) if r.get("period") != rel.get("period")]]
        parts = [_read_csv(p, LATEST_COLUMNS) for p in sorted((base / "measures").glob("*.csv"))]
        latest = _latest_only(pd.concat(parts, ignore_index=True)) if parts and all(p is not None for p in parts) else None
    if not prev:
        return Baseline(releases=releases)
    return Baseline(period=prev.get("period", ""), published=prev.get("published", ""),
                    latest=latest, flags=_read_csv(base / "flags.csv"),
                    case_studies=_read_json(base / "case-studies.json", []), releases=releases)


def published_case_studies(site: Path | None, archive: Path | None = None) -> set[str] | None:
    """Case-study ids the newest release has published (each must still exist or be redirected):
    from the archive's newest record when there is one, else from the live site."""
    records = archived_releases(archive)
    ids = records[max(records)].get("case_studies") if records else \
        _read_json(site / "downloads" / "case-studies.json", None) if site is not None else None
    return set(ids) if isinstance(ids, list) and all(isinstance(i, str) for i in ids) else None
