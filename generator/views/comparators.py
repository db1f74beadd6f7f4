"""What to compare a result with: the figure for all providers of its kind and for its commissioner's
providers of that kind, in each measure's latest period. Pure; no I/O.

The all-provider figure is the peer group's target (compare.py), already hidden where it would
reveal one provider's figure. The commissioner figure pools only published results (never a
suppressed one), weighted as the target is: by responses, or by expected count for a ratio. It is
given only where at least two providers of the kind have a published result, so it never simply
repeats one provider's own figure.
"""
from __future__ import annotations

import math
from types import SimpleNamespace as NS

import numpy as np
import pandas as pd

from generator.views import wording
from generator.data import periods
from generator.views.context import Context

MIN_POOLED = 2


def unit(kind: str, top: float | None = None) -> str:
    """Words that follow a figure so it can be read alone: 'out of 10'; a ratio says what 1.00 means."""
    if kind == "mean" and top is not None:
        return f"out of {top:g}"
    if kind == "ratio":
        return "(1.00 = as many as expected)"
    return ""


def benchmarks(ds) -> dict[tuple[str, str], NS]:
    """(measure, period) -> NS(label, text, source, kind) of each published benchmark (standard 1.4), its value as
    the publisher gave it ('71%', not '71.0%'). Empty without a benchmarks resource."""
    b, m = ds.tables.get("benchmarks"), ds["measures"]
    if b is None or not len(b):
        return {}
    kinds = dict(zip(m["id"], m["kind"]))
    return {(x.measure, x.period): NS(label=x.label, source=x.source, kind=kinds.get(x.measure, ""),
                                      text=f"{x.value:g}%" if kinds.get(x.measure) == "proportion" else f"{x.value:g}")
            for x in b.itertuples(index=False)}


def with_unit(text: str, kind: str, top: float | None = None) -> str:
    u = unit(kind, top)
    return f"{text} {u}" if u and text != "–" else text


def comparators(ctx: Context) -> dict:
    """(measure, peer) -> NS(all=text or '', label='All NHS trusts', by_commissioner={code: NS(text, n, label)}).
    Worked out once per build (shared.py): provider and compare pages both read it."""
    r = ctx.results
    latest = periods.latest_rows(r.scores, r.latest)
    peers = periods.latest_rows(r.peers, r.latest)
    comm = ctx.providers["commissioner"]
    names = {c: ctx.commissioner_name(c) for c in set(comm)}
    out = {}
    marks = benchmarks(ctx.dataset)
    words = ctx.words
    same = f"Same {words.level.one}" if words.level else ""
    for x in peers.itertuples(index=False):
        target = None if pd.isna(x.target) else float(x.target)
        mark = marks.get((x.measure, x.period)) if getattr(x, "benchmark", "") else None
        if mark is not None:  # the published benchmark, which results are judged against
            out[(x.measure, x.peer)] = NS(all=mark.text, label=mark.label, by_commissioner={}, same=same, benchmark=True)
            continue
        out[(x.measure, x.peer)] = NS(all=wording.value(target, x.kind) if target is not None else "",
                                      label=f"All {words.pool(x.peer)}", by_commissioner={}, same=same,
                                      benchmark=False)
    if words.level is None:  # no commissioning level: no comparator by commissioner
        return out
    published = latest[~latest["suppressed"].astype(bool) & latest["estimate"].notna()]
    for (m, peer), g in published.groupby(["measure", "peer"], sort=True):
        if (m, peer) not in out:
            continue
        kind = g["kind"].iat[0]
        weight = (g["expected"] if kind == "ratio" else g["responses"]).astype(float).to_numpy()
        est = g["estimate"].astype(float).to_numpy()
        codes = g["provider"].map(comm).to_numpy(dtype=object)
        plural = words.pool_title(peer)
        for c in sorted(set(codes) - {None}):
            sel = (codes == c) & np.isfinite(weight) & (weight > 0)
            if sel.sum() < MIN_POOLED:
                continue
            v = float((est[sel] * weight[sel]).sum() / weight[sel].sum())
            if math.isfinite(v):
                out[(m, peer)].by_commissioner[c] = NS(text=wording.value(v, kind), n=int(sel.sum()),
                                                       label=f"{plural} {words.by(names.get(c, c))}")
    return out


def lines(comp: dict, measure: str, peer: str, commissioner: str, kind: str, top: float | None = None,
          short: bool = False) -> list[str]:
    """The comparator lines for one result: ['All NHS trusts: 90.2%', 'NHS trusts commissioned by ...: 88.0% (4 ...)'].
    short: for side-by-side pages, whose key says what 'Same commissioner' covers and whose result beside it
    has the unit: ['All NHS trusts: 8.59', 'Same commissioner: 8.37']."""
    c = comp.get((measure, peer))
    if c is None:
        return []
    def fmt(text):  # a ratio's unit is said once, beside the result
        return with_unit(text, kind, top) if kind == "mean" else text
    judged = " (results are judged against it)" if c.benchmark and not short else ""
    out = [f"{c.label}: {c.all if short or c.benchmark else fmt(c.all)}{judged}"] if c.all else []
    k = c.by_commissioner.get(commissioner)
    if k is not None:
        out.append(f"{c.same}: {k.text}" if short else
                   f"{k.label}: {fmt(k.text)} ({k.n} with a published result)")
    return out


def ratio_words(name: str, label: str, all_text: str) -> str:
    """Why 1.00 is not the average of a ratio measure, in plain words."""
    return (f"{name}: 1.00 means as many as expected for a provider of this size. Expected numbers are not "
            f"scaled to the national total: {label[:1].lower() + label[1:]} together had {all_text} times the expected number. "
            f"So each provider is compared with {all_text}, not with 1.00: a result below {all_text} "
            "is fewer than providers like it have on average.")
