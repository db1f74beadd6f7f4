"""scripts/calibrate.py at a small scale: bands and rank intervals behave as the methods page says.

Full-scale figures (1,000 replicates) are printed by `python3 scripts/calibrate.py`; the methods
page reads them from generator/calibration.json.
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from generator.paths import CALIBRATION
from generator.settings import DEFAULT

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "calibrate.py"


@pytest.fixture(scope="module")
def module():
    spec = importlib.util.spec_from_file_location("calibrate", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def result(module) -> dict:
    out = module.calibrate(replicates=100, providers=150, tau=0.03, seed=0, draws=500)
    assert module.table(out).count("%") >= 20
    return out


@pytest.mark.slow  # the simulation: 100 replicates of 150 providers through bands, tau2 and ranks
def test_overdispersion_is_real_in_the_simulation(result):
    assert result["flag_unadjusted"] > 0.25
    assert result["adjusted_mode_consistent"] > 0.95 and result["adjusted_mode_funnelplotr"] > 0.95


@pytest.mark.slow  # the simulation: 100 replicates of 150 providers through bands, tau2 and ranks
def test_site_setting_is_nominal_and_funnelplotr_runs_high(result):
    # the consistency factor is kept because the calibration supports it: about 5% against about 11%
    assert DEFAULT.overdispersion == "consistent"
    assert abs(result["false_flags_consistent"] - 0.05) <= 0.01
    assert result["false_flags_funnelplotr"] > 0.08
    assert result["tau2_consistent"] == pytest.approx(0.03 ** 2, rel=0.2)
    assert result["tau2_funnelplotr"] < 0.7 * 0.03 ** 2


@pytest.mark.slow  # the simulation: 100 replicates of 150 providers through bands, tau2 and ranks
def test_rank_intervals_have_nominal_coverage(result):
    # posterior draws: 93.5-96.5%; the draws used before, N(y, s^2 + tau2), covered about 98.4%
    assert 0.935 <= result["rank_coverage_consistent"] <= 0.965
    assert result["rank_coverage_unshrunk"] > 0.975


@pytest.mark.slow  # the simulation: 100 replicates of 150 providers through bands, tau2 and ranks
def test_exact_ratio_bands_are_nominal_with_overdispersion(result):
    assert abs(result["ratio_false_flags_consistent"] - 0.05) <= 0.01
    assert result["ratio_false_flags_unadjusted"] > 0.15


@pytest.mark.slow  # the simulation: 100 replicates of 150 providers through bands, tau2 and ranks
def test_a_truly_worse_provider_is_often_found(result):
    for mode in ("consistent", "funnelplotr"):
        assert 0.15 <= result[f"detect_worse_{mode}"] <= result[f"detect_somewhat_worse_{mode}"] <= 0.8


def test_saved_figures_are_from_this_script(module):
    saved = json.loads(CALIBRATION.read_text(encoding="utf-8"))
    assert set(module.calibrate(replicates=2, providers=20, draws=20)) <= set(saved)
    assert saved["command"].startswith("python3 scripts/calibrate.py")
    assert 0.935 <= saved["rank_coverage_consistent"] <= 0.965
