"""Bands shown to the public and Fingertips-style comparisons (methods.md §3)."""
from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

# Band edges exactly as printed in methods.md §3 (two-sided 90%, 95%, 99.8% normal quantiles)
Z_SOMEWHAT = 1.644854
Z_BETTER = 1.959964
Z_MUCH = 3.090232

# The band vocabulary, defined here once. band() gives one of BANDS; a provider without a band has one
# of NOT_COMPARED: 'too-few' (too little data to compare) or 'suppressed' (fewer responses than may be shown).
BANDS = ("much-better", "better", "somewhat-better", "about-same",
         "somewhat-worse", "worse", "much-worse")
NOT_COMPARED = ("too-few", "suppressed")
# Named sets. ANY: outside the 90% limits, "somewhat" included (what a chart colours as better or worse).
# CLEAR: outside the 95% limits, beyond chance at the usual level (what red flags, good practice,
# triangulation and commissioners count).
BETTER_ANY = frozenset({"much-better", "better", "somewhat-better"})
WORSE_ANY = frozenset({"much-worse", "worse", "somewhat-worse"})
BETTER_CLEAR = frozenset({"much-better", "better"})
WORSE_CLEAR = frozenset({"much-worse", "worse"})

BAND_LABELS = {  # as published ('suppressed' is worded by views/wording.py: it names the threshold)
    "much-better": "Much better than expected",
    "better": "Better than expected",
    "somewhat-better": "Somewhat better than expected",
    "about-same": "About the same as other providers",
    "somewhat-worse": "Somewhat worse than expected",
    "worse": "Worse than expected",
    "much-worse": "Much worse than expected",
    "too-few": "Too little data to compare",  # too few responses, or for ratios too few expected events
}


def band_label(band: str) -> str:
    """The published label of a band; anything unknown reads as too little data."""
    return BAND_LABELS.get(band, BAND_LABELS["too-few"])


def against(label: str, benchmark: str) -> str:
    """A band's words when results are judged against a published benchmark (its label): 'Better than expected'
    becomes 'Better than the US national average'; other words are kept."""
    if benchmark and label.endswith(" than expected"):
        return label[:-len("expected")] + f"the {benchmark}"
    return label


def _result(out: npt.NDArray[Any]) -> Any:
    return str(out) if out.ndim == 0 else out.astype(object)


def band(z_adj: npt.ArrayLike, higher_is_better: npt.ArrayLike) -> Any:
    """Band id from the adjusted z (scalar -> str, array -> object array of str).

    With higher_is_better False the sign of z is flipped first. Boundaries follow
    methods.md: z > 3.090232 much better; 1.959964 < z <= 3.090232 better;
    1.644854 < z <= 1.959964 somewhat better; |z| <= 1.644854 about the same;
    mirrored for worse (z = -1.959964 is 'somewhat-worse'). NaN z raises
    ValueError: a provider without a z must be given 'too-few' (or hidden) by the caller.
    """
    z = np.asarray(z_adj, dtype="float64")
    if np.isnan(z).any():
        raise ValueError("band: z is missing (NaN); give the provider 'too-few' or leave it out")
    z = np.where(np.asarray(higher_is_better, dtype=bool), z, -z)
    out = np.select(
        [z > Z_MUCH, z > Z_BETTER, z > Z_SOMEWHAT, z >= -Z_SOMEWHAT, z >= -Z_BETTER, z >= -Z_MUCH],
        list(BANDS[:6]), BANDS[6])
    return _result(out)


def fingertips_compare(lower95: npt.ArrayLike, upper95: npt.ArrayLike, lower998: npt.ArrayLike,
                       upper998: npt.ArrayLike, benchmark: npt.ArrayLike, higher_is_better: Any) -> Any:
    """Compare one provider's intervals with a benchmark value, as Fingertips does.

    Benchmark inside the 95% interval (bounds included) -> 'similar'; outside ->
    'better' or 'worse' by polarity; outside the 99.8% interval too ->
    'better-998' / 'worse-998'. higher_is_better may be an array; where it is
    None (a measure with no polarity) the words are 'higher' / 'lower'
    ('higher-998', 'lower-998'). Any missing value gives ''.
    """
    l95, u95, l998, u998, b = np.broadcast_arrays(
        *(np.asarray(a, dtype="float64") for a in (lower95, upper95, lower998, upper998, benchmark)))
    given = np.asarray(higher_is_better)
    if given.dtype == bool:  # every measure has a polarity: no None to look for, one element at a time
        neutral, good = np.zeros(b.shape, dtype=bool), np.broadcast_to(given, b.shape)
    else:
        hib = np.broadcast_to(np.asarray(higher_is_better, dtype=object), b.shape)
        neutral = np.array([h is None for h in hib.ravel()], dtype=bool).reshape(b.shape)
        good = np.array([bool(h) for h in hib.ravel()], dtype=bool).reshape(b.shape)
    missing = np.isnan(l95) | np.isnan(u95) | np.isnan(l998) | np.isnan(u998) | np.isnan(b)
    high = np.where(neutral, HIGHER, np.where(good, BETTER, WORSE))  # a word's place in COMPARISONS; + 1: -998
    low = np.where(neutral, LOWER, np.where(good, WORSE, BETTER))
    at = np.select([missing, b < l998, b < l95, b > u998, b > u95], [0, high + 1, high, low + 1, low], SIMILAR)
    return str(COMPARISONS[int(at)]) if at.ndim == 0 else COMPARISONS[at]


# fingertips_compare's words, by number: each word of a direction followed by its '-998' form
COMPARISONS = np.array(["", "similar", "higher", "higher-998", "lower", "lower-998", "better", "better-998",
                        "worse", "worse-998"], dtype=object)
SIMILAR, HIGHER, LOWER, BETTER, WORSE = 1, 2, 4, 6, 8
