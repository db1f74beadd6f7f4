"""What changed since the previous release: bands, red flags, case studies. Pure."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from generator.data import periods

KEY = ["provider", "measure"]


@dataclass
class Changes:
    baseline_period: str
    bands: pd.DataFrame        # provider, measure, before_period, before_band, period, band
    raised: pd.DataFrame       # flags new in this release
    cleared: pd.DataFrame      # flags gone since the baseline
    new_case_studies: list[str]
    new_periods: list[tuple[str, str, str]]  # measure, before_period, period


def latest_rows(results) -> pd.DataFrame:
    sc = results.scores
    x = periods.latest_rows(sc, results.latest)
    return x[["provider", "measure", "period", "band"]].sort_values(KEY).reset_index(drop=True)


def compare_releases(results, baseline) -> Changes | None:
    if baseline is None or baseline.latest is None:
        return None
    now = latest_rows(results)
    before = baseline.latest.rename(columns={"period": "before_period", "band": "before_band"})
    m = now.merge(before[KEY + ["before_period", "before_band"]], on=KEY, how="left")
    changed = m[m["before_band"].notna() & (m["band"] != m["before_band"])].sort_values(KEY)
    fkey = ["provider", "rule", "measure"]
    cur = results.flags[fkey + ["evidence"]].fillna("")
    old = baseline.flags[fkey + ["evidence"]].fillna("") if baseline.flags is not None else cur.iloc[0:0]
    ck, ok = set(map(tuple, cur[fkey].to_numpy())), set(map(tuple, old[fkey].to_numpy()))
    raised = cur[[tuple(r) not in ok for r in cur[fkey].to_numpy()]]
    cleared = old[[tuple(r) not in ck for r in old[fkey].to_numpy()]]
    cases = sorted(set(results.dataset["case-studies"]["id"]) - set(baseline.case_studies))
    per = now.groupby("measure")["period"].first()
    bper = before.groupby("measure")["before_period"].first()
    new_periods = sorted((m_, bper.get(m_, ""), p) for m_, p in per.items() if bper.get(m_, "") != p)
    return Changes(baseline.period, changed.reset_index(drop=True), raised.reset_index(drop=True),
                   cleared.reset_index(drop=True), cases, new_periods)
