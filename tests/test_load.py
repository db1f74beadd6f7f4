"""Reading packages: safe paths, CSV parsing, and bounded reads of hostile files."""
from __future__ import annotations

import os
import time
import tracemalloc
from pathlib import Path

import pytest

from generator.data.load import (MAX_COLUMNS, MAX_FILE_BYTES, MAX_HEADER_BYTES, CsvRefused, find_packages, load_packages,
                            parse_csv, read_csv_file, safe_path)

MINIMAL = Path(__file__).resolve().parent / "packages" / "minimal"


@pytest.mark.parametrize("rel", ["../x.csv", "/etc/passwd", "https://example.org/x.csv", "file:///etc/passwd", "a/../../x.csv",
                                 "C:/x.csv", "c:x.csv", "~/x.csv", "a\\x.csv", "", None, 5, ["x.csv"], "x\x00.csv"])
def test_unsafe_paths_are_refused(tmp_path, rel):
    assert safe_path(tmp_path, rel) is None


def test_symlink_out_of_the_package_is_refused(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "secret.csv").write_text("a\n1\n")
    os.symlink(tmp_path / "secret.csv", tmp_path / "pkg" / "link.csv")
    assert safe_path(tmp_path / "pkg", "link.csv") is None
    assert safe_path(tmp_path / "pkg", "data/scores.csv") == tmp_path / "pkg" / "data" / "scores.csv"


def _parse(data: bytes):
    header, frame, cells = parse_csv(data)
    return header, frame.to_numpy().tolist(), cells.tolist()


def test_quoted_cells_bom_and_crlf():
    data = '\ufeffa,"b ""quoted""",c\r\n"line one\nline two",2,"x,y"\r\n\r\n,,\r\n'.encode()
    header, rows, cells = _parse(data)
    assert header == ["a", 'b "quoted"', "c"]
    assert rows == [["line one\nline two", "2", "x,y"], ["", "", ""], ["", "", ""]]
    assert cells == [3, 0, 3]  # a blank line has no cells; ",," has three empty ones


def test_ragged_rows_keep_their_cell_counts():
    header, rows, cells = _parse(b"a,b,c\n1\n1,2,3,4,5\n1,2,3")
    assert header == ["a", "b", "c"]
    assert cells == [1, 5, 3]
    assert rows == [["1", "", "", "", ""], ["1", "2", "3", "4", "5"], ["1", "2", "3", "", ""]]


def test_stray_quotes_are_read_like_the_csv_module():
    header, rows, cells = _parse(b'a,b\nab"c,1\n"x"y,2\n')
    assert rows == [['ab"c', "1"], ["xy", "2"]] and cells == [2, 2]


def test_lone_cr_line_ends_are_read():
    assert _parse(b"a,b\r1,2\r3,4\r") == (["a", "b"], [["1", "2"], ["3", "4"]], [2, 2])


@pytest.mark.parametrize("data, row, words", [
    (b'a,b\n1,2\n"x,3\n', 3, "never closed"),
    (b"\na,b\n", 1, "header row (row 1) is empty"),
    (b"a,b\n" + b"x," * (MAX_COLUMNS + 5) + b"\n", 2, f"at most {MAX_COLUMNS} columns"),
    (b"a,b\n1,2\n" + b"x" * (1024 * 1024 + 1) + b"\n", 3, "bytes long"),
])
def test_refused_files_say_where(data, row, words):
    with pytest.raises(CsvRefused) as e:
        parse_csv(data)
    assert words in e.value.args[0] and e.value.args[1] == row


def _bounded(fn, seconds: float, megabytes: float):
    """Run fn; assert it took at most `seconds` and allocated at most `megabytes` at peak."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = fn()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert time.perf_counter() - start < seconds
    assert peak < megabytes * 1024 * 1024, f"peak {peak:,} bytes"
    return result


def _read(path: Path):
    return read_csv_file(path, path.name, "p", "scores")


def test_a_1gb_file_is_refused_before_reading(tmp_path):
    big = tmp_path / "scores.csv"
    with open(big, "wb") as fh:  # sparse: takes no disk space
        fh.truncate(1024 ** 3)
    rf, problems = _bounded(lambda: _read(big), 1.0, 1)
    assert rf is None and [p.code for p in problems] == ["file-too-large"]
    assert f"{MAX_FILE_BYTES:,}" in problems[0].message


def test_binary_data_named_csv_is_refused_from_its_first_bytes(tmp_path):
    big = tmp_path / "scores.csv"
    with open(big, "wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n")
        fh.truncate(MAX_FILE_BYTES)  # the largest file allowed, all NUL bytes after the PNG signature
    rf, problems = _bounded(lambda: _read(big), 1.0, 1)
    assert rf is None and [(p.code, p.row) for p in problems] == [("encoding-error", 1)]


def test_a_40mb_line_without_line_break_is_refused_after_a_bounded_read(tmp_path):
    big = tmp_path / "scores.csv"
    with open(big, "wb") as fh:
        for _ in range(40):
            fh.write(b"x" * 1024 * 1024)
    rf, problems = _bounded(lambda: _read(big), 1.0, 2 * MAX_HEADER_BYTES / 1024 ** 2)
    assert rf is None and [(p.code, p.row) for p in problems] == [("source-error", 1)]
    assert "header row (row 1) is longer than" in problems[0].message


def test_a_40mb_data_row_is_refused(tmp_path):
    big = tmp_path / "scores.csv"
    with open(big, "wb") as fh:
        fh.write(b"provider,measure\nRX1,fft\n")
        for _ in range(40):
            fh.write(b"y" * 1024 * 1024)
    rf, problems = _bounded(lambda: _read(big), 10.0, 60)  # the file itself is 40 MB
    assert rf is None and [(p.code, p.row) for p in problems] == [("source-error", 3)]
    assert "row 3 is 41,943,040 bytes long" in problems[0].message


def test_millions_of_columns_are_refused(tmp_path):
    wide = tmp_path / "scores.csv"
    wide.write_bytes(b"a," * 2_000_000 + b"a\n1\n")
    rf, problems = _bounded(lambda: _read(wide), 1.0, 1)
    assert rf is None and [(p.code, p.row) for p in problems] == [("source-error", 1)]
    wide.write_bytes(b"a,b\n" + b"1," * 400_000 + b"1\n")
    rf, problems = _bounded(lambda: _read(wide), 5.0, 64)
    assert rf is None and [(p.code, p.row) for p in problems] == [("source-error", 2)]
    assert "row 2 has 400,001 cells" in problems[0].message


@pytest.mark.parametrize("text, words", [("[" * 200_000 + "]" * 200_000, "nested"), ('{"a":' * 30 + "1" + "}" * 30, "nested deeper"),
                                         ('{"name": "x",', "not valid JSON"), ("\xff", "not valid JSON"), ('"just a string"', "JSON object")],
                         ids=["200k-levels", "30-levels", "truncated", "latin-1", "not-an-object"])
def test_hostile_descriptors(tmp_path, text, words):
    (tmp_path / "datapackage.json").write_text(text, encoding="latin-1" if text == "\xff" else "utf-8")
    packages, problems = _bounded(lambda: load_packages([tmp_path]), 2.0, 64)
    assert packages == [] and len(problems) == 1
    assert problems[0].code in ("package-json", "encoding-error") and (words in problems[0].message or problems[0].code == "encoding-error")


def test_find_packages_lists_each_folder_once(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for f in (a, b):
        f.mkdir()
        (f / "datapackage.json").write_text("{}")
    assert find_packages([tmp_path, a, a / "datapackage.json"]) == [a, b]


def test_load_reads_every_file_as_text():
    packages, problems = load_packages([MINIMAL])
    assert problems == [] and len(packages) == 1
    scores = next(r for r in packages[0].resources if r.name == "scores")
    f = scores.files[0]
    assert f.relpath == "scores.csv" and f.header[:4] == ["provider", "measure", "period", "group"]
    assert f.cells.tolist() == [11] * 7 and f.frame.iloc[0, 4] == "412" and len(f.sha256) == 64
    assert sorted(packages[0].files) == sorted(["datapackage.json"] + [f"{r.name}.csv" for r in packages[0].resources])
