"""Stage 1: read data packages from disk into raw string tables.

Nothing here judges the values: every cell stays the text that was in the file,
so that validation can report each bad cell where it is. Reading problems
(unsafe paths, missing files, binary or oversized files) are returned as
Problems, never raised.

Every read is bounded: a file's size is checked before it is opened, the header
is looked for within the first MAX_HEADER_BYTES, rows longer than
MAX_RECORD_BYTES or wider than MAX_COLUMNS are refused before pandas sees them.
"""
from __future__ import annotations

import codecs
import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from generator.data.csvscan import MAX_COLUMNS, CsvRefused, TooManyCells, _utf8_error, parse_csv  # noqa: F401 (MAX_COLUMNS: re-exported)
from generator.data.descriptor_json import kind_of, read_json  # noqa: F401 (read_json: re-exported)
from generator.problems import Problem
from generator.settings import LIMITS

MAX_FILE_BYTES = LIMITS.file_bytes
MAX_HEADER_BYTES = LIMITS.header_bytes
DESCRIPTOR = "datapackage.json"


@dataclass
class RawFile:
    """One CSV file of a resource, every cell as text.

    frame has positional columns 0..width-1 (object dtype, Python str; "" where a row is short);
    cells[i] is how many cells data row i really had (0 for a blank line).
    Data row i is row i + row_offset of the file (the header is row 1).
    """
    path: Path      # on disk
    relpath: str    # as written in datapackage.json
    header: list[str]
    frame: pd.DataFrame
    cells: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    sha256: str = ""
    row_offset: int = 2


@dataclass
class RawResource:
    name: str
    package: str
    descriptor: dict[str, Any]
    files: list[RawFile] = field(default_factory=list)
    schema: object = None  # the package's own "schema" property as written, if any


@dataclass
class RawPackage:
    name: str
    folder: Path
    descriptor: dict[str, Any]
    resources: list[RawResource] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # relative path -> sha256

    @property
    def example(self) -> bool:
        return self.descriptor.get("example") is True


def _has_descriptor(folder: Path) -> bool:
    """A datapackage.json of any kind is there (a FIFO or device too: reading it then reports why not)."""
    try:
        return os.path.lexists(folder / DESCRIPTOR) and not (folder / DESCRIPTOR).is_dir()
    except OSError:
        return False


def find_packages(paths: list[Path]) -> list[Path]:
    """Package folders named directly, or found one level below a named folder (each once)."""
    found: dict[Path, Path] = {}  # resolved -> as given, in order
    for p in map(Path, paths):
        p = p.parent if p.name == DESCRIPTOR else p
        try:
            if _has_descriptor(p):
                found.setdefault(p.resolve(), p)
            elif p.is_dir():
                for c in sorted(c for c in p.iterdir() if c.is_dir() and _has_descriptor(c)):
                    found.setdefault(c.resolve(), c)
        except (OSError, RuntimeError):
            continue  # unreadable or looping folders: load_packages reports the path given
    return list(found.values())


def safe_path(folder: Path, rel: object) -> Path | None:
    """The file a resource path names, or None if it leaves the folder or is a URL."""
    if not isinstance(rel, str) or not rel or "://" in rel or rel.startswith(("/", "~")) or "\\" in rel or "\x00" in rel:
        return None
    parts = Path(rel).parts
    if not parts or any(p in ("..", "") for p in parts) or ":" in parts[0]:
        return None
    full = folder / rel
    try:
        if not full.resolve().is_relative_to(folder.resolve()):
            return None
    except RuntimeError:  # a symbolic-link loop leads nowhere: read_csv_file says so
        return full
    except OSError as e:
        return full if e.errno == errno.ELOOP else None
    return full


def read_csv_file(path: Path, relpath: str, package: str, resource: str) -> tuple[RawFile | None, list[Problem]]:
    where: dict[str, Any] = dict(package=package, resource=resource, file=relpath)
    try:
        try:
            mode = path.stat().st_mode
        except OSError as e:
            if e.errno != errno.ELOOP:
                raise
            return None, [Problem("file-missing", f"file {relpath} is a symbolic link that loops; nothing was read", **where)]
        if not stat.S_ISREG(mode):
            return None, [Problem("file-missing", f"file {relpath} is not a regular file (it is a {kind_of(mode)})", **where)]
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [Problem("file-too-large", f"{relpath} has {size:,} bytes; the limit is {MAX_FILE_BYTES:,}", **where)]
        with open(path, "rb") as fh:
            head = fh.read(MAX_HEADER_BYTES)
            bad = _head_problem(head, size, relpath)
            if bad:
                return None, [Problem(bad[0], bad[1], row=1, **where)]
            fh.seek(0)
            data = fh.read()  # one copy in memory (head + rest would make two)
    except FileNotFoundError:
        return None, [Problem("file-missing", f"file {relpath} does not exist", **where)]
    except OSError as e:
        return None, [Problem("file-missing", f"cannot read {relpath}: {e.strerror}", **where)]
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return None, [Problem("encoding-error", f"{relpath} contains binary data (a NUL byte on line {line}); "
                                                f"it is not a CSV text file", row=line, **where)]
    pos = _utf8_error(data)
    if pos is not None:
        line = data.count(b"\n", 0, pos) + 1
        return None, [Problem("encoding-error", f"{relpath} is not UTF-8: byte 0x{data[pos]:02x} on line {line} "
                                                f"(byte {pos}) cannot be decoded", row=line, **where)]
    try:
        header, frame, cells = parse_csv(data)
    except TooManyCells as e:
        return None, [Problem("file-too-large", f"{relpath}: {e.args[0]}", **where)]
    except CsvRefused as e:
        return None, [Problem("source-error", f"{relpath}: {e.args[0]}", row=e.args[1], **where)]
    return RawFile(path=path, relpath=relpath, header=header, frame=frame, cells=cells,
                   sha256=hashlib.sha256(data).hexdigest()), []


def _head_problem(head: bytes, size: int, relpath: str) -> tuple[str, str] | None:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "encoding-error", f"{relpath} is UTF-16 text; save it as UTF-8"
    if head.startswith(b"PK\x03\x04"):
        return "encoding-error", f"{relpath} is a zip file (perhaps an .xlsx spreadsheet), not CSV text; export it as CSV UTF-8"
    if b"\x00" in head:
        return "encoding-error", f"{relpath} contains binary data (NUL bytes); it is not a CSV text file"
    if not head.strip():
        return "source-error", f"{relpath} is empty; it needs a header row"
    if b"\n" not in head and size > len(head):
        return "source-error", f"{relpath}: the header row (row 1) is longer than {MAX_HEADER_BYTES:,} bytes"
    return None


def _resource(folder: Path, pkg: RawPackage, res: dict[str, Any], problems: list[Problem]) -> RawResource:
    raw = RawResource(name=res["name"], package=pkg.name, descriptor=res)
    where: dict[str, Any] = dict(package=pkg.name, resource=raw.name, field="path", file=DESCRIPTOR)
    rels = res.get("path")
    rels = rels if isinstance(rels, list) else [] if rels is None else [rels]
    if not rels:
        problems.append(Problem("package-descriptor", f"resource {raw.name} lists no file in path", **where))
    seen: set[str] = set()
    for rel in rels:
        full = safe_path(folder, rel)
        if full is None:
            problems.append(Problem("unsafe-path", f"path {str(rel)[:200]!r} of resource {raw.name} leaves the package "
                                                   f"folder, is absolute or is a URL; nothing was read", **where))
            continue
        if rel in seen:
            problems.append(Problem("package-descriptor", f"file {rel} is listed twice in resource {raw.name}", **where))
            continue
        seen.add(rel)
        rf, probs = read_csv_file(full, rel, pkg.name, raw.name)
        problems += probs
        if rf is not None:
            raw.files.append(rf)
            pkg.files[rel] = rf.sha256
    raw.schema = res.get("schema")
    return raw


def load_packages(paths: list[Path]) -> tuple[list[RawPackage], list[Problem]]:
    """Read every package under the given paths. Never raises for bad input."""
    problems: list[Problem] = []
    for p in paths:
        if not Path(p).exists():
            problems.append(Problem("package-missing", f"{p} does not exist", file=str(p)))
        elif not find_packages([Path(p)]):
            problems.append(Problem("package-missing", f"no {DESCRIPTOR} in {p} or its sub-folders", file=str(p)))
    packages: list[RawPackage] = []
    for folder in find_packages(paths):
        desc, data, probs = read_json(folder / DESCRIPTOR, DESCRIPTOR, dict(package=folder.name))
        problems += probs
        if desc is None:
            continue
        if not isinstance(desc, dict):
            problems.append(Problem("package-json", f"{DESCRIPTOR} must hold a JSON object", package=folder.name, file=DESCRIPTOR))
            continue
        given = desc.get("name")
        name = given if isinstance(given, str) and given else folder.name
        pkg = RawPackage(name=name, folder=folder, descriptor=desc, files={DESCRIPTOR: hashlib.sha256(data).hexdigest()})
        where: dict[str, Any] = dict(package=pkg.name, field="resources", file=DESCRIPTOR)
        resources = desc.get("resources")
        if not isinstance(resources, list):
            problems.append(Problem("package-descriptor", f"{DESCRIPTOR} has no list of resources", **where))
            resources = []
        for i, res in enumerate(resources, start=1):
            if not isinstance(res, dict) or not isinstance(res.get("name"), str) or not res["name"]:
                problems.append(Problem("package-descriptor", f"resource number {i} has no name", **where))
                continue
            pkg.resources.append(_resource(folder, pkg, res, problems))
        packages.append(pkg)
    return packages, problems
