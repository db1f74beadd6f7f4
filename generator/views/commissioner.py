"""Commissioner page views: providers, red flags, group gaps, good practice and case studies."""
from __future__ import annotations

from types import SimpleNamespace as NS

from generator.views import urls, wording
from generator.data import periods
from generator.stats.bands import BETTER_CLEAR, WORSE_CLEAR
from generator.views.context import Context


def _flags(ctx: Context, page: str, codes: set[str], titles: dict[str, str]) -> list[NS]:
    fl = ctx.results.flags
    out = []
    for f in fl[fl["provider"].isin(codes)].itertuples(index=False):
        out.append(NS(provider=f.provider, provider_name=ctx.providers.loc[f.provider, "name"], rule=f.rule,
                      title=titles.get(f.rule, f.rule), evidence=f.evidence,
                      anchor=urls.flag_anchor(f.rule, f.measure),
                      href=urls.href(page, urls.provider(f.provider))))
    return out


def _worse_groups(ctx: Context):
    """Groups clearly worse off than their provider overall, in each measure's latest period."""
    r = ctx.results
    b = r.breakdowns
    b = b[b["comparison"].isin(["worse", "worse-998"])]
    return periods.latest_rows(b, r.latest).sort_values(["provider", "measure", "group"])


def _gaps(ctx: Context, page: str, codes: set[str], worse_groups) -> list[NS]:
    worse = worse_groups[worse_groups["provider"].isin(codes)]
    return [NS(provider=g.provider, provider_name=ctx.providers.loc[g.provider, "name"],
               href=urls.href(page, urls.provider(g.provider)), measure=ctx.measure(g.measure).name,
               group=g.label, seldom_heard=bool(g.seldom_heard), period=g.period,
               value=wording.value(g.estimate, g.kind), overall=wording.value(g.overall, g.kind),
               gap=wording.interval(g.gap_lower95, g.gap_upper95, g.kind) if g.kind != "proportion" else
               f"{wording.points(g.gap)} points (likely {wording.points(g.gap_lower95)} to {wording.points(g.gap_upper95)})")
            for g in worse.itertuples(index=False)]


def _good(ctx: Context, page: str, codes: set[str], cases) -> list[NS]:
    gp = ctx.results.good_practice
    out = []
    for g in gp[gp["provider"].isin(codes)].itertuples(index=False):
        linked = [c for c in cases if g.provider in str(c.providers).split() and g.measure in str(c.measures).split()]
        out.append(NS(provider=g.provider, provider_name=ctx.providers.loc[g.provider, "name"],
                      href=urls.href(page, urls.provider(g.provider)), measure=ctx.measure(g.measure).name,
                      reason={"sustained": "better than expected in the latest periods",
                              "improving": "a real improvement in recent months"}.get(g.reason,
                              "better than expected in the latest periods, and improving"),
                      cases=[NS(title=c.title, href=urls.href(page, urls.case_study(c.id))) for c in linked]))
    return out


def commissioner_views(ctx: Context) -> list[NS]:
    r = ctx.results
    latest = periods.latest_rows(r.scores, r.latest)
    better = latest[latest["band"].isin(BETTER_CLEAR)].groupby("provider").size()
    worse = latest[latest["band"].isin(WORSE_CLEAR)].groupby("provider").size()
    cases = list(ctx.dataset["case-studies"].itertuples(index=False))
    worse_groups = _worse_groups(ctx)
    titles = {rule["id"]: rule["title"] for rule in ctx.rules}
    by_commissioner = {k: g for k, g in ctx.providers.groupby("commissioner", sort=False)}
    out = []
    for c in ctx.commissioners.sort_values("name").itertuples(index=False):
        page = urls.commissioner(c.code)
        provs = by_commissioner.get(c.code, ctx.providers.iloc[:0]).sort_values("name")
        codes = set(provs["code"])
        groups = []
        for ptype, g in provs.groupby("type", sort=True):
            groups.append(NS(title=ctx.words.titles(ptype), providers=[
                NS(code=p.code, name=p.name, town=p.town if isinstance(p.town, str) else "",
                   href=urls.href(page, urls.provider(p.code)),
                   better=int(better.get(p.code, 0)), worse=int(worse.get(p.code, 0)))
                for p in g.itertuples(index=False)]))
        mine = [x for x in cases if codes & set(str(x.providers).split())]
        out.append(NS(code=c.code, name=c.name, region=c.region, page=page, groups=groups,
                      providers=list(provs["code"]), flags=_flags(ctx, page, codes, titles), gaps=_gaps(ctx, page, codes, worse_groups),
                      good=_good(ctx, page, codes, cases),
                      cases=[NS(title=x.title, href=urls.href(page, urls.case_study(x.id))) for x in mine]))
    return out
