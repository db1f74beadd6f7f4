"""Helpers shared by the browser tests (conftest.py) and screenshots.py.

A built site is served from a folder by a threaded http.server on 127.0.0.1; pages
are driven in headless Chromium (tests/toolcheck.py: Playwright's own, $CHROMIUM or
/usr/bin/chromium) through Playwright's sync API
(Playwright's own browser download is not used).
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import math
import sys
import threading
from pathlib import Path

import toolcheck

ROOT = Path(__file__).resolve().parents[2]
DATAPACKAGES = ROOT / "datapackages"
AXE = ROOT / "tests" / "vendor" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = (1280, 360)
HEIGHT = 800
OVERFLOW_MARGIN = 2  # px of horizontal page overflow tolerated at 360 px (sub-pixel rounding)


def build_site(out: Path, cache_dir: Path):
    """The example site, built by the real pipeline. Returns generator.build.BuildResult."""
    from generator.build import build
    return build([DATAPACKAGES], out, cache_dir=cache_dir)


def compute_results():
    """The computed Results for the example data (the figures the site must show)."""
    from generator.compute.compare import compare
    from generator.data.validate import validate_paths
    ds, problems = validate_paths([DATAPACKAGES])
    assert ds is not None, f"example data did not validate: {problems[:5]}"
    return compare(ds)


def finite(v) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def latest_rows(results):
    """results.scores restricted to each measure's latest period."""
    from generator.data import periods
    return periods.latest_rows(results.scores, results.latest)


def pick_league(results) -> str:
    """The measure whose latest league table has the most rows (ties: first id)."""
    counts = latest_rows(results).groupby("measure").size()
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def pick_provider(results) -> str:
    """The provider with the most shown (non-suppressed) latest results (ties: first code)."""
    rows = latest_rows(results)
    rows = rows[rows["estimate"].notna()]
    counts = rows.groupby("provider").size()
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def finder_query(results) -> str:
    """What the checked finder page has typed in: the town of the picked provider."""
    prov = results.dataset["providers"].set_index("code").loc[pick_provider(results)]
    return str(prov["town"])


def pages(results) -> dict[str, str]:
    """The four pages every layout and accessibility check covers: name -> URL path."""
    return {"home": "/", "finder": "/providers/",
            "league": f"/measures/{pick_league(results)}/",
            "provider": f"/providers/{pick_provider(results).lower()}/"}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # the browser dropped a request: fine
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(folder: Path):
    """Serve `folder` on 127.0.0.1 at a free port; yields the base URL (no trailing slash)."""
    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def launch(playwright):
    """Headless Chromium (tests/toolcheck.py finds it); skipped, or failed under CI, when missing."""
    return playwright.chromium.launch(executable_path=str(toolcheck.require_chromium()), args=CHROMIUM_ARGS,
                                      headless=True)


class Visit:
    """One page open in its own browser context; records console errors and off-site requests."""

    def __init__(self, browser, base: str, width: int):
        self.base = base
        self.errors: list[str] = []
        self.offsite: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": HEIGHT})
        self.page = self.context.new_page()
        self.page.on("request", self._request)
        self.page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"request failed: {r.url} {r.failure}"))

    def _request(self, request):
        url = request.url
        if not (url.startswith(self.base + "/") or url.startswith(("data:", "blob:"))):
            self.offsite.append(url)  # the site must not call other servers

    def open(self, path: str):
        self.page.goto(self.base + path, wait_until="load")
        self.page.wait_for_load_state("networkidle")
        # site.js marks each widget once it is set up
        self.page.wait_for_function("() => Array.from(document.querySelectorAll('[data-league],[data-finder]'))"
                                    ".every(e => e.dataset.ready)")
        return self.page

    def close(self):
        self.context.close()


def search_finder(page, query: str) -> None:
    """Type into the finder as a person would, and wait until the list answers."""
    page.wait_for_function("() => /^\\d/.test(document.getElementById('finder-status').textContent)")
    box = page.locator("#finder-q")
    box.fill("")
    box.press_sequentially(query)
    page.wait_for_function("q => document.getElementById('finder-q').value === q "
                           "&& /found/.test(document.getElementById('finder-status').textContent)", arg=query)


def screenshot(page, path: Path) -> None:
    """A full-page PNG for a person to look at (transitions finished, caret hidden)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")


def overflow(page) -> dict:
    """Page width against the viewport, and elements sticking out that are not in a scrolling wrapper."""
    return page.evaluate("""() => {
      const w = window.innerWidth;
      const wide = Array.from(document.querySelectorAll('body *')).filter(e => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.right > w + 1 && !e.closest('.md-typeset__scrollwrap, .md-search, [hidden]')
          && getComputedStyle(e).visibility !== 'hidden';
      }).slice(0, 10).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().split(/\\s+/).join('.') : '')
          + ' right=' + Math.round(e.getBoundingClientRect().right));
      return {scroll_width: document.documentElement.scrollWidth, viewport: w, wide: wide};
    }""")


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (vendored) on the page; violations of the given impacts, with where they are."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                          ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
                          " nodes: v.nodes.map(n => n.target.join(' '))}))")
    return [v for v in found if v["impact"] in impacts]


def links(page) -> list[str]:
    """Every same-site link on the page, resolved by the browser, without fragment."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('a[href]'))
        .map(a => a.href.split('#')[0]).filter(h => h.startsWith(location.origin + '/'))""")
