"""Red flags (rules in redflags.toml) and good-practice candidates. Pure: no I/O.

Every flag names its rule, the measure and period it rests on, and a sentence
of evidence, so a commissioner can follow it to the figures.
"""
from __future__ import annotations

import tomllib

import pandas as pd

from . import wording
from .paths import REDFLAGS_CONFIG

FLAG_COLUMNS = ["provider", "rule", "measure", "period", "evidence"]


def load_rules(text: str | None = None) -> list[dict]:
    """The rules, from the repository's redflags.toml unless text is given."""
    data = tomllib.loads(text if text is not None else REDFLAGS_CONFIG.read_text(encoding="utf-8"))
    return data.get("rule", [])


def _latest(results, n: int = 1) -> pd.DataFrame:
    """Rows of each measure's latest n periods, with a column 'age' (0 = latest)."""
    order = {(m, p): i for m, ps in results.periods.items() for i, p in enumerate(ps[:n])}
    sc = results.scores
    age = [order.get(k) for k in zip(sc["measure"], sc["period"])]
    out = sc.assign(age=age)
    return out[out["age"].notna()]


def raise_flags(results, rules: list[dict], measure_names: dict[str, str], measure_sources: dict[str, str]) -> pd.DataFrame:
    rows = []
    for rule in rules:
        rid = rule["id"]
        if rid == "worse-998-latest":
            x = _latest(results)
            for r in x[(x["age"] == 0) & x["band"].isin(rule["bands"])].itertuples(index=False):
                rows.append((r.provider, rid, r.measure, r.period,
                             f"{measure_names[r.measure]}: {wording.band_label(r.band).lower()} in {r.period}."))
        elif rid == "worse-consecutive":
            k = int(rule.get("periods", 2))
            x = _latest(results, k)
            bad = x[x["band"].isin(rule["bands"])].groupby(["provider", "measure"])["age"].nunique()
            for (prov, meas), count in bad.items():
                if count >= k:
                    ps = results.periods[meas][:k]
                    rows.append((prov, rid, meas, ps[0], f"{measure_names[meas]}: worse than expected in each of "
                                 f"{', '.join(reversed(ps))}."))
        elif rid == "spc-concern":
            tr = results.trends
            n = int(rule.get("recent_points", 3))
            for (prov, meas), g in tr.groupby(["provider", "measure"], sort=True):
                g = g.sort_values("period")
                if g["trial"].iat[-1]:
                    continue
                recent = g.tail(n)
                hit = recent[recent["point_type"] == "special_cause_concern"]
                if len(hit):
                    rows.append((prov, rid, meas, g["period"].iat[-1],
                                 f"{measure_names[meas]}: a special cause of concern ({hit['rule'].iat[-1]}) "
                                 f"in {hit['period'].iat[-1]}."))
        elif rid == "seldom-heard-gap":
            b = results.breakdowns
            latest = b[b["period"] == b["measure"].map(results.latest)]
            hit = latest[latest["seldom_heard"] & latest["comparison"].isin(rule["comparisons"])]
            for r in hit.itertuples(index=False):
                rows.append((r.provider, rid, r.measure, r.period,
                             f"{measure_names[r.measure]}: {r.label} {wording.value(r.estimate, r.kind)} against "
                             f"{wording.value(r.overall, r.kind)} for all patients in {r.period}."))
        elif rid == "multiple-sources":
            x = _latest(results)
            x = x[(x["age"] == 0) & x["band"].isin(rule["bands"])]
            x = x.assign(source=x["measure"].map(measure_sources))
            for prov, g in x.groupby("provider", sort=True):
                sources = sorted(g["source"].unique())
                if len(sources) >= int(rule.get("min_sources", 2)):
                    names = ", ".join(wording.SOURCES.get(s, s) for s in sources)
                    rows.append((prov, rid, "", "", f"Worse than expected in {len(sources)} sources: {names}."))
    flags = pd.DataFrame(rows, columns=FLAG_COLUMNS)
    return flags.sort_values(["provider", "rule", "measure", "period"]).reset_index(drop=True)


def good_practice(results, periods: int = 2) -> pd.DataFrame:
    """Providers better than expected in each of a measure's latest periods, or with an SPC improvement lately."""
    x = _latest(results, periods)
    good = x[x["band"].isin(["better", "much-better"])].groupby(["provider", "measure"])["age"].nunique()
    rows = [(p, m, "sustained") for (p, m), c in good.items() if c >= periods]
    tr = results.trends
    if len(tr):
        last = tr.sort_values("period").groupby(["provider", "measure"]).tail(3)
        imp = last[(last["point_type"] == "special_cause_improvement") & ~last["trial"]]
        rows += [(p, m, "improving") for p, m in imp[["provider", "measure"]].drop_duplicates().itertuples(index=False)]
    out = pd.DataFrame(rows, columns=["provider", "measure", "reason"])
    return out.groupby(["provider", "measure"], as_index=False)["reason"].agg(lambda s: " and ".join(sorted(set(s))))
