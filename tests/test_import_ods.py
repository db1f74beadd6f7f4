"""ODS importers on the real etr.csv and a 1-in-40 sample of epraccur.csv
(see tests/data/real/nhs-ods/PROVENANCE.md)."""
from __future__ import annotations

from generator.importers import run_import

try:
    from test_import_package import DATA, TODAY, assert_valid, table, tree
except ImportError:  # tests run as a package
    from tests.test_import_package import DATA, TODAY, assert_valid, table, tree

ODS = DATA / "real" / "nhs-ods"
ETR, EPRACCUR = ODS / "etr.csv", ODS / "epraccur-sample.csv"


def test_trusts(tmp_path):
    out = tmp_path / "ods"
    summary, problems = run_import("ods-trusts", ETR, out, today=TODAY)
    assert problems == []
    assert (summary["rows_read"], summary["rows_written"], summary["providers"], summary["commissioners"], summary["closed"]) == \
        (210, 210, 210, 43, 5)
    assert summary["skipped_rows"] == {} and summary["periods"] == []
    providers = {p["code"]: p for p in table(out, "providers.csv")}
    assert len(providers) == 210 and {p["type"] for p in providers.values()} == {"nhs-trust"}
    assert providers["R1C"] == {"code": "R1C", "name": "SOLENT NHS TRUST", "type": "nhs-trust", "commissioner": "QRL",
                                     "region": "South East", "town": "SOUTHAMPTON", "postcode": "SO19 8BR", "latitude": "",
                                     "longitude": "", "opened": "2011-04-01", "closed": "2024-09-30",
                                     "peer_group": "", "ownership": ""}
    assert (providers["G6V2S"]["region"], providers["RQF"]["region"], providers["RQF"]["commissioner"]) == ("London", "Wales", "Q99")
    assert sum(bool(p["closed"]) for p in providers.values()) == 5
    commissioners = {c["code"]: c for c in table(out, "commissioners.csv")}
    assert len(commissioners) == 43 and commissioners["QOP"] == {"code": "QOP", "name": "QOP", "region": "North West"}
    [source] = table(out, "sources.csv")
    assert source["id"] == "ods-etr" and source["checksum"] == "e1c6bf2e73bc1d4fd790511d88fdcf0f49bc799adf0b1c2c9561497c911580bd"
    desc = assert_valid(out)
    assert [r["name"] for r in desc["resources"]] == ["commissioners", "providers", "sources"]
    assert desc["x-imports"][0]["as_of"] == "2024-12-31"


def test_practices_sample(tmp_path):
    out = tmp_path / "ods"
    summary, problems = run_import("ods-practices", EPRACCUR, out, today=TODAY)
    assert problems == []
    assert (summary["rows_read"], summary["providers"], summary["commissioners"], summary["closed"]) == (359, 206, 132, 28)
    assert summary["skipped_rows"] == {f"prescribing setting {s} (not a GP practice)": n for s, n in
                                       [("0", 70), ("1", 3), ("10", 15), ("11", 1), ("12", 4), ("14", 3), ("2", 3),
                                        ("25", 6), ("8", 5), ("9", 43)]}
    providers = {p["code"]: p for p in table(out, "providers.csv")}
    assert len(providers) == 206 and {p["type"] for p in providers.values()} == {"gp-practice"}
    assert (providers["A81001"]["commissioner"], providers["A81001"]["town"], providers["A81001"]["opened"]) == \
        ("00K", "STOCKTON-ON-TEES", "1974-04-01")
    assert sum(bool(p["closed"]) for p in providers.values()) == 28
    assert_valid(out)
    before = tree(out)
    summary, problems = run_import("ods-practices", EPRACCUR, out, today="2031-01-01")
    assert problems == [] and tree(out) == before and summary["rows_new"] == 0


def test_newer_extract_updates_providers_but_keeps_commissioner_names(tmp_path):
    out = tmp_path / "ods"
    run_import("ods-trusts", ETR, out, today=TODAY)
    named = (out / "commissioners.csv").read_text(encoding="utf-8").replace("QOP,QOP,", "QOP,NHS Greater Manchester ICB,")
    (out / "commissioners.csv").write_text(named, encoding="utf-8")
    newer = tmp_path / "etr.csv"
    text = ETR.read_text(encoding="utf-8")
    text = text.replace('"R0A","MANCHESTER UNIVERSITY NHS FOUNDATION TRUST"', '"R0A","MANCHESTER UNIVERSITY HOSPITALS NHS FT"')
    text = text.replace('"RAP","NORTH MIDDLESEX UNIVERSITY HOSPITAL NHS TRUST","Y56","QMJ","NORTH MIDDLESEX HOSPITAL","STERLING WAY","","LONDON","","N18 1QX","19910401","20241231"',
                        '"RAP","NORTH MIDDLESEX UNIVERSITY HOSPITAL NHS TRUST","Y56","QMJ","NORTH MIDDLESEX HOSPITAL","STERLING WAY","","LONDON","","N18 1QX","19910401","20250131"')
    newer.write_text(text, encoding="utf-8")
    summary, problems = run_import("ods-trusts", newer, out, today=TODAY)
    assert problems == [] and (summary["providers_new"], summary["providers_updated"]) == (0, 2)
    providers = {p["code"]: p for p in table(out, "providers.csv")}
    assert providers["R0A"]["name"] == "MANCHESTER UNIVERSITY HOSPITALS NHS FT" and providers["RAP"]["closed"] == "2025-01-31"
    assert {c["code"]: c["name"] for c in table(out, "commissioners.csv")}["QOP"] == "NHS Greater Manchester ICB"
    before = tree(out)
    run_import("ods-trusts", ETR, out, today=TODAY)  # the older extract again: it changes nothing
    assert tree(out) == before


def test_bad_rows(tmp_path):
    rows = ETR.read_text(encoding="utf-8").splitlines()[:3]
    cells = rows[2].split('","')
    cells[9], cells[10] = "NOT A PC", "20231340"  # row 3: postcode and opened date unusable (kept, left empty)
    f = tmp_path / "etr.csv"
    f.write_text("\n".join([rows[0], rows[1], '","'.join(cells), rows[1], rows[0].replace('"G6V2S"', '"G-6"')]) + "\n",
                 encoding="utf-8")
    out = tmp_path / "ods"
    summary, problems = run_import("ods-trusts", f, out, today=TODAY)
    assert [(p.code, p.row, p.field, p.severity) for p in problems] == [
        ("import-bad-value", 3, "opened", "warning"), ("import-bad-value", 3, "postcode", "warning"),
        ("import-bad-value", 4, "code", "warning"), ("import-bad-value", 5, "code", "warning")]
    assert summary["skipped_rows"] == {"repeated code": 1, "bad code": 1} and summary["providers"] == 3
    r0b = {p["code"]: p for p in table(out, "providers.csv")}["R0B"]
    assert (r0b["postcode"], r0b["opened"]) == ("", "")
    assert_valid(out)


def test_wrong_files(tmp_path):
    out = tmp_path / "ods"
    _, problems = run_import("ods-practices", ETR, out, today=TODAY)  # trusts have no prescribing setting
    assert [(p.code, p.row) for p in problems] == [("import-wrong-file", 1)]
    assert "use import ods-trusts" in problems[0].message
    summary, problems = run_import("ods-trusts", DATA / "real" / "nhs-ods" / "epraccur-sample.csv", out, today=TODAY)
    assert [(p.code, p.row) for p in problems] == [("import-wrong-file", 1)]  # #21: was 357 GP surgeries as nhs-trust
    assert "use import ods-practices" in problems[0].message and summary["files_written"] == []
    _, problems = run_import("ods-trusts", DATA / "real" / "cms-hcahps-2016-17" / "HCAHPSHOSPITAL.csv", out, today=TODAY)
    assert [p.code for p in problems] == ["import-header"]
    assert not out.exists()
