"""Stage 6: the writer. Stages the docs tree, then publishes a built site atomically (fill.py holds what the
second process also uses to write its pages into the built site; see render.Later).

A build writes everything into a fresh staging folder beside the output; the
finished site replaces the old one in a single atomic exchange of two folders
(renameat2 RENAME_EXCHANGE), so a build killed at any moment leaves the previous
site whole. A lock file stops two builds from publishing at once.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import gzip
import json
import os
import posixpath
import shutil
import threading
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from generator.site import shells
from generator.site.fill import fill_folder, write_file as _write
from generator.site.charts import CACHE_SUFFIX, cache_entry
from generator.paths import site_lock
from generator.views.urls import url_dir

RENAME_EXCHANGE = 2
AT_FDCWD = -100


class BuildLocked(Exception):
    """Another build holds the lock."""


@contextmanager
def lock(out: Path):
    path = site_lock(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "w")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            raise BuildLocked(f"another build is writing {out} (lock {path}); wait for it to finish") from e
        yield
    finally:
        fh.close()


def new_staging(out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))


def clean_stale(out: Path) -> None:
    """Remove staging folders left by killed builds (call while holding the lock)."""
    for p in out.parent.glob(f".{out.name}.build-*"):
        shutil.rmtree(p, ignore_errors=True)


def add_files(site: Path, files: dict[str, str | bytes]) -> None:
    """Generated files written into the built site as MkDocs writes the ones it is handed (UTF-8, as given)."""
    for rel, data in sorted(files.items()):
        _write(site / rel, data)


def stage_docs(staging: Path, static_docs: list[Path], pages: dict, files: dict[str, str | bytes]) -> Path:
    """Copy the hand-written docs (a later folder's page replaces an earlier's), then add generated pages
    and files (a build hands its files to MkDocs instead: files={}, see mkdocs_stage.run). Returns the docs folder.
    HTML pages are not written here: one shell page per folder stands in for them (see fill_shells)."""
    docs = staging / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for folder in static_docs:
        if folder.is_dir():
            shutil.copytree(folder, docs, dirs_exist_ok=True)
    for rel in sorted(pages):
        if isinstance(pages[rel], shells.HtmlPage):
            _write(docs / shells.shell_path(rel), shells.shell_markdown())
        elif isinstance(pages[rel], shells.HeldRows):
            _write(docs / rel, pages[rel].markdown)
        else:
            _write(docs / rel, pages[rel])
    for rel in sorted(files):
        _write(docs / rel, files[rel])
    return docs


def html_pages(pages: dict) -> dict[str, "shells.HtmlPage | shells.HeldRows"]:
    """The pages finished after MkDocs (fill_shells): HTML pages, and the rows of league tables."""
    return {k: v for k, v in pages.items() if isinstance(v, (shells.HtmlPage, shells.HeldRows))}


def fill_shells(site: Path, pages: dict[str, "shells.HtmlPage | shells.HeldRows"],
                elsewhere: Callable[[], object] | None = None) -> int:
    """After MkDocs: write each HTML page into a copy of its folder's shell, drop the shells, and
    list the pages in the sitemap in place of the shell; put held rows back in their built pages.
    A folder of shells.PendingPage is being written by another process (render.Later.fill_site): elsewhere()
    waits for it before that folder's shell is dropped; without elsewhere a PendingPage is refused.
    Returns the number of pages written."""
    for rel in sorted(pages):
        held = pages[rel]
        if isinstance(held, shells.HeldRows):
            built = site / url_dir(rel) / "index.html"
            _write(built, shells.put_rows(built.read_text(encoding="utf-8"), held.rows))
    html = {k: v for k, v in pages.items() if isinstance(v, shells.HtmlPage)}
    pending = {k for k, v in html.items() if isinstance(v, shells.PendingPage)}
    if pending and elsewhere is None:
        raise RuntimeError(f"{len(pending)} pages were never rendered, e.g. {min(pending)}")
    by_folder: dict[str, list[str]] = {}
    for rel in sorted(html):
        by_folder.setdefault(posixpath.dirname(rel), []).append(rel)
    sitemap = site / "sitemap.xml"
    xml = sitemap.read_text(encoding="utf-8") if sitemap.is_file() else None
    later = []
    for folder, rels in by_folder.items():
        waiting = [r for r in rels if r in pending]
        if waiting and len(waiting) < len(rels):
            raise RuntimeError(f"folder {folder} holds pages rendered here and pages rendered elsewhere")
        if waiting:
            later.append(folder)
        else:
            fill_folder(site, folder, [(rel, html[rel]) for rel in rels])
            shutil.rmtree(site / folder / shells.NAME)
        if xml is not None:
            xml = shells.sitemap(xml, folder, rels)
    if xml is not None:
        _write(sitemap, xml)
        with gzip.GzipFile(site / "sitemap.xml.gz", "wb", mtime=0) as gz:  # as MkDocs writes it
            gz.write(xml.encode("utf-8"))
    if later:
        assert elsewhere is not None
        elsewhere()
        for folder in later:
            shutil.rmtree(site / folder / shells.NAME)
    return len(pages)


PENDING = "pending-pages.json"  # beside the staged docs folder: the HTML pages `serve` leaves for its hook


def save_pending(docs: Path, pages: dict[str, "shells.HtmlPage | shells.HeldRows"]) -> Path:
    """For `serve`: keep the HTML pages (and held rows) beside the staged docs, where the hook (shell_hook.py)
    finds them after each MkDocs rebuild from the docs folder MkDocs is given."""
    path = Path(docs).parent / PENDING
    _write(path, json.dumps({k: [v.title, v.body] if isinstance(v, shells.HtmlPage) else {"rows": list(v.rows)}
                             for k, v in sorted(pages.items())}, ensure_ascii=False))
    return path


def read_pending(docs: Path) -> dict[str, "shells.HtmlPage | shells.HeldRows"]:
    """The pages save_pending kept beside this docs folder (none if there is no such file)."""
    path = Path(docs).parent / PENDING
    if not path.is_file():
        return {}
    return {k: shells.HtmlPage(*v) if isinstance(v, list) else shells.HeldRows("", tuple(v["rows"]))
            for k, v in json.loads(path.read_text(encoding="utf-8")).items()}


def save_cache(cache_dir: Path | None, charts: dict) -> None:
    if cache_dir is None:
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    for c in charts.values():
        if c.new:  # whole or not at all: a temporary file of this process, then renamed over the entry
            target = cache_dir / f"{c.hash}{CACHE_SUFFIX}"
            tmp = cache_dir / f".{c.hash}.{os.getpid()}.tmp"
            tmp.write_bytes(cache_entry(c.svg))
            os.replace(tmp, target)


def _exchange(a: Path, b: Path) -> bool:
    libc = ctypes.CDLL(None, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    rc = fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


class Removal:
    """A folder being removed in a thread while the build finishes; join() waits and raises what it raised."""

    def __init__(self, folder: Path | None):
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._remove, args=(folder,), daemon=True) if folder else None
        if self._thread is not None:
            self._thread.start()

    def _remove(self, folder: Path) -> None:
        try:
            shutil.rmtree(folder)
        except BaseException as e:  # noqa: BLE001 - raised in join()
            self._error = e

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def join(self) -> None:
        self.wait()
        if self._error is not None:
            raise self._error


def publish(built: Path, out: Path) -> Removal:
    """Make `built` the site at `out`, atomically. The old site is kept beside it (keep_previous), or if it
    cannot be, removed in a thread (join the Removal returned before the build ends)."""
    if not out.exists():
        os.rename(built, out)
        return Removal(None)
    if _exchange(built, out):
        return keep_previous(built, out)  # built now holds the old site
    old = out.parent / f".{out.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    os.rename(out, old)
    os.rename(built, out)
    return keep_previous(old, out)


def previous_site(out: Path) -> Path:
    """Where the site a build replaced waits, beside --out, for the next build to remove it."""
    return out.parent / f".{out.name}.previous"


def keep_previous(old: Path, out: Path) -> Removal:
    """Move the replaced site to previous_site(out): the next build removes it while it validates, when the
    disk is not busy writing out a new site (removing 16,000 files waited for that: 2 to 6 s at England scale).
    Only its owner may open it. If it cannot be moved there (an earlier one is still there), it is removed now, in a
    thread."""
    try:
        os.chmod(old, 0o700)  # not readable by others (a web server) if the folder holding --out is served
        os.rename(old, previous_site(out))
        return Removal(None)
    except OSError:
        return Removal(old)


def clear_previous(out: Path, marker: str) -> Removal:
    """Start removing the site an earlier build replaced (keep_previous), if it is one: it holds the marker
    file every published site has."""
    folder = previous_site(out)
    return Removal(folder if (folder / marker).is_file() else None)


def attach_archive(built: Path, archive: Path, current: str) -> list[str]:
    """Copy earlier releases' archived copies (see archive.py) into the built site under releases/<period>/.

    Returns the periods attached. versions.json follows mike's format so version pickers can read it.
    """
    from generator.data.previous import archived_releases
    periods = sorted((p for p in archived_releases(archive) if p != current), reverse=True)
    for period in periods:
        shutil.copytree(archive / period, built / "releases" / period)
    versions = [{"version": current, "title": current, "aliases": ["latest"]}] + \
               [{"version": p, "title": p, "aliases": []} for p in periods]
    _write(built / "versions.json", json.dumps(versions, indent=1) + "\n")
    return periods


def save_release(archive: Path, period: str, files: dict[str, str | bytes]) -> None:
    """Keep this release's archived copy in the archive folder. An earlier copy of the same period is kept as it
    is when the published data are unchanged, else replaced as a correction (archive.carry_over)."""
    from generator.site.archive import carry_over
    from generator.data.previous import RECORD
    target = archive / period
    try:
        old = json.loads((target / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old = None
    kept = carry_over(old if isinstance(old, dict) else None, files)
    if kept is None:
        return
    tmp = archive / f".{period}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    for rel in sorted(kept):
        _write(tmp / rel, kept[rel])
    shutil.rmtree(target, ignore_errors=True)
    os.rename(tmp, target)
