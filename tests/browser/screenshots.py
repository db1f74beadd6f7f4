"""Screenshots of the checked pages (home, finder, a league table, a provider page) at 1280
and 360 px wide, for a person to look at.

    python3 tests/browser/screenshots.py OUT_DIR            # builds the example site first
    python3 tests/browser/screenshots.py OUT_DIR --site DIR # uses a site already built

Files are OUT_DIR/<page>-<width>.png, full page. The browser tests save the same files
when SCREENSHOT_DIR is set.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[2])]

import browser_support as bs  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="folder for the PNG files")
    ap.add_argument("--site", type=Path, help="a built site folder (default: build the example site)")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    results = bs.compute_results()
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            built = bs.build_site(site, Path(tmp) / "cache")
            if not built.ok:
                print(f"the example site did not build: {built.error}", file=sys.stderr)
                return 1
        with bs.serve(site) as url, sync_playwright() as pw:
            browser = bs.launch(pw)
            for name, path in bs.pages(results).items():
                for width in bs.WIDTHS:
                    v = bs.Visit(browser, url, width)
                    try:
                        page = v.open(path)
                        if name == "finder":
                            bs.search_finder(page, bs.finder_query(results))
                        target = args.out / f"{name}-{width}.png"
                        bs.screenshot(page, target)
                        print(f"{target}  {path}")
                    finally:
                        v.close()
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
