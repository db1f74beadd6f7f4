"""Settings that shape published numbers. Recorded on the methods page."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    suppress_below: int = 10      # fewer responses: nothing published (methods.md §6)
    band_below: int = 30          # fewer responses: score and interval, no band
    min_providers_for_tau: int = 15
    rank_draws: int = 1000
    rank_seed: int = 0
    spc_min_points: int = 12
    history_periods: int = 4      # earlier periods given positions (rank intervals); every period has a league page


DEFAULT = Settings()
