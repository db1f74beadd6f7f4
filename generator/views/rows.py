"""One comparison row as the pages show it: shared by league tables, provider and compare pages."""
from __future__ import annotations

import math
from collections import namedtuple
from types import SimpleNamespace as NS
from typing import Any, Iterator

import numpy as np
import pandas as pd

from generator.views import wording
from generator.settings import Settings


def tuples(df: pd.DataFrame) -> Iterator[Any]:
    """df.itertuples(index=False), each value as that gives it, but read a column at a time: itertuples reads
    a text column one cell at a time, through pandas (issue 20: 160,000 rows of 40 columns took seconds)."""
    row = namedtuple("Pandas", list(df.columns), rename=True)  # type: ignore[misc]  # as itertuples names them
    return map(row._make, zip(*(values(df.iloc[:, k]) for k in range(df.shape[1]))))


def values(col: pd.Series) -> list:
    """list(col), read at C speed where that gives the same objects: NumPy columns of numbers, flags and
    objects (each value as .item() gives it), and text columns (as stored); any other kind cell by cell."""
    if isinstance(col.dtype, np.dtype) and col.dtype.kind in "biufcO":
        return col.to_numpy().tolist()
    if isinstance(col.dtype, pd.StringDtype):
        return col.to_numpy(dtype=object).tolist()
    return list(col)


def _f(v):
    """A float, or None for missing."""
    if v is None or v is pd.NA:
        return None
    v = float(v)
    return None if math.isnan(v) else v


def _i(v):
    v = _f(v)
    return None if v is None else int(round(v))


def publisher_words(r, kind: str) -> NS:
    """The publisher's words on one scores row: why it is not compared (under its measure's min_sample) and
    their notes, with the lead that goes before them. Tables, provider and compare pages all show these."""
    caution = bool(getattr(r, "caution", False))
    notes = getattr(r, "notes", "")
    below = bool(getattr(r, "below_min_sample", False))
    return NS(caution=caution, notes=notes if isinstance(notes, str) else "", note_lead=wording.note_words(caution),
              reason=wording.min_sample_words(r.min_sample, kind) if below else "")


def row_view(r, kind: str, st: Settings) -> NS:
    """Display fields of one comparison row (a scores row as a named tuple)."""
    est, lo, hi = _f(r.estimate), _f(r.lower95), _f(r.upper95)
    return NS(
        band=r.band, band_label=wording.band_against(r.band, st, str(getattr(r, "benchmark", "") or "")),
        icon=wording.band_icon(r.band),
        value=wording.value(est, kind), interval=wording.interval(lo, hi, kind),
        estimate=est, lower=lo, upper=hi, responses=_i(r.responses),
        rank=wording.rank_text(_f(r.rank_lower), _f(r.rank_upper), int(r.rank_n or 0)),
        rank_lower=_f(r.rank_lower), rank_upper=_f(r.rank_upper),
        period=r.period,
        **vars(publisher_words(r, kind)),
        unadjusted=wording.value(_f(getattr(r, "estimate_unadjusted", None)), kind)
        if _f(getattr(r, "estimate_unadjusted", None)) is not None else None,
    )
