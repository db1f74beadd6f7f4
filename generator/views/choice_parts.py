"""Compare-by-area pages split by postcode district, so that no page is too heavy for a phone.

At England scale one commissioner's GP practices made a 1.8 MB page. A page holds at most
MAX_ROWS rows (one per provider and measure); a longer list is cut into
parts along postcode districts, so a patient finds the practices near them on one page. Each
part is a plain HTML page that works without JavaScript and links to the others.
"""
from __future__ import annotations

import re
from types import SimpleNamespace as NS

import pandas as pd

MAX_ROWS = 700  # at about 570 bytes a row (result, range, comparators), about 400 KB a page


def district(postcode) -> str:
    return postcode.split(" ")[0].upper() if isinstance(postcode, str) and postcode.strip() else ""


def _natural(d: str):
    """LS2 before LS10; providers with no postcode last."""
    m = re.match(r"([A-Z]+)(\d*)(.*)", d)
    return (1, "", 0, "") if not d or m is None else (0, m.group(1), int(m.group(2) or 0), m.group(3))


def split(provs: pd.DataFrame, tables: int) -> list[pd.DataFrame]:
    """The providers (sorted by name) as one part, or cut by postcode district into parts of at most
    MAX_ROWS rows. A district too big for one part is cut by name."""
    per_page = max(1, MAX_ROWS // max(1, tables))
    if len(provs) <= per_page:
        return [provs]
    d = provs["postcode"].map(district)
    order = sorted(range(len(provs)), key=lambda i: (_natural(d.iat[i]), provs["name"].iat[i], provs["code"].iat[i]))
    by_district: dict[str, list[int]] = {}
    for i in order:
        by_district.setdefault(d.iat[i], []).append(i)
    parts: list[list[int]] = []
    cur: list[int] = []
    for rows in by_district.values():
        while len(rows) > per_page:  # one district alone is too big: cut it by name
            if cur:
                parts.append(cur)
                cur = []
            parts.append(rows[:per_page])
            rows = rows[per_page:]
        if len(cur) + len(rows) > per_page:
            parts.append(cur)
            cur = []
        cur = cur + rows
    if cur:
        parts.append(cur)
    return [provs.iloc[p] for p in parts]


def label(part: pd.DataFrame) -> str:
    ds = sorted({district(p) for p in part["postcode"]} - {""}, key=_natural)
    none = any(district(p) == "" for p in part["postcode"])
    if not ds:
        return "no postcode given"
    words = f"postcode district {ds[0]}" if len(ds) == 1 else f"postcode districts {ds[0]} to {ds[-1]}"
    return words + (" and no postcode given" if none else "")


def page(first: str, i: int) -> str:
    """The first part keeps the area's address; the others follow it."""
    return first if i == 0 else f"{first[:-3]}-part-{i + 1}.md"


def links(views: list[NS], href) -> None:
    """Give every part of one area the list of all its parts."""
    for v in views:
        v.parts = [NS(label=o.part_label, href=href(v.page, o.page), current=o is v, n=o.n) for o in views] \
            if len(views) > 1 else []
