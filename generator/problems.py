"""Problems found in input data: one record per problem, with a stable code.

Every code is documented in CODES (title and how to fix it); the site's
"Problem codes" page is generated from this table and a test fails when a
code is raised that is not listed here.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from generator.settings import LIMITS

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    code: str
    message: str
    package: str = ""
    resource: str = ""
    row: int | None = None  # 1-based data row, counting the header as row 1 (as frictionless does)
    field: str = ""
    severity: str = ERROR
    file: str = ""
    more: int = 0  # on a "more like this" line: how many further problems of this code are not listed

    @property
    def hint(self) -> str:
        return CODES.get(self.code, ("", ""))[1]

    def as_dict(self) -> dict:
        d = asdict(self)
        d["hint"] = self.hint
        return d


def is_error(p: Problem) -> bool:
    return p.severity == ERROR


def more_like_this(first: Problem, n: int, limit: int) -> Problem:
    """One line standing for n problems not listed, located at the first of them (its row left out)."""
    where = first.resource or first.file or "this package"
    return Problem(first.code, f"and {n:,} more {first.code} problems like this in {where}; only the first {limit:,} "
                               f"of each code are listed (limit problems_per_code)", first.package, first.resource,
                   None, "", first.severity, first.file, n)


def cap(problems: list[Problem], limit: int | None = None, key=None) -> list[Problem]:
    """At most `limit` problems of one code per resource of a package (the first in `key` order), then one
    line counting the rest. Lines already counting problems (more > 0) are merged into it."""
    limit = LIMITS.problems_per_code if limit is None else limit
    kept: list[Problem] = []
    shown: dict[tuple, int] = {}
    hidden: dict[tuple, list] = {}
    for p in sorted(problems, key=key) if key else problems:
        k = (p.package, p.resource or p.file, p.code, p.severity)
        if p.more:
            hidden.setdefault(k, [p, 0])[1] += p.more
        elif shown.get(k, 0) < limit:
            shown[k] = shown.get(k, 0) + 1
            kept.append(p)
        else:
            hidden.setdefault(k, [p, 0])[1] += 1
    return kept + [more_like_this(first, n, limit) for first, n in hidden.values()]


class Table:
    """Problems of one resource of one package, gathered with their locations. At most
    LIMITS.problems_per_code of one code are kept; the rest are counted (see problems.cap)."""

    def __init__(self, package: str, resource: str):
        self.package, self.resource = package, resource
        self.problems: list[Problem] = []
        self.limit = LIMITS.problems_per_code
        self.kept: dict[str, int] = {}
        self.more: dict[str, tuple[Problem, int]] = {}
        self.seen = 0  # every problem found, listed or only counted

    def room(self, code: str) -> int:
        return self.limit - self.kept.get(code, 0)

    def count_more(self, code: str, n: int, file: str, row: int | None, field: str) -> None:
        """n problems found beyond the limit: counted, not listed (the first of them locates the line)."""
        self.seen += n
        first, m = self.more.get(code, (Problem(code, "", self.package, self.resource, row, field, file=file), 0))
        self.more[code] = (first, m + n)

    def add(self, code: str, message: str, file: str, row: int | None = None, field: str = "") -> None:
        if self.room(code) <= 0:
            self.count_more(code, 1, file, row, field)
            return
        self.seen += 1
        self.kept[code] = self.kept.get(code, 0) + 1
        self.problems.append(Problem(code, message, self.package, self.resource, row, field, file=file))

    def cells(self, code: str, rows: np.ndarray, file: str, offset: int, field: str, messages) -> None:
        """One problem per selected row (rows: positions within the file), up to the limit; messages may be
        a generator (only the messages kept are made)."""
        room = max(self.room(code), 0)
        for r, m in zip(rows[:room].tolist(), messages):
            self.add(code, m, file, r + offset, field)
        if len(rows) > room:
            self.count_more(code, len(rows) - room, file, int(rows[room]) + offset, field)

    def all(self) -> list[Problem]:
        return self.problems + [more_like_this(first, n, self.limit) for first, n in self.more.values()]


# code: (title, how to fix). Codes are permanent: add new ones, never rename.
CODES: dict[str, tuple[str, str]] = {
    # reading and structure
    "package-missing": ("No data package found", "Give a folder that contains a datapackage.json file."),
    "package-json": ("datapackage.json cannot be read", "Make datapackage.json valid JSON (an object at the top level)."),
    "package-descriptor": ("datapackage.json lacks a required property", "Add the property named in the message (name, licenses, standard, resources)."),
    "standard-version": ("Unknown version of the data standard", "Set \"standard\" to a version this tool supports, shown in the message."),
    "file-unlisted": ("A CSV file in the package is not listed, so it is not read", "List it in datapackage.json's resources (the message shows the entry), or move it out of the package folder."),
    "resource-unknown": ("Resource name is not part of the standard", "Rename the resource to one of the standard's resources, or remove it."),
    "resource-duplicate": ("Resource appears twice in a package", "Keep one resource of each name; list several files in its path instead."),
    "unsafe-path": ("Resource path leaves the package or is a URL", "Use a relative path inside the package folder, without '..', and no URLs."),
    "file-missing": ("Resource file does not exist", "Check the path in datapackage.json and the file name on disk."),
    "file-too-large": ("File is larger than the limit", "Split the data into several files (one per period), each under the limit."),
    "encoding-error": ("File is not UTF-8 text", "Save the file as UTF-8 CSV (not a spreadsheet or other binary format)."),
    "source-error": ("File cannot be parsed as CSV", "Save the file as comma-separated values with one header row."),
    "package-duplicate": ("Two packages have the same name", "Give each package its own name in datapackage.json."),
    "publisher-invalid": ("The publisher's context has a bad value", "Correct the named key of \"publisher\" in datapackage.json (see the Data standard page), or leave it out for the default words."),
    "publisher-conflict": ("Packages give different publishers", "Give the same \"publisher\" object in every package built together, or leave it out of all but one."),
    "schema-mismatch": ("Declared schema differs from the standard", "Copy the schema from the Data standard page, or remove it to use the standard's."),
    # table schema checks (names follow frictionless error types)
    "missing-label": ("A column the standard requires is missing", "Add the column to the header row (names are case-sensitive)."),
    "extra-label": ("A column is not part of the standard", "Remove the column or rename it to a standard column."),
    "blank-label": ("A column has no name", "Give every column of the header row a name, or delete the empty column."),
    "duplicate-label": ("A column name appears twice", "Give each column a distinct name."),
    "incorrect-label": ("Header differs between files of one resource", "Use the same header row in every file of the resource."),
    "extra-cell": ("Row has more cells than the header", "Remove the extra cells or quote values that contain commas."),
    "missing-cell": ("Row has fewer cells than the header", "Fill in the missing cells (empty cells still need their commas)."),
    "blank-row": ("Row is empty", "Delete the empty row."),
    "type-error": ("Value has the wrong type", "Write the value in the type the standard gives for the field (see the Data standard page)."),
    "constraint-error": ("Value breaks a constraint", "Correct the value so it meets the constraint named in the message."),
    "primary-key": ("Row repeats an existing key", "Keep one row per key; remove or correct the duplicate."),
    "unique-error": ("Value must be unique but repeats", "Make the value unique or remove the duplicate row."),
    "foreign-key": ("Value refers to something that does not exist", "Add the referenced row (e.g. the provider) or correct the code."),
    # domain rules
    "scale-not-mean": ("A scale is given for a measure that is not a mean score", "Give scales only for measures of kind mean, or remove the row."),
    "scale-order": ("A scale's maximum is not above its minimum", "Check the two ends of the scale (e.g. 0 and 10)."),
    "benchmark-outside-scale": ("A benchmark is not a possible value of its measure", "Give the benchmark in the measure's units as published: a percentage 0 to 100 for a proportion (71 for 71%), a score on the measure's scale for a mean score, a ratio above 0."),
    "benchmark-period-unknown": ("A benchmark is for a period its measure has no scores in", "Check the period (YYYY-MM, YYYY-Qn or YYYY, as the measure's scores use) or remove the row."),
    "score-outside-scale": ("Mean score lies outside its measure's scale", "Check the mean, or the scale given in the scales resource."),
    "numerator-exceeds-responses": ("Numerator is greater than responses", "The numerator counts some of the responses, so it cannot exceed them; check both columns."),
    "expected-not-positive": ("Expected events are 0 or fewer", "Give the expected number of events, which must be above 0 (a ratio to 0 is infinite)."),
    "ratio-implausible": ("Observed and expected events are implausibly far apart", "Check observed and expected: their ratio must lie within the ratio_range limit below."),
    "spread-not-positive": ("A standard error or deviation is 0, negative or too small", "Give the standard error (se) or standard deviation (sd) of the mean score: it must be at least the spread_min limit below; no real result is known exactly."),
    "number-too-large": ("A number is too large to be a real score", "Check the value and its units; the number_max limit is listed below."),
    "group-exceeds-total": ("A group has more responses than the provider's total", "A group's responses are part of group 'all' for the same provider, measure and period; check both rows."),
    "kind-column-missing": ("A value the measure's kind needs is empty", "Fill in the column the message names for this kind of measure."),
    "kind-column-extra": ("A value is filled that the measure's kind does not use", "Leave columns of other kinds empty (e.g. no numerator for a mean score)."),
    "period-future": ("Period is in the future", "Check the year and month; data cannot come from after today."),
    "period-mixed": ("A measure mixes period types", "Use one period syntax per measure (months, quarters or years)."),
    "after-close": ("Score dated after the provider closed", "Check the provider's close date or the period of the score."),
    "opened-after-closed": ("Provider closes before it opens", "Check the opened and closed dates."),
    "definition-conflict": ("Same id defined differently in two packages", "Make the rows identical in both packages, or define the id in one package only."),
    "provider-duplicate": ("Provider code defined in more than one package", "Define each provider once, in one package."),
    "reserved-name": ("Code or id is a name the site uses for its own pages", "Choose another code or id; the reserved names are listed below this table."),
    "code-collision": ("Codes or ids differ only by case or look-alike characters", "Use codes that differ by more than case or look-alike letters."),
    "source-undeclared": ("Measure refers to a dataset with no sources row", "Add a row to the sources resource with publisher, licence and retrieval date."),
    "licence-missing": ("Package declares no licence", "Add a licenses list to datapackage.json with the licence of the data."),
    "se-or-sd-missing": ("Mean score has neither standard error nor standard deviation", "Give se (preferred) or sd for each mean score."),
    "group-all-missing": ("The group 'all' is not defined", "Add a row with id 'all' and dimension 'all' to the groups resource."),
    "case-study-removed": ("A published case study id has disappeared", "Add a redirect from the old id to its new id, or restore the case study."),
    "redirect-target-missing": ("Redirect points to no case study", "Point the redirect at an existing case study id."),
    "redirect-loop": ("Redirects form a loop or chain", "Point every redirect straight at a current case study id."),
    "redirect-from-current": ("Redirect from an id that is still a case study", "Remove the redirect, or rename the case study it hides."),
    "unsafe-markdown": ("Case study body contains raw HTML or a script link (warning)", "Remove the HTML or link; the site shows it as plain text. Use Markdown only."),
    "nothing-to-publish": ("The packages hold no scores or no measures", "Add the packages with scores (e.g. an FFT import) to the folder you build from."),
    # importing official files (generator.importers)
    "import-unknown-format": ("Unknown import format or service", "Use one of the formats or services the message lists."),
    "import-file": ("Import file cannot be read", "Check the path, and that the file is the official download (CSV or Excel)."),
    "import-too-large": ("Import file is larger than a limit", "Check that it is the official file; the limits are listed below. A workbook is checked before it is read."),
    "import-wrong-file": ("Import file is another kind of file", "Use the import format that matches the file (the message says which it looks like)."),
    "import-header": ("Import file lacks the expected columns", "Check that the file is the official download of the format you named, unchanged."),
    "import-banded-counts": ("Import file gives counts only in bands", "Use the publisher's file that gives each count as a number: a band such as '300 or more' cannot be turned back into a count."),
    "import-service": ("Which FFT service the file covers is unclear", "Give the service (as the message says) when importing."),
    "import-bad-value": ("A value in the import file cannot be used", "Check the row named in the source file; the importer skipped or emptied the value."),
    "import-empty": ("Import file holds no usable rows", "Check that it is the right file and that it is not empty or filtered."),
    "import-contradiction": ("Import contradicts data the package already holds", "Check the rows named: the file and the package disagree, so nothing was written."),
    "import-no-providers": ("Import file is about no provider of the package", "This file only adds to providers the package already holds: import the results (e.g. the HCAHPS file) into the same package first."),
    "import-providers-not-listed": ("Import file has no row for some providers of the package", "Those providers get nothing from this file (no peer group, ownership or rating); check that it is the complete file, or give their peer group in providers.csv."),
    "import-package": ("Target package cannot be read", "Give --into a data package folder, or a folder that does not exist yet."),
    "import-write": ("Imported data cannot be written", "Check that the package folder is writable and the disk is not full."),
    # warnings
    "provider-no-scores": ("Provider has no scores", "Nothing to fix if expected; otherwise add its scores."),
    "measure-no-scores": ("Measure has no scores", "Nothing to fix if expected; otherwise add its scores."),
    "example-data": ("Package is example data", "Replace with real data before publishing real results."),
}
