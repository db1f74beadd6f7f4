"""Case-mix standardisation (direct, to the national mix of strata, capped weights). Pure.

Where a package gives a provider's scores by stratum (groups whose dimension is
'stratum', e.g. age band by sex), its overall figure is replaced for comparison
by the figure its patients would give if they had the national mix of strata:
each respondent in stratum s is weighted by national share / provider share,
capped at 5 (stats.direct_standardise). The unadjusted figure stays in
`estimate_unadjusted`. The adjusted figure enters the rest of the pipeline as
effective counts (proportions: x_eff of n_eff with the same variance) or as a
standard error (mean scores), so intervals, bands and ranks all use it.
A stratum cell from fewer than `below` (Settings.suppress_below) responses is left out, as if the package
did not give it: no published figure depends on a figure from so few responses (issue #15).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from generator import stats
from generator.settings import DEFAULT
from generator.stats.standardise import WEIGHT_CAP

KEYS = ["provider", "measure", "period"]


def _weights(n: np.ndarray, share: np.ndarray, cap: float) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        local = n / n.sum(axis=1, keepdims=True)
        return np.where(n > 0, np.minimum(share / local, cap), 0.0)


def adjust(df: pd.DataFrame, groups: pd.DataFrame, cap: float = WEIGHT_CAP,
           below: int = DEFAULT.suppress_below) -> pd.DataFrame:
    """df: every score row with kind and peer. Returns df with adjusted overall rows (and crude kept).
    Stratum cells from fewer than `below` responses are treated as absent (neither weight nor figure)."""
    strata = set(groups.loc[groups["dimension"] == "stratum", "id"])
    df = df.copy()
    df["adjusted"] = False
    if not strata:
        return df
    sub = df[df["group"].isin(strata) & df["kind"].isin(["proportion", "mean"])]
    if sub.empty:
        return df
    sub = sub.astype({"responses": "float64", "numerator": "float64", "mean": "float64", "se": "float64"})
    sub = sub[sub["responses"] >= below]  # a small cell feeds nothing, as a missing stratum
    if sub.empty:
        return df
    out = []
    for (measure, period, peer), g in sub.groupby(["measure", "period", "peer"], sort=True):
        kind = g["kind"].iat[0]
        n = g.pivot_table(index="provider", columns="group", values="responses", aggfunc="sum").fillna(0)
        share = (n.sum(axis=0) / n.to_numpy().sum()).to_numpy()
        if kind == "proportion":
            x = g.pivot_table(index="provider", columns="group", values="numerator", aggfunc="sum").reindex_like(n)
            with np.errstate(invalid="ignore", divide="ignore"):
                rate = (x / n).to_numpy()
            var = rate * (1 - rate) / n.to_numpy()
        else:
            rate = g.pivot_table(index="provider", columns="group", values="mean", aggfunc="mean").reindex_like(n).to_numpy()
            var = g.pivot_table(index="provider", columns="group", values="se", aggfunc="mean").reindex_like(n).to_numpy() ** 2
        counts = n.to_numpy()
        est = stats.direct_standardise(rate, share, counts, cap=cap)
        w = _weights(counts, np.broadcast_to(share, counts.shape), cap) * counts
        with np.errstate(invalid="ignore", divide="ignore"):
            v = np.nansum(w ** 2 * np.where(counts > 0, var, 0), axis=1) / w.sum(axis=1) ** 2
        out.append(pd.DataFrame({"provider": n.index, "measure": measure, "period": period, "std": est, "var": v}))
    adj = pd.concat(out, ignore_index=True)
    m = df.merge(adj, on=KEYS, how="left")
    use = (m["group"] == "all") & m["std"].notna() & (m["var"] > 0)
    m["estimate_unadjusted"] = np.nan
    prop = use & (m["kind"] == "proportion")
    crude = m["numerator"].astype("float64") / m["responses"].astype("float64")
    m.loc[use, "estimate_unadjusted"] = np.where(m.loc[use, "kind"] == "proportion", crude[use],
                                                 m.loc[use, "mean"].astype("float64")).astype("float64")
    n_eff = m["std"] * (1 - m["std"]) / m["var"]
    m["numerator_eff"] = np.where(prop, m["std"] * n_eff, np.nan)
    m["responses_eff"] = np.where(prop, n_eff, np.nan)
    mean = use & (m["kind"] == "mean")
    m.loc[mean, "mean"] = m.loc[mean, "std"]
    m.loc[mean, "se"] = np.sqrt(m.loc[mean, "var"])
    m.loc[use, "adjusted"] = True
    return m.drop(columns=["std", "var"])


def swap_in(df: pd.DataFrame) -> pd.DataFrame:
    """Use the effective counts of adjusted proportions for the comparison (observed counts kept aside)."""
    if "numerator_eff" not in df:
        return df
    df = df.copy()
    eff = df["numerator_eff"].notna()
    df["responses_observed"] = df["responses"].astype("float64")
    df["numerator"] = df["numerator"].astype("float64")
    df["responses"] = df["responses"].astype("float64")
    df.loc[eff, "numerator"] = df.loc[eff, "numerator_eff"]
    df.loc[eff, "responses"] = df.loc[eff, "responses_eff"]
    return df


def swap_out(df: pd.DataFrame) -> pd.DataFrame:
    """Put the observed response counts back for display and disclosure control."""
    if "responses_observed" not in df:
        return df
    df = df.copy()
    df["responses"] = df["responses_observed"]
    return df.drop(columns=["responses_observed", "numerator_eff", "responses_eff"])
