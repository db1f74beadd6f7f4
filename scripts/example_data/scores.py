"""Fictional scores with planted signals: FFT, survey, complaints and staff survey."""
from __future__ import annotations

import numpy as np

from .common import MONTHS, open_in
from .reference import AGES, ETHNICITIES, KIND_MEASURES

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
