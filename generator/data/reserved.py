"""Names a code or id may not take, because its page would land on a page or folder the site already has.

Provider and commissioner pages are providers/<code>/ and commissioners/<code>/ (lower case), case studies
case-studies/<id>/, measures measures/<id>/: an id "index" would overwrite the list page of its folder,
and "themes" the case-study themes. The other names are the site's own top-level folders and files
(tests/test_hostile.py checks this list against a built site), reserved everywhere so that no id can ever
be confused with them. Compared after case folding and look-alike mapping (domain.skeleton).
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from generator.data.cells import emit, has
from generator.problems import Problem

SHELL_TEXT = "ZZSHELL"  # begins the stand-ins site/shells.py puts in pages it fills after MkDocs (title, body, rows):
# text that reaches those pages from elsewhere may not hold it (publisher.py, site_config.py refuse it)

RESERVED = frozenset({
    "index", "404", "about", "assets", "case-studies", "changes", "charts", "commissioners", "compare",
    "data-standard", "downloads", "feed", "measures", "methods", "page-shell", "problem-codes", "providers",
    "red-flags", "release", "releases", "search", "sitemap", "themes", "versions",
})


def reserved_rows(t: pd.DataFrame, resource: str, field: str, what: str, skeleton: Callable[[str], str]) -> list[Problem]:
    """One reserved-name problem per row whose code or id is a reserved name."""
    col = t[field].to_numpy(dtype=object)
    rows = np.flatnonzero(has(t, field))
    rows = rows[np.fromiter((skeleton(str(col[i])) in RESERVED for i in rows), bool, len(rows))]
    return emit(t, resource, "reserved-name", rows, field,
                (f"{what} {col[i]!r} is a name the site uses for its own pages ({col[i].lower()}); "
                 f"its page would replace one of them" for i in rows))
