"""League table views: one page per measure (latest period) and one per earlier period, every one
reachable from a period selector. Positions (rank intervals) are worked out for the latest periods
only (Settings.history_periods earlier ones); older pages say so."""
from __future__ import annotations

from types import SimpleNamespace as NS
from typing import Any

from generator.data import scales
from generator.stats.bands import BETTER_ANY, WORSE_ANY
from generator.views import comparators, ratings, urls, wording
from generator.views.context import Chart, Context
from generator.views.rows import row_view

BAND_RANK = {b: i for i, b in enumerate(wording.BAND_ORDER)}
FULL_TABLE_MAX = 1000  # more rows than this: the table lists the providers that differ (a phone-sized page)
DIFFERENT = BETTER_ANY | WORSE_ANY  # every band but about-same


def league_tables(ctx: Context) -> list[NS]:
    r = ctx.results
    by_period = {k: g for k, g in r.scores.groupby(["measure", "period"], sort=False)}
    peer_info: dict[tuple[str, str, str], Any] = {}
    for row in r.peers.itertuples(index=False):
        peer_info.setdefault((row.measure, row.period, row.peer), row)
    prov = ctx.providers
    names = dict(zip(prov["code"], prov["name"]))
    regions = dict(zip(prov["code"], prov["region"]))
    comm_codes = dict(zip(prov["code"], prov["commissioner"]))
    comm_names = {c: ctx.commissioner_name(c) for c in set(comm_codes.values())}
    marks = comparators.benchmarks(ctx.dataset)
    out = []
    for m in ctx.measure_list:
        meas = ctx.measure(m.id)
        hib = meas.polarity == "higher-is-better"
        periods = r.periods[m.id]
        ranked = set(periods[: 1 + ctx.settings.history_periods])
        top = scales.bounds(ctx.dataset["scales"]).get(m.id, (None, None))[1]
        rating_cols, rating_cells = ratings.league_columns(ctx, m.id)  # the publisher's own, beside ours
        for i, period in enumerate(periods):
            page = urls.measure(m.id) if i == 0 else urls.measure(m.id, period)
            rows = by_period.get((m.id, period), r.scores.iloc[:0])
            groups = []
            total = len(rows)
            full = total <= FULL_TABLE_MAX  # else list only the providers that differ
            for peer, g in rows.groupby("peer", sort=True):
                info = peer_info.get((m.id, period, peer))
                mark = marks.get((m.id, period)) if info is not None and str(getattr(info, "benchmark", "")) else None
                found = g["band"].value_counts()
                counts = {b: int(found.get(b, 0)) for b in wording.BAND_ORDER}
                published = int(g["estimate"].notna().sum())
                rank_n = int(g["rank_n"].max()) if period in ranked and g["rank_n"].notna().any() else 0
                trs = []
                for x in (g if full else g[g["band"].isin(DIFFERENT)]).itertuples(index=False):
                    v = row_view(x, meas.kind, ctx.settings)
                    v.code, v.name, v.href = x.provider, names[x.provider], urls.href(page, urls.provider(x.provider))
                    v.region, v.commissioner = regions[x.provider], comm_names[comm_codes[x.provider]]
                    v.commissioner_code = comm_codes[x.provider]
                    v.band_order = BAND_RANK.get(v.band, 99)
                    v.peer = peer
                    v.ratings = rating_cells.get(x.provider, [""] * len(rating_cols))
                    trs.append(v)
                trs.sort(key=lambda v: (v.estimate is None, -(v.estimate or 0) if hib else (v.estimate or 0), v.name))
                groups.append(NS(
                    peer=peer, peer_label=ctx.words.pool(peer), rows=trs,
                    title=ctx.words.pool_title(peer),
                    counts=counts, n=len(g), mode=None if info is None else info.mode,
                    published=published, hidden=len(g) - published, rank_n=rank_n,
                    ratio_note=comparators.ratio_words(meas.name, f"All {ctx.words.pool(peer)}",
                                                       wording.value(info.target, meas.kind))
                    if meas.kind == "ratio" and info is not None and mark is None
                    and wording.value(info.target, meas.kind) not in ("–", "1.00") else "",
                    benchmark=mark,  # the published benchmark results are judged against (comparators.benchmarks)
                    target=None if info is None else wording.value(info.target, meas.kind),
                    funnel=_chart(ctx.charts, page, (m.id, period, peer, "funnel")),
                    caterpillar=_chart(ctx.charts, page, (m.id, period, peer, "caterpillar")),
                ))
            rows = [v for g in groups for v in g.rows]
            comms = sorted({(v.commissioner, v.commissioner_code) for v in rows})
            out.append(NS(
                rows=rows, total=total, regions=sorted({v.region for v in rows}), ratings=rating_cols,
                regions_are_level=bool(rows) and all(v.region == v.commissioner for v in rows),
                commissioners=[NS(name=n, code=c) for n, c in comms],
                page=page, measure=meas, source=ctx.words.source(meas.source),
                period=period, latest=periods[0], groups=groups, hib=hib,
                counted="Patients covered" if meas.kind == "ratio" else "Responses",
                enough=wording.enough_words(meas.kind, ctx.settings.band_below, getattr(meas, "min_sample", None)),
                unit=comparators.unit(meas.kind, top), ranked=period in ranked,
                benchmark=marks.get((m.id, period)) if any(g.benchmark for g in groups) else None,
                other_periods=[NS(period=p, href=urls.href(page, urls.measure(m.id) if j == 0 else urls.measure(m.id, p)),
                                  current=(p == period)) for j, p in enumerate(periods)],
                dataset=ctx.sources.loc[meas.dataset] if meas.dataset in ctx.sources.index else None,
            ))
    return out


def _chart(charts: dict[str, Chart], page: str, which: tuple[str, str, str, str]) -> NS | None:
    """One chart of a league table, with its phone-sized drawing if there is one; which: urls.chart_key's
    (measure, period, peer, kind)."""
    key, phone_key = urls.chart_key(*which), urls.chart_key(*which, phone=True)
    c = charts.get(key)
    if c is None:
        return None
    return NS(src=urls.href(page, urls.chart(key)), alt=c.alt,
              phone=urls.href(page, urls.chart(phone_key)) if phone_key in charts else None)
