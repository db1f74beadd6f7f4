"""Exact Poisson comparison of ratios O/E (methods.md §2; PHEindicatormethods' ratio funnels).

A provider with O observed and E expected events is compared with the null count
mu = target x E. Without overdispersion O ~ Poisson(mu): a provider is above the 95%
limit exactly when its exact Poisson interval lies above mu, which is PHE's rule.
With overdispersion tau2 (estimated on the log(O/E) scale, as FunnelPlotR's SHMI
method does) the null is Poisson-lognormal: O ~ Poisson(mu e^u), u ~ N(0, tau2),
the same additive log-scale random effect the adjusted limits use, but with the
Poisson part kept exact instead of normal. The mixture is integrated by
Gauss-Hermite quadrature (_upper_tail); tau2 = 0 gives the plain exact test.

ratio_z turns the one-sided tail probability into the normal score with the same
tail (z = isf(P(X >= O)) above, ppf(P(X <= O)) below), so the public bands, which
cut z at 1.644854, 1.959964 and 3.090232, are exact tests at 90%, 95% and 99.8%,
and ratio_funnel_limits draws the very limits the bands use.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
from scipy import special
from scipy import stats as st

from generator.stats.intervals import Bounds, FloatArray, Values, broadcast, require, result

NODES = 40                                  # Gauss-Hermite nodes for the lognormal mixture
ITERATIONS = 200                            # at most; a funnel limit converges in a few dozen
_X, _W = np.polynomial.hermite.hermgauss(NODES)
_Z, _W = np.sqrt(2) * _X, _W / np.sqrt(np.pi)   # standard normal nodes and weights: E[f(Z)] = sum(w f(z))
_P = special.ndtr(_Z)                           # the same nodes as probabilities


def _upper_tail(o: Values, mu: Values, tau2: float) -> FloatArray:
    """P(X >= o) for X ~ Poisson(mu e^u), u ~ N(0, tau2); o may be a real number (the drawn funnel).

    P(X >= o) = P(G <= mu e^u) with G ~ Gamma(o). Two exact ways to write it as one
    integral over a normal score: over u, E_u[gammainc(o, mu e^u)], smooth in u while
    the Poisson spread 1/sqrt(o) is at least tau; or over G, E_G[Phi((log mu - log G) / tau)],
    smooth while tau is at least that spread. Each point uses the smooth one.
    """
    o, mu = np.broadcast_arrays(np.asarray(o, dtype="float64"), np.asarray(mu, dtype="float64"))
    if tau2 <= 0:
        return np.where(o > 0, special.gammainc(np.maximum(o, 1e-300), mu), 1.0)
    tau = np.sqrt(tau2)
    out = np.ones(o.shape)
    narrow = (o > 0) & (tau * np.sqrt(o) < 1)           # Poisson spread >= tau: integrate over u
    wide = (o > 0) & ~narrow
    if narrow.any():
        out[narrow] = special.gammainc(o[narrow][:, None], mu[narrow][:, None] * np.exp(tau * _Z)) @ _W
    if wide.any():
        g = special.gammaincinv(o[wide][:, None], _P)
        out[wide] = special.ndtr((np.log(mu[wide])[:, None] - np.log(g)) / tau) @ _W
    return out


def _lower_tail(o: Values, mu: Values, tau2: float) -> FloatArray:
    """P(X <= o) = 1 - P(X >= o + 1)."""
    return 1 - _upper_tail(np.asarray(o, dtype="float64") + 1, mu, tau2)


def ratio_tails(observed: Values, expected: Values, target: float = 1.0, tau2: float = 0.0) -> Bounds:
    """(P(X >= O), P(X <= O)) under the null count target x E (Poisson-lognormal when tau2 > 0)."""
    scalar, (o, e) = broadcast(observed, expected)
    require(e > 0, "ratio_tails: expected must be greater than 0", e)
    require(o >= 0, "ratio_tails: observed must not be negative", o)
    mu = target * e
    return result(scalar, _upper_tail(o, mu, tau2), _lower_tail(o, mu, tau2))


Z_MAX = 38.0  # the normal score of the smallest tail probability a double holds (about 1e-316)


def ratio_z(observed: Values, expected: Values, target: float = 1.0, tau2: float = 0.0) -> Any:
    """Signed normal score of the exact (tau2 = 0) or Poisson-lognormal tail probability.

    Positive when O is high: z = isf(P(X >= O)); negative when O is low:
    z = ppf(P(X <= O)); 0 when neither tail is below one half. NaN in, NaN out.
    """
    o = np.asarray(observed, dtype="float64")
    e = np.asarray(expected, dtype="float64")
    o, e = np.broadcast_arrays(o, e)
    ok = np.isfinite(o) & np.isfinite(e) & (e > 0)
    z = np.full(o.shape, np.nan)
    if ok.any():
        up, low = ratio_tails(o[ok], e[ok], target, tau2)
        up, low = np.atleast_1d(up), np.atleast_1d(low)
        z[ok] = np.where(up < 0.5, st.norm.isf(up), np.where(low < 0.5, st.norm.ppf(low), 0.0))
    z = np.clip(z, -Z_MAX, Z_MAX)  # a tail too small for a double is an extreme, finite score (NaN stays NaN)
    return float(z) if z.ndim == 0 else z


def _solve(tail: Callable[[FloatArray], FloatArray], goal: float, mu: FloatArray, hi: FloatArray,
           rising: bool) -> FloatArray:
    """The real count o in [0, hi] where tail(o) = goal (tail monotone in o), by the Illinois
    method: regula falsi that halves the value at an end kept twice, so it cannot stall."""
    sign = 1.0 if rising else -1.0
    lo = np.zeros_like(mu)
    f_lo, f_hi = sign * (tail(lo) - goal), sign * (tail(hi) - goal)   # f_lo <= 0 <= f_hi
    last = np.zeros(mu.shape)                                         # end replaced last: -1 lo, +1 hi
    x = (lo + hi) / 2
    for _ in range(ITERATIONS):
        with np.errstate(invalid="ignore", divide="ignore"):
            x = np.clip(np.where(f_hi > f_lo, (lo * f_hi - hi * f_lo) / (f_hi - f_lo), (lo + hi) / 2), lo, hi)
        f = sign * (tail(x) - goal)
        below = f < 0
        f_hi = np.where(below & (last == -1), f_hi / 2, f_hi)
        f_lo = np.where(~below & (last == 1), f_lo / 2, f_lo)
        lo, f_lo = np.where(below, x, lo), np.where(below, f, f_lo)
        hi, f_hi = np.where(below, hi, x), np.where(below, f_hi, f)
        last = np.where(below, -1.0, 1.0)
        if np.all((hi - lo <= 1e-10 * (1 + hi)) | (np.abs(f) <= 1e-15)):
            break
    return x


def ratio_funnel_limits(expected: Values, target: float = 1.0, tau2: float = 0.0, confidence: float = 0.95) -> Bounds:
    """Funnel limits for O/E at expected count E that agree with ratio_z's bands.

    The upper limit is o/E for the real count o with P(X >= o) = alpha/2, the lower
    limit o/E for o with P(X <= o) = alpha/2 (0 where even O = 0 is not that rare).
    With tau2 = 0 and target 1 these are PHEindicatormethods' exact ratio limits.
    """
    alpha = 1 - confidence
    scalar, (e,) = broadcast(expected)
    require(e > 0, "ratio_funnel_limits: expected must be greater than 0", e)
    mu = target * e
    hi = mu * np.exp(8 * np.sqrt(max(tau2, 0.0))) * 2 + 10 * np.sqrt(mu) + 20
    upper = _solve(lambda o: _upper_tail(o, mu, tau2), alpha / 2, mu, hi, rising=False)
    lower = _solve(lambda o: _lower_tail(o, mu, tau2), alpha / 2, mu, hi, rising=True)
    lower = np.where(_lower_tail(np.zeros_like(mu), mu, tau2) < alpha / 2, lower, 0.0)
    return result(scalar, lower / e, upper / e)
