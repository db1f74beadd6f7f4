"""#21: no inf or NaN reaches any output. The scan reads every file of a built site (and the members of its zip
files); it runs on the example site and on a build of hostile but valid data published through a symlinked --out."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

try:
    from conftest import copy_minimal
    from test_hostile import run
except ImportError:  # tests run as a package
    from tests.conftest import copy_minimal
    from tests.test_hostile import run


NOT_FINITE = re.compile(r"(?<![A-Za-z0-9_])-?(inf|nan|NaN|Infinity)(?![a-z0-9_])")  # 'nanL50': an SVG path
HOSTILE_SCORES = """provider,measure,period,group,responses,numerator,mean,se,sd,observed,expected
XR1,fft-inpatient,2024-01,all,999999999999999999,999999999999999999,,,,,
XR1,fft-inpatient,2024-01,age-16-24,10,0,,,,,
XR2,fft-inpatient,2024-01,all,10,0,,,,,
XR1,survey-overall,2023,all,500,,10,0.000001,,,
XR2,survey-overall,2023,all,450,,0,,0.000001,,
XR1,complaints,2023,all,1000,,,,,0,0.01
XR2,complaints,2023,all,900,,,,,1000,10
"""


def not_finite_in(site: Path) -> list[str]:
    """Every 'inf' or 'nan' token in the site's files and in the members of its zip files (the theme's own
    JavaScript under assets/ aside), as 'file: context'."""
    found = []

    def scan(name: str, data: bytes):
        text = data.decode("utf-8", "replace")
        found.extend(f"{name}: {text[max(0, m.start() - 40):m.end() + 10]!r}" for m in NOT_FINITE.finditer(text))

    for p in sorted(site.rglob("*")):
        rel = p.relative_to(site).as_posix()
        if not p.is_file() or rel.startswith("assets/") or p.suffix in (".png", ".gz", ".ico", ".woff2"):
            continue
        if p.suffix == ".zip":
            with zipfile.ZipFile(p) as z:
                for n in z.namelist():
                    scan(f"{rel}/{n}", z.read(n))
        else:
            scan(rel, p.read_bytes())
    return found


def test_the_output_scan_finds_inf_and_nan(tmp_path):
    (tmp_path / "a.csv").write_text("x,z\n1,inf\n2,-inf\n", encoding="utf-8")
    (tmp_path / "b.svg").write_text('<path d="M6,nanL50,nan"/>', encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "c.zip", "w") as z:
        z.writestr("m.json", '{"z": NaN, "info": "information"}')
    assert len(not_finite_in(tmp_path)) == 5


@pytest.mark.slow  # builds the example site
def test_example_site_has_no_inf_or_nan_and_no_id_on_a_reserved_name():
    from generator.data.reserved import RESERVED
    from site_support import build_example
    site, _, _ = build_example()
    assert not_finite_in(site) == []
    from generator.build import SITE_MARKER
    top = {p.name.split(".")[0] for p in site.iterdir() if p.name != SITE_MARKER}  # the marker: a dot file
    assert top <= RESERVED, sorted(top - RESERVED)  # a new top-level folder must be reserved too
    assert {"index", "assets", "search", "downloads", "themes"} <= RESERVED


@pytest.mark.slow  # builds a site through the command line
def test_hostile_valid_build_through_a_symlinked_out_has_no_inf_or_nan(tmp_path):
    pkg = copy_minimal(tmp_path / "dp")
    (pkg / "scores.csv").write_text(HOSTILE_SCORES, encoding="utf-8")
    real = tmp_path / "real"
    real.mkdir()
    (real / "old.txt").write_text("previous site", encoding="utf-8")
    from generator.build import SITE_MARKER
    (real / SITE_MARKER).write_text("")  # a site this generator published: only such a folder is replaced
    (tmp_path / "link").symlink_to("real")
    rc, text = run("build", "--datapackages", tmp_path / "dp", "--out", tmp_path / "link")
    assert rc == 0, text[-2000:]
    assert (tmp_path / "link").is_symlink() and (real / "index.html").is_file() and not (real / "old.txt").exists()
    assert not_finite_in(real) == []
