"""Building the example site once per test process (shared by the site tests)."""
from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EPOCH = "1735689600"  # 2025-01-01: a fixed publication date, so builds are reproducible
_BUILT: dict[str, object] = {}


def build_example(**kwargs):
    """(out folder, BuildResult) for the bundled example packages, built once per process."""
    if "site" not in _BUILT:
        from generator.build import build
        os.environ["SOURCE_DATE_EPOCH"] = EPOCH
        tmp = Path(tempfile.mkdtemp(prefix="example-site-"))
        atexit.register(shutil.rmtree, tmp, True)
        res = build([ROOT / "datapackages"], tmp / "site", cache_dir=tmp / "cache")
        assert res.ok, (res.error, [p for p in res.problems if p.severity == "error"][:5])
        _BUILT["site"] = (tmp / "site", res, tmp / "cache")
    return _BUILT["site"]


def tree_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_packages(dest: Path) -> Path:
    target = dest / "datapackages"
    shutil.copytree(ROOT / "datapackages", target)
    return target


def example_dataset():
    """The example packages validated, once per process (tests/conftest.py's example_dataset). Read only."""
    if "dataset" not in _BUILT:
        from generator.data.validate import validate_paths
        ds, problems = validate_paths([ROOT / "datapackages"])
        assert ds is not None, [p for p in problems if p.severity == "error"][:5]
        _BUILT["dataset"] = ds
    return _BUILT["dataset"]


def example_results():
    """compare() of the example packages with the default settings, once per process. Read only."""
    if "results" not in _BUILT:
        from generator.compute.compare import compare
        _BUILT["results"] = compare(example_dataset())
    return _BUILT["results"]


def example_view():
    """The example packages validated and compared (once per test process), as a build context with no charts."""
    from generator.compute.release import release_info
    from generator.settings import DEFAULT
    from generator.data import reference
    from generator.views.context import build_context
    results = example_results()
    return build_context(results, {}, release_info(results, DEFAULT), reference.read())
