"""Golden pages: what the renderer writes for the small test package, kept in tests/golden/.

The pages are compared byte for byte, so any change to what a reader sees shows up in review.
After an intended change, regenerate them and read the diff:

    python3 tests/golden_pages.py
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
PACKAGE = Path(__file__).resolve().parent / "packages" / "minimal"
EPOCH = "1735689600"  # a fixed publication date
PAGES = ["providers/xr1.md", "measures/fft-inpatient/index.md", "compare/qxa-inpatient.md", "commissioners/qxa.md",
         "red-flags.md"]


def render_pages() -> dict[str, str]:
    """The chosen pages as text: Markdown pages as MkDocs reads them, HTML bodies as filled into their shell."""
    sys.path.insert(0, str(ROOT))
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    from generator.compute.compare import compare
    from generator.compute.release import release_info
    from generator.site.render import render_site
    from generator.settings import DEFAULT
    from generator.site.shells import HtmlPage
    from generator.data.validate import validate_paths
    from generator.data import reference
    from generator.views.context import build_context
    from generator.views.shared import shared_views
    ds, problems = validate_paths([PACKAGE])
    assert ds is not None, problems[:5]
    results = compare(ds)
    ctx = build_context(results, {}, release_info(results, DEFAULT), reference.read())
    pages = render_site(ctx, shared_views(ctx))
    out = {}
    for name in PAGES:
        page = pages[name]
        out[name] = f"<!-- title: {page.title} -->\n{page.body}" if isinstance(page, HtmlPage) else page
    return out


def golden_file(name: str) -> Path:
    return GOLDEN / (name.replace("/", "__") + ".txt")


if __name__ == "__main__":
    GOLDEN.mkdir(exist_ok=True)
    for name, text in render_pages().items():
        golden_file(name).write_text(text, encoding="utf-8")
        print("wrote", golden_file(name).relative_to(ROOT))
