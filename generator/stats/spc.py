"""Statistical process control: Making Data Count XmR charts (methods.md §5).

Reference implementation: NHSRplotthedots (nhs-r-community). Limits are the
mean +/- 2.66 x the mean moving range; moving ranges of 3.267 x the mean moving
range or more are screened out and the mean moving range recomputed once.
Rules, in priority order: astronomical point, trend, shift, two-in-three.

Like NHSRplotthedots (since its fix of issue #171), a point in a trend is an
improvement or a concern by the trend's direction, not its side of the mean; a
point at the peak of a rise and a fall takes the direction that follows it.
Departures from it, on purpose: the 'rule' column follows the priority order of
methods.md (shift before two-in-three; NHSRplotthedots puts two-in-three first;
the verdict is the same either way); fewer than 12 points give no verdict at all
(NHSRplotthedots only warns); a constant series (all moving ranges 0) keeps
zero-width limits instead of missing ones.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

LIMIT = 2.66             # 3 sigma, in mean moving ranges
NEAR = 2 * LIMIT / 3     # 2 sigma
SCREEN = 3.267           # moving ranges at or above this many mean moving ranges are screened out
RUN = 7                  # points in a trend or a shift
MIN_POINTS = 12          # fewer points: trial limits, no verdict

IMPROVEMENTS = {"increase": 1, "decrease": -1, None: 0, "neutral": 0}


def _in_run(ends: np.ndarray | np.bool_, n: int) -> np.ndarray:
    """Points belonging to a run; ends[k] is True when points k .. k + RUN - 1 form one."""
    member = np.zeros(n, dtype=bool)
    for offset in range(RUN):
        member[offset:offset + ends.size] |= ends
    return member


def _trend(step_ok: np.ndarray, n: int) -> np.ndarray:
    """Points in RUN consecutive points each strictly beyond the one before (RUN - 1 steps)."""
    if n < RUN:
        return np.zeros(n, dtype=bool)
    return _in_run(sliding_window_view(step_ok, RUN - 1).all(axis=1), n)


def _shift(side: np.ndarray) -> np.ndarray:
    """Points in RUN consecutive points on one side of the mean (a point on the mean breaks it)."""
    n = side.size
    if n < RUN:
        return np.zeros(n, dtype=bool)
    win = sliding_window_view(side, RUN)
    return _in_run((win == win[:, :1]).all(axis=1) & (win[:, 0] != 0), n)


def _two_in_three(near: np.ndarray, side: np.ndarray) -> np.ndarray:
    """Points beyond 2 sigma (inside 3) where 2 of 3 consecutive points are, all 3 on one side."""
    flagged = np.zeros(near.size, dtype=bool)
    for k in range(near.size - 2):
        w = slice(k, k + 3)
        if near[w].sum() >= 2 and abs(side[w].sum()) == 3:
            flagged[w] |= near[w]
    return flagged


def _limits(y: np.ndarray, screen_outliers: bool) -> tuple[float, float]:
    """Mean and mean moving range (screened once); the range is NaN with fewer than 2 points."""
    mean = float(y.mean()) if y.size else float("nan")
    mr = np.abs(np.diff(y))
    if not mr.size:
        return mean, float("nan")
    amr = float(mr.mean())
    if screen_outliers and amr > 0:
        amr = float(mr[mr < SCREEN * amr].mean())
    return mean, amr


def _rules(y: np.ndarray, mean: float, amr: float) -> tuple[np.ndarray, np.ndarray]:
    """Rule name and direction (+1 high, -1 low, 0 none) for each point, highest priority first."""
    n = y.size
    side = np.sign(y - mean)
    outside = (y > mean + LIMIT * amr) | (y < mean - LIMIT * amr)
    near = ~outside & ((y > mean + NEAR * amr) | (y < mean - NEAR * amr))
    step = np.sign(np.diff(y))
    up, down = _trend(step > 0, n), _trend(step < 0, n)
    trend_dir = up.astype(int) - down.astype(int)
    peak = np.flatnonzero(up & down)   # end of one trend and start of the other: use the right side
    trend_dir[peak] = step[peak]
    rule = np.select([outside, up | down, _shift(side), _two_in_three(near, side)],
                     ["astronomical", "trend", "shift", "two-in-three"], "")
    direction = np.where(rule == "trend", trend_dir, np.where(rule == "", 0, side))
    return rule.astype(object), direction.astype(int)


def spc(values: npt.ArrayLike, improvement: str | None = None, screen_outliers: bool = True,
        min_points: int = MIN_POINTS) -> pd.DataFrame:
    """XmR chart of a series in time order: one row per point.

    improvement: "increase" (higher is better), "decrease", or None / "neutral".
    Columns: value, mean, upper, lower (process limits), point_type
    (common_cause, special_cause_improvement, special_cause_concern,
    special_cause_neutral_high, special_cause_neutral_low), rule ("",
    "astronomical", "trend", "shift", "two-in-three": the highest-priority rule
    that flags the point) and trial (True for every row when there are fewer
    than min_points points: limits are shown as trial, every point is
    common_cause and no rule is given). df.attrs["trial"] holds the same flag.
    """
    if improvement not in IMPROVEMENTS:
        raise ValueError(f"spc: improvement must be 'increase', 'decrease' or None, got {improvement!r}")
    y = np.asarray(values, dtype="float64").ravel()
    if not np.isfinite(y).all():
        raise ValueError("spc: values must all be finite numbers (leave out missing periods)")
    mean, amr = _limits(y, screen_outliers)
    trial = y.size < min_points
    rule, direction = _rules(y, mean, amr)
    if trial:
        rule, direction = np.full(y.size, "", dtype=object), np.zeros(y.size, dtype=int)
    sign = IMPROVEMENTS[improvement]
    if sign == 0:
        kinds = {1: "special_cause_neutral_high", -1: "special_cause_neutral_low"}
    else:
        kinds = {sign: "special_cause_improvement", -sign: "special_cause_concern"}
    point_type = [kinds.get(d, "common_cause") for d in direction]
    df = pd.DataFrame({"value": y, "mean": mean, "upper": mean + LIMIT * amr, "lower": mean - LIMIT * amr,
                       "point_type": pd.Series(point_type, dtype=object), "rule": rule, "trial": trial})
    df.attrs["trial"] = trial
    return df


# --- many series at once ------------------------------------------------------------------
# spc_many gives, for series of equal length stacked as rows, exactly what spc gives for each
# row (the test checks equality on random series): the means are the same per-row reductions,
# the screened range is recomputed one row at a time where screening drops a range, and the
# rules are the same elementwise tests along axis 1.

def _in_run_2d(ends: np.ndarray | np.bool_, n: int) -> np.ndarray:
    member = np.zeros((ends.shape[0], n), dtype=bool)
    for offset in range(RUN):
        member[:, offset:offset + ends.shape[1]] |= ends
    return member


def _rules_2d(y: np.ndarray, mean: np.ndarray, amr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """_rules for each row of y (k series of n points)."""
    k, n = y.shape
    m, a = mean[:, None], amr[:, None]
    side = np.sign(y - m)
    outside = (y > m + LIMIT * a) | (y < m - LIMIT * a)
    near = ~outside & ((y > m + NEAR * a) | (y < m - NEAR * a))
    step = np.sign(np.diff(y, axis=1))
    up = down = shift = np.zeros((k, n), dtype=bool)
    if n >= RUN:
        up = _in_run_2d(sliding_window_view(step > 0, RUN - 1, axis=1).all(axis=2), n)
        down = _in_run_2d(sliding_window_view(step < 0, RUN - 1, axis=1).all(axis=2), n)
        win = sliding_window_view(side, RUN, axis=1)
        shift = _in_run_2d((win == win[:, :, :1]).all(axis=2) & (win[:, :, 0] != 0), n)
    trend_dir = up.astype(int) - down.astype(int)
    peak = up & down
    if n > 1:
        trend_dir[:, :-1][peak[:, :-1]] = step[peak[:, :-1]]
    two = np.zeros((k, n), dtype=bool)
    for j in range(n - 2):
        hit = (near[:, j:j + 3].sum(axis=1) >= 2) & (np.abs(side[:, j:j + 3].sum(axis=1)) == 3)
        two[:, j:j + 3] |= near[:, j:j + 3] & hit[:, None]
    rule = np.select([outside, up | down, shift, two], ["astronomical", "trend", "shift", "two-in-three"], "")
    direction = np.where(rule == "trend", trend_dir, np.where(rule == "", 0, side))
    return rule.astype(object), direction.astype(int)


def spc_many(values: npt.ArrayLike, improvements: Sequence[str | None], screen_outliers: bool = True,
             min_points: int = MIN_POINTS) -> dict[str, Any]:
    """spc for k series of the same length n at once: values is (k, n), improvements k entries.

    Returns arrays: mean, upper, lower (k,); point_type, rule (k, n) object; trial (k,) bool.
    Row i equals spc(values[i], improvements[i], screen_outliers, min_points).
    """
    y = np.ascontiguousarray(values, dtype="float64")
    if y.ndim != 2:
        raise ValueError("spc_many: values must be a 2-D array, one series per row")
    k, n = y.shape
    bad = [i for i in improvements if i not in IMPROVEMENTS]
    if bad:
        raise ValueError(f"spc_many: improvement must be 'increase', 'decrease' or None, got {bad[0]!r}")
    if not np.isfinite(y).all():
        raise ValueError("spc_many: values must all be finite numbers (leave out missing periods)")
    mean = y.mean(axis=1) if n else np.full(k, np.nan)
    amr = np.full(k, np.nan)
    if n >= 2:
        mr = np.ascontiguousarray(np.abs(np.diff(y, axis=1)))
        amr = mr.mean(axis=1)
        if screen_outliers:
            for i in np.flatnonzero((amr > 0) & ~(mr < SCREEN * amr[:, None]).all(axis=1)):
                amr[i] = float(mr[i][mr[i] < SCREEN * amr[i]].mean())
    trial = n < min_points
    if trial:
        rule, direction = np.full((k, n), "", dtype=object), np.zeros((k, n), dtype=int)
    else:
        rule, direction = _rules_2d(y, mean, amr)
    sign = np.array([IMPROVEMENTS[i] for i in improvements], dtype=int)[:, None]
    neutral = sign == 0
    high = np.where(neutral, "special_cause_neutral_high", "special_cause_improvement")
    low = np.where(neutral, "special_cause_neutral_low", "special_cause_concern")
    d = np.where(neutral, direction, direction * np.where(sign == 0, 1, sign))  # +1: improvement (or high)
    point_type = np.where(d == 1, high, np.where(d == -1, low, "common_cause")).astype(object)
    return {"mean": mean, "upper": mean + LIMIT * amr, "lower": mean - LIMIT * amr, "point_type": point_type,
            "rule": rule, "trial": np.full(k, trial)}
