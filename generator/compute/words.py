"""The words compute writes itself, in the red flags' evidence sentences (published in flags.csv) and the
case studies' disagreement line. views/wording.py re-exports them: pages use the same words."""
from __future__ import annotations

import math

from generator.stats.spc import RUN

SOURCES = {"fft": "Friends and Family Test", "survey": "National patient survey",
           "complaints": "Complaints", "staff": "Staff survey"}

SPC_RULES = {  # the Making Data Count rule that marked a point, for a change for the worse
    "astronomical": "a month outside the range chance would explain",
    "trend": f"{RUN} months in a row getting worse",
    "shift": f"{RUN} months in a row on the worse side of the average",
    "two-in-three": "2 of 3 months close to the worse limit",
}


def value(v: float, kind: str) -> str:
    """A figure as shown on every page and in every download's display column."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if kind == "proportion":
        return f"{v * 100:.1f}%"
    if kind == "mean":
        return f"{v:.2f}"
    return f"{v:.2f}"
