"""Fuzzing the whole build: mutated packages never give a traceback and never a partial site.

Each example mutates one cell of the minimal package (or a byte of a file) and runs the
build over a published site: either the build succeeds and publishes a whole site, or it
fails with located problems and the old site is byte-for-byte unchanged.
"""
from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_support import ROOT, tree_hashes

MINIMAL = ROOT / "tests" / "packages" / "minimal"
CSV_FILES = sorted(p.name for p in MINIMAL.glob("*.csv"))
VALUES = st.one_of(st.sampled_from(["", "-1", "abc", "1e309", "2999-01", "NaN", "<script>", "../x", "0", "10000000"]),
                   st.text(max_size=12))
_SITE: dict[str, Path] = {}


def _published_site() -> Path:
    if "site" not in _SITE:
        from generator.build import build
        tmp = Path(tempfile.mkdtemp(prefix="fuzz-site-"))
        shutil.copytree(MINIMAL, tmp / "pkgs" / "minimal")
        assert build([tmp / "pkgs"], tmp / "site", cache_dir=tmp / "cache").ok
        _SITE["site"] = tmp / "site"
    return _SITE["site"]


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(file=st.sampled_from(CSV_FILES), row=st.integers(1, 8), col=st.integers(0, 10), value=VALUES,
       flip=st.integers(0, 4000))
def test_mutated_packages_publish_whole_or_nothing(file, row, col, value, flip):
    from generator.build import build
    site = _published_site()
    before = tree_hashes(site)
    with tempfile.TemporaryDirectory() as tmp:
        pkgs = Path(tmp) / "pkgs"
        shutil.copytree(MINIMAL, pkgs / "minimal")
        path = pkgs / "minimal" / file
        rows = list(csv.reader(open(path, encoding="utf-8")))
        if flip % 3 == 0:  # a raw byte somewhere in the file
            data = bytearray(path.read_bytes())
            data[flip % len(data)] = (data[flip % len(data)] + 1 + flip) % 256
            path.write_bytes(bytes(data))
        elif row < len(rows) and col < len(rows[row]):
            rows[row][col] = value
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerows(rows)
            path.write_text(buf.getvalue(), encoding="utf-8")
        out = Path(tmp) / "site"
        shutil.copytree(site, out)
        res = build([pkgs], out, cache_dir=site.parent / "cache")  # must not raise
        if res.ok:
            assert (out / "index.html").is_file() and not list(out.parent.glob(".site.build-*"))
        else:
            errors = [p for p in res.problems if p.severity == "error"]
            assert errors or res.error
            assert all(p.file or p.package for p in errors)
            assert tree_hashes(out) == before
