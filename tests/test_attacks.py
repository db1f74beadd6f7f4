"""The attack suite (issue #15): nothing suppressed can be recovered from the built site.

Each attack is in tests/attacks.py. Against the code before the fix they recovered
(python3 tests/attacks.py prints the counts): pooled-target inversion 11 hidden rows
in 12 peer groups; differencing against totals 118 group cells; linear bounds 122
group cells (8 counts, 2 numerators, 116 cells shown to be 100% or 0% positive); the
league page's pooled figure XP3's (9, 7) (3 sections attacked); the perturbation changed 151
files (charts, pages, downloads, search index).
"""
from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest

import attacks
from site_support import EPOCH, ROOT, build_example, tree_hashes

PACKAGES = ROOT / "datapackages"


@pytest.fixture(scope="module")
def example():
    return build_example()[0]


def test_pooled_target_inversion_recovers_nothing(example):
    got = attacks.pooled_target_attack(example, PACKAGES)
    assert got["groups"] >= 10  # the peer groups with a hidden provider were attacked
    assert got["recovered"] == 0, got


def test_differencing_against_totals_recovers_nothing(example):
    got = attacks.differencing_attack(example, PACKAGES)
    assert got["tables"] >= 200
    assert got["recovered"] == 0, got


def test_linear_bounds_on_group_tables_recover_nothing(example):
    got = attacks.bounds_attack(example, PACKAGES)
    assert got["tables"] >= 200
    assert got["recovered"] == 0, got


def test_hidden_cells_all_read_not_shown(example):
    text = (example / "providers" / "x1b" / "index.html").read_text(encoding="utf-8")
    assert "hidden to protect" not in text and "fewer than 10</td><td>Not shown" not in text
    assert "not shown" in text


# --- rebuilds with changed suppressed figures ----------------------------------------------------

def _edit(packages: Path, changes: dict[tuple, tuple]) -> None:
    """Set (responses, numerator) of the rows keyed (provider, measure, period, group)."""
    for f in sorted((packages / "example-fft" / "scores").glob("*.csv")):
        with f.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        if not rows:
            continue
        hit = False
        for r in rows:
            key = (r["provider"], r["measure"], r["period"], r["group"])
            if key in changes:
                r["responses"], r["numerator"] = (str(v) for v in changes[key])
                hit = True
        if hit:
            with f.open("w", encoding="utf-8", newline="") as fh:
                w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
                w.writeheader()
                w.writerows(rows)


XP3 = ("XP3", "fft-inpatient", "2024-12", "all")
BASE = {XP3: (9, 7),  # finding 3: XP3's 11 of 11 becomes 9 of which 7 positive
        # and its groups of each dimension still add up to no more than its total (validation requires it)
        ("XP3", "fft-inpatient", "2024-12", "age-55-64"): (2, 2),          # was 4, 4
        ("XP3", "fft-inpatient", "2024-12", "ethnicity-white"): (7, 7)}    # was 9, 9
# a provider's total stays at or above its largest group (9 for XP3 and YX0140), as validation requires
PERTURBED = {XP3: (9, 3),
             ("YX0012", "fft-gp", "2024-11", "all"): (9, 2),          # was 8, 6 (finding 1)
             ("YX0140", "fft-gp", "2024-12", "all"): (9, 3),          # was 9, 9
             ("X1B", "fft-inpatient", "2024-12", "ethnicity-mixed"): (7, 4),  # was 9, 9 (finding 2)
             ("X1B", "fft-inpatient", "2024-12", "ethnicity-other"): (5, 5)}   # was 9, 9


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    from generator.build import build
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    tmp = tmp_path_factory.mktemp("perturb")
    cache = build_example()[2]
    out = {}
    for name, changes in (("base", BASE), ("perturbed", {**BASE, **PERTURBED})):
        pk = tmp / name / "datapackages"
        shutil.copytree(PACKAGES, pk)
        _edit(pk, changes)
        (tmp / name / "archive").mkdir()  # with --archive: the release record is written as well
        res = build([pk], tmp / name / "site", cache_dir=cache, archive=tmp / name / "archive")
        assert res.ok, res.error
        out[name] = (tmp / name / "site", pk)
    return out


def test_changing_suppressed_figures_changes_no_published_byte(rebuilt):
    """The whole site folder, nothing excluded: SOURCE_DATE_EPOCH fixes every date."""
    a, b = tree_hashes(rebuilt["base"][0]), tree_hashes(rebuilt["perturbed"][0])
    assert a.keys() == b.keys()
    assert sorted(k for k in a if a[k] != b[k]) == []
    # and the release kept in the archive (copied into every later site), its record included
    archive = {name: tree_hashes(rebuilt[name][0].parent / "archive") for name in ("base", "perturbed")}
    assert any(k.endswith("release.json") for k in archive["base"])
    assert archive["base"] == archive["perturbed"]


def test_release_record_holds_no_plain_digest_of_an_input(rebuilt):
    """A plain SHA-256 of an input file lets anyone recover a suppressed row by trying every small value."""
    import hashlib
    site, pk = rebuilt["perturbed"]
    record = next((site.parent / "archive").glob("*/release.json")).read_text()
    inputs = [p for p in pk.rglob("*") if p.is_file()]
    assert inputs
    for p in inputs:
        assert hashlib.sha256(p.read_bytes()).hexdigest() not in record, p


def test_input_digests_are_keyed_only_with_the_publishers_secret(tmp_path, monkeypatch):
    import hashlib
    import hmac
    from generator.site.archive import INPUT_KEY_ENV, input_checksums
    pk = tmp_path / "pkg"
    pk.mkdir()
    (pk / "scores.csv").write_bytes(b"provider,responses\nX1B,7\n")
    monkeypatch.delenv(INPUT_KEY_ENV, raising=False)
    bare = input_checksums([pk])
    assert "files" not in bare and INPUT_KEY_ENV in bare["note"]
    monkeypatch.setenv(INPUT_KEY_ENV, "s3cret")
    keyed = input_checksums([pk])
    digest = keyed["files"]["pkg/scores.csv"]
    assert digest == hmac.new(b"s3cret", (pk / "scores.csv").read_bytes(), hashlib.sha256).hexdigest()
    assert digest != hashlib.sha256((pk / "scores.csv").read_bytes()).hexdigest()


def test_league_pooled_figure_does_not_give_a_suppressed_provider_away(rebuilt):
    site, pk = rebuilt["base"]
    got = attacks.league_pooled_attack(site, pk)
    assert got["sections"] >= 1
    assert got["recovered"] == 0, got
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    text = [d["text"] for d in docs if d["location"] == "measures/fft-inpatient/#independent-providers"]
    assert text and "(leaving out the 1 not shown) is 93.5%" in text[0]  # XP1 and XP2: 29 of 31
    assert "90.0%" not in text[0]


def test_funnel_limits_are_drawn_after_suppression(rebuilt):
    from generator.compute.compare import compare
    from generator.data.validate import validate_paths
    ds, _ = validate_paths([rebuilt["base"][1]])
    r = compare(ds)
    f = r.funnels[(r.funnels["measure"] == "fft-inpatient") & (r.funnels["period"] == "2024-12")
                  & (r.funnels["peer"] == "independent")]
    assert f["size"].min() == pytest.approx(0.8 * 13, abs=1e-3)  # XP2's 13, not 0.8 x XP3's 9
    p = r.peers.set_index(["measure", "period", "peer"]).loc[("fft-inpatient", "2024-12", "independent")]
    assert p["target"] == pytest.approx((17 + 12) / (18 + 13), abs=1e-4)  # XP1 and XP2 only
