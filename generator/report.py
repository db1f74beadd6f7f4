"""Show validation problems: a terminal table (rich) or JSON, with a count per code."""
from __future__ import annotations

import io
import json
from collections import Counter

from rich.console import Console
from rich.table import Table

from generator.problems import CODES, ERROR, Problem

MAX_ROWS_PER_CODE = 200  # the table shows at most this many problems of one code; the JSON has all those listed


def _key(p: Problem):
    """Errors first, then warnings; each in file order (package, file, row, field)."""
    return (p.severity != ERROR, p.package, p.resource, p.file, p.more > 0, -1 if p.row is None else p.row, p.field, p.code, p.message)


def _where(p: Problem) -> str:
    place = p.file or p.resource
    if p.package:
        place = f"{p.package}/{place}" if place else p.package
    return f"{place}, row {p.row}" if p.row is not None else place


def summary(problems: list[Problem]) -> dict[str, int]:
    """How many problems of each code were found (listed or counted on a "more like this" line), codes sorted."""
    counts: Counter = Counter()
    for p in problems:
        counts[p.code] += p.more or 1
    return dict(sorted(counts.items()))


def summary_line(problems: list[Problem]) -> str:
    errors = sum(p.more or 1 for p in problems if p.severity == ERROR)
    warnings = sum(p.more or 1 for p in problems) - errors
    counts = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    if errors:
        return f"NOT VALID: {counts}. Fix every error, then validate again."
    return f"Valid: {counts}."


def render_table(problems: list[Problem], console_width: int = 120, max_rows_per_code: int | None = MAX_ROWS_PER_CODE) -> str:
    """Plain text: one line per problem (where, field, code, what was found), then a count per code with how to fix it.

    The CLI prints summary_line() after it. Empty when there are no problems.
    """
    out = io.StringIO()
    console = Console(file=out, width=console_width, no_color=True, highlight=False,
                      force_terminal=False, emoji=False, markup=False)
    if not problems:
        return ""
    table = Table(show_lines=False, expand=False)
    for name, kw in (("Where", dict(overflow="fold")), ("Field", dict(overflow="fold")), ("Problem", dict(no_wrap=True)),
                     ("What was found", dict(overflow="fold", ratio=1))):
        table.add_column(name, **kw)
    shown: Counter = Counter()
    for p in sorted(problems, key=_key):
        shown[p.code] += 1
        if max_rows_per_code is None or shown[p.code] <= max_rows_per_code:
            code = p.code if p.severity == ERROR else f"{p.code} (warning)"
            table.add_row(_where(p), p.field, code, p.message)
    console.print(table)
    counts = summary(problems)
    hidden = {c: n - max_rows_per_code for c, n in shown.items() if max_rows_per_code is not None and n > max_rows_per_code}
    for code, n in hidden.items():
        console.print(f"... and {n} more {code} problems, not shown here (the JSON report lists them).")
    fix = Table(title="Problems by code", show_lines=False)
    for name, kw in (("Code", dict(no_wrap=True)), ("Count", dict(justify="right")), ("What it means", dict(overflow="fold")),
                     ("How to fix it", dict(overflow="fold", ratio=1))):
        fix.add_column(name, **kw)
    for code, n in counts.items():
        title, hint = CODES.get(code, ("", ""))
        fix.add_row(code, str(n), title, hint)
    console.print(fix)
    return out.getvalue()


def render_json(problems: list[Problem]) -> str:
    """Stable JSON: valid, counts, summary {code: count} and every problem with its title and hint."""
    items = []
    for p in sorted(problems, key=_key):
        d = p.as_dict()
        d["title"] = CODES.get(p.code, ("", ""))[0]
        items.append(d)
    errors = sum(p.more or 1 for p in problems if p.severity == ERROR)
    doc = {"valid": errors == 0, "errors": errors, "warnings": sum(p.more or 1 for p in problems) - errors,
           "summary": summary(problems), "problems": items}
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
