"""Real data: the CMS HCAHPS 2016-17 file (public domain; tests/data/real/, see PROVENANCE.md) imported and built,
and the site's bands set against the star ratings CMS published for the same linear mean scores."""
from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd

from site_support import EPOCH, ROOT

HCAHPS = ROOT / "tests" / "data" / "real" / "cms-hcahps-2016-17" / "HCAHPSHOSPITAL.csv"
SCORE = {"much-better": 3, "better": 2, "somewhat-better": 1, "about-same": 0, "somewhat-worse": -1, "worse": -2,
         "much-worse": -3}


def band_star_table(results, stars: pd.DataFrame) -> pd.DataFrame:
    sc = results.scores
    linear = sc[sc["measure"].str.endswith("-linear-score") & sc["band"].isin(SCORE)]
    m = linear.merge(stars, left_on=["provider", "measure", "period"], right_on=["provider", "measure", "period"])
    return pd.crosstab(m["band"].map(SCORE), m["stars"].astype(int))


def test_hcahps_package_builds_a_site_and_bands_agree_with_cms_stars(tmp_path):
    pkgs = tmp_path / "datapackages"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    run = subprocess.run([sys.executable, "-m", "generator", "import", "hcahps", str(HCAHPS), "--into",
                          str(pkgs / "cms-hcahps")], cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    build = subprocess.run([sys.executable, "-m", "generator", "build", "--datapackages", str(pkgs), "--out",
                            str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert build.returncode == 0, build.stderr
    providers = pd.read_csv(pkgs / "cms-hcahps" / "providers.csv", dtype=str)
    assert len(providers) == 66 and providers["code"].str.fullmatch(r"\d{6}").all()
    for code in providers["code"].head(5):
        assert (tmp_path / "site" / "providers" / code / "index.html").is_file()
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Example data, not real results" not in page  # real data: no example notice

    from generator.compute.compare import compare
    from generator.data.validate import validate_paths
    ds, problems = validate_paths([pkgs])
    assert not [p for p in problems if p.severity == "error"]
    stars = pd.read_csv(pkgs / "cms-hcahps" / "stars.csv", dtype={"provider": str, "period": str})
    table = band_star_table(compare(ds), stars)
    long = table.stack().rename("n").reset_index()
    pairs = long.loc[long.index.repeat(long["n"])]
    rho = pairs.iloc[:, 0].corr(pairs.iloc[:, 1], method="spearman")
    assert rho > 0.5, (f"Spearman {rho:.2f} over {len(pairs)} hospital-measures; bands (rows, 3 = much better) "
                       f"against CMS stars (columns):\n{table.to_string()}")
