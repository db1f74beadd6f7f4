"""Statistics for the compare stage: one import for every method in methods.md.

Pure functions (numpy, scipy, pandas; no I/O). Proportions are 0-1, confidence
0.95 means 95% and 0.998 means 99.8%, intervals are (lower, upper). The work is
done in sibling modules, re-exported here:

- intervals: Wilson, t, normal, Byar's and exact Poisson intervals (§1)
- funnel: PHE proportion and exact Poisson funnel limits, adjusted limits (§2)
- ratio: exact (Poisson-lognormal with overdispersion) z and funnel limits for ratios (§2)
- overdispersion: comparison scales and overdispersion-adjusted z (§2)
- bands: public bands and Fingertips-style comparisons (§3)
- ranks: rank intervals (§4)
- spc: Making Data Count XmR charts (§5)
- disclosure: primary and secondary suppression (§6)
- standardise: direct standardisation with capped weights
"""
from __future__ import annotations

from generator.stats.bands import (BAND_LABELS, BANDS, BETTER_ANY, BETTER_CLEAR, NOT_COMPARED, WORSE_ANY, WORSE_CLEAR,
                                   Z_BETTER, Z_MUCH, Z_SOMEWHAT, against, band, band_label, fingertips_compare)
from generator.stats.disclosure import suppress_counts
from generator.stats.funnel import (adjusted_mean_limits, adjusted_proportion_limits, adjusted_ratio_limits,
                           funnel_position, poisson_funnel_limits, proportion_funnel_limits, ratio_test_limits)
from generator.stats.intervals import (byar_formula, byar_interval, exact_poisson_interval, mean_interval,
                              mean_interval_se, ratio_interval, wilson_interval, z_value)
from generator.stats.overdispersion import (MIN_PROVIDERS, mean_scale, overdispersion_z, proportion_scale,
                                   proportion_target, ratio_scale)
from generator.stats.ranks import RankIntervals, rank_intervals
from generator.stats.ratio import ratio_funnel_limits, ratio_tails, ratio_z
from generator.stats.spc import spc
from generator.stats.standardise import direct_standardise

__all__ = [
    "BAND_LABELS", "BANDS", "BETTER_ANY", "BETTER_CLEAR", "MIN_PROVIDERS", "NOT_COMPARED", "RankIntervals",
    "WORSE_ANY", "WORSE_CLEAR",
    "Z_BETTER", "Z_MUCH", "Z_SOMEWHAT", "against",
    "adjusted_mean_limits", "adjusted_proportion_limits", "adjusted_ratio_limits", "band",
    "band_label", "byar_formula", "byar_interval", "direct_standardise", "exact_poisson_interval",
    "fingertips_compare", "funnel_position", "mean_interval", "mean_interval_se", "mean_scale",
    "overdispersion_z", "poisson_funnel_limits", "proportion_funnel_limits", "proportion_scale",
    "proportion_target", "rank_intervals", "ratio_funnel_limits", "ratio_interval", "ratio_tails", "ratio_z", "ratio_scale", "ratio_test_limits", "spc",
    "suppress_counts", "wilson_interval", "z_value",
]
