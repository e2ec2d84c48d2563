"""Benchmark: how long a one-listing edit takes to reach the public site, and a full build,
against a bare MkDocs + Material build of the same number of pages (same theme, language, short
navigation and jieba search), all measured in this run, each in a fresh process.

- `full build`: `portal build` of the whole content (cold: no QR cache; warm: a build again);
- `one-listing publish`: a console save of one course (`capacity` + 1: round-trip rewrite and the
  whole-catalogue check), then 「发布网站」: once forced to render every page (full rebuild),
  once as it runs by default (incremental: MkDocs renders only the pages whose Markdown changed,
  over a copy of the live site; see site_builder/incremental.py);
- `bare mkdocs`: `mkdocs build` of plain pages (bench_build.plain_project).

A fresh process pays Python's start and the imports (MkDocs, Material, Jinja2, the catalogue)
before it publishes, which the console's publish, in the long-lived form service, pays once:
the incremental publish is shown three ways, the whole process (save included), the publish
alone in that process, and the publish as a process that has published before makes it.

The machine may be shared: the warm build and the bare build are run `--repeat` times, taking
turns, and each keeps its fastest run (the one least slowed by other work), so the ratio
compares the two under the same conditions. The one-listing publishes are run `--repeat` times
too, and the table shows their medians.

    .venv/bin/python bench/bench_publish.py                 # real content (23) and 1,000 listings
    .venv/bin/python bench/bench_publish.py --sizes 0 1000  # 0 = the real content as it is
    .venv/bin/python bench/bench_publish.py --repeat 5      # best of 5 (default 3)
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import _run, plain_project, scaled_content  # noqa: E402


def _force_full(site: Path) -> None:
    """Forget the last build's record and pages, so the next build renders every page (no
    `dirty`, no listing page kept from the last build)."""
    from site_builder import incremental, page_memo, swap

    incremental.forget(swap.work_dir(site))
    page_memo.forget(swap.work_dir(site))


def worker_full(content: Path, site: Path) -> None:
    """Build and publish the whole site, every page rendered; print the seconds as JSON."""
    from site_builder.publish import build_and_publish

    _force_full(site)
    started = time.perf_counter()
    build_and_publish(content_dir=content, site_dir=site)
    print(json.dumps({"publish": time.perf_counter() - started}))


def worker_one(content: Path, site: Path, *, full: bool = False, again: bool = False) -> None:
    """Save one course as the console does, then publish; print both seconds as JSON.

    With `again`, save and publish once untimed first, as a long-lived process would have.
    """
    if again:
        _save_and_publish(content, site)
    if full:
        _force_full(site)
    print(json.dumps(_save_and_publish(content, site)))


def _save_and_publish(content: Path, site: Path) -> dict[str, float]:
    from site_builder.editing import changes, documents, formfields
    from site_builder.editing import collections as c
    from site_builder.publish import build_and_publish

    started = time.perf_counter()
    entry = c.index(content, c.COURSES)[0]
    inputs = [i for i in formfields.form_fields(c.COURSES.fields, references={}) if i.key != "id"]
    data = entry.path.read_bytes()
    record = c.record_in(documents.Document(data.decode()).data, c.COURSES, entry.position)
    values = formfields.values_of(record, inputs)
    values["capacity"] = str(int(str(values["capacity"])) + 1)
    with documents.edit_lock(content):
        prepared = changes.prepare_edit(content, collection=c.COURSES, record_id=entry.id,
                                        values=values, version=documents.version_of(data),
                                        inputs=inputs, allowed_units=None)  # fmt: skip
        assert prepared.outcome == changes.READY, prepared
        documents.write_atomically(entry.path, prepared.after)
    saved = time.perf_counter()
    build_and_publish(content_dir=content, site_dir=site)
    return {"save": saved - started, "publish": time.perf_counter() - saved}


def measure(size: int, scratch: Path, *, repeat: int) -> dict[str, Any]:
    content = scratch / f"content-{size}"
    counts = scaled_content(content, size)
    site = scratch / f"site-{size}" / "site"
    site.parent.mkdir()
    me = [sys.executable, __file__]
    row: dict[str, Any] = {"counts": counts}
    row["full cold"], _, _ = _run([*me, "--worker", "full", str(content), str(site)])
    pages = sum(1 for _ in site.rglob("index.html"))
    project = plain_project(scratch / f"plain-{size}", pages)
    out_dir = scratch / f"plain-{size}" / "site"
    warm, bare = [], []
    for _ in range(repeat):
        warm.append(_run([*me, "--worker", "full", str(content), str(site)])[0])
        shutil.rmtree(out_dir, ignore_errors=True)  # bare MkDocs starts from nothing each time
        bare.append(_run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project),
                          "-d", str(out_dir)])[0])  # fmt: skip
    row["full warm"], row["bare"], row["pages"] = min(warm), min(bare), pages
    row["one full"] = statistics.median(
        _run([*me, "--worker", "one-full", str(content), str(site)])[0] for _ in range(repeat)
    )
    # The first publish after a full build recycles a site that differs in every page; shown
    # apart from the ones after it, which differ in a few.
    row["one first"] = _run([*me, "--worker", "one", str(content), str(site)])[0]
    runs = []
    for _ in range(repeat):
        wall, _, out = _run([*me, "--worker", "one", str(content), str(site)])
        runs.append({**json.loads(out), "wall": wall})
    for key in ("wall", "save", "publish"):
        row[f"one {key}"] = statistics.median(run[key] for run in runs)
    row["one again"] = statistics.median(
        json.loads(_run([*me, "--worker", "one-again", str(content), str(site)])[2])["publish"]
        for _ in range(repeat)
    )
    return row


def report(rows: list[dict[str, Any]]) -> None:
    print(
        "| listings (courses/fairs/bases) | pages | bare MkDocs+Material | full build (cold) "
        "| full build (warm) | ÷ bare (warm) | one-listing publish, full rebuild "
        "| one-listing publish, incremental, first after a full build (process) "
        "| one-listing publish, incremental (process) | of which save | of which publish "
        "| incremental publish, in a process that published before |"
    )
    print("| --- |" + " ---: |" * 11)
    for row in rows:
        n = row["counts"]
        label = f"{n['courses'] + n['job_fairs']:,} ({n['courses']}/{n['job_fairs']}/{n['bases']})"
        print(
            f"| {label} | {row['pages']:,} | {row['bare']:.1f} s | {row['full cold']:.1f} s "
            f"| {row['full warm']:.1f} s | {row['full warm'] / row['bare']:.2f}× "
            f"| {row['one full']:.1f} s | {row['one first']:.1f} s | {row['one wall']:.1f} s | {row['one save']:.2f} s "
            f"| {row['one publish']:.2f} s | {row['one again']:.2f} s |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[0, 1000])
    parser.add_argument("--repeat", type=int, default=3, help="warm and bare builds, best of N")
    parser.add_argument(
        "--worker", nargs=3, metavar=("KIND", "CONTENT", "SITE"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.worker:
        kind, content, site = args.worker
        if kind == "full":
            worker_full(Path(content), Path(site))
        else:
            worker_one(
                Path(content), Path(site), full=kind == "one-full", again=kind == "one-again"
            )
        return
    with tempfile.TemporaryDirectory(prefix="bench-publish-") as scratch:
        rows = []
        for size in args.sizes:
            rows.append(measure(size, Path(scratch), repeat=args.repeat))
            print(f"measured {size or 'real content'}", file=sys.stderr)
        report(rows)


if __name__ == "__main__":
    main()
