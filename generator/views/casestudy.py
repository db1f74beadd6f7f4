"""Case-study pages: sanitised body, linked providers, and the evidence panel."""
from __future__ import annotations

import math
from types import SimpleNamespace as NS

from markupsafe import Markup

from generator.compute import evidence
from generator.data import periods
from generator.text import sanitise
from generator.views import sparkline, urls, wording
from generator.views.context import Context

THEMES = {
    "data-collection": "Data collection",
    "improving-experience": "Improving experience",
    "commissioning-levers": "Commissioning levers",
}


PUBLISHER_THEMES = {**THEMES, "commissioning-levers": "Contract and funding levers"}  # no NHS words


def theme_labels(ctx) -> dict[str, str]:
    """The themes' labels: NHS England's words, unless the publisher gives its own context (views/publisher.py)."""
    return PUBLISHER_THEMES if ctx.words.publisher.given else THEMES


def theme_page(theme: str) -> str:
    return f"case-studies/themes/{theme}.md"


def _fmt_change(d: float, kind: str) -> str:
    if d is None or math.isnan(d):
        return "–"
    if kind == "proportion":
        return f"{wording.points(d)} percentage points"
    return f"{d:+.2f}"


def case_study_views(ctx: Context) -> list[NS]:
    r = ctx.results
    ev = r.evidence
    out = []
    for c in ctx.dataset["case-studies"].sort_values("id").itertuples(index=False):
        page = urls.case_study(c.id)
        panels = []
        rows = ev[ev["case_study"] == c.id] if len(ev) else ev
        for e in rows.itertuples(index=False):
            meas = ctx.measure(e.measure)
            hist = r.scores[(r.scores["provider"] == e.provider) & (r.scores["measure"] == e.measure)]
            tr = r.trends[(r.trends["provider"] == e.provider) & (r.trends["measure"] == e.measure)] if len(r.trends) else None
            pname = ctx.providers.loc[e.provider, "name"] if e.provider in ctx.providers.index else e.provider
            panels.append(NS(
                provider=e.provider, provider_name=pname, provider_href=urls.href(page, urls.provider(e.provider)),
                measure=meas.name, kind=e.kind, intervention=e.intervention,
                chart=sparkline.trend_svg(tr if tr is not None and len(tr) else None, hist, meas, pname,
                                          mark=e.intervention),
                before=wording.value(e.before_estimate, e.kind), before_range=wording.interval(e.before_lower, e.before_upper, e.kind),
                before_n=e.before_responses, before_periods=e.before_periods,
                after=wording.value(e.after_estimate, e.kind), after_range=wording.interval(e.after_lower, e.after_upper, e.kind),
                after_n=e.after_responses, after_periods=e.after_periods,
                change=_fmt_change(e.change_difference, e.kind),
                change_range=f"{_fmt_change(e.change_lower, e.kind)} to {_fmt_change(e.change_upper, e.kind)}",
                verdict=wording.spc_words(e.verdict, ctx.settings),
                real=(e.change_lower > 0 or e.change_upper < 0),
                cited=_cited(page, hist, e.measure, e.provider, e.intervention),
            ))
        themes = str(c.themes).split()
        out.append(NS(
            id=c.id, page=page, title=c.title, summary=c.summary, setting=wording.setting_label(c.setting),
            intervention=c.intervention_date.date().isoformat(), published=c.published.date().isoformat(),
            themes=[NS(id=t, label=theme_labels(ctx).get(t, t), href=urls.href(page, theme_page(t))) for t in themes],
            body=Markup(sanitise.body_html(c.body).replace("\n\n", "\n")), panels=panels,
            providers=[NS(code=p, href=urls.href(page, urls.provider(p)),
                          name=ctx.providers.loc[p, "name"] if p in ctx.providers.index else p)
                       for p in str(c.providers).split()],
        ))
    return out


def _cited(page: str, hist, measure: str, provider: str, intervention) -> list[NS]:
    """The periods the before and after figures pool (evidence.before_after's windows), each linked to
    its league table at the provider's row."""
    import pandas as pd
    when = pd.Timestamp(intervention)
    s = hist.assign(start=hist["period"].map(periods.start)).sort_values("start")
    out = []
    for label, part in (("Before", s[s["start"] < when].tail(evidence.WINDOW)),
                        ("After", s[s["start"] >= when].head(evidence.WINDOW))):
        out.append(NS(label=label, links=[NS(period=p, href=urls.href(page, urls.measure(measure, p)) + f"#p-{provider.lower()}")
                                          for p in part["period"]]))
    return out


def redirects(ctx: Context) -> dict[str, str]:
    """Static redirect pages for renamed case-study ids: {file path under docs: html}."""
    out = {}
    red = ctx.dataset["redirects"]
    for old, new in zip(red["from"], red["to"]):  # both validated slugs
        target = f"../{new}/"
        out[f"case-studies/{old}/index.html"] = (
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Moved</title>"
            f"<link rel=\"canonical\" href=\"{target}\"><meta http-equiv=\"refresh\" content=\"0; url={target}\">"
            f"</head><body><p>This case study has moved to <a href=\"{target}\">its new address</a>.</p></body></html>\n")
    return out
