"""Programme operations at city scale: a 10,000-row import, the city register, the city 统计表.

    .venv/bin/python bench/bench_operations.py [--count 100000] [--import-rows 10000] [--database URL]

Fills a fresh store (temporary SQLite unless --database names an empty PostgreSQL schema) with
N applications and their dated outcomes (`bench_staff.fill`), then times, in this process:
importing a class list of --import-rows people from an XLSX file (checked whole, stored in one
transaction), the city-wide register as XLSX and CSV, and the city 统计表 at both cut-offs.
Beside them, in the same run, the baselines: openpyxl's write-only mode and XlsxWriter's
constant-memory mode writing the same register rows (already in memory, nothing else to do),
and openpyxl reading the import file without checking anything. "extra MiB" is the highest
resident memory during the task above what the process held when it started (sampled every
10 ms). Timings vary by machine and load: compare within one run, never assert them.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_staff import fill, statistics_return  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from form_service.accounts.audit import Actor  # noqa: E402
from form_service.applications.identity import check_character  # noqa: E402
from form_service.imports.signup_import import import_signups  # noqa: E402
from form_service.imports.template import SIGNUP_COLUMNS  # noqa: E402
from form_service.reports import register  # noqa: E402
from form_service.reports.spreadsheets import export_file  # noqa: E402
from form_service.store import Store, migrate  # noqa: E402
from form_service.store.crypto import IdentityCipher  # noqa: E402
from site_builder.catalog import load_catalogue  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


class Peak:
    """The highest resident memory while a task runs, above what it started with."""

    def __enter__(self) -> Peak:
        self.start = self.peak = _rss()
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self) -> None:
        while self.running:
            self.peak = max(self.peak, _rss())
            time.sleep(0.01)

    def __exit__(self, *_exc: object) -> None:
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, _rss())

    @property
    def extra_mib(self) -> float:
        return (self.peak - self.start) / 2**20


def _class_list(rows: int, courses: list[str]) -> bytes:
    """An XLSX class list of `rows` new people (the template's columns), round the courses."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("名单")
    sheet.append(list(SIGNUP_COLUMNS))
    for n in range(rows):
        body = f"320102{1960 + n // 1000}0{1 + n % 9}1{n % 9}{n % 1000:03d}"
        number = body + check_character(body)
        name = "导入" + "".join("零壹贰叁肆伍陆柒捌玖"[int(d)] for d in str(n))
        sheet.append([name, number, f"137{n:08d}", "农业", "外省市", "初中", "农民工", "在岗",
                      "", "", courses[n % len(courses)], "2011-07-15", "培训科档案柜"])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--database", default="")
    args = parser.parse_args()
    os.environ.setdefault("PORTAL_TODAY", "2011-12-01")
    folder = tempfile.mkdtemp(prefix="bench-operations-")
    store = Store(args.database or f"sqlite:///{folder}/portal.db")
    migrate.upgrade(store)
    catalogue = load_catalogue(ROOT / "content")
    cipher = IdentityCipher("bench-id-key-" + "x" * 32)
    started = time.perf_counter()
    outcomes = fill(store, catalogue, cipher, args.count)
    print(f"store: {store.dialect}, {args.count:,} applications, {outcomes:,} outcomes, "
          f"filled in {time.perf_counter() - started:.1f} s")  # fmt: skip
    courses = sorted(c.id for c in catalogue.courses.values() if c.kind == "skills")
    class_list = _class_list(args.import_rows, courses)
    with store.read() as conn:
        rows = list(register.register_rows(conn, cipher=cipher, catalogue=catalogue, scope=None))

    def import_run() -> int:
        made = import_signups(store, file="名单.xlsx", data=class_list, catalogue=catalogue,
                              cipher=cipher, unit_id=None, by=Actor("bench"), today=date(2011, 12, 1))  # fmt: skip
        return made.count("added")

    def read_only() -> int:
        book = load_workbook(io.BytesIO(class_list), read_only=True)
        count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)) - 1
        book.close()
        return count

    def ours(fmt: str) -> Callable[[], int]:
        def run() -> int:
            with store.read() as conn:
                made = export_file(register.register_sheet(register.register_rows(
                    conn, cipher=cipher, catalogue=catalogue, scope=None)), name="r", fmt=fmt)  # fmt: skip
            made.file.close()
            return made.rows

        return run

    def openpyxl_baseline() -> int:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("实名制台账")
        sheet.append(list(register.FIELDS))
        for row in rows:
            sheet.append(row)
        book.save(io.BytesIO())
        return len(rows)

    def xlsxwriter_baseline() -> int:
        import xlsxwriter

        with tempfile.NamedTemporaryFile(suffix=".xlsx") as target:
            book = xlsxwriter.Workbook(target.name, {"constant_memory": True})
            sheet = book.add_worksheet("实名制台账")
            sheet.write_row(0, 0, register.FIELDS)
            for number, row in enumerate(rows, start=1):
                sheet.write_row(number, 0, [str(v) if isinstance(v, date) else v for v in row])
            book.close()
        return len(rows)

    cases: list[tuple[str, Callable[[], int]]] = [
        (f"baseline: openpyxl reads the {args.import_rows:,}-row XLSX (no checks)", read_only),
        (f"import {args.import_rows:,} rows (XLSX, checked whole, one transaction)", import_run),
        ("baseline: openpyxl write-only, register rows already in memory", openpyxl_baseline),
        (
            "baseline: XlsxWriter constant_memory, register rows already in memory",
            xlsxwriter_baseline,
        ),
        ("实名制台账 city, XLSX (read, decrypt, write, hash)", ours("xlsx")),
        ("实名制台账 city, CSV", ours("csv")),
        ("统计表 city, cut-off 2011-08-31", statistics_return(store, catalogue, date(2011, 8, 31))),
        (
            "统计表 city, cut-off 2011-11-30",
            statistics_return(store, catalogue, date(2011, 11, 30)),
        ),
    ]
    print("\n| task | rows | seconds | extra MiB |")
    print("| --- | ---: | ---: | ---: |")
    for label, action in cases:
        try:
            with Peak() as peak:
                begun = time.perf_counter()
                size = action()
                seconds = time.perf_counter() - begun
        except ImportError as missing:
            print(f"| {label} | — | not run ({missing.name} not installed) | — |")
            continue
        print(f"| {label} | {size:,} | {seconds:.2f} | {peak.extra_mib:.0f} |")
    load = os.getloadavg()[0]
    print(f"\nload average {load:.1f} on {os.cpu_count()} cores; the register rows held for the "
          f"baselines are in the process throughout")  # fmt: skip
    store.dispose()


if __name__ == "__main__":
    main()
