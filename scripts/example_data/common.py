"""Shared constants and helpers of the fictional example data (scripts/make_example_data.py)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

SEED = 20241
ROOT = Path(__file__).resolve().parents[2]
STANDARD = ROOT / "generator" / "standard"
MONTHS = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]
QUARTERS = [f"{y}-Q{q}" for y in (2023, 2024) for q in range(1, 5)]
YEARS = ["2022", "2023", "2024"]
LICENSES = [{"name": "CC0-1.0", "title": "Creative Commons Zero (fictional example data)"}]
PACKAGES = ("example-reference", "example-fft", "example-survey", "example-complaints",
            "example-staff", "example-case-studies")


def period_end(period: str) -> str:
    """Last day of a month, quarter or year period, as YYYY-MM-DD (for closure checks)."""
    year = period[:4]
    if len(period) == 4:
        return f"{year}-12-31"
    month = int(period[-1]) * 3 if "Q" in period else int(period[5:])
    last = {2: 29 if int(year) % 4 == 0 else 28, 4: 30, 6: 30, 9: 30, 11: 30}.get(month, 31)
    return f"{year}-{month:02d}-{last:02d}"


def open_in(provider: dict, period: str) -> bool:
    """True when the whole period falls before the provider's closing date."""
    return not provider["closed"] or period_end(period) <= provider["closed"]


def schema(resource: str) -> dict:
    return json.loads((STANDARD / f"{resource}.json").read_text(encoding="utf-8"))


def csv_text(fields: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow(["" if row.get(f) is None else row[f] for f in fields])
    return buf.getvalue()


def sort_rows(resource: str, rows: list[dict]) -> list[dict]:
    key = schema(resource)["primaryKey"]
    return sorted(rows, key=lambda r: tuple(str(r[k]) for k in key))
