"""Published benchmarks and published figures (standard 1.4, issue 19): validation, the comparison's target,
pages and downloads. Oracle numbers are worked out here by hand from methods.md §2 and §3."""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import math
import shutil

import numpy as np
import pytest

from generator.compute.compare import compare
from generator.data.dataset import READS, STANDARD_VERSION
from generator.data.validate import validate_paths

TODAY = dt.date(2025, 1, 1)
HEADER = ["measure", "period", "value", "label", "source"]
Z95, Z998, Z90 = 1.959964, 3.090232, 1.644854


def _with_benchmarks(pkgtools, folder, rows, standard="1.4"):
    pkgtools.write_rows(folder, "benchmarks.csv", [HEADER] + rows)
    pkgtools.edit_descriptor(folder, lambda d: d["resources"].append({"name": "benchmarks", "path": "benchmarks.csv",
                                                                      "format": "csv"}))
    pkgtools.edit_descriptor(folder, lambda d: d.__setitem__("standard", standard))


def _published(pkgtools, folder, values: dict[tuple[str, str], str]):
    """Add the optional published column to scores.csv, filled for (provider, group) of fft-inpatient 2024-01."""
    pkgtools.add_column(folder, "scores.csv", "published")
    for i, r in enumerate(pkgtools.read_rows(folder, "scores.csv")[1:], start=2):
        if (r[0], r[3]) in values and r[1] == "fft-inpatient":
            pkgtools.set_cell(folder, "scores.csv", i, "published", values[(r[0], r[3])])


def _z(x, n, target):
    """methods.md §2: z on the asin(sqrt(p)) scale, s = 1 / (2 sqrt(n)); fewer than 15 providers: no tau2."""
    return (math.asin(math.sqrt(x / n)) - math.asin(math.sqrt(target))) * 2 * math.sqrt(n)


def _band(z):
    """methods.md §3, higher is better."""
    a = abs(z)
    side = "better" if z > 0 else "worse"
    if a <= Z90:
        return "about-same"
    return f"much-{side}" if a > Z998 else side if a > Z95 else f"somewhat-{side}"


# --- the standard ----------------------------------------------------------------------------------------

def test_standard_is_1_4_and_older_packages_still_read(minimal_package, pkgtools):
    assert STANDARD_VERSION == "1.4" and READS[-2:] == ("1.3", "1.4")
    pkgtools.edit_descriptor(minimal_package, lambda d: d.__setitem__("standard", "1.3"))
    ds, problems = validate_paths([minimal_package], today=TODAY)
    assert pkgtools.errors_of(problems) == []  # no benchmarks resource, no published column: still read
    assert len(ds["benchmarks"]) == 0 and ds["scores"]["published"].isna().all()


def test_benchmarks_are_read_and_checked(minimal_package, pkgtools):
    _with_benchmarks(pkgtools, minimal_package, [
        ["fft-inpatient", "2024-01", "80", "England average", "NHS England"],         # row 2: fine
        ["no-such-measure", "2024-01", "80", "England average", ""],                  # row 3: measure not defined
        ["fft-inpatient", "2023-07", "80", "England average", ""],                    # row 4: no scores in that period
        ["survey-overall", "2023", "11", "England average", ""],                      # row 5: off the 0-10 scale
        ["complaints", "2024", "0", "England average", ""],                           # row 6: ratio not above 0
        ["fft-inpatient", "2024-01", "81", "England average", ""],                    # row 7: repeats row 2's key
        ["fft-inpatient", "2024-02", "120", "", ""],                                  # row 8: no label, not a %
    ])
    pkgtools.add_row(minimal_package, "scores.csv", ["XR1", "fft-inpatient", "2024-02", "all", "400", "380", "", "", "", "", ""])
    pkgtools.add_row(minimal_package, "scores.csv", ["XR1", "complaints", "2024", "all", "4000", "", "", "", "", "12", "10.5"])
    ds, problems = validate_paths([minimal_package], today=TODAY)
    found = sorted(((p.code, p.row, p.field) for p in problems if p.resource == "benchmarks" and p.severity == "error"),
                   key=str)
    assert found == sorted([("foreign-key", 3, "measure"), ("benchmark-period-unknown", 4, "period"),
                            ("benchmark-outside-scale", 5, "value"), ("benchmark-outside-scale", 6, "value"),
                            ("primary-key", 7, ""), ("constraint-error", 8, "label"),
                            ("benchmark-outside-scale", 8, "value")], key=str)
    assert [p for p in problems if p.severity == "error" and p.resource != "benchmarks"] == []


def test_a_clean_benchmark_passes_and_one_repeated_in_another_package_must_agree(minimal_package, pkgtools, tmp_path):
    _with_benchmarks(pkgtools, minimal_package, [["fft-inpatient", "2024-01", "80", "England average", "NHS England"]])
    ds, problems = validate_paths([minimal_package], today=TODAY)
    assert pkgtools.errors_of(problems) == []
    assert ds["benchmarks"][["measure", "period", "value", "label"]].values.tolist() == \
        [["fft-inpatient", "2024-01", 80.0, "England average"]]
    other = tmp_path / "other"
    shutil.copytree(minimal_package, other)
    pkgtools.edit_descriptor(other, lambda d: d.__setitem__("name", "other"))
    pkgtools.keep_resources(other, ["benchmarks"])
    _, problems = validate_paths([minimal_package, other], today=TODAY)
    assert pkgtools.errors_of(problems) == []  # the same row twice: merged
    pkgtools.set_cell(other, "benchmarks.csv", 2, "value", "81")
    _, problems = validate_paths([minimal_package, other], today=TODAY)
    assert [(p.code, p.row, p.field) for p in problems if p.severity == "error"] == [("definition-conflict", 2, "value")]


def test_published_is_checked(minimal_package, pkgtools):
    _published(pkgtools, minimal_package, {("XR1", "all"): "101"})
    pkgtools.set_cell(minimal_package, "scores.csv", 5, "published", "81")  # survey-overall: a mean score
    ds, problems = validate_paths([minimal_package], today=TODAY)
    assert sorted(pkgtools.errors_of(problems), key=str) == [("constraint-error", 2, "published"),
                                                             ("kind-column-extra", 5, "published")]


# --- the comparison --------------------------------------------------------------------------------------

def test_a_benchmark_is_the_target_and_changes_the_band(minimal_package, pkgtools):
    """fft-inpatient 2024-01: XR1 389 of 412, XR2 250 of 300. Pooled p = 639/712 = 0.8975: XR2 is much worse
    (z = -3.28). Against the published 80%: z = +1.49, about the same. Funnel limits (methods.md §2, PHE):
    p ± z·sqrt(p(1-p)/n), so at n = 300 XR2 (83.3%) is below the 99.8% limit of the pooled funnel and inside
    the 95% limits of the benchmark's."""
    ds, problems = validate_paths([minimal_package], today=TODAY)
    before = compare(ds)
    _with_benchmarks(pkgtools, minimal_package, [["fft-inpatient", "2024-01", "80", "England average", "NHS England"]])
    ds, problems = validate_paths([minimal_package], today=TODAY)
    assert pkgtools.errors_of(problems) == []
    after = compare(ds)
    pooled = 639 / 712
    for results, target in ((before, pooled), (after, 0.80)):
        s = results.scores.set_index(["provider", "measure"])
        for code, x, n in (("XR1", 389, 412), ("XR2", 250, 300)):
            row = s.loc[(code, "fft-inpatient")]
            assert row["z_adj"] == pytest.approx(_z(x, n, target), abs=1e-9)
            assert row["band"] == _band(_z(x, n, target))
            assert row["target"] == pytest.approx(target, abs=1e-12)
        peer = results.peers.set_index(["measure", "period", "peer"]).loc[("fft-inpatient", "2024-01", "nhs-trust")]
        assert peer["target"] == pytest.approx(target, abs=1e-12) and peer["mode"] == "too-few-providers"
        assert peer["benchmark"] == ("" if results is before else "England average")
        f = results.funnels
        f = f[(f["measure"] == "fft-inpatient") & (f["period"] == "2024-01")]
        for conf, z in ((0.95, Z95), (0.998, Z998)):
            c = f[f["confidence"] == conf]
            half = z * np.sqrt(target * (1 - target) / c["size"].to_numpy())
            assert np.allclose(c["lower"], np.clip(target - half, 0, 1)) and np.allclose(c["upper"], np.clip(target + half, 0, 1))
    xr2 = lambda r: r.scores.set_index(["provider", "measure"]).loc[("XR2", "fft-inpatient")]["band"]  # noqa: E731
    assert (xr2(before), xr2(after)) == ("much-worse", "about-same")
    assert 250 / 300 < pooled - Z998 * math.sqrt(pooled * (1 - pooled) / 300)                   # below the 99.8% limit
    assert abs(250 / 300 - 0.8) < Z95 * math.sqrt(0.8 * 0.2 / 300)                                # inside the 95% limits
    other = after.peers[after.peers["measure"] != "fft-inpatient"]
    assert other["benchmark"].eq("").all()  # a measure without a benchmark keeps its pooled target


def test_a_benchmark_for_a_mean_and_a_ratio(minimal_package, pkgtools):
    """Mean (survey-overall 2023): z = (mean - benchmark) / se, se = sd / sqrt(n) for XR2 (methods.md §2). Pooled
    target (8.1·500 + 7.9·450) / 950 = 8.005: XR1 about the same, XR2 somewhat worse; against 7.7 both are much
    better. Ratio (complaints 2023): the target is the benchmark ratio."""
    _with_benchmarks(pkgtools, minimal_package, [["survey-overall", "2023", "7.7", "England average", ""],
                                                 ["complaints", "2023", "1.05", "England average", ""]])
    ds, problems = validate_paths([minimal_package], today=TODAY)
    assert pkgtools.errors_of(problems) == []
    ds0, _ = validate_paths([pkgtools.MINIMAL], today=TODAY)
    for results, target in ((compare(ds0), (8.1 * 500 + 7.9 * 450) / 950), (compare(ds), 7.7)):
        s = results.scores.set_index(["provider", "measure"])
        for code, mean, se in (("XR1", 8.1, 0.09), ("XR2", 7.9, 1.2 / math.sqrt(450))):
            assert s.loc[(code, "survey-overall")]["z_adj"] == pytest.approx((mean - target) / se)
            assert s.loc[(code, "survey-overall")]["band"] == _band((mean - target) / se)
    s0, s1 = (r.scores.set_index(["provider", "measure"]) for r in (compare(ds0), compare(ds)))
    assert [s0.loc[(c, "survey-overall")]["band"] for c in ("XR1", "XR2")] == ["about-same", "somewhat-worse"]
    assert [s1.loc[(c, "survey-overall")]["band"] for c in ("XR1", "XR2")] == ["much-better", "much-better"]
    assert s0.loc[("XR1", "complaints")]["target"] == pytest.approx(20 / 19.6)
    assert s1.loc[("XR1", "complaints")]["target"] == pytest.approx(1.05)


def test_with_a_benchmark_the_spread_is_measured_around_it(example_dataset, example_results):
    """fft-inpatient 2024-12, 29 trusts (15 or more: tau2 estimated), benchmark 90%. methods.md §2 measures z,
    the Winsorised phi and tau2 around the target, which is now the benchmark; each trust is then judged against it:
    z_D = (asin(sqrt(x/n)) - asin(sqrt(0.9))) / sqrt(1/(4n) + tau2), banded by §3."""
    import pandas as pd
    from generator.data.dataset import Dataset
    from generator.settings import DEFAULT
    from generator.stats.overdispersion import winsor_consistency
    tables = dict(example_dataset.tables)
    tables["benchmarks"] = pd.DataFrame({"measure": ["fft-inpatient"], "period": ["2024-12"], "value": [90.0],
                                         "label": ["England average"], "source": [""], "_package": ["example-fft"]})
    after = compare(Dataset(tables=tables, packages=example_dataset.packages))
    key = ["measure", "period", "peer"]
    p0 = example_results.peers.set_index(key).loc[("fft-inpatient", "2024-12", "nhs-trust")]
    p1 = after.peers.set_index(key).loc[("fft-inpatient", "2024-12", "nhs-trust")]
    assert (p0["target"], p1["target"]) == (pytest.approx(0.934533, abs=1e-6), 0.9)
    s = after.scores
    s = s[(s["measure"] == "fft-inpatient") & (s["period"] == "2024-12") & (s["peer"] == "nhs-trust") & s["z_adj"].notna()]
    assert len(s) == 29
    x, n = s["numerator"].astype(float).to_numpy(), s["responses"].astype(float).to_numpy()
    y, se, t = np.arcsin(np.sqrt(x / n)), 1 / (2 * np.sqrt(n)), math.asin(math.sqrt(0.9))
    z = (y - t) / se
    zw = np.clip(z, *np.percentile(z, [10, 90]))
    phi = np.mean(zw ** 2) / (winsor_consistency() if DEFAULT.overdispersion == "consistent" else 1)
    w = 1 / se ** 2
    tau2 = max(0.0, (len(z) * phi - (len(z) - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))
    assert p1["mode"] == "adjusted" and p1["tau2"] == pytest.approx(tau2, rel=1e-12) and p1["tau2"] != p0["tau2"]
    z_d = (y - t) / np.sqrt(se ** 2 + tau2)
    assert np.allclose(s["z_adj"].to_numpy(dtype=float), z_d, rtol=0, atol=1e-9)
    assert s["band"].tolist() == [_band(v) for v in z_d]


def test_published_figure_is_shown_with_the_interval_of_its_implied_count(minimal_package, pkgtools):
    """XR1 389 of 412 is 94.42%; the publisher printed 94. The result is 94%, its Wilson interval from x = 0.94·412
    (methods.md §1); the comparison (z, band) still uses 389 of 412."""
    ds0, _ = validate_paths([minimal_package], today=TODAY)
    before = compare(ds0).scores.set_index(["provider", "measure"]).loc[("XR1", "fft-inpatient")]
    _published(pkgtools, minimal_package, {("XR1", "all"): "94"})
    ds, problems = validate_paths([minimal_package], today=TODAY)
    assert pkgtools.errors_of(problems) == []
    row = compare(ds).scores.set_index(["provider", "measure"]).loc[("XR1", "fft-inpatient")]
    x, n = 0.94 * 412, 412
    for z, lo, hi in ((Z95, "lower95", "upper95"), (Z998, "lower998", "upper998")):
        root = z * math.sqrt(z * z + 4 * x * (1 - x / n))
        assert row[lo] == pytest.approx((2 * x + z * z - root) / (2 * (n + z * z)), abs=1e-6)
        assert row[hi] == pytest.approx((2 * x + z * z + root) / (2 * (n + z * z)), abs=1e-6)
    assert row["estimate"] == pytest.approx(0.94) and before["estimate"] == pytest.approx(389 / 412)
    assert row["published"] == 94
    assert (row["z_adj"], row["band"], row["numerator"]) == (before["z_adj"], before["band"], before["numerator"])


# --- pages and downloads ---------------------------------------------------------------------------------

@pytest.mark.slow  # renders every page and download of a package
def test_pages_charts_and_downloads_name_the_benchmark(minimal_package, pkgtools, tmp_path):
    from generator.build import compute
    _with_benchmarks(pkgtools, minimal_package, [["fft-inpatient", "2024-01", "80", "England <b>average</b>",
                                                  "NHS England =cmd"]])
    _published(pkgtools, minimal_package, {("XR1", "all"): "94"})
    built = compute([minimal_package], cache_dir=tmp_path / "cache")
    assert built.result.ok, built.result.problems[:5]
    league = built.pages["measures/fft-inpatient/index.md"].text  # rows put back (shells.HeldRows)
    text = html.unescape(league)
    assert "Each result is compared with the England <b>average</b>, 80% (NHS England =cmd)" in text
    assert "the bands say whether a result is better or worse than it" in text
    assert '<th scope="col" data-sort-method="number">Compared with the England <b>average</b></th>' in text
    assert "<b>average</b>" not in league  # escaped
    row = html.unescape(next(line for line in league.splitlines() if 'data-code="XR1"' in line))
    assert "<span data-value>94.0%</span>" in row  # the publisher's 94, not 389 / 412 = 94.4%
    assert "better than the England <b>average</b>" in row and "than expected" not in row  # review 19, 6
    xr2 = html.unescape(next(line for line in league.splitlines() if 'data-code="XR2"' in line))
    assert "About the same as the England <b>average</b>" in xr2 and "About the same as other providers" not in text
    provider = html.unescape(built.pages["providers/xr1.md"].body)
    assert "England <b>average</b>: 80% (results are judged against it)" in provider
    assert "<b>average</b>" not in built.pages["providers/xr1.md"].body
    methods = html.unescape(built.pages["methods.md"])
    assert "published benchmark" in methods and "England <b>average</b>" in methods
    from generator.site import charts
    ds, _ = validate_paths([minimal_package], today=TODAY)
    spec = charts.specs(compare(ds))
    funnels = [k for k in spec if "fft-inpatient" in k and "funnel" in k]
    assert funnels and all(spec[k]["target"] == pytest.approx(80.0) for k in funnels)  # the line is drawn there
    alts = [c.alt for k, c in built.charts.items() if "fft-inpatient" in k]
    assert alts and all("the middle line is the England <b>average</b>, the published benchmark" in a for a in alts)
    assert all("than the England <b>average</b>" in a and "expected)" not in a for a in alts)  # review 19, 6
    # the compare page (script and ready-made pages) says the same words, and its key says what they mean
    index = json.loads(built.files["assets/choice.json"])
    assert index["measures"]["fft-inpatient"]["bw"]["better"] == "Better than the England <b>average</b>"
    assert [m for m, v in index["measures"].items() if "bw" in v] == ["fft-inpatient"]  # only the benchmarked one
    static = html.unescape(built.pages["compare/qxa-inpatient.md"].body)
    assert "About the same as the England <b>average</b>" in static and "<b>average</b>" not in built.pages[
        "compare/qxa-inpatient.md"].body
    assert "Where a measure has a published benchmark (the England <b>average</b>), results are compared with it" in static
    assert "Where a measure has a published benchmark" in html.unescape(built.pages["compare/index.md"])
    by = {r["provider"]: r for r in csv.DictReader(io.StringIO(built.files["downloads/measures/fft-inpatient.csv"]))}
    assert (by["XR1"]["estimate"], by["XR1"]["published"], by["XR1"]["target"]) == ("0.940000", "94.000000", "0.800000")
    assert by["XR1"]["target_label"] == "England <b>average</b>" and by["XR2"]["published"] == ""
    assert by["XR2"]["band_label"] == "About the same as the England <b>average</b>"  # the pages' words (review 19)
    import zipfile
    with zipfile.ZipFile(io.BytesIO(built.files["downloads/experience-results.zip"])) as z:
        readme = z.read(next(n for n in z.namelist() if n.endswith("README.md"))).decode()
    assert "where target_label names a published benchmark, with that benchmark" in readme
    # without benchmarks or published figures the downloads keep their columns
    plain = compute([pkgtools.MINIMAL], cache_dir=tmp_path / "cache2")
    assert plain.files["downloads/measures/fft-inpatient.csv"].splitlines()[0].endswith(",rank_upper,rank_of")


@pytest.mark.slow  # renders every page and download of a package
def test_a_suppressed_rows_published_figure_appears_nowhere(minimal_package, pkgtools, tmp_path):
    """XR2 has 7 responses (fewer than 10): its published 57.14 (4 of 7) must not be in any page, chart,
    CSV or JSON, as the count and the figure are not."""
    from generator.build import compute
    rows = pkgtools.read_rows(minimal_package, "scores.csv")
    i = next(j for j, r in enumerate(rows) if r[0] == "XR2" and r[1] == "fft-inpatient" and r[3] == "all")
    pkgtools.set_cell(minimal_package, "scores.csv", i + 1, "responses", "7")
    pkgtools.set_cell(minimal_package, "scores.csv", i + 1, "numerator", "4")
    _published(pkgtools, minimal_package, {("XR2", "all"): "57.14", ("XR1", "all"): "94.35"})
    built = compute([minimal_package], cache_dir=tmp_path / "cache")
    assert built.result.ok, built.result.problems[:5]
    ds, _ = validate_paths([minimal_package], today=TODAY)
    s = compare(ds).scores.set_index(["provider", "measure"]).loc[("XR2", "fft-inpatient")]
    assert bool(s["suppressed"]) and math.isnan(s["published"]) and math.isnan(s["estimate"])
    texts = {**{k: html.unescape(v.body if hasattr(v, "body") else getattr(v, "text", v)) for k, v in built.pages.items()},
             **{k: v for k, v in built.files.items() if isinstance(v, str) and not k.endswith(".svg")}}
    from generator.site import charts  # charts: what they are drawn from (SVG coordinates hold any number)
    assert all(57.14 not in spec["est"] for spec in charts.specs(compare(ds)).values())
    assert any("94.35" in t or "94.3" in t for t in texts.values())  # the visible one is published (the test can fail)
    leaks = [k for k, t in texts.items() if "57.14" in t or "57.1" in t or "0.5714" in t]
    assert leaks == []
    for k, t in texts.items():
        if k.endswith(".json"):
            assert "57.1" not in json.dumps(json.loads(t))


def test_red_flags_against_a_benchmark_name_it(minimal_package, pkgtools):
    """Review 19: a flag raised against a published benchmark says so, as the league table does."""
    _with_benchmarks(pkgtools, minimal_package, [["fft-inpatient", "2024-01", "99.5", "England average", "NHS England"]])
    ds, problems = validate_paths([minimal_package], today=TODAY)
    assert pkgtools.errors_of(problems) == []
    flags = compare(ds).flags
    latest = flags[(flags["rule"] == "worse-998-latest") & (flags["measure"] == "fft-inpatient")]
    assert len(latest) and all("much worse than the England average in 2024-01" in e for e in latest["evidence"])
    assert not flags["evidence"].str.contains("than expected in 2024-01").any()
