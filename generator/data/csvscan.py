"""Bounded, vectorised CSV parsing for the load stage: every cell as text.

A numpy scan finds where each record ends and how many cells it has (quotes
respected), so over-long or over-wide rows are refused before pandas sees
them; well-formed files then go through pandas' C parser, files with irregular
quoting through the csv module (if small enough).
"""
from __future__ import annotations

import codecs
import csv
import io

import numpy as np
import pandas as pd

from generator.settings import LIMITS

MAX_RECORD_BYTES = LIMITS.record_bytes
MAX_COLUMNS = LIMITS.columns
FALLBACK_MAX_BYTES = LIMITS.lenient_parse_bytes  # irregular quoting: csv-module parse only up to this size
MAX_FILE_CELLS = LIMITS.file_cells
SCAN_CHUNK = 4 * 1024 * 1024


def _utf8_error(data: bytes) -> int | None:
    """Byte offset of the first invalid UTF-8 sequence, or None; decodes in chunks."""
    dec = codecs.getincrementaldecoder("utf-8")("strict")
    step = 8 * 1024 * 1024
    for start in range(0, len(data), step):
        try:
            dec.decode(data[start:start + step], final=start + step >= len(data))
        except UnicodeDecodeError as e:
            return start + e.start
    return None


class CsvRefused(Exception):
    """A file that is not read: args are (message, row)."""


class TooManyCells(CsvRefused):
    """A file with more cells than LIMITS.file_cells (reading it would take too much memory)."""


def _scan(data: bytes, skip: int) -> tuple[np.ndarray, np.ndarray, np.ndarray] | int:
    """Cells, start and end offsets of every record (the header first), for RFC 4180 CSV.

    The quote state after each byte is the parity of the quotes so far, so commas
    and newlines inside quoted cells do not count. Works in chunks (bounded
    memory). Returns instead the offset of the first quote RFC 4180 does not
    allow (e.g. inside an unquoted cell), or -1 - offset of a quote never closed.
    """
    buf = np.frombuffer(data, np.uint8)
    end_parts: list[np.ndarray] = []
    mark_parts: list[np.ndarray] = []
    state, total, last_open = 0, 0, 0
    for start in range(0, len(buf), SCAN_CHUNK):
        b = buf[start:start + SCAN_CHUNK]
        q = b == 34
        if q.any():
            inside = np.bitwise_xor.accumulate(q.view(np.uint8)) ^ np.uint8(state)
            pos = np.flatnonzero(q)
            opening, gpos = inside[pos] == 1, pos + start
            prev = np.where(gpos > skip, buf[np.maximum(gpos - 1, 0)], 10)
            nxt = np.where(gpos + 1 < len(buf), buf[np.minimum(gpos + 1, len(buf) - 1)], 10)
            bad = (opening & ~np.isin(prev, (44, 10, 34))) | (~opening & ~np.isin(nxt, (44, 10, 13, 34)))
            if bad.any():
                return int(gpos[np.argmax(bad)])
            if opening.any():
                last_open = int(gpos[opening][-1])
            out, state = inside == 0, int(inside[-1])
            nl, comma = np.flatnonzero((b == 10) & out), np.flatnonzero((b == 44) & out)
        elif state == 0:  # the common case: no quotes in the chunk
            nl, comma = np.flatnonzero(b == 10), np.flatnonzero(b == 44)
        else:  # the whole chunk is inside one quoted cell
            nl = comma = np.zeros(0, np.int64)
        end_parts.append(nl + start)
        mark_parts.append(np.searchsorted(comma, nl) + total)
        total += len(comma)
    if state:
        return -1 - last_open
    ends = np.concatenate(end_parts + [np.zeros(0, np.int64)]).astype(np.int64)
    marks = np.concatenate(mark_parts + [np.zeros(0, np.int64)]).astype(np.int64)
    if len(data) and data[-1:] != b"\n":
        ends, marks = np.append(ends, len(data)), np.append(marks, total)
    starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)
    cells = np.diff(marks, prepend=0) + 1
    blank = (ends == starts) | ((ends - starts == 1) & (buf[np.minimum(starts, len(buf) - 1)] == 13))
    cells[blank] = 0
    return cells, starts, ends


def parse_csv(data: bytes) -> tuple[list[str], pd.DataFrame, np.ndarray]:
    """Header, data rows as text (positional columns) and cells per data row.

    Well-formed files go through pandas' C parser; files whose quoting breaks
    RFC 4180 go through the csv module (lenient, as frictionless reads them),
    if they are small enough. Raises CsvRefused with a located message.
    """
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    scanned = _scan(data, skip)
    if isinstance(scanned, int) and scanned < 0:
        line = data.count(b"\n", 0, -1 - scanned) + 1
        raise CsvRefused(f"a quote opened on line {line} is never closed, so the rest of the file would be one cell", line)
    if isinstance(scanned, int):
        line = data.count(b"\n", 0, scanned) + 1
        if len(data) > FALLBACK_MAX_BYTES:
            raise CsvRefused(f"a quote on line {line} is not at the start or end of a cell; quote whole cells as in RFC 4180", line)
        return _parse_lenient(data)
    cells, starts, ends = scanned
    _check_bounds(cells, ends - starts)
    _check_cells(cells)
    if cells[0] == 0:
        raise CsvRefused("the header row (row 1) is empty", 1)
    header = next(csv.reader(io.StringIO(data[:ends[0]].decode("utf-8-sig"), newline="")))
    width = int(cells.max())
    frame = pd.read_csv(io.BytesIO(data), header=None, names=range(width), dtype=object, keep_default_na=False,
                        na_filter=False, skip_blank_lines=False, engine="c", encoding="utf-8")
    if len(frame) != len(cells):  # the C parser saw other rows (e.g. lone CR line ends)
        return _parse_lenient(data)
    return header, frame.iloc[1:].reset_index(drop=True), cells[1:]


def _check_cells(cells: np.ndarray) -> None:
    """Rows times columns (the widest row), as the table is held in memory, within LIMITS.file_cells."""
    size = len(cells) * int(cells.max(initial=0))
    if size > MAX_FILE_CELLS:
        raise TooManyCells(f"it has {len(cells):,} rows of up to {int(cells.max()):,} cells ({size:,} in all); the limit is "
                           f"{MAX_FILE_CELLS:,} a file (limit file_cells); split it into several files, one per period", None)


def _check_bounds(cells: np.ndarray, sizes: np.ndarray) -> None:
    if len(sizes) and sizes.max() > MAX_RECORD_BYTES:
        i = int(np.argmax(sizes))
        raise CsvRefused(f"row {i + 1} is {int(sizes[i]):,} bytes long; the limit is {MAX_RECORD_BYTES:,}", i + 1)
    if len(cells) and cells.max() > MAX_COLUMNS:
        i = int(np.argmax(cells))
        raise CsvRefused(f"row {i + 1} has {int(cells[i]):,} cells; at most {MAX_COLUMNS} columns are allowed", i + 1)


def _parse_lenient(data: bytes) -> tuple[list[str], pd.DataFrame, np.ndarray]:
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    except csv.Error as e:
        raise CsvRefused(f"cannot be parsed as CSV: {e}", None) from None
    cells = np.array([len(r) for r in rows], np.int64)
    _check_bounds(cells, np.zeros(0, np.int64))
    _check_cells(cells)
    if not rows or not rows[0]:
        raise CsvRefused("the header row (row 1) is empty", 1)
    width = int(cells.max())
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows[1:]], columns=range(width), dtype=object) \
        if len(rows) > 1 else pd.DataFrame({i: pd.Series([], dtype=object) for i in range(width)})
    return rows[0], frame, cells[1:]
