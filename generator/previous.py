"""Read what the previous release published (the site being replaced), for "What changed" and the feed.

The baseline of a release is the release before it. A rebuild of the same
release carries its baseline forward unchanged, so output stays reproducible.
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

BASELINE_DIR = "previous"  # inside the site: the baseline this release was compared with


@dataclass
class Baseline:
    period: str = ""
    published: str = ""
    latest: pd.DataFrame | None = None       # provider, measure, period, band of the baseline's latest periods
    flags: pd.DataFrame | None = None
    case_studies: list[str] = field(default_factory=list)
    releases: list[dict] = field(default_factory=list)  # earlier releases, newest first


def _read_csv(path: Path) -> pd.DataFrame | None:
    try:
        return pd.read_csv(io.StringIO(path.read_text(encoding="utf-8")), dtype=str, keep_default_na=False)
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def _read_json(path: Path, default):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return default


def read_baseline(site: Path, current_period: str) -> Baseline:
    """The baseline for a release of `current_period`, from the live site (if any)."""
    rel = _read_json(site / "release.json", {})
    if not rel:
        return Baseline()
    if rel.get("period") == current_period:  # a rebuild: keep the baseline that release used
        base = site / BASELINE_DIR
        prev = _read_json(base / "release.json", {})
        releases = [r for r in rel.get("releases", []) if r.get("period") != current_period]
    else:
        base = site / "downloads"
        prev = rel
        releases = [{"period": rel.get("period", ""), "published": rel.get("published", "")},
                    *[r for r in rel.get("releases", []) if r.get("period") != rel.get("period")]]
    if not prev:
        return Baseline(releases=releases)
    return Baseline(period=prev.get("period", ""), published=prev.get("published", ""),
                    latest=_read_csv(base / "latest.csv"), flags=_read_csv(base / "flags.csv"),
                    case_studies=_read_json(base / "case-studies.json", []), releases=releases)


def published_case_studies(site: Path | None) -> set[str] | None:
    """Case-study ids the live site has published (each must still exist or be redirected)."""
    if site is None:
        return None
    ids = _read_json(site / "downloads" / "case-studies.json", None)
    return set(ids) if isinstance(ids, list) and all(isinstance(i, str) for i in ids) else None
