"""The publisher's words (standard 1.4, datapackage.json "publisher"): validation, merging across packages,
older packages, and the words the pages take from them. The built sites are in test_publisher_words.py."""
from __future__ import annotations

import datetime as dt

import pytest

from generator.data import publisher
from generator.data.dataset import READS, STANDARD_VERSION
from generator.data.validate import validate_paths
from generator.importers.hcahps import US_CONTEXT
from generator.views.publisher import Words

TODAY = dt.date(2025, 1, 1)


def test_standard_is_1_4_and_reads_every_earlier_version(minimal_package, pkgtools):
    assert STANDARD_VERSION == "1.4" and READS == ("1.0", "1.1", "1.2", "1.3", "1.4")
    for version in ("1.3", "1.1"):  # no publisher object: NHS England's words, as before
        pkgtools.edit_descriptor(minimal_package, lambda d, v=version: d.__setitem__("standard", v))
        ds, problems = validate_paths([minimal_package], today=TODAY)
        assert pkgtools.errors_of(problems) == []
        assert ds.publisher == publisher.DEFAULT and not ds.publisher.given
        assert ds.publisher.kind("nhs-trust") == ("NHS trust", "NHS trusts")
        assert ds.publisher.source("fft") == "Friends and Family Test"


def test_a_publisher_object_is_read(minimal_package, pkgtools):
    pkgtools.edit_descriptor(minimal_package, lambda d: d.update(standard="1.4", publisher=US_CONTEXT))
    ds, problems = validate_paths([minimal_package], today=TODAY)
    assert pkgtools.errors_of(problems) == []
    pub = ds.publisher
    assert pub.given and pub.name == "Centers for Medicare & Medicaid Services (CMS)" and pub.country == "the United States"
    assert pub.kind("independent") == ("hospital", "hospitals") and pub.place == "zip"
    assert pub.level == publisher.Level("state", "states", "in", "")
    assert pub.source("survey") == "HCAHPS patient survey" and pub.source("fft") == "Friends and Family Test"


BAD = [  # (publisher object, the (code, row, field) of each problem)
    ("CMS", [("publisher-invalid", None, "publisher")]),
    ({"name": ""}, [("publisher-invalid", None, "publisher.name")]),
    ({"country": 7}, [("publisher-invalid", None, "publisher.country")]),
    ({"name": "x" * 121}, [("publisher-invalid", None, "publisher.name")]),
    ({"name": "CMS\x00"}, [("publisher-invalid", None, "publisher.name")]),
    ({"name": "CMS\ud800"}, [("publisher-invalid", None, "publisher.name")]),  # no page could be written with it
    ({"colour": "red"}, [("publisher-invalid", None, "publisher.colour")]),
    ({"kinds": ["hospital"]}, [("publisher-invalid", None, "publisher.kinds")]),
    ({"kinds": {"hospital": ["a", "b"]}}, [("publisher-invalid", None, "publisher.kinds.hospital")]),
    ({"kinds": {"independent": "hospital"}}, [("publisher-invalid", None, "publisher.kinds.independent")]),
    ({"kinds": {"independent": ["hospital"]}}, [("publisher-invalid", None, "publisher.kinds.independent")]),
    ({"kinds": {"independent": ["hospital", None]}}, [("publisher-invalid", None, "publisher.kinds.independent")]),
    ({"commissioning": "state"}, [("publisher-invalid", None, "publisher.commissioning")]),
    ({"commissioning": {"one": "state"}}, [("publisher-invalid", None, "publisher.commissioning")]),
    ({"commissioning": {"one": "state", "many": "states", "by": ""}}, [("publisher-invalid", None, "publisher.commissioning.by")]),
    ({"commissioning": {"one": "a", "many": "b", "by": "c", "x": "d"}}, [("publisher-invalid", None, "publisher.commissioning.x")]),
    ({"place": "zipcode"}, [("publisher-invalid", None, "publisher.place")]),
    ({"sources": {"hcahps": "HCAHPS"}}, [("publisher-invalid", None, "publisher.sources.hcahps")]),
    ({"sources": {"survey": ["HCAHPS"]}}, [("publisher-invalid", None, "publisher.sources.survey")]),
]


@pytest.mark.parametrize("block,expected", BAD, ids=[str(i) for i in range(len(BAD))])
def test_bad_publisher_values_are_problems_not_tracebacks(minimal_package, pkgtools, block, expected):
    pkgtools.edit_descriptor(minimal_package, lambda d: d.update(standard="1.4", publisher=block))
    ds, problems = validate_paths([minimal_package], today=TODAY)
    assert pkgtools.errors_of(problems) == expected
    assert all(p.file == "datapackage.json" and p.message.encode("utf-8") for p in problems if p.code == "publisher-invalid")


def test_packages_built_together_must_agree(tmp_path, pkgtools):
    import json
    a = pkgtools.copy_minimal(tmp_path / "a")
    pkgtools.edit_descriptor(a, lambda d: d.update(standard="1.4", publisher=US_CONTEXT))
    b = tmp_path / "b"  # a second package holding only the (identical) groups
    b.mkdir()
    pkgtools.write_rows(b, "groups.csv", pkgtools.read_rows(a, "groups.csv"))
    (b / "datapackage.json").write_text(json.dumps({
        "name": "b", "title": "b", "standard": "1.4", "licenses": [{"name": "CC0-1.0"}],
        "publisher": {**US_CONTEXT, "country": "Canada"},
        "resources": [{"name": "groups", "path": "groups.csv", "format": "csv"}]}), encoding="utf-8")
    ds, problems = validate_paths([a, b], today=TODAY)
    assert pkgtools.errors_of(problems) == [("publisher-conflict", None, "publisher")]
    pkgtools.edit_descriptor(b, lambda d: d.pop("publisher"))  # one package gives it: the build reads it
    ds, problems = validate_paths([a, b], today=TODAY)
    assert pkgtools.errors_of(problems) == [] and ds.publisher.country == "the United States"


def test_words_from_the_context():
    nhs = Words(publisher.DEFAULT, {"nhs-trust", "gp-practice", "independent"}, {"fft", "survey"}, near=True)
    assert nhs.kinds_phrase == "NHS trusts, GP practices and independent providers"
    assert nhs.description == ("How NHS trusts, GP practices and independent providers compare on what patients "
                               "say about their care.")  # generator/mkdocs.yml's description, word for word
    assert (nhs.levels_title, nhs.level.about) == ("Commissioners", "integrated care boards") and nhs.near and nhs.audience == "commissioners"
    assert nhs.by("NHS Example ICB") == "commissioned by NHS Example ICB" and not nhs.one_kind
    us_pub, _ = publisher.parse(US_CONTEXT, "cms")
    us = Words(us_pub, {"independent"}, {"survey"}, near=True)  # ZIP codes: no lookup is offered
    assert (us.kinds_phrase, us.title("independent"), us.titles("independent")) == ("hospitals", "Hospital", "Hospitals")
    assert us.description == "How hospitals compare on what patients say about their care."
    assert us.sources_sentence == "Its results come from: HCAHPS patient survey."
    assert (us.level_title, us.levels_title, us.level.about, us.by("Alabama")) == ("State", "States", "", "in Alabama")
    assert us.one_kind and not us.near and us.place == "ZIP code" and us.audience == ""
    none_pub, problems = publisher.parse({"commissioning": None, "place": "none"}, "x")
    flat = Words(none_pub, {"gp-practice"}, {"fft"}, near=True)
    assert problems == [] and flat.level is None and not flat.near
    assert (flat.levels_title, flat.by("X")) == ("Areas", "in X")  # the commissioners' rows, as plain areas


def test_the_hcahps_importer_writes_the_us_context(tmp_path):
    from generator.importers import run_import
    from site_support import ROOT
    src = ROOT / "tests" / "data" / "real" / "cms-hcahps-2016-17" / "HCAHPSHOSPITAL.csv"
    head = src.read_text(encoding="utf-8-sig").splitlines()[:400]  # the first hospitals of the real file
    small = tmp_path / "HCAHPSHOSPITAL.csv"
    small.write_text("\n".join(head) + "\n", encoding="utf-8")
    summary, problems = run_import("hcahps", small, tmp_path / "pk" / "cms", today="2026-12-07")
    assert not [p for p in problems if p.severity == "error"], problems[:3]
    import json
    desc = json.loads((tmp_path / "pk" / "cms" / "datapackage.json").read_text(encoding="utf-8"))
    assert desc["publisher"] == US_CONTEXT and desc["standard"] == "1.4"
    desc["publisher"]["name"] = "CMS, edited by hand"  # a publisher's own words are kept by the next import
    (tmp_path / "pk" / "cms" / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    run_import("hcahps", small, tmp_path / "pk" / "cms", today="2026-12-07")
    desc = json.loads((tmp_path / "pk" / "cms" / "datapackage.json").read_text(encoding="utf-8"))
    assert desc["publisher"]["name"] == "CMS, edited by hand"
