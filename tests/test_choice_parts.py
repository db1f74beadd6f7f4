"""Compare-by-area pages too long for one page are cut by postcode district (generator/views/choice_parts.py):
every provider on exactly one part, no part over the row limit, parts linked to each other without JavaScript."""
from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from generator.site import render
from generator.views import choice, choice_parts, choice_static, comparators
from site_support import example_view


@pytest.fixture(scope="module")
def site():
    return example_view()


def test_districts_sort_naturally_and_blank_last():
    provs = pd.DataFrame({"code": list("ABCDE"), "name": ["e", "d", "c", "b", "a"],
                          "postcode": ["LS10 1AA", "LS2 2BB", None, "LS2 1CC", "LS9 9ZZ"]})
    parts = choice_parts.split(provs, tables=choice_parts.MAX_ROWS // 2)  # two providers a page
    assert [list(p["code"]) for p in parts] == [["D", "B"], ["E", "A"], ["C"]]
    assert [choice_parts.label(p) for p in parts] == ["postcode district LS2", "postcode districts LS9 to LS10",
                                                      "no postcode given"]
    assert choice_parts.split(provs, tables=1)[0] is provs  # short enough: one page, in its own order


def test_long_areas_are_split_and_every_provider_kept_once(site, monkeypatch):
    mod, comp = choice.model(site), comparators.comparators(site)
    whole = choice_static.choice_views(site, mod, comp)
    monkeypatch.setattr(choice_parts, "MAX_ROWS", 40)
    split = choice_static.choice_views(site, mod, comp)
    assert len(split.static) > len(whole.static)
    env = render.environment(html=True)
    for area in whole.static:
        parts = [v for v in split.static if v.code == area.code and v.setting == area.setting]
        assert parts[0].page == area.page  # the area's address stays the first part
        codes = [r.code for v in parts for r in v.tables[0].rows]
        assert sorted(codes) == sorted(r.code for r in area.tables[0].rows)  # each provider once
        for v in parts:
            assert v.n * len(v.tables) <= 40 or v.n == 1
            text = env.get_template("choice_static.html.j2").render(page=v.page, ctx=site, v=split, s=v)
            if len(parts) > 1:
                hrefs = set(re.findall(r'<li><a href="([^"]+)">', text))
                assert len(hrefs) == len(parts) - 1 and "aria-current" in text
                assert f"{v.n} of the {area.n} providers" in html.unescape(text)
    index = render.environment().get_template("choice.md.j2").render(page=choice.PAGE, ctx=site, v=split)
    for v in split.static:
        assert f'href="{v.page[len("compare/"):-3]}/"' in html.unescape(index)
