"""What commissioners need, computed from Results: flags, good practice, triangulation, case-study evidence. Pure."""
from __future__ import annotations

import pandas as pd

from generator.compute import evidence, flags, trends


def add_commissioning(results, rules: list[dict] | None = None) -> None:
    ds = results.dataset
    m = ds["measures"]
    names = dict(zip(m["id"], m["name"]))
    sources = dict(zip(m["id"], m["source"]))
    results.flags = flags.raise_flags(results, flags.load_rules() if rules is None else rules, names, sources)
    results.good_practice = flags.good_practice(results, results.flags)
    latest = results.scores[results.scores["period"] == results.scores["measure"].map(results.latest)]
    results.triangulation = evidence.triangulate(latest, sources)
    results.evidence = case_evidence(results)


def case_evidence(results) -> pd.DataFrame:
    """One row per case study, provider and measure it cites, with before/after figures."""
    ds = results.dataset
    kinds = dict(zip(ds["measures"]["id"], ds["measures"]["kind"]))
    sc = results.scores
    rows = []
    for c in ds["case-studies"].itertuples(index=False):
        when = pd.Timestamp(c.intervention_date)
        for prov in str(c.providers).split():
            for meas in str(c.measures).split():
                series = sc[(sc["provider"] == prov) & (sc["measure"] == meas)]
                if series.empty or meas not in kinds:
                    continue
                ba = evidence.before_after(series, kinds[meas], when)
                tr = results.trends
                t = tr[(tr["provider"] == prov) & (tr["measure"] == meas)] if len(tr) else tr
                verdict = trends.verdict(t.sort_values("period"))
                rows.append({"case_study": c.id, "provider": prov, "measure": meas, "kind": kinds[meas],
                             "intervention": when.date().isoformat(), "verdict": verdict,
                             **{f"before_{k}": v for k, v in ba["before"].items()},
                             **{f"after_{k}": v for k, v in ba["after"].items()},
                             **{f"change_{k}": v for k, v in ba["change"].items()}})
    return pd.DataFrame(rows)
