"""NHS Organisation Data Service reference files: etr.csv (NHS trusts) and
epraccur.csv (GP practices). No header row, 27 columns; no scores.

Providers come with their commissioner code (etr column 4, the ICB; epraccur
column 15, the CCG then), region (column 3, named from NHS England's region
codes), town, postcode, opening and closing dates. epraccur is filtered to
prescribing setting 4 (GP practice); closed and dormant practices are kept with
their dates. The files carry no commissioner names: commissioners are listed with
their code as name and are never overwritten if the package already has them.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from generator.problems import WARNING, Problem
from generator.importers.fft import OGL
from generator.importers.merge import Batch
from generator.importers.periods import iso_of_ods_date
from generator.importers.tabular import read_csv_text

CODE = re.compile(r"^[A-Z0-9]{3,12}$")
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
WIDTH = 27
GP_PRACTICE_SETTING = "4"
REGIONS = {  # NHS England region codes (national grouping); Y54, Y55, Y57 are the regions of 2013-2018
    "Y54": "North of England", "Y55": "Midlands and East of England", "Y56": "London", "Y57": "South of England",
    "Y58": "South West", "Y59": "South East", "Y60": "Midlands", "Y61": "East of England", "Y62": "North West",
    "Y63": "North East and Yorkshire", "W00": "Wales",
}
KINDS = {
    # fmt: (dataset, provider type, commissioner column, town columns, title)
    "ods-trusts": ("ods-etr", "nhs-trust", (3,), (7, 6), "NHS trusts (ODS etr)"),
    "ods-practices": ("ods-epraccur", "gp-practice", (14, 23), (6, 7), "GP practices (ODS epraccur)"),
}


def reader(fmt: str):
    return lambda path: read(path, fmt)


def read(path: Path, fmt: str) -> tuple[Batch | None, dict, list[Problem]]:
    dataset, kind, comm_cols, town_cols, title = KINDS[fmt]
    where = dict(file=path.name)
    summary = {"rows_read": 0, "suppressed_cells": 0, "skipped_rows": Counter(), "closed": 0}
    rows = [r for r in read_csv_text(path) if any(r)]
    if not rows or len(rows[0]) != WIDTH or not CODE.match(rows[0][0].upper()):
        return None, summary, [Problem("import-header", f"not an ODS {title} file: expected {WIDTH} columns and no "
                                       "header row, starting with an organisation code", row=1, **where)]
    looks = layout(rows)
    if looks is not None and looks[0] != fmt:
        return None, summary, [Problem("import-wrong-file", f"this is not an ODS {title} file: {looks[1]}; "
                                       f"use import {looks[0]}", row=1, **where)]
    problems, providers, commissioners, dates = [], {}, {}, []
    regions_of: dict[str, Counter] = {}
    for i, r in enumerate(rows, start=1):
        summary["rows_read"] += 1
        r = r + [""] * (WIDTH - len(r))
        if kind == "gp-practice" and r[25] != GP_PRACTICE_SETTING:
            summary["skipped_rows"][f"prescribing setting {r[25] or 'empty'} (not a GP practice)"] += 1
            continue
        code, name = r[0].upper(), r[1]
        commissioner = next((r[j].upper() for j in comm_cols if r[j]), "")
        reason, msg = None, ""
        if not CODE.match(code):
            reason, msg = "bad code", f"organisation code {r[0]!r} is not 3-12 letters and digits"
        elif code in providers:
            reason, msg = "repeated code", f"organisation code {code} appears again; the first row is kept"
        elif not name:
            reason, msg = "no name", f"{code} has no name"
        elif not CODE.match(commissioner):
            reason, msg = "bad commissioner code", f"{code} has commissioner code {commissioner!r}, not 3-12 letters and digits"
        if reason:
            summary["skipped_rows"][reason] += 1
            problems.append(Problem("import-bad-value", msg + "; row skipped", row=i, field="code", severity=WARNING, **where))
            continue
        opened, closed = _date(r[10], i, "opened", where, problems), _date(r[11], i, "closed", where, problems)
        dates += [d for d in (opened, closed) if d]
        summary["closed"] += bool(closed)
        postcode = r[9].upper().strip()
        if postcode and not POSTCODE.match(postcode):
            problems.append(Problem("import-bad-value", f"{code} postcode {r[9]!r} does not look like a UK postcode; left empty",
                                    row=i, field="postcode", severity=WARNING, **where))
            postcode = ""
        region = REGIONS.get(r[2], r[2] or "Unknown")
        providers[code] = {"code": code, "name": name, "type": kind, "commissioner": commissioner, "region": region,
                           "town": next((r[j] for j in town_cols if r[j]), ""), "postcode": postcode,
                           "opened": opened, "closed": closed}
        regions_of.setdefault(commissioner, Counter())[region] += 1
    for code, counts in regions_of.items():
        top = max(counts.values())
        commissioners[code] = {"code": code, "name": code, "region": min(k for k, v in counts.items() if v == top)}
    summary["providers"] = len(providers)
    summary["commissioners"] = len(commissioners)
    batch = Batch(dataset=dataset, title=f"{title}", source_title=f"NHS Organisation Data Service: {title}",
                  publisher="NHS England (Organisation Data Service)", licence=OGL["title"], licenses=[OGL],
                  tables={"providers": list(providers.values()), "commissioners": list(commissioners.values())},
                  as_of=max(dates, default=""), add_only={"commissioners"})
    return batch, summary, problems


def layout(rows: list[list[str]]) -> tuple[str, str] | None:
    """Which ODS file the rows are, told by content: GP practices (epraccur) have a prescribing setting code in
    column 26 and 6-character practice codes; NHS trusts (etr) leave column 26 empty and have 3-character codes."""
    n = len(rows)
    setting = sum(len(r) > 25 and r[25].strip().isdigit() for r in rows)
    practice = sum(len(r[0].strip()) == 6 for r in rows)
    trust = sum(len(r[0].strip()) == 3 and (len(r) <= 25 or not r[25].strip()) for r in rows)
    if setting * 2 > n and practice * 2 > n:
        return "ods-practices", (f"{setting:,} of its {n:,} rows have a prescribing setting code in column 26 and "
                                 f"{practice:,} have 6-character GP practice codes, as in epraccur")
    if trust * 2 > n and not setting:
        return "ods-trusts", (f"{trust:,} of its {n:,} rows have 3-character trust codes and no prescribing setting "
                              f"in column 26, as in etr")
    return None


def _date(text: str, row: int, field: str, where: dict, problems: list) -> str:
    if not text.strip():
        return ""
    iso = iso_of_ods_date(text)
    if iso is None:
        problems.append(Problem("import-bad-value", f"{field} date {text!r} is not a date YYYYMMDD; left empty",
                                row=row, field=field, severity=WARNING, **where))
    return iso or ""
