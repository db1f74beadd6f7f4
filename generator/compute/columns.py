"""The columns each frame of Results holds when compute ends: the one list views and site may rely on.

compare() checks them (check()): the comparison's frames before commissioning reads them, then all of
Results before it is handed on. A column a later stage reads cannot go missing unnoticed: the error names
the frame and the column. Extra columns may be present.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from generator.compute.results import Comparison

KEYS = ("provider", "measure", "period")
FIGURES = ("responses", "numerator", "mean", "se", "sd", "observed", "expected")  # as the data standard
ESTIMATES = ("estimate", "lower95", "upper95", "lower998", "upper998")            # transform.add_estimates
MEASURE = ("kind", "higher_is_better", "peer")                                   # compare._base

COLUMNS: dict[str, tuple[str, ...]] = {
    # group 'all': one row per provider, measure and period. suppressed: withheld or hidden (suppress.py),
    # below_min_sample: fewer responses than the measure's min_sample, so band 'too-few' and no rank
    # (compare.below_minimum). caution, notes: the publisher's notes that apply (notes.attach).
    # then no figure, band 'suppressed'. adjusted: case-mix standardised (casemix.py).
    "scores": (*KEYS, "group", *FIGURES, *MEASURE, "adjusted", *ESTIMATES,
               "z", "z_adj", "band", "rank_lower", "rank_upper", "rank_n", "target", "suppressed",
               "min_sample", "below_min_sample", "caution", "notes",
               "benchmark"),  # the label of the published benchmark the row is judged against ('' : its peers' figure)
    # other groups, with the gap to the provider's overall figure (transform.group_gaps). suppressed: a cell
    # hidden by primary or secondary suppression (suppress.py); comparison 'suppressed' there too.
    "breakdowns": (*KEYS, "group", *FIGURES, *MEASURE, "adjusted", *ESTIMATES, "overall", "dimension", "label",
                   "seldom_heard", "gap", "gap_lower95", "gap_upper95", "comparison", "suppressed"),
    # one row per published monthly point (trends.monthly_spc)
    "trends": (*KEYS, "value", "mean", "upper", "lower", "point_type", "rule", "trial"),
    # per measure, period and peer type (compare._compare_group). target: the published benchmark when there is
    # one (benchmark: its label, else ''), else the providers' pooled figure
    "peers": ("measure", "period", "peer", "kind", "target", "n_providers", "tau2", "phi", "mode", "benchmark"),
    # funnel limit curves (transform.funnel_curves)
    "funnels": ("measure", "period", "peer", "confidence", "size", "lower", "upper", "lower_adj", "upper_adj"),
    # red flags raised (flags.raise_flags); measure and period empty for a flag across sources
    "flags": ("provider", "rule", "measure", "period", "evidence"),
    # good-practice candidates (flags.good_practice)
    "good_practice": ("provider", "measure", "reason"),
    # provider x source verdicts (evidence.triangulate)
    "triangulation": ("provider", "source", "verdict", "measures"),
    # case-study before/after figures (commission.case_evidence); empty when there are no case studies
    "evidence": ("case_study", "provider", "measure", "kind", "intervention", "verdict",
                 *(f"{part}_{k}" for part in ("before", "after")
                   for k in ("estimate", "lower", "upper", "responses", "periods", "se")),
                 "change_difference", "change_lower", "change_upper"),
}
OPTIONAL = {
    "scores": ("estimate_unadjusted",),   # the crude figure, only when some figure is case-mix adjusted
}


class MissingColumns(ValueError):
    """A frame lacks columns its contract lists: a bug in the stage that made it, not in the data."""


def check(frames: dict[str, pd.DataFrame] | Comparison, stage: str = "compute") -> None:
    """Raise MissingColumns naming every frame and column that is missing. frames: a dict of frames by
    name, or an object (Comparison, Results) with them as attributes."""
    if not isinstance(frames, dict):
        frames = {name: getattr(frames, name) for name in COLUMNS if hasattr(frames, name)}
    missing = [f"{name}.{c}" for name, frame in frames.items() for c in COLUMNS[name] if c not in frame.columns]
    if missing:
        raise MissingColumns(f"{stage} ended without column(s) {', '.join(missing)} "
                             f"(listed in generator/compute/columns.py)")
