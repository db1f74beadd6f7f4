"""The provider finder's files (read by assets/site.js). Pure; render.py writes them.

- assets/providers.json: one short record per provider, loaded first (also by the header search,
  the first time its box is used), and the templates of the addresses the scripts link to.
- assets/districts.json: the middle of each postcode district (the optional postcode-districts
  resource), loaded only when someone types a postcode; a district with no row falls back to the
  middle of the providers whose postcodes are in it.
- assets/finder/<measure>.json: each provider's latest published result and band for one measure,
  loaded only when that measure is chosen.
"""
from __future__ import annotations

import json
import math

import pandas as pd

from generator.data import scales
from generator.data import periods
from generator.views import comparators, urls, wording
from generator.views.context import Context

INDEX = "assets/providers.json"
DISTRICTS = "assets/districts.json"
FIGURES = "assets/finder"


def _num(v):
    if v is None or v is pd.NA:
        return None
    v = float(v)
    return None if math.isnan(v) else v


def _round(v, places: int = 3):
    v = _num(v)
    return None if v is None else round(v, places)  # 3 places: about 100 m, enough to sort by distance


def _text(v) -> str:
    return v if isinstance(v, str) else ""


def district(postcode: str) -> str:
    pc = _text(postcode)
    return pc.split(" ")[0] if " " in pc else (pc[:-3] if len(pc) >= 5 else pc)


def finder_index(providers: pd.DataFrame) -> list[dict]:
    """One short record per provider, by name: the finder page lists them, providers.json holds them."""
    out = []
    for p in providers.sort_values("name").itertuples(index=False):
        out.append({"c": p.code, "n": p.name, "t": p.type, "w": _text(p.town), "d": district(p.postcode),
                    "y": _round(p.latitude), "x": _round(p.longitude)})
    return out


def districts(ctx: Context) -> dict[str, list]:
    """district -> [latitude, longitude]: the standard's rows, else the middle of the district's providers."""
    out: dict[str, list] = {}
    pos: dict[str, list] = {}
    for p in ctx.providers.itertuples(index=False):
        d, y, x = district(p.postcode), _num(p.latitude), _num(p.longitude)
        if d and y is not None and x is not None:
            pos.setdefault(d, []).append((y, x))
    for d, pts in sorted(pos.items()):
        out[d] = [round(sum(y for y, _ in pts) / len(pts), 3), round(sum(x for _, x in pts) / len(pts), 3)]
    table = ctx.dataset.tables.get("postcode-districts")
    if table is not None:
        for r in table.itertuples(index=False):
            out[r.district] = [_round(r.latitude), _round(r.longitude)]
    return dict(sorted(out.items()))


def figure_files(ctx: Context) -> dict[str, str]:
    """assets/finder/<measure>.json: {"u": unit, "p": {code: [result, band id, band words]}}."""
    r = ctx.results
    latest = periods.latest_rows(r.scores, r.latest)
    tops = {m: hi for m, (_lo, hi) in scales.bounds(ctx.dataset["scales"]).items()}
    files = {}
    phrases: dict[tuple[str, str], str] = {}  # band_phrase of each (band, peer), once
    for m, g in latest.groupby("measure", sort=True):
        if m not in ctx.measures.index:
            continue
        kind = ctx.measure(m).kind
        rows = {}
        for x in g.itertuples(index=False):
            shown = not bool(x.suppressed) and _num(x.estimate) is not None
            band = str(x.band)
            phrase = phrases.get((band, x.peer))
            if phrase is None:
                phrase = phrases[(band, x.peer)] = wording.band_phrase(band, x.peer, ctx.settings, ctx.words.pool(x.peer))
            rows[x.provider] = [wording.value(_num(x.estimate), kind) if shown else "", band, phrase]
        data = {"u": comparators.unit(kind, tops.get(m)), "period": r.latest[m], "p": rows}
        files[figures_file(m)] = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return files


FIELDS = ["c", "n", "t", "w", "d", "y", "x"]  # code, name, type, town, postcode district, latitude, longitude


def figures_file(measure_id: str) -> str:
    return f"{FIGURES}/{measure_id}.json"


def addresses() -> dict[str, str]:
    """Where the finder and the header search link, relative to providers.json: one template per kind
    of address (a few bytes) rather than an address per provider (about 20 bytes each)."""
    return {"provider": urls.href(INDEX, urls.provider(urls.slot("code"))),
            "figures": urls.href(INDEX, figures_file(urls.slot("id")))}


def compact_index(index: list[dict]) -> dict:
    """providers.json: each provider a list in FIELDS order (a third fewer bytes than objects: England's
    7,300 providers come to about 600 KB), its type a number into "types"."""
    types = sorted({p["t"] for p in index})
    return {"fields": FIELDS, "types": types, "addresses": addresses(),
            "rows": [[p[f] if f != "t" else types.index(p[f]) for f in FIELDS] for p in index]}


def files(ctx: Context, index: list[dict], figures: bool = True) -> dict[str, str]:
    """index: finder_index(ctx.providers), worked out once (shared.py). figures=False: without figure_files
    (the build's second process makes them)."""
    dump = lambda d: json.dumps(d, ensure_ascii=False, sort_keys=True, separators=(",", ":"))  # noqa: E731
    out = {INDEX: dump(compact_index(index)), DISTRICTS: dump(districts(ctx))}
    if figures:
        out.update(figure_files(ctx))
    return out
