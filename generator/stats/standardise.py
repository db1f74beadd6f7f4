"""Direct standardisation to a national case mix, with capped weights. Pure."""
from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

WEIGHT_CAP = 5.0  # as CQC's patient survey standardisation: no respondent counts more than 5 times


def direct_standardise(rates: npt.ArrayLike, standard_weights: npt.ArrayLike, counts: npt.ArrayLike,
                       cap: float | None = WEIGHT_CAP) -> Any:
    """Rate standardised to the national mix of strata (age, sex, route of admission ...).

    rates: the provider's rate (or mean score) in each stratum, last axis = strata;
    standard_weights: the national share (or count) of each stratum;
    counts: the provider's responses in each stratum.

    Each respondent in stratum s gets the weight
        w_s = (national share of s) / (provider's share of s),
    capped at `cap`, so a stratum the provider barely reaches cannot dominate.
    The result is sum(counts * w * rates) / sum(counts * w). Uncapped, this is
    plain direct standardisation, sum(share * rate) over the strata the provider
    has; strata with no responses (or a missing rate) drop out and the shares of
    the others are renormalised. cap=None or inf turns the cap off. Returns a
    float (1-D input) or an array over the leading axes; NaN with no responses.
    """
    r = np.asarray(rates, dtype="float64")
    share = np.asarray(standard_weights, dtype="float64")
    n = np.asarray(counts, dtype="float64")
    r, share, n = np.broadcast_arrays(r, share, n)
    if (share < 0).any() or (n < 0).any():
        raise ValueError("direct_standardise: weights and counts must not be negative")
    if cap is not None and cap <= 0:
        raise ValueError("direct_standardise: cap must be positive")
    use = (n > 0) & np.isfinite(r) & (share > 0)
    n = np.where(use, n, 0.0)
    share = np.where(use, share, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = share / share.sum(axis=-1, keepdims=True)
        local = n / n.sum(axis=-1, keepdims=True)
        w = np.where(use, share / local, 0.0)
        if cap is not None:
            w = np.minimum(w, cap)
        result = (n * w * np.where(use, r, 0.0)).sum(axis=-1) / (n * w).sum(axis=-1)
    return float(result) if np.ndim(result) == 0 else result
