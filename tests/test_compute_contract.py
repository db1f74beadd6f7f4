"""What compute hands on: Results complete and frozen, every frame with the columns compute/columns.py lists,
and a clear error naming a column a stage failed to make. Periods and the latest rows, from one module."""
from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from generator.compute import columns
from generator.data import periods

MINIMAL_PACKAGE = Path(__file__).parent / "packages" / "minimal"  # as conftest.py (which sub-folders shadow)


@lru_cache(maxsize=1)
def _dataset():
    from generator.data.validate import validate_paths
    ds, problems = validate_paths([MINIMAL_PACKAGE])
    assert ds is not None, problems[:5]
    return ds


def test_results_are_complete_and_frozen():
    from generator.compute.compare import compare
    r = compare(_dataset())
    assert [f.name for f in dataclasses.fields(r) if getattr(r, f.name) is None] == []
    for name, cols in columns.COLUMNS.items():
        assert set(cols) <= set(getattr(r, name).columns), name
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.flags = pd.DataFrame()


def test_a_missing_column_is_named():
    frames = {"scores": pd.DataFrame(columns=[c for c in columns.COLUMNS["scores"] if c != "band"]),
              "flags": pd.DataFrame(columns=columns.COLUMNS["flags"])}
    with pytest.raises(columns.MissingColumns, match=r"scores\.band\b"):
        columns.check(frames)


def test_compare_stops_when_a_stage_drops_a_column(monkeypatch):
    from generator.compute import compare as compare_module, trends
    spc = trends.monthly_spc
    monkeypatch.setattr(compare_module.trends, "monthly_spc", lambda *a, **k: spc(*a, **k).drop(columns="trial"))
    with pytest.raises(columns.MissingColumns, match=r"without column\(s\) trends\.trial \(listed in"):
        compare_module.compare(_dataset())


def test_period_kinds_starts_and_labels():
    assert [periods.kind(p) for p in ("2024-03", "2024-Q2", "2024")] == [0, 1, 2]
    assert [periods.is_month(p) for p in ("2024-03", "2024-Q2", "2024", "")] == [True, False, False, False]
    assert periods.months(pd.Series(["2024-03", "2024-Q2", "2024"])).tolist() == [True, False, False]
    assert [periods.start(p) for p in ("2024-03", "2024-Q2", "2024")] == \
        [pd.Timestamp(2024, 3, 1), pd.Timestamp(2024, 4, 1), pd.Timestamp(2024, 1, 1)]
    kinds, days = periods.starts(np.array(["2024-Q4", "2023", "2024-Q4", "2024-12"], dtype=object))
    assert kinds.tolist() == [1, 2, 1, 0]
    assert [str(d) for d in days] == ["2024-10-01", "2023-01-01", "2024-10-01", "2024-12-01"]
    assert [periods.label(p) for p in ("2024-03", "2024-Q2", "2024", "")] == \
        ["March 2024", "quarter 2 of 2024", "2024", ""]


def test_latest_rows_keeps_each_measures_latest_period():
    frame = pd.DataFrame({"measure": ["a", "a", "b", "b", "c"], "period": ["2024-01", "2024-02", "2024", "2023", "2024"]})
    got = periods.latest_rows(frame, {"a": "2024-02", "b": "2024"})
    assert got.index.tolist() == [1, 2]  # a measure with no latest period keeps no row


def test_recent_rows_keeps_each_measures_latest_n_periods_with_their_age():
    frame = pd.DataFrame({"measure": ["a", "a", "a", "b", "b", "c"],
                          "period": ["2024-01", "2024-02", "2024-03", "2024", "2023", "2024"]})
    known = {"a": ["2024-03", "2024-02", "2024-01"], "b": ["2024", "2023"]}
    got = periods.recent_rows(frame, known, 2)
    assert got.index.tolist() == [1, 2, 3, 4]  # a's oldest period and measure c (no periods) keep no row
    assert got["age"].tolist() == [1, 0, 0, 1]
    assert periods.recent_rows(frame, known)["age"].tolist() == [0, 0]
