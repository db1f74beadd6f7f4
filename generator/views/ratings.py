"""The publisher's own ratings (the ratings resource, standard 1.4) as pages show them: beside the site's
results and never mixed with them, each labelled as the publisher's. Pure; the words stay as the publisher
wrote them, and every template escapes them where they land.

A provider's rating about the provider as a whole (empty measure) or about one measure; when a rating is
given for several periods, pages show the latest.
"""
from __future__ import annotations

from types import SimpleNamespace as NS

import pandas as pd

from generator.views.context import Context

NOT_GIVEN = "Not available"


def text(value: str, out_of) -> str:
    """'3 out of 5' for a rating on a scale, the publisher's words otherwise; 'Not available' when none."""
    v = (value or "").strip()
    if not v:
        return NOT_GIVEN
    return f"{v} out of {int(out_of)}" if out_of is not None and not pd.isna(out_of) else v


def latest(ctx: Context) -> pd.DataFrame:
    """The ratings table, one row per provider, rating and measure (its latest period), sorted."""
    t = ctx.dataset.tables.get("ratings")
    if t is None or not len(t):
        return pd.DataFrame(columns=["provider", "rating", "measure", "period", "label", "value", "out_of", "note", "source"])
    t = t.sort_values(["provider", "rating", "measure", "period"], kind="stable")
    return t.drop_duplicates(["provider", "rating", "measure"], keep="last").reset_index(drop=True)


def publishers(ctx: Context, t: pd.DataFrame) -> str:
    """Who published the ratings in t, from their sources ('the publisher' when a source is not given)."""
    names = sorted({str(ctx.sources.loc[s, "publisher"]) if s in ctx.sources.index else "the publisher"
                    for s in t["source"]}) if len(t) else []
    return " and ".join(names) or "the publisher"


def by_provider(ctx: Context) -> dict[str, NS]:
    """provider code -> NS(publisher, rows=[NS(label, period, text, note, given)] about the provider as a whole,
    by_measure={measure: ['CMS HCAHPS star rating (2017), the publisher's own: 4 out of 5', ...]} shown beside
    the result of that measure): what its page shows."""
    t = latest(ctx)
    out = {}
    for code, g in t.groupby("provider", sort=True):
        rows: list[NS] = []
        by_measure: dict[str, list[str]] = {}
        for x in g.sort_values(["measure", "rating"], kind="stable").itertuples(index=False):
            words = text(x.value, x.out_of)
            if x.measure:
                by_measure.setdefault(x.measure, []).append(
                    f"{x.label}{f' ({x.period})' if x.period else ''}, the publisher’s own: {words}"
                    + (f" (note from the publisher: {x.note})" if x.note else ""))
            else:
                rows.append(NS(label=x.label, period=x.period, text=words, note=x.note, given=bool(x.value.strip())))
        out[code] = NS(publisher=publishers(ctx, g), rows=rows, by_measure=by_measure)
    return out


def league_columns(ctx: Context, measure: str) -> tuple[list[NS], dict[str, list[str]]]:
    """The publisher's ratings a measure's league table shows beside the site's: those about the measure and
    those about the provider as a whole. Returns (columns NS(label, publisher), provider code -> the text of
    each column, '' where the provider has none)."""
    t = latest(ctx)
    t = t[t["measure"].isin(["", measure])]
    if not len(t):
        return [], {}
    keys = sorted({(m, r) for m, r in zip(t["measure"], t["rating"])}, key=lambda k: (k[0] == "", k))
    first = t.drop_duplicates(["measure", "rating"]).set_index(["measure", "rating"])
    cols = [NS(label=first.loc[k, "label"], publisher=publishers(ctx, t[(t["measure"] == k[0]) & (t["rating"] == k[1])]))
            for k in keys]
    where = {k: i for i, k in enumerate(keys)}
    cells: dict[str, list[str]] = {}
    for x in t.itertuples(index=False):
        cells.setdefault(x.provider, [""] * len(keys))[where[(x.measure, x.rating)]] = text(x.value, x.out_of)
    return cols, cells
