"""The fictional example data: reproducible, valid, plausible, and carrying the planted signals.

The generator is scripts/make_example_data.py; the signals it planted are in
tests/example_truth.json. The small overdispersion and XmR helpers below follow
the project's statistical standard (shared/methods.md, sections 2 and 5), copied
here so the test does not read it at run time; they check the plants, not the
pipeline's own statistics.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import frictionless
import numpy as np
import pandas as pd
import pytest

from generator.data.dataset import STANDARD_VERSION

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "make_example_data.py"
COMMITTED = ROOT / "datapackages"
TRUTH = json.loads((ROOT / "tests" / "example_truth.json").read_text(encoding="utf-8"))
PACKAGES = ["example-case-studies", "example-complaints", "example-fft", "example-reference",
            "example-staff", "example-survey"]
Z95, Z998 = 1.959964, 3.090232
MONTHS = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]


def run_generator(out: Path, truth: Path, hashseed: str) -> None:
    env = dict(os.environ, PYTHONHASHSEED=hashseed)
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out), "--truth", str(truth)],
                   check=True, capture_output=True, env=env, cwd=out.parent)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    """Two generations in separate processes (different hash seeds); returns the base folder."""
    base = tmp_path_factory.mktemp("example")
    run_generator(base / "a", base / "a-truth.json", "1")
    run_generator(base / "b", base / "b-truth.json", "2")
    return base


def read(package: str, resource: str = "scores") -> pd.DataFrame:
    desc = json.loads((COMMITTED / package / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in desc["resources"] if r["name"] == resource)
    paths = res["path"] if isinstance(res["path"], list) else [res["path"]]
    frame = pd.concat([pd.read_csv(COMMITTED / package / p, dtype=str, keep_default_na=False) for p in paths])
    for col in ("responses", "numerator", "observed", "mean", "se", "expected"):
        if col in frame:
            frame[col] = pd.to_numeric(frame[col].replace("", np.nan))
    return frame.reset_index(drop=True)


@pytest.fixture(scope="module")
def ref() -> dict[str, pd.DataFrame]:
    return {r: read("example-reference", r) for r in ("commissioners", "providers", "measures", "groups", "sources")}


@pytest.fixture(scope="module")
def fft() -> pd.DataFrame:
    return read("example-fft")


@pytest.fixture(scope="module")
def scores(fft) -> pd.DataFrame:
    return pd.concat([fft] + [read(p) for p in ("example-survey", "example-complaints", "example-staff")])


# --- helpers from the statistical standard -----------------------------------------------------------

def overdispersed_z(y: np.ndarray, s: np.ndarray, target: float) -> np.ndarray:
    """z_D after a Winsorised (10th/90th percentile) random-effects adjustment."""
    z = (y - target) / s
    lo, hi = np.quantile(z, [0.1, 0.9])
    phi = np.sum(np.clip(z, lo, hi) ** 2) / len(z)
    w = 1 / s ** 2
    n = len(z)
    tau2 = 0.0 if n * phi <= n - 1 else (n * phi - (n - 1)) / (w.sum() - (w ** 2).sum() / w.sum())
    return (y - target) / np.sqrt(s ** 2 + tau2)


def proportion_z(frame: pd.DataFrame) -> pd.Series:
    f = frame[frame["responses"] >= 30]
    target = np.arcsin(np.sqrt(f["numerator"].sum() / f["responses"].sum()))
    y = np.arcsin(np.sqrt(f["numerator"] / f["responses"])).to_numpy()
    return pd.Series(overdispersed_z(y, 1 / (2 * np.sqrt(f["responses"].to_numpy())), target), index=f["provider"])


def mean_z(frame: pd.DataFrame) -> pd.Series:
    w = 1 / frame["se"] ** 2
    target = float((frame["mean"] * w).sum() / w.sum())
    return pd.Series(overdispersed_z(frame["mean"].to_numpy(), frame["se"].to_numpy(), target), index=frame["provider"])


def ratio_z(frame: pd.DataFrame) -> pd.Series:
    y = np.log(np.maximum(frame["observed"], 0.5) / frame["expected"]).to_numpy()
    return pd.Series(overdispersed_z(y, 1 / np.sqrt(frame["expected"].to_numpy()), 0.0), index=frame["provider"])


def xmr_limits(y: np.ndarray) -> tuple[float, float, float]:
    """Mean and process limits, moving ranges >= 3.267 * mean MR screened out once."""
    mr = np.abs(np.diff(y))
    mr_bar = mr[mr < 3.267 * mr.mean()].mean()
    return y.mean(), y.mean() - 2.66 * mr_bar, y.mean() + 2.66 * mr_bar


def share(frame: pd.DataFrame) -> pd.Series:
    return frame["numerator"] / frame["responses"]


def of_type(frame: pd.DataFrame, ref: dict, ptype: str) -> pd.DataFrame:
    types = ref["providers"].set_index("code")["type"]
    return frame[frame["provider"].map(types) == ptype]


def series(fft: pd.DataFrame, provider: str, measure: str, group: str = "all") -> pd.DataFrame:
    f = fft[(fft["provider"] == provider) & (fft["measure"] == measure) & (fft["group"] == group)]
    return f.sort_values("period").set_index("period")


# --- reproducibility ----------------------------------------------------------------------------------

def test_rerun_is_byte_identical(fresh):
    a, b = tree(fresh / "a"), tree(fresh / "b")
    assert len(a) == 6 + 1 + 20  # descriptors, README, CSV files (8 of them FFT quarters; postcode districts)
    assert a == b
    assert (fresh / "a-truth.json").read_bytes() == (fresh / "b-truth.json").read_bytes()


def test_committed_data_equals_fresh_generation(fresh):
    generated = tree(fresh / "a")
    committed = {k: v for k, v in tree(COMMITTED).items() if k == "README.md" or k.split("/")[0] in PACKAGES}
    assert sorted(committed) == sorted(generated), "run: python scripts/make_example_data.py"
    assert [k for k in generated if committed[k] != generated[k]] == [], "run: python scripts/make_example_data.py"
    assert (ROOT / "tests" / "example_truth.json").read_bytes() == (fresh / "a-truth.json").read_bytes()


def test_files_use_unix_line_endings_and_sorted_rows():
    for path in sorted(COMMITTED.rglob("*")):
        if path.is_file():
            assert b"\r" not in path.read_bytes(), path
    for path in sorted((COMMITTED / "example-fft" / "scores").glob("*.csv")):
        rows = pd.read_csv(path, dtype=str)
        keys = list(zip(rows["provider"], rows["measure"], rows["period"], rows["group"]))
        assert keys == sorted(keys), path
        assert rows["period"].map(lambda m: f"{m[:4]}-Q{(int(m[5:]) + 2) // 3}").eq(path.stem).all()


# --- validity -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("package", PACKAGES)
def test_package_is_valid_frictionless(package):
    report = frictionless.validate(str(COMMITTED / package / "datapackage.json"))
    assert report.flatten(["rowNumber", "fieldNumber", "type"]) == []
    assert report.valid


@pytest.mark.parametrize("package", PACKAGES)
def test_descriptor_follows_the_convention(package):
    desc = json.loads((COMMITTED / package / "datapackage.json").read_text(encoding="utf-8"))
    assert desc["name"] == package and desc["standard"] == STANDARD_VERSION and desc["example"] is True
    assert desc["licenses"] == [{"name": "CC0-1.0", "title": "Creative Commons Zero (fictional example data)"}]
    for res in desc["resources"]:
        standard = json.loads((ROOT / "generator" / "standard" / f"{res['name']}.json").read_text(encoding="utf-8"))
        assert res["schema"] == standard and "foreignKeys" not in res["schema"]
        assert (res["format"], res["mediatype"], res["encoding"]) == ("csv", "text/csv", "utf-8")
        for rel in res["path"] if isinstance(res["path"], list) else [res["path"]]:
            header = (COMMITTED / package / rel).read_text(encoding="utf-8").split("\n", 1)[0]
            assert header.split(",") == [f["name"] for f in standard["fields"]]


def test_counts(ref, fft):
    providers = ref["providers"]
    assert providers["type"].value_counts().to_dict() == {"gp-practice": 150, "nhs-trust": 30, "independent": 3}
    assert len(ref["commissioners"]) == 4 and ref["commissioners"]["region"].nunique() in (2, 3)
    assert sorted(fft["period"].unique()) == MONTHS
    assert sorted(fft["measure"].unique()) == ["fft-ae", "fft-gp", "fft-inpatient", "fft-maternity"]
    assert len(read("example-case-studies", "case-studies")) >= 3
    assert sorted(read("example-survey")["period"].unique()) == ["2022", "2023", "2024"]
    assert read("example-complaints")["period"].nunique() == 8


def test_references_resolve(ref, scores):
    codes = set(ref["providers"]["code"])
    assert set(scores["provider"]) <= codes
    assert set(scores["measure"]) == set(ref["measures"]["id"])
    assert set(scores["group"]) == set(ref["groups"]["id"])
    assert set(ref["providers"]["commissioner"]) == set(ref["commissioners"]["code"])
    assert set(ref["measures"]["dataset"]) <= set(ref["sources"]["id"])
    groups = ref["groups"].set_index("id")
    assert groups.loc["all", "dimension"] == "all"
    assert sorted(groups.index[groups["seldom_heard"] == "true"]) == TRUTH["seldom_heard_groups"]
    studies = read("example-case-studies", "case-studies")
    for _, s in studies.iterrows():
        assert set(s["providers"].split()) <= codes and set(s["measures"].split()) <= set(ref["measures"]["id"])
        assert "## " in s["body"] and "\n- " in s["body"] and "<" not in s["body"]
    redirects = read("example-case-studies", "redirects")
    assert set(redirects["to"]) <= set(studies["id"]) and not set(redirects["from"]) & set(studies["id"])


def test_codes_and_places_are_fictional(ref):
    p = ref["providers"]
    pattern = {"nhs-trust": r"X[1-9][A-Z]", "independent": r"XP[0-9]", "gp-practice": r"YX[0-9]{4}"}
    assert all(re.fullmatch(pattern[t], c) for c, t in zip(p["code"], p["type"]))
    assert all(re.fullmatch(r"QX[1-4]", c) for c in ref["commissioners"]["code"])
    assert all(pc[:2] in ("ZX", "ZZ") for pc in p["postcode"]) and p["postcode"].is_unique
    lat, lon = p["latitude"].astype(float), p["longitude"].astype(float)
    assert lat.between(49.9, 55.8).all() and lon.between(-5.7, 1.8).all()
    assert p["name"].is_unique


# --- plausibility -------------------------------------------------------------------------------------

def test_values_are_plausible(ref, fft, scores):
    assert (scores["numerator"].fillna(0) <= scores["responses"]).all()
    assert (scores["period"].str[:7] <= "2026-11").all()
    all_rows = fft[fft["group"] == "all"]
    national = all_rows.groupby("measure").apply(lambda f: f["numerator"].sum() / f["responses"].sum())
    assert national.between(0.80, 0.97).all(), national
    inpatient = of_type(all_rows[all_rows["measure"] == "fft-inpatient"], ref, "nhs-trust")
    assert inpatient["responses"].between(150, 3000).all()
    gp = all_rows[(all_rows["measure"] == "fft-gp") & ~all_rows["provider"].isin(TRUTH["small_providers"])]
    assert gp["responses"].between(20, 400).all()
    survey = read("example-survey")
    assert survey["mean"].between(0, 10).all() and survey["responses"].between(50, 1200).all()
    assert ((survey["se"] > 0) & (survey["se"] < 0.5)).all()


def test_breakdowns_add_up_to_all(fft):
    dims = fft["group"].str.split("-").str[0]
    sums = fft.assign(dim=dims).groupby(["provider", "measure", "period", "dim"])[["responses", "numerator"]].sum()
    wide = sums.unstack("dim")
    for col in ("responses", "numerator"):
        assert (wide[(col, "age")] == wide[(col, "all")]).all()
        assert (wide[(col, "ethnicity")] == wide[(col, "all")]).all()
    assert (fft["responses"] > 0).all()


def period_end(period: str) -> str:
    """Last day of a month, quarter or year, as YYYY-MM-DD (day 31 is enough for comparing dates)."""
    if len(period) == 4:
        return f"{period}-12-31"
    month = int(period[-1]) * 3 if "Q" in period else int(period[5:])
    return f"{period[:4]}-{month:02d}-31"


def test_closed_providers_have_no_later_scores(ref, scores):
    closed = ref["providers"].set_index("code")["closed"]
    assert sorted(closed[closed != ""].index) == TRUTH["closed_providers"]
    for code in TRUTH["closed_providers"]:
        periods = scores.loc[scores["provider"] == code, "period"]
        assert len(periods) > 0
        assert max(period_end(p)[:7] for p in periods) == closed[code][:7]  # scores up to the closing month
        assert all(period_end(p) <= closed[code][:8] + "31" for p in periods)


def test_small_providers_and_small_cells(fft):
    all_rows = fft[fft["group"] == "all"]
    small = all_rows[all_rows["provider"].isin(TRUTH["small_providers"])]
    assert set(small["provider"]) == set(TRUTH["small_providers"])
    assert (small.groupby("provider")["responses"].median() < 30).all()
    assert (small["responses"] < 10).any() and (fft["responses"] < 10).sum() > 1000


# --- planted signals ----------------------------------------------------------------------------------

def test_failing_provider_is_worse_than_expected_at_99_8_in_latest_two_months(ref, fft):
    trusts = of_type(fft[(fft["group"] == "all") & (fft["measure"] == TRUTH["failing_measure"])], ref, "nhs-trust")
    for period in MONTHS[-2:]:
        z = proportion_z(trusts[trusts["period"] == period])
        assert z[TRUTH["failing_provider"]] < -Z998
        assert z.idxmin() == TRUTH["failing_provider"]


def test_failing_provider_shows_special_cause_of_concern(fft):
    y = share(series(fft, TRUTH["failing_provider"], TRUTH["failing_measure"])).to_numpy()
    mean, lower, _ = xmr_limits(y)
    since = MONTHS.index(TRUTH["failing_since"])
    assert (y[since:] < lower).sum() >= 3 and y[-1] < mean
    assert (y[:since] > lower).all()


def test_failing_provider_is_worse_in_survey_and_complaints(ref):
    survey = read("example-survey")
    latest = survey[(survey["period"] == "2024") & (survey["measure"] == "survey-inpatient-overall")]
    assert mean_z(latest)[TRUTH["failing_provider"]] < -Z998
    complaints = read("example-complaints")
    for quarter in ("2024-Q3", "2024-Q4"):
        z = ratio_z(complaints[(complaints["period"] == quarter) & (complaints["measure"] == "complaints-trust")])
        assert z[TRUTH["failing_provider"]] > Z998  # lower is better: more complaints than expected


def test_improving_practice_is_a_good_practice_candidate(ref, fft):
    gp = of_type(fft[(fft["group"] == "all") & (fft["measure"] == TRUTH["improving_measure"])], ref, "gp-practice")
    for period in MONTHS[-2:]:
        assert proportion_z(gp[gp["period"] == period])[TRUTH["improving_provider"]] > Z95
    y = share(series(fft, TRUTH["improving_provider"], TRUTH["improving_measure"]))
    since = TRUTH["improving_since"]
    assert y[y.index > since].mean() - y[y.index < since].mean() > 0.1
    assert (y[y.index > since].to_numpy() > y.mean()).sum() >= 7  # a shift of improvement


def test_seldom_heard_group_is_clearly_worse_than_provider_overall(fft):
    wg = TRUTH["worse_group"]
    assert wg["group"] in TRUTH["seldom_heard_groups"]
    group = series(fft, wg["provider"], wg["measure"], wg["group"]).loc[MONTHS[-6]:]
    overall = series(fft, wg["provider"], wg["measure"]).loc[MONTHS[-6]:]
    assert (group["responses"] >= 30).all()
    p = group["numerator"].sum() / group["responses"].sum()
    assert overall["numerator"].sum() / overall["responses"].sum() - p > 0.15
    assert (share(group) < share(overall)).all()


def test_case_studies_show_improvement_after_intervention(fft):
    studies = read("example-case-studies", "case-studies").set_index("id")
    cs = TRUTH["case_study_improvement"]
    assert studies.loc[cs["case_study"], "intervention_date"] == cs["intervention_date"]
    assert cs["provider"] in studies.loc[cs["case_study"], "providers"].split()
    for sid, s in studies.iterrows():
        assert MONTHS[0] < s["intervention_date"][:7] < MONTHS[-1] and s["intervention_date"] < s["published"]
        for provider in s["providers"].split():
            for measure in s["measures"].split():
                y = share(series(fft, provider, measure))
                month = s["intervention_date"][:7]
                before, after = y[y.index < month].iloc[-6:], y[y.index > month].iloc[-6:]
                assert after.mean() - before.mean() > 0.025, (sid, provider, measure)
