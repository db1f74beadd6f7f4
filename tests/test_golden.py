"""Rendered pages equal the reviewed golden copies (regenerate: python3 tests/golden_pages.py)."""
from __future__ import annotations

import pytest

import golden_pages


@pytest.fixture(scope="module")
def rendered():
    return golden_pages.render_pages()


@pytest.mark.parametrize("name", golden_pages.PAGES)
def test_page_matches_its_golden_copy(rendered, name):
    expected = golden_pages.golden_file(name).read_text(encoding="utf-8")
    assert rendered[name] == expected, f"{name} changed: run python3 tests/golden_pages.py and review the diff"
