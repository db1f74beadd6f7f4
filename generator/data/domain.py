"""Domain rules and references, checked on the typed tables merged across packages.

Each table comes from generator.data.schema_check: typed columns, "!<field>" cell
states (a cell that already has a problem is not judged again), and
"_package", "_file", "_row" for locating problems. All checks on scores are
vectorised; loops run only over distinct values, case studies and redirects.
"""
from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
import urllib.parse
from typing import Any

import numpy as np
import pandas as pd
from markdown_it import MarkdownIt

from generator.data import benchmarks, periods, scales
from generator.data.cells import emit, empty, has, ok
from generator.data.domain_counts import count_rules
from generator.problems import WARNING, Problem
from generator.data.reserved import reserved_rows
from generator.data.schema_types import show

VALUE_COLUMNS = ("numerator", "mean", "se", "sd", "observed", "expected", "published")
KIND_NEEDS = {"proportion": ("numerator",), "mean": ("mean",), "ratio": ("observed", "expected")}
KIND_USES = {"proportion": {"numerator", "published"}, "mean": {"mean", "se", "sd"}, "ratio": {"observed", "expected"}}
PERIOD_TYPES = periods.KINDS
MAX_HOPS = 10  # redirects followed when reporting a chain
# (table, field, what it is called in messages): the codes and ids that become page addresses
SLUG_FIELDS = (("providers", "code", "provider code"), ("commissioners", "code", "commissioner code"),
               ("measures", "id", "measure id"), ("groups", "id", "group id"), ("sources", "id", "source id"),
               ("case-studies", "id", "case study id"))
# Look-alike letters from other scripts (after case folding), and dashes, mapped to ASCII.
CONFUSABLES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "α": "a", "β": "b",
    "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-"})
IGNORABLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]")
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
_MD = MarkdownIt("commonmark")
_MD.validateLink = lambda url: True  # type: ignore[method-assign]  # see every link, even those markdown-it would drop


def references(tables: dict[str, pd.DataFrame], source: str, field: str, target: str, tfield: str,
               code: str = "foreign-key", lists: bool = False) -> list[Problem]:
    """Values of source.field (or each code in a space-separated list) must be values of target.tfield."""
    s, t = tables[source], tables[target]
    idx = np.flatnonzero(ok(s, field))
    if not len(idx):
        return []
    vals = s[field].to_numpy(dtype=object)[idx]
    if not len(t):  # one problem, not one per row, when there is nothing to refer to
        return [Problem(code, f"no package has a {target} resource (or none of its rows could be read), so the "
                              f"{len(idx)} values of field {field} refer to nothing", s["_package"].iat[idx[0]], source,
                        None, field, file=s["_file"].iat[idx[0]])]
    known = pd.unique(t[tfield].to_numpy(dtype=object)[ok(t, tfield)])
    if lists:
        parts = pd.Series(vals, index=idx, dtype=object).str.split(" ").explode()
        bad = parts[~parts.isin(known)]
        idx, vals = bad.index.to_numpy(), bad.to_numpy(dtype=object)
    else:
        miss = ~pd.Series(vals, dtype=object).isin(known).to_numpy(bool)
        idx, vals = idx[miss], vals[miss]
    what = {"providers": "provider", "measures": "measure", "groups": "group", "commissioners": "commissioner",
            "sources": "dataset", "case-studies": "case study"}[target]
    return emit(s, source, code, idx, field,
                [f"{what} {show(v)} in field {field} is not the {tfield} of any row of {target} (in any package)" for v in vals])


def score_rules(tables: dict[str, pd.DataFrame], today: dt.date) -> list[Problem]:
    s, m, p = tables["scores"], tables["measures"], tables["providers"]
    out: list[Problem] = []
    if not len(s):
        return out
    meas = s["measure"].to_numpy(dtype=object)
    kinds = m[ok(m, "kind") & ok(m, "id")].drop_duplicates("id").set_index("id")["kind"]
    kind = pd.Series(meas, dtype=object).map(kinds).to_numpy(dtype=object, copy=True)
    kind[~ok(s, "measure")] = None
    for k, needs in KIND_NEEDS.items():
        is_k = kind == k
        for c in needs:
            rows = np.flatnonzero(is_k & empty(s, c))
            out += emit(s, "scores", "kind-column-missing", rows, c,
                        [f"measure {meas[r]} is a {k} measure, so field {c} needs a value" for r in rows])
        for c in VALUE_COLUMNS:
            if c not in KIND_USES[k]:
                rows = np.flatnonzero(is_k & ok(s, c))
                out += emit(s, "scores", "kind-column-extra", rows, c,
                            [f"field {c} holds {v} but measure {meas[r]} is a {k} measure, which does not use {c}; leave it empty"
                             for r, v in zip(rows, s[c].iloc[rows].tolist())])
    rows = np.flatnonzero((kind == "mean") & empty(s, "se") & empty(s, "sd"))
    out += emit(s, "scores", "se-or-sd-missing", rows, "se", [f"measure {meas[r]} is a mean measure: give se or sd" for r in rows])
    num, resp = (s[c].to_numpy(dtype=np.float64, na_value=np.nan) for c in ("numerator", "responses"))
    with np.errstate(invalid="ignore"):
        rows = np.flatnonzero(ok(s, "numerator") & ok(s, "responses") & (num > resp))
    out += emit(s, "scores", "numerator-exceeds-responses", rows, "numerator",
                [f"numerator {num[r]:.0f} is greater than responses {resp[r]:.0f}" for r in rows])
    return out + _period_rules(s, p, today)


def _period_rules(s: pd.DataFrame, p: pd.DataFrame, today: dt.date) -> list[Problem]:
    out: list[Problem] = []
    good = np.flatnonzero(ok(s, "period"))
    if not len(good):
        return out
    per = s["period"].to_numpy(dtype=object)
    kinds, starts = periods.starts(per[good])
    late = starts > np.datetime64(today, "D")
    out += emit(s, "scores", "period-future", good[late], "period",
                [f"period {per[r]} starts on {d}, after today ({today})" for r, d in zip(good[late], starts[late])])
    meas = s["measure"].to_numpy(dtype=object)[good]
    known = ok(s, "measure")[good]
    names, per = pd.factorize(meas[known], sort=True)  # rows per measure and kind of period, as a crosstab
    counts = pd.DataFrame(np.bincount(names * 3 + kinds[known], minlength=len(per) * 3).reshape(len(per), 3),
                          index=per, columns=range(3))
    major = pd.Series(counts.to_numpy().argmax(axis=1), index=counts.index)  # most rows; ties go to month, then quarter
    want = np.full(len(meas), -1)
    want[known] = major.reindex(meas[known]).to_numpy()
    odd = np.flatnonzero(known & (kinds != want))
    out += emit(s, "scores", "period-mixed", good[odd], "period",
                [f"period {per[good[i]]} is a {PERIOD_TYPES[kinds[i]]}, but measure {meas[i]} mostly uses "
                 f"{PERIOD_TYPES[want[i]]}s ({counts.at[meas[i], want[i]]} rows); use one kind of period per measure" for i in odd])
    closed = p[ok(p, "code") & ok(p, "closed")].drop_duplicates("code").set_index("code")["closed"]
    if len(closed):
        prov = s["provider"].to_numpy(dtype=object)[good]
        close = pd.Series(prov, dtype=object).map(closed).to_numpy(dtype="datetime64[D]")
        after = np.flatnonzero(~np.isnat(close) & (starts > close))
        out += emit(s, "scores", "after-close", good[after], "period",
                    [f"period {per[good[i]]} starts on {starts[i]}, after provider {prov[i]} closed on {close[i]}" for i in after])
    return out


def provider_rules(p: pd.DataFrame) -> list[Problem]:
    both = np.flatnonzero(ok(p, "opened") & ok(p, "closed"))
    op, cl = p["opened"].to_numpy()[both], p["closed"].to_numpy()[both]
    bad = op > cl
    return emit(p, "providers", "opened-after-closed", both[bad], "closed",
                [f"closed {str(c)[:10]} is before opened {str(o)[:10]}" for o, c in zip(op[bad], cl[bad])])


def skeleton(code: str) -> str:
    """What a code looks like: case folded, NFKC-normalised, look-alikes and invisible characters mapped."""
    text = unicodedata.normalize("NFKC", code).casefold().translate(CONFUSABLES)
    return IGNORABLE.sub("", unicodedata.normalize("NFKC", text))


def collisions(t: pd.DataFrame, resource: str, field: str, what: str, others: pd.DataFrame | None = None) -> list[Problem]:
    """Rows whose code differs from an earlier one but looks the same (case, Unicode form, look-alikes)."""
    both = [t] if others is None else [others, t]
    pool = pd.concat([x.loc[has(x, field), [field, "_package", "_file", "_row"]] for x in both])
    vals = pd.unique(pool[field].to_numpy(dtype=object))
    first: dict[str, str] = {}
    clash: dict[str, str] = {}
    for v in vals:
        k = skeleton(v)
        if k in first and first[k] != v:
            clash[v] = first[k]
        first.setdefault(k, v)
    col = t[field].to_numpy(dtype=object)
    rows = np.flatnonzero(pd.Series(col, dtype=object).isin(list(clash)).to_numpy(bool))
    where = pool.drop_duplicates(field).set_index(field)
    return emit(t, resource, "code-collision", rows, field,
                [f"{what} {show(col[r])} looks the same as {show(clash[col[r]])} (row {where.at[clash[col[r]], '_row']} of "
                 f"{where.at[clash[col[r]], '_file']} in package {where.at[clash[col[r]], '_package']}) once case, "
                 f"Unicode form and look-alike letters are ignored; their pages would collide" for r in rows])


def markdown_dangers(text: str) -> list[str]:
    """Raw HTML and script-like links in a Markdown text, as short descriptions."""
    found: list[str] = []
    try:
        tokens = _MD.parse(text)
    except Exception as e:  # markdown-it should read any text; never let it stop validation
        return [f"text that cannot be read as Markdown ({type(e).__name__})"]
    stack = tokens[::-1]  # depth first, in document order; pop() from the end keeps it linear
    while stack:
        tok = stack.pop()
        if tok.type in ("html_block", "html_inline"):
            found.append(f"raw HTML {show(tok.content.strip())}")
        for attr in ("href", "src"):
            url = tok.attrGet(attr) if tok.attrs else None
            if isinstance(url, str):
                plain = re.sub(r"[\x00-\x20]+", "", urllib.parse.unquote(html.unescape(url))).lower()
                if plain.startswith(BAD_SCHEMES):
                    found.append(f"a {plain.split(':')[0]}: link {show(url)}")
        stack.extend((tok.children or [])[::-1])
    return found


def case_study_rules(c: pd.DataFrame, r: pd.DataFrame, published_ids: set[str] | None) -> list[Problem]:
    out: list[Problem] = []
    body = c["body"].to_numpy(dtype=object)
    for i in np.flatnonzero(has(c, "body")):
        found = markdown_dangers(body[i])
        if found:
            out += emit(c, "case-studies", "unsafe-markdown", [i], "body",  # shown as inert text: a warning
                        [f"body contains {'; '.join(found[:3])}" + (f" and {len(found) - 3} more" if len(found) > 3 else "")
                         + "; it will be shown as plain text"], WARNING)
    ids = set(c["id"].to_numpy(dtype=object)[has(c, "id")])
    good = np.flatnonzero(ok(r, "from") & ok(r, "to"))
    src, dst = r["from"].to_numpy(dtype=object), r["to"].to_numpy(dtype=object)
    moves = {src[i]: dst[i] for i in good}
    for i in good:  # each walk stops after MAX_HOPS steps, so a long chain costs linear time
        seen, cur = [src[i]], dst[i]
        while cur not in ids and cur in moves and cur not in seen and len(seen) <= MAX_HOPS:
            seen.append(cur)
            cur = moves[cur]
        if cur in seen:
            out += emit(r, "redirects", "redirect-loop", [i], "to", [f"redirects form a loop: {' → '.join(seen + [cur])}"])
        elif len(seen) > MAX_HOPS:
            out += emit(r, "redirects", "redirect-loop", [i], "to",
                        [f"redirect {' → '.join(seen[:3])} → … is a chain of more than {MAX_HOPS} steps; "
                         f"point {src[i]} straight at a case study id"])
        elif len(seen) > 1:
            out += emit(r, "redirects", "redirect-loop", [i], "to",
                        [f"redirect {' → '.join(seen + [cur])} is a chain; point {src[i]} straight at {cur}"])
        elif cur not in ids:
            out += emit(r, "redirects", "redirect-target-missing", [i], "to",
                        [f"redirect from {src[i]} points to {cur}, which is not the id of any case study"])
    rows = np.flatnonzero(ok(r, "from") & pd.Series(src, dtype=object).isin(list(ids)).to_numpy(bool))
    out += emit(r, "redirects", "redirect-from-current", rows, "from",
                [f"redirect from {src[i]}, but {src[i]} is still a case study id" for i in rows])
    home = c["_package"].iat[0] if len(c) else (r["_package"].iat[0] if len(r) else "")
    where: dict[str, Any] = dict(package=home, resource="case-studies", field="id", file=c["_file"].iat[0] if len(c) else "")
    for gone in sorted(set(published_ids or ()) - ids - set(src[has(r, "from")])):
        out.append(Problem("case-study-removed", f"case study {gone!r} was published in the previous release but is "
                                                 f"neither in the data nor redirected; add a redirect from {gone!r} "
                                                 f"to its new id", **where))
    return out


def _unused(tables: dict[str, pd.DataFrame], res: str, field: str, col: str, what: str, code: str) -> list[Problem]:
    """A warning for each row of tables[res] whose field value never appears in scores[col]."""
    t, used = tables[res], pd.unique(tables["scores"][col].to_numpy(dtype=object))
    rows = np.flatnonzero(ok(t, field) & ~t[field].isin(used).to_numpy(bool))
    vals = t[field].to_numpy(dtype=object)
    return emit(t, res, code, rows, field, [f"{what} {vals[i]} has no scores in any package" for i in rows], WARNING)


def no_scores(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Warnings for providers and measures with no score rows (only when there are scores at all)."""
    if not len(tables["scores"]):
        return []
    return (_unused(tables, "providers", "code", "provider", "provider", code="provider-no-scores")
            + _unused(tables, "measures", "id", "measure", "measure", code="measure-no-scores"))


def check_domain(tables: dict[str, pd.DataFrame], today: dt.date, published_ids: set[str] | None = None) -> list[Problem]:
    """Every domain and reference problem of the merged tables (one per resource name)."""
    out = references(tables, "scores", "provider", "providers", "code")
    out += references(tables, "scores", "measure", "measures", "id")
    out += references(tables, "scores", "group", "groups", "id")
    out += references(tables, "providers", "commissioner", "commissioners", "code")
    out += references(tables, "measures", "dataset", "sources", "id", code="source-undeclared")
    out += references(tables, "case-studies", "providers", "providers", "code", lists=True)
    out += references(tables, "case-studies", "measures", "measures", "id", lists=True)
    out += references(tables, "scales", "measure", "measures", "id")
    out += references(tables, "notes", "provider", "providers", "code")
    out += references(tables, "notes", "measure", "measures", "id")
    out += references(tables, "benchmarks", "measure", "measures", "id") + benchmarks.rules(tables)
    out += references(tables, "ratings", "provider", "providers", "code")
    out += references(tables, "ratings", "measure", "measures", "id")
    out += references(tables, "ratings", "source", "sources", "id", code="source-undeclared")
    out += score_rules(tables, today) + count_rules(tables["scores"], tables["groups"]) + provider_rules(tables["providers"]) + scales.rules(tables)
    s, g = tables["scores"], tables["groups"]
    if len(s) and "all" not in set(g["id"].to_numpy(dtype=object)):
        out.append(Problem("group-all-missing", "scores exist but no groups resource has a row with id 'all' "
                                                "(the group meaning everyone)", s["_package"].iat[0], "groups", None, "id"))
    for res, field, what in SLUG_FIELDS + (("redirects", "from", "redirect id"),):
        out += reserved_rows(tables[res], res, field, what, skeleton)
        if res != "redirects":
            out += collisions(tables[res], res, field, what)
    studies = tables["case-studies"].rename(columns={"id": "from", "!id": "!from"})  # one namespace of page addresses
    out += collisions(tables["redirects"], "redirects", "from", "redirect id", others=studies)
    out += case_study_rules(tables["case-studies"], tables["redirects"], published_ids)
    return out + no_scores(tables)
