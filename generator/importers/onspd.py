"""ONS Postcode Directory (ONSPD, or the National Statistics Postcode Lookup, NSPL): the middle of
each postcode district, for the optional postcode-districts resource.

The file has a header row naming, among others, pcds (the postcode with its space), doterm (the
date a postcode was ended: empty while it is live), lat and long (WGS84; 99.999999 where the
postcode has no grid reference). A district's middle is the mean latitude and longitude of its
live postcodes that have coordinates. The directory is about 2.7 million rows: it is read as a
stream (a CSV file, or the ZIP ONS publishes, whose largest Data/*.csv is read), never all at once.
"""
from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections import Counter
from pathlib import Path

from generator.problems import WARNING, Problem, cap
from generator.importers.fft import OGL
from generator.importers.merge import Batch
from generator.importers.tabular import InputError, norm

DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
NO_PLACE = 99.0  # ONS gives latitude 99.999999 where a postcode has no grid reference
COLUMNS = {"postcode": ("pcds", "pcd", "pcd2"), "ended": ("doterm",), "lat": ("lat",), "long": ("long",)}


def _open(path: Path):
    """A text stream of the directory's CSV (inside the ZIP ONS publishes, or a plain file)."""
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a file")
    if zipfile.is_zipfile(path):
        z = zipfile.ZipFile(path)
        csvs = [i for i in z.infolist() if i.filename.lower().endswith(".csv") and "/documents/" not in i.filename.lower()]
        if not csvs:
            raise InputError(f"{path.name} holds no CSV file")
        main = max(csvs, key=lambda i: (i.file_size, i.filename))
        return io.TextIOWrapper(z.open(main), encoding="utf-8-sig", errors="replace", newline="")
    return open(path, encoding="utf-8-sig", errors="replace", newline="")


def district_of(postcode: str) -> str:
    """'EX1 2AB' or 'EX12AB' -> 'EX1'."""
    s = re.sub(r"[^A-Z0-9 ]", "", postcode.upper()).strip()
    if " " in s:
        return s.split()[0]
    return s[:-3] if len(s) >= 5 else ""


def read(path: Path) -> tuple[Batch | None, dict, list[Problem]]:
    where = dict(file=path.name)
    summary = {"rows_read": 0, "suppressed_cells": 0, "skipped_rows": Counter(), "districts": 0}
    sums: dict[str, list[float]] = {}
    bad_values: list[Problem] = []
    with _open(path) as fh:
        rows = csv.reader(fh)
        header = [norm(c) for c in next(rows, [])]
        col = {k: next((header.index(n) for n in names if n in header), None) for k, names in COLUMNS.items()}
        missing = [COLUMNS[k][0] for k, i in col.items() if i is None]
        if missing:
            return None, summary, [Problem("import-header", "not an ONS postcode directory: the header row has no "
                                           f"{', '.join(missing)} column", row=1, **where)]
        width = max(col.values()) + 1
        for r in rows:
            summary["rows_read"] += 1
            if len(r) < width:
                summary["skipped_rows"]["short row"] += 1
                continue
            if r[col["ended"]].strip():
                summary["skipped_rows"]["postcode no longer in use"] += 1
                continue
            d = district_of(r[col["postcode"]])
            try:
                lat, lon = float(r[col["lat"]]), float(r[col["long"]])
            except ValueError:
                lat = lon = NO_PLACE + 1
            bad = [k for k, v in (("lat", lat), ("long", lon)) if not math.isfinite(v)]
            if bad:  # 'nan' or 'inf' parse as numbers, and abs(nan) > 81 is False: refuse them
                bad_values += [Problem("import-bad-value", f"{header[col[k]]} is {r[col[k]].strip()!r}, not a finite "
                                       f"coordinate", row=summary["rows_read"] + 1, field=header[col[k]], **where)
                               for k in bad]
                continue
            if not DISTRICT.match(d) or abs(lat) > NO_PLACE - 9 or abs(lon) > 180:
                summary["skipped_rows"]["no district or no place"] += 1
                continue
            s = sums.setdefault(d, [0.0, 0.0, 0])
            s[0], s[1], s[2] = s[0] + lat, s[1] + lon, s[2] + 1
    problems = cap(bad_values)
    if summary["skipped_rows"]["short row"]:
        problems.append(Problem("import-bad-value", f"{summary['skipped_rows']['short row']} rows have too few "
                                "columns; skipped", severity=WARNING, **where))
    rows_out = [{"district": d, "latitude": f"{s[0] / s[2]:.4f}", "longitude": f"{s[1] / s[2]:.4f}"}
                for d, s in sorted(sums.items())]
    summary["districts"] = len(rows_out)
    batch = Batch(dataset="onspd", title="Postcode districts (ONS Postcode Directory)",
                  source_title="ONS Postcode Directory: middle of each postcode district",
                  publisher="Office for National Statistics", licence=OGL["title"], licenses=[OGL],
                  tables={"postcode-districts": rows_out})
    return batch, summary, problems
