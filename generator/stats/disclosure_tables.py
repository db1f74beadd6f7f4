"""Secondary suppression for many tables at once (stats.disclosure.suppress_counts' engine). Pure: no I/O.

Gives exactly what running disclosure._protect table by table gives, with numpy
over every table together: each round audits all open tables in arrays and, in
those that fail, hides the smallest visible cell (first in input order on ties).
The audit's sums of visible counts and numerators are added left to right in
input order, which is how numpy sums fewer than SEQUENTIAL numbers, so every
comparison sees the same floating-point value; larger tables go table by table.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

SEQUENTIAL = 8  # numpy adds fewer than 8 numbers one by one, left to right

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.intp]


def _in_order(values: Floats, table: Ints, place: Ints, tables: int) -> Floats:
    """Each table's sum of its values (NaN as 0, as np.nansum), added in input order as numpy would."""
    acc = np.zeros(tables)
    v = np.where(np.isnan(values), 0.0, values)
    for j in range(int(place.max(initial=-1)) + 1):
        at = place == j
        acc[table[at]] += v[at]  # one cell per table at each place: sequential
    return acc


def _places(table: Ints, keep: Bools, tables: int) -> Ints:
    """Position of each kept cell among its table's kept cells (cells sorted by table, input order); -1 if not kept."""
    count = np.cumsum(keep)
    before = np.concatenate(([0], np.cumsum(np.bincount(table, weights=keep, minlength=tables))[:-1])).astype(np.intp)
    return np.where(keep, count - 1 - before[table], -1)


def _audit(hide: Bools, prim: Bools, table: Ints, hidden_n: Floats, hidden_x: Floats, tables: int,
           primary: int, scale: tuple[float, float], tolerance: float) -> Bools:
    """disclosure.audit() for every table at once: True where the table passes."""
    lower = np.where(prim, 1.0, float(primary))
    upper = np.where(prim, float(primary - 1), np.inf)
    low_sum = np.bincount(table, weights=np.where(hide, lower, 0.0), minlength=tables)
    up_sum = np.bincount(table, weights=np.where(hide, upper, 0.0), minlength=tables)
    unbounded = hide & ~prim
    n_unbounded = np.bincount(table, weights=unbounded, minlength=tables)
    finite = np.where(hide & prim, float(primary - 1), 0.0)
    finite_sum = np.bincount(table, weights=finite, minlength=tables)
    total = hidden_n[table]
    with np.errstate(invalid="ignore"):
        others_upper = np.where(n_unbounded[table] - unbounded > 0, np.inf, finite_sum[table] - finite)
        lo = np.maximum(lower, total - others_upper)
        hi = np.minimum(upper, total - (low_sum[table] - lower))
        pinned = np.bincount(table, weights=hide & (hi - lo < 1), minlength=tables) > 0
        ok = (hidden_n >= primary) & (low_sum <= hidden_n) & (hidden_n <= up_sum) & ~pinned
        low, high = scale
        x = hidden_x
        spread = (x > low * hidden_n + tolerance) & ((not np.isfinite(high)) | (x < high * hidden_n - tolerance))
    ok &= np.isnan(x) | spread
    return ~np.isfinite(hidden_n) | ok


def protect_all(n: Floats, x: Floats, hidden: Bools, secondary: Bools, codes: Ints, keys: Any,
                totals: dict[Any, tuple[float, float]], have_numerators: bool, primary: int,
                scale: tuple[float, float], tolerance: float, one_table: Callable[..., None]) -> None:
    """Mark in `secondary` the cells each table (codes: table number per cell, -1 for none) hides as well.

    keys[k] names table k for `totals`; one_table(rows, total) does a table too large for numpy's order.
    """
    tables = len(keys)
    size = np.bincount(codes[codes >= 0], minlength=tables)
    order = np.argsort(codes, kind="stable")
    order = order[codes[order] >= 0]
    for k in np.flatnonzero(size >= SEQUENTIAL):
        rows = order[codes[order] == k]
        t = totals.get(keys[k])
        if t is None:
            t = (np.nansum(n[rows]), np.nan if not have_numerators else np.nansum(x[rows]))
        one_table(rows, t)
    order = order[size[codes[order]] < SEQUENTIAL]
    table, cn, cx, prim = codes[order], n[order], x[order], hidden[order]
    everyone = _places(table, np.ones(table.size, dtype=bool), tables)
    sum_n, sum_x = _in_order(cn, table, everyone, tables), _in_order(cx, table, everyone, tables)
    got = [totals.get(k) for k in keys]   # a table without a published total has the sum of its cells
    given = np.array([t is not None for t in got], dtype=bool)
    t_n = np.where(given, np.array([np.nan if t is None else float(t[0]) for t in got], dtype="float64"), sum_n)
    t_x = np.where(given, np.array([np.nan if t is None else float(t[1]) for t in got], dtype="float64"),
                   sum_x if have_numerators else np.nan)
    hide = prim.copy()
    n_hidden = np.bincount(table, weights=hide, minlength=tables)
    open_ = (n_hidden > 0) & (n_hidden < size)
    while open_.any():
        vis = ~hide
        place = _places(table, vis, tables)
        hidden_n = t_n - _in_order(cn, table, place, tables)
        hidden_x = t_x - _in_order(cx, table, place, tables)
        fail = open_ & ~_audit(hide, prim, table, hidden_n, hidden_x, tables, primary, scale, tolerance)
        cand = np.flatnonzero(vis & fail[table])
        if not cand.size:
            break
        cand = cand[np.lexsort((cand, cn[cand], table[cand]))]
        first = cand[np.concatenate(([True], table[cand][1:] != table[cand][:-1]))]
        hide[first] = True
        secondary[order[first]] = True
        n_hidden = np.bincount(table, weights=hide, minlength=tables)
        open_ = fail & (n_hidden < size)
