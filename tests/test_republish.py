"""Republishing a period already archived: with unchanged data (a README push to main, a later day) the
archived release is kept as it was, published date and checksums; with changed data (a correction) it is
replaced, keeps its first publication date and says when it was corrected. Builds as test_release_cycle does."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from site_support import ROOT, tree_hashes
from test_release_cycle import MONTHS, base_package, quarter_packages  # noqa: F401 (fixture)

DAY = 86400
FIRST = 1719792000  # 2024-07-01


def build(pkgs, out, archive, epoch):
    run = subprocess.run([sys.executable, "-m", "generator", "build", "--datapackages", str(pkgs), "--out", str(out),
                          "--archive", str(archive)], cwd=ROOT, capture_output=True, text=True, timeout=600,
                         env={**os.environ, "SOURCE_DATE_EPOCH": str(epoch)})
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_rebuild_keeps_the_archived_release_and_a_correction_says_so(base_package, tmp_path):  # noqa: F811
    pkgs = quarter_packages(base_package, tmp_path / "q", "2024-06")
    archive = tmp_path / "archive"
    build(pkgs, tmp_path / "site1", archive, FIRST)
    record = archive / "2024-06" / "release.json"
    first = json.loads(record.read_text())
    assert first["published"] == "2024-07-01" and "corrected" not in first
    kept = tree_hashes(archive)
    build(pkgs, tmp_path / "site2", archive, FIRST + 9 * DAY)  # same data, nine days later
    assert tree_hashes(archive) == kept  # the record and every archived file unchanged
    last = pkgs / "fft-inpatient" / "scores" / "2024-06.csv"
    last.write_text(last.read_text().replace("XQB,fft-inpatient,2024-06,all,120,105", "XQB,fft-inpatient,2024-06,all,120,100"))
    build(pkgs, tmp_path / "site3", archive, FIRST + 20 * DAY)  # a correction
    corrected = json.loads(record.read_text())
    assert corrected["published"] == "2024-07-01" and corrected["corrected"] == "2024-07-21"
    assert corrected["outputs"] != first["outputs"]
