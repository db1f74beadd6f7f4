"""Patient choice at referral: providers for one service, side by side. Pure; no I/O.

One model feeds both the compact JSON index read by assets/choice.js (the
interactive compare page) and the pre-rendered pages per commissioner and
service (choice_static.py), so the two show the same words for the same figure.
Only published figures reach it: Results already hides every suppressed score
and count.
"""
from __future__ import annotations

import json
from types import SimpleNamespace as NS

import pandas as pd

from generator.compute import trends
from generator.compute.compare import peer_of
from generator.data import scales
from generator.views import comparators, rows, urls, wording
from generator.views.context import Context
from generator.compute.trends import RECENT
from generator.data.periods import is_month as monthly, label as period_label
from generator.data import periods

MAX_CHOICE = 4
INDEX_FILE = "assets/choice.json"
CELLS_DIR = "assets/choice"
PROVIDER_FIELDS = ["c", "n", "t", "i", "w", "d", "y", "x", "s"]  # code, name, peer group (its type unless the data
#                                  gives a peer group), commissioner, town, district, latitude, longitude, settings offered
PAGE = "compare/index.md"
ORGANISATION = "organisation"  # organisation-wide measures (complaints, staff) join every service

SOURCE_ORDER = ["fft", "survey", "complaints", "staff"]

TRENDS = {  # SPC verdict id -> a few words for a side-by-side cell (wording.SPC has the full sentence)
    "special_cause_improvement": "Getting better recently",
    "special_cause_concern": "Getting worse recently",
    "special_cause_neutral_high": "Unusually high recently",
    "special_cause_neutral_low": "Unusually low recently",
    "recent_improvement": f"Better for a while in the last {RECENT} months, now back to usual",
    "recent_concern": f"Worse for a while in the last {RECENT} months, now back to usual",
    "mixed": f"Both better and worse in the last {RECENT} months",
    "common_cause": "No real change recently",
    "trial": "Too few months to judge a trend",
    "none": "No monthly figures to judge a trend",
}

NO_RESULT = "No result for this provider"


def regions_offered(comms: pd.DataFrame, words) -> list[str]:
    """The regions a reader can choose beside the commissioning level: none when there is only one (US: 'United
    States', which 'Anywhere' already says). With no level, the regions are the only choice of area."""
    regions = sorted(set(comms["region"]))
    return regions if len(regions) > 1 or words.level is None else []


def band_words(band: str, peer: str, st, plural: str | None = None) -> str:
    """The band as a patient reads it: 'About the same as other NHS trusts', 'Better than expected'.

    Short enough for four providers side by side; the key says what each band means.
    """
    if band == "about-same":
        s = wording.band_phrase(band, peer, plural=plural)
        return s[:1].upper() + s[1:]
    return wording.band_label(band, st)


def benchmark_labels(ctx: Context) -> dict[str, str]:
    """measure -> the label of the published benchmark its latest results are compared with (none: left out)."""
    found = comparators.benchmarks(ctx.dataset)
    return {m: b.label for m, period in ctx.results.latest.items() if (b := found.get((m, period)))}


def responses_label(meas) -> str:
    if meas.source == "staff":
        return "staff answered"
    if meas.kind == "ratio":
        return "patients covered"
    return "people answered"


def responses_text(n, meas, suppress_below: int) -> str:
    if n is None:
        return f"fewer than {suppress_below} answered"
    return f"{n:,} {responses_label(meas)}"


def _num(v):
    return None if v is None or pd.isna(v) else float(v)


def _cell(x, trend: str) -> dict:
    """One published figure, in the JSON index's compact form."""
    out: dict[str, object] = {"b": "suppressed"}
    if not bool(x.suppressed) and _num(x.estimate) is not None:
        n = _num(x.responses)
        out = {"v": wording.value(_num(x.estimate), x.kind),
               "r": wording.interval(_num(x.lower95), _num(x.upper95), x.kind),
               "b": str(x.band), "n": None if n is None else int(round(n))}
    if trend != "none":
        out["t"] = trend
    return {**out, **_notes(x)}


def _notes(x) -> dict:
    """The publisher's words on a figure, only where there are some (most cells have none, so no keys):
    "w" why it is not compared (under the publisher's minimum sample), "c" 1 for a caution,
    "nl" the lead ("Use with caution") and "nt" the publisher's own words."""
    words = rows.publisher_words(x, x.kind)
    out: dict[str, object] = {"w": words.reason} if words.reason else {}
    if words.notes:
        out.update({"nl": words.note_lead, "nt": words.notes, **({"c": 1} if words.caution else {})})
    return out


def model(ctx: Context) -> NS:
    """Settings, measures and each provider's latest published figures. Worked out once (shared.py)."""
    r = ctx.results
    latest = periods.latest_rows(r.scores, r.latest)
    verdicts = trends.verdicts(r.trends)
    measures = {m: ctx.measure(m) for m in sorted(r.latest) if m in ctx.measures.index}
    cells: dict[str, dict[str, dict]] = {}
    for x in rows.tuples(latest):
        if x.measure in measures and x.provider in ctx.providers.index:
            cells.setdefault(x.provider, {})[x.measure] = _cell(x, verdicts.get((x.provider, x.measure), "none"))
    types_by_measure = latest.groupby("measure")["peer"].agg(lambda s: sorted(set(s))).to_dict()
    settings = []
    for setting in _setting_order({m.setting for m in measures.values()} - {ORGANISATION}):
        own = [m for m in measures.values() if m.setting == setting]
        types = sorted({t for m in own for t in types_by_measure.get(m.id, [])})
        org = [m for m in measures.values() if m.setting == ORGANISATION
               and set(types_by_measure.get(m.id, [])) & set(types)]
        chosen = sorted(own, key=_measure_key) + sorted(org, key=_measure_key)
        offering = sorted(p for p, c in cells.items() if any(m.id in c for m in own))
        settings.append(NS(id=setting, label=wording.setting_label(setting), measures=[m.id for m in chosen],
                           types=types, providers=offering))
    comm_of = dict(zip(ctx.providers["code"], ctx.providers["commissioner"]))
    offered: dict[tuple[str, str], list[str]] = {}  # (commissioner, setting) -> providers, for the static pages
    for s in settings:
        for p in s.providers:
            offered.setdefault((comm_of[p], s.id), []).append(p)
    tops = {m: hi for m, (lo, hi) in scales.bounds(ctx.dataset["scales"]).items()}
    return NS(measures=measures, cells=cells, settings=settings, offered=offered,
              bench=benchmark_labels(ctx),  # measure -> the published benchmark its bands are judged against
              tops=tops)  # measure -> the top of its scale (data/scales.py), worked out once


def _setting_order(found: set[str]) -> list[str]:
    known = [s for s in wording.SETTINGS if s in found]
    return known + sorted(found - set(known))


def _measure_key(m):
    src = SOURCE_ORDER.index(m.source) if m.source in SOURCE_ORDER else len(SOURCE_ORDER)
    return (src, m.name, m.id)


def _text(v) -> str:
    return v if isinstance(v, str) else ""


def _coord(v):
    v = _num(v)
    return None if v is None else round(v, 4)


def choice_index(ctx: Context, mod: NS) -> tuple[dict, dict]:
    """The compact JSON index the compare page reads first, and each provider's published figures (mod: model(ctx))."""
    offered: dict[str, list[str]] = {}
    for s in mod.settings:
        for p in s.providers:
            offered.setdefault(p, []).append(s.id)
    providers = []
    peer = dict(zip(ctx.providers["code"], peer_of(ctx.providers)))  # who each is compared with
    groups = {peer[c]: t for c, t in zip(ctx.providers["code"], ctx.providers["type"]) if peer[c] not in wording.TYPES}
    for p in ctx.providers.sort_values(["name", "code"]).itertuples(index=False):
        if p.code not in offered:
            continue
        pc = _text(p.postcode)
        providers.append([p.code, p.name, peer[p.code], p.commissioner, _text(p.town), pc.split(" ")[0] if pc else "",
                          _coord(p.latitude), _coord(p.longitude), offered[p.code]])
    words, bench = ctx.words, mod.bench
    peers = sorted(words.types) + sorted(groups)
    comms = ctx.commissioners.sort_values(["name", "code"])
    return {
        "version": 1,
        "max": MAX_CHOICE,
        "release": {"period": ctx.release.period, "label": ctx.release.period_label,
                    "published": ctx.release.published},
        "settings": [{"id": s.id, "label": s.label, "measures": s.measures, "types": s.types} for s in mod.settings],
        "measures": {m.id: {"n": m.name, "s": words.source(m.source), "p": ctx.results.latest[m.id],
                            "pl": period_label(ctx.results.latest[m.id]), "hib": m.polarity == "higher-is-better",
                            "rl": responses_label(m), "mo": monthly(ctx.results.latest[m.id]),
                            "u": comparators.unit(m.kind, top(ctx, m.id)),
                            **({"bw": {b: wording.band_against(b, ctx.settings, bench[m.id]) for b in wording.BAND_ORDER}}
                               if m.id in bench else {})}  # bands against a published benchmark, in its words
                     for m in mod.measures.values()},
        "commissioners": [{"c": c.code, "n": c.name, "r": c.region} for c in comms.itertuples(index=False)],
        "regions": regions_offered(comms, words),
        "types": {**{t: words.one(t) for t in words.types}, **{g: words.one(t) for g, t in sorted(groups.items())}},
        "words": {"bands": {peer: {b: band_words(b, peer, ctx.settings, words.pool(peer)) for b in wording.BAND_ORDER}
                            for peer in peers},
                  "icons": {b: wording.band_icon(b) for b in wording.BAND_ORDER},
                  "trends": TRENDS, "none": NO_RESULT, **same_words(words)},
        "fields": PROVIDER_FIELDS,  # each provider is a list in this order: a third of the bytes of objects
        "providers": providers,
        "addresses": addresses(),
    }, mod.cells


def same_words(words) -> dict:
    """The printed sheet's gloss of the comparator by commissioning level, when the publisher names its level
    (choice.js says the standard's words otherwise)."""
    if not words.publisher.given:
        return {}
    lv = words.level
    return {"same": f" “Same {lv.one}”: providers of the same kind in the same {lv.one}, from their published results."
            if lv else ""}


def slug(commissioner: str, setting: str) -> str:
    return f"{commissioner.lower()}-{setting}"


def static_page(commissioner: str, setting: str) -> str:
    return f"compare/{slug(commissioner, setting)}.md"


def cells_file(commissioner: str) -> str:
    return f"{CELLS_DIR}/{commissioner.lower()}.json"


def addresses() -> dict[str, str]:
    """Where choice.js links and what it fetches, relative to the index file, as templates."""
    return {"provider": urls.href(INDEX_FILE, urls.provider(urls.slot("code"))),
            "measure": urls.href(INDEX_FILE, urls.measure(urls.slot("id"))),
            "compare": urls.href(INDEX_FILE, static_page(urls.slot("area"), urls.slot("setting"))),
            "cells": urls.href(INDEX_FILE, cells_file(urls.slot("area")))}


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def choice_files(ctx: Context, mod: NS, comp: dict) -> dict[str, str]:
    """Extra files for the build: the index the page loads first (who can be compared, no figures),
    and each commissioner's figures, fetched when one of its providers is chosen. mod: model(ctx);
    comp: comparators.comparators(ctx)."""
    data, cells = choice_index(ctx, mod)
    by_comm: dict[str, dict] = {}
    for p in data["providers"]:
        by_comm.setdefault(p[3], {})[p[0]] = cells.get(p[0], {})
    files = {INDEX_FILE: _dump(data)}
    kinds = {m: ctx.measure(m).kind for m in data["measures"]}
    tops = scales.bounds(ctx.dataset["scales"])
    peers_of: dict[str, list[str]] = {}
    for mm, peer in comp:
        peers_of.setdefault(mm, []).append(peer)
    for c, figures in by_comm.items():
        figures["~"] = {m: {peer: comparators.lines(comp, m, peer, c, kinds[m], tops.get(m, (None, None))[1], short=True)
                            for peer in peers_of.get(m, [])} for m in data["measures"]}  # what to compare with
        files[cells_file(c)] = _dump(figures)
    return files


def top(ctx: Context, measure: str):
    """The top of a measure's scale (data/scales.py), or None (model() works out every measure's at once)."""
    return scales.bounds(ctx.dataset["scales"]).get(measure, (None, None))[1]
