"""The portal in a browser: the real site built and served by `portal serve` on a free loopback
port with a fresh SQLite store, browser sessions (phone or desktop, JavaScript on or off) that
photograph each step, and the checks made when a session closes.

Screenshots land in tests/artifacts/browser/<test>/ (git-ignored), one file per step.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from form_service.store import Store, migrate
from form_service.store.crypto import IdentityCipher
from tests.support.applications import apply
from tests.support.people import id_number
from tests.support.servers import Server, free_port
from tests.support.settings import ID_KEY, PINNED_TODAY, REAL_CONTENT, ROOT, SECRET_KEY
from tests.support.site import build

ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VENV_BIN = Path(sys.executable).parent
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


_seeded = itertools.count(1)


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
        store = self.store()
        try:
            return apply(
                store,
                IdentityCipher(ID_KEY),
                flow="training",
                unit_id=unit_id,
                course_id=course_id,
                person_id=id_number("310110", sequence=next(_seeded)),
                name=name,
                phone="13812340000",
            )
        finally:
            store.dispose()


@contextmanager
def serve_portal(folder: Path, *, content: Path = REAL_CONTENT) -> Iterator[Portal]:
    """Build `content` (the real content) and serve it with the forms on one free loopback port."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    database_url = f"sqlite:///{folder / 'portal.db'}"
    env = {
        **os.environ,
        "PORTAL_ENV": "development",
        "PORTAL_TODAY": PINNED_TODAY,
        "PORTAL_SITE_URL": url + "/",
        "PORTAL_CONTENT_DIR": str(content),
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
    build(content, folder / "site", site_url=url + "/")
    live = Portal(url=url, env=env, folder=folder, database_url=database_url)
    store = live.store()
    migrate.upgrade(store)
    store.dispose()
    command = [str(VENV_BIN / "portal"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with Server(command, env=env, log=folder / "serve.log", port=port) as server:
        server.start()
        server.wait_up("/healthz", deadline=90)
        yield live


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


@contextmanager
def sessions(browser: Any, base: str, name: str) -> Iterator[Callable[..., Session]]:
    """Open browser sessions; at the end, no pop-up, no dialog and no script error happened."""
    opened: list[Session] = []
    name = _slug(name)

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
        session = Session(context, page, Camera(folder), base, javascript, mobile)
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
