"""Nothing half-published: kill -9 at any moment leaves a whole site; builds take a lock; nothing small leaks."""
from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path


from site_support import EPOCH, ROOT, tree_hashes

MINIMAL_PACKAGE = ROOT / "tests" / "packages" / "minimal"

ENV = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}


def _build(packages: Path, out: Path, cache: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", "build", "--datapackages", str(packages),
                             "--out", str(out)], cwd=ROOT, env={**ENV, "GENERATOR_CACHE": str(cache)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _packages(tmp: Path, name: str, month: str) -> Path:
    """The minimal package, with its FFT month changed so each variant is a different release."""
    folder = tmp / name
    shutil.copytree(MINIMAL_PACKAGE, folder / "minimal")
    path = folder / "minimal" / "scores.csv"
    text = path.read_text(encoding="utf-8").replace("2024-01", month)
    path.write_text(text, encoding="utf-8")
    return folder


def test_kill_9_at_random_points_never_leaves_a_partial_site(tmp_path):
    old_pkgs = _packages(tmp_path, "old", "2024-01")
    new_pkgs = _packages(tmp_path, "new", "2024-02")
    cache = tmp_path / "cache"
    old_site = tmp_path / "old-site"
    assert _build(old_pkgs, old_site, cache).wait() == 0
    old = tree_hashes(old_site)
    # what a completed new build over the old site looks like
    full = tmp_path / "full" / "site"
    shutil.copytree(old_site, full)
    started = time.monotonic()
    assert _build(new_pkgs, full, cache).wait() == 0
    duration = time.monotonic() - started
    new = tree_hashes(full)
    assert new != old
    rng = random.Random(11)
    outcomes = []
    for i in range(20):
        site = tmp_path / f"run{i}" / "site"
        shutil.copytree(old_site, site)
        proc = _build(new_pkgs, site, cache)
        time.sleep(rng.uniform(0, duration * 1.1))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        now = tree_hashes(site)
        assert now in (old, new), f"run {i}: the site is neither the old release nor the new one"
        outcomes.append("old" if now == old else "new")
        assert (site / "index.html").is_file()
    assert "old" in outcomes  # at least some kills landed before the swap


def test_a_second_build_waits_for_the_lock_with_a_clear_message(tmp_path):
    from generator.site.write import lock
    site = tmp_path / "site"
    with lock(site):
        run = subprocess.run([sys.executable, "-m", "generator", "build", "--datapackages", str(MINIMAL_PACKAGE.parent),
                              "--out", str(site)], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert "another build is writing" in run.stderr and "Traceback" not in run.stderr
    assert not site.exists()


def test_disclosure_scan_finds_no_figure_from_fewer_than_10_responses(tmp_path):
    """Canary values on cells with fewer than 10 responses must appear in no output file."""
    from generator.build import build
    pkgs = tmp_path / "pkgs"
    shutil.copytree(MINIMAL_PACKAGE, pkgs / "minimal")
    scores = pkgs / "minimal" / "scores.csv"
    rows = list(csv.reader(open(scores, encoding="utf-8")))
    header = rows[0]
    col = {h: i for i, h in enumerate(header)}
    canary = []
    for r in rows[1:]:
        if r[col["measure"]] == "survey-overall" and r[col["group"]] == "all":
            small = list(r)
            small[col["period"]] = "2022"
            small[col["responses"]], small[col["mean"]], small[col["se"]], small[col["sd"]] = "7", "6.283185", "0.314159", ""
            canary.append(small)
    # a group cell under 10 (3 of 7 = 42.9%); its sibling is then hidden too
    with open(pkgs / "minimal" / "groups.csv", "a", encoding="utf-8") as fh:
        fh.write("age-25-34,age,Aged 25 to 34,false\n")
    canary.append(["XR1", "fft-inpatient", "2024-01", "age-25-34", "7", "3", "", "", "", "", ""])
    with open(scores, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows + canary)
    res = build([pkgs], tmp_path / "site", cache_dir=None)
    assert res.ok, res.error or res.problems[:3]
    exact = ["6.283185", "0.314159", "0.428571", "0.428572"]
    shown = ["6.28", "0.31", "42.9%", "87.5%"]  # 87.5% is the sibling (35 of 40), hidden by secondary suppression
    leaks = []
    for f in sorted((tmp_path / "site").rglob("*")):
        if not f.is_file() or f.suffix not in (".html", ".json", ".csv", ".svg", ".xml", ".txt"):
            continue
        text = f.read_text(encoding="utf-8", errors="replace")
        leaks += [(f.name, s) for s in exact if s in text]
        if f.suffix in (".html", ".json", ".csv", ".txt"):
            words = _visible_text(text) if f.suffix == ".html" else text
            leaks += [(f.name, s) for s in shown if s in words]
    assert leaks == []


def _visible_text(html: str) -> str:
    """Text and attribute values of a page, without inline SVG drawing data."""
    import re
    from html import unescape
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html)) + " ".join(unescape(v) for v in re.findall(r'="([^"]*)"', html))
