"""Provider page views: the trend sentence agrees with what the small chart marks."""
from __future__ import annotations

from dataclasses import replace

from generator.compute import trends
from generator.views import choice, wording
from generator.compute.release import release_info
from generator.settings import DEFAULT
from generator.data import reference
from generator.views import comparators, provider
from generator.views.context import build_context


def test_a_quiet_latest_month_after_marked_ones_says_why_the_marks_do_not_count(example_results):
    results = example_results
    site = build_context(results, {}, release_info(results, DEFAULT), reference.read())
    marked = {(p, m) for (p, m), g in results.trends.groupby(["provider", "measure"])
              if g.sort_values("period")["point_type"].iloc[:-1].str.startswith("special_cause").any()}
    seen = {"with": 0, "without": 0}
    for p in provider.provider_views(site, comparators.comparators(site)):
        for m in p.measures:
            if m.verdict != "common_cause":
                continue
            says = m.verdict_text.endswith(wording.SPC_EARLIER)
            assert says == ((p.code, m.id) in marked), (p.code, m.id)
            seen["with" if says else "without"] += 1
    assert seen["with"] > 0 and seen["without"] > 0


def test_a_two_figure_series_is_said_in_words_and_a_longer_one_is_drawn(example_results):
    results = example_results
    annual = [m for m in results.latest if m.startswith("survey-inpatient")]
    first = {m: results.scores.loc[results.scores["measure"] == m, "period"].min() for m in annual}
    cut = results.scores[[not (m in first and p == first[m]) for m, p in
                          zip(results.scores["measure"], results.scores["period"])]].copy()
    hidden = cut[(cut["measure"] == annual[0]) & (cut["period"] == results.latest[annual[0]])].index[0]
    cut.loc[hidden, "estimate"] = float("nan")  # a suppressed latest figure: the one before is still "previous"
    seen = {"drawn": 0, "words": 0, "hidden latest": 0}
    for scores in (results.scores, cut):
        site = build_context(replace(results, scores=scores), {}, release_info(results, DEFAULT), reference.read())
        for p in provider.provider_views(site, comparators.comparators(site)):
            for m in (m for m in p.measures if m.id in annual):
                s = scores[(scores["provider"] == p.code) & (scores["measure"] == m.id)].sort_values("period")
                latest = results.latest[m.id]
                shown = s[s["estimate"].notna()]
                before = shown[shown["period"] < latest]
                drawn = len(shown) >= 3
                assert (m.trend is not None) == drawn, (p.code, m.id, len(shown))
                words = "" if drawn or before.empty else \
                    f"Previous result: {wording.value(before['estimate'].iat[-1], site.measure(m.id).kind)} ({before['period'].iat[-1]})"
                assert m.earlier == words, (p.code, m.id)
                seen["drawn" if drawn else "words"] += 1
                seen["hidden latest"] += bool(words) and latest not in set(shown["period"])
    assert all(seen.values()), seen


def test_the_trend_verdict_looks_at_the_red_flag_window():
    rules = {r["id"]: r for r in reference.read_rules()}
    assert rules["spc-concern"]["recent_points"] == trends.RECENT
    assert set(wording.SPC_RULES) == {"astronomical", "trend", "shift", "two-in-three"}
    c, i, n = "special_cause_concern", "special_cause_improvement", "common_cause"
    assert trends.verdict_of([n, n, c], False) == c
    assert trends.verdict_of([c, n, n], False) == "recent_concern"
    assert trends.verdict_of([c, n, n, n], False) == n
    assert trends.verdict_of([n, c, i], False) == "mixed"
    assert trends.verdict_of([i, n, n], False) == "recent_improvement"
    assert trends.verdict_of([c, n, n], True) == "trial"
    assert trends.verdict_of([], False) == "none"
    for v in ("recent_concern", "recent_improvement", "mixed"):
        assert v in wording.SPC and v in choice.TRENDS


def test_no_page_says_no_real_change_beside_a_red_flag_for_one(example_results):
    results = example_results
    site = build_context(results, {}, release_info(results, DEFAULT), reference.read())
    concern = set(zip(*[results.flags.loc[results.flags["rule"] == "spc-concern", k] for k in ("provider", "measure")]))
    assert concern
    shown = {(p.code, m.id): m.verdict for p in provider.provider_views(site, comparators.comparators(site))
             for m in p.measures}
    for key in concern:
        assert shown[key] in ("special_cause_concern", "recent_concern", "mixed"), key
    improving = results.good_practice[results.good_practice["reason"].str.contains("improving")]
    assert not set(zip(improving["provider"], improving["measure"])) & set(zip(results.flags["provider"],
                                                                                 results.flags["measure"]))


def test_series_made_when_asked_for_are_the_rows_made_at_once(example_results):
    """provider._Grouped (issue 20) gives each series as _by_key gives its rows, a list per field: the same values
    of the same types in the same order."""
    r = example_results
    fields = ["period", "value", "mean", "upper", "lower", "point_type", "trial"]
    cases = [(r.trends, [], True, fields), (r.scores, ["period"], False, ["period", "estimate"])]
    for df, order, ascending, cols in cases:
        whole = provider._by_key(df, ["provider", "measure"], order, ascending=ascending)
        lazy = provider._Grouped(df, ["provider", "measure"], order, cols, ascending=ascending)
        assert whole and set(lazy.ranges) == set(whole)
        for key, rows in whole.items():
            got = lazy.get(key)
            assert list(got) == cols and all(len(got[c]) == len(rows) for c in cols)
            assert [[type(got[c][i]) for c in cols] for i in range(len(rows))] == [[type(getattr(x, c)) for c in cols] for x in rows]
            assert [[str(got[c][i]) for c in cols] for i in range(len(rows))] == [[str(getattr(x, c)) for c in cols] for x in rows]
    assert lazy.get(("nobody", "nothing")) is None
