"""Patient choice at referral: providers for one service, side by side. Pure; no I/O.

One model feeds both the compact JSON index read by assets/choice.js (the
interactive compare page) and the pre-rendered pages per commissioner and
service, so the two show the same words for the same figure. Only published
figures reach it: Results already hides every suppressed score and count.
"""
from __future__ import annotations

import json
from types import SimpleNamespace as NS

import pandas as pd

from generator.compute import trends
from generator.data import scales
from generator.views import choice_parts, comparators, urls, wording
from generator.compute.trends import RECENT
from generator.compute.release import period_label

MAX_CHOICE = 4
INDEX_FILE = "assets/choice.json"
CELLS_DIR = "assets/choice"
PROVIDER_FIELDS = ["c", "n", "t", "i", "w", "d", "y", "x", "s"]  # code, name, type, commissioner, town, district,
#                                                                   latitude, longitude, settings offered
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

BAND_MEANING = {  # plain words for the printed key, matching the methods page
    "much-better": "Clearly better than similar providers: very unlikely to be chance.",
    "better": "Better than similar providers: unlikely to be chance.",
    "somewhat-better": "A little better than similar providers, but this could still be chance.",
    "about-same": "No clear difference from similar providers (results vary a little even when care is as good).",
    "somewhat-worse": "A little worse than similar providers, but this could still be chance.",
    "worse": "Worse than similar providers: unlikely to be chance.",
    "much-worse": "Clearly worse than similar providers: very unlikely to be chance.",
}
NO_RESULT = "No result for this provider"


def slug(commissioner: str, setting: str) -> str:
    return f"{commissioner.lower()}-{setting}"


def static_page(commissioner: str, setting: str) -> str:
    return f"compare/{slug(commissioner, setting)}.md"


def band_words(band: str, peer: str, st) -> str:
    """The band as a patient reads it: 'About the same as other NHS trusts', 'Better than expected'.

    Short enough for four providers side by side; the key says what each band means.
    """
    if band == "about-same":
        s = wording.band_phrase(band, peer)
        return s[:1].upper() + s[1:]
    return wording.band_label(band, st)


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


def monthly(period: str) -> bool:
    """Monthly measures have an SPC trend; yearly and quarterly ones do not."""
    return len(period) == 7 and period[4] == "-" and period[5:].isdigit()


def _num(v):
    return None if v is None or pd.isna(v) else float(v)


def _cell(x, trend: str) -> dict:
    """One published figure, in the JSON index's compact form."""
    out = {"b": "suppressed"}
    if not bool(x.suppressed) and _num(x.estimate) is not None:
        n = _num(x.responses)
        out = {"v": wording.value(_num(x.estimate), x.kind),
               "r": wording.interval(_num(x.lower95), _num(x.upper95), x.kind),
               "b": str(x.band), "n": None if n is None else int(round(n))}
    if trend != "none":
        out["t"] = trend
    return out


def model(site) -> NS:
    """Settings, measures and each provider's latest published figures."""
    r = site.r
    latest = r.scores[r.scores["period"] == r.scores["measure"].map(r.latest)]
    verdicts = {k: trends.verdict(g) for k, g in r.trends.groupby(["provider", "measure"], sort=True)} \
        if len(r.trends) else {}
    measures = {m: site.measure(m) for m in sorted(r.latest) if m in site.measures.index}
    cells: dict[str, dict[str, dict]] = {}
    for x in latest.itertuples(index=False):
        if x.measure in measures and x.provider in site.providers.index:
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
    comm_of = dict(zip(site.providers["code"], site.providers["commissioner"]))
    offered: dict[tuple[str, str], list[str]] = {}  # (commissioner, setting) -> providers, for the static pages
    for s in settings:
        for p in s.providers:
            offered.setdefault((comm_of[p], s.id), []).append(p)
    return NS(measures=measures, cells=cells, settings=settings, offered=offered)


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


def choice_index(site) -> tuple[dict, dict]:
    """The compact JSON index the compare page reads first, and each provider's published figures."""
    mod = site.choice_model()
    offered: dict[str, list[str]] = {}
    for s in mod.settings:
        for p in s.providers:
            offered.setdefault(p, []).append(s.id)
    providers = []
    for p in site.providers.sort_values(["name", "code"]).itertuples(index=False):
        if p.code not in offered:
            continue
        pc = _text(p.postcode)
        providers.append([p.code, p.name, p.type, p.commissioner, _text(p.town), pc.split(" ")[0] if pc else "",
                          _coord(p.latitude), _coord(p.longitude), offered[p.code]])
    peers = sorted(wording.TYPES)
    comms = site.commissioners.sort_values(["name", "code"])
    return {
        "version": 1,
        "max": MAX_CHOICE,
        "release": {"period": site.release.get("period", ""), "label": site.release.get("period_label", ""),
                    "published": site.release.get("published", "")},
        "settings": [{"id": s.id, "label": s.label, "measures": s.measures, "types": s.types} for s in mod.settings],
        "measures": {m.id: {"n": m.name, "s": wording.SOURCES.get(m.source, m.source), "p": site.r.latest[m.id],
                            "pl": period_label(site.r.latest[m.id]), "hib": m.polarity == "higher-is-better",
                            "rl": responses_label(m), "mo": monthly(site.r.latest[m.id]),
                            "u": comparators.unit(m.kind, _top(site, m.id))}
                     for m in mod.measures.values()},
        "commissioners": [{"c": c.code, "n": c.name, "r": c.region} for c in comms.itertuples(index=False)],
        "regions": sorted(set(comms["region"])),
        "types": {t: label[0] for t, label in wording.TYPES.items()},
        "words": {"bands": {peer: {b: band_words(b, peer, site.settings) for b in wording.BAND_ORDER} for peer in peers},
                  "icons": {b: wording.band_icon(b) for b in wording.BAND_ORDER},
                  "trends": TRENDS, "none": NO_RESULT},
        "fields": PROVIDER_FIELDS,  # each provider is a list in this order: a third of the bytes of objects
        "providers": providers,
        "cells": CELLS_DIR.removeprefix("assets/") + "/",
    }, mod.cells


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def choice_files(site) -> dict[str, str]:
    """Extra files for the build: the index the page loads first (who can be compared, no figures),
    and each commissioner's figures, fetched when one of its providers is chosen."""
    data, cells = choice_index(site)
    by_comm: dict[str, dict] = {}
    for p in data["providers"]:
        by_comm.setdefault(p[3], {})[p[0]] = cells.get(p[0], {})
    files = {INDEX_FILE: _dump(data)}
    comp = comparators.comparators(site)
    for c, figures in by_comm.items():
        figures["~"] = {m: {peer: comparators.lines(comp, m, peer, c, site.measure(m).kind, _top(site, m), short=True)
                            for (mm, peer) in comp if mm == m} for m in data["measures"]}  # what to compare with
        files[f"{CELLS_DIR}/{c.lower()}.json"] = _dump(figures)
    return files


def _top(site, measure: str):
    return scales.bounds(site.ds["scales"]).get(measure, (None, None))[1]


def _static_cell(cell: dict | None, meas, peer: str, st, top=None) -> NS:
    if cell is None:
        return NS(shown=False, value="", range="", band="none", icon="", words=NO_RESULT, trend="", responses="",
                  unit="")
    band = cell["b"]
    return NS(shown="v" in cell, value=cell.get("v", ""), range=cell.get("r", ""), band=band,
              unit=comparators.unit(meas.kind, top),
              icon=wording.band_icon(band), words=band_words(band, peer, st), trend=TRENDS[cell.get("t", "none")],
              responses=responses_text(cell.get("n"), meas, st.suppress_below))


def choice_views(site) -> NS:
    """What choice.md.j2 and choice_static.html.j2 need: controls, key and one view per commissioner and service."""
    mod = site.choice_model()
    comms = site.commissioners.sort_values(["name", "code"])
    static, groups = [], []
    for c in comms.itertuples(index=False):
        views = [v for s in mod.settings for v in _static_views(site, mod, c, s)]
        static.extend(views)
        if views:
            groups.append(NS(code=c.code, name=c.name, region=c.region,
                             links=[NS(label=v.setting_label + (f" ({v.part_label})" if v.parts else ""),
                                       href=urls.href(PAGE, v.page)) for v in views]))
    return NS(settings=[NS(id=s.id, label=s.label) for s in mod.settings],
              commissioners=[NS(code=c.code, name=c.name, region=c.region) for c in comms.itertuples(index=False)],
              regions=sorted(set(comms["region"])), static=static, groups=groups, key=key_view(site),
              max=MAX_CHOICE, index=urls.href(PAGE, INDEX_FILE), address=address(site))


def address(site) -> str:
    """Where the full data are, for the printed sheet (choice.js puts the address the page was loaded from)."""
    url = getattr(site, "site_url", "") or ""
    return url if url else "the “Find a provider” and “Results by measure” pages of this website"


def _static_views(site, mod, c, s) -> list[NS]:
    """One commissioner and service: every provider offering it there, on one page or in parts."""
    codes = mod.offered.get((c.code, s.id), [])
    if not codes:
        return []
    provs = site.providers.loc[codes].sort_values(["name", "code"])
    parts = choice_parts.split(provs, len(s.measures))
    views = [_static_view(site, mod, c, s, choice_parts.page(static_page(c.code, s.id), i), part, len(provs))
             for i, part in enumerate(parts)]
    choice_parts.links(views, urls.href)
    return views


def _static_view(site, mod, c, s, page: str, provs, total: int) -> NS:
    """One page of one commissioner and service: its providers, one table per measure."""
    tables = []
    comp = comparators.comparators(site)
    for mid in s.measures:
        meas = mod.measures[mid]
        rows = []
        for p in provs.itertuples(index=False):
            v = _static_cell(mod.cells.get(p.code, {}).get(mid), meas, p.type, site.settings, _top(site, mid))
            v.comparators = comparators.lines(comp, mid, p.type, c.code, meas.kind, _top(site, mid), short=True)
            v.code, v.name, v.town = p.code, p.name, _text(p.town)
            v.href = urls.href(page, urls.provider(p.code))
            rows.append(v)
        tables.append(NS(id=mid, name=meas.name, source=wording.SOURCES.get(meas.source, meas.source),
                         period=period_label(site.r.latest[mid]), hib=meas.polarity == "higher-is-better",
                         monthly=monthly(site.r.latest[mid]),
                         href=urls.href(page, urls.measure(mid)), rows=rows))
    return NS(page=page, code=c.code, name=c.name, region=c.region, setting=s.id, setting_label=s.label,
              tables=tables, n=len(provs), total=total, part_label=choice_parts.label(provs), parts=[],
              back=urls.href(page, PAGE),
              query=f"?setting={s.id}&area={c.code}")


def key_view(site) -> NS:
    """The plain-English key printed with every comparison."""
    st = site.settings
    bands = [NS(band=b, icon=wording.band_icon(b), label=wording.band_label(b), meaning=BAND_MEANING[b])
             for b in BAND_MEANING]
    bands.append(NS(band="too-few", icon=wording.band_icon("too-few"), label=wording.band_label("too-few"),
                    meaning=f"Fewer than {st.band_below} people answered (for complaints: fewer than {st.band_below} "
                            "complaints expected): the result is shown but not compared."))
    bands.append(NS(band="suppressed", icon=wording.band_icon("suppressed"), label=wording.band_label("suppressed", st),
                    meaning="Nothing is shown, to protect the privacy of the few people who answered."))
    shown = [k for k in TRENDS if "neutral" not in k]  # every measure has a polarity, so no neutral verdicts
    return NS(bands=bands, trends=[NS(words=TRENDS[k], meaning=wording.spc_words(k, st)) for k in shown if k in wording.SPC])
