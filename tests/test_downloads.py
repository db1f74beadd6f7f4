"""Open data out: the downloads validate, match the pages, and cannot run as spreadsheet formulas."""
from __future__ import annotations

import csv
import io
import json
import random
import re
import zipfile

import frictionless
import pandas as pd
import pytest

from site_support import ROOT, build_example


def _results_csv(out):
    with zipfile.ZipFile(out / "downloads" / "experience-results.zip") as z:
        data = z.read("experience-results/results.csv")
    return pd.read_csv(io.BytesIO(data), dtype={"period": str, "provider": str}, keep_default_na=False)


def test_measure_files_hold_the_latest_period_and_the_zip_every_period():
    """Each figure is published once unzipped: a measure's file holds its latest period (what its league
    table shows); every period is in the zip, and nowhere else."""
    out, _, _ = build_example()
    table = _results_csv(out)
    parts = [pd.read_csv(f, dtype=str, keep_default_na=False)
             for f in sorted((out / "downloads" / "measures").glob("*.csv"))]
    assert len(parts) == table["measure"].nunique()
    whole = table.astype(str)
    latest = whole[whole["period"] == whole.groupby("measure")["period"].transform("max")]
    assert whole["period"].nunique() > latest["period"].nunique()  # the zip holds earlier periods too
    assert pd.concat(parts, ignore_index=True).values.tolist() == latest.values.tolist()
    assert not (out / "downloads" / "results.csv").exists()  # published once, in the zip
    assert not (out / "downloads" / "latest.csv").exists()  # the measure files hold the latest bands


def test_results_package_validates_with_frictionless(tmp_path):
    out, _, _ = build_example()
    with zipfile.ZipFile(out / "downloads" / "experience-results.zip") as z:
        z.extractall(tmp_path)
    report = frictionless.validate(tmp_path / "experience-results" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])[:10]
    readme = (tmp_path / "experience-results" / "README.md").read_text()
    assert "FICTIONAL" in readme and "Methods version" in readme and "Citation" in readme
    site_report = frictionless.validate(out / "downloads" / "datapackage.json")
    assert site_report.valid


def test_zip_is_reproducible():
    out, _, _ = build_example()
    with zipfile.ZipFile(out / "downloads" / "experience-results.zip") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert [i.filename for i in z.infolist()] == sorted(i.filename for i in z.infolist())


def test_zip_made_in_a_thread_is_the_zip_made_in_line_and_passes_on_its_error():
    """downloads.zip_later (issue 20: compressed while the other downloads are made) gives package_zip's bytes,
    and a failure inside it reaches the caller, not a lost thread."""
    from generator.site import downloads
    files, descriptor = {"results.csv": "a,b\n1,2\n" * 1000, "README.md": "read me\n"}, {"name": "x"}
    assert downloads.zip_later(files, descriptor)() == downloads.package_zip(files, descriptor)
    broken = downloads.zip_later({"results.csv": 12}, descriptor)  # not text: zipfile refuses it
    with pytest.raises(TypeError):
        broken()


def _page_values(html: str) -> dict[str, str]:
    found = re.findall(r'<td class="result" data-measure="([^"]+)"><strong data-value>([^<]*)</strong>',
                       html)
    from html import unescape
    return {unescape(m): unescape(v) for m, v in found}


def test_pages_match_csv_and_json_for_random_providers():
    from generator.views import wording
    out, _, _ = build_example()
    table = _results_csv(out)
    measures = csv.DictReader(open(ROOT / "datapackages/example-reference/measures.csv", encoding="utf-8"))
    kinds = {m["id"]: m["kind"] for m in measures}
    latest = table.groupby("measure")["period"].max()
    codes = sorted(table["provider"].unique())
    checked = 0
    for code in random.Random(7).sample(codes, 12):
        html = (out / "providers" / code.lower() / "index.html").read_text(encoding="utf-8")
        values = _page_values(html)
        doc = json.loads((out / "downloads" / "providers" / f"{code.lower()}.json").read_text(encoding="utf-8"))
        for measure, shown in values.items():
            row = table[(table["provider"] == code) & (table["measure"] == measure) & (table["period"] == latest[measure])]
            assert len(row) == 1
            est = row["estimate"].iat[0]
            expected = wording.value(float(est) if est != "" else float("nan"), kinds[measure])
            assert shown == expected, (code, measure)
            j = [r for r in doc["results"] if r["measure"] == measure and r["period"] == latest[measure]][0]
            assert wording.value(j["estimate"] if j["estimate"] is not None else float("nan"), kinds[measure]) == shown
            assert (j["band"] == row["band"].iat[0])
            checked += 1
    assert checked >= 12


def test_formula_text_is_inert_in_csv():
    from generator.site.downloads import to_csv
    df = pd.DataFrame({"name": ["=HYPERLINK(\"http://x\",\"click\")", "+1", "-2", "@SUM(A1)", "\tx", "plain"]})
    text = to_csv(df, [("name", "string", "")])
    cells = [r[0] for r in csv.reader(io.StringIO(text))][1:]
    assert cells[0] == "'=HYPERLINK(\"http://x\",\"click\")"
    assert all(c.startswith("'") for c in cells[:5]) and cells[5] == "plain"


def test_suppressed_rows_have_no_figures_in_downloads():
    out, _, _ = build_example()
    table = _results_csv(out)
    hidden = table[table["band"] == "suppressed"]
    assert len(hidden) > 0
    assert (hidden[["responses", "estimate", "lower95", "upper95", "z_adjusted"]] == "").all().all()


def test_provider_json_holds_what_its_page_shows():
    out, _, _ = build_example()
    doc = json.loads(next((out / "downloads" / "providers").glob("*.json")).read_text(encoding="utf-8"))
    assert set(doc) == {"provider", "name", "type", "commissioner", "results", "flags"}
    assert {k for r in doc["results"] for k in r} == {
        "measure", "period", "responses", "estimate", "lower95", "upper95", "band", "band_label",
        "rank_lower", "rank_upper", "rank_of"}  # 99.8% limits and z-scores: in the measure files and the zip
