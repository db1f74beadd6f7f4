"""What compute hands on: Results, built once and complete (frames' columns in columns.py)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from generator.data.dataset import Dataset


@dataclass(frozen=True, eq=False)
class Comparison:
    """The providers compared: what commissioning (commission.py) is computed from."""
    scores: pd.DataFrame          # group 'all': one row per provider, measure, period
    breakdowns: pd.DataFrame      # other groups, with the gap to the provider's overall figure
    trends: pd.DataFrame          # SPC rows per provider and measure (monthly series)
    peers: pd.DataFrame           # per measure, period, peer type: target, tau2, mode
    funnels: pd.DataFrame         # funnel limit curves per measure, period, peer type
    latest: dict[str, str]        # measure -> latest period
    periods: dict[str, list[str]] # measure -> periods, newest first
    dataset: Dataset = field(repr=False)


@dataclass(frozen=True, eq=False)
class Commissioning:
    """What commissioners need, computed from a Comparison (commission.py)."""
    flags: pd.DataFrame           # red flags raised
    good_practice: pd.DataFrame   # good-practice candidates
    triangulation: pd.DataFrame   # provider x source verdicts
    evidence: pd.DataFrame        # case-study before/after figures


@dataclass(frozen=True, eq=False)
class Results(Comparison):
    """The only source of every figure the site and the downloads publish: the comparison and commissioning."""
    flags: pd.DataFrame
    good_practice: pd.DataFrame
    triangulation: pd.DataFrame
    evidence: pd.DataFrame

    @classmethod
    def of(cls, comparison: Comparison, commissioning: Commissioning) -> Results:
        return cls(**vars(comparison), **vars(commissioning))
