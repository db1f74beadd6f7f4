"""The publisher's notes and minimum sample (standard 1.3): validation, compute, pages and downloads."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from generator.compute.compare import compare
from generator.data.dataset import READS, STANDARD_VERSION
from generator.data.validate import validate_paths

TODAY = dt.date(2025, 1, 1)
HEADER = ["provider", "measure", "period", "code", "text", "caution"]


def _with_notes(pkgtools, folder, rows):
    pkgtools.write_rows(folder, "notes.csv", [HEADER] + rows)
    pkgtools.edit_descriptor(folder, lambda d: d["resources"].append({"name": "notes", "path": "notes.csv", "format": "csv"}))
    pkgtools.edit_descriptor(folder, lambda d: d.__setitem__("standard", "1.3"))


def _min_sample(pkgtools, folder, values: dict[str, str]):
    pkgtools.add_column(folder, "measures.csv", "min_sample")
    rows = pkgtools.read_rows(folder, "measures.csv")
    for i, r in enumerate(rows[1:], start=2):
        if r[0] in values:
            pkgtools.set_cell(folder, "measures.csv", i, "min_sample", values[r[0]])


def test_standard_is_1_3_and_older_versions_still_read(minimal_package, pkgtools):
    assert READS[:4] == ("1.0", "1.1", "1.2", "1.3") and STANDARD_VERSION == READS[-1]
    pkgtools.edit_descriptor(minimal_package, lambda d: d.__setitem__("standard", "1.2"))
    ds, problems = validate_paths([minimal_package], today=TODAY)
    assert pkgtools.errors_of(problems) == []  # no notes resource, no min_sample column: still read
    assert len(ds["notes"]) == 0 and ds["measures"]["min_sample"].isna().all()


def test_a_package_schema_without_min_sample_is_not_a_mismatch(minimal_package, pkgtools):
    import json
    from generator.paths import STANDARD_DIR
    schema = json.loads((STANDARD_DIR / "measures.json").read_text())
    schema["fields"] = [f for f in schema["fields"] if f["name"] != "min_sample"]
    pkgtools.set_resource(minimal_package, "measures", schema=schema)
    _, problems = validate_paths([minimal_package], today=TODAY)
    assert pkgtools.errors_of(problems) == []


def test_notes_are_read_and_checked(minimal_package, pkgtools):
    _with_notes(pkgtools, minimal_package, [
        ["XR1", "", "", "6", "Fewer than 100 completed surveys. Use these scores with caution.", "true"],
        ["XR2", "fft-inpatient", "2024-01", "11", "There were discrepancies in the data collection process.", "false"],
        ["ZZ9", "", "", "6", "Unknown provider", "true"],                     # row 4: provider not defined
        ["XR1", "no-such-measure", "", "6", "Unknown measure", "true"],        # row 5: measure not defined
        ["XR1", "", "2024-13", "6", "Bad period", "true"],                     # row 6: not a period
        ["XR1", "", "", "7", "", "maybe"],                                     # row 7: no text, caution not boolean
        ["XR1", "", "", "6", "Fewer than 100 completed surveys. Use these scores with caution.", "true"],  # row 8: repeat
    ])
    _min_sample(pkgtools, minimal_package, {"fft-inpatient": "0"})
    ds, problems = validate_paths([minimal_package], today=TODAY)
    errors = [e for e in pkgtools.errors_of(problems)]
    assert ("foreign-key", 4, "provider") in errors
    assert ("foreign-key", 5, "measure") in errors
    assert ("constraint-error", 6, "period") in errors
    assert ("constraint-error", 7, "text") in errors and ("type-error", 7, "caution") in errors
    assert ("constraint-error", 2, "min_sample") in errors  # min_sample at least 1
    notes_errors = [(p.code, p.row, p.field) for p in problems if p.resource == "notes" and p.severity == "error"]
    assert sorted(notes_errors, key=str) == sorted([("foreign-key", 4, "provider"), ("foreign-key", 5, "measure"),
                                                    ("constraint-error", 6, "period"), ("constraint-error", 7, "text"),
                                                    ("type-error", 7, "caution"),
                                                    ("primary-key", 8, "")], key=str)  # a blank measure is a key value


def test_a_clean_notes_resource_passes(minimal_package, pkgtools):
    _with_notes(pkgtools, minimal_package, [
        ["XR1", "", "", "6", "Fewer than 100 completed surveys. Use these scores with caution.", "true"],
        ["XR2", "fft-inpatient", "2024-01", "11", "There were discrepancies in the data collection process.", "false"],
    ])
    _min_sample(pkgtools, minimal_package, {"fft-inpatient": "100"})
    ds, problems = validate_paths([minimal_package], today=TODAY)
    assert pkgtools.errors_of(problems) == []
    assert ds["notes"]["caution"].tolist() == [True, False]
    assert ds["measures"].set_index("id")["min_sample"].astype("Float64").tolist()[:1] == [100]


def test_min_sample_keeps_a_provider_out_of_bands_and_ranks(minimal_package, pkgtools):
    # XR2 has 300 responses to fft-inpatient and XR1 412: a minimum of 350 leaves only XR1 comparable
    _min_sample(pkgtools, minimal_package, {"fft-inpatient": "350"})
    ds, problems = validate_paths([minimal_package], today=TODAY)
    assert pkgtools.errors_of(problems) == []
    s = compare(ds).scores.set_index(["provider", "measure"])
    xr2, xr1 = s.loc[("XR2", "fft-inpatient")], s.loc[("XR1", "fft-inpatient")]
    assert xr2["band"] == "too-few" and bool(xr2["below_min_sample"]) and xr2["min_sample"] == 350
    assert np.isnan(xr2["rank_lower"]) and np.isnan(xr2["rank_upper"]) and np.isfinite(xr2["estimate"])
    assert not bool(xr1["below_min_sample"]) and xr1["rank_n"] <= 1
    # without the minimum XR2 is compared (so the test can fail)
    ds2, _ = validate_paths([pkgtools.MINIMAL], today=TODAY)
    s2 = compare(ds2).scores.set_index(["provider", "measure"])
    assert s2.loc[("XR2", "fft-inpatient")]["band"] != "too-few" and not s2["below_min_sample"].any()


def test_notes_attach_to_the_rows_they_are_about():
    import pandas as pd
    from generator.compute.notes import attach
    scores = pd.DataFrame({"provider": ["A", "A", "A", "B"], "measure": ["m", "n", "m", "m"],
                           "period": ["2024", "2024", "2023", "2024"]}, index=[5, 5, 7, 1])  # any index
    notes = pd.DataFrame({"provider": ["A", "A", "A", "C"], "measure": ["", "n", "", ""], "period": ["", "", "2024", ""],
                          "code": ["11", "6", "6", "6"], "text": ["Discrepancies.", "Few surveys, caution.", "Few, caution.", "x"],
                          "caution": [False, True, True, True]})
    out = attach(scores, notes)
    assert out["notes"].tolist() == ["Few, caution. Discrepancies.", "Few surveys, caution. Few, caution. Discrepancies.",
                                     "Discrepancies.", ""]
    assert out["caution"].tolist() == [True, True, False, False]


HOSTILE = 'Fewer than 100 <script>alert(1)</script> *surveys* [x](javascript:alert(1)) | =cmd. Use with caution.'


@pytest.mark.slow  # renders every page and download of a package
def test_pages_and_downloads_show_the_caution_and_the_reason_escaped(minimal_package, pkgtools, tmp_path):
    from generator.build import compute
    _with_notes(pkgtools, minimal_package, [["XR2", "", "", "6", HOSTILE, "true"],
                                            ["XR1", "survey-overall", "", "11", "Discrepancies in data collection.", "false"],
                                            ["XR3", "", "", "5", "Results are not available for this reporting period.", "false"]])
    pkgtools.add_row(minimal_package, "providers.csv", {"code": "XR3", "name": "Example Lake Hospital", "type": "nhs-trust",
                                                        "commissioner": "QXA", "region": "North Example", "town": "Lake"})
    _min_sample(pkgtools, minimal_package, {"fft-inpatient": "350"})  # XR2 has 300 responses
    built = compute([minimal_package], cache_dir=tmp_path / "cache")
    assert built.result.ok, built.result.problems[:5]
    page = built.pages["providers/xr2.md"].body
    # every result of XR2 has the note: said once at the top, each row points to it
    assert '<p class="admonition-title">Use with caution</p><p>Fewer than 100 &lt;script&gt;alert(1)&lt;/script&gt; *surveys*' in page
    assert page.count("<b>Use with caution:</b> see the publisher's note at the top of the page") == 3
    assert "<script>alert" not in page and "javascript:alert(1)" in page and 'href="javascript' not in page
    assert ("Not compared: the publisher does not compare results from fewer than 350 completed surveys." in page)
    xr1 = built.pages["providers/xr1.md"].body
    assert "<b>Note from the publisher:</b> Discrepancies in data collection." in xr1  # one result of three: on its row
    assert "Use with caution" not in xr1 and "Not compared" not in xr1
    xr3 = built.pages["providers/xr3.md"].body  # no results: the publisher's note says why
    assert "No results have been published" in xr3 and \
        '<p class="admonition-title">Note from the publisher</p><p>Results are not available for this reporting period.</p>' in xr3
    league = built.pages["measures/fft-inpatient/index.md"].text  # rows put back (shells.HeldRows)
    row = next(line for line in league.splitlines() if 'data-code="XR2"' in line)
    import html
    assert "Not compared: the publisher does not compare results from fewer than 350 completed surveys." in html.unescape(row)
    assert "<b>Use with caution:</b> " + HOSTILE in html.unescape(row)
    assert "<script>" not in row and "*surveys*" not in row and "[x](" not in row  # escaped for Markdown and HTML
    assert "not ranked" in row
    import html as html_
    methods = html_.unescape(built.pages["methods.md"])
    assert "publisher's minimum" in methods and "does not compare results from fewer than\n  350 responses" in methods
    assert "or fewer than the publisher's minimum of 350 where it sets one: we show the result" in methods  # review 19
    key = html_.unescape(built.pages["compare/index.md"])  # the compare key printed for a patient says it too
    assert "or fewer than the publisher's minimum of 350 where it sets one: the result is shown but not compared" in key
    csv_text = built.files["downloads/measures/fft-inpatient.csv"]
    header, *rows = csv_text.splitlines()
    assert header.endswith(",min_sample,caution,publisher_notes")
    import csv
    import io
    by = {r["provider"]: r for r in csv.DictReader(io.StringIO(csv_text))}
    assert (by["XR2"]["band"], by["XR2"]["rank_lower"], by["XR2"]["min_sample"], by["XR2"]["caution"]) == ("too-few", "", "350", "true")
    assert by["XR2"]["publisher_notes"] == HOSTILE  # a text cell that starts with a letter is kept as written
    assert (by["XR1"]["caution"], by["XR1"]["publisher_notes"]) == ("false", "")


@pytest.mark.slow  # renders every page and download of a package
def test_downloads_without_notes_keep_their_columns(minimal_package, tmp_path):
    from generator.build import compute
    built = compute([minimal_package], cache_dir=tmp_path / "cache")
    assert built.result.ok
    assert built.files["downloads/measures/fft-inpatient.csv"].splitlines()[0].endswith(",rank_upper,rank_of")
    import html
    assert "publisher's minimum" not in html.unescape(built.pages["methods.md"])
    assert "publisher's minimum" not in html.unescape(built.pages["compare/index.md"])


def test_a_note_repeated_in_another_package_is_reported(minimal_package, pkgtools, tmp_path):
    """Blank measure and period mean "every": two such notes with the same provider and code repeat the key."""
    import shutil
    row = ["XR1", "", "", "6", "Fewer than 100 completed surveys.", "true"]
    _with_notes(pkgtools, minimal_package, [row])
    other = tmp_path / "other"
    shutil.copytree(minimal_package, other)
    pkgtools.edit_descriptor(other, lambda d: d.__setitem__("name", "other"))
    _, problems = validate_paths([minimal_package, other], today=TODAY)
    assert [(p.code, p.row) for p in problems if p.resource == "notes" and p.severity == "error"] == [("primary-key", 2)]


def test_the_league_counts_name_the_publishers_minimum():
    """The count sentence says what a result needs to be compared: the publisher's minimum where it is higher."""
    from generator.views import wording
    assert wording.enough_words("proportion", 30, None) == "at least 30 responses"
    assert wording.enough_words("proportion", 30, 100) == "at least 100 completed surveys (the publisher's minimum)"
    assert wording.enough_words("ratio", 30, 100).endswith("at least 100 patients covered (the publisher's minimum)")


def _noted_choice(folder, pkgtools):
    """The minimal package with a caution (hostile words) and a note on XR1, and a minimum sample XR1 misses:
    the compare page's model, its per-commissioner figures and its ready-made pages."""
    from generator.compute.release import release_info
    from generator.data import reference
    from generator.settings import DEFAULT
    from generator.views import choice, choice_static, comparators
    from generator.views.context import build_context
    _with_notes(pkgtools, folder, [["XR1", "fft-inpatient", "", "6", HOSTILE, "true"],
                                   ["XR1", "survey-overall", "", "11", "Discrepancies in data collection.", "false"]])
    _min_sample(pkgtools, folder, {"fft-inpatient": "500"})  # XR1 has 412 responses
    ds, problems = validate_paths([folder], today=TODAY)
    assert pkgtools.errors_of(problems) == []
    results = compare(ds)
    ctx = build_context(results, {}, release_info(results, DEFAULT), reference.read())
    mod, comp = choice.model(ctx), comparators.comparators(ctx)
    return ctx, choice.choice_files(ctx, mod, comp), choice_static.choice_views(ctx, mod, comp)


REASON = "Not compared: the publisher does not compare results from fewer than 500 completed surveys."


def test_the_compare_page_carries_the_caution_and_the_reason(minimal_package, pkgtools):
    import json
    from generator.views import choice
    _, files, _ = _noted_choice(minimal_package, pkgtools)
    cells = json.loads(files[choice.cells_file("QXA")])["XR1"]
    fft, survey, complaints = cells["fft-inpatient"], cells["survey-overall"], cells["complaints"]
    assert fft["b"] == "too-few" and fft["n"] == 412
    assert (fft["w"], fft["c"], fft["nl"], fft["nt"]) == (REASON, 1, "Use with caution", HOSTILE)  # the words as data
    assert (survey["nl"], survey["nt"]) == ("Note from the publisher", "Discrepancies in data collection.")
    assert "c" not in survey and "w" not in survey
    assert not {"w", "c", "nl", "nt"} & set(complaints)  # cells without notes stay as they were


def test_the_ready_made_compare_page_shows_the_caution_and_the_reason_escaped(minimal_package, pkgtools):
    import html
    import re
    from generator.site import render
    ctx, _, views = _noted_choice(minimal_package, pkgtools)
    view = next(v for v in views.static if v.page == "compare/qxa-inpatient.md")
    env = render.environment(html=True)
    page = env.get_template("choice_static.html.j2").render(page=view.page, ctx=ctx, v=views, s=view)
    fft = re.search(r'<section class="choice-measure" id="fft-inpatient">.*?</section>', page, re.S).group(0)
    row = re.search(r'<tr data-provider="XR1">.*?</tr>', fft, re.S).group(0)
    assert f'<small class="not-compared-reason">{REASON}</small>' in row
    assert '<small class="publisher-note" data-caution="yes"><b>Use with caution:</b> ' + html.escape(HOSTILE) in row
    assert "<script>" not in page
    survey = re.search(r'<section class="choice-measure" id="survey-overall">.*?</section>', page, re.S).group(0)
    assert '<small class="publisher-note" data-caution="no"><b>Note from the publisher:</b> Discrepancies' in survey
    assert "Not compared" not in survey and "Use with caution" not in survey
