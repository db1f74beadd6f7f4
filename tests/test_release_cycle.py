"""Quarterly republishing, as CI does it: each release built from an empty folder, with only the
durable release store (a bare git repository standing in for the `releases` branch) carrying history."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import frictionless
import pytest

from site_support import EPOCH, ROOT, tree_hashes

FFT = ROOT / "tests" / "data" / "fft"
QUARTERS = ["2024-03", "2024-06", "2024-09", "2024-12"]  # each release adds three months
MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, timeout=600)


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def test_new_month_appears_on_the_site_and_on_what_changed(tmp_path):
    """Without an archive, the live site being replaced is the baseline."""
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


# --- four quarters through the release store -------------------------------------------------

@pytest.fixture(scope="module")
def base_package(tmp_path_factory):
    """One FFT package with twelve months, scores varying so that bands move between quarters."""
    pkg = tmp_path_factory.mktemp("base") / "fft-inpatient"
    assert cli("import", "fft", str(FFT / "inpatient-2024-08.csv"), "--into", str(pkg)).returncode == 0
    (pkg / "scores" / "2024-08.csv").unlink()
    for i, month in enumerate(MONTHS):
        xqd = 30 if i < 6 else 48  # the small trust does much better from July: its band changes
        rows = [("XQ401", 25, 24), ("XQA", 400, 360 + i), ("XQB", 120, 105), ("XQD", 50, xqd)]
        (pkg / "scores" / f"{month}.csv").write_text(
            "provider,measure,period,group,responses,numerator,mean,se,sd,observed,expected\n"
            + "".join(f"{p},fft-inpatient,{month},all,{n},{k},,,,,\n" for p, n, k in rows))
    return pkg


def quarter_packages(base: Path, dest: Path, upto: str, broken: bool = False) -> Path:
    """The data as published at a quarter: every month up to `upto` (broken: one impossible row)."""
    pkg = dest / "datapackages" / "fft-inpatient"
    shutil.copytree(base, pkg)
    desc = json.loads((pkg / "datapackage.json").read_text())
    scores = next(r for r in desc["resources"] if r["name"] == "scores")
    scores["path"] = [f"scores/{m}.csv" for m in MONTHS if m <= upto]
    (pkg / "datapackage.json").write_text(json.dumps(desc, indent=1))
    if broken:
        last = pkg / "scores" / f"{upto}.csv"
        last.write_text(last.read_text().replace("XQB,fft-inpatient," + upto + ",all,120,105", "XQB,fft-inpatient,"
                                                 + upto + ",all,120,999"))
    return dest / "datapackages"


def run_release(base: Path, runner: Path, store: Path, live: Path, upto: str, broken: bool = False) -> bool:
    """One publish run on a fresh runner: restore, build, then deploy and save only if the build worked."""
    from generator.site import release_store
    runner.mkdir()
    git("init", "-q", cwd=runner)
    git("remote", "add", "origin", str(store), cwd=runner)
    release_store.restore(runner / "archive", repo=runner)
    pkgs = quarter_packages(base, runner, upto, broken)
    built = cli("build", "--datapackages", str(pkgs), "--out", str(runner / "site"), "--archive",
                str(runner / "archive"), "--site-url", "https://example.test/tables/")
    if built.returncode != 0:
        return False
    release_store.stage(runner / "site", runner / "archive", runner / "new-release")
    shutil.rmtree(live, ignore_errors=True)  # deploy: the live site is replaced whole
    shutil.copytree(runner / "site", live)
    release_store.save(runner / "new-release", repo=runner)
    return True


def links(page: Path) -> list[str]:
    return [unescape(h) for h in re.findall(r'(?:href|src)="([^"]*)"', page.read_text(encoding="utf-8"))]


def broken_links(site: Path, pages: list[Path]) -> list[tuple[str, str]]:
    bad = []
    for page in pages:
        for h in links(page):
            if re.match(r"[a-z]+:|#|//", h):
                continue
            target = (page.parent / h.split("#")[0].split("?")[0]).resolve()
            if not (target / "index.html" if h.split("#")[0].split("?")[0].endswith("/") or target.is_dir()
                    else target).is_file():
                bad.append((str(page.relative_to(site)), h))
    return bad


@pytest.fixture(scope="module")
def four_quarters(base_package, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cycle")
    store, live = tmp / "store.git", tmp / "live"
    git("init", "-q", "--bare", str(store), cwd=tmp)
    for i, upto in enumerate(QUARTERS):
        assert run_release(base_package, tmp / f"runner-{i}", store, live, upto), upto
    return tmp, store, live


def test_every_earlier_quarter_is_reachable_from_the_live_site(four_quarters):
    _, store, live = four_quarters
    assert json.loads((live / "release.json").read_text())["period"] == "2024-12"
    for period in QUARTERS[:-1]:
        folder = live / "releases" / period
        record = json.loads((folder / "release.json").read_text())
        assert record["period"] == period and record["published"] and record["inputs"] and record["outputs"]
        assert "data up to" in (folder / "index.html").read_text()
        assert (folder / "measures" / "fft-inpatient" / "index.html").is_file()
        assert (folder / "changes" / "index.html").is_file() and (folder / "experience-results.zip").is_file()
        assert not (folder / "providers").exists()  # provider pages are not copied per quarter
    assert "current release" in (live / "releases" / "2024-12" / "index.html").read_text()
    index = unescape((live / "releases" / "index.html").read_text())
    assert all(f'href="{p}/"' in index for p in QUARTERS)
    assert [v["version"] for v in json.loads((live / "versions.json").read_text())] == QUARTERS[::-1]
    # the store holds every quarter, one commit each
    assert git("ls-tree", "--name-only", "releases", cwd=store).split() == QUARTERS
    assert git("rev-list", "--count", "releases", cwd=store) == "4"


def test_links_into_and_within_archived_quarters_never_break(four_quarters):
    _, _, live = four_quarters
    pages = sorted((live / "releases").rglob("*.html")) + [live / "changes" / "index.html"]
    assert len(pages) > 10
    assert broken_links(live, pages) == []
    assert "../releases/2024-09/" in links(live / "changes" / "index.html")


def test_what_changed_compares_with_the_right_previous_release(four_quarters):
    _, _, live = four_quarters
    for period, before in zip(QUARTERS[1:-1], QUARTERS):
        page = unescape((live / "releases" / period / "changes" / "index.html").read_text())
        assert f"data up to {before})" in page and f"{period} (was {before})" in page
        assert json.loads((live / "releases" / period / "release.json").read_text())["baseline"] == before
    first = (live / "releases" / QUARTERS[0] / "changes" / "index.html").read_text()
    assert "first release" in first
    live_changes = unescape((live / "changes" / "index.html").read_text())
    assert "data up to 2024-09)" in live_changes and "2024-12 (was 2024-09)" in live_changes
    july = unescape((live / "releases" / "2024-09" / "changes" / "index.html").read_text())
    assert 'data-provider="XQD"' in july  # its band moved in the quarter it improved
    assert [r["period"] for r in json.loads((live / "release.json").read_text())["releases"]] == QUARTERS[-2::-1]


def test_archived_data_package_validates(four_quarters, tmp_path):
    import zipfile
    _, _, live = four_quarters
    with zipfile.ZipFile(live / "releases" / QUARTERS[0] / "experience-results.zip") as z:
        z.extractall(tmp_path)
    report = frictionless.validate(tmp_path / "experience-results" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])[:10]


def test_a_release_failing_validation_leaves_store_and_live_site_untouched(four_quarters, base_package):
    tmp, store, live = four_quarters
    before_live, before_ref = tree_hashes(live), git("rev-parse", "releases", cwd=store)
    assert not run_release(base_package, tmp / "runner-bad", store, live, "2024-12", broken=True)
    assert not (tmp / "runner-bad" / "site").exists()  # nothing built, so nothing to deploy or save
    assert git("rev-parse", "releases", cwd=store) == before_ref
    assert tree_hashes(live) == before_live


def test_a_rebuild_of_the_same_quarter_is_identical_and_adds_nothing_to_the_store(four_quarters, base_package):
    tmp, store, live = four_quarters
    from generator.site import release_store
    before_ref = git("rev-parse", "releases", cwd=store)
    assert run_release(base_package, tmp / "runner-again", store, tmp / "live-again", "2024-12")
    assert git("rev-parse", "releases", cwd=store) == before_ref  # the same bytes: no new commit
    assert release_store.save(tmp / "runner-again" / "new-release", repo=tmp / "runner-again") is None
    assert (tmp / "live-again" / "changes" / "index.html").read_bytes() == (live / "changes" / "index.html").read_bytes()
