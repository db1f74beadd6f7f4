"""Release figures for the benchmark (issue 17): an earlier quarter built first, so the measured release
has a real "What changed" and an archived copy, as a quarterly run on a fresh runner would have.

site_bytes: the live site without earlier quarters' copies (it includes the current release's stub);
archive_release_bytes: what this release adds to every later site once archived (its folder in the store);
largest_page_bytes: the largest HTML page anywhere in the deployed site.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

SITE_BUDGET_MB, ARCHIVE_BUDGET_MB, PAGE_BUDGET_KB, QUARTERS_KEPT = 1000, 60, 500, 8


def previous_quarter(data: Path, dest: Path) -> Path:
    """The data set as published a quarter earlier: the FFT package without its last quarter's file
    (every other file hard-linked, not copied: validation refuses symbolic links)."""
    if dest.exists():
        shutil.rmtree(dest)
    for p in sorted(data.rglob("*")):
        if p.is_file():
            target = dest / p.relative_to(data)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(p, target)
            except OSError:
                shutil.copy2(p, target)
    desc_path = dest / "england-fft" / "datapackage.json"
    desc = json.loads(desc_path.read_text(encoding="utf-8"))
    scores = next(r for r in desc["resources"] if r["name"] == "scores")
    dropped = scores["path"].pop()
    desc_path.unlink()
    desc_path.write_text(json.dumps(desc, indent=2) + "\n", encoding="utf-8")
    (dest / "england-fft" / dropped).unlink()
    return dest


def _bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


def figures(site: Path, archive: Path) -> dict:
    period = json.loads((site / "release.json").read_text(encoding="utf-8"))["period"]
    earlier = [p for p in (site / "releases").iterdir() if p.is_dir() and p.name != period] \
        if (site / "releases").is_dir() else []
    pages = {p: p.stat().st_size for p in site.rglob("*.html")}
    largest = max(pages, key=pages.get)
    live = _bytes(site) - sum(_bytes(p) for p in earlier)
    one = _bytes(archive / period)
    changes = site / "changes" / "index.html"
    return {"period": period, "site_bytes": live, "archive_release_bytes": one,
            "largest_page_bytes": pages[largest], "largest_page": str(largest.relative_to(site)),
            "pages_over_500kb": sum(1 for s in pages.values() if s > PAGE_BUDGET_KB * 1000),
            "changes_page_bytes": changes.stat().st_size if changes.is_file() else 0,
            "live_plus_8_bytes": live + QUARTERS_KEPT * one,
            "archive_by_file_mb": {k: round(v / 1e6, 2) for k, v in _by_top(archive / period).items()}}


def _by_top(folder: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    for p in folder.rglob("*"):
        if p.is_file():
            top = p.relative_to(folder).parts[0]
            out[top] = out.get(top, 0) + p.stat().st_size
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def markdown_rows(rel: dict) -> list[str]:
    def ok(value, budget):
        return "within" if value <= budget else "over"
    live, one = rel["site_bytes"] / 1e6, rel["archive_release_bytes"] / 1e6
    total = rel["live_plus_8_bytes"] / 1e6
    return [
        f"| live site (`site_bytes`) | {live:,.0f} MB | |",
        f"| one archived quarter ≤ {ARCHIVE_BUDGET_MB} MB (`archive_release_bytes`) | {one:,.1f} MB | "
        f"{ok(one, ARCHIVE_BUDGET_MB)} |",
        f"| live + {QUARTERS_KEPT} archived quarters ≤ {SITE_BUDGET_MB:,} MB | {total:,.0f} MB | {ok(total, SITE_BUDGET_MB)} |",
        f"| no page over {PAGE_BUDGET_KB} KB (`largest_page_bytes`) | largest {rel['largest_page_bytes'] / 1e3:,.0f} KB "
        f"(`{rel['largest_page']}`); {rel['pages_over_500kb']} over | {ok(rel['largest_page_bytes'] / 1e3, PAGE_BUDGET_KB)} |",
    ]
