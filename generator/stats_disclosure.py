"""Disclosure control for counts in cells (methods.md §6). Pure: no I/O.

Two levels, after NHS England's FFT pipeline and GP Patient Survey practice,
with the project's stricter thresholds:

- primary: a cell with fewer than `primary` responses (default 10, 0 included)
  is hidden: no score, no count, no chart point.
- no band: a cell with `primary` to `band` - 1 responses (default 10-29) is shown
  with its score and interval but no band.
- secondary: within each parent (e.g. the age groups of one provider, measure and
  period), while the hidden cells could be worked out from the parent's total
  and the visible cells - that is, while exactly one cell is hidden, or the
  hidden cells together hold fewer than `primary` responses - the smallest
  visible sibling (first in input order on ties) is hidden as well.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

PRIMARY = 10
BAND = 30

STATUSES = ("primary", "secondary", "no-band", "banded")


def suppress_counts(counts, parents, primary: int = PRIMARY, band: int = BAND) -> pd.DataFrame:
    """Suppression status of each cell.

    counts: responses per cell (NaN counts as hidden); parents: one key per cell
    naming the group of siblings whose total is published. Returns a DataFrame
    with the input's index (a range index for plain arrays) and columns count,
    parent, status ('primary', 'secondary', 'no-band', 'banded') and hidden
    (True for primary and secondary: publish nothing for the cell).
    """
    if not 0 < primary <= band:
        raise ValueError("suppress_counts: need 0 < primary <= band")
    index = counts.index if isinstance(counts, pd.Series) else None
    n = np.asarray(counts, dtype="float64").ravel()
    keys = np.asarray(parents, dtype=object).ravel()
    if keys.size != n.size:
        raise ValueError("suppress_counts: counts and parents must have the same length")
    hidden = ~(n >= primary)
    secondary = np.zeros(n.size, dtype=bool)
    for rows in pd.Series(np.arange(n.size)).groupby(keys, sort=True).indices.values():
        rows = np.sort(rows)
        _protect(n[rows], hidden[rows], secondary, rows, primary)
    status = np.select([hidden, secondary, n < band], ["primary", "secondary", "no-band"], "banded")
    return pd.DataFrame({"count": n, "parent": keys, "status": status.astype(object),
                         "hidden": hidden | secondary}, index=index)


def _protect(n: np.ndarray, hidden: np.ndarray, secondary: np.ndarray, rows: np.ndarray, primary: int) -> None:
    """Hide the smallest visible siblings of one parent until the hidden cells are safe."""
    hide = hidden.copy()
    while hide.any() and not hide.all():
        hidden_total = np.nansum(np.where(hide, n, 0))
        if hide.sum() >= 2 and hidden_total >= primary:
            return
        visible = np.flatnonzero(~hide)
        pick = visible[np.argsort(n[visible], kind="stable")[0]]
        hide[pick] = True
        secondary[rows[pick]] = True
