"""The durable store of releases: a git branch (`releases`), one folder per release, as mike keeps
versions on gh-pages. The publish workflow restores every earlier release from it before the build and
saves the new release to it only after the site has deployed. Standard library and git only.

    python -m generator.site.release_store restore --into archive          # earlier releases -> archive/
    python -m generator.site.release_store stage --site site --archive archive --out new-release
    python -m generator.site.release_store save --from new-release         # commit and push the new release

Each folder holds one release's archived copy (archive.py) and its record, release.json. Saving replaces
only the folders it is given, in a new commit on top of the branch, so earlier releases are never lost.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

BRANCH, REMOTE = "releases", "origin"
RECORD = "release.json"
BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")


class StoreError(Exception):
    pass


def _git(repo: Path, *args: str, env: dict | None = None, data: bytes | None = None) -> bytes:
    run = subprocess.run(["git", *args], cwd=repo, capture_output=True, input=data,
                         env={**os.environ, **(env or {})})
    if run.returncode != 0:
        raise StoreError(f"git {' '.join(args)}: {run.stderr.decode('utf-8', 'replace').strip()}")
    return run.stdout


def _tip(repo: Path, remote: str, branch: str) -> str | None:
    """Fetch the branch's newest commit (not its history); None when the store is still empty."""
    found = subprocess.run(["git", "ls-remote", "--exit-code", "--heads", remote, branch], cwd=repo,
                           capture_output=True)
    if found.returncode == 2:
        return None
    if found.returncode != 0:
        raise StoreError(f"cannot read {remote}: {found.stderr.decode('utf-8', 'replace').strip()}")
    _git(repo, "fetch", "--quiet", "--depth", "1", "--no-tags", remote, f"refs/heads/{branch}")
    return _git(repo, "rev-parse", "FETCH_HEAD").decode().strip()


def _valid(folder: Path) -> bool:
    try:
        return json.loads((folder / RECORD).read_text(encoding="utf-8")).get("period") == folder.name
    except (OSError, ValueError, AttributeError):
        return False


def restore(into: Path, repo: Path = Path("."), remote: str = REMOTE, branch: str = BRANCH) -> list[str]:
    """Unpack every stored release into `into` (created empty). Returns the periods restored."""
    tip = _tip(repo, remote, branch)
    if into.exists():
        shutil.rmtree(into)
    into.mkdir(parents=True)
    if tip is None:
        return []
    with tarfile.open(fileobj=io.BytesIO(_git(repo, "archive", "--format=tar", tip)), mode="r:") as tar:
        tar.extractall(into, filter="data")
    return sorted(p.name for p in into.iterdir() if p.is_dir() and _valid(p))


def stage(site: Path, archive: Path, out: Path) -> str:
    """Copy the release just built (the live site's period) from the archive folder into `out`, for saving."""
    try:
        period = json.loads((site / RECORD).read_text(encoding="utf-8"))["period"]
    except (OSError, ValueError, KeyError) as e:
        raise StoreError(f"no release record in {site}: {e}") from None
    if not _valid(archive / period):
        raise StoreError(f"the archive has no release {period}: build with --archive {archive}")
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(archive / period, out / period)
    return period


def save(src: Path, repo: Path = Path("."), remote: str = REMOTE, branch: str = BRANCH) -> str | None:
    """Commit the release folders in `src` on top of the stored branch and push. Returns the new commit,
    or None when the store already holds exactly these files."""
    periods = sorted(p.name for p in src.iterdir() if p.is_dir()) if src.is_dir() else []
    bad = [p for p in periods if not _valid(src / p)]
    if not periods or bad:
        raise StoreError(f"nothing to save in {src}" if not periods else f"not a release folder: {', '.join(bad)}")
    parent = _tip(repo, remote, branch)
    with tempfile.TemporaryDirectory() as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        for var, value in (("GIT_AUTHOR_NAME", BOT[0]), ("GIT_AUTHOR_EMAIL", BOT[1]),
                           ("GIT_COMMITTER_NAME", BOT[0]), ("GIT_COMMITTER_EMAIL", BOT[1])):
            env[var] = os.environ.get(var, value)
        _git(repo, "read-tree", *([parent] if parent else ["--empty"]), env=env)
        _git(repo, "rm", "-r", "-q", "--cached", "--ignore-unmatch", "--", *periods, env=env)
        _git(repo, f"--work-tree={src.resolve()}", "add", "-f", "--", *periods, env=env)
        tree = _git(repo, "write-tree", env=env).decode().strip()
        if parent and _git(repo, "rev-parse", f"{parent}^{{tree}}").decode().strip() == tree:
            return None
        commit = _git(repo, "commit-tree", tree, *(["-p", parent] if parent else []), env=env,
                      data=f"Release {', '.join(periods)}\n".encode()).decode().strip()
    _git(repo, "push", "--quiet", remote, f"{commit}:refs/heads/{branch}")
    return commit


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m generator.site.release_store", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    for name in ("restore", "save"):
        p = sub.add_parser(name)
        p.add_argument("--remote", default=REMOTE)
        p.add_argument("--branch", default=BRANCH)
        p.add_argument("--repo", type=Path, default=Path("."), help="the git checkout to work in")
    sub.choices["restore"].add_argument("--into", type=Path, required=True)
    sub.choices["save"].add_argument("--from", dest="src", type=Path, required=True)
    st = sub.add_parser("stage")
    st.add_argument("--site", type=Path, required=True)
    st.add_argument("--archive", type=Path, required=True)
    st.add_argument("--out", type=Path, required=True)
    a = ap.parse_args(argv)
    try:
        if a.command == "restore":
            found = restore(a.into, a.repo, a.remote, a.branch)
            print(f"restored {len(found)} releases from {a.remote} {a.branch}: {', '.join(found) or 'none yet'}")
        elif a.command == "stage":
            print(f"staged release {stage(a.site, a.archive, a.out)} in {a.out}")
        else:
            commit = save(a.src, a.repo, a.remote, a.branch)
            print(f"saved to {a.remote} {a.branch}: {commit}" if commit else "the store already holds this release")
    except StoreError as e:
        print(f"release store: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
