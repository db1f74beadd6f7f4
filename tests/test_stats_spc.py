"""Making Data Count XmR charts (methods.md §5; behaviour of NHSRplotthedots)."""
from __future__ import annotations

import numpy as np
import pytest

from generator import stats

VECTOR = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
ALTERNATING = [5, 6] * 3


def _flagged(df):
    return [i for i, t in enumerate(df["point_type"]) if t != "common_cause"]


def test_methods_vector_screened_and_unscreened():
    df = stats.spc(VECTOR)
    assert (round(df["mean"][0], 4), round(df["upper"][0], 4), round(df["lower"][0], 4)) == (1.9444, 4.6044, -0.7156)
    raw = stats.spc(VECTOR, screen_outliers=False)
    assert (round(raw["upper"][0], 4), round(raw["lower"][0], 4)) == (6.9515, -3.0626)


def test_columns_and_astronomical_point():
    df = stats.spc(VECTOR, improvement="decrease")
    assert list(df.columns) == ["value", "mean", "upper", "lower", "point_type", "rule", "trial"]
    assert _flagged(df) == [4]
    assert (df["point_type"][4], df["rule"][4]) == ("special_cause_concern", "astronomical")
    assert stats.spc(VECTOR, improvement="increase")["point_type"][4] == "special_cause_improvement"
    assert not df.attrs["trial"] and not df["trial"].any()


def test_trend_of_seven_flags_all_seven_and_ties_break_it():
    y = ALTERNATING + [5.1, 5.2, 5.3, 5.4, 5.5, 5.6, 5.7, 5, 6, 5]
    df = stats.spc(y, improvement="increase")
    assert _flagged(df) == list(range(6, 13))
    assert set(df["rule"][6:13]) == {"trend"} and set(df["point_type"][6:13]) == {"special_cause_improvement"}
    tie = list(y)
    tie[9] = tie[8]
    assert _flagged(stats.spc(tie, improvement="increase")) == []


def test_trend_is_judged_by_its_direction_not_its_side_of_the_mean():
    # a falling run above the mean is a concern when higher is better (NHSRplotthedots #171)
    y = [5, 6, 5, 6, 5, 4, 5, 6.4, 6.3, 6.2, 6.1, 6.0, 5.9, 5.8, 5, 4, 5, 6]
    df = stats.spc(y, improvement="increase")
    assert _flagged(df) == list(range(7, 16))
    assert set(df["point_type"][7:16]) == {"special_cause_concern"}


def _shift_series(middle: float) -> list[float]:
    y = [0, 3, 0, 3, 0, 3, 2, 2, 2, middle, 2, 2, 2, 0, 3, 0, 3]
    return y + [1.5 * (len(y) + 1) - sum(y)]       # mean exactly 1.5


def test_shift_of_seven_and_a_point_on_the_mean_breaks_it():
    df = stats.spc(_shift_series(2.0), improvement="increase")
    assert df["mean"][0] == 1.5
    assert _flagged(df) == list(range(5, 13)) and set(df["rule"][5:13]) == {"shift"}
    on_mean = stats.spc(_shift_series(1.5), improvement="increase")
    assert _flagged(on_mean) == []


def test_two_in_three_beyond_two_sigma():
    y = [10, 11] * 6 + [13.3, 11, 13.3] + [10, 11] * 3
    df = stats.spc(y, improvement="decrease")
    assert _flagged(df) == [12, 14]                 # the point between them is not beyond 2 sigma
    assert set(df["rule"][[12, 14]]) == {"two-in-three"}
    assert set(df["point_type"][[12, 14]]) == {"special_cause_concern"}


def test_priority_astronomical_over_trend():
    y = list(range(15))
    df = stats.spc(y, improvement="increase")
    assert df["rule"].tolist() == ["astronomical"] * 5 + ["trend"] * 5 + ["astronomical"] * 5
    assert df["point_type"][:5].eq("special_cause_concern").all()   # below the lower limit
    assert df["point_type"][5:].eq("special_cause_improvement").all()


def test_neutral_measures():
    df = stats.spc(VECTOR, improvement=None)
    assert df["point_type"][4] == "special_cause_neutral_high"
    low = stats.spc([-v for v in VECTOR], improvement="neutral")
    assert low["point_type"][4] == "special_cause_neutral_low"


def test_trial_limits_give_no_verdict():
    df = stats.spc(VECTOR[:11], improvement="decrease")
    assert df["trial"].all() and df.attrs["trial"]
    assert np.isfinite(df["upper"]).all() and _flagged(df) == [] and set(df["rule"]) == {""}
    assert stats.spc([3.0])["upper"].isna().all()


def test_constant_series_has_zero_width_limits_and_no_signal():
    df = stats.spc([5.0] * 14, improvement="increase")
    assert (df["upper"] == 5.0).all() and (df["lower"] == 5.0).all() and _flagged(df) == []


def test_rejects_bad_input():
    with pytest.raises(ValueError):
        stats.spc([1.0, np.nan, 2.0])
    with pytest.raises(ValueError):
        stats.spc([1.0, 2.0], improvement="up")
