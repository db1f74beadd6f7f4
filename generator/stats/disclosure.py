"""Disclosure control for counts in cells (methods.md §6). Pure: no I/O.

Two levels, after NHS England's FFT pipeline and GP Patient Survey practice,
with the project's stricter thresholds:

- primary: a cell with fewer than `primary` responses (default 10, 0 included)
  is hidden: no score, no count, no chart point.
- no band: a cell with `primary` to `band` - 1 responses (default 10-29) is shown
  with its score and interval but no band.
- secondary: within each parent (e.g. the age groups of one provider, measure and
  period), while the table fails the interval audit (audit(): the hidden cells
  together hold fewer than `primary`, or a hidden cell's count is pinned to one
  value, or every hidden respondent answered alike), the smallest
  visible sibling (first in input order on ties) is hidden as well. When every
  cell is hidden and it still fails, the whole table is hidden (all cells are).

The audit sees only what is published (the parent's total, the visible cells'
counts and numerators) and which hidden cells are primary, so a change to a
hidden cell within its range never changes which cells are shown.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from generator.stats.disclosure_tables import protect_all

PRIMARY = 10
BAND = 30

STATUSES = ("primary", "secondary", "no-band", "banded")


def audit(hidden_total: float, hidden_numerator: float, is_primary: npt.ArrayLike, primary: int = PRIMARY,
          scale: tuple[float, float] = (0.0, 1.0), tolerance: float = 0.0) -> bool:
    """True when the hidden cells together hold at least `primary` responses and an attacker cannot pin any
    hidden cell's count, nor learn that the hidden respondents all answered alike, from the hidden cells' total count and numerator (published total minus visible cells).

    is_primary: one flag per hidden cell. The attacker is told which cells are primary (1 to primary - 1
    responses) and which secondary (primary or more), more than a reader is told. The linear bounds on
    cell i's count n_i, given sum n = hidden_total, are exact here (one equality, box constraints):
    max(l_i, N - sum of the others' upper bounds) to min(u_i, N - sum of the others' lower bounds).
    Numerators x_i lie in [scale[0] n_i, scale[1] n_i] (0-1 for a proportion's positives, the score range
    times n for a mean, [0, inf) events for a ratio), so sum x = hidden_numerator is feasible for any split
    of the counts and the only thing it can give away is that every hidden respondent sits at one end of
    the scale: hidden_numerator at scale[0] * N or scale[1] * N (within tolerance, for rounded means).
    A NaN hidden_numerator (nothing published to subtract from) is not tested.
    """
    flags = np.asarray(is_primary, dtype=bool)
    if not flags.size:
        return True
    if not math.isfinite(hidden_total):
        return True  # no published total: no equation to solve
    lower = np.where(flags, 1.0, float(primary))
    upper = np.where(flags, float(primary - 1), np.inf)
    total = float(hidden_total)
    if total < primary:
        return False  # the hidden cells together would be a figure from fewer than `primary` responses
    if not lower.sum() <= total <= upper.sum():
        return False  # the published figures contradict the rules: say nothing more
    unbounded = np.isinf(upper)
    finite = np.where(unbounded, 0.0, upper)
    others_upper = np.where(unbounded.sum() - unbounded > 0, np.inf, finite.sum() - finite)
    lo = np.maximum(lower, total - others_upper)
    hi = np.minimum(upper, total - (lower.sum() - lower))
    if np.any(hi - lo < 1):
        return False
    x = float(hidden_numerator)
    if math.isnan(x):
        return True
    low, high = scale
    return bool(x > low * total + tolerance and (not math.isfinite(high) or x < high * total - tolerance))


def suppress_counts(counts: npt.ArrayLike | pd.Series, parents: npt.ArrayLike, primary: int = PRIMARY, band: int = BAND,
                    numerators: npt.ArrayLike | None = None,
                    totals: dict[Any, tuple[float, float]] | None = None, scale: tuple[float, float] = (0.0, 1.0),
                    tolerance: float = 0.0) -> pd.DataFrame:
    """Suppression status of each cell.

    counts: responses per cell (NaN counts as hidden); parents: one key per cell
    naming the group of siblings whose total is published. numerators (optional):
    positives per cell (or the sum of scores, or events), audited as audit() says.
    totals (optional): parent -> (published total count, published total numerator);
    a parent not in it has the sum of its cells as total. Returns a DataFrame with
    the input's index (a range index for plain arrays) and columns count, parent,
    status ('primary', 'secondary', 'no-band', 'banded') and hidden (True for
    primary and secondary: publish nothing for the cell).
    """
    if not 0 < primary <= band:
        raise ValueError("suppress_counts: need 0 < primary <= band")
    index = counts.index if isinstance(counts, pd.Series) else None
    n = np.asarray(counts, dtype="float64").ravel()
    keys = np.asarray(parents, dtype=object).ravel()
    if keys.size != n.size:
        raise ValueError("suppress_counts: counts and parents must have the same length")
    x = np.full(n.size, np.nan) if numerators is None else np.asarray(numerators, dtype="float64").ravel()
    hidden = ~(n >= primary)
    secondary = np.zeros(n.size, dtype=bool)
    codes, uniques = pd.factorize(keys, sort=False)  # one number per parent; -1 (no parent) is left alone
    protect_all(n, x, hidden, secondary, codes.astype(np.intp), uniques, totals or {}, numerators is not None,
                primary, scale, tolerance,
                lambda rows, t: _protect(n[rows], x[rows], hidden[rows], secondary, rows, t, primary, scale, tolerance))
    status = np.select([hidden, secondary, n < band], ["primary", "secondary", "no-band"], "banded")
    return pd.DataFrame({"count": n, "parent": keys, "status": status.astype(object),
                         "hidden": hidden | secondary}, index=index)


def _protect(n: npt.NDArray[np.float64], x: npt.NDArray[np.float64], primary_cells: npt.NDArray[np.bool_],
             secondary: npt.NDArray[np.bool_], rows: npt.NDArray[np.intp], total: tuple[float, float], primary: int,
             scale: tuple[float, float], tolerance: float) -> None:
    """Hide the smallest visible siblings of one parent until the table passes the audit (or all are hidden)."""
    hide = primary_cells.copy()
    t_n, t_x = (float(v) for v in total)
    while hide.any() and not hide.all():
        vis = ~hide
        if audit(t_n - n[vis].sum(), t_x - np.nansum(x[vis]), primary_cells[hide], primary, scale, tolerance):
            return
        visible = np.flatnonzero(vis)
        pick = visible[np.argsort(n[visible], kind="stable")[0]]
        hide[pick] = True
        secondary[rows[pick]] = True
