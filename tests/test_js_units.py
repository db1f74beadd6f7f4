"""The site's JavaScript: the pure helpers in generator/assets/shared.js pass their unit tests
(tests/js/, Node's built-in test runner), and the addresses the scripts make by filling the
generator's templates are the generator's own addresses, for every provider, commissioner,
measure and service of the example data.

    node --test tests/js/      # the unit tests alone
"""
from __future__ import annotations

import csv
import json
import re
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import yaml

from generator import paths
from generator.views import choice, finder, urls
from toolcheck import require_node

ROOT = Path(__file__).resolve().parents[1]
SHARED = paths.ASSETS_DIR / "shared.js"
EXAMPLE = ROOT / "datapackages" / "example-reference"
SITE = "https://example.org/experience/"  # any address the site is served from

FILL = """
const S = require(process.argv[1]);
const asked = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(asked.map(([template, values]) => S.address(template, values))));
"""


def _node_tests() -> subprocess.CompletedProcess:
    node = require_node()
    return subprocess.run([str(node), "--test", "tests/js/"], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_the_javascript_unit_tests_pass():
    run = _node_tests()
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-4000:]
    counts = dict(re.findall(r"^# (tests|pass|fail) (\d+)$", out, re.M))
    assert int(counts["tests"]) >= 10 and counts["fail"] == "0" and counts["pass"] == counts["tests"], out[-2000:]


def _column(file: str, field: str) -> list[str]:
    with open(EXAMPLE / file, newline="", encoding="utf-8") as fh:
        return sorted({row[field] for row in csv.DictReader(fh)})


def _fill(asked: list[tuple[str, dict]]) -> list[str]:
    node = require_node()
    run = subprocess.run([str(node), "-e", FILL, str(SHARED)], input=json.dumps(asked), capture_output=True,
                         text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_filled_templates_are_the_generators_addresses():
    codes = _column("providers.csv", "code") + ["ABCDEFGH1234", "123"]  # and the longest and shortest codes allowed
    areas = _column("commissioners.csv", "code")
    measures = _column("measures.csv", "id")
    settings = _column("measures.csv", "setting")
    page = lambda p: urljoin(SITE, urls.href("index.md", p))  # noqa: E731
    file = lambda f: urljoin(SITE, f)  # noqa: E731
    cases = []  # (index file, template, slot values, the generator's address)
    for index, templates in ((finder.INDEX, finder.addresses()), (choice.INDEX_FILE, choice.addresses())):
        for c in codes:
            cases.append((index, templates["provider"], {"code": c}, page(urls.provider(c))))
        for a in areas:
            if "cells" in templates:
                cases.append((index, templates["cells"], {"area": a}, file(choice.cells_file(a))))
            for s in settings:
                if "compare" in templates:
                    cases.append((index, templates["compare"], {"area": a, "setting": s}, page(choice.static_page(a, s))))
        for m in measures:
            if "measure" in templates:
                cases.append((index, templates["measure"], {"id": m}, page(urls.measure(m))))
            if "figures" in templates:
                cases.append((index, templates["figures"], {"id": m}, file(finder.figures_file(m))))
    filled = _fill([(t, v) for _i, t, v, _want in cases])
    got = [urljoin(urljoin(SITE, index), f) for (index, *_), f in zip(cases, filled)]
    assert got == [want for *_, want in cases]
    assert len(cases) > 200


def test_every_template_has_only_slots_the_scripts_fill():
    slots = {"provider": {"code"}, "figures": {"id"}, "measure": {"id"}, "compare": {"area", "setting"}, "cells": {"area"}}
    for templates in (finder.addresses(), choice.addresses()):
        for name, template in templates.items():
            assert set(re.findall(r"\{([a-z]+)\}", template)) == slots[name], (name, template)
            assert not template.startswith("/") and "//" not in template, template  # relative, so any site address works


def test_shared_js_is_loaded_before_the_scripts_that_use_it():
    scripts = yaml.safe_load(paths.DEFAULT_CONFIG.read_text(encoding="utf-8"))["extra_javascript"]
    assert scripts.index("assets/shared.js") < scripts.index("assets/site.js") < scripts.index("assets/choice.js")
