"""A no-change rebuild costs hashing, not building.

A build's output depends on: the generator (its code, templates, assets, theme and standard), the
libraries that draw and render, the settings, the site configuration (merged mkdocs.yml, hand-written
docs, a custom theme folder), the publication date, the data packages, the archive of earlier releases
and the earlier site at --out (read for "What changed" and published case-study ids). The build key is a
sha256 of all of them, read byte for byte. After a build is published, the key and a digest of every
file in --out are recorded in the cache folder. The next build with the same key, finding --out
byte-for-byte as recorded, has nothing to do. A record that is missing, unreadable, for another key,
or for an --out that changed since (a file edited, added or removed) is ignored and the site is built.
"""
from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
import json
import os
from importlib import metadata
from pathlib import Path

from generator import paths
from generator.problems import Problem
from generator.settings import Settings

FORMAT = "1"  # change when what is hashed changes
LIBRARIES = ("jinja2", "markdown", "matplotlib", "mkdocs", "mkdocs-material", "numpy", "pandas",
             "pymdown-extensions", "frictionless")


def _files(folder: str, rel: str = "") -> list[tuple[str, str]]:
    """(relative path, path) of every file under folder, sorted by their parts as Path sorts them; folders
    that are symbolic links are not followed (as Path.rglob) and __pycache__ is left out. One scandir a
    folder: no stat a file (about 6 times quicker than rglob and is_file at 16,000 files)."""
    with os.scandir(folder) as it:
        entries = sorted(it, key=lambda e: e.name)
    out = []
    for e in entries:
        if e.name == "__pycache__":
            continue
        if e.is_dir() and not e.is_symlink():
            out += _files(e.path, f"{rel}{e.name}/")
        elif e.is_file():
            out.append((rel + e.name, e.path))
    return out


def tree_digest(folder: Path | None) -> str:
    """sha256 of every file under folder: its path relative to folder and its bytes ("" for no folder)."""
    return digest_and_size(folder)[0]


def digest_and_size(folder: Path | None) -> tuple[str, int]:
    """tree_digest(folder), and the bytes of its files added up (read on the same walk)."""
    if folder is None or not folder.is_dir():
        return "", 0
    h, size = hashlib.sha256(), 0
    files = _files(str(folder))
    with ThreadPoolExecutor(2) as pool:  # hashlib lets go of the GIL while it hashes: two files at a time
        for (rel, _), (digest, n) in zip(files, pool.map(_file_digest, [path for _, path in files])):
            name = rel.encode("utf-8")
            h.update(len(name).to_bytes(4, "big") + name)
            h.update(digest)
            size += n
    return h.hexdigest(), size


def _file_digest(path: str) -> tuple[bytes, int]:
    """sha256 of a file's bytes, and how many there were."""
    fd = os.open(path, os.O_RDONLY)
    try:
        h, n = hashlib.sha256(), 0
        while chunk := os.read(fd, 1 << 20):
            h.update(chunk)
            n += len(chunk)
        return h.digest(), n
    finally:
        os.close(fd)


def _versions() -> dict[str, str]:
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = ""
    return out


def build_key(datapackages: list[Path], settings: Settings, config, site_url: str, published: str) -> str:
    """The key of everything a build reads except the archive (with_archive) and --out (checked by digest)."""
    theme = config.settings.get("theme") if isinstance(config.settings.get("theme"), dict) else {}
    custom = Path(theme["custom_dir"]) if theme.get("custom_dir") else None
    parts = {
        "format": FORMAT, "generator": tree_digest(paths.PACKAGE_DIR), "libraries": _versions(),
        "settings": repr(settings), "config": json.dumps(config.settings, sort_keys=True, default=str),
        "docs": [tree_digest(d) for d in config.docs], "theme": tree_digest(custom),
        "site_url": site_url, "published": published,
        "data": [tree_digest(Path(d)) for d in datapackages],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def with_archive(key: str, archive: Path | None) -> str:
    """The build key with the archive of earlier releases as it is now (a build adds its own release to it,
    so the key is recorded with the archive as the build left it)."""
    return hashlib.sha256(f"{key}:{tree_digest(archive)}".encode("utf-8")).hexdigest()


def _record(cache_dir: Path, out: Path) -> Path:
    where = hashlib.sha256(str(out.resolve()).encode("utf-8")).hexdigest()[:16]
    return cache_dir / "builds" / f"{where}.json"


def unchanged(cache_dir: Path | None, out: Path, key: str) -> tuple[dict, list[Problem]] | None:
    """The recorded summary and problems when --out already holds the build of this key, else None."""
    if cache_dir is None:
        return None
    try:
        rec = json.loads(_record(cache_dir, out).read_text(encoding="utf-8"))
        if rec["key"] != key or rec["out"] != tree_digest(out):
            return None
        fields = set(Problem.__dataclass_fields__)
        return dict(rec["summary"]), [Problem(**{k: v for k, v in p.items() if k in fields}) for p in rec["problems"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # a missing, partial or foreign record: build


def remember(cache_dir: Path | None, out: Path, key: str, summary: dict, problems: list[Problem],
             digest: str | None = None) -> None:
    """Record that --out now holds the build of this key (written whole, then renamed into place).
    digest: tree_digest(out), when it has been read already."""
    if cache_dir is None:
        return
    target = _record(cache_dir, out)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"key": key, "out": digest if digest is not None else tree_digest(out), "summary": summary,
                               "problems": [p.as_dict() for p in problems]}, sort_keys=True, default=str),
                   encoding="utf-8")
    os.replace(tmp, target)
