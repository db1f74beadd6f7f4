"""Every path the project uses, in one place."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
STANDARD_DIR = PACKAGE_DIR / "standard"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
ASSETS_DIR = PACKAGE_DIR / "assets"
REDFLAGS_CONFIG = PACKAGE_DIR / "redflags.toml"
CALIBRATION = PACKAGE_DIR / "calibration.json"  # written by scripts/calibrate.py --save

DATAPACKAGES = Path("datapackages")
DOCS = Path("docs")
MKDOCS_YML = Path("mkdocs.yml")
SITE = Path("site")
CACHE = Path(os.environ.get("GENERATOR_CACHE") or Path(".cache") / "generator")  # chart cache


def site_lock(out: Path) -> Path:
    """Lock file that stops two builds writing the same site at once."""
    return out.parent / f".{out.name}.lock"
