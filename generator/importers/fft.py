"""Friends and Family Test monthly files (NHS England), organisation level.

Percentage positive follows NHS England's rule: (very good + good) / total
responses, where total responses are the sum of the six answers, "don't know"
included. A file whose Total Responses differs from that sum is imported from
the answers, with a located warning; Total Responses is used (with a warning)
only when the answers cannot be read. Cells published as "*"
(suppressed) make the row unusable: it is skipped and counted, not an error.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from generator.problems import WARNING, Problem
from generator.importers.merge import ALL_GROUP, Batch
from generator.importers.periods import parse_month_period
from generator.importers.tabular import find_header, norm, read_tables

CODE = re.compile(r"^[A-Z0-9]{3,12}$")
SUPPRESSED = "*"
INDEPENDENT_PARENT = "IS1"  # parent code NHS England uses for independent sector providers
ANSWERS = ["verygood", "good", "neithergoodnorpoor", "poor", "verypoor", "dontknow"]
REQUIRED = ["yearnumber", "periodname", "parentorgcode", "parentname", "orgcode", "orgname", "totalresponses"]

SERVICES = {
    "inpatient": ("inpatient", "Inpatients", "inpatient care"),
    "ae": ("ae", "A&E patients", "A&E (emergency department) care"),
    "ambulance": ("ambulance", "Ambulance service patients", "ambulance service care"),
}
OGL = {"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0",
       "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}


def measure_row(service: str) -> dict:
    setting, who, what = SERVICES[service]
    return {"id": f"fft-{service}", "name": f"{who} who rated their experience good or very good (Friends and Family Test)",
            "source": "fft", "dataset": f"fft-{service}", "setting": setting, "kind": "proportion",
            "polarity": "higher-is-better", "unit": "%",
            "description": ("Share of people who answered the Friends and Family Test question 'Overall, how was your "
                            f"experience of our service?' about {what} with 'very good' or 'good', out of all who "
                            "answered, including 'don't know' (NHS England's rule). Monthly, by organisation.")}


def _answer_columns(labels: list[str]) -> tuple[dict[str, int], bool]:
    """Column index of each answer; True if spelled the inpatient way ('... SUM')."""
    found, inpatient = {}, False
    for i, lab in enumerate(labels):
        n = re.sub(r"^[1-6]", "", lab)
        summed = n.endswith("sum")
        n = n[:-3] if summed else n
        if n in ANSWERS and n not in found:
            found[n] = i
            inpatient |= summed
    return found, inpatient


def _pick_sheet(tables: dict) -> tuple[str, int] | None:
    best = None
    for order, (name, rows) in enumerate(tables.items()):
        h = find_header(rows, {"orgcode", "totalresponses"})
        if h is None:
            continue
        labels = {norm(c) for c in rows[h]}
        rank = (bool(labels & {"sitecode", "sitename", "wardname"}), "organisa" not in norm(name), order)
        if best is None or rank < best[0]:
            best = (rank, name, h)
    return None if best is None else (best[1], best[2])


def _service(option, inpatient_spelling, hints: str, where) -> tuple[str | None, list[Problem]]:
    if option:
        if option not in SERVICES:
            return None, [Problem("import-unknown-format", f"unknown FFT service {option!r}; use one of {', '.join(SERVICES)}", **where)]
        if inpatient_spelling != (option == "inpatient"):
            return option, [Problem("import-service", f"the answer columns are spelled as in {'inpatient' if inpatient_spelling else 'A&E/ambulance'} files, "
                                    f"but the service was given as {option}; imported as {option}", severity=WARNING, **where)]
        return option, []
    if inpatient_spelling:
        return "inpatient", []
    words = set(re.split(r"[^a-z0-9&]+", hints.lower()))
    if words & {"amb", "ambulance", "pts"}:
        return "ambulance", []
    if words & {"ae", "a&e", "aande"} or "a&e" in hints.lower():
        return "ae", []
    return None, [Problem("import-service", "cannot tell whether this is an A&E or an ambulance file (their columns are "
                          "spelled alike); give the service (ae or ambulance)", **where)]


def read(path: Path, service: str | None = None) -> tuple[Batch | None, dict, list[Problem]]:
    where = dict(file=path.name)
    summary = {"rows_read": 0, "suppressed_cells": 0, "skipped_rows": Counter()}
    tables = read_tables(path)
    picked = _pick_sheet(tables)
    if picked is None:
        return None, summary, [Problem("import-header", "no sheet has an 'Org code' and a 'Total Responses' column "
                                       "within its first rows; is this an FFT organisation-level file?", **where)]
    sheet, h = picked
    rows = tables[sheet]
    labels = [norm(c) for c in rows[h]]
    answers, inpatient_spelling = _answer_columns(labels)
    col = {name: labels.index(name) for name in REQUIRED + ["proppos"] if name in labels}
    missing = [n for n in REQUIRED if n not in col] + [f"{i + 1} {a}" for i, a in enumerate(ANSWERS[:2]) if a not in answers]
    if missing:
        return None, summary, [Problem("import-header", f"missing columns (compared ignoring case and spaces): {', '.join(missing)}",
                                       row=h + 1, **where)]
    svc, problems = _service(service, inpatient_spelling, f"{path.name} {sheet}", where)
    if svc is None:
        return None, summary, problems
    measure = f"fft-{svc}"
    scores, providers, commissioners = [], {}, {}
    for i, row in enumerate(rows[h + 1:], start=h + 2):
        if not any(row):
            continue
        row = row + [""] * (len(labels) - len(row))
        summary["rows_read"] += 1
        cells = {n: row[j] for n, j in col.items()} | {a: row[j] for a, j in answers.items()}
        summary["suppressed_cells"] += sum(c == SUPPRESSED for c in row)
        skip, probs = _score(cells, i, where)
        problems += probs
        if skip:
            summary["skipped_rows"][skip] += 1
            continue
        org, parent, period, responses, numerator = cells["_parsed"]
        scores.append({"provider": org, "measure": measure, "period": period, "group": "all",
                       "responses": str(responses), "numerator": str(numerator)})
        kind = "independent" if parent == INDEPENDENT_PARENT else "nhs-trust"
        if period >= providers.get(org, ("",))[0]:
            providers[org] = (period, {"code": org, "name": cells["orgname"], "type": kind, "commissioner": parent, "region": "Unknown"})
            commissioners[parent] = {"code": parent, "name": cells["parentname"] or parent, "region": "Unknown"}
    what = SERVICES[svc][2]
    batch = Batch(dataset=measure, title="Friends and Family Test (NHS England)",
                  source_title=f"Friends and Family Test, {what}, monthly by organisation",
                  publisher="NHS England", licence=OGL["title"], licenses=[OGL],
                  tables={"providers": [p for _, p in providers.values()], "commissioners": list(commissioners.values()),
                          "measures": [measure_row(svc)], "groups": [ALL_GROUP]},
                  scores=scores, periods=sorted({s["period"] for s in scores}))
    summary["service"] = svc
    summary["sheet"] = sheet
    return batch, summary, problems


def _int(v: str) -> int | None:
    v = v.replace(",", "")
    return int(v) if re.fullmatch(r"\d+", v) else None


def _score(c: dict, row: int, where: dict) -> tuple[str | None, list[Problem]]:
    """Check one row; on success store the parsed values in c['_parsed']. Returns (skip reason, problems)."""
    def bad(reason, msg, field):
        return reason, [Problem("import-bad-value", msg, row=row, field=field, severity=WARNING, **where)]

    org, parent = c["orgcode"].upper(), c["parentorgcode"].upper()
    if not org:
        return "no org code", []
    if not CODE.match(org):
        return bad("bad org code", f"org code {c['orgcode']!r} is not 3-12 letters and digits; row skipped", "Org code")
    if not c["orgname"]:
        return bad("no org name", f"org code {org} has no Org name; row skipped", "Org name")
    if not CODE.match(parent):
        return bad("bad parent org code", f"parent org code {c['parentorgcode']!r} is not 3-12 letters and digits; row skipped", "Parent org code")
    period = parse_month_period(c["yearnumber"], c["periodname"])
    if period is None:
        return bad("bad period", f"cannot read a month from Yearnumber {c['yearnumber']!r} and Periodname {c['periodname']!r}; row skipped", "Periodname")
    if SUPPRESSED in (c["totalresponses"], c["verygood"], c["good"]):
        return "suppressed (*)", []
    stated, vg, g = _int(c["totalresponses"]), _int(c["verygood"]), _int(c["good"])
    counts = [_int(c.get(a, "")) for a in ANSWERS]
    problems, total = [], stated
    if None not in counts and vg is not None and g is not None:
        total = sum(counts)  # NHS England's total: all six answers, "don't know" included
        if stated != total:
            problems.append(Problem("import-bad-value", f"the six answers (don't know included) add up to {total}, but Total "
                                    f"Responses says {c['totalresponses']!r} for {org}; the sum of the answers was used",
                                    row=row, field="Total Responses", severity=WARNING, **where))
    elif None not in (stated, vg, g):
        given = [a for a, n in zip(ANSWERS, counts) if n is None]
        problems.append(Problem("import-bad-value", f"answers {', '.join(given)} are not whole numbers for {org}, so the total "
                                f"cannot be checked; Total Responses ({stated}) was used", row=row, field="Total Responses",
                                severity=WARNING, **where))
    if None in (total, vg, g):
        return bad("bad count", f"counts must be whole numbers (Total Responses {c['totalresponses']!r}, "
                   f"very good {c['verygood']!r}, good {c['good']!r}); row skipped", "Total Responses")
    if vg + g > total:
        return bad("numerator exceeds responses", f"very good + good ({vg + g}) exceeds Total Responses ({total}) for {org}; row skipped", "Total Responses")
    prop = _float(c.get("proppos", ""))
    if prop is not None and total > 0:
        share = (vg + g) / total
        if min(abs(prop - share), abs(prop / 100 - share)) > 0.006:
            problems.append(Problem("import-bad-value", f"Prop_Pos {c['proppos']} does not match (very good + good) / total "
                                    f"= {share:.4f} for {org}; the counts were used", row=row, field="Prop_Pos", severity=WARNING, **where))
    c["_parsed"] = (org, parent, period, total, vg + g)
    return None, problems


def _float(v: str) -> float | None:
    try:
        return float(v.rstrip("%"))
    except ValueError:
        return None
