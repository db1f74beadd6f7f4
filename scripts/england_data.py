"""An England-scale fictional data set in the project's standard, for the benchmark (issue 10).

Same package layout as scripts/make_example_data.py (reference, FFT by quarter
file, surveys, complaints, staff survey, case studies), drawn with numpy from
one seeded generator and written with pandas. Every name, code and number is
invented. Full scale: 42 commissioners, 220 NHS trusts, 80 independent
providers, 7,000 GP practices (7,300 providers), 42 measures, 24 monthly
periods with age and ethnicity breakdowns, about 2.7 million score rows.

    python scripts/england_data.py --out /tmp/england/data [--scale 0.1]

Never commit the output.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20250
ROOT = Path(__file__).resolve().parents[1]
STANDARD = ROOT / "generator" / "standard"
MONTHS = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]
NEXT_MONTH, NEXT_FILE = "2025-01", "scores/2025-Q1.csv"  # drawn with the rest, held back for the benchmark's update
FFT_MONTHS = MONTHS + [NEXT_MONTH]
QUARTERS = [f"{y}-Q{q}" for y in (2023, 2024) for q in range(1, 5)]
YEARS = ["2023", "2024"]
LICENSES = [{"name": "CC0-1.0", "title": "Creative Commons Zero (fictional benchmark data)"}]
REGIONS = ["North East Example", "North West Example", "Yorkshire Example", "Midlands Example",
           "East Example", "London Example", "South East Example", "South West Example"]
SYLLABLES = ["Ex", "Sam", "Mock", "Dem", "Fic", "Pro", "Tem", "Faux", "Sham", "Pseu", "Imag", "Mim",
             "Plac", "Dumm", "Inv", "Spec", "Ton", "Lor", "Bram", "Wick", "Ash", "Holm", "Kell", "Rook"]
ENDINGS = ["ton", "by", "ford", "ley", "ham", "bury", "wick", "mouth", "field", "combe", "thorpe", "stead"]
STEMS = ["Acorn", "Beech", "Birch", "Bramble", "Cedar", "Chestnut", "Clover", "Elm", "Fern", "Foxglove",
         "Hawthorn", "Hazel", "Heather", "Holly", "Ivy", "Juniper", "Larch", "Laurel", "Linden", "Maple",
         "Meadow", "Mill", "Oak", "Orchard", "Poplar", "Rowan", "Willow", "Yew", "Kingfisher", "Lark"]
SUFFIXES = ["Lane Surgery", "Road Medical Centre", "Street Practice", "Health Centre", "Family Practice"]
TRUST_KINDS = ["acute"] * 120 + ["general"] * 30 + ["specialist"] * 25 + ["womens"] * 5 + ["community"] * 40
KIND_WORDS = {"acute": "Teaching Hospitals NHS Foundation Trust", "general": "General Hospital NHS Trust",
              "specialist": "Specialist Hospital NHS Foundation Trust", "womens": "Women's Hospital NHS Trust",
              "community": "Community Health NHS Trust"}
KIND_FFT = {"acute": ["fft-inpatient", "fft-ae", "fft-maternity", "fft-outpatient"],
            "general": ["fft-inpatient", "fft-ae", "fft-outpatient"], "womens": ["fft-inpatient", "fft-maternity"],
            "specialist": ["fft-inpatient", "fft-outpatient"], "community": ["fft-inpatient", "fft-outpatient"],
            "independent": ["fft-inpatient"], "practice": ["fft-gp"]}
FFT = {  # measure: setting, share positive nationally, monthly responses median, log spread, min, max
    "fft-inpatient": ("inpatient", 0.94, 900, 0.6, 200, 3000), "fft-ae": ("ae", 0.85, 1300, 0.5, 300, 4000),
    "fft-maternity": ("maternity", 0.93, 260, 0.45, 60, 700), "fft-outpatient": ("outpatient", 0.93, 1500, 0.6, 300, 5000),
    "fft-gp": ("gp", 0.91, 110, 0.7, 20, 400)}
AGES = ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-plus"]
ETHNICITIES = {"white": "White", "asian": "Asian or Asian British", "black": "Black, Black British, Caribbean or African",
               "mixed": "Mixed or multiple ethnic groups", "other": "Other ethnic group"}
AGE_MIX = np.array([.07, .12, .14, .17, .19, .17, .14])
ETHNIC_MIX = np.array([.82, .09, .04, .03, .02])
AGE_EFFECT = np.array([-0.35, -0.2, -0.1, 0.0, 0.1, 0.2, 0.15])
ETHNIC_EFFECT = np.array([0.05, -0.1, -0.2, -0.2, -0.15])
SURVEY_QUESTIONS = ["overall", "respect", "nurses", "doctors", "discharge", "privacy", "pain", "food", "noise", "involved"]
GPPS_QUESTIONS = ["overall", "phone", "website", "receptionists", "choice", "appointment-time", "waited", "listened",
                  "time", "care", "confidence", "needs-met", "involved", "mental-health", "after-hours",
                  "pharmacy", "online", "continuity", "recommend", "support"]
STAFF_QUESTIONS = ["recommend-care", "recommend-work", "safety", "raise-concerns", "acted-on"]
SEASON = np.array([1.02, 1.0, 1.03, 0.98, 1.0, 0.97, 0.98, 0.93, 1.0, 1.02, 1.01, 0.86])
SCORE_FIELDS = [f["name"] for f in json.loads((STANDARD / "scores.json").read_text(encoding="utf-8"))["fields"]]


def expit(x):
    return 1 / (1 + np.exp(-x))


def logit(p):
    return np.log(p / (1 - p))


def measures() -> pd.DataFrame:
    rows = [(m, f"Good experience ({s}, Friends and Family Test)", "fft", "fft-monthly", s, "proportion",
             "higher-is-better", "%", f"Share of people who said their experience of {s} care was good or very good.")
            for m, (s, *_) in FFT.items()]
    rows += [(f"survey-inpatient-{q}", f"Inpatient survey: {q.replace('-', ' ')}", "survey", "inpatient-survey",
              "inpatient", "mean", "higher-is-better", "points", f"Average score out of 10 for the question on {q}.")
             for q in SURVEY_QUESTIONS]
    rows += [(f"gpps-{q}", f"GP patient survey: {q.replace('-', ' ')}", "survey", "gp-patient-survey", "gp",
              "proportion", "higher-is-better", "%", f"Share of patients answering positively on {q}.")
             for q in GPPS_QUESTIONS]
    rows += [("complaints-trust", "Written complaints about the trust", "complaints", "complaints-quarterly",
              "organisation", "ratio", "lower-is-better", "ratio", "Complaints received against the number expected."),
             ("complaints-gp", "Written complaints about the GP practice", "complaints", "complaints-quarterly",
              "gp", "ratio", "lower-is-better", "ratio", "Complaints received against the number expected.")]
    rows += [(f"staff-{q}", f"Staff survey: {q.replace('-', ' ')}", "staff", "staff-survey", "organisation",
              "proportion", "higher-is-better", "%", f"Share of staff answering positively on {q}.")
             for q in STAFF_QUESTIONS]
    return pd.DataFrame(rows, columns=["id", "name", "source", "dataset", "setting", "kind", "polarity", "unit",
                                       "description"])


def reference(rng, scale: float) -> dict:
    n_icb = max(4, round(42 * min(1.0, scale * 2)))
    icbs = pd.DataFrame({"code": [f"QY{i:02d}" for i in range(1, n_icb + 1)],
                         "name": [f"NHS Example Area {i} Integrated Care Board" for i in range(1, n_icb + 1)],
                         "region": [REGIONS[i % len(REGIONS)] for i in range(n_icb)]})
    towns = sorted({a + b.lower() + c for a in SYLLABLES for b in ("", "er", "an") for c in ENDINGS})
    towns = list(rng.permutation(towns))
    n_trust, n_ind, n_gp = round(220 * scale), round(80 * scale), round(7000 * scale)
    kinds = [TRUST_KINDS[i % len(TRUST_KINDS)] for i in range(n_trust)] + ["independent"] * n_ind + ["practice"] * n_gp
    n = len(kinds)
    icb = rng.integers(0, n_icb, n)
    town_ix = icb * 20 + rng.integers(0, 20, n)  # 20 towns per commissioner
    town = [towns[t % len(towns)] for t in town_ix]
    codes = [f"XT{i:03d}" for i in range(1, n_trust + 1)] + [f"XP{i:03d}" for i in range(1, n_ind + 1)] \
        + [f"YX{i:05d}" for i in range(1, n_gp + 1)]
    seen: dict[str, int] = {}
    names = []
    for k, t in zip(kinds, town):
        j = seen.get((k, t), 0) if k != "practice" else seen.get(t, 0)
        if k == "practice":
            seen[t] = j + 1
            names.append(f"{t} {STEMS[j % 30]} {SUFFIXES[(j // 30) % 5]}" + (f" {j // 150 + 1}" if j >= 150 else ""))
        elif k == "independent":
            seen[(k, t)] = j + 1
            names.append(f"{t} Independent Clinic{' ' + str(j + 1) if j else ''}")
        else:
            seen[(k, t)] = j + 1
            names.append(f"{t}{' ' + 'North South East West Central'.split()[j % 5] if j else ''} {KIND_WORDS[k]}"
                         + (f" {j // 5 + 1}" if j >= 5 else ""))
    district = icb * 20 + (town_ix % 20)
    within = pd.Series(district).groupby(district).cumcount().to_numpy()  # number inside the district
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    postcode = [f"Z{letters[d // 99]}{d % 99 + 1} {w % 10}{letters[(w // 10) % 20]}{letters[w // 200]}"
                for d, w in zip(district, within)]
    lat = np.round(50.5 + 4.5 * rng.random(n), 4)
    lon = np.round(-5 + 6.5 * rng.random(n), 4)
    ptype = np.where(np.array(kinds) == "practice", "gp-practice",
                     np.where(np.array(kinds) == "independent", "independent", "nhs-trust"))
    closed = np.where(rng.random(n) < 0.005, "2024-06-30", "")
    prov = pd.DataFrame({"code": codes, "name": names, "type": ptype, "commissioner": icbs["code"].to_numpy()[icb],
                         "region": icbs["region"].to_numpy()[icb], "town": town, "postcode": postcode,
                         "latitude": [f"{v:.4f}" for v in lat], "longitude": [f"{v:.4f}" for v in lon],
                         "opened": "2000-04-01", "closed": closed})
    assert prov["name"].is_unique and prov["postcode"].is_unique
    latent = rng.normal(0, 0.25, n)
    return {"commissioners": icbs, "providers": prov, "kinds": np.array(kinds), "latent": latent}


def groups() -> pd.DataFrame:
    rows = [("all", "all", "All patients", "false")]
    rows += [(f"age-{a}", "age", f"Aged {a.replace('-plus', ' and over').replace('-', ' to ')}",
              "true" if a == "16-24" else "false") for a in AGES]
    rows += [(f"ethnicity-{e}", "ethnicity", label, "true" if e in ("black", "mixed", "other") else "false")
             for e, label in ETHNICITIES.items()]
    return pd.DataFrame(rows, columns=["id", "dimension", "label", "seldom_heard"])


def sources() -> pd.DataFrame:
    ids = ["example-organisations", "fft-monthly", "inpatient-survey", "gp-patient-survey", "complaints-quarterly",
           "staff-survey", "example-case-studies"]
    return pd.DataFrame({"id": ids, "title": [f"Benchmark {i.replace('-', ' ')} (fictional)" for i in ids],
                         "publisher": "England benchmark generator (fictional)", "licence": "CC0-1.0",
                         "url": [f"https://example.org/fictional/{i}" for i in ids], "retrieved": "2025-01-15",
                         "checksum": ""})


def _open_mask(ref: dict, idx: np.ndarray, periods: list[str]) -> np.ndarray:
    """(providers, periods): True while the provider is open (closures on 2024-06-30)."""
    closed = ref["providers"]["closed"].to_numpy()[idx] != ""
    late = np.array([p[:4] > "2024" or p[:4] == "2024" and (p[5:] > "06" if len(p) == 7 else p[-1] in "34" if "Q" in p
                                                              else True) for p in periods])
    return ~(closed[:, None] & late[None, :])


def fft_scores(rng, ref: dict) -> pd.DataFrame:
    kinds, latent = ref["kinds"], ref["latent"]
    codes = ref["providers"]["code"].to_numpy()
    season = SEASON[[int(m[5:]) - 1 for m in FFT_MONTHS]]
    mix = np.outer(AGE_MIX, ETHNIC_MIX).ravel()
    effect = (AGE_EFFECT[:, None] + ETHNIC_EFFECT[None, :]).ravel()
    gid = np.array(["all"] + [f"age-{a}" for a in AGES] + [f"ethnicity-{e}" for e in ETHNICITIES])
    frames = []
    for measure, (_, share, median, spread, lo, hi) in FFT.items():
        idx = np.flatnonzero([measure in KIND_FFT[k] for k in kinds])
        if not idx.size:
            continue
        small = (kinds[idx] == "independent") | (rng.random(idx.size) < 0.03)
        size = np.clip(median * np.exp(rng.normal(0, spread, idx.size)), lo, hi)
        size = np.where(small, np.clip(15 * np.exp(rng.normal(0, 0.35, idx.size)), 6, 30), size)
        n = np.round(size[:, None] * season[None, :] * np.exp(rng.normal(0, 0.12, (idx.size, len(FFT_MONTHS)))))
        n = np.clip(n, 1, None).astype(np.int64)
        logits = logit(share) + latent[idx, None] + rng.normal(0, 0.13, (idx.size, len(FFT_MONTHS)))
        cells = rng.multinomial(n, mix)                                           # (P, T, 35)
        pos = rng.binomial(cells, expit(logits[:, :, None] + effect[None, None, :]))
        c = cells.reshape(idx.size, len(FFT_MONTHS), 7, 5)
        x = pos.reshape(idx.size, len(FFT_MONTHS), 7, 5)
        resp = np.concatenate([c.sum((2, 3))[..., None], c.sum(3), c.sum(2)], axis=2)   # (P, T, 13)
        num = np.concatenate([x.sum((2, 3))[..., None], x.sum(3), x.sum(2)], axis=2)
        keep = (resp > 0) & _open_mask(ref, idx, FFT_MONTHS)[:, :, None]
        keep &= (rng.random((idx.size, len(FFT_MONTHS))) >= 0.005)[:, :, None]   # a few missing months
        p, t, g = np.nonzero(keep)
        frames.append(pd.DataFrame({"provider": codes[idx][p], "measure": measure, "period": np.array(FFT_MONTHS)[t],
                                    "group": gid[g], "responses": resp[p, t, g], "numerator": num[p, t, g]}))
    return pd.concat(frames, ignore_index=True)


def _flat(ref, idx, periods, **cols) -> pd.DataFrame:
    p, t = np.nonzero(_open_mask(ref, idx, periods))
    codes = ref["providers"]["code"].to_numpy()
    return pd.DataFrame({"provider": codes[idx][p], "period": np.array(periods)[t], "group": "all",
                         **{k: v[p, t] for k, v in cols.items()}})


def annual_scores(rng, ref: dict) -> dict[str, pd.DataFrame]:
    kinds, latent = ref["kinds"], ref["latent"]
    trusts = np.flatnonzero(np.isin(kinds, ["acute", "general", "specialist", "womens"]))
    all_trusts = np.flatnonzero(~np.isin(kinds, ["practice", "independent"]))
    gps = np.flatnonzero(kinds == "practice")
    ny = len(YEARS)
    survey = []
    for q in SURVEY_QUESTIONS:
        n = np.clip(np.round(500 * np.exp(rng.normal(0, 0.45, (trusts.size, ny)))), 50, 1200).astype(np.int64)
        se = 1.9 * np.exp(rng.normal(0, 0.05, n.shape)) / np.sqrt(n)
        mean = np.clip(8.2 + 1.5 * latent[trusts, None] + rng.normal(0, 0.1, n.shape), 0, 10)
        survey.append(_flat(ref, trusts, YEARS, responses=n, mean=np.char.mod("%.2f", mean),
                            se=np.char.mod("%.3f", se)).assign(measure=f"survey-inpatient-{q}"))
    gpps = []
    for q in GPPS_QUESTIONS:
        n = np.clip(np.round(120 * np.exp(rng.normal(0, 0.5, (gps.size, ny)))), 5, 600).astype(np.int64)
        x = rng.binomial(n, expit(logit(0.8) + latent[gps, None] + rng.normal(0, 0.15, n.shape)))
        gpps.append(_flat(ref, gps, YEARS, responses=n, numerator=x).assign(measure=f"gpps-{q}"))
    staff = []
    for q in STAFF_QUESTIONS:
        n = np.round(2000 * np.exp(rng.normal(0, 0.6, (all_trusts.size, ny)))).astype(np.int64)
        x = rng.binomial(n, expit(logit(0.63) + 1.2 * latent[all_trusts, None] + rng.normal(0, 0.1, n.shape)))
        staff.append(_flat(ref, all_trusts, YEARS, responses=n, numerator=x).assign(measure=f"staff-{q}"))
    complaints = []
    for measure, idx, size, rate in (("complaints-trust", all_trusts, 60000, 2.0), ("complaints-gp", gps, 8000, 0.8)):
        act = np.round(size * np.exp(rng.normal(0, 0.5, idx.size))[:, None]
                       * np.exp(rng.normal(0, 0.04, (idx.size, len(QUARTERS))))).astype(np.int64)
        exp = act * rate / 1000 * np.exp(rng.normal(0, 0.1, act.shape))
        obs = rng.poisson(exp * np.exp(-latent[idx, None] + rng.normal(0, 0.08, act.shape)))
        complaints.append(_flat(ref, idx, QUARTERS, responses=act, observed=obs,
                                expected=np.char.mod("%.2f", exp)).assign(measure=measure))
    return {"survey": pd.concat(survey, ignore_index=True), "gpps": pd.concat(gpps, ignore_index=True),
            "staff": pd.concat(staff, ignore_index=True), "complaints": pd.concat(complaints, ignore_index=True)}


def case_studies(ref: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    prov = ref["providers"]
    gp = prov.loc[prov["type"] == "gp-practice", "code"].iat[0]
    trust = prov.loc[ref["kinds"] == "acute", "code"].iat[0]
    body = "*This case study is fictional benchmark data.*\n\n## What we did\n\nWe listened and changed things.\n"
    cs = pd.DataFrame([
        {"id": "benchmark-practice-phones", "title": "A practice fixes its phone line", "themes": "improving-experience",
         "setting": "gp", "providers": gp, "measures": "fft-gp", "intervention_date": "2023-10-01",
         "published": "2024-09-02", "summary": "A fictional practice added a call-back queue.", "body": body},
        {"id": "benchmark-ae-texts", "title": "Text-message feedback in A&E", "themes": "data-collection",
         "setting": "ae", "providers": trust, "measures": "fft-ae", "intervention_date": "2024-01-15",
         "published": "2024-11-18", "summary": "A fictional A&E asked every patient by text.", "body": body}])
    return cs, pd.DataFrame([{"from": "benchmark-sms", "to": "benchmark-ae-texts"}])


def _schema(resource: str) -> dict:
    return json.loads((STANDARD / f"{resource}.json").read_text(encoding="utf-8"))


def write_package(out: Path, name: str, title: str, resources: list[tuple[str, dict[str, pd.DataFrame]]]) -> int:
    """One package folder; resources are (name, {relative path: frame}). Returns rows written."""
    folder = out / name
    folder.mkdir(parents=True)
    entries, rows = [], 0
    for resource, files in resources:
        sch = _schema(resource)
        fields = [f["name"] for f in sch["fields"]]
        for rel, df in sorted(files.items()):
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            df.reindex(columns=fields).to_csv(folder / rel, index=False, lineterminator="\n")
            rows += len(df)
        paths = sorted(files)
        entries.append({"name": resource, "path": paths if len(paths) > 1 else paths[0], "format": "csv",
                        "mediatype": "text/csv", "encoding": "utf-8", "schema": sch})
    desc = {"name": name, "title": title, "description": f"{title}: fictional data for the England-scale benchmark.",
            "standard": "1.0", "example": True, "licenses": LICENSES, "resources": entries}
    (folder / "datapackage.json").write_text(json.dumps(desc, indent=2) + "\n", encoding="utf-8")
    return rows


def generate(out: Path, scale: float = 1.0, seed: int = SEED, next_month: Path | None = None) -> dict:
    """Write the packages into out/ (replacing it). Returns counts. The FFT rows of NEXT_MONTH are drawn too but
    held back: written to next_month (a CSV file) when given, for with_next_month()."""
    rng = np.random.default_rng(seed)
    ref = reference(rng, scale)
    fft = fft_scores(rng, ref)
    held = fft["period"] == NEXT_MONTH
    if next_month is not None:
        next_month.parent.mkdir(parents=True, exist_ok=True)
        fft[held].reindex(columns=SCORE_FIELDS).to_csv(next_month, index=False, lineterminator="\n")
    fft = fft[~held]
    other = annual_scores(rng, ref)
    cs, redirects = case_studies(ref)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    quarter = fft["period"].str[:4] + "-Q" + ((fft["period"].str[5:].astype(int) + 2) // 3).astype(str)
    rows = write_package(out, "england-reference", "England benchmark reference data",
                         [("commissioners", {"commissioners.csv": ref["commissioners"]}),
                          ("providers", {"providers.csv": ref["providers"]}), ("measures", {"measures.csv": measures()}),
                          ("groups", {"groups.csv": groups()}), ("sources", {"sources.csv": sources()})])
    scores = write_package(out, "england-fft", "England benchmark FFT",
                           [("scores", {f"scores/{q}.csv": g for q, g in fft.groupby(quarter, sort=True)})])
    for key, title in (("survey", "inpatient survey"), ("gpps", "GP patient survey"), ("complaints", "complaints"),
                       ("staff", "staff survey")):
        scores += write_package(out, f"england-{key}", f"England benchmark {title}", [("scores", {"scores.csv": other[key]})])
    rows += write_package(out, "england-case-studies", "England benchmark case studies",
                          [("case-studies", {"case-studies.csv": cs}), ("redirects", {"redirects.csv": redirects})])
    return {"providers": len(ref["providers"]), "measures": len(measures()), "score_rows": scores,
            "periods": len(MONTHS), "bytes": sum(p.stat().st_size for p in out.rglob("*") if p.is_file())}


def with_next_month(data: Path, held: Path, dest: Path) -> Path:
    """The data set a month later: dest holds data (hard-linked) plus the held-back month as a new file of the FFT
    package's scores resource, as a publisher adds a month."""
    if dest.exists():
        shutil.rmtree(dest)
    for p in sorted(data.rglob("*")):
        if p.is_file():
            target = dest / p.relative_to(data)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(p, target)
            except OSError:
                shutil.copy2(p, target)
    fft = dest / "england-fft"
    shutil.copyfile(held, fft / NEXT_FILE)
    desc = json.loads((fft / "datapackage.json").read_text(encoding="utf-8"))
    scores = next(r for r in desc["resources"] if r["name"] == "scores")
    scores["path"] = sorted(scores["path"] + [NEXT_FILE])
    (fft / "datapackage.json").unlink()  # a hard link: replace, never write through it
    (fft / "datapackage.json").write_text(json.dumps(desc, indent=2) + "\n", encoding="utf-8")
    return dest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--scale", type=float, default=1.0, help="share of England's providers (1 = 7,300)")
    a = ap.parse_args(argv)
    print(json.dumps(generate(a.out, a.scale)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
