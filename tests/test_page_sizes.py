"""Pages stay under 500 KB at England scale (issue 17): the red-flags page counts flags per commissioner
and rule when there are too many to list, and each commissioner's page lists its own with the evidence."""
from __future__ import annotations

import html
import re

import pytest

from generator.site import render
from generator.views import commissioner
from site_support import example_view


def _red_flags(site, listed: int) -> str:
    env = render.environment()
    return html.unescape(env.get_template("redflags.md.j2").render(page="red-flags.md", ctx=site, listed=listed,
                                                                    commissioners=commissioner.commissioner_views(site)))


@pytest.mark.slow  # renders every commissioner's page
def test_red_flags_page_counts_when_there_are_too_many_to_list():
    site = example_view()
    views = commissioner.commissioner_views(site)
    total = sum(len(c.flags) for c in views)
    assert total > 0
    full = _red_flags(site, listed=total)
    assert full.count("<tr data-rule=") == total
    short = _red_flags(site, listed=total - 1)
    assert "<tr data-rule=" not in short and f"{total:,} red flags are raised" in short
    counted = sum(int(n) for n in re.findall(r"<li>[^<]+: (\d+)</li>", short))
    assert counted == total
    for c in views:
        if c.flags:
            assert f'href="../commissioners/{c.code.lower()}/#red-flags"' in short
