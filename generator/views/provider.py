"""Provider page views: at a glance, each measure with trend, breakdowns and sources."""
from __future__ import annotations

import math
from types import SimpleNamespace as NS
from typing import Iterator

import numpy as np
import pandas as pd

from generator.compute import evidence, trends
from generator.data import periods, scales
from generator.compute.compare import peer_of
from generator.views import comparators, ratings, sparkline, urls, wording
from generator.views.context import Context
from generator.views.rows import row_view, tuples, values

WORDS_BELOW = 3  # a series this short is said in words: a line through two points says less


def _by_key(df: pd.DataFrame, keys: list[str], order: list[str], ascending=True) -> dict:
    """Rows of df as itertuples, grouped by keys in one pass (sorted by keys, then order)."""
    if df is None or not len(df):
        return {}
    asc = [True] * len(keys) + ([ascending] * len(order) if isinstance(ascending, bool) else list(ascending))
    df = df.sort_values(keys + order, ascending=asc, kind="stable")
    out: dict = {}
    cols = [df[k].tolist() for k in keys]
    for key, row in zip(zip(*cols), tuples(df)):
        out.setdefault(key if len(keys) > 1 else key[0], []).append(row)
    return out


def _in_order(ctx: Context):
    return ctx.providers.sort_values("code")


def pages(ctx: Context) -> list[str]:
    """The provider pages' paths, in the order provider_views makes them."""
    return [urls.provider(code) for code in _in_order(ctx)["code"]]


def provider_views(ctx: Context, comp: dict) -> Iterator[NS]:
    """One view per provider, made as it is asked for (a build holds one at a time, issue 20);
    comp: comparators.comparators(ctx), worked out once (shared.py)."""
    r = ctx.results
    by_provider = _by_key(periods.latest_rows(r.scores, r.latest), ["provider"], [])
    trend_by = _Grouped(r.trends, ["provider", "measure"], [],  # already in period order within a series
                        ["period", "value", "mean", "upper", "lower", "point_type", "trial"])
    history = _Grouped(r.scores, ["provider", "measure"], ["period"], ["period", "estimate"],
                       ascending=False)  # only what the small charts need
    br_by = _by_key(periods.latest_rows(r.breakdowns, r.latest), ["provider", "measure"], ["dimension", "group"])
    cases = _case_studies(ctx)
    tri = _by_key(r.triangulation, ["provider"], [])
    fl = {k: g for k, g in r.flags.groupby("provider")}
    titles = {rule["id"]: rule["title"] for rule in ctx.rules}
    meas_by = {m: ctx.measure(m) for m in ctx.measures.index}
    datasets = {m.dataset: _dataset(ctx, m.dataset) for m in meas_by.values()}
    scale_words = {m: wording.scale_words(ctx.dataset["scales"], m) for m in meas_by}
    tops = {m: hi for m, (lo, hi) in scales.bounds(ctx.dataset["scales"]).items()}
    notes = _by_key(ctx.dataset.tables.get("notes"), ["provider"], ["code"])
    peer = dict(zip(ctx.providers["code"], peer_of(ctx.providers)))  # who each is compared with
    rated = ratings.by_provider(ctx)  # the publisher's own ratings, beside ours
    comm_names = ctx.commissioners["name"].to_dict()  # ctx.commissioner_name, once for every provider
    for p in _in_order(ctx).itertuples(index=False):
        page = urls.provider(p.code)
        rows = by_provider.get(p.code)
        measures = []
        if rows is not None:
            for x in rows:
                meas = meas_by[x.measure]
                v = row_view(x, meas.kind, ctx.settings)
                v.id, v.name, v.source = meas.id, meas.name, ctx.words.source(meas.source)
                v.source_id = meas.source
                v.note_above = False  # _notes_above: the publisher's notes are said once, at the top
                v.responses_label = "patients covered" if meas.kind == "ratio" else "answered"
                v.better = ", ".join(filter(None, (scale_words.get(meas.id), "higher is better"
                                                   if meas.polarity == "higher-is-better" else "lower is better")))
                v.table_href = urls.href(page, urls.measure(meas.id))
                v.unit = comparators.unit(meas.kind, tops.get(meas.id)) if v.value != "–" else ""
                v.comparators = comparators.lines(comp, meas.id, peer[p.code], p.commissioner, meas.kind, tops.get(meas.id))
                v.dataset = datasets[meas.dataset]
                tr = trend_by.get((p.code, meas.id))
                v.verdict = _verdict(tr)
                v.verdict_text = wording.spc_words(v.verdict, ctx.settings)
                if v.verdict == "common_cause" and tr is not None and any(str(x).startswith("special_cause") for x in tr["point_type"][:-1]):
                    v.verdict_text += " " + wording.SPC_EARLIER  # the chart marks them: say why they do not count
                hist = history.get((p.code, meas.id))
                v.trend, v.earlier = None, ""
                if hist is not None:
                    pts = [] if tr else _points(hist)  # with a trend, only its rows are drawn
                    v.trend, v.earlier = _trend(tr, pts, meas), _earlier(tr, hist, pts, meas.kind)
                v.groups = _groups(br_by.get((p.code, meas.id)), meas.kind)
                v.publisher_ratings = rated[p.code].by_measure.get(meas.id, []) if p.code in rated else []
                measures.append(v)
        measures.sort(key=lambda v: (v.source, v.name))
        glance: dict[str, list[NS]] = {}
        for v in measures:
            glance.setdefault(v.source, []).append(v)
        yield NS(
            page=page, code=p.code, name=p.name, type=p.type, type_label=ctx.words.one(p.type),
            type_title=ctx.words.title(p.type),
            commissioner=str(comm_names.get(p.commissioner, p.commissioner)), commissioner_code=p.commissioner,
            region=p.region, town=p.town if isinstance(p.town, str) else "",
            postcode=p.postcode if isinstance(p.postcode, str) else "",
            closed=None if pd.isna(p.closed) else p.closed.date().isoformat(),
            compare_href=urls.href(page, "compare/index.md") + f"?add={p.code}", ratio_note=_ratio_note(measures, comp, peer[p.code]),
            compared_with=ctx.words.pool(peer[p.code]), ratings=rated.get(p.code),
            ownership=p.ownership if isinstance(getattr(p, "ownership", ""), str) else "",
            measures=measures, glance=glance, notes=_notes_above(measures, notes.get(p.code, [])), grouped=[v for v in measures if v.groups],
            datasets=sorted({(d.title, d.publisher, d.licence): d for v in measures if (d := v.dataset)}.values(),
                            key=lambda d: (d.title, d.publisher)),
            sources=_sources(tri.get(p.code), ctx.dataset.publisher.sources), disagreement=evidence.disagreement(tri[p.code], ctx.dataset.publisher.sources) if p.code in tri else "",
            flags=[NS(title=titles.get(f.rule, f.rule), evidence=f.evidence, anchor=urls.flag_anchor(f.rule, f.measure))
                   for f in fl[p.code].itertuples(index=False)] if p.code in fl else [], cases=[NS(title=c.title, href=urls.href(page, urls.case_study(c.id)))
                                                    for c in cases.get(p.code, [])],
        )


class _Grouped:
    """Rows of df (fields only) grouped by keys and sorted as _by_key's; get gives a group as a list of values per
    field, each as itertuples gives it: at England scale a row object for each of a million rows took seconds
    (issue 20)."""

    def __init__(self, df: pd.DataFrame, keys: list[str], order: list[str], fields: list[str], ascending=True):
        df = df.sort_values(keys + order, ascending=[True] * len(keys) + [ascending] * len(order), kind="stable")
        k = [df[c].to_numpy(dtype=object) for c in keys]
        change = np.zeros(len(df), dtype=bool)
        change[:1] = True
        for a in k:
            change[1:] |= a[1:] != a[:-1]
        starts: list[int] = np.flatnonzero(change).tolist()
        self.ranges = {tuple(a[s] for a in k): (s, e) for s, e in zip(starts, starts[1:] + [len(df)])}
        self.cols = {c: values(df[c]) for c in fields}  # as iterating the column gives them (itertuples does)

    def get(self, key) -> dict[str, list] | None:
        found = self.ranges.get(key)
        if found is None:
            return None
        s, e = found
        return {f: c[s:e] for f, c in self.cols.items()}


def _notes_above(measures: list[NS], notes: list) -> list[NS]:
    """The publisher's notes said once at the top of the page: all of them when there are no results, or the
    notes of every result when every result has the same ones (each row then points up to them, v.note_above)."""
    if not measures:
        return [NS(lead=wording.note_words(bool(n.caution)), text=n.text, caution=bool(n.caution)) for n in notes]
    same = {(v.notes, v.caution) for v in measures}
    if len(measures) < 2 or len(same) != 1 or not measures[0].notes:
        return []
    for v in measures:
        v.note_above = True
    return [NS(lead=measures[0].note_lead, text=measures[0].notes, caution=measures[0].caution)]


def _dataset(ctx: Context, dataset: str):
    if dataset not in ctx.sources.index:
        return None
    ds = ctx.sources.loc[dataset]
    return NS(title=ds["title"], publisher=ds["publisher"], licence=ds["licence"])


def _verdict(tr) -> str:
    """trends.verdict_of on a series (_Grouped.get's columns)."""
    if tr is None:
        return "none"
    return trends.verdict_of([str(x) for x in tr["point_type"]], bool(tr["trial"][-1]))


def _points(hist) -> list[tuple]:
    """The published figures of a series as (period, estimate), oldest first (history comes newest first)."""
    return [(p, e) for p, e in zip(reversed(hist["period"]), reversed(hist["estimate"])) if not pd.isna(e)]


def _trend(tr, pts, meas):
    """sparkline.trend_svg on a series (tr: its trend columns, in period order; pts: the published figures,
    oldest first). A series of fewer than WORDS_BELOW figures is said in words instead (see _earlier)."""
    if tr:
        return sparkline.trend_svg_values([float(x) for x in tr["value"]], tr["point_type"],
                                          float(tr["mean"][-1]), float(tr["upper"][-1]), float(tr["lower"][-1]),
                                          tr["period"], meas, named=False)
    if len(pts) < WORDS_BELOW:
        return None
    return sparkline.trend_svg_values([float(e) for _, e in pts], ["common_cause"] * len(pts),
                                      math.nan, math.nan, math.nan, [p for p, _ in pts], meas, named=False)


def _earlier(tr, hist, pts, kind: str) -> str:
    """The last published figure before the latest period (the history's first, newest first, may be
    suppressed), in words, where the series is too short to draw (pts: its published figures)."""
    if tr or len(pts) >= WORDS_BELOW:
        return ""
    before = [(p, e) for p, e in zip(hist["period"][1:], hist["estimate"][1:]) if not pd.isna(e)]
    if not before:
        return ""
    return f"Previous result: {wording.value(float(before[0][1]), kind)} ({before[0][0]})"


def _groups(g, kind: str) -> list[NS]:
    if g is None:
        return []
    out = []
    for x in g:
        out.append(NS(dimension=x.dimension, label=x.label, seldom_heard=bool(x.seldom_heard),
                      suppressed=bool(x.suppressed), value=wording.value(x.estimate, kind),
                      interval=wording.interval(x.lower95, x.upper95, kind),
                      responses="not shown" if x.suppressed else f"{int(x.responses):,}",  # one look for any hidden cell
                      comparison=_GROUP_WORDS.get(x.comparison, x.comparison)))
    return out


_GROUP_WORDS = {
    "similar": "Similar to the provider overall", "better": "Better than the provider overall",
    "worse": "Worse than the provider overall", "better-998": "Clearly better than the provider overall",
    "worse-998": "Clearly worse than the provider overall", "suppressed": "Not shown (small numbers)",
    "too-few": "Too few responses to compare",
}


def _case_studies(ctx: Context) -> dict[str, list]:
    cs = ctx.dataset["case-studies"]
    out: dict[str, list] = {}
    for c in cs.itertuples(index=False):
        for code in str(c.providers).split():
            out.setdefault(code, []).append(c)
    return out


_VERDICT = {"better": ("Better than expected", "better"), "worse": ("Worse than expected", "worse"),
            "mixed": ("Mixed: some better, some worse", "about-same"),
            "about-same": ("About the same as others", "about-same"),
            "not-compared": ("Too few responses to compare", "too-few")}


def _sources(t, names: dict[str, str]) -> list[NS]:
    """t: one provider's triangulation rows; names: the publisher's names of its sources."""
    if t is None:
        return []
    return [NS(source=names.get(x.source, x.source), label=_VERDICT[x.verdict][0],
               band=_VERDICT[x.verdict][1], icon=wording.band_icon(_VERDICT[x.verdict][1]), measures=x.measures)
            for x in t]


def _ratio_note(measures, comp, peer: str) -> str:
    """Plain words for a ratio of observed to expected whose all-provider figure is not 1.00."""
    for v in measures:
        c = comp.get((v.id, peer))
        if v.unit.startswith("(1.00") and c is not None and c.all and c.all != "1.00":
            return comparators.ratio_words(v.name, c.label, c.all)
    return ""
