"""Republishing from the console: problems as `file:line` in Chinese, or the time it went live."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from form_service.content.publishing import only_build
from form_service.store.tables import audit_log
from form_service.web import services
from tests.support.apps import make_app, portal_command
from tests.support.staff import Staff, add_accounts, text_of


@pytest.fixture
def publisher(content_copy: Path, tmp_path: Path) -> Iterator[tuple[Flask, Staff]]:
    """An admin signed in to an app whose content is a writable copy (SQLite: no database in play)."""
    app = make_app(f"sqlite:///{tmp_path / 'portal.db'}", tmp_path, content=content_copy)
    add_accounts(app, {"shizong": None})
    admin = Staff(app.test_client())
    admin.login("shizong")
    yield app, admin
    services.store(app).dispose()


def _actions(app: Flask) -> list[tuple[str, dict[str, object]]]:
    with services.store(app).read() as conn:
        rows = conn.execute(
            sa.select(audit_log.c.action, audit_log.c.detail).where(
                audit_log.c.action.like("publish%")
            )
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_content_problems_are_shown_and_nothing_is_published(
    publisher: tuple[Flask, Staff], content_copy: Path
) -> None:
    app, admin = publisher
    course = content_copy / "courses" / "c01-jisuanji-wuji.yaml"
    text = course.read_text(encoding="utf-8")
    course.write_text(
        text.replace("start_date: 2011-07-11", "start_date: 2011-13-01").replace(
            "capacity: 40", "capacity: 很多"
        ),
        encoding="utf-8",
    )
    page = admin.post("/staff/publish")
    assert page.status_code == 200
    problems = re.findall(r'<li class="mono">([^<]+)</li>', page.get_data(as_text=True))
    assert [p.replace("&#34;", '"') for p in problems] == [
        'content/courses/c01-jisuanji-wuji.yaml:8: 开课日期 "2011-13-01" 不是有效日期',
        'content/courses/c01-jisuanji-wuji.yaml:11: 招生人数 "很多" 应为不小于 0 的整数',
    ]
    assert "内容有 2 个问题,网站没有更新" in text_of(page)
    assert not Path(app.config["PORTAL_SITE_DIR"]).exists()
    assert _actions(app) == [
        (
            "publish_failed",
            {"problems": [html.replace("&#34;", '"') for html in problems], "count": 2},
        )
    ]


def test_clean_content_goes_live(publisher: tuple[Flask, Staff]) -> None:
    app, admin = publisher
    page = admin.post("/staff/publish")
    assert re.search(r"新网站已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 发布上线。", text_of(page))
    assert (Path(app.config["PORTAL_SITE_DIR"]) / "index.html").is_file()
    [(action, detail)] = _actions(app)
    build = (Path(app.config["PORTAL_SITE_DIR"]) / ".portal-build").read_text()
    assert (action, detail) == (
        "publish",
        {"courses": 23, "job_fairs": 8, "build": detail["build"]},
    )
    assert f'"build": "{detail["build"]}"' in build
    assert detail["build"] in text_of(admin.get("/staff/publish"))  # 最近的发布


def test_one_publish_at_a_time(publisher: tuple[Flask, Staff]) -> None:
    app, admin = publisher
    with only_build(Path(app.config["PORTAL_SITE_DIR"])) as mine:
        assert mine
        busy = admin.post("/staff/publish")
    assert (busy.status_code, "另一次发布正在进行,请等它完成后再试。" in text_of(busy)) == (
        409,
        True,
    )
    assert _actions(app) == []


def test_portal_build_of_the_portals_site_is_a_publish_too(
    publisher: tuple[Flask, Staff], tmp_path: Path
) -> None:
    """The daily timer's `portal build` shows among the publishes, by the system user."""
    app, admin = publisher
    site = {"PORTAL_SITE_DIR": app.config["PORTAL_SITE_DIR"]}
    built = portal_command(app, ["build"], **site)
    assert built.exit_code == 0, built.output
    [(action, detail)] = _actions(app)
    assert (action, detail["courses"]) == ("publish", 23)
    assert detail["build"] in text_of(admin.get("/staff/publish"))
    with services.store(app).read() as conn:
        by = conn.execute(sa.select(audit_log.c.actor).where(audit_log.c.action == "publish"))
        assert by.scalar_one().startswith("命令行:")
    aside = portal_command(app, ["build", "--out", str(tmp_path / "elsewhere")], **site)
    assert aside.exit_code == 0 and len(_actions(app)) == 1  # a build elsewhere is no publish
    fresh = portal_command(
        app, ["build"], **site, PORTAL_DATABASE_URL=f"sqlite:///{tmp_path}/new.db"
    )
    assert fresh.exit_code == 0
    assert "没有记入发布历史" in fresh.output and "网站已发布到" in fresh.output
