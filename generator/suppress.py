"""Disclosure control (methods.md §6), applied once, upstream of every output.

After apply(), a row with fewer than `suppress_below` responses carries no
figure at all: no count, no score, no interval, no band, no rank. Group
breakdowns are suppressed per cell, plus secondary suppression within each
provider, measure, period and dimension so a hidden cell cannot be recovered.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import stats
from .settings import Settings

FIGURES = ["responses", "numerator", "mean", "se", "sd", "observed", "expected", "estimate",
           "lower95", "upper95", "lower998", "upper998", "z", "z_adj", "rank_lower", "rank_upper",
           "gap", "gap_lower95", "gap_upper95", "overall"]


def _blank(df: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    df = df.copy()
    for col in FIGURES:
        if col in df.columns:
            if str(df[col].dtype) == "Int64":
                df[col] = df[col].astype("float64")
            df.loc[mask, col] = np.nan
    return df


def apply(scores: pd.DataFrame, breakdowns: pd.DataFrame, st: Settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = scores["responses"].astype("float64").to_numpy()
    hidden = n < st.suppress_below
    scores = _blank(scores, hidden)
    scores["suppressed"] = hidden
    scores.loc[hidden, "band"] = "suppressed"
    few = ~hidden & (n < st.band_below)
    scores.loc[few, ["z", "z_adj", "rank_lower", "rank_upper"]] = np.nan
    scores.loc[few, "band"] = "too-few"

    b = breakdowns.reset_index(drop=True)
    bn = b["responses"].astype("float64").to_numpy()
    parent = b["provider"].astype(str) + "|" + b["measure"].astype(str) + "|" + b["period"].astype(str) + "|" + b["dimension"].astype(str)
    status = stats.suppress_counts(bn, parent.to_numpy(), st.suppress_below, st.band_below)["status"].to_numpy()
    primary, secondary = status == "primary", status == "secondary"
    cell_hidden = primary | secondary
    b = _blank(b, cell_hidden)
    b["suppressed"] = cell_hidden
    b["secondary"] = secondary & ~primary
    b.loc[cell_hidden, "comparison"] = "suppressed"
    small = ~cell_hidden & (bn < st.band_below)
    b.loc[small, "comparison"] = "too-few"
    return scores, b



def hide_lone_targets(peers: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """A peer group's overall figure is hidden when none of its providers' figures is published.

    With no published figure beside it, the overall figure would show what the
    suppressed providers said (for one provider, exactly its own result).
    """
    keys = ["measure", "period", "peer"]
    shown = scores.groupby(keys)["estimate"].apply(lambda s: bool(s.notna().any())).rename("shown").reset_index()
    p = peers.merge(shown, on=keys, how="left")
    p.loc[~p["shown"].fillna(False).astype(bool), "target"] = np.nan
    return p.drop(columns="shown")
