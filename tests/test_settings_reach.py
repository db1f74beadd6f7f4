"""Settings other than the defaults reach the figures and the words: every field of Settings changes what
is computed, and the words that name a threshold take it from the settings (issue 16's 'settings bypassed'
findings; each test fails when the default is typed in instead). tests/test_settings_build.py checks the
built site."""
from dataclasses import fields
from types import SimpleNamespace
from pathlib import Path

import numpy as np
import pytest

from generator.site import downloads
from generator.site.charts import specs
from generator.compute.compare import compare
from generator.settings import DEFAULT, Settings
from generator.data.validate import validate_paths
from generator.views import wording

ROOT = Path(__file__).resolve().parents[1]
# every field away from its default
CUSTOM = Settings(suppress_below=12, band_below=25, min_providers_for_tau=20, overdispersion="funnelplotr",
                  rank_draws=200, rank_seed=7, spc_min_points=30, history_periods=1)


@pytest.fixture(scope="module")
def dataset():
    ds, _ = validate_paths([ROOT / "datapackages"])
    assert ds is not None
    return ds


@pytest.fixture(scope="module")
def default(dataset):
    return compare(dataset)


@pytest.fixture(scope="module")
def custom(dataset):
    return compare(dataset, CUSTOM)


def test_every_field_is_set_away_from_its_default():
    assert [f.name for f in fields(Settings) if getattr(CUSTOM, f.name) == getattr(DEFAULT, f.name)] == []


def test_spc_minimum_points_follows_the_settings(default, custom):
    assert not default.trends["trial"].all()  # 24 months: most series are past the default 12
    strict = custom.trends
    assert len(strict) and strict["trial"].all()  # no series has 30 months: every one is a trial
    assert default.trends["point_type"].str.startswith("special_cause").any()
    assert not strict["point_type"].str.startswith("special_cause").any()  # trial limits mark no point


def test_charted_periods_follow_the_settings(custom):
    keys = specs(custom, CUSTOM).keys()
    for measure, periods in custom.periods.items():
        drawn = {p for p in periods if any(k.startswith(f"{measure}/{p}-") for k in keys)}
        assert drawn <= set(periods[:2]), (measure, sorted(drawn))


def _aligned(default, custom):
    keys = ["provider", "measure", "period"]
    assert default.scores[keys].equals(custom.scores[keys])
    return default.scores, custom.scores


def test_suppression_follows_the_settings(dataset, default, custom):
    d, c = _aligned(default, custom)
    assert c.loc[c["estimate"].notna(), "responses"].min() >= 12
    hidden_now = d["estimate"].notna() & c["estimate"].isna()  # shown by default, hidden at 12
    assert hidden_now.any() and (c.loc[hidden_now, "band"] == "suppressed").all()
    given = dataset["scores"]
    given = given[given["group"] == "all"].set_index(["provider", "measure", "period"])["responses"]
    hidden = d.loc[hidden_now].set_index(["provider", "measure", "period"]).index
    assert set(given.loc[hidden]) <= {10, 11}


def test_too_few_threshold_follows_the_settings(default, custom):
    """band_below 25: results from 25 to 29 responses are banded, which the default leaves as too few."""
    d, c = _aligned(default, custom)
    between = (d["kind"] != "ratio") & d["responses"].between(25, 29) & d["estimate"].notna()
    assert between.any()
    assert (d.loc[between, "band"] == "too-few").all()
    assert (c.loc[between, "band"] != "too-few").any()


def test_overdispersion_settings_reach_the_peers(default, custom):
    """min_providers_for_tau 20: groups of 17 and 19 providers get no spread; the larger ones get the
    'funnelplotr' estimate, which differs from the default 'consistent' one."""
    d, c = default.peers, custom.peers
    assert d[["measure", "period", "peer"]].equals(c[["measure", "period", "peer"]])
    small = d["n_providers"].between(15, 19) & (d["mode"] == "adjusted")
    assert small.any() and (c.loc[small, "mode"] == "too-few-providers").all()
    large = (d["mode"] == "adjusted") & ~small
    assert large.any() and (c.loc[large, "mode"] != "too-few-providers").all()
    assert not np.allclose(d.loc[large, "tau2"], c.loc[large, "tau2"])


def test_positions_follow_the_history_and_draws(default, custom):
    for measure, periods in custom.periods.items():
        c = custom.scores[custom.scores["measure"] == measure]
        assert c.loc[~c["period"].isin(periods[:2]), "rank_lower"].isna().all(), measure
    d = default.scores
    assert d.loc[d["measure"].eq("fft-gp") & ~d["period"].isin(default.periods["fft-gp"][:2]), "rank_lower"].notna().any()
    d, c = _aligned(default, custom)
    both = c["rank_lower"].notna() & d["rank_lower"].notna()  # other draws and seed: other simulated positions
    assert both.any() and not np.array_equal(c.loc[both, "rank_lower"], d.loc[both, "rank_lower"])


def test_words_name_the_settings():
    assert wording.band_label("suppressed", CUSTOM) == "Fewer than 12 responses: not shown"
    assert wording.band_label("suppressed", DEFAULT) == "Fewer than 10 responses: not shown"
    with pytest.raises(ValueError):
        wording.band_label("suppressed")  # no default threshold typed in: the caller must say
    assert wording.band_label("better") == "Better than expected"
    assert wording.spc_words("trial", CUSTOM) == "Fewer than 30 months of data, so no trend verdict yet."
    assert wording.spc_words("no-such-verdict", CUSTOM) == wording.SPC["none"]
    described = dict((n, d) for n, _, d in downloads.described(downloads.RESULT_FIELDS + downloads.TREND_FIELDS, CUSTOM))
    assert "fewer than 12" in described["responses"] and "fewer than 30 points" in described["trial"]
    readme = downloads.readme_text(SimpleNamespace(period="2024-12", published="2025-01-01", settings=CUSTOM), True)
    assert "fewer than 12 responses" in readme and "from 12 to 24 responses" in readme
