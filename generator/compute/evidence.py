"""Case-study evidence and triangulation across sources. Pure: no I/O.

Before/after: the published figures of the `window` periods before the
intervention date and the `window` periods from it on are pooled, and the
change is given with a 95% interval (Newcombe's hybrid score method for
proportions; normal approximations for mean scores and ratios).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from generator import stats
from generator.data import periods
from generator.compute import words

Z95 = stats.Z_BETTER  # two-sided 95%
WINDOW = 6


def pooled(rows: pd.DataFrame, kind: str) -> dict:
    """One figure from several periods' published rows."""
    rows = rows[rows["estimate"].notna()]
    n = float(rows["responses"].sum())
    if rows.empty or n <= 0:
        return {"estimate": math.nan, "lower": math.nan, "upper": math.nan, "responses": 0, "periods": 0, "se": math.nan}
    if kind == "proportion":
        x = float(rows["numerator"].sum())
        lo, hi = stats.wilson_interval(x, n, 0.95)
        return {"estimate": x / n, "lower": float(lo), "upper": float(hi), "responses": int(n), "periods": len(rows),
                "se": math.sqrt((x / n) * (1 - x / n) / n)}
    if kind == "ratio":
        o, e = float(rows["observed"].sum()), float(rows["expected"].sum())
        lo, hi = stats.byar_interval(o, 0.95)
        return {"estimate": o / e, "lower": float(lo) / e, "upper": float(hi) / e, "responses": int(n),
                "periods": len(rows), "se": math.sqrt(max(o, 0.5)) / e}
    w = rows["responses"].astype(float).to_numpy()
    se = rows["se"].astype(float).to_numpy()
    est = float((rows["estimate"].to_numpy() * w).sum() / w.sum())
    pse = float(np.sqrt(((w * se) ** 2).sum()) / w.sum())
    return {"estimate": est, "lower": est - Z95 * pse, "upper": est + Z95 * pse, "responses": int(n),
            "periods": len(rows), "se": pse}


def change(before: dict, after: dict, kind: str) -> dict:
    """after − before with a 95% interval."""
    d = after["estimate"] - before["estimate"]
    if kind == "proportion":  # Newcombe (1998) method 10, from the two Wilson intervals
        lo = d - math.sqrt((after["estimate"] - after["lower"]) ** 2 + (before["upper"] - before["estimate"]) ** 2)
        hi = d + math.sqrt((after["upper"] - after["estimate"]) ** 2 + (before["estimate"] - before["lower"]) ** 2)
    else:
        half = Z95 * math.sqrt(after["se"] ** 2 + before["se"] ** 2)
        lo, hi = d - half, d + half
    return {"difference": d, "lower": lo, "upper": hi}


def before_after(series: pd.DataFrame, kind: str, intervention: pd.Timestamp, window: int = WINDOW) -> dict:
    s = series.assign(start=series["period"].map(periods.start)).sort_values("start")
    before = pooled(s[s["start"] < intervention].tail(window), kind)
    after = pooled(s[s["start"] >= intervention].head(window), kind)
    return {"before": before, "after": after, "change": change(before, after, kind)}


def triangulate(latest: pd.DataFrame, measure_sources: dict[str, str]) -> pd.DataFrame:
    """Per provider and source: the direction of its latest comparable results."""
    x = latest.assign(source=latest["measure"].map(measure_sources))
    band = x["band"]
    x = x.assign(_b=band.isin(stats.BETTER_CLEAR), _w=band.isin(stats.WORSE_CLEAR),
                 _c=~band.isin(stats.NOT_COMPARED))
    g = x.groupby(["provider", "source"], sort=True).agg(b=("_b", "any"), w=("_w", "any"), c=("_c", "any"),
                                                         n=("_b", "size"))
    b, w, c = g["b"].to_numpy(), g["w"].to_numpy(), g["c"].to_numpy()
    verdict = np.select([b & w, b, w, c], ["mixed", "better", "worse", "about-same"], "not-compared")
    rows = list(zip(g.index.get_level_values(0).tolist(), g.index.get_level_values(1).tolist(), verdict.tolist(),
                    g["n"].tolist()))
    return pd.DataFrame(rows, columns=["provider", "source", "verdict", "measures"])


def disagreement(tri, names: dict[str, str] | None = None) -> str:
    """A plain sentence when sources point different ways, e.g. 'survey better than expected, complaints worse'.
    tri: one provider's triangulation rows (a DataFrame, or its rows as named tuples); names: the publisher's
    names of its sources (data/publisher.py; default the standard's words)."""
    rows = list(tri.itertuples(index=False)) if isinstance(tri, pd.DataFrame) else tri
    names = words.SOURCES if names is None else names
    better = [names.get(x.source, x.source) for x in rows if x.verdict == "better"]
    worse = [names.get(x.source, x.source) for x in rows if x.verdict == "worse"]
    if better and worse:
        return f"Sources disagree: {', '.join(better)} better than expected; {', '.join(worse)} worse."
    return ""
