"""Public bands and Fingertips comparisons (methods.md §3)."""
from __future__ import annotations

import numpy as np
import pytest

from generator import stats


@pytest.mark.parametrize("z, expected", [
    (3.0903, "much-better"), (3.090232, "better"), (1.96, "better"), (1.959964, "somewhat-better"),
    (1.6449, "somewhat-better"), (1.644854, "about-same"), (0.0, "about-same"), (-1.644854, "about-same"),
    (-1.6449, "somewhat-worse"), (-1.959964, "somewhat-worse"), (-1.96, "worse"), (-3.090232, "worse"),
    (-3.0903, "much-worse"),
])
def test_band_thresholds(z, expected):
    assert stats.band(z, True) == expected


def test_polarity_flips_the_band():
    z = np.array([3.5, 2.5, 1.8, 0.0, -1.8, -2.5, -3.5])
    assert list(stats.band(z, True)) == list(stats.BANDS)
    assert list(stats.band(z, False)) == list(reversed(stats.BANDS))
    assert list(stats.band([2.5, 2.5], [True, False])) == ["better", "worse"]


def test_band_refuses_missing_z():
    with pytest.raises(ValueError):
        stats.band([1.0, np.nan], True)


def test_every_band_has_a_label():
    assert set(stats.BAND_LABELS) == set(stats.BANDS) | {"too-few"}
    assert stats.BAND_LABELS["about-same"] == "About the same as other providers"
    assert stats.BAND_LABELS["too-few"] == "Too little data to compare"  # as published
    assert stats.band_label("no-such-band") == "Too little data to compare"


def test_named_band_sets():
    assert stats.BETTER_CLEAR < stats.BETTER_ANY and stats.WORSE_CLEAR < stats.WORSE_ANY
    assert stats.BETTER_ANY - stats.BETTER_CLEAR == {"somewhat-better"}
    assert stats.WORSE_ANY - stats.WORSE_CLEAR == {"somewhat-worse"}
    assert stats.BETTER_ANY | stats.WORSE_ANY | {"about-same"} == set(stats.BANDS)
    assert set(stats.NOT_COMPARED) == {"too-few", "suppressed"}


def test_pages_word_bands_as_stats_labels_them():
    from generator.views import wording
    assert {b: wording.band_label(b) for b in stats.BAND_LABELS} == stats.BAND_LABELS


def test_fingertips_compare():
    # 95% interval 70-80, 99.8% interval 65-85
    cases = [(75, True, "similar"), (70, True, "similar"), (68, True, "better"), (60, True, "better-998"),
             (82, True, "worse"), (90, True, "worse-998"), (68, False, "worse"), (90, False, "better-998"),
             (68, None, "higher"), (90, None, "lower-998"), (np.nan, True, "")]
    for benchmark, hib, expected in cases:
        assert stats.fingertips_compare(70, 80, 65, 85, benchmark, hib) == expected, (benchmark, hib)
    got = stats.fingertips_compare([70] * 3, [80] * 3, [65] * 3, [85] * 3, [60, 75, 90], np.array([True, False, True]))
    assert list(got) == ["better-998", "similar", "worse-998"]
