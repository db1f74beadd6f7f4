"""Merge one imported file into a package: plan every file's new bytes.

Rules (see docs in __init__):
- scores (and extras such as stars.csv): a row whose key is already held with
  different values is a contradiction; any contradiction refuses the import.
- providers, commissioners, measures, groups: rows with new keys are added; rows
  with held keys are replaced only when this file is the package's latest import
  (latest period, or as-of date for reference files; ties broken by checksum),
  so the result does not depend on the order files are imported in. A replaced row
  keeps the held values of columns the file does not supply (a file about hospital
  types does not empty their names, nor an HCAHPS file their peer groups).
- a file about held providers only (Batch.held_only, e.g. CMS Hospital General
  Information): its rows about providers the package does not hold are left out
  (counted), and its provider rows only update held providers, whatever the order.
- sources: one row per dataset, describing the latest file of that dataset.
- datapackage.json records every imported file under "x-imports".
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from generator.data.dataset import RESOURCES
from generator.problems import WARNING, Problem
from generator.settings import LIMITS
from generator.importers.package_io import (SCORES_DIR, Held, Package, base_descriptor, columns, csv_bytes,
                         descriptor_json, key_columns, resource_descriptor)

NUMERIC = {"responses", "numerator", "mean", "se", "sd", "observed", "expected"}
IMPORTS = "x-imports"
ALL_GROUP = {"id": "all", "dimension": "all", "label": "All patients", "seldom_heard": "false"}  # scores use group "all"


@dataclass
class Extra:
    """A non-standard table kept in the package, listed under a custom property."""
    path: str
    fields: list[str]
    keys: list[str]
    description: str
    rows: list[dict] = field(default_factory=list)


@dataclass
class Batch:
    """What one importer read from one file."""
    dataset: str
    title: str            # package title, used when the package is new
    source_title: str     # sources.title; the period range is appended
    publisher: str
    licence: str          # sources.licence
    licenses: list[dict]  # datapackage.json licenses
    tables: dict[str, list[dict]] = field(default_factory=dict)
    scores: list[dict] = field(default_factory=list)
    extras: dict[str, Extra] = field(default_factory=dict)
    periods: list[str] = field(default_factory=list)
    as_of: str = ""       # for files without periods: latest date in the file (ranks reference extracts)
    add_only: set = field(default_factory=set)  # tables whose held rows this file never replaces
    held_only: bool = False  # rows about providers the package does not hold are left out, none is added
    context: dict = field(default_factory=dict)  # the publisher's words (datapackage.json "publisher", standard 1.4)


def _num(v: str) -> float | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def same_row(a: dict, b: dict, cols: list[str]) -> bool:
    for c in cols:
        x, y = (a.get(c) or "").strip(), (b.get(c) or "").strip()
        if c in NUMERIC and x and y and _num(x) is not None and _num(y) is not None:
            if abs(_num(x) - _num(y)) > 1e-9:
                return False
        elif x != y:
            return False
    return True


def _find(files: list[Held], key) -> Held | None:
    for h in files:
        if key in h.rows:
            return h
    return None


def _target(pkg: Package, name: str, rel: str) -> Held:
    files = pkg.files.setdefault(name, [])
    for h in files:
        if h.rel == rel:
            return h
    h = Held(rel=rel, rows={}, dirty=True)
    files.append(h)
    return h


def _merge_data(pkg, name, rows, cols, keys, rel_of, label) -> tuple[int, list[str]]:
    """Add rows that refuse to change held values. Returns (new rows, contradictions)."""
    held = pkg.files.setdefault(name, [])
    new, clashes, seen = 0, [], {}
    for r in rows:
        k = tuple(r.get(c, "") for c in keys)
        old = seen.get(k)
        h = _find(held, k)
        if old is None and h is not None:
            old = h.rows[k]
        if old is not None:
            if not same_row(old, r, cols):
                clashes.append(label(k))
            continue
        seen[k] = r
        t = _target(pkg, name, rel_of(r))
        t.rows[k] = {c: r.get(c, "") for c in cols}
        t.dirty = True
        new += 1
    return new, clashes


def _upsert(pkg, name, rows, replace: bool) -> tuple[int, int]:
    """Add rows with new keys; replace differing held rows if `replace` (keeping the held values of the
    columns a row does not supply). Returns (added, replaced)."""
    cols, keys = columns(name), key_columns(name)
    held = pkg.files.setdefault(name, [])
    added = replaced = 0
    for r in rows:
        k = tuple(r.get(c, "") for c in keys)
        h = _find(held, k)
        row = {c: r.get(c, "") if c in r or h is None else h.rows[k].get(c, "") for c in cols}
        if h is None:
            h = held[0] if held else _target(pkg, name, f"{name}.csv")
            added += 1
        elif not replace or same_row(h.rows[k], row, cols):
            continue
        else:
            replaced += 1
        h.rows[k] = row
        h.dirty = True
    return added, replaced


def _rank(rec: dict) -> tuple:
    """Later data ranks higher: latest period (or as-of date), then checksum to break ties,
    so the outcome does not depend on the order files were imported in."""
    return (max(rec.get("periods") or [rec.get("as_of", "")]), rec.get("sha256", ""))


def _record(desc: dict, batch: Batch, sha: str, filename: str, today: str) -> tuple[list, dict, bool]:
    imports = [r for r in desc.get(IMPORTS, []) if isinstance(r, dict)]
    rec = next((r for r in imports if r.get("dataset") == batch.dataset and r.get("sha256") == sha), None)
    if rec is None:
        rec = {"dataset": batch.dataset, "file": filename, "sha256": sha, "retrieved": today,
               "periods": sorted(set(batch.periods))}
        if batch.as_of:
            rec["as_of"] = batch.as_of
        imports.append(rec)
    imports.sort(key=lambda r: (str(r.get("dataset", "")), _rank(r)))
    mine = [r for r in imports if r.get("dataset") == batch.dataset]
    # sources describe the latest file of the dataset; held rows are replaced only by
    # the latest file of the whole package, so a late import of an old month changes nothing
    return imports, max(mine, key=_rank), max(imports, key=_rank) is rec


def merge(pkg: Package, batch: Batch, sha: str, filename: str, today: str) -> tuple[dict, dict, list[Problem]]:
    """Plan the import. Returns (files rel -> bytes, stats, problems); no files on error."""
    desc = base_descriptor(pkg, batch.title, batch.licenses)
    imports, latest, is_latest = _record(desc, batch, sha, filename, today)
    stats = {"rows_new": 0}
    where = dict(package=pkg.folder.name, file=filename)

    cols, keys = columns("scores"), key_columns("scores")
    new, clashes = _merge_data(pkg, "scores", batch.scores, cols, keys,
                               lambda r: f"{SCORES_DIR}/{r['period']}.csv",
                               lambda k: f"provider {k[0]}, measure {k[1]}, period {k[2]}, group {k[3]}")
    stats["rows_new"] += new
    for prop, ex in batch.extras.items():
        n, c = _merge_data(pkg, prop, ex.rows, ex.fields, ex.keys, lambda r, ex=ex: ex.path,
                           lambda k, prop=prop: f"{prop} row {' / '.join(k)}")
        stats["rows_new"] += n
        clashes += c
    if clashes:
        shown = "; ".join(clashes[:5]) + (f"; and {len(clashes) - 5} more" if len(clashes) > 5 else "")
        return {}, stats, [Problem("import-contradiction",
                                   f"{len(clashes)} rows contradict data already held (or another row of the file); nothing was written: {shown}", **where)]

    tables = _held(pkg, batch, stats) if batch.held_only else batch.tables
    if batch.held_only and not stats["providers_matched"]:
        return {}, stats, [Problem("import-no-providers", f"none of the {stats['providers_not_held']:,} providers in "
                                   "this file is a provider of the package, so nothing was written; import the "
                                   "file of results (e.g. hcahps) into the package first", **where)]
    warned = [] if not batch.held_only or not stats["providers_not_listed"] else [_not_listed(stats, where)]
    for name in ("commissioners", "providers", "measures", "groups", "postcode-districts", "notes", "ratings"):
        added, replaced = _upsert(pkg, name, tables.get(name, []),
                                  replace=(is_latest or batch.held_only) and name not in batch.add_only)
        if name == "providers":
            stats.update(providers_new=added, providers_updated=replaced)
    periods = sorted({p for r in imports if r.get("dataset") == batch.dataset for p in r.get("periods") or []})
    span = f", {periods[0]} to {periods[-1]}" if len(periods) > 1 else (f", {periods[0]}" if periods else "")
    old = pkg.rows("sources").get((batch.dataset,), {})
    _upsert(pkg, "sources", [{"id": batch.dataset, "title": batch.source_title + span, "publisher": batch.publisher,
                              "licence": batch.licence, "url": old.get("url", ""),
                              "retrieved": latest["retrieved"], "checksum": latest["sha256"]}], replace=True)

    files: dict[str, bytes] = {}
    for name, held in pkg.files.items():
        cols = columns(name) if name in RESOURCES else batch.extras[name].fields
        for h in held:
            if h.dirty:
                files[h.rel] = csv_bytes(cols, [h.rows[k] for k in sorted(h.rows)])
    desc["resources"] = _resources(desc, pkg)
    for prop, ex in batch.extras.items():
        desc[prop] = {"path": ex.path, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                      "description": ex.description, "fields": ex.fields, "primaryKey": ex.keys}
    if batch.context:
        desc.setdefault("publisher", batch.context)  # words the publisher has edited are kept
    desc[IMPORTS] = imports
    files["datapackage.json"] = descriptor_json(desc)
    return files, stats, warned


def _not_listed(stats: dict, where: dict) -> Problem:
    """A warning naming the package's providers a held-only file has no row for: they get nothing from it
    (no peer group, so each is compared only with the others that have none)."""
    codes, named = stats["providers_not_listed"], LIMITS.problems_per_code
    shown = ", ".join(codes[:named]) + (f" and {len(codes) - named} more" if len(codes) > named else "")
    return Problem("import-providers-not-listed", f"{len(codes)} of the package's {stats['providers_held']} providers "
                   f"are not in this file, so it gives them nothing (no peer group or rating): {shown}",
                   field="Provider ID", severity=WARNING, **where)


def _held(pkg: Package, batch: Batch, stats: dict) -> dict[str, list[dict]]:
    """batch.tables without the rows about providers the package does not hold (a file about every hospital
    in the country imported into a package of some of them). It is the package's latest word on what it
    says, so its rows replace held ones whatever the order of imports."""
    held = {k[0] for k in pkg.rows("providers")}
    out = {name: [r for r in rows if (r.get("code") if name == "providers" else r.get("provider", "")) in held]
           if name == "providers" or rows and "provider" in rows[0] else rows for name, rows in batch.tables.items()}
    listed = {r.get("code") for r in batch.tables.get("providers", [])}
    stats.update(providers_matched=len(listed & held), providers_not_held=len(listed - held),
                 providers_held=len(held), providers_not_listed=sorted(held - listed))
    return out


def _resources(desc: dict, pkg: Package) -> list[dict]:
    old = {r.get("name"): r for r in desc["resources"] if isinstance(r, dict)}
    out = []
    for name in RESOURCES:
        held = pkg.files.get(name, [])
        rels = sorted({h.rel for h in held} | set(_old_rels(old.get(name))))
        if not rels:
            if name in old:
                out.append(old[name])
            continue
        res = dict(old.get(name, {}))
        res.update(resource_descriptor(name, rels if name == "scores" or len(rels) > 1 else rels[0]))
        out.append(res)
    out += [r for r in desc["resources"] if not (isinstance(r, dict) and r.get("name") in RESOURCES)]
    return out


def _old_rels(res: dict | None) -> list[str]:
    if not res:
        return []
    p = res.get("path")
    return [x for x in (p if isinstance(p, list) else [p]) if isinstance(x, str)]
