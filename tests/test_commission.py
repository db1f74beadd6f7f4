"""Commissioners: red flags, group gaps, good practice and case-study evidence on the example data."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from site_support import ROOT
from site_support import example_results as results  # validated and compared once per process

TRUTH = json.loads((ROOT / "tests" / "example_truth.json").read_text())


def test_failing_provider_raises_the_expected_flags():
    fl = results().flags
    code, measure = TRUTH["failing_provider"], TRUTH["failing_measure"]
    on_measure = set(fl[(fl["provider"] == code) & (fl["measure"] == measure)]["rule"])
    assert on_measure == {"worse-998-latest", "worse-consecutive", "spc-concern"}
    assert "multiple-sources" in set(fl[fl["provider"] == code]["rule"])
    # every flag names its evidence
    assert fl["evidence"].str.len().min() > 10


def test_no_flag_on_the_measure_for_most_providers():
    fl = results().flags
    measure = TRUTH["failing_measure"]
    flagged = set(fl[(fl["measure"] == measure) & (fl["rule"] == "worse-998-latest")]["provider"])
    assert flagged == {TRUTH["failing_provider"]}


def test_group_built_worse_shows_the_gap():
    b = results().breakdowns
    w = TRUTH["worse_group"]
    latest = results().latest[w["measure"]]
    row = b[(b["provider"] == w["provider"]) & (b["measure"] == w["measure"]) & (b["group"] == w["group"])
            & (b["period"] == latest)].iloc[0]
    assert row["comparison"] == "worse-998"
    assert row["gap"] < -0.15 and row["gap_upper95"] < 0
    assert row["gap"] == pytest.approx(row["estimate"] - row["overall"])
    fl = results().flags
    assert ((fl["provider"] == w["provider"]) & (fl["rule"] == "seldom-heard-gap") & (fl["measure"] == w["measure"])).any()


def _raw_series(provider: str, measure: str) -> pd.DataFrame:
    files = sorted((ROOT / "datapackages" / "example-fft" / "scores").glob("*.csv"))
    df = pd.concat(pd.read_csv(f, dtype={"period": str}) for f in files)
    return df[(df["provider"] == provider) & (df["measure"] == measure) & (df["group"] == "all")].sort_values("period")


def test_case_study_before_after_matches_a_hand_computation():
    t = TRUTH["case_study_improvement"]
    raw = _raw_series(t["provider"], t["measure"])
    month = t["intervention_date"][:7]
    before = raw[raw["period"] < month].tail(6)
    after = raw[raw["period"] >= month].head(6)
    p1 = before["numerator"].sum() / before["responses"].sum()
    p2 = after["numerator"].sum() / after["responses"].sum()
    ev = results().evidence
    row = ev[(ev["case_study"] == t["case_study"]) & (ev["provider"] == t["provider"])].iloc[0]
    assert row["before_estimate"] == pytest.approx(p1, abs=1e-12)
    assert row["after_estimate"] == pytest.approx(p2, abs=1e-12)
    assert row["change_difference"] == pytest.approx(p2 - p1, abs=1e-12)
    assert row["change_lower"] > 0  # a real improvement, as planted
    assert row["before_responses"] == before["responses"].sum()


def test_improving_practice_is_a_good_practice_candidate_with_its_case_study():
    gp = results().good_practice
    t = TRUTH
    assert ((gp["provider"] == t["improving_provider"]) & (gp["measure"] == t["improving_measure"])).any()


def test_triangulation_calls_out_the_failing_trust():
    tri = results().triangulation
    mine = tri[tri["provider"] == TRUTH["failing_provider"]]
    assert set(mine["verdict"]) == {"worse"}
    from generator.compute.evidence import disagreement
    mixed = pd.DataFrame({"provider": ["A", "A"], "source": ["survey", "complaints"], "verdict": ["better", "worse"],
                          "measures": [1, 1]})
    assert disagreement(mixed) == "Sources disagree: National patient survey better than expected; Complaints worse."


def test_rules_file_documents_every_rule():
    from generator.compute.flags import load_rules
    rules = load_rules()
    assert {r["id"] for r in rules} == {"worse-998-latest", "worse-consecutive", "spc-concern", "seldom-heard-gap",
                                        "multiple-sources"}
    assert all(r.get("title") and len(r.get("description", "")) > 30 for r in rules)


def test_a_rule_parameter_changes_what_is_raised():
    from generator.compute.flags import load_rules, raise_flags
    r = results()
    names = dict(zip(r.dataset["measures"]["id"], r.dataset["measures"]["name"]))
    sources = dict(zip(r.dataset["measures"]["id"], r.dataset["measures"]["source"]))
    strict = [dict(x, min_sources=5) if x["id"] == "multiple-sources" else x for x in load_rules()]
    assert "multiple-sources" not in set(raise_flags(r, strict, names, sources)["rule"])


@pytest.mark.parametrize("body", [
    "<script>alert(1)</script>", "[click](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))",
    "<img src=x onerror=alert(1)>", "[x](data:text/html;base64,PHNjcmlwdD4=)", "<a href='javascript:alert(1)'>a</a>",
])
def test_case_study_body_renders_inert(body):
    from html.parser import HTMLParser

    from generator.text.sanitise import body_html

    seen: list[tuple[str, dict]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            seen.append((tag, dict(attrs)))

    html = body_html(f"Intro\n\n{body}\n\n## Heading")
    Tags().feed(html)
    assert {t for t, _ in seen} <= {"p", "a", "h3", "em", "strong", "code"}
    for _, attrs in seen:
        assert not any(k.startswith("on") for k in attrs)
        assert not attrs.get("href", "").strip().lower().startswith(("javascript:", "data:", "vbscript:"))
    assert "<h3>Heading</h3>" in html
