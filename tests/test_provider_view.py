"""Provider page views: the trend sentence agrees with what the small chart marks."""
from __future__ import annotations

from pathlib import Path

from generator import wording
from generator.compare import compare
from generator.release import release_info
from generator.settings import DEFAULT
from generator.validate import validate_paths
from generator.views import SiteView

ROOT = Path(__file__).resolve().parents[1]


def test_a_quiet_latest_month_after_marked_ones_says_why_the_marks_do_not_count():
    ds, problems = validate_paths([ROOT / "datapackages"])
    assert ds is not None, problems[:5]
    results = compare(ds)
    site = SiteView(results, {}, release_info(results, DEFAULT))
    marked = {(p, m) for (p, m), g in results.trends.groupby(["provider", "measure"])
              if g.sort_values("period")["point_type"].iloc[:-1].str.startswith("special_cause").any()}
    seen = {"with": 0, "without": 0}
    for p in site.provider_views():
        for m in p.measures:
            if m.verdict != "common_cause":
                continue
            says = m.verdict_text.endswith(wording.SPC_EARLIER)
            assert says == ((p.code, m.id) in marked), (p.code, m.id)
            seen["with" if says else "without"] += 1
    assert seen["with"] > 0 and seen["without"] > 0
