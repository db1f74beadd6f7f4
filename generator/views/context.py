"""The build context: everything the pages read, worked out once and frozen. Pure; no I/O.

build_context() makes it from the typed results of the earlier stages (Results, the charts, the release
record, the baseline, the reference files read by data/reference.py). The views several pages share
(league tables, commissioner views, the choice model) are worked out from it once, in shared.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace as NS
from typing import Any, Mapping

import pandas as pd

from generator.compute.changes import Changes, compare_releases
from generator.compute.compare import Results
from generator.compute.release import Release
from generator.data import periods
from generator.data.dataset import STANDARD_VERSION, Dataset
from generator.data.previous import Baseline
from generator.data.reference import Reference
from generator.problems import CODES
from generator.settings import Settings
from generator.stats.overdispersion import winsor_consistency
from generator.views import urls, wording
from generator.views.publisher import Words


@dataclass(frozen=True)
class Chart:
    """One drawn chart, as pages (views/league.py), the writer and the cache read it."""
    svg: str             # the SVG document, without XML prolog
    alt: str             # its text alternative
    hash: str            # spec_hash of what it shows: its file name in the chart cache
    new: bool = False    # drawn by this build (save_cache keeps it), not read from the cache


@dataclass(frozen=True, eq=False)
class Context:
    results: Results
    dataset: Dataset
    settings: Settings
    release: Release                    # compute/release.py's record of this release
    charts: dict[str, Chart]            # chart key -> the chart site/charts.py drew
    baseline: Baseline | None           # the release before this one, if any
    changes: Changes | None             # what changed since the baseline
    site_url: str
    rules: tuple[dict[str, Any], ...]   # red-flag rules (redflags.toml)
    calibration: Mapping[str, Any]      # the method's calibration (calibration.json), for the methods page
    standard: list[NS]                  # the data standard's tables, for its page
    providers: pd.DataFrame             # indexed by code
    commissioners: pd.DataFrame         # indexed by code
    measures: pd.DataFrame              # indexed by id
    sources: pd.DataFrame               # indexed by id
    measure_list: list[NS]              # measures with results, by source then name
    peer_modes: list[NS]                # per measure's latest period and peer type: was the spread widened
    source_rows: list[NS]
    package_rows: list[NS]
    words: Words                        # the publisher's words (views/publisher.py)
    example: bool = False
    standard_version: str = STANDARD_VERSION
    winsor_consistency: float = field(default_factory=winsor_consistency)

    def measure(self, measure_id: str) -> NS:
        """One measure's row as attributes (a pandas row's .name would be its index)."""
        return NS(**self.measures.loc[measure_id].to_dict())

    def commissioner_name(self, code: str) -> str:
        return str(self.commissioners["name"].get(code, code))


def _indexed(df: pd.DataFrame, key: str) -> pd.DataFrame:
    return df.set_index(key, drop=False).rename_axis(None)


def build_context(results: Results, charts: dict[str, Chart], release: Release, reference: Reference,
                  baseline: Baseline | None = None, site_url: str = "") -> Context:
    ds = results.dataset
    measures = _indexed(ds["measures"], "id")
    words = publisher_words(ds, results.latest)
    return Context(
        results=results, dataset=ds, settings=release.settings, release=release, charts=charts,
        baseline=baseline, changes=compare_releases(results, baseline), site_url=site_url,
        rules=reference.rules, calibration=reference.calibration, standard=standard_view(reference.schemas),
        providers=_indexed(ds["providers"], "code"), commissioners=_indexed(ds["commissioners"], "code"),
        measures=measures, sources=_indexed(ds["sources"], "id"),
        measure_list=measure_list(measures, results.latest, words), peer_modes=peer_modes(results, measures, words),
        source_rows=source_rows(ds), package_rows=package_rows(ds), words=words, example=ds.example,
    )


def publisher_words(ds: Dataset, latest: dict[str, str]) -> Words:
    """The publisher's words for the kinds of provider and sources in the data; a place lookup is offered
    when there are places to find (the postcode-districts resource, or providers' postcodes)."""
    m, provs = ds["measures"], ds["providers"]
    districts = ds.tables.get("postcode-districts")
    near = (districts is not None and len(districts) > 0) or bool((provs["postcode"].astype(str).str.strip() != "").any())
    grouped = "peer_group" in provs and bool((provs["peer_group"].astype(str).str.strip() != "").any())
    return Words(ds.publisher, set(provs["type"]), set(m.loc[m["id"].isin(list(latest)), "source"]), near, grouped)


def measure_list(measures: pd.DataFrame, latest: dict[str, str], words: Words) -> list[NS]:
    out = []
    for m in measures.itertuples(index=False):
        if m.id not in latest:
            continue
        out.append(NS(id=m.id, name=m.name, source=words.source(m.source), setting=wording.setting_label(m.setting),
                      latest=latest[m.id], page=urls.measure(m.id), description=m.description))
    return sorted(out, key=lambda x: (x.source, x.name))


def peer_modes(r: Results, measures: pd.DataFrame, kinds: Words) -> list[NS]:
    words = {"adjusted": "yes", "unadjusted": "no: no extra spread found",
             "too-few-providers": "no: too few providers"}
    p = r.peers
    latest = periods.latest_rows(p, r.latest)
    return [NS(measure=measures.loc[x.measure, "name"], period=x.period,
               peer=kinds.many(x.peer), n=int(x.n_providers),
               mode=words.get(x.mode, x.mode)) for x in latest.itertuples(index=False)]


def source_rows(ds: Dataset) -> list[NS]:
    out = []
    for s in ds["sources"].sort_values("id").itertuples(index=False):
        out.append(NS(title=s.title, publisher=s.publisher, licence=s.licence,
                      retrieved="" if pd.isna(s.retrieved) else s.retrieved.date().isoformat(),
                      checksum=s.checksum if isinstance(s.checksum, str) and s.checksum else "not recorded"))
    return out


def package_rows(ds: Dataset) -> list[NS]:
    return [NS(name=p.name, title=p.title, example=p.example, files=len(p.files),
               licence=", ".join(str(lic.get("title") or lic.get("name") or "") for lic in p.licenses if isinstance(lic, dict)))
            for p in ds.packages]


def standard_view(schemas: tuple[tuple[str, dict[str, Any]], ...]) -> list[NS]:
    """The data standard's tables (data/reference.py read them), for the standard's page."""
    out = []
    for name, schema in schemas:
        fields = []
        for f in schema["fields"]:
            c = dict(f.get("constraints", {}))
            required = bool(c.pop("required", False))
            rules = "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in c.items())
            fields.append(NS(name=f["name"], type=f["type"], required=required, rules=rules,
                             description=f.get("description", ""), example=f.get("example", "")))
        out.append(NS(name=name, description=schema.get("description", ""),
                      primary_key=schema.get("primaryKey", []), fields=fields))
    return out


def codes_view() -> list[NS]:
    return [NS(code=c, title=t, hint=h) for c, (t, h) in sorted(CODES.items())]
