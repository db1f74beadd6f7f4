"""Settings other than the defaults reach the figures: SPC minimum points and the periods charted
(issue 16's 'settings bypassed' findings; each test fails when the default is typed in instead)."""
from dataclasses import replace

from generator.site.charts import specs
from generator.compute.compare import compare
from generator.settings import DEFAULT


def test_spc_minimum_points_follows_the_settings(example_dataset, example_results):
    dataset = example_dataset
    default = example_results.trends
    assert not default["trial"].all()  # 24 months: most series are past the default 12
    strict = compare(dataset, replace(DEFAULT, spc_min_points=30)).trends
    assert len(strict) and strict["trial"].all()  # no series has 30 months: every one is a trial
    assert default["point_type"].str.startswith("special_cause").any()
    assert not strict["point_type"].str.startswith("special_cause").any()  # trial limits mark no point


def test_charted_periods_follow_the_settings(example_dataset):
    results = compare(example_dataset, replace(DEFAULT, history_periods=1))
    keys = specs(results, replace(DEFAULT, history_periods=1)).keys()
    for measure, periods in results.periods.items():
        drawn = {p for p in periods if any(k.startswith(f"{measure}/{p}-") for k in keys)}
        assert drawn <= set(periods[:2]), (measure, sorted(drawn))
