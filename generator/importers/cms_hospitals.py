"""CMS Hospital General Information (Hospital Compare "Hospital General Information.csv"), one row per hospital.

It adds to hospitals a package already holds (import the HCAHPS file first); it never adds a hospital, and
holds no scores. Choices, documented for the methods page:
- provider code: CMS Certification Number, left-padded with zeros to 6 characters, as the HCAHPS importer does.
  Rows about hospitals the package does not hold are left out and counted (providers_not_held).
- Hospital Type becomes the provider's peer group (providers.peer_group, standard 1.4), named in CMS's words
  as a plural noun: "acute care hospitals", "critical access hospitals", "children's hospitals" (CMS:
  "Childrens"); another type is kept as written, in lower case. Hospitals are then compared only with
  hospitals of the same type. An empty type leaves the peer group empty (compared with every hospital).
- Hospital Ownership becomes providers.ownership, as written.
- CMS's own ratings become rows of the ratings resource (standard 1.4), labelled as CMS's: the overall
  hospital star rating (1 to 5, out_of 5) and the patient experience national comparison ("Above the
  national average" ...). "Not Available" becomes an empty value; CMS's footnote, when there is one, is the
  note (it says why). A footnote whose apostrophe the file lost ("hospital?s") gets it back.
- The file has no date: the ratings have no period, and the latest file imported is the package's word on them.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from generator.problems import WARNING, Problem
from generator.importers.merge import Batch
from generator.importers.tabular import find_header, norm, read_csv_text

DATASET = "cms-hospitals"
CODE = re.compile(r"^[A-Z0-9]{3,12}$")
REQUIRED = ["providerid", "hospitalname", "hospitaltype", "hospitalownership", "hospitaloverallrating",
            "patientexperiencenationalcomparison"]
OPTIONAL = ["hospitaloverallratingfootnote", "patientexperiencenationalcomparisonfootnote"]
HEADINGS = {"providerid": "Provider ID", "hospitalname": "Hospital Name", "hospitaltype": "Hospital Type",
            "hospitalownership": "Hospital Ownership", "hospitaloverallrating": "Hospital overall rating",
            "patientexperiencenationalcomparison": "Patient experience national comparison"}
PEER_GROUPS = {"acute care hospitals": "acute care hospitals", "critical access hospitals": "critical access hospitals",
               "childrens": "children's hospitals"}
NOT_AVAILABLE = "not available"
STARS = ("cms-overall-stars", "CMS overall hospital star rating", {"1", "2", "3", "4", "5"})
EXPERIENCE = ("cms-patient-experience", "CMS patient experience compared with the national average",
              {"Above the national average", "Same as the national average", "Below the national average"})
PUBLIC_DOMAIN = {"name": "public-domain",
                 "title": "Public domain (US federal government work, Centers for Medicare & Medicaid Services)"}
LOST_APOSTROPHE = re.compile(r"(?<=[a-z])\?(?=s\b)")


def _note(text: str) -> str:
    return LOST_APOSTROPHE.sub("\u2019", text.strip())


def _rating(which: tuple, value: str, note: str, code: str, row: int, field: str, where: dict,
            problems: list[Problem]) -> dict:
    rid, label, allowed = which
    v = value.strip()
    if v.lower() == NOT_AVAILABLE:
        v = ""
    elif v not in allowed:
        problems.append(Problem("import-bad-value", f"hospital {code}: {field} {value!r} is not one CMS publishes "
                                f"({', '.join(sorted(allowed))} or Not Available); left empty", row=row, field=field,
                                severity=WARNING, **where))
        v = ""
    return {"provider": code, "rating": rid, "measure": "", "period": "", "label": label, "value": v,
            "out_of": "5" if rid == STARS[0] else "", "note": _note(note), "source": DATASET}


def read(path: Path) -> tuple[Batch | None, dict, list[Problem]]:
    where = dict(file=path.name)
    summary: dict = {"rows_read": 0, "skipped_rows": Counter(), "hospital_types": Counter()}
    rows = read_csv_text(path)
    h = find_header(rows, {"providerid"})
    labels = [norm(c) for c in rows[h]] if h is not None else []
    missing = [n for n in REQUIRED if n not in labels]
    if h is None or missing:
        hint = "; it looks like an HCAHPS file: import it as hcahps" if "hcahpsmeasureid" in labels else ""
        return None, summary, [Problem("import-header", "not a CMS Hospital General Information file; missing columns "
                                       "(compared ignoring case, spaces and punctuation): "
                                       + ", ".join(HEADINGS[n] for n in (missing or REQUIRED)) + hint,
                                       field=HEADINGS[(missing or REQUIRED)[0]], **where)]
    col = {n: labels.index(n) for n in REQUIRED + OPTIONAL if n in labels}
    problems: list[Problem] = []
    providers: dict[str, dict] = {}
    ratings: list[dict] = []
    for i, row in enumerate(rows[h + 1:], start=h + 2):
        if not any(row):
            continue
        summary["rows_read"] += 1
        c = {n: (row[j] if j < len(row) else "") for n, j in col.items()}
        pid = c["providerid"].strip().upper()
        code = pid.zfill(6) if pid.isdigit() else pid
        if not CODE.match(code):
            summary["skipped_rows"]["bad provider id"] += 1
            problems.append(Problem("import-bad-value", f"provider id {c['providerid']!r} is not 3-12 letters and digits; "
                                    "row skipped", row=i, field="Provider ID", severity=WARNING, **where))
            continue
        if code in providers:
            summary["skipped_rows"]["hospital listed again"] += 1
            problems.append(Problem("import-bad-value", f"hospital {code} is listed again; the first row is kept",
                                    row=i, field="Provider ID", severity=WARNING, **where))
            continue
        kind = c["hospitaltype"].strip()
        summary["hospital_types"][kind or "(none)"] += 1
        providers[code] = {"code": code, "peer_group": PEER_GROUPS.get(kind.lower(), kind.lower()),
                           "ownership": c["hospitalownership"].strip()}
        ratings.append(_rating(STARS, c["hospitaloverallrating"], c.get("hospitaloverallratingfootnote", ""),
                               code, i, "Hospital overall rating", where, problems))
        ratings.append(_rating(EXPERIENCE, c["patientexperiencenationalcomparison"],
                               c.get("patientexperiencenationalcomparisonfootnote", ""), code, i,
                               "Patient experience national comparison", where, problems))
    summary["hospitals"] = len(providers)
    summary["hospital_types"] = dict(sorted(summary["hospital_types"].items()))
    summary["skipped_rows"] = dict(summary["skipped_rows"])
    batch = Batch(dataset=DATASET, title="Hospital General Information (CMS, United States)",
                  source_title="CMS Hospital General Information: hospital type, ownership and CMS's own ratings",
                  publisher="Centers for Medicare & Medicaid Services (CMS)", licence=PUBLIC_DOMAIN["title"],
                  licenses=[PUBLIC_DOMAIN], tables={"providers": list(providers.values()), "ratings": ratings},
                  held_only=True)
    return batch, summary, problems
