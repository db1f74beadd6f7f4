"""Case-study addresses never break: a renamed id with a redirect keeps the old address working;
without a redirect, validation stops the release with a located problem."""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys

import pytest

import browser_support as bs
from site_support import EPOCH, ROOT, build_example

OLD, NEW = "turning-feedback-into-change", "feedback-turned-into-change"


def _rename(pkgs, with_redirect: bool) -> None:
    folder = pkgs / "example-case-studies"
    path = folder / "case-studies.csv"
    rows = list(csv.reader(open(path, encoding="utf-8")))
    for r in rows[1:]:
        if r[0] == OLD:
            r[0] = NEW
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    if with_redirect:
        with open(folder / "redirects.csv", "a", encoding="utf-8") as fh:
            fh.write(f"{OLD},{NEW}\n")


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, timeout=600)


def test_removed_case_study_without_redirect_is_a_located_error(tmp_path):
    site, _, _ = build_example()
    pkgs = tmp_path / "datapackages"
    shutil.copytree(ROOT / "datapackages", pkgs)
    _rename(pkgs, with_redirect=False)
    run = _cli("validate", str(pkgs), "--site", str(site), "--json")
    assert run.returncode == 1
    errors = [(p["code"], p["package"], p["resource"], p["field"]) for p in json.loads(run.stdout)["problems"]
              if p["severity"] == "error"]
    assert errors == [("case-study-removed", "example-case-studies", "case-studies", "id")]


@pytest.mark.browser
def test_renamed_case_study_keeps_its_old_address(tmp_path, chromium):
    site, _, _ = build_example()
    out = tmp_path / "site"
    shutil.copytree(site, out)
    pkgs = tmp_path / "datapackages"
    shutil.copytree(ROOT / "datapackages", pkgs)
    _rename(pkgs, with_redirect=True)
    run = _cli("build", "--datapackages", str(pkgs), "--out", str(out))
    assert run.returncode == 0, run.stderr
    with bs.serve(out) as base:
        page = chromium.new_page()
        page.goto(f"{base}/case-studies/{OLD}/")
        page.wait_for_url(f"{base}/case-studies/{NEW}/")
        assert "Turning feedback into change" in page.locator("h1").inner_text()
        page.close()
