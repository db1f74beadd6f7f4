#!/usr/bin/env python3
"""Write the fictional example data packages in datapackages/ (issue 2).

Every organisation, place, code and number here is invented. The data are drawn
from one seeded random generator, so a rerun writes byte-identical files, and a
few signals are planted on purpose (a failing trust, an improving practice, a
seldom-heard group doing worse, case-study improvements); they are written to
tests/example_truth.json so that tests can check the pipeline finds them.

    python scripts/make_example_data.py [--out datapackages] [--truth tests/example_truth.json]

Only the example-* folders and README.md inside --out are replaced.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
from pathlib import Path

import numpy as np

SEED = 20241
ROOT = Path(__file__).resolve().parents[1]
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


# --- organisations -------------------------------------------------------------------------

COMMISSIONERS = [  # code, name, region, centre (latitude, longitude), towns
    ("QX1", "NHS Exampleton and Samplebury Integrated Care Board", "North Example", (54.35, -1.55),
     ["Exampleton", "Samplebury", "Specimen Bridge", "Prototon", "Templatby"]),
    ("QX2", "NHS Mockfordshire Integrated Care Board", "North Example", (53.75, -2.45),
     ["Mockford", "Mockley Vale", "Dummingham", "Placeholme", "Dummyhill"]),
    ("QX3", "NHS Demoham and Fictonby Integrated Care Board", "Midlands Example", (52.55, -1.75),
     ["Demoham", "Fictonby", "Pseudley", "Imaginby", "Mimicster"]),
    ("QX4", "NHS Pretendmouth Coast Integrated Care Board", "South Example", (50.85, -3.25),
     ["Pretendmouth", "Faux Haven", "Shamcombe", "Inventry", "Madeupton"]),
]
# Kinds of trust and the FFT settings each reports.
KIND_MEASURES = {"acute": ["fft-inpatient", "fft-ae", "fft-maternity"], "general": ["fft-inpatient", "fft-ae"],
                 "womens": ["fft-inpatient", "fft-maternity"], "specialist": ["fft-inpatient"],
                 "community": ["fft-inpatient"], "independent": ["fft-inpatient"], "practice": ["fft-gp"]}
TRUSTS = [  # name, kind, commissioner, town
    ("Exampleton Teaching Hospitals NHS Foundation Trust", "acute", "QX1", 0),
    ("Samplebury and District Hospitals NHS Trust", "acute", "QX1", 1),
    ("Specimen Bridge General Hospital NHS Trust", "general", "QX1", 2),
    ("Prototon University Hospitals NHS Foundation Trust", "acute", "QX1", 3),
    ("Templatby Royal Infirmary NHS Trust", "acute", "QX1", 4),
    ("North Example Heart and Lung NHS Foundation Trust", "specialist", "QX1", 0),
    ("Exampleton Women's and Children's Hospital NHS Foundation Trust", "womens", "QX1", 0),
    ("Samplebury Community Health NHS Trust", "community", "QX1", 1),
    ("Mockford Valley Hospitals NHS Trust", "acute", "QX2", 0),
    ("Mockley Vale General Hospital NHS Foundation Trust", "acute", "QX2", 1),
    ("Dummingham University Hospitals NHS Trust", "acute", "QX2", 2),
    ("Placeholme Community Hospital NHS Trust", "community", "QX2", 3),
    ("Dummyhill Orthopaedic Centre NHS Foundation Trust", "specialist", "QX2", 4),
    ("Mockfordshire Acute Hospitals NHS Foundation Trust", "general", "QX2", 0),
    ("Mockford Children's Hospital NHS Foundation Trust", "specialist", "QX2", 0),
    ("Demoham Royal Hospitals NHS Trust", "acute", "QX3", 0),
    ("Fictonby General Hospital NHS Foundation Trust", "acute", "QX3", 1),
    ("Pseudley and Imaginby Hospitals NHS Trust", "acute", "QX3", 2),
    ("Mimicster University Hospitals NHS Foundation Trust", "acute", "QX3", 4),
    ("Midlands Example Cancer Centre NHS Foundation Trust", "specialist", "QX3", 0),
    ("Demoham Women's Hospital NHS Foundation Trust", "womens", "QX3", 0),
    ("Imaginby District General Hospital NHS Trust", "general", "QX3", 3),
    ("Fictonby Community Services NHS Trust", "community", "QX3", 1),
    ("Pretendmouth University Hospitals NHS Trust", "acute", "QX4", 0),
    ("Faux Haven General Hospital NHS Foundation Trust", "acute", "QX4", 1),
    ("Shamcombe and Inventry Hospitals NHS Trust", "acute", "QX4", 2),
    ("Madeupton Royal Infirmary NHS Foundation Trust", "acute", "QX4", 4),
    ("South Example Eye Hospital NHS Foundation Trust", "specialist", "QX4", 0),
    ("Inventry District Hospital NHS Trust", "general", "QX4", 3),
    ("Pretendmouth Community Health NHS Trust", "community", "QX4", 0),
]
INDEPENDENTS = [("Samplebury Private Surgical Clinic", "QX1", 1), ("Mockford Example Eye and Day Surgery Centre", "QX2", 0),
                ("Fictional Health Partners Demoham Clinic", "QX3", 0)]
PRACTICE_STEMS = ["Acorn", "Beech", "Birch", "Bramble", "Cedar", "Chestnut", "Clover", "Elm", "Fern", "Foxglove",
                  "Hawthorn", "Hazel", "Heather", "Holly", "Ivy", "Juniper", "Larch", "Laurel", "Linden", "Maple",
                  "Meadow", "Mill", "Oak", "Orchard", "Poplar", "Rowan", "Willow", "Yew", "Kingfisher", "Lark"]
PRACTICE_SUFFIXES = ["Lane Surgery", "Road Medical Centre", "Street Practice", "Health Centre", "Family Practice"]
PRACTICES_PER_ICB = {"QX1": 38, "QX2": 37, "QX3": 38, "QX4": 37}
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in the inward part of UK postcodes

# The planted signals (indexes into TRUSTS, or practice numbers).
FAILING_TRUST, WORSE_GROUP_TRUST, CLOSED_TRUST, AE_STUDY_TRUST = 8, 0, 11, 23
MATERNITY_STUDY_TRUSTS = (15, 16)
IMPROVING_PRACTICE, CLOSED_PRACTICE, SMALL_PRACTICES = 80, 130, (12, 47, 93, 101, 140)
TRUST_CLOSED, PRACTICE_CLOSED = "2024-03-31", "2024-06-30"


def place(rng, centre, spread):
    return float(np.round(centre[0] + rng.uniform(-spread, spread), 4)), \
        float(np.round(centre[1] + rng.uniform(-1.5 * spread, 1.5 * spread), 4))


def reference(rng) -> dict:
    """Commissioners, providers, measures, groups and sources, plus hidden attributes of each provider."""
    commissioners, towns = [], {}
    for n, (code, name, region, centre, names) in enumerate(COMMISSIONERS):
        commissioners.append({"code": code, "name": name, "region": region})
        for t, town in enumerate(names):
            towns[(code, t)] = {"town": town, "region": region, "district": f"{'ZX' if n < 2 else 'ZZ'}{5 * (n % 2) + t + 1}",
                                "centre": place(rng, centre, 0.3)}
    used_postcodes: set[str] = set()

    def provider(code, name, ptype, icb, town, opened, kind, latent):
        t = towns[(icb, town)]
        while True:
            postcode = f"{t['district']} {rng.integers(1, 10)}{rng.choice(list(LETTERS))}{rng.choice(list(LETTERS))}"
            if postcode not in used_postcodes:
                used_postcodes.add(postcode)
                break
        lat = float(np.round(t["centre"][0] + rng.normal(0, 0.015), 4))
        lon = float(np.round(t["centre"][1] + rng.normal(0, 0.02), 4))
        return {"code": code, "name": name, "type": ptype, "commissioner": icb, "region": t["region"],
                "town": t["town"], "postcode": postcode, "latitude": f"{lat:.4f}", "longitude": f"{lon:.4f}",
                "opened": opened, "closed": "", "_kind": kind, "_latent": latent}

    providers = []
    for i, (name, kind, icb, town) in enumerate(TRUSTS):
        providers.append(provider(f"X{1 + i // 4}{'ABCD'[i % 4]}", name, "nhs-trust", icb, town,
                                  f"{rng.integers(1991, 2015)}-04-01", kind, float(rng.normal(0, 0.2))))
    for i, (name, icb, town) in enumerate(INDEPENDENTS):
        providers.append(provider(f"XP{i + 1}", name, "independent", icb, town,
                                  f"{rng.integers(2005, 2016)}-{rng.integers(1, 13):02d}-01", "independent",
                                  float(rng.normal(0.1, 0.2))))
    number = 0
    for icb, count in PRACTICES_PER_ICB.items():
        for _ in range(count):
            number += 1
            town = int(rng.integers(0, 5))
            stem = PRACTICE_STEMS[(number * 7) % len(PRACTICE_STEMS)]  # same stem every 30th practice,
            suffix = PRACTICE_SUFFIXES[(number + number // 30) % len(PRACTICE_SUFFIXES)]  # then another suffix
            name = f"{towns[(icb, town)]['town']} {stem} {suffix}"
            opened = f"{rng.integers(1950, 2016)}-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d}"
            providers.append(provider(f"YX{number:04d}", name, "gp-practice", icb, town, opened, "practice",
                                      float(rng.normal(0, 0.28))))
    trusts = [p for p in providers if p["type"] == "nhs-trust"]
    practices = [p for p in providers if p["type"] == "gp-practice"]
    assert len({p["name"] for p in providers}) == len(providers)
    trusts[CLOSED_TRUST]["closed"] = TRUST_CLOSED
    practices[CLOSED_PRACTICE - 1]["closed"] = PRACTICE_CLOSED
    trusts[FAILING_TRUST]["_latent"] = -0.1
    special = {
        "failing": trusts[FAILING_TRUST]["code"], "worse_group": trusts[WORSE_GROUP_TRUST]["code"],
        "improving": practices[IMPROVING_PRACTICE - 1]["code"], "ae_study": trusts[AE_STUDY_TRUST]["code"],
        "maternity_study": [trusts[i]["code"] for i in MATERNITY_STUDY_TRUSTS],
        "small": sorted([p["code"] for p in providers if p["type"] == "independent"]
                        + [practices[i - 1]["code"] for i in SMALL_PRACTICES]),
    }
    truth = {
        "failing_provider": special["failing"], "failing_measure": "fft-inpatient", "failing_since": "2024-07",
        "improving_provider": special["improving"], "improving_measure": "fft-gp", "improving_since": "2023-10",
        "worse_group": {"provider": special["worse_group"], "measure": "fft-inpatient", "group": "age-16-24"},
        "closed_providers": sorted([trusts[CLOSED_TRUST]["code"], practices[CLOSED_PRACTICE - 1]["code"]]),
        "small_providers": special["small"],
        "seldom_heard_groups": sorted(g[0] for g in GROUPS if g[3]),
    }
    return {"commissioners": commissioners, "providers": providers, "measures": [dict(zip(MEASURE_FIELDS, m)) for m in MEASURES],
            "groups": [{"id": g[0], "dimension": g[1], "label": g[2], "seldom_heard": "true" if g[3] else "false"} for g in GROUPS],
            "sources": [dict(zip(SOURCE_FIELDS, s)) for s in SOURCES], "special": special, "truth": truth}


# --- measures, groups, sources ------------------------------------------------------------

MEASURE_FIELDS = ["id", "name", "source", "dataset", "setting", "kind", "polarity", "unit", "description"]
FFT_TEXT = "Share of people who said their overall experience of {} was good or very good (Friends and Family Test)."
SURVEY_TEXT = "Average score out of 10 that inpatients gave, in the annual inpatient survey, when asked {}."
MEASURES = [
    ("fft-inpatient", "Would recommend the ward (Friends and Family Test)", "fft", "fft-monthly", "inpatient",
     "proportion", "higher-is-better", "%", FFT_TEXT.format("their stay on a hospital ward")),
    ("fft-ae", "Good experience of A&E (Friends and Family Test)", "fft", "fft-monthly", "ae",
     "proportion", "higher-is-better", "%", FFT_TEXT.format("the accident and emergency department")),
    ("fft-maternity", "Good experience of maternity care (Friends and Family Test)", "fft", "fft-monthly", "maternity",
     "proportion", "higher-is-better", "%", FFT_TEXT.format("maternity care during labour and birth")),
    ("fft-gp", "Good experience of the GP practice (Friends and Family Test)", "fft", "fft-monthly", "gp",
     "proportion", "higher-is-better", "%", FFT_TEXT.format("their GP practice")),
    ("survey-inpatient-overall", "Overall experience of the hospital stay", "survey", "inpatient-survey", "inpatient",
     "mean", "higher-is-better", "points", SURVEY_TEXT.format("to rate their experience overall")),
    ("survey-inpatient-respect", "Treated with respect and dignity", "survey", "inpatient-survey", "inpatient",
     "mean", "higher-is-better", "points", SURVEY_TEXT.format("whether they were treated with respect and dignity")),
    ("survey-inpatient-nurses", "Confidence and trust in the nurses", "survey", "inpatient-survey", "inpatient",
     "mean", "higher-is-better", "points", SURVEY_TEXT.format("whether they had confidence and trust in the nurses")),
    ("survey-inpatient-doctors", "Confidence and trust in the doctors", "survey", "inpatient-survey", "inpatient",
     "mean", "higher-is-better", "points", SURVEY_TEXT.format("whether they had confidence and trust in the doctors")),
    ("survey-inpatient-discharge", "Told what to watch for after going home", "survey", "inpatient-survey", "inpatient",
     "mean", "higher-is-better", "points", SURVEY_TEXT.format("whether staff told them what danger signals to watch for at home")),
    ("complaints-trust", "Written complaints about the trust", "complaints", "complaints-quarterly", "organisation",
     "ratio", "lower-is-better", "ratio", "Written complaints received in the quarter, compared with the number expected "
     "from the trust's activity; a ratio above 1 means more complaints than expected."),
    ("complaints-gp", "Written complaints about the GP practice", "complaints", "complaints-quarterly", "gp",
     "ratio", "lower-is-better", "ratio", "Written complaints received in the quarter, compared with the number expected "
     "from the practice's list size; a ratio above 1 means more complaints than expected."),
    ("staff-recommend-care", "Staff would recommend the standard of care", "staff", "staff-survey", "organisation",
     "proportion", "higher-is-better", "%", "Share of staff who said that, if a friend or relative needed treatment, "
     "they would be happy with the standard of care the organisation provides (staff survey)."),
]
AGES = ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-plus"]
ETHNICITIES = {"white": "White", "asian": "Asian or Asian British", "black": "Black, Black British, Caribbean or African",
               "mixed": "Mixed or multiple ethnic groups", "other": "Other ethnic group"}
# Seldom heard: the youngest adults and the Black, mixed and other ethnic groups, who answer the FFT
# and national surveys least often relative to their numbers among patients.
GROUPS = [("all", "all", "All patients", False)] \
    + [(f"age-{a}", "age", f"Aged {a.replace('-plus', ' and over').replace('-', ' to ')}", a == "16-24") for a in AGES] \
    + [(f"ethnicity-{e}", "ethnicity", label, e in ("black", "mixed", "other")) for e, label in ETHNICITIES.items()]
SOURCE_FIELDS = ["id", "title", "publisher", "licence", "url", "retrieved", "checksum"]
PUBLISHER, RETRIEVED = "Example data generator (fictional)", "2025-01-15"
SOURCES = [(sid, title, PUBLISHER, "CC0-1.0", f"https://example.org/fictional/{sid}", RETRIEVED, "") for sid, title in [
    ("example-organisations", "Example register of organisations (fictional)"),
    ("fft-monthly", "Example Friends and Family Test monthly data (fictional)"),
    ("inpatient-survey", "Example adult inpatient survey (fictional)"),
    ("complaints-quarterly", "Example written complaints, quarterly (fictional)"),
    ("staff-survey", "Example staff survey (fictional)"),
    ("example-case-studies", "Example good-practice case studies (fictional)"),
]]


# --- scores --------------------------------------------------------------------------------

def logit(p):
    return np.log(p / (1 - p))


def expit(x):
    return 1 / (1 + np.exp(-x))


FFT_MODEL = {  # measure: share positive nationally; monthly responses: median, log spread, min, max
    "fft-inpatient": (0.94, (900, 0.6, 200, 3000)), "fft-ae": (0.85, (1300, 0.5, 300, 4000)),
    "fft-maternity": (0.93, (260, 0.45, 60, 700)), "fft-gp": (0.91, (110, 0.7, 20, 400))}
# Monthly responses stay within [min, max] (times any planted size factor).
SIZE_BY_KIND = {"community": (260, 0.25, 200, 400), "independent": (18, 0.3, 10, 30), "small": (13, 0.35, 6, 25)}
SEASON = [1.02, 1.0, 1.03, 0.98, 1.0, 0.97, 0.98, 0.93, 1.0, 1.02, 1.01, 0.86]  # fewer answers in August, December
AGE_MIX = {"fft-inpatient": [.05, .08, .09, .12, .17, .22, .27], "fft-ae": [.14, .15, .14, .15, .15, .13, .14],
           "fft-maternity": [.14, .50, .33, .03, 0, 0, 0], "fft-gp": [.07, .12, .14, .17, .19, .17, .14]}
ETHNIC_MIX = {"QX1": [.86, .07, .03, .02, .02], "QX2": [.84, .09, .03, .02, .02],
              "QX3": [.70, .16, .07, .04, .03], "QX4": [.92, .03, .02, .02, .01]}
AGE_EFFECT = np.array([-0.35, -0.2, -0.1, 0.0, 0.1, 0.2, 0.15])  # on the log-odds scale
ETHNIC_EFFECT = np.array([0.05, -0.1, -0.2, -0.2, -0.15])
WORSE_GROUP_EFFECT = -1.6
GROUP_IDS = [[f"age-{a}" for a in AGES], [f"ethnicity-{e}" for e in ETHNICITIES]]


def fft_plant(special: dict, code: str, measure: str, months: list[str]):
    """Planted changes for one series: (base share or None, log-odds shift per month, size factor, size or None)."""
    i = np.arange(len(months))
    none = np.zeros(len(months))
    if code == special["failing"] and measure == "fft-inpatient":
        after = np.array([m >= "2024-07" for m in months])
        return 0.92, np.where(after, logit(0.76) - logit(0.92), 0.0), none + 1, 800
    if code == special["improving"] and measure == "fft-gp":  # rises over four months from 2023-10
        ramp = np.clip((i - MONTHS.index("2023-09")) / 4, 0, 1)
        return 0.80, ramp * (logit(0.98) - logit(0.80)), none + 1, 300
    if code == special["ae_study"] and measure == "fft-ae":  # text-message survey from 2024-01-15
        after = np.array([m >= "2024-02" for m in months])
        return 0.80, np.where(after, logit(0.88) - logit(0.80), 0.0), np.where(after, 2.5, 1.0), 900
    if code in special["maternity_study"] and measure == "fft-maternity":
        return None, np.where(np.array([m >= "2023-08" for m in months]), 0.8, 0.0), none + 1, None
    if code == special["worse_group"] and measure == "fft-inpatient":
        return None, none, none + 1, 2200
    return None, none, none + 1, None


def fft_scores(rng, ref: dict, months: list[str]) -> list[dict]:
    special, rows, count = ref["special"], [], len(months)
    season = np.array([SEASON[int(m[5:]) - 1] for m in months])
    for p in ref["providers"]:
        kind = "small" if p["code"] in special["small"] and p["_kind"] == "practice" else p["_kind"]
        for measure in KIND_MEASURES[p["_kind"]]:
            share, (median, spread, lo, hi) = FFT_MODEL[measure]
            median, spread, lo, hi = SIZE_BY_KIND.get(kind, (median, spread, lo, hi))
            size = float(np.clip(median * np.exp(rng.normal(0, spread)), lo, hi))
            base = logit(share) + p["_latent"] + (rng.normal(0, 0.25) if p["_kind"] != "practice" else 0.0)
            fixed_share, shift, factor, fixed_size = fft_plant(special, p["code"], measure, months)
            base = logit(fixed_share) if fixed_share else base
            size = fixed_size or size
            n = np.round(size * factor * season * np.exp(rng.normal(0, 0.12, count)))
            n = np.clip(n, 1 if kind in SIZE_BY_KIND else lo, hi * factor).astype(int)
            logits = base + shift + rng.normal(0, 0.15 if kind == "practice" else 0.12, count)
            mix = np.outer(AGE_MIX[measure], ETHNIC_MIX[p["commissioner"]])
            cells = rng.multinomial(n, (mix / mix.sum()).ravel()).reshape(count, len(AGES), len(ETHNICITIES))
            effect = AGE_EFFECT[:, None] + ETHNIC_EFFECT[None, :]
            if p["code"] == special["worse_group"] and measure == "fft-inpatient":
                effect = effect + np.where(np.arange(len(AGES)) == 0, WORSE_GROUP_EFFECT, 0.0)[:, None]
            positive = rng.binomial(cells, expit(logits[:, None, None] + effect[None]))
            gaps = kind == "practice" and p["code"] not in (special["improving"],)
            missing = rng.random(count) < (0.01 if gaps else 0.0)
            for t, month in enumerate(months):
                if missing[t] or not open_in(p, month):
                    continue
                key = {"provider": p["code"], "measure": measure, "period": month}
                rows.append(dict(key, group="all", responses=int(cells[t].sum()), numerator=int(positive[t].sum())))
                for axis, ids in ((1, GROUP_IDS[0]), (0, GROUP_IDS[1])):
                    for gid, r, x in zip(ids, cells[t].sum(axis=axis), positive[t].sum(axis=axis)):
                        if r > 0:
                            rows.append(dict(key, group=gid, responses=int(r), numerator=int(x)))
    return rows


SURVEY_MODEL = {  # measure: national mean, person-level standard deviation, share of respondents answering
    "survey-inpatient-overall": (8.1, 1.9, 0.98), "survey-inpatient-respect": (8.9, 1.7, 0.99),
    "survey-inpatient-nurses": (8.5, 1.9, 0.96), "survey-inpatient-doctors": (8.7, 1.8, 0.95),
    "survey-inpatient-discharge": (6.6, 3.4, 0.72)}
FAILING_SURVEY_DROP = -1.1  # points, in the last year


def survey_scores(rng, ref: dict, years: list[str]) -> list[dict]:
    rows = []
    for p in ref["providers"]:
        if p["type"] != "nhs-trust":
            continue
        size = float(np.clip(500 * np.exp(rng.normal(0, 0.45)), 100, 1200))
        for measure, (mean, sd, answering) in SURVEY_MODEL.items():
            own = 1.5 * p["_latent"] + rng.normal(0, 0.12)
            for year in years:
                n = int(np.clip(round(size * answering * np.exp(rng.normal(0, 0.08))), 50, 1200))
                se = sd * np.exp(rng.normal(0, 0.05)) / np.sqrt(n)
                drop = FAILING_SURVEY_DROP if p["code"] == ref["special"]["failing"] and year == years[-1] else 0.0
                score = np.clip(mean + own + drop + rng.normal(0, 0.06) + rng.normal(0, se), 0, 10)
                if open_in(p, year):
                    rows.append({"provider": p["code"], "measure": measure, "period": year, "group": "all",
                                 "responses": n, "mean": f"{score:.2f}", "se": f"{se:.3f}"})
    return rows


COMPLAINTS_MODEL = {  # type: measure, activity median, log spread, min, max, complaints per 1,000 a quarter
    "nhs-trust": ("complaints-trust", 60000, 0.6, 10000, 250000, 2.0),
    "gp-practice": ("complaints-gp", 8000, 0.5, 2000, 25000, 0.8)}
FAILING_COMPLAINTS_RATIO = 3.0  # from the second quarter of the last year


def complaints_scores(rng, ref: dict, quarters: list[str]) -> list[dict]:
    rows = []
    for p in ref["providers"]:
        if p["type"] not in COMPLAINTS_MODEL:
            continue
        measure, median, spread, lo, hi, rate = COMPLAINTS_MODEL[p["type"]]
        if p["code"] in ref["special"]["small"]:
            lo, hi = 1500, 2800
        size = float(np.clip(median * np.exp(rng.normal(0, spread)), lo, hi))
        case_mix, own = np.exp(rng.normal(0, 0.1)), rng.normal(0, 0.15) - 1.2 * p["_latent"]
        for q in quarters:
            activity = int(round(size * np.exp(rng.normal(0, 0.04))))
            expected = activity * rate * case_mix * np.exp(rng.normal(0, 0.02)) / 1000
            failing = p["code"] == ref["special"]["failing"] and q >= "2024-Q2"
            ratio = np.exp(own + rng.normal(0, 0.08)) * (FAILING_COMPLAINTS_RATIO if failing else 1.0)
            observed = int(rng.poisson(expected * ratio))
            if open_in(p, q):
                rows.append({"provider": p["code"], "measure": measure, "period": q, "group": "all",
                             "responses": activity, "observed": observed, "expected": f"{expected:.2f}"})
    return rows


def staff_scores(rng, ref: dict, years: list[str]) -> list[dict]:
    rows = []
    for p in ref["providers"]:
        if p["type"] != "nhs-trust":
            continue
        size = float(np.clip(2000 * np.exp(rng.normal(0, 0.6)), 300, 8000))
        own = logit(0.63) + 1.2 * p["_latent"] + rng.normal(0, 0.2)
        for year in years:
            n = int(round(size * np.exp(rng.normal(0, 0.08))))
            failing = p["code"] == ref["special"]["failing"] and year == years[-1]
            share = 0.45 if failing else expit(own + rng.normal(0, 0.05))
            positive = int(rng.binomial(n, share))
            if open_in(p, year):
                rows.append({"provider": p["code"], "measure": "staff-recommend-care", "period": year,
                             "group": "all", "responses": n, "numerator": positive})
    return rows


# --- case studies ---------------------------------------------------------------------------

FICTION = "*This case study is fictional. It was written as example data for testing the site.*"
PRACTICE_BODY = """{fiction}

## What was wrong

In the summer of 2023 only about four in five patients of {name} said their experience was good.
Comments in the Friends and Family Test kept returning to the same three things:

- the phone line was engaged at 8am and patients gave up;
- people did not know which member of the team they would see;
- test results came back with no explanation.

## What we did

From 1 October 2023 the practice:

1. added a call-back queue so that nobody has to redial;
2. published a weekly rota that names the nurse, pharmacist and GP on duty;
3. sent every test result with a short plain-English note;
4. met a patient panel of twelve people each month to read the comments together.

## What changed

Within four months more than nine in ten patients said their experience was good, and the
practice has stayed there since. The monthly Friends and Family Test chart shows a sustained
shift upwards from October 2023.

## What others can take from it

- Read the free-text comments, not only the score.
- Fix the first contact before anything else.
- Tell patients what changed because of what they said.
"""
AE_BODY = """{fiction}

## The problem

The emergency department at {name} heard from too few patients. Paper cards at the exit
reached about one in twenty people, and mostly those who waited least.

## What we did

From 15 January 2024 every patient leaving the department received a text message with
one question and a free-text box. We also:

- offered the question in the eight languages most spoken locally;
- let staff see the comments from their own shift the next morning;
- chose one theme each fortnight to work on (waiting-room updates came first).

## What we found

The number of responses more than doubled, and the share of good experiences rose from
about 80% to nearly 90% over the following months. Because the new responses came from a
wider mix of patients, the improvement is not only a change in who answered: the comments
named the hourly waiting-time updates again and again.

## Lessons

1. More responses make a month-to-month chart worth reading.
2. Share comments with the team who created the experience, quickly.
"""
MATERNITY_BODY = """{fiction}

## Why commissioners acted

{icb} saw maternity comments about meeting a different midwife at every appointment.
It wrote continuity of carer into the 2023-24 contracts with {names}.

## The levers

- a quality incentive paid for each team that reached continuity for most women;
- a shared measure: the maternity Friends and Family Test, reviewed at every contract meeting;
- money for one extra community midwife team at each trust from 1 July 2023.

## What happened

Both trusts' maternity scores rose from August 2023 and stayed higher through 2024.

## Points for other commissioners

1. Pick a measure patients already answer, and agree it with providers before the year starts.
2. Pay for the change, not only for the result.
3. Look at both trusts' charts together: a shared rise is stronger evidence than one.
"""


def case_studies(ref: dict) -> tuple[list[dict], list[dict]]:
    sp = ref["special"]
    names = {p["code"]: p["name"] for p in ref["providers"]}
    icb = {c["code"]: c["name"] for c in ref["commissioners"]}
    mat = sp["maternity_study"]
    studies = [
        {"id": "turning-feedback-into-change", "title": f"Turning feedback into change at {names[sp['improving']]}",
         "themes": "improving-experience", "setting": "gp", "providers": sp["improving"], "measures": "fft-gp",
         "intervention_date": "2023-10-01", "published": "2024-09-02",
         "summary": "A GP practice fixed its phone line, named its team and explained test results, "
                    "and patients' experience improved within four months.",
         "body": PRACTICE_BODY.format(fiction=FICTION, name=names[sp["improving"]])},
        {"id": "text-message-feedback-in-ae", "title": "Hearing from more A&E patients by text message",
         "themes": "data-collection improving-experience", "setting": "ae", "providers": sp["ae_study"],
         "measures": "fft-ae", "intervention_date": "2024-01-15", "published": "2024-11-18",
         "summary": "An emergency department asked every patient one question by text, doubled its responses "
                    "and acted on what they said.",
         "body": AE_BODY.format(fiction=FICTION, name=names[sp["ae_study"]])},
        {"id": "maternity-continuity-through-the-contract", "title": "Continuity of midwife written into the contract",
         "themes": "commissioning-levers improving-experience", "setting": "maternity", "providers": " ".join(mat),
         "measures": "fft-maternity", "intervention_date": "2023-07-01", "published": "2024-06-03",
         "summary": "An integrated care board used its contracts and a quality incentive to give women the same "
                    "midwife throughout pregnancy.",
         "body": MATERNITY_BODY.format(fiction=FICTION, icb=icb[[p["commissioner"] for p in ref["providers"]
                                                                  if p["code"] == mat[0]][0]],
                                       names=" and ".join(names[c] for c in mat))},
    ]
    redirects = [{"from": "sms-feedback-in-ae", "to": "text-message-feedback-in-ae"}]
    return studies, redirects


def case_truth(ref: dict) -> dict:
    return {"case_study": "turning-feedback-into-change", "provider": ref["special"]["improving"],
            "measure": "fft-gp", "intervention_date": "2023-10-01"}


# --- writing ------------------------------------------------------------------------------

def write_package(out: Path, name: str, title: str, description: str,
                  resources: list[tuple[str, dict[str, list[dict]]]]) -> list[dict]:
    """Write one package folder; resources are (name, {relative path: rows}). Returns stats."""
    folder = out / name
    folder.mkdir(parents=True)
    entries, stats = [], []
    for resource, files in resources:
        sch = schema(resource)
        fields = [f["name"] for f in sch["fields"]]
        paths = sorted(files)
        for rel in paths:
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(csv_text(fields, sort_rows(resource, files[rel])).encode("utf-8"))
        stats.append({"package": name, "resource": resource, "files": len(paths),
                      "rows": sum(len(files[p]) for p in paths),
                      "bytes": sum((folder / p).stat().st_size for p in paths)})
        entries.append({"name": resource, "path": paths if len(paths) > 1 else paths[0],
                        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": sch})
    descriptor = {"name": name, "title": title, "description": description, "standard": "1.0",
                  "example": True, "licenses": LICENSES, "resources": entries}
    (folder / "datapackage.json").write_bytes(
        (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return stats


def readme(stats: list[dict], total: int) -> str:
    lines = [
        "# Example data packages (fictional)",
        "",
        "**Everything in this folder is fictional example data.** The organisations, places, codes,",
        "postcodes, people and numbers are invented; none describes a real NHS body or a real patient.",
        "The data exist so that the site can be built, tested and shown without real data. Every",
        "package says `\"example\": true` in its `datapackage.json`, so tools can tell it is example",
        "data (the validator reports problem code `example-data`). Codes are chosen not to clash with",
        "real ODS codes: trusts `X1A`-style, independent providers `XP1`-style, GP practices",
        "`YX0001`-style, commissioners `QX1`-`QX4`; postcodes use the unused areas `ZX` and `ZZ`.",
        "",
        "Do not edit these files by hand: a test checks that they equal a fresh generation. To change",
        "them, edit `scripts/make_example_data.py` and run",
        "",
        "    python scripts/make_example_data.py",
        "",
        "The generator is seeded (`numpy.random.default_rng(20241)`) and writes byte-identical files",
        "on every run. It also writes `tests/example_truth.json`, the signals planted in the data.",
        "",
        "## Packages",
        "",
        "- `example-reference`: 4 commissioners (integrated care boards) in 3 regions, 30 NHS trusts,",
        "  3 independent providers and 150 GP practices; the measures, patient groups and sources.",
        "  One trust closed on 2024-03-31 and one practice on 2024-06-30; they have no scores after.",
        "- `example-fft`: monthly Friends and Family Test scores, 2023-01 to 2024-12, for inpatient,",
        "  A&E and maternity care (trusts and independent providers) and GP practices, one file per",
        "  quarter. Every month has breakdowns by age band and ethnic group. Within a dimension the",
        "  group cells add up to the `all` row, so a suppressed cell could be recovered from the",
        "  others: secondary suppression is needed. Cells with no responses are left out.",
        "- `example-survey`: an annual inpatient survey (2022-2024), five questions scored 0-10,",
        "  mean score with standard error, for trusts.",
        "- `example-complaints`: quarterly complaints (2023-Q1 to 2024-Q4) against the number expected",
        "  from each provider's activity, for trusts and GP practices; fewer is better.",
        "- `example-staff`: annual staff survey (2022-2024), share of staff who would recommend the",
        "  standard of care, for trusts.",
        "- `example-case-studies`: three good-practice case studies and one redirect from an old id.",
        "",
        "Seldom-heard groups (marked `seldom_heard: true`): people aged 16 to 24 and people from Black,",
        "mixed or other ethnic groups, whose views national surveys and the FFT hear least often.",
        "",
        "## Planted signals",
        "",
        "- One trust falls sharply on inpatient FFT from 2024-07 and is also worse on the 2024 inpatient",
        "  survey and on complaints from 2024-Q2 (and on the 2024 staff survey).",
        "- One GP practice improves from about 80% to 97% positive after 2023-10 (case study).",
        "- One trust's A&E doubles its responses and improves after 2024-01 (case study), and two",
        "  trusts' maternity scores improve after 2023-07 (case study).",
        "- At one large trust, inpatients aged 16 to 24 are much less positive than its patients overall.",
        "- Three independent providers and five GP practices have fewer than 30 responses a month,",
        "  often fewer than 10; some practices miss a month.",
        "",
        "## Files",
        "",
        "| package | resource | files | rows | bytes |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {s['package']} | {s['resource']} | {s['files']} | {s['rows']} | {s['bytes']} |" for s in stats]
    lines += ["", f"Total size of the CSV files: {total} bytes.", ""]
    return "\n".join(lines)


def generate(out: Path, truth_path: Path) -> list[dict]:
    rng = np.random.default_rng(SEED)
    ref = reference(rng)
    providers = {p["code"]: p for p in ref["providers"]}
    fft = fft_scores(rng, ref, MONTHS)
    survey = survey_scores(rng, ref, YEARS)
    complaints = complaints_scores(rng, ref, QUARTERS)
    staff = staff_scores(rng, ref, YEARS)
    studies, redirects = case_studies(ref)
    assert all(p in providers for s in studies for p in s["providers"].split())

    for name in PACKAGES:
        if (out / name).exists():
            shutil.rmtree(out / name)
    out.mkdir(parents=True, exist_ok=True)
    by_quarter: dict[str, list[dict]] = {}
    for row in fft:
        month = int(row["period"][5:])
        by_quarter.setdefault(f"scores/{row['period'][:4]}-Q{(month + 2) // 3}.csv", []).append(row)

    stats = []
    stats += write_package(out, "example-reference", "Example reference data (fictional)",
                           "Fictional commissioners, providers, measures, patient groups and sources.",
                           [(r, {f"{r}.csv": ref[r]}) for r in ("commissioners", "providers", "measures", "groups", "sources")])
    stats += write_package(out, "example-fft", "Example Friends and Family Test data (fictional)",
                           "Fictional monthly FFT scores, 2023-01 to 2024-12, with age and ethnicity breakdowns.",
                           [("scores", by_quarter)])
    stats += write_package(out, "example-survey", "Example inpatient survey data (fictional)",
                           "Fictional annual inpatient survey question scores (0 to 10) for trusts, 2022 to 2024.",
                           [("scores", {"scores.csv": survey})])
    stats += write_package(out, "example-complaints", "Example complaints data (fictional)",
                           "Fictional quarterly complaints, observed against expected, 2023-Q1 to 2024-Q4.",
                           [("scores", {"scores.csv": complaints})])
    stats += write_package(out, "example-staff", "Example staff survey data (fictional)",
                           "Fictional annual staff survey: would recommend the standard of care, 2022 to 2024.",
                           [("scores", {"scores.csv": staff})])
    stats += write_package(out, "example-case-studies", "Example case studies (fictional)",
                           "Fictional good-practice case studies and one redirect.",
                           [("case-studies", {"case-studies.csv": studies}), ("redirects", {"redirects.csv": redirects})])
    total = sum(s["bytes"] for s in stats)
    (out / "README.md").write_bytes(readme(stats, total).encode("utf-8"))

    truth = dict(ref["truth"], case_study_improvement=case_truth(ref))
    truth_path.parent.mkdir(parents=True, exist_ok=True)
    truth_path.write_bytes((json.dumps(truth, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "datapackages", help="folder to write the packages into")
    parser.add_argument("--truth", type=Path, default=ROOT / "tests" / "example_truth.json",
                        help="where to write the planted signals")
    args = parser.parse_args(argv)
    stats = generate(args.out, args.truth)
    width = max(len(s["package"]) for s in stats)
    for s in stats:
        print(f"{s['package']:<{width}}  {s['resource']:<13} {s['files']:>2} files {s['rows']:>7} rows {s['bytes']:>9} bytes")
    print(f"total {sum(s['bytes'] for s in stats)} bytes in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
