"""View models: what each page shows, computed from Results. Pure; no formatting of layout."""
from __future__ import annotations

import json
import math
from types import SimpleNamespace as NS

import pandas as pd

from generator.views import urls, wording
from generator.data.dataset import STANDARD_VERSION
from generator.paths import CALIBRATION, STANDARD_DIR
from generator.problems import CODES


def _f(v):
    """A float, or None for missing."""
    if v is None or v is pd.NA:
        return None
    v = float(v)
    return None if math.isnan(v) else v


def _i(v):
    v = _f(v)
    return None if v is None else int(round(v))


def row_view(r, kind: str, st) -> NS:
    """Display fields of one comparison row, shared by tables, provider and compare pages."""
    est, lo, hi = _f(r.estimate), _f(r.lower95), _f(r.upper95)
    return NS(
        band=r.band, band_label=wording.band_label(r.band, st), icon=wording.band_icon(r.band),
        value=wording.value(est, kind), interval=wording.interval(lo, hi, kind),
        estimate=est, lower=lo, upper=hi, responses=_i(r.responses),
        rank=wording.rank_text(_f(r.rank_lower), _f(r.rank_upper), int(r.rank_n or 0)),
        rank_lower=_f(r.rank_lower), rank_upper=_f(r.rank_upper),
        period=r.period,
        unadjusted=wording.value(_f(getattr(r, "estimate_unadjusted", None)), kind)
        if _f(getattr(r, "estimate_unadjusted", None)) is not None else None,
    )


class SiteView:
    def __init__(self, results, charts: dict[str, str], release: dict, baseline=None, site_url: str = ""):
        self.r = results
        self.ds = results.dataset
        self.charts = charts
        self.release = release
        self.example = self.ds.example
        self.providers = self.ds["providers"].set_index("code", drop=False).rename_axis(None)
        self.commissioners = self.ds["commissioners"].set_index("code", drop=False).rename_axis(None)
        self.measures = self.ds["measures"].set_index("id", drop=False).rename_axis(None)
        self.sources = self.ds["sources"].set_index("id", drop=False).rename_axis(None)
        self.settings = release["settings"]
        self.baseline = baseline
        self.site_url = site_url
        from generator.compute.changes import compare_releases
        self.changes = compare_releases(results, baseline)
        self.standard_version = STANDARD_VERSION
        self._commissioner_views = None
        self._choice_model = None
        self._league_tables = None

    @property
    def calibration(self) -> NS:
        return NS(**json.loads(CALIBRATION.read_text(encoding="utf-8")))

    @property
    def winsor_consistency(self) -> float:
        from generator.stats.overdispersion import winsor_consistency
        return winsor_consistency()

    @property
    def peer_modes(self) -> list[NS]:
        words = {"adjusted": "yes", "unadjusted": "no: no extra spread found",
                 "too-few-providers": "no: too few providers"}
        p = self.r.peers
        latest = p[p["period"] == p["measure"].map(self.r.latest)]
        return [NS(measure=self.measures.loc[x.measure, "name"], period=x.period,
                   peer=wording.TYPES.get(x.peer, ("", x.peer))[1], n=int(x.n_providers),
                   mode=words.get(x.mode, x.mode)) for x in latest.itertuples(index=False)]

    def source_rows(self) -> list[NS]:
        out = []
        for s in self.ds["sources"].sort_values("id").itertuples(index=False):
            out.append(NS(title=s.title, publisher=s.publisher, licence=s.licence,
                          retrieved="" if pd.isna(s.retrieved) else s.retrieved.date().isoformat(),
                          checksum=s.checksum if isinstance(s.checksum, str) and s.checksum else "not recorded"))
        return out

    def package_rows(self) -> list[NS]:
        return [NS(name=p.name, title=p.title, example=p.example, files=len(p.files),
                   licence=", ".join(str(lic.get("title") or lic.get("name") or "") for lic in p.licenses if isinstance(lic, dict)))
                for p in self.ds.packages]

    # --- measures -------------------------------------------------------
    def measure(self, measure_id: str) -> NS:
        """One measure's row as attributes (a pandas row's .name would be its index)."""
        return NS(**self.measures.loc[measure_id].to_dict())

    def measure_list(self) -> list[NS]:
        out = []
        for m in self.measures.itertuples(index=False):
            if m.id not in self.r.latest:
                continue
            out.append(NS(id=m.id, name=m.name, source=wording.SOURCES.get(m.source, m.source), setting=wording.setting_label(m.setting),
                          latest=self.r.latest[m.id], page=urls.measure(m.id), description=m.description))
        return sorted(out, key=lambda x: (x.source, x.name))

    def league_tables(self):
        """Built once: the league pages and the release's archived copy (archive.py) read them."""
        if self._league_tables is None:
            from generator.views.league import league_tables
            self._league_tables = league_tables(self)
        return self._league_tables

    @property
    def rules(self) -> list[dict]:
        from generator.compute.flags import load_rules
        return load_rules()

    def case_study_views(self):
        from generator.views.casestudy import case_study_views
        return case_study_views(self)

    def commissioner_views(self):
        """Built once: the commissioner pages, red flags and index pages all read them."""
        if self._commissioner_views is None:
            from generator.views.commissioner import commissioner_views
            self._commissioner_views = commissioner_views(self)
        return self._commissioner_views

    def choice_model(self):
        """The patient-choice model, built once for the compare pages and the JSON index. Keyed by
        the frames it reads, so a copy given other providers or commissioners builds its own."""
        key = (id(self.r), id(self.providers), id(self.commissioners))
        if self._choice_model is None or self._choice_model[0] != key:
            from generator.views.choice import model
            self._choice_model = (key, model(self))
        return self._choice_model[1]

    def provider_views(self):
        from generator.views.provider import provider_views
        return provider_views(self)

    # --- finder ---------------------------------------------------------
    def finder_index(self) -> list[dict]:
        """Compact provider index for the finder: one short record per provider (finder.py)."""
        from generator.views.finder import finder_index
        return finder_index(self)

    def finder_measures(self) -> list[dict]:
        from generator.views.finder import measures
        return measures(self)

    def commissioner_name(self, code: str) -> str:
        return str(self.commissioners["name"].get(code, code))


def standard_view() -> list[dict]:
    out = []
    for path in sorted(STANDARD_DIR.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        fields = []
        for f in schema["fields"]:
            c = dict(f.get("constraints", {}))
            required = bool(c.pop("required", False))
            rules = "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in c.items())
            fields.append(NS(name=f["name"], type=f["type"], required=required, rules=rules,
                             description=f.get("description", ""), example=f.get("example", "")))
        out.append(NS(name=path.stem, description=schema.get("description", ""),
                      primary_key=schema.get("primaryKey", []), fields=fields))
    return out


def codes_view() -> list[NS]:
    return [NS(code=c, title=t, hint=h) for c, (t, h) in sorted(CODES.items())]
