"""Commissioner page views: the providers each commissioner is responsible for."""
from __future__ import annotations

from types import SimpleNamespace as NS

from . import urls, wording

BETTER = {"much-better", "better"}
WORSE = {"much-worse", "worse"}


def commissioner_views(site) -> list[NS]:
    r = site.r
    latest = r.scores[r.scores["period"] == r.scores["measure"].map(r.latest)]
    better = latest[latest["band"].isin(BETTER)].groupby("provider").size()
    worse = latest[latest["band"].isin(WORSE)].groupby("provider").size()
    out = []
    for c in site.commissioners.sort_values("name").itertuples(index=False):
        page = urls.commissioner(c.code)
        provs = site.providers[site.providers["commissioner"] == c.code].sort_values("name")
        groups = []
        for ptype, g in provs.groupby("type", sort=True):
            groups.append(NS(title=wording.TYPE_TITLES.get(ptype, ptype), providers=[
                NS(code=p.code, name=p.name, town=p.town if isinstance(p.town, str) else "",
                   href=urls.href(page, urls.provider(p.code)),
                   better=int(better.get(p.code, 0)), worse=int(worse.get(p.code, 0)))
                for p in g.itertuples(index=False)]))
        out.append(NS(code=c.code, name=c.name, region=c.region, page=page, groups=groups,
                      providers=list(provs["code"])))
    return out
