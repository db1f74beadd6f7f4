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
THEME_DIR = PACKAGE_DIR / "theme"  # Material overrides (main.html)
DEFAULT_CONFIG = PACKAGE_DIR / "mkdocs.yml"  # the site's MkDocs configuration; a publisher's file overrides it
DEFAULT_DOCS = PACKAGE_DIR / "docs"  # hand-written pages (about.md); a publisher's docs/ overrides them
SCAFFOLD_DIR = PACKAGE_DIR / "scaffold"  # the files `new` writes into a publisher's repository

DATAPACKAGES = Path("datapackages")
MKDOCS_YML = Path("mkdocs.yml")  # a publisher's own configuration, used when present in the current folder
SITE = Path("site")
CACHE = Path(os.environ.get("GENERATOR_CACHE") or Path(".cache") / "generator")  # chart cache


def site_lock(out: Path) -> Path:
    """Lock file that stops two builds writing the same site at once."""
    return out.parent / f".{out.name}.lock"
