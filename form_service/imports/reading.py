"""Read an uploaded XLSX or CSV into rows of text by column name, with their line numbers.

XLSX: the first worksheet; the header is the first row that names `身份证号` (title lines above
it are allowed). CSV: UTF-8 (with or without BOM) or GB18030, what WPS and older Excel save.
Every cell becomes text as a person would read it: dates as 2011-08-31, whole numbers without
`.0`. An ID number that Excel stored as a number has lost its last digits: that is a problem to
name, never something to guess.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import load_workbook

from form_service.imports.problems import ImportRefused, Problem

MAX_ROWS = 60_000
KEY_COLUMN = "身份证号"
NUMBER_STORED = "这一格被 Excel 存成了数字,长号码会丢掉末几位;请把这一列设为“文本”后重新填写"


@dataclass(frozen=True)
class Row:
    """One line of the file: its number as the spreadsheet shows it, and its cells by column."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class Table:
    """A file being read: its columns, its rows as they are read, and what could not be read.

    `rows` is read once, as the importer goes (a 10,000-row file is never held whole);
    `problems` and `count` are complete once it has been read to the end.
    """

    name: str
    columns: tuple[str, ...]
    rows: Iterator[Row]
    problems: list[Problem] = field(default_factory=list)  # numbers that lost digits
    count: int = 0


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(name: str, lines: Iterator[tuple[int, list[object]]]) -> Table:
    """Find the header among the first lines, then read the rest by column name."""
    columns: list[str] = []
    for number, values in lines:
        texts = [_text(v) for v in values]
        if KEY_COLUMN in texts:
            columns = texts
            break
        if number >= 20:
            break
    if not columns:
        raise ImportRefused(
            [Problem(name, 0, "", f"没有找到表头:第一行应是列名,其中要有“{KEY_COLUMN}”")]
        )
    table = Table(name, tuple(c for c in columns if c), iter(()))
    table.rows = _rows(table, columns, lines)
    return table


def _rows(
    table: Table, columns: list[str], lines: Iterator[tuple[int, list[object]]]
) -> Iterator[Row]:
    for number, values in lines:
        cells: dict[str, str] = {}
        for column, value in zip(columns, values, strict=False):
            if not column:
                continue
            if isinstance(value, float) and abs(value) >= 1e11:
                table.problems.append(Problem(table.name, number, column, NUMBER_STORED))
                continue
            cells[column] = _text(value)
        if any(cells.values()):
            table.count += 1
            if table.count > MAX_ROWS:
                raise ImportRefused(
                    [Problem(table.name, 0, "", f"一次最多导入 {MAX_ROWS} 行,请把名单分成几个文件")]
                )
            yield Row(number, cells)


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, list[object]]]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    finally:
        book.close()


def _decode(name: str, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused(
        [Problem(name, 0, "", "读不出文件的文字:请存成 UTF-8 或 GB18030 编码的 CSV,或 XLSX")]
    )


def _csv_lines(text: str) -> Iterator[tuple[int, list[object]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    for values in reader:
        # A CSV cell a spreadsheet would run as a formula was written with a leading apostrophe.
        yield (
            reader.line_num,
            [
                v[1:] if v.startswith("'") and v[1:2] in "=+-@\t\r" and len(v) > 1 else v
                for v in values
            ],
        )


def read_table(*, name: str, data: bytes) -> Table:
    """Read the file `name` (XLSX or CSV by its content) into a table, or raise ImportRefused."""
    if not data.strip():
        raise ImportRefused([Problem(name, 0, "", "文件是空的")])
    if data.startswith(b"PK\x03\x04"):
        try:
            return _table(name, _xlsx_lines(data))
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            raise ImportRefused(
                [
                    Problem(
                        name, 0, "", "这不是能打开的 XLSX 文件,请用 Excel 或 WPS 另存为 XLSX 后再试"
                    )
                ]
            ) from None
    return _table(name, _csv_lines(_decode(name, data)))
