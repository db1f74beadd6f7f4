"""Estimates, intervals and comparison scales for the three kinds of measure. Pure."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from generator import stats
from generator.data import scales

INTERVALS = ("lower95", "upper95", "lower998", "upper998")


def add_estimates(df: pd.DataFrame) -> pd.DataFrame:
    """Add estimate, se_est and 95% / 99.8% intervals for every row, by kind."""
    df = df.copy(deep=False)  # whole columns are replaced, none written in place
    n = df["responses"].astype("float64").to_numpy()
    est = np.full(len(df), np.nan)
    cols = {c: np.full(len(df), np.nan) for c in ("lower95", "upper95", "lower998", "upper998")}
    kind = df["kind"].to_numpy()

    p = kind == "proportion"
    if p.any():
        x = df.loc[p, "numerator"].astype("float64").to_numpy()
        x = np.where(_published(df)[p], df.loc[p, "published"].astype("float64").to_numpy() / 100 * n[p], x) \
            if "published" in df else x  # the publisher's figure, with the count it implies (scores.published)
        with np.errstate(invalid="ignore", divide="ignore"):
            est[p] = np.where(n[p] > 0, x / n[p], np.nan)
        ok = n[p] > 0
        for conf, lo, hi in ((0.95, "lower95", "upper95"), (0.998, "lower998", "upper998")):
            low, u = stats.wilson_interval(np.where(ok, x, 0), np.where(ok, n[p], 1), conf)
            cols[lo][p] = np.where(ok, low, np.nan)
            cols[hi][p] = np.where(ok, u, np.nan)

    m = kind == "mean"
    if m.any():
        mean = df.loc[m, "mean"].astype("float64").to_numpy()
        se = df.loc[m, "se"].astype("float64").to_numpy()
        sd = df.loc[m, "sd"].astype("float64").to_numpy()
        est[m] = mean
        for conf, lo, hi in ((0.95, "lower95", "upper95"), (0.998, "lower998", "upper998")):
            l1, u1 = stats.mean_interval_se(mean, np.where(np.isnan(se), 0, se), conf)
            with np.errstate(invalid="ignore", divide="ignore"):
                l2, u2 = stats.mean_interval(mean, np.where(np.isnan(sd), 0, sd), np.maximum(n[m], 2), conf)
            cols[lo][m] = np.where(~np.isnan(se), l1, l2)
            cols[hi][m] = np.where(~np.isnan(se), u1, u2)
        if df["se"].dtype == np.float64:  # from here on every mean score has its SE
            every_se = df["se"].to_numpy(dtype="float64", copy=True)
            every_se[m] = mean_se(se, sd, n[m])
            df["se"] = every_se
        else:
            df.loc[m, "se"] = mean_se(se, sd, n[m])

    r = kind == "ratio"
    if r.any():
        o = df.loc[r, "observed"].astype("float64").to_numpy()
        e = df.loc[r, "expected"].astype("float64").to_numpy()
        est[r] = o / e
        for conf, lo, hi in ((0.95, "lower95", "upper95"), (0.998, "lower998", "upper998")):
            low, u = stats.byar_interval(o, conf)
            cols[lo][r] = low / e
            cols[hi][r] = u / e
    df["estimate"] = est
    for k, v in cols.items():
        df[k] = v
    return df


def _published(df: pd.DataFrame) -> np.ndarray:
    """Rows whose figure is the publisher's own (scores.published, standard 1.4): a proportion with a published
    percentage, not case-mix adjusted (an adjusted figure is the site's own). The comparison keeps the counts."""
    if "published" not in df:
        return np.zeros(len(df), bool)
    adjusted = df["adjusted"].fillna(False).to_numpy(dtype=bool) if "adjusted" in df else np.zeros(len(df), bool)
    return (df["kind"].to_numpy() == "proportion") & df["published"].notna().to_numpy() & ~adjusted


def on_scale(value: float, kind: str) -> float:
    """A target (proportion 0-1, ratio, mean score) on the comparison scale of to_scale (methods.md §2)."""
    if kind == "proportion":
        return float(np.arcsin(np.sqrt(value)))
    return float(np.log(value)) if kind == "ratio" else float(value)


def key_codes(frames: list[pd.DataFrame], keys: list[str]) -> list[np.ndarray]:
    """One integer per row of each frame naming its combination of the `keys` columns, the same number for the
    same values (compared as strings, as astype(str) would) in every frame."""
    sizes = np.cumsum([0] + [len(f) for f in frames])
    code = np.zeros(sizes[-1], dtype=np.int64)
    for k in keys:
        column = pd.concat([f[k] for f in frames], ignore_index=True) if len(frames) > 1 else frames[0][k]
        at, values = pd.factorize(column, use_na_sentinel=False)
        at_str, strings = pd.factorize(pd.Index(values).astype(str))  # equal as strings: one number
        code = code * (len(strings) + 1) + at_str[at]
    return [code[a:b] for a, b in zip(sizes[:-1], sizes[1:])]


def mean_se(se: np.ndarray, sd: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The standard error of a mean score: as given, else SD / sqrt(n) (the interval keeps using t with n - 1)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(np.isnan(se), sd / np.sqrt(np.where(n > 0, n, np.nan)), se)


def to_scale(g: pd.DataFrame, kind: str):
    """Values on the comparison scale (methods.md §2): y, its s, the target on that scale, the target (the providers'
    pooled figure; a published benchmark replaces it in compare._compare_group)."""
    n = g["responses"].astype("float64").to_numpy()
    if kind == "proportion":
        x = g["numerator"].astype("float64").to_numpy()
        y, s = stats.proportion_scale(x, n)
        target = x.sum() / n.sum() if n.sum() > 0 else np.nan
        return y, s, stats.proportion_target(x, n), target
    if kind == "ratio":
        o = g["observed"].astype("float64").to_numpy()
        e = g["expected"].astype("float64").to_numpy()
        target = o.sum() / e.sum()
        y, s = stats.ratio_scale(o, e)  # O = 0 counts as half a count, so the log is finite
        return y, s, np.log(target), target
    mean = g["mean"].astype("float64").to_numpy()
    s = mean_se(g["se"].astype("float64").to_numpy(), g["sd"].astype("float64").to_numpy(), n)
    w = np.where(np.isfinite(mean), n, 0)
    target = float((np.nan_to_num(mean) * w).sum() / w.sum()) if w.sum() > 0 else np.nan
    return mean, s, target, target


def information(g: pd.DataFrame, kind: str) -> np.ndarray:
    """The count that carries a result's information, which the 'too few' thresholds apply to.

    Responses for proportions and mean scores; for ratios the expected events E
    (under the target, O ~ Poisson(E): the exact test's power and the width of its
    limits depend on E). Not the observed count: a threshold on O would select on
    the outcome and hide providers with few complaints, the ones doing well.
    Not 'patients covered', which says nothing about precision.
    """
    col = "expected" if kind == "ratio" else "responses"
    return g[col].astype("float64").to_numpy()


def _grid(low: float, high: float, points: int) -> np.ndarray:
    """Sizes spread evenly on a log scale from low to high, to 3 decimals (or 4 significant digits below 1)."""
    grid = np.geomspace(low, high, points)
    return np.unique([round(float(v), max(3, 3 - math.floor(math.log10(v)))) for v in grid])


def funnel_curves(scores: pd.DataFrame, peers: pd.DataFrame, points: int = 60, known: list | None = None
                  ) -> pd.DataFrame:
    """Exact and overdispersion-adjusted funnel limits over the range of each peer group's sizes. known: for
    each peer row, its rows as an earlier build worked them out (an array per column but measure, period and
    peer: memo.CURVES), or None to work them out."""
    cols = ["measure", "period", "peer", "confidence", "size", "lower", "upper", "lower_adj", "upper_adj"]
    parts: dict[str, list] = {c: [] for c in cols}
    groups = scores.groupby(["measure", "period", "peer"], sort=False).indices
    figures = scores[[c for c in ("responses", "expected", "se", "sd") if c in scores]]
    for i, pr in enumerate(peers.itertuples(index=False)):
        made = known[i] if known is not None else None
        if made is not None:
            if len(made["size"]):
                for c in ("measure", "period", "peer"):
                    parts[c].append(np.full(len(made["size"]), getattr(pr, c), dtype=object))
                for c in cols[3:]:
                    parts[c].append(np.asarray(made[c], dtype="float64"))
            continue
        g = figures.take(groups.get((pr.measure, pr.period, pr.peer), []))
        size = funnel_size(g, pr.kind)
        size = size[np.isfinite(size) & (size > 0)]
        if not len(size) or not np.isfinite(pr.target):
            continue
        low = size.min() * 0.8  # a mean score's precision (1/se²) or an expected count may be below 1
        grid = _grid(max(low, 1) if pr.kind == "proportion" else low, size.max() * 1.2, points)
        for conf in (0.95, 0.998):
            lo, hi = _limits(pr.kind, pr.target, grid, conf, 0.0, g)
            alo, ahi = _limits(pr.kind, pr.target, grid, conf, pr.tau2, g)
            for c, v in (("measure", pr.measure), ("period", pr.period), ("peer", pr.peer), ("confidence", conf)):
                parts[c].append(np.full(len(grid), v, dtype=object if c != "confidence" else "float64"))
            for c, v in (("size", grid), ("lower", lo), ("upper", hi), ("lower_adj", alo), ("upper_adj", ahi)):
                parts[c].append(np.broadcast_to(np.asarray(v, dtype="float64"), grid.shape))
    if not parts["size"]:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame({c: np.concatenate(v) for c, v in parts.items()})


# The funnel's x axis, in plain English, for each kind: the points and the limit curves are both on it.
FUNNEL_XLABEL = {"proportion": "Number of responses", "ratio": "Expected count",
                 "mean": "Precision of the score"}  # 1/se²: explained on the methods page


def funnel_size(g: pd.DataFrame, kind: str) -> np.ndarray:
    """The funnel's x axis: responses, or expected count for ratios, or 1/se² for mean scores (where the
    limits are target ± z·se, so each provider's own se, from its se or sd, places it under its limits)."""
    if kind == "ratio":
        return g["expected"].astype("float64").to_numpy()
    if kind == "mean":
        se = mean_se(g["se"].astype("float64").to_numpy(), g["sd"].astype("float64").to_numpy(),
                     g["responses"].astype("float64").to_numpy())
        with np.errstate(divide="ignore"):
            return 1 / se ** 2
    return g["responses"].astype("float64").to_numpy()


def _limits(kind, target, grid, conf, tau2, g):
    """Funnel limits at each size on the grid; tau2 > 0 gives the overdispersion-adjusted limits."""
    if kind == "proportion":
        if tau2 <= 0:
            return stats.proportion_funnel_limits(target, grid, conf)
        return stats.adjusted_proportion_limits(target, grid, tau2, conf)
    if kind == "ratio":  # the exact (Poisson-lognormal when tau2 > 0) limits the bands use
        return stats.ratio_funnel_limits(grid, target, tau2, conf)
    return stats.adjusted_mean_limits(target, 1 / np.sqrt(grid), tau2, conf)


def group_gaps(groups: pd.DataFrame, overall: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """Each group's figure against its provider's overall figure (Fingertips-style comparison)."""
    keys = ["provider", "measure", "period"]
    found = _lookup(groups, overall, keys, "estimate")
    if found is None:  # a key twice in overall: the merge gives each of its rows
        g = groups.merge(overall[keys + ["estimate"]].rename(columns={"estimate": "overall"}), on=keys, how="left")
    else:  # the left merge's frame, found without joining every column
        g = groups.reset_index(drop=True)
        g["overall"] = found
    info = meta.set_index("id")
    at, distinct = pd.factorize(g["group"], use_na_sentinel=False)  # each group's details looked up once
    for c in ("dimension", "label", "seldom_heard"):
        g[c] = pd.Series(distinct).map(info[c]).take(at).set_axis(g.index)
    g["seldom_heard"] = g["seldom_heard"].fillna(False).astype(bool)
    g["gap"] = g["estimate"] - g["overall"]
    g["gap_lower95"] = g["lower95"] - g["overall"]
    g["gap_upper95"] = g["upper95"] - g["overall"]
    hib = g["higher_is_better"].to_numpy(dtype=bool)
    g["comparison"] = stats.fingertips_compare(g["lower95"].to_numpy(), g["upper95"].to_numpy(),
                                               g["lower998"].to_numpy(), g["upper998"].to_numpy(),
                                               g["overall"].to_numpy(), hib)
    by = keys + ["dimension", "group"]  # the order is found on these columns alone, then every column taken once
    order = g.loc[(g["dimension"] != "stratum").to_numpy(dtype=bool), by].sort_values(by).index
    return g.take(g.index.get_indexer(order)).reset_index(drop=True)


def _lookup(rows: pd.DataFrame, table: pd.DataFrame, keys: list[str], column: str) -> np.ndarray | None:
    """table[column] at each row's keys (NaN where table has no such row); None when table has a key twice."""
    at_rows, at_table = key_codes([rows, table], keys)
    if pd.Series(at_table).duplicated().any():
        return None
    at = pd.Index(at_table).get_indexer(at_rows)
    out = np.full(len(rows), np.nan)
    out[at >= 0] = table[column].to_numpy(dtype="float64")[at[at >= 0]]
    return out


def cap_at_scale(df: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Likely ranges of mean scores cut at the ends of their measure's scale: the true average cannot
    lie outside it, so the cut range still holds it whenever the t interval does (methods page)."""
    if not len(table) or not len(df):
        return df
    b = scales.bounds(table)
    lo = df["measure"].map({m: v[0] for m, v in b.items()}).to_numpy(dtype=float)
    hi = df["measure"].map({m: v[1] for m, v in b.items()}).to_numpy(dtype=float)
    mean = (df["kind"] == "mean").to_numpy() & ~np.isnan(lo)
    if not mean.any():
        return df
    df = df.copy()
    for c in INTERVALS:
        v = df[c].to_numpy(dtype=float)
        df[c] = np.where(mean, np.minimum(np.maximum(v, lo), hi), v)
    return df
