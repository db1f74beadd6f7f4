"""Stage 3: compare providers. Pure pandas/numpy: no I/O.

Input: a validated Dataset. Output: Results, the only source of every figure the
site and the downloads publish. Disclosure control is applied here, once
(suppress.py), so nothing downstream can see a figure it must not publish.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from generator import stats
from generator.data import benchmarks
from generator.data.dataset import Dataset
from generator.settings import DEFAULT, Settings
from generator.compute import casemix, notes, suppress, transform, trends
from generator.compute import columns
from generator.compute.commission import commissioning
from generator.compute.memo import Memo, group_key
from generator.compute.results import Comparison, Results


def _base(ds: Dataset) -> pd.DataFrame:
    sc = ds["scores"]
    m = ds["measures"].set_index("id")
    p = ds["providers"].set_index("code")
    df = sc.copy(deep=False)  # new columns only: the dataset's table is not written to
    df["kind"] = _map(df["measure"], m["kind"])
    df["higher_is_better"] = _map(df["measure"], m["polarity"]).eq("higher-is-better")
    df["peer"] = _map(df["provider"], peer_of(ds["providers"]).set_axis(p.index))
    # the publisher's minimum sample (measures.min_sample, standard 1.3): NaN when the measure has none
    minimum = m["min_sample"].astype("Float64").astype("float64") if "min_sample" in m else pd.Series(np.nan, index=m.index)
    df["min_sample"] = _map(df["measure"], minimum).astype("float64")
    return df


def peer_of(providers: pd.DataFrame) -> pd.Series:
    """Each provider's peer group, the providers it is compared with: its peer_group (standard 1.4) when given,
    else its type. A peer group is named by the publisher as a plural noun ("critical access hospitals")."""
    group = providers["peer_group"].astype("str").str.strip() if "peer_group" in providers else ""
    return providers["type"].where(pd.Series(group, index=providers.index).eq(""), group)


def _map(keys: pd.Series, values: pd.Series) -> pd.Series:
    """keys.map(values), looking up each distinct key once (a few dozen measures or thousands of providers
    for millions of rows)."""
    at, distinct = pd.factorize(keys, use_na_sentinel=False)
    return pd.Series(distinct).map(values).take(at).set_axis(keys.index).rename(keys.name)


def below_minimum(g: pd.DataFrame) -> np.ndarray:
    """Rows with fewer responses than the publisher's minimum sample for the measure: never banded or ranked.
    A frame without a min_sample column (made by hand) has no minimum."""
    if "min_sample" not in g:
        return np.zeros(len(g), bool)
    n = g["responses"].astype("float64").to_numpy()
    with np.errstate(invalid="ignore"):
        return g["min_sample"].to_numpy(dtype="float64") > n


def _compare_group(g: pd.DataFrame, kind: str, hib: bool, st: Settings, ranked: bool,
                   benchmark: dict | None = None) -> tuple[pd.DataFrame, dict]:
    """Bands, z and rank intervals for one measure, period and peer type: g with those columns; against the
    published benchmark when there is one (data.benchmarks.targets), else against the providers' pooled figure."""
    cols, info = _group_columns(g, kind, hib, st, ranked, benchmark)
    return g.assign(**cols), info


def _group_columns(g: pd.DataFrame, kind: str, hib: bool, st: Settings, ranked: bool, benchmark: dict | None = None
                   ) -> tuple[dict[str, np.ndarray], dict]:
    """_compare_group's new columns (z, z_adj, band, rank_lower, rank_upper, rank_n, target): one value per row
    of g in each, as arrays."""
    y, s, target_y, target = transform.to_scale(g, kind)
    if benchmark is not None:
        target = benchmark["value"]
        target_y = transform.on_scale(target, kind)
    bandable = np.asarray((transform.information(g, kind) >= st.band_below) & np.isfinite(y) & np.isfinite(s)
                          & (s > 0) & ~below_minimum(g), dtype=bool)
    info = {"target": target, "n_providers": int(bandable.sum()), "tau2": 0.0, "phi": np.nan,
            "mode": "too-few-providers", "benchmark": "" if benchmark is None else benchmark["label"]}
    size = len(g)
    z, z_adj = np.full(size, np.nan), np.full(size, np.nan)
    if bandable.any():
        # methods.md §2: z, the Winsorised phi and tau2 are all measured around the target, the benchmark when given
        od = stats.overdispersion_z(y[bandable], s[bandable], target_y, min_providers=st.min_providers_for_tau,
                                    consistent=st.overdispersion == "consistent")
        z[bandable] = od["z"]
        z_adj[bandable] = od["z_adj"]
        info.update(tau2=float(od["tau2"]), phi=float(od["phi"]), mode=od["mode"])
        if kind == "ratio":  # exact Poisson z (Poisson-lognormal with tau2): bands agree with PHE's test
            o = g["observed"].astype("float64").to_numpy()[bandable]
            e = g["expected"].astype("float64").to_numpy()[bandable]
            z[bandable] = stats.ratio_z(o, e, target)
            z_adj[bandable] = stats.ratio_z(o, e, target, info["tau2"])
    finite = np.isfinite(z_adj)
    if (bandable & ~finite).any():  # a z that came out infinite or NaN (e.g. se 1e-300): too few
        bandable = bandable & finite
        z[~bandable] = np.nan
        z_adj[~bandable] = np.nan
    band = np.full(size, "too-few", dtype=object)
    if bandable.any():
        band[bandable] = stats.band(z_adj[bandable], hib)
    lower, upper = np.full(size, np.nan), np.full(size, np.nan)
    if ranked and bandable.sum() >= 2:
        lo, hi = stats.rank_intervals(y[bandable], s[bandable], higher_is_better=hib,
                                      draws=st.rank_draws, seed=st.rank_seed, tau2=info["tau2"])
        lower[bandable] = lo
        upper[bandable] = hi
    return {"z": z, "z_adj": z_adj, "band": band, "rank_lower": lower, "rank_upper": upper,
            "rank_n": np.full(size, int(bandable.sum())), "target": np.full(size, target, dtype="float64")}, info


# what _group_columns reads of a group's rows (transform.to_scale and information, below_minimum)
GROUP_COLUMNS = ["responses", "numerator", "observed", "expected", "mean", "se", "sd", "min_sample"]


def _compare_all(overall: pd.DataFrame, st: Settings, shown: set, bench: dict | None = None, memo: Memo | None = None
                 ) -> tuple[pd.DataFrame, list[dict]]:
    """_group_columns for every measure, period and peer type, in that order (as a sorted groupby): the rows
    of each group in turn with their new columns, and one peer row per group. memo: an earlier build's groups,
    taken instead of working out again when their inputs are the same (memo.py)."""
    keys = ["measure", "period", "peer"]
    number = overall.groupby(keys, sort=True).ngroup().to_numpy(dtype="float64")  # NaN: a key is missing
    grouped = np.flatnonzero(~np.isnan(number))
    order = grouped[np.argsort(number[grouped], kind="stable")]
    ends = np.cumsum(np.bincount(number[grouped].astype(np.intp)))
    figures = overall[[c for c in GROUP_COLUMNS if c in overall]]
    kinds, hibs = overall["kind"].to_numpy(), overall["higher_is_better"].to_numpy()
    key_values = [overall[k].to_numpy() for k in keys]
    parts: list[dict[str, np.ndarray]] = []
    peers = []
    for start, end in zip(np.concatenate(([0], ends[:-1])), ends):
        rows = order[start:end]
        first = rows[0]
        measure, period, peer = (v[first] for v in key_values)
        kind, hib = kinds[first], bool(hibs[first])
        fig, ranked, target = figures.take(rows), (measure, period) in shown, (bench or {}).get((measure, period))
        key = group_key(memo.salt, fig, kind, hib, ranked, target, st) if memo is not None else ""
        found = memo.get(key, len(rows)) if memo is not None else None
        cols, info = found if found is not None else _group_columns(fig, kind, hib, st, ranked, target)
        if memo is not None:
            memo.put(key, (cols, info))
        parts.append(cols)
        peers.append({"measure": measure, "period": period, "peer": peer, "kind": kind, **info})
    if not parts:
        return overall.assign(z=[], z_adj=[], band=[], rank_lower=[], rank_upper=[], rank_n=[], target=[]), peers
    scores = overall.take(order)
    for c in parts[0]:
        scores[c] = np.concatenate([part[c] for part in parts])
    return scores, peers


def compare(ds: Dataset, st: Settings = DEFAULT, rules: list[dict] | None = None, memo: Memo | None = None) -> Results:
    """Every comparison, suppression and trend, then the red flags. rules: the red-flag rules the build read
    (data/reference.py); None reads the packaged ones (tests and scripts). memo: the groups an earlier build
    worked out (memo.py); this build's are added to memo.used."""
    base = _base(ds)
    every = base.loc[(base["group"] == "all").to_numpy(dtype=bool), ["measure", "period"]]
    periods = {m: sorted(g["period"].unique(), reverse=True) for m, g in every.groupby("measure")}
    base, withheld = suppress.withhold(base, st)  # before anything is computed from them
    df = casemix.swap_in(casemix.adjust(base, ds["groups"], below=st.suppress_below))
    df = transform.cap_at_scale(transform.add_estimates(df), ds["scales"])
    is_all = (df["group"] == "all").to_numpy(dtype=bool)
    overall = df[is_all]
    latest = {m: ps[0] for m, ps in periods.items()}
    shown = {(m, p) for m, ps in periods.items() for p in ps[: st.history_periods + 1]}
    bench = benchmarks.targets(ds.tables.get("benchmarks"), ds["measures"])
    if memo is not None:
        memo.order.clear()  # this call's groups, in order (a memo used twice: the second call's)
    scores, peers = _compare_all(overall, st, shown, bench, memo)
    peer_table = pd.DataFrame(peers, columns=["measure", "period", "peer", "kind", "target", "n_providers", "tau2", "phi",
                                              "mode", "benchmark"])
    if memo is None:  # (as tests/compute_reference.py's funnel_curves is called)
        funnels = transform.funnel_curves(scores, peer_table)
    else:  # the curves of groups taken from the memo are in their entries; the others go in
        funnels = transform.funnel_curves(scores, peer_table, known=memo.curves())
        memo.keep_curves(funnels, peer_table)
    scores = casemix.swap_out(scores)
    breakdowns = transform.group_gaps(df[~is_all], scores, ds["groups"])
    scores, peer_table = suppress.put_back(scores, withheld, peer_table)
    scores, breakdowns = suppress.apply(scores, breakdowns, st, ds["scales"])
    peer_table = suppress.hide_lone_targets(peer_table, scores)
    peer_table["benchmark"] = peer_table["benchmark"].fillna("").astype(str)  # a peer row put_back added has none
    at = pd.MultiIndex.from_frame(scores[["measure", "period", "peer"]])
    scores["benchmark"] = peer_table.drop_duplicates(["measure", "period", "peer"]).set_index(
        ["measure", "period", "peer"])["benchmark"].reindex(at).fillna("").to_numpy(dtype=object)
    scores["below_min_sample"] = below_minimum(scores) & ~scores["suppressed"].astype(bool).to_numpy()
    scores = notes.attach(scores, ds.tables.get("notes"))
    tr = trends.monthly_spc(scores, st)
    scores = scores.sort_values(["measure", "period", "provider"]).reset_index(drop=True)
    compared = Comparison(scores=scores, breakdowns=breakdowns, trends=tr, peers=peer_table, funnels=funnels,
                          latest=latest, periods=periods, dataset=ds)
    columns.check(compared)  # before commissioning reads them
    results = Results.of(compared, commissioning(compared, rules))
    columns.check(results)
    return results
