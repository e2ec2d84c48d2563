"""How long the statistics return and the real-name register take for N applications.

    .venv/bin/python bench/bench_staff.py [--count 100000] [--database URL] [--runs 3]

Fills a fresh store (a temporary SQLite file unless --database names an empty PostgreSQL
schema) with N synthetic applications and their dated outcomes in bulk, then times, in this
process, what staff do on a reporting day: the city return for both cut-offs, one unit's
return, and the real-name register city-wide (CSV and XLSX) and for one unit. Prints a table
(median of --runs) with rows and the process's peak memory. Timings vary by machine: compare
ratios within one run, never assert them.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from form_service.applications.identity import check_character  # noqa: E402
from form_service.reports import register as exports  # noqa: E402
from form_service.reports.spreadsheets import export_file  # noqa: E402
from form_service.reports.statistics_sheet import build_return  # noqa: E402
from form_service.store import Store, migrate  # noqa: E402
from form_service.store.crypto import IdentityCipher  # noqa: E402
from form_service.store.tables import applications, outcomes  # noqa: E402
from site_builder.catalog import Catalogue, load_catalogue  # noqa: E402

BATCH = 2_000
GROUPS = ("农民工", "下岗失业人员", "困难职工家庭高校毕业生", "就业困难人员")


def fill(store: Store, catalogue: Catalogue, cipher: IdentityCipher, count: int) -> int:
    """Insert `count` applications with 在训/结业/证书/就业/创业/录入 outcomes; return outcomes."""
    rng = random.Random(2011)
    units = [u.id for u in catalogue.active_districts() + catalogue.industry_unions()]
    courses = list(catalogue.courses.values())
    now = datetime(2011, 7, 1, tzinfo=UTC)
    made = 0
    for start in range(0, count, BATCH):
        rows, stories = [], []
        for number in range(start, min(start + BATCH, count)):
            born = date(1960, 1, 1) + timedelta(days=rng.randrange(14_000))
            body = f"3101{rng.randint(1, 20):02d}{born:%Y%m%d}{number % 1000:03d}"
            person = body + check_character(body)
            course = rng.choice(courses) if rng.random() < 0.75 else None
            flow = {"skills": "training"}.get(course.kind, course.kind) if course else "jobseeker"
            phone = f"139{rng.randrange(10**8):08d}"
            rows.append(
                {
                    "reference": f"B{number:07d}",
                    "flow": flow,
                    "course_id": course.id if course else None,
                    "unit_id": rng.choice(units),
                    "state": "结业" if course else "已推荐",
                    "waitlisted": False,
                    "name": "测试" + str(number),
                    "id_number_encrypted": cipher.encrypt(person),
                    "id_number_hash": cipher.keyed_hash(person),
                    "id_last4": person[-4:],
                    "phone_encrypted": cipher.encrypt(phone),
                    "phone_hash": cipher.keyed_hash(phone),
                    "phone_last4": phone[-4:],
                    "gender": "男",
                    "birth_date": date(1980, 1, 1),
                    "household_place": "外省市",
                    "household_type": "农业",
                    "target_groups": [rng.choice(GROUPS)],
                    "education": "初中",
                    "employment_status": "在岗",
                    "details": {},
                    "consent_version": "bench",
                    "consent_at": now,
                    "idempotency_key": secrets.token_hex(16),
                    "dedupe_key": None,
                    "created_at": now,
                    "updated_at": now,
                    "is_demo": True,
                }
            )
            stories.append(course)
        with store.write() as conn:
            ids = (
                conn.execute(applications.insert().returning(applications.c.id), rows)
                .scalars()
                .all()
            )
            facts = []
            for app_id, course in zip(ids, stories, strict=True):
                day = date(2011, 7, 1) + timedelta(days=rng.randrange(150))
                kinds = (
                    ["enrolment", "completion", "certificate", "employment", "realname"]
                    if course
                    else ["employment"]
                )
                if course and course.kind == "entrepreneurship":
                    kinds = ["enrolment", "completion", "business", "realname"]
                for offset, kind in enumerate(kinds):
                    facts.append(
                        {
                            "application_id": app_id,
                            "kind": kind,
                            "happened_on": day + timedelta(days=10 * offset),
                            "occupation": "电工",
                            "level": rng.choice(("五级", "四级", "专项职业能力")),
                            "cert_number": "",
                            "employer": "某公司",
                            "contract_months": rng.choice((6, 12, 24)),
                            "business_name": "",
                            "jobs_created": 2,
                            "note": "",
                            "recorded_by": "bench",
                            "recorded_at": now,
                        }
                    )
            conn.execute(outcomes.insert(), facts)
            made += len(facts)
    return made


def statistics_return(
    store: Store, catalogue: Catalogue, cutoff: date, unit: str | None = None
) -> Callable[[], int]:
    """Return a case building the 统计表 at `cutoff` for `unit` (None: the city); it counts rows."""

    def run() -> int:
        with store.read() as conn:
            result, _sheet = build_return(conn, catalogue=catalogue, cutoff=cutoff, unit_id=unit)
        return len(result.rows)

    return run


def _time(action: Callable[[], int], runs: int) -> tuple[float, int]:
    seconds, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        size = action()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--database", default="")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("PORTAL_TODAY", "2011-12-01")
    folder = tempfile.mkdtemp(prefix="bench-staff-")
    url = args.database or f"sqlite:///{folder}/portal.db"
    store = Store(url)
    migrate.upgrade(store)
    catalogue = load_catalogue(ROOT / "content")
    cipher = IdentityCipher("bench-id-key-" + "x" * 32)
    started = time.perf_counter()
    facts = fill(store, catalogue, cipher, args.count)
    print(
        f"store: {store.dialect}, {args.count:,} applications, {facts:,} outcomes, "
        f"filled in {time.perf_counter() - started:.1f} s"
    )

    def stats(cutoff: date, unit: str | None = None) -> Callable[[], int]:
        return statistics_return(store, catalogue, cutoff, unit)

    def register(fmt: str, unit: str | None = None) -> Callable[[], int]:
        scope = catalogue.units_reporting_to(unit)

        def run() -> int:
            with store.read() as conn:
                rows = exports.register_rows(conn, cipher=cipher, catalogue=catalogue, scope=scope)
                made = export_file(exports.register_sheet(rows), name="register", fmt=fmt)
            made.file.close()
            return made.rows

        return run

    def baseline() -> int:
        # The machine's speed in this run: read every outcome row, no processing.
        with store.read() as conn:
            return len(conn.execute(sa.select(outcomes.c.id, outcomes.c.kind)).all())

    cases = [
        ("baseline: read all outcome ids (Core)", baseline),
        ("统计表 city, cut-off 2011-08-31", stats(date(2011, 8, 31))),
        ("统计表 city, cut-off 2011-11-30", stats(date(2011, 11, 30))),
        ("统计表 one unit (杨浦), 2011-11-30", stats(date(2011, 11, 30), "yangpu")),
        ("实名制台账 city, CSV", register("csv")),
        ("实名制台账 city, XLSX", register("xlsx")),
        ("实名制台账 one unit (杨浦), XLSX", register("xlsx", "yangpu")),
    ]
    print(f"\n| task ({args.runs} runs, median) | rows out | seconds | × baseline |")
    print("| --- | ---: | ---: | ---: |")
    base = 0.0
    for label, action in cases:
        seconds, size = _time(action, args.runs)
        base = base or seconds
        print(f"| {label} | {size:,} | {seconds:.2f} | {seconds / base:.1f} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()[0]
    print(
        f"\npeak memory of the process: {peak:.0f} MiB; load average {load:.1f} on {os.cpu_count()} cores"
    )
    store.dispose()


if __name__ == "__main__":
    main()
