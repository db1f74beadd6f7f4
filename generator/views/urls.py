"""Where every page lives, and relative links between them.

Pages are Markdown files under the staged docs folder; MkDocs serves
`a/b.md` at `a/b/` and `a/index.md` at `a/` (directory URLs).
"""
from __future__ import annotations

import hashlib
import posixpath
import re

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def provider(code: str) -> str:
    return f"providers/{code.lower()}.md"


def measure(measure_id: str, period: str | None = None) -> str:
    return f"measures/{measure_id}/index.md" if period is None else f"measures/{measure_id}/{period}.md"


def commissioner(code: str) -> str:
    return f"commissioners/{code.lower()}.md"


def case_study(cs_id: str) -> str:
    return f"case-studies/{cs_id}.md"


def chart(name: str) -> str:
    return f"charts/{name}.svg"


def chart_key(measure_id: str, period: str, peer: str, kind: str, phone: bool = False) -> str:
    """The key of one drawn chart (kind: 'funnel' or 'caterpillar') of a measure, period and peer group; phone:
    its phone-sized drawing (the latest period only). chart(key) is where it is published."""
    return f"{measure_id}/{period}-{peer_slug(peer)}-{kind}" + ("-phone" if phone else "")


def peer_slug(peer: str) -> str:
    """A peer group as part of a file name: a type id as it is; a publisher's name for a peer group
    ('children's hospitals') in lower-case letters, digits and hyphens, with a short hash of the name so that
    two names never share a file."""
    if SLUG.match(peer):
        return peer
    words = re.sub(r"[^a-z0-9]+", "-", peer.lower()).strip("-")[:40] or "group"
    return f"{words}-{hashlib.sha256(peer.encode('utf-8')).hexdigest()[:6]}"


def url_dir(page: str) -> str:
    """The URL folder a page is served from, relative to the site root ('' for the home page)."""
    if page.endswith("index.md"):
        return posixpath.dirname(page)
    if page.endswith(".md"):
        return page[:-3]
    return posixpath.dirname(page)


def href(src_page: str, target: str) -> str:
    """A URL from the page `src_page` to `target` (a page .md or a static file), for raw HTML."""
    if target.endswith(".md"):
        rel = _rel(url_dir(target), url_dir(src_page))
        return "./" if rel == "." else rel + "/"
    return _rel(target, url_dir(src_page))


def _rel(dest: str, base: str) -> str:
    """posixpath.relpath for clean relative paths under one root ('' is the root), without its
    filesystem calls: called some million times at England scale."""
    d = dest.split("/") if dest else []
    b = base.split("/") if base else []
    i = 0
    while i < len(d) and i < len(b) and d[i] == b[i]:
        i += 1
    parts = [".."] * (len(b) - i) + d[i:]
    return "/".join(parts) or "."


def slot(name: str) -> str:
    """A slot in an address template for the site's scripts: `href("assets/providers.json",
    provider(slot("code")))` is "../providers/{code}/". assets/shared.js `address` fills each slot
    with its value in lower case, as the functions above write codes (ids are lower case already).
    Templates travel in the JSON the scripts read, so no script builds an address itself."""
    return "{" + name + "}"


def md_link(src_page: str, target: str) -> str:
    """A path from one Markdown file to another, for Markdown links MkDocs checks."""
    return posixpath.relpath(target, posixpath.dirname(src_page) or ".")


GROUP_FLAGS = {"seldom-heard-gap"}  # red-flag rules raised by a group of patients, not the provider overall


def flag_anchor(rule: str, measure: str) -> str:
    """Where on a provider page a red flag's figures are: the group table for a group's flag, the
    at-a-glance table for a flag across sources, else the measure's row."""
    if rule in GROUP_FLAGS:
        return f"groups-{measure}"
    return measure if measure else "at-a-glance"
