"""Cells of the merged tables (generator.data.schema_check marks each one): which rows hold a usable value
of a field, and one located problem per selected row. Shared by the domain rules and the scale rules."""
from __future__ import annotations

from typing import Iterable

import numpy as np
import numpy.typing as npt
import pandas as pd

from generator.problems import ERROR, Problem, more_like_this
from generator.data.schema_check import present
from generator.data.schema_types import EMPTY, VALUE
from generator.settings import LIMITS


def emit(t: pd.DataFrame, resource: str, code: str, idx: npt.ArrayLike, field: str, messages: Iterable[str], severity: str = ERROR) -> list[Problem]:
    """One problem per selected row of a merged table, at most LIMITS.problems_per_code per package, then
    one line counting the rest. messages may be a generator (only the messages listed are made)."""
    pk, fl, rw = t["_package"].to_numpy(), t["_file"].to_numpy(), t["_row"].to_numpy()
    idx = np.asarray(idx, np.int64)
    out, limit = [], LIMITS.problems_per_code
    if len(idx) <= limit:
        return [Problem(code, m, pk[i], resource, int(rw[i]), field, severity, fl[i]) for i, m in zip(idx.tolist(), messages)]
    kept = np.zeros(len(idx), bool)
    for name in pd.unique(pk[idx]):
        kept[np.flatnonzero(pk[idx] == name)[:limit]] = True
    for i, m, k in zip(idx.tolist(), messages, kept.tolist()):
        if k:
            out.append(Problem(code, m, pk[i], resource, int(rw[i]), field, severity, fl[i]))
    for name in pd.unique(pk[idx[~kept]]):
        rest = idx[~kept & (pk[idx] == name)]
        first = Problem(code, "", name, resource, int(rw[rest[0]]), field, severity, fl[rest[0]])
        out.append(more_like_this(first, len(rest), limit))
    return out


def ok(t: pd.DataFrame, field: str) -> np.ndarray:
    """Rows holding a value of the field that has no problem of its own."""
    return np.asarray(t["!" + field].to_numpy() == VALUE)


def empty(t: pd.DataFrame, field: str) -> np.ndarray:
    """Rows where the field is truly empty (its column exists and the cell is blank)."""
    return np.asarray(t["!" + field].to_numpy() == EMPTY)


def has(t: pd.DataFrame, field: str) -> np.ndarray:
    """Rows holding a typed value of the field, good or breaking a constraint."""
    return present(t, {"name": field})
