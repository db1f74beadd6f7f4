"""Read an official CSV or XLSX file as tables of text cells, find header rows."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

MAX_BYTES = 200 * 1024 * 1024
HEADER_SCAN_ROWS = 30


class InputError(Exception):
    """The input file cannot be read at all; the message says why."""


def norm(label) -> str:
    """Header label compared ignoring case, spacing and punctuation."""
    return re.sub(r"[^a-z0-9]", "", str(label or "").lower())


def cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10]
    return str(v).strip()


def read_csv_text(path: Path) -> list[list[str]]:
    data = _read_bytes(path)
    if b"\x00" in data[:65536]:
        raise InputError(f"{path.name} is not a CSV text file (it contains binary data)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # older official files are Windows-1252
    try:
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    except csv.Error as e:
        raise InputError(f"{path.name} cannot be parsed as CSV: {e}") from None


def read_tables(path: Path) -> dict[str, list[list[str]]]:
    """Sheet name -> rows of text cells. A CSV file is one sheet named after the file."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a file")
    if zipfile.is_zipfile(path):
        return _read_xlsx(path)
    return {path.stem: read_csv_text(path)}


def _read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{path.name} is larger than {MAX_BYTES} bytes")
        return path.read_bytes()
    except OSError as e:
        raise InputError(f"{path} cannot be read: {e.strerror or e}") from None


def _read_xlsx(path: Path) -> dict[str, list[list[str]]]:
    import openpyxl  # heavy: only when a workbook is given

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for broken workbooks
        raise InputError(f"{path.name} cannot be opened as an Excel workbook: {e}") from None
    try:
        return {ws.title: [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
                for ws in wb.worksheets}
    finally:
        wb.close()


def find_header(rows: list[list[str]], must: set[str]) -> int | None:
    """Index of the first row (within the first rows) whose labels include all of `must` (normalised)."""
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if must <= {norm(c) for c in row}:
            return i
    return None
