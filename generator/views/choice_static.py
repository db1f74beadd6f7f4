"""The ready-made compare pages, one per commissioner and service (choice_static.html.j2), and the
compare page's controls and printed key (choice.md.j2). Pure; no I/O.

They show the choice model (choice.py) with the same words as the interactive page; an area with
too many providers for one printed page is cut into parts (choice_parts.py).
"""
from __future__ import annotations

from types import SimpleNamespace as NS

from generator.compute.compare import peer_of
from generator.data.periods import label as period_label
from generator.settings import Settings
from generator.views import choice_parts, comparators, urls, wording
from generator.views.choice import (static_page, regions_offered, INDEX_FILE, MAX_CHOICE, NO_RESULT, PAGE, TRENDS, band_words, monthly,
                                    responses_text)
from generator.views.context import Context
from generator.views.publisher import minimums

BAND_MEANING = {  # plain words for the printed key, matching the methods page
    "much-better": "Clearly better than similar providers: very unlikely to be chance.",
    "better": "Better than similar providers: unlikely to be chance.",
    "somewhat-better": "A little better than similar providers, but this could still be chance.",
    "about-same": "No clear difference from similar providers (results vary a little even when care is as good).",
    "somewhat-worse": "A little worse than similar providers, but this could still be chance.",
    "worse": "Worse than similar providers: unlikely to be chance.",
    "much-worse": "Clearly worse than similar providers: very unlikely to be chance.",
}


def _static_cell(cell: dict | None, meas, st: Settings, unit: str, words: str) -> NS:
    """One provider's cell for one measure; unit and words (the band in words) as _static_view worked them out."""
    if cell is None:
        return NS(shown=False, value="", range="", band="none", icon="", words=NO_RESULT, trend="", responses="",
                  unit="", reason="", caution=False, note_lead="", notes="")
    band = cell["b"]
    return NS(shown="v" in cell, value=cell.get("v", ""), range=cell.get("r", ""), band=band, unit=unit,
              icon=wording.band_icon(band), words=words, trend=TRENDS[cell.get("t", "none")],
              responses=responses_text(cell.get("n"), meas, st.suppress_below),
              reason=cell.get("w", ""), caution=bool(cell.get("c")), note_lead=cell.get("nl", ""), notes=cell.get("nt", ""))


def choice_views(ctx: Context, mod: NS, comp: dict) -> NS:
    """What choice.md.j2 and choice_static.html.j2 need: controls, key and one view per commissioner and service.
    mod: choice.model(ctx); comp: comparators.comparators(ctx)."""
    comms = ctx.commissioners.sort_values(["name", "code"])
    static, groups = [], []
    for c in comms.itertuples(index=False):
        views = [v for s in mod.settings for v in _static_views(ctx, mod, comp, c, s)]
        static.extend(views)
        if views:
            groups.append(NS(code=c.code, name=c.name, region=c.region,
                             links=[NS(label=v.setting_label + (f" ({v.part_label})" if v.parts else ""),
                                       href=urls.href(PAGE, v.page)) for v in views]))
    return NS(settings=[NS(id=s.id, label=s.label) for s in mod.settings],
              commissioners=[NS(code=c.code, name=c.name, region=c.region) for c in comms.itertuples(index=False)],
              regions=regions_offered(comms, ctx.words), static=static, groups=groups, key=key_view(ctx.settings, mod.bench, minimums(ctx.dataset)),
              max=MAX_CHOICE, index=urls.href(PAGE, INDEX_FILE), address=address(ctx.site_url))


def address(url: str) -> str:
    """Where the full data are, for the printed sheet (choice.js puts the address the page was loaded from)."""
    return url if url else "the “Find a provider” and “Results by measure” pages of this website"


def _static_views(ctx: Context, mod: NS, comp: dict, c, s) -> list[NS]:
    """One commissioner and service: every provider offering it there, on one page or in parts."""
    codes = mod.offered.get((c.code, s.id), [])
    if not codes:
        return []
    provs = ctx.providers.loc[codes].sort_values(["name", "code"])
    parts = choice_parts.split(provs, len(s.measures))
    views = [_static_view(ctx, mod, comp, c, s, choice_parts.page(static_page(c.code, s.id), i), part, len(provs))
             for i, part in enumerate(parts)]
    choice_parts.links(views, urls.href)
    return views


def _static_view(ctx: Context, mod: NS, comp: dict, c, s, page: str, provs, total: int) -> NS:
    """One page of one commissioner and service: its providers, one table per measure."""
    tables = []
    peer = dict(zip(provs["code"].tolist(), peer_of(provs)))  # who each is compared with
    listed = [(code, name, town if isinstance(town, str) else "", urls.href(page, urls.provider(code)))
              for code, name, town in zip(provs["code"].tolist(), provs["name"].tolist(), provs["town"].tolist())]
    st = ctx.settings
    for mid in s.measures:
        meas = mod.measures[mid]
        scale_top, bench = mod.tops.get(mid), mod.bench.get(mid, "")
        unit = comparators.unit(meas.kind, scale_top)
        lines: dict[str, list[str]] = {}  # peer -> the comparator lines (the same for every provider of that peer)
        words: dict[tuple[str, str], str] = {}  # (band, peer) -> the band in words
        rows = []
        for code, name, town, href in listed:
            cell, pr = mod.cells.get(code, {}).get(mid), peer[code]
            if pr not in lines:
                lines[pr] = comparators.lines(comp, mid, pr, c.code, meas.kind, scale_top, short=True)
            said = ""
            if cell is not None:
                if (cell["b"], pr) not in words:
                    words[(cell["b"], pr)] = (wording.band_against(cell["b"], st, bench) if bench else
                                              band_words(cell["b"], pr, st, ctx.words.pool(pr)))
                said = words[(cell["b"], pr)]
            v = _static_cell(cell, meas, st, unit, said)
            v.comparators, v.code, v.name, v.town, v.href = lines[pr], code, name, town, href
            rows.append(v)
        tables.append(NS(id=mid, name=meas.name, source=ctx.words.source(meas.source),
                         period=period_label(ctx.results.latest[mid]), hib=meas.polarity == "higher-is-better",
                         monthly=monthly(ctx.results.latest[mid]),
                         href=urls.href(page, urls.measure(mid)), rows=rows))
    return NS(page=page, code=c.code, name=c.name, region=c.region, setting=s.id, setting_label=s.label,
              tables=tables, n=len(provs), total=total, part_label=choice_parts.label(provs), parts=[],
              back=urls.href(page, PAGE),
              query=f"?setting={s.id}&area={c.code}")


def key_view(st: Settings, bench: dict[str, str] | None = None, least: list[str] | None = None) -> NS:
    """The plain-English key printed with every comparison; bench: measure -> its published benchmark's label;
    least: the publishers' minimum samples (publisher.minimums)."""
    bands = [NS(band=b, icon=wording.band_icon(b), label=wording.band_label(b), meaning=BAND_MEANING[b])
             for b in BAND_MEANING]
    bands.append(NS(band="too-few", icon=wording.band_icon("too-few"), label=wording.band_label("too-few"),
                    meaning=f"Fewer than {st.band_below} people answered (for complaints: fewer than {st.band_below} "
                            "complaints expected)" + (f", or fewer than the publisher's minimum of {' or '.join(least)} "
                                                      "where it sets one" if least else "")
                            + ": the result is shown but not compared."))
    bands.append(NS(band="suppressed", icon=wording.band_icon("suppressed"), label=wording.band_label("suppressed", st),
                    meaning="Nothing is shown, to protect the privacy of the few people who answered."))
    shown = [k for k in TRENDS if "neutral" not in k]  # every measure has a polarity, so no neutral verdicts
    labels = sorted(set((bench or {}).values()))
    against = (f"Where a measure has a published benchmark ({' or '.join('the ' + x for x in labels)}), results are "
               "compared with it instead of with similar providers: better and worse then mean better or worse "
               "than the benchmark.") if labels else ""
    return NS(bands=bands, against=against, trends=[NS(words=TRENDS[k], meaning=wording.spc_words(k, st)) for k in shown if k in wording.SPC])
