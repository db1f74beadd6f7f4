"""CMS HCAHPS hospital file (Hospital Compare "HCAHPS - Hospital.csv", long format).

Choices, documented for the methods page:
- period: the year the measurement period ends ("2017" for 2016-04-01 to
  2017-03-31); the full dates are in the sources row's title.
- provider code: CMS Certification Number, left-padded with zeros to 6 characters
  (spreadsheets dropped the leading zeros). Type "independent": US hospitals are not
  NHS trusts, and the standard has no other type (the publisher object calls them hospitals). Commissioner: "US" + state code,
  with one commissioners row per state; region: the state's name; no postcode (a US
  ZIP code does not fit the standard's UK postcode pattern).
- the package's "publisher" object (standard 1.4) is US_CONTEXT: CMS, United States, hospitals, states, ZIP
  codes and the HCAHPS patient survey, so no page uses NHS words. An object already in the package is kept.
- responses: number of completed surveys; proportion numerator = percent x completed
  surveys / 100, rounded half up; the percent itself goes into published (standard 1.4), so pages show
  CMS's figure (CMS's percents are patient-mix adjusted: 40 of 1,135 match no whole count of completed surveys).
- no national averages: this file carries none, and none are invented; a publisher adds them as a
  benchmarks resource (standard 1.4).
- rows without a value ("Not Available"), hospitals whose completed surveys are
  "FEWER THAN 50" or "Not Available", and middle answers are skipped with a reason;
  rows with a value and a footnote (e.g. 6: fewer than 100 surveys, 11: data
  collection discrepancies) are kept and their footnotes counted in the summary.
- footnotes are published in the notes resource (standard 1.3), in CMS's own words as the file gives them,
  for every hospital listed (also those without results, e.g. footnote 5): one on the number of completed surveys is about every measure of the hospital,
  one on an answer percent about that measure. Footnotes 6 and 10 say "use with caution" (caution true).
  Every measure has min_sample 100: CMS does not compare hospitals with fewer than 100 completed surveys.
- CMS's star ratings are also published as the publisher's own ratings (ratings resource, standard 1.4), shown
  beside the site's results: the summary star about the hospital as a whole, each topic's star about its
  linear-score measure ("CMS HCAHPS star rating", 1 to 5 out of 5).
- a file whose completed-survey counts are only bands ("300 or more", as in the 2013-14
  release) is refused with import-banded-counts: no count, so no interval, can be recovered.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

from generator.problems import WARNING, Problem
from generator.importers.hcahps_topics import BY_ID, SUMMARY_STAR, approx_sd, measure_id, measure_rows
from generator.importers.merge import ALL_GROUP, Batch, Extra
from generator.importers.periods import iso_of_us_date, year_of_us_date
from generator.importers.tabular import find_header, norm, read_csv_text
from generator.importers.us_states import STATES

CODE = re.compile(r"^[A-Z0-9]{3,12}$")
US_CONTEXT = {  # the publisher's words (datapackage.json "publisher", standard 1.4): no NHS words on US data
    "name": "Centers for Medicare & Medicaid Services (CMS)", "country": "the United States",
    "kinds": {"independent": ["hospital", "hospitals"]},
    "commissioning": {"one": "state", "many": "states", "by": "in"},
    "place": "zip",  # said as ZIP code; no place lookup is offered (providers carry no ZIP codes)
    "sources": {"survey": "HCAHPS patient survey"}}
REQUIRED = ["providerid", "hospitalname", "city", "state", "hcahpsmeasureid", "patientsurveystarrating",
            "hcahpsanswerpercent", "hcahpslinearmeanvalue", "numberofcompletedsurveys", "measureenddate"]
OPTIONAL = ["patientsurveystarratingfootnote", "hcahpsanswerpercentfootnote", "numberofcompletedsurveysfootnote",
            "measurestartdate"]
PUBLIC_DOMAIN = {"name": "public-domain",
                 "title": "Public domain (US federal government work, Centers for Medicare & Medicaid Services)"}
STARS = Extra(path="stars.csv", fields=["provider", "cms_measure", "measure", "period", "stars"],
              keys=["provider", "cms_measure", "period"],
              description="CMS HCAHPS star ratings (1 to 5) as published, one row per hospital, star measure and "
                          "period; measure is the linear-score measure the stars are cut from (empty for the summary star).")
FEWER_THAN_50 = "FEWER THAN 50"  # CMS's suppressed count of completed surveys
BAND = re.compile(r"\b(or more|between|fewer than)\b", re.I)  # '300 or more', 'Between 100 and 299', ...
CAUTION = {"6", "10"}  # CMS's footnotes that say "Use these scores with caution"
MIN_SAMPLE = "100"  # CMS: fewer than 100 completed surveys are not reliable enough to compare (footnote 6)
MEASURE_COLUMN = re.compile(r"^H_[A-Z0-9_]+$")  # an HCAHPS Measure ID used as a column label


def _footnotes(text: str) -> list[str]:
    return re.findall(r"(?:^|,\s*)(\d+)\s*-", text or "")


def _footnote_texts(text: str) -> dict[str, str]:
    """code -> CMS's own words, from a footnote cell such as '6 - Fewer than ... performance., 11 - There were ...'."""
    parts = re.split(r"(?:^|,\s*)(\d+)\s*-\s*", text or "")
    return {code: words.strip() or f"CMS footnote {code}" for code, words in zip(parts[1::2], parts[2::2])}


def _notes(c: dict, notes: dict) -> None:
    """The footnotes of one row into notes (key -> notes row). A footnote on the number of completed surveys is
    about the hospital (every measure); one on an answer percent only about that measure."""
    prov, period = c["_provider"], c.get("_period") or ""
    cells = [(c.get("numberofcompletedsurveysfootnote", ""), "")]
    if c.get("_role") in ("top", "bottom", "linear"):
        cells.append((c.get("hcahpsanswerpercentfootnote", ""), measure_id(c["hcahpsmeasureid"])))
    for text, measure in cells:
        for code, words in _footnote_texts(text).items():
            if measure and (prov, "", period, code) in notes:
                continue  # already said of every measure
            notes[(prov, measure, period, code)] = {"provider": prov, "measure": measure, "period": period, "code": code,
                                                    "text": words, "caution": "true" if code in CAUTION else "false"}


def _unusable(rows: list[list[str]], h: int | None, missing: list[str], where: dict) -> list[Problem]:
    """Why the file cannot be imported: banded survey counts first (no count can be recovered from any
    layout of such a file), then the columns really missing."""
    problems = []
    counts = norm("Number of Completed Surveys")
    if h is not None and counts in (labels := [norm(c) for c in rows[h]]):
        j = labels.index(counts)
        values = Counter(r[j].strip() for r in rows[h + 1:] if len(r) > j and r[j].strip())
        bands = {v: k for v, k in values.items() if BAND.search(v)}
        if bands and not any(_number(v) is not None for v in values):
            listed = ", ".join(f"'{v}' ({k}{' hospitals' if i == 0 else ''})" for i, (v, k) in
                               enumerate(sorted(bands.items(), key=lambda vk: -vk[1])))
            problems.append(Problem(
                "import-banded-counts", f"the number of completed surveys is given only in bands: {listed}. "
                "No count of completed surveys can be recovered, so no percentage can be turned into a count, "
                "given a likely range or compared; this file cannot be used. Use a CMS HCAHPS hospital file "
                "that gives the number of completed surveys as a number.", field=rows[h][j], **where))
    wide = [c for c in rows[h] if BY_ID.get(c.strip()) or MEASURE_COLUMN.match(c.strip())] if h is not None else []
    problems.append(Problem("import-header", "not a CMS HCAHPS hospital file in long format (one row per hospital "
                                             "and measure); missing columns (compared ignoring case, spaces and "
                                             f"punctuation): {', '.join(missing)}"
                            + (f"; it has one column per measure (wide format), such as {wide[0]}" if wide else ""),
                            **where))
    return problems


def _number(v: str) -> float | None:
    try:
        x = float(v)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def read(path: Path) -> tuple[Batch | None, dict, list[Problem]]:
    where = dict(file=path.name)
    summary = {"rows_read": 0, "suppressed_cells": 0, "skipped_rows": Counter(), "footnotes_kept": Counter()}
    rows = read_csv_text(path)
    h = find_header(rows, {"providerid"})
    labels = [norm(c) for c in rows[h]] if h is not None else []
    missing = [n for n in REQUIRED if n not in labels]
    if h is None or missing:
        return None, summary, _unusable(rows, h, missing or REQUIRED, where)
    col = {n: labels.index(n) for n in REQUIRED + OPTIONAL if n in labels}
    problems, unknown = [], set()
    records, providers, states, notes = [], {}, {}, {}
    for i, row in enumerate(rows[h + 1:], start=h + 2):
        if not any(row):
            continue
        summary["rows_read"] += 1
        row = row + [""] * (len(labels) - len(row))
        c = {n: row[j] for n, j in col.items()}
        reason, probs = _check(c, i, where, unknown)
        problems += probs
        summary["suppressed_cells"] += c["numberofcompletedsurveys"].strip().upper() == FEWER_THAN_50
        if "_provider" in c:  # every hospital is listed, with or without usable results
            st = c["state"].strip().upper()
            providers[c["_provider"]] = {"code": c["_provider"], "name": c["hospitalname"], "type": "independent",
                                         "commissioner": f"US{st}", "region": STATES.get(st, st), "town": c["city"]}
            states[st] = {"code": f"US{st}", "name": STATES.get(st, st), "region": "United States"}
        if "_provider" in c and "_role" in c:
            _notes(c, notes)
        if reason:
            summary["skipped_rows"][reason] += 1
        else:
            records.append(c)
    percents = {(c["_provider"], c["hcahpsmeasureid"]): c["_value"] for c in records if c["_role"] in ("top", "middle", "bottom")}
    scores, stars, dates = [], [], set()
    for c in records:
        prov, cms, role, period, value = c["_provider"], c["hcahpsmeasureid"], c["_role"], c["_period"], c["_value"]
        if role == "middle":
            summary["skipped_rows"]["middle answer (not imported)"] += 1
            continue
        score = {"provider": prov, "period": period, "group": "all", "responses": str(c["_n"])}
        if role == "star":
            topic = BY_ID.get(cms, (None,))[0]
            stars.append({"provider": prov, "cms_measure": cms, "measure": measure_id(topic.linear) if topic else "",
                          "period": period, "stars": str(int(value))})
        elif role == "linear":
            topic = BY_ID[cms][0]
            sd = approx_sd(topic, {m: percents.get((prov, m)) for m in (topic.top, topic.middle, topic.bottom)})
            if sd is None:
                summary["skipped_rows"]["linear score without answer percents (no sd)"] += 1
                continue
            scores.append(score | {"measure": measure_id(cms), "mean": _fmt(value), "sd": _fmt(round(sd, 4))})
        else:
            scores.append(score | {"measure": measure_id(cms), "numerator": str(math.floor(value / 100 * c["_n"] + 0.5)),
                                   "published": _fmt(value)})  # CMS's own percent, shown as published
        for code in set(_footnotes(c.get("hcahpsanswerpercentfootnote", "")) + _footnotes(c.get("numberofcompletedsurveysfootnote", ""))
                        + (_footnotes(c.get("patientsurveystarratingfootnote", "")) if role == "star" else [])):
            summary["footnotes_kept"][code] += 1
        dates.add((iso_of_us_date(c.get("measurestartdate", "")) or "?", iso_of_us_date(c["measureenddate"]) or "?"))
    summary["footnotes_kept"] = dict(sorted(summary["footnotes_kept"].items(), key=lambda kv: int(kv[0])))
    summary["providers"] = len(providers)
    summary["star_ratings"] = len(stars)
    notes = {k: v for k, v in sorted(notes.items()) if not (k[1] and (k[0], "", k[2], k[3]) in notes)}
    summary["notes"] = len(notes)
    summary["hospitals_with_notes"] = len({k[0] for k in notes})
    span = "; ".join(f"{a} to {b}" for a, b in sorted(dates))
    batch = Batch(dataset="cms-hcahps", title="HCAHPS hospital survey (CMS, United States)",
                  source_title=f"CMS HCAHPS patient survey, hospital level (patients discharged {span})",
                  publisher="Centers for Medicare & Medicaid Services (CMS)", licence=PUBLIC_DOMAIN["title"],
                  licenses=[PUBLIC_DOMAIN],
                  tables={"providers": list(providers.values()), "commissioners": list(states.values()),
                          "measures": [m | {"min_sample": MIN_SAMPLE} for m in measure_rows()], "groups": [ALL_GROUP],
                          "notes": list(notes.values()), "ratings": [_rating(s) for s in stars]},
                  scores=scores, periods=sorted({s["period"] for s in scores}),
                  extras={"x-cms-star-ratings": Extra(**{**STARS.__dict__, "rows": stars})}, context=US_CONTEXT)
    return batch, summary, problems


def _rating(star: dict) -> dict:
    """A star rating as the publisher's own rating (ratings resource, standard 1.4)."""
    which = "CMS HCAHPS star rating" if star["measure"] else "CMS HCAHPS summary star rating"
    return {"provider": star["provider"], "rating": "cms-hcahps-stars" if star["measure"] else "cms-hcahps-summary-stars",
            "measure": star["measure"], "period": star["period"], "label": which, "value": star["stars"], "out_of": "5",
            "note": "", "source": "cms-hcahps"}


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _check(c: dict, row: int, where: dict, unknown: set) -> tuple[str | None, list[Problem]]:
    """Classify and parse one row into c['_...']; returns (skip reason, problems)."""
    def bad(reason, msg, field):
        return reason, [Problem("import-bad-value", msg, row=row, field=field, severity=WARNING, **where)]

    cms = c["hcahpsmeasureid"].strip().upper()
    c["hcahpsmeasureid"] = cms
    role = "star" if cms == SUMMARY_STAR else BY_ID.get(cms, (None, None))[1]
    if role is None:
        if cms in unknown:
            return "unknown measure id", []
        unknown.add(cms)
        return bad("unknown measure id", f"HCAHPS measure id {cms!r} is not one this importer knows; its rows are skipped", "HCAHPS Measure ID")
    pid = c["providerid"].strip().upper()
    pid = pid.zfill(6) if pid.isdigit() else pid
    if not CODE.match(pid):
        return bad("bad provider id", f"provider id {c['providerid']!r} is not 3-12 letters and digits; row skipped", "Provider ID")
    if not c["hospitalname"].strip() or not re.fullmatch(r"[A-Za-z]{2}", c["state"].strip()):
        return bad("no hospital name or state", f"provider {pid} has no hospital name or no two-letter state "
                   f"({c['hospitalname']!r}, {c['state']!r}); row skipped", "State")
    c["_provider"] = pid
    period = year_of_us_date(c["measureenddate"])
    if period is None:
        return bad("bad measure end date", f"measure end date {c['measureenddate']!r} is not a date M/D/YYYY; row skipped", "Measure End Date")
    c.update(_role=role, _period=period, _n=None)
    if role == "star":
        v = c["patientsurveystarrating"].strip()
        if v not in {"1", "2", "3", "4", "5"}:
            return _unavailable("star rating", v, c.get("patientsurveystarratingfootnote", "")), []
        c["_value"] = int(v)
        return None, []
    if role == "middle":
        c["_value"] = _number(c["hcahpsanswerpercent"])
        return None, []
    n = c["numberofcompletedsurveys"].strip()
    if not n.isdigit():
        return _unavailable("completed surveys", n, c.get("numberofcompletedsurveysfootnote", "")), []
    c["_n"] = int(n)
    field = "hcahpslinearmeanvalue" if role == "linear" else "hcahpsanswerpercent"
    v = c[field].strip()
    x = _number(v)
    if x is None:
        # CMS gives linear scores only from 100 completed surveys: the reason is on the surveys column
        foot = c.get("numberofcompletedsurveysfootnote" if role == "linear" else "hcahpsanswerpercentfootnote", "")
        return _unavailable("linear score" if role == "linear" else "answer percent", v, foot), []
    if not 0 <= x <= 100:
        return bad("value out of range", f"{cms} value {v} is not between 0 and 100; row skipped",
                   "HCAHPS Linear Mean Value" if role == "linear" else "HCAHPS Answer Percent")
    c["_value"] = x
    return None, []


def _unavailable(what: str, value: str, footnote: str) -> str:
    codes = _footnotes(footnote)
    return f"{what} {value or 'empty'}" + (f" (footnote {', '.join(codes)})" if codes else "")
