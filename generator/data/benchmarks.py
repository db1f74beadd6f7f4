"""Published benchmarks (the optional benchmarks resource, standard 1.4): their checks, and the values
compute compares with. Pure. A benchmark is given in the measure's units as published (a percentage for a
proportion); compute works in proportions 0-1, so targets() converts once, here."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from generator.data import scales
from generator.data.cells import emit, ok
from generator.problems import Problem

PERCENT = 100.0  # a proportion's benchmark (and published figure) is a percentage


def internal(value: float, kind: str) -> float:
    """A figure in the measure's published units on the scale compute uses (proportions 0-1)."""
    return value / PERCENT if kind == "proportion" else value


def targets(benchmarks: pd.DataFrame | None, measures: pd.DataFrame) -> dict[tuple[str, str], dict[str, Any]]:
    """(measure, period) -> {value (compute's scale), shown (as published), label, source}, for a validated Dataset."""
    if benchmarks is None or not len(benchmarks):
        return {}
    kinds = dict(zip(measures["id"], measures["kind"]))
    return {(b.measure, b.period): {"value": internal(float(b.value), kinds[b.measure]), "shown": float(b.value),
                                    "label": b.label, "source": b.source}
            for b in benchmarks.itertuples(index=False) if b.measure in kinds}


def rules(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """A benchmark is for a period its measure has scores in, and lies on the measure's scale: 0-100 (%) for a
    proportion, the scales resource's range for a mean score (when given), above 0 for a ratio."""
    b, m, s = tables["benchmarks"], tables["measures"], tables["scores"]
    if not len(b):
        return []
    known = ok(m, "id") & ok(m, "kind")
    kinds = dict(zip(m["id"].to_numpy(dtype=object)[known], m["kind"].to_numpy(dtype=object)[known]))
    meas, per = b["measure"].to_numpy(dtype=object), b["period"].to_numpy(dtype=object)
    usable = ok(b, "measure") & np.array([x in kinds for x in meas], bool)  # an unknown measure is a foreign-key
    scored = set(zip(s["measure"].to_numpy(dtype=object)[ok(s, "measure") & ok(s, "period")],
                     s["period"].to_numpy(dtype=object)[ok(s, "measure") & ok(s, "period")]))
    out: list[Problem] = []
    rows = [i for i in np.flatnonzero(usable & ok(b, "period")) if (meas[i], per[i]) not in scored]
    out += emit(b, "benchmarks", "benchmark-period-unknown", rows, "period",
                [f"measure {meas[i]} has no scores for period {per[i]}, so there is nothing to compare with this "
                 f"benchmark" for i in rows])
    bounds = scales.bounds(tables["scales"]) if len(tables["scales"]) else {}
    value = b["value"].to_numpy(dtype=np.float64, na_value=np.nan)
    bad: dict[int, str] = {}
    for i in np.flatnonzero(usable & ok(b, "value")).tolist():
        kind, v = kinds[meas[i]], value[i]
        if kind == "proportion" and not 0 <= v <= PERCENT:
            bad[i] = f"{v:g} is not a percentage from 0 to 100 (measure {meas[i]} is a proportion; give 71 for 71%)"
        elif kind == "ratio" and not v > 0:
            bad[i] = f"{v:g} is not above 0 (measure {meas[i]} is a ratio)"
        elif kind == "mean" and meas[i] in bounds and not bounds[meas[i]][0] <= v <= bounds[meas[i]][1]:
            lo, hi = bounds[meas[i]]
            bad[i] = f"{v:g} is outside the scale of measure {meas[i]} ({lo:g} to {hi:g})"
    return out + emit(b, "benchmarks", "benchmark-outside-scale", list(bad), "value", list(bad.values()))
