"""The terminal table and JSON renderings of problems."""
from __future__ import annotations

import json

from generator.problems import CODES, WARNING, Problem
from generator.report import render_json, render_table, summary_line

PROBLEMS = [
    Problem("provider-no-scores", "provider XR3 has no scores in any package", "p", "providers", 4, "code", WARNING, "providers.csv"),
    Problem("type-error", "value 'abc' in field responses is not an integer", "p", "scores", 2, "responses", file="scores.csv"),
    Problem("foreign-key", "provider 'XR9' in field provider is not the code of any row of providers (in any package)",
            "p", "scores", 8, "provider", file="scores.csv"),
    Problem("licence-missing", "datapackage.json declares no licence", "p", field="licenses", file="datapackage.json"),
]


def test_json_is_complete_sorted_and_stable():
    text = render_json(PROBLEMS)
    assert text == render_json(list(reversed(PROBLEMS)))
    doc = json.loads(text)
    assert list(doc) == sorted(doc) and doc["valid"] is False and (doc["errors"], doc["warnings"]) == (3, 1)
    assert doc["summary"] == {"foreign-key": 1, "licence-missing": 1, "provider-no-scores": 1, "type-error": 1}
    assert [(p["code"], p["row"]) for p in doc["problems"]] == [
        ("licence-missing", None), ("type-error", 2), ("foreign-key", 8), ("provider-no-scores", 4)]
    first = doc["problems"][1]
    assert first["file"] == "scores.csv" and first["field"] == "responses" and first["title"] == CODES["type-error"][0]
    assert first["hint"] == CODES["type-error"][1] and list(first) == sorted(first)


def test_json_of_warnings_only_is_valid():
    doc = json.loads(render_json(PROBLEMS[:1]))
    assert doc["valid"] is True and doc["summary"] == {"provider-no-scores": 1}
    assert json.loads(render_json([])) == {"errors": 0, "problems": [], "summary": {}, "valid": True, "warnings": 0}


def test_table_shows_where_what_and_how_to_fix():
    text = render_table(PROBLEMS, console_width=200)
    lines = text.splitlines()
    row = next(line for line in lines if "scores.csv, row 2" in line)
    assert "responses" in row and "type-error" in row and "value 'abc' in field responses is not an integer" in row
    assert "provider-no-scores (warning)" in text
    assert text.index("type-error ") < text.index("provider-no-scores (warning)")  # errors before warnings
    assert "p/datapackage.json" in text
    fix = next(line for line in lines if line.startswith("│ foreign-key") and CODES["foreign-key"][1][:30] in line)
    assert "│     1 │" in fix
    assert render_table([]) == ""


def test_table_caps_rows_per_code():
    many = [Problem("type-error", f"value 'x{i}' in field responses is not an integer", "p", "scores", i, "responses", file="s.csv")
            for i in range(2, 12)]
    text = render_table(many, console_width=200, max_rows_per_code=3)
    assert "x2'" in text and "x4'" in text and "x5'" not in text
    assert "... and 7 more type-error problems" in text
    assert "│ type-error │    10 │ Value has the wrong type" in text


def test_summary_line():
    assert summary_line([]) == "Valid: 0 errors, 0 warnings."
    assert summary_line(PROBLEMS[:1]) == "Valid: 0 errors, 1 warning."
    assert summary_line(PROBLEMS).startswith("NOT VALID: 3 errors, 1 warning.")
