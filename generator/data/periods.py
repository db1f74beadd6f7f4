"""Periods of the data standard, parsed in this one place: YYYY (a year), YYYY-Qn (a quarter),
YYYY-MM (a month). Validation (data/domain.py) checks them; compute, views and site read them here.

The importers keep their own parsers (importers/periods.py): they read the official files'
formats (month names, financial years, US and ODS dates) and write these standard periods.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

KINDS = ("month", "quarter", "year")     # kind index: 0 month, 1 quarter, 2 year
MONTH_PATTERN = r"\d{4}-\d{2}"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def is_month(period: str) -> bool:
    """A monthly period (YYYY-MM): monthly measures have an SPC trend; yearly and quarterly ones do not."""
    return len(period) == 7 and period[4] == "-" and period[5:].isdigit()


def months(periods: pd.Series) -> pd.Series:
    """is_month for a column of periods, as a boolean Series."""
    return periods.str.fullmatch(MONTH_PATTERN)


def kind(period: str) -> int:
    """0 month, 1 quarter, 2 year (an index into KINDS)."""
    return 2 if len(period) == 4 else 1 if period[5] == "Q" else 0


def first_month(period: str) -> tuple[int, int]:
    """(year, month) of the first month a period covers."""
    k = kind(period)
    return int(period[:4]), 1 if k == 2 else 3 * int(period[6]) - 2 if k == 1 else int(period[5:7])


def start(period: str) -> pd.Timestamp:
    """The first day of a period."""
    year, month = first_month(period)
    return pd.Timestamp(year, month, 1)


def starts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kind index and first day of each well-formed period, for an array of periods."""
    codes, uniq = pd.factorize(values)
    kinds, days = [], []
    for p in uniq:
        year, month = first_month(p)
        kinds.append(kind(p))
        days.append(np.datetime64(f"{year:04d}-{month:02d}-01", "D"))
    return np.array(kinds, np.int64)[codes], np.array(days, "datetime64[D]")[codes]


def label(period: str) -> str:
    """'March 2025', 'quarter 1 of 2025', '2025'; anything else (e.g. '') as it is."""
    if is_month(period):
        return f"{MONTHS[int(period[5:]) - 1]} {period[:4]}"
    if "-Q" in period:
        return f"quarter {period[-1]} of {period[:4]}"
    return period


def latest_rows(frame: pd.DataFrame, latest: dict[str, str]) -> pd.DataFrame:
    """The rows of each measure's latest period (latest: measure -> period, as Results.latest)."""
    return frame[latest_mask(frame, latest)]


def latest_mask(frame: pd.DataFrame, latest: dict[str, str]) -> pd.Series:
    """True on the rows latest_rows keeps."""
    return frame["period"] == frame["measure"].map(latest)


def recent_rows(frame: pd.DataFrame, periods: dict[str, list[str]], n: int = 1) -> pd.DataFrame:
    """The rows of each measure's latest n periods (periods: measure -> periods, newest first, as
    Results.periods), with a column 'age': 0 in the latest period, 1 in the one before, and so on."""
    order = {(m, p): i for m, ps in periods.items() for i, p in enumerate(ps[:n])}
    age = pd.Series([order.get(k, -1) for k in zip(frame["measure"], frame["period"])], index=frame.index, dtype="int64")
    out = frame.assign(age=age)
    return out[out["age"] >= 0]
