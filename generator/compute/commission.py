"""What commissioners need, computed from the comparison: flags, good practice, triangulation, case-study
evidence. Pure."""
from __future__ import annotations

import pandas as pd

from generator.compute import evidence, flags, trends
from generator.compute.columns import COLUMNS
from generator.compute.results import Commissioning, Comparison
from generator.data import periods


def commissioning(c: Comparison, rules: list[dict] | None = None) -> Commissioning:
    m = c.dataset["measures"]
    names = dict(zip(m["id"], m["name"]))
    sources = dict(zip(m["id"], m["source"]))
    raised = flags.raise_flags(c, flags.load_rules() if rules is None else rules, names, sources)
    return Commissioning(flags=raised, good_practice=flags.good_practice(c, raised),
                         triangulation=evidence.triangulate(periods.latest_rows(c.scores, c.latest), sources),
                         evidence=case_evidence(c))


def case_evidence(c: Comparison) -> pd.DataFrame:
    """One row per case study, provider and measure it cites, with before/after figures."""
    ds = c.dataset
    kinds = dict(zip(ds["measures"]["id"], ds["measures"]["kind"]))
    sc = c.scores
    rows = []
    for cs in ds["case-studies"].itertuples(index=False):
        when = pd.Timestamp(cs.intervention_date)
        for prov in str(cs.providers).split():
            for meas in str(cs.measures).split():
                series = sc[(sc["provider"] == prov) & (sc["measure"] == meas)]
                if series.empty or meas not in kinds:
                    continue
                ba = evidence.before_after(series, kinds[meas], when)
                tr = c.trends
                t = tr[(tr["provider"] == prov) & (tr["measure"] == meas)] if len(tr) else tr
                verdict = trends.verdict(t.sort_values("period"))
                rows.append({"case_study": cs.id, "provider": prov, "measure": meas, "kind": kinds[meas],
                             "intervention": when.date().isoformat(), "verdict": verdict,
                             **{f"before_{k}": v for k, v in ba["before"].items()},
                             **{f"after_{k}": v for k, v in ba["after"].items()},
                             **{f"change_{k}": v for k, v in ba["change"].items()}})
    return pd.DataFrame(rows, columns=list(COLUMNS["evidence"]))
