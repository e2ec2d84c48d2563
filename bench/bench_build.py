"""Benchmark: site build time and peak memory for the real content and content scaled up.

For each size the script runs, each in a fresh process so that imports and memory count:

- `ours`: what `portal build` does (load + validate, render, write docs + QR codes, MkDocs, publish),
  timed phase by phase, cold (no QR cache) and warm (QR codes cached from the previous build);
- `plain`: `mkdocs build` of the same number of plain pages (~1.5 KB of Chinese text each:
  a heading, a table and a list), same theme, language, search plugin and short navigation.

It prints one table: our phases, MkDocs' share, our overhead as a share of MkDocs' own time in
the same build, and the plain build beside it. Absolute times drift between machines; compare
the ratios measured in the same run.

    .venv/bin/python bench/bench_build.py                  # real content, 1,000 and 5,000 listings
    .venv/bin/python bench/bench_build.py --sizes 0 1000   # 0 = the real content as it is
    .venv/bin/python bench/bench_build.py --profile 1000   # where MkDocs spends its time
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
TODAY = "2011-07-01"
ENV = {**os.environ, "PORTAL_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"}


# ----------------------------------------------------------------------------- scaled content


def _replace_key(text: str, key: str, value: str) -> str:
    return re.sub(rf"(?m)^{key}: .*$", f"{key}: {value}", text, count=1)


def scaled_content(target: Path, listings: int) -> dict[str, int]:
    """Copy content/ and clone its courses, fairs and bases until there are `listings` listings."""
    shutil.copytree(CONTENT, target)
    if listings == 0:
        return _count(target)
    courses = sorted((CONTENT / "courses").glob("*.yaml"))
    fairs = sorted((CONTENT / "job_fairs").glob("*.yaml"))
    bases = sorted((CONTENT / "bases").glob("*.yaml"))
    # Keep the real mix: courses to fairs as in content/, about five courses per base.
    n_fairs = round(listings * len(fairs) / (len(courses) + len(fairs)))
    n_courses = listings - n_fairs
    n_bases = max(len(bases), n_courses // 5)
    for directory in ("courses", "job_fairs", "bases"):
        shutil.rmtree(target / directory)
        (target / directory).mkdir()
    base_ids = []
    for number in range(n_bases):
        source = bases[number % len(bases)].read_text(encoding="utf-8")
        base_id = f"b{number:05d}"
        base_ids.append(base_id)
        (target / f"bases/{base_id}.yaml").write_text(
            _replace_key(source, "id", base_id), encoding="utf-8"
        )
    for number in range(n_courses):
        source = courses[number % len(courses)].read_text(encoding="utf-8")
        text = _replace_key(source, "id", f"c{number:05d}")
        text = _replace_key(text, "base", base_ids[number % len(base_ids)])
        (target / f"courses/c{number:05d}.yaml").write_text(text, encoding="utf-8")
    for number in range(n_fairs):
        source = fairs[number % len(fairs)].read_text(encoding="utf-8")
        (target / f"job_fairs/f{number:05d}.yaml").write_text(
            _replace_key(source, "id", f"f{number:05d}"), encoding="utf-8"
        )
    return _count(target)


def _count(content: Path) -> dict[str, int]:
    return {
        kind: len(list((content / kind).glob("*.yaml")))
        for kind in ("courses", "job_fairs", "bases")
    }


# ----------------------------------------------------------------------------- workers


def worker_ours(content: Path, site: Path) -> None:
    """Run the steps of build_and_publish one by one, timing each; print JSON."""
    started = time.perf_counter()
    from site_builder import docs_folder, generator, posters, settings, swap
    from site_builder.catalog import load_catalogue, today
    from site_builder.render import render_site

    times: dict[str, float] = {"imports": time.perf_counter() - started}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        times[name] = now - since
        return now

    mark = time.perf_counter()
    work = swap.work_dir(site)
    with swap.sweeping(work):  # deletes the site the previous run retired, beside MkDocs
        catalogue = load_catalogue(content)
        mark = lap("load + validate", mark)
        site_data = render_site(catalogue, today=today(), site_url=settings.site_url())
        mark = lap("render", mark)
        pages = sum(1 for src in site_data.files if src.endswith(".md"))
        docs = work / "docs"
        staging = Path(tempfile.mkdtemp(dir=work, prefix="new-"))
        docs_folder.sync(site_data.files, docs_dir=docs)
        site_data.files.clear()
        mark = lap("write docs", mark)
        with posters.drawing(site_data.qr_codes, cache=work / "qr-cache") as place:
            generator.build_html(
                docs_dir=docs,
                out_dir=staging,
                nav=site_data.nav,
                site_name=site_data.name,
                site_url=settings.site_url(),
            )
            mark = lap("mkdocs", mark)
            place(staging)  # waits for the QR codes drawn beside MkDocs
            mark = lap("QR codes", mark)
        previous = swap.publish(staging, site)
        if previous:
            swap.retire(previous, work=work)
    lap("publish", mark)  # swap, and any wait for the sweep of the previous run's site
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {"times": times, "pages": pages, "peak_mib": rss / 1024, "qr_mib": children / 1024}
        )
    )


PLAIN_PAGE = """# 示例页面 {n}

这是第 {n} 个示例页面,用来和门户网站的生成时间比较。上海工会技能培训促就业行动为农民工、
困难职工家庭高校毕业生和下岗失业人员提供技能培训、家政培训和创业培训,并帮助他们实现就业。

| 项目 | 内容 |
| --- | --- |
| 培训类别 | 技能培训 |
| 职业(工种) | 中式烹调师 |
| 等级 | 五级(初级) |
| 上课日期 | 2011年7月4日 至 2011年10月14日 |
| 培训费 | 培训费标准 1,500 元,个人免费 |

- 法定劳动年龄内,身体健康,能按时参加全日制学习;
- 学完参加职业技能鉴定,合格的拿到国家职业资格证书;
- 培训基地会在几个工作日内打电话和你确认,请保持电话畅通。

学刀工、火候、调味和常见家常菜、本帮菜的做法,大部分时间在厨房实训室动手练。
饭店、单位食堂都需要厨师,有证书找工作更容易。
"""


def plain_project(folder: Path, pages: int) -> Path:
    """Write `pages` plain pages and an mkdocs.yml with the same theme settings as ours."""
    docs = folder / "docs"
    (docs / "pages").mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n\n示例。\n", encoding="utf-8")
    for n in range(1, pages):
        (docs / f"pages/p{n:05d}.md").write_text(PLAIN_PAGE.format(n=n), encoding="utf-8")
    (docs / "pages/index.md").write_text("# 全部页面\n\n示例。\n", encoding="utf-8")
    config = folder / "mkdocs.yml"
    config.write_text(
        "site_name: 示例\nsite_url: http://127.0.0.1:8000/\n"
        "theme:\n  name: material\n  language: zh\n  font: false\n"
        "plugins:\n  - search\n"
        "markdown_extensions: [attr_list, md_in_html, tables, def_list, toc]\n"
        "nav:\n  - 首页: index.md\n  - 页面: pages/index.md\n",
        encoding="utf-8",
    )
    return config


def _run(command: list[str]) -> tuple[float, float, str]:
    """Run a command in a fresh process; return (seconds, peak MiB, stdout)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    out = process.stdout.read() if process.stdout else ""
    err = process.stderr.read() if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{err[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024, out


# ----------------------------------------------------------------------------- the table


def measure(size: int, scratch: Path) -> list[dict[str, Any]]:
    content = scratch / f"content-{size}"
    counts = scaled_content(content, size)
    rows = []
    site = scratch / f"site-{size}" / "site"
    site.parent.mkdir()
    for run in ("cold", "warm"):
        elapsed, peak, out = _run([sys.executable, __file__, "--worker", str(content), str(site)])
        result = json.loads(out)
        rows.append(
            {"size": size, "run": run, "counts": counts, "wall": elapsed, "peak": peak, **result}
        )
    pages = rows[0]["pages"]
    project = plain_project(scratch / f"plain-{size}", int(pages))
    out_dir = scratch / f"plain-{size}" / "site"
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project), "-d", str(out_dir)]
    elapsed, peak, _ = _run(mkdocs)
    rows.append(
        {
            "size": size,
            "run": "plain mkdocs",
            "counts": counts,
            "wall": elapsed,
            "peak": peak,
            "pages": pages,
        }
    )
    return rows


def report(rows: list[dict[str, Any]]) -> None:
    print(
        "| listings (courses/fairs/bases) | build | pages | load+validate | render | write docs "
        "| MkDocs | QR wait | publish | wall (process) | ours ÷ MkDocs | peak RSS |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        counts = row["counts"]
        listings = counts["courses"] + counts["job_fairs"]
        label = f"{listings:,} ({counts['courses']}/{counts['job_fairs']}/{counts['bases']})"
        if row["run"] == "plain mkdocs":
            print(
                f"| {label} | plain `mkdocs build` | {row['pages']:,} | | | | | | "
                f"| {row['wall']:.1f} s | | {row['peak']:.0f} MiB |"
            )
            continue
        t = row["times"]
        ours = t["load + validate"] + t["render"] + t["write docs"] + t["QR codes"] + t["publish"]
        print(
            f"| {label} | ours, {row['run']} | {row['pages']:,} | {t['load + validate']:.2f} s "
            f"| {t['render']:.2f} s | {t['write docs']:.2f} s | {t['mkdocs']:.1f} s "
            f"| {t['QR codes']:.2f} s | {t['publish']:.2f} s | {row['wall']:.1f} s "
            f"| {ours / t['mkdocs']:.1%} | {row['peak']:.0f} MiB |"
        )


def profile(size: int, scratch: Path) -> None:
    """Print where MkDocs spends the time of one build of `size` listings (cProfile, cumulative)."""
    import cProfile
    import pstats

    content = scratch / "content"
    scaled_content(content, size)
    os.environ.update(PORTAL_TODAY=TODAY, NO_MKDOCS_2_WARNING="1")
    from site_builder.publish import build_and_publish

    profiler = cProfile.Profile()
    profiler.runcall(build_and_publish, content_dir=content, site_dir=scratch / "site")
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(45)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[0, 1000, 5000])
    parser.add_argument("--worker", nargs=2, metavar=("CONTENT", "SITE"), help=argparse.SUPPRESS)
    parser.add_argument("--profile", type=int, metavar="LISTINGS")
    args = parser.parse_args()
    if args.worker:
        worker_ours(Path(args.worker[0]), Path(args.worker[1]))
        return
    with tempfile.TemporaryDirectory(prefix="bench-build-") as scratch:
        if args.profile is not None:
            profile(args.profile, Path(scratch))
            return
        rows = []
        for size in args.sizes:
            rows += measure(size, Path(scratch))
            print(f"measured {size or 'real content'}", file=sys.stderr)
        report(rows)


if __name__ == "__main__":
    main()
