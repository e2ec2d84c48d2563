"""Browser fixtures: the real site built once, `portal serve` on a free loopback port with a fresh
SQLite store, one headless Chromium (Debian's, no download), and pages that photograph each step.

Screenshots land in tests/artifacts/browser/<test>/ (git-ignored), one file per step.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from form_service.applications.crypto import IdentityCipher
from form_service.applications.identity import check_character
from form_service.store import Store, migrate
from site_builder.publish import build_and_publish
from tests.conftest import PINNED_TODAY, REAL_CONTENT, ROOT
from tests.services import missing

ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VENV_BIN = Path(sys.executable).parent
SECRET_KEY = "browser-secret-5d8e2a7c9b1f3e6a4c0d2b8f7e1a3c5d"
ID_KEY = "browser-id-key-8a3f1c6e9d2b5a7c4e0f6d1b3a8c2e9f"
PASSWORD = "sh-union-2011 skills!"
# Chromium asks Google hosts in the background; only loopback may be reached.
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}
# 200% browser zoom on a 1280×800 screen lays pages out in 640×400 CSS pixels.
ZOOM_200: dict[str, Any] = {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2}
DEVICES = {"phone": PHONE, "desktop": DESKTOP}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


_seeded = itertools.count(1)


def person_id(sequence: int, *, born: str = "19850312", prefix: str = "341221") -> str:
    """Return a valid, synthetic 18-character ID number (a different one per sequence)."""
    body = f"{prefix}{born}{sequence % 1000:03d}"
    return body + check_character(body)


@dataclass
class Portal:
    """The running portal: its address, its settings and its folder."""

    url: str
    env: dict[str, str]
    folder: Path
    database_url: str

    def command(self, *args: str, stdin: str | None = None) -> str:
        """Run the `portal` command against this portal's store, as an operator would."""
        done = subprocess.run(
            [str(VENV_BIN / "portal"), *args],
            env=self.env,
            cwd=ROOT,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def store(self) -> Store:
        return Store(self.database_url)

    def seed(self, *, unit_id: str, course_id: str, name: str) -> int:
        """Store one application through the real submission code; return its id."""
        from tests.staff.people import apply

        store = self.store()
        try:
            return apply(
                store,
                IdentityCipher(ID_KEY),
                flow="training",
                unit_id=unit_id,
                course_id=course_id,
                person_id=person_id(next(_seeded), prefix="310110"),
                name=name,
                phone="13812340000",
            )
        finally:
            store.dispose()


def _wait_for(url: str, proc: subprocess.Popen[bytes], log: Path, deadline: float = 90) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"portal serve exited:\n{log.read_text(errors='replace')[-3000:]}")
        with suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"portal serve did not answer {url}")


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    """Build the real content once and serve it with the forms on one free loopback port."""
    folder = tmp_path_factory.mktemp("browser")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    database_url = f"sqlite:///{folder / 'portal.db'}"
    env = {
        **os.environ,
        "PORTAL_ENV": "development",
        "PORTAL_TODAY": PINNED_TODAY,
        "PORTAL_SITE_URL": url + "/",
        "PORTAL_CONTENT_DIR": str(REAL_CONTENT),
        "PORTAL_SITE_DIR": str(folder / "site"),
        "PORTAL_DATA_DIR": str(folder / "data"),
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_SECRET_KEY": SECRET_KEY,
        "PORTAL_ID_KEY": ID_KEY,
        # Every journey submits and looks up from the same address.
        "PORTAL_RATELIMIT_SUBMIT": "1000/minute",
        "PORTAL_RATELIMIT_LOOKUP": "1000/minute",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PORTAL_TODAY", PINNED_TODAY)
        patch.setenv("PORTAL_SITE_URL", url + "/")
        build_and_publish(content_dir=REAL_CONTENT, site_dir=folder / "site")
    live = Portal(url=url, env=env, folder=folder, database_url=database_url)
    store = live.store()
    migrate.upgrade(store)
    store.dispose()
    log = folder / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(VENV_BIN / "portal"), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        _wait_for(url + "/healthz", proc, log)
        yield live
    finally:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="session")
def yangpu_staff(portal: Portal) -> str:
    """A district union's member of staff, made as an operator makes one."""
    portal.command(
        "staff", "add", "yangpu-staff", "--role", "unit", "--unit", "yangpu", "--password-stdin",
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    return "yangpu-staff"


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        missing(f"{AXE_SCRIPT} is missing (npm install --no-audit --no-fund)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def _slug(text: str) -> str:
    return re.sub(r"[^\w.-]+", "-", text).strip("-")[:120]


@dataclass
class Camera:
    """Saves one numbered screenshot per step of a test."""

    folder: Path
    taken: int = 0

    def __call__(self, page: Any, step: str) -> None:
        self.taken += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{self.taken:02d}-{_slug(step)}.png"
        page.screenshot(path=str(target), full_page=True, scale="css")


@dataclass
class Session:
    """A browser context of one kind (phone or desktop, JavaScript on or off) for one test."""

    context: Any
    page: Any
    shot: Camera
    base: str
    javascript: bool
    mobile: bool
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    popups: list[str] = field(default_factory=list)

    def go(self, path: str) -> Any:
        return self.page.goto(self.base + path)

    def path(self) -> str:
        return self.page.url.removeprefix(self.base)


@pytest.fixture
def open_session(browser: Any, portal: Portal, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Open browser sessions; at the end, no pop-up, no dialog and no script error happened."""
    opened: list[Session] = []
    name = _slug(request.node.name)

    def make(device: str = "phone", *, javascript: bool = True, **extra: Any) -> Session:
        options = {**DEVICES.get(device, PHONE), **extra}
        context = browser.new_context(
            **options, java_script_enabled=javascript, locale="zh-CN", accept_downloads=True
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        folder = ARTIFACTS / name if len(opened) == 0 else ARTIFACTS / f"{name}-{len(opened)}"
        if folder.exists():
            shutil.rmtree(folder)
        mobile = bool(options.get("is_mobile"))
        session = Session(context, page, Camera(folder), portal.url, javascript, mobile)
        page.on("dialog", lambda dialog: (session.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: session.errors.append(str(error)))
        context.on("page", lambda extra_page: session.popups.append(extra_page.url))
        opened.append(session)
        return session

    yield make
    for session in opened:
        session.context.close()
    for session in opened:
        assert session.dialogs == [], "a page opened a dialog"
        assert session.popups == [], "a page opened a pop-up window"
        assert session.errors == [], "a script failed"
