"""The 'What changed' page view, for the live site and for a release's archived copy.

At England scale a quarter moves tens of thousands of bands, so the page lists a
capped number of rows after a count per measure; both releases' data packages
hold every band.
"""
from __future__ import annotations

from types import SimpleNamespace as NS

from generator.compute.changes import Changes
from generator.views import urls, wording
from generator.views.context import Context

PAGE = "changes.md"
BANDS_MAX = 600   # band changes listed on the page
FLAGS_MAX = 300   # red flags raised (and cleared) listed on the page
COMPARED = wording.BAND_ORDER[:7]  # much-better ... much-worse: the bands that have an order


def live_view(ctx: Context) -> NS | None:
    """The live site's page: the baseline linked where the archive keeps it."""
    base = ctx.baseline
    linked = base is not None and base.from_archive and ctx.changes is not None
    href = urls.href(PAGE, f"releases/{base.period}/index.md") if linked and base is not None else ""
    return changes_view(ctx, ctx.changes, href)


def changes_view(ctx: Context, ch: Changes | None, baseline_href: str = "") -> NS | None:
    if ch is None:
        return None
    titles = {r["id"]: r["title"] for r in ctx.rules}
    names = ctx.providers["name"]
    cases = ctx.dataset["case-studies"].set_index("id")

    def mname(m):
        return ctx.measure(m).name if m in ctx.measures.index else m

    def flag(f):
        return NS(provider=f.provider, provider_name=names.get(f.provider, f.provider),
                  href=urls.href(PAGE, urls.provider(f.provider)), title=titles.get(f.rule, f.rule), evidence=f.evidence)
    summary: dict[str, NS] = {}
    for b in ch.bands.itertuples(index=False):
        s = summary.setdefault(b.measure, NS(measure=mname(b.measure), up=0, down=0))
        if b.band in COMPARED and b.before_band in COMPARED:
            if COMPARED.index(b.band) < COMPARED.index(b.before_band):
                s.up += 1
            else:
                s.down += 1
    return NS(
        baseline_period=ch.baseline_period, baseline_href=baseline_href,
        new_periods=[NS(name=mname(m), before=b, period=p) for m, b, p in ch.new_periods],
        raised=[flag(f) for f in ch.raised.head(FLAGS_MAX).itertuples(index=False)], raised_total=len(ch.raised),
        cleared=[flag(f) for f in ch.cleared.head(FLAGS_MAX).itertuples(index=False)], cleared_total=len(ch.cleared),
        cases=[NS(title=cases.loc[c, "title"], href=urls.href(PAGE, urls.case_study(c))) for c in ch.new_case_studies],
        band_summary=sorted(summary.values(), key=lambda s: s.measure),
        bands=[NS(provider=b.provider, provider_name=names.get(b.provider, b.provider), measure_id=b.measure,
                  href=urls.href(PAGE, urls.provider(b.provider)), measure=mname(b.measure),
                  before=wording.band_label(b.before_band, ctx.settings), before_period=b.before_period,
                  now=wording.band_label(b.band, ctx.settings), period=b.period)
               for b in ch.bands.head(BANDS_MAX).itertuples(index=False)],
        bands_total=len(ch.bands),
    )


def unlinked(view: NS | None, baseline_href: str = "") -> NS | None:
    """The same view for an archived copy: providers named, not linked (provider pages are kept only
    for the current release), and the baseline linked from inside the archive."""
    if view is None:
        return None
    out = NS(**vars(view))
    out.baseline_href = baseline_href
    for key in ("raised", "cleared", "bands"):
        setattr(out, key, [NS(**{**vars(x), "href": ""}) for x in getattr(view, key)])
    out.cases = [NS(title=c.title, href="") for c in view.cases]
    return out
