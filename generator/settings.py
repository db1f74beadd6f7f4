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
    history_periods: int = 4      # earlier periods given positions (rank intervals); every period has a league page

    def __post_init__(self):
        if self.overdispersion not in OVERDISPERSION:
            raise ValueError(f"overdispersion must be one of {OVERDISPERSION}, got {self.overdispersion!r}")


OVERDISPERSION = ("consistent", "funnelplotr")


DEFAULT = Settings()


@dataclass(frozen=True)
class Limits:
    """Bounds on what validation and imports read, so that hostile input cannot exhaust memory or time.
    Listed on the Problem codes page (LIMIT_TEXT says what each bounds)."""
    problems_per_code: int = 100                 # problems of one code per resource listed; then "and N more like this"
    file_bytes: int = 48 * 1024 * 1024           # one CSV file of a package
    file_cells: int = 5_000_000                  # cells in one CSV file of a package
    descriptor_bytes: int = 1024 * 1024          # datapackage.json
    json_depth: int = 20                         # nesting of datapackage.json
    json_number_digits: int = 50                 # digits of one number in datapackage.json
    header_bytes: int = 64 * 1024                # the header row of a CSV file
    record_bytes: int = 1024 * 1024              # one row of a CSV file
    columns: int = 200                           # cells in one row
    lenient_parse_bytes: int = 64 * 1024 * 1024  # files with irregular quoting are read only up to this size
    import_bytes: int = 200 * 1024 * 1024        # an official file given to import
    xlsx_unzipped_bytes: int = 100 * 1024 * 1024  # an Excel workbook's contents once unzipped
    xlsx_rows: int = 100_000                     # rows a worksheet may declare
    xlsx_columns: int = 200                      # columns a worksheet may declare
    ratio_range: int = 100                       # observed / expected events must lie within 1/100 and 100
    number_max: float = 1e9                      # size of a mean, se, sd or expected count
    spread_min: float = 1e-6                     # smallest standard error or standard deviation accepted


LIMITS = Limits()
LIMIT_TEXT = {
    "problems_per_code": "problems of one code listed per resource of a package (the rest are counted: 'and N more like this')",
    "file_bytes": "bytes in one CSV file of a data package (split larger data into one file per period)",
    "file_cells": "cells (rows times columns) in one CSV file of a data package",
    "descriptor_bytes": "bytes in datapackage.json",
    "json_depth": "levels of nesting in datapackage.json",
    "json_number_digits": "digits in one number in datapackage.json",
    "header_bytes": "bytes in the header row of a CSV file",
    "record_bytes": "bytes in one row of a CSV file",
    "columns": "cells in one row of a CSV file",
    "lenient_parse_bytes": "bytes in a CSV file whose quoting breaks RFC 4180 (larger ones are refused)",
    "import_bytes": "bytes in an official file given to import",
    "xlsx_unzipped_bytes": "bytes an Excel workbook may hold once unzipped (checked before it is read)",
    "xlsx_rows": "rows a worksheet of an Excel workbook may declare (checked before it is read)",
    "xlsx_columns": "columns a worksheet of an Excel workbook may declare (checked before it is read)",
    "ratio_range": "how far observed events may be from expected ones: observed ÷ expected must lie between 1 ÷ this "
                   "and this (0 observed counts as 0.5)",
    "number_max": "size of a mean score, standard error, standard deviation or expected count",
    "spread_min": "smallest standard error or standard deviation accepted (0 or less, or tinier, is refused: it would "
                  "claim a result known exactly)",
}
