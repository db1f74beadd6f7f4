"""Types and constraints of Table Schema fields, judged on a column's distinct values (see schema_check)."""
from __future__ import annotations

import re
from typing import Any, Callable

import numpy as np
import pandas as pd

INTEGER = re.compile(r"\s*[+-]?[0-9]{1,18}\s*")
NUMBER = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?\s*")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
BOOLEANS = {"true": True, "True": True, "TRUE": True, "1": True,
            "false": False, "False": False, "FALSE": False, "0": False}
WHAT = {"integer": "an integer", "number": "a number", "date": "a date in the form YYYY-MM-DD",
        "boolean": "true or false"}
# State of each cell, kept in a column "!<field>" (int8) beside the typed values:
EMPTY, VALUE, FLAWED, UNUSABLE = 0, 1, 2, 3  # blank and allowed; a good value; a value breaking a
# constraint (typed value kept); no usable value (type error, required but blank, missing cell, absent column)
# dtypes of typed columns while validating; strings are object arrays with None for empty
TYPED_NA = {"integer": "Int64", "number": "float64", "date": "datetime64[us]", "boolean": "boolean", "string": object}


def show(value: object, limit: int = 40) -> str:
    """A cell value for a message: quoted, escaped, shortened."""
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")


def _typed_uniques(ftype: str, uniq: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """Typed value of each distinct text and whether it is of the type (empty text counts as valid)."""
    n = len(uniq)
    empty = uniq == ""
    if ftype == "string":
        return pd.Series(np.where(empty, None, uniq), dtype=object), np.ones(n, bool)  # type: ignore[call-overload]  # None: numpy's stubs want an array
    out = pd.Series(pd.array([None] * n, dtype=TYPED_NA[ftype]))
    if ftype == "boolean":
        flags = [BOOLEANS.get(v) for v in uniq]
        ok = np.array([v is not None for v in flags], bool) | empty
        out[:] = pd.array(flags, dtype="boolean")
        return out, ok
    form = {"integer": INTEGER, "number": NUMBER, "date": DATE}.get(ftype)
    if form is None:
        raise ValueError(f"type {ftype} is not supported")
    ok = np.fromiter((form.fullmatch(v) is not None for v in uniq), bool, n)
    good = np.flatnonzero(ok)
    if ftype == "integer":
        out.iloc[good] = pd.array(np.fromiter((int(v) for v in uniq[good]), np.int64, len(good)), dtype="Int64")
    elif ftype == "number":
        vals = np.fromiter((float(v) for v in uniq[good]), float, len(good))
        ok[good[~np.isfinite(vals)]] = False
        vals[~np.isfinite(vals)] = np.nan
        out.iloc[good] = vals
    else:
        vals = pd.to_datetime(pd.Series(uniq[good], dtype=object), format="%Y-%m-%d", errors="coerce")
        out.iloc[good] = vals.to_numpy()
        ok[good[vals.isna().to_numpy()]] = False
    return out, ok | empty


def _constraint_fails(field: dict[str, Any], uniq: np.ndarray, typed: pd.Series, nonempty: np.ndarray) -> list[tuple[str, np.ndarray, object]]:
    """(constraint, failing distinct values mask, limit) for each constraint of the field."""
    cons, ftype, out = field.get("constraints", {}), field.get("type", "string"), []
    for name in ("pattern", "enum", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if name not in cons:
            continue
        limit = cons[name]
        if name == "pattern":
            rx = re.compile(limit)
            bad = np.array([rx.fullmatch(v) is None for v in uniq], bool)
        elif name == "enum":
            texts = np.array([str(v) for v in limit], object)
            allowed = list(texts) if ftype == "string" else list(_typed_uniques(ftype, texts)[0])
            bad = ~typed.isin(allowed).to_numpy(bool)
        elif name in ("minLength", "maxLength"):
            lens = np.fromiter((len(v) for v in uniq), np.int64, len(uniq))
            bad = lens < limit if name == "minLength" else lens > limit
        else:
            bound = limit if ftype != "date" else pd.Timestamp(limit)
            vals = typed.to_numpy(dtype=object if ftype == "date" else float, na_value=None if ftype == "date" else np.nan)
            with np.errstate(invalid="ignore"):
                cmp: Callable[[Any], Any] = {"minimum": lambda v: v < bound, "maximum": lambda v: v > bound,
                       "exclusiveMinimum": lambda v: v <= bound, "exclusiveMaximum": lambda v: v >= bound}[name]
                bad = np.array([v is not None and v == v and cmp(v) for v in vals], bool) if ftype == "date" else cmp(vals)
        out.append((name, np.asarray(bad, bool) & nonempty, limit))
    return out


CONSTRAINT_TEXT: dict[str, Callable[[dict[str, Any], Any, Any], str]] = {
    "pattern": lambda f, v, lim: f"value {show(v)} in field {f['name']} does not have the required form {lim}"
                                 + (f" (for example {f['example']})" if f.get("example") else ""),
    "enum": lambda f, v, lim: f"value {show(v)} in field {f['name']} is not one of: {', '.join(map(str, lim))}",
    "minLength": lambda f, v, lim: f"value in field {f['name']} has {len(v)} characters; at least {lim} are needed",
    "maxLength": lambda f, v, lim: f"value in field {f['name']} has {len(v)} characters; at most {lim} are allowed",
    "minimum": lambda f, v, lim: f"value {show(v)} in field {f['name']} is below the minimum {lim}",
    "maximum": lambda f, v, lim: f"value {show(v)} in field {f['name']} is above the maximum {lim}",
    "exclusiveMinimum": lambda f, v, lim: f"value {show(v)} in field {f['name']} must be greater than {lim}",
    "exclusiveMaximum": lambda f, v, lim: f"value {show(v)} in field {f['name']} must be less than {lim}",
}


def _type_message(ftype: str, name: str, value: str) -> str:
    if ftype == "date" and DATE.fullmatch(value):
        return f"value {show(value)} in field {name} is not a real date (month or day out of range)"
    if ftype in ("integer", "number") and NUMBER.fullmatch(value):
        return f"value {show(value)} in field {name} is not {WHAT[ftype]}" + \
            (" (whole numbers only, at most 18 digits)" if ftype == "integer" else " (too large)")
    return f"value {show(value)} in field {name} is not {WHAT[ftype]}"
