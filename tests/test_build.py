"""The spine: the example site builds in strict mode, and a failed build publishes nothing."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from site_support import EPOCH, ROOT, build_example, copy_packages, tree_hashes


def cli(*args, cwd=ROOT, env=None):
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})}, timeout=600)


def test_example_site_has_every_page():
    out, res, _ = build_example()
    assert (out / "index.html").is_file()
    measures = list(csv.DictReader(open(ROOT / "datapackages/example-reference/measures.csv", encoding="utf-8")))
    providers = list(csv.DictReader(open(ROOT / "datapackages/example-reference/providers.csv", encoding="utf-8")))
    for m in measures:
        assert (out / "measures" / m["id"] / "index.html").is_file(), m["id"]
    for p in providers:
        assert (out / "providers" / p["code"].lower() / "index.html").is_file(), p["code"]
    for page in ("methods", "data-standard", "problem-codes", "providers", "red-flags", "downloads", "changes"):
        assert (out / page / "index.html").is_file(), page
    assert res.summary["providers"] == len(providers)


def test_every_page_says_example_data():
    out, _, _ = build_example()
    pages = [p for p in out.rglob("*.html") if "releases" not in p.parts]
    missing = [str(p.relative_to(out)) for p in pages
               if "Example data, not real results" not in p.read_text(encoding="utf-8")
               and "has moved" not in p.read_text(encoding="utf-8")]
    assert pages and missing == []


def test_provider_pages_stay_out_of_navigation_and_search():
    out, _, _ = build_example()
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "providers/x1a/" not in home  # not in the nav tree
    index = json.loads((out / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {d["location"].split("#")[0] for d in index["docs"]}
    assert not any(loc.startswith("providers/") and loc != "providers/" for loc in locations)
    # league tables and red-flag tables are left out too: the index stays small at England scale
    # (Material's parser ends an exclusion at the first inner end tag of the same name, so the
    # attribute sits on elements with no same-named element inside)
    leaked = [d["location"] for d in index["docs"] if ("X1A" in d["text"] or "Exampleton Teaching" in d["text"])
              and not d["location"].startswith("providers/#")]  # the finder's own list, so search finds names
    assert leaked == []


def test_rebuild_with_unchanged_inputs_draws_no_chart(tmp_path):
    from generator.build import build
    out, first, cache = build_example()
    res = build([ROOT / "datapackages"], tmp_path / "site", cache_dir=cache)
    assert res.ok and res.summary["charts_drawn"] == 0 and res.summary["charts_cached"] > 0


def test_two_builds_are_byte_identical(tmp_path):
    from generator.build import build
    out, _, _ = build_example()
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    res = build([ROOT / "datapackages"], tmp_path / "site", cache_dir=None)
    assert res.ok
    a, b = tree_hashes(out), tree_hashes(tmp_path / "site")
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def _break_a_cell(packages: Path) -> tuple[str, int]:
    path = packages / "example-fft" / "scores" / "2024-Q4.csv"
    rows = list(csv.reader(open(path, encoding="utf-8")))
    col = rows[0].index("responses")
    rows[5][col] = "many"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return "scores/2024-Q4.csv", 6


def test_validate_names_file_row_and_field(tmp_path):
    packages = copy_packages(tmp_path)
    file, row = _break_a_cell(packages)
    run = cli("validate", str(packages), "--json")
    assert run.returncode == 1
    report = json.loads(run.stdout)
    errors = [(p["code"], p["file"], p["row"], p["field"]) for p in report["problems"] if p["severity"] == "error"]
    assert errors == [("type-error", file, row, "responses")]
    table = cli("validate", str(packages))
    assert table.returncode == 1 and "responses" in table.stdout and "Traceback" not in table.stderr


def test_failed_build_leaves_the_site_unchanged(tmp_path):
    out, _, _ = build_example()
    site = tmp_path / "site"
    import shutil
    shutil.copytree(out, site)
    before = tree_hashes(site)
    packages = copy_packages(tmp_path)
    _break_a_cell(packages)
    run = cli("build", "--datapackages", str(packages), "--out", str(site))
    assert run.returncode == 1
    assert "Traceback" not in run.stderr and "unchanged" in run.stderr
    assert tree_hashes(site) == before
    assert not list(tmp_path.glob(".site.build-*"))


def test_bad_usage_exits_2_with_one_line():
    for args in (["build", "--no-such-option"], ["build", "--datapackages", "no/such/folder"], ["frobnicate"],
                 ["validate", "no/such/folder"]):
        run = cli(*args)
        assert run.returncode == 2, args
        assert len(run.stderr.strip().splitlines()) == 1, run.stderr
        assert "Traceback" not in run.stderr


def test_help_lists_the_commands():
    run = cli("--help")
    assert run.returncode == 0
    for command in ("validate", "build", "serve", "import"):
        assert command in run.stdout


def test_every_problem_code_is_documented_on_the_site():
    from html import unescape

    from generator.problems import CODES
    out, _, _ = build_example()
    page = unescape((out / "problem-codes" / "index.html").read_text(encoding="utf-8"))
    missing = [code for code, (title, hint) in CODES.items() if f'id="{code}"' not in page or title not in page]
    assert missing == []


def test_data_standard_page_is_generated_from_the_schemas():
    import json as _json
    from html import unescape

    from generator.paths import STANDARD_DIR
    out, _, _ = build_example()
    page = unescape((out / "data-standard" / "index.html").read_text(encoding="utf-8"))
    for path in STANDARD_DIR.glob("*.json"):
        for field in _json.loads(path.read_text())["fields"]:
            assert f"<td>{field['name']}</td>" in page, (path.stem, field["name"])


def test_out_that_would_delete_other_files_is_refused(tmp_path):
    """--out is replaced whole: an input folder, a folder holding one, the current folder and a folder that is
    not a site this generator published are refused with exit 2 and one line; nothing is deleted."""
    repo = tmp_path / "repo"
    packages = copy_packages(repo)
    (repo / "archive").mkdir()
    (repo / ".git").mkdir()
    (repo / "NOTES.md").write_text("x")
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("y")
    before = tree_hashes(tmp_path)
    for args, cwd in ((["--out", str(repo)], ROOT), (["--out", "."], repo), (["--out", str(packages)], ROOT),
                      (["--out", str(repo / "archive"), "--archive", str(repo / "archive")], ROOT),
                      (["--out", str(other)], ROOT), (["--out", str(ROOT)], ROOT)):
        run = cli("build", "--datapackages", str(packages), *args, cwd=cwd)
        assert run.returncode == 2, (args, run.stderr)
        assert len(run.stderr.strip().splitlines()) == 1 and "--out" in run.stderr, run.stderr
        assert tree_hashes(tmp_path) == before
        assert (repo / ".git").is_dir()


def test_out_accepts_an_earlier_site_with_or_without_the_marker(tmp_path):
    from generator.build import SITE_MARKER, BadOut, out_folder
    import pytest
    old = tmp_path / "old"
    (old / "assets").mkdir(parents=True)
    (old / "index.html").write_text("<html></html>")
    (old / "assets" / "site.css").write_text("")
    assert out_folder(old) == old
    marked = tmp_path / "marked"
    marked.mkdir()
    (marked / SITE_MARKER).write_text("")
    (marked / "x.html").write_text("")
    assert out_folder(marked) == marked
    assert out_folder(tmp_path / "new") == tmp_path / "new"
    (old / "assets" / "site.css").unlink()
    with pytest.raises(BadOut):
        out_folder(old)


def test_a_published_site_carries_the_marker():
    from generator.build import SITE_MARKER
    out, _, _ = build_example()
    assert (out / SITE_MARKER).is_file()


def test_publish_swaps_the_site_and_removes_the_old_one_in_a_thread(tmp_path):
    """Issue 20: the old site is removed while the build reads the new one's digest; join() waits for it and
    raises what the removal raised."""
    from generator.site import write
    out, built = tmp_path / "site", tmp_path / "staging" / "site"
    (out / "old").mkdir(parents=True)
    (out / "old" / "page.html").write_text("old")
    (built / "new").mkdir(parents=True)
    (built / "new" / "page.html").write_text("new")
    write.publish(built, out).join()
    assert (out / "new" / "page.html").read_text() == "new" and not (out / "old").exists()
    assert not built.exists()  # the old site was left here by the swap, then removed
    gone = write.Removal(tmp_path / "no-such-folder")
    import pytest
    with pytest.raises(FileNotFoundError):
        gone.join()
