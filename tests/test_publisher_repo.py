"""The generator as a tool: it builds a publisher's repository from any folder, with the publisher's own
mkdocs.yml (or none), and `new` starts such a repository."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

from toolcheck import require_actionlint

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "packages" / "minimal"


def run(*args, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GENERATOR_CACHE": str(Path(cwd) / ".cache")}
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


def test_builds_from_a_folder_holding_only_data_packages(tmp_path):
    shutil.copytree(MINIMAL, tmp_path / "datapackages" / "minimal")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["datapackages"]  # no mkdocs.yml, no docs/
    res = run("build", "--datapackages", "datapackages", "--out", "site", cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "<title>Patient experience league tables" in home  # the generator's own settings
    assert "application/ld+json" in home  # its theme overrides (generator/theme/main.html) are used
    assert (tmp_path / "site" / "about" / "index.html").is_file()  # its hand-written pages are shipped


def test_new_starts_a_repository_that_builds_with_its_own_settings(tmp_path):
    res = run("new", "pub", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    pub = tmp_path / "pub"
    made = sorted(p.relative_to(pub).as_posix() for p in pub.rglob("*") if p.is_file())
    assert made == [".github/workflows/publish.yml", ".gitignore", "README.md", "datapackages/README.md",
                    "mkdocs.yml"]
    readme = (pub / "README.md").read_text(encoding="utf-8")
    assert "python3 -m generator build" in readme and "python3 -m generator validate datapackages/" in readme
    lint = subprocess.run([str(require_actionlint()), ".github/workflows/publish.yml"], capture_output=True,
                          text=True, cwd=pub)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    # the publisher's settings reach the site; the pages it adds in docs/ replace the generator's
    config = (pub / "mkdocs.yml").read_text(encoding="utf-8")
    (pub / "mkdocs.yml").write_text(config.replace("site_name: Patient experience league tables",
                                                   "site_name: Testland hospital experience"), encoding="utf-8")
    (pub / "docs").mkdir()
    (pub / "docs" / "about.md").write_text("# About Testland\n\nRun by the Testland health department.\n")
    shutil.copytree(MINIMAL, pub / "datapackages" / "minimal")
    res = run("build", "--datapackages", "pub/datapackages", "--config", "pub/mkdocs.yml", "--out", "out",
              cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    home = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "<title>Testland hospital experience" in home and "Patient experience league tables" not in home
    assert "Run by the Testland health department." in (tmp_path / "out" / "about" / "index.html").read_text()
    assert "application/ld+json" in home


def test_new_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "pub").mkdir()
    (tmp_path / "pub" / "notes.txt").write_text("mine")
    res = run("new", "pub", cwd=tmp_path)
    assert res.returncode == 2 and "not an empty folder" in res.stderr
    assert sorted(p.name for p in (tmp_path / "pub").iterdir()) == ["notes.txt"]


def test_a_config_that_is_not_settings_stops_the_build_before_any_work(tmp_path):
    shutil.copytree(MINIMAL, tmp_path / "datapackages" / "minimal")
    (tmp_path / "mkdocs.yml").write_text("- just\n- a list\n")
    res = run("build", "--out", "site", cwd=tmp_path)
    assert res.returncode == 1 and "mkdocs.yml is not a set of `key: value` settings" in res.stderr
    assert not (tmp_path / "site").exists()
