"""Fixtures for the browser tests: the example site built once, served locally, one Chromium.

The site is built once per test process by tests/site_support.py (shared with the other
site tests, so a full run builds it no more often than they do).
Set SCREENSHOT_DIR to also save a full-page screenshot of each checked page.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
for p in (str(HERE), str(HERE.parent), str(HERE.parents[1])):
    if p not in sys.path:
        sys.path.insert(0, p)

import browser_support as bs  # noqa: E402
import toolcheck  # noqa: E402
import site_support  # noqa: E402


@pytest.fixture(scope="session")
def site() -> Path:
    """Folder of the example site, built by generator.build.build once per test process
    (tests/site_support.py, shared with the other site tests)."""
    out, _result, _cache = site_support.build_example()
    return out


@pytest.fixture(scope="session")
def results():
    """Results computed from the example data: the oracle for every figure a page shows."""
    return bs.compute_results()


@pytest.fixture(scope="session")
def site_url(site):
    with bs.serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright
    toolcheck.require_chromium()
    pw = sync_playwright().start()
    try:
        browser = bs.launch(pw)
        yield browser
        browser.close()
    finally:
        pw.stop()


@pytest.fixture
def visit(chromium, site_url):
    """visit(path, width=1280) -> a Visit with the page open; closed after the test."""
    opened = []

    def open_(path: str, width: int = 1280) -> bs.Visit:
        v = bs.Visit(chromium, site_url, width)
        opened.append(v)
        v.open(path)
        return v

    yield open_
    for v in opened:
        v.close()


@pytest.fixture(scope="session")
def pages(results) -> dict[str, str]:
    return bs.pages(results)


@pytest.fixture(scope="session")
def finder_query(results) -> str:
    """A town to type into the finder so that its result list is filled when checked."""
    return bs.finder_query(results)


@pytest.fixture(scope="session")
def page_report(chromium, site_url, pages, finder_query):
    """page_report(name, width) -> what one visit of a checked page found (cached per worker)."""
    shots = os.environ.get("SCREENSHOT_DIR")
    cache: dict = {}

    def report(name: str, width: int) -> dict:
        if (name, width) not in cache:
            v = bs.Visit(chromium, site_url, width)
            try:
                page = v.open(pages[name])
                if name == "finder":
                    bs.search_finder(page, finder_query)
                found = {"overflow": bs.overflow(page), "links": bs.links(page)}
                if shots:
                    bs.screenshot(page, Path(shots) / f"{name}-{width}.png")
                found["axe"] = bs.axe_violations(page)
                found["errors"], found["offsite"] = list(v.errors), list(v.offsite)
            finally:
                v.close()
            cache[(name, width)] = found
        return cache[(name, width)]

    return report
