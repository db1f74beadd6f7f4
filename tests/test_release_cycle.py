"""Quarterly republishing: a month added through the importer reaches the site and "What changed"."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from html import unescape

from site_support import EPOCH, ROOT

FFT = ROOT / "tests" / "data" / "fft"


def cli(*args):
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, timeout=600)


def test_new_month_appears_on_the_site_and_on_what_changed(tmp_path):
    pkgs, site = tmp_path / "datapackages", tmp_path / "site"
    into = pkgs / "fft-inpatient"
    assert cli("import", "fft", str(FFT / "inpatient-2024-08.csv"), "--into", str(into)).returncode == 0
    first = cli("build", "--datapackages", str(pkgs), "--out", str(site))
    assert first.returncode == 0, first.stderr
    assert json.loads((site / "release.json").read_text())["period"] == "2024-08"
    assert "first release" in (site / "changes" / "index.html").read_text()

    imported = cli("import", "fft", str(FFT / "inpatient-2024-09.csv"), "--into", str(into))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert (into / "scores" / "2024-09.csv").is_file()
    second = cli("build", "--datapackages", str(pkgs), "--out", str(site))
    assert second.returncode == 0, second.stderr

    release = json.loads((site / "release.json").read_text())
    assert release["period"] == "2024-09"
    assert [r["period"] for r in release["releases"]] == ["2024-08"]
    changes = unescape((site / "changes" / "index.html").read_text())
    assert "data up to 2024-08" in changes and "2024-09 (was 2024-08)" in changes
    page = unescape((site / "providers" / "xqa" / "index.html").read_text())
    assert "<small>2024-09 · " in page and "from 2024-08 to 2024-09" in page  # latest period; chart of both
    feed = (site / "feed.xml").read_text()
    assert feed.count("<entry>") == 2

    # a rebuild of the same release keeps its baseline: byte-identical "What changed"
    before = (site / "changes" / "index.html").read_bytes()
    assert cli("build", "--datapackages", str(pkgs), "--out", str(site)).returncode == 0
    assert (site / "changes" / "index.html").read_bytes() == before


def test_archive_keeps_earlier_releases_at_versioned_addresses(tmp_path):
    pkgs, site, archive = tmp_path / "datapackages", tmp_path / "site", tmp_path / "archive"
    into = pkgs / "fft-inpatient"
    for month in ("2024-08", "2024-09"):
        assert cli("import", "fft", str(FFT / f"inpatient-{month}.csv"), "--into", str(into)).returncode == 0
        run = cli("build", "--datapackages", str(pkgs), "--out", str(site), "--archive", str(archive))
        assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in archive.iterdir()) == ["2024-08", "2024-09"]
    assert (site / "releases" / "2024-08" / "index.html").is_file()
    versions = json.loads((site / "versions.json").read_text())
    assert versions[0] == {"version": "2024-09", "title": "2024-09", "aliases": ["latest"]}
    assert [v["version"] for v in versions] == ["2024-09", "2024-08"]
