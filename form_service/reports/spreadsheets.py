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
import hashlib
import io
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain, islice
from pathlib import Path
from typing import IO

from form_service.reports import xlsx

FORMULA_TRIGGERS = xlsx.FORMULA_TRIGGERS
NO_VALUE = "—"
WIDTH_SAMPLE = 2_000  # rows looked at to size the columns
SPOOL_BYTES = 4 << 20  # files up to this size stay in memory; larger ones go to a temporary file


@dataclass(frozen=True)
class ExportFile:
    """A file made for download: its name, the file to stream, its rows and SHA-256."""

    name: str
    file: IO[bytes]  # rewound; whoever sends it closes it
    rows: int
    sha256: str
    size: int | None = None  # bytes, so the browser can show the download's progress

    @classmethod
    def of_bytes(cls, name: str, content: bytes, *, rows: int) -> ExportFile:
        """Wrap a small file already made in memory (a text return)."""
        digest = hashlib.sha256(content).hexdigest()
        return cls(name, io.BytesIO(content), rows, digest, len(content))

    def save(self, path: Path) -> None:
        """Copy the file to `path` in pieces (through a temporary name) and close it."""
        part = path.with_name(path.name + ".part")
        with part.open("wb") as target:
            for piece in self.chunks(1 << 20):
                target.write(piece)
        part.replace(path)

    @property
    def content(self) -> bytes:
        """Read the whole file and close it (small files, tests); large ones go by `chunks`."""
        with self.file:
            self.file.seek(0)
            return self.file.read()

    def chunks(self, size: int = 1 << 16) -> Iterator[bytes]:
        """Yield the file in pieces and close it: a response streams it with flat memory."""
        try:
            self.file.seek(0)
            while piece := self.file.read(size):
                yield piece
        finally:
            self.file.close()


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


class _Counted:
    """The rows of a sheet, counted as a writer takes them."""

    def __init__(self, rows: Iterable[Sequence[Value]]) -> None:
        self.rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[Sequence[Value]]:
        for row in self.rows:
            self.count += 1
            yield row


def write_csv(sheet: Sheet, out: IO[bytes]) -> int:
    """Write the sheet as CSV in UTF-8 with a BOM (Excel and WPS then read Chinese); count rows."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    text.write("\ufeff")
    writer = csv.writer(text, lineterminator="\r\n")
    width = len(sheet.fieldnames)
    for line in sheet.title_lines:
        writer.writerow([defuse(line)] + [""] * (width - 1))
    if sheet.groups:
        writer.writerow([defuse(cell) for cell in _group_row(sheet)])
    writer.writerow([defuse(name) for name in sheet.fieldnames])
    rows = _Counted(sheet.rows)
    writer.writerows([defuse(plain(cell)) for cell in row] for row in rows)
    for line in sheet.notes:
        writer.writerow([defuse(line)] + [""] * (width - 1))
    text.flush()
    text.detach()
    return rows.count


def render_csv(sheet: Sheet) -> bytes:
    """Return the sheet as CSV bytes (small sheets; large ones go through `export_file`)."""
    out = io.BytesIO()
    write_csv(sheet, out)
    return out.getvalue()


def display_width(text: str) -> int:
    """Return how many terminal columns `text` takes (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _xlsx_value(value: object) -> object:
    """Return a rate as a percentage cell and anything else (a date) as its text."""
    if isinstance(value, Rate):
        percent = value.percent
        if percent is None:
            return NO_VALUE
        return xlsx.Cell(float(percent / 100), number=xlsx.PERCENT)
    return plain(value)  # type: ignore[arg-type]


def _xlsx_rows(
    sheet: Sheet, writer: xlsx.RowWriter, rows: Iterable[Sequence[Value]]
) -> Iterator[str]:
    number = 0
    for line in sheet.title_lines:
        number += 1
        yield writer.row(number, [xlsx.Cell(line, font=xlsx.TITLE if number == 1 else xlsx.PLAIN)])
    if sheet.groups:
        number += 1
        yield writer.row(
            number,
            [xlsx.Cell(label, font=xlsx.BOLD) if label else "" for label in _group_row(sheet)],
        )
    number += 1
    yield writer.row(number, [xlsx.Cell(name, font=xlsx.BOLD) for name in sheet.fieldnames])
    for values in rows:
        number += 1
        yield writer.row(number, values)
    for line in sheet.notes:
        number += 1
        yield writer.row(number, [line])


def _layout(sheet: Sheet, sample: list[Sequence[Value]]) -> xlsx.Layout:
    width = len(sheet.fieldnames)
    widths = [display_width(name) for name in sheet.fieldnames]
    for values in sample:
        for index, value in enumerate(values):
            widths[index] = max(widths[index], display_width(plain(value)))
    last = xlsx.column_letter(width)
    merged = [f"A{n}:{last}{n}" for n in range(1, len(sheet.title_lines) + 1) if width > 1]
    header = len(sheet.title_lines) + (1 if sheet.groups else 0) + 1
    if sheet.groups:
        start = 1
        for _label, span in sheet.groups:
            if span > 1:
                end = xlsx.column_letter(start + span - 1)
                merged.append(f"{xlsx.column_letter(start)}{header - 1}:{end}{header - 1}")
            start += span
    return xlsx.Layout(
        widths=[min(max(size + 2, 6), 40) for size in widths],
        freeze=(1 if sheet.groups else 0, header),
        merged=merged,
    )


def write_xlsx(sheet: Sheet, out: IO[bytes]) -> int:
    """Write the sheet as an XLSX workbook with one worksheet, streaming its rows; count them."""
    text = frozenset(i for i, name in enumerate(sheet.fieldnames) if name in sheet.text_columns)
    rows = iter(sheet.rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    counted = _Counted(chain(sample, rows))
    writer = xlsx.RowWriter(text=text, convert=_xlsx_value)
    xlsx.write_workbook(
        out,
        sheet_name=sheet.name,
        rows=_xlsx_rows(sheet, writer, counted),
        layout=_layout(sheet, sample),
    )
    return counted.count


def render_xlsx(sheet: Sheet) -> bytes:
    """Return the sheet as XLSX bytes (small sheets; large ones go through `export_file`)."""
    out = io.BytesIO()
    write_xlsx(sheet, out)
    return out.getvalue()


def export_file(sheet: Sheet, *, name: str, fmt: str) -> ExportFile:
    """Write the sheet as `xlsx` or `csv` to a temporary file and hash it, for streaming."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by sender)
    try:
        rows = write_xlsx(sheet, spool) if fmt == "xlsx" else write_csv(sheet, spool)
        spool.seek(0)
        digest = hashlib.sha256()
        size = 0
        while piece := spool.read(1 << 20):
            digest.update(piece)
            size += len(piece)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return ExportFile(name, spool, rows, digest.hexdigest(), size)


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
