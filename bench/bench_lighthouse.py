"""Benchmark: Lighthouse's mobile profile on the home page, a course page and a form.

The real content is built on the pinned date into a temporary folder and served two ways:

- `serve`: `portal serve`, the embedded one-port server (werkzeug; nothing is compressed);
- `nginx`: production as deploy/ describes it — nginx from deploy/nginx/portal.conf (gzip on)
  serving the site, in front of gunicorn started as deploy/systemd/portal@.service starts it.

Lighthouse 12 (npm, `node_modules/.bin/lighthouse`) drives Debian's Chromium with its default
mobile profile (emulated phone, simulated slow 4G, 4× CPU slowdown), offline: every host but
loopback is unresolvable. It prints one table — performance, accessibility, best practices, SEO,
and the bytes the page transfers on a first load (as sent, so compressed where the server
compresses) — and the goals: 95+ in each category, under 150 KB for the home page.

    .venv/bin/python bench/bench_lighthouse.py
    .venv/bin/python bench/bench_lighthouse.py --server nginx --runs 3
    .venv/bin/python bench/bench_lighthouse.py --json bench/results/bench_lighthouse.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import servers  # noqa: E402
from tests.support.settings import PINNED_TODAY, REAL_CONTENT  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("PORTAL_TEST_CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--host-resolver-rules='MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost'"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {
    "home": "/",
    "course": "/courses/c02-jisuanji-siji/",
    "form": "/apply/training?course=c02-jisuanji-siji",
}
GOAL_SCORE = 95
GOAL_HOME_BYTES = 150 * 1024


def build_site(site: Path, url: str) -> None:
    env = {**os.environ, "PORTAL_TODAY": PINNED_TODAY, "PORTAL_SITE_URL": url + "/"}
    servers.run_portal("build", "--out", str(site), env=env).check_returncode()


def start_serve(folder: Path, stack: ExitStack) -> str:
    """`portal serve` on a free port, development settings, a fresh SQLite store."""
    port = servers.free_port()
    url = f"http://127.0.0.1:{port}"
    build_site(folder / "site", url)
    env = {
        **os.environ,
        "PORTAL_TODAY": PINNED_TODAY,
        "PORTAL_SITE_URL": url + "/",
        "PORTAL_CONTENT_DIR": str(REAL_CONTENT),
        "PORTAL_SITE_DIR": str(folder / "site"),
        "PORTAL_DATA_DIR": str(folder / "data"),
    }
    command = [str(servers.VENV_BIN / "portal"), "serve", "--host", "127.0.0.1"]
    server = servers.Server(
        [*command, "--port", str(port)], env=env, log=folder / "serve.log", port=port
    )
    stack.enter_context(server)
    server.start()
    server.wait_up()
    return url


def start_nginx(folder: Path, stack: ExitStack) -> str:
    """nginx (deploy/nginx/portal.conf) in front of one gunicorn (portal@.service)."""
    port = servers.free_port()
    url = f"http://127.0.0.1:{port}"
    env = servers.service_env(
        url=f"sqlite:///{folder / 'portal.db'}", folder=folder, workers=1, redis_url=None
    )
    env["PORTAL_SITE_URL"] = url + "/"
    build_site(folder / "site", url)
    servers.run_portal("db", "upgrade", env=env).check_returncode()
    app = servers.gunicorn(env=env, log=folder / "gunicorn.log")
    stack.enter_context(app)
    app.start()
    app.wait_up()
    proxy = servers.nginx(
        folder / "nginx", port=port, apps=[app.port, app.port], site=folder / "site"
    )
    stack.enter_context(proxy)
    proxy.start()
    proxy.wait_up("/")
    return url


def lighthouse(url: str, out: Path) -> dict[str, Any]:
    """Run Lighthouse once (mobile) and return its JSON report."""
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--form-factor=mobile",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(command, env=env, check=True, timeout=300, cwd=ROOT)
    return dict(json.loads(out.read_text(encoding="utf-8")))


def summarise(report: dict[str, Any]) -> dict[str, Any]:
    """Scores (0–100), bytes transferred by kind, and every audit that lost points."""
    audits = report["audits"]
    by_kind: dict[str, int] = defaultdict(int)
    for item in audits["network-requests"]["details"]["items"]:
        by_kind[str(item.get("resourceType", "Other"))] += int(item.get("transferSize") or 0)
    failing = sorted(
        f"{audit_id} ({audit['score']})"
        for audit_id, audit in audits.items()
        if audit.get("score") is not None
        and audit["score"] < 0.9
        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    )
    return {
        "scores": {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES},
        "bytes": int(audits["total-byte-weight"]["numericValue"]),
        "requests": len(audits["network-requests"]["details"]["items"]),
        "bytes_by_kind": dict(sorted(by_kind.items())),
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "below_0.9": failing,
        "warnings": report.get("runWarnings", []),
    }


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median performance score (scores of one run stay together)."""
    ordered = sorted(runs, key=lambda r: r["scores"]["performance"])
    return ordered[len(ordered) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", choices=("serve", "nginx", "both"), default="both")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (median)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--reports", type=Path, help="keep Lighthouse's own JSON reports here")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("npm install --no-audit --no-fund first (lighthouse is in package.json)")
    chosen = ("serve", "nginx") if args.server == "both" else (args.server,)
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as tmp:
        for server in chosen:
            folder = Path(tmp) / server
            folder.mkdir()
            with ExitStack() as stack:
                start = start_serve if server == "serve" else start_nginx
                url = start(folder, stack)
                for name, path in PAGES.items():
                    reports = args.reports or folder
                    reports.mkdir(parents=True, exist_ok=True)
                    runs = [
                        summarise(lighthouse(url + path, reports / f"{server}-{name}-{n}.json"))
                        for n in range(args.runs)
                    ]
                    best = median_run(runs)
                    best["performance_runs"] = [r["scores"]["performance"] for r in runs]
                    results[f"{server} {name}"] = best
    print(table(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


def table(results: dict[str, dict[str, Any]]) -> str:
    lines = [
        "| server | page | performance | accessibility | best practices | SEO "
        "| transferred (KB) | requests | FCP ms | LCP ms | TBT ms | CLS |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, r in results.items():
        server, page = key.split(" ", 1)
        s = r["scores"]
        lines.append(
            f"| {server} | {page} | {s['performance']} | {s['accessibility']} "
            f"| {s['best-practices']} | {s['seo']} | {r['bytes'] / 1024:.1f} | {r['requests']} "
            f"| {r['fcp_ms']} | {r['lcp_ms']} | {r['tbt_ms']} | {r['cls']} |"
        )
    lines.append("")
    for key, r in results.items():
        missed = [c for c, v in r["scores"].items() if v < GOAL_SCORE]
        heavy = key.endswith(" home") and r["bytes"] >= GOAL_HOME_BYTES
        verdict = (
            "meets the goals"
            if not missed and not heavy
            else "misses: " + ", ".join(missed + (["home under 150 KB"] if heavy else []))
        )
        kinds = ", ".join(f"{k} {v / 1024:.1f}" for k, v in r["bytes_by_kind"].items())
        lines.append(f"- {key}: {verdict}; KB by kind: {kinds}")
        if r["below_0.9"]:
            lines.append(f"  audits below 0.9: {', '.join(r['below_0.9'])}")
        if len(r["performance_runs"]) > 1:
            spread = r["performance_runs"]
            lines.append(f"  performance over runs: {spread} (median {statistics.median(spread)})")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
