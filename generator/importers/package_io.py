"""Read a standard package folder and plan the files an import changes.

A table here is a dict from primary-key tuple to row (a dict of text cells in
the standard's columns). Nothing is written until `commit`, which writes each
changed file through a temporary file and os.replace, datapackage.json last.
"""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.data.dataset import RESOURCES, STANDARD_VERSION
from generator.paths import STANDARD_DIR
from generator.problems import Problem

SCORES_DIR = "scores"


def schema(name: str) -> dict:
    return json.loads((STANDARD_DIR / f"{name}.json").read_text(encoding="utf-8"))


def columns(name: str) -> list[str]:
    return [f["name"] for f in schema(name)["fields"]]


def key_columns(name: str) -> list[str]:
    return schema(name)["primaryKey"]


def csv_bytes(cols: list[str], rows: list[dict]) -> bytes:
    """Canonical CSV: header in the given order, '\\n' endings, UTF-8."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow([r.get(c, "") for c in cols])
    return buf.getvalue().encode("utf-8")


def read_csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [{k: (v or "") for k, v in r.items() if k is not None} for r in csv.DictReader(fh)]


@dataclass
class Held:
    """One file of a resource already in the package."""
    rel: str
    rows: dict  # key tuple -> row
    dirty: bool = False


@dataclass
class Package:
    folder: Path
    descriptor: dict
    files: dict[str, list[Held]] = field(default_factory=dict)  # resource or extra name -> files

    def rows(self, name: str) -> dict:
        out: dict = {}
        for h in self.files.get(name, []):
            out.update(h.rows)
        return out


def _rels(res: dict) -> list[str]:
    p = res.get("path")
    return [x for x in (p if isinstance(p, list) else [p]) if isinstance(x, str)]


def read_package(folder: Path, extras: dict[str, list[str]]) -> tuple[Package | None, list[Problem]]:
    """The package's managed tables (standard resources + named extras), or a problem."""
    folder = Path(folder)
    where = dict(package=folder.name, file=str(folder / "datapackage.json"))
    if folder.exists() and not folder.is_dir():
        return None, [Problem("import-package", f"{folder} exists and is not a folder", **where)]
    dp = folder / "datapackage.json"
    if not dp.exists():
        return Package(folder=folder, descriptor={}), []
    try:
        desc = json.loads(dp.read_text(encoding="utf-8"))
        if not isinstance(desc, dict) or not isinstance(desc.get("resources", []), list):
            raise ValueError("not a package descriptor")
    except (OSError, UnicodeDecodeError, ValueError) as e:
        return None, [Problem("import-package", f"datapackage.json cannot be read: {e}", **where)]
    pkg = Package(folder=folder, descriptor=desc)
    specs = [(r.get("name"), _rels(r), key_columns(r["name"])) for r in desc.get("resources", [])
             if isinstance(r, dict) and r.get("name") in RESOURCES]
    for prop, keys in extras.items():
        ex = desc.get(prop)
        if isinstance(ex, dict):
            specs.append((prop, _rels(ex), keys))
    for name, rels, keys in specs:
        for rel in rels:
            path = folder / rel
            if ".." in Path(rel).parts or Path(rel).is_absolute():
                return None, [Problem("import-package", f"resource {name} has an unsafe path {rel!r}", **where)]
            if not path.is_file():
                continue  # a listed file that is missing is recreated if rows need it
            try:
                rows = read_csv_rows(path)
            except (OSError, UnicodeDecodeError, csv.Error) as e:
                return None, [Problem("import-package", f"{rel} cannot be read: {e}", resource=name, **where)]
            held = {tuple(r.get(k, "") for k in keys): r for r in rows}
            pkg.files.setdefault(name, []).append(Held(rel=rel, rows=held))
    return pkg, []


def resource_descriptor(name: str, rel) -> dict:
    return {"name": name, "path": rel, "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "schema": schema(name)}


def commit(folder: Path, files: dict[str, bytes]) -> tuple[list[str], list[str], list[Problem]]:
    """Write files whose bytes differ; datapackage.json last. Returns (written, unchanged, problems)."""
    written, unchanged = [], []
    order = sorted(files, key=lambda r: (r == "datapackage.json", r))
    for rel in order:
        path = folder / rel
        data = files[rel]
        try:
            if path.is_file() and path.read_bytes() == data:
                unchanged.append(rel)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except OSError as e:
            return written, unchanged, [Problem("import-write", f"cannot write {rel}: {e.strerror or e}",
                                                package=folder.name, file=str(path))]
        written.append(rel)
    return written, unchanged, []


def descriptor_json(desc: dict) -> bytes:
    return (json.dumps(desc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def base_descriptor(pkg: Package, title: str, licenses: list[dict]) -> dict:
    """The existing descriptor with name, title, standard and licences filled in."""
    desc = dict(pkg.descriptor)
    desc["name"] = pkg.folder.name
    desc.setdefault("title", title)
    desc["standard"] = STANDARD_VERSION
    have = [lic for lic in desc.get("licenses", []) if isinstance(lic, dict)]
    names = {lic.get("name") for lic in have}
    desc["licenses"] = have + [lic for lic in licenses if lic.get("name") not in names]
    desc.setdefault("resources", [])
    return desc
