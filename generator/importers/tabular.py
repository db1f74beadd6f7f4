"""Read an official CSV or XLSX file as tables of text cells, find header rows."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

from generator.settings import LIMITS

MAX_BYTES = LIMITS.import_bytes
HEADER_SCAN_ROWS = 30
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?([0-9]{1,7})?(?::([A-Z]{1,3})([0-9]{1,7}))?"')


class InputError(Exception):
    """The input file cannot be read at all; the message says why. code: the problem code to report."""

    def __init__(self, message: str, code: str = "import-file", row: int | None = None):
        super().__init__(message)
        self.code, self.row = code, row


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
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as e:
        raise InputError(f"{path.name} cannot be parsed as CSV: {e}") from None
    for i, row in enumerate(rows, start=1):
        if any("\r" in c or "\n" in c for c in row):
            col = next(j for j, c in enumerate(row) if "\r" in c or "\n" in c) + 1
            raise InputError(f"{path.name}: record {i} has a line break inside a quoted cell (column {col}); official "
                             f"files have none, so this is not the official download unchanged", "import-bad-value", i)
    return [[c.strip() for c in row] for row in rows]


def read_tables(path: Path) -> dict[str, list[list[str]]]:
    """Sheet name -> rows of text cells. A CSV file is one sheet named after the file."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a file")
    if zipfile.is_zipfile(path):
        return _read_xlsx(path)
    return {path.stem: read_csv_text(path)}


def _read_bytes_size(path: Path) -> None:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{path.name} has {path.stat().st_size:,} bytes; the limit is {MAX_BYTES:,} (limit import_bytes)",
                             "import-too-large")
    except OSError as e:
        raise InputError(f"{path} cannot be read: {e.strerror or e}") from None


def _read_bytes(path: Path) -> bytes:
    _read_bytes_size(path)
    try:
        return path.read_bytes()
    except OSError as e:
        raise InputError(f"{path} cannot be read: {e.strerror or e}") from None


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def check_workbook(path: Path) -> None:
    """Refuse a workbook whose unzipped size or declared sheet size is over the limits, before reading it."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            unzipped = sum(i.file_size for i in infos)
            if unzipped > LIMITS.xlsx_unzipped_bytes:
                raise InputError(f"{path.name} holds {unzipped:,} bytes once unzipped; the limit is "
                                 f"{LIMITS.xlsx_unzipped_bytes:,} (limit xlsx_unzipped_bytes); nothing was read", "import-too-large")
            for info in infos:
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    with zf.open(info) as fh:
                        head = fh.read(64 * 1024)
                    m = DIMENSION.search(head)
                    if m and m.group(4):
                        rows, cols = int(m.group(4)), _column_number(m.group(3))
                        if rows > LIMITS.xlsx_rows or cols > LIMITS.xlsx_columns:
                            raise InputError(f"{path.name}: sheet {info.filename.rsplit('/', 1)[-1]} declares {rows:,} rows and "
                                             f"{cols:,} columns; the limits are {LIMITS.xlsx_rows:,} rows and {LIMITS.xlsx_columns} "
                                             f"columns (xlsx_rows, xlsx_columns); nothing was read", "import-too-large")
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as e:
        raise InputError(f"{path.name} cannot be opened as an Excel workbook: {e}") from None


def _read_xlsx(path: Path) -> dict[str, list[list[str]]]:
    import openpyxl  # heavy: only when a workbook is given

    _read_bytes_size(path)
    check_workbook(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for broken workbooks
        raise InputError(f"{path.name} cannot be opened as an Excel workbook: {e}") from None
    try:
        return {ws.title: _sheet_rows(path, ws) for ws in wb.worksheets}
    except InputError:
        raise
    except Exception as e:  # a broken sheet found while streaming it
        raise InputError(f"{path.name} cannot be read as an Excel workbook: {e}") from None
    finally:
        wb.close()


def _sheet_rows(path: Path, ws) -> list[list[str]]:
    """Rows of a sheet, streamed (read-only mode); stops at the row and column limits even if none was declared."""
    out = []
    for row in ws.iter_rows(values_only=True):
        if len(out) >= LIMITS.xlsx_rows or len(row) > LIMITS.xlsx_columns:
            raise InputError(f"{path.name}: sheet {ws.title} has more than {LIMITS.xlsx_rows:,} rows or "
                             f"{LIMITS.xlsx_columns} columns (limits xlsx_rows, xlsx_columns)", "import-too-large")
        out.append([cell_text(v) for v in row])
    while out and not any(out[-1]):
        out.pop()
    return out


def find_header(rows: list[list[str]], must: set[str]) -> int | None:
    """Index of the first row (within the first rows) whose labels include all of `must` (normalised)."""
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if must <= {norm(c) for c in row}:
            return i
    return None
