"""Red flags (rules in redflags.toml) and good-practice candidates. Pure: no I/O.

Every flag names its rule, the measure and period it rests on, and a sentence
of evidence, so a commissioner can follow it to the figures.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from generator import stats
from generator.compute import words
from generator.data import reference
from generator.compute.trends import RECENT
from generator.compute import columns
from generator.data import periods
from generator.data.publisher import DEFAULT

FLAG_COLUMNS = list(columns.COLUMNS["flags"])


def load_rules(text: str | None = None) -> list[dict]:
    """The rules parsed from text; with none, as the data stage reads them (data/reference.py). Only
    compare() called without rules (tests, scripts) reads them here; the build reads them once and passes them."""
    return list(reference.parse_rules(text) if text is not None else reference.read_rules())


def raise_flags(results, rules: list[dict], measure_names: dict[str, str], measure_sources: dict[str, str]) -> pd.DataFrame:
    rows = []
    for rule in rules:
        rid = rule["id"]
        if rid == "worse-998-latest":
            x = _recent_rows(results.scores, results.periods)
            for r in x[(x["age"] == 0) & x["band"].isin(rule["bands"])].itertuples(index=False):
                said = stats.against(stats.band_label(r.band).lower(), str(getattr(r, "benchmark", "") or ""))
                rows.append((r.provider, rid, r.measure, r.period, f"{measure_names[r.measure]}: {said} in {r.period}."))
        elif rid == "worse-consecutive":
            k = int(rule.get("periods", 2))
            x = _recent_rows(results.scores, results.periods, k)
            bad = x[x["band"].isin(rule["bands"])].groupby(["provider", "measure"])["age"].nunique()
            bad = bad[bad >= k]
            marks: dict[tuple, set] = {}  # (provider, measure) -> its benchmarks over the periods
            if "benchmark" in x and len(bad):  # distinct triples, not a unique() per group (157,000 at England scale)
                y = x[["provider", "measure", "benchmark"]].drop_duplicates()
                for prov, meas, mark in zip(y["provider"].tolist(), y["measure"].tolist(), y["benchmark"].tolist()):
                    marks.setdefault((prov, meas), set()).add(mark)
            for prov, meas in bad.index:
                ps = results.periods[meas][:k]
                seen = set(marks.get((prov, meas), {""}))  # one benchmark over the periods: named
                said = stats.against("worse than expected", str(seen.pop() or "") if len(seen) == 1 else "")
                rows.append((prov, rid, meas, ps[0], f"{measure_names[meas]}: {said} in each of "
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
            x = _recent_rows(results.scores, results.periods)
            x = x[(x["age"] == 0) & x["band"].isin(rule["bands"])]
            x = x.assign(source=x["measure"].map(measure_sources))
            for prov, sources in _sources(x):
                if len(sources) >= int(rule.get("min_sources", 2)):
                    names = ", ".join(getattr(results.dataset, "publisher", DEFAULT).source(s) for s in sources)
                    rows.append((prov, rid, "", "", f"Worse than expected in {len(sources)} sources: {names}."))
    flags = pd.DataFrame(rows, columns=FLAG_COLUMNS)
    return flags.sort_values(["provider", "rule", "measure", "period"]).reset_index(drop=True)


def _sources(x: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """(provider, its distinct sources sorted) for each provider of x, in provider order (as a sorted groupby)."""
    pairs = x[["provider", "source"]].drop_duplicates()
    pairs = pairs[pairs["provider"].notna().to_numpy()]  # groupby leaves out a missing provider
    out: dict[str, list[str]] = {}
    for prov, source in zip(pairs["provider"].tolist(), pairs["source"].tolist()):
        out.setdefault(prov, []).append(source)
    return [(prov, sorted(out[prov])) for prov in sorted(out)]


def _recent_rows(scores: pd.DataFrame, per: dict[str, list[str]], n: int = 1) -> pd.DataFrame:
    """periods.recent_rows(scores, per, n), the same frame, found by comparing whole columns: each row's period
    with its measure's latest, then the one before, and so on (no Python loop over the rows)."""
    age = np.full(len(scores), -1, dtype="int64")
    for i in range(n):
        nth = scores["measure"].map({m: ps[i] for m, ps in per.items() if len(ps) > i})
        age[(scores["period"] == nth).to_numpy(dtype=bool) & (age < 0)] = i
    keep = age >= 0
    out = scores[keep]
    return out.assign(age=pd.Series(age[keep], index=out.index, dtype="int64"))


def _spc_concerns(tr: pd.DataFrame, n: int) -> list[tuple]:
    """Series (in provider, measure order) with a special cause of concern among their last n points,
    not on trial limits: (provider, measure, last period, rule and period of the latest such point)."""
    if not len(tr):
        return []
    t = tr.sort_values(["provider", "measure", "period"], kind="stable")
    prov, meas, period = t["provider"].to_numpy(), t["measure"].to_numpy(), t["period"].to_numpy()
    end = np.append((prov[1:] != prov[:-1]) | (meas[1:] != meas[:-1]), True)   # last point of a series
    end_at = np.flatnonzero(end)
    series = np.cumsum(np.append(True, end[:-1])) - 1                          # series number of each point
    last = end_at[series]
    hit = ((last - np.arange(len(t))) < n) & (t["point_type"].to_numpy() == "special_cause_concern") \
        & ~t["trial"].to_numpy(dtype=bool)[last]
    rule = t["rule"].to_numpy()
    latest: dict[int, int] = {}
    for i in np.flatnonzero(hit):
        latest[series[i]] = int(i)                                                   # the latest hit wins
    return [(prov[i], meas[i], period[last[i]], rule[i], period[i]) for _, i in sorted(latest.items())]


def good_practice(results, raised: pd.DataFrame | None = None, n_periods: int = 2) -> pd.DataFrame:
    """Providers better than expected in each of a measure's latest n_periods periods, or with an SPC improvement
    lately and no change for the worse with it; never a measure a red flag in `raised` rests on."""
    x = _recent_rows(results.scores, results.periods, n_periods)
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
