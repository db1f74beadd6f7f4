"""Domain rules on the sizes of counts and ratios (merged scores table; see generator.data.domain).

- expected events must be above 0: a ratio observed / expected with expected 0 is infinite;
- observed / expected must lie within 1/R and R (R = LIMITS.ratio_range), counting 0 observed events as
  0.5, so that no ratio far beyond any real provider's (e.g. expected 1e-300 or 1e308) is published;
- means, standard errors, standard deviations and expected counts stay below LIMITS.number_max in size,
  so that no sum or square of them overflows to infinity;
- standard errors and standard deviations are at least LIMITS.spread_min: 0 would publish an interval of
  no width, and a tiny one (e.g. 1e-300) an infinite z;
- a group's responses are at most the responses of the group 'all' (the provider's total) for the same
  provider, measure and period; and so are the responses of all the groups of one dimension (age, ethnicity,
  stratum...: the groups resource says which) added up, since one person is in one group of a dimension.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from generator.data.cells import emit, ok
from generator.problems import Problem
from generator.settings import LIMITS


def count_rules(s: pd.DataFrame, groups: pd.DataFrame | None = None) -> list[Problem]:
    if not len(s):
        return []
    out: list[Problem] = []
    num = {c: s[c].to_numpy(dtype=np.float64, na_value=np.nan) for c in ("mean", "se", "sd", "expected", "observed", "responses")}
    for c in ("mean", "se", "sd", "expected"):
        rows = np.flatnonzero(ok(s, c) & (np.abs(num[c]) > LIMITS.number_max))
        out += emit(s, "scores", "number-too-large", rows, c,
                    (f"{c} {num[c][r]:g} is larger than {LIMITS.number_max:g} (limit number_max); no real score is" for r in rows))
    for c in ("se", "sd"):
        with np.errstate(invalid="ignore"):
            rows = np.flatnonzero(ok(s, c) & ~(num[c] >= LIMITS.spread_min))
        out += emit(s, "scores", "spread-not-positive", rows, c,
                    (f"{c} {num[c][r]:g} is below {LIMITS.spread_min:g} (limit spread_min): a result with no spread "
                     f"would be known exactly" for r in rows))
    big = ok(s, "expected") & (np.abs(num["expected"]) > LIMITS.number_max)
    exp, obs = num["expected"], num["observed"]
    rows = np.flatnonzero(ok(s, "expected") & (exp <= 0))
    out += emit(s, "scores", "expected-not-positive", rows, "expected",
                (f"expected {exp[r]:g} events: the ratio observed / expected needs more than 0 expected" for r in rows))
    both = ok(s, "expected") & ok(s, "observed") & (exp > 0) & ~big
    r_ = LIMITS.ratio_range
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        ratio = np.maximum(obs, 0.5) / exp
        odd = both & ((ratio > r_) | ((obs > 0) & (ratio < 1 / r_)))
    rows = np.flatnonzero(odd)
    out += emit(s, "scores", "ratio-implausible", rows, "expected",
                (f"observed {obs[r]:.0f} against expected {exp[r]:g} events is a ratio outside 1/{r_} to {r_} "
                 f"(limit ratio_range; 0 observed counts as 0.5); check both columns" for r in rows))
    return out + _groups_within_total(s, num["responses"], groups)


def _key(s: pd.DataFrame, idx: np.ndarray, cols: tuple[str, ...]) -> np.ndarray:
    """One whole number per row of idx for its values of cols, ordered as the values are (sorted codes,
    combined): joins and groupings on it cost a fraction of those on text (issue 20)."""
    key = np.zeros(len(idx), dtype=np.int64)
    for c in cols:
        codes, uniques = pd.factorize(s[c].to_numpy(dtype=object)[idx], sort=True)
        key = key * max(len(uniques), 1) + codes
    return key


def _groups_within_total(s: pd.DataFrame, resp: np.ndarray, groups: pd.DataFrame | None) -> list[Problem]:
    keyed = ok(s, "provider") & ok(s, "measure") & ok(s, "period") & ok(s, "group") & ok(s, "responses")
    idx = np.flatnonzero(keyed)
    if not len(idx):
        return []
    key = _key(s, idx, ("provider", "measure", "period"))
    g = s["group"].to_numpy(dtype=object)
    is_all = g[idx] == "all"
    at_all = np.flatnonzero(is_all)
    totals, first = np.unique(key[at_all], return_index=True)  # the first 'all' row of each key
    found = np.searchsorted(totals, key).clip(max=max(len(totals) - 1, 0))
    has_total = (totals[found] == key) if len(totals) else np.zeros(len(idx), bool)
    tpos = idx[at_all[first]][found] if len(totals) else np.zeros(len(idx), np.int64)  # the total's row in s
    total = np.where(has_total, resp[tpos], np.nan)
    with np.errstate(invalid="ignore"):
        over = ~is_all & (resp[idx] > total)
    rows = np.flatnonzero(over)
    tr, tf = s["_row"].to_numpy(), s["_file"].to_numpy()
    out = emit(s, "scores", "group-exceeds-total", idx[rows], "responses",
               (f"group {g[idx[i]]} has {resp[idx[i]]:.0f} responses, more than the {total[i]:.0f} of group 'all' "
                f"(row {tr[tpos[i]]} of {tf[tpos[i]]}) for the same provider, measure and period" for i in rows))
    if groups is None or not len(groups):
        return out
    return out + _dimensions_within_total(s, idx, key, pd.DataFrame({"group": g[idx], "resp": resp[idx], "total": total,
                                                                      "over": over, "tpos": tpos}), groups)


def _dimensions_within_total(s: pd.DataFrame, idx: np.ndarray, key: np.ndarray, j: pd.DataFrame,
                             groups: pd.DataFrame) -> list[Problem]:
    """The groups of one dimension added up, where no one group is already over the total: one problem at the
    dimension's last row for that provider, measure and period."""
    dims = groups.drop_duplicates("id").set_index("id")["dimension"]
    j = j.assign(dimension=j["group"].map(dims), pos=np.arange(len(j)), key=key)
    j = j[j["dimension"].notna() & (j["dimension"] != "all") & (j["group"] != "all")]
    codes, uniques = pd.factorize(j["dimension"].to_numpy(dtype=object), sort=True)
    j = j.assign(key=j["key"].to_numpy() * max(len(uniques), 1) + codes)  # in the order of provider, measure, period, dimension
    agg = j.groupby("key", sort=True).agg(n=("resp", "sum"), total=("total", "first"), any_over=("over", "any"),
                                          cells=("group", "size"), pos=("pos", "max"), tpos=("tpos", "first"),
                                          dimension=("dimension", "first"))
    with np.errstate(invalid="ignore"):
        bad = agg[(agg["n"] > agg["total"]) & ~agg["any_over"] & (agg["cells"] > 1)]
    tr, tf = s["_row"].to_numpy(), s["_file"].to_numpy()
    return emit(s, "scores", "group-exceeds-total", idx[bad["pos"].to_numpy(dtype=np.int64)], "responses",
                (f"the {r.cells} groups of dimension {r.dimension} have {r.n:.0f} responses together, more than the "
                 f"{r.total:.0f} of group 'all' (row {tr[r.tpos]} of {tf[r.tpos]}) for the same provider, measure and "
                 f"period; one person is in one group of a dimension" for r in bad.itertuples()))
