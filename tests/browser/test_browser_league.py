"""League table /measures/<id>/: sorting by result and filtering by commissioner. A measure whose providers are in
several peer groups has one table per group: these tests use the first one, and that group's rows."""
from __future__ import annotations

import math
import re

import pytest

import browser_support as bs
from generator.views import wording

pytestmark = pytest.mark.browser

ROWS_JS = """col => Array.from(document.querySelector('[data-league] table').tBodies[0].rows)
    .map(r => ({code: r.dataset.code, commissioner: r.dataset.commissioner, hidden: r.hidden,
                sort: parseFloat(r.cells[col].dataset.sort), text: (r.cells[col].querySelector('[data-value]') || r.cells[col]).textContent.trim()}))"""


FIRST = "[data-league] >> nth=0"


def _table_rows(results, measure: str, page):
    rows = bs.latest_rows(results)
    peer = page.evaluate("() => document.querySelector('[data-league] tbody tr').dataset.type")
    return rows[(rows["measure"] == measure) & (rows["peer"] == peer)]


def _key(estimate) -> float:
    return estimate if bs.finite(estimate) else -1.0  # the template sorts missing figures as -1


def test_result_column_sorts_both_ways(visit, results):
    measure = bs.pick_league(results)
    page = visit(f"/measures/{measure}/").page
    col = page.evaluate("() => document.querySelector('[data-league] tbody [data-value]').closest('td').cellIndex")
    header = page.locator(FIRST).locator("thead th").nth(col)
    data = _table_rows(results, measure, page)
    ascending = [wording.value(r.estimate, r.kind)
                 for r in sorted(data.itertuples(index=False), key=lambda r: _key(r.estimate))]

    orders = []
    for _ in range(2):
        header.click()
        order = header.get_attribute("aria-sort")
        rows = page.evaluate(ROWS_JS, col)
        keys = [r["sort"] for r in rows]
        texts = [r["text"] for r in rows]
        assert order in ("ascending", "descending")
        assert keys == sorted(keys, reverse=order == "descending")
        assert texts == (ascending if order == "ascending" else ascending[::-1])
        orders.append(order)
    assert sorted(orders) == ["ascending", "descending"]
    assert all(math.isfinite(k) for k in keys) and len(keys) == len(data)


def _count(page) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", page.locator(FIRST).locator(".league-count").inner_text())]


def test_commissioner_filter_keeps_only_its_rows(visit, results):
    measure = bs.pick_league(results)
    page = visit(f"/measures/{measure}/").page
    data = _table_rows(results, measure, page)
    comm = results.dataset["providers"].set_index("code")["commissioner"]
    by_comm = data["provider"].map(comm).value_counts()
    code = sorted(by_comm.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    expected = set(data.loc[data["provider"].map(comm) == code, "provider"])
    assert 0 < len(expected) < len(data), "test data: need a commissioner with some but not all rows"

    assert _count(page) == [len(data), len(data)]
    page.locator(FIRST).locator("select[data-filter=commissioner]").select_option(code)
    rows = page.evaluate(ROWS_JS, 0)
    visible = [r for r in rows if not r["hidden"]]
    assert {r["code"] for r in visible} == expected
    assert {r["commissioner"] for r in visible} == {code}
    assert page.locator(FIRST).locator("tbody tr:visible").count() == len(expected)
    assert _count(page) == [len(expected), len(data)]

    page.locator(FIRST).locator("select[data-filter=commissioner]").select_option("")
    assert page.locator(FIRST).locator("tbody tr:visible").count() == len(data)
    assert _count(page) == [len(data), len(data)]
