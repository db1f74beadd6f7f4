"""Incremental builds (issue 20): a build that reuses the caches of an earlier one publishes exactly what a cold
build of the same inputs publishes, and a build whose inputs and site are unchanged does nothing."""
from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.site import buildkey

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "packages" / "minimal"
LAST_MONTH = "2024-12"


def _differences(a: Path, b: Path) -> list[str]:
    """Every file that is only in one tree or differs byte for byte (diff -r)."""
    out: list[str] = []

    def walk(c: filecmp.dircmp, rel: str) -> None:
        out.extend(f"{rel}{n}" for n in c.left_only + c.right_only + c.funny_files)
        out.extend(f"{rel}{n}" for n in c.common_files if not filecmp.cmp(Path(c.left) / n, Path(c.right) / n, shallow=False))
        for name, sub in c.subdirs.items():
            walk(sub, f"{rel}{name}/")
    walk(filecmp.dircmp(a, b), "")
    return sorted(out)


def _without_last_month(data: Path) -> Path:
    """The example packages as published a month earlier: the FFT rows of the last month removed."""
    q4 = data / "example-fft" / "scores" / "2024-Q4.csv"
    lines = q4.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [lines[0]] + [line for line in lines[1:] if line.split(",")[2] != LAST_MONTH]
    assert len(kept) < len(lines)
    q4.write_text("".join(kept), encoding="utf-8")
    return data


@pytest.mark.slow
def test_one_new_month_with_caches_equals_a_cold_build(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    shutil.copytree(ROOT / "datapackages", data)
    full = (data / "example-fft" / "scores" / "2024-Q4.csv").read_bytes()
    _without_last_month(data)
    cache, site = tmp_path / "cache", tmp_path / "site"
    first = build([data], site, cache_dir=cache)
    assert first.ok and first.summary["release"] == "2024-11"
    shutil.copytree(site, tmp_path / "cold")  # the cold build starts from the same published site ("What changed")

    (data / "example-fft" / "scores" / "2024-Q4.csv").write_bytes(full)  # the new month arrives
    update = build([data], site, cache_dir=cache)
    assert update.ok and update.summary["release"] == LAST_MONTH and not update.summary.get("unchanged")
    assert update.summary["charts_cached"] > 0  # the earlier months' charts came from the cache

    cold = build([data], tmp_path / "cold", cache_dir=tmp_path / "cold-cache")  # no cache at all
    assert cold.ok and cold.summary["charts_cached"] == 0 and not cold.summary.get("unchanged")
    assert _differences(site, tmp_path / "cold") == []

    again = build([data], site, cache_dir=cache)  # nothing changed: nothing to do
    assert again.ok and again.summary["unchanged"] and again.summary["charts_drawn"] == 0
    assert again.summary["pages"] == update.summary["pages"]
    assert _differences(site, tmp_path / "cold") == []


@pytest.mark.slow
def test_an_edited_site_or_a_broken_record_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    monkeypatch.chdir(tmp_path)
    data, cache, site = ROOT / "datapackages", tmp_path / "cache", tmp_path / "site"
    assert build([data], site, cache_dir=cache).ok
    page = site / "index.html"
    good = page.read_bytes()

    page.write_bytes(good.replace(b"</body>", b"<p>edited</p></body>"))  # someone edits the published site
    res = build([data], site, cache_dir=cache)
    assert res.ok and not res.summary.get("unchanged") and page.read_bytes() == good

    record = next((cache / "builds").glob("*.json"))
    record.write_text(record.read_text(encoding="utf-8")[:40], encoding="utf-8")  # a partial record
    res = build([data], site, cache_dir=cache)
    assert res.ok and not res.summary.get("unchanged") and page.read_bytes() == good

    assert build([data], site, cache_dir=cache).summary["unchanged"]  # recorded again
    assert not build([data], site, cache_dir=None).summary.get("unchanged")  # --no-cache always builds


def test_the_key_changes_with_each_input(tmp_path):
    from dataclasses import replace

    from generator import site_config
    from generator.settings import DEFAULT
    data = tmp_path / "data"
    shutil.copytree(ROOT / "tests" / "packages" / "minimal", data / "minimal")
    config = site_config.load(None)
    key = buildkey.build_key([data], DEFAULT, config, "", "2025-01-01")
    assert key == buildkey.build_key([data], DEFAULT, config, "", "2025-01-01")
    others = {buildkey.build_key([data], replace(DEFAULT, rank_draws=999), config, "", "2025-01-01"),
              buildkey.build_key([data], DEFAULT, config, "https://example.org/", "2025-01-01"),
              buildkey.build_key([data], DEFAULT, config, "", "2025-01-02")}
    scores = next((data / "minimal").glob("*.csv"))
    scores.write_bytes(scores.read_bytes() + b"\n")
    others.add(buildkey.build_key([data], DEFAULT, config, "", "2025-01-01"))
    assert key not in others and len(others) == 4
    assert buildkey.with_archive(key, None) != buildkey.with_archive(key, data)


@pytest.mark.slow
def test_a_build_in_two_processes_publishes_what_one_process_does(tmp_path, monkeypatch):
    """From render.FORK_FROM providers (England), a second process makes the downloads and the provider pages
    and writes them into the built site while MkDocs and this process do the rest (issue 20): the site is
    byte for byte the one a single process builds."""
    from generator.site import render
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    monkeypatch.chdir(tmp_path)
    one = build([ROOT / "datapackages"], tmp_path / "one", cache_dir=tmp_path / "cache-one")
    forks = []
    real = render.forked.Forked
    monkeypatch.setattr(render, "FORK_FROM", 1)
    monkeypatch.setattr(render.forked, "Forked", lambda *a, **k: forks.append(1) or real(*a, **k))
    two = build([ROOT / "datapackages"], tmp_path / "two", cache_dir=tmp_path / "cache-two")
    assert one.ok and two.ok and forks == [1]
    assert _differences(tmp_path / "one", tmp_path / "two") == []
    assert not list((tmp_path / "two" / "providers").glob("page-shell*"))  # the shell is gone, as in one process


def test_the_tree_digest_reads_every_file_in_path_order(tmp_path):
    """tree_digest walks with scandir (issue 20): the same digest as sha256 over rglob's files sorted as
    Paths (a-b/x after a/b, which a plain string sort would swap), symbolic-link folders not followed,
    __pycache__ left out; any byte or name changed changes it."""
    import hashlib
    root = tmp_path / "t"
    for rel, data in {"a/b": b"1", "a-b/x": b"2", "a/c/d.txt": b"3" * 300_000, "z": b"", "__pycache__/q.pyc": b"q",
                      "a/__pycache__/r.pyc": b"r"}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    (root / "link").symlink_to(root / "a", target_is_directory=True)
    files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    want = hashlib.sha256()
    for p in files:
        rel = p.relative_to(root).as_posix().encode("utf-8")
        want.update(len(rel).to_bytes(4, "big") + rel + hashlib.sha256(p.read_bytes()).digest())
    assert buildkey.digest_and_size(root) == (want.hexdigest(), 300_002)
    (root / "a" / "b").write_bytes(b"9")
    assert buildkey.tree_digest(root) != want.hexdigest()


def test_the_replaced_site_waits_beside_out_until_the_next_build(tmp_path):
    """A build keeps the site it replaced as .site.previous (issue 20: removing it at once waited 2-6 s for the disk
    at England scale); the next build removes it while it works and keeps the one it replaces; a folder of
    that name that is not a published site is left alone."""
    from generator.build import SITE_MARKER
    shutil.copytree(MINIMAL, tmp_path / "pkgs" / "minimal")
    out, previous = tmp_path / "site", tmp_path / ".site.previous"
    assert build([tmp_path / "pkgs"], out, cache_dir=None).ok and not previous.exists()
    (out / "mine.txt").write_text("first", encoding="utf-8")
    assert build([tmp_path / "pkgs"], out, cache_dir=None).ok
    assert (previous / "mine.txt").read_text(encoding="utf-8") == "first" and not (out / "mine.txt").exists()
    assert previous.stat().st_mode & 0o777 == 0o700  # a server of the folder holding --out cannot read it
    (out / "mine.txt").write_text("second", encoding="utf-8")
    assert build([tmp_path / "pkgs"], out, cache_dir=None).ok
    assert (previous / "mine.txt").read_text(encoding="utf-8") == "second" and (previous / SITE_MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", ".site.previous", "pkgs", "site"]
    shutil.rmtree(previous)
    previous.mkdir()
    (previous / "keep.txt").write_text("not a site", encoding="utf-8")
    assert build([tmp_path / "pkgs"], out, cache_dir=None).ok
    assert (previous / "keep.txt").is_file()  # not removed; the replaced site was removed instead
    assert "/.site.previous/" in (ROOT / "generator" / "scaffold" / "gitignore").read_text().split()  # a publisher's repo
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", ".site.previous", "pkgs", "site"]
