"""One writer for every table staff download: CSV (UTF-8 with BOM), XLSX and plain text.

Exporters build a `Sheet` (title lines, optional column groups, field names, rows) and hand it
here; nothing else writes files. Every text cell that a spreadsheet could read as a formula
(starting with `=`, `+`, `-`, `@`, tab, CR or NUL) is written inert: in CSV it gets a leading
apostrophe, in XLSX it is stored as a string cell with Excel's "quote prefix" (shown unchanged,
never evaluated, not even after editing). Columns named in `text_columns` (ID and phone numbers)
are text with the `@` number format, so Excel never turns `310104197503122014` into `3.1E+17`.
XLSX files are byte-for-byte reproducible: the same rows give the same file from the web and
from `portal export`, so an audit record's SHA-256 identifies the file.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain, islice
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
NO_VALUE = "—"
_FIXED_TIME = datetime(2011, 1, 1)
WIDTH_SAMPLE = 2_000  # rows looked at to size the columns
BOLD = Font(bold=True)
_ZIP_TIME = (2011, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


@dataclass(frozen=True)
class Rate:
    """A completion rate: shown to one decimal (half up), or "—" when there is no target."""

    numerator: int
    denominator: int | None

    @property
    def percent(self) -> Decimal | None:
        if not self.denominator:
            return None
        value = Decimal(self.numerator * 100) / Decimal(self.denominator)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def __str__(self) -> str:
        percent = self.percent
        return NO_VALUE if percent is None else f"{percent}%"


Value = str | int | date | Rate | None


@dataclass(frozen=True)
class Sheet:
    """A table ready to write: what goes above it, its headers, its rows and notes below."""

    name: str
    fieldnames: tuple[str, ...]
    rows: Iterable[Sequence[Value]]  # read once: a list, or rows made as they are written
    title_lines: tuple[str, ...] = ()
    groups: tuple[tuple[str, int], ...] = ()  # (label, number of columns), covering every field
    text_columns: frozenset[str] = field(default_factory=frozenset)
    notes: tuple[str, ...] = ()


def defuse(value: str) -> str:
    """Return `value` so that no spreadsheet reads it as a formula (CSV: leading apostrophe)."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def plain(value: Value) -> str:
    """Return the text of one cell as people read it."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _group_row(sheet: Sheet) -> list[str]:
    row: list[str] = []
    for label, span in sheet.groups:
        row.extend([label] + [""] * (span - 1))
    return row


def render_csv(sheet: Sheet) -> bytes:
    """Return the sheet as CSV text in UTF-8 with a BOM (Excel and WPS then read Chinese)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    width = len(sheet.fieldnames)
    for line in sheet.title_lines:
        writer.writerow([defuse(line)] + [""] * (width - 1))
    if sheet.groups:
        writer.writerow([defuse(cell) for cell in _group_row(sheet)])
    writer.writerow([defuse(name) for name in sheet.fieldnames])
    for row in sheet.rows:
        writer.writerow([defuse(plain(cell)) for cell in row])
    for line in sheet.notes:
        writer.writerow([defuse(line)] + [""] * (width - 1))
    return out.getvalue().encode("utf-8")


def display_width(text: str) -> int:
    """Return how many terminal columns `text` takes (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _text_cell(
    ws: Any, value: str, *, text_format: bool = False, font: Font | None = None
) -> WriteOnlyCell:
    inert = value.startswith(FORMULA_TRIGGERS)
    # XML turns a bare CR into LF when the file is read: write LF so what is read is what we wrote.
    value = ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    cell = WriteOnlyCell(ws, value=value)
    # A string starting with "=" would become a formula: force a string cell.
    cell.data_type = "s"
    if inert:
        cell.quotePrefix = True
    if text_format:
        cell.number_format = "@"
    if font is not None:
        cell.font = font
    return cell


def _reproducible(data: bytes) -> bytes:
    """Rewrite the XLSX zip with fixed timestamps so equal sheets give equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time here whatever the properties say.
                content = _MODIFIED.sub(rb"\g<1>2011-01-01T00:00:00Z\g<2>", source.read(info))
                target.writestr(fixed, content)
                continue
            # The sheet of a large register is 100+ MB of XML: copy it in chunks.
            with source.open(info) as reading, target.open(fixed, "w", force_zip64=True) as writing:
                shutil.copyfileobj(reading, writing, 1 << 20)
    return out.getvalue()


def _xlsx_value(ws: Any, value: Value, *, text: bool) -> object:
    if value is None or value == "":
        return None
    if isinstance(value, Rate):
        percent = value.percent
        if percent is None:
            return _text_cell(ws, NO_VALUE)
        cell = WriteOnlyCell(ws, value=float(percent / 100))
        cell.number_format = "0.0%"
        return cell
    if isinstance(value, int) and not text:
        return value
    shown = plain(value)
    if text or shown.startswith(FORMULA_TRIGGERS) or shown.startswith("#") or "\r" in shown:
        return _text_cell(ws, shown, text_format=text)
    # A plain string: openpyxl writes it as a string cell; a cell object per value costs 2x.
    return ILLEGAL_CHARACTERS_RE.sub("", shown)


def render_xlsx(sheet: Sheet) -> bytes:
    """Return the sheet as an XLSX workbook with one worksheet.

    openpyxl's write-only mode streams rows to disk, so a 100,000-row register does not hold
    millions of cell objects in memory.
    """
    book = Workbook(write_only=True)
    book.properties.creator = "上海工会技能培训促就业行动"
    book.properties.created = book.properties.modified = _FIXED_TIME
    ws = book.create_sheet(sheet.name[:31])
    width = len(sheet.fieldnames)
    last = get_column_letter(width)
    text_indexes = {i for i, name in enumerate(sheet.fieldnames) if name in sheet.text_columns}
    widths = [display_width(name) for name in sheet.fieldnames]
    rows = iter(sheet.rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    for values in sample:
        for index, value in enumerate(values):
            widths[index] = max(widths[index], display_width(plain(value)))
    for index, size in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = min(max(size + 2, 6), 40)
    row_no = 0
    for line in sheet.title_lines:
        row_no += 1
        font = Font(bold=True, size=14) if row_no == 1 else None
        ws.append([_text_cell(ws, line, font=font)])
        if width > 1:
            ws.merged_cells.add(f"A{row_no}:{last}{row_no}")
    if sheet.groups:
        row_no += 1
        cells: list[object] = []
        for label, span in sheet.groups:
            start = len(cells) + 1
            cells.append(_text_cell(ws, label, font=BOLD))
            cells.extend([None] * (span - 1))
            if span > 1:
                ws.merged_cells.add(
                    f"{get_column_letter(start)}{row_no}:{get_column_letter(start + span - 1)}"
                    f"{row_no}"
                )
        ws.append(cells)
    row_no += 1
    ws.freeze_panes = f"{'B' if sheet.groups else 'A'}{row_no + 1}"
    ws.append([_text_cell(ws, name, font=BOLD) for name in sheet.fieldnames])
    for values in chain(sample, rows):
        ws.append(
            [_xlsx_value(ws, value, text=i in text_indexes) for i, value in enumerate(values)]
        )
    for line in sheet.notes:
        ws.append([_text_cell(ws, line)])
    out = io.BytesIO()
    book.save(out)
    return _reproducible(out.getvalue())


def _pad(text: str, width: int, *, right: bool) -> str:
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


def text_table(fieldnames: Sequence[str], rows: Sequence[Sequence[Value]]) -> list[str]:
    """Return aligned lines: the first column left-aligned, the others right-aligned."""
    cells = [list(fieldnames)] + [[plain(v) for v in row] for row in rows]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(fieldnames))]
    lines = []
    for number, row in enumerate(cells):
        lines.append(
            "  ".join(_pad(text, widths[i], right=i > 0) for i, text in enumerate(row)).rstrip()
        )
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def render_text(sheet: Sheet) -> str:
    """Return the sheet as plain text; with column groups, one block per group.

    A 30-column return does not fit a terminal, so the first group (the unit) is repeated at
    the left of every other group's block.
    """
    lines = list(sheet.title_lines)
    rows = list(sheet.rows)
    if not sheet.groups:
        lines.extend(text_table(sheet.fieldnames, rows))
    else:
        key_span = sheet.groups[0][1]
        start = key_span
        for label, span in sheet.groups[1:]:
            indexes = list(range(key_span)) + list(range(start, start + span))
            lines.extend(["", f"【{label}】"])
            lines.extend(
                text_table(
                    [sheet.fieldnames[i] for i in indexes],
                    [[row[i] for i in indexes] for row in rows],
                )
            )
            start += span
    if sheet.notes:
        lines.append("")
        lines.extend(sheet.notes)
    return "\n".join(lines) + "\n"
