"""Settings that shape published numbers. Recorded on the methods page."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    suppress_below: int = 10      # fewer responses: nothing published (methods.md §6)
    band_below: int = 30          # fewer responses: score and interval, no band
    min_providers_for_tau: int = 15
    # overdispersion: "consistent" divides the Winsorised phi by 0.6787 (its value for normal z);
    # "funnelplotr" is Spiegelhalter (2005) / FunnelPlotR exactly. scripts/calibrate.py compares them.
    overdispersion: str = "consistent"
    rank_draws: int = 1000
    rank_seed: int = 0
    spc_min_points: int = 12
    history_periods: int = 4      # earlier periods offered on league tables

    def __post_init__(self):
        if self.overdispersion not in OVERDISPERSION:
            raise ValueError(f"overdispersion must be one of {OVERDISPERSION}, got {self.overdispersion!r}")


OVERDISPERSION = ("consistent", "funnelplotr")


DEFAULT = Settings()
