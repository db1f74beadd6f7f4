"""Scales of mean-score measures (the optional scales resource, standard 1.1): their bounds, read by
every later stage, and their checks. Pure. Compute cuts likely ranges at a scale's ends
(compute/transform.cap_at_scale); views name a scale (views/wording.scale_words)."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from generator.data.cells import emit, ok
from generator.problems import Problem


def bounds(scales: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """measure -> (minimum, maximum), for the rows that passed validation."""
    return {m: (float(lo), float(hi)) for m, lo, hi in zip(scales["measure"], scales["minimum"], scales["maximum"])}


def rules(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """A scale belongs to a mean measure and has room in it; every mean of that measure lies on it."""
    sc, m, s = tables["scales"], tables["measures"], tables["scores"]
    if not len(sc):
        return []
    known = ok(m, "id") & ok(m, "kind")
    kinds = dict(zip(m["id"].to_numpy(dtype=object)[known], m["kind"].to_numpy(dtype=object)[known]))
    meas = sc["measure"].to_numpy(dtype=object)
    once = ~pd.Series(meas).duplicated(keep=False).to_numpy()  # a repeated measure is a unique-error already
    usable = ok(sc, "measure") & ok(sc, "minimum") & ok(sc, "maximum") & once
    lo, hi = sc["minimum"].to_numpy(dtype=float), sc["maximum"].to_numpy(dtype=float)
    out: list[Problem] = []
    rows: list[Any] | np.ndarray = [i for i in np.flatnonzero(ok(sc, "measure")) if meas[i] in kinds and kinds[meas[i]] != "mean"]
    out += emit(sc, "scales", "scale-not-mean", rows, "measure",
                [f"measure {meas[i]} is a {kinds[meas[i]]} measure; only mean scores have a scale" for i in rows])
    rows = np.flatnonzero(usable & (hi <= lo))
    out += emit(sc, "scales", "scale-order", rows, "maximum",
                [f"maximum {hi[i]:g} is not greater than minimum {lo[i]:g}" for i in rows])
    good = {meas[i]: (lo[i], hi[i]) for i in np.flatnonzero(usable & (hi > lo))}
    if not good or not len(s):
        return out
    smeas = s["measure"].to_numpy(dtype=object)
    slo = np.array([good.get(x, (np.nan, np.nan))[0] for x in smeas])
    shi = np.array([good.get(x, (np.nan, np.nan))[1] for x in smeas])
    mean = s["mean"].to_numpy(dtype=np.float64, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        rows = np.flatnonzero(ok(s, "mean") & ((mean < slo) | (mean > shi)))
    return out + emit(s, "scores", "score-outside-scale", rows, "mean",
                      [f"mean {mean[i]:g} is outside the scale of measure {smeas[i]} ({slo[i]:g} to {shi[i]:g})"
                       for i in rows])
