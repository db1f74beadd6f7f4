"""League tables: a table too long for a phone lists the providers that differ, and says so."""
from __future__ import annotations

import re

import pytest

from generator.site import render
from generator.views import league
from generator.compute.release import release_info
from generator.settings import DEFAULT
from generator.data import reference
from generator.views.context import build_context


@pytest.fixture(scope="module")
def site(example_results):
    results = example_results
    return build_context(results, {}, release_info(results, DEFAULT), reference.read())


def test_short_tables_list_every_provider(site):
    tables = league.league_tables(site)
    assert tables and all(len(t.rows) == t.total for t in tables)


def test_long_tables_list_only_the_providers_that_differ(site, monkeypatch):
    monkeypatch.setattr(league, "FULL_TABLE_MAX", 20)
    tables = [t for t in league.league_tables(site) if t.total > 20]
    assert tables
    for t in tables:
        assert {v.band for v in t.rows} <= league.DIFFERENT
        differ = sum(g.counts[b] for g in t.groups for b in league.DIFFERENT)
        assert len(t.rows) == differ < t.total == sum(g.n for g in t.groups)
    t = tables[0]
    text = render.environment().get_template("league.md.j2").render(page=t.page, ctx=site, t=t)
    assert f"lists the {len(t.rows)} providers whose result differs from what was expected, out of {t.total}" in text
    assert len(re.findall(r"<tr id=\"p-[a-z0-9]+\" data-type=", text)) == len(t.rows)
    assert "each provider that differs from what was expected" in text and "every provider's result" not in text
    assert 'data-what="providers that differ from what was expected"' in text  # the filter's count says so too
