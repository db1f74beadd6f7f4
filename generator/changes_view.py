"""The 'What changed' page view."""
from __future__ import annotations

from types import SimpleNamespace as NS

from . import urls, wording

PAGE = "changes.md"


def changes_view(site, ch) -> NS | None:
    if ch is None:
        return None
    titles = {r["id"]: r["title"] for r in site.rules}
    names = site.providers["name"]
    cases = site.ds["case-studies"].set_index("id")

    def pname(code):
        return names.get(code, code)

    def flag(f):
        return NS(provider_name=pname(f.provider), href=urls.href(PAGE, urls.provider(f.provider)),
                  title=titles.get(f.rule, f.rule), evidence=f.evidence)
    return NS(
        baseline_period=ch.baseline_period,
        new_periods=[NS(name=site.measure(m).name if m in site.measures.index else m, before=b, period=p)
                     for m, b, p in ch.new_periods],
        raised=[flag(f) for f in ch.raised.itertuples(index=False)],
        cleared=[flag(f) for f in ch.cleared.itertuples(index=False)],
        cases=[NS(title=cases.loc[c, "title"], href=urls.href(PAGE, urls.case_study(c))) for c in ch.new_case_studies],
        bands=[NS(provider=b.provider, provider_name=pname(b.provider), measure_id=b.measure,
                  href=urls.href(PAGE, urls.provider(b.provider)),
                  measure=site.measure(b.measure).name if b.measure in site.measures.index else b.measure,
                  before=wording.band_label(b.before_band), before_period=b.before_period,
                  now=wording.band_label(b.band), period=b.period)
               for b in ch.bands.itertuples(index=False)],
    )
