"""SPC (Making Data Count) on each provider's monthly series. Pure."""
from __future__ import annotations

import numpy as np
import pandas as pd

from generator.compute import columns
from generator.data import periods
from generator.settings import Settings
from generator.stats.spc import spc_many

COLUMNS = list(columns.COLUMNS["trends"])


def monthly_spc(scores: pd.DataFrame, st: Settings) -> pd.DataFrame:
    """One row per published monthly point. Suppressed months are left out of the series.

    Series of the same length are charted together (stats.spc.spc_many, equal to spc per series).
    """
    at, each = pd.factorize(scores["period"])  # each distinct period tested once; a missing one is no month
    month = np.zeros(len(at), dtype=bool)
    if len(each):
        month[at >= 0] = periods.months(pd.Series(each)).to_numpy(dtype=bool)[at[at >= 0]]
    monthly = scores[month & scores["estimate"].notna().to_numpy()]
    if not len(monthly):
        return pd.DataFrame(columns=COLUMNS)
    m = monthly.sort_values(["provider", "measure", "period"], kind="stable")
    prov, meas = m["provider"].to_numpy(), m["measure"].to_numpy()
    new = np.ones(len(m), dtype=bool)
    new[1:] = (prov[1:] != prov[:-1]) | (meas[1:] != meas[:-1])
    starts = np.flatnonzero(new)
    lengths = np.diff(np.append(starts, len(m)))
    values = m["estimate"].to_numpy(dtype="float64")
    hib = m["higher_is_better"].to_numpy(dtype=bool)
    cols = {c: np.empty(len(m), dtype="float64") for c in ("mean", "upper", "lower")}
    cols.update(point_type=np.empty(len(m), dtype=object), rule=np.empty(len(m), dtype=object))
    trial = np.empty(len(m), dtype=bool)
    for n in np.unique(lengths):
        first = starts[lengths == n]
        idx = first[:, None] + np.arange(n)[None, :]
        out = spc_many(values[idx], ["increase" if h else "decrease" for h in hib[first]], min_points=st.spc_min_points)
        for c in ("mean", "upper", "lower"):
            cols[c][idx] = out[c][:, None]
        cols["point_type"][idx] = out["point_type"]
        cols["rule"][idx] = out["rule"]
        trial[idx] = n < st.spc_min_points
    out = pd.DataFrame({"provider": prov, "measure": meas, "period": m["period"].to_numpy(), "value": values,
                        **cols, "trial": trial})
    out["point_type"] = pd.Series(cols["point_type"], dtype=object)  # as stats.spc gives it
    return out


RECENT = 3  # the latest months a verdict looks at: the same window as the spc-concern red flag


def verdict(series: pd.DataFrame) -> str:
    """verdict_of on a series given as a frame in period order."""
    if series.empty:
        return "none"
    return verdict_of(series["point_type"].astype(str).tolist(), bool(series["trial"].iat[-1]))


def verdicts(trends: pd.DataFrame) -> dict[tuple[str, str], str]:
    """verdict() of each (provider, measure) series of trends, from its rows' columns read once (not a frame
    per series: 7,800 series at England scale)."""
    if not len(trends):
        return {}
    types, trial = trends["point_type"].astype(str).tolist(), trends["trial"].tolist()
    return {key: verdict_of([types[i] for i in rows], bool(trial[rows[-1]]))
            for key, rows in trends.groupby(["provider", "measure"], sort=True).indices.items()}


def verdict_of(types: list[str], trial: bool, n: int = RECENT) -> str:
    """The variation verdict for the latest months, in a word id: the latest point's type, unless a real
    change for the worse or better among the last n points no longer shows in the latest one, or both do."""
    if not types:
        return "none"
    if trial:
        return "trial"
    recent = set(types[-n:])
    worse, better = "special_cause_concern" in recent, "special_cause_improvement" in recent
    if worse and better:
        return "mixed"
    last = str(types[-1])
    if last.startswith("special_cause"):
        return last
    return "recent_concern" if worse else "recent_improvement" if better else last
