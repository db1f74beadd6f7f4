"""Stage 2: validate data packages against the standard and build the typed Dataset.

Package convention
------------------
A package is a folder holding ``datapackage.json`` with:

- ``name`` (string, unique among the packages validated together) and ``title``;
- ``"standard": "1.1"``, the version of this project's data standard
  (generator.data.dataset.STANDARD_VERSION; generator.data.dataset.READS lists those read);
- ``"example": true`` when the data are made up (optional; gives a warning);
- ``licenses``: a non-empty list of objects, each with a ``name`` or ``path``;
- ``resources``: each ``{"name", "path", "format": "csv", "schema" (optional)}``.
  ``name`` is one of generator.data.dataset.RESOURCES; ``path`` is a relative path
  inside the folder, or a list of them (a multi-file resource: one file per
  period, each with its own header row). Paths may not leave the folder, be
  absolute, or be URLs. Files are UTF-8 CSV (comma, double quotes, RFC 4180),
  each within generator.settings.LIMITS (listed on the Problem codes page).

The standard schema for resource NAME is generator/standard/NAME.json, and
validation always uses it. A resource may carry its own inline schema; if its
fields' names, types, formats or constraints differ from the standard's, each
difference is a ``schema-mismatch`` (a schema given as a path is one too).

Several packages are validated together: each resource's rows merge across
packages (scores in one package may refer to providers in another) and
references are checked across packages. A provider may be defined in one
package only; commissioners, measures, groups and sources may repeat in
several packages when the rows are identical (otherwise definition-conflict).

Checks (every problem is found, not only the first; at most LIMITS.problems_per_code of one code are listed
per resource of a package, and the rest counted on one "and N more like this" line, Problem.more): reading (load.py); header,
row structure, types, constraints and keys per resource (schema_check.py);
references and domain rules on the merged tables (domain.py); the codes and
how to fix each are in generator.problems.CODES.

Locations: ``Problem.file`` is the file's path as written in datapackage.json
(relative to the package); ``row`` is the row number as in a spreadsheet and in
frictionless (header = row 1, first data row = 2; a cell with line breaks inside
quotes is still one row); for multi-file resources each file counts its own rows.
``field`` is the column name.

Where this differs from frictionless-py, on purpose: columns are matched by
name, in any order (incorrect-label means the files of one resource order them
differently); any repeated column name is a duplicate-label; dates must be
YYYY-MM-DD exactly; integers have at most 18 digits; numbers must be finite
decimals ("NaN", "inf" and "1_000" are type errors); a pattern must match the
whole value. One defect gives one problem: a blank row is not also a
primary-key error, a missing cell is not also a required error, a duplicated
single-field key is a unique-error only, a key with an empty or missing cell is
not compared, and a value with a type or constraint error is not also checked
as a reference or by the domain rules.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from generator.data import publisher
from generator.data.dataset import READS, RESOURCES, STANDARD_VERSION, Dataset, PackageInfo
from generator.data.domain import check_domain
from generator.data.load import DESCRIPTOR, RawPackage, load_packages
from generator.problems import WARNING, Problem, cap
from generator.data.schema_check import (apart, check_resource, duplicates, empty_table, frame_of, key_part, key_values,
                                          standard_schema)
from generator.data.schema_types import show

KEYS = {"commissioners": ["code"], "providers": ["code"], "measures": ["id"], "groups": ["id"], "sources": ["id"],
        "case-studies": ["id"], "redirects": ["from"], "scores": ["provider", "measure", "period", "group"],
        "scales": ["measure"], "postcode-districts": ["district"],
        "notes": ["provider", "measure", "period", "code"], "benchmarks": ["measure", "period"],
        "ratings": ["provider", "rating", "measure", "period"]}
SHARED = {"commissioners", "measures", "groups", "sources", "scales", "postcode-districts", "benchmarks"}  # may repeat across packages when identical


def schema_differences(declared: object, standard: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, message) for each way a package's own schema differs from the standard's."""
    if isinstance(declared, str):
        return [("", f"the schema is given as a path ({show(declared)}); write it inline or leave it out "
                     f"(the standard's schema is always used)")]
    if not isinstance(declared, dict) or not isinstance(declared.get("fields"), list):
        return [("", "the package's schema has no list of fields")]
    mine = {str(f.get("name")): f for f in declared["fields"] if isinstance(f, dict)}
    out = []
    for f in standard["fields"]:
        name, d = f["name"], mine.pop(f["name"], None)
        if d is None and f.get("optional"):
            continue  # a column added by a later minor version may be left out
        if d is None:
            out.append((name, f"the package's schema has no field {name}"))
            continue
        for key, default in (("type", "string"), ("format", "default"), ("constraints", {})):
            if d.get(key, default) != f.get(key, default):
                out.append((name, f"field {name} has {key} {json.dumps(d.get(key, default))} in the package's schema; "
                                  f"the standard says {json.dumps(f.get(key, default))}"))
    for name in mine:
        out.append((str(name), f"the package's schema has field {name}, which the standard does not define"))
    return out


def check_descriptor(pkg: RawPackage) -> list[Problem]:
    """Problems with the package's own properties (not its data)."""
    d, out = pkg.descriptor, []

    def add(code: str, message: str, field: str = "", **kw: Any) -> None:
        out.append(Problem(code, message, pkg.name, field=field, file=DESCRIPTOR, **kw))

    for key in ("name", "title"):
        if not isinstance(d.get(key), str) or not d[key].strip():
            add("package-descriptor", f"{DESCRIPTOR} has no {key}; add \"{key}\": \"...\"", key)
    std = d.get("standard")
    if std is None:
        add("package-descriptor", f"{DESCRIPTOR} does not say which version of the standard it follows; "
                                  f"add \"standard\": \"{STANDARD_VERSION}\"", "standard")
    elif not isinstance(std, str):
        add("standard-version", f"standard must be the text \"{STANDARD_VERSION}\" (in quotes), not {json.dumps(std)}", "standard")
    elif std not in READS:
        add("standard-version", f"standard is {show(std)}; this tool reads versions {', '.join(READS)}", "standard")
    if "example" in d and not isinstance(d["example"], bool):
        add("package-descriptor", f"example is {show(d['example'])}; it must be true or false", "example")
    lic = d.get("licenses")
    if not isinstance(lic, list) or not lic:
        add("licence-missing", f"{DESCRIPTOR} declares no licence; add \"licenses\": [{{\"name\": ...}}]", "licenses")
    else:
        for i, item in enumerate(lic, start=1):
            if not isinstance(item, dict) or not any(isinstance(item.get(k), str) and item[k] for k in ("name", "path")):
                add("licence-missing", f"licence number {i} has neither a name nor a path", "licenses")
    if isinstance(d.get("resources"), list) and not d["resources"]:
        add("package-descriptor", f"{DESCRIPTOR} lists no resources", "resources")
    seen: set[str] = set()
    for res in pkg.resources:
        where = dict(resource=res.name)
        if res.name not in RESOURCES:
            add("resource-unknown", f"resource {show(res.name)} is not part of the standard; "
                                    f"the resources are: {', '.join(RESOURCES)}", "name", **where)
        elif res.name in seen:
            add("resource-duplicate", f"resource {res.name} appears twice; list all its files in one path", "name", **where)
        seen.add(res.name)
        fmt = res.descriptor.get("format")
        if fmt is not None and str(fmt).lower() != "csv":
            add("package-descriptor", f"resource {res.name} has format {show(fmt)}; only csv is read", "format", **where)
        dialect = res.descriptor.get("dialect")
        if isinstance(dialect, dict) and dialect.get("delimiter", ",") != ",":
            add("package-descriptor", f"resource {res.name} declares delimiter {show(dialect['delimiter'])}; "
                                      f"files must be comma-separated", "dialect", **where)
        if res.schema is not None and res.name in RESOURCES:
            for field, message in schema_differences(res.schema, standard_schema(res.name)):
                out.append(Problem("schema-mismatch", message, pkg.name, res.name, None, field, file=DESCRIPTOR))
    for rel in unlisted_csv(pkg):
        name = Path(rel).stem if Path(rel).stem in RESOURCES else "<resource>"
        entry = json.dumps({"name": name, "path": rel})
        out.append(Problem("file-unlisted", f"{rel} is in the package folder but no resource in {DESCRIPTOR} lists it, "
                                            f"so it is not read; to use it, add {entry} to \"resources\"", pkg.name,
                           file=rel, severity=WARNING))
    if pkg.example:
        add("example-data", "this package is marked as example data (\"example\": true); its figures are "
                            "made up and must not be published as real results", severity=WARNING)
    return out


def unlisted_csv(pkg: RawPackage) -> list[str]:
    """CSV files in the package folder (hidden folders aside) that neither a resource's path nor an extension
    property's (e.g. an importer's "x-cms-star-ratings": {"path": "stars.csv"}) names, as relative paths."""
    listed = set()
    extensions = [v for k, v in pkg.descriptor.items() if k.startswith("x-") and isinstance(v, dict)]
    for res in [r.descriptor for r in pkg.resources] + extensions:
        paths = res.get("path")
        for path in paths if isinstance(paths, list) else [paths]:
            if isinstance(path, str):
                listed.add(Path(path).as_posix().removeprefix("./"))
    try:
        found = sorted(p.relative_to(pkg.folder).as_posix() for p in pkg.folder.rglob("*.csv") if p.is_file())
    except OSError:
        return []
    return [f for f in found if f not in listed and not any(part.startswith(".") for part in f.split("/"))]


def _same(a: Any, b: Any) -> bool:
    return bool((pd.isna(a) and pd.isna(b)) if (pd.api.types.is_scalar(a) and pd.isna(a)) else a == b)


def merge(parts: dict[str, list[pd.DataFrame]]) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """One table per resource across packages; keys repeated across packages are reported.

    Only a lookup row repeated identically in another package is dropped; every
    other row stays, so that later checks still judge it.
    """
    tables, out = {}, []
    for name in RESOURCES:
        fields = standard_schema(name)["fields"]
        frames = parts.get(name) or []
        if frames:
            t = pd.concat(frames, ignore_index=True)
        else:
            t = frame_of({**empty_table(fields), "_file": np.zeros(0, object), "_row": np.zeros(0, np.int64),
                          "_package": np.zeros(0, object)})
        key, byname = KEYS[name], {f["name"]: f for f in fields}
        idx = np.flatnonzero(np.logical_and.reduce([key_part(t, byname[k]) for k in key]))
        pkg, files, rows = t["_package"].to_numpy(), t["_file"].to_numpy(), t["_row"].to_numpy()
        drop = np.zeros(len(t), bool)
        # a package's own repeats are its own checks' (below): none to find when a key column keeps packages apart
        dup, first = np.zeros(0, bool), np.zeros(0, np.intp)
        if len(frames) > 1:
            owner = pd.factorize(pkg[idx])[0]
            if not any(apart(key_values(t, [k], idx)[0], owner) for k in key):  # a column at a time: often the first
                dup, first = duplicates(key_values(t, key, idx))
        for i in np.flatnonzero(dup).tolist():
            a, b = idx[i], idx[first[i]]
            if pkg[a] == pkg[b]:
                continue  # reported by the package's own unique / primary-key check
            there = f"row {rows[b]} of {files[b]} in package {pkg[b]}"
            loc = dict(package=pkg[a], resource=name, row=int(rows[a]), file=files[a])
            value = ", ".join(f"{k} {t[k].iat[a]}" for k in key)
            if name == "providers":
                out.append(Problem("provider-duplicate", f"provider {t['code'].iat[a]} is also defined in {there}; "
                                                         f"define each provider in one package only", field="code", **loc))
            elif name in SHARED:
                diff = [f["name"] for f in fields if not _same(t[f["name"]].iat[a], t[f["name"]].iat[b])]
                drop[a] = not diff  # the same row again: merged silently
                if diff:
                    out.append(Problem("definition-conflict", f"{value} is also defined in {there}, with other values in: "
                                                              f"{', '.join(diff)}", field=diff[0], **loc))
            elif name in ("scores", "notes", "ratings"):
                out.append(Problem("primary-key", f"row repeats the key ({value}) of {there}", **loc))
            else:
                out.append(Problem("unique-error", f"value {show(t[key[0]].iat[a])} in field {key[0]} must be unique "
                                                   f"but repeats {there}", field=key[0], **loc))
        tables[name] = t[~drop].reset_index(drop=True)
    return tables, out


def to_dataset(tables: dict[str, pd.DataFrame], infos: list[PackageInfo]) -> Dataset:
    """The typed tables without the validation columns (see Dataset for the column types)."""
    out = {}
    for name, t in tables.items():
        cols = {}
        for f in standard_schema(name)["fields"]:
            c, ftype = t[f["name"]], f.get("type", "string")
            cols[f["name"]] = c.fillna("").astype("str") if ftype == "string" else \
                c.fillna(False).astype(bool) if ftype == "boolean" else c.to_numpy(dtype=float) if ftype == "number" else c
        cols["_package"] = t["_package"].astype("str")
        out[name] = pd.DataFrame(cols)
    return Dataset(tables=out, packages=infos)


def _sort_key(p: Problem) -> tuple[Any, ...]:
    return (p.package, p.resource, p.file, p.more > 0, -1 if p.row is None else p.row, p.field, p.code, p.message)


def validate_paths(paths: list[Path], today: dt.date | None = None,
                   published_ids: set[str] | None = None) -> tuple[Dataset | None, list[Problem]]:
    """Load and validate packages; the Dataset is usable only when no problem is an error.

    today dates the period-future check (default: the real date); published_ids
    are the case-study ids of the previous release (each must still exist or
    be redirected).
    """
    today = today or dt.date.today()
    packages, problems = load_packages([Path(p) for p in paths])
    if not packages:
        return None, sorted(cap(problems, key=_sort_key), key=_sort_key)
    parts: dict[str, list[pd.DataFrame]] = defaultdict(list)
    infos, names = [], set()
    for pkg in packages:
        if pkg.name in names:
            problems.append(Problem("package-duplicate", f"another package is also named {pkg.name!r}; its problems are "
                                                         f"shown under {pkg.name} ({pkg.folder.name})", pkg.name, field="name", file=DESCRIPTOR))
            pkg.name = f"{pkg.name} ({pkg.folder.name})"
        names.add(pkg.name)
        problems += check_descriptor(pkg)
        done: set[str] = set()
        for res in pkg.resources:
            if res.name not in RESOURCES or res.name in done:
                continue
            done.add(res.name)
            table, probs = check_resource(standard_schema(res.name), res.files, pkg.name, res.name)
            table["_package"] = pd.Series(np.full(len(table), pkg.name, object), index=table.index, dtype=object)
            parts[res.name].append(table)
            problems += probs
        lic = pkg.descriptor.get("licenses")
        infos.append(PackageInfo(name=pkg.name, title=str(pkg.descriptor.get("title") or pkg.name), folder=str(pkg.folder),
                                 example=pkg.example, licenses=[x for x in lic if isinstance(x, dict)] if isinstance(lic, list) else [],
                                 files=dict(sorted(pkg.files.items()))))
    tables, probs = merge(parts)
    pub, pub_problems = publisher.read([(pkg.name, pkg.descriptor) for pkg in packages])
    problems += probs + pub_problems + check_domain(tables, today, published_ids)
    ds = to_dataset(tables, infos)
    ds.publisher = pub
    return ds, sorted(cap(problems, key=_sort_key), key=_sort_key)
