"""Periods of official files as the standard's YYYY-MM or YYYY."""
from __future__ import annotations

import calendar
import re

MONTHS = {name.upper(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.upper(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS["SEPT"] = 9
FIRST_FY_MONTH = 4  # the NHS financial year runs April to March


def parse_month_period(year, month) -> str | None:
    """YYYY-MM from a year ('2024', or a financial year '2024-25', '2024_25', '2024/2025')
    and a month name ('AUGUST', 'Aug') or number. In a financial year April to December
    fall in the first calendar year, January to March in the second."""
    m = _month(str(month))
    y = str(year).strip()
    if m is None:
        return None
    if re.fullmatch(r"\d{4}", y):
        return f"{y}-{m:02d}"
    fy = re.fullmatch(r"(\d{4})\s*[-_/]\s*(\d{2}|\d{4})", y)
    if not fy:
        return None
    first, second = int(fy.group(1)), fy.group(2)
    if int(second) % 100 != (first + 1) % 100:
        return None
    return f"{first if m >= FIRST_FY_MONTH else first + 1}-{m:02d}"


def _month(text: str) -> int | None:
    t = text.strip().upper()
    if re.fullmatch(r"\d{1,2}", t):
        return int(t) if 1 <= int(t) <= 12 else None
    word = re.match(r"[A-Z]+", t)
    return MONTHS.get(word.group(0)) if word else None


def year_of_us_date(text: str) -> str | None:
    """YYYY from a US date M/D/YYYY (as in CMS files) or an ISO date."""
    t = text.strip()
    m = re.fullmatch(r"\d{1,2}/\d{1,2}/(\d{4})", t) or re.fullmatch(r"(\d{4})-\d{2}-\d{2}", t)
    return m.group(1) if m else None


def iso_of_us_date(text: str) -> str | None:
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text.strip())
    return f"{m.group(3)}-{int(m.group(1)):02d}-{int(m.group(2)):02d}" if m else None


def iso_of_ods_date(text: str) -> str | None:
    """YYYY-MM-DD from ODS's YYYYMMDD; None if not a real date."""
    t = text.strip()
    if not re.fullmatch(r"\d{8}", t):
        return None
    y, mo, d = int(t[:4]), int(t[4:6]), int(t[6:])
    if not (1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1]):
        return None
    return f"{t[:4]}-{t[4:6]}-{t[6:]}"
