"""SPC (Making Data Count) on each provider's monthly series. Pure."""
from __future__ import annotations

import pandas as pd

from . import stats
from .settings import Settings

COLUMNS = ["provider", "measure", "period", "value", "mean", "upper", "lower", "point_type", "rule", "trial"]


def monthly_spc(scores: pd.DataFrame, st: Settings) -> pd.DataFrame:
    """One row per published monthly point. Suppressed months are left out of the series."""
    monthly = scores[scores["period"].str.fullmatch(r"\d{4}-\d{2}") & scores["estimate"].notna()]
    parts = []
    for (provider, measure), g in monthly.groupby(["provider", "measure"], sort=True):
        g = g.sort_values("period")
        improvement = "increase" if bool(g["higher_is_better"].iat[0]) else "decrease"
        out = stats.spc(g["estimate"].to_numpy(), improvement=improvement)
        out = out.reset_index(drop=True)
        out.insert(0, "period", g["period"].to_numpy())
        out.insert(0, "measure", measure)
        out.insert(0, "provider", provider)
        out["trial"] = len(g) < st.spc_min_points
        parts.append(out)
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(parts, ignore_index=True)


def verdict(series: pd.DataFrame) -> str:
    """The variation verdict for the latest point, in a word id."""
    if series.empty:
        return "none"
    if bool(series["trial"].iat[-1]):
        return "trial"
    return str(series["point_type"].iat[-1])
