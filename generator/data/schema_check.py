"""Table Schema checks, vectorised: header, row structure, types, constraints, keys.

Every column is factorized once; each type and constraint test then runs on the
column's distinct values and is spread back to the rows with numpy indexing, so
the cost grows with the number of distinct values, not with rows. Python loops
touch only distinct values and the problems found.

Rules follow frictionless-py (same error codes and row numbers), except where
the docstring of generator.data.validate says otherwise (columns matched by name,
strict YYYY-MM-DD dates, one problem per defect).
"""
from __future__ import annotations

import functools
import json
from typing import Any

import numpy as np
import pandas as pd

from generator.data.load import RawFile
from generator.paths import STANDARD_DIR
from generator.problems import Problem, Table
from generator.data.schema_types import (CONSTRAINT_TEXT, EMPTY, FLAWED, TYPED_NA, UNUSABLE, VALUE, _constraint_fails,  # noqa: F401
                           _type_message, _typed_uniques, show)

@functools.cache
def _standard_text(name: str) -> str:
    return (STANDARD_DIR / f"{name}.json").read_text(encoding="utf-8")


def optional_columns(fields: list[dict[str, Any]]) -> set[str]:
    """Fields added by a later minor version of the standard ("optional": true): a file may leave the column out,
    and then every cell is empty (so packages of earlier versions are still read)."""
    return {f["name"] for f in fields if f.get("optional")}


def standard_schema(name: str) -> dict[str, Any]:
    """The standard's Table Schema for a resource (a fresh copy)."""
    schema: dict[str, Any] = json.loads(_standard_text(name))
    return schema


def group_ids(columns: list[np.ndarray]) -> np.ndarray:
    """One id per distinct combination of values, numbered in order of first appearance."""
    key = np.zeros(len(columns[0]) if columns else 0, np.int64)
    for col in columns:
        codes, uniq = pd.factorize(col)
        key, _ = pd.factorize(key * (len(uniq) + 1) + codes + 1)
    return key


def duplicates(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(is a repeat, position of the first row with the same values) for each row."""
    ids = group_ids(columns)
    _, first = np.unique(ids, return_index=True)
    firsts = first[ids] if len(ids) else ids
    return firsts != np.arange(len(ids)), firsts


def apart(values: np.ndarray, owner: np.ndarray) -> bool:
    """No value of one key column (values, as key_values gives them) is held by rows of two owners (owner: a
    whole number per row naming its package): then no row can repeat the key of another owner's row."""
    codes, own = pd.factorize(values)[0].astype(np.int64), owner.astype(np.int64)
    return len(np.unique(codes * (own.max(initial=0) + 1) + own)) == len(np.unique(codes))


def _header(t: Table, fields: list[dict[str, Any]], rf: RawFile, reference: list[str] | None) -> dict[str, int]:
    """Header problems of one file; returns the column position of each standard field present."""
    names = [f["name"] for f in fields]
    lower = {n.lower().strip(): n for n in names}
    positions: dict[str, int] = {}
    before = t.seen
    for i, label in enumerate(rf.header):
        if label == "":
            t.add("blank-label", f"column {i + 1} of the header has no name", rf.relpath, 1)
        elif label in positions or (label in rf.header[:i]):
            t.add("duplicate-label", f"column {i + 1} repeats the name {label!r} of column {rf.header.index(label) + 1}",
                  rf.relpath, 1, label)
        elif label not in names:
            near = lower.get(label.lower().strip())
            hint = f"did you mean {near!r}?" if near and near not in rf.header else f"the columns are: {', '.join(names)}"
            t.add("extra-label", f"column {i + 1} {show(label)} is not part of the standard for {t.resource}; {hint}",
                  rf.relpath, 1, label)
        else:
            positions[label] = i
    for name in names:
        if name not in positions and name not in optional_columns(fields):
            t.add("missing-label", f"column {name!r} is missing from the header (the standard for {t.resource} has it; "
                                   f"its cells may be empty if the field is optional)", rf.relpath, 1, name)
    if t.seen == before and reference is not None and rf.header != reference:
        diff = next(i for i, (a, b) in enumerate(zip(rf.header, reference)) if a != b)
        t.add("incorrect-label", f"the columns are in another order than in the first file: column {diff + 1} is "
                                 f"{rf.header[diff]!r} here but {reference[diff]!r} there", rf.relpath, 1, rf.header[diff])
    return positions


def _where(files: np.ndarray, rows: np.ndarray, i: int, j: int) -> str:
    """'row N' of the first occurrence j, naming its file when it differs from row i's."""
    return f"row {rows[j]}" + (f" of {files[j]}" if files[j] != files[i] else "")


def present(table: pd.DataFrame, field: dict[str, Any]) -> np.ndarray:
    """Rows whose cell holds a value of the right type (it may break a constraint)."""
    state = table["!" + field["name"]].to_numpy()
    return np.asarray((state == VALUE) | (state == FLAWED))


def _no_values(ftype: str, n: int) -> Any:
    """A column of n missing values of the type's typed dtype."""
    if ftype == "string":
        return np.full(n, None, object)
    if ftype == "integer":
        return pd.arrays.IntegerArray(np.zeros(n, np.int64), np.ones(n, bool))
    if ftype == "boolean":
        return pd.arrays.BooleanArray(np.zeros(n, bool), np.ones(n, bool))
    if ftype == "date":
        return np.full(n, np.datetime64("NaT"), "datetime64[us]")
    return np.full(n, np.nan)


def frame_of(columns: dict[str, Any]) -> pd.DataFrame:
    """A DataFrame that keeps object columns as object (pandas would turn text into its str dtype)."""
    return pd.DataFrame({k: pd.Series(v, dtype=object) if isinstance(v, np.ndarray) and v.dtype == object else v
                         for k, v in columns.items()})


def empty_table(fields: list[dict[str, Any]], n: int = 0) -> dict[str, Any]:
    """Columns of a typed table with n rows and no values (every cell flagged)."""
    cols = {}
    for f in fields:
        cols[f["name"]] = _no_values(f.get("type", "string"), n)
        cols["!" + f["name"]] = np.full(n, UNUSABLE, np.int8)
    return cols


def _check_file(t: Table, fields: list[dict[str, Any]], rf: RawFile, positions: dict[str, int]) -> pd.DataFrame:
    frame, cells, off, f_ = rf.frame, rf.cells, rf.row_offset, rf.relpath
    n, width = len(frame), len(rf.header)
    fact = {name: pd.factorize(frame[j].to_numpy(dtype=object)) for name, j in positions.items()}
    blank = np.ones(n, bool)
    for j in frame.columns:
        name = next((k for k, p in positions.items() if p == j), None)
        blank &= (fact[name][1] == "")[fact[name][0]] if name else (frame[j].to_numpy(dtype=object) == "")
    rows = np.flatnonzero(blank)
    t.cells("blank-row", rows, f_, off, "", ("row is empty (every cell is blank)" for _ in rows))
    rows = np.flatnonzero((cells > width) & ~blank)
    t.cells("extra-cell", rows, f_, off, "", (f"row has {cells[r]} cells but the header has {width} columns" for r in rows))
    for j, label in enumerate(rf.header):  # every named column, standard or not
        rows = np.flatnonzero((cells <= j) & ~blank) if label else np.zeros(0, np.int64)
        t.cells("missing-cell", rows, f_, off, label,
                (f"row has {cells[r]} cells, so column {label!r} (column {j + 1}) is missing" for r in rows))
    out = {}
    for field in fields:
        name, ftype = field["name"], field.get("type", "string")
        if name not in positions:
            state = EMPTY if field.get("optional") else UNUSABLE
            out[name], out["!" + name] = _no_values(ftype, n), np.full(n, state, np.int8)
            continue
        missing = (cells <= positions[name]) & ~blank
        codes, uniq = fact[name]
        valid = ~blank & ~missing
        typed_u, ok_u = _typed_uniques(ftype, uniq)
        empty_u = uniq == ""
        state_u = np.where(empty_u, EMPTY, np.where(ok_u, VALUE, UNUSABLE)).astype(np.int8)
        rows = np.flatnonzero(~ok_u[codes] & valid)
        t.cells("type-error", rows, f_, off, name, (_type_message(ftype, name, uniq[codes[r]]) for r in rows))
        if field.get("constraints", {}).get("required"):
            state_u[empty_u] = UNUSABLE
            rows = np.flatnonzero(empty_u[codes] & valid)
            t.cells("constraint-error", rows, f_, off, name, (f"field {name} is empty; a value is required" for _ in rows))
        for cname, bad_u, limit in _constraint_fails(field, uniq, typed_u, ok_u & ~empty_u):
            state_u[bad_u] = FLAWED
            rows = np.flatnonzero(bad_u[codes] & valid)
            text = CONSTRAINT_TEXT[cname]
            t.cells("constraint-error", rows, f_, off, name, (text(field, uniq[codes[r]], limit) for r in rows))
        col = typed_u.array.take(codes)
        if ftype == "string":
            col = np.where(missing, None, np.asarray(col, dtype=object))  # type: ignore[call-overload]  # None: numpy's stubs want an array
        else:
            col[missing] = None
        state = state_u[codes]
        state[missing] = UNUSABLE
        out[name], out["!" + name] = col, state
    out["_file"], out["_row"] = np.full(n, f_, object), np.arange(n, dtype=np.int64) + off
    return frame_of(out)[~blank].reset_index(drop=True)


def _listed(t: Table, code: str, dup: np.ndarray, files: np.ndarray, rownums: np.ndarray, idx: np.ndarray,
            field: str) -> list[int]:
    """The repeats to describe (up to the limit); the others are only counted."""
    rep = np.flatnonzero(dup)
    room = max(t.room(code), 0)
    if len(rep) > room:
        a = idx[rep[room]]
        t.count_more(code, len(rep) - room, files[a], int(rownums[a]), field)
    listed: list[int] = rep[:room].tolist()
    return listed


def key_part(table: pd.DataFrame, field: dict[str, Any]) -> np.ndarray:
    """Rows whose cell counts in a composite key: a value, or a blank an optional part allows (notes: a blank
    measure means every measure, so two blank-measure notes with the same provider, period and code repeat)."""
    state = table["!" + field["name"]].to_numpy()
    blank_ok = not field.get("constraints", {}).get("required")
    return np.asarray(present(table, field) | ((state == EMPTY) & blank_ok))


def key_values(table: pd.DataFrame, key: list[str], idx: np.ndarray) -> list[np.ndarray]:
    """The key's columns at rows idx, a blank as "" (so that blanks compare equal)."""
    def blank(v: Any) -> bool:
        return v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))
    out = []
    for k in key:
        values = table[k].to_numpy(dtype=object)[idx]  # a copy: idx is an array
        maybe = np.flatnonzero(pd.isna(values))  # a superset of the blanks, found at C speed; few or none
        values[maybe[[blank(v) for v in values[maybe]]] if len(maybe) else maybe] = ""
        out.append(values)
    return out


def _keys(t: Table, schema: dict[str, Any], table: pd.DataFrame) -> None:
    """unique-error per repeated value of a unique field; primary-key per repeated composite key."""
    fields = {f["name"]: f for f in schema["fields"]}
    files, rownums = table["_file"].to_numpy(), table["_row"].to_numpy()
    pk = schema.get("primaryKey") or []
    pk = [pk] if isinstance(pk, str) else pk
    for f in fields.values():
        if not f.get("constraints", {}).get("unique"):
            continue
        idx = np.flatnonzero(present(table, f))
        vals = table[f["name"]].to_numpy(dtype=object)[idx]
        dup, first = duplicates([vals])
        for i in _listed(t, "unique-error", dup, files, rownums, idx, f["name"]):
            a, b = idx[i], idx[first[i]]
            t.add("unique-error", f"value {show(vals[i])} in field {f['name']} must be unique but repeats {_where(files, rownums, a, b)}",
                  files[a], int(rownums[a]), f["name"])
    if not pk or (len(pk) == 1 and fields[pk[0]].get("constraints", {}).get("unique")) or not set(pk) <= set(fields):
        return
    ok = np.logical_and.reduce([key_part(table, fields[k]) for k in pk])
    idx = np.flatnonzero(ok)
    vals = key_values(table, pk, idx)
    dup, first = duplicates(vals)
    for i in _listed(t, "primary-key", dup, files, rownums, idx, ""):
        a, b = idx[i], idx[first[i]]
        key = ", ".join(f"{k} {v[i]}" for k, v in zip(pk, vals))
        t.add("primary-key", f"row repeats the key ({key}) of {_where(files, rownums, a, b)}", files[a], int(rownums[a]))


def check_resource(schema: dict[str, Any], files: list[RawFile], package: str, resource: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Typed table of one resource of one package (all its files) and its problems.

    Columns: the schema's fields (typed; see TYPED_NA), "!<field>" (the state of
    each cell: EMPTY, VALUE, FLAWED or UNUSABLE), "_file", "_row".
    Blank rows are dropped.
    """
    t = Table(package, resource)
    parts, reference = [], None
    for rf in files:
        before = t.seen
        positions = _header(t, schema["fields"], rf, reference)
        if reference is None and t.seen == before:
            reference = rf.header
        parts.append(_check_file(t, schema["fields"], rf, positions))
    if parts:
        table = pd.concat(parts, ignore_index=True)
    else:
        table = frame_of({**empty_table(schema["fields"]), "_file": np.zeros(0, object), "_row": np.zeros(0, np.int64)})
    _keys(t, schema, table)
    return table, t.all()
