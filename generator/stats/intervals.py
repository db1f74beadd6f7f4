"""Confidence intervals (methods.md §1, after PHEindicatormethods / Fingertips).

Every function takes scalars or arrays (broadcast together) and returns
(lower, upper): floats for scalar input, numpy arrays otherwise. NaN inputs give
NaN outputs. Proportions are 0-1; confidence 0.95 means 95%, 0.998 means 99.8%.
"""
from __future__ import annotations

import functools
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
from scipy import stats as st

EXACT_BELOW = 10  # Byar's method from 10 events up; exact chi-square below

Values: TypeAlias = npt.ArrayLike            # a number or an array of numbers
FloatArray: TypeAlias = npt.NDArray[np.float64]
Bounds: TypeAlias = tuple[Any, Any]         # (lower, upper): floats for scalar input, arrays otherwise


def z_value(confidence: float) -> float:
    """Two-sided normal quantile: 0.95 -> 1.959964, 0.998 -> 3.090232."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (0.95 for 95%), got {confidence!r}")
    return _two_sided(float(confidence))


@functools.lru_cache(maxsize=None)
def _two_sided(confidence: float) -> float:
    """z_value, once per confidence level (the pipeline asks for the same few levels thousands of times)."""
    return float(st.norm.ppf(1 - (1 - confidence) / 2))


def broadcast(*values: Values) -> tuple[bool, list[FloatArray]]:
    """(all inputs scalar?, the inputs as float arrays broadcast to one shape)."""
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype="float64") for v in values))
    scalar = all(np.ndim(v) == 0 for v in values)
    return scalar, list(arrays)


def result(scalar: bool, *arrays: Any) -> tuple[Any, ...]:
    """Floats for scalar input, arrays otherwise."""
    return tuple(float(a) for a in arrays) if scalar else tuple(np.asarray(a) for a in arrays)


def require(ok: npt.NDArray[np.bool_], message: str, *values: FloatArray) -> None:
    """Raise when a condition fails where every value involved is known (not NaN)."""
    known = np.logical_and.reduce([~np.isnan(v) for v in values])
    bad = ~ok & known
    if bad.any():
        raise ValueError(message)


def wilson_interval(x: Values, n: Values, confidence: float = 0.95) -> Bounds:
    """Wilson score interval for x successes out of n, no continuity correction."""
    z = z_value(confidence)
    scalar, (x, n) = broadcast(x, n)
    require(n > 0, "wilson_interval: n must be greater than 0", n)
    require((x >= 0) & (x <= n), "wilson_interval: x must be between 0 and n", x, n)
    z2 = z * z
    with np.errstate(invalid="ignore"):
        root = z * np.sqrt(z2 + 4 * x * (1 - x / n))
    centre, denom = 2 * x + z2, 2 * (n + z2)
    lower = np.where(x == 0, 0.0, np.clip((centre - root) / denom, 0, 1))   # exact ends, no rounding error
    upper = np.where(x == n, 1.0, np.clip((centre + root) / denom, 0, 1))
    return result(scalar, lower, upper)


def mean_interval(mean: Values, sd: Values, n: Values, confidence: float = 0.95) -> Bounds:
    """t interval for a mean from its standard deviation and sample size (n >= 2)."""
    scalar, (mean, sd, n) = broadcast(mean, sd, n)
    require(n >= 2, "mean_interval: n must be at least 2", n)
    require(sd >= 0, "mean_interval: sd must not be negative", sd)
    with np.errstate(invalid="ignore"):
        t = st.t.ppf(1 - (1 - confidence) / 2, n - 1)
        half = t * sd / np.sqrt(n)
    return result(scalar, mean - half, mean + half)


def mean_interval_se(mean: Values, se: Values, confidence: float = 0.95) -> Bounds:
    """Normal interval for a score whose standard error is given (survey section scores)."""
    z = z_value(confidence)
    scalar, (mean, se) = broadcast(mean, se)
    require(se >= 0, "mean_interval_se: se must not be negative", se)
    return result(scalar, mean - z * se, mean + z * se)


def exact_poisson_interval(observed: Values, confidence: float = 0.95) -> Bounds:
    """Exact (chi-square) interval for a Poisson count; the lower limit of 0 events is 0."""
    alpha = 1 - confidence
    scalar, (o,) = broadcast(observed)
    require(o >= 0, "exact_poisson_interval: observed must not be negative", o)
    with np.errstate(invalid="ignore"):
        lower = np.where(o > 0, st.chi2.ppf(alpha / 2, 2 * np.where(o > 0, o, 1)) / 2, 0.0)
        upper = st.chi2.ppf(1 - alpha / 2, 2 * (o + 1)) / 2
    lower = np.where(np.isnan(o), np.nan, lower)
    return result(scalar, lower, upper)


def byar_formula(observed: Values, confidence: float = 0.95) -> Bounds:
    """Byar's approximation alone, for any count (PHEindicatormethods byars_lower/upper).

    The lower limit is negative for very small counts at high confidence; callers
    wanting a usable interval should call byar_interval, which switches to exact.
    """
    z = z_value(confidence)
    scalar, (o,) = broadcast(observed)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
        upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
    return result(scalar, lower, upper)


def byar_interval(observed: Values, confidence: float = 0.95) -> Bounds:
    """Interval for a count: Byar's method, exact chi-square when fewer than 10 events."""
    scalar, (o,) = broadcast(observed)
    require(o >= 0, "byar_interval: observed must not be negative", o)
    bl, bu = byar_formula(o, confidence)
    el, eu = exact_poisson_interval(o, confidence)
    small = o < EXACT_BELOW
    return result(scalar, np.where(small, el, bl), np.where(small, eu, bu))


def ratio_interval(observed: Values, expected: Values, confidence: float = 0.95) -> Bounds:
    """Interval for an indirectly standardised ratio O/E (Byar's, exact for O < 10)."""
    scalar, (o, e) = broadcast(observed, expected)
    require(e > 0, "ratio_interval: expected must be greater than 0", e)
    lower, upper = byar_interval(o, confidence)
    return result(scalar, lower / e, upper / e)
