"""Disclosure control (methods.md §6), applied once, upstream of every output.

withhold() takes out, before anything is computed, every row of a provider,
measure and period with fewer than `suppress_below` responses, so no other
figure depends on it. After apply(), such a row carries no figure at all: no
count, no score, no interval, no band, no rank. Group breakdowns are
suppressed per cell, plus secondary suppression within each provider, measure,
period and dimension until the table passes the interval audit
(stats.disclosure.audit) against the published overall total. A breakdown
with every cell hidden is not published at all (not even which groups it has).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from generator import stats
from generator.compute.transform import key_codes
from generator.settings import Settings

FIGURES = ["responses", "numerator", "published", "mean", "se", "sd", "observed", "expected", "estimate",
           "lower95", "upper95", "lower998", "upper998", "z", "z_adj", "rank_lower", "rank_upper",
           "gap", "gap_lower95", "gap_upper95", "overall", "estimate_unadjusted"]


def _blank(df: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    df = df.copy(deep=False)  # each blanked column is a new array: the caller's frame is left as it was
    mask = np.asarray(mask, dtype=bool)
    for col in FIGURES:
        if col in df.columns:
            if str(df[col].dtype) == "Int64":
                df[col] = df[col].astype("float64")
            if df[col].dtype == np.float64:
                values = df[col].to_numpy(dtype="float64", copy=True)
                values[mask] = np.nan
                df[col] = values
            else:
                df.loc[mask, col] = np.nan
    return df


KEYS = ["provider", "measure", "period"]


def withhold(df: pd.DataFrame, st: Settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Take out, before anything is computed, every row of a provider, measure and period whose overall
    figure comes from fewer than `suppress_below` responses (its group rows too).

    Returns (the rows every figure is computed from, the withheld overall rows with every figure blank).
    So no target, spread, rank, funnel, trend, case-mix weight or group comparison depends on them.
    """
    small = df[(df["group"] == "all").to_numpy(dtype=bool)
               & (df["responses"].astype("float64").to_numpy() < st.suppress_below)]
    if small.empty:
        return df, small
    every, withheld = key_codes([df, small], KEYS)
    return df[~np.isin(every, withheld)], small


def put_back(scores: pd.DataFrame, withheld: pd.DataFrame, peers: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The withheld rows rejoin the results, as rows with no figure (apply() blanks them), after every
    figure has been computed without them. A peer group of withheld rows only gets a peer row with no target."""
    if withheld.empty:
        return scores, peers
    keys = ["measure", "period", "peer"]
    info = peers.set_index(keys)
    w = withheld.copy()
    at = pd.MultiIndex.from_frame(w[keys])
    w["target"] = info["target"].reindex(at).to_numpy()
    w["rank_n"] = info["n_providers"].reindex(at).fillna(0).to_numpy()
    if "adjusted" in scores:
        w["adjusted"] = False
    lone = w[~at.isin(info.index)].drop_duplicates(keys)
    extra = pd.DataFrame({"measure": lone["measure"], "period": lone["period"], "peer": lone["peer"],
                          "kind": lone["kind"], "target": np.nan, "n_providers": 0, "tau2": 0.0, "phi": np.nan,
                          "mode": "too-few-providers"}, columns=peers.columns)
    peers = pd.concat([peers, extra], ignore_index=True) if len(extra) else peers
    peers = peers.sort_values(keys, kind="stable").reset_index(drop=True)
    return pd.concat([scores, w], ignore_index=True), peers


def published_totals(scores: pd.DataFrame) -> pd.DataFrame:
    """Each provider's published overall count and numerator (positives, sum of scores or events): what an
    attacker subtracts the visible group cells from. Uses the crude figures (case-mix aside)."""
    kind = scores["kind"].to_numpy()
    n = scores["responses"].astype("float64")
    crude = scores["estimate_unadjusted"].astype("float64") if "estimate_unadjusted" in scores else n * np.nan
    est = crude.where(crude.notna(), scores["estimate"].astype("float64"))
    x = np.select([kind == "proportion", kind == "mean", kind == "ratio"],
                  [(est * n).round(), est * n, scores["observed"].astype("float64")], np.nan)
    return pd.DataFrame({**{k: scores[k].to_numpy() for k in KEYS}, "total": n.to_numpy(), "total_x": x})


def _numerators(b: pd.DataFrame) -> np.ndarray:
    kind = b["kind"].to_numpy()
    return np.select([kind == "proportion", kind == "mean", kind == "ratio"],
                     [b["numerator"].astype("float64"), b["mean"].astype("float64") * b["responses"].astype("float64"),
                      b["observed"].astype("float64")], np.nan)


def _scale(kind: str, measure: str, scales: pd.DataFrame | None) -> tuple[tuple[float, float], float]:
    """The range of one respondent's answer and the rounding of published figures per response."""
    if kind == "proportion":
        return (0.0, 1.0), 0.0
    if kind == "ratio":
        return (0.0, np.inf), 0.0
    if scales is not None and len(scales):
        row = scales[scales["measure"] == measure]
        if len(row):
            return (float(row["minimum"].iat[0]), float(row["maximum"].iat[0])), 0.01  # means to 2 places
    return (-np.inf, np.inf), 0.0


def _statuses(b: pd.DataFrame, parent: np.ndarray, totals: pd.DataFrame | None, scales, st: Settings) -> np.ndarray:
    """Primary / secondary / no-band / banded for each breakdown cell, per measure (its scale).
    parent: one number per cell naming its table (provider, measure, period and dimension)."""
    status = np.empty(len(b), dtype=object)
    t_n, t_x = np.full(len(b), np.nan), np.full(len(b), np.nan)  # the published total of each cell's table
    if totals is not None and len(totals):
        cell, total = key_codes([b, totals], KEYS)
        last = ~pd.Series(total).duplicated(keep="last").to_numpy()  # one total per key: the last, as a dict
        at = pd.Index(total[last]).get_indexer(cell)
        found = at >= 0
        t_n[found] = totals["total"].to_numpy(dtype="float64")[last][at[found]]
        t_x[found] = totals["total_x"].to_numpy(dtype="float64")[last][at[found]]
    x = _numerators(b)
    n = b["responses"].astype("float64").to_numpy()
    for measure, rows in pd.Series(np.arange(len(b))).groupby(b["measure"].to_numpy(), sort=True).indices.items():
        scale, tol = _scale(str(b["kind"].iat[rows[0]]), measure, scales)
        tables, first = np.unique(parent[rows], return_index=True)
        known = dict(zip(tables.tolist(), zip(t_n[rows][first].tolist(), t_x[rows][first].tolist())))
        out = stats.suppress_counts(n[rows], parent[rows], st.suppress_below, st.band_below, numerators=x[rows],
                                    totals=known, scale=scale, tolerance=tol)
        status[rows] = out["status"].to_numpy()
    return status


def apply(scores: pd.DataFrame, breakdowns: pd.DataFrame, st: Settings, scales: pd.DataFrame | None = None
          ) -> tuple[pd.DataFrame, pd.DataFrame]:
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
    parent = key_codes([b], [*KEYS, "dimension"])[0] if len(b) else np.empty(0, dtype=np.int64)
    status = _statuses(b, parent, published_totals(scores), scales, st) if len(b) else np.empty(0, dtype=object)
    cell_hidden = (status == "primary") | (status == "secondary")  # one look to a reader: 'not shown'
    table = pd.factorize(parent)[0]
    whole = (np.bincount(table, weights=~cell_hidden, minlength=table.max(initial=-1) + 1) == 0)[table]
    b, bn, cell_hidden = b[~whole].reset_index(drop=True), bn[~whole], cell_hidden[~whole]  # nothing shown: no table
    b = _blank(b, cell_hidden)
    b["suppressed"] = cell_hidden
    b.loc[cell_hidden, "comparison"] = "suppressed"
    small = ~cell_hidden & (bn < st.band_below)
    b.loc[small, "comparison"] = "too-few"
    return scores, b


def hide_lone_targets(peers: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """A peer group's overall figure is hidden when none of its providers' figures is published.

    With no published figure beside it, the overall figure would show what the
    suppressed providers said (for one provider, exactly its own result). A published benchmark stays: it
    is not computed from the providers.
    """
    keys = ["measure", "period", "peer"]
    shown = scores.groupby(keys)["estimate"].apply(lambda s: bool(s.notna().any())).rename("shown").reset_index()
    p = peers.merge(shown, on=keys, how="left")
    pooled = p["benchmark"].fillna("").eq("") if "benchmark" in p else True  # a published benchmark reveals nothing
    p.loc[~p["shown"].fillna(False).astype(bool) & pooled, "target"] = np.nan
    return p.drop(columns="shown")
