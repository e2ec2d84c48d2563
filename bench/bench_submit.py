"""Benchmark: acknowledged applications per second through the whole flow, against gunicorn.

Each client does what a person does: GET the form, POST the answers (check-answers page), POST
"确认提交" (303), GET the confirmation page and read the reference in `id="reference"`. A
submission counts when its reference is read. Latency is that of the whole flow (4 requests).
In the same run, the same clients POST to a minimal Flask endpoint that inserts one comparable
row with the same durability (same Store: SQLite WAL + synchronous=FULL + BEGIN IMMEDIATE, or
PostgreSQL with synchronous_commit=on) as the baseline. Afterwards every acknowledged reference
must be in the database ("lost" must be 0).

    .venv/bin/python bench/bench_submit.py                 # 2 and 4 workers, SQLite and PostgreSQL
    .venv/bin/python bench/bench_submit.py --seconds 5 --workers 2 --databases sqlite
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from form_service.forms.flows import REAL_NAME, TrainingForm  # noqa: E402
from form_service.store import Store, migrate  # noqa: E402
from tests.support.http import CSRF, KEY, REFERENCE  # noqa: E402
from tests.support.http import request as send  # noqa: E402
from tests.support.load import answers, open_course  # noqa: E402

POSTGRES_URL = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql+psycopg://root@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


# --- the minimal baseline app (loaded by gunicorn as `bench_submit:minimal_app()`) -----------

# The training flow's answers, one text column each: the same payload as the real flow stores.
BASELINE_COLUMNS = (
    *REAL_NAME,
    "course_id",
    *TrainingForm.flow_fields,
    "consent",
    "reference",
)
baseline_rows = sa.Table(
    "bench_rows",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    *(sa.Column(name, sa.Text, nullable=False) for name in BASELINE_COLUMNS),
)


def minimal_app():  # type: ignore[no-untyped-def]
    """A Flask app that validates ~10 fields and inserts one row per POST, nothing else."""
    from flask import Flask, request

    app = Flask("minimal")
    store = Store(os.environ["BENCH_DATABASE_URL"])

    @app.post("/submit")
    def submit():  # type: ignore[no-untyped-def]
        form = request.form
        values = {name: form.get(name, "") for name in BASELINE_COLUMNS if name != "reference"}
        if not (2 <= len(values["name"]) <= 50 and re.fullmatch(r"1[3-9]\d{9}", values["phone"])):
            return "bad", 400
        values["reference"] = secrets.token_hex(4).upper()
        with store.write() as conn:
            conn.execute(baseline_rows.insert().values(**values))
        return values["reference"], 201

    return app


# --- the load: processes of threads, each thread one client ---------------------------------


def _post_step(
    port: int, fields: list[tuple[str, str]], action: str, cookie: str
) -> tuple[int, dict[str, str], bytes]:
    """Post the training form's answers with `action` (continue: check; submit: send)."""
    body = urllib.parse.urlencode([*fields, ("action", action)]).encode()
    return send(port, "POST", "/apply/training", body, cookie)


def _flow(port: int, n: int, course: str, unit: str) -> str | None:
    """One person's whole flow; return the reference read on the confirmation page."""
    status, headers, page = send(port, "GET", f"/apply/training?course={course}")
    csrf, key = CSRF.search(page), KEY.search(page)
    if status != 200 or not csrf or not key:
        return None
    cookie = headers.get("set-cookie", "").split(";", 1)[0]
    fields = [("csrf_token", csrf.group(1).decode()), ("idempotency_key", key.group(1).decode())]
    fields += answers(n, course, unit)
    checked, _, _ = _post_step(port, fields, "continue", cookie)
    if checked != 200:
        return None
    status, headers, _ = _post_step(port, fields, "submit", cookie)
    if status != 303:
        return None
    status, _, page = send(port, "GET", headers["location"], cookie=cookie)
    found = REFERENCE.search(page)
    return found.group(1).decode() if status == 200 and found else None


def _post_minimal(port: int, n: int, course: str, unit: str) -> str | None:
    values = dict(answers(n, course, unit))
    values["consent"] = "y"
    status, _, body = send(port, "POST", "/submit", urllib.parse.urlencode(values).encode())
    return body.decode() if status == 201 else None


def _client_process(
    kind: str,
    port: int,
    threads: int,
    first: int,
    start: float,
    stop: float,
    course: str,
    unit: str,
    out: mp.Queue,
) -> None:  # type: ignore[type-arg]
    action = _flow if kind == "flow" else _post_minimal
    results: list[tuple[float, float, str | None]] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        n = first + index * 20_000
        while time.time() < start:
            time.sleep(0.001)
        while time.time() < stop:
            wall, began = time.time(), time.perf_counter()
            try:
                reference = action(port, n, course, unit)
            except OSError:
                reference = None
            ended = time.perf_counter()
            with lock:
                results.append((wall, ended - began, reference))
            n += 1

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    out.put((results, time.process_time()))


def run_load(
    kind: str, port: int, *, clients: int, seconds: float, warmup: float, course: str, unit: str
) -> dict[str, object]:
    processes = min(4, clients)
    start = time.time() + 0.5
    measure_from, stop = start + warmup, start + warmup + seconds
    queue: mp.Queue = mp.Queue()  # type: ignore[type-arg]
    procs = [
        mp.Process(
            target=_client_process,
            args=(kind, port, clients // processes, p * 100_000, start, stop, course, unit, queue),
        )
        for p in range(processes)
    ]
    for proc in procs:
        proc.start()
    parts = [queue.get() for _ in procs]
    for proc in procs:
        proc.join()
    results = [item for part, _cpu in parts for item in part]
    client_cpu = sum(cpu for _part, cpu in parts)
    measured = [(b, d, r) for b, d, r in results if b >= measure_from]
    ok = [d for _, d, r in measured if r]
    return {
        "done": len(results),
        "client_cpu_ms": client_cpu * 1000 / max(1, len(results)),
        "acknowledged": len(ok),
        "failed": len(measured) - len(ok),
        "per_second": len(ok) / seconds,
        "p50_ms": statistics.median(ok) * 1000 if ok else float("nan"),
        "p99_ms": statistics.quantiles(ok, n=100)[98] * 1000 if len(ok) >= 100 else float("nan"),
        "references": sorted({r for _, _, r in results if r}),
    }


# --- servers and databases -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(port: int, path: str, deadline: float = 30) -> None:
    end = time.time() + deadline
    while time.time() < end:
        try:
            send(port, "GET", path)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on {port} did not start")


def start_gunicorn(
    app: str, workers: int, env: dict[str, str], chdir: Path
) -> tuple[subprocess.Popen, int]:  # type: ignore[type-arg]
    port = free_port()
    command = [
        GUNICORN,
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--backlog",
        "2048",
        "--chdir",
        str(chdir),
        app,
    ]
    proc = subprocess.Popen(command, env=env, start_new_session=True)
    return proc, port


def cpu_seconds(root: int) -> float:
    """User + system CPU of a process and its descendants (Linux /proc), in seconds."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    tree, changed = {root}, True
    while changed:
        before = len(tree)
        tree |= {pid for pid, parent in parents.items() if parent in tree}
        changed = len(tree) != before
    return sum(times.get(pid, 0.0) for pid in tree)


def stop(proc: subprocess.Popen) -> None:  # type: ignore[type-arg]
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def fresh_database(kind: str, folder: Path) -> tuple[str, callable]:  # type: ignore[valid-type]
    if kind == "sqlite":
        return f"sqlite:///{folder / 'bench.db'}", lambda: None
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = sa.make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})

    def drop() -> None:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()

    return url.render_as_string(hide_password=False), drop


def redis_reachable() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
        return True
    except Exception:  # any failure means "use memory storage"
        return False


def verify(url: str, table: str, column: str, acknowledged: list[str]) -> int:
    store = Store(url)
    with store.read() as conn:
        present = set(conn.execute(sa.text(f"SELECT {column} FROM {table}")).scalars())
    store.dispose()
    return len(set(acknowledged) - present)


def one_case(
    database: str, workers: int, args: argparse.Namespace, course: str, unit: str
) -> list[dict[str, object]]:
    folder = Path(tempfile.mkdtemp(prefix="bench-submit-"))
    rows = []
    try:
        for kind in ("flow", "minimal"):
            (folder / kind).mkdir()
            url, drop = fresh_database(database, folder / kind)
            store = Store(url)
            if kind == "flow":
                migrate.upgrade(store)
            else:
                with store.write() as conn:
                    baseline_rows.create(conn)
            store.dispose()
            env = {
                **os.environ,
                "PORTAL_DATABASE_URL": url,
                "BENCH_DATABASE_URL": url,
                "PORTAL_TODAY": os.environ.get("PORTAL_TODAY", "2011-07-01"),
                "PORTAL_DATA_DIR": str(folder),
                "PORTAL_ENV": "development",
                "PORTAL_SECRET_KEY": secrets.token_urlsafe(32),
                "PORTAL_ID_KEY": secrets.token_urlsafe(32),
                "PORTAL_RATELIMIT_SUBMIT": "10000000/minute",
                "PORTAL_RATELIMIT_SUBMIT_ADDRESS": "10000000/minute",
                "PORTAL_WORKERS": str(workers),
                "PYTHONPATH": str(ROOT),
            }
            if workers > 1 and args.redis:
                env["PORTAL_RATELIMIT_STORAGE_URL"] = REDIS_URL
            app = "form_service.wsgi:app" if kind == "flow" else "bench_submit:minimal_app()"
            proc, port = start_gunicorn(
                app, workers, env, ROOT if kind == "flow" else ROOT / "bench"
            )
            try:
                wait_until_up(port, "/healthz" if kind == "flow" else "/")
                cpu_before = cpu_seconds(proc.pid)
                result = run_load(
                    kind,
                    port,
                    clients=args.clients,
                    seconds=args.seconds,
                    warmup=args.warmup,
                    course=course,
                    unit=unit,
                )
                done = int(result.pop("done"))  # type: ignore[call-overload]
                result["server_cpu_ms"] = (cpu_seconds(proc.pid) - cpu_before) * 1000 / max(1, done)
            finally:
                stop(proc)
            table, column = (
                ("applications", "reference") if kind == "flow" else ("bench_rows", "reference")
            )
            lost = verify(url, table, column, result.pop("references"))  # type: ignore[arg-type]
            drop()
            rows.append(
                {"kind": kind, "database": database, "workers": workers, "lost": lost, **result}
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    args = parser.parse_args()
    args.redis = redis_reachable()
    os.environ.setdefault("PORTAL_TODAY", "2011-07-01")
    course, unit = open_course()
    rows = []
    for database in args.databases:
        for workers in args.workers:
            rows.extend(one_case(database, workers, args, course, unit))
    print(
        f"\n{args.clients} clients, {args.seconds:g} s (after {args.warmup:g} s warm-up), course {course}; "
        f"rate-limit storage {'Redis' if args.redis else 'memory'} with >1 worker\n"
    )
    print(
        "| what | database | workers | acknowledged/s | p50 ms | p99 ms | acknowledged | failed "
        "| lost | vs minimal | server CPU ms | client CPU ms | CPU ceiling/s |"
    )
    print(
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    minimal = {
        (r["database"], r["workers"]): r["per_second"] for r in rows if r["kind"] == "minimal"
    }
    cores = os.cpu_count() or 1
    for r in rows:
        label = "whole flow (4 requests)" if r["kind"] == "flow" else "minimal insert (1 POST)"
        ratio = (
            r["per_second"] / minimal[(r["database"], r["workers"])]
            if minimal.get((r["database"], r["workers"]))
            else float("nan")
        )  # type: ignore[operator]
        # CPU per flow (or per POST): if the machine did nothing else, at most this many per second.
        ceiling = cores * 1000 / (r["server_cpu_ms"] + r["client_cpu_ms"])  # type: ignore[operator]
        print(
            f"| {label} | {r['database']} | {r['workers']} | {r['per_second']:.0f} "
            f"| {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['acknowledged']} | {r['failed']} "
            f"| {r['lost']} | {ratio:.2f} | {r['server_cpu_ms']:.2f} | {r['client_cpu_ms']:.2f} "
            f"| {ceiling:.0f} |"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
