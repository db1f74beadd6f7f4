"""Overdispersion (random-effects) adjusted z-scores (methods.md §2).

Spiegelhalter (2005, 2012), as used by CQC's "expected range" and FunnelPlotR:
each provider's value y on a scale where its standard error s is known, a target
on that scale, z = (y - target) / s, then z Winsorised at the 10th and 90th
percentiles gives phi; tau2 follows from the DerSimonian-Laird style moment formula.
"""
from __future__ import annotations

import functools
from typing import Any

import numpy as np
import numpy.typing as npt

MIN_PROVIDERS = 15       # fewer providers: tau2 is not estimated
WINSOR = (10, 90)        # percentiles for Winsorising z (numpy linear = R type 7)
HALF_COUNT = 0.5         # stands in for O = 0 on the log scale

MODES = ("adjusted", "unadjusted", "too-few-providers")


def proportion_scale(x: npt.ArrayLike, n: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(y, s) for proportions: y = asin(sqrt(x/n)), s = 1 / (2 sqrt(n))."""
    x, n = np.asarray(x, dtype="float64"), np.asarray(n, dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.arcsin(np.sqrt(x / n)), 1 / (2 * np.sqrt(n))


def proportion_target(x: npt.ArrayLike, n: npt.ArrayLike) -> float:
    """The target on the asin scale: asin(sqrt(sum(x) / sum(n))) over known providers."""
    x, n = np.asarray(x, dtype="float64"), np.asarray(n, dtype="float64")
    ok = np.isfinite(x) & np.isfinite(n) & (n > 0)
    return float(np.arcsin(np.sqrt(x[ok].sum() / n[ok].sum()))) if ok.any() else float("nan")


def ratio_scale(observed: npt.ArrayLike, expected: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(y, s) for ratios: y = log(O/E), s = 1 / sqrt(E).

    O = 0 has no logarithm: it is replaced by half a count (log(0.5/E)), which
    pulls a provider with no events slightly towards the target, so its z is
    conservative. The target on this scale is log(1) = 0, or log(sum O / sum E).
    """
    o, e = np.asarray(observed, dtype="float64"), np.asarray(expected, dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.log(np.where(o == 0, HALF_COUNT, o) / e), 1 / np.sqrt(e)


def mean_scale(mean: npt.ArrayLike, se: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(y, s) for mean scores: the score itself and its standard error."""
    return np.asarray(mean, dtype="float64"), np.asarray(se, dtype="float64")


def winsor_consistency(winsor: tuple[float, float] = WINSOR) -> float:
    """E[z_w^2] for a standard normal z Winsorised at these percentiles (0.6787 at 10/90).

    Dividing the Winsorised phi by it makes phi estimate the variance of z again,
    so tau2 is not biased low by the Winsorising itself (see scripts/calibrate.py).
    """
    return _consistency(float(winsor[0]), float(winsor[1]))


@functools.lru_cache(maxsize=None)
def _consistency(low: float, high: float) -> float:
    """winsor_consistency, once per pair of percentiles (every peer group asks for the same one)."""
    winsor = (low, high)
    from scipy import stats as st
    lo, hi = st.norm.ppf(winsor[0] / 100), st.norm.ppf(winsor[1] / 100)
    inside = (st.norm.cdf(hi) - hi * st.norm.pdf(hi)) - (st.norm.cdf(lo) - lo * st.norm.pdf(lo))
    return float(inside + lo ** 2 * st.norm.cdf(lo) + hi ** 2 * st.norm.sf(hi))


def overdispersion_z(y: npt.ArrayLike, s: npt.ArrayLike, target: float, min_providers: int = MIN_PROVIDERS,
                     winsor: tuple[float, float] | None = WINSOR, consistent: bool = False) -> dict[str, Any]:
    """z-scores with and without the overdispersion adjustment.

    winsor: percentiles at which z is Winsorised before phi is taken (methods.md:
    10th and 90th). None skips Winsorising (the plain DerSimonian-Laird moment
    estimate); scripts/calibrate.py compares the two.
    consistent: divide the Winsorised phi by winsor_consistency(winsor), which keeps
    Winsorising's protection against outliers without biasing tau2 low (a departure
    from methods.md that the site's methods page records; off by default).

    Returns a dict:
      z      (y - target) / s, unadjusted (array, NaN where y or s is missing)
      z_adj  (y - target) / sqrt(s^2 + tau2): the z that bands are drawn from
      tau2   between-provider variance on the y scale (0 unless mode is 'adjusted')
      phi    overdispersion factor: mean of squared Winsorised z (NaN if no provider)
      mode   'adjusted'          tau2 > 0 was estimated and used
             'unadjusted'        enough providers, no overdispersion found (phi*I <= I-1)
             'too-few-providers' fewer than min_providers: tau2 not estimated, z_adj = z
      n_providers  providers with a finite y and a positive s (I)
    """
    y, s = np.broadcast_arrays(np.asarray(y, dtype="float64"), np.asarray(s, dtype="float64"))
    ok = np.isfinite(y) & np.isfinite(s) & (s > 0)
    z = np.full(y.shape, np.nan)
    z[ok] = (y[ok] - target) / s[ok]
    count = int(ok.sum())
    phi = float("nan")
    if count:
        zw = z[ok] if winsor is None else np.clip(z[ok], *np.percentile(z[ok], winsor))
        phi = float(np.mean(zw ** 2))
        if consistent and winsor is not None:
            phi /= winsor_consistency(winsor)
    tau2, mode = 0.0, "too-few-providers"
    if count >= min_providers:
        mode = "unadjusted"
        if count * phi > count - 1:
            w = 1 / s[ok] ** 2
            tau2 = float((count * phi - (count - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))
            mode = "adjusted"
    z_adj = np.full(y.shape, np.nan)
    z_adj[ok] = (y[ok] - target) / np.sqrt(s[ok] ** 2 + tau2)
    return {"z": z, "z_adj": z_adj, "tau2": tau2, "phi": phi, "mode": mode, "n_providers": count}
