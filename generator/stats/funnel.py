"""Funnel plot limits (methods.md §2): exact limits and overdispersion-adjusted limits.

All functions take scalars or arrays and return (lower, upper) on the measure's
own scale: proportions 0-1, ratios O/E, mean scores in score points.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats as st

from generator.stats.intervals import Bounds, Values, broadcast, require, result, z_value
from generator.stats.ratio import ratio_funnel_limits


def proportion_funnel_limits(target: Values, n: Values, confidence: float = 0.95, clamp: bool = True) -> Bounds:
    """PHE funnel limits for a proportion around the target p = sum(x) / sum(n).

    The limit at denominator n is the observed proportion whose Wilson interval
    at this confidence just touches the target. Solving the Wilson bound for the
    observed count gives exactly p +/- z * sqrt(p (1 - p) / n) (the score test),
    which reproduces PHEindicatormethods' table. Limits are clamped to [0, 1] for
    drawing; pass clamp=False to classify points against the limits.
    """
    z = z_value(confidence)
    scalar, (p, n) = broadcast(target, n)
    require((p >= 0) & (p <= 1), "proportion_funnel_limits: target must be between 0 and 1", p)
    require(n > 0, "proportion_funnel_limits: n must be greater than 0", n)
    half = z * np.sqrt(p * (1 - p) / n)
    lower, upper = p - half, p + half
    if clamp:
        lower, upper = np.clip(lower, 0, 1), np.clip(upper, 0, 1)
    return result(scalar, lower, upper)


def poisson_funnel_limits(expected: Values, confidence: float = 0.95) -> Bounds:
    """Exact Poisson limits for a standardised ratio O/E at expected count E (target 1).

    lower = qchisq(alpha/2, 2E) / 2E, upper = qchisq(1 - alpha/2, 2(E + 1)) / 2E,
    as FunnelPlotR. Multiply by the target ratio when it is not 1. Not what the site
    draws: it disagrees with PHE's exact test on 13 of its 300 labels (ratio_test_limits).
    """
    alpha = 1 - confidence
    scalar, (e,) = broadcast(expected)
    require(e > 0, "poisson_funnel_limits: expected must be greater than 0", e)
    lower = st.chi2.ppf(alpha / 2, 2 * e) / (2 * e)
    upper = st.chi2.ppf(1 - alpha / 2, 2 * (e + 1)) / (2 * e)
    return result(scalar, lower, upper)


def ratio_test_limits(expected: Values, confidence: float = 0.95) -> Bounds:
    """Ratio funnel limits that agree with the exact Poisson interval of O (PHEindicatormethods).

    At expected count E, the lower limit is O/E for the O whose exact upper limit
    equals E, and the upper limit O/E for the O whose exact lower limit equals E,
    so a provider is outside exactly when its exact interval excludes E (the rule
    behind PHE's ratio significance labels). poisson_funnel_limits (FunnelPlotR's
    formula, methods.md) is narrower below and wider above for small E: by half at
    E = 5, 8% at E = 20, under 1% from E = 140. The site draws these limits
    (stats.ratio.ratio_funnel_limits, which also allows for overdispersion).
    """
    return ratio_funnel_limits(expected, 1.0, 0.0, confidence)


def funnel_position(value: Values, lower95: Values, upper95: Values, lower998: Values, upper998: Values) -> Any:
    """Where a point sits against funnel limits: 'high-998', 'high-95', 'within',
    'low-95', 'low-998', or '' when anything is missing. A point on a limit counts
    as outside (methods.md §2), so give unclamped limits for proportions."""
    v, l95, u95, l998, u998 = (np.asarray(a, dtype="float64") for a in (value, lower95, upper95, lower998, upper998))
    missing = np.isnan(v) | np.isnan(l95) | np.isnan(u95) | np.isnan(l998) | np.isnan(u998)
    out = np.select([missing, v >= u998, v >= u95, v <= l998, v <= l95],
                    ["", "high-998", "high-95", "low-998", "low-95"], "within")
    return str(out) if out.ndim == 0 else out.astype(object)


def adjusted_proportion_limits(target: Values, n: Values, tau2: float, confidence: float = 0.95) -> Bounds:
    """Overdispersion-adjusted limits for proportions, built on the asin(sqrt(p)) scale
    and transformed back with sin(.)^2 (not left on the root scale, FunnelPlotR #33)."""
    z = z_value(confidence)
    scalar, (p, n) = broadcast(target, n)
    centre = np.arcsin(np.sqrt(p))
    half = z * np.sqrt(1 / (4 * n) + tau2)
    lower = np.sin(np.clip(centre - half, 0, np.pi / 2)) ** 2
    upper = np.sin(np.clip(centre + half, 0, np.pi / 2)) ** 2
    return result(scalar, lower, upper)


def adjusted_ratio_limits(expected: Values, tau2: float, confidence: float = 0.95, target: float = 1.0) -> Bounds:
    """Overdispersion-adjusted limits for ratios, built on the log(O/E) scale (s = 1/sqrt(E)).

    The normal approximation (FunnelPlotR's SHMI method). The site draws the exact
    Poisson-lognormal limits instead (stats.ratio.ratio_funnel_limits), which approach
    these as E grows."""
    z = z_value(confidence)
    scalar, (e,) = broadcast(expected)
    half = z * np.sqrt(1 / e + tau2)
    return result(scalar, target * np.exp(-half), target * np.exp(half))


def adjusted_mean_limits(target: Values, se: Values, tau2: float, confidence: float = 0.95) -> Bounds:
    """Overdispersion-adjusted limits for mean scores with standard error se."""
    z = z_value(confidence)
    scalar, (m, se) = broadcast(target, se)
    half = z * np.sqrt(se ** 2 + tau2)
    return result(scalar, m - half, m + half)
