"""A streaming XLSX writer: one worksheet, rows written straight into the zip as they come.

The city register is 100,000 rows of 26 columns. Library writers spend several microseconds on
every cell (openpyxl's write-only mode, XlsxWriter's constant-memory mode: 40–100 s and 9 s on
this machine); here a row is one formatted string, strings are inline (no shared-string table
to hold in memory), and the sheet XML goes through the zip's deflate stream in chunks, so memory
stays flat however many rows there are. The file is reproducible: fixed zip times and document
dates and one fixed table of cell formats, so the same rows give the same bytes.

What a cell can be: None or "" (no cell), int (a number), float with `percent` (0.0%), or text.
Text is an inline string cell: `text` columns get the `@` number format (Excel never turns an ID
number into 3.1E+17), a value a spreadsheet would read as a formula gets the quote prefix
(shown unchanged, never evaluated), characters XML cannot hold are dropped and CR becomes LF.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO
from xml.sax.saxutils import escape, quoteattr

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
ZIP_TIME = (2011, 1, 1, 0, 0, 0)
DOC_TIME = "2011-01-01T00:00:00Z"
CREATOR = "上海工会技能培训促就业行动"
CHUNK_ROWS = 500
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NEEDS_SPACE = re.compile(r"^\s|\s$|\n")
# A string needing more than copying: a formula trigger first, markup, control characters, or
# spaces at an end (kept only with xml:space).
_SPECIAL = re.compile(r"^[=+\-@\s]|[\x00-\x1f&<>\ufffe\uffff\ud800-\udfff]|\s$")

# Fonts: 0 plain, 1 bold, 2 bold 14pt (a title). Number formats: 0 General, 49 text, 164 0.0%.
PLAIN, BOLD, TITLE = 0, 1, 2
GENERAL, TEXT, PERCENT = 0, 49, 164


def column_letter(index: int) -> str:
    """Return the letters of a 1-based column number: 1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


LETTERS = tuple(column_letter(i) for i in range(1, 703))  # A … ZZ


def clean_text(value: str) -> str:
    """Return `value` as the cell will hold it: LF line ends, no characters XML forbids."""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL.sub("", value)


FONTS = (PLAIN, BOLD, TITLE)
NUMBERS = (GENERAL, TEXT, PERCENT)
# Every combination, in a fixed order: the styles part never depends on the rows written.
FORMATS = tuple((f, n, q) for f in FONTS for n in NUMBERS for q in (False, True))


def style_of(*, font: int = PLAIN, number: int = GENERAL, quote: bool = False) -> int:
    """Return the index of a cell format in the styles part."""
    return FORMATS.index((font, number, quote))


def styles_xml() -> str:
    """Return xl/styles.xml: three fonts, the formats above."""
    xfs = "".join(
        f'<xf numFmtId="{number}" fontId="{font}" fillId="0" borderId="0" xfId="0"'
        + (' applyNumberFormat="1"' if number else "")
        + (' applyFont="1"' if font else "")
        + (' quotePrefix="1"' if quote else "")
        + "/>"
        for font, number, quote in FORMATS
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>'
        '<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        f'</cellStyleXfs><cellXfs count="{len(FORMATS)}">{xfs}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


@dataclass(frozen=True)
class Cell:
    """A cell with a format of its own (headings, titles, percentages)."""

    value: str | int | float
    font: int = PLAIN
    number: int = GENERAL


@dataclass(frozen=True)
class Layout:
    """What the sheet shows around its rows: widths, frozen panes, merged ranges."""

    widths: Sequence[float] = ()
    freeze: tuple[int, int] = (0, 0)  # (columns, rows) kept in view
    merged: Sequence[str] = ()


class RowWriter:
    """Turns rows of values into `<row>` elements; `text` columns (0-based) are text cells.

    `convert` turns any other value (a date, a rate) into a str, int or `Cell` first.
    """

    def __init__(self, *, text: frozenset[int], convert: Callable[[object], object] = str) -> None:
        self.text = text
        self.convert = convert
        self.s_text = style_of(number=TEXT)
        self.s_quote = style_of(quote=True)
        self.s_text_quote = style_of(number=TEXT, quote=True)

    def row(self, number: int, values: Iterable[object]) -> str:
        """Return one `<row>` element for the values of row `number` (1-based)."""
        cells = []
        text, letters, at = self.text, LETTERS, str(number)
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            kind = type(value)
            if kind is not str and kind is not int and kind is not Cell:
                value = self.convert(value)
                kind = type(value)
            if kind is str:
                # Most cells: plain text that needs no escaping, format or prefix.
                if not (index in text or _SPECIAL.search(value)):  # type: ignore[call-overload]
                    cells.append(
                        f'<c r="{letters[index]}{at}" t="inlineStr"><is><t>{value}</t></is></c>'
                    )
                    continue
            elif kind is int:
                if index not in text:
                    cells.append(f'<c r="{letters[index]}{at}"><v>{value}</v></c>')
                    continue
                value = str(value)
            elif kind is Cell:
                cells.append(self._styled(letters[index] + at, value))  # type: ignore[arg-type]
                continue
            else:
                value = str(value)
            cells.append(self._text(letters[index] + at, value, text=index in text))  # type: ignore[arg-type]
        return f'<row r="{number}">{"".join(cells)}</row>'

    def _text(self, ref: str, value: str, *, text: bool, font: int = PLAIN) -> str:
        quote = value.startswith(FORMULA_TRIGGERS)
        value = clean_text(value)
        if font != PLAIN:
            style = style_of(font=font, number=TEXT if text else GENERAL, quote=quote)
        elif text:
            style = self.s_text_quote if quote else self.s_text
        else:
            style = self.s_quote if quote else 0
        s = f' s="{style}"' if style else ""
        space = ' xml:space="preserve"' if _NEEDS_SPACE.search(value) else ""
        return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'

    def _styled(self, ref: str, cell: Cell) -> str:
        if isinstance(cell.value, str):
            return self._text(ref, cell.value, text=cell.number == TEXT, font=cell.font)
        style = style_of(font=cell.font, number=cell.number)
        s = f' s="{style}"' if style else ""
        return f'<c r="{ref}"{s}><v>{cell.value!r}</v></c>'


def _sheet_head(layout: Layout) -> str:
    columns, rows = layout.freeze
    if columns or rows:
        pane = "bottomRight" if columns and rows else "bottomLeft" if rows else "topRight"
        corner = f"{column_letter(columns + 1)}{rows + 1}"
        split = (f' xSplit="{columns}"' if columns else "") + (f' ySplit="{rows}"' if rows else "")
        view = (
            f'<pane{split} topLeftCell="{corner}" activePane="{pane}" state="frozen"/>'
            f'<selection pane="{pane}" activeCell="{corner}" sqref="{corner}"/>'
        )
    else:
        view = ""
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
        for i, w in enumerate(layout.widths, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheetViews><sheetView workbookViewId="0">{view}</sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData>"
    )


def _sheet_tail(layout: Layout) -> str:
    merged = "".join(f'<mergeCell ref="{ref}"/>' for ref in layout.merged)
    tail = "</sheetData>"
    if merged:
        tail += f'<mergeCells count="{len(layout.merged)}">{merged}</mergeCells>'
    return (
        tail
        + '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/></worksheet>'
    )


def _package_parts(sheet_name: str) -> dict[str, str]:
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument"
    return {
        "[Content_Types].xml": head
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.spreadsheetml.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{ct}.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        f'<Override PartName="/docProps/app.xml" ContentType="{ct}.extended-properties+xml"/>'
        "</Types>",
        "_rels/.rels": head
        + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{rel}/extended-properties" Target="docProps/app.xml"/>'
        "</Relationships>",
        "docProps/app.xml": head
        + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>Microsoft Excel</Application></Properties>",
        "docProps/core.xml": head
        + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:creator>{escape(CREATOR)}</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{DOC_TIME}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{DOC_TIME}</dcterms:modified>'
        "</cp:coreProperties>",
        "xl/workbook.xml": head
        + f'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{rel}">'
        f"<bookViews><workbookView/></bookViews><sheets><sheet name={quoteattr(sheet_name)} "
        'sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": head
        + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/>'
        "</Relationships>",
        "xl/styles.xml": styles_xml(),
    }


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_workbook(
    out: IO[bytes],
    *,
    sheet_name: str,
    rows: Iterable[str],
    layout: Layout,
) -> None:
    """Write a one-sheet workbook to `out`; `rows` are `<row>` elements, consumed once."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as book:
        for name, text in _package_parts(sheet_name[:31]).items():
            book.writestr(_entry(name), text.encode())
        with book.open(_entry("xl/worksheets/sheet1.xml"), "w") as sheet:
            sheet.write(_sheet_head(layout).encode())
            chunk: list[str] = []
            for row in rows:
                chunk.append(row)
                if len(chunk) >= CHUNK_ROWS:
                    sheet.write("".join(chunk).encode())
                    chunk.clear()
            sheet.write(("".join(chunk) + _sheet_tail(layout)).encode())
