"""Cells of the merged tables (generator.schema_check marks each one): which rows hold a usable value
of a field, and one located problem per selected row. Shared by the domain rules and the scale rules."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .problems import ERROR, Problem
from .schema_check import EMPTY, VALUE, present


def emit(t: pd.DataFrame, resource: str, code: str, idx, field: str, messages, severity: str = ERROR) -> list[Problem]:
    """One problem per selected row of a merged table."""
    pk, fl, rw = t["_package"].to_numpy(), t["_file"].to_numpy(), t["_row"].to_numpy()
    return [Problem(code, m, pk[i], resource, int(rw[i]), field, severity, fl[i])
            for i, m in zip(np.asarray(idx).tolist(), messages)]


def ok(t: pd.DataFrame, field: str) -> np.ndarray:
    """Rows holding a value of the field that has no problem of its own."""
    return t["!" + field].to_numpy() == VALUE


def empty(t: pd.DataFrame, field: str) -> np.ndarray:
    """Rows where the field is truly empty (its column exists and the cell is blank)."""
    return t["!" + field].to_numpy() == EMPTY


def has(t: pd.DataFrame, field: str) -> np.ndarray:
    """Rows holding a typed value of the field, good or breaking a constraint."""
    return present(t, {"name": field})
