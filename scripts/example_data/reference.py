"""Fictional organisations, measures, groups and sources of the example data."""
from __future__ import annotations

import numpy as np

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
    districts = [{"district": t["district"], "latitude": f"{t['centre'][0]:.4f}", "longitude": f"{t['centre'][1]:.4f}"}
                 for t in sorted(towns.values(), key=lambda t: (t["district"][:2], int(t["district"][2:])))]
    return {"postcode-districts": districts, "commissioners": commissioners, "providers": providers, "measures": [dict(zip(MEASURE_FIELDS, m)) for m in MEASURES],
            "groups": [{"id": g[0], "dimension": g[1], "label": g[2], "seldom_heard": "true" if g[3] else "false"} for g in GROUPS],
            "sources": [dict(zip(SOURCE_FIELDS, s)) for s in SOURCES],
            "scales": [{"measure": m[0], "minimum": "0", "maximum": "10"} for m in MEASURES if m[5] == "mean"],
            "special": special, "truth": truth}


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
