"""The compute stage's internals as they were before issue 20's speed-up (commit 863da72), kept verbatim as the
reference for tests/test_compute_identity.py: install() puts them in place of the new ones, so compare() can be
run both ways and its Results compared to the bit. Not used by the generator."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import numpy.typing as npt

from generator import stats
from generator.compute import compare as compare_module
from generator.compute import flags, suppress, transform, trends, words
from generator.compute.compare import below_minimum
from generator.compute.flags import FLAG_COLUMNS, _spc_concerns
from generator.compute.suppress import FIGURES, KEYS, _numerators, _scale, published_totals
from generator.compute.transform import _limits, funnel_size, mean_se
from generator.compute.trends import COLUMNS, RECENT
from generator.data import periods
from generator.data.dataset import Dataset
from generator.settings import Settings
from generator.stats import intervals, overdispersion
from generator.stats.bands import _result
from generator.stats.spc import spc_many
from test_ranks_identity import reference as reference_rank_intervals


def install(monkeypatch) -> None:
    """Every function issue 20 rewrote, as it was (the ranks by the reference in test_ranks_identity.py)."""
    monkeypatch.setattr(compare_module, "_base", _base)
    monkeypatch.setattr(compare_module, "_compare_all", _compare_all)
    for name in ("_blank", "withhold", "apply"):
        monkeypatch.setattr(suppress, name, globals()[name])
    for name in ("add_estimates", "funnel_curves", "group_gaps"):
        monkeypatch.setattr(transform, name, globals()[name])
    monkeypatch.setattr(trends, "monthly_spc", monthly_spc)
    monkeypatch.setattr(flags, "raise_flags", raise_flags)
    monkeypatch.setattr(flags, "good_practice", good_practice)
    monkeypatch.setattr(stats, "fingertips_compare", fingertips_compare)
    monkeypatch.setattr(stats, "rank_intervals", _rank_intervals)
    monkeypatch.setattr(intervals, "_two_sided", intervals._two_sided.__wrapped__)
    monkeypatch.setattr(overdispersion, "_consistency", overdispersion._consistency.__wrapped__)


def _rank_intervals(est, se, higher_is_better=True, draws=1000, seed=0, tau2=0.0, level=0.95):
    lower, upper, _ = reference_rank_intervals(est, se, higher_is_better, draws, seed, tau2, level)
    return lower, upper


def _base(ds: Dataset) -> pd.DataFrame:
    sc = ds["scores"]
    m = ds["measures"].set_index("id")
    p = ds["providers"].set_index("code")
    df = sc.copy()
    df["kind"] = df["measure"].map(m["kind"])
    df["higher_is_better"] = df["measure"].map(m["polarity"]).eq("higher-is-better")
    df["peer"] = df["provider"].map(p["type"])
    # the publisher's minimum sample (measures.min_sample, standard 1.3): NaN when the measure has none
    minimum = m["min_sample"].astype("Float64").astype("float64") if "min_sample" in m else pd.Series(np.nan, index=m.index)
    df["min_sample"] = df["measure"].map(minimum).astype("float64")
    return df


def _compare_group(g: pd.DataFrame, kind: str, hib: bool, st: Settings, ranked: bool) -> tuple[pd.DataFrame, dict]:
    """Bands, z and rank intervals for one measure, period and peer type."""
    g = g.copy()
    y, s, target_y, target = transform.to_scale(g, kind)
    bandable = ((transform.information(g, kind) >= st.band_below) & np.isfinite(y) & np.isfinite(s) & (s > 0)
                & ~below_minimum(g))
    info = {"target": target, "n_providers": int(bandable.sum()), "tau2": 0.0, "phi": np.nan,
            "mode": "too-few-providers"}
    g["z"] = np.nan
    g["z_adj"] = np.nan
    if bandable.any():
        od = stats.overdispersion_z(y[bandable], s[bandable], target_y, min_providers=st.min_providers_for_tau,
                                    consistent=st.overdispersion == "consistent")
        g.loc[bandable, "z"] = od["z"]
        g.loc[bandable, "z_adj"] = od["z_adj"]
        info.update(tau2=float(od["tau2"]), phi=float(od["phi"]), mode=od["mode"])
        if kind == "ratio":  # exact Poisson z (Poisson-lognormal with tau2): bands agree with PHE's test
            o, e = g.loc[bandable, "observed"].astype("float64"), g.loc[bandable, "expected"].astype("float64")
            g.loc[bandable, "z"] = stats.ratio_z(o.to_numpy(), e.to_numpy(), target)
            g.loc[bandable, "z_adj"] = stats.ratio_z(o.to_numpy(), e.to_numpy(), target, info["tau2"])
    finite = np.isfinite(g["z_adj"].to_numpy(dtype="float64"))
    if (np.asarray(bandable) & ~finite).any():  # a z that came out infinite or NaN (e.g. se 1e-300): too few
        bandable = np.asarray(bandable) & finite
        g.loc[~bandable, ["z", "z_adj"]] = np.nan
    g["band"] = "too-few"
    if bandable.any():
        g.loc[bandable, "band"] = stats.band(g.loc[bandable, "z_adj"].to_numpy(), hib)
    g["rank_lower"] = np.nan
    g["rank_upper"] = np.nan
    g["rank_n"] = int(bandable.sum())
    if ranked and bandable.sum() >= 2:
        lo, hi = stats.rank_intervals(y[bandable], s[bandable], higher_is_better=hib,
                                      draws=st.rank_draws, seed=st.rank_seed, tau2=info["tau2"])
        g.loc[bandable, "rank_lower"] = lo
        g.loc[bandable, "rank_upper"] = hi
    g["target"] = target
    return g, info


def _compare_all(overall, st, shown, bench=None, memo=None):
    """The loop compare() ran before issue 20, as _compare_all's contract (the data it is run on have no
    published benchmarks, which came later: standard 1.4; the memo came later too)."""
    assert not bench and memo is None
    parts, peers = [], []
    for (measure, period, peer), g in overall.groupby(["measure", "period", "peer"], sort=True):
        kind = g["kind"].iat[0]
        hib = bool(g["higher_is_better"].iat[0])
        out, info = _compare_group(g, kind, hib, st, (measure, period) in shown)
        parts.append(out)
        peers.append({"measure": measure, "period": period, "peer": peer, "kind": kind, **info, "benchmark": ""})
    scores = pd.concat(parts) if parts else overall.assign(z=[], z_adj=[], band=[], rank_lower=[], rank_upper=[], rank_n=[], target=[])
    return scores, peers


def _blank(df: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    df = df.copy()
    for col in FIGURES:
        if col in df.columns:
            if str(df[col].dtype) == "Int64":
                df[col] = df[col].astype("float64")
            df.loc[mask, col] = np.nan
    return df


def withhold(df: pd.DataFrame, st: Settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Take out, before anything is computed, every row of a provider, measure and period whose overall
    figure comes from fewer than `suppress_below` responses (its group rows too).

    Returns (the rows every figure is computed from, the withheld overall rows with every figure blank).
    So no target, spread, rank, funnel, trend, case-mix weight or group comparison depends on them.
    """
    overall = df[df["group"] == "all"]
    small = overall[overall["responses"].astype("float64") < st.suppress_below]
    if small.empty:
        return df, small
    out = pd.MultiIndex.from_frame(df[KEYS]).isin(pd.MultiIndex.from_frame(small[KEYS]))
    return df[~out], small


def _statuses(b: pd.DataFrame, totals: pd.DataFrame | None, scales, st: Settings) -> np.ndarray:
    """Primary / secondary / no-band / banded for each breakdown cell, per measure (its scale)."""
    parent = (b["provider"].astype(str) + "|" + b["measure"].astype(str) + "|" + b["period"].astype(str)
              + "|" + b["dimension"].astype(str)).to_numpy()
    status = np.empty(len(b), dtype=object)
    tot = {} if totals is None else {(r.provider, r.measure, r.period): (r.total, r.total_x)
                                     for r in totals.itertuples(index=False)}
    x = _numerators(b)
    for measure, rows in pd.Series(np.arange(len(b))).groupby(b["measure"].to_numpy(), sort=True).indices.items():
        scale, tol = _scale(str(b["kind"].iat[rows[0]]), measure, scales)
        known = {p: tot.get(tuple(p.split("|")[:3]), (np.nan, np.nan)) for p in set(parent[rows])}
        out = stats.suppress_counts(b["responses"].astype("float64").to_numpy()[rows], parent[rows],
                                    st.suppress_below, st.band_below, numerators=x[rows], totals=known,
                                    scale=scale, tolerance=tol)
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
    status = _statuses(b, published_totals(scores), scales, st) if len(b) else np.empty(0, dtype=object)
    cell_hidden = (status == "primary") | (status == "secondary")  # one look to a reader: 'not shown'
    table = [b[k].astype(str) for k in ("provider", "measure", "period", "dimension")]
    whole = pd.Series(cell_hidden).groupby(table).transform("all").to_numpy(dtype=bool)
    b, bn, cell_hidden = b[~whole].reset_index(drop=True), bn[~whole], cell_hidden[~whole]  # nothing shown: no table
    b = _blank(b, cell_hidden)
    b["suppressed"] = cell_hidden
    b.loc[cell_hidden, "comparison"] = "suppressed"
    small = ~cell_hidden & (bn < st.band_below)
    b.loc[small, "comparison"] = "too-few"
    return scores, b


def add_estimates(df: pd.DataFrame) -> pd.DataFrame:
    """Add estimate, se_est and 95% / 99.8% intervals for every row, by kind."""
    df = df.copy()
    n = df["responses"].astype("float64").to_numpy()
    est = np.full(len(df), np.nan)
    cols = {c: np.full(len(df), np.nan) for c in ("lower95", "upper95", "lower998", "upper998")}
    kind = df["kind"].to_numpy()

    p = kind == "proportion"
    if p.any():
        x = df.loc[p, "numerator"].astype("float64").to_numpy()
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
        df.loc[m, "se"] = mean_se(se, sd, n[m])  # from here on every mean score has its SE

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


def funnel_curves(scores: pd.DataFrame, peers: pd.DataFrame, points: int = 60) -> pd.DataFrame:
    """Exact and overdispersion-adjusted funnel limits over the range of each peer group's sizes."""
    rows = []
    groups = {k: g for k, g in scores.groupby(["measure", "period", "peer"], sort=False)}
    empty = scores.iloc[:0]
    for pr in peers.itertuples(index=False):
        g = groups.get((pr.measure, pr.period, pr.peer), empty)
        size = funnel_size(g, pr.kind)
        size = size[np.isfinite(size) & (size > 0)]
        if not len(size) or not np.isfinite(pr.target):
            continue
        grid = np.unique(np.geomspace(max(size.min() * 0.8, 1), size.max() * 1.2, points).round(3))
        for conf in (0.95, 0.998):
            lo, hi = _limits(pr.kind, pr.target, grid, conf, 0.0, g)
            alo, ahi = _limits(pr.kind, pr.target, grid, conf, pr.tau2, g)
            rows.append(pd.DataFrame({"measure": pr.measure, "period": pr.period, "peer": pr.peer,
                                      "confidence": conf, "size": grid, "lower": lo, "upper": hi,
                                      "lower_adj": alo, "upper_adj": ahi}))
    cols = ["measure", "period", "peer", "confidence", "size", "lower", "upper", "lower_adj", "upper_adj"]
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=cols)


def group_gaps(groups: pd.DataFrame, overall: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """Each group's figure against its provider's overall figure (Fingertips-style comparison)."""
    keys = ["provider", "measure", "period"]
    base = overall[keys + ["estimate"]].rename(columns={"estimate": "overall"})
    g = groups.merge(base, on=keys, how="left")
    info = meta.set_index("id")
    g["dimension"] = g["group"].map(info["dimension"])
    g["label"] = g["group"].map(info["label"])
    g["seldom_heard"] = g["group"].map(info["seldom_heard"]).fillna(False).astype(bool)
    g = g[g["dimension"] != "stratum"].copy()
    g["gap"] = g["estimate"] - g["overall"]
    g["gap_lower95"] = g["lower95"] - g["overall"]
    g["gap_upper95"] = g["upper95"] - g["overall"]
    hib = g["higher_is_better"].to_numpy(dtype=bool)
    g["comparison"] = stats.fingertips_compare(g["lower95"].to_numpy(), g["upper95"].to_numpy(),
                                               g["lower998"].to_numpy(), g["upper998"].to_numpy(),
                                               g["overall"].to_numpy(), hib)
    return g.sort_values(keys + ["dimension", "group"]).reset_index(drop=True)


def monthly_spc(scores: pd.DataFrame, st: Settings) -> pd.DataFrame:
    """One row per published monthly point. Suppressed months are left out of the series.

    Series of the same length are charted together (stats.spc.spc_many, equal to spc per series).
    """
    monthly = scores[periods.months(scores["period"]) & scores["estimate"].notna()]
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


def raise_flags(results, rules: list[dict], measure_names: dict[str, str], measure_sources: dict[str, str]) -> pd.DataFrame:
    rows = []
    for rule in rules:
        rid = rule["id"]
        if rid == "worse-998-latest":
            x = periods.recent_rows(results.scores, results.periods)
            for r in x[(x["age"] == 0) & x["band"].isin(rule["bands"])].itertuples(index=False):
                rows.append((r.provider, rid, r.measure, r.period,
                             f"{measure_names[r.measure]}: {stats.band_label(r.band).lower()} in {r.period}."))
        elif rid == "worse-consecutive":
            k = int(rule.get("periods", 2))
            x = periods.recent_rows(results.scores, results.periods, k)
            bad = x[x["band"].isin(rule["bands"])].groupby(["provider", "measure"])["age"].nunique()
            for (prov, meas), count in bad.items():
                if count >= k:
                    ps = results.periods[meas][:k]
                    rows.append((prov, rid, meas, ps[0], f"{measure_names[meas]}: worse than expected in each of "
                                 f"{', '.join(reversed(ps))}."))
        elif rid == "spc-concern":
            for prov, meas, last, rule_hit, when in _spc_concerns(results.trends, int(rule.get("recent_points", RECENT))):
                rows.append((prov, rid, meas, last,
                             f"{measure_names[meas]}: {words.SPC_RULES.get(rule_hit, 'a real change for the worse')} "
                             f"({when})."))
        elif rid == "seldom-heard-gap":
            b = results.breakdowns
            latest = periods.latest_rows(b, results.latest)
            hit = latest[latest["seldom_heard"] & latest["comparison"].isin(rule["comparisons"])]
            for r in hit.itertuples(index=False):
                rows.append((r.provider, rid, r.measure, r.period,
                             f"{measure_names[r.measure]}: {r.label} {words.value(r.estimate, r.kind)} against "
                             f"{words.value(r.overall, r.kind)} for all patients in {r.period}."))
        elif rid == "multiple-sources":
            x = periods.recent_rows(results.scores, results.periods)
            x = x[(x["age"] == 0) & x["band"].isin(rule["bands"])]
            x = x.assign(source=x["measure"].map(measure_sources))
            for prov, g in x.groupby("provider", sort=True):
                sources = sorted(g["source"].unique())
                if len(sources) >= int(rule.get("min_sources", 2)):
                    names = ", ".join(words.SOURCES.get(s, s) for s in sources)
                    rows.append((prov, rid, "", "", f"Worse than expected in {len(sources)} sources: {names}."))
    flags = pd.DataFrame(rows, columns=FLAG_COLUMNS)
    return flags.sort_values(["provider", "rule", "measure", "period"]).reset_index(drop=True)


def good_practice(results, raised: pd.DataFrame | None = None, n_periods: int = 2) -> pd.DataFrame:
    """Providers better than expected in each of a measure's latest n_periods periods, or with an SPC improvement
    lately and no change for the worse with it; never a measure a red flag in `raised` rests on."""
    x = periods.recent_rows(results.scores, results.periods, n_periods)
    good = x[x["band"].isin(stats.BETTER_CLEAR)].groupby(["provider", "measure"])["age"].nunique()
    rows = [(p, m, "sustained") for (p, m), c in good.items() if c >= n_periods]
    tr = results.trends
    if len(tr):
        last = tr.sort_values("period").groupby(["provider", "measure"]).tail(RECENT)
        imp = last[(last["point_type"] == "special_cause_improvement") & ~last["trial"]]
        rows += [(p, m, "improving") for p, m in imp[["provider", "measure"]].drop_duplicates().itertuples(index=False)]
    out = pd.DataFrame(rows, columns=["provider", "measure", "reason"])
    if raised is not None and len(raised):
        flagged = set(zip(raised["provider"], raised["measure"]))
        out = out[np.array([k not in flagged for k in zip(out["provider"], out["measure"])], dtype=bool)]
    return out.groupby(["provider", "measure"], as_index=False)["reason"].agg(lambda s: " and ".join(sorted(set(s))))


def fingertips_compare(lower95: npt.ArrayLike, upper95: npt.ArrayLike, lower998: npt.ArrayLike,
                       upper998: npt.ArrayLike, benchmark: npt.ArrayLike, higher_is_better: Any) -> Any:
    """Compare one provider's intervals with a benchmark value, as Fingertips does.

    Benchmark inside the 95% interval (bounds included) -> 'similar'; outside ->
    'better' or 'worse' by polarity; outside the 99.8% interval too ->
    'better-998' / 'worse-998'. higher_is_better may be an array; where it is
    None (a measure with no polarity) the words are 'higher' / 'lower'
    ('higher-998', 'lower-998'). Any missing value gives ''.
    """
    l95, u95, l998, u998, b = np.broadcast_arrays(
        *(np.asarray(a, dtype="float64") for a in (lower95, upper95, lower998, upper998, benchmark)))
    hib = np.broadcast_to(np.asarray(higher_is_better, dtype=object), b.shape)
    neutral = np.array([h is None for h in hib.ravel()], dtype=bool).reshape(b.shape)
    good = np.array([bool(h) for h in hib.ravel()], dtype=bool).reshape(b.shape)
    missing = np.isnan(l95) | np.isnan(u95) | np.isnan(l998) | np.isnan(u998) | np.isnan(b)
    high = np.where(neutral, "higher", np.where(good, "better", "worse"))
    low = np.where(neutral, "lower", np.where(good, "worse", "better"))
    out = np.select([missing, b < l998, b < l95, b > u998, b > u95],
                    ["", np.char.add(high, "-998"), high, np.char.add(low, "-998"), low], "similar")
    return _result(out)
